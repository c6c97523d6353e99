"""Which words make a facility's name: the tests on the tokens before (or after) a kind word.

A run of tokens before 小学校 or 店 is a name only when its words say which place it is: a proper noun,
an unknown word, a kana name, an ordinal, a coined firm's name, a bank's branch… and not a generic
modifier, a demonstrative, a quantity or a word that says what the place is like. ``facilities`` walks
the tokens and asks these questions of each word and of the whole run; ``prefix_kinds`` asks them of
the name after a kind written first.
"""

from __future__ import annotations

import re

from anshin_lab.places import address
from anshin_lab.privacy.lint.lexicon import Lexicon
from anshin_lab.privacy.lint.tokens import (Token, can_be_surname, hiragana_name_end, is_katakana, kana_of, script_of,
                                            tokenize)
from anshin_lab.privacy.lint.towns import town_anywhere

__all__ = ["AREA_SCHOOLS", "DEMONSTRATIVES", "FINANCIAL", "GENERIC_PREFIXES", "HALL_BRANCH", "OWNERS", "TRADE_BODY",
           "WHICH_ONE", "bank_branch", "coined", "course_held", "event_in_town", "has_proper", "hiragana_name_start",
           "is_bearing", "kanji_read_apart", "kind_before_its_name", "name_like", "names_pupils_school", "no_name_in",
           "owned_one_kanji", "refers_back", "trade_body"]

# A trade's association right after a kind word (「那須温泉旅館協同組合」「県旅館ホテル生活衛生同業組合」): the kind names
# the trade, no place (round 67).
TRADE_BODY = re.compile(r"(?:生活衛生)?(?:協同|同業|商業|工業)組合")
# One character before a kind that says which one, never a name: 「元|中学校教諭」「同病院」「各公民館」.
WHICH_ONE = frozenset("元前旧現同各新全本当某他別両諸")  # (round 33: 「諸中学校のPTA」, the various schools)

# Banks and the like: a branch named after its bank, and a shop of one suggested as 金融機関.
FINANCIAL = re.compile(r"銀行|信用金庫|信金|信用組合|労働金庫|農協|JA|ゆうちょ")
_PUBLIC_HOUSING = {"県営", "市営", "町営", "村営", "公営"}
_ORDINAL = re.compile(r"第[0-9一二三四五六七八九十]+")
_KANJI_NUMERAL = re.compile(r"[一二三四五六七八九十百千]+")
# Counters after a kanji numeral that make a quantity, not a name (「三丁目」「二階」「五人」); other kanji
# make a name with it (「二葉公園」「八幡橋」).
_COUNTERS = set("丁番号階人件回日時分秒年歳才個台本枚匹頭軒棟戸名度月週倍割円冊点羽杯足着軒局区")
# One-kanji prefixes that name no facility (「新中学校」「旧小学校」「各小学校」).
GENERIC_PREFIXES = set("新旧元前現各全同本当某他別両諸非無不未超大小高低第約計総")
DEMONSTRATIVES = {"同", "当", "本", "某", "各", "他", "別", "両", "全", "該当", "当該"}
_U_ROW = set("うくすつぬふむゆるぐずづぶぷ")
_CASE_PARTICLES = {"の", "と", "や", "に", "で", "へ", "を", "が", "は", "も", "か", "な", "から", "まで", "より"}
_LATIN = re.compile(r"[A-Za-z][A-Za-z0-9&.' -]*")
_WHOLE_MUNICIPALITY = re.compile(r"[一-龥々ヶケ]{1,6}[都道府県市区町村]")
# Proper nouns that make no company of a katakana suffix: 「日本ホーム」 is a country, not a firm's name
# (a claimed one, 「NTTファイナンスをかたる」, is exempt anyway).
_NOT_COMPANY_WORDS = {"日本", "国際", "全国", "地域", "海外", "国内", "警察", "行政"}
# How far before a branch the text may name its bank (「紀陽銀行本部営業統括部の…、屋形(やかた)支店窓口係の」).
_BANK_REACH = 60
# One-kanji suffixes that make an ordinary word, not a coined name (「市|内」「県|外」「業界|別」「国|産」).
_FUNCTION_SUFFIXES = set("内外中間別的用製産系式型等際前後上下毎各店町村市区県都府道者人員長性化方側向級風流")
# Round 13: words before a kind that say whom the place is for or what it is, never which one (「ちびっこ広場」
# 「ドーム広場」「放課後等デイサービス」): a run of only these names nothing. (place_generic.txt is read by the
# person rules too, so these few live here.)
KIND_GENERIC = frozenset({"ちびっこ", "ちびっ子", "キッズ", "ドーム", "放課後", "放課後等"})


