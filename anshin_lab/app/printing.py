"""What a 回覧板 prints: sent alerts as published, split into text, tips and contact, with their published area.

A 町内会 without e-mail passes the news on paper. ``alert_circular`` (one sent
alert) and ``week_circular`` (the alerts sent in one week to a municipality or
a station district) collect what ``views.printing`` draws on A4. Everything
comes from ``app.public_data`` — the approved text as it was mailed, the
published fields and the polygon of the published area — and from the
workspace's reference layers (the outlines drawn around that area). No
incident row is read, so no point, 号 or free text of a record can reach the
paper. Only sent (or closed) alerts are printed: anything else is refused.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd
import sqlalchemy as sa

from anshin_lab.app.catalog import load_areas
from anshin_lab.app.public_data import PublishedAlert, published_alerts
from anshin_lab.app.workspace import Workspace, require_workspace
from anshin_lab.core.clock import tokyo_now
from anshin_lab.core.dates import TOKYO, WEEKDAYS
from anshin_lab.core.directive import PREF_CODE, PREFECTURE, STATION_SUFFIX, category_rule
from anshin_lab.core.errors import AnshinError, WorkflowError
from anshin_lab.core.granularity import Granularity
from anshin_lab.delivery.recipients import alert_scope
from anshin_lab.storage import store
from anshin_lab.workflow.alerts import PUBLISHED, get_alert

__all__ = [
    "CONTACT_HEADINGS", "Circular", "PrintArea", "PrintError", "PrintedFollowUp", "PrintedSection", "alert_circular",
    "format_day", "format_sent", "resolve_print_area", "split_body", "week_bounds", "week_circular",
]

# The headings after which a mail gives its contact (``drafting/templates``: 問い合わせ先, or 連絡先 for a missing person).
CONTACT_HEADINGS = ("■問い合わせ先", "■連絡先")
TIP_MARK = "★"
# Around an area, the map shows this share of its size on every side (less around a municipality or the
# prefecture, whose neighbours matter less than a 町丁目's), and at least this many degrees (about 1.5 km).
MAP_MARGIN_SHARE = {Granularity.CHOME: 0.6, Granularity.TOWN: 0.6, Granularity.CITY: 0.25, Granularity.PREF: 0.04}
MAP_MIN_SPAN_DEG = 0.015


class PrintError(AnshinError):
    """A 回覧板 cannot be printed as asked (an alert not sent, an unknown area)."""


@dataclass(frozen=True)
class PrintArea:
    """The area of a week's 回覧板: a municipality (``kind`` "city", JIS code) or a station district ("station")."""

    kind: str
    code: str
    name: str
    city_codes: frozenset = frozenset()  # the municipalities a station district covers


@dataclass(frozen=True)
class PrintedFollowUp:
    """A sent follow-up as printed under its original: heading, when it was sent, its text."""

    alert_id: int
    title: str
    sent: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class PrintedSection:
    """One sent alert as printed: its mail split into text, ★ tips and contact, and its published area.

    ``lines`` are the mail's lines as approved, without the tips and the
    contact, which are printed in their own boxes; ``area_text`` names the
    published area and its level; ``geometry`` is that area's polygon
    (EPSG:4326, never finer than the 町丁目); ``context`` holds the reference
    outlines around it (``level``: 0 for the municipalities, 1 for the areas
    of the alert's own level), clipped to ``extent`` (minx, miny, maxx, maxy).
    """

    alert_id: int
    title: str
    category_label: str
    sent: str
    area_text: str
    lines: tuple[str, ...]
    tips: tuple[str, ...]
    contact: str
    geometry: object = field(repr=False)
    context: gpd.GeoDataFrame = field(repr=False)
    extent: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)
    followups: tuple[PrintedFollowUp, ...] = ()


@dataclass(frozen=True)
class Circular:
    """What a 回覧板 prints: its heading, the day it is issued and one section per sent alert."""

    title: str
    scope: str  # what it covers: 「配信 #12」 or 「鹿児島市 2026年11月30日(月)〜12月6日(日)」
    issued_on: dt.date
    sections: tuple[PrintedSection, ...]
    note: str = ""
    name: str = "circular"  # the default file's stem: 「alert-12」, 「week-46201-2026-11-30」

    @property
    def alert_ids(self) -> tuple[int, ...]:
        return tuple(s.alert_id for s in self.sections)


def format_day(day: dt.date, *, year: bool = True) -> str:
    """「2026年12月2日(水)」 (without the year: 「12月2日(水)」)."""
    text = f"{day.month}月{day.day}日({WEEKDAYS[day.weekday()]})"
    return f"{day.year}年{text}" if year else text


def format_sent(stamp: pd.Timestamp) -> str:
    """When an alert was sent, as printed: 「2026年12月2日(水) 18時39分」 (Asia/Tokyo)."""
    stamp = pd.Timestamp(stamp).tz_convert(TOKYO)
    return f"{format_day(stamp.date())} {stamp.hour}時{stamp.minute:02d}分"


