"""Places listed with their address (issue 14, round 24): 「京都聖嬰会 北区衣笠西尊上院町22/TEL:462-9268」.

A city's list of homes, offices or shops writes each line as a name, a space and its address with a lot number:
the name before that address is a place's, whatever its kind word (an operator's name 「〇〇会」 often has none).
A group's page writes its base the other way round, the address and then the quoted name (「活動拠点:宇和島市文京町
4番1号 「陽だまりの部屋」」, round 27), and a venue the address, the building and its floor (「長崎市築町3番18号
メルカつきまち5階プラザホール」, round 129).
``find_listed`` returns candidates ``(start, end, "facility", "施設")`` on the normalised text, given the exact
addresses already found.
"""

from __future__ import annotations

import re

from anshin_lab.privacy.lint.lexicon import Lexicon
from anshin_lab.privacy.lint.municipalities import is_municipality_name
from anshin_lab.privacy.lint.tokens import tokenize
from anshin_lab.privacy.lint.towns import municipality_prefix

__all__ = ["find_listed"]

# A line's first words, then one or more spaces: the name of the line's entry (maybe after a list number).
_ENTRY = re.compile(r"(?:^|(?<=\n))[ \u3000]*(?:[0-9]{1,3}[.)．]?[ \u3000]+)?"
                    r"(?P<name>[一-龥々〆ヶぁ-ゖァ-ヺーA-Za-z0-9・&]{2,24})[ \u3000]+")
# A quoted name right after an address: the place at that address.
_QUOTED_AFTER = re.compile(r"[ \u3000]*[「『](?P<name>[^」』「『\n]{2,20})[」』]")
# A building's name after an address and a space, then its floor: one with no kind word, for the facility finders
# read the others (「…ビル」); kana or Latin letters in it, for a name of kanji alone is a generic one (「本庁舎」).
_BUILDING_BEFORE_FLOOR = re.compile(r"[ \u3000]+(?P<name>[^\s、。,，「」『』()（）]{2,20}?)[ \u3000]?"
                                    r"(?:[0-9]{1,2}|[一二三四五六七八九十]{1,2})(?:階|F)")
_KANA_OR_LATIN = re.compile(r"[ぁ-ゖァ-ヺA-Za-z]")
# What names no entry: police, municipal and generic words before an address (「住所 …」「所在地 …」).
_NOT_A_NAME = re.compile(r"(?:住所|所在地|場所|会場|連絡先|問い?合わ?せ先?|電話|TEL|FAX|警察|署|交番|駐在所|県|市|町|村|区)$")


def find_listed(text: str, lex: Lexicon, addresses: list[tuple]) -> list[tuple]:
    """The names that start a line right before one of ``addresses`` (the candidates found so far)."""
    out = []
    starts = {a[0] for a in addresses if a[2] == "exact_address"}
    if not starts:
        return out
    for m in _ENTRY.finditer(text):
        if m.end() not in starts:
            continue
        name = m["name"]
        if _NOT_A_NAME.search(name) or name in lex.generic or name in lex.stops or is_municipality_name(name, lex) \
                or municipality_prefix(name, lex)[0] == len(name) or name.isdigit():
            continue
        if any(t.person for t in tokenize(name)):
            continue  # 「山田太郎 北区…」: a person's address, which the person finders read
        out.append((m.start("name"), m.end("name"), "facility", "施設"))
    for a in addresses:
        quoted = _QUOTED_AFTER.match(text, a[1]) if a[2] == "exact_address" else None
        if quoted is not None and quoted["name"] not in lex.generic:
            out.append((*quoted.span("name"), "facility", "施設"))
        building = _BUILDING_BEFORE_FLOOR.match(text, a[1]) if a[2] == "exact_address" else None
        if building is not None and _kindless_name(building["name"], lex):
            out.append((*building.span("name"), "facility", "施設"))
    return out


def _kindless_name(name: str, lex: Lexicon) -> bool:
    """Whether ``name`` (before a floor) is a building's own name with no kind word: kana or Latin letters, no digit,
    no generic or municipal word, no kind word at its end (「危機管理センター」 is a municipal office's)."""
    return bool(_KANA_OR_LATIN.search(name)) and not any(ch.isdigit() for ch in name) and name not in lex.generic \
        and not _NOT_A_NAME.search(name) and not any(k.end() == len(name) for k in lex.suffix_re.finditer(name))
