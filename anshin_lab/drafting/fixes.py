"""Fix what the privacy lint finds so that the text still reads as Japanese, and say what changed.

The lint's own suggestions make a text safe, one span at a time; read in its
sentence, a suggestion can read wrong (「鹿児島市の学校の前で」 for a school the
city has many of, 「〇〇副署長」, 「電話番号は（電話番号は伏せます）です」,
「紫原3丁目一室」). :func:`fix_text` rewrites each finding with the words
around it:

- a facility after its municipality: 「鹿児島市の山下小学校の前で」 →
  「鹿児島市内の学校の前で」; a name followed by 「という」 goes with it
  (「ひまわり公園という公園」 → 「公園」);
- a person: with a title after the name, the name goes (「鈴木副署長」 →
  「副署長」); after 「被害者の」, 「会社員の」 … the name and its 「の」 go; after an
  office (「警視庁のモトハシ」) it becomes 「職員」; a name someone claims
  (「佐藤と名乗る」) 「個人名を名乗る」; with the sex written next to it 「男性」 or
  「女性」; else 「関係者」; an honorific (さん, 様 …) goes with the name;
- a phone: 「(電話番号は省略)」, the label and brackets around it included;
- an exact address: the 丁目 or town only (the 番 and 号 go), a room number goes.

Then the text is linted again, and fixed again, until the lint finds nothing
(at most ``ROUNDS`` times; a span still found after that is removed). Every
change is returned as a :class:`Change` (before → after) for the form to show.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from anshin_lab.places import address
from anshin_lab.privacy.lint import ADDRESS_MASK, PERSON_MASK, ROOM_MASK, Finding, lint

__all__ = ["ROUNDS", "Change", "Fixed", "fix_text", "fix_texts"]

ROUNDS = 3
PHONE_WORDS = "(電話番号は省略)"
PHONE_LABELLED = "電話番号(省略)"  # after a label: 「電話番号は099-…です」→「電話番号(省略)です」
EMAIL_WORDS = "(メールアドレスは省略)"
PERSON_WORD = "関係者"
CLAIMED_NAME = "個人名"
STAFF_WORD = "職員"

_HONORIFIC = re.compile(r"(?:さん|様|氏|君|くん|ちゃん|殿)")
_TITLE_START = re.compile(r"[\u4e00-\u9fff\u30a1-\u30fa]")  # a noun right after the name: 副署長, 容疑者, 校長
_HOUSE = re.compile(r"[方宅家](?=[にでへのをがは、。]|$)")  # 「田中方に」: the person's house
# A person word before 「の」 or 「、」: 「被害者の」「会社員の」「女子生徒の」「長女の」「校長、」 — the name adds nothing.
_PERSON_BEFORE = re.compile(r"(?:者|員|性|童|徒|人|親|男|女|子|夫|妻|母|父|兄|弟|姉|妹|長|生|児|孫|嫁|婿)[の、]$")
# An office before the name: 「警視庁の」「市役所の」「〇〇銀行の」「鹿児島中央署」.
_OFFICE_BEFORE = re.compile(r"(?:署|庁|局|課|係|所|社|行|場|会|省|部|班|店|院|センター|協会|組合|機構)の?$")
_CLAIM_AFTER = re.compile(r"(?:と|を)(?=名乗|称|騙|かた)")
# The sex written in brackets after the name: 「山田さん(女性)」→「女性」, 「山田さん(女性、45歳)」→「女性(45歳)」.
_SEX_AFTER = re.compile(r"[\(（](男|女)性?(?:([\)）])|、)")
# A person word right before the name: 「長女花子さん」「会社員田中」 — the name adds nothing.
_PERSON_RIGHT_BEFORE = re.compile(r"(?:者|員|童|徒|親|夫|妻|母|父|兄|弟|姉|妹|長男|長女|次男|次女|孫)$")
_BRACKETS = {"【": "】", "「": "」", "『": "』", "(": ")", "（": "）", "[": "]"}
_NAMED_AS = re.compile(r"(?:という名前の|という名の|との名称の|と呼ばれる|という)(?=[\u4e00-\u9fff\u30a1-\u30fa])")
_PHONE_LABEL = re.compile(r"(?:電話番号|携帯番号|電話|TEL|Tel|tel|ＴＥＬ|番号)\s*[:：は]?\s*$")
_BLOCK_TAIL = re.compile(r"[0-9０-９〇一二三四五六七八九十百千]+番地?$")
_ADDRESS_BEFORE = re.compile(r"(?:丁目|番地?|[0-9０-９]|[町村])$")
_ROOM_AFTER = re.compile(r"の(?=部屋|居室|室内)")


@dataclass(frozen=True)
class Change:
    """One rewrite of the text: its lint kind, the words before and after."""

    kind: str
    before: str
    after: str

    def __str__(self) -> str:
        return f"「{self.before}」→「{self.after}」" if self.after else f"「{self.before}」→(削除)"


@dataclass(frozen=True)
class Fixed:
    """A fixed text, what was changed, and what the lint still finds (nothing, once fixed)."""

    text: str
    changes: tuple[Change, ...]
    findings: tuple[Finding, ...] = ()


def fix_text(text: str, *, rounds: int = ROUNDS) -> Fixed:
    """``text`` with every lint finding rewritten as readable Japanese, and the changes made.

    Examples
    --------
    >>> fix_text("鹿児島市の山下小学校の前で").text
    '鹿児島市内の学校の前で'
    >>> [str(c) for c in fix_text("鈴木副署長が").changes]
    ['「鈴木」→(削除)']
    """
    return _fix(text, rounds)[0]


def fix_texts(*texts: str, rounds: int = ROUNDS) -> list[Fixed]:
    """Each text fixed, and what was found in one fixed in all: a mail's subject and body read together.

    The lint sees some names only in their sentence (「【警視庁のモトハシ】を名乗る」 is a
    name, 「■名乗り【警視庁のモトハシ】」 alone is not); once found anywhere, the same
    words are rewritten wherever they stand.

    >>> [f.text for f in fix_texts("【警視庁のモトハシ】を名乗る電話", "■名乗り\\n【警視庁のモトハシ】")]
    ['【警視庁の職員】を名乗る電話', '■名乗り\\n【警視庁の職員】']
    """
    results = [_fix(text, rounds) for text in texts]
    found = {f.text: f for _, fixed in results for f in fixed if len(f.text.strip()) >= 2}
    out = []
    for result, _ in results:
        again = _occurrences(result.text, found)
        if not again:
            out.append(result)
            continue
        text, made = _apply(result.text, again, _rewrite)
        rest, _ = _fix(text, rounds)
        out.append(Fixed(rest.text, result.changes + tuple(made) + rest.changes, rest.findings))
    return out


def _fix(text: str, rounds: int) -> tuple[Fixed, list[Finding]]:
    """The fixed text and every finding it fixed."""
    changes: list[Change] = []
    fixed: list[Finding] = []
    for _ in range(rounds):
        findings = lint(text)
        if not findings:
            return Fixed(text, tuple(changes)), fixed
        text, made = _apply(text, findings, _rewrite)
        changes += made
        fixed += findings
    findings = lint(text)
    if findings:  # the rewrites did not satisfy the lint: the spans go
        text, made = _apply(text, findings, lambda text, f: (f.start, f.end, ""))
        changes += made
        fixed += findings
    return Fixed(text, tuple(changes), tuple(lint(text))), fixed


def _occurrences(text: str, found: dict[str, Finding]) -> list[Finding]:
    """The spans of ``text`` that repeat words fixed elsewhere, longest first, as findings of their kind."""
    taken: list[Finding] = []
    for words in sorted(found, key=len, reverse=True):
        for m in re.finditer(re.escape(words), text):
            if all(m.end() <= t.start or m.start() >= t.end for t in taken):
                taken.append(Finding(found[words].kind, m.start(), m.end(), words, found[words].suggestion))
    return sorted(taken, key=lambda f: f.start)


def _apply(text: str, findings: list[Finding], rewrite) -> tuple[str, list[Change]]:
    """Replace each finding (sorted, not overlapping) by its rewrite, a widened span kept clear of its neighbours."""
    spans: list[tuple[int, int, str, str]] = []
    for i, f in enumerate(findings):
        a, b, words = rewrite(text, f)
        low = max(findings[i - 1].end if i else 0, spans[-1][1] if spans else 0)
        high = findings[i + 1].start if i + 1 < len(findings) else len(text)
        if a < low or b > high:  # widened into a neighbour: the lint's own words, on the span alone
            a, b, words = f.start, f.end, f.suggestion
        spans.append((a, b, f.kind, words))
    out = text
    for a, b, _, words in reversed(spans):
        out = _joined(out[:a], words, out[b:])
    return out, [Change(kind, text[a:b], words) for a, b, kind, words in spans]


def _joined(left: str, words: str, right: str) -> str:
    """``left + words + right``, tidy where they meet: no 「のの」, no empty brackets, no doubled space."""
    text = left + words + right
    at = len(left) + len(words)
    if not words:
        if left.endswith("の") and right.startswith("の"):
            return left + right[1:]
        if left[-1:] in _BRACKETS and right.startswith(_BRACKETS[left[-1]]):
            return left[:-1] + right[1:]
        if left[-1:] in " \u3000" and right[:1] in " \u3000":
            return left + right[1:]
    elif words.endswith("の") and right.startswith("の"):
        return text[:at] + right[1:]
    return text


def _rewrite(text: str, f: Finding) -> tuple[int, int, str]:
    """The span to replace for ``f`` (widened to the words that go with it) and what to write."""
    rewrite = {"facility": _facility, "person": _person, "phone": _phone, "email": _email,
               "exact_address": _address}.get(f.kind)
    return rewrite(text, f) if rewrite else (f.start, f.end, f.suggestion)


@functools.lru_cache(maxsize=1)
def _cities() -> tuple[frozenset, tuple[int, ...]]:
    gaz = address.gazetteer()
    return frozenset(gaz.cities), tuple(sorted(set(gaz.city_lengths), reverse=True))


def ends_with_municipality(text: str) -> bool:
    """Whether ``text`` ends with a municipality of the prefecture (「…鹿児島市」) or 同市/同町/同村."""
    if re.search(r"同[市町村]$", text):
        return True
    cities, lengths = _cities()
    return any(length <= len(text) and address.fold(text[-length:]) in cities for length in lengths)


def _facility(text: str, f: Finding) -> tuple[int, int, str]:
    start, end, words = f.start, f.end, f.suggestion
    if "内の" not in words:  # the lint joins a municipality right before the name; 「鹿児島市の」 is ours
        if text[:start].endswith("の") and ends_with_municipality(text[:start - 1]):
            start, words = start - 1, "内の" + words
        elif ends_with_municipality(text[:start]):
            words = "内の" + words
    named = _NAMED_AS.match(text, end)
    if named:  # 「ひまわり公園という公園」: the kind is written after it
        end = named.end()
        words = "内の" if words.startswith("内の") else ""
    return start, end, words


def _person(text: str, f: Finding) -> tuple[int, int, str]:
    start, end = f.start, f.end
    if f.suggestion != PERSON_MASK:  # an age 「(45)」→「(40歳代)」: the lint's words
        return start, end, f.suggestion
    honorific = _HONORIFIC.match(text, end)
    if honorific:
        end = honorific.end()
    before, after = text[:start], text[end:]
    opening = before[-1:]
    if opening in _BRACKETS and after.startswith(_BRACKETS[opening]) and _CLAIM_AFTER.match(after, 1):
        # 「【モトハシ】を名乗る」「「カワムラ」と名乗る」→「個人名を名乗る」
        return start - 1, end + 2, CLAIMED_NAME + "を"
    if _HOUSE.match(after):
        return start, end + 1, PERSON_WORD + "宅"
    if _TITLE_START.match(after):
        return start, end, ""  # 「鈴木副署長」→「副署長」
    if _PERSON_BEFORE.search(before):
        return start - 1, end, ""  # 「被害者の田中さん」→「被害者」, 「校長、前田さん」→「校長」
    if _PERSON_RIGHT_BEFORE.search(before):
        return start, end, ""  # 「長女花子さん」→「長女」
    if _OFFICE_BEFORE.search(before):
        return start, end, STAFF_WORD  # 「警視庁のモトハシ」→「警視庁の職員」
    claim = re.match(r"と(?=名乗|称)", after)
    if claim:
        return start, end + 1, CLAIMED_NAME + "を"  # 「佐藤と名乗る」→「個人名を名乗る」
    sex = _SEX_AFTER.match(after)
    if sex:  # the brackets closed: they go; else the sex moves out of them
        return start, end + sex.end(), f"{sex.group(1)}性" + ("" if sex.group(2) else "(")
    return start, end, PERSON_WORD


def _phone(text: str, f: Finding) -> tuple[int, int, str]:
    start, end = f.start, f.end
    opening = text[start - 1:start]
    if opening in _BRACKETS and text[end:end + 1] == _BRACKETS[opening]:
        return start - 1, end + 1, PHONE_WORDS  # 「署(099-…)」→「署(電話番号は省略)」
    label = _PHONE_LABEL.search(text[:start])
    if label:
        return label.start(), end, PHONE_LABELLED
    return start, end, PHONE_WORDS


def _email(text: str, f: Finding) -> tuple[int, int, str]:
    return f.start, f.end, EMAIL_WORDS


def _address(text: str, f: Finding) -> tuple[int, int, str]:
    start, end, words = f.start, f.end, f.suggestion
    if words == ROOM_MASK:
        room_of = _ROOM_AFTER.match(text, end)
        if room_of:  # 「503号の部屋」→「部屋」
            return start, room_of.end(), ""
        if _ADDRESS_BEFORE.search(text[:start]):  # 「紫原3丁目503号」→「紫原3丁目」
            return start, end, ""
        return start, end, words
    if words == ADDRESS_MASK:
        return start, end + (1 if text[end:end + 1] == "の" else 0), ""
    return start, end, _BLOCK_TAIL.sub("", words)  # the 丁目 or town: 「紫原3丁目12番」→「紫原3丁目」
