"""Round 85 of issue 14 (rules from heldout84a/84b's misses, read after they were scored), in sentences written for
these tests: a nickname in quotes before こと and the person (「「大道ポリス」こと戸井田警部補」), a reading in hiragana
glued to a full name before its title (「知念信恒のぶつね会長」, also when found with the name, 「伊禮幸子さちこ会長」), a
community hall hosting an event (「操南公民館主催で」); and no finding for the safety of a prefecture's schools
(「鳥取県学校安全」), an assembly's building named by the assembly alone (「県議会議事堂前」), a school named before
(「同小PTA(…会長)」) or a land improvement district named after its town (「宇土八水土地改良区」)."""

from __future__ import annotations

import pytest

from anshin_lab.privacy.lint import lint


def _found(text: str, learned: bool = False) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in lint(text, learned=learned)]


@pytest.mark.parametrize(("text", "found"), [
    ("交通安全を歌う「歌うおまわりさん」こと佐野巡査部長が登場した。", [("person", "歌うおまわりさん"), ("person", "佐野")]),
    ("比嘉自治会(宮城盛昭もりあき会長)は清掃を続けている。", [("person", "宮城盛昭"), ("person", "もりあき")]),
    ("と話したのは、自治会の新垣和子かずこ会長。", [("person", "新垣和子"), ("person", "かずこ")]),
    ("桜台公民館主催で防犯講座が開かれた。", [("facility", "桜台公民館")]),
    ("「令和5年度岡山県学校安全研修会」を開催しました。", []),
    ("県議会議事堂前広場で出発式を行った。", []),
    ("今年から同小PTA(山本和夫会長)が見守りを始めた。", [("person", "山本和夫")]),
    ("これは、玉名八水土地改良区が毎年行っているもので", []),
])
def test_round85_findings(text, found):
    """Each fails on the commit before round 85's rules (700dbec)."""
    assert _found(text) == found, lint(text)


@pytest.mark.parametrize(("text", "found"), [
    ("車が止まるまで「待つ」ことを習慣にしよう", []),
    ("内田広之いわき市長と高萩市長が参加した。", [("person", "内田広之")]),
    ("長谷川まりこ会長があいさつした。", [("person", "長谷川まりこ")]),
    ("山田太郎さんと会長が話した。", [("person", "山田太郎")]),
    ("愛知県議会議事堂で式典", [("facility", "愛知県議会議事堂")]),
    ("殿田小学校安全協議会が発足", [("facility", "殿田小学校")]),
    ("浜田港運(須賀孝社長)が寄贈した", [("facility", "浜田港運"), ("person", "須賀孝")]),
])
def test_round85_guards(text, found):
    assert _found(text, learned=True) == found, lint(text)
