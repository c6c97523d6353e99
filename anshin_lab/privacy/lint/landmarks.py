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

- Round 6 (shapes, not names): a school's short name before its staff, blog, PTA or a club (「横井小教諭」
  「南郷小ブログ」), in a compound kind (「島田工高」「〇〇医大」), with one kanji or a field of study between the
  town and the kind (「三島北高」「浜松工業高」), and a university named 〇〇 + field + 大 (「電気通信大」,
  ``university_fields.txt``); a quoted name before its kind (「『流山おおたかの森』駅」), called a business
  (「「ルミナス」という飲食店」), after any business kind of ``facility_kinds.csv``, before the parts or staff
  of a building (「「遊び宿〇〇」の脱衣場」), and 同「…」 after a quoted business; a shop after its kind and の
  when SudachiPy does not know its name or knows it as a proper noun (「ホームセンター大手のメイクマン」).

- Round 7: a one-kanji school name before 校区 / 学区 (「峰小校区」); a town hall as a turn of a route
  (「市役所前を左折」) and 市庁舎 are no scene; a quoted service name (``frames.SERVICE_NAME``: 「安心メール」) and a
  name after a katakana company suffix used as a common word (「サービス「…」」) are no business.

The school short names (the first bullet and the school shapes of rounds 6, 7, 9 and 10) are found in
``school_short_names``; ``find_landmarks`` calls its finders in the same order as before.

