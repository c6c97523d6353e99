"""Names the press writes with their reading, in hiragana, or as a byline.

- **A reading in brackets** right after a name (「池田百之亮(いけだ もものすけ)さん(31)」
  「千旦晶美(せんだ・あきみ)さん」) spells the name out: the finding takes it in, and the
  title and exact age after it are read from its end. A kanji run before a reading of two
  parts (family, given) is a name even where the dictionary does not know it, and so is a
  name whose family name is read in the middle (「加久(かく)翔人容疑者」「天輝(あまき)レオさん」) and one whose
  given name alone is read right before its title (「無職中尾懐聖(かいせい)容疑者」「長男の無職、学(まなぶ)容疑者」,
  round 57).
- **A name in hiragana** of two parts joined by ・ or a space, right before an age in
  brackets or a title (「おく・みつまさ (32)」「たなか ひろし容疑者」).
- **Bylines and credits**: the name after 文・ / 写真・ / 取材・文: (「(文・山田うた子)」「文/田中うた乃」), a name
  before 記者 in brackets (「(本田記者)」), and every name of a list in 【】 or () whose
  items are all names (「【塚本紘平、田中理知】」: one item a known name, the others names
  by their shape; in a byline's 【】 also a full name the dictionary lacks, 「【尾形有菜、田畠広景】」).

A reading right after a name, of one part or two, is in the end a finding of its own, next to the name
(``split_readings``: 「齋孝一」 and 「(さい・こういち)」, 「岡平」 and 「(みのる)」, whose suggestion is empty, so the
fix reads 「〇〇容疑者」). A reading between a family name and a given name in kanji or kana (「加久(かく)翔人」
「天輝(あまき)レオ」) makes three findings, a reading after each of them four (「五十嵐(いがらし)清江(きよえ)」); a katakana
word of a role in brackets (「(タレント)」) is no reading. Labellers differ here (the sets of rounds 8 and 9 mark the
reading apart, older ones name and reading as one span): two findings keep the recall under both, at the price of one
extra finding under the second.
A kanji run before a reading of one word and a title (「続山清継(つづきやまきよつぐ)さん」) is a name too.

``with_readings`` extends the names already found; ``find_read_names`` returns the names the
shapes above give, as candidates ``(start, end, "person", suggestion)`` on the folded text.
"""

from __future__ import annotations

import re

from anshin_lab.privacy.lint.findings import PERSON_MASK
from anshin_lab.privacy.lint.inline_readings import find_inline_readings
from anshin_lab.privacy.lint.lexicon import Lexicon, load_lexicon
from anshin_lab.privacy.lint.municipalities import is_municipality_name
from anshin_lab.privacy.lint.name_runs import after_occupation, occupations
from anshin_lab.privacy.lint.tokens import can_be_given, can_be_surname, kana_of, script_of, tokenize
from anshin_lab.privacy.lint.transit import PREFECTURES

__all__ = ["find_read_names", "in_place_reading", "split_readings", "with_equals_readings", "with_glued_readings",
           "with_readings"]

_KANA = "ぁ-ゖァ-ヺー"
# A reading in brackets: one or two kana words, joined by a space, ・ or none.
# 「天野(あまの・)芳士(よしひと)さん」: the family name's part alone, with the ・ the given name's part would follow.
# (round 127: with the age after a comma, 「秋山 斗吾(あきやま とうご、5歳)」: the reading and the age are one finding)
_AGE_IN_READING = r"(?:[、,]\s?[0-9０-９]{1,3}\s?[歳才])?"
_READING = re.compile(rf"\s?[(（]\s?[{_KANA}]{{1,10}}(?:[\s・･=][{_KANA}]{{1,10}}|[・･])?{_AGE_IN_READING}\s?[)）]")
_KANJI_TO_READING = re.compile(r"([一-龥々]{1,2})[(（](?P<kana>[ぁ-ゖ]{2,14})[)）]")
# A two-part reading (family, given): the shape of a name.
_FULL_READING = re.compile(rf"[(（]\s?[{_KANA}]{{1,10}}[\s・･][{_KANA}]{{1,10}}{_AGE_IN_READING}\s?[)）]")
# A reading of one word in hiragana before a title or an age: 「続山清継(つづきやまきよつぐ)さん(72)」.
_WORD_READING = re.compile(r"[(（]\s?(?P<kana>[ぁ-ゖ]{3,14})\s?[)）]"
                           r"(?=\s?(?:さん|氏|容疑者|被告|被疑者|受刑者|[(（]\s?(?:当時)?\s?[0-9]{1,3}))")
# A reading of one word in hiragana anywhere; ``_title_follows`` says whether a job title comes after it.
_ANY_WORD_READING = re.compile(r"[(（]\s?(?P<kana>[ぁ-ゖ]{2,14})\s?[)）]")
# A unit of kanji before a title: 「刑事企画|課長」「生活安全|部長」.
_UNIT_RUN = re.compile(r"[一-鿿々ヶ]{0,8}")


