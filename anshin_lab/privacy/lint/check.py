"""``lint`` and ``scrub``: run every detector on an alert text and keep the findings that win.

``lint(text)`` returns one ``Finding`` per span an alert to members must not carry; ``scrub(text)`` applies every
suggestion. The detectors read the text normalised (``normalize``: half-width katakana, kanji digits, soft hyphens,
hiragana kind words…) and, around each space or line break between two Japanese characters, once more with it left
out (a name an export cut in two); findings are spans of the text as written. Overlapping candidates are resolved
longest first (「鹿児島大学病院」 is one facility, not a university and a hospital), and a facility right after its
municipality takes it in, so the fix reads 「鹿児島市内の学校」. Then the whole text is read once more for second mentions
(``mentions``): a name found once (「堀内啓太さん」「株式会社マルセン」) is withheld wherever the text writes it
again bare (「堀内は」「マルセンに」). The tokenizer, the dictionaries and the gazetteer load once, at first use; a
typical 400-character alert then takes about 6 ms, and a text read before (a draft at each step of its approval) only a lookup.
"""

from __future__ import annotations

import re
from functools import lru_cache

from anshin_lab.privacy.lint.addresses import find_addresses, find_emails
from anshin_lab.privacy.lint.chains import find_chains
from anshin_lab.privacy.lint.claims import sponsor_or_group
from anshin_lab.privacy.lint.context_places import find_context_places
from anshin_lab.privacy.lint.employers import firms_before_heads
from anshin_lab.privacy.lint.facilities import find_facilities, station_town
from anshin_lab.privacy.lint.facility_names import AREA_SCHOOLS, event_in_town, kind_before_its_name, refers_back
from anshin_lab.privacy.lint.findings import PERSON_MASK, Finding
from anshin_lab.privacy.lint.frames import find_framed, no_place
from anshin_lab.privacy.lint.justice_branches import find_justice_branches
from anshin_lab.privacy.lint.landmarks import find_landmarks
from anshin_lab.privacy.lint.learned import READING_IN_BRACKETS, find_learned
from anshin_lab.privacy.lint.learned_checks import no_learned_person, no_learned_place
from anshin_lab.privacy.lint.lexicon import load_lexicon
from anshin_lab.privacy.lint.listings import find_listed
from anshin_lab.privacy.lint.machine_ids import inside_machine_id, machine_spans
from anshin_lab.privacy.lint.mascots import is_mascot
from anshin_lab.privacy.lint.member_lists import inside_member_district
from anshin_lab.privacy.lint.mentions import find_repeats
from anshin_lab.privacy.lint.name_checks import (BRANCH_HEAD, bare_rank, branch_of_head, not_a_person,
                                                 two_municipalities)
from anshin_lab.privacy.lint.municipalities import after_municipality, is_municipality_name
from anshin_lab.privacy.lint.normalize import Normalized, join_gaps, normalize
from anshin_lab.privacy.lint.organisations import find_organisations, forget_runs
from anshin_lab.privacy.lint.partners import find_partners
from anshin_lab.privacy.lint.person_ages import find_ages
from anshin_lab.privacy.lint.person_titles import MUNICIPAL_HEADS, NOT_SURNAMES, names_after_titles
from anshin_lab.privacy.lint.persons import end_bylines, find_persons, station_name, unit_of_named_head
from anshin_lab.privacy.lint.phones import find_phones
from anshin_lab.privacy.lint.readings import facility_readings, in_place_reading
from anshin_lab.privacy.lint.roster_names import find_roster_names
from anshin_lab.privacy.lint.spaced_names import join_spaced_parts
from anshin_lab.privacy.lint.tokens import (can_be_given, can_be_surname, common_kanji_words, script_of, token_owners,
                                            tokenize)
from anshin_lab.privacy.lint.towns import castle_named_town
from anshin_lab.privacy.lint.transit import PREFECTURES, find_line_stations
from anshin_lab.privacy.lint.unit_officers import find_station_heads

__all__ = ["can_be_learned_name", "forget_findings", "lint", "scrub"]

# Candidates: (start, end, kind, suggestion)

_PRIORITY = {"email": 0, "phone": 1, "exact_address": 2, "facility": 3, "person": 4}


def lint(text: str, *, learned: bool = True) -> list[Finding]:
    """Every span of ``text`` that an alert must not carry, sorted by start, never overlapping.

    ``learned=False`` leaves out the learned detector, which read only Japanese: the translated versions
    (English, 中文, 한국어, Tiếng Việt) are linted by the rules alone.

    Raises ``TypeError`` for anything but a string and ``LintError`` when
    SudachiPy or a dictionary is missing.

    Examples
    --------
    >>> [(f.kind, f.text, f.suggestion) for f in lint("山下小学校付近で")]
    [('facility', '山下小学校', '学校')]
    """
    if not isinstance(text, str):
        raise TypeError(f"lint needs a str, not {type(text).__name__}")
    if not text.strip():
        return []
    return list(_lint_once(text, bool(learned)))


