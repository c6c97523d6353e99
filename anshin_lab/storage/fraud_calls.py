"""Stored fraud calls: saving an accepted batch and reading calls back.

Saving goes through ``batches.save_batch`` (never overwrite, write nothing
when nothing is new); reading gives the canonical frame of
``records.fraud_calls`` back, times in Asia/Tokyo.
"""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa

from anshin_lab.core.clock import given_utc, stored_tokyo
from anshin_lab.records.fraud_calls import FRAUD_COLUMNS, to_frame
from anshin_lab.storage.batches import Batch, SaveResult, frame_rows, save_batch
from anshin_lab.storage.schema import fraud_calls, fraud_imports

FRAUD_CALLS = Batch(fraud_calls, fraud_imports, "call_id", "受付番号", "うそ電話の記録")


def save_fraud_calls(engine: sa.Engine, frame: pd.DataFrame, *, source_name: str, source_sha256: str,
                     rows_read: int, rejected: int, quarantine_path: str | None = None) -> SaveResult:
    """Insert new calls; leave identical ones; report those stored with other content (never overwritten).

    Re-importing a file whose every row is already stored writes nothing, not even an import record.
    """
    return save_batch(engine, FRAUD_CALLS, frame_rows(frame, FRAUD_COLUMNS), source_name=source_name,
                      source_sha256=source_sha256, rows_read=rows_read, rejected=rejected,
                      quarantine_path=quarantine_path)


def read_calls(engine: sa.Engine, *, since=None, until=None) -> pd.DataFrame:
    """Stored calls (canonical columns, ``occurred_at`` in Asia/Tokyo), oldest first; ``until`` exclusive."""
    query = sa.select(*[fraud_calls.c[c] for c in FRAUD_COLUMNS]).order_by(fraud_calls.c.occurred_at,
                                                                            fraud_calls.c.call_id)
    if since is not None:
        query = query.where(fraud_calls.c.occurred_at >= given_utc(since))
    if until is not None:
        query = query.where(fraud_calls.c.occurred_at < given_utc(until))
    with engine.connect() as conn:
        rows = conn.execute(query).mappings().all()
    frame = pd.DataFrame(rows, columns=list(FRAUD_COLUMNS))
    stamps = pd.to_datetime(frame["occurred_at"])
    # SQLite keeps only the UTC wall-clock; PostgreSQL returns aware values.
    frame["occurred_at"] = stamps.dt.tz_localize("UTC") if stamps.dt.tz is None else stamps
    return to_frame(frame.to_dict("records"))


def coverage(engine: sa.Engine) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    """The first and last stored call times (Asia/Tokyo), or (None, None) when nothing is stored."""
    with engine.connect() as conn:
        first, last = conn.execute(sa.select(sa.func.min(fraud_calls.c.occurred_at),
                                             sa.func.max(fraud_calls.c.occurred_at))).one()
    return tuple(None if v is None else stored_tokyo(v) for v in (first, last))
