"""Importing a file into a workspace: one pipeline for incidents, fraud calls and members.

``import_file(kind, path, ws)`` reads and checks the file (``records``),
within the workspace settings' import limits (checked before parsing), stores
the accepted records in short transactions (``storage.save_batch``), and
writes the rejected rows, and the rows that contradict what is stored, to a
quarantine CSV inside the workspace, readable by its owner only, because
they hold personal data too; its cells are made inert for spreadsheets (no
formula runs when it is opened). Every row read is accepted or rejected; a
stored record is never overwritten; importing the same file twice changes
nothing.
The kinds are a small registry (:data:`IMPORT_KINDS`); ``import_incidents``,
``import_fraud_calls`` and ``import_members`` are the names callers use.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pandas as pd

from anshin_lab.app.catalog import load_areas
from anshin_lab.app.references import outline, reference_tables, station_names
from anshin_lab.app.wave_alerts import WaveCheck, check_waves, touched_days
from anshin_lab.app.workspace import Workspace
from anshin_lab.core.errors import ParameterError
from anshin_lab.core.files import write_atomic
from anshin_lab.core.settings import load_settings
from anshin_lab.records import fraud_calls, incidents
from anshin_lab.records.limits import Limits, current_limits
from anshin_lab.records.members import AreaDirectory, check_members, read_member_table
from anshin_lab.records.rows import LoadResult, file_order, formula_safe
from anshin_lab.records.tables import check_source
from anshin_lab.storage import store
from anshin_lab.storage.batches import SaveResult
from anshin_lab.storage.fraud_calls import save_fraud_calls
from anshin_lab.storage.members import save_members


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
    waves: WaveCheck | None = None  # fraud calls: the wave test of the days the file's calls fall on

    def lines(self) -> list[str]:
        out = [
            f"読み込み: {self.source.name} {self.rows_read}行",
            f"受理: {self.accepted}件(新規 {self.inserted}件、登録済みと同一 {self.unchanged}件、登録済みと矛盾 {self.conflicts}件)",
            f"保留(quarantine): {self.rejected + self.conflicts}件",
        ]
        if self.quarantine_path:
            out.append(f"保留した行: {self.quarantine_path}")
        return out


@dataclass(frozen=True)
class ImportKind:
    """One kind of file a workspace imports.

    ``load(path, ws, options)`` reads and checks the file within
    ``options["limits"]`` (the workspace settings' import limits) and may
    complete ``options`` with what saving needs; ``save(engine, result, options,
    **log)`` stores the accepted records, ``log`` being the import log's
    fields (source name and hash, counts, quarantine path). ``waves(ws,
    result)``, when given, runs once the records are stored (fraud calls: the
    same-day wave test, ``app.wave_alerts``).
    """

    name: str
    load: Callable[[Path, Workspace, dict], LoadResult]
    save: Callable[..., SaveResult]
    waves: Callable[[Workspace, LoadResult], WaveCheck] | None = None


IMPORT_KINDS: dict[str, ImportKind] = {}


def register_import_kind(kind: ImportKind) -> ImportKind:
    """Add (or replace) an import kind under ``kind.name``."""
    IMPORT_KINDS[kind.name] = kind
    return kind


def import_kind(name: str) -> ImportKind:
    """The import kind called ``name``; ``ParameterError`` listing the known kinds otherwise."""
    try:
        return IMPORT_KINDS[name]
    except KeyError:
        raise ParameterError(f"取り込みの種類「{name}」はありません(使えるもの: {'、'.join(IMPORT_KINDS)})") from None


def import_file(kind: str, path, ws: Workspace, **options) -> ImportReport:
    """Import the file ``path`` of ``kind`` (``incidents``, ``fraud_calls``, ``members``) into ``ws``. Idempotent.

    Raises ``ParameterError`` for an unknown kind, ``DataError`` when the file
    as a whole cannot be used, ``StoreError`` when the database refuses.
    """
    spec = import_kind(kind)
    path = Path(path)
    options.setdefault("limits", Limits.from_settings(ws.settings))
    check_source(path, options["limits"])  # before the reference data is loaded: a refusal is immediate
    result = spec.load(path, ws, options)
    digest = file_sha256(path)
    quarantine = quarantine_path(ws, path, digest)
    engine = store.connect(ws.database_url)
    try:
        saved = spec.save(engine, result, options, source_name=path.name, source_sha256=digest,
                          rows_read=result.rows_read, rejected=len(result.rejected), quarantine_path=str(quarantine))
    finally:
        engine.dispose()
    quarantined = with_conflicts(result, saved.conflicts)
    if len(quarantined):
        write_quarantine(quarantined, quarantine)
    else:
        quarantine = None
    waves = spec.waves(ws, result) if spec.waves is not None else None
    return ImportReport(path, result.rows_read, result.accepted, len(result.rejected), saved.inserted,
                        saved.unchanged, len(saved.conflicts), quarantine, quarantined, waves)


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes, read in blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def quarantine_path(ws: Workspace, source: Path, digest: str) -> Path:
    """Where the rejected rows of ``source`` go in the workspace.

    Named after the file's content, so importing the same file again rewrites
    the same quarantine file rather than piling up copies.
    """
    return ws.quarantine_dir / f"{source.stem}_{digest[:12]}_rejected.csv"


def with_conflicts(result: LoadResult, conflicts: pd.DataFrame) -> pd.DataFrame:
    """The rejected rows, and the accepted rows the store refused (as they were in the file), in file order."""
    if conflicts.empty:
        return result.rejected
    id_column = conflicts.columns[0]
    # Only the conflicting rows' originals are read (a large file's are made from its table when asked for).
    index = {record_id: position for position, record_id in enumerate(result.ids(id_column))}
    extra = pd.DataFrame([
        {"row": result.source_rows[index[record_id]], "column": result.headers.get(column, column), "reason": reason,
         **{str(k): v for k, v in result.originals[index[record_id]].items()}}
        for record_id, column, reason in conflicts[[id_column, "column", "reason"]].itertuples(index=False)
    ])
    merged = pd.concat([result.rejected, extra], ignore_index=True)
    order = file_order(result.sheets)
    keys = [order(number, original) for number, original in zip(merged["row"], merged.to_dict("records"))]
    return merged.iloc[sorted(range(len(merged)), key=keys.__getitem__)].reset_index(drop=True)


def write_quarantine(frame: pd.DataFrame, path: Path) -> Path:
    """Write rejected rows to ``path``, readable by its owner only (they hold personal data too), atomically.

    Every cell and header a spreadsheet would run as a formula (= + - @ …)
    is written with a leading 「'」 (``records.rows.formula_safe``).
    """
    safe = frame.astype(object).map(formula_safe)
    safe.columns = [formula_safe(str(column)) for column in safe.columns]
    # UTF-8 with BOM so the analysts' spreadsheet opens it with the right characters.
    return write_atomic(path, safe.to_csv(index=False), encoding="utf-8-sig")


# -- loading with the reference checks of a reference folder -------------------------------------

def load_incidents(path, *, reference_dir=None, limits: Limits | None = None) -> LoadResult:
    """Read an incident export (CSV in UTF-8/UTF-8 BOM/CP932, or XLSX) and validate it.

    Headers may be Japanese as police exports have them (事案番号, 分類, 発生日時,
    発生場所, …; see ``glossary.INCIDENT_HEADERS``) or the canonical English
    names. Stations and coordinates are checked against the station table and
    the prefecture outline of ``reference_dir`` (the settings' when None).
    ``limits`` are the settings' import limits when None. Raises
    ``DataError`` only when the file as a whole cannot be used (unreadable,
    unknown format, over a limit, a required column missing); problems in a
    row put that row into ``rejected``.
    """
    reference_dir = Path(reference_dir) if reference_dir else load_settings().reference_dir
    return incidents.load_incidents(path, stations=station_names(reference_dir), outline=outline(reference_dir),
                                    limits=limits or current_limits())


def load_fraud_calls(path, *, reference_dir=None, limits: Limits | None = None) -> LoadResult:
    """Read a fraud-call export and validate every row (see ``records.fraud_calls.load_fraud_calls``).

    Municipalities, small areas and stations are checked against the
    reference tables of ``reference_dir`` (the settings' when None), within
    ``limits`` (the settings' import limits when None).
    """
    reference_dir = Path(reference_dir) if reference_dir else load_settings().reference_dir
    return fraud_calls.load_fraud_calls(path, tables=reference_tables(reference_dir), limits=limits or current_limits())


def load_area_directory(workspace=None) -> AreaDirectory:
    """The area names of a workspace (the default one when None); ``WorkspaceError`` when not built."""
    return AreaDirectory.from_area_set(load_areas(workspace))


# -- the kinds -----------------------------------------------------------------------------------

def _load_members(path: Path, ws: Workspace, options: dict) -> LoadResult:
    limits = options["limits"]
    raw, headers = read_member_table(path, limits)
    if options.get("directory") is None:  # the names members may choose: the workspace's areas
        options["directory"] = load_area_directory(ws.root)
    return check_members(raw, options["directory"], headers=headers, source=path, max_chars=limits.max_field_chars)


register_import_kind(ImportKind(
    "incidents",
    load=lambda path, ws, options: load_incidents(path, reference_dir=ws.reference_dir, limits=options["limits"]),
    save=lambda engine, result, options, **log: store.save_incidents(engine, result.incidents, **log),
))
register_import_kind(ImportKind(
    "fraud_calls",
    load=lambda path, ws, options: load_fraud_calls(path, reference_dir=ws.reference_dir, limits=options["limits"]),
    save=lambda engine, result, options, **log: save_fraud_calls(engine, result.calls, **log),
    # The days the file's accepted calls fall on (stored now or before): a re-import re-tests and finds its drafts.
    waves=lambda ws, result: check_waves(ws, touched_days(result.calls)),
))
register_import_kind(ImportKind(
    "members",
    load=_load_members,
    save=lambda engine, result, options, **log: save_members(engine, result.records,
                                                             directory=options["directory"], **log),
))


def import_incidents(path, ws: Workspace) -> ImportReport:
    """Load ``path``, store the accepted incidents, quarantine the rest. Idempotent."""
    return import_file("incidents", path, ws)


def import_fraud_calls(path, ws: Workspace) -> ImportReport:
    """Load ``path``, store the accepted calls, quarantine the rest (0600, in the workspace). Idempotent.

    The report's ``waves`` is the wave test of the days the file's calls fall
    on, each against the baseline before it (``app.wave_alerts.check_waves``);
    drafting their alerts is the caller's (``store_wave_drafts``, through the service).
    """
    return import_file("fraud_calls", path, ws)


def import_members(path, ws: Workspace, *, directory: AreaDirectory | None = None) -> ImportReport:
    """Validate a member file, store the new members, quarantine the rest. Idempotent.

    ``ws`` is a ``workspace.Workspace``; its areas give the names members may
    choose unless ``directory`` is given.
    """
    return import_file("members", path, ws, directory=directory)
