"""What is owed: alerts awaiting an outcome, follow-ups not yet out, incidents never reported or decided.

The directive asks that a sent alert be followed by its outcome (§5(4):
検挙・指導警告・解決) and that no incident go unreported (§7 報告漏れ防止).
:func:`due` lists, as of ``now``:

- ``awaiting_outcome``: sent alerts (not closed) of a category that expects an
  outcome (``CategoryRule.outcome_expected``), sent more than
  ``outcome_age_days`` ago, with no follow-up that settles them
  (``SETTLING_OUTCOMES``) in play;
- ``followups_owed``: follow-ups drafted and not yet sent, with the step each waits for;
- ``unreported``: incidents that occurred more than ``unreported_hours`` ago
  (and, with ``lookback_days``, not longer ago than that) with neither an
  alert (of any state) nor a recorded decision not to send (``decisions``).

Each row carries its report route (``rules.report_route`` at ``now``): the
desk and channel to report to. Reading only: nothing here writes.
"""

from __future__ import annotations

from typing import NamedTuple

import pandas as pd
import sqlalchemy as sa

from anshin_lab.core.clock import given_utc, stored_tokyo, stored_utc
from anshin_lab.core.directive import SETTLING_OUTCOMES, category_rule
from anshin_lab.storage.schema import alert_events, alerts, incidents
from anshin_lab.workflow.decisions import decided_incidents
from anshin_lab.workflow.rules import BEFORE_SENT, TRANSITIONS, Action, Status, report_route

__all__ = ["Due", "due"]

OUTCOME_COLUMNS = ["alert_id", "category", "subject", "station", "sent_at", "days", "route"]
FOLLOWUP_COLUMNS = ["alert_id", "original_alert_id", "outcome", "status", "waiting_for", "station", "updated_at",
                    "route"]
UNREPORTED_COLUMNS = ["incident_id", "category", "occurred_at", "station", "hours", "route"]
DEAD = (Status.REJECTED.value, Status.WITHDRAWN.value)


class Due(NamedTuple):
    """The three lists of :func:`due`, each a frame with a ``route`` column."""

    awaiting_outcome: pd.DataFrame
    followups_owed: pd.DataFrame
    unreported: pd.DataFrame

    def empty(self) -> bool:
        return not (len(self.awaiting_outcome) or len(self.followups_owed) or len(self.unreported))


def route_text(category: str, at) -> str:
    """「desk(channel、note)」 of the report route for ``category`` at ``at``."""
    route = report_route(category, at)
    extra = "、".join(part for part in (route.channel, route.note) if part)
    return f"{route.desk}({extra})"


def due(engine: sa.Engine, now, *, outcome_age_days: int, unreported_hours: int,
        lookback_days: int | None = None) -> Due:
    """The alerts and incidents owing something at ``now`` (naive means Asia/Tokyo); see the module's notes.

    Examples
    --------
    >>> lists = due(engine, "2026-12-01 09:00", outcome_age_days=14, unreported_hours=24)  # doctest: +SKIP
    >>> lists.unreported[["incident_id", "route"]]  # doctest: +SKIP
    """
    now = pd.Timestamp(given_utc(now))
    with engine.connect() as conn:
        rows = [dict(r) for r in conn.execute(sa.select(
            alerts.c.alert_id, alerts.c.category, alerts.c.status, alerts.c.subject, alerts.c.station,
            alerts.c.original_alert_id, alerts.c.outcome, alerts.c.incident_ids, alerts.c.updated_at)).mappings()]
        sent_at = dict(conn.execute(sa.select(alert_events.c.alert_id, sa.func.min(alert_events.c.at))
                                    .where(alert_events.c.action == Action.SEND.value)
                                    .group_by(alert_events.c.alert_id)).all())
        decided = decided_incidents(conn)
        query = sa.select(incidents.c.incident_id, incidents.c.category, incidents.c.occurred_at, incidents.c.station)
        query = query.where(incidents.c.occurred_at <= (now - pd.Timedelta(hours=unreported_hours)).to_pydatetime())
        if lookback_days is not None:
            query = query.where(incidents.c.occurred_at >= (now - pd.Timedelta(days=lookback_days)).to_pydatetime())
        candidates = conn.execute(query.order_by(incidents.c.occurred_at, incidents.c.incident_id)).all()
    return Due(_awaiting(rows, sent_at, now, outcome_age_days), _followups(rows, now),
               _unreported(rows, decided, candidates, now))


def _awaiting(rows: list[dict], sent_at: dict, now: pd.Timestamp, age_days: int) -> pd.DataFrame:
    settled = {row["original_alert_id"] for row in rows
               if row["original_alert_id"] is not None and row["outcome"] in SETTLING_OUTCOMES
               and row["status"] not in DEAD}
    found = []
    for row in rows:
        if (row["original_alert_id"] is not None or row["status"] != Status.SENT.value
                or not category_rule(row["category"]).outcome_expected or row["alert_id"] in settled
                or row["alert_id"] not in sent_at):
            continue
        days = (now - stored_utc(sent_at[row["alert_id"]])).days
        if days >= age_days:
            found.append({**{k: row[k] for k in ("alert_id", "category", "subject", "station")},
                          "sent_at": stored_tokyo(sent_at[row["alert_id"]]), "days": days,
                          "route": route_text(row["category"], now)})
    return pd.DataFrame(found, columns=OUTCOME_COLUMNS)


def _followups(rows: list[dict], now: pd.Timestamp) -> pd.DataFrame:
    found = []
    for row in rows:
        status = Status(row["status"])
        if row["original_alert_id"] is None or status not in BEFORE_SENT:
            continue
        waiting = [action.label for (action, source), _ in TRANSITIONS.items()
                   if source == status and action not in (Action.SEND_BACK, Action.URGENT_APPROVE)]
        found.append({**{k: row[k] for k in ("alert_id", "original_alert_id", "outcome", "station")},
                      "status": status.value, "waiting_for": "・".join(waiting),
                      "updated_at": stored_tokyo(row["updated_at"]), "route": route_text(row["category"], now)})
    return pd.DataFrame(found, columns=FOLLOWUP_COLUMNS)


def _unreported(rows: list[dict], decided: set[str], candidates, now: pd.Timestamp) -> pd.DataFrame:
    alerted = {str(i) for row in rows for i in (row["incident_ids"] or ())}
    found = []
    for incident_id, category, occurred_at, station in candidates:
        if str(incident_id) in alerted or str(incident_id) in decided:
            continue
        found.append({"incident_id": str(incident_id), "category": category, "occurred_at": stored_tokyo(occurred_at),
                      "station": station, "hours": int((now - stored_utc(occurred_at)).total_seconds() // 3600),
                      "route": route_text(category, now)})
    return pd.DataFrame(found, columns=UNREPORTED_COLUMNS)
