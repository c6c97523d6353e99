"""Round 27 of issue 14 (from heldout26a/26b's misses): a group's base quoted after its address; and what is no place
or no phone: a shopping street (an area), a heads' association, a region before 地区 or 校区, a town named like a port,
a centre a body runs, an association's short name in 協, the JR companies, a station's police box, a police number
after its section, a masked number, a firm's staff claimed before other callers. The names here are written for these
tests."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from anshin_lab.privacy.lint import lint


def _found(text: str, kind: str) -> list[str]:
    return [f.text for f in lint(text) if f.kind == kind]


def test_a_groups_base_quoted_after_its_address_is_a_place():
    assert "陽だまりの部屋" in _found("活動拠点:霧島市国分中央3丁目4番1号 「陽だまりの部屋」", "facility")


@pytest.mark.parametrize("text", [
    "高知市の天文館商店街でパレードが行われた。",
    "県中部郵便局長会が初めて行いました。",
    "鳥栖・三養基地区防犯ボランティア連絡協議会の定例会が開かれた。",
    "西高宮校区の守護神",
    "最近、牧港での不審者の出没の件をご存知でしょうか?",
    "鹿児島県防犯ボランティア支援センター(公益財団法人鹿児島県防犯協会)の共催で開催した。",
    "鹿児島県遊協(平川容志理事長)は10月5日、キャンペーンを始めた。",
    "警察は「今後もJR九州と連携して、利用者の安全確保を図りたい」としています。",
    "式後、知事らは京成千葉中央駅前交番を激励した。",
    "女性宅にNTT職員、次に警察官を名乗る人物から電話がかかった。",
])
def test_round27_no_facility(text):
    assert _found(text, "facility") == [], lint(text)


@pytest.mark.parametrize("text", [
    "鹿児島中央警察署 生活安全課 電話:099-222-0110",
    "「着いたら私に電話をして欲しい。電話番号は○○○-○○○○-○○○○です。」",
])
def test_round27_no_phone(text):
    assert _found(text, "phone") == [], lint(text)


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(["099", "092", "0995", "0993"]), st.integers(10, 999), st.integers(0, 9999))
def test_a_number_after_a_sections_name_that_is_not_the_polices_is_still_a_phone(area, exchange, line):
    """Only a police station's own number ending in 0110 is exempt; a city office's section is no police."""
    number = f"{area}-{exchange:0{6 - len(area)}d}-{line:04d}"
    text = f"鹿児島市役所 生活安全課 電話:{number}"
    assert number in _found(text, "phone"), lint(text)
