"""Reading an export table (CSV in UTF-8 / UTF-8 BOM / CP932, or XLSX) and mapping its headers.

Incidents, fraud calls and members arrive as the same kinds of file, so they
are read here once, with the same messages when a file cannot be used.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Callable, Mapping

import pandas as pd

from anshin_lab.core.errors import DataError

ENCODINGS = ("utf-8-sig", "cp932")
CSV_SUFFIXES = {".csv", ".txt", ".tsv"}
EXCEL_SUFFIXES = {".xlsx", ".xlsm"}


def read_table(path: Path) -> tuple[pd.DataFrame, str]:
    """The file's rows as cells (text for CSV), and the encoding it was read with (``xlsx`` for Excel).

    Raises ``DataError`` naming the file when it is missing, of an unknown
    format, in an unknown encoding or not a table.
    """
    path = Path(path)
    if not path.exists():
        raise DataError(f"ファイルがありません(場所と名前を確認してください: {path.resolve()})", path=path)
    suffix = path.suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        try:
            frame = pd.read_excel(path, dtype=object, engine="openpyxl")
        except Exception as exc:  # openpyxl raises many types for a damaged file
            raise DataError(f"Excel ファイルとして読めません({exc})", path=path) from exc
        return frame.astype(object).where(frame.notna(), None), "xlsx"
    if suffix not in CSV_SUFFIXES:
        raise DataError(f"形式 {suffix or '(拡張子なし)'} は読めません(CSV か XLSX にしてください)", path=path)
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
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, sep=sep)
    except pd.errors.ParserError as exc:
        raise DataError(f"CSV として読めません({exc})", path=path) from exc
    name = "utf-8" if encoding == "utf-8-sig" and not data.startswith(b"\xef\xbb\xbf") else encoding
    return frame, name


def map_headers(columns, column_of: Callable[[object], str | None]) -> dict:
    """canonical column -> the header as written in the file (the first header naming each column)."""
    mapping = {}
    for header in columns:
        column = column_of(header)
        if column and column not in mapping:
            mapping[column] = header
    return mapping


def missing_columns_error(path: Path, missing, columns) -> DataError:
    """The one message for a file that lacks required columns (and the columns it has)."""
    return DataError(f"必須の列がありません: {'、'.join(missing)}(見つかった列: {'、'.join(map(str, columns))})",
                     path=path)


def lookup(record: Mapping, headers: Mapping, column: str):
    """The raw cell of ``column`` in a row (None when the file has no such column)."""
    header = headers.get(column)
    return None if header is None else record.get(header)
