"""Facilities listed after one kind word: 「児童館あおば、ひばり、もくもく」 (issue 14, round 12).

A municipality's page may write the kind of its centres once and then their names, kana or Latin coinages
that SudachiPy reads as adverbs, suffixes or given names (「子どもセンターぱお、つるっこ、…」). Such a name
has no kind word after it and no quotes around it, so neither ``facilities`` nor ``frames`` sees it; the
list does: a kind word that no name precedes, glued to a kana or Latin word, and at least
``_LEAST_ITEMS`` such words separated by 、 — a list of names of that kind. A sentence that goes on after a
kind word (「センターまで、また、…」) starts with a particle or holds a verb, and stays clean.
"""

from __future__ import annotations

import re

from anshin_lab.privacy.lint.lexicon import Lexicon
from anshin_lab.privacy.lint.tokens import Token

__all__ = ["names_after_kind"]

# An item: kana, Latin letters and digits, a name's length.
_ITEM = re.compile(r"[ぁ-ゖァ-ヺーA-Za-z0-9]{2,10}")
# What closes the list: a bracket, a full stop, a line's end, the end.
_LIST_END = re.compile(r"[(（。\n」)）]|$")
_LEAST_ITEMS = 3
# Kinds whose places a municipality lists so (not firms: 「…サービス、…」 is a sentence more often).
_PLACE_KINDS = {"施設", "公共施設", "保育施設", "福祉施設", "学校", "公園", "広場", "集会所"}
# Tokens no name starts with, and tokens no name holds (a coined name may end in what SudachiPy reads as a
# particle or hold a pronoun: 「ぽけっ|と」「そら|ON」).
_NOT_FIRST = ("助詞", "助動詞", "接続詞", "接頭辞")
_NOT_IN_NAME = ("助動詞", "動詞", "接続詞", "連体詞", "形容詞")


def names_after_kind(text: str, tokens: list[Token], owner, lex: Lexicon) -> list[tuple]:
    """Every name of a list written after its kind word; candidates ``(start, end, "facility", suggestion)``."""
    out = []
    for m in lex.suffix_re.finditer(text):
        kind = lex.suffixes[m.group()]
        e = m.end()
        if kind.suggestion not in _PLACE_KINDS or e >= len(text) or tokens[owner[e - 1]].end != e \
                or not _ITEM.match(text, e) or not _no_name_before(text, m.start(), tokens, owner):
            continue
        items = _items(text, e)
        if len(items) < _LEAST_ITEMS or not all(_name_item(text, s, t, tokens, owner, lex) for s, t in items):
            continue
        first = items[0]
        out.append((m.start() - _kind_run(text, m.start(), tokens, owner), first[1], "facility", kind.suggestion))
        out += [(s, t, "facility", kind.suggestion) for s, t in items[1:]]
    return out


def _kind_run(text: str, at: int, tokens: list[Token], owner) -> int:
    """How many characters of common nouns stand glued before the kind word (「子ども|センター」: 3)."""
    start = at
    k = owner[at - 1] if at > 0 else -1
    while k >= 0 and tokens[k].end == start and tokens[k].pos[1] == "普通名詞":
        start = tokens[k].begin
        k -= 1
    return at - start


def _no_name_before(text: str, at: int, tokens: list[Token], owner) -> bool:
    """Whether the kind word at ``at`` opens its phrase: only common nouns before it back to a mark or the start
    (「子どもセンター」, not 「ひまわりセンター」 or 「市の施設」)."""
    start = at - _kind_run(text, at, tokens, owner)
    return start == 0 or not re.match(r"[ぁ-ゖァ-ヺー一-龥々A-Za-z0-9]", text[start - 1])


def _items(text: str, e: int) -> list[tuple[int, int]]:
    """The items of the list that starts at ``e``: kana or Latin words separated by 、 up to its end."""
    items = []
    at = e
    while True:
        m = _ITEM.match(text, at)
        if m is None:
            return []
        items.append(m.span())
        if text.startswith("、", m.end()):
            at = m.end() + 1
            continue
        return items if _LIST_END.match(text, m.end()) else []


def _name_item(text: str, s: int, e: int, tokens: list[Token], owner, lex: Lexicon) -> bool:
    """Whether text[s:e] can be a name: whole tokens, no particle, verb or function word, no generic word."""
    name = text[s:e]
    if name in lex.generic or name in lex.stops or name.isdigit() \
            or tokens[owner[s]].begin != s or tokens[owner[e - 1]].end != e:
        return False
    inside = tokens[owner[s]:owner[e - 1] + 1]
    return inside[0].pos[0] not in _NOT_FIRST and not any(t.pos[0] in _NOT_IN_NAME for t in inside)
