"""Firms the sentence names by their part in it, with no kind word (issue 14, round 21).

Police and towns sign watch agreements with shops and firms the text names bare (「協定をとりせんと締結しました」
「セブンイレブンと見守り協定を結んだ」), and a text may set a firm's name after its trade (「酒造である一の蔵「蔵開放」
イベント」). No kind word says these are places, but the frame does: the partner of an agreement and the name after
「<trade>である」 are a firm. The police, municipalities, associations, counts and common words are no partners.

``find_partners`` returns candidates ``(start, end, "facility", "事業所")`` on the normalised text.
"""

from __future__ import annotations

import re

from anshin_lab.privacy.lint.claims import exempt
from anshin_lab.privacy.lint.lexicon import Lexicon
from anshin_lab.privacy.lint.municipalities import is_municipality_name
from anshin_lab.privacy.lint.tokens import tokenize

__all__ = ["find_partners"]

_SUGGESTION = "事業所"
_NAME_CHAR = re.compile(r"[一-龥々ヶァ-ヺーぁ-ゖA-Za-zＡ-Ｚａ-ｚ&・]")
_NAME = _NAME_CHAR.pattern + "{2,14}?"
_AGREEMENT = r"(?:協定|覚書|協約)"
# 「協定をとりせんと締結」: the partner between the agreement and its verb.
_PARTNER_AFTER = re.compile(rf"{_AGREEMENT}を(?P<name>{_NAME})と(?:の間で)?(?:締結|結|交わ)")
# 「県警はセブンイレブンと見守り協定を結んだ」: the partner before と and the agreement, back to the subject's particle.
_PARTNER_BEFORE = re.compile(rf"と(?:の間で|の間に|の)?[^。「」と]{{0,30}}?{_AGREEMENT}(?:を|の|に)?(?:締結|結)"
                             # round 25: a quoted partner and the signing (「「ラック」との締結式」)
                             r"|(?<=[」』])との(?:締結|調印)")
_PARTICLES = "はがもにでをへ"
_HIRAGANA = re.compile(r"[ぁ-ゖ]+")
# Two short words joined by の, a name of its own (「一の蔵」「白鷺の里」).
_JOINED_BY_NO = re.compile(r"[一-龥々ヶ]{1,3}の[一-龥々ヶ]{1,3}")
# 「酒造である一の蔵「蔵開放」イベント」: a firm's name after its trade and である.
_APPOSITION = re.compile(r"(?:酒造|酒蔵|蔵元|企業|会社|メーカー|スーパー|コンビニ|ホテル|旅館|飲食店|店舗|事業者|百貨店|運送会社)である"
                         rf"(?P<name>{_NAME})(?=[「『(（、。]|[でにがはをとも](?![ぁ-ゖ]))")
# What no partner ends in: the police, a body, a municipality, people, a count of firms.
_NOT_A_FIRM_END = re.compile(r"(?:警察|県警|署|本部|協会|協議会|連合会|組合|委員会|団体|自治体|市|町|村|区|県|都|府|道|国|庁|省|局|課"
                             r"|事業者|業者|企業|社|店|会|団|隊|者|員|など|等|ら)$")
# (round 120: also a title and の, who signed for the body: 「協定調印式に代表の米盛と…」)
_NOT_A_FIRM_START = re.compile(r"(?:県警|警察|同|各|当|本|市内|県内|町内|地域|地元|全国|これまで|今回|大手|地場|民間|複数"
                               r"|(?:代表|会長|社長|理事長|組合長|市長|町長|村長|知事|署長)の)")
# A subject and its particle inside the run (「富山県警が大手スーパー」), or the police: no one firm's name.
_NOT_INSIDE = re.compile(r"警察|県警|府警|道警|[^ぁ-ゖ][がはを][^ぁ-ゖ]")


def find_partners(text: str, lex: Lexicon) -> list[tuple]:
    """Every firm ``text`` names as a partner of an agreement or after 「<trade>である」."""
    if "協定" not in text and "覚書" not in text and "協約" not in text and "である" not in text \
            and "との締結" not in text and "との調印" not in text:
        return []
    spans = [m.span("name") for pattern in (_PARTNER_AFTER, _APPOSITION) for m in pattern.finditer(text)]
    spans += [_without_honorific(text, *_name_span(text, m.start())) for m in _PARTNER_BEFORE.finditer(text)]
    return [(a, b, "facility", _SUGGESTION) for a, b in spans
            if 2 <= b - a <= 14 and _firm_name(text[a:b], lex, quoted=text[b:b + 1] in ("」", "』"))
            and not exempt(text, a, b, lex, _SUGGESTION)]


def _name_span(text: str, end: int) -> tuple[int, int]:
    """The name before ``end``: in the brackets that close there (「「北越ケーズ」と」, round 22), or back to the subject's
    particle, a comma or a bracket (「霧島署は|…と」)."""
    if end > 0 and text[end - 1] in "」』":
        opener = max(text.rfind("「", 0, end - 1), text.rfind("『", 0, end - 1))
        return (opener + 1, end - 1) if opener >= 0 else (end, end)
    start = end
    while start > 0 and end - start < 15 and _NAME_CHAR.match(text[start - 1]) and text[start - 1] not in _PARTICLES:
        start -= 1
    return start, end


def _without_honorific(text: str, start: int, end: int) -> tuple[int, int]:
    """「日本郵便株式会社様と」: the honorific after a partner is no part of its name."""
    return (start, end - 1) if end - start > 3 and text[end - 1] in "様殿" else (start, end)


def _firm_name(name: str, lex: Lexicon, quoted: bool = False) -> bool:
    """Whether ``name`` can be a firm's: no police, body, municipality, count or common word; a proper noun, a word
    SudachiPy does not know, or a name of two words joined by の (「一の蔵」)."""
    if _NOT_A_FIRM_END.search(name) or _NOT_A_FIRM_START.match(name) or _NOT_INSIDE.search(name) \
            or is_municipality_name(name, lex):
        return False
    if name in lex.generic or name in lex.stops or name in lex.not_names:
        return False
    words = tokenize(name)
    if len(words) == 1 and words[0].pos[0] == "動詞":
        return False  # 「県警生活安全部によると、…協定を締結」: a verb's と, no partner (round 127; 「とりせん」 reads as
        # a verb and its endings, and is one)
    if any(w.pos[2] == "人名" for w in words) and len(words) <= 2:
        return False  # 「山田と協定」: a person signs for a body, the body is the partner
    if len(words) == 1 and words[0].pos[1] == "普通名詞" and not words[0].oov:
        # 「自治体と協定」: a common word; quoted in katakana or Latin letters, a firm's (「「ラック」との締結式」)
        return quoted and not re.search(r"[一-龥々]", name)
    if _HIRAGANA.search(name) and not _HIRAGANA.fullmatch(name) and not _JOINED_BY_NO.fullmatch(name):
        return False  # 「(本店を)置く全ての金融機関」: a verb and common words, no name
    return any(w.oov or w.pos[1] == "固有名詞" for w in words) or _JOINED_BY_NO.fullmatch(name) is not None \
        or all(not w.pos[0].startswith("名詞") for w in words)  # 「とりせん」, which SudachiPy reads as verbs
