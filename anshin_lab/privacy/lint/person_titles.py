"""Names next to a title: before it (「山田太郎さん」「溜拓也容疑者」「荻野生活安全部長」) or after it
(「警部補佐藤和人」「校長の山田」).

A title (``person_titles.csv``) is the strongest evidence of a name, and the hardest part of the person
lint: the words before it may be the name, a unit it heads (「西山刑事課長」), the place headed (「谷山署長」
「霧島市長」), a verb (「逮捕された容疑者」), a mascot (``mascots``) or a word the title is part of
(「たくさん」). Names before a title are read by walking back over the tokens; names after a rank or job
title are tokenized again on their own.
"""

from __future__ import annotations

import re

from anshin_lab.privacy.lint.lexicon import Lexicon, load_lexicon
from anshin_lab.privacy.lint.mascots import is_mascot
from anshin_lab.privacy.lint.municipalities import PREFECTURE_STEMS, is_municipality_name
from anshin_lab.privacy.lint.name_checks import (checked_name, family_before_glued, family_before_lead,
                                                 given_glued_to_title, inside_town, named_after_title,
                                                 place_read_full_name, surname_like, word_as_surname)
from anshin_lab.privacy.lint.name_runs import PEOPLE_WORDS, RESIDENTS_BODY, office_after_name
from anshin_lab.privacy.lint.police_stations import holder_named_after, is_station_name
from anshin_lab.privacy.lint.towns import town_after_municipality, town_anywhere
from anshin_lab.privacy.lint.tokens import (Token, can_be_given, can_be_surname, is_katakana, kana_of, script_of,
                                            token_owners, tokenize)

__all__ = ["HEADS_OF_TOWNS", "MUNICIPAL_HEADS", "PLACE_OF_HEAD", "TITLE_PREFIXES", "directed_town", "heads_place",
           "names_after_titles", "names_place", "station_town_named", "titled_name"]

# The title inside a longer word of these classes is that word (「たくさん」「おばさん」「お客様」「彼氏」).
_WORD_CLASSES = ("名詞", "副詞", "代名詞", "連体詞", "形状詞", "接頭辞")
# Heads of a body's part, whose first kanji SudachiPy reads with the word before (「村上司|部会|長」「長谷川|町会|長」).
_BODY_HEADS = {"部会長", "分会長", "町会長", "区会長", "支会長", "班会長"}
# Titles of whoever heads a place: the word before them may be the place (「谷山署長」「霧島市長」).
_HEADS_OF_PLACES = {"署長", "副署長", "市長", "町長", "村長", "知事", "副知事", "次長", "本部長", "局長", "所長",
                    "支店長", "店長", "館長", "園長", "院長", "会長", "部長", "課長", "隊長"}


def titled_name(text, m, tokens, owner, lex: Lexicon):
    """The name before a title (「山田太郎さん」「ゆいちゃん」), or None."""
    found = _titled_span(text, m, tokens, owner, lex)
    if found is not None and not text[found[0]].isalnum():
        found = _without_emoji(text, found, lex)  # round 13: 「✨コスモちゃん」: the emoji decorates, names nothing
    if found is not None and is_mascot(text, found[0], found[1], m.group(), lex):
        return None  # 「ふっけい君」「マスコットのひかる君」
    if found is not None and m.group() in PLACE_OF_HEAD:
        cut = office_after_name(text, text[found[0]:found[1]], PLACE_OF_HEAD[m.group()], lex)
        if cut is not None:
            return found[0], found[0] + cut  # 「粟生田実|穂積署長」 of 穂積警察署: the station stays out of the name
    return found


def _without_emoji(text: str, found: tuple[int, int], lex: Lexicon):
    """``found`` without the emoji or signs it starts with (SudachiPy reads 「✨」 as a noun), when what is left is
    still a name before its title by itself: read alone 「コスモちゃん」 is a word, not a child's name."""
    start, end = found
    while start < end and not text[start].isalnum():
        start += 1
    if start == end:
        return None
    rest = text[start:end + 8]
    piece = tokenize(rest)
    m = lex.title_re.match(rest, end - start)
    again = _titled_span(rest, m, piece, token_owners(piece, len(rest)), lex) if m is not None else None
    return None if again is None else (start + again[0], start + again[1])


