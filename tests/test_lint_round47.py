"""Round 47 of issue 14 (from heldout46a/46b's misses): a town and its lot alone on a line or after an address label, a
race circuit, a blog post's author line; no person in an anime's character before さん or a prefecture spaced out in a
table; no place in a designation's 設置店, a national park, or a name listed after a made-up one. The names here are
written for these tests."""

from __future__ import annotations

import pytest

from anshin_lab.privacy.lint import lint


def _texts(text: str, kind: str) -> list[str]:
    return [f.text for f in lint(text) if f.kind == kind]


@pytest.mark.parametrize(("text", "spots"), [
    ("下野田754", ["下野田754"]),
    ("小久喜1213-2", ["小久喜1213-2"]),
    ("○大隈天満宮(住所:梅満町731)", ["梅満町731"]),
    ("紫原3-12", []),  # 丁目 and 番: the block
    ("平成2020", []),  # an era's year
])
def test_a_town_and_its_lot_alone_on_a_line(text, spots):
    assert _texts(text, "exact_address") == spots, lint(text)


def test_a_race_circuit_is_a_facility():
    assert _texts(text := "付近には、ゴルフ場や富士スピードウエイなどもあります。", "facility") == ["富士スピードウエイ"], lint(text)


def test_a_blog_posts_author_line_names_its_author():
    assert _texts(text := "by shouichiro_sato | 2015-12-22 23:09 | 事件・事故", "person") == ["shouichiro_sato"], lint(text)
    assert _texts(text := "stand by me", "person") == [], lint(text)


@pytest.mark.parametrize("text", [
    "盛り上げる一休さん・キララちゃん",
    "委 員 安部 耕平 古賀東小(福 岡)",
])
def test_round47_no_extra_person(text):
    assert all(t not in ("一休", "福 岡", "福", "岡") for t in _texts(text, "person")), lint(text)


def test_a_prefecture_is_still_a_family_name_before_san():
    assert _texts(text := "福岡さんが対応した。", "person") == ["福岡"], lint(text)


@pytest.mark.parametrize("text", [
    "金融機関・ATM設置店のパトロールを行っている。",
    "世界自然遺産の白神山地や津軽国定公園内の十二湖がある。",
    "差出人は、実在しない「法務省管轄支局 訴訟管理事務局センター」や「法務省管轄支局 民事訴訟管理センター」などで",
])
def test_round47_no_facility(text):
    assert _texts(text, "facility") == [], lint(text)


def test_quoted_places_listed_without_a_made_up_one_stay_places():
    assert _texts(text := "「山下小学校」や「鹿児島銀行」で", "facility") == ["山下小学校", "鹿児島銀行"], lint(text)
