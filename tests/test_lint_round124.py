"""Round 124 of issue 14 (rules from heldout123a/123b's misses, read after they were scored), in sentences written for
these tests: a Rotary or Lions governor after his name (「小野寺ガバナー」); and no finding for a railway operator or its
branch office (「JR東海静岡支社」「近畿日本鉄道との合同訓練」, new list ``transit_operators.txt``), a town's Lions club
(「土岐織部LC」), a body that a chain's name opens (「コスモス交通安全協力会」) or a football club by its short name
(「マリノス」)."""

from __future__ import annotations

import pytest

from anshin_lab.privacy.lint import lint


def _found(text: str, learned: bool = False) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in lint(text, learned=learned)]


@pytest.mark.parametrize(("text", "found"), [
    ("石川県警とJR東海静岡支社が合同訓練を行った。", []),
    ("奈良署と近畿日本鉄道との合同訓練を行った。", []),
    ("瑞浪LCと土岐織部LCが合同で講師を務めた。", []),
    ("乾杯をされる小野寺ガバナー", [("person", "小野寺")]),
    ("コスモス交通安全協力会では毎年、反射材を贈っている。", []),
])
def test_round124(text, found):
    """Each fails on the commit before round 124's rules (0273dd3, which lands round 123's model): the operator, its
    office, the club and the body were findings, the governor was not."""
    assert _found(text) == found, lint(text, learned=False)


@pytest.mark.parametrize(("text", "found"), [
    ("JR東海の静岡駅で", [("facility", "静岡駅")]),
    ("コスモス薬品の店舗で", [("facility", "コスモス薬品")]),
    ("阪急百貨店で", [("facility", "阪急百貨店")]),
])
def test_round124_guards(text, found):
    """Pass before and after round 124's rules: what they must not change."""
    assert _found(text) == found, lint(text)


def test_round124_club_short_name_is_a_team():
    """「マリノスも参加」: a club of ``pro_teams.txt`` by its short name (a false facility of round 123 on heldout123b)."""
    from anshin_lab.privacy.lint.claims import sponsor_or_group

    assert sponsor_or_group("ホームとするマリノスも参加", 6, 10, "施設")