def _titled_span(text, m, tokens, owner, lex: Lexicon):
    h, h_end = m.span()
    if h == 0:
        return None
    strength = lex.titles[m.group()]
    strong = strength == "strong"
    if strength == "job" and h > 2 and (lead := family_before_lead(text, tokens[owner[h - 1]], h, lex)) is not None:
        return checked_name(text, lead, h - 1, lex)  # 「田中新|支部長」: the name and 新 read as one place (round 84)
    if strength == "job" and h > 1 and text[h - 1] in TITLE_PREFIXES and tokens[owner[h - 1]].begin == h - 1 \
            and script_of(text[h - 2]) is not None:
        h -= 1  # 「小木曽元会長」「田中前社長」: the title starts at 元 / 前
    holder = tokens[owner[h]]
    if holder.begin == h and holder.end > h_end:
        return None  # 「ちゃんと」「様子」「氏名」: another word
    if holder.begin < h < holder.end < h_end and holder.pos[0] in ("動詞", "助動詞", "形容詞", "助詞"):
        return None  # 「どこ行くん」「いるくん」: the end of a verb, not a title
    if holder.surface == "原被告" and holder.begin == h - 1 and h >= 2 and script_of(text[h - 2]) == "kanji":
        # 「西|原被告」: SudachiPy reads 原被告 ("plaintiff and defendant"); 原 ends the name (round 61)
        return checked_name(text, tokens[owner[h - 2]].begin, h, lex)
    if holder.begin == h - 1 < h < holder.end and owner[h - 1] > 0 and (holder.end < h_end or m.group() in ("君", "様")):
        given_too = holder.end == h_end or text[h - 1:h_end] not in _BODY_HEADS
        start = family_before_glued(text, tokens, owner[h - 1] - 1, h, given_too)
        if start is not None and not is_station_name(text[start:h]):
            return checked_name(text, start, h, lex)  # 「山口|志|仁君」「名|和様」「服|部署|長」: the name's last kanji glued
            # to the title (rounds 80 and 81)
    if strength == "job" and (glued := given_glued_to_title(tokens, owner, h, h_end)) is not None:
        return checked_name(text, glued, h, lex)  # 「熊本|フミアナウンサー」 (round 88)
    if holder.begin < h and holder.end >= h_end and holder.pos[0] in _WORD_CLASSES \
            and not holder.oov and not holder.person:
        return None  # 「たくさん」「おばさん」「お客様」
    k = owner[h - 1]
    if m.group() == "容疑者" and tokens[k].begin == h - 1 and tokens[k].end <= h + 1 and _glued_given(text, h - 1, lex):
        return h - 1, h  # 「寛容疑者の母」: a given name of one kanji that SudachiPy reads as a word (寛, 寛容) (round 59)
    if m.group() in MUNICIPAL_HEADS and _head_of_no_town(text, tokens[k], h, m.group(), lex):
        return tokens[k].begin, h  # 「茂原|町長」: no town 茂原町, so 茂原 is the mayor's family name (round 22)
    if strength in ("person", "job"):
        # 「高橋様」「鈴木副署長」: a family or given name, never a thing (「ママチャリ様」) or a station's town (「谷山署長」).
        if tokens[k].end != h:
            return None
        found = _name_block(text, tokens, k, h, lex)
        if found is None and strength == "job":
            unit = _name_before_unit(text, tokens, k, lex)
            if unit is not None:
                return unit  # 「荻野生活安全部長」「西山刑事課長」
        if found is None or not any(tokens[j].person for j in range(owner[found], k + 1)):
            personal = strength == "job" and m.group() not in HEADS_OF_TOWNS and m.group() not in _HEADS_OF_UNITS \
                and m.group() not in _HEADS_OF_PLACES
            if found is not None and personal and _place_surname_given(text, tokens, owner[found], k):
                return checked_name(text, found, h, lex)  # 「小山|辰|司代表」: a place-read family name, a given name
            if personal and place_read_full_name(text, tokens[k]):
                return checked_name(text, tokens[k].begin, h, lex)  # 「松岡葵アナウンサー」: one place word (round 60)
            # 「岩瀬店長」「浜田店長」: a family name SudachiPy reads as a place in this context.
            found = _surname_token(text, tokens, k, lex, rank=m.group() in _POLICE_RANKS) if strength == "job" and (
                m.group() not in HEADS_OF_TOWNS or m.group() in MUNICIPAL_HEADS) \
                and (m.group() not in _HEADS_OF_UNITS or (m.group() in _HEADS_OF_BODIES
                                                          and not is_municipality_name(tokens[k].surface, lex))
                     or (m.group() in _SPEAKING_HEADS and _SPEAKS.match(text, h_end))
                     or (m.group() in ("会長", "本部長") and not _names_prefecture(tokens[k].surface))) \
                else None
            if strength == "person" and found is None and tokens[k].pos[1:3] in (("固有名詞", "地名"), ("固有名詞", "一般")) \
                    and not lex.chain_re.fullmatch(tokens[k].surface):
                found = _surname_token(text, tokens, k, lex)  # 「PTA会長の宮城様」「係長 松尾様」 (115): no place, no thing
            if found is None and m.group() == "様" and tokens[k].pos[1] == "普通名詞" and len(tokens[k].surface) == 2 \
                    and all(script_of(ch) == "kanji" for ch in tokens[k].surface) \
                    and text[h - 3:h - 2] not in ("お", "ご"):  # (not 「お不動様」)
                found = _surname_token(text, tokens, k, lex, suspect=True)  # 「山辺様には」: nor a thing (round 78)
            if found is None and m.group() == "様" and named_after_title(text, tokens, k, lex):
                found = tokens[k - 1].begin  # 「連合会長の伊東|寂光|様」 (round 80)
            if found is None and m.group() == "夫人" and tokens[k].pos[1] == "普通名詞" and can_be_given(tokens[k].surface) \
                    and text[tokens[k].begin - 1:tokens[k].begin] in ("と", "、", "・"):
                found = tokens[k].begin  # 「松本警部補と小百合夫人」: a given name SudachiPy reads as a flower (round 95)
            if found is None and m.group() in _ASSEMBLY_SEATS and tokens[k].pos[2] == "地名" \
                    and not is_municipality_name(tokens[k].surface, lex) and not names_place(text, tokens[k].surface) \
                    and tokens[k].surface + _ASSEMBLY_SEATS[m.group()] not in lex.municipalities:
                found = _surname_token(text, tokens, k, lex)  # 「山岡県議」: no 山岡県, so a member's family name (round 59)
            if found is None:
                return None
        inside = [tokens[j] for j in range(owner[found], k + 1)]
        if strength == "person" and "・" not in text[found:h] and any(is_katakana(t.surface[0]) for t in inside) \
                and all(all(is_katakana(ch) for ch in t.surface) for t in inside if t.person) \
                and not any(t.oov or t.pos[3] == "姓" for t in inside if not all(is_katakana(ch) for ch in t.surface)):
            return None  # 「パーカー様」「灰色チノパン様」: after a katakana word 様 is "-like" (not 「濵田ハル様」)
        if m.group() in _HEADS_OF_PLACES and heads_place(text, found, h, m.group()):
            return None
        if (m.group() in _HEADS_OF_PLACES or m.group() in HEADS_OF_TOWNS) and names_place(text, text[found:h]):
            return None  # 「麻生区役所」… 「麻生区長」: the head of 麻生区
        return checked_name(text, found, h, lex)
    if tokens[k].end == h:
        found = _name_block(text, tokens, k, h, lex)
        if found is None and m.group() in _SUSPECT_TITLES:
            found = _surname_token(text, tokens, k, lex, suspect=True)  # 「奥容疑者」: a family name and a word
            return None if found is None else (found, h)
        if found is not None:
            return checked_name(text, found, h, lex)
    # 3. Given names the tokenizer does not know or cuts anywhere (「ゆいちゃん」「はるとくん」
    #    「陽翔くん」): the run of one script before the title, kana for any title, kanji after ちゃん / くん / 君 only.
    script = script_of(text[h - 1])
    if script is None or (script == "kanji" and not strong):
        return None
    limit = 4 if script == "kanji" else 10
    start = h
    while start > 0 and h - start < limit and (script_of(text[start - 1]) == script
                                                or (script == "katakana" and text[start - 1] in "・=")):
        start -= 1
    if tokens[owner[start]].begin < start:
        word = tokens[owner[start]]
        if not (script == "kanji" and word.end < h and word.pos[2] == "副詞可能"):
            return None  # the run starts inside a word (「知り合いで君」)
        start = word.end  # 「その後|心ちゃん」: a word of time, then the name (round 59)
    if script == "hiragana" and not strong and start > 0 and tokens[owner[start - 1]].pos[0] == "名詞" \
            and tokens[owner[start]].pos[0] in ("動詞", "助動詞"):
        return None  # 「逮捕された容疑者」「送検された被告」: a verb of the noun before, no name
    if script == "hiragana":
        # Another title and what follows it is not this name (「お母さんやおばあちゃん」).
        inner = lex.title_re.search(text, start, h)
        while inner:
            start = inner.end()
            inner = lex.title_re.search(text, start, h)
            if inner is None and text[start:start + 1] in ("と", "や") and h - start >= 3:
                start += 1  # 「おまわりさんと|こあんちゃん」: と joins the two, SudachiPy reading とこ (round 89)
        t = tokens[owner[start]] if start < h else None
        if t is not None and t.begin == start and t.pos[0] == "助詞" and h - t.end >= 2:
            start = t.end  # a particle glued on from the noun before (「名前はゆいちゃん」「3年生のはるとくん」)
        for j in range(owner[start], k):
            if tokens[j].begin >= start and not tokens[j].oov and tokens[j + 1].end < h \
                    and (tokens[j].pos[0] == "代名詞" or tokens[j].pos[2] == "副詞可能") and tokens[j + 1].pos[0] == "助詞":
                start = tokens[j + 1].end  # 「そこからおじいちゃん」「きょうのように先生」: a phrase, then the word (round 55)
        if not strong and all(tokens[j].pos[0] in ("助動詞", "助詞", "動詞", "形状詞") for j in range(owner[start], k + 1)):
            return None  # 「来たら先生に」: the end of a verb, no name
        if tokens[k].pos[0] == "助詞" and tokens[k].surface in ("を", "が"):
            return None  # 「…ということを先生と」: an object or a subject, then the title (round 81)
        if tokens[k].pos[1] == "普通名詞" and not tokens[k].oov and tokens[k].begin > start \
                and any(tokens[j].pos[0] in ("動詞", "助動詞") for j in range(owner[start], k)):
            return None  # 「声をかけたおじさん」: a verb, then a word SudachiPy knows (おじ), then the title
    if script == "katakana":
        inside = [tokens[j] for j in range(owner[start], k + 1) if tokens[j].surface not in "・･="]
        if inside and all(t.pos[1] == "普通名詞" and not t.oov for t in inside):
            return None  # 「ボランティアさん」「シェフさん」: katakana words SudachiPy knows are no names
    if script == "kanji":
        # A common noun before the name (「女児陽翔くん」): the name starts after it.
        for j in range(owner[start], k):
            t = tokens[j]
            if t.begin >= start and t.end < h and t.pos[1] == "普通名詞" and not t.oov and len(t.surface) >= 2:
                start = t.end
    first = tokens[owner[start]] if 0 < start < h else None
    if script == "hiragana" and first is not None and first.begin == start and first.pos[2] == "人名" \
            and tokens[owner[start - 1]].end == start and tokens[owner[start - 1]].pos[3] == "姓":
        start = tokens[owner[start - 1]].begin  # 「佐藤|かずよ|し|さん」: the family name before a cut kana name (round 76)
    return checked_name(text, start, h, lex)


