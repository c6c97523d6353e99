"""A learned second detector: a linear-chain CRF over SudachiPy tokens that tags facility and person names.

The rules of ``facilities`` and ``persons`` catch the shapes someone wrote down; each
new set of real alerts shows names of shapes nobody did. The CRF (``python-crfsuite``,
trained by ``training`` on our own labelled real sentences) reads the same tokens with
features of shape rather than of the names themselves (part of speech, script pattern,
the words around, whether a neighbour is a title or a facility kind word of the
lint's dictionaries) and tags each token ``B-``/``I-`` ``facility``/``person`` or ``O``.
A token is kept when the CRF's marginal probability of its kind reaches that kind's
threshold (stored with the model, chosen in grouped cross-validation), so the detector is tuned
for few false alarms, not for the best F1. A run of tokens is then kept only when it can be a name
(``_plausible``: a facility has a part of its own besides kind, generic and operator words) and
the sentence around it leaves it one (``_in_context``: no mask character, no station or area
after it, no area word (学区, 地区) in or after a facility, no town after its municipality, no katakana word
cut short, no claimed organisation, brand before a belonging or quoted utterance).

``find_learned(folded, tokens)`` returns candidates ``(start, end, kind, suggestion)``
like the rules' (facility → 「施設」, person → ``PERSON_MASK``); the model
(``models/names.crfsuite`` and its ``names.json``) loads once, at first use. Raises
``LintError`` naming the fix when python-crfsuite or the model file is missing.
"""

from __future__ import annotations

import contextlib
import functools
import json
import re
import threading
from pathlib import Path

from anshin_lab.privacy.lint.claims import claimed
from anshin_lab.privacy.lint.facility_names import WHICH_ONE
from anshin_lab.privacy.lint.findings import PERSON_MASK, LintError
from anshin_lab.privacy.lint.lexicon import load_lexicon
from anshin_lab.privacy.lint.name_checks import inside_town
from anshin_lab.privacy.lint.person_titles import HEADS_OF_TOWNS, PLACE_OF_HEAD, heads_place
from anshin_lab.privacy.lint.tokens import Token, can_be_surname, is_katakana
from anshin_lab.privacy.lint.towns import municipality_prefix, town_after_municipality

__all__ = ["MODEL_PATH", "find_learned", "kind_thresholds", "sentence_features", "tag_marginals", "using"]

MODEL_DIR = Path(__file__).with_name("models")
MODEL_PATH = MODEL_DIR / "names.crfsuite"
SETTINGS_PATH = MODEL_DIR / "names.json"

LEARNED_KINDS = ("facility", "person")
SUGGESTIONS = {"facility": "施設", "person": PERSON_MASK}

# ---------------------------------------------------------------------------------------------
# Features: what a token looks like, never which name it is (surfaces only for short function words
# and for the words of the lint's dictionaries, which say what kind of word stands next).

_SCRIPT_CLASSES = (("ぁ", "ゖ", "H"), ("ァ", "ヺ", "C"), ("一", "鿿", "K"), ("0", "9", "D"), ("A", "Z", "A"), ("a", "z", "a"))


def _char_class(ch: str) -> str:
    for low, high, mark in _SCRIPT_CLASSES:
        if low <= ch <= high:
            return mark
    if ch in "々〆ヶ":
        return "K"
    if ch in "ー・":
        return "C"
    return ch if ch in "()「」『』【】、。・-" else "O"


def _shape(surface: str) -> str:
    """The script pattern with runs collapsed: 「田中」→K, 「ローソン」→C, 「鹿児島中央駅」→K, 「セブン11」→CD."""
    out = []
    for ch in surface:
        mark = _char_class(ch)
        if not out or out[-1] != mark:
            out.append(mark)
    return "".join(out)


