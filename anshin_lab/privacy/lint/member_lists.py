"""Where the members of a list live: 「▽2期=山田一郎(上町)佐藤花子(寺前堂)」 (issue 14, round 12).

A list of a council's or an association's members writes each name with the district the member comes from
in brackets. A district may end in a character that also ends a shop's or temple's name (堂, 屋, 院, 寺),
but in such a list the bracket holds where the member lives, not a place to withhold; the person beside it
is withheld already. A list is at least ``_LEAST_MEMBERS`` names each followed by a bracket.

Also the family names listed after a label of who answers or leads (「担当者:小林、寺崎」, round 8; moved here from
``person_shapes`` in round 82), and those listed after a unit's members (「隊員の久保木、江口、堀越が」, round 115).
"""

from __future__ import annotations

import re

from anshin_lab.privacy.lint.findings import PERSON_MASK
from anshin_lab.privacy.lint.lexicon import Lexicon
from anshin_lab.privacy.lint.municipalities import PREFECTURE_STEMS, is_municipality_name
from anshin_lab.privacy.lint.name_runs import KANJI, LEAD_CHARS, UNIT_OR_PLACE_END
from anshin_lab.privacy.lint.tokens import Token, can_be_surname, script_of, tokenize

__all__ = ["inside_member_district", "listed_members", "member_district", "members_listed", "names_after_labels",
           "sharing_a_title", "titled_roll"]

# A member: two to six kanji (a full name), then a bracket of one to eight characters.
_MEMBER = re.compile(r"[一-龥々]{2,6}[(（](?P<where>[^()（）、。\n]{1,8})[)）]")
_LEAST_MEMBERS = 3


def member_district(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is the whole bracket after a member's name in a list of members."""
    if start == 0 or end >= len(text) or text[start - 1] not in "(（" or text[end] not in ")）":
        return False
    members = list(_MEMBER.finditer(text, max(0, start - 200), min(len(text), end + 200)))
    if len(members) < _LEAST_MEMBERS:
        return False
    return any(m.start("where") == start and m.end("where") == end for m in members)


def inside_member_district(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] lies in the bracket after a member's name (the learned detector may read a part of it,
    「松月|堂」)."""
    opener = max(text.rfind("(", 0, start), text.rfind("（", 0, start))
    closer = min((p for p in (text.find(")", end), text.find("）", end)) if p >= 0), default=-1)
    return opener >= 0 and closer >= 0 and member_district(text, opener + 1, closer)


# Round 33: the members themselves, when every bracket of the list holds a municipality or 「同」 (「個人 前田由美(下田市)
# 渡辺宜亮(南伊豆町)鈴木喜代孝(同)」): each run before a bracket is one whole name, whatever SudachiPy cuts it into.
# Round 66: a pupils' prize list brackets each pupil's school and grade instead (「小川暖羽(大須賀3)田中優理亜(同2)」);
# round 84: or the school's short name alone, and heads each age group 〈…〉 (「〈シニア〉和歌愛子(和歌山市)」
# 「〈中学生・高校生〉出耒紗杜里(和歌山信愛高)」).
# Round 99: or the grade alone (「比嘉怜遠(5年)▽前田みぞれ(同)▽小河内我流(同)」).
_SCHOOL_AND_GRADE = re.compile(r"[一-龥々]{1,4}[1-6１-６]|[一-龥々ヶ]{2,8}[小中高]|[1-6１-６]年生?")
_LISTED = re.compile(r"(?:^|(?<=[\s)）、▽・=〉]))(?P<name>[一-龥々]{2,6})[(（](?P<where>[^()（）、。\n]{1,8})[)）]")


def listed_members(text: str, lex: Lexicon) -> list[tuple]:
    """The names of a list of at least ``_LEAST_MEMBERS`` members bracketed with their municipality, and of a
    committee's roll (``titled_roll``)."""
    members = list(_LISTED.finditer(text))
    towns = [m for m in members if m["where"] == "同" or is_municipality_name(m["where"], lex)
             or m["where"][-1:] in "市町村区" or _SCHOOL_AND_GRADE.fullmatch(m["where"])]
    out = titled_roll(text, lex)
    if len(towns) < _LEAST_MEMBERS:
        return out
    return out + [(*m.span("name"), "person", PERSON_MASK) for m in towns
                  if any(can_be_surname(m["name"][:i]) for i in (1, 2, 3)) and not lex.suffix_re.search(m["name"])
                  and not is_municipality_name(m["name"], lex) and m["name"] not in lex.generic
                  and m["name"][-1] not in "君氏様"]  # (round 99: 「早川森君(6年)」, the title's rule finds 早川森)


# Round 53: a committee's roll, each member's family name with the same kind of title (「佐藤委員長、伊藤委員、岩沼
# 委員、小堀委員、秋口委員」): in a roll of at least ``_LEAST_MEMBERS`` where most are family names, every one is a
# name, also a word the dictionary knows otherwise (秋口, 今).
_ROLL_ITEM = re.compile(r"(?:^|(?<=[、,・\s]))(?P<name>[一-龥々]{1,4}?)(?:副?委員長|委員|議員|理事|監事|幹事)(?=[、,・\s]|$)")


