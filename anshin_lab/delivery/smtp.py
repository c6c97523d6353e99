"""The SMTP sender, the only code that talks SMTP: many connections to the relay, pipelined when it offers it.

Each connection carries one transaction at a time. When the relay's EHLO
offers PIPELINING (RFC 2920), MAIL, RCPT and DATA go in one round trip, and
the next row's MAIL, RCPT and DATA follow the final dot in the same write:
about one round trip per message instead of four. Every reply is still read,
in order, with its own RFC 5321 wait, and classified as below; a row begun
after a final dot is not sent when the run stops before its message is
written (the connection is closed instead, so the relay drops it). Without
PIPELINING each command waits for the reply to the one before. Either way at
most one message per connection awaits the reply to its final dot (the only
kind that can arrive twice); a killed pipelining run can leave two rows per
connection ``sending``, and the next run counts both as possible duplicates.

Replies: 2xx → ``sent``; 4xx, or a connection lost before the final dot →
``deferred`` and retried in the same run with exponential backoff (from
``retry_initial_s``, capped at ``retry_max_s``, for ``retry_window_s``). No
reply after the final dot (dropped, or nothing within
``data_end_timeout_s``, ten minutes as RFC 5321 §4.5.3.2.6 asks) is an
unknown outcome: the relay may hold the message, so it is retried and
counted as a possible duplicate. A 5xx about the recipient (a refused RCPT,
or 5.1.x) → ``failed`` and a bounce for the member, suppressed (status
``bounced``) after ``bounce_limit`` hard bounces in a row. Any other 5xx
is about the message or the relay: nobody bounces, and the same refusal
for ``content_fault_limit`` recipients in a row stops the run with the
rows left to send (an isolated one is ``failed`` without a bounce). A 5xx
to MAIL FROM or a refused login stops the run too: the relay refuses us.

Between batches (every ``check_interval_s`` seconds and ``check_every``
messages) the run asks again whether it may go on (``control.SendCheck``:
a stop request, the workflow gate); when not, no further message starts.

:func:`transmit` sends only for a :class:`~anshin_lab.delivery.gate.Clearance`,
which only the workflow gate issues, and the user it was issued to.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import random
import re
import socket
import ssl
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Callable

import aiosmtplib
import sqlalchemy as sa

from anshin_lab.core.clock import stored_utc, utc_now
from anshin_lab.core.errors import DeliveryError, PermissionDenied
from anshin_lab.delivery.channel import Channel, Reply, take_over
from anshin_lab.delivery.control import SendCheck, clear_stop
from anshin_lab.delivery.gate import Clearance, require_clearance
from anshin_lab.delivery.messages import MessageTemplate, alert_text, make_signer
from anshin_lab.delivery.options import DeliveryOptions, Relay
from anshin_lab.delivery.outbox import OutboxItem, OutboxWriter, finish_run, open_run, prepare_run, run_lock
from anshin_lab.delivery.pacing import Scheduler
from anshin_lab.delivery.replies import describe_db_error, is_recipient_fault, redact
from anshin_lab.delivery.results import DeliveryReport
from anshin_lab.workflow.users import User

_LEADING_DOT = re.compile(rb"(?m)^\.")


def transmit(engine: sa.Engine, clearance: Clearance, relay: Relay, *, user: User | None = None,
             options: DeliveryOptions | None = None,
             progress: Callable[[int, int], None] | None = None, now=None) -> DeliveryReport:
    """Send the cleared alert's queued outbox rows through ``relay``; resumable after a crash at any point.

    ``user`` is the operator the clearance was issued to: the run checks the
    gate again for them between batches. Rows a killed run left ``sending``
    are sent again and counted as ``ambiguous``; rows of members who left
    since queueing are ``skipped``; unsigned rows are never sent; ``held``
    rows go once their member's quiet hours have ended by ``now`` (the
    current time when None) and otherwise wait (``report.held``).
    ``progress(done, total)`` is called as rows reach a final state. Returns
    the report; ``report.complete`` is False when rows remain, when the run
    was stopped (``report.stopped`` says why) or when nothing was delivered.
    ``PermissionDenied`` for anything but a ``Clearance`` and its user.
    """
    clearance = require_clearance(clearance)
    if user is None or user.username != clearance.operator:
        raise PermissionDenied("送信には、送信前の確認(clear_to_send)を通った発信操作担当者のログインが必要です")
    alert = clearance.alert
    options = options or DeliveryOptions()
    report = DeliveryReport(alert_id=alert.alert_id, relay=str(relay))
    with run_lock(engine, alert.alert_id):
        clear_stop(engine, alert.alert_id, clearance.operator)  # a new send: an earlier stop request is over
        started_at = utc_now()
        items, done_before = prepare_run(engine, alert.alert_id, report, clearance.operator, now=now)
        report.run_id = open_run(engine, alert.alert_id, clearance.operator, str(relay), started_at)
        if progress is not None:
            progress(done_before, report.total)
        began = time.perf_counter()
        if items:
            check = SendCheck(engine, user, alert.alert_id)
            _run_coroutine(lambda: _Delivery(engine, alert, items, relay, options, report, progress, done_before,
                                             check).run())
        report.seconds = time.perf_counter() - began
        finish_run(engine, alert.alert_id, report, started_at)
    return report


@dataclass
class _Transaction:
    """One row's SMTP transaction: its MAIL, RCPT and DATA lines, the message with its final dot, the row's commit."""

    item: OutboxItem
    envelope: tuple[bytes, bytes, bytes]
    message: bytes
    committed: asyncio.Future  # resolves once the row is durably "sending"
    ahead: bool = False  # its envelope went out after the previous message's final dot


class _Fatal(Exception):
    """The relay refuses us (login, sender, TLS): stop the whole run."""


class _Delivery:
    """One run: the scheduler, the outbox writer and ``options.connections`` SMTP connections."""

    def __init__(self, engine, alert, items, relay: Relay, options: DeliveryOptions, report: DeliveryReport,
                 progress, done_before: int, check: Callable[[], str | None]):
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
        self.check = check
        self.since_check = 0
        self.stopped: str | None = None
        self.held: list[tuple[OutboxItem, int, str]] = []  # 5xx about the message or relay, undecided
        self.streak = 0  # such refusals in a row, across recipients
        self.content_fault: str | None = None
        self.helo = options.helo_name or socket.gethostname() or "localhost"
        self._mail_from = b"MAIL FROM:<%s>\r\n" % options.sender.encode("ascii")

    def render(self, item: OutboxItem) -> bytes:
        template = self.templates.get((item.queued_at, item.language))
        if template is None:  # one template per queueing time and language (issue 17: the member's language)
            subject, body = alert_text(self.alert, item.language)
            template = self.templates[(item.queued_at, item.language)] = MessageTemplate(
                subject=subject, body=body, date=stored_utc(item.queued_at), options=self.options,
                signer=self.signer, language_code=item.language)
        return template.render(to=item.email, message_id=item.message_id, unsubscribe_token=item.token)

    async def run(self) -> None:
        loop = asyncio.get_running_loop()
        self.scheduler = Scheduler(self.items, self.options.rate_limits)
        self.writer = OutboxWriter(self.engine, self.alert.alert_id, loop, self.options.bounce_limit)
        self.check_due = asyncio.Event()
        self.halted = asyncio.Event()
        workers = max(1, min(self.options.connections, len(self.items)))
        self.report.connections = workers
        self.alive = workers
        watch = asyncio.ensure_future(self._watch())
        try:
            results = await asyncio.gather(*(self._worker() for _ in range(workers)), return_exceptions=True)
        finally:
            watch.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watch
            self._settle_refusals()
            await loop.run_in_executor(None, self.writer.close)
        for result in results:
            if isinstance(result, BaseException) and not isinstance(result, _Fatal):
                raise result
        if self.writer.error is not None:
            self.report.error = f"送信記録を書き込めません: {describe_db_error(self.writer.error)}"
        elif self.stopped is not None:
            self.report.stopped = self.report.error = self.stopped
        elif self.scheduler.aborted is not None:
            self.report.error = str(self.scheduler.aborted)

    async def _watch(self) -> None:
        """Ask again, between batches, whether the send may go on; stop it when not."""
        loop = asyncio.get_running_loop()
        while True:
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self.check_due.wait(), self.options.check_interval_s)
            self.check_due.clear()
            self.since_check = 0
            reason = await loop.run_in_executor(None, self.check)
            if reason is not None:
                self._stop(reason)
                return

    def _stop(self, reason: str) -> None:
        """No further message starts; those in flight finish, and the rest stays queued.

        A row begun ahead on a pipelining connection whose message is not yet
        written is not in flight: it is dropped unsent (:meth:`_abandon`).
        """
        if self.stopped is None:
            self.stopped = reason
        self.scheduler.abort(DeliveryError(reason))
        self.halted.set()

    def _settle_refusals(self) -> None:
        """Refusals not about the address: isolated ones are final (no bounce); a relay fault leaves them to send."""
        if self.content_fault is not None:
            return
        for item, code, reply in self.held:
            self.writer.submit("rejected", item, code, reply)
            self._progress()
        self.held.clear()

    async def _connect(self) -> Channel:
        client = aiosmtplib.SMTP(**self.relay.client_kwargs(self.helo))
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
        return take_over(client)

    async def _worker(self) -> None:
        channel: Channel | None = None
        ahead: _Transaction | None = None  # begun on ``channel`` after the previous final dot
        failures = 0
        try:
            while True:
                if ahead is not None:
                    channel, ahead = await self._transact(channel, ahead)
                    continue
                item = await self.scheduler.next()
                if item is None:
                    return
                if channel is None or not channel.is_open:
                    try:
                        channel = await self._connect()
                        failures = 0
                    except _Fatal as exc:
                        self.scheduler.add(item, front=True)
                        self.scheduler.done_with(item)
                        self.scheduler.abort(DeliveryError(str(exc)))
                        raise
                    except (OSError, asyncio.TimeoutError, aiosmtplib.SMTPException) as exc:
                        channel = None
                        failures += 1
                        self.last_connect_error = exc
                        self.scheduler.add(item, front=True)
                        self.scheduler.done_with(item)
                        if failures >= self.options.connect_attempts:
                            return
                        with contextlib.suppress(asyncio.TimeoutError):  # a stop ends the wait at once
                            await asyncio.wait_for(self.halted.wait(), self._backoff(failures))
                        continue
                transaction = self._begin(item)
                if transaction is not None:
                    channel, ahead = await self._transact(channel, transaction)
        finally:
            self.alive -= 1
            if channel is not None:
                await channel.quit()
            if self.alive == 0 and self.scheduler.queued() and self.scheduler.aborted is None:
                why = self.last_connect_error
                self.scheduler.abort(DeliveryError(f"SMTP リレー {self.relay} に接続できません: {why}"))

    def _backoff(self, tries: int) -> float:
        delay = min(self.options.retry_initial_s * 2 ** (tries - 1), self.options.retry_max_s)
        return delay * random.uniform(0.8, 1.2)

    def _begin(self, item: OutboxItem) -> _Transaction | None:
        """The row's message, its envelope, and the row marked ``sending``; None when it cannot be sent at all."""
        try:
            message = self.render(item)
        except DeliveryError as exc:  # an address or token that would break a header: never sent
            self.writer.submit("rejected", item, None, str(exc))
            self.report.invalid += 1
            self._progress()
            self.scheduler.done_with(item)
            return None
        item.tries += 1
        return _Transaction(item, (self._mail_from,
                                   b"RCPT TO:<%s>\r\n" % item.email.encode("ascii"), b"DATA\r\n"),
                            _LEADING_DOT.sub(b"..", message) + b".\r\n", self.writer.submit("sending", item, wait=True))

    def _begin_ahead(self, channel: Channel) -> _Transaction | None:
        """With pipelining, the next row that may go now, begun to be written after this final dot (RFC 2920 §3.1)."""
        if not channel.pipelining:
            return None
        while (item := self.scheduler.take()) is not None:
            transaction = self._begin(item)
            if transaction is not None:
                transaction.ahead = True
                return transaction
        return None

    async def _transact(self, channel: Channel, transaction: _Transaction):
        """One SMTP transaction on ``channel``: (the channel, None once it is gone; a transaction begun on it, or None).

        With pipelining, MAIL, RCPT and DATA go in one write (unless already
        written after the previous final dot) and their replies are read in
        order; then the message and its final dot, followed in the same write
        by the next row's MAIL, RCPT and DATA when one may go now. Without, each
        command waits for the reply to the one before. The row is durably
        ``sending`` before its message is written, and the final dot's reply
        is awaited for ``data_end_timeout_s`` (RFC 5321 §4.5.3.2.6); a
        connection that has not taken the message within
        ``data_block_timeout_s`` is cut (§4.5.3.2.5).
        """
        item, options = transaction.item, self.options
        waits = (options.mail_timeout_s, options.rcpt_timeout_s, options.data_timeout_s)
        stage, refusal, ahead = "MAIL", None, None
        try:
            if channel.pipelining and not transaction.ahead:
                channel.write(b"".join(transaction.envelope))
            for stage, command, wait, expected in zip(("MAIL", "RCPT", "DATA"), transaction.envelope, waits,
                                                      ((250,), (250, 251), (354,))):
                if not channel.pipelining:
                    if refusal is not None:
                        break
                    channel.write(command)
                reply = await channel.reply(wait)
                if refusal is None and reply.code not in expected:
                    refusal = (stage, reply)
                elif refusal is not None and reply.code == 354:  # DATA accepted after a refusal (RFC 2920 §3.1):
                    channel.write(b".\r\n")  # end the empty message, which the relay then refuses
                    await channel.reply(options.data_end_timeout_s)
            if refusal is not None:
                await _settle(transaction.committed)
                return await self._refused_envelope(channel, item, *refusal), None
            await transaction.committed  # the row is durably "sending" before the message can be accepted
            if transaction.ahead and self.scheduler.aborted is not None:
                return self._abandon(channel, item), None
            stage = "DOT"  # from here on the relay may hold the message, whatever happens to the connection
            ahead = self._begin_ahead(channel)
            channel.write(transaction.message + (b"".join(ahead.envelope) if ahead is not None else b""))
            reply = await channel.reply(options.data_end_timeout_s, cut_if_stuck_after=options.data_block_timeout_s)
        except (OSError, asyncio.TimeoutError) as exc:  # ReplyLost is an OSError
            await _settle(transaction.committed)
            channel.close()
            if stage == "DOT":  # no reply to the final dot: the outcome is unknown
                self._unknown(item, exc)
            else:  # lost before the final dot: the relay cannot have accepted it, so it is simply retried
                self._outcome(item, stage, None, f"{type(exc).__name__}: {exc}")
            if ahead is not None:  # its envelope went with the final dot, on the same lost connection
                await _settle(ahead.committed)
                self._outcome(ahead.item, "MAIL", None, f"{type(exc).__name__}: {exc}")
            return None, None
        except DeliveryError as exc:  # the writer failed: stop
            channel.close()
            self.scheduler.done_with(item)
            self.scheduler.abort(exc)
            return None, None
        self._outcome(item, stage, reply.code, reply.text)
        return channel, ahead

    async def _refused_envelope(self, channel: Channel, item: OutboxItem, stage: str, reply: Reply) -> Channel | None:
        """MAIL, RCPT or DATA refused: the row's outcome, then RSET; the channel, None once it is gone."""
        if stage == "MAIL" and reply.code >= 500:  # the relay refuses our sender: stop the run
            self.scheduler.add(item, front=True)
            self.writer.submit("deferred", item, reply.code, redact(reply.text, 500))
            self.scheduler.done_with(item)
            self.scheduler.abort(DeliveryError(f"SMTP リレー {self.relay} が送信元 {self.options.sender} を拒否しました"
                                               f"({reply.code} {redact(reply.text, 120)})"))
        else:
            self._outcome(item, stage, reply.code, reply.text)
        try:
            channel.write(b"RSET\r\n")
            await channel.reply(self.relay.timeout_s)
        except (OSError, asyncio.TimeoutError):
            channel.close()
            return None
        return channel

    def _abandon(self, channel: Channel, item: OutboxItem) -> None:
        """A row begun ahead when the run stopped before its message: hang up, so the relay drops it; still to send."""
        channel.close()  # a transaction without its final dot is not delivered (RFC 5321 §3.3)
        self.writer.submit("deferred", item, None, "送信を止めたため、本文を送る前に取りやめました")
        self.scheduler.add(item, front=True)
        self.scheduler.done_with(item)

    def _outcome(self, item: OutboxItem, stage: str, code: int | None, reply: str | None) -> None:
        report = self.report
        report.by_code[str(code)] = report.by_code.get(str(code), 0) + 1
        if code is not None and 200 <= code < 300:
            self.writer.submit("sent", item, code, (reply or "")[:500])
            report.sent += 1
            self.streak = 0
            self._progress()
        elif code is not None and code >= 500 and is_recipient_fault(stage, code, reply):
            self.writer.submit("failed", item, code, redact(reply, 500))
            report.failed += 1
            self._progress()
        elif code is not None and code >= 500:
            self._refused(item, code, redact(reply, 500))
        else:
            self._retry(item, "deferred", code, redact(reply, 500))
        self._count()
        self.scheduler.done_with(item)

    def _refused(self, item: OutboxItem, code: int, reply: str) -> None:
        """A 5xx about the message or the relay: held; the same for several recipients in a row stops the run."""
        self.report.refused += 1
        self.writer.submit("held", item, code, reply)
        self.held.append((item, code, reply))
        self.streak += 1
        if self.content_fault is None and self.streak >= min(self.options.content_fault_limit, len(self.items)):
            self.content_fault = (f"リレーが {self.streak}通続けてメールを拒否しました({code} {reply[:120]})。"
                                  "会員の宛先の誤りではないため、誰も不達にせず送信を止めました"
                                  "(リレーの管理者に確かめてから、もう一度 anshin send を実行してください)")
            self._stop(self.content_fault)

    def _unknown(self, item: OutboxItem, exc: BaseException) -> None:
        """No reply to the final dot: maybe accepted. Retried, and counted as a possible duplicate."""
        self.report.unknown += 1
        self.report.by_code["unknown"] = self.report.by_code.get("unknown", 0) + 1
        self._retry(item, "unknown", None, redact(f"本文送信後に応答なし: {type(exc).__name__}: {exc}", 500))
        self._count()
        self.scheduler.done_with(item)

    def _retry(self, item: OutboxItem, kind: str, code: int | None, reply: str) -> None:
        self.report.retries += 1
        delay = self._backoff(item.tries)
        self.writer.submit(kind, item, code, reply, next_at=utc_now() + dt.timedelta(seconds=delay))
        if time.monotonic() + delay - self.started <= self.options.retry_window_s:
            self.scheduler.defer(item, delay)

    def _count(self) -> None:
        self.since_check += 1
        if self.since_check >= self.options.check_every:
            self.check_due.set()

    def _progress(self) -> None:
        self.done += 1
        if self.progress is not None:
            self.progress(self.done, self.report.total)


async def _settle(future) -> None:
    with contextlib.suppress(Exception):
        await future


def _run_coroutine(make) -> None:
    """Run ``make()`` to completion, also from a thread that already runs an event loop (Jupyter)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        asyncio.run(make())
        return
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="anshin-send") as pool:
        pool.submit(lambda: asyncio.run(make())).result()

