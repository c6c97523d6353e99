"""Names a photo caption or a news heading gives by where the person stands or whom he speaks for (round 12).

A caption says a person is meant even where the word before the title is one the dictionary reads as a common word:

- **a caption's row**: after 「(左から)」 every item up to the end of the row is a person, named by a title or さん
  (「(左から)本宮署長、早坂さん、渡瀬課長」); the word before each title is the name, unless it is a place, a unit or
  a word of the lint's dictionaries.
- **a place in the photo** right after the title (「筒浦署長(左)から」「堤会長(中央)」): the word before the title is
  the holder's family name when the dictionary has it as one.
- **a heading's speaker**: a family name, 「・」, the short name of the body he heads and his title
  (「岡野・西防連会長」), the way the news heads a quote.
- **a head named after his place**: 「鳥取県の平岡知事」「佐野市の岡部市長」: the place is named before 「の」, so the
  family name before the head's title of a prefecture or municipality is the holder's.

``caption_names`` returns candidates ``(start, end, "person", suggestion)`` on the folded text.
"""

from __future__ import annotations

import re

from anshin_lab.privacy.lint.findings import PERSON_MASK
from anshin_lab.privacy.lint.lexicon import Lexicon
from anshin_lab.privacy.lint.name_runs import KANJI, LEAD_CHARS, PEOPLE_WORDS, UNIT_OR_PLACE_END, occupations
from anshin_lab.privacy.lint.person_titles import MUNICIPAL_HEADS, heads_place, names_place
from anshin_lab.privacy.lint.tokens import can_be_surname, tokenize

__all__ = ["caption_names"]

# 「(左から)」「(前列左から)」「左から」: the start of a caption's row.
_ROW_START = re.compile(r"[(（]?(?:前列|後列|写真)?\s?(?:左|右)から[)）]?\s?")
# One item of the row: a run of kanji (a name and its title), maybe さん or 氏, then 、 or the row's end.
# Round 23: 「(左:笹木会長、右:沼田本部長)」: where each holder stands, a colon, then his name and title.
_PLACED_ITEM = re.compile(r"(?:^|(?<=[(（、,\s]))(?:左|右|中|中央)\s?[:：]\s?")
_ITEM = re.compile(rf"(?P<run>[{KANJI}]{{2,9}})(?P<san>さん|氏)?(?=[、,・]|\s|$|[。)）(（])")
_ITEM_JOIN = re.compile(r"\s?[、,・]\s?")
# 「(左)」「(右から2人目)」「(中央)」: where the holder stands in the photo.
_PLACE_IN_PHOTO = re.compile(r"[(（](?:左|右|中|中央|前列|後列)[^()（）]{0,6}[)）]")
_TITLED_BEFORE = re.compile(rf"(?<![{KANJI}])(?P<run>[{KANJI}]{{2,3}}?)(?P<title>[{KANJI}]{{1,4}})(?=[(（])")
# 「岡野・西防連会長」: a family name, 「・」, a short body of kanji or katakana and a title, at the start of a line.
_HEADING_SPEAKER = re.compile(rf"(?:^|(?<=[\n「『【]))(?P<name>[{KANJI}]{{2,3}})・(?P<rest>[{KANJI}ァ-ヺーA-Za-z]{{3,12}})"
                              rf"(?=$|\n|[」』】、。\s])")
# 「鳥取県の平岡知事」「佐野市の岡部市長」: a prefecture or municipality, 「の」, a name and its head's title.
_HEAD_OF_PLACE = re.compile(rf"(?P<place>[{KANJI}]{{1,6}}?(?:都|道|府|県|市|町|村|区))の(?P<name>[{KANJI}]{{1,3}}?)"
                            rf"(?P<title>知事|副知事|市長|副市長|町長|副町長|村長|区長)(?![{KANJI}])")
# The kind of municipality a head's title names: 「岡部市長」 heads 岡部市 when there is one.
_MUNICIPAL_KIND = {**MUNICIPAL_HEADS, **{"副" + title: kind for title, kind in MUNICIPAL_HEADS.items()}, "区長": "区"}