def _given_before_job(text: str, at: int, end: int, lex: Lexicon) -> int | None:
    """Where a given name of one to three kanji at ``at`` ends when a job title follows it right away (「章二|署長」);
    the dictionary must know it as a given name (「大谷(おおたに)分会長」 is a branch's head)."""
    for n in (1, 2, 3):
        m = lex.title_re.match(text, at + n, end)
        if m and lex.titles.get(m.group()) == "job" and not lex.title_re.search(text, at, at + n) \
                and can_be_given(text[at:at + n]):
            return at + n
    return None


def _title_follows(text: str, at: int, lex: Lexicon) -> bool:
    """Whether a job title follows ``at``, right away or after a unit of kanji (「(みのる)刑事企画課長」)."""
    run = _UNIT_RUN.match(text, at)
    for end in range(run.end(), at, -1):
        m = lex.title_re.search(text, at, end)
        if m and m.end() == end and m.group() in lex.titles and lex.titles[m.group()] == "job":
            return True
    return False


_KANJI_RUN = re.compile(r"[一-鿿々〆ヶ]{2,6}$")
# 「加久(かく)翔人」: a family name, its reading, a given name, then a title.
_MID_READING = re.compile(rf"([一-鿿々ヶ]{{1,4}})[(（]([{_KANA}]{{1,8}})[)）]([一-鿿々ヶ]{{1,4}}?)"
                          r"(?=\s?(?:さん|氏|容疑者|被告|被疑者|受刑者|[(（]\s?[0-9]{1,3}))")
# Honorifics in kana, which follow a reading and are no given name (「黒川桃衣(もえ)さん(20)」).
_KANA_TITLES = "さん|ちゃん|くん|さま|どの"
# Round 55: the same with a given name in kana, as stage names are written (「天輝(あまき)レオさん」「唯城(ゆしろ)ありすさん」).
_MID_READING_KANA = re.compile(rf"([一-鿿々ヶ]{{1,4}})[(（]([ぁ-ゖ]{{1,8}})[)）](?!{_KANA_TITLES})([ぁ-ゖ]{{2,5}}?|[ァ-ヺー]{{2,6}}?)"
                               r"(?=\s?(?:さん|氏|選手|容疑者|被告|[(（]\s?[0-9]{1,3}))")
# The state's decorations, which the press reads out like names (「瑞宝双光章(ずいほう・そうこうしょう)」).
_DECORATION = re.compile(r"(?:瑞宝|旭日|宝冠|文化勲|[紫藍黄紺緑紅]綬)[一-鿿]{0,4}章$")
# A person's title after a reading, and the kanji run the reading follows (round 57).
_NAME_TITLES = ("proper", "strong", "person")
_RUN_BEFORE = re.compile(r"[一-鿿々〆ヶ]{1,6}$")
# 「荒薦(あらこも)章二署長」 (round 23): the same before a job title (the lexicon's), read in code.
_MID_READING_RUN = re.compile(rf"([一-鿿々ヶ]{{1,4}})[(（]([{_KANA}]{{1,8}})[)）](?P<rest>[一-鿿々ヶ]{{3,10}})")
# 「おく・みつまさ (32)」「たなか ひろし容疑者」: a name in hiragana, two parts, before an age or a title.
# (round 91: an age, not a date in brackets: 「…につ いて(6月6日)」)
_HIRAGANA_NAME = re.compile(r"(?<![ぁ-ゖ])([ぁ-ゖ]{2,6}[・･ ][ぁ-ゖ]{2,6})"
                            r"(?=\s?(?:[(（]\s?(?:当時)?\s?[0-9]{1,3}(?![0-9月年日時/／.:：])|容疑者|被告|被疑者|受刑者|さん|氏))")
# A credit: 「(文・山田うた子)」「(写真=中村)」「【取材・佐藤】」.
# (round 96: also a blog entry's date and its writer, 「(7月9日=竹下)」)
_CREDIT = re.compile(r"(?:^|(?<=[(（【\n。 ]))(?:(?:文|写真|撮影|取材|構成|編集|聞き手|筆者|執筆|ライター)\s?[・･/／=:：]\s?"
                     r"|[0-9]{1,2}月[0-9]{1,2}日[=＝])+"
                     r"([^()（）【】、,\s/／:：・]{2,8}|(?![左右中上下前後奥])[一-鿿](?=[)）]))(?=\s?[)）】]|\s*$|\n)")  # (round 62: 「(撮影・林)」)
