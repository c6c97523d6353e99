"""Firms named as employers and operators: where the sentence says a name is a firm (issue 14, round 8).

A company, a firm, a cooperative or a shop named in any form is a facility, also when the text names it as
someone's employer. Its name often has no kind word SudachiPy can see (「浜|田港|運」), so these rules read
the frame around it:

- **a legal form before the name** (「有限会社ファミリーショップサンデー」「社会福祉法人HOP」「生活協同組合くらしの
  コープ」): the form and the name after it, in any script, up to a particle or a mark. Associations, NPOs and
  foundations (一般社団法人, NPO法人…) are bodies, not firms, and stay clean;
- **a firm's head in brackets after its name** (「浜田港運(須賀孝社長)」「サンクラフト(中垣健社長)」): the run of
  name characters before the bracket; not a municipality, a body (〇〇協会, 〇〇組合), the police or a person;
- **a quoted name and its staff** (「「くれは交通」の社長」「「ひまわり堂」の従業員」);
- **a firm after its trade** (「ホール企業・善都」「タクシー会社・北斗交通」);
- **the value of a name field** of a notice (「名称:…」「事業者名:…」「店舗名:…」);
- round 14: **the firm before a head's name and title** (「岩手ビッグブルズの水野哲志社長」, ``firms_before_heads``,
  run once the persons are known), **a branch named by its head's title** (「現南大分支店長」), **co-operatives that
  bank or sell** (「つくば市農業協同組合」) and **banks by their short names** (``bank_short_names.txt``: 「大銀」);
- round 26: **a head's family name glued after the firm's katakana name** (「(株)ライフニュー兒玉代表」,
  ``head_after_firm``, applied to every facility candidate): the firm, then the person; and its mirror of round 22, a
  family name before the office its title heads (「近藤島田郵便局長」, ``head_before_office``), or before a body named after
  its town (「神田上尾商工会議所会頭」, round 60).

Business words after a proper name (交通, 港運, 海運…) are kind words of ``facility_kinds.csv``.
``find_employers`` returns candidates ``(start, end, "facility", suggestion)`` on the normalised text.
"""

from __future__ import annotations

import functools
import re

from anshin_lab.privacy.lint.claims import claimed
from anshin_lab.privacy.lint.findings import PERSON_MASK
from anshin_lab.privacy.lint.lexicon import Lexicon, dictionary_lines
from anshin_lab.privacy.lint.municipalities import is_municipality_name
from anshin_lab.privacy.lint.name_runs import BODY_HEAD, PEOPLE_WORDS, name_shaped
from anshin_lab.privacy.lint.tokens import (Token, can_be_surname, glued_to_name, hiragana_name_end, is_clause, kana_of,
                                          script_of, tokenize)
from anshin_lab.privacy.lint.towns import municipality_prefix

__all__ = ["find_employers", "firms_before_heads", "head_after_firm", "head_before_office",
           "head_before_town_body"]

_SUGGESTION = "事業所"
# Legal forms of firms, cooperatives and welfare or medical operators, written before the name.
_LEGAL_FORM = re.compile(r"(?:株式会社|有限会社|合同会社|合資会社|合名会社|生活協同組合|社会福祉法人|医療法人(?:社団|財団)?"
                         r"|学校法人|農事組合法人|[(（][株有][)）]|㈱|㈲)\s?")
# The characters of a name after a legal form or before a bracket: any script but marks and particles.
_NAME_CHAR = r"[一-龥々〆ヶァ-ヺーA-Za-z0-9Ａ-Ｚａ-ｚ&＆・･.'-]"
_NAME_RUN = re.compile(rf"{_NAME_CHAR}+")
# A hiragana word joined by の inside a firm's name (「くらしのコープ」): only after hiragana, never a staff word.
_HIRAGANA_OF = re.compile(r"[ぁ-ゖ]{2,6}の(?=[ァ-ヺ一-龥])")
_STAFF = r"(?:代表取締役(?:社長)?|代表者?|社長|会長|副社長|専務|常務|取締役|店長|支店長|所長|工場長|理事長|院長|園長)"
# A firm's head in brackets: 「(須賀孝社長)」「(社長・須賀孝)」「(代表取締役 須賀孝)」, maybe after the firm's town
# (「芸陽バス(西条西本町、安井千明社長)」, round 23).
_HEAD_IN_BRACKETS = re.compile(rf"[(（](?:[一-龥々ヶァ-ヺー]{{1,10}}[、,])?"
                               rf"(?:[一-龥々ァ-ヺー]{{2,8}}\s?{_STAFF}|{_STAFF}[・\s:：][一-龥々ァ-ヺー\s]{{2,9}})[)）]")
