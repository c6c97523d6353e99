"""The text as the detectors read it, with a map back to the text as it was written.

Real exports write the same words in many ways. ``normalize`` makes one spelling
of them and remembers, for every character it writes, which characters of the
original it came from, so a finding on the normalised text is a span of the
original (``Normalized.original``):

- characters that are not there for a reader are dropped: soft hyphens,
  zero-width spaces and joiners, the byte-order mark, variation selectors;
- half-width katakana become full-width with their voicing marks (「ﾛｰｿﾝ」
  「ｶﾞｯｺｳ」), full-width ASCII becomes ASCII, ideographic and no-break spaces
  become spaces, dash look-alikes become ``-`` (one character for one, as
  ``tokens.fold_width``);
- a dash or long-vowel mark between two katakana is the long-vowel mark
  (「ロ－ソン」), between two digits a hyphen (「099ー222ー1234」);
- a reading in brackets right before a facility kind word is left out (「中野島(なかのしま)小学校」 →
  「中野島小学校」);
- Roman numerals are Latin letters (「駒場Ⅰキャンパス」 → 「駒場Iキャンパス」);
- a CJK compatibility ideograph or a Kangxi radical is its unified kanji where Unicode maps it (NFKC, one
  for one: 「神」 U+FA19 → 「神」, 「朗」 U+F929 → 「朗」, 「⽇」 U+2F47 → 「日」, as PDF exports write
  them), and a radical supplement NFKC leaves alone is the kanji the Unicode Character Database names
  equivalent (「⻑」 U+2ED1 → 「長」, ``dictionaries/radical_equivalents.txt``); the variants names are written in
  that Unicode does not map and SudachiPy does not know (「髙橋」「濵田」「𠮷田」「栁田」「駒瀨」「冝保」) are their common kanji, one for one
  (``_NAME_VARIANTS``), so 「髙橋湊様」 reads as the name 「高橋湊」 it is, and any other kanji beyond the Basic
  Multilingual Plane is read as one of it (「石垣𠀋男」); old forms of kanji are their common forms (「礫石淺治」
  → 「礫石浅治」, ``tokens.modern_kanji``), but for those the towns are written with (龍, 條, 澤…);
- the enclosed and squared company marks are written out (「㈱山藤」 → 「(株)山藤」, 「㍿」 → 「株式会社」);
- a phone number written in kanji digits (「〇九〇－一二三四－五六七八」) is written
  in ASCII digits;
- hiragana spellings of facility kinds (``dictionaries/kana_spellings.csv``:
  「しょうがっこう」 → 「小学校」) are written in kanji.

``join_gaps`` goes one step further for names that an export cut in two: one
space or one line break between two Japanese characters is left out
(「山下 小学校」「山下小学\\n校」). ``check`` reads both texts and keeps what the
second one adds across a gap.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata

from anshin_lab.privacy.lint.lexicon import dictionary_lines, kana_spellings, load_lexicon
from anshin_lab.privacy.lint.tokens import fold_width, modern_table

__all__ = ["Normalized", "join_gaps", "normalize"]

# Characters a reader does not see: soft hyphen, zero-width spaces and joiners, word joiner and
# invisible operators, byte-order mark, Mongolian vowel separator, variation selectors.
_INVISIBLE = "\u00ad\u180e\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff" \
    + "".join(chr(c) for c in range(0xFE00, 0xFE10))
_HALF_KANA = re.compile(r"[\uff61-\uff9f][\uff9e\uff9f]?")
_KANJI_DIGITS = str.maketrans("〇○◯零一二三四五六七八九ーｰ・（）", "0000123456789--.()")
# A phone number in kanji digits: it starts with a zero and has ten or eleven digits.
_KANJI_PHONE = re.compile(r"[〇○◯零](?:[〇○◯零一二三四五六七八九]|[\-ーｰ－‐・.()（） ](?=[〇○◯零一二三四五六七八九])){9,16}")
_DASHES = "-ーｰ－‐‑‒–—―−﹣"
_KATAKANA_DASH = re.compile(rf"(?<=[ァ-ヺ])[{_DASHES}](?=[ァ-ヺ])")
# (a long-vowel mark may end a line inside a phone number: 「099ー222ー\n1234」)
_DIGIT_DASH = re.compile(r"(?<=[0-9])(?:[ーｰ・･](?=[0-9])|[ーｰ](?=[ \t]*\r?\n[ \t]*[0-9]))")
# A reading in hiragana inside a name, between kanji and more of the name (read without it before a kind word).
# (A reading in two parts is a full name's, 「西村和市(にしむら・かずいち)交通部長」: it stays, round 42.)
_READING_INSIDE = re.compile(r"(?<=[一-鿿々ヶ])[(（][ぁ-ゖー]{1,24}[)）](?=[一-鿿々ヶァ-ヺ])")
_POST_RUN = re.compile(r"[一-鿿々ヶ0-9]{2,10}")  # a head's post, maybe of a numbered section (「警備2課長」, round 112)
_ROMAN = re.compile(r"[\u2160-\u217f]")
# CJK compatibility ideographs, and the Kangxi radicals and radical supplements that PDF exports write for
# kanji (「⽇」 U+2F47 for 日, 「⾏」 U+2F8F for 行).
_COMPAT_KANJI = re.compile("[\u2e80-\u2fdf\uf900-\ufaff\U0002f800-\U0002fa1f]")
# Marks of a company or corporation in one character: 株式・有限・社団・合名・特定非営利・財団・代表・合資・協同
# (parenthesised), 株・有・社・名 (circled) and ㍿. Only these: circled digits (①) number the points of a
# notice and stay as they are.
_COMPANY_MARK = re.compile("[㈱㈲㈳㈴㈵㈶㈹㈾㈿㊑㊒㊓㊔㍿]")
_INVISIBLE_RE = re.compile(rf"[{re.escape(_INVISIBLE)}]+")
_JAPANESE = r"[ぁ-ゖァ-ヺー一-鿿々〆ヶ]"
# (round 43: two spaces before one kanji that ends the word are a list's padding of a short given name, 「三島  眞 氏」)
_GAP = re.compile(rf"(?<={_JAPANESE})(?: |\u3000|\r?\n|(?:  |\u3000\u3000)(?=[一-鿿々](?:[ \u3000\n]|$)))(?={_JAPANESE})")
# A line that is a field's heading alone (「■行為者の特徴」「◆発生場所」): the line break after it ends the heading,
# no export cut a name there.
_HEADING_LINE = re.compile(r"[ \t\u3000]*[■□◆◇▼▽●◎][^\s、。,，:：]{0,10}"
                           r"(?:特徴|場所|日時|内容|概要|状況|手口|発生|情報|事案|服装|人相|被害|対策|連絡先|問い?合わ?せ先?"
                           r"|施設|お願い|注意|ポイント|様子|経緯|車両|その他|備考)")
# A field's label at the head of a line, then a space (「問い合せ先 本庁舎協働推進課」, round 91): the space ends the label.
_LABEL_BEFORE_GAP = re.compile(r"(?<![^\n])[ \t\u3000]*(?:問い?合わ?せ先|問合せ先|連絡先|担当|担当課|申込先|申し込み先|提出先|宛先)$")


class Normalized:
    """A normalised text and, for each of its characters, the span of the original it stands for."""

    __slots__ = ("text", "starts", "ends", "length", "gaps", "joins")

    def __init__(self, text: str, starts: list[int] | None, ends: list[int] | None, length: int,
                 gaps: tuple[int, ...] = (), joins: tuple[int, ...] = ()):
        self.text = text
        self.starts, self.ends = starts, ends  # None: one character for one
        self.length = length  # of the original
        self.gaps = gaps  # original offsets of the characters join_gaps left out
        self.joins = joins  # where they were, as offsets into ``text``

    def normalized(self, start: int, end: int) -> tuple[int, int]:
        """The span of ``text`` that stands for ``original[start:end]`` (the inverse of ``original``)."""
        if self.starts is None:
            return start, end
        i = bisect.bisect_left(self.starts, start)
        j = bisect.bisect_right(self.ends, end)
        return i, max(i, j)

    def original(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original text that ``text[start:end]`` stands for."""
        if self.starts is None:
            return start, end
        if end <= start:
            at = self.starts[start] if start < len(self.starts) else self.length
            return at, at
        return self.starts[start], self.ends[end - 1]


