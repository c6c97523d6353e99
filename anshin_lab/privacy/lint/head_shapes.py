"""Heads and staff named by the title they hold and the office or unit around it, where the words of the name
alone say too little.

This module exists because ``person_shapes`` grew past the length a module may have: these finders read one
structure, a job title and the office, unit or place it heads, and ``person_shapes.find_shaped_names`` calls them
in its order. The checks they share with the other finders are in ``name_runs``.

- Round 7: a head in brackets right after the office he heads (「鯖江郵便局(田畠一光局長)」「宮古島署(宮城英眞署長)」);
  a head after 「<office>の」 whose title heads that kind of office (「西区の粟崎区長」「湯原局の金定和宏局長」: the
  place is named before, so the word before the title is no place); a family name before a title a unit makes
  (「弓削田自治会|長」「柳澤支部|員」「鈴木協議会|長」). Each needs the name to be shaped like one (``name_shaped``).
- Round 8, names the tokens do not know: a run of kanji between an edge (start, a particle, punctuation, a space,
  a bracket) and a job title, maybe with its reading in brackets, that is no unit, office, place, numbered unit or
  common word (「燕署で、水上英俊署長が」「同会の切金一夫(きりがねかずお)会長」「説明する川村所長=」; a town's name
  alone before a head's title only with an age, 「宮下会長(82)」); the name after an office glued before the title
  (「伴交番平所長」) and before the office a head's title carries (「村田隆|県警本部長」); and a name after a title whose
  parts are set apart by spaces (「課長 鶴ヶ崎 徹」).
- Round 9: a family name glued before the police's head title, maybe with the station's municipality between
  (「鈴木警察本部長」「会田蕨警察署長」); round 61: a full name there too (「井上正警察署長」).
- Round 59: family names in a row in brackets, the last glued to the title they share (「来賓(岡地・清水県議会議員)」).
- Round 60: a family name glued before a body named after a town and the body's head title (「真壁山口損保会会長」).
- Round 61: the head of a prefecture's police after its name and の (「県警の林学本部長」).
- Round 101: a name, 「・」 and the post he heads (「岩戸誠也・同交番所長」「島田・生徒会長は」).
- Round 111: a family name glued between 県警 and a squad head's title (「県警大和田隊長」).

Each finder returns candidates ``(start, end, "person", suggestion)`` on the folded text.
"""

from __future__ import annotations

import re

from anshin_lab.privacy.lint.employers import head_before_town_body
from anshin_lab.privacy.lint.findings import PERSON_MASK
from anshin_lab.privacy.lint.lexicon import Lexicon
from anshin_lab.privacy.lint.municipalities import PREFECTURE_STEMS, is_municipality_name
from anshin_lab.privacy.lint.name_checks import full_name_word, inside_town, surname_word
from anshin_lab.privacy.lint.name_runs import (BODY_HEAD, KANJI, LEAD_CHARS, OFFICE_END, PEOPLE_WORDS, UNIT_OR_PLACE_END,
                                               common_word, ends_in_job, name_shaped, occupations, office_after_name,
                                               surname_whole)
from anshin_lab.privacy.lint.person_titles import HEADS_OF_TOWNS, PLACE_OF_HEAD, heads_place, names_place
from anshin_lab.privacy.lint.police_stations import is_station_name
from anshin_lab.privacy.lint.tokens import can_be_given, can_be_surname, script_of, tokenize

__all__ = ["before_police_heads", "before_unit_titles", "bracketed_heads", "bracketed_rows", "heads_after_office",
           "heads_before_dot", "heads_of_town_bodies", "heads_of_town_branches", "heads_inside_offices",
           "runs_before_titles", "spaced_names"]


# What may stand between a head's name and the title it holds: 「田中副署長」「金定副統括局長」「森前会長」.
_TITLE_LEAD = re.compile(r"(?:前|元|現)?(?:副|次|総|統括|総括|代表|筆頭|主任|首席)*")
# ... and, in brackets, the branch a head heads: 「(鹿児島|支社長)」「(平野|本部長)」 leave 支 / 本 out of the name.
_BRANCH_LEAD = re.compile(r"(?:前|元|現)?(?:副|次|総|統括|総括|代表|筆頭|主任|首席)*(?:支|分|本|営業|出張)?")


