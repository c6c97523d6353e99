"""Delivery: the messages, the outbox and the SMTP sender (the only module that talks SMTP).

``send_alert`` is what the designated operator runs: it checks the alert may
be released (``alerts.check_can_send``), queues one outbox row per recipient
in one transaction (or finds the rows a crashed run queued), delivers them
and records the release (``alerts.mark_sent``) once no row is left to send.

The outbox is crash-safe. A row is marked ``sending`` (committed) before its
DATA goes out and ``sent`` after the relay's 250, and a connection marks its
next row only after the previous one's outcome is committed; so a kill at
any moment leaves at most one row per connection in ``sending``: the only
messages SMTP cannot tell apart (accepted an instant before the kill, or
not). The next run sends those again and counts them in its report as
``ambiguous``; every other row is sent exactly once. State changes from all
connections are committed together by one writer thread (group commit),
so the database is not the bottleneck.

Replies: 250 → ``sent``; 4xx, a dropped connection or a timeout → ``deferred``
and retried in the same run with exponential backoff (from
``retry_initial_s``, capped at ``retry_max_s``, for ``retry_window_s``);
5xx to RCPT or DATA → ``failed`` and a bounce for the member, suppressed
(status ``bounced``) after ``bounce_limit`` hard bounces in a row. A 5xx to
MAIL FROM or a refused login stops the run: that is the relay refusing us,
not a member's address.
"""

from __future__ import annotations

import asyncio
import binascii
import contextlib
import dataclasses
import datetime as dt
import email.policy
import email.utils
import hashlib
import heapq
import itertools
import os
import queue
import random
import socket
import ssl
import threading
import time
from collections import Counter, defaultdict, deque
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.message import EmailMessage
from pathlib import Path
from typing import Callable, Mapping

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

from anshin_lab.core.errors import DeliveryError, StoreError
from anshin_lab.delivery.members import Recipient, select_recipients
from anshin_lab.storage.store import bounces, delivery_runs, members, outbox

TOKYO = "Asia/Tokyo"
# Japanese mobile carriers throttle bulk senders: messages per second per destination domain.
DEFAULT_RATE_LIMITS = ("docomo.ne.jp=20,ezweb.ne.jp=20,au.com=20,softbank.ne.jp=20,i.softbank.jp=20,"
                       "ymobile.ne.jp=20,uqmobile.jp=20")
SECURITY_MODES = ("auto", "starttls", "tls", "none")
FINAL_STATES = ("sent", "failed", "skipped")
PENDING_STATES = ("queued", "sending", "deferred")
# Headers the DKIM signature covers (RFC 8058 §4 asks for the List-Unsubscribe pair).
DKIM_HEADERS = (b"from", b"to", b"subject", b"date", b"message-id", b"list-unsubscribe", b"list-unsubscribe-post",
                b"mime-version", b"content-type", b"content-transfer-encoding")


# -- configuration ------------------------------------------------------------------------

@dataclass(frozen=True)
class Relay:
    """Where mail is handed over: an SMTP relay, with its TLS mode and login."""

    host: str
    port: int
    security: str = "auto"  # auto: STARTTLS when offered; starttls: required; tls: implicit TLS; none
    username: str = ""
    password: str = field(default="", repr=False)
    ca_file: str = ""  # CA bundle for an intranet relay's certificate ("" = the system's)
    timeout_s: float = 30.0

    def __post_init__(self):
        if self.security not in SECURITY_MODES:
            raise DeliveryError(f"SMTP の暗号化「{self.security}」は使えません({'・'.join(SECURITY_MODES)})")

    def __str__(self) -> str:
        return f"{self.host}:{self.port}"


def parse_relay(text: str, **options) -> Relay:
    """A ``Relay`` from ``HOST:PORT`` (``[::1]:25`` for IPv6) and keyword options."""
    host, sep, port = str(text).strip().rpartition(":")
    if not sep or not host or not port.isdigit():
        raise DeliveryError(f"SMTP リレーは HOST:PORT の形で指定してください: {text}")
    return Relay(host.strip("[]"), int(port), **options)


def parse_rate_limits(text: str | Mapping | None) -> dict[str, float]:
    """``{"docomo.ne.jp": 20.0, …}`` from ``"docomo.ne.jp=20,ezweb.ne.jp=20"`` (messages per second)."""
    if text is None:
        return {}
    if isinstance(text, Mapping):
        return {str(k).lower(): float(v) for k, v in text.items()}
    limits = {}
    for part in str(text).split(","):
        if not part.strip():
            continue
        domain, sep, rate = part.partition("=")
        try:
            value = float(rate)
        except ValueError:
            value = 0.0
        if not sep or not domain.strip() or value <= 0:
            raise DeliveryError(f"ドメイン別の送信速度「{part.strip()}」を読めません(例: docomo.ne.jp=20)")
        limits[domain.strip().lower()] = value
    return limits


@dataclass(frozen=True)
class DeliveryOptions:
    """How messages are built and sent; :func:`options_from_settings` fills it from the settings."""

    sender_domain: str = "123123.tv"
    sender_local: str = "anshin"
    # Up to 12 kanji/kana fit one encoded word; longer names are split in two, which some readers show with a gap.
    sender_name: str = "県警あんしんメール"
    organisation: str = "鹿児島県警察"
    unsubscribe_url: str = ""  # "" = https://<sender_domain>/unsubscribe
    confirm_url: str = ""  # "" = https://<sender_domain>/confirm
    connections: int = 16
    rate_limits: Mapping[str, float] = field(default_factory=lambda: parse_rate_limits(DEFAULT_RATE_LIMITS))
    retry_initial_s: float = 1.0
    retry_max_s: float = 30.0
    retry_window_s: float = 600.0
    connect_attempts: int = 5
    bounce_limit: int = 3
    dkim_key_path: str = ""
    dkim_selector: str = "anshin"
    helo_name: str = ""  # "" = this machine's host name (no DNS look-up)

    @property
    def sender(self) -> str:
        return f"{self.sender_local}@{self.sender_domain}"

    @property
    def unsubscribe_base(self) -> str:
        return self.unsubscribe_url or f"https://{self.sender_domain}/unsubscribe"

    @property
    def confirm_base(self) -> str:
        return self.confirm_url or f"https://{self.sender_domain}/confirm"


