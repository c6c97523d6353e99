"""Round 34 of issue 14 (from heldout33a/33b's misses): schools listed before 「の各小学校」, a school named by one
direction before its district, a station named by its master, the prime minister's residence and family name, the
prefecture's consumer support centre; no place in a district before its head's title, a group's patrol, a building's
construction, a river named after a temple, an expressway; no person in mascots a text calls キャラ, 「許さん」, a
district in brackets, and the 京都府警 switchboard is the police's. The names here are written for these tests."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from anshin_lab.privacy.lint import lint


def _texts(text: str, kind: str) -> list[str]:
    return [f.text for f in lint(text) if f.kind == kind]


@pytest.mark.parametrize(("text", "places"), [
    ("近隣の田川、源池、開智の各小学校の登下校時に立った。", ["田川", "源池", "開智"]),
    ("事件後、北中学区ではPTAが警戒を強めている。", ["北中"]),
    ("構成員はJR鯖江駅長、歯科医師など。", ["鯖江駅"]),
    ("首相官邸で開催された表彰式に出席した。", ["首相官邸"]),
    ("県消費生活支援センター及び市町の窓口に相談が寄せられた。", ["県消費生活支援センター"]),
])
def test_round34_facilities(text, places):
    assert _texts(text, "facility") == places, lint(text)


@pytest.mark.parametrize("text", [
    "市内、町内の各小学校で訓練を行った。",
    "東京、大阪の各学校で",
    "謡いは伊勢宮区長の方です。",
    "白山地区マイタウン・パトロール隊",
    "新室戸警察署建設の用地取得費用が認められた。",
    "ビジネスホテル建設に伴い撤去した。",
    "富山市の東、常願寺川のほとりで活動している。",
    "長崎自動車道のインターチェンジが供用された。",
])
def test_round34_no_facility(text):
    assert _texts(text, "facility") == [], lint(text)


@pytest.mark.parametrize(("text", "names"), [
    ("湖東エリアを担当する彦愛犬のキャラは、ひこにゃん、よいとちゃん(豊郷)、ココラちゃん(甲良)が参加した。", []),
    ("「平成26年ゆる3(許さん)プロジェクト防犯キャンペーン」", []),
    ("「留守番君」は、来訪者をセンサーで感知する。", []),
    ("会長大城清新(高志保区長)副会長城間正繁", ["城間正繁"]),
    ("白石区(長谷川豊区長)と白石区民協議会が開催した。", ["長谷川豊"]),
    ("奈良県で発生した安倍元総理銃撃事件について述べた。", ["安倍"]),
    ("許容疑者を逮捕した。", ["許"]),
])
def test_round34_persons(text, names):
    assert [n for n in _texts(text, "person") if n != "大城清"] == names, lint(text)


def test_the_kyoto_police_switchboard_is_the_polices_but_a_spoof_of_it_is_a_phone():
    text = "府警本部の代表番号075(451)9111に似た「+180-075(451)9111」と表示される着信があった。"
    assert _texts(text, "phone") == ["+180-075(451)9111"], lint(text)


@settings(max_examples=30, deadline=None)
@given(names=st.lists(st.sampled_from(["源池", "開智", "清水", "旭", "桜ヶ丘", "緑"]), min_size=2, max_size=4, unique=True),
       kind=st.sampled_from(["小学校", "中学校", "学校"]))
def test_every_school_listed_before_each_is_withheld(names, kind):
    text = f"近隣の{'、'.join(names)}の各{kind}で見守り活動をした。"
    assert _texts(text, "facility") == names, lint(text)