``find_landmarks`` returns candidates ``(start, end, "facility", suggestion)`` on the normalised text.
"""

from __future__ import annotations

import functools
import re

from anshin_lab.privacy.lint.affiliated_schools import affiliated_schools
from anshin_lab.privacy.lint.claims import claimed
from anshin_lab.privacy.lint.counted_schools import counted_schools
from anshin_lab.privacy.lint.direction_names import direction_high_schools
from anshin_lab.privacy.lint.frames import SERVICE_NAME
from anshin_lab.privacy.lint.lexicon import CATEGORY_SUGGESTIONS, Lexicon
from anshin_lab.privacy.lint.school_clubs import schools_before_clubs
from anshin_lab.privacy.lint.school_short_names import (abbreviations, direction_schools, headline_schools,
                                                        listed_short_names, municipal_school_staff,
                                                        one_kanji_high_schools, one_kanji_universities,
                                                        owned_short_names, schools_graduated_or_merged,
                                                        schools_with_grades, short_names_in_context,
                                                        short_school_names)
from anshin_lab.privacy.lint.school_teams import school_teams
from anshin_lab.privacy.lint.tokens import Token, hiragana_name_end, is_clause, is_katakana, script_of
from anshin_lab.privacy.lint.towns import town_anywhere

__all__ = ["find_landmarks"]

_OFFICE = re.compile(r"市役所|区役所|町役場|村役場|役場|県庁")
# Round 89: a prefecture's one museum, library or hall, written without its name (「松山市堀之内の県美術館であり」「県立武道館
# を会場に」); as a venue too, unlike a town hall (the real sets label all three such mentions).
_PREFECTURE_HALL = re.compile(r"(?<![一-龥々ァ-ヺ])県(?:立?(?:美術館|博物館|図書館|武道館|総合体育館|体育館|文化会館"
                              r"|総合体育センター|総合文化センター|スポーツセンター|音楽堂)"  # (96: 「県総合体育センター」; 112: 音楽堂)
                              r"|民(?:ホール|会館|文化会館|文化ホール))"  # (round 90: 「(県民ホール)」「県民文化会館」)
                              r"(?![ァ-ヺー]|[ぁ-ゖ](?<![でにのはがをともへやかまな]))")  # (not 「県民文化センターふくやま」)
# A town hall as a turn of a route (「市役所前を左折」「役場前を通過し」) or where it starts (「市役所前から…まで」, round 113):
# a landmark of the way, not the scene.
_ROUTE_AFTER = re.compile(r"を(?:左折|右折|直進|通過|通り過ぎ|過ぎ|曲が|抜け)|から")
# Round 80: a town hall as the stage of a police event (「県庁前で出発式」「市役所駐車場で開会式」), no scene of a crime.
_EVENT_AFTER = re.compile(r"[^。]{0,12}?(?:式|出発|出動|出陣|整列|パレード|開催|交通指導)")
# (Round 68: a visit to it, 「市役所を訪れ」, is a courtesy call, no scene: the real sets leave 11 of 12 clean.)
_OFFICE_PLACE = re.compile(r"の?(?:前|駐車場|駐輪場|敷地|敷地内|周辺|付近|近く|入口|出入口|玄関|トイレ|ロビー|庁舎|構内"
                           r"|裏|横|隣|[東西南北]側|内|別館|本館)")
# The parts of a building after an unknown name: 「〇〇の駐車場」.
_BUILDING_PARTS = re.compile(r"の(?:駐車場|駐輪場|店内|館内|敷地|敷地内|屋上|トイレ|入口|出入口|売り場|売場|フードコート"
                             r"|エレベーター|エスカレーター|立体駐車場)")
# Round 93: a school's name read out in brackets before its kind word (「金城(かなぐすく)中学と那覇西高校」); round 117:
# or before its short kind and its pupils (「市立翁頭(おうとう)中の児童」; not 「徘徊(はいかい)中の」).
_READ_SCHOOL = re.compile(r"(?<![一-龥々ヶ])[一-龥々ヶ]{1,4}(?<![都道府県市区町村郡立])[(（][ぁ-ゖー]{2,12}[)）]"
                          r"(?:小学校|中学校|高等学校|高校|中学|幼稚園|保育園|こども園"
                          r"|[小中高](?=の?(?:児童|生徒|校長|教諭|PTA|[0-9０-９]年)))")
# Round 92: a city's fire station named by its direction alone (「北消防署、東消防署などから」), not one of every city's
# (「各消防署」) nor a part of a longer name; round 94: a city's public centre too (「開催場所 北生涯学習センター」).
_DIRECTION_PUBLIC_BUILDING = re.compile(r"(?<![一-龥々ァ-ヺー各])[東西南北](?:消防署|消防出張所|生涯学習センター|公民館|図書館"
                                     r"|市民センター|地区センター|保健センター|福祉センター|児童館)")
# A floor of a building right after its name (「…1階」「…2F」).
_FLOOR = re.compile(r"[0-9０-９]{1,2}\s?(?:階|F(?![A-Za-z]))")
# After a katakana name and a place name: a name's end (a particle, a mark, a place word), not
# 「鹿児島方面」 or 「鹿児島行き」.
_NOT_NAME_END = re.compile(r"方面|方向|行き|向け|発|経由|間|出身|産|県|市|町|村|郡")


def find_landmarks(text: str, tokens: list[Token], owner, lex: Lexicon) -> list[tuple]:
    """Every school short name, bare town hall and named place of ``text``."""
    out = []
    out += short_school_names(text, tokens, owner, lex)
    out += short_names_in_context(text, tokens, owner, lex)
    out += abbreviations(text, tokens, owner, lex)
    out += _bare_offices(text, lex)
    out += _katakana_places(text, tokens, owner, lex)
    out += _shop_names(text, tokens, owner, lex) + _kana_supermarkets(text, lex)
    out += _quoted_businesses(text, lex)
    out += _quoted_before_kinds(text, tokens, owner, lex)
    out += _shops_of_a_kind(text, tokens, owner, lex)
    out += _same_kind_quoted(text, out, lex)
    out += _quoted_after_kind_noun(text, lex)
    out += owned_short_names(text)  # 「甲府市立甲運小」
    out += listed_short_names(text, tokens, owner, lex, out)
    out += municipal_school_staff(text, lex)
    out += one_kanji_universities(text, tokens, owner)
    out += one_kanji_high_schools(text, tokens, owner)
    out += direction_schools(text)  # 「南小で1年生…」
    out += direction_high_schools(text, tokens)  # 「出雲西高など」 (round 115)
    out += affiliated_schools(text, lex) + counted_schools(text, lex)  # 「東海大諏訪では」「…、新庄北を…計5校」 (116)
    out += schools_graduated_or_merged(text)  # 「犀桜小を卒業した」 (round 92)
    out += [(*m.span(), "facility", "学校") for m in _READ_SCHOOL.finditer(text)]  # 「金城(かなぐすく)中学」 (round 93)
    out += [(*m.span(), "facility", "公共施設") for m in _DIRECTION_PUBLIC_BUILDING.finditer(text)]  # 「東消防署」 (round 92)
    out += headline_schools(text, tokens, owner, lex)  # 「厚南小で防犯対策…」
    out += schools_with_grades(text, lex)  # 「鈴木ジョージさん(西辺中3年)」
    out += school_teams(text, tokens, owner) + schools_before_clubs(text, tokens, owner)  # 「佐世保東翔高美術部」 (119)
    out += _nursery_of_pupils(text, tokens, owner, lex)  # 「長久さわらび園児に」
    out += [(*m.span(), "facility", "大学") for m in _OWN_UNIVERSITY.finditer(text) if not claimed(text, *m.span(), lex)]
    if "の園" in text:  # (every text is linted: most name no such nursery or canteen)
        out += [(*m.span(), "facility", "保育施設") for m in _GARDEN_NURSERY.finditer(text)
                if not claimed(text, *m.span(), lex)]
    if "食堂" in text:
        out += [(*m.span(), "facility", "飲食店") for m in _CHILD_CANTEEN.finditer(text)]
    out += [(m.start(), m.end("kind"), "facility", "学校") for m in _SHORT_SCHOOL_PUPILS.finditer(text)
            if all(t.proper or t.oov for t in tokens[owner[m.start()]:owner[m.end("name") - 1] + 1])]  # (round 96)
    out += [(*m.span(), "facility", "学校") for m in _NUMBERED_SCHOOL.finditer(text)
            if m["city"] in lex.municipality_stems]  # 「荒尾四中」「米沢三中」 (round 105)
    if "「" in text or "『" in text:  # 「観光市場「新湊きっときと市場」」 (round 106)
        out += [(*m.span("name"), "facility", lex.suffixes[m["kind"]].suggestion)
                for m in _KIND_THEN_SAME_KIND.finditer(text)
                if m["kind"] in lex.suffixes and not claimed(text, *m.span("name"), lex)]
    if "小屋" in text:  # 「白根御池小屋」 (round 109)
        out += [(*m.span(), "facility", "施設") for m in _HUT.finditer(text) if not _HUT_PURPOSE.search(m["name"])
                and not town_anywhere(m.group()) and not claimed(text, *m.span(), lex)]
    if "の" in text:  # 「緑の村公園」 (round 95), 「波の上ビーチ」 (round 96)
        out += [(*m.span(), "facility", "公園") for m in _NATURE_PARK.finditer(text)]
    return [_after_full_name(c, tokens, owner) for c in out]


def _after_full_name(c: tuple, tokens: list[Token], owner) -> tuple:
    """``c``, or the school after a full name glued before it (「坂本愛子|別府西中生徒会長」, round 119): a family and a
    given name, then a place's name, are a pupil's name before her school's."""
    k = owner[c[0]]
    if c[3] != "学校" or k + 2 >= len(tokens) or tokens[k].begin != c[0]:
        return c
    family, given, place = tokens[k:k + 3]
    if family.pos[3] == "姓" and given.pos[3] == "名" and place.pos[2] == "地名" and place.end < c[1] \
            and family.end == given.begin and given.end == place.begin:
        return (place.begin, *c[1:])
    return c