# What may stand between a name and its title: 「小木曽前会長」「田中元社長」「鈴木現会長」.
TITLE_PREFIXES = "前元現"
# Heads of a municipality or prefecture: the word before is the place (「霧島市長」), never read as a family name.
# Members of a prefecture's or town's assembly, and the kind of place they sit for (「県議」「町議会議員」, round 59).
_ASSEMBLY_SEATS = {"市議": "市", "県議": "県", "町議": "町", "村議": "村"} | {f"{t}議会議員": t for t in "県市町村区都府道"}
HEADS_OF_TOWNS = {"市長", "町長", "村長", "区長", "知事", "副知事"} | set(_ASSEMBLY_SEATS)
# Heads of a municipality, and what the place and the first character of the title make (「熊本|市長」: 熊本市).
MUNICIPAL_HEADS = {"市長": "市", "町長": "町", "村長": "村"}


def _glued_given(text: str, at: int, lex: Lexicon) -> bool:
    """Whether the one kanji at ``at`` can be a given name on its own (「寛」「収」), starting a word, and is no lead
    (「全容疑者」「元容疑者」) or person word (「夫容疑者」)."""
    ch = text[at]
    return (at == 0 or script_of(text[at - 1]) != "kanji") and ch not in NOT_SURNAMES and ch not in lex.not_names \
        and ch not in lex.generic and not PEOPLE_WORDS.match(ch) and can_be_given(ch)


