"""The SMTP sender, the only code that talks SMTP: many connections to the relay, each one message at a time.

Replies: 250 → ``sent``; 4xx, a dropped connection or a timeout →
``deferred`` and retried in the same run with exponential backoff (from
``retry_initial_s``, capped at ``retry_max_s``, for ``retry_window_s``); 5xx
to RCPT or DATA → ``failed`` and a bounce for the member, suppressed (status
``bounced``) after ``bounce_limit`` hard bounces in a row. A 5xx to MAIL FROM
or a refused login stops the run: that is the relay refusing us, not a
member's address.

:func:`transmit` sends only for a :class:`~anshin_lab.delivery.gate.Clearance`,
which only the workflow gate issues.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import random
import socket
import ssl
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Callable

import aiosmtplib
import sqlalchemy as sa

from anshin_lab.core.clock import stored_utc, utc_now
from anshin_lab.core.errors import DeliveryError
from anshin_lab.delivery.gate import Clearance, require_clearance
from anshin_lab.delivery.messages import MessageTemplate, make_signer
from anshin_lab.delivery.options import DeliveryOptions, Relay
from anshin_lab.delivery.outbox import OutboxItem, OutboxWriter, finish_run, open_run, prepare_run, run_lock
from anshin_lab.delivery.pacing import Scheduler
from anshin_lab.delivery.results import DeliveryReport


def transmit(engine: sa.Engine, clearance: Clearance, relay: Relay, *, options: DeliveryOptions | None = None,
             progress: Callable[[int, int], None] | None = None) -> DeliveryReport:
    """Send the cleared alert's queued outbox rows through ``relay``; resumable after a crash at any point.

    Rows a killed run left ``sending`` are sent again and counted as
    ``ambiguous``; rows of members who left since queueing are ``skipped``.
    ``progress(done, total)`` is called as rows reach a final state. Returns
    the report; ``report.complete`` is False when rows remain (deferred past
    the retry window, or the relay became unreachable). ``PermissionDenied``
    for anything but a ``Clearance``.
    """
    clearance = require_clearance(clearance)
    alert = clearance.alert
    options = options or DeliveryOptions()
    report = DeliveryReport(alert_id=alert.alert_id, relay=str(relay))
    with run_lock(engine, alert.alert_id):
        started_at = utc_now()
        items, done_before = prepare_run(engine, alert.alert_id, report)
        report.run_id = open_run(engine, alert.alert_id, clearance.operator, str(relay), started_at)
        if progress is not None:
            progress(done_before, report.total)
        began = time.perf_counter()
        if items:
            _run_coroutine(lambda: _Delivery(engine, alert, items, relay, options, report, progress, done_before).run())
        report.seconds = time.perf_counter() - began
        finish_run(engine, alert.alert_id, report, started_at)
    return report


class _Fatal(Exception):
    """The relay refuses us (login, sender, TLS): stop the whole run."""


class _Delivery:
    """One run: the scheduler, the outbox writer and ``options.connections`` SMTP connections."""

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

    async def _send(self, client, item: OutboxItem):
        """One SMTP transaction for one row; returns the client (None when the connection is gone)."""
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

    def _outcome(self, item: OutboxItem, code: int | None, reply: str | None) -> None:
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
            self.writer.submit("deferred", item, code, reply, next_at=utc_now() + dt.timedelta(seconds=delay))
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


def _run_coroutine(make) -> None:
    """Run ``make()`` to completion, also from a thread that already runs an event loop (Jupyter)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        asyncio.run(make())
        return
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="anshin-send") as pool:
        pool.submit(lambda: asyncio.run(make())).result()