# Round 109: a mountain hut named by its place (「白根御池小屋」「雁坂小屋」「北又小屋」), not a town's name that ends in 小屋
# (「四ツ小屋」) nor a hut named by what it is for or made of (「物置小屋」「作業小屋」); round 110: whatever else names it,
# a common word too (「駒鳥小屋」).
_HUT = re.compile(r"(?<![一-龥々ヶ])(?P<name>[一-龥々ヶ]{2,4})小屋(?![一-龥々])")
_HUT_PURPOSE = re.compile(r"(?:物置|作業|農作業|農機具|資材|道具|倉庫|休憩|避難|炭焼|丸太|掘立|掘っ立て|鶏|豚|牛|馬|犬|猫|見張|監視|漁|網|舟|船"
                          r"|水車|芝居|見世物|木造|鉄骨|粗末|仮設|小さな|古い)$")
# Round 106: a quoted name after its kind noun that it ends in again (「観光市場「新湊きっときと市場」」): a place of that kind,
# whatever words the name is made of.
_KIND_THEN_SAME_KIND = re.compile(r"(?P<kind>[一-龥ァ-ヺー]{1,5})[「『](?P<name>[^「『」』\n]{1,18}?(?P=kind))[」』]")
# Round 105: a city's numbered school, its short name (「荒尾四中と」「米沢三中の」: 荒尾市立第四中学校), which SudachiPy may read
# as a family name and a given name (米沢|三中).
_NUMBERED_SCHOOL = re.compile(r"(?<![一-龥々ヶ])(?P<city>[一-龥々ヶ]{2,3})第?[一二三四五六七八九十]{1,2}[小中]"
                              r"(?=[とのでにはをがも、・\s」)）]|生|校区|学区|付近|前|$)")
# Round 96: a school's short name and 生, its pupils (「富田中生に短冊を書いてもらい」), named by a proper noun (not 「女子高生」):
# where SudachiPy reads the short kind into the town's name (富田中|生), which ``school_short_names._PUPILS`` cannot see.
_SHORT_SCHOOL_PUPILS = re.compile(r"(?<![一-龥々ヶ])(?P<name>[一-龥々ヶ]{2,3})(?P<kind>[小中高])生(?=[にがはのをもと、・])")
# Round 95: a park named 〇〇の森 or 〇〇の村 before its kind (「緑の村公園」「林試の森公園」), which SudachiPy cuts at の, and a
# beach so named (round 96: 「波の上ビーチ」); not a town's or a district's park (「松本市の森公園」「2丁目の丘公園」).
_NATURE_PARK = re.compile(r"(?<![一-龥々ヶ])[一-龥々ヶ]{1,3}(?<![都道府県市区町村郡目])の[森丘村里杜郷上浜](?:公園|ビーチ|海水浴場)")


# Round 81: a children's canteen named after a child (「おたまちゃん食堂」): the canteen, no child.
_CHILD_CANTEEN = re.compile(r"(?:(?<=の)|(?<![ぁ-ゖァ-ヺー]))(?!の)[ぁ-ゖァ-ヺー]{2,8}(?:ちゃん|くん)食堂")
# Round 80: a nursery named 〇〇の園 before its kind (「愛の園保育園」), which SudachiPy cuts at の (愛|の|園|保育園).
_GARDEN_NURSERY = re.compile(r"(?:(?<![一-龥々])[一-龥々]{1,3}|(?<![ぁ-ゖ])[ぁ-ゖ]{2,4})の園(?:保育園|保育所|幼稚園|こども園)")


