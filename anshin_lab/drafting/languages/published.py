"""Published fields: what an alert publishes, as structured values every language version is rendered from.

An alert's ``published_fields`` (stored with the alert, signed with its
content) hold only values of fixed vocabularies (``tables.terms``) or of the
privacy decision (the published area, its level and municipality), never a
record's free text: a value outside its vocabulary becomes ``None``. Keys
(``PUBLISHED_KEYS``), every one always present:

- ``category`` (code), ``subtype`` (手口, if a vocabulary term), ``date`` (ISO
  day of occurrence in Asia/Tokyo), ``time_band`` (``TIME_BANDS``),
- ``city_code``, ``city``, ``area_name`` (the published area's own name at the
  published level, ``""`` at CITY level and above), ``level`` (Granularity name),
- ``victim_group``, ``place_type`` (only when the decision published a place
  wording), ``station`` (a police station of the table), ``caller_as`` (名乗り),
- ``outcome`` and ``original_alert_id`` (follow-ups).

Pure functions over plain values; the workflow stores and checks them.
"""

from __future__ import annotations

import re

import pandas as pd

from anshin_lab.core.dates import TOKYO
from anshin_lab.core.granularity import Granularity
from anshin_lab.drafting.languages.tables import municipality_codes, stations, vocabulary
from anshin_lab.privacy import place_wording

PUBLISHED_KEYS = ("category", "subtype", "date", "time_band", "city_code", "city", "area_name", "level",
                  "victim_group", "place_type", "station", "caller_as", "outcome", "original_alert_id")
# The time rule: a published time is a band of the day (Asia/Tokyo), never a clock time. Key, first hour, end hour.
TIME_BANDS = (("late_night", 0, 5), ("morning", 5, 9), ("daytime", 9, 16), ("evening", 16, 19), ("night", 19, 24))
# The fields a record (incident or fraud call) gives; each is published only when every record agrees.
RECORD_KEYS = ("subtype", "time_band", "victim_group", "place_type", "station", "caller_as")
# Vocabulary of each field that takes one (the station table is its own vocabulary).
VOCABULARY_KINDS = ("category", "subtype", "victim_group", "place_type", "time_band", "caller_as", "outcome")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

__all__ = ["PUBLISHED_KEYS", "TIME_BANDS", "build_published_fields", "published_area", "published_problems",
           "record_values", "time_band"]


def time_band(stamp) -> str | None:
    """The band of the day of ``stamp`` (aware, or naive Asia/Tokyo): ``late_night`` … ``night``; None if missing."""
    if stamp is None or (not isinstance(stamp, str) and pd.isna(stamp)):
        return None
    stamp = pd.Timestamp(stamp)
    stamp = stamp.tz_localize(TOKYO) if stamp.tzinfo is None else stamp.tz_convert(TOKYO)
    return next(key for key, first, end in TIME_BANDS if first <= stamp.hour < end)


def _day(stamp) -> str | None:
    if stamp is None or (not isinstance(stamp, str) and pd.isna(stamp)):
        return None
    stamp = pd.Timestamp(stamp)
    stamp = stamp.tz_localize(TOKYO) if stamp.tzinfo is None else stamp.tz_convert(TOKYO)
    return stamp.date().isoformat()


def _term(kind: str, value) -> str | None:
    text = "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value).strip()
    return text if text in vocabulary(kind) else None


def _station(value) -> str | None:
    text = "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value).strip()
    return text if text in stations() else None


def published_area(public_text: str, level) -> tuple[str | None, str | None, str | None]:
    """(city, city_code, area_name) that the decision's ``public_text`` publishes at ``level``.

    「鹿児島市紫原3丁目付近の路上」 at CHOME → (鹿児島市, 46201, 紫原3丁目);
    「鹿児島市内」 at CITY → (鹿児島市, 46201, ""); a prefecture or a station
    district (「鹿児島中央警察署管内」) names no municipality → (None, None, "").
    """
    level = Granularity.parse(level)
    text = str(public_text or "")
    codes = municipality_codes()
    city = next((name for name in sorted(codes, key=len, reverse=True) if text.startswith(name)), None)
    if level >= Granularity.CITY:
        if level == Granularity.CITY and city is not None and text[len(city):].startswith("内"):
            return city, codes[city], ""
        return None, None, ""
    if city is None:
        return None, None, None
    area, near, _ = text[len(city):].partition("付近")
    return (city, codes[city], area) if near and area else (city, codes[city], None)


