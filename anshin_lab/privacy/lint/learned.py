"""A learned second detector: a linear-chain CRF over SudachiPy tokens that tags facility and person names.

The rules of ``facilities`` and ``persons`` catch the shapes someone wrote down; each
new set of real alerts shows names of shapes nobody did. The CRF (``python-crfsuite``,
trained by ``training`` on our own labelled real sentences) reads the same tokens with
features of shape rather than of the names themselves (part of speech, script pattern,
the words around, whether a neighbour is a title or a facility kind word of the
lint's dictionaries, whether it begins or is inside a name of the organisation gazetteer) and tags each
token ``B-``/``I-`` ``facility``/``person`` or ``O``.
A token is kept when the CRF's marginal probability of its kind reaches that kind's
threshold (stored with the model, chosen in grouped cross-validation), so the detector is tuned
for few false alarms, not for the best F1. A run of tokens is then kept only when it can be a name
(``_plausible``: a facility has a part of its own besides kind, generic and operator words) and
the sentence around it leaves it one (``_in_context``: no mask character, no station or area
after it, no area word (学区, 地区) in or after a facility, no town after its municipality, no katakana word
cut short, no claimed organisation, brand before a belonging or quoted utterance).

``find_learned(folded, tokens)`` returns candidates ``(start, end, kind, suggestion)``
like the rules' (facility → 「施設」, person → ``PERSON_MASK``); the model
(``models/names.crfsuite`` and its ``names.json``) loads once, at first use, as arrays (``crf_arrays``:
python-crfsuite trains it, numpy tags with it). Raises ``LintError`` naming the fix when the model file is
missing or unreadable.
"""

from __future__ import annotations

import contextlib
import functools
import json
import re
from pathlib import Path

import numpy as np

from anshin_lab.privacy.lint.claims import claimed
from anshin_lab.privacy.lint.crf_arrays import read_model
from anshin_lab.privacy.lint.crf_features import TokenWeights, feature_words, sentence_features, shape, state_scores, text_of
from anshin_lab.privacy.lint.facility_names import TRADE_BODY, WHICH_ONE, trade_body
from anshin_lab.privacy.lint.findings import PERSON_MASK, LintError
from anshin_lab.privacy.lint.lexicon import load_lexicon
from anshin_lab.privacy.lint.mascots import ANIMAL_BEFORE_NAME
from anshin_lab.privacy.lint.municipalities import PREFECTURE_STEMS
from anshin_lab.privacy.lint.name_checks import inside_town
from anshin_lab.privacy.lint.organisations import belonging_after
from anshin_lab.privacy.lint.person_titles import HEADS_OF_TOWNS, PLACE_OF_HEAD, heads_place
from anshin_lab.privacy.lint.police_stations import holder_named_after, is_station_name
from anshin_lab.privacy.lint.tokens import Token, can_be_surname, is_katakana
from anshin_lab.privacy.lint.towns import municipality_prefix, town_after_municipality, town_anywhere

__all__ = ["MODEL_PATH", "READING_IN_BRACKETS", "find_learned", "kind_thresholds", "sentence_features", "tag_marginals",
           "using"]

MODEL_DIR = Path(__file__).with_name("models")
MODEL_PATH = MODEL_DIR / "names.crfsuite"
SETTINGS_PATH = MODEL_DIR / "names.json"

LEARNED_KINDS = ("facility", "person")
SUGGESTIONS = {"facility": "施設", "person": PERSON_MASK}

# ---------------------------------------------------------------------------------------------
# The model


class _Model:
    """A loaded CRF (its weights as arrays, ``crf_arrays``) and the threshold per kind it was tuned with."""

    def __init__(self, path: Path, threshold):
        self.path, self.threshold = path, kind_thresholds(threshold)
        self.crf = read_model(path)
        self.token_weights = TokenWeights(self.crf)
        # per kind, the columns of its B- and I- labels (a kind the model never saw has none)
        self.columns = [(kind, [self.crf.labels.index(f"{b}-{kind}") for b in "BI" if f"{b}-{kind}" in self.crf.labels])
                        for kind in LEARNED_KINDS]