def _nursery_of_pupils(text: str, tokens: list[Token], owner, lex: Lexicon) -> list[tuple]:
    """「長久さわらび|園児」: a nursery's name glued before its pupils (SudachiPy reads 園児 as one word), when the name
    holds a proper noun, an unknown word or kana words (「保育|園児」「同|園児」「年長|園児」 name none; round 78; nor does
    a word of time, 「植えたあと|園児たちは」, round 116)."""
    if "園児" not in text:
        return []
    out = []
    for k, t in enumerate(tokens):
        if t.surface != "園児" or k == 0:
            continue
        j, start = k - 1, t.begin
        while j >= 0 and tokens[j].end == start and k - j <= 3 and tokens[j].pos[0] == "名詞" \
                and tokens[j].pos[1] not in ("数詞", "代名詞") and tokens[j].pos[2] != "副詞可能" \
                and tokens[j].surface not in lex.generic \
                and (tokens[j].proper or tokens[j].oov or _KANA_WORD.fullmatch(tokens[j].surface)
                     or all("ぁ" <= ch <= "ゖ" for ch in tokens[j].surface)) and not tokens[j].person:
            start = tokens[j].begin
            j -= 1
        if start < t.begin and not (j >= 0 and tokens[j].end == start and script_of(text[start - 1]) == "kanji") \
                and any(p.pos[2] != "地名" for p in tokens[j + 1:k]):  # (「鹿児島園児」: the place's pupils)
            out.append((start, t.begin + 1, "facility", "保育施設"))
    return out


# Round 32: the prefecture's own university, named by its operator alone (「県立医科大学」「県立短期大学」「県立医大」): a
# prefecture runs one, so it is named (「県立高校」 is any of them).
_OWN_UNIVERSITY = re.compile(r"(?<![一-龥々])(?:県|府|都|道)立[一-龥]{0,4}?(?:大学|短期大学|医大|短大)(?![一-龥々])")


_BUSINESS_KINDS = (
    r"(?:店|専門店|会社|業者|企業|工場|レストラン|食堂|ホテル|旅館|商業施設|ショッピングセンター|スーパー|スーパーマーケット"
    r"|モール|パブ|バー|キャバクラ|ラウンジ|チェーン|ファミレス|居酒屋|クラブ|事務所|医院|クリニック"
    # round 4: the other kinds written before a quoted name (「コンビニ「マルイチ」」「学童保育「あっとほーむ」」)
    r"|コンビニ|コンビニエンスストア|ドラッグストア|薬局|ディスカウントストア|ホームセンター|施設|学童保育|学童保育所"
    r"|保育所|保育園|幼稚園|こども園|児童館|学習塾|塾|予備校|教室|病院|整骨院|接骨院|老人ホーム|民宿|ゲームセンター"
    r"|ネットカフェ|漫画喫茶|銭湯|温泉|マンション|アパート|寮|団地|ジム"
    # round 6: baths, pleasure and care businesses (「外湯「一の湯」」「風俗店「…」」「グループホーム「…」」)
    r"|外湯|湯|浴場|スパ|サウナ|遊技場|パチンコ店|劇場|映画館|ライブハウス|美容院|美容室|サロン|エステ|マッサージ店"
    r"|風俗店|店舗|ショップ|飲食店|料理店|料理屋|喫茶店|カフェ|ペンション|ゲストハウス|宿|介護施設|福祉施設"
    r"|グループホーム|デイサービス|作業所|事業所|販売店|代理店|販売所|直売所|ガールズバー|ホストクラブ|スナック"
    # round 18: a roadside station (「道の駅「源平の里むれ」」); round 29: a centre (「パトロールセンター「城西番小屋」」);
    # round 119: a river's station (「道の駅・川の駅「水の郷さわら」」)
    r"|道の駅|川の駅|海の駅|センター"
    # round 53: any trade's 屋 (「人気パン屋「サカエパン」」), not a room or a hut
    r"|(?<![部小])屋|ベーカリー)")
_QUOTED_BUSINESS = re.compile(_BUSINESS_KINDS + r"の?[「『](?P<name>[^」』「『。、!?!?\n]{1,20})[」』]")


# A quoted name right before the kind it names (「つくばエクスプレス『流山おおたかの森』駅」「『さくら』保育園」).
_QUOTED_NAME = re.compile(r"[「『](?P<name>[^」』「『。、!?!?\n]{1,20})[」』]")
# Kinds a quoted topic may come before without naming a place (「『防犯』教室」「『安心』サービス」).
_TOPIC_KINDS = {"教室", "事業所"}


# 「「ルミナス」という飲食店」「「さくら」という名前の居酒屋」: the quoted name, then what it is.
_CALLED = re.compile(r"という(?:名前の|名の|屋号の)?|っていう")
_BUSINESS_AFTER_CALLED = re.compile(_BUSINESS_KINDS)
# Suggestions of kinds that are businesses: a quoted name right after one of them is its own name
# (「ゴルフ練習場「グリーンヒル」」); a school's or park's quoted word may be a slogan or an event.
_BUSINESS_SUGGESTIONS = {"店舗", "飲食店", "宿泊施設", "事業所", "運動施設", "商業施設", "医療機関", "福祉施設", "遊技場",
                         "施設"}


