"""SAMPLE DATA: planted series of 脅威事犯 — the same made-up man again and again — and decoys.

Nothing here describes a real event or person. ``plan_series`` invents
``SERIES_COUNT`` men, each behind 3–8 incidents over days to weeks within a
couple of km (``CROSSING_COUNT`` of them placed on a boundary between two
stations' districts), and writes each incident's description as a different
witness would: the vehicle as 「白い軽自動車」, 「白色の軽」 or 「白っぽいワゴン車」
or not seen at all, the age a decade off now and then (「30歳代」/「40歳くらい」),
the height ±5 cm, the build in other words (やせ型/細身/痩せ型), clothes partly
the same, 手口 and hour alike. Decoys are unrelated incidents placed among a
series that share its common words (黒っぽい服, 中肉, the same decade) but not
the man's distinctive ones (hair, height, vehicle), so linking them would be
wrong. The sample generator adds the summary text and the address
(``demo.sample``) and writes the truth beside the sample (``series_truth.csv``).
"""

from __future__ import annotations

import re

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from anshin_lab.core.dates import TOKYO
from anshin_lab.demo.draws import pick
from anshin_lab.demo.vocabulary import KOEKAKE_PHRASES, THREAT_GROUPS, THREAT_PLACES

SERIES_COUNT = 20
CROSSING_COUNT = 6
DECOYS_PER_SERIES = (1, 2)  # each series gets this many decoys (inclusive range)
# Series stay off the sample's last week, which the demo turns into alerts.
FIRST_DAY = pd.Timestamp("2025-12-05", tz=TOKYO)
LAST_DAY = pd.Timestamp("2026-11-20", tz=TOKYO)
PLAN_COLUMNS = ("series_id", "role", "subtype", "occurred_at", "place_type", "victim_group", "victim_sex",
                "actor", "vehicle", "means", "phrase", "lat", "lon", "station", "area")

# -- how witnesses word the same thing ----------------------------------------------------------
AGE_RANGE = (20, 66)
HEIGHTS = (160, 165, 170, 175, 180, 185)
BUILD_WORDS = {
    "thin": ("やせ型", "細身", "痩せ型", "やせている", "スリムな体型"),
    "medium": ("中肉", "中肉中背", "普通体型"),
    "heavy": ("小太り", "太め", "ぽっちゃりした体型", "がっちりした体格"),
}
BUILD_NEIGHBOUR = {"thin": "medium", "medium": "thin", "heavy": "medium"}
HAIR_WORDS = {
    "short": ("黒色短髪", "短髪", "黒い短髪"),
    "shaved": ("坊主頭", "丸刈り", "坊主"),
    "dyed": ("茶髪", "茶色の髪", "茶髪の短髪"),
    "grey": ("白髪まじりの短髪", "白髪まじり", "ごま塩頭"),
    "long": ("黒色長髪", "長髪", "肩までの長い髪"),
}
COLOUR_WORDS = {
    "黒": ("黒色", "黒い", "黒っぽい"), "白": ("白色", "白い", "白っぽい"), "紺": ("紺色", "紺色の", "濃紺の"),
    "灰": ("灰色", "グレーの", "灰色の"), "緑": ("緑色", "緑色の", "深緑の"), "青": ("青色", "青い", "水色の"),
    "ベージュ": ("ベージュ色の", "ベージュの", "薄茶色の"), "赤": ("赤色", "赤い", "えんじ色の"),
}
TOP_WORDS = {
    "作業服": ("作業服", "作業着", "つなぎ"), "上着": ("ジャンパー", "上着", "ジャケット"),
    "パーカー": ("パーカー", "フード付きパーカー"), "Tシャツ": ("Tシャツ", "半袖Tシャツ"),
    "ジャージ": ("ジャージ", "ジャージ上下"), "コート": ("コート", "ロングコート"), "スーツ": ("スーツ", "背広"),
}
BOTTOM_WORDS = {"ズボン": ("ズボン", "長ズボン", "スラックス"), "ジーンズ": ("ジーンズ", "ジーパン"),
                "スウェット": ("スウェット", "スウェットパンツ"), "短パン": ("短パン", "ハーフパンツ")}
