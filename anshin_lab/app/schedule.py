"""Scheduled fraud-call summaries: ``schedule.toml``, what is due, running it once per period, the run log.

``anshin schedule run`` is meant to be called often (every 15 minutes from
cron or a systemd timer). For each job it finds the latest scheduled time
that has passed (``last_occurrence``) and the period that run covers
(``period_for``: the day before for a daily job, the 7 days before for a
weekly one, the month before for a monthly one), and runs it unless that
(job, period) is done. A claim row in the database (``schedule_periods``)
makes each period run once even when two schedulers overlap; every attempt is
logged in ``schedule_runs``. A failed job leaves an error report and the run
goes on with the next job; a failed period is retried at the next call, up to
``max_attempts`` times. ``force`` runs the current period again.

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
import tomllib
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from anshin_lab.core.errors import AnshinError, ConfigError, ParameterError, ReportError
from anshin_lab.core.settings import PROJECT_ROOT

SCHEDULE_FILE = PROJECT_ROOT / "schedule.toml"
EVERY = ("daily", "weekly", "monthly")
EVERY_LABELS = {"daily": "毎日", "weekly": "毎週", "monthly": "毎月"}
ALL_STATIONS = "all-stations"
MAX_ATTEMPTS = 3
# A claim older than this whose process never finished (killed, machine down) may be taken over.
STALE_CLAIM = pd.Timedelta(hours=2)
_WEEKDAYS = {
    **{name: i for i, name in enumerate(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))},
    **{name: i for i, name in enumerate(("mon", "tue", "wed", "thu", "fri", "sat", "sun"))},
    **{name: i for i, name in enumerate("月火水木金土日")},
    **{name + "曜": i for i, name in enumerate("月火水木金土日")},
    **{name + "曜日": i for i, name in enumerate("月火水木金土日")},
}
_TOP_KEYS = {"timezone", "analyst", "max_attempts", "notebook", "jobs"}
_JOB_KEYS = {"name", "title", "area", "areas", "every", "at", "weekday", "day", "days"}


@dataclass(frozen=True)
class Job:
    """One scheduled summary for one area (a job with ``areas`` becomes one Job per area)."""

    job_id: str  # 「prefecture-daily」, or 「stations-weekly:鹿児島中央警察署」
    name: str
    title: str
    area: str
    every: str  # daily / weekly / monthly
    at: dt.time
    weekday: int | None = None  # weekly: 0 = Monday
    day: int | None = None  # monthly: day of the month (1-28)
    days: int | None = None  # daily / weekly: the length of the period (default 1 / 7)

    @property
    def when_label(self) -> str:
        """「毎日 08:30」「毎週月曜 09:00」「毎月1日 09:30」."""
        clock = f"{self.at:%H:%M}"
        if self.every == "weekly":
            return f"毎週{'月火水木金土日'[self.weekday]}曜 {clock}"
        if self.every == "monthly":
            return f"毎月{self.day}日 {clock}"
        return f"毎日 {clock}"


@dataclass(frozen=True)
class Schedule:
    """The jobs of a schedule file and its settings."""

    path: Path
    timezone: ZoneInfo
    jobs: tuple
    analyst: str = ""
    max_attempts: int = MAX_ATTEMPTS
    notebook: Path | None = None


def load_schedule(path=None, *, stations=None) -> Schedule:
    """Read and check a schedule file (``schedule.toml`` in the project by default).

    ``stations`` (names) expand ``areas = "all-stations"``; they are needed
    only when a job uses it. Raises ``ConfigError`` naming the file, the job
    and the key for anything it cannot use.
    """
    path = Path(path) if path else SCHEDULE_FILE
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"予定表 {path} がありません") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"予定表 {path} を読めません: {exc}") from exc
    unknown = sorted(set(raw) - _TOP_KEYS)
    if unknown:
        raise ConfigError(f"{path.name}: 知らない設定 {', '.join(unknown)}(使えるのは {', '.join(sorted(_TOP_KEYS))})")
    try:
        zone = ZoneInfo(str(raw.get("timezone", "Asia/Tokyo")))
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(f"{path.name}: timezone「{raw.get('timezone')}」が分かりません(例: Asia/Tokyo)") from exc
    attempts = raw.get("max_attempts", MAX_ATTEMPTS)
    if not isinstance(attempts, int) or attempts < 1:
        raise ConfigError(f"{path.name}: max_attempts は1以上の整数にしてください")
    notebook = raw.get("notebook")
    notebook = (path.parent / notebook).resolve() if notebook else None
    jobs, seen = [], set()
    entries = raw.get("jobs", [])
    if not isinstance(entries, list):
        raise ConfigError(f"{path.name}: ジョブは [[jobs]] の表で書いてください")
    for number, entry in enumerate(entries, start=1):
        for job in _jobs(path, number, entry, stations):
            if job.job_id in seen:
                raise ConfigError(f"{path.name}: ジョブ「{job.job_id}」が重複しています")
            seen.add(job.job_id)
            jobs.append(job)
    return Schedule(path, zone, tuple(jobs), str(raw.get("analyst", "") or ""), attempts, notebook)


def _jobs(path: Path, number: int, entry: dict, stations) -> list[Job]:
    name = str(entry.get("name") or f"job{number}")
    where = f"{path.name} のジョブ「{name}」"
    unknown = sorted(set(entry) - _JOB_KEYS)
    if unknown:
        raise ConfigError(f"{where}: 知らない設定 {', '.join(unknown)}(使えるのは {', '.join(sorted(_JOB_KEYS))})")
    every = str(entry.get("every", ""))
    if every not in EVERY:
        raise ConfigError(f"{where}: every は {' / '.join(EVERY)} のどれかにしてください(「{every}」)")
    try:
        at = dt.time.fromisoformat(str(entry.get("at", "")))
    except ValueError as exc:
        raise ConfigError(f"{where}: at は「08:30」の形で書いてください(「{entry.get('at')}」)") from exc
    weekday = day = days = None
    if every == "weekly":
        weekday = _WEEKDAYS.get(str(entry.get("weekday", "")).strip().lower())
        if weekday is None:
            raise ConfigError(f"{where}: weekday は monday〜sunday(または 月〜日)にしてください")
    if every == "monthly":
        day = entry.get("day", 1)
        if not isinstance(day, int) or not 1 <= day <= 28:
            raise ConfigError(f"{where}: day は1〜28の整数にしてください(どの月にもある日)")
    if "days" in entry:
        days = entry["days"]
        if every == "monthly" or not isinstance(days, int) or days < 1:
            raise ConfigError(f"{where}: days(集計する日数)は daily / weekly で1以上の整数にしてください")
    if ("area" in entry) == ("areas" in entry):
        raise ConfigError(f"{where}: area(1か所)か areas(一覧、または \"{ALL_STATIONS}\")のどちらか一方を書いてください")
    if "area" in entry:
        areas, single = [str(entry["area"])], True
    elif entry["areas"] == ALL_STATIONS:
        if stations is None:
            raise ConfigError(f"{where}: areas = \"{ALL_STATIONS}\" には警察署の一覧(作業領域)が必要です")
        areas, single = sorted(stations), False
    elif isinstance(entry["areas"], list) and entry["areas"]:
        areas, single = [str(a) for a in entry["areas"]], False
    else:
        raise ConfigError(f"{where}: areas は地域名の一覧か \"{ALL_STATIONS}\" にしてください")
    title = str(entry.get("title") or name)
    return [Job(name if single else f"{name}:{area}", name, title, area, every, at, weekday, day, days)
            for area in areas]


# -- when ---------------------------------------------------------------------------


def parse_now(value, zone: ZoneInfo | str = "Asia/Tokyo") -> pd.Timestamp:
    """An aware time from 「2026-11-30T09:00」 (naive: in ``zone``), a datetime, or None for now."""
    zone = ZoneInfo(zone) if isinstance(zone, str) else zone
    if value is None:
        return pd.Timestamp.now(tz=zone)
    try:
        stamp = pd.Timestamp(value)
    except ValueError as exc:
        raise ParameterError(f"日時「{value}」を読めません(例: 2026-11-30T09:00)") from exc
    if pd.isna(stamp):
        raise ParameterError(f"日時「{value}」を読めません(例: 2026-11-30T09:00)")
    return stamp.tz_localize(zone) if stamp.tzinfo is None else stamp.tz_convert(zone)


def last_occurrence(job: Job, now: pd.Timestamp) -> pd.Timestamp:
    """The latest time ``job`` was scheduled for, at or before ``now`` (in ``now``'s timezone)."""
    zone = now.tz
    today = now.date()

    def at(day: dt.date) -> pd.Timestamp:
        return pd.Timestamp(dt.datetime.combine(day, job.at)).tz_localize(zone)

    if job.every == "daily":
        candidate = at(today)
        return candidate if candidate <= now else at(today - dt.timedelta(days=1))
    if job.every == "weekly":
        candidate = at(today - dt.timedelta(days=(today.weekday() - job.weekday) % 7))
        return candidate if candidate <= now else candidate - pd.Timedelta(days=7)
    candidate = at(today.replace(day=job.day))
    if candidate <= now:
        return candidate
    previous = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=job.day)
    return at(previous)


