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

``find_persons`` returns candidates ``(start, end, "person", suggestion)`` on the folded text.
"""

from __future__ import annotations

import re

from anshin_lab.places import address
from anshin_lab.privacy.lint.findings import PERSON_MASK
from anshin_lab.privacy.lint.lexicon import Lexicon
from anshin_lab.privacy.lint.person_shapes import find_shaped_names, occupations
from anshin_lab.privacy.lint.readings import find_read_names, split_readings, with_readings
from anshin_lab.privacy.lint.tokens import Token, can_be_surname, is_katakana, kana_of, script_of, tokenize

__all__ = ["find_persons", "names_after_titles", "station_name"]


# 「「ワタナベ」「スギモト」と名乗る」: more quoted names may stand between a name and the verb.
_MORE_NAMES = r"(?:[」』】]\s?(?:[、・や]|または)?\s?[「『【][^」』】「『【。]{1,15})*"
_CLAIM_NAME_AFTER = re.compile(
    _MORE_NAMES + r"[」』】]?\s?(?:(?:と|って)\s?(?:名乗|なの|名の|称|かた|騙|語|言|いう|いい|申)|を\s?(?:名乗|なの|名の|称|かた|騙|語|装)"
    r"|です|でございます)")
# The claiming verbs proper: 「「タナカ」を名乗る」 but not 「「シュッシュッ」と言いながら」.
_CLAIM_VERB_AFTER = re.compile(_MORE_NAMES + r"[」』】]?\s?(?:と|を|って)?\s?(?:名乗|なの|名の|称|かた|騙|語|装)")
# Pseudonyms that already hide a name: 「A子さん」「Bさん」「X男」.
_PSEUDONYM = re.compile(r"[A-Za-zＡ-Ｚａ-ｚ][子男美郎]?")
# The title inside a longer word of these classes is that word (「たくさん」「おばさん」「お客様」「彼氏」).
_WORD_CLASSES = ("名詞", "副詞", "代名詞", "連体詞", "形状詞", "接頭辞")


# An exact age in brackets or with 歳 right after a name and its title: 「(45)」「（45歳）」「45歳」.
_AGE_AFTER = re.compile(r"\s?(?P<title>[^\s(（、。]{0,6}?)\s?"
                        r"(?P<age>[(（]\s?(?:当時)?\s?(?P<n1>[0-9]{1,3})\s?(?:歳|才)?\s?[)）]"
                        r"|、?\s?(?:当時)?\s?(?P<n2>[0-9]{1,3})\s?(?:歳|才)(?![代位くぐ前]))")
# An exact age right before a name: 「当時25歳の山田太郎さん」「45歳の田中容疑者」.
_AGE_BEFORE = re.compile(r"(?:当時)?(?P<age>(?P<n>[0-9]{1,3})\s?(?:歳|才))の?\s?$")
_BRACKETS_OPEN = "「『【"
# Titles of whoever heads a place: the word before them may be the place (「谷山署長」「霧島市長」).
_HEADS_OF_PLACES = {"署長", "副署長", "市長", "町長", "村長", "知事", "副知事", "次長", "本部長", "局長", "所長",
                    "支店長", "店長", "館長", "園長", "院長", "会長", "部長", "課長", "隊長"}


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
    out += _given_names(text, tokens, lex)
    out += find_shaped_names(text, tokens, owner, lex, out)
    # 「池田百之亮(いけだ もものすけ)さん(31)」: the reading spells the name; the title and age follow it.
    out = with_readings(text, out + find_read_names(text, out, lex))
    out += _aged_surnames(text, tokens, out)
    out = [c for c in out if not (c[3] == PERSON_MASK and station_name(text, c[0], c[1]))]
    out += _ages(text, out, lex)
    return split_readings(text, out)


# A police station or post is never a person: what ends right before 警察署 / 署 (not 署長 / 署員) / 交番 / 駐在, or
# ends with 駐在 / 交番, is the station's town (「杵築日出警察署」「金沢東署」「相川駐在署員」).
_STATION_AFTER = re.compile(r"\s?(?:警察署(?!長)|署(?![長員])|交番|駐在(?!員)|派出所|分庁舎|警察(?![官犬庁]))")
_STATION_END = re.compile(r"(?:駐在|交番|派出所|分駐所)$")


def station_name(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] names a police station or post (「金沢東|署」), so no person."""
    return bool(_STATION_AFTER.match(text, end)) or bool(_STATION_END.search(text, start, end))