def _before_honorific(text: str, c: tuple) -> tuple:
    """A learned person span that ends inside the honorific after the name (「須藤らなさ|ん」) ends before it
    (round 41)."""
    if c[2] != "person":
        return c
    for honorific in ("さん", "ちゃん", "くん", "さま"):
        for cut in range(1, len(honorific)):
            if c[1] - c[0] > cut and text.startswith(honorific, c[1] - cut):
                return (c[0], c[1] - cut, *c[2:])
    return c


def _reach_further(text: str, taken: list[tuple], learned: list[tuple]) -> list[tuple]:
    """``taken`` with each person a learned name starts alike and ends later, right before an honorific, reaching
    as far as it does (「伊東優意|花ちゃん」 → 「伊東優意花」, round 37): the rules cut a rare given name short."""
    longer = {}
    for c in learned:
        if c[2] == "person" and _HONORIFIC_AFTER.match(text, c[1]):
            for t in taken:
                if t[2] == "person" and t[0] == c[0] and t[1] < c[1] <= t[1] + 2 \
                        and _free(c, [u for u in taken if u != t]):
                    longer[t] = (t[0], c[1], *t[2:])
    return [longer.get(t, t) for t in taken] if longer else taken


_HONORIFIC_AFTER = re.compile(r"(?:さん|ちゃん|くん|君|様|氏)")
_HONORED = re.compile(_HONORIFIC_AFTER.pattern + r"(?![一-龥々ぁ-ゖァ-ヺ])")  # an honorific, no word's start: 「庄村氏 君津」


def forget_findings() -> None:
    """Drop the findings ``lint`` kept, so the next call reads its text anew: a benchmark timing the work itself,
    or training swapping the learned model."""
    _lint_once.cache_clear()
    forget_runs()


@lru_cache(maxsize=16384)
def _lint_once(text: str, learned: bool) -> tuple[Finding, ...]:
    """``lint`` of one text, kept: a draft is linted again at each step (prepare, approval panel, every send
    check, every language), and findings are frozen, so a repeated text costs a dictionary lookup."""
    norm = normalize(text)
    tokens = tokenize(norm.text)
    candidates = _on_original(norm, _detect(norm.text, tokens))
    joined = join_gaps(norm)
    if joined is not None:
        found = []
        for a, b in _windows(joined.text, joined.joins):
            found += [(c[0] + a, c[1] + a, *c[2:]) for c in _detect(joined.text[a:b])]
        candidates += _across_gaps(text, joined, _on_original(joined, found), candidates)
    taken = _choose(candidates)
    # The learned detector (``learned``) adds names of shapes no rule describes. A rule's finding keeps its span: a
    # learned span never overrides one, so learned spans stay out of ``_choose``; the sentence may say a span is no
    # place or no name (``learned_checks``).
    lex = load_lexicon()
    spans = [c for c in (find_learned(norm.text, tokens) if learned else [])
             if not (c[2] == "facility" and no_learned_place(norm.text, c[0], c[1], tokens, lex))
             and not (c[2] == "person" and no_learned_person(norm.text, c[0], c[1], tokens))]
    spans = [_before_honorific(norm.text, c) for c in spans]
    taken = _reach_further(norm.text, taken, _on_original(norm, spans))
    named_heads = {c[0] for c in taken if c[2] == "person"}
    names = [c for c in _on_original(norm, spans) if _free(c, taken) and can_be_learned_name(text, *c[:3]) and not (
        c[2] == "person" and (unit_of_named_head(text, c[1], named_heads, lex) or branch_of_head(text, c, taken)))]
    taken = sorted(taken + names)
    # The age next to a name only the learned detector read is the rules' to read and mask by decade (round 41).
    ages = [a for a in find_ages(text, [c for c in names if c[2] == "person"], lex) if _free(a, taken)]
    if ages:
        taken = sorted(taken + ages)
    # A name found once is withheld wherever the text writes it again (「堀内さん」 … 「堀内は」).
    repeats = find_repeats(norm, tokens, taken, lex)
    if repeats:
        taken = _choose(candidates + repeats)
        taken = sorted(taken + [c for c in names if _free(c, taken)])
    return tuple(_findings(text, join_spaced_parts(text, _with_branches(text, taken), lex)))


