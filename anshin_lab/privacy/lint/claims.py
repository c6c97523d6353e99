"""Organisations that are no place: one a caller claims to be from, one fraudsters made up (``made_up``), the police,
and a sponsor or a group of people.

A fraud caller names a bank, a shop or an office (「山形屋の店員を名乗る」「市役所の者です」, ``claims.csv``);
a web or mail address names who it pretends to be in brackets after it (「…@smbc-card.com(三井住友銀行)」);
an event lists its sponsors (「(産経新聞社、…主催)」). None tells where anything happened, so none is a facility
finding. Every facility finder
(``facilities``, ``chains``, ``prefix_kinds``, ``landmarks``, ``frames``) asks these questions, so they live
apart from any one of them.
"""

from __future__ import annotations

import re

from anshin_lab.privacy.lint.lexicon import Lexicon, load_lexicon

__all__ = ["POLICE_AFTER", "claimed", "exempt", "made_up", "sponsor_or_group"]

# (「築館署」「宮城県警築館署」: a town before 署 names the police station, as before 警察署; 「成田国際空港警備隊」 is a unit
# of the police, round 55)
POLICE_AFTER = re.compile(r"(?:駅)?(?:前|東口|西口|南口|北口|口)?(?:幹部交番|交番|駐在所|警察署|派出所|警備派出所|警備隊|署(?!名))")


def claimed(text: str, start: int, end: int, lex: Lexicon) -> bool:
    """Whether text[start:end] is an organisation a caller claims to be: a claiming verb after it
    (「〜の職員を名乗る」「〜を装い」「〜の者です」), or 自称 / 元 before it."""
    section = _SECTION_AFTER.match(text, end)
    return bool(lex.claim_after.match(text, end, end + 40) or lex.claim_before.search(text, max(0, start - 4), start)
                or (section is not None and (lex.claim_after.match(text, section.end(), section.end() + 40)
                                             or _NAMED_CALLER.match(text, section.end())))
                or _SENDER_BEFORE.search(text, max(0, start - 80), start) or _NAMED_CALLER.match(text, end)
                or _quoted_fake_name(text, start, end) or _self_introduced(text, start, end))


# Round 25: a caller's or a recorded voice's self-introduction in quotes (「電話にかかってきたもので、「こちらはNTT
# ドコモです。…」」): a claim. A call, message or recorded voice must be said before the quote: a town's broadcast
# (「放送内容:「こちらは杉並区役所です」」) is the office's own.
_INTRODUCTION_BEFORE = re.compile(r"[「『]\s?(?:はい、?|もしもし、?)?こちら(?:は|、)\s?$")
_INTRODUCTION_AFTER = re.compile(r"(?:の[^。」』\n]{0,12}?)?(?:です|でございます|と申します|の者)")
_CALL_BEFORE = re.compile(r"電話|かかって|着信|自動音声|音声ガイダンス|メール|SMS|ショートメッセージ|通話")


