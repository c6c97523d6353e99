"""Round 100 of issue 14 (rules from heldout99a/99b's misses, read after they were scored), in sentences written for
these tests: a rescue dog's handler by family name before 指導士 (「三尾野指導士が」), a school's short name before a
word SudachiPy reads as a given name and a suffix (「石崎小 登録手順」, read 石崎|小登|録); and no finding for 当所 ("this
office") before 職員, a municipality and its town read as a full name (「宮崎市花ヶ島町」), a street of a 条 district
(「北13条北郷通」) or a police station's own building (「吉野警察署さくら庁舎」)."""

from __future__ import annotations

import pytest

from anshin_lab.privacy.lint import lint


def _found(text: str, learned: bool = False) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in lint(text, learned=learned)]


@pytest.mark.parametrize(("text", "found"), [
    ("現場指揮者に三尾野指導士が当たった", [("person", "三尾野")]),
    ("メール 石崎小 登録手順.pdf", [("facility", "石崎小")]),
])
def test_round100_findings(text, found):
    """Each fails on the commit before round 100's rules (b3d7eab)."""
    assert _found(text) == found, lint(text)


@pytest.mark.parametrize(("text", "found", "learned"), [
    ("当所職員が防犯講座を開いた", [], False),
    ("宮崎市花ヶ島町、会社員奥本章寛容疑者(22)を逮捕", [("person", "奥本章寛"), ("person", "(22)")], True),
    ("北13条北郷通などでパトロールした", [], False),
    ("吉野警察署さくら庁舎において訓練した", [], False),
])
def test_round100_no_false_alarm(text, found, learned):
    """Each fails on b3d7eab, which found 当所, 宮崎市花 and 北郷通 as persons and the police station's building."""
    assert _found(text, learned) == found, lint(text, learned=learned)


@pytest.mark.parametrize(("text", "found"), [
    ("阿部通・小名浜地区交通安全対策協議会長があいさつ", [("person", "阿部通")]),
    ("山田太郎家の墓", [("person", "山田太郎")]),
    ("交通安全指導士の資格", []),
    ("市役所第二庁舎で", []),
])
def test_round100_guards(text, found):
    """Pass before and after round 100's rules: what they must not change."""
    assert _found(text) == found, lint(text)
