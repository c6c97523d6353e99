"""The checks every finder of persons applies to a span before it calls it a name.

Not a word of the dictionaries (``not_names``, ``generic``), not a title (「巡査部長さん」), not one kana,
not a pseudonym that already hides a name (「A子さん」「〇〇」), and not a town of the gazetteer read as
a family and a given name (「国分重久」). ``persons``, ``person_titles`` and ``learned`` all need them.
"""

from __future__ import annotations

import functools
import re

from anshin_lab.places import address
from anshin_lab.privacy.lint.lexicon import Lexicon, dictionary_lines
from anshin_lab.privacy.lint.tokens import kana_of

__all__ = ["checked_name", "in_business_word", "inside_town"]

# Pseudonyms that already hide a name: 「A子さん」「Bさん」「X男」.
_PSEUDONYM = re.compile(r"[A-Za-zＡ-Ｚａ-ｚ][子男美郎]?")


def checked_name(text: str, start: int, end: int, lex: Lexicon):
    name = text[start:end]
    if not name or name in lex.not_names or name in lex.generic or name.endswith("屋"):
        return None
    if name in lex.titles or name in lex.titles_before:
        return None  # 「巡査部長さん」: a title is no name
    if len(name) == 1 and kana_of(name):
        return None
    if _PSEUDONYM.fullmatch(name) or all(ch in "〇○◯●×＊*・" for ch in name):
        return None
    return (start, end)


def inside_town(text: str, start: int, end: int) -> bool:
    """Whether a town of the gazetteer covers text[start:end] (「国分重久」 is a town, not 国分 重久)."""
    gaz = address.gazetteer()
    for p in range(max(0, start - gaz.all_lengths[0]), start + 1):
        for length in gaz.all_lengths:
            if p + length < end:
                break
            if address.fold(text[p:p + length]) in gaz.everywhere:
                return True
    return False


@functools.lru_cache(maxsize=1)
def _business_words() -> re.Pattern:
    words = sorted(set(dictionary_lines("business_words.txt")), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, words)))


def in_business_word(text: str, start: int, end: int) -> bool:
    """Whether a company's trade word (``business_words.txt``) starts inside text[start:end] and runs to its end or
    beyond (「浜|田港運」: the name read there is the company's 浜田港運, 「山田建|設」)."""
    words = _business_words()
    for p in range(start + 1, end):
        m = words.match(text, p)
        if m and m.end() >= end:
            return True
    return False
