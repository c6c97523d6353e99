"""One SMTP connection after login: commands written as they come, replies read back strictly in order.

aiosmtplib opens the connection (greeting, EHLO, STARTTLS, AUTH), and
:func:`take_over` then moves its transport to a :class:`Channel`: aiosmtplib's
own protocol keeps one reply at a time and drops what arrives before it asks,
so it cannot pipeline (RFC 2920). A ``Channel`` queues every reply in the
order it arrives, so several commands may be written before the first reply is
read; ``pipelining`` says whether the relay's EHLO offered it (when not, the
sender writes one command and reads its reply before the next, the plain
RFC 5321 exchange). Each reply is awaited with its own RFC 5321 wait
(:meth:`Channel.reply`); a connection lost, or anything that is not an SMTP
reply, is :class:`ReplyLost`.
"""

from __future__ import annotations

import asyncio
from collections import deque
from typing import NamedTuple

MAX_REPLY_BYTES = 64 * 1024  # far more than any reply; a relay sending more is not talking SMTP


class Reply(NamedTuple):
    code: int
    text: str


class ReplyLost(ConnectionError):
    """No reply: the connection closed, or what came back is not an SMTP reply."""


class Channel(asyncio.Protocol):
    """The logged-in connection: :meth:`write` commands, :meth:`reply` for each one, in the order written."""

    def __init__(self, transport: asyncio.Transport, pipelining: bool):
        self.transport = transport
        self.pipelining = pipelining
        self._buffer = bytearray()
        self._replies: deque[Reply] = deque()
        self._lines: list[bytes] = []  # the lines so far of a multi-line reply
        self._waiter: asyncio.Future | None = None
        self._timer: asyncio.TimerHandle | None = None  # the second timer of a wait that checked for a stuck write
        self._lost: BaseException | None = None

    @property
    def is_open(self) -> bool:
        return self._lost is None and not self.transport.is_closing()

    def write(self, data: bytes) -> None:
        if not self.is_open:
            raise ReplyLost("the connection is closed")
        self.transport.write(data)

    async def reply(self, timeout: float, *, cut_if_stuck_after: float | None = None) -> Reply:
        """The next reply not yet read; ``asyncio.TimeoutError`` after ``timeout`` seconds, ``ReplyLost`` if none.

        With ``cut_if_stuck_after``, a connection that still has unsent data
        after that many seconds (the relay is not taking the message) is cut.
        """
        if self._replies:
            return self._replies.popleft()
        if self._lost is not None:
            raise ReplyLost(str(self._lost) or "the connection closed") from self._lost
        loop = asyncio.get_running_loop()
        waiter = self._waiter = loop.create_future()
        # One timer per wait, cheaper than asyncio.wait_for at thousands of replies a second.
        if cut_if_stuck_after is not None and cut_if_stuck_after < timeout:
            timer = loop.call_later(cut_if_stuck_after, self._check_stuck, waiter, timeout - cut_if_stuck_after)
        else:
            timer = loop.call_later(timeout, self._expire, waiter)
        try:
            await waiter
        finally:
            self._waiter = None
            timer.cancel()
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
        if not self._replies:
            raise ReplyLost(str(self._lost) or "the connection closed") from self._lost
        return self._replies.popleft()

    def _expire(self, waiter: asyncio.Future) -> None:
        if not waiter.done():
            waiter.set_exception(asyncio.TimeoutError())

    def _check_stuck(self, waiter: asyncio.Future, remaining: float) -> None:
        if self.transport.get_write_buffer_size():
            self.abort()  # connection_lost follows and ends the wait
        elif not waiter.done():
            self._timer = asyncio.get_running_loop().call_later(remaining, self._expire, waiter)

    def close(self) -> None:
        if not self.transport.is_closing():
            self.transport.close()

    def abort(self) -> None:
        """Cut the connection now, with whatever is still unsent (a stuck write)."""
        if not self.transport.is_closing():
            self.transport.abort()

    async def quit(self, timeout: float = 2.0) -> None:
        """QUIT, its reply awaited a moment, then close (a relay that does not answer is simply left)."""
        try:
            self.write(b"QUIT\r\n")
            await self.reply(timeout)
        except (ReplyLost, asyncio.TimeoutError):
            pass
        finally:
            self.close()

    # asyncio.Protocol

    def data_received(self, data: bytes) -> None:
        if self._buffer:
            data = bytes(self._buffer) + data
            self._buffer.clear()
        lines = data.split(b"\n")
        rest = lines.pop()  # an incomplete last line, kept for the next read
        for line in lines:
            if len(line) < 3 or not line[:3].isdigit() or line[3:4] not in (b" ", b"-", b"\r", b""):
                self._fail(ReplyLost(f"not an SMTP reply: {line[:80]!r}"))
                return
            if line[3:4] == b"-":
                self._lines.append(line[4:].rstrip(b"\r"))
                continue
            text = line[4:].rstrip(b"\r")
            if self._lines:
                text = b"\n".join([*self._lines, text])
                self._lines = []
            self._replies.append(Reply(int(line[:3]), text.decode("utf-8", "replace")))
        if rest:
            self._buffer += rest
        if len(self._buffer) + sum(map(len, self._lines)) > MAX_REPLY_BYTES:
            self._fail(ReplyLost("a reply longer than any SMTP reply"))
            return
        self._wake()

    def eof_received(self) -> bool:
        return False  # the relay is done: close our side too

    def connection_lost(self, exc: BaseException | None) -> None:
        if self._lost is None:
            self._lost = exc or ReplyLost("the relay closed the connection")
        self._wake()

    def _fail(self, exc: BaseException) -> None:
        self._lost = exc
        self.abort()
        self._wake()

    def _wake(self) -> None:
        if self._waiter is not None and not self._waiter.done() and (self._replies or self._lost is not None):
            self._waiter.set_result(None)


def take_over(client) -> Channel:
    """The :class:`Channel` for a connected, logged-in ``aiosmtplib.SMTP``; the client is not used again."""
    transport = client.protocol.transport
    channel = Channel(transport, pipelining=client.supports_extension("pipelining"))
    transport.set_protocol(channel)
    return channel
