"""Person findings: the name of a victim, a suspect, a witness or the person a fraud caller claims to be.

- **person**: SudachiPy's 名詞,固有名詞,人名 tags with the title after them
  (``person_titles.csv``: さん, 様, 容疑者, ちゃん, 副署長, 巡査部長…), a 姓 followed by
  a 名, the name a fraud caller gives (「ヤマモトと名乗る男」「【警視庁のモトハシ】を
  名乗る」), a foreign full name in katakana (「マリア・サントス」「ジョン スミス」), a
  family name with an age in brackets (「田中(45)」), and kana given names before
  ちゃん / くん (「ゆいちゃん」). A surname alone, or a place name, is no finding; nor
  is 様 after a thing (「ママチャリ様」). The span leaves the title out. The
  suggestion is 「〇〇」, the mask Japanese police releases print for a withheld
  name (「〇〇さん方」).
- A fraud caller's family name in katakana (``katakana_surnames.txt``) is a person when a
  claim follows it (「サトウと名乗る男」) or its employer and 「の」 stand before it
  (「担当のイシカワから連絡させる」「銀行協会のタナカが伺います」); alone it is no finding
  (「サトウキビ」「スズキの軽自動車」).
- Mascots are no persons: a name of ``mascots.txt`` or one the text introduces as a mascot or
  character (「県警マスコットの「まもるくん」」), before 君, くん or ちゃん.
- An exact age right after a name (「田中花子さん(45)」「溜拓也容疑者(45歳)」「(当時25歳)」)
  or right before it (「当時25歳の山田さん」) is a person finding too; it becomes the age
  group (「(40歳代)」).
- A name right after a rank or job title (``person_titles.csv``, job and before: 「警部補佐藤和人」
  「巡査長田中」「校長の山田」「司会の北村浩一」) starts with a family name; the text after a
  glued title is tokenized again on its own (SudachiPy reads 「巡査長田中」 as 巡査|長田|中).
- A verb of the noun before a title is no name (「逮捕された容疑者(31)」), nor is the end of a verb
  (「来たら先生に」) or a title itself (「巡査部長さん」).
- Round 6 (issue 14): a title may take 前/元/現 (「小木曽前会長」) and a unit between it and the name
  (「荻野生活安全部長」); a common word of two or three kanji right before a given name SudachiPy knows is
  the family name it does not know (「平敷|昭人教育長」); a given name read as other words may stand before a
  job title too (「永井志也店長」「田中うた乃記者」); and a text about mascots on stage
  (マスコット, キャラクター, 登場…, or a character such as 「ネズミくん」) makes the kana names before
  くん / ちゃん in it mascots. Round 7: a police station or post is never a person (``station_name``: what
  ends right before 警察署 / 署 / 交番 / 駐在, 「金沢東|署」「杵築日出|警察署」「相川駐在|署員」), and a given
  name SudachiPy cuts in one-kanji 名 pieces is read whole (「池宮|悠|仁」). The shapes of the
  sentence around a name (the news' 「職業、氏名容疑者(NN)」, names in a row, labels, nicknames, claims in
  kanji) are in ``person_shapes``; a full reading in brackets is a finding of its own (``readings``).

Round 10: a name set out one kanji at a time (「河北町長 森  谷 俊  雄」) is one finding, whole; whatever
``name_checks.not_a_person`` rules out (a newspaper's region, 「元日本代表」, 「一日警察署長」, 「生安課長」, the end of a
word such as 「栄誉金章」) is no person, for the rules and the learned spans alike.

``find_persons`` returns candidates ``(start, end, "person", suggestion)`` on the folded text.
Where the parts live: this module gathers every finder (``find_persons``) and reads 姓 and 名 together,
the names a fraud caller gives, foreign names and bylines; ``person_titles`` reads the names next to a
title, ``place_heads`` a name before the place its holder heads (「上田埼玉県知事」), ``official_lists`` the family
names of a list of department heads (「小倉地域振興部長、森谷文化観光スポーツ局長」), ``mascots`` says which
of them are mascots, ``given_names`` reads given names the dictionary cuts up, ``person_ages`` the ages, and
``name_checks`` holds the checks every finder applies.
"""

from __future__ import annotations

import re

from anshin_lab.privacy.lint.findings import PERSON_MASK
from anshin_lab.privacy.lint.given_names import find_given_names
from anshin_lab.privacy.lint.lexicon import Lexicon
from anshin_lab.privacy.lint.member_lists import listed_members, sharing_a_title
from anshin_lab.privacy.lint.municipalities import is_municipality_name
from anshin_lab.privacy.lint.police_stations import is_station_name
from anshin_lab.privacy.lint.name_checks import (branch_of_head, checked_name, full_name_word, in_business_word,
                                                 inside_town, misread_full_name, not_a_person, surname_word,
                                                 without_word_before)
from anshin_lab.privacy.lint.official_lists import find_official_lists, find_prize_winners
from anshin_lab.privacy.lint.person_ages import find_aged_surnames, find_ages
from anshin_lab.privacy.lint.person_shapes import find_shaped_names
from anshin_lab.privacy.lint.person_titles import (
    MUNICIPAL_HEADS, PLACE_OF_HEAD, directed_town, names_after_titles, names_place, titled_name,
)
from anshin_lab.privacy.lint.place_heads import find_place_heads
from anshin_lab.privacy.lint.readings import (find_read_names, split_readings, with_equals_readings,
                                              with_glued_readings, with_readings)
