"""Stopping a send: who may ask, the request the sender reads, and the sender's check between batches.

``anshin send stop`` (through the service) calls :func:`request_stop`: the
designated operator, the head of 生活安全企画課 or anyone who approved the
alert may ask, and the request is audited. A running send checks
(:class:`SendCheck`) at least every ``DeliveryOptions.check_interval_s``
seconds and every ``check_every`` messages: a stop request, and the whole
workflow gate again (the alert still ready, the operator still designated,
the approvals still valid for its content). Either one stops it; what was
sent stays recorded and the rest stays queued. A new send of the alert
clears the request (:func:`clear_stop`, audited as a resumption).
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

from anshin_lab.core.clock import utc_now
from anshin_lab.core.errors import AnshinError, PermissionDenied, WorkflowError
from anshin_lab.delivery.gate import clear_to_send
from anshin_lab.delivery.replies import describe_db_error
from anshin_lab.storage.store import alerts, send_controls
from anshin_lab.workflow import audit, authority
from anshin_lab.workflow.gates import signed_events
from anshin_lab.workflow.rules import Action, Role, Status
from anshin_lab.workflow.users import User, current_role, is_designated

APPROVALS = (Action.STATION_APPROVE.value, Action.HQ_APPROVE.value, Action.URGENT_APPROVE.value,
             Action.LATE_APPROVE.value)
REASON_LENGTH = 500


@dataclass(frozen=True)
class StopRequest:
    """A request to stop an alert's send: who asked, when, and why."""

    by: str
    at: dt.datetime
    reason: str

    def describe(self) -> str:
        why = f"(理由: {self.reason})" if self.reason else ""
        return f"{self.by} が送信の停止を求めました{why}"


def request_stop(engine: sa.Engine, user: User, alert_id: int, reason: str = "") -> None:
    """Ask the running send of ``alert_id`` to stop (within a few seconds); audited.

    Allowed to the designated operator, the head of 生活安全企画課 and the
    alert's approvers. ``PermissionDenied`` for anyone else (or outside the
    service), ``WorkflowError`` for an alert that does not exist or was sent.
    """
    authority.require()
    reason = " ".join(str(reason or "").split())[:REASON_LENGTH]
    with engine.begin() as conn:
        status = conn.execute(sa.select(alerts.c.status).where(alerts.c.alert_id == int(alert_id))).scalar()
        if status is None:
            raise WorkflowError(f"配信 #{alert_id} はありません")
        if not _may_stop(conn, user, int(alert_id)):
            raise PermissionDenied("送信を止められるのは、指定された発信操作担当者・生活安全企画課長・この配信の承認者です")
        if Status(status) in (Status.SENT, Status.CLOSED):
            raise WorkflowError(f"配信 #{alert_id} は送信を終えています(止める送信はありません)")
        conn.execute(send_controls.delete().where(send_controls.c.alert_id == int(alert_id)))
        conn.execute(send_controls.insert().values(alert_id=int(alert_id), stop_requested_at=utc_now(),
                                                   stop_requested_by=user.username, reason=reason))
        audit.append(conn, user.username, "send_stop", f"alert:{int(alert_id)}", {"reason": reason})


def _may_stop(conn: sa.Connection, user: User, alert_id: int) -> bool:
    role = current_role(conn, user)
    if role == Role.HQ_PLANNING_CHIEF:
        return True
    if role == Role.OPERATOR and is_designated(conn, user.username):
        return True
    # Only approvals the service signed count: a hand-written event row lends no authority, not even to stop.
    events = signed_events(conn, alert_id, authority.require().key)
    return any(event["actor"] == user.username and event["action"] in APPROVALS for event in events)


def stop_request(conn: sa.Connection, alert_id: int) -> StopRequest | None:
    """The standing request to stop the alert's send, or None."""
    row = conn.execute(sa.select(send_controls).where(send_controls.c.alert_id == int(alert_id),
                                                      send_controls.c.stop_requested_at.is_not(None))).first()
    if row is None:
        return None
    return StopRequest(row.stop_requested_by or "", row.stop_requested_at, row.reason or "")


def stop_requested(conn: sa.Connection, alert_id: int) -> bool:
    """Whether someone asked the alert's send to stop (and no send started since)."""
    return stop_request(conn, alert_id) is not None


def clear_stop(engine: sa.Engine, alert_id: int, operator: str) -> bool:
    """Drop the alert's stop request as a new send starts (the sender calls it, holding the send lock).

    Returns whether there was one; its removal is audited as the operator
    resuming the send.
    """
    with engine.begin() as conn:
        found = stop_request(conn, alert_id)
        if found is None:
            return False
        conn.execute(send_controls.delete().where(send_controls.c.alert_id == int(alert_id)))
        audit.append(conn, operator, "send_resume", f"alert:{int(alert_id)}",
                     {"stopped_by": found.by, "stopped_at": found.at})
    return True


class SendCheck:
    """The sender's check between batches: a stop request, then the workflow gate; the reason to stop, or None.

    A database that cannot be read for ``grace_s`` seconds also stops the
    send: it could no longer learn of a withdrawal.
    """

    def __init__(self, engine: sa.Engine, user: User, alert_id: int, grace_s: float = 5.0):
        self.engine = engine
        self.user = user
        self.alert_id = int(alert_id)
        self.grace_s = grace_s
        self.last_ok = time.monotonic()
        self.checks = 0

    def __call__(self) -> str | None:
        self.checks += 1
        try:
            with self.engine.connect() as conn:
                found = stop_request(conn, self.alert_id)
            if found is not None:
                return f"送信を止めました: {found.describe()}"
            clear_to_send(self.engine, self.user, self.alert_id)
        except AnshinError as exc:
            return f"送信を止めました: 発信の条件を満たさなくなりました({exc})"
        except SQLAlchemyError as exc:
            if time.monotonic() - self.last_ok > self.grace_s:
                return f"送信を止めました: 発信を続けてよいか確かめられません({describe_db_error(exc)})"
            return None
        self.last_ok = time.monotonic()
        return None
