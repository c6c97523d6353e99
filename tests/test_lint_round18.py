"""Round 18 of issue 14 (from heldout17a/17b's misses): a count of people is no claim (「16名の」 is not 名のる),
ward offices and their staff, community radio, a bank with の in its name, a temple before its priest, a firm's
head office before 傘下 and a branch before a name, a town named after its station, 同市 before a town, ッ in a
place's name, a patrol car's nickname and an era set out with spaces. The names here are written for these
tests."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from anshin_lab.privacy.lint import lint


def _found(text: str, kind: str) -> list[str]:
    return [f.text for f in lint(text) if f.kind == kind]


@settings(max_examples=40, deadline=None)
@given(st.integers(2, 99), st.integers(2, 200), st.sampled_from(["警察官", "職員", "署員", ""]))
def test_a_count_of_people_after_a_list_is_no_claim(count, total, staff):
    text = (f"職員3名(川原こども家庭相談センター・北山子どもセンター)、県内から{staff}{count}名の計{total}名が参加した。")
    assert _found(text, "facility") == ["川原こども家庭相談センター", "北山子どもセンター"]


@pytest.mark.parametrize("text", ["市役所の職員を名のる男から電話", "銀行員となのる者が訪問", "税務署の職員と名のり"])
def test_the_forms_of_nanoru_still_claim(text):
    assert _found(text, "facility") == []


@pytest.mark.parametrize("text, name", [
    ("署員4人と西区役所職員2人が参加した。", "西区役所"),
    ("相模原市緑区役所で防犯教室を開いた。", "相模原市緑区役所"),
    ("FMさくらじまの番組で呼びかけた。", "FMさくらじま"),
    ("エフエムかのやの佐藤代表が一日署長を務めた。", "エフエムかのや"),
    ("星の杜信用金庫の窓口で引き出しを止めた。", "星の杜信用金庫"),
    ("同市本町の光明院住職、山本恵心さんに感謝状を贈った。", "光明院"),
    ("北陸ホールディングス傘下の運送会社と協定を結んだ。", "北陸ホールディングス"),
    ("南九州支社中原和夫支社長は話した。", "南九州支社"),
    ("【インタビュー】南国銀行谷山支店上野健二さん", "南国銀行谷山支店"),
    ("鹿児島ヤクルト三ッ沢センターの職員が見守り活動を行う。", "三ッ沢センター"),
])
def test_round18_facilities(text, name):
    assert name in _found(text, "facility")


@pytest.mark.parametrize("text, name", [
    ("【インタビュー】南国銀行谷山支店上野健二さん", "上野健二"),
    ("南九州支社中原和夫支社長は話した。", "中原和夫"),
])
def test_round18_the_name_after_an_office_is_the_name_alone(text, name):
    assert _found(text, "person") == [name]


@pytest.mark.parametrize("text", [
    "FMラジオで聞いた。", "ラジオ(FM)で流れた。", "AM・FM放送で呼びかけた。", "県の地方銀行と協定を結んだ。",
    "鹿児島の信用金庫で", "市役所の職員を名乗る男",
])
def test_round18_no_facility(text):
    assert _found(text, "facility") == []


@pytest.mark.parametrize("text", [
    "セブン‐イレブン霧島駅前店=霧島市国分駅前2丁目=の店員",
    "同市小松原通の同本部で調印式を行った。",
    "青色パトカーの愛称が「まもるくん」に決まりました。",
    "「まもるくん」は通学路のパトロールをしています。",
    "平 成 2 8 年 度 第 2 回 協議会 議事概要",
    "令 和 5 年 度 第 1 回",
])
def test_round18_no_false_station_person_or_era(text):
    found = lint(text)
    assert [f for f in found if f.kind == "person"] == []
    assert all(not f.text.endswith("駅") for f in found if f.kind == "facility")


@pytest.mark.parametrize("text, name", [("「ゆうとくん」が行方不明になった。", "ゆうと"), ("「ゆいちゃん」と声をかけ", "ゆい")])
def test_a_childs_quoted_name_is_still_a_person(text, name):
    assert _found(text, "person") == [name]
