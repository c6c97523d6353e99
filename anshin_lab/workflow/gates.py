"""The gates on an alert's steps, over signed rows only.

Only what the service signed counts: an approval, consultation, override or
preparation counts when its event's signature is valid *and* it was made over
the alert's current content (:func:`~anshin_lab.workflow.signatures.content_hash`);
a consent or an operator designation counts when its row's signature is
valid. A row inserted or edited in the database by hand therefore counts for
nothing, and a body, subject, place or recipient scope changed after approval
stops the alert until it is approved again. ``alerts`` calls these inside the
step's transaction; ``alerts.check_can_send`` (the delivery gate) runs the
send gate again before and during every send.
"""

from __future__ import annotations

import sqlalchemy as sa

from anshin_lab.core.directive import consent_missing_text, consent_satisfied
from anshin_lab.core.errors import ConsentMissing, PermissionDenied, WorkflowError
from anshin_lab.privacy import DEFAULT_POLICY
from anshin_lab.privacy.lint import lint
from anshin_lab.storage.store import alert_events, alerts, consents, incidents
from anshin_lab.workflow.authority import ServiceKey
from anshin_lab.workflow.rules import APPROVAL_ACTIONS, Action, Role, required_approvals
from anshin_lab.workflow.signatures import consent_valid, content_hash, event_valid
from anshin_lab.workflow.users import is_designated

APPROVING_ROLE = {Action.STATION_APPROVE: Role.STATION_CHIEF, Action.HQ_APPROVE: Role.HQ_PLANNING_CHIEF,
                  Action.URGENT_APPROVE: Role.DUTY_OFFICER}
# Follow-ups inherit their original's consent; a chain longer than this is not a real case.
MAX_FOLLOWUP_DEPTH = 50


def changed_message(alert_id: int) -> str:
    return f"承認後に本文・件名・地域などが変更されています(#{alert_id})。もう一度承認を受けてください"


def current_hash(conn, alert_id: int) -> str:
    """The content hash of the alert as stored now."""
    row = conn.execute(sa.select(alerts).where(alerts.c.alert_id == alert_id)).mappings().first()
    if row is None:
        raise WorkflowError(f"配信 #{alert_id} はありません")
    return content_hash(row)


def signed_events(conn, alert_id: int, key: ServiceKey) -> list[dict]:
    """The alert's events the service signed, oldest first (rows written by hand are left out)."""
    rows = conn.execute(sa.select(alert_events).where(alert_events.c.alert_id == alert_id)
                        .order_by(alert_events.c.event_id)).mappings().all()
    return [dict(row) for row in rows if event_valid(key, row)]


def approvals_over(events: list[dict], digest: str) -> set[Role]:
    """The approving roles among signed ``events`` made over content ``digest``."""
    found = set()
    for event in events:
        if event["content_hash"] != digest:
            continue
        action = Action(event["action"])
        if action in APPROVING_ROLE:
            found.add(APPROVING_ROLE[action])
        elif action == Action.LATE_APPROVE:
            found.add(Role(event["role"]))
    return found


def approvals(conn, alert_id: int, key: ServiceKey) -> set[Role]:
    """The approving roles validly recorded over the alert's current content (urgent and late ones included)."""
    return approvals_over(signed_events(conn, alert_id, key), current_hash(conn, alert_id))


def require_approvals(conn, alert, key: ServiceKey) -> None:
    """Every approval the category needs, signed over the current content; else ``WorkflowError``.

    When approvals were given but over other content, the message says the
    alert was changed after approval (a database edit, or a step skipped).
    """
    events = signed_events(conn, alert.alert_id, key)
    digest = current_hash(conn, alert.alert_id)
    missing = required_approvals(alert.category, alert.urgent) - approvals_over(events, digest)
    if not missing:
        return
    if any(Action(e["action"]) in APPROVAL_ACTIONS and e["content_hash"] != digest for e in events):
        raise WorkflowError(changed_message(alert.alert_id))
    raise WorkflowError(f"承認が足りません: {'・'.join(sorted(r.label for r in missing))}")


def require_consultation(conn, alert, key: ServiceKey) -> None:
    """The HQ division chief's consultation, unless the station chief's signed judgement said none is needed."""
    digest = current_hash(conn, alert.alert_id)
    events = [e for e in signed_events(conn, alert.alert_id, key) if e["content_hash"] == digest]
    judgement = next((e["details"].get("judgement") for e in events
                      if e["action"] == Action.STATION_APPROVE.value and e["details"]), None)
    needed = judgement is None or judgement.get("hq_consultation_needed", True)
    if needed and not any(e["action"] == Action.CONSULT.value for e in events):
        raise WorkflowError("本部関係所属長との協議が記録されていません(協議の上で承認してください)")


def consent_rows(conn, alert, key: ServiceKey) -> list[tuple[str, bool]]:
    """(kind, ticked) of the signed consents for the alert, or for the original a follow-up continues."""
    found, seen, alert_id = [], set(), alert.alert_id
    while alert_id is not None and alert_id not in seen and len(seen) < MAX_FOLLOWUP_DEPTH:
        seen.add(alert_id)
        rows = conn.execute(sa.select(consents).where(consents.c.alert_id == alert_id)).mappings().all()
        found += [(row["kind"], bool(row["anshin_mail_ticked"])) for row in rows if consent_valid(key, row)]
        alert_id = conn.execute(sa.select(alerts.c.original_alert_id).where(alerts.c.alert_id == alert_id)).scalar()
    return found


