"""Given names SudachiPy reads as other words, after a family name it knows: 「阿部早夏さん」「田中うた乃記者」.

The dictionary knows the family name (人名,姓) but cuts the given name into common words, single kanji
or kana; a title after them (さん / 氏 / 様, a job title or 容疑者) makes the whole a full name. A finder of
its own because its evidence is the family name and the title, not the tokens' tags of a name.
"""

from __future__ import annotations

import re

from anshin_lab.privacy.lint.findings import PERSON_MASK
from anshin_lab.privacy.lint.lexicon import Lexicon
from anshin_lab.privacy.lint.municipalities import is_municipality_name
from anshin_lab.privacy.lint.person_titles import TITLE_PREFIXES
from anshin_lab.privacy.lint.tokens import can_be_given, can_be_surname, kana_of, script_of, token_owners as owner_of, tokenize

__all__ = ["find_given_names"]

# Titles after which a family name and a given name SudachiPy does not know make a full name
# (「阿部早夏さん」, read 阿部|早|夏|さん): one to three kanji in one or two tokens, nouns, adverbs, prefixes
# or adjectival nouns (「吉田既夏」 is 吉田|既|夏).
_GIVEN_TITLES = {"さん", "氏", "様", "さま"}
# Words after a family name that are no given name: who of the family (「木村全員さん」「近藤一家さん」).
# A note in brackets between a name and its title (its hiragana reading and an age are read elsewhere).
_NOTE_BEFORE_TITLE = re.compile(r"[(（](?P<note>[^()（）\n]{1,12})[)）](?P<title>さん|氏|様|さま)")
_READING_OR_AGE = re.compile(r"[ぁ-ゖー・\s]+|[0-9０-９]+歳?")
_NOT_GIVEN = set("皆全各家宅方氏君") | {"全員", "本人", "一同", "一家", "夫妻", "夫婦", "親子", "兄弟", "姉妹", "家族", "一族",
                                  "各位", "皆様", "自身", "以外", "同士", "両名", "三名", "二人", "両人"}


def find_given_names(text: str, tokens, lex: Lexicon) -> list[tuple]:
    """A family name (SudachiPy 人名,姓), then a given name SudachiPy reads as other words, then a title:

    - one to three kanji in one or two tokens before さん / 氏 / 様 (「阿部早夏さん」) or before a job
      title or 容疑者 (「永井志也店長」 is 永井|志|也|店長, 「天野颯斗さん」 天野|颯|斗|さん), when the given
      part is not one common word of two kanji or more (「鈴木営業部長」 is no 鈴木営業);
    - kana with one kanji (「田中うた乃記者」「佐藤りえ子さん」), when the kana start no particle.

    The given part holds no title, no generic or kinship word and no suffix (「山田家さん」「鈴木店長さん」
    are none)."""
    out = []
    for k, t in enumerate(tokens):
        if t.pos[2] != "人名" or t.pos[3] != "姓" or script_of(t.surface[:1]) != "kanji":
            continue
        for n in (1, 2, 3):
            j = k + 1 + n  # the title after n tokens of given name
            if j >= len(tokens):
                break
            title = tokens[j].surface
            note = _NOTE_BEFORE_TITLE.match(text, tokens[j].begin) if title in ("(", "（") else None
            if note is not None and not _READING_OR_AGE.fullmatch(note["note"]):
                title = note["title"]  # 「江郷颯人(法学部)さん」: a student's faculty before さん (round 119)
            job = title not in _GIVEN_TITLES and lex.titles.get(title) in ("job", "proper")
            if title not in _GIVEN_TITLES and not job:
                continue
            given = tokens[k + 1:j]
            if any(tokens[i].end != tokens[i + 1].begin for i in range(k, j)):
                continue
            words = "".join(g.surface for g in given)
            if given[-1].pos[0] == "接頭辞" or (words + title) in lex.titles or words in TITLE_PREFIXES:
                continue  # 「鈴木副署長」「田中元社長」: the start of the title
            if _KANA_GIVEN.fullmatch(words):
                if given[0].pos[0] in ("助詞", "助動詞", "接続詞", "動詞") or words in lex.not_names \
                        or any(g.surface in lex.titles or g.surface in _GIVEN_TITLES
                               or (kana_of(g.surface[0]) and g.pos[0] in ("助詞", "助動詞")) for g in given):
                    continue  # 「冨永晃さんと副会長」: a title and a particle are no given name
            elif not _kanji_given(given, words, job, lex) or n == 3:
                continue
            out.append((t.begin, given[-1].end, "person", PERSON_MASK))
    owner = owner_of(tokens, len(text))
    return out + _kana_given_names(text, tokens, owner, lex) + _bracketed_given_names(text, lex) \
        + _names_read_as_particles(text, tokens, owner, lex) + _relatives_given_names(text, lex)