def options_from_settings(settings=None, **overrides) -> DeliveryOptions:
    """Delivery options from the settings object; fields it lacks keep their defaults.

    Setting names: ``sender_domain``, ``sender_local``, ``sender_name``,
    ``organisation``, ``unsubscribe_url``, ``confirm_url``,
    ``smtp_connections``, ``rate_limits``, ``retry_initial_s``, ``retry_max_s``,
    ``retry_window_s``, ``bounce_limit``, ``dkim_key_path``, ``dkim_selector``.
    """
    from anshin_lab.core.settings import load_settings

    settings = settings or load_settings()
    values = {}
    for f in dataclasses.fields(DeliveryOptions):
        name = "smtp_connections" if f.name == "connections" else f.name
        if hasattr(settings, name):
            value = getattr(settings, name)
            if f.name == "rate_limits":
                value = parse_rate_limits(value)
            elif isinstance(f.default, (int, float)):
                value = type(f.default)(value)
            elif isinstance(f.default, str):
                value = str(value)
            values[f.name] = value
    values.update({k: v for k, v in overrides.items() if v is not None})
    return DeliveryOptions(**values)


def relay_from_settings(settings=None, hostport: str | None = None) -> Relay:
    """The relay of ``--smtp HOST:PORT`` (else the settings' host and port), login and TLS from the settings.

    Setting names: ``smtp_host``, ``smtp_port``, ``smtp_security``,
    ``smtp_user``, ``smtp_password`` (secret), ``smtp_ca_file``, ``smtp_timeout_s``.
    """
    from anshin_lab.core.settings import load_settings

    settings = settings or load_settings()
    extra = {"security": getattr(settings, "smtp_security", "auto"),
             "username": getattr(settings, "smtp_user", ""),
             "password": getattr(settings, "smtp_password", ""),
             "ca_file": str(getattr(settings, "smtp_ca_file", "") or ""),
             "timeout_s": float(getattr(settings, "smtp_timeout_s", 30))}
    if hostport:
        return parse_relay(hostport, **extra)
    return Relay(settings.smtp_host, int(settings.smtp_port), **extra)


# -- messages ---------------------------------------------------------------------------------

class _MailPolicy(email.policy.EmailPolicy):
    """``email.policy.SMTP``, except that List-Unsubscribe is folded between its URIs.

    The package folds an over-long word of an unstructured header by turning
    it into encoded words, which would hide the URIs from the receiving
    system; the URIs are ASCII, so each goes on its own line instead.
    """

    def fold(self, name, value):
        if name.lower() == "list-unsubscribe":
            return f"{name}:{self.linesep} " + f",{self.linesep} ".join(str(value).split(", ")) + self.linesep
        return super().fold(name, value)

    def fold_binary(self, name, value):
        if name.lower() == "list-unsubscribe":
            return self.fold(name, value).encode("ascii")
        return super().fold_binary(name, value)


MAIL_POLICY = _MailPolicy(linesep="\r\n")

def message_id_for(alert_id: int, member_id: str, domain: str) -> str:
    """The Message-ID of (alert, member): the same on every attempt, on the sender domain."""
    digest = hashlib.sha256(f"{alert_id}:{member_id}".encode("utf-8")).hexdigest()[:24]
    return f"<anshin.{alert_id}.{digest}@{domain}>"


def unsubscribe_links(token: str, options: DeliveryOptions) -> tuple[str, str]:
    """The one-click HTTPS link and the mailto fallback for a member's unsubscribe token."""
    return f"{options.unsubscribe_base}?t={token}", f"mailto:unsubscribe@{options.sender_domain}?subject={token}"


def render_body(body: str, unsubscribe_url: str, options: DeliveryOptions) -> str:
    """The alert text with the footer the law asks for: sender, how to stop the mail (特定電子メール法)."""
    text = body.rstrip("\n")
    return (f"{text}\n\n――――――――――\n{options.sender_name}({options.organisation})\n"
            f"配信の停止: {unsubscribe_url}\n※このメールは送信専用です。返信はできません。\n")


def build_message(*, subject: str, body: str, to: str, message_id: str, date, unsubscribe_token: str,
                  options: DeliveryOptions) -> EmailMessage:
    """One member's message, built whole with the ``email`` package (the reference for ``MessageTemplate``).

    Plain text (what phones show best), UTF-8 in base64, the subject as an
    encoded word, ``From`` on the sender domain, ``Date``, the fixed
    ``Message-ID`` and the RFC 8058 one-click unsubscribe headers.
    """
    url, mailto = unsubscribe_links(unsubscribe_token, options)
    msg = EmailMessage(policy=MAIL_POLICY)
    msg["From"] = Address(options.sender_name, options.sender_local, options.sender_domain)
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = email.utils.format_datetime(pd.Timestamp(date).tz_convert(TOKYO).to_pydatetime())
    msg["Message-ID"] = message_id
    msg["List-Unsubscribe"] = f"<{url}>, <{mailto}>"
    msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    msg.set_content(render_body(body, url, options), charset="utf-8", cte="base64")
    return msg


_TO = "anshin-to-placeholder@placeholder.invalid"
_MID = "<anshin-message-id-placeholder@placeholder.invalid>"
_TOKEN = "T" * 32  # the length of secrets.token_urlsafe(24), so headers fold as they would


