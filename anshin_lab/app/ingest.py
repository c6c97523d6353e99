"""Importing an incident export into a workspace: load, store, quarantine.

The accepted rows go to the database in one transaction; the rejected ones
(and rows that conflict with what is already stored) go to a quarantine CSV
inside the workspace, because they hold personal data too.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from anshin_lab.records import incidents as records
from anshin_lab.storage import store
from anshin_lab.app.workspace import Workspace


@dataclass
class ImportReport:
    """Counts of one import, and where the rejected rows went."""

    source: Path
    rows_read: int
    accepted: int
    rejected: int
    inserted: int
    unchanged: int
    conflicts: int
    quarantine_path: Path | None
    rejected_rows: pd.DataFrame

    def lines(self) -> list[str]:
        out = [
            f"読み込み: {self.source.name} {self.rows_read}行",
            f"受理: {self.accepted}件(新規 {self.inserted}件、登録済みと同一 {self.unchanged}件、登録済みと矛盾 {self.conflicts}件)",
            f"保留(quarantine): {self.rejected + self.conflicts}件",
        ]
        if self.quarantine_path:
            out.append(f"保留した行: {self.quarantine_path}")
        return out


def import_incidents(path, ws: Workspace) -> ImportReport:
    """Load ``path``, store the accepted incidents, quarantine the rest. Idempotent."""
    path = Path(path)
    result = records.load_incidents(path, reference_dir=ws.reference_dir)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    engine = store.connect(ws.database_url)
    try:
        quarantine_path = _quarantine_path(ws, path, digest)
        saved = store.save_incidents(
            engine, result.incidents, source_name=path.name, source_sha256=digest,
            rows_read=result.rows_read, rejected=len(result.rejected), quarantine_path=str(quarantine_path),
        )
    finally:
        engine.dispose()
    quarantined = _with_conflicts(result, saved.conflicts)
    if len(quarantined):
        _write_atomic(quarantined, quarantine_path)
    else:
        quarantine_path = None
    return ImportReport(path, result.rows_read, result.accepted, len(result.rejected), saved.inserted,
                        saved.unchanged, len(saved.conflicts), quarantine_path, quarantined)


def _quarantine_path(ws: Workspace, source: Path, digest: str) -> Path:
    # Named after the file's content, so importing the same file again rewrites
    # the same quarantine file rather than piling up copies.
    return ws.quarantine_dir / f"{source.stem}_{digest[:12]}_rejected.csv"


def _with_conflicts(result: records.LoadResult, conflicts: pd.DataFrame) -> pd.DataFrame:
    if conflicts.empty:
        return result.rejected
    header = result.headers.get("incident_id", "incident_id")
    row_of = dict(zip(result.incidents["incident_id"], result.source_rows))
    extra = pd.DataFrame({
        "row": conflicts["incident_id"].map(row_of).to_numpy(),
        "column": header,
        "reason": conflicts["reason"].to_numpy(),
        header: conflicts["incident_id"].to_numpy(),
    })
    return pd.concat([result.rejected, extra], ignore_index=True).sort_values("row", kind="stable")


def _write_atomic(frame: pd.DataFrame, path: Path) -> None:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    # Created readable by its owner only: rejected rows hold personal data too.
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8-sig", newline="") as f:
        # UTF-8 with BOM so the analysts' spreadsheet opens it with the right characters.
        frame.to_csv(f, index=False)
    os.replace(tmp, path)
