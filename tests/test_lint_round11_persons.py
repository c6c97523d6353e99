"""Round 11 of issue 14, persons: ages after a compound title, family names before 警察署長 / 消防署長, heads of a
ward or station the text names, a bare family name before さん in a story, after a date, a byline line, a role's
alias before 名乗る, a family name read alone, and the look-alikes that are no persons (animals, units of an
association, names inside a group's name).

Every sentence and name here is written for the test (no corpus sentence), so they test the shapes, not the corpus.
"""

from __future__ import annotations

import pytest

from anshin_lab.privacy.lint import lint


def _persons(text: str) -> list[str]:
    return [f.text for f in lint(text) if f.kind == "person"]


NAMED = [
    # the exact age after a name and a title with a unit or rank before it
    ("同社の森川健一営業部長(52)は話した。", ["森川健一", "(52)"]),
    ("同行北山支店の寺岡直樹統括支店長(47)は「よかった」と話した。", ["寺岡直樹", "(47)"]),
    # the press's age and home in one bracket: the age alone
    ("会社員・松浦拓真容疑者(31=同県高松市)を逮捕した。", ["松浦拓真", "31"]),
    # a family name right before 警察署長, in a caption's row
    ("写真=(右から)高木警察署長、村井区長", ["高木", "村井"]),
    # a head quoted by name in a text that names no station
    ("河合署長は「冷静な対応に感謝したい」と話した。", ["河合"]),
    # a bare family name before さん in a story that names someone with さん
    ("岩城さんは杉沢さんに相談し、すぐに通報した。", ["岩城", "杉沢"]),
    # a family name of the dictionary as the subject after a date
    ("19年4月に堀口が活動を始め、今は12人が参加する。", ["堀口"]),
    # a byline alone on its line: a foreign family name and a given name in kanji
    ("(ロドリゲス真也)", ["ロドリゲス真也"]),
    # an alias in quotes after a role and ・, before 名乗る
    ("SNSでは「投資家・鷹丸」と名乗っていた。", ["鷹丸"]),
    # a family name read alone (its reading ends with ・), then the given name read
    ("会長の森下(もりした・)健吾(けんご)さんが表彰された。", ["森下", "(もりした・)", "健吾", "(けんご)"]),
]


@pytest.mark.parametrize("text, names", NAMED)
def test_names_of_round11_shapes(text, names):
    assert _persons(text) == names


CLEAN = [
    # the head of a ward or station the text names
    "式は港北区役所で開かれ、港北区長と港北警察署長が出席した。",
    # a station's town before 警察署長: no family name of the dictionary
    "南千住警察署長が訓示した。",
    "金沢東警察署長は話した。",
    # a head of a station, not quoted
    "高輪署長は、パトロールの強化を指示しました。",  # (谷山署 until round 54: no station is called so)
    # animals named like children
    "3頭のポニーのうち、オスのまめた君とメスのさくらちゃんが人気です。",
    # a place before the unit of an association, with its reading
    "防犯協会・東野(ひがしの)分会長の村田さんが表彰された。",
    "御坊市の南浜(みなみはま)地区パトロール隊が表彰された。",
    # a name inside the quoted name of a group
    "今度は「森田ひなたパトロール隊」になった。",
    # words of people before さん
    "岩城さんは奥さんに相談した。",
    "岩城さんと店員さんが対応した。",
    # a date, then no family name
    "2月に警察が注意を呼びかけた。",
]


@pytest.mark.parametrize("text", CLEAN)
def test_round11_look_alikes_are_no_persons(text):
    assert [name for name in _persons(text) if name not in _REAL] == []


# The persons these clean sentences do name (the look-alike is the other word).
_REAL = {"村田", "岩城"}
