"""Facility findings: the name of a school, park, station, shop, chain or housing block.

- **facility**: a dictionary of facility kind words (``dictionaries/facility_kinds.csv``: 小学校, 公園, 駅, 店, マンション,
  コーポ…) and of chains (``chains.csv``: ローソン, タイヨー, 山形屋…). SudachiPy (core dictionary, split mode C) finds where the
  name before a kind word starts: the run of nouns back to a particle, a verb, a number or a relation word
  (``place_stops.txt``). A run made only of generic modifiers (``place_generic.txt``: 児童公園, 県立高校, 内科クリニック, ラーメン店) or
  only of the municipality is no name; kinds marked ``needs_proper`` (住宅, 支店, グラウンド…) need more than kanji common
  nouns (「教員住宅」 no, 「県営武岡住宅」 yes). A run that is the start of a town of the gazetteer covering the kind word
  (「皇徳寺台」, 「玉里団地1丁目」) is a town, not a facility; so is a kind word inside an address SudachiPy knows whole or glued
  to more of one (「松山市畑寺」「同市宮西一丁目」), and an address followed by a park, house or flat (「松山市馬木町公園内」: a park in that
  town). Not findings either: a name right before 交番 / 警察署, a name already withheld (「A銀行」), a municipality's school
  with no name (「武蔵野市立小学校」), an organisation a fraud caller claims to be from — a claiming verb after it
  (「山形屋の店員を名乗る」「市役所の者です」, ``claims.csv``; never a school, park, home or station) — and, for chains only, a brand
  describing clothes or belongings (「ユニクロのダウンジャケット」, ``brand_items.txt``; 「鶴丸高校の制服」 is the school). The suggestion
  is the generic kind: 「山下小学校」 → 「学校」, 「ローソン」 → 「店舗」.
- Castles (「熊本城」「臼杵城跡」), katakana company suffixes (「ヤマトサービス」: ``needs_proper`` 2, the name must be a proper noun,
  an unknown word or Latin letters, so 「ネットサービス」 is none) and public centres: a municipality's centre of
  ``public_centres.txt`` is one building even when its name is only the municipality (「霧島市消費生活センター」). A prefecture
  or a municipality of Japan (``municipalities.txt``) that SudachiPy reads as one place name is no castle or temple
  (「宮城」「国分寺」「丸亀・善通寺・多度津」), unless its precinct follows (「国分寺の境内」).

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

- Round 18: a ward's office read inside its municipality (「さいたま市南区|役所」) and its staff (「南区役所職員」); a
  bank with の in its name (「杜の都信用金庫」); a temple before its priest (「密蔵院住職」); a firm before 傘下 or a
  person's name (「…ホールディングス傘下」「東海支社中井…」); a town SudachiPy cuts into no town (「菱刈|前|目中学校」);
  ッ / ヶ in a name (「三ッ境センター」). Not a station: a town named after one (「牛網駅前1丁目」).

Each ``find_*`` returns candidates ``(start, end, "facility", suggestion)`` on the folded text.
Where the parts live: this module walks back from a kind word to the start of its name
(``find_facilities``); ``facility_names`` says which words make a name, ``municipalities`` when the name is
an address, ``claims`` when it is a claimed organisation or the police, ``chains`` finds chains and shops
named with their branch, and ``prefix_kinds`` the names written after their kind.
"""

from __future__ import annotations

import re

from anshin_lab.privacy.lint.chains import PLACE_GA, town_branches
from anshin_lab.privacy.lint.claims import claimed, exempt
from anshin_lab.privacy.lint.coordinated import coordinated_names
from anshin_lab.privacy.lint.employers import find_employers, head_after_firm, head_before_office
from anshin_lab.privacy.lint.facility_names import (DEMONSTRATIVES, FINANCIAL, HALL_BRANCH, TRADE_BODY, WHICH_ONE,
                                                    bank_branch, coined, course_held, has_proper, hiragana_name_start,
                                                    is_bearing, kanji_read_apart, name_like, names_pupils_school,
                                                    owned_one_kanji)
from anshin_lab.privacy.lint.kind_lists import names_after_kind
from anshin_lab.privacy.lint.lexicon import Lexicon
from anshin_lab.privacy.lint.member_lists import member_district
from anshin_lab.privacy.lint.municipalities import (MUNICIPAL, PREFECTURE_NAMES, covered_by_town, is_municipality_name,
                                                    only_address, strip_municipality)
from anshin_lab.privacy.lint.name_checks import PRIEST_AFTER
from anshin_lab.privacy.lint.name_ends import katakana_branch_end, quoted_branch_end, town_goes_on
from anshin_lab.privacy.lint.prefix_kinds import prefix_candidate
from anshin_lab.privacy.lint.tokens import Token, can_be_surname, is_katakana, script_of
from anshin_lab.privacy.lint.town_ends import cho_town_ending_at, town_ending_at
from anshin_lab.privacy.lint.towns import (castle_named_town, gazetteer_town, municipality_prefix,
                                           town_after_municipality, town_anywhere)

# (``learned`` reads ``claimed`` here)
__all__ = ["claimed", "find_facilities", "kind_ends_word", "trade_goes_on", "unnamed_place"]

# Longest runs of tokens a name may take before (or after) its kind word.
_MAX_NAME_TOKENS = 8
# Text after a kind word inside the same token that still leaves the kind word a name's end (「鹿児島中央駅前」「高校卒」
# are one token; 「駅員」「店舗」 are other words; 「鶴丸|高校生」 is the school's, round 59).
_LOCATION_TAILS = {"前", "内", "裏", "横", "東口", "西口", "南口", "北口", "口", "構内", "付近", "周辺", "近く",
                   "側", "敷地", "敷地内", "駐車場", "駐輪場", "入口", "出口", "前広場", "前通り", "院内", "校内",
                   "園内", "店内", "館内", "店前", "校門", "正門", "裏手", "横手", "上", "下", "区", "校区", "卒", "卒業", "生"}  # (生: its pupils)
