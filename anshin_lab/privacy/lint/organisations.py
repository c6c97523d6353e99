"""Organisations named with no kind word: firms, banks and media the text names bare (「中国電力」「不二家」「NHK」).

A company, bank or media outlet named in any form is a facility, also as an employer, a byline or a source;
many are written with no kind word the facility rules could see. ``dictionaries/organisations.txt`` lists such
names (from IPAdic's organisation names, filtered by ``scripts/organisations_from_ipadic.py``),
``dictionaries/recent_firms.txt`` the few formed after that list (「日本郵便」),
``dictionaries/media_names.txt`` the newspapers of every prefecture and ``dictionaries/broadcasters.txt`` the
television stations by their letters (「RKK」「KTN」). A name is found only as a
whole run of SudachiPy tokens of at least three characters (「中央」「JR」「松山」 inside other words are none),
by a set lookup of the surfaces of runs of up to ``MAX_TOKENS`` tokens, the longest at each start.

Not findings, as for every facility (``claims.exempt``): an organisation a caller claims (「NTTを名乗る」), the
police; nor, as for chains, a brand before a belonging (「ミズノのウインドブレーカー」), nor a railway or bus
operator before its station or line (「京成電鉄の八千代台駅」), a broadcaster's network (「日本テレビ系」), a body
named after a firm (「岩手日報会」), a product delivered or sold (「ヤクルトを配達」), the start of a longer quoted
name (「「ドコモ口座」」), or a katakana or Latin name that runs on into more katakana (「NTT|ファイナンス」).
``find_organisations`` returns candidates ``(start, end, "facility", "施設")``; ``org_runs`` the token runs
(for the learned detector's feature).
"""

from __future__ import annotations

import functools
import re

from anshin_lab.privacy.lint.claims import exempt
from anshin_lab.privacy.lint.lexicon import Lexicon, dictionary_lines
from anshin_lab.privacy.lint.tokens import Token, is_katakana, katakana_after_common_word

__all__ = ["MAX_TOKENS", "belonging_after", "find_organisations", "forget_runs", "gazetteer", "org_runs"]

# The most tokens SudachiPy cuts a listed name into (「宮崎|日日|新聞|社」); longer runs are not looked up.
MAX_TOKENS = 6
MIN_CHARS = 3
SUGGESTION = "施設"
_FILES = ("organisations.txt", "recent_firms.txt", "media_names.txt", "broadcasters.txt")


@functools.lru_cache(maxsize=1)
def gazetteer() -> frozenset[str]:
    """Every listed organisation name, read at first use and kept."""
    return frozenset(name for f in _FILES for name in dictionary_lines(f) if len(name) >= MIN_CHARS)


@functools.lru_cache(maxsize=1)
def _prefixes() -> frozenset[str]:
    """Every beginning of a listed name: a run is read on only while its text can still become one."""
    return frozenset(name[:k] for name in gazetteer() for k in range(1, len(name)))


def org_runs(text: str, tokens: list[Token]) -> list[tuple[int, int]]:
    """The runs of tokens (first, last index) whose text is a listed name: the longest at each start, left to
    right, never overlapping."""
    return list(_runs(text, tuple((t.begin, t.end) for t in tokens)))


@functools.lru_cache(maxsize=32)
def _runs(text: str, spans: tuple[tuple[int, int], ...]) -> tuple[tuple[int, int], ...]:
    """``org_runs`` of the tokens at ``spans``, kept: the rules and the learned detector read the same text."""
    names, prefixes = gazetteer(), _prefixes()
    out = []
    i, n = 0, len(spans)
    while i < n:
        begin, stop = spans[i]
        piece = text[begin:stop]
        found = i if len(piece) >= MIN_CHARS and piece in names else None
        if piece in prefixes:  # (most tokens start no name: one lookup each)
            for j in range(i + 1, min(n, i + MAX_TOKENS)):
                if spans[j][0] != spans[j - 1][1]:
                    break  # a space or a gap ends the run
                piece = text[begin:spans[j][1]]
                if len(piece) >= MIN_CHARS and piece in names:
                    found = j
                if piece not in prefixes:
                    break
        if found is None:
            i += 1
            continue
        out.append((i, found))
        i = found + 1
    return tuple(out)


def forget_runs() -> None:
    """Drop the kept runs (``check.forget_findings``: the next lint reads its text anew)."""
    _runs.cache_clear()