_NUMBER = re.compile(r"[0-9０-９\-－‐−ー()（）\s]+")  # a phone number before a bracket is no firm's name
_FUNCTION_WORD = re.compile(r"(?:など|まで|から|より|について|による|として|ほか|だけ|のみ|こと|もの|ところ)")
# A head's name in kanji between a firm's name and the title (「…・田中明子代表取締役」).
_KANJI_NAME = re.compile(r"[一-龥々ヶ]{2,4}\s?[一-龥々ヶ]{0,4}")
# Staff written right after a firm's name (「㈱ローソン社員の」).
_STAFF_END = re.compile(rf"(?:{_STAFF}|社員|従業員|職員|店員|運転手)$")
# Staff after a quoted name: 「「くれは交通」の社長」.
_STAFF_AFTER_QUOTE = re.compile(rf"の(?:{_STAFF}|従業員|社員|運転手|ドライバー|店員|スタッフ|職員)")
# Bodies, not firms (and the police), whatever their frame.
_BODY = re.compile(r"(?:省|庁|委員会|協会|連合会|協議会|組合|機構|財団|法人|連盟|団体|会議|本部|学会|議会|会|団|隊|クラブ|部|課|係|室"
                   r"|防止ネットワーク|推進ネットワーク|見守りネットワーク"  # (round 70: 「県消費者トラブル防止ネットワーク」)
                   r"|署|局|交番|駐在所|警察|警|市|町|村|区|県|長"  # (「川合市長(川越防犯協会会長)」: a titled person, round 27)
                   # round 27: an association's short name in 協 (「大阪府遊協」 of its 遊技業協同組合), not 農協/漁協/生協
                   r"|(?<![農漁生])協)$")
_MASK = re.compile(r"[〇○◯●×＊*]|^[A-ZＡ-Ｚ]$")
# A firm the text named before, referred to again (「同店(山田店長)」「同社」「当社」): no name; nor a body of a school
# named before (「同小PTA」, round 85).
_ANAPHOR = re.compile(r"(?:同|当|本|各|両|該当|当該)(?:[社店局行園校院館所署小中高]|事業所|会社|施設|病院|店舗|工場)")
# The trade before a firm's name: 「ホール企業・善都」「タクシー会社・北斗交通」.
_TRADE_BEFORE = re.compile(r"(?:企業|会社|業者|メーカー|チェーン)・")
# Round 70: a firm in katakana glued after its trade and honoured (「警備会社アイガードさんの前」).
_TRADE_HONOURED = re.compile(r"(?:企業|会社|メーカー)(?P<name>[ァ-ヺー]{3,12})(?=さん|様)")
# A notice's name field: 「名称:」「事業者名:」「店舗名:」「屋号:」.
_FIELD = re.compile(r"(?:^|(?<=[\n\s■□◆◇・●(（【]))(?:名称|事業者名|事業者の名称|店舗名|店名|会社名|法人名|業者名|屋号|販売業者)"
                    r"\s?[:：]\s*")
# A 名称 field may name an event or a campaign instead (「名称:地域安全フェスタ」): no firm.
_EVENT_END = re.compile(r"(?:教室|大会|会議|式|祭|まつり|フェスタ|フェア|キャンペーン|運動|講習会|研修会|セミナー|訓練|事業|制度)$")
_FIELD_VALUE = re.compile(r"[^\n、。,()（）]{2,40}")


def find_employers(text: str, tokens: list[Token], owner, lex: Lexicon) -> list[tuple]:
    """Every firm ``text`` names by a legal form, a head in brackets, a trade, its staff or a name field."""
    out = _legal_forms(text, lex)
    out += _heads_in_brackets(text, tokens, owner, lex)
    out += _quoted_with_staff(text, lex)
    out += _after_trade(text, lex)
    out += _affiliations(text, lex)
    out += _fields(text, lex)
    out += _short_banks(text, tokens, owner, lex)
    out += _proper_short_banks(text, tokens, lex)
    out += _numeral_banks(text)
    out += _municipal_sections(text, lex)
    out += _quoted_after_trade(text, lex)
    out += _signing_sections(text, lex)
    out += _branches_of_heads(text, tokens, owner, lex)
    out += _cooperatives(text, tokens, owner, lex)
    out += _listed_short_banks(text, lex)
    out += _kana_banks(text, lex)
    return out


