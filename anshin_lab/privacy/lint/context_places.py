"""Places named by a word beside them that says what they are, where the name holds no kind word (round 122).

- **A shopping centre by the shops inside it**: 「福井市のエルパ内の店舗」「タイムズビエラ内各店舗」. A mall's name
  is a coinage in katakana or Latin letters; 「…内の店舗」 says it is a building with shops in it; so does 「…の館内」 of a
  hall, whose coinage may end in its town (「ウェスタ川越の館内に」, round 123). A kanji word there is an area
  (「市内の店舗」「管内の店舗」) and a word of the dictionary a kind (「ホテルの館内」): both stay clean.
- **A care home after its kind and a middle dot**: 「老人保健施設・健祥会ウェルで」. ``prefix_kinds`` reads a name
  glued to its kind (「グループホームさくら」); the press also sets the kind apart with 「・」, and the name runs to
  the particle after it.
"""

from __future__ import annotations

import re

from anshin_lab.privacy.lint.tokens import tokenize

__all__ = ["find_context_places"]

_WITHIN = re.compile(r"(?<![ァ-ヺーA-Za-z0-9・&])(?P<name>[ァ-ヺA-Za-z][ァ-ヺーA-Za-z0-9・&]{2,15}(?:[一-龥々]{1,4}(?=の館内))?)"
                     r"(?=(?:館)?内の?(?:各|全)?(?:店舗|テナント|専門店)|の館内)")  # (round 123: 「ウェスタ川越の館内に」)
_CARE_HOME = re.compile(r"(?:老人保健施設|老人ホーム|障害者支援施設|グループホーム|ケアハウス)[・･]"
                        r"(?P<name>[一-龥々ぁ-ゖァ-ヺーA-Za-z0-9]{2,12}?)(?=[でにがはとへの、。」』()（）\s]|$)")
# What stands after the dot and is no name: who is there, or the kind's own words.
_NOT_A_NAME = re.compile(r"(?:入居者|利用者|職員|施設|入所者|関係者|家族)")


def _common_words(name: str) -> bool:
    """Whether ``name`` is only words of the dictionary, no coinage (「ホテルの館内」「デパート内の店舗」)."""
    return all(t.pos[1] == "普通名詞" and not t.oov for t in tokenize(name))


def find_context_places(text: str) -> list[tuple]:
    """Candidates ``(start, end, "facility", suggestion)`` on the normalised text."""
    out = [(*m.span("name"), "facility", "施設") for m in _WITHIN.finditer(text)
           if not _common_words(m["name"])] if "内" in text else []
    if "・" in text or "･" in text:
        out += [(*m.span("name"), "facility", "福祉施設") for m in _CARE_HOME.finditer(text)
                if not _NOT_A_NAME.match(m["name"])]
    return out
