"""Series linking: which 脅威事犯 look like the same man again, across stations.

Each station sees only its own incidents; the same driver asking children to
get into his car may be reported in three stations' books. :func:`link_series`
finds pairs of incidents close in space and time (a k-d tree over projected
metres and scaled days, never all pairs), scores how alike the witnesses'
descriptions of the actor are (:mod:`analysis.descriptions`), keeps the strong
links with the reasons an analyst reads, and groups them into candidate
series.

How a link is scored (every weight is a constant below, tuned on the sample's
planted series, see tests/test_series.py):

* description similarity ``D``: a weighted mean of per-attribute similarities
  over the attributes both descriptions state (``WEIGHTS``), pulled towards
  ``PRIOR`` by ``PRIOR_WEIGHT`` so that two sparse descriptions agreeing on one
  word do not score as high as two full ones agreeing on everything;
* proximity ``P = 1 − ½·km/max_km − ½·days/max_days`` (clipped to [0, 1]);
* ``score = DESCRIPTION_SHARE·D + (1 − DESCRIPTION_SHARE)·P``, in [0, 1].

Series: the connected components of links with ``score ≥ min_score``, each
then split by average-linkage clustering of the description similarity D over
all its pairs (pairs outside the space-time window still compare their
descriptions), merging two groups only while their mean pairwise D is at least
``cohesion``; groups of at least ``min_size`` are reported. A decoy that
resembles two different men thus links to both but does not merge them, and
one chance likeness does not pull a stranger into a series.

Pure: the incidents are passed in (columns as ``app.catalog.read_incidents``
returns them: ``incident_id``, ``occurred_at``, ``lat``/``lon`` in WGS84,
``station``, ``category``, ``subtype`` and the description columns).
Incidents without coordinates or time cannot be placed and are left out.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np
import pandas as pd
from pyproj import Transformer
from scipy.cluster.hierarchy import linkage
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from scipy.spatial import cKDTree

from anshin_lab.analysis.descriptions import MODES, SIMILARITY, describe_actors
from anshin_lab.core.geo import METRIC_CRS, WGS84

__all__ = [
    "COHESION", "DESCRIPTION_SHARE", "LINK_COLUMNS", "MIN_SCORE", "MIN_SIZE", "PRIOR", "PRIOR_WEIGHT",
    "SERIES_COLUMNS", "WEIGHTS", "SeriesResult", "attribute_similarities", "candidate_pairs", "feature_arrays",
    "link_reasons",
    "link_series", "project_points", "score_pairs",
]

# -- weights (documented; tuned on the planted series of the sample) ----------------------------
# Relative weight of each attribute in the description similarity D. Concrete, rarely shared
# things weigh most (the vehicle, the garment, the hair); things witnesses misjudge or that
# many men share (age, height, build, colour) less; context of the act (手口, hour, victim) least.
WEIGHTS = {
    "vehicle_kind": 2.0,    # 軽自動車 / ワゴン車 / 自転車 …: what witnesses remember best
    "vehicle_colour": 1.0,  # 白 / 銀 …: near colours count half
    "mode": 1.0,            # 車 / 自転車 / 徒歩, when the vehicle itself is not described by both
    "top_item": 1.5,        # 作業服 / 上着 / パーカー …: near garments count half
    "top_colour": 1.0,      # black is common, so colour alone weighs less than the garment
    "bottom_item": 0.5,
    "bottom_colour": 0.5,
    "accessories": 1.0,     # マスク, メガネ, 帽子 … (Jaccard over what both mention)
    "hair": 1.5,            # 坊主 / 茶髪 / 白髪 …
    "build": 1.0,           # やせ型 / 中肉 / 太め (a neighbouring build counts 0.3)
    "age": 1.0,             # overlapping age ranges 1, adjacent decades 0.5
    "height": 1.0,          # within 5 cm 1, within 10 cm 0.5
    "subtype": 1.5,         # the same 手口 1, the same family (声かけ/つきまとい) 0.6
    "hour": 0.75,           # time of day within 1 h 1, 2 h 0.6, 3 h 0.3
    "victim": 0.5,          # child victim vs adult victim
    "phrase": 1.0,          # the same words quoted (「車に乗らない？」)
}
PRIOR = 0.3            # D of two descriptions that state nothing in common
PRIOR_WEIGHT = 2.0     # how much evidence it takes to move D away from PRIOR
DESCRIPTION_SHARE = 0.8  # the rest of the score is proximity
MIN_SCORE = 0.66       # a link at least this strong joins a candidate series
COHESION = 0.6         # mean pairwise description similarity two groups need to be one series
MIN_SIZE = 3           # a series is three incidents or more (a lone similar pair stays a link)

LINK_COLUMNS = ("incident_a", "incident_b", "score", "distance_km", "days_apart", "reasons", "series_id")
SERIES_COLUMNS = ("series_id", "incident_ids", "size", "stations", "crosses_stations", "first_at", "last_at",
                  "score", "reasons")

_TO_METRES = Transformer.from_crs(WGS84, METRIC_CRS, always_xy=True)
_DAY = pd.Timedelta(days=1)


@dataclass(frozen=True)
class SeriesResult:
    """Links (``LINK_COLUMNS``, strongest first) and candidate series (``SERIES_COLUMNS``, oldest first)."""

    links: pd.DataFrame
    series: pd.DataFrame


def project_points(lat, lon) -> tuple[np.ndarray, np.ndarray]:
    """WGS84 latitude/longitude to metres in JGD2011 / Japan Plane Rectangular CS II (EPSG:6670)."""
    x, y = _TO_METRES.transform(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
    return np.asarray(x), np.asarray(y)


def candidate_pairs(x, y, days, *, max_km: float, max_days: float) -> tuple[np.ndarray, np.ndarray]:
    """Index pairs (i < j) at most ``max_km`` apart (metres ``x``, ``y``) and ``max_days`` apart.

    A k-d tree over (x, y, days scaled so that ``max_days`` spans ``max_km``)
    finds the pairs inside the box; the exact distance then trims its corners.
    """
    radius = max_km * 1000.0
    scale = radius / max_days if max_days > 0 else 1e9
    points = np.column_stack([x, y, np.asarray(days, dtype=float) * scale])
    pairs = cKDTree(points).query_pairs(radius, p=np.inf, output_type="ndarray")
    if not len(pairs):
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    i, j = pairs[:, 0].astype(np.int64), pairs[:, 1].astype(np.int64)
    keep = np.hypot(x[i] - x[j], y[i] - y[j]) <= radius
    i, j = i[keep], j[keep]
    swap = i > j
    i[swap], j[swap] = j[swap], i[swap]
    return i, j


_CATEGORICAL = ("vehicle_kind", "vehicle_colour", "top_item", "top_colour", "bottom_item", "bottom_colour", "hair",
                "build", "mode")


def _flat_tables(table: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The similarity table with an extra 'not said' code, flattened: (similarity, stated by both)."""
    size = len(table) + 1
    similarity = np.zeros((size, size), dtype=np.float32)
    similarity[:-1, :-1] = table
    known = np.zeros((size, size), dtype=bool)
    known[:-1, :-1] = True
    return similarity.ravel(), known.ravel()