# Variant kanji of names, one for one (a character each: offsets stay): 髙→高, 濵→濱, 𠮷→吉, 﨑→崎, 栁→柳, 瀨→瀬.
_NAME_VARIANTS = str.maketrans("髙濵𠮷﨑栁瀨冝𠀋𡈽𣘺𥔎", "高濱吉崎柳瀬宜丈土橋崎")  # (round 42: 「冝保」 is 宜保)
# Round 58: any other kanji outside the Basic Multilingual Plane (the CJK extensions B to H, where many names' variants
# live: 「石垣𠀋男」) is read as a kanji of the plane, 丈, so the name around it stays one run of kanji.
_RARE_KANJI = re.compile("[\U00020000-\U0003134F]")


@functools.lru_cache(maxsize=1)
def _kanji_table() -> dict[int, int]:
    """Names' variants, old forms of kanji (``tokens.modern_table``) and radical supplements in one table: one pass
    over the text. (No variant's common kanji is an old form the table would change again.)"""
    return {**_radical_equivalents(), **modern_table(), **_NAME_VARIANTS}


def _radical_equivalents() -> dict[int, int]:
    """The radical supplements NFKC leaves alone, as the kanji Unicode names equivalent (「⻑」 → 「長」, round 126:
    「栁谷章⼆会⻑」 of a PDF export hid a name before its title)."""
    pairs = (line.split()[0].split(";") for line in dictionary_lines("radical_equivalents.txt"))
    return {int(radical, 16): int(kanji, 16) for radical, kanji in pairs}


@functools.lru_cache(maxsize=1)
def _kana_spellings() -> tuple[re.Pattern, dict[str, str]]:
    table = kana_spellings()
    return re.compile("|".join(re.escape(w) for w in sorted(table, key=len, reverse=True))), table


