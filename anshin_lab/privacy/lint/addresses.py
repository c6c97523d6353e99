"""Findings in the numbers of an alert: emails and addresses finer than the block (phones: ``phones``).

- **email**: a regular expression on the normalised text. The service's own
  sender domain ``@123123.tv`` is not a finding.
- **exact_address**: the number patterns finer than the block (「3丁目12番5号」,
  「12番5号」, 「123番地4」, bare 地番 「123番地」, hyphens 「3-12-5」, a room
  「201号室」); the town before them is found in the gazetteer of ``address``, and
  ``address.parse`` decides whether two hyphenated numbers are a 番地 (exact) or a
  丁目 and 番 (block, clean). The suggestion is the same place at the block
  (「紫原3丁目12番」), or the 丁目 / town in 地番 areas, without the municipality
  when the text names it before the town. A room number becomes 「一室」
  (「集合住宅の201号室」 → 「集合住宅の一室」).

Each ``find_*`` returns candidates ``(start, end, kind, suggestion)`` on the folded text.
"""

from __future__ import annotations

import re

from anshin_lab.core import directive
from anshin_lab.core.granularity import Granularity
from anshin_lab.core.numerals import to_int
from anshin_lab.places import address
from anshin_lab.privacy.lint.findings import ADDRESS_MASK, EMAIL_MASK, ROOM_MASK
from anshin_lab.privacy.lint.tokens import Token
from anshin_lab.privacy.lint.towns import TownBefore, town_anywhere, town_before

__all__ = ["SENDER_DOMAIN", "find_addresses", "find_emails"]

SENDER_DOMAIN = directive.SENDER_DOMAIN  # the service's own address is not a finding

# ---------------------------------------------------------------------------------------------
# email

# Round 18: also an address written with another sign for @ against spam (「k_haiteku※pref.tottori.lg.jp」
# 「info(at)example.jp」; round 49: 「info_atmark_soumu.go.jp」), its domain then ending in a known top-level domain.
_EMAIL = re.compile(r"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9._%+\-]+(?:@(?P<domain>[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+)"
                    r"|(?:※|★|☆|\s?[(\[〔](?:at|atmark)[)\]〕]\s?|_atmark_|アットマーク)(?P<spelt>[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*"
                    r"\.(?:jp|com|net|org|info|biz)))(?![A-Za-z0-9])")


def find_emails(text: str) -> list[tuple]:
    """Every email address in ``text`` but the service's own."""
    out = []
    for m in _EMAIL.finditer(text):
        domain = (m["domain"] or m["spelt"]).lower()
        if domain == SENDER_DOMAIN or domain.endswith("." + SENDER_DOMAIN):
            continue
        out.append((m.start(), m.end(), "email", EMAIL_MASK))
    return out


# ---------------------------------------------------------------------------------------------
# exact_address

# ASCII digits or kanji numerals, never mixed (「三21番」 is a town ending in 三, then 21番).
_N = r"(?:[0-9]+|[〇一二三四五六七八九十百千]+)"
_D = r"\s?[\-ーｰ]\s?"
# (each starts with a lookahead for a numeral: the engine then skips at once where none starts, instead of trying the
# lookbehind and every branch at each character)
_ADDRESS = re.compile(
    rf"(?=[0-9〇一二三四五六七八九十百千])(?<![0-9])(?:"
    rf"(?P<chome>{_N})\s?丁目\s?(?P<b1>{_N})\s?(?P<m1>番地の|番地|番|の|{_D})\s?(?P<l1>{_N})(?:\s?号|\s?番地?)?"
    rf"|(?P<b2>{_N})\s?番\s?(?P<l2>{_N})\s?号"
    rf"|(?P<b3>{_N})\s?番地(?!元|域|方|帯|点)(?:\s?の?\s?(?P<l3>{_N})(?:\s?号)?)?"
    rf"|(?P<b4>{_N})\s?番(?P<l4>{_N})(?![0-9〇一二三四五六七八九十百千塁打項条])"  # 「字上芦原78番2」 (round 23): a town's lot
    rf"|(?P<h1>[0-9]{{1,5}}){_D}(?P<h2>[0-9]{{1,5}})(?:{_D}(?P<h3>[0-9]{{1,5}}))?(?:{_D}(?P<h4>[0-9]{{1,5}}))?(?![0-9])"
    rf"|(?P<n1>{_N})の(?P<n2>{_N})の(?P<n3>{_N})(?![0-9〇一二三四五六七八九十])"
    rf")")
