"""Round 48 of issue 14 (from heldout47a/47b's misses): a guest head of a station for a day, a one-kanji family name
before the city its holder heads, a university SudachiPy reads as one word before a professor's name, a hiragana name
after its owner (県立, 市立), a police station's number in a table spaced out letter by letter; no place in a town's
ward named like a temple, a residents' body named after its estate, or a building's entrance. The names here are
written for these tests."""

from __future__ import annotations

import pytest

from anshin_lab.privacy.lint import lint


def _texts(text: str, kind: str) -> list[str]:
    return [f.text for f in lint(text) if f.kind == kind]


@pytest.mark.parametrize(("text", "names"), [
    ("出動式では、梶原一日警察署長が出発を宣言した。", ["梶原"]),
    ("高橋一日署長がパトカーに乗り込んだ。", ["高橋"]),
    ("女優の一日署長が防犯を呼びかけた。", []),
])
def test_a_guest_head_for_a_day(text, names):
    assert _texts(text, "person") == names, lint(text)


@pytest.mark.parametrize(("text", "names"), [
    ("式は郡仙台市長のあいさつから始まった。", ["郡"]),
    ("郡市長会の会合があった。", []),  # a council of district and city heads
    ("都知事のあいさつがあった。", []),
])
def test_a_one_kanji_family_name_before_the_city_he_heads(text, names):
    assert _texts(text, "person") == names, lint(text)


@pytest.mark.parametrize(("text", "place", "name"), [
    ("講師は立正大学小宮教授が務めた。", "立正大学", "小宮"),
    ("鹿児島大学山田准教授が講演した。", "鹿児島大学", "山田"),
])
def test_a_university_read_as_one_word_before_a_professor(text, place, name):
    assert _texts(text, "facility") == [place], lint(text)
    assert _texts(text, "person") == [name], lint(text)


@pytest.mark.parametrize(("text", "place"), [
    ("松山南署は砥部町の県立とべ動物園で来園者に防犯を呼び掛けた。", "県立とべ動物園"),
    ("市立あおば小学校の児童が参加した。", "市立あおば小学校"),
])
def test_a_hiragana_name_after_its_owner(text, place):
    assert _texts(text, "facility") == [place], lint(text)


def test_a_police_number_in_a_spaced_table_is_the_police_contact():
    assert _texts(text := "葛 西 警 察 署 03-3687-0110", "phone") == [], lint(text)
    assert _texts(text := "葛 西 税 務 署 03-3687-0110", "phone") == ["03-3687-0110"], lint(text)


@pytest.mark.parametrize("text", [
    "活動範囲は、駅周辺である高蔵寺区の約3500世帯である。",
    "上須戸ハイツ自治会は、平成3年から防犯活動を開始しています。",
    "●平井ふれあい道路駐輪場運営委員会",
    "出動式が5日、公園のエントランス広場であり",
])
def test_round48_no_facility(text):
    assert _texts(text, "facility") == [], lint(text)


def test_a_schools_committee_still_names_the_school():
    assert _texts(text := "山下小学校運営委員会が開かれた。", "facility") == ["山下小学校"], lint(text)