# Where one stands in a photo, after 写真・ (「(写真・中央)」), no writer (round 62).
_POSITIONS = {"中央", "左端", "右端", "手前", "中央左", "中央右", "前列", "後列"}
# 「(本田記者)」「【佐藤記者】」: a name before 記者 in brackets.
# A desk of a newspaper or an office, never a writer's name: 「社会部」「報道局」「編集課」.
_OFFICE_END = re.compile(r"[部課局社室班係]長?$")  # (round 50: 「(滑川支局長・小幡雄也)」)
_REPORTER = re.compile(r"[(（【]\s?([一-鿿々ヶ]{1,6})\s?(?:記者|カメラマン|通信員)\s?[)）】]")
# Round 98: a writer's signature, the date and 記 after the name (「【…地区担当/南、2022年1月19日 記】」).
_DATED_SIGNATURE = re.compile(r"(?:^|(?<=[/／【(（\s]))([一-鿿々ヶ]{1,5})[、,]\s?(?:[0-9]{4}年)?[0-9]{1,2}月[0-9]{1,2}日\s?記"
                              r"(?=\s?[)）】]|\s*$)")
# A byline alone in brackets after a sentence or on its own line: 「…と話した。(大西英正)」.
# Two kanji only when they are one family name (「(西村)」, not 「(写真)」「(東京)」); never a paper's edition (「(会津版)」,
# round 42).
_BYLINE = re.compile(r"(?:^|(?<=[。\n」]))\s*[(（【]([一-鿿々ヶ]{2,5})[)）】]\s*"
                     r"(?=$|\n|[(（][0-9]{4}[.．/][0-9.．/]{1,6}[)）]\s*(?:$|\n))")  # (round 113: 「(治徳貴子) (2006.11.7)」)
# A bracketed list of names: 【A、B】 (A、B).
_NAME_LIST = re.compile(r"[(（【]([^()（）【】。]{4,40}?)[)）】]")
_ITEM = re.compile(r"[一-鿿々ヶ][一-鿿々ヶぁ-ゖ]{1,5}")


def with_readings(text: str, names: list[tuple]) -> list[tuple]:
    """The names of ``names`` with the reading in brackets right after each taken in."""
    out = []
    for c in names:
        m = _READING.match(text, c[1])
        if m is None and c[3] == PERSON_MASK:
            m = _cut_short_before_reading(text, c)
        out.append((c[0], m.end(), *c[2:]) if m and c[3] == PERSON_MASK and not _role_word(m.group()) else c)
    return out


def _town_in_brackets(bracket: str) -> bool:
    """Whether the hiragana in brackets after a name are a town's name written so (「阪東加代子(かつらぎ)」 of かつらぎ町,
    「(みなべ)」: where an award's winner lives, round 127), not the name's reading."""
    return is_municipality_name(bracket.strip(" ()（）"), load_lexicon())


# Round 85: a reading in hiragana glued to a full name in kanji before its title, with no bracket, as a town's
# newsletter prints it (「知念信恒のぶつね会長」「伊禮幸子さちこ会長」); not a particle or a word that starts with one
# (「山田太郎らの会長」).
_GLUED_READING = re.compile(r"(?![らやとがはをにでへ])[ぁ-ゖ]{2,8}")
_KANJI_PREFIX = re.compile(r"[一-鿿々〆ヶ]{1,6}")
_PLACE_HEAD_STARTS = ("市", "町", "村", "区", "県", "都", "府", "道", "署", "知事")  # the kana before: a town


def with_glued_readings(text: str, names: list[tuple], lex: Lexicon) -> list[tuple]:
    """``names`` with the glued reading after each full name that a title follows as a finding of its own, as
    ``split_readings`` makes a bracketed one (its suggestion empty: the fix reads 「〇〇会長」); a name found with its
    reading (「伊禮幸子さちこ」, read as a family name and a kana given name) is cut in two."""
    out = []
    inline = find_inline_readings(text)
    inline = {(a[0], b[1]): [a, b] for a, b in zip(inline[::2], inline[1::2])}
    for c in names:
        if c[2] == "person" and (c[0], c[1]) in inline:
            out += inline[c[0], c[1]]  # 「加藤ななかとうななさん」, found whole: the name and its reading (round 123)
            continue
        kanji = _KANJI_PREFIX.match(text, c[0], c[1]) if c[2] == "person" and c[3] == PERSON_MASK else None
        end = kanji.end() if kanji is not None and kanji.end() - c[0] >= 3 else None
        run = _GLUED_READING.match(text, end) if end is not None and not lex.title_re.match(text, end) else None
        title = lex.title_re.match(text, run.end()) if run is not None and run.end() >= c[1] else None
        # 「末安伸之みやき町長」「清水勇人さいたま市長」: a town's head; the full name is tokenized last, for the few names a
        # kana run and a title follow
        if title is None or lex.titles[title.group()] not in ("job", "proper", "person") \
                or title.group().startswith(_PLACE_HEAD_STARTS) or not _full_kanji_name(kanji.group()):
            out.append(c)
            continue
        if run.group() == "こと":
            out.append((c[0], end, "person", PERSON_MASK))  # 「荒木優大こと方優大容疑者」: an alias, 方 read as a title
            continue  # (round 98)
        out += [(c[0], end, "person", PERSON_MASK), (end, run.end(), "person", "")]
    return out