# Round 105: a relative's given name after the kinship word and a middle dot, before an honorific (「神野警部の息子・陽生さん」
# 「長男・陽生さん(8)」), whatever SudachiPy reads it as (陽生, a common noun).
# Round 113: also glued after 「…の」 and the kinship word, a parent's or a spouse's too (「井上さんの父勇士さん」).
_RELATIVE_GIVEN = re.compile(r"(?:(?:長男|次男|二男|三男|長女|次女|二女|三女|息子|娘|孫)・(?P<name>[一-龥々]{1,3}|[ぁ-ゖ]{2,4})"
                             r"|(?<=の)(?:父|母|妻|夫|長男|次男|二男|三男|長女|次女|二女|三女|息子|娘|孫|祖父|祖母)"
                             r"(?P<glued>[一-龥々]{2,3}))(?=さん|ちゃん|くん|君)")
_KIN_WORDS = {"息子", "娘", "孫", "嫁", "婿", "妻", "夫", "兄", "姉", "弟", "妹", "父", "母", "家族", "夫婦", "親子"}


def _relatives_given_names(text: str, lex: Lexicon) -> list[tuple]:
    """The given names ``_RELATIVE_GIVEN`` reads, but a kinship or common word in that place (「息子・娘さん」)."""
    found = [m.span("name") if m["name"] else m.span("glued") for m in _RELATIVE_GIVEN.finditer(text)]
    return [(a, b, "person", PERSON_MASK) for a, b in found
            if text[a:b] not in lex.generic and text[a:b] not in lex.not_names and text[a:b] not in _KIN_WORDS]


# Round 99: a given name of two or three hiragana alone before さん, which SudachiPy reads as particles (「と|よ|さん」),
# after a mark or a word's particle (「、とよさんは」「容疑者が|とよさんを」).
_PARTICLE_NAME = re.compile(r"(?:^|(?<=[、。「『(（\s])|(?<=[一-鿿ァ-ヺ][がはをにもと]))([ぁ-ゖ]{2,3})(?=さん)")


def _names_read_as_particles(text: str, tokens, owner, lex: Lexicon) -> list[tuple]:
    out = []
    for m in _PARTICLE_NAME.finditer(text):
        a, b = m.span(1)
        inside = tokens[owner[a]:owner[b - 1] + 1]
        if inside[0].begin == a and inside[-1].end == b and all(t.pos[0] == "助詞" for t in inside) \
                and m[1] not in lex.not_names:
            out.append((a, b, "person", PERSON_MASK))
    return out


# Round 32: a given name in brackets after the family name and before the title (「江藤(正光)自治会長」「向(益夫)さん」):
# the brackets set the given name apart, it is still the person's.
_BRACKETED_GIVEN = re.compile(r"(?<![一-鿿々〆ヶ])(?P<family>[一-鿿々〆ヶ]{1,3})[(（](?P<given>[一-鿿々〆ヶ]{1,3})[)）]")


