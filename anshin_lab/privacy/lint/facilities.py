"""Facility findings: the name of a school, park, station, shop, chain or housing block.

- **facility**: a dictionary of facility kind words (``dictionaries/facility_kinds.csv``:
  小学校, 公園, 駅, 店, マンション, コーポ…) and of chains (``chains.csv``: ローソン,
  タイヨー, 山形屋…). SudachiPy (core dictionary, split mode C) finds where the name
  before a kind word starts: the run of nouns back to a particle, a verb, a number
  or a relation word (``place_stops.txt``). A run made only of generic modifiers
  (``place_generic.txt``: 児童公園, 県立高校, 内科クリニック, ラーメン店) or only of
  the municipality is no name; kinds marked ``needs_proper`` (住宅, 支店, グラウンド…)
  need more than kanji common nouns (「教員住宅」 no, 「県営武岡住宅」 yes).
  A run that is the start of a town of the gazetteer covering the kind word
  (「皇徳寺台」, 「玉里団地1丁目」) is a town, not a facility; so is a kind word inside
  an address SudachiPy knows whole or glued to more of one (「松山市畑寺」「同市宮西
  一丁目」), and an address followed by a park, house or flat (「松山市馬木町公園内」:
  a park in that town). Not findings either: a name right before 交番 / 警察署, a
  name already withheld (「A銀行」), a municipality's school with no name
  (「武蔵野市立小学校」), an organisation a fraud caller claims to be from — a
  claiming verb after it (「山形屋の店員を名乗る」「市役所の者です」, ``claims.csv``;
  never a school, park, home or station) — and, for chains only, a brand describing
  clothes or belongings (「ユニクロのダウンジャケット」, ``brand_items.txt``; 「鶴丸高校の
  制服」 is the school). The suggestion is the generic kind: 「山下小学校」 → 「学校」,
  「ローソン」 → 「店舗」.
- Castles (「熊本城」「臼杵城跡」), katakana company suffixes (「ヤマトサービス」: ``needs_proper``
  2, the name must be a proper noun, an unknown word or Latin letters, so 「ネットサービス」 is
  none) and public centres: a municipality's centre of ``public_centres.txt`` is one building
  even when its name is only the municipality (「霧島市消費生活センター」). A prefecture or a
  municipality of Japan (``municipalities.txt``) that SudachiPy reads as one place name is no
  castle or temple (「宮城」「国分寺」「丸亀・善通寺・多度津」), unless its precinct follows
  (「国分寺の境内」).

- A kanji numeral and one kanji that is no counter make a name (「二葉公園」, not 「三階」); a name
  joined to its kind by の may be any kana word (「ゆらりの湯」), a name after 道の駅 a hiragana run
  (「道の駅たるみず」). Latin letters that SudachiPy knows as a common word (「DVDレンタル店」) and a
  faculty (「医学部キャンパス」) name nothing; nor does a common word that SudachiPy reads with its kind
  as one proper noun (「物流センター」). A municipality of Japan and one of its towns in the postal data
  (``towns``: 「港区新橋」「大阪市中央区高麗橋」) is an address, not a bridge; parks and squares stay
  (「宇和島市和霊公園」 is both the town and the park). A name in hiragana right before a kind word
  (「やました小学校」, which SudachiPy reads as a verb) starts a word and with a noun, and ends in no
  particle or adjective (「ある公園」「近くの公園」「きれいな公園」 are none).

- Round 6 (shapes, not names): a town after a kind that closes a quoted name or follows a katakana kind is
  the branch (「東武運輸栃木」「京セラドーム大阪」); a coined kanji firm name that SudachiPy cuts into a noun
  and a one-kanji suffix or into single kanji is a name (「西建工業」); a bank may open its branch's name
  (「JA南部支店」); a hiragana name may follow a place or family name (「長岡よつば児童クラブ」) or be read as
  a verb (「つくし保育所」); a kind written before its name (グループホーム, こども園, 道の駅) takes a kana or
  proper name, or a kanji run after 道の駅; a chain takes a district before it (「銀座三越」) and a branch
  after one space or in hiragana (「ファミリーマート 和歌山松江北店」「平和堂あどがわ店」); a kana name that
  SudachiPy cannot read, listed after a facility with や / と / 、, is one too (「…公園やきらっしぇに」). Not
  findings: a chain's kind (「回転すしチェーン店」), a taught subject before 教室 (「セーフティー教室」), a body's
  own building (「本会会館」), a part of a site (「西キャンパス」), a person whose name ends in a kind's
  character (「須原城容疑者」), a district (「〇〇ニュータウン」), a word that merely ends in 堂 / 屋 / 院.

- Round 7 (guards): a town before 署 names a police station (「宮城県警築館署」); a kind's character that starts an
  字 of an address is no kind (「朽原字宮下」); a bank in brackets after a web or mail address is who the address
  pretends to be (「…@smbc-card.com(三井住友銀行)」, see ``claimed``). What the frame of a sentence names (lists
  of facilities, a name before its address in brackets…) is in ``frames``.

Each ``find_*`` returns candidates ``(start, end, "facility", suggestion)`` on the folded text.
"""

from __future__ import annotations

import re

from anshin_lab.core.directive import PREFECTURE
from anshin_lab.places import address
from anshin_lab.privacy.lint.lexicon import CATEGORY_SUGGESTIONS, Lexicon
from anshin_lab.privacy.lint.tokens import Token, fold_width, hiragana_name_end, is_katakana, kana_of, script_of
from anshin_lab.privacy.lint.towns import municipality_prefix, town_after_municipality, town_anywhere

__all__ = ["after_municipality", "claimed", "covered_by_town", "find_chains", "find_facilities", "is_municipality_name",
           "strip_municipality"]

_FINANCIAL = re.compile(r"銀行|信用金庫|信金|信用組合|労働金庫|農協|JA|ゆうちょ")
# Longest runs of tokens a name may take before (or after) its kind word.
_MAX_NAME_TOKENS = 8
# Text after a kind word inside the same token that still leaves the kind word a name's end
# (「鹿児島中央駅前」 is one token; 「駅員」「店舗」「大学生」 are other words).
_LOCATION_TAILS = {"前", "内", "裏", "横", "東口", "西口", "南口", "北口", "口", "構内", "付近", "周辺", "近く",
                   "側", "敷地", "敷地内", "駐車場", "駐輪場", "入口", "出口", "前広場", "前通り", "院内", "校内",
                   "園内", "店内", "館内", "店前", "校門", "正門", "裏手", "横手", "上", "下", "区", "校区"}
