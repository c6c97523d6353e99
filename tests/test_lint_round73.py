"""Round 73 of issue 14 (rules from heldout72a/72b's misses, read after they were scored), in sentences written for
these tests: a station's head named after a space and an honorific, mascots in quotes (the last word of one the text
introduces, one beside a mascot the text names), a class on safety named in quotes, a certified nursery and a silk mill
as places, and a hiragana name SudachiPy ends in a prefix (「かぜの|こ|保育園」)."""

from __future__ import annotations

import pytest

from anshin_lab.privacy.lint import lint


def _pairs(text: str) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in lint(text, learned=False) if f.kind in ("facility", "person")]


@pytest.mark.parametrize(("text", "found"), [
    ("表彰式では、大田原署長 石井徹さまより激励があった。", [("person", "石井徹")]),
    ("市のイメージキャラクター「みかん太郎くん」が登場した。", []),
    ("マスコット「ピーポくん」と群馬県警の「上毛太郎くん」が参加", []),
    ("中学校で「スマイル交通安全教室」が開かれた。", []),
    ("園児はもりのこ認定子ども園に通う。", [("facility", "もりのこ認定子ども園")]),
    ("園児はやまのこ認定こども園に通う。", [("facility", "やまのこ認定こども園")]),
    ("署長が岡谷製糸場を訪れた。", [("facility", "岡谷製糸場")]),
    ("もりのこ保育園で訓練", [("facility", "もりのこ保育園")]),
])
def test_round73_names(text, found):
    """Each fails on the commit before round 73's rules (2349ebe)."""
    assert _pairs(text) == found, lint(text)


@pytest.mark.parametrize(("text", "found"), [
    ("大城署長 菅原優さんが", [("person", "大城"), ("person", "菅原優")]),
    ("県警の「たろうくん」が", [("person", "たろう")]),
    ("その保育園に", []),
    ("市内の認定こども園で", []),
    ("最近、わかさ公園で子供", [("facility", "わかさ公園")]),
    ("交通安全教室を山下小学校で開いた", [("facility", "山下小学校")]),
])
def test_round73_guards(text, found):
    assert _pairs(text) == found, lint(text)