# A byline in brackets after the word for the writer (「筆者(下赤)の近所の方」「(文・山田)」「記者(田中)」).
_BYLINE = re.compile(r"(?:筆者|記者|文|取材・文|文・写真)[(（]\s?(?:文\s?[・:：]\s?)?(?P<name>[一-龥々ヶ]{1,4}(?:\s?[一-龥々ヶ]{1,4})?)\s?[)）]")


def _bylines(text: str, tokens, owner, lex: Lexicon) -> list[tuple]:
    """The writer's name in brackets after 筆者 / 記者 / 文: it must start with a family name (SudachiPy 人名)."""
    out = []
    for m in _BYLINE.finditer(text):
        a, b = m.span("name")
        first = tokens[owner[a]]
        if first.begin == a and first.person and text[a:b] not in lex.not_names:
            out.append((a, b, "person", PERSON_MASK))
    return out


# Titles after which a family name and a given name SudachiPy does not know make a full name
# (「阿部早夏さん」, read 阿部|早|夏|さん): one to three kanji in one or two tokens, nouns, adverbs, prefixes
# or adjectival nouns (「吉田既夏」 is 吉田|既|夏).
_GIVEN_TITLES = {"さん", "氏", "様", "さま"}
# Words after a family name that are no given name: who of the family (「木村全員さん」「近藤一家さん」).
_NOT_GIVEN = set("皆全各家宅方氏君") | {"全員", "本人", "一同", "一家", "夫妻", "夫婦", "親子", "兄弟", "姉妹", "家族", "一族",
                                  "各位", "皆様", "自身", "以外", "同士", "両名", "三名", "二人", "両人"}


def _given_names(text: str, tokens, lex: Lexicon) -> list[tuple]:
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
            job = title not in _GIVEN_TITLES and lex.titles.get(title) in ("job", "proper")
            if title not in _GIVEN_TITLES and not job:
                continue
            given = tokens[k + 1:j]
            if any(tokens[i].end != tokens[i + 1].begin for i in range(k, j)):
                continue
            words = "".join(g.surface for g in given)
            if given[-1].pos[0] == "接頭辞" or (words + title) in lex.titles or words in _TITLE_PREFIXES:
                continue  # 「鈴木副署長」「田中元社長」: the start of the title
            if _KANA_GIVEN.fullmatch(words):
                if given[0].pos[0] in ("助詞", "助動詞", "接続詞", "動詞") or words in lex.not_names \
                        or any(g.surface in lex.titles or g.surface in _GIVEN_TITLES
                               or (kana_of(g.surface[0]) and g.pos[0] in ("助詞", "助動詞")) for g in given):
                    continue  # 「冨永晃さんと副会長」: a title and a particle are no given name
            elif not _kanji_given(given, words, job, lex) or n == 3:
                continue
            out.append((t.begin, given[-1].end, "person", PERSON_MASK))
    return out


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
        if g.pos[2] == "助数詞可能" and (i == 0 or len(given) == 1):
            return False  # 「田中組」「山田家」, but 「颯|斗」 goes on a given name
        if (g.pos[1] == "固有名詞" and g.pos[2] != "人名") or g.surface in lex.not_names or g.surface in lex.titles \
                or g.surface in lex.titles_before or g.surface in lex.generic or g.surface in _NOT_GIVEN:
            return False
    return not (words in _NOT_GIVEN or lex.title_re.search(words) or lex.title_before_re.search(words))


