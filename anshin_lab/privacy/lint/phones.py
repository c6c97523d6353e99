"""Phone findings: every Japanese phone number but the police's own published ones.

- **phone**: a regular expression on the normalised text (full-width digits, kanji
  digits 「〇九〇…」 and 「ー」 between digits already made ASCII by ``normalize``):
  10 or 11 digits from a leading 0 (or +81), in groups cut by hyphens, dots,
  spaces or brackets (「099-222-1234」「099.222.1234」「(099)222-1234」).
- Pages write the dash between the groups in many ways; besides those ``normalize`` folds, a
  character an export lost (「0120?210?364」, U+FFFD) and a box-drawing rule (「─」「━」) between
  two digits read as a hyphen.
- A local number without its area code (「35-8891」「22-1111」「828・0397」「(232)2112」) is a phone where
  a phone word stands right before it (電話, TEL, ℡, 連絡先, 番号, FAX, 問い合わせ…), or where it
  stands in brackets or after a space right after an office's or school's name (「宮崎市消費生活センター(21-1755)」
  「〇〇町役場(2-3456)」「社協(66-1211)」「市浦小学校 62-2049」)
  or before what the reader is asked to call for (「(66-1211)までお問い合わせください」):
  2 to 4 digits (or the exchange in brackets), a hyphen, dot or middle dot, then 4 digits. Without
  either it is no phone (「12-3456」 may be anything), nor after 〒 or 郵便番号 (「〒424-8701」).
- The police's own contact is no finding, narrowly (the issue's rule): a number of the station table
  (``dictionaries/police_numbers.csv``) anywhere, or a fixed-line number ending in 0110 written
  right after a police station, 交番 or police desk (``police_words.txt``, or 〇〇署 that is not
  税務署, 消防署 or another office; a colon may stand between: 「逗子警察署:046-…」), also with the
  station's postal address between them (「〇〇警察署 〒445-0073 西尾市寄住町下田14 電話:0563-57-0110」).
  A consultation line ending in 9110 that the table lacks is a phone (「警察相談専用電話0852-31-9110」
  「警察安全相談電話(26-9110)」); a mobile, IP or free-dial number (070/080/090/050/020/0120/0800/0570)
  is never the police's, whatever stands before it. 110 and #9110 are not 0-prefixed numbers.

``find_phones`` returns candidates ``(start, end, "phone", PHONE_MASK)``.
"""

from __future__ import annotations

import functools
import re

from anshin_lab.privacy.lint.findings import PHONE_MASK
from anshin_lab.privacy.lint.lexicon import Lexicon, police_numbers

__all__ = ["find_phones", "is_police_number"]

# A letter may stand right before a number (「TEL099-…」「TEL.099-…」), a digit, a sign or a decimal point not.
# A page may break the line inside a number (「090-1234-\n5678」): one line break, spaces around it, is read.
# (the lookahead first: the engine then skips at once where no number starts, instead of trying the lookbehinds at
# every character)
_PHONE = re.compile(r"(?=[0-9+(])(?<![0-9#+\-])(?<![0-9]\.)(?:\+81[ \-.]?)?\(?[0-9](?:[0-9()\-. ]|[ \t]*\r?\n[ \t]*){7,16}[0-9]")
# An extension in brackets after a whole number (「0269-22-2111(238)」).
_EXTENSION = re.compile(r"(?<=[0-9])\s?\([0-9]{1,5}$")
_LINE_BREAK = re.compile(r"[ \t]*\r?\n[ \t]*")
# A foreign number, as spoofed fraud calls show them (「+1-202-555-0147」): the country code and 7 to 13 digits.
_FOREIGN = re.compile(r"(?<![0-9A-Za-z#+\-.])\+(?!81)[1-9][0-9]{0,2}[ \-.]?\(?[0-9][0-9()\-. ]{5,16}[0-9](?![0-9])")
# A space may stand on either side of a hyphen or dot (「0857-30 -8177」, round 91).
_PHONE_GROUPS = re.compile(r"^(?:\+81[ \-.]?)?(?:\(?0?[0-9]{1,5}\)?)(?:(?: ?[\-.] ?| )?\(?[0-9]{1,5}\)?){0,3}$")
# Numbers that are never a police station's: mobiles, IP phones, pagers, free dial and navi dial.
_NOT_FIXED = re.compile(r"0(?:[5789]0|20|120|800|570)")
# A local number (no area code) and the phone words one must follow (「【電話】35-8891」「TEL:22-1111」
# 「連絡先 21-4110」「電話番号:728-2121」); up to 12 characters of label or bracket may stand between.
_LOCAL = re.compile(r"(?<![0-9#+\-.・])(?:[0-9]{2,4}[\-.・]|\(\s?[0-9]{2,4}\s?\)\s?-?)[0-9]{4}(?![0-9]|[\-.・][0-9])")
_PHONE_WORD = re.compile(r"(?:電話|TEL|Tel|tel|℡|☎|連絡先|番号|FAX|Fax|fax|℻|ファクス|ファックス|携帯|問い?合わ?せ|相談)"
                         r"[^0-9。\n]{0,12}$")
