"""The operations report's figures for a workspace and a period, read from its database (read only).

``operations_report(workspace, start, end)`` reads what the figures need —
alert times from the signed event log, members' areas and categories, the
outbox and bounces — and hands them to the pure functions of
``analysis.operations``. It returns counts, minutes and rates only: no
address, name or text of a member or an incident leaves this module.
Households come from the 2015 census of the workspace's reference data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd
import sqlalchemy as sa

from anshin_lab.analysis import operations as ops
from anshin_lab.analysis.fraud_calls import parse_day
from anshin_lab.app.references import reference_tables
from anshin_lab.app.workspace import require_workspace
from anshin_lab.core import glossary
from anshin_lab.core.clock import TOKYO_NAME, tokyo_now
from anshin_lab.core.directive import category_rule
from anshin_lab.core.errors import ParameterError
from anshin_lab.places.reference import load_census
from anshin_lab.storage import store
from anshin_lab.storage.schema import alert_events, alerts, bounces, incidents, member_areas, member_categories
from anshin_lab.storage.schema import members, outbox
from anshin_lab.workflow.rules import Action

__all__ = ["APPROVALS", "DEFAULT_DAYS", "OperationsReport", "operations_report", "read_alert_steps"]

# The approvals that clear an alert for sending (the HQ approval, or the duty officer's on the urgent path).
APPROVALS = (Action.HQ_APPROVE.value, Action.URGENT_APPROVE.value)
# The period when no start is given: the 30 days up to the end.
DEFAULT_DAYS = 30


@dataclass
class OperationsReport:
    """The figures of one operations report (counts, minutes and rates; no personal data)."""

    start: dt.date
    end: dt.date
    run_at: pd.Timestamp
    categories: dict  # code -> label, the order of every table
    minutes: pd.DataFrame  # per sent alert: alert_id, category and the minutes of each stage
    delays: pd.DataFrame  # ops.delay_summary
    target: pd.DataFrame  # ops.target_summary (the urgent-path categories)
    target_min: float
    city_reach: pd.DataFrame  # ops.reach_table, kind city
    station_reach: pd.DataFrame  # ops.reach_table, kind station
    growth: pd.DataFrame  # ops.growth_and_churn
    carriers: pd.DataFrame  # ops.bounces_by_carrier
    totals: dict = field(default_factory=dict)

    def facts(self) -> dict:
        """What the report states in its facts (the index and the tests read them)."""
        return {"start": str(self.start), "end": str(self.end), "run_at": self.run_at.isoformat(),
                "target_min": self.target_min, **self.totals}


def _bounds(start: dt.date, end: dt.date) -> tuple[pd.Timestamp, pd.Timestamp]:
    """[start 00:00, the day after end 00:00) in Asia/Tokyo, as UTC (how times are stored)."""
    first = pd.Timestamp(start).tz_localize(TOKYO_NAME).tz_convert("UTC")
    after = (pd.Timestamp(end) + pd.Timedelta(days=1)).tz_localize(TOKYO_NAME).tz_convert("UTC")
    return first, after


def _utc(values) -> pd.Series:
    return pd.to_datetime(pd.Series(values, dtype="object"), utc=True)


def read_alert_steps(conn: sa.Connection, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Per alert sent in the period (follow-ups left out): its category and the times of its stages.

    Columns alert_id, category, occurred_at (the earliest linked incident;
    NaT when purged), drafted_at, approved_at (the first clearing approval),
    sent_at (the send step), all UTC.
    """
    first, after = _bounds(start, end)
    e = alert_events.c
    events = pd.DataFrame(conn.execute(
        sa.select(e.alert_id, e.action, sa.func.min(e.at))
        .where(e.action.in_((Action.CREATE.value, Action.SEND.value, *APPROVALS))).group_by(e.alert_id, e.action)).all(),
        columns=["alert_id", "action", "at"])
    events["at"] = _utc(events["at"])
    wide = events.pivot_table(index="alert_id", columns="action", values="at", aggfunc="min")
    sent = wide.get(Action.SEND.value, pd.Series(dtype="datetime64[ns, UTC]")).dropna()
    sent = sent[(sent >= first) & (sent < after)]
    rows = conn.execute(sa.select(alerts.c.alert_id, alerts.c.category, alerts.c.incident_ids)
                        .where(alerts.c.alert_id.in_([int(a) for a in sent.index]),
                               alerts.c.original_alert_id.is_(None))).all()
    linked = sorted({str(i) for _, _, ids in rows for i in (ids or [])})
    occurred = dict(conn.execute(sa.select(incidents.c.incident_id, incidents.c.occurred_at)
                                 .where(incidents.c.incident_id.in_(linked))).all()) if linked else {}
    out = []
    for alert_id, category, ids in rows:
        times = _utc([occurred[str(i)] for i in (ids or []) if str(i) in occurred])
        approvals = [wide.at[alert_id, a] for a in APPROVALS if a in wide.columns and pd.notna(wide.at[alert_id, a])]
        out.append({"alert_id": int(alert_id), "category": category,
                    "occurred_at": times.min() if len(times) else pd.NaT,
                    "drafted_at": wide.at[alert_id, Action.CREATE.value] if Action.CREATE.value in wide.columns else pd.NaT,
                    "approved_at": min(approvals) if approvals else pd.NaT, "sent_at": sent[alert_id]})
    frame = pd.DataFrame(out, columns=["alert_id", "category", "occurred_at", "drafted_at", "approved_at", "sent_at"])
    for column in ("occurred_at", "drafted_at", "approved_at", "sent_at"):
        frame[column] = pd.to_datetime(frame[column], utc=True)
    return frame.sort_values("alert_id", ignore_index=True)