class MessageTemplate:
    """An alert's message, built once with the ``email`` package, then filled in per member.

    Building a whole ``EmailMessage`` costs milliseconds; a batch of 100,000
    cannot afford that. The template is the ``email`` package's own output
    for the alert with placeholder recipient, Message-ID and token; ``render``
    puts in the member's values (ASCII by construction) and base64-encodes
    the body exactly as the package does. A test checks that both ways give
    the same message.
    """

    def __init__(self, *, subject: str, body: str, date, options: DeliveryOptions, signer=None):
        self.options = options
        self.signer = signer
        reference = build_message(subject=subject, body=body, to=_TO, message_id=_MID, date=date,
                                  unsubscribe_token=_TOKEN, options=options)
        raw = reference.as_bytes()
        head, _, _ = raw.partition(b"\r\n\r\n")
        self._head = head + b"\r\n\r\n"
        url_placeholder = unsubscribe_links(_TOKEN, options)[0]
        self._body = render_body(body, url_placeholder, options)

    def render(self, *, to: str, message_id: str, unsubscribe_token: str) -> bytes:
        """The message for one member, as bytes ready for DATA (DKIM-signed when a key is set)."""
        head = (self._head.replace(_TO.encode(), to.encode("ascii"))
                .replace(_MID.encode(), message_id.encode("ascii"))
                .replace(_TOKEN.encode(), unsubscribe_token.encode("ascii")))
        url = unsubscribe_links(unsubscribe_token, self.options)[0]
        text = self._body.replace(unsubscribe_links(_TOKEN, self.options)[0], url)
        message = head + _base64_body(text)
        return self.signer.sign(message) if self.signer is not None else message


def _base64_body(text: str) -> bytes:
    # What email.contentmanager does for cte="base64" under policy SMTP: CRLF lines, 57 bytes per line.
    data = b"\r\n".join(text.encode("utf-8").splitlines()) + b"\r\n"
    lines = (binascii.b2a_base64(data[i:i + 57], newline=False) for i in range(0, len(data), 57))
    return b"\r\n".join(lines) + b"\r\n"


class DkimSigner:
    """DKIM-signs messages (dkimpy) with a PEM private key: RSA, or Ed25519 (RFC 8463)."""

    def __init__(self, key_path, selector: str, domain: str):
        import dkim

        self._dkim = dkim
        try:
            self.key = Path(key_path).read_bytes()
        except OSError as exc:
            raise DeliveryError(f"DKIM の秘密鍵 {key_path} を読めません: {exc}") from exc
        self.selector = selector.encode("ascii")
        self.domain = domain.encode("ascii")

    def sign(self, message: bytes) -> bytes:
        try:
            header = self._dkim.sign(message, self.selector, self.domain, self.key, include_headers=list(DKIM_HEADERS))
        except self._dkim.DKIMException as exc:
            raise DeliveryError(f"DKIM 署名に失敗しました: {exc}") from exc
        return header + message


def make_signer(options: DeliveryOptions):
    """A ``DkimSigner`` when a key is configured, else None."""
    if not options.dkim_key_path:
        return None
    return DkimSigner(options.dkim_key_path, options.dkim_selector, options.sender_domain)


def render_confirmation(to: str, token: str, options: DeliveryOptions, *, date=None) -> EmailMessage:
    """The double opt-in mail: the link that activates a pending member (``members.confirm_member``)."""
    msg = EmailMessage(policy=MAIL_POLICY)
    msg["From"] = Address(options.sender_name, options.sender_local, options.sender_domain)
    msg["To"] = to
    msg["Subject"] = "【県警あんしんメール】登録の確認"
    msg["Date"] = email.utils.format_datetime(pd.Timestamp(date or pd.Timestamp.now(tz=TOKYO)).to_pydatetime())
    msg["Message-ID"] = email.utils.make_msgid("confirm", domain=options.sender_domain)
    msg.set_content("県警あんしんメールへの登録を受け付けました。\n"
                    f"48時間以内に次のリンクを開くと、登録が完了します。\n{options.confirm_base}?t={token}\n\n"
                    "お心当たりのない場合は、このメールを削除してください(登録されません)。\n"
                    f"――――――――――\n{options.sender_name}({options.organisation})\n", charset="utf-8",
                    cte="base64")
    return msg


# -- the outbox -------------------------------------------------------------------------------

def _now() -> dt.datetime:
    return pd.Timestamp.now(tz="UTC").to_pydatetime()


def queue_alert(engine: sa.Engine, alert, options: DeliveryOptions | None = None,
                recipients: list[Recipient] | None = None) -> int:
    """Put one outbox row per recipient in one transaction; returns the rows the alert has.

    When the alert already has outbox rows (a run that crashed), nothing is
    re-selected or re-queued. ``recipients`` defaults to
    ``members.select_recipients``. Raises ``DeliveryError`` when no member
    would receive the alert.
    """
    options = options or DeliveryOptions()
    try:
        with engine.begin() as conn:
            existing = conn.execute(sa.select(sa.func.count()).select_from(outbox)
                                    .where(outbox.c.alert_id == alert.alert_id)).scalar()
            if existing:
                return existing
            chosen = select_recipients(conn, alert) if recipients is None else recipients
            if not chosen:
                raise DeliveryError(f"配信 #{alert.alert_id} を受け取る会員がいません(分類・地域を確認してください)")
            now = _now()
            rows = [{"alert_id": alert.alert_id, "member_id": r.member_id, "seq": n, "email": r.email,
                     "domain": r.domain, "message_id": message_id_for(alert.alert_id, r.member_id, options.sender_domain),
                     "state": "queued", "attempts": 0, "ambiguous": 0, "queued_at": now}
                    for n, r in enumerate(chosen)]
            for start in range(0, len(rows), 5000):
                conn.execute(outbox.insert(), rows[start:start + 5000])
            return len(rows)
    except SQLAlchemyError as exc:
        raise StoreError(f"送信待ちの登録に失敗しました(何も書き込んでいません): {exc}") from exc


