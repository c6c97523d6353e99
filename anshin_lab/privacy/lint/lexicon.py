"""The lint's dictionaries (``dictionaries/``), read and compiled once.

Facility kind words (``facility_kinds.csv``), chains and their category
(``chains.csv``), generic modifiers (``place_generic.txt``), relation words that
end a name (``place_stops.txt``), words that are no names (``not_names.txt``),
person titles (``person_titles.csv``), what a fraud caller claims to be
(``claims.csv``), brands of clothes and belongings (``brand_items.txt``) and the
police's own names (``police_words.txt``). ``load_lexicon`` reads them at first
use and keeps them.

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
from anshin_lab.privacy.lint.tokens import fold_width

__all__ = ["CATEGORY_SUGGESTIONS", "DICTIONARY_DIR", "Lexicon", "dictionary_entries", "load_lexicon"]

DICTIONARY_DIR = Path(__file__).with_name("dictionaries")

# The categories of ``chains.csv`` and the generic word each chain is written as.
CATEGORY_SUGGESTIONS = {"shop": "店舗", "restaurant": "飲食店", "amusement": "遊技場", "mall": "商業施設",
                        "hotel": "宿泊施設", "karaoke": "店舗", "fuel": "店舗"}


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


class Lexicon:
    """Every dictionary of ``dictionaries/``, compiled for the lint."""

    def __init__(self):
        kinds = _rows("facility_kinds.csv", ("word", "position", "suggestion", "needs_proper"))
        self.suffixes = {fold_width(r["word"]): _Kind(fold_width(r["word"]), r["suggestion"], r["needs_proper"] == "1")
                         for r in kinds if r["position"] == "suffix"}
        self.prefixes = {fold_width(r["word"]): _Kind(fold_width(r["word"]), r["suggestion"], r["needs_proper"] == "1")
                         for r in kinds if r["position"] == "prefix"}
        self.suffix_re = re.compile(_alternation(self.suffixes))
        self.prefix_re = re.compile(_alternation(self.prefixes))
        chains = _rows("chains.csv", ("name", "category"))
        for number, row in enumerate(chains, start=2):
            if row["category"] not in CATEGORY_SUGGESTIONS:
                raise DataError(f"分類は {', '.join(CATEGORY_SUGGESTIONS)} のどれかにしてください",
                                path=DICTIONARY_DIR / "chains.csv", row=number, column="category", value=row["category"])
        self.chains = {fold_width(r["name"]).lower(): r["category"] for r in chains}
        self.chain_re = re.compile(_alternation(fold_width(r["name"]) for r in chains), re.IGNORECASE)
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
        self.entries = sorted(set(self.suffixes) | set(self.prefixes) | {fold_width(r["name"]) for r in chains}
                              | self.generic | self.stops | self.not_names | set(self.titles) | set(self.police))


@functools.lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """The compiled dictionaries, read at the first call and kept."""
    return Lexicon()


def dictionary_entries() -> list[str]:
    """Every entry of the lint's dictionaries (for the naive benchmark), sorted."""
    return list(load_lexicon().entries)