def _bracketed_given_names(text: str, lex: Lexicon) -> list[tuple]:
    out = []
    for m in _BRACKETED_GIVEN.finditer(text):
        title = lex.title_re.match(text, m.end())
        if title is None and not re.match(r"[一-鿿]{1,6}?(?:会長|委員|部長|班長|理事)", text[m.end():]):
            continue
        if can_be_surname(m["family"]) and can_be_given(m["given"]) and not is_municipality_name(m["family"], lex) \
                and m["given"] not in "東西南北" and m["given"] not in lex.generic and m["given"] not in lex.not_names:
            out += [(*m.span("family"), "person", PERSON_MASK), (*m.span("given"), "person", PERSON_MASK)]
    return out


# Round 9: 「寺西ふじこさん」「横田エリコ署長」「肝付しおり会長」: a family name in kanji, then a given name all in
# hiragana or all in katakana, then a title. SudachiPy cuts a kana given name anyhow (寺西|ふ|じこ), so the
# evidence is the shape: a family name at the start of a word, a kana run that starts a word and is no word
# the dictionary knows as a thing, and the title.
_KANA_NAME = re.compile(r"(?<![一-鿿々〆ヶ])(?P<family>[一-鿿々〆ヶ]{1,4})(?P<given>[ぁ-ゖ]{2,4}|[ァ-ヺー]{2,5})")


def _kana_given_names(text: str, tokens, owner, lex: Lexicon) -> list[tuple]:
    out = []
    for m in _KANA_NAME.finditer(text):
        a, g = m.start(), m.start("given")
        for b in range(m.end(), g + 1, -1):  # the longest kana run that a title follows
            title = lex.title_re.match(text, b + 1 if b < len(text) and text[b] in TITLE_PREFIXES else b) \
                or _office_title_after(text, b, lex)
            if title is not None and title.group() == "ちゃん" and tokens[owner[title.start()]].surface == "ちゃんと":
                break  # 「角とこは|ちゃんと」: the adverb "properly", no title (round 99)
            if title is not None and lex.titles[title.group()] in ("person", "proper", "job", "strong"):
                if _kana_given_name(text, tokens, owner, a, g, b, lex):
                    out.append((a, b, "person", PERSON_MASK))
                break
    return out


# Round 70: the name, 「・」, an office and its title, as the news writes a guest (「原テツアキ・兵庫県議会議長」).
_OFFICE_AFTER_DOT = re.compile(r"・[一-鿿々ヶ]{1,10}")


def _office_title_after(text: str, b: int, lex: Lexicon) -> re.Match | None:
    """The title that ends the office after 「・」 at ``b``, or None."""
    office = _OFFICE_AFTER_DOT.match(text, b)
    if office is None:
        return None
    return next((t for p in range(office.end() - 1, b, -1) if (t := lex.title_re.match(text, p)) is not None
                 and t.end() == office.end()), None)


# What starts kana after a word without starting a name: a particle that ends the word (「中村という容疑者」
# 「山田には社長が」「鈴木などの会長」). SudachiPy reads kana given names as particles too (「と|も|か」 of ともか),
# so the kana are judged by how they start, not by their tags.
_NOT_NAME_START = re.compile(r"(?:という|といった|とか|など|から|まで|より|だけ|ほど|には|では|とは|への|での|との|らしい|らしき"
                             r"|のような|ような|によ|にて|として|って|けど|ので|のに|てい|てる|ます|です|した|して|でも|にも|とも言)")