def kind_thresholds(threshold) -> dict[str, float]:
    """A threshold per kind from one number for all kinds or a mapping (a kind it lacks keeps 0.5)."""
    if isinstance(threshold, dict):
        return {kind: float(threshold.get(kind, 0.5)) for kind in LEARNED_KINDS}
    return {kind: float(threshold) for kind in LEARNED_KINDS}


def load_model(path: Path = MODEL_PATH, threshold=None) -> _Model:
    """The model at ``path`` (``threshold``, one number or one per kind, from its settings file unless given)."""
    if not path.exists():
        raise LintError(f"学習済みのモデル {path} がありません: python -m anshin_lab.privacy.lint.training で作ってください")
    if threshold is None:
        settings = path.with_suffix(".json")
        threshold = json.loads(settings.read_text(encoding="utf-8"))["threshold"] if settings.exists() else 0.5
    return _Model(path, threshold)


@functools.lru_cache(maxsize=1)
def _shipped() -> _Model:
    return load_model()


_instead: list[_Model] = []  # the model ``using`` put in place of the shipped one (training's back-test)


@contextlib.contextmanager
def using(model: _Model):
    """Within the block, ``find_learned`` (and so ``check.lint``) reads with ``model`` instead of the shipped one:
    the back-test scores the lint exactly as it runs, with a model that has not seen the sentences."""
    _instead.append(model)
    try:
        yield model
    finally:
        _instead.pop()


def tag_marginals(model: _Model, tokens: list[Token], text: str | None = None) -> list[dict[str, float]]:
    """For each token, the probability of each kind (B- and I- together)."""
    return [dict(zip(LEARNED_KINDS, row)) for row in _kind_probabilities(model, tokens, text).tolist()]


def _kind_probabilities(model: _Model, tokens: list[Token], text: str | None) -> np.ndarray:
    """``tag_marginals`` as an array: tokens × ``LEARNED_KINDS``."""
    if not tokens:
        return np.zeros((0, len(LEARNED_KINDS)))
    probabilities = model.crf.marginals_of_scores(state_scores(model.token_weights, tokens, text))
    return np.stack([probabilities[:, labels].sum(axis=1) if labels else np.zeros(len(tokens))
                     for _, labels in model.columns], axis=1)


def spans_from_marginals(tokens: list[Token], marginals: list[dict[str, float]], threshold,
                         text: str | None = None) -> list[tuple]:
    """Runs of tokens whose likeliest kind reaches its ``threshold`` (one for all kinds or one per kind), as candidates ``(start, end, kind, suggestion)``,
    without the runs no name can be (``_plausible``, ``_in_context``). ``text`` is what the tokens were read
    from (put together from them when not given)."""
    chances = np.array([[p[kind] for kind in LEARNED_KINDS] for p in marginals]).reshape(len(marginals), len(LEARNED_KINDS))
    return _spans(tokens, chances, threshold, text)


def _spans(tokens: list[Token], chances: np.ndarray, threshold, text: str | None) -> list[tuple]:
    """``spans_from_marginals`` of the probabilities as an array (tokens × ``LEARNED_KINDS``): only the tokens
    that reach a threshold are read one by one."""
    if text is None:
        text = text_of(tokens)
    limits = kind_thresholds(threshold)
    best = chances.argmax(axis=1)  # the first of equal kinds, as max() over LEARNED_KINDS picks
    reached = chances[np.arange(len(best)), best] >= np.array([limits[kind] for kind in LEARNED_KINDS])[best]
    runs: list[list] = []
    for i in np.flatnonzero(reached).tolist():
        kind = LEARNED_KINDS[best[i]]
        if not tokens[i].surface.strip():
            continue
        if runs and runs[-1][0] == kind and runs[-1][2] == i - 1:
            runs[-1][2] = i
        else:
            runs.append([kind, i, i])
    runs = _widened(runs, tokens, chances, best, limits)
    out = []
    names_end = []  # where the person names kept so far end: an age is kept only right after one
    for kind, a, b in runs:
        span = tokens[a:b + 1]
        if any(_MASK.search(t.surface) for t in span):
            continue
        if kind == "person" and _AGE.fullmatch("".join(t.surface for t in span)):
            if not any(0 <= span[0].begin - e <= 8 for e in names_end):
                continue
        elif not _plausible(kind, span, tokens[max(0, a - 2):a], tokens[b + 1] if b + 1 < len(tokens) else None):
            continue
        elif not _in_context(kind, text, tokens, a, b):
            continue
        elif kind == "person":
            names_end.append(span[-1].end)
        out += _reading_apart(text, (span[0].begin, span[-1].end, kind, SUGGESTIONS[kind]))
    return out


