"""The fraud summary alert: one fraud-template mail drafted from a fraud-call summary.

The place is published at municipality level at most, decided by
``privacy.assess`` on the municipality's name alone. Nothing here stores or
sends the draft (``app.fraud_reports.store_summary_draft`` stores it).
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from anshin_lab.core.dates import TOKYO, WEEKDAYS
from anshin_lab.drafting.mail import draft
from anshin_lab.privacy import assess


def draft_summary_alert(summary, areas, *, limits=None):
    """A fraud-template mail for ``summary`` (an ``analysis.fraud_calls.FraudSummary``), or None when it has no calls.

    The subject of the mail is the strongest wave when there is one (its
    municipality, 名乗り and 手口), otherwise the area's most frequent 名乗り.
    The place is published at municipality level (the prefecture for a
    prefecture-wide mail without a wave), decided by ``privacy.assess`` on the
    municipality's name alone, so no finer place can reach the text. The
    situation states the counts; the template adds typical phrases and ★ tips.
    """
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
    return replace(draft(incident, decision, **kwargs), incident_ids=tuple(ids))


def _single_station(calls: pd.DataFrame) -> str | None:
    stations = calls["station"].dropna().unique()
    return str(stations[0]) if len(stations) == 1 else None


def _month_day(day) -> str:
    stamp = pd.Timestamp(day)
    return f"{stamp.month}月{stamp.day}日({WEEKDAYS[stamp.weekday()]})"


def _clock(stamp) -> str:
    stamp = pd.Timestamp(stamp).tz_convert(TOKYO)
    return f"{'午前' if stamp.hour < 12 else '午後'}{stamp.hour % 12 if stamp.hour != 12 else 12}時{stamp.minute:02d}分"
