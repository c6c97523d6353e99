"""Round 39 of issue 14 (from heldout38a/38b's misses): a governor named before his own prefecture's title, a full name
glued before a university and a professor's title, a professor's seminar, a shopping centre named after what it is;
no place in a quoted designation 「…」とした, a body's branch, a district's patrol group, a work's quoted title or a
learned coast; no person in 「…県一」, a beach written with ヶ or a work's hero. The names here are written for these
tests."""

from __future__ import annotations

import pytest

from anshin_lab.privacy.lint import lint


def _texts(text: str, kind: str) -> list[str]:
    return [f.text for f in lint(text) if f.kind == kind]


@pytest.mark.parametrize(("text", "names"), [
    ("参加したのは、村井県知事や市の関係者です。", ["村井"]),
    ("上田埼玉県知事が出席した。", ["上田"]),
    ("選考委員長を務めた俳人の松本旭埼玉大名誉教授が報告した。", ["松本旭"]),
    ("熊本大法学部・伊藤ゼミの学生8人も参加した。", ["伊藤"]),
    ("また田袋ヶ山さんは女性に購入理由を確認した。", ["田袋ヶ山"]),  # a family name with ヶ stays one
])
def test_round39_person(text, names):
    assert _texts(text, "person") == names, lint(text)


@pytest.mark.parametrize("text", [
    "鹿児島県知事が出席した。",  # the prefecture's governor, unnamed
    "同県知事が出席した。",
    "県知事表彰は名誉だ。",
    "岡崎幸田を愛知県一、全国一安心なまちにしたい。",
    "海水浴場(四郎ヶ浜ビーチ)がオープンした。",
    "人気アニメ「忍たま乱太郎」のキャラクターのイラスト",
])
def test_round39_no_person(text):
    assert _texts(text, "person") == [], lint(text)


def test_a_shopping_centre_named_after_what_it_is():
    text = "大型商業施設LECT(広島市西区扇2丁目)で決起大会を開いた。"
    assert any("LECT" in t for t in _texts(text, "facility")), lint(text)
    assert _texts("商業施設内で声をかけられた。", "facility") == []


@pytest.mark.parametrize("text", [
    "中央署は相談窓口を置く「本部分庁舎」とした上で存続させる。",  # a designation
    "日本ロックセキュリティ協同組合山形支部、県の関係機関",  # a body's branch
    "北塩屋区自主防犯パトロール隊を筆頭に8団体がある。",  # a district's patrol group
    "人気アニメ「忍たま乱太郎」のキャラクターのイラスト",  # a work's title
    "清掃が7月1日、国分下井海岸でありました。",  # a coast
])
def test_round39_no_facility(text):
    assert _texts(text, "facility") == [], lint(text)