# Round 119: a name run on into its reading (「菱沼則康(ひしぬまのりやす」, the bracket's end left out) is the name and the
# whole reading, two findings as the rules make them (``readings.split_readings``).
READING_IN_BRACKETS = re.compile(r"[(（][ぁ-ゖー・\s]{2,20}[)）]")


def _reading_apart(text: str, c: tuple) -> list[tuple]:
    """``c``, or the name and its reading in brackets when a person's run reaches into the reading."""
    bracket = next((i for i in range(c[0] + 2, c[1]) if text[i] in "(（"), None) if c[2] == "person" else None
    m = READING_IN_BRACKETS.match(text, bracket) if bracket is not None else None
    if m is None or m.end() < c[1] or any(ch in "()（）" for ch in text[c[0]:bracket]):
        return [c]
    return [(c[0], bracket, "person", c[3]), (bracket, m.end(), "person", "")]


# How far under its kind's threshold a word glued to a run may be and still belong to it (round 28); a token with a
# bracket or a mark (「三(まこと)」) is no word to widen over.
_WIDEN = 0.2
_WORD = re.compile(r"[一-鿿々〆ヶぁ-ゖァ-ヺーA-Za-z0-9]+")


def _widened(runs: list[list], tokens: list[Token], chances: np.ndarray, best: np.ndarray, limits: dict) -> list[list]:
    """Each run with the tokens glued before and after it that the model gives the same kind at a little under the
    threshold: a name is read whole (「河原|市小」 at 0.68 and 0.72 is 「河原市小」, not 「市小」)."""
    out: list[list] = []
    for kind, a, b in runs:
        k = LEARNED_KINDS.index(kind)
        floor = limits[kind] - _WIDEN
        while a > 0 and best[a - 1] == k and chances[a - 1, k] >= floor and tokens[a - 1].end == tokens[a].begin \
                and _WORD.fullmatch(tokens[a - 1].surface) and not (out and out[-1][2] >= a - 1):
            a -= 1
        while b + 1 < len(tokens) and best[b + 1] == k and chances[b + 1, k] >= floor \
                and tokens[b].end == tokens[b + 1].begin and _WORD.fullmatch(tokens[b + 1].surface):
            b += 1
        if out and out[-1][0] == kind and out[-1][2] >= a - 1:
            out[-1][2] = max(out[-1][2], b)
        else:
            out.append([kind, a, b])
    return out


_AGE = re.compile(r"[(（]?\d{1,3}(?:歳|才)?[)）]?")
_DIGIT = re.compile(r"\d")
# What an alert writes where a name was withheld (「〇〇容疑者」「××公園」「Ｘさん」, the lint's own PERSON_MASK):
# a span holding one is already masked, and reading the scrubbed text again must find nothing.
_MASK = re.compile("[" + re.escape("〇○◯●×✕＊*□■△▲ＸX" + PERSON_MASK) + "]")


