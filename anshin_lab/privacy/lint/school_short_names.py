"""School short names: 〇〇小 / 〇〇中 / 〇〇高 / 〇〇大 written without 学校, and the short names of
``dictionaries/school_abbreviations.csv``.

Why this module exists: these finders, their word sets and regexes and their helpers (the short kinds, what
may follow a school's name, the stems that are no school, the list and staff shapes of rounds 9 and 10) are
one concern that shares nothing with the other landmarks (town halls, shops, quoted businesses, katakana
places); ``landmarks`` grew past the 600-line limit, so they were moved here unchanged.
``landmarks.find_landmarks`` calls the public finders in its own order: ``listed_short_names`` reads the
candidates found before it.
"""

from __future__ import annotations

import functools
import re

from anshin_lab.privacy.lint.claims import claimed
from anshin_lab.privacy.lint.facility_names import OWNERS, WHICH_ONE
from anshin_lab.privacy.lint.lexicon import Lexicon, dictionary_lines
from anshin_lab.privacy.lint.municipalities import covered_by_town, strip_municipality
from anshin_lab.privacy.lint.tokens import Token, script_of, tokenize
from anshin_lab.privacy.lint.town_ends import cho_town_ending_at
from anshin_lab.privacy.lint.towns import gazetteer_town, municipality_prefix

__all__ = ["SCHOOL_GRADE", "abbreviations", "direction_schools", "headline_schools", "listed_short_names",
           "municipal_school_staff", "one_kanji_high_schools", "one_kanji_universities", "owned_short_names",
           "schools_graduated_or_merged", "schools_with_grades", "short_names_in_context", "short_school_names"]

_SHORT_KINDS = {"小": "学校", "中": "学校", "高": "学校", "大": "大学"}
# What may follow a school's short name: its pupils, its grounds, or where something was.
_SCHOOL_AFTER = {"付近", "周辺", "前", "近く", "裏", "横", "隣", "側", "校区", "校区内", "校門", "正門", "裏門", "生",
                 "児童", "生徒", "学生", "女子", "男子", "女児", "男児", "通学路", "体育館", "グラウンド", "運動場",
                 "校舎", "敷地", "敷地内", "方面", "入口", "前交差点", "OB", "出身", "在学", "年", "年生",
                 # a school's or university's offices and staff (「千葉大広報室」「鹿大学生課」「鹿大病院」)
                 "広報", "広報室", "広報課", "学生課", "学生部", "学生支援課", "学務課", "教務課", "附属", "付属", "附属病院",
                 "病院", "教授", "准教授", "教員", "職員", "構内", "キャンパス", "関係者", "副学長", "学長", "校長",
                 # round 6: the school's staff, pupils' bodies and publications (「横井小教諭」「南郷小ブログ」)
                 "教諭", "養護教諭", "教頭", "副校長", "講師", "教師", "非常勤講師", "事務職員", "用務員", "主事",
                 "PTA", "ブログ", "ホームページ", "HP", "だより", "便り", "通信", "新聞", "卒", "卒業", "卒業生",
                 "在校生", "新入生", "保護者", "同窓会", "後援会", "児童会", "生徒会", "学区", "学区内", "区域",
                 # round 37: a university's honorary staff and a school's clubs (「島根大名誉教授」「樫原中吹奏楽」)
                 "名誉教授", "特任教授", "客員教授", "吹奏楽", "吹奏楽部", "合唱部", "野球部", "サッカー部", "陸上部",
                 "美術部", "放送部", "新聞部", "演劇部", "会議室",  # (round 41: 「樫原中会議室」)
                 "合同", "共催", "主催",  # (round 50: 「甲府市と里垣小合同で」)
                 "安全", "見守り", "見守り隊", "書道部",  # (round 97: 「三田小安全ガードボランティア」「玉高書道部」)
                 "スクール", "時代"}  # (round 98: 「鷲小|スクール|ガード」; round 54: 「富田中時代に」)
# After a school's pupils the sentence goes on (「三谷小生、…」「三谷小生が」); a signature 「山田小生」 ends its line.
_SENTENCE_GOES_ON = re.compile(r"[、がはのらにをともや]|たち")
# Kanji common words that take 高 or 小 after them as another word (「物価高」「売上高」).
_NOT_SCHOOL_STEMS = {"物価", "売上", "売り上げ", "生産", "収穫", "漁獲", "水揚げ", "円", "株", "規模", "背", "声"}


# A school's pupils written with its short name (「応神中生」「北島中学生」「東北大生」): the short name is
# the school. Only after a proper noun or an unknown word (「女子高生」「市内中学生」 are anyone).
_PUPILS = {"中生": "中", "小生": "小", "高生": "高", "大生": "大", "中学生": "中", "小学生": "小", "高校生": "高",
           "大学生": "大"}
# 〇〇大 and a faculty (「徳島大工学部」, which SudachiPy may cut 徳島|大工|学部).
_FACULTY = re.compile(r"大(?:学)?[一-龥]{1,5}?(?:学部|学科|研究科)")
# 〇〇高 and a department (「玖珠美山高地域産業科」「鶴丸高普通科」, round 26).
_DEPARTMENT = re.compile(r"高(?:校)?[一-龥]{1,6}?科(?![一-龥])")
_ORDINAL_PART = re.compile(r"第?[0-9一二三四五六七八九十]+")


