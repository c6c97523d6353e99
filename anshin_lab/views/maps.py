"""Maps for analysts and for the public, drawn offline: the only module that imports folium.

- ``incident_map``: the internal (部外秘) map of exact incident points, a
  clustered layer per category, popups and a date-range filter. It scales to
  tens of thousands of incidents because the points travel as one compact
  JSON array per category, clustered in the browser by Supercluster (a
  KD-tree per zoom level, built in a fraction of a second), and only what is
  in view becomes Leaflet markers — instead of one folium object (and one
  chunk of JS) per incident. Leaflet.markercluster, which clusters every
  marker at every zoom up front, took about three times as long to draw
  50,000 incidents, so it only serves the public map's few hundred areas.
- ``public_map``: what may be published: the coarsened area of each decision
  (polygon and representative point) and its public text; never an incident's
  point, address or any other internal field.
- ``choropleth``: counts (or counts per 1,000 households) by area.

All three draw the basemap from the workspace's own boundary layers
(municipalities and small areas) and return a ``folium.Map``. ``save`` writes
one self-contained HTML file with Leaflet, its plugins and the map code
inlined from ``anshin_lab/static`` (vendored with their licences), so it
opens on a closed network; it refuses a map that would load anything from a
CDN. An optional tile URL (``ANSHIN_TILE_URL``, e.g. an intranet mirror of
地理院タイル) adds a tile layer under the boundaries. In Jupyter the maps
display from the same offline HTML (``show``, or just the map as a cell's
value).

Area geometry is written as integer deltas in 1e-5 degrees (about 1 m; see
``static/anshin/anshin-maps.js``): a third of the size of decimal
coordinates, and the public map then holds no decimal coordinates at all
except the view's centre and bounds (rounded to 3 decimals, about 100 m).
"""

from __future__ import annotations

import base64
import functools
import html
import json
import os
import re
import uuid
import weakref
from pathlib import Path

import folium
import numpy as np
import pandas as pd
import shapely
from branca.element import Element, MacroElement
from folium.template import Template

from anshin_lab.core.errors import AnshinError, DataError
from anshin_lab.core.glossary import CATEGORIES, category_code
from anshin_lab.core.granularity import Granularity
from anshin_lab.privacy.policy import Decision, PrivacyError

__all__ = [
    "CATEGORY_STYLES", "MapError", "assess_publishable", "base_map", "choropleth", "incident_map", "public_map",
    "render_html", "render_internal_map", "render_public_map", "save", "show",
]

STATIC_DIR = Path(__file__).with_name("static")
# Area coordinates are written as integers in this unit (1e-5 degrees, about 1 m).
COORDINATE_UNIT = 1e5
# Decimals of the few plain coordinates a map holds (centre, bounds): about 100 m.
VIEW_DECIMALS = 3
MAX_ZOOM = 17
MIN_ZOOM = 6
# Small-area boundaries appear from this zoom (below it they blur into grey).
CHOME_MIN_ZOOM = 11
# Vendored plugins a map may inline (static/<folder>), in the order they load.
PLUGINS = ("markercluster", "supercluster")
# Radius in pixels within which incident points merge into a cluster.
CLUSTER_RADIUS_PX = 60
NOTEBOOK_HEIGHT_PX = 600

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
# ColorBrewer YlOrRd, lightest first (choropleth classes).
CHOROPLETH_COLOURS = ("#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#f03b20", "#bd0026")
NO_RATE_COLOUR = "#c8c8c8"

# Popup rows of the internal map: column -> label.
INCIDENT_FIELDS = {
    "incident_id": "事案番号",
    "subtype": "手口",
    "address": "発生場所",
    "place_type": "場所属性",
    "victim": "被害者",
    "station": "管轄署",
    "consent": "配信同意",
    "summary": "概要",
    "actor": "行為者の特徴",
}
# The only fields of a decision's public info that reach the public map.
PUBLIC_INFO_KEYS = ("category", "date", "title", "text")

INTERNAL_DIRNAME = "internal"
INTERNAL_FILENAME = "incident_map.html"
PUBLIC_FILENAME = "public_map.html"


class MapError(AnshinError):
    """A map that cannot be built or written as asked (a CDN asset, a 部外秘 map into reports/)."""


# ---------------------------------------------------------------------------
# Offline assets and the map class


