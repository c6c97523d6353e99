"""Offline pages: the vendored Leaflet and plugins inlined into every map, and writing or showing that page.

Every map is a ``folium.Map`` whose Leaflet, plugins and own code are
inlined from ``static/`` (vendored with their licences, see
``static/README.md``), so it opens on a closed network. ``render_html``
refuses a page that would load anything from a CDN; ``save`` writes it
atomically; ``show`` displays it in Jupyter. The map data travels as JSON
blocks read by ``static/anshin/anshin-maps.js`` (``MapCall``).
"""

from __future__ import annotations

import base64
import functools
import html
import json
import re
from pathlib import Path

import folium
from branca.element import Element, MacroElement
from folium.template import Template
from IPython.display import HTML

from anshin_lab.core.errors import AnshinError
from anshin_lab.core.files import write_atomic

__all__ = ["MapCall", "MapError", "OfflineMap", "STATIC_DIR", "render_html", "save", "show"]

STATIC_DIR = Path(__file__).with_name("static")
# Vendored plugins a map may inline (static/<folder>), in the order they load.
PLUGINS = ("markercluster", "supercluster")
NOTEBOOK_HEIGHT_PX = 600


class MapError(AnshinError):
    """A map that cannot be built or written as asked (a CDN asset, a 部外秘 map into reports/)."""


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
        "licence_leaflet": "Leaflet 1.9.4 (https://leafletjs.com), inlined from anshin_lab/views/maps/static/leaflet:\n"
                           + read(leaflet / "LICENSE"),
        "licence_markercluster": "Leaflet.markercluster 1.5.3, inlined from anshin_lab/views/maps/static/leaflet.markercluster:\n"
                                 + read(cluster / "MIT-LICENCE.txt"),
        "licence_supercluster": "Supercluster 9.1.0 (with KDBush), inlined from anshin_lab/views/maps/static/supercluster:\n"
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


class OfflineMap(folium.Map):
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


class MapCall(MacroElement):
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
    """The complete, self-contained HTML of a map made by this package.

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
    # The page is Japanese (banner, legend, the alerts' text); folium's template leaves the language out.
    return text.replace("<html>", '<html lang="ja">', 1)


def save(map: folium.Map, path) -> Path:
    """Write ``map`` to ``path`` as one self-contained HTML file (no CDN); returns the path.

    The parent folder is created; the file is replaced atomically, so a reader
    never sees half a map. Raises ``MapError`` as ``render_html`` does.
    """
    text = render_html(map)
    # A plain new file (not owner-only), so the folder's usual permissions apply.
    return write_atomic(path, text, mode=None)


def show(map: folium.Map, height: int = NOTEBOOK_HEIGHT_PX) -> HTML:
    """The map for display in JupyterLab: an IPython ``HTML`` of the offline page in an iframe.

    A map made by this package also displays offline when it is simply a
    cell's value; ``show`` lets you choose the height.
    """
    return HTML(_iframe(render_html(map), height))


def _iframe(page: str, height: int) -> str:
    return (f'<div class="anshin-map"><iframe srcdoc="{html.escape(page, quote=True)}" '
            f'style="width:100%;height:{int(height)}px;border:1px solid #ccc" allowfullscreen></iframe></div>')