def _find_names(text: str, tokens, owner, lex: Lexicon) -> list[tuple]:
    out = []
    for m in lex.title_re.finditer(text):
        found = _titled_name(text, m, tokens, owner, lex)
        if found:
            out.append((found[0], found[1], "person", PERSON_MASK))
    for k, a in enumerate(tokens):
        # A family name and a given name together need no title: 「山田太郎」, also 「山田 太郎」.
        if a.pos[2] != "人名" or a.pos[3] != "姓":
            continue
        j = k + 2 if k + 2 < len(tokens) and tokens[k + 1].pos[0] == "空白" and len(tokens[k + 1].surface) == 1 \
            else k + 1
        if j < len(tokens) and tokens[j].pos[2] == "人名" and tokens[j].pos[3] == "名" \
                and tokens[j - 1].end == tokens[j].begin and not _inside_town(text, a.begin, tokens[j].end):
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
        if not _CLAIM_NAME_AFTER.match(text, t.end):
            if _employed_surname(text, tokens, k, lex):
                out.append((t.begin, t.end, "person", PERSON_MASK))  # 「担当のイシカワから連絡させる」
            continue
        if t.person and t.pos[3] in ("姓", "名"):
            start = t.begin
            j = k - 1
            while j >= 0 and tokens[j].person and tokens[j].end == start:
                start = tokens[j].begin
                j -= 1
            out.append((start, t.end, "person", PERSON_MASK))
        elif k > 0 and (tokens[k - 1].surface == "の" or (tokens[k - 1].surface[-1] in _BRACKETS_OPEN
                                                          and _CLAIM_VERB_AFTER.match(text, t.end))) \
                and all(is_katakana(ch) for ch in t.surface) \
                and 2 <= len(t.surface) <= 8 and _checked(text, t.begin, t.end, lex) \
                and not lex.chain_re.fullmatch(t.surface):
            # 「市役所保険課のヤマモトと名乗る」「【警視庁のモトハシ】を名乗る」「「タナカ」を名乗る」:
            # a katakana name after whom it works for, or alone in brackets.
            out.append((t.begin, t.end, "person", PERSON_MASK))
        elif t.surface in lex.katakana_surnames and _checked(text, t.begin, t.end, lex) \
                and not (k > 0 and tokens[k - 1].end == t.begin and is_katakana(text[t.begin - 1])):
            out.append((t.begin, t.end, "person", PERSON_MASK))  # 「サトウと名乗る男」: a family name, claimed
    return out


# Who a caller says employs him, right before 「の」 and his name: 「保険課の」「担当の」「銀行の」.
_EMPLOYER = re.compile(r"(?:課|係|室|班|部|局|署|センター|協会|銀行|信金|金庫|会社|事務所|役所|役場|担当|担当者|上司|職員"
                       r"|社員|行員|局員|弁護士|部長|課長|係長|支店|本店|本社|機構|組合|病院|百貨店)[」』】]?$")


def _employed_surname(text: str, tokens, k: int, lex: Lexicon) -> bool:
    """Whether token ``k`` is a family name in katakana after its employer and 「の」 (「保険課のサトウ」),
    a whole word (not the start of 「サトウキビ」)."""
    t = tokens[k]
    if k < 2 or tokens[k - 1].surface != "の" or tokens[k - 1].end != t.begin or t.surface not in lex.katakana_surnames:
        return False
    if t.end < len(text) and is_katakana(text[t.end]):
        return False
    return bool(_EMPLOYER.search(text, max(0, tokens[k - 1].begin - 12), tokens[k - 1].begin))


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


def _aged_surnames(text: str, tokens, found: list[tuple]) -> list[tuple]:
    """「田中(45)」: a family or given name alone, with an age in brackets right after it."""
    out = []
    for k, t in enumerate(tokens):
        if not t.person or t.pos[3] not in ("姓", "名"):
            continue
        if k + 1 < len(tokens) and tokens[k + 1].person and tokens[k + 1].begin == t.end:
            continue  # the name goes on
        end = t.end
        # 「有村|颯(25)」: a given name the dictionary reads as another word, one or two kanji, before the age.
        if t.pos[3] == "姓" and k + 1 < len(tokens) and tokens[k + 1].begin == end and len(tokens[k + 1].surface) <= 2 \
                and all(script_of(ch) == "kanji" for ch in tokens[k + 1].surface) \
                and (tokens[k + 1].oov or tokens[k + 1].pos[0] != "名詞" or tokens[k + 1].pos[1] == "固有名詞"):
            end = tokens[k + 1].end
        m = _AGE_AFTER.match(text, end)
        if m is None or m["title"] or m["n1"] is None:
            continue
        start = t.begin
        j = k - 1
        while j >= 0 and tokens[j].person and tokens[j].end == start:
            start = tokens[j].begin
            j -= 1
        if not any(f[0] <= start < f[1] for f in found):
            out.append((start, end, "person", PERSON_MASK))
    return out


