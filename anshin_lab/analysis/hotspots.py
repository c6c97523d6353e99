"""Hot spots: Getis-Ord Gi* over small areas, a kernel density surface, and a weekday × hour table.

:func:`gi_star` wraps PySAL (``esda.G_Local`` with ``star=True`` over
``libpysal`` weights) and flags hot and cold spots after a Benjamini–Hochberg
false-discovery-rate correction of the permutation p-values.
:func:`kernel_density` is the quartic (biweight) kernel estimate CrimeStat
and ArcGIS draw, on a square grid in metres. :func:`weekday_hour_table`
counts events by weekday and hour in Tokyo time. All three are pure: frames
in, frames out; the results are for internal analysis (they are as fine as
the points they are given).
"""

from __future__ import annotations

import warnings

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy.spatial import cKDTree
from scipy.stats import false_discovery_control

from anshin_lab.core.clock import TOKYO_NAME
from anshin_lab.core.dates import WEEKDAYS
from anshin_lab.core.errors import ParameterError
from anshin_lab.core.geo import METRIC_CRS

PERMUTATIONS = 999
FDR = 0.05
KNN_K = 6
GI_COLUMNS = ("gi", "z", "p_sim", "q_value", "hot", "cold", "spot")
HOT_LABEL = "ホットスポット"
COLD_LABEL = "コールドスポット"
WEEKDAY_LABELS = tuple(WEEKDAYS)  # 月 … 日, Monday first as pandas counts them


def gi_star(areas: gpd.GeoDataFrame, counts: str, *, weights="queen", k: int = KNN_K, transform: str = "B",
            permutations: int = PERMUTATIONS, fdr: float = FDR, seed: int = 0) -> gpd.GeoDataFrame:
    """Getis-Ord Gi* of ``counts`` over ``areas`` with hot and cold spots after an FDR correction.

    Parameters
    ----------
    areas : GeoDataFrame
        One row per area (polygons, or points for distance and k-nearest
        weights). A geographic CRS is projected to EPSG:6670 for distances;
        no CRS is taken as metres already.
    counts : str
        The column of counts (or rates) to test.
    weights : "queen", "knn", a distance in metres, or a ``libpysal`` ``W``
        Queen contiguity, the ``k`` nearest centroids, every centroid within
        the distance (a fixed distance band), or weights already built (in
        the rows' order).
    transform : "B" or "R"
        Binary weights (the classic Gi*, each area's own value included with
        weight 1) or row-standardised ones.
    permutations : int
        Conditional permutations for ``p_sim`` (esda's pseudo p-value, one-sided
        towards the observed side).
    fdr : float
        False-discovery rate: an area is a hot (cold) spot when its
        Benjamini–Hochberg adjusted ``p_sim`` (``q_value``) is at most ``fdr``
        and its Gi* lies above (below) the mean of its permutations.

    Returns
    -------
    GeoDataFrame
        A copy of ``areas`` with ``GI_COLUMNS`` added: ``gi`` (the statistic),
        ``z`` (esda's ``Zs``, under normality), ``p_sim``, ``q_value``,
        ``hot``, ``cold`` and ``spot`` (ホットスポット / コールドスポット / "").

    Raises
    ------
    ParameterError
        The column is missing or not numeric, there are fewer than 3 areas, or
        ``weights`` is not one of the above.
    """
    # esda and libpysal take seconds to import; only this function needs them (keeps `anshin --help` fast).
    import esda
    import libpysal  # heavy too, same reason

    if counts not in areas.columns:
        raise ParameterError(f"列「{counts}」がありません。件数の列名を指定してください")
    values = pd.to_numeric(areas[counts], errors="coerce").to_numpy(float)
    if not np.isfinite(values).all():
        raise ParameterError(f"列「{counts}」に数でない値か空欄があります。0 で埋めるか、その地域を除いてください")
    if len(areas) < 3:
        raise ParameterError("Gi* には地域が3つ以上必要です")
    if int(permutations) != permutations or permutations < 1:
        raise ParameterError("並べ替えの回数は1以上の整数で指定してください(例: 999)")
    if transform not in ("B", "R"):
        raise ParameterError("transform は B(二値)か R(行基準化)を指定してください")
    w = build_weights(areas, weights, k=k, libpysal=libpysal)
    with warnings.catch_warnings():
        # Islands (areas with no neighbour) keep only their own weight; esda warns about them, the docstring says it.
        warnings.simplefilter("ignore")
        local = esda.G_Local(values, w, transform=transform, star=True, permutations=permutations, seed=seed)
    p_sim = np.asarray(local.p_sim, dtype=float)
    q_value = false_discovery_control(p_sim, method="bh")
    z = np.asarray(local.Zs, dtype=float)
    # p_sim is one-sided towards the side the permutations put the area on; the flags follow that side.
    above = np.asarray(local.Gs, dtype=float) > np.asarray(local.EG_sim, dtype=float)
    out = areas.copy()
    out["gi"] = np.asarray(local.Gs, dtype=float)
    out["z"] = z
    out["p_sim"] = p_sim
    out["q_value"] = q_value
    out["hot"] = (q_value <= fdr) & above
    out["cold"] = (q_value <= fdr) & ~above
    out["spot"] = np.where(out["hot"], HOT_LABEL, np.where(out["cold"], COLD_LABEL, ""))
    return out