# Words after a kind word that SudachiPy may read together with the kind's last character (「小学校正門前」: 小学|校正|門前).
_STRADDLING_TAILS = ("正門", "校門", "裏門", "前", "付近", "周辺", "近く", "敷地")
_STOP_KINDS = {"駅", "電停", "バス停", "停留所"}
_SIDE = re.compile(r"[東西南北](?:駐車場|側|入口|出口|広場)")  # 「国営ひたち海浜公園|西駐車場」 (SudachiPy: 公園西, round 61)
_READING_TAIL = re.compile(r"[(（][ぁ-ゖァ-ヺー]{1,20}[)）]")  # SudachiPy reads 「鹿児島銀行(かぎん)」 as one word (round 45)
_KANA = re.compile(r"[ぁ-ゖァ-ヺー]+")
# Words that name a facility although SudachiPy joins them with the kind into one common word.
_NAME_WORDS = {"中央", "東", "西", "南", "北", "第一", "第二", "第三"}
_AREA_WORDS = {"ニュータウン", "ベッドタウン", "ゴーストタウン", "オールドタウン", "チャイナタウン", "ダウンタウン"}
# The association of a trade or of a district after a kind word or a learned span (「東京都信用金庫|協会」「栃木県コンビニ
# エンスストア|防犯連絡協議会」「甲子園|防犯協会」「西大津駅|周辺防犯推進協議会」; rounds 18, 21 and 22).
_ASSOCIATION = re.compile(r"(?:周辺)?(?:防犯|安全|連絡|推進)*(?:協会|連合会|協議会)")
# Words after a kind word that make it a trade (「ホール企業・善都」「ホテル業界」) or an association: no place is named.
_TRADE_AFTER = re.compile(r"(?:企業|業界|業者|業態|経営|運営会社|チェーン|(?<=センター)街)|" + _ASSOCIATION.pattern)  # (round 71)
# What may follow a firm's name glued in kanji: its staff and its sites (「熊本交通社長」「西建工業本社」, round 81: 「…営業所所長」).
_FIRM_TAIL = re.compile(r"(?:社長|会長|専務|常務|取締役|社員|従業員|運転手|乗務員|職員|記者|編集部|編集局|支局|本社|支社|支店|営業所"
                        r"|工場|倉庫|株式会社|有限会社|代表|傘下|グループ|等|提供|協賛|寄贈|主催|共催|後援|所長|支店長|店長)")
# A section of an office named after what it runs (「公園管理課長」「公園緑地課」「駅周辺整備係」; round 111: 「警備2課長」).
_SECTION_AFTER = re.compile(r"[一-龥0-9０-９]{0,5}?(?:課|係)(?:長)?(?![一-龥])")
_SECTION_KINDS = {"公園", "学校", "駅", "橋", "港", "住宅", "団地", "霊園", "墓地", "市場", "交通", "建設", "警備"}
# One-character kinds of round 6 that end a shop's or temple's own name (「松月堂」「大黒屋」「西方院」).
_HOUSE_KINDS = {"堂", "亭", "庵", "屋", "院"}


def find_facilities(text: str, tokens, owner, lex: Lexicon, chains: list[tuple]) -> list[tuple]:
    """Every named facility in ``text``: a name before a kind word (「山下小学校」) or after one (「ハイツ武岡」).

    ``chains`` are the candidates of ``find_chains``: a chain in a name makes it a proper one.
    """
    out = []
    chain_spans = [(c[0], c[1]) for c in chains]
    for m in lex.suffix_re.finditer(text):
        if m.group() == "園" and text.startswith("児", m.end()):
            continue  # 「幼稚園|園児」: the pupils of a kindergarten, no second kind word (round 26)
        found = _suffix_candidate(text, m, tokens, owner, lex, chain_spans)
        if found:
            out.append(found)
    out += town_branches(text, tokens, owner, lex)
    for m in lex.prefix_re.finditer(text):
        found = prefix_candidate(text, m, tokens, owner, lex)
        if found:
            out.append(found)
    out = [part for c in out for part in _unglued(text, c)]
    out += coordinated_names(text, tokens, owner, lex, out + list(chains))
    out += find_employers(text, tokens, owner, lex)
    out += names_after_kind(text, tokens, owner, lex)
    if "支店" in text or "支所" in text:
        out += _shared_branches(text, lex)
    if PRIEST_AFTER.search(text):
        out += _temples_before_priests(text, lex)
    if "の" in text and ("銀行" in text or "信用" in text):  # (every text is linted: most name no bank)
        out += [(*m.span(), "facility", "金融機関") for m in _NO_BANK.finditer(text)
                if not exempt(text, m.start(), m.end(), lex, "金融機関")]
    return [piece for c in out for part in head_before_office(text, tokens, owner, c, lex)
            for piece in head_after_firm(text, part, lex)]


# Round 18: a bank named with の between two kanji (「杜の都信用金庫」), which no token walk reads as one name; the
# first kanji starts a word and is no place's or body's (「鹿児島の信用金庫」「県の地方銀行」 are any bank of there).
_NO_BANK = re.compile(r"(?<![一-龥々ぁ-ゖァ-ヺーA-Za-z0-9])(?![県市町村区国都府道各他同当本])[一-龥]の"
                      r"(?!地方|都市|地元|大手|市中|民間|外資|各|他|同|最寄)[一-龥]{1,2}(?:信用金庫|信用組合|銀行)")


# Round 13: a bank's branches listed with 「・」 that share one 支店 (「大分銀行日岡・津留・萩原支店」), and a JA named
# in hiragana before its branch (「JAあきた北田代支店」): one office, one span (never the last branch alone).
_SHARED_BRANCH = re.compile(r"(?:[一-龥々ァ-ヺーA-Za-z]{1,10}?(?:銀行|信用金庫|信金|信用組合|労働金庫|農協)"
                            r"(?:[一-龥々ァ-ヺー]{1,6}(?<!店)・)+[一-龥々ァ-ヺー]{1,6}?|JA[ぁ-ゖ]{2,6}[一-龥々]{1,5}?)(?:支店|支所)")


def _shared_branches(text: str, lex: Lexicon) -> list[tuple]:
    """The offices of ``_SHARED_BRANCH`` that nobody claims to be from (「JAあきた北支店の職員を名乗る」)."""
    return [(m.start(), m.end(), "facility", "金融機関") for m in _SHARED_BRANCH.finditer(text)
            if not exempt(text, m.start(), m.end(), lex, "金融機関")]