def outbox_states(engine: sa.Engine, alert_id: int) -> dict[str, int]:
    """How many outbox rows of the alert are in each state."""
    with engine.connect() as conn:
        rows = conn.execute(sa.select(outbox.c.state, sa.func.count()).where(outbox.c.alert_id == alert_id)
                            .group_by(outbox.c.state)).all()
    return dict(rows)


@dataclass
class _Item:
    member_id: str
    email: str
    domain: str
    message_id: str
    token: str
    queued_at: object
    tries: int = 0  # attempts in this run


@dataclass
class DeliveryReport:
    """What a delivery run did, and where the alert's outbox stands after it."""

    alert_id: int
    relay: str
    total: int = 0  # outbox rows of the alert
    sent: int = 0  # delivered in this run
    failed: int = 0  # refused for good (5xx) in this run
    skipped: int = 0  # members who left between queueing and this run
    already_done: int = 0  # rows final before this run
    retries: int = 0  # 4xx replies, dropped connections and timeouts retried in this run
    ambiguous: int = 0  # rows found "sending" (a killed run): sent again, so maybe delivered twice
    suppressed: int = 0  # members suppressed after repeated hard bounces
    pending: int = 0  # rows left queued / deferred after this run
    sent_total: int = 0  # rows sent over all runs
    failed_total: int = 0
    connections: int = 0
    seconds: float = 0.0
    error: str | None = None
    run_id: int | None = None
    by_code: dict = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        return self.pending == 0 and self.error is None

    @property
    def msgs_per_s(self) -> float:
        return self.sent / self.seconds if self.seconds > 0 else 0.0

    def as_dict(self) -> dict:
        return {**dataclasses.asdict(self), "complete": self.complete, "msgs_per_s": round(self.msgs_per_s, 1)}

    def lines(self) -> list[str]:
        out = [f"配信 #{self.alert_id}: 宛先 {self.total:,}件(リレー {self.relay})",
               f"  送信済み {self.sent_total:,}件(今回 {self.sent:,}件)",
               f"  不達(5xx) {self.failed_total:,}件(今回 {self.failed:,}件、不達が続いたため停止した会員 {self.suppressed}人)"]
        if self.skipped:
            out.append(f"  送信前に配信停止した会員 {self.skipped:,}件(送っていません)")
        out.append(f"  一時エラー(4xx・切断)の再試行 {self.retries:,}回")
        if self.ambiguous:
            out.append(f"  前回の中断時に送信中だった通知 {self.ambiguous}件を再送しました"
                       f"(SMTP では区別できないため、二重に届いた可能性があります)")
        out.append(f"  未完了 {self.pending:,}件" + ("(もう一度 send を実行すると続きから送ります)" if self.pending else ""))
        out.append(f"  所要 {self.seconds:.1f}秒({self.msgs_per_s:,.0f}通/秒、同時接続 {self.connections})")
        if self.error:
            out.append(f"  中断: {self.error}")
        return out


