"""Storytellers (落語家) by their stage names: a house's name and their own, one person (「三遊亭小游三師匠」
「林家たい平」).

A stage name is a person's name though no dictionary holds it: the house's name is a family name the press prints
in full, and the name after it is often in hiragana (「林家つる子さん」).
"""

from __future__ import annotations

import re

from anshin_lab.privacy.lint.findings import PERSON_MASK

__all__ = ["find_storytellers"]

# Round 102: a storyteller's name, his house's name in 亭 and his own, before 師匠/さん/氏 or quoted as a name
# (「三遊亭小游三師匠出演の」「「人星亭喜楽駄米」の名で」): one person, no restaurant (亭); round 104: or alone on its line,
# maybe in brackets (「児童(青葉亭ゆうやけ)」).
_HOUSE_NAME = re.compile(r"(?P<name>(?:(?<![一-鿿々])[一-鿿々]{1,5}|(?:(?<=[^ぁ-ゖ]の)|(?<![ぁ-ゖ]))(?!の)[ぁ-ゖ]{2,5})"
                         r"亭[ぁ-ゖ一-鿿々]{1,6}?)(?=師匠|さん|氏|」の名|\s*$|[)）]\s*$)", re.M)
_SHOP_IN_NAME = re.compile(r"[店館屋荘苑庵]")
# Round 122: the houses whose names hold no 亭, and the name after them, before its title, の or a quote's end
# (「DVD「林家たい平の高齢ドライバーの交通安全」」「林家つる子さん」); no other word of the family (「林家の方」).
_HOUSE_PLAIN = re.compile(r"(?<![一-鿿々])(?P<name>(?:林家|柳家|橘家|鈴々舎)(?![のさ様])[ぁ-ゖ一-鿿々ー]{1,5}?)"
                          r"(?=師匠|さん|氏|の|」|』|[)）]|\s*$)", re.M)


def find_storytellers(text: str) -> list[tuple]:
    """Stage names of storytellers, ``(start, end, "person", suggestion)``."""
    out = []
    if "亭" in text:  # (every text is linted: few name a storyteller)
        out += [(*m.span("name"), "person", PERSON_MASK) for m in _HOUSE_NAME.finditer(text)
                if not _SHOP_IN_NAME.search(m["name"], m["name"].index("亭"))]  # (「松月亭本店」 is a restaurant)
    if "家" in text or "鈴々舎" in text:
        out += [(*m.span("name"), "person", PERSON_MASK) for m in _HOUSE_PLAIN.finditer(text)]
    return out
