"""Incident records: read a police export (CSV or XLSX), validate, and split.

``load_incidents`` never drops a row silently: every row read ends up either
in ``LoadResult.incidents`` (canonical columns, EPSG:4326) or in
``LoadResult.rejected`` with its row number, the column at fault, a reason a
person understands, and the values as they were in the file. A reason never
quotes a personal value (the place, the coordinates, the summary, the
actor's description); a cell with control characters, a line break in a
one-line field, or over the length limit puts its row in quarantine. The reference
checks (the station table's names, the prefecture outline) are passed in;
``app.imports.load_incidents`` reads them from a reference folder.
"""

from __future__ import annotations

import functools
import math
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from anshin_lab.core import glossary
from anshin_lab.core.geo import METRIC_CRS, WGS84
from anshin_lab.records.columns import (
    BAD, Cells, all_text, parse_time, screen_column, stamp_us, times_from_us,
)
from anshin_lab.records.limits import Limits, current_limits, screen_row
from anshin_lab.records.rows import (
    LoadResult, check_rows, load_result, read_time, resolve_duplicates, row_numbers, shown, table_result,
)
from anshin_lab.records.tables import lookup, map_headers, missing_columns_error, read_table

# Points this close to the (simplified) prefecture outline still count as inside.
OUTLINE_TOLERANCE_M = 3000.0
AGE_RANGE = (0, 120)
HEIGHT_RANGE = (50, 230)
# Free-text fields that may hold line breaks and tabs; every other field is one line (mail subjects use them).
MULTILINE_COLUMNS = frozenset({"summary", "actor"})
_ALL_COLUMNS = list(glossary.INCIDENT_COLUMNS + glossary.OPTIONAL_COLUMNS)
# Columns held as numbers while checking: (dtype, value of a row that failed).
_NUMBER_ARRAYS = {"occurred_at": ("int64", 0), "lat": ("float64", np.nan), "lon": ("float64", np.nan)}
# Columns kept as their cleaned text (None when empty).
_TEXT_COLUMNS = ("incident_id", "subtype", "address", "summary", "actor", "build", "clothing", "vehicle", "caller_as")


def load_incidents(path, *, stations: frozenset | None = None, outline=None,
                   limits: Limits | None = None, by_rows: bool = False) -> LoadResult:
    """Read an incident export (CSV in UTF-8/UTF-8 BOM/CP932, or XLSX) and validate it.

    Headers may be Japanese as police exports have them (事案番号, 分類, 発生日時,
    発生場所, …; see ``glossary.INCIDENT_HEADERS``) or the canonical English
    names. ``stations`` holds the station names a 管轄署 must be one of, and
    ``outline`` the prefecture outline (a shapely geometry in EPSG:4326)
    coordinates must fall in (within ``OUTLINE_TOLERANCE_M``); either check
    is skipped when None. ``limits`` are the current settings' when None.
    Raises ``DataError`` only when the file as a whole cannot be used
    (unreadable, unknown format, over a limit, a required column missing);
    problems in a row put that row into ``rejected``.

    A table of text (a CSV's) is checked column by column, each distinct cell
    once, and only the rows that fail something row by row (which words the
    reasons); ``by_rows=True`` checks every row row by row instead, as a
    workbook's cells (numbers, dates) always are. Both give the same result.
    """
    path = Path(path)
    limits = limits or current_limits()
    raw, encoding = read_table(path, limits)
    headers = _map_headers(path, raw.columns)
    checker = _RowChecker(headers, stations, None if outline is None else outline_with_tolerance(outline),
                          limits.max_field_chars)
    if not by_rows and all(all_text(raw[header]) for header in headers.values()):
        return _load_by_columns(raw, checker, source=path, encoding=encoding)
    rows, problems = check_rows(raw, checker.check)
    rows, problems = resolve_duplicates(rows, problems, id_column="incident_id",
                                        header=headers.get("incident_id", "事案番号"), label="事案番号",
                                        content_key=_content_key)
    return load_result(raw, rows, problems, collect=_to_frame, source=path, encoding=encoding, headers=headers)