def victim_minors(conn, alert) -> list[bool]:
    """One flag per incident of the alert: the victim is, or may be, a minor (``Policy.may_be_minor``).

    Fails closed as the privacy policy does: a victim group that is unknown,
    not recorded, or of an incident no longer stored counts as a minor; an
    alert without incidents has one victim nobody recorded (a minor).
    """
    ids = [str(i) for i in alert.incident_ids or ()]
    if not ids:
        return [True]
    groups = dict(conn.execute(sa.select(incidents.c.incident_id, incidents.c.victim_group)
                               .where(incidents.c.incident_id.in_(ids))).all())
    return [DEFAULT_POLICY.may_be_minor(groups.get(i)) for i in ids]


def require_consent(conn, alert, key: ServiceKey) -> None:
    """Consent (or the ticked 公表要請書) where the category needs it; ``ConsentMissing`` otherwise.

    Whose consent follows the victim (§6(2)): a minor's guardian, an adult
    themself (``victim_minors``); the person's own consent does not stand in
    for a minor's guardian. A follow-up is covered by its original's
    consent: the consent was given for the case.
    """
    recorded = consent_rows(conn, alert, key)
    minors = victim_minors(conn, alert)
    if not consent_satisfied(alert.category, recorded, minors=minors):
        raise ConsentMissing(consent_missing_text(alert.category, minors, recorded))


def overridden(events: list[dict], digest: str, what: str) -> bool:
    """Whether an approver's signed override of ``what`` ("lint"/"level") covers content ``digest``."""
    return bool(overriders(events, digest, what))


def overriders(events: list[dict], digest: str, what: str) -> dict[str, Role]:
    """The approvers (user -> role) whose signed override of ``what`` covers content ``digest``."""
    return {e["actor"]: Role(e["role"]) for e in events
            if e["action"] == Action.OVERRIDE.value and e["content_hash"] == digest
            and (e["details"] or {}).get("what") == what}


def require_privacy(conn, alert, key: ServiceKey) -> None:
    """A clean lint of subject and body, and a place no finer than assessed, or signed overrides over this content.

    One approver's override accepts a lint finding. A place finer than
    assessed needs the overrides of two approvers in different roles, and
    its recorded households (``area_codes["households"]``) at least the
    policy's k, whoever approves.
    """
    events = signed_events(conn, alert.alert_id, key)
    digest = current_hash(conn, alert.alert_id)
    findings = lint(f"{alert.subject}\n{alert.body}")
    if findings and not overridden(events, digest, "lint"):
        shown = "、".join(f"{f.text}({f.kind})" for f in findings[:5])
        raise WorkflowError(f"本文に公表できない表現があります: {shown}(修正するか、承認者が理由を付けて了承してください)")
    if alert.level < alert.assessed_level:
        require_finer_level(alert, overriders(events, digest, "level"))


def require_finer_level(alert, approvers: dict[str, Role]) -> None:
    """A place finer than assessed: two approvers of different roles, and at least k households published."""
    households = (alert.area_codes or {}).get("households")
    k = DEFAULT_POLICY.min_households
    if households is None or int(households) < k:
        shown = "記録されていません" if households is None else f"{int(households):,}世帯です"
        raise WorkflowError(f"発生場所の粒度({alert.level.label})が判定({alert.assessed_level.label})より細かく、"
                            f"公表する地域の世帯数が{shown}({k}世帯以上が必要で、誰が承認しても変えられません)")
    if len(approvers) < 2 or len(set(approvers.values())) < 2:
        given = "、".join(f"{name}({role.label})" for name, role in approvers.items()) or "なし"
        raise WorkflowError(f"発生場所の粒度({alert.level.label})が判定({alert.assessed_level.label})より細かく、"
                            f"役職の異なる2人の承認者の理由付きの了承がありません(了承: {given}、"
                            f"公表する地域は{int(households):,}世帯)")


def require_prepared(conn, alert, key: ServiceKey) -> None:
    """The stored status is the one the last signed step left, and a signed preparation covers this content."""
    events = signed_events(conn, alert.alert_id, key)
    if not events or events[-1]["to_status"] != alert.status.value:
        raise WorkflowError(f"配信 #{alert.alert_id} の状態が記録された手順と一致しません(手順をやり直してください)")
    digest = current_hash(conn, alert.alert_id)
    if not any(e["action"] == Action.PREPARE.value and e["content_hash"] == digest for e in events):
        raise WorkflowError(f"配信 #{alert.alert_id} は発信準備を経ていません(発信準備からやり直してください)")


def require_ready(conn, alert, key: ServiceKey) -> None:
    """What ``prepare`` checks: approvals over this content, consent, privacy."""
    require_approvals(conn, alert, key)
    require_consent(conn, alert, key)
    require_privacy(conn, alert, key)


def require_sendable(conn, alert, username: str, key: ServiceKey) -> None:
    """What sending checks, every time: a signed designation, then everything ``prepare`` checked, again."""
    if not is_designated(conn, username):  # counts signed, unrevoked designations only
        raise PermissionDenied("発信できるのは生活安全企画課長が指定した発信操作担当者だけです")
    require_ready(conn, alert, key)
    require_prepared(conn, alert, key)
