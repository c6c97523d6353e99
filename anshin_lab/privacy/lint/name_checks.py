"""The checks every finder of persons applies to a span before it calls it a name.

Not a word of the dictionaries (``not_names``, ``generic``), not a title (「巡査部長さん」), not one kana,
not a pseudonym that already hides a name (「A子さん」「〇〇」), and not a town of the gazetteer read as
a family and a given name (「国分重久」). ``persons``, ``person_titles`` and ``learned`` all need them.
"""

from __future__ import annotations

import functools
import re

from anshin_lab.places import address
from anshin_lab.privacy.lint.findings import PERSON_MASK
from anshin_lab.privacy.lint.lexicon import Lexicon, dictionary_lines, load_lexicon
from anshin_lab.privacy.lint.municipalities import is_municipality_name
from anshin_lab.privacy.lint.police_stations import is_station_name
from anshin_lab.privacy.lint.school_clubs import CLUBS
from anshin_lab.privacy.lint.name_runs import BODY_HEAD, COUNT_OF_TOWNS, occupations, one_common_noun
from anshin_lab.privacy.lint.tokens import (Token, can_be_given, can_be_surname, is_katakana, kana_of, script_of,
                                            tokenize)
from anshin_lab.privacy.lint.towns import municipality_prefix
from anshin_lab.privacy.lint.transit import PREFECTURES

__all__ = ["BRANCH_HEAD", "PRIEST_AFTER", "bare_rank", "branch_of_head", "checked_name", "family_before_glued",
           "family_before_lead", "full_name_word", "given_glued_to_title", "in_business_word", "in_work_title",
           "inside_town", "misread_full_name", "named_after", "named_after_title", "not_a_person",
           "place_read_full_name", "surname_like", "surname_word", "two_municipalities", "without_word_before",
           "word_as_surname"]

# Round 92: the head of a branch, after the branch's name (「野村支部長」「東五位支部長」); between a full name and a space and
# it, that name is the branch's (「日野康志 野村支部長」), and a name read across the space ends before it.
BRANCH_HEAD = re.compile(r"[一-龥々ヶ]{0,3}?(?:支部|分会|支会|分団|支所)長")


def branch_of_head(text: str, candidate: tuple, persons: list[tuple]) -> bool:
    """Whether ``candidate`` is a branch's name between a person's full name, a space and the branch head's title."""
    start, end = candidate[:2]
    return start > 0 and text[start - 1] in " \u3000" and BRANCH_HEAD.match(text, end) is not None \
        and any(p[2] == "person" and p[1] == start - 1 and p[1] - p[0] >= 3 for p in persons)

# Pseudonyms that already hide a name: 「A子さん」「Bさん」「X男」.
_PSEUDONYM = re.compile(r"[A-Za-zＡ-Ｚａ-ｚ][子男美郎]?")


def checked_name(text: str, start: int, end: int, lex: Lexicon):
    name = text[start:end]
    if not name or name in lex.not_names or name in lex.generic or name.endswith("屋"):
        return None
    if any(ch in "にをはがのとでも" and name[i + 1:] in lex.not_names for i, ch in enumerate(name[:-2])):
        return None  # 「丁寧に|おまわりさん」「となりの|おばあちゃん」: a particle, then a word that is no name (round 44)
    if name in lex.titles or name in lex.titles_before:
        return None  # 「巡査部長さん」: a title is no name
    if len(name) == 1 and kana_of(name):
        return None
    if _PSEUDONYM.fullmatch(name) or all(ch in "〇○◯●×＊*・" for ch in name):
        return None
    if not_a_person(text, start, end):
        return None
    return (start, end)


# What a person's name never runs into: a newspaper or broadcaster named after its region (「北羽|新報社」
# 「宮古|毎日新聞」).
_MEDIA_AFTER = re.compile(r"(?:新報|新聞|日報|民報|時報|新聞社|タイムス|放送|テレビ)")
# What a person's name never is: the country a team stands for (「元日本代表選手」), a role for a day
# (「一日警察署長」「一日署長」), or what ends with the police's own word (「高崎警察|署長」).
# Round 37: a firm named after a region of the country (「中日本高速|社長」) and a title's field (「特別防犯|対策監」);
# round 39: 「愛知県一」 (the best of the prefecture) and a beach or a hill written with ヶ (「四郎ヶ浜」; 「田袋ヶ山」 is a name).
_NO_NAME = re.compile(r"^(?:全?日本|[東西南北中]日本.*|一日.*|.*警察|.*防犯.*|.*[県市町村国]一|[一-龥々]+ヶ[浜丘崎])$")


# A news bureau's head, then his name after a middle dot (「(滑川支局長・小幡雄也)」).
_BUREAU_HEAD_AND_NAME = re.compile(r"(?:支局長|総局長|支社長|通信部長|支局|通信部)・[一-龥々]")


_BODY_END = re.compile(r"(?:会|協会|会議所|組合|連盟)$")
_SYNDICATE_AFTER = re.compile(r"の?(?:傘下|系列?|直系|二次団体|組員|構成員|幹部)")


# What a place's ゆかり (縁) is said of: 「芦屋ゆかりの作家」「鹿児島ゆかりの人物」 (round 66).
_KIN_OF_PLACE = re.compile(r"の(?:作家|画家|人物|偉人|文人|歌人|俳人|人々|人たち|地|品|作品|企業|選手|アーティスト)")


