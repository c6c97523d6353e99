"""Facility findings: the name of a school, park, station, shop, chain or housing block.

- **facility**: a dictionary of facility kind words (``dictionaries/facility_kinds.csv``:
  小学校, 公園, 駅, 店, マンション, コーポ…) and of chains (``chains.csv``: ローソン,
  タイヨー, 山形屋…). SudachiPy (core dictionary, split mode C) finds where the name
  before a kind word starts: the run of nouns back to a particle, a verb, a number
  or a relation word (``place_stops.txt``). A run made only of generic modifiers
  (``place_generic.txt``: 児童公園, 県立高校, 内科クリニック, ラーメン店) or only of
  the municipality is no name; kinds marked ``needs_proper`` (住宅, 支店, グラウンド…)
  need more than kanji common nouns (「教員住宅」 no, 「県営武岡住宅」 yes).
  A run that is the start of a town of the gazetteer covering the kind word
  (「皇徳寺台」, 「玉里団地1丁目」) is a town, not a facility. Not findings either: a
  name right before 交番 / 警察署, a chain or facility that a fraud caller claims
  to be from (「山形屋の店員を名乗る」, ``claims.csv``), and a brand describing
  clothes or belongings (「ユニクロのダウンジャケット」, ``brand_items.txt``). The
  suggestion is the generic kind: 「山下小学校」 → 「学校」, 「ローソン」 → 「店舗」.

Each ``find_*`` returns candidates ``(start, end, "facility", suggestion)`` on the folded text.
"""

from __future__ import annotations

import re

from anshin_lab.core.directive import PREFECTURE
from anshin_lab.places import address
from anshin_lab.privacy.lint.lexicon import CATEGORY_SUGGESTIONS, Lexicon
from anshin_lab.privacy.lint.tokens import Token, is_katakana, kana_of, script_of

__all__ = ["find_chains", "find_facilities"]

_FINANCIAL = re.compile(r"銀行|信用金庫|信金|信用組合|労働金庫|農協|JA|ゆうちょ")
# Longest runs of tokens a name may take before (or after) its kind word.
_MAX_NAME_TOKENS = 6
# Text after a kind word inside the same token that still leaves the kind word a name's end
# (「鹿児島中央駅前」 is one token; 「駅員」「店舗」「大学生」 are other words).
_LOCATION_TAILS = {"前", "内", "裏", "横", "東口", "西口", "南口", "北口", "口", "構内", "付近", "周辺", "近く",
                   "側", "敷地", "敷地内", "駐車場", "駐輪場", "入口", "出口", "前広場", "前通り", "院内", "校内",
                   "園内", "店内", "館内", "店前", "校門", "正門", "裏手", "横手"}
_STOP_KINDS = {"駅", "電停", "バス停", "停留所"}
_PUBLIC_HOUSING = {"県営", "市営", "町営", "村営", "公営"}
_POLICE_AFTER = re.compile(r"(?:駅)?(?:前|東口|西口|南口|北口|口)?(?:幹部交番|交番|駐在所|警察署|派出所|警備派出所)")


def _script(ch: str) -> str:
    if is_katakana(ch):
        return "katakana"
    if ch.isascii() and ch.isalnum():
        return "latin"
    return "other"


def find_chains(text: str, tokens, owner, lex: Lexicon) -> list[tuple]:
    """Every chain named in ``text`` (with its branch: 「ローソン鹿児島宇宿店」) that is a place."""
    out = []
    for m in lex.chain_re.finditer(text):
        start, end = m.span()
        # 「イオン」 in 「ライオン」, 「イオンカード」: a chain is a word of its own.
        if start > 0 and _script(text[start - 1]) == _script(text[start]) != "other":
            continue
        if end < len(text) and _script(text[end - 1]) == _script(text[end]) != "other":
            continue
        # The branch: place names after the chain, then 店 (「ローソン鹿児島宇宿店」).
        k = owner[end] if end < len(text) else len(tokens)
        stretch = end
        while k < len(tokens) and tokens[k].begin == stretch and tokens[k].pos[2] == "地名" and k - owner[end] < 3:
            stretch = tokens[k].end
            k += 1
        if text.startswith("店", stretch):
            end = stretch + 1
        elif stretch > end:
            end = stretch
        if _exempt(text, start, end, lex):
            continue
        out.append((start, end, "facility", CATEGORY_SUGGESTIONS[lex.chains[m.group().lower()]]))
    return out


