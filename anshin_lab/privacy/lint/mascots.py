"""Mascots are no persons: 「ふっけい君」「マスコットのひかる君」「ミーポくんと豆助が登場」.

A name before 君 / くん / ちゃん is a child's unless it is a mascot of ``mascots.txt``, one the text
introduces as a mascot or character, a service named after one or a row of them (「きしゅう君の防犯メール」
「ももくん・ももかちゃん安心メール」), a kana name quoted alone in a text about a campaign (「「さぎかもくん」も
参加」), a name in a text about mascots on stage, or an animal's name (「オスのこむぎ君」). ``person_titles`` asks this of every name before those titles.
"""

from __future__ import annotations

import re

from anshin_lab.privacy.lint.lexicon import Lexicon
from anshin_lab.privacy.lint.tokens import kana_of, script_of, tokenize

__all__ = ["ANIMAL_BEFORE_NAME", "is_mascot"]

# Titles a mascot's name takes, and the words that introduce a mascot (「マスコットの〇〇くん」
# 「キャラクター「〇〇ちゃん」」): that name is no person wherever it stands in the text.
_MASCOT_TITLES = {"君", "くん", "ちゃん"}
# (round 70: a blue patrol car's nickname, 「青パト”まもるくん”」)
_MASCOT_NAMED = re.compile(r"(?:(?:マスコット|キャラクター|ゆるキャラ|着ぐるみ|広報大使|愛称|ニックネーム)(?:キャラクター)?"
                           r"(?:の|である|、|は|が|を|も|=|＝)?\s?[「『【]?|(?:青パト|青色パトカー)\s?[「『【“”\"])"
                           r"(?P<name>[^\s「」『』【】“”\"、。・の]{1,10}?)(?P<title>君|くん|ちゃん|さん)")

# A service of the police named after its mascot, in brackets: 「「〇〇君の防犯メール」」「「〇〇くん安心ネット」」,
# and a refuge for children named after one (「「きしゅう君の家」」, as 「こども110番の家」).
# 「ももくん・ももかちゃん安心メール」: more mascots may stand in a row before the service's word.
_SERVICE_AFTER = re.compile(r"(?:[・･と][^」』「『。、・･]{1,10}?(?:君|くん|ちゃん))*の?[^」』「『。、]{0,8}?(?:メール|ネット|ネットワーク|通信|だより|ニュース|アプリ|情報|ブログ|"
                            r"テレビ|ラジオ|チャンネル|ページ|家)[」』]")
# Round 18: a safety-mail service glued after the mascot's title, with no brackets (「上州くん安全・安心メール」).
_GLUED_SERVICE = re.compile(r"(?:安全|安心|防犯)[・･]?(?:安全|安心|防犯)?(?:メール|ネット|ネットワーク|情報)")
_BRACKET_BEFORE = re.compile(r"[「『][^」』]{0,3}$")
# 「「さぎかもくん」も参加した」: a kana name with its title alone in brackets, then a particle of the sentence (not the
# と / って of a call, 「「ゆいちゃん」と声をかけ」): the brackets name a character, as they name a product.
# The text must be about a campaign or an event (a missing child 「「ゆうとくん」が」 is no character).
_QUOTED_ALONE_AFTER = re.compile(r"[」』](?:も|が|は|の|を|に|や|、)")
# (round 18: a patrol car's nickname 「「まもるくん」は…パトロールをしています」)
_CAMPAIGN_CUE = re.compile(r"広報|啓発|キャンペーン|イベント|出演|参加|登場|PR|ＰＲ|呼びかけ|マスコット|キャラクター|着ぐるみ"
                           r"|パトロール|愛称|命名")

# 「まもるくん(青色パトカーの愛称です)」: brackets right after the name that call it a nickname or a character.
_NICKNAME_AFTER = re.compile(r"\s?[(（][^()（）]{0,24}?(?:愛称|マスコット|キャラクター|ニックネーム|ゆるキャラ)")

# An animal's name (round 11): 「オスのこむぎ君」, or any name in a text that counts animals (「2頭のヤギ」「警察犬の」)
# and tells their sex (「オスの」「メスの」).
_ANIMAL_BEFORE = re.compile(r"(?:オス|メス|雄|雌)の\s?$")
_ANIMALS = re.compile(r"[0-9０-９一二三四五六七八九十]\s?(?:頭|匹|羽)の|警察犬|ヤギ|山羊|ポニー|子犬|子猫|愛犬|愛猫")
_ANIMAL_PAIR = re.compile(r"(?:オス|メス|雄|雌)(?:の|で)")
# Round 77: a zoo's or the police's animal named after its kind (「アシカのノイ 一日署長」「警察犬のアロー号」).
ANIMAL_BEFORE_NAME = re.compile(r"(?<![ァ-ヺー])(?:アシカ|アザラシ|オットセイ|ペンギン|イルカ|シャチ|ラッコ|カワウソ|パンダ|ゾウ"
                                r"|キリン|ライオン|トラ|ヤギ|ポニー|ウマ|警察犬|盲導犬|子犬|子猫|愛犬|愛猫)の\s?$")