# An office's name right before a local number in brackets (「宮崎市消費生活センター(21-1755)」): its contact.
_OFFICE_BEFORE = re.compile(r"(?:センター|役所|役場|支所|出張所|事務所|相談所|相談室|窓口|協会|協|組合|会議所|本部|課|係|学校|公民館"
                            r"|署|交番|駐在所|局|庁|ダイヤル|ライン)\s?$")
# ... or what the reader is asked to call it for after the bracket (「社協(66-1211)までお問い合わせください」, round 59).
_ASK_AFTER = re.compile(r"[)）]\s?(?:まで|へ)\s?(?:お?気軽に)?(?:お?問い?合わ?せ|ご?連絡|お?電話|ご?相談|お?申し?込)")
_POLICE_DESK = re.compile(r"(?:署|交番|駐在所)$")
# A page's identifier is no phone (「記事ID:0263435」, round 22), nor is an account (「郵便振替 01650-6-25335」, round 79).
_ID_BEFORE = re.compile(r"(?:(?:記事|ページ|文書)(?:ID|ＩＤ)|郵便振替|振替口座|口座番号)\s?[:：]?\s?$")
# A postal code is no phone (「〒424-8701」「郵便番号 892-0816」).
_POSTAL_BEFORE = re.compile(r"(?:〒|郵便番号[:：]?)\s?$")
# A range of years in brackets (「(2019-2020)」) is no local number.
_YEARS = re.compile(r"\(?(1[89][0-9]{2}|20[0-9]{2})[\-.・](1[89][0-9]{2}|20[0-9]{2})\)?$")
# A character an export lost or a rule drawn as a dash, between two digits (「0120?210?364」「099─222─1234」).
_LOST_DASH = re.compile(r"(?<=[0-9])[?\ufffd─━](?=[0-9])")
# A number printed twice with nothing between (the second starts right after the first's last four digits), and a
# number whose groups are read out in kana in brackets (a free dial's wordplay).
_GLUED_TWICE = re.compile(r"(?<![0-9])(0[0-9]{1,4}-[0-9]{1,4}-[0-9]{4})(?=0[0-9]{1,4}-[0-9]{1,4}-[0-9]{4}(?![0-9]))"
                          r"|(?<=[0-9]{4})(?<=[0-9]-[0-9]{4})0[0-9]{1,4}-[0-9]{1,4}-[0-9]{4}(?![0-9])")
_READ_OUT = re.compile(r"(?<![0-9])0[0-9]{2,4}(?:[・\-]\s?[0-9]{2,4}[(（][ぁ-ゖァ-ヺー]{1,8}[)）]){1,2}"
                       r"(?:[・\-]\s?[0-9]{2,4}(?:[(（][ぁ-ゖァ-ヺー]{1,8}[)）])?)?")
# A count after a number and a space (「092-833-3000 24時間対応」「… 3件」) is no group of that number.
_COUNT_AFTER = re.compile(r" [0-9]{1,3}$")
_COUNTER = re.compile(r"(?:時間|時|分|年|か月|ヶ月|カ月|月|日|件|人|名|回|歳|才|台|%|円)")
# Offices named 〜署 that are not the police.
_OTHER_OFFICES = ("税務署", "消防署", "監督署", "労基署", "営林署", "森林管理署", "分署")