def _title_at_end(inner: str, lex: Lexicon) -> int | None:
    """Where the longest title at the end of ``inner`` starts (a title of ``person_titles.csv`` of the job
    kind, with 副 / 統括 / 前… before it), leaving two to five characters of name before it."""
    for i in range(2, min(6, len(inner) - 1)):
        rest = inner[i:]
        lead = _BRANCH_LEAD.match(rest)
        title = rest[lead.end():]
        if title and lex.titles.get(title) == "job" and title not in lex.not_names:
            return i
    return None


# 「鯖江郵便局(田畠一光局長)」「宮古島署(宮城英眞署長)」: a head in brackets right after the office he heads.
_BRACKETED_HEAD = re.compile(rf"(?<=[{KANJI}ァ-ヺー])[(（](?P<inner>[{KANJI}]{{3,12}})[)）、]")  # (round 65: 、 and more)


# Round 112: with the name's reading between it and the title (「大見武区(町田元利(もととし)区長)」).
_BRACKETED_READ_HEAD = re.compile(rf"(?<=[{KANJI}ァ-ヺー])[(（](?P<name>[{KANJI}]{{2,6}})[(（][ぁ-ゖ]{{2,12}}[)）]"
                                  rf"(?P<title>[{KANJI}]{{1,6}})[)）、]")


def bracketed_heads(text: str, lex: Lexicon) -> list[tuple]:
    out = []
    for m in _BRACKETED_HEAD.finditer(text):
        if not OFFICE_END.search(text, max(0, m.start() - 8), m.start()):
            continue
        cut = _title_at_end(m["inner"], lex)
        if cut is None:
            continue
        a = m.start("inner")
        if name_shaped(text[a:a + cut], lex):
            out.append((a, a + cut, "person", PERSON_MASK))
    for m in _BRACKETED_READ_HEAD.finditer(text):
        if (OFFICE_END.search(text, max(0, m.start() - 8), m.start()) or text[m.start() - 1] in "区町村市") \
                and lex.titles.get(m["title"]) == "job" \
                and name_shaped(m["name"], lex):
            out.append((*m.span("name"), "person", PERSON_MASK))
    return out


# Round 59: family names in a row in brackets, the last glued to the title they share (「来賓(岡地・清水県議会議員)」).
_BRACKETED_ROW = re.compile(rf"[(（](?P<row>[{KANJI}]{{1,5}}(?:・[{KANJI}]{{1,5}}){{0,3}})・"
                            rf"(?P<last>[{KANJI}]{{3,12}})[)）]")
_ROW_NAME = re.compile(rf"[{KANJI}]+")
_SHARED_TITLE = re.compile(r"[県市町村区都道府]議(?:会議員)?")


def bracketed_rows(text: str, lex: Lexicon) -> list[tuple]:
    out = []
    for m in _BRACKETED_ROW.finditer(text):
        last = m["last"]
        cut = next((i for i in range(2, min(6, len(last) - 1)) if _SHARED_TITLE.fullmatch(last, i)
                    or lex.titles.get(last[i:]) == "job"), None)
        if cut is None:
            continue
        names = [i.span() for i in _ROW_NAME.finditer(text, m.start("row"), m.start("last") + cut)]
        if all(name_shaped(text[a:b], lex) and _family_name_first(text[a:b]) for a, b in names):
            out += [(a, b, "person", PERSON_MASK) for a, b in names]
    return out


def _family_name_first(name: str) -> bool:
    first = tokenize(name)[0]
    return first.pos[3] == "姓" or first.oov


# Round 60: a family name glued before a body named after its town or prefecture, and the body's head title
# (「真壁山口損保会会長」): the head's name, the body no place of it.
_TOWN_BODY = re.compile(rf"(?<![{KANJI}])(?P<run>[{KANJI}]{{5,20}}?(?:会議所|協会|連合会|協議会|組合|会|連盟))"
                        rf"(?={BODY_HEAD.pattern})")


def heads_of_town_bodies(text: str, lex: Lexicon) -> list[tuple]:
    out = []
    for m in _TOWN_BODY.finditer(text):
        cut = head_before_town_body(m["run"], lex)
        if cut is not None:
            out.append((m.start(), m.start() + cut, "person", PERSON_MASK))
    return out


