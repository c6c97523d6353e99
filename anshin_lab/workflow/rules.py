"""The approval workflow's rules: states, roles, permissions, gates and reporting routes.

Pure rules, no database: ``alerts`` applies them to stored alerts in one
transaction per step, with an audit entry. The states follow the directive:
the station chief decides send / no-send (§5(1)), the head of 生活安全企画課
approves after consulting the HQ division concerned, consent is required for
脅威事犯 and the 公表要請書 for missing persons (§6(2)), and only a designated
operator releases mail (§6(1)). A 凶悪事案等逃走事案 alert has an urgent path:
the HQ duty officer (総合当直) approves at once and the normal approvals are
recorded afterwards.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

import holidays
import pandas as pd

from anshin_lab.core.clock import TOKYO_NAME
from anshin_lab.core.directive import Route, UnknownCategory, category_rule
from anshin_lab.core.errors import ConsentMissing, PermissionDenied, WorkflowError

__all__ = [
    "APPROVAL_ACTIONS", "COMMANDS", "LIVE", "Action", "ConsentMissing", "PermissionDenied", "Role", "Route", "Status",
    "WorkflowError", "allowed_actions", "check", "is_office_hours", "next_status", "next_steps", "report_route",
    "required_approvals",
]



class Role(str, enum.Enum):
    """Who a user is in the workflow."""

    ANALYST = "analyst"  # 分析担当(生活安全企画課・署)
    STATION_CHIEF = "station_chief"  # 署長
    HQ_PLANNING_CHIEF = "hq_planning_chief"  # 生活安全企画課長
    HQ_DIVISION_CHIEF = "hq_division_chief"  # 本部関係所属長
    DUTY_OFFICER = "duty_officer"  # 警察本部総合当直
    OPERATOR = "operator"  # 発信操作担当者 (must also be designated)
    REVIEWER = "reviewer"  # read only
    ADMIN = "admin"  # accounts only: never approves or sends

    @property
    def label(self) -> str:
        return _ROLE_LABELS[self]


_ROLE_LABELS = {
    Role.ANALYST: "分析担当", Role.STATION_CHIEF: "署長", Role.HQ_PLANNING_CHIEF: "生活安全企画課長",
    Role.HQ_DIVISION_CHIEF: "本部関係所属長", Role.DUTY_OFFICER: "総合当直", Role.OPERATOR: "発信操作担当者",
    Role.REVIEWER: "閲覧者", Role.ADMIN: "管理者",
}


class Status(str, enum.Enum):
    """Where an alert stands."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    STATION_APPROVED = "station_approved"
    HQ_APPROVED = "hq_approved"
    READY = "ready"
    SENT = "sent"
    CLOSED = "closed"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]


_STATUS_LABELS = {
    Status.DRAFT: "起案中", Status.SUBMITTED: "決裁待ち(署長)", Status.STATION_APPROVED: "決裁待ち(本部)",
    Status.HQ_APPROVED: "承認済み", Status.READY: "発信準備完了", Status.SENT: "発信済み", Status.CLOSED: "完了",
    Status.REJECTED: "不可(発信しない)", Status.WITHDRAWN: "取り下げ",
}
BEFORE_SENT = frozenset({Status.DRAFT, Status.SUBMITTED, Status.STATION_APPROVED, Status.HQ_APPROVED, Status.READY})
# An alert still in play for its incident: one per incident (a second needs an explicit supersede).
LIVE = frozenset(Status) - {Status.REJECTED, Status.WITHDRAWN, Status.CLOSED}


class Action(str, enum.Enum):
    """The steps users take."""

    CREATE = "create"
    EDIT = "edit"
    SUBMIT = "submit"
    STATION_APPROVE = "station_approve"
    CONSULT = "consult"
    HQ_APPROVE = "hq_approve"
    URGENT_APPROVE = "urgent_approve"
    LATE_APPROVE = "late_approve"
    RECORD_CONSENT = "record_consent"
    OVERRIDE = "override"
    PREPARE = "prepare"
    SEND = "send"
    CLOSE = "close"
    REJECT = "reject"
    WITHDRAW = "withdraw"
    SEND_BACK = "send_back"

    @property
    def label(self) -> str:
        return _ACTION_LABELS[self]