def _quoted_before_kinds(text: str, tokens: list[Token], owner, lex: Lexicon) -> list[tuple]:
    """「『流山おおたかの森』駅」「「ひかり」保育園」: a quoted name and then its kind word, one facility;
    「「ルミナス」という飲食店」: a quoted name called a business."""
    out = []
    for m in _QUOTED_NAME.finditer(text):
        called = _CALLED.match(text, m.end())
        if called and not claimed(text, m.start(), called.end(), lex) and m.group("name") not in lex.generic \
                and m.group("name") not in _suggestions(lex) and not _PSEUDONYM_QUOTE.fullmatch(m.group("name")):
            kind = lex.suffix_re.match(text, called.end())
            if (kind and lex.suffixes[kind.group()].suggestion in _BUSINESS_SUGGESTIONS | {"学校", "保育施設"}) \
                    or _BUSINESS_AFTER_CALLED.match(text, called.end()) or lex.shop_prefix_re.match(text, called.end()):
                out.append((m.start("name"), m.end("name"), "facility", "店舗"))
                continue
        if _QUOTED_PLACE_PARTS.match(text, m.end()) and _names_a_place(m, tokens, owner, lex) \
                and not claimed(text, m.start(), m.end(), lex):
            out.append((m.start("name"), m.end("name"), "facility", "施設"))  # 「「遊び宿ミナモ」の脱衣場」
            continue
        km = lex.suffix_re.match(text, m.end())
        if km is None:
            continue
        kind = lex.suffixes[km.group()]
        e = km.end()
        if kind.suggestion in _TOPIC_KINDS or kind.needs_proper >= 2:
            continue
        last = tokens[owner[e - 1]]
        if last.end > e and text[e:last.end] not in _KIND_TAILS:
            continue  # 「店員」「駅伝」: the kind word starts another word
        if m.group("name") in lex.generic or m.group("name") in _suggestions(lex) \
                or _PSEUDONYM_QUOTE.fullmatch(m.group("name")):
            continue  # 「『駅』駅」 after a scrub, 「『A』店」
        if _SPOKEN_END.search(m.group("name")):
            continue  # 「「返還金をお渡ししたい」銀行ATMへ」: a quoted sentence, then a bank (round 38)
        if not claimed(text, m.start(), e, lex):
            out.append((m.start(), e, "facility", kind.suggestion))
    return out


# What ends a spoken sentence, not a name (「…お渡ししたい」「…します」「…ください」).
_SPOKEN_END = re.compile(r"(?:したい|ます|です|ました|でした|ください|下さい|ません)[。!！?？]?$")
# The parts and the staff of a building after a quoted name: 「「遊び宿ミナモ」の脱衣場」「「ルナ」の店長」.
_QUOTED_PLACE_PARTS = re.compile(r"の(?:脱衣場|脱衣所|更衣室|客室|厨房|店内|館内|駐車場|駐輪場|敷地|敷地内|裏口|入口|出入口"
                                 r"|玄関|ロビー|フロント|トイレ|店長|経営者|従業員|店員|オーナー|支配人|女将|店舗|2階|3階)")


def _names_a_place(m, tokens: list[Token], owner, lex: Lexicon) -> bool:
    """Whether the quoted words of ``m`` can be a place's name: no sentence (a verb, an adjective, a
    particle of a clause) and no generic word (「「子ども110番の家」の…」 is a sentence-like phrase too)."""
    a, b = m.span("name")
    name = m.group("name")
    if name in lex.generic or name in _suggestions(lex) or _PSEUDONYM_QUOTE.fullmatch(name) \
            or tokens[owner[a]].begin != a \
            or tokens[owner[b - 1]].end != b:
        return False
    inside = tokens[owner[a]:owner[b - 1] + 1]
    return not any(t.pos[0] in ("動詞", "助動詞", "形容詞") or t.surface in ("が", "を", "は", "に", "も", "で")
                   or t.pos[1] == "数詞" for t in inside)


_KIND_TAILS = {"前", "内", "構内", "付近", "周辺", "近く", "裏", "横", "側", "東口", "西口", "南口", "北口", "口", "敷地",
               "駐車場", "院内", "園内", "店内", "館内", "校内"}
_PSEUDONYM_QUOTE = re.compile(r"[A-Za-z]|[〇○◯●×＊*]+")


# 「ホームセンター大手のメイクマン」「ドラッグストアのマツモトキヨシで」: a kind of shop, の, and a name
# SudachiPy does not know or knows as a proper noun.
_SHOP_KIND_OF = re.compile(
    r"(?:スーパーマーケット|スーパー|ホームセンター|ドラッグストア|コンビニエンスストア|コンビニ|百貨店|デパート"
    r"|家電量販店|量販店|ディスカウントストア|ショッピングセンター|ショッピングモール|衣料品店|書店|ファミリーレストラン"
    r"|ファミレス|外食チェーン|飲食チェーン|牛丼チェーン|パチンコ店|ゲームセンター|カラオケ店|ネットカフェ|携帯ショップ"
    r"|リサイクルショップ|レンタルビデオ店|スポーツクラブ|フィットネスクラブ|スポーツジム|ジム|ホテル|ゴルフ場|遊園地"
    r"|テーマパーク)(?:チェーン)?(?:大手|最大手|準大手|中堅|系列|チェーン)?の")
