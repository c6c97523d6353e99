"""Lists of officials by family name, department and title (issue 14, round 30): 「小倉地域振興部長、森谷文化観光スポーツ
局長、長谷川県土整備部長」「梅林調査課係長」.

Minutes and notices list the officials present as their family name glued to a department's name and a head's title,
one after another, with 、 or spaces between. A department's name is any words (地域振興, 文化観光スポーツ, 県土整備), so
one such item alone is ambiguous (「小倉地域振興部長」 might head a 小倉 office); in a list of at least two items of this
shape the first word of each is the family name when the dictionary has it as one (or reads it as a person's name)
and it is no place the text names as such (a municipality).

Round 109: results list their winners by name and prize (「▽5年=安心院美季(金賞)、明珍陽南(銀賞)」); a name before a prize
in brackets is a person's, whatever its words also mean (安心院 is a town).

``find_official_lists`` and ``find_prize_winners`` return candidates ``(start, end, "person", PERSON_MASK)`` on the
folded text.
"""

from __future__ import annotations

import re

from anshin_lab.privacy.lint.findings import PERSON_MASK
from anshin_lab.privacy.lint.lexicon import Lexicon
from anshin_lab.privacy.lint.municipalities import is_municipality_name
from anshin_lab.privacy.lint.name_runs import LEAD_CHARS
from anshin_lab.privacy.lint.tokens import can_be_given, can_be_surname, tokenize

__all__ = ["find_official_lists", "find_prize_winners"]

# One item: a run of kanji, katakana and 「・」 that ends in a department head's title, between separators.
_ITEM = re.compile(r"(?:(?<=^)|(?<=[、,\s]))(?P<run>[一-龥々ヶァ-ヺー・]{4,24}?(?:部長|局長|課長補佐|課長|係長|室長|次長|審議監|参事))"
                   r"(?=[、,\s]|$)")


def find_official_lists(text: str, lex: Lexicon) -> list[tuple]:
    """The family names that start two or more items of a list of department heads."""
    if "長" not in text:
        return []
    names = []
    for m in _ITEM.finditer(text):
        name = _family_name(m["run"], lex)
        if name:
            names.append((m.start("run"), m.start("run") + len(name)))
    if len(names) < 2:
        return []
    return [(a, b, "person", PERSON_MASK) for a, b in names]


# A winner: a full name of kanji after a separator, before a prize in brackets (「=安心院美季(金賞)」「、加藤璃子(銅賞)」).
_WINNER = re.compile(r"(?:(?<=^)|(?<=[=＝、,▽・\s]))(?P<name>[一-龥々]{3,6})[(（](?:最?優秀|優良|金|銀|銅|特別|努力|佳作|奨励)賞[)）]")


def find_prize_winners(text: str) -> list[tuple]:
    """The full names before a prize in brackets, in a list of results (round 109)."""
    if "賞" not in text:
        return []
    return [(*m.span("name"), "person", PERSON_MASK) for m in _WINNER.finditer(text)
            if any(can_be_surname(m["name"][:n]) for n in (1, 2, 3)) or can_be_given(m["name"][-2:])]


def _family_name(run: str, lex: Lexicon) -> str | None:
    """The family name that starts ``run`` (its first token, 1–3 kanji), when a department's words follow it."""
    piece = tokenize(run)
    if len(piece) < 3:
        return None
    first = piece[0].surface
    if not 1 <= len(first) <= 3 or not re.fullmatch(r"[一-龥々ヶ]+", first) or first[0] in LEAD_CHARS:
        return None
    if not (piece[0].person or can_be_surname(first)) or is_municipality_name(first, lex) or first in lex.generic:
        return None
    return first