# A branch written after its bank or firm, with a space or none (「鳥取銀行 若桜支店」「九州電力株式会社宮崎支店」): one finding.
_BRANCH_END = re.compile(r"(?:支店|支所|出張所|営業所|営業部|店)$")
_BRANCHED = frozenset(("金融機関", "店舗", "事業所", "郵便局"))
# A firm's legal form written after its name, glued before its branch (「日本郵便(株)九州支社」, round 22): one name.
_LEGAL_FORM_AFTER = ("(株)", "(有)", "（株）", "（有）")


def _with_branches(text: str, taken: list[tuple]) -> list[tuple]:
    out: list[tuple] = []
    for c in taken:
        if out and _one_name(text, out[-1], c):
            out[-1] = (out[-1][0], c[1], "facility", out[-1][3])
            continue
        out.append(c)
    return out


def _one_name(text: str, first: tuple, then: tuple) -> bool:
    """Whether two facilities side by side are one name: a bank and its branch (「鹿児島銀行 谷山支店」, round 112: also
    「青森銀行・浪岡中央支店」), or a firm and its legal form glued before its branch (「日本郵便|(株)九州支社」)."""
    if first[2] != "facility" or then[2] != "facility" or text[first[1]:then[0]] not in ("", " ", "\u3000", "・", "･"):
        return False
    if first[3] in _BRANCHED and _BRANCH_END.search(text, then[0], then[1]) \
            and not _BRANCH_END.search(text, first[0], first[1]):
        return True
    return first[1] == then[0] and text.startswith(_LEGAL_FORM_AFTER, then[0])


# How much text around a gap is read again with the gap left out: more than any name and a claim's 40 characters.
_GAP_WINDOW = 48


def _windows(text: str, joins: tuple[int, ...]) -> list[tuple[int, int]]:
    """The stretches of the joined ``text`` around its joins, merged where they overlap. A stretch stays within
    the lines the join put together: a line break that was no gap (after 「。」 or a heading) ends a field, and
    no name or claim reads across it."""
    out: list[list[int]] = []
    for at in joins:
        line_end = text.find("\n", at)
        a = max(0, at - _GAP_WINDOW, text.rfind("\n", 0, at) + 1)
        b = min(len(text), at + _GAP_WINDOW, len(text) if line_end < 0 else line_end)
        if out and a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return [(a, b) for a, b in out]


