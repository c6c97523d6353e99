"""Fraud-call waves: days on which one municipality × 名乗り had far more calls than its baseline.

A one-sided exact Poisson test with a Bonferroni correction (stated to the
reader in ``WAVE_TEST``); ``poisson_sf`` computes tiny tails accurately.
"""

from __future__ import annotations

import math

import pandas as pd

from anshin_lab.core.dates import TOKYO

# -- wave detection defaults (the notebook's parameters repeat them) ----------------------
BASELINE_DAYS = 56
ALPHA = 0.01
MIN_CALLS = 5
WAVE_TEST = (
    "市町村×名乗りごとに、集計期間の各日の件数 x を、基準期間(集計期間の前{baseline_days}日のうち記録のある日と、"
    "集計期間のうちその日以外の日)の1日あたりの件数 λ=(基準期間の件数+1)/基準期間の日数 と比べ、"
    "ポアソン分布の片側検定 P(X≥x | λ) が有意水準{alpha}を検定の数 m={tests:,}(市町村×名乗りの組×日数)で割った値"
    "(Bonferroni 補正)未満で、かつ x≥{min_calls} のものを「急増」としました。"
)

WAVE_COLUMNS = ("date", "city_code", "city", "caller_as", "method", "count", "expected", "ratio", "p_value",
                "first_at", "last_at", "stations", "call_ids")


def poisson_sf(x: int, lam: float) -> float:
    """P(X ≥ x) for X ~ Poisson(λ), accurate for tiny tails (summed upwards, not as 1 − CDF)."""
    if x <= 0:
        return 1.0
    if lam <= 0:
        return 0.0
    if x <= lam:  # the upper tail is large: 1 − CDF loses nothing here
        log_terms = [-lam + i * math.log(lam) - math.lgamma(i + 1) for i in range(x)]
        return max(0.0, 1.0 - sum(math.exp(t) for t in log_terms))
    term = math.exp(-lam + x * math.log(lam) - math.lgamma(x + 1))
    total, i = 0.0, x
    while term > total * 1e-16 and i < x + 10_000:
        total += term
        i += 1
        term *= lam / i
    return min(total, 1.0)


def detect_waves(calls: pd.DataFrame, period, *, baseline_days: int = BASELINE_DAYS, alpha: float = ALPHA,
                 min_calls: int = MIN_CALLS, history_start=None, tables=None
                 ) -> tuple[pd.DataFrame, int]:
    """Days on which one municipality × 名乗り had far more calls than its baseline.

    For each (municipality, 名乗り) and each day d of ``period``, x = that day's
    calls; the baseline window is the ``baseline_days`` before the period
    (not before ``history_start``) plus the period's other days, and
    λ = (calls in the window + 1) / days in the window (the +1 keeps a pair
    never seen before from having λ = 0). The day is a wave when x ≥
    ``min_calls`` and P(X ≥ x | λ) < ``alpha`` / m, m being the number of
    tests (pairs seen in the window or period × days): a one-sided exact
    Poisson test with a Bonferroni correction. ``period`` is an
    ``analysis.fraud_calls.Period``; ``tables`` (a ``ReferenceTables``, optional)
    names the municipalities. Returns the waves (columns ``WAVE_COLUMNS``,
    strongest first) and m.
    """
    empty = pd.DataFrame(columns=list(WAVE_COLUMNS))
    if not len(calls):
        return empty, 0
    first = pd.Timestamp(history_start).tz_convert(TOKYO) if history_start is not None else calls["occurred_at"].min()
    window_start = max(period.start_at - pd.Timedelta(days=int(baseline_days)), first.normalize())
    before_days = max(0, (period.start_at - window_start).days)
    when = calls["occurred_at"]
    window = calls[(when >= window_start) & (when < period.end_at)]
    if not len(window):
        return empty, 0
    day = window["occurred_at"].dt.date
    inside = (window["occurred_at"] >= period.start_at).to_numpy()
    pair = window["city_code"].astype(str) + "\t" + window["caller_as"].astype(str)
    totals = pair.value_counts()
    per_day = pd.crosstab(pair[inside], day[inside]).reindex(columns=period.dates(), fill_value=0)
    tests = len(totals) * period.days
    window_days = before_days + period.days - 1  # every day of the window but the one tested
    if window_days < 1:
        return empty, tests
    rows = []
    threshold = alpha / max(tests, 1)
    for key, counts in per_day.iterrows():
        for date, x in counts[counts >= min_calls].items():
            lam = (totals[key] - x + 1) / window_days
            p = poisson_sf(int(x), lam)
            if p < threshold:
                rows.append(_wave_row(window[inside & (pair == key).to_numpy() & (day == date).to_numpy()],
                                      date, int(x), lam, p, tables))
    if not rows:
        return empty, tests
    waves = pd.DataFrame(rows, columns=list(WAVE_COLUMNS))
    return waves.sort_values(["p_value", "count", "date"], ascending=[True, False, True]).reset_index(drop=True), tests


def _wave_row(day_calls: pd.DataFrame, date, x: int, lam: float, p: float, tables) -> dict:
    city_code = str(day_calls["city_code"].iloc[0])
    stations = "・".join(sorted(day_calls["station"].dropna().unique()))
    return {
        "date": date, "city_code": city_code,
        "city": tables.city_names.get(city_code, city_code) if tables else day_calls["city"].iloc[0],
        "caller_as": str(day_calls["caller_as"].iloc[0]),
        "method": day_calls["method"].value_counts().index[0],
        "count": x, "expected": round(lam, 3), "ratio": round(x / lam, 1), "p_value": p,
        "first_at": day_calls["occurred_at"].min(), "last_at": day_calls["occurred_at"].max(),
        "stations": stations, "call_ids": tuple(day_calls["call_id"]),
    }