def _exempt(text: str, start: int, end: int, lex: Lexicon) -> bool:
    """A claimed organisation, a brand of clothes or goods, or the police: not a place."""
    window = text[end:end + 30]
    if lex.claim_after.match(window) or lex.brand_after.match(window):
        return True
    if lex.claim_before.search(text, max(0, start - 4), start):
        return True
    return bool(_POLICE_AFTER.match(text, end))


_ORDINAL = re.compile(r"第[0-9一二三四五六七八九十]+")
# Words that name a facility although SudachiPy joins them with the kind into one common word.
_NAME_WORDS = {"中央", "東", "西", "南", "北", "第一", "第二", "第三"}
_DEMONSTRATIVES = {"同", "当", "本", "某", "各", "他", "別", "両", "全", "該当", "当該"}


def _name_like(tokens: list[Token], k: int, lex: Lexicon, backward: bool = True) -> bool:
    t = tokens[k]
    surface = t.surface
    if surface in _DEMONSTRATIVES and backward:
        # 「同店」「当該マンション」 name nothing, but inside a name they are letters (「母間大当小学校」).
        return k > 0 and tokens[k - 1].end == t.begin and tokens[k - 1].pos[0] in ("名詞", "接尾辞") \
            and tokens[k - 1].pos[1] not in ("数詞", "代名詞")
    if surface in lex.stops or surface in lex.titles:
        return False
    if _ORDINAL.fullmatch(surface):
        return True  # 「第一」 is read as an adverb too
    p0, p1, p2 = t.pos[0], t.pos[1], t.pos[2]
    if p0 not in ("名詞", "接頭辞", "接尾辞", "補助記号", "空白") and all(script_of(ch) == "kanji" for ch in surface):
        return True  # a kanji word read as an adjective or adverb is still a noun in a name (「菱刈前目」)
    if p0 == "名詞":
        if p1 == "数詞":
            return backward and k > 0 and tokens[k - 1].surface == "第"
        if p2 == "副詞可能" and len(surface) == 1 and backward and k + 1 < len(tokens) \
                and tokens[k + 1].begin == t.end and tokens[k + 1].pos[1] == "固有名詞":
            return True  # 「下|大川内」「上|伊集院」: a one-kanji direction before a place name
        if p1 == "代名詞" or p2 == "副詞可能":
            return False
        if p2 == "助数詞可能" and k > 0 and tokens[k - 1].pos[1] == "数詞":
            return False
        return True
    if p0 == "接頭辞":
        return True
    if p0 == "接尾辞":
        return p1 == "名詞的" and p2 != "助数詞"
    if surface in "・･" and 0 < k < len(tokens) - 1:
        return is_katakana(tokens[k - 1].surface[-1]) and is_katakana(tokens[k + 1].surface[0])
    return False


def _bearing(t: Token, surface: str, lex: Lexicon) -> bool:
    """Whether a word of a name says which place it is (not 「県立」「児童」「2階建て」)."""
    if surface == "第" or _ORDINAL.fullmatch(surface):
        return True  # an ordinal names one of several (「第一小学校」「第2中村ビル」)
    if surface in lex.generic or t.pos[1] == "数詞" or t.pos[0] in ("接頭辞", "接尾辞"):
        return False
    return not all(ch in "・･-" for ch in surface)