def _full_kanji_name(name: str) -> bool:
    """Whether ``name`` is a full name in kanji: four kanji or more, or three SudachiPy reads as a family and a given
    name (「森花子」; not 「佐々木」, before a given name in kana, 「佐々木まりこ」)."""
    return len(name) >= 4 or (len(name) == 3 and [t.pos[2:4] for t in tokenize(name)] == [("人名", "姓"), ("人名", "名")])


def _cut_short_before_reading(text: str, c: tuple) -> re.Match | None:
    """The reading after one or two more kanji of a name a title cut short (「廣瀬佐|代理(ひろせさより)マネージャー」:
    代理 read as a title), when its hiragana are at least as many as the kanji they then read (round 44)."""
    rest = _KANJI_TO_READING.match(text, c[1])
    if rest is None or len(rest["kana"]) < rest.end(1) - c[0]:
        return None
    return _READING.match(text, rest.end(1))


def _role_word(bracket: str) -> bool:
    """Whether the katakana in brackets after a name are one word of its role, not its reading (「(タレント)」)."""
    inner = bracket.strip(" ()（）")
    if not all(kana_of(ch) == "katakana" for ch in inner):
        return False  # 「(はじめ)」 reads 田中元: hiragana is a reading
    piece = tokenize(inner)
    return len(piece) == 1 and piece[0].pos[1] == "普通名詞" and not piece[0].oov



def _title_ending_at(text: str, at: int, lex: Lexicon) -> int | None:
    """Where a title of ``person_titles.csv`` that ends at ``at`` starts (the longest), after a kanji."""
    for n in range(min(6, at - 1), 0, -1):
        if text[at - n:at] in lex.titles and script_of(text[at - n - 1]) == "kanji":
            return at - n
    return None


def _read_name_start(text: str, reading_at: int, lex) -> int | None:
    """Where the name a reading at ``reading_at`` spells begins: the kanji run right before it, read as a name."""
    run = _KANJI_RUN.search(text, max(0, reading_at - 6), reading_at)
    if run is None or _DECORATION.search(text, max(0, reading_at - 8), reading_at):
        return None  # 「瑞宝双光章(ずいほう・そうこうしょう)」: a decoration read out, no one (round 58)
    a = _past_roles(text, run.start(), reading_at, lex)
    start = _name_start(text, a, reading_at)
    return start if start is not None else _bare_name_start(text, a, reading_at, lex)


def _past_roles(text: str, a: int, b: int, lex: Lexicon) -> int:
    """Where the kanji run text[a:b] goes on after the last title or occupation in it (「店長|増山一成」
    「副店長|篠原美幸」): the name starts no earlier (長 is a family name too, 「会社員|長利雄」)."""
    roles = set(occupations()) | set(lex.titles) | set(lex.titles_before)
    best = a
    for q in range(a + 2, b):
        if any(text[x:q] in roles for x in range(a, q - 1)):
            best = q
    return best

