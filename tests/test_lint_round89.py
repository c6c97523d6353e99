"""Round 89 of issue 14 (rules from heldout88a/88b's misses, read after they were scored), in sentences written for
these tests: a lot written after 甲, 乙 or 丙 of a 地番 area (「本町甲123-4」), a newspaper's sales office (「…専売所」
「…販売所」, not both of two just named), 園 written ぞの after a kanji (「森ぞの幼稚園」), a historic house named after its
owner (「旧山田太郎邸」), a prefecture's museum written without its name (「県美術館」); and no finding for a place's
name in a motto (「安心の町 下松という言葉」) or a police mascot after another title and と (「おまわりさんとこあんちゃん」)."""

from __future__ import annotations

import pytest

from anshin_lab.privacy.lint import lint


def _found(text: str, learned: bool = False) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in lint(text, learned=learned)]


@pytest.mark.parametrize(("text", "found"), [
    ("香川県丸亀市本町甲123-4で", [("exact_address", "丸亀市本町甲123-4")]),
    ("高知県香美市土佐山田町乙1234-5", [("exact_address", "香美市土佐山田町乙1234-5")]),
    ("愛媛新聞東予専売所の所長", [("facility", "愛媛新聞東予専売所")]),
    ("森ぞの幼稚園に通う", [("facility", "森ぞの幼稚園")]),
    ("旧山田太郎邸を改修", [("facility", "旧山田太郎邸")]),
    ("総会は市内の県美術館であり", [("facility", "県美術館")]),
    ("安全と安心の町 下松という言葉を語った", []),
    ("おまわりさんとこあんちゃんが来た", []),
])
def test_round89_findings(text, found):
    """Each fails on the commit before round 89's rules (1946501)."""
    assert _found(text) == found, lint(text)


@pytest.mark.parametrize(("text", "found"), [
    ("徳島新聞の板野、板野南両専売所でつくる会", [("facility", "徳島新聞")]),
    ("町内の無人販売所で野菜を盗んだ", []),
    ("その角を甲子園方面へ", [("facility", "甲子園")]),
    ("これぞの公園", []),
    ("豪邸に住む", []),
    ("各県立図書館に配る", []),
    ("ヤマダという男から電話", [("person", "ヤマダ")]),
    ("おまわりさんとさくらちゃんが来た", [("person", "さくら")]),
])
def test_round89_guards(text, found):
    assert _found(text, learned=True) == found, lint(text)
