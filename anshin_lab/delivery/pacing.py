"""Pacing: per-carrier rate limits (token buckets) and retry times, handing outbox rows to SMTP connections."""

from __future__ import annotations

import asyncio
import heapq
import itertools
import time
from collections import deque
from typing import Mapping

from anshin_lab.delivery.outbox import OutboxItem


class TokenBucket:
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


class Scheduler:
    """Hands rows to connections: per-domain rate limits, deferred retries, and the end of the run."""

    def __init__(self, items: list[OutboxItem], rate_limits: Mapping[str, float]):
        self.limits = dict(rate_limits)
        self.queues: dict[str, deque] = {}
        self.buckets: dict[str, TokenBucket | None] = {}
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

    def add(self, item: OutboxItem, *, front: bool = False) -> None:
        key = self._key(item.domain)
        if key not in self.queues:
            self.queues[key] = deque()
            self.buckets[key] = TokenBucket(self.limits[key]) if key in self.limits else None
        (self.queues[key].appendleft if front else self.queues[key].append)(item)
        self.changed.set()

    def defer(self, item: OutboxItem, delay: float) -> None:
        heapq.heappush(self.deferred, (time.monotonic() + delay, next(self.counter), item))
        self.changed.set()

    def done_with(self, item: OutboxItem) -> None:
        self.in_flight -= 1
        self.changed.set()

    def abort(self, error: BaseException) -> None:
        if self.aborted is None:
            self.aborted = error
        self.changed.set()

    def queued(self) -> int:
        return sum(len(q) for q in self.queues.values()) + len(self.deferred)

    def drain(self) -> list[OutboxItem]:
        items = [i for q in self.queues.values() for i in q] + [entry[2] for entry in self.deferred]
        for q in self.queues.values():
            q.clear()
        self.deferred.clear()
        return items

    def take(self) -> OutboxItem | None:
        """The next row if one may go now (its carrier's rate allows, or a retry is due), without waiting.

        A pipelining connection asks for its next message this way while the
        relay still holds the previous one's final dot; None when none may go now.
        """
        item, _ = self._pick(time.monotonic())
        return item

    def _pick(self, now: float) -> tuple[OutboxItem | None, list[float]]:
        """(a row that may go at ``now``, else None with the waits of the rate-limited queues)."""
        if self.aborted is not None:
            return None, []
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
                return items.popleft(), waits
            waits.append(wait)
        return None, waits

    async def next(self) -> OutboxItem | None:
        """The next row to send, waiting for rate limits and retries; None when the run is over."""
        while True:
            if self.aborted is not None:
                return None
            now = time.monotonic()
            item, waits = self._pick(now)
            if item is not None:
                return item
            if not waits and not self.deferred and self.in_flight == 0:
                return None
            if self.deferred:
                waits.append(self.deferred[0][0] - now)
            self.changed.clear()
            try:
                await asyncio.wait_for(self.changed.wait(), timeout=max(0.001, min(waits)) if waits else None)
            except asyncio.TimeoutError:
                pass
