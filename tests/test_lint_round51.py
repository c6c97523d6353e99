"""Round 51 of issue 14 (from heldout50a/50b's misses): an association's treasurer; a police box's number after
「の連絡先は」; no place in a community patrol named after its town, no person in a city's mascot. The names here are
written for these tests."""

from __future__ import annotations

import pytest

from anshin_lab.privacy.lint import lint


def _texts(text: str, kind: str) -> list[str]:
    return [f.text for f in lint(text) if f.kind == kind]


@pytest.mark.parametrize(("text", "names"), [
    ("石原事務局長、(後列右)大塚会計担当", ["石原", "大塚"]),
    ("大塚俊夫会計担当(45)が出席した。", ["大塚俊夫", "(45)"]),
])
def test_an_associations_treasurer(text, names):
    assert _texts(text, "person") == names, lint(text)


def test_a_police_boxs_number_after_its_contact_label():
    assert _texts(text := "交番の連絡先はTEL(951)0110。", "phone") == [], lint(text)
    assert _texts(text := "交番の連絡先はTEL(951)1234。", "phone") == ["(951)1234"], lint(text)


def test_a_community_patrol_is_no_place():
    assert _texts(text := "須屋コミュニティパトロール隊は校区を巡回。", "facility") == [], lint(text)


def test_a_citys_mascot_is_no_person():
    assert _texts(text := "子役の斎藤さん一日署長、こにゅうどうくんも出発式に", "person") == ["斎藤"], lint(text)