def name_like(tokens: list[Token], k: int, lex: Lexicon, backward: bool = True) -> bool:
    t = tokens[k]
    surface = t.surface
    if surface in DEMONSTRATIVES and backward:
        # 「同店」「当該マンション」 name nothing, but inside a name they are letters (「母間大当小学校」,
        # 「別|府中学校」 where the kind cut 「別府中」).
        return k > 0 and tokens[k - 1].end == t.begin and tokens[k - 1].pos[0] in ("名詞", "接尾辞") \
            and tokens[k - 1].pos[1] not in ("数詞", "代名詞") \
            or (k + 1 < len(tokens) and tokens[k + 1].begin == t.end and tokens[k + 1].pos[1] == "固有名詞")
    if (surface in lex.stops or surface in lex.titles) and not (
            backward and 0 < k < len(tokens) - 1 and tokens[k + 1].surface.startswith("記念") and tokens[k - 1].person):
        return False  # but 「渡辺翁|記念会館」 is named after the man and his title (round 72)
    if _ORDINAL.fullmatch(surface):
        return True  # 「第一」 is read as an adverb too
    p0, p1, p2 = t.pos[0], t.pos[1], t.pos[2]
    if p0 not in ("名詞", "接頭辞", "接尾辞", "補助記号", "空白") and all(script_of(ch) == "kanji" for ch in surface):
        return True  # a kanji word read as an adjective or adverb is still a noun in a name (「菱刈前目」)
    if p0 == "形容詞" and k + 1 < len(tokens) and tokens[k + 1].surface == "さ" and tokens[k + 1].begin == t.end:
        return True  # 「わか|さ公園」: an adjective's stem and さ make a noun, in a name too (round 53)
    if p0 == "名詞":
        if p1 == "数詞":
            return backward and (k > 0 and tokens[k - 1].surface == "第" or _numeral_name(tokens, k)
                                 or _numeral_place(tokens, k, lex) or _numbered_post_office(tokens, k))
        if p2 == "副詞可能" and len(surface) == 1 and backward and k + 1 < len(tokens) \
                and tokens[k + 1].begin == t.end and tokens[k + 1].pos[1] == "固有名詞":
            return True  # 「下|大川内」「上|伊集院」: a one-kanji direction before a place name
        if p1 == "代名詞" or p2 == "副詞可能":
            return False
        if p2 == "助数詞可能" and k > 0 and tokens[k - 1].pos[1] == "数詞":
            return _numeral_name(tokens, k - 1) or _numeral_place(tokens, k - 1, lex)  # 「三|階」 a floor, 「二|葉」 a name
        return True
    if p0 == "接頭辞":
        return True
    if p0 == "接尾辞":
        return p1 == "名詞的" and p2 != "助数詞"
    if surface in "・･" and 0 < k < len(tokens) - 1:
        return is_katakana(tokens[k - 1].surface[-1]) and is_katakana(tokens[k + 1].surface[0])
    return False


def kanji_read_apart(parts: list[tuple], school: bool, lex: Lexicon) -> bool:
    """Whether a name no part of which bears a name is one anyway because SudachiPy read its kanji as pieces of no word:
    a one-kanji prefix after a number (「②緑|中学校」), or two single kanji, one a verb, before a school's kind
    (「開|新|高校」, round 72); a generic prefix never is (「新|高校」「各|小学校」)."""
    pieces = [t for t, _, _ in parts]  # last first
    name = "".join(t.surface for t in reversed(pieces))
    if pieces[-1].surface in GENERIC_PREFIXES or name in lex.generic or any(script_of(ch) != "kanji" for ch in name):
        return False
    if len(pieces) == 1:
        return pieces[0].pos[0] == "接頭辞"
    return school and len(pieces) == 2 and all(len(t.surface) == 1 for t in pieces) \
        and any(t.pos[0] == "動詞" for t in pieces)


# Who owns a public place, written before its name (「県立とべ動物園」「市立あおば小学校」).
OWNERS = frozenset(("県立", "市立", "町立", "村立", "区立", "都立", "府立", "道立", "国立", "私立", "公立"))


