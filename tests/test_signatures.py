"""An insider with the database file tries to get round the approvals: every attempt is refused.

Each test is the attack as the review ran it, on a real SQLite workspace
database: SQL typed straight into the file (``sqlite3``), next to the
service's own steps. What the gates count is only what the service signed
over the alert's current content (``workflow.signatures``, ``workflow.gates``).
"""

import json
import secrets
import shutil
import sqlite3
import itertools

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from anshin_lab.core.clock import utc_now
from anshin_lab.core.errors import AnshinError, ConsentMissing, PermissionDenied, WorkflowError
from anshin_lab.core.granularity import Granularity
from anshin_lab.delivery.gate import clear_to_send
from anshin_lab.drafting.languages.published import PUBLISHED_KEYS
from anshin_lab.storage import store
from anshin_lab.workflow import alerts, authority, users
from anshin_lab.workflow.rules import Judgement, Status
from anshin_lab.workflow.signatures import content_hash, event_valid

from .staff import staffed_engine

CLEAN_BODY = "11月28日(金)午後4時ごろ、鹿児島市紫原3丁目12番付近の路上で、女子児童が男から声をかけられました。\n★子供が一人にならないよう見守りをお願いします。"
SUBJECT = "【声かけ事案】鹿児島市紫原3丁目12番付近"
SEND = Judgement(victim_not_identifiable=True, no_facility_or_person_names=True, location_coarse_enough=True,
                 no_harm_to_investigation=True)
CHANGED = "承認後に本文・件名・地域などが変更されています"


def sql(engine, statement: str, params=()) -> None:
    """What the insider does: open the database file with sqlite3 and change it, outside the service."""
    db = sqlite3.connect(engine.url.database)
    try:
        db.execute(statement, params)
        db.commit()
    finally:
        db.close()


def now_text() -> str:
    return utc_now().strftime("%Y-%m-%d %H:%M:%S.%f")


def draft(engine, staff, category="threat", body=CLEAN_BODY, **kwargs):
    kwargs.setdefault("level", "BLOCK")
    return alerts.create_alert(engine, staff["analyst"], category=category, subject=SUBJECT, body=body,
                               public_text="鹿児島市紫原3丁目12番付近の路上", **kwargs)


def approve(engine, staff, alert_id):
    alerts.submit(engine, staff["analyst"], alert_id)
    alerts.approve_station(engine, staff["chief"], alert_id, SEND)
    alerts.consult(engine, staff["division"], alert_id, "発信して差し支えない")
    alerts.approve_hq(engine, staff["hq"], alert_id)


def consent(engine, staff, alert_id):
    alerts.record_consent(engine, staff["analyst"], alert_id, kind="保護者", given_at="2026-11-28 17:00", method="電話",
                          scope="県警あんしんメールでの配信")


def ready(engine, staff, **kwargs):
    alert_id = draft(engine, staff, **kwargs)
    approve(engine, staff, alert_id)
    consent(engine, staff, alert_id)
    alerts.prepare(engine, staff["operator"], alert_id)
    return alert_id


def test_every_step_is_signed_over_the_content_it_saw(engine, staff):
    alert_id = ready(engine, staff)
    with engine.connect() as conn:
        events = conn.execute(sa.select(store.alert_events)).mappings().all()
    key = authority.require().key
    assert len(events) == 7 and all(event_valid(key, row) for row in events)
    assert {row["content_hash"] for row in events} == {content_hash(alerts.get_alert(engine, alert_id))}
    assert clear_to_send(engine, staff["operator"], alert_id).alert.alert_id == alert_id


# (a) A victim's name and a 号 address written into an approved alert in the database.
def test_text_changed_in_the_database_after_approval_is_not_sent(engine, staff):
    alert_id = ready(engine, staff)
    sql(engine, "UPDATE alerts SET subject = ?, body = ? WHERE alert_id = ?",
        (SUBJECT.replace("12番付近", "12番5号 山田花子さん宅前"),
         CLEAN_BODY + "\n被害者は山田花子さん(鹿児島市紫原3丁目12番5号)です。", alert_id))
    with pytest.raises(WorkflowError, match=f"{CHANGED}\\(#{alert_id}\\)。もう一度承認を受けてください"):
        clear_to_send(engine, staff["operator"], alert_id)
    with pytest.raises(WorkflowError, match=CHANGED):
        alerts.mark_sent(engine, staff["operator"], alert_id, recipients=2718)
    assert alerts.get_alert(engine, alert_id).status == Status.READY


