"""The fraud summary alert: one fraud-template mail drafted from a fraud-call summary.

The mail names exactly the area the summary covers and states that area's
counts: 「鹿児島県内」 for the prefecture, 「鹿児島市内」 for a municipality,
「鹿児島中央警察署管内」 for a station district. The place is never finer than a
municipality (``privacy.assess`` on the municipality's name alone). Nothing
here stores or sends the draft (``app.fraud_reports.store_summary_draft`` stores it).
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from anshin_lab.core.dates import TOKYO, WEEKDAYS
from anshin_lab.drafting.mail import draft
from anshin_lab.drafting.text import one_line
from anshin_lab.privacy import assess


def draft_summary_alert(summary, areas, *, limits=None):
    """A fraud-template mail for ``summary`` (an ``analysis.fraud_calls.FraudSummary``), or None when it has no calls.

    The mail is about one 名乗り: the strongest wave's when there is one,
    otherwise the area's most frequent. Its counts are that 名乗り's calls in
    the summary's whole area, this period and the one before, so the place
    written and the numbers always agree. A wave adds a sentence on the day
    it struck (naming its municipality in a prefecture mail, where that is
    narrower than the area). The template adds typical phrases and ★ tips.
    """
    if summary.calls.empty:
        return None
    calls, area = summary.calls, summary.area
    burst = ""
    if len(summary.waves):
        wave = summary.waves.iloc[0]
        caller, method = wave["caller_as"], wave["method"]
        where = f"{_city_text(wave['city'], areas)}で" if area.kind == "pref" else ""
        burst = (f"特に{_month_day(wave['date'])}には{where}、{_clock(wave['first_at'])}から{_clock(wave['last_at'])}"
                 f"までの間に同じ名乗りの電話が{int(wave['count'])}件集中しました。")
    else:
        caller = summary.by_caller["caller_as"].iloc[0]
        method = calls.loc[calls["caller_as"] == caller, "method"].value_counts().index[0]
    chosen = calls[calls["caller_as"] == caller]
    before = summary.previous_calls[summary.previous_calls["caller_as"] == caller]
    decision = area_decision(area, chosen, areas)
    cases = chosen["outcome"].value_counts()
    outcome_text = ""
    if cases.get("未遂", 0) or cases.get("既遂", 0):
        outcome_text = f"このうち未遂は{int(cases.get('未遂', 0))}件、被害に遭ったもの(既遂)は{int(cases.get('既遂', 0))}件です。"
    days = summary.period.days
    situation = (f"{_month_day(summary.period.start)}から{_month_day(summary.period.end)}までの{days}日間に、"
                 f"{decision.area_text}で{one_line(caller)}を名乗るうそ電話が{len(chosen)}件確認されました"
                 f"(その前の{days}日間は{len(before)}件)。{outcome_text}{burst}")
    station = area.name if area.kind == "station" else _single_station(chosen)
    incident = {
        "incident_id": f"fraud-summary:{summary.period.start}:{summary.period.end}:{area.name}",
        "category": "fraud", "subtype": method, "caller_as": caller, "summary": situation, "station": station,
        "occurred_at": chosen["occurred_at"].max(),
    }
    kwargs = {} if limits is None else {"limits": limits}
    return replace(draft(incident, decision, **kwargs), incident_ids=tuple(chosen["call_id"]))


def area_decision(area, calls: pd.DataFrame, areas):
    """The privacy decision that publishes exactly ``area`` (an ``analysis.fraud_calls.Area``).

    The prefecture and a municipality are assessed on their names alone. A
    station district is not a rung of the ladder: it is published at the
    level of its municipality (the one most of ``calls``, never empty, came from), worded
    as the district, 「鹿児島中央警察署管内」.
    """
    if area.kind == "pref":
        return assess({"address": None, "lat": None, "lon": None}, areas)
    if area.kind == "city":
        return assess({"address": area.name, "lat": None, "lon": None}, areas)
    city = str(calls["city"].value_counts().index[0])
    decision = assess({"address": city, "lat": None, "lon": None}, areas)
    return replace(decision, public_text=area.label, area_name=area.label, wording=None, households=None)


def _city_text(city: str, areas) -> str:
    """A municipality as the privacy decision writes it: 「西之表市内」."""
    return assess({"address": city, "lat": None, "lon": None}, areas).area_text


def _single_station(calls: pd.DataFrame) -> str | None:
    stations = calls["station"].dropna().unique()
    return str(stations[0]) if len(stations) == 1 else None


def _month_day(day) -> str:
    stamp = pd.Timestamp(day)
    return f"{stamp.month}月{stamp.day}日({WEEKDAYS[stamp.weekday()]})"


def _clock(stamp) -> str:
    stamp = pd.Timestamp(stamp).tz_convert(TOKYO)
    return f"{'午前' if stamp.hour < 12 else '午後'}{stamp.hour % 12 if stamp.hour != 12 else 12}時{stamp.minute:02d}分"
