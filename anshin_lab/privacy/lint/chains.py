"""Chains and shops named with their branch: 「ローソン鹿児島宇宿店」「ファミリーマート 和歌山松江北店」「桑名市桑部店」.

A chain (``chains.csv``) is found by its own spelling, not by a kind word after a name, so it has its
finder here; ``facilities`` takes its spans as proof that a name is a proper one. Shops named only after
their town (a municipality, one of its towns and 店) are the same kind of finding and live here too.
"""

from __future__ import annotations

import re

from anshin_lab.privacy.lint.claims import POLICE_AFTER, claimed
from anshin_lab.privacy.lint.lexicon import CATEGORY_SUGGESTIONS, Lexicon
from anshin_lab.privacy.lint.tokens import is_katakana, katakana_after_common_word, lower_ascii, script_of
from anshin_lab.privacy.lint.towns import town_after_municipality

__all__ = ["PLACE_GA", "find_chains", "town_branches"]

def _script(ch: str) -> str:
    if is_katakana(ch):
        return "katakana"
    if ch.isascii() and ch.isalnum():
        return "latin"
    return "other"


# A person's honorific or role after a name (round 108: 「万代さん」「万代選手」 is a person, no supermarket).
_HONORIFIC_AFTER = re.compile(r"(?:さん|さま|様|氏|選手|君|くん|ちゃん)")
# A body cited as the source of what the text says (「〜によると」「〜の調べでは」).
_SOURCE_AFTER = re.compile(r"(?:に(?:よると|よれば)|の(?:調べ|調査|発表|まとめ)(?:では|によると|によれば))")


def find_chains(text: str, tokens, owner, lex: Lexicon) -> list[tuple]:
    """Every chain named in ``text`` (with its branch: 「ローソン鹿児島宇宿店」) that is a place."""
    out = []
    for m in lex.chain_scan.finditer(lower_ascii(text)):
        start, end = m.span()
        # 「イオン」 in 「ライオン」, 「イオンカード」: a chain is a word of its own.
        if start > 0 and _script(text[start - 1]) == _script(text[start]) != "other":
            continue
        if _after_common_word(start, tokens, owner):
            continue
        if _HONORIFIC_AFTER.match(text, end) and all(script_of(ch) == "kanji" for ch in text[start:end]):
            continue  # 「万代さんらは」: a family name that a chain also bears (round 108)
        if end < len(text) and _script(text[end - 1]) == _script(text[end]) != "other" \
                and not _STAFF_AFTER.match(text, end):
            continue  # (but 「ローソンオーナー」「ローソンスタッフ」: the chain's staff)
        if end < len(text) and script_of(text[end - 1]) == script_of(text[end]) == "kanji" \
                and tokens[owner[end - 1]].end > end:
            continue  # 「公文書」: a kanji chain inside a longer word
        if _BODY_AFTER.match(text, end):
            continue  # 「コスモス交通安全協力会」: a body the chain's name opens, no shop (round 124)
        # The branch: place names after the chain, then 店 (「ローソン鹿児島宇宿店」).
        k = owner[end] if end < len(text) else len(tokens)
        stretch = end
        while k < len(tokens) and tokens[k].begin == stretch and tokens[k].pos[2] == "地名" and k - owner[end] < 3:
            stretch = tokens[k].end
            k += 1
        branch = _branch_end(text, end, tokens, owner, lex)
        if branch:
            end = branch  # 「ファミリーマート 和歌山松江北店」「平和堂あどがわ店」
        elif text.startswith("店", stretch):
            end = stretch + 1
        elif stretch > end:
            end = stretch
        if claimed(text, start, end, lex) or lex.brand_after.match(text, end, end + 30) \
                or POLICE_AFTER.match(text, end):
            continue  # a claimed organisation, a brand of clothes or goods (chains only), the police
        if lex.chains[m.group().lower()] == "public" and _SOURCE_AFTER.match(text, end):
            continue  # 「国民生活センターによると」: a public body cited as the source, neither a place nor a contact
        if start > 0 and owner[start] > 0 \
                and tokens[owner[start]].begin == start and tokens[owner[start] - 1].pos[2] == "地名" \
                and tokens[owner[start] - 1].pos[1] == "固有名詞" and not _MUNICIPAL_END.search(tokens[owner[start] - 1].surface):
            start = tokens[owner[start] - 1].begin  # 「銀座三越」「日本橋高島屋」: the store of that district
        out.append((start, end, "facility", CATEGORY_SUGGESTIONS[lex.chains[m.group().lower()]]))
    return out


