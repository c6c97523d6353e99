"""Exact ages next to a name: 「田中花子さん(45)」「当時25歳の山田さん」「田中(45)」.

An exact age with a name identifies a person as much as the name does, so it becomes the age group
(「(40歳代)」). A family name alone is no finding, but with an age in brackets it is one; both readings of
the ages around the names found live here.
"""

from __future__ import annotations

import re

from anshin_lab.privacy.lint.findings import PERSON_MASK
from anshin_lab.privacy.lint.lexicon import Lexicon
from anshin_lab.privacy.lint.tokens import can_be_surname, script_of

__all__ = ["find_aged_surnames", "find_ages"]

# An exact age in brackets or with 歳 right after a name and its title: 「(45)」「（45歳）」「45歳」.
# 「古屋美紀さん=当時(54)=」: the press's 「=当時」 may stand between the title and the age; 「警部補(享年31)」 is the age
# of one who died (round 72; 「永島より子さん=享年(59)」, 107); the title's reading may stand before the age (「禰宜(ねぎ)(46)」, 86).
_AGE_AFTER = re.compile(r"\s?(?P<title>[^\s(（、。=＝]{0,9}?)\s?(?:[(（][ぁ-ゖー]{2,10}[)）])?(?:[=＝]\s?(?:当時|享年)\s?)?"
                        r"(?P<age>[(（]\s?(?:当時|享年)?\s?(?P<n1>[0-9]{1,3})\s?(?:歳|才|つ)?\s?[)）]"  # 「(7つ)」: round 38
                        r"|、?\s?(?:当時)?\s?(?P<n2>[0-9]{1,3})\s?(?:歳|才)(?![代位くぐ前])"
                        # 「容疑者(26=同県神戸市…)」: the press's age and home in one bracket; the age alone is the span
                        # (round 53: also 「さん(49、平良東仲宗根)」, and the home first, 「さん(坊沢字屋敷、69歳)」;
                        # round 77: the job after a middle dot, 「さん(43・自営業)」).
                        r"|[(（]\s?(?P<n3>[0-9]{1,3})\s?(?:歳|才)?(?=\s?(?:[=＝]|[、・][^\s0-9、・]))"
                        r"|[(（][^\s()（）、。=＝0-9]{1,12}、\s?(?P<n4>[0-9]{1,3})\s?(?:歳|才)(?=\s?[)）])"
                        # 「容疑者(ゆずりは・ともよし=74)」: the name's reading and the age in one bracket (round 61)
                        r"|(?P<read>[(（][ぁ-ゖァ-ヺー・\s]{2,20}[=＝]\s?(?P<n5>[0-9]{1,3})\s?(?:歳|才)?[)）])"
                        # 「さん(3年・14)」「さん(同・14)」: a pupil's grade, or 同 for the last one's, and the age (round 101)
                        r"|(?P<grade>[(（]\s?(?:[小中高]?[0-9]{1,2}年生?|同)\s?[・、]\s?(?P<n6>[0-9]{1,3})\s?(?:歳|才)?\s?[)）]))")
# Round 93: a profile line, the name, its honorific, a space, what one is or where one lives, a space and the age last.
_PROFILE_AGE = re.compile(r"(?:さん|氏)?[ \u3000][^\s、。()（）]{1,12}[ \u3000](?P<age>(?P<n>[0-9]{1,3})\s?(?:歳|才))(?=\s*$)",
                          re.M)
# Round 94: another name in brackets between the name and its title (「後藤栄治(本名・宮本榮治)容疑者(75)」).
_OTHER_NAME = re.compile(r"[(（](?:本名|旧姓|通称|別名|芸名)[・:：、]?[^()（）\s]{1,12}[)）]")
# An exact age right before a name: 「当時25歳の山田太郎さん」「45歳の田中容疑者」.
_AGE_BEFORE = re.compile(r"(?:当時)?(?P<age>(?P<n>[0-9]{1,3})\s?(?:歳|才))[の、]?\s?$")  # (round 60: 「会計課の23歳、早川さん」)


def find_aged_surnames(text: str, tokens, found: list[tuple]) -> list[tuple]:
    """「田中(45)」: a family or given name alone, with an age in brackets right after it."""
    out = []
    for k, t in enumerate(tokens):
        if not t.person or t.pos[3] not in ("姓", "名"):
            continue
        if k + 1 < len(tokens) and tokens[k + 1].person and tokens[k + 1].begin == t.end:
            continue  # the name goes on
        if k > 0 and tokens[k - 1].end == t.begin and tokens[k - 1].pos[2] == "地名" \
                and tokens[k - 1].surface[-1] in "市町村区郡":
            continue  # 「▽団体(2)小矢部市大谷(3)」: a town of the municipality before it and a rank (round 108)
        end = t.end
        # 「有村|颯(25)」: a given name the dictionary reads as another word, one or two kanji, before the age; or two
        # kanji it reads as two suffixes (「平本|海|心(20)」, round 103).
        j, surname = k + 1, t.pos[3] == "姓"
        while surname and j < len(tokens) and tokens[j].begin == end \
                and end - t.end + len(tokens[j].surface) <= 2 \
                and all(script_of(ch) == "kanji" for ch in tokens[j].surface) \
                and (tokens[j].oov or tokens[j].pos[0] != "名詞" or tokens[j].pos[1] == "固有名詞") \
                and (j == k + 1 or tokens[j].pos[0] == "接尾辞"):
            end = tokens[j].end
            j += 1
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
    out += [(*m.span("name"), "person", PERSON_MASK) for m in _KANA_GIVEN_AGED.finditer(text)
            if can_be_surname(m["family"]) and not any(f[0] <= m.start("name") < f[1] for f in found)]
    return out