# The police as the owner of a kana name (「北海道警察本部のほくとくん」「県警の〇〇ちゃん」): a character of theirs.
_POLICE_OWNER = re.compile(r"(?:警察本部|県警|府警|道警|警視庁|警察)の$")
# A town or the police, then a kana name quoted whole: 「小浜市の「さばトラななちゃん」」「県警「リュウミーちゃん」」; a row
# of them names characters (one alone may be a child's nickname: 「鹿児島市の「ゆいちゃん」(5)」).
_OWNER = r"(?:[市町村]の|警察本部の?|県警の?|府警の?|道警の?|警視庁の?)[「『]"
_OWNER_QUOTE = re.compile(_OWNER + "$")
_OWNED_QUOTES = re.compile(_OWNER + r"[ぁ-ゖァ-ヺー]{1,12}[」』]")

# A katakana name glued to a campaign's word is a character's pun (「交通ルルちゃん」, round 91).
_CAMPAIGN_GLUED = re.compile(r"(?:交通|防犯|安全|防災|詐欺)$")

# Words that show a text is about mascots on stage: their kana names before くん / ちゃん are no children.
_MASCOT_CUE = re.compile(r"マスコット|キャラクタ|ゆるキャラ|キャラ(?![メバ])|着ぐるみ|登場")  # (round 21: 「イメージキャラクタ」;
# round 34: 「彦愛犬のキャラは、ひこにゃん、よいとちゃん…」)
_MASCOT_PAIR = re.compile(r"[・]\s?(?P<name>[^\s「」『』【】、。・の]{1,10}?)(?:君|くん|ちゃん)")


def is_mascot(text: str, start: int, h: int, title: str, lex: Lexicon) -> bool:
    """Whether the name text[start:h] before 君/くん/ちゃん is a mascot: a known one (``mascots.txt``), or
    one the text introduces as a mascot or character."""
    if title not in _MASCOT_TITLES and title != "さん":
        return False
    name = text[start:h]
    # (round 70: 「キャラクター=キクホちゃん」, read whole as a foreign name joined by =)
    # (round 73: 「イメージキャラクター「たんぽ小町ちゃん」」, whose last word alone was read as a name)
    named = [m for m in _MASCOT_NAMED.finditer(text)
             if m["name"] == name or name.endswith(("=" + m["name"], "＝" + m["name"]))
             or (m.end("name") == h and m["name"].endswith(name))]
    if title == "さん":
        # 「キャラクター「レルヒさん」」 (round 57); a known one (「サザエさん」, round 79); an ambassador named in kanji
        # is a person (「みやぎ防犯広報大使萌江さん」, round 101)
        return name in lex.mascots or any(m["title"] == "さん" and not (m.group().startswith("広報大使") and all(
            script_of(ch) == "kanji" for ch in name)) for m in named)
    if name in lex.mascots or named:
        return True
    if any(len(known) > len(name) and text[max(0, h - len(known)):h] == known for known in lex.mascots):
        return True  # 「き|しゅう君」: a known mascot the finder read from inside
    if _GLUED_SERVICE.match(text, h + len(title)):
        return True  # 「上州くん安全・安心メール」: a police mail service named after its mascot (round 18)
    if _SERVICE_AFTER.match(text, h + len(title)) and _BRACKET_BEFORE.search(text, max(0, start - 4), start):
        return True  # 「きしゅう君の防犯メール」「ピーポくん安全ネット」: a service named after the mascot
    if _ANIMAL_BEFORE.search(text, max(0, start - 4), start) or (_ANIMALS.search(text) and _ANIMAL_PAIR.search(text)) \
            or ANIMAL_BEFORE_NAME.search(text, max(0, start - 8), start):
        return True  # 「2頭のヤギ…オスのこむぎ君とメスのきなこちゃん」: an animal's name, no person's
    if _POLICE_OWNER.search(text, max(0, start - 8), start) and all(script_of(ch) in ("hiragana", "katakana")
                                                                     for ch in name):
        return True  # 「北海道警察本部のほくとくん」: the police's own character, no child (round 21)
    if _OWNER_QUOTE.search(text, max(0, start - 8), start) and text.startswith(("」", "』"), h + len(title)) and (
            (all(script_of(ch) in ("hiragana", "katakana") for ch in name) and len(_OWNED_QUOTES.findall(text)) >= 2)
            or _MASCOT_NAMED.search(text)):
        return True  # 「高浜町の「赤ふん坊や」、…小浜市の「さばトラななちゃん」」: a row of towns' characters (round 67), or
        # one beside a mascot the text names (「マスコット「ポポ美ちゃん」と群馬県警の「上州くん」」, round 73)
    device = _DEVICE_BEFORE.search(text, max(0, start - 24), start)
    if device and text.startswith(("」", "』"), h + len(title)):
        return True  # 「歩行者環境シミュレーター「わたりジョーズ君」」: a device's name (round 37)
    if _QUOTE_OPEN_BEFORE.search(text, max(0, start - 9), start) and _DEVICES_AFTER.match(text, h + len(title)):
        return True  # 「「わたり上手くん」、「可搬型運転適性操作機」や…の体験」: one of a row of devices (round 105)
    if _CAMPAIGN_GLUED.search(text, max(0, start - 2), start) and all(script_of(ch) == "katakana" for ch in name):
        return True  # 「交通ルルちゃん」: a character named for traffic rules (round 91)
    if _NICKNAME_AFTER.match(text, h + len(title)):
        return True  # 「まもるくん(青色パトカーの愛称です)」: the text says whose nickname it is
    if start > 0 and text[start - 1] in "「『" and _QUOTED_ALONE_AFTER.match(text, h + len(title)) \
            and _CAMPAIGN_CUE.search(text) \
            and all(script_of(ch) in ("hiragana", "katakana") for ch in name):
        return True  # 「「さぎかもくん」も参加」: a character quoted by its name
    if any(name.endswith(known) and not kana_of(name[-len(known) - 1]) for known in lex.mascots if len(known) < len(name)):
        return True  # 「神奈川県警ピーガルくん」: a known mascot after whose it is
    if (_MASCOT_CUE.search(text) or _character_in(text, lex)) and not _beside_a_mascot(text, start, lex) \
            and all(script_of(ch) in ("hiragana", "katakana") for ch in name[:-1]) \
            and not (len(name) >= 2 and script_of(name[-1]) == "kanji" and script_of(name[-2]) == "kanji"):
        return True  # 「ミーポくんと豆助が登場」「…のけいたくん・…マスコットのたび丸くん」: a text about mascots
    # 「マスコットキャラクター「フーくん・ケイちゃん」」: the second of a pair the text introduces together
    return any(p["name"] == name for m in _MASCOT_NAMED.finditer(text) for p in [_MASCOT_PAIR.match(text, m.end())] if p)