# Parts of speech that are no part of a facility's own name (「かっこいいグラウンド」「広い公園」).
_NO_NAME_POS = ("接尾辞", "接頭辞", "補助記号", "助詞", "副詞", "連体詞", "代名詞")
_MUNICIPAL_END = re.compile(r"[市区町村郡]$")
_AREA_END = re.compile(r"[市区町村郡都道府県]$")  # a municipality's or a prefecture's (「東京都|中」, round 73)
# What police text writes between a town and a generic kind word: 「一般住宅」, 「付近」, a lot letter 甲乙丙.
# A building's wing by words of side, age and order alone (「新別館北館」「本館東棟」「第2庁舎」).
_WING = re.compile(r"(?:[新旧本別東西南北中第0-9]*(?:館|棟|庁舎))+")
_TOWN_TAIL = re.compile(r"(?:一般|付近|周辺|[甲乙丙丁]|[一二三四五六七八九十]+丁目)+$")
_PREDICATES = ("形容詞",)
# A verb of the e-row before a kind says what one can do there (「あそべる|公園」, round 71), no name (「とくし|丸」 is one).
_CAN_DO = re.compile(r"[えけげせぜてでねへべぺめれ]る$")


# Name parts that say which kind, not which one: an operator's initials (「JA支店」「JR駅」) and a
# university's faculty (「医学部キャンパス」).
_NO_NAME = re.compile(r"[A-Z]{1,3}|[一-鿿]*学部")


# Counters of floors, rooms and numbers: 「三階」「2号」 before a kind word number a part of a building, name nothing.
_FLOOR_COUNTERS = frozenset(("階", "号", "番", "棟", "F", "番館", "号館", "号棟"))


def _named_after(span: list[Token]) -> bool:
    """Whether a family and a given name go on into a katakana common word: a thing named after the person
    (「中村|たけし|ロード」, round 127's model). (A given name may go on in pieces SudachiPy reads as common words in kanji
    or hiragana, 「近藤|ひろ|ひと」「村上|佳|市」, so those stay.)"""
    return any(a.pos[2:4] == ("人名", "姓") and b.pos[2:4] == ("人名", "名") and any(
        t.pos[1] == "普通名詞" and not t.oov and len(t.surface) >= 3 and all(is_katakana(ch) for ch in t.surface)
        for t in span[i + 2:]) for i, (a, b) in enumerate(zip(span, span[1:])))


