"""Incident records: read a police export (CSV or XLSX), validate, and split.

``load_incidents`` never drops a row silently: every row read ends up either
in ``LoadResult.incidents`` (canonical columns, EPSG:4326) or in
``LoadResult.rejected`` with its row number, the column at fault, a reason a
person understands, and the values as they were in the file.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from anshin_lab.core import glossary
from anshin_lab.places.areas import METRIC_CRS, WGS84, load_station_table, prefecture_outline
from anshin_lab.core.dates import parse_occurred_at
from anshin_lab.core.errors import DataError
from anshin_lab.core.settings import load_settings

ENCODINGS = ("utf-8-sig", "cp932")
CSV_SUFFIXES = {".csv", ".txt", ".tsv"}
EXCEL_SUFFIXES = {".xlsx", ".xlsm"}
# Points this close to the (simplified) prefecture outline still count as inside.
OUTLINE_TOLERANCE_M = 3000.0
AGE_RANGE = (0, 120)
HEIGHT_RANGE = (50, 230)

REJECTED_COLUMNS = ("row", "column", "reason")


@dataclass
class LoadResult:
    """What a load produced: accepted incidents, rejected rows, and counts."""

    incidents: gpd.GeoDataFrame
    rejected: pd.DataFrame
    source: Path
    encoding: str
    rows_read: int
    headers: dict = field(default_factory=dict)
    source_rows: list = field(default_factory=list)  # file row number of each accepted incident

    @property
    def accepted(self) -> int:
        return len(self.incidents)

    def summary(self) -> str:
        return (f"{self.source.name}: {self.rows_read}行を読み込み、"
                f"{self.accepted}件を受理、{len(self.rejected)}件を保留(quarantine)")


def load_incidents(path, *, reference_dir=None) -> LoadResult:
    """Read an incident export (CSV in UTF-8/UTF-8 BOM/CP932, or XLSX) and validate it.

    Headers may be Japanese as police exports have them (事案番号, 分類, 発生日時,
    発生場所, …; see ``glossary.INCIDENT_HEADERS``) or the canonical English
    names. Raises ``DataError`` only when the file as a whole cannot be used
    (unreadable, unknown format, a required column missing); problems in a row
    put that row into ``rejected``.
    """
    path = Path(path)
    reference_dir = Path(reference_dir) if reference_dir else load_settings().reference_dir
    raw, encoding = _read_table(path)
    headers = _map_headers(path, raw.columns)
    checker = _RowChecker(path, headers, reference_dir)
    rows, problems = [], []
    for position, values in enumerate(raw.itertuples(index=False, name=None)):
        row_number = position + 2  # the header is row 1, as a spreadsheet shows it
        record = dict(zip(raw.columns, values))
        canonical, errors = checker.check(record)
        if errors:
            problems.append((row_number, errors, record))
        else:
            rows.append((row_number, canonical, record))
    rows, problems = _resolve_duplicates(rows, problems, headers)
    incidents = _to_frame([canonical for _, canonical, _ in rows])
    rejected = _rejected_frame(problems, list(raw.columns))
    if len(incidents) + len(rejected) != len(raw):  # the contract of this function
        raise AssertionError("accepted + rejected must equal rows read")
    return LoadResult(incidents, rejected, path, encoding, len(raw), headers, [r for r, _, _ in rows])


def _read_table(path: Path) -> tuple[pd.DataFrame, str]:
    if not path.exists():
        raise DataError("ファイルがありません", path=path)
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
    import io

    sep = "\t" if suffix == ".tsv" else ","
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, sep=sep)
    except pd.errors.ParserError as exc:
        raise DataError(f"CSV として読めません({exc})", path=path) from exc
    name = "utf-8" if encoding == "utf-8-sig" and not data.startswith(b"\xef\xbb\xbf") else encoding
    return frame, name


def _map_headers(path: Path, columns) -> dict:
    """canonical column -> header as written in the file."""
    mapping = {}
    for header in columns:
        column = glossary.header_column(header)
        if column and column not in mapping:
            mapping[column] = header
    missing = [c for c in glossary.REQUIRED_COLUMNS if c not in mapping]
    if "address" not in mapping and not {"lat", "lon"} <= set(mapping):
        missing.append("address")
    if missing:
        wanted = "、".join(glossary.EXPORT_HEADERS[c] for c in missing)
        raise DataError(f"必須の列がありません: {wanted}(見つかった列: {'、'.join(map(str, columns))})", path=path)
    return mapping


class _RowChecker:
    """Turns one raw row into canonical values, or a list of (header, reason)."""

    def __init__(self, path: Path, headers: dict, reference_dir: Path):
        self.path = path
        self.headers = headers
        self.stations = _station_names(reference_dir)
        self.outline = _outline_with_tolerance(reference_dir)

    def _get(self, record, column):
        header = self.headers.get(column)
        return None if header is None else record.get(header)

    def check(self, record) -> tuple[dict, list]:
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
            fail("category", f"分類「{raw_category}」は配信対象の分類ではありません({known})")
        raw_time = self._get(record, "occurred_at")
        if glossary.clean(raw_time) == "" and not hasattr(raw_time, "year"):
            fail("occurred_at", "必須項目「発生日時」が空です")
        else:
            try:
                out["occurred_at"] = parse_occurred_at(raw_time)
            except ValueError as exc:
                fail("occurred_at", str(exc))
        for column in ("subtype", "address", "summary", "actor", "build", "clothing", "vehicle", "caller_as"):
            out[column] = glossary.clean(self._get(record, column)) or None
        for column in glossary.VOCABULARIES:
            raw = self._get(record, column)
            value = glossary.normalise(column, raw)
            if value is None:
                allowed = "、".join(glossary.VOCABULARIES[column])
                fail(column, f"「{glossary.clean(raw)}」は使える値ではありません({allowed})")
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
        try:
            lat, lon = float(raw_lat), float(raw_lon)
        except ValueError:
            fail("lat" if not _is_float(raw_lat) else "lon", f"緯度経度「{raw_lat}, {raw_lon}」を数値として読めません")
            return None, None
        if not (math.isfinite(lat) and math.isfinite(lon)):
            fail("lat", f"緯度経度「{raw_lat}, {raw_lon}」が数値ではありません")
            return None, None
        if shapely.contains_xy(self.outline, lon, lat):
            return lat, lon
        if shapely.contains_xy(self.outline, lat, lon):
            fail("lat", f"緯度{lat}・経度{lon}は入れ替わっているようです(鹿児島県は緯度約27〜32、経度約128〜131)")
        else:
            fail("lat", f"緯度{lat}・経度{lon}は鹿児島県の外です")
        return None, None

    def _station(self, record, fail):
        raw = glossary.clean(self._get(record, "station"))
        if not raw:
            return None
        name = raw if raw.endswith("警察署") else (raw[:-1] + "警察署" if raw.endswith("署") else raw + "警察署")
        if name not in self.stations:
            fail("station", f"管轄署「{raw}」は警察署テーブルにありません")
            return None
        return name

    def _number(self, record, column, bounds, fail):
        raw = glossary.clean(self._get(record, column))
        if not raw:
            return None
        digits = raw.removesuffix("cm").removesuffix("センチ").removesuffix("歳").removesuffix("才").strip()
        try:
            value = int(float(digits))
        except ValueError:
            fail(column, f"「{raw}」を数値として読めません")
            return None
        if not bounds[0] <= value <= bounds[1]:
            fail(column, f"「{raw}」は範囲外です({bounds[0]}〜{bounds[1]})")
            return None
        return value


def _is_float(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False


@functools.lru_cache(maxsize=4)
def _station_names(reference_dir: Path) -> frozenset:
    return frozenset(load_station_table(reference_dir)["station"])


@functools.lru_cache(maxsize=4)
def _outline_with_tolerance(reference_dir: Path):
    outline = gpd.GeoSeries([prefecture_outline(reference_dir)], crs=WGS84)
    grown = outline.to_crs(METRIC_CRS).buffer(OUTLINE_TOLERANCE_M).to_crs(WGS84).iloc[0]
    shapely.prepare(grown)
    return grown


def _resolve_duplicates(rows, problems, headers):
    """Exact repeats keep their first row; conflicting repeats are all rejected."""
    by_id: dict[str, list] = {}
    for entry in rows:
        by_id.setdefault(entry[1]["incident_id"], []).append(entry)
    header = headers.get("incident_id", "事案番号")
    kept = []
    for incident_id, entries in by_id.items():
        if len(entries) == 1:
            kept.append(entries[0])
            continue
        first = entries[0]
        contents = {_content_key(e[1]) for e in entries}
        numbers = "・".join(f"{e[0]}行目" for e in entries)
        if len(contents) == 1:
            kept.append(first)
            for entry in entries[1:]:
                reason = f"事案番号「{incident_id}」は{first[0]}行目と同じ内容の重複行です(1件として取り込みました)"
                problems.append((entry[0], [(header, reason)], entry[2]))
        else:
            for entry in entries:
                reason = f"事案番号「{incident_id}」が{numbers}で異なる内容になっています(どれが正しいか確認してください)"
                problems.append((entry[0], [(header, reason)], entry[2]))
    kept.sort(key=lambda e: e[0])
    return kept, problems


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


def _rejected_frame(problems, raw_columns) -> pd.DataFrame:
    records = []
    for row_number, errors, record in sorted(problems, key=lambda p: p[0]):
        records.append({
            "row": row_number,
            "column": errors[0][0],
            "reason": " / ".join(reason for _, reason in errors),
            **{str(k): ("" if v is None else str(v)) for k, v in record.items()},
        })
    columns = list(REJECTED_COLUMNS) + [str(c) for c in raw_columns if str(c) not in REJECTED_COLUMNS]
    return pd.DataFrame.from_records(records, columns=columns)
