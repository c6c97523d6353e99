"""A name with its reading glued after it in hiragana, before its title (round 123): 「安里優雅あさとゆうがくん」
「比嘉琉々亜ひがるるあさん」「加藤ななかとうななさん」.

School and town newsletters print a child's reading right after the name, with no bracket, and SudachiPy reads the
run as words or a given name (「ゆうが」). The reading starts with the family name's (SudachiPy's 姓 readings, voiced
or not: 比嘉 is given as ヒカ), and what the kana hold before it is the end of a given name in kana (「なな」). The name
and the reading are two findings, as ``readings.split_readings`` makes a bracketed reading (the reading's suggestion
is empty, so the fix reads 「〇〇くん」).
"""

from __future__ import annotations

import functools
import re
import unicodedata

from anshin_lab.privacy.lint.findings import PERSON_MASK
from anshin_lab.privacy.lint.tokens import surname_readings

__all__ = ["find_inline_readings"]

_INLINE = re.compile(r"(?<![一-鿿々〆ヶ])(?P<kanji>[一-鿿々〆ヶ]{2,6})(?P<kana>(?![のがはをにでとへもや])[ぁ-ゖー]{3,16}?)"
                     r"(?=さん|くん|ちゃん|君|さま)")  # (no particle after the kanji: 「多賀のたがゆいちゃん」, a mascot)
_GIVEN_IN_KANA = 4  # the longest end of a given name in kana before the reading (「なな」)


@functools.lru_cache(maxsize=4096)
def _unvoiced(kana: str) -> str:
    """``kana`` without voicing marks (「ひが」 → 「ひか」): a family name's reading is voiced or not by the name."""
    return "".join(ch for ch in unicodedata.normalize("NFD", kana) if ch not in "\u3099\u309a")


def find_inline_readings(text: str) -> list[tuple]:
    """Candidates ``(start, end, "person", suggestion)``: each name and its glued reading, two findings."""
    out = []
    for m in _INLINE.finditer(text):
        kanji, kana = m["kanji"], _unvoiced(m["kana"])
        for cut in range(min(3, len(kanji)), 0, -1):
            at = _reading_at(kana, kanji[:cut])
            if at is None or (at > 0 and cut < len(kanji)) or (at == 0 and cut == len(kanji)) or at == 1:
                continue  # a reading of the family name alone, or kana between a kanji given name and its reading
            split = m.start("kana") + at
            out += [(m.start(), split, "person", PERSON_MASK), (split, m.end(), "person", "")]
            break
    return out


def _reading_at(kana: str, family: str) -> int | None:
    """Where in ``kana`` a reading of ``family`` starts, no further than a given name's end, with more read after it."""
    for reading in map(_unvoiced, surname_readings(family)):
        at = kana.find(reading)
        if 0 <= at <= _GIVEN_IN_KANA and len(kana) - at > len(reading):
            return at
    return None