# 「西区の粟崎区長」「美作勝山局の田辺礼士局長」「A社の森社長」: the office is named before の, so the word before
# the title that heads it is the head's name, not the place.
_HEAD_AFTER_OFFICE = re.compile(rf"(?P<unit>[区市町村署局店社会部課所館園院校])の(?P<name>[{KANJI}]{{2,5}}?)"
                                rf"(?P<lead>(?:前|元|現)?(?:副|統括|総括)*)(?P=unit)長")


def heads_after_office(text: str, lex: Lexicon) -> list[tuple]:
    out = []
    for m in _HEAD_AFTER_OFFICE.finditer(text):
        a, b = m.span("name")
        title = m["lead"] + m["unit"] + "長"
        for cut in (2, 1):
            if text[b - cut:b] + title in lex.titles:
                b -= cut  # 「支店の杉山聡|支店長」: the title is longer than 店長
                break
        name = text[a:b]
        if re.search(re.escape(name + m["unit"]) + "(?!長)", text) or not name_shaped(name, lex, place_ok=True):
            continue  # 「西区の北区長」… 「北区」: the head of a place the text names
        out.append((a, b, "person", PERSON_MASK))
    for m in _POLICE_CHIEF.finditer(text):
        name = m["name"]
        if name not in lex.generic and name not in lex.titles and name not in lex.not_names \
                and not any(name.endswith(w) for w in occupations()) and not _UNIT_WORD.search(name):
            out.append((*m.span("name"), "person", PERSON_MASK))  # 「県警の林学本部長」: one man, whatever his name reads as
    out += [(*m.span("name"), "person", PERSON_MASK) for m in _UNIT_HEAD_AFTER_POLICE.finditer(text)
            if can_be_surname(m["name"]) and m["name"] not in lex.generic and m["name"] not in lex.not_names]
    return out


# Round 126: the head of a firm's branch by his name, the branch's town and his title, glued after the firm's office
# (「…株式会社札幌支店去川毅小樽支社長」「河守俊夫小樽中央営業所長」「去川小樽支社長は」): the town ends the name.
_BRANCH_HEAD = re.compile(r"(?:支社長|支店長|営業所長)")
_FIRM_OFFICE = re.compile(r".*(?:支店|支社|会社)")


def heads_of_town_branches(text: str, lex: Lexicon) -> list[tuple]:
    out = []
    for m in _BRANCH_HEAD.finditer(text):
        start = m.start()
        while start > 0 and script_of(text[start - 1]) == "kanji":
            start -= 1
        firm = _FIRM_OFFICE.match(text, start, m.start())
        run = text[firm.end() if firm else start:m.start()]
        for cut in range(2, min(6, len(run) - 1)):
            town = next((stem for stem in (run[cut:cut + n] for n in (4, 3, 2))
                         if stem in lex.municipality_stems or stem in PREFECTURE_STEMS), None)
            if town is not None and len(run) - cut - len(town) <= 2 and name_shaped(run[:cut], lex, place_ok=True) \
                    and not is_municipality_name(run[:cut], lex):
                a = m.start() - len(run)
                out.append((a, a + cut, "person", PERSON_MASK))
                break
    return out


# Round 128: a name between an office and the title of its head, which repeats the office (「…千葉県本部鳥羽本部長」
# 「…札幌支店山田支店長」): the head of the office just named.
_NAME_IN_OFFICE = re.compile(rf"(?P<unit>本部|支部|支店|支社|営業所|事務所|出張所)(?P<name>[{KANJI}]{{2,5}}?)(?P=unit)長")


def heads_inside_offices(text: str, lex: Lexicon) -> list[tuple]:
    return [(*m.span("name"), "person", PERSON_MASK) for m in _NAME_IN_OFFICE.finditer(text)
            if name_shaped(m["name"], lex, place_ok=True) and m["name"] not in PREFECTURE_STEMS]


