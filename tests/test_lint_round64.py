"""Round 64 of issue 14, first rules (from heldout63a/63b's misses, read after they were scored): a full name glued before
the station and the title it heads (「正成祐治別府警察署交通課長」「小笠原章語別府署副署長」), two writers in an end byline
(「(広岡磨璃、千葉翔大)」), an old man honoured after his name (「油屋熊八翁」), a school's pupils whose short name has a
family name's stem (「三谷小生、」, while 「山田小生」 ending a letter stays a signature), a labour standards office
(「山口労働基準監督署」); no one in a district's head after its town (「塩田町の石垣区長」), no place named again after 同
(「同空港国内線ターミナルビル」「同ローソン」), no place in one common katakana word before a town (「カレンダー 金沢」).
The names here are written for these tests."""

from __future__ import annotations

import pytest

from anshin_lab.privacy.lint import lint


def _texts(text: str, kind: str, learned: bool = False) -> list[str]:
    return [f.text for f in lint(text, learned=learned) if f.kind == kind]


@pytest.mark.parametrize(("text", "found"), [
    ("最後に正成祐治別府警察署交通課長の号令で出発した", ["正成祐治"]),
    ("はじめに小笠原章語別府署副署長があいさつした", ["小笠原章語"]),
    ("筒井稚内署長があいさつした", ["筒井"]),                  # a family name, as before
    ("鹿児島中央署長があいさつした", []),                       # the station's whole name
    ("式では、生原敬徳島中央署長が挨拶をしました。", ["生原敬"]),
    ("長野県茅野警察署長 長谷川康彦 様", ["長谷川康彦"]),       # the prefecture, no name
    ("(広岡磨璃、千葉翔大)", ["広岡磨璃", "千葉翔大"]),
    ("と話した。(千葉翔大)", ["千葉翔大"]),
    ("(鹿児島、那覇市)", []),
    ("交通課員が油屋熊八翁の像にタスキをかけた。", ["油屋熊八"]),
    ("竹取の翁が竹を切った。", []),
    ("嬉野市塩田町の石垣区長、池田博幸さんに感謝状", ["池田博幸"]),
    ("石垣区長、池田博幸さんに感謝状", ["石垣", "池田博幸"]),  # without its town, a row of names
])
def test_round64_persons(text, found):
    assert _texts(text, "person") == found, lint(text)


@pytest.mark.parametrize(("text", "found"), [
    ("手作りカレンダー 金沢・三谷小生、見守り隊に贈呈", ["三谷小"]),
    ("よろしくお願いします。山田小生", []),                     # a humble signature
    ("山口市役所、山口労働基準監督署の職員", ["山口市役所", "山口労働基準監督署"]),
    ("労働基準監督署に相談した", []),
    ("福岡空港署は、同空港国内線ターミナルビル内で呼び掛けた", []),
    ("アミュプラザ鹿児島で呼び掛けた", ["アミュプラザ鹿児島"]),
    ("当山小学校の児童が参加した", ["当山小学校"]),
])
def test_round64_facilities(text, found):
    assert _texts(text, "facility") == found, lint(text)


@pytest.mark.parametrize("text", ["同ローソンは3件の詐欺を防いだ。", "同セブン‐イレブンでは2件の被害を防いだ。"])
def test_round64_a_chain_named_again_is_clean(text):
    assert _texts(text, "facility", learned=True) == [], lint(text)
