"""What a delivery tells the operator: the run's report, the dry run's preview, a progress bar."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import pandas as pd
from tqdm import tqdm


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
    before delivery starts shows none.
    """

    def __init__(self, description: str = "送信"):
        self.description = description
        self.bar = None

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            self.bar = tqdm(total=total, desc=self.description, unit="通", dynamic_ncols=True, mininterval=0.2)
        self.bar.update(done - self.bar.n)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.close()
