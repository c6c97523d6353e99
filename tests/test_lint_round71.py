"""Round 71 of issue 14 (from heldout70a/70b's misses, read after they were scored), in sentences written for these
tests: an officer's name no dictionary holds as a family name after an office and 「・」, before a rank; a chain before
its branch is no stage name; and no person in a patrol named after a bear, a troupe's quoted name, a place's police box or
neighbourhood body, or a given name before a university's 大; no place in a shopping street, a car brand or a nursery's
children."""

from __future__ import annotations

import pytest

from anshin_lab.privacy.lint import lint


def _pairs(text: str) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in lint(text, learned=False) if f.kind in ("facility", "person")]


@pytest.mark.parametrize(("text", "found"), [
    # an officer after an office and 「・」, before a rank, whatever the name reads as
    ("最後に、北山駐在所・菜花巡査部長から話があった。", [("person", "菜花")]),
    ("生活安全課・若葉警部補が講話した。", [("person", "若葉")]),
    ("男性巡査部長(42)が", []),
    ("同署巡査部長が", []),
    # a chain and its branch, no stage name
    ("川口市のアリオ川口で啓発した。", [("facility", "アリオ")]),
    ("テリー伊藤さんが出演した。", [("person", "テリー伊藤")]),
    # a patrol named after a bear, a troupe's quoted name
    ("防犯協会は「くまさんパトロール」を始めた。", []),
    ("劇団「まもるくんといよっぴー」が公演した。", []),
    # a police box or a neighbourhood body named after its place
    ("竜丘自治会安全委員の方々、竜丘駐在所の巡査長が参加した。", []),
    ("田中自治会長があいさつした。", [("person", "田中")]),
    # a given name before 大 after a family name and a title is the name, not a university
    ("西区自治連合協議会 会長 三原寧大", [("person", "三原寧")]),
    ("三島北高の生徒", [("facility", "三島北高")]),
    # a shopping street, a car brand, a nursery's children
    ("繁華街の渋谷センター街でチラシを配った。", []),
    ("渋谷センターで", [("facility", "渋谷センター")]),
    ("高級車ブランド「レクサス」のパトカー", []),
    ("テーマパーク「ハウステンボス」で", [("facility", "ハウステンボス")]),
    ("管内の保育園園児たちが太鼓を披露した。", []),
])
def test_round71_names(text, found):
    assert _pairs(text) == found, lint(text)
