"""Round 25 of issue 14 (from heldout24a/24b's misses): heads named with the place they head, a quoted partner of a
signing, a firm's capitals before its bracketed name, a writer's Latin initials; and what is no place or no name: a
caller's self-introduction on a call, a player's home town, the schools of a city, a headline's place tag. The names
here are written for these tests."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from anshin_lab.privacy.lint import lint


def _found(text: str, kind: str) -> list[str]:
    return [f.text for f in lint(text) if f.kind == kind]


@pytest.mark.parametrize("text, names", [
    ("有村・霧島市長や今吉・姶良市長はともに謝意を表した。", ["有村", "今吉"]),
    ("左から、上田鹿児島県知事・鈴木鹿児島県警察本部長", ["上田", "鈴木"]),
    ("表彰 平野警察本部長から伝達", ["平野"]),
    ("来賓の上田清司埼玉県知事があいさつした。", ["上田清司"]),
    ("協定には川畑霧島市長が出席した。", ["川畑"]),
    ("【A.Yagisawa】", ["A.Yagisawa"]),
])
def test_round25_persons(text, names):
    assert _found(text, "person") == names, lint(text)


@pytest.mark.parametrize("text", [
    "狭山・入間市長が出席した。",        # two mayors, no name
    "前鹿児島県知事の話を聞いた。",
    "鹿児島県警察本部長が訓示した。",
    "大阪府警察本部長が出席した。",
    "霧島市長があいさつした。",
    "全国市長会で報告した。",
    "地元・今治市出身の近藤選手が一日署長を務めた。",  # (the player is no school; his name is found as a person)
])
def test_round25_no_head_or_school_where_none_is_named(text):
    assert [f for f in lint(text) if f.kind == "facility" or f.text in ("狭山", "前", "鹿児島", "大阪", "霧島")] == [], lint(text)


def test_a_name_read_on_into_the_place_gives_way_to_the_name():
    assert _found("協定には仲川狭山市長が出席した。", "person") == ["仲川"]


@pytest.mark.parametrize("text, name", [
    ("15日は冠婚葬祭事業を展開している「ラック」との締結式が行われた。", "ラック"),
    ("また、NCV(株式会社ニューメディア)が提供するサービスが注目されています。", "NCV"),
])
def test_round25_facilities(text, name):
    assert name in _found(text, "facility"), lint(text)


@pytest.mark.parametrize("text", [
    "「防犯」との締結式が行われた。",                  # a quoted common word in kanji is no firm
    "開所式では、同市内小学校の6年生児童らから花束が贈られた。",
    "署員や防犯ボランティアら地域パトロール 愛南",
    "音声は6日、企業の固定電話にかかってきたもので、「こちらはNTTドコモです。利用が停止されます」と流れる。",
])
def test_round25_no_facility(text):
    assert _found(text, "facility") == [], lint(text)


def test_a_towns_broadcast_names_its_own_office():
    """No call or message is said before the quote: the office introduces itself, and it is a place."""
    assert _found("放送内容:(例)「こちらは杉並区役所です。警察署からのお願いです。」", "facility") == ["杉並区役所"]


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(["田中", "川畑", "有村", "上田", "鈴木", "山下"]),
       st.sampled_from(["鹿児島県知事", "埼玉県知事", "福岡県警察本部長", "霧島市長", "姶良市長", "指宿市長"]),
       st.sampled_from(["は", "が", "と", "(中央)", "・"]))
def test_a_family_name_before_a_place_and_its_head_is_withheld(name, head, after):
    text = f"式典では{name}{head}{after}"
    assert name in _found(text, "person"), lint(text)