# Round 11: two names glued with no mark between (「東山小学校東山中学校が近接」「日本郵便株式会社南浜郵便局の」):
# a school's kind word, or a firm's legal form, inside a found name ends the first name.
_GLUE_END = re.compile(r"(?:小学校|中学校|高等学校|高校|幼稚園|保育園|株式会社|有限会社)(?=[一-龥々ァ-ヺ]{2,}(?:小学校|中学校|高等学校"
                       r"|高校|幼稚園|保育園|郵便局|支店|営業所)$)")


# Round 12: one office that is two branches (「さくら信用金庫本町支店兼北口支店」): each branch is a name.
_JOINT_BRANCH = re.compile(r"(?:支店|出張所|営業所|店)兼(?=[一-龥々ァ-ヺー]{1,8}(?:支店|出張所|営業所|店)$)")


def _unglued(text: str, c: tuple) -> list[tuple]:
    s, e = c[0], c[1]
    joint = _JOINT_BRANCH.search(text, s, e)
    if joint is not None:
        return [(s, joint.end() - 1, c[2], c[3]), (joint.end(), e, c[2], c[3])]
    m = _GLUE_END.search(text[s:e])
    if m is None or m.start() < 2 and not (m.start() == 0 and m.group().endswith("会社")) or text[s + m.end()] in WHICH_ONE:
        return [c]
    cut = s + m.end()
    return [(s, cut, c[2], "事業所" if text[s:cut].endswith("会社") else c[3]), (cut, e, c[2], c[3])]


def trade_goes_on(text: str, start: int, end: int, lex: Lexicon) -> bool:
    """Whether text[start:end] ends in a firm's trade word that a kanji word goes on from (「大崎交通指導隊」
    「熊本交通事故」): the trade is part of a longer word, and names no firm."""
    m = next((k for k in lex.suffix_re.finditer(text, start, end) if k.end() == end), None)
    return m is not None and lex.suffixes[m.group()].suggestion == "事業所" and end < len(text) \
        and script_of(text[end]) == "kanji" and not _FIRM_TAIL.match(text, end) \
        and not any(text.startswith(w, end) for w in _LOCATION_TAILS)


# A school right before an opening bracket (「市立深芝小学校(」).
_HEAD_IN_BRACKETS = re.compile(r"(?:学校|小|中|高)[(（]$")


def station_town(text: str, e: int) -> bool:
    """Whether the 駅 ending at ``e`` starts a town, district or post office named after the station (「牛網駅|前1丁目」
    「松本駅|前地区」「池袋駅|前郵便局」): an address, an area or another place, no station."""
    return text[e - 1:e] == "駅" and _STATION_TOWN.match(text, e) is not None


def kind_ends_word(text: str, s: int, word: str) -> bool:
    """Whether the kind's ``word`` at ``s`` ends another word with the character before it (「博多臨港」「音の架け橋」)."""
    return s > 0 and text[s - 1] in _WORD_BEFORE_KIND.get(word, "")


def _temples_before_priests(text: str, lex: Lexicon) -> list[tuple]:
    """Temples named before their priest (「光明院住職」「密蔵院住職」), which SudachiPy may read as a family name."""
    return [(*m.span(), "facility", "寺院") for m in _TEMPLE_BEFORE_PRIEST.finditer(text)
            if not exempt(text, m.start(), m.end(), lex, "寺院")]


def _office_of_ward(text: str, first, s: int, kind) -> bool:
    """Whether the place token ``first`` ends with the kind's first character, its municipality's (「さいたま市南区」
    before 「役所」): the ward's office, not a town SudachiPy knows whole."""
    return kind.word in _WARD_OFFICES and first.end == s + 1 and text[s] == kind.word[0]


def _name_follows(text: str, e: int, tokens, owner) -> bool:
    """Whether a person's name starts right at ``e`` (「東海支社|中井克紀支社長」): the kind word ends there."""
    return e < len(text) and tokens[owner[e]].begin == e and tokens[owner[e]].person


def _numbered_bridge(text: str, tokens, k: int, kind, e: int) -> bool:
    """「十|沢橋付近」「三|高橋の上」: a family name that ends in 橋 after a glued kanji numeral is a bridge's
    name (a person's name takes no numeral before it)."""
    return kind.word == "橋" and k > 0 and tokens[k - 1].end == tokens[k].begin and tokens[k - 1].pos[1] == "数詞" \
        and script_of(tokens[k - 1].surface) == "kanji" and not _PERSON_AFTER.match(text, e)


