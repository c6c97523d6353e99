"""Heads named with the place they head: 「上田埼玉県知事」「仲川・狭山市長」「鈴木埼玉県警察本部長」「平野警察本部長」
(issue 14, round 25).

Newspapers and captions write an official's family name, then the prefecture or municipality, then the title, with
nothing or a middle dot between name and place. The title alone says little (「埼玉県知事」 names no one), and a
tokenizer reads the name and the place as one run (「仲川狭山」), so the place is matched against the gazetteer first:
a prefecture before 知事 or 警察本部長, a municipality of Japan before its 市長 / 町長 / 村長. What stands before the
place, back to an edge, is the name when the dictionary has it as a family name (or a family name and a given name)
and it is no place, no lead of a title (「前」「同」「元」) and no municipality (「狭山・入間市長」: two mayors).
A name right before 警察本部長, 県警本部長 or 県警察本部長 with no place between is the head's (「平野警察本部長」
「難波県警本部長」); a prefecture there is not. A minister is named the same way, before the ministry
(「小坂文部科学大臣」, round 54), and a full name the dictionary reads as a family name and a word before a town's
head (「鎌田愛人瀬戸内町長」「元山公知村長」, round 53). A family name
and a middle dot before a station of Japan and 署長 is the head's (「谷本・新宮署長」, round 58).

``find_place_heads`` returns candidates ``(start, end, "person", PERSON_MASK)`` on the folded text.
"""

from __future__ import annotations

import re

from anshin_lab.privacy.lint.findings import PERSON_MASK
from anshin_lab.privacy.lint.lexicon import Lexicon
from anshin_lab.privacy.lint.municipalities import PREFECTURE_STEMS, is_municipality_name
from anshin_lab.privacy.lint.name_runs import LEAD_CHARS
from anshin_lab.privacy.lint.police_stations import is_station_name
from anshin_lab.privacy.lint.tokens import can_be_given, can_be_surname, tokenize

__all__ = ["find_place_heads"]

_K = "一-龥々〆ヶ"
# The prefectures as written before their governor (「埼玉県」「東京都」「大阪府」「北海道」).
_PREFECTURE_NAMES = tuple(sorted(
    stem if stem == "北海道" else stem + ("都" if stem == "東京" else "府" if stem in ("京都", "大阪") else "県")
    for stem in PREFECTURE_STEMS))
# The titles read here, each not glued to a longer word (「市長会」「知事選」).
_TITLE = re.compile(rf"(?P<title>副?知事|副?(?P<unit>[市町村])(?:長|議会議員|議会議長|議会副議長)|(?:県警|府警|道警|[県府道]警察|警察)本部長)"
                    rf"(?![{_K}])")  # (round 33: a town's councillor, 「北倉義博養老町議会議員」)
# The name: one to four kanji after an edge (a non-kanji character or the start), maybe a middle dot after it.
_NAME_BEFORE = re.compile(rf"(?:^|(?<=[^{_K}]))(?P<name>[{_K}]{{1,4}})・?$")


# A minister by family name and ministry (「小坂文部科学大臣」, round 54): the ministry is the place headed.
_MINISTER = re.compile(rf"(?:^|(?<=[^{_K}]))(?P<name>[{_K}]{{1,4}}?)・?(?:前|元)?(?:文部科学|総務|法務|外務|財務|厚生労働|農林水産"
                       rf"|経済産業|国土交通|環境|防衛|内閣総理|総理|デジタル|復興|文部|厚生|労働|通商産業|運輸|建設|自治|郵政)"
                       rf"(?:副)?大臣")
# A station's head by family name, the station in brackets between (「水嶋(岡山中央)警察署長」).
# (round 113: not the station's old name before its new one, 「白根(現新潟南)警察署長」)
_STATION_IN_BRACKETS = re.compile(rf"(?:^|(?<=[^{_K}]))(?P<name>[{_K}]{{1,4}})[(（](?!現|旧|元)[{_K}]{{1,8}}(?:警察署|署)?[)）]"
                                  rf"(?:警察)?署長")
# Round 58: a family name, a middle dot, then a station of Japan and its head's title (「挨拶する谷本・新宮署長」).
_DOT_STATION = re.compile(rf"(?:^|(?<=[^{_K}]))(?P<name>[{_K}]{{1,4}})・(?P<station>[{_K}]{{2,6}}?)(?:警察)?署長")