# Short kinds SudachiPy reads as one word with the school's type (「島田工高」「宮崎商高」「京都芸大」).
_COMPOUND_SHORT = {"工高": "高", "商高": "高", "農高": "高", "水産高": "高", "女子高": "高", "工業高": "高", "商業高": "高",
                   "農業高": "高", "女子大": "大", "工大": "大", "医大": "大", "医科大": "大", "芸大": "大", "外大": "大",
                   "教育大": "大", "国立大": "大", "市立大": "大", "県立大": "大", "府立大": "大", "学院大": "大",
                   "女子短大": "大", "附属小": "小", "付属小": "小", "附属中": "中", "付属中": "中",
                   "中高": "高"}  # (round 53: 「武田中高で」, a school of both levels)


def _short_kind(text: str, tokens: list[Token], k: int) -> tuple[str, int] | None:
    """The short kind (小, 中, 高, 大) token ``k`` writes after a school's name and where it ends, or None."""
    t = tokens[k]
    if t.surface in _COMPOUND_SHORT:
        return (_COMPOUND_SHORT[t.surface], t.end) if _school_end(tokens, k) else None
    if t.surface in _SHORT_KINDS:
        return (t.surface, t.end) if _school_end(tokens, k) or _FACULTY.match(text, t.begin) \
            or (t.surface == "高" and _DEPARTMENT.match(text, t.begin)) else None
    if t.surface in _PUPILS:
        short = _PUPILS[t.surface]
        return short, t.begin + (len(t.surface) - 1 if len(t.surface) == 3 else 1)
    if t.surface[0] == "大" and _FACULTY.match(text, t.begin):
        return "大", t.begin + 1
    if t.surface in _DISTRICT_TOKENS or t.surface in _FRONT_TOKENS:
        return t.surface[0], t.begin + 1  # 「港|小学区」「潮江|小前」: the short kind and the district or 前 as one word
    if t.surface in _BOTH_SCHOOLS and _DISTRICT_AFTER.match(text, t.begin + 1):
        return "小", t.begin + 1  # 「大富士|小・中学|区」 (round 42)
    return None


def short_school_names(text: str, tokens: list[Token], owner, lex: Lexicon) -> list[tuple]:
    out = []
    for k in range(1, len(tokens)):
        t = tokens[k]
        found = _short_kind(text, tokens, k) if tokens[k - 1].end == t.begin and (
            t.surface in _SHORT_SURFACES or t.surface[0] == "大") else None
        if found is None:
            continue
        short, end = found
        if t.surface in ("女子大", "女子短大") and text.startswith("生", t.end):
            continue  # 「茨城|女子大|生」: a female student of a place, no university (round 93; 「女子高生」 is one word)
        kind = _SHORT_KINDS[short]
        s = k - 1
        # 「大泉|第|二|小」「大泉|第一|小」: an ordinal between the name and the short kind; the stem is before it.
        o = k - 1
        while o >= 1 and k - o <= 2 and tokens[o].end == tokens[o + 1].begin \
                and (tokens[o].surface == "第" or _ORDINAL_PART.fullmatch(tokens[o].surface)):
            o -= 1
        if o < k - 1 and text[tokens[o + 1].begin] == "第" and tokens[o].end == tokens[o + 1].begin:
            s = o
        stem = tokens[s]
        prev = tokens[s - 1] if s >= 1 and tokens[s - 1].end == stem.begin else None
        pupils = t.surface in _PUPILS
        compound = t.surface in _COMPOUND_SHORT
        field = short == "大" and not compound and _field_university(stem, prev, lex)
        # 「三島|北|高」「府中|東|中」「託麻|原|小」: one kanji after a proper noun is the school's name with it;
        # 「浜松|工業|高」: a field of study after a place name
        field = field or (prev is not None and not pupils and prev.pos[1] == "固有名詞" and prev.pos[3] != "国"
                          and prev.pos[2] in ("地名", "一般", "人名") and prev.pos[3] != "名"
                          and not (prev.pos[3] == "姓" and stem.pos[3] == "名")  # (round 71: 「会長 三原|寧|大」, a name)
                          and ((len(stem.surface) == 1 and script_of(stem.surface) == "kanji"
                                and stem.pos[0] in ("名詞", "接頭辞", "接尾辞") and stem.pos[1] not in ("数詞", "代名詞")
                                and stem.surface not in _NOT_ONE_KANJI_STEMS)
                               or (short == "高" and stem.surface in lex.university_fields)))
        # 「川原|北|小」: for 小 and 高 (as in 「鶴丸高」) a kanji common word may be the name before a direction
        field = field or (prev is not None and short in ("小", "高") and not pupils and stem.surface in "東西南北"
                          and prev.pos[1] == "普通名詞" and prev.pos[2] == "一般" and len(prev.surface) >= 2
                          and all(script_of(ch) == "kanji" for ch in prev.surface)
                          and prev.surface not in lex.generic and prev.surface not in lex.stops)
        # 「鳥栖市の|旭|小近く」: one kanji after a town's の and before a school's place word is its name (round 90)
        owned = prev is not None and prev.surface == "の" and prev.begin > 0 and text[prev.begin - 1] in "市区町村" \
            and len(stem.surface) == 1 and stem.pos[1] == "普通名詞" and script_of(stem.surface) == "kanji" \
            and stem.surface not in _NOT_ONE_KANJI_STEMS and short in ("小", "中") and not pupils \
            and _SCHOOL_CONTEXT.match(text, end) is not None
        if short == "中" and not pupils and stem.surface.endswith(tuple("都道府県市区町村郡")):
            continue  # 「東京都中」「北海道中」: throughout the place
        if stem.surface[0] == "内" and stem.begin > 0 and text[stem.begin - 1] in "都道府県市区町村国":
            continue  # 「市|内中|高」: the schools within the town, SudachiPy's 内中 a place (round 53)
        # 「峰小校区」「森中学区」: before 校区 / 学区 any kanji word names the school (SudachiPy reads 峰 as a
        # common word); a municipality or a prefix of degree is still none
        district = short in ("小", "中") and not pupils and not compound \
            and (_DISTRICT_AFTER.match(text, end) or t.surface in _DISTRICT_TOKENS) \
            and stem.pos[0] == "名詞" and stem.pos[1] not in ("数詞", "代名詞") and all(script_of(ch) == "kanji" for ch in stem.surface) \
            and stem.surface not in lex.generic and stem.surface not in lex.stops \
            and stem.surface not in _NOT_ONE_KANJI_STEMS and stem.surface not in _NOT_SCHOOL_STEMS
        if not (field or district or owned) and (
                not _school_stem(stem, "中" if pupils or compound else short, lex, prev)
                or (pupils and short == "小" and stem.person and not _SENTENCE_GOES_ON.match(text, t.end))):
            continue  # 「女子高生」; 「山田小生」 is a humble signature (not 「三谷小生、見守り隊に贈呈」, round 64)
        start = stem.begin
        j = s - 1
        if field:
            start, j = prev.begin, s - 2  # 「電気|通信|大」: the word before the field is the name
        # 「西|紫原|中」「上|伊集院|小」: a direction or another name glued before the stem.
        # (round 42: a prefix of one kanji before a place name is the name's, 「大|富士|小」)
        while j >= 0 and tokens[j].end == start and s - j <= 2 and (
                tokens[j].pos[1] == "固有名詞" or (len(tokens[j].surface) == 1 and tokens[j].surface in "東西南北上下")
                or (tokens[j].pos[0] == "接頭辞" and tokens[j].surface in _NAME_PREFIXES
                    and tokens[j + 1].pos[1] == "固有名詞")):
            start = tokens[j].begin
            j -= 1
        start = strip_municipality(text, start, stem.end, tokens, owner)
        if start >= stem.end or covered_by_town(text, start, t.begin, end, tokens, owner):
            continue
        if gazetteer_town(text[start:end]):
            continue
        if kind == "大学" and claimed(text, start, end, lex):
            continue  # 「旭川医大の研究員を名乗った」: a claimed university (a school is never claimed)
        out.append((start, end, "facility", kind))
    return out