# A device or a vehicle named in quotes right after what it is (「シミュレーター「わたりジョーズ君」」); a puppet also
# after の (「腹話術で人形の「けんちゃん」と会話し」, round 91).
_DEVICE_BEFORE = re.compile(r"(?:(?:シミュレーター|シミュレータ|ロボット|装置|機|器|車|号|アプリ)|(?:人形|ぬいぐるみ|パペット)の?)"
                            r"[「『][^「『」』]{0,12}$")
# Round 105: a name quoted as one of a row of quoted things, the next of them a device (「「わたり上手くん」、「…操作機」や」).
_QUOTE_OPEN_BEFORE = re.compile(r"[「『][^「『」』]{0,8}$")
_DEVICES_AFTER = re.compile(r"[」』][、・や]\s?[「『][^「『」』]{0,16}?(?:シミュレーター|シミュレータ|シュミレーター|装置|機|器)[」』]")
# 「ネズミくん」「ウサギちゃん」: a thing or an animal with the title of a child is a character on stage.
_CHARACTER = re.compile(r"(?<![ァ-ヺー])([ァ-ヺー]{2,8})(?:くん|君|ちゃん)")


def _character_in(text: str, lex: Lexicon) -> bool:
    """Whether ``text`` names a character: a katakana common word SudachiPy knows before くん / ちゃん."""
    for m in _CHARACTER.finditer(text):
        word = m.group(1)
        piece = tokenize(word)
        if len(piece) == 1 and piece[0].pos[1] == "普通名詞" and not piece[0].oov and word not in lex.not_names:
            return True
    return False


_PAIRED = re.compile(r"(?P<word>[^\s「」『』【】、。・の]{1,8}?)(?:くん|ちゃん|君)と$")


def _beside_a_mascot(text: str, start: int, lex: Lexicon) -> bool:
    """Whether the name at ``start`` follows a named mascot and と (「マスコットのフーくんとゆいちゃん」: a child
    may stand beside one); beside a character named by a common word (「タヌキくんとぽんた君」) it is one too."""
    m = _PAIRED.search(text, max(0, start - 12), start)
    return bool(m) and not _character_in(m.group("word") + "くん", lex)