def _plausible(kind: str, span: list[Token], before: list[Token], after: Token | None) -> bool:
    """Whether a run of tokens can be a name of ``kind`` at all, as the labelling conventions say.

    A person's name has no digit, and before 様 (also "-like" after a thing: 「チノパン様」) it holds a
    SudachiPy 人名. A facility's name has a part of its own besides its kind word, prefixes, generic
    words and the relations and operators written before a name (``place_stops.txt``: 「元小学校」「同駅」
    「JR駅」「県立短期大学」「市立中学校」 name no facility), and a town after its
    municipality with a kind word is a place in that town (「〇〇市〇〇町公園」)."""
    if kind == "person":
        if after is not None and after.surface in ("様", "さま") and not any(t.person for t in span):
            return False
        return not any(_DIGIT.search(t.surface) for t in span) and not _named_after(span)
    if any(t.pos[1] == "係助詞" and re.match(r"[一-龥々]", span[i].surface[-1]) for i, t in enumerate(span[1:-1])):
        return False  # 「午前中|は|幼稚園」: a topic's particle after a kanji word ends one phrase, no name goes on over it
        # (round 120; 「西大和まきのは郵便局」 is a name in kana)
    if any(t.surface in ("「", "『") for t in span[1:]) and not any(t.surface in ("」", "』") for t in span):
        return False  # 「鹿児島市谷山の「公園」: a quote opened inside the run starts another phrase (round 121's model)
    if span[0].pos[0] == "動詞" and any(t.pos[1] == "接続助詞" and t.surface in _CLAUSE_ENDS for t in span[1:-1]):
        return False  # 「でき|なけれ|ば|空港」: a verb and its clause's conjunction before a kind word, no name (round 122; a
        # coined name in kana may hold て, 「さ|んす|て|北館」)
    if len(span) == 2 and span[0].pos[0] == "動詞" and span[0].surface[-1] in "うくすつぬふむゆるぐずぶ" and before \
            and before[-1].pos[1] == "格助詞":
        return False  # 「川に|かかる|橋」: a verb after its case particle says what the place does, no name (round 74)
    words = feature_words()
    whole = "".join(t.surface for t in span)
    if whole[:1] in WHICH_ONE and whole[1:] in load_lexicon().suffixes:
        return False  # 「元|中学校教諭」, which SudachiPy reads 元中|学校: which school, not its name
    if _WING.fullmatch(whole):
        return False  # 「(新別館北館2階」: a wing of the building named before, by its side and age alone (round 126)
    # A one-character kind at the end of a place name SudachiPy knows is part of that name (「知名町上城」).
    kinds = [t for t in span if t.surface in words.kinds or (len(t.surface) > 1 and words.kind_end.search(t.surface)
                                                             and not (t.pos[2] == "地名" and len(words.kind_end.search(t.surface)[0]) == 1))]
    if not kinds and all(t.pos[2] == "地名" or t.pos[2] == "人名" and shape(t.surface) == "K" or t.pos[0] == "補助記号"
                         for t in span):
        return False  # 「上ノ根島」「谷山-喜入間」: a place or a family name in kanji alone is no facility
    if len(span) == 2 and span[0].pos[2] == "地名" and _AREA_END.search(span[0].surface) \
            and span[1].pos[0] in ("接尾辞", "接頭辞") and len(span[1].surface) == 1:
        return False  # 「龍郷町|中」「霧島市|内」「東京都|中」 (round 73): a one-character suffix of a municipality or a
        # prefecture, not a kind word
    if kinds:
        last = kinds[-1]
        before_kind = span[:span.index(last)]
        if before_kind and before_kind[0].pos[1] == "数詞" and all(
                t.pos[1] == "数詞" or t.surface in _FLOOR_COUNTERS for t in before_kind):
            return False  # 「三階|公園」「2号|館」: a floor or a number before the kind, no name (「三町ドーム」 is one, round 25)
        if before_kind and before_kind[-1].surface == "の" and last.surface in words.kinds:
            return False  # 「龍郷町の学校」「団地の駐車場」: which one's, not a name (a name never reads 「…の|学校」)
        if before_kind and before_kind[-1].surface.endswith("立") or not before_kind and before \
                and before[-1].surface.endswith("立") or last.surface[:words.kind_end.search(last.surface).start()].endswith("立"):
            return False  # (round 70: 「静岡|県立校」, the prefecture's schools, its operator and no name)
        name = "".join(t.surface for t in before_kind) + last.surface[:words.kind_end.search(last.surface).start()]
        name = _TOWN_TAIL.sub("", name)  # 「船木|一般|住宅」「大可賀|付近|公園」「堀江町|甲|公園」: the town is what is left
        if name and any(town_after_municipality("".join(t.surface for t in before[i:]) + name, load_lexicon())
                        for i in range(len(before) + 1)):
            return False
    named = False  # whether a part of the name's own has been read (since the last adjective)
    for t in span:
        s = t.surface
        proper = t.proper
        if s in words.kinds:
            continue
        if t.pos[0] in _PREDICATES or t.pos[0] == "助動詞" and s == "な" or t.pos[0] == "動詞" and _CAN_DO.search(s):
            named = False  # 「かっこ|いい|グラウンド」「きれい|な|公園」: what comes before an adjective describes the place
            continue
        if len(s) > 1 and t in kinds:
            s = s[:words.kind_end.search(s).start()]
            if s.endswith("の"):
                s, proper = s[:-1], False  # 「道の駅」: a phrase, whatever SudachiPy calls the whole
        if not s or s in words.generic or s in words.stops or t.pos[0] in _NO_NAME_POS or _NO_NAME.fullmatch(s):
            continue
        if proper or shape(s) != "K" or len(s) >= 2:
            named = True
    return named


def _in_address(text: str, tokens: list[Token], a: int, b: int) -> bool:
    """Whether the run's end lies in a town of the gazetteer written right after its municipality
    (「与論町|麦屋」「龍郷町|中戸口」「長島町|城川内」: 屋, 中 and 城 are no kind words there)."""
    for i in range(b, max(-1, a - 3), -1):
        t = tokens[i]
        if t.pos[2] == "地名" and _MUNICIPAL_END.search(t.surface):
            return i < b and t.end < tokens[b].end and inside_town(text, t.end, tokens[b].end)
    return False


