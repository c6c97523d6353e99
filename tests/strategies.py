"""Hypothesis strategies shared by the tests."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

KANJI_DIGITS = "〇一二三四五六七八九"

# Dates inside 令和 (the era exports of the current system use), minute precision.
reiwa_datetimes = st.datetimes(
    min_value=dt.datetime(2019, 5, 1), max_value=dt.datetime(2030, 12, 31, 23, 59),
).map(lambda d: d.replace(second=0, microsecond=0))


def kanji(n: int) -> str:
    """An integer in kanji the way people write it (十二, 二十, 百二十三)."""
    if n == 0:
        return "〇"
    out = ""
    for value, unit in ((1000, "千"), (100, "百"), (10, "十")):
        q, n = divmod(n, value)
        if q:
            out += ("" if q == 1 else KANJI_DIGITS[q]) + unit
    return out + (KANJI_DIGITS[n] if n else "")


def full_width(text: str) -> str:
    return text.translate(str.maketrans("0123456789", "０１２３４５６７８９"))


numeral_styles = st.sampled_from(["ascii", "full", "kanji"])


def write_number(n: int, style: str) -> str:
    return {"ascii": str(n), "full": full_width(str(n)), "kanji": kanji(n)}[style]
