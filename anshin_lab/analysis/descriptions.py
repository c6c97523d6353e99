"""Witnesses' descriptions of an actor, normalised into comparable attributes.

Witnesses describe the same man in different words: 「白い軽自動車」「白色の軽」
「白っぽいワゴン車」; 「やせ型」「細身」「痩せ」; 「30代」「40歳くらい」. This module
reads the free text of an incident (``actor``, ``vehicle``, ``clothing``,
``build``, ``age``, ``height_cm`` and, for the way the actor moved and what he
said, ``summary``) into codes: each categorical attribute is a small integer
(-1 when the text says nothing about it), and :data:`SIMILARITY` holds, per
attribute, the table of how alike two codes are (1 the same, a fraction for
near values such as 紺/青 or 軽自動車/ワゴン, 0 different). Comparing two
incidents is then a table look-up, so millions of pairs compare at numpy speed.

Pure: the frame is passed in, nothing is read from disk.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import numpy as np
import pandas as pd

# -- vocabularies: (pattern, canonical value), tried in order; the first match wins ------------

COLOURS = (
    ("黒|ブラック", "黒"), ("白|ホワイト", "白"), ("灰|グレー|グレイ|ねずみ", "灰"), ("紺|ネイビー", "紺"),
    ("水色|青|ブルー", "青"), ("茶|ブラウン", "茶"), ("ベージュ", "ベージュ"), ("緑|グリーン|カーキ", "緑"),
    ("赤|レッド|えんじ", "赤"), ("銀|シルバー", "銀"), ("黄|イエロー", "黄"), ("ピンク", "ピンク"),
    ("紫", "紫"), ("オレンジ|橙", "オレンジ"),
)
# Colours a witness easily confuses (dark blue for black, silver for grey or white).
NEAR_COLOURS = (("紺", "青"), ("紺", "黒"), ("灰", "銀"), ("白", "銀"), ("茶", "ベージュ"), ("灰", "白"))

UPPER_ITEMS = (
    ("作業服|作業着|つなぎ", "作業服"), ("ジャンパー|ジャケット|ブルゾン|上着|ウインドブレーカー", "上着"),
    ("パーカー", "パーカー"), ("Tシャツ", "Tシャツ"), ("シャツ", "シャツ"), ("スーツ|背広", "スーツ"),
    ("ジャージ", "ジャージ"), ("トレーナー", "トレーナー"), ("コート", "コート"), ("セーター|ニット(?!帽)", "セーター"),
)
NEAR_UPPER = (("上着", "コート"), ("上着", "パーカー"), ("作業服", "上着"), ("シャツ", "Tシャツ"),
              ("ジャージ", "トレーナー"), ("パーカー", "トレーナー"))
LOWER_ITEMS = (
    ("ジーンズ|ジーパン|デニム", "ジーンズ"), ("スウェット", "スウェット"), ("短パン|ハーフパンツ", "短パン"),
    ("ズボン|パンツ|スラックス", "ズボン"), ("スカート", "スカート"),
)
NEAR_LOWER = (("ズボン", "ジーンズ"), ("ズボン", "スウェット"))
# Things worn or carried: one bit each.
ACCESSORIES = (
    ("マスク", "マスク"), ("サングラス", "サングラス"), ("メガネ|眼鏡|めがね", "メガネ"),
    ("帽子|キャップ|ハット|ニット帽", "帽子"), ("リュック|バッグ|かばん|カバン", "かばん"), ("手袋", "手袋"),
    ("ヘルメット", "ヘルメット"),
)
HAIR = (
    ("白髪|ごま塩", "白髪"), ("茶髪|金髪|茶色の髪|茶色い髪", "茶髪"), ("坊主|丸刈り|スキンヘッド|五分刈り", "坊主"),
    ("長髪|ロングヘア|長い髪", "長髪"), ("パーマ", "パーマ"), ("短髪|短い髪|スポーツ刈り", "短髪"),
)
NEAR_HAIR = (("短髪", "坊主"), ("短髪", "白髪"))
# Builds, ordered thin < medium < heavy: a neighbour counts a little.
BUILDS = (
    ("小太り|太め|太った|ぽっちゃり|肥満|太り気味|がっちり|大柄|体格が良い|体格のよい", "太め"),
    ("やせ|痩せ|細身|スリム|細め|きゃしゃ|細い", "やせ型"), ("中肉|普通|標準", "中肉"),
)
NEAR_BUILDS = (("やせ型", "中肉"), ("中肉", "太め"))
VEHICLES = (
    ("軽トラ", "軽トラック"), ("軽自動車|軽ワゴン|軽四|軽(?:$|[^ト])", "軽自動車"),
    ("ワゴン|ワンボックス|ミニバン", "ワゴン車"), ("セダン|普通乗用車|乗用車|普通車", "乗用車"),
    ("トラック", "トラック"), ("原付|スクーター|バイク|オートバイ", "バイク"), ("自転車", "自転車"),
    ("車", "車"),
)
# 「白色の軽」 and 「白っぽいワゴン車」 are often the same 軽ワゴン; a bare 「車」 is any car.
NEAR_VEHICLES = (("軽自動車", "ワゴン車", 0.6), ("ワゴン車", "乗用車", 0.4), ("軽自動車", "乗用車", 0.3),
                 ("軽トラック", "トラック", 0.6), ("軽トラック", "軽自動車", 0.3), ("車", "軽自動車", 0.5),
                 ("車", "ワゴン車", 0.5), ("車", "乗用車", 0.5), ("車", "軽トラック", 0.5), ("車", "トラック", 0.5))
MODES = ("車", "バイク", "自転車", "徒歩")
MODE_OF_VEHICLE = {"軽トラック": "車", "軽自動車": "車", "ワゴン車": "車", "乗用車": "車", "トラック": "車",
                   "車": "車", "バイク": "バイク", "自転車": "自転車"}
# How the summary says the actor moved, tried in order.
SUMMARY_MODES = (("自転車", "自転車"), ("バイク|原付|スクーター", "バイク"), ("車", "車"), ("徒歩|歩いて", "徒歩"))
# 手口 families: 声かけ and つきまとい are often the same man's approach.
SUBTYPE_FAMILIES = {
    "声かけ": "接近", "声掛け": "接近", "つきまとい": "接近", "不審者": "接近", "不審行動": "接近",
    "露出": "露出", "公然わいせつ": "露出", "盗撮": "撮影", "写真撮影": "撮影", "のぞき": "撮影",
    "身体接触": "接触", "痴漢": "接触",
}
CHILD_VICTIMS = frozenset({"未就学児", "小学生", "中学生", "高校生"})


def _codes(vocabulary) -> tuple[str, ...]:
    values = []
    for _, value in vocabulary:
        if value not in values:
            values.append(value)
    return tuple(values)


def _table(values: tuple[str, ...], near=(), near_score: float = 0.5) -> np.ndarray:
    """The similarity table of a vocabulary: 1 on the diagonal, ``near`` pairs in between."""
    index = {v: i for i, v in enumerate(values)}
    table = np.eye(len(values))
    for pair in near:
        a, b = pair[0], pair[1]
        score = pair[2] if len(pair) > 2 else near_score
        table[index[a], index[b]] = table[index[b], index[a]] = score
    return table


COLOUR_VALUES = _codes(COLOURS)
UPPER_VALUES = _codes(UPPER_ITEMS)
LOWER_VALUES = _codes(LOWER_ITEMS)
ACCESSORY_VALUES = _codes(ACCESSORIES)
HAIR_VALUES = _codes(HAIR)
BUILD_VALUES = _codes(BUILDS)
VEHICLE_VALUES = _codes(VEHICLES)
FAMILY_VALUES = tuple(dict.fromkeys(SUBTYPE_FAMILIES.values()))

# Per categorical attribute: its values and how alike two of them are.
VALUES = {
    "top_item": UPPER_VALUES, "top_colour": COLOUR_VALUES, "bottom_item": LOWER_VALUES,
    "bottom_colour": COLOUR_VALUES, "hair": HAIR_VALUES, "build": BUILD_VALUES,
    "vehicle_kind": VEHICLE_VALUES, "vehicle_colour": COLOUR_VALUES, "mode": MODES,
}
SIMILARITY = {
    "top_item": _table(UPPER_VALUES, NEAR_UPPER), "top_colour": _table(COLOUR_VALUES, NEAR_COLOURS),
    "bottom_item": _table(LOWER_VALUES, NEAR_LOWER), "bottom_colour": _table(COLOUR_VALUES, NEAR_COLOURS),
    "hair": _table(HAIR_VALUES, NEAR_HAIR, 0.4), "build": _table(BUILD_VALUES, NEAR_BUILDS, 0.3),
    "vehicle_kind": _table(VEHICLE_VALUES, NEAR_VEHICLES), "vehicle_colour": _table(COLOUR_VALUES, NEAR_COLOURS),
    "mode": _table(MODES),
}
# The columns of ``describe_actors`` (codes, numbers and the words they were read from).
FEATURE_COLUMNS = (
    "age_lo", "age_hi", "height_cm", "build", "hair", "top_item", "top_colour", "bottom_item", "bottom_colour",
    "accessories", "vehicle_kind", "vehicle_colour", "mode", "subtype", "family", "hour", "child_victim", "phrase",
    "age_text", "height_text", "build_text", "hair_text", "top_text", "bottom_text", "accessory_text",
    "vehicle_text",
)


def _compile(vocabulary):
    return tuple((re.compile(pattern), value) for pattern, value in vocabulary)


_COLOURS, _UPPER, _LOWER, _ACCESSORIES = map(_compile, (COLOURS, UPPER_ITEMS, LOWER_ITEMS, ACCESSORIES))
_HAIR, _BUILDS, _VEHICLES, _SUMMARY_MODES = map(_compile, (HAIR, BUILDS, VEHICLES, SUMMARY_MODES))
_AGE_RANGE = re.compile(r"(\d{1,2})\s*[~〜\-ー]\s*(\d{1,2})\s*歳")
_AGE_BAND = re.compile(r"(\d{1,2})\s*(?:歳)?代(前半|後半|半ば)?")
_AGE_POINT = re.compile(r"(\d{1,2})\s*歳(?:くらい|ぐらい|位|前後|程度|位い)?")
_AGE_WORDS = (("若い|若者|若年", (18, 29)), ("中年", (40, 59)), ("初老|高齢|老人", (60, 79)))
_HEIGHT_RANGE = re.compile(r"(1\d{2})\s*[~〜\-ー]\s*(1\d{2})")
_HEIGHT = re.compile(r"(1\d{2})\s*(?:センチ|cm)|身長\s*(1\d{2})")
_PHRASE = re.compile(r"「([^」]{2,40})」")


def fold(text) -> str:
    """NFKC text without surrounding space; None and NaN become ''."""
    if text is None or (isinstance(text, float) and text != text):
        return ""
    return unicodedata.normalize("NFKC", str(text)).strip()


def _first(patterns, text: str) -> tuple[str | None, str]:
    """The canonical value of the first pattern found in ``text`` and the words matched."""
    for pattern, value in patterns:
        found = pattern.search(text)
        if found:
            return value, found.group(0)
    return None, ""


def read_age(text: str) -> tuple[float, float, str]:
    """(low, high, words) of an age as a witness gives it; NaNs when the text has none.

    「30代」 is 30–39 (「30代前半」 30–34), 「40歳くらい」 37–43 (a witness's
    guess, ±3), 「30~40歳」 30–40, 「中年」 40–59.
    """
    found = _AGE_RANGE.search(text)
    if found:
        low, high = sorted((int(found.group(1)), int(found.group(2))))
        return float(low), float(high), found.group(0)
    found = _AGE_BAND.search(text)
    if found:
        decade, part = int(found.group(1)), found.group(2)
        low, high = {"前半": (0, 4), "後半": (5, 9), "半ば": (3, 7)}.get(part, (0, 9))
        return float(decade + low), float(decade + high), found.group(0)
    found = _AGE_POINT.search(text)
    if found:
        age = int(found.group(1))
        return float(age - 3), float(age + 3), found.group(0)
    for pattern, (low, high) in _AGE_WORDS:
        found = re.search(pattern, text)
        if found:
            return float(low), float(high), found.group(0)
    return np.nan, np.nan, ""


def read_height(text: str) -> tuple[float, str]:
    """Height in cm (the middle of a range) and the words; NaN when the text has none."""
    found = _HEIGHT_RANGE.search(text)
    if found:
        return (int(found.group(1)) + int(found.group(2))) / 2, found.group(0)
    found = _HEIGHT.search(text)
    if found:
        return float(found.group(1) or found.group(2)), found.group(0)
    return np.nan, ""


@lru_cache(maxsize=200_000)
def read_actor(text: str) -> dict:
    """The attributes one actor description gives (values as words; None when not said).

    The text is split at 、 and similar marks; a part naming a garment gives
    that garment and its colour, a part naming a vehicle its kind and colour.
    """
    low, high, age_text = read_age(text)
    height, height_text = read_height(text)
    found: dict = {"age_lo": low, "age_hi": high, "age_text": age_text, "height_cm": height,
                   "height_text": height_text, "accessories": []}
    found["build"], found["build_text"], found["hair"], found["hair_text"] = None, "", None, ""
    for part in re.split(r"[、,，]", text):
        colour, _ = _first(_COLOURS, part)
        vehicle, _ = _first(_VEHICLES, part)
        if vehicle is not None:  # 「白色の普通乗用車で逃走」: a vehicle, never a build or a garment
            if found.get("vehicle_item") is None:
                found["vehicle_item"], found["vehicle_colour"], found["vehicle_text"] = vehicle, colour, part
            continue
        for slot, patterns in (("build", _BUILDS), ("hair", _HAIR)):
            value, _ = _first(patterns, part)
            if value is not None and found[slot] is None:
                found[slot], found[f"{slot}_text"] = value, part.strip()
        for slot, patterns in (("top", _UPPER), ("bottom", _LOWER)):
            value, _ = _first(patterns, part)
            if value is not None and found.get(f"{slot}_item") is None:
                found[f"{slot}_item"], found[f"{slot}_colour"], found[f"{slot}_text"] = value, colour, part
        if colour is not None and found.get("top_colour") is None and re.search(r"服|服装|上下", part):
            found["top_colour"], found["top_text"] = colour, part  # 「黒っぽい服」: a colour, no garment
        for pattern, value in _ACCESSORIES:
            if pattern.search(part) and value not in found["accessories"]:
                found["accessories"].append(value)
    return found


def _code(values: tuple[str, ...], words) -> np.ndarray:
    index = {v: i for i, v in enumerate(values)}
    return np.fromiter((index.get(w, -1) if w is not None else -1 for w in words), dtype=np.int16, count=len(words))


def _column(incidents: pd.DataFrame, name: str) -> list[str]:
    """A column as folded text (each distinct value folded once)."""
    if name not in incidents.columns:
        return [""] * len(incidents)
    values = incidents[name].astype(object).where(incidents[name].notna(), None).tolist()
    folded = {v: fold(v) for v in set(values)}
    return [folded[v] for v in values]


@lru_cache(maxsize=200_000)
def _read_incident(actor: str, vehicle: str, build: str) -> dict:
    """``read_actor`` of the text, with the ``vehicle`` and ``build`` columns winning where they say something."""
    row = dict(read_actor(actor))
    if vehicle:
        kind, _ = _first(_VEHICLES, vehicle)
        if kind is not None:
            row.update(vehicle_item=kind, vehicle_colour=_first(_COLOURS, vehicle)[0], vehicle_text=vehicle)
    if build:
        value, _ = _first(_BUILDS, build)
        if value is not None:
            row.update(build=value, build_text=build)
    return row


def clear_caches() -> None:
    """Forget the descriptions read so far (they are kept by text, for speed)."""
    for cached in (read_actor, _read_incident, _read_summary):
        cached.cache_clear()


@lru_cache(maxsize=200_000)
def _read_summary(summary: str) -> tuple[str | None, str]:
    """(how the actor moved, the first words quoted) of a 概要."""
    told = _PHRASE.sub("", summary)  # 「車に乗らない？」 is what he said, not how he came
    quoted = _PHRASE.search(summary)
    return _first(_SUMMARY_MODES, told)[0], quoted.group(1) if quoted else ""


def describe_actors(incidents: pd.DataFrame) -> pd.DataFrame:
    """The normalised attributes of each incident's actor, one row per incident (same index).

    Reads ``actor`` with ``clothing`` appended, then the structured columns
    ``build``, ``age``, ``height_cm`` and ``vehicle`` where they are filled
    (they win over the free text), ``subtype``, ``occurred_at`` (hour of day,
    Asia/Tokyo as given), ``victim_group`` and, from ``summary``, the way the
    actor moved (when no vehicle says it) and the first words quoted in 「」.
    Missing columns count as empty. Categorical codes index :data:`VALUES`
    (-1: not said); ``accessories`` is a bit mask over ``ACCESSORY_VALUES``.
    """
    actor = [a + ("、" + c if c else "") for a, c in zip(_column(incidents, "actor"), _column(incidents, "clothing"))]
    rows = [_read_incident(a, v, b) for a, v, b in zip(actor, _column(incidents, "vehicle"),
                                                        _column(incidents, "build"))]
    frame = pd.DataFrame(index=incidents.index)
    for col in ("age_lo", "age_hi", "height_cm"):
        frame[col] = np.array([r[col] for r in rows], dtype=float)
    if "age" in incidents.columns:
        age = pd.to_numeric(incidents["age"], errors="coerce").to_numpy(dtype=float)
        given = ~np.isnan(age)
        frame.loc[given, "age_lo"], frame.loc[given, "age_hi"] = age[given] - 2, age[given] + 2
    if "height_cm" in incidents.columns:
        height = pd.to_numeric(incidents["height_cm"], errors="coerce").to_numpy(dtype=float)
        frame.loc[~np.isnan(height), "height_cm"] = height[~np.isnan(height)]
    frame["build"] = _code(BUILD_VALUES, [r["build"] for r in rows])
    frame["hair"] = _code(HAIR_VALUES, [r["hair"] for r in rows])
    frame["top_item"] = _code(UPPER_VALUES, [r.get("top_item") for r in rows])
    frame["top_colour"] = _code(COLOUR_VALUES, [r.get("top_colour") for r in rows])
    frame["bottom_item"] = _code(LOWER_VALUES, [r.get("bottom_item") for r in rows])
    frame["bottom_colour"] = _code(COLOUR_VALUES, [r.get("bottom_colour") for r in rows])
    bits = {v: 1 << i for i, v in enumerate(ACCESSORY_VALUES)}
    frame["accessories"] = np.array([sum(bits[a] for a in r["accessories"]) for r in rows], dtype=np.int32)
    frame["vehicle_kind"] = _code(VEHICLE_VALUES, [r.get("vehicle_item") for r in rows])
    frame["vehicle_colour"] = _code(COLOUR_VALUES, [r.get("vehicle_colour") for r in rows])
    summaries = [_read_summary(s) for s in _column(incidents, "summary")]
    modes = [MODE_OF_VEHICLE.get(r.get("vehicle_item")) or s[0] for r, s in zip(rows, summaries)]
    frame["mode"] = _code(MODES, modes)
    subtypes = _column(incidents, "subtype")
    frame["subtype"] = subtypes
    frame["family"] = _code(FAMILY_VALUES, [SUBTYPE_FAMILIES.get(s) for s in subtypes])
    if "occurred_at" in incidents.columns:
        when = pd.DatetimeIndex(incidents["occurred_at"])
        frame["hour"] = (when.hour + when.minute / 60).to_numpy(dtype=float)
    else:
        frame["hour"] = np.nan
    groups = _column(incidents, "victim_group")
    frame["child_victim"] = np.array([1 if g in CHILD_VICTIMS else 0 if g and g not in ("不明", "該当なし") else -1
                                      for g in groups], dtype=np.int8)
    frame["phrase"] = [s[1] for s in summaries]
    for col in ("age_text", "height_text", "build_text", "hair_text"):
        frame[col] = [r[col] for r in rows]
    frame["top_text"] = [r.get("top_text", "") for r in rows]
    frame["bottom_text"] = [r.get("bottom_text", "") for r in rows]
    frame["accessory_text"] = ["・".join(r["accessories"]) for r in rows]
    frame["vehicle_text"] = [r.get("vehicle_text", "") for r in rows]
    return frame[list(FEATURE_COLUMNS)]