# (round 12: also joined by の, 「港小の学区」, and read with the short kind as one word, 「港|小学区」; round 42: the
# district of a school and the one after it, 「富士根南小・中学区」)
_DISTRICT_AFTER = re.compile(r"(?:・中)?の?(?:校区|学区)|スクールガード")  # (round 98: its guards, 「鷲小スクールガード」)
_DISTRICT_TOKENS = {"小学区", "中学区", "小校区", "中校区"}
_FRONT_TOKENS = {"小前", "中前", "高前"}  # (round 60: 「高知市立潮江|小前で」)
_BOTH_SCHOOLS = {"小・中学", "小・中"}  # (SudachiPy reads them as one word)
# Prefixes that are part of a place's name (「大富士」「新富士」「元町」 are towns; 「各」「全」「同」 are not).
_NAME_PREFIXES = set("大小新元古奥")
# Every surface ``_short_kind`` reads as a short kind, but those that start with 大 (「大」 before a faculty)
_SHORT_SURFACES = frozenset(_COMPOUND_SHORT) | frozenset(_SHORT_KINDS) | frozenset(_PUPILS) | frozenset(_DISTRICT_TOKENS) \
    | frozenset(_BOTH_SCHOOLS) | frozenset(_FRONT_TOKENS)
# One kanji after a proper noun that make no school's name with it: municipalities, prefixes of degree or
# time, counters (「東京|都|中」「関東|全|中」), a people's suffix (「台湾|人|女子大生」, round 24).
_NOT_ONE_KANJI_STEMS = set("立営都道府県市区町村郡新旧元前現各全同本当某他別両非無不未超大小高低第約計総内外中間上下店駅線人")


def _field_university(stem: Token, prev: Token | None, lex: Lexicon) -> bool:
    """Whether 〇〇 + a field of study + 大 is a university's short name (「電気|通信|大」「日本|福祉|大」):
    a field of ``university_fields.txt`` after another noun glued before it that is no generic word."""
    if prev is None or stem.surface not in lex.university_fields or prev.pos[0] != "名詞" \
            or prev.pos[1] in ("数詞", "代名詞"):
        return False
    # 「県立|看護|大」「私立|女子|大」 name their operator only; 「電気」 is generic for shops, not here
    return not prev.surface.endswith(("立", "営")) and prev.surface not in lex.stops \
        and all(script_of(ch) in ("kanji", "katakana") for ch in prev.surface)


