"""Round 37 of issue 14 (from heldout36a/36b's misses): a castle-like given name before a title, a name read on into
a university, a firm's name ending in 株式会社, a cut-short given name before ちゃん and its age, a community centre
named by a common word, a school's club and honorary professor, a town's lot in brackets, and no place in a police
box's or a crossing's name, an action word (下校), a quoted thing (と・いう), a patrol group or a list joined by および.
The names here are written for these tests."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from anshin_lab.privacy.lint import lint


def _texts(text: str, kind: str) -> list[str]:
    return [f.text for f in lint(text) if f.kind == kind]


def test_a_given_name_ending_in_castle_before_a_title_is_a_person():
    text = "防犯協会の大森喜城会長があいさつした。"
    assert _texts(text, "person") == ["大森喜城"], lint(text)
    assert _texts(text, "facility") == []


def test_a_name_read_on_into_a_university_is_the_name_then_the_university():
    text = "連盟会長の岡田誠一郎山梨大名誉教授(81)は決意を話した。"
    assert _texts(text, "person") == ["岡田誠一郎", "(81)"], lint(text)
    assert _texts(text, "facility") == ["山梨大"]


def test_a_firms_name_ending_in_its_legal_form_does_not_start_another_firm():
    text = "東日本電信電話株式会社 執行役員千葉支店長 佐野 和也 様"
    assert "東日本電信電話株式会社" in _texts(text, "facility"), lint(text)
    assert not any("執行役員" in t for t in _texts(text, "facility"))
    assert "株式会社南日本" in _texts("市内の株式会社南日本の倉庫", "facility")


def test_a_given_name_cut_short_before_chan_is_read_whole_with_its_age():
    text = "坂井市の伊東優意花ちゃん(5)はパトカーの運転席に座った。"
    assert _texts(text, "person") == ["伊東優意花", "(5)"], lint(text)


@pytest.mark.parametrize(("text", "place"), [
    ("9月30日まで共栄コミセンは休館となります。", "共栄コミセン"),
    ("桂小では樫原中吹奏楽の演奏もあった。", "樫原中"),
])
def test_round37_facility(text, place):
    assert place in _texts(text, "facility"), lint(text)


def test_a_towns_lot_in_brackets_after_a_building_is_an_exact_address():
    text = "老朽化した小机交番(小机町2534)の解体が始まった。"
    assert _texts(text, "exact_address") == ["小机町2534"], lint(text)
    assert _texts("会場(小机町3)", "exact_address") == []  # a low number may be a 丁目


@pytest.mark.parametrize("text", [
    "メモを取る県庁前交番の所長",  # a police box named after what it faces
    "新横浜駅入口交差点の歩道橋そばで工事が進む。",  # a crossing named after a station
    "相鉄・東急新横浜線および新駅を建設する関係で移転した。",  # a list joined by および
    "児童の安全 地域で守る 津嘉山老人会 下校時の巡回",  # 下校 is no school
    "そして私どもの東区役所というところに係ができました。".replace("東区役所", "区の役所"),  # と quotes
    "タウンポリス西土佐",  # a patrol group named after its town
    "大崎学校区児童生徒下校見回り隊の会長",  # a school district
])
def test_round37_no_facility(text):
    assert _texts(text, "facility") == [], lint(text)


def test_a_bank_or_office_listed_with_to_still_counts():
    assert _texts("東区役所というところに安心安全係ができました。", "facility") == ["東区役所"]
    assert "きらっしぇ" in _texts("童里夢公園やきらっしぇに行きました", "facility")


@pytest.mark.parametrize("text", [
    "当時の中日本高速社長らを書類送検した。",  # a firm named after a region
    "支える体制 特別防犯対策監・杉良太郎さん",  # a title's field
    "退官される金橋さんという係長さんが置き土産をした。",  # the verb of という
    "歩行者環境シミュレーター「わたりジョーズ君」で横断を体験した。",  # a device's name
])
def test_round37_no_person_but_the_named_one(text):
    assert all(t in ("杉良太郎", "金橋") for t in _texts(text, "person")), lint(text)


def test_a_stations_number_after_the_area_it_serves_in_brackets_is_police_contact():
    assert _texts("光警察署(周南市熊毛地区) ☎0833-72-0110", "phone") == []
    assert _texts("光警察署(周南市熊毛地区) ☎0833-72-1234", "phone") == ["0833-72-1234"]  # not ending in 0110
    assert _texts("光自動車(周南市熊毛地区) ☎0833-72-0110", "phone") == ["0833-72-0110"]  # not the police


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(["下校", "登校", "休館", "開店", "入港"]), st.sampled_from(["老人会", "見守り隊", "町内会"]))
def test_an_action_word_ending_in_a_kind_is_no_place(action, body):
    text = f"津嘉山{body} {action}時の巡回を続けている。"
    assert not any(action in t for t in _texts(text, "facility")), lint(text)
