"""e-Stat's real small-area boundaries, used instead of the Voronoi cells when present.

A police deployment puts e-Stat's boundary shapefile in the reference folder
as ``estat_small_areas.shp``; ``build_small_area_layer`` then reads it with
``read_estat_small_areas`` and otherwise falls back to ``build_small_areas``.
Either way the layer has the same columns.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio.errors

from anshin_lab.core.errors import DataError
from anshin_lab.core.geo import WGS84
from anshin_lab.places.reference import ESTAT_FILE, inhabited_parts, summarise_parts
from anshin_lab.places.small_areas import build_small_areas, polygonal

ESTAT_ENCODING = "cp932"


def read_estat_small_areas(path) -> gpd.GeoDataFrame:
    """Small areas from e-Stat's boundary shapefile (e.g. ``h27ka46.shp``).

    Returns the columns of ``build_small_areas`` (``key_code``, ``city_code``,
    ``city``, ``name``, ``population``, ``households``, ``lon``, ``lat``,
    geometry, ``approximate=False``), EPSG:4326. The shapefile has a row per
    polygon part, Shift_JIS attributes (KEY_CODE, S_NAME or MOJI, JINKO, SETAI,
    X_CODE, Y_CODE, HCODE, GST_NAME, CSS_NAME, …) and JGD2000/JGD2011
    lon/lat: parts are dissolved by KEY_CODE with people and households
    summed; water (HCODE 8154) and unnamed islets (KEY_CODE ``46``) are left
    out. Raises ``DataError`` naming the file when it cannot be read.
    """
    path = Path(path)
    if not path.exists():
        raise DataError("e-Stat の小地域境界データ(シェープファイル)がありません", path=path)
    try:
        raw = gpd.read_file(path, encoding=ESTAT_ENCODING, engine="pyogrio")
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, OSError, ValueError) as exc:
        raise DataError(f"e-Stat の小地域境界データを読めません: {exc}", path=path) from exc
    name_column = next((c for c in ("S_NAME", "MOJI") if c in raw.columns), None)
    if not {"GST_NAME", "CSS_NAME"} <= set(raw.columns) and "CITY_NAME" in raw.columns:
        raw["GST_NAME"], raw["CSS_NAME"] = raw["CITY_NAME"], ""
    missing = sorted({"KEY_CODE", "HCODE", "JINKO", "SETAI", "GST_NAME", "CSS_NAME"} - set(raw.columns))
    missing += [] if name_column else ["S_NAME または MOJI"]
    if missing:
        raise DataError(f"列 {missing} がありません(e-Stat の小地域境界データではないようです)", path=path)
    if raw.crs is None:
        # e-Stat ships a .prj; without one, take the JGD2011 lon/lat it is published in.
        raw = raw.set_crs("EPSG:6668")
    raw = raw.to_crs(WGS84)
    raw["KEY_CODE"] = raw["KEY_CODE"].map(_code_text)
    raw["HCODE"] = pd.to_numeric(raw["HCODE"], errors="coerce")
    for column in ("JINKO", "SETAI"):
        raw[column] = pd.to_numeric(raw[column], errors="coerce").fillna(0)
    representative = raw.geometry.representative_point()
    for column, fallback in (("X_CODE", representative.x), ("Y_CODE", representative.y)):
        values = pd.to_numeric(raw[column], errors="coerce") if column in raw.columns else fallback
        raw[column] = values.fillna(fallback)
    parts = inhabited_parts(raw, name_column)
    if parts.empty:
        raise DataError("人の住む小地域が1件もありません", path=path)
    areas = summarise_parts(parts)
    shapes = gpd.GeoDataFrame(parts[["KEY_CODE"]], geometry=parts.geometry.make_valid(), crs=WGS84)
    dissolved = shapes.dissolve(by="KEY_CODE", sort=True).geometry
    frame = gpd.GeoDataFrame(areas, geometry=dissolved.reindex(areas["key_code"]).to_numpy(), crs=WGS84)
    frame["geometry"] = [polygonal(g) for g in frame.geometry]
    frame["approximate"] = False
    return frame


def _code_text(value) -> str:
    # KEY_CODE is text in e-Stat's files, but a re-saved file may hold it as a number.
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value).strip()


def build_small_area_layer(reference_dir: Path) -> gpd.GeoDataFrame:
    """The small-area polygons of a workspace: e-Stat's real ones when present, else Voronoi.

    Real boundaries are used when ``reference_dir`` holds ``ESTAT_FILE``
    (``estat_small_areas.shp`` with its .dbf/.shx/.prj); otherwise the
    approximate cells of ``build_small_areas``. Same columns either way.
    """
    estat = Path(reference_dir) / ESTAT_FILE
    if estat.exists():
        return read_estat_small_areas(estat)
    return build_small_areas(reference_dir)
