"""Facilities that the frame of the sentence names: where a name stands says it is a place (issue 14, round 7).

The rules of ``facilities`` and ``landmarks`` read a name and its kind word; these read what surrounds a
name, so they catch names whose kind word is rare or missing:

- **lists of facilities**: the bullet line a police alert prints (「・王子小学校、王子回生病院、明石川浄水場」)
  or the list after 「現場付近の施設」: once two of its items are facilities (and at least half), every other
  item that is a run of nouns is one too (浄水場, 電車区, 公苑); roads, rivers, railway lines, interchanges,
  towns and items with numbers (「国道17号線」「★太田川」「東海道新幹線」) stay clean;
- **a name and its address in brackets** (「ポリテクセンター(札幌市西区…)において」「遠州鉄道(浜松市中区)は」
  「「さくら建築」(東京都町田市)」): what the press locates by its municipality is a building or a firm; not a
  person, a town, an incident, the police or a list of members;
- **a post office by its short name** (「美作勝山局の田辺局長」): place names and 局, when its 局長 or 局員
  follows or the text speaks of 郵便;
- **a municipality's section with its phone number** (「[問]三鷹市安全安心課TEL0422-…」): a contact office;
- **a quoted name that ends in its kind word** (「徳島県認知症高齢者見守りセンター」): the quotes make common
  words a name; not a class, a programme (「防犯教室」「子ども110番の店」), a question or a service
  (``SERVICE_NAME``: 「安心メール」).

``find_framed`` returns candidates ``(start, end, "facility", suggestion)`` on the normalised text.
"""

from __future__ import annotations

import functools
import re

from anshin_lab.privacy.lint.claims import POLICE_AFTER, claimed, exempt, made_up
from anshin_lab.privacy.lint.facilities import course_held, kind_ends_word, trade_goes_on
from anshin_lab.privacy.lint.lexicon import CATEGORY_SUGGESTIONS, Lexicon, load_lexicon
from anshin_lab.privacy.lint.municipalities import is_municipality_name
from anshin_lab.privacy.lint.name_checks import in_work_title
from anshin_lab.privacy.lint.name_runs import RESIDENTS_BODY, one_common_noun
from anshin_lab.privacy.lint.tokens import Token
from anshin_lab.privacy.lint.towns import gazetteer_town, municipality_prefix, town_after_municipality, town_anywhere

__all__ = ["SERVICE_NAME", "find_framed", "no_place"]

# What ends the name of a service, a medium or a campaign (「あんあんメール」「安心メール」「ちょっと確認電話」): a quoted
# name ending so is no place. (Not サービス, ネット, ライン or 通信, which end firms' names too: 「ワールドサービス」)
SERVICE_NAME = re.compile(r"(?:メール|アプリ|サイト|ダイヤル|電話|ナビ|マップ|だより|便り|ニュース|速報|情報|キャンペーン"
                          r"|運動|作戦|プロジェクト|ポータル|チャンネル|ラジオ|ポイント|ポリス|隊)$")
_QUOTED_NAME = re.compile(r"[「『](?P<name>[^」』「『。、!?!?\n]{1,20})[」』]")
_PSEUDONYM_QUOTE = re.compile(r"[A-Za-z]|[〇○◯●×＊*]+")
_KANA_WORD = re.compile(r"[ぁ-ゖァ-ヺー・]*[ァ-ヺ][ぁ-ゖァ-ヺー・]*")
_LATIN_NAME = re.compile(r"[A-Za-z][A-Za-z0-9&'.]*(?: [A-Za-z][A-Za-z0-9&'.]*){0,3}")
# Kinds a quoted topic ends in without naming a place (「『防犯』教室」「子ども110番の事業所」).
_TOPIC_KINDS = {"教室", "事業所"}
# The police before whom a name is its station's town (「築館署」「三鷹警察署」).
_POLICE = re.compile(r"(?:幹部交番|交番|駐在所|警察署|派出所|署|警察学校)$")


def find_framed(text: str, tokens: list[Token], owner, lex: Lexicon, found: list[tuple]) -> list[tuple]:
    """Every facility the frame of ``text`` names; ``found`` are the facility candidates of the other rules
    (the anchors of a list)."""
    out = _listed(text, tokens, owner, lex, found)
    out += _before_addresses(text, tokens, owner, lex)
    out += _post_offices(text, tokens, lex)
    out += _sections_as_contacts(text, lex)
    out += _quoted_with_kind(text, tokens, owner, lex)
    out += _firm_lists(text, tokens, owner, lex, found)
    out += _acronyms_of_firms(text, found)
    out += _aliases_in_brackets(text, lex, found)
    out += _venues(text, lex)
    out += _schools_named_before_each(text, lex)
    return out


# Round 34: schools listed by their names before 「の各小学校」 (「田川、源池、開智の各小学校」): each item is a school.
_EACH_SCHOOL = re.compile(r"(?<![一-龥々ァ-ヺー])(?P<items>[一-龥々ァ-ヺー]{1,6}(?:、[一-龥々ァ-ヺー]{1,6})+)"
                          r"の各(?:小学校|中学校|高校|高等学校|学校|小中学校)")


def _schools_named_before_each(text: str, lex: Lexicon) -> list[tuple]:
    out = []
    for m in _EACH_SCHOOL.finditer(text):
        items = [(i.start() + m.start("items"), i.end() + m.start("items")) for i in re.finditer(r"[^、]+", m["items"])]
        if any(text[a:b] in lex.generic for a, b in items) or all(is_municipality_name(text[a:b], lex) for a, b in items):
            continue  # 「市内、町内の各小学校」「東京、大阪の各学校」: places, no schools
        out += [(a, b, "facility", "学校") for a, b in items]
    return out