def find_read_names(text: str, found: list[tuple], lex: Lexicon) -> list[tuple]:
    """The names written with a reading, in hiragana or as a credit (see the module); ``found`` are the
    persons already found (a list in brackets needs one of them, or a family name, to be a list of names)."""
    out = []
    for m in _FULL_READING.finditer(text):
        title = _title_ending_at(text, m.start(), lex)
        if title is not None:  # 「山田太郎容疑者(やまだ・たろう)」: the reading after the title; the name before it (round 61)
            start = _read_name_start(text, title, lex)
            if start is not None:
                out += [(start, title, "person", PERSON_MASK), (*m.span(), "person", "")]
            continue
        start = _read_name_start(text, m.start(), lex)
        if start is not None:
            out.append((start, m.end(), "person", PERSON_MASK))
    for m in _WORD_READING.finditer(text):
        start = _read_name_start(text, m.start(), lex)
        if start is not None and len(m["kana"]) > m.start() - start:
            out.append((start, m.end(), "person", PERSON_MASK))  # more kana than kanji: the whole name read
    for m in _ANY_WORD_READING.finditer(text):
        if _WORD_READING.match(text, m.start()) or not _title_follows(text, m.end(), lex):
            continue
        run = _KANJI_RUN.search(text, max(0, m.start() - 6), m.start())
        start = None if run is None else _name_start(text, _past_roles(text, run.start(), m.start(), lex), m.start())
        if start is not None and len(m["kana"]) > m.start() - start:
            out.append((start, m.end(), "person", PERSON_MASK))  # 「岡平(みのる)刑事企画課長」: a family name first
    for m in _MID_READING.finditer(text):
        if lex.title_re.search(m.group(3)):
            continue  # 「田中元(はじめ)容疑者(51)」: the title after the reading, not a given name
        start = _read_family_start(text, m, lex)
        if start is not None:
            out.append((start, m.end(), "person", PERSON_MASK))
    for m in _MID_READING_KANA.finditer(text):
        start = _read_family_start(text, m, lex)
        if start is not None:
            out.append((start, m.end(), "person", PERSON_MASK))
    for m in _ANY_WORD_READING.finditer(text):
        title = lex.title_re.match(text, m.end())
        if title is None or lex.titles.get(title.group()) not in _NAME_TITLES:
            continue
        run = _RUN_BEFORE.search(text, max(0, m.start() - 6), m.start())
        start = None if run is None else _past_roles(text, run.start(), m.start(), lex)
        if start is None or _is_place(text[start:m.start()], lex):
            continue
        family = _name_start(text, start, m.start())
        if family is not None or _bare_given(text, start, m.start(), lex):
            # 「無職中尾懐聖(かいせい)容疑者」「無職、学(まなぶ)容疑者」: the given name read between the name and its title
            out.append((start if family is None else family, m.end(), "person", PERSON_MASK))
    for m in _MID_READING_RUN.finditer(text):
        given = _given_before_job(text, m.start("rest"), m.end("rest"), lex)
        if given is None:
            continue
        start = _name_start(text, m.start(), m.end(1))
        if start is None and len(m.group(1)) >= 2 and m.group(1) not in lex.generic \
                and (m.start() == 0 or script_of(text[m.start() - 1]) != "kanji"):
            start = m.start()  # 「荒薦(あらこも)章二署長」: a family name the dictionary lacks, read out, a given name
        if start is not None:
            out.append((start, given, "person", PERSON_MASK))
    for m in _HIRAGANA_NAME.finditer(text):
        parts = re.split(r"[・･ ]", m.group(1))
        if not all(_plain_word(part) for part in parts) and not any(p.startswith(_KIN_WORDS) for p in parts):
            # (round 72: 「地域のおじさん・おばさん」, kin words of the neighbourhood)
            out.append((*m.span(1), "person", PERSON_MASK))
    for pattern in (_CREDIT, _REPORTER, _DATED_SIGNATURE):
        for m in pattern.finditer(text):
            name = m.group(1)
            if name not in lex.not_names and name not in lex.generic and not _masked(name) and not _place_word(name) \
                    and name not in _POSITIONS and (pattern is not _DATED_SIGNATURE or can_be_surname(name)) \
                    and not _OFFICE_END.search(name):  # 「(社会部記者)」: the desk, not the writer
                out.append((*m.span(1), "person", PERSON_MASK))
    for m in _BYLINE.finditer(text):
        piece = tokenize(m.group(1))
        name = m.group(1)
        if len(name) == 2 and not (len(piece) == 1 and piece[0].pos[2:4] == ("人名", "姓")):
            continue
        if piece and (piece[0].pos[3] == "姓" or can_be_surname(name[:2]) or can_be_surname(name[:3])
                      or _word_then_given(piece)) \
                and name not in lex.not_names and name not in lex.generic and not _place_word(name) \
                and not name.endswith("版") \
                and not any(t.pos[1] == "普通名詞" and len(t.surface) >= 2 and t.begin > 0 for t in piece):
            out.append((*m.span(1), "person", PERSON_MASK))
    for m in _MID_SPLIT.finditer(text):
        # 「東山(ひがしやま)誠支店長」: family name, reading, a given name of one or two kanji, then a job title
        for n in (1, 2):
            title = lex.title_re.match(text, m.start(3) + n)
            if n <= len(m[3]) and title and lex.titles[title.group()] == "job" \
                    and can_be_surname(m[1]) and m[3][0] not in _UNIT_LEADS \
                    and not (n == 2 and _plain_noun(m[3][:2])):  # 「大泉(まもる)地域課長」: 地域 is the unit
                out.append((m.start(), m.start(3) + n, "person", PERSON_MASK))
                break
    for m in _PEN_NAME.finditer(text):
        name = m["name"]
        if not name.startswith(_KIN_STARTS) and not _plain_word(name):
            out.append((*m.span("name"), "person", PERSON_MASK))
    out += find_inline_readings(text)  # 「安里優雅あさとゆうがくん」 (round 123)
    out += _listed_names(text, found + out, lex)
    return out


# 「大谷(おおたに)分会長」: the lead of a unit's title, no given name (分会長, 支部長, 本部長, 副会長).
_UNIT_LEADS = set("分支本副総次")
# Round 12: 「漫画家そのだつくしさん」「イラストレーターはやしみおさん」: a pen name in hiragana, glued after the artist's
# occupation and before さん or 氏.
_PEN_NAME = re.compile(r"(?:[一-鿿]{0,3}(?:画家|作家|漫画家|絵本作家|写真家|書家|俳人|歌人|落語家|芸人|歌手|俳優)"
                       r"|イラストレーター|タレント|アーティスト|デザイナー|クリエーター|クリエイター|ユーチューバー)"
                       r"(?P<name>[ぁ-ゖー]{3,10})(?=さん|氏)")
