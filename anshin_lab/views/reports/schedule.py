"""Scheduled fraud-call summaries: running each due (job, period) once, and the run log.

``anshin schedule run`` is meant to be called often (every 15 minutes from
cron or a systemd timer). For each job of the timetable (``timetable``) it
finds the latest scheduled time that has passed and the period that run
covers, and runs it unless that (job, period) is done. A claim row in the
database (``schedule_periods``) makes each period run once even when two
schedulers overlap; every attempt is logged in ``schedule_runs``. A failed
job leaves an error report and the run goes on with the next job; a failed
period is retried at the next call, up to ``max_attempts`` times. ``force``
runs the current period again.

Only the latest due period of a job runs: after a week's outage a daily job
does yesterday, not the six days before (run those by hand with ``anshin
report fraud-summary``). Scheduled runs never send mail: the drafted alert
waits for approval like any other draft.
"""

from __future__ import annotations

import datetime as dt
import getpass
import os
import socket
import traceback
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from anshin_lab.app.references import reference_tables
from anshin_lab.app.scheduled_jobs import OPERATIONS, SUMMARY, job_runner
from anshin_lab.app.workspace import require_workspace
from anshin_lab.core.clock import stored_utc, utc_now
from anshin_lab.core.errors import AnshinError, ParameterError, ReportError
from anshin_lab.storage import store
from anshin_lab.storage.schema import schedule_periods as sp
from anshin_lab.storage.schema import schedule_runs
from anshin_lab.views.operations import run_operations_report
from anshin_lab.views.reports.common import default_reports_dir
from anshin_lab.views.reports.index import refresh_index
from anshin_lab.views.reports.render import write_error_report
from anshin_lab.views.reports.run import report_filename, run_fraud_summary
from anshin_lab.views.reports.timetable import (
    Job,
    Schedule,
    last_occurrence,
    load_schedule,
    next_occurrence,
    parse_now,
    period_for,
)

__all__ = ["JobOutcome", "ScheduleRun", "list_jobs", "read_run_log", "run_schedule"]

# A claim older than this whose process never finished (killed, machine down) may be taken over.
STALE_CLAIM = pd.Timedelta(hours=2)


@dataclass
class JobOutcome:
    """What happened to one job in one ``run_schedule`` call."""

    job: Job
    start: dt.date
    end: dt.date
    scheduled_for: pd.Timestamp
    status: str  # ok / failed / done / busy / gave_up
    message: str = ""
    report_path: str | None = None
    seconds: float = 0.0

    def line(self) -> str:
        label = {"ok": "完了", "failed": "失敗", "done": "実行済み", "busy": "実行中(別のプロセス)",
                 "gave_up": "中止(失敗が続いています)"}[self.status]
        where = f" → {self.report_path}" if self.report_path else ""
        detail = f": {self.message}" if self.message and self.status != "ok" else ""
        took = f"({self.seconds:.1f}秒)" if self.status in ("ok", "failed") else ""
        return f"[{label}] {self.job.job_id} {self.start}〜{self.end}{took}{where}{detail}"


@dataclass
class ScheduleRun:
    """The outcome of every job of one ``run_schedule`` call."""

    now: pd.Timestamp
    outcomes: list = field(default_factory=list)
    prepared: str = ""  # the job the warm kernel was readied for (due before it would idle out), if any

    @property
    def ran(self) -> list:
        return [o for o in self.outcomes if o.status in ("ok", "failed")]

    @property
    def failed(self) -> list:
        return [o for o in self.outcomes if o.status == "failed"]

    def lines(self) -> list[str]:
        ran = self.ran
        head = (f"{self.now:%Y-%m-%d %H:%M} 時点: 実行 {len(ran)}件(失敗 {len(self.failed)}件)、"
                f"実行済みなどで飛ばした {len(self.outcomes) - len(ran)}件")
        ready = [f"次のジョブ {self.prepared} に備えて、カーネルを読み込み済みで待機させています"] if self.prepared else []
        return [head, *(o.line() for o in self.outcomes), *ready]


def _stations(workspace) -> list[str]:
    return sorted(reference_tables(require_workspace(workspace).reference_dir).stations)


