"""SAMPLE DATA: a seeded, deterministic year of made-up safety-mail material.

Nothing here describes a real event or person. The generator gives the demo
and the tests a police-style incident export (CP932, 和暦, a few deliberately
bad rows), a year of うそ電話 calls with a few waves, and a member list on
reserved example domains. The same seed always gives byte-identical files.

The fixed year runs from 2025-12-01 00:00 to 2026-11-30 23:59 (Asia/Tokyo);
the demo treats its end as "now".
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import tempfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from anshin_lab.core import glossary
from anshin_lab.places.address import gazetteer, split_chome
from anshin_lab.places.areas import WGS84
from anshin_lab.core.dates import TOKYO, format_wareki

YEAR_START = pd.Timestamp("2025-12-01 00:00", tz=TOKYO)
YEAR_END = pd.Timestamp("2026-11-30 23:59", tz=TOKYO)
SERVICE_START = pd.Timestamp("2013-04-01 00:00", tz=TOKYO)
WHOLE_PREFECTURE = "鹿児島県"

N_INCIDENTS = 2400
N_FRAUD_CALLS = 3400
N_MEMBERS = 12000

# Share of each category among the incidents (sums to 1).
CATEGORY_SHARES = {"threat": 0.56, "community": 0.205, "fraud": 0.12, "missing": 0.10, "fugitive": 0.015}

# Independent random streams, so adding draws to one generator leaves the others unchanged.
_STREAMS = {"incidents": 1, "fraud_calls": 2, "members": 3}

# ---------------------------------------------------------------------------
# Vocabulary tables: value -> relative weight.

FRAUD_METHODS = {
    "還付金詐欺": 30, "オレオレ詐欺": 22, "預貯金詐欺": 14, "キャッシュカード詐欺盗": 14,
    "架空料金請求詐欺": 12, "融資保証金詐欺": 4, "金融商品詐欺": 4,
}
# Who the caller pretends to be, per method.
CALLERS_BY_METHOD = {
    "還付金詐欺": {"市役所職員": 6, "年金事務所職員": 3, "税務署職員": 2},
    "オレオレ詐欺": {"息子": 7, "弁護士": 2, "警察官": 1},
    "預貯金詐欺": {"警察官": 4, "銀行協会職員": 3, "市役所職員": 2},
    "キャッシュカード詐欺盗": {"警察官": 4, "百貨店職員": 3, "銀行協会職員": 3},
    "架空料金請求詐欺": {"弁護士": 5, "百貨店職員": 2, "税務署職員": 1},
    "融資保証金詐欺": {"銀行協会職員": 3, "弁護士": 1},
    "金融商品詐欺": {"銀行協会職員": 2, "弁護士": 2},
}
FRAUD_PHRASES = {
    "還付金詐欺": "医療費の還付金がある。ATMで手続きをしてほしい",
    "オレオレ詐欺": "会社のお金をなくした。今日中にお金が必要だ",
    "預貯金詐欺": "キャッシュカードが不正に使われている。暗証番号を教えてほしい",
    "キャッシュカード詐欺盗": "キャッシュカードを交換する必要がある。職員が自宅に取りに行く",
    "架空料金請求詐欺": "有料サイトの未払い料金がある。今日中に払わないと裁判になる",
    "融資保証金詐欺": "保証金を振り込めば融資の審査が通る",
    "金融商品詐欺": "必ずもうかる未公開株がある。あなたにだけ紹介する",
}
OUTCOMES = {"予兆": 85, "未遂": 11, "既遂": 4}
FRAUD_AGE_BANDS = {"50代": 4, "60代": 22, "70代": 40, "80代以上": 34}

THREAT_SUBTYPES = {"声かけ": 40, "つきまとい": 15, "露出": 9, "盗撮": 8, "身体接触": 10, "写真撮影": 7, "不審者": 11}
THREAT_GROUPS = {
    "未就学児": 2, "小学生": 30, "中学生": 18, "高校生": 17, "大学生": 5, "専門学校生": 2,
    "20代": 15, "30代": 6, "40代": 3, "不明": 2,
}
CHILD_GROUPS = frozenset({"未就学児", "小学生", "中学生", "高校生"})
THREAT_SEXES = {"女": 85, "男": 13, "不明": 2}
THREAT_PLACES = {
    "路上": 40, "歩道": 10, "公園": 12, "駐車場": 9, "店舗": 7, "駅": 4, "住宅敷地内": 5,
    "集合住宅共用部": 4, "駐輪場": 3, "バス停": 3, "施設": 2, "河川敷": 1,
}
THREAT_CONSENT = {"あり": 85, "未確認": 11, "なし": 4}
KOEKAKE_PHRASES = (
    "家まで送ってあげる", "お菓子をあげるから一緒に来て", "車に乗らない？", "かわいいね、何年生？",
    "道を教えてほしい", "一緒に遊ぼう", "お母さんが病気だから迎えに来た", "写真を撮らせて",
)
THREAT_TEMPLATES = {
    "声かけ": "{situation}の{victim}に対し、{actor}が「{phrase}」などと声をかけたもの。",
    "つきまとい": "{situation}の{victim}が、{actor}に約{metres}メートルにわたって後をつけられたもの。",
    "露出": "{situation}の{victim}に対し、{actor}が下半身を露出したもの。",
    "盗撮": "{place}で、{actor}が{victim}のスカート内をスマートフォンで撮影しようとしたもの。",
    "身体接触": "{situation}の{victim}が、すれ違いざまに{actor}から体を触られたもの。",
    "写真撮影": "{situation}の{victim}が、{actor}からスマートフォンで無断で写真を撮影されたもの。",
    "不審者": "{place}で、{actor}が{victim}の様子をうかがうなど不審な行動をとったもの。",
}
# Generic place words for a place type, as a summary would write them.
PLACE_WORDS = {
    "路上": "路上", "歩道": "歩道", "駐車場": "駐車場", "駐輪場": "駐輪場", "公園": "公園",
    "店舗": "店舗内", "施設": "施設内", "学校": "学校付近", "駅": "駅構内", "バス停": "バス停",
    "住宅": "住宅", "住宅敷地内": "住宅敷地内", "集合住宅共用部": "集合住宅の共用部分",
    "河川敷": "河川敷", "山林": "山林", "海岸": "海岸", "車内": "車内", "不明": "付近",
}
# Victim noun by (group, sex); a missing sex uses the third form.
VICTIM_NOUNS = {
    "未就学児": ("女児", "男児", "幼児"),
    "小学生": ("女子児童", "男子児童", "児童"),
    "中学生": ("女子中学生", "男子中学生", "中学生"),
    "高校生": ("女子高校生", "男子高校生", "高校生"),
    "大学生": ("女子学生", "男子学生", "学生"),
    "専門学校生": ("女子学生", "男子学生", "学生"),
}

AGE_BANDS = {"10歳代": 1, "20歳代": 3, "30歳代": 4, "40歳代": 4, "50歳代": 3, "60歳代": 2, "70歳代": 1}
BUILDS = {"やせ型": 3, "中肉": 5, "小太り": 2, "太め": 1}
HAIR = ("黒色短髪", "白髪まじりの短髪", "茶髪", "坊主頭", "黒色長髪", "黒色帽子着用")
TOPS = ("紺色作業服", "黒色ジャンパー", "灰色パーカー", "白色Tシャツ", "黒色スーツ", "緑色ジャージ",
        "ベージュ色のコート", "青色のシャツ")
BOTTOMS = ("黒色ズボン", "ジーンズ", "灰色スウェット", "紺色ズボン", "ベージュ色のズボン")
SHOES = ("白色の運動靴", "黒色の革靴", "サンダル", "茶色の靴")
VEHICLES = ("白色の軽自動車", "黒色のワンボックスカー", "銀色の普通乗用車", "白色の軽トラック",
            "黒色の自転車", "赤色の原付バイク")
THREAT_MEANS = {"徒歩": 6, "自転車": 2, "車": 2}

FUGITIVE_SUBTYPES = {"強盗逃走": 4, "刃物所持逃走": 3, "傷害逃走": 2, "被留置者逃走": 1}
FUGITIVE_TEMPLATES = {
    "強盗逃走": ("店舗", "店舗内で、{actor}が店員に刃物を示して現金を奪い、{escape}逃走したもの。"),
    "刃物所持逃走": ("路上", "路上で、刃物を持った{actor}が通行人を威嚇し、{escape}逃走したもの。"),
    "傷害逃走": ("路上", "路上で、{actor}が通行人に暴行を加えてけがをさせ、{escape}逃走したもの。"),
    "被留置者逃走": ("施設", "留置施設から被留置者の{actor}が逃走したもの。"),
}

MISSING_SUBTYPES = {
    "行方不明(認知症の疑い)": 65, "行方不明(高齢者)": 25, "行方不明(知的障害)": 6, "行方不明(児童)": 4,
}
MISSING_ORIGINS = ("自宅", "入所先の施設", "入院先の病院", "家族と買い物に訪れた店舗")
MISSING_NOTES = {
    "行方不明(認知症の疑い)": "認知症の疑いがあり、徒歩で外出したとみられる。",
    "行方不明(高齢者)": "持病があり、早期の発見が必要である。",
    "行方不明(知的障害)": "知的障害があり、会話がうまくできないことがある。",
    "行方不明(児童)": "自転車で出かけたとみられる。",
}
MISSING_CONSENT = {"あり": 90, "未確認": 8, "なし": 2}

COMMUNITY_SUBTYPES = {"自転車盗": 25, "車上ねらい": 18, "空き巣": 15, "不審電話": 17, "交通事故多発": 15, "イノシシ出没": 10}
COMMUNITY_TEMPLATES = {
    "自転車盗": ("駐輪場", "駐輪場で、無施錠の自転車が盗まれる被害が相次いでいるもの。自転車を離れるときは必ず鍵をかけてください。"),
    "車上ねらい": ("駐車場", "駐車場に止めていた車の窓ガラスが割られ、車内のバッグが盗まれたもの。車内に貴重品を置かないでください。"),
    "空き巣": ("住宅", "留守中の住宅に何者かが侵入し、現金などが盗まれたもの。外出時は窓も施錠してください。"),
    "不審電話": ("住宅", "住宅に、家族構成や在宅時間を尋ねる不審な電話が相次いでいるもの。"),
    "交通事故多発": ("路上", "夕方の時間帯に、歩行者が関係する交通事故が相次いでいるもの。明るい服装と反射材の活用をお願いします。"),
    "イノシシ出没": ("路上", "集落近くの道路でイノシシが目撃されたもの。見かけても近づかないでください。"),
}

# Hour-of-day profiles (hour -> weight; unlisted hours are 0).
HOURS_CHILD = {6: 0.5, 7: 4, 8: 3, 9: 0.5, 10: 0.5, 11: 0.5, 12: 1, 13: 2, 14: 5, 15: 14, 16: 22,
               17: 18, 18: 8, 19: 3, 20: 1, 21: 0.5, 22: 0.2}
HOURS_ADULT = {0: 2, 1: 1, 2: 0.5, 3: 0.3, 4: 0.3, 5: 0.5, 6: 1.5, 7: 3, 8: 3, 9: 1.5, 10: 1.5, 11: 1.5,
               12: 2, 13: 2, 14: 2, 15: 3, 16: 4, 17: 6, 18: 9, 19: 11, 20: 11, 21: 10, 22: 8, 23: 5}
HOURS_DAYTIME = {8: 2, 9: 8, 10: 12, 11: 12, 12: 6, 13: 11, 14: 13, 15: 12, 16: 9, 17: 5, 18: 2, 19: 1}
HOURS_AWAKE = {h: (3 if 6 <= h <= 21 else 0.5) for h in range(24)}
HOURS_ANY = {h: (2 if h >= 20 or h <= 3 else 1) for h in range(24)}
# Threat incidents rise in spring and autumn (new school year, shorter evenings).
THREAT_MONTHS = {12: 0.8, 1: 0.7, 2: 0.8, 3: 0.9, 4: 1.2, 5: 1.3, 6: 1.2, 7: 1.1, 8: 0.8, 9: 1.1, 10: 1.1, 11: 1.0}

# Members.
MEMBER_CATEGORY_POPULARITY = {"threat": 35, "community": 22, "fraud": 20, "missing": 15, "fugitive": 8}
MEMBER_CATEGORY_COUNTS = {1: 35, 2: 25, 3: 18, 4: 10, 5: 12}
MEMBER_STATUS = {"active": 92, "pending": 3, "unsubscribed": 3.5, "bounced": 1.5}
EMAIL_DOMAINS = {"example.jp": 45, "example.com": 25, "example.net": 18, "example.org": 12}
GIVEN_NAMES = ("taro", "hanako", "kenji", "yuki", "akiko", "hiroshi", "mika", "takashi", "yoko", "daisuke",
               "sakura", "kazuo", "emi", "shota", "naoko", "makoto", "aya", "ryo", "keiko", "tomoko")
FAMILY_NAMES = ("nakamura", "yamashita", "tanaka", "yamaguchi", "hamada", "kawabata", "sato", "maeda",
                "yoshida", "matsumoto", "ikeda", "arima", "sakamoto", "nagata", "fukuda", "kuroki")


# ---------------------------------------------------------------------------
# Random helpers.

def _rng(seed: int, stream: str) -> np.random.Generator:
    """The generator of one stream; each public generator has its own."""
    return np.random.default_rng([int(seed), _STREAMS[stream]])


def _draw(rng: np.random.Generator, table: dict, n: int) -> np.ndarray:
    """``n`` values from a value -> weight table."""
    values = list(table)
    weights = np.asarray(list(table.values()), dtype=float)
    picks = rng.choice(len(values), size=n, p=weights / weights.sum())
    return np.asarray(values, dtype=object)[picks]


def _pick(rng: np.random.Generator, options):
    """One value: from a weight table (dict) or uniformly from a sequence."""
    if isinstance(options, dict):
        return _draw(rng, options, 1)[0]
    return options[rng.integers(len(options))]


def _hour_weights(profile: dict) -> np.ndarray:
    weights = np.zeros(24)
    for hour, weight in profile.items():
        weights[hour] = weight
    return weights / weights.sum()


def _year_days() -> pd.DatetimeIndex:
    """The 365 naive dates of the fixed year."""
    return pd.date_range(YEAR_START.tz_localize(None).normalize(), YEAR_END.tz_localize(None).normalize(), freq="D")


def _day_probabilities(weekday_share: float, months: dict | None) -> np.ndarray:
    """Probability of each day: weekdays share ``weekday_share``, scaled by month."""
    days = _year_days()
    weekday = days.day_of_week < 5
    p = np.where(weekday, weekday_share / weekday.sum(), (1 - weekday_share) / (~weekday).sum())
    if months:
        p = p * days.month.map(months).to_numpy(dtype=float)
    return p / p.sum()


def _random_times(rng, n: int, hours: dict, weekday_share: float = 5 / 7,
                  months: dict | None = None, minute_step: int = 5) -> pd.Series:
    """``n`` aware times in the fixed year from a day and hour-of-day profile."""
    days = _year_days()
    day = rng.choice(len(days), size=n, p=_day_probabilities(weekday_share, months))
    hour = rng.choice(24, size=n, p=_hour_weights(hours))
    minute = rng.integers(0, 60 // minute_step, size=n) * minute_step
    naive = days[day] + pd.to_timedelta(hour, unit="h") + pd.to_timedelta(minute, unit="min")
    return pd.Series(naive.tz_localize(TOKYO))


# ---------------------------------------------------------------------------
# Places.

def _inhabited(small_areas: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Areas with households, in key_code order, so row order never changes the output."""
    if "station" not in small_areas.columns:
        raise ValueError("small_areas needs a 'station' column (areas.assign_stations)")
    areas = small_areas.to_crs(WGS84) if small_areas.crs else small_areas
    areas = areas[areas["households"] > 0].sort_values("key_code", kind="stable")
    return areas.reset_index(drop=True)