# What may stand around a title before an age: 「前会長(70)」「支店長代理(45)」「巡査部長さん(30)」.
_TITLE_AROUND = re.compile(r"^(?:前|元|現)?(?P<title>.+?)(?:代理|補佐|心得|代行)?(?:さん|様|氏)?$")


def _is_title_run(words: str, lex: Lexicon) -> bool:
    """Whether ``words`` between a name and an age is a title, maybe with 前/元 before it and 代理/さん after it."""
    m = _TITLE_AROUND.match(words)
    return bool(m) and (m["title"] in lex.titles or m["title"] in lex.titles_before)


def _age_group(age: int) -> str:
    return "10歳未満" if age < 10 else f"{age // 10 * 10}歳代"


def _ages(text: str, names: list[tuple], lex: Lexicon) -> list[tuple]:
    """The exact age right after each name found (after its title, if any), or right before it
    (「当時25歳の山田さん」)."""
    out = []
    for start, end, _, _ in names:
        before = _AGE_BEFORE.search(text, max(0, start - 9), start)
        if before and not (before.start() > 0 and text[before.start() - 1].isdigit()):
            out.append((*before.span("age"), "person", _age_group(int(before["n"]))))
        m = _AGE_AFTER.match(text, end)
        if m is None or (m["title"] and not _is_title_run(m["title"], lex) and not lex.title_re.fullmatch(m["title"])
                         and m["title"] not in ("さん方", "方", "氏方")):
            continue
        group = _age_group(int(m["n1"] or m["n2"]))
        written = f"({group})" if m["n1"] else group
        out.append((m.start("age") if m["n1"] else m.start("n2"), m.end(), "person", written))
    return out


def _inside_town(text: str, start: int, end: int) -> bool:
    """Whether a town of the gazetteer covers text[start:end] (「国分重久」 is a town, not 国分 重久)."""
    gaz = address.gazetteer()
    for p in range(max(0, start - gaz.all_lengths[0]), start + 1):
        for length in gaz.all_lengths:
            if p + length < end:
                break
            if address.fold(text[p:p + length]) in gaz.everywhere:
                return True
    return False


# Titles a mascot's name takes, and the words that introduce a mascot (「マスコットの〇〇くん」
# 「キャラクター「〇〇ちゃん」」): that name is no person wherever it stands in the text.
_MASCOT_TITLES = {"君", "くん", "ちゃん"}
_MASCOT_NAMED = re.compile(r"(?:マスコット|キャラクター|ゆるキャラ|着ぐるみ|広報大使)(?:キャラクター)?(?:の|である|、)?\s?"
                           r"[「『【]?(?P<name>[^\s「」『』【】、。・の]{1,10}?)(?:君|くん|ちゃん)")

# A service of the police named after its mascot, in brackets: 「「〇〇君の防犯メール」」「「〇〇くん安心ネット」」.
_SERVICE_AFTER = re.compile(r"の?[^」』「『。、]{0,8}?(?:メール|ネット|ネットワーク|通信|だより|ニュース|アプリ|情報|ブログ|"
                            r"テレビ|ラジオ|チャンネル|ページ)[」』]")
_BRACKET_BEFORE = re.compile(r"[「『][^」』]{0,3}$")

# Words that show a text is about mascots on stage: their kana names before くん / ちゃん are no children.
_MASCOT_CUE = re.compile(r"マスコット|キャラクター|ゆるキャラ|着ぐるみ|登場")
_MASCOT_PAIR = re.compile(r"[・]\s?(?P<name>[^\s「」『』【】、。・の]{1,10}?)(?:君|くん|ちゃん)")


