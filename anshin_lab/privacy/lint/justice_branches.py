"""A prosecutors' office's or a court's branch named by its town (round 55): 「高知地方検察庁中村支部で火事」
「地検中村支部」「福島地裁いわき支部で開かれた」. A branch is one building in one town, so the real sets label it a
facility; the office itself acting (「大阪地検に送致」) is a body and stays clean, and so does a branch that speaks or
rules (「福岡地裁小倉支部は「…」」). ``facility_kinds.csv`` already finds 〇〇地方裁判所 and its branch; this reads the short
forms (地検, 地裁, 家裁) and the prosecutors, which have no kind word of their own there.
"""

from __future__ import annotations

import re

__all__ = ["find_justice_branches"]

_BRANCH = re.compile(r"(?<![一-龥々])(?:[一-龥々]{1,4}?)?(?:地方検察庁|区検察庁|地検|地裁|家裁|地方裁判所|家庭裁判所)"
                     r"[・\s]?[一-龥々ヶぁ-ゖァ-ヺー]{1,5}?支部")
# The branch as the subject that speaks or rules: a body, no place.
_ACTING_AFTER = re.compile(r"[はが]")


def find_justice_branches(text: str) -> list[tuple]:
    return [(m.start(), m.end(), "facility", "公共施設") for m in _BRANCH.finditer(text)
            if not _ACTING_AFTER.match(text, m.end())]
