"""Round 96 of issue 14 (rules from heldout95a/95b's misses, read after they were scored), in sentences written for
these tests: a bank's 副長 and a pitcher's 投手 as titles, with the age after them (「佐藤美紀副長(38)」「戸郷翔征投手(24)」),
a blog entry's date and its writer (「(7月9日=竹下)」), a school's short name before 生 (「川内中生に」), a beach named
〇〇の浜 (「青海の浜ビーチ」), the prefecture's one hall named by 県 (「県総合体育センター」); and no finding for a police
station's dojo (「鹿児島中央警察署道場」), a dog's name before 号 (「シェパード・アルト号」) or a learned span that starts after
a verb's stem (「訪れ|た幼稚園」)."""

from __future__ import annotations

import pytest

from anshin_lab.privacy.lint import lint
from anshin_lab.privacy.lint.check import can_be_learned_name
from anshin_lab.privacy.lint.name_checks import not_a_person


def _found(text: str, learned: bool = False) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in lint(text, learned=learned)]


@pytest.mark.parametrize(("text", "found"), [
    ("窓口で対応した佐藤美紀副長(38)が見抜き", [("person", "佐藤美紀"), ("person", "(38)")]),
    ("感謝状を受け取る佐藤副長と中村さん", [("person", "佐藤"), ("person", "中村")]),
    ("巨人の戸郷翔征投手(24)が一日署長", [("person", "戸郷翔征"), ("person", "(24)")]),
    ("大会を開催しました(7月9日=竹下)", [("person", "竹下")]),
    ("警察官は青海の浜ビーチに移動し", [("facility", "青海の浜ビーチ")]),
    ("鹿児島市の県総合体育センターで大会", [("facility", "県総合体育センター")]),
    ("稽古は鹿児島中央警察署道場で行う", []),
])
def test_round96_findings(text, found):
    """Each fails on the commit before round 96's rules (7abf882)."""
    assert _found(text) == found, lint(text)


def test_round96_learned_spans_and_names():
    """A learned span that starts after a verb's stem is no name (「訪れ|た幼稚園」), nor is a dog's name before 号; each
    failed on 7abf882."""
    text = "交番を訪れた幼稚園児"
    assert not can_be_learned_name(text, text.index("た幼稚園"), text.index("児"), "facility")
    text = "警察犬のシェパード・アルト号と"
    assert not_a_person(text, text.index("シ"), text.index("号"))


@pytest.mark.parametrize(("text", "found"), [
    ("川内中生に短冊を書いてもらい", [("facility", "川内中")]),
    ("県武道館で大会", [("facility", "県武道館")]),
    ("女子高生が", []),
    ("中高生が", []),
    ("(6月30日・木曜日)", []),
    ("消防団副長の", []),
    ("ゆい君が", [("person", "ゆい")]),
])
def test_round96_guards(text, found):
    """Pass before and after round 96's rules: what they must not change."""
    assert _found(text) == found, lint(text)