def _firm_name(name: str, lex: Lexicon) -> bool:
    """Whether ``name`` can be a firm's own name: no mask, body, municipality or generic word, no body's legal form
    (「認定NPO法人改革プロジェクト」, round 49), no part of the police station named before (「同署川俣分庁舎」, round 29),
    no police box (「駅前交番所の…所長」, round 101) and no number (「03-3581-4321(警視庁代表)」, round 119)."""
    return 2 <= len(name) <= 24 and not _MASK.search(name) and not _BODY.search(name) and not _ANAPHOR.fullmatch(name) \
        and not _NUMBER.fullmatch(name) \
        and "NPO" not in name and "法人" not in name \
        and not name.startswith(("同署", "当署", "本署")) and not name.endswith(("交番所", "駐在所", "派出所")) \
        and name not in lex.generic and name not in lex.stops and not is_municipality_name(name, lex) \
        and municipality_prefix(name, lex)[0] != len(name)


def _legal_forms(text: str, lex: Lexicon) -> list[tuple]:
    out = []
    for m in _LEGAL_FORM.finditer(text):
        if m.group().rstrip().endswith("会社") and glued_to_name(text, m.start()):
            continue  # 「西日本電信電話株式会社 執行役員…」: the form ends the firm's name before it (round 37)
        end = m.end()
        while True:
            run = _NAME_RUN.match(text, end)
            joined = _HIRAGANA_OF.match(text, end)
            if joined and not _STAFF_AFTER_QUOTE.match(text, joined.end() - 1):
                end = joined.end()
                continue
            if run is None:
                break
            end = run.end()
            # a hiragana name (「ひまわり」) or one glued to the run in hiragana ends before a particle
            tail = re.match(r"[ぁ-ゖ]{2,8}(?=[にでをがはとへもや、。\s)）」]|$)", text[end:])
            # never a function word (「(株)山田商事より、」, round 126)
            if tail and text[end + len(tail.group()) - 1] not in "のにでをがはと" and not _FUNCTION_WORD.match(tail.group()):
                end += len(tail.group())
            break
        if end == m.end():
            # 「株式会社ひまわり」: a name in hiragana alone, never a function word (「株式会社など」)
            tail = re.match(r"[ぁ-ゖ]{3,8}(?=[にでをがはとへもや、。\s)）」]|$)", text[end:])
            if tail and text[end + len(tail.group()) - 1] not in "のにでをがはと" and not _FUNCTION_WORD.match(tail.group()):
                end += len(tail.group())
        while end > m.end() and text[end - 1] in "・･.-":
            end -= 1
        staff = _STAFF_END.search(text, m.end(), end)
        if staff and staff.start() > m.end():
            end = staff.start()  # 「㈱ローソン社員」: the firm, then who works there
            space = max(text.rfind(" ", m.end(), end), text.rfind("\u3000", m.end(), end))
            if space > m.end():
                end = space  # 「株式会社出前館 藤井代表取締役社長」: the head's name stands after the space
            dot = max(text.rfind("・", m.end(), end), text.rfind("･", m.end(), end))
            if dot > m.end() and _KANJI_NAME.fullmatch(text, dot + 1, end):
                end = dot  # 「株式会社小平広告・田中明子代表取締役」: the head's name after 「・」 (round 21)
        name = text[m.end():end]
        if end > m.end() and _firm_name(name, lex) and not claimed(text, m.start(), end, lex):
            out.append((m.start(), end, "facility", _SUGGESTION))
    return out


def _run_before(text: str, p: int) -> int:
    """Where the run of name characters that ends at ``p`` starts."""
    s = p
    while s > 0 and re.match(_NAME_CHAR, text[s - 1]) and p - s < 24:
        s -= 1
    while s < p and text[s] in "・･.-":
        s += 1
    return s


def _heads_in_brackets(text: str, tokens: list[Token], owner, lex: Lexicon) -> list[tuple]:
    """「浜田港運(須賀孝社長)」: the name before a bracket that holds its head."""
    out = []
    for m in _HEAD_IN_BRACKETS.finditer(text):
        p = m.start()
        s = _run_before(text, p)
        name = text[s:p]
        if p - s < 2 or not _firm_name(name, lex) or claimed(text, s, p, lex):
            continue
        if _STAFF_END.search(name) or _ANAPHOR.match(name):
            continue  # 「新垣善彦会長(組合理事長)」: a titled person, his other post in brackets; 「同小PTA(藤井義紀会長)」:
            # the school named before (round 85)
        if lex.suffix_end_re.search(re.sub(rf"(?:生徒|児童)?\s?{_STAFF}[)）]$", "", m.group()[1:])):
            continue  # 「河口浩通(河口外科理事長)」: the bracket names his firm, so the name before is his (round 49);
            # 「小林 真似(名西高校生徒会長)」: or his school, whose pupils' council he chairs (round 55)
        first, last = tokens[owner[s]], tokens[owner[p - 1]]
        if first.begin == s and last.end == p and owner[s] == owner[p - 1] and (first.person or first.pos[3] in ("姓", "名")):
            continue  # 「田中(山田社長)」: a person
        if all(t.pos[2] == "地名" for t in tokens[owner[s]:owner[p - 1] + 1]):
            continue  # a town
        out.append((s, p, "facility", _SUGGESTION))
    return out


