"""Facility findings without a kind word: short school names, a bare town hall, named shopping places.

- **school short names**: 〇〇小 / 〇〇中 / 〇〇高 / 〇〇大 right after a name
  (「宇宿小の児童」「平川小付近」「鶴丸高の生徒」「甲南中1年」), and the short names of
  ``dictionaries/school_abbreviations.csv`` that no rule sees (「鹿大」「鹿実」「樟南」).
  The name is a proper noun, an unknown word or (for 小 and 高) a kanji common word
  of two characters or more, and what follows is a particle, a number or a word
  of place or pupils (付近, 前, 校区, 児童, 生徒…): 「授業中」「日本中」「世界中」
  「円高」「最大」 are no schools. The short name may carry its pupils (「応神中生」「北島中学生」
  「東北大生」: after a proper noun or an unknown word only, so 「女子高生」「市内中学生」 are
  anyone), an ordinal (「大泉第一小」「大泉|第|二|小」) or a faculty (「徳島大工学部」).
- **a bare town hall**: 市役所, 町役場, 役場, 県庁 with no name before it, written as a
  place (「市役所の駐車場」「役場前」); a claimed one (「市役所の職員を名乗る」) is no
  finding. With a name before it (「鹿児島市役所」) ``facilities`` finds it.
- **small shops**: a shop-type word (``shop_prefixes.txt``: スナック, 居酒屋, 小料理, 喫茶, 麺処…)
  followed by the shop's own name: a name in 「」, Latin letters, katakana words that are no
  shop words (「喫茶ポプラ」, not 「スナックママ」), a proper noun (「スナック花子」), or a short
  hiragana name (「居酒屋はなまるで」「スナックきくの」) that is no particle, verb or function word
  (「居酒屋などで」「カフェあり」 are no names).
- **a name in 「」 after a business kind** (「うどん専門店「まる八」」「建設会社「南日本工業」」
  「スーパーマーケットの「マルエツ」」): the quoted name is the facility.
- **named places**: a katakana name and a place name written together
  (「ゆめタウン隼人」「マリンポートかごしま」), and an unknown katakana word before
  the parts of a building (「ボルベリアダリアの駐車場」). Named places of the
  prefecture that no rule can see are in ``landmarks.csv`` (read with the chains).

``find_landmarks`` returns candidates ``(start, end, "facility", suggestion)`` on the normalised text.
"""

from __future__ import annotations

import re

from anshin_lab.places import address
from anshin_lab.privacy.lint.facilities import claimed, covered_by_town, strip_municipality
from anshin_lab.privacy.lint.lexicon import CATEGORY_SUGGESTIONS, Lexicon
from anshin_lab.privacy.lint.tokens import Token, hiragana_name_end, is_katakana, script_of

__all__ = ["find_landmarks"]

_SHORT_KINDS = {"小": "学校", "中": "学校", "高": "学校", "大": "大学"}
# What may follow a school's short name: its pupils, its grounds, or where something was.
_SCHOOL_AFTER = {"付近", "周辺", "前", "近く", "裏", "横", "隣", "側", "校区", "校区内", "校門", "正門", "裏門", "生",
                 "児童", "生徒", "学生", "女子", "男子", "女児", "男児", "通学路", "体育館", "グラウンド", "運動場",
                 "校舎", "敷地", "敷地内", "方面", "入口", "前交差点", "OB", "出身", "在学", "年", "年生",
                 # a school's or university's offices and staff (「千葉大広報室」「鹿大学生課」「鹿大病院」)
                 "広報", "広報室", "広報課", "学生課", "学生部", "学生支援課", "学務課", "教務課", "附属", "付属", "附属病院",
                 "病院", "教授", "准教授", "教員", "職員", "構内", "キャンパス", "関係者", "副学長", "学長", "校長"}
