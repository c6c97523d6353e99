"""Names a roster lays out one kanji at a time (「警察本部長        小 谷   渉」「副 委 員 長   藤 沢 詮 子」).

Minutes and rosters pad each name to a fixed width: a space between its kanji, a wider one between the family and
the given name. The gap joiner reads one space; past a wider gap the family name stood alone, no name to the finders,
and went out (「小 池   清」: only 清 was found; 「鈴 木   一」: nothing; round 129).
"""

from __future__ import annotations

import re

from anshin_lab.privacy.lint.findings import PERSON_MASK
from anshin_lab.privacy.lint.lexicon import Lexicon
from anshin_lab.privacy.lint.name_checks import not_a_person

__all__ = ["find_roster_names"]

# The end of a line: single kanji set apart by spaces (a roster's post, then its holder's name).
_SPACED_RUN = re.compile(r"[一-龥々](?:[ \u3000]{1,4}[一-龥々])+(?=[ \u3000]*(?:\n|$))")
_GAP = re.compile(r"[ \u3000]+")
_LEAD = re.compile(r"[ \u3000]+$")
_KANJI_END = re.compile(r"[一-龥々]$")
_DITTO = "同"  # 「同      宮 澤 敏 文」: the post of the line above


def find_roster_names(folded: str, lex: Lexicon) -> list[tuple]:
    """One person for the two to five spaced kanji that end a line after a post and a space. The post's own kanji
    may be spaced too (「副 委 員 長   藤 沢 詮 子」): of the places the name could start, after a gap with a title
    before it, the one after the widest gap."""
    out = []
    for run in _SPACED_RUN.finditer(folded):
        line = folded.rfind("\n", 0, run.start()) + 1
        gaps = [(m.start(), m.end()) for m in _GAP.finditer(folded, run.start(), run.end())]
        lead = _LEAD.search(folded, line, run.start())
        if lead is not None:
            gaps.insert(0, lead.span())  # the space before the run
        starts = [(e - s, -e, e) for s, e in gaps if 2 <= len(_GAP.sub("", folded[e:run.end()])) <= 5
                  and _is_post(_GAP.sub("", folded[line:s]), lex)]
        if starts:
            start = max(starts)[2]
            if not not_a_person(folded, start, run.end()):
                out.append((start, run.end(), "person", PERSON_MASK))
    return out


def _is_post(post: str, lex: Lexicon) -> bool:
    """Whether ``post`` (spaces taken out) ends in a title of kanji (not 「…くん」), or is the roster's ditto mark."""
    return post == _DITTO or (_KANJI_END.search(post) is not None and any(
        lex.title_re.fullmatch(post, i) for i in range(max(0, len(post) - 12), len(post))))
