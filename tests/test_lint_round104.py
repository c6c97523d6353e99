"""Round 104 of issue 14 (rules from heldout103a/103b's misses, read after they were scored), in sentences written for
these tests: a transcript's speaker by family name alone before his words (「松本「今日は…」」), a storyteller's name in
亭 alone on its line or in brackets (「青葉亭こだま」「児童(若葉亭ひかり)」), a customs officer before his title
(「川口統括監視官」); and no finding for Tokyo's police before one of its stations (「警視庁野方署」, read 警視|庁野|方署)."""

from __future__ import annotations

import pytest

from anshin_lab.privacy.lint import lint


def _found(text: str, learned: bool = False) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in lint(text, learned=learned)]


@pytest.mark.parametrize(("text", "found", "learned"), [
    ("松本「今日はよろしくお願いします」", [("person", "松本")], False),
    ("青葉亭こだま", [("person", "青葉亭こだま")], False),
    ("児童(若葉亭ひかり)", [("person", "若葉亭ひかり")], False),
    ("港税関支署の川口統括監視官から", [("person", "川口")], False),
    ("警視庁野方署とコンビニが協力", [], True),
])
def test_round104(text, found, learned):
    """Each fails on the commit before round 104's rules (00502b9): the first and the fourth were not found, the
    storytellers were read as facilities 「…亭」 and 庁野 as a person."""
    assert _found(text, learned) == found, lint(text, learned=learned)


@pytest.mark.parametrize(("text", "found"), [
    ("松月亭本店", [("facility", "松月亭本店")]),
    ("和風亭宮古店で", [("facility", "和風亭宮古店")]),
    ("防犯「一緒に守ろう」", []),
    ("記事:仲田", [("person", "仲田")]),
])
def test_round104_guards(text, found):
    """Pass before and after round 104's rules: what they must not change."""
    assert _found(text) == found, lint(text)