def run_schedule(schedule_path=None, *, workspace=None, now=None, force: bool = False, reports_dir=None,
                 jobs=None, runner=None, warm: bool = True) -> ScheduleRun:
    """Run every job whose latest period is due; each (job, period) once, failures retried up to max_attempts.

    ``now`` (aware, or naive in the schedule's timezone) is the clock the
    schedule is read against (the real time when None); ``force`` runs each
    selected job's latest period again; ``jobs`` keeps only jobs whose
    name or id is listed. ``runner`` replaces ``reports.run_fraud_summary``
    (same signature). A failing job is logged, leaves an error report and
    does not stop the others. ``warm`` runs the jobs on the workspace's warm
    kernel (``kernel.WarmKernel``: its imports done once for every job and
    for the next call, a fresh kernel when it is busy or dead), and readies
    it when a report job is due before the next call could
    (``_prepare_kernel``).
    """
    ws = require_workspace(workspace)
    schedule = load_schedule(schedule_path, stations=_stations(ws.root))
    now = parse_now(now, schedule.timezone)
    runner = runner or run_fraud_summary
    selected = [j for j in schedule.jobs if not jobs or j.name in jobs or j.job_id in jobs]
    if jobs and not selected:
        raise ParameterError(f"ジョブ {', '.join(jobs)} は予定表 {schedule.path.name} にありません")
    planned = sorted(((last_occurrence(j, now), i, j) for i, j in enumerate(selected)), key=lambda t: (t[0], t[1]))
    result = ScheduleRun(now)
    engine = store.connect(ws.database_url)
    try:
        for occurrence, _, job in planned:
            period = period_for(job, occurrence)
            outcome = JobOutcome(job, period.start, period.end, occurrence, "ok")
            claimed = _claim(engine, job, period, force=force, max_attempts=schedule.max_attempts, outcome=outcome)
            if claimed:
                _run_one(engine, schedule, job, period, occurrence, outcome, ws, reports_dir, force, runner, warm)
            result.outcomes.append(outcome)
    finally:
        engine.dispose()
    if warm and runner is run_fraud_summary:
        result.prepared = _prepare_kernel(ws, selected, now)
    return result


def _prepare_kernel(ws, jobs, now) -> str:
    """Ready the warm kernel when a report is due before it would idle out; the job it was readied for, or "".

    Called every 15 minutes, ``anshin schedule run`` thus finds the kernel
    warm for a job at any time of day, not only for the second of several
    jobs due at once; the kernel runs only in the minutes before a job.
    """
    # why: jupyter_client loads only where a kernel is readied
    from anshin_lab.views.reports.kernel import IDLE_EXIT_S, WarmKernel

    window = pd.Timedelta(seconds=IDLE_EXIT_S)
    soon = sorted((next_occurrence(j, now), j.job_id) for j in jobs
                  if j.kind == SUMMARY and next_occurrence(j, now) - now <= window)
    if not soon:
        return ""
    return soon[0][1] if WarmKernel.for_workspace(ws).prepare() else ""


def _owner() -> str:
    return f"{getpass.getuser()}@{socket.gethostname()}:{os.getpid()}"


def _claim(engine, job: Job, period, *, force: bool, max_attempts: int, outcome: JobOutcome) -> bool:
    """Take (job, period) for this process; False (with the reason in ``outcome``) when it is not ours to run."""
    key = (sp.c.job_id == job.job_id) & (sp.c.period_start == str(period.start)) & (sp.c.period_end == str(period.end))
    values = {"status": "running", "claimed_at": utc_now(), "claimed_by": _owner()}
    try:
        with engine.begin() as conn:
            row = conn.execute(sa.select(sp).where(key)).mappings().first()
            if row is None:
                conn.execute(sp.insert().values(job_id=job.job_id, period_start=str(period.start),
                                                period_end=str(period.end), attempts=1, **values))
                return True
            if row["status"] == "running" and stored_utc(row["claimed_at"]) > pd.Timestamp.now(tz="UTC") - STALE_CLAIM:
                outcome.status, outcome.message = "busy", f"{row['claimed_by']} が実行中です"
                return False
            if row["status"] == "ok" and not force:
                outcome.status, outcome.report_path = "done", row["report_path"]
                return False
            if row["status"] == "failed" and row["attempts"] >= max_attempts and not force:
                outcome.status = "gave_up"
                outcome.message = f"{row['attempts']}回失敗しました。原因を直して --force で実行してください"
                outcome.report_path = row["report_path"]
                return False
            # Only one process wins the update: the row must still be as read.
            taken = conn.execute(sp.update().where(key & (sp.c.status == row["status"]) &
                                                   (sp.c.attempts == row["attempts"]))
                                 .values(attempts=row["attempts"] + 1, **values)).rowcount
    except IntegrityError:  # another process inserted the claim first
        outcome.status, outcome.message = "busy", "別のプロセスが同時に開始しました"
        return False
    if taken != 1:
        outcome.status, outcome.message = "busy", "別のプロセスが同時に開始しました"
        return False
    return True