def _suffix_candidate(text, m, tokens, owner, lex: Lexicon, chain_spans):
    kind = lex.suffixes[m.group()]
    s, e = m.span()
    last = tokens[owner[e - 1]]
    tail = text[e:last.end]
    if tail and tail not in _LOCATION_TAILS and not _READING_TAIL.fullmatch(tail) \
            and not (last.begin > s and any(text.startswith(w, e) for w in _STRADDLING_TAILS)) \
            and not (last.begin >= s and text.startswith(("東口", "西口", "南口", "北口"), e)) and not _SIDE.match(text, e) \
            and not (tail == "長" and (len(kind.word) >= 3 or kind.word == "駅") and kind.word[-1] + "長" in lex.titles) \
            and not (kind.suggestion in _STAFFED_KINDS and _BANK_STAFF.fullmatch(tail)) \
            or (tail == "生" and not names_pupils_school(text, kind, s, tokens, owner)):
        return None  # 「店員」「駅伝」「宮崎」「住宅街」: another word (but 「小学|校正|門前」 is 小学校 and 正門前,
        # 「山下小学|校長」 the school and its head, and 「鯖江|駅長」 the station and its master, round 34; 「新柏|駅東|口」
        # the station and its east exit, round 44)
    if is_katakana(kind.word[-1]) and e < len(text) and is_katakana(text[e]) and text[e] not in "・ー" \
            and tokens[owner[e]].begin == e and tokens[owner[e]].pos[1] == "普通名詞" and not tokens[owner[e]].oov:
        return None  # 「スクールガード」: a katakana kind that a katakana word goes on from (round 18)
    if kind.word == "コープ" and s > 0 and text[s - 1] == "ス":
        return None  # 「ドアスコープ」「テレスコープ」: a scope, no co-operative
    if trade_goes_on(text, s, e, lex) and not _name_follows(text, e, tokens, owner):
        return None  # 「熊本交通事故」「鹿児島建設業」: the kind's word starts a longer one (not 「東海支社中井克紀支社長」)
    if kind.word in _SECTION_KINDS and _SECTION_AFTER.match(text, e):
        return None  # 「公園管理課長」「学校教育課」: the kind's word starts the name of an office's section
    if _TRADE_AFTER.match(text, e) and not (kind.suggestion == "学校" and _ASSOCIATION.match(text, e)):
        return None  # 「ホール企業」「ホテル業界」「スーパー経営」: the kind names a trade, not one place (a school's own
        # council names it: 「殿田小学校安全協議会」, round 42)
    if kind_ends_word(text, s, kind.word):
        return None  # 「博多臨港」「登降園時」「浜松中央署交通1課」「音の架け橋」: the kind's word ends another word
    if kind.word == "学校" and text.startswith("安全", e) and text[s - 1:s] in ("県", "都", "府", "道", "市", "町", "村", "域"):
        return None  # 「鳥取県学校安全」「地域学校安全指導員」: the safety of a region's schools, none named (round 85)
    if kind.word == "神社" and text.startswith("庁", e):
        return None  # 「栃木県神社庁」: the shrines' administration of a prefecture (round 22)
    if kind.word == "駅" and station_town(text, e):
        return None  # 「東松島市牛網駅前1丁目」: a town named after its station (round 18)
    if kind.suggestion in ("橋", "寺院", "神社") and (text.startswith(("川", "川沿い", "川の"), e)
                                                    and not text.startswith("川口", e) or text.startswith("電車", e)):
        return None  # 「京橋川」「常願寺川」「法勝寺電車」: a river or a railway named after a bridge or temple (21, 34, 113)
    if kind.word == "建設" and _BUILT_BEFORE.search(text, max(0, s - 4), s):
        return None  # 「新室戸警察署建設」「ビジネスホテル建設」: a building's construction, no builder (round 34)
    if text.startswith(("長会", "交差点"), e) or (kind.word.endswith("地") and text.startswith("区", e)) \
            or _BODY_AFTER_NAME.match(text, e) or (kind.word == "団地" and _RESIDENTS_AFTER.match(text, e)):
        return None  # 「郵便局長会」: the heads' association; 「三養基|地区」: 地区; 「…センター(公益財団法人…)」: a body (round 27);
        # 「観音寺交差点」: a crossing named after it; 「栄町団地親交会」: the estate's residents' body (round 30)
    if course_held(text, s, kind.suggestion):
        return None  # 「高齢者交通安全大学校」「高齢者大学」: a course held for the elderly, no school (round 81; 「…交通安全塾」, 86)
    if kind.word == "教室" and _SAFETY_CLASS.search(text, max(0, s - 10), s):
        return None  # 「姪北校区防犯スポーツ教室」: a class on safety held somewhere, no school of its own (round 88)
    if kind.suggestion == "学校" and re.search(r"(?:校区|学区|地区)$", text[max(0, s - 3):s]):
        return None  # 「上滝校区学校安全パトロール隊」: the schools of a district, none named (round 27)
    if (kind.word in ("校", "学校") and text.startswith("区", e)) or (kind.word == "校" and text.startswith("下", e)):
        return None  # 「西紫原校区」「大崎学校区」「下関校下」: a district (「稲成小学校区」 still names the school)
    if owner[s] > 0 and tokens[owner[s]].begin == s and tokens[owner[s] - 1].surface in ("字", "大字", "小字") \
            and len(kind.word) < 3:  # (round 101: 「古里字公民館」 is the 字's hall)
        return None  # 「朽原字宮下」「大字寺前」「字城山」: an 字 of an address that starts with the kind's character
    first_index = owner[s]
    first = tokens[first_index]
    if first.begin < s and ((first.person and first.end >= e and not _numbered_bridge(text, tokens, first_index, kind, e))
                            or (first.pos[2] == "地名" and not _office_of_ward(text, first, s, kind)
                                and (MUNICIPAL.search(text, first.begin, s)
                                     or municipality_prefix(text[first.begin:s], lex)[0]))):
        return None  # 「高橋」「小寺」 are names; 「松山市畑寺」「港区新橋」 are towns SudachiPy knows whole
    if first.begin < s and first.end >= e and first.pos[2] == "地名" and is_municipality_name(first.surface, lex) \
            and not _PRECINCT.match(text, e):
        return None  # 「宮城」「茨城」「国分寺」「善通寺」: a prefecture or a town, not a castle or temple
    if kind.word == "温泉" and ((first.begin < s and first.end == e and first.pos[2] == "地名") or (
            first.begin == s and first_index > 0 and tokens[first_index - 1].surface in lex.municipality_stems
            and text[tokens[first_index - 1].begin - 1:tokens[first_index - 1].begin] not in ("「", "『"))):
        return None  # 「城崎温泉」「飯坂温泉」「那須温泉」: a spa town, no bathhouse (rounds 59, 67; not 「「天童温泉」」)
    if first.begin < s and first.end >= e and (first.pos[2] == "地名" or first.proper) and _AREA_AFTER.match(text, e):
        return None  # 「山城地区連絡会」「西高宮校区」「筒城地区」: a region's name before 地区, no castle or shrine
    if kind.word in ("港", "屋", "園") and first.begin < s and first.end == e and first.pos[2] in ("地名", "人名") \
            and town_anywhere(first.surface) and not (first_index > 0 and tokens[first_index - 1].end == first.begin
                                                      and tokens[first_index - 1].pos[0] == "名詞"):
        return None  # 「牧港での不審者」: one word that is a town's name, ending in 港 (round 27), 屋 or 園 (「加里屋の」「祇園祭」, 105)
    branch_end = quoted_branch_end(text, s, e, tokens, owner) or katakana_branch_end(text, s, e, tokens, owner)
    if branch_end is None and town_goes_on(text, e, tokens, owner) \
            and not (kind.suggestion in _STAFFED_KINDS and _BANK_STAFF.match(text, e)):
        return None  # (but 「十八親和銀行員」 is one of that bank's staff: the bank is named)
    if kind.word.startswith(("消費", "総合", "運転")) and kind.word in lex.public_centres \
            and _OWN_CENTRE.search(text, max(0, s - 3), s) and not exempt(text, s - 1, e, lex, kind.suggestion) \
            and not any(text[j:s] in lex.municipalities for j in range(max(0, s - 6), s - 1)):  # (106: not 「つがる市|…」)
        return (s - 1, e, "facility", kind.suggestion)  # 「県消費生活センター」「県総合運動公園」 (106), 「県運転免許センター」 (108)
    kind_start = s
    parts: list[tuple[Token, int, int]] = []  # (token, start, end) of the name, last first
    if first.begin < s and kind.word in _HOUSE_KINDS and not first.proper:
        return None  # 「本堂」「庄屋」「入院」: a word of its own that ends in the kind's character
    if first.begin < s and first.end == e and first.pos[1] == "普通名詞" and first.pos[2] == "サ変可能" and not first.oov:
        return None  # 「下校」「休館」「開店」: an action that ends in the kind's character, no place (round 37)
    if any(e >= len(w) and text.startswith(w, e - len(w)) for w in _AREA_WORDS):
        return None  # 「桜ヶ丘ニュータウン」: a district, not a mall
    if first.begin < s:
        if text[first.begin:s] in _NAME_WORDS and first.surface not in lex.generic:
            parts.append((first, first.begin, s))  # 「中央病院」 is one dictionary word and a name
        elif text[first.begin:s] in WHICH_ONE:
            kind_start = first.begin  # 「元|中学校教諭」, which SudachiPy reads 元中|学校: a former school's teacher
        elif first.end < e and first.pos[0] == "名詞" and text[first.begin:s] not in lex.generic \
                and text[first.begin:s] not in lex.stops:
            # 「高|砂中|学校」「大手|門中|学校」: a token that runs into the kind but ends inside it holds the
            # name's last characters, not the kind
            parts.append((first, first.begin, s))
        elif (first.pos[1] == "普通名詞" and not first.oov) or first.surface in lex.generic \
                or text[first.begin:s] in lex.generic or first.surface in lex.prefixes:
            # 「飲食店」「県立高校」「大学病院」「道の駅」: the whole word is the kind; so is a common word and the
            # kind that SudachiPy reads as one proper noun (「物流センター」), and a token that is a kind word of its
            # own, which SudachiPy may not know (「放課後等|デイサービス」: デイ names nothing)
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
        # 「益田|翔|陽|高等学校」: one kanji glued after a name's token is the school name's too (round 83)
        glued = kind.suggestion == "学校" and not parts and len(tokens[k].surface) == 1 and tokens[k].pos[0] == "名詞" \
            and k > 0 and tokens[k - 1].end == tokens[k].begin and tokens[k - 1].pos[2] == "人名"
        if not stop_name and not kana_name and not glued and not name_like(tokens, k, lex):
            break
        parts.append((tokens[k], tokens[k].begin, tokens[k].end))
        k -= 1
    if parts and k > 0 and tokens[k].surface == "が" and tokens[k].end == parts[-1][1] \
            and PLACE_GA.match(text, tokens[k].begin) and tokens[k - 1].end == tokens[k].begin \
            and town_anywhere(text[tokens[k - 1].begin:tokens[k].end + 1]):
        parts += [(t, t.begin, t.end) for t in (tokens[k], tokens[k - 1])]  # 「八木|が|谷北|中学校」: a town's が (round 122)
    if not parts and kind.suggestion == "学校":
        town = cho_town_ending_at(text, kind_start)
        if town is not None and not exempt(text, town, e, lex, kind.suggestion):
            return (town, e, "facility", kind.suggestion)  # 「上|八万|小学校」: named after 上八万町 (round 63)
    if not parts or not any(is_bearing(t, text[a:b], lex) or script_of(t.surface[0]) != "hiragana"
                            for t, a, b in parts):
        start = hiragana_name_start(text, tokens, owner, kind_start, lex)  # (round 73: 「かぜの|こ|保育園」)
        if start is None or exempt(text, start, e, lex, kind.suggestion):
            return None
        end = katakana_branch_end(text, s, e, tokens, owner) or e  # (round 68: 「いきいきプラザ|柏」)
        return (start, end, "facility", kind.suggestion)  # 「やました小学校」, which SudachiPy reads やま|し|た
    run_start = parts[-1][1]
    if kind.word == "校" and text.startswith("長", e) and _HEAD_IN_BRACKETS.search(text, 0, run_start):
        return None  # 「深芝小学校(横山英幹|校長、…)」: the school's head, named in brackets after it (round 65)
    if kind.word[1:] == "庁" and text[run_start:kind_start] + kind.word[0] in PREFECTURE_NAMES:
        return (run_start, e, "facility", kind.suggestion)  # 「鹿児島県庁」: its town is no strip (round 126)
    name_start = strip_municipality(text, run_start, kind_start, tokens, owner)
    if text[name_start] == "現" and tokens[owner[name_start]].pos[0] == "接頭辞" \
            and tokens[owner[name_start]].end == name_start + 1 and name_start + 1 < kind_start:
        name_start += 1  # 「(現周南公立大)」: 現 says which of its names, no part of it (round 38)
    parts = [p for p in parts if p[2] > name_start]
    if (name_start >= kind_start or not parts) and run_start < name_start and kind.word in lex.public_centres \
            and not exempt(text, run_start, e, lex, kind.suggestion):
        return (run_start, e, "facility", kind.suggestion)  # 「西之表市消費生活センター」: the town's one centre
    if name_start >= kind_start or not parts:
        return None
    bearing = [p for p in parts if is_bearing(p[0], text[max(p[1], name_start):p[2]], lex)]
    if not bearing and kind.suggestion in _NAMED_AFTER_TOWNS:
        # 「指宿市鰻の鰻小学校」: a school or a park named after its town, whatever else the town's name means
        bearing = [p for p in parts if gazetteer_town(text[max(p[1], name_start):p[2]])]
    if not bearing:
        # 「菱刈前目中学校」「菱刈前目病院」: named after a town SudachiPy cuts so that no piece is one (菱刈|前|目);
        # of three characters or more for kinds not named after towns as often as not (「中央病院」 names none)
        town = town_ending_at(text, kind_start, 2 if kind.suggestion in _NAMED_AFTER_TOWNS else 3)
        if town is not None and town < name_start:
            name_start = town
            parts = bearing = [(tokens[owner[town]], town, kind_start)]
    if not bearing and kind.suggestion == "学校" and owned_one_kanji(text, parts[0][0], kind_start):
        name_start, bearing = parts[0][1], parts[:1]  # 「市立|明|小学校」: a one-kanji name (round 80)
    if not bearing and kanji_read_apart(parts, kind.suggestion == "学校", lex):
        bearing = parts  # 「②緑|中学校」「開|新|高校」: kanji SudachiPy reads as pieces of no word
    if not bearing and len(parts) == 1 and parts[0][0].surface in _KANA_NAME_ENDS and parts[0][1] == name_start:
        kana = hiragana_name_start(text, tokens, owner, name_start, lex)
        if kana is not None:  # 「あゆみ|野|駅」: a hiragana name and one kanji of a place, read as a verb (round 78)
            name_start, bearing = kana, parts
    if not bearing:
        return None
    # (a name SudachiPy cuts into single kanji is no common word: 「亀|岳|郵便局員」, round 42)
    cut_up = len(parts) >= 2 and all(len(t.surface) == 1 for t, _, _ in parts)
    if kind.suggestion in _STAFFED_KINDS and _BANK_STAFF.match(text, e) \
            and (not (cut_up or any(t.proper or t.oov or _KANA.fullmatch(t.surface) for t, _, _ in parts))
                 or claimed(text, name_start, _BANK_STAFF.match(text, e).end(), lex)):
        return None  # 「地方銀行員」: the staff of any bank; 「〇〇銀行員を名乗る」: claimed
    if kind.word == "グループ" and (re.fullmatch(r"[A-Za-z0-9]+", text[name_start:kind_start])  # 「LINEグループ」: a chat
                                   or _CRIME_BEFORE.search(text, name_start, kind_start)  # 「…犯罪グループ」 (round 42)
                                   or all(t.pos[2] == "地名" and not is_katakana(t.surface[0]) for t, _, _ in parts)):
        return None  # a chat group, a gang, the members of a place (「高野山グループ」, round 53; 「ヤマトグループ」 is a firm)
    if (name_start > 0 and text[name_start - 1] == "各") or text[kind_start - 1:kind_start] in ("各", "等", "両") \
            or text.startswith("各", kind_start) or (text[kind_start - 1:kind_start] == "全" and (
                kind_start < 2 or text[kind_start - 2] in " \u3000、都道府県市区町村内")):  # (44: 「…等|小中学校6校」; 122: 「市内全」)
        return None  # 「各ふれあいセンター」「東急線各駅」: every centre or station of that kind or line, none named (round
        # 89: 「板野、板野南両専売所」, both of those just named; round 93: 「金沢市 全小中学校」, all of the city's)
    if text[name_start:kind_start] in lex.suffixes and lex.suffixes[text[name_start:kind_start]].needs_proper == 0 \
            and (kind.word == "店" or not (kind.needs_proper or can_be_surname(text[name_start:kind_start]))):
        return None  # 「薬局店」「小学校体育館」: a kind only, none named (「パーク店」「プラザ店」 are a chain's branches)
    if (_IN_CITY.fullmatch(text, name_start, kind_start) and _only_city(text[name_start:kind_start - 1], lex)) \
            or _SAME_CITY_IN.fullmatch(text, name_start, kind_start):
        return None  # 「習志野市内郵便局」「同市内小学校」: those in that city, none named
    if _SAME_OFFICE.match(text, name_start):
        return None  # 「同署東庁舎」: a part of the office the text already named
    body = _BODY_BEFORE_KIND.search(text, max(0, kind_start - 8), kind_start)
    if (body and (body.group() != "防犯" or kind.word == "ステーション")) or _BODY_AFTER.match(text, e) \
            or TRADE_BODY.match(text, e):
        return None  # 「古井町内会事務所」「…自主防犯ステーション」「…ストア等防犯対策協議会」: a body, not a place
    if kind.word == "営業部" and not FINANCIAL.search(text, run_start, kind_start):
        return None  # 「山形銀行山形南営業部」 is a branch; a company's 営業部 is a department
    if kind.needs_proper and not has_proper(text, parts, bearing, name_start, kind_start, chain_spans,
                                              strict=kind.needs_proper >= 2, lex=lex) \
            and not bank_branch(text, kind.word, parts, name_start, lex) \
            and not (kind.suggestion == "事業所" and (coined(parts, name_start, kind_start) or _HONOURED.match(text, e))) \
            and not (kind.suggestion == "寺院" and PRIEST_AFTER.match(text, e)) \
            and not (kind.suggestion in _ROAD_AREAS and town_anywhere(text[name_start:kind_start])) \
            and not (cut_up and kind.needs_proper == 1 and _CUT_UP_NAME.fullmatch(text, name_start, kind_start)) \
            and not (kind.word == "庁舎" and HALL_BRANCH.fullmatch(text, name_start, kind_start)):
        return None  # (「花輪サービスエリア」 is named after its town; round 69: 「子鹿酒造さん」, a firm honoured, is one;
        # round 88: 「賀|露|港」「南|樽|市場」, cut into single kanji, are no common word; round 94: 「市役所下地庁舎」)
    if kind.suggestion in _AFTER_TOWN_KINDS and only_address(parts, lex) \
            and not text.endswith(text[name_start:kind_start] + "の", 0, name_start):  # 「知覧町郡の知覧町郡広場」 names it
        if kind.word in lex.public_centres and not exempt(text, name_start, e, lex, kind.suggestion):
            return (name_start, e, "facility", kind.suggestion)  # 「丸亀市総合運動公園」: the city's one (round 38)
        return None  # 「松山市馬木町公園内」「新居浜市船木一般住宅」: a park or a house in that town
    if kind.suggestion == "学校" and (_SCHOOL_LEVELS.fullmatch(text, name_start, kind_start)
                                     or _only_city(text[name_start:kind_start], lex)):
        return None  # 「小・中学校」「鎌ケ谷市小中学校」: the schools of a level or of a city, none named
    if kind.word in ("店", "事業所", "店舗", "園", "校") and _DESIGNATION.search(text, name_start, kind_start):
        return None  # 「特殊詐欺被害防止推進店」「子ども110番協力店」「交通安全モデル園」 (79): a title the police give
    if _PSEUDONYM.fullmatch(text[name_start:kind_start]):
        return None  # 「A銀行」「〇〇小学校」: a name already withheld
    if kind.suggestion == "教室" and all(not t.oov and t.pos[1] == "普通名詞" and is_katakana(t.surface[0])
                                        for t, _, _ in bearing):
        return None  # 「セーフティー教室」「ダンススクール」: what is taught, not whose class
    if _EXIT_OF_STATION.match(text, name_start):
        return None  # 「東口駅前広場」: the plaza at an exit of the station the text names (round 81)
    if text[name_start:kind_start] in _PARTS_OF_A_SITE and kind.word in ("キャンパス", "棟", "館", "口", "ホール", "広場"):
        return None  # 「西キャンパス」「東館」: a part of the place the text already names
    if kind.word in _HOUSE_KINDS and member_district(text, name_start, e):
        return None  # 「…佐藤花子(寺前堂)」: in a list of members, the district a member comes from
    if len(kind.word) == 1 and kind.word not in "駅店局" and _PERSON_AFTER.match(text, e):
        return None  # 「須原城容疑者」「高橋さん」: a name that ends in a kind's character (「小倉駅さん」 is one, round 62)
    if run_start > 0 and tokens[owner[run_start - 1]].surface in DEMONSTRATIVES \
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
    if (text.startswith(("区", "市", "町", "村", "郡"), e) and kind.word in ("港", "館", "城")) \
            or (kind.word == "城" and castle_named_town(text, e)):
        return None  # 「東京都港区」: the kind word starts a municipality's name; 「大村町高之城」: a town's 字
    if text.startswith("商店街", e) and kind.suggestion in ("寺院", "神社"):
        return None  # 「弘明寺商店街」「高宮商店街」: named after the temple or shrine, as its town is (round 98)
    run = name_start
    while run > 0 and "ぁ" <= text[run - 1] <= "ゖ":
        run -= 1
    if run < name_start and "ぁ" <= text[name_start] <= "ゖ" and (run == 0 or text[run - 1] in " \u3000「『(（【"):
        name_start = run  # 「ささ|かみ支店」: a hiragana name SudachiPy reads as an interjection and a word (round 82)
    if exempt(text, name_start, e, lex, kind.suggestion):
        return None
    if text.startswith("地区", e) and municipality_prefix(text[name_start:e], lex)[0]:
        return None  # 「栗原市築館地区」: a municipality and its district, named as an area
    if kind.word == "消防署" and text.startswith("長", e) and tokens[owner[name_start]].begin == name_start \
            and not text.startswith("・", name_start - 1) \
            and tokens[owner[name_start]].end == kind_start and tokens[owner[name_start]].pos[3] == "姓":
        return None  # 「…、長谷部消防署長」: a person named by the title (「山田一郎・長谷部消防署長」 is the station)
    while name_start >= 2 and text[name_start - 1] in "ッヶケ" and script_of(text[name_start - 2]) == "kanji":
        name_start -= 2  # 「三ッ境センター」: a town's kanji before ッ or ヶ are the name's too (round 18)
    suggestion = kind.suggestion
    if kind.word in ("店", "支店", "営業所") and FINANCIAL.search(text, name_start, kind_start):
        suggestion = "金融機関"
    return (name_start, branch_end or e, "facility", suggestion)


