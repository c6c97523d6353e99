"""うそ電話詐欺 (fraud calls): schema, loader, storage, summaries and wave detection.

A fraud-call record is one 予兆電話 (a suspicious call reported before any
loss) or one case (未遂 / 既遂): when, the municipality (and the census small
area where known), the 手口, whom the caller claimed to be (名乗り), the
outcome, the loss and the victim's age band.

- ``load_fraud_calls`` reads an export (CSV in UTF-8 / UTF-8 BOM / CP932, or
  XLSX) with the same contract as ``records.load_incidents``: every row read
  is either accepted or rejected with its row number, column, reason and
  original values.
- ``import_fraud_calls`` stores the accepted rows in one transaction and
  writes the rejected ones to ``<workspace>/quarantine/`` (created 0600);
  importing the same file again changes nothing.
- ``summarise`` (pure) counts a period by 手口, 名乗り, municipality, station,
  day and hour, compares it with the period before, and flags waves: an area ×
  名乗り whose count on a day is far above its baseline (``detect_waves``,
  a one-sided Poisson test with a Bonferroni correction, stated in
  ``WAVE_TEST``).
- ``draft_summary_alert`` turns a summary into a fraud-template mail at
  municipality (or prefecture) level; ``store_summary_draft`` stores it as a
  draft awaiting approval. Nothing here sends mail.
"""

from __future__ import annotations

import functools
import hashlib
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

from anshin_lab.core import glossary
from anshin_lab.storage import store
from anshin_lab.core.dates import TOKYO, WEEKDAYS, parse_occurred_at
from anshin_lab.core.errors import DataError, ParameterError, StoreError, WorkflowError

# -- schema ------------------------------------------------------------------------

FRAUD_COLUMNS = (
    "call_id", "occurred_at", "city_code", "city", "key_code", "station", "method", "caller_as", "outcome",
    "loss_yen", "victim_age_band",
)
# Export header (as police exports spell it) -> canonical column. English names are read too.
FRAUD_HEADERS = {
    "受付番号": "call_id", "通報番号": "call_id", "整理番号": "call_id", "事案番号": "call_id",
    "発生日時": "occurred_at", "受信日時": "occurred_at", "架電日時": "occurred_at",
    "市町村コード": "city_code", "市区町村コード": "city_code",
    "市町村": "city", "市区町村": "city", "市町村名": "city",
    "小地域コード": "key_code", "町丁目コード": "key_code",
    "管轄署": "station",
    "手口": "method",
    "名乗り": "caller_as",
    "結果": "outcome", "区分": "outcome", "既遂未遂": "outcome",
    "被害額": "loss_yen", "被害額(円)": "loss_yen", "被害金額": "loss_yen",
    "被害者年代": "victim_age_band", "年代": "victim_age_band", "被害者の年代": "victim_age_band",
}
EXPORT_HEADERS = {
    "call_id": "受付番号", "occurred_at": "発生日時", "city_code": "市町村コード", "city": "市町村",
    "key_code": "小地域コード", "station": "管轄署", "method": "手口", "caller_as": "名乗り", "outcome": "結果",
    "loss_yen": "被害額", "victim_age_band": "被害者年代",
}
REQUIRED_COLUMNS = ("call_id", "occurred_at", "method", "outcome")

# 手口, in the order reports list them (the police statistics' order); others are rejected.
METHODS = (
    "還付金詐欺", "オレオレ詐欺", "預貯金詐欺", "キャッシュカード詐欺盗", "架空料金請求詐欺", "融資保証金詐欺",
    "金融商品詐欺", "ギャンブル詐欺", "交際あっせん詐欺", "その他の特殊詐欺",
)
_METHOD_SYNONYMS = {
    "還付金": "還付金詐欺", "オレオレ": "オレオレ詐欺", "預貯金": "預貯金詐欺",
    "キャッシュカード詐欺": "キャッシュカード詐欺盗", "キャッシュカード盗": "キャッシュカード詐欺盗",
    "架空料金請求": "架空料金請求詐欺", "架空請求": "架空料金請求詐欺", "架空請求詐欺": "架空料金請求詐欺",
    "融資保証金": "融資保証金詐欺", "金融商品": "金融商品詐欺", "金融商品等取引名目詐欺": "金融商品詐欺",
    "ギャンブル": "ギャンブル詐欺", "ギャンブル必勝法情報提供名目詐欺": "ギャンブル詐欺",
    "交際あっせん": "交際あっせん詐欺", "異性との交際あっせん名目詐欺": "交際あっせん詐欺",
    "その他": "その他の特殊詐欺",
}
OUTCOMES = ("予兆", "未遂", "既遂")
_OUTCOME_SYNONYMS = {"予兆電話": "予兆", "前兆": "予兆", "前兆電話": "予兆", "アポ電": "予兆", "認知": "既遂",
                     "被害あり": "既遂", "被害なし": "未遂"}
AGE_BANDS = ("10代", "20代", "30代", "40代", "50代", "60代", "70代", "80代以上", "不明")
# Common ways of writing whom the caller claimed to be -> the name reports use.
_CALLER_SYNONYMS = {
    "市役所": "市役所職員", "町役場": "役場職員", "役場": "役場職員", "区役所": "市役所職員",
    "百貨店": "百貨店職員", "デパート": "百貨店職員", "銀行協会": "銀行協会職員", "全国銀行協会": "銀行協会職員",
    "警察": "警察官", "刑事": "警察官", "年金事務所": "年金事務所職員", "税務署": "税務署職員",
    "": "不明",
}
UNKNOWN = "不明"

# -- wave detection defaults (the notebook's parameters repeat them) ----------------------
BASELINE_DAYS = 56
ALPHA = 0.01
MIN_CALLS = 5
WAVE_TEST = (
    "市町村×名乗りごとに、集計期間の各日の件数 x を、基準期間(集計期間の前{baseline_days}日のうち記録のある日と、"
    "集計期間のうちその日以外の日)の1日あたりの件数 λ=(基準期間の件数+1)/基準期間の日数 と比べ、"
    "ポアソン分布の片側検定 P(X≥x | λ) が有意水準{alpha}を検定の数 m={tests:,}(市町村×名乗りの組×日数)で割った値"
    "(Bonferroni 補正)未満で、かつ x≥{min_calls} のものを「急増」としました。"
)


# -- loading -------------------------------------------------------------------------


@dataclass
class FraudLoadResult:
    """What a load produced: accepted calls (canonical columns), rejected rows, and counts."""

    calls: pd.DataFrame
    rejected: pd.DataFrame
    source: Path
    encoding: str
    rows_read: int
    headers: dict = field(default_factory=dict)
    source_rows: list = field(default_factory=list)  # file row number of each accepted call

    @property
    def accepted(self) -> int:
        return len(self.calls)

    def summary(self) -> str:
        return (f"{self.source.name}: {self.rows_read}行を読み込み、"
                f"{self.accepted}件を受理、{len(self.rejected)}件を保留(quarantine)")