def _detect(folded: str, tokens=None) -> list[tuple]:
    """Every candidate of every detector on the normalised text ``folded`` (and its ``tokens``, if read)."""
    lex = load_lexicon()
    tokens = tokenize(folded) if tokens is None else tokens
    owner = token_owners(tokens, len(folded))
    candidates = []
    candidates += find_emails(folded) + find_phones(folded, lex)
    candidates += find_addresses(folded, tokens, owner)
    chains = find_chains(folded, tokens, owner, lex)
    candidates += chains
    candidates += find_facilities(folded, tokens, owner, lex, chains)
    # firms, banks and media named bare (「中国電力」「NHK」): the organisation gazetteer
    candidates += find_organisations(folded, tokens, owner, lex)
    candidates += find_landmarks(folded, tokens, owner, lex)
    candidates += find_line_stations(folded, tokens, owner, lex) + find_justice_branches(folded)
    candidates += find_context_places(folded)  # 「エルパ内の店舗」「老人保健施設・健祥会ウェル」 (round 122)
    # what the frame of the sentence names (a list of facilities, a name before its address in brackets…)
    candidates += find_framed(folded, tokens, owner, lex, [c for c in candidates if c[2] == "facility"])
    candidates += find_partners(folded, lex)  # 「協定をとりせんと締結」「酒造である一の蔵」
    candidates += find_roster_names(folded, lex)  # a roster's spaced name: 「警察本部長      小 谷   渉」 (round 129)
    candidates += find_listed(folded, lex, candidates)  # 「京都聖嬰会 北区衣笠西尊上院町22」: a listed place
    # a quoted designation or event title (「「…モデル店」に指定」) names no place (``frames.no_place``), nor do a sponsor,
    # a team or a group of people (``claims.sponsor_or_group``), whichever finder read it, a unit or a troupe of people
    # (「四国管区機動隊」, round 38; the learned spans' rule of round 24) or a place named before (``refers_back``)
    candidates = [c for c in candidates if not (c[2] == "facility" and (
        no_place(folded, c[0], c[1]) or sponsor_or_group(folded, c[0], c[1], c[3]) or folded[c[1] - 1] in "団隊"
        or refers_back(folded, c[0], c[1], lex) or _TITLE_END.search(folded, c[0], c[1])  # 「千葉県議会議員(柏市選出)」 (41)
        or kind_before_its_name(folded, c[0], c[1])  # 「保健福祉センター「けやき」」: the quoted name is the place (108)
        or _NO_PLACE_END.search(folded, c[0], c[1])  # 「奥能登治安対策センター」: a police unit (rounds 42, 46)
        or AREA_SCHOOLS.search(folded, c[0], c[1])  # 「美濃地区高等学校」: the schools of an area (round 130)
        or event_in_town(folded, c[0], c[1], lex)))]
    titled = names_after_titles(folded, tokens, owner, lex)
    if titled:
        # 「巡査長|田中」: no facility starts inside a title and runs on into the name after it (「長田中」).
        candidates = [c for c in candidates if not any(ts < c[0] < te < c[1] for ts, te, _, _ in titled)]
    persons = find_persons(folded, tokens, owner, lex, titled)
    # 「無職須原城容疑者」: what ends where a suspect's name ends is that name, not a facility (城 is no kind here).
    # So is what ends in 城 or a name after 「・」 before a title (「小塚喜城会長」, 37; 「…えひめ・稲葉省三センター長」, 118).
    candidates = [c for c in candidates if not (c[2] == "facility" and (
        (_SUSPECT_AFTER.match(folded, c[1]) and any(p[1] == c[1] and p[0] > c[0] for p in persons))
        or (lex.title_re.match(folded, c[1]) and any(p[1] == c[1] and p[0] >= c[0] and (
            folded[c[1] - 1] == "城" or folded[p[0] - 1] in "・･") for p in persons))))]
    # 「有馬毅一郎島根大名誉教授」: a name read on into the university after it is the name, then the university
    # (round 37), whether a person's finder or a school's read the whole.
    facilities = [c for c in candidates if c[2] == "facility"]
    persons += _professors_before(folded, facilities, persons)
    # (round 42: a legal form may stand between, and 社 may end the longer run: 「長谷川吉茂株式会社山形銀行」
    # 「赤田靖英千葉日報社」)
    run_on = {(a[0], a[1]) for a in persons + facilities for c in facilities
              if a[0] < c[0] and a[1] >= c[1] and folded[c[1]:a[1]] in ("", "社")
              and any(q[0] == a[0] and (q[1] == c[0] or _LEGAL_FORM.fullmatch(folded, q[1], c[0])) for q in persons)}
    if run_on:
        persons = [p for p in persons if (p[0], p[1]) not in run_on]
        candidates = [c for c in candidates if (c[0], c[1]) not in run_on]
    persons = _cut_before_schools(folded, persons, facilities)
    # 「杉山修馬センター長」: a name and its title, no facility 「杉山修馬センター」 (a school's name before 校長 stays one).
    heads = {(p[0], p[1]) for p in persons if any(t.person for t in tokens[owner[p[0]]:owner[p[1] - 1] + 1])}
    candidates = [c for c in candidates if not (
        c[2] == "facility" and c[3] not in _NAMED_BEFORE_HEAD
        and any(a == c[0] and b < c[1] and _title_over(folded, b, c[1], lex) for a, b in heads))]
    candidates, persons = _offices_after_heads(folded, candidates, persons, lex)
    # 「三島 眞 氏義方地区」: the 氏 after a name and a space is its honorific, no start of another name (round 43)
    if "氏" in folded:
        ends = {p[1] for p in persons} | {t.end for t in tokens if t.person}
        persons = [p for p in persons if not (folded.startswith("氏", p[0]) and any(
            e < p[0] and not folded[e:p[0]].strip() for e in ends if p[0] - 3 <= e))]
    candidates += persons + facility_readings(folded, candidates + persons)  # (round 70: 「…華房福栄(はなぶさふくえ)」)
    bylines = end_bylines(folded)
    if bylines:  # 「…と話した。(千葉翔大)」: the writer, not a university 「千葉翔大」
        candidates = [c for c in candidates if not (c[2] == "facility" and (c[0], c[1]) in bylines)]
    # 「岩手ビッグブルズの水野哲志社長」: the firm a person found heads
    candidates += firms_before_heads(folded, tokens, owner, lex, persons)
    # A UUID (an Atom entry's or a CAP message's id: 「125b1f06-3768-…」 reads as a phone) and a web address (an
    # unsubscribe token, 「…?t=Q_9ie4…nnTvISFiPA…」 reads as a place) are machine identifiers: no name stands inside.
    machine = machine_spans(folded)
    # 「徳島県(とくしまけん)の」: a place's reading names no one (round 42).
    return [c for c in candidates if not inside_machine_id(machine, c[0], c[1])
            and not (c[2] == "person" and in_place_reading(folded, c[0], c[1]))]


