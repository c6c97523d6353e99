"""Same-day fraud-call waves: the wave test run when calls are imported, and the 多発 drafts it seeds.

``check_waves(ws, days)`` runs ``analysis.fraud_waves.detect_waves`` on the
stored calls for each day given, one day at a time, against the baseline
before that day (``BASELINE_DAYS``; not before the first stored call). A day
on which no municipality × 名乗り has ``MIN_CALLS`` calls cannot hold a wave
and is not tested, so an import of a whole year stays quick.
``store_wave_drafts`` asks ``anshin service`` (a logged-in ``ServiceClient``)
to store each wave's 多発 alert (``drafting.fraud_wave``) as a DRAFT awaiting
approval, once per wave: the wave's key (day, municipality, 名乗り) is the
draft's report key, so importing again, or more calls of the same wave,
hands back the draft stored the first time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from anshin_lab.analysis.fraud_calls import Period
from anshin_lab.analysis.fraud_waves import ALPHA, BASELINE_DAYS, MIN_CALLS, WAVE_COLUMNS, detect_waves
from anshin_lab.app.catalog import load_areas
from anshin_lab.app.client import ServiceClient
from anshin_lab.app.references import reference_tables
from anshin_lab.app.workspace import Workspace
from anshin_lab.core.dates import TOKYO
from anshin_lab.drafting.fraud_wave import draft_wave_alert
from anshin_lab.drafting.mail import MobileLimits, format_date
from anshin_lab.storage import store
from anshin_lab.storage.fraud_calls import coverage, read_calls

__all__ = ["WaveCheck", "WaveDraft", "check_waves", "describe_wave", "draft_command", "store_wave_drafts",
           "touched_days", "wave_key"]

WAVE_KEY_PREFIX = "fraud-wave"


@dataclass(frozen=True)
class WaveCheck:
    """The wave test of some days: the days asked for, the days actually tested, the waves found (strongest first)."""

    days: tuple = ()
    tested: tuple = ()
    waves: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(WAVE_COLUMNS)))

    def wave_rows(self) -> list[dict]:
        return self.waves.to_dict("records")


@dataclass(frozen=True)
class WaveDraft:
    """What happened to one wave's draft: its alert number (None when not stored) and whether it existed."""

    wave: dict
    alert_id: int | None
    existing: bool = False


def touched_days(calls: pd.DataFrame) -> list[dt.date]:
    """The days (Asia/Tokyo) on which ``calls`` (canonical columns) happened, oldest first."""
    if not len(calls):
        return []
    return sorted(set(pd.to_datetime(calls["occurred_at"]).dt.tz_convert(TOKYO).dt.date))


def check_waves(ws: Workspace, days, *, baseline_days: int = BASELINE_DAYS, alpha: float = ALPHA,
                min_calls: int = MIN_CALLS) -> WaveCheck:
    """The waves on ``days`` (dates) among the calls stored in ``ws``, each day against the baseline before it."""
    days = tuple(sorted(set(days)))
    if not days:
        return WaveCheck()
    engine = store.connect(ws.database_url)
    try:
        first, _ = coverage(engine)
        since = Period(days[0], days[0]).start_at - pd.Timedelta(days=int(baseline_days))
        calls = read_calls(engine, since=since, until=Period(days[-1], days[-1]).end_at)
    finally:
        engine.dispose()
    if not len(calls):
        return WaveCheck(days)
    day_of = calls["occurred_at"].dt.date
    inside = day_of.isin(days)
    counts = calls[inside].groupby([day_of[inside], calls["city_code"][inside], calls["caller_as"][inside]]).size()
    candidates = sorted({day for (day, _, _), n in counts.items() if n >= min_calls})
    tables = reference_tables(ws.reference_dir) if candidates else None
    found = []
    for day in candidates:
        waves, _ = detect_waves(calls, Period(day, day), baseline_days=baseline_days, alpha=alpha,
                                min_calls=min_calls, history_start=first, tables=tables)
        if len(waves):
            found.append(waves)
    if not found:
        return WaveCheck(days, tuple(candidates))
    waves = pd.concat(found, ignore_index=True).sort_values(["date", "p_value"]).reset_index(drop=True)
    return WaveCheck(days, tuple(candidates), waves)


def wave_key(wave) -> str:
    """The key of one wave (day, municipality, 名乗り): a second draft of the same wave finds the first."""
    return f"{WAVE_KEY_PREFIX}|{wave['date']}|{wave['city_code']}|{wave['caller_as']}"


def describe_wave(wave) -> str:
    """「12月1日(火) 鹿児島市・警察官を名乗る 12件(通常 1.3件/日)」."""
    return (f"{format_date(pd.Timestamp(wave['date']))} {wave['city']}・{wave['caller_as']}を名乗る "
            f"{int(wave['count'])}件(通常 {float(wave['expected']):.1f}件/日)")


def draft_command(ws: Workspace, day) -> str:
    """The command that drafts the waves of ``day`` later, through the service."""
    return f"anshin fraud waves --workspace {ws.root} --day {day} --draft --user 分析担当のユーザー名"


def store_wave_drafts(ws: Workspace, waves, client: ServiceClient, *, areas=None) -> list[WaveDraft]:
    """Ask the service (``client``, logged in as an analyst) to store each wave's 多発 alert as a draft.

    Never submitted, never sent. A wave drafted before (same key) gives back
    that draft (``existing``). The service's refusal (``AnshinError``) is
    raised as it came.
    """
    rows = waves.to_dict("records") if isinstance(waves, pd.DataFrame) else [dict(w) for w in waves]
    if not rows:
        return []
    areas = areas or load_areas(ws.root)
    limits = MobileLimits(ws.settings.subject_max_chars, ws.settings.body_max_chars)
    results = []
    for wave in rows:
        made = draft_wave_alert(wave, areas, limits=limits)
        answer = client.create_alert_answer(
            category=made.category, subject=made.subject, body=made.body, level=made.level,
            public_text=made.public_text, assessed_level=made.assessed_level, area_codes=made.area_codes,
            incident_ids=list(made.incident_ids), report_key=wave_key(wave))
        results.append(WaveDraft(wave, int(answer["alert_id"]), bool(answer["existing"])))
    return results