_FLAT = {name: _flat_tables(SIMILARITY[name]) for name in _CATEGORICAL}
_BITS = np.array([bin(v).count("1") for v in range(256)], dtype=np.float32)


def _categorical(features: dict, name: str, i, j) -> tuple[np.ndarray, np.ndarray]:
    codes = features[f"{name}_index"]
    similarity, known = _FLAT[name]
    index = codes[i] * np.int32(len(SIMILARITY[name]) + 1) + codes[j]
    return similarity[index], known[index]


def attribute_similarities(features: dict, i, j) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Per attribute of ``WEIGHTS``: (similarity in [0, 1], stated by both) for the pairs (i, j).

    ``features`` is what :func:`feature_arrays` returns.
    """
    sims = {name: _categorical(features, name, i, j) for name in _CATEGORICAL}
    sims["mode"] = (sims["mode"][0], sims["mode"][1] & ~sims["vehicle_kind"][1])
    one, half, none = np.float32(1), np.float32(0.5), np.float32(0)
    gap = np.maximum(features["age_lo"][i], features["age_lo"][j]) - np.minimum(features["age_hi"][i],
                                                                               features["age_hi"][j])
    sims["age"] = (np.where(gap <= 0, one, np.where(gap <= 2, half, none)), ~np.isnan(gap))
    d_height = np.abs(features["height_cm"][i] - features["height_cm"][j])
    sims["height"] = (np.where(d_height <= 5, one, np.where(d_height <= 10, half, none)), ~np.isnan(d_height))
    acc_a, acc_b = features["accessories"][i], features["accessories"][j]
    both = (acc_a > 0) & (acc_b > 0)
    sims["accessories"] = (np.where(both, _BITS[acc_a & acc_b] / np.maximum(_BITS[acc_a | acc_b], 1), none), both)
    sub_a, sub_b = features["subtype_code"][i], features["subtype_code"][j]
    fam_a = features["family"][i]
    same_family = (fam_a >= 0) & (fam_a == features["family"][j])
    sims["subtype"] = (np.where(sub_a == sub_b, one, np.where(same_family, np.float32(0.6), none)),
                       (sub_a >= 0) & (sub_b >= 0))
    d_hour = np.abs(features["hour"][i] - features["hour"][j])
    d_hour = np.minimum(d_hour, 24 - d_hour)
    sims["hour"] = (np.where(d_hour <= 1, one, np.where(d_hour <= 2, np.float32(0.6),
                                                        np.where(d_hour <= 3, np.float32(0.3), none))),
                    ~np.isnan(d_hour))
    vic_a, vic_b = features["child_victim"][i], features["child_victim"][j]
    sims["victim"] = ((vic_a == vic_b).astype(np.float32), (vic_a >= 0) & (vic_b >= 0))
    ph_a, ph_b = features["phrase_code"][i], features["phrase_code"][j]
    sims["phrase"] = ((ph_a == ph_b).astype(np.float32), (ph_a >= 0) & (ph_b >= 0))
    return sims


def score_pairs(features: dict, i, j, distance_km, days_apart, *, max_km: float, max_days: float):
    """(score, description similarity D, per-attribute similarities) of the pairs (i, j); see the module."""
    sims = attribute_similarities(features, i, j)
    total = np.full(len(i), PRIOR * PRIOR_WEIGHT, dtype=np.float32)
    weight = np.full(len(i), PRIOR_WEIGHT, dtype=np.float32)
    for name, w in WEIGHTS.items():
        value, known = sims[name]
        stated = np.where(known, np.float32(w), np.float32(0))
        total += stated * value
        weight += stated
    description = total / weight
    proximity = np.clip(1 - 0.5 * np.asarray(distance_km) / max_km - 0.5 * np.asarray(days_apart) / max_days, 0, 1)
    return DESCRIPTION_SHARE * description + (1 - DESCRIPTION_SHARE) * proximity, description, sims


def feature_arrays(described: pd.DataFrame) -> dict:
    """The columns of ``describe_actors`` as arrays, with ``subtype_code`` and ``phrase_code`` (-1: none)."""
    arrays = {col: described[col].to_numpy() for col in described.columns}
    for col in ("age_lo", "age_hi", "height_cm", "hour"):
        arrays[col] = arrays[col].astype(np.float32)
    for name in _CATEGORICAL:  # 'not said' (-1) becomes the extra last code of the flat tables
        codes = arrays[name].astype(np.int32)
        arrays[f"{name}_index"] = np.where(codes < 0, np.int32(len(SIMILARITY[name])), codes)
    arrays["accessories"] = arrays["accessories"].astype(np.int32) & 0xFF
    for name in ("subtype", "phrase"):
        codes, _ = pd.factorize(described[name].replace("", None))
        arrays[f"{name}_code"] = codes
    return arrays


# -- reasons an analyst reads ------------------------------------------------------------------

_LABELS = {
    "vehicle": "車両", "top": "上衣", "bottom": "下衣", "accessories": "着用品", "hair": "髪型", "build": "体格",
    "age": "年代", "height": "身長", "subtype": "手口", "hour": "時間帯", "victim": "被害者層", "phrase": "言葉",
    "mode": "移動手段",
}


def _pair_words(described: dict, a: int, b: int, column: str) -> str:
    first, second = described[column][a], described[column][b]
    return first if first == second else f"{first}/{second}"


def _hour_words(described: dict, a: int, b: int) -> str:
    hours = [f"{int(described['hour'][k])}時台" for k in (a, b)]
    return hours[0] if hours[0] == hours[1] else "/".join(hours)


def link_reasons(described: dict, sims: dict, k: int, a: int, b: int, distance_km: float,
                 days_apart: float) -> list[str]:
    """Short Japanese phrases for the pair ``k`` (rows ``a``, ``b``): why it links.

    ``described`` maps each column of ``describe_actors`` to a list (or array)
    of its values; ``sims`` is ``attribute_similarities`` of the pairs.
    """
    reasons = [f"{distance_km:.1f} km・{int(round(days_apart))}日差"]

    def state(key: str, value: float, words: str, *, conflict: bool = False) -> None:
        if value >= 0.99 and not (key in ("age", "height") and "/" in words):  # 30代/40歳くらい: close, not equal
            reasons.append(f"{_LABELS[key]}が一致({words})")
        elif value >= 0.3:
            reasons.append(f"{_LABELS[key]}が近い({words})")
        elif conflict:
            reasons.append(f"{_LABELS[key]}が異なる({words})")

    def known(name: str) -> bool:
        return bool(sims[name][1][k])

    def value(name: str) -> float:
        return float(sims[name][0][k])

    if known("vehicle_kind"):
        colour = value("vehicle_colour") if known("vehicle_colour") else 1.0
        state("vehicle", min(value("vehicle_kind"), colour), _pair_words(described, a, b, "vehicle_text"),
              conflict=True)
    elif known("mode"):
        modes = [described["mode"][x] for x in (a, b)]
        state("mode", value("mode"), "/".join(dict.fromkeys(MODES[m] for m in modes)))
    if known("top_item") or known("top_colour"):
        parts = [value(n) for n in ("top_item", "top_colour") if known(n)]
        state("top", min(parts), _pair_words(described, a, b, "top_text"))
    if known("bottom_item"):
        state("bottom", value("bottom_item"), _pair_words(described, a, b, "bottom_text"))
    if known("accessories"):
        state("accessories", value("accessories"), _pair_words(described, a, b, "accessory_text"))
    for key in ("hair", "build", "age"):
        if known(key):
            state(key, value(key), _pair_words(described, a, b, f"{key}_text"), conflict=True)
    if known("height"):
        heights = [f"{described['height_cm'][x]:.0f}" for x in (a, b)]
        state("height", value("height"), (heights[0] if heights[0] == heights[1] else "/".join(heights)) + " cm",
              conflict=True)
    if known("subtype"):
        state("subtype", value("subtype"), _pair_words(described, a, b, "subtype"))
    if known("phrase") and value("phrase") >= 0.99:
        reasons.append(f"言葉が一致(「{described['phrase'][a]}」)")
    if known("hour") and value("hour") >= 0.6:
        state("hour", value("hour"), _hour_words(described, a, b))
    return reasons



def _series_reasons(size: int, first_at, last_at, link_reasons_: list[list[str]], radius_km: float) -> list[str]:
    """The series in a line, then how often each attribute agreed over its links."""
    days = int(round((last_at - first_at) / _DAY))
    reasons = [f"{size}件・{days}日間・半径{radius_km:.1f} km以内"]
    agreed: Counter = Counter()
    for phrases in link_reasons_:
        labels = {p.split("が")[0] for p in phrases[1:] if "が一致" in p or "が近い" in p}
        agreed.update(labels)
    total = len(link_reasons_)
    for label, count in sorted(agreed.items(), key=lambda kv: (-kv[1], kv[0]))[:4]:
        reasons.append(f"{label}が一致・類似({count}/{total}組)")
    return reasons


# -- grouping ----------------------------------------------------------------------------------

def _split_components(parts: list, features: dict, x, y, days, *, max_km, max_days, cohesion) -> list:
    """Average-linkage groups of each component, over all its pairs (scored in one batch)."""
    groups = [p for p in parts if len(p) <= 2]
    parts = [p for p in parts if len(p) > 2]
    if not parts:
        return groups
    pairs = [np.triu_indices(len(p), k=1) for p in parts]
    i = np.concatenate([p[a] for p, (a, _) in zip(parts, pairs)])
    j = np.concatenate([p[b] for p, (_, b) in zip(parts, pairs)])
    distance = np.hypot(x[i] - x[j], y[i] - y[j]) / 1000.0
    _, description, _ = score_pairs(features, i, j, distance, np.abs(days[i] - days[j]), max_km=max_km,
                                    max_days=max_days)
    ends = np.cumsum([len(a) for a, _ in pairs])
    for members, chunk in zip(parts, np.split(description.astype(float), ends[:-1])):
        groups.extend(_cut(linkage(1.0 - np.clip(chunk, 0, 1), method="average"), members, 1.0 - cohesion))
    return groups


def _cut(tree: np.ndarray, members: np.ndarray, height: float) -> list[np.ndarray]:
    """The flat clusters of a linkage ``tree`` cut at ``height`` (average linkage merges only upwards)."""
    clusters: dict[int, list[int]] = {k: [k] for k in range(len(members))}
    for step, (a, b, merged_at, _) in enumerate(tree):
        if merged_at > height:
            break
        clusters[len(members) + step] = clusters.pop(int(a)) + clusters.pop(int(b))
    return [members[sorted(rows)] for rows in clusters.values()]


SCORE_CHUNK = 1_000_000  # pairs scored at once (bounds memory for dense data)
MAX_DENSE = 400  # largest group clustered over all its pairs; bigger ones are first cut by stronger links


def _scores(features: dict, i, j, distance, apart, max_km, max_days) -> np.ndarray:
    """The scores of all candidate pairs, a chunk at a time."""
    scores = np.empty(len(i))
    for start in range(0, len(i), SCORE_CHUNK):
        part = slice(start, start + SCORE_CHUNK)
        scores[part] = score_pairs(features, i[part], j[part], distance[part], apart[part], max_km=max_km,
                                   max_days=max_days)[0]
    return scores


def _components(n: int, i, j, keep) -> list[np.ndarray]:
    """Node groups (two or more) connected by the links ``keep`` selects."""
    graph = coo_matrix((np.ones(int(keep.sum())), (i[keep], j[keep])), shape=(n, n))
    _, label = connected_components(graph, directed=False)
    order = np.argsort(label, kind="stable")
    parts = np.split(order, np.flatnonzero(np.diff(label[order])) + 1)
    return [p for p in parts if len(p) >= 2]


def _groups(n: int, i, j, score, features, x, y, days, *, min_score, max_km, max_days, cohesion) -> list:
    """Series before the size cut: components of the strong links, split by average linkage.

    A component too big to compare all its pairs (more than ``MAX_DENSE``,
    which happens only where incidents are dense) is first cut by requiring
    stronger links, 0.02 at a time, until its parts are small enough.
    """
    small, pending = [], [(part, min_score) for part in _components(n, i, j, np.ones(len(i), dtype=bool))]
    while pending:
        members, level = pending.pop()
        if len(members) <= MAX_DENSE:
            small.append(members)
            continue
        inside = np.zeros(n, dtype=bool)
        inside[members] = True
        level += 0.02
        keep = inside[i] & inside[j] & (score >= level)
        pending.extend((part, level) for part in _components(n, i, j, keep))
    small.sort(key=lambda members: int(members.min()))
    return _split_components(small, features, x, y, days, max_km=max_km, max_days=max_days, cohesion=cohesion)


def _select(incidents: pd.DataFrame, categories) -> pd.DataFrame:
    frame = incidents
    if categories is not None and "category" in frame.columns:
        frame = frame[frame["category"].isin(list(categories))]
    lat = pd.to_numeric(frame["lat"], errors="coerce")
    lon = pd.to_numeric(frame["lon"], errors="coerce")
    frame = frame[lat.notna().to_numpy() & lon.notna().to_numpy() & frame["occurred_at"].notna().to_numpy()]
    return frame.sort_values("incident_id", kind="stable").reset_index(drop=True)


def _empty_result() -> SeriesResult:
    return SeriesResult(pd.DataFrame(columns=list(LINK_COLUMNS)), pd.DataFrame(columns=list(SERIES_COLUMNS)))


def link_series(incidents: pd.DataFrame, *, max_km: float = 3.0, max_days: float = 30,
                min_score: float = MIN_SCORE, cohesion: float = COHESION, min_size: int = MIN_SIZE,
                categories=("threat",), pair_finder=candidate_pairs) -> SeriesResult:
    """Candidate series of incidents by the same actor, with scored, explained links.

    Parameters
    ----------
    incidents : DataFrame
        As ``app.catalog.read_incidents`` returns it; only ``categories``
        (None: all) with coordinates and a time are linked.
    max_km, max_days : float
        The space-time window of a link (distance in metres of EPSG:6670, days
        between the times).
    min_score : float
        Links at least this strong (in [0, 1]) are kept and join series.
    cohesion : float
        Mean pairwise description similarity two groups of a component need
        to be one series.
    min_size : int
        Smallest series reported (3: a lone look-alike pair stays a link).
    pair_finder : callable
        ``(x, y, days, *, max_km, max_days) -> (i, j)`` with i < j: how the
        candidate pairs are found (the k-d tree; the benchmark passes the
        all-pairs way to compare).

    Returns
    -------
    SeriesResult
        ``.links``: incident_a < incident_b, score, distance_km, days_apart,
        reasons (list of Japanese phrases), series_id (None unless both ends
        are in the same reported series); ``.series``: series_id (S001, … by first
        incident), incident_ids (tuple, by time), size, stations (tuple),
        crosses_stations, first_at, last_at, score (mean of its links),
        reasons.
    """
    frame = _select(incidents, categories)
    if len(frame) < 2:
        return _empty_result()
    x, y = project_points(frame["lat"], frame["lon"])
    when = pd.DatetimeIndex(frame["occurred_at"])
    days = ((when - when.min()) / _DAY).to_numpy(dtype=float)
    i, j = pair_finder(x, y, days, max_km=max_km, max_days=max_days)
    if not len(i):
        return _empty_result()
    described = describe_actors(frame)
    features = feature_arrays(described)
    distance = np.hypot(x[i] - x[j], y[i] - y[j]) / 1000.0
    apart = np.abs(days[i] - days[j])
    strong = np.flatnonzero(_scores(features, i, j, distance, apart, max_km, max_days) >= min_score)
    i, j, distance, apart = i[strong], j[strong], distance[strong], apart[strong]
    score, _, sims = score_pairs(features, i, j, distance, apart, max_km=max_km, max_days=max_days)
    n = len(frame)
    groups = [g for g in _groups(n, i, j, score, features, x, y, days, min_score=min_score, max_km=max_km,
                                 max_days=max_days, cohesion=cohesion) if len(g) >= min_size]
    groups.sort(key=lambda g: (days[g].min(), int(g.min())))  # by first incident (rows are in id order)
    group_of = np.full(n, -1)
    for number, members in enumerate(groups):
        group_of[members] = number
    ids = frame["incident_id"].astype(str).to_numpy()
    columns = {col: described[col].tolist() for col in described.columns}
    reasons = [link_reasons(columns, sims, k, int(i[k]), int(j[k]), float(distance[k]), float(apart[k]))
               for k in range(len(i))]
    same = (group_of[i] >= 0) & (group_of[i] == group_of[j])
    links = pd.DataFrame({
        "incident_a": ids[i], "incident_b": ids[j], "score": np.round(score, 4),
        "distance_km": np.round(distance, 3), "days_apart": np.round(apart, 2), "reasons": reasons,
        "series_id": [f"S{group_of[a] + 1:03d}" if s else None for a, s in zip(i, same)],
    }).sort_values(["score", "incident_a", "incident_b"], ascending=[False, True, True], kind="stable")
    by_series = {key: part for key, part in links.groupby("series_id")}
    rows = []
    stations = frame["station"].astype(str).to_numpy() if "station" in frame.columns else np.full(n, "")
    empty = links.head(0)
    for number, members in enumerate(groups):
        series_id = f"S{number + 1:03d}"
        inside = by_series.get(series_id, empty)
        order = members[np.argsort(when[members], kind="stable")]
        first_at, last_at = when[order[0]], when[order[-1]]
        radius = np.hypot(x[members] - x[members].mean(), y[members] - y[members].mean()).max() / 1000.0
        names = tuple(sorted(set(stations[members])))
        rows.append({
            "series_id": series_id, "incident_ids": tuple(ids[order]), "size": len(members), "stations": names,
            "crosses_stations": len(names) > 1, "first_at": first_at, "last_at": last_at,
            "score": round(float(inside["score"].mean()), 4) if len(inside) else float("nan"),
            "reasons": _series_reasons(len(members), first_at, last_at, inside["reasons"].tolist(), radius),
        })
    series = pd.DataFrame(rows, columns=list(SERIES_COLUMNS))
    return SeriesResult(links.reset_index(drop=True)[list(LINK_COLUMNS)], series)

