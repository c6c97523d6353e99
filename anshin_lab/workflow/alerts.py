"""Stored alerts and their approval steps, each one transaction with an audit entry.

The rules are in ``workflow``; this module applies them to the database. The
role is re-read from the database at every step, so a role changed after
login counts. An alert reaches ``ready`` only through the gates: every
required approval, consent where the directive asks for it, a clean privacy
lint (or an approver's recorded override) and a place no finer than assessed
(or the recorded overrides of two approvers in different roles, over an area of
at least k households). Only a designated operator sends.

Every step is a write the service signs (``authority.require()`` first: a
process without the service's key gets ``PermissionDenied``). Each event is
stored with the hash of the alert's content at that moment and the service's
signature, each consent with its signature; the gates (``gates``) count only
signed rows over the current content, so approvals cannot be forged in the
database and text changed after approval is never sent.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa

from anshin_lab.core.clock import given_utc, stored_tokyo, utc_now
from anshin_lab.core.directive import (
    CONSENT_KINDS,
    CONSENT_METHODS,
    FOLLOWUP_OUTCOMES,
    PREF_CODE,
    consent_requirements,
)
from anshin_lab.core.errors import PermissionDenied, WorkflowError
from anshin_lab.core.granularity import Granularity
from anshin_lab.drafting.languages.check import version_findings
from anshin_lab.drafting.languages.published import build_published_fields, published_problems
from anshin_lab.privacy import Decision
from anshin_lab.storage.store import alert_events, alerts, consents, fraud_calls, incidents
from anshin_lab.workflow import audit, authority, gates, stations
from anshin_lab.workflow.rules import BEFORE_SENT, COMMANDS, LIVE, PERMISSIONS, Action, Judgement, Role, Status, check
from anshin_lab.workflow.signatures import content_hash, sign_consent, sign_event
from anshin_lab.workflow.users import User, current_affiliation, current_role


@dataclass(frozen=True)
class Alert:
    """An alert as stored (``level``/``assessed_level`` are Granularity names)."""

    alert_id: int
    category: str
    status: Status
    subject: str
    body: str
    level: Granularity
    assessed_level: Granularity
    public_text: str
    area_codes: dict
    incident_ids: list
    original_alert_id: int | None
    urgent: bool
    created_by: str
    recipients: int | None = None
    station: str | None = None  # whose alert it is, as recorded when drafted (``stations.alert_station`` decides)
    outcome: str | None = None  # a follow-up's outcome
    published_fields: dict | None = None  # what it publishes as structured values (None: an alert older than them)


def create_alert(engine: sa.Engine, user: User, *, category: str | None, subject: str, body: str, level,
                 public_text: str, assessed_level=None, area_codes: dict | None = None, incident_ids=(),
                 original_alert_id: int | None = None, urgent: bool = False, supersede: int | None = None,
                 outcome: str | None = None, published_fields: dict | None = None) -> int:
    """Store a new draft and return its id (analysts of the alert's station, or of HQ).

    ``level`` is the granularity the draft publishes, ``assessed_level`` the
    privacy guard's decision (the same when None). A follow-up names its
    original, which must have been sent; it keeps the original's category
    (``category`` None takes it; another one is refused), and so its consent,
    and says its ``outcome`` (one of ``FOLLOWUP_OUTCOMES``).

    One live alert per incident (``rules.LIVE``; for a follow-up, one unsent
    follow-up per original): a second is refused with the existing alert's
    number and state unless ``supersede`` names that alert, which is then
    withdrawn (「#N に差し替え」) in the same transaction.

    ``published_fields`` (``drafting.AlertDraft.published_fields``) are
    stored when they fit the alert's content (``WorkflowError`` naming the
    field otherwise); None derives them here from the stored incidents (or
    fraud calls) it names, its place and, for a follow-up, its original's.
    Either way they are signed with the content the approvals approve.
    """
    key = authority.require().key
    level = Granularity.parse(level)
    assessed = Granularity.parse(assessed_level) if assessed_level is not None else level
    if outcome is not None and (original_alert_id is None or outcome not in FOLLOWUP_OUTCOMES):
        raise WorkflowError(f"結果「{outcome}」は続報にだけ付けます(使えるのは {'・'.join(FOLLOWUP_OUTCOMES)})")
    with engine.begin() as conn:
        role, affiliation = current_affiliation(conn, user)
        _require(role, Action.CREATE)
        station = stations.content_station(conn, area_codes, incident_ids)
        if original_alert_id is not None:
            original = _load(conn, original_alert_id)
            if original.status not in (Status.SENT, Status.CLOSED):
                raise WorkflowError(f"続報の元の配信(#{original_alert_id})はまだ発信されていません")
            if category is not None and category != original.category:
                raise WorkflowError(f"続報の分類は元の配信(#{original_alert_id})と同じ「{original.category}」にしてください"
                                    f"(「{category}」では承諾の要否が変わります)")
            category = original.category
            station = station or stations.alert_station(conn, original)
        if category is None:
            raise WorkflowError("配信の分類を指定してください")
        mine = stations.effective_affiliation(role, affiliation)
        station = station or (mine if stations.is_station(mine) else None)
        stations.require_station(role, affiliation, station, username=user.username)
        existing = live_alert(conn, incident_ids, original_alert_id)
        if existing is not None and (existing.alert_id != supersede or existing.status not in BEFORE_SENT):
            raise WorkflowError(_already_live(existing, incident_ids, original_alert_id))
        if supersede is not None and existing is None:
            raise WorkflowError(f"差し替える配信 #{supersede} は、この事案の処理中の配信ではありません"
                                "(差し替えなしで起案してください)")
        fields = _published_for(conn, published_fields, category=category, level=level, public_text=public_text,
                                area_codes=area_codes, incident_ids=incident_ids, outcome=outcome,
                                original=original if original_alert_id is not None else None)
        now = utc_now()
        alert_id = conn.execute(alerts.insert().values(
            category=category, status=Status.DRAFT.value, subject=subject, body=body, level=level.name,
            assessed_level=assessed.name, public_text=public_text, area_codes=dict(area_codes or {}),
            incident_ids=list(incident_ids), original_alert_id=original_alert_id, urgent=bool(urgent),
            created_by=user.username, created_at=now, updated_at=now, station=station,
            outcome=outcome, published_fields=fields)).inserted_primary_key[0]
        details = {"station": station, "supersedes": supersede, "outcome": outcome}
        _event(conn, key, alert_id, Action.CREATE, None, Status.DRAFT, user, role, details=details)
        audit.append(conn, user.username, "alert_create", f"alert:{alert_id}",
                     {"category": category, "level": level.name, "original": original_alert_id, **details})
        if existing is not None:
            _withdraw_superseded(conn, key, user, role, affiliation, existing, alert_id)
    return alert_id


def _published_for(conn, given, *, category, level, public_text, area_codes, incident_ids, outcome, original):
    """The published fields to store with a new alert: ``given`` once checked, else derived from stored rows."""
    original_id = original.alert_id if original is not None else None
    if given is not None:
        problems = published_problems(given, category=category, level=level, public_text=public_text,
                                      outcome=outcome, original_alert_id=original_id)
        if problems:
            raise WorkflowError(problems[0])
        return dict(given)
    ids = [str(i) for i in incident_ids or ()]
    records = []
    if ids:
        records = [dict(r) for r in conn.execute(sa.select(incidents).where(incidents.c.incident_id.in_(ids))).mappings()]
        found = {r["incident_id"] for r in records}
        rest = [i for i in ids if i not in found]
        if rest:
            records += [dict(r) for r in conn.execute(
                sa.select(fraud_calls).where(fraud_calls.c.call_id.in_(rest))).mappings()]
    for record in records:  # stored as UTC (naive on SQLite): the day and band are Asia/Tokyo's
        record["occurred_at"] = stored_tokyo(record["occurred_at"]) if record.get("occurred_at") is not None else None
    return build_published_fields(
        category=category, level=level, public_text=public_text, records=records,
        station=(area_codes or {}).get("station"), outcome=outcome, original_alert_id=original_id,
        base=published_fields(original) if original is not None else None)


def published_fields(alert_row) -> dict:
    """What an alert publishes as structured values (``drafting.languages.published.PUBLISHED_KEYS``).

    ``alert_row``: an ``Alert`` or a row mapping of ``alerts``. Reads the
    stored column; for an alert drafted before it existed, the part its row
    gives (category, level, published area, station, follow-up), never free text.
    """
    def value(name):
        return alert_row.get(name) if isinstance(alert_row, dict) or hasattr(alert_row, "keys") else getattr(
            alert_row, name, None)

    stored = value("published_fields")
    if stored:
        return dict(stored)
    level = value("level")
    return build_published_fields(
        category=value("category"), level=level.name if isinstance(level, Granularity) else level,
        public_text=value("public_text") or "", station=(value("area_codes") or {}).get("station"),
        outcome=value("outcome"), original_alert_id=value("original_alert_id"))


def live_alert(conn, incident_ids, original_alert_id: int | None = None) -> "Alert | None":
    """The alert still in play for the same stored incidents (an original: not rejected, withdrawn or closed), if any.

    For a follow-up: another follow-up of the same original not yet sent
    (follow-ups that were sent make room for the next one, e.g. 訂正 then 検挙).
    """
    if original_alert_id is not None:
        found = conn.execute(sa.select(alerts.c.alert_id).where(
            alerts.c.original_alert_id == original_alert_id,
            alerts.c.status.in_([s.value for s in BEFORE_SENT])).order_by(alerts.c.alert_id)).scalar()
        return None if found is None else _load(conn, found)
    # Incidents only: a fraud summary names the calls it counts (another table), and two summaries may share them.
    wanted = {str(i) for i in incident_ids or ()}
    wanted = set(conn.execute(sa.select(incidents.c.incident_id).where(incidents.c.incident_id.in_(wanted))).scalars())
    if not wanted:
        return None
    rows = conn.execute(sa.select(alerts.c.alert_id, alerts.c.incident_ids).where(
        alerts.c.original_alert_id.is_(None), alerts.c.status.in_([s.value for s in LIVE]))
        .order_by(alerts.c.alert_id)).all()
    found = next((alert_id for alert_id, ids in rows if wanted & {str(i) for i in ids or ()}), None)
    return None if found is None else _load(conn, found)


def _already_live(existing: "Alert", incident_ids, original_alert_id) -> str:
    if original_alert_id is not None:
        what = f"元の配信 #{original_alert_id} には未発信の続報"
    else:
        shared = sorted({str(i) for i in incident_ids} & {str(i) for i in existing.incident_ids})
        what = f"事案 {'・'.join(shared)} には配信"
    how = (f"その配信を修正する({COMMANDS[Action.EDIT]} {existing.alert_id})か、差し替えるなら supersede に"
           f" #{existing.alert_id} を指定してください(anshin alerts create … --supersede {existing.alert_id})")
    if existing.status not in BEFORE_SENT:
        how = f"発信済みの配信には続報を起案してください(anshin alerts followup {existing.alert_id})"
    return f"{what} #{existing.alert_id}({existing.status.label})があります。{how}"


def _withdraw_superseded(conn, key, user: User, role: Role, affiliation, old: "Alert", new_id: int) -> None:
    """Withdraw ``old`` in the transaction that stored its replacement ``new_id`` (an analyst of its station)."""
    to = check(Action.WITHDRAW, role, old.status, category=old.category, urgent=old.urgent)
    stations.require_station(role, affiliation, stations.alert_station(conn, old), alert_id=old.alert_id,
                             username=user.username)
    reason = f"#{new_id} に差し替え"
    conn.execute(alerts.update().where(alerts.c.alert_id == old.alert_id).values(status=to.value, updated_at=utc_now()))
    _event(conn, key, old.alert_id, Action.WITHDRAW, old.status, to, user, role, reason, {"superseded_by": new_id})
    audit.append(conn, user.username, f"alert_{Action.WITHDRAW.value}", f"alert:{old.alert_id}",
                 {"from": old.status.value, "to": to.value, "reason": reason, "superseded_by": new_id})


def get_alert(engine: sa.Engine, alert_id: int) -> Alert:
    """One alert; ``WorkflowError`` when there is none."""
    with engine.connect() as conn:
        return _load(conn, alert_id)


def list_alerts(engine: sa.Engine, status: str | None = None) -> pd.DataFrame:
    """Alerts (id, category, status, subject, level, public text, station, dates), newest first.

    ``station`` is the one recorded when drafted (None: 本部, prefecture-wide).
    """
    query = sa.select(alerts.c.alert_id, alerts.c.category, alerts.c.status, alerts.c.subject, alerts.c.level,
                      alerts.c.public_text, alerts.c.station, alerts.c.original_alert_id, alerts.c.created_by,
                      alerts.c.updated_at)
    if status is not None:
        query = query.where(alerts.c.status == Status(status).value)
    with engine.connect() as conn:
        rows = conn.execute(query.order_by(alerts.c.alert_id.desc())).mappings().all()
    return pd.DataFrame(rows, columns=["alert_id", "category", "status", "subject", "level", "public_text", "station",
                                       "original_alert_id", "created_by", "updated_at"])


PUBLISHED = (Status.SENT, Status.CLOSED)


def published_decisions(engine: sa.Engine, areas, statuses=PUBLISHED) -> list[tuple]:
    """(Decision, public info) of sent alerts, for the public map: the published area and text only.

    The decision is rebuilt from the alert's stored level and area codes, so
    the map shows exactly what was mailed; follow-ups share their original's place.
    """
    frame = list_alerts(engine)
    frame = frame[frame["status"].isin([Status(s).value for s in statuses]) & frame["original_alert_id"].isna()]
    pairs = []
    with engine.connect() as conn:
        for alert_id in frame["alert_id"]:
            alert = _load(conn, int(alert_id))
            area_level = max(alert.level, Granularity.CHOME)
            column = {Granularity.CHOME: "chome_code", Granularity.TOWN: "town_code", Granularity.CITY: "city_code"}
            code = alert.area_codes.get(column.get(area_level, ""), PREF_CODE) if area_level < Granularity.PREF else PREF_CODE
            if code is None:
                continue
            decision = Decision(alert.level, code, areas.name(area_level, code), areas.households(area_level, code),
                                alert.public_text, ())
            sent_at = conn.execute(sa.select(alert_events.c.at).where(
                alert_events.c.alert_id == alert.alert_id, alert_events.c.action == Action.SEND.value)).scalar()
            sent_on = stored_tokyo(sent_at)
            pairs.append((decision, {"category": alert.category, "date": sent_on, "title": alert.subject}))
    return pairs


def history(engine: sa.Engine, alert_id: int) -> pd.DataFrame:
    """Every step of an alert: who did what, when, and why."""
    with engine.connect() as conn:
        rows = conn.execute(sa.select(alert_events).where(alert_events.c.alert_id == alert_id)
                            .order_by(alert_events.c.event_id)).mappings().all()
    return pd.DataFrame(rows, columns=[c.name for c in alert_events.columns])


# -- steps ---------------------------------------------------------------------------

def edit(engine: sa.Engine, user: User, alert_id: int, *, subject: str | None = None, body: str | None = None) -> None:
    """Change a draft's text (analysts, drafts only)."""
    values = {k: v for k, v in {"subject": subject, "body": body}.items() if v is not None}
    _step(engine, user, alert_id, Action.EDIT, values=values, details={"fields": sorted(values)})


def submit(engine: sa.Engine, user: User, alert_id: int) -> None:
    """Hand a draft to the station chief."""
    _step(engine, user, alert_id, Action.SUBMIT)


def approve_station(engine: sa.Engine, user: User, alert_id: int, judgement: Judgement) -> Status:
    """The station chief's send / no-send judgement (§5(1)); a 'no' answer rejects the alert."""
    problems = judgement.problems()
    details = {"judgement": dataclasses.asdict(judgement)}
    if judgement.decision != "send" or problems:
        reason = "署長判断: 発信しない" + (f"({'、'.join(problems)})" if problems else "")
        return _step(engine, user, alert_id, Action.REJECT, reason=reason, details=details)
    return _step(engine, user, alert_id, Action.STATION_APPROVE, details=details)


def approve(engine: sa.Engine, user: User, alert_id: int, *, comment: str = "", judgement: Judgement | None = None) -> None:
    """The approval step that belongs to the user's role (for the CLI and the forms)."""
    authority.require()
    with engine.connect() as conn:
        role = current_role(conn, user)
    if role == Role.STATION_CHIEF:
        if judgement is None:
            raise WorkflowError("署長の決裁には判断の記録(被害者の特定・固有名称・粒度・捜査への支障)が必要です")
        approve_station(engine, user, alert_id, judgement)
    elif role == Role.HQ_DIVISION_CHIEF:
        consult(engine, user, alert_id, comment or "協議済み")
    elif role == Role.HQ_PLANNING_CHIEF:
        approve_hq(engine, user, alert_id, comment)
    elif role == Role.DUTY_OFFICER:
        approve_urgent(engine, user, alert_id, comment or "緊急発信")
    else:
        raise PermissionDenied(f"{role.label}は承認できません")


def send_back(engine: sa.Engine, user: User, alert_id: int, reason: str) -> None:
    """差し戻し: an approver returns the alert to its analyst as a draft, with a reason (before the HQ approval is used).

    The analyst changes it (``edit``) and submits it again; every approval is
    then given again (approvals count only over the content they approved).
    """
    _step(engine, user, alert_id, Action.SEND_BACK, reason=_required(reason))


def consult(engine: sa.Engine, user: User, alert_id: int, opinion: str) -> None:
    """The HQ division chief's view, recorded for the head of 生活安全企画課 (§5(1)イ)."""
    _step(engine, user, alert_id, Action.CONSULT, reason=opinion)


def approve_hq(engine: sa.Engine, user: User, alert_id: int, comment: str = "") -> None:
    """The head of 生活安全企画課 approves, after the consultation the station chief asked for."""
    _step(engine, user, alert_id, Action.HQ_APPROVE, reason=comment, gate=_consulted)


def approve_urgent(engine: sa.Engine, user: User, alert_id: int, comment: str) -> None:
    """The HQ duty officer approves a fugitive alert at once; the normal approvals follow later."""
    _step(engine, user, alert_id, Action.URGENT_APPROVE, reason=comment, values={"urgent": True})


def approve_late(engine: sa.Engine, user: User, alert_id: int, comment: str) -> None:
    """Record a station chief's or HQ approval after an urgent release."""
    _step(engine, user, alert_id, Action.LATE_APPROVE, reason=comment, gate=_urgent_only)


def record_consent(engine: sa.Engine, user: User, alert_id: int, *, kind: str, given_at, method: str, scope: str,
                   anshin_mail_ticked: bool = False) -> None:
    """Record consent (本人 / 保護者) or the 公表要請書 (with 「県警あんしんメール」 ticked), signed by the service."""
    authority.require()
    if kind not in CONSENT_KINDS:
        raise WorkflowError(f"同意の種類「{kind}」は使えません({'・'.join(CONSENT_KINDS)})")
    if method not in CONSENT_METHODS:
        raise WorkflowError(f"確認方法「{method}」は使えません({'・'.join(CONSENT_METHODS)})")
    if not scope.strip():
        raise WorkflowError("同意の範囲を記録してください")
    given = given_utc(given_at)

    def write(conn, alert, user_, key):
        acceptable = set().union(*consent_requirements(alert.category, gates.victim_minors(conn, alert)))
        if acceptable and kind not in acceptable:
            raise WorkflowError(f"配信 #{alert.alert_id} に必要なのは{'・'.join(sorted(acceptable))}の承諾です"
                                f"(「{kind}」は使えません: 未成年の被害者は保護者、成人は本人、行方不明者は公表要請書)")
        values = dict(alert_id=alert.alert_id, kind=kind, given_at=given, method=method, scope=scope,
                      anshin_mail_ticked=bool(anshin_mail_ticked), recorded_by=user.username, recorded_at=utc_now())
        conn.execute(consents.insert().values(**values, signature=sign_consent(key, values)))

    _step(engine, user, alert_id, Action.RECORD_CONSENT, gate=write,
          details={"kind": kind, "method": method, "scope": scope, "ticked": bool(anshin_mail_ticked)})


def override(engine: sa.Engine, user: User, alert_id: int, *, what: str, reason: str) -> None:
    """An approver accepts a lint finding (``what="lint"``) or a finer place (``what="level"``), with a reason.

    A finer place counts only once two approvers of different roles have
    each recorded their override over the same content (``gates.require_finer_level``).
    """
    if what not in ("lint", "level"):
        raise WorkflowError("override できるのは lint と level だけです")
    if not reason or not reason.strip():
        raise WorkflowError("理由を記録してください")
    _step(engine, user, alert_id, Action.OVERRIDE, reason=reason, details={"what": what},
          values={f"{what}_override_by": user.username, f"{what}_override_reason": reason})


def prepare(engine: sa.Engine, user: User, alert_id: int) -> None:
    """Move an approved alert to ``ready`` through every gate."""
    _step(engine, user, alert_id, Action.PREPARE, gate=_ready_gate)


def mark_sent(engine: sa.Engine, user: User, alert_id: int, recipients: int) -> None:
    """Record the release of a ready alert by a designated operator."""
    _step(engine, user, alert_id, Action.SEND, gate=_send_gate, values={"recipients": int(recipients)},
          details={"recipients": int(recipients)})


def close(engine: sa.Engine, user: User, alert_id: int) -> None:
    """Close a sent alert."""
    _step(engine, user, alert_id, Action.CLOSE)


def reject(engine: sa.Engine, user: User, alert_id: int, reason: str) -> None:
    """Decide not to send (any state before ``sent``); a reason is required."""
    _step(engine, user, alert_id, Action.REJECT, reason=_required(reason))


def withdraw(engine: sa.Engine, user: User, alert_id: int, reason: str) -> None:
    """Withdraw an alert (any state before ``sent``); a reason is required."""
    _step(engine, user, alert_id, Action.WITHDRAW, reason=_required(reason))


def check_can_send(engine: sa.Engine, user: User, alert_id: int) -> Alert:
    """The alert if ``user`` may release it now; raises otherwise. Delivery calls this first and between batches.

    Re-verifies everything from the signed rows: the designation, every
    approval over the alert's current content (a change after approval is
    refused), consent, the privacy lint of subject and body (overrides only
    when signed over this content), and the signed preparation.
    """
    key = authority.require().key
    with engine.connect() as conn:
        alert = _load(conn, alert_id)
        role = current_role(conn, user)
        check(Action.SEND, role, alert.status, category=alert.category, urgent=alert.urgent)
        gates.require_sendable(conn, alert, user.username, key)
        require_clean_versions(conn, alert, key)
        return alert


# -- the machinery -----------------------------------------------------------------------

def _required(reason: str) -> str:
    if not reason or not reason.strip():
        raise WorkflowError("理由を記録してください")
    return reason


def _require(role: Role, action: Action) -> None:
    if role not in PERMISSIONS[action]:
        raise PermissionDenied(f"{role.label}は「{action.label}」を行えません")


def _step(engine: sa.Engine, user: User, alert_id: int, action: Action, *, reason: str | None = None,
          details: dict | None = None, values: dict | None = None, gate=None) -> Status:
    key = authority.require().key
    with engine.begin() as conn:
        alert = _load(conn, alert_id)
        role, affiliation = current_affiliation(conn, user)
        to = check(action, role, alert.status, category=alert.category, urgent=alert.urgent)
        if action in (Action.STATION_APPROVE, Action.HQ_APPROVE, Action.URGENT_APPROVE, Action.LATE_APPROVE,
                      Action.OVERRIDE, Action.SEND_BACK) and alert.created_by == user.username:
            raise PermissionDenied("自分が起案した配信を自分で承認・差し戻しすることはできません"
                                   "(別の承認者が行います)")
        stations.require_station(role, affiliation, stations.alert_station(conn, alert), alert_id=alert_id,
                                 username=user.username)
        if gate is not None:
            gate(conn, alert, user, key)
        conn.execute(alerts.update().where(alerts.c.alert_id == alert_id)
                     .values(status=to.value, updated_at=utc_now(), **(values or {})))
        _event(conn, key, alert_id, action, alert.status, to, user, role, reason, details)
        audit.append(conn, user.username, f"alert_{action.value}", f"alert:{alert_id}",
                     {"from": alert.status.value, "to": to.value, "reason": reason, **(details or {})})
    return to


def _event(conn, key, alert_id, action, from_status, to_status, user, role, reason=None, details=None):
    """Record a step with the content it was taken over (read back after the step's own update) and sign it."""
    values = dict(
        alert_id=alert_id, action=Action(action).value, from_status=from_status.value if from_status else None,
        to_status=to_status.value if to_status else None, actor=user.username, role=Role(role).value, at=utc_now(),
        reason=reason, details=details, content_hash=content_hash(_row(conn, alert_id)))
    conn.execute(alert_events.insert().values(**values, signature=sign_event(key, values)))


def _load(conn, alert_id: int) -> Alert:
    row = conn.execute(sa.select(alerts).where(alerts.c.alert_id == alert_id)).mappings().first()
    if row is None:
        raise WorkflowError(f"配信 #{alert_id} はありません")
    return Alert(row["alert_id"], row["category"], Status(row["status"]), row["subject"], row["body"],
                 Granularity[row["level"]], Granularity[row["assessed_level"]], row["public_text"],
                 row["area_codes"], row["incident_ids"], row["original_alert_id"], bool(row["urgent"]),
                 row["created_by"], row["recipients"], row.get("station"), row.get("outcome"),
                 row.get("published_fields"))


def _row(conn, alert_id: int) -> dict:
    return dict(conn.execute(sa.select(alerts).where(alerts.c.alert_id == alert_id)).mappings().first())


def approvals(conn, alert_id: int) -> set[Role]:
    """The approving roles validly recorded over the alert's current content (urgent and late approvals included)."""
    return gates.approvals(conn, alert_id, authority.require().key)


def _consulted(conn, alert, user, key):
    gates.require_consultation(conn, alert, key)


def _urgent_only(conn, alert, user, key):
    if not alert.urgent:
        raise WorkflowError("事後の承認は緊急発信した配信にだけ記録します")


def _ready_gate(conn, alert, user, key):
    gates.require_ready(conn, alert, key)
    require_clean_versions(conn, alert, key)


def _send_gate(conn, alert, user, key):
    gates.require_sendable(conn, alert, user.username, key)
    require_clean_versions(conn, alert, key)


def require_clean_versions(conn, alert, key) -> None:
    """Every language version of the alert (``drafting.languages``) lint-clean, or a signed lint override over this content.

    The versions are rendered from the stored published fields, as delivery
    renders them; a finding in any language blocks like one in the Japanese text.
    """
    found = version_findings(published_fields(alert))
    if found and not gates.overridden(gates.signed_events(conn, alert.alert_id, key),
                                      gates.current_hash(conn, alert.alert_id), "lint"):
        shown = "、".join(f"{code}: {finding.text}({finding.kind})" for code, finding in found[:5])
        raise WorkflowError(f"言語版に公表できない表現があります: {shown}"
                            "(公表項目を見直すか、承認者が理由を付けて了承してください)")
