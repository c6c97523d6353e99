"""The schedule: schedule.toml, what is due when, each (job, period) once, failures that do not stop the others."""

from __future__ import annotations

import datetime as dt
import shutil
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from anshin_lab.app.imports import import_fraud_calls
from anshin_lab.app.references import reference_tables
from anshin_lab.views.reports import schedule, timetable
from anshin_lab.views.reports.kernel import WarmKernel
from anshin_lab.storage import store
from anshin_lab.core.errors import ConfigError, ParameterError, ReportError
from anshin_lab.app.workspace import open_workspace

NOW = "2026-11-30T10:00"  # a Monday, after every job's time of day

TWO_JOBS = """
timezone = "Asia/Tokyo"
[[jobs]]
name = "prefecture-daily"
area = "鹿児島県"
every = "daily"
at = "08:30"
[[jobs]]
name = "central-weekly"
area = "鹿児島中央警察署"
every = "weekly"
weekday = "monday"
at = "09:00"
"""


def write_schedule(tmp_path, text: str) -> Path:
    path = tmp_path / "schedule.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def schedule_ws(built_workspace, tmp_path_factory):
    """The built workspace's files with a database of its own holding the sample calls."""
    root = tmp_path_factory.mktemp("schedule") / "ws"
    shutil.copytree(built_workspace.root, root, ignore=shutil.ignore_patterns("anshin.sqlite*", "quarantine"))
    ws = open_workspace(root)
    import_fraud_calls(ws.sample_dir / "fraud_calls.csv", ws)
    return ws


@pytest.fixture
def clean_runs(schedule_ws):
    """Forget earlier runs, so each test starts with nothing done."""
    engine = store.connect(schedule_ws.database_url)
    try:
        with engine.begin() as conn:
            conn.execute(store.schedule_periods.delete())
            conn.execute(store.schedule_runs.delete())
    finally:
        engine.dispose()
    return schedule_ws


class Recorder:
    """A runner standing in for the notebook: records calls, can fail or be slow."""

    def __init__(self, fail=(), delay=0.0):
        self.calls, self.fail, self.delay = [], set(fail), delay
        self.warm = []  # the warm argument of each call
        self.lock = threading.Lock()

    def __call__(self, start, end, area, **kwargs):
        with self.lock:
            self.calls.append((str(start), str(end), area, kwargs["run_label"]))
            self.warm.append(kwargs["warm"])
        time.sleep(self.delay)
        if area in self.fail:
            raise ReportError("失敗", notebook="x.ipynb", cell=4, source="boom()", ename="ValueError", evalue="x",
                              report_path="/tmp/x_error.html")
        return SimpleNamespace(path=Path(f"/tmp/{area}_{start}_{end}.html"))


# ---------------------------------------------------------------------------
# The file


def test_the_default_schedule_has_every_station_weekly_and_the_prefecture_daily(schedule_ws):
    stations = sorted(reference_tables(schedule_ws.reference_dir).stations)
    loaded = timetable.load_schedule(stations=stations)
    by_name = {}
    for job in loaded.jobs:
        by_name.setdefault(job.name, []).append(job)
    assert [j.area for j in by_name["stations-weekly"]] == stations and len(stations) == 27
    assert all(j.when_label == "毎週月曜 09:00" for j in by_name["stations-weekly"])
    daily = by_name["prefecture-daily"][0]
    assert (daily.area, daily.when_label, daily.job_id) == ("鹿児島県", "毎日 08:30", "prefecture-daily")
    assert by_name["stations-weekly"][0].job_id == f"stations-weekly:{stations[0]}"
    assert loaded.timezone.key == "Asia/Tokyo" and loaded.max_attempts == 3