# One-kanji prefixes that say which of many, no school's name (「市立全小学校」「県立各高校」「市立新中学校」).
_WHICH_PREFIXES = frozenset("全各同本当他両諸某非無未不再新旧元前現計約第")


def owned_one_kanji(text: str, token: Token, kind_start: int) -> bool:
    """Whether ``token``, right before the kind, is one kanji SudachiPy reads as a prefix after a school's owner
    (「市立|明|小学校」): the school's one-kanji name (round 80)."""
    return token.end == kind_start and token.pos[0] == "接頭辞" and len(token.surface) == 1 \
        and script_of(token.surface) == "kanji" and token.surface not in _WHICH_PREFIXES \
        and text[max(0, token.begin - 2):token.begin] in OWNERS


# A school or nursery that owns the place named after it (「本校わくわくホール」).
_OWN_SITE = frozenset(("本校", "同校", "当校", "本園", "同園", "当園", "校内", "園内"))
# Verbs in hiragana that stand after に as a turn of phrase, no name (「運動にあわせ喫茶店の…」, round 80).
_AFTER_NI = frozenset(("あわせ", "むけ", "かけ", "わたり", "ともない", "おい", "つき", "つい", "さいし", "よっ", "かわり"))


def hiragana_name_start(text: str, tokens: list[Token], owner, kind_start: int, lex: Lexicon) -> int | None:
    """Where a name in hiragana right before a kind word starts (「やました小学校」「すずらん幼稚園」), or None.

    The run starts a word (after a mark, a space, the start, or a particle it leaves out: 「町のやました」),
    starts with a noun or an unknown word and ends in no particle: 「ある公園」「きれいな公園」「近くの公園」
    「散歩した公園」 are no names.
    """
    start = kind_start
    while start > 0 and kana_of(text[start - 1]) == "hiragana" and kind_start - start < 12:
        start -= 1
    if kind_start - start < 2 or text[start:kind_start] in _ADVERB_DOUBLES:
        return None
    if text[max(0, start - 2):start] in OWNERS and text[start:kind_start] not in lex.generic:
        return start - 2  # 「県立とべ動物園」: only a name stands between an owner and a kind (round 48)
    head = _proper_head(text, tokens, owner, start, kind_start)
    if head is not None:
        return head
    if text[start:kind_start] == "ぞの" and start > 0 and tokens[owner[start - 1]].end == start \
            and tokens[owner[start - 1]].pos[0] == "名詞" and script_of(text[start - 1]) == "kanji":
        return tokens[owner[start - 1]].begin  # 「花|ぞ|の幼稚園」: 園 written ぞの after a kanji, no particle ぞ (round 89)
    if tokens[owner[start]].begin != start:
        return None
    whole = tokens[owner[start]:owner[kind_start - 1] + 1]
    if whole[-1].end == kind_start and _clause_start_name(text, whole, start, kind_start) \
            and not _generic_name(text[start:kind_start], lex):
        return start  # (round 84; round 87: also when it starts with a particle, 「 と|まちこども園 」)
    k = owner[start]
    while k < owner[kind_start - 1] and tokens[k].pos[0] == "助詞":
        k += 1  # 「町の|やました」: a particle before the name
    own = start > 0 and text[start - 1] in "県市町村" and (start == 1 or script_of(text[start - 2]) != "kanji")
    if k == owner[start] and start > 0 and script_of(text[start - 1]) in ("kanji", "katakana") and not own \
            and tokens[owner[start - 1]].surface not in _OWN_SITE:
        return None  # the hiragana end a word before them (「散歩した」), unless a town's own (「市いきいきプラザ」) or a
        # school's (「本校わくわくホール」, round 81)
    governed = k > owner[start] and tokens[k - 1].surface == "に"  # (round 80: 「…に|あわせ」)
    start = tokens[k].begin
    inside = tokens[k:owner[kind_start - 1] + 1]
    if kind_start - start < 2 or not inside or inside[-1].end != kind_start:
        return None
    if len(inside) == 1 and inside[0].pos[0] == "副詞" and len(inside[0].surface) == 4 \
            and inside[0].surface[:2] == inside[0].surface[2:]:
        return start - own  # 「いきいきプラザ」「のびのび幼稚園」: a doubled word SudachiPy reads as an adverb (round 68)
    # 「つくし保育所」「よつば塾」: a name SudachiPy reads as a verb (つくし, よつ|ば) is still one when it
    # ends in no form that modifies a noun (「ある公園」「あそべる公園」 end in u; 「いった公園」 has an auxiliary)
    verb_name = inside[0].pos[0] == "動詞" and text[kind_start - 1] not in _U_ROW and len(inside) <= 2 \
        and not any(t.pos[0] == "助動詞" for t in inside) \
        and (len(inside) == 1 or inside[-1].surface == "ば") \
        and inside[0].surface != "より" \
        and not (inside[0].pos[1] == "非自立可能" and inside[-1].surface == "ば") \
        and not (governed and inside[0].surface in _AFTER_NI)
    # (「して来店」「つけて」 are verbs, 「よつ|ば」 a name; 「に|より」 a particle; round 80: 「何か|あれ|ば」 a
    # condition, 「…に|あわせ」 a verb that a particle governs)
    # 「なが|た支店」: a verb's irrealis form before た, which never follows it, is a name misread (round 102)
    verb_name = verb_name or (len(inside) == 2 and inside[0].pos[0] == "動詞" and inside[0].pos[5].startswith("未然形")
                              and inside[1].pos[4] == "助動詞-タ")
    if not (inside[0].pos[0] == "名詞" or inside[0].oov or verb_name) \
            or (inside[-1].pos[0] == "助詞" and (inside[-1].surface in _CASE_PARTICLES or not verb_name)) \
            or any(t.pos[0] in ("形容詞", "形状詞", "連体詞") for t in inside) \
            or (len(inside) > 1 and inside[-1].pos[0] == "動詞" and text[kind_start - 1] in _U_ROW):
        return None  # 「かっこいいグランド」「ともにある学校」 (round 72): words that say what the place is like
    if len(inside) == 1 and inside[0].pos[2] == "副詞可能" and not inside[0].oov:
        return None  # 「おおむね小学校区ごと」「それぞれ下校」: a noun used as an adverb says how many, not which
    return None if _generic_name(text[start:kind_start], lex) else start


