"""Where a facility's name ends after its kind word (issue 14): a town glued after the kind word is more of an address
(「同市宮|西一丁目」「畑寺|町」), unless it names a branch (「鹿児島地方裁判所名瀬支部」), closes a quoted firm's name
(「「丸山建設宮崎」」) or a katakana venue's (「京セラドーム大阪で」). ``facilities`` asks these of every suffix kind.
"""

from __future__ import annotations

import re

from anshin_lab.privacy.lint.tokens import is_katakana

__all__ = ["katakana_branch_end", "quoted_branch_end", "town_goes_on"]

# Words that make a kind word part of another word: 「銀行協会」「銀行員」「公園通り」 are no place's name end.
_NOT_AN_END = {"協会", "連合会", "組合", "員", "行員", "職員", "口座", "カード", "通帳", "強盗", "振込", "振り込み",
               "アプリ", "通り", "線", "町", "丁目", "医師会", "歯科医師会", "薬剤師会", "会"}  # (「…販売店会」: shops' body)


def town_goes_on(text: str, e: int, tokens, owner) -> bool:
    """Whether the kind word ending at ``e`` is glued to more of a town or another word: 「同市宮|西一丁目」
    「畑寺|町」「3丁目」「鹿児島銀行|協会」."""
    if e >= len(text):
        return False
    nxt = tokens[owner[e]]
    if nxt.begin != e:
        return False
    if nxt.pos[2] == "地名" and nxt.pos[1] == "固有名詞" and _BRANCH_OFFICE.match(text, nxt.end):
        return False  # 「鹿児島地方裁判所|名瀬|支部」: the office's branch named by its town (round 22)
    if nxt.surface in _NOT_AN_END or (nxt.pos[2] == "地名" and nxt.pos[1] == "固有名詞"):
        return True
    if nxt.pos[1] == "数詞" and text.startswith("丁目", nxt.end):
        return True
    # 「北区桜橋3−1」: block numbers joined by a dash after a municipality's ward or town make an address (not grades:
    # 「市立明小学校1―2年生」, round 80)
    return _BLOCK_NUMBER.match(text, e) is not None and _MUNICIPAL_BEFORE.search(text, max(0, e - 12), e) is not None


_BLOCK_NUMBER = re.compile(r"[0-9]+[−\-－‐][0-9](?![0-9]*年)")
_BRANCH_OFFICE = re.compile(r"(?:支部|支局|出張所|分室)")
_MUNICIPAL_BEFORE = re.compile(r"[市区町村郡][^、。\s(（]{1,8}$")


def quoted_branch_end(text: str, s: int, e: int, tokens, owner) -> int | None:
    """Where a place name after the kind word ending at ``e`` ends when it closes a quoted name: in
    「東武運輸栃木」「丸山建設宮崎」 the town is the firm's branch, not more of an address."""
    if e >= len(text) or tokens[owner[e]].begin != e or "「" not in text[max(0, s - 12):s] \
            and "『" not in text[max(0, s - 12):s]:
        return None
    k, end = owner[e], e
    while k < len(tokens) and k - owner[e] < 2 and tokens[k].begin == end and tokens[k].pos[1] == "固有名詞" \
            and tokens[k].pos[2] == "地名":
        end = tokens[k].end
        k += 1
    return end if end > e and text.startswith(("」", "』"), end) else None


# After a place name that closes a venue's name: a particle, a mark, the end.
_BRANCH_CLOSE = re.compile(r"[のでにへをがはともや、。・」』)\s]|$")


def katakana_branch_end(text: str, s: int, e: int, tokens, owner) -> int | None:
    """Where the town after a katakana kind word ends when it closes the venue's name (「京セラドーム大阪で」
    「マリノアシティ福岡の」): a katakana kind never starts an address, so the town is the venue's."""
    if not is_katakana(text[s]) or e >= len(text) or tokens[owner[e]].begin != e:
        return None
    t = tokens[owner[e]]
    if t.pos[1] != "固有名詞" or t.pos[2] != "地名" or re.search(r"[都道府県市区町村郡]$", t.surface):
        return None
    return t.end if _BRANCH_CLOSE.match(text, t.end) else None