ACCESSORY_WORDS = {"マスク": ("マスク着用", "白いマスク"), "メガネ": ("メガネ着用", "眼鏡"),
                   "帽子": ("黒いキャップ", "帽子着用"), "リュック": ("黒いリュック", "リュックサック"),
                   "サングラス": ("サングラス着用", "サングラス")}
# A man's vehicle and how witnesses name it (the first wording is the usual one).
VEHICLE_WORDS = {
    "白い軽": ("車", ("白色の軽自動車", "白い軽自動車", "白色の軽", "白っぽいワゴン車", "白色の軽ワゴン")),
    "黒いワンボックス": ("車", ("黒色のワンボックスカー", "黒っぽいワゴン車", "黒いミニバン", "紺色のワンボックス")),
    "銀の乗用車": ("車", ("銀色の普通乗用車", "シルバーの乗用車", "灰色っぽいセダン", "銀色の車")),
    "白い軽トラ": ("車", ("白色の軽トラック", "白い軽トラ", "白っぽいトラック")),
    "赤い軽": ("車", ("赤色の軽自動車", "赤い軽", "えんじ色の軽自動車")),
    "青いワゴン": ("車", ("青色のワゴン車", "青っぽいワンボックス", "紺色のワゴン車")),
    "黒い自転車": ("自転車", ("黒色の自転車", "黒っぽい自転車", "黒い自転車")),
    "銀の自転車": ("自転車", ("銀色の自転車", "シルバーの自転車", "灰色っぽい自転車")),
    "赤いバイク": ("バイク", ("赤色の原付バイク", "赤いスクーター", "赤っぽいバイク")),
}
VEHICLE_SHARE = {**{v: 1 for v in VEHICLE_WORDS}, None: 3}  # None: he comes on foot
SUBTYPE_SHARE = {"声かけ": 40, "つきまとい": 15, "露出": 12, "盗撮": 8, "写真撮影": 8, "身体接触": 8, "不審者": 9}
# What the same man's act is sometimes recorded as instead.
RELATED_SUBTYPES = {"声かけ": ("つきまとい", "不審者"), "つきまとい": ("声かけ", "不審者"), "不審者": ("声かけ", "つきまとい"),
                    "露出": ("露出",), "盗撮": ("写真撮影",), "写真撮影": ("盗撮", "つきまとい"),
                    "身体接触": ("つきまとい",)}
NEIGHBOUR_GROUPS = {"未就学児": "小学生", "小学生": "中学生", "中学生": "高校生", "高校生": "中学生", "大学生": "20代",
                    "専門学校生": "20代", "20代": "大学生", "30代": "20代", "40代": "30代", "不明": "20代"}
# How witnesses word an ordinary black top (the decoys' shared description).
BLACK_CLOTHES = ("黒っぽい服", "黒色の服装", "黒色ジャンパー", "黒い上着")
CHILD = frozenset({"未就学児", "小学生", "中学生", "高校生"})


# -- the man --------------------------------------------------------------------------------------

def _man(rng) -> dict:
    """One made-up man: what is true of him across his incidents."""
    accessories = [a for a in ACCESSORY_WORDS if rng.random() < 0.25][:2]
    group = pick(rng, THREAT_GROUPS)
    return {
        "age": int(rng.integers(*AGE_RANGE)), "height": int(pick(rng, HEIGHTS)),
        "build": pick(rng, {"thin": 3, "medium": 4, "heavy": 2}), "hair": pick(rng, tuple(HAIR_WORDS)),
        "top": (pick(rng, tuple(COLOUR_WORDS)), pick(rng, tuple(TOP_WORDS))),
        "second_top": (pick(rng, tuple(COLOUR_WORDS)), pick(rng, tuple(TOP_WORDS))),
        "bottom": (pick(rng, ("黒", "紺", "灰", "ベージュ", "青")), pick(rng, tuple(BOTTOM_WORDS))),
        "accessories": accessories, "vehicle": pick(rng, VEHICLE_SHARE),
        "subtype": pick(rng, SUBTYPE_SHARE), "phrase": pick(rng, KOEKAKE_PHRASES), "group": group,
        "hour": int(pick(rng, (15, 16, 16, 17))) if group in CHILD else int(pick(rng, (18, 19, 20, 21, 22))),
    }


