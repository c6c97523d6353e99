"""Checking a table column by column: each distinct cell once, with the same functions as a row check.

A police export repeats most of its cells (分類, 管轄署, 場所属性, the dates of
a busy day), so a check that is a pure function of one cell is run once per
distinct value (:class:`Cells`) and spread to the rows by their codes
(``pandas.factorize``, in C). Screening a column for control characters and
over-long cells is one search of the column joined together
(:func:`screen_column`); only a column where that finds something is checked
cell by cell. Times as exports write them (「令和7年12月1日(月)午前8時35分頃」,
「2024-04-15 16:10」) are read without building a ``Timestamp`` per cell
(:func:`export_time_us`); every other spelling goes to
``core.dates.parse_occurred_at``. Nothing here decides a reason: a row that
fails anything is checked again by its kind's row check, which words it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Callable

import numpy as np
import pandas as pd

from anshin_lab.core.dates import ERAS, WEEKDAYS, parse_occurred_at
from anshin_lab.records.limits import cell_problem

# A cell value that a check refused (never a real value: compared with ``is``).
BAD = object()

# What can make a cell fail ``limits.cell_problem`` (a superset: a hit is checked cell by cell).
_MAY_FAIL_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_MAY_FAIL_MULTILINE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]|\r(?!\n)")
# Joins a column's cells for one search: matches neither pattern, and cannot make "\r" look like "\r\n".
_JOIN = " "

_EXPORT_WAREKI = re.compile(
    r"(令和|平成|昭和)(元|[0-9]{1,4})年([0-9]{1,2})月([0-9]{1,2})日(?:\(([月火水木金土日])\))?"
    r"(?:(午前|午後)?([0-9]{1,2})時(?:([0-9]{1,2})分)?(頃)?)?")
_EXPORT_ISO = re.compile(
    r"([0-9]{4})[-/.]([0-9]{1,2})[-/.]([0-9]{1,2})(?:[ T]([0-9]{1,2}):([0-9]{1,2})(?::([0-9]{1,2}))?)?")
_ERA_START = {era: (start.year, start, end) for era, (start, end) in ERAS.items()}
# Japan has kept UTC+9 since 1952 (summer time ran 1948-1951): a wall-clock time there is 9 hours ahead of UTC.
_FIXED_OFFSET_FROM = 1952
_TOKYO_OFFSET_S = 9 * 3600
_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
_MICROSECOND = dt.timedelta(microseconds=1)


def all_text(series: pd.Series) -> bool:
    """Whether every cell of ``series`` is a ``str`` (a CSV's cells are; a workbook's may be numbers or dates)."""
    return pd.api.types.infer_dtype(series, skipna=False) == "string"


@dataclass(frozen=True)
class Cells:
    """A column's distinct cells (``values``) and, for each row, the code of its cell.

    Made once per column (``pandas.factorize``), then :meth:`map` runs a
    function once per distinct cell. The cells must be text
    (:func:`all_text`), so that equal cells are equal strings.
    """

    codes: np.ndarray
    values: list

    @classmethod
    def of(cls, series: pd.Series | None, size: int) -> "Cells":
        """The cells of ``series``; None stands for a column the file lacks (every row's cell is None)."""
        if series is None:
            return cls(np.zeros(size, dtype=np.intp), [None])
        codes, uniques = pd.factorize(series, use_na_sentinel=False)
        return cls(codes, uniques.tolist())

    def map(self, function: Callable) -> "Mapped":
        """``function(cell)`` for each distinct cell."""
        results = np.empty(len(self.values), dtype=object)
        results[:] = [function(value) for value in self.values]
        return Mapped(results, self.codes)


@dataclass(frozen=True)
class Mapped:
    """A function's result for each distinct cell of a column (:meth:`Cells.map`)."""

    results: np.ndarray
    codes: np.ndarray

    def rows(self) -> np.ndarray:
        """The result for each row (an object array)."""
        return self.results[self.codes]

    def rows_as(self, kind: tuple) -> np.ndarray:
        """The result for each row in an array of ``kind = (dtype, fill)``: ``fill`` where it is None or BAD."""
        dtype, fill = kind
        results = [fill if result is None or result is BAD else result for result in self.results]
        return np.array(results, dtype=dtype)[self.codes] if results else np.zeros(len(self.codes), dtype=dtype)

    def rows_where(self, predicate: Callable[[object], bool]) -> np.ndarray:
        """For each row, whether its result satisfies ``predicate`` (tested once per distinct cell)."""
        hits = np.fromiter((bool(predicate(result)) for result in self.results), dtype=bool, count=len(self.results))
        return hits[self.codes]

    def bad(self) -> np.ndarray:
        """Rows whose result is :data:`BAD`."""
        return self.rows_where(lambda result: result is BAD)


def screen_column(cells: Cells, *, multiline: bool, max_chars: int) -> np.ndarray | None:
    """Rows whose cell fails ``limits.cell_problem``, or None when no cell of the column can.

    The distinct cells are searched once, joined together; only when that
    finds a control character, a line break or a cell longer than
    ``max_chars`` is each distinct cell checked.
    """
    pattern = _MAY_FAIL_MULTILINE if multiline else _MAY_FAIL_ONE_LINE
    texts = [value for value in cells.values if value is not None]
    if max(map(len, texts), default=0) <= max_chars and pattern.search(_JOIN.join(texts)) is None:
        return None
    return cells.map(lambda value: cell_problem(value, multiline=multiline, max_chars=max_chars)).rows_where(
        lambda problem: problem is not None)


def parse_time(value) -> object:
    """A cell's time as microseconds since 1970 (UTC), or :data:`BAD` where ``parse_occurred_at`` refuses it."""
    fast = export_time_us(value) if isinstance(value, str) else None
    if fast is not None:
        return fast
    try:
        return stamp_us(parse_occurred_at(value))
    except (ValueError, OverflowError):  # as ``rows.read_time`` refuses them
        return BAD


def times_from_us(values) -> pd.Series:
    """Aware Asia/Tokyo times from microseconds since 1970 UTC (what :func:`parse_time` gives for good cells)."""
    stamps = pd.DatetimeIndex(np.asarray(values, dtype="int64").astype("datetime64[us]")).tz_localize("UTC")
    return pd.Series(stamps.tz_convert("Asia/Tokyo"))


def stamp_us(stamp) -> int:
    """Microseconds since 1970 UTC of an aware ``Timestamp``/``datetime`` (exact: no float on the way)."""
    return (pd.Timestamp(stamp).to_pydatetime() - _EPOCH) // _MICROSECOND


def export_time_us(text: str) -> int | None:
    """Microseconds since 1970 UTC of a time written the two ways exports write them, else None.

    Reads 「令和7年12月1日(月)午前8時35分頃」 (ASCII digits, as the police
    system writes it) and 「2024-04-15 16:10」; gives exactly what
    ``parse_occurred_at`` gives. Anything else, and anything
    ``parse_occurred_at`` would refuse or that falls before 1952, is None:
    the caller asks ``parse_occurred_at``, which says why.
    """
    m = _EXPORT_WAREKI.fullmatch(text)
    if m is not None:
        era, year_text, month, day, weekday, ampm, hour, minute, _ = m.groups()
        first_year, start, end = _ERA_START[era]
        year = 1 if year_text == "元" else int(year_text)
        if year < 1:
            return None
        date = _date(first_year + year - 1, int(month), int(day))
        if date is None or date < start or (end is not None and date > end):
            return None
    else:
        m = _EXPORT_ISO.fullmatch(text)
        if m is None:
            return None
        year, month, day, hour, minute, second = m.groups()
        if second is not None:
            return None  # seconds: left to parse_occurred_at, which also reads fractions
        date, weekday, ampm = _date(int(year), int(month), int(day)), None, None
        if date is None:
            return None
    if date.year < _FIXED_OFFSET_FROM or (weekday is not None and WEEKDAYS[date.weekday()] != weekday):
        return None
    hours = int(hour) if hour is not None else 0
    minutes = int(minute) if minute is not None else 0
    if ampm is not None:
        if hours > 12:
            return None
        if ampm == "午後" and hours < 12:
            hours += 12
        elif ampm == "午前" and hours == 12:
            hours = 0
    if hours > 23 or minutes > 59:
        return None
    seconds = (date.toordinal() - _EPOCH_ORDINAL) * 86400 + hours * 3600 + minutes * 60 - _TOKYO_OFFSET_S
    return seconds * 1_000_000


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None
