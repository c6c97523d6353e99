"""The Knox test (analysis/near_repeat.py): hand-counted pairs, the all-pairs way, a planted effect and none."""

import numpy as np
import pandas as pd
import pytest
from scipy.stats import binomtest

from anshin_lab.analysis.near_repeat import KNOX_COLUMNS, knox_naive, knox_test, project_to_metres
from anshin_lab.core.errors import ParameterError

START = pd.Timestamp("2026-04-01 09:00", tz="Asia/Tokyo")


def events(xy, days) -> pd.DataFrame:
    return pd.DataFrame({"x": [p[0] for p in xy], "y": [p[1] for p in xy],
                         "occurred_at": [START + pd.Timedelta(days=d) for d in days]})


def simulated(n: int, rng, *, side_m=2_000.0, span_days=90, follow=0.0) -> pd.DataFrame:
    """Uniform events in a square and a period; a share ``follow`` of them repeat an earlier one nearby, soon after."""
    x, y = rng.uniform(0, side_m, n), rng.uniform(0, side_m, n)
    seconds = rng.uniform(0, span_days * 86_400, n)
    followers = np.flatnonzero(rng.random(n) < follow)
    sources = (followers + 1 + rng.integers(0, n - 1, len(followers))) % n  # never the follower itself
    x[followers] = x[sources] + rng.uniform(-60, 60, len(followers))
    y[followers] = y[sources] + rng.uniform(-60, 60, len(followers))
    seconds[followers] = seconds[sources] + rng.uniform(0, 6 * 86_400, len(followers))
    return pd.DataFrame({"x": x, "y": y, "occurred_at": START + pd.to_timedelta(seconds, unit="s")})


def cell(result, space: str, time: str):
    table = result.table
    return table[(table["space_band"] == space) & (table["time_band"] == time)].iloc[0]


def test_pairs_counted_by_hand_including_same_location_and_beyond_rows():
    # A and B share a place, 3 days apart; C is 150 m from A, 10 days after A; D is 1 km away, 40 days on.
    frame = events([(0, 0), (0, 0), (150, 0), (1000, 0)], [0, 3, 10, 40])
    result = knox_test(frame, permutations=19, seed=1)
    assert tuple(result.table.columns) == KNOX_COLUMNS
    assert len(result.table) == 6 * 5
    observed = result.pivot("observed")
    assert list(observed.index) == ["同一地点", "0〜100m", "100〜200m", "200〜400m", "400〜800m", "800m超"]
    assert list(observed.columns) == ["0〜7日", "8〜14日", "15〜21日", "22〜28日", "29日以上"]
    expected = pd.DataFrame(0, index=observed.index, columns=observed.columns)
    expected.loc["同一地点", "0〜7日"] = 1      # A–B
    expected.loc["100〜200m", "8〜14日"] = 1   # A–C
    expected.loc["100〜200m", "0〜7日"] = 1    # B–C (7 days: the band includes its bound)
    expected.loc["800m超", "29日以上"] = 3     # A–D, B–D (1 km; 40 and 37 days), C–D (850 m, 30 days)
    pd.testing.assert_frame_equal(observed, expected, check_dtype=False, check_names=False)
    assert result.table["observed"].sum() == 6 and result.n_events == 4


def test_knox_test_equals_the_all_pairs_way_exactly():
    rng = np.random.default_rng(7)
    frame = simulated(300, rng, follow=0.2).round({"x": 0, "y": 0})
    frame.loc[10, ["x", "y"]] = frame.loc[11, ["x", "y"]].to_numpy()   # a same-location pair
    frame.loc[12, ["x", "y"]] = frame.loc[13, ["x", "y"]].to_numpy() + [100.0, 0.0]  # exactly on a band edge
    frame.loc[14, ["x", "y"]] = frame.loc[15, ["x", "y"]].to_numpy() + [800.0, 0.0]  # exactly on the last edge
    fast = knox_test(frame, permutations=99, seed=5)
    naive = knox_naive(frame, permutations=99, seed=5)
    pd.testing.assert_frame_equal(fast.table, naive.table)
    assert fast.reading == naive.reading
    # A different seed changes the expected counts, not the observed ones.
    other = knox_test(frame, permutations=99, seed=6)
    assert (other.table["observed"] == fast.table["observed"]).all()
    assert not np.array_equal(other.table["expected"], fast.table["expected"])


def test_planted_near_repeats_are_found_in_the_near_cells():
    rng = np.random.default_rng(11)
    result = knox_test(simulated(400, rng, follow=0.3), permutations=199, seed=0)
    near = cell(result, "0〜100m", "0〜7日")
    assert near["significant"] and near["ratio"] > 1.5, near
    far = cell(result, "400〜800m", "22〜28日")
    assert far["ratio"] < 1.5
    assert "近接反復" in result.reading and "有意に多かったのは0〜100m・0〜7日" in result.reading


def test_no_effect_gives_false_positives_near_the_nominal_rate():
    # 200 independent null processes, 99 permutations each: the share of p ≤ 0.05 in one fixed near cell
    # must be what a 5 % test gives (an exact Monte Carlo test; ties can only make it rarer).
    rng = np.random.default_rng(2026)
    runs, hits, ratios = 200, 0, []
    for run in range(runs):
        result = knox_test(simulated(200, rng), space_bands_m=(0, 100, 200, 400), permutations=99, seed=run)
        near = cell(result, "0〜100m", "0〜7日")
        hits += bool(near["p_value"] <= 0.05)
        ratios.append(near["ratio"])
    rate = hits / runs
    assert binomtest(hits, runs, 0.05).pvalue > 0.01, rate
    assert 0.9 < np.nanmean(ratios) < 1.1
    assert "近接反復の傾向" in (reading := knox_test(simulated(200, rng), permutations=19).reading)
    assert "傾向(近接反復)があります" not in reading


def test_lat_lon_frames_are_projected_to_metres():
    frame = pd.DataFrame({"lat": [31.5966, 31.5966, 31.5975], "lon": [130.5571, 130.5571, 130.5571],
                          "occurred_at": [START, START + pd.Timedelta(days=1), START + pd.Timedelta(days=2)]})
    projected = project_to_metres(frame)
    assert projected["y"].iloc[2] - projected["y"].iloc[0] == pytest.approx(100, abs=1)  # 0.0009° of latitude
    result = knox_test(frame, permutations=9)
    assert cell(result, "同一地点", "0〜7日")["observed"] == 1
    assert cell(result, "0〜100m", "0〜7日")["observed"] + cell(result, "100〜200m", "0〜7日")["observed"] == 2


def test_bad_input_is_one_clear_error():
    frame = events([(0, 0), (5, 5)], [0, 1])
    with pytest.raises(ParameterError, match="座標の列"):
        knox_test(frame.drop(columns=["x"]))
    with pytest.raises(ParameterError, match="期間帯"):
        knox_test(frame, time_bands_days=(1, 7))
    with pytest.raises(ParameterError, match="距離帯"):
        knox_test(frame, space_bands_m=(0, 200, 100))
    with pytest.raises(ParameterError, match="2件以上"):
        knox_test(frame.iloc[:1])
