"""SAMPLE DATA: a seeded, deterministic year of made-up safety-mail material.

Nothing here describes a real event or person. The generator gives the demo
and the tests a police-style incident export (CP932, 和暦, a few deliberately
bad rows), a year of うそ電話 calls with a few waves (``demo.fraud_calls``),
a member list on reserved example domains (``demo.members``) and, after the
year's incidents, planted series of 脅威事犯 by the same made-up men with
decoys (``demo.series``; their truth in ``series_truth.csv``). The same seed
always gives byte-identical files (``write_sample``).

The fixed year runs from 2025-12-01 00:00 to 2026-11-30 23:59 (Asia/Tokyo);
the demo treats its end as "now".
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import geopandas as gpd
import holidays
import numpy as np
import pandas as pd

from anshin_lab.core import glossary
from anshin_lab.core.files import write_atomic
from anshin_lab.demo.draws import (
    draw,
    inhabited,
    nullable,
    pick,
    pick_areas,
    random_points,
    random_stream,
    random_times,
)
from anshin_lab.demo.export import BAD_KINDS, iso_frame, write_incident_export, write_utf8_csv
from anshin_lab.demo.fraud_calls import N_FRAUD_CALLS, generate_fraud_calls
from anshin_lab.demo.members import N_MEMBERS, generate_members
from anshin_lab.demo.series import plan_series
from anshin_lab.demo.vocabulary import (
    AGE_BANDS,
    BOTTOMS,
    BUILDS,
    CALLERS_BY_METHOD,
    CHILD_GROUPS,
    CHILD_TOPS,
    COMMUNITY_SUBTYPES,
    COMMUNITY_TEMPLATES,
    FRAUD_METHODS,
    FRAUD_PHRASES,
    FUGITIVE_SUBTYPES,
    FUGITIVE_TEMPLATES,
    HAIR,
    HOURS_ADULT,
    HOURS_ANY,
    HOURS_AWAKE,
    HOURS_CHILD,
    HOURS_DAYTIME,
    KOEKAKE_PHRASES,
    MISSING_CONSENT,
    MISSING_NOTES,
    MISSING_ORIGINS,
    MISSING_SUBTYPES,
    PLACE_WORDS,
    SHOES,
    THREAT_CONSENT,
    THREAT_GROUPS,
    THREAT_MEANS,
    THREAT_MONTHS,
    THREAT_PLACES,
    THREAT_SEXES,
    THREAT_SUBTYPES,
    THREAT_TEMPLATES,
    TOPS,
    VEHICLES,
    VICTIM_NOUNS,
)
from anshin_lab.places.gazetteer import gazetteer, split_chome

__all__ = [
    "BAD_KINDS", "CATEGORY_SHARES", "N_FRAUD_CALLS", "N_INCIDENTS", "N_MEMBERS", "SERIES_TRUTH",
    "generate_fraud_calls", "generate_incidents", "generate_members", "generate_series_incidents",
    "write_incident_export", "write_sample",
]

N_INCIDENTS = 2400
# The planted series' truth, beside the sample (never imported).
SERIES_TRUTH = "series_truth.csv"
_JP_HOLIDAYS = holidays.Japan()

# Share of each category among the incidents (sums to 1).
CATEGORY_SHARES = {"threat": 0.56, "community": 0.205, "fraud": 0.12, "missing": 0.10, "fugitive": 0.015}


# ---------------------------------------------------------------------------
# Addresses.

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
    rows = pick_areas(rng, areas, len(hyphen))
    lat, lon = random_points(rng, areas, rows)
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
    parts = ["男", pick(rng, AGE_BANDS), f"身長{height}センチくらい", pick(rng, BUILDS), pick(rng, HAIR), pick(rng, TOPS)]
    if rng.random() < 0.15:  # witnesses often miss a detail
        del parts[int(rng.integers(2, len(parts)))]
    return "、".join(parts)


def _victim_noun(group: str, sex: str) -> str:
    if group in VICTIM_NOUNS:
        female, male, unknown = VICTIM_NOUNS[group]
        return {"女": female, "男": male}.get(sex, unknown)
    return {"女": "女性", "男": "男性"}.get(sex, "通行人")


def _situation(group: str, when: pd.Timestamp, place_type: str) -> str:
    """What the victim was doing, from who they are and when, as it joins the victim noun (「下校中の」)."""
    child = group in CHILD_GROUPS
    hour = when.hour
    school_day = when.weekday() < 5 and when.date() not in _JP_HOLIDAYS
    if child and place_type == "公園":
        return "公園で遊んでいた"
    if place_type == "施設":
        return "商業施設で買い物中の"
    if child and school_day and 6 <= hour <= 9:
        return "登校中の"
    if child and school_day and 13 <= hour <= 19:
        return "下校中の"
    if child and not school_day and 9 <= hour <= 18:
        return "外出中の"
    if place_type in ("店舗", "駐車場"):
        return "買い物中の"
    return "帰宅途中の" if hour >= 17 or hour <= 2 else "通行中の"


# How the summary names the actor, and how he left, by how he came (不明: nobody saw).
_ACTOR_BY_MEANS = {"徒歩": "男", "自転車": "自転車に乗った男", "車": "車に乗った男", "バイク": "バイクに乗った男", "不明": "男"}
_DEPARTURES = {"徒歩": "男は徒歩で立ち去った。", "自転車": "男は自転車で立ち去った。", "車": "男は車で走り去った。",
               "バイク": "男はバイクで走り去った。"}


def _threat_summary(rng, subtype: str, group: str, sex: str, when: pd.Timestamp, place_type: str, means,
                    phrase: str | None = None) -> str:
    """The 概要 of a 脅威事犯; ``phrase`` (what he said) is drawn when not given."""
    text = THREAT_TEMPLATES[subtype].format(
        situation=_situation(group, when, place_type), victim=_victim_noun(group, sex),
        actor=_ACTOR_BY_MEANS[means], phrase=pick(rng, KOEKAKE_PHRASES) if phrase is None else phrase,
        metres=int(rng.integers(2, 11)) * 50, place=PLACE_WORDS[place_type],
    )
    if rng.random() < 0.5 and means in _DEPARTURES:
        text += _DEPARTURES[means]
    return text


def _threat_records(rng, n: int) -> pd.DataFrame:
    """脅威事犯: 声かけ and the like, against children after school and adults at night."""
    groups = draw(rng, THREAT_GROUPS, n)
    child = np.isin(groups, list(CHILD_GROUPS))
    after_school = random_times(rng, n, HOURS_CHILD, 0.85, THREAT_MONTHS)
    evening = random_times(rng, n, HOURS_ADULT, 0.7, THREAT_MONTHS)
    times = after_school.where(child, evening)
    subtypes, sexes = draw(rng, THREAT_SUBTYPES, n), draw(rng, THREAT_SEXES, n)
    places, means = draw(rng, THREAT_PLACES, n), draw(rng, THREAT_MEANS, n)
    summaries = [_threat_summary(rng, s, g, x, t, p, m)
                 for s, g, x, t, p, m in zip(subtypes, groups, sexes, times, places, means)]
    optional = _empty_optional(n)
    optional["vehicle"] = [pick(rng, VEHICLES[:4]) if m == "車" else None for m in means]
    return pd.DataFrame({
        "category": "threat", "subtype": subtypes, "occurred_at": times, "place_type": places,
        "victim_group": groups, "victim_sex": sexes, "summary": summaries,
        "actor": [_actor_description(rng) for _ in range(n)], "consent": draw(rng, THREAT_CONSENT, n),
        **optional,
    })


def _fugitive_record(rng, subtype: str) -> dict:
    place_type, template = FUGITIVE_TEMPLATES[subtype]
    age, height = int(rng.integers(20, 66)), int(rng.integers(160, 186))
    build, clothing = pick(rng, BUILDS), f"{pick(rng, TOPS)}、{pick(rng, BOTTOMS)}"
    vehicle = None if subtype == "被留置者逃走" or rng.random() < 0.4 else pick(rng, VEHICLES)
    escape = f"{vehicle}で" if vehicle else "徒歩で"
    summary = template.format(actor="男", escape=escape) + "犯人を見かけても近づかず、110番通報してください。"
    actor = f"男、{age}歳くらい、身長{height}センチくらい、{build}、{clothing}" + (f"、{vehicle}で逃走" if vehicle else "")
    victim = subtype != "被留置者逃走"
    return {
        "subtype": subtype, "place_type": place_type, "summary": summary, "actor": actor,
        "victim_group": pick(rng, ("20代", "30代", "40代", "50代")) if victim else "該当なし",
        "victim_sex": pick(rng, ("男", "女")) if victim else "不明",
        "consent": "あり", "age": age, "height_cm": height, "build": build, "clothing": clothing,
        "vehicle": vehicle, "caller_as": None,
    }


def _fugitive_records(rng, n: int) -> pd.DataFrame:
    """凶悪事案等逃走事案: a handful, with a full description of the suspect."""
    records = pd.DataFrame([_fugitive_record(rng, s) for s in draw(rng, FUGITIVE_SUBTYPES, n)])
    records["category"] = "fugitive"
    records["occurred_at"] = random_times(rng, n, HOURS_ANY)
    return records


def _fraud_record(rng, method: str) -> dict:
    caller = pick(rng, CALLERS_BY_METHOD[method])
    summary = f"{caller}を名乗る者から「{FRAUD_PHRASES[method]}」などと電話があったもの。"
    summary += pick(rng, ("不審に思って家族に相談し、被害はなかった。", "同様の電話が相次いでいる。",
                           "電話でお金の話が出たら詐欺を疑ってください。"))
    sex = "女" if caller in ("市役所職員", "百貨店職員") and rng.random() < 0.3 else "男"
    voice = f"{sex}、声の感じは{pick(rng, ('20', '30', '40', '50'))}歳代、標準語"
    return {
        "subtype": method, "caller_as": caller, "summary": summary,
        "actor": voice if rng.random() < 0.7 else None,
        "place_type": pick(rng, {"住宅": 88, "店舗": 7, "施設": 5}),
        "victim_group": pick(rng, {"60代": 25, "70代": 40, "80代以上": 35}),
        "victim_sex": pick(rng, {"女": 62, "男": 38}),
        "consent": pick(rng, {"あり": 92, "未確認": 8}),
    }


def _fraud_records(rng, n: int) -> pd.DataFrame:
    """うそ電話詐欺 reports: weekday daytime calls to older residents."""
    records = pd.DataFrame([_fraud_record(rng, m) for m in draw(rng, FRAUD_METHODS, n)])
    for col in ("age", "height_cm", "build", "clothing", "vehicle"):
        records[col] = pd.Series([None] * n, dtype=object)
    records["category"] = "fraud"
    records["occurred_at"] = random_times(rng, n, HOURS_DAYTIME, 0.92)
    return records


def _missing_person(rng, subtype: str) -> tuple[str, int]:
    """Victim group and age for a kind of missing-person case."""
    if subtype == "行方不明(児童)":
        return "小学生", int(rng.integers(6, 13))
    if subtype == "行方不明(知的障害)":
        age = int(rng.integers(20, 60))
        return f"{age // 10 * 10}代", age
    group = pick(rng, {"60代": 1, "70代": 4, "80代以上": 5})
    low, high = {"60代": (65, 70), "70代": (70, 80), "80代以上": (80, 96)}[group]
    return group, int(rng.integers(low, high))


def _missing_record(rng, subtype: str) -> dict:
    group, age = _missing_person(rng, subtype)
    sex = pick(rng, ("男", "女"))
    person = {"男": "男性", "女": "女性"}[sex] if group != "小学生" else {"男": "男子児童", "女": "女子児童"}[sex]
    height = int(rng.normal(163 if sex == "男" else 150, 5)) if age >= 15 else int(80 + 6 * age + rng.normal(0, 4))
    top = pick(rng, TOPS)
    top = CHILD_TOPS.get(top, top) if group == "小学生" else top
    clothing = f"{top}、{pick(rng, BOTTOMS)}、{pick(rng, SHOES)}"
    origin = "自宅" if group == "小学生" else pick(rng, MISSING_ORIGINS)
    leaving = "ではぐれたまま" if origin.endswith("店舗") else "を出たまま"
    summary = f"{age}歳の{person}が{origin}{leaving}行方が分からなくなっているもの。{MISSING_NOTES[subtype]}"
    return {
        "subtype": subtype, "place_type": "店舗" if origin.endswith("店舗") else "住宅" if origin == "自宅" else "施設",
        "victim_group": group, "victim_sex": sex, "summary": summary, "actor": None,
        "consent": pick(rng, MISSING_CONSENT), "age": age, "height_cm": height,
        "build": pick(rng, BUILDS), "clothing": clothing, "vehicle": None, "caller_as": None,
    }


def _missing_records(rng, n: int) -> pd.DataFrame:
    """高齢者等の行方不明事案: mostly people in their 70s and 80s, with a description."""
    records = pd.DataFrame([_missing_record(rng, s) for s in draw(rng, MISSING_SUBTYPES, n)])
    records["category"] = "missing"
    records["occurred_at"] = random_times(rng, n, HOURS_AWAKE)
    return records


def _community_records(rng, n: int) -> pd.DataFrame:
    """地域に有益な情報: thefts, nuisance calls, accident spots, wildlife."""
    subtypes = draw(rng, COMMUNITY_SUBTYPES, n)
    return pd.DataFrame({
        "category": "community", "subtype": subtypes,
        "occurred_at": random_times(rng, n, HOURS_AWAKE),
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


def generate_incidents(small_areas: gpd.GeoDataFrame, seed: int) -> pd.DataFrame:
    """A year of incidents in the canonical columns, ids in time order.

    ``small_areas`` needs a ``station`` column (``areas.assign_stations``).
    """
    rng = random_stream(seed, "incidents")
    areas = inhabited(small_areas)
    parts = [_BUILDERS[cat](rng, n) for cat, n in _category_counts(N_INCIDENTS).items()]
    records = pd.concat(parts, ignore_index=True)
    hyphen = (records["category"] == "threat").to_numpy() & (rng.random(len(records)) < 0.05)
    records = pd.concat([records, _locate(rng, areas, hyphen)], axis=1)
    records = records.sort_values("occurred_at", kind="stable").reset_index(drop=True)
    records["incident_id"] = [f"K2025-{i:06d}" for i in range(1, len(records) + 1)]
    for col in ("actor",) + glossary.OPTIONAL_COLUMNS:
        records[col] = nullable(records[col])
    return records[list(glossary.INCIDENT_COLUMNS + glossary.OPTIONAL_COLUMNS)]


def generate_series_incidents(small_areas: gpd.GeoDataFrame, seed: int,
                              first_number: int = N_INCIDENTS + 1) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The planted series and decoys (``demo.series``) as incidents, and their truth.

    From their own random stream, so the other incidents stay as they were;
    numbered from ``first_number`` in time order. The truth has
    ``incident_id``, ``series_id`` (P01…, empty for a decoy) and ``role``
    (``series`` or ``decoy``).
    """
    rng = random_stream(seed, "series")
    areas = inhabited(small_areas)
    plan = plan_series(rng, areas)
    n = len(plan)
    cities, names = areas["city"].to_numpy(), areas["name"].to_numpy()
    summaries = [_threat_summary(rng, r.subtype, r.victim_group, r.victim_sex, r.occurred_at, r.place_type, r.means,
                                 phrase=r.phrase) for r in plan.itertuples()]
    addresses = [_address(rng, cities[r.area], names[r.area], (r.lat, r.lon)) for r in plan.itertuples()]
    ids = [f"K2025-{first_number + k:06d}" for k in range(n)]
    optional = _empty_optional(n)
    optional["vehicle"] = list(plan["vehicle"])
    records = pd.DataFrame({
        "incident_id": ids, "category": "threat", "subtype": plan["subtype"], "occurred_at": plan["occurred_at"],
        "address": addresses, "lat": plan["lat"], "lon": plan["lon"], "place_type": plan["place_type"],
        "victim_group": plan["victim_group"], "victim_sex": plan["victim_sex"], "summary": summaries,
        "actor": plan["actor"], "station": plan["station"], "consent": draw(rng, THREAT_CONSENT, n), **optional,
    })
    for col in ("actor",) + glossary.OPTIONAL_COLUMNS:
        records[col] = nullable(records[col])
    truth = pd.DataFrame({"incident_id": ids, "series_id": plan["series_id"], "role": plan["role"]})
    return records[list(glossary.INCIDENT_COLUMNS + glossary.OPTIONAL_COLUMNS)], truth


