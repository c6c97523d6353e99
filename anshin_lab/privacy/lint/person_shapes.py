"""Names found by the shape of the sentence around them, where the words of the name alone say too little.

- **A suspect or a victim as the news prints them**: 「<住所>、<職業>、<氏名>容疑者(NN)」. A run of kanji
  right before 容疑者 / 被告 / 被疑者 / 受刑者 / さん / 氏 with an exact age after it is a name, even when
  SudachiPy reads it as common words (「西部|庄|大容疑者(27)」); an occupation glued before it
  (``occupations.txt``: 「無職須原城容疑者」) or a common word before a family name is left out.
- **Names in a row**: 「長島会長と石井副会長」「神谷さんと天野さん」. When one of two titled words joined by
  と, や, 、 or ・ is a name found, the other, a kanji run of one to five characters that SudachiPy
  reads as proper nouns or unknown words, is a name too.
- **A name claimed in kanji** (「伊集院と名乗る男」) and **family names in a row before 両 and a shared
  title** (「上原・砂辺両巡査」).
- **A stage name** (「テリー伊藤」: katakana glued to a family name) and **a name with its role in brackets**
  (「尾木直樹(教育評論家)」「パックン(タレント)」).
- **Who wrote or answers for a page**, after its label (「記事:仲田」「担当:生活安全課 津波古」).
- **A nickname or a claimed name in brackets**: 「「カートの須藤」と呼んでいた」「「ゲームセンターの松尾」と
  名乗る」: the family name at the end of a name the text says someone was called or called himself.

``find_shaped_names`` returns candidates ``(start, end, "person", suggestion)`` on the folded text.
"""

from __future__ import annotations

import functools
import re

from anshin_lab.privacy.lint.findings import PERSON_MASK
from anshin_lab.privacy.lint.lexicon import Lexicon, _lines
from anshin_lab.privacy.lint.tokens import can_be_surname, kana_of, script_of, tokenize

__all__ = ["after_occupation", "find_shaped_names", "occupations"]


@functools.lru_cache(maxsize=1)
def occupations() -> tuple[str, ...]:
    """The occupations of ``occupations.txt``, longest first."""
    return tuple(sorted(set(_lines("occupations.txt")), key=len, reverse=True))


_KANJI = "一-鿿々〆ヶ"
# 「西部庄大容疑者(27)」「無職須原城容疑者 (33)」「山田花子さん(45)」「田中一郎さん45歳」.
_AGED = re.compile(rf"(?<![{_KANJI}])(?P<run>[{_KANJI}]{{2,14}}?)\s?(?:容疑者|被告人|被告|被疑者|受刑者|さん|氏)"
                   r"\s?(?=[(（]\s?(?:当時)?\s?[0-9]{1,3}\s?(?:歳|才)?\s?[)）]|[0-9]{1,3}\s?(?:歳|才))")
# Words of a person that are no name before a title: 「少年容疑者」「男性被告」.
_PEOPLE_WORDS = re.compile(r"^(?:男|女|少年|少女|男性|女性|男子|女子|男児|女児|容疑者|被告|同|元|両|被害者|運転手)")


def find_shaped_names(text: str, tokens, owner, lex: Lexicon, found: list[tuple]) -> list[tuple]:
    """The names the shapes of the module give; ``found`` are the persons already found."""
    out = _aged_in_news(text, lex)
    out += _in_a_row(text, tokens, owner, lex, found + out)
    out += _nicknames(text, tokens, owner)
    out += _claimed(text, tokens, lex)
    out += _stage_names(text, tokens)
    out += _after_labels(text, lex)
    out += _with_role(text, lex)
    out += _listed_before_title(text, tokens, owner, lex)
    return out


def _aged_in_news(text: str, lex: Lexicon) -> list[tuple]:
    out = []
    for m in _AGED.finditer(text):
        a, b = m.span("run")
        a = after_occupation(text, a, b)
        if a is None or b - a < 2 or b - a > 5:
            continue
        name = text[a:b]
        if _PEOPLE_WORDS.match(name) or name in lex.not_names or name in lex.generic or name in lex.titles \
                or name in lex.titles_before or name in lex.municipalities:
            continue
        piece = tokenize(name)
        if len(piece) == 1 and piece[0].pos[1] == "普通名詞" and not piece[0].oov and not can_be_surname(name):
            continue  # 「少年」「会社員」: one common word
        if any(t.pos[0] not in ("名詞", "接頭辞", "接尾辞", "副詞", "形状詞", "助動詞") or t.pos[1] == "数詞" for t in piece):
            continue
        out.append((a, b, "person", PERSON_MASK))
    return out