class _Writer:
    """Applies outbox changes in order, in batched transactions, on its own thread (group commit)."""

    LINGER_S = 0.001

    def __init__(self, engine: sa.Engine, alert_id: int, loop: asyncio.AbstractEventLoop, bounce_limit: int):
        self.engine = engine
        self.alert_id = alert_id
        self.loop = loop
        self.bounce_limit = bounce_limit
        self.error: BaseException | None = None
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name="outbox-writer", daemon=True)
        self._statements = self._prepare()
        self._raw = {kind: self._compile(self._statements[kind][0]) for kind in ("sending", "sent")}
        self._thread.start()

    def _compile(self, statement):
        # The hot statements go to the driver as compiled SQL: SQLAlchemy's per-row parameter
        # handling would otherwise cost more than the database's own work. They bind no dates.
        compiled = statement.compile(dialect=self.engine.dialect)
        order = tuple(compiled.positiontup) if compiled.positional else None
        return str(compiled), order, dict(compiled.params)

    def _prepare(self) -> dict:
        o, m = outbox.c, members.c
        row = (o.alert_id == sa.bindparam("b_alert")) & (o.member_id == sa.bindparam("b_member"))
        member = m.member_id == sa.bindparam("b_member")
        over = m.hard_bounces + 1 >= self.bounce_limit
        return {
            "sending": [outbox.update().where(row).values(state="sending", attempts=o.attempts + 1)],
            # The hot path: no per-row Python conversions (the time is the database's own).
            "sent": [outbox.update().where(row).values(state="sent", sent_at=sa.func.now(),
                                                       last_code=sa.bindparam("b_code"),
                                                       last_reply=sa.bindparam("b_reply"))],
            "deferred": [outbox.update().where(row).values(state="deferred", last_code=sa.bindparam("b_code"),
                                                           last_reply=sa.bindparam("b_reply"),
                                                           next_attempt_at=sa.bindparam("b_next"))],
            "failed": [outbox.update().where(row).values(state="failed", last_code=sa.bindparam("b_code"),
                                                         last_reply=sa.bindparam("b_reply")),
                       bounces.insert().values(member_id=sa.bindparam("b_member"), alert_id=sa.bindparam("b_alert"),
                                               at=sa.bindparam("b_at"), code=sa.bindparam("b_code"),
                                               reply=sa.bindparam("b_reply")),
                       members.update().where(member).values(
                           hard_bounces=m.hard_bounces + 1,
                           status=sa.case((over & (m.status == "active"), "bounced"), else_=m.status),
                           suppressed_at=sa.case((over & (m.status == "active"), sa.bindparam("b_at")),
                                                 else_=m.suppressed_at),
                           updated_at=sa.bindparam("b_at"))],
        }

    def submit(self, kind: str, item: _Item, code: int | None = None, reply: str | None = None, *,
               next_at=None, wait: bool = False):
        """Queue a change; with ``wait`` a future that resolves once it is committed (or fails)."""
        future = self.loop.create_future() if wait else None
        self._queue.put((kind, item.member_id, code, reply, next_at, future))
        return future

    def close(self) -> None:
        """Commit everything submitted, then stop the thread."""
        self._queue.put(None)
        self._thread.join()

    def _run(self) -> None:
        try:
            with self.engine.connect() as conn:  # one connection for the whole run
                self._loop(conn)
        except SQLAlchemyError as exc:  # could not even connect: fail every waiter
            self.error = exc
            self._loop(None)

    def _loop(self, conn) -> None:
        stop = False
        while not stop:
            first = self._queue.get()
            batch = []
            if first is None:
                stop = True
            else:
                batch.append(first)
                # Linger a moment so that one commit carries many changes: the connections
                # are busy with MAIL and RCPT meanwhile, which take longer than this.
                time.sleep(self.LINGER_S)
                while len(batch) < 5000:
                    try:
                        change = self._queue.get_nowait()
                    except queue.Empty:
                        break
                    if change is None:
                        stop = True
                        break
                    batch.append(change)
            if batch:
                self._apply(conn, batch)

    def _apply(self, conn, batch: list) -> None:
        now = _now()
        phases: dict[int, dict[str, list]] = defaultdict(lambda: defaultdict(list))
        seen: Counter = Counter()
        for kind, member_id, code, reply, next_at, _ in batch:
            # A row's changes keep their order: its n-th change in the batch goes in phase n.
            phase = seen[member_id]
            seen[member_id] += 1
            phases[phase][kind].append({"b_alert": self.alert_id, "b_member": member_id, "b_code": code,
                                        "b_reply": reply, "b_at": now, "b_next": next_at})
        error = None
        waiting = [change[-1] for change in batch if change[-1] is not None]
        if self.error is None:
            try:
                with conn.begin():
                    for phase in sorted(phases):
                        for kind, params in phases[phase].items():
                            if kind in self._raw:
                                sql, order, fixed = self._raw[kind]
                                rows = [{**fixed, **p} for p in params]
                                if order:
                                    rows = [tuple(p[k] for k in order) for p in rows]
                                conn.exec_driver_sql(sql, rows)
                                continue
                            for statement in self._statements[kind]:
                                conn.execute(statement, params)
            except Exception as exc:  # noqa: BLE001 - the thread's boundary: fail the run, never hang it
                error = self.error = exc
        else:
            error = self.error
        if waiting:
            # One wake-up of the event loop per batch, not one per waiting connection.
            self.loop.call_soon_threadsafe(_resolve, waiting, error)


def _resolve(futures: list, error) -> None:
    for future in futures:
        if future.done():
            continue
        if error is None:
            future.set_result(None)
        else:
            future.set_exception(DeliveryError(f"送信記録を書き込めません: {error}"))


# -- scheduling ---------------------------------------------------------------------------------

class _Bucket:
    """A token bucket: ``rate`` messages a second, bursts of up to one second's worth."""

    def __init__(self, rate: float):
        self.rate = rate
        self.capacity = max(1.0, rate)
        self.tokens = self.capacity
        self.at = time.monotonic()

    def wait(self, now: float) -> float:
        """0 when a message may go now (and take its token), else the seconds until one may."""
        self.tokens = min(self.capacity, self.tokens + (now - self.at) * self.rate)
        self.at = now
        if self.tokens >= 1:
            self.tokens -= 1
            return 0.0
        return (1 - self.tokens) / self.rate


class _Scheduler:
    """Hands rows to connections: per-domain rate limits, deferred retries, and the end of the run."""

    def __init__(self, items: list[_Item], rate_limits: Mapping[str, float]):
        self.limits = dict(rate_limits)
        self.queues: dict[str, deque] = {}
        self.buckets: dict[str, _Bucket | None] = {}
        self.deferred: list = []
        self.counter = itertools.count()
        self.in_flight = 0
        self.aborted: BaseException | None = None
        self.changed = asyncio.Event()
        for item in items:
            self.add(item)

    def _key(self, domain: str) -> str:
        domain = domain.lower()
        for limited in self.limits:
            if domain == limited or domain.endswith("." + limited):
                return limited
        return "*"

    def add(self, item: _Item, *, front: bool = False) -> None:
        key = self._key(item.domain)
        if key not in self.queues:
            self.queues[key] = deque()
            self.buckets[key] = _Bucket(self.limits[key]) if key in self.limits else None
        (self.queues[key].appendleft if front else self.queues[key].append)(item)
        self.changed.set()

    def defer(self, item: _Item, delay: float) -> None:
        heapq.heappush(self.deferred, (time.monotonic() + delay, next(self.counter), item))
        self.changed.set()

    def done_with(self, item: _Item) -> None:
        self.in_flight -= 1
        self.changed.set()

    def abort(self, error: BaseException) -> None:
        if self.aborted is None:
            self.aborted = error
        self.changed.set()

    def queued(self) -> int:
        return sum(len(q) for q in self.queues.values()) + len(self.deferred)

    def drain(self) -> list[_Item]:
        items = [i for q in self.queues.values() for i in q] + [entry[2] for entry in self.deferred]
        for q in self.queues.values():
            q.clear()
        self.deferred.clear()
        return items

    async def next(self) -> _Item | None:
        """The next row to send, waiting for rate limits and retries; None when the run is over."""
        while True:
            if self.aborted is not None:
                return None
            now = time.monotonic()
            while self.deferred and self.deferred[0][0] <= now:
                self.add(heapq.heappop(self.deferred)[2])
            waits = []
            for key, items in self.queues.items():
                if not items:
                    continue
                bucket = self.buckets[key]
                wait = 0.0 if bucket is None else bucket.wait(now)
                if wait == 0.0:
                    self.in_flight += 1
                    return items.popleft()
                waits.append(wait)
            if not waits and not self.deferred and self.in_flight == 0:
                return None
            if self.deferred:
                waits.append(self.deferred[0][0] - now)
            self.changed.clear()
            try:
                await asyncio.wait_for(self.changed.wait(), timeout=max(0.001, min(waits)) if waits else None)
            except asyncio.TimeoutError:
                pass