@functools.lru_cache(maxsize=1)
def _police_before(words: tuple[str, ...]) -> re.Pattern:
    """The end of a police name and desk, as written before its number
    (「鹿児島中央警察署 099-…」「鹿児島西警察署(099-…)」「警察署生活安全課(電話 099-…)」「新居浜署 0897-…」
    「北海道警察本部TEL.011-…」「富山中央警察署 生活安全課 電話:076-…」)."""
    names = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(
        # (round 106: a unit's number, 「茨城県警本部捜査第1課(電話:029・301・0110)」; round 107: a squad's, 「…対策隊 TEL」)
        # (round 117: a centre of its own, 「…県警本部少年サポートセンター☎0742(23)0110」)
        rf"(?:{names}|[一-龥]{{1,6}}署)(?:[ \u3000]?[一-龥ァ-ヺー・0-9]{{1,12}}(?:部|課|係|室|班|隊|窓口|センター)){{0,3}}"
        rf"[】」』)）]?\s*[:：]?\s*"
        rf"(?:の(?:連絡先|電話番号|電話)は?\s*)?"  # (「交番の連絡先はTEL(951)0110」, round 51)
        # the area it serves may stand between, in brackets (「光警察署(周南市熊毛地区) ☎0833-72-0110」, round 37)
        rf"(?:[(（][一-龥ぁ-ゖァ-ヺー・、]{{1,20}}[)）]\s*[:：]?\s*)?"  # (round 112: 「竜ケ崎警察署(茨城県警):0297-…」)
        # or its town or address, then the number, in one bracket (「加古川警察署(加古川市平岡町、TEL 079-…)」, round 82;
        # 「船橋警察署(船橋市市場4-18-1 TEL…)」, round 83); its departments may stand before (「…本部 交通部 交通企画課 …係」)
        rf"(?:[(（][一-龥ぁ-ゖァ-ヺー・0-9−\-]{{1,24}}[、,，\s]\s*)?"
        # its postal address may stand between (「西尾警察署 〒445-0073 西尾市寄住町下田14 電話:0563-57-0110」)
        rf"(?:〒\s?[0-9]{{3}}-[0-9]{{4}}[^。\n〒]{{1,30}}?\s*)?"
        rf"(?:[(（【〈]\s*){{0,2}}"  # (「能美警察署(【電話】57-0110)」「同署〈電0557(85)0110〉」)
        # (round 92: 「宮古警察署(電話番号:64-0110)」)
        rf"(?:(?:代表|直通|電話番号|電話|電|TEL|Tel|tel|℡|☎)\.?\s*】?\s*[:：]?\s*)*$")


def is_police_number(digits: str) -> bool:
    """Whether ``digits`` (a national number, digits only) is in the station table."""
    return digits in police_numbers()


def _whole_number(run) -> bool:
    """Whether ``run`` (a match of ``_PHONE``, or None) holds a whole national number: 10 or 11 digits."""
    return run is not None and 10 <= sum(ch.isdigit() for ch in run.group()) <= 11


def _phone_candidates(text: str):
    """Every run ``_PHONE`` reads, and the runs that start after a space inside one that does not start with a zero
    (「有原町2−19      0853−21−8862」: a lot's number and the spaces before a phone read as one run first, round 42)."""
    for m in _PHONE.finditer(text):
        blank = m.group().find(" ")
        if text[m.start()] == "0" and blank > 0 and sum(ch.isdigit() for ch in m.group()) > 11:
            head = _PHONE.match(text, m.start(), m.start() + blank)
            if _whole_number(head):
                yield head  # 「023-630-3306 3101 3239」: the number, then its extensions after spaces (round 70)
                second = _PHONE.match(text, m.start() + blank + 1)
                if _whole_number(second) and text[second.start()] == "0":
                    yield second  # 「電話:082-504-2714 082-504-2702」: a second number after a space (round 107)
                continue
        extension = _EXTENSION.search(m.group())
        if extension is not None and (text.startswith(")", m.end()) or _COUNTER.match(text, m.end())):
            inner = _PHONE.match(text, m.start(), m.start() + extension.start())
            if _whole_number(inner):
                # 「0269-22-2111(238)」: the number, then its extension (round 49); 「03−5287−3387(24時間受付)」: its
                # hours in brackets (round 115)
                yield inner
                continue
        yield m
        if text[m.start()] in "0+(" or " " not in m.group():
            continue
        for blank in re.finditer(r" +(?=0)", m.group()):
            inner = _PHONE.match(text, m.start() + blank.end())
            if inner is not None:
                yield inner
                break


