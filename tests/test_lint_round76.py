"""Round 76 of issue 14 (rules from heldout75a/75b's misses, read after they were scored), in sentences written for
these tests: a family name before a kana given name SudachiPy cuts (「佐藤かずよしさん」), a short school name before
the districts of a list (「寺戸中の各校区」), a community centre named after its kind (「「コミュニティセンターみどりの」」
「交流センターサハト紅花」), a café's Latin name after a comma (「喫茶店、CAFE BLUE MOONの店内」), a theme park with no
kind word (「アドベンチャーワールド」); and no finding for a count after a direction (「西の2つ」), a room of a hall
(「中ホール」), a town's residents' body (「館町町会会長」), a grandparent in kanji (「婆ちゃん」) or a traffic park
(「交通公園」)."""

from __future__ import annotations

import pytest

from anshin_lab.privacy.lint import lint


def _found(text: str) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in lint(text, learned=False)]


@pytest.mark.parametrize(("text", "found"), [
    ("講師の田中かずよしさんが話した。", [("person", "田中かずよし")]),
    ("旗は三川小や、大きな寺戸中の各校区に立てた。", [("facility", "三川小"), ("facility", "寺戸中")]),
    ("市内の「コミュニティセンターみどりの」で教室を開いた。", [("facility", "コミュニティセンターみどりの")]),
    ("会場は総合交流センターサハト紅花です。", [("facility", "交流センターサハト紅花")]),
    ("男は喫茶店、CAFE BLUE MOONの店内で逮捕された。", [("facility", "CAFE BLUE MOON")]),
    ("白浜町のアドベンチャーワールドで啓発した。", [("facility", "アドベンチャーワールド")]),
    ("町には東と西の2つの駐在所がある。", []),
    ("大会は同会館(奈良市)中ホールで開かれた。", []),
    ("館町町会会長として活動する。", []),
    ("婆ちゃんコントで知られる一座が来た。", []),
    ("あすは交通公園で交通安全フェアがある。", []),
])
def test_round76_findings(text, found):
    """Each fails on the commit before round 76's rules (7d56117)."""
    assert _found(text) == found, lint(text)


@pytest.mark.parametrize(("text", "found"), [
    ("佐藤ゆいちゃんとおじさんが来た。", [("person", "佐藤ゆい")]),
    ("高知市の比島交通公園で行われた。", [("facility", "比島交通公園")]),
    ("喫茶店、ATMなどを回った。", []),
    ("「老人ホームに入居する権利を得た」と言った。", []),
    ("鹿児島市西田2-3-5に住む", [("exact_address", "西田2-3-5")]),
])
def test_round76_guards(text, found):
    assert _found(text) == found, lint(text)