@pytest.mark.parametrize("job, words", [
    ('area = "鹿児島県"\nevery = "hourly"\nat = "08:30"', "every"),
    ('area = "鹿児島県"\nevery = "daily"\nat = "8時半"', "08:30"),
    ('area = "鹿児島県"\nevery = "weekly"\nat = "09:00"', "weekday"),
    ('area = "鹿児島県"\nevery = "monthly"\nday = 31\nat = "09:00"', "1〜28"),
    ('area = "鹿児島県"\nareas = ["霧島市"]\nevery = "daily"\nat = "09:00"', "どちらか一方"),
    ('area = "鹿児島県"\nevery = "daily"\nat = "09:00"\ncolour = "red"', "colour"),
])
def test_a_bad_job_is_refused_naming_the_file_job_and_key(tmp_path, job, words):
    path = write_schedule(tmp_path, f'[[jobs]]\nname = "bad"\n{job}\n')
    with pytest.raises(ConfigError, match=words) as caught:
        timetable.load_schedule(path)
    assert "schedule.toml" in str(caught.value) and "bad" in str(caught.value)


def test_an_unreadable_schedule_says_where(tmp_path):
    with pytest.raises(ConfigError, match="schedule.toml を読めません"):
        timetable.load_schedule(write_schedule(tmp_path, "[[jobs]\n"))
    with pytest.raises(ConfigError, match="ありません"):
        timetable.load_schedule(tmp_path / "missing.toml")


# ---------------------------------------------------------------------------
# When


def job(every, at="09:00", **kwargs):
    return timetable.Job("j", "j", "j", "鹿児島県", every, dt.time.fromisoformat(at), **kwargs)


@pytest.mark.parametrize("the_job, now, occurrence, start, end", [
    (job("daily", "08:30"), "2026-11-30T10:00", "2026-11-30T08:30", "2026-11-29", "2026-11-29"),
    (job("daily", "08:30"), "2026-11-30T08:29", "2026-11-29T08:30", "2026-11-28", "2026-11-28"),
    (job("daily", "08:30", days=7), "2026-11-30T08:30", "2026-11-30T08:30", "2026-11-23", "2026-11-29"),
    (job("weekly", weekday=0), "2026-11-30T10:00", "2026-11-30T09:00", "2026-11-23", "2026-11-29"),
    (job("weekly", weekday=0), "2026-11-30T08:59", "2026-11-23T09:00", "2026-11-16", "2026-11-22"),
    (job("weekly", weekday=4), "2026-11-30T10:00", "2026-11-27T09:00", "2026-11-20", "2026-11-26"),
    (job("monthly", day=1), "2026-11-30T10:00", "2026-11-01T09:00", "2026-10-01", "2026-10-31"),
    (job("monthly", day=1), "2026-03-01T08:00", "2026-02-01T09:00", "2026-01-01", "2026-01-31"),
    (job("monthly", day=1), "2026-03-01T09:00", "2026-03-01T09:00", "2026-02-01", "2026-02-28"),
])
def test_the_latest_occurrence_and_the_period_it_covers(the_job, now, occurrence, start, end):
    at = timetable.last_occurrence(the_job, timetable.parse_now(now))
    assert at == pd.Timestamp(occurrence, tz="Asia/Tokyo")
    period = timetable.period_for(the_job, at)
    assert (str(period.start), str(period.end)) == (start, end)
    assert timetable.next_occurrence(the_job, timetable.parse_now(now)) > timetable.parse_now(now)


def test_now_is_read_in_the_schedules_timezone():
    assert timetable.parse_now("2026-11-30 09:00") == pd.Timestamp("2026-11-30 09:00", tz="Asia/Tokyo")
    assert timetable.parse_now("2026-11-30T00:00Z") == pd.Timestamp("2026-11-30 09:00", tz="Asia/Tokyo")
    with pytest.raises(ParameterError):
        timetable.parse_now("来週")


# ---------------------------------------------------------------------------
# Running (the runner stands in for the notebook; the real one runs at the end)


