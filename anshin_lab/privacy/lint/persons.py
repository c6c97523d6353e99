"""Person findings: the name of a victim, a suspect, a witness or the person a fraud caller claims to be.

- **person**: SudachiPy's 名詞,固有名詞,人名 tags with the title after them
  (``person_titles.csv``: さん, 様, 容疑者, ちゃん…), a 姓 followed by a 名, the
  name a fraud caller gives (「ヤマモトと名乗る男」), and kana given names before
  ちゃん / くん (「ゆいちゃん」). A surname alone, or a place name, is no finding.
  The span leaves the title out. The suggestion is 「〇〇」, the mask Japanese
  police releases print for a withheld name (「〇〇さん方」).

``find_persons`` returns candidates ``(start, end, "person", PERSON_MASK)`` on the folded text.
"""

from __future__ import annotations

import re

from anshin_lab.places import address
from anshin_lab.privacy.lint.findings import PERSON_MASK
from anshin_lab.privacy.lint.lexicon import Lexicon
from anshin_lab.privacy.lint.tokens import Token, is_katakana, kana_of, script_of

__all__ = ["find_persons"]


_CLAIM_NAME_AFTER = re.compile(
    r"[」』]?\s?(?:(?:と|を|って)\s?(?:名乗|なの|名の|称|かた|騙|語|言|いう|いい|申)|です|でございます)")
# Pseudonyms that already hide a name: 「A子さん」「Bさん」「X男」.
_PSEUDONYM = re.compile(r"[A-Za-zＡ-Ｚａ-ｚ][子男美郎]?")
# The title inside a longer word of these classes is that word (「たくさん」「おばさん」「お客様」「彼氏」).
_WORD_CLASSES = ("名詞", "副詞", "代名詞", "連体詞", "形状詞", "接頭辞")


def find_persons(text: str, tokens, owner, lex: Lexicon) -> list[tuple]:
    """Every person named in ``text``: before a title, as 姓 and 名, or as a fraud caller's name."""
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
            out.append((a.begin, tokens[j].end, "person", PERSON_MASK))
    for k, t in enumerate(tokens):
        # The name a fraud caller gives: 「ヤマモトと名乗る男」「「タナカ」を名乗る」「上司の高橋です」.
        if not _CLAIM_NAME_AFTER.match(text, t.end):
            continue
        if t.person and t.pos[3] in ("姓", "名"):
            start = t.begin
            j = k - 1
            while j >= 0 and tokens[j].person and tokens[j].end == start:
                start = tokens[j].begin
                j -= 1
            out.append((start, t.end, "person", PERSON_MASK))
        elif k > 0 and tokens[k - 1].surface == "の" and all(is_katakana(ch) for ch in t.surface) \
                and 2 <= len(t.surface) <= 8 and _checked(text, t.begin, t.end, lex) \
                and not lex.chain_re.fullmatch(t.surface):
            # 「市役所保険課のヤマモトと名乗る」「警察庁のイトウを名乗る」: a katakana name after whom it works for.
            out.append((t.begin, t.end, "person", PERSON_MASK))
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


def _titled_name(text, m, tokens, owner, lex: Lexicon):
    """The name before a title (「山田太郎さん」「ゆいちゃん」), or None."""
    h, h_end = m.span()
    if h == 0:
        return None
    strong = lex.titles[m.group()] == "strong"
    holder = tokens[owner[h]]
    if holder.begin == h and holder.end > h_end:
        return None  # 「ちゃんと」「様子」「氏名」: another word
    if holder.begin < h and holder.end >= h_end and holder.pos[0] in _WORD_CLASSES \
            and not holder.oov and not holder.person:
        return None  # 「たくさん」「おばさん」「お客様」
    k = owner[h - 1]
    if tokens[k].end == h:
        found = _name_block(text, tokens, k, h, lex)
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
    if script == "hiragana":
        # Another title and what follows it is not this name (「お母さんやおばあちゃん」).
        inner = lex.title_re.search(text, start, h)
        while inner:
            start = inner.end()
            inner = lex.title_re.search(text, start, h)
        t = tokens[owner[start]] if start < h else None
        if t is not None and t.begin == start and t.pos[0] == "助詞" and h - t.end >= 2:
            start = t.end  # a particle glued on from the noun before (「名前はゆいちゃん」「3年生のはるとくん」)
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
                    and not (j > 0 and tokens[j - 1].end == t.begin and _surname_like(tokens[j - 1])):
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


def _surname_like(t: Token) -> bool:
    """A token that can be the family name before a given name the dictionary reads as a word."""
    return t.pos[3] == "姓" or (t.oov and t.pos[1] != "数詞") or (t.pos[1] == "固有名詞" and t.pos[2] in ("人名", "地名"))


def _checked(text: str, start: int, end: int, lex: Lexicon):
    name = text[start:end]
    if not name or name in lex.not_names or name in lex.generic or name.endswith("屋"):
        return None
    if len(name) == 1 and kana_of(name):
        return None
    if _PSEUDONYM.fullmatch(name) or all(ch in "〇○◯●×＊*・" for ch in name):
        return None
    return (start, end)