def _pick_areas(rng, areas: pd.DataFrame, n: int) -> np.ndarray:
    """Row positions of ``n`` areas, drawn in proportion to population."""
    weights = areas["population"].to_numpy(dtype=float)
    return rng.choice(len(areas), size=n, p=weights / weights.sum())


def _random_points(rng, areas: gpd.GeoDataFrame, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A point inside each chosen area, scattered around its census point.

    Candidates are rounded to 6 decimals before the inside test, so the
    published coordinates are strictly inside their own area.
    """
    geoms = areas.geometry.to_numpy()[rows]
    centre_lat = areas["lat"].to_numpy(dtype=float)[rows]
    centre_lon = areas["lon"].to_numpy(dtype=float)[rows]
    spread = np.clip(0.3 * np.sqrt(shapely.area(geoms)), 0.0005, 0.01)
    lat, lon = np.full(len(rows), np.nan), np.full(len(rows), np.nan)
    todo = np.arange(len(rows))
    for _ in range(30):
        if not len(todo):
            break
        cand_lat = np.round(centre_lat[todo] + rng.normal(0, spread[todo]), 6)
        cand_lon = np.round(centre_lon[todo] + rng.normal(0, spread[todo]), 6)
        inside = shapely.contains_xy(geoms[todo], cand_lon, cand_lat)
        lat[todo[inside]], lon[todo[inside]] = cand_lat[inside], cand_lon[inside]
        todo = todo[~inside]
    if len(todo):  # a sliver cell: fall back to a point on it
        fallback = shapely.point_on_surface(geoms[todo])
        lat[todo], lon[todo] = np.round(shapely.get_y(fallback), 6), np.round(shapely.get_x(fallback), 6)
    return lat, lon


def _town_name(name: str) -> str:
    """The census name as an address writes it (drops notes like 「(1~)」)."""
    return re.sub(r"\(.*\)$", "", name).strip()


def _address(rng, city: str, name: str, near: tuple[float, float], *, hyphen: bool = False) -> str:
    """A made-up 住居表示 (…3丁目12番5号) or 地番 (…123番地4) address in the area.

    The census often writes a town without its former municipality (「木田」
    for 姶良市加治木町木田); the address uses the postal spelling, as people do.
    """
    base, _, chome = split_chome(_town_name(name))
    town = (gazetteer().official_town(city, base, near) or base) + (f"{chome}丁目" if chome else "")
    if chome:
        block, lot = rng.integers(1, 31), rng.integers(1, 26)
        return f"{city}{town}{block}-{lot}" if hyphen else f"{city}{town}{block}番{lot}号"
    number = rng.integers(1, 3001)
    if rng.random() < 0.5:
        return f"{city}{town}{number}番地{rng.integers(1, 20)}"
    return f"{city}{town}{number}番地"


def _locate(rng, areas: gpd.GeoDataFrame, hyphen: np.ndarray) -> pd.DataFrame:
    """Address, point and station for each incident, placed by population."""
    rows = _pick_areas(rng, areas, len(hyphen))
    lat, lon = _random_points(rng, areas, rows)
    cities, names = areas["city"].to_numpy()[rows], areas["name"].to_numpy()[rows]
    addresses = [_address(rng, c, n, (y, x), hyphen=bool(h)) for c, n, y, x, h in zip(cities, names, lat, lon, hyphen)]
    return pd.DataFrame({
        "address": addresses, "lat": lat, "lon": lon,
        "station": areas["station"].astype(str).to_numpy()[rows],
    })


# ---------------------------------------------------------------------------
# Incident records, one builder per category. Each returns the columns that
# do not depend on the place (the place is added by ``_locate``).

def _empty_optional(n: int) -> dict:
    return {col: [None] * n for col in glossary.OPTIONAL_COLUMNS}


def _actor_description(rng) -> str:
    """「男、40歳代、身長170センチくらい、中肉、黒色短髪、紺色作業服」."""
    height = int(rng.integers(32, 38)) * 5
    parts = ["男", _pick(rng, AGE_BANDS), f"身長{height}センチくらい", _pick(rng, BUILDS), _pick(rng, HAIR), _pick(rng, TOPS)]
    if rng.random() < 0.15:  # witnesses often miss a detail
        del parts[int(rng.integers(2, len(parts)))]
    return "、".join(parts)


def _victim_noun(group: str, sex: str) -> str:
    if group in VICTIM_NOUNS:
        female, male, unknown = VICTIM_NOUNS[group]
        return {"女": female, "男": male}.get(sex, unknown)
    return {"女": "女性", "男": "男性"}.get(sex, "通行人")


def _situation(group: str, hour: int, place_type: str) -> str:
    """What the victim was doing, from who they are and when."""
    child = group in CHILD_GROUPS
    if child and place_type == "公園":
        return "公園で遊んでいた"
    if child and 6 <= hour <= 9:
        return "登校中"
    if child and 13 <= hour <= 19:
        return "下校中"
    if place_type in ("店舗", "駐車場"):
        return "買い物中"
    return "帰宅途中" if hour >= 17 or hour <= 2 else "通行中"


def _threat_summary(rng, subtype: str, group: str, sex: str, hour: int, place_type: str, means: str) -> str:
    actor = {"徒歩": "男", "自転車": "自転車に乗った男", "車": "車に乗った男"}[means]
    text = THREAT_TEMPLATES[subtype].format(
        situation=_situation(group, hour, place_type), victim=_victim_noun(group, sex), actor=actor,
        phrase=_pick(rng, KOEKAKE_PHRASES), metres=int(rng.integers(2, 11)) * 50, place=PLACE_WORDS[place_type],
    )
    if rng.random() < 0.5:
        text += {"徒歩": "男は徒歩で立ち去った。", "自転車": "男は自転車で立ち去った。", "車": "男は車で走り去った。"}[means]
    return text


def _threat_records(rng, n: int) -> pd.DataFrame:
    """脅威事犯: 声かけ and the like, against children after school and adults at night."""
    groups = _draw(rng, THREAT_GROUPS, n)
    child = np.isin(groups, list(CHILD_GROUPS))
    after_school = _random_times(rng, n, HOURS_CHILD, 0.85, THREAT_MONTHS)
    evening = _random_times(rng, n, HOURS_ADULT, 0.7, THREAT_MONTHS)
    times = after_school.where(child, evening)
    subtypes, sexes = _draw(rng, THREAT_SUBTYPES, n), _draw(rng, THREAT_SEXES, n)
    places, means = _draw(rng, THREAT_PLACES, n), _draw(rng, THREAT_MEANS, n)
    summaries = [_threat_summary(rng, s, g, x, t.hour, p, m)
                 for s, g, x, t, p, m in zip(subtypes, groups, sexes, times, places, means)]
    optional = _empty_optional(n)
    optional["vehicle"] = [_pick(rng, VEHICLES[:4]) if m == "車" else None for m in means]
    return pd.DataFrame({
        "category": "threat", "subtype": subtypes, "occurred_at": times, "place_type": places,
        "victim_group": groups, "victim_sex": sexes, "summary": summaries,
        "actor": [_actor_description(rng) for _ in range(n)], "consent": _draw(rng, THREAT_CONSENT, n),
        **optional,
    })


def _fugitive_record(rng, subtype: str) -> dict:
    place_type, template = FUGITIVE_TEMPLATES[subtype]
    age, height = int(rng.integers(20, 66)), int(rng.integers(160, 186))
    build, clothing = _pick(rng, BUILDS), f"{_pick(rng, TOPS)}、{_pick(rng, BOTTOMS)}"
    vehicle = None if subtype == "被留置者逃走" or rng.random() < 0.4 else _pick(rng, VEHICLES)
    escape = f"{vehicle}で" if vehicle else "徒歩で"
    summary = template.format(actor="男", escape=escape) + "犯人を見かけても近づかず、110番通報してください。"
    actor = f"男、{age}歳くらい、身長{height}センチくらい、{build}、{clothing}" + (f"、{vehicle}で逃走" if vehicle else "")
    victim = subtype != "被留置者逃走"
    return {
        "subtype": subtype, "place_type": place_type, "summary": summary, "actor": actor,
        "victim_group": _pick(rng, ("20代", "30代", "40代", "50代")) if victim else "該当なし",
        "victim_sex": _pick(rng, ("男", "女")) if victim else "不明",
        "consent": "あり", "age": age, "height_cm": height, "build": build, "clothing": clothing,
        "vehicle": vehicle, "caller_as": None,
    }


def _fugitive_records(rng, n: int) -> pd.DataFrame:
    """凶悪事案等逃走事案: a handful, with a full description of the suspect."""
    records = pd.DataFrame([_fugitive_record(rng, s) for s in _draw(rng, FUGITIVE_SUBTYPES, n)])
    records["category"] = "fugitive"
    records["occurred_at"] = _random_times(rng, n, HOURS_ANY)
    return records


def _fraud_record(rng, method: str) -> dict:
    caller = _pick(rng, CALLERS_BY_METHOD[method])
    summary = f"{caller}を名乗る者から「{FRAUD_PHRASES[method]}」などと電話があったもの。"
    summary += _pick(rng, ("不審に思って家族に相談し、被害はなかった。", "同様の電話が相次いでいる。",
                           "電話でお金の話が出たら詐欺を疑ってください。"))
    sex = "女" if caller in ("市役所職員", "百貨店職員") and rng.random() < 0.3 else "男"
    voice = f"{sex}、声の感じは{_pick(rng, ('20', '30', '40', '50'))}歳代、標準語"
    return {
        "subtype": method, "caller_as": caller, "summary": summary,
        "actor": voice if rng.random() < 0.7 else None,
        "place_type": _pick(rng, {"住宅": 88, "店舗": 7, "施設": 5}),
        "victim_group": _pick(rng, {"60代": 25, "70代": 40, "80代以上": 35}),
        "victim_sex": _pick(rng, {"女": 62, "男": 38}),
        "consent": _pick(rng, {"あり": 92, "未確認": 8}),
    }


def _fraud_records(rng, n: int) -> pd.DataFrame:
    """うそ電話詐欺 reports: weekday daytime calls to older residents."""
    records = pd.DataFrame([_fraud_record(rng, m) for m in _draw(rng, FRAUD_METHODS, n)])
    for col in ("age", "height_cm", "build", "clothing", "vehicle"):
        records[col] = pd.Series([None] * n, dtype=object)
    records["category"] = "fraud"
    records["occurred_at"] = _random_times(rng, n, HOURS_DAYTIME, 0.92)
    return records


def _missing_person(rng, subtype: str) -> tuple[str, int]:
    """Victim group and age for a kind of missing-person case."""
    if subtype == "行方不明(児童)":
        return "小学生", int(rng.integers(6, 13))
    if subtype == "行方不明(知的障害)":
        age = int(rng.integers(20, 60))
        return f"{age // 10 * 10}代", age
    group = _pick(rng, {"60代": 1, "70代": 4, "80代以上": 5})
    low, high = {"60代": (65, 70), "70代": (70, 80), "80代以上": (80, 96)}[group]
    return group, int(rng.integers(low, high))


def _missing_record(rng, subtype: str) -> dict:
    group, age = _missing_person(rng, subtype)
    sex = _pick(rng, ("男", "女"))
    person = {"男": "男性", "女": "女性"}[sex] if group != "小学生" else {"男": "男子児童", "女": "女子児童"}[sex]
    height = int(rng.normal(163 if sex == "男" else 150, 5)) if age >= 15 else int(80 + 6 * age + rng.normal(0, 4))
    clothing = f"{_pick(rng, TOPS)}、{_pick(rng, BOTTOMS)}、{_pick(rng, SHOES)}"
    origin = "自宅" if group == "小学生" else _pick(rng, MISSING_ORIGINS)
    leaving = "ではぐれたまま" if origin.endswith("店舗") else "を出たまま"
    summary = f"{age}歳の{person}が{origin}{leaving}行方が分からなくなっているもの。{MISSING_NOTES[subtype]}"
    return {
        "subtype": subtype, "place_type": "店舗" if origin.endswith("店舗") else "住宅" if origin == "自宅" else "施設",
        "victim_group": group, "victim_sex": sex, "summary": summary, "actor": None,
        "consent": _pick(rng, MISSING_CONSENT), "age": age, "height_cm": height,
        "build": _pick(rng, BUILDS), "clothing": clothing, "vehicle": None, "caller_as": None,
    }


def _missing_records(rng, n: int) -> pd.DataFrame:
    """高齢者等の行方不明事案: mostly people in their 70s and 80s, with a description."""
    records = pd.DataFrame([_missing_record(rng, s) for s in _draw(rng, MISSING_SUBTYPES, n)])
    records["category"] = "missing"
    records["occurred_at"] = _random_times(rng, n, HOURS_AWAKE)
    return records


def _community_records(rng, n: int) -> pd.DataFrame:
    """地域に有益な情報: thefts, nuisance calls, accident spots, wildlife."""
    subtypes = _draw(rng, COMMUNITY_SUBTYPES, n)
    return pd.DataFrame({
        "category": "community", "subtype": subtypes,
        "occurred_at": _random_times(rng, n, HOURS_AWAKE),
        "place_type": [COMMUNITY_TEMPLATES[s][0] for s in subtypes],
        "victim_group": "該当なし", "victim_sex": "不明",
        "summary": [COMMUNITY_TEMPLATES[s][1] for s in subtypes],
        "actor": None, "consent": "あり", **_empty_optional(n),
    })


_BUILDERS = {
    "threat": _threat_records, "community": _community_records, "fraud": _fraud_records,
    "missing": _missing_records, "fugitive": _fugitive_records,
}


def _category_counts(total: int) -> dict[str, int]:
    """Fixed counts per category; rounding slack goes to threat."""
    counts = {cat: int(round(total * share)) for cat, share in CATEGORY_SHARES.items()}
    counts["threat"] += total - sum(counts.values())
    return counts


def _plain(value):
    """None for any missing marker, Python int/str for numpy scalars."""
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return None
    return value.item() if isinstance(value, np.generic) else value


def _nullable(values) -> pd.Series:
    """An object column that keeps None (pandas would turn it into NaN)."""
    return pd.Series([_plain(v) for v in values], dtype=object)


def generate_incidents(small_areas: gpd.GeoDataFrame, seed: int) -> pd.DataFrame:
    """A year of incidents in the canonical columns, ids in time order.

    ``small_areas`` needs a ``station`` column (``areas.assign_stations``).
    """
    rng = _rng(seed, "incidents")
    areas = _inhabited(small_areas)
    parts = [_BUILDERS[cat](rng, n) for cat, n in _category_counts(N_INCIDENTS).items()]
    records = pd.concat(parts, ignore_index=True)
    hyphen = (records["category"] == "threat").to_numpy() & (rng.random(len(records)) < 0.05)
    records = pd.concat([records, _locate(rng, areas, hyphen)], axis=1)
    records = records.sort_values("occurred_at", kind="stable").reset_index(drop=True)
    records["incident_id"] = [f"K2025-{i:06d}" for i in range(1, len(records) + 1)]
    for col in ("actor",) + glossary.OPTIONAL_COLUMNS:
        records[col] = _nullable(records[col])
    return records[list(glossary.INCIDENT_COLUMNS + glossary.OPTIONAL_COLUMNS)]


# ---------------------------------------------------------------------------
# うそ電話 calls.

def _call_outcomes(rng, outcomes: np.ndarray) -> np.ndarray:
    """Loss in yen: 0 unless 既遂, otherwise a few million yen with a long tail."""
    loss = np.round(rng.lognormal(np.log(3_000_000), 1.0, size=len(outcomes)), -3).astype(np.int64)
    return np.where(outcomes == "既遂", np.maximum(loss, 50_000), 0)


def _calls(rng, areas, rows, times, methods, callers, outcome_table) -> pd.DataFrame:
    """Call rows for chosen areas; ~20% are known only down to the municipality."""
    n = len(rows)
    outcomes = _draw(rng, outcome_table, n)
    key_codes = areas["key_code"].astype(str).to_numpy()[rows]
    return pd.DataFrame({
        "occurred_at": times,
        "city_code": areas["city_code"].astype(str).to_numpy()[rows],
        "city": areas["city"].to_numpy()[rows],
        "key_code": _nullable([None if hidden else k for k, hidden in zip(key_codes, rng.random(n) < 0.2)]),
        "station": areas["station"].astype(str).to_numpy()[rows],
        "method": methods, "caller_as": callers, "outcome": outcomes,
        "loss_yen": _call_outcomes(rng, outcomes),
        "victim_age_band": _draw(rng, FRAUD_AGE_BANDS, n),
    })


def _background_calls(rng, areas, n: int) -> pd.DataFrame:
    """Scattered calls: weekday daytime, placed by population."""
    methods = _draw(rng, FRAUD_METHODS, n)
    callers = np.asarray([_pick(rng, CALLERS_BY_METHOD[m]) for m in methods], dtype=object)
    times = _random_times(rng, n, HOURS_DAYTIME, 0.9, minute_step=1)
    return _calls(rng, areas, _pick_areas(rng, areas, n), times, methods, callers, OUTCOMES)


WAVE_MIN_POPULATION = 10_000
WAVE_SCRIPTS = (
    ("還付金詐欺", "市役所職員"), ("還付金詐欺", "市役所職員"), ("還付金詐欺", "年金事務所職員"),
    ("預貯金詐欺", "警察官"), ("キャッシュカード詐欺盗", "銀行協会職員"), ("オレオレ詐欺", "息子"),
    ("キャッシュカード詐欺盗", "百貨店職員"), ("還付金詐欺", "税務署職員"),
)


def _wave_city(rng, areas) -> str:
    """Any municipality big enough for a burst to be plausible, the capital no likelier."""
    population = areas.groupby("city_code")["population"].sum()
    return _pick(rng, sorted(population[population >= WAVE_MIN_POPULATION].index))


def _wave(rng, areas, method: str, caller: str) -> pd.DataFrame:
    """A burst: one caller_as ringing one municipality a dozen+ times in an afternoon."""
    city = _wave_city(rng, areas)
    local = areas[areas["city_code"] == city].reset_index(drop=True)
    size = int(rng.integers(12, 31))
    start = _random_times(rng, 1, {13: 1, 14: 1}, 1.0).iloc[0]
    times = pd.Series(sorted(start + pd.to_timedelta(rng.integers(0, 180, size=size), unit="min")))
    methods, callers = np.full(size, method, dtype=object), np.full(size, caller, dtype=object)
    return _calls(rng, local, _pick_areas(rng, local, size), times, methods, callers,
                  {"予兆": 95, "未遂": 4, "既遂": 1})


def generate_fraud_calls(small_areas: gpd.GeoDataFrame, seed: int) -> pd.DataFrame:
    """A year of うそ電話 calls (mostly 予兆), with a few waves, ids in time order."""
    rng = _rng(seed, "fraud_calls")
    areas = _inhabited(small_areas)
    waves = [_wave(rng, areas, method, caller) for method, caller in WAVE_SCRIPTS]
    background = _background_calls(rng, areas, N_FRAUD_CALLS - sum(len(w) for w in waves))
    calls = pd.concat([background, *waves], ignore_index=True)
    calls = calls.sort_values("occurred_at", kind="stable").reset_index(drop=True)
    calls.insert(0, "call_id", [f"F2025-{i:06d}" for i in range(1, len(calls) + 1)])
    calls["key_code"] = _nullable(calls["key_code"])
    return calls


# ---------------------------------------------------------------------------
# Members.

def _email_local(given: str, family: str, number: int, style: int) -> str:
    """A plausible local part: taro.k1234, kuroki559, yuki_sato07, sato.yuki455."""
    if style == 0:
        return f"{given}.{family[0]}{number}"
    if style == 1:
        return f"{family}{number}"
    if style == 2:
        return f"{given}_{family}{number % 100:02d}"
    return f"{family}.{given}{number % 1000}"


def _email_batch(rng, n: int) -> list[str]:
    givens, families = rng.choice(GIVEN_NAMES, size=n), rng.choice(FAMILY_NAMES, size=n)
    numbers, styles = rng.integers(1, 10000, size=n), rng.integers(0, 4, size=n)
    domains = _draw(rng, EMAIL_DOMAINS, n)
    return [f"{_email_local(g, f, int(x), int(y))}@{d}"
            for g, f, x, y, d in zip(givens, families, numbers, styles, domains)]


def _unique_emails(rng, n: int) -> list[str]:
    """``n`` distinct addresses on reserved example domains (clashes are redrawn)."""
    seen: set[str] = set()
    emails: list[str] = []
    while len(emails) < n:
        for email in _email_batch(rng, n - len(emails)):
            if email not in seen:
                seen.add(email)
                emails.append(email)
    return emails


def _member_categories(rng, n: int) -> list[str]:
    """1-5 category codes each, threat most popular, in the glossary's order."""
    codes = list(glossary.CATEGORIES)
    weights = np.asarray([MEMBER_CATEGORY_POPULARITY[c] for c in codes], dtype=float)
    counts = _draw(rng, MEMBER_CATEGORY_COUNTS, n).astype(int)
    # Weighted sampling without replacement: keep the k largest U ** (1 / weight).
    keys = rng.random((n, len(codes))) ** (1 / weights)
    rank = (-keys).argsort(axis=1).argsort(axis=1)
    chosen = rank < counts[:, None]
    return [";".join(c for c, keep in zip(codes, row) if keep) for row in chosen]


def _member_areas(rng, city: str, station: str, all_cities: np.ndarray) -> str:
    """Own municipality (or station) mostly; sometimes another too; ~10% the whole prefecture."""
    roll = rng.random()
    if roll < 0.10:
        return WHOLE_PREFECTURE
    chosen = [city if roll < 0.80 else station]
    if rng.random() < 0.15:
        other = _pick(rng, all_cities)
        if other not in chosen:
            chosen.append(other)
    return ";".join(chosen)


def _opted_in(rng, statuses: np.ndarray) -> pd.Series:
    """Sign-up times, more of them recent; pending ones in the last two weeks."""
    end = YEAR_END.floor("D") - pd.Timedelta(minutes=1)  # strictly before 2026-11-30
    span = (end - SERVICE_START).total_seconds()
    seconds = span * np.sqrt(rng.random(len(statuses)))
    recent = (end - pd.Timedelta(days=14) - SERVICE_START).total_seconds() + rng.random(len(statuses)) * 14 * 86400
    seconds = np.where(statuses == "pending", recent, seconds)
    return pd.Series(SERVICE_START + pd.to_timedelta(np.floor(seconds), unit="s"))


def generate_members(small_areas: gpd.GeoDataFrame, seed: int) -> pd.DataFrame:
    """Mail subscribers placed by population, on example domains only."""
    rng = _rng(seed, "members")
    areas = _inhabited(small_areas)
    rows = _pick_areas(rng, areas, N_MEMBERS)
    cities, stations = areas["city"].to_numpy()[rows], areas["station"].astype(str).to_numpy()[rows]
    all_cities = np.asarray(sorted(areas["city"].unique()), dtype=object)
    statuses = _draw(rng, MEMBER_STATUS, N_MEMBERS)
    return pd.DataFrame({
        "member_id": [f"M{i:06d}" for i in range(1, N_MEMBERS + 1)],
        "email": _unique_emails(rng, N_MEMBERS),
        "categories": _member_categories(rng, N_MEMBERS),
        "areas": [_member_areas(rng, c, s, all_cities) for c, s in zip(cities, stations)],
        "status": statuses,
        "opted_in_at": _opted_in(rng, statuses),
        "is_staff": rng.random(N_MEMBERS) < 0.03,
    })


# ---------------------------------------------------------------------------
# Writing.

EXPORT_COLUMNS = glossary.INCIDENT_COLUMNS + glossary.OPTIONAL_COLUMNS
EXPORT_ENCODING = "cp932"
BAD_KINDS = ("missing_required", "unknown_category", "impossible_date", "outside_prefecture",
             "swapped_coordinates", "duplicate_conflict")
IMPOSSIBLE_DATE = "令和7年2月30日(日)午後3時頃"
TOKYO_POINT = (35.68, 139.76)
# The re-exported duplicate carries an edited 概要, as a later revision would.
DUPLICATE_NOTE = "(続報)その後の調べで、発生場所の詳細が判明した。"
# Every 50th incident (by number) is exported with its address only, no coordinates.
ADDRESS_ONLY_EVERY = 50


def _cell(value) -> str:
    """A value as export text: None/NaN empty, numbers plain."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    return str(value)


def _export_cells(row: dict) -> dict[str, str]:
    """One incident as export text, keyed by canonical column."""
    cells = {col: _cell(row[col]) for col in EXPORT_COLUMNS}
    cells["category"] = glossary.CATEGORIES[row["category"]]
    cells["occurred_at"] = format_wareki(row["occurred_at"])
    if int(row["incident_id"][-6:]) % ADDRESS_ONLY_EVERY == 0:
        cells["lat"] = cells["lon"] = ""
    else:
        cells["lat"], cells["lon"] = f"{row['lat']:.6f}", f"{row['lon']:.6f}"
    return cells


def _bad_row(kind: str, base: dict, new_id: str) -> dict[str, str]:
    """A copy of an incident's cells broken in one way."""
    cells = _export_cells(base)
    if kind != "duplicate_conflict":
        cells["incident_id"] = new_id
    if kind == "missing_required":
        cells["occurred_at"] = ""
    elif kind == "unknown_category":
        cells["category"] = "交通違反"
    elif kind == "impossible_date":
        cells["occurred_at"] = IMPOSSIBLE_DATE
    elif kind == "outside_prefecture":
        cells["lat"], cells["lon"] = f"{TOKYO_POINT[0]:.6f}", f"{TOKYO_POINT[1]:.6f}"
    elif kind == "swapped_coordinates":
        cells["lat"], cells["lon"] = f"{base['lon']:.6f}", f"{base['lat']:.6f}"
    elif kind == "duplicate_conflict":
        cells["summary"] = base["summary"] + DUPLICATE_NOTE
    return cells


def _rows_with_bad(records: list[dict]) -> tuple[list[dict[str, str]], list[dict]]:
    """All incidents plus one bad row per kind, spread evenly through the file.

    Each bad row is a broken copy of the incident just before it, under a
    new id; the duplicate keeps that incident's id with an edited summary.
    """
    n = len(records)
    positions = {round(n * (k + 1) / (len(BAD_KINDS) + 1)): kind for k, kind in enumerate(BAD_KINDS)}
    rows, report = [], []
    for i, record in enumerate(records):
        kind = positions.get(i)
        if kind is not None:
            base = records[i - 1]
            new_id = f"K2025-{n + len(report) + 1:06d}"
            cells = _bad_row(kind, base, new_id)
            rows.append(cells)
            report.append({"row": len(rows) + 1, "kind": kind, "incident_id": cells["incident_id"]})
        rows.append(_export_cells(record))
    return rows, report


def _csv_text(header: list[str], rows: list[list], lineterminator: str) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=lineterminator)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def _write_atomic(path: Path, data: bytes) -> None:
    """Write to a temp file in the same folder, then rename over ``path``."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_incident_export(incidents: pd.DataFrame, path, *, bad_rows: bool = True) -> list[dict]:
    """Write incidents as a police system export: CP932, CRLF, Japanese headers, 和暦.

    Returns the deliberately bad rows as ``{"row", "kind", "incident_id"}``
    (``row`` counts the header as row 1); empty when ``bad_rows`` is False.
    """
    records = incidents.to_dict("records")
    if bad_rows:
        rows, report = _rows_with_bad(records)
    else:
        rows, report = [_export_cells(r) for r in records], []
    header = [glossary.EXPORT_HEADERS[col] for col in EXPORT_COLUMNS]
    text = _csv_text(header, [[cells[col] for col in EXPORT_COLUMNS] for cells in rows], "\r\n")
    _write_atomic(Path(path), text.encode(EXPORT_ENCODING, errors="strict"))
    return report


def _iso_frame(frame: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    """A copy with timestamps as ISO 8601 text (2026-01-05T14:10:00+09:00)."""
    frame = frame.copy()
    for col in columns:
        frame[col] = [t.isoformat() for t in frame[col]]
    return frame


def _write_utf8_csv(frame: pd.DataFrame, path: Path) -> None:
    _write_atomic(path, frame.to_csv(index=False, lineterminator="\n").encode("utf-8"))


def write_sample(sample_dir, small_areas: gpd.GeoDataFrame, seed: int) -> dict:
    """Generate and write the whole sample: export, calls, members and bad-row list."""
    sample_dir = Path(sample_dir)
    sample_dir.mkdir(parents=True, exist_ok=True)
    paths = {name: sample_dir / file for name, file in (
        ("incidents", "incidents_export.csv"), ("fraud_calls", "fraud_calls.csv"),
        ("members", "members.csv"), ("bad_rows", "bad_rows.json"))}
    incidents = generate_incidents(small_areas, seed)
    calls = generate_fraud_calls(small_areas, seed)
    members = generate_members(small_areas, seed)
    bad = write_incident_export(incidents, paths["incidents"])
    _write_utf8_csv(_iso_frame(calls, ("occurred_at",)), paths["fraud_calls"])
    _write_utf8_csv(_iso_frame(members, ("opted_in_at",)), paths["members"])
    _write_atomic(paths["bad_rows"], json.dumps(bad, ensure_ascii=False, indent=2).encode("utf-8"))
    return {"incidents": len(incidents), "fraud_calls": len(calls), "members": len(members),
            "bad_rows": len(bad), "paths": paths}
