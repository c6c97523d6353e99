"""A learned second detector: a linear-chain CRF over SudachiPy tokens that tags facility and person names.

The rules of ``facilities`` and ``persons`` catch the shapes someone wrote down; each
new set of real alerts shows names of shapes nobody did. The CRF (``python-crfsuite``,
trained by ``training`` on our own labelled real sentences) reads the same tokens with
features of shape rather than of the names themselves (part of speech, script pattern,
the words around, whether a neighbour is a title or a facility kind word of the
lint's dictionaries) and tags each token ``B-``/``I-`` ``facility``/``person`` or ``O``.
A token is kept when the CRF's marginal probability of its kind reaches ``threshold``
(stored with the model, chosen in grouped cross-validation), so the detector is tuned
for few false alarms, not for the best F1.

``find_learned(folded, tokens)`` returns candidates ``(start, end, kind, suggestion)``
like the rules' (facility → 「施設」, person → ``PERSON_MASK``); the model
(``models/names.crfsuite`` and its ``names.json``) loads once, at first use. Raises
``LintError`` naming the fix when python-crfsuite or the model file is missing.
"""

from __future__ import annotations

import functools
import json
import re
import threading
from pathlib import Path

from anshin_lab.privacy.lint.findings import PERSON_MASK, LintError
from anshin_lab.privacy.lint.lexicon import load_lexicon
from anshin_lab.privacy.lint.tokens import Token, can_be_surname
from anshin_lab.privacy.lint.towns import town_after_municipality

__all__ = ["MODEL_PATH", "find_learned", "sentence_features", "tag_marginals"]

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
        self.not_names = lex.not_names
        self.chains = set(lex.chains)
        self.abbreviations = set(lex.abbreviations)
        self.mascots = lex.mascots
        self.police = set(lex.police)


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


# The features of a token its neighbours see.
_NEIGHBOUR_KEYS = frozenset(("pos", "shape", "w", "kind", "title", "title_before", "place", "name", "surname",
                             "kata_surname", "generic", "police"))


def sentence_features(tokens: list[Token]) -> list[list[str]]:
    """For each token, its crfsuite features: its own and those of its neighbours within two."""
    words = _words()
    own = [_token_features(t, words) for t in tokens]
    shared = [[f"{k}={v}" for k, v in f.items() if k in _NEIGHBOUR_KEYS] for f in own]
    n = len(tokens)
    out = []
    for i in range(n):
        f = [f"{k}={v}" for k, v in own[i].items()]
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
    """A loaded CRF and the threshold it was tuned with; one tagger per thread (crfsuite's are not thread-safe)."""

    def __init__(self, path: Path, threshold: float):
        self.path, self.threshold = path, threshold
        self.local = threading.local()
        self.labels = None  # per kind, the B-/I- labels the model knows (read at the first tagging)

    def tagger(self):
        tagger = getattr(self.local, "tagger", None)
        if tagger is None:
            import pycrfsuite

            tagger = self.local.tagger = pycrfsuite.Tagger()
            tagger.open(str(self.path))
        return tagger


def load_model(path: Path = MODEL_PATH, threshold: float | None = None) -> _Model:
    """The model at ``path`` (``threshold`` from its settings file unless given)."""
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


def tag_marginals(model: _Model, tokens: list[Token]) -> list[dict[str, float]]:
    """For each token, the probability of each kind (B- and I- together)."""
    tagger = model.tagger()
    tagger.set(sentence_features(tokens))
    if model.labels is None:
        present = set(tagger.labels())
        model.labels = [(kind, [f"{b}-{kind}" for b in "BI" if f"{b}-{kind}" in present]) for kind in LEARNED_KINDS]
    marginal = tagger.marginal
    return [{kind: sum(marginal(label, i) for label in labels) for kind, labels in model.labels}
            for i in range(len(tokens))]


def spans_from_marginals(tokens: list[Token], marginals: list[dict[str, float]], threshold: float) -> list[tuple]:
    """Runs of tokens whose likeliest kind reaches ``threshold``, as candidates ``(start, end, kind, suggestion)``,
    without the runs no name can be (``_plausible``)."""
    runs: list[list] = []
    for i, (t, p) in enumerate(zip(tokens, marginals)):
        kind = max(LEARNED_KINDS, key=p.__getitem__)
        if p[kind] < threshold or not t.surface.strip():
            continue
        if runs and runs[-1][0] == kind and runs[-1][2] == i - 1:
            runs[-1][2] = i
        else:
            runs.append([kind, i, i])
    out = []
    names_end = []  # where the person names kept so far end: an age is kept only right after one
    for kind, a, b in runs:
        span = tokens[a:b + 1]
        if kind == "person" and _AGE.fullmatch("".join(t.surface for t in span)):
            if not any(0 <= span[0].begin - e <= 8 for e in names_end):
                continue
        elif not _plausible(kind, span, tokens[max(0, a - 2):a], tokens[b + 1] if b + 1 < len(tokens) else None):
            continue
        elif kind == "person":
            names_end.append(span[-1].end)
        out.append((span[0].begin, span[-1].end, kind, SUGGESTIONS[kind]))
    return out


_AGE = re.compile(r"[(（]?\d{1,3}(?:歳|才)?[)）]?")
_DIGIT = re.compile(r"\d")


def _plausible(kind: str, span: list[Token], before: list[Token], after: Token | None) -> bool:
    """Whether a run of tokens can be a name of ``kind`` at all, as the labelling conventions say.

    A person's name has no digit, and before 様 (also "-like" after a thing: 「チノパン様」) it holds a
    SudachiPy 人名. A facility's name has a part of its own besides its kind word, prefixes and generic
    words (「元小学校」「同駅」「県立短期大学」「市立中学校」 name no facility), and a town after its
    municipality with a kind word is a place in that town (「〇〇市〇〇町公園」)."""
    if kind == "person":
        if after is not None and after.surface in ("様", "さま") and not any(t.person for t in span):
            return False
        return not any(_DIGIT.search(t.surface) for t in span)
    words = _words()
    kinds = [t for t in span if t.surface in words.kinds or (len(t.surface) > 1 and words.kind_end.search(t.surface))]
    if kinds:
        last = kinds[-1]
        before_kind = span[:span.index(last)]
        if before_kind and before_kind[-1].surface.endswith("立") or not before_kind and before \
                and before[-1].surface.endswith("立"):
            return False
        name = "".join(t.surface for t in before_kind) + last.surface[:words.kind_end.search(last.surface).start()]
        if name and any(town_after_municipality("".join(t.surface for t in before[i:]) + name, load_lexicon())
                        for i in range(len(before) + 1)):
            return False
    for t in span:
        s = t.surface
        if s in words.kinds:
            continue
        if len(s) > 1 and t in kinds:
            s = s[:words.kind_end.search(s).start()]
        if not s or s in words.generic or t.pos[0] in ("接尾辞", "接頭辞", "補助記号", "助詞"):
            continue
        if t.proper or _shape(s) != "K" or len(s) >= 2:
            return True
    return False


def find_learned(folded: str, tokens: list[Token], model: _Model | None = None) -> list[tuple]:
    """The facility and person names the CRF finds in ``folded`` (read as ``tokens``), as candidates."""
    if not tokens:
        return []
    model = _shipped() if model is None else model
    return spans_from_marginals(tokens, tag_marginals(model, tokens), model.threshold)
