"""Time, once: the service runs on Asia/Tokyo and stores UTC.

Databases hand back naive values (SQLite keeps only the wall clock of what
was stored, which is UTC here), so every module reads and writes stamps
through these few helpers instead of keeping its own copy.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pandas as pd

TOKYO_NAME = "Asia/Tokyo"
TOKYO = ZoneInfo(TOKYO_NAME)


def utc_now() -> dt.datetime:
    """Now, as an aware UTC ``datetime`` (what the database stores)."""
    return pd.Timestamp.now(tz="UTC").to_pydatetime()


def tokyo_now() -> pd.Timestamp:
    """Now in Asia/Tokyo, to the second (what people read)."""
    return pd.Timestamp.now(tz=TOKYO_NAME).floor("s")


def stored_utc(value) -> pd.Timestamp:
    """A stamp read back from the database: naive means UTC."""
    stamp = pd.Timestamp(value)
    return stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp


def stored_tokyo(value) -> pd.Timestamp:
    """A stamp read back from the database, shown in Asia/Tokyo."""
    return stored_utc(value).tz_convert(TOKYO_NAME)


def given_utc(value) -> dt.datetime:
    """A stamp a person typed (naive means Asia/Tokyo), as an aware UTC ``datetime`` to store."""
    stamp = pd.Timestamp(value)
    stamp = stamp.tz_localize(TOKYO_NAME) if stamp.tzinfo is None else stamp
    return stamp.tz_convert("UTC").to_pydatetime()