_ACTION_LABELS = {
    Action.CREATE: "起案", Action.EDIT: "修正", Action.SUBMIT: "決裁に回す", Action.STATION_APPROVE: "署長の決裁",
    Action.CONSULT: "本部関係所属長との協議", Action.HQ_APPROVE: "生活安全企画課長の承認",
    Action.URGENT_APPROVE: "総合当直の緊急承認", Action.LATE_APPROVE: "事後の承認", Action.RECORD_CONSENT: "承諾の記録",
    Action.OVERRIDE: "理由付きの了承", Action.PREPARE: "発信準備", Action.SEND: "発信", Action.CLOSE: "完了",
    Action.REJECT: "不可(発信しない)", Action.WITHDRAW: "取り下げ", Action.SEND_BACK: "差し戻し",
}


# Which roles may take each action (checked in the library, not only in forms).
PERMISSIONS = {
    Action.CREATE: {Role.ANALYST},
    Action.EDIT: {Role.ANALYST},
    Action.SUBMIT: {Role.ANALYST},
    Action.STATION_APPROVE: {Role.STATION_CHIEF},
    Action.CONSULT: {Role.HQ_DIVISION_CHIEF},
    Action.HQ_APPROVE: {Role.HQ_PLANNING_CHIEF},
    Action.URGENT_APPROVE: {Role.DUTY_OFFICER},
    Action.LATE_APPROVE: {Role.STATION_CHIEF, Role.HQ_PLANNING_CHIEF},
    Action.RECORD_CONSENT: {Role.ANALYST, Role.STATION_CHIEF},
    Action.OVERRIDE: {Role.STATION_CHIEF, Role.HQ_PLANNING_CHIEF},
    Action.PREPARE: {Role.HQ_PLANNING_CHIEF, Role.OPERATOR, Role.DUTY_OFFICER},
    Action.SEND: {Role.OPERATOR},
    Action.CLOSE: {Role.OPERATOR, Role.HQ_PLANNING_CHIEF},
    Action.REJECT: {Role.STATION_CHIEF, Role.HQ_PLANNING_CHIEF, Role.HQ_DIVISION_CHIEF, Role.DUTY_OFFICER},
    Action.WITHDRAW: {Role.ANALYST, Role.STATION_CHIEF, Role.HQ_PLANNING_CHIEF},
    Action.SEND_BACK: {Role.STATION_CHIEF, Role.HQ_DIVISION_CHIEF, Role.HQ_PLANNING_CHIEF},
}

# Who records that an incident is not to be mailed (§5(1): the station chief decides send / no-send).
NO_SEND_ROLES = frozenset({Role.STATION_CHIEF, Role.HQ_PLANNING_CHIEF})

# The command that takes each step (what an error names as the way forward).
COMMANDS = {
    Action.CREATE: "anshin alerts create", Action.EDIT: "anshin alerts edit", Action.SUBMIT: "anshin alerts submit",
    Action.STATION_APPROVE: "anshin alerts approve", Action.CONSULT: "anshin alerts consult",
    Action.HQ_APPROVE: "anshin alerts approve", Action.URGENT_APPROVE: "anshin alerts urgent",
    Action.LATE_APPROVE: "anshin alerts late", Action.RECORD_CONSENT: "anshin consent record",
    Action.OVERRIDE: "anshin alerts override", Action.PREPARE: "anshin alerts prepare", Action.SEND: "anshin send",
    Action.CLOSE: "anshin alerts close", Action.REJECT: "anshin alerts reject", Action.WITHDRAW: "anshin alerts withdraw",
    Action.SEND_BACK: "anshin alerts send-back",
}
FOLLOWUP_COMMAND = "anshin alerts followup"  # a sent alert's next step is a follow-up, a new alert

# Steps whose record says "this content was accepted": each is signed over the alert's content
# and counts only while the content is unchanged (``gates``).
APPROVAL_ACTIONS = frozenset({Action.STATION_APPROVE, Action.CONSULT, Action.HQ_APPROVE, Action.URGENT_APPROVE,
                              Action.LATE_APPROVE, Action.OVERRIDE, Action.PREPARE, Action.SEND})

