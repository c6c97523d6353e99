"""SAMPLE DATA: seeded random draws for the sample generator: values, times and places.

Every generator draws from its own stream (``random_stream``), so adding
draws to one leaves the others unchanged. Times fall in the fixed year from
2025-12-01 00:00 to 2026-11-30 23:59 (Asia/Tokyo); places are drawn in
proportion to population, with points strictly inside their small area.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from anshin_lab.core.dates import TOKYO
from anshin_lab.core.geo import WGS84

YEAR_START = pd.Timestamp("2025-12-01 00:00", tz=TOKYO)
YEAR_END = pd.Timestamp("2026-11-30 23:59", tz=TOKYO)

# Independent random streams, so adding draws to one generator leaves the others unchanged.
_STREAMS = {"incidents": 1, "fraud_calls": 2, "members": 3, "series": 4}


def random_stream(seed: int, stream: str) -> np.random.Generator:
    """The generator of one stream; each public generator has its own."""
    return np.random.default_rng([int(seed), _STREAMS[stream]])


def draw(rng: np.random.Generator, table: dict, n: int) -> np.ndarray:
    """``n`` values from a value -> weight table."""
    values = list(table)
    weights = np.asarray(list(table.values()), dtype=float)
    picks = rng.choice(len(values), size=n, p=weights / weights.sum())
    return np.asarray(values, dtype=object)[picks]


def pick(rng: np.random.Generator, options):
    """One value: from a weight table (dict) or uniformly from a sequence."""
    if isinstance(options, dict):
        return draw(rng, options, 1)[0]
    return options[rng.integers(len(options))]


def _hour_weights(profile: dict) -> np.ndarray:
    weights = np.zeros(24)
    for hour, weight in profile.items():
        weights[hour] = weight
    return weights / weights.sum()


def _year_days() -> pd.DatetimeIndex:
    """The 365 naive dates of the fixed year."""
    return pd.date_range(YEAR_START.tz_localize(None).normalize(), YEAR_END.tz_localize(None).normalize(), freq="D")


def _day_probabilities(weekday_share: float, months: dict | None) -> np.ndarray:
    """Probability of each day: weekdays share ``weekday_share``, scaled by month."""
    days = _year_days()
    weekday = days.day_of_week < 5
    p = np.where(weekday, weekday_share / weekday.sum(), (1 - weekday_share) / (~weekday).sum())
    if months:
        p = p * days.month.map(months).to_numpy(dtype=float)
    return p / p.sum()


def random_times(rng, n: int, hours: dict, weekday_share: float = 5 / 7,
                 months: dict | None = None, minute_step: int = 5) -> pd.Series:
    """``n`` aware times in the fixed year from a day and hour-of-day profile."""
    days = _year_days()
    day = rng.choice(len(days), size=n, p=_day_probabilities(weekday_share, months))
    hour = rng.choice(24, size=n, p=_hour_weights(hours))
    minute = rng.integers(0, 60 // minute_step, size=n) * minute_step
    naive = days[day] + pd.to_timedelta(hour, unit="h") + pd.to_timedelta(minute, unit="min")
    return pd.Series(naive.tz_localize(TOKYO))


# ---------------------------------------------------------------------------
# Places.

def inhabited(small_areas: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Areas with households, in key_code order, so row order never changes the output."""
    if "station" not in small_areas.columns:
        raise ValueError("small_areas needs a 'station' column (areas.assign_stations)")
    areas = small_areas.to_crs(WGS84) if small_areas.crs else small_areas
    areas = areas[areas["households"] > 0].sort_values("key_code", kind="stable")
    return areas.reset_index(drop=True)


def pick_areas(rng, areas: pd.DataFrame, n: int) -> np.ndarray:
    """Row positions of ``n`` areas, drawn in proportion to population."""
    weights = areas["population"].to_numpy(dtype=float)
    return rng.choice(len(areas), size=n, p=weights / weights.sum())


def random_points(rng, areas: gpd.GeoDataFrame, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A point inside each chosen area, scattered around its census point.

    Candidates are rounded to 6 decimals before the inside test, so the
    published coordinates are strictly inside their own area.
    """
    geoms = areas.geometry.to_numpy()[rows]
    centre_lat = areas["lat"].to_numpy(dtype=float)[rows]
    centre_lon = areas["lon"].to_numpy(dtype=float)[rows]
    spread = np.clip(0.3 * np.sqrt(shapely.area(geoms)), 0.0005, 0.01)
    lat, lon = np.full(len(rows), np.nan), np.full(len(rows), np.nan)
    todo = np.arange(len(rows))
    for _ in range(30):
        if not len(todo):
            break
        cand_lat = np.round(centre_lat[todo] + rng.normal(0, spread[todo]), 6)
        cand_lon = np.round(centre_lon[todo] + rng.normal(0, spread[todo]), 6)
        inside = shapely.contains_xy(geoms[todo], cand_lon, cand_lat)
        lat[todo[inside]], lon[todo[inside]] = cand_lat[inside], cand_lon[inside]
        todo = todo[~inside]
    if len(todo):  # a sliver cell: fall back to a point on it
        fallback = shapely.point_on_surface(geoms[todo])
        lat[todo], lon[todo] = np.round(shapely.get_y(fallback), 6), np.round(shapely.get_x(fallback), 6)
    return lat, lon


# ---------------------------------------------------------------------------
# Frame columns.

def _plain(value):
    """None for any missing marker, Python int/str for numpy scalars."""
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return None
    return value.item() if isinstance(value, np.generic) else value


def nullable(values) -> pd.Series:
    """An object column that keeps None (pandas would turn it into NaN)."""
    return pd.Series([_plain(v) for v in values], dtype=object)