# Doubled adverbs that say when or how often, no mimetic word a place is named by (「いきいきプラザ」): 「たまたま事務所の
# 所在地の区長」 (round 101).
_ADVERB_DOUBLES = {"たまたま", "まだまだ", "ますます", "いよいよ", "またまた", "しばしば", "ときどき", "たびたび", "わざわざ",
                   "なかなか", "そろそろ", "もともと", "まずまず",
                   "とうとう", "どんどん", "だんだん", "つぎつぎ", "ちょくちょく"}  # (round 127: 「母親は、とうとう銀行の」)


def _generic_name(name: str, lex: Lexicon) -> bool:
    """Whether ``name`` before a kind is a generic word, no name (``place_generic``, ``not_names``, stop words)."""
    return name in lex.generic or name in lex.not_names or name in lex.stops or name in KIND_GENERIC


# Round 84: a school or nursery whose name in hiragana starts a clause, which SudachiPy cuts into a particle or an
# auxiliary (「、くり|のみ保育園の園児」「なば|り自動車学校は」, 「くりのみ」 being 栗の実).
_CLAUSE_MARKS = "、。「『(（ \u3000・\n"
_SCHOOLS_AND_NURSERIES = ("保育園", "保育所", "幼稚園", "こども園", "自動車学校", "小学校", "中学校")


def _clause_start_name(text: str, inside: list[Token], start: int, kind_start: int) -> bool:
    """Whether the hiragana ``inside`` (two or more words, three or more characters) start a clause before a school or
    nursery, end in no particle but のみ, no verb, auxiliary or adjective, and hold no pronoun, conjunction or word
    that says what the place is like (「どこの小学校」「そして幼稚園」「きれいな保育園」 are no names)."""
    last = inside[-1]
    return (start == 0 or text[start - 1] in _CLAUSE_MARKS) and kind_start - start >= 3 and len(inside) > 1 \
        and text.startswith(_SCHOOLS_AND_NURSERIES, kind_start) \
        and (last.pos[0] not in ("助詞", "助動詞", "動詞", "形容詞") or last.surface == "のみ") \
        and not any(t.pos[0] in ("形状詞", "連体詞", "接続詞", "代名詞") or t.pos[1] == "代名詞" for t in inside)


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
    if hiragana_name_end(text[:kind_start], start) != kind_start:
        return None  # (the kind's own kana stay out: 「聖籠はじめ|こども園」, round 79)
    return head.begin