def _members(conn: sa.Connection) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(membership times of every member, active members' areas, active members' categories)."""
    m = members.c
    times = pd.DataFrame(conn.execute(sa.select(m.member_id, m.opted_in_at, m.unsubscribed_at, m.suppressed_at)
                                      .where(m.opted_in_at.is_not(None), m.status != "pending")).all(),
                         columns=["member_id", "opted_in_at", "unsubscribed_at", "suppressed_at"])
    for column in ("opted_in_at", "unsubscribed_at", "suppressed_at"):
        times[column] = _utc(times[column])
    active = sa.select(m.member_id).where(m.status == "active")
    times.attrs["active"] = int(conn.execute(sa.select(sa.func.count()).select_from(active.subquery())).scalar())
    areas = pd.DataFrame(conn.execute(sa.select(member_areas.c.member_id, member_areas.c.kind, member_areas.c.code)
                                      .where(member_areas.c.member_id.in_(active))).all(),
                         columns=["member_id", "kind", "code"])
    chosen = pd.DataFrame(conn.execute(sa.select(member_categories.c.member_id, member_categories.c.category)
                                       .where(member_categories.c.member_id.in_(active))).all(),
                          columns=["member_id", "category"])
    return times, areas, chosen


def _carrier_domains(conn: sa.Connection, start: dt.date, end: dt.date) -> tuple[pd.Series, pd.Series]:
    """(domain of each message sent in the period, domain of each bounce in the period: the address it went to)."""
    first, after = _bounds(start, end)
    o, b = outbox.c, bounces.c
    sent = [d for d, in conn.execute(sa.select(o.domain).where(o.sent_at.is_not(None), o.sent_at >= first.to_pydatetime(),
                                                                 o.sent_at < after.to_pydatetime())).all()]
    bounced = [d for d, in conn.execute(
        sa.select(sa.func.coalesce(o.domain, members.c.domain))
        .select_from(bounces.outerjoin(outbox, (o.alert_id == b.alert_id) & (o.member_id == b.member_id))
                     .join(members, members.c.member_id == b.member_id))
        .where(b.at >= first.to_pydatetime(), b.at < after.to_pydatetime())).all()]
    return pd.Series(sent, dtype=str), pd.Series(bounced, dtype=str)


def operations_report(workspace=None, start=None, end=None, *, target_min: float = ops.TARGET_MINUTES) -> OperationsReport:
    """The figures of the operations report of ``workspace`` for ``start``–``end`` (inclusive, Asia/Tokyo dates).

    ``end`` defaults to today and ``start`` to ``DEFAULT_DAYS`` days before it
    ends. Delays cover the alerts sent in the period, bounces the messages
    sent and bounced in it, growth and churn its months; reach is as stored
    now. Raises ``ParameterError`` for an unreadable date or start after end.
    """
    ws = require_workspace(workspace)
    end_day = parse_day(end, "終了日") if end not in (None, "") else tokyo_now().date()
    start_day = parse_day(start, "開始日") if start not in (None, "") else end_day - dt.timedelta(days=DEFAULT_DAYS - 1)
    if start_day > end_day:
        raise ParameterError(f"開始日 {start_day} が終了日 {end_day} より後です: start を end 以前にしてください")
    tables = reference_tables(ws.reference_dir)
    census = load_census(ws.reference_dir)
    key_station = {key: station for key, (_, station) in tables.small_areas.items()}
    station_households = (census.assign(station=census["key_code"].astype(str).map(key_station))
                          .dropna(subset=["station"]).groupby("station")["households"].sum().astype(int).to_dict())
    station_households = {s: station_households.get(s, 0) for s in sorted(tables.stations)}
    categories = dict(glossary.CATEGORIES)
    engine = store.connect(ws.database_url)
    try:
        with engine.connect() as conn:
            steps = read_alert_steps(conn, start_day, end_day)
            times, areas, chosen = _members(conn)
            sent_domains, bounce_domains = _carrier_domains(conn, start_day, end_day)
    finally:
        engine.dispose()
    minutes = ops.stage_minutes(steps)
    covered = ops.covered_areas(areas, cities=sorted(tables.city_households), station_cities=tables.stations,
                                chome_station=key_station)
    urgent = {c: label for c, label in categories.items() if category_rule(c).urgent_path}
    carriers = ops.bounces_by_carrier(sent_domains, bounce_domains)
    return OperationsReport(
        start=start_day, end=end_day, run_at=tokyo_now(), categories=categories, minutes=minutes,
        delays=ops.delay_summary(minutes, categories), target=ops.target_summary(minutes, urgent, target_min),
        target_min=float(target_min),
        city_reach=ops.reach_table(covered, chosen, tables.city_households, tables.city_names, "city", categories),
        station_reach=ops.reach_table(covered, chosen, station_households, {s: s for s in station_households},
                                      "station", categories),
        growth=ops.growth_and_churn(times, start_day, end_day), carriers=carriers,
        totals={"alerts_sent": int(len(minutes)), "active_members": times.attrs["active"],
                "messages_sent": int(carriers["sent"].sum()), "bounces": int(carriers["bounces"].sum())})
