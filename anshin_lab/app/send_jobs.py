"""The service's sends: one background thread per alert, its progress, and how it ended.

``anshin send`` asks the service to start a send and then polls it; the
SMTP settings and the key stay in the service. A second start while one is
running is refused (the outbox's lock would refuse it too, across
processes); a stop asks the sender (``delivery.control.request_stop``),
which halts between batches and records what it sent. Mail held for members'
quiet hours is sent by the same job when the window ends (state "waiting"
until then), as the operator who released the alert; a stop ends the wait.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
from dataclasses import dataclass, field

import sqlalchemy as sa

from anshin_lab import delivery
from anshin_lab.core.clock import TOKYO, stored_utc, tokyo_now
from anshin_lab.core.errors import AnshinError, WorkflowError
from anshin_lab.delivery import control
from anshin_lab.delivery.gate import clear_to_send
from anshin_lab.storage.store import outbox

log = logging.getLogger("anshin.service")

# The state a send is in: running, then complete / incomplete (rows left; run again) / stopped / failed;
# waiting: sent to everyone but the members in their quiet hours, whose mail goes when the window ends.
RUNNING, COMPLETE, INCOMPLETE, STOPPED, FAILED = "running", "complete", "incomplete", "stopped", "failed"
WAITING = "waiting"
STATE_LABELS = {RUNNING: "送信中", COMPLETE: "完了", INCOMPLETE: "未完了", STOPPED: "停止", FAILED: "失敗",
                WAITING: "時間帯明けを待機中"}
# How often a waiting job looks at the clock and for a stop request.
WAIT_POLL_S = 5.0
# How long the service waits for its sends to stop when it is itself stopped.
SHUTDOWN_WAIT_S = 30.0


@dataclass
class SendJob:
    """One send started by the service: who started it, its progress, and the report once it ended."""

    alert_id: int
    operator: str
    started_at: float = field(default_factory=time.time)
    state: str = RUNNING
    done: int = 0
    total: int = 0
    report: object = None
    error: str | None = None  # the AnshinError class name of a failed send
    message: str = ""
    stop_requested: bool = False
    thread: threading.Thread | None = field(default=None, repr=False)
    user: object = field(default=None, repr=False)  # who started it (asks the stop when the service stops)

    def progress(self, done: int, total: int) -> None:
        self.done, self.total = int(done), int(total)

    def status(self) -> dict:
        """What ``GET /send/{id}`` answers: counts, the state and the report's lines (no personal data)."""
        report = self.report
        counts = {"sent": 0, "deferred": 0, "failed": 0, "bounced": 0, "possible_duplicates": 0}
        lines: list[str] = []
        if report is not None:
            counts = report_counts(report)
            lines = list(report.lines())
        answer = {"alert_id": self.alert_id, "state": self.state, "state_label": STATE_LABELS[self.state],
                  "operator": self.operator, "done": self.done, "total": self.total, **counts, "lines": lines,
                  "seconds": round(time.time() - self.started_at, 1), "stop_requested": self.stop_requested}
        if self.error:
            answer.update({"error_class": self.error, "message": self.message})
        elif self.message:
            answer["message"] = self.message
        return answer


def report_counts(report) -> dict:
    """The counts the status shows, from a ``DeliveryReport`` (over every run of the alert where it keeps totals).

    ``bounced`` are recipients' addresses refused for good (5xx about the
    address); ``failed`` messages not delivered for another reason (the relay
    refused the content, no valid signature); ``deferred`` rows still queued.
    """
    return {"sent": int(report.sent_total), "deferred": int(report.pending),
            "failed": int(report.refused) + int(report.invalid), "bounced": int(report.bounced_total),
            "possible_duplicates": int(report.possible_duplicates)}


