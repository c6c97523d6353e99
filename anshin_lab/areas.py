"""Reference layers: municipalities, approximate small areas, station districts.

The census small areas (町丁・字等) come as centroids with population and
households but no polygons in the offline reference data. ``build_small_areas``
turns them into **approximate** polygons: Voronoi cells of the centroids,
computed per municipality in a metric CRS and clipped to that municipality's
polygon, so the cells tile each municipality exactly. A police deployment
swaps in e-Stat's real small-area boundaries.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .errors import DataError

WGS84 = "EPSG:4326"
# JGD2011 / Japan Plane Rectangular CS II: the metric CRS for 鹿児島県.
METRIC_CRS = "EPSG:6670"
PREFECTURE = "鹿児島県"
PREF_CODE = "46"
# Radius of the stand-in cell of a census point whose Voronoi cell misses the land.
EMPTY_CELL_RADIUS_M = 150.0

MUNICIPALITIES_FILE = "municipalities_N03-2021.geojson"
CENSUS_FILE = "census2015_small_areas.csv"
TOWNS_FILE = "machi_latlng.csv"
STATIONS_FILE = "stations_sample.csv"

APPROXIMATE_NOTE = "小地域の境界は国勢調査の代表点から作った近似(ボロノイ分割)です"
CREDITS = (
    "国土数値情報（行政区域データ）（国土交通省）を加工して作成",
    "政府統計の総合窓口(e-Stat)の境界データを加工して作成",
    "Geolonia 住所データ (CC BY 4.0)",
)


def load_municipalities(reference_dir: Path) -> gpd.GeoDataFrame:
    """The 43 municipalities: ``city_code`` (JIS), ``city`` (with 郡), ``geometry`` (EPSG:4326)."""
    path = Path(reference_dir) / MUNICIPALITIES_FILE
    if not path.exists():
        raise DataError("行政区域データがありません(anshin init で作業領域を作ってください)", path=path)
    raw = gpd.read_file(path)
    gun = raw["N03_003"].fillna("").astype(str)
    frame = gpd.GeoDataFrame(
        {
            "city_code": raw["N03_007"].astype(str),
            "city": gun + raw["N03_004"].astype(str),
            "city_short": raw["N03_004"].astype(str),
        },
        geometry=raw.geometry.make_valid(),
        crs=raw.crs or WGS84,
    ).to_crs(WGS84)
    return frame.dissolve(by="city_code", as_index=False, aggfunc="first")[
        ["city_code", "city", "city_short", "geometry"]
    ]


def load_census(reference_dir: Path) -> pd.DataFrame:
    """Census small areas, one row per KEY_CODE with summed population and households.

    The table has a row per polygon part; the representative point is that of
    the most populous part. Unnamed islets (KEY_CODE ``46``) and water bodies
    are left out: no one lives there.
    """
    path = Path(reference_dir) / CENSUS_FILE
    raw = pd.read_csv(path, dtype={"KEY_CODE": str, "KEN": str, "CITY": str})
    raw = raw[(raw["KEY_CODE"].str.len() >= 9) & (raw["HCODE"] == 8101)].copy()
    raw["MOJI"] = raw["MOJI"].fillna("")
    raw["city"] = raw["GST_NAME"].fillna("") + raw["CSS_NAME"].fillna("")
    raw = raw.sort_values(["KEY_CODE", "JINKO"], ascending=[True, False])
    first = raw.groupby("KEY_CODE", sort=True).first()
    sums = raw.groupby("KEY_CODE", sort=True)[["JINKO", "SETAI"]].sum()
    return pd.DataFrame(
        {
            "key_code": first.index,
            "city_code": first.index.str[:5],
            "city": first["city"].to_numpy(),
            "name": first["MOJI"].map(_normalise_name).to_numpy(),
            "population": sums["JINKO"].astype(int).to_numpy(),
            "households": sums["SETAI"].astype(int).to_numpy(),
            "lon": first["X_CODE"].to_numpy(),
            "lat": first["Y_CODE"].to_numpy(),
        }
    ).reset_index(drop=True)


def _normalise_name(name: str) -> str:
    # The census writes 丁目 numbers in full-width digits: 桜ヶ丘３丁目 -> 桜ヶ丘3丁目.
    import unicodedata

    return unicodedata.normalize("NFKC", name)


def build_small_areas(reference_dir: Path) -> gpd.GeoDataFrame:
    """Approximate small-area polygons (Voronoi cells clipped to municipalities).

    Returns one row per census small area with ``key_code``, ``city_code``,
    ``city``, ``name``, ``population``, ``households``, the census point
    (``lat``, ``lon``) and ``approximate=True``; EPSG:4326.
    """
    census = load_census(reference_dir)
    cities = load_municipalities(reference_dir).to_crs(METRIC_CRS).set_index("city_code")
    points = gpd.GeoSeries(gpd.points_from_xy(census["lon"], census["lat"]), crs=WGS84).to_crs(METRIC_CRS)
    cells = np.empty(len(census), dtype=object)
    for city_code, idx in census.groupby("city_code").indices.items():
        if city_code not in cities.index:
            raise DataError(f"小地域の市区町村コード {city_code} が行政区域データにありません", path=CENSUS_FILE)
        boundary = cities.at[city_code, "geometry"]
        cells[idx] = _voronoi_cells(points.iloc[idx].to_numpy(), boundary)
    frame = gpd.GeoDataFrame(census, geometry=gpd.GeoSeries(cells, crs=METRIC_CRS)).to_crs(WGS84)
    # Reprojection can nudge a vertex across an edge; repair in the stored CRS.
    frame["geometry"] = [_polygonal(g) for g in frame.geometry]
    frame["approximate"] = True
    return frame


def _voronoi_cells(points: np.ndarray, boundary) -> np.ndarray:
    """One cell per point, the cells together covering ``boundary`` exactly."""
    if len(points) == 1:
        return np.array([boundary], dtype=object)
    coords = shapely.get_coordinates(points)
    # Coincident points would share a cell: nudge duplicates by a millimetre.
    _, first = np.unique(coords.round(3), axis=0, return_index=True)
    dup = np.setdiff1d(np.arange(len(coords)), first)
    coords[dup] += np.arange(1, len(dup) + 1)[:, None] * 1e-3
    multipoint = shapely.multipoints(coords)
    regions = shapely.voronoi_polygons(multipoint, extend_to=boundary.envelope.buffer(1000), ordered=True)
    parts = shapely.get_parts(regions)
    cells = np.array([_polygonal(g) for g in shapely.intersection(parts, boundary)], dtype=object)
    # A seed off a simplified coast can get a cell that misses the land: give it
    # the land within a small disc around the nearest shore point, carved out of
    # its neighbours so the cells never overlap.
    for i in np.flatnonzero(shapely.is_empty(cells)):
        shore = shapely.shortest_line(boundary, shapely.points(coords[i])).coords[0]
        disc = shapely.intersection(shapely.buffer(shapely.points(shore), EMPTY_CELL_RADIUS_M), boundary)
        others = np.arange(len(cells)) != i
        cells[others] = shapely.difference(cells[others], disc)
        cells[i] = disc
    return np.array([_polygonal(g) for g in cells], dtype=object)


def _polygonal(geometry):
    """The valid polygonal part of a clipping result (drops stray lines and points)."""
    geometry = shapely.make_valid(geometry)
    if geometry.geom_type in ("Polygon", "MultiPolygon"):
        return geometry
    polygons = [g for g in shapely.get_parts(geometry) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(polygons)


def load_station_table(reference_dir: Path) -> pd.DataFrame:
    """The sample station table: ``station``, ``city_code``, ``city``, ``lat``, ``lon``.

    SAMPLE DATA: replace with the prefecture's real jurisdiction list. A
    municipality served by several stations (鹿児島市) is split among them by
    the nearest station point.
    """
    path = Path(reference_dir) / STATIONS_FILE
    if not path.exists():
        raise DataError("警察署テーブルがありません", path=path)
    table = pd.read_csv(path, dtype={"city_code": str}, comment="#")
    missing = {"station", "city_code", "city", "lat", "lon"} - set(table.columns)
    if missing:
        raise DataError(f"列 {sorted(missing)} がありません", path=path)
    return table


def assign_stations(small_areas: gpd.GeoDataFrame, stations: pd.DataFrame) -> pd.Series:
    """The station serving each small area (nearest station of its municipality)."""
    result = pd.Series(pd.NA, index=small_areas.index, dtype="string")
    metric = gpd.GeoSeries(gpd.points_from_xy(small_areas["lon"], small_areas["lat"]), crs=WGS84).to_crs(METRIC_CRS)
    metric.index = small_areas.index
    for city_code, group in stations.groupby("city_code"):
        mask = small_areas["city_code"] == city_code
        if not mask.any():
            continue
        if len(group) == 1:
            result[mask] = group["station"].iloc[0]
            continue
        seeds = gpd.GeoSeries(gpd.points_from_xy(group["lon"], group["lat"]), crs=WGS84).to_crs(METRIC_CRS)
        dist = np.stack([metric[mask].distance(seed).to_numpy() for seed in seeds], axis=1)
        result[mask] = group["station"].to_numpy()[dist.argmin(axis=1)]
    unserved = small_areas.loc[result.isna(), "city"].unique()
    if len(unserved):
        raise DataError(f"警察署が割り当てられていない市区町村があります: {', '.join(unserved)}", path=STATIONS_FILE)
    return result


def load_towns(reference_dir: Path) -> pd.DataFrame:
    """大字・町丁目 names with a representative point (Geolonia 住所データ)."""
    return pd.read_csv(Path(reference_dir) / TOWNS_FILE, dtype=str).fillna("")


def prefecture_outline(reference_dir: Path):
    """The union of the municipalities (EPSG:4326), for 'inside 鹿児島県' checks."""
    return shapely.union_all(load_municipalities(reference_dir).geometry.to_numpy())