# A station or a line of the operator after its name (「京成電鉄の八千代台駅」「小田急線」「東武鉄道太田駅」), also of
# operators listed with ・ and a station in quotes (「小田急電鉄・相模鉄道「大和駅」」, round 67).
_OPERATOR_OF = re.compile(r"(?:[・･][一-龥々ヶァ-ヺー]{2,10}?)*(?:の)?[「『]?[一-龥々ヶァ-ヺー]{0,8}?(?:駅|線)")
# Things of a brand's that are no belonging a person is described by (「ヤフーのアプリ」 names the firm): a
# brand exempts a name only before clothes, bags and vehicles.
_NOT_WORN = ("カード", "商品券", "ポイント", "アプリ", "商品", "製品", "ロゴ")
# After the name: a broadcaster's network (「日本テレビ系」), a body named after it (「岩手日報会」「NHK労組」, and round
# 54's 「山形新聞親交会」: bodies are clean, and round 106's members of one, 「…赤十字奉仕団員」), or a verb whose object is a
# product (「ヤクルトを配達」「…をお届けする」).
_NOT_THE_FIRM = re.compile(r"系|[一-龥々]{0,3}?(?:会|協会|連合会?|組合|労組|団員?)(?![一-龥])|を(?:配達|販売|お?届け|飲|買|購入|注文)")
# A gang named after the word that says it is one (「指定暴力団山口組」, round 42) or after its boss's generation
# (「四代目倉本組」, round 94): a criminal group, no place.
_GANG_BEFORE = re.compile(r"(?:暴力団|[初一二三四五六七八九十]{1,3}代目)$")
_OPEN_QUOTE = "「『"
_CLOSE_QUOTE = "」』"


def find_organisations(text: str, tokens: list[Token], owner, lex: Lexicon) -> list[tuple]:
    """Every listed organisation ``text`` names as a place, an employer, a byline or a source."""
    out = []
    for a, b in org_runs(text, tokens):
        start, end = tokens[a].begin, tokens[b].end
        if _runs_on(text, start, end) or exempt(text, start, end, lex, SUGGESTION) \
                or belonging_after(text, end, lex) or _OPERATOR_OF.match(text, end) \
                or _NOT_THE_FIRM.match(text, end) or _inside_longer_quote(text, start, end) \
                or _ends_a_compound(tokens, a) or _starts_a_compound(tokens, b) \
                or _GANG_BEFORE.search(text, max(0, start - 6), start):
            continue
        out.append((start, end, "facility", SUGGESTION))
    if _MEDIA_END.search(text):
        out += _mastheads(text, tokens, owner, lex)
    # a news agency's credit under an article or in its dateline (「…と話した。(共同)」「【ワシントン時事】」)
    out += [(*m.span(1), "facility", SUGGESTION) for m in _AGENCY_CREDIT.finditer(text)]
    if "FM" in text or "エフエム" in text:
        out += [(m.start(), m.end(1), "facility", SUGGESTION) for m in _RADIO.finditer(text)
                if not exempt(text, m.start(), m.end(1), lex, SUGGESTION)]
    return out


# Round 18: a radio station by FM and its name (community radio: 「エフエムあおぞら」「FMぐぅぴぃひろば」「FM鹿児島」),
# the name up to a particle, a bracket or punctuation; never FM before a kind of broadcast (「FM放送」「FMラジオ」), nor a
# particle after FM (「FMで聞く」). Round 126: より and まで end the name too (「(株)エフエム熊本より、」).
_RADIO = re.compile(r"(?<![A-Za-z])(?:エフエム|FM)(?!放送|ラジオ|局|波|電波|番組|周波数|補完|チューナー)[ ・]?"
                    r"(?![でのがをへやも])([ぁ-ゖァ-ヺー一-龥々A-Za-z0-9]{2,12}?)"
                    r"(?=で|の|が|に|を|は|と|へ|から|より|まで|や|[、。」』)(）\s,.!！]|$)")


_AGENCY_CREDIT = re.compile(r"(?:[(（]|【[^】\n]{0,8}?)(共同|時事)(?:通信)?[)）】]")


def _ends_a_compound(tokens: list[Token], a: int) -> bool:
    """Whether the name is glued after a hiragana noun or suffix (「まるごと|アイネット」 of 「SUZUKAまるごとアイネット」),
    or a katakana name after a kanji common word: the end of a longer coined name (a campaign's, a network's, a
    sales company's), not the firm."""
    if a == 0 or tokens[a - 1].end != tokens[a].begin:
        return False
    if katakana_after_common_word(tokens, a) is not None:
        return True  # 「神奈川東部|ヤクルト」: the end of a longer name, which other rules find whole (round 53)
    prev = tokens[a - 1]
    return prev.pos[0] in ("名詞", "接尾辞") and "ぁ" <= prev.surface[-1] <= "ゖ"


