"""SAMPLE DATA: a year of made-up うそ電話 calls, mostly 予兆, with a few waves.

A wave is one caller_as ringing one municipality a dozen or more times in an
afternoon; the rest are scattered weekday daytime calls placed by population.
About a fifth are known only down to the municipality.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from anshin_lab.demo.draws import draw, inhabited, nullable, pick, pick_areas, random_stream, random_times
from anshin_lab.demo.vocabulary import (
    CALLERS_BY_METHOD,
    FRAUD_AGE_BANDS,
    FRAUD_METHODS,
    HOURS_DAYTIME,
    OUTCOMES,
)

N_FRAUD_CALLS = 3400


def _call_outcomes(rng, outcomes: np.ndarray) -> np.ndarray:
    """Loss in yen: 0 unless 既遂, otherwise a few million yen with a long tail."""
    loss = np.round(rng.lognormal(np.log(3_000_000), 1.0, size=len(outcomes)), -3).astype(np.int64)
    return np.where(outcomes == "既遂", np.maximum(loss, 50_000), 0)


def _calls(rng, areas, rows, times, methods, callers, outcome_table) -> pd.DataFrame:
    """Call rows for chosen areas; ~20% are known only down to the municipality."""
    n = len(rows)
    outcomes = draw(rng, outcome_table, n)
    key_codes = areas["key_code"].astype(str).to_numpy()[rows]
    return pd.DataFrame({
        "occurred_at": times,
        "city_code": areas["city_code"].astype(str).to_numpy()[rows],
        "city": areas["city"].to_numpy()[rows],
        "key_code": nullable([None if hidden else k for k, hidden in zip(key_codes, rng.random(n) < 0.2)]),
        "station": areas["station"].astype(str).to_numpy()[rows],
        "method": methods, "caller_as": callers, "outcome": outcomes,
        "loss_yen": _call_outcomes(rng, outcomes),
        "victim_age_band": draw(rng, FRAUD_AGE_BANDS, n),
    })


def _background_calls(rng, areas, n: int) -> pd.DataFrame:
    """Scattered calls: weekday daytime, placed by population."""
    methods = draw(rng, FRAUD_METHODS, n)
    callers = np.asarray([pick(rng, CALLERS_BY_METHOD[m]) for m in methods], dtype=object)
    times = random_times(rng, n, HOURS_DAYTIME, 0.9, minute_step=1)
    return _calls(rng, areas, pick_areas(rng, areas, n), times, methods, callers, OUTCOMES)


WAVE_MIN_POPULATION = 10_000
WAVE_SCRIPTS = (
    ("還付金詐欺", "市役所職員"), ("還付金詐欺", "市役所職員"), ("還付金詐欺", "年金事務所職員"),
    ("預貯金詐欺", "警察官"), ("キャッシュカード詐欺盗", "銀行協会職員"), ("オレオレ詐欺", "息子"),
    ("キャッシュカード詐欺盗", "百貨店職員"), ("還付金詐欺", "税務署職員"),
)


def _wave_city(rng, areas) -> str:
    """Any municipality big enough for a burst to be plausible, the capital no likelier."""
    population = areas.groupby("city_code")["population"].sum()
    return pick(rng, sorted(population[population >= WAVE_MIN_POPULATION].index))


def _wave(rng, areas, method: str, caller: str) -> pd.DataFrame:
    """A burst: one caller_as ringing one municipality a dozen+ times in an afternoon."""
    city = _wave_city(rng, areas)
    local = areas[areas["city_code"] == city].reset_index(drop=True)
    size = int(rng.integers(12, 31))
    start = random_times(rng, 1, {13: 1, 14: 1}, 1.0).iloc[0]
    times = pd.Series(sorted(start + pd.to_timedelta(rng.integers(0, 180, size=size), unit="min")))
    methods, callers = np.full(size, method, dtype=object), np.full(size, caller, dtype=object)
    return _calls(rng, local, pick_areas(rng, local, size), times, methods, callers,
                  {"予兆": 95, "未遂": 4, "既遂": 1})


def generate_fraud_calls(small_areas: gpd.GeoDataFrame, seed: int) -> pd.DataFrame:
    """A year of うそ電話 calls (mostly 予兆), with a few waves, ids in time order."""
    rng = random_stream(seed, "fraud_calls")
    areas = inhabited(small_areas)
    waves = [_wave(rng, areas, method, caller) for method, caller in WAVE_SCRIPTS]
    background = _background_calls(rng, areas, N_FRAUD_CALLS - sum(len(w) for w in waves))
    calls = pd.concat([background, *waves], ignore_index=True)
    calls = calls.sort_values("occurred_at", kind="stable").reset_index(drop=True)
    calls.insert(0, "call_id", [f"F2025-{i:06d}" for i in range(1, len(calls) + 1)])
    calls["key_code"] = nullable(calls["key_code"])
    return calls
