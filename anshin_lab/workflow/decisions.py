"""Decisions not to mail an incident: the other half of 報告漏れ防止 (directive §7).

Every incident ends with an alert or with a recorded decision not to send
one; ``due`` lists those with neither. A decision is the station chief's
(§5(1)), or the head of 生活安全企画課's, with a reason, signed by the service
and audited; an incident that already has an alert in play is decided on that
alert (reject or withdraw), not here.
"""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa

from anshin_lab.core.clock import utc_now
from anshin_lab.core.errors import PermissionDenied, WorkflowError
from anshin_lab.storage.schema import incident_decisions, incidents
from anshin_lab.workflow import audit, authority, stations
from anshin_lab.workflow.alerts import live_alert
from anshin_lab.workflow.rules import COMMANDS, NO_SEND_ROLES, Action, Role
from anshin_lab.workflow.signatures import decision_valid, sign_decision
from anshin_lab.workflow.users import User, current_affiliation

NO_SEND = "no_send"
COLUMNS = ["decision_id", "incident_id", "decision", "reason", "decided_by", "role", "decided_at"]


def record_no_send(engine: sa.Engine, user: User, incident_id: str, reason: str) -> int:
    """Record that ``incident_id`` is not to be mailed, with ``reason``; returns the decision's number.

    Refused (``PermissionDenied``) for a role other than the station chief
    (of the incident's station) or the head of 生活安全企画課; refused
    (``WorkflowError``) without a reason, for an incident not stored, or for
    one whose alert is still in play (that alert is rejected or withdrawn).
    """
    key = authority.require().key
    if not reason or not reason.strip():
        raise WorkflowError("発信しない理由を記録してください(--reason)")
    incident_id = str(incident_id)
    with engine.begin() as conn:
        role, affiliation = current_affiliation(conn, user)
        if role not in NO_SEND_ROLES:
            allowed = "・".join(r.label for r in sorted(NO_SEND_ROLES, key=list(Role).index))
            raise PermissionDenied(f"{role.label}は事案を発信しないと決められません(決めるのは{allowed})")
        row = conn.execute(sa.select(incidents.c.station).where(incidents.c.incident_id == incident_id)).first()
        if row is None:
            raise WorkflowError(f"事案番号「{incident_id}」は登録されていません(anshin incidents import で取り込みます)")
        stations.require_station(role, affiliation, row.station, username=user.username, what=f"事案 {incident_id}")
        existing = live_alert(conn, [incident_id])
        if existing is not None:
            raise WorkflowError(f"事案 {incident_id} には配信 #{existing.alert_id}({existing.status.label})があります"
                                f"(発信しないなら {COMMANDS[Action.REJECT]} {existing.alert_id} --reason …)")
        values = {"incident_id": incident_id, "decision": NO_SEND, "reason": reason, "decided_by": user.username,
                  "role": role.value, "decided_at": utc_now()}
        decision_id = conn.execute(incident_decisions.insert().values(
            **values, signature=sign_decision(key, values))).inserted_primary_key[0]
        audit.append(conn, user.username, "incident_no_send", f"incident:{incident_id}",
                     {"reason": reason, "station": row.station, "decision_id": decision_id})
    return decision_id


def decided_incidents(conn: sa.Connection) -> set[str]:
    """The incidents with a decision not to send.

    In the service (the key installed) only signed decisions count; elsewhere
    (``anshin alerts due`` reading the database, as ``alerts list`` does) what
    the database says: the list is a reminder, never a gate.
    """
    rows = conn.execute(sa.select(incident_decisions)).mappings().all()
    installed = authority.current()
    return {str(row["incident_id"]) for row in rows if installed is None or decision_valid(installed.key, row)}


def list_decisions(engine: sa.Engine) -> pd.DataFrame:
    """Every recorded decision not to send, oldest first (in the service, a row it did not sign is left out)."""
    installed = authority.current()
    with engine.connect() as conn:
        rows = conn.execute(sa.select(incident_decisions).order_by(incident_decisions.c.decision_id)).mappings().all()
    kept = [row for row in rows if installed is None or decision_valid(installed.key, row)]
    return pd.DataFrame([{c: row[c] for c in COLUMNS} for row in kept], columns=COLUMNS)
