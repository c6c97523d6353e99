"""Second mentions: a name found once is withheld wherever the text writes it again.

A release names a person or a business once with what shows it is a name (「堀内啓太さん」
「株式会社マルセン」「丸山運輸の倉庫」) and then writes it bare (「堀内は」「マルセンに入って」
「丸山の社員」). ``find_repeats`` reads the findings of the whole text and collects their stems:

- of a person, the whole name, its family name (SudachiPy 人名,姓 at its start, or the kanji before a
  given name SudachiPy knows: 「平敷|昭人」 → 平敷) and each part of a foreign name (「グルン・ビカス」 →
  グルン, ビカス);
- of a facility, its name without the kind word (「マルセン」 of 「株式会社マルセン」, 「丸山」 of 「丸山運輸」),
  when that name is more than a place name or a common word: kana or Latin letters, or proper nouns
  that are no place (「和気小学校」's 和気 is a town: 「和気」 alone later is the town, not the school).

Every other place the text writes a stem as a word of its own (SudachiPy token boundaries on both
sides) is a finding of the same kind and suggestion, unless it is part of a place (「松本市」「田中町」)
or of another facility name (「堀内小学校」). Stems of two characters or more only, of three for kana,
and never a dictionary word of the lint (titles, generic words, municipalities, mascots).

``find_repeats`` returns candidates ``(start, end, kind, suggestion)`` in offsets of the text as written.
"""

from __future__ import annotations

import re

from anshin_lab.privacy.lint.findings import PERSON_MASK
from anshin_lab.privacy.lint.lexicon import Lexicon
from anshin_lab.privacy.lint.municipalities import is_municipality_name
from anshin_lab.privacy.lint.normalize import Normalized
from anshin_lab.privacy.lint.tokens import Token, kana_of, script_of, token_owners, tokenize

__all__ = ["find_repeats"]

# What makes a bare stem part of a place: 「松本市」「田中町」「石川県警」.
_PLACE_AFTER = re.compile(r"[都道府県市区町村郡]")
_PARTS = re.compile(r"[・･=＝ 　]")
# What follows a town's name, not a facility's: its 丁目 or district, its police box, its school district, its council for
# the town's good (「鳴鹿まちづくり推進協議会」, round 74), a body's branch for the town (「…協会奥玉支部」「奥玉分会」, round 93).
_TOWN_USE_AFTER = re.compile(r"[東西南北]?[0-9０-９一二三四五六七八九]+丁目|地区|地域|交番|駐在所|校区|町内|まちづくり|町づくり"
                             r"|支部|分会|分団"
                             r"|見守り|防犯|パトロール"  # (round 95: 「明親小学校」 … 「明親見守り隊」, the district's group)
                             r"|線")  # (round 26: 「東急ストア」… 「東急線」, the railway operator's line)
# Round 94: centres named after their district, whose name alone is the district's (「金岡地区センター」 … 「金岡コミュニティ
# 祭り」, 「矢田コミセン」 … 「矢田防犯円卓会議」).
_DISTRICT_CENTRES = ("地区センター", "コミセン", "コミュニティセンター", "公民館", "地区会館", "自治会館", "集会所", "集会場",
                     "市民センター", "交流センター")
# The short form a text defines for a name it gave in full (「(以下橋本)」「(以下、若林)」).
_SHORT_FORM_BEFORE = re.compile(r"[(（]以下[、,]?\s?$")
# The short form a text defines right after a facility's name: 「(以下、モビリタ)」「(以下「センター」という)」, maybe
# the last word of the name the finding stopped before (「…センター モビリタ(以下、モビリタ)」).
_ALIAS_AFTER = re.compile(r"(?:[ \u3000](?P<tail>[^\s()（）]{2,15}))?[(（]以下[、,]?\s?[「『]?"
                          r"(?P<alias>[^()（）「」『』、。\s]{2,15}?)[」』]?(?:という)?[)）]")
_KANA_OR_LATIN = re.compile(r"[ぁ-ゖァ-ヺA-Za-z]")


