"""Open data: the published alerts as one CSV, with its data dictionary and the coarsening rules.

The columns follow the police open data residents and developers already
use: the crime open data every prefectural police publishes in the National
Police Agency's format (罪名, 手口, 管轄警察署(発生地), 市区町村コード(発生地),
都道府県(発生地), 市区町村(発生地), 町丁目(発生地), 発生年月日(始期), 発生時(始期),
発生場所, 被害者の年齢・職業 …; e.g. 宮崎県警察's dataset at
https://odm.bodik.jp/dataset/450006_1069) and the 不審者情報 open data of 山口県
and 警視庁 (メールけいしちょう). Where they give a point or an hour, this file
gives the published area and a band of the day.

One row per sent original alert, oldest first; its follow-ups (検挙, 指導警告,
訂正 …) are its status columns, not rows. Only published values reach it: the
alert's number and sending day, its published fields
(``workflow.alerts.published_fields``, vocabularies only) and its published
area — never an incident's id, free text, address or coordinates.

Encoding: UTF-8 with a byte order mark (BOM) and CRLF line ends. The BOM is
what lets Excel on Japanese Windows — where most residents and school staff
open a CSV — read UTF-8 instead of Shift_JIS; pandas reads it with
``encoding="utf-8-sig"`` (``read_open_data``). UTF-8 rather than Shift_JIS
because place names such as 「髙」「﨑」 have no Shift_JIS code.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from anshin_lab.app.public_data import PublishedAlert, published_alerts
from anshin_lab.app.workspace import Workspace, require_workspace
from anshin_lab.core.directive import FINEST_PUBLIC_LEVEL, FOLLOWUP_OUTCOMES, PREF_CODE, PREFECTURE, SERVICE_NAME
from anshin_lab.core.files import write_atomic
from anshin_lab.core.glossary import CATEGORIES
from anshin_lab.core.granularity import Granularity
from anshin_lab.drafting.languages.tables import terms
from anshin_lab.privacy import DEFAULT_POLICY, Policy, place_wording

__all__ = ["CSV_ENCODING", "CSV_NAME", "COLUMNS", "Column", "alerts_frame", "coarsening_rules", "data_dictionary",
           "read_open_data", "write_open_data"]

CSV_NAME = "anshin_alerts.csv"
DICTIONARY_CSV = "data_dictionary.csv"
DICTIONARY_MD = "data_dictionary.md"
COARSENING_MD = "coarsening_rules.md"
CSV_ENCODING = "utf-8-sig"
PUBLIC_LEVELS = tuple(level for level in Granularity if level >= FINEST_PUBLIC_LEVEL)
MODEL = ("警察庁の様式による各都道府県警察の犯罪オープンデータ(例: 宮崎県警察 https://odm.bodik.jp/dataset/450006_1069 の"
         "罪名・手口・管轄警察署(発生地)・市区町村コード(発生地)・都道府県(発生地)・市区町村(発生地)・町丁目(発生地)・"
         "発生年月日(始期)・発生時(始期)・発生場所・被害者の職業など)と、山口県・警視庁(メールけいしちょう)の不審者情報の"
         "オープンデータ")


@dataclass(frozen=True)
class Column:
    """One column of the open-data CSV: its header, type, pandas dtype, meaning and allowed values."""

    header: str
    kind: str  # 整数 / 文字列 / 日付
    dtype: str  # what ``read_open_data`` gives
    meaning: str
    allowed: str = ""


def _terms(kind: str, key: str = "ja") -> list[str]:
    return [row[key] for row in terms().get(kind, {}).values()]


COLUMNS: tuple[Column, ...] = (
    Column("配信番号", "整数", "Int64", f"{SERVICE_NAME}の配信の番号(続報は「続報の配信番号」に)"),
    Column("配信年月日", "日付", "datetime64[ns]", "配信した日(日本時間、YYYY-MM-DD)"),
    Column("分類コード", "文字列", "string", "配信の分類のコード", "、".join(CATEGORIES)),
    Column("分類", "文字列", "string", "配信の分類(実施要領の発信対象情報。犯罪オープンデータの「罪名」にあたる)",
           "、".join(CATEGORIES.values())),
    Column("手口", "文字列", "string", "手口(決められた語の中から。記録がそろわないときは空欄)", "、".join(_terms("subtype"))),
    Column("都道府県", "文字列", "string", "都道府県名", PREFECTURE),
    Column("市区町村コード", "文字列", "string",
           "公表した範囲の市区町村の全国地方公共団体コード(JIS X 0402、5桁、検査数字なし)。県全域への配信は空欄"),
    Column("市区町村", "文字列", "string", "公表した範囲の市区町村名(郡名を含む)。県全域への配信は空欄"),
    Column("町丁目(公表単位)", "文字列", "string",
           "公表した範囲の町名(公表単位が街区・町丁目・大字・町のとき。市区町村以上で公表したときは空欄)"),
    Column("公表単位", "文字列", "string", "場所をどこまで細かく公表したか(「発生場所の公表単位」を参照)",
           "、".join(level.label for level in PUBLIC_LEVELS)),
    Column("公表場所", "文字列", "string", "配信で公表した場所の文言(プライバシー判定の文言のまま)"),
    Column("管轄警察署", "文字列", "string", "配信した警察署(記録がそろわないときは空欄)"),
    Column("発生年月日", "日付", "datetime64[ns]", "発生した日(日本時間、YYYY-MM-DD。複数の事案をまとめた配信は最新の日)"),
    Column("発生時間帯", "文字列", "string", "発生した時間帯(時刻は公表しません)", "、".join(_terms("time_band"))),
    Column("被害者", "文字列", "string", "被害者の学職・年代(声かけ等)、行方不明者の年代(決められた語の中から)",
           "、".join(_terms("victim_group"))),
    Column("発生場所", "文字列", "string", "場所の種類(配信で書いた文言。施設などの名前は公表しません)",
           "、".join(dict.fromkeys(w for w in (place_wording(k) for k in terms().get("place_type", {})) if w))),
    Column("名乗り", "文字列", "string", "うそ電話の名乗り(決められた語の中から)", "、".join(_terms("caller_as"))),
    Column("続報", "文字列", "string", "この配信の続報の結果(古い順に「・」でつなぐ。続報がなければ空欄)",
           "、".join(FOLLOWUP_OUTCOMES)),
    Column("最新続報年月日", "日付", "datetime64[ns]", "最後の続報を配信した日(続報がなければ空欄)"),
    Column("続報の配信番号", "文字列", "string", "続報の配信番号(古い順に空白でつなぐ)"),
)
HEADERS = [c.header for c in COLUMNS]
DATE_COLUMNS = [c.header for c in COLUMNS if c.kind == "日付"]
# How the CSV is read: dates as text first, then parsed (pandas picks a varying unit when it parses them itself).
READ_DTYPES = {c.header: ("string" if c.kind == "日付" else c.dtype) for c in COLUMNS}


def _text(value) -> object:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return pd.NA
    text = str(value).strip()
    return text or pd.NA


def _term(kind: str, key) -> object:
    """The Japanese wording of a vocabulary key (the key itself when the table has no row for it)."""
    key = _text(key)
    if key is pd.NA:
        return pd.NA
    return terms().get(kind, {}).get(key, {}).get("ja") or key


def _row(alert: PublishedAlert) -> dict:
    fields = dict(alert.fields or {})
    whole_prefecture = alert.area_level >= Granularity.PREF or str(alert.city_code) == PREF_CODE
    area_name = fields.get("area_name") if "area_name" in fields else (
        alert.area_name if alert.area_level <= Granularity.TOWN else None)
    followups = list(alert.followups)
    return {
        "配信番号": alert.alert_id,
        "配信年月日": alert.sent_at.tz_localize(None).normalize() if alert.sent_at.tzinfo else alert.sent_at.normalize(),
        "分類コード": alert.category,
        "分類": CATEGORIES.get(alert.category, alert.category),
        "手口": _term("subtype", fields.get("subtype")),
        "都道府県": PREFECTURE,
        "市区町村コード": pd.NA if whole_prefecture else _text(alert.city_code),
        "市区町村": pd.NA if whole_prefecture else _text(alert.city),
        "町丁目(公表単位)": _text(area_name) if alert.level <= Granularity.TOWN else pd.NA,
        "公表単位": alert.level.label,
        "公表場所": _text(alert.public_text),
        "管轄警察署": _text(fields.get("station")),
        "発生年月日": pd.Timestamp(fields["date"]) if _text(fields.get("date")) is not pd.NA else pd.NaT,
        "発生時間帯": _term("time_band", fields.get("time_band")),
        "被害者": _term("victim_group", fields.get("victim_group")),
        "発生場所": _text(place_wording(fields.get("place_type"))) if fields.get("place_type") else pd.NA,
        "名乗り": _term("caller_as", fields.get("caller_as")),
        "続報": _text("・".join(str(f.outcome) for f in followups if f.outcome)),
        "最新続報年月日": followups[-1].sent_at.tz_localize(None).normalize() if followups else pd.NaT,
        "続報の配信番号": _text(" ".join(str(f.alert_id) for f in followups)),
    }


def alerts_frame(items: list[PublishedAlert]) -> pd.DataFrame:
    """The open-data table of published alerts: ``COLUMNS``, one row per original alert, by alert number."""
    rows = [_row(alert) for alert in sorted(items, key=lambda a: a.alert_id)]
    frame = pd.DataFrame(rows, columns=HEADERS)
    for column in COLUMNS:
        frame[column.header] = (pd.to_datetime(frame[column.header]).astype("datetime64[ns]")
                                if column.kind == "日付" else frame[column.header].astype(column.dtype))
    return frame


def read_open_data(path) -> pd.DataFrame:
    """Read the open-data CSV back with the documented dtypes (the loader contract of ``data_dictionary.md``)."""
    frame = pd.read_csv(path, encoding=CSV_ENCODING, dtype=READ_DTYPES, keep_default_na=False, na_values=[""])
    for column in DATE_COLUMNS:
        frame[column] = pd.to_datetime(frame[column], format="%Y-%m-%d").astype("datetime64[ns]")
    return frame


def data_dictionary() -> pd.DataFrame:
    """The data dictionary: column, type, pandas dtype, meaning and allowed values of each CSV column."""
    return pd.DataFrame([(c.header, c.kind, c.dtype, c.meaning, c.allowed) for c in COLUMNS],
                        columns=["列名", "型", "pandas dtype", "意味", "取りうる値"])


def _dictionary_markdown(count: int) -> str:
    lines = [
        f"# {SERVICE_NAME} 配信情報オープンデータ 項目定義書", "",
        f"- ファイル: `{CSV_NAME}`(配信 {count} 件。1行が1件の配信で、続報は列で示します)",
        "- 文字コード: UTF-8(BOM付き)、改行は CRLF。BOM は日本語版 Excel で文字化けせずに開くためです。",
        f"- 列の形: {MODEL}に倣いました。地点や時刻は載せず、公表した範囲と時間帯だけを載せます。",
        f"- 載せるのは配信で公表した値だけです。事案の番号・概要・住所・座標は含みません。場所の粗くし方は `{COARSENING_MD}` にあります。",
        "", "## 読み込み方(pandas)", "", "```python", "import pandas as pd", "",
        f"frame = pd.read_csv(\"{CSV_NAME}\", encoding=\"utf-8-sig\", keep_default_na=False, na_values=[\"\"],",
        f"                    dtype={READ_DTYPES!r})",
        f"for column in {DATE_COLUMNS!r}:",
        "    frame[column] = pd.to_datetime(frame[column], format=\"%Y-%m-%d\").astype(\"datetime64[ns]\")",
        "```", "",
        "## 列", "", "| 列名 | 型 | pandas dtype | 意味 | 取りうる値 |", "|---|---|---|---|---|",
    ]
    lines += [f"| {c.header} | {c.kind} | {c.dtype} | {c.meaning} | {c.allowed or '—'} |" for c in COLUMNS]
    return "\n".join(lines) + "\n"


def coarsening_rules(policy: Policy = DEFAULT_POLICY, level_counts: dict | None = None) -> str:
    """How published places were coarsened, in Japanese Markdown, from the privacy ``Policy`` and the directive."""
    facilities = "・".join(sorted(policy.facility_place_types))
    homes = "・".join(sorted(policy.home_place_types))
    sensitive = "・".join(sorted(policy.sensitive_subtypes))
    lines = [
        "# 発生場所の公表単位(場所を粗くする規則)", "",
        "配信・地図・オープンデータ・CAP の場所は、どれも配信ごとに記録したプライバシー判定の範囲だけです。"
        "規則はつぎのとおりです(数値は判定に使っている設定から書き出しています)。", "",
        f"1. 公表する場所は最も細かくても{FINEST_PUBLIC_LEVEL.label}までです。号・番地の一戸や地点(座標)は公表しません。",
        f"2. 公表する範囲には少なくとも {policy.min_households} 世帯が含まれるようにします(2015年国勢調査の世帯数)。",
        f"3. 街区で公表するのは、住居表示の地区で、町丁目の世帯数が {policy.block_min_chome_households} 世帯以上の"
        "ときだけです。地番の地区では番地が一戸に近いため、町名までにします。",
        f"4. 被害者が未成年か、未成年かもしれないときは{policy.minor_level.label}より細かくしません。",
        f"5. 発生場所が住宅({homes})か、場所の種類が分からないときは{policy.home_level.label}より細かくしません。",
        f"6. 発生場所が一つの施設を指してしまう種類({facilities})のときは{policy.facility_level.label}より細かくしません。"
        "施設などの名前は公表しません。",
        f"7. 同じ被害者が繰り返し被害にあっているときは{policy.repeat_level.label}より細かくしません。",
        f"8. 被害者が推測されやすい手口({sensitive})は{policy.sensitive_level.label}より細かくせず、"
        "住宅で起きた(かもしれない)ときは配信しません。",
        "9. 判定より細かく公表するには、役割の異なる承認者2人の記録が要ります。その場合も 2. と 3. は守ります。",
        "10. 地図と CAP の範囲は公表単位の区域の形です(街区で公表したときは、その街区を含む町丁目全体)。"
        "CAP では区域を外側に少し広げてから頂点を減らすので、公表した範囲より狭くなることはありません。",
        "11. 時刻は公表せず、時間帯(深夜・朝・昼間・夕方・夜間)だけを公表します。",
    ]
    if level_counts:
        lines += ["", "## このデータの公表単位の内訳", "", "| 公表単位 | 件数 |", "|---|---|"]
        lines += [f"| {level.label} | {level_counts.get(level, 0)} |" for level in PUBLIC_LEVELS]
    return "\n".join(lines) + "\n"


def write_open_data(ws, out_dir, *, alerts_list: list[PublishedAlert] | None = None) -> list[Path]:
    """Write the open-data CSV, its data dictionary (CSV and Markdown) and the coarsening rules into ``out_dir``.

    ``ws`` is a workspace (or its folder); ``alerts_list`` reuses what
    ``published_alerts`` already returned. The files are public (the
    folder's usual permissions) and each is replaced atomically. Returns the
    files written: the CSV, the dictionary CSV, the dictionary Markdown and the rules.
    """
    if alerts_list is None:
        ws = ws if isinstance(ws, Workspace) else require_workspace(ws)
        alerts_list = published_alerts(ws.root)  # its folder: ``published_alerts`` opens the workspace itself
    out = Path(out_dir)
    frame = alerts_frame(alerts_list)
    csv_text = frame.to_csv(index=False, lineterminator="\r\n", date_format="%Y-%m-%d")
    counts: dict = {}
    for alert in alerts_list:
        counts[alert.level] = counts.get(alert.level, 0) + 1
    written = [
        write_atomic(out / CSV_NAME, csv_text, mode=None, encoding=CSV_ENCODING),
        write_atomic(out / DICTIONARY_CSV, data_dictionary().to_csv(index=False, lineterminator="\r\n"),
                     mode=None, encoding=CSV_ENCODING),
        write_atomic(out / DICTIONARY_MD, _dictionary_markdown(len(frame)), mode=None),
        write_atomic(out / COARSENING_MD, coarsening_rules(DEFAULT_POLICY, counts), mode=None),
    ]
    return written
