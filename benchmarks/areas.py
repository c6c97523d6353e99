"""Assigning points to the small areas and every coarser level: ``AreaSet.assign`` against ``geopandas.sjoin``.

``python -m benchmarks areas [--points N] [--sample N] [--workspace DIR]``
draws random points inside the workspace's small areas (weighted by
population) and compares the per-point time of ``AreaSet.assign`` with what
a competent geopandas user writes: ``gpd.points_from_xy`` and one
``gpd.sjoin(..., predicate="within")`` against the small areas, which carry
their town, municipality and station, so every level comes from that one
join. Both are timed on all the points, in the same run. The loop a first
attempt writes (``contains`` over the polygons one by one, no index) is
still timed on a sample, for reference only.
"""

from __future__ import annotations

import time

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from anshin_lab.app.catalog import load_areas
from anshin_lab.cli.common import add_workspace, positive_int
from anshin_lab.core.granularity import Granularity

# Targets: 1,000,000 points into the small areas and every coarser level within 3 s on a 2-core machine,
# and faster than the competent way (geopandas.sjoin) measured in the same run.
AREAS_TARGET_S = 3.0
AREAS_TARGET_POINTS = 1_000_000
AREAS_TARGET_RATIO = 1.0

DESCRIPTION = ("作業領域の小地域の中に人口に比例したランダムな地点を作り、AreaSet.assign(一括処理)と"
               "geopandas.sjoin(points_from_xy + 空間結合、小地域に町・市町村・警察署の列あり)の時間を比べます。"
               "素朴なループ(小地域を1つずつ contains で調べる)も参考に標本で測ります。")


def add_arguments(parser) -> None:
    parser.add_argument("--points", type=positive_int, default=1_000_000, metavar="N",
                        help="一括処理で割り当てる地点の数(既定: 1,000,000)")
    parser.add_argument("--sample", type=positive_int, default=2_000, metavar="N",
                        help="参考の素朴なループで割り当てる地点の数(既定: 2,000)")
    add_workspace(parser)


def run(args) -> dict:
    return bench_areas(points=args.points, sample=args.sample, workspace=args.workspace)


def bench_areas(points: int = 1_000_000, sample: int = 2_000, workspace=None, seed: int = 0) -> dict:
    """Time ``AreaSet.assign`` on random points against ``geopandas.sjoin``.

    Draws ``points`` points inside the prefecture (in the small areas,
    weighted by population), assigns all of them at every level with
    ``AreaSet.assign`` from a plain lat/lon frame (so the time includes
    making the point geometries), then again from a GeoDataFrame that has
    them already (as stored incidents do). The baseline does the same two
    ways with geopandas: ``points_from_xy`` + ``sjoin(predicate="within")``
    against the small areas' code columns (a point on a shared edge keeps
    its first match), and ``sjoin`` of the GeoDataFrame. For reference, the
    first ``sample`` points are also placed by a loop of
    ``polygon.contains(point)`` over the polygons (no index). Returns the
    figures (``ratio`` = sjoin time / assign time, from lat/lon;
    ``geo_input_ratio`` the same from geometries; ``naive_ratio`` against
    the loop; agreement checks) and prints them.
    """
    if points < 1 or sample < 1:
        raise ValueError("points and sample must be at least 1")
    started = time.perf_counter()
    area_set = load_areas(workspace)
    load_s = time.perf_counter() - started
    chome = area_set.layer(Granularity.CHOME)
    lon, lat, truth = random_points_in(chome, points, np.random.default_rng(seed))
    frame = pd.DataFrame({"lat": lat, "lon": lon})
    # The first assign builds the AreaSet's point index once: time it apart from the runs.
    started = time.perf_counter()
    area_set.assign(frame.iloc[:100])
    index_s = time.perf_counter() - started

    started = time.perf_counter()
    assigned = area_set.assign(frame)
    vectorised_s = time.perf_counter() - started
    codes = assigned["chome_code"].cat.codes.to_numpy()
    levels_filled = all(assigned[c].notna().all() for c in ("chome_code", "town_code", "city_code", "pref_code",
                                                            "station_district"))
    del assigned
    # Stored incidents arrive with their point geometry (records.to_geoframe): time that case too.
    stored = gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326")
    started = time.perf_counter()
    area_set.assign(stored)
    geo_input_s = time.perf_counter() - started

    areas = chome[["area_code", "town_code", "city_code", "station", "geometry"]]
    started = time.perf_counter()
    joined = sjoin_levels(frame, areas)
    baseline_s = time.perf_counter() - started
    agreement_baseline = float(np.mean(joined["area_code"].to_numpy() == chome["area_code"].to_numpy()[codes]))
    del joined
    started = time.perf_counter()
    sjoin_levels(stored, areas)
    baseline_geo_s = time.perf_counter() - started
    del stored

    sample = min(sample, points)
    # Fresh, unprepared copies: the naive loop must not benefit from any index.
    polygons = list(shapely.from_wkb(shapely.to_wkb(chome.geometry.to_numpy())))
    started = time.perf_counter()
    naive = [naive_contains(polygons, x, y) for x, y in zip(lon[:sample].tolist(), lat[:sample].tolist())]
    naive_s = time.perf_counter() - started

    vectorised_per_point = vectorised_s / points
    naive_per_point = naive_s / sample
    figures = {
        "points": points,
        "small_areas": len(chome),
        "load_s": load_s,
        "index_s": index_s,
        "vectorised_s": vectorised_s,
        "points_per_s": points / vectorised_s,
        "vectorised_per_point_us": vectorised_per_point * 1e6,
        "vectorised_1m_s": vectorised_per_point * AREAS_TARGET_POINTS,
        "naive_sample": sample,
        "naive_s": naive_s,
        "naive_per_point_us": naive_per_point * 1e6,
        "naive_extrapolated_s": naive_per_point * points,
        "naive_ratio": naive_per_point / vectorised_per_point,
        "baseline": "geopandas.points_from_xy + geopandas.sjoin(predicate='within') on the small areas' code columns",
        "baseline_s": baseline_s,
        "baseline_per_point_us": baseline_s / points * 1e6,
        "ratio": baseline_s / vectorised_s,
        "geo_input_s": geo_input_s,
        "baseline_geo_s": baseline_geo_s,
        "geo_input_ratio": baseline_geo_s / geo_input_s,
        "agreement_baseline": agreement_baseline,
        "all_levels_filled": bool(levels_filled),
        "agreement_truth": float(np.mean(codes == truth)),
        "agreement_naive": float(np.mean(np.asarray(naive) == codes[:sample])),
    }
    # The target is for a million points; fewer make the fixed costs look bigger, so no verdict.
    figures["meets_target"] = (bool(vectorised_s <= AREAS_TARGET_S and figures["ratio"] >= AREAS_TARGET_RATIO)
                               if points >= AREAS_TARGET_POINTS else None)
    print_areas(figures)
    return figures