# Kanji common words that take 高 or 小 after them as another word (「物価高」「売上高」).
_NOT_SCHOOL_STEMS = {"物価", "売上", "売り上げ", "生産", "収穫", "漁獲", "水揚げ", "円", "株", "規模", "背", "声"}
_OFFICE = re.compile(r"市役所|区役所|町役場|村役場|役場|県庁|市庁舎")
_OFFICE_PLACE = re.compile(r"の?(?:前|駐車場|駐輪場|敷地|敷地内|周辺|付近|近く|入口|出入口|玄関|トイレ|ロビー|庁舎|構内"
                           r"|裏|横|隣|[東西南北]側|内|別館|本館)")
# The parts of a building after an unknown name: 「〇〇の駐車場」.
_BUILDING_PARTS = re.compile(r"の(?:駐車場|駐輪場|店内|館内|敷地|敷地内|屋上|トイレ|入口|出入口|売り場|売場|フードコート"
                             r"|エレベーター|エスカレーター|立体駐車場)")
# After a katakana name and a place name: a name's end (a particle, a mark, a place word), not
# 「鹿児島方面」 or 「鹿児島行き」.
_NOT_NAME_END = re.compile(r"方面|方向|行き|向け|発|経由|間|出身|産|県|市|町|村|郡")


def find_landmarks(text: str, tokens: list[Token], owner, lex: Lexicon) -> list[tuple]:
    """Every school short name, bare town hall and named place of ``text``."""
    out = []
    out += _short_school_names(text, tokens, owner, lex)
    out += _abbreviations(text, tokens, owner, lex)
    out += _bare_offices(text, lex)
    out += _katakana_places(text, tokens, owner, lex)
    out += _shop_names(text, tokens, owner, lex)
    out += _quoted_businesses(text, lex)
    return out


_QUOTED_BUSINESS = re.compile(
    r"(?:店|専門店|会社|業者|企業|工場|レストラン|食堂|ホテル|旅館|商業施設|ショッピングセンター|スーパー|スーパーマーケット"
    r"|モール|パブ|バー|キャバクラ|ラウンジ|チェーン|ファミレス|居酒屋|クラブ|事務所|医院|クリニック"
    # round 4: the other kinds written before a quoted name (「コンビニ「マルイチ」」「学童保育「あっとほーむ」」)
    r"|コンビニ|コンビニエンスストア|ドラッグストア|薬局|ディスカウントストア|ホームセンター|施設|学童保育|学童保育所"
    r"|保育所|保育園|幼稚園|こども園|児童館|学習塾|塾|予備校|教室|病院|整骨院|接骨院|老人ホーム|民宿|ゲームセンター"
    r"|ネットカフェ|漫画喫茶|銭湯|温泉|マンション|アパート|寮|団地|ジム)の?"
    r"[「『](?P<name>[^」』「『。、!?!?\n]{1,20})[」』]")


def _quoted_businesses(text: str, lex: Lexicon) -> list[tuple]:
    """「うどん専門店「まる八」」「建設会社「南日本工業」」: a business's own name in quotes after its kind."""
    out = []
    generic = {k.suggestion for k in lex.suffixes.values()} | {k.suggestion for k in lex.prefixes.values()} \
        | set(CATEGORY_SUGGESTIONS.values())
    for m in _QUOTED_BUSINESS.finditer(text):
        s, e = m.span("name")
        if m.group("name") in generic or m.group("name") in lex.generic:
            continue  # 「マンション「集合住宅」」: a name the lint already withheld
        if not claimed(text, s, e + 1, lex) and not claimed(text, m.start(), e + 1, lex):
            out.append((s, e, "facility", "店舗"))
    return out


# Katakana words after a shop-type word that are no shop's name: its staff, its kind, its parts.
_SHOP_WORDS = {"ママ", "マスター", "チェーン", "スタッフ", "オーナー", "ホステス", "キャスト", "ガール", "ボーイ", "レディ",
               "カウンター", "コーナー", "スペース", "ボックス", "フロア", "テナント", "グループ", "メニュー", "タイム",
               "ビル", "スタイル", "バー", "パブ", "スナック", "ラウンジ", "カフェ", "サロン", "クラブ", "ランチ",
               "チェーン店", "フランチャイズ", "オープン", "イベント", "ブーム", "トイレ", "レジ", "ドア", "シャッター"}