# 「画家おじさん」「歌手のみなさん」: words of kin and of people, no pen name.
_KIN_WORDS = ("おじ", "おば", "おにい", "おねえ", "おとう", "おかあ")  # (おじさん, おばさん…: kin, no name)
_KIN_STARTS = _KIN_WORDS + ("みな", "あか", "の")


def _plain_noun(word: str) -> bool:
    """Whether ``word`` is one common noun SudachiPy knows (「地域」), no given name."""
    piece = tokenize(word)
    return len(piece) == 1 and piece[0].pos[1] == "普通名詞" and not piece[0].oov and not piece[0].person


def _word_then_given(piece) -> bool:
    """「【山盛|均】」: a word of two or three kanji the dictionary does not know as a family name, then a given name
    it knows (人名,名): a byline alone in brackets."""
    return len(piece) == 2 and piece[1].person and piece[1].pos[3] == "名" and 2 <= len(piece[0].surface) <= 3 \
        and all(script_of(ch) == "kanji" for ch in piece[0].surface) and piece[0].pos[2] != "地名"


def _read_family_start(text: str, m: re.Match, lex: Lexicon) -> int | None:
    """Where the name of a ``_MID_READING`` match starts: at its family name, also one the dictionary lacks
    (「唯城(ゆしろ)ありすさん」「上国料(かみこくりょう)学容疑者」) or of one kanji before a known given name (「麓(ふもと)美樹さん」)
    (round 57)."""
    start = _name_start(text, m.start(), m.end(1))
    if start is None and (m.start() == 0 or script_of(text[m.start() - 1]) != "kanji") and m[1] not in lex.generic \
            and (len(m[1]) >= 2 or can_be_surname(m[1]) or can_be_given(m[3])):
        start = m.start()
    return start


def _bare_given(text: str, start: int, end: int, lex: Lexicon) -> bool:
    """Whether text[start:end], read out in brackets before a person's title, can be a given name alone: one to four
    kanji that start a word and are no word of ``not_names``, ``generic`` or a place (「学(まなぶ)容疑者」)."""
    name = text[start:end]
    return 1 <= len(name) <= 4 and (start == 0 or script_of(text[start - 1]) != "kanji" or _past_roles(
        text, max(0, start - 4), end, lex) == start) and name not in lex.not_names and name not in lex.generic \
        and not _place_word(name) and not _is_place(name, lex)


def _name_start(text: str, run_start: int, end: int) -> int | None:
    """Where the name in the kanji run text[run_start:end] starts: at the first family name of the run
    (「とび職池田百之亮」: 池田), or None when the run holds none."""
    for p in range(run_start, end - 1):
        piece = tokenize(text[p:end])
        if piece and piece[0].pos[2] == "人名" and piece[0].pos[3] == "姓":
            return p
        if can_be_surname(text[p:p + 2]) or can_be_surname(text[p:p + 3]):
            return p
    return None


def _bare_name_start(text: str, run_start: int, end: int, lex: Lexicon) -> int | None:
    """Where a name the dictionary does not know starts before a reading of two parts (「会社員・齋孝一(さい・
    こういち)」): the whole kanji run when it starts a word, or the part after an occupation glued before it."""
    if run_start > 0 and script_of(text[run_start - 1]) == "kanji":
        return None  # the run goes on beyond what was read: no sure start
    start = after_occupation(text, run_start, end)
    if start is None or not 2 <= end - start <= 5:
        return None
    name = text[start:end]
    if name in lex.not_names or name in lex.generic or _place_word(name):
        return None
    return start


# Round 94: a reading between equals signs after a name, as papers print it (「松下一人士=ひとし=隊長」「瀧栞愛=かんな=さん」).
_EQUALS_READING = re.compile(r"[=＝][ぁ-ゖ]{2,10}[=＝]")
_REST_OF_NAME = re.compile(r"[一-鿿々ヶ]{0,2}")
_AFTER_EQUALS_READING = re.compile(r"さん|君|くん|ちゃん|氏|容疑者|被告")


def with_equals_readings(text: str, names: list[tuple], lex: Lexicon) -> list[tuple]:
    """``names`` with each reading between equals signs after a name as a finding of its own (its suggestion empty:
    the fix reads 「〇〇隊長」); a name found short of the reading (「瀧栞|愛」) reaches it, and a kanji run read as a
    name before a reading that a title or さん follows is a name (「松下一人士=ひとし=隊長」)."""
    out = list(names)
    for m in _EQUALS_READING.finditer(text):
        if any(c[0] <= m.start() < c[1] for c in out):
            continue
        near = [n for n, c in enumerate(out) if c[2] == "person" and c[3] == PERSON_MASK and c[0] < m.start()
                and _REST_OF_NAME.fullmatch(text, c[1], m.start())]
        if near:
            out[near[0]] = (out[near[0]][0], m.start(), *out[near[0]][2:])
        elif _AFTER_EQUALS_READING.match(text, m.end()) or _title_follows(text, m.end(), lex):
            start = _read_name_start(text, m.start(), lex)
            if start is None:
                continue
            out.append((start, m.start(), "person", PERSON_MASK))
        else:
            continue
        out.append((*m.span(), "person", ""))
        given = _given_after_reading(text, m.end(), lex)
        if given is not None:
            out.append((m.end(), given, "person", PERSON_MASK))
    return out