def load_fraud_calls(path, *, reference_dir=None) -> FraudLoadResult:
    """Read a fraud-call export (CSV in UTF-8/UTF-8 BOM/CP932, or XLSX) and validate every row.

    Headers may be Japanese (受付番号, 発生日時, 市町村, 小地域コード, 管轄署, 手口,
    名乗り, 結果, 被害額, 被害者年代; see ``FRAUD_HEADERS``) or the canonical
    names of ``FRAUD_COLUMNS``. The municipality is required (its JIS code,
    its name, or both, which must agree); a small-area code must lie in it and
    a station must serve it; an empty station is filled in from the small
    area, or from a municipality that only one station serves. 予兆 and 未遂
    carry no loss. Raises ``DataError`` only when the file as a whole cannot
    be used; a bad row goes into ``rejected`` with its reason.
    """
    from anshin_lab.records.incidents import _read_table, _rejected_frame  # the incidents' reader: same formats, same messages
    from anshin_lab.core.settings import load_settings

    path = Path(path)
    reference_dir = Path(reference_dir) if reference_dir else load_settings().reference_dir
    raw, encoding = _read_table(path)
    headers = _map_headers(path, raw.columns)
    checker = _CallChecker(headers, reference_tables(reference_dir))
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
    calls = to_frame([canonical for _, canonical, _ in rows])
    rejected = _rejected_frame(problems, list(raw.columns))
    if len(calls) + len(rejected) != len(raw):  # the contract of this function
        raise AssertionError("accepted + rejected must equal rows read")
    return FraudLoadResult(calls, rejected, path, encoding, len(raw), headers, [r for r, _, _ in rows])


def header_column(header) -> str | None:
    """The canonical column for a fraud-export header (Japanese or English)."""
    text = glossary.clean(header).lstrip("\ufeff")
    if text in FRAUD_HEADERS:
        return FRAUD_HEADERS[text]
    return text if text in FRAUD_COLUMNS else None


def _map_headers(path: Path, columns) -> dict:
    mapping = {}
    for header in columns:
        column = header_column(header)
        if column and column not in mapping:
            mapping[column] = header
    missing = [EXPORT_HEADERS[c] for c in REQUIRED_COLUMNS if c not in mapping]
    if "city" not in mapping and "city_code" not in mapping:
        missing.append("市町村(または市町村コード)")
    if missing:
        raise DataError(f"必須の列がありません: {'、'.join(missing)}(見つかった列: {'、'.join(map(str, columns))})",
                        path=path)
    return mapping


def normalise_method(value) -> str | None:
    """The 手口 of ``METHODS`` for a spelling found in exports, or None."""
    text = glossary.clean(value)
    text = _METHOD_SYNONYMS.get(text, text)
    return text if text in METHODS else None


def normalise_outcome(value) -> str | None:
    """予兆 / 未遂 / 既遂 for a spelling found in exports, or None."""
    text = glossary.clean(value)
    text = _OUTCOME_SYNONYMS.get(text, text)
    return text if text in OUTCOMES else None


def normalise_caller(value) -> str:
    """Whom the caller claimed to be, in the words reports use (「市役所」→「市役所職員」; empty → 不明)."""
    text = glossary.clean(value)
    return _CALLER_SYNONYMS.get(text, text)


_AGE_RE = re.compile(r"^(\d{1,3})\s*(?:歳|才)?\s*代(?:以上)?$")


def normalise_age_band(value) -> str | None:
    """An age band of ``AGE_BANDS`` (「70歳代」→「70代」, 「90代」→「80代以上」; empty → 不明), or None."""
    text = glossary.clean(value)
    if text in ("", "不明", "未確認"):
        return UNKNOWN
    if text in AGE_BANDS:
        return text
    m = _AGE_RE.match(text)
    if not m:
        return None
    decade = int(m.group(1))
    if decade % 10 or not 10 <= decade <= 110:
        return None
    return "80代以上" if decade >= 80 else f"{decade}代"


_YEN_RE = re.compile(r"^(\d+(?:\.\d+)?)\s*(万|千)?\s*円?$")


def parse_yen(value) -> int | None:
    """Yen from 「1,200,000」「120万円」「1200000円」; None for empty; ``ValueError`` otherwise."""
    text = glossary.clean(value).replace(",", "")
    if text == "":
        return None
    m = _YEN_RE.match(text)
    if not m:
        raise ValueError(f"被害額「{glossary.clean(value)}」を金額として読めません")
    amount = float(m.group(1)) * {"万": 10_000, "千": 1_000, None: 1}[m.group(2)]
    if amount != int(amount):
        raise ValueError(f"被害額「{glossary.clean(value)}」が1円単位になりません")
    return int(amount)


@dataclass(frozen=True)
class ReferenceTables:
    """What the loader and the summaries look up: municipalities, small areas, stations, households."""

    city_names: dict  # JIS code -> 「鹿児島市」「大島郡瀬戸内町」
    city_codes: dict  # full or short name -> JIS code
    small_areas: dict  # census KEY_CODE -> (JIS code, station)
    city_households: dict  # JIS code -> households (2015 census)
    stations: dict  # station -> tuple of JIS codes it serves
    city_stations: dict  # JIS code -> tuple of stations serving it

    def city_of(self, text) -> str | None:
        """The JIS code for a municipality's code, full name (with 郡) or short name."""
        text = glossary.clean(text)
        if text in self.city_names:
            return text
        return self.city_codes.get(text)

    def station_name(self, text) -> str | None:
        """「鹿児島中央署」「鹿児島中央」→「鹿児島中央警察署」 when it is in the station table."""
        text = glossary.clean(text)
        if not text:
            return None
        name = text if text.endswith("警察署") else (text[:-1] + "警察署" if text.endswith("署") else text + "警察署")
        return name if name in self.stations else None


@functools.lru_cache(maxsize=4)
def reference_tables(reference_dir) -> ReferenceTables:
    """The lookups of a reference folder (municipalities, census small areas, station table), read once."""
    from anshin_lab.places.areas import assign_stations, load_census, load_municipalities, load_station_table

    reference_dir = Path(reference_dir)
    cities = load_municipalities(reference_dir)
    census = load_census(reference_dir)
    table = load_station_table(reference_dir)
    census["station"] = assign_stations(census, table).astype(str).to_numpy()
    names = dict(zip(cities["city_code"].astype(str), cities["city"].astype(str)))
    codes = {**{short: code for code, short in zip(cities["city_code"].astype(str), cities["city_short"].astype(str))},
             **{name: code for code, name in names.items()}}
    table = table.astype({"city_code": str})
    stations = {s: tuple(sorted(g["city_code"])) for s, g in table.groupby("station")}
    city_stations = {c: tuple(sorted(g["station"])) for c, g in table.groupby("city_code")}
    households = census.groupby("city_code")["households"].sum().astype(int).to_dict()
    small = {key: (city, station) for key, city, station in
             zip(census["key_code"].astype(str), census["city_code"].astype(str), census["station"])}
    return ReferenceTables(names, codes, small, households, stations, city_stations)