# What a construction builds, right before 建設 (「警察署建設」「ホテル建設」).
_BUILT_BEFORE = re.compile(r"(?:署|庁舎|校舎|施設|ホテル|住宅|店舗|工場|病院|道路|橋|センター|会館|駅)$")
# Service and parking areas: named after the town they stand in, which SudachiPy may read as a common word.
_ROAD_AREAS = {"サービスエリア", "パーキングエリア"}
# What a shop is designated as (「…防止推進店」「…協力店」「…モデル店」「ATM設置店」): a title, not the shop's own name.
_DESIGNATION = re.compile(r"(?:推進|協力|モデル|協賛|加盟|認定|指定|登録|重点|優良|優秀|防止|対策|宣言|マイスター|設置|取扱|功労)$")
# School levels before a school's kind word: 「小中学校」「小・中学校」「中高一貫校」 (「幼少中学校」, round 53) name a level.
_SCHOOL_LEVELS = re.compile(r"(?:幼少?|小|中|高)(?:[・･、]?(?:小|中|高))*[・･、]?")
_PSEUDONYM = re.compile(r"[A-Za-zＡ-Ｚａ-ｚ]|[〇○◯●×＊*]+")
# One kanji of a place that may end a hiragana name (「あゆみ野」「みどり台」「ひばり丘」, round 78).
_KANA_NAME_ENDS = set("野台丘原里谷森浜沢")
# Directions and ordinals that name a part of a site (「西キャンパス」「本館」「東口」; 「中ホール」 76, 「中央広場」 77), not the site.
# The character before a kind's word that makes the two another word: 臨港, "by the port", names a district or its
# police station (「博多臨港」, round 84); 登園 and 降園 are going to and leaving a kindergarten (「登降園時」, round 86);
# a station's 交通 is its traffic section (「浜松中央署交通1課」, round 87); a 架け橋 links people (「音の架け橋」, round 90).
_WORD_BEFORE_KIND = {"港": "臨", "園": "登降祇", "交通": "署", "橋": "け"}  # (round 114: 祇園, a festival, 「日田祇園」)
_SAFETY_CLASS = re.compile(r"(?:防犯|安全|詐欺|護身)[ァ-ヺー]{0,6}$")
# Kanji SudachiPy reads one by one, no numeral nor a municipality's unit (「賀露」, not 「市町郡」「問 市」「一班」; round 88).
_CUT_UP_NAME = re.compile(r"[^\s都道府県市区町村郡一二三四五六七八九十百千]{2,4}")
_EXIT_OF_STATION = re.compile(r"[東西南北]口駅")
_PARTS_OF_A_SITE = {"東", "西", "南", "北", "中", "中央", "本", "新", "旧", "第一", "第二", "第三", "第1", "第2", "第3"}
# What after a one-character kind makes it the end of a person's name (「須原城容疑者」).
_PERSON_AFTER = re.compile(r"容疑者|被告|受刑者|被疑者|さん|氏(?![名子])|様|君|くん|ちゃん|巡査|警部"
                           r"|(?:署|課|部|局|会|社)長|議員|先生|選手")  # (round 79: 「石|橋局長」, the unused twin merged)
