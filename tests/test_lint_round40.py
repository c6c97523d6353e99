"""Round 40 of issue 14 (from heldout39a/39b's misses): a governor whose family name the dictionary lacks, a station's
head with the station in brackets, names in a bracket of credits, national universities' short names; no person in a
group named with kana words, a service club, an address's 丁目 or a district's association; no place in a trade
before 店 or a misspelt drugstore. The names here are written for these tests."""

from __future__ import annotations

import pytest

from anshin_lab.privacy.lint import lint


def _texts(text: str, kind: str) -> list[str]:
    return [f.text for f in lint(text) if f.kind == kind]


@pytest.mark.parametrize(("text", "names"), [
    ("出発式では、湯﨑英彦県知事があいさつした。", ["湯﨑英彦"]),
    ("会所式には水嶋(岡山中央)警察署長をはじめ関係者が出席した。", ["水嶋"]),
    ("(文:小野田・写真:薄)", ["小野田", "薄"]),
])
def test_round40_person(text, names):
    assert _texts(text, "person") == names, lint(text)


@pytest.mark.parametrize("text", [
    "鹿児島県知事が出席した。",
    "歴代の県知事が出席した。",
    "(写真:本社)",
    "本郷こまわり隊は旧本郷町で結成された。",
    "岡崎葵ライオンズクラブから助成金の贈呈があった。",
    "富沢地域防犯協会員や指導隊員26名が参加した。",
])
def test_round40_no_person(text):
    assert _texts(text, "person") == [], lint(text)


def test_an_address_block_before_a_residents_body_is_no_name_but_its_head_is():
    assert _texts("佃三丁目町会長 櫻井さん(左)", "person") == ["櫻井"]


@pytest.mark.parametrize(("text", "place"), [
    ("この間、茨大への爆破予告があった。", "茨大"),
    ("信大の学生が参加した。", "信大"),
])
def test_round40_facility(text, place):
    assert _texts(text, "facility") == [place], lint(text)


@pytest.mark.parametrize("text", [
    "刑事部長が風俗営業店の状況を説明した。",
    "隊員がドラックストア等を巡回した。",
])
def test_round40_no_facility(text):
    assert _texts(text, "facility") == [], lint(text)


def test_a_named_shop_of_the_same_trade_stays():
    assert _texts("山田営業店で声をかけられた。", "facility") == ["山田営業店"]


def test_an_age_alone_is_the_rules_to_read_never_a_learned_name():
    from anshin_lab.privacy.lint.check import can_be_learned_name

    text = "山田さん(女性、45歳)が"
    at = text.index("45歳")
    assert not can_be_learned_name(text, at, at + 3, "person")
    assert can_be_learned_name(text, 0, 2, "person")
