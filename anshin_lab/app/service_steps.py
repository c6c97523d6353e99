"""What the service does for each request: read the JSON body strictly, call the workflow step.

Each step of ``/alerts/{id}/{step}`` is one entry of :data:`STEPS`, a function
of (engine, user, alert id, body) calling the same ``workflow.alerts``
function the tests call, so the rules are the workflow's; ``followup`` drafts
a new alert (the follow-up) from a sent one. ``user`` is the one the service
mapped the session token to; nothing in the body names who acts.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Callable

import pandas as pd
import sqlalchemy as sa

from anshin_lab.core.clock import stored_tokyo
from anshin_lab.core.errors import ParameterError
from anshin_lab.core.granularity import Granularity
from anshin_lab.drafting import mail as drafting
from anshin_lab.storage.schema import fraud_summary_drafts
from anshin_lab.workflow import alerts, decisions, users
from anshin_lab.workflow.rules import Action, Judgement


class Body:
    """A request's JSON object, read field by field with a Japanese error naming the field."""

    def __init__(self, data):
        if not isinstance(data, dict):
            raise ParameterError("リクエストの本文は JSON のオブジェクトにしてください")
        self.data = data

    def text(self, name: str, *, required: bool = True) -> str | None:
        value = self.data.get(name)
        if value is None:
            if required:
                raise ParameterError(f"「{name}」を指定してください")
            return None
        if not isinstance(value, str):
            raise ParameterError(f"「{name}」は文字列で指定してください")
        return value

    def flag(self, name: str) -> bool:
        value = self.data.get(name, False)
        if not isinstance(value, bool):
            raise ParameterError(f"「{name}」は true か false で指定してください")
        return value

    def number(self, name: str, *, required: bool = False) -> int | None:
        value = self.data.get(name)
        if value is None and not required:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise ParameterError(f"「{name}」は整数で指定してください")
        return value

    def mapping(self, name: str) -> dict | None:
        value = self.data.get(name)
        if value is not None and not isinstance(value, dict):
            raise ParameterError(f"「{name}」は JSON のオブジェクトで指定してください")
        return value

    def texts(self, name: str) -> list[str]:
        value = self.data.get(name) or []
        if not isinstance(value, list) or not all(isinstance(v, (str, int)) for v in value):
            raise ParameterError(f"「{name}」は文字列の配列で指定してください")
        return [str(v) for v in value]


def judgement_from(value: dict | None) -> Judgement | None:
    """The station chief's ``Judgement`` from its JSON form (None stays None: ``approve`` then asks for it)."""
    if value is None:
        return None
    known = {f.name: f for f in dataclasses.fields(Judgement)}
    unknown = sorted(set(value) - set(known))
    if unknown:
        raise ParameterError(f"署長の判断に知らない項目があります: {'、'.join(unknown)}")
    fields = {}
    for name, value_ in value.items():
        expected = str if name in ("decision", "notes") else bool
        if not isinstance(value_, expected):
            raise ParameterError(f"署長の判断「{name}」の値の型が違います")
        fields[name] = value_
    if fields.get("decision", "send") not in ("send", "no_send"):
        raise ParameterError("署長の判断 decision は send か no_send にしてください")
    try:
        return Judgement(**fields)
    except TypeError:
        raise ParameterError("署長の判断には4つの確認(被害者・固有名称・粒度・捜査への支障)すべての答えが必要です") from None


def level_of(body: Body, name: str, *, required: bool = True) -> Granularity | None:
    """A granularity field (its name, e.g. ``TOWN``), or a ``ParameterError`` listing the names."""
    text = body.text(name, required=required)
    if text is None:
        return None
    try:
        return Granularity.parse(text)
    except ValueError:
        raise ParameterError(f"「{name}」の粒度「{text}」は使えません(使えるのは "
                             f"{'、'.join(level.name for level in Granularity)})") from None


def stamp(text: str) -> dt.datetime:
    """A date-time the client sent (ISO 8601; naive means Asia/Tokyo, as ``given_utc`` reads it)."""
    try:
        return pd.Timestamp(text)
    except (ValueError, TypeError):
        raise ParameterError(f"「{text}」を日時として読めません(ISO 8601 で指定してください)") from None


Step = Callable[[sa.Engine, users.User, int, Body], object]

STEPS: dict[str, Step] = {
    "submit": lambda e, u, i, b: alerts.submit(e, u, i),
    "edit": lambda e, u, i, b: alerts.edit(e, u, i, subject=b.text("subject", required=False),
                                           body=b.text("body", required=False)),
    "approve": lambda e, u, i, b: alerts.approve(e, u, i, comment=b.text("comment", required=False) or "",
                                                 judgement=judgement_from(b.mapping("judgement"))),
    "consult": lambda e, u, i, b: alerts.consult(e, u, i, b.text("opinion")),
    "urgent": lambda e, u, i, b: alerts.approve_urgent(e, u, i, b.text("comment")),
    "late": lambda e, u, i, b: alerts.approve_late(e, u, i, b.text("comment")),
    "reject": lambda e, u, i, b: alerts.reject(e, u, i, b.text("reason")),
    "withdraw": lambda e, u, i, b: alerts.withdraw(e, u, i, b.text("reason")),
    "override": lambda e, u, i, b: alerts.override(e, u, i, what=b.text("what"), reason=b.text("reason")),
    "consent": lambda e, u, i, b: alerts.record_consent(
        e, u, i, kind=b.text("kind"), given_at=stamp(b.text("given_at")), method=b.text("method"),
        scope=b.text("scope"), anshin_mail_ticked=b.flag("anshin_mail_ticked")),
    "prepare": lambda e, u, i, b: alerts.prepare(e, u, i),
    "close": lambda e, u, i, b: alerts.close(e, u, i),
    "send-back": lambda e, u, i, b: alerts.send_back(e, u, i, b.text("reason")),
}
FOLLOWUP = "followup"