# 「同区」「同市」: the municipality the text named before.
_SAME_PLACE = re.compile(r"同[区市町村]")
# What makes a town's name the temple or castle of that name: 「国分寺の境内」.
_PRECINCT = re.compile(r"の?(?:境内|本堂|山門|参道|住職|天守|本丸|城跡|城址)")
# Kinds named after their town as often as not: the town's name makes a name of them, even a common word (「鰻」).
_NAMED_AFTER_TOWNS = {"学校", "保育施設", "公園"}
_RUN_BY = re.compile(r"[^\s、。]{0,8}?(?:[市区町村県都府道国公私]立|市町村立)")  # (「広島市公立学校」「県内私立」)
# Kinds an export writes right after the town for "a … in that town" (「松山市馬木町公園内」).
_AFTER_TOWN_KINDS = {"公園", "広場", "集合住宅", "店舗", "建物"}

# 県 or 市 alone before a consumer centre (「※県消費生活センター(電話…)」「市消費生活センターにあります」): the text's
# own prefecture's or city's centre, one building; not after a kanji (「各市」「市町村」) nor 「最寄りの」.
_OWN_CENTRE = re.compile(r"(?:^|(?<=[^一-龥々ァ-ヺー]))[県市]$")
# A neighbourhood body's office and a volunteer patrol's base (「古井町内会事務所」「岸町地域自主防犯ステーション」), and
# the kind word of the members a body is made of (「…コンビニエンスストア等防犯対策協議会」): a body, no place.
_BODY_BEFORE_KIND = re.compile(r"(?:町内会|自治会|町会|区会|防犯協会|防犯連合会|防犯協議会|防犯)$")  # (「島根県防犯連合会事務所」)
_BODY_AFTER = re.compile(r"(?:等|など)[一-龥]{0,10}?(?:協議会|連絡会|連合会|協会|組合|連盟|部会)")
_HONOURED = re.compile(r"さん|様")
# A bank's or post office's staff glued to its name (「十八親和銀行員」「みなと信用金庫職員」「吉津郵便局員」): the bank
# or post office is still named.
_BANK_STAFF = re.compile(r"(?:行員|局員|員|職員)(?![一-龥])")
_STATION_TOWN = re.compile(r"前(?:[0-9]+|[一二三四五六七八九十]+)丁目|前(?:地区|地域|エリア|商店街)|前郵便局")  # (83: 商店街)
_CRIME_BEFORE = re.compile(r"(?:犯罪|詐欺|強盗|窃盗|盗|暴力|密売|売春)$")
_STAFFED_KINDS = {"金融機関", "郵便局", "公共施設"}  # (round 18: 「南区役所職員3人」 names the ward office)
# Round 18: a temple's priest after its name (「密蔵院住職」): a temple, even when its name reads as a common word.
_TEMPLE_BEFORE_PRIEST = re.compile(rf"(?<![一-龥々])[一-龥々]{{1,5}}(?:院|寺|庵|坊)(?={PRIEST_AFTER.pattern})")
# Round 18: the offices of a municipality that SudachiPy reads with the municipality's last character
# (「さいたま市南区|役所」「…市|役所」): the kind starts at that character.
_WARD_OFFICES = {"区役所", "市役所", "町役場", "村役場"}


