"""Round 24 of issue 14 (from heldout23a/23b's misses): child welfare homes and centres, a city's theatre and chamber
of commerce, places listed with their address, a phone before a count of hours, two who introduce themselves; and what
is no place: a headline's words side by side, a nationality before 女子大生, a volunteer group the learned detector
read. The names here are written for these tests."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from anshin_lab.privacy.lint import lint


def _found(text: str, kind: str) -> list[str]:
    return [f.text for f in lint(text) if f.kind == kind]


@pytest.mark.parametrize("text, name", [
    ("問合せ:霧島市第二児童相談所(国分地区にお住まいの方)", "霧島市第二児童相談所"),
    ("光明会乳児院 西京区大原野上羽町31/TEL:331-0001", "光明会乳児院"),
    ("表彰式が鹿児島市の鹿屋劇場で行われた。", "鹿屋劇場"),
    ("5月11日、鹿屋商工会議所において総会が開かれました。", "鹿屋商工会議所"),
    ("聖母愛育会 北区紫野東野町12/TEL:491-0001", "聖母愛育会"),
    ("1 ひかり学園 鹿児島市紫原3丁目12番5号", "ひかり学園"),
    ("いちき串木野市ひばりが丘のパーク店付近で", "パーク店"),  # a property of test_lint drew it in CI
])
def test_round24_facilities(text, name):
    assert name in _found(text, "facility")


def test_two_who_introduce_themselves_are_both_found():
    assert _found("私たちは霧島市の危機管理課の今吉、そして有村と申します。", "person") == ["今吉", "有村"]


@pytest.mark.parametrize("text, phone", [
    ("相談でんわ 099-833-3000 24時間対応(年末年始を除く)", "099-833-3000"),
    ("電話 0995-45-1234 3件まで受付", "0995-45-1234"),
])
def test_a_phone_before_a_count_is_still_a_phone(text, phone):
    assert _found(text, "phone") == [phone]


@pytest.mark.parametrize("text", [
    "詐欺複数阻止に感謝状 銀行など県内36団体",
    "観光客の台湾人女子大生殺人事件が起きた。",
    "受賞された「青塚成志会みまもり隊」「中野区南町自警団」が紹介しました。",
    "児童相談所に通告した。",
    "商工会議所の会頭が出席した。",
    "住所 鹿児島市鴨池新町10番1号",
])
def test_round24_no_facility(text):
    assert _found(text, "facility") == [], lint(text)


def test_a_bank_split_by_a_space_is_still_one():
    assert _found("鹿児島 銀行の前で", "facility") == ["鹿児島 銀行"]


@settings(max_examples=40, deadline=None)
@given(st.from_regex(r"0[1-9][0-9]{2}-[0-9]{2}-[0-9]{4}", fullmatch=True), st.integers(1, 99),
       st.sampled_from(["時間対応", "件", "人", "回", "日間"]))
def test_a_phone_then_a_space_and_a_count_is_the_phone_alone(number, count, unit):
    assert _found(f"電話 {number} {count}{unit}", "phone") == [number]