class _CallChecker:
    """Turns one raw row into canonical values, or a list of (header, reason)."""

    def __init__(self, headers: dict, tables: ReferenceTables):
        self.headers = headers
        self.tables = tables

    def _get(self, record, column):
        header = self.headers.get(column)
        return None if header is None else record.get(header)

    def check(self, record) -> tuple[dict, list]:
        out, errors = dict.fromkeys(FRAUD_COLUMNS), []

        def fail(column, reason):
            errors.append((self.headers.get(column, EXPORT_HEADERS[column]), reason))

        out["call_id"] = glossary.clean(self._get(record, "call_id")) or None
        if out["call_id"] is None:
            fail("call_id", "必須項目「受付番号」が空です")
        raw_time = self._get(record, "occurred_at")
        if glossary.clean(raw_time) == "" and not hasattr(raw_time, "year"):
            fail("occurred_at", "必須項目「発生日時」が空です")
        else:
            try:
                out["occurred_at"] = parse_occurred_at(raw_time)
            except ValueError as exc:
                fail("occurred_at", str(exc))
        raw_method = glossary.clean(self._get(record, "method"))
        out["method"] = normalise_method(raw_method)
        if out["method"] is None:
            fail("method", "必須項目「手口」が空です" if not raw_method else
                 f"手口「{raw_method}」は使える値ではありません({'、'.join(METHODS)})")
        raw_outcome = glossary.clean(self._get(record, "outcome"))
        out["outcome"] = normalise_outcome(raw_outcome)
        if out["outcome"] is None:
            fail("outcome", "必須項目「結果」が空です" if not raw_outcome else
                 f"結果「{raw_outcome}」は使える値ではありません({'・'.join(OUTCOMES)})")
        out["caller_as"] = normalise_caller(self._get(record, "caller_as"))
        raw_age = self._get(record, "victim_age_band")
        out["victim_age_band"] = normalise_age_band(raw_age)
        if out["victim_age_band"] is None:
            fail("victim_age_band", f"被害者年代「{glossary.clean(raw_age)}」は使える値ではありません({'、'.join(AGE_BANDS)})")
        self._place(record, out, fail)
        self._loss(record, out, fail)
        return out, errors

    def _place(self, record, out, fail) -> None:
        tables = self.tables
        raw_code, raw_name = glossary.clean(self._get(record, "city_code")), glossary.clean(self._get(record, "city"))
        by_code = tables.city_of(raw_code) if raw_code else None
        by_name = tables.city_of(raw_name) if raw_name else None
        if raw_code and by_code is None:
            fail("city_code", f"市町村コード「{raw_code}」は鹿児島県の市町村にありません")
            return
        if raw_name and by_name is None:
            fail("city", f"市町村「{raw_name}」は鹿児島県の市町村にありません")
            return
        if by_code and by_name and by_code != by_name:
            fail("city", f"市町村「{raw_name}」と市町村コード「{raw_code}」({tables.city_names[by_code]})が一致しません")
            return
        city = by_code or by_name
        if city is None:
            fail("city" if "city" in self.headers else "city_code", "必須項目「市町村」が空です")
            return
        out["city_code"], out["city"] = city, tables.city_names[city]
        key = glossary.clean(self._get(record, "key_code")).removesuffix(".0") or None
        small_station = None
        if key is not None:
            if key not in tables.small_areas:
                fail("key_code", f"小地域コード「{key}」は国勢調査の小地域にありません")
                return
            key_city, small_station = tables.small_areas[key]
            if key_city != city:
                fail("key_code", f"小地域コード「{key}」は{out['city']}の小地域ではありません")
                return
        out["key_code"] = key
        raw_station = glossary.clean(self._get(record, "station"))
        if raw_station:
            station = tables.station_name(raw_station)
            if station is None:
                fail("station", f"管轄署「{raw_station}」は警察署テーブルにありません")
                return
            if city not in tables.stations[station]:
                fail("station", f"{station}は{out['city']}を管轄していません")
                return
            out["station"] = station
        else:
            serving = tables.city_stations.get(city, ())
            out["station"] = small_station or (serving[0] if len(serving) == 1 else None)

    def _loss(self, record, out, fail) -> None:
        try:
            loss = parse_yen(self._get(record, "loss_yen"))
        except ValueError as exc:
            fail("loss_yen", str(exc))
            return
        if loss is not None and loss < 0:
            fail("loss_yen", "被害額が負の値です")
            return
        if out["outcome"] in ("予兆", "未遂"):
            if loss:
                fail("loss_yen", f"結果が{out['outcome']}なのに被害額({loss:,}円)があります")
                return
            loss = 0
        out["loss_yen"] = loss  # None for 既遂 with the amount not yet known


def _resolve_duplicates(rows, problems, headers):
    """Exact repeats keep their first row; conflicting repeats are all rejected (as for incidents)."""
    by_id: dict[str, list] = {}
    for entry in rows:
        by_id.setdefault(entry[1]["call_id"], []).append(entry)
    header = headers.get("call_id", EXPORT_HEADERS["call_id"])
    kept = []
    for call_id, entries in by_id.items():
        first = entries[0]
        if len(entries) == 1:
            kept.append(first)
            continue
        numbers = "・".join(f"{e[0]}行目" for e in entries)
        if len({content_hash(e[1]) for e in entries}) == 1:
            kept.append(first)
            for entry in entries[1:]:
                reason = f"受付番号「{call_id}」は{first[0]}行目と同じ内容の重複行です(1件として取り込みました)"
                problems.append((entry[0], [(header, reason)], entry[2]))
        else:
            for entry in entries:
                reason = f"受付番号「{call_id}」が{numbers}で異なる内容になっています(どれが正しいか確認してください)"
                problems.append((entry[0], [(header, reason)], entry[2]))
    kept.sort(key=lambda e: e[0])
    return kept, problems


def to_frame(records) -> pd.DataFrame:
    """Canonical columns and dtypes: ``occurred_at`` aware Asia/Tokyo, ``loss_yen`` Int64, the rest text."""
    frame = pd.DataFrame.from_records(list(records), columns=list(FRAUD_COLUMNS))
    stamps = pd.to_datetime(frame["occurred_at"], utc=True) if len(frame) else \
        pd.Series([], dtype="datetime64[ns, UTC]")
    frame["occurred_at"] = stamps.dt.tz_convert(TOKYO)
    frame["loss_yen"] = pd.array(pd.to_numeric(frame["loss_yen"]), dtype="Int64")
    for column in FRAUD_COLUMNS:
        if column not in ("occurred_at", "loss_yen"):
            frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
    return frame


