"""The text lint: find what an alert must never carry, and say what to write instead.

An alert to members may say 「鹿児島市紫原3丁目12番付近の公園で」 but never name the
park, the shop, the school or the person, give the 号 or 番地 of a house, or print a
phone number or an email address. ``lint(text)`` returns one ``Finding`` per such
span (kinds ``facility``, ``person``, ``exact_address``, ``phone``, ``email``);
``scrub(text)`` applies every suggestion.

How it reads the text:

- **email, phone**: regular expressions on the text with full-width ASCII folded to
  half-width one character for one (so offsets stay those of the original). The
  service's own sender domain ``@123123.tv`` is not a finding, nor is a number
  written right after the name of a police station, 交番 or 警察本部 desk (the
  sender's own contact), nor 110 / #9110 (they are not 0-prefixed numbers).
- **exact_address**: the number patterns finer than the block (「3丁目12番5号」,
  「12番5号」, 「123番地4」, bare 地番 「123番地」, hyphens 「3-12-5」, a room
  「201号室」); the town before them is found in the gazetteer of ``address``, and
  ``address.parse`` decides whether two hyphenated numbers are a 番地 (exact) or a
  丁目 and 番 (block, clean). The suggestion is the same place at the block
  (「紫原3丁目12番」), or the 丁目 / town in 地番 areas, without the municipality
  when the text names it before the town. A room number becomes 「一室」
  (「集合住宅の201号室」 → 「集合住宅の一室」).
- **facility**: a dictionary of facility kind words (``dictionaries/facility_kinds.csv``:
  小学校, 公園, 駅, 店, マンション, コーポ…) and of chains (``chains.csv``: ローソン,
  タイヨー, 山形屋…). SudachiPy (core dictionary, split mode C) finds where the name
  before a kind word starts: the run of nouns back to a particle, a verb, a number
  or a relation word (``place_stops.txt``). A run made only of generic modifiers
  (``place_generic.txt``: 児童公園, 県立高校, 内科クリニック, ラーメン店) or only of
  the municipality is no name; kinds marked ``needs_proper`` (住宅, 支店, グラウンド…)
  need more than kanji common nouns (「教員住宅」 no, 「県営武岡住宅」 yes).
  A run that is the start of a town of the gazetteer covering the kind word
  (「皇徳寺台」, 「玉里団地1丁目」) is a town, not a facility. Not findings either: a
  name right before 交番 / 警察署, a chain or facility that a fraud caller claims
  to be from (「山形屋の店員を名乗る」, ``claims.csv``), and a brand describing
  clothes or belongings (「ユニクロのダウンジャケット」, ``brand_items.txt``). The
  suggestion is the generic kind: 「山下小学校」 → 「学校」, 「ローソン」 → 「店舗」.
- **person**: SudachiPy's 名詞,固有名詞,人名 tags with the title after them
  (``person_titles.csv``: さん, 様, 容疑者, ちゃん…), a 姓 followed by a 名, the
  name a fraud caller gives (「ヤマモトと名乗る男」), and kana given names before
  ちゃん / くん (「ゆいちゃん」). A surname alone, or a place name, is no finding.
  The span leaves the title out. The suggestion is 「〇〇」, the mask Japanese
  police releases print for a withheld name (「〇〇さん方」).

Overlapping candidates are resolved longest first (「鹿児島大学病院」 is one
facility, not a university and a hospital). The tokenizer (``sudachipy`` with
``sudachidict_core``, both from PyPI; no network at run time), the dictionaries and
the gazetteer load once, at first use; a typical 400-character alert then takes
1–2 ms. ``evaluate(corpus_path)`` scores the lint on a labelled JSON Lines corpus.

Raises ``LintError`` (an ``AnshinError``) when SudachiPy or a dictionary file is
missing, and ``DataError`` naming the file and line for a malformed dictionary.
"""

from __future__ import annotations

import csv
import functools
import json
import re
import threading
from dataclasses import dataclass
from pathlib import Path

from anshin_lab.places import address
from anshin_lab.core.errors import AnshinError, DataError
from anshin_lab.core.granularity import Granularity
from anshin_lab.core.numerals import to_int

__all__ = ["Finding", "LintError", "KINDS", "lint", "scrub", "evaluate"]

KINDS = ("facility", "person", "exact_address", "phone", "email")
SENDER_DOMAIN = "123123.tv"
PERSON_MASK = "〇〇"
PHONE_MASK = "（電話番号は伏せます）"
EMAIL_MASK = "（メールアドレスは伏せます）"
ADDRESS_MASK = "（番地は伏せます）"
ROOM_MASK = "一室"
DICTIONARY_DIR = Path(__file__).with_name("dictionaries")

_CATEGORY_SUGGESTIONS = {"shop": "店舗", "restaurant": "飲食店", "amusement": "遊技場", "mall": "商業施設",
                         "hotel": "宿泊施設", "karaoke": "店舗", "fuel": "店舗"}
_FINANCIAL = re.compile(r"銀行|信用金庫|信金|信用組合|労働金庫|農協|JA|ゆうちょ")
# Longest runs of tokens a name may take before (or after) its kind word.
_MAX_NAME_TOKENS = 6
# Text after a kind word inside the same token that still leaves the kind word a name's end
# (「鹿児島中央駅前」 is one token; 「駅員」「店舗」「大学生」 are other words).
_LOCATION_TAILS = {"前", "内", "裏", "横", "東口", "西口", "南口", "北口", "口", "構内", "付近", "周辺", "近く",
                   "側", "敷地", "敷地内", "駐車場", "駐輪場", "入口", "出口", "前広場", "前通り", "院内", "校内",
                   "園内", "店内", "館内", "店前", "校門", "正門", "裏手", "横手"}
_STOP_KINDS = {"駅", "電停", "バス停", "停留所"}
_PUBLIC_HOUSING = {"県営", "市営", "町営", "村営", "公営"}
_POLICE_AFTER = re.compile(r"(?:駅)?(?:前|東口|西口|南口|北口|口)?(?:幹部交番|交番|駐在所|警察署|派出所|警備派出所)")


class LintError(AnshinError):
    """The lint cannot run: its tokenizer or one of its dictionaries is missing."""