# Round 101: a name, 「・」 and the post he heads (「岩戸誠也・同交番所長(警部補)の話」「島田・生徒会長は」). A run that
# ends as an office or a town does is no name: the name follows its dot (「那覇警察署・与那城武署長」「三条市・…市長」).
_NAME_DOT_HEAD = re.compile(rf"(?<![{KANJI}・･])(?P<name>[{KANJI}]{{2,5}})[・･](?P<post>(?:同|前|元|現)?[{KANJI}]{{0,6}}?長)"
                            r"(?=[(（はのがも「、])")


def heads_before_dot(text: str, lex: Lexicon) -> list[tuple]:
    out = []
    for m in _NAME_DOT_HEAD.finditer(text):
        name, post = m["name"], m["post"]
        if not ends_in_job(post, lex) \
                or (name in lex.municipality_stems and post[-2:] in ("市長", "町長", "村長", "区長", "署長")):
            continue  # 「狭山・入間市長」「前橋・高崎署長」: the heads of two places
        if UNIT_OR_PLACE_END.search(name) or OFFICE_END.search(name) or name[-1] in "長官警員者" \
                or not name_shaped(name, lex, place_ok=True) \
                or not (can_be_surname(name[:2]) or any(t.person for t in tokenize(name))) \
                or names_place(text, name) or inside_town(text, m.start(), m.end("name")):
            continue
        out.append((*m.span("name"), "person", PERSON_MASK))
    return out


# Round 61: the head of a prefecture's police after its name and の: the word before his title is his name (「県警の林学
# 本部長」, where 林学 is also "forestry").
_POLICE_CHIEF = re.compile(rf"(?:県警|府警|道警|警視庁|県警察|府警察|道警察)の(?P<name>[{KANJI}]{{2,4}}?)(?:警察)?本部長(?!室)")
# Round 111: a family name glued after the prefecture's police and before the head's title of a squad (「県警大和田隊長」);
# a squad named there is no family name (「県警機動隊長」「県警航空隊長」).
_UNIT_HEAD_AFTER_POLICE = re.compile(rf"(?:県警|府警|道警)(?P<name>[{KANJI}]{{2,3}}?)副?(?:隊長|班長)")


# The end of a title made of a unit and a head or member (「自治会|長」「支部|員」「協議会|長」「地域安全対策|官」).
_UNIT_TITLE_END = ("長", "員", "官")
# A unit word that makes such a title: a group or office (「町内会」「支部」「協議会」), or a job (「指導員」).
_UNIT_WORD = re.compile(r"(?:会|部|局|課|係|班|室|団|隊|所|委員|対策|指導|相談|支援|推進|統括|総括)$")


def before_unit_titles(text: str, tokens, lex: Lexicon) -> list[tuple]:
    """A family name (SudachiPy 人名,姓, maybe with its 名) at the start of a word, then the title a unit
    makes (「弓削田自治会長」「柳澤支部員」「鈴木協議会長」「石川防犯指導員」)."""
    out = []
    for k, t in enumerate(tokens):
        if (t.pos[2] != "人名" or t.pos[3] != "姓" or script_of(t.surface[0]) != "kanji") \
                and not _neighbourhood_head(text, t):
            continue
        if k > 0 and tokens[k - 1].end == t.begin and script_of(text[t.begin - 1]) == "kanji":
            continue  # the end of a longer word
        j = k + 1
        # the given name, maybe one SudachiPy reads as another family name (「砂本|安久」)
        while j < len(tokens) and j - k <= 2 and tokens[j].person and tokens[j].pos[3] in ("名", "姓") \
                and tokens[j].begin == tokens[j - 1].end and script_of(tokens[j].surface[0]) == "kanji":
            j += 1
        end = tokens[j - 1].end
        units = []
        # the unit, maybe a place and a department joined by ・ (「天文館・地域安全対策|官」)
        while j < len(tokens) and len(units) < 7 and tokens[j].begin == tokens[j - 1].end and not tokens[j].person \
                and (all(script_of(ch) == "kanji" for ch in tokens[j].surface)
                     or (tokens[j].surface == "・" and units and j + 1 < len(tokens)
                         and script_of(tokens[j + 1].surface[0]) == "kanji")):
            units.append(tokens[j])
            j += 1
            last = units[-1].surface
            whole = "".join(u.surface for u in units)
            if lex.titles.get(whole) == "job" or whole in lex.titles_before:
                break  # a title _find_names reads already
            unit_and_head = len(units) >= 2 and last in _UNIT_TITLE_END and units[-1].pos[0] == "接尾辞" \
                and _UNIT_WORD.search(units[-2].surface)  # 「自治会|長」「支部|員」
            role = len(units) >= 2 and len(last) >= 3 and lex.titles.get(last) == "job"  # 「防犯|指導員」
            if unit_and_head or role:
                station = _STATION_REST.match(whole)
                if station and is_station_name(text[t.begin:end] + station["rest"]):
                    break  # 「金沢|中警察署長」: the station 金沢中 (round 111), no family name before a station 中
                glued = j < len(tokens) and tokens[j].begin == tokens[j - 1].end and tokens[j].pos[0] == "接尾辞" \
                    and tokens[j].surface not in ("ら", "たち", "達", "等")  # (「的場自治会長ら」: and others, round 69)
                if not glued and text[t.begin:end] not in lex.not_names \
                        and not _HEAD_COUNT_AFTER.match(text, tokens[j - 1].end):  # else the title goes on into a word
                    out.append((t.begin, end, "person", PERSON_MASK))
                break
    return out


