"""A family and a given name set apart by a space, as lists and the press print them (「小坂 防人 会長」「小園 結 容疑者(41)」).

The finders and the learned detector may read the two parts as two names; they are one person, and the exact age
after the name and its title is that person's too (``person_ages``), which the finders read only on the text
without the gap, and ``check`` keeps from that reading only what crosses a gap.
"""

from __future__ import annotations

import re

from anshin_lab.privacy.lint.findings import PERSON_MASK
from anshin_lab.privacy.lint.lexicon import Lexicon
from anshin_lab.privacy.lint.name_checks import not_a_person
from anshin_lab.privacy.lint.person_ages import find_ages

__all__ = ["join_spaced_parts"]

# (round 130: with the compatibility ideographs of the original text, 「山﨑 壽松」)
_SHORT_KANJI = re.compile(r"[一-龥々\uf900-\ufaff]{1,3}")
_KANA_GIVEN = re.compile(r"[ぁ-ゖ]{2,4}")  # a given name in hiragana (「大上 あかり さん」, round 130)
_NAME_GAPS = (" ", "\u3000", "  ", "\u3000\u3000")  # (two: a list's padding, 「森  雅幹」, round 46)


def join_spaced_parts(text: str, taken: list[tuple], lex: Lexicon) -> list[tuple]:
    """Two names of kanji set apart by one space (or two, a list's padding), as a list prints a family and a given name
    (「小坂 防人 会長」, which the learned detector reads as two), are one finding (round 45), the given name also in
    hiragana (「大上 あかり さん」, round 130); so is the age after any
    name or reading with a space in it (「小園 結 容疑者(41)」: the finders read the age only on the text without the
    gap, round 84)."""
    out: list[tuple] = []
    for c in taken:
        last = out[-1] if out else None
        if last is not None and last[2] == c[2] == "person" and last[3] == c[3] == PERSON_MASK \
                and text[last[1]:c[0]] in _NAME_GAPS and _SHORT_KANJI.fullmatch(text, last[0], last[1]) \
                and (_SHORT_KANJI.fullmatch(text, c[0], c[1]) or _KANA_GIVEN.fullmatch(text, c[0], c[1])):
            if not_a_person(text, last[0], c[1]):
                out.pop()  # 「(福 岡)」: a prefecture spaced out in a table, read as two names (round 47)
            else:
                out[-1] = (last[0], c[1], *c[2:])
        else:
            out.append(c)
    spaced = [c for c in out if c[2] == "person" and any(gap in text[c[0]:c[1]] for gap in _NAME_GAPS[:2])]
    ages = [a for a in find_ages(text, spaced, lex) if all(a[1] <= t[0] or a[0] >= t[1] for t in out)]
    return sorted(out + ages) if ages else out