# (a') The published fields the language versions are rendered from, edited in the database after approval.
def test_published_fields_changed_in_the_database_after_approval_are_not_sent(engine, staff):
    alert_id = ready(engine, staff)
    assert alerts.published_fields(alerts.get_alert(engine, alert_id)) == APPROVED_FIELDS
    sql(engine, "UPDATE alerts SET published_fields = json_set(published_fields, '$.area_name', ?) WHERE alert_id = ?",
        ("紫原3丁目12番5号", alert_id))
    with pytest.raises(WorkflowError, match=CHANGED):
        clear_to_send(engine, staff["operator"], alert_id)
    with pytest.raises(WorkflowError, match=CHANGED):
        alerts.mark_sent(engine, staff["operator"], alert_id, recipients=2718)


# (b) One consent row inserted by SQL for a 脅威事犯 alert nobody consented to.
def test_a_consent_row_inserted_by_sql_does_not_count(engine, staff):
    alert_id = draft(engine, staff)
    approve(engine, staff, alert_id)
    sql(engine, "INSERT INTO consents (alert_id, kind, given_at, method, scope, anshin_mail_ticked, recorded_by,"
                " recorded_at, signature) VALUES (?, '保護者', ?, '電話', '配信', 1, 'analyst', ?, ?)",
        (alert_id, now_text(), now_text(), secrets.token_hex(32)))
    # and a real consent's signed row copied from another alert
    other = draft(engine, staff)
    consent(engine, staff, other)
    sql(engine, "INSERT INTO consents (alert_id, kind, given_at, method, scope, anshin_mail_ticked, recorded_by,"
                " recorded_at, signature) SELECT ?, kind, given_at, method, scope, anshin_mail_ticked, recorded_by,"
                " recorded_at, signature FROM consents WHERE alert_id = ?", (alert_id, other))
    with pytest.raises(ConsentMissing):
        alerts.prepare(engine, staff["operator"], alert_id)
    sql(engine, "UPDATE alerts SET status = 'ready' WHERE alert_id = ?", (alert_id,))
    with pytest.raises(ConsentMissing):
        clear_to_send(engine, staff["operator"], alert_id)


# (c) Two approval rows made up in the database for a draft that was never approved.
def test_fake_approval_rows_do_not_make_a_draft_sendable(engine, staff):
    alert_id = draft(engine, staff)
    consent(engine, staff, alert_id)
    digest = content_hash(alerts.get_alert(engine, alert_id))  # anyone can compute the content hash
    judgement = json.dumps({"judgement": {"hq_consultation_needed": False}})
    for action, actor, role, details in (("station_approve", "chief", "station_chief", judgement),
                                         ("hq_approve", "hq", "hq_planning_chief", None)):
        sql(engine, "INSERT INTO alert_events (alert_id, action, from_status, to_status, actor, role, at, details,"
                    " content_hash, signature) VALUES (?, ?, 'draft', 'hq_approved', ?, ?, ?, ?, ?, ?)",
            (alert_id, action, actor, role, now_text(), details, digest, secrets.token_hex(32)))
    sql(engine, "UPDATE alerts SET status = 'hq_approved' WHERE alert_id = ?", (alert_id,))
    with pytest.raises(WorkflowError, match="承認が足りません"):
        alerts.prepare(engine, staff["operator"], alert_id)
    # the signed approvals of another alert, copied onto this one, count for nothing either
    approved = draft(engine, staff)
    approve(engine, staff, approved)
    sql(engine, "INSERT INTO alert_events (alert_id, action, from_status, to_status, actor, role, at, reason, details,"
                " content_hash, signature) SELECT ?, action, from_status, to_status, actor, role, at, reason, details,"
                " content_hash, signature FROM alert_events WHERE alert_id = ?", (alert_id, approved))
    with pytest.raises(WorkflowError, match="承認が足りません"):
        alerts.prepare(engine, staff["operator"], alert_id)
    sql(engine, "UPDATE alerts SET status = 'ready' WHERE alert_id = ?", (alert_id,))
    with pytest.raises(WorkflowError, match="承認が足りません"):
        clear_to_send(engine, staff["operator"], alert_id)


