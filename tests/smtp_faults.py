"""A real SMTP server on loopback (aiosmtpd) that misbehaves on purpose, and the 2 ms-delay sink.

Faults are planned per recipient address, one action per attempt (the last
one repeats once the list runs out, so ``["550"]`` refuses for ever and
``["451", "ok"]`` refuses once):

- ``"ok"``: accept;
- ``"421"``: answer RCPT with 421 and close the connection;
- ``"451"``: answer RCPT with 451 (try again later);
- ``"550"``: answer RCPT with 550 (no such user);
- ``"drop"``: read the whole message, then close the connection without
  answering (the message is not accepted, so the sender must retry);
- ``"data451"``: answer the end of DATA with 451.

Every accepted message's Message-ID is recorded (``server.accepted``), and
written to a Maildir when one is given. ``delay_ms`` waits before every reply,
greeting included: the benchmark's sink.

Run the sink for the benchmark (counts only, prints what it received on exit)::

    .venv/bin/python -m tests.smtp_faults --delay-ms 2 --port 2526

It is a lean asyncio SMTP server by default (``--engine aiosmtpd`` for
aiosmtpd, which costs about a millisecond of CPU per message: on a 2-core
machine shared with the sender, that would be what the benchmark measures).
"""

from __future__ import annotations

import argparse
import asyncio
import email.parser
import json
import mailbox
import re
import signal
import threading
from collections import Counter

from aiosmtpd.smtp import SMTP

from anshin_lab.demo.smtpd import ServerHandle, serve_in_thread

DROP = "__drop__"
_HEADERS = email.parser.BytesHeaderParser()


class FaultHandler:
    """Answers by the plan; records accepted Message-IDs (and writes a Maildir when given)."""

    def __init__(self, plan: dict | None = None, maildir=None):
        self.plan = {k.lower(): list(v) for k, v in (plan or {}).items()}
        self.attempts: Counter = Counter()
        self.accepted: list[str] = []
        self.actions: Counter = Counter()
        self.maildir = mailbox.Maildir(maildir, create=True) if maildir else None
        self.lock = threading.Lock()

    def action(self, address: str) -> str:
        steps = self.plan.get(address.lower())
        if not steps:
            return "ok"
        n = self.attempts[address.lower()]
        return steps[min(n, len(steps) - 1)]

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        action = self.action(address)
        if action in ("421", "451", "550"):
            self.attempts[address.lower()] += 1
            self.actions[action] += 1
            return {"421": "421 4.3.2 Service shutting down (fault injected)",
                    "451": "451 4.3.0 Try again later (fault injected)",
                    "550": "550 5.1.1 No such user (fault injected)"}[action]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        address = envelope.rcpt_tos[0].lower() if envelope.rcpt_tos else ""
        action = self.action(address)
        if action in ("drop", "data451"):
            self.attempts[address] += 1
            self.actions[action] += 1
            return DROP if action == "drop" else "451 4.3.0 Try again later (fault injected)"
        if address in self.plan:
            self.attempts[address] += 1
        message_id = _HEADERS.parsebytes(envelope.original_content).get("Message-ID", "")
        with self.lock:
            self.accepted.append(message_id.strip())
        if self.maildir is not None:
            for rcpt in envelope.rcpt_tos:
                self.maildir.add(f"Delivered-To: {rcpt}\r\n".encode() + envelope.original_content)
        return "250 2.0.0 OK"

    def duplicates(self) -> dict[str, int]:
        with self.lock:
            return {m: n for m, n in Counter(self.accepted).items() if n > 1}


class FaultSMTP(SMTP):
    """aiosmtpd's SMTP with a wait before every reply and the ability to hang up mid-transaction."""

    def __init__(self, handler, *, delay_s: float = 0.0, **kwargs):
        super().__init__(handler, hostname="fault-smtp", **kwargs)
        self.delay_s = delay_s

    async def push(self, status):
        if self.delay_s:
            await asyncio.sleep(self.delay_s)
        text = status if isinstance(status, str) else status.decode("ascii", "replace")
        if text == DROP:
            self.transport.abort()
            return
        await super().push(status)
        if text.startswith("421") and self.transport is not None:
            self.transport.close()


def start_fault_server(plan: dict | None = None, *, delay_ms: float = 0.0, maildir=None, port: int = 0,
                       host: str = "127.0.0.1", **smtp_kwargs) -> ServerHandle:
    """Start a fault-injecting server on a thread; ``handle.handler`` has ``accepted`` and ``duplicates()``."""
    handler = FaultHandler(plan, maildir)
    return serve_in_thread(lambda: FaultSMTP(handler, delay_s=delay_ms / 1000, **smtp_kwargs), host, port,
                           handler=handler)