def _mascot(text: str, start: int, h: int, title: str, lex: Lexicon) -> bool:
    """Whether the name text[start:h] before 君/くん/ちゃん is a mascot: a known one (``mascots.txt``), or
    one the text introduces as a mascot or character."""
    if title not in _MASCOT_TITLES:
        return False
    name = text[start:h]
    if name in lex.mascots or any(m["name"] == name for m in _MASCOT_NAMED.finditer(text)):
        return True
    if _SERVICE_AFTER.match(text, h + len(title)) and _BRACKET_BEFORE.search(text, max(0, start - 4), start):
        return True  # 「きしゅう君の防犯メール」「ピーポくん安全ネット」: a service named after the mascot
    if any(name.endswith(known) and not kana_of(name[-len(known) - 1]) for known in lex.mascots if len(known) < len(name)):
        return True  # 「神奈川県警ピーガルくん」: a known mascot after whose it is
    if (_MASCOT_CUE.search(text) or _character_in(text, lex)) and not _beside_a_mascot(text, start, lex) \
            and all(script_of(ch) in ("hiragana", "katakana") for ch in name[:-1]) \
            and not (len(name) >= 2 and script_of(name[-1]) == "kanji" and script_of(name[-2]) == "kanji"):
        return True  # 「ミーポくんと豆助が登場」「…のけいたくん・…マスコットのたび丸くん」: a text about mascots
    # 「マスコットキャラクター「フーくん・ケイちゃん」」: the second of a pair the text introduces together
    return any(p["name"] == name for m in _MASCOT_NAMED.finditer(text) for p in [_MASCOT_PAIR.match(text, m.end())] if p)


# 「ネズミくん」「ウサギちゃん」: a thing or an animal with the title of a child is a character on stage.
_CHARACTER = re.compile(r"(?<![ァ-ヺー])([ァ-ヺー]{2,8})(?:くん|君|ちゃん)")


def _character_in(text: str, lex: Lexicon) -> bool:
    """Whether ``text`` names a character: a katakana common word SudachiPy knows before くん / ちゃん."""
    for m in _CHARACTER.finditer(text):
        word = m.group(1)
        piece = tokenize(word)
        if len(piece) == 1 and piece[0].pos[1] == "普通名詞" and not piece[0].oov and word not in lex.not_names:
            return True
    return False


_PAIRED = re.compile(r"(?P<word>[^\s「」『』【】、。・の]{1,8}?)(?:くん|ちゃん|君)と$")


def _beside_a_mascot(text: str, start: int, lex: Lexicon) -> bool:
    """Whether the name at ``start`` follows a named mascot and と (「マスコットのフーくんとゆいちゃん」: a child
    may stand beside one); beside a character named by a common word (「タヌキくんとぽんた君」) it is one too."""
    m = _PAIRED.search(text, max(0, start - 12), start)
    return bool(m) and not _character_in(m.group("word") + "くん", lex)


def _titled_name(text, m, tokens, owner, lex: Lexicon):
    """The name before a title (「山田太郎さん」「ゆいちゃん」), or None."""
    found = _titled_span(text, m, tokens, owner, lex)
    if found is not None and _mascot(text, found[0], found[1], m.group(), lex):
        return None  # 「ふっけい君」「マスコットのひかる君」
    return found


