"""Round 41 of issue 14 (from heldout40a/40b's misses): transcript speakers, the age after a name only the learned
detector read, an age after a hiragana given name, a nuclear plant by its short name, a school named by one of its
rooms, a head's full name before a space and his office; no place in a title read as a name before brackets, a list's
marker, names quoted as a fraud's wording; no person before a club; a police number after 〈電.
The names here are written for these tests."""

from __future__ import annotations

import pytest

from anshin_lab.privacy.lint import lint


def _texts(text: str, kind: str) -> list[str]:
    return [f.text for f in lint(text) if f.kind == kind]


@pytest.mark.parametrize(("text", "names"), [
    ("松本:港区の田中地区はどのあたりですか。", ["松本"]),
    ("矢田:大阪港と弁天町との間の駅ですね。", ["矢田"]),
    ("山田基夫 保健福祉総合センター所長", ["山田基夫"]),
])
def test_round41_person(text, names):
    assert _texts(text, "person") == names, lint(text)


@pytest.mark.parametrize("text", ["日時:3月5日(土)", "場所:公民館", "大阪:晴れ"])
def test_a_field_label_or_a_prefecture_before_a_colon_is_no_speaker(text):
    assert _texts(text, "person") == [], lint(text)


def test_an_age_after_a_hiragana_given_name_is_found_and_masked_by_decade():
    text = "店員の須藤らなさん(44)に感謝状を贈った。"
    ages = [f for f in lint(text, learned=False) if f.text == "(44)"]
    assert ages and ages[0].suggestion == "(40歳代)", lint(text, learned=False)


def test_the_age_after_a_name_only_the_learned_detector_read_is_the_rules_to_mask():
    from anshin_lab.privacy.lint.check import find_ages
    from anshin_lab.privacy.lint.lexicon import load_lexicon

    text = "店員の須田らなさん(44)に"
    assert find_ages(text, [(3, 5, "person", "〇〇")], load_lexicon()) == [(9, 13, "person", "(40歳代)")]


@pytest.mark.parametrize(("text", "place"), [
    ("東京電力福島第一原発事故で避難区域となった。", "福島第一原発"),
    ("本日午後2時から西小会議室で全体会があった。", "西小"),
])
def test_round41_facility(text, place):
    assert any(place in t for t in _texts(text, "facility")), lint(text)


@pytest.mark.parametrize("text", [
    "千葉県議会議員(柏市選出)。",  # a title, not a place
    "「地方裁判所管理局」、「民事訴訟管理センター」といった文面のはがき",  # a fraud's made-up names
    "原発事故で避難した。",  # no plant named
])
def test_round41_no_facility(text):
    assert _texts(text, "facility") == [], lint(text)


def test_a_lists_marker_is_no_part_of_the_name_after_it():
    assert _texts("ウ 大飯原発3・4号機再稼働に伴う警備実施", "facility") == ["大飯原発"]


def test_no_person_before_a_club():
    assert _texts("柏市老人クラブ連合会、柏生活クラブ、柏市消費者の会", "person") == []


def test_a_stations_number_after_den_in_angle_brackets_is_police_contact():
    assert _texts("不審な電話は同署〈電0557(85)0110〉へ。", "phone") == []
    assert _texts("不審な電話は同社〈電0557(85)0110〉へ。", "phone") == ["0557(85)0110"]


@pytest.mark.parametrize(("span", "expected"), [
    ((0, 5, "person", "〇〇"), (0, 4, "person", "〇〇")),  # 「須藤らなさ|ん」
    ((0, 4, "person", "〇〇"), (0, 4, "person", "〇〇")),  # already before the honorific
    ((0, 5, "facility", "施設"), (0, 5, "facility", "施設")),  # only persons
])
def test_a_learned_name_that_ends_inside_its_honorific_ends_before_it(span, expected):
    from anshin_lab.privacy.lint.check import _before_honorific

    assert _before_honorific("須藤らなさんに", span) == expected
