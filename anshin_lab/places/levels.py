"""The rungs of the ladder above the small areas, built from them.

``build_levels`` turns a small-area layer and the municipalities into one
layer per level an ``AreaSet`` holds (町丁目, 大字・町, 市区町村, 県) plus the
station districts: towns are the small areas dissolved by the first nine
digits of their code and named from their members' names (``town_name``),
the prefecture is the union of the municipalities.
"""

from __future__ import annotations

import os
import re

import geopandas as gpd
import pandas as pd
import shapely

from anshin_lab.core.directive import PREF_CODE, PREFECTURE
from anshin_lab.core.errors import DataError
from anshin_lab.core.geo import WGS84
from anshin_lab.core.granularity import Granularity
from anshin_lab.core.numerals import NUMBER_PATTERN
from anshin_lab.places.reference import assign_stations, normalise_name
from anshin_lab.places.small_areas import polygonal

# The levels an AreaSet holds.
AREA_LEVELS = (Granularity.CHOME, Granularity.TOWN, Granularity.CITY, Granularity.PREF)

CHOME_SUFFIX = re.compile(rf"{NUMBER_PATTERN}丁目$")
# A note in brackets at the end of a small-area name, dropped before matching.
TRAILING_NOTE = re.compile(r"\([^()]*\)$")


def town_name(name: str) -> str:
    """The 大字・町 part of a small-area name: 「紫原3丁目」→「紫原」, 「湊一丁目」→「湊」."""
    name = TRAILING_NOTE.sub("", normalise_name(name)).strip()
    return CHOME_SUFFIX.sub("", name)


def town_names(small: pd.DataFrame, known_towns: dict[str, set[str]]) -> pd.Series:
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


def build_levels(small_areas: gpd.GeoDataFrame, municipalities: gpd.GeoDataFrame, *,
                 station_table: pd.DataFrame | None = None,
                 towns: pd.DataFrame | None = None) -> tuple[dict, gpd.GeoDataFrame]:
    """The layer of every level in ``AREA_LEVELS`` (by ``Granularity``) and the station districts.

    The arguments are those of ``AreaSet.from_layers``; raises ``DataError``
    when a column is missing or a small area's municipality is unknown.
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
    names = town_names(small, known)
    small["town"] = names.reindex(small["town_code"]).to_numpy()
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

    town = dissolve(chome, "town_code", {"town": "first", "city_code": "first", "city": "first"})
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

    stations = dissolve(chome, "station", {"city": join_unique})
    stations = stations.rename(columns={"city": "cities"})
    stations.insert(1, "name", stations["station"])
    if station_table is not None and len(station_table):
        points = station_table.drop_duplicates("station").set_index("station")[["lat", "lon"]]
        stations = stations.join(points, on="station")
    return {Granularity.CHOME: chome, Granularity.TOWN: town, Granularity.CITY: city,
            Granularity.PREF: pref}, stations


def dissolve(frame: gpd.GeoDataFrame, by: str, extra: dict) -> gpd.GeoDataFrame:
    """Areas merged by ``by`` with summed people and households (approximate if any part is)."""
    aggfunc = {"population": "sum", "households": "sum", "approximate": "any", **extra}
    merged = frame[[by, *aggfunc, "geometry"]].dissolve(by=by, aggfunc=aggfunc, sort=True).reset_index()
    merged["geometry"] = [polygonal(g) for g in merged.geometry]
    return merged


def join_unique(values) -> str:
    """The distinct values, in order, joined with 「・」."""
    return "・".join(dict.fromkeys(values))