@functools.lru_cache(maxsize=1)
def _asset_parts() -> dict[str, str]:
    """The vendored files, read once: CSS with images as data: URIs, JS without source-map comments."""
    leaflet, cluster, own = STATIC_DIR / "leaflet", STATIC_DIR / "leaflet.markercluster", STATIC_DIR / "anshin"
    supercluster = STATIC_DIR / "supercluster"

    def read(path: Path) -> str:
        return path.read_text(encoding="utf-8")

    def image(name: str) -> str:
        return "data:image/png;base64," + base64.b64encode((leaflet / "images" / name).read_bytes()).decode()

    def css(text: str) -> str:
        return re.sub(r"url\((?:images/)([\w.-]+\.png)\)", lambda m: f'url("{image(m.group(1))}")', text)

    def js(text: str) -> str:
        return re.sub(r"^//# sourceMappingURL=.*$", "", text, flags=re.MULTILINE)

    # Markers a caller adds with folium's default icon find its images inline too.
    default_icon = (
        'L.Icon.Default.imagePath="";L.Icon.Default.mergeOptions('
        + json.dumps({"iconUrl": image("marker-icon.png"), "iconRetinaUrl": image("marker-icon-2x.png"),
                      "shadowUrl": image("marker-shadow.png")}) + ");"
    )
    return {
        "licence_leaflet": "Leaflet 1.9.4 (https://leafletjs.com), inlined from anshin_lab/static/leaflet:\n"
                           + read(leaflet / "LICENSE"),
        "licence_markercluster": "Leaflet.markercluster 1.5.3, inlined from anshin_lab/static/leaflet.markercluster:\n"
                                 + read(cluster / "MIT-LICENCE.txt"),
        "licence_supercluster": "Supercluster 9.1.0 (with KDBush), inlined from anshin_lab/static/supercluster:\n"
                                + read(supercluster / "LICENSE") + "\nKDBush:\n" + read(supercluster / "LICENSE-kdbush"),
        "leaflet_css": css(read(leaflet / "leaflet.css")),
        "markercluster_css": read(cluster / "MarkerCluster.css"),
        "own_css": read(own / "anshin-maps.css"),
        "leaflet_js": js(read(leaflet / "leaflet.js")) + "\n" + default_icon,
        "markercluster_js": js(read(cluster / "leaflet.markercluster.js")),
        "supercluster_js": js(read(supercluster / "supercluster.min.js")),
        "own_js": read(own / "anshin-maps.js"),
    }


def _assets_html(plugins: frozenset) -> str:
    """The inlined assets: Leaflet, the plugins asked for (``markercluster``, ``supercluster``), our code."""
    parts = _asset_parts()
    unknown = set(plugins) - set(PLUGINS)
    if unknown:
        raise ValueError(f"unknown map plugins {sorted(unknown)}: one of {', '.join(PLUGINS)}")
    chosen = [name for name in PLUGINS if name in plugins]
    licences = [parts["licence_leaflet"], *(parts[f"licence_{name}"] for name in chosen)]
    styles = [parts["leaflet_css"], *(parts[f"{name}_css"] for name in chosen if f"{name}_css" in parts),
              parts["own_css"]]
    scripts = [parts["leaflet_js"], *(parts[f"{name}_js"] for name in chosen), parts["own_js"]]
    comment = "\n\n".join(licences).replace("--", "- -")
    return "\n".join([f"<!--\n{comment}\n-->", *(f"<style>\n{s}\n</style>" for s in styles),
                      *(f"<script>\n{s}\n</script>" for s in scripts)])


class _Raw(Element):
    """Text put into the page as it is (folium compiles an Element's text as a Jinja template)."""

    def __init__(self, text: str):
        super().__init__()
        self._text = text

    def render(self, **kwargs) -> str:
        return self._text


class _OfflineMap(folium.Map):
    """A folium.Map whose Leaflet, plugins and CSS are inlined instead of fetched from CDNs."""

    default_js: list = []
    default_css: list = []

    def __init__(self, *args, plugins=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.plugins = frozenset(plugins)
        self.notebook_height = NOTEBOOK_HEIGHT_PX

    def render(self, **kwargs):
        self.get_root().header.add_child(_Raw(_assets_html(self.plugins)), name="anshin_assets")
        super().render(**kwargs)

    def _repr_html_(self, **kwargs) -> str:
        return _iframe(render_html(self), self.notebook_height)


class _Call(MacroElement):
    """One call of an ``anshinMaps`` function with its data embedded in the page as JSON.

    The JSON goes into a ``<script type="application/json">`` block, with
    every ``<`` escaped so no text in it can end the block.
    """

    _OVERLAYS = "{{ this._parent.get_name() }}_overlays"
    _template = Template(
        "{% macro script(this, kwargs) %}\n"
        f"var {_OVERLAYS} = anshinMaps.{{{{ this.function }}}}({{{{ this._parent.get_name() }}}}, "
        f"anshinMaps.data({{{{ this.get_name()|tojson }}}}), {_OVERLAYS} || {{}});\n"
        "{% endmacro %}"
    )

    def __init__(self, function: str, payload):
        super().__init__()
        self._name = "AnshinCall"
        self.function = function
        self.payload = _json(payload)

    def render(self, **kwargs):
        figure = self.get_root()
        figure.html.add_child(_Raw(f'<script type="application/json" id="{self.get_name()}">{self.payload}</script>'),
                              name=self.get_name())
        super().render(**kwargs)


def _json(value) -> str:
    # "<" escaped: nothing inside the JSON block can close it or open a comment.
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False).replace("<", "\\u003c")