def _head_of_no_town(text: str, place, h: int, title: str, lex: Lexicon) -> bool:
    """Whether the place token ``place`` SudachiPy reads glued to the first character of a mayor's title (「茂原町|長」)
    is no municipality of Japan, and what stands before that character can be a family name that starts a word; or a
    place word of two or three kanji right before the title that is no municipality's name (「種市|市長」: there is no
    種市市, so 種市 is the mayor's family name, round 61)."""
    name = text[place.begin:h]
    glued = place.end == h + 1 and text[h] == MUNICIPAL_HEADS[title] and can_be_surname(name)
    whole = place.end == h and 2 <= len(name) <= 3 and all(script_of(ch) == "kanji" for ch in name) \
        and not is_municipality_name(name, lex) and not town_anywhere(name + MUNICIPAL_HEADS[title])  # (「西浅井町長」:
    # a former town, now a town of the postal data)
    return place.begin < h and (glued or whole) and place.pos[2] == "地名" \
        and name + MUNICIPAL_HEADS[title] not in lex.municipalities \
        and (place.begin == 0 or script_of(text[place.begin - 1]) != "kanji") and not names_place(text, name)


def _place_surname_given(text: str, tokens, i: int, k: int) -> bool:
    """Whether tokens i..k before a job title are a family name SudachiPy reads as a place, at the start of a
    word, and a given name of one to three kanji it cuts in pieces (「小山|辰|司代表」), no town of the gazetteer."""
    first, rest = tokens[i], tokens[i + 1:k + 1]
    if not rest or first.pos[2] != "地名" or not can_be_surname(first.surface):
        return False
    if first.begin > 0 and script_of(text[first.begin - 1]) == "kanji":
        return False
    given = text[first.end:tokens[k].end]
    if not 1 <= len(given) <= 3 or any(script_of(ch) != "kanji" for ch in given) or given[0] in "東西南北中央":
        return False
    if any(t.pos[1] == "普通名詞" and len(t.surface) >= 2 and not t.oov for t in rest) or any(t.pos[2] == "地名" for t in rest):
        return False
    return not inside_town(text, first.begin, tokens[k].end)


# Heads of a department, branch or office: the word before is usually the unit (「鹿児島支店長」「東北局長」).
_HEADS_OF_UNITS = {"支店長", "支所長", "所長", "局長", "部長", "課長", "会長", "隊長", "本部長", "次長", "館長", "園長", "院長",
                   "室長", "班長", "支部長", "総監", "事務長", "議員", "理事", "理事長", "署員", "捜査員", "係員", "刑事"}
# Round 18: heads of a body (a co-operative, a corporation) are named by a person: a family name SudachiPy reads as a
# place is the person's (「竹生理事長」), unless it is a municipality's (「鹿児島理事長」 is no one's name).
_HEADS_OF_BODIES = {"理事長", "理事"}


def _names_prefecture(word: str) -> bool:
    """Whether the word before 会長 or 本部長 is a prefecture (「島根県会長」). Any other place there is the head's family
    name (「西尾会長に手渡した」「那須本部長は」; the real sets label 37 of 38 and 21 of 21 so): a 会長 chairs a body and a
    本部長 heads a headquarters, never a town (rounds 53 and 54)."""
    return word[-1] in "都道府県" or word in PREFECTURE_STEMS


