"""``workflow.due``: sent alerts awaiting an outcome, follow-ups owed and incidents never reported or decided, each with
its report route; and the no-send decision that takes an incident off the list (signed, audited, the station's)."""

import pandas as pd
import pytest
import sqlalchemy as sa

from anshin_lab.core.errors import WorkflowError
from anshin_lab.storage import store
from anshin_lab.workflow import alerts, authority, decisions
from anshin_lab.workflow.due import due
from anshin_lab.workflow.rules import Status

from .test_affiliation import CENTRAL, add_incident
from .test_workflow import CLEAN_BODY, approve, consent

AGES = {"outcome_age_days": 14, "unreported_hours": 24}


def sent_alert(engine, staff, incident_id: str, category: str = "threat") -> int:
    """An alert for ``incident_id`` taken through the whole workflow to ``sent`` (its send recorded now)."""
    alert_id = alerts.create_alert(engine, staff["analyst"], category=category, subject="【声かけ事案】鹿児島市紫原3丁目付近",
                                   body=CLEAN_BODY, level="TOWN", public_text="鹿児島市紫原3丁目付近の路上",
                                   area_codes={"station": CENTRAL}, incident_ids=[incident_id])
    approve(engine, staff, alert_id)
    if category == "threat":
        consent(engine, staff, alert_id)
    alerts.prepare(engine, staff["operator"], alert_id)
    alerts.mark_sent(engine, staff["operator"], alert_id, recipients=10)
    return alert_id


def followup(engine, staff, original: int, outcome: str) -> int:
    return alerts.create_alert(engine, staff["analyst"], category=None, subject=f"【続報・{outcome}】鹿児島市紫原3丁目付近",
                               body=CLEAN_BODY, level="TOWN", public_text="鹿児島市紫原3丁目付近の路上",
                               area_codes={"station": CENTRAL}, incident_ids=["K-1"], original_alert_id=original,
                               outcome=outcome)


def later(days: float = 0, hours: float = 0) -> pd.Timestamp:
    return pd.Timestamp.now(tz="Asia/Tokyo") + pd.Timedelta(days=days, hours=hours)


def test_a_sent_alert_awaits_its_outcome_until_a_settling_follow_up_is_out(engine, staff):
    add_incident(engine, "K-1", CENTRAL)
    original = sent_alert(engine, staff, "K-1")
    assert due(engine, later(days=13), **AGES).awaiting_outcome.empty  # not yet 14 days
    awaiting = due(engine, later(days=15), **AGES).awaiting_outcome
    assert list(awaiting["alert_id"]) == [original] and awaiting["days"].iloc[0] == 15
    assert awaiting["station"].iloc[0] == CENTRAL and "生活安全企画課" in awaiting["route"].iloc[0]

    correction = followup(engine, staff, original, "訂正")  # a correction settles nothing
    lists = due(engine, later(days=15), **AGES)
    assert list(lists.awaiting_outcome["alert_id"]) == [original]
    assert list(lists.followups_owed["alert_id"]) == [correction]
    alerts.withdraw(engine, staff["analyst"], correction, "不要")

    arrest = followup(engine, staff, original, "検挙")
    lists = due(engine, later(days=15), **AGES)
    assert lists.awaiting_outcome.empty  # the outcome is known: what is owed now is its follow-up
    owed = lists.followups_owed.set_index("alert_id")
    assert owed.loc[arrest, "outcome"] == "検挙" and owed.loc[arrest, "status"] == Status.DRAFT.value
    assert owed.loc[arrest, "waiting_for"] == "決裁に回す"
    approve(engine, staff, arrest)
    alerts.prepare(engine, staff["operator"], arrest)  # the original's consent covers it
    alerts.mark_sent(engine, staff["operator"], arrest, recipients=10)
    assert due(engine, later(days=15), **AGES).empty()


def test_a_closed_alert_and_a_category_without_outcomes_await_nothing(engine, staff):
    add_incident(engine, "K-1", CENTRAL)
    add_incident(engine, "K-2", CENTRAL, category="fraud")
    closed = sent_alert(engine, staff, "K-1")
    alerts.close(engine, staff["operator"], closed)
    sent_alert(engine, staff, "K-2", category="fraud")
    assert due(engine, later(days=30), **AGES).awaiting_outcome.empty


