"""The checks every finder of persons applies to a span before it calls it a name.

Not a word of the dictionaries (``not_names``, ``generic``), not a title (「巡査部長さん」), not one kana,
not a pseudonym that already hides a name (「A子さん」「〇〇」), and not a town of the gazetteer read as
a family and a given name (「国分重久」). ``persons``, ``person_titles`` and ``learned`` all need them.
"""

from __future__ import annotations

import re

from anshin_lab.places import address
from anshin_lab.privacy.lint.lexicon import Lexicon
from anshin_lab.privacy.lint.tokens import kana_of

__all__ = ["checked_name", "inside_town"]

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
