"""Connecting to the database: SQLite by default, any SQLAlchemy URL by configuration.

``connect`` creates the schema (idempotent), turns on SQLite's foreign keys and
WAL journal, and keeps a SQLite file readable by its owner only, because it
holds personal data. A SQLite writer waits up to ``BUSY_TIMEOUT_S`` for
another one to commit (imports commit every few thousand rows), so a large
import during a send slows the sender for milliseconds instead of failing it
with "database is locked". Database errors are reported without the
statement's parameters (:func:`database_reason`), which hold personal data.
"""

from __future__ import annotations

import os

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError, StatementError

from anshin_lab.core.errors import StoreError
from anshin_lab.core.settings import redact_url
from anshin_lab.storage.grants import ensure_grants
from anshin_lab.storage.schema import metadata

# How long a SQLite writer waits for another writer's transaction (seconds).
BUSY_TIMEOUT_S = 30


def connect(url: str) -> sa.Engine:
    """An engine for ``url`` with the schema created (idempotent)."""
    try:
        is_sqlite = sa.engine.make_url(url).get_backend_name() == "sqlite"
        # pysqlite's own timeout is its busy handler (5 s by default); the PRAGMA below says the same.
        engine = sa.create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_S} if is_sqlite else {})
        if is_sqlite:
            sa.event.listen(engine, "connect", _sqlite_pragmas)
        metadata.create_all(engine)
        _add_missing_columns(engine)
        ensure_grants(engine)
        _owner_only(engine)
    except (SQLAlchemyError, ImportError, ValueError) as exc:
        raise StoreError(f"データベース {redact_url(url)} に接続できません: {database_reason(exc)}") from exc
    return engine


def database_reason(exc: BaseException) -> str:
    """What a database error says, without the SQL statement and its parameters (they hold personal data).

    The first line of the driver's message (PostgreSQL's DETAIL line, which
    quotes key values, is left out); for a statement SQLAlchemy refused
    itself, only the error's class name.
    """
    original = getattr(exc, "orig", None)
    if original is None and isinstance(exc, StatementError):
        return type(exc).__name__
    original = original or exc
    lines = str(original).strip().splitlines()
    return f"{type(original).__name__}: {lines[0][:300]}" if lines else type(original).__name__


def _add_missing_columns(engine: sa.Engine) -> None:
    """Bring a database made by an older version up to date: add the (nullable) columns it lacks."""
    inspector = sa.inspect(engine)
    with engine.begin() as conn:
        for table in metadata.sorted_tables:
            present = {column["name"] for column in inspector.get_columns(table.name)}
            for column in table.columns:
                if column.name not in present and column.nullable:
                    kind = column.type.compile(dialect=engine.dialect)
                    conn.execute(sa.text(f'ALTER TABLE "{table.name}" ADD COLUMN "{column.name}" {kind}'))


def _owner_only(engine: sa.Engine) -> None:
    """A SQLite file holds personal data: readable and writable by its owner only."""
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if database and database != ":memory:":
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(database + suffix):
                os.chmod(database + suffix, 0o600)


def _sqlite_pragmas(dbapi_connection, _record):
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_S * 1000}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()
