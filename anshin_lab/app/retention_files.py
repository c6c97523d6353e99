"""Retention of the workspace's files with personal data, and the purge of a workspace (tables and files together).

The database's kinds are ``workflow.retention_tables``; the files are known
here, where the workspace's folders are:

- ``quarantine``: rejected import rows (``quarantine/``), by the file's time;
- ``maildir``: the demo relay's mail to members (``maildir/`` of the
  workspace, ``demo.run.MAILDIR``), by the file's time;
- ``internal_exports``: files in ``internal/`` (the internal incident map)
  older than the cutoff, and any export recorded in the audit log
  (``app.access_audit``) whose oldest record is now past retention, if the
  file is still the one written (same SHA-256): a map made last week that
  shows an incident from six years ago goes with that incident (write it
  again with ``anshin map internal``).

:func:`purge_workspace` (an admin's purge) and :func:`purge_workspace_expired`
(the schedule's) plan the files, run the database purge with their counts in
its one audit entry, and remove the files once that has committed. A file
that cannot be removed is named in a ``StoreError`` (the next purge tries again).
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from anshin_lab.app.access_audit import file_sha256, logged_exports
from anshin_lab.app.workspace import Workspace
from anshin_lab.core.errors import StoreError
from anshin_lab.workflow.retention import PurgeReport, default_cutoff, purge, purge_expired
from anshin_lab.workflow.users import User

# The workspace's folders of personal data besides quarantine (the demo's relay and ``anshin map internal`` write them).
MAILDIR = "maildir"
INTERNAL = "internal"
FILE_KINDS = ("quarantine", "maildir", "internal_exports")


def plan_files(ws: Workspace, engine: sa.Engine, before) -> dict[str, list[Path]]:
    """The files each kind would remove for a purge of what is older than ``before``."""
    cutoff = _stamp(before).timestamp()
    internal = set(_older(ws.root / INTERNAL, cutoff))
    for export in logged_exports(engine):
        oldest = export.get("oldest")
        path = Path(export["path"])
        if oldest and _stamp(oldest).timestamp() < cutoff and _same_file(path, export.get("sha256")):
            internal.add(path)
    return {"quarantine": _older(ws.quarantine_dir, cutoff), "maildir": _older(ws.root / MAILDIR, cutoff),
            "internal_exports": sorted(internal)}


def remove_files(plan: dict[str, list[Path]]) -> None:
    """Remove the planned files; ``StoreError`` naming the ones left (the database purge has happened)."""
    left = []
    for paths in plan.values():
        for path in paths:
            try:
                path.unlink(missing_ok=True)
            except OSError as exc:
                left.append(f"{path}({exc.strerror})")
    if left:
        raise StoreError(f"保存期間を過ぎたファイル{len(left)}件を削除できませんでした: {left[0]} ほか"
                         "(権限を確認して、もう一度 anshin retention purge を実行してください)")


def purge_workspace(ws: Workspace, engine: sa.Engine, *, user: User | None, before=None,
                    dry_run: bool = False) -> PurgeReport:
    """An admin's purge of everything older than ``before`` (default: the retention period) in ``ws``."""
    before = _stamp(before) if before is not None else default_cutoff(ws.settings.retention_years)
    plan = plan_files(ws, engine, before)
    report = purge(engine, before, user=user, dry_run=dry_run, files=_counts(plan))
    if not dry_run:
        remove_files(plan)
    return report


def purge_workspace_expired(ws: Workspace, engine: sa.Engine, *, actor: str, now=None, dry_run: bool = False,
                            details: dict | None = None) -> PurgeReport:
    """The scheduled purge of ``ws``: what is past ``retention_years`` now (the service's key, no login)."""
    years = ws.settings.retention_years
    plan = plan_files(ws, engine, default_cutoff(years, now))
    report = purge_expired(engine, years, actor=actor, now=now, dry_run=dry_run, files=_counts(plan),
                           details=details)
    if not dry_run:
        remove_files(plan)
    return report


def _counts(plan: dict[str, list[Path]]) -> dict[str, int]:
    return {kind: len(plan[kind]) for kind in FILE_KINDS}


def _stamp(value) -> pd.Timestamp:
    stamp = pd.Timestamp(value)
    return stamp.tz_localize("Asia/Tokyo") if stamp.tzinfo is None else stamp


def _older(folder: Path, cutoff: float) -> list[Path]:
    """Regular files under ``folder`` last written before ``cutoff`` (seconds since the epoch)."""
    if not folder.is_dir():
        return []
    found = []
    for root, _, names in os.walk(folder):
        for name in names:
            path = Path(root) / name
            try:
                if path.is_file() and not path.is_symlink() and path.stat().st_mtime < cutoff:
                    found.append(path)
            except OSError:
                continue  # gone meanwhile
    return sorted(found)


def _same_file(path: Path, sha256: str | None) -> bool:
    """Whether ``path`` still holds what was exported (a file written over since is not ours to remove)."""
    if not sha256 or not path.is_file() or path.is_symlink():
        return False
    try:
        return file_sha256(path) == sha256
    except OSError:
        return False
