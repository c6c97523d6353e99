"""The alert a series of similar incidents seeds: 「同様の事案が続いています」 with the published areas only.

Each incident of the series is assessed as its own alert would be
(``privacy.assess``): the text names the area each one would publish
(「鹿児島市紫原付近」), never its address, point, station or number. The alert
itself is sent to the smallest area holding them all (the decision of the
latest incident, coarsened with ``privacy.adjust`` when the series spreads
over several areas). The rest of the mail is the latest incident's, as a
normal alert shows it (手口, 日時, 行為者の特徴, ★ tips); a series that crosses
station districts is sent in the prefectural police's name, naming no
station. Nothing here stores the draft (``app.patterns`` asks the service).
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from anshin_lab import privacy
from anshin_lab.core.granularity import Granularity
from anshin_lab.drafting.mail import AlertDraft, MobileLimits, draft, format_date

__all__ = ["SERIES_LEAD", "common_decision", "draft_series_alert", "published_areas"]

SERIES_LEAD = "同様の事案が続いています。"


def published_areas(decisions) -> list[str]:
    """The distinct public area texts of ``decisions`` (in the order given)."""
    return list(dict.fromkeys(d.area_text for d in decisions))


def common_decision(decisions, areas) -> privacy.Decision:
    """The decision of the last incident, coarsened to the smallest level whose area holds every one's area."""
    latest = decisions[-1]
    start = max(d.level for d in decisions)
    for level in (g for g in Granularity if g >= start):
        codes = {d.codes.get(level) for d in decisions}
        if len(codes) == 1 and None not in codes:
            if level == latest.level:
                return latest
            return privacy.adjust(latest, level, areas, reason="同様の事案が続いている範囲にまとめました")
    return privacy.adjust(latest, Granularity.PREF, areas, reason="同様の事案が続いている範囲にまとめました")


def draft_series_alert(members: pd.DataFrame, areas, *, limits: MobileLimits | None = None) -> AlertDraft:
    """The alert of a series: ``members`` are its stored incident rows (2 or more).

    The situation opens with 「同様の事案が続いています。」, then says how
    many incidents since when and in which published areas; the latest
    incident's own summary follows. ``incident_ids`` are the series'.
    """
    members = members.sort_values("occurred_at")
    rows = members.to_dict("records")
    decisions = [privacy.assess(row, areas) for row in rows]
    decision = common_decision(decisions, areas)
    places = "、".join(published_areas(decisions))
    latest = dict(rows[-1])
    stations = {str(r.get("station") or "") for r in rows}
    first_day = format_date(pd.Timestamp(rows[0]["occurred_at"]))
    lead = (f"{SERIES_LEAD}{first_day}から、{places}で、同様の事案がこれまでに{len(rows)}件発生しています。")
    latest["summary"] = f"{lead}\n{latest.get('summary') or ''}".strip()
    if len(stations) > 1:
        latest["station"] = None  # another district's station is not named: the prefectural police sends it
    made = draft(latest, decision, limits=limits or MobileLimits())
    area_codes = dict(made.area_codes)
    if len(stations) > 1:
        area_codes["station"] = None
    return replace(made, incident_ids=tuple(str(r["incident_id"]) for r in rows), area_codes=area_codes)
