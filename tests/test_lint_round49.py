"""Round 49 of issue 14 (from heldout48a/48b's misses): a phone and its extension in brackets, an e-mail address with
_atmark_, a barber's, the Tokyo police's head, a person named before his own firm in brackets; no person in 日本代表,
a school district or a body's reading; no place in an award's quoted name, a group named after its town, or a body
with an NPO's legal form. The names here are written for these tests."""

from __future__ import annotations

import pytest

from anshin_lab.privacy.lint import lint


def _texts(text: str, kind: str) -> list[str]:
    return [f.text for f in lint(text) if f.kind == kind]


@pytest.mark.parametrize(("text", "phone"), [
    ("電話:0269-22-2111(238)", "0269-22-2111"),
    ("TEL 099-222-1234 (15)", "099-222-1234"),
])
def test_a_phone_and_its_extension(text, phone):
    assert _texts(text, "phone") == [phone], lint(text)


def test_a_police_number_and_its_extension_is_the_police_contact():
    assert _texts(text := "鹿児島中央警察署 099-222-0110(2)", "phone") == [], lint(text)


@pytest.mark.parametrize("text", [
    "送信元のアドレス(info_atmark_example.go.jp)から",
    "kouhou(atmark)city.example.jp へ",
])
def test_an_email_address_written_against_spam(text):
    assert len(_texts(text, "email")) == 1, lint(text)


def test_a_barbers():
    assert _texts(text := "小学校に近いバロン理容室では", "facility") == ["バロン理容室"], lint(text)
    assert _texts(text := "近くの美容室で", "facility") == [], lint(text)


def test_the_tokyo_police_head():
    assert _texts(text := "緒方警視総監による始球式が行われ", "person") == ["緒方"], lint(text)


def test_a_person_before_his_own_firm_in_brackets():
    text = "▽個人=川口浩一(川口外科理事長)山田学(山田外科内科院長)"
    assert _texts(text, "person") == ["川口浩一", "山田学"], lint(text)
    assert _texts(text, "facility") == ["川口外科", "山田外科内科"], lint(text)
    assert _texts(text := "浜田港運(須賀孝社長)", "facility") == ["浜田港運"], lint(text)


@pytest.mark.parametrize("text", [
    "長年日本代表の守護神として活躍している。",
    "今年は、旭操学区が担当して、",
    "伊仙町の伊仙蒼海会(そううんかい)会長が表彰された。",
])
def test_round49_no_person(text):
    assert _texts(text, "person") == [], lint(text)


@pytest.mark.parametrize("text", [
    "宮城「県民の警察官」表彰式",
    "平成27年10月に西高宮安全安心ジュニア隊は発足。",
    "パトランは、認定NPO法人改革プロジェクトが2012年に活動を始めた。",
])
def test_round49_no_facility(text):
    assert _texts(text, "facility") == [], lint(text)