# Round 21: the head of a unit who speaks (「神戸部長は「…」と述べました」) is a person, though SudachiPy reads the family
# name as a city: a city's unit is no one who speaks.
_SPEAKING_HEADS = {"部長", "課長", "係長", "室長", "班長"}
_SPEAKS = re.compile(r"(?:は|が)[、,]?\s?[「『]")
# Titles after which a family name that is also a common word is still the name (「奥容疑者」, not 「奥さん」).
_SUSPECT_TITLES = {"容疑者", "被疑者", "被告", "被告人", "受刑者"}
# Words before a title that say which one, not whose name (「元容疑者」「同被告」「前署長」).
NOT_SURNAMES = set("元前現同当本旧新某各全両故") | {"東部", "西部", "南部", "北部", "中部", "中央"}
# The place a head of it is named after (「燕署長」 heads 燕署, 「新宿店長」 heads 新宿店): the title's first part.
PLACE_OF_HEAD = {"署長": "署", "副署長": "署", "支店長": "支店", "店長": "店", "館長": "館", "園長": "園", "院長": "院",
                  "所長": "所", "局長": "局", "部長": "部", "課長": "課", "会長": "会", "隊長": "隊", "本部長": "本部",
                  "交番長": "交番", "次長": ""}
# A police station the text names: 「燕署」「燕警察署」 (not 「署長」「署員」, nor 「一線署」「各署」: round 113).
_STATION = re.compile(r"(?<![一-鿿々ヶ])(?!(?:一線|各|本|同|当|全|他|所轄|管轄|近隣|隣接|税務|消防)署)([一-鿿々ヶ]{1,6}?)(?:警察)?署(?![長員])")


def _name_before_unit(text: str, tokens, k: int, lex: Lexicon) -> tuple[int, int] | None:
    """The name before the unit a job title heads (「荻野|生活|安全|部長」「西山|刑事|課長」): a family name
    (SudachiPy 人名,姓, maybe with its 名) at the start of a word, then one to three common words of kanji."""
    j, words = k, 0
    while j >= 0 and words < 3 and tokens[j].pos[1] in ("普通名詞", "固有名詞") and tokens[j].pos[2] != "人名" \
            and all(script_of(ch) == "kanji" for ch in tokens[j].surface) and tokens[j].pos[1] != "数詞" \
            and (j == 0 or tokens[j - 1].end == tokens[j].begin):
        j -= 1
        words += 1
    if words == 0 or j < 0 or tokens[k].end - tokens[j + 1].begin > 8 or tokens[j + 1].surface in ("町", "村"):
        return None  # (round 99: 「福居|村|巡査派出所」, a village's police box)
    t = tokens[j]
    if not (t.person and t.pos[3] in ("姓", "名")) or t.end != tokens[j + 1].begin:
        return _name_read_as_words(text, tokens, k, lex)
    end = t.end
    if t.pos[3] == "名":
        if j == 0 or not (tokens[j - 1].person and tokens[j - 1].pos[3] == "姓" and tokens[j - 1].end == t.begin):
            return None
        j -= 1
    start = tokens[j].begin
    if start > 0 and script_of(text[start - 1]) == "kanji" and tokens[j - 1].pos[0] not in ("助詞", "補助記号"):
        return None  # the family name goes on from a word before it
    if text[end - 1] in "町村" and RESIDENTS_BODY.match(text, end):
        return None  # 「館町|町会|会長」: the town whose residents' body it is (round 76)
    return checked_name(text, start, end, lex)


def _name_read_as_words(text: str, tokens, k: int, lex: Lexicon) -> tuple[int, int] | None:
    """A family and a given name SudachiPy reads as two common words before the unit (「山城|純一|生活|安全|課長」):
    a family name and a given name of its dictionary, at the start of a word, then one or two words of the unit."""
    for units in (1, 2):
        b = k - units
        if b < 1 or not all(tokens[i].pos[1] == "普通名詞" and script_of(tokens[i].surface[0]) == "kanji"
                            for i in range(b + 1, k + 1)):
            continue
        first, given = tokens[b - 1], tokens[b]
        if first.end != given.begin or not 2 <= given.end - first.begin <= 5 \
                or any(script_of(ch) != "kanji" for ch in text[first.begin:given.end]):
            continue
        if first.begin > 0 and script_of(text[first.begin - 1]) == "kanji":
            continue
        if can_be_surname(first.surface) and can_be_given(given.surface):
            return checked_name(text, first.begin, given.end, lex)
    return None


def _surname_token(text: str, tokens, k: int, lex: Lexicon, suspect: bool = False, rank: bool = False) -> int | None:
    """Where token ``k`` starts when it alone can be a family name (SudachiPy's dictionary says so) and
    does not go on from a word before it (「岩瀬|店長」, not 「東京都|港」). After 容疑者 (``suspect``) the
    words that are no names before さん (「奥さん」) are names too (「奥容疑者」); so are two kanji of a common word
    before a police rank (``rank``), which an officer holds himself and no department does (「加勢警部補」「中道巡査部長」,
    round 55)."""
    t = tokens[k]
    common_name = suspect or (rank and len(t.surface) == 2 and all(script_of(ch) == "kanji" for ch in t.surface))
    # (round 71: before a rank after an office and 「・」, also two kanji no family name of the dictionary,
    # 「佐倉駐在所・菜花巡査部長」)
    if t.oov or t.pos[0] != "名詞" or t.pos[1] == "数詞" or not (can_be_surname(t.surface) or (
            rank and common_name and t.pos[2] == "一般" and _OFFICE_DOT_BEFORE.search(text, 0, t.begin))):
        return None
    if t.surface in NOT_SURNAMES or (not common_name and t.pos[1] != "固有名詞"):
        return None  # 「元容疑者」「前署長」; before a job a common word is the department (「西部支店長」)
    if t.surface in lex.generic or (not suspect and (t.surface in lex.stops or t.surface in lex.not_names)):
        return None
    if t.begin > 0 and script_of(text[t.begin - 1]) == "kanji":
        return None
    return t.begin


