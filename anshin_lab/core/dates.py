"""Dates as police exports write them: ISO text, Excel cells and 和暦.

``parse_occurred_at`` returns a timezone-aware ``pandas.Timestamp`` in
Asia/Tokyo, or raises ``ValueError`` with a Japanese sentence saying why.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from zoneinfo import ZoneInfo

import pandas as pd

from anshin_lab.core.numerals import NUMBER_PATTERN, to_int

TOKYO = ZoneInfo("Asia/Tokyo")

# Era name -> (first day, last day or None). Year 1 of an era starts on its first day.
ERAS = {
    "令和": (dt.date(2019, 5, 1), None),
    "平成": (dt.date(1989, 1, 8), dt.date(2019, 4, 30)),
    "昭和": (dt.date(1926, 12, 25), dt.date(1989, 1, 7)),
}
_ERA_LETTERS = {"R": "令和", "H": "平成", "S": "昭和"}
WEEKDAYS = "月火水木金土日"

_N = NUMBER_PATTERN
_WAREKI_RE = re.compile(
    rf"^(?P<era>令和|平成|昭和|[RHS])\s*(?P<year>元|{_N})\s*[年./-]\s*(?P<month>{_N})\s*[月./-]\s*"
    rf"(?P<day>{_N})\s*日?\s*(?:[(（](?P<weekday>[月火水木金土日])(?:曜日?)?[)）])?\s*(?P<time>.*)$"
)
_SEIREKI_RE = re.compile(
    rf"^(?P<year>\d{{4}}|{_N})\s*[年./-]\s*(?P<month>{_N})\s*[月./-]\s*(?P<day>{_N})\s*日?\s*"
    rf"(?:[(（](?P<weekday>[月火水木金土日])(?:曜日?)?[)）])?\s*(?P<time>.*)$"
)
_TIME_RE = re.compile(
    rf"^(?:T|\s)*(?P<ampm>午前|午後|AM|PM|am|pm)?\s*(?:(?P<noon>正午)|(?P<hour>{_N})\s*(?:時|:)\s*"
    rf"(?:(?P<half>半)|(?P<minute>{_N})\s*分?)?(?:\s*:\s*(?P<second>\d{{1,2}})(?:\.\d+)?\s*秒?)?)\s*"
    rf"(?:頃|ごろ|ころ|位|くらい)?\s*(?P<tz>Z|[+-]\d{{2}}:?\d{{2}})?$"
)


class DateTextError(ValueError):
    """Text that is not a date: the text as written and why, so a caller can word the sentence for its reader."""

    def __init__(self, text: str, why: str):
        super().__init__(text, why)  # both in args, so the error pickles
        self.text, self.why = text, why

    def __str__(self) -> str:
        return f"「{self.text}」を日時として読めません({self.why})"


def _fail(text: str, why: str) -> ValueError:
    return DateTextError(text, why)


def _parse_time(original: str, text: str) -> tuple[int, int, int, str | None]:
    text = text.strip()
    if not text:
        return 0, 0, 0, None
    m = _TIME_RE.match(text)
    if not m:
        raise _fail(original, f"時刻「{text}」の形が不明です")
    if m["noon"]:
        return 12, 0, 0, m["tz"]
    hour = to_int(m["hour"])
    minute = 30 if m["half"] else (to_int(m["minute"]) if m["minute"] else 0)
    second = int(m["second"]) if m["second"] else 0
    ampm = m["ampm"]
    if ampm:
        if hour > 12:
            raise _fail(original, f"{ampm}{hour}時はありません")
        if ampm in ("午後", "PM", "pm") and hour < 12:
            hour += 12
        elif ampm in ("午前", "AM", "am") and hour == 12:
            hour = 0
    if hour > 23 or minute > 59 or second > 59:
        raise _fail(original, "時刻の範囲外です")
    return hour, minute, second, m["tz"]


def _era_year(original: str, era: str, year_text: str, month: int, day: int) -> int:
    start, end = ERAS[era]
    year = 1 if year_text == "元" else to_int(year_text)
    if year < 1:
        raise _fail(original, f"{era}{year}年はありません")
    western = start.year + year - 1
    try:
        date = dt.date(western, month, day)
    except ValueError as exc:
        raise _fail(original, f"{month}月{day}日は存在しない日付です") from exc
    if date < start or (end is not None and date > end):
        raise _fail(original, f"{era}の期間外の日付です")
    return western


def _build(original, year, month, day, weekday, time_text) -> pd.Timestamp:
    try:
        date = dt.date(year, month, day)
    except ValueError as exc:
        raise _fail(original, f"{year}年{month}月{day}日は存在しない日付です") from exc
    if weekday and WEEKDAYS[date.weekday()] != weekday:
        raise _fail(original, f"曜日({weekday})が日付({date.isoformat()}は{WEEKDAYS[date.weekday()]}曜日)と合いません")
    hour, minute, second, tz = _parse_time(original, time_text)
    stamp = pd.Timestamp(dt.datetime(year, month, day, hour, minute, second))
    if tz:
        return stamp.tz_localize(_offset(tz)).tz_convert(TOKYO)
    return stamp.tz_localize(TOKYO)


def _offset(tz: str) -> dt.timezone:
    if tz == "Z":
        return dt.timezone.utc
    sign = 1 if tz[0] == "+" else -1
    digits = tz[1:].replace(":", "")
    return dt.timezone(sign * dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def parse_occurred_at(value) -> pd.Timestamp:
    """An aware Asia/Tokyo timestamp from ISO, ``YYYY/MM/DD HH:MM``, 和暦 or an Excel cell.

    Examples: ``"2024-04-15 16:10"``, ``"令和6年4月15日(月)午後4時10分頃"``,
    ``"R6.4.15 16:10"``, ``"令和六年四月十五日午後四時十分"``. Naive values are
    taken as Japan time. Raises ``ValueError`` (in Japanese) for empty text, an
    impossible date or time, a weekday that does not match the date, or a date
    outside its era.
    """
    if isinstance(value, pd.Timestamp) or isinstance(value, dt.datetime):
        stamp = pd.Timestamp(value)
        return stamp.tz_localize(TOKYO) if stamp.tzinfo is None else stamp.tz_convert(TOKYO)
    if isinstance(value, dt.date):
        return pd.Timestamp(dt.datetime(value.year, value.month, value.day)).tz_localize(TOKYO)
    original = "" if value is None else str(value)
    text = unicodedata.normalize("NFKC", original).strip()
    if not text:
        raise ValueError("日時が空です")
    m = _WAREKI_RE.match(text)
    if m:
        era = _ERA_LETTERS.get(m["era"], m["era"])
        month, day = to_int(m["month"]), to_int(m["day"])
        year = _era_year(original, era, m["year"], month, day)
        return _build(original, year, month, day, m["weekday"], m["time"])
    m = _SEIREKI_RE.match(text)
    if m:
        return _build(original, to_int(m["year"]), to_int(m["month"]), to_int(m["day"]), m["weekday"], m["time"])
    raise _fail(original, "西暦(2024-04-15 16:10)か和暦(令和6年4月15日午後4時10分)で書いてください")


def format_wareki(stamp: pd.Timestamp, *, weekday: bool = True, approx: bool = True) -> str:
    """``令和6年4月15日(月)午後4時10分頃``: the way police exports write a time."""
    stamp = pd.Timestamp(stamp)
    stamp = stamp.tz_convert(TOKYO) if stamp.tzinfo else stamp
    date = stamp.date()
    for era, (start, end) in ERAS.items():
        if date >= start and (end is None or date <= end):
            year = date.year - start.year + 1
            break
    else:
        raise ValueError(f"{date} is before 昭和")
    year_text = "元" if year == 1 else str(year)
    wd = f"({WEEKDAYS[date.weekday()]})" if weekday else ""
    ampm = "午前" if stamp.hour < 12 else "午後"
    hour12 = stamp.hour if stamp.hour <= 12 else stamp.hour - 12
    if stamp.hour == 12:
        ampm = "午後"
    minute = f"{stamp.minute}分" if stamp.minute else ""
    return f"{era}{year_text}年{date.month}月{date.day}日{wd}{ampm}{hour12}時{minute}{'頃' if approx else ''}"


# 11-01-2026 or 1/11/2026: month-day or day-month? Typed text in that order is refused, never guessed.
_DAY_MONTH_FIRST_RE = re.compile(r"^\d{1,2}\s*[./-]\s*\d{1,2}\s*[./-]\s*\d{4}\b")
TYPED_EXAMPLES = "2026-11-01、2026-11-01T09:00、令和8年11月1日、R8.11.1"


def parse_typed_date(text: str, *, with_time: bool = True) -> pd.Timestamp:
    """An aware Asia/Tokyo timestamp from a date a person typed: ISO (``2026-11-01``, ``2026-11-01T09:00``) or 和暦.

    Stricter than ``parse_occurred_at``, because a person at a prompt can be
    asked again while an export cannot: a western year has four digits, an
    order such as ``11-01-2026`` (November 1st or January 11th?) is refused
    rather than guessed, and with ``with_time=False`` a time of day is refused.
    Raises ``DateTextError`` (a ``ValueError``) whose ``why`` says what to write.
    """
    original = "" if text is None else str(text)
    normal = unicodedata.normalize("NFKC", original).strip()
    if not normal:
        raise DateTextError(original, "日付が空です")
    if _DAY_MONTH_FIRST_RE.match(normal):
        raise DateTextError(original, "月と日のどちらが先か決まりません。2026-11-01 のように年・月・日の順で書いてください")
    wareki = _WAREKI_RE.match(normal)
    seireki = None if wareki else _SEIREKI_RE.match(normal)
    if not (wareki or seireki):
        raise DateTextError(original, f"{TYPED_EXAMPLES} のように書いてください")
    if seireki and len(seireki["year"]) != 4:
        raise DateTextError(original, "西暦は4桁で書いてください。例: 2026-11-01")
    if not with_time and (wareki or seireki)["time"].strip():
        raise DateTextError(original, "時刻は付けずに日付だけを書いてください。例: 2026-11-01")
    return parse_occurred_at(original)
