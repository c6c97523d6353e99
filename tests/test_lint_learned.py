"""The learned detector (``privacy.lint.learned``): names of shapes no rule was written for, and what it must not take.

Sentences and names written for these tests, not taken from the labelled corpus.
"""

from __future__ import annotations

import pytest

pytest.importorskip("pycrfsuite")

from anshin_lab.privacy.lint import PERSON_MASK, LintError  # noqa: E402
from anshin_lab.privacy.lint.learned import (  # noqa: E402
    MODEL_PATH, find_learned, load_model, sentence_features, spans_from_marginals,
)
from anshin_lab.privacy.lint.normalize import normalize  # noqa: E402
from anshin_lab.privacy.lint.tokens import tokenize  # noqa: E402

pytestmark = pytest.mark.skipif(not MODEL_PATH.exists(), reason="model not built: python -m anshin_lab.privacy.lint.training")


def _found(text: str) -> list[tuple[str, str]]:
    folded = normalize(text).text
    return [(kind, folded[s:e]) for s, e, kind, _ in find_learned(folded, tokenize(folded))]


@pytest.mark.parametrize("text, name", [
    ("強盗の疑いで、青森市の会社員、桜庭遼平容疑者(29)を逮捕した。", "桜庭遼平"),
    ("感謝状を受け取ったのは、店長の古賀美津子さん。", "古賀美津子"),
])
def test_a_name_before_a_title_is_a_person(text, name):
    assert ("person", name) in _found(text)


@pytest.mark.parametrize("text, name", [
    ("男は、宇城市の松橋北中学校の近くで女子生徒に声をかけた。", "松橋北中学校"),
    ("現場は、みどり台第二公園の東側の路上です。", "みどり台第二公園"),
])
def test_a_name_with_its_kind_word_is_a_facility(text, name):
    assert any(kind == "facility" and name in found or found in name for kind, found in _found(text))


@pytest.mark.parametrize("text", [
    "元中学校教諭の男が逮捕された。",
    "同駅で下車した男は、徒歩で逃走した。",
    "市内の県立高校の生徒が、帰宅途中に声をかけられた。",
    "男は、黒色の帽子をかぶり、自転車で走り去った。",
    "容疑者(52)は、容疑を認めている。",
])
def test_generic_places_and_bare_ages_are_no_names(text):
    assert _found(text) == []


def test_suggestions_are_the_rules_masks():
    folded = normalize("会社員、桜庭遼平容疑者(29)を逮捕した。").text
    suggestions = {kind: suggestion for _, _, kind, suggestion in find_learned(folded, tokenize(folded))}
    assert suggestions.get("person") == PERSON_MASK
    assert set(suggestions.values()) <= {PERSON_MASK, "施設"}


def test_an_age_is_kept_only_right_after_a_name():
    class T:
        def __init__(self, begin, surface):
            self.begin, self.end, self.surface, self.pos, self.oov = begin, begin + len(surface), surface, ("名詞", "固有名詞", "人名", "名"), False

        proper = True

    tokens = [T(0, "山辺"), T(2, "容疑者"), T(5, "(41)")]
    person = {"facility": 0.0, "person": 0.99}
    none = {"facility": 0.0, "person": 0.0}
    assert [s[:3] for s in spans_from_marginals(tokens, [person, none, person], 0.5)] == [(0, 2, "person"), (5, 9, "person")]
    assert [s[:3] for s in spans_from_marginals(tokens, [none, none, person], 0.5)] == []


def test_features_name_shapes_not_names():
    features = sentence_features(tokenize("桜庭遼平容疑者"))
    flat = " ".join(f for token in features for f in token)
    assert "桜庭" not in flat  # a proper noun's spelling is no feature; its shape and part of speech are
    assert "shape=K" in flat


def test_empty_text_finds_nothing():
    assert find_learned("", []) == []


def test_a_missing_model_says_how_to_build_it(tmp_path):
    with pytest.raises(LintError, match="training"):
        load_model(tmp_path / "none.crfsuite")