def titled_roll(text: str, lex: Lexicon) -> list[tuple]:
    """The family names of every roll of members written 「〇〇委員、〇〇委員、…」."""
    out, run = [], []
    for m in [*_ROLL_ITEM.finditer(text), None]:
        if m is not None and (not run or m.start() - run[-1].end() == 1):
            run.append(m)
            continue
        if len(run) >= _LEAST_MEMBERS and all(r["name"][0] not in LEAD_CHARS and r["name"] not in lex.generic
                                              and r["name"][-1] not in "都道府県市区町村郡" for r in run) \
                and 2 * sum(can_be_surname(r["name"]) for r in run) > len(run):  # (岩沼 is a city and a family name)
            out += [(*r.span("name"), "person", PERSON_MASK) for r in run]
        run = [m] if m is not None else []
    return out


# Round 69: family names listed before the one title they share (「川柳大賞に城間、浅野さん」「城間・浅野氏」): each
# item of the list is a family name SudachiPy knows, the last one takes the title.
_SHARED_TITLES = ("さん", "氏")


def sharing_a_title(text: str, tokens: list[Token]) -> list[tuple]:
    """The family names before 、 or ・ and another family name with さん or 氏 (the title stands once, for all)."""
    out = []
    for k in range(len(tokens) - 3):
        t = tokens[k]
        if not _surname(t, place=True) \
                or (k > 0 and tokens[k - 1].end == t.begin and script_of(text[t.begin - 1]) == "kanji"):
            continue
        j = k
        while j + 3 < len(tokens) and tokens[j + 1].surface in ("、", "・") and _surname(tokens[j + 2], place=True) \
                and tokens[j + 1].begin == tokens[j].end and tokens[j + 2].begin == tokens[j + 1].end:
            j += 2
        if j > k and tokens[j + 1].surface in _SHARED_TITLES and tokens[j + 1].begin == tokens[j].end \
                and _surname(tokens[j]):
            out += [(tokens[i].begin, tokens[i].end, "person", PERSON_MASK) for i in range(k, j, 2)]
    return out


def _surname(t: Token, place: bool = False) -> bool:
    """A family name of the dictionary; with ``place``, also a place's name that is a family name too (「大田、長嶺、
    宇江城さん」: the last one, which takes the title, must be a family name of the dictionary; round 117)."""
    if place and t.pos[2] == "地名" and can_be_surname(t.surface) and script_of(t.surface[0]) == "kanji" \
            and t.surface not in PREFECTURE_STEMS:  # (「鹿児島、浅野さん」: the prefecture, then a name)
        return True
    return t.pos[2] == "人名" and t.pos[3] == "姓" and script_of(t.surface) == "kanji"


# 「担当者:小林、寺崎、西津」「担当者名:平田・建部」「防犯リーダー 宮本・増田」: a label of who answers or leads, then
# family names in a list to the end of the line.
_LIST_LABEL = re.compile(rf"(?:担当者?名?|代表者名?|責任者名?|連絡先氏名|氏名|リーダー|講師|説明者|発表者|取材者|対応者)"
                         rf"\s?(?:[:：]\s?|\s)(?P<list>[{KANJI}]{{1,4}}(?:\s?[、・･,，/／]\s?[{KANJI}]{{1,4}}){{0,6}})"
                         r"(?=\s*(?:$|\n|[(（。]))")
_LIST_ITEM = re.compile(rf"[{KANJI}]{{1,4}}")


def names_after_labels(text: str, lex: Lexicon) -> list[tuple]:
    """The family names listed after a label of who answers or leads, every item a name or none. An item that is two
    or three kanji the dictionary reads as no one word is a name too when another item is a family name it knows
    (「担当者:荒川・舂井」, round 82)."""
    return _listed_names(_LIST_LABEL, text, lex)


# Round 115: a unit's members listed by their family names after 「隊員の」 (「シーバード隊員の久保木、江口、堀越、小林が
# 参加しました」), two at least, the list ending before a particle.
_MEMBERS_OF = re.compile(rf"(?:隊員|部員|署員|職員|団員|会員|メンバー|スタッフ|選手)の"
                         rf"(?P<list>[{KANJI}]{{1,4}}(?:、[{KANJI}]{{1,4}}){{1,8}})(?=[がはらとも]|の[{KANJI}]|。|$)")


def members_listed(text: str, lex: Lexicon) -> list[tuple]:
    """The family names listed after a unit's members (``_MEMBERS_OF``), every item a name or none."""
    return _listed_names(_MEMBERS_OF, text, lex)


def _listed_names(pattern: re.Pattern, text: str, lex: Lexicon) -> list[tuple]:
    """The items of each ``list`` group ``pattern`` reads, as names when every one can be a name and one at least is
    a family name the dictionary knows."""
    out = []
    for m in pattern.finditer(text):
        out += _every_item_a_name(text, _LIST_ITEM.finditer(text, m.start("list"), m.end("list")), lex)
    return out


def _every_item_a_name(text: str, items, lex: Lexicon) -> list[tuple]:
    names, surnames = [], 0
    for item in items:
        a, b = item.span()
        name = text[a:b]
        if name in lex.not_names or name in lex.generic or name in lex.titles or name in lex.titles_before \
                or name in lex.municipalities or (UNIT_OR_PLACE_END.search(name) and not can_be_surname(name)):
            return []  # 「建部」「阿部」 end in 部 and are family names
        piece = tokenize(name)
        known = can_be_surname(name) or (len(piece) == 1 and piece[0].person) \
            or (piece and piece[0].pos[3] == "姓" and len(name) >= 3)
        if not (known or (len(name) in (2, 3) and len(piece) > 1)):
            return []
        names.append((a, b, "person", PERSON_MASK))
        surnames += known
    return names if surnames else []  # every item a name, or none