def _titled_span(text, m, tokens, owner, lex: Lexicon):
    h, h_end = m.span()
    if h == 0:
        return None
    strength = lex.titles[m.group()]
    strong = strength == "strong"
    if strength == "job" and h > 1 and text[h - 1] in _TITLE_PREFIXES and tokens[owner[h - 1]].begin == h - 1 \
            and script_of(text[h - 2]) is not None:
        h -= 1  # 「小木曽元会長」「田中前社長」: the title starts at 元 / 前
    holder = tokens[owner[h]]
    if holder.begin == h and holder.end > h_end:
        return None  # 「ちゃんと」「様子」「氏名」: another word
    if holder.begin < h < holder.end < h_end and holder.pos[0] in ("動詞", "助動詞", "形容詞", "助詞"):
        return None  # 「どこ行くん」「いるくん」: the end of a verb, not a title
    if holder.begin < h and holder.end >= h_end and holder.pos[0] in _WORD_CLASSES \
            and not holder.oov and not holder.person:
        return None  # 「たくさん」「おばさん」「お客様」
    k = owner[h - 1]
    if strength in ("person", "job"):
        # 「高橋様」「鈴木副署長」: a family or given name, never a thing (「ママチャリ様」) or a
        # station's town (「谷山署長」).
        if tokens[k].end != h:
            return None
        found = _name_block(text, tokens, k, h, lex)
        if found is None and strength == "job":
            unit = _name_before_unit(text, tokens, k, lex)
            if unit is not None:
                return unit  # 「荻野生活安全部長」「西山刑事課長」
        if found is None or not any(tokens[j].person for j in range(owner[found], k + 1)):
            # 「岩瀬店長」「浜田店長」: a family name SudachiPy reads as a place in this context.
            found = _surname_token(text, tokens, k, lex) if strength == "job" and m.group() not in _HEADS_OF_TOWNS \
                and m.group() not in _HEADS_OF_UNITS else None
            if strength == "person" and found is None and tokens[k].pos[2] == "地名" \
                    and not lex.chain_re.fullmatch(tokens[k].surface):
                found = _surname_token(text, tokens, k, lex)  # 「PTA会長の宮城様」: no place takes 様
            if found is None:
                return None
        inside = [tokens[j] for j in range(owner[found], k + 1)]
        if strength == "person" and "・" not in text[found:h] and any(is_katakana(t.surface[0]) for t in inside) \
                and all(all(is_katakana(ch) for ch in t.surface) for t in inside if t.person) \
                and not any(t.oov or t.pos[3] == "姓" for t in inside if not all(is_katakana(ch) for ch in t.surface)):
            return None  # 「パーカー様」「灰色チノパン様」: after a katakana word 様 is "-like" (not 「濵田ハル様」)
        if m.group() in _HEADS_OF_PLACES and _heads_place(text, found, h, m.group()):
            return None
        return _checked(text, found, h, lex)
    if tokens[k].end == h:
        found = _name_block(text, tokens, k, h, lex)
        if found is None and m.group() in _SUSPECT_TITLES:
            found = _surname_token(text, tokens, k, lex, suspect=True)  # 「奥容疑者」: a family name and a word
            return None if found is None else (found, h)
        if found is not None:
            return _checked(text, found, h, lex)
    # 3. Given names the tokenizer does not know or cuts anywhere (「ゆいちゃん」「はるとくん」
    #    「陽翔くん」): the run of one script before the title, kana for any title, kanji after
    #    ちゃん / くん / 君 only.
    script = script_of(text[h - 1])
    if script is None or (script == "kanji" and not strong):
        return None
    limit = 4 if script == "kanji" else 10
    start = h
    while start > 0 and h - start < limit and (script_of(text[start - 1]) == script
                                                or (script == "katakana" and text[start - 1] in "・=")):
        start -= 1
    if tokens[owner[start]].begin < start:
        return None  # the run starts inside a word (「知り合いで君」)
    if script == "hiragana" and not strong and start > 0 and tokens[owner[start - 1]].pos[0] == "名詞" \
            and tokens[owner[start]].pos[0] in ("動詞", "助動詞"):
        return None  # 「逮捕された容疑者」「送検された被告」: a verb of the noun before, no name
    if script == "hiragana":
        # Another title and what follows it is not this name (「お母さんやおばあちゃん」).
        inner = lex.title_re.search(text, start, h)
        while inner:
            start = inner.end()
            inner = lex.title_re.search(text, start, h)
        t = tokens[owner[start]] if start < h else None
        if t is not None and t.begin == start and t.pos[0] == "助詞" and h - t.end >= 2:
            start = t.end  # a particle glued on from the noun before (「名前はゆいちゃん」「3年生のはるとくん」)
        if not strong and all(tokens[j].pos[0] in ("助動詞", "助詞", "動詞") for j in range(owner[start], k + 1)):
            return None  # 「来たら先生に」: the end of a verb, no name
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
    return _checked(text, start, h, lex)


# What may stand between a name and its title: 「小木曽前会長」「田中元社長」「鈴木現会長」.
_TITLE_PREFIXES = "前元現"
# Heads of a municipality or prefecture: the word before is the place (「霧島市長」), never read as a family name.
_HEADS_OF_TOWNS = {"市長", "町長", "村長", "区長", "知事", "副知事", "市議", "県議", "町議", "村議"}
# Heads of a department, branch or office: the word before is usually the unit (「鹿児島支店長」「東北局長」).
_HEADS_OF_UNITS = {"支店長", "所長", "局長", "部長", "課長", "会長", "隊長", "本部長", "次長", "館長", "園長", "院長",
                   "室長", "班長", "支部長", "総監", "事務長", "議員", "理事", "理事長", "署員", "捜査員", "係員", "刑事"}