def after_occupation(text: str, a: int, b: int) -> int | None:
    """Where the name in the kanji run text[a:b] starts: after the last occupation in it (「無職|須原城」
    「市立横井小教諭|松野隆司」), or after common words before a family name (「建築|作業員」), else at ``a``."""
    run = text[a:b]
    best = None
    for word in occupations():
        at = run.rfind(word)
        if at >= 0 and (best is None or at + len(word) > best):
            best = at + len(word)
    if best is not None:
        return a + best if best < len(run) else None
    piece = tokenize(run)
    for i, t in enumerate(piece[:-1]):
        if t.pos[1] != "普通名詞" or t.oov:
            break
        nxt = piece[i + 1]
        if nxt.pos[2] == "人名" and nxt.pos[3] == "姓":
            return a + nxt.begin  # 「運送業者|山田太郎」
    return a


# Between two titled names in a row: 「長島会長と石井副会長」「田中さん、鈴木さん」.
_JOIN = re.compile(r"\s?(?:と|や|、|・|及び|および|並びに|,)\s?")


def _in_a_row(text: str, tokens, owner, lex: Lexicon, found: list[tuple]) -> list[tuple]:
    out = []
    names = {(f[0], f[1]) for f in found if f[3] == PERSON_MASK}
    for m in lex.title_re.finditer(text):
        if lex.titles[m.group()] == "strong":
            continue  # 「くん」「ちゃん」: mascots and children stand in rows too
        h, e = m.span()
        if h == 0 or tokens[owner[h]].begin != h or (e < len(text) and tokens[owner[e - 1]].end != e):
            continue
        if any(b == h for _, b in names):
            continue  # already a name
        start = _kanji_name_start(text, tokens, owner, h, lex)
        if start is None:
            continue
        # the name of a neighbour in the row: after this title, or before the title this one follows
        j = _JOIN.match(text, e)
        after = j and any(a == j.end() and lex.title_re.match(text, b) for a, b in names)
        before = False
        for a, b in names:
            t = lex.title_re.match(text, b)
            if t:
                jj = _JOIN.match(text, t.end())
                before = before or bool(jj and jj.end() == start)
        if after or before:
            out.append((start, h, "person", PERSON_MASK))
    return out


def _kanji_name_start(text: str, tokens, owner, h: int, lex: Lexicon) -> int | None:
    """Where a name of one to five kanji ending at ``h`` starts, when the tokens there are proper nouns,
    unknown words or family names and the run starts a word (「長島|会長」, not 「防犯協会|長」)."""
    k = owner[h - 1]
    start = h
    while k >= 0 and tokens[k].end == start and h - tokens[k].begin <= 5:
        t = tokens[k]
        if any(script_of(ch) != "kanji" for ch in t.surface):
            break
        if not (t.pos[1] == "固有名詞" or t.oov or can_be_surname(t.surface)) or t.pos[1] == "数詞":
            break
        start = t.begin
        k -= 1
    if start == h or (start > 0 and script_of(text[start - 1]) == "kanji"):
        return None
    name = text[start:h]
    if name in lex.not_names or name in lex.generic or name in lex.municipalities or name in lex.titles \
            or re.search(r"[都道府県市区町村郡]$", name):
        return None
    if not can_be_surname(name) and not any(tokens[i].person or tokens[i].oov for i in range(owner[start], owner[h - 1] + 1)):
        return None
    return start


# 「「カートの須藤」と呼んでいた」「「○○の田中」などと呼ばれ」: a nickname, its last word a family name.
_NICKNAME = re.compile(r"[「『](?P<what>[^「」『』]{1,12}?)の(?P<name>[一-鿿々ヶ]{1,4})[」』](?=(?:など)?(?:と|って|を)\s?(?:呼|言|い|称|名乗|なの))")


def _nicknames(text: str, tokens, owner) -> list[tuple]:
    out = []
    for m in _NICKNAME.finditer(text):
        a, b = m.span("name")
        t = tokens[owner[a]]
        if t.begin == a and t.end == b and (t.pos[2] == "人名" or can_be_surname(t.surface)):
            out.append((a, b, "person", PERSON_MASK))
    return out


# 「伊集院と名乗る男」「名前は蓮見だと名乗った」「「名前は長谷川だ」と名乗った」: a name in kanji right before
# the verb of a claim.
_CLAIM_AFTER = re.compile(r"(?:だ|です)?[」』]?\s?(?:と|を|って)\s?(?:名乗|なの|称)")


def _claimed(text: str, tokens, lex: Lexicon) -> list[tuple]:
    """A family or given name (SudachiPy 人名, or a place that is also a family name and no municipality)
    right before 「と名乗る」 that starts a word."""
    out = []
    for k, t in enumerate(tokens):
        if script_of(t.surface[0]) != "kanji" or not (
                (t.person and t.pos[3] in ("姓", "名")) or (t.pos[2] == "地名" and can_be_surname(t.surface))):
            continue  # 「伊集院」 is a place to SudachiPy, and a family name
        if t.begin > 0 and tokens[k - 1].end == t.begin and script_of(text[t.begin - 1]) == "kanji":
            continue  # the end of a longer word
        if _CLAIM_AFTER.match(text, t.end) and t.surface not in lex.not_names and t.surface not in lex.municipalities \
                and t.surface not in lex.municipality_stems:
            out.append((t.begin, t.end, "person", PERSON_MASK))
    return out


