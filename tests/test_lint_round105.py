"""Round 105 of issue 14 (rules from heldout104a/104b's misses, read after they were scored), in sentences written for
these tests: a city's numbered school by its short name (「今治二中」「北上三小」), a relative's given name after the
kinship word and a middle dot (「次女・希望さん(5)」), a place's nickname in brackets that ends in a number (「(ミライザ21)」);
and no finding for a shop honoured for its merit (「功労店」), a town's one word that ends in 屋 (「山木屋の」), a
festival (「祇園祭」) or a device's name quoted in a row of devices (「「ゆずり上手くん」、「運転適性検査器」」)."""

from __future__ import annotations

import pytest

from anshin_lab.privacy.lint import lint


def _found(text: str, learned: bool = False) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in lint(text, learned=learned)]


@pytest.mark.parametrize(("text", "found", "learned"), [
    ("道向かいの今治二中と、近くの公園", [("facility", "今治二中")], False),
    ("北上三小と、近くの保育園", [("facility", "北上三小")], False),
    ("次女・希望さん(5)", [("person", "希望"), ("person", "(5)")], False),
    ("県民ホール(ミライザ21)で演奏会", [("facility", "県民ホール"), ("facility", "ミライザ21")], False),
    ("感謝状は功労店に贈られた", [], False),
    ("山木屋の住民が集まった", [], False),
    ("松原の祇園祭での巡回", [], True),
    ("「ゆずり上手くん」、「運転適性検査器」などを体験", [], False),
])
def test_round105(text, found, learned):
    """Each fails on the commit before round 105's rules (1c06689): the schools, the son and the nickname were not
    found, 功労店, 山木屋 and 祇園 were read as facilities and 上手 as a person."""
    assert _found(text, learned) == found, lint(text, learned=learned)


@pytest.mark.parametrize(("text", "found"), [
    ("坂下屋の前で", [("facility", "坂下屋")]),
    ("松屋の店員", [("facility", "松屋")]),
    ("市内一中の生徒", []),
    ("息子・娘さん", []),
    ("宇部二中で", [("facility", "宇部二中")]),
    ("長男・大地くん", [("person", "大地")]),
    ("みどり市民センター(ふれあい)で", [("facility", "みどり市民センター")]),
])
def test_round105_guards(text, found):
    """Pass before and after round 105's rules: what they must not change."""
    assert _found(text) == found, lint(text)


def test_round105_town_before_the_road_is_no_learned_name():
    """A learned person span that starts a town's name before where it happened is no name (「杷木星|丸の路上で」, a town
    of the name-generator probe that the model trained on heldout103a/103b read as a person). Fails on 1c06689."""
    from anshin_lab.privacy.lint.learned import _in_context
    from anshin_lab.privacy.lint.tokens import tokenize

    for text in ("杷木星丸の路上で、男に声をかけられました。", "杷木星丸方面へ逃走しました。"):
        tokens = tokenize(text)
        assert not _in_context("person", text, tokens, 0, 1), text  # 杷木|星
    tokens = tokenize("田中さんが路上で")
    assert _in_context("person", "田中さんが路上で", tokens, 0, 0)
