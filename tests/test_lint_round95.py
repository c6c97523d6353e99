"""Round 95 of issue 14 (rules from heldout94a/94b's misses, read after they were scored), in sentences written for
these tests: a wife's given name SudachiPy reads as a flower before 夫人 (「…警部補と小百合夫人」), a hospital hosting an event
(「済生会八幡病院主催の健康講座」), a full name glued before a public body's 県立 (「鈴木一郎|県立大学教授」), a park named 〇〇の森 or 〇〇の丘
(「市民の森公園」), a head of the police's units named as a town (「県警の大和刑事部長」); and no finding for a school district's watch
group named after the school (「啓明見守り隊」 … 「啓明小学校」), the town's police station named like a person just named (「田中警察署」
… 「田中美咲係長」) or a safety lesson's title in quotes (「防犯教室「いかのおすし」」)."""

from __future__ import annotations

import pytest

from anshin_lab.privacy.lint import lint


def _found(text: str, learned: bool = False) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in lint(text, learned=learned)]


@pytest.mark.parametrize(("text", "found"), [
    ("山田一郎警部補と小百合夫人が出席", [("person", "山田一郎"), ("person", "小百合")]),
    ("済生会八幡病院主催の健康講座", [("facility", "済生会八幡病院")]),
    ("講演は鈴木一郎県立大学教授が務め", [("person", "鈴木一郎"), ("facility", "県立大学")]),
    ("市民の森公園で", [("facility", "市民の森公園")]),
    ("花の丘公園に", [("facility", "花の丘公園")]),
    ("「啓明見守り隊」が、啓明小学校前で", [("facility", "啓明小学校")]),
    ("「尚志見守り隊」が、尚志小学校前で", [("facility", "尚志小学校")]),
    ("田中警察署交通課の田中美咲係長は", [("person", "田中美咲")]),
    ("小学校で防犯教室「いかのおすし」を開いた", []),
    ("県警の大和刑事部長が", [("person", "大和")]),
])
def test_round95_findings(text, found):
    """Each fails on the commit before round 95's rules (d951599)."""
    assert _found(text) == found, lint(text)


@pytest.mark.parametrize(("text", "found"), [
    ("学習教室「ひまわり」で", [("facility", "ひまわり")]),
    ("田中美咲さんは、田中署長に", [("person", "田中美咲"), ("person", "田中")]),
    ("松本市の森公園", [("facility", "森公園")]),
    ("社長と社長夫人", []),
    ("県警の一日交通部長に", []),
    ("山田太郎市立病院長が", [("person", "山田太郎"), ("facility", "市立病院")]),
])
def test_round95_guards(text, found):
    """Pass before and after round 95's rules: what they must not change."""
    assert _found(text) == found, lint(text)
