"""Retention covers every kind of personal data, leaves monthly counts, and the schedule runs it as the service."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil

import pytest
import sqlalchemy as sa

from anshin_lab.app import scheduled_jobs
from anshin_lab.app.references import reference_tables
from anshin_lab.app.retention_files import INTERNAL, MAILDIR, purge_workspace
from anshin_lab.app.workspace import open_workspace
from anshin_lab.core.errors import ConfigError
from anshin_lab.storage import store
from anshin_lab.storage.schema import fraud_call_counts, incident_decisions
from anshin_lab.views.reports import schedule, timetable
from anshin_lab.workflow import audit, authority
from anshin_lab.workflow.retention import purge
from anshin_lab.workflow.retention_tables import ERASED_TEXT, TABLE_KINDS

from .staff import staffed_engine

OLD = dt.datetime(2018, 5, 1, 1, 0, tzinfo=dt.timezone.utc)  # past any 5-year period from now
NEW = dt.datetime(2025, 6, 1, 1, 0, tzinfo=dt.timezone.utc)  # within it
BEFORE = "2020-01-01"


def seed(engine) -> dict:
    """One old and one recent row of every kind of personal data (ids by name)."""
    ids = {}
    with engine.begin() as conn:
        conn.execute(store.imports.insert().values(import_id=1, source_name="e.csv", source_sha256="0" * 64,
                                                   imported_at=NEW, rows_read=3, accepted=3, rejected=0, inserted=3,
                                                   unchanged=0, conflicts=0))
        for incident_id, at, station in (("OLD-1", OLD, "鹿児島南警察署"), ("OLD-2", OLD + dt.timedelta(days=40), None),
                                         ("NEW-1", NEW, "鹿児島南警察署")):
            conn.execute(store.incidents.insert().values(
                incident_id=incident_id, category="threat", occurred_at=at, address="鹿児島市紫原3丁目12番5号",
                summary="下校中の児童に声をかけた", station=station, content_hash="h" + incident_id, import_id=1))
        conn.execute(store.fraud_imports.insert().values(import_id=1, source_name="f.csv", source_sha256="1" * 64,
                                                         imported_at=NEW, rows_read=3, accepted=3, rejected=0,
                                                         inserted=3, unchanged=0, conflicts=0))
        for call_id, at, outcome, loss in (("C-OLD-1", OLD, "既遂", 500000), ("C-OLD-2", OLD, "既遂", 300000),
                                           ("C-NEW", NEW, "予兆", None)):
            conn.execute(store.fraud_calls.insert().values(
                call_id=call_id, occurred_at=at, city_code="46201", city="鹿児島市", key_code="462010010",
                station="鹿児島中央警察署", method="還付金詐欺", caller_as="市役所職員", outcome=outcome,
                loss_yen=loss, victim_age_band="70代", content_hash="c" + call_id, import_id=1))
        for name, at in (("old", OLD), ("new", NEW)):
            conn.execute(incident_decisions.insert().values(
                incident_id=f"{name.upper()}-1", decision="no_send", reason="被害者の家族が配信を望まない",
                decided_by="chief", role="station_chief", decided_at=at))
        for name, status, at in (("old_sent", "sent", OLD), ("old_draft", "draft", OLD), ("new_closed", "closed", NEW)):
            ids[name] = conn.execute(store.alerts.insert().values(
                category="threat", status=status, subject="紫原3丁目で声かけ", body="山田花子さん(8)が声をかけられた",
                level="TOWN", assessed_level="TOWN", public_text="紫原3丁目付近", area_codes={}, incident_ids=["OLD-1"],
                urgent=False, created_by="analyst", created_at=at, updated_at=at, lint_override_reason="氏名は仮名",
                recipients=2)).inserted_primary_key[0]
            conn.execute(store.consents.insert().values(
                alert_id=ids[name], kind="保護者", given_at=at, method="電話", scope="配信", anshin_mail_ticked=False,
                recorded_by="analyst", recorded_at=at))
        for member_id, status, at in (("m-left-old", "unsubscribed", OLD), ("m-left-new", "unsubscribed", NEW),
                                      ("m-active", "active", OLD), ("m-pending-old", "pending", OLD),
                                      ("m-bounced-old", "bounced", OLD)):
            conn.execute(store.members.insert().values(
                member_id=member_id, email=f"{member_id}@example.jp", email_key=f"{member_id}@example.jp",
                domain="example.jp", categories="threat", areas="鹿児島市", status=status, is_staff=False,
                unsubscribe_token="t-" + member_id, hard_bounces=0, created_at=OLD, updated_at=at,
                unsubscribed_at=at if status == "unsubscribed" else None,
                suppressed_at=at if status == "bounced" else None, content_hash="m" + member_id))
        for seq, (member_id, at) in enumerate((("m-left-old", OLD), ("m-active", NEW))):
            conn.execute(store.outbox.insert().values(
                alert_id=ids["old_sent"], member_id=member_id, seq=seq, email=f"{member_id}@example.jp",
                domain="example.jp", message_id=f"<{member_id}@anshin>", state="sent", attempts=1, ambiguous=0,
                last_code=250, last_reply=f"250 ok <{member_id}@example.jp>", queued_at=at))
            conn.execute(store.bounces.insert().values(member_id=member_id, alert_id=ids["old_sent"], at=at, code=550,
                                                       reply=f"550 <{member_id}@example.jp> unknown"))
        conn.execute(store.sessions.insert().values(session_id="s" * 64, username="analyst", issued_at=OLD,
                                                    expires_at=OLD + dt.timedelta(hours=12)))
    return ids


@pytest.fixture
def seeded(engine):
    return engine, seed(engine)


def rows(engine, table, *columns, where=None) -> list[tuple]:
    query = sa.select(*(table.c[c] for c in columns)).order_by(*(table.c[c] for c in columns))
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(query if where is None else query.where(where)).all()]


def test_old_fraud_calls_are_deleted_and_kept_as_monthly_counts(seeded, staff):
    engine, _ = seeded
    report = purge(engine, BEFORE, user=staff["admin"])
    assert rows(engine, store.fraud_calls, "call_id") == [("C-NEW",)]
    assert report.removed["fraud_calls"] == 2
    assert rows(engine, fraud_call_counts, "month", "city_code", "station", "method", "outcome", "count",
                "loss_yen") == [("2018-05", "46201", "鹿児島中央警察署", "還付金詐欺", "既遂", 2, 800000)]


def test_old_incidents_are_counted_by_month_and_station_before_they_go(seeded, staff):
    engine, _ = seeded
    purge(engine, BEFORE, user=staff["admin"])
    assert rows(engine, store.incidents, "incident_id") == [("NEW-1",)]
    assert rows(engine, store.incident_counts, "month", "category", "station", "count") == [
        ("2018-05", "threat", "鹿児島南警察署", 1), ("2018-06", "threat", "不明", 1)]


def test_counts_left_by_two_purges_of_the_same_month_add_up(seeded, staff):
    engine, _ = seeded
    purge(engine, "2018-05-15", user=staff["admin"])  # the two 2018-05 calls, OLD-1
    with engine.begin() as conn:  # a late import of another call from that month
        conn.execute(store.fraud_calls.insert().values(
            call_id="C-LATE", occurred_at=OLD + dt.timedelta(days=3), city_code="46201", city="鹿児島市",
            station="鹿児島中央警察署", method="還付金詐欺", caller_as="市役所職員", outcome="既遂", loss_yen=100000,
            victim_age_band="80代以上", content_hash="late", import_id=1))
    purge(engine, BEFORE, user=staff["admin"])
    assert rows(engine, fraud_call_counts, "month", "count", "loss_yen") == [("2018-05", 3, 900000)]
    assert sum(count for (count,) in rows(engine, store.incident_counts, "count")) == 2


def test_consents_of_alerts_that_are_over_go_and_a_live_alerts_stay(seeded, staff):
    engine, ids = seeded
    report = purge(engine, BEFORE, user=staff["admin"])
    assert rows(engine, store.consents, "alert_id") == sorted([(ids["old_draft"],), (ids["new_closed"],)])
    assert report.removed["consents"] == 1


def test_old_alerts_that_are_over_lose_their_texts_and_keep_their_public_facts(seeded, staff):
    engine, ids = seeded
    purge(engine, BEFORE, user=staff["admin"])
    kept = ("category", "status", "level", "recipients", "created_at", "updated_at")
    by_id = {r[0]: r[1:] for r in rows(engine, store.alerts, "alert_id", "subject", "body", "public_text",
                                       "lint_override_reason", *kept)}
    assert by_id[ids["old_sent"]][:4] == (ERASED_TEXT,) * 4
    assert by_id[ids["old_sent"]][4:8] == ("threat", "sent", "TOWN", 2)
    assert "山田花子" in by_id[ids["old_draft"]][1]  # a live draft is the workflow's to withdraw, not retention's
    assert "山田花子" in by_id[ids["new_closed"]][1]


def test_members_who_left_long_ago_lose_their_address_and_others_keep_it(seeded, staff):
    engine, _ = seeded
    report = purge(engine, BEFORE, user=staff["admin"])
    found = dict((r[0], r[1:]) for r in rows(engine, store.members, "member_id", "email", "email_key", "domain",
                                            "content_hash", "status"))
    for gone in ("m-left-old", "m-pending-old", "m-bounced-old"):
        assert found[gone][:4] == ("", f"erased:{gone}", "", None), gone
    assert found["m-left-old"][4] == "unsubscribed"
    assert found["m-left-new"][0] == "m-left-new@example.jp" and found["m-active"][0] == "m-active@example.jp"
    assert report.removed["member_addresses"] == 3


def test_outbox_and_bounces_past_the_period_lose_addresses_and_replies(seeded, staff):
    engine, _ = seeded
    purge(engine, BEFORE, user=staff["admin"])
    assert rows(engine, store.outbox, "member_id", "email", "domain", "last_reply", "state", "last_code") == [
        ("m-active", "m-active@example.jp", "example.jp", "250 ok <m-active@example.jp>", "sent", 250),
        ("m-left-old", "", "", None, "sent", 250)]
    assert rows(engine, store.bounces, "member_id", "reply", "code") == [
        ("m-active", "550 <m-active@example.jp> unknown", 550), ("m-left-old", None, 550)]


def test_sessions_that_expired_before_the_cutoff_go_and_live_ones_still_work(seeded, staff):
    engine, _ = seeded
    purge(engine, BEFORE, user=staff["admin"])
    assert ("s" * 64,) not in rows(engine, store.sessions, "session_id")
    assert purge(engine, BEFORE, user=staff["admin"], dry_run=True).total == 0  # the admin's session still counts


def test_no_send_decisions_past_the_period_are_deleted(seeded, staff):
    engine, _ = seeded
    purge(engine, BEFORE, user=staff["admin"])
    assert rows(engine, incident_decisions, "incident_id") == [("NEW-1",)]


def test_one_audit_entry_counts_every_kind_and_a_dry_run_changes_nothing(seeded, staff):
    engine, _ = seeded
    before = rows(engine, store.members, "member_id", "email")
    counted = purge(engine, BEFORE, user=staff["admin"], dry_run=True)
    assert rows(engine, store.members, "member_id", "email") == before
    done = purge(engine, BEFORE, user=staff["admin"])
    assert counted.removed == done.removed and done.total > 0
    log = audit.read_log(engine)
    entries = log[log["action"].str.startswith("retention_purge")]
    details = json.loads(entries.iloc[-1]["details"])
    assert {kind.name for kind in TABLE_KINDS} <= set(details) and details["alert_texts"] == 1
    assert list(entries["actor"]) == ["admin", "admin"] and audit.verify(engine).ok
    assert purge(engine, BEFORE, user=staff["admin"]).total == 0  # nothing is swept twice


# -- files, and the workspace ----------------------------------------------------------------

def aged(path, when=OLD):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("個人情報", encoding="utf-8")
    os.utime(path, (when.timestamp(), when.timestamp()))
    return path


@pytest.fixture
def staffed_ws(fresh_workspace, staff_template):
    """A workspace whose database is a copy of the staff database."""
    db = fresh_workspace.database_url.removeprefix("sqlite:///")
    staffed_engine(staff_template[0], db).dispose()
    return fresh_workspace


def test_quarantine_maildir_and_internal_files_past_retention_are_removed(staffed_ws, staff):
    ws = staffed_ws
    old = [aged(ws.quarantine_dir / "old_rejected.csv"), aged(ws.root / MAILDIR / "new" / "1526.M1P1.host"),
           aged(ws.root / INTERNAL / "incident_map.html")]
    new = [aged(ws.quarantine_dir / "new_rejected.csv", NEW), aged(ws.root / MAILDIR / "cur" / "17.M2P2.host", NEW),
           aged(ws.root / INTERNAL / "recent.html", NEW)]
    engine = store.connect(ws.database_url)
    try:
        counted = purge_workspace(ws, engine, user=staff["admin"], before=BEFORE, dry_run=True)
        assert all(path.exists() for path in old)
        done = purge_workspace(ws, engine, user=staff["admin"], before=BEFORE)
        details = json.loads(audit.read_log(engine).iloc[-1]["details"])
    finally:
        engine.dispose()
    assert counted.removed == done.removed
    assert {k: done.removed[k] for k in ("quarantine", "maildir", "internal_exports")} == \
        {"quarantine": 1, "maildir": 1, "internal_exports": 1}
    assert details["maildir"] == 1 and not any(path.exists() for path in old) and all(path.exists() for path in new)


def test_the_demo_relay_and_the_internal_map_write_where_retention_looks():
    from anshin_lab.demo.run import MAILDIR as DEMO_MAILDIR
    from anshin_lab.views.maps.incident import INTERNAL_DIRNAME

    assert (MAILDIR, INTERNAL) == (DEMO_MAILDIR, INTERNAL_DIRNAME)


# -- the schedule ------------------------------------------------------------------------------

RETENTION_ONLY = """
timezone = "Asia/Tokyo"
[[jobs]]
name = "retention"
kind = "retention"
every = "daily"
at = "03:00"
"""


@pytest.fixture
def schedule_ws(built_workspace, tmp_path, staff_template):
    """The built workspace's files with the staff database holding the seeded rows, and a retention-only schedule."""
    root = tmp_path / "ws"
    shutil.copytree(built_workspace.root, root, ignore=shutil.ignore_patterns("anshin.sqlite*", "quarantine"))
    ws = open_workspace(root)
    engine = staffed_engine(staff_template[0], ws.database_url.removeprefix("sqlite:///"))
    seed(engine)
    engine.dispose()
    (tmp_path / "schedule.toml").write_text(RETENTION_ONLY, encoding="utf-8")
    return ws, tmp_path / "schedule.toml"


