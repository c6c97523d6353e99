"""Fraud-call summaries: the area and period a report covers, and every count it shows.

Pure functions over the calls frame of ``records.fraud_calls`` (canonical
columns): ``summarise`` counts a period by 手口, 名乗り, municipality, station,
day and hour, compares it with the period before, and flags waves
(``analysis.fraud_waves.detect_waves``). The reference lookups are passed in.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from anshin_lab.analysis.fraud_waves import ALPHA, BASELINE_DAYS, MIN_CALLS, WAVE_TEST, detect_waves
from anshin_lab.core import glossary
from anshin_lab.core.dates import TOKYO, WEEKDAYS
from anshin_lab.core.directive import PREF_CODE, PREFECTURE
from anshin_lab.core.errors import ParameterError
from anshin_lab.records.fraud_calls import AGE_BANDS, METHODS, OUTCOMES, UNKNOWN, ReferenceTables


@dataclass(frozen=True)
class Area:
    """What a summary covers: the prefecture, a municipality, or a station district."""

    kind: str  # pref / city / station
    name: str  # 「鹿児島県」「鹿児島市」「鹿児島中央警察署」
    code: str  # 46 / JIS code / station name
    city_codes: tuple = ()  # the municipalities it covers (all for the prefecture)

    @property
    def label(self) -> str:
        """The area as a report heading writes it: 「鹿児島中央警察署管内」 for a station."""
        return f"{self.name}管内" if self.kind == "station" else self.name

    @property
    def kind_label(self) -> str:
        return {"pref": "県全体", "city": "市町村", "station": "警察署管内"}[self.kind]

    def select(self, calls: pd.DataFrame) -> pd.Series:
        """A boolean mask of the calls in this area (station districts by the call's station)."""
        if self.kind == "pref":
            return pd.Series(True, index=calls.index)
        if self.kind == "city":
            return calls["city_code"] == self.code
        return calls["station"] == self.name


def resolve_area(text, tables: ReferenceTables) -> Area:
    """The area named by ``text``: 「鹿児島県」, a municipality (「鹿児島市」, 「瀬戸内町」, 46201) or a station.

    Raises ``ParameterError`` saying what may be given.
    """
    name = glossary.clean(text)
    if name in ("", PREFECTURE, "県", "県全体", PREF_CODE, f"{PREFECTURE}全体"):
        return Area("pref", PREFECTURE, PREF_CODE, tuple(sorted(tables.city_names)))
    city = tables.city_of(name.removeprefix(PREFECTURE))
    if city is not None:
        return Area("city", tables.city_names[city], city, (city,))
    station = tables.station_name(name.removesuffix("管内"))
    if station is not None:
        return Area("station", station, station, tables.stations[station])
    raise ParameterError(f"地域「{name}」が分かりません: 「鹿児島県」(県全体)、市町村名(例「鹿児島市」)、"
                         f"警察署名(例「鹿児島中央警察署」)のどれかを指定してください")


def parse_day(value, name: str = "日付"):
    """A ``datetime.date`` from 「2026-11-01」「2026/11/1」 or a date/timestamp; ``ParameterError`` otherwise."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = glossary.clean(value)
    m = re.match(r"^(\d{4})[-/年.](\d{1,2})[-/月.](\d{1,2})日?$", text)
    try:
        if not m:
            raise ValueError
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        raise ParameterError(f"{name}「{text}」を日付として読めません(例: 2026-11-01)") from None


@dataclass(frozen=True)
class Period:
    """Whole days from ``start`` to ``end`` (both included), in Japan time."""

    start: object  # datetime.date
    end: object

    def __post_init__(self):
        if self.end < self.start:
            raise ParameterError(f"終了日 {self.end} が開始日 {self.start} より前です")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def start_at(self) -> pd.Timestamp:
        return pd.Timestamp(self.start).tz_localize(TOKYO)

    @property
    def end_at(self) -> pd.Timestamp:
        """The first moment after the period (exclusive bound)."""
        return pd.Timestamp(self.end).tz_localize(TOKYO) + pd.Timedelta(days=1)

    def previous(self) -> "Period":
        """The period of the same length just before."""
        length = pd.Timedelta(days=self.days)
        return Period((pd.Timestamp(self.start) - length).date(), (pd.Timestamp(self.start) - pd.Timedelta(days=1)).date())

    def dates(self) -> list:
        return [d.date() for d in pd.date_range(self.start, self.end, freq="D")]

    @property
    def label(self) -> str:
        return f"{format_day(self.start)}〜{format_day(self.end)}({self.days}日間)"


def format_day(day) -> str:
    """「2026年11月1日(日)」."""
    stamp = pd.Timestamp(day)
    return f"{stamp.year}年{stamp.month}月{stamp.day}日({WEEKDAYS[stamp.weekday()]})"


@dataclass
class FraudSummary:
    """Everything a fraud-call report shows, computed from the calls read (English columns).

    ``calls`` are the period's calls in the area; ``previous_calls`` those of
    the period just before. Tables: ``by_method``, ``by_caller``, ``by_city``,
    ``by_station``, ``by_day``, ``by_hour``, ``by_age_band`` (counts with the
    previous period and the change where it makes sense), ``waves`` (see
    ``detect_waves``) and ``totals``.
    """

    area: Area
    period: Period
    previous: Period
    calls: pd.DataFrame
    previous_calls: pd.DataFrame
    totals: dict
    by_method: pd.DataFrame
    by_caller: pd.DataFrame
    by_city: pd.DataFrame
    by_station: pd.DataFrame
    by_day: pd.DataFrame
    by_hour: pd.DataFrame
    by_age_band: pd.DataFrame
    waves: pd.DataFrame
    wave_test: str
    options: dict
    rows_read: int = 0
    data_hash: str = ""
    source: str = ""
    coverage: tuple = (None, None)
    notes: list = field(default_factory=list)

    @property
    def title(self) -> str:
        return f"うそ電話詐欺の集計 {self.area.label} {self.period.start}〜{self.period.end}"

    def facts(self) -> dict:
        """The headline numbers as plain values (for the report's machine-readable block and the index)."""
        return {
            "area": self.area.name, "area_kind": self.area.kind, "start": str(self.period.start),
            "end": str(self.period.end), "calls": int(self.totals["count"]),
            "previous": int(self.totals["previous"]), "waves": int(len(self.waves)),
            "rows_read": int(self.rows_read), "data_hash": self.data_hash,
        }


def summarise(calls: pd.DataFrame, *, period: Period, area: Area, tables: ReferenceTables,
              baseline_days: int = BASELINE_DAYS, alpha: float = ALPHA, min_calls: int = MIN_CALLS,
              history_start=None) -> FraudSummary:
    """Count the period's calls in ``area`` every way a report needs, against the period before.

    ``calls`` holds at least the period, the previous period and the
    ``baseline_days`` before the period (canonical columns, any area: the
    area is selected here). ``history_start`` is when the records begin (the
    baseline is not stretched before it); the earliest call when None.
    """
    calls = calls[area.select(calls)] if len(calls) else calls
    when = calls["occurred_at"]
    current = calls[(when >= period.start_at) & (when < period.end_at)].reset_index(drop=True)
    before = period.previous()
    previous = calls[(when >= before.start_at) & (when < before.end_at)].reset_index(drop=True)
    totals = _totals(current, previous)
    waves, tests = detect_waves(calls, period, baseline_days=baseline_days, alpha=alpha, min_calls=min_calls,
                                history_start=history_start, tables=tables)
    options = {"baseline_days": int(baseline_days), "alpha": float(alpha), "min_calls": int(min_calls)}
    return FraudSummary(
        area=area, period=period, previous=before, calls=current, previous_calls=previous, totals=totals,
        by_method=_compare(current, previous, "method", order=METHODS),
        by_caller=_by_caller(current, previous),
        by_city=_by_city(current, previous, tables, area),
        by_station=_compare(current, previous, "station", unknown="(管轄署不明)"),
        by_day=_by_day(current, period),
        by_hour=_by_hour(current),
        by_age_band=_compare(current, previous, "victim_age_band", order=AGE_BANDS),
        waves=waves,
        wave_test=WAVE_TEST.format(baseline_days=baseline_days, alpha=alpha, tests=tests, min_calls=min_calls),
        options=options,
    )


def _totals(current: pd.DataFrame, previous: pd.DataFrame) -> dict:
    outcomes = current["outcome"].value_counts().reindex(list(OUTCOMES), fill_value=0)
    completed = current[current["outcome"] == "既遂"]
    return {
        "count": len(current), "previous": len(previous), "change": len(current) - len(previous),
        "change_pct": _pct(len(current), len(previous)),
        **{outcome: int(n) for outcome, n in outcomes.items()},
        "loss_yen": int(completed["loss_yen"].fillna(0).sum()),
        "loss_unknown": int(completed["loss_yen"].isna().sum()),
        "previous_loss_yen": int(previous.loc[previous["outcome"] == "既遂", "loss_yen"].fillna(0).sum()),
    }


def _pct(now: int, before: int) -> float | None:
    return None if before == 0 else round((now - before) * 100.0 / before, 1)


def _compare(current, previous, column: str, *, order=(), unknown: str = UNKNOWN) -> pd.DataFrame:
    """Counts by ``column`` now and in the previous period, with 未遂・既遂 and the change; busiest first
    (or in ``order``), rows with no call in either period left out."""
    now = current[column].fillna(unknown)
    before = previous[column].fillna(unknown)
    keys = list(dict.fromkeys([*[k for k in order if k in set(now) | set(before)],
                               *now.value_counts().index, *before.value_counts().index]))
    table = pd.DataFrame({
        column: keys,
        "count": now.value_counts().reindex(keys, fill_value=0).to_numpy(dtype=int),
        "attempted": now[current["outcome"] == "未遂"].value_counts().reindex(keys, fill_value=0).to_numpy(dtype=int),
        "completed": now[current["outcome"] == "既遂"].value_counts().reindex(keys, fill_value=0).to_numpy(dtype=int),
        "previous": before.value_counts().reindex(keys, fill_value=0).to_numpy(dtype=int),
    })
    table["change"] = table["count"] - table["previous"]
    if not order:
        table = table.sort_values(["count", "previous", column], ascending=[False, False, True], kind="stable")
    return table.reset_index(drop=True)


def _by_caller(current, previous) -> pd.DataFrame:
    table = _compare(current, previous, "caller_as")
    main = current.groupby("caller_as")["method"].agg(lambda s: s.value_counts().index[0]) if len(current) else {}
    table["main_method"] = [main.get(c, "") if len(current) else "" for c in table["caller_as"]]
    return table


def _by_city(current, previous, tables: ReferenceTables, area: Area) -> pd.DataFrame:
    """Counts by municipality with households and calls per 1,000 households.

    In a station report a municipality's row holds the district's calls only,
    so its households are those of the whole municipality only when the
    district covers all of it; otherwise there is no denominator (NA).
    """
    table = _compare(current, previous, "city_code")
    table.insert(1, "city", [tables.city_names.get(c, c) for c in table["city_code"]])
    households = np.array([tables.city_households.get(c, 0) if _whole_city(c, area, tables) else np.nan
                           for c in table["city_code"]], dtype=float)
    table["households"] = pd.array([None if np.isnan(h) else int(h) for h in households], dtype="Int64")
    with np.errstate(divide="ignore", invalid="ignore"):
        table["per_1000_households"] = np.where(households > 0, table["count"] * 1000.0 / households, np.nan).round(3)
    return table


def _whole_city(city_code, area: Area, tables: ReferenceTables) -> bool:
    """True when ``area`` holds every household of the municipality (always, but for a shared station district)."""
    return area.kind != "station" or tables.city_stations.get(city_code, ()) == (area.name,)


def _by_day(current: pd.DataFrame, period: Period) -> pd.DataFrame:
    days = current["occurred_at"].dt.date
    table = pd.crosstab(days, current["outcome"]).reindex(index=period.dates(), columns=list(OUTCOMES),
                                                           fill_value=0)
    table.insert(0, "count", table.sum(axis=1))
    table.index.name = "date"
    return table.reset_index().astype({c: int for c in ("count", *OUTCOMES)})


def _by_hour(current: pd.DataFrame) -> pd.DataFrame:
    counts = current["occurred_at"].dt.hour.value_counts().reindex(range(24), fill_value=0)
    return pd.DataFrame({"hour": range(24), "count": counts.to_numpy(dtype=int)})