def _kana_given_name(text: str, tokens, owner, a: int, g: int, b: int, lex: Lexicon) -> bool:
    """Whether text[a:g] is a family name and text[g:b] a kana given name before a title."""
    if tokens[owner[a]].begin != a or tokens[owner[g]].begin != g or tokens[owner[g - 1]].end != g:
        return False  # 「引ったくり」「見守り」: one word across the scripts
    if text.startswith(("たくさん", "だくさん"), b - 2):
        return False  # 「具だくさん」「盛りだくさん」: たくさん, "plenty", no given name and さん (round 57)
    family, given = text[a:g], text[g:b]
    head = [tokens[i] for i in range(owner[a], owner[g - 1] + 1)]
    if not (can_be_surname(family) or (len(head) == 1 and (head[0].person or head[0].oov or head[0].pos[2] == "地名"))) \
            or head[0].pos[0] == "代名詞":
        return False  # 「天使ユリアさん」: a common word is no family name here; 「何|らかの方法」 a pronoun (round 84)
    if family in lex.not_names or family in lex.generic or family in lex.titles or family in lex.municipalities \
            or family in _NOT_GIVEN:
        return False
    rest = [tokens[i] for i in range(owner[g], owner[b - 1] + 1)]
    if any(given[i:] in lex.not_names for i in range(len(given) - 1)) or lex.title_re.search(given) \
            or any(len(t.surface) >= 2 and t.end <= b and (t.surface in lex.not_names or t.surface in lex.titles) for t in rest):
        return False  # 「田中おばさん」「山田ママさん」
    if script_of(given[0]) == "hiragana":
        if _NOT_NAME_START.match(given) is not None:
            return False
        alone = tokenize(given)
        if all(t.pos[0] in ("助詞", "助動詞", "接続詞") for t in alone):
            return False  # 「のみ」「でも」: particles only
        if alone[0].pos[0] in ("助詞", "接続詞") and len(alone[0].surface) == 1 and any(len(t.surface) >= 2 for t in alone[1:]):
            return False  # 「山田は|いつも社長と」「田中が|その店長」: a particle, then a word
        last = tokens[owner[b - 1]]
        # 「こじろう」 may be one verb to SudachiPy, and a name; a verb that goes on past the kana is none
        return last.pos[0] != "動詞" or (last.end == b and last.begin == g)
    if tokens[owner[b - 1]].end != b:
        return False
    if len(rest) == 1 and rest[0].pos[1] == "普通名詞" and not rest[0].oov:
        return False  # 「交通ボランティアさん」「防犯パトロール隊長」: a katakana word the dictionary knows
    return True


# An office or a place a head's title may carry after the name (「県警本部長」「市教育長」「署生活安全課長」).
_OFFICE_WORD = re.compile(r"(?:県警|府警|道警|警察|署|庁|局|省|県|府|市|町|村|区|部|課)$")
# A given name of kana and one kanji: 「うた乃」「りえ子」「まさ代」「千ひろ」.
_KANA_GIVEN = re.compile(r"[ぁ-ゖ]{1,3}[一-龥々]|[一-龥][ぁ-ゖ]{1,3}")


def _kanji_given(given, words: str, job: bool, lex: Lexicon) -> bool:
    """Whether the tokens ``given`` (their text ``words``) can be a kanji given name after a family name."""
    if not (1 <= len(words) <= 3) or script_of(words) != "kanji" or any(script_of(ch) != "kanji" for ch in words):
        return False
    if job and len(given) == 1 and given[0].pos[1] == "普通名詞" and not given[0].oov and len(words) >= 2:
        return False  # 「鈴木営業部長」: a department, not a given name
    for i, g in enumerate(given):
        if g.pos[0] not in ("名詞", "副詞", "接頭辞", "形状詞", "助動詞") or g.pos[1] == "数詞":
            return False
        if len(g.surface) >= 2 and _OFFICE_WORD.search(g.surface):
            return False  # 「村田|隆|県警|本部長」: the office the title heads, no given name
        if g.pos[2] == "助数詞可能" and (i == 0 or len(given) == 1):
            return False  # 「田中組」「山田家」, but 「颯|斗」 goes on a given name
        if (g.pos[1] == "固有名詞" and g.pos[2] != "人名") or g.surface in lex.not_names or g.surface in lex.titles \
                or g.surface in lex.titles_before or g.surface in lex.generic or g.surface in _NOT_GIVEN:
            return False
    return not (words in _NOT_GIVEN or lex.title_re.search(words) or lex.title_before_re.search(words))