def build_weights(areas: gpd.GeoDataFrame, weights, *, k: int, libpysal):
    """The libpysal weights named by ``weights`` (see :func:`gi_star`), in the rows' order."""
    if isinstance(weights, libpysal.weights.W):
        if weights.n != len(areas):
            raise ParameterError(f"重みの地域数({weights.n})が地域の数({len(areas)})と合いません")
        return weights
    plain = areas.reset_index(drop=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # island warnings: see gi_star
        if isinstance(weights, str) and weights == "queen":
            return libpysal.weights.Queen.from_dataframe(plain, use_index=False, silence_warnings=True)
        points = metric_points(plain)
        if isinstance(weights, str) and weights == "knn":
            if not 1 <= k < len(areas):
                raise ParameterError(f"近傍の数 k は1以上{len(areas) - 1}以下で指定してください")
            return libpysal.weights.KNN(points, k=k, silence_warnings=True)
        if isinstance(weights, (int, float)) and not isinstance(weights, bool) and weights > 0:
            return libpysal.weights.DistanceBand(points, threshold=float(weights), binary=True,
                                                 silence_warnings=True)
    raise ParameterError("weights は \"queen\"・\"knn\"・距離(メートル、正の数)・libpysal の W のいずれかを指定してください")


def metric_points(areas: gpd.GeoDataFrame) -> np.ndarray:
    """The areas' centroids (points as they are) in metres, as an (n, 2) array."""
    frame = areas.to_crs(METRIC_CRS) if areas.crs is not None and areas.crs.is_geographic else areas
    geometry = frame.geometry
    centres = geometry if (geometry.geom_type == "Point").all() else geometry.centroid
    return np.column_stack([centres.x.to_numpy(), centres.y.to_numpy()])


def kernel_density(points_xy, *, bandwidth_m: float, cell_m: float, extent=None, crs=METRIC_CRS
                   ) -> gpd.GeoDataFrame:
    """A quartic kernel density surface on a square grid: events per km² at each cell's centre.

    Parameters
    ----------
    points_xy : (n, 2) array, or a frame with ``x`` and ``y`` columns
        Event positions in metres (EPSG:6670 unless ``crs`` says otherwise).
    bandwidth_m : float
        The kernel's radius h: each event spreads 3/(π h²)·(1 − (d/h)²)² over
        the disc of radius h around it (the kernel integrates to 1).
    cell_m : float
        Side of the square cells.
    extent : (xmin, ymin, xmax, ymax) in metres, optional
        The grid's box; by default the points' bounds widened by the bandwidth.

    Returns
    -------
    GeoDataFrame
        One row per cell: ``x``, ``y`` (cell centre), ``density`` (events per
        km²) and the cell's square ``geometry`` in ``crs``; row-major from
        the south-west corner.
    """
    xy = np.asarray(points_xy[["x", "y"]] if isinstance(points_xy, pd.DataFrame) else points_xy, dtype=float)
    if xy.ndim != 2 or xy.shape[1] != 2:
        raise ParameterError("地点は x・y(メートル)の2列で渡してください")
    xy = xy[np.isfinite(xy).all(axis=1)]
    if not bandwidth_m > 0 or not cell_m > 0:
        raise ParameterError("bandwidth_m と cell_m は正の数(メートル)で指定してください")
    if extent is None:
        if not len(xy):
            raise ParameterError("地点がないときは範囲 extent=(xmin, ymin, xmax, ymax) を指定してください")
        extent = (*(xy.min(axis=0) - bandwidth_m), *(xy.max(axis=0) + bandwidth_m))
    xmin, ymin, xmax, ymax = (float(v) for v in extent)
    if not (xmax > xmin and ymax > ymin):
        raise ParameterError("範囲 extent は (xmin, ymin, xmax, ymax) で xmin<xmax, ymin<ymax にしてください")
    columns = max(1, int(np.ceil((xmax - xmin) / cell_m)))
    rows = max(1, int(np.ceil((ymax - ymin) / cell_m)))
    cx = xmin + (np.arange(columns) + 0.5) * cell_m
    cy = ymin + (np.arange(rows) + 0.5) * cell_m
    gx, gy = np.meshgrid(cx, cy)
    centres = np.column_stack([gx.ravel(), gy.ravel()])
    density = np.zeros(len(centres))
    if len(xy):
        near = cKDTree(centres).sparse_distance_matrix(cKDTree(xy), bandwidth_m, output_type="ndarray")
        u2 = (near["v"] / bandwidth_m) ** 2
        density = np.bincount(near["i"], weights=(1 - u2) ** 2, minlength=len(centres))
        density *= 3.0 / (np.pi * bandwidth_m ** 2) * 1e6
    half = cell_m / 2
    cells = shapely.box(centres[:, 0] - half, centres[:, 1] - half, centres[:, 0] + half, centres[:, 1] + half)
    return gpd.GeoDataFrame({"x": centres[:, 0], "y": centres[:, 1], "density": density}, geometry=cells, crs=crs)


def weekday_hour_table(times) -> pd.DataFrame:
    """Counts by weekday (rows 月 … 日) and hour (columns 0 … 23) in Tokyo time.

    ``times`` are timestamps (a Series, an index or a list); tz-aware ones are
    converted to Asia/Tokyo, naive ones are taken as Tokyo time; missing ones
    are left out. Always 7 × 24, zeros where nothing happened.
    """
    stamps = pd.to_datetime(pd.Series(list(times) if not isinstance(times, pd.Series) else times))
    stamps = stamps.dt.tz_convert(TOKYO_NAME) if stamps.dt.tz is not None else stamps.dt.tz_localize(TOKYO_NAME)
    stamps = stamps.dropna()
    counts = np.zeros((7, 24), dtype=np.int64)
    np.add.at(counts, (stamps.dt.day_of_week.to_numpy(), stamps.dt.hour.to_numpy()), 1)
    table = pd.DataFrame(counts, index=pd.Index(WEEKDAY_LABELS, name="曜日"),
                         columns=pd.Index(range(24), name="時"))
    return table