def content_hash(record: dict) -> str:
    """A stable fingerprint of a call's content, to spot changed re-imports."""
    return store.content_hash(record, FRAUD_COLUMNS)


# -- storing ---------------------------------------------------------------------------


# Storing calls reports what storing incidents does.
FraudSaveResult = store.SaveResult


def save_fraud_calls(engine: sa.Engine, frame: pd.DataFrame, *, source_name: str, source_sha256: str,
                     rows_read: int, rejected: int, quarantine_path: str | None = None) -> FraudSaveResult:
    """Insert new calls; leave identical ones; report those stored with other content (never overwritten).

    Re-importing a file whose every row is already stored writes nothing, not even an import record.
    """
    from anshin_lab.storage.store import fraud_calls, fraud_imports

    records = []
    for row in frame[list(FRAUD_COLUMNS)].to_dict("records"):
        record = {c: store.plain_value(row.get(c)) for c in FRAUD_COLUMNS}
        record["occurred_at"] = pd.Timestamp(row["occurred_at"]).tz_convert("UTC").to_pydatetime()
        record["content_hash"] = content_hash(row)
        records.append(record)
    try:
        with engine.begin() as conn:
            stored = {}
            ids = [r["call_id"] for r in records]
            for at in range(0, len(ids), 500):  # stay under SQLite's bound-parameter limit
                query = sa.select(fraud_calls.c.call_id, fraud_calls.c.content_hash).where(
                    fraud_calls.c.call_id.in_(ids[at:at + 500]))
                stored.update(dict(conn.execute(query).all()))
            new = [r for r in records if r["call_id"] not in stored]
            unchanged = sum(1 for r in records if stored.get(r["call_id"]) == r["content_hash"])
            conflicting = [r["call_id"] for r in records
                           if r["call_id"] in stored and stored[r["call_id"]] != r["content_hash"]]
            conflicts = pd.DataFrame({
                "call_id": conflicting,
                "reason": [f"受付番号「{i}」は別の内容で登録済みです(上書きしていません)" for i in conflicting],
            })
            if not new and not conflicting:
                return FraudSaveResult(None, 0, unchanged, conflicts)
            import_id = conn.execute(fraud_imports.insert().values(
                source_name=source_name, source_sha256=source_sha256,
                imported_at=pd.Timestamp.now(tz="UTC").to_pydatetime(), rows_read=rows_read, accepted=len(records),
                rejected=rejected, inserted=len(new), unchanged=unchanged, conflicts=len(conflicting),
                quarantine_path=quarantine_path,
            )).inserted_primary_key[0]
            if new:
                conn.execute(fraud_calls.insert(), [{**r, "import_id": import_id} for r in new])
    except SQLAlchemyError as exc:
        raise StoreError(f"うそ電話の記録の保存に失敗しました(何も書き込んでいません): {exc}") from exc
    return FraudSaveResult(import_id, len(new), unchanged, conflicts)


def import_fraud_calls(path, ws):
    """Load ``path``, store the accepted calls, quarantine the rest (0600, in the workspace). Idempotent.

    Returns an ``ingest.ImportReport`` (counts, and where the rejected rows went).
    """
    from anshin_lab.storage import store
    from anshin_lab.app.ingest import ImportReport, _quarantine_path, _write_atomic  # the incidents' quarantine rule

    path = Path(path)
    result = load_fraud_calls(path, reference_dir=ws.reference_dir)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    quarantine_path = _quarantine_path(ws, path, digest)
    engine = store.connect(ws.database_url)
    try:
        saved = save_fraud_calls(engine, result.calls, source_name=path.name, source_sha256=digest,
                                 rows_read=result.rows_read, rejected=len(result.rejected),
                                 quarantine_path=str(quarantine_path))
    finally:
        engine.dispose()
    quarantined = result.rejected
    if not saved.conflicts.empty:
        header = result.headers.get("call_id", "call_id")
        row_of = dict(zip(result.calls["call_id"], result.source_rows))
        extra = pd.DataFrame({"row": saved.conflicts["call_id"].map(row_of).to_numpy(), "column": header,
                              "reason": saved.conflicts["reason"].to_numpy(),
                              header: saved.conflicts["call_id"].to_numpy()})
        quarantined = pd.concat([quarantined, extra], ignore_index=True).sort_values("row", kind="stable")
    if len(quarantined):
        _write_atomic(quarantined, quarantine_path)
    else:
        quarantine_path = None
    return ImportReport(path, result.rows_read, result.accepted, len(result.rejected), saved.inserted,
                        saved.unchanged, len(saved.conflicts), quarantine_path, quarantined)


def read_calls(engine: sa.Engine, *, since=None, until=None) -> pd.DataFrame:
    """Stored calls (canonical columns, ``occurred_at`` in Asia/Tokyo), oldest first; ``until`` exclusive."""
    from anshin_lab.storage.store import _utc, fraud_calls

    query = sa.select(*[fraud_calls.c[c] for c in FRAUD_COLUMNS]).order_by(fraud_calls.c.occurred_at,
                                                                            fraud_calls.c.call_id)
    if since is not None:
        query = query.where(fraud_calls.c.occurred_at >= _utc(since))
    if until is not None:
        query = query.where(fraud_calls.c.occurred_at < _utc(until))
    with engine.connect() as conn:
        rows = conn.execute(query).mappings().all()
    frame = pd.DataFrame(rows, columns=list(FRAUD_COLUMNS))
    stamps = pd.to_datetime(frame["occurred_at"])
    # SQLite keeps only the UTC wall-clock; PostgreSQL returns aware values.
    frame["occurred_at"] = stamps.dt.tz_localize("UTC") if stamps.dt.tz is None else stamps
    return to_frame(frame.to_dict("records"))


def coverage(engine: sa.Engine) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    """The first and last stored call times (Asia/Tokyo), or (None, None) when nothing is stored."""
    from anshin_lab.storage.store import fraud_calls

    with engine.connect() as conn:
        first, last = conn.execute(sa.select(sa.func.min(fraud_calls.c.occurred_at),
                                             sa.func.max(fraud_calls.c.occurred_at))).one()
    return tuple(None if v is None else _aware(v) for v in (first, last))


def _aware(value) -> pd.Timestamp:
    stamp = pd.Timestamp(value)
    return (stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp).tz_convert(TOKYO)


def data_hash(calls: pd.DataFrame, extra: str = "") -> str:
    """SHA-256 of the calls read (canonical columns, sorted by call_id, times in UTC) and ``extra``.

    The same rows give the same hash whatever their order, so a reviewer can
    check that a re-run read the same data.
    """
    frame = calls[list(FRAUD_COLUMNS)].sort_values("call_id", kind="stable").copy()
    frame["occurred_at"] = frame["occurred_at"].dt.tz_convert("UTC").dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    text = frame.to_csv(index=False, lineterminator="\n")
    return hashlib.sha256((text + extra).encode("utf-8")).hexdigest()