def test_the_default_schedule_runs_retention_daily(reference_dir):
    stations = sorted(reference_tables(reference_dir).stations)
    jobs = {job.name: job for job in timetable.load_schedule(stations=stations).jobs}
    assert jobs["retention"].kind == "retention" and jobs["retention"].when_label == "毎日 03:00"


def test_a_scheduled_retention_job_purges_as_the_service_and_writes_its_account(schedule_ws):
    ws, path = schedule_ws
    run = schedule.run_schedule(path, workspace=ws.root, now="2026-11-30T04:00", reports_dir=ws.root / "reports")
    [outcome] = run.outcomes
    assert outcome.status == "ok", outcome.message
    engine = store.connect(ws.database_url)
    try:
        assert rows(engine, store.incidents, "incident_id") == [("NEW-1",)]
        assert rows(engine, fraud_call_counts, "count") == [(2,)]
        entry = audit.read_log(engine).iloc[-1]
    finally:
        engine.dispose()
    assert entry["actor"] == "schedule:retention" and entry["action"] == "retention_purge"
    assert json.loads(entry["details"])["scheduled"] is True
    account = open(outcome.report_path, encoding="utf-8").read()
    assert "事案: 2件" in account and "うそ電話の記録: 2件" in account and "@" not in account
    again = schedule.run_schedule(path, workspace=ws.root, now="2026-11-30T05:00", reports_dir=ws.root / "reports")
    assert again.outcomes[0].status == "done"