def find_repeats(norm: Normalized, tokens: list[Token], taken: list[tuple], lex: Lexicon) -> list[tuple]:
    """The other mentions of the persons and facilities in ``taken`` (findings in offsets of the original,
    ``(start, end, kind, suggestion)``), read on the normalised text ``norm`` and its ``tokens``."""
    text = norm.text
    if not taken or not text:
        return []
    owner = token_owners(tokens, len(text))
    spans = [norm.normalized(c[0], c[1]) for c in taken]
    stems: dict[str, tuple[str, str]] = {}
    for (a, b), (_, _, kind, suggestion) in zip(spans, taken):
        if b <= a:
            continue
        if kind == "person" and suggestion == PERSON_MASK:
            for stem in _person_stems(text, tokens, owner, a, b):
                if _usable(stem, lex):
                    stems.setdefault(stem, (kind, suggestion))
        elif kind == "facility":
            stem = _facility_stem(text, tokens, owner, a, b, lex)
            if stem and _usable(stem, lex):
                stems.setdefault(stem, (kind, suggestion))
            alias = _ALIAS_AFTER.match(text, b)
            if alias is not None and alias["tail"] in (None, alias["alias"]) and _usable(alias["alias"], lex) \
                    and _names_one(alias["alias"]):
                stems.setdefault(alias["alias"], (kind, suggestion))  # 「…センター モビリタ(以下、モビリタ)」 (round 126)
            branch = _BRANCH_OF_BANK.search(text, a, b)
            if branch is not None and branch.end() == b:
                stems.setdefault(branch["branch"], (kind, suggestion))  # 「新潟県信用組合荻川支店」 … 「荻川支店職員」
    out = []
    for stem, (kind, suggestion) in stems.items():
        for m in re.finditer(re.escape(stem), text):
            p, q = m.span()
            if any(p < b and a < q for a, b in spans) or not _a_word(text, tokens, owner, p, q, kind, lex):
                continue
            out.append((*norm.original(p, q), kind, suggestion))
    return out


def _names_one(alias: str) -> bool:
    """Whether a short form holds a name of its own (「モビリタ」「山下小」), not only words of its kind (「看護大」「本駅」)."""
    return any(t.proper or t.oov or _KANA_OR_LATIN.search(t.surface) for t in tokenize(alias))


# A bank's branch, written again alone (「新潟県信用組合荻川支店では…荻川支店職員に」): the branch with its kind word.
_BRANCH_OF_BANK = re.compile(r"(?:銀行|信用金庫|信用組合|協同組合|信金|信組|農協|漁協|労働金庫|ろうきん)"
                             r"(?P<branch>[一-龥々ヶ]{2,6}(?:支店|支所|出張所|営業所|営業部))")


def _person_stems(text: str, tokens: list[Token], owner, a: int, b: int) -> list[str]:
    name = text[a:b]
    stems = [name]
    first = tokens[owner[a]]
    if first.begin == a and first.end < b and first.pos[2] == "人名" and first.pos[3] == "姓":
        stems.append(first.surface)  # 「堀内|啓太」: the family name
    else:
        last = tokens[owner[b - 1]]
        if last.end == b and last.begin - a >= 2 and last.pos[2] == "人名" and last.pos[3] == "名" \
                and all(script_of(ch) == "kanji" for ch in text[a:last.begin]):
            stems.append(text[a:last.begin])  # 「平敷|昭人」: what stands before a given name is the family name
    parts = [p for p in _PARTS.split(name) if p]
    if len(parts) > 1:
        stems += [p for p in parts if len(p) >= 3]  # 「グルン・ビカス」
    return stems


def _written_as_town(text: str, stem: str) -> bool:
    """Whether the text writes ``stem`` as a town, with its 丁目 (「曽谷小学校」 … 「曽谷7丁目」, round 44): then the stem
    alone elsewhere (「曽谷第2自治会」) is the town's name, not the facility's."""
    return re.search(re.escape(stem) + r"[0-9０-９一二三四五六七八九十]+丁目", text) is not None


