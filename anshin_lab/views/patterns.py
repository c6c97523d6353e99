"""The analyst's pattern views (notebook 06): series on a map and a timeline, the Knox table, hot spots, a heat map.

Every map is one of ``views.maps``' offline maps (``base_map``: the
workspace's boundaries, Leaflet inlined, no CDN) with plain Leaflet layers
added, marked 部外秘 where it shows exact incident points. Charts are
matplotlib figures with Japanese labels (``charts.use_japanese_font``).
These are views for analysts inside the workspace; nothing here is public.
"""

from __future__ import annotations

import base64
import html
import io

import folium
import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from anshin_lab.app.patterns import knox_cells
from anshin_lab.core.dates import TOKYO, WEEKDAYS
from anshin_lab.views.charts import count_axis, literal, use_japanese_font
from anshin_lab.views.maps.basemap import base_map, finish_map, focus, resolve_areas

__all__ = ["SERIES_COLOURS", "hotspot_map", "knox_table", "series_map", "series_timeline", "weekday_hour_heatmap"]

# Distinct colours for series (ColorBrewer Set1 and Dark2), reused in turn when there are more series.
SERIES_COLOURS = ("#e41a1c", "#377eb8", "#4daf4a", "#984ea3", "#ff7f00", "#a65628", "#f781bf", "#1b9e77",
                  "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02")
# Gi* classes: (label, colour) from the hottest to the coldest.
GI_STYLES = {"hot": ("高い集中(ホットスポット)", "#d7301f"), "cold": ("低い集中(コールドスポット)", "#2c7fb8"),
             "none": ("有意でない", "#bdbdbd")}
INTERNAL_BANNER = "部外秘"


def _series_colour(position: int) -> str:
    return SERIES_COLOURS[position % len(SERIES_COLOURS)]


def _members(series_row, incidents: pd.DataFrame) -> pd.DataFrame:
    """The incidents of one series with a place, oldest first."""
    ids = {str(i) for i in series_row["incident_ids"]}
    found = incidents[incidents["incident_id"].astype(str).isin(ids)]
    return found.sort_values("occurred_at")


VIEW_PAD_DEG = 0.02  # around what the first view fits (about 2 km)


def _point_bounds(area_set, lon: np.ndarray, lat: np.ndarray):
    """The first view: the points on the landmass holding most of them (``maps.basemap.focus``), padded; None if none."""
    if not len(lon):
        return None
    kept = focus(area_set, lon, lat)
    lon, lat = lon[kept], lat[kept]
    if not len(lon):
        return None
    return (float(lon.min()) - VIEW_PAD_DEG, float(lat.min()) - VIEW_PAD_DEG,
            float(lon.max()) + VIEW_PAD_DEG, float(lat.max()) + VIEW_PAD_DEG)


def _focus_bounds(area_set, shapes):
    """The first view of some areas: their centroids' focus (None when there are none: the whole prefecture)."""
    if not len(shapes):
        return None
    centres = shapes.geometry.representative_point()
    return _point_bounds(area_set, centres.x.to_numpy(), centres.y.to_numpy())


def series_map(series: pd.DataFrame, incidents: pd.DataFrame, *, areas=None, title: str = "事案の系列(分析用・部外秘)",
               tile_url: str | None = None) -> folium.Map:
    """Each candidate series as coloured points joined in time order, on the offline basemap (部外秘).

    ``series`` has ``series_id``, ``incident_ids``, ``size``, ``score`` and
    ``crosses_stations`` (``SeriesResult.series``); ``incidents`` the rows
    with ``incident_id``, ``lat``, ``lon``, ``occurred_at``. The tooltip of a
    point names its series, its date and its station; one layer per series.
    """
    area_set = resolve_areas(areas)
    shown = incidents[incidents["lat"].notna() & incidents["lon"].notna()]
    ids = {str(i) for ids in series["incident_ids"] for i in ids} if len(series) else set()
    inside = shown[shown["incident_id"].astype(str).isin(ids)]
    bounds = _point_bounds(area_set, inside["lon"].to_numpy(float), inside["lat"].to_numpy(float))
    m = base_map(area_set, title=title, bounds=bounds, tile_url=tile_url)
    for position, row in enumerate(series.itertuples(index=False)):
        colour = _series_colour(position)
        members = _members(row._asdict(), shown)
        label = f"系列 {row.series_id}({int(row.size)}件、スコア {float(row.score):.2f}"
        label += "、署をまたぐ)" if bool(row.crosses_stations) else ")"
        group = folium.FeatureGroup(name=html.escape(label), show=True)
        points = members[["lat", "lon"]].to_numpy(float).tolist()
        if len(points) > 1:
            folium.PolyLine(points, color=colour, weight=2, opacity=0.7, dash_array="4 4").add_to(group)
        for number, incident in enumerate(members.itertuples(index=False), start=1):
            when = pd.Timestamp(incident.occurred_at).tz_convert(TOKYO)
            # A tooltip, not a folium Popup: folium's popups need jQuery, which no offline map carries.
            label = (f"<b>{html.escape(str(row.series_id))}</b> {number}/{len(members)}<br>"
                     f"{when:%Y-%m-%d %H:%M}<br>{html.escape(str(getattr(incident, 'station', '') or ''))}")
            folium.CircleMarker([float(incident.lat), float(incident.lon)], radius=6, color=colour, weight=2,
                                fill=True, fill_color=colour, fill_opacity=0.8,
                                tooltip=folium.Tooltip(label)).add_to(group)
        group.add_to(m)
    return finish_map(m, {"kind": "internal", "title": INTERNAL_BANNER, "subtitle": title})


