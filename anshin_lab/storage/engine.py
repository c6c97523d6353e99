"""Connecting to the database: SQLite by default, any SQLAlchemy URL by configuration.

``connect`` creates the schema (idempotent), turns on SQLite's foreign keys and
WAL journal, and keeps a SQLite file readable by its owner only, because it
holds personal data.
"""

from __future__ import annotations

import os

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

from anshin_lab.core.errors import StoreError
from anshin_lab.core.settings import redact_url
from anshin_lab.storage.schema import metadata


def connect(url: str) -> sa.Engine:
    """An engine for ``url`` with the schema created (idempotent)."""
    try:
        engine = sa.create_engine(url)
        if engine.dialect.name == "sqlite":
            sa.event.listen(engine, "connect", _sqlite_pragmas)
        metadata.create_all(engine)
        _add_missing_columns(engine)
        _owner_only(engine)
    except (SQLAlchemyError, ImportError, ValueError) as exc:
        raise StoreError(f"データベース {redact_url(url)} に接続できません: {exc}") from exc
    return engine


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
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()