def _has_kind(span: list[Token]) -> bool:
    words = feature_words()
    return any(t.surface in words.kinds or len(t.surface) > 1 and words.kind_end.search(t.surface) for t in span)


def _in_context(kind: str, text: str, tokens: list[Token], a: int, b: int) -> bool:
    """Whether the run tokens[a..b] stays a name of ``kind`` in the sentence around it.

    A brand before a belonging (「ワークマンの作業服」「イオンの紙袋」) and an organisation a caller claims
    to be (「「ABC商事」を名乗る」「百貨店の外商を装い」) are no places (``facilities.claimed``, as the rules
    read them). The word before the title of whoever heads a place is the place when the text says so
    (「谷山署長」「霧島市長」: ``person_titles.heads_place``, as the rules read it). A name in Latin letters is an
    anonymised one (「A子さん」「Bさん」), and katakana that run on into the next word are part of it
    (「サトウ|キビ畑」)."""
    start, end = tokens[a].begin, tokens[b].end
    after = tokens[b + 1] if b + 1 < len(tokens) else None
    words = feature_words()
    if _cuts_word(tokens, a, b):
        return False
    if kind == "facility":
        has_kind = _has_kind(tokens[a:b + 1])
        if not has_kind and all(t.pos[1] == "普通名詞" and not t.oov for t in tokens[a:b + 1]):
            return False  # 「中肉」「ママチャリ」「一眼レフカメラ」: words of the dictionary with no kind word name no place
        said = not has_kind and ("。" in text[start:end] or _SAID.match(text, end))
        # 「豊田市若園学区」「花園地区」「利府町森郷後山」「松山市畑寺三」「薩摩川内市サーキュラーパーク」: an area, or a town
        # after its municipality, is no facility; nor is a town's name before its 町 (「十日市場|町」, round 113)
        area = _AREA.search(text, start, end) or _AREA.match(text, end) \
            or not has_kind and tokens[a].pos[2] == "地名" and _MUNICIPAL_END.search(tokens[a].surface) and b > a \
            or not has_kind and municipality_prefix(text[start:end], load_lexicon())[0] > 0 \
            or town_after_municipality(text[start:end], load_lexicon()) \
            or text[end:end + 1] in ("町", "村") and town_anywhere(text[start:end + 1])
        nature = not has_kind and _NATURE_END.fullmatch(text, start, end)  # 「西穂高岳」: a mountain, no place (round 79)
        return not (area or said or nature or _NO_PLACE_END.search(text, start, end) or _in_address(text, tokens, a, b)
                    or TRADE_BODY.match(text, end) or trade_body(text, start, end, load_lexicon())
                    or _NO_PLACE_AFTER.match(text, end)
                    or belonging_after(text, end, load_lexicon())
                    or claimed(text, start, end, load_lexicon()))
    if all(t.pos[1] == "普通名詞" and not t.oov and not can_be_surname(t.surface) for t in tokens[a:b + 1]
           if t.pos[0] != "補助記号"):
        return False  # 「少年容疑者」「男性さん」: a word of the dictionary that can be no family name names no one
    if _LATIN.search(text, start, end):
        return False
    if _NATURE_END.fullmatch(text, start, end) and text[start:start + 2] in load_lexicon().municipality_stems \
            and end - start >= 4 and text[start + 2] in "東西南北中奥前後":
        return False  # 「阿蘇中岳、高岳で」: a mountain named after its town and where it stands (round 106; 「山田岳さん」 is one)
    if any(_PLACE_WORD_AFTER.match(text, x) and town_anywhere(text[start:x]) for x in range(end, end + 4)):
        return False  # 「杷木星|丸の路上で」「…地区で」: a town's name, or its start, before where it happened (round 105)
    if ANIMAL_BEFORE_NAME.search(text, max(0, start - 8), start):
        return False  # 「アシカのノイ 一日署長」: an animal's name (round 77)
    if _AFTER_HONORIFIC.search(text, max(0, start - 4), start) and text[end:end + 1] in (")", "）"):
        return False  # 「市原 悦子さん(桑原)」: where an honoured person lives or works, in brackets (round 67)
    if kind == "person" and tokens[b].surface in _BODY_WORDS:
        return False  # 「上田|安協」: a town's traffic-safety association by its short name, no person (round 122)
    head = _HEAD_IN_BRACKETS.match(text, end)
    if head and any(t.pos[2] == "人名" for t in tokens[b + 2:] if t.end <= head.start("title")):
        return False  # 「乙部(竹中敏雄会長)」: a named head in brackets after it, a town's group and not a person (round 122)
    if all(is_katakana(ch) for ch in text[start:end]) and _PARCEL_AFTER.match(text, end):
        return False  # 「ヤマトから荷物が届いた」: a carrier in katakana sends a parcel (round 31's model read 0.71)
    if not any(t.pos[2] == "人名" or t.proper or t.oov or len(t.surface) >= 2 and t.pos[0] not in _NO_NAME_POS
               for t in tokens[a:b + 1]):
        return False  # 「(右」「(右から2人目)」: a bracket and a common word name no one
    place = b + 1
    while place + 1 < len(tokens) and tokens[place].surface == "・" and place - b < 8:
        place += 2  # 「藤間・寺尾・小堤地内」: a list of names, then what they are
    after_list = tokens[place] if place < len(tokens) else None
    if after_list is not None and after_list.begin == tokens[place - 1].end \
            and (after_list.surface in words.police or after_list.surface in _PLACE_AFTER
                 or place > b + 1 and after_list.surface in _BRANCHES) \
            and not text.startswith("長", after_list.end):
        return False  # 「杵築日出警察署」「藤間・寺尾・小堤地内」: what a police station or an area is named after (round
        # 112: 「北上・みなみ・さくら・二子支店」, branches listed before the word they share)
    if b - a == 0 and (tokens[a].pos[2] != "人名" or tokens[a].pos[3] == "姓") and (a == 0 or tokens[a - 1].surface in _LIST_MARKS) \
            and (after is None or after.surface in _LIST_MARKS):
        return False  # 「40歳位、小肥、身長160センチ位」: a word alone between commas is an item of a description
    if after is not None and after.begin == end:
        if after.surface in HEADS_OF_TOWNS and (text[start:end] in load_lexicon().municipality_stems
                                                 or any(t.pos[2] == "地名" for t in tokens[a:b + 1])):
            return False  # 「霧島市長」: the town a mayor heads
        if _BRANCH_HEAD.match(text, end) and text[start:end] in PREFECTURE_STEMS:
            return False  # 「青森支社長」「鹿児島支店長」: a firm's branch named after its prefecture (round 32)
        if after.surface in HEADS_OF_TOWNS or after.surface in PLACE_OF_HEAD:
            return not heads_place(text, start, end, after.surface)
        if _TOOK_POST.match(text, end) and is_station_name(text[start:end]):
            return False  # 「八戸署長として着任し…鎌田です」: the station whose head one became (round 77)
        if holder_named_after(text, start, end):
            return False  # 「▽君津署長(捜査4課長)藤代誠」: a roll names the holder after the station's post (round 67)
        if is_katakana(tokens[b].surface[-1]) and is_katakana(after.surface[0]):
            return False
    return True


