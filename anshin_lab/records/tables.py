"""Reading an export table (CSV in UTF-8 / UTF-8 BOM / CP932, or XLSX) and mapping its headers.

Incidents, fraud calls and members arrive as the same kinds of file, so they
are read here once, with the same messages when a file cannot be used. The
import limits (``records.limits``) are checked before parsing: the file's
size first, an XLSX's zip directory, and no row beyond ``max_rows`` is parsed.
Messages name the file, never a cell's value.

A CSV's encoding is judged from its beginning (:func:`sniff_encoding`) and
pandas reads the file's bytes itself: time grows with the file, and no
decoded copy of the whole file is ever held (pandas reads decoded text
handed to it as ``StringIO`` in time that grows with the square of its size).
"""

from __future__ import annotations

import codecs
from pathlib import Path
from typing import Callable, Mapping

import pandas as pd

from anshin_lab.core.errors import DataError
from anshin_lab.records.limits import Limits, check_file_size, check_xlsx_archive, current_limits, too_many_rows
from anshin_lab.records.rows import SHEET_COLUMN
from anshin_lab.records.workbook import read_workbook

ENCODINGS = ("utf-8-sig", "utf-8", "cp932")  # what sniff_encoding may answer
# How much of a CSV decides its encoding (a later part that disagrees makes the reader start again).
SNIFF_BYTES = 1 << 16
CSV_SUFFIXES = {".csv", ".txt", ".tsv"}
EXCEL_SUFFIXES = {".xlsx", ".xlsm"}


def read_table(path: Path, limits: Limits | None = None) -> tuple[pd.DataFrame, str]:
    """The file's rows as cells (text for CSV), and the encoding it was read with (``xlsx`` for Excel).

    Every sheet of a workbook is read (see ``records.workbook``). ``limits``
    are the current settings' when None. Raises ``DataError`` naming the file
    when it is missing, of an unknown format, over a limit, in an unknown
    encoding or not a table.
    """
    path = Path(path)
    limits = limits or current_limits()
    check_source(path, limits)
    suffix = path.suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        return read_workbook(path, limits), "xlsx"
    sep = "\t" if suffix == ".tsv" else ","
    encoding = sniff_encoding(path)
    try:
        frame = _read_csv(path, encoding, sep, limits)
    except UnicodeDecodeError:
        # The beginning read as UTF-8 but a later part does not: the whole file is CP932, or neither.
        if encoding == "cp932":
            raise _unknown_encoding(path) from None
        encoding = "cp932"
        try:
            frame = _read_csv(path, encoding, sep, limits)
        except UnicodeDecodeError:
            raise _unknown_encoding(path) from None
    if len(frame) > limits.max_rows:
        raise too_many_rows(path, limits)
    return frame, encoding


def sniff_encoding(path: Path) -> str:
    """The encoding a CSV is read with, judged from its first ``SNIFF_BYTES``: ``utf-8-sig``, ``utf-8`` or ``cp932``.

    UTF-8 with a byte order mark is ``utf-8-sig``; a beginning that is UTF-8
    is ``utf-8`` (the reader falls back to CP932 should a later part not be);
    otherwise ``cp932``. Raises ``DataError`` when the beginning is neither.
    """
    with open(path, "rb") as stream:
        prefix = stream.read(SNIFF_BYTES)
        whole = not stream.read(1)
    if prefix.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    for encoding in ("utf-8", "cp932"):
        try:
            codecs.getincrementaldecoder(encoding)().decode(prefix, final=whole)  # a character cut at the end is fine
            return encoding
        except UnicodeDecodeError:
            continue
    raise _unknown_encoding(path)


def _read_csv(path: Path, encoding: str, sep: str, limits: Limits) -> pd.DataFrame:
    """The cells of a CSV as text, pandas reading the file's bytes itself (never a decoded copy of the whole file).

    Only ``max_rows + 1`` rows are parsed. ``UnicodeDecodeError`` when a
    part of the file is not in ``encoding``.
    """
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, sep=sep, nrows=limits.max_rows + 1,
                           encoding=encoding, encoding_errors="strict")
    except pd.errors.ParserError as exc:
        # The parser's first line says where (line and field counts); later lines may quote cells.
        where = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
        raise DataError(f"CSV として読めません({where})", path=path) from exc


def _unknown_encoding(path: Path) -> DataError:
    return DataError("文字コードを判別できません(UTF-8 か Shift_JIS(CP932) で保存してください)", path=path)


def check_source(path: Path, limits: Limits) -> None:
    """Refuse, before anything is parsed, a file that is missing, of an unknown format or over the limits.

    Reads only the file system and, for an XLSX, its zip directory: a
    caller may check a file this way before loading what checking its rows needs.
    """
    path = Path(path)
    if not path.exists():
        raise DataError(f"ファイルがありません(場所と名前を確認してください: {path.resolve()})", path=path)
    suffix = path.suffix.lower()
    if suffix not in EXCEL_SUFFIXES | CSV_SUFFIXES:
        raise DataError(f"形式 {suffix or '(拡張子なし)'} は読めません(CSV か XLSX にしてください)", path=path)
    check_file_size(path, limits)
    if suffix in EXCEL_SUFFIXES:
        check_xlsx_archive(path, limits)


def map_headers(columns, column_of: Callable[[object], str | None]) -> dict:
    """canonical column -> the header as written in the file (the first header naming each column)."""
    mapping = {}
    for header in columns:
        column = column_of(header)
        if column and column not in mapping:
            mapping[column] = header
    return mapping


def missing_columns_error(path: Path, missing, columns, known=None) -> DataError:
    """The one message for a file that lacks required columns, naming the columns it recognised.

    ``known(header)`` tells a recognised header (every header when None).
    Headers it does not recognise are only counted: in a file without a
    header row they are the first record's cells, which may be personal data.
    """
    columns = [c for c in columns if str(c) != SHEET_COLUMN]
    found = [str(c) for c in columns if known is None or known(c)]
    others = len(columns) - len(found)
    note = f"見つかった列: {'、'.join(found) or 'なし'}"
    if others:
        note += f"。ほかに見出しと分からない列が{others}列あります(1行目が見出しの行か、見出しの書き方を確認してください)"
    return DataError(f"必須の列がありません: {'、'.join(missing)}({note})", path=path)


def lookup(record: Mapping, headers: Mapping, column: str):
    """The raw cell of ``column`` in a row (None when the file has no such column)."""
    header = headers.get(column)
    return None if header is None else record.get(header)
