"""Round 94 of issue 14 (rules from heldout93a/93b's misses, read after they were scored), in sentences written for
these tests: a reading between equals signs after a name (「川上正修=まさのぶ=会長」), a market town named after its
market day (「十日市小学校」), a city's public centre by its direction alone (「東生涯学習センター」), an age after another
name in brackets (「佐藤健二(本名・鈴木健二)容疑者(61)」), a photograph's credit before a space (「田中太郎撮影 銀行」),
a city hall's branch named with a common word (「町役場下地庁舎」); and no finding for 本名 or a gang named after its
boss's generation (「二代目松田組」), nor for a district's name alone after a centre named after it (「中森地区センター」
… 「中森ふれあい祭り」)."""

from __future__ import annotations

import pytest

from anshin_lab.privacy.lint import lint


def _found(text: str, learned: bool = False) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in lint(text, learned=learned)]


@pytest.mark.parametrize(("text", "found"), [
    ("見守り隊(川上正修=まさのぶ=会長)が", [("person", "川上正修"), ("person", "=まさのぶ=")]),
    ("防犯協会(大西一樹=かずき=支部長)と", [("person", "大西一樹"), ("person", "=かずき=")]),
    ("十日市小学校の児童", [("facility", "十日市小学校")]),
    ("会場は東生涯学習センターです", [("facility", "東生涯学習センター")]),
    ("無職、佐藤健二(本名・鈴木健二)容疑者(61)を逮捕", [("person", "佐藤健二"), ("person", "鈴木健二"), ("person", "(61)")]),
    ("山田花子(旧姓・鈴木)さん(45)", [("person", "山田花子"), ("person", "(45)")]),
    ("二代目松田組の幹部", []),
    ("=福岡市の博多署で2日、田中太郎撮影 銀行の窓口で", [("person", "田中太郎")]),
    ("中森地区センターで開かれた「中森ふれあい祭り」で", [("facility", "中森地区センター")]),
    ("吉住コミセンで『吉住防犯会議』が開かれた", [("facility", "吉住コミセン")]),
    ("矢田公民館の「矢田まつり」", [("facility", "矢田公民館")]),
    ("工事中は町役場下地庁舎で業務を行う", [("facility", "町役場下地庁舎")]),
])
def test_round94_findings(text, found):
    """Each fails on the commit before round 94's rules (5ca6513)."""
    assert _found(text) == found, lint(text)


@pytest.mark.parametrize(("text", "found"), [
    ("工事中は市役所田中庁舎で業務を行う", [("facility", "市役所田中庁舎")]),
    ("町役場仮設庁舎", []),
    ("市内の各公民館", []),
    ("毎月十日市が開かれる", []),
    ("五日市保育所で訓練", [("facility", "五日市保育所")]),
    ("講座は西図書館で開く", [("facility", "西図書館")]),
    ("倉本組の社員", [("facility", "倉本組")]),
])
def test_round94_guards(text, found):
    """Pass before and after round 94's rules: what they must not change."""
    assert _found(text) == found, lint(text)
