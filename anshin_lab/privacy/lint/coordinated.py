"""Kana names listed right after a facility (「童里夢公園やきらっしぇに行きました」): a place of the same list.

SudachiPy cuts such a name into a verb, a particle and a mark, or does not know it at all; a word it knows
(「公園やおうちに」) or a person (「公園と田中さん」) is none. Moved out of ``facilities`` (round 81).
"""

from __future__ import annotations

import re

from anshin_lab.privacy.lint.claims import claimed
from anshin_lab.privacy.lint.lexicon import Lexicon
from anshin_lab.privacy.lint.tokens import is_katakana

__all__ = ["coordinated_names"]

# After a facility and や / と / 、: a name that SudachiPy cannot read as words of the language.
_COORDINATION = re.compile(r"[やと、・]")
_KANA_NAME = re.compile(r"[ぁ-ゖァ-ヺー]{3,12}")
_CASE_AFTER = re.compile(r"(?:に|で|へ|を|の|など|や|と|、|まで|から|が|は|も|付近|周辺)")
# Round 81: landmarks listed with a middle dot before 付近 (「末広町(東京堂・ビクトリー付近)」): a katakana word is a shop.
_NEAR_AFTER = re.compile(r"(?:付近|周辺)")


_QUOTING = ("いう", "いっ", "いわ", "呼ば", "して", "した", "する", "なっ", "なる", "思")


def coordinated_names(text: str, tokens, owner, lex: Lexicon, found: list[tuple]) -> list[tuple]:
    """「童里夢公園やきらっしぇに行きました」: a kana name listed right after a facility, which SudachiPy cuts
    into a verb, a particle and a mark or does not know at all, is a place of the same list. A word it knows
    (「公園やおうちに」「公園やスーパーに」) or a person (「公園と田中さん」) is none."""
    out = []
    for c in found:
        e = c[1]
        if e + 1 >= len(text) or not _COORDINATION.match(text, e) or text.startswith(_QUOTING, e + 1):
            continue  # (「東区役所というところ」: と quotes the name, round 37)
        m = _KANA_NAME.match(text, e + 1)
        if m is None or tokens[owner[m.start()]].begin not in (m.start(), e):
            continue  # (SudachiPy may read や with the name: 「公園|やき|らめ|っこ」)
        # the name ends where a case particle follows, itself followed by no more hiragana (「きらっしぇ|に行き」)
        end = next((b for b in range(m.end(), m.start() + 2, -1) if (p := _CASE_AFTER.match(text, b))
                    and (p.end() >= len(text) or not "ぁ" <= text[p.end()] <= "ゖ" or text[p.end()] in "はも")), None)
        if end is None:
            continue
        inside = tokens[owner[m.start()]:owner[end - 1] + 1]
        if inside[-1].end != end or any(t.person or t.pos[0] in ("連体詞", "代名詞", "副詞", "接続詞", "形状詞", "形容詞")
                                            or t.pos[1] in ("代名詞",) for t in inside):
            continue
        unknown = len(inside) == 1 and (inside[0].oov or inside[0].pos[1] == "固有名詞" and inside[0].pos[2] != "地名")
        unreadable = len(inside) > 1 and any(t.pos[0] in ("動詞", "感動詞", "補助記号", "助動詞", "接尾辞") for t in inside) \
            and (inside[0].pos[0] != "助詞" or inside[0].begin < m.start())
        name = text[m.start():end]
        near = text[e] == "・" and _NEAR_AFTER.match(text, end) is not None and all(is_katakana(ch) for ch in name)
        if (unknown or unreadable or near) and name not in lex.generic and name not in lex.stops \
                and not claimed(text, m.start(), end, lex):
            out.append((m.start(), end, "facility", "施設"))
    return out
