"""Round 75 of issue 14 (rules from heldout74a/74b's misses, read after they were scored), in sentences written for
these tests: a sweets maker's mascot named alone (「ガリガリ君」), and a member of the body of a prefecture's town of
the same name (「長野交通安全協会員」), no person."""

from __future__ import annotations

import pytest

from anshin_lab.privacy.lint import lint


def _found(text: str) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in lint(text, learned=False)]


@pytest.mark.parametrize(("text", "found"), [
    ("一日署長のガリガリ君があいさつした。", []),
    ("その後、長野交通安全協会員や児童らが並んだ。", []),
])
def test_round75_findings(text, found):
    """Each fails on the commit before round 75's rules (352bbca)."""
    assert _found(text) == found, lint(text)


@pytest.mark.parametrize(("text", "found"), [
    ("長野さんと交通安全協会員", [("person", "長野")]),
    ("妹のチコちゃん(5)が", [("person", "チコ"), ("person", "(5)")]),
])
def test_round75_guards(text, found):
    assert _found(text) == found, lint(text)