def caption_names(text: str, lex: Lexicon, found: list[tuple] | None = None) -> list[tuple]:
    """The names of a caption's row, of a holder placed in a photo, of a heading's speaker and of a place's head;
    round 13: of a list of members, of a head of a branch or a cooperative, and of a head of a unit in a row of heads
    (``found``: the persons found already)."""
    out = _member_lists(text, lex) + _more_heads(text, lex)
    if found and "、" in text:
        out += _unit_heads_in_row(text, lex, found)
    for m in _ROW_START.finditer(text):
        out += _row(text, m.end(), lex) or _bare_row(text, m.end(), lex)
    for m in _PLACED_ITEM.finditer(text):
        out += _row(text, m.end(), lex, placed=True)
    for m in _TITLED_BEFORE.finditer(text):
        title = m["title"]
        if lex.titles.get(title) != "job" or not _PLACE_IN_PHOTO.match(text, m.end()):
            continue
        name = m["run"]
        if can_be_surname(name) and _plain(name, lex) and not _place_headed(text, m.start("run"), m.start("title"), title):
            out.append((*m.span("run"), "person", PERSON_MASK))
    for m in _HEADING_SPEAKER.finditer(text):
        rest = m["rest"]
        if not any(lex.titles.get(rest[i:]) == "job" for i in range(2, len(rest))):
            continue
        piece = tokenize(m["name"])
        if len(piece) == 1 and piece[0].person and piece[0].pos[3] == "姓" and _plain(m["name"], lex):
            out.append((*m.span("name"), "person", PERSON_MASK))
    for m in _HEAD_OF_PLACE.finditer(text):
        name = m["name"]
        if m["place"] in lex.municipalities or m["place"][-1] in "都道府県":
            if can_be_surname(name) and _plain(name, lex) and name + _MUNICIPAL_KIND.get(m["title"], "県") not in lex.municipalities:
                out.append((*m.span("name"), "person", PERSON_MASK))
    return out


def _row(text: str, at: int, lex: Lexicon, placed: bool = False) -> list[tuple]:
    """The names of the caption's row that starts at ``at``: items up to the first that is no titled name. A ``placed``
    item (「右:沼田本部長」) is one holder, whose family name may be a town's (沼田市) unless the text names that town."""
    out = []
    while True:
        m = _ITEM.match(text, at)
        if m is None:
            break
        a, run = m.start("run"), m["run"]
        if m["san"]:
            h = m.end("run")  # 「早坂さん」
        else:
            h = next((a + i for i in range(2, min(5, len(run))) if lex.titles.get(run[i:]) == "job"
                      or run[i:] in MORE_HEADS), None)
            if h is None:
                break
        name, title = text[a:h], m["san"] or text[h:m.end("run")]  # (round 42: さん is the title, 「丸石さん」)
        if 2 <= len(name) <= 4 and _plain(name, lex, town_ok=placed and can_be_surname(name)) \
                and not _unit_word(name, title) and not _place_headed(text, a, h, title):
            out.append((a, h, "person", PERSON_MASK))
        if placed:
            break
        j = _ITEM_JOIN.match(text, m.end())
        if j is None:
            break
        at = j.end()
    return out


# Round 57: a caption's row of bare family names (「前列左から三木・萩原・堀本 後列左から西本・八田の皆さん」).
_BARE_ROW = re.compile(rf"[{KANJI}]{{2,4}}(?:\s?[、,・]\s?[{KANJI}]{{2,4}})+(?=\s|$|[。)）(（]|の皆)")


def _bare_row(text: str, at: int, lex: Lexicon) -> list[tuple]:
    """The names of a caption's row of family names with no title: at least two, each one a plain word, most of them
    family names the dictionary knows and fewer than half of them towns."""
    m = _BARE_ROW.match(text, at)
    if m is None:
        return []
    items = [(i.start(), i.end()) for i in re.finditer(rf"[{KANJI}]+", m.group())]
    names = [m.group()[a:b] for a, b in items]
    towns = sum(n in lex.municipalities or n in lex.municipality_stems for n in names)
    if not all(_plain(n, lex, town_ok=can_be_surname(n)) for n in names) or 2 * towns >= len(names) \
            or 2 * sum(can_be_surname(n) for n in names) <= len(names):
        return []  # (a family name may be a town's, 三木, but a row of towns is a row of towns: 「宮崎・熊本」)
    return [(at + a, at + b, "person", PERSON_MASK) for a, b in items]