def _cut_before_schools(folded: str, persons: list[tuple], facilities: list[tuple]) -> list[tuple]:
    """「高橋荒牧小学校長」: a name read on into the school whose head he is (or over it, to the 長) ends where the
    school starts (round 42); a name that starts inside the school is none. (「矢吹明大トレーナー」 stays a name.)"""
    out = []
    for p in persons:
        school = next((c for c in facilities if c[3] in _NAMED_BEFORE_HEAD and p[0] < c[1] and (
            c[0] < p[1] < c[1] or (p[1] > c[1] and folded.startswith("長", c[1])))), None)
        if school is None:
            out.append(p)
        elif p[0] < school[0]:
            out.append((p[0], school[0], *p[2:]))
    return out


def _professors_before(folded: str, facilities: list[tuple], persons: list[tuple]) -> list[tuple]:
    """「俳人の松本旭埼玉大名誉教授」: the full name glued before a university and a professor's title (round 39), where
    no finder read a name ending there."""
    out = []
    for c in facilities:
        if folded[c[1] - 1] != "大" or not _PROFESSOR.match(folded, c[1]) or any(p[1] == c[0] for p in persons):
            continue
        start = next((a for a in range(max(0, c[0] - 5), c[0] - 2) if _full_name(folded[a:c[0]], shortest=3)
                      and (a == 0 or script_of(folded[a - 1]) != "kanji")), None)
        if start is not None:
            out.append((start, c[0], "person", PERSON_MASK))
    return out


_PROFESSOR = re.compile(r"(?:名誉|特任|客員)?(?:教授|准教授|学長|講師)")


def _offices_after_heads(folded: str, candidates: list[tuple], persons: list[tuple], lex) -> tuple[list, list]:
    """``candidates`` with each office that starts with its head's name glued before it (「佐藤黒瀬郵便局長」, round 33)
    starting after the name, and ``persons`` without a run into it (「長谷川拓也宝来|郵便局長」, round 82). Only a name the
    station heads' rule reads or a full name (three or more, 「岡本圭|剛海草振興局長」, round 93): 「臼田郵便局長」 is unnamed."""
    heads_before = set(find_station_heads(folded, lex))
    out, cut = [], []
    for c in candidates:
        head = None
        if c[2] == "facility" and folded.startswith("長", c[1]):
            head = next((p for p in persons if p[0] == c[0] and p[1] < c[1] - 1
                         and (p in heads_before or _full_name(folded[p[0]:p[1]], 3))), None)
        out.append(c if head is None else (head[1], *c[1:]))
        cut += [] if head is None else [(c[0], head[1], c[1])]
    return out, [p for p in persons if not any(p[0] == a and h < p[1] < e for a, h, e in cut)]


def _full_name(name: str, shortest: int = 4) -> bool:
    """Whether ``name`` is a family name and a given name of the dictionary (「千秋|英幸」; not 「鹿児島|市民」)."""
    return len(name) >= shortest and any(can_be_surname(name[:i]) and can_be_given(name[i:]) for i in (1, 2, 3))


def _title_ends_at(text: str, start: int, gap: int) -> bool:
    """Whether a title ends at ``gap`` and covers text[start:gap] (「係長|」, 「会|長|」 when ``start`` is at 長)."""
    titles = load_lexicon().titles
    return any(text[a:gap] in titles for a in range(max(0, gap - 8), start + 1))


def _title_over(text: str, b: int, end: int, lex) -> bool:
    """Whether a title starts at ``b`` and runs past ``end`` (「杉山修馬|センター長」「内山民雄|サービスセンター長」)."""
    m = lex.title_re.match(text, b)
    return m is not None and m.end() > end


# Kinds whose name before the head's title is the place's own (「山下小学校長」): never read as a person's title.
_NAMED_BEFORE_HEAD = frozenset(("学校", "大学", "保育施設"))
# An age alone (「45歳」「(45)」): the rules read ages next to names and mask them by their decade (round 40).
_AGE_ONLY = re.compile(r"[(（]?(?:当時|享年)?[0-9０-９]{1,3}\s?(?:歳|才|つ)?[)）]?")
_JAPANESE = re.compile(r"[ぁ-ゖァ-ヺ一-龥々〆ヶ]")
_TITLE_END = re.compile(r"(?:議員|委員|議長|知事|市長|町長|村長|会長|社長|理事長)$")
# What ends a name that is no place: a police unit (round 42), a police station's own renamed part (「警察センター」
# 「浦上警察署時津分署」, round 100: 「吉野警察署さくら庁舎」), a fraud-prevention programme named like a centre (「ニセ電話詐欺被害防止コールセンター」) and
# a national team (「マラソン日本代表」, round 46), a class held to prevent something (「悪徳商法被害防止教室」, round 70; 「…交通安全教室」, 73),
# a police school's own hall (「県警察学校体育館」, round 72); apart, the schools of an area (``AREA_SCHOOLS``).
_NO_PLACE_END = re.compile(r"(?:治安対策|犯罪対策|サイバー犯罪対策|(?<![一-龥])警察)センター$|署[一-龥々]{1,6}分署$|警察署\w{1,6}庁舎$"
                           r"|詐欺被害防止[一-龥ァ-ヺー]{0,8}$|日本代表$|(?:防止|対策|予防|撲滅|根絶|安全|防犯)教室$|警察学校[一-龥]{1,5}$")