# Titles after which a family name that is also a common word is still the name (「奥容疑者」, not 「奥さん」).
_SUSPECT_TITLES = {"容疑者", "被疑者", "被告", "被告人", "受刑者"}
# Words before a title that say which one, not whose name (「元容疑者」「同被告」「前署長」).
_NOT_SURNAMES = set("元前現同当本旧新某各全両故") | {"東部", "西部", "南部", "北部", "中部", "中央"}
# The place a head of it is named after (「燕署長」 heads 燕署, 「新宿店長」 heads 新宿店): the title's first part.
_PLACE_OF_HEAD = {"署長": "署", "副署長": "署", "支店長": "支店", "店長": "店", "館長": "館", "園長": "園", "院長": "院",
                  "所長": "所", "局長": "局", "部長": "部", "課長": "課", "会長": "会", "隊長": "隊", "本部長": "本部",
                  "次長": ""}
# A police station the text names: 「燕署」「燕警察署」 (not 「署長」「署員」).
_STATION = re.compile(r"([一-鿿々ヶ]{1,6}?)(?:警察)?署(?![長員])")


def _name_before_unit(text: str, tokens, k: int, lex: Lexicon) -> tuple[int, int] | None:
    """The name before the unit a job title heads (「荻野|生活|安全|部長」「西山|刑事|課長」): a family name
    (SudachiPy 人名,姓, maybe with its 名) at the start of a word, then one to three common words of kanji."""
    j, words = k, 0
    while j >= 0 and words < 3 and tokens[j].pos[1] in ("普通名詞", "固有名詞") and tokens[j].pos[2] != "人名" \
            and all(script_of(ch) == "kanji" for ch in tokens[j].surface) and tokens[j].pos[1] != "数詞" \
            and (j == 0 or tokens[j - 1].end == tokens[j].begin):
        j -= 1
        words += 1
    if words == 0 or j < 0 or tokens[k].end - tokens[j + 1].begin > 8:
        return None
    t = tokens[j]
    if not (t.person and t.pos[3] in ("姓", "名")) or t.end != tokens[j + 1].begin:
        return None
    end = t.end
    if t.pos[3] == "名":
        if j == 0 or not (tokens[j - 1].person and tokens[j - 1].pos[3] == "姓" and tokens[j - 1].end == t.begin):
            return None
        j -= 1
    start = tokens[j].begin
    if start > 0 and script_of(text[start - 1]) == "kanji" and tokens[j - 1].pos[0] not in ("助詞", "補助記号"):
        return None  # the family name goes on from a word before it
    return _checked(text, start, end, lex)


def _surname_token(text: str, tokens, k: int, lex: Lexicon, suspect: bool = False) -> int | None:
    """Where token ``k`` starts when it alone can be a family name (SudachiPy's dictionary says so) and
    does not go on from a word before it (「岩瀬|店長」, not 「東京都|港」). After 容疑者 (``suspect``) the
    words that are no names before さん (「奥さん」) are names too (「奥容疑者」)."""
    t = tokens[k]
    if t.oov or t.pos[0] != "名詞" or t.pos[1] == "数詞" or not can_be_surname(t.surface):
        return None
    if t.surface in _NOT_SURNAMES or (not suspect and t.pos[1] != "固有名詞"):
        return None  # 「元容疑者」「前署長」; before a job a common word is the department (「西部支店長」)
    if t.surface in lex.generic or (not suspect and (t.surface in lex.stops or t.surface in lex.not_names)):
        return None
    if t.begin > 0 and script_of(text[t.begin - 1]) == "kanji":
        return None
    return t.begin