def _load_by_columns(raw: pd.DataFrame, checker: "_RowChecker", *, source: Path | None,
                     encoding: str) -> LoadResult:
    """Check a table of text column by column; the rows that fail anything are checked again row by row.

    The row check words the reasons (and may accept a row the column check
    only doubted); repeated 事案番号 go through ``resolve_duplicates`` with
    the rows that carry them, so every message is the row check's.
    """
    values, doubtful = _column_values(raw, checker)
    numbers = row_numbers(raw)
    problems, rechecked = [], {}
    for position, original in _originals(raw, np.flatnonzero(doubtful)):
        canonical, errors = checker.check(original)
        if errors:
            problems.append((int(numbers[position]), errors, original))
        else:
            rechecked[position] = canonical
    for position, canonical in rechecked.items():
        _put(values, position, canonical)
        doubtful[position] = False
    accepted = np.flatnonzero(~doubtful)
    repeated = accepted[pd.Series(values["incident_id"][accepted]).duplicated(keep=False).to_numpy()]
    if len(repeated):
        entries = [(int(numbers[position]), checker.check(original)[0], original)
                   for position, original in _originals(raw, repeated)]
        kept, problems = resolve_duplicates(entries, problems, id_column="incident_id",
                                            header=checker.headers.get("incident_id", "事案番号"), label="事案番号",
                                            content_key=_content_key)
        position_of = {id(entry): position for entry, position in zip(entries, repeated)}
        dropped = sorted(set(repeated.tolist()) - {position_of[id(entry)] for entry in kept})
        accepted = accepted[~np.isin(accepted, dropped)]
    return table_result(raw, _frame_of(values, accepted), accepted, problems, source=source, encoding=encoding,
                        headers=checker.headers)


def _column_values(raw: pd.DataFrame, checker: "_RowChecker") -> tuple[dict, np.ndarray]:
    """Canonical values column by column (object arrays; times in microseconds UTC), and the rows in doubt.

    A row is in doubt when any of its cells fails the row check's test for
    that cell (each distinct cell tested once), or when its cells together
    fail (coordinates outside the outline, neither address nor coordinates).
    One column's distinct cells are held at a time.
    """
    headers, size = checker.headers, len(raw)
    doubtful = np.zeros(size, dtype=bool)
    values, empty, numbers = {}, {}, {}
    for column, function in _cell_functions(checker).items():
        header = headers.get(column)
        cells = Cells.of(None if header is None else raw[header], size)
        if header is not None:
            failing = screen_column(cells, multiline=column in MULTILINE_COLUMNS, max_chars=checker.max_chars)
            if failing is not None:
                doubtful |= failing
        mapped = cells.map(function)
        doubtful |= mapped.bad()
        if column in ("incident_id", "address", "lat", "lon"):
            empty[column] = mapped.rows_where(lambda value: value is None)
        if column in ("lat", "lon"):
            numbers[column] = mapped.rows_where(_is_number)
        values[column] = mapped.rows_as(_NUMBER_ARRAYS[column]) if column in _NUMBER_ARRAYS else mapped.rows()
    doubtful |= empty["incident_id"]
    doubtful |= _place_doubts(values, empty, numbers, checker.outline)
    return values, doubtful


def _cell_functions(checker: "_RowChecker") -> dict:
    """For each canonical column, the row check's reading of one cell: its value, or BAD where it fails."""
    def cell_check(column, method):
        def check(value):
            failed = []
            result = method({checker.headers.get(column): value}, lambda *_: failed.append(True))
            return BAD if failed else result
        return check

    functions = {column: _clean_or_none for column in _TEXT_COLUMNS}
    functions["category"] = lambda value: glossary.category_code(glossary.clean(value)) or BAD
    functions["occurred_at"] = parse_time
    for column in glossary.VOCABULARIES:
        functions[column] = lambda value, column=column: _or_bad(glossary.normalise(column, value))
    functions["station"] = cell_check("station", checker._station)
    for column, bounds in (("age", AGE_RANGE), ("height_cm", HEIGHT_RANGE)):
        functions[column] = cell_check(column, functools.partial(_number_check, checker, column, bounds))
    functions["lat"] = functions["lon"] = _coordinate
    return functions


def _place_doubts(values: dict, empty: dict, numbers: dict, outline) -> np.ndarray:
    """Rows whose coordinates the row check refuses, or with neither address nor coordinates.

    The row check reads an empty pair as no coordinates; anything else must
    be two finite numbers (``numbers``) inside the outline. ``values``' lat
    and lon become NaN in rows without usable coordinates.
    """
    lat, lon = values["lat"], values["lon"]
    given = ~(empty["lat"] & empty["lon"])
    usable = numbers["lat"] & numbers["lon"] & np.isfinite(lat) & np.isfinite(lon)
    if outline is not None and usable.any():
        usable[usable] = shapely.contains_xy(outline, lon[usable], lat[usable])
    lat[~usable] = lon[~usable] = np.nan
    return (given & ~usable) | (empty["address"] & ~given)


