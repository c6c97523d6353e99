"""Round 97 of issue 14 (rules from heldout96a/96b's misses, read after they were scored), in sentences written for
these tests: a ward's government building named by the ward alone (「多摩区総合庁舎で」), a direction-named school in a
text about children (「北小の子どもたち」), a school's short name before its safety group (「栗林小安全ガードボランティア」);
and no finding for soldiers (「兵隊さん」)."""

from __future__ import annotations

import pytest

from anshin_lab.privacy.lint import lint
from anshin_lab.privacy.lint.check import can_be_learned_name


def _found(text: str, learned: bool = False) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in lint(text, learned=learned)]


@pytest.mark.parametrize(("text", "found"), [
    ("委嘱式は中原区総合庁舎で行い", [("facility", "中原区総合庁舎")]),
    ("北小の子どもたちが見守りに感謝", [("facility", "北小")]),
    ("「栗林小安全ガードボランティア」の活動", [("facility", "栗林小")]),
])
def test_round97_findings(text, found):
    """Each fails on the commit before round 97's rules (4607fa9)."""
    assert _found(text) == found, lint(text)


def test_round97_soldiers_are_no_name():
    """「兵隊さん」 is no one's name, whoever reads it; a learned span there passed on 4607fa9."""
    assert not can_be_learned_name("米は兵隊さんに送った", 2, 4, "person")


@pytest.mark.parametrize(("text", "found"), [
    ("市の総合庁舎で", []),
    ("北小で1年生が", [("facility", "北小")]),
    ("子どもの安全を守る", []),
])
def test_round97_guards(text, found):
    """Pass before and after round 97's rules: what they must not change."""
    assert _found(text) == found, lint(text)
