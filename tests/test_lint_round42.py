"""Round 42 of issue 14 (from heldout41a/41b's misses): a phone after a lot's number and spaces, a post office's
staff after a name SudachiPy cuts into single kanji, a one-kanji head of a station, a clerk and a team leader, a
name glued before the school he heads, the schools of a 小・中学区 and a one-kanji prefix of a school's name; no
place in made-up names listed before 名称, a crime group, a gang after 暴力団, a meeting or a train line the learned
detector read, a firm's sports club; no person in a paper's edition. The names here are written for these tests."""

from __future__ import annotations

import pytest

from anshin_lab.privacy.lint import lint


def _texts(text: str, kind: str) -> list[str]:
    return [f.text for f in lint(text) if f.kind == kind]


@pytest.mark.parametrize("text", [
    "松江市殿町2−19      0852−21−4471",  # a lot's number, spaces, then the phone
    "受付 9 時から 099-226-3391",
])
def test_a_phone_after_a_number_and_spaces_is_found(text):
    assert len(_texts(text, "phone")) == 1, lint(text)


def test_a_year_and_digits_with_no_zero_after_a_space_are_no_phone():
    assert _texts(text := "1 2 3 4 5 6 7 8 9 0", "phone") == [], lint(text)


@pytest.mark.parametrize(("text", "names"), [
    ("星署長は「被害を防いでいただき感謝する」とあいさつした。", ["星"]),
    ("坂下課長、浦上副主幹、石井リーダー、柏市防犯協会北原事務員", ["坂下", "浦上", "石井", "北原"]),
    ("同席の高橋荒牧小学校長先生からお礼の挨拶があった。", ["高橋"]),
])
def test_round42_person(text, names):
    assert _texts(text, "person") == names, lint(text)


@pytest.mark.parametrize("text", ["燕署長", "港署長", "本署長", "前署長"])
def test_a_station_named_after_its_town_and_a_title_lead_are_no_head_name(text):
    assert _texts(text, "person") == [], lint(text)


def test_a_name_before_a_university_short_name_and_another_title_stays_whole():
    text = "(教育推進部・矢吹明大トレーナー)"
    assert _texts(text, "person") == ["矢吹明大"], lint(text)


@pytest.mark.parametrize(("text", "places"), [
    ("西彼町の亀岳郵便局員2人に感謝状", ["亀岳郵便局"]),
    ("同席の高橋荒牧小学校長先生からお礼の挨拶があった。", ["荒牧小学校"]),
    ("富士根南小・中学区で活動してきた会は、今年から大富士小・中学区でも活動を始めた。", ["富士根南小", "大富士小"]),
    ("大富士小の児童", ["大富士小"]),
])
def test_round42_facility(text, places):
    assert _texts(text, "facility") == places, lint(text)


@pytest.mark.parametrize("text", [
    "「日本債権回収株式会社」「TSB債権管理回収株式会社」といった実在する会社に類似した名称を名乗り",
    "いわゆるトクリュウ犯罪グループの解体に力を入れる。",
    "指定暴力団山口組の組員を逮捕した。",
    "アジア太平洋経済協力会議(APEC)の警備にあたった。",
    "つくばエクスプレス(TX)沿線のマンションを回る。",
    "キャンペーンに参加した広島ガス バドミントン部の選手は話した。",
    "地方銀行員",
    "市内郵便局員",
])
def test_round42_no_facility(text):
    assert _texts(text, "facility") == [], lint(text)


def test_a_school_club_still_names_its_school():
    assert _texts(text := "鶴丸高校 陸上部の生徒", "facility") == ["鶴丸高校"], lint(text)


@pytest.mark.parametrize("text", ["(会津版)", "(電子版)"])
def test_a_papers_edition_is_no_byline(text):
    assert _texts(text, "person") == [], lint(text)


def test_a_byline_still_is_one():
    assert _texts(text := "…と話した。(西村)", "person") == ["西村"], lint(text)
