"""The offline reference data of 鹿児島県: what each file is called and how to read it.

A workspace's ``reference`` folder holds the municipalities (国土数値情報
行政区域), the 2015 census small areas (centroids with people and households,
no polygons), the Geolonia town list and the sample station table. The
loaders here read one file each and return tidy frames in EPSG:4326;
``CREDITS`` lists what any map or report built from them must credit.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from anshin_lab.core.errors import DataError
from anshin_lab.core.geo import METRIC_CRS, WGS84

# The files of a reference folder (the project commits one in data/reference, the default of ANSHIN_REFERENCE_DIR).
MUNICIPALITIES_FILE = "municipalities_N03-2021.geojson"
CENSUS_FILE = "census2015_small_areas.csv"
TOWNS_FILE = "machi_latlng.csv"
STATIONS_FILE = "stations_sample.csv"
# e-Stat's small-area boundary shapefile, when a deployment puts it in the reference dir.
ESTAT_FILE = "estat_small_areas.shp"

# Census HCODE: 8101 land, 8154 water.
LAND_HCODE = 8101
WATER_HCODE = 8154

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
    return summarise_parts(inhabited_parts(raw, "MOJI"))


def inhabited_parts(raw: pd.DataFrame, name_column: str) -> pd.DataFrame:
    """The land parts of named small areas, with ``name`` and ``city`` columns added."""
    parts = raw[(raw["KEY_CODE"].str.len() >= 9) & (raw["HCODE"] == LAND_HCODE)].copy()
    parts["name"] = parts[name_column].fillna("")
    parts["city"] = parts["GST_NAME"].fillna("") + parts["CSS_NAME"].fillna("")
    return parts


def summarise_parts(parts: pd.DataFrame) -> pd.DataFrame:
    """One row per KEY_CODE: summed people and households, the most populous part's name and point."""
    parts = parts.sort_values(["KEY_CODE", "JINKO"], ascending=[True, False])
    first = parts.groupby("KEY_CODE", sort=True).first()
    sums = parts.groupby("KEY_CODE", sort=True)[["JINKO", "SETAI"]].sum()
    return pd.DataFrame(
        {
            "key_code": first.index,
            "city_code": first.index.str[:5],
            "city": first["city"].to_numpy(),
            "name": first["name"].map(normalise_name).to_numpy(),
            "population": sums["JINKO"].astype(int).to_numpy(),
            "households": sums["SETAI"].astype(int).to_numpy(),
            "lon": first["X_CODE"].to_numpy(),
            "lat": first["Y_CODE"].to_numpy(),
        }
    ).reset_index(drop=True)


def normalise_name(name: str) -> str:
    """A census name with full-width digits made ASCII: 桜ヶ丘３丁目 -> 桜ヶ丘3丁目."""
    return unicodedata.normalize("NFKC", name)


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
