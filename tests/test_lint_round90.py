"""Round 90 of issue 14 (rules from heldout89a/89b's misses, read after they were scored), in sentences written for
these tests: a school's one-kanji name after a town's の (「佐賀市の泉小付近」), a hall named with a prefecture's reading in
hiragana (「アスティとくしま」), a prefecture's hall by its people (「県民ホール」); and no finding for a group that patrols
while running (「パトラン西原」), a slogan for all of a place (「オールかごしま」) or a 架け橋 (「音の架け橋」)."""

from __future__ import annotations

import pytest

from anshin_lab.privacy.lint import lint


def _found(text: str, learned: bool = False) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in lint(text, learned=learned)]


@pytest.mark.parametrize(("text", "found"), [
    ("佐賀市の泉小付近で", [("facility", "泉小")]),
    ("久留米市の杉小近くで", [("facility", "杉小")]),
    ("徳島市のアスティとくしまで開かれる", [("facility", "アスティとくしま")]),
    ("高松市の県民ホールで", [("facility", "県民ホール")]),
    ("パトラン西原のメンバー", []),
    ("オールかごしまで取り組む", []),
    ("県民と警察を結ぶ「音の架け橋」です", []),
])
def test_round90_findings(text, found):
    """Each fails on the commit before round 90's rules (caf5993)."""
    assert _found(text) == found, lint(text)


@pytest.mark.parametrize(("text", "found"), [
    ("市の中小企業", []),
    ("町の大小付近", []),
    ("マリンポートかごしまで", [("facility", "マリンポートかごしま")]),
    ("カメラならば", []),
    ("日本橋で", [("facility", "日本橋")]),
    ("博多臨港署", []),
])
def test_round90_guards(text, found):
    assert _found(text, learned=True) == found, lint(text)
