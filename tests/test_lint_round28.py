"""Round 28 of issue 14 (from heldout27a/27b's misses): a place's other name in brackets, a ski ground, a steel firm, a
mayor whose association is bracketed after him; and what is no place: the schools of a district, a district named after
its station. The names here are written for these tests."""

from __future__ import annotations

import pytest

from anshin_lab.privacy.lint import lint


def _found(text: str, kind: str) -> list[str]:
    return [f.text for f in lint(text) if f.kind == kind]


@pytest.mark.parametrize("text, name", [
    ("活動拠点:霧島市中央公民館(Mウィング)", "Mウィング"),
    ("県内最大規模の霧島山麓スキー場を有しており", "霧島山麓スキー場"),
    ("副会長には金子昌裕さん=金三鋼業=を新任", "金三鋼業"),
])
def test_round28_facilities(text, name):
    assert name in _found(text, "facility"), lint(text)


def test_a_mayor_with_his_association_in_brackets_is_a_person_not_a_firm():
    text = "まず川合市長(霧島防犯協会会長)の挨拶に続き、報告があった。"
    assert _found(text, "person") == ["川合"] and _found(text, "facility") == [], lint(text)


@pytest.mark.parametrize("text", [
    "上滝校区学校安全パトロール隊",
    "玄関口である鹿児島中央駅前地区の繁華街における客引き行為",
    "鹿児島中央駅(JR)で",  # the operator in brackets is no other name (the station is found)
    "おうちCO-OP若草センター(杉山修馬センター長)と協定を結んだ。",  # a head in brackets is no other name
])
def test_round28_no_other_facility(text):
    allowed = {"鹿児島中央駅", "おうちCO-OP若草センター"}
    assert [f for f in _found(text, "facility") if f not in allowed] == [], lint(text)