_ROOM = re.compile(rf"(?=[0-9〇一二三四五六七八九十百千])(?<![0-9])(?P<room>{_N})\s?号室")
# 「〇〇マンション503号」: a 号 of three or four digits is a room, not a road (国道225号), a typhoon, a
# carriage, an issue (第503号, 「2718号 4面」) or a block's 号 (12番503号, read by _ADDRESS).
_NUMBER_LABEL_BEFORE = re.compile(r"(?:番号|ID|ＩＤ)\s?[:：]?\s?$")
_ROOM_NUMBER = re.compile(r"(?<![0-9番第道風No.\-])(?P<room>[1-9][0-9]{2,3})\s?号(?![室線車機棟館地口台店艦炉沿0-9])"
                          r"(?!\s?[0-9]{1,3}\s?(?:面|頁|ページ))")
_NOT_AFTER_HYPHEN = re.compile(r"\s?(?:丁目|丁|条|線|番|号|階|歳|才|代|人|時|分|秒|日|週|月|年|%|円|万|千|百|回|件|台|個|つ|本|名|点|位|巻|cm|km|m"
                               r"|キロ|メートル|センチ|度|枚|匹|頭|軒|棟|戸|世帯|か所|箇所|カ所|ヶ所|自治会|町内会|団体|地区|連合|[0-9.,\-ーｰ])"
                               # a count of municipalities, written right after the number (「八重山3市町」「県内5市町村」);
                               # not a building after a space (「新総曲輪1-7 県庁南別館」)
                               r"|(?:市町村|市町|町村|市|村|県)(?![庁役議])"
                               r"|等?[陸海空][佐尉曹士]"  # (round 18: a rank 「山下1陸佐」; round 76: 「西の2つ」, a count)
                               # (round 101: a count of offices, 「西の3署体制」; round 102: an electoral district, 「和歌山1区」)
                               r"|[署校店社区](?![0-9])|合目")  # (round 107: a mountain's station, 「富士山5合目」)
_CHOME_BEFORE = re.compile(rf"{_N}\s?丁目\s?$")
# 「字上ノ原」「大字郡」 between a town and its numbers.
_IROHA = "イロハニホヘトチリヌ"  # the first letters of the old order that number a town's lots (「磯部町ロ75-1」)
_AZA = re.compile(r"(?:大字|字)[^\s、。,.0-9()（）「」]{1,8}$")
# The 条 of a grid town (札幌, 旭川): 「北1条西」「伏古11条」 before the 丁目 are part of the town's name.
_GRID = re.compile(r"(?:[東西南北]?[0-9]{1,2}条(?:[東西南北](?:[0-9]{1,2}丁目)?)?|[0-9]{1,2}部)\s?$")  # 「三井町洲衛10部11番1」
# A bare number right after a town of the gazetteer is a 地番 (「伊集院町郡1234付近」).
_BARE_NUMBER = re.compile(r"(?<![0-9.,\-])[0-9]{1,5}(?![0-9])")
# The press writes the 丁目 of an address as a bare number of one or two digits that ends the address
# (「同市南武庫之荘12のドラッグストア」「朝霞市北原2の児童館」「同区長尾2、無職」; round 79: a place's in brackets,
# 「貴布祢神社(西本町6)」; round 102: a caption's place, 「…署員=名張市桔梗が丘5で】」): that is the 丁目, not a lot.
_PRESS_CHOME = re.compile(r"[0-9]{1,2}\s?(?:の(?![0-9〇一二三四五六七八九十])|[、,=＝(（)）]|で[】」』)）])")
# A number after an era's name is a year (「2021(令和3)年」), whatever town ends in its last kanji (和).
_ERAS = ("令和", "平成", "昭和", "大正", "明治")
# What follows an era's year (「昭和56年」「平成3.5.1」「令和元」): a date, unless a town is named after the era.
_ERA_YEAR_AFTER = re.compile(r"\s?(?:年|[.．/／・)）]|$)")