# ---------------------------------------------------------------------------
# Writing and showing


_EXTERNAL = re.compile(r"""<(?:script|link|img|iframe|source|embed|object|audio|video)\b[^>]*?"""
                       r"""\b(?:src|href|data)\s*=\s*["']?((?:[a-z][a-z0-9+.-]*:)?//[^"'\s>]+)""", re.IGNORECASE)
_STYLE = re.compile(r"<style\b[^>]*>(.*?)</style>", re.IGNORECASE | re.DOTALL)
_CSS_EXTERNAL = re.compile(r"""(?:@import\s+|url\(\s*)["']?((?:https?:)?//[^"')\s]+)""", re.IGNORECASE)


def render_html(map: folium.Map) -> str:
    """The complete, self-contained HTML of a map made by this module.

    Raises ``MapError`` when anything in the page would be loaded from
    another server (a script, stylesheet, image or font — e.g. a folium
    plugin that uses a CDN, or a plain ``folium.Map``). A tile layer's URL
    (``tile_url``) is the one deliberate exception: tiles are requested only
    when that layer is shown.
    """
    if not isinstance(map, folium.Map):
        raise TypeError(f"render_html needs a folium.Map, not {type(map).__name__}")
    text = map.get_root().render()
    # Tags anywhere (the embedded data cannot hold one: its "<" are escaped), CSS inside <style>.
    external = {m.group(1) for m in _EXTERNAL.finditer(text)}
    for style in _STYLE.finditer(text):
        external |= {m.group(1) for m in _CSS_EXTERNAL.finditer(style.group(1))}
    external = sorted(external)
    if external:
        shown = ", ".join(external[:3]) + (f" ほか{len(external) - 3}件" if len(external) > 3 else "")
        raise MapError(f"地図が外部のファイルを読み込もうとしています({shown})。閉じたネットワークでは表示できないため"
                       f"保存しません: anshin_lab.views.maps の関数(base_map など)で作った地図に、CDN を使わない要素だけを"
                       f"加えてください")
    return text


