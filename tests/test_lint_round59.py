"""Round 59 of issue 14 (from heldout58a/58b's misses, read after they were scored): a suspect's given name of one kanji
alone before 容疑者, which SudachiPy reads as a common word (「寛容疑者の母」). The names here are written for these
tests."""

from __future__ import annotations

import pytest

from anshin_lab.privacy.lint import lint, scrub


def _texts(text: str, kind: str) -> list[str]:
    return [f.text for f in lint(text, learned=False) if f.kind == kind]


@pytest.mark.parametrize(("text", "names"), [
    ("2階寝室では寛容疑者の母が死亡していた。", ["寛"]),
    ("寛容疑者は妻と5人暮らし。", ["寛"]),
    ("長男の無職、学容疑者を再逮捕した。", ["学"]),
    ("無職田中寛容疑者(45)を逮捕した。", ["田中寛", "(45)"]),   # a full name, as before
    ("全容疑者を送検した。", []),                                 # all the suspects
    ("元容疑者の男性が話した。", []),
    ("同容疑者は黙秘している。", []),
    ("夫容疑者と妻が", []),
    ("寛容な態度で接した。", []),
])
def test_a_one_kanji_given_name_before_its_suspects_title(text, names):
    assert _texts(text, "person") == names, lint(text)


def test_nothing_of_the_suspect_reaches_a_member():
    fixed, _ = scrub("寛容疑者は妻と5人暮らし。")
    assert not fixed.startswith("寛"), fixed