def _heads_place(text: str, start: int, h: int, title: str) -> bool:
    """Whether text[start:h] before a head's title (「谷山署長」「霧島市長」「新宿店長」) is the place headed,
    not the head's family name (「清水署長」 of 燕署, 「岩瀬店長」)."""
    name = text[start:h]
    place = _PLACE_OF_HEAD.get(title)
    if place is None:
        return _inside_town(text, start, h)  # 市長, 町長, 知事…: 「霧島市長」
    if place and re.search(re.escape(name) + r"(?:警察)?" + re.escape(place) + r"(?!長)", text):
        return True  # 「谷山署の署長」… 「谷山署長」, 「新宿店」… 「新宿店長」
    if place == "署" and any(m.group(1) != name for m in _STATION.finditer(text)):
        return False  # the text names the station another way: 「燕署(清水文宏署長)」… 「清水署長」
    return _inside_town(text, start, h) and not (place and can_be_surname(name) and place != "署")


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
        if surface in lex.generic or surface in lex.titles or surface in lex.stops:
            break
        if parts and parts[-1].pos[3] == "姓" and not t.person and all(kana_of(ch) == "hiragana" for ch in surface):
            break  # 「「マサ」こと|真砂正樹容疑者」: a family name starts the name
        if surface in "・･=":
            if not (parts and j > 0 and is_katakana(parts[-1].surface[0]) and is_katakana(tokens[j - 1].surface[-1])):
                break
        elif t.pos[0] == "空白":
            # 「山田 太郎さん」: one space between a family name and a given name
            if not (len(surface) == 1 and parts and parts[-1].pos[3] == "名" and j > 0 and tokens[j - 1].pos[3] == "姓"):
                break
        elif t.oov:
            if t.pos[1] == "数詞":
                break
        elif t.pos[0] == "名詞" and t.pos[1] not in ("数詞", "代名詞"):
            if t.pos[1] == "普通名詞" and len(surface) >= 2 and not all(kana_of(ch) for ch in surface) \
                    and not (j > 0 and tokens[j - 1].end == t.begin and _surname_like(tokens[j - 1])
                             and not _OFFICE_WORD.search(surface)) \
                    and not _word_as_surname(text, tokens, j, parts, lex):
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


# Words of family, age and status that stand before a given name without being a family name (「長男太郎さん」).
_NOT_FAMILY = re.compile(r"^(?:長男|次男|三男|長女|次女|三女|妻|夫|息子|娘|父|母|祖父|祖母|孫|兄|弟|姉|妹|義母|義父|"
                         r"少年|少女|男性|女性|男児|女児|児童|生徒|同僚|部下|上司|友人|知人|店主|園児)$")


def _word_as_surname(text: str, tokens, j: int, parts: list[Token], lex: Lexicon) -> bool:
    """Whether the common word ``tokens[j]`` of two or three kanji, right before a given name (SudachiPy
    人名,名) and at the start of a word, is the family name the dictionary does not know (「平敷|昭人教育長」
    「鶴丸|芳郎会長」), not a word of family or job (「長男太郎さん」「無職太郎」)."""
    t = tokens[j]
    if not parts or parts[-1].pos[3] != "名" or parts[-1].begin != t.end or len(t.surface) > 3:
        return False
    if any(script_of(ch) != "kanji" for ch in t.surface) or t.surface in lex.generic or t.surface in lex.not_names \
            or t.surface in lex.titles or t.surface in lex.titles_before or _NOT_FAMILY.match(t.surface) \
            or t.surface in occupations():
        return False
    return t.begin == 0 or script_of(text[t.begin - 1]) != "kanji" or tokens[j - 1].pos[0] in ("助詞", "補助記号")


# A word of an office or a place, never a given name after a family name (「田中|警察庁長官」「山田|本部長」).
_OFFICE_WORD = re.compile(r"[庁署局課部所会社省県市町村区]$")


def _surname_like(t: Token) -> bool:
    """A token that can be the family name before a given name the dictionary reads as a word."""
    return t.pos[3] == "姓" or (t.oov and t.pos[1] != "数詞") or (t.pos[1] == "固有名詞" and t.pos[2] in ("人名", "地名")
                                                                and t.pos[3] != "名")  # 「一郎|警察庁」: no family name


def _checked(text: str, start: int, end: int, lex: Lexicon):
    name = text[start:end]
    if not name or name in lex.not_names or name in lex.generic or name.endswith("屋"):
        return None
    if name in lex.titles or name in lex.titles_before:
        return None  # 「巡査部長さん」: a title is no name
    if len(name) == 1 and kana_of(name):
        return None
    if _PSEUDONYM.fullmatch(name) or all(ch in "〇○◯●×＊*・" for ch in name):
        return None
    return (start, end)


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
        if at == te and script_of(text[at]) == "katakana":
            continue  # 「店長ブログ」: katakana glued to a title is another word
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
        if _checked(text, at, at + end, lex):
            out.append((ts, te, at, at + end))
    return out