def test_an_incident_with_neither_an_alert_nor_a_decision_is_listed_with_its_report_route(engine, staff):
    for incident_id, at in (("K-OLD", "2026-11-27 10:00"), ("K-NEW", "2026-11-28 09:00"), ("K-LONG", "2026-09-01 09:00")):
        add_incident(engine, incident_id, CENTRAL, occurred_at=at)
    add_incident(engine, "K-MISS", CENTRAL, category="missing", occurred_at="2026-11-27 11:00")
    now = "2026-11-28 20:00"  # a Saturday evening: after hours
    lists = due(engine, now, **AGES)
    listed = lists.unreported.set_index("incident_id")
    assert list(listed.index) == ["K-LONG", "K-OLD", "K-MISS"]  # K-NEW is not 24 hours old yet
    assert listed.loc["K-OLD", "hours"] == 34
    assert listed.loc["K-OLD", "route"] == "生活安全企画課 犯罪抑止対策係(メール)"
    assert listed.loc["K-MISS", "route"].startswith("人身安全・少年課 担当係(電話")
    assert list(due(engine, now, **AGES, lookback_days=30).unreported["incident_id"]) == ["K-OLD", "K-MISS"]
    office = due(engine, "2026-12-01 10:00", **AGES).unreported.set_index("incident_id")
    assert office.loc["K-OLD", "route"] == "生活安全企画課 子供・女性の安全対策係(電話)"

    # An alert of any state, or a recorded decision, takes the incident off the list.
    rejected = alerts.create_alert(engine, staff["analyst"], category="threat", subject="件名", body=CLEAN_BODY,
                                   level="TOWN", public_text="町付近", incident_ids=["K-OLD"])
    alerts.reject(engine, staff["chief"], rejected, "捜査に支障")
    decisions.record_no_send(engine, staff["hq"], "K-MISS", "家族が公表を望まない")
    assert list(due(engine, now, **AGES).unreported["incident_id"]) == ["K-LONG"]


def test_a_decision_is_refused_while_an_alert_is_in_play_and_needs_a_reason(engine, staff):
    add_incident(engine, "K-1", CENTRAL)
    alert_id = alerts.create_alert(engine, staff["analyst"], category="threat", subject="件名", body=CLEAN_BODY,
                                   level="TOWN", public_text="町付近", incident_ids=["K-1"])
    with pytest.raises(WorkflowError, match=f"配信 #{alert_id}\\(起案中\\)があります.*anshin alerts reject {alert_id}"):
        decisions.record_no_send(engine, staff["chief"], "K-1", "不要")
    with pytest.raises(WorkflowError, match="理由"):
        decisions.record_no_send(engine, staff["chief"], "K-2", " ")
    with pytest.raises(WorkflowError, match="事案番号「K-404」は登録されていません"):
        decisions.record_no_send(engine, staff["chief"], "K-404", "不要")


def test_a_decision_written_by_hand_counts_for_nothing_in_the_service(engine, staff):
    add_incident(engine, "K-1", CENTRAL, occurred_at="2026-11-01 10:00")
    with engine.begin() as conn:
        conn.execute(store.metadata.tables["incident_decisions"].insert().values(
            incident_id="K-1", decision="no_send", reason="手で書いた", decided_by="chief", role="station_chief",
            decided_at=pd.Timestamp.now(tz="UTC"), signature="0" * 64))
    assert list(due(engine, "2026-11-28 10:00", **AGES).unreported["incident_id"]) == ["K-1"]
    assert decisions.list_decisions(engine).empty
    service = authority.require()
    authority.uninstall()  # reading the database without the key (anshin alerts due): what it says
    try:
        assert due(engine, "2026-11-28 10:00", **AGES).unreported.empty
    finally:
        authority.install(service)
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(store.audit_log)
                            .where(store.audit_log.c.action == "incident_no_send")).scalar() == 0