def next_occurrence(job: Job, now: pd.Timestamp) -> pd.Timestamp:
    """The first time ``job`` is scheduled for after ``now``."""
    last = last_occurrence(job, now)
    if job.every == "daily":
        return last + pd.Timedelta(days=1)
    if job.every == "weekly":
        return last + pd.Timedelta(days=7)
    month = (last.date().replace(day=1) + dt.timedelta(days=32)).replace(day=job.day)
    return pd.Timestamp(dt.datetime.combine(month, job.at)).tz_localize(now.tz)


def period_for(job: Job, occurrence: pd.Timestamp):
    """The whole days a run at ``occurrence`` summarises (``fraud.Period``), ending the day before.

    Daily: that day (or ``days`` days); weekly: the 7 (or ``days``) days
    before, Monday to Sunday for a Monday job; monthly: the month before.
    """
    from anshin_lab.app.fraud import Period

    day = occurrence.date()
    end = day - dt.timedelta(days=1)
    if job.every == "monthly":
        return Period(end.replace(day=1), end)
    length = job.days or (1 if job.every == "daily" else 7)
    return Period(end - dt.timedelta(days=length - 1), end)


# -- running ----------------------------------------------------------------------------


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
        return [head, *(o.line() for o in self.outcomes)]


def _stations(workspace) -> list[str]:
    from anshin_lab.app.fraud import reference_tables
    from anshin_lab.app.workspace import require_workspace

    return sorted(reference_tables(require_workspace(workspace).reference_dir).stations)