from anshin_lab.privacy.lint.school_short_names import SCHOOL_GRADE
from anshin_lab.privacy.lint.tokens import SPACES, can_be_surname, is_katakana, script_of, tokenize
from anshin_lab.privacy.lint.transit import PREFECTURES
from anshin_lab.privacy.lint.unit_officers import find_station_heads, find_unit_officers

__all__ = ["end_bylines", "find_persons", "names_after_titles", "station_name", "unit_of_named_head"]

# 「「ワタナベ」「スギモト」と名乗る」: more quoted names may stand between a name and the verb.
_MORE_NAMES = r"(?:[」』】]\s?(?:[、・や]|または)?\s?[「『【][^」』】「『【。]{1,15})*"
# (round 89: not 「安心の町 下松という言葉」, a place's name in a motto)
_CLAIM_NAME_AFTER = re.compile(
    _MORE_NAMES + r"[」』】]?\s?(?:(?:と|って)\s?(?:名乗|なの|名の|称|かた|騙|語|言|いう(?!言葉|標語|フレーズ|町|まち)|いい|申)"
    r"|を\s?(?:名乗|なの|名の|称|かた|騙|語|装)|です|でございます)")
# The claiming verbs proper: 「「タナカ」を名乗る」 but not 「「シュッシュッ」と言いながら」.
_CLAIM_VERB_AFTER = re.compile(_MORE_NAMES + r"[」』】]?\s?(?:と|を|って)?\s?(?:名乗|なの|名の|称|かた|騙|語|装)")
_BRACKETS_OPEN = "「『【"
# What a claim after a name starts with (the pattern is tried only there): a closing bracket, a space, と, って,
# を, です.
_CLAIM_STARTS = frozenset("」』】とっをで") | SPACES


def find_persons(text: str, tokens, owner, lex: Lexicon, after_titles: list[tuple] | None = None) -> list[tuple]:
    """Every person named in ``text``: before a title, after one, as 姓 and 名, or as a fraud caller's name.

    ``after_titles`` are the names ``names_after_titles`` found (computed here when not given).
    """
    if after_titles is None:
        after_titles = names_after_titles(text, tokens, owner, lex)
    out = _find_names(text, tokens, owner, lex)
    out += [(a, b, "person", PERSON_MASK) for _, _, a, b in after_titles]
    out += _foreign_names(text, tokens, lex)
    out += _bylines(text, tokens, owner, lex)
    out += _mayors(text, lex)
    out += find_official_lists(text, lex) + find_prize_winners(text)  # 「小倉地域振興部長、…」「=安心院美季(金賞)」
    out += listed_members(text, lex) + sharing_a_title(text, tokens)  # 「前田由美(下田市)…」「城間、浅野さん」
    # 「上田埼玉県知事」「筒井稚内署長」, and 「生活安全部山内管理官」「筒井生安課長」: a family name read as a common word
    heads = find_place_heads(text, lex) + find_station_heads(text, lex) + find_unit_officers(text, lex)
    out = _giving_way(out, heads) + heads
    out += _wrestlers(text) + _pupils(text, tokens, owner)
    out += [(*m.span(), "person", PERSON_MASK) for m in _INITIALS.finditer(text)]  # 「U.K.さん」 (round 50)
    out += [(*m.span("name"), "person", PERSON_MASK) for m in _WRITER_NAMED.finditer(text)  # 「私(長谷川)は」 (round 63)
            if is_katakana(m["name"][0]) or any(can_be_surname(m["name"][:n]) for n in range(1, 4))]
    out += [(*m.span("name"), "person", PERSON_MASK) for m in _AFTER_STAGE_JOB.finditer(text)
            if m["name"] not in lex.generic and m["name"] not in lex.not_names]  # 「タレント仁心にこさん」 (round 52)
    out += [(*m.span("name"), "person", PERSON_MASK) for m in _STAGE_JOB_OF.finditer(text)  # 「タレントのタージン、」 (72)
            if all(t.oov or t.person for t in tokenize(m["name"]))]
    out += _known_full_names(text, tokens)
    out += find_given_names(text, tokens, lex)
    out += find_shaped_names(text, tokens, owner, lex, out)
    # 「池田百之亮(いけだ もものすけ)さん(31)」: the reading spells the name; the title and age follow it.
    out = with_readings(text, out + find_read_names(text, out, lex))
    out = with_glued_readings(text, out, lex)  # 「知念信恒のぶつね会長」 (round 85)
    out += find_aged_surnames(text, tokens, out)
    out += [(*m.span(g), "person", PERSON_MASK) for m in _NICKNAME.finditer(text)  # (round 85; its reading, round 93)
            if any(c[2] == "person" and m.end() <= c[0] <= m.end() + 12 for c in out)
            for g in ("name", "reading") if m[g]]
    out = _giving_way(out, heads)  # (again: the finders after the heads' read the same runs)
    out = [c for c in out if not (c[3] == PERSON_MASK and (station_name(text, c[0], c[1]) or in_business_word(text, c[0], c[1])
                                                           or not_a_person(text, c[0], c[1])
                                                           or lex.chain_re.fullmatch(text, c[0], c[1])))]  # 「ローソン店長」
    out = [_spaced_whole(text, _without_former(text, without_word_before(text, c, lex), lex)) for c in out] \
        + _spaced_names(text, out, lex)
    out = _without_units_of_named_heads(text, out, lex)
    out += find_ages(text, out, lex)
    out = with_equals_readings(text, split_readings(text, out), lex)  # 「松下一人士=ひとし=隊長」 (round 94)
    read = {c[1] for c in out if c[2] == "person" and c[3] == "" and text[c[1] - 1] in ")）"}
    return [c for c in out if not (c[0] in read and c[3] == PERSON_MASK and _HEAD_OF_PLACE.match(text, c[1])
                                   and (is_station_name(text[c[0]:c[1]]) or is_municipality_name(text[c[0]:c[1]], lex)))]


