"""Round 113 of issue 14 (rules from heldout112a/112b's misses, read after they were scored), in sentences written for
these tests: a road tunnel named after its place (「新明石トンネル」), a drugstore chain of 東北 (「ハッピードラッグ」), a
byline in brackets before its date (「(治徳真也) (2007.2.3)」), a parent's given name glued after the kinship word
(「山本さんの父勇士さん」); and no finding for a station's old name before its new one (「白川(現中央)警察署長」), a station's
head whose holder the text names after the post (「山形署長には…部長が就く」, where 「一線署」 names no station), a town named
after a market (「十日市場町」, read by the learned detector), a town hall where a route starts (「市役所前から」) or a railway
named after its terminus (「法勝寺電車」)."""

from __future__ import annotations

import pytest

from anshin_lab.privacy.lint import lint


def _found(text: str, learned: bool = False) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in lint(text, learned=learned)]


@pytest.mark.parametrize(("text", "found"), [
    ("事故があったのは市内の新明石トンネル内だった。", [("facility", "新明石トンネル")]),
    ("他ハッピードラッグなど2件との関連を捜査している。", [("facility", "ハッピードラッグ")]),
    ("(治徳真也) (2007.2.3)", [("person", "治徳真也")]),
    ("山本さんの父勇士さんが女性を保護した。", [("person", "山本"), ("person", "勇士")]),
    ("生活安全課長、白川(現中央)警察署長などを歴任した。", []),
    ("焦点の一線署筆頭格の山形署長には阿部喜彦生活安全部長が就く方向だ。", [("person", "阿部喜彦")]),
    ("パレードは市役所前から駅前まで約1キロ練り歩く。", []),
    ("藤友さんが法勝寺電車の思い出を語った。", [("person", "藤友")]),
])
def test_round113(text, found):
    """Each fails on the commit before round 113's rules (874180f): the tunnel, the chain, the byline and the given name
    were not found; the old station, the station whose head is named after, the town hall and the temple were
    findings."""
    assert _found(text) == found, lint(text, learned=False)


def test_round113_with_the_learned_detector():
    """Fails on 874180f: the learned detector read a town named after a market as a facility."""
    assert _found("十日市場町と新治町を管轄する交番が完成した。", learned=True) == []


@pytest.mark.parametrize(("text", "found"), [
    ("水嶋(岡山中央)警察署長", [("person", "水嶋")]),
    ("山田署長には感謝状が贈られた。", [("person", "山田")]),
    ("常願寺川の河川敷で", []),
    ("法勝寺の境内で", [("facility", "法勝寺")]),
    ("市役所前で男に声をかけられた", [("facility", "市役所")]),
    ("(交通安全) (2006.11.7)", []),
    ("長男・陽生さん(8)", [("person", "陽生"), ("person", "(8)")]),
    ("きょう午前、市内のトンネル内で事故があった。", []),
])
def test_round113_guards(text, found):
    """Pass before and after round 113's rules: what they must not change."""
    assert _found(text) == found, lint(text)
