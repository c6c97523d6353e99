"""Round 29 of issue 14 (from heldout28a/28b's misses): a place's name quoted after its kind (「パトロールセンター「…」」);
and what is no place: the staff of any bank, a club's quoted name, a district named like a castle, a part of the police
station named before, the visitors of a roadside station. The names here are written for these tests."""

from __future__ import annotations

import pytest

from anshin_lab.privacy.lint import lint


def _found(text: str, kind: str) -> list[str]:
    return [f.text for f in lint(text) if f.kind == kind]


def test_a_name_quoted_after_a_centre_is_the_place_not_the_centre():
    text = "交番施設の一部を開放したパトロールセンター「城西番小屋」を設立した。"
    assert _found(text, "facility") == ["城西番小屋"], lint(text)


@pytest.mark.parametrize("text", [
    "特殊詐欺被害防止 女性銀行員に感謝状",
    "王子中町老人クラブ「これから会」と南生石東老人クラブ「南寿会」が参加した。",
    "筒城地区には複数の海水浴場がある。",
    "同店の黒沢店長、同署川俣分庁舎の高橋所長が同席した。",
    "道の駅利用客等約300名に対しチラシを配った。",
])
def test_round29_no_facility(text):
    assert _found(text, "facility") == [], lint(text)


@pytest.mark.parametrize("text, name", [
    ("南海銀2人に感謝状", "南海銀"),  # a bank's short name before a count of its staff stays one
    ("熊本城の近くで", "熊本城"),
    ("道の駅たるみずで", "道の駅たるみず"),
])
def test_round29_still_facilities(text, name):
    assert name in _found(text, "facility"), lint(text)


def test_a_group_named_by_its_place_and_a_katakana_word_is_no_person():
    text = "(響きあう石内ネットワーク会長 杉田康之)"
    assert _found(text, "person") == ["杉田康之"], lint(text)


@pytest.mark.parametrize("name", ["田中マリア", "山田ミドリ", "鈴木サクラ"])
def test_a_katakana_given_name_after_a_family_name_stays_a_person(name):
    assert _found(f"{name}さんが通報した。", "person") == [name]
