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

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Callable

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

from anshin_lab.core.clock import utc_now
from anshin_lab.core.errors import StoreError
from anshin_lab.records.rows import content_hashes, plain_value
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


def frame_rows(frame: pd.DataFrame, columns, *, times=("occurred_at",)) -> "FrameRows":
    """The rows of ``frame`` as plain values to store, each with its ``content_hash`` (``times`` as aware UTC).

    A sequence of the dicts :func:`save_batch` stores, made when read
    (:class:`FrameRows`): a 240,000-row import never holds 240,000 dicts, and
    values and hashes are made a slice of rows at a time, column by column.
    """
    return FrameRows(frame, columns, times=times)


class FrameRows(Sequence):
    """The rows of a frame as the dicts :func:`save_batch` stores (see :func:`frame_rows`).

    :meth:`cells` gives the values of some rows column by column, which is how
    ``save_batch`` reads them; indexing gives one row's dict.
    """

    def __init__(self, frame: pd.DataFrame, columns, *, times=("occurred_at",)):
        self.columns = list(columns)
        self.times = tuple(times)
        # A copy-on-write snapshot (nothing is copied unless the caller's frame changes later); read a
        # column at a time, as selecting the columns would copy them.
        self.frame = frame.copy(deep=False)

    def __len__(self) -> int:
        return len(self.frame)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return self.records(range(*index.indices(len(self))))
        return self.records([range(len(self))[index]])[0]

    def __iter__(self):
        for start in range(0, len(self), ROWS_AT_ONCE):
            yield from self.records(range(start, min(start + ROWS_AT_ONCE, len(self))))

    def records(self, positions) -> list[dict]:
        """The dicts of the rows at ``positions``."""
        cells = self.cells(positions)
        names = list(cells)
        return [dict(zip(names, values)) for values in zip(*cells.values())]

    def cells(self, positions) -> dict[str, list]:
        """The values to store of the rows at ``positions``, column by column, ``content_hash`` included."""
        positions = np.asarray(positions, dtype=np.intp)
        values = {column: plain_column(self.frame[column].iloc[positions]) for column in self.columns}
        values["content_hash"] = content_hashes(values, self.columns, size=len(positions))
        for column in self.times:
            values[column] = utc_datetimes(self.frame[column].iloc[positions])
        return values

    def column(self, name: str) -> list:
        """Every row's value of the column ``name`` (never ``content_hash``: see :meth:`cells`)."""
        series = self.frame[name]
        return utc_datetimes(series) if name in self.times else plain_column(series)


ROWS_AT_ONCE = 10_000


def plain_column(series: pd.Series) -> list:
    """``records.plain_value`` of each cell of ``series``, a column at a time (text, floats, Int64 in C)."""
    if isinstance(series.dtype, pd.DatetimeTZDtype):
        return _iso_utc(series)
    cells = series.to_numpy(dtype=object, na_value=None).tolist()  # NaN, NA and None all become None
    if isinstance(series.dtype, pd.StringDtype) or series.dtype == "float64" or series.dtype == "Int64":
        return cells  # str, float or int, and None: already plain
    return [cell if cell is None or type(cell) is str else plain_value(cell) for cell in cells]


def _iso_utc(series: pd.Series) -> list:
    """``Timestamp.tz_convert("UTC").isoformat()`` of each aware time (whole seconds written by numpy at once)."""
    naive = series.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy()
    if len(naive) and (naive.astype("datetime64[us]").astype(np.int64) % 1_000_000 == 0).all() and \
            (naive.astype("datetime64[us]") == naive).all():
        return [text + "+00:00" for text in np.datetime_as_string(naive, unit="s").tolist()]
    return [plain_value(stamp) for stamp in series]


def utc_datetimes(series: pd.Series) -> list:
    """Each aware time of ``series`` as a UTC ``datetime``, as ``Timestamp.tz_convert("UTC").to_pydatetime()`` gives."""
    if isinstance(series.dtype, pd.DatetimeTZDtype):
        utc = series.dt.tz_convert("UTC")
        if not (utc.dt.nanosecond != 0).any():
            return list(utc.dt.to_pydatetime())
    return [pd.Timestamp(value).tz_convert("UTC").to_pydatetime() for value in series]


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
    ids = _column(rows, batch.id_column)
    try:
        with engine.connect() as conn:  # reading only: no write lock is held while the batch is sorted
            # Into an empty table (a first import) nothing can be stored already: no need to ask row by row.
            empty = conn.execute(sa.select(batch.table.c[batch.id_column]).limit(1)).first() is None
            stored = {} if empty else _lookup(conn, batch.table, batch.id_column, "content_hash", ids)
            taken = {column: {} if empty else _lookup(conn, batch.table, column, batch.id_column, _column(rows, column))
                     for column, _, _ in batch.unique}
    except SQLAlchemyError as exc:
        raise StoreError(f"{batch.noun}の保存に失敗しました(何も書き込んでいません): {database_reason(exc)}") from exc
    known = [position for position, record_id in enumerate(ids) if record_id in stored] if stored else []
    new, unchanged, conflicts = _sort_rows(batch, rows, ids, dict(zip(known, _hashes(rows, known))), stored, taken)
    found = pd.DataFrame(conflicts, columns=[batch.id_column, "column", "reason"])
    if not len(new) and not conflicts:
        return SaveResult(None, 0, unchanged, found)
    import_id, inserted = None, 0
    chunks = [new[start:start + chunk_rows] for start in range(0, max(len(new), 1), chunk_rows)]
    writer = ColumnInsert(engine.dialect, batch.table) if on_insert is None and _by_columns(engine, batch.table, rows) \
        else None
    try:
        for positions in chunks:
            # Made before the transaction: while it is made, the write lock is free for another writer (a send
            # waiting on SQLite's busy handler, which retries every 100 ms, gets its turn between chunks).
            prepared = writer.prepare(rows, positions) if writer is not None else None
            with engine.begin() as conn:
                current = import_id
                if current is None:  # the import record comes with the first chunk
                    current = conn.execute(batch.log.insert().values(
                        source_name=source_name, source_sha256=source_sha256, imported_at=utc_now(),
                        rows_read=len(rows) if rows_read is None else rows_read, accepted=len(rows),
                        rejected=rejected, inserted=0, unchanged=unchanged, conflicts=len(conflicts),
                        quarantine_path=quarantine_path,
                    )).inserted_primary_key[0]
                if len(positions):
                    if writer is not None:
                        writer.execute(conn, prepared, current)
                    else:
                        chunk = rows.records(positions) if isinstance(rows, FrameRows) else \
                            [rows[position] for position in positions]
                        conn.execute(batch.table.insert(), [{**r, "import_id": current} for r in chunk])
                        if on_insert is not None:
                            on_insert(conn, chunk)
                    conn.execute(batch.log.update().where(batch.log.c.import_id == current)
                                 .values(inserted=inserted + len(positions)))
            import_id, inserted = current, inserted + len(positions)
    except SQLAlchemyError as exc:
        done = ("何も書き込んでいません" if import_id is None else
                f"{inserted}件は保存済みです。同じファイルをもう一度取り込むと残りを保存します")
        raise StoreError(f"{batch.noun}の保存に失敗しました({done}): {database_reason(exc)}") from exc
    return SaveResult(import_id, len(new), unchanged, found)


