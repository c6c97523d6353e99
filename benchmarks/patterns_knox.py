"""The Knox test's part of ``python -m benchmarks patterns``: ``knox_test`` against the all-pairs way.

:func:`knox_figures` makes synthetic incidents over the prefecture and a
year (places drawn from the bundled census small areas in proportion to
their population, one in five a near repeat of an earlier incident), then
times :func:`anshin_lab.analysis.near_repeat.knox_test` and, in the same
run, :func:`~anshin_lab.analysis.near_repeat.knox_naive` (every pair binned
again in every permutation). The naive way takes minutes at 999
permutations, so it is measured with fewer and extrapolated linearly from
two measured runs (fixed cost + cost per permutation); the figures say so.
"""

from __future__ import annotations

import statistics
import time

import numpy as np
import pandas as pd
from pyproj import Transformer

from anshin_lab.analysis.near_repeat import knox_naive, knox_test, project_to_metres
from anshin_lab.core.geo import METRIC_CRS, WGS84
from anshin_lab.core.settings import load_settings
from anshin_lab.places.reference import load_census

# Target: Knox with 999 permutations over 5,000 incidents within 10 s on a 2-core machine.
KNOX_TARGET_S = 10.0
KNOX_TARGET_N = 5_000
NEAR_REPEAT_SHARE = 0.2


def synthetic_incidents(n: int = KNOX_TARGET_N, seed: int = 0, reference_dir=None) -> pd.DataFrame:
    """``n`` invented incidents over the prefecture and a year: ``lat``, ``lon``, ``occurred_at`` (Tokyo).

    Places are small-area points drawn in proportion to population and moved
    by about 300 m; times are spread over 2025-04-01 … 2026-03-31. One in
    five incidents repeats an earlier one within about 100 m and 14 days.
    """
    rng = np.random.default_rng(seed)
    census = load_census(reference_dir or load_settings().reference_dir)
    census = project_to_metres(census[census["population"] > 0].reset_index(drop=True))
    weights = census["population"].to_numpy(float)
    picked = rng.choice(len(census), size=n, p=weights / weights.sum())
    x = census["x"].to_numpy()[picked] + rng.normal(0, 300, n)
    y = census["y"].to_numpy()[picked] + rng.normal(0, 300, n)
    start = pd.Timestamp("2025-04-01", tz="Asia/Tokyo")
    seconds = rng.uniform(0, 365 * 86_400, n)
    followers = np.flatnonzero(rng.random(n) < NEAR_REPEAT_SHARE)
    sources = rng.integers(0, n, len(followers))
    sources = np.where(sources == followers, (sources + 1) % n, sources)
    x[followers] = x[sources] + rng.normal(0, 100, len(followers))
    y[followers] = y[sources] + rng.normal(0, 100, len(followers))
    seconds[followers] = np.minimum(seconds[sources] + rng.uniform(0, 14 * 86_400, len(followers)), 365 * 86_400 - 1)
    frame = pd.DataFrame({"x": x, "y": y,
                          "occurred_at": start + pd.to_timedelta(np.round(seconds), unit="s")})
    return to_lat_lon(frame)


def to_lat_lon(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with ``lat``/``lon`` (WGS84) instead of ``x``/``y`` (EPSG:6670), as incident rows carry them."""
    lon, lat = Transformer.from_crs(METRIC_CRS, WGS84, always_xy=True).transform(frame["x"].to_numpy(),
                                                                                   frame["y"].to_numpy())
    return pd.DataFrame({"lat": lat, "lon": lon, "occurred_at": frame["occurred_at"]})


def knox_figures(n: int = KNOX_TARGET_N, permutations: int = 999, seed: int = 0, *, repeats: int = 3,
                 naive_permutations: int = 20, reference_dir=None) -> dict:
    """Time ``knox_test`` (median of ``repeats`` runs) and ``knox_naive`` on the same synthetic incidents.

    The naive way runs with ``naive_permutations`` (and with 1, after a
    warm-up run) permutations when that is fewer than ``permutations``; its
    time at ``permutations`` is the fixed cost plus the per-permutation cost
    from those two runs, and ``knox_naive_extrapolated`` says so. Keys: ``knox_seconds``,
    ``knox_naive_seconds``, ``knox_n``, ``knox_permutations``, then the
    details (``knox_runs``, ``knox_speedup``, ``knox_naive_measured_permutations``,
    ``knox_naive_extrapolated``, ``knox_target_seconds``, ``knox_within_target``,
    ``knox_near_repeat_found``, ``knox_note``).
    """
    frame = synthetic_incidents(n, seed=seed, reference_dir=reference_dir)
    runs = []
    for _ in range(max(1, repeats)):
        started = time.perf_counter()
        result = knox_test(frame, permutations=permutations, seed=seed)
        runs.append(time.perf_counter() - started)
    fast = statistics.median(runs)
    naive_permutations = max(2, int(naive_permutations))  # two measured runs give the fixed and per-permutation cost
    if naive_permutations >= permutations:
        started = time.perf_counter()
        knox_naive(frame, permutations=permutations, seed=seed)
        naive, measured, extrapolated = time.perf_counter() - started, permutations, False
    else:
        knox_naive(frame, permutations=1, seed=seed)  # warm-up: the first run pays for first-touch memory
        started = time.perf_counter()
        knox_naive(frame, permutations=naive_permutations, seed=seed)
        several = time.perf_counter() - started
        started = time.perf_counter()
        knox_naive(frame, permutations=1, seed=seed)
        one = time.perf_counter() - started
        per_permutation = max(0.0, (several - one) / (naive_permutations - 1))
        fixed = max(0.0, one - per_permutation)
        naive, measured, extrapolated = fixed + per_permutation * permutations, naive_permutations, True
    # The nearest cell that is not 同一地点: the first distance band beyond 0 m, the first time band.
    near = result.table.iloc[len(result.time_bands_days) if result.space_bands_m[0] == 0 else 0]
    note = (f"素朴な方法(全ての組を毎回数え直す)は{measured}回の並べ替えで測り、{permutations}回分を線形に外挿しました"
            if extrapolated else f"素朴な方法も{permutations}回の並べ替えで測りました")
    return {
        "knox_seconds": round(fast, 3),
        "knox_naive_seconds": round(naive, 3),
        "knox_n": int(result.n_events),
        "knox_permutations": int(permutations),
        "knox_runs": [round(r, 3) for r in runs],
        "knox_speedup": round(naive / fast, 1) if fast > 0 else None,
        "knox_naive_measured_permutations": int(measured),
        "knox_naive_extrapolated": extrapolated,
        "knox_target_seconds": KNOX_TARGET_S,
        "knox_within_target": bool(fast <= KNOX_TARGET_S),
        "knox_near_repeat_found": bool(near["significant"] and near["ratio"] > 1),
        "knox_note": note,
    }


def report_lines(figures: dict) -> list[str]:
    """The readable lines of the Knox part of the report (Japanese)."""
    lines = [
        f"Knox 検定: {figures['knox_n']:,}件・並べ替え{figures['knox_permutations']:,}回",
        f"  knox_test(近い組だけを列挙して数え直す): {figures['knox_seconds']:.2f} 秒"
        f"(目標 {figures['knox_target_seconds']:.0f} 秒以内: {'達成' if figures['knox_within_target'] else '未達'})",
        f"  素朴な方法(全ての組を毎回数え直す): {figures['knox_naive_seconds']:.2f} 秒"
        f"{'(外挿)' if figures['knox_naive_extrapolated'] else ''}",
        f"  速さの比: {figures['knox_speedup']} 倍。{figures['knox_note']}。",
    ]
    return lines
