"""The areas a report's map draws: exactly the report's area, never the rest of the prefecture.

``areas_within(areas, area)`` returns an ``AreaSet`` holding only the
report's area (an ``analysis.fraud_calls.Area``): the whole prefecture, one
municipality, or one station district — its small areas, its 大字・町 (cut at
the district's edge, households of the district's part only), its
municipalities clipped to it, and the area itself as the outline. A map
built on it draws that area. ``first_view`` is where its view starts: the
piece of land where most of the area's households live (a district or the
prefecture that reaches to far islands would otherwise be a speck), the
islands a zoom-out away.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely

from anshin_lab.core.granularity import Granularity
from anshin_lab.places import AreaSet
from anshin_lab.places.levels import dissolve

__all__ = ["FOCUS_SHARE", "areas_within", "first_view"]

# The first view fits one piece of land when it holds at least this share of the area's households.
FOCUS_SHARE = 0.5


def areas_within(areas: AreaSet, area) -> AreaSet:
    """``areas`` cut down to ``area`` (the prefecture returns ``areas`` itself).

    Raises ``ValueError`` when the area has no small area in ``areas``
    (a station or municipality the layers do not know).
    """
    if area.kind == "pref":
        return areas
    chome = areas.layer(Granularity.CHOME)
    if area.kind == "station":
        chome = chome[chome["station"].astype(str) == area.name]
        towns = dissolve(chome, "town_code", {"town": "first", "city_code": "first", "city": "first"})
        towns = towns.rename(columns={"town_code": "area_code", "town": "name"})
        stations = areas.stations[areas.stations["station"].astype(str) == area.name]
    else:
        chome = chome[chome["city_code"].astype(str) == area.code]
        towns = areas.layer(Granularity.TOWN)
        towns = towns[towns["city_code"].astype(str) == area.code]
        stations = areas.stations.iloc[:0]
    if chome.empty:
        raise ValueError(f"地域「{area.label}」の小地域が地域データにありません")
    outline = shapely.union_all(chome.geometry.to_numpy())
    cities = areas.layer(Granularity.CITY)
    cities = cities[cities["area_code"].astype(str).isin(set(chome["city_code"].astype(str)))].copy()
    cities["geometry"] = cities.geometry.intersection(outline)
    pref = areas.layer(Granularity.PREF)
    pref = gpd.GeoDataFrame(pref.drop(columns="geometry"), geometry=[outline] * len(pref), crs=pref.crs)
    pref["households"] = int(chome["households"].sum())
    pref["population"] = int(chome["population"].sum())
    layers = {Granularity.CHOME: chome.reset_index(drop=True),
              Granularity.TOWN: towns[["area_code", "name", "city_code", "city", "population", "households",
                                       "approximate", "geometry"]].sort_values("area_code").reset_index(drop=True),
              Granularity.CITY: cities.reset_index(drop=True), Granularity.PREF: pref}
    return AreaSet(layers, stations.reset_index(drop=True))


def first_view(areas: AreaSet) -> tuple:
    """(minx, miny, maxx, maxy) in degrees: the small areas on the piece of land with most households.

    When no piece holds ``FOCUS_SHARE`` of the households, the whole area.
    """
    chome = areas.layer(Granularity.CHOME)
    pieces = shapely.get_parts(shapely.union_all(areas.layer(Granularity.PREF).geometry.to_numpy()))
    if len(pieces) < 2 or len(chome) < 2:
        return tuple(chome.total_bounds)
    tree = shapely.STRtree(pieces)
    where, piece = tree.query_nearest(shapely.points(chome["lon"].to_numpy(), chome["lat"].to_numpy()),
                                      all_matches=False)
    land = np.full(len(chome), -1)
    land[where] = piece
    households = chome["households"].to_numpy(dtype=float)
    totals = np.bincount(land[land >= 0], weights=households[land >= 0], minlength=len(pieces))
    main = int(totals.argmax())
    if totals[main] < FOCUS_SHARE * households.sum():
        return tuple(chome.total_bounds)
    return tuple(chome[land == main].total_bounds)
