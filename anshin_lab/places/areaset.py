"""``AreaSet``: the small areas and every coarser level, and placing incidents in them.

An AreaSet holds one layer per rung of the granularity ladder from 町丁目 up
to the prefecture, plus the station districts, and places incidents in all
of them at once (``AreaSet.assign``): by their point, by the nearest area
just off a simplified coast, or by their address text. Build one from a
workspace with ``app.catalog.load_areas`` or from layers with
``AreaSet.from_layers``.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from anshin_lab.core.directive import PREF_CODE
from anshin_lab.core.errors import DataError
from anshin_lab.core.geo import METRIC_CRS, WGS84
from anshin_lab.core.granularity import Granularity
from anshin_lab.places.address import AddressError, parse
from anshin_lab.places.gazetteer import gazetteer, split_chome
from anshin_lab.places.grid import PartGrid, make_points
from anshin_lab.places.levels import AREA_LEVELS, TRAILING_NOTE, build_levels

APPROXIMATE_NOTE = "小地域の境界は国勢調査の代表点から作った近似(ボロノイ分割)です"
REAL_BOUNDARIES_NOTE = "小地域の境界は e-Stat の小地域境界データです"
# An incident this close to a small area (off the simplified coast, in a river
# mouth, across a simplified border) is placed in the nearest one.
OUTSIDE_TOLERANCE_M = 3000.0

# The column ``assign`` writes for each level.
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
    Build one with ``app.catalog.load_areas`` (a workspace) or ``AreaSet.from_layers``.
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
        return cls(*build_levels(small_areas, municipalities, station_table=station_table, towns=towns))

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
        lon, lat = coordinates(incidents)
        has_point = np.isfinite(lon) & np.isfinite(lat)
        chome = np.full(n, -1, dtype=np.int64)
        placement = np.full(n, _OUTSIDE, dtype=np.int8)
        rows = np.flatnonzero(has_point)
        keep_geometry = has_geometry(incidents)
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
            results = [self._grid().find(*chunk) for chunk in chunks]
            points = make_points(lon, lat) if with_points else None
        else:
            self._grid()
            with ThreadPoolExecutor(workers()) as pool:
                # Making Point objects holds the GIL while the chunks mostly run
                # without it: one task makes them all while the others place.
                made = pool.submit(make_points, lon, lat) if with_points else None
                results = list(pool.map(lambda chunk: self._grid().find(*chunk), chunks))
                points = made.result() if made is not None else None
        found = np.concatenate(results) if results else np.empty(0, dtype=np.int64)
        return found, points

    def _grid(self) -> "PartGrid":
        if self._part_grid is None:
            self._part_grid = PartGrid(self._geometries)
        return self._part_grid

    def _nearest(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        """Row of the nearest small area within ``OUTSIDE_TOLERANCE_M`` of each point, else -1."""
        if self._metric_tree is None:
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
            gaz = gazetteer()
            chome_layer = self._layers[Granularity.CHOME]
            by_chome, by_town = {}, {}
            for row, (city, name, lat, lon) in enumerate(zip(chome_layer["city"], chome_layer["name"],
                                                              chome_layer["lat"], chome_layer["lon"])):
                base, _, number = split_chome(TRAILING_NOTE.sub("", name))
                town = gaz.official_town(city, base, (lat, lon)) or base
                by_chome.setdefault((city, town, number), []).append(row)
                by_town.setdefault((city, town), []).append(row)
            self._by_address = {"chome": by_chome, "town": by_town}
        return self._by_address


def workers() -> int:
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(cpus, 8))


def coordinates(incidents: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """(lon, lat) float arrays from the ``lat``/``lon`` columns, or a GeoDataFrame's points."""
    if {"lat", "lon"} <= set(incidents.columns):
        lon = pd.to_numeric(incidents["lon"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        lat = pd.to_numeric(incidents["lat"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        return lon, lat
    if has_geometry(incidents):
        points = incidents.geometry.to_crs(WGS84) if incidents.crs is not None else incidents.geometry
        usable = (points.geom_type == "Point").to_numpy()
        lon = np.where(usable, points.x.where(usable), np.nan).astype(float)
        lat = np.where(usable, points.y.where(usable), np.nan).astype(float)
        return lon, lat
    raise DataError("事案に緯度・経度(lat, lon)の列がありません")


def has_geometry(frame: pd.DataFrame) -> bool:
    return isinstance(frame, gpd.GeoDataFrame) and getattr(frame, "_geometry_column_name", None) in frame.columns


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