# -- areas and periods -------------------------------------------------------------------

PREFECTURE = "鹿児島県"


@dataclass(frozen=True)
class Area:
    """What a summary covers: the prefecture, a municipality, or a station district."""

    kind: str  # pref / city / station
    name: str  # 「鹿児島県」「鹿児島市」「鹿児島中央警察署」
    code: str  # 46 / JIS code / station name
    city_codes: tuple = ()  # the municipalities it covers (all for the prefecture)

    @property
    def label(self) -> str:
        """The area as a report heading writes it: 「鹿児島中央警察署管内」 for a station."""
        return f"{self.name}管内" if self.kind == "station" else self.name

    @property
    def kind_label(self) -> str:
        return {"pref": "県全体", "city": "市町村", "station": "警察署管内"}[self.kind]

    def select(self, calls: pd.DataFrame) -> pd.Series:
        """A boolean mask of the calls in this area (station districts by the call's station)."""
        if self.kind == "pref":
            return pd.Series(True, index=calls.index)
        if self.kind == "city":
            return calls["city_code"] == self.code
        return calls["station"] == self.name


def resolve_area(text, tables: ReferenceTables) -> Area:
    """The area named by ``text``: 「鹿児島県」, a municipality (「鹿児島市」, 「瀬戸内町」, 46201) or a station.

    Raises ``ParameterError`` saying what may be given.
    """
    name = glossary.clean(text)
    if name in ("", PREFECTURE, "県", "県全体", "46", "鹿児島県全体"):
        return Area("pref", PREFECTURE, "46", tuple(sorted(tables.city_names)))
    city = tables.city_of(name.removeprefix(PREFECTURE))
    if city is not None:
        return Area("city", tables.city_names[city], city, (city,))
    station = tables.station_name(name.removesuffix("管内"))
    if station is not None:
        return Area("station", station, station, tables.stations[station])
    raise ParameterError(f"地域「{name}」が分かりません: 「鹿児島県」(県全体)、市町村名(例「鹿児島市」)、"
                         f"警察署名(例「鹿児島中央警察署」)のどれかを指定してください")


def parse_day(value, name: str = "日付"):
    """A ``datetime.date`` from 「2026-11-01」「2026/11/1」 or a date/timestamp; ``ParameterError`` otherwise."""
    import datetime as dt

    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = glossary.clean(value)
    m = re.match(r"^(\d{4})[-/年.](\d{1,2})[-/月.](\d{1,2})日?$", text)
    try:
        if not m:
            raise ValueError
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        raise ParameterError(f"{name}「{text}」を日付として読めません(例: 2026-11-01)") from None


@dataclass(frozen=True)
class Period:
    """Whole days from ``start`` to ``end`` (both included), in Japan time."""

    start: object  # datetime.date
    end: object

    def __post_init__(self):
        if self.end < self.start:
            raise ParameterError(f"終了日 {self.end} が開始日 {self.start} より前です")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def start_at(self) -> pd.Timestamp:
        return pd.Timestamp(self.start).tz_localize(TOKYO)

    @property
    def end_at(self) -> pd.Timestamp:
        """The first moment after the period (exclusive bound)."""
        return pd.Timestamp(self.end).tz_localize(TOKYO) + pd.Timedelta(days=1)

    def previous(self) -> "Period":
        """The period of the same length just before."""
        length = pd.Timedelta(days=self.days)
        return Period((pd.Timestamp(self.start) - length).date(), (pd.Timestamp(self.start) - pd.Timedelta(days=1)).date())

    def dates(self) -> list:
        return [d.date() for d in pd.date_range(self.start, self.end, freq="D")]

    @property
    def label(self) -> str:
        return f"{format_day(self.start)}〜{format_day(self.end)}({self.days}日間)"


def format_day(day) -> str:
    """「2026年11月1日(日)」."""
    stamp = pd.Timestamp(day)
    return f"{stamp.year}年{stamp.month}月{stamp.day}日({WEEKDAYS[stamp.weekday()]})"


# -- summaries ---------------------------------------------------------------------------


@dataclass
class FraudSummary:
    """Everything a fraud-call report shows, computed from the calls read (English columns).

    ``calls`` are the period's calls in the area; ``previous_calls`` those of
    the period just before. Tables: ``by_method``, ``by_caller``, ``by_city``,
    ``by_station``, ``by_day``, ``by_hour``, ``by_age_band`` (counts with the
    previous period and the change where it makes sense), ``waves`` (see
    ``detect_waves``) and ``totals``.
    """

    area: Area
    period: Period
    previous: Period
    calls: pd.DataFrame
    previous_calls: pd.DataFrame
    totals: dict
    by_method: pd.DataFrame
    by_caller: pd.DataFrame
    by_city: pd.DataFrame
    by_station: pd.DataFrame
    by_day: pd.DataFrame
    by_hour: pd.DataFrame
    by_age_band: pd.DataFrame
    waves: pd.DataFrame
    wave_test: str
    options: dict
    rows_read: int = 0
    data_hash: str = ""
    source: str = ""
    coverage: tuple = (None, None)
    notes: list = field(default_factory=list)

    @property
    def title(self) -> str:
        return f"うそ電話詐欺の集計 {self.area.label} {self.period.start}〜{self.period.end}"

    def facts(self) -> dict:
        """The headline numbers as plain values (for the report's machine-readable block and the index)."""
        return {
            "area": self.area.name, "area_kind": self.area.kind, "start": str(self.period.start),
            "end": str(self.period.end), "calls": int(self.totals["count"]),
            "previous": int(self.totals["previous"]), "waves": int(len(self.waves)),
            "rows_read": int(self.rows_read), "data_hash": self.data_hash,
        }


