"""SAMPLE DATA: writing the sample as the police system exports it, and the other files.

The incident export is CP932 with CRLF line ends, Japanese headers and 和暦
dates, with one deliberately bad row of each kind in ``BAD_KINDS`` spread
through it; the other sample files are UTF-8 CSV with ISO 8601 times.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pandas as pd

from anshin_lab.core import glossary
from anshin_lab.core.dates import format_wareki
from anshin_lab.core.files import write_atomic

EXPORT_COLUMNS = glossary.INCIDENT_COLUMNS + glossary.OPTIONAL_COLUMNS
EXPORT_ENCODING = "cp932"
BAD_KINDS = ("missing_required", "unknown_category", "impossible_date", "outside_prefecture",
             "swapped_coordinates", "duplicate_conflict")
IMPOSSIBLE_DATE = "令和7年2月30日(日)午後3時頃"
TOKYO_POINT = (35.68, 139.76)
# The re-exported duplicate carries an edited 概要, as a later revision would.
DUPLICATE_NOTE = "(続報)その後の調べで、発生場所の詳細が判明した。"
# Every 50th incident (by number) is exported with its address only, no coordinates.
ADDRESS_ONLY_EVERY = 50


def _cell(value) -> str:
    """A value as export text: None/NaN empty, numbers plain."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    return str(value)


def _export_cells(row: dict) -> dict[str, str]:
    """One incident as export text, keyed by canonical column."""
    cells = {col: _cell(row[col]) for col in EXPORT_COLUMNS}
    cells["category"] = glossary.CATEGORIES[row["category"]]
    cells["occurred_at"] = format_wareki(row["occurred_at"])
    if int(row["incident_id"][-6:]) % ADDRESS_ONLY_EVERY == 0:
        cells["lat"] = cells["lon"] = ""
    else:
        cells["lat"], cells["lon"] = f"{row['lat']:.6f}", f"{row['lon']:.6f}"
    return cells


def _bad_row(kind: str, base: dict, new_id: str) -> dict[str, str]:
    """A copy of an incident's cells broken in one way."""
    cells = _export_cells(base)
    if kind != "duplicate_conflict":
        cells["incident_id"] = new_id
    if kind == "missing_required":
        cells["occurred_at"] = ""
    elif kind == "unknown_category":
        cells["category"] = "交通違反"
    elif kind == "impossible_date":
        cells["occurred_at"] = IMPOSSIBLE_DATE
    elif kind == "outside_prefecture":
        cells["lat"], cells["lon"] = f"{TOKYO_POINT[0]:.6f}", f"{TOKYO_POINT[1]:.6f}"
    elif kind == "swapped_coordinates":
        cells["lat"], cells["lon"] = f"{base['lon']:.6f}", f"{base['lat']:.6f}"
    elif kind == "duplicate_conflict":
        cells["summary"] = base["summary"] + DUPLICATE_NOTE
    return cells


def _rows_with_bad(records: list[dict]) -> tuple[list[dict[str, str]], list[dict]]:
    """All incidents plus one bad row per kind, spread evenly through the file.

    Each bad row is a broken copy of the incident just before it, under a
    new id; the duplicate keeps that incident's id with an edited summary.
    """
    n = len(records)
    positions = {round(n * (k + 1) / (len(BAD_KINDS) + 1)): kind for k, kind in enumerate(BAD_KINDS)}
    rows, report = [], []
    for i, record in enumerate(records):
        kind = positions.get(i)
        if kind is not None:
            base = records[i - 1]
            new_id = f"K2025-{n + len(report) + 1:06d}"
            cells = _bad_row(kind, base, new_id)
            rows.append(cells)
            report.append({"row": len(rows) + 1, "kind": kind, "incident_id": cells["incident_id"]})
        rows.append(_export_cells(record))
    return rows, report


def _csv_text(header: list[str], rows: list[list], lineterminator: str) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=lineterminator)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def write_incident_export(incidents: pd.DataFrame, path, *, bad_rows: bool = True) -> list[dict]:
    """Write incidents as a police system export: CP932, CRLF, Japanese headers, 和暦.

    Returns the deliberately bad rows as ``{"row", "kind", "incident_id"}``
    (``row`` counts the header as row 1); empty when ``bad_rows`` is False.
    """
    records = incidents.to_dict("records")
    if bad_rows:
        rows, report = _rows_with_bad(records)
    else:
        rows, report = [_export_cells(r) for r in records], []
    header = [glossary.EXPORT_HEADERS[col] for col in EXPORT_COLUMNS]
    text = _csv_text(header, [[cells[col] for col in EXPORT_COLUMNS] for cells in rows], "\r\n")
    write_atomic(Path(path), text.encode(EXPORT_ENCODING, errors="strict"))
    return report


def iso_frame(frame: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    """A copy with timestamps as ISO 8601 text (2026-01-05T14:10:00+09:00)."""
    frame = frame.copy()
    for col in columns:
        frame[col] = [t.isoformat() for t in frame[col]]
    return frame


def write_utf8_csv(frame: pd.DataFrame, path: Path) -> None:
    """Write ``frame`` as UTF-8 CSV with LF line ends, no index."""
    write_atomic(path, frame.to_csv(index=False, lineterminator="\n").encode("utf-8"))
