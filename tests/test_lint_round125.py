"""Round 125 of issue 14 (rules from heldout124a/124b's misses, read after they were scored), in sentences written for
these tests: no finding for where one stands in a photo (「(写真=右から2人目)」), a co-op's name run on over a middle dot into
its head's (「JA尾鈴・本多久巳典組合長」) or a learned run into the label after a name (「…不動産電話番号:」)."""

from __future__ import annotations

import pytest

from anshin_lab.privacy.lint import lint
from anshin_lab.privacy.lint.tokens import tokenize


def _found(text: str, learned: bool = False) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in lint(text, learned=learned)]


@pytest.mark.parametrize(("text", "found"), [
    ("贈呈式では、JA日向・田中一郎組合長(写真=右から2人目)があいさつした。", [("person", "田中一郎")]),
    ("式では、井上会長(写真=左から3人目)があいさつした。", [("person", "井上")]),
])
def test_round125(text, found):
    """Each fails on the commit before round 125's rules (30b0a51): the photo's positions were persons."""
    assert _found(text) == found, lint(text, learned=False)


@pytest.mark.parametrize(("text", "found"), [
    ("同日、田村分会長が市役所を訪ねた。", [("person", "田村")]),
    ("JAいわて花巻川野正光理事などが訪れた", [("person", "いわて花巻川野正光")]),
])
def test_round125_guards(text, found):
    """Pass before and after round 125's rules: what they must not change."""
    assert _found(text) == found, lint(text)


def test_round125_no_learned_facility_runs_into_a_phone_label():
    """「松野不動産電話番号:」: round 124's model read the label as the name's end (heldout124b)."""
    from anshin_lab.privacy.lint.learned import _in_context

    text = "山田不動産電話番号:099-222-1234"
    tokens = tokenize(text)
    b = next(i for i, t in enumerate(tokens) if t.end == text.index(":"))
    assert not _in_context("facility", text, tokens, 0, b)
    assert _in_context("facility", "山田不動産で", tokenize("山田不動産で"), 0, 1)