# (d) The status set to 'ready' by hand: on a draft, on an alert that skipped 発信準備, on a withdrawn one.
def test_a_status_set_by_hand_is_not_sendable(engine, staff):
    never_approved = draft(engine, staff)
    sql(engine, "UPDATE alerts SET status = 'ready' WHERE alert_id = ?", (never_approved,))
    with pytest.raises(WorkflowError, match="承認が足りません"):
        clear_to_send(engine, staff["operator"], never_approved)

    not_prepared = draft(engine, staff)
    approve(engine, staff, not_prepared)
    consent(engine, staff, not_prepared)
    sql(engine, "UPDATE alerts SET status = 'ready' WHERE alert_id = ?", (not_prepared,))
    with pytest.raises(WorkflowError, match="記録された手順と一致しません"):
        clear_to_send(engine, staff["operator"], not_prepared)

    withdrawn = ready(engine, staff)
    alerts.withdraw(engine, staff["hq"], withdrawn, "被害者側から取りやめの申し出")
    sql(engine, "UPDATE alerts SET status = 'ready' WHERE alert_id = ?", (withdrawn,))
    with pytest.raises(WorkflowError, match="記録された手順と一致しません"):
        clear_to_send(engine, staff["operator"], withdrawn)


# (e) An operator designation inserted by SQL, and a revoked one restored by SQL.
def test_a_designation_written_by_hand_does_not_designate(engine, staff):
    alert_id = ready(engine, staff)
    sql(engine, "INSERT INTO operator_designations (username, designated_by, designated_at, signature)"
                " VALUES ('operator2', 'hq', ?, ?)", (now_text(), secrets.token_hex(32)))
    with pytest.raises(PermissionDenied, match="指定した発信操作担当者"):
        clear_to_send(engine, staff["operator2"], alert_id)
    users.revoke_operator(engine, staff["hq"], "operator")
    sql(engine, "UPDATE operator_designations SET revoked_by = NULL, revoked_at = NULL WHERE username = 'operator'")
    with pytest.raises(PermissionDenied, match="指定した発信操作担当者"):
        clear_to_send(engine, staff["operator"], alert_id)


# An approver's override of the privacy lint, written into the alert row or made up as an event.
def test_an_override_written_by_hand_does_not_clear_the_lint(engine, staff):
    alert_id = draft(engine, staff, body=CLEAN_BODY + "\n現場は山下小学校の正門前です。")
    approve(engine, staff, alert_id)
    consent(engine, staff, alert_id)
    sql(engine, "UPDATE alerts SET lint_override_by = 'hq', lint_override_reason = '了承' WHERE alert_id = ?",
        (alert_id,))
    digest = content_hash(alerts.get_alert(engine, alert_id))
    sql(engine, "INSERT INTO alert_events (alert_id, action, from_status, to_status, actor, role, at, reason, details,"
                " content_hash, signature) VALUES (?, 'override', 'hq_approved', 'hq_approved', 'hq',"
                " 'hq_planning_chief', ?, '了承', '{\"what\": \"lint\"}', ?, ?)",
        (alert_id, now_text(), digest, secrets.token_hex(32)))
    with pytest.raises(WorkflowError, match="公表できない表現"):
        alerts.prepare(engine, staff["operator"], alert_id)
    alerts.override(engine, staff["hq"], alert_id, what="lint", reason="学校名は保護者会の了承済み")
    alerts.prepare(engine, staff["operator"], alert_id)  # the service's own override counts


# (f) A station chief promoted to 生活安全企画課長 by SQL. Relies on users.current_role checking the
# account row's signature (helper A2's part of issue 21): fails until that lands.
def test_a_role_raised_by_sql_cannot_approve(engine, staff):
    alert_id = draft(engine, staff)
    alerts.submit(engine, staff["analyst"], alert_id)
    alerts.approve_station(engine, staff["chief"], alert_id, SEND)
    alerts.consult(engine, staff["division"], alert_id, "発信して差し支えない")
    sql(engine, "UPDATE users SET role = 'hq_planning_chief' WHERE username = 'chief'")
    with pytest.raises(PermissionDenied):
        alerts.approve_hq(engine, staff["chief"], alert_id)
    assert alerts.get_alert(engine, alert_id).status == Status.STATION_APPROVED


