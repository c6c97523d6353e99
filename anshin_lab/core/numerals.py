"""Kanji numerals as people write them in dates and addresses."""

from __future__ import annotations

import re
import unicodedata

_DIGITS = {"〇": 0, "零": 0, "一": 1, "壱": 1, "二": 2, "弐": 2, "三": 3, "参": 3, "四": 4,
           "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "拾": 10, "百": 100, "千": 1000}
KANJI_NUMERAL_CHARS = "".join(_DIGITS) + "".join(_UNITS) + "万"
NUMBER_PATTERN = rf"[0-9{KANJI_NUMERAL_CHARS}]+"
_NUMBER_RE = re.compile(NUMBER_PATTERN)


def _below_10000(text: str) -> int:
    if all(ch in _DIGITS for ch in text):
        # Positional form: 二〇二四
        return int("".join(str(_DIGITS[ch]) for ch in text))
    total, current = 0, None
    for ch in text:
        if ch in _DIGITS:
            current = _DIGITS[ch]
        elif ch in _UNITS:
            total += (1 if current is None else current) * _UNITS[ch]
            current = None
        else:
            raise ValueError(f"not a kanji numeral: {text!r}")
    return total + (current or 0)


def to_int(text: str) -> int:
    """Read ``'12'``, ``'１２'``, ``'十二'``, ``'百二十三'`` or ``'二〇二四'`` as an int.

    Raises ``ValueError`` for anything else, including an empty string.
    """
    text = unicodedata.normalize("NFKC", text).strip()
    if not text:
        raise ValueError("empty numeral")
    if text.isascii():
        if not text.isdigit():
            raise ValueError(f"not a number: {text!r}")
        return int(text)
    if "万" in text:
        high, _, low = text.partition("万")
        return (_below_10000(high) if high else 1) * 10000 + (_below_10000(low) if low else 0)
    return _below_10000(text)


def replace_numerals(text: str) -> str:
    """Replace every run of kanji (or full-width) numerals in ``text`` by ASCII digits."""
    return _NUMBER_RE.sub(lambda m: str(to_int(m.group())), text)