def series_timeline(series: pd.DataFrame, incidents: pd.DataFrame, *, title: str = "系列ごとの発生の流れ"):
    """A timeline: one row per series, a dot per incident, coloured as on the map (a matplotlib Figure)."""
    use_japanese_font()
    height = max(2.5, 0.35 * len(series) + 1.2)
    fig, ax = plt.subplots(figsize=(10, height))
    labels = []
    for position, row in enumerate(series.itertuples(index=False)):
        members = _members(row._asdict(), incidents)
        when = pd.to_datetime(members["occurred_at"]).dt.tz_convert(TOKYO).dt.tz_localize(None)
        ax.plot(when, np.full(len(when), position), "-o", color=_series_colour(position), markersize=5, linewidth=1)
        labels.append(literal(f"{row.series_id}({int(row.size)}件)"))
    ax.set_yticks(range(len(labels)), labels)
    ax.invert_yaxis()
    ax.set_xlabel("発生日")
    ax.set_title(literal(title))
    ax.grid(axis="x", alpha=0.3)
    locator = mdates.AutoDateLocator()
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    fig.tight_layout()
    return fig


def knox_table(result, *, value: str = "ratio") -> pd.DataFrame:
    """The Knox table as the Near Repeat Calculator shows it (distance rows × time columns; ``app.patterns.knox_cells``)."""
    return knox_cells(result, value=value)


def _png_data_uri(image: np.ndarray) -> str:
    buffer = io.BytesIO()
    plt.imsave(buffer, image, format="png")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def hotspot_map(gi_areas, *, density=None, areas=None, title: str = "ホットスポット(Gi*)とカーネル密度(分析用・部外秘)",
                tile_url: str | None = None, label_column: str = "name", class_column: str = "hotspot") -> folium.Map:
    """Gi* hot and cold spots over small areas, with a kernel density surface underneath (部外秘).

    ``gi_areas`` is a GeoDataFrame (EPSG:4326 or convertible) with
    ``class_column`` (``"hot"``, ``"cold"`` or anything else for not
    significant) and ``label_column``; ``density`` (optional) a mapping with
    ``grid`` (2-D array, rows north to south) and ``bounds`` (minx, miny,
    maxx, maxy in degrees), drawn as a translucent image.
    """
    area_set = resolve_areas(areas)
    shapes = gi_areas.to_crs(4326) if gi_areas.crs is not None else gi_areas
    bounds = _focus_bounds(area_set, shapes[shapes[class_column] == "hot"])
    m = base_map(area_set, title=title, bounds=bounds, tile_url=tile_url)
    if density is not None:
        grid = np.asarray(density["grid"], dtype=float)
        top = np.nanmax(grid) if np.isfinite(grid).any() and np.nanmax(grid) > 0 else 1.0
        # Square root: the city centre's peak would otherwise leave every other town's density invisible.
        level = np.sqrt(np.clip(np.nan_to_num(grid / top), 0, 1))
        rgba = plt.get_cmap("YlOrRd")(level)
        rgba[..., 3] = level * 0.7
        minx, miny, maxx, maxy = density["bounds"]
        folium.raster_layers.ImageOverlay(_png_data_uri(rgba), bounds=[[miny, minx], [maxy, maxx]],
                                          name="カーネル密度", opacity=1.0).add_to(m)
    for kind, (label, colour) in GI_STYLES.items():
        if kind == "none":
            continue
        chosen = shapes[shapes[class_column] == kind]
        if not len(chosen):
            continue
        layer = chosen[[label_column, "geometry"]].rename(columns={label_column: "label"})
        folium.GeoJson(layer.__geo_interface__, name=label,
                       style_function=lambda _, colour=colour: {"color": colour, "weight": 1, "fillColor": colour,
                                                                "fillOpacity": 0.55},
                       tooltip=folium.GeoJsonTooltip(fields=["label"], labels=False)).add_to(m)
    return finish_map(m, {"kind": "internal", "title": INTERNAL_BANNER, "subtitle": title})


def weekday_hour_heatmap(table: pd.DataFrame, *, title: str = "曜日×時間帯の件数"):
    """A heat map of a weekday × hour table (rows 月…日 or 0…6, columns 0…23), counts written in the cells."""
    use_japanese_font()
    values = table.to_numpy(dtype=float)
    rows = [WEEKDAYS[int(i)] if isinstance(i, (int, np.integer)) else literal(i) for i in table.index]
    fig, ax = plt.subplots(figsize=(11, 3.6))
    image = ax.imshow(values, aspect="auto", cmap="YlOrRd")
    ax.set_yticks(range(len(rows)), rows)
    ax.set_xticks(range(values.shape[1]), [str(c) for c in table.columns])
    ax.set_xlabel("時")
    ax.set_title(literal(title))
    if values.size and values.max() > 0:
        for (r, c), v in np.ndenumerate(values):
            if v:
                ax.text(c, r, f"{int(v)}", ha="center", va="center", fontsize=6,
                        color="white" if v > values.max() * 0.6 else "black")
    bar = fig.colorbar(image, ax=ax, fraction=0.03)
    bar.set_label("件数")
    count_axis(bar.ax.yaxis)
    fig.tight_layout()
    return fig