def test_each_period_runs_once_and_force_runs_it_again(clean_runs, tmp_path):
    path = write_schedule(tmp_path, TWO_JOBS)
    runner = Recorder()
    first = schedule.run_schedule(path, workspace=clean_runs.root, now=NOW, runner=runner)
    assert [o.status for o in first.outcomes] == ["ok", "ok"]
    assert runner.calls == [("2026-11-29", "2026-11-29", "鹿児島県", "prefecture-daily"),
                            ("2026-11-23", "2026-11-29", "鹿児島中央警察署", "central-weekly")]
    second = schedule.run_schedule(path, workspace=clean_runs.root, now="2026-11-30T10:15", runner=runner)
    assert [o.status for o in second.outcomes] == ["done", "done"] and len(runner.calls) == 2
    tomorrow = schedule.run_schedule(path, workspace=clean_runs.root, now="2026-12-01T08:45", runner=runner)
    # Oldest occurrence first: the weekly job's (done), then the daily job's next day.
    assert [(o.job.job_id, o.status) for o in tomorrow.outcomes] == [("central-weekly", "done"),
                                                                     ("prefecture-daily", "ok")]
    assert runner.calls[-1][:2] == ("2026-11-30", "2026-11-30")
    forced = schedule.run_schedule(path, workspace=clean_runs.root, now="2026-12-01T08:45", force=True,
                                   runner=runner, jobs=["central-weekly"])
    assert [o.status for o in forced.outcomes] == ["ok"] and runner.calls[-1][2] == "鹿児島中央警察署"
    log = schedule.read_run_log(clean_runs.root)
    assert len(log) == 4 and log["status"].eq("ok").all() and log["forced"].tolist()[0]
    listed = schedule.list_jobs(path, workspace=clean_runs.root, now="2026-12-01T08:45")
    assert listed.set_index("job_id").loc["prefecture-daily", "status"] == "実行済み"
    assert listed.set_index("job_id").loc["central-weekly", "next_run"] == "2026-12-07 09:00"
    assert runner.warm == [True] * 4  # scheduled reports run on the warm kernel (anshin schedule run --cold: not)
    schedule.run_schedule(path, workspace=clean_runs.root, now="2026-12-01T08:45", force=True, runner=runner,
                          jobs=["central-weekly"], warm=False)
    assert runner.warm[-1] is False


def test_a_failing_job_does_not_stop_the_others_and_is_retried_up_to_the_limit(clean_runs, tmp_path):
    path = write_schedule(tmp_path, "max_attempts = 2\n" + TWO_JOBS)
    runner = Recorder(fail={"鹿児島県"})
    first = schedule.run_schedule(path, workspace=clean_runs.root, now=NOW, runner=runner)
    assert [o.status for o in first.outcomes] == ["failed", "ok"]
    assert first.failed[0].report_path == "/tmp/x_error.html" and "セル4" in first.failed[0].message
    second = schedule.run_schedule(path, workspace=clean_runs.root, now=NOW, runner=runner)
    assert [o.status for o in second.outcomes] == ["failed", "done"]
    third = schedule.run_schedule(path, workspace=clean_runs.root, now=NOW, runner=runner)
    assert [o.status for o in third.outcomes] == ["gave_up", "done"] and "--force" in third.outcomes[0].message
    assert [c[2] for c in runner.calls] == ["鹿児島県", "鹿児島中央警察署", "鹿児島県"]
    listed = schedule.list_jobs(path, workspace=clean_runs.root, now=NOW).set_index("job_id")
    assert listed.loc["prefecture-daily", "status"] == "失敗(2回)"