def _school_stem(stem: Token, short: str, lex: Lexicon, prev: Token | None = None) -> bool:
    surface = stem.surface
    if stem.pos[0] != "名詞" or stem.pos[1] in ("数詞", "代名詞") or stem.pos[3] == "国":
        return False
    if short == "大" and prev is not None and prev.pos[1] == "固有名詞" and prev.pos[2] != "人名" \
            and stem.pos[1] == "普通名詞" and stem.pos[2] == "一般" and len(surface) >= 2 \
            and all(script_of(ch) == "kanji" for ch in surface) and surface not in _NOT_SCHOOL_STEMS:
        return True  # 「東北|福祉|大」「鹿児島|県立|大」: a place name and a common word make a university's short name
    if surface in lex.generic or surface in lex.stops or surface in lex.not_names or surface in _NOT_SCHOOL_STEMS:
        return False
    if lex.chain_re.fullmatch(surface):
        return False
    if stem.pos[1] == "固有名詞" or stem.oov:
        return not (short == "大" and stem.person and stem.pos[3] == "名")  # 「田中大」 is a given name
    # 「鶴丸高」: a kanji common word as a name, for 小 and 高 only (「授業中」「世界中」「部屋中」 are no schools), and
    # for 中 after its owner (「舞鶴市立|白糸|中」「町立|白糸|中」, round 59)
    owned = prev is not None and (prev.surface == "立" or prev.surface in OWNERS)
    return (short in ("小", "高") or owned) and stem.pos[2] == "一般" and len(surface) >= 2 \
        and all(script_of(ch) == "kanji" for ch in surface)


_CLUB = re.compile(r"(?!本部|支部|学部|幹部|全部|一部|外部|内部|上部|下部|北部|南部|東部|西部|中部)[一-龥ァ-ヺー]{2,6}部")


def _school_end(tokens: list[Token], k: int) -> bool:
    """Whether the short kind at token ``k`` ends the word: what follows is a particle, a mark, a number,
    the end, or a word of the school's pupils or grounds."""
    if k + 1 >= len(tokens):
        return True
    nxt = tokens[k + 1]
    if nxt.begin != tokens[k].end:
        return True
    if nxt.pos[0] in ("助詞", "補助記号", "空白", "助動詞") or nxt.pos[1] == "数詞":
        return True
    club = next((j for j in (k + 2, k + 3) if j < len(tokens) and tokens[j].surface in ("部", "クラブ", "少年団")), None)
    if nxt.pos[0] == "名詞" and club is not None and all(tokens[j].begin == tokens[j - 1].end and tokens[j].pos[0] == "名詞"
                                                      for j in range(k + 1, club + 1)):
        return True  # 「西陵中|吹奏楽|部」「神久呂中|陸上|競技|部」(round 53): a club of the school
    if nxt.pos[1] == "普通名詞" and _CLUB.fullmatch(nxt.surface):
        return True  # 「成美高|剣道部」: a club SudachiPy reads as one word (round 72)
    return nxt.surface in _SCHOOL_AFTER



def abbreviations(text: str, tokens: list[Token], owner, lex: Lexicon) -> list[tuple]:
    out = []
    for m in lex.abbreviation_re.finditer(text):
        s, e = m.span()
        if tokens[owner[s]].begin != s:
            continue  # inside a longer word
        if e < len(text) and tokens[owner[e]].begin != e and text[e] != "生":
            continue  # 「東大阪」 (but 「慶大生」 is a student of 慶大)
        end_token = owner[e - 1]
        if not _school_end(tokens, end_token) and not (e < len(text) and script_of(text[e]) != "kanji"):
            continue
        if claimed(text, s, e, lex):
            continue  # 「鹿大の教授を名乗る」
        if owner[s] > 0 and tokens[owner[s] - 1].end == s and tokens[owner[s] - 1].pos[3] == "姓":
            continue  # 「矢吹明大トレーナー」: a given name after the family name, not the university
        out.append((s, e, "facility", lex.abbreviations[m.group()]))
    return out


# Round 9: what after 〇〇小 / 〇〇中 / 〇〇高 says it is a school whatever SudachiPy makes of the name
# (「湯西|川中|PTA」「五香|南高|付近」「杉沢|小学|区」「緒方|中|の生徒」): its grounds, pupils, district or PTA
# (round 67: its gate or yard glued, 「寺|西小|校門」; round 76: the districts of a list of them, 「寺|戸中の各校区」;
# round 81: a pupil's grade, 「米子|南高|3年・」, and the school's volunteers, 「三輪|小見|守り|隊」; round 82: all its
# pupils, 「五霞|西小、全校児童」, and its girls or boys, 「清水七中の女子生徒」).
_SCHOOL_CONTEXT = re.compile(r"(?:付近|周辺|前(?![方後日年夜])|近く|学区|校区|PTA|生徒|児童|校門|正門|校庭|校舎"
                             r"|(?P<grade>[0-9０-９]年生?(?![0-9０-９間度前後目ぶ]))|見守り隊|スクールガード|、?全校(?:児童|生徒)"
                             r"|の(?P<pupils>(?:男子|女子)?(?:生徒|児童)|(?:[0-9０-９一二三四五六][、・,]?)+年生?)"
                             r"|の(?:近く|周辺|付近|前(?![方後日年夜])|校門|正門|各?校区|各?学区|PTA|教諭|校長|教頭|体育館|グラウンド"
                             r"|通学路|校舎|敷地))")
_KANJI_NUMBERS = set("一二三四五六七八九十")
# A list item that is only the name (「・緒方中、」「・緒方中\n」): after a bullet or a line's start.
_ITEM_END = re.compile(r"[、\n]|$")
_ITEM_START = "・･\n"
# Characters that may glue a place name's parts (「二ノ宮」「三ケ月」「宮の前」).
_GLUE = {"ノ", "ケ", "ヶ", "の"}


