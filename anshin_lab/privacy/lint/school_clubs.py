"""A school's short name glued before one of its clubs (round 119): 「佐世保東翔高美術部員が制作した」; a university's
whole name before any club of its students (round 122): 「四日市大学地域パトロール部」.

The name is the town SudachiPy knows as a place, one to four kanji more and the short kind (小, 中, 高); the club
is one of the usual school clubs, maybe with 員 (「美術部」「野球部員」; 「…小湊支部」 and 「沖縄本島中南部」 are no school's).
SudachiPy may read the rest as a person's name (「東|翔」), so the school is found here, after a 県立 or 市立 too
(「県立佐世保東翔高美術部」; a prefecture's or city's name before it is left to the other rules, 「福井県立羽水高書道部員」).
"""

from __future__ import annotations

import re

from anshin_lab.privacy.lint.lexicon import load_lexicon
from anshin_lab.privacy.lint.tokens import Token

__all__ = ["CLUBS", "schools_before_clubs"]

CLUBS = ("美術|書道|写真|放送|吹奏楽|演劇|新聞|文芸|科学|自然科学|理科|生物|化学|物理|天文|地学|茶道|華道|囲碁|将棋|合唱"
         "|軽音楽|音楽|家庭|調理|手芸|漫画|美工|商業|情報|野球|軟式野球|硬式野球|サッカー|陸上|陸上競技|柔道|剣道|弓道|空手"
         "|相撲|水泳|卓球|ラグビー|テニス|ソフトテニス|バスケットボール|バレーボール|ハンドボール|ソフトボール|バドミントン"
         "|山岳|登山|自転車|ボランティア|インターアクト|JRC|生徒会")
_SCHOOL_THEN_CLUB = re.compile(rf"(?<![一-龥々ヶ])(?:[都道府県市町村]立)?(?P<school>[一-龥々ヶ]{{3,8}}[小中高])(?=(?:{CLUBS})部(?![長会]))")


# Round 122: a university by its whole name glued before any club of its students (「『四日市大学地域パトロール部』」).
_UNIVERSITY_THEN_CLUB = re.compile(r"(?<![一-龥々ヶ])(?P<school>[一-龥々ヶ]{2,8}大学)(?=[一-龥々ヶァ-ヺー]{2,12}(?:(?<!学)部|サークル|同好会)"
                                   r"(?![一-龥々ヶ]))")  # (a faculty, 「法学部を卒業」, is no club)


def _kind_only(stem: str) -> bool:
    """Whether ``stem`` before 大学 says which kind of university, not which one: a generic word or a relation word of
    the lexicon (「国立」「地元」「同」), or 短期."""
    lex = load_lexicon()
    return stem in lex.generic or stem in lex.stops or stem == "短期"


def schools_before_clubs(text: str, tokens: list[Token], owner) -> list[tuple]:
    """The schools ``_SCHOOL_THEN_CLUB`` reads whose name starts with a place's name and goes on after it, and the
    universities before their students' clubs."""
    out = [(*m.span("school"), "facility", "学校") for m in _UNIVERSITY_THEN_CLUB.finditer(text)
           if not _kind_only(m["school"][:-2])] if "大学" in text else []
    for m in _SCHOOL_THEN_CLUB.finditer(text):
        first = tokens[owner[m.start("school")]]
        if first.begin == m.start("school") and first.pos[2] == "地名" and first.end < m.end("school") - 1 \
                and "立" not in m["school"]:
            out.append((*m.span("school"), "facility", "学校"))
    return out
