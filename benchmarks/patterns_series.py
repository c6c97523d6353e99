"""Series linking's part of ``python -m benchmarks patterns``: ``link_series`` against the all-pairs way.

:func:`series_figures` makes ``n`` invented 脅威事犯 over the prefecture and
a year — places drawn from the bundled census small areas in proportion to
population, descriptions drawn from the sample's vocabulary, plus planted
series from the sample generator (``demo.series``, one per 125 incidents) —
then times :func:`anshin_lab.analysis.series.link_series` (median of
``repeats`` runs) and, in the same run, the same function with the naive
pair search a competent numpy user writes: every pair's distance and time
apart, vectorised, a block of rows at a time (:func:`all_pairs`). Everything
after the pair search is shared, so the difference is the search alone.

Comparing all pairs of 50,000 incidents (1.25 billion pairs) takes minutes,
so the naive way is measured on a random subset of ``naive_n`` incidents and
scaled by (n / naive_n)² — at a fixed extent and year both the pairs
compared and the pairs found grow with the square of the count;
``series_naive_extrapolated`` says when that was done.
"""

from __future__ import annotations

import itertools
import json
import statistics
import time
from pathlib import Path

import numpy as np
import pandas as pd

from anshin_lab.analysis.descriptions import clear_caches
from anshin_lab.analysis.series import link_series
from anshin_lab.core.dates import TOKYO
from anshin_lab.demo.draws import draw, inhabited
from anshin_lab.demo.series import plan_series
from anshin_lab.demo.vocabulary import (
    AGE_BANDS, BUILDS, HAIR, HOURS_ADULT, HOURS_CHILD, KOEKAKE_PHRASES, THREAT_GROUPS, THREAT_SUBTYPES, TOPS,
    VEHICLES,
)
from anshin_lab.places import assign_stations, build_small_areas, load_station_table

SERIES_TARGET_N = 50_000
SERIES_TARGET_S = 5.0
NAIVE_N = 10_000
INCIDENTS_PER_SERIES = 125  # the sample plants 20 series among about 2,500 incidents
REFERENCE_DIR = Path(__file__).resolve().parents[1] / "data" / "reference"
_START = pd.Timestamp("2025-12-01", tz=TOKYO)
_DAY_S = 86_400


