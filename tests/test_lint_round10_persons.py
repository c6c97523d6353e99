"""Round 10 of issue 14, persons: readings as findings of their own, heads of no municipality, shop titles, bylines
alone in 【】, 「=当時(NN)=」, names set out with spaces, and the look-alikes that are no persons.

Every sentence and name here is written for the test (no corpus sentence), so they test the shapes, not the corpus.
"""

from __future__ import annotations

import pytest

from anshin_lab.privacy.lint import lint


def _persons(text: str) -> list[str]:
    return [f.text for f in lint(text) if f.kind == "person"]


NAMED = [
    # a reading right after a name is its own finding, whatever finds the name and however many parts it has
    ("店長村雨康弘(むらさめやすひろ)さんに感謝状を贈った。", ["村雨康弘", "(むらさめやすひろ)"]),
    ("副店長泉田早苗(いずみださなえ)さんと店員大森(おおもり)さんが対応した。",
     ["泉田早苗", "(いずみださなえ)", "大森", "(おおもり)"]),
    ("塩見達也(しおみたつや)署長から感謝状を受け取った。", ["塩見達也", "(しおみたつや)"]),
    ("会社員湯川稔(ゆかわみのる)さん(48)に感謝状を贈った。", ["湯川稔", "(ゆかわみのる)", "(48)"]),
    # ... also a family name read alone before a unit and its title
    ("梶木(たかし)生活安全課長は話した。", ["梶木", "(たかし)"]),
    ("大泉(まもる)地域課長が説明した。", ["大泉", "(まもる)"]),
    # a family name before 市長 / 町長 where it and 市 / 町 make no municipality
    ("防犯協会(会長・西川市長)は感謝状を贈った。", ["西川"]),
    ("防犯協会(会長・大島市長)は感謝状を贈った。", ["大島"]),
    # a name before 代表 / ストアマネジャー / サブマネジャー, also one SudachiPy reads as a place and cuts up
    ("同店では中山辰司代表が来店客に注意を呼びかけた。", ["中山辰司"]),
    ("桑原ストアマネジャーは話した。", ["桑原"]),
    ("店の森下智也サブマネジャーが対応した。", ["森下智也"]),
    # a byline alone in 【】, also with a family name the dictionary reads as a common word
    ("【柏木淳】", ["柏木淳"]),
    ("【石垣誠】", ["石垣誠"]),
    # the press's 「=当時(NN)=」 after a name
    ("殺害された会社員、沢井和美さん=当時(61)=の事件で", ["沢井和美", "(61)"]),
    # a name set out one kanji at a time, taken whole
    ("村長 杉  本 和  也", ["杉  本 和  也"]),
]


@pytest.mark.parametrize("text, names", NAMED)
def test_names_of_round10_shapes(text, names):
    assert _persons(text) == names


CLEAN = [
    "大島町長があいさつした。",           # the head of 大島町
    "豊岡市長があいさつした。",
    "生安課長が説明した。",                # 生安 = 生活安全, a unit
    "長年の活動が認められ、防犯功労金章(全国防犯協会連合会表彰)を受けた。",  # a medal, not 金 章
    "と述べた。(報道部記者)",              # a desk of the paper, not a writer
    "容疑者はバレーボールの元日本代表選手。",
    "「ぼうはん君の家」は県内に広がった。",  # a refuge for children named after a mascot
    "はやぶさくん(白バイの愛称です)が出動した。",
    "市内の警察署で一日警察署長を務めた。",
    "防 犯 情 報",                         # a heading set out with spaces
]


@pytest.mark.parametrize("text", CLEAN)
def test_round10_look_alikes_are_no_persons(text):
    assert _persons(text) == []


def test_a_reading_inside_a_name_is_its_own_finding():
    # round 12 convention: a reading between the family and the given name splits them into three findings
    assert _persons("無職、加賀(かが)勇翔容疑者(20)を逮捕した。") == ["加賀", "(かが)", "勇翔", "(20)"]


def test_newspaper_is_no_person():
    assert _persons("地元の県北新報社が報じた。") == []
