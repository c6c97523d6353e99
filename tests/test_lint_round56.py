"""Round 56 of issue 14 (from heldout55a/55b's misses): a roll of stations' heads and a station whose name joins two
towns (「有田湯浅署長」), the prefecture before its police (「佐賀県警本部長」), a prefecture's regional office, a quoted
housing term, the police school named as a defined term, regional department stores by name. The names here are written
for these tests."""

from __future__ import annotations

import pytest

from anshin_lab.privacy.lint import lint


def _texts(text: str, kind: str, learned: bool = False) -> list[str]:
    return [f.text for f in lint(text, learned=learned) if f.kind == kind]


@pytest.mark.parametrize(("text", "names"), [
    # a roll of heads: 和歌山西 names only a station, so 岩出 (a station, a town and a family name) is one too
    ("署長の異動では、和歌山西署長に川上一彦交通部長、岩出署長に井上英一参事官が就任する。", ["川上一彦", "井上英一"]),
    # a station named after two towns, and its short name later in the text
    ("有田湯浅署長は松本純二交通指導課長が湯浅署長に就いた後に就任する。", ["松本純二"]),
    ("下地さんに大城署長から感謝状が贈られた。", ["大城"]),           # no 大城署: still the head's family name
    ("式では岩出署長があいさつした。", ["岩出"]),                     # no roll: a family name as before
])
def test_station_heads_in_a_roll(text, names):
    assert _texts(text, "person") == names, lint(text)


@pytest.mark.parametrize("text", [
    "大阪府警の生活安全部長や佐賀県警本部長などを歴任しました。",
    "福岡県警は注意を呼びかけている。",
])
def test_a_prefecture_before_its_police_is_no_person(text):
    assert _texts(text, "person", learned=True) == [], lint(text)


@pytest.mark.parametrize(("text", "facilities"), [
    ("県宮古事務所の所長が激励のあいさつをした。", []),
    ("沖縄県宮古事務所で説明会が開かれた。", []),
    ("県日高振興局の職員が参加した。", []),
    ("山田法律事務所で相談を受けた。", ["山田法律事務所"]),
    ("行政が借り上げた「みなし仮設住宅」で仮住まいする。", []),
    ("消費生活相談は「市民総合相談センター」へ", ["市民総合相談センター"]),  # a quoted centre stays a place
    ("滋賀県警察学校(以下「警察学校」という。)および警察署", []),
    ("金沢エムザの周囲にはパトカーが止まった。", ["エムザ"]),
    ("トキハ別府店で買い物をした。", ["トキハ別府店"]),
    ("岩田屋本店の前で", ["岩田屋本店"]),
])
def test_facilities_of_round_56(text, facilities):
    assert _texts(text, "facility") == facilities, lint(text)