# -- the sender ---------------------------------------------------------------------------------

class _Fatal(Exception):
    """The relay refuses us (login, sender, TLS): stop the whole run."""


class _Delivery:
    def __init__(self, engine, alert, items, relay: Relay, options: DeliveryOptions, report: DeliveryReport,
                 progress, done_before: int):
        self.engine = engine
        self.alert = alert
        self.relay = relay
        self.options = options
        self.report = report
        self.progress = progress
        self.done = done_before
        self.items = items
        self.signer = make_signer(options)
        self.templates: dict = {}
        self.started = time.monotonic()
        self.alive = 0
        self.last_connect_error: BaseException | None = None
        self.helo = options.helo_name or socket.gethostname() or "localhost"
        self._mail_from = b"FROM:<%s>" % options.sender.encode("ascii")

    def render(self, item: _Item) -> bytes:
        template = self.templates.get(item.queued_at)
        if template is None:
            template = self.templates[item.queued_at] = MessageTemplate(
                subject=self.alert.subject, body=self.alert.body, date=_aware(item.queued_at), options=self.options,
                signer=self.signer)
        return template.render(to=item.email, message_id=item.message_id, unsubscribe_token=item.token)

    async def run(self) -> None:
        loop = asyncio.get_running_loop()
        self.scheduler = _Scheduler(self.items, self.options.rate_limits)
        self.writer = _Writer(self.engine, self.alert.alert_id, loop, self.options.bounce_limit)
        workers = max(1, min(self.options.connections, len(self.items)))
        self.report.connections = workers
        self.alive = workers
        try:
            results = await asyncio.gather(*(self._worker() for _ in range(workers)), return_exceptions=True)
        finally:
            await loop.run_in_executor(None, self.writer.close)
        for result in results:
            if isinstance(result, BaseException) and not isinstance(result, _Fatal):
                raise result
        if self.writer.error is not None:
            self.report.error = f"送信記録を書き込めません: {self.writer.error}"
        elif self.scheduler.aborted is not None:
            self.report.error = str(self.scheduler.aborted)

    def _connect_kwargs(self) -> dict:
        relay = self.relay
        kwargs = {"hostname": relay.host, "port": relay.port, "timeout": relay.timeout_s,
                  "local_hostname": self.helo, "use_tls": relay.security == "tls",
                  "start_tls": {"auto": None, "starttls": True, "tls": False, "none": False}[relay.security]}
        if relay.ca_file:
            kwargs["tls_context"] = ssl.create_default_context(cafile=relay.ca_file)
        if relay.username:
            kwargs["username"], kwargs["password"] = relay.username, relay.password
        return kwargs

    async def _connect(self):
        import aiosmtplib

        client = aiosmtplib.SMTP(**self._connect_kwargs())
        try:
            await client.connect()
        except aiosmtplib.SMTPAuthenticationError as exc:
            client.close()
            raise _Fatal(f"SMTP リレー {self.relay} へのログインが拒否されました({exc.code} {exc.message})") from exc
        except (aiosmtplib.SMTPNotSupported, ssl.SSLError) as exc:
            client.close()
            raise _Fatal(f"SMTP リレー {self.relay} と暗号化(TLS)の接続ができません: {exc}") from exc
        except BaseException:
            client.close()
            raise
        return client

    async def _worker(self) -> None:
        import aiosmtplib

        client = None
        failures = 0
        try:
            while True:
                item = await self.scheduler.next()
                if item is None:
                    return
                if client is None or not client.is_connected:
                    try:
                        client = await self._connect()
                        failures = 0
                    except _Fatal as exc:
                        self.scheduler.add(item, front=True)
                        self.scheduler.done_with(item)
                        self.scheduler.abort(DeliveryError(str(exc)))
                        raise
                    except (OSError, asyncio.TimeoutError, aiosmtplib.SMTPException) as exc:
                        client = None
                        failures += 1
                        self.last_connect_error = exc
                        self.scheduler.add(item, front=True)
                        self.scheduler.done_with(item)
                        if failures >= self.options.connect_attempts:
                            return
                        await asyncio.sleep(self._backoff(failures))
                        continue
                client = await self._send(client, item)
        finally:
            self.alive -= 1
            if client is not None:
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(client.quit(), timeout=2)
                client.close()
            if self.alive == 0 and self.scheduler.queued() and self.scheduler.aborted is None:
                why = self.last_connect_error
                self.scheduler.abort(DeliveryError(f"SMTP リレー {self.relay} に接続できません: {why}"))

    def _backoff(self, tries: int) -> float:
        delay = min(self.options.retry_initial_s * 2 ** (tries - 1), self.options.retry_max_s)
        return delay * random.uniform(0.8, 1.2)

    async def _send(self, client, item: _Item):
        """One SMTP transaction for one row; returns the client (None when the connection is gone)."""
        import aiosmtplib

        message = self.render(item)
        item.tries += 1
        committed = self.writer.submit("sending", item, wait=True)
        stage = "MAIL"
        try:
            # One deadline for the whole transaction rather than a timer per command; the
            # addresses are plain ASCII already, so the commands are written as they are.
            async with asyncio.timeout(self.relay.timeout_s):
                response = await client.execute_command(b"MAIL", self._mail_from, timeout=None)
                if response.code != 250:
                    raise aiosmtplib.SMTPSenderRefused(response.code, response.message, self.options.sender)
                stage = "RCPT"
                response = await client.execute_command(b"RCPT", b"TO:<%s>" % item.email.encode("ascii"),
                                                        timeout=None)
                if response.code not in (250, 251):
                    raise aiosmtplib.SMTPRecipientRefused(response.code, response.message, item.email)
                stage = "DATA"
                await committed  # the row is durably "sending" before the message can be accepted
                response = await client.data(message, timeout=None)
        except aiosmtplib.SMTPResponseException as exc:
            await _settle(committed)
            if stage == "MAIL" and exc.code >= 500:
                self.scheduler.add(item, front=True)
                self.writer.submit("deferred", item, exc.code, exc.message)
                self.scheduler.done_with(item)
                self.scheduler.abort(DeliveryError(f"SMTP リレー {self.relay} が送信元 {self.options.sender} を拒否しました"
                                                   f"({exc.code} {exc.message})"))
                return client
            self._outcome(item, exc.code, exc.message)
            if not client.is_connected:
                return None
            try:
                await client.rset()
            except (aiosmtplib.SMTPException, OSError, asyncio.TimeoutError):
                client.close()
                return None
            return client
        except (aiosmtplib.SMTPException, OSError, asyncio.TimeoutError) as exc:
            # Dropped connection or timeout before the 250: not accepted, so it is retried.
            await _settle(committed)
            client.close()
            self._outcome(item, None, f"{type(exc).__name__}: {exc}")
            return None
        except DeliveryError as exc:  # the writer failed: stop
            client.close()
            self.scheduler.done_with(item)
            self.scheduler.abort(exc)
            return None
        self._outcome(item, response.code, response.message)
        return client

    def _outcome(self, item: _Item, code: int | None, reply: str | None) -> None:
        report = self.report
        report.by_code[str(code)] = report.by_code.get(str(code), 0) + 1
        reply = (reply or "")[:500]
        if code is not None and 200 <= code < 300:
            self.writer.submit("sent", item, code, reply)
            report.sent += 1
            self._progress()
        elif code is not None and code >= 500:
            self.writer.submit("failed", item, code, reply)
            report.failed += 1
            self._progress()
        else:
            report.retries += 1
            delay = self._backoff(item.tries)
            self.writer.submit("deferred", item, code, reply, next_at=_now() + dt.timedelta(seconds=delay))
            if time.monotonic() + delay - self.started <= self.options.retry_window_s:
                self.scheduler.defer(item, delay)
        self.scheduler.done_with(item)

    def _progress(self) -> None:
        self.done += 1
        if self.progress is not None:
            self.progress(self.done, self.report.total)