def summarise(calls: pd.DataFrame, *, period: Period, area: Area, tables: ReferenceTables,
              baseline_days: int = BASELINE_DAYS, alpha: float = ALPHA, min_calls: int = MIN_CALLS,
              history_start=None) -> FraudSummary:
    """Count the period's calls in ``area`` every way a report needs, against the period before.

    ``calls`` holds at least the period, the previous period and the
    ``baseline_days`` before the period (canonical columns, any area: the
    area is selected here). ``history_start`` is when the records begin (the
    baseline is not stretched before it); the earliest call when None.
    """
    calls = calls[area.select(calls)] if len(calls) else calls
    when = calls["occurred_at"]
    current = calls[(when >= period.start_at) & (when < period.end_at)].reset_index(drop=True)
    before = period.previous()
    previous = calls[(when >= before.start_at) & (when < before.end_at)].reset_index(drop=True)
    totals = _totals(current, previous)
    waves, tests = detect_waves(calls, period, baseline_days=baseline_days, alpha=alpha, min_calls=min_calls,
                                history_start=history_start, tables=tables)
    options = {"baseline_days": int(baseline_days), "alpha": float(alpha), "min_calls": int(min_calls)}
    return FraudSummary(
        area=area, period=period, previous=before, calls=current, previous_calls=previous, totals=totals,
        by_method=_compare(current, previous, "method", order=METHODS),
        by_caller=_by_caller(current, previous),
        by_city=_by_city(current, previous, tables),
        by_station=_compare(current, previous, "station", unknown="(管轄署不明)"),
        by_day=_by_day(current, period),
        by_hour=_by_hour(current),
        by_age_band=_compare(current, previous, "victim_age_band", order=AGE_BANDS),
        waves=waves,
        wave_test=WAVE_TEST.format(baseline_days=baseline_days, alpha=alpha, tests=tests, min_calls=min_calls),
        options=options,
    )


def _totals(current: pd.DataFrame, previous: pd.DataFrame) -> dict:
    outcomes = current["outcome"].value_counts().reindex(list(OUTCOMES), fill_value=0)
    completed = current[current["outcome"] == "既遂"]
    return {
        "count": len(current), "previous": len(previous), "change": len(current) - len(previous),
        "change_pct": _pct(len(current), len(previous)),
        **{outcome: int(n) for outcome, n in outcomes.items()},
        "loss_yen": int(completed["loss_yen"].fillna(0).sum()),
        "loss_unknown": int(completed["loss_yen"].isna().sum()),
        "previous_loss_yen": int(previous.loc[previous["outcome"] == "既遂", "loss_yen"].fillna(0).sum()),
    }


def _pct(now: int, before: int) -> float | None:
    return None if before == 0 else round((now - before) * 100.0 / before, 1)


def _compare(current, previous, column: str, *, order=(), unknown: str = UNKNOWN) -> pd.DataFrame:
    """Counts by ``column`` now and in the previous period, with 未遂・既遂 and the change; busiest first
    (or in ``order``), rows with no call in either period left out."""
    now = current[column].fillna(unknown)
    before = previous[column].fillna(unknown)
    keys = list(dict.fromkeys([*[k for k in order if k in set(now) | set(before)],
                               *now.value_counts().index, *before.value_counts().index]))
    table = pd.DataFrame({
        column: keys,
        "count": now.value_counts().reindex(keys, fill_value=0).to_numpy(dtype=int),
        "attempted": now[current["outcome"] == "未遂"].value_counts().reindex(keys, fill_value=0).to_numpy(dtype=int),
        "completed": now[current["outcome"] == "既遂"].value_counts().reindex(keys, fill_value=0).to_numpy(dtype=int),
        "previous": before.value_counts().reindex(keys, fill_value=0).to_numpy(dtype=int),
    })
    table["change"] = table["count"] - table["previous"]
    if not order:
        table = table.sort_values(["count", "previous", column], ascending=[False, False, True], kind="stable")
    return table.reset_index(drop=True)


def _by_caller(current, previous) -> pd.DataFrame:
    table = _compare(current, previous, "caller_as")
    main = current.groupby("caller_as")["method"].agg(lambda s: s.value_counts().index[0]) if len(current) else {}
    table["main_method"] = [main.get(c, "") if len(current) else "" for c in table["caller_as"]]
    return table


def _by_city(current, previous, tables: ReferenceTables) -> pd.DataFrame:
    table = _compare(current, previous, "city_code")
    table.insert(1, "city", [tables.city_names.get(c, c) for c in table["city_code"]])
    households = np.array([tables.city_households.get(c, 0) for c in table["city_code"]], dtype=float)
    table["households"] = households.astype(int)
    with np.errstate(divide="ignore", invalid="ignore"):
        table["per_1000_households"] = np.where(households > 0, table["count"] * 1000.0 / households, np.nan).round(3)
    return table


def _by_day(current: pd.DataFrame, period: Period) -> pd.DataFrame:
    days = current["occurred_at"].dt.date
    table = pd.crosstab(days, current["outcome"]).reindex(index=period.dates(), columns=list(OUTCOMES),
                                                           fill_value=0)
    table.insert(0, "count", table.sum(axis=1))
    table.index.name = "date"
    return table.reset_index().astype({c: int for c in ("count", *OUTCOMES)})


def _by_hour(current: pd.DataFrame) -> pd.DataFrame:
    counts = current["occurred_at"].dt.hour.value_counts().reindex(range(24), fill_value=0)
    return pd.DataFrame({"hour": range(24), "count": counts.to_numpy(dtype=int)})


# -- waves ---------------------------------------------------------------------------------

WAVE_COLUMNS = ("date", "city_code", "city", "caller_as", "method", "count", "expected", "ratio", "p_value",
                "first_at", "last_at", "stations", "call_ids")


def poisson_sf(x: int, lam: float) -> float:
    """P(X ≥ x) for X ~ Poisson(λ), accurate for tiny tails (summed upwards, not as 1 − CDF)."""
    if x <= 0:
        return 1.0
    if lam <= 0:
        return 0.0
    if x <= lam:  # the upper tail is large: 1 − CDF loses nothing here
        log_terms = [-lam + i * math.log(lam) - math.lgamma(i + 1) for i in range(x)]
        return max(0.0, 1.0 - sum(math.exp(t) for t in log_terms))
    term = math.exp(-lam + x * math.log(lam) - math.lgamma(x + 1))
    total, i = 0.0, x
    while term > total * 1e-16 and i < x + 10_000:
        total += term
        i += 1
        term *= lam / i
    return min(total, 1.0)