def _numeral_name(tokens: list[Token], k: int) -> bool:
    """Whether token ``k``, a numeral in kanji, starts a name with the one kanji after it that is no counter
    (「二|葉」「八|幡」, not 「三|階」「五|人」)."""
    if k + 1 >= len(tokens) or not _KANJI_NUMERAL.fullmatch(tokens[k].surface):
        return False
    nxt = tokens[k + 1]
    if nxt.begin == tokens[k].end and nxt.pos[1] == "固有名詞" and script_of(nxt.surface) == "kanji":
        return True  # 「十|沢橋」: a numeral glued to a proper noun starts its name
    return nxt.begin == tokens[k].end and len(nxt.surface) == 1 and script_of(nxt.surface) == "kanji" \
        and nxt.surface not in _COUNTERS


def _numeral_place(tokens: list[Token], k: int, lex: Lexicon) -> bool:
    """Whether token ``k``, a kanji numeral, and the one kanji after it are a municipality's stem that reads as
    a quantity (「三|戸」 of 三戸町, 「八|戸」 of 八戸市): 「三戸消防署」 is named after its town."""
    if k + 1 >= len(tokens) or not _KANJI_NUMERAL.fullmatch(tokens[k].surface):
        return False
    nxt = tokens[k + 1]
    stem = tokens[k].surface + nxt.surface
    return nxt.begin == tokens[k].end and len(nxt.surface) == 1 \
        and any(stem + end in lex.municipalities for end in ("市", "町", "村"))


def _numbered_post_office(tokens: list[Token], k: int) -> bool:
    """Whether token ``k``, a kanji numeral, numbers a town's block in a post office's name (「旭町|五|郵便局」 of 旭町5丁目,
    round 67): a place glued before it, 郵便局 glued after."""
    return 0 < k < len(tokens) - 1 and _KANJI_NUMERAL.fullmatch(tokens[k].surface) is not None \
        and tokens[k - 1].pos[2] == "地名" and tokens[k - 1].end == tokens[k].begin \
        and tokens[k + 1].surface == "郵便局" and tokens[k + 1].begin == tokens[k].end


def is_bearing(t: Token, surface: str, lex: Lexicon) -> bool:
    """Whether a word of a name says which place it is (not 「県立」「児童」「2階建て」「DVD」)."""
    if surface == "第" or _ORDINAL.fullmatch(surface):
        return True  # an ordinal names one of several (「第一小学校」「第2中村ビル」)
    if surface in lex.generic or surface in KIND_GENERIC or t.pos[1] == "数詞" or t.pos[0] in ("接頭辞", "接尾辞"):
        return False
    if t.pos[1] == "普通名詞" and not t.oov and (surface.isascii() or surface.endswith(("学部", "学科"))):
        return False  # 「DVDレンタル店」「CD店」「医学部キャンパス」: a common word, no name
    return not all(ch in "・･-" for ch in surface)


def coined(parts, name_start: int, kind_start: int) -> bool:
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


def bank_branch(text: str, word: str, parts, name_start: int, lex: Lexicon) -> bool:
    """Whether a 支店 / 営業部 / 出張所 named with kanji common nouns (「屋形支店」) is a branch of a bank the
    text names shortly before: only kanji nouns that are no generic words (「同支店」「各支店」 name none)."""
    if word not in ("支店", "営業部", "出張所"):
        return False
    banks = list(FINANCIAL.finditer(text, max(0, name_start - _BANK_REACH), parts[0][1]))
    if not banks:
        return False
    # 「JA南部支店」「鹿児島銀行谷山支店」: the bank may open the name itself
    rest = [p for p in parts if p[1] >= banks[-1].end()] if banks[-1].start() >= name_start else parts
    return bool(rest) and all(t.pos[0] == "名詞" and script_of(t.surface) == "kanji" and t.surface not in lex.generic
                              and t.surface not in lex.stops for t, _, _ in rest)


# Round 94: a city hall's branch named after the town it served (「市役所下地庁舎」, 下地 a common word too), not its
# temporary one.
HALL_BRANCH = re.compile(r"(?:市役所|町役場|村役場)(?!仮設|臨時|第)[一-龥々ヶ]{2,4}")


