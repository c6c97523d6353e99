import pandas as pd
import pytest

from anshin_lab.drafting import mail as drafting
from anshin_lab.workflow.alerts import Alert
from anshin_lab.app.catalog import load_areas
from anshin_lab.privacy import assess
from anshin_lab.workflow.rules import Status
from anshin_lab.app.catalog import read_incidents

from .conftest import PROJECT

GOLDEN = PROJECT / "tests" / "data" / "golden"
CATEGORIES = ["threat", "fugitive", "fraud", "missing", "community"]


@pytest.fixture(scope="module")
def sample(imported_workspace):
    return read_incidents(settings=imported_workspace.settings), load_areas(imported_workspace.root)


def first_of(incidents, category):
    return incidents[incidents["category"] == category].iloc[0]


@pytest.mark.parametrize("category", CATEGORIES)
def test_golden_mail_per_category(sample, category):
    """The mail of the first sample incident of each category, as members read it.

    To accept a deliberate template change, delete the golden file and run the
    test once: it writes the new text for review (and fails that once).
    """
    incidents, area_set = sample
    row = first_of(incidents, category)
    text = drafting.draft(row, assess(row, area_set)).text
    golden = GOLDEN / f"{category}.txt"
    if not golden.exists():
        golden.write_text(text, encoding="utf-8")
        pytest.fail(f"wrote {golden.name}: review it and run again")
    assert text == golden.read_text(encoding="utf-8")


def test_no_sample_draft_has_a_lint_finding(sample):
    incidents, area_set = sample
    flagged = []
    for row in incidents.to_dict("records"):
        result = drafting.draft(row, assess(row, area_set))
        if result.findings:
            flagged.append((row["incident_id"], [(f.kind, f.text) for f in result.findings]))
    assert not flagged, flagged[:10]


def test_every_draft_has_tips_and_the_decided_place(sample):
    incidents, area_set = sample
    for category in CATEGORIES:
        row = first_of(incidents, category)
        decision = assess(row, area_set)
        result = drafting.draft(row, decision)
        assert len(result.tips) >= 3 and all(f"★{tip}" in result.body for tip in result.tips)
        assert decision.area_text in result.subject + result.body
        assert result.area_codes["city_code"] and result.area_codes["station"]
        assert result.incident_ids == (row["incident_id"],)


def test_tips_library_has_three_per_category():
    library = drafting.tips_library()
    for category in CATEGORIES:
        assert len(drafting.choose_tips(category, None)) >= 3, category
    for (category, subtype), group in library.groupby(["category", "subtype"]):
        assert len(drafting.choose_tips(category, subtype)) >= 3


def test_when_is_rounded_to_a_quarter_hour_with_the_weekday():
    assert drafting.format_when(pd.Timestamp("2026-11-28 16:08", tz="Asia/Tokyo")) == "11月28日(土)午後4時15分ごろ"
    assert drafting.format_when(pd.Timestamp("2026-11-27 16:00", tz="Asia/Tokyo")) == "11月27日(金)午後4時ごろ"
    assert drafting.format_when(pd.Timestamp("2026-11-27 00:05", tz="Asia/Tokyo")) == "11月27日(金)午前0時ごろ"


def test_machine_dependent_characters_are_warned_and_fixed(sample):
    incidents, area_set = sample
    row = first_of(incidents, "threat")
    result = drafting.edited(drafting.draft(row, assess(row, area_set)), body="①不審者に注意㈱😀～")
    warning = next(w for w in result.warnings if w.kind == "machine_dependent")
    assert "①" in warning.message and "😀" in warning.message
    assert drafting.fix_machine_dependent("①不審者に注意㈱😀～") == "1不審者に注意(株)〜"
    assert not drafting.machine_dependent("〜ー−「」・★■")


def test_long_subject_and_body_are_warned(sample):
    incidents, area_set = sample
    row = first_of(incidents, "threat")
    result = drafting.draft(row, assess(row, area_set), limits=drafting.MobileLimits(subject_max=5, body_max=50))
    assert {w.kind for w in result.warnings} >= {"subject_length", "body_length"}


def sent_alert(result, alert_id=7) -> Alert:
    return Alert(alert_id, result.category, Status.SENT, result.subject, result.body, result.level, result.level,
                 result.public_text, result.area_codes, list(result.incident_ids), None, False, "analyst", 120)


@pytest.mark.parametrize("outcome", drafting.OUTCOMES)
def test_followups_reference_the_original(sample, outcome):
    incidents, area_set = sample
    category = "missing" if outcome == "発見" else "threat"
    row = first_of(incidents, category)
    original = sent_alert(drafting.draft(row, assess(row, area_set)))
    follow = drafting.followup(original, outcome, note="ご協力ありがとうございました。")
    assert follow.original_alert_id == 7 and follow.area_codes == original.area_codes
    assert follow.subject.startswith(f"【続報・{outcome}】") and original.subject in follow.body
    assert not follow.findings


def test_found_person_followup_drops_the_description(sample):
    incidents, area_set = sample
    row = first_of(incidents, "missing")
    original = sent_alert(drafting.draft(row, assess(row, area_set)))
    follow = drafting.followup(original, "発見")
    for detail in (f"{row['age']}歳", f"身長{row['height_cm']}センチ", "■特徴"):
        assert detail in original.body and detail not in follow.body
    with pytest.raises(ValueError):
        drafting.followup(original, "逮捕")