def test_the_schedules_clock_cannot_stretch_the_retention_period(schedule_ws):
    ws, path = schedule_ws  # a scheduler told it is 2040 still purges by today's date: no login steers it
    run = schedule.run_schedule(path, workspace=ws.root, now="2040-01-01T04:00", reports_dir=ws.root / "reports")
    assert run.outcomes[0].status == "ok"
    engine = store.connect(ws.database_url)
    try:
        assert rows(engine, store.incidents, "incident_id") == [("NEW-1",)]
    finally:
        engine.dispose()


def test_a_scheduler_without_the_key_fails_naming_the_service_and_changes_nothing(schedule_ws):
    ws, path = schedule_ws
    authority.uninstall()
    ws.key_file.unlink(missing_ok=True)  # this OS user has no key to read
    run = schedule.run_schedule(path, workspace=ws.root, now="2026-11-30T04:00", reports_dir=ws.root / "reports")
    [outcome] = run.outcomes
    assert outcome.status == "failed" and "anshin service" in outcome.message and "管理者" in outcome.message
    engine = store.connect(ws.database_url)
    try:
        assert len(rows(engine, store.incidents, "incident_id")) == 3
    finally:
        engine.dispose()
    assert authority.current() is None  # the job leaves no key behind either way


def test_an_unknown_job_kind_is_refused_listing_the_kinds(tmp_path):
    path = tmp_path / "schedule.toml"
    path.write_text(RETENTION_ONLY.replace('kind = "retention"', 'kind = "backup"'), encoding="utf-8")
    with pytest.raises(ConfigError, match="backup") as caught:
        timetable.load_schedule(path)
    assert all(kind in str(caught.value) for kind in scheduled_jobs.JOB_KINDS)