_PERSON_AFTER = re.compile(r"さん|氏|様|容疑者|被告|社長|店長|会長|代表")


def _shops_of_a_kind(text: str, tokens: list[Token], owner, lex: Lexicon) -> list[tuple]:
    """「ホームセンター大手のメイクマン」: the shop after its kind and の is named by the katakana or Latin
    word there when SudachiPy does not know it or knows it as a proper noun (「スーパーのレジ」 is none)."""
    out = []
    for m in _SHOP_KIND_OF.finditer(text):
        e = m.end()
        if e >= len(text) or tokens[owner[e]].begin != e:
            continue
        k = owner[e]
        first = tokens[k]
        if not (_KANA_WORD.fullmatch(first.surface) or _LATIN_NAME.fullmatch(first.surface)) \
                or not (first.oov or (first.pos[1] == "固有名詞" and first.pos[2] != "地名")) \
                or first.surface in lex.generic or first.surface in lex.stops or first.surface in _SHOP_WORDS \
                or first.pos[3] in ("姓", "名"):
            continue
        end = first.end
        while k + 1 < len(tokens) and tokens[k + 1].begin == end and k - owner[e] < 2 \
                and _KANA_WORD.fullmatch(tokens[k + 1].surface) and tokens[k + 1].surface not in _SHOP_WORDS:
            k += 1
            end = tokens[k].end  # 「ヤマダ|デンキ」
        if _PERSON_AFTER.match(text, end) or (end < len(text) and script_of(text[end]) == "kanji"
                                              and not _BUILDING_PARTS.match(text, end)
                                              and not text.startswith(("店", "前", "内"), end)):
            continue
        if not claimed(text, e, end, lex):
            out.append((e, end, "facility", "店舗"))
    return out


_QUOTED_AFTER = re.compile(r"の?[「『](?P<name>[^」』「『。、!?!?\n]{1,20})[」』]")


@functools.lru_cache(maxsize=1)
def _suggestions(lex: Lexicon) -> frozenset[str]:
    """Every generic word the lint writes in place of a name: a quoted one was withheld already (「「店舗」の店内」)."""
    return frozenset({k.suggestion for k in lex.suffixes.values()} | {k.suggestion for k in lex.prefixes.values()}
                     | set(CATEGORY_SUGGESTIONS.values()))


def _quoted_businesses(text: str, lex: Lexicon) -> list[tuple]:
    """「うどん専門店「まる八」」「建設会社「南日本工業」」: a business's own name in quotes after its kind."""
    out = []
    generic = _suggestions(lex)
    matches = list(_QUOTED_BUSINESS.finditer(text))
    for m in _QUOTED_AFTER.finditer(text):
        km = lex.suffix_re.search(text, max(0, m.start() - 12), m.start())
        while km and km.end() < m.start():
            km = lex.suffix_re.search(text, km.start() + 1, m.start())
        if km and km.end() == m.start() and lex.suffixes[km.group()].suggestion in _BUSINESS_SUGGESTIONS \
                and not text.endswith("ブランド", 0, km.end()) \
                and lex.suffixes[km.group()].needs_proper < 2 \
                and not any(q.span("name") == m.span("name") for q in matches):
            matches.append(m)  # 「ゴルフ練習場「グリーンヒル」」: any business kind of facility_kinds.csv (not the
            # ランド of 「ブランド「レクサス」」, round 71)
    for m in matches:
        s, e = m.span("name")
        if m.group("name") in generic or m.group("name") in lex.generic:
            continue  # 「マンション「集合住宅」」: a name the lint already withheld
        if SERVICE_NAME.search(m.group("name")) or _HONOUR_AFTER.match(text, e) or _EVENT_TAG.search(m.group("name")):
            continue  # 「サービス「安心メール」」: a service, not a place; 「宮城「県民の警察官」表彰式」: an award (round 49);
            # 「教室「みんなの交通安全教室 in 水戸」」: an event held in a town (round 69)
        if _BODY_NAME_END.search(m.group("name")):
            continue  # 「予防教室「一輪会」」: a group of people, no place (round 77)
        if _CUSTOM_AFTER.match(text, e):
            continue  # 「喫茶店の「モーニング」発祥の地」: what the place serves, not its name (round 80)
        if _LESSON_BEFORE.search(text, max(0, s - 12), s):
            continue  # 「防犯教室「いかのおすし」」: a safety lesson's title, no school of lessons (round 95)
        if text.endswith(("移動スーパー", "移動販売", "移動コンビニ"), 0, m.start("name") - 1):
            continue  # 「移動スーパー「とくし丸」」: a truck that comes round, no place (round 115)
        if is_clause(m.group("name")):
            continue  # 「製紙会社「高齢者に役立てて」」: what the firm says, no name (round 130)
        if not claimed(text, s, e + 1, lex) and not claimed(text, m.start(), e + 1, lex):
            out.append((s, e, "facility", "店舗"))
    return out