_STATION_REST = re.compile(r"(?P<rest>[一-龥]{1,3}?)(?:警察)?署")
# Round 70: a count after the title says the word before names a team, not one of its members (「河辺、芳野、香々美
# 班員計8人」: three districts' teams).
_HEAD_COUNT_AFTER = re.compile(r"(?:計|合計)?[0-9０-９一二三四五六七八九十]+(?:人|名)")


# What may stand right before the name in front of a title: the start of the text, a particle or a verb's end
# (hiragana), punctuation, a space or a bracket (「燕署で9月、水上英俊署長」「同連合会の切金一夫会長」
# 「教育推進部・矢吹明大トレーナー」「説明する川村所長」), never katakana, a letter or a digit (「イワタニ島根社長」).
_RUN_EDGE = re.compile(r"[ぁ-ゖ、。,・･\s」』)）】=＝:：]")
# A reading in brackets between a name and its title: 「切金一夫(きりがねかずお)会長」.
_READING_END = re.compile(r"[(（][ぁ-ゖァ-ヺー・･\s]{2,20}[)）]$")
# An office whose head or member follows it glued, before the title: 「伴交番|平|所長」「北署|田中|副署長」.
# Round 9: also a department (「県民生活部|松本|参事」「総務課|森|主査」); round 67: a body (「保護司会|毛利|会長」).
_OFFICE_IN_RUN = re.compile(r"(?:交番|駐在所|派出所|警察署|署|支店|支社|営業所|事務所|出張所|分隊|支部|本部|分署|部|課|局|室|会(?![議館場社員計]))")
# A unit named by its number (「捜査一|課長」「第|二課長」) and a station named after its town and a direction.
_KANJI_NUMERALS = set("一二三四五六七八九十百第")
_LABEL_IN_RUN = re.compile(r"[一-龥]*?(?:者名|氏名)")
_DIRECTION_END = re.compile(r"(?:東|西|南|北|中央|東部|西部|南部|北部)$")
_AGE_AFTER = re.compile(r"\s?[(（]\s?(?:当時)?\s?[0-9]{1,3}\s?(?:歳|才)?\s?[)）]")


# Round 69: a neighbourhood body's head named by a family name SudachiPy reads as a place (「的場自治会長」「松本自治連合
# 会長」): the place's body would be named so elsewhere in the text (「綱島自治会」… 「綱島自治会長」).
_NEIGHBOURHOOD_BODY = r"(?:自治会|町内会|自治連合会|連合自治会|町会)"
_NEIGHBOURHOOD_HEAD = re.compile(_NEIGHBOURHOOD_BODY + "長")


def _neighbourhood_head(text: str, t) -> bool:
    """Whether the place word ``t``, also a family name, stands before a neighbourhood body's head and the text names
    no body after that place."""
    return t.pos[2] == "地名" and script_of(t.surface) == "kanji" and 2 <= len(t.surface) <= 3 \
        and can_be_surname(t.surface) and _NEIGHBOURHOOD_HEAD.match(text, t.end) is not None \
        and re.search(re.escape(t.surface) + _NEIGHBOURHOOD_BODY + "(?!長)", text) is None