def run_schedule(schedule_path=None, *, workspace=None, now=None, force: bool = False, reports_dir=None,
                 jobs=None, runner=None) -> ScheduleRun:
    """Run every job whose latest period is due; each (job, period) once, failures retried up to max_attempts.

    ``now`` (aware, or naive in the schedule's timezone) is the clock the
    schedule is read against (the real time when None); ``force`` runs each
    selected job's latest period again; ``jobs`` keeps only jobs whose
    name or id is listed. ``runner`` replaces ``reports.run_fraud_summary``
    (same signature). A failing job is logged, leaves an error report and
    does not stop the others.
    """
    from anshin_lab.storage import store
    from anshin_lab.views.reports import run_fraud_summary
    from anshin_lab.app.workspace import require_workspace

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
                _run_one(engine, schedule, job, period, occurrence, outcome, ws, reports_dir, force, runner)
            result.outcomes.append(outcome)
    finally:
        engine.dispose()
    return result


def _owner() -> str:
    return f"{getpass.getuser()}@{socket.gethostname()}:{os.getpid()}"


def _utcnow():
    return pd.Timestamp.now(tz="UTC").to_pydatetime()


def _aware(value) -> pd.Timestamp:
    stamp = pd.Timestamp(value)
    return stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp


def _claim(engine, job: Job, period, *, force: bool, max_attempts: int, outcome: JobOutcome) -> bool:
    """Take (job, period) for this process; False (with the reason in ``outcome``) when it is not ours to run."""
    from anshin_lab.storage.store import schedule_periods as sp

    key = (sp.c.job_id == job.job_id) & (sp.c.period_start == str(period.start)) & (sp.c.period_end == str(period.end))
    values = {"status": "running", "claimed_at": _utcnow(), "claimed_by": _owner()}
    try:
        with engine.begin() as conn:
            row = conn.execute(sa.select(sp).where(key)).mappings().first()
            if row is None:
                conn.execute(sp.insert().values(job_id=job.job_id, period_start=str(period.start),
                                                period_end=str(period.end), attempts=1, **values))
                return True
            if row["status"] == "running" and _aware(row["claimed_at"]) > pd.Timestamp.now(tz="UTC") - STALE_CLAIM:
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
             force: bool, runner) -> None:
    from anshin_lab.views.reports import default_reports_dir, report_filename, write_error_report
    from anshin_lab.storage.store import schedule_periods as sp
    from anshin_lab.storage.store import schedule_runs

    with engine.begin() as conn:
        run_id = conn.execute(schedule_runs.insert().values(
            job_id=job.job_id, period_start=str(period.start), period_end=str(period.end),
            scheduled_for=occurrence.tz_convert("UTC").to_pydatetime(), started_at=_utcnow(), status="running",
            forced=bool(force))).inserted_primary_key[0]
    started = pd.Timestamp.now(tz="UTC")
    error = None
    try:
        result = runner(period.start, period.end, job.area, workspace=ws.root, reports_dir=reports_dir,
                        analyst=schedule.analyst, run_label=job.job_id, notebook=schedule.notebook)
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
        from anshin_lab.views.reports import refresh_index

        refresh_index(target)
        outcome.report_path = str(path)
    outcome.seconds = (pd.Timestamp.now(tz="UTC") - started).total_seconds()
    if error is not None:
        outcome.status, outcome.message = "failed", error
    key = (sp.c.job_id == job.job_id) & (sp.c.period_start == str(period.start)) & (sp.c.period_end == str(period.end))
    with engine.begin() as conn:
        conn.execute(sp.update().where(key).values(status=outcome.status, report_path=outcome.report_path))
        conn.execute(schedule_runs.update().where(schedule_runs.c.run_id == run_id).values(
            finished_at=_utcnow(), status=outcome.status, report_path=outcome.report_path, error=error))


def _safe_area(area: str) -> str:
    return str(area).strip() or "area"


# -- listing ----------------------------------------------------------------------------------


def list_jobs(schedule_path=None, *, workspace=None, now=None) -> pd.DataFrame:
    """Every job with its timing, the period now due, that period's state and the next run time."""
    from anshin_lab.storage import store
    from anshin_lab.storage.store import schedule_periods as sp
    from anshin_lab.app.workspace import require_workspace

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
    from anshin_lab.storage import store
    from anshin_lab.storage.store import schedule_runs
    from anshin_lab.app.workspace import require_workspace

    engine = store.connect(require_workspace(workspace).database_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(sa.select(schedule_runs).order_by(schedule_runs.c.run_id.desc()).limit(limit)).mappings().all()
    finally:
        engine.dispose()
    return pd.DataFrame(rows, columns=[c.name for c in schedule_runs.columns])