def random_points_in(areas, n: int, rng: np.random.Generator):
    """``n`` random (lon, lat) points in the areas, weighted by population, and each point's area row.

    The polygons are cut into triangles once; a point picks a triangle with
    probability population x (triangle area / area of its polygon) and then a
    uniform spot inside it.
    """
    geometries = areas.geometry.to_numpy()
    triangles, owner = shapely.get_parts(shapely.constrained_delaunay_triangles(geometries), return_index=True)
    share = shapely.area(triangles) / shapely.area(geometries)[owner]
    weights = areas["population"].to_numpy(dtype=float)[owner] * share
    if weights.sum() <= 0:  # a layer without population: uniform over the land
        weights = shapely.area(triangles)
    picked = rng.choice(len(triangles), size=n, p=weights / weights.sum())
    corners = shapely.get_coordinates(triangles).reshape(-1, 4, 2)[picked]
    u = rng.random((n, 2))
    folded = u.sum(axis=1) > 1
    u[folded] = 1 - u[folded]
    xy = corners[:, 0] + u[:, :1] * (corners[:, 1] - corners[:, 0]) + u[:, 1:] * (corners[:, 2] - corners[:, 0])
    return xy[:, 0], xy[:, 1], owner[picked]


def sjoin_levels(points: pd.DataFrame, areas: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The competent geopandas way: each point's small area and the codes it carries, by one spatial join.

    ``points`` has lat/lon (a point geometry is made) or is a GeoDataFrame.
    A point on the edge two areas share matches both: the first match is kept.
    """
    if not isinstance(points, gpd.GeoDataFrame):
        points = gpd.GeoDataFrame(points, geometry=gpd.points_from_xy(points["lon"], points["lat"]), crs=areas.crs)
    joined = gpd.sjoin(points, areas, how="left", predicate="within")
    return joined[~joined.index.duplicated(keep="first")]


def naive_contains(polygons: list, x: float, y: float) -> int:
    """The first attempt: the index of the first polygon that contains the point, -1 if none."""
    point = shapely.Point(x, y)
    for i, polygon in enumerate(polygons):
        if polygon.contains(point):
            return i
    return -1


def print_areas(f: dict) -> None:
    verdict = {True: "達成", False: "未達", None: f"判定なし({AREAS_TARGET_POINTS:,}地点以上で測ってください)"}[
        f["meets_target"]]
    print(f"地域割り当てベンチマーク: {f['points']:,}地点 → 小地域 {f['small_areas']:,}件と上位の全区分")
    print(f"  地域レイヤの読み込み: {f['load_s']:.2f}秒, 地点索引の作成: {f['index_s']:.2f}秒")
    print(f"  一括処理(assign): {f['vectorised_s']:.2f}秒 ({f['points_per_s']:,.0f}地点/秒, "
          f"1地点あたり {f['vectorised_per_point_us']:.2f}マイクロ秒, 100万地点換算 {f['vectorised_1m_s']:.2f}秒)")
    print(f"  geopandas.sjoin(points_from_xy + 空間結合): {f['baseline_s']:.2f}秒 "
          f"(1地点あたり {f['baseline_per_point_us']:.2f}マイクロ秒)")
    print(f"  速度比(sjoin/assign): {f['ratio']:.2f}倍; 点ジオメトリ作成済みの GeoDataFrame からは assign "
          f"{f['geo_input_s']:.2f}秒・sjoin {f['baseline_geo_s']:.2f}秒({f['geo_input_ratio']:.2f}倍)")
    print(f"  参考: 索引なしの素朴なループ {f['naive_sample']:,}地点で {f['naive_s']:.2f}秒 "
          f"(1地点あたり {f['naive_per_point_us']:,.0f}マイクロ秒、assign の{f['naive_ratio']:,.0f}倍)")
    print(f"  一致率: 生成元の小地域と {f['agreement_truth']:.4%}, sjoin と {f['agreement_baseline']:.4%}, "
          f"素朴なループと {f['agreement_naive']:.4%}; 全区分に割り当て済み: {'はい' if f['all_levels_filled'] else 'いいえ'}")
    print(f"  目標(100万地点 {AREAS_TARGET_S:.0f}秒以内・sjoin より速い): {verdict}")
