"""The place line of a mail: the privacy decision's area and wording, with the kind of facility named.

A place type of 施設 alone reads vaguely (「…付近の施設」), so the mail names
the kind — 介護施設, 病院, 商業施設 — from a word in the incident's summary
(``templates/place_kinds.csv``), never a proper name; with no such word it
says 「…付近の施設内」, the directive's own wording. A wording that says
付近 itself after an area that does (「…町付近の駅付近」) says 周辺 instead.
"""

from __future__ import annotations

import functools

from anshin_lab.drafting.tables import read_table

VAGUE_WORDING = "施設"
UNKNOWN_KIND = "施設内"


@functools.lru_cache(maxsize=1)
def _kinds() -> tuple[tuple[str, str], ...]:
    return tuple((row["word"], row["kind"]) for row in read_table("place_kinds.csv") if row["word"])


def facility_kind(summary: str) -> str:
    """The kind of facility a summary speaks of (「入所先の介護施設を出たまま」→「介護施設」), or 「施設内」."""
    return next((kind for word, kind in _kinds() if word in summary), UNKNOWN_KIND)


def mail_place(decision, summary: str) -> str:
    """What the mail and the public archive say for the place: ``decision.public_text``, reading right."""
    wording = decision.wording or ""
    if not wording or not decision.public_text.endswith("の" + wording):
        return decision.public_text
    if wording == VAGUE_WORDING:
        wording = facility_kind(summary)
    elif wording.endswith("付近") and decision.area_text.endswith("付近"):
        wording = wording.removesuffix("付近") + "周辺"
    return f"{decision.area_text}の{wording}"