def _age_words(rng, age: int) -> str | None:
    decade = age // 10 * 10
    roll = rng.random()
    if roll < 0.40:
        return f"{decade}歳代"
    if roll < 0.55:  # a decade off, towards the nearer one
        return f"{decade + (10 if age % 10 >= 5 else -10)}歳代"
    if roll < 0.80:
        return f"{int(round((age + rng.normal(0, 3)) / 5) * 5)}歳くらい"
    if roll < 0.93:
        return f"{decade}代"
    return None


def _garment(rng, colour: str, item: str, words: dict) -> str:
    return pick(rng, COLOUR_WORDS[colour]) + pick(rng, words[item])


def _witness(rng, man: dict) -> dict:
    """One witness's account of ``man``: the actor text and the vehicle as that witness named them."""
    parts = ["男", _age_words(rng, man["age"])]
    if rng.random() < 0.9:
        height = man["height"] + int(pick(rng, (-5, 0, 0, 5)))
        parts.append(pick(rng, (f"身長{height}センチくらい", f"{height}cmくらい", f"身長{height}センチ位")))
    if rng.random() < 0.9:
        build = man["build"] if rng.random() < 0.93 else BUILD_NEIGHBOUR[man["build"]]
        parts.append(pick(rng, BUILD_WORDS[build]))
    if rng.random() < 0.7:
        parts.append(pick(rng, HAIR_WORDS[man["hair"]]))
    # He has two tops and wears the first more often; a witness may give only its colour.
    roll, (colour, item) = rng.random(), man["top"] if rng.random() < 0.7 else man.get("second_top", man["top"])
    if roll < 0.65:
        parts.append(_garment(rng, colour, item, TOP_WORDS))
    elif roll < 0.9:
        parts.append(pick(rng, COLOUR_WORDS[colour]) + pick(rng, ("服", "服装", "上着")))
    if rng.random() < 0.4:
        parts.append(_garment(rng, *man["bottom"], BOTTOM_WORDS))
    parts += [pick(rng, ACCESSORY_WORDS[a]) for a in man["accessories"] if rng.random() < 0.7]
    vehicle, means = None, "徒歩"
    if man["vehicle"] is not None:
        means, wordings = VEHICLE_WORDS[man["vehicle"]]
        if rng.random() < 0.8:
            vehicle = wordings[0] if rng.random() < 0.4 else pick(rng, wordings)
        else:
            means = "不明"  # the witness did not see how he came or went
    return {"actor": "、".join(p for p in parts if p), "vehicle": vehicle, "means": means}


def _means_of(vehicle) -> str:
    return VEHICLE_WORDS[vehicle][0] if vehicle else "徒歩"


def _decoy_witness(rng, man: dict, others: list[dict]) -> tuple[dict, dict]:
    """Another man, described in the series' common words but not its distinctive ones.

    He is in the same decade as the series' man (or the next), of the common
    中肉 build and in black, but his hair, his height (10 cm or more apart) and
    the way he comes differ from the series' man and from the ``others``
    decoys beside it. Returns (his account, him).
    """
    other = _man(rng)
    hairs = {man["hair"]} | {o["hair"] for o in others}
    other["hair"] = pick(rng, tuple(h for h in HAIR_WORDS if h not in hairs))
    other["height"] = int(pick(rng, tuple(h for h in HEIGHTS if abs(h - man["height"]) >= 10)))
    other["build"], other["top"], other["second_top"], other["accessories"] = "medium", ("黒", "上着"), ("黒", "上着"), []
    means = {_means_of(man["vehicle"])} | {_means_of(o["vehicle"]) for o in others}
    other["vehicle"] = pick(rng, tuple(v for v in VEHICLE_SHARE if _means_of(v) not in means))
    decade = man["age"] // 10 * 10 + (10 if rng.random() < 0.3 else 0)
    account = _witness(rng, {**other, "age": decade + int(rng.integers(0, 10))})
    account["actor"] = re.sub(r"黒[^、]*(上着|ジャンパー|ジャケット)", lambda m: pick(rng, BLACK_CLOTHES),
                              account["actor"])
    return account, other


