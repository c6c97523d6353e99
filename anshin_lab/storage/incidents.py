"""Stored incidents: saving an accepted batch, reading them back, and the import log.

Saving goes through ``batches.save_batch`` (never overwrite, write nothing
when nothing is new); reading gives the canonical GeoDataFrame of
``records.incidents`` back, times in Asia/Tokyo.
"""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa

from anshin_lab.core import glossary
from anshin_lab.core.clock import given_utc
from anshin_lab.records.incidents import to_geoframe
from anshin_lab.storage.batches import Batch, SaveResult, frame_rows, save_batch
from anshin_lab.storage.schema import imports, incidents

RECORD_COLUMNS = glossary.INCIDENT_COLUMNS + glossary.OPTIONAL_COLUMNS
INCIDENTS = Batch(incidents, imports, "incident_id", "事案番号", "事案")


def save_incidents(engine: sa.Engine, frame: pd.DataFrame, *, source_name: str, source_sha256: str,
                   rows_read: int, rejected: int, quarantine_path: str | None = None) -> SaveResult:
    """Insert new incidents; leave identical ones; report those stored with other content.

    A stored incident is never overwritten: a re-export that changed an
    incident is a conflict for a person to resolve. Re-importing a file whose
    every row is already stored writes nothing at all (no import record either).
    """
    return save_batch(engine, INCIDENTS, frame_rows(frame, RECORD_COLUMNS), source_name=source_name,
                      source_sha256=source_sha256, rows_read=rows_read, rejected=rejected,
                      quarantine_path=quarantine_path)


def read_incidents(engine: sa.Engine, *, since=None, until=None, category: str | None = None):
    """Stored incidents as a GeoDataFrame (canonical columns, EPSG:4326), oldest first."""
    query = sa.select(*[incidents.c[c] for c in RECORD_COLUMNS]).order_by(incidents.c.occurred_at, incidents.c.incident_id)
    # Stored values are UTC (SQLite keeps only their wall-clock), so compare in UTC.
    if since is not None:
        query = query.where(incidents.c.occurred_at >= given_utc(since))
    if until is not None:
        query = query.where(incidents.c.occurred_at < given_utc(until))
    if category is not None:
        query = query.where(incidents.c.category == category)
    with engine.connect() as conn:
        frame = pd.DataFrame(conn.execute(query).mappings().all(), columns=list(RECORD_COLUMNS))
    stamps = pd.to_datetime(frame["occurred_at"])
    frame["occurred_at"] = stamps.dt.tz_localize("UTC") if stamps.dt.tz is None else stamps
    frame = frame.astype({c: object for c in RECORD_COLUMNS if c not in ("occurred_at", "lat", "lon", "age", "height_cm")})
    return to_geoframe(frame.where(frame.notna(), None) if len(frame) else frame)


def read_imports(engine: sa.Engine) -> pd.DataFrame:
    """The import log, newest first."""
    with engine.connect() as conn:
        rows = conn.execute(sa.select(imports).order_by(imports.c.import_id.desc())).mappings().all()
    return pd.DataFrame(rows, columns=[c.name for c in imports.columns])
