"""Round 13 of issue 14, facilities: media named alone on a line, a bank's branches listed with 「・」 under one 支店,
a JA in hiragana before its branch, and the clean shapes (a police building named after its town, whom a place is
for before its kind, a kind word SudachiPy does not know, a medical association, a coined network's name).
The names here are written for these tests."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from anshin_lab.privacy.lint import lint


def _facilities(text: str) -> list[str]:
    return [f.text for f in lint(text) if f.kind == "facility"]


@pytest.mark.parametrize("text, name", [
    ("日刊港湾建設新聞", "日刊港湾建設新聞"),
    ("週刊農林新聞", "週刊農林新聞"),
    ("東毎ジャーナル", "東毎ジャーナル"),
    ("産経ニュース", "産経ニュース"),
    ("本文の後に\n/東信ジャーナル", "東信ジャーナル"),
])
def test_a_medium_alone_on_its_line_is_found(text, name):
    assert name in _facilities(text)


@pytest.mark.parametrize("text", [
    "防犯ニュース",
    "安全安心ニュース",
    "鹿児島ニュース",
    "地域の防犯ニュースをお届けします",
])
def test_a_heading_of_news_is_clean(text):
    assert _facilities(text) == []


@pytest.mark.parametrize("text, name", [
    ("感謝状が贈られたのは佐伯銀行上浦・米水津・鶴見支店の職員に感謝状を贈った。", "佐伯銀行上浦・米水津・鶴見支店"),
    ("◆豊後信用金庫本町・中町支店 職員に感謝状", "豊後信用金庫本町・中町支店"),
    ("JAみやぎ南白石支店は駐在所の協力を得て呼び掛けた。", "JAみやぎ南白石支店"),
])
def test_branches_sharing_one_branch_word_are_one_span(text, name):
    found = _facilities(text)
    assert name in found
    assert not any(f != name and f in name for f in found)


@given(st.sampled_from(["上浦", "米水", "鶴見", "本町", "中原", "北浜"]),
       st.sampled_from(["津留", "日岡", "萩原", "西町", "南台"]))
@settings(max_examples=15, deadline=None)
def test_any_two_branches_under_one_branch_word(first, second):
    text = f"大野銀行{first}・{second}支店の窓口で詐欺を防いだ。"
    assert f"大野銀行{first}・{second}支店" in _facilities(text)


@pytest.mark.parametrize("text", [
    "不同意わいせつの疑いで郡山南署安積分庁舎の巡査長が逮捕された。",
    "東警察署本郷庁舎の会議室で講習を行った。",
    "3丁目のちびっこ広場で男が声をかけた。",
    "商店街前のドーム広場でキャンペーンを行った。",
    "放課後等デイサービスを利用する児童",
    "▼緑区歯科医師会/ほか1社",
    "協定(SUZUKAまるごとアイネット)を締結した。",
])
def test_clean_shapes_stay_clean(text):
    assert _facilities(text) == []
