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
import pandas as pd
import shapely

from anshin_lab.core import glossary
from anshin_lab.core.geo import METRIC_CRS, WGS84
from anshin_lab.records.limits import Limits, current_limits, screen_row
from anshin_lab.records.rows import LoadResult, check_rows, load_result, read_time, resolve_duplicates, shown
from anshin_lab.records.tables import lookup, map_headers, missing_columns_error, read_table

# Points this close to the (simplified) prefecture outline still count as inside.
OUTLINE_TOLERANCE_M = 3000.0
AGE_RANGE = (0, 120)
HEIGHT_RANGE = (50, 230)
# Free-text fields that may hold line breaks and tabs; every other field is one line (mail subjects use them).
MULTILINE_COLUMNS = frozenset({"summary", "actor"})


def load_incidents(path, *, stations: frozenset | None = None, outline=None,
                   limits: Limits | None = None) -> LoadResult:
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
    """
    path = Path(path)
    limits = limits or current_limits()
    raw, encoding = read_table(path, limits)
    headers = _map_headers(path, raw.columns)
    checker = _RowChecker(headers, stations, None if outline is None else outline_with_tolerance(outline),
                          limits.max_field_chars)
    rows, problems = check_rows(raw, checker.check)
    rows, problems = resolve_duplicates(rows, problems, id_column="incident_id",
                                        header=headers.get("incident_id", "事案番号"), label="事案番号",
                                        content_key=_content_key)
    return load_result(raw, rows, problems, collect=_to_frame, source=path, encoding=encoding, headers=headers)


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
    frame = frame.copy()
    frame["occurred_at"] = pd.to_datetime(frame["occurred_at"]).dt.tz_convert("Asia/Tokyo") \
        if len(frame) else pd.Series([], dtype="datetime64[ns, Asia/Tokyo]")
    for column in ("lat", "lon"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype(float)
    for column in ("age", "height_cm"):
        frame[column] = pd.array(frame[column], dtype="Int64")
    has_point = frame["lat"].notna() & frame["lon"].notna()
    geometry = [shapely.Point(x, y) if ok else None
                for x, y, ok in zip(frame["lon"], frame["lat"], has_point)]
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geometry, crs=WGS84, index=frame.index))