# ---------------------------------------------------------------------------
# Writing.

def write_sample(sample_dir, small_areas: gpd.GeoDataFrame, seed: int) -> dict:
    """Generate and write the whole sample: export, calls, members, bad-row list and the series' truth.

    The planted series follow the year's incidents at the end of the export
    (numbered after them); ``series_truth.csv`` says which incident belongs to
    which series and is never imported.
    """
    sample_dir = Path(sample_dir)
    sample_dir.mkdir(parents=True, exist_ok=True)
    paths = {name: sample_dir / file for name, file in (
        ("incidents", "incidents_export.csv"), ("fraud_calls", "fraud_calls.csv"),
        ("members", "members.csv"), ("bad_rows", "bad_rows.json"), ("series_truth", SERIES_TRUTH))}
    year = generate_incidents(small_areas, seed)
    planted, truth = generate_series_incidents(small_areas, seed, first_number=len(year) + 1)
    incidents = pd.concat([year, planted], ignore_index=True)
    calls = generate_fraud_calls(small_areas, seed)
    members = generate_members(small_areas, seed)
    bad = write_incident_export(incidents, paths["incidents"])
    write_utf8_csv(iso_frame(calls, ("occurred_at",)), paths["fraud_calls"])
    write_utf8_csv(iso_frame(members, ("opted_in_at",)), paths["members"])
    write_atomic(paths["bad_rows"], json.dumps(bad, ensure_ascii=False, indent=2).encode("utf-8"))
    write_utf8_csv(truth, paths["series_truth"])
    return {"incidents": len(incidents), "fraud_calls": len(calls), "members": len(members),
            "bad_rows": len(bad), "series_incidents": len(planted), "paths": paths}