# (g) A follow-up keeps its original's category, and its consent.
def test_a_followup_keeps_the_category_and_the_consent_of_its_original(engine, staff):
    original = ready(engine, staff)
    alerts.mark_sent(engine, staff["operator"], original, recipients=120)
    with pytest.raises(WorkflowError, match="続報の分類は元の配信"):
        draft(engine, staff, category="fraud", original_alert_id=original)  # fraud needs no consent
    follow = draft(engine, staff, category=None, original_alert_id=original)
    assert alerts.get_alert(engine, follow).category == "threat"
    approve(engine, staff, follow)
    alerts.prepare(engine, staff["operator"], follow)  # no consent of its own: the case's consent covers it
    assert clear_to_send(engine, staff["operator"], follow).alert.alert_id == follow


def test_a_followup_of_an_alert_without_signed_consent_has_none(engine, staff):
    original = ready(engine, staff)
    alerts.mark_sent(engine, staff["operator"], original, recipients=120)
    sql(engine, "UPDATE consents SET scope = '何でも' WHERE alert_id = ?", (original,))  # the signature breaks
    follow = draft(engine, staff, original_alert_id=original)
    approve(engine, staff, follow)
    with pytest.raises(ConsentMissing):
        alerts.prepare(engine, staff["operator"], follow)


# (h) A process that is not the service (a notebook kernel) cannot take a step at all.
@pytest.mark.parametrize("step", [
    lambda e, s, a: alerts.approve(e, s["hq"], a, comment="可"),
    lambda e, s, a: alerts.approve_hq(e, s["hq"], a),
    lambda e, s, a: consent(e, s, a),
    lambda e, s, a: alerts.prepare(e, s["operator"], a),
    lambda e, s, a: alerts.check_can_send(e, s["operator"], a),
    lambda e, s, a: draft(e, s),
], ids=["approve", "approve_hq", "consent", "prepare", "check_can_send", "create"])
def test_without_the_service_key_no_step_is_taken(engine, staff, step):
    alert_id = draft(engine, staff)
    alerts.submit(engine, staff["analyst"], alert_id)
    alerts.approve_station(engine, staff["chief"], alert_id, SEND)
    alerts.consult(engine, staff["division"], alert_id, "可")
    before = len(alerts.history(engine, alert_id))
    installed = authority.current()
    authority.uninstall()
    try:
        with pytest.raises(PermissionDenied, match="anshin service"):
            step(engine, staff, alert_id)
    finally:
        authority.install(installed)
    assert len(alerts.history(engine, alert_id)) == before


# (i) Property: whatever single field of the alert row is changed after approval, sending is refused.
COUNTER = itertools.count()
# The published fields the ready alert below is stored with (derived from its row: no incident is stored).
APPROVED_FIELDS = {"category": "threat", "subtype": None, "date": None, "time_band": None, "city_code": "46201",
                   "city": "鹿児島市", "area_name": "紫原3丁目12番", "level": "BLOCK", "victim_group": None,
                   "place_type": None, "station": None, "caller_as": None, "outcome": None, "original_alert_id": None}
CATEGORIES = ["threat", "missing", "fugitive", "fraud", "community"]
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
JSON_VALUE = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), TEXT)
CHANGES = st.one_of(
    st.tuples(st.sampled_from(["subject", "body", "public_text"]), TEXT),
    st.tuples(st.just("category"), st.sampled_from(CATEGORIES)),
    st.tuples(st.sampled_from(["level", "assessed_level"]), st.sampled_from([g.name for g in Granularity])),
    st.tuples(st.just("area_codes"), st.dictionaries(TEXT, JSON_VALUE, max_size=3)),
    st.tuples(st.just("incident_ids"), st.lists(st.one_of(TEXT, st.integers(0, 10**6)), max_size=3)),
    st.tuples(st.just("urgent"), st.just(True)),
    st.tuples(st.just("original_alert_id"), st.sampled_from(["sent"])),
    # The published fields every language version is rendered from: any edit, clearing them included.
    st.tuples(st.just("published_fields"), st.one_of(
        st.none(), st.dictionaries(st.sampled_from(PUBLISHED_KEYS), JSON_VALUE, max_size=4),
        st.sampled_from(PUBLISHED_KEYS).flatmap(lambda key: st.tuples(st.just(key), JSON_VALUE)).map(
            lambda pair: {**APPROVED_FIELDS, pair[0]: pair[1]}))),
)


