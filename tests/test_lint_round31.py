"""Round 31 of issue 14 (from heldout30a/30b's misses): a chain's branch named after a town with が or a co-op's kana
name, a self-introduction, a venue after its label; no place in a sponsor, a team, a group of people, a police
building, a route's number or a police station before a space. The names here are written for these tests."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from anshin_lab.privacy.lint import lint


def _texts(text: str, kind: str) -> list[str]:
    return [f.text for f in lint(text) if f.kind == kind]


@pytest.mark.parametrize(("text", "shop"), [
    ("「ファミリーマート松山つつじが丘店」で店長に感謝状が贈られた。", "ファミリーマート松山つつじが丘店"),
    ("ファミリーマートJAあいら隼人店(霧島市隼人町)の店員が気付いた。", "ファミリーマートJAあいら隼人店"),
    ("ローソン鹿屋さつきが丘店の前で声をかけられた。", "ローソン鹿屋さつきが丘店"),
])
def test_a_branch_named_after_a_town_with_ga_or_a_co_op_is_read_whole(text, shop):
    assert _texts(text, "facility") == [shop], lint(text)
    assert _texts(text, "person") == [], lint(text)


def test_a_chain_followed_by_ga_and_no_shop_is_the_chain_alone():
    assert _texts("ローソンが丘の上にある。", "facility") == ["ローソン"]


@pytest.mark.parametrize(("text", "name"), [
    ("さくら警察署長の林と申します。", "林"),
    ("担当の森と申します。よろしくお願いします。", "森"),
])
def test_a_speaker_introducing_himself_is_withheld(text, name):
    assert _texts(text, "person") == [name], lint(text)


def test_a_given_name_glued_to_more_hiragana_is_no_name():
    text = "吉野おげんきかい・・・自主防犯組織"
    assert _texts(text, "person") == [], lint(text)


@pytest.mark.parametrize(("text", "venue"), [
    ("2 会 場 ミナミノモリホール 第2会議室(霧島市国分中央1丁目)", "ミナミノモリホール"),
    ("会場:ハミングプラザビップ", "ハミングプラザビップ"),
])
def test_a_venue_after_its_label_is_a_facility(text, venue):
    assert _texts(text, "facility") == [venue], lint(text)


@pytest.mark.parametrize("text", [
    "場所:オンライン",
    "会場 ホームページでお知らせします",
])
def test_a_label_before_a_common_word_names_no_venue(text):
    assert _texts(text, "facility") == [], lint(text)


@pytest.mark.parametrize("text", [
    "第9回表彰式(南日本新聞社、鹿児島テレビ放送、エフエム鹿児島主催、県警後援)が開かれた。",  # sponsors
    "鹿児島市出身でアーティスティックスイミング日本代表の選手が一日署長を務めた。",  # a national team
    "(1)ベトナム人グループによる窃盗事件の検挙について",  # a group of people
    "任意団体「ハートオブピース(代表 田中氏)」が受賞した。",  # a group in quotes
    "併せて、中山駐在所を廃止し吉田分庁舎(吉田交番)に統合します。",  # a police building
    "架空請求詐欺防ぐ 霧島署 コンビニ店長に感謝状",  # a station before a headline's space
    "男「田中さんのお宅ですか?鹿屋市役所のものなんですけど」",  # a claim in speech
    "同社は県警の詐欺未然防止マイスター事業所に認定された。",  # a designation
])
def test_round31_no_facility(text):
    assert _texts(text, "facility") == [], lint(text)


def test_a_school_hosting_an_event_is_still_named():
    assert _texts("山下小学校主催の防犯教室が開かれた。", "facility") == ["山下小学校"]


def test_a_routes_number_in_brackets_is_no_room():
    assert _texts("交差点西側、県道鹿児島加世田線(205号)路上付近", "exact_address") == []
    assert _texts("コーポ山田(205号)で", "exact_address") == ["205号"]


@settings(max_examples=40, deadline=None)
@given(road=st.sampled_from(["県道鹿児島加世田線", "国道", "市道山田線", "主要地方道"]),
       number=st.integers(min_value=100, max_value=9999))
def test_no_routes_number_is_an_exact_address(road, number):
    text = f"{road}({number}号)の路上で"
    assert _texts(text, "exact_address") == [], lint(text)