_SUSPECT_AFTER = re.compile(r"\s?(?:容疑者|被告|被疑者|受刑者)")
# A firm's legal form between a name and the firm it heads (「長谷川吉茂|株式会社|山形銀行」).
_LEGAL_FORM = re.compile(r"株式会社|有限会社|\(株\)|\(有\)")


def _on_original(norm: Normalized, candidates: list[tuple]) -> list[tuple]:
    return [(*norm.original(c[0], c[1]), *c[2:]) for c in candidates]


# How far a name read across a gap may reach beyond what the text as written already shows
# (「山\n下小学校」: one character; 「発生場所\n山下小学校」 is a label, then a name).
_GAP_REACH = 3


_NAMES = ("person", "facility")
_LINE_END = re.compile(r"[ \t\u3000]*(?:\r?\n|$)")


def _honored_after(text: str, c: tuple, gap: int, gaps) -> bool:
    """A name with no gap inside, then a space and its honorific (「脇坂龍神 君」: 君 after a space reads as "you"; not
    「部長 髙野 友倫 氏」, where the joined reading took the title in, nor 「庄村氏 君津署長」)."""
    return _HONORED.match(text, gap + 1) is not None and not any(c[0] < h < gap for h in gaps)


def _heads_office_after(text: str, gap: int, found: list[tuple]) -> bool:
    """A space, then the office the name before it heads (「児玉 五加郵便局長」, round 37)."""
    return any(f[2] == "facility" and f[0] == gap + 1 and text.startswith("長", f[1]) for f in found)


def _across_gaps(text: str, joined: Normalized, found: list[tuple], plain: list[tuple]) -> list[tuple]:
    """The candidates read with the gaps left out that cross a gap and that the plain reading missed
    or cut short by at most ``_GAP_REACH`` characters. A field heading is never the start of a name a line
    break cut (「■内容\n外出中の児童」 is no school 「内容外出中」)."""
    lex = load_lexicon()
    out = []
    for c in found:
        if c[2] == "person" and any(c[1] == g and (_honored_after(text, c, g, joined.gaps)
                                                   or _heads_office_after(text, g, found)) for g in joined.gaps):
            out.append(c)  # 「脇坂龍神 君」 (round 130), 「児玉 五加郵便局長」 (round 37)
            continue
        if not any(c[0] < g < c[1] for g in joined.gaps):
            continue
        line_end = text.find("\n", c[0], c[1])
        if line_end > c[0] and _is_label(text, c[0], line_end):
            continue
        if c[2] == "person" and any(c[0] < g < c[1] and _title_ends_at(text, c[0], g) for g in joined.gaps):
            continue  # 「総務係長 駒瀬進司警部補」「会長 田中一郎」: the title before the space is no part of the name
        if any(c[0] < g < c[1] and is_municipality_name(text[g + 1:c[1]], lex)
               and (_LINE_END.match(text, c[1]) or common_kanji_words(text[c[0]:g])) for g in joined.gaps):
            continue  # 「…防止キャンペーン 神奈川」: a headline's place tag; 「…への注意 一宮の喫茶店」 its place (round 80)
        if any(p[2] != c[2] and p[2] in _NAMES and c[0] < p[0] < c[1] and any(c[0] < g <= p[0] for g in joined.gaps)
               for p in plain):
            continue  # 「株式会社出前館 藤井代表取締役社長」: the plain reading found another name after the gap
        if c[2] == "facility" and any(c[0] < g < c[1] and _headline_words(text, c[0], g, c[1]) for g in joined.gaps):
            continue  # 「感謝状 銀行など」: a headline's words side by side, no bank named 感謝状 (round 24)
        if any(c[0] < g < c[1] and _LIST_MARK.fullmatch(text, c[0], g) for g in joined.gaps) \
                and (c[0] == 0 or text[c[0] - 1] == "\n"):
            continue  # 「ウ 大飯原発…」: a list's marker before the space is no part of a name (round 41)
        if (c[2] == "facility" or BRANCH_HEAD.match(text, c[1])) and any(c[0] < g < c[1] and _full_name(text[c[0]:g])
                                                                         for g in joined.gaps):
            continue  # 「山田基夫 保健福祉総合センター所長」: the head's full name, a space, then his office (round 41, branch 92)
        if c[2] == "facility" and any(c[0] < g < c[1] and _POLICE_BEFORE_GAP.search(text, c[0], g) for g in joined.gaps):
            continue  # 「亀山署 コンビニ店長」: a police station ends its own word before the space (round 31)
        overlapping = [p for p in plain if p[2] == c[2] and p[0] < c[1] and c[0] < p[1]]
        if all(p[0] - c[0] <= _GAP_REACH and c[1] - p[1] <= _GAP_REACH for p in overlapping):  # and a reading right after
            out += [c] + [f for f in found if f[2] == c[2] == "person" and f[0] == c[1] and text.startswith(("(", "（"), f[0])]
    return out