def _without_former(text: str, c: tuple, lex: Lexicon) -> tuple:
    """A family name read with the 元 or 前 of the title after it (「西|久保元|部長」: SudachiPy knows 久保元) ending before
    it, when the name is a family name without it and none with it (round 63)."""
    if c[3] != PERSON_MASK or c[1] - c[0] < 3 or text[c[1] - 1] not in "元前" or not lex.title_re.match(text, c[1]) \
            or can_be_surname(text[c[0]:c[1]]) or not can_be_surname(text[c[0]:c[1] - 1]):
        return c
    return (c[0], c[1] - 1, *c[2:])


# After a name and its reading, a place and its head's title is the office he heads (「千葉正明(ちばまさあき)小山署長」,
# round 63), not a second name.
_HEAD_OF_PLACE = re.compile(r"(?:警察)?署長|" + "|".join(MUNICIPAL_HEADS))


def _known_full_names(text: str, tokens) -> list[tuple]:
    """「徳川家康」「坂本龍馬」「石破茂」: a full name the dictionary holds whole (人名, 一般), in kanji, ending where the
    word does and starts where one does (not 「大津京|駅」「京阪|大津京」); round 38."""
    return [(t.begin, t.end, "person", PERSON_MASK) for t in tokens
            if t.pos[1:4] == ("固有名詞", "人名", "一般") and len(t.surface) >= 3
            and all(script_of(ch) == "kanji" for ch in t.surface)
            and script_of(text[t.end:t.end + 1] or " ") != "kanji"
            and script_of(text[t.begin - 1:t.begin] or " ") != "kanji"]


def _giving_way(found: list[tuple], heads: list[tuple]) -> list[tuple]:
    """``found`` without the runs read on from a head's name into the place he heads (「仲川狭山|市長」「筒井稚内|署長」)."""
    return [c for c in found if not any(c[0] == h[0] and h[1] < c[1] <= h[1] + 6 for h in heads)]


def _without_units_of_named_heads(text: str, found: list[tuple], lex: Lexicon) -> list[tuple]:
    """``found`` without the words before a title that 「の」 and a name found follow (``unit_of_named_head``), nor the
    branch between a full name, a space and its head's title (「日野康志 野村支部長」, round 92)."""
    starts = {c[0] for c in found if c[2] == "person"}
    return [c for c in found if not unit_of_named_head(text, c[1], starts, lex) and not branch_of_head(text, c, found)]


def unit_of_named_head(text: str, end: int, person_starts: set[int], lex: Lexicon) -> bool:
    """Whether the title of a unit's head, 「の」 and a person found follow ``end``: the head is named there, so what
    ends at ``end`` is the unit or branch headed (「同金庫篠尾支店長の水口慎太郎さん」, round 26)."""
    title = lex.title_re.match(text, end)
    return title is not None and title.group() in PLACE_OF_HEAD and text.startswith("の", title.end()) \
        and title.end() + 1 in person_starts


_K = "一-鿿々ヶ"
# 「河北町長 森  谷 俊  雄」: a name set out one kanji at a time, with one or two spaces between.
_SPACED = re.compile(rf"[{_K}](?:[ \u3000]{{1,2}}[{_K}])+")
_SPACED_BEFORE = re.compile(rf"(?:^|(?<=[\s:：]))[{_K}][ \u3000]{{1,2}}$")
_SPACED_AFTER = re.compile(rf"[ \u3000]{{1,2}}[{_K}](?=\s|$)")


# A run of three to six single kanji set out with one or two spaces, alone at the end of a line or text, after a
# space or a colon: 「河北町長 梅  原 米 子」「会長: 田 中 一 郎」.
_SPACED_RUN = re.compile(rf"(?:(?<=[ \u3000:：])|^)[{_K}](?:[ \u3000]{{1,2}}[{_K}]){{2,5}}(?=[ \u3000]*(?:\n|$))", re.M)


def _spaced_names(text: str, found: list[tuple], lex: Lexicon) -> list[tuple]:
    """Names set out one kanji at a time, as signatures and lists of officers are (「河北町長 梅  原 米 子」), that no
    finder read: the kanji joined start with a family name SudachiPy knows and are no town."""
    out = []
    for m in _SPACED_RUN.finditer(text):
        if any(f[0] < m.end() and m.start() < f[1] for f in found):
            continue
        joined = re.sub(r"[ \u3000]", "", m.group())
        piece = tokenize(joined)
        if not piece or not (piece[0].person and piece[0].pos[3] == "姓") or len(piece[0].surface) >= len(joined):
            continue
        if joined in lex.not_names or joined in lex.generic or any(t.pos[2] == "地名" for t in piece):
            continue
        out.append((m.start(), m.end(), "person", PERSON_MASK))
    return out