def _given_after_reading(text: str, at: int, lex: Lexicon) -> int | None:
    """Where a given name of one to three kanji ends that stands between a family name's reading and a title
    (「圓谷=つむらや=庄二署長」, round 102), or None: the title itself (「=ひとし=隊長」) is none."""
    if lex.title_re.match(text, at):
        return None
    for n in (1, 2, 3):
        part = text[at:at + n]
        if len(part) == n and all(script_of(ch) == "kanji" for ch in part) and can_be_given(part) \
                and (lex.title_re.match(text, at + n) or _AFTER_EQUALS_READING.match(text, at + n)):
            return at + n
    return None


def split_readings(text: str, names: list[tuple]) -> list[tuple]:
    """Each name of ``names`` that ends with its reading in brackets (「齋孝一(さい・こういち)」「増山一成(ますやま
    かずなり)」「岡平(みのる)」) as two findings: the name (「〇〇」) and the reading, which spells the name out too
    and goes away. The labellers of the latest sets mark the two apart, whatever the reading's parts; a reading
    between a family and a given name is three (「都司(つじ)絵里」), a reading after each of them four (「五十嵐(いがらし)
    清江(きよえ)」), and a name read piece by piece otherwise (「蘆(ろ)花(か)」) stays whole."""
    out = []
    for c in names:
        both = _BOTH_READ.fullmatch(text, c[0], c[1]) if c[2] == "person" and c[3] == PERSON_MASK else None
        if both is not None:
            # Round 57: 「五十嵐(いがらし)清江(きよえ)」: each part and its reading, four findings as labelled now
            out += [(*both.span(n), "person", PERSON_MASK if n in (1, 3) else "") for n in (1, 2, 3, 4)]
            continue
        mid = _MID_SPLIT.fullmatch(text, c[0], c[1]) if c[2] == "person" and c[3] == PERSON_MASK else None
        if mid is not None:
            # Round 12: 「都司(つじ)絵里」: family name, its reading and the given name, three findings as labelled now
            out += [(c[0], mid.end(1), "person", PERSON_MASK), (mid.end(1), mid.start(3), "person", ""),
                    (mid.start(3), c[1], "person", PERSON_MASK)]
            continue
        if c[2] == "person" and c[3] == PERSON_MASK and text[c[1] - 1:c[1]] in ")）":
            m = _READING_AT_END.search(text, c[0], c[1])
            if m and any(ch in "()（）" for ch in text[c[0]:m.start()]):
                m = None  # 「蘆(ろ)花(か)」: a name read piece by piece keeps its readings
            if m and m.end() == c[1] and m.start() > c[0]:
                out += [(c[0], m.start(), "person", PERSON_MASK)]
                out += [] if _town_in_brackets(m.group()) else [(m.start(), c[1], "person", "")]
                continue
        out.append(c)
    return out


# A reading of the family name alone between it and the given name: 「都司(つじ)絵里」「西田(さいだ)剛」, or one in kana
# (「和地(わち)つかさ」「天輝(あまき)レオ」, round 55).
_MID_SPLIT = re.compile(rf"([一-鿿々ヶ]{{1,4}})([(（][{_KANA}]{{1,8}}[)）])"
                        rf"([一-鿿々ヶ]{{1,4}}|(?!{_KANA_TITLES})[ぁ-ゖ]{{2,5}}|[ァ-ヺー]{{2,6}})")
# A family name and a given name, each with its reading: 「五十嵐(いがらし)清江(きよえ)」「服部(はっとり)康平(こうへい)」.
_BOTH_READ = re.compile(rf"([一-鿿々ヶ]{{1,4}})([(（][{_KANA}]{{1,8}}[)）])([一-鿿々ヶ]{{1,4}})([(（][{_KANA}]{{1,8}}[)）])")
# A reading at the end of a name, of one or two parts: 「(さい・こういち)」「(いけだ もものすけ)」「(みのる)」.
_READING_AT_END = re.compile(rf"\s?[(（]\s?[{_KANA}]{{1,10}}(?:[\s・･=][{_KANA}]{{1,10}}|[・･])?{_AGE_IN_READING}\s?[)）]$")



def _masked(name: str) -> bool:
    """A name already withheld: 「〇〇」「××」."""
    return all(ch in "〇○◯●×＊*・" for ch in name)