# An office and 「・」 before an officer's name (「佐倉駐在所・」「生活安全課・」).
_OFFICE_DOT_BEFORE = re.compile(r"(?:所|署|課|係|交番|班|隊|室)[・･]$")
# The ranks of a police officer, which name the officer himself (not the head of a unit).
_POLICE_RANKS = {"巡査", "巡査長", "巡査部長", "警部補", "警部", "警視", "警視正", "警視長", "警視監"}
# A ward, municipality or station the text names (「麻生区役所」「麻生消防署」), not its head (「麻生区長」「麻生署員」).
_PLACE_KINDS = r"(?:区|市|町|村|(?:警察|消防)?署)(?![長員])"


def names_place(text: str, name: str) -> bool:
    """Whether the text names a ward, municipality or station called ``name`` (「麻生区役所」), or a municipality
    ``name`` is a town of (「大崎市長、古川警察署長」: 古川 of 大崎市), so that 「麻生区長」「古川警察署長」 head
    the place rather than name a 麻生 or 古川 (family names too)."""
    if len(name) < 2:
        return False
    lex = load_lexicon()
    for m in re.finditer(re.escape(name) + _PLACE_KINDS, text):
        seat = text.startswith("議", m.end()) and not text.startswith("議会", m.end())
        if not seat or any(m.group()[i:] in lex.municipalities for i in range(len(m.group()) - 1)):
            return True  # (round 103: a councillor's 「釜井市議」, the title itself, names no 釜井市 there is none of)
    for m in _MUNICIPALITY_END.finditer(text):
        end = m.end()
        for a in range(max(0, end - 7), end - 1):
            if text[a:end] in lex.municipalities and town_after_municipality(text[a:end] + name, lex):
                return True
    return False


# A head who speaks: 「別府署長は「…」」.
_HEAD_SPEAKS = re.compile(r"(?:は|が|も)\s?[「『]")
_MUNICIPALITY_END = re.compile(r"(?<=[一-鿿々ヶ])[市町村区]")


def heads_place(text: str, start: int, h: int, title: str) -> bool:
    """Whether text[start:h] before a head's title (「谷山署長」「霧島市長」「新宿店長」) is the place headed,
    not the head's family name (「清水署長」 of 燕署, 「岩瀬店長」). Before 市長 / 町長 / 村長 it is the place when
    it and 市 / 町 / 村 make a municipality of Japan (「熊本市長」), a family name when they make none
    (「会長・大西市長」: there is no 大西市)."""
    name = text[start:h]
    if title in MUNICIPAL_HEADS:
        return (name + MUNICIPAL_HEADS[title] in load_lexicon().municipalities
                or (name[-1:] == MUNICIPAL_HEADS[title] and name in load_lexicon().municipalities))
    place = PLACE_OF_HEAD.get(title)
    if place is None:
        return inside_town(text, start, h)  # 市長, 町長, 知事…: 「霧島市長」
    if place and re.search(re.escape(name) + r"(?:警察)?" + re.escape(place) + r"(?!長)", text):
        return True  # 「谷山署の署長」… 「谷山署長」, 「新宿店」… 「新宿店長」
    if place == "署" and any(m.group(1) != name for m in _STATION.finditer(text)):
        return False  # the text names the station another way: 「燕署(清水文宏署長)」… 「清水署長」
    if place == "署" and any(m[1] != name for m in _POST_TAKEN.finditer(text)):
        return False  # 「川崎署長は…三鷹警察署長にご就任以来」: the post he took names his station (round 83)
    if place == "署" and start > 1 and text[start - 1] in "・･" and _station_town(text, start, name):
        return True  # 「三國悦夫・桑名署長は「…」」: the holder is named before the dot, whatever he says (round 52)
    if place == "署" and _HEAD_SPEAKS.match(text, h + len(title)) and _STATION.search(text) is None and can_be_surname(name) \
            and not names_place(text, name):
        return False  # 「別府署長は「…」」: a head quoted by name in a text that names no station (「谷山署長は、」 heads 谷山署)
    if place == "署" and _station_town(text, start, name):
        return True  # round 13: 「宗田繁敏・日田署長」: 日田 is the station's town
    if place == "署" and name.endswith("警察") and is_station_name(name[:-2]):
        return True  # 「網干警察署長」: a station of Japan's head, written in full (the real sets: 46 of 46; round 54)
    if place == "署" and (_POST_HELD.match(text, h + len(title))
                         or text.startswith("時代", h + len(title)) and is_station_name(name)):
        return True  # 「唐津署長などを務めた内田さん」: the post one held, named by its station (round 58; 111: 「津幡署長時代」)
    if place == "署" and holder_named_after(text, start, h):
        return True  # 「富津署長に庄村氏」「▽君津署長(捜査4課長)藤代誠」: the holder is named after the post (round 67)
    others = _other_station_heads(text, name) if place == "署" else []
    if any(other.endswith(name) for other in others):
        return True  # 「有田湯浅署長は…湯浅署長に就任」: the station's short name (round 55)
    if is_station_name(name) and any(not can_be_surname(other) for other in others):
        return True  # 「和歌山西署長に川上和彦…、岩出署長に井上英喜…」: a roll of stations' heads (round 55)
    if place == "署" and station_town_named(text, name):
        return True  # 「高萩市長、…高萩署長」: the station's town is named too (round 81)
    if place == "署" and not is_station_name(name) \
            and (name not in load_lexicon().municipality_stems or can_be_surname(name)):
        return False  # 「大城署長」: no station of Japan is called so, the word is the head's name (54; 「山田署長」: 72)
    return inside_town(text, start, h) and not (place and can_be_surname(name) and place != "署")


