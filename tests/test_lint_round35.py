"""Round 35 of issue 14 (from heldout34a/34b's misses): a police box's head by his family name, a section head right
after his station's name, a pupil's school and grade in brackets; no place in a newspaper's dateline, no person in the
head of the 交番 the text names. The names here are written for these tests."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from anshin_lab.privacy.lint import lint


def _texts(text: str, kind: str) -> list[str]:
    return [f.text for f in lint(text) if f.kind == kind]


@pytest.mark.parametrize(("text", "names"), [
    ("密岡交番長は手作りのお面をかぶり、芝居を披露した。", ["密岡"]),
    ("小笠交番の密岡交番長が考案した。", ["密岡"]),
    ("1.千葉南警察署荒川生活安全課長あいさつ", ["荒川"]),
])
def test_round35_persons(text, names):
    assert _texts(text, "person") == names, lint(text)


def test_the_head_of_the_koban_the_text_names_is_no_one():
    assert _texts("菊川署小笠交番の小笠交番長が出席した。", "person") == []


@pytest.mark.parametrize(("text", "schools"), [
    ("佳作に鈴木ジョージさん(西辺中3年)と友利璃音杏さん(北中3年)が選ばれた。", ["西辺中", "北中"]),
    ("標語の部で田中さん(港小6年)が入賞した。", ["港小"]),
])
def test_a_pupils_school_and_grade_in_brackets_is_the_school(text, schools):
    assert _texts(text, "facility") == schools, lint(text)


@pytest.mark.parametrize("text", ["田中さん(市立中3年)が入賞した。", "【那覇支社】推進会議の表彰式が県庁で開かれた。"])
def test_round35_no_named_facility(text):
    assert [f for f in _texts(text, "facility") if f != "県庁"] == [], lint(text)


@settings(max_examples=30, deadline=None)
@given(stem=st.sampled_from(["西辺", "鶴丸", "武岡", "港", "紫原", "宇宿"]), kind=st.sampled_from(["小", "中", "高"]),
       grade=st.integers(min_value=1, max_value=6))
def test_every_school_before_a_grade_in_brackets_is_withheld(stem, kind, grade):
    text = f"入賞した山田花子さん({stem}{kind}{grade}年)に賞状が渡された。"
    assert f"{stem}{kind}" in _texts(text, "facility"), lint(text)


@settings(max_examples=60, deadline=None)
@given(token=st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", min_size=8, max_size=40))
def test_nothing_inside_a_web_address_is_a_finding(token):
    """An unsubscribe link's random token once read 「…nnTvISFiPA…」 as a parking area (PA): a flaky CI failure."""
    text = f"配信の停止: https://123123.tv/unsubscribe?t={token}\r\n山下小学校の前で"
    assert [(f.kind, f.text) for f in lint(text)] == [("facility", "山下小学校")], lint(text)


def test_the_token_that_read_as_a_parking_area_is_no_finding():
    text = "메일 수신 중지: https://123123.tv/unsubscribe?t=Q_9ie4ICMPF1nnTvISFiPA-tiVhu7ZuI"
    assert lint(text) == []