# Round 14: the title of a firm's head right after his name (「岩手ビッグブルズの水野哲志社長」「板野専売所の湯浅隆所長」);
# not 会長, 理事長 or 代表, which head associations as often as firms.
_FIRM_HEAD_AFTER = re.compile(r"(?:代表取締役(?:社長)?|副?社長|専務|常務|取締役|副?店長|支店長|営業所長|所長|工場長|院長|園長|支配人"
                              r"|オーナー)(?![一-龥々])")


def firms_before_heads(text: str, tokens: list[Token], owner, lex: Lexicon, persons: list[tuple]) -> list[tuple]:
    """The name before 「の」 and a person found with the title of a firm's head: the firm he heads."""
    out = []
    for start, end, *_ in persons:
        if start < 3 or text[start - 1] != "の" or not _FIRM_HEAD_AFTER.match(text, end):
            continue
        p = start - 1
        s = _run_before(text, p)
        name = text[s:p]
        if p - s < 2 or not _firm_name(name, lex) or claimed(text, s, p, lex) or tokens[owner[s]].begin != s:
            continue
        inside = tokens[owner[s]:owner[p - 1] + 1]
        if all(t.pos[2] == "地名" or t.pos[1] == "普通名詞" and not t.oov for t in inside):
            continue  # a town or common words (「地元の」「近所の」): no firm's name
        out.append((s, p, "facility", _SUGGESTION))
    return out


def _glued_run_start(tokens: list[Token], k: int, accept, most: int = 3) -> int:
    """Where the run of up to ``most`` tokens glued before token ``k`` that ``accept`` starts (token k's start if none)."""
    s = tokens[k].begin
    for j in range(k - 1, max(-1, k - 1 - most), -1):
        if tokens[j].end != s or not accept(tokens[j]):
            break
        s = tokens[j].begin
    return s


# Round 14: a branch named by its head's title (「現南大分支店長(48)」): a place name before 支店長 that is no family
# name is the branch; one that may be (「西川支店長」「鶴見支店長」) is read as the head's name by ``persons``.
_BRANCH_HEAD = re.compile(r"(?:支店|支所|出張所|営業所)(?=長|次長)")


def _branches_of_heads(text: str, tokens: list[Token], owner, lex: Lexicon) -> list[tuple]:
    out = []
    for m in _BRANCH_HEAD.finditer(text):
        k = owner[m.start()]
        if m.start() == 0 or tokens[k].begin != m.start():
            continue
        s = _glued_run_start(tokens, k, lambda t: t.pos[2] == "地名")
        if s < m.start() and not can_be_surname(text[s:m.start()]) and not claimed(text, s, m.end(), lex):
            out.append((s, m.end(), "facility", "店舗"))
    return out


# Round 14: a co-operative that keeps accounts or sells (農協, 漁協, 生協 written out) is a business, unlike the
# associations called 協同組合 (「遊技場協同組合」「事業協同組合」); named by its town or its own name before it
# (「つくば市農業協同組合」「県民共済生活協同組合」). A federation of them (連合会) is a body.
# (round 18: an agricultural insurer, 「山口県農業共済組合」, and 生活協同組合 as pages misspell it, 「生活共同組合」)
_COOPERATIVE = re.compile(r"(?:(?:農業|漁業|生活|森林|水産業)協同組合|農業共済組合|生活共同組合)(?!連合|中央会)")


# A co-operative's brand glued before its legal name: 「コープさが生活協同組合」「エフコープ生活協同組合」.
_COOP_BRAND = re.compile(r"(?:コープ[ぁ-ゖァ-ヺー]{1,6}|[ァ-ヺー]{0,4}コープ)$")


# Round 18: a co-operative named after its members, the people of a prefecture or city (「県民せいきょう」「市民生協」).
_MEMBERS_COOP = re.compile(r"(?<![一-龥])(?:県民|府民|都民|道民|市民)(?:せいきょう|生協|コープ)(?![ァ-ヺ])")