def _run_one(engine, schedule: Schedule, job: Job, period, occurrence, outcome: JobOutcome, ws, reports_dir,
             force: bool, runner, warm: bool) -> None:
    with engine.begin() as conn:
        run_id = conn.execute(schedule_runs.insert().values(
            job_id=job.job_id, period_start=str(period.start), period_end=str(period.end),
            scheduled_for=occurrence.tz_convert("UTC").to_pydatetime(), started_at=utc_now(), status="running",
            forced=bool(force))).inserted_primary_key[0]
    started = pd.Timestamp.now(tz="UTC")
    error = None
    try:
        # another kind of job (retention) has a runner of its own; the operations report is a notebook of views
        run = job_runner(job.kind) or (run_operations_report if job.kind == OPERATIONS else runner)
        result = run(period.start, period.end, job.area, workspace=ws.root, reports_dir=reports_dir,
                     analyst=schedule.analyst, run_label=job.job_id, notebook=schedule.notebook, warm=warm)
        outcome.status, outcome.report_path = "ok", str(result.path)
    except ReportError as exc:  # the notebook failed: its error report names the cell
        error, outcome.report_path = str(exc), exc.report_path
    except Exception as exc:  # noqa: BLE001 - one job's failure (a bad area, a bug) must not stop the others
        error = f"{type(exc).__name__}: {exc}"
        target = Path(reports_dir) if reports_dir else default_reports_dir()
        path = target / report_filename(period.start, period.end, _safe_area(job.area), error=True)
        parameters = {"workspace": str(ws.root), "start": str(period.start), "end": str(period.end), "area": job.area,
                      "run_label": job.job_id}
        trace = "" if isinstance(exc, AnshinError) else traceback.format_exc()
        write_error_report(path, parameters=parameters, message="集計を始められませんでした", ename=type(exc).__name__,
                           evalue=str(exc), traceback_text=trace)
        refresh_index(target)
        outcome.report_path = str(path)
    outcome.seconds = (pd.Timestamp.now(tz="UTC") - started).total_seconds()
    if error is not None:
        outcome.status, outcome.message = "failed", error
    key = (sp.c.job_id == job.job_id) & (sp.c.period_start == str(period.start)) & (sp.c.period_end == str(period.end))
    with engine.begin() as conn:
        conn.execute(sp.update().where(key).values(status=outcome.status, report_path=outcome.report_path))
        conn.execute(schedule_runs.update().where(schedule_runs.c.run_id == run_id).values(
            finished_at=utc_now(), status=outcome.status, report_path=outcome.report_path, error=error))


def _safe_area(area: str) -> str:
    return str(area).strip() or "area"


# -- listing ----------------------------------------------------------------------------------


def list_jobs(schedule_path=None, *, workspace=None, now=None) -> pd.DataFrame:
    """Every job with its timing, the period now due, that period's state and the next run time."""
    ws = require_workspace(workspace)
    schedule = load_schedule(schedule_path, stations=_stations(ws.root))
    now = parse_now(now, schedule.timezone)
    engine = store.connect(ws.database_url)
    try:
        with engine.connect() as conn:
            states = {(r["job_id"], r["period_start"], r["period_end"]): r
                      for r in conn.execute(sa.select(sp)).mappings().all()}
    finally:
        engine.dispose()
    rows = []
    labels = {"ok": "実行済み", "failed": "失敗", "running": "実行中"}
    for job in schedule.jobs:
        last = last_occurrence(job, now)
        period = period_for(job, last)
        state = states.get((job.job_id, str(period.start), str(period.end)))
        status = "未実行" if state is None else labels.get(state["status"], state["status"])
        if state is not None and state["status"] == "failed":
            status += f"({state['attempts']}回)"
        rows.append({"job_id": job.job_id, "title": job.title, "area": job.area, "when": job.when_label,
                     "period": f"{period.start}〜{period.end}", "status": status,
                     "last_scheduled": f"{last:%Y-%m-%d %H:%M}", "next_run": f"{next_occurrence(job, now):%Y-%m-%d %H:%M}"})
    return pd.DataFrame(rows, columns=["job_id", "title", "area", "when", "period", "status", "last_scheduled",
                                       "next_run"])


def read_run_log(workspace=None, *, limit: int = 100) -> pd.DataFrame:
    """The latest entries of the run log (``schedule_runs``), newest first."""
    engine = store.connect(require_workspace(workspace).database_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(sa.select(schedule_runs).order_by(schedule_runs.c.run_id.desc()).limit(limit)).mappings().all()
    finally:
        engine.dispose()
    return pd.DataFrame(rows, columns=[c.name for c in schedule_runs.columns])