def _sort_rows(batch: Batch, rows, ids: list, hashes: dict, stored: dict, taken: dict) -> tuple[np.ndarray, int, list]:
    """``(positions of the new rows, how many are stored unchanged, conflicts as (id, column, reason))``.

    ``hashes`` maps the position of each row whose id is stored to its content hash. Conflicts are in row order.
    """
    new = np.ones(len(ids), dtype=bool)
    unchanged, conflicts = 0, []
    for position in range(len(ids)) if batch.unique else hashes:
        record_id = ids[position]
        if record_id in stored:
            new[position] = False
            if stored[record_id] == hashes[position]:
                unchanged += 1
            else:
                conflicts.append((record_id, batch.id_column, CONFLICT.format(label=batch.label, id=record_id)))
            continue
        row = rows[position]
        clash = next(((name, reason(row, taken[column][row[column]])) for column, name, reason in batch.unique
                      if taken[column].get(row[column], record_id) != record_id), None)
        if clash is not None:
            new[position] = False
            conflicts.append((record_id, *clash))
    return np.flatnonzero(new), unchanged, conflicts


def _by_columns(engine: sa.Engine, table: sa.Table, rows) -> bool:
    """Whether :class:`ColumnInsert` can write ``rows``: a :class:`FrameRows` with every column, into SQLite.

    Other databases keep SQLAlchemy's own executemany (PostgreSQL's batches
    its rows into multi-row statements).
    """
    return (isinstance(rows, FrameRows) and engine.dialect.name == "sqlite"
            and set(table.columns.keys()) == {*rows.columns, "content_hash", "import_id"})


class ColumnInsert:
    """Inserting rows of a :class:`FrameRows` with the driver's executemany, parameters made column by column.

    The statement is SQLAlchemy's ``table.insert()`` compiled for the
    dialect, and each value goes through its column type's bind processor,
    so the stored bytes are those ``conn.execute(table.insert(), dicts)``
    stores (a test compares the two), without a dict and a parameter set
    per row. :meth:`prepare` touches no database (``save_batch`` runs it
    outside the chunk's transaction).
    """

    def __init__(self, dialect, table: sa.Table):
        compiled = table.insert().compile(dialect=dialect, column_keys=list(table.columns.keys()))
        self.sql = str(compiled)
        self.names = list(compiled.positiontup)
        self.processors = [table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in self.names]

    def prepare(self, rows: FrameRows, positions) -> list:
        """Each column's values of the rows at ``positions``, processed (None in place of ``import_id``)."""
        cells = rows.cells(positions)
        return [None if name == "import_id" else cells[name] if processor is None else list(map(processor, cells[name]))
                for name, processor in zip(self.names, self.processors)]

    def execute(self, conn: sa.Connection, prepared: list, import_id) -> None:
        """Insert prepared rows under ``import_id``."""
        size = len(next(column for column in prepared if column is not None))
        columns = [itertools.repeat(import_id, size) if column is None else column for column in prepared]
        conn.exec_driver_sql(self.sql, list(zip(*columns)))


def _column(rows, name: str) -> list:
    """Every row's value of the column ``name``: from a :class:`FrameRows` without making its dicts."""
    return rows.column(name) if isinstance(rows, FrameRows) else [row[name] for row in rows]


def _hashes(rows, positions: list) -> list:
    """The content hashes of the rows at ``positions`` (a :class:`FrameRows` computes them a slice at a time)."""
    if not isinstance(rows, FrameRows):
        return [rows[position]["content_hash"] for position in positions]
    hashes = []
    for start in range(0, len(positions), ROWS_AT_ONCE):
        hashes.extend(rows.cells(positions[start:start + ROWS_AT_ONCE])["content_hash"])
    return hashes


def _lookup(conn: sa.Connection, table: sa.Table, key: str, value: str, keys: list) -> dict:
    """``key -> value`` of the stored rows whose ``key`` is one of ``keys``."""
    found = {}
    for start in range(0, len(keys), CHUNK):
        query = sa.select(table.c[key], table.c[value]).where(table.c[key].in_(keys[start:start + CHUNK]))
        found.update(dict(conn.execute(query).all()))
    return found
