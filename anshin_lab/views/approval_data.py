"""What the approver's notebook reads: the queue of a role and one alert's record. No widgets, no writes.

Reading needs no key: like ``anshin alerts list`` / ``show``, this reads the
workspace's database. Every step is taken through ``anshin service``
(``views.approvals``), which checks the same rules again from the signed rows;
what this module works out (which steps a role may take now, whether the
consultation or the consent is there) only decides which buttons to show.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa

from anshin_lab import privacy
from anshin_lab.core.directive import PREF_CODE, category_rule, consent_requirements, consent_satisfied
from anshin_lab.core.errors import AnshinError
from anshin_lab.core.glossary import CATEGORIES
from anshin_lab.core.granularity import Granularity
from anshin_lab.privacy import Decision
from anshin_lab.privacy.lint import lint
from anshin_lab.storage.store import alerts as alert_rows
from anshin_lab.storage.store import consents as consent_rows
from anshin_lab.workflow import alerts as workflow
from anshin_lab.workflow import stations
from anshin_lab.workflow.gates import victim_minors
from anshin_lab.workflow.rules import LIVE, Action, Role, Status, allowed_actions
from anshin_lab.workflow.users import list_users

__all__ = ["QUEUE_ACTIONS", "AlertRecord", "UserFacts", "alerts_of_incident", "available_actions", "load_record", "queue",
           "user_facts"]

# The steps that move an alert on (or record the HQ consultation it waits for): an alert on which the
# role may take one of these is in that role's queue. Reject, withdraw and consent are possible almost
# anywhere, so they do not by themselves put an alert in a queue.
QUEUE_ACTIONS = (Action.SUBMIT, Action.STATION_APPROVE, Action.CONSULT, Action.HQ_APPROVE, Action.URGENT_APPROVE,
                 Action.LATE_APPROVE, Action.PREPARE, Action.SEND)
# Every step the panel can offer, in the order its buttons appear.
PANEL_ACTIONS = QUEUE_ACTIONS + (Action.EDIT, Action.RECORD_CONSENT, Action.SEND_BACK, Action.REJECT, Action.WITHDRAW)
# The column of ``area_codes`` holding the code of the published area, by the level drawn.
AREA_COLUMNS = {Granularity.CHOME: "chome_code", Granularity.TOWN: "town_code", Granularity.CITY: "city_code"}


@dataclass(frozen=True)
class UserFacts:
    """What the database says of the logged-in account: its 所属 and whether it is a designated operator.

    Read without the key, so unverified: it only decides which list and
    buttons to show; the service checks both from the signed rows.
    """

    affiliation: str | None
    designated: bool

    @property
    def station(self) -> str | None:
        """The station whose alerts a station role sees (None: prefecture-wide)."""
        return self.affiliation if stations.is_station(self.affiliation) else None


def user_facts(engine: sa.Engine, username: str | None) -> UserFacts:
    if not username:
        return UserFacts(None, False)
    frame = list_users(engine)
    row = frame[frame["username"] == username]
    if row.empty:
        return UserFacts(None, False)
    return UserFacts(str(row.iloc[0]["affiliation"]), bool(row.iloc[0]["designated_operator"]))


def available_actions(role: Role, alert: workflow.Alert, *, consulted: bool = False,
                      designated: bool = False) -> list[Action]:
    """The steps ``role`` may take on ``alert`` now, by the workflow's tables (the service checks them again)."""
    allowed = set(allowed_actions(alert.status, role, category=alert.category, urgent=alert.urgent))
    if consulted:
        allowed.discard(Action.CONSULT)
    if not designated:
        allowed.discard(Action.SEND)
    return [action for action in PANEL_ACTIONS if action in allowed]