def find_addresses(text: str, tokens: list[Token], owner: list[int]) -> list[tuple]:
    """Every address in ``text`` written finer than the block, and every room number."""
    gaz = address.gazetteer()
    out = []
    for m in _ADDRESS.finditer(text):
        hyphen = m["h1"] is not None
        if m["n1"] is not None:
            found = _no_address(text, m, tokens, owner, gaz)
            if found:
                out.append(found)
            continue
        if hyphen:
            if m["h1"].startswith("0") or _NOT_AFTER_HYPHEN.match(text, m.end()):
                continue
            if m.start() > 0 and (text[m.start() - 1].isascii() and text[m.start() - 1].isalpha()
                                  or text[m.start() - 1] in "〒#№+") \
                    or _NUMBER_LABEL_BEFORE.search(text, max(0, m.start() - 8), m.start()):
                continue  # (round 45: 「ページ番号:590-625-291」 numbers a page)
        if m["b4"] is not None and (_NOT_AFTER_HYPHEN.match(text, m.end()) or not _town_ends(text, m.start())):
            continue  # 「110番2件」「3番1塁」: a count, not a lot; a lot follows its town's name
        chome = _CHOME_BEFORE.search(text, max(0, m.start() - 8), m.start()) if m["b3"] is not None else None
        if chome is not None:
            # 「吉祥寺北町4丁目11番地」: a 番地 after the 丁目 may be a lot, not a block; the 丁目 is what stays.
            town_start, _ = _town_before(text, chome.start(), tokens, owner, gaz)
            out.append((town_start, m.end(), "exact_address", text[town_start:chome.end()].rstrip()))
            continue
        town_start, city = _town_before(text, m.start(), tokens, owner, gaz)
        parsed = _parse_numbers(city, text, town_start, m.start(), m.end())
        if not hyphen:
            # 「川辺郡猪名川町朽原字宮下17番地」: a town of another prefecture reaches further back than the
            # gazetteer's namesake (「原」); the address is the whole of it.
            nationwide = _nationwide(text, m.start(), town_start, parsed, gaz)
            if nationwide is not None and nationwide.start < town_start:
                town_start, parsed = nationwide.start, None
        if hyphen:
            nationwide = _nationwide(text, m.start(), town_start, parsed, gaz)
            if nationwide is not None:
                numbers = [int(m[g]) for g in ("h1", "h2", "h3") if m[g] is not None]
                if _lot_after(nationwide, numbers):
                    out.append((nationwide.start, m.end(), "exact_address", _block_of(text, nationwide, numbers)))
                continue
            if parsed is None:
                # Without a known town only three numbers (「3-12-5」) read as an address.
                if m["h3"] is None or (len(m["h1"]) == 4 and int(m["h1"]) >= 1900):
                    continue
            elif parsed.finest != Granularity.EXACT:
                continue
        out.append((town_start, m.end(), "exact_address", _address_suggestion(m, parsed, text[town_start:m.start()])))
    for m in _BARE_NUMBER.finditer(text):
        at = m.start()
        if _NOT_AFTER_HYPHEN.match(text, m.end()) \
                or (text.endswith(_ERAS, 0, at) and _ERA_YEAR_AFTER.match(text, m.end())):
            continue  # (「昭和56年」 is a year; 「さぬき市昭和1の1」 is a town's lot)
        chome = _CHOME_BEFORE.search(text, max(0, at - 8), at)
        if chome is not None:
            # 「和田2丁目1234」: a number of three digits or more right after the 丁目 is its 地番, not a block.
            if int(m.group()) >= _LOT_AFTER_CHOME_FROM:
                town_start, _ = _town_before(text, chome.start(), tokens, owner, gaz)
                found = town_before(text, chome.start())  # 「日吉本町」 reaches further back than the gazetteer's 「本町」
                if found is not None and found.start < town_start:
                    town_start = found.start
                out.append((town_start, m.end(), "exact_address", text[town_start:chome.end()].rstrip()))
            continue
        # The press writes the 丁目 bare (「同市南武庫之荘12の」「燕市井土巻3、」), whatever the postal data says;
        # after a 字 (「大字鶴ノ巣1の」) a number is a lot.
        press = _PRESS_CHOME.match(text, at) and not _AZA.search(text, max(0, at - 12), at)
        lot = [int(m.group())]
        configured = any(length <= at and address.fold(text[at - length:at]) in gaz.everywhere
                         for length in gaz.all_lengths)
        if configured and not press:
            town_start, city = _town_before(text, at, tokens, owner, gaz)
            parsed = _parse_numbers(city, text, town_start, m.start(), m.end())
        else:
            town_start, parsed = at, None
        # A town of another prefecture (or one the gazetteer cannot read): a bare number after it is its
        # 地番, or its 丁目 where it has 丁目.
        nationwide = _nationwide(text, at, town_start, parsed, gaz)
        if nationwide is not None:
            if not press and _lot_after(nationwide, lot):
                out.append((nationwide.start, m.end(), "exact_address", _block_of(text, nationwide, lot)))
            continue
        if press or not configured:
            continue
        if parsed is not None and parsed.finest == Granularity.EXACT:
            out.append((town_start, m.end(), "exact_address", _address_suggestion(m, parsed, text[town_start:at])))
        elif parsed is not None and parsed.block is None and lot[0] >= _NO_CHOME_FROM and town_start < at:
            # 「紫原1234」: no town has a 丁目 this high, so it is a lot of the town (parse reads a 丁目).
            out.append((town_start, m.end(), "exact_address", text[town_start:at]))
    for m in _BRACKETED_LOT.finditer(text):
        if int(m["lot"]) >= _NO_CHOME_FROM and not any(f[0] <= m.start("town") < f[1] for f in out):
            out.append((m.start("town"), m.end("lots"), "exact_address", m["town"]))
    for m in _TOWN_LOT_ALONE.finditer(text):
        if to_int(m["lot"]) < 100 or not (m["aza"] or town_anywhere(m["town"])) or m["town"].startswith(_ERAS):
            continue
        start = m.start("aza") if m["aza"] else m.start("town")
        if m["aza"]:  # (a town the gazetteer knows at the end of the 字's name read only in part: 「大字上|原312」)
            out = [f for f in out if not (start <= f[0] and f[1] <= m.end("lots"))]
        if not any(f[0] < m.end() and m.start("town") < f[1] for f in out):
            out.append((start, m.end("lots"), "exact_address", text[start:m.end("town")]))
    out += _postal_lots(text, out)
    for m in _ROOM.finditer(text):
        out.append((m.start(), m.end(), "exact_address", ROOM_MASK))
    for m in _ROOM_NUMBER.finditer(text):
        if not _ROAD_BEFORE.search(text, max(0, m.start() - 2), m.start()) \
                and not _ROAD_LISTED_BEFORE.search(text, max(0, m.start() - 12), m.start()) \
                and not _ISSUE_BEFORE.search(text, max(0, m.start() - 12), m.start()):
            out.append((m.start(), m.end(), "exact_address", ROOM_MASK))
    return out


