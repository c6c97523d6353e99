"""Recipients: which active members an alert goes to, the member list, and counts for publicity.

A member chose categories (the five codes of ``glossary.CATEGORIES``) and
areas: municipalities (「鹿児島市」「大島郡瀬戸内町」), station districts
(「鹿児島中央警察署」), 町丁目 (kind ``chome``: the alert's published area
covers or touches it) or the whole prefecture (「鹿児島県」). Status is one of
``pending`` (signed up, not yet confirmed), ``active``, ``unsubscribed`` and
``bounced`` (suppressed after repeated hard bounces); only ``active`` members
receive mail.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

import pandas as pd
import sqlalchemy as sa

from anshin_lab.core import glossary
from anshin_lab.core.directive import category_rule
from anshin_lab.core.errors import DeliveryError
from anshin_lab.storage.schema import chome_neighbours
from anshin_lab.storage.store import member_areas, member_categories, members, outbox, station_districts

AREA_KINDS = ("pref", "city", "station", "chome")


def read_members(engine: sa.Engine, status: str | None = None) -> pd.DataFrame:
    """Stored members (no tokens), oldest member number first."""
    columns = ["member_id", "email", "categories", "areas", "status", "opted_in_at", "is_staff", "hard_bounces"]
    query = sa.select(*[members.c[c] for c in columns]).order_by(members.c.member_id)
    if status is not None:
        query = query.where(members.c.status == status)
    with engine.connect() as conn:
        return pd.DataFrame(conn.execute(query).all(), columns=columns)


@dataclass(frozen=True)
class Recipient:
    """A member an alert goes to."""

    member_id: str
    email: str
    domain: str
    language: str = "ja"  # the language of their mail (``members.language``; None from an older database: ja)
    quiet_start: str | None = None  # their quiet hours, "HH:MM" Asia/Tokyo (None: none)
    quiet_end: str | None = None


def _codes(value) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, (list, tuple, set)):
        return [str(v) for v in value if v not in (None, "")]
    return [str(value)]


def alert_scope(area_codes: Mapping | None) -> tuple[list[str], list[str]]:
    """``(city codes, stations)`` of an alert's ``area_codes``; no city means prefecture-wide.

    A city comes from ``city_code``, else from the first five digits of a
    ``town_code`` or ``chome_code``.
    """
    area_codes = dict(area_codes or {})
    cities = _codes(area_codes.get("city_code"))
    if not cities:
        finer = _codes(area_codes.get("town_code")) + _codes(area_codes.get("chome_code"))
        cities = list(dict.fromkeys(code[:5] for code in finer if len(code) >= 5))
    return cities, _codes(area_codes.get("station"))


def published_code(area_codes: Mapping | None) -> str | None:
    """The code of an alert's published area: its 町丁目, else its 大字・町, else its municipality (None: wider).

    Codes nest (a 町丁目's code starts with its 大字・町's, which starts with
    its municipality's), so the area covers every 町丁目 whose code starts so.
    """
    area_codes = dict(area_codes or {})
    for column in ("chome_code", "town_code", "city_code"):
        codes = _codes(area_codes.get(column))
        if codes:
            return codes[0]
    return None


def select_recipients(conn: sa.Connection, alert) -> list[Recipient]:
    """The active members an alert goes to, in member-number order.

    A follow-up goes to exactly the members who received the original (those
    since unsubscribed or suppressed excepted). Otherwise: active members who
    chose the alert's category and an area that meets the alert's: the whole
    prefecture, the alert's municipality, its station district (any
    district covering the municipality when the alert names no station), or
    a 町丁目 that the published area covers or touches (a neighbour recorded
    in ``chome_neighbours`` lies in it).
    ``fugitive`` alerts and alerts without a municipality go to every active
    member who chose the category.
    """
    base = sa.select(members.c.member_id, members.c.email, members.c.domain, sa.func.coalesce(members.c.language, "ja"),
                     members.c.quiet_start, members.c.quiet_end).where(members.c.status == "active")
    if alert.original_alert_id is not None:
        had = conn.execute(sa.select(sa.func.count()).select_from(outbox)
                           .where(outbox.c.alert_id == alert.original_alert_id)).scalar()
        if not had:
            raise DeliveryError(f"続報の元の配信 #{alert.original_alert_id} の送信記録(outbox)がありません")
        sent = sa.select(outbox.c.member_id).where(outbox.c.alert_id == alert.original_alert_id,
                                                   outbox.c.state == "sent")
        query = base.where(members.c.member_id.in_(sent))
    else:
        chose = sa.select(member_categories.c.member_id).where(member_categories.c.category == alert.category)
        query = base.where(members.c.member_id.in_(chose))
        cities, stations = alert_scope(alert.area_codes)
        if not category_rule(alert.category).whole_prefecture and cities:
            if not stations:
                stations = sa.select(station_districts.c.station).where(station_districts.c.city_code.in_(cities))
            a = member_areas.c
            where = sa.or_(a.kind == "pref", sa.and_(a.kind == "city", a.code.in_(cities)),
                           sa.and_(a.kind == "station", a.code.in_(stations)))
            area = published_code(alert.area_codes)
            if area is not None:
                n = chome_neighbours.c
                touching = sa.select(n.chome_code).where(n.neighbour_code.startswith(area, autoescape=True))
                where = sa.or_(where, sa.and_(a.kind == "chome", sa.or_(a.code.startswith(area, autoescape=True),
                                                                       a.code.in_(touching))))
            query = query.where(members.c.member_id.in_(sa.select(a.member_id).where(where)))
    rows = conn.execute(query.order_by(members.c.member_id)).all()
    return [Recipient(*row) for row in rows]


# -- counts for publicity (directive §6(4)) -----------------------------------------------------

def member_counts(engine: sa.Engine, *, status: str = "active") -> pd.DataFrame:
    """Members by area (rows) and category (columns), for the publicity work (directive §6(4)).

    One row per chosen area (prefecture, then municipalities, then station
    districts), a column per category code with the members who chose both,
    ``members`` (distinct members who chose the area) and ``staff`` (of whom
    police staff). A last row ``合計`` counts distinct members.
    """
    a, c, m = member_areas.c, member_categories.c, members.c
    with engine.connect() as conn:
        pairs = conn.execute(sa.select(a.kind, a.name, c.category, sa.func.count())
                             .join_from(member_areas, members, a.member_id == m.member_id)
                             .join(member_categories, c.member_id == m.member_id)
                             .where(m.status == status).group_by(a.kind, a.name, c.category)).all()
        per_area = conn.execute(sa.select(a.kind, a.name, sa.func.count(), sa.func.sum(sa.cast(m.is_staff, sa.Integer)))
                                .join_from(member_areas, members, a.member_id == m.member_id)
                                .where(m.status == status).group_by(a.kind, a.name)).all()
        per_category = dict(conn.execute(sa.select(c.category, sa.func.count())
                                         .join_from(member_categories, members, c.member_id == m.member_id)
                                         .where(m.status == status).group_by(c.category)).all())
        total, staff = conn.execute(sa.select(sa.func.count(), sa.func.sum(sa.cast(m.is_staff, sa.Integer)))
                                    .where(m.status == status)).one()
    categories = list(glossary.CATEGORIES)
    frame = pd.DataFrame(pairs, columns=["kind", "area", "category", "n"])
    table = (frame.pivot_table(index=["kind", "area"], columns="category", values="n", aggfunc="sum", fill_value=0)
             .reindex(columns=categories, fill_value=0))
    sizes = pd.DataFrame(per_area, columns=["kind", "area", "members", "staff"]).set_index(["kind", "area"])
    table = table.join(sizes, how="outer").fillna(0).astype(int).reset_index()
    table["order"] = table["kind"].map({k: i for i, k in enumerate(AREA_KINDS)})
    table = table.sort_values(["order", "area"]).drop(columns=["order"])
    totals = {"kind": "total", "area": "合計", **{k: int(per_category.get(k, 0)) for k in categories},
              "members": int(total or 0), "staff": int(staff or 0)}
    return pd.concat([table, pd.DataFrame([totals])], ignore_index=True)[["kind", "area", *categories, "members", "staff"]]
