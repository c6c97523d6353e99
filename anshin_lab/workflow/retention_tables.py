"""What retention does to each table that holds personal data: delete the row, or keep it and blank its personal fields.

One :class:`TableKind` per kind, in the order ``retention.purge`` runs them,
each a function of (connection, cutoff as aware UTC, dry_run) that returns a
:class:`Swept` (rows removed or blanked; with a dry run, the rows it would
touch). What is kept and why:

- incidents and fraud calls (by when they happened) are deleted; their monthly
  counts are added to ``incident_counts`` / ``fraud_call_counts`` first, so the
  statistics survive. No-send decisions on incidents (``incident_decisions``,
  whose reason is free text) go by their date.
- consents of alerts that are over (sent, closed, rejected, withdrawn), by when
  they were recorded: who consented, how and when is about the victim.
- alerts that are over and last changed before the cutoff keep their public
  facts (category, level, areas, dates, recipient count, status) and lose
  their texts (subject, body, public text, override reasons), which a lint may
  have missed a name in. Their approvals no longer match the content, which
  is right: they can never be sent again.
- members who unsubscribed, were suppressed after bounces, or never confirmed
  keep their row (deliveries refer to it) and lose their address, counted
  from when they left. The directive names no shorter period for members, and
  the outbox keeps the address it delivered to for the same period.
- outbox rows and bounces keep state, codes and times, and lose the address and
  the relay's reply (a reply often quotes the address).
- login sessions that expired before the cutoff are deleted (the audit log
  keeps the logins).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Callable

import pandas as pd
import sqlalchemy as sa

from anshin_lab.storage.schema import (
    alerts, bounces, consents, fraud_call_counts, fraud_calls, incident_counts, incident_decisions, incidents,
    members, outbox, sessions,
)
from anshin_lab.workflow.rules import BEFORE_SENT, Status

# What a blanked text says, in the alert's subject, body and public text.
ERASED_TEXT = "(保存期間を過ぎたため削除しました)"
# Where a member's address was: empty, and a key that can never collide with an imported address.
ERASED_KEY_PREFIX = "erased:"
# Delete in chunks, so a 5-year backlog never builds one enormous IN (...) list.
CHUNK = 500
# Alerts that are over: nothing will be sent for them again.
OVER = tuple(sorted(status.value for status in Status if status not in BEFORE_SENT))
# Members who left: unsubscribed, or suppressed after bounces.
LEFT = ("unsubscribed", "bounced")


@dataclass
class Swept:
    """What one kind removed (or would remove): rows, and the monthly counts it kept for them."""

    rows: int
    counts: pd.DataFrame | None = None


@dataclass(frozen=True)
class TableKind:
    """A kind of personal data in the database: its name in reports and the audit log, its label, its sweep."""

    name: str
    label: str
    sweep: Callable[[sa.Connection, dt.datetime, bool], Swept]


def sweep_incidents(conn: sa.Connection, cutoff: dt.datetime, dry_run: bool) -> Swept:
    old = _frame(conn, sa.select(incidents.c.incident_id, incidents.c.occurred_at, incidents.c.category,
                                 incidents.c.station).where(incidents.c.occurred_at < cutoff))
    counts = monthly_counts(old, ["category", "station"])
    if not dry_run and len(old):
        _fold(conn, incident_counts, counts, ["month", "category", "station"], ["count"])
        _delete(conn, incidents, incidents.c.incident_id, list(old["incident_id"]))
    return Swept(len(old), counts)


def sweep_fraud_calls(conn: sa.Connection, cutoff: dt.datetime, dry_run: bool) -> Swept:
    old = _frame(conn, sa.select(fraud_calls.c.call_id, fraud_calls.c.occurred_at, fraud_calls.c.city_code,
                                 fraud_calls.c.station, fraud_calls.c.method, fraud_calls.c.outcome,
                                 fraud_calls.c.loss_yen).where(fraud_calls.c.occurred_at < cutoff))
    counts = monthly_counts(old, ["city_code", "station", "method", "outcome"], sums="loss_yen")
    if not dry_run and len(old):
        _fold(conn, fraud_call_counts, counts, ["month", "city_code", "station", "method", "outcome"],
              ["count", "loss_yen"])
        _delete(conn, fraud_calls, fraud_calls.c.call_id, list(old["call_id"]))
    return Swept(len(old), counts)


def sweep_decisions(conn: sa.Connection, cutoff: dt.datetime, dry_run: bool) -> Swept:
    return _delete_where(conn, incident_decisions, incident_decisions.c.decided_at < cutoff, dry_run)


def sweep_consents(conn: sa.Connection, cutoff: dt.datetime, dry_run: bool) -> Swept:
    over = sa.select(alerts.c.alert_id).where(alerts.c.status.in_(OVER))
    return _delete_where(conn, consents, (consents.c.recorded_at < cutoff) & consents.c.alert_id.in_(over), dry_run)


def sweep_alert_texts(conn: sa.Connection, cutoff: dt.datetime, dry_run: bool) -> Swept:
    where = (alerts.c.status.in_(OVER) & (alerts.c.updated_at < cutoff)
             & ((alerts.c.subject != ERASED_TEXT) | (alerts.c.body != ERASED_TEXT)))
    return _update_where(conn, alerts, where, dry_run, subject=ERASED_TEXT, body=ERASED_TEXT, public_text=ERASED_TEXT,
                         lint_override_reason=_blank_if_set(alerts.c.lint_override_reason),
                         level_override_reason=_blank_if_set(alerts.c.level_override_reason))


def sweep_member_addresses(conn: sa.Connection, cutoff: dt.datetime, dry_run: bool) -> Swept:
    left_at = sa.func.coalesce(members.c.unsubscribed_at, members.c.suppressed_at, members.c.updated_at)
    gone = (members.c.status.in_(LEFT) & (left_at < cutoff)) | \
           ((members.c.status == "pending") & (members.c.created_at < cutoff))
    return _update_where(conn, members, gone & (members.c.email != ""), dry_run, email="", domain="",
                         email_key=sa.literal(ERASED_KEY_PREFIX) + members.c.member_id, content_hash=None,
                         confirm_token_hash=None, confirm_expires_at=None)


def sweep_outbox_addresses(conn: sa.Connection, cutoff: dt.datetime, dry_run: bool) -> Swept:
    return _update_where(conn, outbox, (outbox.c.queued_at < cutoff) & (outbox.c.email != ""), dry_run,
                         email="", domain="", last_reply=None)


def sweep_bounce_replies(conn: sa.Connection, cutoff: dt.datetime, dry_run: bool) -> Swept:
    return _update_where(conn, bounces, (bounces.c.at < cutoff) & bounces.c.reply.is_not(None), dry_run, reply=None)


def sweep_sessions(conn: sa.Connection, cutoff: dt.datetime, dry_run: bool) -> Swept:
    return _delete_where(conn, sessions, sessions.c.expires_at < cutoff, dry_run)


TABLE_KINDS = (
    TableKind("incidents", "事案", sweep_incidents),
    TableKind("incident_decisions", "配信しない判断", sweep_decisions),
    TableKind("fraud_calls", "うそ電話の記録", sweep_fraud_calls),
    TableKind("consents", "承諾・公表要請書の記録", sweep_consents),
    TableKind("alert_texts", "終わった配信の本文", sweep_alert_texts),
    TableKind("member_addresses", "退会・停止した会員のアドレス", sweep_member_addresses),
    TableKind("outbox_addresses", "送信記録のアドレス", sweep_outbox_addresses),
    TableKind("bounce_replies", "不達の応答文", sweep_bounce_replies),
    TableKind("sessions", "ログインの記録(期限切れ)", sweep_sessions),
)


def monthly_counts(frame: pd.DataFrame, keys: list[str], *, sums: str | None = None) -> pd.DataFrame:
    """Rows per month (Asia/Tokyo, ``YYYY-MM`` of ``occurred_at``) and ``keys``; with ``sums``, that column summed.

    An empty key (no station, say) counts as 「不明」.
    """
    columns = ["month", *keys, "count", *([sums] if sums else [])]
    if frame.empty:
        return pd.DataFrame(columns=columns)
    stamps = pd.to_datetime(frame["occurred_at"])
    stamps = stamps.dt.tz_localize("UTC") if stamps.dt.tz is None else stamps
    table = pd.DataFrame({"month": stamps.dt.tz_convert("Asia/Tokyo").dt.strftime("%Y-%m")})
    for key in keys:
        table[key] = frame[key].fillna("不明").astype(str).replace("", "不明").to_numpy()
    table["count"] = 1
    if sums:
        table[sums] = pd.to_numeric(frame[sums], errors="coerce").fillna(0).astype("int64").to_numpy()
    grouped = table.groupby(["month", *keys], as_index=False).sum()
    return grouped.sort_values(["month", *keys]).reset_index(drop=True)[columns]


def _frame(conn: sa.Connection, query) -> pd.DataFrame:
    result = conn.execute(query)
    return pd.DataFrame(result.mappings().all(), columns=list(result.keys()))


def _fold(conn: sa.Connection, table: sa.Table, counts: pd.DataFrame, keys: list[str], values: list[str]) -> None:
    """Add ``counts`` to the kept counts in ``table`` (a row per key; a later purge of the same month adds to it)."""
    for row in counts.to_dict("records"):
        key = sa.and_(*(table.c[k] == row[k] for k in keys))
        current = conn.execute(sa.select(*(table.c[v] for v in values)).where(key)).first()
        if current is None:
            conn.execute(table.insert().values(**{k: row[k] for k in keys}, **{v: int(row[v]) for v in values}))
        else:
            conn.execute(table.update().where(key).values(**{v: current[i] + int(row[v])
                                                             for i, v in enumerate(values)}))


def _delete(conn: sa.Connection, table: sa.Table, column, ids: list) -> None:
    for start in range(0, len(ids), CHUNK):
        conn.execute(table.delete().where(column.in_(ids[start:start + CHUNK])))


def _count(conn: sa.Connection, table: sa.Table, where) -> int:
    return int(conn.execute(sa.select(sa.func.count()).select_from(table).where(where)).scalar())


def _delete_where(conn: sa.Connection, table: sa.Table, where, dry_run: bool) -> Swept:
    if dry_run:
        return Swept(_count(conn, table, where))
    return Swept(conn.execute(table.delete().where(where)).rowcount)


def _update_where(conn: sa.Connection, table: sa.Table, where, dry_run: bool, **values) -> Swept:
    if dry_run:
        return Swept(_count(conn, table, where))
    return Swept(conn.execute(table.update().where(where).values(**values)).rowcount)


def _blank_if_set(column):
    """A reason that was given becomes ``ERASED_TEXT``; none stays none."""
    return sa.case((column.is_(None), None), else_=sa.literal(ERASED_TEXT))
