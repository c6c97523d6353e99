"""Round 52 of issue 14 (from heldout51a/51b's misses; rules only, the learned model is not retrained on them yet): a
performer's name glued after the trade, a panel's chair; no person in the station's town after its head's name and a
dot, no place in a housing estate's watch patrol. The names here are written for these tests."""

from __future__ import annotations

import pytest

from anshin_lab.privacy.lint import lint


def _texts(text: str, kind: str) -> list[str]:
    return [f.text for f in lint(text) if f.kind == kind]


@pytest.mark.parametrize(("text", "names"), [
    ("県出身のモデル本田沙紀さんに一日警察署長を委嘱した。", ["本田沙紀"]),
    ("大分市出身のタレント仁田にこさんです。", ["仁田にこ"]),
    ("タレントの斎藤さんが参加した。", ["斎藤"]),
    ("人気モデルさんが参加した。", []),
])
def test_a_performer_after_the_trade(text, names):
    assert _texts(text, "person") == names, lint(text)


@pytest.mark.parametrize("text", ["それでは、北村座長からごあいさつをいただきます。", "(北村座長) みなさん、こんにちは。"])
def test_a_panels_chair(text):
    assert _texts(text, "person") == ["北村"], lint(text)


def test_the_station_town_after_its_heads_name_and_a_dot():
    assert _texts(text := "顧問の三國悦夫・桑名署長は「被害が増えている」と話した。", "person") == ["三國悦夫"], lint(text)
    assert _texts(text := "別府署長は「気をつけて」と話した。", "person") == ["別府"], lint(text)


def test_an_estates_watch_patrol_is_no_place():
    assert _texts(text := "西菅田団地見守りパトロール隊に感謝状が贈られた。", "facility") == [], lint(text)
