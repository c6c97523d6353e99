"""Round 103 of issue 14 (rules from heldout102a/102b's misses, read after they were scored), in sentences written for
these tests: a family name before a station's post of community and traffic (「渡辺地域交通官」), a family name before
市議 that the text's only 「…市」 is the title itself (「釜井市議」「田中市議」), a given name SudachiPy reads as two
suffixes before the age (「平本|海|心(20)」), and a post's author after its label and his job (「投稿者 記者・ 松林」)."""

from __future__ import annotations

import pytest

from anshin_lab.privacy.lint import lint


def _found(text: str, learned: bool = False) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in lint(text, learned=learned)]


@pytest.mark.parametrize(("text", "found"), [
    ("署長 副署長 中山刑事官 渡辺地域交通官", [("person", "中山"), ("person", "渡辺")]),
    ("市内の林道で釜井市議が襲われた", [("person", "釜井")]),
    ("大津市議会の田中市議が", [("person", "田中")]),
    ("自称溶接工、無職平本海心(20)▽", [("person", "平本海心"), ("person", "(20)")]),
    ("投稿者 記者・ 松林", [("person", "松林")]),
])
def test_round103_findings(text, found):
    """Each fails on the commit before round 103's rules (1166395), whose rules found none of these names."""
    assert _found(text) == found, lint(text)


@pytest.mark.parametrize(("text", "found"), [
    ("記事:仲田", [("person", "仲田")]),
    ("投稿者 管理人", []),
    ("有村颯(25)が", [("person", "有村颯"), ("person", "(25)")]),
    ("田中(45)は", [("person", "田中"), ("person", "(45)")]),
    ("大津市長が", []),
])
def test_round103_guards(text, found):
    """Pass before and after round 103's rules: what they must not change."""
    assert _found(text) == found, lint(text)
