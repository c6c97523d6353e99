"""The service's operations in numbers: delays, reach, growth and churn, bounces by carrier (pure functions).

Every function takes frames and plain values and returns a new frame of
counts, minutes or rates: no person, address or text goes in or out beyond
member numbers used for counting. ``app.operations`` reads the database and
calls these; ``views.operations`` draws them.

Definitions (stated in the report):

- delays: per sent alert, minutes from the incident (the earliest linked
  incident's 発生日時) to the draft, the draft to the approval that cleared it,
  the approval to the send, and the incident to the send; median and the
  90th percentile (linear interpolation, as ``pandas.Series.quantile``);
- reach: active members who chose a category and an area covering a
  municipality (or station district), per 1,000 households of the 2015 census;
- growth and churn per month (Asia/Tokyo): members opted in, unsubscribed,
  suppressed after bounces, active at the month's end and churn = (unsubscribed
  + suppressed) / active at the month's start;
- bounces per carrier: bounces over messages sent, by the carrier's domains.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from anshin_lab.core.clock import TOKYO_NAME

__all__ = [
    "CARRIERS", "OTHER_CARRIER", "STAGES", "TARGET_MINUTES", "bounces_by_carrier", "carrier_of", "covered_areas",
    "delay_summary", "growth_and_churn", "reach_table", "stage_minutes", "target_summary",
]

# The carriers a bounce is counted under, by the domain of the address (the rest: その他).
CARRIERS = (
    ("docomo", ("docomo.ne.jp",)),
    ("au", ("ezweb.ne.jp", "au.com")),
    ("SoftBank", ("softbank.ne.jp", "i.softbank.jp")),
    ("Gmail", ("gmail.com",)),
)
OTHER_CARRIER = "その他"
# The time from incident to send an urgent-path category (逃走事案) is held to, in minutes (issue 18).
TARGET_MINUTES = 30
# (column, label, from, to): the stages of an alert's way out, in order.
STAGES = (
    ("to_draft", "発生→起案", "occurred_at", "drafted_at"),
    ("to_approval", "起案→承認", "drafted_at", "approved_at"),
    ("to_send", "承認→発信", "approved_at", "sent_at"),
    ("total", "発生→発信", "occurred_at", "sent_at"),
)


def carrier_of(domain: str) -> str:
    """The carrier of a mail domain (sub-domains count: 「x.docomo.ne.jp」 is docomo); else 「その他」."""
    domain = str(domain or "").strip().lower().rstrip(".")
    for carrier, domains in CARRIERS:
        if any(domain == d or domain.endswith("." + d) for d in domains):
            return carrier
    return OTHER_CARRIER


def stage_minutes(steps: pd.DataFrame) -> pd.DataFrame:
    """``steps`` (alert_id, category and the aware times of ``STAGES``) with one column of minutes per stage.

    A missing time (an incident purged by retention, an alert sent on the
    urgent path before its approval) leaves that stage NaN.
    """
    out = steps[["alert_id", "category"]].copy()
    for column, _, start, end in STAGES:
        out[column] = (pd.to_datetime(steps[end], utc=True) - pd.to_datetime(steps[start], utc=True)).dt.total_seconds() / 60
    return out


def delay_summary(minutes: pd.DataFrame, categories: dict) -> pd.DataFrame:
    """Per category and stage: alerts counted, median and 90th percentile in minutes.

    ``minutes`` is ``stage_minutes``' frame; ``categories`` maps code → label
    (the order of the rows). Columns: category, label, stage, stage_label,
    alerts, median_min, p90_min.
    """
    rows = []
    for code, label in categories.items():
        mine = minutes[minutes["category"] == code]
        for column, stage_label, _, _ in STAGES:
            values = mine[column].dropna()
            rows.append({"category": code, "label": label, "stage": column, "stage_label": stage_label,
                         "alerts": int(len(values)),
                         "median_min": float(values.median()) if len(values) else np.nan,
                         "p90_min": float(values.quantile(0.9)) if len(values) else np.nan})
    return pd.DataFrame(rows, columns=["category", "label", "stage", "stage_label", "alerts", "median_min", "p90_min"])


def target_summary(minutes: pd.DataFrame, categories: dict, target_min: float = TARGET_MINUTES) -> pd.DataFrame:
    """For each category in ``categories`` (held to the target): alerts, within target, share, median, p90."""
    rows = []
    for code, label in categories.items():
        values = minutes.loc[minutes["category"] == code, "total"].dropna()
        within = int((values <= target_min).sum())
        rows.append({"category": code, "label": label, "target_min": float(target_min), "alerts": int(len(values)),
                     "within": within, "share_pct": 100.0 * within / len(values) if len(values) else np.nan,
                     "median_min": float(values.median()) if len(values) else np.nan,
                     "p90_min": float(values.quantile(0.9)) if len(values) else np.nan})
    return pd.DataFrame(rows, columns=["category", "label", "target_min", "alerts", "within", "share_pct",
                                       "median_min", "p90_min"])


def covered_areas(areas: pd.DataFrame, *, cities, station_cities: dict, chome_station: dict) -> pd.DataFrame:
    """(member_id, kind, code) for every municipality (kind city) and station district (kind station) covered.

    ``areas`` holds the members' chosen areas (member_id, kind, code) with
    kind pref / city / station / chome. The prefecture covers every area; a
    municipality covers itself and the districts holding part of it; a
    district covers itself and its municipalities; a 町丁目 covers its
    municipality (the code's first five digits) and its district
    (``chome_station``). ``station_cities`` maps district → city codes.
    """
    cities = [str(c) for c in cities]
    city_stations: dict = {}
    for station, codes in station_cities.items():
        for code in codes:
            city_stations.setdefault(str(code), []).append(station)
    pairs = []
    for member_id, kind, code in areas[["member_id", "kind", "code"]].itertuples(index=False):
        code = str(code)
        if kind == "pref":
            pairs += [(member_id, "city", c) for c in cities]
            pairs += [(member_id, "station", s) for s in station_cities]
        elif kind == "city":
            pairs += [(member_id, "city", code)] + [(member_id, "station", s) for s in city_stations.get(code, [])]
        elif kind == "station":
            pairs += [(member_id, "station", code)] + [(member_id, "city", str(c)) for c in station_cities.get(code, ())]
        elif kind == "chome":
            pairs.append((member_id, "city", code[:5]))
            if code in chome_station:
                pairs.append((member_id, "station", str(chome_station[code])))
    return pd.DataFrame(pairs, columns=["member_id", "kind", "code"]).drop_duplicates(ignore_index=True)


def reach_table(covered: pd.DataFrame, member_categories: pd.DataFrame, households: dict, names: dict,
                kind: str, categories: dict) -> pd.DataFrame:
    """Active members reached per area of ``kind`` (city / station): in all and per category, per 1,000 households.

    ``covered`` comes from ``covered_areas`` (active members only);
    ``member_categories`` holds (member_id, category); ``households`` and
    ``names`` map each area code to its households and name. One row per
    area (also those no member covers), lowest coverage first: code, name,
    households, members, per_1000, and ``<category>`` / ``<category>_per_1000``.
    """
    mine = covered[covered["kind"] == kind]
    codes = list(households)
    table = pd.DataFrame({"code": codes, "name": [names.get(c, c) for c in codes],
                          "households": [int(households[c]) for c in codes]})
    total = mine.groupby("code")["member_id"].nunique()
    table["members"] = table["code"].map(total).fillna(0).astype(int)
    both = mine.merge(member_categories, on="member_id")
    per = both.groupby(["code", "category"])["member_id"].nunique()
    for code in categories:
        counts = per.xs(code, level="category") if code in per.index.get_level_values("category") else pd.Series(dtype=int)
        table[code] = table["code"].map(counts).fillna(0).astype(int)
    hh = table["households"].where(table["households"] > 0)
    table["per_1000"] = table["members"] * 1000.0 / hh
    for code in categories:
        table[f"{code}_per_1000"] = table[code] * 1000.0 / hh
    return table.sort_values(["per_1000", "code"], na_position="last", kind="stable").reset_index(drop=True)


def _month(values: pd.Series) -> pd.Series:
    stamps = pd.to_datetime(values, utc=True).dt.tz_convert(TOKYO_NAME)
    return stamps.dt.strftime("%Y-%m").where(stamps.notna())


def growth_and_churn(members: pd.DataFrame, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Per month (Asia/Tokyo) from ``start``'s month to ``end``'s: joined, left, active and churn.

    ``members`` holds opted_in_at, unsubscribed_at and suppressed_at (aware
    or UTC times, NaT when none). Columns: month, joined, unsubscribed,
    suppressed, net, active_start, active_end, churn_pct (NaN when no member
    was active at the start).
    """
    months = pd.period_range(pd.Period(start, "M"), pd.Period(end, "M"), freq="M")
    joined, left, gone = (_month(members[c]) for c in ("opted_in_at", "unsubscribed_at", "suppressed_at"))
    rows = []
    for month in months:
        label = str(month)
        first = pd.Timestamp(month.start_time).tz_localize(TOKYO_NAME)
        after = pd.Timestamp((month + 1).start_time).tz_localize(TOKYO_NAME)
        rows.append({"month": label, "joined": int((joined == label).sum()), "unsubscribed": int((left == label).sum()),
                     "suppressed": int((gone == label).sum()),
                     "active_start": _active_at(members, first), "active_end": _active_at(members, after)})
    table = pd.DataFrame(rows, columns=["month", "joined", "unsubscribed", "suppressed", "active_start", "active_end"])
    table["net"] = table["joined"] - table["unsubscribed"] - table["suppressed"]
    start_count = table["active_start"].where(table["active_start"] > 0)
    table["churn_pct"] = 100.0 * (table["unsubscribed"] + table["suppressed"]) / start_count
    return table


def _active_at(members: pd.DataFrame, moment: pd.Timestamp) -> int:
    """Members opted in before ``moment`` and neither unsubscribed nor suppressed by then."""
    opted = pd.to_datetime(members["opted_in_at"], utc=True)
    ended = pd.concat([pd.to_datetime(members[c], utc=True) for c in ("unsubscribed_at", "suppressed_at")], axis=1).min(axis=1)
    return int(((opted < moment) & (ended.isna() | (ended >= moment))).sum())


def bounces_by_carrier(sent_domains: pd.Series, bounce_domains: pd.Series) -> pd.DataFrame:
    """Messages sent, bounces and the bounce rate (%) per carrier, in the order of ``CARRIERS`` then その他."""
    order = [c for c, _ in CARRIERS] + [OTHER_CARRIER]
    sent = sent_domains.map(carrier_of).value_counts().reindex(order, fill_value=0)
    bounced = bounce_domains.map(carrier_of).value_counts().reindex(order, fill_value=0)
    table = pd.DataFrame({"carrier": order, "sent": sent.to_numpy(dtype=int), "bounces": bounced.to_numpy(dtype=int)})
    table["bounce_pct"] = 100.0 * table["bounces"] / table["sent"].where(table["sent"] > 0)
    return table
