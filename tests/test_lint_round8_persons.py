"""Person names by the structure of the sentence around them (issue 14, round 8): a kanji run between an edge and
a job title that the tokenizer does not know as a name (maybe with its reading, an age, or an office glued
before it), family names listed after a label of who answers or leads, a name whose parts are set apart by
spaces; and the guards: units, offices, places and numbered units before a title, a company's trade word read
as a name, and mascots named in the title of a service or quoted at a campaign.

Every sentence and name here is written for these tests; none is in ``tests/data/real_alerts``.
"""

from __future__ import annotations

import pytest

from anshin_lab.privacy.lint import lint


def _persons(text: str) -> list[str]:
    return [f.text for f in lint(text) if f.kind == "person"]


FOUND = [
    # a run of kanji between an edge and a job title: a name the tokens do not know
    ("石狩署で5日、浦辺慎吾署長が表彰状を渡した。", ["浦辺慎吾"]),
    ("北見分隊の宇賀神孝則分隊長が説明した。", ["宇賀神孝則"]),
    ("同会の坂元伸健理事長と岡本会長(71)が出席した。", ["坂元伸健", "岡本", "(71)"]),
    ("営業本部・鷲見智大マネージャーは話した。", ["鷲見智大"]),
    # ... before the office its title heads (「県警本部長」, a station the text names)
    ("式では、溝渕真悟県警本部長が訓示した。", ["溝渕真悟"]),
    ("贈呈式は双海警察署で開かれ、宇賀神孝則双海署長が出席した。", ["宇賀神孝則"]),
    # ... with its reading in brackets before the title
    ("同協議会の雲出敏春(くもずとしはる)理事長があいさつした。", ["雲出敏春", "(くもずとしはる)"]),
    # ... a family name alone, with the age after the title
    ("町内会の芦刈会長(77)に手渡した。", ["芦刈", "(77)"]),
    # ... a family name alone before a photo caption's place
    ("【説明する多胡所長=大垣市で】", ["多胡"]),
    # ... after the office it heads, glued
    ("【地域を回る南口交番堀所長】", ["堀"]),
    # family names listed after a label of who answers or leads
    ("担当:大畑、古仲", ["大畑", "古仲"]),
    ("担当者名:鳥越・宍道", ["鳥越", "宍道"]),
    ("見守り隊リーダー 熊谷・東海林", ["熊谷", "東海林"]),
    ("担当者:岡部、服部", ["岡部", "服部"]),
    # a name after a title, its parts set apart by spaces, is one name
    ("生活安全課長 那須野 健", ["那須野 健"]),
    ("代表者 代表取締役 小此木 宗 一", ["小此木 宗 一"]),
]


@pytest.mark.parametrize("text, names", FOUND)
def test_names_by_structure(text, names):
    assert _persons(text) == names


CLEAN = [
    # units, offices, places and heads of towns before a title
    "三条市長が訪れた。",
    "同会会長が挨拶した。",
    "防犯協会長が来た。",
    "副署長が話した。",
    "鹿児島中央署長が話した。",
    "県警本部長が来た。",
    "生活安全部長が述べた。",
    "交通課長は話した。",
    "式では札幌支店長が対応した。",
    "札幌営業所長が話した。",
    "同署の地域課長が説明した。",
    "大阪府警の捜査一課長が会見した。",
    "式では宮城県警本部長が訓示した。",
    "式では、松山東署長が話した。",
    "式では、久万高原署長が話した。",
    "同社の営業部長は話した。",
    "式では、同協会の会長(82)が表彰された。",
    "説明する天神所長が話した。",
    "小学校長が講話した。",
    "自治会長があいさつした。",
    # a company's trade word is no given name
    "同地区に本社を置く浜田港運が協力した。",
    # mascots named in the title of a service, or quoted at a campaign
    "県警が配信する「ピカリくん・ミライちゃん防犯メール」に登録を。",
    "今回は、詐欺被害防止の広報活動のため「とめるんくん」も参加した。",
]


@pytest.mark.parametrize("text", CLEAN)
def test_no_person(text):
    assert _persons(text) == []


def test_company_and_head_in_brackets():
    """「山陽港運(岡田誠社長)」: the head in brackets is the person, the company before is none."""
    assert _persons("市内の山陽港運(岡田誠社長)と協定を結んだ。") == ["岡田誠"]


def test_quoted_call_of_a_child_stays_a_name():
    """A child's name called in quotes (「「けんたくん」と呼びかけた」) is a person, not a character."""
    assert _persons("不審者が「けんたくん」と呼びかけた。") == ["けんた"]
