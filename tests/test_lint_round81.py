"""Round 81 of issue 14 (rules from heldout80a/80b's misses, read after they were scored), in sentences written for
these tests: a family name whose last kanji SudachiPy glues to the title (「名|和様」「服|部署|長」), a short school
before a pupil's grade (「鳥取南高3年・」) or its volunteers (「桜田小見守り隊」), a hall a school owns (「本校わくわくホール」),
a theatre (「博多座」), a shop listed with a dot before 付近 (「(山田書店・ビクトリー付近)」), a firm's office before its
head's title (「…営業所所長」), a canteen named after a child (「おたまちゃん食堂」); and no finding for a talk's title
(「「くまちゃんの朝顔」と題して」), a police unit every prefecture has (「「交通管制センター」」), an object before a title
(「…ということを先生と」), a station's exit (「東口駅前広場」), a prefecture's or a city's office in a head's title
(「県いわき地方振興局長」「市小名浜支所長」), a station whose town the text names (「高萩市長、高萩署長」), a course (「高齢者交通
安全大学校」), the reading of a school's owner (「日南市立(にちなんしりつ)」) or a bare sumo rank (「大関が」, learned)."""

from __future__ import annotations

import pytest

from anshin_lab.privacy.lint import lint


def _found(text: str, learned: bool = False) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in lint(text, learned=learned)]


@pytest.mark.parametrize(("text", "found"), [
    ("東署生活安全課の名和様より講演", [("person", "名和")]),
    ("服部署長は「気をつけて」と呼びかけた。", [("person", "服部")]),
    ("長谷部署長は「気をつけて」と話した。", [("person", "長谷部")]),
    ("鳥取南高3年・山田花子さん", [("facility", "鳥取南高"), ("person", "山田花子")]),
    ("桜田小見守り隊の皆さん", [("facility", "桜田小")]),
    ("本校わくわくホールで説明した。", [("facility", "わくわくホール")]),
    ("博多座で観劇した", [("facility", "博多座")]),
    ("(山田書店・ビクトリー付近)", [("facility", "山田書店"), ("facility", "ビクトリー")]),
    ("ALSOK神戸支社神戸西営業所所長の林直樹さんが講師", [("facility", "ALSOK神戸支社神戸西営業所"), ("person", "林直樹")]),
    ("おたまちゃん食堂で交通安全教室", [("facility", "おたまちゃん食堂")]),
    ("「くまちゃんの朝顔」と題して講演", []),
    ("4階の「交通管制センター」を見学", []),
    ("「しないようにしよう」ということを先生と確かめた", []),
    ("東口駅前広場で啓発した", []),
    ("青葉町子さん、県いわき地方振興局長が", [("person", "青葉町子")]),
    ("伊藤晴輝市小名浜支所長があいさつ", [("person", "伊藤晴輝")]),
    ("高萩市長、岡部定雄いわき南署長、高萩署長が参加", [("person", "岡部定雄いわき南")]),
    ("高齢者交通安全大学校の閉校式", []),
    ("日南市立(にちなんしりつ)大堂津小学校", [("facility", "大堂津小学校")]),
    ("北川尚諠会長", [("person", "北川尚諠")]),
    ("大関が", []),
])
def test_round81_findings(text, found):
    """Each fails on the commit before round 81's rules (5dea8d8)."""
    assert _found(text, learned=True) == found, lint(text)


@pytest.mark.parametrize(("text", "found"), [
    ("村上司部会長", [("person", "村上司")]),
    ("長谷川町会長から", [("person", "長谷川")]),
    ("山口志仁君(6)が", [("person", "山口志仁"), ("person", "(6)")]),
    ("阿部署長", [("person", "阿部")]),
    ("大関さんが来た", [("person", "大関")]),
    ("地域ふれあいサロンで", []),
    ("いわき市小名浜支所の駐車場で", [("facility", "いわき市小名浜支所")]),
    ("童里夢公園やきらっしぇに行きました", [("facility", "童里夢公園"), ("facility", "きらっしぇ")]),
    ("(公園・スーパー付近)", []),
    ("在学中3年間", []),
])
def test_round81_guards(text, found):
    assert _found(text, learned=True) == found, lint(text)
