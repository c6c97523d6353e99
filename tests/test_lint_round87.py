"""Round 87 of issue 14 (rules from heldout86a/86b's misses, read after they were scored), in sentences written for
these tests: a school's short name where a headline or a caption starts, and で (「厚南小で…講習会」「(厚南小で)」), a
nursery in hiragana after a headline's space that SudachiPy starts with a particle (「 と|まちこども園 」); and no finding
for a station's traffic section (「浜松中央署交通1課」) or 奈良県警's mascot (「ナピちゃん」)."""

from __future__ import annotations

import pytest

from anshin_lab.privacy.lint import lint


def _found(text: str, learned: bool = False) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in lint(text, learned=learned)]


@pytest.mark.parametrize(("text", "found"), [
    ("厚南小で防犯教室", [("facility", "厚南小")]),
    ("護身法を学ぶ児童(札苗小で)", [("facility", "札苗小")]),
    ("花を贈る とまちこども園 交通安全を願う", [("facility", "とまちこども園")]),
    ("浜松中央署交通1課警部補が説明した。", []),
    ("ナポくんとナピちゃんも来てくれました。", []),
])
def test_round87_findings(text, found):
    """Each fails on the commit before round 87's rules (02ad376)."""
    assert _found(text) == found, lint(text)


@pytest.mark.parametrize(("text", "found"), [
    ("途中で引き返した", []),
    ("縮小で対応する", []),
    ("市内中で", []),
    ("「どこの小学校?」と声をかけた", []),
    ("鹿児島交通の社員", [("facility", "鹿児島交通")]),
])
def test_round87_guards(text, found):
    assert _found(text, learned=True) == found, lint(text)