def runs_before_titles(text: str, tokens, owner, lex: Lexicon) -> list[tuple]:
    """A run of kanji between an edge (start, a particle, punctuation, a space, a bracket) and a job title,
    maybe with its reading in brackets, that is no unit, office, place or common word: the name the tokens
    do not know (「燕署で、水上英俊署長が」「同会の切金一夫(きりがねかずお)会長」「説明する川村所長=」). After an
    office glued before it (「伴交番平所長」) the name is what follows the office."""
    out = []
    for m in lex.title_re.finditer(text):
        title = m.group()
        h = m.start()
        if lex.titles[title] != "job" or title in HEADS_OF_TOWNS or h < 1:
            continue
        if tokens[owner[h]].begin != h:
            continue  # 「防犯協|会長」: the title starts inside a word
        if tokens[owner[m.end() - 1]].end > m.end():
            continue  # 「教育委員|会」 of one word 教育委員会: the title ends inside a word, a board, no holder
        end = h
        reading = _READING_END.search(text, max(0, h - 22), h)
        if reading is not None:
            end = reading.start()
        start = end
        while start > 0 and end - start < 12 and script_of(text[start - 1]) == "kanji":
            start -= 1
        if start == end or (start > 0 and not _RUN_EDGE.match(text, start - 1)) or end - start >= 12:
            continue
        label = _LABEL_IN_RUN.match(text, start, end)
        if label is not None:
            start = label.end()  # 「出席者名|堀委員」: a list's label glued before the name
            if start == end:
                continue
        run = text[start:end]
        office = None
        for o in _OFFICE_IN_RUN.finditer(run):
            if o.start() > 0 and 1 <= len(run) - o.end() <= 3:  # 「室戸」 starts with no office
                office = o
        if office is not None:
            a = start + office.end()
            name = text[a:end]
            if len(name) == 1:
                if name in LEAD_CHARS or not can_be_surname(name) or name in lex.not_names \
                        or text[a - 1:end] in lex.titles:  # 「同総務部|長|会計」: the office's head, a post (round 127)
                    continue
                out.append((a, end, "person", PERSON_MASK))
                continue
        else:
            a = start
            name = run
            office_after = office_after_name(text, run, PLACE_OF_HEAD.get(title), lex)
            if office_after is not None:
                end = start + office_after  # 「村田隆|県警本部長」「黒沢毅|双葉署長」: the office the head heads
                name = text[a:end]
        if len(name) == 1 and office is None and start == a and _one_kanji_surname(text, a, h, title, lex):
            out.append((a, end, "person", PERSON_MASK))  # 「畑所長」「福会長」: a family name of one kanji, alone
            continue
        if not 2 <= len(name) <= 5 or (name[0] in LEAD_CHARS and not surname_whole(name)) or name[-1] == "両" \
                or (UNIT_OR_PLACE_END.search(name) and not can_be_surname(name)):
            continue  # 「同会|会長」「三条市|長」, but 「阿部|署長」
        direction = _DIRECTION_END.search(name)
        after_unit = office is not None and title not in PLACE_OF_HEAD  # 「県民生活部|松本|参事」: a name, not a town
        if (name in lex.municipality_stems and not after_unit) \
                or (direction and (direction.start() == 0 or name[:direction.start()] in lex.municipality_stems)):
            continue  # 「今治|署長」「松山東|署長」「鹿児島中央|署長」「西部|支店長」: a station or branch named after its town
        piece = tokenize(name)
        if any("サ変" in t.pos[2] and not t.person for t in piece) or name[-1] in _KANJI_NUMERALS:
            continue  # 「捜査一|課長」「防犯|部長」: a unit named by its work or number
        if reading is not None and office is None and len(name) >= 3 and _plain_name(name, lex):
            out.append((a, end, "person", PERSON_MASK))  # 「切金一夫(きりがねかずお)会長」: a reading spells a name
            continue
        if not name_shaped(name, lex, place_ok=True):
            continue
        places = all(t.pos[2] == "地名" for t in piece)
        if places and (len(piece) > 1 or not can_be_surname(name)):
            continue  # 「鹿児島中央支店長」: a place
        if len(name) == 2 and not (can_be_surname(name) or piece[0].person or piece[0].oov):
            continue
        if len(name) >= 3 and not (any(t.person or t.oov for t in piece) or any(
                can_be_surname(name[:i]) and (can_be_given(name[i:]) or (len(name) - i >= 2 and not common_word(name[i:])))
                for i in range(1, len(name)))):
            continue  # a full name: a family name the dictionary knows, then a given name or no common word
        # one word that names a town or a part (「天神|所長」「西部|支店長」) is the unit a head heads, unless an age
        # says a person is meant (「宮下会長(82)」)
        # (round 9: a common word that is also a family name is the head's name, 「植木所長」「馬場所長」, unless the text
        # names that unit, which ``heads_place`` reads)
        unit = len(piece) == 1 and ((piece[0].pos[1] == "普通名詞" and not can_be_surname(name))
                                    or (places and inside_town(text, a, end)))
        if title in PLACE_OF_HEAD and (heads_place(text, a, h, title)
                                              or (unit and not _AGE_AFTER.match(text, m.end()))):
            continue  # 「谷山署長」 of 谷山署
        out.append((a, end, "person", PERSON_MASK))
    return out