def find_phones(text: str, lex: Lexicon) -> list[tuple]:
    """Every Japanese phone number in ``text`` but the police's own contact numbers."""
    out = []
    police_before = _police_before(tuple(lex.police))
    text = _LOST_DASH.sub("-", text)  # one character for one: offsets stay
    for m in _phone_candidates(text):
        span, end = m.group(), m.end()
        count = _COUNT_AFTER.search(span)
        if count is not None and _COUNTER.match(text, end):
            span, end = span[:count.start()], m.start() + count.start()  # 「092-833-3000 24時間対応」 (round 24)
        if "\n" in span:
            if span.count("\n") > 1:
                continue
            # the break is no separator after a hyphen or a dot (「090-1234-\n5678」), else it is one
            span = _LINE_BREAK.sub(lambda b: "" if b.string[b.start() - 1] in "-." else "-", span)
        # A trailing digit run glued to another number (「099-222-1234 5」) is not part of it; nor is a year, a month or
        # a day after a space (「0263435 2022年」, round 22), nor a page's identifier (「記事ID:0263435」).
        if end < len(text) and (text[end].isdigit() or (text[end] in "年月日" and " " in span)):
            continue
        if _ID_BEFORE.search(text, max(0, m.start() - 6), m.start()):
            continue
        digits = re.sub(r"\D", "", span)
        if span.startswith("+81"):
            national = digits[2:]
            national = national if national.startswith("0") else "0" + national
        else:
            national = digits
            if not span.lstrip("(").startswith("0"):
                continue
        if not 10 <= len(national) <= 11 or "  " in span or not _PHONE_GROUPS.match(span):
            continue
        if not national.strip("0"):
            continue  # 「○○○-○○○○-○○○○」: a number masked with circles (read as zeros) leaks nothing (round 27)
        if is_police_number(national) or _police_contact(text, m.start(), national, police_before):
            continue
        start = m.start() + (1 if span.startswith("(") and ")" not in span else 0)
        out.append((start, end, "phone", PHONE_MASK))
    for m in _LOCAL.finditer(text):
        if _POSTAL_BEFORE.search(text, max(0, m.start() - 6), m.start()) or _YEARS.match(m.group()):
            continue
        before = text[m.start() - 1:m.start()]
        # in brackets, or after a space but for a police desk's (「市浦小学校 62-2049」, not 「介良駐在所 860-4273」)
        bracketed = before in ("(", "（") or (before in (" ", "\u3000")
                                            and not _POLICE_DESK.search(text, max(0, m.start() - 6), m.start() - 1))
        if not (_PHONE_WORD.search(text, max(0, m.start() - 20), m.start())
                or bracketed and (_OFFICE_BEFORE.search(text, max(0, m.start() - 8), m.start() - 1)
                                  or _ASK_AFTER.match(text, m.end()))):
            continue
        digits = re.sub(r"\D", "", m.group())
        if digits.endswith("0110") and _at_police(text, m.start(), police_before):
            continue  # 「丸亀警察署【電話】22-0110」: the station's own number
        out.append((m.start(), m.end(), "phone", PHONE_MASK))
    # Round 45: a number an export printed twice, glued (「TEL:096-353-5757096-353-5757」), and a free dial read out in
    # brackets between its groups (「0120・508(これは)・878(わなや)」).
    for m in [*_GLUED_TWICE.finditer(text), *_READ_OUT.finditer(text)]:
        digits = re.sub(r"\D", "", m.group())
        if 10 <= len(digits) <= 11 and not is_police_number(digits) \
                and not _police_contact(text, m.start(), digits, police_before):
            out.append((m.start(), m.end(), "phone", PHONE_MASK))
    for m in _FOREIGN.finditer(text):
        if 8 <= sum(ch.isdigit() for ch in m.group()) <= 15 and "  " not in m.group():
            out.append((m.start(), m.end(), "phone", PHONE_MASK))
    return out


def _police_contact(text: str, at: int, national: str, police_before: re.Pattern) -> bool:
    """A fixed-line number ending in 0110 right after a police station or desk (a 9110 line the table
    lacks is a phone: the issue's rule)."""
    if _NOT_FIXED.match(national) or not national.endswith("0110"):
        return False
    return _at_police(text, at, police_before)


def _at_police(text: str, at: int, police_before: re.Pattern) -> bool:
    """Whether a police station or desk (no other 〜署) is written right before ``at``."""
    found = police_before.search(text, max(0, at - 80), at)
    if found is None and _SPACED_KANJI.search(text, max(0, at - 80), at):
        # a table spaced out letter by letter (「葛 西 警 察 署 03-3687-0110」, round 48)
        found = police_before.search(_SPACED_KANJI.sub("", text[max(0, at - 80):at]))
    return found is not None and not any(office in found.group() for office in _OTHER_OFFICES)


_SPACED_KANJI = re.compile(r"(?<=[一-龥])[ \u3000](?=[一-龥])")
