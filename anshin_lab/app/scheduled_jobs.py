"""The kinds of job ``schedule.toml`` can run: the fraud-call summary (the default), ``retention``, ``operations-report``.

A small registry (``kind = "…"`` in a ``[[jobs]]`` table): :func:`job_runner`
gives the runner of a kind, None for the kinds that run a notebook (the
summary, and the operations report of ``views.operations``: papermill lives
in ``views``, which runs them itself), and its error lists the known kinds.
Only the summary runs per area (``area`` / ``areas``, ``AREA_KINDS``); a job
of another kind covers the workspace and is one job. A runner takes the
summary's arguments (start, end, area, and keywords: workspace, reports_dir,
run_label, …) and returns a result whose ``path`` is what it wrote.

``retention`` purges what is past the retention period
(``app.retention_files.purge_workspace_expired``). It runs as the service:
the scheduler's OS user must be able to read the service's key (the user
``anshin service`` runs as); otherwise the job fails, changing nothing, with
a message saying so.
"""

from __future__ import annotations

import contextlib
import getpass
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from anshin_lab.app.retention_files import purge_workspace_expired
from anshin_lab.app.workspace import Workspace, require_workspace
from anshin_lab.core.clock import tokyo_now
from anshin_lab.core.errors import ConfigError, PermissionDenied
from anshin_lab.core.files import write_atomic
from anshin_lab.storage import store
from anshin_lab.workflow import authority

SUMMARY = "fraud-summary"
RETENTION = "retention"
# The operations report (delays, reach, growth and churn, bounces, recruitment map): views.operations runs it.
OPERATIONS = "operations-report"
# The kinds whose job runs once per area; the others cover the whole workspace.
AREA_KINDS = frozenset({SUMMARY})
NO_KEY = ("保存期間の削除(retention)はサービスの鍵で署名して記録します: schedule run を anshin service と同じ"
          "ユーザーで実行するか、管理者が anshin retention purge --user <管理者> で実行してください({reason})")
# Where each scheduled purge's account is written (no personal data: counts per kind).
RETENTION_DIR = "retention"


@dataclass
class JobResult:
    """What a job wrote (``path``) and what it says (``lines``)."""

    path: Path
    lines: list[str] = field(default_factory=list)


def run_retention_job(start, end, area, *, workspace=None, run_label: str = RETENTION, **_ignored) -> JobResult:
    """Purge what is past the retention period in ``workspace``, as the service; write an account of it.

    The account (counts per kind) goes to ``<workspace>/retention/<date>_<job>.txt``.
    Raises ``PermissionDenied`` when this OS user cannot read the service's key.
    """
    ws = require_workspace(workspace)
    with _as_service(ws):
        engine = store.connect(ws.database_url)
        try:
            report = purge_workspace_expired(ws, engine, actor=f"schedule:{run_label}",
                                             details={"os_user": getpass.getuser(), "job": run_label})
        finally:
            engine.dispose()
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in run_label)
    path = ws.root / RETENTION_DIR / f"{tokyo_now():%Y-%m-%d}_{safe}.txt"
    lines = [f"定期実行 {run_label}({tokyo_now():%Y-%m-%d %H:%M})", *report.lines()]
    write_atomic(path, "\n".join(lines) + "\n")
    return JobResult(path, lines)


JobRunner = Callable[..., JobResult]
JOB_KINDS: dict[str, JobRunner | None] = {SUMMARY: None, RETENTION: run_retention_job, OPERATIONS: None}


def job_runner(kind: str, where: str = "") -> JobRunner | None:
    """The runner of ``kind`` (None for a notebook kind); ``ConfigError`` (after ``where``) listing the kinds."""
    if kind not in JOB_KINDS:
        raise ConfigError(f"{where + ': ' if where else ''}ジョブの種類 kind「{kind}」はありません"
                          f"(使えるのは {'、'.join(JOB_KINDS)})")
    return JOB_KINDS[kind]


@contextlib.contextmanager
def _as_service(ws: Workspace):
    """This process holds ``ws``'s key while the job runs (an authority already installed is kept)."""
    previous = authority.current()
    if previous is None:
        try:
            authority.install(ws.authority())
        except ConfigError as exc:
            raise PermissionDenied(NO_KEY.format(reason=exc)) from exc
    try:
        yield
    finally:
        if previous is None:
            authority.uninstall()
