"""High schools named by their university and their town (issue 14, round 116): 「東海大諏訪」「東海大相模」.

A university runs high schools in several towns and the press names each by the university's short name and the
town, with no kind word (「東海大諏訪では」「■東海大諏訪・藤森…生徒会長」). A university of the organisation gazetteer
or of the schools' abbreviations, glued before a town or municipality of Japan that ends the word, is such a school.
``affiliated_schools`` returns candidates ``(start, end, "facility", "学校")``.
"""

from __future__ import annotations

import re

from anshin_lab.privacy.lint.lexicon import Lexicon
from anshin_lab.privacy.lint.municipalities import is_municipality_name
from anshin_lab.privacy.lint.organisations import gazetteer
from anshin_lab.privacy.lint.towns import town_anywhere

__all__ = ["affiliated_schools"]

# (the town's name alone: 「東大和市」 is a city, no 東大 of 和市)
_UNIVERSITY_TOWN = re.compile(r"(?<![一-龥々ヶ])(?P<university>[一-龥]{1,4}?大)"
                              r"(?P<town>[一-龥々ヶ]{1,2}(?![市区町村郡])[一-龥々ヶ])(?![一-龥々ヶ])")


def affiliated_schools(text: str, lex: Lexicon) -> list[tuple]:
    """Every university's short name glued before a town's name (``_UNIVERSITY_TOWN``)."""
    out = []
    for m in _UNIVERSITY_TOWN.finditer(text):
        university, town = m["university"], m["town"]
        if (university in gazetteer() or university in lex.abbreviations) \
                and (town_anywhere(town) or is_municipality_name(town, lex)):
            out.append((m.start(), m.end(), "facility", "学校"))
    return out
