"""Quiet hours and 町丁目 areas in delivery: held mail goes at the window's end, urgent mail at once (real SMTP)."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import mailbox
import time
from types import SimpleNamespace

import pandas as pd
import pytest
import sqlalchemy as sa

from anshin_lab import delivery
from anshin_lab.app.imports import load_area_directory
from anshin_lab.app.send_jobs import COMPLETE, STOPPED, WAITING, SendJobs
from anshin_lab.core.clock import TOKYO
from anshin_lab.delivery.quiet_hours import hold_until, quiet_until
from anshin_lab.demo.smtpd import start_relay
from anshin_lab.records.members import check_members, parse_quiet_hours
from anshin_lab.storage import store
from anshin_lab.storage.members import save_members
from anshin_lab.workflow import alerts
from anshin_lab.workflow.rules import Status

from .test_members import DIRECTORY, GOOD
from .test_workflow import approve, consent, draft

FAST = dict(retry_initial_s=0.05, retry_max_s=0.2, rate_limits={})
NIGHT = dt.datetime(2026, 12, 1, 23, 30, tzinfo=TOKYO)  # in the night member's window (22:00–07:00)
COLUMNS = [*GOOD, "quiet_hours"]


def members_frame(*rows: dict) -> pd.DataFrame:
    return pd.DataFrame([{**GOOD, "quiet_hours": "", **r} for r in rows], columns=COLUMNS, dtype=object)


# -- the window ------------------------------------------------------------------------------------

def test_a_window_may_wrap_midnight_and_ends_at_its_end():
    assert quiet_until("22:00", "07:00", NIGHT) == dt.datetime(2026, 12, 2, 7, 0, tzinfo=TOKYO)
    assert quiet_until("22:00", "07:00", NIGHT.replace(day=2, hour=6, minute=59)) == dt.datetime(2026, 12, 2, 7, 0,
                                                                                                 tzinfo=TOKYO)
    assert quiet_until("22:00", "07:00", NIGHT.replace(day=2, hour=7, minute=0)) is None
    assert quiet_until("22:00", "07:00", NIGHT.replace(hour=21, minute=59)) is None
    assert quiet_until("12:00", "13:00", NIGHT.replace(hour=12, minute=30)) == NIGHT.replace(hour=13, minute=0)
    assert quiet_until(None, None, NIGHT) is None
    # UTC in, the same instant out: 14:30 UTC is 23:30 in Tokyo.
    assert quiet_until("22:00", "07:00", NIGHT.astimezone(dt.timezone.utc)) == dt.datetime(2026, 12, 2, 7, 0,
                                                                                            tzinfo=TOKYO)
    assert hold_until("fugitive", "22:00", "07:00", NIGHT) is None and hold_until("missing", "22:00", "07:00", NIGHT) is None
    assert hold_until("threat", "22:00", "07:00", NIGHT) is not None


def test_the_member_csv_reads_quiet_hours_and_refuses_nonsense():
    assert parse_quiet_hours("22時-7時") == ("22:00", "07:00") and parse_quiet_hours("") is None
    checked = check_members(members_frame({"member_id": "A", "email": "a@example.jp", "quiet_hours": "22:00-07:00"},
                                          {"member_id": "B", "email": "b@example.jp", "quiet_hours": "２３：３０〜６：００"},
                                          {"member_id": "C", "email": "c@example.jp"},
                                          {"member_id": "D", "email": "d@example.jp", "quiet_hours": "夜"},
                                          {"member_id": "E", "email": "e@example.jp", "quiet_hours": "25:00-07:00"}),
                            DIRECTORY, headers={c: c for c in COLUMNS})
    quiet = {r["member_id"]: (r["quiet_start"], r["quiet_end"]) for r in checked.records}
    assert quiet == {"A": ("22:00", "07:00"), "B": ("23:30", "06:00"), "C": (None, None)}
    assert len(checked.rejected) == 2 and checked.rejected["reason"].str.contains("時間帯").all()


# -- holding, with a real relay ----------------------------------------------------------------------

@pytest.fixture
def night(engine, staff, tmp_path):
    """A staffed database with a member in quiet hours 22:00–07:00 and one without, and a Maildir relay."""
    rows = [{"member_id": "night", "email": "night@example.jp", "categories": "threat;fugitive", "areas": "鹿児島市",
             "quiet_hours": "22:00-07:00"},
            {"member_id": "day", "email": "day@example.jp", "categories": "threat;fugitive", "areas": "鹿児島市"}]
    checked = check_members(members_frame(*rows), DIRECTORY, headers={c: c for c in COLUMNS})
    assert checked.rejected.empty
    save_members(engine, checked.records, directory=DIRECTORY)
    with start_relay(0, tmp_path / "maildir") as relay:
        yield engine, staff, delivery.parse_relay(relay.address), tmp_path / "maildir"


def received(maildir) -> list[tuple[str, str]]:
    box = mailbox.Maildir(maildir, create=False)
    messages = [email.message_from_bytes(box.get_bytes(key), policy=email.policy.default) for key in box.keys()]
    return sorted((str(m["To"]), str(m["Subject"])) for m in messages)


def test_a_threat_alert_waits_for_the_window_end_and_a_fugitive_alert_goes_at_once(night):
    engine, staff, relay, maildir = night
    options = delivery.DeliveryOptions(**FAST)
    threat = draft(engine, staff, area_codes={"city_code": "46201", "station": "鹿児島中央警察署"})
    approve(engine, staff, threat)
    consent(engine, staff, threat)
    alerts.prepare(engine, staff["operator"], threat)

    report = delivery.send_alert(engine, staff["operator"], threat, relay, options=options, now=NIGHT)
    assert (report.sent, report.held, report.pending) == (1, 1, 0) and not report.complete
    assert "保留中" in report.error and "07:00" in report.error and any("保留中 1件" in line for line in report.lines())
    assert [to for to, _ in received(maildir)] == ["day@example.jp"]
    assert alerts.get_alert(engine, threat).status == Status.READY  # recorded as sent once the held mail went

    early = delivery.send_alert(engine, staff["operator"], threat, relay, options=options,
                                now=dt.datetime(2026, 12, 2, 6, 59, tzinfo=TOKYO))
    assert (early.sent, early.held, early.released) == (0, 1, 0) and len(received(maildir)) == 1

    end = delivery.send_alert(engine, staff["operator"], threat, relay, options=options,
                              now=dt.datetime(2026, 12, 2, 7, 0, tzinfo=TOKYO))
    assert (end.sent, end.released, end.held, end.sent_total) == (1, 1, 0, 2) and end.complete
    assert [to for to, _ in received(maildir)] == ["day@example.jp", "night@example.jp"]
    assert alerts.get_alert(engine, threat).status == Status.SENT
    assert delivery.outbox_states(engine, threat) == {"sent": 2}

    fugitive = draft(engine, staff, category="fugitive")
    alerts.submit(engine, staff["analyst"], fugitive)
    alerts.approve_urgent(engine, staff["duty"], fugitive, "凶器を持ったまま逃走中のため直ちに発信")
    alerts.prepare(engine, staff["duty"], fugitive)
    urgent = delivery.send_alert(engine, staff["operator"], fugitive, relay, options=options, now=NIGHT)
    assert (urgent.sent, urgent.held) == (2, 0) and urgent.complete
    assert [to for to, _ in received(maildir)].count("night@example.jp") == 2


def test_a_held_mail_to_a_member_who_left_meanwhile_is_skipped(night):
    engine, staff, relay, maildir = night
    options = delivery.DeliveryOptions(**FAST)
    threat = draft(engine, staff, area_codes={"city_code": "46201"})
    approve(engine, staff, threat)
    consent(engine, staff, threat)
    alerts.prepare(engine, staff["operator"], threat)
    assert delivery.send_alert(engine, staff["operator"], threat, relay, options=options, now=NIGHT).held == 1
    with engine.begin() as conn:
        conn.execute(store.members.update().where(store.members.c.member_id == "night").values(status="unsubscribed"))
    after = delivery.send_alert(engine, staff["operator"], threat, relay, options=options,
                                now=dt.datetime(2026, 12, 2, 8, 0, tzinfo=TOKYO))
    assert (after.sent, after.skipped, after.held) == (0, 1, 0) and after.complete
    assert [to for to, _ in received(maildir)] == ["day@example.jp"]


# -- 町丁目 areas -----------------------------------------------------------------------------------------

def recipients(engine, **area_codes) -> list[str]:
    alert = SimpleNamespace(alert_id=1, category="threat", area_codes=area_codes, original_alert_id=None)
    with engine.connect() as conn:
        return sorted(r.member_id for r in delivery.select_recipients(conn, alert))


@pytest.mark.slow
def test_a_chome_member_gets_alerts_on_and_beside_their_chome_and_not_elsewhere(built_workspace, tmp_path):
    directory = load_area_directory(built_workspace)
    kind, code, name = directory.resolve("鹿児島市紫原三丁目")
    assert (kind, name) == ("chome", "鹿児島市紫原3丁目")
    beside = directory.neighbours(code)
    far = next(c for c, (cc, _) in directory.chomes.items()
               if c == cc and c.startswith("46201") and c not in beside and c[:9] != code[:9])
    engine = store.connect(f"sqlite:///{tmp_path / 'c.sqlite'}")
    checked = check_members(members_frame({"member_id": "shibahara", "email": "s@example.jp",
                                           "categories": "threat", "areas": "鹿児島市紫原三丁目"}),
                            directory, headers={c: c for c in COLUMNS})
    assert checked.rejected.empty
    save_members(engine, checked.records, directory=directory)
    with engine.connect() as conn:
        stored = conn.execute(sa.select(store.member_areas.c.kind, store.member_areas.c.code)).all()
    assert stored == [("chome", code)]
    assert recipients(engine, chome_code=code, city_code="46201") == ["shibahara"]  # their 町丁目
    assert recipients(engine, chome_code=beside[0], city_code="46201") == ["shibahara"]  # one that touches it
    assert recipients(engine, town_code=code[:9], city_code="46201") == ["shibahara"]  # the 町 covering it
    assert recipients(engine, city_code="46201") == ["shibahara"]  # the municipality covering it
    assert recipients(engine, chome_code=far, city_code="46201") == []  # elsewhere in the city
    assert recipients(engine, city_code="46222", station="奄美警察署") == []  # another municipality
    engine.dispose()


# -- the service's send job waits for the window's end and sends the held mail itself ----------------

def ready_threat(engine, staff) -> int:
    threat = draft(engine, staff, area_codes={"city_code": "46201", "station": "鹿児島中央警察署"})
    approve(engine, staff, threat)
    consent(engine, staff, threat)
    alerts.prepare(engine, staff["operator"], threat)
    return threat


def wait_for(condition, timeout_s: float = 30.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_the_service_job_sends_the_held_mail_when_the_window_ends(night):
    engine, staff, relay, maildir = night
    now = [NIGHT]
    jobs = SendJobs(engine, relay, delivery.DeliveryOptions(**FAST), clock=lambda: now[0], poll_s=0.02)
    threat = ready_threat(engine, staff)
    job = jobs.start(staff["operator"], threat)
    wait_for(lambda: job.state == WAITING)
    assert [to for to, _ in received(maildir)] == ["day@example.jp"] and "07:00" in job.message
    assert jobs.status(threat)["state_label"] == "時間帯明けを待機中"
    now[0] = dt.datetime(2026, 12, 2, 7, 0, tzinfo=TOKYO)  # the window ends
    job.thread.join(30)
    assert job.state == COMPLETE, job.status()
    assert [to for to, _ in received(maildir)] == ["day@example.jp", "night@example.jp"]
    assert alerts.get_alert(engine, threat).status == Status.SENT


def test_a_stop_while_waiting_ends_the_job_and_sends_nothing_more(night):
    engine, staff, relay, maildir = night
    jobs = SendJobs(engine, relay, delivery.DeliveryOptions(**FAST), clock=lambda: NIGHT, poll_s=0.02)
    threat = ready_threat(engine, staff)
    job = jobs.start(staff["operator"], threat)
    wait_for(lambda: job.state == WAITING)
    answer = jobs.stop(staff["operator"], threat)
    assert answer["state"] == STOPPED and not job.thread.is_alive()
    assert [to for to, _ in received(maildir)] == ["day@example.jp"]
    assert alerts.get_alert(engine, threat).status == Status.READY
