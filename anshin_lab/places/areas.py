"""Reference layers: municipalities, approximate small areas, station districts.

The census small areas (町丁・字等) come as centroids with population and
households but no polygons in the offline reference data. ``build_small_areas``
turns them into **approximate** polygons: Voronoi cells of the centroids,
computed per municipality in a metric CRS and clipped to that municipality's
polygon, so the cells tile each municipality exactly. A police deployment
swaps in e-Stat's real small-area boundaries: ``build_small_area_layer`` uses
``reference/estat_small_areas.shp`` when it is there (``read_estat_small_areas``).

``AreaSet`` (``load_areas``) holds one layer per rung of the granularity ladder
from 町丁目 up to the prefecture, plus the station districts, and places
incidents in all of them at once (``AreaSet.assign``).
"""

from __future__ import annotations

import gc
import os
import re
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from anshin_lab.core.errors import DataError
from anshin_lab.core.granularity import Granularity
from anshin_lab.core.numerals import NUMBER_PATTERN

WGS84 = "EPSG:4326"
# JGD2011 / Japan Plane Rectangular CS II: the metric CRS for 鹿児島県.
METRIC_CRS = "EPSG:6670"
PREFECTURE = "鹿児島県"
PREF_CODE = "46"
# Radius of the stand-in cell of a census point whose Voronoi cell misses the land.
EMPTY_CELL_RADIUS_M = 150.0
# An incident this close to a small area (off the simplified coast, in a river
# mouth, across a simplified border) is placed in the nearest one.
OUTSIDE_TOLERANCE_M = 3000.0
# Census HCODE: 8101 land, 8154 water.
LAND_HCODE = 8101
WATER_HCODE = 8154

MUNICIPALITIES_FILE = "municipalities_N03-2021.geojson"
CENSUS_FILE = "census2015_small_areas.csv"
TOWNS_FILE = "machi_latlng.csv"
STATIONS_FILE = "stations_sample.csv"
# e-Stat's small-area boundary shapefile, when a deployment puts it in the reference dir.
ESTAT_FILE = "estat_small_areas.shp"
ESTAT_ENCODING = "cp932"

APPROXIMATE_NOTE = "小地域の境界は国勢調査の代表点から作った近似(ボロノイ分割)です"
REAL_BOUNDARIES_NOTE = "小地域の境界は e-Stat の小地域境界データです"
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
    return _summarise_parts(_inhabited_parts(raw, "MOJI"))


def _inhabited_parts(raw: pd.DataFrame, name_column: str) -> pd.DataFrame:
    """The land parts of named small areas, with ``name`` and ``city`` columns added."""
    parts = raw[(raw["KEY_CODE"].str.len() >= 9) & (raw["HCODE"] == LAND_HCODE)].copy()
    parts["name"] = parts[name_column].fillna("")
    parts["city"] = parts["GST_NAME"].fillna("") + parts["CSS_NAME"].fillna("")
    return parts


def _summarise_parts(parts: pd.DataFrame) -> pd.DataFrame:
    """One row per KEY_CODE: summed people and households, the most populous part's name and point."""
    parts = parts.sort_values(["KEY_CODE", "JINKO"], ascending=[True, False])
    first = parts.groupby("KEY_CODE", sort=True).first()
    sums = parts.groupby("KEY_CODE", sort=True)[["JINKO", "SETAI"]].sum()
    return pd.DataFrame(
        {
            "key_code": first.index,
            "city_code": first.index.str[:5],
            "city": first["city"].to_numpy(),
            "name": first["name"].map(_normalise_name).to_numpy(),
            "population": sums["JINKO"].astype(int).to_numpy(),
            "households": sums["SETAI"].astype(int).to_numpy(),
            "lon": first["X_CODE"].to_numpy(),
            "lat": first["Y_CODE"].to_numpy(),
        }
    ).reset_index(drop=True)


def _normalise_name(name: str) -> str:
    # The census writes 丁目 numbers in full-width digits: 桜ヶ丘３丁目 -> 桜ヶ丘3丁目.
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


