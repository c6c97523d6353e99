"""Records: reading exports (CSV/XLSX) of incidents, fraud calls and members, one row at a time.

Every load keeps one contract (``rows``): each row read is accepted or
rejected with its row number, column, reason and original values, in one
``LoadResult``; repeated record numbers are resolved the same way for every
kind. Reference checks (stations, the prefecture outline, municipalities)
are passed in: ``app.imports`` reads them from a reference folder. The
import limits (``limits``: bytes, rows, an XLSX's unpacked size, a cell's
length and characters) are checked before parsing; a workbook is read from
all its sheets (``workbook``). Nothing here touches the database.
"""

from anshin_lab.records.fraud_calls import FRAUD_COLUMNS, ReferenceTables, data_hash, load_fraud_calls
from anshin_lab.records.incidents import load_incidents, to_geoframe
from anshin_lab.records.limits import Limits
from anshin_lab.records.members import (
    MEMBER_COLUMNS,
    AreaDirectory,
    check_member_row,
    check_members,
    normalise_email,
    read_member_table,
)
from anshin_lab.records.rows import LoadResult, content_hash, formula_safe, rejected_frame, resolve_duplicates
from anshin_lab.records.tables import read_table

__all__ = [
    "FRAUD_COLUMNS", "MEMBER_COLUMNS", "AreaDirectory", "Limits", "LoadResult", "ReferenceTables", "check_member_row",
    "check_members", "content_hash", "data_hash", "formula_safe", "load_fraud_calls", "load_incidents", "normalise_email",
    "read_member_table", "read_table", "rejected_frame", "resolve_duplicates", "to_geoframe",
]