def _covered_by_town(text: str, name_start: int, kind_start: int, kind_end: int) -> bool:
    """Whether a town of the gazetteer starts in the name and runs over the kind word (「皇徳寺台」)."""
    gaz = address.gazetteer()
    for p in range(name_start, kind_start):
        for length in gaz.all_lengths:
            if p + length < kind_end:
                break
            if p + length <= len(text) and address.fold(text[p:p + length]) in gaz.everywhere:
                return True
    return False


def _strip_municipality(text: str, start: int, stop: int, tokens, owner) -> int:
    """Skip the prefecture and the municipality at the start of a name (「鹿児島市」 in 「鹿児島市吉野公民館」)."""
    def ends_word(at: int) -> bool:
        # 「鹿児島市立病院」「鹿児島県立図書館」 are names: the municipality with 立 / 営 after it stays.
        if at >= stop:
            return True
        t = tokens[owner[at]]
        return (t.begin < at and t.pos[2] == "地名") or (t.begin == at and t.pos[0] != "接尾辞")

    if text.startswith(PREFECTURE, start) and ends_word(start + len(PREFECTURE)):
        start += len(PREFECTURE)
    if start >= stop:
        return start
    gaz = address.gazetteer()
    found = gaz.match_city(text[start:stop])
    if found and ends_word(start + found[1]):
        if start + found[1] >= stop and address.fold(text[start:stop]) in gaz.everywhere:
            return start  # 「錦江町小学校」: 錦江町 is also a town of 垂水市 and 鹿児島市
        return start + found[1]
    return start


def find_facilities(text: str, tokens, owner, lex: Lexicon, chains: list[tuple]) -> list[tuple]:
    """Every named facility in ``text``: a name before a kind word (「山下小学校」) or after one (「ハイツ武岡」).

    ``chains`` are the candidates of ``find_chains``: a chain in a name makes it a proper one.
    """
    out = []
    chain_spans = [(c[0], c[1]) for c in chains]
    for m in lex.suffix_re.finditer(text):
        found = _suffix_candidate(text, m, tokens, owner, lex, chain_spans)
        if found:
            out.append(found)
    for m in lex.prefix_re.finditer(text):
        found = _prefix_candidate(text, m, tokens, owner, lex)
        if found:
            out.append(found)
    return out


def _suffix_candidate(text, m, tokens, owner, lex: Lexicon, chain_spans):
    kind = lex.suffixes[m.group()]
    s, e = m.span()
    last = tokens[owner[e - 1]]
    tail = text[e:last.end]
    if tail and tail not in _LOCATION_TAILS:
        return None  # 「店員」「駅伝」「宮崎」「住宅街」: another word
    first_index = owner[s]
    first = tokens[first_index]
    kind_start = s
    parts: list[tuple[Token, int, int]] = []  # (token, start, end) of the name, last first
    if first.begin < s:
        if text[first.begin:s] in _NAME_WORDS and first.surface not in lex.generic:
            parts.append((first, first.begin, s))  # 「中央病院」 is one dictionary word and a name
        elif (first.pos[1] == "普通名詞" and not first.oov) or first.surface in lex.generic:
            kind_start = first.begin  # 「飲食店」「県立高校」「大学病院」「道の駅」: the whole word is the kind
        else:
            parts.append((first, first.begin, s))  # 「谷山駅」「霧島神宮」: one proper-noun token
    k = first_index - 1
    while k >= 0 and len(parts) < _MAX_NAME_TOKENS and tokens[k].end == (parts[-1][1] if parts else kind_start):
        # Stops are often named after what is in front of them: 「交通局前電停」「市役所前バス停」.
        stop_name = kind.word in _STOP_KINDS and tokens[k].surface in ("前", "入口") and k > 0 \
            and tokens[k - 1].pos[0] == "名詞" and tokens[k - 1].end == tokens[k].begin
        if not stop_name and not _name_like(tokens, k, lex):
            break
        parts.append((tokens[k], tokens[k].begin, tokens[k].end))
        k -= 1
    if not parts:
        return None
    run_start = parts[-1][1]
    name_start = _strip_municipality(text, run_start, kind_start, tokens, owner)
    parts = [p for p in parts if p[2] > name_start]
    if name_start >= kind_start or not parts:
        return None
    bearing = [p for p in parts if _bearing(p[0], text[max(p[1], name_start):p[2]], lex)]
    if not bearing:
        return None
    if kind.needs_proper and not _has_proper(text, parts, bearing, name_start, kind_start, chain_spans):
        return None
    if _covered_by_town(text, name_start, s, e):
        return None
    if _exempt(text, name_start, e, lex):
        return None
    suggestion = kind.suggestion
    if kind.word in ("店", "支店", "営業所") and _FINANCIAL.search(text, name_start, kind_start):
        suggestion = "金融機関"
    return (name_start, e, "facility", suggestion)


