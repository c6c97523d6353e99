"""What the designated operator runs: queue, deliver, preview or release an alert — each behind the workflow gate.

Every function here takes the acting user and the alert's id and passes
the gate first (``gate.clear_to_send``: approved, consent recorded where the
category needs it, the designated operator, re-read from the database),
whoever the caller is; nothing is queued, sent or shown otherwise.

``send_alert`` is the whole release: holding the alert's send lock, it
queues one outbox row per recipient in one transaction (or finds the rows a
crashed run queued), delivers them and records the release
(``alerts.mark_sent``) once no row is left to send and at least one was
delivered. A send that does not finish — stopped, refused by the relay,
left with rows to retry, nothing delivered — returns its report with
``complete`` False and the reason in ``report.error`` (the CLI exits 1);
the alert stays ``ready``, and running it again goes on where it stopped.
"""

from __future__ import annotations

import dataclasses
import email
import email.policy
from typing import Callable

import pandas as pd
import sqlalchemy as sa

from anshin_lab.core.clock import TOKYO_NAME
from anshin_lab.core.errors import AnshinError
from anshin_lab.delivery.gate import clear_to_send
from anshin_lab.delivery.messages import alert_text, build_message, new_message_id
from anshin_lab.delivery.options import DeliveryOptions, Relay, options_from_settings, relay_from_settings
from anshin_lab.delivery.outbox import queue_outbox, run_lock
from anshin_lab.delivery.recipients import Recipient, select_recipients
from anshin_lab.delivery.results import DeliveryReport, Preview
from anshin_lab.delivery.smtp import transmit
from anshin_lab.storage.store import members, outbox
from anshin_lab.workflow.alerts import Alert, mark_sent
from anshin_lab.workflow.users import User


def queue_alert(engine: sa.Engine, user: User, alert_id: int, options: DeliveryOptions | None = None,
                recipients: list[Recipient] | None = None) -> int:
    """Put one outbox row per recipient in one transaction, once the gate lets ``user`` send; returns the rows.

    When the alert already has outbox rows (a run that crashed), nothing is
    re-selected or re-queued. ``recipients`` defaults to
    ``select_recipients``. Raises ``PermissionDenied`` / ``WorkflowError`` /
    ``ConsentMissing`` from the gate, ``DeliveryError`` when no member would
    receive the alert.
    """
    return queue_outbox(engine, clear_to_send(engine, user, alert_id), options, recipients)


def deliver(engine: sa.Engine, user: User, alert_id: int, relay: Relay, *, options: DeliveryOptions | None = None,
            progress: Callable[[int, int], None] | None = None) -> DeliveryReport:
    """Send the alert's queued outbox rows through ``relay``, once the gate lets ``user`` send.

    Resumable after a crash at any point: rows a killed run left ``sending``
    are sent again and counted as ``ambiguous``; rows of members who left
    since queueing are ``skipped``. ``progress(done, total)`` is called as
    rows reach a final state. Returns the report; ``report.complete`` is
    False when rows remain (deferred past the retry window, or the relay
    became unreachable), when the send was stopped or nothing was delivered.
    Does not record the release: see :func:`send_alert`.
    """
    return transmit(engine, clear_to_send(engine, user, alert_id), relay, user=user, options=options,
                    progress=progress)


def preview_alert(engine: sa.Engine, user: User, alert_id: int, options: DeliveryOptions | None = None) -> Preview:
    """The recipients and the first rendered message, without writing anything (the gate first, as for a send)."""
    return _preview(engine, clear_to_send(engine, user, alert_id).alert, options)


def send_alert(engine: sa.Engine, user: User, alert_id: int, relay: Relay | None = None, *,
               options: DeliveryOptions | None = None, dry_run: bool = False,
               progress: Callable[[int, int], None] | None = None, now=None):
    """Release a ready alert to its members (designated operator only); returns the report.

    Passes the gate first and takes the alert's send lock (a second send of
    the same alert is refused with ``DeliveryError`` while one runs), queues
    the outbox in one transaction (a run after a crash finds it and
    resumes), delivers, and calls ``alerts.mark_sent`` with the number
    delivered once no row is left pending and at least one was delivered.
    Otherwise the report comes back with ``complete`` False and the reason
    in ``report.error`` (stopped, relay refusing the content, rows left, none
    delivered); the alert stays ``ready``, so running it again finishes the
    batch. With ``dry_run`` nothing is written or sent: the result is a
    :class:`Preview`.

    Mails to members in their quiet hours at ``now`` (the current time when
    None) are held, except for the categories that go at once; the report
    counts them (``held``), the send is not complete while any is held, and
    the first run after the window sends them and records the release.
    """
    clearance = clear_to_send(engine, user, alert_id)
    options = options or options_from_settings()
    if dry_run:
        return _preview(engine, clearance.alert, options)
    if relay is None:
        relay = relay_from_settings()
    with run_lock(engine, alert_id):
        queue_outbox(engine, clearance, options, now=now)
        report = transmit(engine, clearance, relay, user=user, options=options, progress=progress, now=now)
    if report.complete:
        try:
            mark_sent(engine, user, alert_id, recipients=report.sent_total)
        except AnshinError as exc:  # e.g. withdrawn as the last messages went out
            report.error = f"送信は終わりましたが、発信済みの記録ができません: {exc}"
    return report


def _preview(engine: sa.Engine, alert: Alert, options: DeliveryOptions | None) -> Preview:
    options = options or DeliveryOptions()
    with engine.connect() as conn:
        rows = conn.execute(sa.select(outbox.c.member_id, outbox.c.email, outbox.c.domain,
                                      sa.func.coalesce(members.c.language, "ja"))
                            .join_from(outbox, members, outbox.c.member_id == members.c.member_id)
                            .where(outbox.c.alert_id == alert.alert_id).order_by(outbox.c.seq)).all()
        queued = bool(rows)
        recipients = [Recipient(*r) for r in rows] if queued else select_recipients(conn, alert)
        token = None
        if recipients:
            token = conn.execute(sa.select(members.c.unsubscribe_token)
                                 .where(members.c.member_id == recipients[0].member_id)).scalar()
    frame = pd.DataFrame([dataclasses.asdict(r) for r in recipients], columns=["member_id", "email", "domain"])
    message = "(宛先がありません)"
    if recipients:
        first = recipients[0]
        subject, body = alert_text(alert, first.language)  # in the first recipient's language, as it will be sent
        built = build_message(subject=subject, body=body, to=first.email,
                              message_id=new_message_id(options.sender_domain), date=pd.Timestamp.now(tz=TOKYO_NAME),
                              unsubscribe_token=token, options=options, language_code=first.language)
        shown = email.message_from_bytes(built.as_bytes(), policy=email.policy.default)
        headers = "\n".join(f"{k}: {str(v).strip()}" for k, v in shown.items()
                            if k.lower() != "content-transfer-encoding")
        message = f"{headers}\n\n" + shown.get_content().replace("\r\n", "\n")
    return Preview(alert.alert_id, frame, message, queued)