def short_names_in_context(text: str, tokens: list[Token], owner, lex: Lexicon) -> list[tuple]:
    """〇〇小 / 〇〇中 / 〇〇高 where SudachiPy's cut hides the short kind (「川中」「南高」「小学|区」) or reads the
    name as a common word (「緒方|中」), found by what follows: a school's grounds, pupils, district or PTA, or
    the end of a list item. 「世界中の生徒」「夏休み中の児童」 are times and spaces, not schools."""
    out = []
    during = _during_words()
    for i, ch in enumerate(text):
        if ch not in "小中高" or i < 2:
            continue
        ctx = _SCHOOL_CONTEXT.match(text, i + 1)
        tok = tokens[owner[i]]
        if tok.end > i + 1 and not (tok.begin == i and _SCHOOL_CONTEXT.match(text, i + 1) and tok.surface[:1] == ch
                                    and text.startswith(("学区", "校区", "見守り隊"), i + 1)):
            continue  # the character starts a longer word (「中学」「高校」「小学校」), unless 「小学|区」 or 「三輪|小見|守り|隊」
        # the name: glued tokens back from the kind (or from the token that holds it)
        k = owner[i] if tok.begin < i else owner[i] - 1
        if k < 0:
            continue
        start = tokens[k].begin if tok.begin < i else tokens[k].begin
        first_piece = tokens[k]
        if tok.begin < i and (k == 0 or tokens[k - 1].end != tok.begin or tokens[k - 1].pos[0] not in ("名詞", "接頭辞")):
            continue  # 「世界中」「台中」 written alone: the dictionary's word, not a name and a kind
        if tok.begin >= i and (first_piece.end != i or first_piece.pos[0] not in ("名詞", "接頭辞")
                               or first_piece.pos[1] in ("数詞", "代名詞")):
            town = cho_town_ending_at(text, i) if first_piece.pos[1] == "数詞" and ctx is not None else None
            if town is not None:  # 「八万|中の生徒」: a town written without its 町 that reads as a number (round 69)
                out.append((town, i + 1, "facility", "学校"))
            elif ctx is not None and first_piece.surface in _KANJI_NUMBERS and k > 0 and tokens[k - 1].proper \
                    and tokens[k - 1].end == first_piece.begin:  # 「清水|七|中の生徒」: a town's numbered school (round 82)
                out.append((tokens[k - 1].begin, i + 1, "facility", "学校"))
            continue
        n = 0
        j = k - 1
        while j >= 0 and n < 3 and tokens[j].end == start and (
                (tokens[j].pos[0] in ("名詞", "接頭辞") and tokens[j].pos[1] not in ("数詞", "代名詞"))
                or (tokens[j].surface in _GLUE and j > 0 and _glue_head(tokens, j - 1))):
            start = tokens[j].begin
            j -= 1
            n += 1
        if ctx is not None and ctx["grade"]:  # (round 81) a grade's school starts after の (「優良賞の|本荘東中3年」) and
            # after its owner (「市|桜坂高3年」), and holds a proper noun or an unknown word (not 「過去|最高|3年」)
            start = text.rindex("の", start, i) + 1 if "の" in text[start:i] else start
            start += tokens[owner[start]].surface in ("市", "県", "町", "村", "区")
            if not any(t.proper or t.oov for t in tokens[owner[start]:owner[i] + 1]):
                continue
        stem = text[start:i]
        before = text[start - 1] if start > 0 else ""
        item = before in _ITEM_START and _ITEM_END.match(text, i + 1) is not None
        if ctx is None and not item:
            continue
        kana = all(script_of(c) in ("hiragana", "katakana") for c in stem) and len(stem) >= 3 \
            and all(tokens[x].pos[0] == "名詞" for x in range(owner[start], owner[i - 1] + 1))
        if not 2 <= len(stem) <= 7 or not (kana or all(script_of(c) == "kanji" or c in _GLUE for c in stem)) \
                or stem[0] in _GLUE or stem[-1] in _GLUE:
            continue
        last = tokens[owner[i - 1]]
        if stem in lex.generic or stem in lex.stops or stem in lex.not_names or stem in _NOT_SCHOOL_STEMS \
                or last.surface in lex.stops or last.surface in lex.generic:
            continue
        if ch == "中":
            if stem in during or last.surface in during or text[last.begin:i] in during \
                    or stem.endswith(tuple("都道府県市区町村郡内")):
                continue  # 「夏休み中」「世界中」「県内中」: a time or a space (round 78: 「年末年始|期間中」)
            if last.pos[2] in ("サ変可能", "副詞可能") and last.end == i \
                    and (ctx is None or ctx["pupils"] or ctx["grade"] or text.startswith(("生徒", "児童"), i + 1)):
                continue  # 「下校中の生徒」「授業中の児童」: what pupils are doing
            if last.pos[2] == "副詞可能" and last.end == i and last.begin == start:
                continue  # 「休日中」「来週中」
        if ch == "高" and last.end == i and last.pos[0] == "名詞" and last.pos[1] == "普通名詞" and len(stem) == len(last.surface) \
                and last.surface in _NOT_SCHOOL_STEMS:
            continue
        if covered_by_town(text, start, i, i + 1, tokens, owner) or gazetteer_town(text[start:i + 1]):
            continue
        out.append((start, i + 1, "facility", "学校"))
    return out


# Round 32: a school named by one direction and its short kind (「南小で1年生72人を対象に」「西中の生徒」), when the
# sentence speaks of pupils or a school: a direction alone is no name anywhere else.
_DIRECTION_SCHOOL = re.compile(r"(?<![一-龥々ヶ])[東西南北][小中](?:(?P<district>学区|校区)|(?P<room>会議室|体育館|図書室|校舎|運動場))?"
                               r"(?=で|に|の|へ|では|から|と|、|児童|生徒|PTA|[0-9]|(?P<where>[(（][一-龥々ヶ]{1,6}[)）]))")