def _plain(name: str, lex: Lexicon, town_ok: bool = False) -> bool:
    """Whether ``name`` may be a family name: no word of the lint's dictionaries, occupation, people word or place
    (a municipality's name or stem only if ``town_ok``: 「沼田」 of 沼田市), and no lead of a title the tokenizer cuts
    apart (「前|署長」, but 「本望」 is one word)."""
    town = name in lex.municipalities or name in lex.municipality_stems
    if name in lex.not_names or name in lex.generic or name in lex.titles or name in lex.titles_before \
            or (town and not town_ok) or PEOPLE_WORDS.match(name) or name in occupations() \
            or _DIRECTION_END.search(name):
        return False
    return not (name[0] in LEAD_CHARS and tokenize(name)[0].surface == name[0])


# 「中央署長」「東部課長」: a direction names a station or a unit.
_DIRECTION_END = re.compile(r"(?:東|西|南|北|中央|東部|西部|南部|北部)$")
# The heads of a station: a station is named after a place, never after a common word, so a common word before the
# title in a caption is the holder's name (「本望署長」), and a place is the station (「谷山署長」).
_STATION_HEADS = {"署長", "副署長"}


def _unit_word(name: str, title: str) -> bool:
    """Whether ``name`` before ``title`` is a unit, a place or a word of an act rather than a family name
    (「防犯|課長」「谷山|署長」)."""
    if UNIT_OR_PLACE_END.search(name) and not can_be_surname(name):
        return True
    piece = tokenize(name)
    if any("サ変" in t.pos[2] for t in piece) or any(t.pos[0] != "名詞" for t in piece):
        return True
    if any(t.pos[2] == "地名" for t in piece):
        return title in _STATION_HEADS or not can_be_surname(name)
    if title in _STATION_HEADS or title in ("さん", "氏"):
        return False
    return not (can_be_surname(name) or any(t.person or t.oov for t in piece))


def _place_headed(text: str, a: int, h: int, title: str) -> bool:
    """Whether the word before a head's title is the place headed (「谷山署長」 in a text naming 谷山署)."""
    return heads_place(text, a, h, title) or names_place(text, text[a:h])


# Round 13. Heads that ``person_titles.csv`` does not list (that dictionary is shared with the facility finders and the
# learned model's features, so it stays as it is): the head of a branch office or of a cooperative (「鳥谷部支社長」
# 「佐藤組合長」).
MORE_HEADS = frozenset({"支社長", "副支社長", "組合長", "副組合長"})
_MORE_HEAD = re.compile(rf"(?<![{KANJI}])(?P<name>[{KANJI}]{{2,4}}?)(?:前|元|現)?(?:副)?(?:支社長|組合長)")


def _more_heads(text: str, lex: Lexicon) -> list[tuple]:
    """A family name SudachiPy reads alone as one 姓 before 支社長 / 組合長 (「佐藤組合長は」), not a place the
    branch is named after (「九州支社長」) nor a town the text names (``names_place``)."""
    out = []
    for m in _MORE_HEAD.finditer(text):
        name = m["name"]
        piece = tokenize(name)
        if len(piece) != 1 or not (piece[0].person and piece[0].pos[3] == "姓") or not _plain(name, lex):
            continue
        if names_place(text, name) or re.search(re.escape(name) + r"(?:支社|組合)(?!長)", text):
            continue  # 「鹿島支社」… 「鹿島支社長」: the head of the branch the text names
        out.append((*m.span("name"), "person", PERSON_MASK))
    return out