@pytest.fixture(scope="module")
def ready_database(staff_template, tmp_path_factory):
    """A database holding one alert ready to send (and one sent alert a follow-up could point at)."""
    path = tmp_path_factory.mktemp("ready") / "ready.sqlite"
    engine = staffed_engine(staff_template[0], path)
    staff = staff_template[1]
    sent = ready(engine, staff)
    alerts.mark_sent(engine, staff["operator"], sent, recipients=3)
    alert_id = ready(engine, staff, area_codes={"chome_code": "462010123", "town_code": "46201012"},
                     incident_ids=["K-1"])
    engine.dispose()
    return path, alert_id, sent


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(change=CHANGES)
def test_any_change_to_the_approved_content_stops_the_send(ready_database, staff_template, tmp_path, change):
    path, alert_id, sent = ready_database
    target = tmp_path / f"c{next(COUNTER)}.sqlite"
    shutil.copyfile(path, target)
    engine = store.connect(f"sqlite:///{target}")
    operator = staff_template[1]["operator"]
    try:
        field, value = change
        value = sent if field == "original_alert_id" else value
        assert clear_to_send(engine, operator, alert_id)  # sendable as approved
        with engine.connect() as conn:
            before = conn.execute(sa.select(store.alerts.c[field]).where(store.alerts.c.alert_id == alert_id)).scalar()
        if value == before:
            return
        with engine.begin() as conn:
            conn.execute(store.alerts.update().where(store.alerts.c.alert_id == alert_id).values({field: value}))
        with pytest.raises(AnshinError, match=CHANGED):
            clear_to_send(engine, operator, alert_id)
    finally:
        engine.dispose()
        target.unlink()


# The review's first finding: a notebook cell queued and delivered a threat alert without consent.
def test_a_notebook_cell_can_neither_queue_nor_send_an_alert(engine, staff):
    from anshin_lab import delivery

    alert_id = draft(engine, staff)
    approve(engine, staff, alert_id)  # hq_approved, but no consent recorded
    relay = delivery.parse_relay("127.0.0.1:9", timeout_s=1.0)  # never reached: the gate refuses first
    with pytest.raises(WorkflowError, match="承認済みの配信に「発信」はできません"):  # not ready: never queued
        delivery.queue_alert(engine, staff["operator"], alert_id)
    installed = authority.current()
    authority.uninstall()  # a kernel without the service's key
    try:
        for attempt in (lambda: delivery.queue_alert(engine, staff["operator"], alert_id),
                        lambda: delivery.deliver(engine, staff["operator"], alert_id, relay),
                        lambda: delivery.send_alert(engine, staff["operator"], alert_id, relay)):
            with pytest.raises(PermissionDenied, match="anshin service"):
                attempt()
    finally:
        authority.install(installed)
    with engine.connect() as conn:
        assert not conn.execute(sa.select(store.outbox)).all()
    assert alerts.get_alert(engine, alert_id).status == Status.HQ_APPROVED


def test_the_key_file_is_the_owners_alone(tmp_path):
    key_file = tmp_path / "secrets" / "service.key"
    key = authority.create_key(key_file)
    assert key_file.stat().st_mode & 0o777 == 0o600 and key_file.parent.stat().st_mode & 0o777 == 0o700
    assert authority.load_key(key_file).sign("x", {}) == key.sign("x", {})
    assert "…" in repr(key) and key.secret.hex() not in repr(key)
    with pytest.raises(FileExistsError):
        authority.create_key(key_file)  # a key is never replaced (every signature would be lost)
    key_file.chmod(0o640)
    with pytest.raises(AnshinError, match="chmod 600"):
        authority.load_key(key_file)
