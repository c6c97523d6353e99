"""Police officers named with their unit (issue 14, round 23): 「生活安全部山内管理官」「金城生活安全部参事官」, or with
their station (round 32: 「筒井稚内署生安課長」), or in a caption's byline (round 108: 「(交通機動隊 宮崎夕米吏 巡査長)」).

SudachiPy reads many family names as common words (山内, 金城, 新里). Next to a police unit and an officer's title
they can only be a family name: the unit names where, the title what, and what stands between them or before them
is who. ``find_unit_officers`` returns candidates ``(start, end, "person", PERSON_MASK)``.
"""

from __future__ import annotations

import re

from anshin_lab.privacy.lint.findings import PERSON_MASK
from anshin_lab.privacy.lint.lexicon import Lexicon
from anshin_lab.privacy.lint.municipalities import PREFECTURE_STEMS, is_municipality_name
from anshin_lab.privacy.lint.person_titles import NOT_SURNAMES, directed_town
from anshin_lab.privacy.lint.police_stations import is_station_name
from anshin_lab.privacy.lint.tokens import can_be_given, can_be_surname
from anshin_lab.privacy.lint.towns import town_anywhere

__all__ = ["find_station_heads", "find_unit_officers"]

# The departments and sections of a prefectural police (round 112: and a department's planning or guidance section,
# 「交通企画課」「交通指導課」).
_UNIT = (r"(?:生活安全|生安|刑事|交通|警備|警務|地域|総務|組織犯罪対策|サイバー犯罪対策|少年|捜査第?[一二三四1-4]?)"
         r"(?:企画|指導|規制)?(?:部|課)")
# Officers' titles after a name inside a unit (「生活安全部山内管理官」); a section's head (課長, 部長) is left out:
# 「生活安全部少年課長」 names a section, not a person.
_STAFF_TITLE = r"(?:参事官|管理官|理事官|調査官|指導官|担当官|参事|次長|補佐)"  # (round 112: 「交通企画課柳田担当官」)
_AFTER_UNIT = re.compile(rf"{_UNIT}(?P<name>[一-龥々]{{2,3}}?){_STAFF_TITLE}")
# The head of a unit, named before it (「金城生活安全部参事官」「比嘉刑事部長」): at the start of a word.
# (round 33: also with the police headquarters between, 「中村栄警察本部地域部長」「矢部新潟県警察本部地域部長」;
# round 63: a former head, 「西久保元警備部長」)
_BEFORE_UNIT = re.compile(rf"(?<![一-龥々ヶ])(?P<name>[一-龥々]{{2,3}}?)[元前]?(?:(?:[一-龥]{{1,3}}[都道府県])?警察本部|県警)?"
                          rf"{_UNIT}(?:長|{_STAFF_TITLE})")

# Round 95: the prefectural police named before a head of its units (「県警の一戸生活安全部長」).
_HEADQUARTERS_BEFORE = re.compile(r"(?:県警|府警|道警|警視庁|警察本部)の$")
# Round 110: a full name between a station and the head's unit (「隠岐の島署の内部好伸警備課長」), whatever its family
# name also means (内部).
_FULL_NAME_AFTER_STATION = re.compile(rf"(?:署|警察署|県警|府警|道警|警察本部)の(?P<name>[一-龥々]{{4,5}}?){_UNIT}長")
# Round 109: what starts a unit's name or says which head, no name (「県警の刑事|総務課長」「県警の前|交通部長」).
_UNIT_WORD = re.compile(r"(?:生活|生安|刑事|交通|警備|警務|地域|総務|組織|少年|捜査|本部|前|元|新)")

# Round 32: the head of a station or of its section, his family name before the station's town (「筒井稚内署生安課長」
# 「筒井稚内署長」): the town is a municipality's stem, the name a family name that is none; the station's name may be
# no town's (round 63: 「渡部富山南警察署長」), and the name a full one (round 64: 「生原敬|徳島中央署長」).
_BEFORE_STATION = re.compile(rf"(?<![一-龥々ヶ])(?P<run>[一-龥々ヶ]{{3,7}}?)(?P<office>(?:警察)?署|郵便局)"
                             rf"(?:長|副署長|次長|{_UNIT}長|[一-龥]{{0,4}}課長)")
# The head named right after his station's full name (「三鷹警察署宮﨑署長」): whatever his name also means.
_AFTER_STATION = re.compile(rf"(?:警察署|警察本部)(?P<name>[一-龥々]{{1,4}}?)(?:副?署長|本部長|{_UNIT}長)")  # (round 35:
# 「千葉南警察署荒川生活安全課長」)