def _plain_word(part: str) -> bool:
    """Whether the hiragana ``part`` is one word SudachiPy knows that is no name (「ゆっくり」「はっきり」)."""
    tokens = tokenize(part)
    return len(tokens) == 1 and not tokens[0].oov and tokens[0].pos[0] in ("副詞", "動詞", "形容詞", "形状詞", "感動詞",
                                                                          "連体詞", "接続詞")


def _place_word(name: str) -> bool:
    tokens = tokenize(name)
    return bool(tokens) and all(t.pos[2] == "地名" or t.pos[0] != "名詞" for t in tokens)


def _listed_names(text: str, found: list[tuple], lex: Lexicon) -> list[tuple]:
    """Every item of a list in brackets (「【塚本紘平、田中理知】」) when one item is a name found and
    every other item has the shape of one: a family name, then one to three characters."""
    out = []
    for m in _NAME_LIST.finditer(text):
        inner = m.group(1)
        parts = re.split(r"[、,・]\s?", inner)
        if len(parts) < 2:
            continue
        spans, p = [], m.start(1)
        for part in parts:
            at = text.index(part, p)
            spans.append((at, at + len(part)))
            p = at + len(part)
        if not all(_ITEM.fullmatch(text[a:b]) for a, b in spans):
            continue
        known = [any(f[0] <= a and b <= f[1] or (a <= f[0] < b) for f in found) for a, b in spans]
        if not any(known):
            continue
        for (a, b), is_known in zip(spans, known):
            if is_known:
                continue
            if _OFFICE_END.search(text, a, b):
                continue  # 「(秋田総局・鈴木俊平、…)」: the writers' desk before their names (round 26)
            piece = tokenize(text[a:b])
            if piece and (piece[0].pos[3] == "姓" or can_be_surname(piece[0].surface)) and text[a:b] not in lex.not_names:
                out.append((a, b, "person", PERSON_MASK))
            elif text[m.start()] == "【" and 3 <= b - a <= 4 and script_of(text[a]) == "kanji" \
                    and text[a:b] not in lex.generic and not _place_word(text[a:b]):
                out.append((a, b, "person", PERSON_MASK))  # 「【尾形有菜、田畠広景】」: the writers' byline (round 57)
    return out


# A municipality or a prefecture and its reading in hiragana, in brackets.
# Round 70: a facility's reading in brackets spells its name (「ケアセンター華房福栄(はなぶさふくえ)」): it goes with it.
_FACILITY_READING = re.compile(r"\s?[(（][ぁ-ゖー]{2,20}[)）]")


def facility_readings(text: str, found: list[tuple]) -> list[tuple]:
    """The facilities ``found`` with the reading right after them that a person's finder read (as one longer span
    each, so the facility wins); an alias found as a facility (「鹿児島銀行(かぎん)」) or 「(ほか)」 stays apart."""
    persons = [p for p in found if p[2] == "person"]
    return [(c[0], m.end(), *c[2:]) for c in found if c[2] == "facility" and (m := _FACILITY_READING.match(text, c[1]))
            and any(c[1] <= p[0] and p[1] <= m.end() for p in persons)]


# (round 91: also a police station's, 「白山警察署(はくさんけいさつしょ)」, its reading ending as the kanji do, or
# folded to them by ``normalize``)
_PLACE_READING = re.compile(r"(?P<place>[一-龥々ヶ]{1,8}[都道府県市区町村郡]立?)[(（](?P<kana>[ぁ-ゖー]{2,20})[)）]"
                            r"|[一-龥々ヶ]{1,8}警察署[(（](?P<station>[ぁ-ゖー]{1,16}(?:けいさつしょ|警察署))[)）]")


def in_place_reading(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is inside the reading in brackets of a municipality or a prefecture (「徳島県(とくしまけん)の」,
    round 42) or of a police station (round 91): a place's reading names no one."""
    lex = load_lexicon()
    return any((m["station"] and m.start("station") <= start and end <= m.end("station"))
               or (m["place"] and m.start("kana") <= start and end <= m.end("kana") and _is_place(m["place"], lex))
               for m in _PLACE_READING.finditer(text, max(0, start - 35), min(len(text), end + 25)))


def _is_place(run: str, lex: Lexicon) -> bool:
    """Whether the kanji ``run`` ends in the whole name of a municipality or a prefecture (「徳島県」「鹿児島市」; not the
    family name 「中村」, though 中村区 is a ward), maybe as the owner of a school (「日南市立(にちなんしりつ)」, round 81)."""
    if len(run) > 2 and run.endswith(("市立", "町立", "村立", "区立", "県立", "都立", "府立", "道立")):
        run = run[:-1]
    return any(run[i:] in lex.municipalities or (run[-1] in "都道府県" and run[i:-1] in PREFECTURES)
               for i in range(len(run) - 1))