# Round 31: a venue written after its field label, in katakana or Latin letters (「会 場 イイヅカコスモスコモン 第2会議室」
# 「会場:ハミングプラザ」): the label names a place, and such a name carries no kind word for the other rules.
_VENUE = re.compile(r"(?:^|(?<=[\s0-9０-９.．)）]))(?:会\s?場|開催場所|集合場所|場\s?所)\s?[:：]?\s?"
                    r"(?P<name>[ァ-ヺA-Za-z][ァ-ヺーA-Za-z・&]{3,24})(?=[\s(（、。]|$)")


# A katakana name where an event was held, after its town (「宇都宮市野沢町のパルティで…を開き」「上田市のサントミューゼで行った」):
# the town says where, the name which building.
_HELD_AT = re.compile(r"(?:[市町村区]|丁目)の(?P<name>[ァ-ヺ][ァ-ヺー・]{2,14})で[^。\n]{0,30}?(?:開(?:き|か|い|催)|行(?:い|っ|わ)|実施|催)")


def _venues(text: str, lex: Lexicon) -> list[tuple]:
    """The venue after a field label (``_VENUE``) or where an event was held (``_HELD_AT``), when it is no generic,
    kind or common word nor a town."""
    out = []
    for m in [*_VENUE.finditer(text), *_HELD_AT.finditer(text)]:
        name = m["name"]
        if name in lex.generic or name in lex.suffixes or one_common_noun(name) or is_municipality_name(name, lex) \
                or name in lex.not_names:
            continue
        out.append((*m.span("name"), "facility", "施設"))
    return out


# Round 27: a place's other name in brackets right after it, in katakana or Latin letters (「松本市中央公民館(Mウィング)」); 45: or
# three hiragana or more (「…交流プラザ(りぶら)」); 105: a number may end it (「(イズミティ21)」), 116: or 館 (「(いらっしゃいませ館)」).
_ALIAS = re.compile(r"[(（](?P<name>[A-Za-zァ-ヺー・&ぁ-ゖ]{2,12}(?:[0-9]{0,3}|館))[)）]")


def _aliases_in_brackets(text: str, lex: Lexicon, found: list[tuple]) -> list[tuple]:
    """The name in brackets after a facility found, in kana or Latin letters only (no kanji: a head's name and title,
    「(杉山修馬センター長)」, is no other name) and no generic, kind or common word (「(SA)」「(Uターン)」), operator or
    town: the place's other name."""
    out = []
    for c in found:
        m = _ALIAS.match(text, c[1])
        if m is None or not (re.search(r"[A-Za-zァ-ヺ]", m["name"]) or len(m["name"]) >= 3) \
                or m["name"] in lex.generic or m["name"] in lex.suffixes \
                or one_common_noun(m["name"]) \
                or m["name"] in lex.not_names or is_municipality_name(m["name"], lex) or m["name"].startswith("JR"):
            continue
        out.append((*m.span("name"), "facility", c[3]))
    return out


# Round 25: a firm's short name in capitals right before its full name in brackets (「NCV(株式会社ニューメディア)」).
_ACRONYM_BEFORE_FIRM = re.compile(r"(?<![A-Za-z0-9])(?P<name>[A-Z][A-Z0-9&]{1,7})[(（](?:株式会社|有限会社|合同会社|\(株\)|（株）)")


def _acronyms_of_firms(text: str, found: list[tuple]) -> list[tuple]:
    """The capitals before a bracketed firm that another rule found (「NCV(株式会社ニューメディア)」): its short name."""
    out = []
    for m in _ACRONYM_BEFORE_FIRM.finditer(text):
        if any(c[0] == m.end("name") + 1 for c in found):
            out.append((*m.span("name"), "facility", "事業所"))
    return out


# Round 10: a list of firms that its noun counts (「KDDI、ソフトバンク、NTT東日本・西日本、NTTドコモビジネスの5社」
# 「…と…の2事業所」): every item is a firm; a list whose members' representatives are meant (「A、B、C給油所の代表
# に」) is one when another rule found one of its items a facility. Towns, persons, the police and generic
# words are no items.
_ITEM = r"[A-Za-z0-9&一-龥ァ-ヺー々ヶ・]{2,20}"
_FIRM_LIST = re.compile(rf"(?<![A-Za-z0-9&一-龥ァ-ヺー々ヶ・])(?P<items>{_ITEM}(?:(?:、|と){_ITEM})+)"
                        r"の(?:計)?(?:(?P<count>[0-9一二三四五六七八九十]+)(?:社|事業所|企業|店舗)|(?:各)?代表(?:者)?(?=[にがらとはへを]))")


def _firm_lists(text: str, tokens: list[Token], owner, lex: Lexicon, found: list[tuple]) -> list[tuple]:
    out = []
    for m in _FIRM_LIST.finditer(text):
        items, at = [], m.start("items")
        for piece in re.split(r"、|と", m.group("items")):
            items.append((at, at + len(piece)))
            at += len(piece) + 1
        if m.group("count") is None and not any(c[0] < e and s < c[1] for s, e in items for c in found):
            continue  # 「自治会、PTA、老人クラブの代表」: bodies, not firms
        for s, e in items:
            name = text[s:e]
            if tokens[owner[s]].begin != s or tokens[owner[e - 1]].end != e or name in lex.generic or name in lex.stops \
                    or _POLICE.search(name) or is_municipality_name(name, lex) or town_anywhere(name) \
                    or any(t.person for t in tokens[owner[s]:owner[e - 1] + 1]) or claimed(text, s, e, lex):
                continue
            if not any(c[0] <= s and c[1] >= e for c in found):
                out.append((s, e, "facility", "事業所"))
    return out