def save(map: folium.Map, path) -> Path:
    """Write ``map`` to ``path`` as one self-contained HTML file (no CDN); returns the path.

    The parent folder is created; the file is replaced atomically, so a reader
    never sees half a map. Raises ``MapError`` as ``render_html`` does.
    """
    text = render_html(map)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # A plain new file (not mkstemp's 0600), so the folder's usual permissions apply.
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        with open(tmp, "x", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return path


def show(map: folium.Map, height: int = NOTEBOOK_HEIGHT_PX):
    """The map for display in JupyterLab: an IPython ``HTML`` of the offline page in an iframe.

    A map made by this module also displays offline when it is simply a
    cell's value; ``show`` lets you choose the height.
    """
    from IPython.display import HTML

    return HTML(_iframe(render_html(map), height))


def _iframe(page: str, height: int) -> str:
    return (f'<div class="anshin-map"><iframe srcdoc="{html.escape(page, quote=True)}" '
            f'style="width:100%;height:{int(height)}px;border:1px solid #ccc" allowfullscreen></iframe></div>')


# ---------------------------------------------------------------------------
# Geometry


_ENCODED = weakref.WeakKeyDictionary()


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


def _encoded_layer(area_set, level: Granularity) -> dict:
    """area_code -> encoded geometry of one layer, computed once per AreaSet."""
    cache = _ENCODED.setdefault(area_set, {})
    if level not in cache:
        layer = area_set.layer(level)
        cache[level] = {str(code): _encode_geometry(geometry)
                        for code, geometry in zip(layer["area_code"], layer.geometry)}
    return cache[level]


def _encode_point(point) -> list[int]:
    return [int(round(point.x * COORDINATE_UNIT)), int(round(point.y * COORDINATE_UNIT))]


def _view_bounds(minx, miny, maxx, maxy) -> list[list[float]]:
    """[[south, west], [north, east]] rounded outwards to ``VIEW_DECIMALS``."""
    scale = 10 ** VIEW_DECIMALS
    return [[float(np.floor(miny * scale) / scale), float(np.floor(minx * scale) / scale)],
            [float(np.ceil(maxy * scale) / scale), float(np.ceil(maxx * scale) / scale)]]


# ---------------------------------------------------------------------------
# The basemap


def _area_set(areas):
    if areas is not None:
        return areas
    from anshin_lab.places.areas import load_areas

    return load_areas()


def _tile(tile_url, tile_attribution) -> dict | None:
    if tile_url is None:
        from anshin_lab.core.settings import load_settings

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
        The boundary layers (``areas.load_areas``); the default workspace's when None.
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
    from anshin_lab.places.areas import CREDITS

    area_set = _area_set(areas)
    if bounds is None:
        bounds = area_set.layer(Granularity.PREF).total_bounds
    view = _view_bounds(*bounds)
    centre = [round((view[0][0] + view[1][0]) / 2, VIEW_DECIMALS), round((view[0][1] + view[1][1]) / 2, VIEW_DECIMALS)]
    m = _OfflineMap(location=centre, zoom_start=9, tiles=None, prefer_canvas=True, control_scale=True,
                    plugins=plugins, maxZoom=MAX_ZOOM, minZoom=MIN_ZOOM)
    m.get_root().title = html.escape(title)
    tile = _tile(tile_url, tile_attribution)
    credits = [*CREDITS, area_set.note]
    base = {
        "cities": list(_encoded_layer(area_set, Granularity.CITY).values()),
        "chome": list(_encoded_layer(area_set, Granularity.CHOME).values()),
        "chomeMinZoom": CHOME_MIN_ZOOM,
        "style": BASEMAP_STYLE,
        "tile": tile,
        "credits": credits,
    }
    m.add_child(_Call("addBasemap", base))
    m.fit_bounds(view)
    return m


def _finish(m: folium.Map, banner: dict) -> folium.Map:
    m.add_child(_Call("addBanner", banner))
    m.add_child(_Call("addLayersControl", None))
    return m


def _category_style(code) -> dict:
    colour, glyph = CATEGORY_STYLES.get(code, OTHER_STYLE)
    return {"code": code, "name": CATEGORIES.get(code, code or "発信情報"), "color": colour, "glyph": glyph}


def _ordered_categories(codes) -> list:
    present = list(dict.fromkeys(codes))
    known = [c for c in CATEGORIES if c in present]
    return known + sorted((c for c in present if c not in CATEGORIES), key=str)


# ---------------------------------------------------------------------------
# The internal incident map


def incident_map(incidents: pd.DataFrame, *, areas=None, title: str = "事案地図(分析用・部外秘)",
                 tile_url: str | None = None, tile_attribution: str | None = None) -> folium.Map:
    """The analysts' map of exact incident points (部外秘, marked so on the map).

    One clustered layer per category (colour and glyph per category, toggled
    in the layer list), a popup per incident built when it is clicked, and a
    date-range filter that rebuilds the layers in the browser. Fast for tens
    of thousands of incidents (see ``anshin bench map``).

    Parameters
    ----------
    incidents : DataFrame
        The canonical incident columns (``workspace.read_incidents``): needs
        ``category``, ``occurred_at``, ``lat``, ``lon`` (WGS84 degrees);
        ``incident_id``, ``subtype``, ``address``, ``place_type``,
        ``victim_group``, ``victim_sex``, ``station``, ``consent``,
        ``summary`` and ``actor`` go into the popups when present. Incidents
        without coordinates are counted on the map but not drawn.
    areas : AreaSet, optional
        The basemap's boundaries; the default workspace's when None.
    title, tile_url, tile_attribution
        As for ``base_map``.

    Returns
    -------
    folium.Map
        Write it with ``save`` into the workspace, never into ``reports/``.

    Raises
    ------
    DataError
        When a required column is missing.
    """
    frame = pd.DataFrame(incidents).reset_index(drop=True)
    missing = [c for c in ("category", "occurred_at", "lat", "lon") if c not in frame.columns]
    if missing:
        raise DataError(f"事案に列 {missing} がありません(workspace.read_incidents の列が必要です)")
    n = len(frame)
    lat = pd.to_numeric(frame["lat"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    lon = pd.to_numeric(frame["lon"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    placed = np.isfinite(lat) & np.isfinite(lon) & (np.abs(lat) <= 90) & (np.abs(lon) <= 180)
    minutes = _jst_minutes(frame["occurred_at"])
    known = minutes[placed & (minutes >= 0)]
    # Times are written as minutes after the first one (fewer digits); -1 stays "unknown".
    origin = int(known.min()) if len(known) else 0
    offsets = np.where(minutes >= 0, minutes - origin, -1)
    strings, codes = _intern(frame, list(INCIDENT_FIELDS))
    category = frame["category"].astype(object).where(frame["category"].notna(), None).to_numpy()

    attrs = np.column_stack([offsets, codes]) if n else np.empty((0, len(INCIDENT_FIELDS) + 1), dtype=np.int64)
    categories, points, rows = [], {}, {}
    for code in _ordered_categories(c for c, ok in zip(category, placed) if ok):
        chosen = placed & (category == code)
        categories.append({**_category_style(code), "count": int(chosen.sum())})
        points[code] = np.column_stack([np.round(lat[chosen], 6), np.round(lon[chosen], 6)]).ravel().tolist()
        rows[code] = attrs[chosen].ravel().tolist()
    payload = {
        "categories": categories,
        "fields": list(INCIDENT_FIELDS.values()),
        "strings": strings,
        "timeOrigin": origin,
        "clusterRadius": CLUSTER_RADIUS_PX,
        "points": points,
        "attrs": rows,
        "firstDay": _day(known.min()) if len(known) else None,
        "lastDay": _day(known.max()) if len(known) else None,
        "total": int(n),
        "unplaced": int(n - placed.sum()),
    }
    bounds = (lon[placed].min(), lat[placed].min(), lon[placed].max(), lat[placed].max()) if placed.any() else None
    if bounds is not None and (bounds[2] - bounds[0] < 0.01 or bounds[3] - bounds[1] < 0.01):
        bounds = (bounds[0] - 0.01, bounds[1] - 0.01, bounds[2] + 0.01, bounds[3] + 0.01)
    m = base_map(areas, title=title, bounds=bounds, tile_url=tile_url, tile_attribution=tile_attribution,
                 plugins=("supercluster",))
    m.add_child(_Call("addIncidents", payload))
    return _finish(m, {"kind": "internal", "title": "部外秘",
                       "subtitle": "事案の正確な位置を含みます。分析用です。外部に出さないでください"})


def _jst_minutes(values: pd.Series) -> np.ndarray:
    """Wall-clock minutes since 1970 in Asia/Tokyo (-1 where unknown); naive times are taken as JST."""
    stamps = pd.to_datetime(values, errors="coerce")
    if getattr(stamps.dt, "tz", None) is not None:
        stamps = stamps.dt.tz_convert("Asia/Tokyo").dt.tz_localize(None)
    known = stamps.notna().to_numpy()
    out = np.full(len(stamps), -1, dtype=np.int64)
    out[known] = stamps[known].to_numpy(dtype="datetime64[m]").astype(np.int64)
    return out


def _day(minutes) -> str:
    return str(np.datetime64(int(minutes), "m").astype("datetime64[D]"))


def _intern(frame: pd.DataFrame, columns: list[str]) -> tuple[list[list[str]], np.ndarray]:
    """Per column, the table of its distinct texts; per row and column, the index into it (-1: empty).

    A table per column keeps the indices of the repetitive columns (手口,
    管轄署, …) to one or two digits, which keeps the page small. Texts are
    trimmed; empty ones count as missing.
    """
    n = len(frame)
    tables, codes = [], np.full((n, len(columns)), -1, dtype=np.int64)
    for j, column in enumerate(columns):
        if column == "victim":
            values = _victim(frame)
        elif column in frame.columns:
            values = frame[column].to_numpy(dtype=object)
        else:
            tables.append([])
            continue
        table, codes[:, j] = _factorize_texts(values)
        tables.append(table)
    return tables, codes


def _factorize_texts(values: np.ndarray) -> tuple[list[str], np.ndarray]:
    """Distinct trimmed texts and each value's index among them (-1: missing or empty)."""
    index, uniques = pd.factorize(values, use_na_sentinel=True)
    if not len(uniques):
        return [], index.astype(np.int64)
    # Trim the distinct values only, then merge those that became equal or empty.
    trimmed = np.strings.strip(np.asarray(uniques, dtype=str).astype(np.dtypes.StringDType())).astype(object)
    trimmed[trimmed == ""] = None
    remap, table = pd.factorize(trimmed, use_na_sentinel=True)
    return [str(t) for t in table], np.append(remap, -1).astype(np.int64)[index]


def _clean_text(value) -> str:
    return "" if value is None or (isinstance(value, float) and value != value) else str(value).strip()


def _victim(frame: pd.DataFrame) -> np.ndarray:
    """「小学生・女」: victim group and sex, leaving out 不明 and 該当なし (None when neither is known)."""
    key = np.zeros(len(frame), dtype=np.int64)
    names = []
    for column in ("victim_group", "victim_sex"):
        values = frame[column].to_numpy(dtype=object) if column in frame.columns else np.full(len(frame), None)
        index, uniques = pd.factorize(values, use_na_sentinel=True)
        names.append([_clean_text(u) for u in uniques] + [""])  # index -1 -> ""
        key = key * (len(uniques) + 1) + np.where(index < 0, len(uniques), index)
    pairs, first = pd.factorize(key)
    labels = []
    for k in first:
        sex = names[1][k % len(names[1])]
        group = names[0][k // len(names[1])]
        shown = [p for p in (group, sex) if p and p not in ("不明", "該当なし")]
        labels.append("・".join(shown) or None)
    return np.array(labels, dtype=object)[pairs]


# ---------------------------------------------------------------------------
# The public map


def public_map(decisions, *, areas=None, title: str = "県警あんしんメール 発信情報の地図",
               tile_url: str | None = None, tile_attribution: str | None = None,
               skip_withheld: bool = False) -> folium.Map:
    """The map that may be published: each alert's coarsened area and public text, nothing finer.

    Each decision is drawn as the polygon of its published area — the 町丁目
    (also for BLOCK, whose public text names the 街区), 大字・町, 市区町村 or
    the prefecture, from ``decision.area_code`` at the decision's level — and
    that polygon's representative point, with a popup listing the alerts
    there. The incident's point, address, reasons and any other internal
    field are never read, so they cannot reach the HTML.

    The caller chooses which decisions to show: those of approved or sent
    alerts (or, until the workflow exists, ones passed explicitly), and only
    where consent allows (``threat`` needs the victim's or guardian's
    consent, ``missing`` the 公表要請書): this function does not see consent.

    Parameters
    ----------
    decisions : iterable
        ``privacy.Decision`` objects, or ``(decision, info)`` pairs where
        ``info`` is a mapping with only these public keys: ``category`` (code
        or Japanese name), ``date`` (shown to the day), ``title`` and
        ``text`` (the alert's public wording; the caller has linted it).
    areas : AreaSet, optional
        The AreaSet the decisions were assessed with; the default workspace's when None.
    title, tile_url, tile_attribution
        As for ``base_map``.
    skip_withheld : bool
        Leave out decisions with ``send_recommended`` False instead of raising.

    Raises
    ------
    PrivacyError
        A decision advises not sending (unless ``skip_withheld``), a decision
        is at the EXACT level, or ``info`` holds a key that is not public.
    MapError
        A decision's area is not in ``areas``.
    """
    area_set = _area_set(areas)
    layers: dict[Granularity, pd.DataFrame] = {}
    grouped: dict[tuple, list] = {}
    for item in decisions:
        decision, info = _decision_and_info(item)
        if not decision.send_recommended:
            if skip_withheld:
                continue
            raise PrivacyError(f"「{decision.public_text}」は配信しない判定です。公開用の地図には載せられません"
                               f"(除くには skip_withheld=True)")
        level, code = _published_area(decision, area_set, layers)
        category = category_code(info["category"]) if info.get("category") is not None else None
        if info.get("category") is not None and category is None:
            raise DataError(f"分類「{info['category']}」が分かりません(分類は {', '.join(CATEGORIES.values())})")
        day = _public_day(info.get("date"))
        grouped.setdefault((level, code, category), []).append(
            (day[0], [day[1], decision.public_text, _text(info.get("title")), _text(info.get("text"))]))

    features, bounds = [], []
    # Coarse areas first, so the finer ones are drawn on top of them.
    for (level, code, category), alerts in sorted(grouped.items(), key=lambda kv: (-kv[0][0], kv[0][1], str(kv[0][2]))):
        row = layers[level].loc[code]
        alerts.sort(key=lambda a: a[0], reverse=True)
        features.append({
            "c": category,
            "g": _encoded_layer(area_set, level)[code],
            "p": _encode_point(row.geometry.representative_point()),
            "level": level.label,
            "name": _area_label(level, row),
            "alerts": [a[1] for a in alerts],
        })
        bounds.append(row.geometry.bounds)
    view = None
    if bounds:
        b = np.array(bounds)
        view = (b[:, 0].min(), b[:, 1].min(), b[:, 2].max(), b[:, 3].max())
    payload = {
        "categories": [_category_style(c) for c in _ordered_categories(f["c"] for f in features)],
        "areas": features,
    }
    m = base_map(area_set, title=title, bounds=view, tile_url=tile_url, tile_attribution=tile_attribution,
                 plugins=("markercluster",))
    m.add_child(_Call("addPublicAreas", payload))
    return _finish(m, {"kind": "public", "title": title,
                       "subtitle": "発生場所は町丁目・大字・市区町村などの範囲で示しています(正確な地点ではありません)"})


def _decision_and_info(item) -> tuple[Decision, dict]:
    if isinstance(item, Decision):
        return item, {}
    if isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], Decision):
        decision, info = item
        info = dict(info or {})
        extra = sorted(set(info) - set(PUBLIC_INFO_KEYS))
        if extra:
            raise PrivacyError(f"公開用の地図に載せられない項目が渡されました: {', '.join(map(str, extra))}"
                               f"(使えるのは {', '.join(PUBLIC_INFO_KEYS)} だけです)")
        return decision, info
    raise TypeError(f"public_map takes privacy.Decision objects or (Decision, info) pairs, not {type(item).__name__}")


def _published_area(decision: Decision, area_set, layers: dict) -> tuple[Granularity, str]:
    """The level and code of the area drawn for a decision: never finer than the 町丁目.

    ``layers`` caches the AreaSet's layers by level, indexed by area code.
    """
    level = Granularity(decision.level)
    if level == Granularity.EXACT:
        raise PrivacyError("号・地点の粒度の判定は公開用の地図に載せられません")
    area_level = max(level, Granularity.CHOME)
    code = decision.area_code if decision.area_code is not None else decision.codes.get(area_level)
    if code is None:
        area_level, code = Granularity.PREF, "46"
    code = str(code)
    if area_level not in layers:
        layers[area_level] = area_set.layer(area_level).set_index("area_code")
    if code not in layers[area_level].index:
        raise MapError(f"{area_level.label}「{code}」が地域データにありません"
                       f"(判定に使った作業領域の地域データを areas に渡してください)")
    return area_level, code


def _area_label(level: Granularity, row: pd.Series) -> str:
    if level in (Granularity.CHOME, Granularity.TOWN):
        return f"{row['city']}{row['name']}"
    return str(row["name"])


def _public_day(value) -> tuple:
    """(sort key, 「2025年12月1日」) for a date, or (None-sorting key, "") when there is none."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return (pd.Timestamp.min, "")
    stamp = pd.Timestamp(value)
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert("Asia/Tokyo").tz_localize(None)
    return (stamp.normalize(), f"{stamp.year}年{stamp.month}月{stamp.day}日")


def _text(value) -> str | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return str(value).strip() or None


# ---------------------------------------------------------------------------
# Choropleth


def choropleth(counts, level, *, areas=None, per_1000: bool | None = None, min_households: int = 1,
               title: str | None = None, bins: int = 5, tile_url: str | None = None,
               tile_attribution: str | None = None, confidential: bool = False) -> folium.Map:
    """A choropleth of counts by area, per 1,000 households where that makes sense.

    Parameters
    ----------
    counts : Series or DataFrame
        Counts by ``area_code`` at ``level``: a Series indexed by area code,
        or a frame with ``area_code`` and ``count`` columns (e.g.
        ``areas.rate_per_1000_households``). Areas not listed count 0.
    level : Granularity or str
        CHOME, TOWN, CITY or PREF.
    areas : AreaSet, optional
        The default workspace's when None.
    per_1000 : bool, optional
        Shade by count per 1,000 households (default: yes below PREF, where
        there is more than one area to compare).
    min_households : int
        Areas with fewer households get no rate (grey): a rate of few homes means nothing.
    bins : int
        Number of classes (quantiles of the non-zero values), at most 5, plus one for 0.
    confidential : bool
        Mark the map 部外秘 (small counts in small areas can point at people).

    Raises
    ------
    DataError
        When a code is not an area of ``level`` (counts of another level?).
    """
    area_set = _area_set(areas)
    level = Granularity.parse(level)
    if level < Granularity.CHOME:
        raise ValueError(f"choropleth levels are CHOME, TOWN, CITY and PREF, not {level.name}")
    layer = area_set.layer(level)
    series = _count_series(counts)
    unknown = sorted(set(series.index) - set(layer["area_code"].astype(str)))
    if unknown:
        raise DataError(f"{level.label}にない地域コードがあります: {', '.join(unknown[:5])}"
                        f"{' ほか' if len(unknown) > 5 else ''}(別の区分の件数ではありませんか)")
    count = series.reindex(layer["area_code"].astype(str)).fillna(0).to_numpy(dtype=float)
    households = layer["households"].to_numpy(dtype=float)
    rate = level < Granularity.PREF if per_1000 is None else bool(per_1000)
    value = np.full(len(layer), np.nan)
    if rate:
        usable = households >= max(int(min_households), 1)
        value[usable] = count[usable] * 1000.0 / households[usable]
    else:
        value = count.copy()
    classes, index = _classes(value, min(max(int(bins), 1), len(CHOROPLETH_COLOURS) - 1), rate)
    unit = "世帯1,000あたりの件数" if rate else "件数"
    title = title or f"{level.label}別の{unit}"
    encoded = _encoded_layer(area_set, level)
    rows = []
    for i, (code, (_, row)) in enumerate(zip(layer["area_code"].astype(str), layer.iterrows())):
        rows.append([_area_label(level, row), encoded[code], int(count[i]), int(households[i]),
                     None if np.isnan(value[i]) else round(float(value[i]), 3), int(index[i])])
    payload = {
        "title": title, "valueLabel": unit, "rate": rate, "line": BASEMAP_STYLE["cityLine"],
        "classes": classes, "nodata": [f"率なし(世帯数{max(int(min_households), 1):,}未満)", NO_RATE_COLOUR],
        "areas": rows,
    }
    m = base_map(area_set, title=title, bounds=layer.total_bounds, tile_url=tile_url, tile_attribution=tile_attribution)
    m.add_child(_Call("addChoropleth", payload))
    banner = ({"kind": "internal", "title": "部外秘", "subtitle": title} if confidential
              else {"kind": "public", "title": title, "subtitle": ""})
    return _finish(m, banner)


def _count_series(counts) -> pd.Series:
    if isinstance(counts, pd.DataFrame):
        if not {"area_code", "count"} <= set(counts.columns):
            raise DataError("件数の表には area_code と count の列が必要です")
        series = counts.groupby(counts["area_code"].astype(str))["count"].sum()
    else:
        series = pd.Series(counts)
        series.index = series.index.astype(str)
        series = series.groupby(level=0).sum()
    return pd.to_numeric(series, errors="coerce").fillna(0)


def _classes(value: np.ndarray, bins: int, rate: bool) -> tuple[list, np.ndarray]:
    """Legend classes [label, colour] and each value's class (-1: no value): 0 first, then quantiles."""
    fmt = (lambda v: f"{v:,.2f}") if rate else (lambda v: f"{v:,.0f}")
    index = np.full(len(value), -1, dtype=np.int64)
    classes = [["0", CHOROPLETH_COLOURS[0]]]
    index[value == 0] = 0
    positive = value[np.isfinite(value) & (value > 0)]
    if len(positive):
        edges = np.unique(np.quantile(positive, np.linspace(0, 1, bins + 1)))
        if len(edges) == 1:
            edges = np.array([edges[0], edges[0]])
        colours = CHOROPLETH_COLOURS[1:][-(len(edges) - 1):] if len(edges) - 1 < bins else CHOROPLETH_COLOURS[1:bins + 1]
        for k in range(len(edges) - 1):
            classes.append([f"{fmt(edges[k])}〜{fmt(edges[k + 1])}", colours[k]])
        mask = np.isfinite(value) & (value > 0)
        which = np.clip(np.searchsorted(edges, value[mask], side="left") - 1, 0, len(edges) - 2)
        index[mask] = 1 + which
    return classes, index


# ---------------------------------------------------------------------------
# What the CLI calls


def render_internal_map(workspace=None, since=None, out=None, *, force: bool = False) -> Path:
    """Write the internal (部外秘) incident map of a workspace; returns the file written.

    By default the map goes to ``<workspace>/internal/incident_map.html``,
    inside the workspace, because it holds exact points. ``out`` elsewhere is
    allowed, but never into a ``reports`` folder (where reviewers' HTML
    lives) unless ``force``. ``since`` keeps incidents from that date on.
    Raises ``MapError`` for a reports/ target, ``WorkspaceError`` for an
    uninitialised workspace.
    """
    from anshin_lab.places.areas import load_areas
    from anshin_lab.app.workspace import read_incidents, require_workspace

    ws = require_workspace(workspace)
    path = Path(out).expanduser() if out is not None else ws.root / INTERNAL_DIRNAME / INTERNAL_FILENAME
    if not force and _is_reports_path(path):
        raise MapError(f"部外秘の事案地図を reports/ に書き込もうとしています({path})。reports/ は閲覧用の"
                       f"公開資料の置き場です: 作業領域の中({ws.root / INTERNAL_DIRNAME})に書いてください"
                       f"(どうしても必要なら --force)")
    incidents = read_incidents(ws.root, since=since, settings=ws.settings)
    m = incident_map(incidents, areas=load_areas(ws.root), tile_url=ws.settings.tile_url)
    return save(m, path)


def render_public_map(workspace=None, since=None, out=None) -> Path:
    """Write the public map of a workspace's sent alerts; returns the file written (``reports/public_map.html``).

    Only alerts the workflow released (sent or closed) appear — each at the
    area and with the public text that was mailed — so nothing judged not to
    be sent, or lacking consent, can reach it. ``since`` keeps alerts sent
    from that date on.
    """
    from anshin_lab.workflow import alerts
    from anshin_lab.storage import store
    from anshin_lab.places.areas import load_areas
    from anshin_lab.core.settings import PROJECT_ROOT
    from anshin_lab.app.workspace import require_workspace

    ws = require_workspace(workspace)
    area_set = load_areas(ws.root)
    engine = store.connect(ws.database_url)
    try:
        pairs = alerts.published_decisions(engine, area_set)
    finally:
        engine.dispose()
    if since is not None:
        cutoff = pd.Timestamp(since)
        cutoff = cutoff.tz_localize("Asia/Tokyo") if cutoff.tzinfo is None else cutoff
        pairs = [(d, info) for d, info in pairs if info["date"] >= cutoff]
    path = Path(out).expanduser() if out is not None else PROJECT_ROOT / "reports" / PUBLIC_FILENAME
    return save(public_map(pairs, areas=area_set, tile_url=ws.settings.tile_url), path)


def assess_publishable(incidents: pd.DataFrame, areas) -> list[tuple[Decision, dict]]:
    """(decision, public info) for the incidents a public map may show before the workflow exists.

    Keeps incidents whose ``consent`` is not 「なし」 and whose
    ``privacy.assess`` decision recommends sending; the info is the
    category and the date. A stand-in: once alerts are approved and sent,
    the public map shows those instead. Takes about 5 ms an incident
    (``assess`` places each one on its own).
    """
    from anshin_lab.privacy.policy import assess

    pairs = []
    for row in pd.DataFrame(incidents).drop(columns="geometry", errors="ignore").to_dict("records"):
        if row.get("consent") == "なし":
            continue
        decision = assess(row, areas)
        if decision.send_recommended:
            pairs.append((decision, {"category": row["category"], "date": row["occurred_at"]}))
    return pairs


def _is_reports_path(path: Path) -> bool:
    from anshin_lab.core.settings import PROJECT_ROOT

    resolved = path.resolve()
    reports = (PROJECT_ROOT / "reports").resolve()
    return "reports" in resolved.parts[:-1] or resolved.is_relative_to(reports)
