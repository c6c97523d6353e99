"""Where a name in a run of kanji starts or ends, and whether the run can be a name at all.

This module exists so that the finders of names by the shape of the sentence (``person_shapes``,
``head_shapes``), the names next to a title (``person_titles``) and the readings in brackets (``readings``) share
one set of checks without importing each other: ``person_shapes`` grew past the length a module may have and was
split, and these checks are what its parts, and the modules that used them from it, have in common.

- ``occupations`` (``occupations.txt``) and ``after_occupation``: where a name starts after an occupation glued
  before it (「無職|須原城容疑者」).
- ``office_after_name``: where a name ends before the office its title heads (「村田隆|県警本部長」).
- ``name_shaped``: whether a run the sentence says is a name may be one (no dictionary word, no common words only,
  no place only); ``common_word``: whether a word is one common word SudachiPy knows.
- The character classes and word ends the finders share: ``KANJI``, ``PEOPLE_WORDS``, ``OFFICE_END``,
  ``UNIT_OR_PLACE_END``, ``LEAD_CHARS``, ``OFFICE_TAIL``.
"""

from __future__ import annotations

import functools
import re

from anshin_lab.privacy.lint.lexicon import Lexicon, dictionary_lines
from anshin_lab.privacy.lint.tokens import can_be_surname, script_of, tokenize

__all__ = ["BODY_HEAD", "COUNT_OF_TOWNS", "KANJI", "LEAD_CHARS", "OFFICE_END", "OFFICE_TAIL", "PEOPLE_WORDS",
           "RESIDENTS_BODY", "UNIT_OR_PLACE_END", "after_occupation", "common_word", "ends_in_job", "name_shaped",
           "occupations", "office_after_name", "one_common_noun", "surname_whole"]

# The head titles of a body (「真壁山口損保会|会長」「神田上尾商工会議所|会頭」, round 60).
BODY_HEAD = re.compile(r"(?:副?会長|会頭|理事長|支部長)")
# The body of a town's residents, after the town (「太子堂町内会」「館町町会」「緑園連合自治会」).
RESIDENTS_BODY = re.compile(r"(?:連合)?(?:町内会|自治会|町会|区会)")


@functools.lru_cache(maxsize=1)
def occupations() -> tuple[str, ...]:
    """The occupations of ``occupations.txt``, longest first."""
    return tuple(sorted(set(dictionary_lines("occupations.txt")), key=len, reverse=True))


# A count of municipalities at the end of a run (「三市」「五市町村」), never a name, though SudachiPy may read it as a
# given name and a heads' title may follow it (「岡崎、幸田、額田三市町長」, round 57).
COUNT_OF_TOWNS = re.compile(r"[二三四五六七八九十]+[市町村]+$")
# The characters of a run of kanji a name may be made of.
KANJI = "一-鿿々〆ヶ"
# Words of a person that are no name before a title: 「少年容疑者」「男性被告」.
PEOPLE_WORDS = re.compile(r"^(?:男|女|少年|少女|男性|女性|男子|女子|男児|女児|容疑者|被告|同|元|両|被害者|運転手)")


def after_occupation(text: str, a: int, b: int) -> int | None:
    """Where the name in the kanji run text[a:b] starts: after the last occupation in it (「無職|須原城」
    「市立横井小教諭|松野隆司」), or after common words before a family name (「建築|作業員」), else at ``a``."""
    run = text[a:b]
    best = None
    for word in occupations():
        at = run.rfind(word)
        if at >= 0 and (best is None or at + len(word) > best):
            best = at + len(word)
    if best is not None:
        return a + best if best < len(run) else None
    piece = tokenize(run)
    for i, t in enumerate(piece[:-1]):
        if t.pos[1] != "普通名詞" or t.oov:
            break
        nxt = piece[i + 1]
        if nxt.pos[2] == "人名" and nxt.pos[3] == "姓":
            return a + nxt.begin  # 「運送業者|山田太郎」
    return a


# What a word of an office, a company or a group ends with (「鯖江郵便局」「宮古島署」「株式会社ミナト」 is no such
# word, but 「ミナト社」 is).
OFFICE_END = re.compile(r"(?:署|局|店|社|会|所|校|館|園|院|部|課|庁|場|センター|協会|組合|銀行|本部|支部|団|隊|室|係|班|"
                        r"小|中|高|大学|病院|役場|役所|事務所|クラブ)$")