def _self_introduced(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is what a quoted caller says it is (「…電話で「こちらは〇〇です」」)."""
    opener = _INTRODUCTION_BEFORE.search(text, max(0, start - 12), start)
    return bool(opener and _INTRODUCTION_AFTER.match(text, end)
                and _CALL_BEFORE.search(text, max(0, opener.start() - 40), opener.start()))


# A section or a building of the organisation after it, glued or after の (「芦屋市役所健康保健課の職員名を名乗り」
# 「むつ市役所の分庁舎の職員をかたる」「小樽市役所の後期高齢担当や、年金係などと名乗り」, round 68): the claim still names it.
_SECTION_AFTER = re.compile(r"の?[一-龥々ァ-ヺー]{0,10}?(?:課|係|室|部|局|窓口|庁舎|支所|出張所|事務所|センター|担当)")


# Round 10: the names a fraud's letters and mails are sent under, quoted (「差出人は「法務省管轄支局 国民訴訟通達
# センター」、「…管理センター」などと記載」「かたられた名称には、「消費者センター」、「…」などがあります」
# 「「…告知センター」など公的機関に似た名称で送付」): each quote of the list is a name a fraud uses, no place.
_QUOTE_LIST_BEFORE = re.compile(r"(?:[「『][^「」『』\n]{1,40}[」』][、,・]?\s?(?:や|と|、)?\s?)*$")
_FAKE_NAME_BEFORE = re.compile(r"(?:差出人|送り主|送信者|送信元|発信元|差出|名義|名称|名前|宛名)(?:は|が|に(?:は)?|として|も)?[、,:：]?\s?$")
_QUOTE_LIST_AFTER = re.compile(r"(?:[^「」『』\n]{0,3}[」』])?(?:[、,・]?\s?(?:や|と)?\s?[「『][^「」『』\n]{1,40}[」』])*")
_FAKE_NAME_AFTER = re.compile(r"(?:など|等)?(?:の|と|を)?(?:公的機関|実在|架空|似た名称|紛らわしい|名乗|かた|騙|語|記載|称|いう(?:名称|名前))")


def _quoted_fake_name(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is in a quote of a list of quoted names that a sender word opens or a fake-name
    word closes."""
    opener = max(text.rfind("「", 0, start + 1), text.rfind("『", 0, start + 1))
    if opener < 0 or opener < max(text.rfind("」", 0, start), text.rfind("』", 0, start)) or end - opener > 42:
        return False
    head = _QUOTE_LIST_BEFORE.search(text, max(0, opener - 200), opener)
    if head and _FAKE_NAME_BEFORE.search(text, max(0, head.start() - 12), head.start()):
        return True
    tail = _QUOTE_LIST_AFTER.match(text, end)
    return bool(tail and _FAKE_NAME_AFTER.match(text, tail.end()))


# A caller's alias between the organisation and the claiming verb (「海南市役所のホンダと名乗る」「○○銀行の
# 佐藤を名乗る男」), also after a section of it (round 21: 「丸ノ内信用金庫寄付金管理部の水野を名乗る」): the
# organisation is still only claimed.
_NAMED_CALLER = re.compile(r"の[「『]?[ァ-ヺー一-龥々]{1,8}[」』]?(?:さん|氏)?(?:と|を|だと)(?:名乗|称し|称する|かた|騙|語)")


# A web address or a mail domain (its local part may be masked: 「resona-xx.jp@・・・」) and an opening bracket:
# the name in the brackets is who the address pretends to be (「…@smbc-card.com(三井住友銀行)」
# 「https://aeon-xx.net(イオン)」), a claim, not a place.
_SENDER_BEFORE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]*\.[A-Za-z]{2,}[A-Za-z0-9_./\-]*(?:@[・.…*＊○●×]*)?\s?[(（]$")


# Places nobody claims to be from: a school's, a park's or a home's name after 名乗る is still the place
# (「山下小学校の先生を名乗る男」 tells which school the child goes to); a community hall hosting an event is still named
# (「操南公民館主催で」, round 85).
_NEVER_CLAIMED = {"学校", "保育施設", "公園", "広場", "集合住宅", "団地", "寮", "集会所", "駅", "電停", "バス停", "橋",
                  "神社", "寺院", "学習塾", "公民館"}


def exempt(text: str, start: int, end: int, lex: Lexicon, suggestion: str) -> bool:
    """A claimed organisation or the police: not a place. A brand exempts only a chain (see find_chains):
    「鶴丸高校の制服」 is the school."""
    if suggestion not in _NEVER_CLAIMED and claimed(text, start, end, lex):
        return True
    # 「熊本県警察学校」「県警察学校」「警察大学校」: the police's own school is the police; so is a building or a unit of
    # the police (「静岡県警察本部別館」「南警察署庁舎」「…警察本部県民安全相談センター」), and its old 「鳥取警察出張所」;
    # a 分署 (round 36: 「米原分署」); and a course for the old held for the third time (round 79: 「第3回仲南大学」)
    return bool(POLICE_AFTER.match(text, end)) or text.endswith(("警察学校", "警察大学校", "警察出張所"), start, end) \
        or _POLICE_BUILDING.search(text, start, end) is not None or _POLICE_UNIT.search(text, start, end) is not None \
        or (text.endswith("分署", start, end) and not text.endswith("消防分署", start, end)) \
        or (text.endswith("大学", start, end) and _EDITION_BEFORE.search(text, max(0, start - 8), start) is not None)


# The edition of an event or a course right before its name (「第3回」「第12回「」).
_EDITION_BEFORE = re.compile(r"第[0-9一二三四五六七八九十]+回\s?[「『]?$")
# Round 31: no place is named by one of the sponsors of an event (「(産経新聞社、フジテレビジョン、文化放送、ニッポン放送
# 主催、…後援)」), a national team (「…日本代表」), a group of people (「ブラジル人グループ」; a group's quoted name,
# 「任意団体「リズムオブラブ」」, is ``frames.no_place``'s) or a police building a bracket names (「今立分庁舎(粟田部
# 交番)」). (A source, 「出典:中日新聞」, stays a finding: the real sets label it a facility nine times in ten.)
_SPONSORS_AFTER = re.compile(r"(?:[、・,]\s?[^、。,()（）「」\n]{1,16}?)*(?:主催|共催|後援|協賛|特別協賛)(?![一-龥々])")
# Round 42: a sponsor after its label (「(主催・長野放送、後援・産経新聞社ほか)」), or listed after it.
_SPONSOR_LABEL_BEFORE = re.compile(r"(?:主催|共催|後援|協賛|特別協賛)\s?[・:：=＝]\s?(?:[^、。()（）「」\n]{1,16}?[、,]\s?){0,4}$")
# Round 44: a professional or a sports team (「プロバスケットボールチーム宇都宮ブレックス」).
_SPORTS_TEAM = re.compile(r"(?:プロ|スポーツ|サッカー|野球|バスケットボール|バレーボール|ラグビー|ハンドボール)チーム")
# Round 54: a club of a team sport before the quoted name of the club (「サッカークラブ「ベルガロッソいわみ」」): the team.
_TEAM_CLUB_BEFORE = re.compile(r"(?:サッカー|野球|バスケットボール|バレーボール|ラグビー|ハンドボール|フットサル)クラブ[「『]$")
# A firm's sports club after its name and a space (「広島ガス バドミントン部の…選手」, round 42): the team.
_SPORTS_CLUB_AFTER = re.compile(r"[ \u3000]?(?:バドミントン|野球|軟式野球|硬式野球|サッカー|ラグビー|バレーボール|バスケットボール"
                                r"|陸上競技|陸上|卓球|柔道|剣道|ソフトボール|ハンドボール|ホッケー|駅伝|競泳|水泳|テニス|ソフトテニス)部")
# Round 63: a service club (「名古屋中村ライオンズクラブ」) and a sumo stable (「高田川部屋」) are their members, no place
# (the real sets leave every one clean).
_MEMBERS_BODY = re.compile(r"(?:ライオンズクラブ|ロータリークラブ|[一-龥々ノヶ]部屋)$")
# Round 91: a society that keeps a place's folk music or dance (「六角橋囃子保存会」): its members, no bridge.
_FOLK_ART_AFTER = re.compile(r"(?:囃子|ばやし|太鼓|音頭|神楽|踊り?)(?:保存会|同好会|連)")
# Round 65: a unit after the police department that runs it (「千葉県警生活安全部の北総地区少年センター」).
_POLICE_DEPARTMENT_BEFORE = re.compile(r"(?:県警|府警|道警|警視庁|警察本部)[一-龥]{1,8}部の$")
_POLICE_IN_BRACKETS = re.compile(r"[(（][^()（）]{1,12}?(?:交番|駐在所|警察署|署)[)）]")


def sponsor_or_group(text: str, start: int, end: int, suggestion: str = "") -> bool:
    """Whether text[start:end] is a sponsor, a team, a group of people or a police building or unit (see above). A school
    or a park hosting an event is still named (「山下小学校主催の防犯教室」). ``check`` asks it once of every facility
    candidate, the rules' and the learned spans alike."""
    if text.startswith(("両署", "両警察署"), end):
        return True  # 「小松、大聖寺両署」: police stations listed by their towns' names, whatever the name ends in (121)
    if _FOLK_ART_AFTER.match(text, end) and suggestion not in ("学校", "保育施設", "神社", "寺院"):
        return True  # 「六角橋囃子保存会」: the district's society, whatever kind its name ends in (round 91)
    if suggestion in _NEVER_CLAIMED or suggestion == "病院":
        return False  # (round 95: 「済生会今治病院主催の市民公開講座」: a hospital hosting is named too)
    if suggestion == "大学" and _SPORTS_CLUB_AFTER.match(text, end):
        return False  # 「天理大学ホッケー部」: a university's club names the university, as a school's does (round 62)
    return bool(_SPONSORS_AFTER.match(text, end)
                or (text.endswith("日本", start, end) and text.startswith(("代表", "チーム"), end))
                or text.endswith("人グループ", start, end) or _SPORTS_CLUB_AFTER.match(text, end)
                or _SPORTS_TEAM.search(text, start, end) or _TEAM_CLUB_BEFORE.search(text, max(0, start - 12), start)
                or _SPONSOR_LABEL_BEFORE.search(text, max(0, start - 60), start)
                or (text.endswith("庁舎", start, end) and _POLICE_IN_BRACKETS.match(text, end))
                or _MEMBERS_BODY.search(text, start, end) is not None
                or _POLICE_DEPARTMENT_BEFORE.search(text, max(0, start - 16), start) is not None
                or _PAGEANT.match(text, start) is not None or _professional_team(text, start, end)
                or _transit_operator(text[start:end]))


# Round 120: a professional team named by katakana and its home town (「JFL「ヴァンラーレ八戸」」「ツエーゲン金沢 vs カマタマーレ讃岐」
# 「アスルクラロ沼津の選手」「大阪エヴェッサ戦」): its league or match before it, its players or a match after it. A name
# without a katakana run (「東海大相模の選手」) or ending in a school's kind is a school's team, and the school is named.
_TEAM_NAME = re.compile(r"[ァ-ヺー]{3,}|FC|SC")
# (round 121: also the league's short name in brackets before の, 「Bリーグ1部(B1)の島根スサノオマジック」)
_LEAGUE_BEFORE = re.compile(r"(?:JFL|J[1-3]|B[1-3]|[A-Z]?リーグ|独立リーグ・?|サッカーJ[1-3]の|vs|VS|対)"
                            r"(?:[)）]の)?[ \u3000]?[「『]?$")
_TEAM_AFTER = re.compile(r"[」』]?(?:の|に所属する)?(?:選手|監督|コーチ|主将|キャプテン)|[」』]?戦(?![略術争車闘士])|[ \u3000]?(?:vs|VS)")


def _professional_team(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is a professional team's name by ``_TEAM_NAME`` and what stands around it."""
    name = text[start:end]
    if name in load_lexicon().pro_teams:
        return True  # 「カターレ富山に対し」: a club of the professional leagues, whatever stands around it (round 122)
    if not _TEAM_NAME.search(name) or re.search(r"(?:高|校|大学?|学園|小|中)$", name):
        return False
    return name.endswith("戦") or bool(_TEAM_AFTER.match(text, end)
                                      or _LEAGUE_BEFORE.search(text, max(0, start - 8), start))


# Round 124: a railway or bus operator, or its branch office by its town (「JR西日本金沢支社」): a firm, no place.
_OPERATOR_OFFICE = re.compile(r"[一-龥々]{0,4}(?:支社|本社|支店|営業所)")
# Round 126: also with its legal form before or after it (「西日本旅客鉄道株式会社」「(株)JR九州」).
_LEGAL_FORM_AROUND = re.compile(r"^(?:株式会社|[(（]株[)）])\s?|\s?(?:株式会社|[(（]株[)）])$")


def _transit_operator(name: str) -> bool:
    name = _LEGAL_FORM_AROUND.sub("", name)
    return any(name.startswith(firm) and (len(name) == len(firm) or _OPERATOR_OFFICE.fullmatch(name, len(firm)))
               for firm in load_lexicon().transit_operators)


# Round 114: a beauty pageant named after a kind of place (「「ミス・ユニバーシティ」で準グランプリ」): a contest.
_PAGEANT = re.compile(r"ミス[・･]?(?:ユニバー|インターナショナル|ワールド|日本|キャンパス)")


# Round 54: a unit of a police headquarters named with it (「秋田県警察本部県民安全相談センター」): the police.
# Round 63: a police centre (「機動警察センター」) is a unit too; round 68: so is a 少年サポートセンター, which every
# prefecture's police runs (「岡山少年サポートセンター」: the real sets leave all 14 clean).
_POLICE_UNIT = re.compile(r"(?:警察本部|県警本部|府警本部|道警本部|警視庁)[一-龥々ヶァ-ヺー]{2,}$|警察[一-龥々]{0,6}センター$"
                          r"|少年サポートセンター$")
# A police office and a wing or building of it (「…警察本部別館」「…警察署新庁舎」「県警本部本館」), also one
# named after the town it stands in (round 13: 「郡山北署本宮分庁舎」「南警察署西原庁舎」).
_POLICE_BUILDING = re.compile(r"(?:警察署|警察本部|県警本部|府警本部|道警本部|警視庁|交番|駐在所|署)[一-龥々ヶ]{0,4}?"
                              r"(?:[東西南北本別新旧分]?館|(?:新|旧|分|本)?庁舎|[東西南北]?棟|道場)$")  # (道場: round 96)


# A made-up name quoted after the word that says so (「存在しない「民事訴訟管理センター」」「架空の「…」」).
# Round 41: quoted names listed as the wording of fraudulent mail (「「民事訴訟管理センター」、「…」といった文面」).
# Round 42: words may stand between (「「日本債権回収株式会社」…といった実在する債権回収会社に類似した名称」).
_FAKES_LISTED_AFTER = re.compile(r"[」』](?:[、・]?[「『][^「『」』]{1,30}[」』])*(?:と|など)(?:いった|の)?[^。「」『』]{0,20}?"
                                 r"(?:文面|文言|名称|名目|架空)")
_FICTITIOUS_BEFORE = re.compile(r"(?:存在しない|実在しない|架空の|偽の|ニセの|にせの)[「『]$")


def made_up(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is a name the text says fraudsters made up: quoted after 存在しない / 架空の, listed after
    such a quote, or listed as a fraud's wording (「…といった文面」). It names no real place."""
    return bool(_FICTITIOUS_BEFORE.search(text, max(0, start - 8), start)) or _listed_fake(text, start, end) \
        or _after_made_up(text, start)


def _after_made_up(text: str, start: int) -> bool:
    """Whether text[start:] is inside a quote listed after a made-up one (「実在しない「…センター」や「…管理センター」」,
    round 47): each of the list is made up."""
    opened = text.rfind("「", max(0, start - 40), start + 1)
    if opened < 0 or "」" in text[opened:start]:
        return False
    for _ in range(4):
        before = _QUOTE_LISTED_BEFORE.search(text, max(0, opened - 50), opened)
        if before is None:
            return False
        opened = before.start()
        if _FICTITIOUS_BEFORE.search(text, max(0, opened - 8), opened + 1):
            return True
    return False


_QUOTE_LISTED_BEFORE = re.compile(r"「[^「」]{1,40}」(?:や|、|・|と|及び|および)$")


def _listed_fake(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is in a quote listed as a fraud's wording (「「TSB債権管理回収株式会社」…といった名称」),
    the whole quote or a part of it (round 42)."""
    opened = max(text.rfind("「", max(0, start - 30), start + 1), text.rfind("『", max(0, start - 30), start + 1))
    if opened < 0 or any(ch in text[opened + 1:start] for ch in "」』"):
        return False
    closed = min((i for i in (text.find("」", end), text.find("』", end)) if i >= 0), default=-1)
    return 0 <= closed - end <= 30 and "「" not in text[end:closed] and _FAKES_LISTED_AFTER.match(text, closed) is not None
