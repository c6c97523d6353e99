"""Where the members of a list live: 「▽2期=山田一郎(上町)佐藤花子(寺前堂)」 (issue 14, round 12).

A list of a council's or an association's members writes each name with the district the member comes from
in brackets. A district may end in a character that also ends a shop's or temple's name (堂, 屋, 院, 寺),
but in such a list the bracket holds where the member lives, not a place to withhold; the person beside it
is withheld already. A list is at least ``_LEAST_MEMBERS`` names each followed by a bracket.
"""

from __future__ import annotations

import re

__all__ = ["inside_member_district", "member_district"]

# A member: two to six kanji (a full name), then a bracket of one to eight characters.
_MEMBER = re.compile(r"[一-龥々]{2,6}[(（](?P<where>[^()（）、。\n]{1,8})[)）]")
_LEAST_MEMBERS = 3


def member_district(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is the whole bracket after a member's name in a list of members."""
    if start == 0 or end >= len(text) or text[start - 1] not in "(（" or text[end] not in ")）":
        return False
    members = list(_MEMBER.finditer(text, max(0, start - 200), min(len(text), end + 200)))
    if len(members) < _LEAST_MEMBERS:
        return False
    return any(m.start("where") == start and m.end("where") == end for m in members)


def inside_member_district(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] lies in the bracket after a member's name (the learned detector may read a part of it,
    「松月|堂」)."""
    opener = max(text.rfind("(", 0, start), text.rfind("（", 0, start))
    closer = min((p for p in (text.find(")", end), text.find("）", end)) if p >= 0), default=-1)
    return opener >= 0 and closer >= 0 and member_district(text, opener + 1, closer)
