"""The text as the lint reads it: folded to ASCII width, cut into SudachiPy tokens, characters by script.

``fold_width`` maps full-width ASCII and dash look-alikes to ASCII one character
for one, so offsets into the folded text are offsets into the original; ``modern_kanji`` writes old forms of
kanji (淺, 邊, 齊) in their common forms, one for one too (joyokanji, from PyPI).
``tokenize`` runs SudachiPy (``sudachipy`` with ``sudachidict_core``, both from
PyPI; no network at run time), split mode C, part of speech only; the dictionary
loads once, at first use, and each thread keeps its own tokenizer.
``token_owners`` maps each character to the index of the token holding it.

Raises ``LintError`` when SudachiPy, its dictionary or joyokanji is missing.
"""

from __future__ import annotations

import functools
import re
import threading

from anshin_lab.privacy.lint.findings import LintError

__all__ = ["PLACE_OLD_FORMS", "SPACES", "Token", "can_be_given", "can_be_surname", "common_kanji_words", "fold_width",
           "glued_to_name", "hiragana_name_end", "is_clause", "is_katakana", "kana_of", "katakana_after_common_word",
           "modern_kanji", "modern_table", "script_of", "surname_readings", "token_owners", "tokenize"]

# ---------------------------------------------------------------------------------------------
# Text folding: full-width ASCII and dash look-alikes to ASCII, one character for one.

_WIDTH = {chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)}
_WIDTH.update({"\u3000": " ", "\u00a0": " "})
_WIDTH.update({c: "-" for c in "‐‑‒–—―−﹣"})
# Round 122: minus signs raised or lowered, a hyphen bullet, a modifier minus, a small em dash and long dashes, drawn
# between a phone number's groups by some pages (「0172⁻35⁻1102」).
_WIDTH.update({c: "-" for c in "⁻₋⁃˗﹘⸺⸻"})
_WIDTH.update({c: "→" for c in "➡➔➜➝➞⇒⇨⇢"})  # round 77: arrows between the stops of a route (「永山駅➡永山南公園」)
_WIDTH_TABLE = str.maketrans(_WIDTH)


def fold_width(text: str) -> str:
    """``text`` with full-width ASCII, ideographic spaces and dashes as ASCII and arrows as →, one character for one."""
    return text.translate(_WIDTH_TABLE)


# Old forms of kanji (旧字体) as their common forms, one for one, so SudachiPy reads a name written with one as it reads
# the name (「礫石淺治署長」 is 礫石浅治, round 59). The table is joyokanji's, but for the old forms the towns of the postal
# data are written with (「龍ケ崎市」「四條畷市」「大澤」): those stay as they are, as the gazetteer and SudachiPy know them.
PLACE_OLD_FORMS = frozenset("佛假傳國嶽廣惠挾效曾條當櫻溪澤濱瀧燈狹眞禮稱繩萬與藏螢齋餘龍")


@functools.lru_cache(maxsize=1)
def modern_table() -> dict[int, int]:
    """The table ``modern_kanji`` translates with (one old form's code point to its common form's)."""
    try:
        # why: imported when the first text is read, like SudachiPy
        import joyokanji
    except ImportError as exc:
        raise LintError("旧字体の読み替えに joyokanji が必要です: pip install joyokanji") from exc
    kanji = "".join(map(chr, range(0x4E00, 0xA000)))  # every kanji of the plane, converted in one call
    return {ord(old): ord(new) for old, new in zip(kanji, joyokanji.convert(kanji))
            if new != old and old not in PLACE_OLD_FORMS}


def modern_kanji(text: str) -> str:
    """``text`` with old forms of kanji in their common forms, one character for one (offsets hold)."""
    return text.translate(modern_table())


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


# Every character ``\s`` matches (all are below U+3001): a pattern that may start with a space is tried only
# where one of these or its first word stands.
SPACES = frozenset(chr(c) for c in range(0x3001) if chr(c).isspace())


def lower_ascii(text: str) -> str:
    """``text`` with ASCII capitals in lower case, one character for one (so offsets hold, unlike ``str.lower``)."""
    return text.translate(_ASCII_LOWER)


# ---------------------------------------------------------------------------------------------
# Tokens


class Token:
    """One SudachiPy morpheme: its offsets in the text, surface, part of speech and whether it is unknown."""

    __slots__ = ("begin", "end", "surface", "pos", "oov")

    def __init__(self, begin, end, surface, pos, oov):
        self.begin, self.end, self.surface, self.pos, self.oov = begin, end, surface, pos, oov

    @property
    def proper(self) -> bool:
        return self.pos[1] == "固有名詞" or self.oov

    @property
    def person(self) -> bool:
        return self.pos[2] == "人名"

    def __repr__(self):
        return f"{self.surface}[{','.join(self.pos[:4])}{',OOV' if self.oov else ''}]"