def _has_proper(text, parts, bearing, name_start, kind_start, chain_spans) -> bool:
    """Whether a name is more than generic kanji words: a proper noun, a kana word that is no generic
    shop word (「みどり店」 but not 「ラーメン店」), a chain, a town, or public housing."""
    if any((t.proper and t.pos[1] != "数詞") or all(kana_of(ch) for ch in text[max(a, name_start):b])
           for t, a, b in bearing):
        return True
    if any(t.surface in _PUBLIC_HOUSING for t, _, _ in parts):
        return True  # 「市営城南住宅」: the operator makes the rest a name
    if any(name_start <= a < kind_start for a, _ in chain_spans):
        return True
    gaz = address.gazetteer()
    return any(address.fold(text[max(a, name_start):b]) in gaz.everywhere for _, a, b in bearing)


def _prefix_candidate(text, m, tokens, owner, lex: Lexicon):
    kind = lex.prefixes[m.group()]
    s, e = m.span()
    if e >= len(text):
        return None
    holder = tokens[owner[s]]
    if s > 0 and is_katakana(text[s - 1]) and holder.begin != s:
        if holder.end != e or not all(is_katakana(ch) for ch in holder.surface):
            return None  # inside a longer katakana word
        s = holder.begin  # 「サンハイツ」 as one word: the name goes on after it (「サンハイツ武岡」)
    k = owner[e]
    if tokens[k].begin != e:
        return None
    end = e
    taken = 0
    while k < len(tokens) and taken < 4 and tokens[k].begin == end:
        t = tokens[k]
        kana = all(is_katakana(ch) or "ぁ" <= ch <= "ゖ" for ch in t.surface)
        plain = t.pos[0] == "名詞" and t.pos[2] == "一般"  # not 「予約」 (サ変) or 「内」
        # 「ハイツ|上|荒田」: one kanji before a proper noun belongs to the name
        plain = plain or (len(t.surface) == 1 and script_of(t.surface) == "kanji" and k + 1 < len(tokens)
                          and tokens[k + 1].begin == t.end and tokens[k + 1].pos[1] == "固有名詞")
        if t.surface in "・･" and taken:
            pass
        elif not ((_name_like(tokens, k, lex, backward=False) or plain) and (t.proper or kana or plain)) \
                or t.surface in lex.generic:
            break
        end = t.end
        taken += 1
        k += 1
    end = end if text[end - 1] not in "・･" else end - 1
    if end <= e or _exempt(text, s, end, lex) or _covered_by_town(text, s, s, end):
        return None
    # Katakana words glued before the kind are part of the name (「グランドメゾン吉野」「パークハイツ宇宿」).
    j = owner[s] - 1 if tokens[owner[s]].begin == s else -1
    while j >= 0 and tokens[j].end == s and all(is_katakana(ch) for ch in tokens[j].surface) \
            and tokens[j].surface not in lex.stops and tokens[j].surface not in "・･":
        s = tokens[j].begin
        j -= 1
    return (s, end, "facility", kind.suggestion)