def _one_kanji_surname(text: str, a: int, h: int, title: str, lex: Lexicon) -> bool:
    """Whether the one kanji text[a] right before the title at ``h`` (and after an edge) is a family name: the dictionary
    has it as one, and it is no lead of a title (「同|会長」「副|所長」), numeral, direction, unit or municipality, and the
    text names no office after it (「畑所」); before a station's title (署長, 署員) no municipality's name (「燕署員」)."""
    name = text[a:h]
    if h != a + 1 or name in LEAD_CHARS or name in _KANJI_NUMERALS or UNIT_OR_PLACE_END.search(name) or name in "東西南北中上下" \
            or name in lex.not_names or name in lex.generic or not can_be_surname(name):
        return False
    if any(name + kind in lex.municipalities for kind in "市町村区"):
        return False  # 「燕署員」「燕署長」: the station of 燕市 (but 「星署長」 is a head's name, round 42)
    return not heads_place(text, a, h, title)


def _plain_name(name: str, lex: Lexicon) -> bool:
    """Whether the kanji run ``name`` is no word of the lint's dictionaries, unit, place or occupation."""
    return not (name in lex.not_names or name in lex.generic or name in lex.titles or name in lex.titles_before
                or name in lex.municipalities or PEOPLE_WORDS.match(name) or any(name.endswith(w) for w in occupations()))


# 「消費者安全課長 鶴ヶ崎 徹」「取締役 藤田 毎 幸」: a name after a title, its parts set apart by spaces, to the end of
# the line or a bracket; the parts are one name.
# Round 9: the given name may be in kana (「防犯協会長 日根野 サエコ」「会長 富竹 こじろう」).
_SPACED_NAME = re.compile(rf"(?P<name>[{KANJI}]{{1,3}}(?:[ \u3000](?:[{KANJI}]{{1,3}}|[ぁ-ゖ]{{2,5}}|[ァ-ヺー]{{2,6}})){{1,2}})"
                          r"(?=\s*(?:$|\n|[()（）」』】、。,]))")


def spaced_names(text: str, lex: Lexicon) -> list[tuple]:
    out = []
    for m in lex.title_before_re.finditer(text):
        at = m.end()
        if at >= len(text) or text[at] not in " \u3000":
            continue
        s = _SPACED_NAME.match(text, at + 1)
        if s is None:
            continue
        parts = s["name"].split()
        if not 2 <= sum(map(len, parts)) <= 8 or lex.title_re.fullmatch(parts[-1]) or parts[0] in lex.titles \
                or any(p in lex.not_names or p in lex.generic or p in lex.titles_before for p in parts):
            continue
        head = tokenize(parts[0])
        given = tokenize(parts[-1])
        if not (can_be_surname(parts[0]) or (head and head[0].pos[3] == "姓") or can_be_surname(parts[0].replace("ヶ", ""))
                or (len(parts) == 2 and _given_shaped(parts[1], given) and not common_word(parts[0])
                    and all(t.pos[0] in ("名詞", "接頭辞") and t.pos[1] != "数詞" for t in head))):
            continue  # round 9: a family name the dictionary does not know (「富家 優」), when a given name follows
        out.append((*s.span("name"), "person", PERSON_MASK))
    return out


