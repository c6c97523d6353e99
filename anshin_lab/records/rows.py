"""The load contract shared by incidents, fraud calls and members: every row read is accepted or rejected.

One ``LoadResult`` for every kind of record; one way of checking rows
(:func:`check_rows`), of resolving repeated record numbers
(:func:`resolve_duplicates`), of listing rejected rows with their row number,
column, reason and original values (:func:`rejected_frame`), and of
fingerprinting a record's content (:func:`content_hash`). A row is named by
its row number, and by its sheet when a workbook's rows come from several
(:func:`row_label`); a table checked column by column gives its result with
:func:`table_result`. Content hashes of many records are made a column at a
time (:func:`content_hashes`). Cells written back for a spreadsheet are made inert
(:func:`formula_safe`), and a value quoted in a reason is shortened and never
an address (:func:`shown`).
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from json.encoder import encode_basestring as _encode_text
from pathlib import Path
from typing import Any, Callable, Hashable

import numpy as np
import pandas as pd

from anshin_lab.core import glossary
from anshin_lab.core.dates import parse_occurred_at

REJECTED_COLUMNS = ("row", "column", "reason")
ROW_INDEX = "row"  # the index name of a frame whose index holds the file's row numbers (a workbook's)
SHEET_COLUMN = "シート"  # the sheet of each row, when a workbook's rows come from several sheets
# A cell starting with one of these is a formula to a spreadsheet (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
HIDDEN = "(値は表示しません)"


@dataclass
class LoadResult:
    """What a load produced: the accepted rows, the rejected rows, and counts.

    ``rows`` holds the accepted records: a (Geo)DataFrame of canonical
    columns for incidents and fraud calls, a list of record dicts for
    members; ``incidents``, ``calls`` and ``records`` name them as each kind's
    callers do. ``rejected`` has ``row`` (as a spreadsheet numbers it, the
    header being row 1), ``column``, ``reason`` and the original cells.
    ``source_rows`` is the file row number of each accepted record and
    ``originals`` its cells as read (so a record refused later, when stored,
    can be quarantined as it was in the file): a list of dicts, or for a
    table checked by columns a :class:`TableRecords` making each dict when read. ``sheets`` lists a workbook's
    sheets in order when its rows came from several (each row then has a
    「シート」 cell).
    """

    rows: Any
    rejected: pd.DataFrame
    source: Path | None
    encoding: str
    rows_read: int
    headers: dict = field(default_factory=dict)
    source_rows: list = field(default_factory=list)
    originals: list = field(default_factory=list)
    sheets: list = field(default_factory=list)

    @property
    def accepted(self) -> int:
        return len(self.rows)

    @property
    def incidents(self):
        """The accepted incidents (a GeoDataFrame in EPSG:4326)."""
        return self.rows

    @property
    def calls(self):
        """The accepted fraud calls (a DataFrame of ``FRAUD_COLUMNS``)."""
        return self.rows

    @property
    def records(self) -> list:
        """The accepted member records (dicts)."""
        return self.rows

    def ids(self, column: str) -> list:
        """The value of ``column`` for each accepted record, in order."""
        if isinstance(self.rows, pd.DataFrame):
            return list(self.rows[column])
        return [record[column] for record in self.rows]

    def summary(self) -> str:
        name = self.source.name if self.source is not None else ""
        return (f"{name}: {self.rows_read}行を読み込み、"
                f"{self.accepted}件を受理、{len(self.rejected)}件を保留(quarantine)")


def load_result(raw: pd.DataFrame, rows: list, problems: list, *, collect: Callable[[list], Any],
                source: Path | None, encoding: str, headers: dict, **rejected_options) -> LoadResult:
    """The ``LoadResult`` of checked rows: ``collect`` turns the canonical records into ``rows``.

    Raises ``AssertionError`` unless accepted + rejected = rows read (the
    contract of every load). ``rejected_options`` go to :func:`rejected_frame`.
    """
    accepted = collect([canonical for _, canonical, _ in rows])
    sheets = list(dict.fromkeys(raw[SHEET_COLUMN])) if SHEET_COLUMN in raw.columns else []
    rejected = rejected_frame(problems, list(raw.columns), sheets=sheets, **rejected_options)
    if len(accepted) + len(rejected) != len(raw):
        raise AssertionError("accepted + rejected must equal rows read")
    return LoadResult(accepted, rejected, source, encoding, len(raw), headers, [n for n, _, _ in rows],
                      [original for _, _, original in rows], sheets)


def check_rows(raw: pd.DataFrame, check: Callable[[dict], tuple[Any, list]]) -> tuple[list, list]:
    """Run ``check`` on every row: ``(accepted, problems)``.

    ``check(original)`` returns ``(canonical, errors)`` with errors a list of
    ``(header, reason)``. Accepted entries are ``(row_number, canonical,
    original)``; problems ``(row_number, errors, original)``. Row numbers are
    the frame's index when it is named ``ROW_INDEX`` (a workbook's), else
    counted from 2 (the header is row 1, as a spreadsheet shows it).
    """
    accepted, problems = [], []
    for number, values in zip(row_numbers(raw), raw.itertuples(index=False, name=None)):
        row_number = int(number)
        original = dict(zip(raw.columns, values))
        canonical, errors = check(original)
        if errors:
            problems.append((row_number, errors, original))
        else:
            accepted.append((row_number, canonical, original))
    return accepted, problems


def row_numbers(raw: pd.DataFrame):
    """The file row number of each row of ``raw``: its index when named ``ROW_INDEX`` (a workbook's), else from 2."""
    return raw.index.to_numpy() if raw.index.name == ROW_INDEX else np.arange(2, len(raw) + 2)


def table_result(raw: pd.DataFrame, rows, positions, problems: list, *, source: Path | None, encoding: str,
                 headers: dict) -> LoadResult:
    """The ``LoadResult`` of a table checked column by column.

    ``rows`` holds the accepted records (a frame), which are the rows of
    ``raw`` at ``positions``, in file order; ``problems`` are
    ``(row_number, errors, original)``. Raises ``AssertionError`` unless
    accepted + rejected = rows read. The originals of the accepted rows are
    read from ``raw`` when asked for (:class:`TableRecords`), not copied.
    """
    sheets = list(dict.fromkeys(raw[SHEET_COLUMN])) if SHEET_COLUMN in raw.columns else []
    rejected = rejected_frame(problems, list(raw.columns), sheets=sheets)
    if len(rows) + len(rejected) != len(raw):
        raise AssertionError("accepted + rejected must equal rows read")
    numbers = row_numbers(raw)
    return LoadResult(rows, rejected, source, encoding, len(raw), headers,
                      [int(numbers[p]) for p in positions], TableRecords(raw, positions), sheets)


class TableRecords(Sequence):
    """Rows of a table as ``{header: cell}`` dicts, each made when it is read (``LoadResult.originals``).

    A 240,000-row file's originals as dicts would take more memory than the
    file; this view holds the table and the positions of its rows.
    """

    def __init__(self, table: pd.DataFrame, positions):
        self.table = table
        self.positions = np.asarray(positions, dtype=np.int64)

    def __len__(self) -> int:
        return len(self.positions)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return list(TableRecords(self.table, self.positions[index]))
        position = int(self.positions[index])
        return self._record(next(self.table.iloc[position:position + 1].itertuples(index=False, name=None)))

    def __iter__(self):
        for start in range(0, len(self.positions), 10_000):  # a slice at a time: memory stays small
            part = self.table.iloc[self.positions[start:start + 10_000]]
            yield from map(self._record, part.itertuples(index=False, name=None))

    def _record(self, values) -> dict:
        return dict(zip(self.table.columns, values))


def read_time(raw, column: str, fail: Callable[[str, str], None], *, empty: str):
    """The aware time in a cell (text as exports write it, or a date/time object), or None.

    An empty cell fails ``column`` with ``empty``; a cell that is not a time
    fails it with the parser's reason.
    """
    if glossary.clean(raw) == "" and not hasattr(raw, "year"):
        fail(column, empty)
        return None
    try:
        return parse_occurred_at(raw)
    except ValueError as exc:
        fail(column, str(exc))
        return None
    except OverflowError:  # a year or day too large for a date (「令和99999999999999999999年」)
        fail(column, f"「{shown(raw)}」を日時として読めません(年や日の数が大きすぎます)")
        return None


def resolve_duplicates(rows: list, problems: list, *, id_column: str, header, label: str,
                       content_key: Callable[[dict], Hashable], differ: str | None = None) -> tuple[list, list]:
    """Exact repeats of a record number keep their first row; conflicting repeats are all rejected.

    ``label`` is the record number's name in messages (「事案番号」); ``differ``
    formats the reason for conflicting repeats from ``label``, ``id`` and
    ``rows`` (the default asks the reader to check which is right).
    """
    differ = differ or "{label}「{id}」が{rows}で異なる内容になっています(どれが正しいか確認してください)"
    by_id: dict[str, list] = {}
    for entry in rows:
        by_id.setdefault(entry[1][id_column], []).append(entry)
    kept = []
    for record_id, entries in by_id.items():
        first = entries[0]
        if len(entries) == 1:
            kept.append(first)
            continue
        numbers = "・".join(row_label(e[0], e[2]) for e in entries)
        if len({content_key(e[1]) for e in entries}) == 1:
            kept.append(first)
            for entry in entries[1:]:
                reason = (f"{label}「{record_id}」は{row_label(first[0], first[2])}と同じ内容の重複行です"
                          "(1件として取り込みました)")
                problems.append((entry[0], [(header, reason)], entry[2]))
        else:
            for entry in entries:
                problems.append((entry[0], [(header, differ.format(label=label, id=record_id, rows=numbers))], entry[2]))
    order = file_order(list(dict.fromkeys(e[2].get(SHEET_COLUMN) for e in kept)))
    kept.sort(key=lambda e: order(e[0], e[2]))
    return kept, problems


def row_label(row_number: int, original: dict) -> str:
    """「4行目」, or 「シート「2月」の4行目」 for a row of a workbook read from several sheets."""
    sheet = original.get(SHEET_COLUMN)
    return f"{row_number}行目" if sheet is None else f"シート「{sheet}」の{row_number}行目"


def file_order(sheets) -> Callable[[int, dict], tuple]:
    """A sort key ``(row_number, original) -> …`` giving file order: by sheet (in ``sheets``' order), then row."""
    rank = {name: position for position, name in enumerate(sheets)}
    return lambda row_number, original: (rank.get(original.get(SHEET_COLUMN), 0), row_number)


def rejected_frame(problems: list, raw_columns, *, every_column: bool = False, as_text: bool = True,
                   sheets=()) -> pd.DataFrame:
    """The rejected rows, in file order: row, column, reason, then the original cells.

    ``column`` names the first column at fault, or all of them (「・」-joined)
    with ``every_column``; reasons are joined with 「 / 」. ``as_text`` writes
    the original cells as text (None as empty). ``sheets`` orders the rows of
    a workbook read from several sheets.
    """
    records = []
    order = file_order(sheets)
    for row_number, errors, original in sorted(problems, key=lambda p: order(p[0], p[2])):
        column = "・".join(dict.fromkeys(str(c) for c, _ in errors)) if every_column else errors[0][0]
        cells = ({str(k): ("" if v is None else str(v)) for k, v in original.items()} if as_text
                 else {c: original.get(c) for c in raw_columns})
        records.append({"row": row_number, "column": column, "reason": " / ".join(r for _, r in errors), **cells})
    if as_text:
        columns = list(REJECTED_COLUMNS) + [str(c) for c in raw_columns if str(c) not in REJECTED_COLUMNS]
    else:
        columns = [*REJECTED_COLUMNS, *raw_columns]
    return pd.DataFrame.from_records(records, columns=columns)


def formula_safe(value):
    """A cell to write into a CSV a spreadsheet opens: text a spreadsheet would run as a formula gets a leading 「'」.

    Text starting with = + - @, a tab or a carriage return (or the full-width
    ＝＋－＠) is prefixed with a single quote, as OWASP advises against CSV
    injection; other values are returned unchanged.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def shown(value, limit: int = 30) -> str:
    """A cell's text to quote in a reason: at most ``limit`` characters, and never what looks like an address."""
    text = glossary.clean(value)
    if "@" in text:
        return HIDDEN
    return text if len(text) <= limit else text[:limit] + "…"


def plain_value(value):
    """A cell as a plain Python value for storage and hashing (None, UTC ISO text, int/float/str)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.tz_convert("UTC").isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def content_hash(record: dict, columns) -> str:
    """A stable fingerprint of a record's content over ``columns``, to spot changed re-imports."""
    payload = {c: plain_value(record.get(c)) for c in columns}
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def content_hashes(values: Mapping[str, Sequence], columns, *, size: int) -> list[str]:
    """:func:`content_hash` of each of ``size`` records given as plain values column by column: the same strings.

    ``values[column]`` holds every record's plain value of ``column``
    (:func:`plain_value`). The JSON that ``content_hash`` hashes is put
    together from each column's values encoded at once, a slice of
    ``HASH_SLICE`` records at a time.
    """
    keys = sorted(columns)
    template = "{" + ", ".join(json.dumps(k, ensure_ascii=False).replace("%", "%%") + ": %s" for k in keys) + "}"
    hashes = []
    for start in range(0, size, HASH_SLICE):
        encoded = [_json_values(values[k][start:start + HASH_SLICE]) for k in keys]
        hashes.extend(hashlib.sha256((template % cells).encode()).hexdigest() for cells in zip(*encoded))
    return hashes


HASH_SLICE = 20_000


def _json_values(values) -> list[str]:
    """Each value as ``json.dumps(value, ensure_ascii=False)`` writes it (a column of one type at C speed)."""
    kinds = set(map(type, values))
    if kinds == {type(None)}:  # an empty optional column
        return ["null"] * len(values)
    if kinds <= {str, type(None)}:
        return ["null" if value is None else _encode_text(value) for value in values]
    if kinds <= {float, int, type(None)} and all(map(math.isfinite, (v for v in values if v is not None))):
        return ["null" if value is None else (float.__repr__ if type(value) is float else int.__repr__)(value)
                for value in values]
    return [json.dumps(value, ensure_ascii=False) for value in values]
