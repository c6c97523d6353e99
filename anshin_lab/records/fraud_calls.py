"""うそ電話詐欺 (fraud-call) records: read an export, check every row, resolve repeats.

A fraud-call record is one 予兆電話 (a suspicious call reported before any
loss) or one case (未遂 / 既遂): when, the municipality (and the census small
area where known), the 手口, whom the caller claimed to be (名乗り), the
outcome, the loss and the victim's age band.

``load_fraud_calls`` keeps the load contract of incidents: every row read is
either accepted or rejected with its row number, column, reason and original
values. Every cell is one line (the 手口 and 名乗り reach mail subjects): a
cell with a control character or a line break, or over the length limit,
puts its row in quarantine. The municipalities, small areas and stations a row is checked
against are a :class:`ReferenceTables`, passed in
(``app.references.reference_tables`` reads them from a reference folder).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from anshin_lab.core import glossary
from anshin_lab.core.dates import TOKYO
from anshin_lab.records.limits import Limits, current_limits, screen_row
from anshin_lab.records.rows import (
    LoadResult, check_rows, content_hash, load_result, read_time, resolve_duplicates, shown,
)
from anshin_lab.records.tables import lookup, map_headers, missing_columns_error, read_table

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
MAX_LOSS_YEN = 10**12  # above any loss ever recorded; beyond it a cell is a typing error


def load_fraud_calls(path, *, tables: ReferenceTables, limits: Limits | None = None) -> LoadResult:
    """Read a fraud-call export (CSV in UTF-8/UTF-8 BOM/CP932, or XLSX) and validate every row.

    Headers may be Japanese (受付番号, 発生日時, 市町村, 小地域コード, 管轄署, 手口,
    名乗り, 結果, 被害額, 被害者年代; see ``FRAUD_HEADERS``) or the canonical
    names of ``FRAUD_COLUMNS``. The municipality is required (its JIS code,
    its name, or both, which must agree); a small-area code must lie in it and
    a station must serve it (as ``tables`` say); an empty station is filled in
    from the small area, or from a municipality that only one station serves.
    予兆 and 未遂 carry no loss. ``limits`` are the current settings' when
    None. Raises ``DataError`` only when the file as a whole cannot be used;
    a bad row goes into ``rejected`` with its reason. The accepted calls are
    ``LoadResult.calls``.
    """
    path = Path(path)
    limits = limits or current_limits()
    raw, encoding = read_table(path, limits)
    headers = _map_headers(path, raw.columns)
    rows, problems = check_rows(raw, _CallChecker(headers, tables, limits.max_field_chars).check)
    rows, problems = resolve_duplicates(rows, problems, id_column="call_id",
                                        header=headers.get("call_id", EXPORT_HEADERS["call_id"]), label="受付番号",
                                        content_key=call_content_hash)
    return load_result(raw, rows, problems, collect=to_frame, source=path, encoding=encoding, headers=headers)


def header_column(header) -> str | None:
    """The canonical column for a fraud-export header (Japanese or English)."""
    text = glossary.clean(header).lstrip("\ufeff")
    if text in FRAUD_HEADERS:
        return FRAUD_HEADERS[text]
    return text if text in FRAUD_COLUMNS else None


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
        raise ValueError(f"被害額「{glossary.clean(value)[:30]}」を金額として読めません")
    amount = float(m.group(1)) * {"万": 10_000, "千": 1_000, None: 1}[m.group(2)]
    if amount > MAX_LOSS_YEN:  # also a number too long for a float (inf), which has no integer
        raise ValueError(f"被害額が大きすぎます({MAX_LOSS_YEN:,}円まで)")
    if amount != int(amount):
        raise ValueError(f"被害額「{glossary.clean(value)[:30]}」が1円単位になりません")
    return int(amount)


def _map_headers(path: Path, columns) -> dict:
    mapping = map_headers(columns, header_column)
    missing = [EXPORT_HEADERS[c] for c in REQUIRED_COLUMNS if c not in mapping]
    if "city" not in mapping and "city_code" not in mapping:
        missing.append("市町村(または市町村コード)")
    if missing:
        raise missing_columns_error(path, missing, columns, known=header_column)
    return mapping


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


class _CallChecker:
    """Turns one raw row into canonical values, or a list of (header, reason)."""

    def __init__(self, headers: dict, tables: ReferenceTables, max_chars: int):
        self.headers = headers
        self.tables = tables
        self.max_chars = max_chars

    def _get(self, record, column):
        return lookup(record, self.headers, column)

    def check(self, record) -> tuple[dict, list]:
        screened = screen_row(record, self.headers, max_chars=self.max_chars)
        if screened:  # nothing else reads a cell that is too long or holds control characters
            return {}, screened
        out, errors = dict.fromkeys(FRAUD_COLUMNS), []

        def fail(column, reason):
            errors.append((self.headers.get(column, EXPORT_HEADERS[column]), reason))

        out["call_id"] = glossary.clean(self._get(record, "call_id")) or None
        if out["call_id"] is None:
            fail("call_id", "必須項目「受付番号」が空です")
        out["occurred_at"] = read_time(self._get(record, "occurred_at"), "occurred_at", fail,
                                       empty="必須項目「発生日時」が空です")
        raw_method = glossary.clean(self._get(record, "method"))
        out["method"] = normalise_method(raw_method)
        if out["method"] is None:
            fail("method", "必須項目「手口」が空です" if not raw_method else
                 f"手口「{shown(raw_method)}」は使える値ではありません({'、'.join(METHODS)})")
        raw_outcome = glossary.clean(self._get(record, "outcome"))
        out["outcome"] = normalise_outcome(raw_outcome)
        if out["outcome"] is None:
            fail("outcome", "必須項目「結果」が空です" if not raw_outcome else
                 f"結果「{shown(raw_outcome)}」は使える値ではありません({'・'.join(OUTCOMES)})")
        out["caller_as"] = normalise_caller(self._get(record, "caller_as"))
        raw_age = self._get(record, "victim_age_band")
        out["victim_age_band"] = normalise_age_band(raw_age)
        if out["victim_age_band"] is None:
            fail("victim_age_band", f"被害者年代「{shown(raw_age)}」は使える値ではありません({'、'.join(AGE_BANDS)})")
        self._place(record, out, fail)
        self._loss(record, out, fail)
        return out, errors

    def _place(self, record, out, fail) -> None:
        tables = self.tables
        raw_code, raw_name = glossary.clean(self._get(record, "city_code")), glossary.clean(self._get(record, "city"))
        by_code = tables.city_of(raw_code) if raw_code else None
        by_name = tables.city_of(raw_name) if raw_name else None
        if raw_code and by_code is None:
            fail("city_code", f"市町村コード「{shown(raw_code)}」は鹿児島県の市町村にありません")
            return
        if raw_name and by_name is None:
            fail("city", f"市町村「{shown(raw_name)}」は鹿児島県の市町村にありません")
            return
        if by_code and by_name and by_code != by_name:
            fail("city", f"市町村「{shown(raw_name)}」と市町村コード「{shown(raw_code)}」({tables.city_names[by_code]})が一致しません")
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
                fail("key_code", f"小地域コード「{shown(key)}」は国勢調査の小地域にありません")
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
                fail("station", f"管轄署「{shown(raw_station)}」は警察署テーブルにありません")
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


def call_content_hash(record: dict) -> str:
    """A stable fingerprint of a call's content, to spot changed re-imports."""
    return content_hash(record, FRAUD_COLUMNS)


def data_hash(calls: pd.DataFrame, extra: str = "") -> str:
    """SHA-256 of the calls read (canonical columns, sorted by call_id, times in UTC) and ``extra``.

    The same rows give the same hash whatever their order, so a reviewer can
    check that a re-run read the same data.
    """
    frame = calls[list(FRAUD_COLUMNS)].sort_values("call_id", kind="stable").copy()
    frame["occurred_at"] = frame["occurred_at"].dt.tz_convert("UTC").dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    text = frame.to_csv(index=False, lineterminator="\n")
    return hashlib.sha256((text + extra).encode("utf-8")).hexdigest()