def _number_check(checker: "_RowChecker", column: str, bounds, record, fail):
    return checker._number(record, column, bounds, fail)


def _coordinate(value):
    """A coordinate cell: None when empty, its float, or BAD when ``float`` refuses it (as the row check does)."""
    text = glossary.clean(value)
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        return BAD


def _is_number(value) -> bool:
    return isinstance(value, float)


def _clean_or_none(value):
    return glossary.clean(value) or None


def _or_bad(value):
    return BAD if value is None else value


def _originals(raw: pd.DataFrame, positions):
    """``(position, {header: cell})`` for the rows of ``raw`` at ``positions``."""
    columns = list(raw.columns)
    for position, cells in zip(positions, raw.iloc[positions].itertuples(index=False, name=None)):
        yield int(position), dict(zip(columns, cells))


def _put(values: dict, position: int, canonical: dict) -> None:
    """Write a row the row check accepted into the column values."""
    for column, value in canonical.items():
        if column == "occurred_at":
            value = stamp_us(value)
        elif column in ("lat", "lon") and value is None:
            value = np.nan
        values[column][position] = value


def _frame_of(values: dict, positions: np.ndarray) -> gpd.GeoDataFrame:
    """The accepted rows as the row check's ``_to_frame`` makes them (``values`` is emptied on the way)."""
    frame = pd.DataFrame(index=pd.RangeIndex(len(positions)))
    for column in _ALL_COLUMNS:  # one column at a time: a large file's columns are never all copied at once
        cells = values.pop(column)[positions]
        frame[column] = times_from_us(cells) if column == "occurred_at" else pd.Series(cells, copy=False)
    return to_geoframe(frame)


def _map_headers(path: Path, columns) -> dict:
    """canonical column -> header as written in the file."""
    mapping = map_headers(columns, glossary.header_column)
    missing = [c for c in glossary.REQUIRED_COLUMNS if c not in mapping]
    if "address" not in mapping and not {"lat", "lon"} <= set(mapping):
        missing.append("address")
    if missing:
        raise missing_columns_error(path, [glossary.EXPORT_HEADERS[c] for c in missing], columns,
                                    known=glossary.header_column)
    return mapping


@functools.lru_cache(maxsize=4)
def outline_with_tolerance(outline):
    """The prefecture outline (EPSG:4326) grown by ``OUTLINE_TOLERANCE_M``, prepared for point checks."""
    grown = gpd.GeoSeries([outline], crs=WGS84).to_crs(METRIC_CRS).buffer(OUTLINE_TOLERANCE_M).to_crs(WGS84).iloc[0]
    shapely.prepare(grown)
    return grown