# Round 22: a family and a given name set apart by a space, then the title, glued or after one more space (「上野 洋支部長」
# 「津田 達 町長」, as a town's report prints the signers): SudachiPy may read the family name as a place.
_SPACED_FAMILY = re.compile(rf"(?<![{KANJI}])(?P<family>[{KANJI}]{{1,3}})[ \u3000](?=[{KANJI}])")


def spaced_before_titles(text: str, lex: Lexicon) -> list[tuple]:
    """Every name written 「family given title」 with spaces, the given name one to three kanji (the shortest that a job
    title follows)."""
    out = []
    for m in _SPACED_FAMILY.finditer(text):
        family = m["family"]
        if m.start() > 1 and text[m.start() - 1] in " \u3000" and script_of(text[m.start() - 2]) == "kanji":
            continue  # 「代 表 者 取締役」: a word set out with spaces, no name
        if not can_be_surname(family) or family in lex.generic or family in lex.not_names or family in lex.titles:
            continue
        for size in (1, 2, 3):
            given = text[m.end():m.end() + size]
            if len(given) < size or script_of(given[-1]) != "kanji":
                break
            at = m.end() + size + (text[m.end() + size:m.end() + size + 1] in (" ", "\u3000"))
            title = lex.title_re.match(text, at)
            if title is None or lex.titles[title.group()] != "job" \
                    or (title.group() in HEADS_OF_TOWNS and at == m.end() + size):
                continue  # (「山田 鹿児島市長」: a glued head of a town is the town's)
            if common_word(given) or (size > 1 and not can_be_given(given)) or given in lex.generic \
                    or given in lex.titles:
                continue
            out.append((m.start(), m.end() + size, "person", PERSON_MASK))
            break
    return out


def _given_shaped(part: str, piece) -> bool:
    """Whether ``part`` after a spaced family name reads as a given name: SudachiPy's 人名,名, or kana that is no
    word of a particle or verb, or one to three kanji that are no common word of two kanji or more."""
    if any(t.person and t.pos[3] == "名" for t in piece) or can_be_given(part):
        return True
    if script_of(part[0]) in ("hiragana", "katakana"):
        return not any(t.pos[0] in ("助詞", "助動詞", "動詞") for t in piece)
    return len(part) == 1 or not common_word(part)


# 「鈴木警察本部長」「会田蕨警察署長」「岩岡藤沢警察署長」: a family name of two or three kanji glued before the police's
# head title, maybe with the municipality the station is named after between them (SudachiPy reads 警察署|長 and
# 警察本部長 as words, so the title starts inside one).
# 「大川原消防署長」: the fire station's head likewise. A run that names a ward or station of the text is the place
# (「麻生区役所」… 「麻生警察署長」).
_POLICE_HEAD = re.compile(rf"(?<![{KANJI}])(?P<run>[{KANJI}]{{2,7}}?)(?:警察(?:署長|署副署長|本部長)|消防署(?:長|副署長))")


def before_police_heads(text: str, lex: Lexicon) -> list[tuple]:
    out = []
    for m in _POLICE_HEAD.finditer(text):
        run = m["run"]
        if is_station_name(run):
            continue  # 「小倉北警察署長」: a station of Japan (not 小倉 and the ward 北区, round 62)
        for cut in (2, 3):
            name, town = run[:cut], run[cut:]
            if len(name) < cut or not can_be_surname(name) or name in lex.municipality_stems or name in lex.municipalities \
                    or name[0] in LEAD_CHARS or name in lex.not_names or names_place(text, name):
                continue
            if not town and not m.group().endswith("本部長") and not surname_word(name):
                continue  # 「南千住警察署長」「金沢東警察署長」: the station's town, which no 姓 of the dictionary spells
            if not town or town in lex.municipality_stems or any(town + kind in lex.municipalities for kind in "市町村区"):
                out.append((m.start("run"), m.start("run") + cut, "person", PERSON_MASK))
                break
        else:
            if full_name_word(run) and not names_place(text, run):
                out.append((*m.span("run"), "person", PERSON_MASK))  # 「井上正警察署長」: his full name (round 61)
    return out