def station_town_named(text: str, name: str) -> bool:
    """Whether ``name`` is a police station of Japan whose town the text names as a municipality (「高萩市長」)."""
    return is_station_name(name) and re.search(re.escape(name) + "[市町村](?!民)", text) is not None


# The station whose head someone became, written in full (「三鷹警察署長にご就任」).
_POST_TAKEN = re.compile(r"([一-鿿々ヶ]{2,6})警察署長に(?:ご)?(?:就任|着任|赴任)")
_POST_HELD = re.compile(r"(?:など|等)?(?:を|も)(?:務め|歴任|経て|経験)")  # a post one held (「唐津署長などを務めた」)
# A station's name before 署長, at the start of a word (「和歌山西署長」).
_STATION_HEAD = re.compile(r"(?<![一-鿿々ヶ])([一-鿿々ヶ]{2,6})署長")


def _other_station_heads(text: str, name: str) -> list[str]:
    """The stations of Japan other than ``name`` whose heads the text names (「和歌山西署長」「有田湯浅署長」)."""
    return [m[1] for m in _STATION_HEAD.finditer(text) if m[1] != name and is_station_name(m[1])]


_DIRECTION = ("東", "西", "南", "北", "中央")


def directed_town(name: str) -> bool:
    """Whether ``name`` is the stem of a municipality and a direction (「金沢東」「松山西」「鹿児島中央」)."""
    for d in _DIRECTION:
        if name.endswith(d) and len(name) > len(d) and name[:-len(d)] in load_lexicon().municipality_stems:
            return True
    return False


def _station_town(text: str, start: int, name: str) -> bool:
    """Whether ``name`` at ``start`` before 署長 is the station's town: the stem of a municipality (日田 of 日田市) that
    SudachiPy reads as no family name, or that follows the holder's name and 「・」 (「宗田繁敏・津山署長」), as the
    rules read 「今治署長」; a family name of the dictionary alone (「佐藤署長」「小林署長」) stays the head's."""
    lex = load_lexicon()
    if name not in lex.municipality_stems and not any(name + kind in lex.municipalities for kind in "市町村"):
        return False
    if start > 1 and text[start - 1] in "・･" and script_of(text[start - 2]) == "kanji":
        return True
    piece = tokenize(name)
    return not (len(piece) == 1 and piece[0].person and piece[0].pos[3] == "姓")


# The kind words that end a place SudachiPy reads as one proper noun before a name (「立正大学」「聖路加国際病院」).
_PLACE_ENDS = ("大学", "高校", "学校", "学園", "病院", "銀行", "会社", "会館", "協会", "組合", "役場", "役所")


