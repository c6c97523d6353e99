"""Maps for analysts and for the public, drawn offline: the only package that imports folium.

- ``incident_map`` (``incident``): the internal (部外秘) map of exact incident
  points, a clustered layer per category, popups and a date-range filter; its
  incidents travel packed and compressed in the page (``packing``) and are
  unpacked by the browser.
- ``public_map`` (``public``): what may be published: the coarsened area of
  each decision and its public text; never an incident's point.
  ``published_map`` draws a workspace's sent alerts with it (``anshin map public``).
- ``choropleth`` (``choropleth``): counts (or counts per 1,000 households) by area.

All three draw the basemap from the workspace's own boundary layers
(``basemap``) and return a ``folium.Map``. ``save`` (``assets``) writes one
self-contained HTML file with Leaflet, its plugins and the map code inlined
from ``static/`` (vendored with their licences), so it opens on a closed
network; it refuses a map that would load anything from a CDN. In Jupyter
the maps display from the same offline HTML (``show``, or just the map as a
cell's value).
"""

from anshin_lab.views.maps.assets import STATIC_DIR, MapError, render_html, save, show
from anshin_lab.views.maps.basemap import BASEMAP_STYLE, CATEGORY_STYLES, base_map, encoded_layer
from anshin_lab.views.maps.incident import incident_map, render_internal_map
from anshin_lab.views.maps.public import assess_publishable, public_map, published_map, render_public_map
from anshin_lab.views.maps.choropleth import CHOROPLETH_COLOURS, choropleth

__all__ = [
    "BASEMAP_STYLE",
    "CATEGORY_STYLES",
    "CHOROPLETH_COLOURS",
    "STATIC_DIR",
    "MapError",
    "assess_publishable",
    "base_map",
    "choropleth",
    "encoded_layer",
    "incident_map",
    "public_map",
    "published_map",
    "render_html",
    "render_internal_map",
    "render_public_map",
    "save",
    "show",
]