def _cooperatives(text: str, tokens: list[Token], owner, lex: Lexicon) -> list[tuple]:
    out = [(*m.span(), "facility", "店舗") for m in _MEMBERS_COOP.finditer(text)
           if not claimed(text, m.start(), m.end(), lex)]
    for m in _COOPERATIVE.finditer(text):
        k = owner[m.start()]
        if tokens[k].begin < m.start():
            s = tokens[k].begin  # 「県民共済生活協同組合」 is one token
        elif (brand := _COOP_BRAND.search(text, max(0, m.start() - 10), m.start())) is not None:
            s = brand.start()  # 「コープさが生活協同組合」
        elif k >= 2 and tokens[k - 1].surface == "の" and tokens[k - 2].pos[0] == "名詞" \
                and tokens[k - 2].end == tokens[k - 1].begin \
                and all(kana_of(ch) == "hiragana" for ch in tokens[k - 2].surface):
            s = tokens[k - 2].begin  # 「めぐみの農業協同組合」: a name in hiragana that ends in の
        else:
            s = _glued_run_start(tokens, k, lambda t: t.pos[0] == "名詞" and t.pos[1] != "数詞", most=1)
        name = text[s:m.start()]
        if not name or name in lex.generic or name in lex.stops or _ANAPHOR.fullmatch(name) \
                or claimed(text, s, m.end(), lex):
            continue
        out.append((s, m.end(), "facility", "金融機関" if m.group().startswith(("農業", "漁業")) else "店舗"))
    return out


def _quoted_with_staff(text: str, lex: Lexicon) -> list[tuple]:
    out = []
    for m in re.finditer(r"「(?P<name>[^「」\n。、]{2,20})」", text):
        if not _STAFF_AFTER_QUOTE.match(text, m.end()):
            continue
        name = m.group("name")
        if _firm_name(name, lex) and not claimed(text, m.start(), m.end(), lex):
            out.append((m.start("name"), m.end("name"), "facility", _SUGGESTION))
    return out


def _after_trade(text: str, lex: Lexicon) -> list[tuple]:
    out = []
    for m in _TRADE_BEFORE.finditer(text):
        run = _NAME_RUN.match(text, m.end())
        # (round 22: a name in hiragana, 「企業・あじまんは」, ends before its particle)
        end = run.end() if run is not None else hiragana_name_end(text, m.end())
        if end is None:
            continue
        if _firm_name(text[m.end():end], lex) and not claimed(text, m.end(), end, lex):
            out.append((m.end(), end, "facility", _SUGGESTION))
    return out + [(*m.span("name"), "facility", _SUGGESTION) for m in _TRADE_HONOURED.finditer(text)
                  if _firm_name(m["name"], lex) and not claimed(text, *m.span("name"), lex)
                  and not all(t.pos[1] == "普通名詞" and not t.oov for t in tokenize(m["name"]))]  # 「会社スタッフさん」


def _fields(text: str, lex: Lexicon) -> list[tuple]:
    out = []
    for m in _FIELD.finditer(text):
        value = _FIELD_VALUE.match(text, m.end())
        if value is None:
            continue
        s, e = value.span()
        while e > s and text[e - 1].isspace():
            e -= 1
        name = text[s:e]
        if _MASK.search(name) or name in lex.generic or name.startswith(("同", "当", "不明", "なし", "非公表")) \
                or _EVENT_END.search(name):
            continue
        out.append((s, e, "facility", "店舗" if text.startswith("店", m.start()) else _SUGGESTION))
    return out


# 「(北斗建設 田中一郎さん)」「(宮崎第一交通・今井逸郎氏)」: a speaker's employer, then the speaker, in brackets.
_AFFILIATION = re.compile(r"[(（](?P<name>[一-龥々ヶァ-ヺーA-Za-z0-9&・]{3,20}?)[\s・](?P<person>[一-龥々]{2,6})\s?(?:さん|氏)[)）]")


def _affiliations(text: str, lex: Lexicon) -> list[tuple]:
    """The employer before a speaker in brackets, when its name ends in a firm's kind word (建設, 交通, 商事…)."""
    out = []
    for m in _AFFILIATION.finditer(text):
        a, b = m.span("name")
        kind = next((k for k in lex.suffix_re.finditer(text, a, b) if k.end() == b and k.start() > a), None)
        if kind is None or lex.suffixes[kind.group()].suggestion != _SUGGESTION or not _firm_name(m.group("name"), lex):
            continue
        out.append((a, b, "facility", _SUGGESTION))
    return out


