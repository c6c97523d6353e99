"""The municipality or town a facility's name starts with, runs into, or only is.

「鹿児島市吉野公民館」 starts with the municipality, which is no part of the name; 「皇徳寺台」 is a town of
the gazetteer, not a 台; 「松山市馬木町公園内」 is only an address and a park in it. The facility finders,
``landmarks``, ``frames``, ``mentions`` and ``check`` all ask these questions of the gazetteer
(``anshin_lab.places.address``) and of ``municipalities.txt``.
"""

from __future__ import annotations

import re

from anshin_lab.core.directive import PREFECTURE
from anshin_lab.places import address
from anshin_lab.privacy.lint.lexicon import Lexicon
from anshin_lab.privacy.lint.tokens import fold_width
from anshin_lab.privacy.lint.towns import municipality_prefix

__all__ = ["MUNICIPAL", "PREFECTURE_NAMES", "PREFECTURE_STEMS", "after_municipality", "covered_by_town",
           "is_municipality_name", "only_address", "strip_municipality"]

def covered_by_town(text: str, name_start: int, kind_start: int, kind_end: int, tokens=None, owner=None) -> bool:
    """Whether a town of the gazetteer starts in the name and runs over the kind word (「皇徳寺台」).

    With ``tokens`` and ``owner``, the town must start where a word starts: 「熊本城」 is one word, so
    the town 「本城」 inside it is no reading of it.
    """
    gaz = address.gazetteer()
    for p in range(name_start, kind_start):
        if tokens is not None and p > name_start and tokens[owner[p]].begin != p:
            continue
        for length in gaz.all_lengths:
            if p + length < kind_end:
                break
            if p + length <= len(text) and address.fold(text[p:p + length]) in gaz.everywhere:
                return True
    return False


def strip_municipality(text: str, start: int, stop: int, tokens, owner) -> int:
    """Skip the prefecture and the municipality at the start of a name (「鹿児島市」 in 「鹿児島市吉野公民館」)."""
    def ends_word(at: int) -> bool:
        # 「鹿児島市立病院」「鹿児島県立図書館」 are names: the municipality with 立 / 営 after it stays.
        if at >= stop:
            return True
        t = tokens[owner[at]]
        return (t.begin < at and t.pos[2] == "地名") or (t.begin == at and t.pos[0] != "接尾辞")

    if text.startswith(PREFECTURE, start) and ends_word(start + len(PREFECTURE)):
        start += len(PREFECTURE)
    if start >= stop:
        return start
    gaz = address.gazetteer()
    found = gaz.match_city(text[start:stop])
    if found and ends_word(start + found[1]):
        if start + found[1] >= stop and address.fold(text[start:stop]) in gaz.everywhere:
            return start  # 「錦江町小学校」: 錦江町 is also a town of 垂水市 and 鹿児島市
        return start + found[1]
    return start


def after_municipality(text: str, at: int) -> int:
    """The length of the municipality of the prefecture (or 同市 / 同町 / 同村) that text[:at] ends with,
    else 0 (「鹿児島市|山下小学校」: 4)."""
    folded = fold_width(text[max(0, at - 12):at])
    if re.search(r"同[市町村]$", folded):
        return 2
    gaz = address.gazetteer()
    return next((length for length in gaz.city_lengths
                 if length <= len(folded) and address.fold(folded[-length:]) in gaz.cities), 0)


PREFECTURE_STEMS = frozenset(
    "北海道 青森 岩手 宮城 秋田 山形 福島 茨城 栃木 群馬 埼玉 千葉 東京 神奈川 新潟 富山 石川 福井 山梨 長野 岐阜 静岡 "
    "愛知 三重 滋賀 京都 大阪 兵庫 奈良 和歌山 鳥取 島根 岡山 広島 山口 徳島 香川 愛媛 高知 福岡 佐賀 長崎 熊本 大分 "
    "宮崎 鹿児島 沖縄".split())
# The prefectures' names in full (「北海道」「東京都」「大阪府」「鹿児島県」).
PREFECTURE_NAMES = frozenset({"北海道", "東京都", "京都府", "大阪府"}
                             | {stem + "県" for stem in PREFECTURE_STEMS if stem not in ("北海道", "東京", "京都", "大阪")})


def is_municipality_name(word: str, lex: Lexicon) -> bool:
    """Whether ``word`` is a prefecture, a municipality of Japan or its stem (「善通寺」 of 善通寺市)."""
    return word in lex.municipalities or word in lex.municipality_stems or word in PREFECTURE_STEMS


# A municipality inside a place-name token: SudachiPy knows many addresses whole (「松山市畑寺」).
MUNICIPAL = re.compile(r"[一-龥ぁ-んァ-ヺ]{1,6}?[市郡]")


def only_address(parts, lex: Lexicon) -> bool:
    """Whether a name is only the address written before its kind: a place-name token holding the
    municipality, then 大字 / 字 / 甲 / 乙, numbered 丁目 and further place names."""
    addressy = False
    for t, _, _ in reversed(parts):
        # (a municipality of Japan, not any 〜市 inside a town's name: 「東市来町伊作田」 starts with no 東市)
        if t.pos[2] == "地名" and MUNICIPAL.match(t.surface) \
                and (MUNICIPAL.match(t.surface).group().endswith("郡") or municipality_prefix(t.surface, lex)[0]) \
                or t.surface in ("大字", "字", "甲", "乙", "丙") \
                or re.fullmatch(r"[0-9一二三四五六七八九十]+丁目", t.surface):
            addressy = True
        elif not ((t.pos[2] == "地名" and addressy) or t.surface in lex.generic or t.pos[1] == "数詞"
                  or t.surface == "丁目"):
            return False
    return addressy