# SudachiPy refuses inputs over about 49 KB; alerts are far shorter, long texts go in pieces.
_CHUNK_CHARS = 4000


@functools.lru_cache(maxsize=1)
def _dictionary():
    try:
        # why: SudachiPy is heavy; it loads at the first lint, and its absence is a LintError with the fix
        from sudachipy import Dictionary
    except ImportError as exc:
        raise LintError("文の解析に SudachiPy が必要です: pip install sudachipy sudachidict_core") from exc
    try:
        return Dictionary(dict="core")
    except Exception as exc:  # SudachiPy raises its own error types for a missing dictionary package
        raise LintError(f"SudachiPy の辞書を読めません(pip install sudachidict_core): {exc}") from exc


_POS_TABLE: dict[int, tuple] = {}
_LOCAL = threading.local()


def _tokenizer():
    """This thread's tokenizer (split mode C, part of speech only): SudachiPy's are not thread-safe."""
    tokenizer = getattr(_LOCAL, "tokenizer", None)
    if tokenizer is None:
        # why: only after _dictionary() has imported SudachiPy (or raised LintError saying how to install it)
        from sudachipy import SplitMode

        tokenizer = _LOCAL.tokenizer = _dictionary().tokenizer(mode=SplitMode.C, fields={"pos"})
    return tokenizer


def tokenize(text: str) -> list[Token]:
    """The tokens of ``text`` in order, with offsets into ``text``."""
    tokenizer, dictionary, pos_table = _tokenizer(), _dictionary(), _POS_TABLE
    tokens = []
    offset = 0
    while offset < len(text):
        end = min(len(text), offset + _CHUNK_CHARS)
        if end < len(text):
            cut = max(text.rfind("。", offset, end), text.rfind("\n", offset, end))
            end = cut + 1 if cut > offset else end
        chunk = text[offset:end]
        for m in tokenizer.tokenize(chunk):
            begin, stop = m.begin(), m.end()
            if begin == stop:
                # SudachiPy rewrites some characters before cutting (「…」 → 「...」); the extra morphemes
                # hold no character of the text and have an empty surface.
                continue
            pid = m.part_of_speech_id()
            pos = pos_table.get(pid)
            if pos is None:
                pos = pos_table[pid] = dictionary.pos_of(pid)
            # the surface is the text the morpheme covers (a slice costs less than asking SudachiPy)
            tokens.append(Token(offset + begin, offset + stop, chunk[begin:stop], pos, m.is_oov()))
        offset = end
    return tokens


@functools.lru_cache(maxsize=4096)
def can_be_surname(word: str) -> bool:
    """Whether SudachiPy's dictionary has ``word`` as a family name (人名,姓) among its readings, even
    when the tokenizer reads it as a place or a common word in context (「岩瀬」「浜田」「奥」「清水」)."""
    if not word:
        return False
    return any(tuple(m.part_of_speech()[2:4]) == ("人名", "姓") for m in _dictionary().lookup(word))


def surname_readings(word: str) -> list[str]:
    """The readings in hiragana SudachiPy's dictionary gives ``word`` as a family name (「安里」 → 「あさと」)."""
    return [_hiragana(m.reading_form()) for m in _dictionary().lookup(word)
            if tuple(m.part_of_speech()[2:4]) == ("人名", "姓")] if word else []


def _hiragana(kana: str) -> str:
    return "".join(chr(ord(ch) - 0x60) if "ァ" <= ch <= "ヶ" else ch for ch in kana)


def can_be_given(word: str) -> bool:
    """Whether SudachiPy's dictionary has ``word`` as a given name (人名,名) among its readings."""
    return bool(word) and any(tuple(m.part_of_speech()[2:4]) == ("人名", "名") for m in _dictionary().lookup(word))


def common_kanji_words(text: str) -> bool:
    """Whether ``text`` is kanji common words only, all known to the dictionary (「感謝状」「注意」; round 102: also
    adjectival nouns, 「特殊|詐欺|被害」): a headline's words, no name."""
    words = tokenize(text)
    return bool(words) and all((t.pos[1] == "普通名詞" or t.pos[0] == "形状詞") and not t.oov
                               and script_of(t.surface[0]) == "kanji" for t in words)


def is_clause(text: str) -> bool:
    """Whether ``text`` reads as a clause, as no name does: a verb, then an auxiliary verb or a conjunctive particle
    (a firm's words quoted in a headline, 「製紙会社「高齢者に役立てて」」, round 130; not 「ならは」, a roadside station)."""
    words = tokenize(text)
    verb = next((i for i, t in enumerate(words) if t.pos[0] == "動詞"), None)
    return verb is not None and any(t.pos[0] == "助動詞" or t.pos[1] == "接続助詞" for t in words[verb + 1:])