# -- where and when -------------------------------------------------------------------------------

def _offsets_m(rng, n: int, radius_m: float) -> tuple[np.ndarray, np.ndarray]:
    """``n`` points uniform in a disc of ``radius_m`` (metres east, north)."""
    r = radius_m * np.sqrt(rng.random(n))
    angle = rng.random(n) * 2 * np.pi
    return r * np.cos(angle), r * np.sin(angle)


class _Places:
    """Points near an anchor, each inside an inhabited small area (its station and row)."""

    def __init__(self, areas: gpd.GeoDataFrame):
        self.areas = areas
        self.tree = shapely.STRtree(areas.geometry.to_numpy())
        self.stations = areas["station"].astype(str).to_numpy()

    def around(self, rng, lat: float, lon: float, radius_m: float, n: int) -> pd.DataFrame:
        """``n`` points within ``radius_m`` of (lat, lon), 6 decimals, strictly inside an inhabited area."""
        found: list[tuple[float, float, int]] = []
        for _ in range(200):
            east, north = _offsets_m(rng, 4 * n, radius_m)
            cand_lat = np.round(lat + north / 110_574.0, 6)
            cand_lon = np.round(lon + east / (111_320.0 * np.cos(np.radians(lat))), 6)
            points = shapely.points(cand_lon, cand_lat)
            inside, rows = self.tree.query(points, predicate="within")
            seen: set = set()
            for k, row in zip(inside, rows):
                if k not in seen:
                    seen.add(k)
                    found.append((float(cand_lat[k]), float(cand_lon[k]), int(row)))
            if len(found) >= n:
                break
        found = found[:n]
        rows = [f[2] for f in found]
        return pd.DataFrame({"lat": [f[0] for f in found], "lon": [f[1] for f in found], "area": rows,
                             "station": self.stations[rows]})

    def stations_near(self, rng, lat: float, lon: float, radius_m: float) -> pd.Series:
        """Share of each station among probe points in the disc."""
        return self.around(rng, lat, lon, radius_m, 60)["station"].value_counts(normalize=True)


def _anchor(rng, places: _Places, crossing: bool, radius_m: float) -> tuple[float, float]:
    """A series' centre: by population; for a crossing series, where two districts meet."""
    weights = places.areas["population"].to_numpy(dtype=float)
    for _ in range(400):
        row = rng.choice(len(weights), p=weights / weights.sum())
        lat, lon = float(places.areas["lat"].iat[row]), float(places.areas["lon"].iat[row])
        if not crossing:
            return lat, lon
        shares = places.stations_near(rng, lat, lon, radius_m)
        if len(shares) >= 2 and shares.iloc[1] >= 0.25:
            return lat, lon
    raise ValueError("no place where two stations meet: check the areas' 'station' column")


def _days(rng, n: int) -> pd.DatetimeIndex:
    """Days of ``n`` incidents: 1–12 days apart, all between FIRST_DAY and LAST_DAY."""
    gaps = rng.integers(1, 13, size=n - 1)
    span = int(gaps.sum())
    start = int(rng.integers(0, (LAST_DAY - FIRST_DAY).days - span + 1))
    offsets = np.concatenate([[0], np.cumsum(gaps)]) + start
    return pd.DatetimeIndex([FIRST_DAY + pd.Timedelta(days=int(d)) for d in offsets])