class _Words:
    """The lint's dictionaries as the sets the features look words up in."""

    def __init__(self):
        lex = load_lexicon()
        self.kinds = set(lex.suffixes)
        self.kind_end = re.compile(f"(?:{lex.suffix_re.pattern})$")
        self.prefixes = set(lex.prefixes)
        self.titles = dict(lex.titles)
        self.titles_before = set(lex.titles_before)
        self.katakana_surnames = lex.katakana_surnames
        self.municipalities = lex.municipalities
        self.generic = lex.generic
        self.stops = lex.stops
        self.brand_after = lex.brand_after
        self.not_names = lex.not_names
        self.chains = set(lex.chains)
        self.abbreviations = set(lex.abbreviations)
        self.mascots = lex.mascots
        self.police = set(lex.police)
        # why: a title is read from the text after a token, whatever SudachiPy cut it into (「署|長」「分隊長」)
        ordered = sorted(set(self.titles) | self.titles_before, key=len, reverse=True)
        self.title_at = re.compile(r"\s?(" + "|".join(map(re.escape, ordered)) + ")")


@functools.lru_cache(maxsize=1)
def _words() -> _Words:
    return _Words()


# Short surfaces whose identity matters whatever they are (particles, brackets, honorifics): a token of
# at most this many characters that is no noun keeps its surface as a feature.
_FUNCTION_POS = {"助詞", "助動詞", "補助記号", "接尾辞", "記号", "空白", "接頭辞"}


def _token_features(t: Token, words: _Words) -> dict[str, str]:
    """The features of one token on its own (its neighbours borrow them with a prefix)."""
    s = t.surface
    shape = _shape(s)
    f = {"pos": "|".join(p for p in t.pos[:3] if p != "*"), "p1": t.pos[0], "shape": shape,
         "len": str(min(len(s), 6))}
    if t.oov:
        f["oov"] = "1"
    if t.pos[0] in _FUNCTION_POS or len(s) == 1 or not t.proper:
        # Common words and function words say what stands around a name (「付近」「の」「容疑者」); a proper
        # noun's own spelling would only teach the names of the corpus.
        f["w"] = s
    if s in words.kinds:
        f["kind"] = "1"
        f["w"] = s
    elif len(s) > 1 and words.kind_end.search(s):
        f["kind_end"] = "1"
        f["last"] = s[-1]
    if s in words.prefixes:
        f["kind_pre"] = "1"
    if s in words.titles:
        f["title"] = words.titles[s]
        f["w"] = s
    if s in words.titles_before:
        f["title_before"] = "1"
    if s in words.katakana_surnames:
        f["kata_surname"] = "1"
    if s in words.municipalities or t.pos[2] == "地名":
        f["place"] = t.pos[3] if t.pos[2] == "地名" else "municipality"
    if s in words.generic:
        f["generic"] = "1"
    if s in words.not_names or s in words.mascots:
        f["not_name"] = "1"
    if s.lower() in words.chains:
        f["chain"] = "1"
    if s in words.abbreviations:
        f["abbrev"] = "1"
    if s in words.police:
        f["police"] = "1"
    if shape == "K" and len(s) <= 3 and t.pos[2] != "人名" and can_be_surname(s):
        f["surname"] = "1"
    if t.pos[2] == "人名":
        f["name"] = t.pos[3]
    return f


_OPEN = frozenset("「『(（【")
_CLOSE = frozenset("」』)）】")

# The features of a token its neighbours see.
_NEIGHBOUR_KEYS = frozenset(("pos", "shape", "w", "kind", "title", "title_before", "place", "name", "surname",
                             "kata_surname", "generic", "police"))


# A title in brackets after a name says the name is an organisation whose head is named there
# (「浜岡運送(佐野一郎社長)」「カフェ・ミモザ(井川店主)」).
_HEADS = frozenset(("社長", "副社長", "会長", "店主", "店長", "代表", "理事長", "支店長", "所長", "院長", "園長", "校長",
                    "館長", "支配人", "代表取締役", "組合長", "施設長", "工場長"))


def _bracketed_head(tokens: list[Token], i: int) -> bool:
    """Whether a bracket right after token ``i`` holds a head's title before it closes (「…(佐野一郎社長)」)."""
    if i + 1 >= len(tokens) or tokens[i + 1].surface not in ("(", "（") or tokens[i + 1].begin != tokens[i].end:
        return False
    for t in tokens[i + 2:i + 10]:
        if t.surface in _CLOSE:
            return False
        if t.surface in _HEADS or any(t.surface.endswith(h) for h in ("社長", "店主", "代表")):
            return True
    return False


