"""The 多発 alert of a same-day fraud-call wave: one fraud-template mail about one municipality × 名乗り.

A wave (a row of ``analysis.fraud_waves.detect_waves``) is published at the
level of its municipality (``fraud_summary.area_decision``: assessed on the
municipality's name alone, never a finer place), and its text says how many
calls came between which times against the usual daily rate. Nothing here
stores or sends the draft (``app.wave_alerts`` asks the service to store it).
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from anshin_lab.analysis.fraud_calls import Area
from anshin_lab.drafting.fraud_summary import area_decision
from anshin_lab.drafting.mail import AlertDraft, MobileLimits, draft, edited, format_date, format_when
from anshin_lab.drafting.text import one_line

__all__ = ["draft_wave_alert", "wave_subject"]


def wave_subject(draft_subject: str) -> str:
    """The fraud subject of a wave: 「…を名乗る電話」 becomes 「…を名乗る電話が多発」."""
    return f"{draft_subject}が多発"


def draft_wave_alert(wave, areas, *, limits: MobileLimits | None = None) -> AlertDraft:
    """A fraud-template mail warning of ``wave`` (a row of ``detect_waves``: mapping or Series).

    The place is the wave's municipality as the privacy decision writes it
    (「鹿児島市内」); the situation gives the day, the span of the calls,
    their count and the usual rate (``expected`` calls a day). The draft's
    ``incident_ids`` are the wave's call ids.
    """
    row = dict(wave)
    city_code, city = str(row["city_code"]), str(row["city"])
    decision = area_decision(Area("city", city, city_code, (city_code,)), None, areas)
    caller = one_line(row["caller_as"])
    first, last = pd.Timestamp(row["first_at"]), pd.Timestamp(row["last_at"])
    span = (f"{format_when(first, with_date=False)}から{format_when(last, with_date=False)}までの間に"
            if format_when(first, with_date=False) != format_when(last, with_date=False)
            else f"{format_when(first, with_date=False)}に")
    situation = (f"{format_date(first)}、{span}{decision.area_text}で{caller}を名乗るうそ電話が{int(row['count'])}件"
                 f"確認されました(ふだんは1日あたり{float(row['expected']):.1f}件ほどです)。"
                 "同じような電話が続くおそれがあります。")
    stations = [s for s in str(row.get("stations") or "").split("・") if s]
    incident = {
        "incident_id": f"fraud-wave:{row['date']}:{city_code}:{caller}", "category": "fraud",
        "subtype": row["method"], "caller_as": caller, "summary": situation,
        "station": stations[0] if len(stations) == 1 else None, "occurred_at": last,
    }
    limits = limits or MobileLimits()
    made = draft(incident, decision, limits=limits)
    made = edited(made, subject=wave_subject(made.subject), limits=limits)
    return replace(made, incident_ids=tuple(str(i) for i in row["call_ids"]))