# Round 11: frames that say a name is a bank, a municipality's section or a firm.
# A bank's short name (〇〇銀) before a count of its staff or 行員 (「南海銀2人に感謝状」「北陽銀行員」).
# Round 12: also before its staff, branch or counter after の (「肥後銀の窓口」「南海銀の支店長」).
# Words before 銀行 that say which kind of bank, not which one (「地方銀行」「都市銀行」「ネット銀行」).
_ANY_BANK = ("地方", "都市", "信託", "外資", "外資系", "ネット", "大手", "地元", "民間", "市中", "中央")
_SHORT_BANK = re.compile(r"銀(?=[0-9０-９一二三四五六七八九十]{1,3}[人名]|行員|の(?:行員|支店|本店|窓口|職員|頭取|ATM))")
# A text about a bank's business: a proper noun SudachiPy knows that ends in 銀 (「北銀」「琉銀」) is a bank's
# short name there (地銀, 都銀 and 水銀 are common nouns to it).
_BANKING = re.compile(r"銀行|支店|行員|頭取|窓口|預金|融資|ATM")
# A bank named by a kanji numeral (「百十四銀行」「七十七銀行」), with its branch; glued to a person's name
# after a title, where no word boundary tells where the name ends (「会長・山田一郎八十二銀行本町支店長」).
_NUMERAL_BANK = re.compile(r"(?<=[一-龥々])[一二三四五六七八九十百]{2,5}銀行(?:[一-龥々]{1,6}?支店)?(?=長|[のでにはが、)）]|$)")
# A section of a municipality named as someone's workplace or a source (「北川町福祉課に勤める」「南浜市総務課に
# よると」「(事務局:西原市こども未来局青少年室)」): the municipality, then one or two offices.
_SECTION_WORD = r"(?:[一-龥々ァ-ヺー]|こども|子ども|くらし|まち|みどり|いきいき){1,10}?"
_MUNICIPAL_SECTION = re.compile(rf"(?P<town>[一-龥々ヶ]{{1,5}}[市町村区])(?P<section>(?:{_SECTION_WORD}[局部])?{_SECTION_WORD}[課室局])"
                                r"(?=によると|に勤め|に勤務|[)）]|(?:副|主任)?(?:主幹|主査|主事|参事|係長|課長補佐|課長|室長|局長|部長|次長"
                                r")[、・\s]?(?:の)?[一-龥々]{2,6}(?:容疑者|被告|さん|氏))")
# (「府中市地域安全課の担当者」 stays a contact, round 7; round 12: a suspect or a person named with the post they
# hold there names the section as the employer: 「南浜市環境課副主幹、山田一郎容疑者」; a mere 職員 stays as before)
# A firm named in quotes after its trade (「卸売業「まるやま本舗」」「菓子メーカー「ひなた製菓」」).
_TRADE_QUOTED = re.compile(r"(?:卸売業|小売業|製造業|販売業|運送業|建設業|飲食業|不動産業|会社|企業|業者|メーカー)「"
                           r"(?P<name>[^「」\n。、]{2,20})」")


def _short_banks(text: str, tokens: list[Token], owner, lex: Lexicon) -> list[tuple]:
    out = []
    for m in _SHORT_BANK.finditer(text):
        s = m.start()
        while s > 0 and re.match(r"[一-龥々ァ-ヺー]", text[s - 1]) and m.start() - s < 8:
            t = tokens[owner[s - 1]]
            if t.pos[2] == "サ変可能" and owner[s - 1] > 0 and tokens[owner[s - 1] - 1].pos[0] == "助詞":
                break  # 「詐欺被害を防止 南海銀2人に」: a headline's verb, then the bank
            s = t.begin
        name = text[s:m.start()]
        if name and PEOPLE_WORDS.fullmatch(tokens[owner[m.start() - 1]].surface):
            continue  # 「女性銀行員」: who the staff are, no bank's short name (round 29)
        if name.endswith(_ANY_BANK) and text.startswith("行", m.end()):
            continue  # 「地方銀行員」: the staff of any regional bank (round 42)
        if len(name) >= 2 and not is_municipality_name(name, lex) and name not in lex.generic \
                and not claimed(text, s, m.end(), lex):
            out.append((s, m.end(), "facility", "金融機関"))
    return out


def _proper_short_banks(text: str, tokens: list[Token], lex: Lexicon) -> list[tuple]:
    """「北銀の中でも砺波支店は」: a known short bank name, in a text about banking, as a word of its own."""
    if not _BANKING.search(text):
        return []
    return [(t.begin, t.end, "facility", "金融機関") for t in tokens
            if 2 <= len(t.surface) <= 4 and t.surface.endswith("銀") and t.pos[1] == "固有名詞"
            and (t.end >= len(text) or not re.match(r"[一-龥々]", text[t.end])) and not claimed(text, t.begin, t.end, lex)]


@functools.lru_cache(maxsize=1)
def _short_bank_names() -> re.Pattern:
    """The banks' short names of ``bank_short_names.txt``, as one pattern: each a word of its own (not 「大銀杏」),
    or before the words of a bank's place and staff (「大銀窓口」「鹿銀行員」)."""
    names = "|".join(map(re.escape, sorted(dictionary_lines("bank_short_names.txt"), key=len, reverse=True)))
    return re.compile(rf"(?<![一-龥々ァ-ヺー])(?:{names})(?:(?![一-龥々ァ-ヺー])|(?=窓口|支店|本店|行員|職員|本部))")