# ---------------------------------------------------------------------------
# e-Stat's real small-area boundaries


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
    import pyogrio.errors

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
    parts = _inhabited_parts(raw, name_column)
    if parts.empty:
        raise DataError("人の住む小地域が1件もありません", path=path)
    areas = _summarise_parts(parts)
    shapes = gpd.GeoDataFrame(parts[["KEY_CODE"]], geometry=parts.geometry.make_valid(), crs=WGS84)
    dissolved = shapes.dissolve(by="KEY_CODE", sort=True).geometry
    frame = gpd.GeoDataFrame(areas, geometry=dissolved.reindex(areas["key_code"]).to_numpy(), crs=WGS84)
    frame["geometry"] = [_polygonal(g) for g in frame.geometry]
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


# ---------------------------------------------------------------------------
# The area set: one layer per rung of the granularity ladder


_CHOME_SUFFIX = re.compile(rf"{NUMBER_PATTERN}丁目$")
_TRAILING_NOTE = re.compile(r"\([^()]*\)$")

# The levels an AreaSet holds, and the column ``assign`` writes for each.
AREA_LEVELS = (Granularity.CHOME, Granularity.TOWN, Granularity.CITY, Granularity.PREF)
CODE_COLUMNS = {
    Granularity.CHOME: "chome_code",
    Granularity.TOWN: "town_code",
    Granularity.CITY: "city_code",
    Granularity.PREF: "pref_code",
}
PLACEMENTS = ("point", "nearest", "address", "outside")
_POINT, _NEAREST, _ADDRESS, _OUTSIDE = range(4)
# Above this many points, ``assign`` splits the spatial join over threads (shapely releases the GIL);
# chunks bound the memory of the candidate pairs.
_PARALLEL_MIN_POINTS = 100_000
_CHUNK_POINTS = 125_000
# Cells of the grid that finds candidate polygons (about this many over the layer's extent).
_GRID_CELLS = 2_000_000


def town_name(name: str) -> str:
    """The 大字・町 part of a small-area name: 「紫原3丁目」→「紫原」, 「湊一丁目」→「湊」."""
    name = _TRAILING_NOTE.sub("", _normalise_name(name)).strip()
    return _CHOME_SUFFIX.sub("", name)


def _town_names(small: pd.DataFrame, known_towns: dict[str, set[str]]) -> pd.Series:
    """The name of each 大字・町 (by ``town_code``) from the names of its small areas.

    Usually every small area of a town_code shares one name once 丁目 is
    dropped. Where the census splits a 大字 into 小字 (溝辺町有川切門, 溝辺町有川永尾)
    the longest common prefix that is a known town name (or ends at 「字」) is
    the name; where it groups unrelated towns under one code (出水市), the
    names are listed: 「汐見町・今釜町」.
    """
    names = {}
    for (town_code, city), group in small.groupby(["town_code", "city"], sort=False)["name"]:
        bases = list(dict.fromkeys(town_name(n) for n in group))
        if len(bases) == 1:
            names[town_code] = bases[0]
            continue
        known = set(bases) | known_towns.get(city, set())
        prefix = os.path.commonprefix(bases)
        # 「大字役勝字上役勝」「大字役勝字下役勝」: the 大字 is what comes before 「字」.
        at_aza = prefix.endswith("字") and not prefix.endswith("大字") and len(prefix) > 1
        while prefix and prefix not in known and not at_aza:
            prefix = prefix[:-1]
            at_aza = prefix.endswith("字") and not prefix.endswith("大字") and len(prefix) > 1
        if at_aza and prefix not in known:
            prefix = prefix[:-1]
        names[town_code] = prefix if prefix else "・".join(bases)
    return pd.Series(names, dtype=str)