def _name_block(text: str, tokens, k: int, h: int, lex: Lexicon) -> int | None:
    """Where the name that ends at the title at ``h`` starts, when the tokens say it is a name.

    Walks back over the nouns before the title (「伊藤|ツル|子|さん」「溜|拓也|容疑者」
    「マリア|・|サントス|さん」) and stops at a particle, a number, a job or family
    word, or a common word of two characters or more (「無職」「会社員」) unless a
    family name stands right before it (「田中|未来」). The run is a name when it
    holds a 人名 token, another proper noun that is no chain (「谷山さん」), an
    unknown word, or only one-character pieces (a name the dictionary cut up).
    """
    start = h
    parts: list[Token] = []
    j = k
    while j >= 0 and len(parts) < 6 and tokens[j].end == start and h - tokens[j].begin <= 12:
        t = tokens[j]
        surface = t.surface
        if surface in lex.generic or surface in lex.titles or surface in lex.stops or (j == k and len(surface) >= 2 and surface in lex.not_names):
            break  # 「横山寿朗 生安課長」: 生安 (生活安全) is the unit, and the name before it is no part of this one
        if parts and parts[-1].pos[3] == "姓" and not t.person and all(kana_of(ch) == "hiragana" for ch in surface):
            break  # 「「マサ」こと|真砂正樹容疑者」: a family name starts the name
        if parts and parts[-1].pos[3] == "姓" and t.pos[1] == "普通名詞" and not t.oov and _OFFICE_WORD.search(surface):
            break  # 「県民生活|部|服部参事」: the unit before a family name is no part of it
        if parts and parts[-1].pos[3] == "姓" and surface == "名" and t.pos[1] == "普通名詞":
            break  # 「出席者名|国森さん」: a list's label (…者名, 氏名) before a family name
        if parts and not t.person and t.pos[1] == "固有名詞" and len(surface) >= 4 \
                and any(surface.endswith(kind) for kind in _PLACE_ENDS):
            break  # 「立正大学|小宮教授」: a place SudachiPy knows ends before the name (round 48)
        if surface in "・･=":
            if not (parts and j > 0 and is_katakana(parts[-1].surface[0]) and is_katakana(tokens[j - 1].surface[-1])):
                break
        elif t.pos[0] == "空白":
            # 「山田 太郎さん」: one space between a family name and a given name
            if not (len(surface) == 1 and parts and parts[-1].pos[3] == "名" and j > 0 and tokens[j - 1].pos[3] == "姓"):
                break
        elif surface in ("乃", "之") and t.pos[0] == "助詞" and j > 0 and tokens[j - 1].person \
                and tokens[j - 1].end == t.begin:
            pass  # 「早川愛|乃|さん」: 乃 ends a given name, which SudachiPy reads as the old particle の (round 60)
        elif t.oov:
            if t.pos[1] == "数詞":
                break
        elif t.pos[0] == "名詞" and t.pos[1] not in ("数詞", "代名詞"):
            if t.pos[2] == "助数詞可能" and j > 0 and tokens[j - 1].pos[1] == "数詞" and tokens[j - 1].end == t.begin:
                break  # 「3年|福田敬子さん」: a count or a grade before the name (round 78)
            if t.pos[1] == "普通名詞" and len(surface) >= 2 and not all(kana_of(ch) for ch in surface) \
                    and not (j > 0 and tokens[j - 1].end == t.begin and surname_like(tokens[j - 1])
                             and not _OFFICE_WORD.search(surface)) \
                    and not word_as_surname(text, tokens, j, parts, lex):
                break
        elif not (t.pos[0] == "接尾辞" and t.pos[1] == "名詞的" and j > 0 and tokens[j - 1].end == t.begin):
            break
        parts.append(t)
        start = t.begin
        j -= 1
    while parts and (parts[-1].pos[0] in ("接尾辞", "空白") or parts[-1].surface in "・･="):
        parts.pop()
    if not parts:
        return None
    evidence = any(t.person or t.oov or (t.pos[1] == "固有名詞" and not lex.chain_re.fullmatch(t.surface))
                   for t in parts)
    if not evidence and not (len(parts) >= 2 and all(len(t.surface) == 1 for t in parts)):
        return None
    return parts[-1].begin


# A word of an office or a place, never a given name after a family name (「田中|警察庁長官」「山田|本部長」).
_OFFICE_WORD = re.compile(r"[庁署局課部所会社省県市町村区店校館]$")


# Between a title written before a name and the name: nothing, の, ・ or one space (「巡査長田中」「校長の山田」
# 「警部補・佐藤」「司会 北村」).
_BEFORE_JOIN = re.compile(r"(?:の|・|･| |\u3000)?")
# What may follow a name written after its title: not more kanji of a word (「所長の田中町」 is a town), unless
# SudachiPy reads them as a title or a suffix.
_PLACE_AFTER = re.compile(r"[都道府県市区町村郡]")


def names_after_titles(text: str, tokens, owner, lex: Lexicon) -> list[tuple[int, int, int, int]]:
    """The names written right after a rank or job title (「警部補佐藤和人」「巡査長田中」「校長の山田」
    「司会の北村浩一」): ``(title_start, title_end, name_start, name_end)``.

    The name starts with a family name (SudachiPy 人名,姓, or a katakana family name of
    ``katakana_surnames.txt``) and may go on with a given name. A title glued to the name is read again
    from its end, because SudachiPy cuts 「警部補佐藤」 as 警部|補佐|藤: the text after the title is
    tokenized on its own.
    """
    out = []
    for m in lex.title_before_re.finditer(text):
        ts, te = m.span()
        if tokens[owner[ts]].begin != ts:
            continue  # inside a longer word
        j = _BEFORE_JOIN.match(text, te)
        at = j.end()
        if at >= len(text) or script_of(text[at]) not in ("kanji", "katakana"):
            continue
        if at == te and (script_of(text[at]) == "katakana" or text[at] == "室"):
            continue  # 「店長ブログ」: katakana glued to a title is another word; 「記者室」: the title's room (round 115)
        piece = tokenize(text[at:at + 14])
        if not piece:
            continue
        first = piece[0]
        if not (first.pos[2] == "人名" and first.pos[3] == "姓") and first.surface not in lex.katakana_surnames:
            continue
        last = 1 if len(piece) > 1 and piece[1].begin == first.end and piece[1].person and piece[1].pos[3] == "名" \
            else 0
        end = piece[last].end
        rest = piece[last + 1] if last + 1 < len(piece) else None
        if rest is not None and rest.begin == end and script_of(rest.surface[0]) == "kanji" \
                and (_PLACE_AFTER.match(rest.surface) or (rest.surface not in lex.titles and rest.pos[0] != "接尾辞")):
            continue  # 「所長の田中町」「社長の中村屋」: the name goes on into another word
        if checked_name(text, at, at + end, lex):
            out.append((ts, te, at, at + end))
    return out
