"""What the public may see, collected once: the sent alerts with their published areas, and their statistics.

Everything public (the site of ``anshin publish``, the open-data CSV, the CAP
feed) is built from this module's two functions and nothing else:

- ``published_alerts(ws)``: every sent (or closed) original alert, newest
  first, with its sent follow-ups and corrections attached (an arrest is
  shown on the original alert). Each carries its public wording, its
  published fields and the polygon of its published area — the area the
  privacy decision recorded on the alert, chosen exactly as the public map
  chooses it (``views.maps.public``: the decision's level, never finer than the
  町丁目; a 街区 is drawn as its 町丁目). No incident row is read: no point,
  address or free text of a record can reach anything public.
- ``published_statistics(ws)``: sent alerts per municipality × month ×
  category, and per 1,000 households of the municipality (2015 census, the
  workspace's reference data).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import sqlalchemy as sa

from anshin_lab.app.catalog import load_areas
from anshin_lab.app.workspace import Workspace, require_workspace
from anshin_lab.core.clock import stored_tokyo
from anshin_lab.core.directive import PREF_CODE, PREFECTURE
from anshin_lab.core.glossary import CATEGORIES
from anshin_lab.core.granularity import Granularity
from anshin_lab.storage import store
from anshin_lab.storage.store import alert_events, alerts
from anshin_lab.workflow.alerts import PUBLISHED, published_fields
from anshin_lab.workflow.rules import Action

__all__ = [
    "AREA_CODE_COLUMNS", "STATISTICS_COLUMNS", "PublishedAlert", "PublishedFollowUp", "published_alerts",
    "published_area", "published_statistics",
]

# Where each published level's area code is recorded on an alert (``alerts.area_codes``).
AREA_CODE_COLUMNS = {Granularity.CHOME: "chome_code", Granularity.TOWN: "town_code", Granularity.CITY: "city_code"}
STATISTICS_COLUMNS = ["city_code", "city", "month", "category", "category_label", "count", "households",
                      "per_1000_households"]
_PUBLISHED_STATUSES = [status.value for status in PUBLISHED]


@dataclass(frozen=True)
class PublishedFollowUp:
    """A sent follow-up or correction of a published alert (its own mail), as the public sees it."""

    alert_id: int
    outcome: str | None  # 検挙 / 指導警告 / 事件性なし / 訂正 / 発見
    subject: str
    body: str
    public_text: str
    sent_at: pd.Timestamp  # Asia/Tokyo
    fields: dict


@dataclass(frozen=True)
class PublishedAlert:
    """A sent alert as published: its mail, its published area (WGS84 polygon) and its follow-ups.

    ``level`` is the level the alert published (BLOCK names a 街区 in the
    text); ``area_level``/``area_code``/``area_name``/``geometry`` are those
    of the area drawn for it, never finer than the 町丁目. ``city_code`` and
    ``city`` are the municipality (the prefecture's code and name for an
    alert to the whole prefecture). ``fields`` are the alert's published
    fields (``workflow.alerts.published_fields``).
    """

    alert_id: int
    category: str
    category_label: str
    subject: str
    body: str
    public_text: str
    sent_at: pd.Timestamp  # Asia/Tokyo
    level: Granularity
    area_level: Granularity
    area_code: str
    area_name: str
    area_codes: dict
    city_code: str
    city: str
    geometry: object = field(repr=False)  # shapely (Multi)Polygon, EPSG:4326
    fields: dict = field(default_factory=dict)
    followups: tuple[PublishedFollowUp, ...] = ()

    @property
    def month(self) -> str:
        """The month it was sent, 「2026-11」 (Asia/Tokyo)."""
        return self.sent_at.strftime("%Y-%m")


def published_area(level, area_codes: dict | None) -> tuple[Granularity, str]:
    """The level and code of the area drawn for an alert published at ``level``: never finer than the 町丁目.

    The same choice as the public map (``views.maps.public``): a 街区 is
    drawn as its 町丁目; a level whose code the alert did not record, and the
    prefecture level, fall back to the prefecture.
    """
    area_level = max(Granularity.parse(level), Granularity.CHOME)
    codes = area_codes or {}
    column = AREA_CODE_COLUMNS.get(area_level)
    code = codes.get(column) if column is not None else None
    if code is None:
        return Granularity.PREF, PREF_CODE
    return area_level, str(code)


def published_alerts(ws=None, *, areas=None, engine: sa.Engine | None = None) -> list[PublishedAlert]:
    """Every sent (or closed) original alert, newest first, each with its sent follow-ups (oldest first).

    ``ws`` is a ``Workspace`` or its folder (the default one when None).
    Only the alerts table (sent rows), the send events and the workspace's
    area layers are read. ``areas`` (an ``AreaSet``) and ``engine`` may be
    passed to reuse ones already open. Raises ``WorkspaceError`` when the
    workspace is not initialised.
    """
    ws = _workspace(ws)
    area_set = areas if areas is not None else load_areas(ws.root)
    own_engine = engine is None
    engine = store.connect(ws.database_url) if own_engine else engine
    try:
        with engine.connect() as conn:
            rows = [dict(row) for row in conn.execute(
                sa.select(alerts).where(alerts.c.status.in_(_PUBLISHED_STATUSES))
                .order_by(alerts.c.alert_id)).mappings()]
            sent = dict(conn.execute(
                sa.select(alert_events.c.alert_id, sa.func.min(alert_events.c.at))
                .where(alert_events.c.action == Action.SEND.value)
                .group_by(alert_events.c.alert_id)).all())
    finally:
        if own_engine:
            engine.dispose()
    originals = {row["alert_id"]: row for row in rows if row["original_alert_id"] is None}
    followups: dict[int, list[PublishedFollowUp]] = {}
    for row in rows:
        if row["original_alert_id"] is not None and row["original_alert_id"] in originals:
            followups.setdefault(row["original_alert_id"], []).append(PublishedFollowUp(
                alert_id=row["alert_id"], outcome=row["outcome"], subject=row["subject"], body=row["body"],
                public_text=row["public_text"], sent_at=_sent_at(sent, row), fields=published_fields(row)))
    published = []
    layers: dict[Granularity, pd.DataFrame] = {}
    for alert_id, row in originals.items():
        area_level, code = published_area(row["level"], row["area_codes"])
        area = _area_row(area_set, layers, area_level, code)
        if area is None:  # an area the workspace's layers no longer hold: the prefecture, as the map would
            area_level, code = Granularity.PREF, PREF_CODE
            area = _area_row(area_set, layers, area_level, code)
        city_code, city = _municipality(area_set, layers, row["area_codes"], area_level, code)
        published.append(PublishedAlert(
            alert_id=alert_id, category=row["category"], category_label=CATEGORIES.get(row["category"], row["category"]),
            subject=row["subject"], body=row["body"], public_text=row["public_text"], sent_at=_sent_at(sent, row),
            level=Granularity[row["level"]], area_level=area_level, area_code=code, area_name=str(area["name"]),
            area_codes=dict(row["area_codes"] or {}), city_code=city_code, city=city, geometry=area.geometry,
            fields=published_fields(row),
            followups=tuple(sorted(followups.get(alert_id, ()), key=lambda f: (f.sent_at, f.alert_id)))))
    published.sort(key=lambda a: (a.sent_at, a.alert_id), reverse=True)
    return published


def published_statistics(ws=None, *, alerts_list: list[PublishedAlert] | None = None, areas=None) -> pd.DataFrame:
    """Sent alerts per municipality × month × category, and per 1,000 households of the municipality.

    Columns ``STATISTICS_COLUMNS``: ``city_code`` (JIS; 「46」 for alerts to
    the whole prefecture), ``city``, ``month`` (「2026-11」, Asia/Tokyo, of the
    sending), ``category``, ``category_label``, ``count`` (original alerts;
    follow-ups are not new alerts), ``households`` (2015 census) and
    ``per_1000_households`` (rounded to 3 decimals). Only combinations with at
    least one alert appear; ordered by municipality code, month, category.
    ``alerts_list`` and ``areas`` reuse what the caller already collected.
    """
    if areas is None or alerts_list is None:
        ws = _workspace(ws)
    area_set = areas if areas is not None else load_areas(ws.root)
    items = alerts_list if alerts_list is not None else published_alerts(ws, areas=area_set)
    if not items:
        return pd.DataFrame(columns=STATISTICS_COLUMNS)
    frame = pd.DataFrame([(a.city_code, a.city, a.month, a.category) for a in items],
                         columns=["city_code", "city", "month", "category"])
    table = frame.groupby(["city_code", "city", "month", "category"], as_index=False).size().rename(
        columns={"size": "count"})
    level_of = {PREF_CODE: Granularity.PREF}
    table["households"] = [area_set.households(level_of.get(code, Granularity.CITY), code)
                           for code in table["city_code"]]
    table["category_label"] = table["category"].map(lambda c: CATEGORIES.get(c, c))
    table["per_1000_households"] = (table["count"] * 1000.0 / table["households"].where(table["households"] > 0)).round(3)
    order = {code: i for i, code in enumerate(CATEGORIES)}
    table["_order"] = table["category"].map(lambda c: order.get(c, len(order)))
    table = table.sort_values(["city_code", "month", "_order", "category"]).drop(columns="_order")
    return table[STATISTICS_COLUMNS].reset_index(drop=True)


def _workspace(ws) -> Workspace:
    """A ``Workspace``, or the one at a folder (the default one when None)."""
    return ws if isinstance(ws, Workspace) else require_workspace(ws)


def _sent_at(sent: dict, row: dict) -> pd.Timestamp:
    """When the alert was sent (its send event; its last update when an old row has none), Asia/Tokyo."""
    stamp = sent.get(row["alert_id"])
    return stored_tokyo(stamp if stamp is not None else row["updated_at"])


def _area_row(area_set, layers: dict, level: Granularity, code: str):
    if level not in layers:
        layers[level] = area_set.layer(level).set_index("area_code")
    frame = layers[level]
    return frame.loc[code] if code in frame.index else None


def _municipality(area_set, layers: dict, area_codes, area_level: Granularity, code: str) -> tuple[str, str]:
    """(city code, city name) of a published area; the prefecture's for an alert to the whole prefecture."""
    if area_level == Granularity.PREF:
        return PREF_CODE, PREFECTURE
    city_code = str((area_codes or {}).get("city_code") or area_set.parent_code(code, Granularity.CITY))
    city = _area_row(area_set, layers, Granularity.CITY, city_code)
    return city_code, str(city["name"]) if city is not None else city_code