def week_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    """The Monday and the Sunday of the week holding ``day``."""
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)


def split_body(body: str, station: str | None = None) -> tuple[tuple[str, ...], tuple[str, ...], str]:
    """``(lines, tips, contact)`` of a mail's approved text.

    The ★ lines are the tips (without the ★); the lines after 「■問い合わせ先」
    (「■連絡先」) are the contact. A text without that heading takes the
    alert's police station, else the nearest one, with 110番 for emergencies.

    Examples
    --------
    >>> split_body("お知らせです。\\n★戸締まりを。\\n■問い合わせ先\\n鹿屋警察署(緊急の場合は110番)")
    (('お知らせです。',), ('戸締まりを。',), '鹿屋警察署(緊急の場合は110番)')
    """
    lines, tips, contact, in_contact = [], [], [], False
    for raw in str(body or "").splitlines():
        line = raw.strip()
        if not line:
            continue
        if line in CONTACT_HEADINGS:
            in_contact = True
        elif in_contact:
            contact.append(line)
        elif line.startswith(TIP_MARK):
            tips.append(line[len(TIP_MARK):].strip())
        else:
            lines.append(line)
    text = " ".join(contact) or f"{station or '最寄りの警察署'}(緊急の場合は110番)"
    return tuple(lines), tuple(t for t in tips if t), text


def resolve_print_area(area_set, text: str) -> PrintArea:
    """The municipality (name 「鹿児島市」 or code 「46201」) or station district (「鹿児島中央警察署」) ``text`` names.

    Raises ``PrintError`` naming what to write when it names neither.
    """
    wanted = str(text or "").strip()
    cities = area_set.layer(Granularity.CITY)
    by_code = dict(zip(cities["area_code"].astype(str), cities["name"].astype(str)))
    by_name = {name: code for code, name in by_code.items()}
    # 「知名町」 for 「大島郡知名町」: a municipality's name without its 郡, when only one has it.
    short = {}
    for code, name in by_code.items():
        if "郡" in name:
            short.setdefault(name.split("郡", 1)[1], []).append(code)
    code = wanted if wanted in by_code else by_name.get(wanted)
    if code is None and len(short.get(wanted, ())) == 1:
        code = short[wanted][0]
    if code is not None:
        return PrintArea("city", code, by_code[code], frozenset({code}))
    stations = list(area_set.stations["station"].astype(str))
    for name in (wanted, f"{wanted}{STATION_SUFFIX}", f"{wanted.removesuffix('署')}{STATION_SUFFIX}"):
        if name in stations:
            chome = area_set.layer(Granularity.CHOME)
            covered = chome.loc[chome["station"].astype(str) == name, "city_code"].astype(str)
            return PrintArea("station", name, name, frozenset(covered))
    raise PrintError(f"地域「{wanted}」が分かりません: 市区町村の名前かコード(例: 鹿児島市、46201)"
                     f"か警察署の名前(例: {stations[0] if stations else '警察署'})を --area に指定してください")


def alert_circular(ws, alert_id: int, *, engine: sa.Engine | None = None, areas=None,
                   today: dt.date | None = None) -> Circular:
    """The 回覧板 of one sent alert (a follow-up prints its original with every sent follow-up).

    Raises ``PrintError`` (one line) when the alert does not exist or has
    not been sent; ``WorkspaceError`` when the workspace is not initialised.
    ``ws`` is a ``Workspace`` or its folder (None: the default one);
    ``engine`` and ``areas`` reuse ones already open.
    """
    ws = _workspace(ws)
    own_engine = engine is None
    engine = store.connect(ws.database_url) if own_engine else engine
    try:
        try:
            alert = get_alert(engine, int(alert_id))
        except WorkflowError as exc:
            raise PrintError(f"配信 #{alert_id} はありません(番号は anshin alerts list で確かめてください)") from exc
        if alert.status not in PUBLISHED:
            raise PrintError(f"配信 #{alert_id} は発信されていません(状態: {alert.status.label})。"
                             f"回覧板に印刷できるのは発信済みの配信だけです")
        area_set = areas if areas is not None else load_areas(ws.root)
        items = published_alerts(ws, areas=area_set, engine=engine)
    finally:
        if own_engine:
            engine.dispose()
    wanted = alert.original_alert_id or alert.alert_id
    found = next((a for a in items if a.alert_id == wanted), None)
    if found is None:
        raise PrintError(f"配信 #{alert_id} の元の配信 #{wanted} が発信済みの一覧にありません(印刷できません)")
    return Circular(title="回覧板", scope=f"配信 #{found.alert_id}", issued_on=today or tokyo_now().date(),
                    sections=(printed_section(found, area_set),), name=f"alert-{found.alert_id}")