def _after_common_word(start: int, tokens, owner) -> bool:
    """Whether a katakana chain's name is glued after a kanji common word (「自転車|トライアル」, a sport's event;
    round 53), not a town or an area (「市内ローソン」)."""
    k = owner[start]
    prev = katakana_after_common_word(tokens, k) if tokens[k].begin == start else None
    return prev is not None and prev.surface[-1] not in "内外前"


# (a branch may be named after its town's 丁目 or a road's number: 「ローソン佐倉西志津1丁目店」「国道10号店」)
# The staff of a chain glued after its name, in katakana (「ローソンオーナー」).
_BODY_AFTER = re.compile(r"[一-龥々]{2,8}?(?:協力会|協会|連合会|振興会|親交会)(?![一-龥々])")
_STAFF_AFTER = re.compile(r"(?:オーナー|スタッフ|クルー|アルバイト|パート)(?![ァ-ヺー])")
_BRANCH = re.compile(r" ?(?![0-9])(?:JA)?[一-龥々ヶぁ-ゖァ-ヺー0-9]{1,14}?店(?![員舗長頭主内])")
# Round 31: a town whose name holds が (「みずきが丘」, which SudachiPy reads as a name, が and 丘) and a co-op's
# kana name after JA (「JAいずも湖陵店」, read いず|も): the particles there are the branch's name.
PLACE_GA = re.compile(r"が[丘岡谷浜崎原台森島関坂沢峰]")
_JA_KANA = re.compile(r"JA[ぁ-ゖー]{2,6}")


def _branch_end(text: str, end: int, tokens, owner, lex: Lexicon) -> int | None:
    """Where the branch written after a chain ends (「ファミリーマート 和歌山松江北店」「平和堂あどがわ店」):
    one space at most, then words that are no particle, verb or generic word, and 店."""
    m = _BRANCH.match(text, end)
    if m is None:
        return None
    a = end + (1 if text.startswith(" ", end) else 0)
    inside = [t for t in tokens[owner[a]:owner[m.end() - 2] + 1]] if m.end() - 1 > a else []
    if not inside or inside[0].begin != a or inside[-1].end != m.end() - 1:
        return None
    co_op = _JA_KANA.match(text, a)
    inside = [t for t in inside if not (PLACE_GA.match(text, t.begin) and t.surface == "が" and t.begin > a
                                        or co_op and a + 2 <= t.begin < co_op.end())]
    if any(t.pos[0] in ("助詞", "動詞", "助動詞", "形容詞", "形状詞", "連体詞", "補助記号") and len(inside) < 2
           or t.pos[0] in ("動詞", "助動詞", "補助記号")
           or (t.surface in lex.stops and not (t.surface == "前" and t.end == m.end() - 1 and len(inside) > 1))
           for t in inside):
        return None  # (round 68: 「別府インター|前|店」, a branch named after what it stands in front of)
    if _generic(inside[0].surface, lex) or all(_generic(t.surface, lex) for t in inside):
        return None  # 「ローソン市内店」; but a generic word inside a town's name is the branch's (「六日|市|インター店」)
    stem = _kana_town_at(text, a, lex)
    if any(t.pos[0] == "助詞" and t.surface in ("の", "で", "に", "を", "が", "は", "と", "へ", "も") and t.begin >= a + stem
           for t in inside):
        return None  # 「ローソンの店」: a particle, no branch (but 「えびの大明司店」: the town's kana)
    return m.end()


_MUNICIPAL_END = re.compile(r"[都道府県市区町村郡]$")
_KANA_RUN = re.compile(r"[ぁ-ゖー]{2,6}")


def _kana_town_at(text: str, a: int, lex: Lexicon) -> int:
    """The length of a municipality's stem written in kana at ``a`` (「えびの」「いわき」「つくば」), or 0."""
    m = _KANA_RUN.match(text, a)
    if m is None:
        return 0
    for end in range(m.end(), a + 1, -1):
        if text[a:end] in lex.municipality_stems:
            return end - a
    return 0


def _generic(word: str, lex: Lexicon) -> bool:
    return word in lex.generic or word in lex.stops


def town_branches(text: str, tokens, owner, lex: Lexicon) -> list[tuple]:
    """Shops named after their town, with no chain in the name: a municipality, one of its towns and 店
    (「桑名市桑部店」, which SudachiPy reads 桑名市桑部|店). Never 店舗, 店内 or 店頭 (「松山市宮田町店内」 is inside
    a shop in 宮田町)."""
    out = []
    for k in range(1, len(tokens)):
        t, before = tokens[k], tokens[k - 1]
        if t.surface != "店" or before.end != t.begin or before.pos[2] != "地名" \
                or text.startswith(("舗", "内", "頭"), t.end):
            continue
        if town_after_municipality(before.surface, lex) and not claimed(text, before.begin, t.end, lex):
            out.append((before.begin, t.end, "facility", "店舗"))
    return out