# Round 37: a town and its lot alone in brackets after a building (「小机交番(小机町2534)」): no municipality before
# it to read the town by, but no 丁目 goes that high, so it is a 地番.
# (round 120: also where the text ends before the bracket does, 「宮浦派出所(西宮浦町51」)
_BRACKETED_LOT = re.compile(r"(?<=[(（])(?P<town>[一-龥々ヶ]{1,6}[町村])"
                            r"(?P<lots>(?P<lot>[0-9]{2,5})(?:-[0-9]{1,4}){0,2})(?=[)）]|\s*$)")
# Round 47: a town of Japan and its lot alone on a line or after an address label (「下野田754」「(住所:梅満町731)」), as a
# list of offices prints them: no municipality before it, but no 丁目 reaches 100, so the lot is a 地番.
# Round 74: also in brackets after a place, its branch number after の (「成瀬交番(高森1747の2)」).
# Round 120: a 大字 before the town makes it one, whether the gazetteer knows it or not (「開設(大字下里187)」).
# Round 121: a lot in kanji digits read one by one, as a list of members' homes prints it (「(楚辺一三九五の一六三)」).
_TOWN_LOT_ALONE = re.compile(r"(?:(?:住所|所在地)[:：]\s?|(?:^|(?<=\n))[ \t\u3000]*|(?<=[(（]))"
                             r"(?P<aza>大字)?(?P<town>[一-龥々ヶ]{2,6}?)"
                             r"(?P<lots>(?P<lot>[0-9]{3,5}|[一二三四五六七八九][〇一二三四五六七八九]{2,4})"
                             r"(?:[-の](?:[0-9]{1,4}|[〇一二三四五六七八九]{1,4})){0,2})(?=[ \t\u3000]*(?:$|\n|[)）]))")
