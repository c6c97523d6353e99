"""Round 45 of issue 14 (from heldout44a/44b's misses): schools with a grade in kanji in brackets, a phone printed twice
and glued, a free dial read out between its groups, a facility's nickname or reading in hiragana, a facility SudachiPy
reads as one word with its reading, a question's speaker, a family and a given name the learned detector reads apart;
no person in a list of districts; no address in a page's number or a count of 連合; no place in a town's 地内 or inside
a body's quoted name. The names here are written for these tests."""

from __future__ import annotations

import pytest

from anshin_lab.privacy.lint import lint


def _texts(text: str, kind: str) -> list[str]:
    return [f.text for f in lint(text) if f.kind == kind]


def test_schools_with_a_grade_in_kanji_are_found():
    text = "▽低学年=葛川愛未(高時小一)、山根香菜(余呉小一)▽中学校=木村拓也(以上、木之本中二)"
    assert _texts(text, "facility") == ["高時小", "余呉小", "木之本中"], lint(text)
    assert _texts(text, "person") == ["葛川愛未", "山根香菜", "木村拓也"], lint(text)


@pytest.mark.parametrize(("text", "count"), [
    ("消費者センターTEL:096-353-5757096-353-5757 FAX:096-353-2501", 3),
    ("相談電話「0120・123(いちにさん)・456(よろしく)」をPRした。", 1),
    ("フリーダイヤル「0120-123(いちにさん)-456(よろしく)」を開設", 1),
    # the police's own free dial (police_numbers.csv), read out: no finding, as the rule says
    ("警察相談電話「0120・508(これは)・878(わなや)」をPRした。", 0),
])
def test_round45_phones(text, count):
    assert len(_texts(text, "phone")) == count, lint(text)


@pytest.mark.parametrize(("text", "places"), [
    ("式典が岡崎市図書館交流プラザ(りぶら)で開かれた。", ["岡崎市図書館交流プラザ", "りぶら"]),
    ("鹿児島銀行(かぎん)の窓口で", ["鹿児島銀行", "かぎん"]),
    ("山下小学校(ほか)", ["山下小学校"]),
])
def test_round45_facility(text, places):
    assert _texts(text, "facility") == places, lint(text)


@pytest.mark.parametrize(("text", "names"), [
    ("宇野 ●教育現場に警察が入るときはどのような時か", ["宇野"]),
    ("活動報告(民生委員児童委員協議会 小坂 防人 会長)", ["小坂 防人"]),
    ("被表彰者は中原上町内会防災・防犯会、則本栄子の3団体と個人だった。", ["則本栄子"]),
])
def test_round45_person(text, names):
    assert _texts(text, "person") == names, lint(text)


@pytest.mark.parametrize("text", [
    "市内では藤田・さくら・錦・寺方南・八雲東・佐太の6地域で活動しています。",
    "質問 ●教育現場に",
])
def test_round45_no_person(text):
    assert _texts(text, "person") == [], lint(text)


@pytest.mark.parametrize("text", ["ページ番号:590-625-291", "城東区16連合で唯一の専用車となりました。"])
def test_round45_no_address(text):
    assert _texts(text, "exact_address") == [], lint(text)


@pytest.mark.parametrize("text", [
    "栗原市志波姫刈敷蔵場、高清水東館地内の複数のお宅",
    "サミットでは、NPO法人「子ども自立の郷ウォームアップスクールここから」の理事長が講演。",
])
def test_round45_no_facility(text):
    assert _texts(text, "facility") == [], lint(text)