# (action, from) -> to. REJECT and WITHDRAW go from any state before SENT.
TRANSITIONS = {
    (Action.SUBMIT, Status.DRAFT): Status.SUBMITTED,
    (Action.STATION_APPROVE, Status.SUBMITTED): Status.STATION_APPROVED,
    (Action.HQ_APPROVE, Status.STATION_APPROVED): Status.HQ_APPROVED,
    (Action.URGENT_APPROVE, Status.SUBMITTED): Status.HQ_APPROVED,
    (Action.URGENT_APPROVE, Status.STATION_APPROVED): Status.HQ_APPROVED,
    (Action.PREPARE, Status.HQ_APPROVED): Status.READY,
    (Action.SEND, Status.READY): Status.SENT,
    (Action.CLOSE, Status.SENT): Status.CLOSED,
    # 差し戻し: an approver returns the alert to its analyst, with a reason, to be changed and submitted again.
    (Action.SEND_BACK, Status.SUBMITTED): Status.DRAFT,
    (Action.SEND_BACK, Status.STATION_APPROVED): Status.DRAFT,
    (Action.SEND_BACK, Status.HQ_APPROVED): Status.DRAFT,
}
# Actions that record something without moving the alert, and the states they apply in.
RECORDINGS = {
    Action.EDIT: {Status.DRAFT},
    Action.CONSULT: {Status.SUBMITTED, Status.STATION_APPROVED},
    Action.RECORD_CONSENT: BEFORE_SENT,
    Action.OVERRIDE: BEFORE_SENT - {Status.READY},
    Action.LATE_APPROVE: {Status.HQ_APPROVED, Status.READY, Status.SENT, Status.CLOSED},
}


def check(action: Action, role: Role, status: Status, *, category: str | None = None, urgent: bool = False) -> Status:
    """The status after ``action``, or raise ``PermissionDenied`` / ``WorkflowError`` naming the next allowed steps."""
    action, role, status = Action(action), Role(role), Status(status)
    steps = next_steps(status, role, category=category, urgent=urgent)
    if role not in PERMISSIONS[action]:
        allowed = "・".join(r.label for r in sorted(PERMISSIONS[action], key=list(Role).index))
        raise PermissionDenied(f"{role.label}は「{action.label}」を行えません(行えるのは{allowed})。{steps}")
    try:
        return next_status(action, status, category=category)
    except WorkflowError as exc:
        raise WorkflowError(f"{exc}。{steps}") from None


def allowed_actions(status: Status, role: Role, *, category: str | None = None, urgent: bool = False) -> list[Action]:
    """The steps ``role`` may take on an alert in ``status`` by the tables (the gates may still refuse one).

    ``urgent``: the alert went out on the urgent path (only then is an approval recorded afterwards).
    """
    status, role = Status(status), Role(role)
    found = []
    for action in Action:
        if action == Action.CREATE or role not in PERMISSIONS[action]:
            continue
        if action == Action.LATE_APPROVE and not urgent:
            continue
        try:
            next_status(action, status, category=category)
        except WorkflowError:
            continue
        found.append(action)
    return found


def next_steps(status: Status, role: Role, *, category: str | None = None, urgent: bool = False) -> str:
    """One sentence naming what ``role`` may do next on an alert in ``status``, with the commands; else who acts next."""
    status, role = Status(status), Role(role)
    mine = [f"{a.label}({COMMANDS[a]})" for a in allowed_actions(status, role, category=category, urgent=urgent)]
    if status in (Status.SENT, Status.CLOSED) and role in PERMISSIONS[Action.CREATE]:
        mine.append(f"続報の起案({FOLLOWUP_COMMAND})")
    if mine:
        return f"{status.label}の配信に{role.label}ができるのは: {'、'.join(mine)}"
    others = []
    for action in Action:
        if action in (Action.CREATE, Action.REJECT, Action.WITHDRAW, Action.RECORD_CONSENT, Action.OVERRIDE,
                      Action.SEND_BACK) or (action == Action.LATE_APPROVE and not urgent):
            continue
        try:
            next_status(action, status, category=category)
        except WorkflowError:
            continue
        who = "・".join(r.label for r in sorted(PERMISSIONS[action], key=list(Role).index))
        others.append(f"{action.label}({who}: {COMMANDS[action]})")
    if not others:
        return f"{status.label}の配信に次の操作はありません"
    return f"{status.label}の配信に{role.label}ができる操作はありません(次は {'、'.join(others)})"