_LATIN_NAME = re.compile(r"[A-Za-z][A-Za-z0-9&'.]*(?: [A-Za-z][A-Za-z0-9&'.]*){0,3}")


def _shop_names(text: str, tokens: list[Token], owner, lex: Lexicon) -> list[tuple]:
    """「スナックきく」「居酒屋はなまる」「喫茶ポプラ」: a shop-type word and the shop's own name."""
    out = []
    for m in lex.shop_prefix_re.finditer(text):
        s, e = m.span()
        if e >= len(text) or tokens[owner[s]].begin != s or tokens[owner[e - 1]].end != e:
            continue  # inside a longer word: 「バーベキュー」「ガールズバー」's 「バー」
        end = _shop_name_end(text, tokens, owner, e, lex)
        if end is not None and not claimed(text, s, end, lex):
            out.append((s, end, "facility", "店舗"))
    return out


def _shop_name_end(text: str, tokens: list[Token], owner, e: int, lex: Lexicon) -> int | None:
    """Where the shop name that starts at ``e`` (right after its shop-type word) ends, or None."""
    if text[e] in "「『":
        close = text.find("」" if text[e] == "「" else "』", e + 1, e + 24)
        return close + 1 if close > e + 1 else None
    latin = _LATIN_NAME.match(text, e)
    if latin:
        return latin.end()
    k = owner[e]
    end = e
    while k < len(tokens) and tokens[k].begin == end and k - owner[e] < 3 and _KANA_WORD.fullmatch(tokens[k].surface) \
            and all(is_katakana(ch) for ch in tokens[k].surface):
        if tokens[k].surface in _SHOP_WORDS or tokens[k].surface in lex.generic or tokens[k].surface in lex.stops:
            return None
        end = tokens[k].end
        k += 1
    if end > e:
        return end if len(text[e:end]) >= 2 else None
    t = tokens[k]
    if t.pos[1] == "固有名詞" and t.pos[2] != "地名" and script_of(t.surface[0]) == "kanji":
        return t.end  # 「スナック花子」
    return hiragana_name_end(text, e)


# A school's pupils written with its short name (「応神中生」「北島中学生」「東北大生」): the short name is
# the school. Only after a proper noun or an unknown word (「女子高生」「市内中学生」 are anyone).
_PUPILS = {"中生": "中", "小生": "小", "高生": "高", "大生": "大", "中学生": "中", "小学生": "小", "高校生": "高",
           "大学生": "大"}
# 〇〇大 and a faculty (「徳島大工学部」, which SudachiPy may cut 徳島|大工|学部).
_FACULTY = re.compile(r"大(?:学)?[一-龥]{1,5}?(?:学部|学科|研究科)")
_ORDINAL_PART = re.compile(r"第?[0-9一二三四五六七八九十]+")


def _short_kind(text: str, tokens: list[Token], k: int) -> tuple[str, int] | None:
    """The short kind (小, 中, 高, 大) token ``k`` writes after a school's name and where it ends, or None."""
    t = tokens[k]
    if t.surface in _SHORT_KINDS:
        return (t.surface, t.end) if _school_end(tokens, k) or _FACULTY.match(text, t.begin) else None
    if t.surface in _PUPILS:
        short = _PUPILS[t.surface]
        return short, t.begin + (len(t.surface) - 1 if len(t.surface) == 3 else 1)
    if t.surface[0] == "大" and _FACULTY.match(text, t.begin):
        return "大", t.begin + 1
    return None


