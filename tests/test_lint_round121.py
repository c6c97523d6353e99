"""Round 121 of issue 14 (rules from heldout120a/120b's misses, read after they were scored), in sentences written for
these tests: a town and its lot in kanji digits read one by one, in brackets after a member's name, as a list of members'
homes prints it (「(座喜味一二三四の五)」「(波平二〇五)」); and no finding for a student of a university by its short name
(「金大生」: the university is found, no person), police stations listed before 両署 (「七尾、大聖寺両署」), a professional
team after its league's short name in brackets (「Bリーグ1部(B1)のレバンガ北海道」) or the national counselling centre for
victims of sexual violence (「ワンストップ支援センター」)."""

from __future__ import annotations

import pytest

from anshin_lab.privacy.lint import lint


def _found(text: str, learned: bool = False) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in lint(text, learned=learned)]


@pytest.mark.parametrize(("text", "found"), [
    ("・会員 山城ツル子さん(座喜味一二三四の五)", [("person", "山城ツル子"), ("exact_address", "座喜味一二三四の五")]),
    ("□ 新垣一郎さん(波平二〇五)", [("person", "新垣一郎"), ("exact_address", "波平二〇五")]),
    ("金大生が見守り活動に参加した。", [("facility", "金大")]),
    ("七尾、大聖寺両署の署員が参加した。", []),
    ("Bリーグ1部(B1)のレバンガ北海道に感謝状が贈られた。", []),
    ("相談は(性暴力被害者のためのワンストップ支援センター)へ。", []),
])
def test_round121(text, found):
    """Each fails on the commit before round 121's rules (ab8c70d): the lots were not read, the student was a person,
    the station a temple, the team and the centre facilities."""
    assert _found(text) == found, lint(text, learned=False)


@pytest.mark.parametrize(("text", "found"), [
    ("・会員 山城ツル子さん(座喜味12)", [("person", "山城ツル子")]),
    ("鶴丸城で", [("facility", "鶴丸城")]),
    ("金大の学生が", [("facility", "金大")]),
    ("レバンガ北海道の選手が来た。", []),
    ("開設(大字下里187)、", [("exact_address", "大字下里187")]),
])
def test_round121_guards(text, found):
    """Pass before and after round 121's rules: what they must not change."""
    assert _found(text) == found, lint(text)
