"""Round 36 of issue 14 (from heldout35a/35b's misses): a temple before its head priest's title; no place in a police
分署, an area under a station or a list read as one name; no person in 「…の皆さん」 or a town cut as 姓 and a
direction. The names here are written for these tests."""

from __future__ import annotations

import pytest

from anshin_lab.privacy.lint import lint


def _texts(text: str, kind: str) -> list[str]:
    return [f.text for f in lint(text) if f.kind == kind]


@pytest.mark.parametrize(("text", "temple"), [
    ("法隆寺管長や関係団体のみなさんを迎え、開所式を開いた。", "法隆寺"),
    ("式には光明院住職も出席した。", "光明院"),
])
def test_a_temple_before_its_head_priests_title_is_named(text, temple):
    assert temple in _texts(text, "facility"), lint(text)


@pytest.mark.parametrize("text", [
    "明治15年7月 米原村に米原分署を設置",  # a police branch of old
    "大月警察署管内アパート等防犯協力会",  # an area under a station
    "準備をされていた大阪府警はじめ市役所危機管理職員の皆様、お疲れ様でした。",  # a list read as one name
])
def test_round36_no_facility(text):
    assert _texts(text, "facility") == [], lint(text)


def test_only_a_police_branch_is_exempt_not_a_fire_stations():
    from anshin_lab.privacy.lint.claims import exempt
    from anshin_lab.privacy.lint.lexicon import load_lexicon

    lex = load_lexicon()
    police, fire = "米原村に米原分署を設置", "国分消防分署に通報"
    assert exempt(police, 4, 8, lex, "公共施設")
    assert not exempt(fire, 0, 6, lex, "公共施設")


@pytest.mark.parametrize("text", [
    "写真:石川町会の皆さん",
    "その方は、中ノ目南旧飯豊分署付近の道路で子ども達を見守っている。",
])
def test_round36_no_person(text):
    assert _texts(text, "person") == [], lint(text)


def test_a_direction_after_a_family_name_with_a_title_is_still_a_given_name():
    assert _texts("山田南さんが見守り活動に参加した。", "person") == ["山田南"]