def _at(rng, day: pd.Timestamp, hour: int) -> pd.Timestamp:
    hour = min(23, max(0, hour + int(pick(rng, (-1, 0, 0, 1)))))
    return day + pd.Timedelta(hours=hour, minutes=int(rng.integers(0, 12)) * 5)


def _act(rng, man: dict) -> tuple[str, str, str]:
    """(subtype, victim group, phrase) of one of his incidents."""
    subtype = man["subtype"] if rng.random() < 0.8 else pick(rng, RELATED_SUBTYPES[man["subtype"]])
    group = man["group"] if rng.random() < 0.8 else NEIGHBOUR_GROUPS.get(man["group"], man["group"])
    phrase = man["phrase"] if rng.random() < 0.7 else pick(rng, KOEKAKE_PHRASES)
    return subtype, group, phrase


def _incident(rng, series_id: str, role: str, subtype: str, group: str, phrase: str, when, account: dict,
              place: pd.Series) -> dict:
    return {
        "series_id": series_id, "role": role, "subtype": subtype, "occurred_at": when,
        "place_type": pick(rng, THREAT_PLACES), "victim_group": group,
        "victim_sex": pick(rng, {"女": 90, "男": 8, "不明": 2}), "actor": account["actor"],
        "vehicle": account["vehicle"], "means": account["means"], "phrase": phrase,
        "lat": place["lat"], "lon": place["lon"], "station": place["station"], "area": int(place["area"]),
    }


def _plan_one(rng, places: _Places, number: int, crossing: bool) -> list[dict]:
    man = _man(rng)
    size = int(rng.integers(3, 9))
    radius = float(rng.uniform(800, 1500))
    lat, lon = _anchor(rng, places, crossing, radius)
    spots = places.around(rng, lat, lon, radius, size)
    for _ in range(50):  # a crossing series shows in both districts
        if not crossing or spots["station"].nunique() >= 2:
            break
        spots = places.around(rng, lat, lon, radius, size)
    days = _days(rng, size)
    series_id = f"P{number:02d}"
    rows = []
    for k in range(size):
        subtype, group, phrase = _act(rng, man)
        rows.append(_incident(rng, series_id, "series", subtype, group, phrase, _at(rng, days[k], man["hour"]),
                              _witness(rng, man), spots.iloc[k]))
    decoys = int(rng.integers(DECOYS_PER_SERIES[0], DECOYS_PER_SERIES[1] + 1))
    decoy_spots = places.around(rng, lat, lon, radius, decoys)
    others: list[dict] = []
    for k in range(decoys):
        day = days[int(rng.integers(0, size))] + pd.Timedelta(days=int(rng.integers(-3, 4)))
        day = min(max(day, FIRST_DAY), LAST_DAY)
        account, other = _decoy_witness(rng, man, others)
        others.append(other)
        subtype = man["subtype"] if rng.random() < 0.5 else other["subtype"]
        rows.append(_incident(rng, "", "decoy", subtype, other["group"], other["phrase"],
                              _at(rng, day, other["hour"]), account, decoy_spots.iloc[k]))
    return rows


def plan_series(rng, areas: gpd.GeoDataFrame, *, count: int = SERIES_COUNT,
                crossing: int = CROSSING_COUNT) -> pd.DataFrame:
    """The planted incidents (``PLAN_COLUMNS``), oldest first: ``count`` series and their decoys.

    ``areas`` are the inhabited small areas (``draws.inhabited``): ``area`` is
    a row position in it. The first ``crossing`` series sit where two
    stations' districts meet and show in both. ``means`` is 徒歩, 自転車, バイク,
    車 or 不明 (not seen); ``phrase`` what he said, for a 声かけ.
    """
    places = _Places(areas)
    rows = []
    for number in range(1, count + 1):
        rows.extend(_plan_one(rng, places, number, number <= crossing))
    plan = pd.DataFrame(rows, columns=list(PLAN_COLUMNS))
    return plan.sort_values(["occurred_at", "series_id"], kind="stable").reset_index(drop=True)