def _names_a_place(m, tokens: list[Token], owner, lex: Lexicon) -> bool:
    """Whether the quoted words of ``m`` can be a name: no verb, adjective, clause particle or number."""
    a, b = m.span("name")
    name = m.group("name")
    if name in lex.generic or _PSEUDONYM_QUOTE.fullmatch(name) or tokens[owner[a]].begin != a \
            or tokens[owner[b - 1]].end != b:
        return False
    return not any(t.pos[0] in ("動詞", "助動詞", "形容詞") or t.surface in ("が", "を", "は", "に", "も", "で")
                   or t.pos[1] == "数詞" for t in tokens[owner[a]:owner[b - 1] + 1])


@functools.lru_cache(maxsize=1)
def _suggestions(lex: Lexicon) -> frozenset[str]:
    """Every generic word the lint writes in place of a name: a quoted one was withheld already (「「集合住宅」の」)."""
    return frozenset({k.suggestion for k in lex.suffixes.values()} | {k.suggestion for k in lex.prefixes.values()}
                     | set(CATEGORY_SUGGESTIONS.values()))



# Lists of the facilities near a scene. Alerts print them as a bullet line of items separated by 、
# (「・王子小学校、王子回生病院、明石川浄水場」) or after 「現場付近の施設」; once two items are facilities the list
# is one of places, so an item whose kind word is rare (浄水場, 電車区, 公苑) is one too. Roads, rivers,
# railway lines, interchanges and towns are listed there as well and stay clean.
_LIST_OPEN = re.compile(r"(?:^|\n)[ \t\u3000]*[・･●◆◇■□▼▽][ \u3000]?|(?:現場)?付近の(?:主な)?施設(?:等|など)?(?:は|には)?[:：]?\s*")
_LIST_END = re.compile(r"[。\n]|$")
_ITEM_MARKS = "★☆◎○"
# What ends an item that is no facility: a road, a river, a railway line, a mountain or lake, a town.
_NOT_A_PLACE_ITEM = re.compile(r"(?:川|河川|道|線|号|インターチェンジ|インター|IC|JCT|ジャンクション|交差点|通り|街道|バイパス"
                               r"|峠|山|岳|湖|池|沼|海岸|丁目|町|村|付近|周辺|方面|地区|地内|一帯)$")
_ITEM_TAG = re.compile(r"(?:\[[^\]]{1,12}\]|[(（][^)）]{1,12}[)）])$")
_ITEM_TAIL = re.compile(r"(?:など|等|ほか)$")
# Least items of a list the other rules must have found before the rest count as places.
_LIST_ANCHORS = 2


