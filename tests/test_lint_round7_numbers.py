"""Round 7 of issue 14, phones and addresses: shapes, not sentences of the corpus.

Every sentence and name here is written for the test: each test states one class of shape
(a separator a page lost, a local number in brackets, the police rule, a 〒 code, a 字 after a
town the postal data lacks, a 条 of a grid town, a compatibility kanji) and varies its parts.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from anshin_lab.privacy.lint import lint
from anshin_lab.privacy.lint.phones import is_police_number

_SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _kinds(text: str, kind: str) -> list[str]:
    return [f.text for f in lint(text) if f.kind == kind]


def _phone_covers(text: str, number: str) -> bool:
    at = text.index(number)
    return any(f.kind == "phone" and f.start <= at and at + len(number) <= f.end for f in lint(text))


# --- separators -------------------------------------------------------------------------------

@_SETTINGS
@given(st.sampled_from(["?", "？", "\ufffd", "─", "━", "―", "‐", "ｰ"]),
       st.sampled_from(["0120", "0800"]), st.integers(100, 999), st.integers(100, 999),
       st.sampled_from(["お問い合わせは{n}まで。", "受付窓口({n})をご利用ください。", "無料相談 {n} へ"]))
def test_a_free_dial_number_with_any_dash_is_a_phone(dash, prefix, middle, last, template):
    number = f"{prefix}{dash}{middle}{dash}{last}"
    assert _phone_covers(template.format(n=number), number)


@_SETTINGS
@given(st.sampled_from(["?", "\ufffd", "─"]), st.sampled_from(["0986", "0299", "0466"]),
       st.integers(10, 99), st.integers(1000, 9999))
def test_a_fixed_number_whose_dash_was_lost_is_a_phone(dash, area, middle, last):
    number = f"{area}{dash}{middle}{dash}{last}"
    assert _phone_covers(f"詳しくは町民課{number}へ。", number)


def test_a_question_mark_between_words_is_no_phone():
    assert _kinds("今日は何日?12日です。どうする?1000円なら払う?", "phone") == []


# --- local numbers ----------------------------------------------------------------------------

@_SETTINGS
@given(st.sampled_from(["電話", "TEL", "☎", "問合せ"]), st.sampled_from(["(", "（"]),
       st.integers(10, 9999), st.integers(0, 9999))
def test_a_local_number_with_its_exchange_in_brackets_after_a_phone_word_is_a_phone(word, bracket, exchange, line):
    close = ")" if bracket == "(" else "）"
    number = f"{bracket}{exchange}{close}{line:04d}"
    assert _phone_covers(f"{word}{number}", number)


@_SETTINGS
@given(st.sampled_from(["北浦市消費生活センター", "南川町役場", "東野村役場住民課", "青葉市民相談室",
                        "県暮らしの相談窓口", "西山市社会福祉協議会本部"]),
       st.integers(10, 999), st.integers(0, 9999))
def test_a_local_number_in_brackets_after_an_office_is_a_phone(office, exchange, line):
    number = f"{exchange}-{line:04d}"
    assert _phone_covers(f"・{office}({number})", number)


@pytest.mark.parametrize("text", [
    "郷土資料館(1950-1999)の収蔵品",
    "市民センター(2019-2023)の改修",
    "記録(12-3456)を確認した。",  # no office, no phone word: a local shape alone may be anything
])
def test_year_ranges_and_bare_local_shapes_are_no_phone(text):
    assert _kinds(text, "phone") == []


# --- postal codes -----------------------------------------------------------------------------

@_SETTINGS
@given(st.integers(100, 999), st.integers(0, 9999), st.sampled_from(["〒", "〒 ", "郵便番号", "郵便番号:"]),
       st.sampled_from(["相談窓口:", "お問い合わせ先 ", "連絡先:"]))
def test_a_postal_code_is_no_phone(first, second, mark, label):
    assert _kinds(f"{label}{mark}{first}-{second:04d} 北浦市本町1丁目", "phone") == []


# --- the police rule --------------------------------------------------------------------------

@_SETTINGS
@given(st.sampled_from(["北浦警察署", "南川署", "東野警察署生活安全課", "西山交番"]),
       st.sampled_from([":", "：", " ", "(", " 電話:", "【電話】", " TEL "]),
       st.sampled_from(["0977-12-", "045-321-", "03-3456-"]))
def test_a_number_ending_in_0110_right_after_a_station_is_its_contact(station, between, head):
    number = f"{head}0110"
    assert not is_police_number(number.replace("-", ""))
    assert _kinds(f"{station}{between}{number}", "phone") == []


@_SETTINGS
@given(st.sampled_from(["警察安全相談電話", "県警察相談ダイヤル", "警察相談専用電話", "北浦警察署 相談専用"]),
       st.sampled_from(["0977-12-9110", "045-321-9110", "(34-9110)", " 56-9110"]))
def test_a_consultation_line_ending_in_9110_outside_the_table_is_a_phone(desk, number):
    digits = number.strip(" ()")
    assert _phone_covers(f"{desk}{number}へ", digits)


@pytest.mark.parametrize("text,number", [
    ("南川税務署:0977-12-0110", "0977-12-0110"),  # a 署 that is not the police
    ("北浦警察署:090-1234-0110", "090-1234-0110"),  # never a mobile
    ("北浦警察署 0120-12-0110", "0120-12-0110"),  # never a free dial
])
def test_what_looks_like_a_station_number_but_is_not(text, number):
    assert _phone_covers(text, number)


def test_the_consultation_short_number_is_no_phone():
    assert _kinds("急がない相談は#9110へ。", "phone") == []


# --- addresses --------------------------------------------------------------------------------

@_SETTINGS
@given(st.sampled_from(["東吉野村", "美里町", "大台町"]), st.sampled_from(["杣平", "奥ヶ谷", "鳴滝"]),
       st.sampled_from(["北谷", "宮ノ前", "大坪"]), st.integers(1, 2999), st.sampled_from(["番地", "番地先", "番地の2"]))
def test_a_lot_after_a_aza_after_an_unlisted_town_is_one_exact_address(city, town, aza, lot, tail):
    text = f"昨夜、{city}{town}字{aza}{lot}{tail}路上で声をかけられた。"
    found = [f for f in lint(text) if f.kind == "exact_address"]
    assert found, text
    assert found[0].text.startswith(city) and f"{lot}番地" in found[0].text
    assert not [f for f in lint(text) if f.kind == "facility"]


@_SETTINGS
@given(st.sampled_from(["札幌市東区本町", "札幌市白石区菊水", "旭川市春光", "札幌市北区北"]),
       st.integers(1, 24), st.sampled_from(["", "東", "西"]), st.integers(1, 9))
def test_a_grid_town_at_its_chome_is_no_exact_address(town, jo, side, chome):
    assert _kinds(f"{town}{jo}条{side}{chome}丁目に住む会社員の男", "exact_address") == []


@_SETTINGS
@given(st.sampled_from(["札幌市中央区南", "札幌市北区北", "旭川市春光"]), st.integers(1, 24),
       st.sampled_from(["東", "西"]), st.integers(1, 9), st.integers(1, 40))
def test_a_grid_town_with_its_lot_is_an_exact_address_whose_suggestion_keeps_the_jo(town, jo, side, chome, lot):
    text = f"{town}{jo}条{side}{chome}丁目{lot}番地の住宅で"
    found = [f for f in lint(text) if f.kind == "exact_address"]
    assert found and found[0].suggestion.endswith(f"{jo}条{side}{chome}丁目"), (text, found)


# --- compatibility kanji ----------------------------------------------------------------------

@pytest.mark.parametrize("before,after", [("昨日、北浦", "社の境内で"), ("南川", "社の鳥居の前で")])
def test_a_compatibility_kanji_reads_as_its_unified_kanji_and_keeps_offsets(before, after):
    text = f"{before}\ufa19{after}"  # 神 written as the compatibility ideograph U+FA19
    name = text[text.index("\ufa19") - 2:text.index("\ufa19") + 2]
    found = [f for f in lint(text) if f.kind == "facility"]
    assert found and found[0].text == name and text[found[0].start:found[0].end] == name