# Round 110: a family name in kanji and a given name in hiragana before an age (「議員・永田ゆづる(36歳)」), which
# SudachiPy reads as a place and a verb.
_KANA_GIVEN_AGED = re.compile(r"(?:^|(?<=[・、\s]))(?P<name>(?P<family>[一-龥々]{2,3})[ぁ-ゖ]{2,4}?)"
                              r"(?=(?:さん|ちゃん|くん|さま)?[(（][0-9]{1,3}歳?[)）])")


# What may stand around a title before an age: 「前会長(70)」「支店長代理(45)」「巡査部長さん(30)」; the press
# joins a name and its role with 「・」 (「鹿子木敏明・現南大分支店長(48)」).
_TITLE_AROUND = re.compile(r"^[・･]?(?:前|元|現)?(?P<title>.+?)(?:代理|補佐|心得|代行)?(?:さん|様|氏)?$")


def _is_title_run(words: str, lex: Lexicon) -> bool:
    """Whether ``words`` between a name and an age is a title, maybe with 前/元 before it and 代理/さん after it."""
    m = _TITLE_AROUND.match(words)
    if not m:
        return False
    title = m["title"]
    if title in lex.titles or title in lex.titles_before:
        return True
    head, joined, rest = title.partition("兼")
    if joined and head and rest:  # 「総務部長兼会計(64)」: two posts held at once (round 88)
        return _is_title_run(head, lex) and (rest in _OFFICES_HELD or _is_title_run(rest, lex))
    # 「統括支店長(45)」「総務部長(59)」「代表取締役社長(55)」: a unit, rank or branch of up to six kanji before a
    # known title of two or more.
    return bool(_KANJI_RUN.fullmatch(title)) and any(
        title[i:] in lex.titles or title[i:] in lex.titles_before for i in range(1, min(7, len(title) - 1)))


# (round 92: a club's katakana may stand in the unit, 「老人ク連合会長(84)」「老人クラブ会長(80)」)
_KANJI_RUN = re.compile(r"[一-鿿々ヶ][一-鿿々ヶァ-ヺー]{2,8}")
# The offices of a club or an association's board, held with a post (「総務部長兼会計」).
_OFFICES_HELD = ("会計", "書記", "幹事", "庶務", "監事")


# The end of a given name the finder cut short, and its honorific (「伊東優意|花ちゃん(5)」, round 37; in hiragana,
# 「須藤|らなさん(44)」, round 41).
_NAME_END_TITLE = re.compile(r"(?:[一-龥々]{1,2}|[ぁ-ゖ]{1,3})(?:さん|ちゃん|くん|君)")


def _age_group(age: int) -> str:
    return "10歳未満" if age < 10 else f"{age // 10 * 10}歳代"


def find_ages(text: str, names: list[tuple], lex: Lexicon) -> list[tuple]:
    """The exact age right after each name found (after its title, if any), or right before it
    (「当時25歳の山田さん」)."""
    out = []
    for start, end, _, _ in names:
        before = _AGE_BEFORE.search(text, max(0, start - 9), start)
        if before and not (before.start() > 0 and text[before.start() - 1].isdigit()):
            out.append((*before.span("age"), "person", _age_group(int(before["n"]))))
        line = _PROFILE_AGE.match(text, end)
        if line is not None:  # 「…就任した 山本 裕行さん 神奈川県警視 57歳」: a profile line's age at its end (round 93)
            out.append((*line.span("age"), "person", _age_group(int(line["n"]))))
            continue
        aside = _OTHER_NAME.match(text, end)  # (round 94)
        m = _AGE_AFTER.match(text, aside.end() if aside else end)
        if m is None or (m["title"] and not _is_title_run(m["title"], lex) and not lex.title_re.fullmatch(m["title"])
                         and m["title"] not in ("さん方", "方", "氏方") and not _NAME_END_TITLE.fullmatch(m["title"])):
            continue
        group = _age_group(int(m["n1"] or m["n2"] or m["n3"] or m["n4"] or m["n5"] or m["n6"]))
        if m["n6"]:
            out.append((m.start("grade"), m.end(), "person", text[m.start("grade"):m.start("n6")] + group + ")"))
            continue
        if m["n5"]:
            out.append((m.start("read"), m.end(), "person", group))  # the reading spells the name: all of it goes
            continue
        written = f"({group})" if m["n1"] else group
        if m["n3"] or m["n4"]:
            out.append((*m.span("n3"), "person", group) if m["n3"] else (m.start("n4"), m.end(), "person", group))
            continue
        out.append((m.start("age") if m["n1"] else m.start("n2"), m.end(), "person", written))
        then = _AGE_THEN.match(text, m.end())
        if then is not None:  # 「容疑者56歳(事件当時55歳)」: the age at the time of the crime too (round 120)
            out.append((*then.span("age"), "person", _age_group(int(then["n"]))))
    return out


_AGE_THEN = re.compile(r"[(（](?:事件|犯行|事故)?当時\s?(?P<age>(?P<n>[0-9]{1,3})\s?(?:歳|才))[)）]")
