"""Reading an export table (CSV in UTF-8 / UTF-8 BOM / CP932, or XLSX) and mapping its headers.

Incidents, fraud calls and members arrive as the same kinds of file, so they
are read here once, with the same messages when a file cannot be used. The
import limits (``records.limits``) are checked before parsing: the file's
size first, an XLSX's zip directory, and no row beyond ``max_rows`` is parsed.
Messages name the file, never a cell's value.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Callable, Mapping

import pandas as pd

from anshin_lab.core.errors import DataError
from anshin_lab.records.limits import Limits, check_file_size, check_xlsx_archive, current_limits, too_many_rows
from anshin_lab.records.rows import SHEET_COLUMN
from anshin_lab.records.workbook import read_workbook

ENCODINGS = ("utf-8-sig", "cp932")
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
    data = path.read_bytes()
    for encoding in ENCODINGS:
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise DataError("文字コードを判別できません(UTF-8 か Shift_JIS(CP932) で保存してください)", path=path)
    sep = "\t" if suffix == ".tsv" else ","
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, sep=sep, nrows=limits.max_rows + 1)
    except pd.errors.ParserError as exc:
        # The parser's first line says where (line and field counts); later lines may quote cells.
        where = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
        raise DataError(f"CSV として読めません({where})", path=path) from exc
    if len(frame) > limits.max_rows:
        raise too_many_rows(path, limits)
    name = "utf-8" if encoding == "utf-8-sig" and not data.startswith(b"\xef\xbb\xbf") else encoding
    return frame, name


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
