"""The lint's dictionaries (``dictionaries/``), read and compiled once.

Facility kind words (``facility_kinds.csv``), chains and their category
(``chains.csv``), generic modifiers (``place_generic.txt``), relation words that
end a name (``place_stops.txt``), words that are no names (``not_names.txt``),
person titles (``person_titles.csv``), what a fraud caller claims to be
(``claims.csv``), brands of clothes and belongings (``brand_items.txt``) and the
police's own names (``police_words.txt``), family names in katakana for fraud callers'
aliases (``katakana_surnames.txt``), every municipality of Japan (``municipalities.txt``),
the shop-type words written before a small shop's name (``shop_prefixes.txt``), the kinds of
public centre that a municipality's name alone names (``public_centres.txt``) and mascots
(``mascots.txt``). ``load_lexicon`` reads them at first use and keeps them.

Raises ``LintError`` when a dictionary file is missing and ``DataError`` naming
the file and line for a malformed one.
"""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass
from pathlib import Path

from anshin_lab.core.errors import DataError
from anshin_lab.privacy.lint.findings import LintError
from anshin_lab.privacy.lint.tokens import fold_width, lower_ascii, modern_kanji

__all__ = ["CATEGORY_SUGGESTIONS", "DICTIONARY_DIR", "Lexicon", "dictionary_entries", "dictionary_lines", "kana_spellings", "load_lexicon",
           "police_numbers"]

DICTIONARY_DIR = Path(__file__).with_name("dictionaries")

# The categories of ``chains.csv`` and the generic word each chain is written as.
CATEGORY_SUGGESTIONS = {"shop": "店舗", "restaurant": "飲食店", "amusement": "遊技場", "mall": "商業施設",
                        "hotel": "宿泊施設", "karaoke": "店舗", "fuel": "店舗", "public": "公共施設",
                        "sight": "施設", "school": "学校", "university": "大学"}
# Titles: how sure the word before a title must be a name (see person_titles.csv).
TITLE_STRENGTHS = ("strong", "proper", "person", "job", "before")


