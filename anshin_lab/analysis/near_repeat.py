"""Near repeats: the Knox test over distance × time bands, as Ratcliffe's Near Repeat Calculator does.

Every pair of events is put in one cell of a distance band × time band
table. The observed count of a cell is compared with the counts obtained
after shuffling the events' dates among them (Monte Carlo permutations),
which keeps where events happen and how many happen when, and breaks only
the link between the two. A cell holding more pairs than the shuffles give
(small p-value, ratio > 1) says that events close in space are also close in
time more often than chance: the near-repeat pattern.

:func:`knox_test` enumerates the spatially close pairs once (a k-d tree) and
re-bins only their time gaps in each permutation; the pairs farther apart
than the largest band are counted without being listed, because the number of
pairs in each time band over *all* pairs does not change when dates are
shuffled. :func:`knox_naive` is the all-pairs way, kept for the benchmark and
for the test that the two agree exactly.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from pyproj import Transformer
from scipy.spatial import cKDTree

from anshin_lab.core.clock import TOKYO_NAME
from anshin_lab.core.errors import ParameterError
from anshin_lab.core.geo import METRIC_CRS, WGS84

SPACE_BANDS_M = (0, 100, 200, 400, 800)
TIME_BANDS_DAYS = (0, 7, 14, 21, 28)
PERMUTATIONS = 999
ALPHA = 0.05
KNOX_COLUMNS = ("space_band", "time_band", "observed", "expected", "ratio", "p_value", "significant")
# Permutations × close pairs handled at once (bounds the memory of one chunk to a few tens of MB).
CHUNK_ELEMENTS = 4_000_000
DAY_NS = 86_400 * 10**9


@dataclass(frozen=True)
class KnoxResult:
    """The Knox table and its reading.

    ``table`` has one row per distance band × time band (columns
    ``KNOX_COLUMNS``, in the bands' order): ``observed`` pairs, ``expected``
    pairs (the mean over the permutations), ``ratio`` = observed / expected,
    ``p_value`` = (1 + permutations with at least the observed count) /
    (permutations + 1), ``significant`` = p_value ≤ alpha. ``reading`` says in
    Japanese what the table shows.
    """

    table: pd.DataFrame
    reading: str
    n_events: int
    n_dropped: int
    permutations: int
    seed: int
    alpha: float
    space_bands_m: tuple
    time_bands_days: tuple

    def ratios(self) -> pd.DataFrame:
        """The observed/expected ratios laid out as the Near Repeat Calculator shows them (distance × time)."""
        return self.pivot("ratio")

    def pivot(self, column: str) -> pd.DataFrame:
        """One column of ``table`` as a distance band × time band frame, bands in order."""
        frame = self.table.pivot(index="space_band", columns="time_band", values=column)
        return frame.reindex(index=self.table["space_band"].unique(), columns=self.table["time_band"].unique())


def project_to_metres(frame: pd.DataFrame, *, lat: str = "lat", lon: str = "lon", x: str = "x", y: str = "y"
                      ) -> pd.DataFrame:
    """A copy of ``frame`` with ``x`` and ``y`` in metres (EPSG:6670) computed from WGS84 ``lat``/``lon``."""
    missing = [c for c in (lat, lon) if c not in frame.columns]
    if missing:
        raise ParameterError(f"緯度・経度の列({'・'.join(missing)})がありません。列名を lat= / lon= で指定してください")
    transformer = Transformer.from_crs(WGS84, METRIC_CRS, always_xy=True)
    east, north = transformer.transform(frame[lon].to_numpy(float), frame[lat].to_numpy(float))
    out = frame.copy()
    out[x] = east
    out[y] = north
    return out


def knox_test(frame: pd.DataFrame, *, space_bands_m=SPACE_BANDS_M, time_bands_days=TIME_BANDS_DAYS,
              permutations: int = PERMUTATIONS, seed: int = 0, x: str = "x", y: str = "y",
              t: str = "occurred_at", alpha: float = ALPHA) -> KnoxResult:
    """The Knox test for near repeats, with Monte Carlo significance, as the Near Repeat Calculator does.

    Parameters
    ----------
    frame : DataFrame
        One row per event: ``x``, ``y`` in metres (a projected CRS such as
        EPSG:6670) and ``t`` (timestamps; tz-aware ones are read in Asia/Tokyo,
        naive ones are taken as Tokyo time). Without ``x``/``y`` but with
        ``lat``/``lon`` (WGS84), the points are projected to EPSG:6670 first.
        Rows lacking a place or a time are left out (counted in ``n_dropped``).
    space_bands_m : increasing distances in metres
        ``(0, 100, 200, 400, 800)`` gives the rows 同一地点 (distance 0),
        0–100 m, 100–200 m, 200–400 m, 400–800 m and 800 m超 (each band
        includes its upper bound). A first value above 0 makes the first row
        "within that distance".
    time_bands_days : increasing whole days starting at 0
        ``(0, 7, 14, 21, 28)`` gives the columns 0〜7日, 8〜14日, 15〜21日,
        22〜28日 and 29日以上; the gap is the number of calendar days between
        the two events' dates in Tokyo.
    permutations : int
        Monte Carlo shuffles of the dates among the events.
    seed : int
        Seed of ``numpy.random.default_rng``; the same seed gives the same
        expected counts and p-values as :func:`knox_naive`.

    Returns
    -------
    KnoxResult

    Raises
    ------
    ParameterError
        A column is missing, or the bands or the number of permutations are not usable.
    """
    events = prepare_events(frame, x=x, y=y, t=t)
    space_edges, time_edges = check_bands(space_bands_m, time_bands_days, permutations)
    xy, days = events["xy"], events["days"]
    n_space, n_time = len(space_edges) + 1, len(time_edges)
    cells = n_space * n_time
    tree = cKDTree(xy)
    pairs = tree.query_pairs(r=float(space_edges[-1]), output_type="ndarray")
    i, j = pairs[:, 0], pairs[:, 1]
    space_band = space_band_of(pair_distances(xy, i, j), space_edges)
    cell_base = (space_band * n_time).astype(np.int64)
    lut = time_lookup(time_edges)
    time_totals = pairs_per_time_band(days, time_edges)

    def table_of(close_counts: np.ndarray) -> np.ndarray:
        # close_counts: (k, cells) over the listed pairs; the beyond row is what the time bands' totals leave.
        full = close_counts.reshape(-1, n_space, n_time).copy()
        full[:, -1, :] = time_totals - full[:, :-1, :].sum(axis=1)
        return full.reshape(-1, cells)

    observed = table_of(np.bincount(cell_base + lut[np.minimum(np.abs(days[i] - days[j]), len(lut) - 1)],
                                    minlength=cells)[None, :])[0]
    rng = np.random.default_rng(seed)
    chunk = max(1, min(permutations, CHUNK_ELEMENTS // max(1, len(i))))
    simulated = np.empty((permutations, cells), dtype=np.int64)
    for start in range(0, permutations, chunk):
        stop = min(permutations, start + chunk)
        shuffled = days[np.stack([rng.permutation(len(days)) for _ in range(stop - start)])]
        gaps = np.abs(shuffled[:, i] - shuffled[:, j])
        cell = cell_base[None, :] + lut[np.minimum(gaps, len(lut) - 1)]
        cell += (np.arange(stop - start, dtype=np.int64) * cells)[:, None]
        counts = np.bincount(cell.ravel(), minlength=(stop - start) * cells).reshape(stop - start, cells)
        simulated[start:stop] = table_of(counts)
    return knox_result(observed, simulated, space_edges, time_edges, events, seed=seed, alpha=alpha)


def knox_naive(frame: pd.DataFrame, *, space_bands_m=SPACE_BANDS_M, time_bands_days=TIME_BANDS_DAYS,
               permutations: int = PERMUTATIONS, seed: int = 0, x: str = "x", y: str = "y",
               t: str = "occurred_at", alpha: float = ALPHA) -> KnoxResult:
    """The Knox test the all-pairs way a competent user writes it: every pair, every permutation.

    The distances of all n(n−1)/2 pairs are computed once with numpy
    (``triu_indices``); each permutation shuffles the dates and bins every
    pair's time gap again. Same arguments, same result as :func:`knox_test`
    (identical counts; identical expected counts and p-values for the same
    seed); kept for the benchmark and the tests. Memory grows with n².
    """
    events = prepare_events(frame, x=x, y=y, t=t)
    space_edges, time_edges = check_bands(space_bands_m, time_bands_days, permutations)
    xy, days = events["xy"], events["days"]
    n_space, n_time = len(space_edges) + 1, len(time_edges)
    cells = n_space * n_time
    i, j = np.triu_indices(len(days), k=1)
    space_band = space_band_of(pair_distances(xy, i, j), space_edges)
    cell_base = space_band.astype(np.int64) * n_time

    def counts_of(d: np.ndarray) -> np.ndarray:
        gaps = np.abs(d[i] - d[j])
        time_band = np.searchsorted(time_edges[1:], gaps, side="left")
        return np.bincount(cell_base + time_band, minlength=cells)

    observed = counts_of(days)
    rng = np.random.default_rng(seed)
    simulated = np.stack([counts_of(days[rng.permutation(len(days))]) for _ in range(permutations)])
    return knox_result(observed, simulated, space_edges, time_edges, events, seed=seed, alpha=alpha)


def prepare_events(frame: pd.DataFrame, *, x: str, y: str, t: str) -> dict:
    """Coordinates in metres and Tokyo calendar days (int64) of the rows that have both."""
    if t not in frame.columns:
        raise ParameterError(f"発生日時の列「{t}」がありません。t= で列名を指定してください")
    if not {x, y} <= set(frame.columns):
        if {"lat", "lon"} <= set(frame.columns):
            frame = project_to_metres(frame, x=x, y=y)
        else:
            raise ParameterError(f"座標の列({x}・{y}、メートル)も緯度・経度の列(lat・lon)もありません。"
                                 "x= / y= で列名を指定してください")
    when = pd.to_datetime(frame[t])
    when = when.dt.tz_convert(TOKYO_NAME) if when.dt.tz is not None else when.dt.tz_localize(TOKYO_NAME)
    coords = frame[[x, y]].apply(pd.to_numeric, errors="coerce").to_numpy(float)
    keep = np.isfinite(coords).all(axis=1) & when.notna().to_numpy()
    if keep.sum() < 2:
        raise ParameterError("Knox 検定には場所と日時のある事案が2件以上必要です")
    local = when[keep].dt.tz_localize(None).dt.normalize()
    days = (local.to_numpy().astype("datetime64[ns]").astype(np.int64) // DAY_NS).astype(np.int64)
    return {"xy": coords[keep], "days": days, "dropped": int((~keep).sum())}


def check_bands(space_bands_m, time_bands_days, permutations) -> tuple[np.ndarray, np.ndarray]:
    """The bands as arrays, after checking they are usable."""
    space = np.asarray(tuple(space_bands_m), dtype=float)
    time = np.asarray(tuple(time_bands_days), dtype=np.int64)
    if len(space) < 1 or space[0] < 0 or np.any(np.diff(space) <= 0):
        raise ParameterError("距離帯は0以上で増えていく値で指定してください(例: 0,100,200,400,800)")
    if len(time) < 2 or time[0] != 0 or np.any(np.diff(time) <= 0) \
            or not np.array_equal(time, np.asarray(tuple(time_bands_days), dtype=float)):
        raise ParameterError("期間帯は0から始まり増えていく日数(整数)で指定してください(例: 0,7,14,21,28)")
    if int(permutations) != permutations or permutations < 1:
        raise ParameterError("並べ替えの回数は1以上の整数で指定してください(例: 999)")
    return space, time


def pair_distances(xy: np.ndarray, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Euclidean distances of the pairs (i, j), one formula for both ways so that band edges agree exactly."""
    dx = xy[i, 0] - xy[j, 0]
    dy = xy[i, 1] - xy[j, 1]
    return np.sqrt(dx * dx + dy * dy)


def space_band_of(distance: np.ndarray, space_edges: np.ndarray) -> np.ndarray:
    """Row of each distance: ≤ first edge → 0, (e[k−1], e[k]] → k, beyond the last edge → len(edges)."""
    return np.searchsorted(space_edges, distance, side="left")


def time_lookup(time_edges: np.ndarray) -> np.ndarray:
    """Column of each gap of 0…last edge + 1 days (gaps are clipped to the last entry, the beyond column)."""
    gaps = np.arange(int(time_edges[-1]) + 2)
    return np.searchsorted(time_edges[1:], gaps, side="left").astype(np.int64)


def pairs_per_time_band(days: np.ndarray, time_edges: np.ndarray) -> np.ndarray:
    """How many of all n(n−1)/2 pairs fall in each time band (unchanged by shuffling the dates)."""
    ordered = np.sort(days)
    index = np.arange(len(ordered))
    within = [int((np.searchsorted(ordered, ordered + edge, side="right") - index - 1).sum())
              for edge in time_edges[1:]]
    total = len(ordered) * (len(ordered) - 1) // 2
    return np.diff(np.array([0, *within, total], dtype=np.int64))


def band_labels(space_edges: np.ndarray, time_edges: np.ndarray) -> tuple[list[str], list[str]]:
    """Japanese labels of the distance rows and the time columns."""
    metres = [f"{e:g}m" for e in space_edges]
    space = ["同一地点" if space_edges[0] == 0 else f"{metres[0]}以内"]
    space += [f"{a}〜{b}" for a, b in zip([m.removesuffix("m") for m in metres[:-1]], metres[1:])]
    space.append(f"{metres[-1]}超")
    edges = [int(e) for e in time_edges]
    time = [f"0〜{edges[1]}日"] + [f"{a + 1}〜{b}日" for a, b in zip(edges[1:-1], edges[2:])]
    time.append(f"{edges[-1] + 1}日以上")
    return space, time


def knox_result(observed: np.ndarray, simulated: np.ndarray, space_edges, time_edges, events, *, seed: int,
                alpha: float) -> KnoxResult:
    """Expected counts, ratios and p-values from the observed and simulated tables, with the reading."""
    permutations = len(simulated)
    expected = simulated.mean(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(expected > 0, observed / expected, np.nan)
    p_value = (1 + (simulated >= observed[None, :]).sum(axis=0)) / (permutations + 1)
    space_labels, time_labels = band_labels(space_edges, time_edges)
    table = pd.DataFrame({
        "space_band": np.repeat(space_labels, len(time_labels)),
        "time_band": np.tile(time_labels, len(space_labels)),
        "observed": observed.astype(np.int64),
        "expected": expected,
        "ratio": ratio,
        "p_value": p_value,
        "significant": p_value <= alpha,
    })
    n = len(events["days"])
    reading = read_knox(table, n=n, permutations=permutations, alpha=alpha, dropped=events["dropped"])
    return KnoxResult(table=table, reading=reading, n_events=n, n_dropped=events["dropped"],
                      permutations=permutations, seed=seed, alpha=alpha,
                      space_bands_m=tuple(float(e) for e in space_edges),
                      time_bands_days=tuple(int(e) for e in time_edges))


def read_knox(table: pd.DataFrame, *, n: int, permutations: int, alpha: float, dropped: int = 0) -> str:
    """A short Japanese reading of the Knox table: the method, then the near cells that stand out.

    A near-repeat pattern is claimed only when a cell of the first time band
    in the nearest distance bands (同一地点 and the first band beyond it) holds
    significantly more pairs than expected; significant cells elsewhere alone
    are reported as possibly chance (one test per cell, no correction).
    """
    spaces, times = list(table["space_band"].unique()), list(table["time_band"].unique())
    near = table[table["space_band"].isin(spaces[:-1]) & table["time_band"].isin(times[:-1])]
    hits = near[near["significant"] & (near["ratio"] > 1)].sort_values(["p_value", "ratio"], ascending=[True, False])
    core = hits[hits["space_band"].isin(spaces[:2]) & (hits["time_band"] == times[0])]
    lines = [f"{n:,}件の事案の全ての組({n * (n - 1) // 2:,}組)を距離帯×期間帯に分け、発生日を事案の間で"
             f"{permutations:,}回無作為に入れ替えた場合の件数(期待値)と比べました(Knox 検定、Near Repeat Calculator と同じ方法)。"]
    if dropped:
        lines.append(f"場所または日時のない{dropped:,}件は除きました。")
    if len(hits):
        cells = "、".join(f"{r.space_band}・{r.time_band}で{r.observed:,}組(期待値の{r.ratio:.1f}倍、p={r.p_value:.3f})"
                          for r in hits.head(3).itertuples())
        lines.append(f"期待より有意に多かったのは{cells}です。")
    if len(core):
        lines.append("ある事案の後、近くで間を置かずに次の事案が起きやすい傾向(近接反復)があります。")
    elif len(hits):
        lines.append(f"ただし最も近い距離帯({'・'.join(spaces[:2])})の{times[0]}では有意でなく、"
                     "偶然の可能性があるため、近接反復の傾向とは言えません。")
    else:
        lines.append(f"近い距離帯・短い期間帯で期待より有意に多い組はなく(有意水準{alpha:g})、近接反復の傾向は見られません。")
    lines.append(f"セルごとの検定で、多重比較の補正はしていません({len(near)}セル中およそ{len(near) * alpha:.1f}セルは"
                 "偶然でも有意になり得ます)。")
    return "".join(lines)
