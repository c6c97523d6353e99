"""Prevention tips (★ lines, directive §5(3)) chosen by a rule table that staff can edit.

``templates/tips.csv`` has one row per tip: its ``category`` and up to six
conditions on the incident — ``subtype`` (手口), ``place`` (place type),
``time`` (time of day), ``victim`` (victim group), ``season`` and ``day``.

Matching rule: an empty condition matches any incident; otherwise it lists
the values it accepts, separated by ``|``, and matches only an incident whose
value is one of them (an incident without that value does not match). A tip
fits when all its conditions match. The tips that fit are ranked: those
with a ``subtype`` condition (the 手口's own advice) first, then the most
specific (most non-empty conditions), ties in file order; a mail takes the
first three. Every category keeps at least three tips without conditions, so every
incident gets three.

The derived values, from ``occurred_at`` in Asia/Tokyo:

- ``time``: 朝 5:00–8:59, 昼 9:00–15:59, 夕方 16:00–18:59, 夜 19:00–4:59;
- ``season``: 春 3–5月, 夏 6–8月, 秋 9–11月, 冬 12–2月;
- ``day``: 休日 on Saturdays, Sundays, national holidays and 12/29–1/3, else 平日.
"""

from __future__ import annotations

import functools

import holidays
import pandas as pd

from anshin_lab.core.dates import TOKYO
from anshin_lab.drafting.tables import cell_text, read_table

CONDITIONS = ("subtype", "place", "time", "victim", "season", "day")
TIPS_PER_DRAFT = 3

TIME_BANDS = {**{h: "朝" for h in range(5, 9)}, **{h: "昼" for h in range(9, 16)},
              **{h: "夕方" for h in range(16, 19)}, **{h: "夜" for h in (*range(19, 24), *range(0, 5))}}
SEASONS = {3: "春", 4: "春", 5: "春", 6: "夏", 7: "夏", 8: "夏", 9: "秋", 10: "秋", 11: "秋", 12: "冬", 1: "冬", 2: "冬"}
_JP_HOLIDAYS = holidays.Japan()
_NEW_YEAR = {(12, 29), (12, 30), (12, 31), (1, 1), (1, 2), (1, 3)}  # 年末年始, off like a holiday


@functools.lru_cache(maxsize=1)
def tips_library() -> pd.DataFrame:
    """Every tip: ``category``, the six condition columns (``""`` for any) and ``tip``."""
    return pd.DataFrame(read_table("tips.csv"), columns=["category", *CONDITIONS, "tip"])


def incident_facts(incident) -> dict[str, str]:
    """The values the conditions are matched against (``""`` when unknown)."""
    row = dict(incident)
    facts = {"subtype": cell_text(row.get("subtype")), "place": cell_text(row.get("place_type")),
             "victim": cell_text(row.get("victim_group")), "time": "", "season": "", "day": ""}
    occurred = row.get("occurred_at")
    if cell_text(occurred):
        stamp = pd.Timestamp(occurred)
        stamp = stamp.tz_localize(TOKYO) if stamp.tzinfo is None else stamp.tz_convert(TOKYO)
        off = stamp.weekday() >= 5 or stamp.date() in _JP_HOLIDAYS or (stamp.month, stamp.day) in _NEW_YEAR
        facts.update(time=TIME_BANDS[stamp.hour], season=SEASONS[stamp.month], day="休日" if off else "平日")
    return facts


def condition_matches(condition: str, value: str) -> bool:
    """An empty condition matches anything; ``a|b`` matches ``a`` or ``b`` (never an unknown value)."""
    return not condition or value in condition.split("|")


def tip_fits(tip_row, facts: dict[str, str]) -> bool:
    """Whether every condition of a tips.csv row matches the incident's ``facts``."""
    return all(condition_matches(tip_row[key], facts[key]) for key in CONDITIONS)


def choose_tips(incident, count: int = TIPS_PER_DRAFT) -> tuple[str, ...]:
    """The ``count`` tips that fit ``incident`` best (a mapping with ``category`` and the fields above)."""
    facts = incident_facts(incident)
    library = tips_library()
    rows = library[library["category"] == cell_text(dict(incident).get("category"))]
    fitting = [(not row["subtype"], -sum(bool(row[key]) for key in CONDITIONS), order, row["tip"])
               for order, row in enumerate(rows.to_dict("records")) if tip_fits(row, facts)]
    return tuple(dict.fromkeys(tip for *_, tip in sorted(fitting)))[:count]
