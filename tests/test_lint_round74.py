"""Round 74 of issue 14 (rules from heldout73a/73b's misses, read after they were scored), in sentences written for
these tests: the head of a police box named by his family name when the text names his box another way, a town's name
before its own facility or its council for the town's good (no second mention of the facility), a lot in brackets
after a place with its branch number after の, and an issue's running number (no room)."""

from __future__ import annotations

import pytest

from anshin_lab.privacy.lint import lint


def _found(text: str) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in lint(text, learned=False)]


@pytest.mark.parametrize(("text", "found"), [
    ("長浜駐在所の森田駐在所長が講話した。", [("person", "森田")]),
    ("林田の林田幼稚園で訓練", [("facility", "林田幼稚園")]),
    ("鳴鹿まちづくり推進協議会が鳴鹿小学校に傘を寄贈した。", [("facility", "鳴鹿小学校")]),
    ("森田交番(森田1234の5)でキャンペーン", [("exact_address", "森田1234の5")]),
    ("学校だより第12号(345号)を発行した。", []),
])
def test_round74_findings(text, found):
    """Each fails on the commit before round 74's rules (136ead7)."""
    assert _found(text) == found, lint(text)


@pytest.mark.parametrize(("text", "found"), [
    ("勉強会では、大野駐在所長から説明があった。", []),
    ("吉田支会長があいさつした。", [("person", "吉田")]),
    ("山下小学校の児童と、山下の子どもたち", [("facility", "山下小学校"), ("facility", "山下")]),
    ("マンション503号に住む", [("exact_address", "503号")]),
    ("成瀬交番(高森町1747)で", [("exact_address", "高森町1747")]),
])
def test_round74_guards(text, found):
    assert _found(text) == found, lint(text)