def detect_waves(calls: pd.DataFrame, period: Period, *, baseline_days: int = BASELINE_DAYS, alpha: float = ALPHA,
                 min_calls: int = MIN_CALLS, history_start=None, tables: ReferenceTables | None = None
                 ) -> tuple[pd.DataFrame, int]:
    """Days on which one municipality × 名乗り had far more calls than its baseline.

    For each (municipality, 名乗り) and each day d of ``period``, x = that day's
    calls; the baseline window is the ``baseline_days`` before the period
    (not before ``history_start``) plus the period's other days, and
    λ = (calls in the window + 1) / days in the window (the +1 keeps a pair
    never seen before from having λ = 0). The day is a wave when x ≥
    ``min_calls`` and P(X ≥ x | λ) < ``alpha`` / m, m being the number of
    tests (pairs seen in the window or period × days): a one-sided exact
    Poisson test with a Bonferroni correction. Returns the waves (columns
    ``WAVE_COLUMNS``, strongest first) and m.
    """
    empty = pd.DataFrame(columns=list(WAVE_COLUMNS))
    if not len(calls):
        return empty, 0
    first = pd.Timestamp(history_start).tz_convert(TOKYO) if history_start is not None else calls["occurred_at"].min()
    window_start = max(period.start_at - pd.Timedelta(days=int(baseline_days)), first.normalize())
    before_days = max(0, (period.start_at - window_start).days)
    when = calls["occurred_at"]
    window = calls[(when >= window_start) & (when < period.end_at)]
    if not len(window):
        return empty, 0
    day = window["occurred_at"].dt.date
    inside = (window["occurred_at"] >= period.start_at).to_numpy()
    pair = window["city_code"].astype(str) + "\t" + window["caller_as"].astype(str)
    totals = pair.value_counts()
    per_day = pd.crosstab(pair[inside], day[inside]).reindex(columns=period.dates(), fill_value=0)
    tests = len(totals) * period.days
    window_days = before_days + period.days - 1  # every day of the window but the one tested
    if window_days < 1:
        return empty, tests
    rows = []
    threshold = alpha / max(tests, 1)
    for key, counts in per_day.iterrows():
        for date, x in counts[counts >= min_calls].items():
            lam = (totals[key] - x + 1) / window_days
            p = poisson_sf(int(x), lam)
            if p < threshold:
                rows.append(_wave_row(window[inside & (pair == key).to_numpy() & (day == date).to_numpy()],
                                      date, int(x), lam, p, tables))
    if not rows:
        return empty, tests
    waves = pd.DataFrame(rows, columns=list(WAVE_COLUMNS))
    return waves.sort_values(["p_value", "count", "date"], ascending=[True, False, True]).reset_index(drop=True), tests


def _wave_row(day_calls: pd.DataFrame, date, x: int, lam: float, p: float, tables) -> dict:
    city_code = str(day_calls["city_code"].iloc[0])
    stations = "・".join(sorted(day_calls["station"].dropna().unique()))
    return {
        "date": date, "city_code": city_code,
        "city": tables.city_names.get(city_code, city_code) if tables else day_calls["city"].iloc[0],
        "caller_as": str(day_calls["caller_as"].iloc[0]),
        "method": day_calls["method"].value_counts().index[0],
        "count": x, "expected": round(lam, 3), "ratio": round(x / lam, 1), "p_value": p,
        "first_at": day_calls["occurred_at"].min(), "last_at": day_calls["occurred_at"].max(),
        "stations": stations, "call_ids": tuple(day_calls["call_id"]),
    }


# -- what a notebook calls -------------------------------------------------------------------


def summarise_workspace(workspace=None, *, start=None, end=None, area=PREFECTURE, calls_file=None,
                        baseline_days: int = BASELINE_DAYS, alpha: float = ALPHA,
                        min_calls: int = MIN_CALLS) -> FraudSummary:
    """The summary of a workspace's calls for ``start``–``end`` (inclusive dates) in ``area``.

    The calls come from the workspace database, or from ``calls_file`` (an
    export read with ``load_fraud_calls`` and not stored) when given.
    ``end`` defaults to the day of the last call (today when there is none),
    ``start`` to six days before ``end``. The summary records the rows read
    and a hash of them (``data_hash``) so a reviewer can check a re-run.
    Raises ``ParameterError`` for an unknown area or impossible dates,
    ``DataError`` for an unreadable ``calls_file``.
    """
    from anshin_lab.storage import store
    from anshin_lab.app.workspace import require_workspace

    ws = require_workspace(workspace)
    tables = reference_tables(ws.reference_dir)
    resolved = resolve_area(area, tables)
    notes = []
    if calls_file:
        loaded = load_fraud_calls(calls_file, reference_dir=ws.reference_dir)
        everything = loaded.calls
        first = everything["occurred_at"].min() if len(everything) else None
        last = everything["occurred_at"].max() if len(everything) else None
        source = f"ファイル {Path(calls_file).name}(取り込まずに直接読み込み、{loaded.summary()})"
        if len(loaded.rejected):
            notes.append(f"{calls_file} の{len(loaded.rejected)}行は不備があるため集計に含めていません")
    else:
        engine = store.connect(ws.database_url)
        try:
            first, last = coverage(engine)
            everything = None
        finally:
            engine.dispose()
        source = "作業領域のデータベース(取り込み済みのうそ電話の記録)"
    end_day = parse_day(end, "終了日") if end is not None else \
        (last.date() if last is not None else pd.Timestamp.now(tz=TOKYO).date())
    start_day = parse_day(start, "開始日") if start is not None else \
        (pd.Timestamp(end_day) - pd.Timedelta(days=6)).date()
    period = Period(start_day, end_day)
    read_from = min(period.previous().start_at, period.start_at - pd.Timedelta(days=int(baseline_days)))
    if everything is None:
        engine = store.connect(ws.database_url)
        try:
            calls = read_calls(engine, since=read_from, until=period.end_at)
        finally:
            engine.dispose()
    else:
        when = everything["occurred_at"]
        calls = everything[(when >= read_from) & (when < period.end_at)].reset_index(drop=True)
    if first is None:
        notes.append("うそ電話の記録がありません(`anshin fraud import FILE` で取り込んでください)")
    elif period.start_at < first.normalize() or (last is not None and period.end_at > last.normalize() + pd.Timedelta(days=1)):
        notes.append(f"記録があるのは {first.date()} から {last.date()} までです: 集計期間のうちその外の日は0件として数えています")
    summary = summarise(calls, period=period, area=resolved, tables=tables, baseline_days=baseline_days,
                        alpha=alpha, min_calls=min_calls, history_start=first)
    summary.rows_read = len(calls)
    summary.data_hash = data_hash(calls, extra=f"history_start={first}")
    summary.source = source
    summary.coverage = (first, last)
    summary.notes = notes
    return summary


# -- the summary alert -----------------------------------------------------------------------