class _RowChecker:
    """Turns one raw row into canonical values, or a list of (header, reason)."""

    def __init__(self, headers: dict, stations: frozenset | None, outline, max_chars: int):
        self.headers = headers
        self.stations = stations
        self.outline = outline
        self.max_chars = max_chars

    def _get(self, record, column):
        return lookup(record, self.headers, column)

    def check(self, record) -> tuple[dict, list]:
        screened = screen_row(record, self.headers, multiline=MULTILINE_COLUMNS, max_chars=self.max_chars)
        if screened:  # nothing else reads a cell that is too long or holds control characters
            return {}, screened
        out, errors = {}, []

        def fail(column, reason):
            errors.append((self.headers.get(column, glossary.EXPORT_HEADERS.get(column, column)), reason))

        for column in glossary.INCIDENT_COLUMNS + glossary.OPTIONAL_COLUMNS:
            out[column] = None
        out["incident_id"] = glossary.clean(self._get(record, "incident_id")) or None
        if out["incident_id"] is None:
            fail("incident_id", "必須項目「事案番号」が空です")
        raw_category = glossary.clean(self._get(record, "category"))
        out["category"] = glossary.category_code(raw_category)
        if not raw_category:
            fail("category", "必須項目「分類」が空です")
        elif out["category"] is None:
            known = "、".join(glossary.CATEGORIES.values())
            fail("category", f"分類「{shown(raw_category)}」は配信対象の分類ではありません({known})")
        out["occurred_at"] = read_time(self._get(record, "occurred_at"), "occurred_at", fail,
                                       empty="必須項目「発生日時」が空です")
        for column in ("subtype", "address", "summary", "actor", "build", "clothing", "vehicle", "caller_as"):
            out[column] = glossary.clean(self._get(record, column)) or None
        for column in glossary.VOCABULARIES:
            raw = self._get(record, column)
            value = glossary.normalise(column, raw)
            if value is None:
                allowed = "、".join(glossary.VOCABULARIES[column])
                fail(column, f"「{shown(raw)}」は使える値ではありません({allowed})")
            out[column] = value
        out["lat"], out["lon"] = self._coordinates(record, fail)
        has_raw_point = any(glossary.clean(self._get(record, c)) for c in ("lat", "lon"))
        if out["address"] is None and not has_raw_point:
            fail("address", "発生場所も緯度経度も空です(どちらかが必要です)")
        out["station"] = self._station(record, fail)
        out["age"] = self._number(record, "age", AGE_RANGE, fail)
        out["height_cm"] = self._number(record, "height_cm", HEIGHT_RANGE, fail)
        return out, errors

    def _coordinates(self, record, fail):
        raw_lat, raw_lon = (glossary.clean(self._get(record, c)) for c in ("lat", "lon"))
        if not raw_lat and not raw_lon:
            return None, None
        # The coordinates locate the incident as precisely as its address: reasons never quote them.
        try:
            lat, lon = float(raw_lat), float(raw_lon)
        except ValueError:
            fail("lat" if not _is_float(raw_lat) else "lon", "緯度経度を数値として読めません(値は表示しません)")
            return None, None
        if not (math.isfinite(lat) and math.isfinite(lon)):
            fail("lat", "緯度経度が数値ではありません(値は表示しません)")
            return None, None
        if self.outline is None or shapely.contains_xy(self.outline, lon, lat):
            return lat, lon
        if shapely.contains_xy(self.outline, lat, lon):
            fail("lat", "緯度と経度が入れ替わっているようです(鹿児島県は緯度約27〜32、経度約128〜131。値は表示しません)")
        else:
            fail("lat", "緯度経度が鹿児島県の外です(値は表示しません)")
        return None, None

    def _station(self, record, fail):
        raw = glossary.clean(self._get(record, "station"))
        if not raw:
            return None
        name = raw if raw.endswith("警察署") else (raw[:-1] + "警察署" if raw.endswith("署") else raw + "警察署")
        if self.stations is not None and name not in self.stations:
            fail("station", f"管轄署「{shown(raw)}」は警察署テーブルにありません")
            return None
        return name

    def _number(self, record, column, bounds, fail):
        raw = glossary.clean(self._get(record, column))
        if not raw:
            return None
        digits = raw.removesuffix("cm").removesuffix("センチ").removesuffix("歳").removesuffix("才").strip()
        try:
            value = int(float(digits))
        except (ValueError, OverflowError):  # 「1e999」 is a float, but no integer
            fail(column, f"「{shown(raw)}」を数値として読めません")
            return None
        if not bounds[0] <= value <= bounds[1]:
            fail(column, f"「{shown(raw)}」は範囲外です({bounds[0]}〜{bounds[1]})")
            return None
        return value


def _is_float(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False


def _content_key(canonical: dict) -> tuple:
    return tuple(str(canonical[c]) for c in glossary.INCIDENT_COLUMNS + glossary.OPTIONAL_COLUMNS)


def _to_frame(records: list[dict]) -> gpd.GeoDataFrame:
    columns = list(glossary.INCIDENT_COLUMNS + glossary.OPTIONAL_COLUMNS)
    frame = pd.DataFrame.from_records(records, columns=columns)
    return to_geoframe(frame)


def to_geoframe(frame: pd.DataFrame) -> gpd.GeoDataFrame:
    """Canonical dtypes and point geometry (None where there are no coordinates)."""
    frame = frame.copy(deep=False)  # copy-on-write: the caller's frame is never changed
    frame["occurred_at"] = pd.to_datetime(frame["occurred_at"]).dt.tz_convert("Asia/Tokyo") \
        if len(frame) else pd.Series([], dtype="datetime64[ns, Asia/Tokyo]")
    for column in ("lat", "lon"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype(float)
    for column in ("age", "height_cm"):
        frame[column] = pd.array(frame[column], dtype="Int64")
    has_point = (frame["lat"].notna() & frame["lon"].notna()).to_numpy()
    geometry = np.full(len(frame), None, dtype=object)
    geometry[has_point] = shapely.points(frame["lon"].to_numpy()[has_point], frame["lat"].to_numpy()[has_point])
    # copy=False: ``frame`` is this function's own (copy-on-write keeps the caller's frame unchanged).
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geometry, crs=WGS84, index=frame.index), copy=False)