def has_proper(text, parts, bearing, name_start, kind_start, chain_spans, strict: bool = False,
               lex: Lexicon | None = None) -> bool:
    """Whether a name is more than generic kanji words: a proper noun, a kana word that is no generic
    shop word (「みどり店」 but not 「ラーメン店」), a chain, a town, or public housing. ``strict``: only a
    proper noun, an unknown word or Latin letters count (「ヤマトサービス」, not 「ネットサービス」)."""
    if strict:
        # (a whole municipality is where, not whose: 「袋井市メール配信サービス」 is the city's service)
        return any((t.proper and t.pos[1] != "数詞" and not _WHOLE_MUNICIPALITY.fullmatch(t.surface))
                   or _LATIN.fullmatch(text[max(a, name_start):b])
                   for t, a, b in bearing) and not any(t.surface in _NOT_COMPANY_WORDS for t, _, _ in parts)
    if any((t.proper and t.pos[1] != "数詞") or all(kana_of(ch) for ch in text[max(a, name_start):b])
           for t, a, b in bearing):
        return True
    if any(t.surface in _PUBLIC_HOUSING and b < kind_start for t, _, b in parts):
        return True  # 「市営城南住宅」: the operator makes the rest a name (「災害公営住宅」 has none, round 60)
    if any(name_start <= a < kind_start for a, _ in chain_spans):
        return True
    stem = text[name_start:kind_start]
    if lex is not None and _KANJI_NUMERAL.match(stem) and any(stem + end in lex.municipalities for end in ("市", "町", "村")):
        return True  # 「三戸消防署」: the stem of a municipality that SudachiPy cuts into a numeral and a counter
    gaz = address.gazetteer()
    return any(address.fold(text[max(a, name_start):b]) in gaz.everywhere for _, a, b in bearing)


# Round 111: a rally held in a town and named so (「…総決起大会in牧園」): no place; a park or a hall there is one
# (「…大会in中央公園」: its kind word is longer than a character).
_EVENT_IN = re.compile(r"(?:大会|祭り?|まつり|フェスタ|フェア|集会)(?:in|IN)(?P<town>[^\s、。]{1,8})$")


# Round 115: a contest named after the high schools' tournament, quoted (「「鍵かけ甲子園」の表彰式」「「まんが甲子園」」):
# no stadium; whichever part a finder read (「甲子園」 alone, or all the quote) is the contest's.
_CONTEST = re.compile(r"[「『][^「『」』\s]{1,10}甲子園[」』]")


def event_in_town(text: str, start: int, end: int, lex: Lexicon) -> bool:
    """Whether text[start:end] is a rally or festival named after the town where it is held (``_EVENT_IN``), or a quoted
    contest named after the tournament (``_CONTEST``)."""
    if text.endswith("甲子園", start, end) and any(c.end() == end + 1 for c in _CONTEST.finditer(text, max(0, end - 14))):
        return True
    m = _EVENT_IN.search(text, start, end)
    return m is not None and town_anywhere(m["town"]) and not any(
        len(k.group()) > 1 and k.end() == m.end() for k in lex.suffix_re.finditer(text, m.start("town"), end))


# A course held for the elderly, named like a school (「高齢者交通安全大学校」「高齢者大学」; round 82: 「寿大学」「長寿大学」).
_COURSE_BEFORE = re.compile(r"(?:交通安全|高齢者|シルバー|寿|老人|熟年)$")


def course_held(text: str, kind_start: int, suggestion: str) -> bool:
    """Whether the school's kind word at ``kind_start`` names a course for the elderly, no school (round 81; round 111:
    also quoted, 「「高齢者交通安全大学校」が開校」)."""
    return suggestion in ("学校", "大学", "学習塾") \
        and _COURSE_BEFORE.search(text, max(0, kind_start - 4), kind_start) is not None