# Round 115: a postal address, its code first, where the lot stands after a space or is written in kanji digits one by
# one (「〒9608002 福島市森合町 146」「〒527―0043八日市市神田町三七九」): after a postal code the number is the lot.
_POSTAL_LOT = re.compile(r"〒\s?[0-9]{3}[\-―ー−‐]?[0-9]{4}\s?(?P<place>[一-龥々ヶぁ-ゖァ-ヺ]{2,16}?)[ \u3000]?"
                         r"(?P<lot>[0-9]{1,5}|[〇一二三四五六七八九]{2,5})(?![0-9〇一二三四五六七八九十百千丁番号条\-ー−―])")


def _postal_lots(text: str, found: list[tuple]) -> list[tuple]:
    """The town and lot after a postal code (``_POSTAL_LOT``) that no other rule read, when the number is no 丁目."""
    out = []
    for m in _POSTAL_LOT.finditer(text):
        town = town_before(text, m.end("place"))
        lot = to_int(m["lot"])
        if town is None or town.start < m.start("place") \
                or any(f[0] < m.end() and m.start("place") < f[1] for f in found):
            continue
        if lot >= _NO_CHOME_FROM or not town.has_chome:
            out.append((town.start, m.end("lot"), "exact_address", text[town.start:m.end("place")]))
    return out


# An issue's running number in brackets after its own (「第28号(121号)」, round 74): no room.
_ISSUE_BEFORE = re.compile(r"第[0-9]+号\s?[(（](?:通算)?$")
# A road's name before its number in brackets (「県道多度津丸亀線(205号)」, round 31): the route, no room.
_ROAD_BEFORE = re.compile(r"(?:線|道|国道|県道|号線)\s?[(（]$")
# Round 112: a road's number after another road's in a list (「国道13号と105号が交わる」): the route, no room.
_ROAD_LISTED_BEFORE = re.compile(r"(?:国道|県道|道道|府道|都道)[0-9]{1,4}号(?:線)?(?:と|、|や|及び|および|から)$")


# No town has a 丁目 this high: a first number from here on is a 番地 (「駄経寺町187-1」), though the town has 丁目.
_NO_CHOME_FROM = address.NO_CHOME_FROM
# No 丁目 has a block this high: a bare number from here on after a 丁目 is a lot (「和田2丁目1234」).
_LOT_AFTER_CHOME_FROM = address.LOT_AFTER_CHOME_FROM


def _nationwide(text: str, at: int, town_start: int, parsed, gaz) -> TownBefore | None:
    """The municipality and town of Japan before the numbers at ``at`` (``towns.town_before``), when they
    read the address better than the gazetteer of the configured prefecture: it has no reading
    (``parsed`` is None), or its town starts later and what it leaves out is more than a municipality
    of its own (「横浜市港北区日吉|本町」, not 「鹿児島市|紫原」), or the municipality is another
    prefecture's. A 甲, 乙 or 丙 between the town and the numbers is the lot's (「観音寺町甲2558-1」, round 89)."""
    found = town_before(text, _lot_section_start(text, at))
    if found is None or parsed is None:
        return found
    written = text[found.start:found.end]
    if not (written.startswith("同") or gaz.match_city(written)):
        return found  # a municipality of another prefecture (the gazetteer may read a namesake of its own)
    if found.start < town_start and address.fold(text[found.start:town_start]) not in gaz.cities:
        return found
    return None


def _lot_after(town: TownBefore, numbers: list[int]) -> bool:
    """Whether ``numbers`` after ``town`` (「1748」「187-1」「1-23-4」) go finer than the block: three
    numbers always; one or two in a town without 丁目, or whose first no 丁目 reaches, or whose second no block of a
    丁目 reaches (「千代水3-100」: 3丁目100番地, round 70)."""
    if len(numbers) >= 3:
        return True
    return not town.has_chome or numbers[0] >= _NO_CHOME_FROM \
        or (len(numbers) == 2 and numbers[1] >= _LOT_AFTER_CHOME_FROM)


def _block_of(text: str, town: TownBefore, numbers: list[int]) -> str:
    """The same place at the block: the 丁目 and 番 of a town with 丁目 (「日吉本町1丁目23番」), the
    town in a 地番 area."""
    name = text[town.start:town.end]
    if town.has_chome and numbers[0] < _NO_CHOME_FROM:
        return name + f"{numbers[0]}丁目" + (f"{numbers[1]}番" if len(numbers) >= 3 else "")
    return name