# (round 69: 「東小児童会」; round 70: the school's town in brackets, 「東小(山北)には」; round 79: a count, 「西小21、」)
_PUPILS_NEAR = re.compile(r"児童|生徒|年生|校長|教諭|教頭|PTA|授業|登校|下校|通学|学校|校舎|校門|体育館"
                          r"|子ども|子供|こども")  # (round 97: 「南小の子どもたち」)


# Round 35: a pupil's school and grade in brackets after the name (「鈴木ジョージさん(西辺中3年)」「(北中3年)」): the
# short name is the school's, whatever its stem.
# Round 45: also a grade in kanji without 年, after 以上 (「(高時小一)」「(以上、木之本中二)」).
SCHOOL_GRADE = re.compile(r"[(（](?:以上[、,]\s?)?(?P<school>[一-龥々ヶ](?:[のノケ]?[一-龥々ヶ]){0,4}?[小中高])"
                          r"\s?(?:[0-9１-６一二三四五六]年生?|[一二三四五六])[)）]")  # (round 70: 「(森の台小5年)」)


# Round 61: after a pupil's name and honorific, the school may be named with no kind at all (「畠山彩音さん(花巻東3年)」
# 「高橋一真さん(花北青雲3年)」).
_PUPIL_SCHOOL = re.compile(r"(?:(?<=さん[(（])|(?<=くん[(（])|(?<=ちゃん[(（])|(?<=君[(（]))(?P<school>[一-龥々ヶ]{2,6}?)\s?[0-9１-６一二三四五六]年生?[)）]")


# Round 68: a short name and a grade with no bracket, then の and the pupil (「稚中3年の多田尚斗生徒会長」).
_GRADE_OF_PUPIL = re.compile(r"(?<![一-龥々ヶ])(?P<school>[一-龥々ヶ]{1,4}?[小中高])[0-9０-９]年生?の(?=[一-龥々ヶァ-ヺ])")
# Round 84: a prize list's pupil, then his school's short name in brackets with no grade (「▽中谷咲帆(和歌山信愛高)」
# 「吉田洋士君(花輪小)」); the stem is no common word (「選手村(建設中)」) and the whole no one place (「さん(小田中)」: where
# the member lives). The owner stays out, as ``owned_short_names`` reads it (「(海南市立|巽小)」).
_SCHOOL_AFTER_PUPIL = re.compile(r"(?:^|(?<=[〉▽=、・\s]))[一-龥々]{2,5}(?:さん|君|くん|ちゃん)?[(（]"
                                 r"(?:[一-龥ヶ]{1,5}?[都道府県市区町村]立)?(?P<school>[一-龥々ヶ]{2,7}?[小中高])[)）]")
# Round 86: a school's short name before a bracket that names its head (「鉾田北中(嶋田知恵子校長)」, which SudachiPy reads
# as two family names); the owner stays out (「市立|延方小(…校長)」).
_SCHOOL_BEFORE_HEAD = re.compile(r"(?<![一-龥々ヶ])(?:[一-龥ヶ]{0,5}?[都道府県市区町村]立)?(?P<school>[一-龥々ヶ]{1,6}?[小中高])"
                                 r"[(（][^()（）、。]{2,12}?(?:校長|教頭)[)）]")


def schools_with_grades(text: str, lex: Lexicon) -> list[tuple]:
    """The schools ``SCHOOL_GRADE``, ``_PUPIL_SCHOOL`` and the patterns after them read, unless the stem is a generic
    word or a prefecture's or city's alone."""
    out = []
    for m in [*SCHOOL_GRADE.finditer(text), *_PUPIL_SCHOOL.finditer(text), *_GRADE_OF_PUPIL.finditer(text),
              *_SCHOOL_AFTER_PUPIL.finditer(text), *_SCHOOL_BEFORE_HEAD.finditer(text)]:
        school = m["school"]
        stem = school[:-1] if school[-1] in "小中高" else school
        if stem in lex.generic or school in lex.generic or stem in _NOT_SCHOOL_STEMS or stem in WHICH_ONE \
                or stem.endswith(tuple("都道府県市区町村立内")) or not stem.strip("小中高"):  # 「中高3年」
            continue
        if (school[-1] not in "小中高" or m.re in (_SCHOOL_AFTER_PUPIL, _SCHOOL_BEFORE_HEAD)) \
                and all(t.pos[1] == "普通名詞" and not t.oov for t in tokenize(stem)):
            continue  # 「(高校3年)」「(会社員3年)」: common words, no school's name
        if m.re is _SCHOOL_AFTER_PUPIL and len(whole := tokenize(school)) == 1 and whole[0].pos[2] in ("地名", "人名"):
            continue
        start = m.start("school") + (school[0] in "県市町村" and school[1] != "立")  # 「(沖縄)市|桜坂高3年」 (round 68)
        out.append((start, m.end("school"), "facility", "学校"))
    return out


# Round 87: a school's short name where a headline or a photo's caption starts, and で: where the event was
# (「厚南小で防犯対策や護身法の講習会」「(厚南小で)」「札苗小で「…」腕章贈呈式」). The short kind is a word of its own and
# the stem no one common word (「途中で」「市内中で」), and 中 after a place is "throughout" it (「日本中で」); the schools
# within a town and its levels are none (「市内中高で」).
_HEADLINE_SCHOOL = re.compile(r"(?:^|(?<=[(（]))(?P<school>[一-龥々ヶ]{2,5}[小中高])で")


