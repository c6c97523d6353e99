"""The basemap every map shares: local boundaries as compact integer geometry, category styles, the frame.

Area geometry is written as integer deltas in 1e-5 degrees (about 1 m; see
``static/anshin/anshin-maps.js``): a third of the size of decimal
coordinates, and the public map then holds no decimal coordinates at all
except the view's centre and bounds (rounded to 3 decimals, about 100 m).
An optional tile URL (``ANSHIN_TILE_URL``, e.g. an intranet mirror of
地理院タイル) adds a tile layer under the boundaries.
"""

from __future__ import annotations

import html
import weakref

import folium
import numpy as np
import pandas as pd
import shapely

from anshin_lab.app.catalog import load_areas
from anshin_lab.core.glossary import CATEGORIES
from anshin_lab.core.granularity import Granularity
from anshin_lab.core.settings import load_settings
from anshin_lab.places import CREDITS
from anshin_lab.views.maps.assets import MapCall, OfflineMap

__all__ = [
    "BASEMAP_STYLE", "CATEGORY_STYLES", "area_label", "base_map", "category_style", "encode_point", "encoded_layer",
    "finish_map", "focus", "ordered_categories", "resolve_areas",
]

# Area coordinates are written as integers in this unit (1e-5 degrees, about 1 m).
COORDINATE_UNIT = 1e5
# Decimals of the few plain coordinates a map holds (centre, bounds): about 100 m.
VIEW_DECIMALS = 3
MAX_ZOOM = 17
MIN_ZOOM = 6
# Small-area boundaries appear from this zoom (below it they blur into grey).
CHOME_MIN_ZOOM = 11

# Colour and one-character glyph of each category (markers, clusters, legend).
CATEGORY_STYLES = {
    "threat": ("#c62828", "脅"),
    "fugitive": ("#6a1b9a", "逃"),
    "fraud": ("#ef6c00", "詐"),
    "community": ("#2e7d32", "地"),
    "missing": ("#1565c0", "行"),
}
OTHER_STYLE = ("#546e7a", "他")
BASEMAP_STYLE = {
    "land": "#f4f1e8",
    "cityLine": "#56657a",
    "cityWeight": 1.5,
    "chomeLine": "#a3b1c2",
    "chomeWeight": 0.6,
    "cityLabel": "市区町村の境界",
    "chomeLabel": "町丁目(小地域)の境界",
}
DEFAULT_TILE_ATTRIBUTION = "地理院タイル(国土地理院)"


# ---------------------------------------------------------------------------
# Geometry


_ENCODED = weakref.WeakKeyDictionary()
_LANDMASSES = weakref.WeakKeyDictionary()
# The first view fits the landmass holding at least this share of what is drawn.
FOCUS_SHARE = 0.5
# Degrees around that landmass's bounding box that still count as on it (about 10 km).
FOCUS_MARGIN = 0.1


def _encode_geometry(geometry) -> list:
    """A polygonal geometry as ``[[ring, ...], ...]``, each ring ``[x0, y0, dx, dy, ...]`` in 1e-5 degrees."""
    polygons = []
    for polygon in shapely.get_parts(geometry):
        if polygon.geom_type != "Polygon" or polygon.is_empty:
            continue
        rings = []
        for i, ring in enumerate((polygon.exterior, *polygon.interiors)):
            q = np.round(shapely.get_coordinates(ring)[:-1] * COORDINATE_UNIT).astype(np.int64)
            if len(q):
                keep = np.ones(len(q), dtype=bool)
                keep[1:] = np.any(q[1:] != q[:-1], axis=1)
                q = q[keep]
            if len(q) < 3:
                if i == 0:
                    break  # no outline left at this precision: a sliver, drop the polygon
                continue
            rings.append(np.diff(q, axis=0, prepend=np.zeros((1, 2), dtype=np.int64)).ravel().tolist())
        if rings:
            polygons.append(rings)
    return polygons


