"""One idempotent, content-hashed batch save for every kind of imported record.

Incidents, fraud calls and members are stored the same way: new records are
inserted, records stored with the same content are left alone, and a record
stored with other content is never overwritten but reported as a conflict for
a person to resolve. When nothing is new and nothing conflicts, nothing is
written at all (not even an import record), so importing the same file twice
changes nothing.

New records are written in short transactions of ``INSERT_CHUNK`` rows, each
also bringing the import record's ``inserted`` count up to date, so another
writer (a send in progress) never waits longer than one chunk, and what the
import log says is always what is stored. A save that stops half way (an
error, a killed process) is completed by importing the same file again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

from anshin_lab.core.clock import utc_now
from anshin_lab.core.errors import StoreError
from anshin_lab.records.rows import content_hash, plain_value
from anshin_lab.storage.engine import database_reason

CONFLICT = "{label}「{id}」は別の内容で登録済みです(上書きしていません)"
CHUNK = 500  # stay under SQLite's bound-parameter limit
INSERT_CHUNK = 5000  # rows per write transaction: tens of milliseconds, so a sender never waits long


@dataclass(frozen=True)
class Batch:
    """Where one kind of record is stored, and how messages name it.

    ``unique`` lists other columns no two records may share, as
    ``(column, canonical column, reason(row, owner id))``.
    """

    table: sa.Table
    log: sa.Table  # the import log: one row per import that wrote something
    id_column: str
    label: str  # the record number's name in messages: 「事案番号」
    noun: str  # what could not be saved: 「事案」
    unique: tuple = ()


@dataclass
class SaveResult:
    """What storing a batch did: new rows, identical rows, and rows in conflict."""

    import_id: int | None
    inserted: int
    unchanged: int
    conflicts: pd.DataFrame  # the id column, column (canonical), reason


def frame_rows(frame: pd.DataFrame, columns, *, times=("occurred_at",)) -> list[dict]:
    """The rows of ``frame`` as plain values to store, each with its ``content_hash`` (``times`` as aware UTC)."""
    rows = []
    for row in frame[list(columns)].to_dict("records"):
        record = {c: plain_value(row.get(c)) for c in columns}
        record["content_hash"] = content_hash(row, columns)
        for column in times:
            record[column] = pd.Timestamp(row[column]).tz_convert("UTC").to_pydatetime()
        rows.append(record)
    return rows


def save_batch(engine: sa.Engine, batch: Batch, rows: list[dict], *, source_name: str, source_sha256: str = "",
               rows_read: int | None = None, rejected: int = 0, quarantine_path: str | None = None,
               on_insert: Callable[[sa.Connection, list[dict]], None] | None = None,
               chunk_rows: int = INSERT_CHUNK) -> SaveResult:
    """Insert the new ``rows``; leave identical ones; report those stored with other content.

    ``rows`` are dicts of ``batch.table``'s columns, each with its
    ``content_hash``. The import is logged in ``batch.log`` with its counts;
    new rows are written ``chunk_rows`` per transaction, and
    ``on_insert(conn, chunk)`` runs in each chunk's transaction after its
    insert (for records kept in several tables). Raises ``StoreError`` when
    the database refuses, saying how many records were stored (the same
    file imported again stores the rest); the message never quotes a value.
    """
    try:
        with engine.connect() as conn:  # reading only: no write lock is held while the batch is sorted
            stored = _lookup(conn, batch.table, batch.id_column, "content_hash", [r[batch.id_column] for r in rows])
            taken = {column: _lookup(conn, batch.table, column, batch.id_column, [r[column] for r in rows])
                     for column, _, _ in batch.unique}
    except SQLAlchemyError as exc:
        raise StoreError(f"{batch.noun}の保存に失敗しました(何も書き込んでいません): {database_reason(exc)}") from exc
    new, unchanged, conflicts = _sort_rows(batch, rows, stored, taken)
    found = pd.DataFrame(conflicts, columns=[batch.id_column, "column", "reason"])
    if not new and not conflicts:
        return SaveResult(None, 0, unchanged, found)
    import_id, inserted = None, 0
    try:
        for start in range(0, max(len(new), 1), chunk_rows):
            chunk = new[start:start + chunk_rows]
            with engine.begin() as conn:
                current = import_id
                if current is None:  # the import record comes with the first chunk
                    current = conn.execute(batch.log.insert().values(
                        source_name=source_name, source_sha256=source_sha256, imported_at=utc_now(),
                        rows_read=len(rows) if rows_read is None else rows_read, accepted=len(rows),
                        rejected=rejected, inserted=0, unchanged=unchanged, conflicts=len(conflicts),
                        quarantine_path=quarantine_path,
                    )).inserted_primary_key[0]
                if chunk:
                    conn.execute(batch.table.insert(), [{**r, "import_id": current} for r in chunk])
                    if on_insert is not None:
                        on_insert(conn, chunk)
                    conn.execute(batch.log.update().where(batch.log.c.import_id == current)
                                 .values(inserted=inserted + len(chunk)))
            import_id, inserted = current, inserted + len(chunk)
    except SQLAlchemyError as exc:
        done = ("何も書き込んでいません" if import_id is None else
                f"{inserted}件は保存済みです。同じファイルをもう一度取り込むと残りを保存します")
        raise StoreError(f"{batch.noun}の保存に失敗しました({done}): {database_reason(exc)}") from exc
    return SaveResult(import_id, len(new), unchanged, found)


def _sort_rows(batch: Batch, rows: list[dict], stored: dict, taken: dict) -> tuple[list, int, list]:
    """``(new rows, how many are stored unchanged, conflicts as (id, column, reason))``."""
    new, unchanged, conflicts = [], 0, []
    for row in rows:
        record_id = row[batch.id_column]
        if record_id in stored:
            if stored[record_id] == row["content_hash"]:
                unchanged += 1
            else:
                conflicts.append((record_id, batch.id_column, CONFLICT.format(label=batch.label, id=record_id)))
            continue
        clash = next(((name, reason(row, taken[column][row[column]])) for column, name, reason in batch.unique
                      if taken[column].get(row[column], record_id) != record_id), None)
        if clash is not None:
            conflicts.append((record_id, *clash))
        else:
            new.append(row)
    return new, unchanged, conflicts


def _lookup(conn: sa.Connection, table: sa.Table, key: str, value: str, keys: list) -> dict:
    """``key -> value`` of the stored rows whose ``key`` is one of ``keys``."""
    found = {}
    for start in range(0, len(keys), CHUNK):
        query = sa.select(table.c[key], table.c[value]).where(table.c[key].in_(keys[start:start + CHUNK]))
        found.update(dict(conn.execute(query).all()))
    return found