def headline_schools(text: str, tokens: list[Token], owner, lex: Lexicon) -> list[tuple]:
    """The schools ``_HEADLINE_SCHOOL`` reads."""
    out = []
    for m in _HEADLINE_SCHOOL.finditer(text):
        s, e = m.span("school")
        stem = [tokens[i] for i in range(owner[s], owner[e - 2] + 1)]
        kind = tokens[owner[e - 1]]
        if (kind.begin, kind.end) != (e - 1, e) or stem[0].begin != s or stem[-1].end != e - 1 \
                or (len(stem) == 1 and stem[0].pos[1] == "普通名詞" and not stem[0].oov) \
                or (text[e - 1] == "中" and stem[-1].pos[2] == "地名") \
                or text[s:e - 1] in lex.generic or text[s:e - 1].endswith(tuple("都道府県市区町村内小中")) \
                or text[s + 1:s + 2] == "内":
            continue
        out.append((s, e, "facility", _SHORT_KINDS[text[e - 1]]))
    return out


# Round 92: a school one graduates from or that is born of a merger (「犀桜小を卒業した」「統合して犀桜小が誕生」).
_GRADUATED_OR_MERGED = re.compile(r"(?<![一-龥々])(?![同本当各両])[一-龥々]{2,3}(?<!立)[小中](?=を卒業|が誕生|と統合|に統合)")


def schools_graduated_or_merged(text: str) -> list[tuple]:
    return [(*m.span(), "facility", "学校") for m in _GRADUATED_OR_MERGED.finditer(text)]


def direction_schools(text: str) -> list[tuple]:
    """The schools ``_DIRECTION_SCHOOL`` reads in a text that speaks of pupils."""
    pupils = _PUPILS_NEAR.search(text) is not None
    return [(m.start(), m.start() + 2, "facility", "学校") for m in _DIRECTION_SCHOOL.finditer(text)
            if pupils or m["district"] or m["room"] or m["where"]]
    # (round 34: 「北中学区では」 names the school by its district; round 41: 「西小会議室で」 by one of its rooms;
    # round 70: 「東小(山北)」 by its town)


@functools.lru_cache(maxsize=1)
def _during_words() -> frozenset[str]:
    """Words that 中 follows as "during" or "throughout" (``dictionaries/during_words.txt``)."""
    return frozenset(dictionary_lines("during_words.txt"))


def _glue_head(tokens: list[Token], j: int) -> bool:
    """Whether token ``j`` opens a name glued by ノ / ケ / の (「二ノ宮」「宮の前」): one or two kanji, a noun,
    that starts a word (「下校中の緒方」 is a phrase)."""
    t = tokens[j]
    return t.end == tokens[j + 1].begin and t.pos[0] == "名詞" and t.pos[1] not in ("代名詞",) \
        and 1 <= len(t.surface) <= 2 and all(script_of(c) == "kanji" for c in t.surface) \
        and (j == 0 or tokens[j - 1].end < t.begin or tokens[j - 1].pos[0] not in ("名詞", "接頭辞", "接尾辞"))


# Round 10: short school names listed with one another (「五福小や西部中、富山工高、富大などがある」): once an item
# is a school by the other rules, a kanji name of two to five characters ending in 小 / 中 / 高 / 大 (or a compound
# short kind: 工高, 商高, 医大…) that SudachiPy reads apart from its neighbours is a school of the same list, even
# when its stem is a common word (「西部中」) or SudachiPy reads the whole a proper noun (「富大」).
_SHORT_ITEM = re.compile(r"[一-龥ヶ]{1,4}?(?:" + "|".join(sorted(_COMPOUND_SHORT, key=len, reverse=True)) + r"|[小中高大])")
_LIST_JOIN = re.compile(r"[、・や]|と(?=[一-龥])")
_LIST_CLOSE = re.compile(r"(?:など|等|ほか|の|と|や|、|・|に|を|が|で|は|も|[)）]|$)")
# Stems that make 〜中 / 〜大 / 〜高 a word of the language, not a school (「市内中」「最大」「円高」).
_NOT_SHORT_STEMS = {"市内", "県内", "町内", "村内", "区内", "全国", "日本", "世界", "最", "拡", "増", "巨", "強", "重", "偉",
                    "膨", "絶", "授業", "営業", "工事", "外出", "仕事", "作業", "連絡", "通学", "登校", "下校", "勤務",
                    "捜査", "調査", "捜索", "逃走", "運転", "走行", "休憩", "会議", "期間", "年", "月", "日", "午前",
                    "午後", "夜間", "円", "株", "物価", "最高", "最大", "残", "多", "少"}