# A list's marker at the head of a line (「ア」「イ」「ウ」, 「①」).
_LIST_MARK = re.compile(r"[ア-コ]|[①-⑳]")
# A police office's name, which a space after it ends (its name never goes on after a gap).
_POLICE_BEFORE_GAP = re.compile(r"(?:署|交番|駐在所|警察|県警|府警|道警)$")


def _headline_words(text: str, start: int, gap: int, end: int) -> bool:
    """Whether a bare kind word after the gap follows kanji common words only (「感謝状| 銀行」「未然防止| 銀行員」)."""
    raw = text[gap + 1:end]
    raw = raw[2:] if raw[:2] in ("市内", "県内", "町内", "村内", "区内") else raw  # (round 82: 「詐欺防止 市内郵便局」)
    lex = load_lexicon()
    if raw.strip() not in lex.suffixes and not lex.suffix_re.match(text, end - len(raw.lstrip())):
        return False
    # (round 94: 「…、井手一樹撮影 銀行のATM」: a photograph's credit ends before the space)
    return common_kanji_words(text[start:gap]) or text.endswith("撮影", start, gap)


def scrub(text: str) -> tuple[str, list[Finding]]:
    """``text`` with every finding replaced by its suggestion, and the findings.

    >>> scrub("ローソン駐車場で")[0]
    '店舗駐車場で'
    """
    findings = lint(text)
    out = text
    for f in reversed(findings):
        out = out[:f.start] + f.suggestion + out[f.end:]
    return out, findings


def can_be_learned_name(text: str, start: int, end: int, kind: str) -> bool:
    """Whether a learned span can be a name: Japanese script, no field heading, a name's edges, no police station read
    as a person (「金沢東署」), no direction or 同/元 (「西部|支店長」), no railway line (「京浜東北線」) and no part of a member's
    district (「(松月堂)」), no mayor's municipality (「辰野|町長」), no two municipalities side by side (「岡崎幸田を」), no age
    alone (「45歳」: the rules read ages, by their decade), and nothing ``name_checks.not_a_person`` rules out
    (「元日本代表」)."""
    return (_JAPANESE.search(text, start, end) is not None and not _is_label(text, start, end)
            and not _AGE_ONLY.fullmatch(text, start, end)
            and _clean_edges(text, start, end)
            and not (kind == "facility" and (station_town(text, end) or inside_member_district(text, start, end)
                                             or text[end - 1] == "線" or castle_named_town(text, end)))
            and not (kind == "person" and (text[start:end] in NOT_SURNAMES or bare_rank(text, start, end)
                                           or station_name(text, start, end) or not_a_person(text, start, end)
                                           or _mascot(text, start, end) or _place_tag(text, start, end)
                                           or two_municipalities(text, start, end) or _spaced_era(text, start, end)
                                           or _mayor_of(text, start, end))))


def _mayor_of(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] and the 市/町/村 of a mayor's title after it make a municipality (「辰野町長」: the mayor
    of 辰野町, round 23) and the text names no other of that kind he could head (「坂井市長 佐賀市」: 坂井 is the mayor of
    佐賀市); where no such municipality exists the rules read a family name (「茂原町長」)."""
    municipalities = load_lexicon().municipalities
    if text[end - 1:end] in ("市", "町", "村") and text.startswith("長", end) and text[start:end] in municipalities:
        return True  # 「板野町|長」: the span is the town itself
    if not text.startswith(tuple(MUNICIPAL_HEADS), end):
        return False
    town = text[start:end + 1]
    if town not in municipalities:
        return False
    others = re.finditer(rf"[一-龥々ヶぁ-ゖァ-ヺ]{{1,6}}{text[end]}", text)
    return not any(text[m.start() + i:m.end()] in municipalities and text[m.start() + i:m.end()] != town
                   for m in others for i in range(m.end() - m.start() - 1))


# Round 18: an era's name set out one kanji at a time (「平 成 2 6 年 度」, as PDF minutes are): no name.
_SPACED_ERA = re.compile(r"(?:平[ \u3000]成|令[ \u3000]和|昭[ \u3000]和|大[ \u3000]正|明[ \u3000]治)")


def _spaced_era(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is inside an era's name set out with a space (「平 成」)."""
    return any(m.start() <= start and end <= m.end() for m in _SPACED_ERA.finditer(text, max(0, start - 2), end + 2))