def test_two_schedulers_at_once_run_each_job_once(clean_runs, tmp_path):
    path = write_schedule(tmp_path, TWO_JOBS)
    runner = Recorder(delay=0.5)
    results = []

    def run():
        results.append(schedule.run_schedule(path, workspace=clean_runs.root, now=NOW, runner=runner))

    threads = [threading.Thread(target=run) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(c[3] for c in runner.calls) == ["central-weekly", "prefecture-daily"]
    statuses = sorted(o.status for r in results for o in r.outcomes)
    assert statuses.count("ok") == 2 and set(statuses) <= {"ok", "busy", "done"}


def test_a_report_due_soon_finds_the_kernel_warm(clean_runs, tmp_path):
    path = write_schedule(tmp_path, TWO_JOBS)
    soon = "2026-11-30T08:20"  # the daily job is due at 08:30: before the kernel would idle out
    assert [o.status for o in schedule.run_schedule(path, workspace=clean_runs.root, now=soon,
                                                    runner=Recorder()).outcomes] == ["ok", "ok"]
    kernel = WarmKernel.for_workspace(clean_runs)
    assert kernel.info() is None  # a stand-in runner readies nothing
    try:
        run = schedule.run_schedule(path, workspace=clean_runs.root, now=soon)  # both periods done: nothing runs
        assert [o.status for o in run.outcomes] == ["done", "done"] and run.prepared == "prefecture-daily"
        assert "次のジョブ prefecture-daily に備えて" in "\n".join(run.lines()) and kernel.info() is not None
        late = schedule.run_schedule(path, workspace=clean_runs.root, now="2026-11-30T12:00", warm=False)
        assert late.prepared == ""
    finally:
        kernel.stop()


def test_an_unknown_job_name_is_refused(clean_runs, tmp_path):
    with pytest.raises(ParameterError, match="nothing"):
        schedule.run_schedule(write_schedule(tmp_path, TWO_JOBS), workspace=clean_runs.root, now=NOW,
                              runner=Recorder(), jobs=["nothing"])


# ---------------------------------------------------------------------------
# The real thing: the notebook on a kernel, twice for the same period


@pytest.mark.slow
def test_schedule_run_twice_runs_each_job_once_and_a_bad_job_leaves_an_error_report(clean_runs, tmp_path):
    path = write_schedule(tmp_path, TWO_JOBS + """
[[jobs]]
name = "typo"
area = "鹿児島中央署署"
every = "daily"
at = "07:00"
""")
    out = tmp_path / "reports"
    first = schedule.run_schedule(path, workspace=clean_runs.root, now=NOW, reports_dir=out)
    by_job = {o.job.job_id: o for o in first.outcomes}
    assert by_job["prefecture-daily"].status == by_job["central-weekly"].status == "ok"
    assert by_job["typo"].status == "failed" and "鹿児島中央署署" in by_job["typo"].message
    daily = out / "fraud-summary_2026-11-29_2026-11-29_鹿児島県.html"
    weekly = out / "fraud-summary_2026-11-23_2026-11-29_鹿児島中央警察署.html"
    assert Path(by_job["prefecture-daily"].report_path) == daily and daily.exists() and weekly.exists()
    error = BeautifulSoup(Path(by_job["typo"].report_path).read_text(encoding="utf-8"), "html.parser")
    parameters = {row["data-key"]: row.td.get_text() for row in error.select('table[data-table="parameters"] tr')}
    assert parameters["area"] == "鹿児島中央署署" and parameters["run_label"] == "typo"
    assert parameters["start"] == parameters["end"] == "2026-11-29"
    stamps = {p.name: p.stat().st_mtime_ns for p in (daily, weekly)}

    second = schedule.run_schedule(path, workspace=clean_runs.root, now="2026-11-30T10:30", reports_dir=out)
    by_job = {o.job.job_id: o for o in second.outcomes}
    assert by_job["prefecture-daily"].status == by_job["central-weekly"].status == "done"
    assert by_job["typo"].status == "failed"  # retried: it is not done
    assert {p.name: p.stat().st_mtime_ns for p in (daily, weekly)} == stamps  # not written again
    log = schedule.read_run_log(clean_runs.root)
    assert sorted(log["job_id"]) == ["central-weekly", "prefecture-daily", "typo", "typo"]
    index = BeautifulSoup((out / "index.html").read_text(encoding="utf-8"), "html.parser")
    files = [row["data-file"] for row in index.select('table[data-table="reports"] tbody tr')]
    assert daily.name in files and weekly.name in files
    text = "\n".join(second.lines())
    assert "実行 1件(失敗 1件)" in text and "[実行済み] prefecture-daily" in text
    # The reports ran on the workspace's warm kernel, started for the first; stopped here rather than idling out.
    assert WarmKernel.for_workspace(clean_runs).stop()