@dataclass(frozen=True)
class Finding:
    """One span of alert text that must not be published, and what to write instead.

    ``start`` and ``end`` are offsets into the text given to ``lint`` (so
    ``text[start:end] == finding.text``); ``suggestion`` is the Japanese text
    that replaces it.
    """

    kind: str
    start: int
    end: int
    text: str
    suggestion: str


# ---------------------------------------------------------------------------------------------
# Text folding: full-width ASCII and dash look-alikes to ASCII, one character for one.

_WIDTH = {chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)}
_WIDTH.update({"\u3000": " ", "\u00a0": " "})
_WIDTH.update({c: "-" for c in "‐‑‒–—―−﹣"})
_WIDTH_TABLE = str.maketrans(_WIDTH)


def _fold(text: str) -> str:
    return text.translate(_WIDTH_TABLE)


# ---------------------------------------------------------------------------------------------
# Tokens


class _Token:
    __slots__ = ("begin", "end", "surface", "pos", "oov")

    def __init__(self, begin, end, surface, pos, oov):
        self.begin, self.end, self.surface, self.pos, self.oov = begin, end, surface, pos, oov

    @property
    def proper(self) -> bool:
        return self.pos[1] == "固有名詞" or self.oov

    @property
    def person(self) -> bool:
        return self.pos[2] == "人名"

    def __repr__(self):
        return f"{self.surface}[{','.join(self.pos[:4])}{',OOV' if self.oov else ''}]"


# SudachiPy refuses inputs over about 49 KB; alerts are far shorter, long texts go in pieces.
_CHUNK_CHARS = 4000


@functools.lru_cache(maxsize=1)
def _dictionary():
    try:
        from sudachipy import Dictionary
    except ImportError as exc:
        raise LintError("文の解析に SudachiPy が必要です: pip install sudachipy sudachidict_core") from exc
    try:
        return Dictionary(dict="core")
    except Exception as exc:  # SudachiPy raises its own error types for a missing dictionary package
        raise LintError(f"SudachiPy の辞書を読めません(pip install sudachidict_core): {exc}") from exc


_POS_TABLE: dict[int, tuple] = {}
_LOCAL = threading.local()


def _tokenizer():
    """This thread's tokenizer (split mode C, part of speech only): SudachiPy's are not thread-safe."""
    tokenizer = getattr(_LOCAL, "tokenizer", None)
    if tokenizer is None:
        from sudachipy import SplitMode

        tokenizer = _LOCAL.tokenizer = _dictionary().tokenizer(mode=SplitMode.C, fields={"pos"})
    return tokenizer


def _tokenize(text: str) -> list[_Token]:
    tokenizer, dictionary, pos_table = _tokenizer(), _dictionary(), _POS_TABLE
    tokens = []
    offset = 0
    while offset < len(text):
        end = min(len(text), offset + _CHUNK_CHARS)
        if end < len(text):
            cut = max(text.rfind("。", offset, end), text.rfind("\n", offset, end))
            end = cut + 1 if cut > offset else end
        for m in tokenizer.tokenize(text[offset:end]):
            pid = m.part_of_speech_id()
            pos = pos_table.get(pid)
            if pos is None:
                pos = pos_table[pid] = dictionary.pos_of(pid)
            tokens.append(_Token(offset + m.begin(), offset + m.end(), m.surface(), pos, m.is_oov()))
        offset = end
    return tokens


def _owners(tokens: list[_Token], length: int) -> list[int]:
    owner = [0] * length
    for i, t in enumerate(tokens):
        for c in range(t.begin, t.end):
            owner[c] = i
    return owner


# ---------------------------------------------------------------------------------------------
# Dictionaries