def no_name_in(text: str, start: int, end: int, tokens, lex: Lexicon) -> bool:
    """Whether text[start:end], a learned facility, is common words and a family name SudachiPy reads at its end, with
    no kind word: 「ごま塩|頭」 (塩頭 to SudachiPy) describes a man's hair. (A school's short name, 「金子|小」, ends in
    its kind's first character and stays.) Nor is a land and 中, "throughout" it, a school (「日本中で」, round 65)."""
    if _THROUGHOUT.search(text, start, end) or (text.endswith("小", start, end) and text.startswith("中企業", end)):
        return True  # (round 99: 「各種|小|中企業」, small and medium firms)
    inside = [t for t in tokens if t.begin < end and t.end > start]
    directions = [t.surface in _DIRECTIONS for t in inside]
    if any(directions) and all(d or t.pos[2] == "地名" for d, t in zip(directions, inside)):
        return True  # 「関東|北|中部で雨」: a region and its parts, no place of anyone's (round 95)
    if len(inside) < 2 or inside[-1].pos[2] != "人名" or script_of(inside[-1].surface[0]) != "kanji" \
            or lex.suffix_re.search(text, start, end) or lex.prefix_re.search(text, start, end):
        return False
    return all(not t.oov and t.pos[1] == "普通名詞" and script_of(t.surface[0]) != "katakana" for t in inside[:-1])


# The schools of an area, none named (「美濃地区高等学校」「東部地域大学連携」, round 130): no place to the rules or to
# the learned detector.
AREA_SCHOOLS = re.compile(r"(?:地区|地域)(?:小学校|中学校|高等学校|高校|大学|学校)$")
_DIRECTIONS = {"東", "西", "南", "北", "東部", "西部", "南部", "北部", "中部", "北東", "北西", "南東", "南西"}
_THROUGHOUT = re.compile(r"(?<![一-龥々])(?:日本|世界|全国|国|県|府|都|道|市|町|村|地域)中$")
# Words for people that take a school's pupils after them (「女性高校生」「女子大学生」): no school's name.
_PEOPLE_BEFORE_PUPILS = re.compile(r"(?:男|女|男性|女性|男子|女子|少年|少女|学生|新|元|現)$")


def names_pupils_school(text: str, kind, kind_start: int, tokens, owner) -> bool:
    """Whether the word right before a school's kind read with 生 (「福島|高専生」「鶴丸|高校生」, round 59) names the
    school: a proper noun, an unknown word or a word that is also a family name (「女性|高校生」「容疑 大学生」「株式会社
    寮生会」 name no school)."""
    if kind_start == 0 or kind.suggestion not in ("学校", "大学"):
        return False
    word = tokens[owner[kind_start - 1]]
    if word.end != kind_start or _PEOPLE_BEFORE_PUPILS.search(word.surface):
        return False
    return word.pos[1] == "固有名詞" or word.oov or can_be_surname(word.surface)


def refers_back(text: str, start: int, end: int, lex: Lexicon) -> bool:
    """Whether text[start:end] comes right after 同 or 当 and starts with a kind word or is a chain (「同空港国内線ターミナル
    ビル」「同ローソンは」): the place the text named before, which its first mention withholds (round 64); so is a
    part of the school named before (「同小体育館」, round 111)."""
    if _SAME_SCHOOL.match(text, start) and lex.suffix_re.match(text, start + 2) is not None:
        return True
    return start > 0 and text[start - 1] in "同当" and (lex.suffix_re.match(text, start) is not None
                                                        or lex.chain_re.fullmatch(text, start, end) is not None)


_SAME_SCHOOL = re.compile(r"[同当本](?:小|中|高|大)(?!学)")


# Round 108: a quoted name right after a kind phrase, closed within a name's length (「保健福祉センター「けやき」」).
_QUOTED_NAME = re.compile(r"[「『][^「『」』\n]{1,20}[」』]")


def kind_before_its_name(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is common words only (「保健福祉センター」「ブランド中古品買取店」) right before a quoted name
    (「「けやき」」「「ブランドオフ御経塚店」」): what kind of place the name is, which the name itself withholds (round 108)."""
    if not _QUOTED_NAME.match(text, end):
        return False
    words = tokenize(text[start:end])  # (not 「最上|広域交流センター」「日之出|公民館」: a town names them)
    return all((t.pos[1] == "普通名詞" or t.pos[0] == "接尾辞") and not t.oov
               and not (len(t.surface) > 1 and town_anywhere(t.surface)) for t in words)


def trade_body(text: str, start: int, end: int, lex: Lexicon) -> bool:
    """Whether text[start:end] ends in a trade's association after a kind word (「那須温泉旅館協同組合」), no place;
    「みやぎ生活協同組合」 (a co-operative's shops) ends in no kind word before 協同組合."""
    body = next((m for m in TRADE_BODY.finditer(text, start, end) if m.end() == end), None)
    return body is not None and any(text.endswith(kind, start, body.start()) for kind in lex.suffixes)