def encoded_layer(area_set, level: Granularity) -> dict:
    """area_code -> encoded geometry of one layer, computed once per AreaSet."""
    cache = _ENCODED.setdefault(area_set, {})
    if level not in cache:
        layer = area_set.layer(level)
        cache[level] = {str(code): _encode_geometry(geometry)
                        for code, geometry in zip(layer["area_code"], layer.geometry)}
    return cache[level]


def encode_point(point) -> list[int]:
    """A point as ``[x, y]`` integers in 1e-5 degrees."""
    return [int(round(point.x * COORDINATE_UNIT)), int(round(point.y * COORDINATE_UNIT))]


def _landmasses(area_set) -> shapely.STRtree:
    """The prefecture's separate pieces of land (mainland, each island) as a tree, built once per AreaSet."""
    if area_set not in _LANDMASSES:
        pref = area_set.layer(Granularity.PREF).geometry.to_numpy()
        _LANDMASSES[area_set] = shapely.STRtree(shapely.get_parts(shapely.union_all(pref)))
    return _LANDMASSES[area_set]


def focus(area_set, lon, lat, weights=None) -> np.ndarray:
    """Which points the first view should fit: those on the landmass holding most of them.

    A prefecture with far islands (奄美, トカラ) is small on screen when the
    view fits every point; when one piece of land (the mainland) holds at
    least ``FOCUS_SHARE`` of the points (by ``weights``), the view fits the
    points within its bounding box only and the far islands stay a zoom-out away. Otherwise, and for
    points without coordinates, every placed point counts.
    """
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    placed = np.isfinite(lon) & np.isfinite(lat)
    weights = np.ones(len(lon)) if weights is None else np.asarray(weights, dtype=float)
    tree = _landmasses(area_set)
    if placed.sum() < 2 or len(tree.geometries) < 2:
        return placed
    land = np.full(len(lon), -1)
    index = np.flatnonzero(placed)
    # A point inside one landmass's bounding box only is on that land (or in the sea next to it):
    # that settles almost every point with a few comparisons, without measuring distances to the
    # mainland's long outline (0.6 s for 50,000 points). The rest, in no box or in several
    # (桜島 inside the mainland's), belong to the nearest land, as do points just off a
    # simplified coastline.
    x, y = lon[index], lat[index]
    boxes, which = np.zeros(len(index), dtype=np.int64), np.zeros(len(index), dtype=np.int64)
    for k, (minx, miny, maxx, maxy) in enumerate(shapely.bounds(tree.geometries)):
        inside = (x >= minx) & (y >= miny) & (x <= maxx) & (y <= maxy)
        boxes += inside
        which[inside] = k
    single = boxes == 1
    land[index[single]] = which[single]
    rest = index[~single]
    if len(rest):
        where, part = tree.query_nearest(shapely.points(lon[rest], lat[rest]), all_matches=False)
        land[rest[where]] = part
    totals = np.bincount(land[placed], weights=weights[placed], minlength=len(tree.geometries))
    main = int(totals.argmax())
    if totals[main] < FOCUS_SHARE * totals.sum():
        return placed
    # Islands within the mainland's bounding box (長島, 桜島) stay in view.
    minx, miny, maxx, maxy = tree.geometries[main].bounds
    return (placed & (lon >= minx - FOCUS_MARGIN) & (lon <= maxx + FOCUS_MARGIN)
            & (lat >= miny - FOCUS_MARGIN) & (lat <= maxy + FOCUS_MARGIN))


def _view_bounds(minx, miny, maxx, maxy) -> list[list[float]]:
    """[[south, west], [north, east]] rounded outwards to ``VIEW_DECIMALS``."""
    scale = 10 ** VIEW_DECIMALS
    return [[float(np.floor(miny * scale) / scale), float(np.floor(minx * scale) / scale)],
            [float(np.ceil(maxy * scale) / scale), float(np.ceil(maxx * scale) / scale)]]


