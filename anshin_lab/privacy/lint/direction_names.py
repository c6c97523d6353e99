"""Family names written with one kanji of direction (issue 14, round 111): 「講師は長縄さんから北さんに」「出身の西選手は」.

SudachiPy reads 東, 西, 南 and 北 alone as common nouns, so no finder that asks for a family name sees them. Glued
before an honorific or a player's title, as a word of its own, a direction names no place: it is a family name. 「お西さん」
and 「お東さん」 are the two temples of 本願寺, as Kyoto calls them, and a direction inside a longer word (「関西さん」) is
that word's. ``direction_surnames`` returns candidates ``(start, end, "person", PERSON_MASK)``.
"""

from __future__ import annotations

import re

from anshin_lab.privacy.lint.findings import PERSON_MASK
from anshin_lab.privacy.lint.tokens import Token

__all__ = ["direction_surnames"]

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