class AreaSet:
    """The small areas and every coarser level, with fast placement of incidents.

    Layers (``layer(level)``), all EPSG:4326 with at least ``area_code``,
    ``name``, ``population``, ``households`` and geometry:

    - ``Granularity.CHOME``: the census small areas (町丁・字等), ``area_code`` =
      KEY_CODE, plus ``city_code``, ``city``, ``town_code``, ``town``,
      ``station``, the census point (``lat``, ``lon``) and ``approximate``;
    - ``Granularity.TOWN``: 大字・町, the small areas dissolved by
      ``town_code`` = KEY_CODE[:9];
    - ``Granularity.CITY``: the municipalities (JIS code);
    - ``Granularity.PREF``: 鹿児島県, code 「46」.

    ``stations`` holds the station districts (small areas dissolved by
    station); they group recipients but are not a rung of the ladder.
    ``approximate`` is True when the small-area polygons are the Voronoi
    approximation; ``note`` says so in Japanese for anything shown to people.
    Build one with ``load_areas`` (a workspace) or ``AreaSet.from_layers``.
    """

    def __init__(self, layers: dict, stations: gpd.GeoDataFrame):
        self._layers = {Granularity(level): frame for level, frame in layers.items()}
        if set(self._layers) != set(AREA_LEVELS):
            raise ValueError(f"an AreaSet needs the levels {[level.name for level in AREA_LEVELS]}")
        self.stations = stations
        chome = self._layers[Granularity.CHOME]
        self.approximate = bool(chome["approximate"].any())
        self.note = APPROXIMATE_NOTE if self.approximate else REAL_BOUNDARIES_NOTE
        self._codes = {level: pd.Index(frame["area_code"].astype(str)) for level, frame in self._layers.items()}
        for level, codes in self._codes.items():
            if not codes.is_unique:
                raise DataError(f"{level.label}のコードが重複しています: {sorted(set(codes[codes.duplicated()]))[:5]}")
        # For each small area, the row of its town, city and station (-1 appended
        # so that "no small area" (-1) maps to "none" at every level).
        self._town_of = np.append(self._codes[Granularity.TOWN].get_indexer(chome["town_code"]), -1)
        self._city_of = np.append(self._codes[Granularity.CITY].get_indexer(chome["city_code"]), -1)
        self._station_names = pd.Index(stations["station"].astype(str))
        self._station_of = np.append(self._station_names.get_indexer(chome["station"].astype(str)), -1)
        self._geometries = chome.geometry.to_numpy()
        self._part_grid = None
        self._metric_tree = None
        self._to_metric = None
        self._by_address = None
        self._city_rows = {name: row for row, name in enumerate(self._layers[Granularity.CITY]["name"].astype(str))}

    # -- construction ------------------------------------------------------

    @classmethod
    def from_layers(cls, small_areas: gpd.GeoDataFrame, municipalities: gpd.GeoDataFrame, *,
                    station_table: pd.DataFrame | None = None, towns: pd.DataFrame | None = None) -> "AreaSet":
        """An AreaSet from a small-area layer and the municipalities.

        ``small_areas`` has the columns of ``build_small_areas`` (and
        ``station``, else it is worked out from ``station_table``);
        ``municipalities`` those of ``load_municipalities``. ``towns`` (the
        Geolonia town list, ``load_towns``) helps name the 大字 that the census
        splits into 小字. Raises ``DataError`` when a column is missing or a
        small area's municipality is unknown.
        """
        required = {"key_code", "city_code", "city", "name", "population", "households", "lat", "lon"}
        missing = required - set(small_areas.columns)
        if missing:
            raise DataError(f"小地域レイヤに列 {sorted(missing)} がありません")
        small = small_areas.to_crs(WGS84) if small_areas.crs is not None else small_areas.set_crs(WGS84)
        small = small.sort_values("key_code").reset_index(drop=True)
        if "station" not in small.columns:
            if station_table is None:
                raise DataError("小地域レイヤに管轄署(station)がなく、警察署テーブルも渡されていません")
            small["station"] = assign_stations(small, station_table).astype(str)
        if "approximate" not in small.columns:
            small["approximate"] = True
        cities = municipalities.to_crs(WGS84).sort_values("city_code").reset_index(drop=True)
        unknown = sorted(set(small["city_code"]) - set(cities["city_code"]))
        if unknown:
            raise DataError(f"小地域の市区町村コード {', '.join(unknown)} が行政区域データにありません")

        small["town_code"] = small["key_code"].str[:9]
        known = {}
        if towns is not None and len(towns):
            for city, group in towns.groupby("city")["town"]:
                known[city] = set(group)
        town_names = _town_names(small, known)
        small["town"] = town_names.reindex(small["town_code"]).to_numpy()
        chome = gpd.GeoDataFrame(
            {
                "area_code": small["key_code"].astype(str),
                "name": small["name"].astype(str),
                "city_code": small["city_code"].astype(str),
                "city": small["city"].astype(str),
                "town_code": small["town_code"].astype(str),
                "town": small["town"].astype(str),
                "station": small["station"].astype(str),
                "population": small["population"].astype(int),
                "households": small["households"].astype(int),
                "lat": small["lat"].astype(float),
                "lon": small["lon"].astype(float),
                "approximate": small["approximate"].astype(bool),
            },
            geometry=small.geometry.to_numpy(),
            crs=WGS84,
        )

        town = _dissolve(chome, "town_code", {"town": "first", "city_code": "first", "city": "first"})
        town = town.rename(columns={"town_code": "area_code", "town": "name"})
        town = town[["area_code", "name", "city_code", "city", "population", "households", "approximate", "geometry"]]

        sums = chome.groupby("city_code")[["population", "households"]].sum()
        city = gpd.GeoDataFrame(
            {
                "area_code": cities["city_code"].astype(str),
                "name": cities["city"].astype(str),
                "city_code": cities["city_code"].astype(str),
                "city": cities["city"].astype(str),
                "population": sums["population"].reindex(cities["city_code"], fill_value=0).to_numpy(),
                "households": sums["households"].reindex(cities["city_code"], fill_value=0).to_numpy(),
                "approximate": False,
            },
            geometry=cities.geometry.to_numpy(),
            crs=WGS84,
        )
        pref = gpd.GeoDataFrame(
            {
                "area_code": [PREF_CODE],
                "name": [PREFECTURE],
                "population": [int(chome["population"].sum())],
                "households": [int(chome["households"].sum())],
                "approximate": [False],
            },
            geometry=[shapely.union_all(cities.geometry.to_numpy())],
            crs=WGS84,
        )

        stations = _dissolve(chome, "station", {"city": _join_unique})
        stations = stations.rename(columns={"city": "cities"})
        stations.insert(1, "name", stations["station"])
        if station_table is not None and len(station_table):
            points = station_table.drop_duplicates("station").set_index("station")[["lat", "lon"]]
            stations = stations.join(points, on="station")
        return cls({Granularity.CHOME: chome, Granularity.TOWN: town, Granularity.CITY: city,
                    Granularity.PREF: pref}, stations)

    # -- lookups -----------------------------------------------------------

    def layer(self, level) -> gpd.GeoDataFrame:
        """The areas of one level (a copy), ordered by ``area_code``; EPSG:4326."""
        return self._layers[self._level(level)].copy()

    def area(self, level, code) -> pd.Series:
        """The row of the area ``code`` at ``level``; ``KeyError`` when there is none."""
        level = self._level(level)
        position = self._codes[level].get_indexer([str(code)])[0]
        if position < 0:
            raise KeyError(f"{level.label}「{code}」はありません")
        return self._layers[level].iloc[position]

    def households(self, level, code) -> int:
        """Households (2015 census) of the area ``code`` at ``level``."""
        return int(self.area(level, code)["households"])

    def population(self, level, code) -> int:
        """Population (2015 census) of the area ``code`` at ``level``."""
        return int(self.area(level, code)["population"])

    def name(self, level, code) -> str:
        """The Japanese name of the area ``code`` at ``level`` (「紫原3丁目」, 「紫原」, 「鹿児島市」)."""
        return str(self.area(level, code)["name"])

    def level_of(self, code) -> Granularity:
        """The finest level that has an area ``code`` (a 9-digit small area is CHOME, not TOWN)."""
        for level in AREA_LEVELS:
            if str(code) in self._codes[level]:
                return level
        raise KeyError(f"地域コード「{code}」はありません")

    def parent_code(self, code, level) -> str:
        """The code of the area at ``level`` that holds the area ``code``.

        ``parent_code("46201318003", Granularity.TOWN) == "462013180"``;
        ``level`` may be the code's own level. Raises ``KeyError`` for an
        unknown code, ``ValueError`` when ``level`` is finer than the code.
        """
        code, level = str(code), self._level(level)
        own = self.level_of(code)
        if level < own:
            raise ValueError(f"「{code}」({own.label})より細かい{level.label}は求められません")
        if level == own:
            return code
        if level == Granularity.TOWN:
            return self._layers[Granularity.CHOME].at[self._codes[Granularity.CHOME].get_loc(code), "town_code"]
        return code[:5] if level == Granularity.CITY else PREF_CODE

    @staticmethod
    def _level(level) -> Granularity:
        level = Granularity.parse(level)
        if level not in AREA_LEVELS:
            raise ValueError(f"an AreaSet has no {level.name} layer: one of {', '.join(l.name for l in AREA_LEVELS)}")
        return level

    # -- placing incidents -------------------------------------------------

    def assign(self, incidents: pd.DataFrame) -> gpd.GeoDataFrame:
        """Each incident's area at every level: a new frame, same rows in the same order.

        ``incidents`` has ``lat``/``lon`` (WGS84 degrees; NaN when unknown)
        and, optionally, ``address``. Adds ``chome_code``, ``town_code``,
        ``city_code``, ``pref_code``, ``station_district`` (categoricals,
        missing where unknown), ``placement`` and ``approximate``:

        - ``point``: the point lies in a small area;
        - ``nearest``: just outside every small area (a simplified coast),
          placed in the nearest one within ``OUTSIDE_TOLERANCE_M``;
        - ``address``: no coordinates; placed by ``address.locate`` of the
          address text. Codes finer than the address states are left empty
          (「日置市伊集院町郡123番地」 gets no 丁目);
        - ``outside``: could not be placed; kept with empty codes.

        ``approximate`` is True for ``nearest`` and ``address``. A plain
        DataFrame gets point geometry from lat/lon; a GeoDataFrame keeps its
        own. The input is not modified.
        """
        n = len(incidents)
        lon, lat = _coordinates(incidents)
        has_point = np.isfinite(lon) & np.isfinite(lat)
        chome = np.full(n, -1, dtype=np.int64)
        placement = np.full(n, _OUTSIDE, dtype=np.int8)
        rows = np.flatnonzero(has_point)
        keep_geometry = _has_geometry(incidents)
        found, nearest, points = self._place(lon[rows], lat[rows], with_points=not keep_geometry)
        chome[rows] = found
        placement[rows[found >= 0]] = _POINT
        placement[rows[nearest]] = _NEAREST

        town = self._town_of[chome]
        city = self._city_of[chome]
        station = self._station_of[chome]
        if "address" in incidents.columns and not has_point.all():
            self._place_addresses(incidents["address"].to_numpy()[~has_point], np.flatnonzero(~has_point),
                                  chome, town, city, station, placement)

        if keep_geometry:
            result = incidents.copy()
        else:
            geometry = np.full(n, None, dtype=object)
            geometry[rows] = points
            result = gpd.GeoDataFrame(incidents.copy(), geometry=gpd.GeoSeries(geometry, crs=WGS84,
                                                                                index=incidents.index))
        result["chome_code"] = pd.Categorical.from_codes(chome, categories=self._codes[Granularity.CHOME])
        result["town_code"] = pd.Categorical.from_codes(town, categories=self._codes[Granularity.TOWN])
        result["city_code"] = pd.Categorical.from_codes(city, categories=self._codes[Granularity.CITY])
        result["pref_code"] = pd.Categorical.from_codes(np.where(city >= 0, 0, -1), categories=[PREF_CODE])
        result["station_district"] = pd.Categorical.from_codes(station, categories=self._station_names)
        result["placement"] = pd.Categorical.from_codes(placement, categories=list(PLACEMENTS))
        result["approximate"] = (placement == _NEAREST) | (placement == _ADDRESS)
        return result

    def _place(self, lon: np.ndarray, lat: np.ndarray, *, with_points: bool = False):
        """Row of the small area of each point (-1: none), whether it came from the nearest search,
        and the points as geometries (when ``with_points``)."""
        found, points = self._within(lon, lat, with_points=with_points)
        nearest = np.zeros(len(found), dtype=bool)
        outside = np.flatnonzero(found < 0)
        if len(outside):
            near = self._nearest(lon[outside], lat[outside])
            found[outside] = near
            nearest[outside[near >= 0]] = True
        return found, nearest, points

    def _within(self, lon: np.ndarray, lat: np.ndarray, *, with_points: bool):
        n = len(lon)
        bounds = np.linspace(0, n, max(1, -(-n // _CHUNK_POINTS)) + 1).astype(int)
        chunks = [(lon[a:b], lat[a:b]) for a, b in zip(bounds[:-1], bounds[1:])]
        if n < _PARALLEL_MIN_POINTS:
            results = [self._within_chunk(*chunk) for chunk in chunks]
            points = _make_points(lon, lat) if with_points else None
        else:
            self._grid()
            with ThreadPoolExecutor(_workers()) as pool:
                # Making Point objects holds the GIL while the chunks mostly run
                # without it: one task makes them all while the others place.
                made = pool.submit(_make_points, lon, lat) if with_points else None
                results = list(pool.map(lambda chunk: self._within_chunk(*chunk), chunks))
                points = made.result() if made is not None else None
        found = np.concatenate(results) if results else np.empty(0, dtype=np.int64)
        return found, points

    def _within_chunk(self, lon: np.ndarray, lat: np.ndarray):
        grid = self._grid()
        # Candidates: the polygon parts whose bounding box covers the point's grid cell ...
        col = np.floor((lon - grid.x0) / grid.cell)
        row = np.floor((lat - grid.y0) / grid.cell)
        on_grid = (col >= 0) & (col < grid.ncols) & (row >= 0) & (row < grid.nrows)  # False for NaN
        cell = np.where(on_grid, row * grid.ncols + col, 0).astype(np.int64)
        count = np.where(on_grid, grid.counts[cell], 0)
        point = np.repeat(np.arange(len(lon)), count)
        slot = np.repeat(grid.starts[cell] - (np.cumsum(count) - count), count) + np.arange(count.sum())
        part = grid.cell_parts[slot]
        # ... and the point itself: its bounding box, then the prepared polygon,
        # tested straight from the coordinates (no Point objects).
        box = grid.bounds[part]
        x, y = lon[point], lat[point]
        keep = (x >= box[:, 0]) & (x <= box[:, 2]) & (y >= box[:, 1]) & (y <= box[:, 3])
        point, part = point[keep], part[keep]
        inside = shapely.intersects_xy(grid.parts[part], x[keep], y[keep])
        none = np.iinfo(np.int64).max
        first = np.full(len(lon), none, dtype=np.int64)
        # A point on a shared edge touches two areas: the lower area code wins, every time.
        np.minimum.at(first, point[inside], grid.owner[part[inside]])
        first[first == none] = -1
        return first

    def _grid(self) -> "_PartGrid":
        if self._part_grid is None:
            self._part_grid = _PartGrid(self._geometries)
        return self._part_grid

    def _nearest(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        """Row of the nearest small area within ``OUTSIDE_TOLERANCE_M`` of each point, else -1."""
        if self._metric_tree is None:
            import pyproj

            metric = self._layers[Granularity.CHOME].geometry.to_crs(METRIC_CRS).to_numpy()
            self._to_metric = pyproj.Transformer.from_crs(WGS84, METRIC_CRS, always_xy=True)
            self._metric_tree = shapely.STRtree(metric)
        x, y = self._to_metric.transform(lon, lat)
        points = shapely.points(x, y)
        result = np.full(len(lon), -1, dtype=np.int64)
        point_index, area_index = self._metric_tree.query_nearest(points, max_distance=OUTSIDE_TOLERANCE_M,
                                                                  all_matches=False)
        result[point_index] = area_index
        return result

    def _place_addresses(self, texts, rows, chome, town, city, station, placement) -> None:
        """Place the rows without coordinates by their address text (in place)."""
        placed = {text: self._resolve_address(text)
                  for text in dict.fromkeys(t for t in texts if isinstance(t, str) and t.strip())}
        for row, text in zip(rows, texts):
            codes = placed.get(text) if isinstance(text, str) else None
            if codes is None:
                continue
            chome[row], town[row], city[row], station[row] = codes
            placement[row] = _ADDRESS

    def place_address(self, text: str) -> dict | None:
        """The area codes an address names, never finer than it states (None if unreadable).

        Returns ``chome_code``, ``town_code``, ``city_code`` and
        ``station_district``, each None where the address does not tell.
        """
        rows = self._resolve_address(text) if isinstance(text, str) and text.strip() else None
        if rows is None:
            return None
        chome, town, city, station = rows
        return {
            "chome_code": self._codes[Granularity.CHOME][chome] if chome >= 0 else None,
            "town_code": self._codes[Granularity.TOWN][town] if town >= 0 else None,
            "city_code": self._codes[Granularity.CITY][city] if city >= 0 else None,
            "station_district": self._station_names[station] if station >= 0 else None,
        }

    def _resolve_address(self, text: str) -> tuple[int, int, int, int] | None:
        """(chome, town, city, station) rows for an address, never finer than the text states.

        The address is read by ``address.parse``; its town (in the postal
        spelling) and 丁目 pick the small area. A town whose name several
        small areas share without one 丁目 telling them apart stays at the
        town, or at the city when they lie in different towns. None when the
        address cannot be read.
        """
        from anshin_lab.places.address import AddressError, parse

        try:
            address = parse(text)
        except AddressError:
            return None
        city = self._city_rows.get(address.city, -1)
        if city < 0:
            return None
        index = self._address_index()
        small = index["chome"].get((address.city, address.town, address.chome), [])
        if len(small) == 1:
            row = small[0]
            return row, int(self._town_of[row]), city, int(self._station_of[row])
        rows = index["town"].get((address.city, address.town), []) if address.town else \
            list(np.flatnonzero(self._city_of[:-1] == city))
        towns = {int(self._town_of[r]) for r in rows}
        stations = {int(self._station_of[r]) for r in rows}
        town = towns.pop() if address.town and len(towns) == 1 else -1
        station = stations.pop() if len(stations) == 1 else -1
        return -1, town, city, station

    def _address_index(self) -> dict:
        """Small-area rows by (city, town, 丁目) and by (city, town), in the gazetteer's spelling.

        The census names towns its own way (「木田」 for 姶良市加治木町木田);
        ``Gazetteer.official_town`` maps them to the postal spelling that
        ``address.parse`` returns, using the census point where names repeat.
        """
        if self._by_address is None:
            from anshin_lab.places.address import gazetteer, split_chome

            gaz = gazetteer()
            chome_layer = self._layers[Granularity.CHOME]
            by_chome, by_town = {}, {}
            for row, (city, name, lat, lon) in enumerate(zip(chome_layer["city"], chome_layer["name"],
                                                              chome_layer["lat"], chome_layer["lon"])):
                base, _, number = split_chome(_TRAILING_NOTE.sub("", name))
                town = gaz.official_town(city, base, (lat, lon)) or base
                by_chome.setdefault((city, town, number), []).append(row)
                by_town.setdefault((city, town), []).append(row)
            self._by_address = {"chome": by_chome, "town": by_town}
        return self._by_address


class _PartGrid:
    """A uniform grid over the small areas listing, per cell, the polygon parts whose box covers it.

    Looking a point up is arithmetic on its coordinates, so a million points
    need no Point objects and no tree walk; the exact test then runs on
    prepared copies of the parts (the layer's own geometries stay unprepared).
    """

    def __init__(self, geometries: np.ndarray):
        copies = shapely.from_wkb(shapely.to_wkb(geometries))
        self.parts, self.owner = shapely.get_parts(copies, return_index=True)
        shapely.prepare(self.parts)
        self.bounds = shapely.bounds(self.parts)
        x0, y0 = self.bounds[:, 0].min(), self.bounds[:, 1].min()
        width, height = self.bounds[:, 2].max() - x0, self.bounds[:, 3].max() - y0
        self.x0, self.y0 = x0, y0
        self.cell = max(float(np.sqrt(width * height / _GRID_CELLS)), 1e-6)
        self.ncols = int(np.floor(width / self.cell)) + 1
        self.nrows = int(np.floor(height / self.cell)) + 1
        c0, c1 = (np.floor((self.bounds[:, i] - x0) / self.cell).astype(np.int64) for i in (0, 2))
        r0, r1 = (np.floor((self.bounds[:, i] - y0) / self.cell).astype(np.int64) for i in (1, 3))
        cols = c1 - c0 + 1
        per_part = cols * (r1 - r0 + 1)
        part = np.repeat(np.arange(len(self.parts)), per_part)
        offset = np.arange(per_part.sum()) - np.repeat(np.cumsum(per_part) - per_part, per_part)
        cell = (r0[part] + offset // cols[part]) * self.ncols + c0[part] + offset % cols[part]
        self.cell_parts = part[np.argsort(cell, kind="stable")]
        self.counts = np.bincount(cell, minlength=self.ncols * self.nrows).astype(np.int32)
        self.starts = np.cumsum(self.counts, dtype=np.int64) - self.counts


def _make_points(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Point geometries for coordinate arrays, with the cyclic garbage collector paused.

    Shapely geometries are tracked by the collector, so a million new ones
    set off collections that walk every tracked object: pausing it makes
    this two to three times faster. Points hold no references, so they can
    form no cycles, and nothing goes uncollected.
    """
    paused = gc.isenabled()
    gc.disable()
    try:
        return shapely.points(lon, lat)
    finally:
        if paused:
            gc.enable()


def _workers() -> int:
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(cpus, 8))


def _coordinates(incidents: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """(lon, lat) float arrays from the ``lat``/``lon`` columns, or a GeoDataFrame's points."""
    if {"lat", "lon"} <= set(incidents.columns):
        lon = pd.to_numeric(incidents["lon"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        lat = pd.to_numeric(incidents["lat"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        return lon, lat
    if _has_geometry(incidents):
        points = incidents.geometry.to_crs(WGS84) if incidents.crs is not None else incidents.geometry
        usable = (points.geom_type == "Point").to_numpy()
        lon = np.where(usable, points.x.where(usable), np.nan).astype(float)
        lat = np.where(usable, points.y.where(usable), np.nan).astype(float)
        return lon, lat
    raise DataError("事案に緯度・経度(lat, lon)の列がありません")


def _has_geometry(frame: pd.DataFrame) -> bool:
    return isinstance(frame, gpd.GeoDataFrame) and getattr(frame, "_geometry_column_name", None) in frame.columns


def _dissolve(frame: gpd.GeoDataFrame, by: str, extra: dict) -> gpd.GeoDataFrame:
    """Areas merged by ``by`` with summed people and households (approximate if any part is)."""
    aggfunc = {"population": "sum", "households": "sum", "approximate": "any", **extra}
    merged = frame[[by, *aggfunc, "geometry"]].dissolve(by=by, aggfunc=aggfunc, sort=True).reset_index()
    merged["geometry"] = [_polygonal(g) for g in merged.geometry]
    return merged


def _join_unique(values) -> str:
    return "・".join(dict.fromkeys(values))


def load_areas(workspace=None) -> AreaSet:
    """The AreaSet of a workspace (the default one when None).

    Reads the workspace's layers (``small_areas``, ``municipalities``), the
    station table and the town list from its reference dir. Raises
    ``WorkspaceError`` when the workspace is not initialised.
    """
    from anshin_lab.app.workspace import load_layer, require_workspace

    ws = require_workspace(workspace)
    small = load_layer(ws, "small_areas")
    cities = load_layer(ws, "municipalities")
    station_table = load_station_table(ws.reference_dir)
    towns_path = ws.reference_dir / TOWNS_FILE
    towns = load_towns(ws.reference_dir) if towns_path.exists() else None
    return AreaSet.from_layers(small, cities, station_table=station_table, towns=towns)


def rate_per_1000_households(assigned: pd.DataFrame, area_set: AreaSet, level=Granularity.CHOME, *,
                             min_households: int = 1) -> pd.DataFrame:
    """Incidents per 1,000 households for every area of ``level``, highest first.

    ``assigned`` is the output of ``AreaSet.assign``. Returns ``area_code``,
    ``name``, ``city``, ``households``, ``count``, ``per_1000``; ``per_1000``
    is NaN (not inf) for areas with fewer than ``min_households`` households
    (always for 0), where a rate means nothing. Unplaced incidents are not
    counted.
    """
    level = AreaSet._level(level)
    layer = area_set.layer(level)
    column = CODE_COLUMNS[level]
    if column not in assigned.columns:
        raise DataError(f"事案に {column} 列がありません: 先に AreaSet.assign で地域を割り当ててください")
    counts = assigned[column].astype(object).dropna().astype(str).value_counts()
    households = layer["households"].astype(int)
    count = counts.reindex(layer["area_code"]).fillna(0).astype(int).to_numpy()
    usable = households.to_numpy() >= max(int(min_households), 1)
    per_1000 = np.full(len(layer), np.nan)
    per_1000[usable] = count[usable] * 1000.0 / households.to_numpy()[usable]
    table = pd.DataFrame({
        "area_code": layer["area_code"].to_numpy(),
        "name": layer["name"].to_numpy(),
        "city": layer["city"].to_numpy() if "city" in layer.columns else layer["name"].to_numpy(),
        "households": households.to_numpy(),
        "count": count,
        "per_1000": per_1000,
    })
    return table.sort_values(["per_1000", "count", "area_code"], ascending=[False, False, True],
                             na_position="last").reset_index(drop=True)