_HONOUR_AFTER = re.compile(r"[」』](?:表彰|賞|章|大会|式典|運動|キャンペーン)")
_CUSTOM_AFTER = re.compile(r"[」』](?:発祥|文化|メニュー|セット|定食|サービス)")
_EVENT_TAG = re.compile(r"\s(?:in|IN|イン)\s")
_BODY_NAME_END = re.compile(r"(?:会|団|隊|サークル)$")
_LESSON_BEFORE = re.compile(r"(?:防犯|安全|防災|護身術?|防止|対策)教室[「『]$")
_SAME_KIND_QUOTED = re.compile(r"同[「『](?P<name>[^」』「『。、!?!?\n]{1,20})[」』]")


# Round 44: quoted names listed right after a plural kind (「7つのマンション「ハイラーク横浜白山」「シティ194」…」).
_KIND_THEN_QUOTES = re.compile(r"(?:マンション|アパート|団地|ホテル|病院|店舗|施設)(?P<quotes>(?:[、・]?[「『][^「『」』\n]{2,20}[」』]){2,})")
_ONE_QUOTE = re.compile(r"[「『](?P<name>[^「『」』\n]{2,20})[」』]")


def _quoted_after_kind_noun(text: str, lex: Lexicon) -> list[tuple]:
    """Each of two or more quoted names right after a kind noun is a place of that kind."""
    return [(q.start("name"), q.end("name"), "facility", "施設")
            for m in _KIND_THEN_QUOTES.finditer(text)
            for q in _ONE_QUOTE.finditer(text, m.start("quotes"), m.end("quotes"))
            if not claimed(text, q.start("name"), q.end(), lex)]


def _same_kind_quoted(text: str, found: list[tuple], lex: Lexicon) -> list[tuple]:
    """「キャバクラ「ドリームガール」…、同「ティアラ」経営者」: after a quoted business, 同 and a quoted name
    is another business of that kind."""
    quoted = [c for c in found if text[c[1] - 1:c[1]] in ("」", "』") or text[c[1]:c[1] + 1] in ("」", "』")]
    if not quoted:
        return []
    return [(m.start("name"), m.end("name"), "facility", "店舗")
            for m in _SAME_KIND_QUOTED.finditer(text, min(c[1] for c in quoted))
            if not claimed(text, m.start("name"), m.end(), lex)]


# Katakana words after a shop-type word that are no shop's name: its staff, its kind, its parts.
_SHOP_WORDS = {"ママ", "マスター", "チェーン", "スタッフ", "オーナー", "ホステス", "キャスト", "ガール", "ボーイ", "レディ",
               "カウンター", "コーナー", "スペース", "ボックス", "フロア", "テナント", "グループ", "メニュー", "タイム",
               "ビル", "スタイル", "バー", "パブ", "スナック", "ラウンジ", "カフェ", "サロン", "クラブ", "ランチ",
               "チェーン店", "フランチャイズ", "オープン", "イベント", "ブーム", "トイレ", "レジ", "ドア", "シャッター"}
_LATIN_NAME = re.compile(r"[A-Za-z][A-Za-z0-9&'.]*(?: [A-Za-z][A-Za-z0-9&'.]*){0,3}")
# Inside or at a shop, right after its name (「…の店内で」「…店で」).
_INSIDE_SHOP = re.compile(r"の?(?:店内|店舗|店先|店頭|出入口|入口|入り口|駐車場)")


def _shop_names(text: str, tokens: list[Token], owner, lex: Lexicon) -> list[tuple]:
    """「スナックきく」「居酒屋はなまる」「喫茶ポプラ」: a shop-type word and the shop's own name."""
    out = []
    for m in lex.shop_prefix_re.finditer(text):
        s, e = m.span()
        word = tokens[owner[s]]
        if e < len(text) and word.begin == s and word.end >= e + 2 and word.oov and all(is_katakana(ch) for ch in word.surface) \
                and not claimed(text, s, word.end, lex):
            out.append((s, word.end, "facility", "店舗"))  # 「ヘアーサロンロイド」: one unknown word, kind and name (round 63)
            continue
        if e >= len(text) or word.begin != s or tokens[owner[e - 1]].end != e:
            continue  # inside a longer word: 「バーベキュー」「ガールズバー」's 「バー」
        latin = _LATIN_NAME.match(text, e + 1) if text.startswith(("、", ","), e) else None
        if latin is not None and latin.group()[0].isupper() and _INSIDE_SHOP.match(text, latin.end()) \
                and not claimed(text, e + 1, latin.end(), lex):
            out.append((e + 1, latin.end(), "facility", "店舗"))  # 「喫茶店、CAFE CASUAL USAの店内」 (round 76)
            continue
        end = _shop_name_end(text, tokens, owner, e, lex)
        if end is not None and not claimed(text, s, end, lex):
            out.append((s, end, "facility", "店舗"))
    return out