# A headline's place tag: a prefecture and a municipality's stem after a space (「…呼びかけ 石川 珠洲」).
_TAG = re.compile(r"(?:^|(?<=\s))(?P<pref>[一-龥]{2,3})[ \u3000](?P<town>[一-龥ぁ-ゖ]{2,4})(?=[ \t\u3000]*(?:\r?\n|$))", re.M)


def _place_tag(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is the prefecture or the municipality of a place tag that ends a line."""
    stems = load_lexicon().municipality_stems
    return any(m["pref"] in PREFECTURES and m["town"] in stems and m.start() <= start and end <= m.end()
               for m in _TAG.finditer(text, max(0, start - 8), min(len(text), end + 8)))


def _mascot(text: str, start: int, end: int) -> bool:
    """Whether the name before 君/くん/ちゃん is a mascot the rules know or the text introduces (「マスコットキャラクター
    「ポリくん・マモルちゃん」」): the rules never call it a person, so neither may a learned span."""
    title = next((t for t in ("くん", "ちゃん", "君", "さん") if text.startswith(t, end)), None)  # (さん: round 79)
    return title is not None and is_mascot(text, start, end, title, load_lexicon())


# A heading of an alert's field (「■手口\n」「◆場所:」「【日時】」): the template's words, never a name.
_LABEL_BEFORE = "■□◆◇▼▽【"
_LABEL_AFTER = re.compile(r"\s*(?:[:：】]|\n|$)")


def _is_label(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is a whole field heading (the learned detector read 「■手口」 as a place)."""
    return start > 0 and text[start - 1] in _LABEL_BEFORE and _LABEL_AFTER.match(text, end) is not None


# A name neither starts nor ends with a bracket or punctuation (the learned detector once took 「(鹿児島市」).
_EDGE = re.compile(r"[()（）「」『』【】\[\]、。,.:：・\s]")
_VERB_END = re.compile(r"(?<=[ぁ-ゖ])[ぁ-ゖ](?=[一-龥々])")  # a span that starts inside a verb's kana (「訪れ|た幼稚園」, round 96)
_AGE = re.compile(r"[(（]\d{1,3}(?:歳)?[)）]")


# What ends in an area word is a place as the alert words it (「南さつま市大浦町上之門付近」), not a name.
_AREA_END = re.compile(r"(?:付近|周辺|近く|方面|地内|一帯|辺り|界隈)$")


def _clean_edges(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] has a name's edges (an age or a reading in brackets, 「(45)」, is whole as it is)."""
    if _AGE.fullmatch(text, start, end) or READING_IN_BRACKETS.fullmatch(text, start, end):
        return True
    return not (_EDGE.match(text, start) or _VERB_END.match(text, start) or _EDGE.match(text, end - 1)
                or _AREA_END.search(text[start:end]))


def _free(candidate: tuple, taken: list[tuple]) -> bool:
    """Whether ``candidate`` overlaps none of ``taken``."""
    return all(candidate[1] <= t[0] or candidate[0] >= t[1] for t in taken)


def _choose(candidates: list[tuple]) -> list[tuple]:
    """The candidates that win, longest first, never overlapping, sorted by start."""
    taken: list[tuple] = []
    for c in sorted(candidates, key=lambda c: (c[0] - c[1], _PRIORITY[c[2]], c[0])):
        if c[1] <= c[0]:
            continue
        if _free(c, taken):
            taken.append(c)
    taken.sort()
    return taken


def _findings(text: str, taken: list[tuple]) -> list[Finding]:
    findings = []
    for i, (start, end, kind, suggestion) in enumerate(taken):
        # A facility right after its municipality reads 「鹿児島市内の学校の前で」, not 「鹿児島市学校の前で」: the city joins.
        city = after_municipality(text, start) if kind == "facility" else 0
        if city and (i == 0 or taken[i - 1][1] <= start - city):
            start, suggestion = start - city, text[start - city:start] + "内の" + suggestion
        findings.append(Finding(kind, start, end, text[start:end], suggestion))
    return findings