# 「出席者名丸委員; 松山委員; 西村委員」: members of a board listed by family name and 委員, joined by 「;」「、」「・」.
_MEMBER_LIST = re.compile(rf"(?:[{KANJI}]{{1,8}}委員\s?[;；、,，・/／]\s?){{2,}}[{KANJI}]{{1,8}}委員(?![{KANJI}])")
_MEMBER_ITEM = re.compile(rf"[{KANJI}]{{1,8}}委員")
# The label a list of members may start with, glued to the first name.
_MEMBER_LABEL = re.compile(r"^(?:出席者氏名|出席者名|出席委員|出席者|委員名|欠席者名|欠席者|欠席委員)")


def _member_lists(text: str, lex: Lexicon) -> list[tuple]:
    """The family names of a list of three members or more before 委員: the names of the list must mostly be family
    names of the dictionary; then any item of one to four kanji that is no lead, unit or word of the lint is one too
    (「丸委員」 among 「松山委員; 西村委員」), but no kind of member (「民生委員」「教育委員」)."""
    out = []
    for m in _MEMBER_LIST.finditer(text):
        items = []
        for i in _MEMBER_ITEM.finditer(text, m.start(), m.end()):
            a, b = i.start(), i.end() - 2
            label = _MEMBER_LABEL.match(text[a:b])
            if label is not None:
                a += label.end()
            items.append((a, b))
        names = [(a, b) for a, b in items if _member_name(text[a:b], lex)]
        if sum(can_be_surname(text[a:b]) for a, b in names) * 2 >= len(items):
            out += [(a, b, "person", PERSON_MASK) for a, b in names]
    return out


def _member_name(name: str, lex: Lexicon) -> bool:
    """Whether ``name`` before 委員 in a list of members can be a family name (a town's name too: 「松山委員」)."""
    if not 1 <= len(name) <= 4 or name[0] in LEAD_CHARS or not _listed_word(name, lex) \
            or name in "一二三四五六七八九十百千上下中":
        return False
    if can_be_surname(name):
        return True
    if UNIT_OR_PLACE_END.search(name):
        return False  # 「事務局委員」
    piece = tokenize(name)
    return len(name) == 1 or not all(t.pos[1] == "普通名詞" and not t.oov for t in piece)


def _listed_word(name: str, lex: Lexicon) -> bool:
    """Whether ``name`` is no word of the lint's dictionaries, title, occupation or people word: where a row says
    a family name is meant, a town's name may be one (「松山委員」「西尾危機管理局長」)."""
    return not (name in lex.not_names or name in lex.generic or name in lex.titles or name in lex.titles_before
                or PEOPLE_WORDS.match(name) or name in occupations())


# Round 13. 「津田警察本部長、西尾危機管理局長、門脇交流人口拡大本部長」: in a row of heads joined by 「、」, a family
# name (one 姓 of SudachiPy read alone) glued before the unit of common words its head's title ends.
_UNIT_HEAD = re.compile(rf"(?:^|(?<=[、,\s]))(?P<run>[{KANJI}]{{4,14}}?)(?P<title>本部長|局長|部長|課長|室長|所長)(?=[、,\s]|$)")


def _unit_heads_in_row(text: str, lex: Lexicon, found: list[tuple]) -> list[tuple]:
    """A family name and a unit before a head's title (「西尾|危機管理|局長」) when a person found already stands next to
    it in the row (before or after, with only the title and 「、」 between)."""
    out = []
    for m in _UNIT_HEAD.finditer(text):
        a, run = m.start("run"), m["run"]
        near = any(0 <= a - f[1] <= 10 and "、" in text[f[1]:a] or 0 <= f[0] - m.end() <= 2 for f in found)
        if not near:
            continue
        for cut in (2, 3):
            name, unit = run[:cut], run[cut:]
            piece = tokenize(name)
            if len(piece) != 1 or not (piece[0].person and piece[0].pos[3] == "姓") or not _listed_word(name, lex):
                continue
            words = tokenize(unit)
            if len(unit) >= 2 and all(t.pos[1] == "普通名詞" and not t.oov for t in words):
                out.append((a, a + cut, "person", PERSON_MASK))
                break
    return out