class CountingHandler:
    """The aiosmtpd sink's handler: accepts everything, counts Message-IDs, stores nothing."""

    def __init__(self):
        self.received = 0
        self.seen: set[bytes] = set()
        self.duplicates = 0

    def count(self, message: bytes) -> None:
        head = message.split(b"\r\n\r\n", 1)[0]
        found = _MESSAGE_ID.search(head)
        message_id = found.group(1) if found else b""
        self.received += 1
        if message_id in self.seen:
            self.duplicates += 1
        self.seen.add(message_id)

    async def handle_DATA(self, server, session, envelope):
        self.count(envelope.original_content)
        return "250 2.0.0 OK"


_MESSAGE_ID = re.compile(rb"^Message-ID:[ \t]*(<[^>\r\n]*>)", re.IGNORECASE | re.MULTILINE)


class SinkProtocol(asyncio.Protocol):
    """A lean SMTP sink (EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT) that waits before every reply.

    aiosmtpd costs about a millisecond of CPU per message; on a 2-core machine
    that shares its cores with the sender, the sink would be what is measured.
    This one costs a few tens of microseconds and answers exactly as slowly.
    """

    def __init__(self, handler: CountingHandler, delay_s: float):
        self.handler = handler
        self.delay_s = delay_s
        self.buffer = bytearray()
        self.in_data = False
        self.closing = False
        self.transport = None

    def connection_made(self, transport):
        self.transport = transport
        self.loop = asyncio.get_running_loop()
        self.reply(b"220 sink ESMTP")

    def reply(self, line: bytes, close: bool = False) -> None:
        if self.delay_s:
            self.loop.call_later(self.delay_s, self._write, line, close)
        else:
            self._write(line, close)

    def _write(self, line: bytes, close: bool) -> None:
        if self.transport is None or self.transport.is_closing():
            return
        self.transport.write(line + b"\r\n")
        if close:
            self.transport.close()

    def connection_lost(self, exc):
        self.transport = None

    def data_received(self, data: bytes) -> None:
        buffer = self.buffer
        buffer += data
        while buffer:
            if self.in_data:
                if buffer.startswith(b".\r\n"):
                    message, rest = b"", 3
                else:
                    end = buffer.find(b"\r\n.\r\n")
                    if end < 0:
                        return
                    message, rest = bytes(buffer[:end + 2]), end + 5
                del buffer[:rest]
                self.in_data = False
                self.handler.count(message)
                self.reply(b"250 2.0.0 OK")
                continue
            end = buffer.find(b"\r\n")
            if end < 0:
                return
            verb = bytes(buffer[:4]).upper()
            del buffer[:end + 2]
            if verb == b"EHLO":
                self.reply(b"250-sink\r\n250-8BITMIME\r\n250 SIZE 33554432")
            elif verb in (b"HELO", b"MAIL", b"RCPT", b"RSET", b"NOOP"):
                self.reply(b"250 OK")
            elif verb == b"DATA":
                self.in_data = True
                self.reply(b"354 End data with <CR><LF>.<CR><LF>")
            elif verb == b"QUIT":
                self.reply(b"221 Bye", close=True)
            else:
                self.reply(b"500 Command not recognized")


def start_sink(delay_ms: float = 2.0, port: int = 0, host: str = "127.0.0.1", *, engine: str = "lean") -> ServerHandle:
    """Start the benchmark sink on a thread (``engine="aiosmtpd"`` for the aiosmtpd one)."""
    handler = CountingHandler()
    if engine == "aiosmtpd":
        factory = lambda: FaultSMTP(handler, delay_s=delay_ms / 1000)  # noqa: E731
    else:
        factory = lambda: SinkProtocol(handler, delay_ms / 1000)  # noqa: E731
    return serve_in_thread(factory, host, port, handler=handler)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="SMTP sink on loopback that waits before every reply (benchmark)")
    parser.add_argument("--port", type=int, default=2526)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--delay-ms", type=float, default=2.0, help="wait before every reply (ms)")
    parser.add_argument("--engine", choices=["lean", "aiosmtpd"], default="lean",
                        help="lean: a minimal asyncio SMTP server (default); aiosmtpd: aiosmtpd's")
    args = parser.parse_args(argv)
    handle = start_sink(args.delay_ms, args.port, args.host, engine=args.engine)
    handler = handle.handler
    print(f"{args.engine} sink listening on {handle.address}, {args.delay_ms} ms before every reply; Ctrl-C to stop",
          flush=True)
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    try:
        while not stopped.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    handle.stop()
    print(json.dumps({"received": handler.received, "distinct_message_ids": len(handler.seen),
                      "duplicates": handler.duplicates}), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