def _no_address(text: str, m: re.Match, tokens, owner, gaz) -> tuple | None:
    """「紫原3の12の5」: three numbers joined by の after a town are 丁目, 番 and 号 (or 番地)."""
    if _NOT_AFTER_HYPHEN.match(text, m.end()):
        return None
    town_start, city = _town_before(text, m.start(), tokens, owner, gaz)
    if town_start >= m.start():
        return None  # 「3の12の5」 alone may be anything: a score, a page
    numbers = "-".join(str(to_int(m[g])) for g in ("n1", "n2", "n3"))
    parsed = _parse(city, text[town_start:m.start()] + numbers)
    if parsed is not None and parsed.finest != Granularity.EXACT:
        return None
    if parsed is not None and parsed.town is not None:
        suggestion = _address_suggestion(m, parsed, text[town_start:m.start()])
    else:
        suggestion = f"{text[town_start:m.start()]}{to_int(m['n1'])}丁目{to_int(m['n2'])}番"
    return (town_start, m.end(), "exact_address", suggestion)


def _lot_section_start(text: str, at: int) -> int:
    """Where the 甲, 乙 or 丙 of a 地番 area starts, written between the town and its lot (「観音寺町甲2558-1」, round
    89), or a letter of the old イロハ order (「磯部町ロ75-1」, round 120); ``at`` when there is none."""
    return at - 1 if at >= 2 and text[at - 1] in "甲乙丙" + _IROHA and re.match(r"[一-龥々ヶ]", text[at - 2]) else at


def _lot_letter_before(text: str, at: int) -> bool:
    """Whether a letter of the old イロハ order stands right before ``at``, after a town's 町, 村 or 字 (「磯部町ロ75-1」)."""
    return at > 1 and text[at - 1] in _IROHA and text[at - 2] in "町村字"


def _town_ends(text: str, at: int) -> bool:
    """Whether a town's name (kanji or kana, not a count's 第 or a mark) ends right before ``at``."""
    return at > 0 and re.match(r"[一-龥々ヶぁ-ゖァ-ヺ]", text[at - 1]) is not None \
        and text[at - 1] not in "第約計全各はがをにでともへやのか"


def _town_before(text: str, at: int, tokens, owner, gaz) -> tuple[int, str | None]:
    """Where the town before the numbers at ``at`` starts, and the municipality written before it."""
    grid = _GRID.search(text, max(0, at - 12), at)
    if grid is not None:
        # 「札幌市中央区北1条西|2丁目3番地」: the town goes on before the 条.
        town_start, city = _town_before(text, grid.start(), tokens, owner, gaz)
        return min(town_start, grid.start()), city
    start = at
    aza = _AZA.search(text, max(0, at - 12), at)
    if aza is not None:
        # 「吉野町字上ノ原123番地」: the 字 goes with the numbers; the town is what stands before it.
        town_start, city = _town_before(text, aza.start(), tokens, owner, gaz)
        if town_start < aza.start():
            return town_start, city
    if _lot_letter_before(text, at):
        # 「金沢市磯部町ロ75-1」: a lot's letter of the old イロハ order between the town and its numbers (round 120)
        town_start, city = _town_before(text, at - 1, tokens, owner, gaz)
        if town_start < at - 1:
            return town_start, city
    for length in gaz.all_lengths:
        if length <= at and address.fold(text[at - length:at]) in gaz.everywhere:
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
        if length <= start and address.fold(text[start - length:start]) in gaz.cities:
            city = gaz.cities[address.fold(text[start - length:start])]
            break
    return start, city


def _parse_numbers(city: str | None, text: str, town_start: int, at: int, end: int):
    """The address from ``town_start`` to ``end`` (numbers from ``at``), read without a 字 and its name
    between the town and the numbers (「喜念大字下河原1234」 reads as 「喜念1234」: the gazetteer knows
    the town, not the 字, and a lot it is)."""
    if at - 1 > town_start and _lot_letter_before(text, at):
        return _parse(city, text[town_start:at - 1] + text[at:end])  # 「磯部町ロ75-1」 reads as 「磯部町75-1」
    aza = _AZA.search(text, max(town_start, at - 12), at)
    if aza is None or aza.start() <= town_start:
        return _parse(city, text[town_start:end])
    return _parse(city, text[town_start:aza.start()] + text[at:end])


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
    folded = address.fold(text)
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