def _lines(name: str) -> list[str]:
    path = DICTIONARY_DIR / name
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise LintError(f"辞書 {path} を読めません: {exc}") from exc
    return [line.strip() for line in raw.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def _rows(name: str, columns: tuple[str, ...]) -> list[dict]:
    lines = _lines(name)
    rows = list(csv.DictReader(lines))
    if not lines or tuple(lines[0].split(",")) != columns:
        raise DataError(f"見出しは {','.join(columns)} にしてください", path=DICTIONARY_DIR / name, row=1)
    for number, row in enumerate(rows, start=2):
        if any(not row.get(c) for c in columns):
            raise DataError("空の欄があります", path=DICTIONARY_DIR / name, row=number, value=",".join(
                str(v) for v in row.values()))
    return rows


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


@dataclass(frozen=True)
class _Kind:
    word: str
    suggestion: str
    needs_proper: bool


class _Lexicon:
    """Every dictionary of ``dictionaries/``, compiled for the lint."""

    def __init__(self):
        kinds = _rows("facility_kinds.csv", ("word", "position", "suggestion", "needs_proper"))
        self.suffixes = {_fold(r["word"]): _Kind(_fold(r["word"]), r["suggestion"], r["needs_proper"] == "1")
                         for r in kinds if r["position"] == "suffix"}
        self.prefixes = {_fold(r["word"]): _Kind(_fold(r["word"]), r["suggestion"], r["needs_proper"] == "1")
                         for r in kinds if r["position"] == "prefix"}
        self.suffix_re = re.compile(_alternation(self.suffixes))
        self.prefix_re = re.compile(_alternation(self.prefixes))
        chains = _rows("chains.csv", ("name", "category"))
        for number, row in enumerate(chains, start=2):
            if row["category"] not in _CATEGORY_SUGGESTIONS:
                raise DataError(f"分類は {', '.join(_CATEGORY_SUGGESTIONS)} のどれかにしてください",
                                path=DICTIONARY_DIR / "chains.csv", row=number, column="category", value=row["category"])
        self.chains = {_fold(r["name"]).lower(): r["category"] for r in chains}
        self.chain_re = re.compile(_alternation(_fold(r["name"]) for r in chains), re.IGNORECASE)
        self.generic = set(_lines("place_generic.txt"))
        self.stops = set(_lines("place_stops.txt"))
        self.not_names = set(_lines("not_names.txt"))
        titles = _rows("person_titles.csv", ("title", "strength"))
        self.titles = {r["title"]: r["strength"] for r in titles}
        self.title_re = re.compile(_alternation(self.titles))
        claims = _rows("claims.csv", ("word", "role"))
        staff = _alternation(r["word"] for r in claims if r["role"] == "staff")
        verbs = _alternation(r["word"] for r in claims if r["role"] == "verb")
        self.claim_after = re.compile(rf"[」』]?(?:の(?:{staff}))?[」』]?(?:を|と|だと|であると|で)?(?:{verbs})")
        self.claim_before = re.compile(r"(?:自称|元)[「『]?$")
        items = _alternation(_lines("brand_items.txt"))
        # 「ユニクロのダウンジャケット」「イオンの紺色の紙袋」「ワークマンの作業ズボン」: the item may
        # follow a colour, a short adjective or a short noun, and must end a word (「車」 is not the
        # 車 of 「駐車場」).
        self.brand_after = re.compile(
            rf"(?:製|の)(?:の)?(?:[一-龥ぁ-んァ-ヺー]{{1,4}}?(?:色|柄|系)の?|[ぁ-ん一-龥]{{1,3}}い)?"
            rf"[一-龥ァ-ヺー]{{0,4}}?(?:{items})(?:(?=姿)|(?![一-龥々ァ-ヺー]))")
        self.police = _lines("police_words.txt")
        # 「鹿児島中央警察署 099-…」「鹿児島西警察署(099-…)」「警察署生活安全課(電話 099-…)」「警察本部 代表099-…」
        self.police_before = re.compile(
            rf"(?:{_alternation(self.police)}|[一-龥]{{1,6}}署)(?:[一-龥・]{{1,10}}(?:課|係|室|班|窓口))?\s*(?:[(（]\s*)?"
            rf"(?:(?:代表|直通|電話|TEL|Tel|tel|℡|☎)\s*[:：]?\s*)*$")
        self.entries = sorted(set(self.suffixes) | set(self.prefixes) | {_fold(r["name"]) for r in chains}
                              | self.generic | self.stops | self.not_names | set(self.titles) | set(self.police))


@functools.lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    return _Lexicon()


def dictionary_entries() -> list[str]:
    """Every entry of the lint's dictionaries (for the naive benchmark), sorted."""
    return list(_lexicon().entries)


# ---------------------------------------------------------------------------------------------
# Candidates: (start, end, kind, suggestion)

_PRIORITY = {"email": 0, "phone": 1, "exact_address": 2, "facility": 3, "person": 4}


def lint(text: str) -> list[Finding]:
    """Every span of ``text`` that an alert must not carry, sorted by start, never overlapping.

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
    folded = _fold(text)
    lex = _lexicon()
    tokens = _tokenize(folded)
    owner = _owners(tokens, len(folded))
    candidates = []
    candidates += _emails(folded)
    candidates += _phones(folded, lex)
    candidates += _addresses(folded, tokens, owner)
    chains = _chains(folded, tokens, owner, lex)
    candidates += chains
    candidates += _facilities(folded, tokens, owner, lex, chains)
    candidates += _persons(folded, tokens, owner, lex)
    return _resolve(text, candidates)


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


def _resolve(text: str, candidates: list[tuple]) -> list[Finding]:
    taken: list[tuple] = []
    for c in sorted(candidates, key=lambda c: (c[0] - c[1], _PRIORITY[c[2]], c[0])):
        if c[1] <= c[0]:
            continue
        if all(c[1] <= t[0] or c[0] >= t[1] for t in taken):
            taken.append(c)
    return [Finding(kind, start, end, text[start:end], suggestion)
            for start, end, kind, suggestion in sorted(taken)]


# ---------------------------------------------------------------------------------------------
# email

_EMAIL = re.compile(r"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9._%+\-]+@(?P<domain>[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+)")


def _emails(text: str) -> list[tuple]:
    out = []
    for m in _EMAIL.finditer(text):
        domain = m["domain"].lower()
        if domain == SENDER_DOMAIN or domain.endswith("." + SENDER_DOMAIN):
            continue
        out.append((m.start(), m.end(), "email", EMAIL_MASK))
    return out


# ---------------------------------------------------------------------------------------------
# phone

_PHONE = re.compile(r"(?<![0-9A-Za-z#+\-.])(?:\+81[ \-]?)?\(?[0-9][0-9()\- ]{7,16}[0-9]")
_PHONE_GROUPS = re.compile(r"^(?:\+81[ \-]?)?(?:\(?0?[0-9]{1,5}\)?)(?:[ \-]?\(?[0-9]{1,5}\)?){0,3}$")


def _phones(text: str, lex: _Lexicon) -> list[tuple]:
    out = []
    for m in _PHONE.finditer(text):
        span = m.group()
        # A trailing digit run glued to another number (「099-222-1234 5」) is not part of it.
        if m.end() < len(text) and text[m.end()].isdigit():
            continue
        digits = re.sub(r"\D", "", span)
        if span.startswith("+81"):
            national = digits[2:]
            national = national if national.startswith("0") else "0" + national
        else:
            national = digits
            if not span.lstrip("(").startswith("0"):
                continue
        if not 10 <= len(national) <= 11 or "  " in span or not _PHONE_GROUPS.match(span):
            continue
        if lex.police_before.search(text, max(0, m.start() - 40), m.start()):
            continue
        start = m.start() + (1 if span.startswith("(") and ")" not in span else 0)
        out.append((start, m.end(), "phone", PHONE_MASK))
    return out


# ---------------------------------------------------------------------------------------------
# exact_address

# ASCII digits or kanji numerals, never mixed (「三21番」 is a town ending in 三, then 21番).
_N = r"(?:[0-9]+|[〇一二三四五六七八九十百千]+)"
_D = r"\s?[\-ーｰ]\s?"
_ADDRESS = re.compile(
    rf"(?<![0-9])(?:"
    rf"(?P<chome>{_N})\s?丁目\s?(?P<b1>{_N})\s?(?P<m1>番地の|番地|番|の|{_D})\s?(?P<l1>{_N})(?:\s?号|\s?番地?)?"
    rf"|(?P<b2>{_N})\s?番\s?(?P<l2>{_N})\s?号"
    rf"|(?P<b3>{_N})\s?番地(?!元|域|方|帯|点)(?:\s?の?\s?(?P<l3>{_N})(?:\s?号)?)?"
    rf"|(?P<h1>[0-9]{{1,5}}){_D}(?P<h2>[0-9]{{1,5}})(?:{_D}(?P<h3>[0-9]{{1,5}}))?(?:{_D}(?P<h4>[0-9]{{1,5}}))?(?![0-9])"
    rf")")
_POLICE_ADDRESS = re.compile(r"\s?(?:の|[(（]\s?)?(?:鹿児島県)?[一-龥]{0,8}(?:警察本部|警察署|交番|駐在所|県警)")
_ROOM = re.compile(rf"(?<![0-9])(?P<room>{_N})\s?号室")
_NOT_AFTER_HYPHEN = re.compile(r"\s?(?:丁目|番|号|階|歳|才|代|人|時|分|秒|日|週|月|年|%|円|万|千|百|回|件|台|個|本|名|点|位|巻|cm|km|m"
                               r"|キロ|メートル|センチ|度|枚|匹|頭|軒|棟|戸|世帯|か所|箇所|カ所|ヶ所|[0-9.,\-ーｰ])")
# A bare number right after a town of the gazetteer is a 地番 (「伊集院町郡1234付近」).
_BARE_NUMBER = re.compile(r"(?<![0-9.,\-])[0-9]{1,5}(?![0-9])")


def _addresses(text: str, tokens: list[_Token], owner: list[int]) -> list[tuple]:
    gaz = address.gazetteer()
    out = []
    for m in _ADDRESS.finditer(text):
        hyphen = m["h1"] is not None
        if hyphen:
            if m["h1"].startswith("0") or _NOT_AFTER_HYPHEN.match(text, m.end()):
                continue
            if m.start() > 0 and (text[m.start() - 1].isascii() and text[m.start() - 1].isalpha()
                                  or text[m.start() - 1] in "〒#№"):
                continue
        if m["b3"] is not None and m["l3"] is None and re.search(r"丁目\s?$", text[max(0, m.start() - 3):m.start()]):
            continue  # 「3丁目12番地」 is the block written with 番地
        if _POLICE_ADDRESS.match(text, m.end()):
            continue  # the police's own address (「鹿児島市鴨池新町10番1号 鹿児島県警察本部」)
        town_start, city = _town_before(text, m.start(), tokens, owner, gaz)
        parsed = _parse(city, text[town_start:m.end()])
        if hyphen:
            if parsed is None:
                # Without a known town only three numbers (「3-12-5」) read as an address.
                if m["h3"] is None or (len(m["h1"]) == 4 and int(m["h1"]) >= 1900):
                    continue
            elif parsed.finest != Granularity.EXACT:
                continue
        out.append((town_start, m.end(), "exact_address", _address_suggestion(m, parsed, text[town_start:m.start()])))
    for m in _BARE_NUMBER.finditer(text):
        at = m.start()
        if _NOT_AFTER_HYPHEN.match(text, m.end()) or not any(
                length <= at and address._fold(text[at - length:at]) in gaz.everywhere for length in gaz.all_lengths):
            continue
        town_start, city = _town_before(text, at, tokens, owner, gaz)
        parsed = _parse(city, text[town_start:m.end()])
        if parsed is not None and parsed.finest == Granularity.EXACT:
            out.append((town_start, m.end(), "exact_address", _address_suggestion(m, parsed, text[town_start:at])))
    for m in _ROOM.finditer(text):
        out.append((m.start(), m.end(), "exact_address", ROOM_MASK))
    return out


def _town_before(text: str, at: int, tokens, owner, gaz) -> tuple[int, str | None]:
    """Where the town before the numbers at ``at`` starts, and the municipality written before it."""
    start = at
    for length in gaz.all_lengths:
        if length <= at and address._fold(text[at - length:at]) in gaz.everywhere:
            start = at - length
            break
    else:
        # A town the gazetteer does not know: the nouns before the numbers (at most three).
        k = owner[at - 1] if at > 0 else -1
        taken = 0
        while k >= 0 and taken < 3:
            t = tokens[k]
            if t.pos[0] != "名詞" or t.pos[1] in ("数詞", "代名詞") or t.end > at:
                break
            start = t.begin
            taken += 1
            k -= 1
        if start < at:
            found = gaz.match_city(text[start:at])
            if found and start + found[1] < at:
                return start + found[1], found[0]
    city = None
    for length in gaz.city_lengths:
        if length <= start and address._fold(text[start - length:start]) in gaz.cities:
            city = gaz.cities[address._fold(text[start - length:start])]
            break
    return start, city


def _parse(city: str | None, text: str):
    """The address ``text`` (town and numbers) of ``city``, or None when it cannot be read.

    A town written without its city that several municipalities have (「中央町」) is read
    in the first of them: only the numbers matter here, and they read the same.
    """
    try:
        return address.parse((city or "") + text)
    except address.AddressError:
        if city is not None:
            return None
    gaz = address.gazetteer()
    folded = address._fold(text)
    for length in gaz.all_lengths:
        cities = gaz.everywhere.get(folded[:length])
        if cities:
            try:
                return address.parse(cities[0] + text)
            except address.AddressError:
                return None
    return None


def _address_suggestion(m: re.Match, parsed, town: str) -> str:
    if parsed is not None and parsed.town is not None:
        level = Granularity.CHOME if parsed.is_jiban else Granularity.BLOCK
        written = parsed.at(level)
        if written.startswith(parsed.city):
            written = written[len(parsed.city):]
        if written:
            return written
    groups = m.groupdict()
    chome, block, jiban = None, None, True
    if groups.get("chome") is not None:
        chome, block, jiban = groups["chome"], groups["b1"], groups["m1"] in ("番地の", "番地", "の")
    elif groups.get("b2") is not None:
        block, jiban = groups["b2"], False
    elif groups.get("h3") is not None:
        chome, block, jiban = groups["h1"], groups["h2"], False  # 「3-12-5」 with a town the gazetteer lacks
    out = town
    if chome is not None:
        out += f"{to_int(chome)}丁目"
    if block is not None and not jiban:
        out += f"{to_int(block)}番"
    return out or ADDRESS_MASK


# ---------------------------------------------------------------------------------------------
# facility


def _is_katakana(ch: str) -> bool:
    return "ァ" <= ch <= "ヺ" or ch in "ー・ｰ"


def _script(ch: str) -> str:
    if _is_katakana(ch):
        return "katakana"
    if ch.isascii() and ch.isalnum():
        return "latin"
    return "other"


def _chains(text: str, tokens, owner, lex: _Lexicon) -> list[tuple]:
    out = []
    for m in lex.chain_re.finditer(text):
        start, end = m.span()
        # 「イオン」 in 「ライオン」, 「イオンカード」: a chain is a word of its own.
        if start > 0 and _script(text[start - 1]) == _script(text[start]) != "other":
            continue
        if end < len(text) and _script(text[end - 1]) == _script(text[end]) != "other":
            continue
        # The branch: place names after the chain, then 店 (「ローソン鹿児島宇宿店」).
        k = owner[end] if end < len(text) else len(tokens)
        stretch = end
        while k < len(tokens) and tokens[k].begin == stretch and tokens[k].pos[2] == "地名" and k - owner[end] < 3:
            stretch = tokens[k].end
            k += 1
        if text.startswith("店", stretch):
            end = stretch + 1
        elif stretch > end:
            end = stretch
        if _exempt(text, start, end, lex):
            continue
        out.append((start, end, "facility", _CATEGORY_SUGGESTIONS[lex.chains[m.group().lower()]]))
    return out


def _exempt(text: str, start: int, end: int, lex: _Lexicon) -> bool:
    """A claimed organisation, a brand of clothes or goods, or the police: not a place."""
    window = text[end:end + 30]
    if lex.claim_after.match(window) or lex.brand_after.match(window):
        return True
    if lex.claim_before.search(text, max(0, start - 4), start):
        return True
    return bool(_POLICE_AFTER.match(text, end))


_ORDINAL = re.compile(r"第[0-9一二三四五六七八九十]+")
# Words that name a facility although SudachiPy joins them with the kind into one common word.
_NAME_WORDS = {"中央", "東", "西", "南", "北", "第一", "第二", "第三"}
_DEMONSTRATIVES = {"同", "当", "本", "某", "各", "他", "別", "両", "全", "該当", "当該"}


def _name_like(tokens: list[_Token], k: int, lex: _Lexicon, backward: bool = True) -> bool:
    t = tokens[k]
    surface = t.surface
    if surface in _DEMONSTRATIVES and backward:
        # 「同店」「当該マンション」 name nothing, but inside a name they are letters (「母間大当小学校」).
        return k > 0 and tokens[k - 1].end == t.begin and tokens[k - 1].pos[0] in ("名詞", "接尾辞") \
            and tokens[k - 1].pos[1] not in ("数詞", "代名詞")
    if surface in lex.stops or surface in lex.titles:
        return False
    if _ORDINAL.fullmatch(surface):
        return True  # 「第一」 is read as an adverb too
    p0, p1, p2 = t.pos[0], t.pos[1], t.pos[2]
    if p0 not in ("名詞", "接頭辞", "接尾辞", "補助記号", "空白") and all(_script_of(ch) == "kanji" for ch in surface):
        return True  # a kanji word read as an adjective or adverb is still a noun in a name (「菱刈前目」)
    if p0 == "名詞":
        if p1 == "数詞":
            return backward and k > 0 and tokens[k - 1].surface == "第"
        if p2 == "副詞可能" and len(surface) == 1 and backward and k + 1 < len(tokens) \
                and tokens[k + 1].begin == t.end and tokens[k + 1].pos[1] == "固有名詞":
            return True  # 「下|大川内」「上|伊集院」: a one-kanji direction before a place name
        if p1 == "代名詞" or p2 == "副詞可能":
            return False
        if p2 == "助数詞可能" and k > 0 and tokens[k - 1].pos[1] == "数詞":
            return False
        return True
    if p0 == "接頭辞":
        return True
    if p0 == "接尾辞":
        return p1 == "名詞的" and p2 != "助数詞"
    if surface in "・･" and 0 < k < len(tokens) - 1:
        return _is_katakana(tokens[k - 1].surface[-1]) and _is_katakana(tokens[k + 1].surface[0])
    return False


def _bearing(t: _Token, surface: str, lex: _Lexicon) -> bool:
    """Whether a word of a name says which place it is (not 「県立」「児童」「2階建て」)."""
    if surface == "第" or _ORDINAL.fullmatch(surface):
        return True  # an ordinal names one of several (「第一小学校」「第2中村ビル」)
    if surface in lex.generic or t.pos[1] == "数詞" or t.pos[0] in ("接頭辞", "接尾辞"):
        return False
    return not all(ch in "・･-" for ch in surface)


def _covered_by_town(text: str, name_start: int, kind_start: int, kind_end: int) -> bool:
    """Whether a town of the gazetteer starts in the name and runs over the kind word (「皇徳寺台」)."""
    gaz = address.gazetteer()
    for p in range(name_start, kind_start):
        for length in gaz.all_lengths:
            if p + length < kind_end:
                break
            if p + length <= len(text) and address._fold(text[p:p + length]) in gaz.everywhere:
                return True
    return False


def _strip_municipality(text: str, start: int, stop: int, tokens, owner) -> int:
    """Skip the prefecture and the municipality at the start of a name (「鹿児島市」 in 「鹿児島市吉野公民館」)."""
    def ends_word(at: int) -> bool:
        # 「鹿児島市立病院」「鹿児島県立図書館」 are names: the municipality with 立 / 営 after it stays.
        if at >= stop:
            return True
        t = tokens[owner[at]]
        return (t.begin < at and t.pos[2] == "地名") or (t.begin == at and t.pos[0] != "接尾辞")

    if text.startswith("鹿児島県", start) and ends_word(start + 4):
        start += 4
    if start >= stop:
        return start
    gaz = address.gazetteer()
    found = gaz.match_city(text[start:stop])
    if found and ends_word(start + found[1]):
        if start + found[1] >= stop and address._fold(text[start:stop]) in gaz.everywhere:
            return start  # 「錦江町小学校」: 錦江町 is also a town of 垂水市 and 鹿児島市
        return start + found[1]
    return start


def _facilities(text: str, tokens, owner, lex: _Lexicon, chains: list[tuple]) -> list[tuple]:
    out = []
    chain_spans = [(c[0], c[1]) for c in chains]
    for m in lex.suffix_re.finditer(text):
        found = _suffix_candidate(text, m, tokens, owner, lex, chain_spans)
        if found:
            out.append(found)
    for m in lex.prefix_re.finditer(text):
        found = _prefix_candidate(text, m, tokens, owner, lex)
        if found:
            out.append(found)
    return out


def _suffix_candidate(text, m, tokens, owner, lex: _Lexicon, chain_spans):
    kind = lex.suffixes[m.group()]
    s, e = m.span()
    last = tokens[owner[e - 1]]
    tail = text[e:last.end]
    if tail and tail not in _LOCATION_TAILS:
        return None  # 「店員」「駅伝」「宮崎」「住宅街」: another word
    first_index = owner[s]
    first = tokens[first_index]
    kind_start = s
    parts: list[tuple[_Token, int, int]] = []  # (token, start, end) of the name, last first
    if first.begin < s:
        if text[first.begin:s] in _NAME_WORDS and first.surface not in lex.generic:
            parts.append((first, first.begin, s))  # 「中央病院」 is one dictionary word and a name
        elif (first.pos[1] == "普通名詞" and not first.oov) or first.surface in lex.generic:
            kind_start = first.begin  # 「飲食店」「県立高校」「大学病院」「道の駅」: the whole word is the kind
        else:
            parts.append((first, first.begin, s))  # 「谷山駅」「霧島神宮」: one proper-noun token
    k = first_index - 1
    while k >= 0 and len(parts) < _MAX_NAME_TOKENS and tokens[k].end == (parts[-1][1] if parts else kind_start):
        # Stops are often named after what is in front of them: 「交通局前電停」「市役所前バス停」.
        stop_name = kind.word in _STOP_KINDS and tokens[k].surface in ("前", "入口") and k > 0 \
            and tokens[k - 1].pos[0] == "名詞" and tokens[k - 1].end == tokens[k].begin
        if not stop_name and not _name_like(tokens, k, lex):
            break
        parts.append((tokens[k], tokens[k].begin, tokens[k].end))
        k -= 1
    if not parts:
        return None
    run_start = parts[-1][1]
    name_start = _strip_municipality(text, run_start, kind_start, tokens, owner)
    parts = [p for p in parts if p[2] > name_start]
    if name_start >= kind_start or not parts:
        return None
    bearing = [p for p in parts if _bearing(p[0], text[max(p[1], name_start):p[2]], lex)]
    if not bearing:
        return None
    if kind.needs_proper and not _has_proper(text, parts, bearing, name_start, kind_start, chain_spans):
        return None
    if _covered_by_town(text, name_start, s, e):
        return None
    if _exempt(text, name_start, e, lex):
        return None
    suggestion = kind.suggestion
    if kind.word in ("店", "支店", "営業所") and _FINANCIAL.search(text, name_start, kind_start):
        suggestion = "金融機関"
    return (name_start, e, "facility", suggestion)


def _has_proper(text, parts, bearing, name_start, kind_start, chain_spans) -> bool:
    """Whether a name is more than generic kanji words: a proper noun, a kana word that is no generic
    shop word (「みどり店」 but not 「ラーメン店」), a chain, a town, or public housing."""
    if any((t.proper and t.pos[1] != "数詞") or all(_kana(ch) for ch in text[max(a, name_start):b])
           for t, a, b in bearing):
        return True
    if any(t.surface in _PUBLIC_HOUSING for t, _, _ in parts):
        return True  # 「市営城南住宅」: the operator makes the rest a name
    if any(name_start <= a < kind_start for a, _ in chain_spans):
        return True
    gaz = address.gazetteer()
    return any(address._fold(text[max(a, name_start):b]) in gaz.everywhere for _, a, b in bearing)


def _prefix_candidate(text, m, tokens, owner, lex: _Lexicon):
    kind = lex.prefixes[m.group()]
    s, e = m.span()
    if e >= len(text):
        return None
    holder = tokens[owner[s]]
    if s > 0 and _is_katakana(text[s - 1]) and holder.begin != s:
        if holder.end != e or not all(_is_katakana(ch) for ch in holder.surface):
            return None  # inside a longer katakana word
        s = holder.begin  # 「サンハイツ」 as one word: the name goes on after it (「サンハイツ武岡」)
    k = owner[e]
    if tokens[k].begin != e:
        return None
    end = e
    taken = 0
    while k < len(tokens) and taken < 4 and tokens[k].begin == end:
        t = tokens[k]
        kana = all(_is_katakana(ch) or "ぁ" <= ch <= "ゖ" for ch in t.surface)
        plain = t.pos[0] == "名詞" and t.pos[2] == "一般"  # not 「予約」 (サ変) or 「内」
        # 「ハイツ|上|荒田」: one kanji before a proper noun belongs to the name
        plain = plain or (len(t.surface) == 1 and _script_of(t.surface) == "kanji" and k + 1 < len(tokens)
                          and tokens[k + 1].begin == t.end and tokens[k + 1].pos[1] == "固有名詞")
        if t.surface in "・･" and taken:
            pass
        elif not ((_name_like(tokens, k, lex, backward=False) or plain) and (t.proper or kana or plain)) \
                or t.surface in lex.generic:
            break
        end = t.end
        taken += 1
        k += 1
    end = end if text[end - 1] not in "・･" else end - 1
    if end <= e or _exempt(text, s, end, lex) or _covered_by_town(text, s, s, end):
        return None
    # Katakana words glued before the kind are part of the name (「グランドメゾン吉野」「パークハイツ宇宿」).
    j = owner[s] - 1 if tokens[owner[s]].begin == s else -1
    while j >= 0 and tokens[j].end == s and all(_is_katakana(ch) for ch in tokens[j].surface) \
            and tokens[j].surface not in lex.stops and tokens[j].surface not in "・･":
        s = tokens[j].begin
        j -= 1
    return (s, end, "facility", kind.suggestion)


# ---------------------------------------------------------------------------------------------
# person

_CLAIM_NAME_AFTER = re.compile(
    r"[」』]?\s?(?:(?:と|を|って)\s?(?:名乗|なの|名の|称|かた|騙|語|言|いう|いい|申)|です|でございます)")
# Pseudonyms that already hide a name: 「A子さん」「Bさん」「X男」.
_PSEUDONYM = re.compile(r"[A-Za-zＡ-Ｚａ-ｚ][子男美郎]?")
# The title inside a longer word of these classes is that word (「たくさん」「おばさん」「お客様」「彼氏」).
_WORD_CLASSES = ("名詞", "副詞", "代名詞", "連体詞", "形状詞", "接頭辞")


def _persons(text: str, tokens, owner, lex: _Lexicon) -> list[tuple]:
    out = []
    for m in lex.title_re.finditer(text):
        found = _titled_name(text, m, tokens, owner, lex)
        if found:
            out.append((found[0], found[1], "person", PERSON_MASK))
    for k, a in enumerate(tokens):
        # A family name and a given name together need no title: 「山田太郎」, also 「山田 太郎」.
        if a.pos[2] != "人名" or a.pos[3] != "姓":
            continue
        j = k + 2 if k + 2 < len(tokens) and tokens[k + 1].pos[0] == "空白" and len(tokens[k + 1].surface) == 1 \
            else k + 1
        if j < len(tokens) and tokens[j].pos[2] == "人名" and tokens[j].pos[3] == "名" \
                and tokens[j - 1].end == tokens[j].begin and not _inside_town(text, a.begin, tokens[j].end):
            out.append((a.begin, tokens[j].end, "person", PERSON_MASK))
    for k, t in enumerate(tokens):
        # The name a fraud caller gives: 「ヤマモトと名乗る男」「「タナカ」を名乗る」「上司の高橋です」.
        if not _CLAIM_NAME_AFTER.match(text, t.end):
            continue
        if t.person and t.pos[3] in ("姓", "名"):
            start = t.begin
            j = k - 1
            while j >= 0 and tokens[j].person and tokens[j].end == start:
                start = tokens[j].begin
                j -= 1
            out.append((start, t.end, "person", PERSON_MASK))
        elif k > 0 and tokens[k - 1].surface == "の" and all(_is_katakana(ch) for ch in t.surface) \
                and 2 <= len(t.surface) <= 8 and _checked(text, t.begin, t.end, lex) \
                and not lex.chain_re.fullmatch(t.surface):
            # 「市役所保険課のヤマモトと名乗る」「警察庁のイトウを名乗る」: a katakana name after whom it works for.
            out.append((t.begin, t.end, "person", PERSON_MASK))
    return out


def _inside_town(text: str, start: int, end: int) -> bool:
    """Whether a town of the gazetteer covers text[start:end] (「国分重久」 is a town, not 国分 重久)."""
    gaz = address.gazetteer()
    for p in range(max(0, start - gaz.all_lengths[0]), start + 1):
        for length in gaz.all_lengths:
            if p + length < end:
                break
            if address._fold(text[p:p + length]) in gaz.everywhere:
                return True
    return False


def _kana(ch: str) -> str | None:
    if "ぁ" <= ch <= "ゖ":
        return "hiragana"
    if _is_katakana(ch):
        return "katakana"
    return None


def _script_of(ch: str) -> str | None:
    if _kana(ch):
        return _kana(ch)
    if "一" <= ch <= "鿿" or ch in "々〆ヶ":
        return "kanji"
    return None


def _titled_name(text, m, tokens, owner, lex: _Lexicon):
    """The name before a title (「山田太郎さん」「ゆいちゃん」), or None."""
    h, h_end = m.span()
    if h == 0:
        return None
    strong = lex.titles[m.group()] == "strong"
    holder = tokens[owner[h]]
    if holder.begin == h and holder.end > h_end:
        return None  # 「ちゃんと」「様子」「氏名」: another word
    if holder.begin < h and holder.end >= h_end and holder.pos[0] in _WORD_CLASSES \
            and not holder.oov and not holder.person:
        return None  # 「たくさん」「おばさん」「お客様」
    k = owner[h - 1]
    if tokens[k].end == h:
        found = _name_block(text, tokens, k, h, lex)
        if found is not None:
            return _checked(text, found, h, lex)
    # 3. Given names the tokenizer does not know or cuts anywhere (「ゆいちゃん」「はるとくん」
    #    「陽翔くん」): the run of one script before the title, kana for any title, kanji after
    #    ちゃん / くん / 君 only.
    script = _script_of(text[h - 1])
    if script is None or (script == "kanji" and not strong):
        return None
    limit = 4 if script == "kanji" else 10
    start = h
    while start > 0 and h - start < limit and (_script_of(text[start - 1]) == script
                                                or (script == "katakana" and text[start - 1] in "・=")):
        start -= 1
    if script == "hiragana":
        # Another title and what follows it is not this name (「お母さんやおばあちゃん」).
        inner = lex.title_re.search(text, start, h)
        while inner:
            start = inner.end()
            inner = lex.title_re.search(text, start, h)
        t = tokens[owner[start]] if start < h else None
        if t is not None and t.begin == start and t.pos[0] == "助詞" and h - t.end >= 2:
            start = t.end  # a particle glued on from the noun before (「名前はゆいちゃん」「3年生のはるとくん」)
    if script == "katakana":
        inside = [tokens[j] for j in range(owner[start], k + 1) if tokens[j].surface not in "・･="]
        if inside and all(t.pos[1] == "普通名詞" and not t.oov for t in inside):
            return None  # 「ボランティアさん」「シェフさん」: katakana words SudachiPy knows are no names
    if script == "kanji":
        # A common noun before the name (「女児陽翔くん」): the name starts after it.
        for j in range(owner[start], k):
            t = tokens[j]
            if t.begin >= start and t.end < h and t.pos[1] == "普通名詞" and not t.oov and len(t.surface) >= 2:
                start = t.end
    return _checked(text, start, h, lex)


def _name_block(text: str, tokens, k: int, h: int, lex: _Lexicon) -> int | None:
    """Where the name that ends at the title at ``h`` starts, when the tokens say it is a name.

    Walks back over the nouns before the title (「伊藤|ツル|子|さん」「溜|拓也|容疑者」
    「マリア|・|サントス|さん」) and stops at a particle, a number, a job or family
    word, or a common word of two characters or more (「無職」「会社員」) unless a
    family name stands right before it (「田中|未来」). The run is a name when it
    holds a 人名 token, another proper noun that is no chain (「谷山さん」), an
    unknown word, or only one-character pieces (a name the dictionary cut up).
    """
    start = h
    parts: list[_Token] = []
    j = k
    while j >= 0 and len(parts) < 6 and tokens[j].end == start and h - tokens[j].begin <= 12:
        t = tokens[j]
        surface = t.surface
        if surface in lex.generic or surface in lex.titles or surface in lex.stops:
            break
        if surface in "・･=":
            if not (parts and j > 0 and _is_katakana(parts[-1].surface[0]) and _is_katakana(tokens[j - 1].surface[-1])):
                break
        elif t.pos[0] == "空白":
            # 「山田 太郎さん」: one space between a family name and a given name
            if not (len(surface) == 1 and parts and parts[-1].pos[3] == "名" and j > 0 and tokens[j - 1].pos[3] == "姓"):
                break
        elif t.oov:
            if t.pos[1] == "数詞":
                break
        elif t.pos[0] == "名詞" and t.pos[1] not in ("数詞", "代名詞"):
            if t.pos[1] == "普通名詞" and len(surface) >= 2 and not all(_kana(ch) for ch in surface) \
                    and not (j > 0 and tokens[j - 1].end == t.begin and _surname_like(tokens[j - 1])):
                break
        elif not (t.pos[0] == "接尾辞" and t.pos[1] == "名詞的" and j > 0 and tokens[j - 1].end == t.begin):
            break
        parts.append(t)
        start = t.begin
        j -= 1
    while parts and (parts[-1].pos[0] in ("接尾辞", "空白") or parts[-1].surface in "・･="):
        parts.pop()
    if not parts:
        return None
    evidence = any(t.person or t.oov or (t.pos[1] == "固有名詞" and not lex.chain_re.fullmatch(t.surface))
                   for t in parts)
    if not evidence and not (len(parts) >= 2 and all(len(t.surface) == 1 for t in parts)):
        return None
    return parts[-1].begin


def _surname_like(t: _Token) -> bool:
    """A token that can be the family name before a given name the dictionary reads as a word."""
    return t.pos[3] == "姓" or (t.oov and t.pos[1] != "数詞") or (t.pos[1] == "固有名詞" and t.pos[2] in ("人名", "地名"))


def _checked(text: str, start: int, end: int, lex: _Lexicon):
    name = text[start:end]
    if not name or name in lex.not_names or name in lex.generic or name.endswith("屋"):
        return None
    if len(name) == 1 and _kana(name):
        return None
    if _PSEUDONYM.fullmatch(name) or all(ch in "〇○◯●×＊*・" for ch in name):
        return None
    return (start, end)


# ---------------------------------------------------------------------------------------------
# Measuring against a labelled corpus


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def evaluate(corpus_path) -> dict:
    """Precision and recall of ``lint`` per kind on a labelled JSON Lines corpus.

    Each line is ``{"text": ..., "findings": [{"kind": ..., "text": <exact substring>}]}``;
    a labelled finding's span is its text's next occurrence (by ``str.find``). A
    predicted finding matches a labelled one of the same kind whose span overlaps
    it, each used once. Returns ``kinds`` (per kind ``tp``, ``fp``, ``fn``,
    ``precision``, ``recall``), ``overall`` (the same over all kinds),
    ``sentences``, ``clean_sentences``, ``clean_flagged`` and ``clean_fp_rate``
    (the share of clean sentences with any finding), and ``errors``: every
    missed (``fn``) and spurious (``fp``) finding with its sentence. Raises
    ``DataError`` naming the line for a line that is not valid JSON or whose
    finding is not in its text.
    """
    path = Path(corpus_path)
    counts = {kind: {"tp": 0, "fp": 0, "fn": 0} for kind in KINDS}
    errors = []
    sentences = clean = clean_flagged = 0
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DataError(f"JSON として読めません: {exc}", path=path, row=number) from exc
        text = row["text"]
        gold = []
        used_from: dict[str, int] = {}
        for label in row["findings"]:
            at = text.find(label["text"], used_from.get(label["text"], 0))
            if at < 0:
                raise DataError("指摘の文字列が本文にありません", path=path, row=number, value=label["text"])
            used_from[label["text"]] = at + 1
            gold.append((label["kind"], at, at + len(label["text"])))
        predicted = [(f.kind, f.start, f.end) for f in lint(text)]
        sentences += 1
        if not gold:
            clean += 1
            clean_flagged += bool(predicted)
        matched_gold = set()
        for kind, start, end in predicted:
            hit = next((i for i, g in enumerate(gold) if i not in matched_gold and g[0] == kind
                        and _overlaps((start, end), (g[1], g[2]))), None)
            if hit is None:
                counts[kind]["fp"] += 1
                errors.append({"type": "fp", "kind": kind, "text": text[start:end], "sentence": text})
            else:
                matched_gold.add(hit)
                counts[kind]["tp"] += 1
        for i, (kind, start, end) in enumerate(gold):
            if i not in matched_gold:
                counts[kind]["fn"] += 1
                errors.append({"type": "fn", "kind": kind, "text": text[start:end], "sentence": text})
    kinds = {kind: _rates(c) for kind, c in counts.items()}
    overall = _rates({key: sum(c[key] for c in counts.values()) for key in ("tp", "fp", "fn")})
    return {"kinds": kinds, "overall": overall, "sentences": sentences, "clean_sentences": clean,
            "clean_flagged": clean_flagged, "clean_fp_rate": clean_flagged / clean if clean else 0.0,
            "errors": errors}


def _rates(c: dict) -> dict:
    tp, fp, fn = c["tp"], c["fp"], c["fn"]
    return {"tp": tp, "fp": fp, "fn": fn,
            "precision": tp / (tp + fp) if tp + fp else 1.0,
            "recall": tp / (tp + fn) if tp + fn else 1.0}