@dataclass(frozen=True)
class AlertRecord:
    """One alert as an approver reads it: the draft, the place decision, consent, lint, history."""

    alert: workflow.Alert
    decision: Decision  # the published area (level, households) and the reasons of the assessment
    findings: tuple  # the privacy lint's findings on subject and body
    consents: pd.DataFrame  # kind, given_at, method, scope, ticked, recorded_by, recorded_at
    consent_needed: tuple  # one set of acceptable kinds per requirement (empty: none needed)
    consent_given: bool  # the recorded rows meet every requirement (as the database says)
    history: pd.DataFrame  # at (Asia/Tokyo), step, actor, role, reason
    consulted: bool  # the HQ division chief's view is recorded since the last change
    consultation_needed: bool  # the station chief asked for it (True until the chief answers)
    designated: bool  # the logged-in user is a designated operator
    station: str | None  # whose alert it is (None: 本部, prefecture-wide)

    @property
    def category_label(self) -> str:
        return CATEGORIES.get(self.alert.category, self.alert.category)

    @property
    def consent_needs_tick(self) -> bool:
        return bool(category_rule(self.alert.category).consent_needs_tick)


def queue(engine: sa.Engine, role: Role, username: str, *, station: str | None = None,
          designated: bool = False) -> pd.DataFrame:
    """The alerts awaiting a step of ``role`` (oldest change first): id, category, status, subject, station, updated_at, steps.

    ``station`` keeps that station's alerts and 本部's (a station role's 所属,
    ``UserFacts.station``); None: prefecture-wide.
    """
    frame = workflow.list_alerts(engine)
    rows = []
    for alert_id, updated_at in zip(frame["alert_id"], frame["updated_at"]):
        alert = workflow.get_alert(engine, int(alert_id))
        with engine.connect() as conn:
            owner = stations.alert_station(conn, alert)
        if station and owner not in (None, station):
            continue
        consulted = has_consultation(workflow.history(engine, alert.alert_id))
        steps = [a for a in available_actions(role, alert, consulted=consulted, designated=designated)
                 if a in QUEUE_ACTIONS]
        if steps:
            rows.append({"alert_id": alert.alert_id, "category": CATEGORIES.get(alert.category, alert.category),
                         "status": alert.status.label, "subject": alert.subject, "station": owner or "本部",
                         "updated_at": updated_at, "steps": "・".join(a.label for a in steps)})
    out = pd.DataFrame(rows, columns=["alert_id", "category", "status", "subject", "station", "updated_at", "steps"])
    return out.sort_values("updated_at", kind="stable").reset_index(drop=True)


def has_consultation(history: pd.DataFrame) -> bool:
    """A consultation recorded after the draft's last change (a changed text needs a new one)."""
    changed = history.index[history["action"].isin([Action.CREATE.value, Action.EDIT.value, Action.SUBMIT.value])]
    since = history.loc[changed.max() + 1:] if len(changed) else history
    return bool((since["action"] == Action.CONSULT.value).any())


def consultation_needed(history: pd.DataFrame) -> bool:
    """Whether the station chief's judgement asked for the HQ consultation (True before it is recorded)."""
    approvals = history[history["action"] == Action.STATION_APPROVE.value]
    if approvals.empty:
        return True
    details = approvals.iloc[-1]["details"] or {}
    return bool((details.get("judgement") or {}).get("hq_consultation_needed", True))


def rebuild_decision(alert: workflow.Alert, areas, incidents: pd.DataFrame | None) -> Decision:
    """The alert's place as published (level, area, households) with the assessment's reasons.

    The area and households are those stored with the draft; the reasons
    come from assessing the alert's incident again (an alert from a summary
    has none), plus a line when the draft publishes another level than assessed.
    """
    codes = alert.area_codes or {}
    area_level = max(alert.level, Granularity.CHOME)
    code = codes.get(AREA_COLUMNS.get(area_level, ""))
    if area_level >= Granularity.PREF or code is None:
        area_level, code = Granularity.PREF, PREF_CODE
    try:
        name = areas.name(area_level, code)
    except KeyError:
        name = alert.public_text
    households = codes.get("households")
    if households is None:
        try:
            households = areas.households(area_level, code)
        except KeyError:
            households = None
    reasons = list(assessed_reasons(alert, areas, incidents))
    if alert.level != alert.assessed_level:
        reasons.append(f"判定は{alert.assessed_level.label}、起案は{alert.level.label}で公表します")
    return Decision(alert.level, str(code), name, None if households is None else int(households), alert.public_text,
                    tuple(reasons), assessed_level=alert.assessed_level)


