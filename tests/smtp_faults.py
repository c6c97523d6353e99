"""A real SMTP server on loopback (aiosmtpd) that misbehaves on purpose, and the 2 ms-delay sink.

Faults are planned per recipient address, one action per attempt (the last
one repeats once the list runs out, so ``["550"]`` refuses for ever and
``["451", "ok"]`` refuses once); the key ``"*"`` plans every address not
named (``{"*": ["data550"]}``: a relay that refuses every message):

- ``"ok"``: accept;
- ``"421"``: answer RCPT with 421 and close the connection;
- ``"451"``: answer RCPT with 451 (try again later);
- ``"550"``: answer RCPT with 550 5.1.1 (no such user);
- ``"rcpt_relay550"``: answer RCPT with 550 5.7.1 (relaying denied: not the address's fault);
- ``"drop"``: read the whole message, then close the connection without
  answering (the message is not accepted, so the sender must retry);
- ``"data451"``: answer the end of DATA with 451;
- ``"data550"``: answer the end of DATA with 550 5.6.0 (content refused: not the address's fault);
- ``"data550_user"``: answer the end of DATA with 550 5.1.1 (the address, known only after DATA);
- ``"data550_echo"``: as ``"data550"``, quoting the recipient's address in the reply, as some relays do;
- ``"accept_drop"``: accept the message (it counts as delivered), then hang up
  without answering: a retry is a real duplicate;
- ``"slow_after_data"``: accept the message, then answer only after
  ``handler.slow_s`` seconds: a sender that gives up first sends it again.

``pipelining=True`` offers PIPELINING (RFC 2920) in EHLO; aiosmtpd reads
pipelined commands in order whether it offers it or not, so the faults hit
the same commands either way.

Every accepted message's Message-ID is recorded (``server.accepted``), and
written to a Maildir when one is given. ``delay_ms`` waits before every reply,
greeting included: the benchmark's sink. ``restart(handle, down_s)`` stops a
server and starts it again on the same port with the same handler (a relay
down, then up).

Run the sink for the benchmark (counts only, prints what it received on exit)::

    .venv/bin/python -m tests.smtp_faults --delay-ms 2 --port 2526

It is a lean asyncio SMTP server by default, offering PIPELINING
(``--no-pipelining`` to leave it out; ``--engine aiosmtpd`` for aiosmtpd,
which costs about a millisecond of CPU per message: on a 2-core machine
shared with the sender, that would be what the benchmark measures).
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
import time
from collections import Counter, deque

from aiosmtpd.smtp import SMTP

from anshin_lab.core.errors import DeliveryError
from anshin_lab.demo.smtpd import ServerHandle, serve_in_thread

DROP = "__drop__"
_HEADERS = email.parser.BytesHeaderParser()


class FaultHandler:
    """Answers by the plan; records accepted Message-IDs (and writes a Maildir when given)."""

    RCPT_REPLIES = {"421": "421 4.3.2 Service shutting down (fault injected)",
                    "451": "451 4.3.0 Try again later (fault injected)",
                    "550": "550 5.1.1 No such user (fault injected)",
                    "rcpt_relay550": "550 5.7.1 Relaying denied (fault injected)"}
    DATA_REPLIES = {"data451": "451 4.3.0 Try again later (fault injected)",
                    "data550": "550 5.6.0 Message content refused (fault injected)",
                    "data550_user": "550 5.1.1 Mailbox unavailable (fault injected)",
                    "data550_echo": "550 5.6.0 Message to <{address}> refused (fault injected)"}

    def __init__(self, plan: dict | None = None, maildir=None, slow_s: float = 2.0, pipelining: bool = False):
        self.plan = {k.lower(): list(v) for k, v in (plan or {}).items()}
        self.pipelining = pipelining
        self.attempts: Counter = Counter()
        self.accepted: list[str] = []
        self.actions: Counter = Counter()
        self.maildir = mailbox.Maildir(maildir, create=True) if maildir else None
        self.slow_s = slow_s
        self.lock = threading.Lock()

    def action(self, address: str) -> str:
        steps = self.plan.get(address.lower()) or self.plan.get("*")
        if not steps:
            return "ok"
        n = self.attempts[address.lower()]
        return steps[min(n, len(steps) - 1)]

    def planned(self, address: str) -> bool:
        return address.lower() in self.plan or "*" in self.plan

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname  # aiosmtpd leaves that to a handler with this hook
        if self.pipelining:  # aiosmtpd reads pipelined commands in order; it just does not say so
            responses.insert(-1, "250-PIPELINING")
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        action = self.action(address)
        if action in self.RCPT_REPLIES:
            self.attempts[address.lower()] += 1
            self.actions[action] += 1
            return self.RCPT_REPLIES[action]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        address = envelope.rcpt_tos[0].lower() if envelope.rcpt_tos else ""
        action = self.action(address)
        if action == "drop" or action in self.DATA_REPLIES:
            self.attempts[address] += 1
            self.actions[action] += 1
            return DROP if action == "drop" else self.DATA_REPLIES[action].format(address=address)
        if self.planned(address):
            self.attempts[address] += 1
        message_id = _HEADERS.parsebytes(envelope.original_content).get("Message-ID", "")
        with self.lock:
            self.accepted.append(message_id.strip())
        if self.maildir is not None:
            for rcpt in envelope.rcpt_tos:
                self.maildir.add(f"Delivered-To: {rcpt}\r\n".encode() + envelope.original_content)
        if action in ("accept_drop", "slow_after_data"):
            self.actions[action] += 1
            if action == "accept_drop":
                return DROP
            await asyncio.sleep(self.slow_s)
        return "250 2.0.0 OK"

    def duplicates(self) -> dict[str, int]:
        with self.lock:
            return {m: n for m, n in Counter(self.accepted).items() if n > 1}

    def duplicate_count(self) -> int:
        """Copies accepted beyond the first, over every Message-ID (what members would see twice)."""
        with self.lock:
            return len(self.accepted) - len(set(self.accepted))


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
                       host: str = "127.0.0.1", handler: FaultHandler | None = None, slow_s: float = 2.0,
                       pipelining: bool = False, **smtp_kwargs) -> ServerHandle:
    """Start a fault-injecting server on a thread; ``handle.handler`` has ``accepted`` and ``duplicates()``.

    ``pipelining`` offers PIPELINING (RFC 2920) in EHLO. Pass ``handler`` to
    serve with an existing one (its plan, counts and EHLO), as :func:`restart` does.
    """
    handler = handler or FaultHandler(plan, maildir, slow_s=slow_s, pipelining=pipelining)
    handle = serve_in_thread(lambda: FaultSMTP(handler, delay_s=delay_ms / 1000, **smtp_kwargs), host, port,
                             handler=handler)
    handle.delay_ms = delay_ms
    return handle


def restart(handle: ServerHandle, down_s: float) -> ServerHandle:
    """Stop the server (its listener and every connection), wait ``down_s``, start it again on the same port."""
    handle.stop()
    time.sleep(down_s)
    deadline = time.monotonic() + 10
    while True:
        try:
            return start_fault_server(port=handle.port, host=handle.host, handler=handle.handler,
                                      delay_ms=getattr(handle, "delay_ms", 0.0))
        except DeliveryError:  # the port not free yet
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


class CountingHandler:
    """The aiosmtpd sink's handler: accepts everything, counts Message-IDs, stores nothing."""

    def __init__(self):
        self.received = 0
        self.seen: set[bytes] = set()
        self.duplicates = 0
        self.early = 0  # commands that came before the reply to the one before: pipelined

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
    It offers PIPELINING (RFC 2920) unless told not to: commands that arrive
    together are answered in order, each ``delay_s`` after it arrived, and
    replies due together go out in one write.
    """

    def __init__(self, handler: CountingHandler, delay_s: float, pipelining: bool = True):
        self.handler = handler
        self.delay_s = delay_s
        self.ehlo = b"250-sink\r\n250-8BITMIME\r\n" + (b"250-PIPELINING\r\n" if pipelining else b"") + b"250 SIZE 33554432"
        self.buffer = bytearray()
        self.in_data = False
        self.transport = None
        self.due: deque = deque()  # (when, reply, close) in the order the commands came
        self.timer = None

    def connection_made(self, transport):
        self.transport = transport
        self.loop = asyncio.get_running_loop()
        self.reply(b"220 sink ESMTP")

    def reply(self, line: bytes, close: bool = False) -> None:
        self.due.append((self.loop.time() + self.delay_s, line, close))
        if self.timer is None:
            self.timer = self.loop.call_at(self.due[0][0], self._flush)

    def _flush(self) -> None:
        self.timer = None
        now = self.loop.time()
        out, close = [], False
        while self.due and self.due[0][0] <= now and not close:
            _, line, close = self.due.popleft()
            out.append(line + b"\r\n")
        if self.transport is None or self.transport.is_closing():
            return
        self.transport.write(b"".join(out))
        if close:
            self.transport.close()
        elif self.due:
            self.timer = self.loop.call_at(self.due[0][0], self._flush)

    def connection_lost(self, exc):
        self.transport = None
        if self.timer is not None:
            self.timer.cancel()

    def data_received(self, data: bytes) -> None:
        buffer = self.buffer
        buffer += data
        while buffer:
            if self.due:
                self.handler.early += 1  # a client that does not pipeline waits for every reply
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
                self.reply(self.ehlo)
            elif verb in (b"HELO", b"MAIL", b"RCPT", b"RSET", b"NOOP"):
                self.reply(b"250 OK")
            elif verb == b"DATA":
                self.in_data = True
                self.reply(b"354 End data with <CR><LF>.<CR><LF>")
            elif verb == b"QUIT":
                self.reply(b"221 Bye", close=True)
            else:
                self.reply(b"500 Command not recognized")


def start_sink(delay_ms: float = 2.0, port: int = 0, host: str = "127.0.0.1", *, engine: str = "lean",
               pipelining: bool = True) -> ServerHandle:
    """Start the benchmark sink on a thread (``engine="aiosmtpd"`` for the aiosmtpd one, which does not pipeline)."""
    handler = CountingHandler()
    if engine == "aiosmtpd":
        factory = lambda: FaultSMTP(handler, delay_s=delay_ms / 1000)  # noqa: E731
    else:
        factory = lambda: SinkProtocol(handler, delay_ms / 1000, pipelining)  # noqa: E731
    return serve_in_thread(factory, host, port, handler=handler)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="SMTP sink on loopback that waits before every reply (benchmark)")
    parser.add_argument("--port", type=int, default=2526)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--delay-ms", type=float, default=2.0, help="wait before every reply (ms)")
    parser.add_argument("--engine", choices=["lean", "aiosmtpd"], default="lean",
                        help="lean: a minimal asyncio SMTP server (default); aiosmtpd: aiosmtpd's")
    parser.add_argument("--no-pipelining", action="store_true", help="do not offer PIPELINING (RFC 2920) in EHLO")
    args = parser.parse_args(argv)
    handle = start_sink(args.delay_ms, args.port, args.host, engine=args.engine, pipelining=not args.no_pipelining)
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