# Words after a kind word that SudachiPy may read together with the kind's last character
# (「小学校正門前」 -> 小学|校正|門前).
_STRADDLING_TAILS = ("正門", "校門", "裏門", "前", "付近", "周辺", "近く", "敷地")
_STOP_KINDS = {"駅", "電停", "バス停", "停留所"}
_PUBLIC_HOUSING = {"県営", "市営", "町営", "村営", "公営"}
# (「築館署」「宮城県警築館署」: a town before 署 names the police station, as before 警察署)
_POLICE_AFTER = re.compile(r"(?:駅)?(?:前|東口|西口|南口|北口|口)?(?:幹部交番|交番|駐在所|警察署|派出所|警備派出所|署(?!名))")


def _script(ch: str) -> str:
    if is_katakana(ch):
        return "katakana"
    if ch.isascii() and ch.isalnum():
        return "latin"
    return "other"


def find_chains(text: str, tokens, owner, lex: Lexicon) -> list[tuple]:
    """Every chain named in ``text`` (with its branch: 「ローソン鹿児島宇宿店」) that is a place."""
    out = []
    for m in lex.chain_re.finditer(text):
        start, end = m.span()
        # 「イオン」 in 「ライオン」, 「イオンカード」: a chain is a word of its own.
        if start > 0 and _script(text[start - 1]) == _script(text[start]) != "other":
            continue
        if end < len(text) and _script(text[end - 1]) == _script(text[end]) != "other":
            continue
        if end < len(text) and script_of(text[end - 1]) == script_of(text[end]) == "kanji" \
                and tokens[owner[end - 1]].end > end:
            continue  # 「公文書」: a kanji chain inside a longer word
        # The branch: place names after the chain, then 店 (「ローソン鹿児島宇宿店」).
        k = owner[end] if end < len(text) else len(tokens)
        stretch = end
        while k < len(tokens) and tokens[k].begin == stretch and tokens[k].pos[2] == "地名" and k - owner[end] < 3:
            stretch = tokens[k].end
            k += 1
        branch = _branch_end(text, end, tokens, owner, lex)
        if branch:
            end = branch  # 「ファミリーマート 和歌山松江北店」「平和堂あどがわ店」
        elif text.startswith("店", stretch):
            end = stretch + 1
        elif stretch > end:
            end = stretch
        if claimed(text, start, end, lex) or lex.brand_after.match(text, end, end + 30) \
                or _POLICE_AFTER.match(text, end):
            continue  # a claimed organisation, a brand of clothes or goods (chains only), the police
        if start > 0 and owner[start] > 0 \
                and tokens[owner[start]].begin == start and tokens[owner[start] - 1].pos[2] == "地名" \
                and tokens[owner[start] - 1].pos[1] == "固有名詞" and not _MUNICIPAL_END.search(tokens[owner[start] - 1].surface):
            start = tokens[owner[start] - 1].begin  # 「銀座三越」「日本橋高島屋」: the store of that district
        out.append((start, end, "facility", CATEGORY_SUGGESTIONS[lex.chains[m.group().lower()]]))
    return out


_BRANCH = re.compile(r" ?[一-龥々ヶぁ-ゖァ-ヺー]{1,10}?店(?![員舗長頭主内])")


def _branch_end(text: str, end: int, tokens, owner, lex: Lexicon) -> int | None:
    """Where the branch written after a chain ends (「ファミリーマート 和歌山松江北店」「平和堂あどがわ店」):
    one space at most, then words that are no particle, verb or generic word, and 店."""
    m = _BRANCH.match(text, end)
    if m is None:
        return None
    a = end + (1 if text.startswith(" ", end) else 0)
    inside = [t for t in tokens[owner[a]:owner[m.end() - 2] + 1]] if m.end() - 1 > a else []
    if not inside or inside[0].begin != a or inside[-1].end != m.end() - 1:
        return None
    if any(t.pos[0] in ("助詞", "動詞", "助動詞", "形容詞", "形状詞", "連体詞", "補助記号") and len(inside) < 2
           or t.pos[0] in ("動詞", "助動詞", "補助記号") or t.surface in lex.generic or t.surface in lex.stops
           for t in inside):
        return None
    if any(t.pos[0] == "助詞" and t.surface in ("の", "で", "に", "を", "が", "は", "と", "へ", "も") for t in inside):
        return None  # 「ローソンの店」: a particle, no branch
    return m.end()


_MUNICIPAL_END = re.compile(r"[都道府県市区町村郡]$")


def claimed(text: str, start: int, end: int, lex: Lexicon) -> bool:
    """Whether text[start:end] is an organisation a caller claims to be: a claiming verb after it
    (「〜の職員を名乗る」「〜を装い」「〜の者です」), or 自称 / 元 before it."""
    return bool(lex.claim_after.match(text, end, end + 40) or lex.claim_before.search(text, max(0, start - 4), start)
                or _SENDER_BEFORE.search(text, max(0, start - 80), start))


