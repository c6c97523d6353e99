"""Round 32 of issue 14 (from heldout31a/31b's misses): heads named before their station or their prefecture's police,
given names in brackets, a called-out さん, a venue where an event was held, the prefecture's own university, a school
named by one direction; no place in an area, an address's 字, a vessel or a list of stations; no person in a medal, a
party, a campaign, digits read out or a firm's branch. The names here are written for these tests."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from anshin_lab.privacy.lint import lint


def _texts(text: str, kind: str) -> list[str]:
    return [f.text for f in lint(text) if f.kind == kind]


@pytest.mark.parametrize(("text", "names"), [
    ("あいさつする難波県警本部長=20日午後", ["難波"]),
    ("種谷県警察本部長から挨拶", ["種谷"]),
    ("中居防犯協会長、筒井稚内署生安課長らが参加。", ["中居", "筒井"]),
    ("筒井稚内署長らが参加した。", ["筒井"]),
    ("高田校区からは江藤(正光)自治会長、民生委員の向(益夫)さんが参加しました。", ["江藤", "正光", "向", "益夫"]),
    ("子どもたちからも「高野さ~ん」と呼ばれています。", ["高野"]),
])
def test_round32_persons(text, names):
    assert _texts(text, "person") == names, lint(text)


@pytest.mark.parametrize("text", [
    "同県警本部長があいさつした。",
    "鹿児島(中央)署長が出席した。",
    "県少年相談員連絡協議会の会長が金章の受章者に表彰状を手渡した。",
    "公明党文京区議団",
    "全ての人々がちゅらさん運動を実践し",
    "「ゼロ・ゴー・ナナ・ゼロ 守ろうよ、みんなを!」と覚えてください。",
    "左から署長、対応した当社の社員、青森支社長",
    "過去、中洲警部交番所長として勤務した。",
])
def test_round32_no_person(text):
    assert _texts(text, "person") == [], lint(text)


@pytest.mark.parametrize(("text", "place"), [
    ("宇都宮市野沢町のパルティで「地域安全県民のつどい」を開き、功労者を表彰した。", "パルティ"),
    ("運動の「出発式」を上田市のサントミューゼで行った。", "サントミューゼ"),
    ("県立医科大学や駅に近いこともあり訪れる人が多い。", "県立医科大学"),
    ("稚内署は13日、南小で1年生72人を対象に周知活動を行った。", "南小"),
    ("鈍川の玉川ダムとの分岐点にある。", "玉川ダム"),
])
def test_round32_facilities(text, place):
    assert place in _texts(text, "facility"), lint(text)


@pytest.mark.parametrize("text", [
    "緑園連合自治会は優良防犯団体として表彰された。",  # a town before its residents' body
    "太白防犯協会は、太子堂町内会と連携した。",
    "札幌北地区 | 新琴似西 地域安全パトロール隊",  # an area
    "茨城都民が住むニュータウン長山地区の住民パトロール隊",
    "西繁市(岡本駅前三区自治会)",  # a station's district
    "畠山康一さん(69)=綴子字胡桃館=が市役所を訪れた。",  # an address's 字 (the bare 市役所 stays a place)
    "宮崎県警は、警察用船舶「あおしま」で離島に上陸した。",  # a vessel
    "そこで前橋、前橋東、高崎の3警察署は7月、チラシを配った。",  # a list of stations
    "市のホームページで公開を行った。",
    "県立高校の生徒が参加した。",  # any of the prefecture's high schools
    "北に向かって歩いた。",
])
def test_round32_no_named_facility(text):
    assert [f for f in _texts(text, "facility") if f != "市役所"] == [], lint(text)


@settings(max_examples=30, deadline=None)
@given(surname=st.sampled_from(["筒井", "山田", "鈴木", "高橋"]),
       town=st.sampled_from(["稚内", "霧島", "鹿屋", "枕崎", "出水"]),
       title=st.sampled_from(["署長", "署副署長", "署生安課長", "警察署長", "署刑事課長"]))
def test_a_heads_family_name_before_his_stations_town_is_the_name_alone(surname, town, title):
    text = f"{surname}{town}{title}らが出席した。"
    assert _texts(text, "person") == [surname], lint(text)
