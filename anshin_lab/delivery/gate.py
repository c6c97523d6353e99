"""The workflow gate every way of sending passes: approved, consent recorded, the designated operator.

Directive: only the operator designated by the head of 生活安全企画課 sends,
and only an alert with every approval and, where its category needs one, the
recorded consent. ``clear_to_send`` asks ``workflow.alerts.check_can_send``,
which re-reads the alert and the user's role from the database (an alert
object a caller holds is never trusted) and re-verifies the service's
signatures: approvals made over the alert's current content (subject, body,
place, recipient scope), signed consents, a signed designation, a clean
privacy lint or a signed override. It returns a :class:`Clearance`; the
sender asks again between batches, so a change made mid-send stops it.
The public sending functions call it first; the SMTP machinery below them
takes only a ``Clearance``, which nothing else can make.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa

from anshin_lab.core.errors import PermissionDenied
from anshin_lab.workflow.alerts import Alert, check_can_send
from anshin_lab.workflow.users import User

_ISSUED = object()  # only clear_to_send holds it, so only the gate makes a Clearance


@dataclass(frozen=True)
class Clearance:
    """Proof that the gate passed: the alert as re-read from the database, and the operator who sends it."""

    alert: Alert
    operator: str
    issued: object = field(default=None, repr=False, compare=False)

    def __post_init__(self):
        if self.issued is not _ISSUED:
            raise PermissionDenied("送信の許可は送信前の確認(clear_to_send)を通して得てください")


def clear_to_send(engine: sa.Engine, user: User, alert_id: int) -> Clearance:
    """A ``Clearance`` when ``user`` may release alert ``alert_id`` now.

    Raises ``PermissionDenied`` (not the designated operator, or this process
    is not the service), ``WorkflowError`` (not ready, approvals missing or
    made over other content, text that fails the privacy lint, no such alert)
    or ``ConsentMissing``.
    """
    alert = check_can_send(engine, user, int(alert_id))
    return Clearance(alert, user.username, _ISSUED)


def require_clearance(clearance) -> Clearance:
    """``clearance`` itself, or ``PermissionDenied`` when it is anything else (an alert, None)."""
    if not isinstance(clearance, Clearance):
        raise PermissionDenied("送信前の確認(clear_to_send)を通っていない配信は送れません")
    return clearance