def assessed_reasons(alert: workflow.Alert, areas, incidents: pd.DataFrame | None) -> tuple[str, ...]:
    if incidents is None or incidents.empty or not alert.incident_ids:
        return ("集計・続報の配信のため、事案ごとの判定はありません",)
    match = incidents[incidents["incident_id"].astype(str).isin([str(i) for i in alert.incident_ids])]
    if match.empty:
        return ("元の事案が見つからないため、判定の理由を表示できません",)
    try:
        return tuple(privacy.assess(match.iloc[0].to_dict(), areas).reasons)
    except AnshinError as exc:
        return (f"判定をやり直せませんでした: {exc}",)


def labelled_history(history: pd.DataFrame) -> pd.DataFrame:
    """The history as people read it: 日時 (Asia/Tokyo), 操作, 担当, 役割, 理由."""
    def label(enum, value):
        try:
            return enum(value).label
        except ValueError:
            return str(value)

    at = pd.to_datetime(history["at"], utc=True).dt.tz_convert("Asia/Tokyo").dt.strftime("%Y-%m-%d %H:%M")
    return pd.DataFrame({"日時": at, "操作": history["action"].map(lambda v: label(Action, v)),
                         "担当": history["actor"], "役割": history["role"].map(lambda v: label(Role, v)),
                         "理由・意見": history["reason"].fillna("")})


def load_record(engine: sa.Engine, alert_id: int, areas, incidents: pd.DataFrame | None,
                designated: bool = False) -> AlertRecord:
    """Everything the approval panel shows for one alert (``WorkflowError`` when there is none)."""
    alert = workflow.get_alert(engine, alert_id)
    history = workflow.history(engine, alert_id)
    with engine.connect() as conn:
        consents = pd.DataFrame(conn.execute(sa.select(
            consent_rows.c.kind, consent_rows.c.given_at, consent_rows.c.method, consent_rows.c.scope,
            consent_rows.c.anshin_mail_ticked, consent_rows.c.recorded_by, consent_rows.c.recorded_at)
            .where(consent_rows.c.alert_id == alert_id).order_by(consent_rows.c.consent_id)).mappings().all(),
            columns=["kind", "given_at", "method", "scope", "anshin_mail_ticked", "recorded_by", "recorded_at"])
        minors = victim_minors(conn, alert)
        owner = stations.alert_station(conn, alert)
    pairs = list(zip(consents["kind"], consents["anshin_mail_ticked"].astype(bool)))
    return AlertRecord(alert, rebuild_decision(alert, areas, incidents), tuple(lint(f"{alert.subject}\n{alert.body}")),
                       consents, consent_requirements(alert.category, minors),
                       consent_satisfied(alert.category, pairs, minors=minors), labelled_history(history),
                       has_consultation(history), consultation_needed(history), designated, owner)


def alerts_of_incident(engine: sa.Engine, incident_id: str) -> list[tuple[int, Status]]:
    """(alert id, status) of the alerts drafted for ``incident_id``, newest first, those still in play (``rules.LIVE``) before the rest."""
    with engine.connect() as conn:
        rows = conn.execute(sa.select(alert_rows.c.alert_id, alert_rows.c.status, alert_rows.c.incident_ids)
                            .order_by(alert_rows.c.alert_id.desc())).mappings().all()
    found = [(row["alert_id"], Status(row["status"])) for row in rows
             if str(incident_id) in [str(i) for i in (row["incident_ids"] or [])]]
    return sorted(found, key=lambda pair: pair[1] not in LIVE)