# 「習志野市内」 before a kind; 「同署」「当社」 before a part of it (the office named before).
_IN_CITY = re.compile(r".{2,8}[市区町村県]内")
_SAME_CITY_IN = re.compile(r"(?:同|当|本)?[市区町村県]内")
_AREA_AFTER = re.compile(r"地区|地域|エリア|管内|一帯|校区|学区")
# The residents' bodies of a housing estate, glued after its name (「栄町団地親交会」「日出団地老人クラブ」).
_RESIDENTS_AFTER = re.compile(r"(?:自治会|町内会|親交会|老人クラブ|子ども会|子供会|管理組合)")
# A body's legal form in brackets after its name (「…支援センター(公益財団法人佐賀県防犯協会)」): a body runs it.
_BODY_AFTER_NAME = re.compile(r"[(（](?:(?:公益|一般)(?:社団|財団)法人|NPO法人|特定非営利活動法人)")
_SAME_OFFICE = re.compile(r"(?:同|当|本)[署店社局校院館所]")
_NAMED_BRANCH = re.compile(r"[一-龥々ヶ]{2,10}(?:支店|支社|営業所|工場|支所)")


def unnamed_place(text: str, start: int, end: int, lex: Lexicon) -> bool:
    """Whether text[start:end] names no one place: 「同署東庁舎」 (a part of the office named before) or
    「習志野市内郵便局」 (those of a city): the learned detector's spans are held to the rules' exemptions."""
    if _SAME_OFFICE.match(text, start, end):
        return not _NAMED_BRANCH.fullmatch(text, start + 2, end)  # (「同社三重主管支店」 names the firm's branch)
    if _ASSOCIATION.match(text, end) or text.startswith("庁", end):
        return True  # 「東京都信用金庫|協会」: the trade's association (round 21); 「栃木県神社|庁」: an agency (round 22)
    inside = text.find("内", start, end)
    return inside > start and _only_city(text[start:inside], lex)


def _only_city(name: str, lex: Lexicon) -> bool:
    """Whether ``name`` is only a prefecture, a city or a ward (「鎌ケ谷市」): schools are named after a town or
    written 〇〇市立, never 〇〇市小学校 (but 「大和町小学校」 is a school of that 町)."""
    return bool(name) and name[-1] in "市区県都府" and municipality_prefix(name, lex)[0] == len(name)