def listed_short_names(text: str, tokens: list[Token], owner, lex: Lexicon, found: list[tuple]) -> list[tuple]:
    out = []
    schools = [c for c in found if c[3] in ("学校", "大学")]
    for c in schools:
        for step in (1, -1):
            at = c[1] if step == 1 else c[0]
            while True:
                if step == 1:
                    j = _LIST_JOIN.match(text, at)
                    if j is None:
                        break
                    m = _SHORT_ITEM.match(text, j.end())
                    while m and not _LIST_CLOSE.match(text, m.end()):
                        m = _SHORT_ITEM.match(text, j.end(), m.end() - 1) if m.end() - 1 > j.end() else None
                    if m is None:
                        break
                    s, e = m.span()
                    at = e
                else:
                    if at == 0 or not _LIST_JOIN.match(text, at - 1):
                        break
                    e = at - 1
                    s = next((b for b in range(max(0, e - 7), e - 1) if _SHORT_ITEM.fullmatch(text, b, e)
                              and (b == 0 or not "一" <= text[b - 1] <= "龥")), None)
                    if s is None:
                        break
                    at = s
                if tokens[owner[s]].begin != s or tokens[owner[e - 1]].end != e:
                    break
                stem = text[s:e].rstrip("小中高大")
                stem = next((text[s:e][:-len(k)] for k in sorted(_COMPOUND_SHORT, key=len, reverse=True)
                             if text[s:e].endswith(k)), stem)
                if len(text[s:e]) < 2 or stem in _NOT_SHORT_STEMS or text[s:e] in lex.generic or stem in lex.generic \
                        or any(t.person for t in tokens[owner[s]:owner[e - 1] + 1]):
                    break
                if not any(o[0] <= s and o[1] >= e for o in found + out):
                    out.append((s, e, "facility", "大学" if text[e - 1] == "大" else "学校"))
    return out


# Round 70: a short school name after the municipality that runs it (「甲府市立甲運小で」), whatever its stem reads as.
_OWNED_SHORT = re.compile(r"(?:[都道府県市区町村]|私|国)立(?P<school>[一-龥々ヶ]{2,5}?[小中高])(?![一-龥々ヶ])")


def owned_short_names(text: str) -> list[tuple]:
    """The schools ``_OWNED_SHORT`` reads, unless the name is only kinds (「市立小中」「私立中高」)."""
    return [(*m.span("school"), "facility", "学校") for m in _OWNED_SHORT.finditer(text)
            if m["school"].strip("幼小中高大")]


# A municipality, a short school name and its staff (「白山市光野中教諭の…」): SudachiPy may glue the
# municipality's last character to the name (「白山|市光|野中」), so the shape is read on the text.
_MUNICIPAL_SCHOOL_STAFF = re.compile(r"(?P<town>[一-龥ヶ]{1,6}?[市町村区])(?:立)?(?!立)(?P<name>[一-龥ヶ]{1,4}?[小中高])"
                                     r"(?=(?:学校)?(?:教諭|教員|校長|教頭|講師|職員|主幹教諭|養護教諭|事務職員))")


def municipal_school_staff(text: str, lex: Lexicon) -> list[tuple]:
    out = []
    for m in _MUNICIPAL_SCHOOL_STAFF.finditer(text):
        town = m.group("town")
        if municipality_prefix(town, lex)[0] != len(town) or m.group("name")[:-1] in _NOT_SHORT_STEMS:
            continue
        out.append((m.start("name"), m.end("name"), "facility", "学校"))
    return out


# Round 11: a university's one-kanji short name before its students or a year (「岡大学生」「岡大3年の」), which
# SudachiPy reads as a prefix and 大学生, or as one proper noun. Not a generic university (私大, 短大, 医大…)
# nor a word (最大, 巨大), which SudachiPy reads as a common word.
_ONE_KANJI_UNIVERSITY = re.compile(r"(?<![一-龥々])(?P<stem>[一-龥])大(?=学生|生(?![一-龥])|[0-9０-９一二三四]年)")
_GENERIC_UNIVERSITY_STEMS = set("私短医工芸女国公市県府")


def one_kanji_universities(text: str, tokens: list[Token], owner) -> list[tuple]:
    out = []
    for m in _ONE_KANJI_UNIVERSITY.finditer(text):
        if not _short_stem(m["stem"]):
            continue
        s, e = m.start(), m.end()
        first = tokens[owner[s]]
        whole = _one_proper_noun(first, s, e)
        prefixed = first.begin == s and first.end == s + 1 and first.pos[0] == "接頭辞" \
            and tokens[owner[s + 1]].begin == s + 1 and tokens[owner[s + 1]].surface in ("大学生", "大生")
        if whole or prefixed:
            out.append((s, e, "facility", "大学"))
    return out


# Round 55: a high school's one-kanji short name before a pupil's year (「宮高3年の仲地伊織さん」「岡高3年」), which
# SudachiPy reads as one proper noun or as a place and the suffix 高.
_ONE_KANJI_HIGH_SCHOOL = re.compile(r"(?<![一-龥々])(?P<stem>[一-龥])高(?=[0-9０-９一二三]年)")


def one_kanji_high_schools(text: str, tokens: list[Token], owner) -> list[tuple]:
    out = []
    for m in _ONE_KANJI_HIGH_SCHOOL.finditer(text):
        if not _short_stem(m["stem"]):
            continue
        s, e = m.start(), m.end()
        first = tokens[owner[s]]
        whole = _one_proper_noun(first, s, e)
        town = first.begin == s and first.end == s + 1 and first.pos[2] == "地名" and tokens[owner[s + 1]].end == e
        if whole or town:
            out.append((s, e, "facility", "学校"))
    return out


def _short_stem(stem: str) -> bool:
    """Whether one kanji before 大 or 高 may be a school's short name: no lead or place word (新, 県) and no kind of
    school (私大, 短大, 女高)."""
    return stem not in _NOT_ONE_KANJI_STEMS and stem not in _GENERIC_UNIVERSITY_STEMS


def _one_proper_noun(first: Token, s: int, e: int) -> bool:
    """Whether SudachiPy reads text[s:e] as one proper noun that is no person's name (「岡大」「宮高」)."""
    return first.begin == s and first.end == e and first.pos[1] == "固有名詞" and first.pos[2] != "人名"
