"""Round 126 of issue 14 (rules from heldout125a/125b's misses, read after they were scored), in sentences written for
these tests: a radical supplement of a PDF export read as its kanji (「会⻑」), a prefecture's office after its name
(「鹿児島県庁」), a boat-race venue, a lake's bathing beach and a recreation wood by their kinds, a Lions member after
his post and 「L.」, a branch head's name before his branch's town (「戸来室蘭支社長」), a facility's short form the text
defines (「(以下、ミライク)」); no finding for railway firms with their legal form, a station's head in a career
(「桐生署長、…を経て」), a firm's name run on into より, or a building's wing in brackets."""

from __future__ import annotations

import pytest

from anshin_lab.privacy.lint import lint
from anshin_lab.privacy.lint.tokens import tokenize


def _found(text: str, learned: bool = False) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in lint(text, learned=learned)]


@pytest.mark.parametrize(("text", "found"), [
    ("寄贈式では小川浩⼆会⻑があいさつした。", [("person", "小川浩⼆")]),
    ("大阪府庁で出動式が行われた。", [("facility", "大阪府庁")]),
    ("鹿児島県庁において県民大会が開かれた。", [("facility", "鹿児島県庁")]),
    ("湖西白浜水泳場で水難救助訓練を行った。", [("facility", "湖西白浜水泳場")]),
    ("木曽赤沢自然休養林を訪れる観光客に啓発した。", [("facility", "木曽赤沢自然休養林")]),
    ("ボートレース多摩川の敷地で訓練を行った。", [("facility", "ボートレース多摩川")]),
    ("会長L.小鉢 誠 幹事L.新井浩二", [("person", "小鉢 誠"), ("person", "新井浩二")]),
    ("戸来室蘭支社長は目録を手渡した。", [("person", "戸来")]),
    ("日産交通安全センター ミライク(以下、ミライク)で教室を開いた。ミライクには多くの親子が訪れた。",
     [("facility", "日産交通安全センター"), ("facility", "ミライク"), ("facility", "ミライク"), ("facility", "ミライク")]),
    ("西日本旅客鉄道株式会社、奈良県警察本部などが参加した。", []),
    ("訓練には九州旅客鉄道株式会社の社員も加わった。", []),
    ("桐生署長、交通部長を経て退職した。", []),
    ("(株)山田商事より、横断旗が贈られた。", [("facility", "(株)山田商事")]),
])
def test_round126(text, found):
    """Each fails on the commit before round 126's rules (a96c47b)."""
    assert _found(text) == found, lint(text, learned=False)


@pytest.mark.parametrize(("text", "found"), [
    ("安達署長、米軍幹部と懇談した。", [("person", "安達")]),
    ("サイズL.中学生向けの帽子", []),
    ("会長L.堀之内浩二 幹事L.片岡誠", [("person", "堀之内浩二"), ("person", "片岡誠")]),
    ("鹿児島中央駅(以下「本駅」という)で訓練をした。", [("facility", "鹿児島中央駅")]),
    ("府庁前で啓発した。", []),
    ("敦賀市立看護大学(以下、看護大)による報告会", [("facility", "敦賀市立看護大学")]),
    ("株式会社ABCひまわり、", [("facility", "株式会社ABCひまわり")]),
])
def test_round126_guards(text, found):
    """Pass before and after round 126's rules: what they must not change."""
    assert _found(text) == found, lint(text)


def test_round126_no_learned_facility_for_a_wing():
    """「(新別館北館2階」: a wing of the building named before, by words of side and age alone (heldout125a)."""
    from anshin_lab.privacy.lint.learned import _plausible

    for wing in ("新別館北館", "本館東棟", "第2庁舎"):
        assert not _plausible("facility", tokenize(wing), [], None), wing
    assert _plausible("facility", tokenize("山田会館"), [], None)


def test_round126_radical_supplements_read_as_kanji():
    """The table of ``dictionaries/radical_equivalents.txt`` maps what NFKC leaves alone, one for one."""
    from anshin_lab.privacy.lint.normalize import normalize

    text = "⻄村会⻑と⻑野さん"
    assert normalize(text).text == "西村会長と長野さん"