def _facility_stem(text: str, tokens: list[Token], owner, a: int, b: int, lex: Lexicon) -> str | None:
    """The name of the facility text[a:b] without its kind word, when it is more than a place or a word."""
    name = text[a:b]
    if lex.chain_re.fullmatch(name):
        return None  # a chain is found wherever it stands
    stem = None
    for kind in sorted(lex.suffixes, key=len, reverse=True):
        if name.endswith(kind) and len(name) > len(kind):
            stem, s, e = name[:-len(kind)], a, b - len(kind)
            break
    if stem is None:
        # 「株式会社マルセン」「スナックきくよ」: a kind or a shop type written before the name.
        for kind in sorted(set(lex.prefixes) | set(lex.shop_prefixes), key=len, reverse=True):
            if name.startswith(kind) and len(name) > len(kind):
                stem, s, e = name[len(kind):], a + len(kind), b
                break
    if not stem or name.endswith(_DISTRICT_CENTRES):
        return None
    if _KANA_OR_LATIN.search(stem):
        return stem if len(stem) >= 3 else None
    inside = [t for t in tokens[owner[s]:owner[e - 1] + 1]]
    if all((t.pos[1] == "固有名詞" and t.pos[2] != "地名") or t.oov or t.person for t in inside) \
            and not _written_as_town(text, stem):
        return stem  # 「丸山|運輸」, 「東海興業」's 東海 as SudachiPy reads the firm
    return None


def _usable(stem: str, lex: Lexicon) -> bool:
    if len(stem) < 2 or (all(kana_of(ch) for ch in stem) and len(stem) < 3):
        return False
    if any(ch.isdigit() for ch in stem) or not any(script_of(ch) or ch.isalpha() for ch in stem):
        return False
    words = (lex.generic, lex.not_names, lex.titles, lex.stops, lex.mascots, lex.municipalities)
    return not any(stem in w for w in words)


# What a business's branch or office is called after its name (「北海道新聞大竹販売所」「山田営業所」).
_BRANCH_AFTER = re.compile(r"(?:販売所|営業所|出張所|事務所|代理店|支社|支所"
                           r"|警察署|署(?![長員]))")  # (round 95: 「中村水月課長代理」 … 「中村警察署」, the town's station)


def _a_word(text: str, tokens: list[Token], owner, p: int, q: int, kind: str, lex: Lexicon) -> bool:
    """Whether text[p:q] is a word of its own: token boundaries on both sides, not the start of a place
    or of a facility name, and (for a facility's stem) not one common word."""
    if tokens[owner[p]].begin != p or (q < len(text) and tokens[owner[q]].begin != q):
        return False
    if kind == "person" and _SHORT_FORM_BEFORE.search(text, max(0, p - 5), p):
        return True  # 「橋本英樹委員長(以下橋本)」: the text says the stem stands for the person (round 93)
    if q < len(text) and (_PLACE_AFTER.match(text, q) or lex.suffix_re.match(text, q)):
        return False
    if kind == "person" and _BRANCH_AFTER.match(text, q):
        return False  # round 13: 「大竹利法所長」… 「大竹販売所」: the shop named after its town, not the person again
    if p > 0 and _PLACE_AFTER.match(text, p - 1) and (
            tokens[owner[p - 1]].pos[2] == "地名" or text[max(0, p - 2):p] in ("同市", "同町", "同村", "同区")) \
            and (kind == "facility" or text[p - 1] in "町村" and not lex.title_re.match(text, q)):
        return False  # 「宮田村駒ケ原の駒ケ原霊園」「(同市杉久保南2丁目)」: the stem after a municipality is the town; a
        # person's too, with no title after it (「山崎容疑者」 … 「同市飾東町山崎の」, round 122)
    if kind == "facility" and (_TOWN_USE_AFTER.match(text, q) or text.startswith("の" + text[p:q], q)):
        return False  # 「連坊小学校」… 「連坊地区防犯協会」: the town the school is named after (「東急線」: a line); 「船木の
        # 船木幼稚園」: the town it stands in (round 74)
    inside = tokens[owner[p]:owner[q - 1] + 1]
    if is_municipality_name(text[p:q], lex) and not (kind == "person" and inside[0].person):
        return False  # 「松本」 is a town too: a person's only where SudachiPy reads a name there
    if len(inside) == 1 and inside[0].pos[1] == "普通名詞" and not inside[0].oov \
            and (kind == "facility" or all(kana_of(ch) for ch in text[p:q])):
        return False  # 「さくら」 of 「さくら薬局」 is also the flower
    return True