def area_label(level: Granularity, row: pd.Series) -> str:
    """An area's name as a map shows it: with its municipality below the 市区町村 level."""
    if level in (Granularity.CHOME, Granularity.TOWN):
        return f"{row['city']}{row['name']}"
    return str(row["name"])


# ---------------------------------------------------------------------------
# The basemap


def resolve_areas(areas):
    """``areas``, or the default workspace's AreaSet when None."""
    if areas is not None:
        return areas
    return load_areas()


def _tile(tile_url, tile_attribution) -> dict | None:
    if tile_url is None:
        tile_url = load_settings().tile_url
    if not tile_url:
        return None
    return {"url": str(tile_url), "attribution": html.escape(tile_attribution or DEFAULT_TILE_ATTRIBUTION),
            "label": "地図タイル"}


def base_map(areas=None, *, title: str = "地図", bounds=None, tile_url: str | None = None,
             tile_attribution: str | None = None, plugins=()) -> folium.Map:
    """An offline map with the local boundaries as its basemap and the data credits.

    Parameters
    ----------
    areas : AreaSet, optional
        The boundary layers (``app.catalog.load_areas``); the default workspace's when None.
    title : str
        The page title.
    bounds : (minx, miny, maxx, maxy), optional
        The view in degrees (EPSG:4326); the whole prefecture when None.
    tile_url, tile_attribution : str, optional
        A tile layer (``{z}/{x}/{y}`` URL) under the boundaries; None reads the
        ``tile_url`` setting (``ANSHIN_TILE_URL``), ``""`` means none.
    plugins : iterable of str
        Vendored libraries to inline besides Leaflet: ``"markercluster"``
        (Leaflet.markercluster), ``"supercluster"`` (Supercluster).

    Returns
    -------
    folium.Map
        Add layers as usual; ``save`` refuses any that load from a CDN.
    """
    area_set = resolve_areas(areas)
    if bounds is None:
        bounds = area_set.layer(Granularity.PREF).total_bounds
    view = _view_bounds(*bounds)
    centre = [round((view[0][0] + view[1][0]) / 2, VIEW_DECIMALS), round((view[0][1] + view[1][1]) / 2, VIEW_DECIMALS)]
    # The scale (metric only) is added by anshin-maps.js; folium's would show miles too.
    m = OfflineMap(location=centre, zoom_start=9, tiles=None, prefer_canvas=True, control_scale=False,
                   plugins=plugins, maxZoom=MAX_ZOOM, minZoom=MIN_ZOOM)
    m.get_root().title = html.escape(title)
    tile = _tile(tile_url, tile_attribution)
    credits = [*CREDITS, area_set.note]
    base = {
        "cities": list(encoded_layer(area_set, Granularity.CITY).values()),
        "chome": list(encoded_layer(area_set, Granularity.CHOME).values()),
        "chomeMinZoom": CHOME_MIN_ZOOM,
        "style": BASEMAP_STYLE,
        "tile": tile,
        "credits": credits,
    }
    m.add_child(MapCall("addBasemap", base))
    m.fit_bounds(view)
    return m


def finish_map(m: folium.Map, banner: dict) -> folium.Map:
    """Add the banner (部外秘 or the public title) and the layer list; returns ``m``."""
    m.add_child(MapCall("addBanner", banner))
    m.add_child(MapCall("addLayersControl", None))
    return m


def category_style(code) -> dict:
    """A category's code, Japanese name, colour and glyph, as the legend and markers use them."""
    colour, glyph = CATEGORY_STYLES.get(code, OTHER_STYLE)
    return {"code": code, "name": CATEGORIES.get(code, code or "発信情報"), "color": colour, "glyph": glyph}


def ordered_categories(codes) -> list:
    """The distinct codes, the directive's categories first in their order, then any others."""
    present = list(dict.fromkeys(codes))
    known = [c for c in CATEGORIES if c in present]
    return known + sorted((c for c in present if c not in CATEGORIES), key=str)
