"""How ``check.lint`` combines the rules and the learned detector (``learned``)."""

from __future__ import annotations

import pytest

from anshin_lab.drafting.languages import text_findings
from anshin_lab.privacy.lint import lint, scrub


@pytest.mark.parametrize("subject", [
    "[Kagoshima Police] Missing older person – Amami City (奄美市)",
    "[Cảnh sát Kagoshima] Người lạ bắt chuyện – Thành phố Kirishima (霧島市)",
    "Photographing without consent – Amami City",
])
def test_latin_script_is_not_the_learned_detectors_to_judge(subject):
    """It learned Japanese; in a translated subject it read every word as a facility."""
    assert lint(subject) == []


@pytest.mark.parametrize(("line", "code"), [
    ("发生了以下事件：身体接触。", "zh"),
    ("가고시마시(鹿児島市) 新城 부근의 보도", "ko"),
    ("Thành phố Kagoshima (鹿児島市) 本名町 부근", "vi"),
])
def test_translated_versions_are_linted_by_the_rules_alone(line, code):
    assert text_findings(line, code) == []


@pytest.mark.parametrize(("text", "name"), [
    ("被害に遭ったのは濵田湊様です。", "濵田湊"),
    ("髙橋湊さん(45)が通報しました。", "髙橋湊"),
    ("届け出たのは𠮷田花子さんです。", "𠮷田花子"),
    ("栁田健一容疑者を逮捕しました。", "栁田健一"),
])
def test_a_name_in_variant_kanji_is_a_name(text, name):
    """SudachiPy knows 高橋 and 濱田, not 髙橋 and 濵田: the normaliser reads the common kanji, the finding
    is the name as written."""
    assert any(f.kind == "person" and f.text == name for f in lint(text)), lint(text)


@pytest.mark.parametrize("text", ["■手口\n学校前での声かけ", "◆手口:声かけ", "【手口】声かけ", "■場所\n付近の路上"])
def test_a_field_heading_is_no_name(text):
    """The learned detector read the template's heading 「■手口」 as a place; 「指摘を修正」 then wrote 「■施設」."""
    assert lint(text) == []


@pytest.mark.parametrize("text", ["urn:uuid:22193188-1711-4582-934f-eedc135e7a4c",
                                  "urn:uuid:125b1f06-3768-5693-a1c1-024f9213d60b"])
def test_a_uuid_holds_no_finding_of_any_kind(text):
    """Atom and CAP ids: digit groups that read as a phone (「06-3768-5693」) or an address (「1711-4582-934」)."""
    assert lint(text) == []


@pytest.mark.parametrize("text", ["南さつま市大浦町上之門付近の駐車場",
                                  "11月29日(日)にお知らせした「【声かけ事案】南さつま市大浦町上之門付近」の続報です。"])
def test_a_place_worded_as_an_area_is_no_name(text):
    """The learned detector read 「…上之門付近」 as a facility; a follow-up's subject then read 「【続報・検挙】施設」."""
    assert lint(text) == []


def test_kept_findings_are_the_same_and_cannot_be_changed_by_a_caller():
    """``lint`` keeps what it found for a text: a caller that edits the list it got changes nothing for the next."""
    from anshin_lab.privacy.lint.check import forget_findings

    text = "山下小学校付近で、田中太郎さん(45)が声をかけられました。"
    first = lint(text)
    first.clear()
    again = lint(text)
    assert [(f.kind, f.text) for f in again] == [("facility", "山下小学校"), ("person", "田中太郎"), ("person", "(45)")]
    forget_findings()
    assert lint(text) == again
    assert lint(text, learned=False) == [f for f in again]


def test_a_town_of_the_gazetteer_ending_in_a_kind_word_is_no_facility_after_its_municipality():
    """「薩摩川内市サーキュラーパーク」 is a town of the gazetteer (CI found the learned detector calling it a park once):
    an address, whichever detector reads it; the school named after it is still a school."""
    text = "1月1日午後1時ごろ、薩摩川内市サーキュラーパークの学校付近で、下校中の女子児童が声をかけられました。"
    assert lint(text) == []
    named = "薩摩川内市サーキュラーパークのサーキュラーパーク小学校付近で"
    assert [(f.kind, f.text) for f in lint(named)] == [("facility", "サーキュラーパーク小学校")]


@pytest.mark.parametrize("text, name", [
    ("1月1日午後1時ごろ、指宿市湊の湊ハイツ付近で、下校中の女子児童が声をかけられました。", "湊ハイツ"),
    ("元中学校教諭の男が逮捕された。", None),
])
def test_what_hypothesis_found_in_ci_stays_fixed(text, name):
    """Examples the properties of ``test_lint`` drew in CI: a kind written before its name never takes 「付近」 as
    the name (the fix then left 「湊集合住宅」), and 「元」 before a kind says which school, not its name."""
    findings = lint(text)
    assert [f.text for f in findings if f.kind == "facility"] == ([name] if name else [])
    assert lint(scrub(text)[0]) == []


def test_a_number_after_a_aza_is_a_lot_even_where_a_town_of_that_name_has_chome():
    """Hypothesis found 「ひたちなか市勝倉大字大平1」 unread: ひたちなか市 has a town 大平 with 丁目, but after 大字 the
    number is a lot, whatever the postal data says of a town spelled the same."""
    findings = lint("ひたちなか市勝倉大字大平1の畑で")
    assert [(f.kind, f.text) for f in findings] == [("exact_address", "ひたちなか市勝倉大字大平1")]
    assert lint("ひたちなか市大平1丁目で") == []