def take_step(engine: sa.Engine, user, alert_id: int, step: str, body: Body) -> dict:
    """Run one step; ``{alert_id, status}`` after it (for ``followup``: the new follow-up's)."""
    if step == FOLLOWUP:
        return draft_followup(engine, user, alert_id, body)
    if step not in STEPS:
        raise ParameterError(f"「{step}」という操作はありません(使えるのは {'、'.join([*STEPS, FOLLOWUP])})")
    STEPS[step](engine, user, alert_id, body)
    return {"alert_id": alert_id, "status": alerts.get_alert(engine, alert_id).status.value}


def draft_followup(engine: sa.Engine, user, alert_id: int, body: Body) -> dict:
    """Draft the follow-up (``outcome``, optional ``note``) of sent alert ``alert_id`` as ``user``, an analyst.

    The text comes from ``drafting.followup`` (same area, same recipients,
    the day the original went out); ``supersede`` replaces an unsent
    follow-up. ``{alert_id, status, original_alert_id, outcome, findings}``.
    """
    outcome = body.text("outcome")
    if outcome not in drafting.OUTCOMES:
        raise ParameterError(f"結果「{outcome}」は使えません(使えるのは {'・'.join(drafting.OUTCOMES)})")
    original = alerts.get_alert(engine, alert_id)
    steps = alerts.history(engine, alert_id)
    sent = steps.loc[steps["action"] == Action.SEND.value, "at"]
    follow = drafting.followup(original, outcome, note=body.text("note", required=False) or "",
                               sent_at=stored_tokyo(sent.min()) if len(sent) else None)
    new_id = alerts.create_alert(
        engine, user, category=follow.category, subject=follow.subject, body=follow.body, level=follow.level,
        assessed_level=follow.assessed_level, public_text=follow.public_text, area_codes=follow.area_codes,
        incident_ids=follow.incident_ids, original_alert_id=alert_id, outcome=outcome,
        supersede=body.number("supersede"))
    return {"alert_id": new_id, "status": alerts.get_alert(engine, new_id).status.value,
            "original_alert_id": alert_id, "outcome": outcome, "findings": [str(f.text) for f in follow.findings]}


def decide_incident(engine: sa.Engine, user, incident_id: str, body: Body) -> dict:
    """Record that an incident is not to be mailed (``decision`` ``no_send``, with ``reason``)."""
    decision = body.text("decision")
    if decision != decisions.NO_SEND:
        raise ParameterError(f"決定「{decision}」は記録できません(記録できるのは {decisions.NO_SEND})")
    decision_id = decisions.record_no_send(engine, user, incident_id, body.text("reason"))
    return {"incident_id": incident_id, "decision": decision, "decision_id": decision_id}


def create_draft(engine: sa.Engine, user, body: Body) -> dict:
    """Store a new draft; with ``report_key`` (a fraud summary), the draft stored earlier for that key instead.

    ``{alert_id, status, existing, created_by}``.
    """
    report_key = body.text("report_key", required=False)
    if report_key:
        with engine.connect() as conn:
            earlier = conn.execute(sa.select(fraud_summary_drafts).where(
                fraud_summary_drafts.c.report_key == report_key)).mappings().first()
        if earlier is not None:
            status = alerts.get_alert(engine, earlier["alert_id"]).status.value
            return {"alert_id": earlier["alert_id"], "status": status, "existing": True,
                    "created_by": earlier["created_by"]}
    alert_id = alerts.create_alert(
        engine, user, category=body.text("category"), subject=body.text("subject"), body=body.text("body"),
        level=level_of(body, "level"), public_text=body.text("public_text"),
        assessed_level=level_of(body, "assessed_level", required=False), area_codes=body.mapping("area_codes"),
        incident_ids=body.texts("incident_ids"), original_alert_id=body.number("original_alert_id"),
        urgent=body.flag("urgent"), supersede=body.number("supersede"), outcome=body.text("outcome", required=False))
    if report_key:
        with engine.begin() as conn:
            conn.execute(fraud_summary_drafts.insert().values(
                report_key=report_key, alert_id=alert_id, created_by=user.username,
                created_at=pd.Timestamp.now(tz="UTC").to_pydatetime()))
    return {"alert_id": alert_id, "status": alerts.get_alert(engine, alert_id).status.value, "existing": False,
            "created_by": user.username}


def add_account(engine: sa.Engine, actor, body: Body, stations=None) -> dict:
    """Create an account (``actor`` an admin; None only for the very first admin), with its 所属 if given.

    ``stations``: the station table's names a station 所属 must be one of (None: not checked against a table).
    """
    user = users.add_user(engine, actor, body.text("username"), body.text("role"), body.text("password"),
                          body.text("display_name", required=False),
                          affiliation=body.text("affiliation", required=False), stations=stations)
    return {"username": user.username, "role": user.role.value, "affiliation": user.affiliation}


def set_affiliation(engine: sa.Engine, actor, username: str, body: Body, stations=None) -> dict:
    """Record an account's 所属 (admin)."""
    recorded = users.set_affiliation(engine, actor, username, body.text("affiliation"), stations=stations)
    return {"username": username, "affiliation": recorded}

