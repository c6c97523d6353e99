"""The SMTP sender, the only code that talks SMTP: many connections to the relay, each one message at a time.

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
from typing import Callable

import aiosmtplib
import sqlalchemy as sa

from anshin_lab.core.clock import stored_utc, utc_now
from anshin_lab.core.errors import DeliveryError, PermissionDenied
from anshin_lab.delivery.control import SendCheck, clear_stop
from anshin_lab.delivery.gate import Clearance, require_clearance
from anshin_lab.delivery.messages import MessageTemplate, make_signer
from anshin_lab.delivery.options import DeliveryOptions, Relay
from anshin_lab.delivery.outbox import OutboxItem, OutboxWriter, finish_run, open_run, prepare_run, run_lock
from anshin_lab.delivery.pacing import Scheduler
from anshin_lab.delivery.replies import describe_db_error, is_recipient_fault, redact
from anshin_lab.delivery.results import DeliveryReport
from anshin_lab.workflow.users import User

_LEADING_DOT = re.compile(rb"(?m)^\.")


def transmit(engine: sa.Engine, clearance: Clearance, relay: Relay, *, user: User | None = None,
             options: DeliveryOptions | None = None,
             progress: Callable[[int, int], None] | None = None) -> DeliveryReport:
    """Send the cleared alert's queued outbox rows through ``relay``; resumable after a crash at any point.

    ``user`` is the operator the clearance was issued to: the run checks the
    gate again for them between batches. Rows a killed run left ``sending``
    are sent again and counted as ``ambiguous``; rows of members who left
    since queueing are ``skipped``; unsigned rows are never sent.
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
        items, done_before = prepare_run(engine, alert.alert_id, report, clearance.operator)
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
        self._mail_from = b"FROM:<%s>" % options.sender.encode("ascii")

    def render(self, item: OutboxItem) -> bytes:
        template = self.templates.get(item.queued_at)
        if template is None:
            template = self.templates[item.queued_at] = MessageTemplate(
                subject=self.alert.subject, body=self.alert.body, date=stored_utc(item.queued_at),
                options=self.options, signer=self.signer)
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
        """No further message starts; those in flight finish, and the rest stays queued."""
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
                        with contextlib.suppress(asyncio.TimeoutError):  # a stop ends the wait at once
                            await asyncio.wait_for(self.halted.wait(), self._backoff(failures))
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

    async def _send(self, client, item: OutboxItem):
        """One SMTP transaction for one row; returns the client (None when the connection is gone)."""
        try:
            message = self.render(item)
        except DeliveryError as exc:  # an address or token that would break a header: never sent
            self.writer.submit("rejected", item, None, str(exc))
            self.report.invalid += 1
            self._progress()
            self.scheduler.done_with(item)
            return client
        item.tries += 1
        committed = self.writer.submit("sending", item, wait=True)
        options = self.options
        stage = "MAIL"
        try:
            response = await client.execute_command(b"MAIL", self._mail_from, timeout=options.mail_timeout_s)
            if response.code != 250:
                raise aiosmtplib.SMTPSenderRefused(response.code, response.message, options.sender)
            stage = "RCPT"
            response = await client.execute_command(b"RCPT", b"TO:<%s>" % item.email.encode("ascii"),
                                                    timeout=options.rcpt_timeout_s)
            if response.code not in (250, 251):
                raise aiosmtplib.SMTPRecipientRefused(response.code, response.message, "")
            stage = "DATA"
            await committed  # the row is durably "sending" before the message can be accepted
            response = await client.execute_command(b"DATA", timeout=options.data_timeout_s)
            if response.code != 354:
                raise aiosmtplib.SMTPDataError(response.code, response.message)
            stage = "DOT"  # from here on the relay may hold the message, whatever happens to the connection
            response = await self._transfer(client, message)
            if not 200 <= response.code < 300:
                raise aiosmtplib.SMTPDataError(response.code, response.message)
        except aiosmtplib.SMTPResponseException as exc:
            await _settle(committed)
            if stage == "DOT" and exc.code < 200:  # a reply we cannot read: the outcome is unknown
                client.close()
                self._unknown(item, exc)
                return None
            if stage == "MAIL" and exc.code >= 500:
                self.scheduler.add(item, front=True)
                self.writer.submit("deferred", item, exc.code, redact(exc.message, 500))
                self.scheduler.done_with(item)
                self.scheduler.abort(DeliveryError(f"SMTP リレー {self.relay} が送信元 {self.options.sender} を拒否しました"
                                                   f"({exc.code} {redact(exc.message, 120)})"))
                return client
            self._outcome(item, stage, exc.code, exc.message)
            if not client.is_connected:
                return None
            try:
                await client.rset()
            except (aiosmtplib.SMTPException, OSError, asyncio.TimeoutError):
                client.close()
                return None
            return client
        except (aiosmtplib.SMTPException, OSError, asyncio.TimeoutError) as exc:
            await _settle(committed)
            client.close()
            if stage == "DOT":
                self._unknown(item, exc)
            else:  # lost before the final dot: the relay cannot have accepted it, so it is simply retried
                self._outcome(item, stage, None, f"{type(exc).__name__}: {exc}")
            return None
        except DeliveryError as exc:  # the writer failed: stop
            client.close()
            self.scheduler.done_with(item)
            self.scheduler.abort(exc)
            return None
        self._outcome(item, stage, response.code, response.message)
        return client

    async def _transfer(self, client, message: bytes):
        """Write the message and its final dot; the relay's reply to it.

        The message goes to the transport in one write; when the relay has
        not taken it within ``data_block_timeout_s`` the connection is cut
        (RFC 5321 §4.5.3.2.5), and the reply is awaited for
        ``data_end_timeout_s`` (§4.5.3.2.6). Either way out is an unknown
        outcome for the caller.
        """
        protocol = client.protocol
        transport = getattr(protocol, "transport", None)
        if transport is None:
            raise aiosmtplib.SMTPServerDisconnected("Connection lost")
        protocol.write(_LEADING_DOT.sub(b"..", message) + b".\r\n")
        stuck = asyncio.get_running_loop().call_later(self.options.data_block_timeout_s, _cut_if_stuck, transport)
        try:
            # Nothing is awaited between the write and this read, so the reply cannot be missed.
            return await protocol.read_response(timeout=self.options.data_end_timeout_s)
        finally:
            stuck.cancel()

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


def _cut_if_stuck(transport) -> None:
    if not transport.is_closing() and transport.get_write_buffer_size():
        transport.abort()


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

