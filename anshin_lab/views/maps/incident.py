"""The internal (部外秘) incident map: exact points, a clustered layer per category, popups and a date filter.

It scales to tens of thousands of incidents because the incidents travel
packed (each distinct text once, in a dictionary per field; rows as indices;
coordinates as fixed-point integers; all zlib-compressed, see ``packing``:
about 30 bytes an incident instead of 140 as plain JSON), are unpacked by the
browser, clustered there by Supercluster (a KD-tree per zoom level, built in
a fraction of a second), and only what is in view becomes Leaflet markers —
instead of one folium object (and one chunk of JS) per incident. Leaflet.markercluster, which
clusters every marker at every zoom up front, took about three times as long
to draw 50,000 incidents, so it only serves the public map's few hundred
areas. ``render_internal_map`` writes it inside the workspace, never into
``reports/``.
"""

from __future__ import annotations

from pathlib import Path

import folium
import numpy as np
import pandas as pd

from anshin_lab.app.catalog import load_areas, read_incidents
from anshin_lab.app.workspace import require_workspace
from anshin_lab.core.errors import DataError
from anshin_lab.core.files import write_atomic
from anshin_lab.core.settings import PROJECT_ROOT
from anshin_lab.views.maps.assets import MapCall, MapError, render_html
from anshin_lab.views.maps.basemap import base_map, category_style, finish_map, focus, ordered_categories, resolve_areas
from anshin_lab.views.maps.packing import pack_incidents

__all__ = ["incident_map", "render_internal_map"]

# Radius in pixels within which incident points merge into a cluster.
CLUSTER_RADIUS_PX = 60
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
INTERNAL_DIRNAME = "internal"
INTERNAL_FILENAME = "incident_map.html"


def incident_map(incidents: pd.DataFrame, *, areas=None, title: str = "事案地図(分析用・部外秘)",
                 tile_url: str | None = None, tile_attribution: str | None = None) -> folium.Map:
    """The analysts' map of exact incident points (部外秘, marked so on the map).

    One clustered layer per category (colour and glyph per category, toggled
    in the layer list), a popup per incident built when it is clicked, and a
    date-range filter that rebuilds the layers in the browser. Fast for tens
    of thousands of incidents (see ``python -m benchmarks map``).

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
    category = frame["category"].astype(object).where(frame["category"].notna(), None).to_numpy()

    # The drawn rows in drawing order: grouped by category, in input order within one.
    categories, order = [], []
    for code in ordered_categories(pd.unique(category[placed])):
        chosen = np.flatnonzero(placed & (category == code))
        categories.append({**category_style(code), "count": int(len(chosen))})
        order.append(chosen)
    order = np.concatenate(order) if order else np.empty(0, dtype=np.int64)
    strings, codes = _intern(frame, list(INCIDENT_FIELDS), order)
    payload = {
        "categories": categories,
        "fields": list(INCIDENT_FIELDS.values()),
        "timeOrigin": origin,
        "clusterRadius": CLUSTER_RADIUS_PX,
        **pack_incidents(lat[order], lon[order], offsets[order], codes, strings),
        "firstDay": _day(known.min()) if len(known) else None,
        "lastDay": _day(known.max()) if len(known) else None,
        "total": int(n),
        "unplaced": int(n - placed.sum()),
    }
    area_set = resolve_areas(areas)
    shown = focus(area_set, np.where(placed, lon, np.nan), np.where(placed, lat, np.nan))
    bounds = (lon[shown].min(), lat[shown].min(), lon[shown].max(), lat[shown].max()) if shown.any() else None
    if bounds is not None and (bounds[2] - bounds[0] < 0.01 or bounds[3] - bounds[1] < 0.01):
        bounds = (bounds[0] - 0.01, bounds[1] - 0.01, bounds[2] + 0.01, bounds[3] + 0.01)
    m = base_map(area_set, title=title, bounds=bounds, tile_url=tile_url, tile_attribution=tile_attribution,
                 plugins=("supercluster",))
    m.add_child(MapCall("addIncidents", payload))
    return finish_map(m, {"kind": "internal", "title": "部外秘",
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


def _intern(frame: pd.DataFrame, columns: list[str], rows: np.ndarray) -> tuple[list[list[str]], np.ndarray]:
    """Per column, the table of its distinct texts; per row of ``rows`` and column, the index into it (-1: empty).

    Each text is written once, in a table per column, in order of first use
    among ``rows`` (which the packing relies on to write a new text's index
    in one symbol, see ``packing``). Texts are trimmed; empty ones count as missing.
    """
    n = len(rows)
    tables, codes = [], np.full((n, len(columns)), -1, dtype=np.int64)
    for j, column in enumerate(columns):
        if column == "victim":
            values = _victim(frame)[rows]
        elif column in frame.columns:
            values = frame[column].to_numpy(dtype=object)[rows]
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
    # Trim the distinct values only (a comprehension: three times faster than numpy's string
    # functions here), then merge those that became equal or empty, if any did.
    texts = list(uniques)
    trimmed = [u.strip() if type(u) is str else _clean_text(u) for u in texts]
    if trimmed == texts and all(trimmed):
        return trimmed, index.astype(np.int64)
    remap, table = pd.factorize(np.array([t or None for t in trimmed], dtype=object), use_na_sentinel=True)
    return list(table), np.append(remap, -1).astype(np.int64)[index]


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


def render_internal_map(workspace=None, since=None, out=None, *, force: bool = False) -> Path:
    """Write the internal (部外秘) incident map of a workspace; returns the file written.

    By default the map goes to ``<workspace>/internal/incident_map.html``,
    inside the workspace, because it holds exact points. ``out`` elsewhere is
    allowed, but never into a ``reports`` folder (where reviewers' HTML
    lives) unless ``force``. ``since`` keeps incidents from that date on.
    Raises ``MapError`` for a reports/ target, ``WorkspaceError`` for an
    uninitialised workspace.
    """
    ws = require_workspace(workspace)
    path = Path(out).expanduser() if out is not None else ws.root / INTERNAL_DIRNAME / INTERNAL_FILENAME
    if not force and _is_reports_path(path):
        raise MapError(f"部外秘の事案地図を reports/ に書き込もうとしています({path})。reports/ は閲覧用の"
                       f"公開資料の置き場です: 作業領域の中({ws.root / INTERNAL_DIRNAME})に書いてください"
                       f"(どうしても必要なら --force)")
    incidents = read_incidents(ws.root, since=since, settings=ws.settings)
    m = incident_map(incidents, areas=load_areas(ws.root), tile_url=ws.settings.tile_url)
    return write_atomic(path, render_html(m))  # owner-only (0600): exact points, addresses, summaries


def _is_reports_path(path: Path) -> bool:
    resolved = path.resolve()
    reports = (PROJECT_ROOT / "reports").resolve()
    return "reports" in resolved.parts[:-1] or resolved.is_relative_to(reports)