def sentence_features(tokens: list[Token], text: str | None = None) -> list[list[str]]:
    """For each token, its crfsuite features: its own and those of its neighbours within two. ``text`` is what
    the tokens were read from (put together from them when not given)."""
    if text is None:
        text = _text_of(tokens)
    words = _words()
    own = [_token_features(t, words) for t in tokens]
    shared = [[f"{k}={v}" for k, v in f.items() if k in _NEIGHBOUR_KEYS] for f in own]
    n = len(tokens)
    out = []
    depth = 0  # inside brackets (「」『』()): names in brackets follow an office or a role (「(生活安全課 山田)」)
    for i in range(n):
        f = [f"{k}={v}" for k, v in own[i].items()]
        s = tokens[i].surface
        if s in _CLOSE:
            depth = max(0, depth - 1)
        if depth:
            f.append("in_bracket")
        if s in _OPEN:
            depth += 1
        title = words.title_at.match(text, tokens[i].end)
        if title is not None and (i + 1 >= n or title.end() >= tokens[i + 1].end):
            f.append(f"title_next={words.titles.get(title[1], 'before')}")  # 「宮下|会長」「水上英俊|署|長」
        elif i + 1 < n and (tokens[i + 1].surface in words.police or tokens[i + 1].surface in ("署", "署員")):
            f.append("before_station")  # 「杵築日出|警察署」「金沢東|署」: a station is named after a place
        if _bracketed_head(tokens, i):
            f.append("head_in_bracket")  # 「浜田港運|(須賀孝社長)」: the word before is an organisation
        for d in (-2, -1, 1, 2):
            j = i + d
            if 0 <= j < n:
                f += [f"{d}{item}" for item in shared[j]]
            else:
                f.append(f"{d}edge")
        if 0 < i and i + 1 < n:
            f.append(f"ctx={own[i - 1].get('w', own[i - 1]['p1'])}_{own[i + 1].get('w', own[i + 1]['p1'])}")
        if i == 0:
            f.append("first")
        out.append(f)
    return out


# ---------------------------------------------------------------------------------------------
# The model


class _Model:
    """A loaded CRF and the threshold per kind it was tuned with; one tagger per thread (crfsuite's are not thread-safe)."""

    def __init__(self, path: Path, threshold):
        self.path, self.threshold = path, kind_thresholds(threshold)
        self.local = threading.local()
        self.labels = None  # per kind, the B-/I- labels the model knows (read at the first tagging)

    def tagger(self):
        tagger = getattr(self.local, "tagger", None)
        if tagger is None:
            import pycrfsuite  # why: the C extension loads at the first lint, as SudachiPy does

            tagger = self.local.tagger = pycrfsuite.Tagger()
            tagger.open(str(self.path))
        return tagger


def kind_thresholds(threshold) -> dict[str, float]:
    """A threshold per kind from one number for all kinds or a mapping (a kind it lacks keeps 0.5)."""
    if isinstance(threshold, dict):
        return {kind: float(threshold.get(kind, 0.5)) for kind in LEARNED_KINDS}
    return {kind: float(threshold) for kind in LEARNED_KINDS}


def load_model(path: Path = MODEL_PATH, threshold=None) -> _Model:
    """The model at ``path`` (``threshold``, one number or one per kind, from its settings file unless given)."""
    try:
        # why: python-crfsuite is only needed once a text is linted; its absence is a LintError with the fix
        import pycrfsuite  # noqa: F401
    except ImportError as exc:
        raise LintError("学習済みの検出に python-crfsuite が必要です: pip install python-crfsuite==0.9.12") from exc
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
    tagger = model.tagger()
    tagger.set(sentence_features(tokens, text))
    if model.labels is None:
        present = set(tagger.labels())
        model.labels = [(kind, [f"{b}-{kind}" for b in "BI" if f"{b}-{kind}" in present]) for kind in LEARNED_KINDS]
    marginal = tagger.marginal
    return [{kind: sum(marginal(label, i) for label in labels) for kind, labels in model.labels}
            for i in range(len(tokens))]


def _text_of(tokens: list[Token]) -> str:
    return "".join(" " * (t.begin - (tokens[i - 1].end if i else 0)) + t.surface for i, t in enumerate(tokens))