async def _settle(future) -> None:
    with contextlib.suppress(Exception):
        await future


def _aware(value) -> pd.Timestamp:
    stamp = pd.Timestamp(value)
    return stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp


@contextlib.contextmanager
def _exclusive(engine: sa.Engine, alert_id: int):
    """One sender per alert at a time (a second one would send everything twice)."""
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            if not conn.execute(sa.text("SELECT pg_try_advisory_lock(8, :a)"), {"a": alert_id}).scalar():
                raise DeliveryError(f"配信 #{alert_id} は別の send が送信中です")
            try:
                yield
            finally:
                conn.execute(sa.text("SELECT pg_advisory_unlock(8, :a)"), {"a": alert_id})
        return
    if not database or database == ":memory:":
        yield
        return
    import fcntl

    path = f"{database}.send-{alert_id}.lock"
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise DeliveryError(f"配信 #{alert_id} は別の send が送信中です") from exc
        yield
    finally:
        os.close(fd)  # the lock goes with the descriptor, and with the process if it is killed


def _run_coroutine(make) -> None:
    """Run ``make()`` to completion, also from a thread that already runs an event loop (Jupyter)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        asyncio.run(make())
        return
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="anshin-send") as pool:
        pool.submit(lambda: asyncio.run(make())).result()


def deliver(engine: sa.Engine, alert, relay: Relay, *, options: DeliveryOptions | None = None,
            progress: Callable[[int, int], None] | None = None, operator: str | None = None) -> DeliveryReport:
    """Send the alert's queued outbox rows through ``relay``; resumable after a crash at any point.

    Rows a killed run left ``sending`` are sent again and counted as
    ``ambiguous``; rows of members who left since queueing are ``skipped``.
    ``progress(done, total)`` is called as rows reach a final state. Returns
    the report; ``report.complete`` is False when rows remain (deferred past
    the retry window, or the relay became unreachable).
    """
    options = options or DeliveryOptions()
    report = DeliveryReport(alert_id=alert.alert_id, relay=str(relay))
    with _exclusive(engine, alert.alert_id):
        started_at = _now()
        items, done_before = _prepare_run(engine, alert.alert_id, report)
        with engine.begin() as conn:
            report.run_id = conn.execute(delivery_runs.insert().values(
                alert_id=alert.alert_id, operator=operator, relay=str(relay), started_at=started_at)).inserted_primary_key[0]
        if progress is not None:
            progress(done_before, report.total)
        began = time.perf_counter()
        if items:
            _run_coroutine(lambda: _Delivery(engine, alert, items, relay, options, report, progress, done_before).run())
        report.seconds = time.perf_counter() - began
        _finish_run(engine, alert.alert_id, report, started_at)
    return report


def _prepare_run(engine, alert_id: int, report: DeliveryReport) -> tuple[list[_Item], int]:
    o, m = outbox.c, members.c
    with engine.begin() as conn:
        report.ambiguous = conn.execute(outbox.update().where(o.alert_id == alert_id, o.state == "sending")
                                        .values(state="queued", ambiguous=o.ambiguous + 1)).rowcount
        left = sa.select(m.member_id).where(m.status != "active")
        report.skipped = conn.execute(outbox.update().where(o.alert_id == alert_id, o.state.in_(("queued", "deferred")),
                                                            o.member_id.in_(left))
                                      .values(state="skipped")).rowcount
        rows = conn.execute(sa.select(o.member_id, o.email, o.domain, o.message_id, m.unsubscribe_token, o.queued_at,
                                      o.state)
                            .join_from(outbox, members, o.member_id == m.member_id)
                            .where(o.alert_id == alert_id).order_by(o.seq)).all()
    report.total = len(rows)
    items = [_Item(r.member_id, r.email, r.domain, r.message_id, r.unsubscribe_token, r.queued_at)
             for r in rows if r.state in ("queued", "deferred")]
    report.already_done = report.total - len(items) - report.skipped
    return items, report.total - len(items)


def _finish_run(engine, alert_id: int, report: DeliveryReport, started_at) -> None:
    with engine.begin() as conn:
        states = dict(conn.execute(sa.select(outbox.c.state, sa.func.count()).where(outbox.c.alert_id == alert_id)
                                   .group_by(outbox.c.state)).all())
        # A delivery ends a member's run of hard bounces (done here, once, rather than per message).
        sent = sa.select(outbox.c.member_id).where(outbox.c.alert_id == alert_id, outbox.c.state == "sent")
        conn.execute(members.update().where(members.c.hard_bounces > 0, members.c.member_id.in_(sent))
                     .values(hard_bounces=0))
        report.sent_total = states.get("sent", 0)
        report.failed_total = states.get("failed", 0)
        report.pending = sum(states.get(s, 0) for s in PENDING_STATES)
        report.suppressed = conn.execute(sa.select(sa.func.count()).select_from(members)
                                         .where(members.c.suppressed_at >= started_at,
                                                members.c.member_id.in_(sa.select(bounces.c.member_id)
                                                                        .where(bounces.c.alert_id == alert_id)))).scalar()
        if report.pending and report.error is None:
            report.error = f"{report.pending}件が一時エラーのまま残りました(再試行の時間切れ)"
        conn.execute(delivery_runs.update().where(delivery_runs.c.run_id == report.run_id)
                     .values(finished_at=_now(), report=report.as_dict()))


# -- what the operator runs ------------------------------------------------------------------------

@dataclass
class Preview:
    """A dry run: who would receive the alert, and one rendered message."""

    alert_id: int
    recipients: pd.DataFrame  # member_id, email, domain
    message: str  # the first recipient's message, decoded for reading
    queued: bool  # the recipients come from an existing outbox (a resumed send)

    def lines(self, limit: int = 20) -> list[str]:
        out = [f"配信 #{self.alert_id}: 宛先 {len(self.recipients):,}件" + ("(送信待ちに登録済み)" if self.queued else "")]
        by_domain = self.recipients["domain"].value_counts().head(10)
        out += [f"  {domain}: {count:,}件" for domain, count in by_domain.items()]
        out.append(self.recipients.head(limit).to_string(index=False))
        out += ["", "---- 送信されるメール(1通目) ----", self.message]
        return out


def preview_alert(engine: sa.Engine, alert, options: DeliveryOptions | None = None) -> Preview:
    """The recipients and the first rendered message, without writing anything."""
    options = options or DeliveryOptions()
    with engine.connect() as conn:
        rows = conn.execute(sa.select(outbox.c.member_id, outbox.c.email, outbox.c.domain)
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
        built = build_message(subject=alert.subject, body=alert.body, to=first.email,
                              message_id=message_id_for(alert.alert_id, first.member_id, options.sender_domain),
                              date=pd.Timestamp.now(tz=TOKYO), unsubscribe_token=token, options=options)
        shown = email.message_from_bytes(built.as_bytes(), policy=email.policy.default)
        headers = "\n".join(f"{k}: {str(v).strip()}" for k, v in shown.items()
                            if k.lower() != "content-transfer-encoding")
        message = f"{headers}\n\n" + shown.get_content().replace("\r\n", "\n")
    return Preview(alert.alert_id, frame, message, queued)


def send_alert(engine: sa.Engine, user, alert_id: int, relay: Relay | None = None, *,
               options: DeliveryOptions | None = None, dry_run: bool = False,
               progress: Callable[[int, int], None] | None = None):
    """Release a ready alert to its members (designated operator only); returns the report.

    Checks ``alerts.check_can_send`` first, queues the outbox in one
    transaction (a run after a crash finds it and resumes), delivers, and
    calls ``alerts.mark_sent`` with the number delivered once no row is left
    pending. The alert stays ``ready`` until then, so running it again
    finishes the batch. With ``dry_run`` nothing is written or sent: the
    result is a :class:`Preview`.
    """
    from anshin_lab.workflow import alerts

    alert = alerts.check_can_send(engine, user, alert_id)
    options = options or options_from_settings()
    if dry_run:
        return preview_alert(engine, alert, options)
    if relay is None:
        relay = relay_from_settings()
    queue_alert(engine, alert, options)
    report = deliver(engine, alert, relay, options=options, progress=progress, operator=user.username)
    if report.complete:
        alerts.mark_sent(engine, user, alert_id, recipients=report.sent_total)
    return report


class progress_bar:
    """A tqdm progress bar (on stderr) to pass as ``progress=`` to ``send_alert`` / ``deliver``.

    The bar appears at the first report of progress, so a send refused
    before delivery starts shows none.
    """

    def __init__(self, description: str = "送信"):
        self.description = description
        self.bar = None

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            from tqdm import tqdm

            self.bar = tqdm(total=total, desc=self.description, unit="通", dynamic_ncols=True, mininterval=0.2)
        self.bar.update(done - self.bar.n)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.close()