# Round 92: a local supermarket named in hiragana (「スーパーもりかわや道の駅…」), the particle after it left out (や
# before a kanji word is "and"); not 「スーパーなどで」「スーパーでは」.
_SUPERMARKET = re.compile(r"スーパー(?P<name>[ぁ-ゖー]{2,8}?)(?=(?:や|で|に|へ|を|が|は|と|の|から|まで|など)?(?:[^ぁ-ゖー]|$))")
_NOT_SHOP_NAME = re.compile(r"[をがにでのへとや]|など|まで|から|あり|ある|ない|なし|だけ|しか|とか|ほど|ばかり|くらい")


def _kana_supermarkets(text: str, lex: Lexicon) -> list[tuple]:
    return [(m.start(), m.end("name"), "facility", "店舗") for m in _SUPERMARKET.finditer(text)
            if not _NOT_SHOP_NAME.match(m["name"]) and not claimed(text, m.start(), m.end("name"), lex)]


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


def _bare_offices(text: str, lex: Lexicon) -> list[tuple]:
    """「市役所の駐車場」「役場前」「県美術館」: the one town hall or prefectural hall of the place, written without its
    name."""
    out = []
    for m in _OFFICE.finditer(text):
        s, e = m.span()
        if s > 0 and (script_of(text[s - 1]) == "kanji" or is_katakana(text[s - 1])):
            continue  # a name before it: facilities finds 「鹿児島市役所」
        place = _OFFICE_PLACE.match(text, e)
        if not place or claimed(text, s, e, lex) or _ROUTE_AFTER.match(text, place.end()) \
                or _EVENT_AFTER.match(text, place.end()):
            continue
        out.append((s, e, "facility", "公共施設"))
    out += [(*m.span(), "facility", "公共施設") for m in _PREFECTURE_HALL.finditer(text)
            if not claimed(text, m.start(), m.end(), lex)]
    return out


def _katakana_places(text: str, tokens: list[Token], owner, lex: Lexicon) -> list[tuple]:
    out = []
    # only the tokens that hold a katakana letter can be a katakana name (one scan of the text, not one per token)
    holding = sorted({k for m in _KATAKANA_LETTERS.finditer(text) for k in range(owner[m.start()], owner[m.end() - 1] + 1)})
    for k in holding:
        t = tokens[k]
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
        # 「ゆめタウン隼人」「マリンポートかごしま」: a place name right after the katakana name (not after one common
        # word, 「カレンダー|金沢」, round 64).
        place_end = _place_after(text, tokens, k + 1, lex)
        if place_end and name_end - start >= 3 and not _NOT_NAME_END.match(text, place_end) \
                and not text[start:name_end].endswith(_PATROL_WORDS + _EVENT_WORDS + _SERVICE_WORDS) \
                and text[start:name_end] not in _SLOGAN_HEADS \
                and not (start == t.begin and t.pos[1] == "普通名詞" and not t.oov and script_of(text[t.end]) == "kanji") \
                and not (place_end < len(text) and script_of(text[place_end]) == "kanji"
                         and tokens[owner[place_end]].begin != place_end):
            out.append((start, place_end, "facility", "施設"))
            continue
        if t.oov and start == t.begin and len(t.surface) >= 3 and _FLOOR.match(text, name_end) and j >= 0 \
                and tokens[j].end == start and script_of(tokens[j].surface[0]) == "kanji" \
                and town_anywhere(tokens[j].surface):
            out.append((tokens[j].begin, name_end, "facility", "施設"))  # 「日永カヨー1階」: a town's building (round 77)
            continue
        # 「ボルベリアダリアの駐車場」: an unknown katakana word before the parts of a building.
        # 「アイランドワールドの駐車場」: several katakana words that are together no word SudachiPy knows.
        if (t.oov and start == t.begin and len(t.surface) >= 4
            or start < t.begin and name_end - start >= 6 and text[start:name_end] not in lex.generic) \
                and _BUILDING_PARTS.match(text, name_end) and not claimed(text, start, name_end, lex):
            out.append((start, name_end, "facility", "施設"))
    return out


# Round 37: a patrol group named after its town (「タウンポリス西土佐」) is people, no place.
_PATROL_WORDS = ("ポリス", "パトロール", "ガード", "ガーディアンズ", "パトラン")  # (round 90: 「パトラン山形」, who patrol
# while running)
# Round 90: an event or a campaign named after its place (「ミニコンサートこうち」), and a slogan for all of a place's
# people (「オールふくしま」「チームにいがた」): no place.
_EVENT_WORDS = ("コンサート", "フェスタ", "フェスティバル", "フェア", "キャンペーン", "プロジェクト", "ネットワーク", "パレード")
_SLOGAN_HEADS = ("オール", "チーム")
# Round 91: a mail service or a medium named after its place (「POLICEメールふくしま」): no place.
_SERVICE_WORDS = ("メール", "ネット", "ニュース", "ラジオ", "テレビ", "アプリ", "ナビ", "通信")
_KANA_WORD = re.compile(r"[ぁ-ゖァ-ヺー・]*[ァ-ヺ][ぁ-ゖァ-ヺー・]*")
_KATAKANA_LETTERS = re.compile(r"[ァ-ヺ]+")


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
