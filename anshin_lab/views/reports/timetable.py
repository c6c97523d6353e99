"""The timetable of scheduled summaries: ``schedule.toml``, its jobs, when each is due and the period it covers.

For each job, ``last_occurrence`` is the latest scheduled time that has
passed and ``period_for`` the period that run covers (the day before for a
daily job, the 7 days before for a weekly one, the month before for a
monthly one). Pure functions of the file and the clock; running them is
``schedule.run_schedule``.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pandas as pd

from anshin_lab.analysis.fraud_calls import Period
from anshin_lab.app.scheduled_jobs import AREA_KINDS, SUMMARY, job_runner
from anshin_lab.core.errors import ConfigError, ParameterError
from anshin_lab.core.settings import PROJECT_ROOT

__all__ = [
    "ALL_STATIONS", "EVERY", "Job", "Schedule", "last_occurrence", "load_schedule", "next_occurrence", "parse_now",
    "period_for",
]

SCHEDULE_FILE = PROJECT_ROOT / "schedule.toml"
EVERY = ("daily", "weekly", "monthly")
EVERY_LABELS = {"daily": "毎日", "weekly": "毎週", "monthly": "毎月"}
ALL_STATIONS = "all-stations"
MAX_ATTEMPTS = 3
_WEEKDAYS = {
    **{name: i for i, name in enumerate(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))},
    **{name: i for i, name in enumerate(("mon", "tue", "wed", "thu", "fri", "sat", "sun"))},
    **{name: i for i, name in enumerate("月火水木金土日")},
    **{name + "曜": i for i, name in enumerate("月火水木金土日")},
    **{name + "曜日": i for i, name in enumerate("月火水木金土日")},
}
_TOP_KEYS = {"timezone", "analyst", "max_attempts", "notebook", "jobs"}
_JOB_KEYS = {"name", "title", "area", "areas", "every", "at", "weekday", "day", "days", "kind"}


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
    kind: str = SUMMARY  # what the job runs (app.scheduled_jobs.JOB_KINDS: fraud-summary, retention)

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
    kind = str(entry.get("kind", SUMMARY))
    if job_runner(kind, where) is not None or kind not in AREA_KINDS:  # another kind covers no area: one job
        return [Job(name, name, str(entry.get("title") or name), "", every, at, weekday, day, days, kind)]
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
    day = occurrence.date()
    end = day - dt.timedelta(days=1)
    if job.every == "monthly":
        return Period(end.replace(day=1), end)
    length = job.days or (1 if job.every == "daily" else 7)
    return Period(end - dt.timedelta(days=length - 1), end)