def _starts_a_compound(tokens: list[Token], b: int) -> bool:
    """Whether a name ending in hiragana runs on into a hiragana noun (「うつのみや|ちゅうおう|けいさつしょ」, a
    station's reading in brackets; round 53): part of a longer word, not the firm."""
    if b + 1 >= len(tokens) or tokens[b + 1].begin != tokens[b].end:
        return False
    nxt = tokens[b + 1]
    return "ぁ" <= tokens[b].surface[-1] <= "ゖ" and "ぁ" <= nxt.surface[0] <= "ゖ" and nxt.pos[0] in ("名詞", "接尾辞")


# Round 13: a newspaper, a journal or a news site named alone on its line (a masthead or a source under an
# article: 「日刊建設工業新聞」「東信ジャーナル」「産経ニュース」), which media_names.txt (daily papers) does not list.
_MEDIA_END = re.compile(r"(?:新聞|ジャーナル|ニュース|新報|日報|タイムス|タイムズ)[ \t]*(?:\n|$)")
_MASTHEAD = re.compile(r"(?m)^[ \t/／]*([一-龥々ァ-ヺーA-Za-z]{1,12}?(?:新聞|ジャーナル|ニュース|新報|日報|タイムス|タイムズ))[ \t]*$")
# What opens a trade or local paper's name when no proper noun does (「日刊建設工業新聞」「週刊…」).
_PERIODICAL = ("日刊", "週刊", "旬刊", "月刊")


def _mastheads(text: str, tokens: list[Token], owner, lex: Lexicon) -> list[tuple]:
    """A medium's name that is a whole line: its name holds a proper noun that is no place or opens with 日刊 / 週刊 (a heading
    「防犯ニュース」「安全安心ニュース」 holds only common words and is no medium's name)."""
    out = []
    for m in _MASTHEAD.finditer(text):
        a, b = m.span(1)
        inside = tokens[owner[a]:owner[b - 1] + 1]
        if not inside or inside[0].begin != a or inside[-1].end != b:
            continue
        # (a place alone is whose news it is: 「鹿児島ニュース」 is a heading of the town's news)
        if any((t.proper and t.pos[2] != "地名") or t.oov for t in inside[:-1]) or text.startswith(_PERIODICAL, a):
            if not exempt(text, a, b, lex, SUGGESTION):
                out.append((a, b, "facility", SUGGESTION))
    return out


# The rest of a quote that makes a firm's name a service's (「「ドコモ口座」」「「…Pay」」): a short word, then the quote's end.
_SERVICE_REST = re.compile(r"[一-龥ァ-ヺーA-Za-z]{1,3}[」』]")


def _inside_longer_quote(text: str, start: int, end: int) -> bool:
    """Whether the name opens a quote that ends in a short word more (「「ドコモ口座」」): a service of the firm."""
    return start > 0 and text[start - 1] in _OPEN_QUOTE and _SERVICE_REST.match(text, end) is not None


# Belongings carried in a pocket, by a brand (「セコムのICキー」「カシオの腕時計」): the thing, not the firm.
_CARRIED = re.compile(r"(?:製|の)[A-Z]{0,3}(?:キー|カギ|鍵|財布|腕時計|時計|スマホ|スマートフォン|携帯電話?|ケース|カメラ)")


def belonging_after(text: str, end: int, lex: Lexicon) -> bool:
    """Whether clothes, a bag, a vehicle or a belonging of the brand follow (「ミズノのウインドブレーカー」「ホンダの車」
    「ワコールのICキー」): the brand describes a thing, it names no place (the rules' and the learned spans' check)."""
    m = lex.brand_after.match(text, end, end + 30)
    return m is not None and not m.group().endswith(_NOT_WORN) or _CARRIED.match(text, end) is not None


def _runs_on(text: str, start: int, end: int) -> bool:
    """Whether a name in katakana or Latin letters is glued to more katakana (「NTTファイナンス」) or Latin letters:
    part of a longer name, which may be a product or a claimed one."""
    def word(ch: str) -> bool:
        return is_katakana(ch) and ch != "・" or ch.isascii() and ch.isalnum()

    return (start > 0 and word(text[start - 1]) and word(text[start])) \
        or (end < len(text) and word(text[end]) and word(text[end - 1]) and not _PROGRAMME.match(text, end))


# A broadcaster's news or radio glued after its name (「MBCニュース」「NHKローカルニュース」「日テレNEWS24」) is still
# the broadcaster.
_PROGRAMME = re.compile(r"(?:ローカル)?(?:ニュース|ラジオ)|NEWS")