def draft_summary_alert(summary: FraudSummary, areas, *, limits=None):
    """A fraud-template mail for the summary, or None when the period has no calls.

    The subject of the mail is the strongest wave when there is one (its
    municipality, 名乗り and 手口), otherwise the area's most frequent 名乗り.
    The place is published at municipality level (the prefecture for a
    prefecture-wide mail without a wave), decided by ``privacy.assess`` on the
    municipality's name alone, so no finer place can reach the text. The
    situation states the counts; the template adds typical phrases and ★ tips.
    """
    from anshin_lab.drafting import mail as drafting
    from anshin_lab.privacy.policy import assess

    if summary.calls.empty:
        return None
    calls = summary.calls
    if len(summary.waves):
        wave = summary.waves.iloc[0]
        caller, method, city_code = wave["caller_as"], wave["method"], wave["city_code"]
        chosen = calls[(calls["caller_as"] == caller) & (calls["city_code"] == city_code)]
        burst = (f"特に{_month_day(wave['date'])}には、{_clock(wave['first_at'])}から{_clock(wave['last_at'])}"
                 f"までの間に同じ名乗りの電話が{int(wave['count'])}件集中しました。")
        when = wave["last_at"]
        ids = wave["call_ids"]
    else:
        caller = summary.by_caller["caller_as"].iloc[0]
        chosen = calls[calls["caller_as"] == caller]
        method = chosen["method"].value_counts().index[0]
        city_code = chosen["city_code"].value_counts().index[0] if summary.area.kind == "station" else \
            (summary.area.code if summary.area.kind == "city" else None)
        if city_code is not None:
            chosen = chosen[chosen["city_code"] == city_code]
        burst, when, ids = "", chosen["occurred_at"].max(), tuple(chosen["call_id"])
    place = summary.area.name if city_code is None else summary.calls.loc[
        summary.calls["city_code"] == city_code, "city"].iloc[0]
    decision = assess({"address": place if city_code is not None else None, "lat": None, "lon": None}, areas)
    cases = chosen["outcome"].value_counts()
    outcome_text = ""
    if cases.get("未遂", 0) or cases.get("既遂", 0):
        outcome_text = f"このうち未遂は{int(cases.get('未遂', 0))}件、被害に遭ったもの(既遂)は{int(cases.get('既遂', 0))}件です。"
    previous = summary.previous_calls
    before = previous[(previous["caller_as"] == caller) &
                      ((previous["city_code"] == city_code) if city_code is not None else True)]
    situation = (f"{_month_day(summary.period.start)}から{_month_day(summary.period.end)}までの{summary.period.days}日間に、"
                 f"{decision.area_text}で{caller}を名乗るうそ電話が{len(chosen)}件確認されました"
                 f"(その前の{summary.period.days}日間は{len(before)}件)。{outcome_text}{burst}")
    station = summary.area.name if summary.area.kind == "station" else _single_station(chosen)
    incident = {
        "incident_id": f"fraud-summary:{summary.period.start}:{summary.period.end}:{summary.area.name}",
        "category": "fraud", "subtype": method, "caller_as": caller, "summary": situation, "station": station,
        "occurred_at": when,
    }
    kwargs = {} if limits is None else {"limits": limits}
    draft = drafting.draft(incident, decision, **kwargs)
    from dataclasses import replace

    return replace(draft, incident_ids=tuple(ids))


def _single_station(calls: pd.DataFrame) -> str | None:
    stations = calls["station"].dropna().unique()
    return str(stations[0]) if len(stations) == 1 else None


def _month_day(day) -> str:
    stamp = pd.Timestamp(day)
    return f"{stamp.month}月{stamp.day}日({WEEKDAYS[stamp.weekday()]})"


def _clock(stamp) -> str:
    stamp = pd.Timestamp(stamp).tz_convert(TOKYO)
    return f"{'午前' if stamp.hour < 12 else '午後'}{stamp.hour % 12 if stamp.hour != 12 else 12}時{stamp.minute:02d}分"


@dataclass(frozen=True)
class StoredDraft:
    """What happened to a summary's draft: stored (new or earlier), or why not."""

    stored: bool
    alert_id: int | None
    created_by: str | None
    message: str
    existing: bool = False


def store_summary_draft(workspace, draft, summary: FraudSummary, *, analyst: str = "", enabled: bool = True) -> StoredDraft:
    """Store the summary's mail as a DRAFT awaiting approval (never submitted, never sent).

    The draft is created by ``analyst``, an active analyst account of the
    workspace (a system account for scheduled runs), or else by the user
    that ``users.login_from_environment`` logs in (``ANSHIN_USER`` /
    ``ANSHIN_PASSWORD``). Without either, nothing is stored and the message
    says so. A summary with the same parameters and data hash as one already
    drafted returns the earlier draft instead of adding another.
    """
    from anshin_lab.storage import store
    from anshin_lab.workflow.alerts import create_alert
    from anshin_lab.storage.store import fraud_summary_drafts
    from anshin_lab.workflow.users import login_from_environment
    from anshin_lab.app.workspace import open_workspace

    if draft is None:
        return StoredDraft(False, None, None, "この期間の記録がないため、注意喚起は起案していません")
    if not enabled:
        return StoredDraft(False, None, None, "下書きの登録はしない設定です(store_draft=False)")
    engine = store.connect(open_workspace(workspace).database_url)
    try:
        user = _analyst_account(engine, analyst) if analyst else login_from_environment(engine)
        if user is None:
            return StoredDraft(False, None, None, "分析担当のアカウントが指定されていないため、下書きは登録していません"
                                                   "(パラメータ analyst か環境変数 ANSHIN_USER で指定してください)")
        key = f"{summary.area.name}|{summary.period.start}|{summary.period.end}|{summary.data_hash}"
        with engine.connect() as conn:
            earlier = conn.execute(sa.select(fraud_summary_drafts).where(
                fraud_summary_drafts.c.report_key == key)).mappings().first()
        if earlier is not None:
            return StoredDraft(True, earlier["alert_id"], earlier["created_by"],
                               f"同じ条件・同じデータの下書き #{earlier['alert_id']} が登録済みです(新たには登録していません)",
                               existing=True)
        alert_id = create_alert(engine, user, category="fraud", subject=draft.subject, body=draft.body,
                                level=draft.level, public_text=draft.public_text,
                                assessed_level=draft.assessed_level, area_codes=draft.area_codes,
                                incident_ids=list(draft.incident_ids))
        with engine.begin() as conn:
            conn.execute(fraud_summary_drafts.insert().values(
                report_key=key, alert_id=alert_id, created_by=user.username,
                created_at=pd.Timestamp.now(tz="UTC").to_pydatetime()))
    finally:
        engine.dispose()
    return StoredDraft(True, alert_id, user.username,
                       f"下書き #{alert_id} として登録しました(作成者 {user.username})。承認されるまで配信されません")


def _analyst_account(engine: sa.Engine, username: str):
    """The active analyst account ``username`` (the scheduler's system account); ``WorkflowError`` otherwise."""
    from anshin_lab.storage.store import users
    from anshin_lab.workflow.users import User
    from anshin_lab.workflow.rules import Role

    with engine.connect() as conn:
        row = conn.execute(sa.select(users).where(users.c.username == username)).first()
    if row is None or not row.active:
        raise WorkflowError(f"分析担当のアカウント「{username}」がないか、無効です")
    if Role(row.role) != Role.ANALYST:
        raise WorkflowError(f"「{username}」は分析担当(analyst)のアカウントではありません({Role(row.role).label})")
    return User(row.username, row.display_name, Role.ANALYST)


def read_stored_calls(workspace=None) -> pd.DataFrame:
    """Every call stored in a workspace (the default one when None), oldest first."""
    from anshin_lab.storage import store
    from anshin_lab.app.workspace import open_workspace

    engine = store.connect(open_workspace(workspace).database_url)
    try:
        return read_calls(engine)
    finally:
        engine.dispose()

