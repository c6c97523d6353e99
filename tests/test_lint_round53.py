"""Round 53 of issue 14 (from heldout52a/52b's misses): a chair's family name read as a place, a full name before a
town's head, a committee's roll, a head's greeting, an age after the home in brackets, a roadside station named in
kana, a trade's quoted shop, a school of two levels and its clubs; no firm in a reading, a sport or a place's group.
The names here are written for these tests."""

from __future__ import annotations

import pytest

from anshin_lab.privacy.lint import lint


def _texts(text: str, kind: str, learned: bool = True) -> list[str]:
    return [f.text for f in lint(text, learned=learned) if f.kind == kind]


@pytest.mark.parametrize(("text", "names"), [
    ("署長が感謝状を豊岡会長に手渡した。", ["豊岡"]),   # 豊岡 is a city too: a 会長 chairs a body, never a town
    ("感謝状を西尾会長に手渡した。", ["西尾"]),
    ("島根県会長 小林洋子", ["小林洋子"]),            # a prefecture's chair: the prefecture is no name
])
def test_a_chair_whose_family_name_is_a_place(text, names):
    assert _texts(text, "person", learned=False) == names, lint(text)


@pytest.mark.parametrize(("text", "names"), [
    ("防犯協会(会長・松田愛人瀬戸内町長)は10日、キャンペーンを開いた。", ["松田愛人"]),
    ("配布には元山公知村長をはじめ、約20人が参加した。", ["元山公知"]),
    ("来賓を代表して大久保貴市長があいさつした。", ["大久保貴"]),   # no longer 「大久保貴市」
    ("地元町長があいさつした。", []),
    ("元鹿児島市長があいさつした。", []),
])
def test_a_full_name_before_a_towns_head(text, names):
    assert _texts(text, "person", learned=False) == names, lint(text)


def test_a_committees_roll_names_every_member():
    text = "出席者 佐藤委員長、伊藤委員、岩沼委員、小堀委員、秋口委員"
    assert _texts(text, "person", learned=False) == ["佐藤", "伊藤", "岩沼", "小堀", "秋口"], lint(text)
    assert _texts(text := "各委員、全委員、同委員が出席した。", "person", learned=False) == [], lint(text)


def test_a_heads_greeting_names_him_even_by_one_kanji():
    assert _texts(text := "3月の異動により、中央警察署長に着任いたしました岡です。", "person", learned=False) == ["岡"], lint(text)
    assert _texts(text := "署の前です。", "person", learned=False) == [], lint(text)


@pytest.mark.parametrize(("text", "age", "group"), [
    ("防犯功労章を受けた佐藤秀雄さん(坊沢字屋敷、69歳)が市役所を訪れた。", "69歳", "60歳代"),
    ("個人功労に狩俣勝男さん(49、平良東仲宗根)が表彰された。", "49", "40歳代"),
])
def test_an_age_beside_the_home_in_brackets(text, age, group):
    found = [f for f in lint(text, learned=False) if f.kind == "person"]
    assert [(f.text, f.suggestion) for f in found][1:] == [(age, group)], found


@pytest.mark.parametrize(("text", "place"), [
    ("出動式は14日、楢葉町の道の駅ならはで行われた。", ["道の駅ならは"]),
    ("道の駅ならではの味を楽しんだ。", []),
    ("岐阜駅南口にある人気パン屋「サカエパン」の前で啓発した。", ["岐阜駅", "サカエパン"]),
    ("部屋「和室」で休んだ。", []),
    ("講師を招き、武田中高で防犯教室が開かれた。", ["武田中高"]),
    ("市内中高で防犯教室が開かれた。", []),
    ("神久呂中陸上競技部の部長は「目を光らせたい」と話した。", ["神久呂中"]),
    ("最近、わかさ公園で子どもが写真を撮られた。", ["わかさ公園"]),
])
def test_places_named_in_new_shapes(text, place):
    assert _texts(text, "facility", learned=False) == place, lint(text)


@pytest.mark.parametrize("text", [
    "宇都宮中央警察署(うつのみやちゅうおうけいさつしょ)は、県警の警察署の一つである。",  # a reading, not the firm
    "選手は自転車トライアルの技を見せた。",        # a sport, not the supermarket
    "「県警子供見守りプロジェクト(高野山グループ)」が発足した。",  # the members of a place
    "急きょ、校内テレビ放送で不審者への対応を話した。",
    "市に対して幼少中学校や通学路に防犯カメラを設置するよう提案した。",
])
def test_no_facility_in_these(text):
    assert _texts(text, "facility", learned=False) == [], lint(text)


def test_a_firms_group_and_a_chain_after_an_area_stay_facilities():
    assert _texts(text := "高知県警とヤマトグループ3社が協定を結んだ。", "facility", learned=False) == ["ヤマトグループ"], lint(text)
    assert _texts(text := "市内ローソンで声をかけられた。", "facility", learned=False) == ["ローソン"], lint(text)