# Round 17: a bank named in hiragana at the start of a word (「(さわやか信用金庫、芝信用金庫…)」「みなと銀行」); never a
# word that ends in a particle or an adjective's ending (「すべての銀行」「いろいろな銀行」).
_KANA_BANK = re.compile(r"(?:^|(?<=[(（、・「『\s]))(?P<name>[ぁ-ゖー]{3,8})(?:信用金庫|信用組合|銀行)")


def _kana_banks(text: str, lex: Lexicon) -> list[tuple]:
    return [(m.start(), m.end(), "facility", "金融機関") for m in _KANA_BANK.finditer(text)
            if m["name"][-1] not in "のなにでをがはとも" and not claimed(text, m.start(), m.end(), lex)
            and tokenize(m.group())[0].pos[0] not in _NO_NAME_WORDS]


# Round 127: an adverb, a conjunction or an adnominal word opens no name (「母親は、とうとう銀行の預金を」「あらゆる銀行」).
_NO_NAME_WORDS = ("副詞", "接続詞", "連体詞")


def _listed_short_banks(text: str, lex: Lexicon) -> list[tuple]:
    return [(m.start(), m.end(), "facility", "金融機関") for m in _short_bank_names().finditer(text)
            if not claimed(text, m.start(), m.end(), lex)]


def _numeral_banks(text: str) -> list[tuple]:
    return [(m.start(), m.end(), "facility", "金融機関") for m in _NUMERAL_BANK.finditer(text)]


def _municipal_sections(text: str, lex: Lexicon) -> list[tuple]:
    out = []
    for m in _MUNICIPAL_SECTION.finditer(text):
        town = m.group("town")
        at = next((i for i in range(len(town) - 1) if is_municipality_name(town[i:], lex)), None)
        if at is None:
            continue
        s = m.start() + at
        if s > 0 and re.match(r"[一-龥々]", text[s - 1]) and not municipality_prefix(text[s - 4:s] if s >= 4 else text[:s], lex)[0]:
            continue  # inside a longer word
        out.append((s, m.end(), "facility", "公共施設"))
    return out


# Round 12: a municipality's section that signs the alert: after a sender's label (「【配信元】津山市森林課」「発信元:
# …課」) or alone on its line (「逗子市経営企画部防災安全課」 closing the mail).
_SENDER_LABEL = re.compile(r"(?:配信元|発信元|発行元|送信元|配信者|発信者)\s?[】\]:：]?\s?$")
_SIGNING_SECTION = re.compile(rf"(?:^|(?<=\n))[ \t\u3000]*(?P<name>[一-龥々ヶ]{{1,5}}[市町村区](?:{_SECTION_WORD}[局部])?"
                              rf"{_SECTION_WORD}[課室])(?=[ \t\u3000]*(?:\n|$))"
                              rf"|(?P<after>[一-龥々ヶ]{{1,5}}[市町村区](?:{_SECTION_WORD}[局部])?{_SECTION_WORD}[課室])"
                              r"(?![一-龥々ァ-ヺー])")


_NOT_AN_OFFICE = re.compile(r"警|署|委員会|協議会|議会")


def _signing_sections(text: str, lex: Lexicon) -> list[tuple]:
    out = []
    for m in _SIGNING_SECTION.finditer(text):
        group = "name" if m.group("name") else "after"
        s, e = m.span(group)
        if group == "after" and not _SENDER_LABEL.search(text, max(0, s - 10), s):
            continue
        if municipality_prefix(text[s:e], lex)[0] == 0 or _NOT_AN_OFFICE.search(text, s, e):
            continue  # the police, or a board (「…町教育委員会生涯学習課」: a body, as its committee is)
        out.append((s, e, "facility", "公共施設"))
    return out


def _quoted_after_trade(text: str, lex: Lexicon) -> list[tuple]:
    out = []
    for m in _TRADE_QUOTED.finditer(text):
        name = m.group("name")
        if _firm_name(name, lex) and not _EVENT_END.search(name) and not is_clause(name) \
                and not claimed(text, m.start("name"), m.end("name"), lex):  # (round 130: 「製紙会社「高齢者に役立てて」」)
            out.append((m.start("name"), m.end("name"), "facility", _SUGGESTION))
    return out


# A firm's name in katakana or Latin letters, then its head's family name in kanji glued to it, then a title
# (「(株)ライフニュー兒玉代表」, round 26).
_SURNAME_AT_END = re.compile(r"(?<=[ァ-ヺーA-Za-z])[一-龥々]{2,3}$")