def _spaced_whole(text: str, c: tuple) -> tuple:
    """A name found as some of its kanji set out with spaces (「森  谷 俊  雄」 found as 「谷 俊」) taken whole: the
    single kanji spaced the same way on either side go with it (up to six in all)."""
    if c[2] != "person" or c[3] != PERSON_MASK or not _SPACED.fullmatch(text, c[0], c[1]):
        return c
    start, end = c[0], c[1]
    while sum(script_of(ch) == "kanji" for ch in text[start:end]) < 6:
        m = _SPACED_BEFORE.search(text, max(0, start - 3), start)
        if m is None:
            break
        start = m.start()
    while sum(script_of(ch) == "kanji" for ch in text[start:end]) < 6:
        m = _SPACED_AFTER.match(text, end)
        if m is None:
            break
        end = m.end()
    return (start, end, *c[2:])


# A police station or post is never a person: what ends right before 警察署 / 署 (not 署長 / 署員) / 交番 (not 交番長)
# / 駐在, or ends with 駐在 / 交番, is the station's town (「杵築日出警察署」「金沢東署」「相川駐在署員」); 警察本部長 is a title
# (「◯種部警察本部長」), and so is a unit's head of the headquarters (「中村栄警察本部地域部長」, round 33). Before 警察署長
# one family name of the dictionary is the head (「佐藤警察署長」) unless the text names a place so (「麻生区役所」…
# 「麻生警察署長」, ``names_place``).
_STATION_AFTER = re.compile(r"\s?(?:警察署(?!長)|署(?!長)|(?:幹部|警部)?交番(?!長)|駐在(?!員|官|所長)|派出所|分庁舎"
                            r"|(?:巡査部長|巡査)(?:駐在所|派出所)"  # 「上灘村巡査部長派出所」 (round 46)
                            r"|警察(?![官犬庁]|本部(?:[一-龥]{2,8}?)?長)|(?:警察)?署長(?:感謝状|表彰|賞))")  # 「宮津署長感謝状」: the station's award
_HEAD_AFTER = re.compile(r"\s?警察署(?:長|副署長)")
# The posts of a career, listed before the verb that says so (「…署長、…本部長を経て」「…署長などを歴任」).
_CAREER_AFTER = re.compile(r"副?署長(?:[、,・][^。、]{1,20}?){0,3}(?:など|等)?(?:を経て|を歴任|を経験|に就任後)")
_STATION_END = re.compile(r"(?:駐在|交番|派出所|分駐所)$")