def normalize(text: str) -> Normalized:
    """``text`` in one spelling, with the map back to ``text`` (see the module's docstring)."""
    folded = _RARE_KANJI.sub("丈", fold_width(text).translate(_kanji_table()))
    folded = _KATAKANA_DASH.sub("ー", folded)
    folded = _DIGIT_DASH.sub("-", folded)
    edits: list[tuple[int, int, str]] = []  # (start, end, replacement) on folded, same offsets as text
    for m in _KANJI_PHONE.finditer(folded):
        digits = sum(ch in "〇○◯零一二三四五六七八九" for ch in m.group())
        if 10 <= digits <= 11:
            edits.append((m.start(), m.end(), m.group().translate(_KANJI_DIGITS)))
    for m in _HALF_KANA.finditer(folded):
        edits.append((m.start(), m.end(), unicodedata.normalize("NFKC", m.group())))
    lex = load_lexicon()
    for m in _READING_INSIDE.finditer(folded):
        # 「中野島(なかのしま)小学校」: the reading before a kind word; not before a title that starts like one
        # (「福永大輔(ふくながだいすけ)店長」: a person's reading, found as its own name)
        if lex.suffix_re.match(folded, m.end()) and not lex.title_re.match(folded, m.end()) \
                and not _title_ends_run(folded, m.end(), lex):
            edits.append((m.start(), m.end(), ""))
    for m in _ROMAN.finditer(folded):
        edits.append((m.start(), m.end(), unicodedata.normalize("NFKC", m.group())))  # 「駒場Ⅰキャンパス」
    for m in _COMPAT_KANJI.finditer(folded):
        unified = unicodedata.normalize("NFKC", m.group())
        if unified != m.group() and len(unified) == 1:
            edits.append((m.start(), m.end(), unified))  # 「神社」: the kanji the dictionaries know
    for m in _COMPANY_MARK.finditer(folded):
        edits.append((m.start(), m.end(), unicodedata.normalize("NFKC", m.group())))  # 「㈱山藤」
    pattern, table = _kana_spellings()
    for m in pattern.finditer(folded):
        edits.append((m.start(), m.end(), table[m.group()]))
    for m in _INVISIBLE_RE.finditer(folded):
        edits.append((m.start(), m.end(), ""))
    if not edits:
        return Normalized(folded, None, None, len(text))
    return _apply(folded, edits, len(text))


def _apply(base: str, edits: list[tuple[int, int, str]], length: int, starts=None, ends=None,
           gaps: tuple[int, ...] = ()) -> Normalized:
    """``base`` with the non-overlapping ``edits`` made (the first of overlapping ones wins), mapped back
    through ``starts`` / ``ends`` (the map of ``base`` itself, None for one character for one)."""
    out: list[str] = []
    new_starts: list[int] = []
    new_ends: list[int] = []

    def keep(a: int, b: int) -> None:  # base[a:b] unchanged, each character with its own span
        out.append(base[a:b])
        new_starts.extend(range(a, b) if starts is None else starts[a:b])
        new_ends.extend(range(a + 1, b + 1) if ends is None else ends[a:b])

    at = 0
    for start, end, replacement in sorted(edits, key=lambda e: (e[0], -(e[1] - e[0]))):
        if start < at:
            continue
        keep(at, start)
        if replacement and len(replacement) == end - start:  # one for one: keep each character's own span
            keep(start, end)
            out[-1] = replacement
        elif replacement:
            span_start = start if starts is None else starts[start]
            span_end = end if ends is None else ends[end - 1]
            out.append(replacement)
            new_starts.extend([span_start] * len(replacement))
            new_ends.extend([span_end] * len(replacement))
        at = end
    keep(at, len(base))
    return Normalized("".join(out), new_starts, new_ends, length, gaps)


def join_gaps(norm: Normalized) -> Normalized | None:
    """``norm`` without one space or line break between two Japanese characters (not the line break after a
    heading), or None when it has none."""
    text = norm.text
    spans = [m.span() for m in _GAP.finditer(text)
             if not _LABEL_BEFORE_GAP.search(text, max(0, m.start() - 12), m.start())
             and (text[m.start()] not in "\r\n"
                  or not _HEADING_LINE.fullmatch(text, text.rfind("\n", 0, m.start()) + 1, m.start()))]
    if not spans:
        return None
    gaps = tuple(norm.original(s, e)[0] for s, e in spans)
    joined = _apply(norm.text, [(s, e, "") for s, e in spans], norm.length, norm.starts, norm.ends, gaps)
    removed = 0
    joins = []
    for s, e in spans:
        joins.append(s - removed)
        removed += e - s
    joined.joins = tuple(joins)
    return joined


def _title_ends_run(folded: str, at: int, lex) -> bool:
    """Whether the kanji run at ``at`` ends in a title (「(よしだひでお)交通部長」: 交通 starts a kind word, the run is a
    head's post; round 67)."""
    run = _POST_RUN.match(folded, at)
    return run is not None and any(lex.title_re.fullmatch(folded, i, run.end()) for i in range(at + 1, run.end() - 1))