# 「上原・砂辺両巡査」「宇土原、栗栖両容疑者」: family names in a row before 両 and the title they share.
_SHARED_TITLE = re.compile(rf"(?P<row>[{_KANJI}]{{1,5}}(?:[・、][{_KANJI}]{{1,5}}){{1,4}})両(?=[{_KANJI}])")


def _listed_before_title(text: str, tokens, owner, lex: Lexicon) -> list[tuple]:
    out = []
    for m in _SHARED_TITLE.finditer(text):
        title = lex.title_re.match(text, m.end())
        if title is None or lex.titles[title.group()] == "strong":
            continue
        items, p = [], m.start("row")
        for item in re.split(r"[・、]", m.group("row")):
            items.append((p, p + len(item)))
            p += len(item) + 1
        names = [(a, b) for a, b in items if _row_name(text[a:b], lex)]
        if len(names) == len(items):
            out += [(a, b, "person", PERSON_MASK) for a, b in names]
    return out


def _row_name(name: str, lex: Lexicon) -> bool:
    """Whether ``name`` in a row before a shared title can be a name: it starts with a family name."""
    if name in lex.not_names or name in lex.generic or name in lex.municipalities or name in lex.titles:
        return False
    piece = tokenize(name)
    return bool(piece) and (piece[0].pos[3] == "姓" or can_be_surname(piece[0].surface) or can_be_surname(name))


def _stage_names(text: str, tokens) -> list[tuple]:
    """「テリー伊藤」「ジャガー横田」: a name in katakana glued to a family name (SudachiPy 人名 both); SudachiPy may
    hold a famous one with its role in one token (「伊藤(タレント)」), which the name leaves out."""
    out = []
    for a, b in zip(tokens, tokens[1:]):
        if a.end != b.begin or not (a.person and b.person and b.pos[3] == "姓") or len(a.surface) < 2 \
                or not all(kana_of(ch) == "katakana" for ch in a.surface):
            continue
        cut = b.surface.find("(")
        out.append((a.begin, b.begin + cut if cut > 0 else b.end, "person", PERSON_MASK))
    return out


# 「尾木直樹(教育評論家)」「パックン(タレント)」: a name, then the role the press gives it in brackets.
_ROLE = re.compile(rf"(?<![{_KANJI}ァ-ヺー])(?P<name>[{_KANJI}]{{2,5}}|[ァ-ヺー・]{{3,12}})[(（][^()（）]{{0,12}}?"
                   r"(?:タレント|俳優|女優|歌手|評論家|コメンテーター|アナウンサー|キャスター|作家|漫画家|弁護士|教授|"
                   r"准教授|ジャーナリスト|心理士|研究者|専門家)[)）]")


def _with_role(text: str, lex: Lexicon) -> list[tuple]:
    out = []
    for m in _ROLE.finditer(text):
        name = m.group("name")
        if name in lex.not_names or name in lex.generic or name in lex.municipalities or name in lex.titles:
            continue
        piece = tokenize(name)
        if len(piece) == 1 and piece[0].pos[1] == "普通名詞" and not piece[0].oov:
            continue  # 「専門家(弁護士)」: a word, not a name
        if any(t.pos[0] not in ("名詞", "接尾辞", "接頭辞", "補助記号") or t.pos[2] == "地名" for t in piece):
            continue
        out.append((*m.span("name"), "person", PERSON_MASK))
    return out


# 「担当:生活安全課 津波古」「記事:仲田」「文責 教頭 比嘉」「問い合わせ先 総務課 上江洲(内線123)」: who wrote or answers
# for a page, after the label, maybe a unit or a title, at the end of the line or before a bracket.
_LABELLED = re.compile(rf"(?:担当者?|記事|文責|報告者|作成者|記入者|記録者|発信者|執筆者?|問い?合わ?せ先?|連絡先)\s?[:：]?\s?"
                       rf"(?:[{_KANJI}]{{1,10}}(?:課|係|室|部|班|局|署|センター)\s)?(?:(?P<title>[{_KANJI}]{{1,4}})\s)?"
                       rf"(?P<name>[{_KANJI}]{{1,4}})(?=\s*(?:$|\n|[(（]|[、,/／]))")


def _after_labels(text: str, lex: Lexicon) -> list[tuple]:
    out = []
    for m in _LABELLED.finditer(text):
        if m["title"] and m["title"] not in lex.titles and m["title"] not in lex.titles_before:
            continue
        name = m["name"]
        if name in lex.not_names or name in lex.generic or name in lex.titles or name in lex.titles_before:
            continue
        piece = tokenize(name)
        if (len(piece) == 1 and piece[0].person) or can_be_surname(name):
            out.append((*m.span("name"), "person", PERSON_MASK))
    return out