def station_name(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] names a police station or post (「金沢東|署」), so no person."""
    if text.startswith(("交番長", "駐在所長"), end) and re.search(re.escape(text[start:end]) + r"(?:交番|駐在所)(?!長)", text):
        return True  # 「小笠交番の…小笠交番長」: the head of the 交番 the text names (「密岡交番長」 is a name, 35; 駐在所長: 74)
    if text.startswith("駐在所長", end) and not re.search(r"駐在所(?!長)", text):
        return True  # 「西根駐在所長から」: the box's own head, unless the text names his box (「赤井川駐在所…幸田駐在所長」, 74)
    if text.startswith(("署長", "副署長", "署副署長"), end) and directed_town(text[start:end]):
        return True  # 「(金沢東署長)」: a station named after its town and a direction, whichever finder read a name
    if text.startswith(("署長", "副署長"), end) and is_station_name(text[start:end]) and not can_be_surname(text[start:end]):
        return True  # 「有田湯浅署長」: a station of Japan whose name is no family name (round 55)
    if text.startswith(("署長", "副署長"), end) and is_station_name(text[start:end]) and _CAREER_AFTER.match(text, end):
        return True  # 「伊勢崎署長、…本部長を経て退職」: a post in a career, the station's (round 126)
    if _HEAD_AFTER.match(text, end):
        # 「佐藤警察署長」 heads a station of another name; 「蒲田警察署長」「麻生区役所」… 「麻生警察署長」 head the town's
        name = text[start:end]
        # (round 54: 「網干警察署長」: a station of Japan, whatever SudachiPy reads; the real sets say so 46 times in 46)
        return not (surname_word(name) or full_name_word(name)) or names_place(text, name) or is_station_name(name)
    return bool(_STATION_AFTER.match(text, end)) or bool(_STATION_END.search(text, start, end))


# A byline in brackets after the word for the writer (「筆者(下赤)の近所の方」「(文・山田)」「記者(田中)」).
_BYLINE = re.compile(r"(?:筆者|記者|文|取材・文|文・写真)[(（]\s?(?:文\s?[・:：]\s?)?(?P<name>[一-龥々ヶ]{1,4}(?:\s?[一-龥々ヶ]{1,4})?)\s?[)）]")


# Round 14: the writer's family name alone in brackets on the last line of an article (「(林)」「(茨木)」).
_SIGNATURE = re.compile(r"(?m)^[ \t\u3000]*[(（](?P<name>[一-龥々ヶ]{1,3})[)）][ \t\u3000]*$")
# Round 17: the writer's full name in brackets right after the article's last sentence (「…と話した。(千葉翔大)」).
# (round 18: also alone on its line, and a given name in hiragana: 「(渡辺ひなの)」)
# (round 64: two writers, 「(広岡磨璃、千葉翔大)」)
_BYLINE_NAME = re.compile(r"[一-龥々ヶ]{2,4}[一-龥々ヶぁ-ゖ]{1,4}")
_END_BYLINE = re.compile(rf"(?:。|^[ \t\u3000]*)[(（](?P<names>(?:{_BYLINE_NAME.pattern}、)*)"
                         rf"(?P<name>{_BYLINE_NAME.pattern})(?<!さん)(?<!さま)(?<!くん)(?<!ちゃん)"
                         r"[)）][ \t\u3000]*(?:\r?\n|$)", re.M)
# Round 25: a writer's initial and family name in Latin letters, bracketed alone on its line (「【A.Yagisawa】」).
# Round 47: a blog post's author line (「by shouichiro_sato | 2015-12-22 23:09 | 事件・事故」): the account's name.
_BLOG_AUTHOR = re.compile(r"(?m)^[ \t\u3000]*by (?P<name>[A-Za-z][A-Za-z0-9_.\-]{2,30})(?=[ \t]*\|)")
_LATIN_SIGNATURE = re.compile(r"(?m)^[ \t\u3000]*[【(（〔\[](?P<name>[A-Z]\.\s?[A-Z][a-z]+)[】)）〕\]][ \t\u3000]*$")
# What stands in brackets alone on a line and is no writer: a caption's place in a photo, an elision, an end.
_NOT_A_SIGNATURE = frozenset(("左", "右", "中", "前", "後", "上", "下", "奥", "完", "終", "了", "続", "談", "略", "同", "仮称",
                              "写真", "資料", "中略", "後略", "前略", "共同", "時事", "敬称略", "抜粋", "参考", "図", "表"))


def end_bylines(text: str) -> list[tuple[int, int]]:
    """The writer's full name in brackets after the article's last sentence (「…と話した。(千葉翔大)」): a family name
    and a given name of the dictionary."""
    if "。" not in text and "(" not in text and "（" not in text:
        return []
    out = []
    for m in _END_BYLINE.finditer(text):
        names = [n.span() for n in _BYLINE_NAME.finditer(text, m.start("names"), m.end("names"))] + [m.span("name")]
        if all(not _PLACE_END.search(text, a, b) and not _one_place(text[a:b])
               and any(can_be_surname(text[a:a + i]) and _no_word(text[a + i:b]) for i in (1, 2, 3)) for a, b in names):
            out += names
    return out


_KANA_NOT_GIVEN = frozenset(("ほか", "など", "さん", "さま", "たち", "ら", "の", "は", "へ", "より", "から"))
# 「(那覇市)」: a place, no writer; 「(会津版)」: a paper's regional edition (round 42)
_PLACE_END = re.compile(r"[市区町村郡県都府道署局店校園館院版]$")


def _one_place(name: str) -> bool:
    """Whether ``name`` is one place as SudachiPy reads it (「(鹿児島)」: where the news is from, no writer)."""
    piece = tokenize(name)
    return len(piece) == 1 and piece[0].pos[2] == "地名"


def _no_word(rest: str) -> bool:
    """Whether ``rest`` (after a family name) reads as no common word (「翔大」「ひなの」, not 「大学」「県警」「ほか」)."""
    if all("ぁ" <= ch <= "ゖ" for ch in rest):
        return rest not in _KANA_NOT_GIVEN
    piece = tokenize(rest)
    return not any(t.pos[1] == "普通名詞" and len(t.surface) >= 2 and not t.oov for t in piece)


def _speakers(text: str, lex: Lexicon) -> list[tuple]:
    """A family name that opens a line before a colon, as a transcript writes its speakers (「松本:港区の…」, round 41):
    no field label (「日時:」「場所:」 are no family names) and no prefecture (「松本」 is a city and a family name)."""
    out = []
    for m in _SPEAKER.finditer(text):
        group = next(g for g in ("name", "marked", "asking") if m[g])
        name = m[group]
        if can_be_surname(name) and name not in lex.generic and name not in lex.not_names and name not in PREFECTURES:
            out.append((*m.span(group), "person", PERSON_MASK))
    return out


# (round 44: also a family name alone on its line after a minutes' speaker mark, 「◎古川」)
# (round 45: or before a space and a question's mark, 「宇野 ●教育現場に…」)
_SPEAKER = re.compile(r"(?:^|(?<=\n))\s?(?:(?P<name>[一-龥々]{1,4})[:：](?=[^\s:：0-9])"
                      r"|[◎○〇]\s?(?P<marked>[一-龥々]{1,4})[ \t\u3000]*(?=\n|$)"
                      r"|(?P<asking>[一-龥々]{1,4})[ \u3000]+(?=[●◆]))")


def _credited_names(text: str, lex: Lexicon) -> list[tuple]:
    """The family names in a bracket of credits, each after its field (「(文:小野田・写真:薄)」, round 40)."""
    out = []
    for credits in _CREDITS.finditer(text):
        for m in _CREDIT_NAME.finditer(text, credits.start(), credits.end()):
            if can_be_surname(m["name"]) and m["name"] not in lex.not_names:
                out.append((*m.span("name"), "person", PERSON_MASK))
    return out


_CREDITS = re.compile(r"[(（](?:(?:文|写真|撮影|取材|絵|イラスト)[:：]\s?[一-龥々ヶ]{1,4}[・、\s]?){1,3}[)）]")
_CREDIT_NAME = re.compile(r"[:：]\s?(?P<name>[一-龥々ヶ]{1,4})")


def _bylines(text: str, tokens, owner, lex: Lexicon) -> list[tuple]:
    """The writer's name in brackets after 筆者 / 記者 / 文: it must start with a family name (SudachiPy 人名);
    or alone in brackets on its own line, a family name of the dictionary (「(林)」)."""
    out = [(a, b, "person", PERSON_MASK) for a, b in end_bylines(text)]
    out += [(*m.span("name"), "person", PERSON_MASK) for m in _SIGNATURE.finditer(text)
           if m["name"] not in _NOT_A_SIGNATURE and m["name"] not in lex.not_names and can_be_surname(m["name"])
           and m["name"] not in PREFECTURES]
    out += [(*m.span("name"), "person", PERSON_MASK) for m in _LATIN_SIGNATURE.finditer(text)]
    out += [(*m.span("name"), "person", PERSON_MASK) for m in _BLOG_AUTHOR.finditer(text)]
    out += _credited_names(text, lex) + _speakers(text, lex)
    for m in _BYLINE.finditer(text):
        a, b = m.span("name")
        first = tokens[owner[a]]
        if first.begin == a and first.person and text[a:b] not in lex.not_names:
            out.append((a, b, "person", PERSON_MASK))
    return out


# Round 14: a family name before 市長 / 町長 / 村長 (「玉井町長と」), which SudachiPy may read as a town and its head
# (「玉井町|長」): only a municipality has a 町長, so when 「玉井町」 is none, 玉井 is the mayor's name.
_MAYOR = re.compile(r"(?<![一-龥々〆ヶ])(?P<name>[一-龥々〆ヶ]{1,3}?)(?P<unit>[市町村])長(?![一-龥々])")
_NOT_A_MAYORS_NAME = frozenset("新前元現同各全旧初次副当本両歴")
# 「山田知事」: a governor by family name (「鹿児島県知事」「大阪府知事」「東京都知事」 name the prefecture).
_GOVERNOR = re.compile(r"(?<![一-龥々〆ヶ])(?P<name>[一-龥々〆ヶ]{1,3}?)副?知事(?![一-龥々])")


def _mayors(text: str, lex: Lexicon) -> list[tuple]:
    out = []
    for m in _MAYOR.finditer(text):
        name = m["name"]
        if name[0] in _NOT_A_MAYORS_NAME or name + m["unit"] in lex.municipalities or name in lex.municipality_stems \
                or not can_be_surname(name):
            continue
        out.append((*m.span("name"), "person", PERSON_MASK))
    if "知事" in text:
        for m in _GOVERNOR.finditer(text):
            name = m["name"]
            if (name[0] in _NOT_A_MAYORS_NAME and len(name) == 1) or name[-1] in "県府都道" \
                    or name in PREFECTURES or not can_be_surname(name):  # (「新知事」, but 「新田知事」)
                continue
            out.append((*m.span("name"), "person", PERSON_MASK))
    return out


# Words that say a text is about sumo, where 関 after a name is the wrestlers' honorific (「熱海富士関」).
_SUMO = re.compile(r"相撲|力士|部屋|関取|横綱|大関|関脇|小結|前頭|幕内|十両")


def _wrestlers(text: str) -> list[tuple]:
    """A wrestler's ring name before 関 in a text about sumo: 「伊勢ケ濱部屋の熱海富士関」「照ノ富士関が」「力士・輝関」.
    SudachiPy cuts ring names anywhere (「豊乃|海関」「若|武蔵関」), so the name is the run of one to five characters
    before 関 that starts after a particle or a mark (one since round 63)."""
    if "関" not in text or not _SUMO.search(text):
        return []
    return [(*m.span("name"), "person", PERSON_MASK) for m in _RING_NAME.finditer(text)
            if not (m["name"] + "関").endswith(_WORDS_IN_SEKI)]


# 「の豊乃海関に」: after a particle, a mark or a line's start, a ring name (kanji, kana and ノ) and 関, then a particle.
_RING_NAME = re.compile(r"(?:^|(?<=[のはがとや、。・「『(（\s]))(?P<name>[一-龥々ァ-ヺぁ-ゖ]{1,5}?)関"
                        r"(?=[がはにのをともや、。」』)）(（]|$)", re.M)
# Words that end in 関 (a ring name is what stands before 関 and none of these).
_WORDS_IN_SEKI = ("玄関", "税関", "機関", "難関", "相関", "連関", "通関", "下関", "上関", "大関", "霞が関", "霞ヶ関", "霞ケ関",
                  "摂関")


def _pupils(text: str, tokens, owner) -> list[tuple]:
    """A pupil named before his school and grade in brackets (「佳作=宜保結奏(平真小4年)」, round 42): a family name of
    the dictionary, then one or two kanji of a given name SudachiPy reads as common words."""
    out = []
    for m in SCHOOL_GRADE.finditer(text):
        name = _KANJI_BEFORE.search(text, max(0, m.start() - 6), m.start())
        if name is None:
            continue
        first = tokens[owner[name.start()]]
        if first.begin == name.start() and first.pos[2:4] == ("人名", "姓") and 1 <= m.start() - first.end <= 2:
            out.append((name.start(), m.start(), "person", PERSON_MASK))
    return out


_KANJI_BEFORE = re.compile(r"(?<![一-龥々])[一-龥々]{2,5}$")


# Two initials, each with its dot, before an honorific (「U.K.さん」「U K.さん」): a stage name or a person's initials,
# never the one-letter mask 「Aさん」.
_INITIALS = re.compile(r"(?<![A-Za-z.])[A-Z]\.?\s?[A-Z]\.(?=さん|氏|様|君)")


# Round 85: a nickname in quotes, こと and the person it names (「「大道ポリス」こと戸井田警部補」「「はるちゃん」こと倉持
# 春希さん」, the name found within a few characters; round 93: read out, 「「リーゼント刑事(デカ)」こと」): the nickname
# names him as his name does. After 「…」こと a particle or a verb's phrase goes on (「「待つ」ことを」「「把握していない」ことが」).
_NICKNAME = re.compile(r"「(?P<name>[^「」、。\s()（）]{2,10})(?P<reading>[(（][ぁ-ゖァ-ヺー]{1,8}[)）])?」こと(?=[一-龥々ァ-ヺ])")


# The writer's own name in brackets after 私 or 筆者 (「私(長谷川)は支部の…」), family name or full name.
_WRITER_NAMED = re.compile(r"(?:(?<![一-龥々])私|わたし|筆者)[(（](?P<name>[一-龥々]{1,5}|[ァ-ヺー・]{2,12})[)）]")


# A performer's name glued after the trade and before さん (「モデル本谷紗己さん」「タレント仁心にこさん」), whatever
# SudachiPy makes of it (「仁心|に|こさ|ん」); a storyteller's also after の (「落語家の桂枝曾丸さん」, round 92).
_AFTER_STAGE_JOB = re.compile(r"(?:タレント|モデル|アイドル|アナウンサー|キャスター|芸人|歌手|俳優|女優|声優|ラジオDJ"
                              r"|(?:落語家|講談師|浪曲師|噺家)の?)"
                              r"(?![のとやがはをにでも])(?P<name>[一-龥々ぁ-ゖァ-ヺー]{2,8}?)(?=さん|氏)")
# Round 72: the trade, の and a stage name in katakana no dictionary knows as a word (「タレントのタージン、MCの…」).
_STAGE_JOB_OF = re.compile(r"(?:タレント|アイドル|アナウンサー|キャスター|芸人|歌手|俳優|女優|声優)の(?P<name>[ァ-ヺー]{3,10})"
                           r"(?=[、。,とがはも]|さん|氏)")


# What a school or its district is named after, never a name (「旭操学区」「開新高の生徒」, round 49).
_SCHOOL_OR_DISTRICT_AFTER = re.compile(r"(?:学区|校区|小学校|中学校|高校|[小中高](?=[のと、・や]))")


def _place_of_katakana_name(text: str, found: tuple, tokens, owner) -> bool:
    """Whether the titled name is one place-name token glued after katakana (「パトラン|山形|代表」, round 91): the group's
    name ends in its place, and its head is titled."""
    t = tokens[owner[found[0]]]
    return found[0] > 0 and "ァ" <= text[found[0] - 1] <= "ヺ" and (t.begin, t.end) == found[:2] and t.pos[2] == "地名"


def _find_names(text: str, tokens, owner, lex: Lexicon) -> list[tuple]:
    out = []
    for m in lex.title_re.finditer(text):
        found = titled_name(text, m, tokens, owner, lex)
        if found and not _place_of_katakana_name(text, found, tokens, owner):
            out.append((found[0], found[1], "person", PERSON_MASK))
    for k, a in enumerate(tokens):
        # A family name and a given name together need no title: 「山田太郎」, also 「山田 太郎」.
        if a.pos[2] != "人名" or a.pos[3] != "姓":
            continue
        j = k + 2 if k + 2 < len(tokens) and tokens[k + 1].pos[0] == "空白" and len(tokens[k + 1].surface) == 1 \
            else k + 1
        if j < len(tokens) and tokens[j].pos[2] == "人名" and tokens[j].pos[3] == "名" \
                and tokens[j - 1].end == tokens[j].begin and not inside_town(text, a.begin, tokens[j].end) \
                and not misread_full_name(text, tokens, k, j, lex) \
                and not (tokens[j].surface in _DIRECTIONS and not lex.title_re.match(text, tokens[j].end)) \
                and not _SCHOOL_OR_DISTRICT_AFTER.match(text, tokens[j].end):
            # (round 36: 「中ノ目|南」 before 旧飯豊分署 is a town's part, no given name 南 without a title after it)
            end = tokens[j].end
            # 「山田|翔|琉」「池宮|悠|仁」: the rest of a given name the dictionary does not know or cuts in two.
            while j + 1 < len(tokens) and tokens[j + 1].begin == end and (tokens[j + 1].oov or (
                    tokens[j + 1].person and tokens[j + 1].pos[3] == "名")) \
                    and len(tokens[j + 1].surface) == 1 and script_of(tokens[j + 1].surface) == "kanji" \
                    and not lex.title_re.match(text, tokens[j + 1].begin):  # 「杉山|聡|支店長」
                j += 1
                end = tokens[j].end
            out.append((a.begin, end, "person", PERSON_MASK))
    for k, t in enumerate(tokens):
        # The name a fraud caller gives: 「ヤマモトと名乗る男」「「タナカ」を名乗る」「上司の高橋です」.
        if text[t.end:t.end + 1] not in _CLAIM_STARTS or not _CLAIM_NAME_AFTER.match(text, t.end):
            if _employed_surname(text, tokens, k, lex) or _caller_from(text, tokens, k, lex):
                out.append((t.begin, t.end, "person", PERSON_MASK))  # 「担当のイシカワから連絡させる」
            continue
        if t.person and t.pos[3] in ("姓", "名") and t.surface not in lex.not_names:  # (round 80: 「みんなの見方です」)
            start = t.begin
            j = k - 1
            while j >= 0 and tokens[j].person and tokens[j].end == start:
                start = tokens[j].begin
                j -= 1
            out.append((start, t.end, "person", PERSON_MASK))
        elif k > 0 and (tokens[k - 1].surface == "の" or (tokens[k - 1].surface[-1] in _BRACKETS_OPEN
                                                          and _CLAIM_VERB_AFTER.match(text, t.end))) \
                and all(is_katakana(ch) for ch in t.surface) \
                and (t.oov or t.person or t.surface in lex.katakana_surnames) \
                and 2 <= len(t.surface) <= 8 and checked_name(text, t.begin, t.end, lex) \
                and not lex.chain_re.fullmatch(t.surface):
            # 「市役所保険課のヤマモトと名乗る」「【警視庁のモトハシ】を名乗る」「「タナカ」を名乗る」:
            # a katakana name after whom it works for, or alone in brackets.
            out.append((t.begin, t.end, "person", PERSON_MASK))
        elif t.surface in lex.katakana_surnames and checked_name(text, t.begin, t.end, lex) \
                and not (k > 0 and tokens[k - 1].end == t.begin and is_katakana(text[t.begin - 1])):
            out.append((t.begin, t.end, "person", PERSON_MASK))  # 「サトウと名乗る男」: a family name, claimed
    return out


# Who a caller says employs him, right before 「の」 and his name: 「保険課の」「担当の」「銀行の」.
_EMPLOYER = re.compile(r"(?:課|係|室|班|部|局|署|センター|協会|銀行|信金|金庫|会社|事務所|役所|役場|担当|担当者|上司|職員"
                       r"|社員|行員|局員|弁護士|部長|課長|係長|支店|本店|本社|機構|組合|病院|百貨店)[」』】]?$")


# Round 20: what a caller said or did, after his alias and から (「クロカワから「…」などと言われた」「サトウから電話があり」).
_FROM_CALLER = re.compile(r"から\s?(?:[「『]|電話|連絡|指示|メール|着信|言われ)")


def _caller_from(text: str, tokens, k: int, lex: Lexicon) -> bool:
    """Whether token ``k`` is a family name in katakana, a whole word, before から and what a caller said or did."""
    t = tokens[k]
    return t.surface in lex.katakana_surnames and _FROM_CALLER.match(text, t.end) is not None \
        and not (t.begin > 0 and is_katakana(text[t.begin - 1])) and checked_name(text, t.begin, t.end, lex) is not None


def _employed_surname(text: str, tokens, k: int, lex: Lexicon) -> bool:
    """Whether token ``k`` is a family name in katakana after its employer and 「の」 (「保険課のサトウ」),
    a whole word (not the start of 「サトウキビ」)."""
    t = tokens[k]
    if k < 2 or tokens[k - 1].surface != "の" or tokens[k - 1].end != t.begin or t.surface not in lex.katakana_surnames:
        return False
    if t.end < len(text) and is_katakana(text[t.end]):
        return False
    return bool(_EMPLOYER.search(text, max(0, tokens[k - 1].begin - 12), tokens[k - 1].begin))


_DIRECTIONS = frozenset("東西南北")
# Digits read out in katakana (a hotline's number as a slogan).
_NUMBER_WORDS = frozenset(("ゼロ", "レイ", "マル", "イチ", "ニー", "サン", "ヨン", "ゴー", "ロク", "ナナ", "ハチ", "キュウ",
                           "キュー", "ジュウ"))


def _foreign_names(text: str, tokens, lex: Lexicon) -> list[tuple]:
    """「マリア・サントス」「ジョン スミス」: two katakana names joined by ・, = or one space."""
    out = []
    for k in range(1, len(tokens) - 1):
        mid = tokens[k]
        if mid.surface not in ("・", "･", "=", " ", "\u3000"):
            continue
        a, b = tokens[k - 1], tokens[k + 1]
        if a.end != mid.begin or b.begin != mid.end:
            continue
        pair = (a, b)
        if not all(len(t.surface) >= 2 and all(is_katakana(ch) for ch in t.surface) for t in pair):
            continue
        if not any(t.person for t in pair) or any(t.pos[1] == "普通名詞" and not t.oov for t in pair):
            continue
        if lex.chain_re.fullmatch(text[a.begin:b.end]) or any(t.surface in lex.not_names for t in pair):
            continue
        if any(t.surface in _NUMBER_WORDS for t in pair):
            continue  # 「ゼロ・ゴー・ナナ・ゼロ」: a number read out, digit by digit (round 32)
        if out and out[-1][1] == a.end:
            out[-1] = (out[-1][0], b.end, "person", PERSON_MASK)  # 「モハマディ・ジョザニー・アリー・アクバル」: one name
        else:
            out.append((_earlier_parts(text, tokens, k - 1), b.end, "person", PERSON_MASK))
    return out


def _earlier_parts(text: str, tokens, k: int) -> int:
    """Where a foreign name whose part ``tokens[k]`` is starts: earlier katakana parts joined by ・ that
    SudachiPy does not know go on it (「カリミ・ソルタニー・|ハサン・ラフマン」)."""
    start = tokens[k].begin
    while k >= 2 and tokens[k - 1].surface in ("・", "･") and tokens[k - 1].begin == tokens[k - 2].end \
            and tokens[k - 1].end == tokens[k].begin and len(tokens[k - 2].surface) >= 2 \
            and all(is_katakana(ch) for ch in tokens[k - 2].surface) and (tokens[k - 2].oov or tokens[k - 2].person):
        k -= 2
        start = tokens[k].begin
    return start