def dictionary_lines(name: str) -> list[str]:
    path = DICTIONARY_DIR / name
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise LintError(f"辞書 {path} を読めません: {exc}") from exc
    # the words as the lint reads the text: old forms of kanji in their common forms (「淺沼組」 is 浅沼組)
    return [modern_kanji(line.strip()) for line in raw.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def _rows(name: str, columns: tuple[str, ...]) -> list[dict]:
    lines = dictionary_lines(name)
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


# How much of a name a kind needs (column needs_proper of facility_kinds.csv): 0 any name, 1 more than
# kanji common nouns, 2 a proper noun, an unknown word or Latin letters (a katakana company suffix:
# 「ヤマトサービス」 yes, 「ネットサービス」 no).
PROPER_LEVELS = ("0", "1", "2")


@dataclass(frozen=True)
class _Kind:
    word: str
    suggestion: str
    needs_proper: int


class Lexicon:
    """Every dictionary of ``dictionaries/``, compiled for the lint."""

    def __init__(self):
        kinds = _rows("facility_kinds.csv", ("word", "position", "suggestion", "needs_proper"))
        for number, row in enumerate(kinds, start=2):
            if row["needs_proper"] not in PROPER_LEVELS:
                raise DataError(f"needs_proper は {', '.join(PROPER_LEVELS)} のどれかにしてください",
                                path=DICTIONARY_DIR / "facility_kinds.csv", row=number, column="needs_proper",
                                value=row["needs_proper"])
        self.suffixes = {fold_width(r["word"]): _Kind(fold_width(r["word"]), r["suggestion"], int(r["needs_proper"]))
                         for r in kinds if r["position"] == "suffix"}
        self.prefixes = {fold_width(r["word"]): _Kind(fold_width(r["word"]), r["suggestion"], int(r["needs_proper"]))
                         for r in kinds if r["position"] == "prefix"}
        self.suffix_re = re.compile(_alternation(self.suffixes))
        self.suffix_end_re = re.compile(f"(?:{self.suffix_re.pattern})$")  # a kind word ending a run (「河口外科」)
        self.prefix_re = re.compile(_alternation(self.prefixes))
        chains = []
        for name in ("chains.csv", "landmarks.csv"):
            rows = _rows(name, ("name", "category"))
            for number, row in enumerate(rows, start=2):
                if row["category"] not in CATEGORY_SUGGESTIONS:
                    raise DataError(f"分類は {', '.join(CATEGORY_SUGGESTIONS)} のどれかにしてください",
                                    path=DICTIONARY_DIR / name, row=number, column="category", value=row["category"])
            chains += rows
        self.chains = {fold_width(r["name"]).lower(): r["category"] for r in chains}
        self.chain_re = re.compile(_alternation(fold_width(r["name"]) for r in chains), re.IGNORECASE)
        # why: re.IGNORECASE makes this alternation three times slower to scan a text; ``find_chains`` scans the
        # text with its ASCII capitals lowered (``lower_ascii``) for the names lowered the same way instead
        self.chain_scan = re.compile(_alternation(lower_ascii(fold_width(r["name"])) for r in chains))
        self.generic = set(dictionary_lines("place_generic.txt"))
        self.stops = set(dictionary_lines("place_stops.txt"))
        self.not_names = set(dictionary_lines("not_names.txt"))
        titles = _rows("person_titles.csv", ("title", "strength"))
        for number, row in enumerate(titles, start=2):
            if row["strength"] not in TITLE_STRENGTHS:
                raise DataError(f"強さは {', '.join(TITLE_STRENGTHS)} のどれかにしてください",
                                path=DICTIONARY_DIR / "person_titles.csv", row=number, column="strength",
                                value=row["strength"])
        self.titles = {r["title"]: r["strength"] for r in titles if r["strength"] != "before"}
        self.title_re = re.compile(_alternation(self.titles))
        # Ranks and jobs are also written before a name (「警部補佐藤和人」「校長の山田」), and a few words only there.
        self.titles_before = frozenset(r["title"] for r in titles if r["strength"] in ("job", "before"))
        self.title_before_re = re.compile(_alternation(self.titles_before))
        claims = _rows("claims.csv", ("word", "role"))
        staff = _alternation(r["word"] for r in claims if r["role"] == "staff")
        verbs = _alternation(r["word"] for r in claims if r["role"] == "verb")
        weak = _alternation(r["word"] for r in claims if r["role"] == "weak")
        # 「市役所や銀行、警察を名乗る」: other organisations may stand between the claimed one and the verb.
        others = r"(?:(?:や、?|、|・|または|及び|および|か|とか|と)[^\s。、「」『』【】]{1,12}?){0,3}?(?:など|等)?"
        particle = r"(?:を|として|と|だと|であると|で|に)?"  # (「市役所の職員として名乗り」)
        self.claim_after = re.compile(
            rf"[」』】]?{others}[」』】]?(?:(?:の|を|と)?(?:{staff}))?[」』】]?{particle}(?:{verbs})"
            rf"|[」』】]?{others}[」』】]?(?:の|を|と)?(?:{staff})[」』】]?{particle}(?:{weak})"
            # 「NTT職員、次に警察官を名乗る」: the staff word first, then the other claimed ones (round 27)
            rf"|(?:の)?(?:{staff})(?:、|や|・)[^\s。、「」『』【】]{{1,12}}?{particle}(?:{verbs})")
        self.claim_before = re.compile(r"(?:自称|元)[「『]?$")
        items = _alternation(dictionary_lines("brand_items.txt"))
        # 「ユニクロのダウンジャケット」「イオンの紺色の紙袋」「ワークマンの作業ズボン」: the item may
        # follow a colour, a short adjective or a short noun, and must end a word (「車」 is not the
        # 車 of 「駐車場」).
        self.brand_after = re.compile(
            rf"(?:製|の)(?:の)?(?:[ぁ-ん]{{0,2}}[一-龥ァ-ヺー]{{1,4}}?(?:色|柄|系)の?|[ぁ-ん一-龥]{{1,3}}い)?"
            rf"[一-龥ァ-ヺー]{{0,4}}?(?:{items})(?:(?=姿)|(?![一-龥々ァ-ヺー]))")
        self.police = dictionary_lines("police_words.txt")
        abbreviations = _rows("school_abbreviations.csv", ("abbreviation", "kind"))
        self.abbreviations = {r["abbreviation"]: CATEGORY_SUGGESTIONS[r["kind"]] for r in abbreviations}
        self.abbreviation_re = re.compile(_alternation(self.abbreviations))
        self.place_readings = set(dictionary_lines("place_readings.txt"))
        self.katakana_surnames = frozenset(dictionary_lines("katakana_surnames.txt"))
        # with both spellings of the small ケ (「龍ケ崎市」 is also written 「龍ヶ崎市」, round 32)
        self.municipalities = frozenset(spelling for m in dictionary_lines("municipalities.txt")
                                        for spelling in {m, m.replace("ケ", "ヶ"), m.replace("ヶ", "ケ")})
        # 「善通寺市」 -> 「善通寺」: the stem a municipality is also called by (two characters or more).
        self.municipality_stems = frozenset(m[:-1] for m in self.municipalities if len(m) >= 3)
        self.shop_prefixes = dictionary_lines("shop_prefixes.txt")
        self.shop_prefix_re = re.compile(_alternation(fold_width(w) for w in self.shop_prefixes))
        self.public_centres = frozenset(fold_width(w) for w in dictionary_lines("public_centres.txt"))
        self.mascots = frozenset(dictionary_lines("mascots.txt"))
        # Round 122: clubs of the professional leagues, teams and no places (claims.py).
        self.pro_teams = frozenset(fold_width(w) for w in dictionary_lines("pro_teams.txt"))
        # Round 124: railway and bus operators, firms and no places (claims.py).
        self.transit_operators = frozenset(fold_width(w) for w in dictionary_lines("transit_operators.txt"))
        # Facility words of round 6 (facilities.py, landmarks.py): fields of study before 大 (「電気通信大」).
        self.university_fields = frozenset(dictionary_lines("university_fields.txt"))
        self.entries = sorted(set(self.suffixes) | set(self.prefixes) | {fold_width(r["name"]) for r in chains}
                              | self.generic | self.stops | self.not_names | set(self.titles) | self.titles_before | set(self.police)
                              | set(self.abbreviations) | self.place_readings | set(self.shop_prefixes)
                              | self.public_centres | self.mascots)


@functools.lru_cache(maxsize=1)
def police_numbers() -> frozenset[str]:
    """The digits of the police's own published numbers (``police_numbers.csv``)."""
    return frozenset(re.sub(r"\D", "", fold_width(r["phone"])) for r in _rows("police_numbers.csv", ("name", "phone")))


@functools.lru_cache(maxsize=1)
def kana_spellings() -> dict[str, str]:
    """Hiragana spellings of facility kinds and the kanji they are read as (``kana_spellings.csv``)."""
    return {r["kana"]: r["kanji"] for r in _rows("kana_spellings.csv", ("kana", "kanji"))}


@functools.lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """The compiled dictionaries, read at the first call and kept."""
    return Lexicon()


def dictionary_entries() -> list[str]:
    """Every entry of the lint's dictionaries (for the naive benchmark), sorted."""
    return list(load_lexicon().entries)