def head_after_firm(text: str, c: tuple, lex: Lexicon) -> list[tuple]:
    """A firm's candidate ``c`` that ends in the family name of its head, whose title follows: the firm, then the
    person; any other candidate as it is."""
    title = lex.title_re.match(text, c[1]) if c[2] == "facility" else None
    if title is None or lex.titles[title.group()] != "job":
        return [c]
    name = _SURNAME_AT_END.search(text, c[0], c[1])
    piece = tokenize(name.group()) if name is not None else []
    if len(piece) != 1 or piece[0].pos[2:4] != ("人名", "姓") or is_municipality_name(name.group(), lex):
        return [c]  # 「YC高岡所長」: the shop's town, which its head heads
    return [(c[0], name.start(), *c[2:]), (name.start(), c[1], "person", PERSON_MASK)]


def head_before_office(text: str, tokens, owner, c: tuple, lex: Lexicon) -> list[tuple]:
    """「近藤島田郵便局長」「児玉 五加郵便局長」: a family name before the office its title heads is the head's, and the
    office is the rest (round 22); so is one before a body named after its town and the body's head title
    (「神田上尾商工会議所会頭」, round 60), an officer's full name before his base (``_FORCES``) and a full name before
    a public body's 県立 or 市立 (「菅谷文則|県立大学教授」, round 95). Any other candidate stays as it is."""
    start, end = c[0], c[1]
    if c[2] == "facility" and (BODY_HEAD.match(text, end) or text.startswith("社長", end)) \
            and not _KANJI_BEFORE.search(text, 0, start):
        cut = head_before_town_body(text[start:end], lex, full=text.startswith("社長", end))
        if cut is not None:
            return [(start, start + cut, "person", PERSON_MASK), (start + cut, end, *c[2:])]
    first = tokens[owner[start]]
    given = tokens[owner[start] + 1] if c[2] == "facility" and owner[start] + 1 < len(tokens) else None
    full_name = given is not None and first.begin == start and first.pos[2:4] == ("人名", "姓") \
        and given.begin == first.end and given.pos[2:4] == ("人名", "名")
    if full_name and given.end < end and text.startswith(first.surface, given.end) \
            and (text.startswith("社長", end) or BODY_HEAD.match(text, end)):
        return [(start, given.end, "person", PERSON_MASK), (given.end, end, *c[2:])]  # 「大畑勉|大畑建設社長」 (127)
    if full_name and ((_FORCES.match(text, given.end) and _OFFICER_AFTER.match(text, end))  # 「山本博仁|陸上自衛隊…」 (84)
                      or (_PUBLIC_OWNER.match(text, given.end) and not text.startswith("長", end))):  # 「…|県立大学教授」 (95)
        return [(start, given.end, "person", PERSON_MASK), (given.end, end, *c[2:])]
    if c[2] != "facility" or not text.startswith("長", end) or first.begin != start or first.pos[2] != "人名" \
            or first.pos[3] != "姓" or first.end >= end - 2:
        return [c]
    rest = first.end + (text[first.end] in " \u3000")
    place = tokens[owner[rest]]
    spaced = rest > first.end
    if place.begin != rest or not (place.pos[1] == "固有名詞" or place.oov or (spaced and place.pos[0] == "名詞")) \
            or place.pos[3] == "名":
        return [c]  # (「島田」 of 島田郵便局 may read as a family name too; after a space any noun starts the office)
    return [(start, first.end, "person", PERSON_MASK), (rest, end, *c[2:])]


_KANJI_BEFORE = re.compile(r"[一-龥々]$")
_PUBLIC_OWNER = re.compile(r"[県市町村府都道国]立")
# Round 84: an officer's full name glued before the base of the Self-Defense Forces he serves at, and his post after
# it (「山本博仁陸上自衛隊別府駐屯地副連隊長」).
_FORCES = re.compile(r"(?:陸上|海上|航空)?自衛隊")
_OFFICER_AFTER = re.compile(r"[副次]?[一-龥]{0,4}?(?:長|司令|官)")


def head_before_town_body(run: str, lex: Lexicon, full: bool = False) -> int | None:
    """Where a family name glued before a body named after its town or prefecture ends in ``run`` (「真壁|山口損保会」
    「神田|上尾商工会議所」, round 60): a word that can be a family name and is no town, then a town and more. With
    ``full`` (before a firm's 社長) the name may be a full name of four kanji (「外山衆司|長野放送」, round 63)."""
    for cut in ((4, 2, 3, 1) if full else (2, 3, 1)):
        name, rest = run[:cut], run[cut:]
        place = next((j for j in range(5, 1, -1) if is_municipality_name(rest[:j], lex)), None)
        if place is None or len(rest) <= place or is_municipality_name(name, lex):
            continue
        if cut == 4 and all(script_of(ch) == "kanji" for ch in name) and can_be_surname(name[:2]) \
                and not is_municipality_name(name[:2], lex):
            return cut
        if cut < 4 and can_be_surname(name) and name_shaped(name, lex, place_ok=True):
            return cut
    return None