_LATIN = re.compile(r"[A-Za-zＡ-Ｚａ-ｚ]")
_PLACE_WORD_AFTER = re.compile(r"の路上|の路地|の交差点|地区|地内|方面|付近|周辺|海岸")  # (round 107: 「鉾田・大竹海岸」)
_AFTER_HONORIFIC = re.compile(r"(?:さん|氏|様|くん|ちゃん)[(（]$")
# What a meeting or a train line ends in: no place (「アジア太平洋経済協力会議」「つくばエクスプレス」, round 42); a
# festival or a rally (「河口湖富士桜ミツバツツジ祭り」, round 111), a train (「法勝寺電車」, round 113).
_NATURE_END = re.compile(r"[一-龥々]+(?:岳|峠|岬|湖|沼|滝|高原|連峰)")
_NO_PLACE_END = re.compile(r"(?:会議|会合|サミット|エクスプレス|ライナー|祭り|まつり|フェスタ|フェスティバル|大会|電車"
                           r"|電話番号)$")  # (round 125: 「松野不動産電話番号:」, a label run on from the name)
# What goes on from a span into no place (round 68): a decoration (「旭日小|綬章」) or a section named with ・
# (「玖珠町基地|・防災対策課」).
_NO_PLACE_AFTER = re.compile(r"綬章|[・･][一-龥]{1,8}(?:課|係|室|班)(?![一-龥])")
_TOOK_POST = re.compile(r"署長として(?:着任|赴任|就任)")
_BRANCH_HEAD = re.compile(r"(?:支社|支店|支局|営業所|出張所|事業所)(?:長|次長)")
_CLAUSE_ENDS = ("ば", "ので", "から", "けど", "けれど", "けれども", "のに", "たら", "なら")
# Words that end a body's name, never a person's (「上田安協」「依田窪安協」).
_BODY_WORDS = frozenset({"安協", "防協", "協会", "連合会", "協議会", "委員会", "組合", "町内会", "自治会", "婦人会", "老人会",
                         "子ども会", "商工会", "青年会", "保存会", "後援会"})