def _short_school_names(text: str, tokens: list[Token], owner, lex: Lexicon) -> list[tuple]:
    out = []
    for k in range(1, len(tokens)):
        t = tokens[k]
        found = _short_kind(text, tokens, k) if tokens[k - 1].end == t.begin else None
        if found is None:
            continue
        short, end = found
        kind = _SHORT_KINDS[short]
        s = k - 1
        # 「大泉|第|二|小」「大泉|第一|小」: an ordinal between the name and the short kind; the stem is before it.
        o = k - 1
        while o >= 1 and k - o <= 2 and tokens[o].end == tokens[o + 1].begin \
                and (tokens[o].surface == "第" or _ORDINAL_PART.fullmatch(tokens[o].surface)):
            o -= 1
        if o < k - 1 and text[tokens[o + 1].begin] == "第" and tokens[o].end == tokens[o + 1].begin:
            s = o
        stem = tokens[s]
        prev = tokens[s - 1] if s >= 1 and tokens[s - 1].end == stem.begin else None
        pupils = t.surface in _PUPILS
        if not _school_stem(stem, "中" if pupils else short, lex, prev) \
                or (pupils and short == "小" and stem.person):
            continue  # 「女子高生」; 「山田小生」 is a humble signature
        start = stem.begin
        j = s - 1
        # 「西|紫原|中」「上|伊集院|小」: a direction or another name glued before the stem.
        while j >= 0 and tokens[j].end == start and s - j <= 2 and (
                tokens[j].pos[1] == "固有名詞" or (len(tokens[j].surface) == 1 and tokens[j].surface in "東西南北上下")):
            start = tokens[j].begin
            j -= 1
        start = strip_municipality(text, start, stem.end, tokens, owner)
        if start >= stem.end or covered_by_town(text, start, t.begin, end, tokens, owner):
            continue
        if _gazetteer_town(text[start:end]):
            continue
        out.append((start, end, "facility", kind))
    return out


def _school_stem(stem: Token, short: str, lex: Lexicon, prev: Token | None = None) -> bool:
    surface = stem.surface
    if stem.pos[0] != "名詞" or stem.pos[1] in ("数詞", "代名詞") or stem.pos[3] == "国":
        return False
    if short == "大" and prev is not None and prev.pos[1] == "固有名詞" and prev.pos[2] != "人名" \
            and stem.pos[1] == "普通名詞" and stem.pos[2] == "一般" and len(surface) >= 2 \
            and all(script_of(ch) == "kanji" for ch in surface) and surface not in _NOT_SCHOOL_STEMS:
        return True  # 「東北|福祉|大」「鹿児島|県立|大」: a place name and a common word make a university's short name
    if surface in lex.generic or surface in lex.stops or surface in lex.not_names or surface in _NOT_SCHOOL_STEMS:
        return False
    if lex.chain_re.fullmatch(surface):
        return False
    if stem.pos[1] == "固有名詞" or stem.oov:
        return not (short == "大" and stem.person and stem.pos[3] == "名")  # 「田中大」 is a given name
    # 「鶴丸高」: a kanji common word as a name, for 小 and 高 only (「授業中」「世界中」「部屋中」 are no schools).
    return short in ("小", "高") and stem.pos[2] == "一般" and len(surface) >= 2 \
        and all(script_of(ch) == "kanji" for ch in surface)


def _school_end(tokens: list[Token], k: int) -> bool:
    """Whether the short kind at token ``k`` ends the word: what follows is a particle, a mark, a number,
    the end, or a word of the school's pupils or grounds."""
    if k + 1 >= len(tokens):
        return True
    nxt = tokens[k + 1]
    if nxt.begin != tokens[k].end:
        return True
    if nxt.pos[0] in ("助詞", "補助記号", "空白", "助動詞") or nxt.pos[1] == "数詞":
        return True
    return nxt.surface in _SCHOOL_AFTER


def _gazetteer_town(name: str) -> bool:
    return address.fold(name) in address.gazetteer().everywhere