_PHOTO_POSITION = re.compile(r"(?:前列|後列)?[左右]から[0-9一二三四五六七八九十]{1,2}(?:人目|番目)")


def not_a_person(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is no person whatever found it: a name before a newspaper's word, the country, a
    role for a day, a police word, a word of ``not_names`` (「生安」) or the end of a longer word (「栄誉|金章」).
    The rules and the learned spans (``check``) both ask it."""
    name = text[start:end]
    if _UNIT_AFTER.match(text, end) or _in_group_name(text, start, end) or short_group_lead(text, start, end):
        return True
    if start > 1 and text[start - 1] in "(（" and text.startswith(("区長", "自治区長", "区会長"), end) \
            and text[start - 2] != "区":
        return True  # 「大城清新(高志保区長)」: the district its head stands for, in brackets after his name (round 34);
        # after a ward the bracket names its mayor (「白石区(長谷川豊区長)」)
    if len(name) > 1 and name.endswith("両") and load_lexicon().title_re.match(text, end):
        return True  # 「栗栖両|容疑者」: 両 is the row's (「宇土原、栗栖両容疑者」), the name stands before it
    if _PHOTO_POSITION.fullmatch(name):
        return True  # 「(写真=左から3人目)」: where one stands in a photo (round 125)
    if text.startswith(("LC", "RC", "ライオンズ", "ロータリー"), end):
        return True  # 「土岐LCと土岐織部LC」: a Lions or Rotary club named after its town (round 124)
    if name.endswith(("漁協", "農協", "生協", "信組", "協会", "組合")):
        return True  # 「勝山市漁協|組合長」: a co-operative before its head's title (round 123)
    if name.endswith("組") and text.startswith("組長", end):
        return True  # 「山口組|組長」: a gang before its boss's title (round 92)
    if start > 1 and text[start - 1] in "(（" and text[start - 2] in "会団隊組" and script_of(name[0]) == "hiragana":
        return True  # 「伊仙蒼海会(そううんかい)」: the reading of a body's name (round 49)
    if (name.endswith("署") and not text.startswith("長", end)) or name.endswith(("郵便", "署員")) \
            or _BUREAU_HEAD_AND_NAME.match(text, end):
        return True  # 「白石署|一日署長」「吉津郵便|局員」: an office, 「福井南署員さん」 its staff (round 84);
        # 「(滑川支局長・小幡雄也)」: the bureau's town (round 50)
    if start > 1 and text[start - 1] in "ケヶ" and script_of(text[start - 2]) == "kanji":
        return True  # 「竜ケ|崎警察署長」: the end of a place's name after its ケ, no one (round 110)
    if text.startswith("警視庁", start - 2):
        return True  # 「警視|庁野|方署」: the police of Tokyo and one of its stations, no one (round 104)
    if text.startswith(("両中", "両小", "両校", "両高"), end) or _described_child(text, start, end):
        return True  # 「東明、桜蘭両中」: schools listed before their count (round 108); 「苦手なお子さん」 (below)
    if text[start - 1:start] in ("/", "／") and name in PREFECTURES and not text[end:].strip():
        return True  # 「…けがなく無事 /宮崎」: a headline's dateline, the prefecture it comes from (round 108)
    if name in PREFECTURES and text[start - 1:start] in ("", "\n") and text[end:end + 1] in (" ", "\u3000") \
            and any(text[end + 1:end + 1 + n] in load_lexicon().municipality_stems for n in (2, 3, 4)):
        return True  # 「福井 敦賀の海水浴場で」: a headline's prefecture and town (round 109; 「福井 太郎さん」 is a name)
    if script_of(name[0]) == "hiragana" and start > 0 and is_katakana(text[start - 1]) and text[start - 1] != "・" \
            and text.startswith(("くん", "ちゃん"), end):  # (not 「…ソングライターさとうもかさん」)
        return True  # 「ブラックほたるくん」: a kana name glued to a katakana word is a coined one, a mascot's (round 109)
    if _KATAKANA_THEN_HIRAGANA.search(name) and any(script_of(ch) == "kanji" for ch in name):
        return True  # 「クマよけ鈴等」: a bell against bears; no name mixes the three scripts so (round 109)
    if _ADDRESS_AZA_BEFORE.search(text, max(0, start - 6), start + 1) and not load_lexicon().title_re.match(text, end):
        return True  # 「上郷字山中丙、無職の男」「西羽賀字和尚堂の倉庫」: an address's 字 and its name, no one (round 101)
    if start > 0 and script_of(text[start - 1]) == "kanji" and _SCHOOL_CLUB_AFTER.match(text, end):
        return True  # 「県立佐世保東翔|高美術部」: a school's name after its town, then its short kind and a club (round 119)
    if name.endswith("生") and name[:-1] in load_lexicon().abbreviations:
        return True  # 「島大生が」: a student of a university by its short name, no one's name (round 121)
    if _SHORTHAND_BLOCK.search(text, start, end + 3):
        return True  # 「末広東二ノ九」: a town's 丁目 and block written in 旭川's shorthand, no one (round 120)
    if _HEAD_NAMED_AFTER.match(text, end):
        return True  # 「金井町内会長 高橋 倫正」: the body's place; its head is named after the title (round 114)
    if _OLD_STATION_NAME.match(text, end):
        return True  # 「白根(現新潟南)警察署長」: a station's old name before its new one, no one (round 113)
    if text.startswith("区", end) and not text.startswith(("区長", "区議", "区会", "区選"), end) \
            and script_of(text[end + 1:end + 2] or "。") != "kanji":
        return True  # 「与那原町大見武区で」: a town's district named after its place, no one (round 112; not the start
        # of a ward's body, 「宮崎白石区少年育成指導員」)
    if text.startswith("号", end) and not text.startswith(("号室", "号線", "号棟", "号館"), end):
        return True  # 「警察犬…シェパード・ファーブル号」: a dog's, a horse's or a ship's name (round 96)
    if name.endswith("日本") and text.startswith("代表", end):
        return True  # 「長年日本代表の守護神」: the national team (round 49)
    if name.endswith("おまわり") or (name.endswith("ゆかり") and _KIN_OF_PLACE.match(text, end)):
        return True  # 「ちびっこおまわり|さん」: a police officer, said by a child; 「芦屋ゆかりの作家」: 縁 (round 66)
    if name.endswith(("皆", "皆様", "皆さん", "皆さま", "各")):
        return True  # 「石川町会の皆|さん」: everyone of a body, no one (round 36); 「本部長外各|次長」: each (round 46)
    if _GROUP_OR_BLOCK_AFTER.match(text, end) and not _head_of_town_club(text, start, end) \
            or (name.endswith("丁") and text.startswith("目", end)):
        return True  # 「本郷こまわり隊」「岡崎葵ライオンズクラブ」「佃三|丁目」「富沢地域防犯協会」: no one (round 40;
        # round 82: 「長野南防犯協会連合会」; round 85: 「宇土八水土地改良区」)
    if in_work_title(text, start):
        return True  # 「人気アニメ「忍たま乱太郎」」: a work's title, its hero no one to withhold (round 39)
    if text.startswith("会", end) and not _WORD_GOES_ON.match(text, end + 1):
        return True  # 「大蔵本村睦会」: a residents' body named by its place, no one (round 38)
    if "党" in name or _CAMPAIGN_AFTER.match(text, end):
        return True  # 「公明党文京|区議団」: a party's ward councillors; 「ちゅらさん運動」: a campaign (round 32)
    if named_after(text, start, end) or _SAME_TOWN_BEFORE.search(text, max(0, start - 2), start) \
            or (name[-1:] in "院寺庵坊" and PRIEST_AFTER.match(text, end)):
        return True  # (「光明院住職」: the temple, whose name SudachiPy may read as a family name)
    if text.startswith(("支部長", "支部"), end) and _BODY_BEFORE.search(text, max(0, start - 4), start):
        return True  # 「長岡地域防犯協会四郎丸支部長」: the branch of the body named before, no one (round 30; round 110:
        # 「大分県警察官友の会別府支部長」)
    if script_of(name[-1]) == "hiragana" and script_of(text[end:end + 1] or "a") == "hiragana" \
            and not _KANA_AFTER_NAME.match(text, end):
        return True  # 「吉野おげん|きかい」: a hiragana word goes on after the given name (round 31)
    if script_of(name[-1]) == "katakana" and script_of(text[end:end + 1] or "a") == "katakana" \
            and text[end] not in "・ー=" and not load_lexicon().title_re.match(text, end):
        return True  # 「ハリウッド・マイルス|トーンズ」: a katakana word goes on after the name (round 60)
    if re.search(r"[(（][一-龥]", name):
        return True  # 「森小(福」: a bracket's place after a school (round 47)
    bracketed = text[start - 1:start] in ("(", "（") and text[end:end + 1] in (")", "）")
    if re.sub(r"[ \u3000]", "", name) in PREFECTURES and (bracketed or name not in PREFECTURES):
        return True  # 「(福岡)」「福 岡」: a prefecture in brackets or spaced out in a table (「福岡さん」 is a name)
    if name[-1:] in "市町村区" and name in load_lexicon().municipalities and not can_be_surname(name):
        return True  # 「中津市顧問弁護士」「大町町会長」: a municipality with its suffix, no one (round 70; 「森町さん」 is one)
    if _BODY_MEMBER_AFTER.match(text, end) and name in load_lexicon().municipality_stems \
            and (any(name + suffix in text for suffix in "市町村区") or name in PREFECTURES):
        return True  # 「大下井原市長、…井原交通安全協会員も」: a member of the town's body, the town named (round 70), or a
        # prefecture's town of its name (「長野交通安全協会員」, round 75)
    if _TROUPE_QUOTE_BEFORE.search(text, max(0, start - 30), start) or _PLACE_BODY_AFTER.match(text, end):
        return True
    if name in PREFECTURES and text.startswith(("県", "府", "道警"), end):
        return True  # 「佐賀|県警本部長」: the prefecture before its police or its office, no one (round 55)
    if len(name) >= 3 and _BODY_END.search(name) and BODY_HEAD.match(text, end):
        return True  # 「山口損保会|会長」: a body before its head's title, no one (round 60)
    if name.endswith(("駅", "署", "店", "局", "銀行")) and text.startswith("さん", end):
        return True  # 「JR九州小倉駅さんが主催する」: an office called by an honorific, no one (round 62)
    if name.endswith(("一家", "組", "会")) and _SYNDICATE_AFTER.match(text, end):
        return True  # 「小桜一家の傘下組織」: a crime syndicate, no one (round 61)
    if name[-2:] in ("高生", "大生", "中生") and (name[:-2] in PREFECTURES or name[:-2] in load_lexicon().municipality_stems) \
            and not load_lexicon().title_re.match(text, end):
        return True  # 「清水高生が」「富山大生の」: a town's school and its pupils, read as a family and a given name (round
        # 60); 「山田大生さん」 is a name
    if text.startswith(("市議", "町議", "村議", "区議"), end) and name + text[end] in load_lexicon().municipalities:
        return True  # 「養老|町議会議員」: the town's assembly, no one (round 59)
    count = COUNT_OF_TOWNS.search(name)
    if count is not None and count.start() > 0:
        return True  # 「岡崎、幸田、額田三市町長」: a count of the towns named before, whose heads follow (round 57;
        # a name that is only such a word is a family name, 「三村」)
    if _AREAS_LISTED_AFTER.match(text, end):
        return True  # 「藤田・さくら・錦・寺方南・佐太の6地域」: districts listed, no one (round 45)
    if len(name) >= 3 and name[0] in "課部係室局班" and load_lexicon().title_re.fullmatch(name, 1):
        return True  # 「生活安全課|課長さん」: a section's head, the title and no name (round 44)
    tail = _KATAKANA_TAIL.search(name)
    if tail is not None and script_of(name[0]) == "kanji" and one_common_noun(tail.group()):
        return True  # 「石内ネットワーク(会長)」: a group named by its place and a katakana word, no one (round 29)
    return bool(_MEDIA_AFTER.match(text, end) or _NO_NAME.match(name)) or glued_in_word(text, start, end) \
        or (name in load_lexicon().not_names and not _SUSPECT_AFTER.match(text, end))  # 「奥容疑者」 is a name


# Round 109: a katakana word running on into hiragana (「クマよけ」): with kanji after it, a phrase and no name.
_KATAKANA_THEN_HIRAGANA = re.compile(r"[ァ-ヺ][ぁ-ゖ]")
# Round 108: a child described by a 形状詞 before な (「泳ぎの苦手なお子さん」), not the given name なお子 after a family name.
_ADJECTIVE_BEFORE_CHILD = re.compile(r"(?:苦手|得意|好き|嫌い|大好き|大切|大事|元気|心配|不安|小さ|大き|幼|病弱|活発)な(?=お子さん)")


def _described_child(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] reads 「…なお子」 where な ends a 形状詞 before 「お子さん」, a child and no name."""
    around = _ADJECTIVE_BEFORE_CHILD.finditer(text, max(0, start - 4), end + 4)
    return any(m.start() <= start < m.end() + 2 for m in around)


# A list of districts and their count (「…・八雲東・佐太の6地域」).
_AREAS_LISTED_AFTER = re.compile(r"(?:・[^・、。\s]{1,6})*の[0-9０-９一二三四五六七八九十]+(?:地域|地区|校区|学区|町内|自治会)")
# A group named by its place and kana words, a club (round 41), an address's 丁目 or a district's association.
# (round 70: not an honorific and a particle before a word in 団, 「飯田恵輔さんと団体」)
_GROUP_OR_BLOCK_AFTER = re.compile(r"(?:(?!(?:さん|ちゃん|くん|さま)[とやらのがはもに、])[ぁ-ゖァ-ヺー]{2,8}(?:隊|団)"
                                   r"|[一-龥ァ-ヺー]{0,8}クラブ|丁目|地域防犯|地域安全|(?:防犯|交通安全)(?:協会|連合会|協議会)(?!会?長|員)"
                                   r"|土地改良区)")
# Round 111: a town's club after a full name and before its head's title (「柳瀬陽之助市老人クラブ連合会副会長」); a club
# named after its municipality (「岡崎市老人クラブ」) has the municipality's name before it, no one's.
_TOWN_CLUB_HEAD = re.compile(r"[市町村][一-龥ァ-ヺー]{0,8}クラブ(?:連合会|協議会)?(?:副?会長|理事長|事務局長)")


def _head_of_town_club(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is the name of the head of a town's club titled right after it."""
    return bool(_TOWN_CLUB_HEAD.match(text, end)) and text[start:end + 1] not in load_lexicon().municipalities


_HEAD_NAMED_AFTER = re.compile(r"(?:町内会|自治会|町会|区会)長[ \u3000]+[一-龥々]{1,4}[ \u3000]?[一-龥々]{1,4}(?:$|[\s、。(（])")
_OLD_STATION_NAME = re.compile(r"[(（](?:現|旧)[一-鿿々ヶ]{1,8}(?:警察署|署)?[)）](?:警察)?署")
# The quoted title of a work (「アニメ「…」」「絵本『…』」).
_WORK_TITLE_BEFORE = re.compile(r"(?:(?:アニメ|漫画|マンガ|映画|番組|ドラマ|絵本|小説|ゲーム|ソング|曲|歌)"
                                r"|(?:題名|タイトル)は?[^「『」』。]{0,10})[「『][^「『」』]*$")  # (rounds 60 and 62:
# 「オリジナルソング「ニセ電話詐欺なくさんば」」「映画の題名は、低学年用「断ちゃんが泣いた」」)


def in_work_title(text: str, start: int, titled: bool = True) -> bool:
    """Whether ``start`` stands inside the quoted title of a work (「人気アニメ「忍たま乱太郎」」): it names no one and no
    place (round 39). With ``titled``, also inside a title a talk or an event is given (「「…」と題し」, round 81); a
    place named there is still that place (「「さよなら粟田保育園」と題し」, round 115), so ``no_place`` asks without."""
    if _WORK_TITLE_BEFORE.search(text, max(0, start - 24), start) is not None:
        return True
    return titled and bool(_OPEN_QUOTE.search(text, max(0, start - 40), start) and _TITLED_AFTER.match(text, start))


# Round 81: a quoted title a talk or a work is given (「「けんちゃんの朝顔に…」と題して御講演」).
_OPEN_QUOTE = re.compile(r"[「『][^「『」』]*$")
_TITLED_AFTER = re.compile(r"[^「『」』]{0,60}[」』]と題")


# A word that goes on after 会 (「田中会長」「齋藤秀幸会津若松…」「会う」): 会 then ends no body's name.
_WORD_GOES_ON = re.compile(r"[一-龥々ァ-ヺぁ-ゖ](?<![のがはでにとをも])")
# A campaign named with an honorific (「ちゅらさん運動」「まもるくん活動」).
_CAMPAIGN_AFTER = re.compile(r"(?:さん|くん|ちゃん)(?:運動|活動|キャンペーン|大作戦|プロジェクト|パトロール)")  # (round 71:
# 「くまさんパトロール」)
# Round 71: a troupe's or a team's quoted name (「劇団「まもるくんといよっぴー」」), and a police box or a neighbourhood
# body named after its place (「竜丘駐在所の巡査長」「竜丘自治会安全委員」): no one.
_TROUPE_QUOTE_BEFORE = re.compile(r"(?:劇団|楽団|チーム|ユニット|バンド|グループ)[「『][^」』]*$")
_PLACE_BODY_AFTER = re.compile(r"(?:駐在所|交番|派出所)(?!長|所長)|(?:自治会|町内会|自治区)[一-龥]{0,4}委員")
# What may follow a name in hiragana: an honorific or a particle (「ゆいちゃん」「はなこは」).
_KANA_AFTER_NAME = re.compile(r"(?:さん|ちゃん|くん|さま|たち|ら|の|は|が|を|に|と|も|へ|で|や|か|より|まで|って|など|ね|よ)")
_SUSPECT_AFTER = re.compile(r"\s?(?:容疑者|被疑者|被告|受刑者)")
# A body glued before a branch's name (「…防犯協会|四郎丸支部長」).
_BODY_BEFORE = re.compile(r"(?:協会|協議会|連合会|組合|連盟|友の?会)$")
# A katakana word of four or more letters that ends a span starting in kanji (「石内|ネットワーク」).
_KATAKANA_TAIL = re.compile(r"[ァ-ヺー]{4,}$")
# Round 18: what is glued after 同市 / 同町 is a town of it (「同市小松原通の同本部」), never a person.
_BODY_MEMBER_AFTER = re.compile(r"[一-龥]{0,10}?(?:協会|協議会|連合会|組合)員")
_SAME_TOWN_BEFORE = re.compile(r"同[市町村区]$")
# A town's 字 (a kanji before it) and the kanji of its name up to where a person's name would start.
_ADDRESS_AZA_BEFORE = re.compile(r"(?<=[一-龥々ヶ])字[一-龥々ヶ]{0,4}$")
# A temple's priest after its name (「光明院住職」): the name before is the temple's (also ``facilities``).
PRIEST_AFTER = re.compile(r"の?(?:副|前|元)?(?:住職|管長|貫主|貫首)")  # (round 36: 「法隆寺管長」)

# Round 12. What a name is part of, not a person: an association of a trade or a board glued after it, named after
# its district (「田方薬剤師会」「室戸市教育委員会」; not 「山田会長」); a road, a monument or a prize named after
# someone (「水木しげるロード」「野口英世記念館」「山田太郎賞」); a mascot of the police (「岡山県警ももくん」); a region's
# joint body (「鹿行広域事務組合消防本部」, round 115).
_GROUP_AFTER = re.compile(r"(?:[一-鿿々ヶ]{1,8}?(?:協議会|連合会|協会|組合|連盟|会)|子ども会|こども会)(?![一-鿿々ヶ])"
                          r"|広域[一-鿿]{0,4}?(?:組合|連合|消防|行政|圏)")
_NAMED_PLACE_AFTER = re.compile(r"(?:ロード|通り|ストリート|記念館|記念碑|記念公園|記念室|銅像|像(?![一-鿿])|賞(?![一-鿿])|街道"
                                r"|ミュージアム|美術館|文学館)")
_POLICE_IN_NAME = re.compile(r"(?:県警|府警|道警|警視庁|警察)")
_POLICE_BEFORE = re.compile(r"(?:県警|府警|道警|警視庁|警察)の?$")
# 「菅原正宏副会長(加賀野)」: the bracket after a named holder's title holds where he stands for (a district, a shop).
_AFTER_HOLDER_TITLE = re.compile(r"[一-鿿々ヶ]{2,}(?:副?会長|副?支部長|副?部会長|理事|委員|代表|副?班長|幹事)[(（]$")
# 「神清からのお願い」: the sender of a notice, at the start of a line.
_SENDER_AFTER = re.compile(r"からの(?:お願い|お知らせ|ご案内|ご連絡|メッセージ)")


def named_after(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] names an association, a place, a prize or a police mascot rather than a person, or is
    the district in brackets after a holder's title, or the sender of a notice heading a line (round 12)."""
    if _GROUP_AFTER.match(text, end) or _NAMED_PLACE_AFTER.match(text, end) or _POLICE_IN_NAME.search(text, start, end):
        return True
    if _POLICE_BEFORE.search(text, max(0, start - 4), start) and text.startswith(("くん", "ちゃん", "君"), end):
        return True  # 「県警ぴよくん」: the police's mascot
    if text[end:end + 1] in ")）" and _AFTER_HOLDER_TITLE.search(text, max(0, start - 16), start):
        return True
    return _SENDER_AFTER.match(text, end) is not None and (start == 0 or text[start - 1] == "\n")

# Round 11. A place, not a person, before the unit of an association named after it, maybe with its reading between:
# 「西富安(にしとみやす)地区」, 「松浦という地区」 (round 80), and 「大谷(おおたに)分会長の堀田治雄さん」 (the head is named
# after the unit).
_SHORTHAND_BLOCK = re.compile(r"[一二三四五六七八九十]ノ[一二三四五六七八九十]")
# A school's short kind and one of its clubs after a name (round 119: 「県立佐世保東翔|高美術部」).
_SCHOOL_CLUB_AFTER = re.compile(rf"[小中高](?:{CLUBS})部(?![長会])")
# (round 119: also a region, 「中南信|地方」, and a school's district, 「金城|学区」)
_UNIT_AFTER = re.compile(r"\s?(?:[(（][ぁ-ゖ]{2,12}[)）])?\s?(?:(?:という)?(?:地区|校区|学区|地方(?![一-龥々]))|"
                         r"(?:分会|支部|支会|分団)長?の[一-鿿々ヶ]{2,6}(?:\s?[(（][^()（）]{1,16}[)）])?(?:さん|氏|様))")
# 「「佐古あいじつパトロール隊」」: a name glued to more words inside the quoted name of a group.
_GROUP_END = re.compile(r"(?:隊|会|団|クラブ|協議会|連合会|ネットワーク|ボランティア)$")


def _in_group_name(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is a part, glued to more words, of a group's name in 「」 (「佐古あいじつパトロール隊」)."""
    if end >= len(text) or not ("ぁ" <= text[end] <= "ゖ" or "一" <= text[end] <= "鿿" or "ァ" <= text[end] <= "ヺ") \
            or text.startswith(("さん", "ちゃん", "くん", "君", "様", "氏"), end):
        return False
    open_at = max(text.rfind("「", 0, start), text.rfind("『", 0, start))
    if open_at < 0 or max(text.rfind("」", open_at, start), text.rfind("』", open_at, start)) >= 0:
        return False
    close = min((i for i in (text.find("」", end), text.find("』", end)) if i >= 0), default=-1)
    return close > 0 and close - open_at <= 30 and _GROUP_END.search(text, end, close) is not None


# After a name: its title or an age in brackets (「会社員長利雄さん」 is a name glued to a word before it).
_NAME_AFTER = re.compile(r"\s?(?:[(（]\s?(?:当時)?\s?[0-9]|[、。・\s」』)）]|$)")


def glued_in_word(text: str, start: int, end: int) -> bool:
    """Whether a name of two kanji the dictionary reads as one and one (姓 金, 名 章), glued to a common word of kanji
    before it and followed by neither a title, an age nor a stop, is the end of that word (「防犯栄誉|金章(…)を受賞」
    is a medal)."""
    if end - start != 2 or start == 0 or not all(_is_kanji(ch) for ch in text[start - 1:end]):
        return False
    lex = load_lexicon()
    if lex.title_re.match(text, end):
        return False
    # round 13: after a word of honour a grade of medal is no name whatever follows (「防犯栄誉|金章、」)
    award = _AWARD_BEFORE.search(text, max(0, start - 4), start) and text[start + 1] in "章賞"
    if _NAME_AFTER.match(text, end) and not award:
        return False
    if [len(t.surface) for t in tokenize(text[start:end])] != [1, 1]:
        return False  # a family name the dictionary knows whole (「会社員田中が」) is one
    before = tokenize(text[max(0, start - 4):start])
    return bool(before) and before[-1].pos[1] == "普通名詞" and len(before[-1].surface) >= 2 and not before[-1].oov


# The words of honour a medal's grade follows (「防犯栄誉金章」「功労銀章」).
_AWARD_BEFORE = re.compile(r"(?:栄誉|功労|功績|表彰|記念|特別)$")
# Round 13. 「八頭建協会長」: a given name of one kanji glued before 協(会|議会)長 is the lead of an association's
# short name (建協 = 建設業協会), not the end of a person's name.
_SHORT_GROUP_AFTER = re.compile(r"協(?:議)?会?長")


def short_group_lead(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] ends in one kanji that, with 協 after it, is an association's short name
    (「八頭|建協|会長」): a family name and a given name of one kanji read by SudachiPy there."""
    if end - start < 3 or not _SHORT_GROUP_AFTER.match(text, end):
        return False
    piece = tokenize(text[start:end])
    return len(piece) >= 2 and len(piece[-1].surface) == 1 and piece[-1].person and piece[-1].pos[3] == "名"


def _is_kanji(ch: str) -> bool:
    return "一" <= ch <= "鿿" or ch in "々〆ヶ"


def inside_town(text: str, start: int, end: int) -> bool:
    """Whether a town of the gazetteer covers text[start:end] (「国分重久」 is a town, not 国分 重久)."""
    gaz = address.gazetteer()
    for p in range(max(0, start - gaz.all_lengths[0]), start + 1):
        for length in gaz.all_lengths:
            if p + length < end:
                break
            if address.fold(text[p:p + length]) in gaz.everywhere:
                return True
    return False


def misread_full_name(text: str, tokens, k: int, j: int, lex: Lexicon) -> bool:
    """Whether the family name (token ``k``) and the given name (token ``j``) SudachiPy reads are no name (round
    100): they run across a municipality and its town (「宮崎|市花|ヶ島町」), name a street of a 条 district
    (「北13条北郷|通などで」), the given name runs into a word with the suffix after it (「石崎|小登|録」, 登録), or they
    name the place of a road (round 101) or a mountain (round 102)."""
    start, mid, end = tokens[k].begin, tokens[k].end, tokens[j].end
    if text[mid] in "市町村区" and is_municipality_name(text[start:mid + 1], lex):
        return True
    if text[mid:end] == "通" and re.search(r"[0-9０-９一二三四五六七八九十]条$", text[:start]):
        return True
    if end - start == 2 and _ROAD_OF_PLACE_AFTER.match(text, end):
        return True  # 「旭|原の道路の穴を」: two kanji before a road or crossing are its place (round 101)
    if text[end - 1] in "山岳峰" and not lex.title_re.match(text, end):
        return True  # 「鹿屋の高|隈山、」: a given name that ends as a mountain's does, with no title, is one (round 102)
    nxt = tokens[j + 1] if j + 1 < len(tokens) else None
    return nxt is not None and nxt.begin == end and nxt.pos[0] == "接尾辞" and not lex.title_re.match(text, end) \
        and one_common_noun(text[end - 1:nxt.end])


_ROAD_OF_PLACE_AFTER = re.compile(r"の(?:道路|交差点|県道|市道|町道|農道|踏切|集落)")


@functools.lru_cache(maxsize=1)
def _business_words() -> re.Pattern:
    words = sorted(set(dictionary_lines("business_words.txt")), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, words)))


def in_business_word(text: str, start: int, end: int) -> bool:
    """Whether a company's trade word (``business_words.txt``) starts inside text[start:end] and runs to its end or
    beyond (「浜|田港運」: the name read there is the company's 浜田港運, 「山田建|設」)."""
    words = _business_words()
    for p in range(start + 1, end):
        m = words.match(text, p)
        if m and m.end() >= end:
            return True
    return False


def full_name_word(name: str) -> bool:
    """Whether SudachiPy reads ``name`` before 警察署長 as a family name and a given name, the whole of it (「井上|正」,
    round 61): the head's full name, no station."""
    piece = tokenize(name + "警察署長")
    return len(piece) > 2 and piece[0].pos[3] == "姓" and piece[1].pos[3] == "名" and piece[1].end == len(name)


def surname_word(name: str) -> bool:
    """Whether SudachiPy reads ``name`` as one family name (「佐藤」), not a place (「蒲田」) or pieces (「金|沢東」):
    before 警察署長 such a word is the head's name, anything else the station's town."""
    piece = tokenize(name + "警察署長")  # read as it is written: alone 「赤星」 is a word (a red star)
    return piece[0].surface == name and piece[0].person and piece[0].pos[3] == "姓"


# Words of family, age and status that stand before a given name without being a family name (「長男太郎さん」).
_NOT_FAMILY = re.compile(r"^(?:長男|次男|三男|長女|次女|三女|妻|夫|息子|娘|父|母|祖父|祖母|孫|兄|弟|姉|妹|義母|義父|"
                         r"少年|少女|男性|女性|男児|女児|児童|生徒|同僚|部下|上司|友人|知人|店主|園児)$")


def word_as_surname(text: str, tokens, j: int, parts: list[Token], lex: Lexicon) -> bool:
    """Whether the common word ``tokens[j]`` of two or three kanji, right before a given name (SudachiPy
    人名,名) and at the start of a word, is the family name the dictionary does not know (「平敷|昭人教育長」
    「鶴丸|芳郎会長」), not a word of family or job (「長男太郎さん」「無職太郎」)."""
    t = tokens[j]
    if not parts or parts[-1].pos[3] != "名" or parts[-1].begin != t.end or len(t.surface) > 3:
        return False
    if any(script_of(ch) != "kanji" for ch in t.surface) or t.surface in lex.generic or t.surface in lex.not_names \
            or t.surface in lex.titles or t.surface in lex.titles_before or _NOT_FAMILY.match(t.surface) \
            or t.surface in occupations():
        return False
    return t.begin == 0 or script_of(text[t.begin - 1]) != "kanji" or tokens[j - 1].pos[0] in ("助詞", "補助記号")


def surname_like(t: Token) -> bool:
    """A token that can be the family name before a given name the dictionary reads as a word."""
    return t.pos[3] == "姓" or (t.oov and t.pos[1] != "数詞") or (t.pos[1] == "固有名詞" and t.pos[2] in ("人名", "地名")
                                                                and t.pos[3] != "名")  # 「一郎|警察庁」: no family name


def family_before_glued(text: str, tokens, k: int, end: int, given_too: bool) -> int | None:
    """Where the family name starts whose last kanji, or whose given name's last kanji, SudachiPy glued to the title
    that starts at ``end`` (「名|和様」「服|部署|長」「山口|志|仁君」), the token before the glued one being ``k``: kanji
    from token ``k`` to ``end`` that can be a family name (「名和」「服部」); with ``given_too`` also a family name of its
    dictionary (人名,姓) at token ``k``, or before one kanji at ``k``. At the start of a word; or None (rounds 80, 81)."""
    start = tokens[k].begin
    glued_given = given_too and k > 0 and tokens[k - 1].end == start and tokens[k - 1].pos[2:4] == ("人名", "姓") \
        and len(tokens[k].surface) == 1 and script_of(tokens[k].surface) == "kanji"
    first = tokens[k - 1] if glued_given else tokens[k]
    if first.begin > 0 and script_of(text[first.begin - 1]) == "kanji":
        return None
    run = text[start:end]
    if glued_given or (2 <= len(run) <= 3 and all(script_of(ch) == "kanji" for ch in run) and can_be_surname(run)):
        return first.begin
    return start if given_too and tokens[k].pos[2:4] == ("人名", "姓") and tokens[k].end == end - 1 else None


# A title and の before a name (「老人クラブ連合会長の」「市議会議長の」).
_TITLE_THEN_NO = re.compile(r"(?:長|議員|理事|委員|顧問|代表)の$")


def named_after_title(text: str, tokens, k: int, lex: Lexicon) -> bool:
    """Whether tokens k-1 and k before 様 are a family name SudachiPy reads as a place and a two-kanji common word, after
    a title and の (「連合会長の伊東|寂光|様」): the title's holder, named in full (round 80)."""
    if k == 0:
        return False
    family, word = tokens[k - 1], tokens[k]
    return family.end == word.begin and family.pos[2] == "地名" and can_be_surname(family.surface) \
        and word.pos[1] == "普通名詞" and len(word.surface) == 2 and all(script_of(ch) == "kanji" for ch in word.surface) \
        and word.surface not in lex.suffixes and word.surface not in lex.generic \
        and _TITLE_THEN_NO.search(text, max(0, family.begin - 4), family.begin) is not None


# A wrestler's rank, which is also a family name (「大関が」; 「大関さん」 is a person).
_SUMO_RANKS = frozenset(("横綱", "大関", "関脇", "小結", "前頭"))


def bare_rank(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is a sumo rank with no title after it: a learned span there names no one (round 81:
    the model of round 80 learned 「大関」 from a staff list, 「教頭 瀧澤 大関」)."""
    return text[start:end] in _SUMO_RANKS and not load_lexicon().title_re.match(text, end)


def place_read_full_name(text: str, word: Token) -> bool:
    """Whether ``word``, one token SudachiPy reads as a place (a town of 永平寺町, 「松岡葵」), starts a word and splits into a
    family name and a given name: before a title no place holds, it is that person (round 60)."""
    s = word.surface
    if word.pos[2] != "地名" or not 3 <= len(s) <= 5 or any(script_of(ch) != "kanji" for ch in s) \
            or (word.begin > 0 and script_of(text[word.begin - 1]) == "kanji"):
        return False
    return any(can_be_surname(s[:i]) and can_be_given(s[i:]) for i in (2, 3) if i < len(s))


def family_before_lead(text: str, word: Token, h: int, lex: Lexicon) -> int | None:
    """Where the family name starts that SudachiPy reads with the 新, 前, 元 or 現 before a job title at ``h`` as one place
    (「田中新|支部長」「田中前|社長」), at the start of a word; or None. No town or police station (「大阪前市長」; round 84)."""
    name = text[word.begin:h - 1]
    if word.end != h or text[h - 1] not in "新前元現" or word.pos[2] != "地名" or not 2 <= len(name) <= 3 \
            or (word.begin > 0 and script_of(text[word.begin - 1]) == "kanji"):
        return None
    town = is_municipality_name(name, lex) or is_station_name(name)
    return word.begin if can_be_surname(name) and not town else None


def given_glued_to_title(tokens, owner, h: int, h_end: int) -> int | None:
    """Where the family name starts before a katakana given name that SudachiPy glues to a katakana title as one unknown
    word (「熊本|フミアナウンサー」), or None: a token read as a family name (人名,姓) right before that word (round 88)."""
    word = tokens[owner[h]]
    if not (word.oov and word.begin < h and word.end == h_end and 1 <= h - word.begin <= 4) or owner[word.begin] == 0:
        return None
    family = tokens[owner[word.begin] - 1]
    if family.end != word.begin or family.pos[3] != "姓" or not all(is_katakana(ch) for ch in word.surface):
        return None
    return family.begin


def two_municipalities(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is two municipalities side by side with no title after them (「岡崎幸田を…にしたい」: the
    area of 岡崎市 and 幸田町), which a learned span may read as a family and a given name (round 95); or a municipality
    named whole and a town of it after it (「宮崎市花ヶ島町、会社員」, round 100)."""
    lex = load_lexicon()
    name, stems = text[start:end], lex.municipality_stems
    halves = ((name[:i], name[i:]) for i in range(2, len(name) - 1))
    if 0 < municipality_prefix(name, lex)[0] < len(name):
        return True
    return not lex.title_re.match(text, end) and any(a in stems and b in stems for a, b in halves)


_KINSHIP = re.compile(r"(?:長男|次男|二男|三男|四男|長女|次女|二女|三女|四女|息子)(?=[一-龥々ぁ-ゖァ-ヺ])")


def without_word_before(text: str, c: tuple, lex: Lexicon) -> tuple:
    """A name read with the kinship word before it (「二男直希君」, round 38) or with the chain store he works at
    (「セブン―イレブン坂井さん」, round 119) starting after that word."""
    if c[3] != PERSON_MASK:
        return c
    m = _KINSHIP.match(text, c[0])
    if m is None:
        m = lex.chain_re.match(text, c[0])  # (a chain in kanji may be the family name: 「万代さくら」)
        if m is None or all(script_of(ch) == "kanji" for ch in m.group()) or not can_be_surname(text[m.end():c[1]]):
            return c
    return c if c[1] - m.end() < 1 else (m.end(), *c[1:])
