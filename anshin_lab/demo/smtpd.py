"""A local SMTP relay for the demo and the tests: aiosmtpd writing a real Maildir.

Listens on 127.0.0.1 by default. Each accepted message is written once per
recipient into the Maildir (``new/``) with ``Return-Path`` and
``Delivered-To`` added, as a delivery agent does. The Maildir holds personal
data: its folders are created readable by their owner only.

``start_relay(port, maildir)`` runs it on a background thread and returns a
handle with ``.stop()`` (port 0 picks a free port: see ``handle.port``);
``run_relay`` serves in the foreground until interrupted (``anshin smtpd``).
"""

from __future__ import annotations

import asyncio
import mailbox
import os
import signal
import threading
from pathlib import Path
from typing import Callable

from aiosmtpd.smtp import SMTP

from anshin_lab.core.errors import DeliveryError

DEFAULT_HOST = "127.0.0.1"
SERVER_NAME = "anshin-relay"


class MaildirHandler:
    """aiosmtpd handler: every accepted message goes into a Maildir, once per recipient."""

    def __init__(self, maildir):
        self.path = Path(maildir)
        for sub in ("", "new", "cur", "tmp"):  # an existing empty folder becomes a Maildir too
            (self.path / sub).mkdir(mode=0o700, parents=True, exist_ok=True)
            os.chmod(self.path / sub, 0o700)
        self.maildir = mailbox.Maildir(self.path, create=False)
        self.received = 0

    async def handle_DATA(self, server, session, envelope):
        # aiosmtpd gives a null reverse-path (a bounce) as "<>": written once, as RFC 5321 does.
        sender = (envelope.mail_from or "").strip("<>")
        for rcpt in envelope.rcpt_tos:
            head = f"Return-Path: <{sender}>\r\nDelivered-To: {rcpt}\r\n".encode("ascii", "replace")
            key = self.maildir.add(head + envelope.original_content)
            # Mail holds personal data: owner-only, like the folders above.
            os.chmod(self.path / "new" / key, 0o600)
            self.received += 1
        return "250 2.0.0 OK: delivered to Maildir"


class ServerHandle:
    """A running SMTP server on its own thread and event loop; ``stop()`` ends it."""

    def __init__(self, host: str, port: int, loop: asyncio.AbstractEventLoop, thread: threading.Thread, handler,
                 server):
        self.host = host
        self.port = port
        self.handler = handler
        self._loop = loop
        self._thread = thread
        self._server = server

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

    def stop(self) -> None:
        """Close the listener and every open connection, and join the thread (idempotent)."""
        if self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=10)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def serve_in_thread(protocol_factory: Callable, host: str = DEFAULT_HOST, port: int = 0, *, handler=None,
                    ssl_context=None) -> ServerHandle:
    """Run ``protocol_factory`` (an aiosmtpd ``SMTP`` per connection) on a thread; returns its handle."""
    loop = asyncio.new_event_loop()
    ready = threading.Event()
    box: dict = {}

    def run():
        asyncio.set_event_loop(loop)
        try:
            box["server"] = loop.run_until_complete(loop.create_server(protocol_factory, host, port, ssl=ssl_context))
        except OSError as exc:
            box["error"] = exc
            ready.set()
            loop.close()
            return
        ready.set()
        try:
            loop.run_forever()
        finally:
            box["server"].close()
            tasks = asyncio.all_tasks(loop)
            for task in tasks:
                task.cancel()
            loop.run_until_complete(asyncio.gather(*tasks, return_exceptions=True))
            loop.close()

    thread = threading.Thread(target=run, name=f"smtp-{host}:{port}", daemon=True)
    thread.start()
    ready.wait(10)
    if "error" in box:
        raise DeliveryError(f"SMTP サーバーを {host}:{port} で開始できません: {box['error']}") from box["error"]
    bound = box["server"].sockets[0].getsockname()[1]
    return ServerHandle(host, bound, loop, thread, handler, box["server"])


def start_relay(port: int, maildir, host: str = DEFAULT_HOST) -> ServerHandle:
    """Start the Maildir relay on ``host:port`` in the background; ``handle.stop()`` ends it."""
    handler = MaildirHandler(maildir)
    return serve_in_thread(lambda: SMTP(handler, hostname=SERVER_NAME), host, port, handler=handler)


def run_relay(port: int, maildir, host: str = DEFAULT_HOST, *, announce: Callable[[str], None] = print) -> int:
    """Serve the Maildir relay until Ctrl-C (SIGINT) or SIGTERM; returns the messages written."""
    handle = start_relay(port, maildir, host)
    announce(f"SMTP リレーを {handle.address} で開始しました(Maildir: {Path(maildir).resolve()})。Ctrl-C で終了します")
    stopped = threading.Event()
    previous = signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    try:
        while not stopped.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        handle.stop()
    return handle.handler.received