# A head's name and title in brackets after a body (「乙部(竹中敏雄会長)」).
_HEAD_IN_BRACKETS = re.compile(r"[(（][^()（）]{2,10}?(?P<title>会長|組合長|代表|理事長|社長|支部長|署長|校長|園長|所長|局長)[)）]")
_PARCEL_AFTER = re.compile(r"から(?:の)?(?:荷物|宅配|小包|配達|お届け|不在)")
# Words that make what they end, or follow, an area: a school district, a district, a neighbourhood.
_AREA = re.compile(r"(?:学区|校区|地区|小学校区|中学校区|地域|自治区|町内会?)(?![一-鿿])")


def _cuts_word(tokens: list[Token], a: int, b: int) -> bool:
    """Whether the run tokens[a..b] starts or ends inside a katakana word (「サトウ|キビ畑」「ミモザ|ガーデン」 cut
    short): a name is the whole word or none of it."""
    before = tokens[a - 1] if a > 0 else None
    after = tokens[b + 1] if b + 1 < len(tokens) else None
    if before is not None and before.end == tokens[a].begin and is_katakana(before.surface[-1]) \
            and is_katakana(tokens[a].surface[0]) and not before.surface[-1] == "・":
        return True
    return after is not None and after.begin == tokens[b].end and is_katakana(tokens[b].surface[-1]) \
        and is_katakana(after.surface[0]) and after.surface[0] != "・"
# What someone said, when it holds no kind word: 「あーそーぼ。」と声を掛けられた, 「ヘイユー」と.
_SAID = re.compile(r"[。?!？！]?[」』]と")
# Words after a name that make it a place: a station, an area (「〜署」「〜地内」「〜地区」「〜方面」).
_PLACE_AFTER = frozenset(("署", "署員", "警察", "地内", "地区", "町内", "方面", "付近", "周辺", "一帯", "地域", "管内",
                          "界隈", "近辺", "区内", "市内", "村内"))
_BRANCHES = frozenset(("支店", "支所", "営業所", "出張所", "店"))
# Marks around an item of a list.
_LIST_MARKS = frozenset(("、", "。", ",", "◆", ":", "・", "\n"))


def find_learned(folded: str, tokens: list[Token], model: _Model | None = None) -> list[tuple]:
    """The facility and person names the CRF finds in ``folded`` (read as ``tokens``), as candidates."""
    if not tokens:
        return []
    model = model or (_instead[-1] if _instead else _shipped())
    return _spans(tokens, _kind_probabilities(model, tokens, folded), model.threshold, folded)