def spans_from_marginals(tokens: list[Token], marginals: list[dict[str, float]], threshold,
                         text: str | None = None) -> list[tuple]:
    """Runs of tokens whose likeliest kind reaches its ``threshold`` (one for all kinds or one per kind), as candidates ``(start, end, kind, suggestion)``,
    without the runs no name can be (``_plausible``, ``_in_context``). ``text`` is what the tokens were read
    from (put together from them when not given)."""
    if text is None:
        text = _text_of(tokens)
    limits = kind_thresholds(threshold)
    runs: list[list] = []
    for i, (t, p) in enumerate(zip(tokens, marginals)):
        kind = max(LEARNED_KINDS, key=p.__getitem__)
        if p[kind] < limits[kind] or not t.surface.strip():
            continue
        if runs and runs[-1][0] == kind and runs[-1][2] == i - 1:
            runs[-1][2] = i
        else:
            runs.append([kind, i, i])
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
        out.append((span[0].begin, span[-1].end, kind, SUGGESTIONS[kind]))
    return out


_AGE = re.compile(r"[(（]?\d{1,3}(?:歳|才)?[)）]?")
_DIGIT = re.compile(r"\d")
# What an alert writes where a name was withheld (「〇〇容疑者」「××公園」「Ｘさん」, the lint's own PERSON_MASK):
# a span holding one is already masked, and reading the scrubbed text again must find nothing.
_MASK = re.compile("[" + re.escape("〇○◯●×✕＊*□■△▲ＸX" + PERSON_MASK) + "]")


# Parts of speech that are no part of a facility's own name (「かっこいいグラウンド」「広い公園」).
_NO_NAME_POS = ("接尾辞", "接頭辞", "補助記号", "助詞", "副詞", "連体詞", "代名詞")
_MUNICIPAL_END = re.compile(r"[市区町村郡]$")
# What police text writes between a town and a generic kind word: 「一般住宅」, 「付近」, a lot letter 甲乙丙.
_TOWN_TAIL = re.compile(r"(?:一般|付近|周辺|[甲乙丙丁]|[一二三四五六七八九十]+丁目)+$")
_PREDICATES = ("形容詞",)