def name_shaped(name: str, lex: Lexicon, place_ok: bool = False) -> bool:
    """Whether the kanji run ``name``, which the sentence says is a name, may be one: no dictionary word of
    the lint, no common words only (「営業」「生活安全」), no place only (「鹿児島」, unless ``place_ok``)."""
    if not 2 <= len(name) <= 5 or any(script_of(ch) != "kanji" for ch in name):
        return False
    if name in lex.not_names or name in lex.generic or name in lex.titles or name in lex.titles_before \
            or name in lex.municipalities or PEOPLE_WORDS.match(name):
        return False
    if name[0] in "同当本元前現新旧各全両故某" and not surname_whole(name):
        return False  # 「同会」「前署」, but 「新村」「前田」: one word, a family name
    if any(name.endswith(word) for word in occupations()):
        return False
    piece = tokenize(name)
    if any(t.surface in lex.titles or t.surface in lex.titles_before for t in piece):
        return False  # 「市長|公」 of 「(市長公室長)」: a title inside is no name
    if any(t.pos[0] == "接尾辞" and t.pos[2] != "人名" for t in piece[1:]) and not any(t.person for t in piece):
        return False  # 「暴力団|員」: a word and its suffix
    if all(t.pos[1] == "普通名詞" and not t.oov for t in piece) and not can_be_surname(piece[0].surface) \
            and (len(piece) == 1 or all(len(t.surface) >= 2 for t in piece)):
        return False  # 「営業」「生活|安全」「殺人|未遂」, but 「田畠|一|光」
    if not place_ok and all(t.pos[2] == "地名" for t in piece):
        return False
    return True


def surname_whole(name: str) -> bool:
    """Whether ``name`` is one word the tokenizer keeps whole and the dictionary has as a family name (「新村」
    「前田」): its first kanji is then no lead of a title (「新|署長」「前|会長」)."""
    piece = tokenize(name)
    return len(piece) == 1 and can_be_surname(name)


# The end of a word of a unit, an office or a place, never of a name (「三条市|長」「同会|会長」「防犯協会|長」).
UNIT_OR_PLACE_END = re.compile(r"(?:[会部課局署所市町村区県都府道郡隊班係室団店社館園院校庁省庁]|センター|協会|組合|本部|支部)$")
# What starts a title or says which one, never a name (「同|会長」「前|署長」「副|所長」).
LEAD_CHARS = set("同当本元前現新旧各全両故某副次総")


# An office or place that a head's title may carry between the name and itself: 「県警本部長」「市教育長」; a district
# (地区, 校区) is no ward (「夜久野支部中夜久野地区班長」, round 101).
OFFICE_TAIL = re.compile(r"(?:県警|府警|道警|警視庁|警察|県|府|都|道|市|町|村|(?<![地校学])区)$")


def office_after_name(text: str, run: str, place: str | None, lex: Lexicon) -> int | None:
    """Where the name in ``run`` ends when the office or place its title heads follows it in the run (「村田隆|県警」
    before 本部長, 「黒沢毅|双葉」 before 署長 when the text names 双葉署): the first cut that leaves a full name (three
    kanji or more) before a tail that is such an office or the place the text names with ``place``, the
    title's office (``person_titles.PLACE_OF_HEAD``)."""
    for cut in range(3, len(run) - 1):
        tail = run[cut:]
        if OFFICE_TAIL.search(tail) or (place and re.search(re.escape(tail) + r"(?:警察)?" + re.escape(place) + "(?!長)", text)):
            return cut
    return None


def one_common_noun(word: str) -> bool:
    """Whether ``word`` is one common noun SudachiPy knows, whole (「ネットワーク」「Uターン」): no name and no given
    name."""
    piece = tokenize(word)
    return len(piece) == 1 and piece[0].pos[1] == "普通名詞" and not piece[0].oov


def common_word(word: str) -> bool:
    """Whether ``word`` is one common word SudachiPy knows (「営業」「生活安全」 after a family name is the unit)."""
    piece = tokenize(word)
    return all(t.pos[1] == "普通名詞" and not t.oov for t in piece) and len(word) >= 2


def ends_in_job(words: str, lex: Lexicon) -> bool:
    """Whether ``words`` (an office and a title) ends with a job title of ``person_titles.csv``."""
    return any(lex.titles.get(words[i:]) == "job" for i in range(len(words)))
