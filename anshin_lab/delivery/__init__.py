"""Delivery: who receives an alert, its messages, the crash-safe outbox and the SMTP sender.

Every public way to queue, send or preview an alert takes the acting user
and passes the workflow gate itself (``gate.clear_to_send``: approved,
consent where the category needs it, the designated operator), whoever
calls it. The modules: ``options`` (relay, rate limits, settings),
``messages`` (building the mail), ``gate``, ``outbox``, ``pacing``, ``smtp``,
``results`` (reports), ``replies`` (what a reply means), ``control`` (stopping
a send), ``send`` (what the operator runs), ``recipients`` and
``subscriptions`` (double opt-in, one-click unsubscribe). A running send
re-checks the gate and the stop request between batches.
"""

from anshin_lab.delivery.gate import Clearance, clear_to_send
from anshin_lab.delivery.control import clear_stop, request_stop, stop_requested
from anshin_lab.delivery.messages import (MAIL_POLICY, DkimSigner, MessageTemplate, body_text, build_message,
                                          header_text, make_signer, new_message_id, render_body, render_confirmation,
                                          unsubscribe_links)
from anshin_lab.delivery.options import (DEFAULT_RATE_LIMITS, SECURITY_MODES, DeliveryOptions, Relay,
                                         options_from_settings, parse_rate_limits, parse_relay, relay_from_settings)
from anshin_lab.delivery.outbox import FINAL_STATES, PENDING_STATES, outbox_states
from anshin_lab.delivery.recipients import (AREA_KINDS, Recipient, alert_scope, member_counts, read_members,
                                            select_recipients)
from anshin_lab.delivery.results import DeliveryReport, Preview, progress_bar
from anshin_lab.delivery.send import deliver, preview_alert, queue_alert, send_alert
from anshin_lab.delivery.subscriptions import (CONFIRMATION_VALID, confirm_member, register_member,
                                               request_confirmation, unsubscribe)

__all__ = [
    "Clearance", "clear_to_send",
    "AREA_KINDS", "Recipient", "alert_scope", "member_counts", "read_members", "select_recipients",
    "CONFIRMATION_VALID", "confirm_member", "register_member", "request_confirmation", "unsubscribe",
    "MAIL_POLICY", "DkimSigner", "MessageTemplate", "body_text", "build_message", "header_text", "make_signer",
    "new_message_id", "render_body", "render_confirmation", "unsubscribe_links",
    "clear_stop", "request_stop", "stop_requested",
    "DEFAULT_RATE_LIMITS", "SECURITY_MODES", "DeliveryOptions", "Relay", "options_from_settings", "parse_rate_limits",
    "parse_relay", "relay_from_settings",
    "FINAL_STATES", "PENDING_STATES", "outbox_states",
    "DeliveryReport", "Preview", "progress_bar",
    "deliver", "preview_alert", "queue_alert", "send_alert",
]