# A web address or a mail domain (its local part may be masked: 「resona-xx.jp@・・・」) and an opening bracket:
# the name in the brackets is who the address pretends to be (「…@smbc-card.com(三井住友銀行)」
# 「https://aeon-xx.net(イオン)」), a claim, not a place.
_SENDER_BEFORE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]*\.[A-Za-z]{2,}[A-Za-z0-9_./\-]*(?:@[・.…*＊○●×]*)?\s?[(（]$")


# Places nobody claims to be from: a school's, a park's or a home's name after 名乗る is still the place
# (「山下小学校の先生を名乗る男」 tells which school the child goes to).
_NEVER_CLAIMED = {"学校", "保育施設", "公園", "広場", "集合住宅", "団地", "寮", "集会所", "駅", "電停", "バス停", "橋",
                  "神社", "寺院", "学習塾"}


def _exempt(text: str, start: int, end: int, lex: Lexicon, suggestion: str) -> bool:
    """A claimed organisation or the police: not a place. A brand exempts only a chain (see find_chains):
    「鶴丸高校の制服」 is the school."""
    if suggestion not in _NEVER_CLAIMED and claimed(text, start, end, lex):
        return True
    return bool(_POLICE_AFTER.match(text, end))


_ORDINAL = re.compile(r"第[0-9一二三四五六七八九十]+")
_KANA = re.compile(r"[ぁ-ゖァ-ヺー]+")
_KANJI_NUMERAL = re.compile(r"[一二三四五六七八九十百千]+")
# Counters after a kanji numeral that make a quantity, not a name (「三丁目」「二階」「五人」); other kanji
# make a name with it (「二葉公園」「八幡橋」).
_COUNTERS = set("丁番号階人件回日時分秒年歳才個台本枚匹頭軒棟戸名度月週倍割円冊点羽杯足着軒局区")
# One-kanji prefixes that name no facility (「新中学校」「旧小学校」「各小学校」).
_GENERIC_PREFIXES = set("新旧元前現各全同本当某他別両非無不未超大小高低第約計総")
# Words that name a facility although SudachiPy joins them with the kind into one common word.
_NAME_WORDS = {"中央", "東", "西", "南", "北", "第一", "第二", "第三"}
_DEMONSTRATIVES = {"同", "当", "本", "某", "各", "他", "別", "両", "全", "該当", "当該"}


def _name_like(tokens: list[Token], k: int, lex: Lexicon, backward: bool = True) -> bool:
    t = tokens[k]
    surface = t.surface
    if surface in _DEMONSTRATIVES and backward:
        # 「同店」「当該マンション」 name nothing, but inside a name they are letters (「母間大当小学校」,
        # 「別|府中学校」 where the kind cut 「別府中」).
        return k > 0 and tokens[k - 1].end == t.begin and tokens[k - 1].pos[0] in ("名詞", "接尾辞") \
            and tokens[k - 1].pos[1] not in ("数詞", "代名詞") \
            or (k + 1 < len(tokens) and tokens[k + 1].begin == t.end and tokens[k + 1].pos[1] == "固有名詞")
    if surface in lex.stops or surface in lex.titles:
        return False
    if _ORDINAL.fullmatch(surface):
        return True  # 「第一」 is read as an adverb too
    p0, p1, p2 = t.pos[0], t.pos[1], t.pos[2]
    if p0 not in ("名詞", "接頭辞", "接尾辞", "補助記号", "空白") and all(script_of(ch) == "kanji" for ch in surface):
        return True  # a kanji word read as an adjective or adverb is still a noun in a name (「菱刈前目」)
    if p0 == "名詞":
        if p1 == "数詞":
            return backward and (k > 0 and tokens[k - 1].surface == "第" or _numeral_name(tokens, k))
        if p2 == "副詞可能" and len(surface) == 1 and backward and k + 1 < len(tokens) \
                and tokens[k + 1].begin == t.end and tokens[k + 1].pos[1] == "固有名詞":
            return True  # 「下|大川内」「上|伊集院」: a one-kanji direction before a place name
        if p1 == "代名詞" or p2 == "副詞可能":
            return False
        if p2 == "助数詞可能" and k > 0 and tokens[k - 1].pos[1] == "数詞":
            return _numeral_name(tokens, k - 1)  # 「三|階」 is a floor, 「二|葉」 a name
        return True
    if p0 == "接頭辞":
        return True
    if p0 == "接尾辞":
        return p1 == "名詞的" and p2 != "助数詞"
    if surface in "・･" and 0 < k < len(tokens) - 1:
        return is_katakana(tokens[k - 1].surface[-1]) and is_katakana(tokens[k + 1].surface[0])
    return False


def _hiragana_name_start(text: str, tokens: list[Token], owner, kind_start: int, lex: Lexicon) -> int | None:
    """Where a name in hiragana right before a kind word starts (「やました小学校」「すずらん幼稚園」), or None.

    The run starts a word (after a mark, a space, the start, or a particle it leaves out: 「町のやました」),
    starts with a noun or an unknown word and ends in no particle: 「ある公園」「きれいな公園」「近くの公園」
    「散歩した公園」 are no names.
    """
    start = kind_start
    while start > 0 and kana_of(text[start - 1]) == "hiragana" and kind_start - start < 12:
        start -= 1
    if kind_start - start < 2:
        return None
    head = _proper_head(text, tokens, owner, start, kind_start)
    if head is not None:
        return head
    if tokens[owner[start]].begin != start:
        return None
    k = owner[start]
    while k < owner[kind_start - 1] and tokens[k].pos[0] == "助詞":
        k += 1  # 「町の|やました」: a particle before the name
    if k == owner[start] and start > 0 and script_of(text[start - 1]) in ("kanji", "katakana"):
        return None  # the hiragana end a word before them (「散歩した」)
    start = tokens[k].begin
    inside = tokens[k:owner[kind_start - 1] + 1]
    if kind_start - start < 2 or not inside or inside[-1].end != kind_start:
        return None
    # 「つくし保育所」「よつば塾」: a name SudachiPy reads as a verb (つくし, よつ|ば) is still one when it
    # ends in no form that modifies a noun (「ある公園」「あそべる公園」 end in u; 「いった公園」 has an auxiliary)
    verb_name = inside[0].pos[0] == "動詞" and text[kind_start - 1] not in _U_ROW and len(inside) <= 2 \
        and not any(t.pos[0] == "助動詞" for t in inside) \
        and (len(inside) == 1 or inside[-1].surface == "ば")  # 「して来店」「つけて」 are verbs, 「よつ|ば」 a name
    if not (inside[0].pos[0] == "名詞" or inside[0].oov or verb_name) \
            or (inside[-1].pos[0] == "助詞" and (inside[-1].surface in _CASE_PARTICLES or not verb_name)) \
            or any(t.pos[0] in ("形容詞", "形状詞", "連体詞") for t in inside):
        return None  # 「かっこいいグランド」: a word that says what the place is like
    name = text[start:kind_start]
    if name in lex.generic or name in lex.not_names or name in lex.stops:
        return None
    return start


def _proper_head(text: str, tokens: list[Token], owner, start: int, kind_start: int) -> int | None:
    """Where a name of a place or family name and a hiragana word starts (「長岡よつば児童クラブ」「青葉
    ひまわり保育園」), which SudachiPy cuts into particles: the proper noun starts a word and the hiragana
    are no particle, verb or function word (「長岡にある公園」「東京らしい公園」)."""
    if start == 0 or script_of(text[start - 1]) != "kanji":
        return None
    head = tokens[owner[start - 1]]
    if head.end != start or head.pos[1] != "固有名詞" or head.pos[2] not in ("地名", "人名", "一般") \
            or head.pos[3] == "名":
        return None
    if head.begin > 0 and tokens[owner[head.begin - 1]].pos[0] == "名詞":
        return None  # the proper noun ends a longer name or word
    if hiragana_name_end(text, start) != kind_start:
        return None
    return head.begin


_AREA_WORDS = {"ニュータウン", "ベッドタウン", "ゴーストタウン", "オールドタウン", "チャイナタウン", "ダウンタウン"}
_U_ROW = set("うくすつぬふむゆるぐずづぶぷ")
# One-character kinds of round 6 that end a shop's or temple's own name (「松月堂」「大黒屋」「西方院」).
_HOUSE_KINDS = {"堂", "亭", "庵", "屋", "院"}
_CASE_PARTICLES = {"の", "と", "や", "に", "で", "へ", "を", "が", "は", "も", "か", "な", "から", "まで", "より"}


def _numeral_name(tokens: list[Token], k: int) -> bool:
    """Whether token ``k``, a numeral in kanji, starts a name with the one kanji after it that is no counter
    (「二|葉」「八|幡」, not 「三|階」「五|人」)."""
    if k + 1 >= len(tokens) or not _KANJI_NUMERAL.fullmatch(tokens[k].surface):
        return False
    nxt = tokens[k + 1]
    return nxt.begin == tokens[k].end and len(nxt.surface) == 1 and script_of(nxt.surface) == "kanji" \
        and nxt.surface not in _COUNTERS


def _bearing(t: Token, surface: str, lex: Lexicon) -> bool:
    """Whether a word of a name says which place it is (not 「県立」「児童」「2階建て」「DVD」)."""
    if surface == "第" or _ORDINAL.fullmatch(surface):
        return True  # an ordinal names one of several (「第一小学校」「第2中村ビル」)
    if surface in lex.generic or t.pos[1] == "数詞" or t.pos[0] in ("接頭辞", "接尾辞"):
        return False
    if t.pos[1] == "普通名詞" and not t.oov and (surface.isascii() or surface.endswith(("学部", "学科"))):
        return False  # 「DVDレンタル店」「CD店」「医学部キャンパス」: a common word, no name
    return not all(ch in "・･-" for ch in surface)


def covered_by_town(text: str, name_start: int, kind_start: int, kind_end: int, tokens=None, owner=None) -> bool:
    """Whether a town of the gazetteer starts in the name and runs over the kind word (「皇徳寺台」).

    With ``tokens`` and ``owner``, the town must start where a word starts: 「熊本城」 is one word, so
    the town 「本城」 inside it is no reading of it.
    """
    gaz = address.gazetteer()
    for p in range(name_start, kind_start):
        if tokens is not None and p > name_start and tokens[owner[p]].begin != p:
            continue
        for length in gaz.all_lengths:
            if p + length < kind_end:
                break
            if p + length <= len(text) and address.fold(text[p:p + length]) in gaz.everywhere:
                return True
    return False


def strip_municipality(text: str, start: int, stop: int, tokens, owner) -> int:
    """Skip the prefecture and the municipality at the start of a name (「鹿児島市」 in 「鹿児島市吉野公民館」)."""
    def ends_word(at: int) -> bool:
        # 「鹿児島市立病院」「鹿児島県立図書館」 are names: the municipality with 立 / 営 after it stays.
        if at >= stop:
            return True
        t = tokens[owner[at]]
        return (t.begin < at and t.pos[2] == "地名") or (t.begin == at and t.pos[0] != "接尾辞")

    if text.startswith(PREFECTURE, start) and ends_word(start + len(PREFECTURE)):
        start += len(PREFECTURE)
    if start >= stop:
        return start
    gaz = address.gazetteer()
    found = gaz.match_city(text[start:stop])
    if found and ends_word(start + found[1]):
        if start + found[1] >= stop and address.fold(text[start:stop]) in gaz.everywhere:
            return start  # 「錦江町小学校」: 錦江町 is also a town of 垂水市 and 鹿児島市
        return start + found[1]
    return start


def after_municipality(text: str, at: int) -> int:
    """The length of the municipality of the prefecture (or 同市 / 同町 / 同村) that text[:at] ends with,
    else 0 (「鹿児島市|山下小学校」: 4)."""
    folded = fold_width(text[max(0, at - 12):at])
    if re.search(r"同[市町村]$", folded):
        return 2
    gaz = address.gazetteer()
    return next((length for length in gaz.city_lengths
                 if length <= len(folded) and address.fold(folded[-length:]) in gaz.cities), 0)


def find_facilities(text: str, tokens, owner, lex: Lexicon, chains: list[tuple]) -> list[tuple]:
    """Every named facility in ``text``: a name before a kind word (「山下小学校」) or after one (「ハイツ武岡」).

    ``chains`` are the candidates of ``find_chains``: a chain in a name makes it a proper one.
    """
    out = []
    chain_spans = [(c[0], c[1]) for c in chains]
    for m in lex.suffix_re.finditer(text):
        found = _suffix_candidate(text, m, tokens, owner, lex, chain_spans)
        if found:
            out.append(found)
    out += _town_branches(text, tokens, owner, lex)
    for m in lex.prefix_re.finditer(text):
        found = _prefix_candidate(text, m, tokens, owner, lex)
        if found:
            out.append(found)
    out += _coordinated(text, tokens, owner, lex, out + list(chains))
    return out


# After a facility and や / と / 、: a name that SudachiPy cannot read as words of the language.
_COORDINATION = re.compile(r"[やと、・]")
_KANA_NAME = re.compile(r"[ぁ-ゖァ-ヺー]{3,12}")
_CASE_AFTER = re.compile(r"(?:に|で|へ|を|の|など|や|と|、|まで|から|が|は|も)")


def _coordinated(text: str, tokens, owner, lex: Lexicon, found: list[tuple]) -> list[tuple]:
    """「童里夢公園やきらっしぇに行きました」: a kana name listed right after a facility, which SudachiPy cuts
    into a verb, a particle and a mark or does not know at all, is a place of the same list. A word it knows
    (「公園やおうちに」「公園やスーパーに」) or a person (「公園と田中さん」) is none."""
    out = []
    for c in found:
        e = c[1]
        if e + 1 >= len(text) or not _COORDINATION.match(text, e):
            continue
        m = _KANA_NAME.match(text, e + 1)
        if m is None or tokens[owner[m.start()]].begin not in (m.start(), e):
            continue  # (SudachiPy may read や with the name: 「公園|やき|らめ|っこ」)
        # the name ends where a case particle follows, itself followed by no more hiragana (「きらっしぇ|に行き」)
        end = next((b for b in range(m.end(), m.start() + 2, -1) if (p := _CASE_AFTER.match(text, b))
                    and (p.end() >= len(text) or not "ぁ" <= text[p.end()] <= "ゖ" or text[p.end()] in "はも")), None)
        if end is None:
            continue
        inside = tokens[owner[m.start()]:owner[end - 1] + 1]
        if inside[-1].end != end or any(t.person or t.pos[0] in ("連体詞", "代名詞", "副詞", "接続詞", "形状詞", "形容詞")
                                            or t.pos[1] in ("代名詞",) for t in inside):
            continue
        unknown = len(inside) == 1 and (inside[0].oov or inside[0].pos[1] == "固有名詞" and inside[0].pos[2] != "地名")
        unreadable = len(inside) > 1 and any(t.pos[0] in ("動詞", "感動詞", "補助記号", "助動詞", "接尾辞") for t in inside) \
            and (inside[0].pos[0] != "助詞" or inside[0].begin < m.start())
        name = text[m.start():end]
        if (unknown or unreadable) and name not in lex.generic and name not in lex.stops \
                and not claimed(text, m.start(), end, lex):
            out.append((m.start(), end, "facility", "施設"))
    return out


def _suffix_candidate(text, m, tokens, owner, lex: Lexicon, chain_spans):
    kind = lex.suffixes[m.group()]
    s, e = m.span()
    last = tokens[owner[e - 1]]
    tail = text[e:last.end]
    if tail and tail not in _LOCATION_TAILS \
            and not (last.begin > s and any(text.startswith(w, e) for w in _STRADDLING_TAILS)):
        return None  # 「店員」「駅伝」「宮崎」「住宅街」: another word (but 「小学|校正|門前」 is 小学校 and 正門前)
    if kind.word == "校" and text.startswith("区", e):
        return None  # 「西紫原校区」: a school district, named as the area it is
    if owner[s] > 0 and tokens[owner[s]].begin == s and tokens[owner[s] - 1].surface in ("字", "大字", "小字"):
        return None  # 「朽原字宮下」「大字寺前」「字城山」: an 字 of an address that starts with the kind's character
    first_index = owner[s]
    first = tokens[first_index]
    if first.begin < s and ((first.person and first.end >= e)
                            or (first.pos[2] == "地名" and (_MUNICIPAL.search(text, first.begin, s)
                                                          or municipality_prefix(text[first.begin:s], lex)[0]))):
        return None  # 「高橋」「小寺」 are names; 「松山市畑寺」「港区新橋」 are towns SudachiPy knows whole
    if first.begin < s and first.end >= e and first.pos[2] == "地名" and is_municipality_name(first.surface, lex) \
            and not _PRECINCT.match(text, e):
        return None  # 「宮城」「茨城」「国分寺」「善通寺」: a prefecture or a town, not a castle or temple
    branch_end = _quoted_branch_end(text, s, e, tokens, owner) or _katakana_branch_end(text, s, e, tokens, owner)
    if branch_end is None and _town_goes_on(text, e, tokens, owner):
        return None
    kind_start = s
    parts: list[tuple[Token, int, int]] = []  # (token, start, end) of the name, last first
    if first.begin < s and kind.word in _HOUSE_KINDS and not first.proper:
        return None  # 「本堂」「庄屋」「入院」: a word of its own that ends in the kind's character
    if any(e >= len(w) and text.startswith(w, e - len(w)) for w in _AREA_WORDS):
        return None  # 「桜ヶ丘ニュータウン」: a district, not a mall
    if first.begin < s:
        if text[first.begin:s] in _NAME_WORDS and first.surface not in lex.generic:
            parts.append((first, first.begin, s))  # 「中央病院」 is one dictionary word and a name
        elif (first.pos[1] == "普通名詞" and not first.oov) or first.surface in lex.generic \
                or text[first.begin:s] in lex.generic:
            # 「飲食店」「県立高校」「大学病院」「道の駅」: the whole word is the kind; so is a common word and the
            # kind that SudachiPy reads as one proper noun (「物流センター」)
            kind_start = first.begin
        else:
            parts.append((first, first.begin, s))  # 「谷山駅」「霧島神宮」: one proper-noun token
    k = first_index - 1
    while k >= 0 and len(parts) < _MAX_NAME_TOKENS and tokens[k].end == (parts[-1][1] if parts else kind_start):
        # Stops are often named after what is in front of them: 「交通局前電停」「市役所前バス停」.
        stop_name = kind.word in _STOP_KINDS and tokens[k].surface in ("前", "入口") and k > 0 \
            and tokens[k - 1].pos[0] == "名詞" and tokens[k - 1].end == tokens[k].begin
        # 「ゆらりの湯」: a name joined to its kind by の may be any kana word.
        kana_name = kind.word.startswith("の") and _KANA.fullmatch(tokens[k].surface) is not None
        if not stop_name and not kana_name and not _name_like(tokens, k, lex):
            break
        parts.append((tokens[k], tokens[k].begin, tokens[k].end))
        k -= 1
    if not parts:
        start = _hiragana_name_start(text, tokens, owner, kind_start, lex)
        if start is None or _exempt(text, start, e, lex, kind.suggestion):
            return None
        return (start, e, "facility", kind.suggestion)  # 「やました小学校」, which SudachiPy reads やま|し|た
    run_start = parts[-1][1]
    name_start = strip_municipality(text, run_start, kind_start, tokens, owner)
    parts = [p for p in parts if p[2] > name_start]
    if (name_start >= kind_start or not parts) and run_start < name_start and kind.word in lex.public_centres \
            and not _exempt(text, run_start, e, lex, kind.suggestion):
        return (run_start, e, "facility", kind.suggestion)  # 「西之表市消費生活センター」: the town's one centre
    if name_start >= kind_start or not parts:
        return None
    bearing = [p for p in parts if _bearing(p[0], text[max(p[1], name_start):p[2]], lex)]
    if not bearing and len(parts) == 1 and parts[0][0].pos[0] == "接頭辞" and script_of(parts[0][0].surface) == "kanji" \
            and parts[0][0].surface not in _GENERIC_PREFIXES and parts[0][0].surface not in lex.generic:
        bearing = parts  # 「②緑|中学校」: after a number SudachiPy reads the one-kanji name as a prefix
    if not bearing:
        return None
    if kind.word == "営業部" and not _FINANCIAL.search(text, run_start, kind_start):
        return None  # 「山形銀行山形南営業部」 is a branch; a company's 営業部 is a department
    if kind.needs_proper and not _has_proper(text, parts, bearing, name_start, kind_start, chain_spans,
                                              strict=kind.needs_proper >= 2) \
            and not _bank_branch(text, kind.word, parts, name_start, lex) \
            and not (kind.suggestion == "事業所" and _coined(parts, name_start, kind_start)) \
            and not (kind.suggestion in _ROAD_AREAS and town_anywhere(text[name_start:kind_start])):
        return None  # (service areas are named after their town: 「花輪サービスエリア」)
    if kind.suggestion in _AFTER_TOWN_KINDS and _only_address(parts, lex):
        return None  # 「松山市馬木町公園内」「新居浜市船木一般住宅」: a park or a house in that town
    if _PSEUDONYM.fullmatch(text[name_start:kind_start]):
        return None  # 「A銀行」「〇〇小学校」: a name already withheld
    if kind.suggestion == "教室" and all(not t.oov and t.pos[1] == "普通名詞" and is_katakana(t.surface[0])
                                        for t, _, _ in bearing):
        return None  # 「セーフティー教室」「ダンススクール」: what is taught, not whose class
    if text[name_start:kind_start] in _PARTS_OF_A_SITE and kind.word in ("キャンパス", "棟", "館", "口"):
        return None  # 「西キャンパス」「東館」: a part of the place the text already names
    if len(kind.word) == 1 and _PERSON_AFTER.match(text, e):
        return None  # 「須原城容疑者」「高橋さん」: a person's name that ends in a kind's character
    if run_start > 0 and tokens[owner[run_start - 1]].surface in _DEMONSTRATIVES \
            and tokens[owner[run_start - 1]].end == run_start \
            and all(not t.proper and script_of(t.surface[0]) == "kanji" for t, _, _ in parts):
        return None  # 「本|会|会館」「同|社|工場」: this body's own building, no name
    if kind.suggestion in ("学校", "保育施設") and (_RUN_BY.fullmatch(text, run_start, kind_start)
                                                 or _RUN_BY.fullmatch(text, run_start, s)):
        return None  # 「武蔵野市立小学校」「区立小学校」「静岡県立校」: one of its operator's schools, no name
    if covered_by_town(text, name_start, s, e, tokens, owner):
        return None  # 「皇徳寺台」
    if kind.suggestion not in ("公園", "広場") and town_after_municipality(text[run_start:e], lex):
        return None  # 「大阪市中央区高麗橋」 is a town of that ward (but 「宇和島市和霊公園」 is also the park)
    if kind.suggestion not in ("公園", "広場") and _SAME_PLACE.search(text, max(0, name_start - 2), name_start + 2) \
            and town_anywhere(text[_SAME_PLACE.search(text, max(0, name_start - 2), name_start + 2).end():e]):
        return None  # 「同区六角橋」: a town of the ward the text named before
    if text.startswith(("区", "市", "町", "村", "郡"), e) and kind.word in ("港", "館", "城"):
        return None  # 「東京都港区」: the kind word starts a municipality's name
    if _exempt(text, name_start, e, lex, kind.suggestion):
        return None
    suggestion = kind.suggestion
    if kind.word in ("店", "支店", "営業所") and _FINANCIAL.search(text, name_start, kind_start):
        suggestion = "金融機関"
    return (name_start, branch_end or e, "facility", suggestion)


# Service and parking areas: named after the town they stand in, which SudachiPy may read as a common word.
_ROAD_AREAS = {"サービスエリア", "パーキングエリア"}
# How far before a branch the text may name its bank (「紀陽銀行本部営業統括部の…、屋形(やかた)支店窓口係の」).
_BANK_REACH = 60


def _town_branches(text: str, tokens, owner, lex: Lexicon) -> list[tuple]:
    """Shops named after their town, with no chain in the name: a municipality, one of its towns and 店
    (「桑名市桑部店」, which SudachiPy reads 桑名市桑部|店). Never 店舗, 店内 or 店頭 (「松山市宮田町店内」 is inside
    a shop in 宮田町)."""
    out = []
    for k in range(1, len(tokens)):
        t, before = tokens[k], tokens[k - 1]
        if t.surface != "店" or before.end != t.begin or before.pos[2] != "地名" \
                or text.startswith(("舗", "内", "頭"), t.end):
            continue
        if town_after_municipality(before.surface, lex) and not claimed(text, before.begin, t.end, lex):
            out.append((before.begin, t.end, "facility", "店舗"))
    return out


# One-kanji suffixes that make an ordinary word, not a coined name (「市|内」「県|外」「業界|別」「国|産」).
_FUNCTION_SUFFIXES = set("内外中間別的用製産系式型等際前後上下毎各店町村市区県都府道者人員長性化方側向級風流")


def _coined(parts, name_start: int, kind_start: int) -> bool:
    """Whether a firm's name is a coined kanji word that SudachiPy cuts into a noun and a one-kanji
    suffix (「西|建|工業」「東|運|商事」): no word of the language, so a name (「地場産業」 is one)."""
    if not 2 <= kind_start - name_start <= 4:
        return False
    inside = [t for t, a, _ in reversed(parts) if a >= name_start]
    if len(inside) >= 2 and all(len(t.surface) == 1 and script_of(t.surface) == "kanji" and t.pos[0] == "名詞"
                                and t.pos[1] == "普通名詞" and t.surface not in _FUNCTION_SUFFIXES for t in inside):
        return True  # 「東|運|商事」: single kanji that make no word together
    return all(script_of(ch) == "kanji" for t in inside for ch in t.surface) and any(
        t.pos[0] == "接尾辞" and len(t.surface) == 1 and t.surface not in _FUNCTION_SUFFIXES
        and i > 0 and inside[i - 1].pos[0] == "名詞"
        and inside[i - 1].pos[1] not in ("数詞", "代名詞") for i, t in enumerate(inside))


def _bank_branch(text: str, word: str, parts, name_start: int, lex: Lexicon) -> bool:
    """Whether a 支店 / 営業部 / 出張所 named with kanji common nouns (「屋形支店」) is a branch of a bank the
    text names shortly before: only kanji nouns that are no generic words (「同支店」「各支店」 name none)."""
    if word not in ("支店", "営業部", "出張所"):
        return False
    banks = list(_FINANCIAL.finditer(text, max(0, name_start - _BANK_REACH), parts[0][1]))
    if not banks:
        return False
    # 「JA南部支店」「鹿児島銀行谷山支店」: the bank may open the name itself
    rest = [p for p in parts if p[1] >= banks[-1].end()] if banks[-1].start() >= name_start else parts
    return bool(rest) and all(t.pos[0] == "名詞" and script_of(t.surface) == "kanji" and t.surface not in lex.generic
                              and t.surface not in lex.stops for t, _, _ in rest)


_PSEUDONYM = re.compile(r"[A-Za-zＡ-Ｚａ-ｚ]|[〇○◯●×＊*]+")
# Directions and ordinals that name a part of a site (「西キャンパス」「本館」「東口」), not the site.
_PARTS_OF_A_SITE = {"東", "西", "南", "北", "中央", "本", "新", "旧", "第一", "第二", "第三", "第1", "第2", "第3"}
# What after a one-character kind makes it the end of a person's name (「須原城容疑者」).
_PERSON_AFTER = re.compile(r"容疑者|被告|受刑者|さん|氏(?![名子])|様|君|ちゃん|巡査|警部")
# 「同区」「同市」: the municipality the text named before.
_SAME_PLACE = re.compile(r"同[区市町村]")
_LATIN = re.compile(r"[A-Za-z][A-Za-z0-9&.' -]*")
# Proper nouns that make no company of a katakana suffix: 「日本ホーム」 is a country, not a firm's name
# (a claimed one, 「NTTファイナンスをかたる」, is exempt anyway).
_NOT_COMPANY_WORDS = {"日本", "国際", "全国", "地域", "海外", "国内", "警察", "行政"}
# What makes a town's name the temple or castle of that name: 「国分寺の境内」.
_PRECINCT = re.compile(r"の?(?:境内|本堂|山門|参道|住職|天守|本丸|城跡|城址)")
_PREFECTURE_STEMS = frozenset(
    "北海道 青森 岩手 宮城 秋田 山形 福島 茨城 栃木 群馬 埼玉 千葉 東京 神奈川 新潟 富山 石川 福井 山梨 長野 岐阜 静岡 "
    "愛知 三重 滋賀 京都 大阪 兵庫 奈良 和歌山 鳥取 島根 岡山 広島 山口 徳島 香川 愛媛 高知 福岡 佐賀 長崎 熊本 大分 "
    "宮崎 鹿児島 沖縄".split())


def is_municipality_name(word: str, lex: Lexicon) -> bool:
    """Whether ``word`` is a prefecture, a municipality of Japan or its stem (「善通寺」 of 善通寺市)."""
    return word in lex.municipalities or word in lex.municipality_stems or word in _PREFECTURE_STEMS
_RUN_BY = re.compile(r"[^\s、。]{0,8}?[市区町村県都府道国]立")
# A municipality inside a place-name token: SudachiPy knows many addresses whole (「松山市畑寺」).
_MUNICIPAL = re.compile(r"[一-龥ぁ-んァ-ヺ]{1,6}?[市郡]")
# Kinds an export writes right after the town for "a … in that town" (「松山市馬木町公園内」).
_AFTER_TOWN_KINDS = {"公園", "広場", "集合住宅", "店舗", "建物"}
# Words that make a kind word part of another word: 「銀行協会」「銀行員」「公園通り」 are no place's name end.
_NOT_AN_END = {"協会", "連合会", "組合", "員", "行員", "職員", "口座", "カード", "通帳", "強盗", "振込", "振り込み",
               "アプリ", "通り", "線", "町", "丁目"}


def _town_goes_on(text: str, e: int, tokens, owner) -> bool:
    """Whether the kind word ending at ``e`` is glued to more of a town or another word: 「同市宮|西一丁目」
    「畑寺|町」「3丁目」「鹿児島銀行|協会」."""
    if e >= len(text):
        return False
    nxt = tokens[owner[e]]
    if nxt.begin != e:
        return False
    if nxt.surface in _NOT_AN_END or (nxt.pos[2] == "地名" and nxt.pos[1] == "固有名詞"):
        return True
    return nxt.pos[1] == "数詞" and text.startswith("丁目", nxt.end)


def _quoted_branch_end(text: str, s: int, e: int, tokens, owner) -> int | None:
    """Where a place name after the kind word ending at ``e`` ends when it closes a quoted name: in
    「東武運輸栃木」「丸山建設宮崎」 the town is the firm's branch, not more of an address."""
    if e >= len(text) or tokens[owner[e]].begin != e or "「" not in text[max(0, s - 12):s] \
            and "『" not in text[max(0, s - 12):s]:
        return None
    k, end = owner[e], e
    while k < len(tokens) and k - owner[e] < 2 and tokens[k].begin == end and tokens[k].pos[1] == "固有名詞" \
            and tokens[k].pos[2] == "地名":
        end = tokens[k].end
        k += 1
    return end if end > e and text.startswith(("」", "』"), end) else None


# After a place name that closes a venue's name: a particle, a mark, the end.
_BRANCH_CLOSE = re.compile(r"[のでにへをがはともや、。・」』)\s]|$")


def _katakana_branch_end(text: str, s: int, e: int, tokens, owner) -> int | None:
    """Where the town after a katakana kind word ends when it closes the venue's name (「京セラドーム大阪で」
    「マリノアシティ福岡の」): a katakana kind never starts an address, so the town is the venue's."""
    if not is_katakana(text[s]) or e >= len(text) or tokens[owner[e]].begin != e:
        return None
    t = tokens[owner[e]]
    if t.pos[1] != "固有名詞" or t.pos[2] != "地名" or re.search(r"[都道府県市区町村郡]$", t.surface):
        return None
    return t.end if _BRANCH_CLOSE.match(text, t.end) else None


def _only_address(parts, lex: Lexicon) -> bool:
    """Whether a name is only the address written before its kind: a place-name token holding the
    municipality, then 大字 / 字 / 甲 / 乙, numbered 丁目 and further place names."""
    addressy = False
    for t, _, _ in reversed(parts):
        # (a municipality of Japan, not any 〜市 inside a town's name: 「東市来町伊作田」 starts with no 東市)
        if t.pos[2] == "地名" and _MUNICIPAL.match(t.surface) \
                and (_MUNICIPAL.match(t.surface).group().endswith("郡") or municipality_prefix(t.surface, lex)[0]) \
                or t.surface in ("大字", "字", "甲", "乙", "丙") \
                or re.fullmatch(r"[0-9一二三四五六七八九十]+丁目", t.surface):
            addressy = True
        elif not ((t.pos[2] == "地名" and addressy) or t.surface in lex.generic or t.pos[1] == "数詞"
                  or t.surface == "丁目"):
            return False
    return addressy


def _has_proper(text, parts, bearing, name_start, kind_start, chain_spans, strict: bool = False) -> bool:
    """Whether a name is more than generic kanji words: a proper noun, a kana word that is no generic
    shop word (「みどり店」 but not 「ラーメン店」), a chain, a town, or public housing. ``strict``: only a
    proper noun, an unknown word or Latin letters count (「ヤマトサービス」, not 「ネットサービス」)."""
    if strict:
        return any((t.proper and t.pos[1] != "数詞") or _LATIN.fullmatch(text[max(a, name_start):b])
                   for t, a, b in bearing) and not any(t.surface in _NOT_COMPANY_WORDS for t, _, _ in parts)
    if any((t.proper and t.pos[1] != "数詞") or all(kana_of(ch) for ch in text[max(a, name_start):b])
           for t, a, b in bearing):
        return True
    if any(t.surface in _PUBLIC_HOUSING for t, _, _ in parts):
        return True  # 「市営城南住宅」: the operator makes the rest a name
    if any(name_start <= a < kind_start for a, _ in chain_spans):
        return True
    gaz = address.gazetteer()
    return any(address.fold(text[max(a, name_start):b]) in gaz.everywhere for _, a, b in bearing)


_KANJI_RUN = re.compile(r"[一-龥々ヶ]{1,5}")


def _kanji_name_end(text: str, e: int) -> int:
    """Where a name of kanji right after a kind that always takes one (道の駅) ends: a run of one to five
    kanji closed by a particle, a mark or the end (「道の駅国上で」); else ``e``."""
    run = _KANJI_RUN.match(text, e)
    if run is None or (run.end() < len(text) and script_of(text[run.end()]) in ("kanji", "katakana")):
        return e
    return run.end()


def _prefix_candidate(text, m, tokens, owner, lex: Lexicon):
    kind = lex.prefixes[m.group()]
    s, e = m.span()
    if e >= len(text):
        return None
    holder = tokens[owner[s]]
    if s > 0 and is_katakana(text[s - 1]) and holder.begin != s:
        if holder.end != e or not all(is_katakana(ch) for ch in holder.surface):
            return None  # inside a longer katakana word
        s = holder.begin  # 「サンハイツ」 as one word: the name goes on after it (「サンハイツ武岡」)
    k = owner[e]
    if tokens[k].begin != e:
        return None
    end = e
    taken = 0
    while k < len(tokens) and taken < 4 and tokens[k].begin == end:
        t = tokens[k]
        kana = all(is_katakana(ch) or "ぁ" <= ch <= "ゖ" for ch in t.surface)
        plain = t.pos[0] == "名詞" and t.pos[2] == "一般"  # not 「予約」 (サ変) or 「内」
        # 「ハイツ|上|荒田」: one kanji before a proper noun belongs to the name
        plain = plain or (len(t.surface) == 1 and script_of(t.surface) == "kanji" and k + 1 < len(tokens)
                          and tokens[k + 1].begin == t.end and tokens[k + 1].pos[1] == "固有名詞")
        if t.surface in "・･" and taken:
            pass
        elif not ((_name_like(tokens, k, lex, backward=False) or plain) and (t.proper or kana or plain)) \
                or t.surface in lex.generic:
            break
        end = t.end
        taken += 1
        k += 1
    end = end if text[end - 1] not in "・･" else end - 1
    if end > e and kind.needs_proper and not any(t.proper or all(kana_of(ch) == "hiragana" for ch in t.surface)
                                                 for t in tokens[owner[e]:owner[end - 1] + 1]):
        end = e  # 「グループホーム入居者」「保育園バス」: common words after the kind say who or what, not which
    if end <= e and "ぁ" <= text[e] <= "ゖ":
        end = hiragana_name_end(text, e) or e  # 「道の駅たるみず」, which SudachiPy cuts たる|みず
    if end <= e and kind.word == "道の駅":
        end = _kanji_name_end(text, e)  # 「道の駅国上」, which SudachiPy reads 国 and 上 as suffixes
    if end <= e or _exempt(text, s, end, lex, kind.suggestion) or covered_by_town(text, s, s, end, tokens, owner):
        return None
    # Katakana words glued before the kind are part of the name (「グランドメゾン吉野」「パークハイツ宇宿」).
    j = owner[s] - 1 if tokens[owner[s]].begin == s else -1
    while j >= 0 and tokens[j].end == s and all(is_katakana(ch) for ch in tokens[j].surface) \
            and tokens[j].surface not in lex.stops and tokens[j].surface not in "・･":
        s = tokens[j].begin
        j -= 1
    return (s, end, "facility", kind.suggestion)
