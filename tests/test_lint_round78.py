"""Round 78 of issue 14 (rules from heldout77a/77b's misses, read after they were scored), in sentences written for
these tests: a nursery named before its pupils (「さわらび園児」), a hiragana name and one kanji of a place read as a
verb (「あゆみ野駅」), a family name that is a common word before 様 (「山辺様」), a master named by his title
(「立川志ら玉師匠」), a chain of funeral halls (「若松紫雲閣」); a grade before a name stays out of it (「3年|福田敬子」);
and no finding for a period (「年末年始期間中」), a nursing school (「看護専門学校」) or what a place aims to be
(「「地域のコミュニティ・センター」を目指す」)."""

from __future__ import annotations

import pytest

from anshin_lab.privacy.lint import lint


def _found(text: str) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in lint(text, learned=False)]


@pytest.mark.parametrize(("text", "found"), [
    ("署員が長久さわらび園児に話した。", [("facility", "長久さわらび園")]),
    ("28人があゆみ野駅に集合し、巡回した。", [("facility", "あゆみ野駅")]),
    ("山辺様には6月にもおいでいただきました。", [("person", "山辺")]),
    ("落語家の立川志ら玉師匠が演じた。", [("person", "立川志ら玉")]),
    ("署は「若松紫雲閣」で講習会を開いた。", [("facility", "若松紫雲閣")]),
    ("看護専門学校3年福田敬子さんが協力した。", [("person", "福田敬子")]),
    ("年末年始期間中、管内の安全を守る。", []),
    ("紫雲閣は「地域のコミュニティ・センター」を目指したい。", [("facility", "紫雲閣")]),
])
def test_round78_findings(text, found):
    """Each fails on the commit before round 78's rules (f062fe3)."""
    assert _found(text) == found, lint(text)


@pytest.mark.parametrize(("text", "found"), [
    ("保育園児が歌った。", []),
    ("鹿児島園児の作品", []),
    ("『お不動様踏切』の見守り", []),
    ("ご先祖様に手を合わせた。", []),
    ("3年生の山田さん", [("person", "山田")]),
    ("「ひまわり子育て支援センター」で", [("facility", "ひまわり子育て支援センター")]),
    ("鹿児島看護専門学校で", [("facility", "鹿児島看護専門学校")]),
])
def test_round78_guards(text, found):
    assert _found(text) == found, lint(text)