def _abbreviations(text: str, tokens: list[Token], owner, lex: Lexicon) -> list[tuple]:
    out = []
    for m in lex.abbreviation_re.finditer(text):
        s, e = m.span()
        if tokens[owner[s]].begin != s:
            continue  # inside a longer word
        if e < len(text) and tokens[owner[e]].begin != e:
            continue  # 「東大阪」
        end_token = owner[e - 1]
        if not _school_end(tokens, end_token) and not (e < len(text) and script_of(text[e]) != "kanji"):
            continue
        if claimed(text, s, e, lex):
            continue  # 「鹿大の教授を名乗る」
        out.append((s, e, "facility", lex.abbreviations[m.group()]))
    return out


def _bare_offices(text: str, lex: Lexicon) -> list[tuple]:
    """「市役所の駐車場」「役場前」: the one town hall of the place, written without its name."""
    out = []
    for m in _OFFICE.finditer(text):
        s, e = m.span()
        if s > 0 and (script_of(text[s - 1]) == "kanji" or is_katakana(text[s - 1])):
            continue  # a name before it: facilities finds 「鹿児島市役所」
        if not _OFFICE_PLACE.match(text, e) or claimed(text, s, e, lex):
            continue
        out.append((s, e, "facility", "公共施設"))
    return out


def _katakana_places(text: str, tokens: list[Token], owner, lex: Lexicon) -> list[tuple]:
    out = []
    for k, t in enumerate(tokens):
        if not _katakana_name(t, lex):
            continue
        start = t.begin
        j = k - 1
        while j >= 0 and tokens[j].end == start and _katakana_name(tokens[j], lex) and k - j < 3:
            start = tokens[j].begin
            j -= 1
        if j >= 0 and tokens[j].end == start and (is_katakana(tokens[j].surface[-1]) or tokens[j].proper):
            continue  # the katakana run starts inside a longer name
        name_end = t.end
        # 「ゆめタウン隼人」「マリンポートかごしま」: a place name right after the katakana name.
        place_end = _place_after(text, tokens, k + 1, lex)
        if place_end and name_end - start >= 3 and not _NOT_NAME_END.match(text, place_end) \
                and not (place_end < len(text) and script_of(text[place_end]) == "kanji"
                         and tokens[owner[place_end]].begin != place_end):
            out.append((start, place_end, "facility", "施設"))
            continue
        # 「ボルベリアダリアの駐車場」: an unknown katakana word before the parts of a building.
        # 「アイランドワールドの駐車場」: several katakana words that are together no word SudachiPy knows.
        if (t.oov and start == t.begin and len(t.surface) >= 4
            or start < t.begin and name_end - start >= 6 and text[start:name_end] not in lex.generic) \
                and _BUILDING_PARTS.match(text, name_end) and not claimed(text, start, name_end, lex):
            out.append((start, name_end, "facility", "施設"))
    return out


_KANA_WORD = re.compile(r"[ぁ-ゖァ-ヺー・]*[ァ-ヺ][ぁ-ゖァ-ヺー・]*")


def _katakana_name(t: Token, lex: Lexicon) -> bool:
    surface = t.surface
    if not _KANA_WORD.fullmatch(surface):
        return False
    if t.person or surface in lex.generic or surface in lex.stops or surface in lex.not_names:
        return False
    return not lex.brand_after.fullmatch("の" + surface)


def _place_after(text: str, tokens: list[Token], k: int, lex: Lexicon) -> int | None:
    """Where a place name glued at token ``k`` ends (a place-name token or a hiragana place reading)."""
    if k >= len(tokens) or tokens[k].begin != tokens[k - 1].end:
        return None
    t = tokens[k]
    if t.pos[1] == "固有名詞" and t.pos[2] == "地名" and not re.search(r"[市町村郡県区]$", t.surface):
        return t.end
    for reading in lex.place_readings:
        if text.startswith(reading, t.begin):
            end = t.begin + len(reading)
            if end >= len(text) or not ("ぁ" <= text[end] <= "ゖ") or text[end] in "のでにへをがはと":
                return end
    return None
