"""What an SMTP reply says about a message, and text about a failure that is safe to show.

A 5xx reply is a bounce (the member's address is wrong, the member is
counted towards suppression) only when it is about the recipient: a refused
RCPT, or an enhanced status code of class 5.1.x (addressing, RFC 3463 §3.1)
at any stage. Any other 5xx (after DATA, or a policy or system code such as
5.7.1 or 5.3.4) is about the message or the relay: nobody's address is at
fault, and the same refusal for several recipients in a row stops the run.

Errors and reports never carry a member's address or an unsubscribe token:
:func:`redact` removes both from a relay's reply, and :func:`describe_db_error`
keeps only the database's first line (SQLAlchemy's text would add the
statement's parameters, and PostgreSQL's DETAIL line the row's values).
"""

from __future__ import annotations

import re

from anshin_lab.storage.engine import database_reason

_ENHANCED = re.compile(r"^\s*([245])\.(\d{1,3})\.(\d{1,3})\b")
_ADDRESS = re.compile(r"[^\s<>\"'(),;:\[\]]+@[^\s<>\"'(),;:\[\]]+")
_TOKEN = re.compile(r"([?&](?:t|subject)=)[A-Za-z0-9_\-]+")
# What an outbox address must look like before it goes into a command or a header: printable
# ASCII, one @, nothing that could end a line or a field (the member import checks it properly).
_PLAIN_ADDRESS = re.compile(r"[!#-'*+\-./0-9=?A-Z^-~]+@[A-Za-z0-9.\-]+")


def enhanced_status(reply: str | None) -> tuple[int, int, int] | None:
    """The enhanced status code (RFC 3463) a reply starts with, or None: ``"5.1.1 No such user"`` → (5, 1, 1)."""
    found = _ENHANCED.match(reply or "")
    return tuple(int(part) for part in found.groups()) if found else None


def is_recipient_fault(stage: str, code: int, reply: str | None) -> bool:
    """Whether a 5xx at ``stage`` (MAIL, RCPT, DATA, DOT) is about the recipient's address: a bounce.

    An enhanced code decides when there is one (5.1.x: yes; any other: no);
    without one, only a refused RCPT is about the address.
    """
    if code < 500:
        return False
    status = enhanced_status(reply)
    if status is not None:
        return status[0] == 5 and status[1] == 1
    return stage == "RCPT"


def plain_address(address: str) -> bool:
    """Whether ``address`` is safe to put in an SMTP command and a header as it is."""
    return bool(_PLAIN_ADDRESS.fullmatch(address or "")) and len(address) <= 254


def redact(text: str | None, limit: int = 300) -> str:
    """``text`` without addresses or unsubscribe tokens, on one line, at most ``limit`` characters."""
    text = _TOKEN.sub(r"\1…", _ADDRESS.sub("(宛先)", str(text or "")))
    return " ".join(text.split())[:limit]


def describe_db_error(exc: BaseException) -> str:
    """A database failure in one line without the statement's parameters or the row's values."""
    return redact(database_reason(exc))