"""Round 38 of issue 14 (from heldout37a/37b's misses): a full name the dictionary holds whole, a captain and police
inspectors, a city's sports park, a lighthouse, a public university's short name after 現, a school before 卒,
ages written 「(7つ)」, and a kinship word before a name; no place in a police force's own building, a police unit, a
school district written 校下, a patrol group named by its district, a quoted sentence before 銀行, or a route's 号;
no person in a residents' body named 〜会. The names here are written for these tests."""

from __future__ import annotations

import pytest

from anshin_lab.privacy.lint import lint


def _texts(text: str, kind: str) -> list[str]:
    return [f.text for f in lint(text) if f.kind == kind]


@pytest.mark.parametrize(("text", "names"), [
    ("と始まる徳川家康の遺訓は有名だ。", ["徳川家康"]),
    ("石破茂首相が視察した。", ["石破茂"]),
    ("大城船長に県知事表彰", ["大城"]),
    ("濵田警備部長、牛垣首席監察官", ["濵田", "牛垣"]),
])
def test_round38_person(text, names):
    assert _texts(text, "person") == names, lint(text)


def test_a_full_name_glued_to_other_kanji_is_no_known_name():
    assert _texts("京阪大津京(大津市)-三井寺(同)間", "person") == []


@pytest.mark.parametrize(("text", "place"), [
    ("4月以降は丸亀市総合運動公園横に移る。", "丸亀市総合運動公園"),
    ("大分市の大洲総合運動公園内の駐車場", "大洲総合運動公園"),
    ("小豆島の地蔵埼灯台を回り込む。", "地蔵埼灯台"),
    ("徳山大(現周南公立大)卒業後", "周南公立大"),
    ("宮古水産高校卒。", "宮古水産高校"),
])
def test_round38_facility(text, place):
    assert place in _texts(text, "facility"), lint(text)


def test_a_prefix_that_is_part_of_a_name_stays():
    assert _texts("高松市の新番丁小学校では", "facility") == ["新番丁小学校"]


def test_ages_counted_in_tsu_and_the_name_after_a_kinship_word():
    text = "会社員庄子浩之さん(35)の長女玲奈さん(6つ)=栗生小1年=が発見された。"
    assert _texts(text, "person") == ["庄子浩之", "(35)", "玲奈", "(6つ)"], lint(text)


@pytest.mark.parametrize("text", [
    "徳島板野署の板野庁舎に移す。",  # the police's own building
    "報道陣に公開された福岡県警の篠栗合同庁舎。",
    "四国管区機動隊(徳島市)を移す。",  # a police unit, no place
    "下関校下安全パトロール隊",  # 校下: a school district
    "天正寺地域安全パトロール隊",  # a patrol group named by its district
    "男から「返還金をお渡ししたい」銀行ATMへ出向き",  # a quoted sentence, then a bank
])
def test_round38_no_facility(text):
    assert _texts(text, "facility") == [], lint(text)


def test_a_route_number_before_zoi_is_no_room():
    assert _texts("地下道路(112号沿いの所)で", "exact_address") == []
    assert _texts("コーポ本町503号に住む", "exact_address") == ["503号"]


def test_a_body_named_with_kai_is_no_person_but_a_title_is():
    assert _texts("大蔵住宅自治会、大蔵本村睦会、岡本自治会", "person") == []
    assert _texts("齋藤秀幸会津若松警察署長立会いの下", "person") == ["齋藤秀幸"]
