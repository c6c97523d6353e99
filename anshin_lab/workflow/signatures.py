"""What the service signs: an alert's content, its approval events, consents, designations and accounts.

An approval is worth only what it approved: every step on an alert is
recorded with the hash of the alert's content at that moment
(:func:`content_hash`) and the service's signature over the event, so a body
edited in the database after approval no longer matches, and an event,
consent, designation or account row written by hand carries no valid
signature and counts for nothing. Signatures bind a purpose ("alert_event",
"consent", "designation", "user", "incident_decision"), so one kind of row cannot stand in for
another; every payload names what it belongs to (the alert, the user).

Pure functions over plain mappings (a row as read back from the database):
the gates in :mod:`anshin_lab.workflow.gates` and the account code call them.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping

from anshin_lab.core.clock import stored_utc
from anshin_lab.workflow.authority import ServiceKey, content_digest

# What an alert says and to whom: subject, body, the privacy decision
# (levels, public place text, areas), the incidents, the urgent path and the
# recipient scope (a follow-up goes to its original's recipients).
CONTENT_FIELDS = ("category", "subject", "body", "level", "assessed_level", "public_text", "area_codes",
                  "incident_ids", "urgent", "original_alert_id")
# Present only on alerts that have them (older rows lack them and keep their hash): the published fields every
# language version is rendered from (``drafting.languages.published``), so they are approved with the rest.
OPTIONAL_CONTENT_FIELDS = ("translations", "published_fields")


def _field(row, name, default=None):
    if isinstance(row, Mapping):
        return row.get(name, default)
    return getattr(row, name, default)


def _plain(value):
    """Enums (Granularity, Status, Role) by name or value, so a row and an ``Alert`` hash alike."""
    if isinstance(value, enum.IntEnum):
        return value.name
    if isinstance(value, enum.Enum):
        return value.value
    return value


def alert_content(alert_row) -> dict:
    """The approvable content of an alert (a row mapping or an ``Alert``), as plain JSON values."""
    content = {name: _plain(_field(alert_row, name)) for name in CONTENT_FIELDS}
    content["urgent"] = bool(content["urgent"])
    content["area_codes"] = dict(content["area_codes"] or {})
    content["incident_ids"] = list(content["incident_ids"] or [])
    if content["original_alert_id"] is not None:
        content["original_alert_id"] = int(content["original_alert_id"])
    for name in OPTIONAL_CONTENT_FIELDS:
        value = _field(alert_row, name)
        if value is not None:
            content[name] = value
    return content


def content_hash(alert_row) -> str:
    """SHA-256 of :func:`alert_content`: what an approval approves."""
    return content_digest(alert_content(alert_row))


def stamp(value) -> str | None:
    """A stored time in one text form (UTC, ISO 8601), the same whichever database handed it back."""
    if value is None:
        return None
    return stored_utc(value).tz_convert("UTC").isoformat()


# -- alert events -------------------------------------------------------------------

def event_payload(row) -> dict:
    """The signed part of an ``alert_events`` row."""
    return {
        "alert_id": int(_field(row, "alert_id")), "action": _plain(_field(row, "action")),
        "from_status": _plain(_field(row, "from_status")), "to_status": _plain(_field(row, "to_status")),
        "actor": _field(row, "actor"), "role": _plain(_field(row, "role")),
        "content_hash": _field(row, "content_hash"), "at": stamp(_field(row, "at")),
        "reason": _field(row, "reason"), "details": _field(row, "details"),
    }


def sign_event(key: ServiceKey, row) -> str:
    """The service's signature over an alert event (before or after it is stored)."""
    return key.sign("alert_event", event_payload(row))


def event_valid(key: ServiceKey, row) -> bool:
    """Whether an ``alert_events`` row was written by the service, unchanged."""
    return key.verify("alert_event", event_payload(row), _field(row, "signature"))


# -- consents -------------------------------------------------------------------------

def consent_payload(row) -> dict:
    """The signed part of a ``consents`` row: every field, and the alert it was given for."""
    return {
        "alert_id": int(_field(row, "alert_id")), "kind": _field(row, "kind"), "given_at": stamp(_field(row, "given_at")),
        "method": _field(row, "method"), "scope": _field(row, "scope"),
        "anshin_mail_ticked": bool(_field(row, "anshin_mail_ticked")), "recorded_by": _field(row, "recorded_by"),
        "recorded_at": stamp(_field(row, "recorded_at")),
    }


def sign_consent(key: ServiceKey, row) -> str:
    return key.sign("consent", consent_payload(row))


def consent_valid(key: ServiceKey, row) -> bool:
    """Whether a ``consents`` row was recorded by the service, unchanged."""
    return key.verify("consent", consent_payload(row), _field(row, "signature"))


# -- operator designations --------------------------------------------------------------

def designation_payload(row) -> dict:
    """The signed part of an ``operator_designations`` row, its revocation included.

    A revocation re-signs the row (with ``revoked_by``/``revoked_at`` set), so
    clearing ``revoked_at`` by hand breaks the signature instead of restoring
    the designation.
    """
    return {
        "username": _field(row, "username"), "designated_by": _field(row, "designated_by"),
        "designated_at": stamp(_field(row, "designated_at")), "revoked_by": _field(row, "revoked_by"),
        "revoked_at": stamp(_field(row, "revoked_at")),
    }


def sign_designation(key: ServiceKey, row) -> str:
    """Signature for a designation row (a mapping with username, designated_by, designated_at, revoked_*)."""
    return key.sign("designation", designation_payload(row))


def designation_valid(key: ServiceKey, row) -> bool:
    """Whether an ``operator_designations`` row was written by the service, unchanged."""
    return key.verify("designation", designation_payload(row), _field(row, "signature"))


# -- accounts ----------------------------------------------------------------------------

def user_payload(username: str, role, active, affiliation: str | None = None) -> dict:
    """The signed part of a ``users`` row; the 所属 only when one is recorded.

    A row written before accounts had a 所属 (None) verifies as it was
    signed then; one that has a 所属 is signed over it, so clearing or
    changing it by hand breaks the signature.
    """
    payload = {"username": username, "role": _plain(role), "active": bool(active)}
    if affiliation is not None:
        payload["affiliation"] = affiliation
    return payload


def sign_user(key: ServiceKey, username: str, role, active, affiliation: str | None = None) -> str:
    """Signature for a ``users`` row's username, role, active flag and 所属."""
    return key.sign("user", user_payload(username, role, active, affiliation))


def user_valid(key: ServiceKey, row) -> bool:
    """Whether a ``users`` row's role, active flag and 所属 are as the service wrote them."""
    payload = user_payload(_field(row, "username"), _field(row, "role"), _field(row, "active"),
                           _field(row, "affiliation"))
    return key.verify("user", payload, _field(row, "signature"))


# -- decisions not to send an incident ----------------------------------------------------------

def decision_payload(row) -> dict:
    """The signed part of an ``incident_decisions`` row."""
    return {
        "incident_id": str(_field(row, "incident_id")), "decision": _field(row, "decision"),
        "reason": _field(row, "reason"), "decided_by": _field(row, "decided_by"), "role": _plain(_field(row, "role")),
        "decided_at": stamp(_field(row, "decided_at")),
    }


def sign_decision(key: ServiceKey, row) -> str:
    return key.sign("incident_decision", decision_payload(row))


def decision_valid(key: ServiceKey, row) -> bool:
    """Whether an ``incident_decisions`` row was recorded by the service, unchanged."""
    return key.verify("incident_decision", decision_payload(row), _field(row, "signature"))
