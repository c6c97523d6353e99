"""Members of a Lions club by their family names and the club's title, L (round 123): 「石井L、佐々木L、高山」
「メンバーのL福知、L末高、L横路の3名」.

A Lions club's newsletter calls its members "Lion" and writes it as one letter glued after or before the family name.
A kanji family name next to a lone Latin L is found nowhere else (sizes are katakana or digits: 「サイズL」「3L」), so
the name there is a member's; the last name of a row of them may stand without the letter (「…、坪井L、高山でした」).
"""

from __future__ import annotations

import re

from anshin_lab.privacy.lint.findings import PERSON_MASK
from anshin_lab.privacy.lint.tokens import can_be_surname

__all__ = ["lions_members"]

_AFTER = re.compile(r"(?<![一-龥々ヶ])(?P<name>[一-龥々ヶ]{2,3})L(?![A-Za-z0-9])")
_BEFORE = re.compile(r"(?<![A-Za-z0-9])L(?P<name>[一-龥々ヶ]{2,3})(?![一-龥々ヶ])")
# The last of a row, after the comma that follows a titled one: 「…坪井L、高山でした」「…石井L、高山が」.
_LAST = re.compile(r"、(?P<name>[一-龥々ヶ]{2,3})(?=で|が|は|と|の[0-9一二三四五六七八九十]+名)")


def lions_members(text: str) -> list[tuple]:
    """Candidates ``(start, end, "person", suggestion)`` for the family names the club's L stands next to."""
    if "L" not in text:
        return []
    out = []
    for m in (*_AFTER.finditer(text), *_BEFORE.finditer(text)):
        if can_be_surname(m["name"]):
            out.append((*m.span("name"), "person", PERSON_MASK))
            last = _LAST.match(text, m.end()) if text[m.end() - 1] == "L" else None
            if last is not None and can_be_surname(last["name"]):
                out.append((*last.span("name"), "person", PERSON_MASK))
    return out
