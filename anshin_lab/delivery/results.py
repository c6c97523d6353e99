"""What a delivery tells the operator: the run's report, the dry run's preview, a progress bar."""

from __future__ import annotations

import dataclasses
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import Callable

import pandas as pd
from tqdm import tqdm


@dataclass
class DeliveryReport:
    """What a delivery run did, and where the alert's outbox stands after it."""

    alert_id: int
    relay: str
    total: int = 0  # outbox rows of the alert
    sent: int = 0  # delivered in this run
    failed: int = 0  # bounced in this run: a 5xx about the recipient's address (RCPT, or 5.1.x)
    refused: int = 0  # 5xx about the message or the relay in this run: nobody's address, no bounce
    invalid: int = 0  # rows never sent: no valid signature, or an address that could break a header
    skipped: int = 0  # members who left between queueing and this run
    already_done: int = 0  # rows final before this run
    retries: int = 0  # 4xx replies, dropped connections and timeouts retried in this run
    ambiguous: int = 0  # rows found "sending" (a killed run): sent again, so maybe delivered twice
    unknown: int = 0  # this run: no reply after the final dot (dropped, timed out); sent again
    possible_duplicates: int = 0  # over every run of the alert: messages whose outcome was unknown
    suppressed: int = 0  # members suppressed after repeated hard bounces
    pending: int = 0  # rows left queued / deferred after this run
    held: int = 0  # rows waiting for the end of their member's quiet hours (not pending: sent by a later run)
    released: int = 0  # held rows whose quiet hours had ended, sent in this run
    sent_total: int = 0  # rows sent over all runs
    failed_total: int = 0  # rows never to be sent, over all runs: bounced, refused, invalid
    bounced_total: int = 0  # of which bounces (the member's address), over all runs
    connections: int = 0
    seconds: float = 0.0
    error: str | None = None  # why the run ended without finishing (Japanese, one line)
    stopped: str | None = None  # why it was stopped (a stop request, the gate, the relay refusing content)
    run_id: int | None = None
    by_code: dict = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        """Every row final, at least one delivered, nothing stopped the run: the release may be recorded."""
        return self.pending == 0 and self.error is None and self.stopped is None and self.sent_total > 0

    @property
    def msgs_per_s(self) -> float:
        return self.sent / self.seconds if self.seconds > 0 else 0.0

    def as_dict(self) -> dict:
        return {**dataclasses.asdict(self), "complete": self.complete, "msgs_per_s": round(self.msgs_per_s, 1)}

    def lines(self) -> list[str]:
        out = [f"配信 #{self.alert_id}: 宛先 {self.total:,}件(リレー {self.relay})",
               f"  送信済み {self.sent_total:,}件(今回 {self.sent:,}件)",
               f"  送れなかった通知 {self.failed_total:,}件(うち宛先不明の不達 {self.bounced_total:,}件、"
               f"今回の不達 {self.failed:,}件、不達が続いたため停止した会員 {self.suppressed}人)"]
        if self.refused:
            out.append(f"  リレーが本文・送信を拒否 {self.refused:,}件(会員の宛先の誤りではないため、不達にしていません)")
        if self.invalid:
            out.append(f"  署名がない・宛先の形式が不正な送信待ち {self.invalid:,}件(送っていません。管理者に確認してください)")
        if self.skipped:
            out.append(f"  送信前に配信停止した会員 {self.skipped:,}件(送っていません)")
        out.append(f"  一時エラー(4xx・切断)の再試行 {self.retries:,}回")
        if self.ambiguous:
            out.append(f"  前回の中断時に送信中だった通知 {self.ambiguous}件を再送しました"
                       f"(SMTP では区別できないため、二重に届いた可能性があります)")
        if self.unknown:
            out.append(f"  本文の送信後に応答がなかった通知 {self.unknown}件(リレーが受け取った可能性があり、再送分は二重に届くことがあります)")
        if self.possible_duplicates:
            out.append(f"  二重に届いた可能性がある通知 {self.possible_duplicates:,}件(これまでの全送信の合計)")
        if self.held or self.released:
            out.append(f"  配信を控える時間帯のため保留中 {self.held:,}件(今回、時間帯が明けて送った分 {self.released:,}件)")
        out.append(f"  未完了 {self.pending:,}件" + ("(もう一度 send を実行すると続きから送ります)" if self.pending else ""))
        out.append(f"  所要 {self.seconds:.1f}秒({self.msgs_per_s:,.0f}通/秒、同時接続 {self.connections})")
        if self.stopped:
            out.append(f"  停止: {self.stopped}")
        if self.error and self.error != self.stopped:
            out.append(f"  中断: {self.error}")
        return out


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


class progress_bar:
    """A tqdm progress bar (on stderr) to pass as ``progress=`` to ``send_alert`` / ``deliver``.

    The bar appears at the first report of progress, so a send refused
    before delivery starts shows none. With ``total`` (the rows still to
    send over several alerts) one bar covers them all: pass ``part()`` to
    each send. It redraws whenever a message is done (at most every 0.2 s
    on a terminal, 0.5 s elsewhere: a log file gets one line per redraw) and
    at least every second while nothing is done (connecting, backing off),
    on any text stream. Use it as a context manager, which closes it.
    """

    TICK_S = 1.0

    def __init__(self, description: str = "送信", total: int | None = None, file=None):
        self.description = description
        self.total = total
        self.file = file
        self.bar = None
        self._stop = threading.Event()
        self._ticker: threading.Thread | None = None

    def __call__(self, done: int, total: int) -> None:
        self._open(total)
        self.bar.update(done - self.bar.n)

    def part(self) -> Callable[[int, int], None]:
        """A ``progress=`` callback for one of the sends sharing this bar: it adds what that send finishes."""
        first: int | None = None  # rows final before this send: not in the shared total
        counted = 0

        def report(done: int, total: int) -> None:
            nonlocal first, counted
            self._open(total)
            if first is None:
                first = done
            self.bar.update(done - first - counted)
            counted = done - first

        return report

    def _open(self, total: int) -> None:
        if self.bar is None:
            stream = self.file if self.file is not None else sys.stderr
            tty = bool(getattr(stream, "isatty", lambda: False)())
            self.bar = tqdm(total=self.total if self.total is not None else total, desc=self.description, unit="通",
                            file=stream, dynamic_ncols=tty, ncols=None if tty else 100, miniters=1,
                            mininterval=0.2 if tty else 0.5)
            self._ticker = threading.Thread(target=self._tick, name="progress-bar", daemon=True)
            self._ticker.start()

    def _tick(self) -> None:
        while not self._stop.wait(self.TICK_S / 2) and not self.bar.disable:  # closed without ``with``: stop
            if time.time() - self.bar.last_print_t >= self.TICK_S / 2:
                self.bar.refresh()  # the elapsed time moves on even while no message is done

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._stop.set()
        if self._ticker is not None:
            self._ticker.join()
        if self.bar is not None:
            self.bar.close()
