"""Reading every sheet of an XLSX export, streaming, within the import limits.

A workbook's rows are read from all its worksheets (hidden ones too), never
silently from the first only: every sheet that holds anything must have the
same header row as the first one, or the file is refused naming the sheet.
When more than one sheet holds rows, each row carries its sheet's name in a
「シート」 column, and row numbers are those the sheet shows. The archive is
checked against the limits before a byte is inflated, and rows are streamed
(openpyxl's read-only mode), so no more than ``max_rows`` rows are ever held.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd

from anshin_lab.core.errors import DataError
from anshin_lab.records.limits import Limits, check_xlsx_archive, too_many_rows
from anshin_lab.records.rows import ROW_INDEX, SHEET_COLUMN


def read_workbook(path: Path, limits: Limits) -> pd.DataFrame:
    """The rows of every sheet of an XLSX file as cells (text, numbers, dates, None), indexed by row number.

    Raises ``DataError`` when the archive is over the limits or damaged,
    when sheets have different header rows, or when there are more than
    ``limits.max_rows`` rows.
    """
    check_xlsx_archive(path, limits)  # again: a caller may read a workbook without ``tables.check_source``
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)
    except Exception as exc:  # openpyxl raises many types for a damaged file; its messages may quote cells
        raise DataError(f"Excel ファイルとして読めません(壊れているか XLSX ではありません: {type(exc).__name__})",
                        path=path) from exc
    sheets = []  # (name, header, [(row number, cells)])
    budget = limits.max_rows
    try:
        for sheet in book.worksheets:
            expected = (sheets[0][0], sheets[0][1]) if sheets else None
            header, rows = _read_sheet(sheet, budget, path, limits, expected)
            if header is not None:
                sheets.append((sheet.title, header, rows))
                budget -= len(rows)
    except DataError:
        raise
    except Exception as exc:  # a damaged part of the archive shows only while streaming it
        raise DataError(f"Excel ファイルとして読めません(壊れた部分があります: {type(exc).__name__})", path=path) from exc
    finally:
        book.close()
    return _frame(sheets, path)


def _read_sheet(sheet, budget: int, path: Path, limits: Limits, expected) -> tuple[list | None, list]:
    """The header row (None for an empty sheet) and the data rows of a sheet, blank rows left out.

    ``expected`` is the first sheet's (name, columns): a sheet whose header
    row differs is refused as soon as that row is read.
    """
    header, rows = None, []
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        cells = _trimmed([_cell(v) for v in values])
        if not cells:
            continue  # a blank row holds no record
        if header is None:
            header = cells
            if expected is not None and _column_names(header, len(header)) != expected[1][:len(header)]:
                raise different_header(sheet.title, expected[0], path)
            continue
        if len(rows) >= budget:
            raise too_many_rows(path, limits)
        rows.append((number, cells))
    if header is None:
        return None, []
    width = max([len(header), *(len(cells) for _, cells in rows)])
    return _column_names(header, width), rows


def _frame(sheets: list, path: Path) -> pd.DataFrame:
    if not sheets:
        return pd.DataFrame(index=pd.Index([], name=ROW_INDEX))
    first_name, columns, _ = sheets[0]
    for name, header, _ in sheets[1:]:
        if header != columns:
            raise different_header(name, first_name, path)
    several = sum(1 for _, _, rows in sheets if rows) > 1
    numbers, records = [], []
    for name, _, rows in sheets:
        for number, cells in rows:
            cells = cells + [None] * (len(columns) - len(cells))
            numbers.append(number)
            records.append([name, *cells] if several else cells)
    frame = pd.DataFrame(records, columns=[SHEET_COLUMN, *columns] if several else columns, dtype=object)
    frame.index = pd.Index(numbers, name=ROW_INDEX)
    return frame


def different_header(name: str, first: str, path: Path) -> DataError:
    """The refusal of a workbook whose sheet ``name`` has another header row than its first sheet."""
    return DataError(f"シート「{name}」は見出しが違います(最初のシート「{first}」と同じ見出しにするか、"
                     "別のファイルに分けてください。どのシートも読み込んでいません)", path=path)


def _cell(value):
    """A cell as pandas' Excel reader gives it: a whole float as an int, the rest unchanged."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _trimmed(cells: list) -> list:
    """``cells`` without the empty cells at its end (empty when the row is blank)."""
    end = len(cells)
    while end and (cells[end - 1] is None or cells[end - 1] == ""):
        end -= 1
    return cells[:end]


def _column_names(header: list, width: int) -> list[str]:
    """Column names as pandas makes them: 「Unnamed: 3」 for an empty header, 「列.1」 for a repeated one."""
    names, seen = [], {}
    for position in range(width):
        value = header[position] if position < len(header) else None
        name = f"Unnamed: {position}" if value is None or value == "" else str(value)
        if name in seen:
            seen[name] += 1
            name = f"{name}.{seen[name]}"
        else:
            seen[name] = 0
        names.append(name)
    return names