# Name parts that say which kind, not which one: an operator's initials (「JA支店」「JR駅」) and a
# university's faculty (「医学部キャンパス」).
_NO_NAME = re.compile(r"[A-Z]{1,3}|[一-鿿]*学部")


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
        return not any(_DIGIT.search(t.surface) for t in span)
    words = _words()
    whole = "".join(t.surface for t in span)
    if whole[:1] in WHICH_ONE and whole[1:] in load_lexicon().suffixes:
        return False  # 「元|中学校教諭」, which SudachiPy reads 元中|学校: which school, not its name
    # A one-character kind at the end of a place name SudachiPy knows is part of that name (「知名町上城」).
    kinds = [t for t in span if t.surface in words.kinds or (len(t.surface) > 1 and words.kind_end.search(t.surface)
                                                             and not (t.pos[2] == "地名" and len(words.kind_end.search(t.surface)[0]) == 1))]
    if not kinds and all(t.pos[2] == "地名" or t.pos[2] == "人名" and _shape(t.surface) == "K" or t.pos[0] == "補助記号"
                         for t in span):
        return False  # 「上ノ根島」「谷山-喜入間」: a place or a family name in kanji alone is no facility
    if len(span) == 2 and span[0].pos[2] == "地名" and _MUNICIPAL_END.search(span[0].surface) \
            and span[1].pos[0] in ("接尾辞", "接頭辞") and len(span[1].surface) == 1:
        return False  # 「龍郷町|中」「霧島市|内」: a one-character suffix of a municipality, not a kind word
    if kinds:
        last = kinds[-1]
        before_kind = span[:span.index(last)]
        if before_kind and before_kind[-1].surface == "の" and last.surface in words.kinds:
            return False  # 「龍郷町の学校」「団地の駐車場」: which one's, not a name (a name never reads 「…の|学校」)
        if before_kind and before_kind[-1].surface.endswith("立") or not before_kind and before \
                and before[-1].surface.endswith("立"):
            return False
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
        if t.pos[0] in _PREDICATES or t.pos[0] == "助動詞" and s == "な":
            named = False  # 「かっこ|いい|グラウンド」「きれい|な|公園」: what comes before an adjective describes the place
            continue
        if len(s) > 1 and t in kinds:
            s = s[:words.kind_end.search(s).start()]
            if s.endswith("の"):
                s, proper = s[:-1], False  # 「道の駅」: a phrase, whatever SudachiPy calls the whole
        if not s or s in words.generic or s in words.stops or t.pos[0] in _NO_NAME_POS or _NO_NAME.fullmatch(s):
            continue
        if proper or _shape(s) != "K" or len(s) >= 2:
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
    words = _words()
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
    words = _words()
    if _cuts_word(tokens, a, b):
        return False
    if kind == "facility":
        has_kind = _has_kind(tokens[a:b + 1])
        if not has_kind and all(t.pos[1] == "普通名詞" and not t.oov for t in tokens[a:b + 1]):
            return False  # 「中肉」「ママチャリ」「一眼レフカメラ」: words of the dictionary with no kind word name no place
        said = not has_kind and ("。" in text[start:end] or _SAID.match(text, end))
        # 「豊田市若園学区」「花園地区」「利府町森郷後山」: an area, or a town after its municipality, is no facility
        area = _AREA.search(text, start, end) or _AREA.match(text, end) \
            or not has_kind and tokens[a].pos[2] == "地名" and _MUNICIPAL_END.search(tokens[a].surface) and b > a \
            or not has_kind and municipality_prefix(text[start:end], load_lexicon())[0] > 0  # 「松山市畑寺三」
        return not (area or said or _in_address(text, tokens, a, b) or words.brand_after.match(text, end)
                    or claimed(text, start, end, load_lexicon()))
    if all(t.pos[1] == "普通名詞" and not t.oov and not can_be_surname(t.surface) for t in tokens[a:b + 1]
           if t.pos[0] != "補助記号"):
        return False  # 「少年容疑者」「男性さん」: a word of the dictionary that can be no family name names no one
    if _LATIN.search(text, start, end):
        return False
    if not any(t.pos[2] == "人名" or t.proper or t.oov or len(t.surface) >= 2 and t.pos[0] not in _NO_NAME_POS
               for t in tokens[a:b + 1]):
        return False  # 「(右」「(右から2人目)」: a bracket and a common word name no one
    place = b + 1
    while place + 1 < len(tokens) and tokens[place].surface == "・" and place - b < 8:
        place += 2  # 「藤間・寺尾・小堤地内」: a list of names, then what they are
    after_list = tokens[place] if place < len(tokens) else None
    if after_list is not None and after_list.begin == tokens[place - 1].end \
            and (after_list.surface in words.police or after_list.surface in _PLACE_AFTER) \
            and not text.startswith("長", after_list.end):
        return False  # 「杵築日出警察署」「藤間・寺尾・小堤地内」: what a police station or an area is named after
    if b - a == 0 and (tokens[a].pos[2] != "人名" or tokens[a].pos[3] == "姓") and (a == 0 or tokens[a - 1].surface in _LIST_MARKS) \
            and (after is None or after.surface in _LIST_MARKS):
        return False  # 「40歳位、小肥、身長160センチ位」: a word alone between commas is an item of a description
    if after is not None and after.begin == end:
        if after.surface in HEADS_OF_TOWNS and (text[start:end] in load_lexicon().municipality_stems
                                                 or any(t.pos[2] == "地名" for t in tokens[a:b + 1])):
            return False  # 「霧島市長」: the town a mayor heads
        if after.surface in HEADS_OF_TOWNS or after.surface in PLACE_OF_HEAD:
            return not heads_place(text, start, end, after.surface)
        if is_katakana(tokens[b].surface[-1]) and is_katakana(after.surface[0]):
            return False
    return True


_LATIN = re.compile(r"[A-Za-zＡ-Ｚａ-ｚ]")
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
# Marks around an item of a list.
_LIST_MARKS = frozenset(("、", "。", ",", "◆", ":", "・", "\n"))


def find_learned(folded: str, tokens: list[Token], model: _Model | None = None) -> list[tuple]:
    """The facility and person names the CRF finds in ``folded`` (read as ``tokens``), as candidates."""
    if not tokens:
        return []
    model = model or (_instead[-1] if _instead else _shipped())
    return spans_from_marginals(tokens, tag_marginals(model, tokens, folded), model.threshold, folded)
