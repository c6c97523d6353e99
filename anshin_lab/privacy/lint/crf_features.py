"""The learned detector's features: what a token looks like, never which name it is.

Surfaces are features only for short function words and for the words of the lint's dictionaries, which
say what kind of word stands next. ``sentence_features`` gives crfsuite's items per token (training reads
them); ``state_scores`` gives the same features' summed weights of a model (``crf_arrays``) for tagging,
with the weights of a token's own and neighbour features kept per token (``TokenWeights``): alert text
repeats its words, and a body of 400 characters has about 5,000 features.
"""

from __future__ import annotations

import functools
import itertools
import re
import threading

import numpy as np

from anshin_lab.privacy.lint.crf_arrays import CrfArrays
from anshin_lab.privacy.lint.lexicon import load_lexicon
from anshin_lab.privacy.lint.organisations import org_runs
from anshin_lab.privacy.lint.tokens import SPACES, Token, can_be_given, can_be_surname

__all__ = ["TokenWeights", "feature_words", "sentence_features", "shape", "state_scores", "text_of"]



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


def shape(surface: str) -> str:
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
        self.kind_end = lex.suffix_end_re
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
        # what a title can start with (a space before one included): the pattern is tried only there
        self.title_starts = frozenset(title[0] for title in ordered) | SPACES


@functools.lru_cache(maxsize=1)
def feature_words() -> _Words:
    return _Words()


# Short surfaces whose identity matters whatever they are (particles, brackets, honorifics): a token of
# at most this many characters that is no noun keeps its surface as a feature.
_FUNCTION_POS = {"助詞", "助動詞", "補助記号", "接尾辞", "記号", "空白", "接頭辞"}


