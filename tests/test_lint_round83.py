"""Round 83 of issue 14 (rules from heldout82a/82b's misses, read after they were scored), in sentences written for
these tests: a school whose name SudachiPy reads as a person's and one kanji (「益田|翔|陽|高等学校」), a station's head named
by family name when the text names the station he took over in full (「川崎署長は…三鷹警察署長にご就任」); and no finding
for a police number after its departments (「…本部 交通部 交通企画課 安全対策係 025-…-0110」) or after the station's
address in its bracket (「浦安警察署(浦安市猫実4-18-1 TEL…-0110)」), or a shopping street named after its station
(「北習志野駅前商店街」)."""

from __future__ import annotations

import pytest

from anshin_lab.privacy.lint import lint


def _found(text: str, learned: bool = False) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in lint(text, learned=learned)]


@pytest.mark.parametrize(("text", "found"), [
    ("昨年度、益田翔陽高等学校の生徒が授業で発表した。", [("facility", "益田翔陽高等学校")]),
    ("川崎署長は昨年、三鷹警察署長にご就任以来、署員を率いている。", [("person", "川崎")]),
    ("静岡県警察本部 交通部 交通企画課 安全対策係 054-271-0110(代表)", []),
    ("浦安警察署(浦安市猫実4-18-1 TEL047-351-0110)で", [("exact_address", "浦安市猫実4-18-1")]),
    ("南習志野駅前商店街通りでフェスティバル", []),
])
def test_round83_findings(text, found):
    """Each fails on the commit before round 83's rules (ac9cfb6)."""
    assert _found(text) == found, lint(text)


@pytest.mark.parametrize(("text", "found"), [
    ("川崎署長は話した", []),
    ("六名小学校の通学路", [("facility", "六名小学校")]),
    ("田中(090-1234-5678)", [("phone", "090-1234-5678")]),
    ("鹿児島中央警察署 099-222-0110", []),
])
def test_round83_guards(text, found):
    assert _found(text, learned=True) == found, lint(text)
