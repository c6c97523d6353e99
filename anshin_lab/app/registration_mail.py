"""The 空メール inbox: read mails sent to the registration address from a Maildir and answer each sender once.

The relay (the demo's ``demo.smtpd`` or a real one's local delivery) writes
every mail it accepts into a Maildir (``new/``), with ``Delivered-To`` and
``Return-Path`` added. :func:`process_inbox` takes the mails of ``new/``
delivered to the registration address (the settings' ``registration_address``,
else ``touroku@<sender_domain>``; other mails are left where they are) and,
for each sender, creates or refreshes a ``pending`` member and replies with a
confirmation link (``delivery.registration``). Each mail it has dealt with
moves to ``cur/`` (flag ``S``), so nothing is answered twice.

No reply goes to: a sender whose address fails ``email-validator``, an
automatic mail (``Auto-Submitted`` other than ``no``, ``Precedence:
bulk/junk/list``), a bounce (empty ``Return-Path``), or an address over its
rate limit. A reply the relay does not take leaves the mail in ``new/`` and
ends the run (``DeliveryError``): the next run answers it. A crash after a
reply went out and before the mail moved answers it once more — the only
duplicate possible, and the rate limit bounds it.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import email.utils
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from anshin_lab.app.imports import load_area_directory
from anshin_lab.app.workspace import Workspace
from anshin_lab.core.clock import utc_now
from anshin_lab.core.errors import WorkspaceError
from anshin_lab.core.maildir_order import in_delivery_order
from anshin_lab.core.settings import load_settings
from anshin_lab.delivery import member_tokens
from anshin_lab.delivery.options import DeliveryOptions, Relay, options_from_settings, relay_from_settings
from anshin_lab.delivery.registration import (
    prepare_registration, rate_limited, record_reply, registration_address, send_reply,
)
from anshin_lab.records.members import normalise_email
from anshin_lab.storage import store

MAILDIR = "maildir"  # the workspace's Maildir, where the demo relay delivers
POLL_S = 5.0  # how often ``watch_inbox`` looks for new mail
BULK = ("bulk", "junk", "list", "auto_reply")


@dataclass
class InboxReport:
    """What one pass over the inbox did (counts only: no address is kept)."""

    read: int = 0  # mails to the registration address found in new/
    confirm: int = 0  # replies with a confirmation link
    already: int = 0  # replies to active members (no link)
    automatic: int = 0  # auto-replies and bounces: no reply
    invalid: int = 0  # senders whose address fails email-validator: no reply
    limited: int = 0  # over the per-address rate limit: no reply
    member_ids: list = field(default_factory=list)  # members created or refreshed (for the log and tests)

    def lines(self) -> list[str]:
        return [f"登録用アドレスへのメール {self.read}通: 確認リンクを返信 {self.confirm}通、登録済みの案内 {self.already}通",
                f"  返信しなかったもの: 自動応答・不達通知 {self.automatic}通、アドレスの形式が不正 {self.invalid}通、"
                f"回数制限 {self.limited}通"]


def inbox_path(ws: Workspace, maildir=None) -> Path:
    """The Maildir to read: ``maildir``, else ``<workspace>/maildir``; ``WorkspaceError`` when it is not one."""
    path = Path(maildir) if maildir else ws.root / MAILDIR
    if not (path / "new").is_dir() or not (path / "cur").is_dir():
        raise WorkspaceError(f"{path} は Maildir ではありません(new/ と cur/ がありません。--maildir で指定してください)")
    return path


def process_inbox(ws: Workspace, *, maildir=None, relay: Relay | None = None, options: DeliveryOptions | None = None,
                  address: str | None = None, now: dt.datetime | None = None) -> InboxReport:
    """Answer every mail in ``new/`` sent to the registration address once; returns the counts.

    ``relay`` and ``options`` default to the settings'; ``address`` to the
    settings' ``registration_address`` (else ``touroku@<sender_domain>``);
    ``now`` to the current time (the rate limit's clock). Raises
    ``DeliveryError`` when the relay does not take a reply (that mail stays
    in ``new/``).
    """
    settings = load_settings()
    options = options or options_from_settings(settings)
    relay = relay or relay_from_settings(settings)
    target = registration_address(options, address or settings.registration_address)
    path = inbox_path(ws, maildir)
    engine = store.connect(ws.database_url)
    try:
        return _answer_all(ws, engine, path, target, relay, options, now)
    finally:
        engine.dispose()


def _answer_all(ws: Workspace, engine, path: Path, target: str, relay: Relay, options: DeliveryOptions,
                now: dt.datetime | None) -> InboxReport:
    tokens = member_tokens.MemberTokens(member_tokens.load_member_key(ws.root / "secrets" / member_tokens.KEY_NAME),
                                        engine)
    directory = None
    report = InboxReport()
    for name in in_delivery_order(os.listdir(path / "new")):
        source = path / "new" / name
        with open(source, "rb") as handle:
            message = email.message_from_binary_file(handle, policy=email.policy.default)
        if not _addressed_to(message, target):
            continue
        report.read += 1
        verdict, sender = _screen(message)
        at = now or utc_now()
        if verdict == "ok" and rate_limited(engine, sender, at):
            verdict = "limited"
        if verdict == "ok":
            directory = directory or load_area_directory(ws)
            done = prepare_registration(engine, directory, sender, options, now=at,
                                        in_reply_to=str(message.get("Message-ID", "")) or None, tokens=tokens)
            send_reply(done.message, relay, options)
            record_reply(engine, sender, done.kind, at)
            report.member_ids.append(done.member_id)
            verdict = "confirm" if done.kind == "confirm" else "already"
        setattr(report, verdict, getattr(report, verdict) + 1)
        os.rename(source, path / "cur" / f"{name.split(':', 1)[0]}:2,S")
    return report


def watch_inbox(ws: Workspace, *, poll_s: float = POLL_S, announce: Callable[[str], None] = print, **kwargs) -> None:
    """:func:`process_inbox` every ``poll_s`` seconds until interrupted (Ctrl-C)."""
    while True:
        report = process_inbox(ws, **kwargs)
        if report.read:
            for line in report.lines():
                announce(line)
        time.sleep(poll_s)


def _addressed_to(message, target: str) -> bool:
    """Whether the relay delivered ``message`` to ``target`` (``Delivered-To``, else ``To``/``Cc``)."""
    delivered = message.get_all("Delivered-To") or []
    fields = delivered if delivered else (message.get_all("To") or []) + (message.get_all("Cc") or [])
    return any(addr.strip().lower() == target for _, addr in email.utils.getaddresses([str(f) for f in fields]))


def _screen(message) -> tuple[str, str]:
    """``("ok", address)`` for a sender to answer; ``("automatic" | "invalid", "")`` for one not to answer."""
    auto = str(message.get("Auto-Submitted", "no")).strip().lower()
    precedence = str(message.get("Precedence", "")).strip().lower()
    return_path = message.get("Return-Path")
    # A null reverse-path (a bounce) is "<>"; some relays write it as "<<>>".
    if auto != "no" or precedence in BULK or return_path is None or not str(return_path).strip(" <>"):
        return "automatic", ""
    senders = email.utils.getaddresses([str(f) for f in message.get_all("From") or []])
    if len(senders) != 1:
        return "invalid", ""
    address, reason = normalise_email(senders[0][1])
    if reason is not None:
        return "invalid", ""
    return "ok", address