def token_owners(tokens: list[Token], length: int) -> list[int]:
    """For each of the ``length`` characters of the text, the index of the token that holds it."""
    owner = [0] * length
    for i, t in enumerate(tokens):
        for c in range(t.begin, t.end):
            owner[c] = i
    return owner


# ---------------------------------------------------------------------------------------------
# Scripts of single characters


def is_katakana(ch: str) -> bool:
    """Whether ``ch`` is a katakana letter, the long-vowel mark or the middle dot."""
    return "ァ" <= ch <= "ヺ" or ch in "ー・ｰ"


def kana_of(ch: str) -> str | None:
    """``"hiragana"`` or ``"katakana"`` for a kana character, else None."""
    if "ぁ" <= ch <= "ゖ":
        return "hiragana"
    if is_katakana(ch):
        return "katakana"
    return None


def glued_to_name(text: str, at: int) -> bool:
    """Whether a kanji, katakana, Latin letter or digit stands right before ``at``: a legal form written there ends
    the firm's name before it (「西日本電信電話株式会社」), it starts no other."""
    return at > 0 and _NAME_CHAR.match(text[at - 1]) is not None


_NAME_CHAR = re.compile(r"[一-龥々ァ-ヺA-Za-z0-9]")


def katakana_after_common_word(tokens: list, k: int) -> Token | None:
    """The kanji common word of two or more characters (no adverb-like noun) that the katakana token ``k`` is glued
    after (「自転車|トライアル」「神奈川東部|ヤクルト」), or None: a name there ends a longer word (round 53)."""
    if k == 0 or tokens[k - 1].end != tokens[k].begin or not is_katakana(tokens[k].surface[0]):
        return None
    prev = tokens[k - 1]
    if prev.pos[1] != "普通名詞" or prev.pos[2] == "副詞可能" or len(prev.surface) < 2 \
            or not all(script_of(ch) == "kanji" for ch in prev.surface):
        return None
    return prev


def script_of(ch: str) -> str | None:
    """``"hiragana"``, ``"katakana"`` or ``"kanji"`` (with 々〆ヶ), else None."""
    if kana_of(ch):
        return kana_of(ch)
    if "一" <= ch <= "鿿" or ch in "々〆ヶ":
        return "kanji"
    return None


# ---------------------------------------------------------------------------------------------
# A name in hiragana right after the word of its kind (「スナックきくの」「道の駅たるみず」)

# Hiragana that start no name after a shop-type word or a kind written before its name: particles,
# function words, verbs and adverbs; and small kana, which start no word (「幼稚園ってなに」, round 84).
_NOT_NAME_START = re.compile(r"[をがにでのへとも]|[ぁぃぅぇぉっゃゅょゎ]|など|まで|から|より|ばかり|しか|だけ|なら|とか|さえ|こそ"
                             r"|くらい|ぐらい|ほど"
                             r"|さん|ちゃん|めぐり|につい|におけ|として|という|といっ|とは|あり|ある|あっ|なし|ない|なく"
                             r"|なか|でき|する|した|して|しな|しま|され|させ|いる|いた|いな|です|でし|だっ|だ|みたい|っぽ"
                             r"|らしい|ふう|いつ|どこ|なに|なん|だれ|いくら|よく|もう|まだ|すで|ずっと|とても|かなり|その|この|あの|どの|ごと|ぐるみ")
_FINAL_PARTICLE = re.compile(r"(?:から|まで|より|など|[のでにへをがはとも])$")
_HIRAGANA_RUN = re.compile(r"[ぁ-ゖー]{2,10}")


def hiragana_name_end(text: str, e: int, town_kana: bool = False) -> int | None:
    """Where a name in hiragana that starts at ``e`` ends (a final particle left out), or None when the
    hiragana there start no name (「居酒屋などで」「カフェあり」). ``town_kana``: after a kind that always takes a
    name, なら starts one (「道の駅ならは」, 楢葉 in kana; round 53) unless it is 「ならでは」「ならば」."""
    run = _HIRAGANA_RUN.match(text, e)
    if run is None or (run.end() < len(text) and "ぁ" <= text[run.end()] <= "ゖ"):
        return None
    name = _FINAL_PARTICLE.sub("", run.group())
    starts_town = town_kana and len(name) > 2 and name.startswith("なら") and not name.startswith(("ならでは", "ならば"))
    if len(name) < 2 or (_NOT_NAME_START.match(name) and not starts_town) \
            or (name[0] == "は" and _NOT_NAME_START.match(name, 1)):
        return None
    return e + len(name)