def record_values(record: dict) -> dict:
    """The published values one record gives (an incident row, or a fraud call with ``method``)."""
    row = dict(record)
    subtype = row.get("subtype") if row.get("subtype") not in (None, "") else row.get("method")
    return {
        "subtype": _term("subtype", subtype), "date": _day(row.get("occurred_at")),
        "time_band": time_band(row.get("occurred_at")), "victim_group": _term("victim_group", row.get("victim_group")),
        "place_type": _term("place_type", row.get("place_type")), "station": _station(row.get("station")),
        "caller_as": _term("caller_as", row.get("caller_as")),
    }


def build_published_fields(*, category: str, level, public_text: str, records=(), station=None, outcome=None,
                           original_alert_id=None, base: dict | None = None) -> dict:
    """The published fields of an alert, from its privacy decision and the records it is about.

    ``records``: incident rows (or fraud calls); a value is kept only when
    every record gives the same one (``date``: the latest day). ``station``:
    the alert's station when the records name none. ``base``: an original's
    published fields a follow-up repeats (its area and level win, as the
    follow-up publishes the original's place). The place type is published
    only when ``public_text`` carries its wording.
    """
    level = Granularity.parse(level)
    values = [record_values(r) for r in records]
    fields = dict.fromkeys(PUBLISHED_KEYS)
    if base:
        fields.update({key: base.get(key) for key in PUBLISHED_KEYS})
    for key in RECORD_KEYS:
        found = {v[key] for v in values}
        if values:
            fields[key] = found.pop() if len(found) == 1 else None
    days = sorted(v["date"] for v in values if v["date"])
    if values:
        fields["date"] = days[-1] if days and len(days) == len(values) else None
    city, city_code, area_name = published_area(public_text, level)
    fields.update(category=_term("category", category), level=level.name, city=city, city_code=city_code,
                  area_name=area_name, outcome=_term("outcome", outcome),
                  original_alert_id=int(original_alert_id) if original_alert_id is not None else None)
    if fields["station"] is None:
        fields["station"] = _station(station)
    wording = place_wording(fields["place_type"]) if fields["place_type"] else None
    if not wording or not str(public_text or "").endswith("の" + wording):
        fields["place_type"] = None
    return fields


def published_problems(fields, *, category: str, level, public_text: str, outcome=None,
                       original_alert_id=None) -> list[str]:
    """What is wrong with ``fields`` for an alert with this content (Japanese, one line each); [] when fine.

    Every key present, no other key; every value from its vocabulary; the
    area, level, category, outcome and original exactly as the alert's own
    content publishes them (so free text cannot enter through these fields).
    """
    if not isinstance(fields, dict):
        return ["公表項目は JSON のオブジェクトにしてください"]
    problems = []
    extra = sorted(set(fields) - set(PUBLISHED_KEYS))
    missing = [key for key in PUBLISHED_KEYS if key not in fields]
    if extra:
        problems.append(f"公表項目に使えない項目があります: {'、'.join(extra)}")
    if missing:
        problems.append(f"公表項目が足りません: {'、'.join(missing)}")
    for kind in VOCABULARY_KINDS:
        value = fields.get(kind)
        if value is not None and _term(kind, value) is None:
            problems.append(f"公表項目「{kind}」の値は決められた語彙から選んでください")
    if fields.get("station") is not None and _station(fields["station"]) is None:
        problems.append("公表項目「station」は警察署の一覧にある名前にしてください")
    if fields.get("date") is not None and not (isinstance(fields["date"], str) and _DATE.fullmatch(fields["date"])):
        problems.append("公表項目「date」は YYYY-MM-DD の日付にしてください")
    city, city_code, area_name = published_area(public_text, level)
    expected = {"category": category, "level": Granularity.parse(level).name, "city": city, "city_code": city_code,
                "area_name": area_name, "outcome": _term("outcome", outcome),
                "original_alert_id": int(original_alert_id) if original_alert_id is not None else None}
    wrong = [key for key, value in expected.items() if fields.get(key) != value]
    if wrong:
        problems.append(f"公表項目 {'、'.join(wrong)} が配信の内容(分類・粒度・公表場所・続報)と合っていません")
    wording = place_wording(fields.get("place_type")) if fields.get("place_type") else None
    if fields.get("place_type") is not None and not (wording and str(public_text).endswith("の" + wording)):
        problems.append("公表項目「place_type」は公表場所に場所の種類を書いた場合だけ付けます")
    return problems