def week_circular(ws, area: str, week_of: dt.date | None = None, *, engine: sa.Engine | None = None,
                  areas=None, today: dt.date | None = None) -> Circular:
    """The 回覧板 of one week (Monday to Sunday, Asia/Tokyo) in a municipality or station district.

    One section per original alert sent that week (oldest first) that went
    to members of the area: alerts of its municipality (for a station
    district, the alerts naming the station, or naming none in a
    municipality the district covers) and alerts to the whole prefecture.
    ``week_of`` is any day of the week (today's week when None). Raises
    ``PrintError`` for an area the workspace does not know.
    """
    ws = _workspace(ws)
    area_set = areas if areas is not None else load_areas(ws.root)
    place = resolve_print_area(area_set, area)
    today = today or tokyo_now().date()
    monday, sunday = week_bounds(week_of or today)
    items = [a for a in published_alerts(ws, areas=area_set, engine=engine)
             if monday <= a.sent_at.date() <= sunday and reaches(a, place)]
    items.sort(key=lambda a: (a.sent_at, a.alert_id))
    period = f"{format_day(monday)}〜{format_day(sunday, year=monday.year != sunday.year)}"
    note = "" if items else "この週に、この地域へ発信した配信はありません。"
    return Circular(title="回覧板", scope=f"{place.name}の配信 {period}({len(items)}件)", issued_on=today,
                    sections=tuple(printed_section(a, area_set) for a in items), note=note,
                    name=f"week-{place.code}-{monday.isoformat()}")


def reaches(alert: PublishedAlert, place: PrintArea) -> bool:
    """Whether ``alert`` went to members of ``place`` (as ``delivery.recipients`` chooses, whatever the category)."""
    cities, stations = alert_scope(alert.area_codes)
    if not cities or alert.city_code == PREF_CODE or category_rule(alert.category).whole_prefecture:
        return True
    if place.kind == "station" and stations:
        return place.code in stations
    return bool(place.city_codes & set(cities))


def printed_section(alert: PublishedAlert, area_set) -> PrintedSection:
    """A published alert as one section of a 回覧板: its text split, its area named, its map's outlines."""
    station = alert.fields.get("station")
    lines, tips, contact = split_body(alert.body, station)
    extent = map_extent(alert.geometry, alert.area_level)
    followups = []
    for followup in alert.followups:
        f_lines, _, _ = split_body(followup.body)
        followups.append(PrintedFollowUp(followup.alert_id, followup.subject, format_sent(followup.sent_at), f_lines))
    return PrintedSection(
        alert_id=alert.alert_id, title=alert.subject, category_label=alert.category_label,
        sent=format_sent(alert.sent_at), area_text=area_text(alert), lines=lines, tips=tips, contact=contact,
        geometry=alert.geometry, context=map_context(area_set, alert.area_level, extent), extent=extent,
        followups=tuple(followups))


def area_text(alert: PublishedAlert) -> str:
    """The published area with its level, as the public site writes it: 「鹿児島市本名町(大字・町)」."""
    if alert.area_level == Granularity.PREF:
        return f"{PREFECTURE}全域"
    if alert.area_level == Granularity.CITY:
        return f"{alert.city}({Granularity.CITY.label})"
    name = alert.fields.get("area_name") or alert.area_name
    return f"{alert.city}{name}({alert.area_level.label})"


def map_extent(geometry, level=Granularity.CHOME) -> tuple[float, float, float, float]:
    """The part of the map drawn around an area of ``level``: its bounds grown by ``MAP_MARGIN_SHARE``, at least
    ``MAP_MIN_SPAN_DEG`` across."""
    minx, miny, maxx, maxy = geometry.bounds
    share = MAP_MARGIN_SHARE.get(Granularity.parse(level), MAP_MARGIN_SHARE[Granularity.CHOME])
    grow_x = max((maxx - minx) * share, (MAP_MIN_SPAN_DEG - (maxx - minx)) / 2, 0.0)
    grow_y = max((maxy - miny) * share, (MAP_MIN_SPAN_DEG - (maxy - miny)) / 2, 0.0)
    return (minx - grow_x, miny - grow_y, maxx + grow_x, maxy + grow_y)


def map_context(area_set, level: Granularity, extent) -> gpd.GeoDataFrame:
    """The reference outlines within ``extent``: municipalities (``level`` 0) and areas of the alert's level (1)."""
    minx, miny, maxx, maxy = extent
    frames = []
    for rank, layer_level in enumerate((Granularity.CITY, level)):
        if rank == 1 and layer_level >= Granularity.CITY:
            break
        layer = area_set.layer(layer_level)
        near = layer.cx[minx:maxx, miny:maxy]
        frames.append(gpd.GeoDataFrame({"level": [rank] * len(near)}, geometry=list(near.geometry), crs=layer.crs))
    return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), geometry="geometry", crs=frames[0].crs)


def _workspace(ws) -> Workspace:
    return ws if isinstance(ws, Workspace) else require_workspace(ws)

