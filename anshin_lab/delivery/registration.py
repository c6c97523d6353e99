"""空メール registration: answer an empty mail to the registration address with a confirmation link.

Japanese police mail services register members by an empty mail (空メール):
the reply carries a link, and only opening it makes the member ``active``
(double opt-in). :func:`answer_registration` does one sender's part —
within the per-address rate limit, it creates a ``pending`` member (all
categories, the whole prefecture: the member narrows them on the
preferences page) or refreshes one already pending; an address that
unsubscribed gets a ``resubscribe`` link (its status stays until the link
is opened: a fresh double opt-in), one that bounced becomes ``pending``
with a new unsubscribe token; an active member is told they are
registered, without a link — and sends the reply through the relay. The
link is ``<confirm_url>?t=<token>`` with a signed single-use ``confirm``
(or ``resubscribe``) token of ``member_tokens``; the member site's
``/confirm`` (``subscriptions.activate_member``) completes it. The reply is marked ``Auto-Submitted: auto-replied``
(RFC 3834), so it never starts a loop with another robot.

Reading the inbound mails (a Maildir) is ``app.registration_mail``.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import email.utils
import hashlib
import secrets
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage

import aiosmtplib
import pandas as pd
import sqlalchemy as sa

from anshin_lab.core.clock import TOKYO_NAME, stored_utc, utc_now
from anshin_lab.core.directive import PREFECTURE
from anshin_lab.core.errors import DeliveryError
from anshin_lab.core.glossary import CATEGORIES
from anshin_lab.delivery import member_tokens
from anshin_lab.delivery.messages import MAIL_POLICY, header_text, render_confirmation
from anshin_lab.delivery.options import DeliveryOptions, Relay
from anshin_lab.delivery.replies import redact
from anshin_lab.delivery.subscriptions import register_member
from anshin_lab.records.members import AreaDirectory
from anshin_lab.storage.schema import members, registration_replies

REPLY_GAP = dt.timedelta(minutes=1)  # at most one reply to an address a minute …
REPLY_WINDOW = dt.timedelta(hours=24)  # … and REPLIES_PER_WINDOW a day
REPLIES_PER_WINDOW = 3
REGISTRATION_LOCAL = "touroku"  # the registration address is touroku@<sender_domain> unless set


def registration_address(options: DeliveryOptions, address: str = "") -> str:
    """The address members send 空メール to: ``address``, else ``touroku@<sender_domain>``."""
    return (address or f"{REGISTRATION_LOCAL}@{options.sender_domain}").strip().lower()


def address_hash(address: str) -> str:
    """How the rate limit knows an address: the SHA-256 of its lower-cased form (the address is not kept)."""
    return hashlib.sha256(address.strip().lower().encode("utf-8")).hexdigest()


def rate_limited(engine: sa.Engine, address: str, now: dt.datetime) -> bool:
    """Whether ``address`` had a reply within ``REPLY_GAP``, or ``REPLIES_PER_WINDOW`` within ``REPLY_WINDOW``."""
    r = registration_replies.c
    with engine.connect() as conn:
        times = conn.execute(sa.select(r.replied_at).where(r.address_hash == address_hash(address),
                                                           r.replied_at >= _utc(now - REPLY_WINDOW))).scalars().all()
    latest = max((stored_utc(t) for t in times), default=None)
    return len(times) >= REPLIES_PER_WINDOW or (latest is not None and latest > pd.Timestamp(now) - REPLY_GAP)


@dataclass(frozen=True)
class Registration:
    """What was done for one sender: the member, and which reply (``confirm`` with a link, or ``active``)."""

    member_id: str
    kind: str  # confirm / active
    message: EmailMessage


def prepare_registration(engine: sa.Engine, directory: AreaDirectory, address: str, options: DeliveryOptions, *,
                         now: dt.datetime | None = None, in_reply_to: str | None = None,
                         tokens: member_tokens.MemberTokens | None = None) -> Registration:
    """Create or refresh the sender's ``pending`` member and build the reply (not sent; see :func:`send_reply`).

    ``address`` has been validated (``records.members.normalise_email``).
    ``tokens`` signs the link (the installed ``member_tokens`` when None:
    the workspace's member key).
    """
    now = now or utc_now()
    with engine.connect() as conn:
        row = conn.execute(sa.select(members.c.member_id, members.c.status)
                           .where(members.c.email_key == address.lower())).first()
    if row is None:
        member_id, _ = register_member(engine, directory, email=address, categories=list(CATEGORIES),
                                       areas=[PREFECTURE])
    else:
        member_id = row.member_id
        if row.status == "active":
            return Registration(member_id, "active", _already_registered(address, options, now, in_reply_to))
        if row.status == "bounced":  # the address works again: pending, with a fresh double opt-in
            with engine.begin() as conn:
                conn.execute(members.update().where(members.c.member_id == member_id, members.c.status == "bounced")
                             .values(status="pending", unsubscribe_token=secrets.token_urlsafe(24),
                                     hard_bounces=0, updated_at=_utc(now)))
    # Coming back after an unsubscribe: the status stays until the link is opened (a resubscribe token).
    purpose = "resubscribe" if row is not None and row.status == "unsubscribed" else "confirm"
    token = (tokens or member_tokens.installed()).issue(purpose, member_id)
    message = render_confirmation(address, token, options, date=pd.Timestamp(now).tz_convert(TOKYO_NAME))
    _mark_reply(message, in_reply_to)
    return Registration(member_id, "confirm", message)


def record_reply(engine: sa.Engine, address: str, kind: str, now: dt.datetime | None = None) -> None:
    """Count a reply sent to ``address`` against its rate limit."""
    with engine.begin() as conn:
        conn.execute(registration_replies.insert().values(address_hash=address_hash(address),
                                                          replied_at=_utc(now or utc_now()), kind=kind))


def send_reply(message: EmailMessage, relay: Relay, options: DeliveryOptions) -> None:
    """Hand one reply to the relay (MAIL FROM the service's sender); ``DeliveryError`` when it is not accepted."""
    kwargs = relay.client_kwargs()
    try:
        asyncio.run(aiosmtplib.send(message, sender=options.sender, recipients=[str(message["To"])], **kwargs))
    except (aiosmtplib.SMTPException, OSError, asyncio.TimeoutError) as exc:
        raise DeliveryError(f"登録の返信を SMTP リレー {relay} に渡せません({redact(str(exc), 160)})。"
                            "リレーを確かめて、もう一度実行してください") from exc


def _already_registered(address: str, options: DeliveryOptions, now, in_reply_to) -> EmailMessage:
    msg = EmailMessage(policy=MAIL_POLICY)
    msg["From"] = Address(header_text(options.sender_name), options.sender_local, options.sender_domain)
    msg["To"] = address
    msg["Subject"] = "【県警あんしんメール】登録済みです"
    msg["Date"] = email.utils.format_datetime(pd.Timestamp(now).tz_convert(TOKYO_NAME).to_pydatetime())
    msg["Message-ID"] = email.utils.make_msgid("registered", domain=options.sender_domain)
    msg.set_content("このアドレスは県警あんしんメールに登録済みです。\n"
                    "受け取る分類や地域の変更・配信の停止は、届いているメールの末尾のリンクから行えます。\n\n"
                    "お心当たりのない場合は、このメールを削除してください。\n"
                    f"――――――――――\n{options.sender_name}({options.organisation})\n", charset="utf-8",
                    cte="base64")
    _mark_reply(msg, in_reply_to)
    return msg


def _mark_reply(message: EmailMessage, in_reply_to: str | None) -> None:
    message["Auto-Submitted"] = "auto-replied"  # RFC 3834: robots do not answer it
    if in_reply_to and len(in_reply_to) <= 250 and "\n" not in in_reply_to and "\r" not in in_reply_to:
        message["In-Reply-To"] = in_reply_to


def _utc(value: dt.datetime) -> dt.datetime:
    return value.astimezone(dt.timezone.utc)