def all_pairs(x, y, days, *, max_km: float, max_days: float, block_cells: int = 4_000_000):
    """Every pair (i < j) within ``max_km`` and ``max_days``, by comparing all pairs, a block of rows at a time."""
    n = len(x)
    radius2 = (max_km * 1000.0) ** 2
    rows = max(1, block_cells // max(n, 1))
    found_i, found_j = [], []
    for start in range(0, n, rows):
        stop = min(n, start + rows)
        dx = x[start:stop, None] - x[None, start:]
        dy = y[start:stop, None] - y[None, start:]
        dt = np.abs(days[start:stop, None] - days[None, start:])
        near = (dx * dx + dy * dy <= radius2) & (dt <= max_days)
        near &= np.arange(start, n)[None, :] > np.arange(start, stop)[:, None]
        i, j = np.nonzero(near)
        found_i.append(i + start)
        found_j.append(j + start)
    return np.concatenate(found_i).astype(np.int64), np.concatenate(found_j).astype(np.int64)


def _areas() -> pd.DataFrame:
    areas = build_small_areas(REFERENCE_DIR)
    areas["station"] = assign_stations(areas, load_station_table(REFERENCE_DIR))
    return inhabited(areas)


def _hours(rng, child: np.ndarray) -> np.ndarray:
    def profile(table):
        weights = np.array([table.get(h, 0) for h in range(24)], dtype=float)
        return rng.choice(24, size=len(child), p=weights / weights.sum())
    return np.where(child, profile(HOURS_CHILD), profile(HOURS_ADULT))


def synthetic_threats(n: int = SERIES_TARGET_N, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``n`` invented 脅威事犯 over the prefecture and a year, and the truth of the planted series.

    Columns as ``read_incidents`` gives them (``incident_id``, ``category``,
    ``subtype``, ``occurred_at``, ``lat``, ``lon``, ``station``,
    ``victim_group``, ``summary``, ``actor``, ``vehicle``); the truth has
    ``incident_id``, ``series_id``, ``role`` as ``series_truth.csv``.
    """
    rng = np.random.default_rng([seed, 19])
    areas = _areas()
    plan = plan_series(rng, areas, count=max(1, n // INCIDENTS_PER_SERIES),
                       crossing=max(1, n // INCIDENTS_PER_SERIES) // 3)
    plan = plan.head(n)
    m = n - len(plan)
    weights = areas["population"].to_numpy(float)
    picked = rng.choice(len(areas), size=m, p=weights / weights.sum())
    spread = rng.normal(0, 300, (2, m))
    lat = areas["lat"].to_numpy()[picked] + spread[0] / 110_574.0
    lon = areas["lon"].to_numpy()[picked] + spread[1] / (111_320.0 * np.cos(np.radians(31.6)))
    groups = draw(rng, THREAT_GROUPS, m)
    child = np.isin(groups, ["未就学児", "小学生", "中学生", "高校生"])
    minutes = rng.integers(0, 365, m) * 1440 + _hours(rng, child) * 60 + rng.integers(0, 12, m) * 5
    subtypes = draw(rng, THREAT_SUBTYPES, m)
    phrases = draw(rng, {p: 1 for p in KOEKAKE_PHRASES}, m)
    actors = ["、".join(parts) for parts in zip(
        itertools.repeat("男"), draw(rng, AGE_BANDS, m), (f"身長{h}センチくらい" for h in rng.integers(32, 38, m) * 5),
        draw(rng, BUILDS, m), draw(rng, {h: 1 for h in HAIR}, m), draw(rng, {t: 1 for t in TOPS}, m))]
    vehicles = np.where(rng.random(m) < 0.2, draw(rng, {v: 1 for v in VEHICLES[:4]}, m), None)
    background = pd.DataFrame({
        "subtype": subtypes, "occurred_at": _START + pd.to_timedelta(minutes, unit="min"), "lat": lat, "lon": lon,
        "station": areas["station"].to_numpy()[picked], "victim_group": groups,
        "summary": [f"男が「{p}」などと声をかけたもの。" if s == "声かけ" else f"男による{s}の事案。"
                    for s, p in zip(subtypes, phrases)],
        "actor": actors, "vehicle": vehicles, "series_id": "", "role": "background",
    })
    series = plan.assign(summary=[f"男が「{p}」などと声をかけたもの。" for p in plan["phrase"]])
    frame = pd.concat([background, series[list(background.columns)]], ignore_index=True)
    frame.insert(0, "incident_id", [f"B-{k:06d}" for k in range(len(frame))])
    frame.insert(1, "category", "threat")
    truth = frame.loc[frame["role"] != "background", ["incident_id", "series_id", "role"]]
    return frame.drop(columns=["series_id", "role"]), truth.reset_index(drop=True)


def pairwise_precision_recall(truth: pd.DataFrame, series: pd.DataFrame) -> tuple[float, float]:
    """Pairs of incidents in the same planted series (T) against pairs in the same found series (F)."""
    def pairs(groups):
        return {p for g in groups for p in itertools.combinations(sorted(g), 2)}
    true_pairs = pairs(truth[truth["series_id"] != ""].groupby("series_id")["incident_id"].agg(list))
    found_pairs = pairs(series["incident_ids"])
    hits = len(true_pairs & found_pairs)
    return hits / max(len(found_pairs), 1), hits / max(len(true_pairs), 1)


def _timed(function, *args, **kwargs):
    clear_caches()  # every run reads the descriptions afresh
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - start, result


def series_figures(n: int = SERIES_TARGET_N, seed: int = 0, *, repeats: int = 3, naive_n: int = NAIVE_N) -> dict:
    """Time ``link_series`` (median of ``repeats``) and the all-pairs way on the same synthetic incidents.

    Keys: ``series_n``, ``series_seconds``, ``series_naive_seconds`` (at n;
    extrapolated by (n / naive_n)² from ``series_naive_measured_n`` when
    n > naive_n, with ``series_naive_extrapolated``), ``series_ratio``,
    ``series_links``, ``series_found``, ``series_planted``,
    ``series_precision``, ``series_recall`` (pairwise, planted vs found).
    """
    incidents, truth = synthetic_threats(n, seed)
    link_series(incidents.head(2000))  # warm-up: imports, caches
    runs = [_timed(link_series, incidents) for _ in range(max(1, repeats))]
    seconds = statistics.median(t for t, _ in runs)
    result = runs[-1][1]
    measured = incidents if n <= naive_n else incidents.sample(naive_n, random_state=seed)
    naive_s, naive = _timed(link_series, measured, pair_finder=all_pairs)
    fast_s, fast = _timed(link_series, measured)
    assert naive.links[["incident_a", "incident_b"]].equals(fast.links[["incident_a", "incident_b"]])
    scale = (n / len(measured)) ** 2
    precision, recall = pairwise_precision_recall(truth, result.series)
    return {
        "series_n": n, "series_seconds": round(seconds, 4), "series_runs": [round(t, 4) for t, _ in runs],
        "series_naive_seconds": round(naive_s * scale, 4), "series_naive_measured_n": len(measured),
        "series_naive_measured_seconds": round(naive_s, 4), "series_seconds_at_measured_n": round(fast_s, 4),
        "series_naive_extrapolated": len(measured) < n, "series_ratio": round(naive_s * scale / seconds, 1),
        "series_links": len(result.links), "series_found": len(result.series),
        "series_planted": int(truth.loc[truth["series_id"] != "", "series_id"].nunique()),
        "series_precision": round(precision, 4), "series_recall": round(recall, 4),
    }


if __name__ == "__main__":
    print(json.dumps(series_figures(), ensure_ascii=False))
