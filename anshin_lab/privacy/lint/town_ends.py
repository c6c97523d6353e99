"""Towns that end where a facility's kind word starts (「伊佐市菱刈前目|中学校」「上八万|小学校」): a school or a park
named after its town is named, however SudachiPy cuts the town's name."""

from __future__ import annotations

import re

from anshin_lab.privacy.lint.municipalities import after_municipality
from anshin_lab.privacy.lint.tokens import script_of
from anshin_lab.privacy.lint.towns import gazetteer_town, town_anywhere

__all__ = ["cho_town_ending_at", "town_ending_at"]

# Round 94: a market town named after its market day (「十日市|保育所」「四日市」「廿日市」), which SudachiPy reads as a date.
_MARKET_TOWN = re.compile(r"[一二三四五六七八九十廿]{1,2}日市場?")


def town_ending_at(text: str, end: int, shortest: int) -> int | None:
    """Where the longest town of the gazetteer (``shortest`` characters or more) that ends at ``end`` starts, if it
    starts a word (after no kanji, or right after its municipality): 「伊佐市菱刈前目|中学校」."""
    for length in range(min(8, end), shortest - 1, -1):
        start = end - length
        town = gazetteer_town(text[start:end]) or _MARKET_TOWN.fullmatch(text, start, end)
        if town and (start == 0 or script_of(text[start - 1]) != "kanji" or after_municipality(text, start)):
            return start
    return None


def cho_town_ending_at(text: str, end: int) -> int | None:
    """Where a run of two to five kanji ending at ``end`` starts when it is a town written without its 町 (「上八万」 of
    徳島市上八万町), starting a word."""
    for length in range(min(5, end), 1, -1):
        start = end - length
        if all(script_of(ch) == "kanji" for ch in text[start:end]) and town_anywhere(text[start:end] + "町") \
                and (start == 0 or script_of(text[start - 1]) != "kanji"):
            return start
    return None
