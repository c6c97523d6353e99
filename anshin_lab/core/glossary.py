"""Japanese domain terms mapped to their English names, once.

Raw export headers are renamed here at load time; no other module sees them.
The vocabularies are the values the canonical columns may take; ``normalise``
maps the spellings found in real exports onto them.
"""

from __future__ import annotations

import unicodedata

from anshin_lab.core.directive import CATEGORY_RULES

# Canonical incident columns, in the order they are stored and shown.
REQUIRED_COLUMNS = ("incident_id", "category", "occurred_at")
INCIDENT_COLUMNS = (
    "incident_id", "category", "subtype", "occurred_at", "address", "lat", "lon",
    "place_type", "victim_group", "victim_sex", "summary", "actor", "station", "consent",
)
OPTIONAL_COLUMNS = ("age", "height_cm", "build", "clothing", "vehicle", "caller_as")

# Export header (as police exports spell it) -> canonical column.
INCIDENT_HEADERS = {
    "事案番号": "incident_id",
    "分類": "category",
    "手口": "subtype",
    "発生日時": "occurred_at",
    "発生場所": "address",
    "場所属性": "place_type",
    "緯度": "lat",
    "経度": "lon",
    "被害者学職・年代": "victim_group",
    "被害者性別": "victim_sex",
    "概要": "summary",
    "行為者の特徴": "actor",
    "管轄署": "station",
    "配信同意": "consent",
    "年齢": "age",
    "身長": "height_cm",
    "身長(cm)": "height_cm",
    "体格": "build",
    "服装": "clothing",
    "車両": "vehicle",
    "名乗り": "caller_as",
}
# The Japanese header written for each canonical column (the export format).
EXPORT_HEADERS = {col: jp for jp, col in INCIDENT_HEADERS.items() if jp != "身長(cm)"}

# The five categories of the directive (seed §3): code -> Japanese name, from the directive's table.
CATEGORIES = {code: rule.label for code, rule in CATEGORY_RULES.items()}
CATEGORY_ALIASES = {
    **{name: code for code, name in CATEGORIES.items()},
    **{code: code for code in CATEGORIES},
    "声かけ事案": "threat",
    "声掛け事案": "threat",
    "前兆事案": "threat",
    "逃走事案": "fugitive",
    "凶悪事案": "fugitive",
    "特殊詐欺": "fraud",
    "うそ電話": "fraud",
    "地域安全情報": "community",
    "行方不明": "missing",
    "行方不明事案": "missing",
    "行方不明者": "missing",
}

VICTIM_GROUPS = (
    "未就学児", "小学生", "中学生", "高校生", "大学生", "専門学校生", "20代", "30代",
    "40代", "50代", "60代", "70代", "80代以上", "不明", "該当なし",
)
# Victim groups that are minors: consent comes from a guardian (seed §6(2)).
MINOR_GROUPS = frozenset({"未就学児", "小学生", "中学生", "高校生"})
VICTIM_SEXES = ("男", "女", "不明")
PLACE_TYPES = (
    "路上", "歩道", "駐車場", "駐輪場", "公園", "店舗", "施設", "学校", "駅", "バス停",
    "住宅", "住宅敷地内", "集合住宅共用部", "河川敷", "山林", "海岸", "車内", "不明",
)
CONSENT_VALUES = ("あり", "なし", "未確認")

# Spellings seen in exports -> vocabulary value.
_SYNONYMS = {
    "victim_sex": {"男性": "男", "女性": "女", "M": "男", "F": "女", "male": "男", "female": "女", "": "不明"},
    "victim_group": {
        "幼児": "未就学児", "園児": "未就学児", "児童": "小学生", "生徒": "中学生",
        "女子高生": "高校生", "男子高生": "高校生", "大学院生": "大学生",
        "80代": "80代以上", "90代": "80代以上", "90代以上": "80代以上", "": "不明",
    },
    "place_type": {
        "道路上": "路上", "道路": "路上", "路上(歩道)": "歩道", "駐車場内": "駐車場",
        "施設内": "施設", "店舗内": "店舗", "公園内": "公園", "駅構内": "駅", "駅付近": "駅",
        "住宅内": "住宅", "自宅": "住宅", "敷地内": "住宅敷地内", "": "不明",
    },
    "consent": {"有": "あり", "有り": "あり", "済": "あり", "無": "なし", "無し": "なし", "": "未確認", "未": "未確認"},
}
VOCABULARIES = {
    "victim_group": VICTIM_GROUPS,
    "victim_sex": VICTIM_SEXES,
    "place_type": PLACE_TYPES,
    "consent": CONSENT_VALUES,
}


def clean(text) -> str:
    """NFKC-normalise and trim a cell; None and NaN become ''."""
    if text is None:
        return ""
    if isinstance(text, float) and text != text:  # NaN
        return ""
    return unicodedata.normalize("NFKC", str(text)).strip()


def category_code(value) -> str | None:
    """The category code for a code or Japanese name, or None if unknown."""
    text = clean(value)
    return CATEGORY_ALIASES.get(text) or CATEGORY_ALIASES.get(text.lower())


def normalise(column: str, value) -> str | None:
    """The vocabulary value for ``value`` in ``column``, or None if not in it."""
    text = clean(value)
    text = _SYNONYMS.get(column, {}).get(text, text)
    return text if text in VOCABULARIES[column] else None


def header_column(header) -> str | None:
    """The canonical column for an export header (Japanese or English)."""
    text = clean(header).lstrip("\ufeff")
    if text in INCIDENT_HEADERS:
        return INCIDENT_HEADERS[text]
    if text in INCIDENT_COLUMNS or text in OPTIONAL_COLUMNS:
        return text
    return None