def _token_features(t: Token, words: _Words) -> dict[str, str]:
    """The features of one token on its own (its neighbours borrow them with a prefix)."""
    s = t.surface
    script = shape(s)
    f = {"pos": "|".join(p for p in t.pos[:3] if p != "*"), "p1": t.pos[0], "shape": script,
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
    if script == "K" and len(s) <= 3 and t.pos[2] != "人名" and can_be_surname(s):
        f["surname"] = "1"
    if t.pos[2] == "人名":
        f["name"] = t.pos[3]
    elif script == "K" and len(s) <= 3 and can_be_given(s):
        f["given"] = "1"  # round 24: a given name SudachiPy read as another word (「章二」「健」)
    if (t.proper or t.oov) and len(s) >= 2 and "w" not in f:
        f["last"] = s[-1]  # round 24: how a proper noun ends (〜園, 〜会, 〜屋) says what it names
    return f


_OPEN = frozenset("「『(（【")
_CLOSE = frozenset("」』)）】")

# The features of a token its neighbours see.
_NEIGHBOUR_KEYS = frozenset(("pos", "shape", "w", "kind", "title", "title_before", "place", "name", "surname", "given",
                             "kata_surname", "generic", "police", "org"))


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


_DISTANCES = (-2, -1, 1, 2)
_EDGES = tuple((f"{d}edge",) for d in _DISTANCES)


_SERIALS = itertools.count()


@functools.lru_cache(maxsize=65536)
def _token_items(surface: str, pos: tuple, oov: bool, org: str) -> tuple:
    """One token's features as crfsuite items, kept by what they depend on (tokens repeat: 「の」「、」「付近」):
    its own items, the items each neighbour sees at distance -2, -1, 1, 2 (in that order), the word its
    neighbours' context feature names, and a serial number no other kept token has (``TokenWeights``)."""
    f = _token_features(Token(0, len(surface), surface, pos, oov), feature_words())
    if org:
        f["org"] = org
    shared = [f"{k}={v}" for k, v in f.items() if k in _NEIGHBOUR_KEYS]
    seen = tuple(tuple(f"{d}{item}" for item in shared) for d in _DISTANCES)
    return tuple(f"{k}={v}" for k, v in f.items()), seen, f.get("w", f["p1"]), next(_SERIALS)


def _sentence_parts(tokens: list[Token], text: str | None) -> tuple[list[tuple], list[list[str]]]:
    """What a token's features are made of: its items (``_token_items``, its own and what its neighbours see of
    it) and the features of where it stands (in brackets, before a title or a station, first)."""
    if text is None:
        text = text_of(tokens)
    words = feature_words()
    title_starts = words.title_starts
    # A name of the organisation gazetteer (``organisations``): B on its first token, I on the rest, so the CRF
    # learns the frames firms stand in (「…の記者」「…によると」) rather than the names.
    org = [""] * len(tokens)
    for a, b in org_runs(text, tokens):
        for k in range(a, b + 1):
            org[k] = "B" if k == a else "I"
    items = [_token_items(t.surface, t.pos, t.oov, o) for t, o in zip(tokens, org)]
    n = len(tokens)
    placed = []
    depth = 0  # inside brackets (「」『』()): names in brackets follow an office or a role (「(生活安全課 山田)」)
    for i in range(n):
        f = []
        s = tokens[i].surface
        if s in _CLOSE:
            depth = max(0, depth - 1)
        if depth:
            f.append("in_bracket")
        if s in _OPEN:
            depth += 1
        end = tokens[i].end
        title = words.title_at.match(text, end) if text[end:end + 1] in title_starts else None
        if title is not None and (i + 1 >= n or title.end() >= tokens[i + 1].end):
            f.append(f"title_next={words.titles.get(title[1], 'before')}")  # 「宮下|会長」「水上英俊|署|長」
        elif i + 1 < n and (tokens[i + 1].surface in words.police or tokens[i + 1].surface in ("署", "署員")):
            f.append("before_station")  # 「杵築日出|警察署」「金沢東|署」: a station is named after a place
        if i + 1 < n and tokens[i + 1].surface in _OPEN and _bracketed_head(tokens, i):
            f.append("head_in_bracket")  # 「浜田港運|(須賀孝社長)」: the word before is an organisation
        if 0 < i and i + 1 < n:
            f.append(f"ctx={items[i - 1][2]}_{items[i + 1][2]}")
        if i == 0:
            f.append("first")
        placed.append(f)
    return items, placed


def text_of(tokens: list[Token]) -> str:
    """The text ``tokens`` were read from, put together from them (spaces where they leave gaps)."""
    return "".join(" " * (t.begin - (tokens[i - 1].end if i else 0)) + t.surface for i, t in enumerate(tokens))


def sentence_features(tokens: list[Token], text: str | None = None) -> list[list[str]]:
    """For each token, its crfsuite features: its own and those of its neighbours within two. ``text`` is what
    the tokens were read from (put together from them when not given)."""
    items, placed = _sentence_parts(tokens, text)
    n = len(items)
    out = []
    for i in range(n):
        f = [*items[i][0], *placed[i]]
        for k, d in enumerate(_DISTANCES):
            j = i + d
            f += items[j][1][k] if 0 <= j < n else _EDGES[k]
        out.append(f)
    return out


def state_scores(weights: TokenWeights, tokens: list[Token], text: str | None = None) -> np.ndarray:
    """The CRF's state scores of ``sentence_features`` (tokens × labels), from the weights kept per token
    (``TokenWeights``) and those of where each token stands, rather than looked up string by string."""
    items, placed = _sentence_parts(tokens, text)
    n = len(items)
    rows = weights.rows(items)  # n × (own, seen at -2, -1, 1, 2) × labels
    scores = rows[:, 0] + weights.crf.weights_of(placed)
    for k, d in enumerate(_DISTANCES, start=1):
        edge = weights.crf.weight_of(_EDGES[k - 1])
        if d < 0:  # token i sees token i + d: its first -d tokens see the edge
            scores[-d:] += rows[:n + d, k]
            scores[:-d] += edge
        else:
            scores[:n - d] += rows[d:, k]
            scores[n - d:] += edge
    return scores


class TokenWeights:
    """Per kept token (its ``_token_items`` serial), the summed state weights of its own features and of what
    each neighbour sees of it, as one row of a matrix that grows as new tokens come; past ``LIMIT`` rows a new
    token's weights are summed each time instead of kept."""

    LIMIT = 262_144

    def __init__(self, crf: CrfArrays):
        self.crf = crf
        self.lock = threading.Lock()
        self.index: dict[int, int] = {}
        self.matrix = np.zeros((4096, 1 + len(_DISTANCES), len(crf.labels)))

    def rows(self, items: list[tuple]) -> np.ndarray:
        index = self.index
        ids = [index.get(item[3]) for item in items]
        if None in ids:
            with self.lock:
                ids = [self._add(item) if i is None else i for item, i in zip(items, ids)]
            if None in ids:  # past the limit
                return np.array([self.matrix[i] if i is not None else self._weights(item) for item, i in zip(items, ids)])
        # why: rows are written before their index is published, and a grown matrix copies every written row
        return self.matrix[ids]

    def _weights(self, item: tuple) -> np.ndarray:
        return np.array([self.crf.weight_of(item[0]), *(self.crf.weight_of(seen) for seen in item[1])])

    def _add(self, item: tuple) -> int | None:
        """The row of ``item``, written now if it has none (the caller holds the lock); None past the limit."""
        row = self.index.get(item[3])
        if row is not None or len(self.index) >= self.LIMIT:
            return row
        row = len(self.index)
        if row == len(self.matrix):
            grown = np.zeros((2 * row, *self.matrix.shape[1:]))
            grown[:row] = self.matrix
            self.matrix = grown
        self.matrix[row] = self._weights(item)
        self.index[item[3]] = row
        return row