def find_station_heads(text: str, lex: Lexicon) -> list[tuple]:
    """The family names before a station's town and its head's title (``_BEFORE_STATION``)."""
    out = []
    for m in _BEFORE_STATION.finditer(text):
        run = m["run"]
        if is_municipality_name(run, lex) or directed_town(run) or is_station_name(run):
            continue  # 「鹿児島中央署長」「有田湯浅署長」: the whole run is the station's town or name (round 55)
        # a post office is named after any town (「児玉|五加郵便局長」), and often after its city first (「川崎四谷上町郵便局」)
        post = m["office"] == "郵便局"
        for cut in range(1, min(5, len(run) - 2) + 1):
            name, town = run[:cut], run[cut:]
            if post and is_municipality_name(name, lex):
                continue
            # a family name, or a full name of three to five kanji (「正成祐治|別府警察署交通課長」, round 64)
            named = can_be_surname(name) or (cut >= 3 and not post and name[-1] not in "都道府県市区町村郡" and (
                any(can_be_surname(name[:n]) for n in (2, 3) if n < cut) or can_be_given(name[-2:])))
            if (is_municipality_name(town, lex) or (post and town_anywhere(town)) or (not post and is_station_name(town))) \
                    and named and (name not in PREFECTURE_STEMS or (not post and is_station_name(town))) \
                    and name not in NOT_SURNAMES and name not in lex.generic and name not in lex.not_names:
                # (round 109: a prefecture's name is a family name before a station's, 「千葉|寄居警察署長」)
                out.append((m.start("run"), m.start("run") + cut, "person", PERSON_MASK))
                break
        else:  # no cut names a town or a station: the whole run may be a full name (round 106)
            if not post and _full_name_before_head(run, m.group(), lex):
                out.append((*m.span("run"), "person", PERSON_MASK))
    out += [(*m.span("name"), "person", PERSON_MASK) for m in _AFTER_STATION.finditer(text)
            if can_be_surname(m["name"]) and m["name"] not in NOT_SURNAMES and m["name"] not in lex.generic]
    return out


def _full_name_before_head(run: str, found: str, lex: Lexicon) -> bool:
    """Whether ``run`` before 署長 is a full name no part of which names a station or a town (「平田正典署長」, round
    106: SudachiPy reads 平田|正典 as a place and a common word, and 平田 alone names no station here)."""
    given = run[2:]
    return found.endswith("署長") and len(run) in (4, 5) and can_be_surname(run[:2]) and run not in lex.generic \
        and (can_be_given(given) or all(can_be_given(ch) for ch in given)) \
        and not any(is_station_name(run[i:]) or is_municipality_name(run[i:], lex) or town_anywhere(run[i:])
                    for i in range(1, len(run) - 1)) and run[2] not in "東西南北中新"


# Round 108: a caption's byline in brackets, the unit, the officer's name and rank spaced out (「(交通機動隊 宮崎夕米吏
# 巡査長)」「(高知警察署 地域課 高橋菜々 巡査)」): whatever the name also means (宮崎, a prefecture; 水門, a common word);
# round 109: the name and rank alone (「(鷲頭絵椋巡査)」).
_BYLINE = re.compile(r"[(（](?:[^()（）\n]{0,20}?(?:署|課|隊|係|班|室|所|センター)[ \u3000・/])?"
                     r"(?P<name>[一-龥々]{2,3}?[ \u3000]?[一-龥々]{1,3}?)[ \u3000]?"
                     r"(?:生活安全|地域|交通|刑事|警務|警備|少年|総務|会計)?(?:巡査長|巡査部長|巡査|警部補|警部|警視|係長|主任|課長)"
                     r"(?:[(（][0-9]{1,3}[)）])?[)）]")  # (round 114: with the age, 「(刑事課 田中 大説 巡査長(33))」)


def find_unit_officers(text: str, lex: Lexicon) -> list[tuple]:
    """The officers named between a unit and a title (``_AFTER_UNIT``), before a unit (``_BEFORE_UNIT``) and in a
    caption's byline (``_BYLINE``) or after a station (``_FULL_NAME_AFTER_STATION``)."""
    named = (*_BYLINE.finditer(text), *_FULL_NAME_AFTER_STATION.finditer(text))
    out = [(*m.span("name"), "person", PERSON_MASK) for m in named
           if (can_be_surname(m["name"][:2]) or can_be_surname(m["name"][:3]) or can_be_given(m["name"][-2:]))
           and not any(ch in "署課隊係班室所第" for ch in m["name"]) and m["name"] not in lex.generic]
    for pattern in (_AFTER_UNIT, _BEFORE_UNIT):
        for m in pattern.finditer(text):
            name = m["name"]
            headquarters = pattern is _BEFORE_UNIT \
                and _HEADQUARTERS_BEFORE.search(text, max(0, m.start() - 6), m.start()) is not None
            if not (can_be_surname(name) or (len(name) == 3 and can_be_surname(name[:2])) or (
                    headquarters and not _UNIT_WORD.match(name))) or name in NOT_SURNAMES or name in lex.generic:
                continue  # (a family name, or one of two kanji and a given name of one: 「中村栄」; round 109: whatever
                # stands between 「県警の」 and a head's unit, 「和歌山県警の出納交通部長」)
            if name[-1] in "都道府県署" or name in PREFECTURE_STEMS:
                continue  # 「千葉県警察本部生活安全部長」「宇治署生活安全課長」: the prefecture's or the station's unit
            if pattern is _BEFORE_UNIT and is_municipality_name(name, lex) and not headquarters:
                continue  # 「霧島刑事課長」: the station's unit; between a unit and a title a town's name is a person's
                # (round 95: after 「県警の」 the unit is the headquarters', 「県警の一戸生活安全部長」)
            out.append((m.start("name"), m.end("name"), "person", PERSON_MASK))
    return out