def _list_items(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """The items of the list text[a:b], without marks, tags (「吉川駅[JR]」) and a closing など."""
    items = []
    at = a
    for piece in text[a:b].split("、"):
        s, e = at, at + len(piece)
        at = e + 1
        while s < e and (text[s] in _ITEM_MARKS or text[s].isspace()):
            s += 1
        while s < e and text[e - 1].isspace():
            e -= 1
        for pattern in (_ITEM_TAIL, _ITEM_TAG):
            m = pattern.search(text, s, e)
            if m and m.start() > s:
                e = m.start()
        if e > s:
            items.append((s, e))
    return items


def _listed(text: str, tokens, owner, lex: Lexicon, found: list[tuple]) -> list[tuple]:
    """Each item of a list of facilities that no rule found whole (「・…小学校、…病院、明石川浄水場」)."""
    out = []
    for m in _LIST_OPEN.finditer(text):
        a = m.end()
        b = _LIST_END.search(text, a).start()
        items = _list_items(text, a, b)
        if len(items) < 2:
            continue
        covering = [[c for c in found if c[0] < e and s < c[1]] for s, e in items]
        anchors = sum(1 for c in covering if c)
        opened = not m.group().lstrip("\n \t\u3000").startswith(tuple("・･●◆◇■□▼▽"))
        if anchors < (1 if opened else _LIST_ANCHORS) or 2 * anchors < len(items):
            continue
        for (s, e), cover in zip(items, covering):
            if any(c[0] <= s and c[1] >= e for c in cover):
                continue  # found whole already
            if _listed_place(text, s, e, tokens, owner, lex, partial=bool(cover)):
                kind = next((lex.suffixes[k.group()] for k in lex.suffix_re.finditer(text, s, e) if k.end() == e), None)
                out.append((s, e, "facility", kind.suggestion if kind else "施設"))
    return out


def _listed_place(text: str, s: int, e: int, tokens, owner, lex: Lexicon, partial: bool) -> bool:
    """Whether the list item text[s:e] can be a facility's name: nouns only (の inside a name), no number, road,
    river, line or town, and a proper noun or an unknown word in it unless a rule found part of it."""
    name = text[s:e]
    if not 2 <= len(name) <= 24 or re.search(r"[0-9=＝()（）▽▼]", name) or _NOT_A_PLACE_ITEM.search(name) \
            or _POLICE.search(name) or name in lex.generic or name in lex.stops:
        return False
    if tokens[owner[s]].begin != s or tokens[owner[e - 1]].end != e:
        return False
    inside = tokens[owner[s]:owner[e - 1] + 1]
    if any(t.pos[0] in ("動詞", "助動詞", "形容詞", "形状詞", "副詞", "連体詞", "接続詞", "感動詞")
           or t.pos[1] == "代名詞" or (t.pos[0] == "助詞" and t.surface != "の") for t in inside):
        return False
    if is_municipality_name(name, lex) or town_anywhere(name) or municipality_prefix(name, lex)[0] == len(name) \
            or town_after_municipality(name, lex):
        return False
    if claimed(text, s, e, lex):
        return False
    return partial or any((t.proper and t.pos[3] not in ("姓", "名")) or t.oov for t in inside)


_SCHOOL_LEVELS = re.compile(r"[小中高・、]+")  # school levels before one kind (「小・中学校」): none named (round 50)


def _quoted_with_kind(text: str, tokens: list[Token], owner, lex: Lexicon) -> list[tuple]:
    """「徳島県認知症高齢者見守りセンター」「ひまわり子育て支援センター」: a quoted name that ends in its kind word is one place even when its other
    words are common ones; the quotes make them a name. Not a class or a programme (「防犯教室」「子ども110番の店」), a question
    (「どこの中学校」), a service or a district (「平成ニュータウン」, round 61)."""
    out = []
    for m in _QUOTED_NAME.finditer(text):
        a, b = m.span("name")
        kind = next((km for km in lex.suffix_re.finditer(text, a, b) if km.end() == b and km.start() - a >= 2
                     and not kind_ends_word(text, km.start(), km.group())), None)  # (not 「「音の架け橋」」, round 90)
        k = lex.suffixes[kind.group()] if kind is not None else None
        if k is None or k.needs_proper >= 2 or k.suggestion in _TOPIC_KINDS or m.group("name") in lex.generic \
                or m.group("name") in _suggestions(lex) or m.group("name").endswith("ニュータウン") \
                or _PSEUDONYM_QUOTE.search(m.group("name")) or SERVICE_NAME.search(m.group("name")) \
                or _SCHOOL_LEVELS.fullmatch(text, a, kind.start()) or course_held(text, kind.start(), k.suggestion) \
                or tokens[owner[a]].begin != a or tokens[owner[b - 1]].end != b or claimed(text, m.start(), m.end(), lex) \
                or exempt(text, a, b, lex, k.suggestion):  # 「(以下「警察学校」という。)」: the police (round 55)
            continue
        words = [t.surface for t in tokens[owner[a]:owner[kind.start() - 1] + 1] if t.surface not in "の・･"]
        inside, kana = tokens[owner[a]:owner[b - 1] + 1], all("ぁ" <= c <= "ゖ" for c in text[a:kind.start()])
        if (k.suggestion == "集合住宅" or "の" in text[a:kind.start()]) and all(w in lex.generic for w in words) \
                or text.startswith("地域", a) and all(t.pos[1] == "普通名詞" and not t.oov for t in inside):
            continue  # 「「みなし仮設住宅」」 (55), 「「地域のコミュニティ・センター」」 (78), 「「地域包括支援センター」」 (111): terms
        # (「見守り|センター」: a verb's noun form is a name's word; 「『べ|ふ|保育園』」: a kana particle, 82; 「「さよなら…」と題し」, 115)
        if any(t.pos[0] in ("助動詞", "形容詞", "代名詞", "感動詞") or t.pos[1] in ("代名詞", "数詞")
               or (t.pos[0] == "助詞" and t.surface != "の" and not kana)
               or (t.pos[0] == "動詞" and not (i + 1 < len(inside) and inside[i + 1].pos[0] == "名詞"))
               for i, t in enumerate(inside)):
            continue
        out.append((a, b, "facility", k.suggestion))
    return out


# A municipality's section given as a contact, its phone number right after it (「[問]三鷹市安全安心課
# TEL0422-…」「府中市地域安全課 電話042-…」): the office where one calls, as 「上越市役所市民安全課 025-…」 is;
# round 10: also a 室 and where one applies or asks (「▷富田林市危機管理室(…5階)で申し込み」).
# Without the number (「燕市生活環境課 交通安全係」「和歌山市市民生活課の…さん」) it names a body, and stays clean.
_SECTION_CONTACT = re.compile(r"(?<![一-龥ヶァ-ヺ])(?P<name>[一-龥ヶ]{3,20}?(?:課|室))(?:[一-龥・]{1,10}係)?\s?"
                              r"(?:(?:TEL|Tel|tel|℡|☎|電話(?:番号)?)?[:：]?\s?[(（]?(?:0[0-9]|[0-9]{2,4}[-‐ー－][0-9]{4})"
                              r"|(?:[(（][^()（）]{1,20}[)）])?(?:で|へ|に|まで)(?:お?申し?込|お?問い?合|相談|提出|ご連絡|連絡))")


def _sections_as_contacts(text: str, lex: Lexicon) -> list[tuple]:
    out = []
    for m in _SECTION_CONTACT.finditer(text):
        name = m.group("name")
        length = municipality_prefix(name, lex)[0]
        if length == 0 or length >= len(name) - 1 or "警" in name or "署" in name:
            continue
        out.append((m.start("name"), m.end("name"), "facility", "公共施設"))
    return out


# A name and then its address in brackets (「ポリテクセンター(札幌市西区…)において」「遠州鉄道(浜松市
# 中区)は」「「さくら建築」(東京都町田市)」「出羽三山神社(鶴岡市羽黒町)」): what the press locates by its
# municipality is a building or a firm. A person (「岩瀬店長(四日市市…)」「森山さん方(…)」), a town, an
# incident (「身体露出(新中野町)」) or the police (「県警本部(福岡市博多区)」) is none: the name must hold a
# proper noun that is no family or given name, an unknown word, Latin letters, or a word before a kind word.
_ADDRESS_IN_BRACKETS = re.compile(r"[(（](?:本社|本店|所在地|住所)?[:：]?")
_MAX_NAME_BEFORE_ADDRESS = 6
# Bodies, not places, whatever their address (「消費者庁」「〇〇協会」「〇〇連合会」「〇〇委員会」).
_ORGANISATION = re.compile(r"(?:省|庁|委員会|協会|連合会|協議会|組合|機構|財団|法人|連盟|団体|会議|本部|学会|議会"
                           r"|防犯ステーション|パトロール隊|防犯隊|見守り隊|(?:町内会|自治会|町会)事務所)$")


def _before_addresses(text: str, tokens: list[Token], owner, lex: Lexicon) -> list[tuple]:
    out = []
    for m in _ADDRESS_IN_BRACKETS.finditer(text):
        p = m.start()
        if p == 0 or municipality_prefix(text[m.end():m.end() + 16], lex)[0] == 0:
            continue
        close = re.compile(r"[)）、]").search(text, m.end(), m.end() + 60)
        if close is None or text[close.start()] == "、":
            continue  # 「「正会員」(長崎市、佐世保市…)」: a list of municipalities says who, not where
        if text[p - 1] in "」』":
            found = _quoted_before(text, p, tokens, owner, lex)
        else:
            found = _name_run_before(text, p, tokens, owner, lex)
        if found:
            out.append(found)
    return out


def _quoted_before(text: str, p: int, tokens: list[Token], owner, lex: Lexicon) -> tuple | None:
    """「「さくら建築」(東京都町田市)」: the quoted name right before the bracket."""
    close = "「" if text[p - 1] == "」" else "『"
    a = text.rfind(close, max(0, p - 22), p - 1)
    if a < 0:
        return None
    m = _QUOTED_NAME.match(text, a)
    if m is None or m.end() != p or not _names_a_place(m, tokens, owner, lex) or SERVICE_NAME.search(m.group("name")) \
            or claimed(text, m.start(), m.end(), lex):
        return None
    a, b = m.span("name")
    if _ORGANISATION.search(m.group("name")):
        return None
    inside = tokens[owner[a]:owner[b - 1] + 1]
    kind = next((km for km in lex.suffix_re.finditer(text, a, b) if km.end() == b and km.start() > a), None)
    if kind is None and not any(t.proper or t.oov or _KANA_WORD.fullmatch(t.surface) or _LATIN_NAME.fullmatch(t.surface)
                                or all("ぁ" <= ch <= "ゖ" for ch in t.surface) for t in inside):
        return None  # 「「正会員」(…)」: common words, no firm's name
    return (m.start("name"), m.end("name"), "facility", _kind_of(text, m.start("name"), m.end("name"), lex, "事業所"))


def _name_run_before(text: str, p: int, tokens: list[Token], owner, lex: Lexicon) -> tuple | None:
    """「遠州鉄道(浜松市中区)」: the run of nouns right before the bracket, when it can only be a place's name."""
    k = owner[p - 1]
    if tokens[k].end != p:
        return None
    run = []
    while k >= 0 and len(run) < _MAX_NAME_BEFORE_ADDRESS and (not run or tokens[k].end == run[-1].begin):
        t = tokens[k]
        if t.pos[0] not in ("名詞", "接頭辞", "接尾辞") or t.pos[1] in ("数詞", "代名詞") or t.pos[2] == "助数詞" \
                or t.surface in lex.stops:
            break
        run.append(t)
        k -= 1
    if not run:
        return None
    run.reverse()
    s, name = run[0].begin, text[run[0].begin:p]
    if name.endswith("駅"):
        return None  # the station rules find it without its line or operator (「JR総武線錦糸町駅」 → 「錦糸町駅」)
    if _ORGANISATION.search(name):
        return None  # 「日本フランチャイズチェーン協会(東京都港区)」: a body, not a place
    if name[-1] in "都府県市区町村郡" or name.endswith("北海道"):
        return None  # 「鹿儿岛市(鹿児島市)」: a municipality (here in another script) and its Japanese name
    last = run[-1]
    if any(lex.title_re.fullmatch(name, i) for i in range(len(name))) or last.pos[3] in ("姓", "名") or last.person \
            or last.pos[0] == "接尾辞" and not lex.suffix_re.fullmatch(last.surface) or "警" in name or name.endswith("署") \
            or _POLICE.search(name) or name.endswith("市街地") \
            or name in lex.generic or all(t.pos[2] == "地名" for t in run) or gazetteer_town(name) \
            or claimed(text, s, p, lex):
        return None  # (round 102: 「亀津市街地(東区)」, no place of anyone's; 106: a title at the end, 「西川課長補佐」)
    proper = any((t.proper and t.pos[3] not in ("姓", "名") and not t.person) or t.oov or _LATIN_NAME.fullmatch(t.surface)
                 for t in run)
    kind = next((km for km in lex.suffix_re.finditer(text, s, p) if km.end() == p and km.start() > s), None)
    coined = kind is not None and _KANA_WORD.fullmatch(text[s:kind.start()]) is not None \
        and len(text[s:kind.start()]) >= 3 and text[s:kind.start()] not in lex.generic
    # 「テクノ|アカデミー」: katakana words that together are no word SudachiPy knows
    coined = coined or (len(run) >= 2 and len(name) >= 6 and all(_KANA_WORD.fullmatch(t.surface) for t in run))
    if not (proper or coined):
        return None
    return (s, p, "facility", _kind_of(text, s, p, lex, "施設"))


def _kind_of(text: str, s: int, e: int, lex: Lexicon, default: str) -> str:
    """The suggestion of the kind word that ends text[s:e], else ``default``."""
    kind = next((km for km in lex.suffix_re.finditer(text, s, e) if km.end() == e), None)
    return lex.suffixes[kind.group()].suggestion if kind else default


# A post office by its short name (「美作勝山局の田辺局長」「湯原局の…副統括局長」): a place name and 局,
# when its 局長 or 局員 follows or the text speaks of 郵便. 「県民生活局」「水道局」「放送局」 have a common word before 局.
_POSTMASTER_AFTER = re.compile(r"の?[^。、]{0,14}?(?:局長|局員)")
_MUNICIPAL_WORD = re.compile(r"[都道府県市区町村郡]$")


def _post_offices(text: str, tokens: list[Token], lex: Lexicon) -> list[tuple]:
    out = []
    post = "郵便" in text
    for k in range(1, len(tokens)):
        t = tokens[k]
        if t.surface != "局" or t.pos[0] != "名詞" or tokens[k - 1].end != t.begin \
                or (k + 1 < len(tokens) and tokens[k + 1].begin == t.end and tokens[k + 1].pos[0] in ("名詞", "接尾辞")):
            continue  # 「局長」「局員」 and 「局|番」 are other words
        j = last = k - 1
        # (with its 局長 after it, place names that SudachiPy reads as family names too: 「新見|矢神局の…局長」)
        postmaster = _POSTMASTER_AFTER.match(text, t.end) is not None
        if postmaster and tokens[j].surface in ("町", "村") and j > 0 and tokens[j - 1].end == tokens[j].begin:
            j = last = k - 2  # 「向日|町|局(和田征雄局長)」: a town's name with its 町, then 局 (round 26)
        while j >= 0 and last - j <= 2 and tokens[j].pos[1] == "固有名詞" \
                and (tokens[j].pos[2] == "地名" or postmaster and tokens[j].pos[2] == "人名") \
                and (j == last or tokens[j].end == tokens[j + 1].begin):
            j -= 1
        if j == last or _MUNICIPAL_WORD.search(tokens[last].surface):
            continue
        if j >= 0 and tokens[j].end == tokens[j + 1].begin and tokens[j].pos[0] == "名詞":
            continue  # the place name is part of a longer word
        if not (post or _POSTMASTER_AFTER.match(text, t.end)) or claimed(text, tokens[j + 1].begin, t.end, lex):
            continue
        out.append((tokens[j + 1].begin, t.end, "facility", "郵便局"))
    return out


# A quoted designation or title (「「特殊詐欺被害防止モデル店」に指定」「「『安全・安心まちづくり』ふれあい広場」を開いた」):
# what the quotes hold is a title given or an event held, not a place, though it ends in a kind word.
# (round 42: one of several titles listed, 「称号「優良店」「マイスター」の認定式」)
_DESIGNATED_AFTER = re.compile(r"[」』](?:[、・]?[「『][^「」『』\n]{1,20}[」』])*(?:に|の|として)?(?:指定|認定|選定|登録|選ばれ)"
                               r"|[」』]と(?:した|して|する|なる|なっ)")
_QUOTE_SPAN = re.compile(r"「[^「」\n]{2,40}」")
# A school's new name, quoted, as it opens (「「江刺ひがし小学校」として新たにスタート」, round 101): a school, no title given.
_SCHOOL_OPENS = re.compile(r"(?:小学校|中学校|高等学校|高校|学校)」として(?:新た|開校|スタート|発足|誕生|再出発|生まれ)")
# Legal forms of bodies that are no firm (an NPO, an association, a foundation): what they name is the body.
_BODY_FORM_BEFORE = re.compile(r"(?:NPO法人|特定非営利活動法人|(?:一般|公益)(?:社団|財団)法人)\s?[「『]?$")
# Round 26: a group's whole quoted name (「市民団体「さとまる学校」」; a school inside one, 「団体「大浦小スクールサポート
# 隊」」, is still a school); round 63: a troupe of performers (「お笑いコンビ「尼神インター」」).
_GROUP_BEFORE = re.compile(r"(?:団体|グループ|サークル|愛好会|同好会|ボランティア|老人クラブ|子ども会|子供会|自治会|町内会|コンビ|トリオ|ユニット|バンド)\s?[「『]$")
# What a learned span ends in when it is an area, not a place (「花園地区」「豊田市若園学区」).
_AREA_SPAN = re.compile(r"(?:地区|学区|校区|地域|区域|エリア|管内|圏)$")
# Speech inflections: a learned span that holds them is words of a sentence (「ニーハイソックスですか」).
_SPEECH = re.compile(r"(?:です|ます|でした|ました|ません|ですか|ますか|だよ|だね)")


# An event quoted after the word that says it was held (「開催された「…マルシェ」」).
_HELD_EVENT = re.compile(r"(?:開催|開かれ|実施)(?:された|される|した|する|の|中の)?「$")
# (旬間, a ten days' campaign: 「『さわやかコミュニティ旬間』」, round 129)
_NAMED_THING = re.compile(r"(?:協定|覚書|条例|運動|事業|キャンペーン|活動|計画|宣言|大会|プロジェクト|作戦|週間|旬間|月間)$")


def no_place(text: str, start: int, end: int, tokens: list[Token] | None = None) -> bool:
    """Whether the frame of the sentence says text[start:end] names no place: a quoted designation or an event
    whose title quotes a slogan; with ``tokens`` (a learned span, read alone) also an area, speech, or
    only common words before a kind word (「老人福祉センター」)."""
    opened = text.rfind("「", max(0, start - 20), start + 1)
    if _BODY_FORM_BEFORE.search(text, max(0, start - 12), start) or (
            opened >= 0 and "」" not in text[opened:start] and _BODY_FORM_BEFORE.search(text, max(0, opened - 12), opened + 1)):
        return True  # 「NPO法人「ぐんま防犯相談センター」」: a body's name, not a place, nor a part of it (round 45)
    if _GROUP_BEFORE.search(text, max(0, start - 8), start) and text[end:end + 1] in ("」", "』", "(", "（"):
        return True
    if made_up(text, start, end):
        return True  # 「存在しない「民事訴訟管理センター」」「「…センター」…といった文面」: a name fraudsters made up
    if start > 0 and text[start - 1] in "「『" and _NAMED_THING.search(text, start, end):
        return True  # 「「地域見守り協定」調印式」: an agreement's or a campaign's title (round 18)
    if _no_place_around(text, start, end):
        return True
    for m in _QUOTE_SPAN.finditer(text, max(0, start - 40), min(len(text), end + 40)):
        if m.start() < start and end < m.end():
            if (_DESIGNATED_AFTER.match(text, m.end() - 1) and not _SCHOOL_OPENS.search(text, end - 4, m.end() + 8)) \
                    or "『" in text[m.start():start]:
                return True
    if tokens is None:
        return False
    span = text[start:end]
    if span.endswith("警察学校") or _HELD_EVENT.search(text, max(0, start - 12), start) and text.startswith("」", end):
        return True  # the police's own school; 「開催された「みなとマルシェ」で」: an event, not a place
    if _AREA_SPAN.search(span) or _SPEECH.search(span) or trade_goes_on(text, start, end, load_lexicon()):
        return True
    inside = [t for t in tokens if start <= t.begin and t.end <= end]
    return len(inside) >= 2 and all(t.pos[1] == "普通名詞" and not t.oov and t.surface not in ("中央", "第一", "第二")
                                    for t in inside)


# Rounds 32–35: what stands around a name says it is an area, an address, a vessel, a police station, a road, a
# group or a newspaper's bureau (``_no_place_around``).
_DISTRICT_AFTER = re.compile(r"(?:地区|地域|区)(?![一-龥々ァ-ヺー])")  # (round 48: 「高蔵寺区の約3500世帯」, a town's ward)
_STATION_DISTRICT = re.compile(r"前(?:[0-9]+|[一二三四五六七八九十]+)区")
_AZA = re.compile(r"(?P<town>[一-龥々]{1,6})字[一-龥々]")
_VESSEL_BEFORE = re.compile(r"(?:船舶|船|艇|ヘリコプター|ヘリ|航空機|車両|列車)[「『]$")
_STATION_LIST_AFTER = re.compile(r"(?:[、・][一-龥々ヶ]{1,8})*の?[0-9一二三四五六七八九十]+(?:警察署|署)")
# A newspaper's dateline, its bureau in black brackets at the head of the article (「【那覇支社】」, round 35).
_DATELINE = re.compile(r"[一-龥々ヶ]{1,6}(?:支社|支局|総局|本社|報道部)")
_DISTRICT_HEAD_AFTER = re.compile(r"(?:区長|区会長|自治区長)")
_GROUP_AFTER = re.compile(r"(?:地域|地区|区|コミュニティ)?(?:安全安心|安心安全|安全|防犯|交通安全|自主防犯|見守り)?・?"
                          # (round 49: 「…安全安心ジュニア隊」; round 51: 「須屋コミュニティパトロール隊」; 52: 「…団地見守りパトロール隊」)
                          r"(?:パトロール隊|パトロールチーム|見守り隊|防犯隊|チーム|ジュニア隊|少年団)")
# The residents' body of a housing estate or of a parking place (「上須戸ハイツ自治会」「…駐輪場運営委員会」): a body, the
# place only its name (the real sets label it so eight times in nine; round 48). A JA's committee stays a place.
# A troupe or a band named before its quoted name (「劇団「自然堂」」), and a consumers' 生活学校 (「松任生活学校」):
# people, no place (round 50).
_TROUPE_BEFORE = re.compile(r"(?:劇団|楽団|合唱団|一座|ユニット|バンド)[「『]?$")
# A foundation's legal form before or in a name is a body's, whatever its kind (「(公財)島根県暴力追放県民センター」; never
# labelled a facility, 66 times); round 119: so is a victims' support body's name (「いわて被害者支援センター」, 120: 「…ゆいセンター」).
_FOUNDATION = re.compile(r"(?:社団|財団)法人|[(（](?:公財|公社|一社|一財)[)）]|(?:被害者支援[ぁ-ゖ]{0,3}|性被害ケア|ワンストップ支援)センター$")
_RESIDENTS_BODY_AFTER = re.compile(r"(?:自治会|町内会|部会|運営委員会|管理組合)")
_SCHOOL_END = re.compile(r"(?:学校|小|中|高|大学|幼稚園|保育園)$")
# Round 37: a police office or an intersection named after the place it faces (「県庁前交番」 by ``claims.POLICE_AFTER``,
# 「新横浜駅入口交差点」): the box is police, the crossing a road; a run joined by および/及び (「東急新横浜線および新駅」) is two names at most.
# Round 38: a police station's or force's own building (「徳島板野署の板野庁舎」「福岡県警の篠栗合同庁舎」).
_POLICE_OWNER = re.compile(r"(?:署|県警|府警|道警|警視庁|警察|警察本部)の$")
# Round 39: a body's name before its branch (「日本ロックセキュリティ協同組合山形|支部」).
_BODY_IN = re.compile(r"(?:組合|協会|連合会|連盟)")
# Round 42: a centre's branch named after another town (「串本青少年センターすさみ支部」): a centre that has 支部 is a
# body (a court's or a JA's 支部 is a place: 「前橋地裁太田支部」「JA古川南部支部」).
_PLACE_BRANCH_AFTER = re.compile(r"[ぁ-ゖァ-ヺー一-龥々]{0,6}?支部")
_CENTRE_BRANCH_END = re.compile(r"センター[ぁ-ゖァ-ヺー一-龥々]{0,6}?支部$")
# Round 55: a national park and the ministry's office that manages it (「奄美群島国立公園管理事務所」).
_PARK_REGION = re.compile(r"(?:国定|国立|自然)公園(?:管理)?(?:事務所)?$")
# A prefecture's regional office (「県宮古事務所」「県大島支庁」; a 振興局 also without 県, 「南魚沼地域振興局」, round 116): the
# prefecture, as its 県庁 is; so is its centre against organised crime (「新潟県暴力追放運動推進センター」, 59), a city's branch (81).
_PREFECTURE_OFFICE = re.compile(r"(?:(?:[一-龥]{1,3}県|県)[一-龥々ぁ-ゖ]{1,6}?(?:事務所|支庁|県民局|地方局)|[一-龥々ぁ-ゖ]{1,8}?振興局"
                                r"|(?:[一-龥]{1,3}[都道府県]|県)暴力団?追放[一-龥]{0,6}センター|(?P<city>市[一-龥々]{1,5}?支所))$")


def _no_place_around(text: str, start: int, end: int) -> bool:
    """A town before its residents' body (「緑園連合自治会」「太子堂町内会」), a name before 地区 (「札幌北地区」
    「ニュータウン長山地区」; not a school's: 「山下小学校地区」 still names it), a station's district (「岡本駅前三区自治会」),
    an address's 字 (「綴子字胡桃館」), a vessel's quoted name (「警察用船舶「あおしま」」), an item of a list of police
    stations (「前橋、前橋東、高崎の3警察署」), an expressway (「北陸自動車道」), a district before its head's title
    (「伊勢宮区長」), a group of it (「白山地区マイタウン・パトロール隊」; a school's still names it), a newspaper's
    dateline (「【那覇支社】」), an area under a station or a list read as one name (「…署管内アパート」「…はじめ市役所」
    「…線および新駅」), a police box or a crossing named after it (「県庁前交番」「新横浜駅入口交差点」), a police force's
    own building (「福岡県警の篠栗合同庁舎」), a national park's office or a prefecture's regional office (「県宮古事務所」,
    round 55). (A JA federation, 「JA共済連愛媛」, stays a finding: the real sets label it a facility six times in ten.)"""
    name = text[start:end]
    return bool((RESIDENTS_BODY.match(text, end) and town_anywhere(name))
                or (_DISTRICT_AFTER.match(text, end) and not _SCHOOL_END.search(name))
                or (name.endswith("駅") and _STATION_DISTRICT.match(text, end))
                or _aza_in(name) or _VESSEL_BEFORE.search(text, max(0, start - 8), start)
                or _STATION_LIST_AFTER.match(text, end)
                or (name.endswith("自動車") and text.startswith("道", end))  # 「北陸自動車道」: an expressway (round 33)
                or _DISTRICT_HEAD_AFTER.match(text, end)  # 「伊勢宮区長」: a district's head (round 34)
                or (_GROUP_AFTER.match(text, end) and not _SCHOOL_END.search(name))  # 「…マイタウン・パトロール隊」
                or (_RESIDENTS_BODY_AFTER.match(text, end) and not _SCHOOL_END.search(name) and "JA" not in name)
                or (_DATELINE.fullmatch(name) and text[start - 1:start] == "【" and text.startswith("】", end))
                or "管内" in name or re.search(r"(?<=[一-龥々])はじめ(?=[一-龥々])", name)  # (36; not 「聖籠はじめこども園」, 79)
                or "および" in name or "及び" in name or POLICE_AFTER.match(text, end)  # round 37
                or (text[end:end + 1] in "川沢谷" and POLICE_AFTER.match(text, end + 1))  # 「石城|川駐在所」 (round 50)
                or _TROUPE_BEFORE.search(text, max(0, start - 4), start) or name.endswith("生活学校")  # (round 50)
                or _FOUNDATION.search(text, max(0, start - 8), end)  # 「公益社団法人福岡犯罪被害者支援センター」 (round 50)
                or text.startswith(("入口交差点", "地内"), end)  # 「高清水東館地内」: a town's area (round 45)
                or _PARK_REGION.search(name)  # 「津軽国定公園」: a region (round 47), its office a ministry's (round 55)
                or ((m := _PREFECTURE_OFFICE.search(text, max(0, start - 1), end))  # 「県宮古事務所」: the prefecture's
                    and (not m["city"] or text[end:end + 1] == "長"))  # own office (55); a head's (「…市小名浜支所長」, 81)
                or (name.endswith("庁舎") and _POLICE_OWNER.search(text, max(0, start - 8), start))  # round 38
                or (_BODY_IN.search(name) and text.startswith("支部", end))  # 「…協同組合山形|支部」 (round 39)
                or ("センター" in name and _PLACE_BRANCH_AFTER.match(text, end))  # 「串本青少年センター|すさみ支部」
                or _CENTRE_BRANCH_END.search(name)  # (round 42: a centre with branches is a body, no place)
                or in_work_title(text, start, titled=False))  # 「アニメ「忍たま乱太郎」」 (round 39)


def _aza_in(name: str) -> bool:
    """Whether ``name`` holds an address's 字 after a town (「綴子字胡桃館」; not the cross of 「仙台十字屋」, nor the 字's own
    hall, 「古里字公民館」, round 101)."""
    m = _AZA.search(name)
    return m is not None and any(town_anywhere(m["town"][i:]) for i in range(len(m["town"]))) \
        and name[m.end() - 1:] not in ("公民館", "集会所", "集会場", "会館", "集落センター")

