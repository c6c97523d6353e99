"""Round 46 of issue 14 (from heldout45a/45b's misses): a family and a given name padded apart by two spaces are one
name; no person before a historical police post (「…巡査駐在所」) or ending in 各; no place in a national team, a police
station's renamed part or branch, or a fraud-prevention programme named like a centre. The names here are written for
these tests."""

from __future__ import annotations

import pytest

from anshin_lab.privacy.lint import lint


def _texts(text: str, kind: str) -> list[str]:
    return [f.text for f in lint(text) if f.kind == kind]


@pytest.mark.parametrize("text", ["森  雅幹", "澤  紀男"])
def test_a_name_padded_with_two_spaces_is_one_finding(text):
    assert _texts(text, "person") == [text], lint(text)


@pytest.mark.parametrize(("text", "names"), [
    ("また、下灘村役場には、上灘交番所下灘巡査駐在所が併設されることとなった。", []),
    ("大字上灘に大栄口巡査駐在所が新設された。", []),
    ("山岸警察本部長外各次長、課長、関係職員", ["山岸"]),
    ("マラソン日本代表の小林香菜選手を特別防犯支援官に迎えた。", ["小林香菜"]),
])
def test_round46_person(text, names):
    assert _texts(text, "person") == names, lint(text)


@pytest.mark.parametrize("text", [
    "マラソン日本代表の小林香菜選手を特別防犯支援官に迎えた。",
    "統合される署の名称についても、分庁舎を「警察センター」に変更。",
    "1891年には「浦上警察署時津分署」に改称された。",
    "ニセ電話詐欺被害防止コールセンター事業(通称「まっ太くんコール」)について",
])
def test_round46_no_facility(text):
    assert _texts(text, "facility") == [], lint(text)


def test_a_named_centre_still_is_one():
    assert _texts(text := "鹿児島市消費生活センターに相談した。", "facility") == ["鹿児島市消費生活センター"], lint(text)
