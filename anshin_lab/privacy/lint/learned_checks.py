"""What a learned span must pass to be a finding: the learned detector reads shapes, and the sentence around a span
may say it is no place or no name.

A learned facility is none when the frame of the sentence says so (``frames.no_place``), when it is a sponsor or a
group of people (``claims.sponsor_or_group``: 「…自警団」「…みまもり隊」, round 24), an unnamed or generic place, a
newsletter's title on a line of its own, a part of the police office right before it (「東警察署|本郷庁舎」) or of a
longer name after it (「中部郵便局|長会」), a field or a coast (rounds 38, 39) or the schools of an area (「美濃地区高等
学校」, round 130). A learned person is none when it is a place's reading or one place-name token before the title of
an office's head (「天神|所長」).
"""

from __future__ import annotations

import re

from anshin_lab.privacy.lint.claims import POLICE_AFTER, sponsor_or_group
from anshin_lab.privacy.lint.facilities import unnamed_place
from anshin_lab.privacy.lint.facility_names import AREA_SCHOOLS, no_name_in, refers_back
from anshin_lab.privacy.lint.frames import no_place
from anshin_lab.privacy.lint.lexicon import Lexicon
from anshin_lab.privacy.lint.readings import in_place_reading
from anshin_lab.privacy.lint.tokens import can_be_given, can_be_surname

__all__ = ["no_learned_person", "no_learned_place"]

# A field, a paddy, a forest, a coast or a festival (round 105) is no facility, whatever is named before it (「祇園祭」).
_FIELD_END = re.compile(r"(?:畑|田んぼ|水田|農地|農道|山林|海岸|祭)$")
# Round 23: a newsletter's title on a line of its own (「鹿児島ニュース」「防犯だより」) is a publication, no place; a
# paper's credit (「出典:神奈川タウンニュース」) is labelled a facility and stays one.
_PUBLICATION_LINE = re.compile(r"(?:^|(?<=\n))[ \u3000]*(?P<title>[^\n]{1,20}(?:ニュース|通信|だより|便り))[ \u3000]*(?=\n|$)")
# A police office right before a learned facility: the span is a part of it (「東警察署|本郷庁舎」, round 24).
_POLICE_BEFORE = re.compile(r"(?:警察署|警察本部|県警|署)$")
# After a learned facility, what makes it part of another name (「中部郵便局|長会」「京成千葉中央駅|前交番」, round 27; a
# union of municipalities, 「鳥取中部ふるさと|広域連合」「…ふるさと広域|連合」, round 129).
_NAME_GOES_ON = re.compile(r"長会|(?:広域)?連合(?!会)|" + POLICE_AFTER.pattern)
_HEADS_OF_OFFICES = ("所長", "署長", "支店長", "店長", "局長", "駅長", "館長", "支所長")  # named after its place: 「天神所長」


def no_learned_place(text: str, start: int, end: int, tokens, lex: Lexicon) -> bool:
    """Whether the learned facility text[start:end] is no place."""
    return (no_place(text, start, end, tokens) or sponsor_or_group(text, start, end)
            or unnamed_place(text, start, end, lex) or no_name_in(text, start, end, tokens, lex)
            or _publication_line(text, start, end) or refers_back(text, start, end, lex)
            or text[end - 1] in "団隊" or AREA_SCHOOLS.search(text, start, end) is not None
            or _POLICE_BEFORE.search(text, max(0, start - 5), start) is not None
            or _NAME_GOES_ON.match(text, end) is not None or _FIELD_END.search(text, start, end) is not None)


def no_learned_person(text: str, start: int, end: int, tokens) -> bool:
    """Whether the learned person text[start:end] is no name: a place's reading, or one place-name token the
    dictionary has as no family or given name before the title of an office's head (「天神|所長」: the head of the 天神
    office, round 23; 「竹生理事長」 stays a person)."""
    if in_place_reading(text, start, end):
        return True
    inside = [t for t in tokens if start <= t.begin and t.end <= end]
    return len(inside) == 1 and (inside[0].begin, inside[0].end) == (start, end) and inside[0].pos[2] == "地名" \
        and text.startswith(_HEADS_OF_OFFICES, end) \
        and not can_be_surname(inside[0].surface) and not can_be_given(inside[0].surface)


def _publication_line(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] ends a newsletter's title that stands on a line of its own."""
    return any(m.start("title") <= start and end == m.end("title") for m in _PUBLICATION_LINE.finditer(text))
