"""Round 30 of issue 14 (from heldout29a/29b's misses): a list of officials by family name, department and head's
title. The names here are written for these tests."""

from __future__ import annotations

import pytest

from anshin_lab.privacy.lint import lint


def _persons(text: str) -> list[str]:
    return [f.text for f in lint(text) if f.kind == "person"]


def test_every_family_name_of_a_list_of_department_heads_is_withheld():
    text = "小倉地域振興部長、森谷文化観光スポーツ局長、長谷川県土整備部長、"
    assert _persons(text) == ["小倉", "森谷", "長谷川"], lint(text)


def test_a_list_written_with_spaces_is_read_the_same():
    assert "梅林" in _persons("田中調査課課長補佐 梅林調査課係長 山本法務政策課係長")


@pytest.mark.parametrize("text", [
    "鹿児島中央警察署生活安全課長、霧島警察署刑事課長が出席した。",  # stations and their sections, no one named
    "県民生活部長、総務部長、警察本部長が出席した。",
])
def test_a_list_of_offices_names_no_one(text):
    assert _persons(text) == [], lint(text)


@pytest.mark.parametrize("text", [
    "固定電話に池袋駅前郵便局の局員を名乗る男から電話があった。",  # the claimed post office, not the station
    "コース:観音寺交差点→下鶴間公園(Uターン)→目黒交差点",     # a crossing's name; an instruction in brackets
    "個人で栄町団地親交会の田中会長が表彰された。",              # an estate's residents' body
])
def test_round30_no_other_facility(text):
    assert [f.text for f in lint(text) if f.kind == "facility" and f.text != "下鶴間公園"] == [], lint(text)


def test_a_bodys_branch_before_its_heads_title_is_no_person():
    assert _persons("長岡地域防犯協会四郎丸支部長・高橋房雄さんに話を聞いた。") == ["高橋房雄"]
