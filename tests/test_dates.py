import datetime as dt
import pickle

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from anshin_lab.core.dates import TOKYO, WEEKDAYS, DateTextError, format_wareki, parse_occurred_at, parse_typed_date
from anshin_lab.core.numerals import to_int

from .strategies import numeral_styles, reiwa_datetimes, write_number


def tokyo(*args) -> pd.Timestamp:
    return pd.Timestamp(dt.datetime(*args)).tz_localize(TOKYO)


@pytest.mark.parametrize("text, expected", [
    ("令和6年4月15日(月)午後4時10分頃", tokyo(2024, 4, 15, 16, 10)),
    ("令和６年４月１５日（月）午後４時１０分ごろ", tokyo(2024, 4, 15, 16, 10)),
    ("令和六年四月十五日午後四時十分", tokyo(2024, 4, 15, 16, 10)),
    ("令和元年5月1日(水)午前0時", tokyo(2019, 5, 1, 0, 0)),
    ("平成31年4月30日正午", tokyo(2019, 4, 30, 12, 0)),
    ("令和6年4月15日午後4時半頃", tokyo(2024, 4, 15, 16, 30)),
    ("令和6年4月15日午前12時5分", tokyo(2024, 4, 15, 0, 5)),
    ("R6.4.15 16:10", tokyo(2024, 4, 15, 16, 10)),
    ("2024-04-15 16:10", tokyo(2024, 4, 15, 16, 10)),
    ("2024/4/15 16:10:30", tokyo(2024, 4, 15, 16, 10, 30)),
    ("2024-04-15T07:10:00Z", tokyo(2024, 4, 15, 16, 10)),
    ("2024-04-15T16:10:00+09:00", tokyo(2024, 4, 15, 16, 10)),
    ("2024年4月15日 16時10分", tokyo(2024, 4, 15, 16, 10)),
    ("令和6年4月15日", tokyo(2024, 4, 15)),
])
def test_parses_what_exports_write(text, expected):
    assert parse_occurred_at(text) == expected


def test_excel_cells_are_taken_as_japan_time():
    assert parse_occurred_at(dt.datetime(2024, 4, 15, 16, 10)) == tokyo(2024, 4, 15, 16, 10)
    assert parse_occurred_at(dt.date(2024, 4, 15)) == tokyo(2024, 4, 15)


@pytest.mark.parametrize("text, why", [
    ("令和6年13月1日", "存在しない日付"),
    ("令和6年2月30日", "存在しない日付"),
    ("令和1年4月1日", "令和の期間外"),
    ("平成32年1月1日", "平成の期間外"),
    ("令和6年4月15日(火)", "曜日"),
    ("2024-04-15 25:00", "時刻の範囲外"),
    ("令和6年4月15日午後13時", "午後13時"),
    ("昨日の夕方", "西暦"),
    ("", "空"),
])
def test_impossible_dates_say_why(text, why):
    with pytest.raises(ValueError, match=why):
        parse_occurred_at(text)


@given(reiwa_datetimes, numeral_styles, st.booleans(), st.booleans())
def test_wareki_round_trip(moment, style, weekday, approx):
    stamp = pd.Timestamp(moment).tz_localize(TOKYO)
    text = format_wareki(stamp, weekday=weekday, approx=approx)
    assert parse_occurred_at(text) == stamp
    # The same date written with other numerals reads the same.
    rewritten = "".join(write_number(int(ch), style) if ch.isdigit() else ch for ch in _split_numbers(text))
    assert parse_occurred_at(rewritten) == stamp


def _split_numbers(text: str) -> list[str]:
    import re
    return [part for part in re.split(r"(\d+)", text) if part]


@given(reiwa_datetimes)
def test_iso_round_trip(moment):
    stamp = pd.Timestamp(moment).tz_localize(TOKYO)
    assert parse_occurred_at(stamp.isoformat()) == stamp
    assert parse_occurred_at(stamp.strftime("%Y/%m/%d %H:%M")) == stamp


@given(reiwa_datetimes)
def test_wrong_weekday_is_rejected(moment):
    stamp = pd.Timestamp(moment).tz_localize(TOKYO)
    wrong = WEEKDAYS[(stamp.weekday() + 1) % 7]
    text = format_wareki(stamp).replace(f"({WEEKDAYS[stamp.weekday()]})", f"({wrong})")
    with pytest.raises(ValueError, match="曜日"):
        parse_occurred_at(text)


@pytest.mark.parametrize("text, value", [
    ("12", 12), ("１２", 12), ("十二", 12), ("二十", 20), ("百二十三", 123), ("二〇二四", 2024),
    ("千", 1000), ("三千五百", 3500), ("一万二千", 12000),
])
def test_kanji_numerals(text, value):
    assert to_int(text) == value


@given(st.integers(min_value=0, max_value=9999), numeral_styles)
def test_numerals_round_trip(n, style):
    assert to_int(write_number(n, style)) == n


@pytest.mark.parametrize("text, expected", [
    ("2026-11-01", tokyo(2026, 11, 1)),
    ("2026-11-01T09:00", tokyo(2026, 11, 1, 9, 0)),
    ("2026/11/1", tokyo(2026, 11, 1)),
    ("令和8年11月1日", tokyo(2026, 11, 1)),
    ("R8.11.1", tokyo(2026, 11, 1)),
    ("令和8年11月30日午前9時", tokyo(2026, 11, 30, 9, 0)),
    ("２０２６－１１－０１", tokyo(2026, 11, 1)),
])
def test_typed_dates_read_iso_and_wareki(text, expected):
    assert parse_typed_date(text) == expected


@pytest.mark.parametrize("text, why", [
    ("2026-13-01", "存在しない日付"),
    ("tomorrow", "令和8年11月1日"),
    ("11-01-2026", "月と日のどちらが先か決まりません"),  # November 1st or January 11th: refused, never guessed
    ("1/11/2026", "月と日のどちらが先か決まりません"),
    ("26-11-01", "西暦は4桁"),
    ("令和8年2月30日", "存在しない日付"),
    ("", "空"),
])
def test_typed_dates_refuse_what_they_cannot_read_unambiguously(text, why):
    with pytest.raises(DateTextError, match=why) as info:
        parse_typed_date(text)
    assert info.value.text == text and why in info.value.why


def test_a_day_option_refuses_a_time_of_day():
    assert parse_typed_date("令和8年11月1日", with_time=False) == tokyo(2026, 11, 1)
    with pytest.raises(DateTextError, match="日付だけ"):
        parse_typed_date("2026-11-01T09:00", with_time=False)


def test_date_errors_keep_their_message_and_pickle():
    with pytest.raises(ValueError) as info:
        parse_occurred_at("令和6年13月1日")
    assert str(info.value) == "「令和6年13月1日」を日時として読めません(13月1日は存在しない日付です)"
    copy = pickle.loads(pickle.dumps(info.value))
    assert str(copy) == str(info.value) and copy.why == info.value.why
