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
# (round 126: with a full stop after L and a full name, maybe split by a space: 「会長L.片口 真」「幹事L.新道清志」;
# never on into the next member's post, 「会長L.片口真 幹事L.…」)
_BEFORE = re.compile(r"(?<![A-Za-z0-9])L\.?(?P<name>[一-龥々ヶ]{2,3}(?:[ \u3000]?[一-龥々ヶ]{1,3})?)(?![一-龥々ヶ]|L)")
# A club's post right before L: the name after it is a member's, whatever the dictionary makes of it (「会長L.片口 真」,
# 片口 a bowl to SudachiPy; round 126).
_TITLE_BEFORE = re.compile(r"(?:[会部局]長|委員長|幹事|会計|理事|ガバナー|顧問)$")
# The last of a row, after the comma that follows a titled one: 「…坪井L、高山でした」「…石井L、高山が」.
_LAST = re.compile(r"、(?P<name>[一-龥々ヶ]{2,3})(?=で|が|は|と|の[0-9一二三四五六七八九十]+名)")


def lions_members(text: str) -> list[tuple]:
    """Candidates ``(start, end, "person", suggestion)`` for the family names the club's L stands next to."""
    if "L" not in text:
        return []
    out = []
    for m in (*_AFTER.finditer(text), *_BEFORE.finditer(text)):
        if _opens_with_surname(m["name"]) or (text[m.start()] == "L" and _TITLE_BEFORE.search(text, 0, m.start())):
            out.append((*m.span("name"), "person", PERSON_MASK))
            last = _LAST.match(text, m.end()) if text[m.end() - 1] == "L" else None
            if last is not None and can_be_surname(last["name"]):
                out.append((*last.span("name"), "person", PERSON_MASK))
    return out


def _opens_with_surname(name: str) -> bool:
    """Whether ``name`` is a family name, or a full name whose first two or three kanji (before a space, if any) are."""
    family = name.split()[0]
    return can_be_surname(family) or any(can_be_surname(family[:k]) for k in (2, 3) if k < len(family))
