"""Names SudachiPy reads as a direction word: family names of one kanji of direction (issue 14, round 111:
「講師は長縄さんから北さんに」「出身の西選手は」) and high schools named by a place and a direction (round 115: 「出雲西高」).

SudachiPy reads 東, 西, 南 and 北 alone as common nouns, so no finder that asks for a family name sees them. Glued
before an honorific or a player's title, as a word of its own, a direction names no place: it is a family name. 「お西さん」
and 「お東さん」 are the two temples of 本願寺, as Kyoto calls them, and a direction inside a longer word (「関西さん」) is
that word's. ``direction_surnames`` returns candidates ``(start, end, "person", PERSON_MASK)``.

SudachiPy also reads 「西高」 as one common word (as in 「西高東低」), so the finders of short school names, which look
for 高 alone, miss 「出雲|西高」「鳥取|西高」. Glued after a place's name and ending the word, it is that place's west high
school. ``direction_high_schools`` returns ``(start, end, "facility", "学校")``.
"""

from __future__ import annotations

import re

from anshin_lab.privacy.lint.findings import PERSON_MASK
from anshin_lab.privacy.lint.tokens import Token

__all__ = ["direction_high_schools", "direction_surnames"]

_DIRECTIONS = frozenset("東西南北")
_HONORIFIC_AFTER = re.compile(r"(?:さん|氏|選手|君|くん|ちゃん|先生|監督|コーチ)")
# What may stand before such a name: the start, a particle, punctuation, a space or a bracket; never a word of its own
# (「関西さん」 is cut so by no tokenizer, but 「お西さん」 is the prefix お).
_EDGE_POS = ("助詞", "補助記号", "空白")


def direction_surnames(text: str, tokens: list[Token]) -> list[tuple]:
    """Every direction read alone as a word and glued before an honorific or a player's title."""
    out = []
    for k, t in enumerate(tokens):
        if t.surface not in _DIRECTIONS or t.pos[1] != "普通名詞" or not _HONORIFIC_AFTER.match(text, t.end):
            continue
        before = tokens[k - 1] if k > 0 else None
        if before is None or before.pos[0] in _EDGE_POS or before.end < t.begin:
            out.append((t.begin, t.end, "person", PERSON_MASK))
    return out


_DIRECTION_HIGH = frozenset({"東高", "西高", "南高", "北高"})


def direction_high_schools(text: str, tokens: list[Token]) -> list[tuple]:
    """Every direction-and-高 word glued after a place's name and followed by a particle, a mark or the end."""
    out = []
    for k in range(1, len(tokens)):
        t, place = tokens[k], tokens[k - 1]
        if t.surface not in _DIRECTION_HIGH or place.end != t.begin or place.pos[1:3] != ("固有名詞", "地名"):
            continue
        after = tokens[k + 1] if k + 1 < len(tokens) else None
        if after is None or after.begin > t.end or after.pos[0] in ("助詞", "補助記号", "空白", "助動詞"):
            out.append((place.begin, t.end, "facility", "学校"))
    return out