def find_place_heads(text: str, lex: Lexicon) -> list[tuple]:
    """Every family name written before the place its holder heads and the title (「上田埼玉県知事」)."""
    if "長" not in text and "知事" not in text and "大臣" not in text:
        return []
    out = [(*m.span("name"), "person", PERSON_MASK) for m in _STATION_IN_BRACKETS.finditer(text)
           if _is_name(m["name"], lex, listed=False)]  # 「水嶋(岡山中央)警察署長」 (round 40)
    out += [(*m.span("name"), "person", PERSON_MASK) for m in _DOT_STATION.finditer(text)
            if is_station_name(m["station"]) and _is_name(m["name"], lex, listed=True)]
    if "大臣" in text:
        out += [(*m.span("name"), "person", PERSON_MASK) for m in _MINISTER.finditer(text)
                if _is_name(m["name"], lex, listed=False) or _proper_before_governor(m["name"], lex)]
    for m in _TITLE.finditer(text):
        h = m.start()
        governor = m["title"] == "知事"
        if governor and h > 1 and text[h - 1] == " " and text[h - 2] != " ":
            h -= 1  # 「広島県 湯崎英彦 知事」: a table's name and title, one space between (round 50)
        place = _place_before(text, h, m, lex)
        if place is None:
            name = _NAME_BEFORE.search(text, max(0, h - 5), h) if m["title"] in ("市長", "町長", "村長") else None
            if name is not None and _surname_and_word(name["name"]) and not name.group().endswith("・"):
                out.append((*name.span("name"), "person", PERSON_MASK))  # 「元山公知村長」: no town 元山公知村 (round 53)
            continue
        name = _NAME_BEFORE.search(text, max(0, place - 5), place)
        if name is None or (place == h and not m["title"].endswith(("本部長", "知事"))):
            continue
        if _is_name(name["name"], lex, listed=name.group().endswith("・")) or (
                place == h - 1 and governor and _full_name_of_governor(name["name"], lex)) or (
                place == h and governor and _proper_before_governor(name["name"], lex)):
            out.append((*name.span("name"), "person", PERSON_MASK))
    return out


def _place_before(text: str, h: int, m: re.Match, lex: Lexicon) -> int | None:
    """Where the place headed starts (``h`` itself for a police head written without its prefecture), or None."""
    title = m["title"]
    if m["unit"]:
        unit = m["unit"]
        # the longest municipality of Japan ending right before the title (「狭山|市長」 of 狭山市)
        for size in range(6, 0, -1):
            if h - size >= 0 and text[h - size:h] + unit in lex.municipalities:
                return h - size
        return None
    if title.startswith(("県警", "府警", "道警")):
        stem = next((p for p in _PREFECTURE_NAMES if text.startswith(p[:-1], h - len(p) + 1)), None)
        return h if stem is None else h - len(stem) + 1  # (「難波県警本部長」: the text's own prefecture, round 32)
    prefecture = next((p for p in _PREFECTURE_NAMES if text.startswith(p, h - len(p))), None)
    if prefecture is not None:
        return h - len(prefecture)
    if title.endswith("知事"):  # 「村井県知事」「一見知事」: the text's own prefecture's governor (round 39)
        return h - 1 if text[h - 1:h] == "県" else h
    return h if title == "警察本部長" else None


def _proper_before_governor(name: str, lex: Lexicon) -> bool:
    """A proper noun that is no prefecture right before 知事 (「湯崎知事」, whose family name the dictionary has as a
    place only): only a prefecture has a governor, so the word is his name (round 50)."""
    if len(name) < 2 or name[0] in LEAD_CHARS or name in PREFECTURE_STEMS or is_municipality_name(name, lex) \
            or name in lex.generic or name in lex.not_names:
        return False
    return all(t.pos[1] == "固有名詞" for t in tokenize(name))


def _full_name_of_governor(name: str, lex: Lexicon) -> bool:
    """Three or four kanji before 「県知事」 that are no prefecture, town or lead (「湯崎英彦県知事」, whose family name the
    dictionary lacks; round 40)."""
    return len(name) >= 3 and name[0] not in LEAD_CHARS and not is_municipality_name(name, lex) \
        and name not in lex.generic and name not in PREFECTURE_STEMS


def _is_name(name: str, lex: Lexicon, listed: bool) -> bool:
    """A family name (or a family and a given name) the dictionary knows (「有村」「中村」 end like a village, and are
    names), that is no lead of a title, no prefecture and no municipality; before a middle dot no municipality's stem
    either (「狭山・入間市長」 lists two towns; 「上田埼玉県知事」「平野警察本部長」 name their holders)."""
    # (round 48: 郡 alone is a family name, 「郡仙台市長」; 「…郡」 of more is a district; round 54: a family name that
    # starts like a lead, 「前田前総務大臣」「本田鹿児島市長」, is a name)
    lead = name[0] in LEAD_CHARS and not any(can_be_surname(name[:i]) for i in (2, 3) if i <= len(name))
    if lead or name[-1] in "都道府県" or (name[-1] == "郡" and len(name) > 1) \
            or name in lex.municipalities or name in PREFECTURE_STEMS \
            or (listed and is_municipality_name(name, lex)) or name in lex.not_names or name in lex.generic:
        return False
    return can_be_surname(name) or any(can_be_surname(name[:i]) and can_be_given(name[i:]) for i in (1, 2, 3)
                                       if i < len(name)) or _surname_and_word(name)


def _surname_and_word(name: str) -> bool:
    """A family name of two kanji and a given name of one or two the dictionary reads as a word (「鎌田愛人瀬戸内町長」
    「元山公知村長」, round 53): nothing else of three or four kanji stands between an edge and a town's head."""
    return len(name) in (3, 4) and can_be_surname(name[:2]) and name[2] not in LEAD_CHARS
