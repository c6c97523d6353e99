"""Round 50 of issue 14 (from heldout49a/49b's misses): a governor by a family name the dictionary has as a place only,
also in a table with spaces; two initials before さん; a post office's clerk; no person in a station or a post office read before a title, or
in a news bureau's town before its head's name; no place in a police box named after a river, a quoted list of school
levels, a troupe's quoted name, a 生活学校, or a body with an association's or a foundation's legal form. The names
here are written for these tests."""

from __future__ import annotations

import pytest

from anshin_lab.privacy.lint import lint


def _texts(text: str, kind: str) -> list[str]:
    return [f.text for f in lint(text) if f.kind == kind]


@pytest.mark.parametrize(("text", "names"), [
    ("はじめに会長を務める湯崎知事があいさつに立ち", ["湯崎"]),
    ("広島県 湯崎英彦 知事", ["湯崎英彦"]),
    ("次期知事が決まった。", []),
    ("東京都知事と大阪府知事が会談した。", []),
])
def test_a_governor_by_his_family_name(text, names):
    assert _texts(text, "person") == names, lint(text)


def test_a_post_offices_clerk():
    assert _texts(text := "須間局員は「見えやすい場所で良かった」と話した。", "person") == ["須間"], lint(text)
    text = "感謝状を受けた吉津郵便局員の宮本弘美さんは"
    assert _texts(text, "facility") == ["吉津郵便局"], lint(text)
    assert _texts(text, "person") == ["宮本弘美"], lint(text)


@pytest.mark.parametrize(("text", "office"), [
    ("餅田コシヒカリさん 白石署一日署長に", "白石署"),
    ("(滑川支局長・小幡雄也)", "滑川"),
])
def test_round50_no_office_as_a_person(text, office):
    assert all(office not in name for name in _texts(text, "person")), lint(text)


def test_a_news_bureaus_head_is_named_after_it():
    assert _texts(text := "(滑川支局長・小幡雄也)", "person") == ["小幡雄也"], lint(text)


@pytest.mark.parametrize("text", [
    "挾間駐在所は、近くの石城川駐在所と統合し",
    "「安心見守り隊」と「小・中学校」との意見交換会",
    "劇団「自然堂」による特殊詐欺撲滅寸劇",
    "松任生活学校の会員ら約20人が参加した。",
    "公益社団法人福岡犯罪被害者支援センターは7月15日、自動販売機を設置し",
    "(公財)島根県暴力追放県民センター(外部サイト)",
])
def test_round50_no_facility(text):
    assert _texts(text, "facility") == [], lint(text)


def test_a_quoted_centre_is_still_a_place():
    assert _texts(text := "「ひまわり子育て支援センター」で", "facility") == ["ひまわり子育て支援センター"], lint(text)


@pytest.mark.parametrize(("text", "names"), [
    ("タレントのU.K.さんが一日警察署長に", ["U.K."]),
    ("任命されたU K.さん(左)と署長", ["U K."]),
    ("Aさんが被害に遭った。", []),  # a one-letter mask
])
def test_two_initials_before_san(text, names):
    assert _texts(text, "person") == names, lint(text)