class SendJobs:
    """The sends of this service, by alert id."""

    def __init__(self, engine: sa.Engine, relay, options, *, clock=tokyo_now, poll_s: float = WAIT_POLL_S):
        self.engine = engine
        self.relay = relay
        self.options = options
        self.clock = clock  # the time the quiet hours are judged by (tests pass their own)
        self.poll_s = poll_s
        self.jobs: dict[int, SendJob] = {}
        self.lock = threading.Lock()

    def start(self, user, alert_id: int, *, connections: int | None = None) -> SendJob:
        """Start sending in a thread once the gate lets ``user`` send; ``WorkflowError`` while one runs."""
        with self.lock:
            job = self.jobs.get(alert_id)
            if job is not None and job.state in (RUNNING, WAITING):
                raise WorkflowError(f"配信 #{alert_id} は送信中です(進み具合は anshin send {alert_id}、"
                                    f"止めるには anshin send stop {alert_id})")
            clear_to_send(self.engine, user, alert_id)  # refuse at once, not in the thread
            options = self.options
            if connections is not None:
                options = dataclasses.replace(options, connections=connections)
            job = SendJob(alert_id, user.username, user=user)
            job.thread = threading.Thread(target=self._run, args=(job, user, options), name=f"send-{alert_id}",
                                          daemon=True)
            self.jobs[alert_id] = job
            job.thread.start()
        return job

    def _run(self, job: SendJob, user, options) -> None:
        while True:
            report = self._send_once(job, user, options)
            if report is None:
                return
            if report.complete or report.stopped or not report.held or job.stop_requested:
                break
            due = held_until(self.engine, job.alert_id)
            job.state = WAITING
            job.message = (f"配信を控える時間帯の会員への {report.held:,}通は {due:%m月%d日 %H:%M} に自動で送ります"
                           f"(止めるには anshin send stop {job.alert_id})")
            if not self._wait_until(job, due):
                break
            job.state = RUNNING
        job.total = int(report.total)
        job.done = job.total - int(report.pending)
        if report.complete:
            job.state, job.message = COMPLETE, ""
        elif report.stopped:
            job.state, job.message = STOPPED, report.stopped
        elif job.stop_requested:
            job.state, job.message = STOPPED, "時間帯明けの送信を待つ間に止める依頼がありました"
        else:
            job.state, job.message = INCOMPLETE, report.error or ""

    def _send_once(self, job: SendJob, user, options):
        """One pass of ``send_alert`` (the gate again each time); None when it failed (recorded on the job)."""
        try:
            report = delivery.send_alert(self.engine, user, job.alert_id, self.relay, options=options,
                                         progress=job.progress, now=self.clock())
        except AnshinError as exc:
            job.error, job.message, job.state = type(exc).__name__, str(exc), FAILED
            return None
        except Exception as exc:  # noqa: BLE001 -- the thread must record the end whatever it was
            # Only the class and place: an exception's text may carry a member's address.
            log.error("send of alert %s ended with %s at %s", job.alert_id, type(exc).__name__, _where(exc))
            job.error, job.state = "DeliveryError", FAILED
            job.message = (f"配信 #{job.alert_id} の送信中に予期しないエラー({type(exc).__name__})が起きました"
                           f"(もう一度 anshin send {job.alert_id} を実行すると続きから送ります)")
            return None
        job.report = report
        return report

    def _wait_until(self, job: SendJob, due) -> bool:
        """Wait for ``due`` (the quiet hours' end); False when a stop was asked for meanwhile."""
        while self.clock() < due:
            with self.engine.connect() as conn:
                asked = control.stop_requested(conn, job.alert_id)
            if job.stop_requested or asked:
                job.stop_requested = True
                return False
            time.sleep(self.poll_s)
        return True

    def status(self, alert_id: int) -> dict:
        job = self.jobs.get(alert_id)
        if job is None:
            raise WorkflowError(f"配信 #{alert_id} の送信はこのサービスで開始されていません"
                                f"(anshin send {alert_id} で開始します)")
        return job.status()

    def stop(self, user, alert_id: int) -> dict:
        """Ask the sender to stop (recorded, checked between batches); the status afterwards."""
        control.request_stop(self.engine, user, alert_id)
        job = self.jobs.get(alert_id)
        if job is None or job.state not in (RUNNING, WAITING):
            return {"alert_id": alert_id, "state": job.state if job else "idle", "stop_requested": True,
                    "message": f"配信 #{alert_id} は送信中ではありません(止める依頼は記録しました)"}
        job.stop_requested = True
        if job.state == WAITING and job.thread is not None:  # it ends at its next look at the clock
            job.thread.join(self.poll_s + 1.0)
        return job.status()

    def stop_all(self, wait_s: float = SHUTDOWN_WAIT_S) -> None:
        """When the service stops: ask every running send to stop, wait for them to record what they sent."""
        running = [job for job in self.jobs.values() if job.state in (RUNNING, WAITING)]
        for job in running:
            job.stop_requested = True
            try:
                control.request_stop(self.engine, job.user, job.alert_id)
            except AnshinError as exc:
                log.warning("could not ask send of alert %s to stop: %s", job.alert_id, type(exc).__name__)
        deadline = time.monotonic() + wait_s
        for job in running:
            if job.thread is not None:
                job.thread.join(max(0.0, deadline - time.monotonic()))


def _where(exc: BaseException) -> str:
    """``file:line`` of the innermost frame of ``exc`` (for a log line without the message)."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    return f"{tb.tb_frame.f_code.co_filename}:{tb.tb_lineno}" if tb is not None else "?"


def held_until(engine: sa.Engine, alert_id: int):
    """When the first mail held for quiet hours falls due (Asia/Tokyo), or now when none is held."""
    with engine.connect() as conn:
        due = conn.execute(sa.select(sa.func.min(outbox.c.next_attempt_at))
                           .where(outbox.c.alert_id == alert_id, outbox.c.state == "held")).scalar()
    return tokyo_now() if due is None else stored_utc(due).tz_convert(TOKYO)