def next_status(action: Action, status: Status, *, category: str | None = None) -> Status:
    """The status ``action`` leads to from ``status``; ``WorkflowError`` when it is not allowed."""
    action, status = Action(action), Status(status)
    if action in (Action.REJECT, Action.WITHDRAW):
        if status not in BEFORE_SENT:
            raise WorkflowError(f"{status.label}の配信は{'不可' if action == Action.REJECT else '取り下げ'}にできません")
        return Status.REJECTED if action == Action.REJECT else Status.WITHDRAWN
    if action in RECORDINGS:
        if status not in RECORDINGS[action]:
            raise WorkflowError(f"{status.label}の配信に「{action.label}」は記録できません")
        return status
    if action == Action.URGENT_APPROVE and not (category and category_rule(category).urgent_path):
        raise WorkflowError("緊急の承認(総合当直)は凶悪事案等逃走事案だけに使えます")
    to = TRANSITIONS.get((action, status))
    if to is None:
        raise WorkflowError(f"{status.label}の配信に「{action.label}」はできません")
    return to


def required_approvals(category: str, urgent: bool) -> set[Role]:
    """The approvals an alert needs before it may be sent."""
    if urgent and category_rule(category).urgent_path:
        return {Role.DUTY_OFFICER}
    return {Role.STATION_CHIEF, Role.HQ_PLANNING_CHIEF}


def consent_kinds(category: str) -> set[str] | None:
    """The consent kinds that satisfy the directive for ``category`` (None: none needed)."""
    kinds = category_rule(category).consent_kinds
    return set(kinds) if kinds else None


@dataclass(frozen=True)
class Judgement:
    """The station chief's send / no-send judgement (directive §5(1)), as explicit answers."""

    victim_not_identifiable: bool  # 被害者・関係者が特定・推認されない
    no_facility_or_person_names: bool  # 施設の固有名称・氏名を含まない
    location_coarse_enough: bool  # 発生場所の粒度は判定どおりか、より広い
    no_harm_to_investigation: bool  # 捜査上の秘密・警察活動への支障がない
    hq_consultation_needed: bool = True  # 本部関係所属長との協議が必要
    decision: str = "send"  # "send" / "no_send"
    notes: str = ""

    def problems(self) -> list[str]:
        """The checks answered 'no' that forbid sending."""
        names = {
            "victim_not_identifiable": "被害者等が特定・推認されるおそれ",
            "no_facility_or_person_names": "固有名称・氏名を含む",
            "location_coarse_enough": "発生場所の粒度が細かすぎる",
            "no_harm_to_investigation": "捜査・警察活動への支障",
        }
        return [text for key, text in names.items() if not getattr(self, key)]


# -- reporting routes (directive §4) ---------------------------------------------

OFFICE_OPEN = dt.time(8, 30)
OFFICE_CLOSE = dt.time(17, 15)
_JP_HOLIDAYS = holidays.Japan()


def is_office_hours(at) -> bool:
    """Weekdays 8:30–17:15 Asia/Tokyo, except national holidays and 12/29–1/3."""
    stamp = pd.Timestamp(at)
    stamp = stamp.tz_localize(TOKYO_NAME) if stamp.tzinfo is None else stamp.tz_convert(TOKYO_NAME)
    day = stamp.date()
    if stamp.weekday() >= 5 or day in _JP_HOLIDAYS:
        return False
    if (day.month == 12 and day.day >= 29) or (day.month == 1 and day.day <= 3):
        return False
    return OFFICE_OPEN <= stamp.time() < OFFICE_CLOSE


def report_route(category: str, at, *, urgent: bool = False) -> Route:
    """The desk and channel for reporting an alert request at ``at`` (directive §4)."""
    try:
        rule = category_rule(category)
    except UnknownCategory:
        raise WorkflowError(f"分類「{category}」の報告先はありません") from None
    if is_office_hours(at):
        return rule.route_office
    if urgent and rule.route_after_hours_urgent is not None:
        return rule.route_after_hours_urgent
    return rule.route_after_hours
