"""Delivery against real SMTP servers on loopback: messages, faults, bounces, SIGKILL and restart, the gate."""

from __future__ import annotations

import asyncio
import email
import email.policy
import json
import mailbox
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from anshin_lab import delivery
from anshin_lab.core.errors import ConsentMissing, DeliveryError, PermissionDenied, WorkflowError
from anshin_lab.delivery.gate import Clearance
from anshin_lab.delivery.outbox import OutboxItem, queue_outbox
from anshin_lab.delivery.pacing import Scheduler
from anshin_lab.delivery.smtp import transmit
from anshin_lab.records.members import AreaDirectory, check_members
from anshin_lab.storage import store
from anshin_lab.storage.members import save_members
from anshin_lab.workflow import alerts, users
from anshin_lab.workflow.rules import Status

from .smtp_faults import start_fault_server
from .staff import PASSWORD, staffed_engine
from .test_members import DIRECTORY, frame
from .test_workflow import approve, consent, draft

PROJECT = Path(__file__).resolve().parents[1]
FAST = dict(retry_initial_s=0.05, retry_max_s=0.2, rate_limits={})
SUBJECT = "【声かけ事案】鹿児島市紫原3丁目12番付近で女子児童への声かけ(鹿児島南警察署)"
BODY = "11月28日(金)午後4時ごろ、鹿児島市紫原3丁目12番付近の路上で、女子児童が男から声をかけられました。\n★子供が一人にならないよう見守りをお願いします。\n"


# -- messages -----------------------------------------------------------------------------------

def test_the_template_gives_the_email_packages_message_byte_for_byte():
    options = delivery.DeliveryOptions()
    date = pd.Timestamp("2026-11-28 17:00", tz="Asia/Tokyo")
    template = delivery.MessageTemplate(subject=SUBJECT, body=BODY, date=date, options=options)
    for to, token in [("taro.k1@example.jp", "a" * 32), ("x@docomo.ne.jp", "Zz-_" * 8), ("a.b+c@ezweb.ne.jp", "q" * 40)]:
        message_id = delivery.new_message_id(options.sender_domain)
        fast = template.render(to=to, message_id=message_id, unsubscribe_token=token)
        whole = delivery.build_message(subject=SUBJECT, body=BODY, to=to, message_id=message_id, date=date,
                                      unsubscribe_token=token, options=options).as_bytes()
        assert fast == whole


def test_a_message_is_plain_utf8_text_with_the_unsubscribe_headers():
    options = delivery.DeliveryOptions()
    token = "t0k3n" * 6 + "xy"
    raw = delivery.MessageTemplate(subject=SUBJECT, body=BODY, date=pd.Timestamp("2026-11-28 17:00", tz="Asia/Tokyo"),
                                  options=options).render(to="taro@example.jp", message_id="<m@123123.tv>",
                                                          unsubscribe_token=token)
    head = raw.split(b"\r\n\r\n")[0]
    assert all(len(line) <= 78 for line in head.split(b"\r\n"))  # folded, and 7-bit: raw.decode("ascii") works
    raw.decode("ascii")
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    assert msg["Subject"] == SUBJECT
    assert msg["From"].addresses[0].addr_spec == "anshin@123123.tv"
    assert msg["From"].addresses[0].display_name == options.sender_name
    assert msg["To"] == "taro@example.jp" and msg["Message-ID"] == "<m@123123.tv>"
    assert msg["Date"] == "Sat, 28 Nov 2026 17:00:00 +0900"
    assert msg.get_content_type() == "text/plain" and msg.get_content_charset() == "utf-8"
    assert msg["List-Unsubscribe"].strip() == (f"<https://123123.tv/unsubscribe?t={token}>, "
                                               f"<mailto:unsubscribe@123123.tv?subject={token}>")
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = msg.get_content().replace("\r\n", "\n")  # text travels in canonical CRLF form
    assert text.startswith(BODY) and f"配信の停止: https://123123.tv/unsubscribe?t={token}" in text


def test_message_ids_are_random_on_the_sender_domain():
    made = {delivery.new_message_id("123123.tv") for _ in range(1000)}
    assert len(made) == 1000
    assert all(re.fullmatch(r"<[0-9a-f]{32}@123123\.tv>", m) for m in made)


def test_dkim_signature_verifies_and_covers_the_unsubscribe_headers(tmp_path):
    import base64

    import dkim

    key = tmp_path / "dkim.pem"
    subprocess.run(["openssl", "genrsa", "-out", str(key), "2048"], check=True, capture_output=True)
    public = subprocess.run(["openssl", "rsa", "-in", str(key), "-pubout", "-outform", "DER"], check=True,
                            capture_output=True).stdout
    record = b"v=DKIM1; k=rsa; p=" + base64.b64encode(public)
    options = delivery.DeliveryOptions(dkim_key_path=str(key), dkim_selector="s2026")
    raw = delivery.MessageTemplate(subject=SUBJECT, body=BODY, date=pd.Timestamp.now(tz="Asia/Tokyo"), options=options,
                                  signer=delivery.make_signer(options)).render(
        to="taro@example.jp", message_id="<m@123123.tv>", unsubscribe_token="t" * 32)

    def dns(name, timeout=5):
        return record if name == b"s2026._domainkey.123123.tv." else None

    assert raw.startswith(b"DKIM-Signature:")
    assert dkim.verify(raw, dnsfunc=dns)
    signed = email.message_from_bytes(raw, policy=email.policy.default)["DKIM-Signature"].replace(" ", "")
    assert "list-unsubscribe:list-unsubscribe-post" in signed
    assert not dkim.verify(raw.replace(b"List-Unsubscribe-Post: List-Unsubscribe=One-Click",
                                       b"List-Unsubscribe-Post: List-Unsubscribe=Two-Click"), dnsfunc=dns)


def test_relay_and_rate_limit_settings_are_parsed_with_clear_errors():
    assert delivery.parse_relay("127.0.0.1:2525").port == 2525
    assert delivery.parse_relay("[::1]:25").host == "::1"
    with pytest.raises(DeliveryError, match="HOST:PORT"):
        delivery.parse_relay("localhost")
    with pytest.raises(DeliveryError, match="暗号化"):
        delivery.Relay("h", 25, security="ssl3")
    assert delivery.parse_rate_limits("docomo.ne.jp=20, au.com=5.5") == {"docomo.ne.jp": 20.0, "au.com": 5.5}
    with pytest.raises(DeliveryError, match="docomo.ne.jp=20"):
        delivery.parse_rate_limits("docomo.ne.jp")
    assert "softbank.ne.jp" in delivery.DeliveryOptions().rate_limits


def test_rate_limited_domains_do_not_hold_up_the_others():
    def item(n, domain):
        return OutboxItem(f"M{n}", f"u{n}@{domain}", domain, f"<{n}@x>", "t", None)

    async def drain():
        scheduler = Scheduler([item(n, "docomo.ne.jp") for n in range(6)] +
                              [item(n, "example.jp") for n in range(6, 12)], {"docomo.ne.jp": 4})
        began, times = time.monotonic(), {}
        while (got := await scheduler.next()) is not None:
            times[got.member_id] = time.monotonic() - began
            scheduler.done_with(got)
        return times

    times = asyncio.run(drain())
    assert len(times) == 12
    assert max(times[f"M{n}"] for n in range(6, 12)) < 0.1  # not queued behind the throttled carrier
    assert times["M5"] >= 0.4  # 4 at once (a second's worth), then 4 a second


# -- delivery through a misbehaving server ------------------------------------------------------

DOMAINS = ("example.jp", "example.com", "example.net", "example.org")


def emails(n):
    return [f"member{i:07d}@{DOMAINS[i % 4]}" for i in range(1, n + 1)]


def add_members(engine, n):
    """``n`` active members on reserved example domains who chose 脅威事犯 for the whole prefecture."""
    stamp = pd.Timestamp.now(tz="Asia/Tokyo")
    records = [{"member_id": f"B{i:07d}", "email": address, "categories": ["threat"],
                "areas": [("pref", "46", "鹿児島県")], "status": "active", "opted_in_at": stamp, "is_staff": False}
               for i, address in enumerate(emails(n), start=1)]
    save_members(engine, records, directory=AreaDirectory({}, {}), source_name="test")


def ready_alert(engine, people, **kwargs):
    """A 脅威事犯 alert through the whole workflow: drafted, approved, consent recorded, ``ready``."""
    alert_id = draft(engine, people, **kwargs)
    approve(engine, people, alert_id)
    consent(engine, people, alert_id)
    alerts.prepare(engine, people["operator"], alert_id)
    return alert_id


def scratch(staff_template, path, n):
    """A staffed database with ``n`` members and a ready alert for them all: (engine, operator, alert id)."""
    engine = staffed_engine(staff_template[0], path / "d.sqlite")
    add_members(engine, n)
    people = staff_template[1]
    return engine, people["operator"], ready_alert(engine, people)


def outbox_of(engine, alert_id):
    with engine.connect() as conn:
        rows = conn.execute(sa.select(store.outbox).where(store.outbox.c.alert_id == alert_id)).mappings().all()
    return pd.DataFrame(rows)


def test_faults_are_retried_in_the_same_run_and_hard_bounces_recorded(staff_template, tmp_path):
    addresses = emails(40)
    plan = {addresses[0]: ["421", "ok"], addresses[1]: ["451", "451", "ok"], addresses[2]: ["drop", "ok"],
            addresses[3]: ["data451", "ok"], addresses[4]: ["550"], addresses[5]: ["550"],
            addresses[6]: ["drop", "421", "451", "ok"]}
    engine, operator, alert_id = scratch(staff_template, tmp_path, 40)
    with start_fault_server(plan, maildir=tmp_path / "Maildir") as server:
        delivery.queue_alert(engine, operator, alert_id)
        report = delivery.deliver(engine, operator, alert_id, delivery.parse_relay(server.address),
                                  options=delivery.DeliveryOptions(connections=4, **FAST))
    accepted = Counter(server.handler.accepted)
    box = outbox_of(engine, alert_id).set_index("email")
    assert report.complete and (report.sent, report.failed) == (38, 2)
    assert report.retries == 1 + 2 + 1 + 1 + 3
    assert set(accepted) == set(box.loc[box["state"] == "sent", "message_id"])
    assert max(accepted.values()) == 1  # each delivered exactly once
    assert box.loc[addresses[4], "state"] == "failed" and box.loc[addresses[4], "last_code"] == 550
    assert box.loc[addresses[6], "attempts"] == 4
    with engine.connect() as conn:
        bounced = conn.execute(sa.select(store.bounces.c.member_id, store.bounces.c.code)).all()
        hard = dict(conn.execute(sa.select(store.members.c.email, store.members.c.hard_bounces)).all())
        run = conn.execute(sa.select(store.delivery_runs.c.operator, store.delivery_runs.c.alert_id)).one()
    assert sorted(code for _, code in bounced) == [550, 550]
    assert hard[addresses[4]] == 1 and hard[addresses[7]] == 0
    assert tuple(run) == ("operator", alert_id)  # the run records who sent, as the gate found them
    assert len(mailbox.Maildir(tmp_path / "Maildir")) == 38


def test_repeated_hard_bounces_suppress_the_member(staff_template, tmp_path):
    engine, operator, first = scratch(staff_template, tmp_path, 5)
    people = staff_template[1]
    dead = emails(5)[2]
    options = delivery.DeliveryOptions(connections=2, bounce_limit=2, **FAST)
    with start_fault_server({dead: ["550"]}) as server:
        for n in range(3):
            alert_id = first if n == 0 else ready_alert(engine, people)
            queued = delivery.queue_alert(engine, operator, alert_id)
            delivery.deliver(engine, operator, alert_id, delivery.parse_relay(server.address), options=options)
            assert queued == (5 if n < 2 else 4)  # suppressed after the second bounce: not chosen again
    with engine.connect() as conn:
        status = conn.execute(sa.select(store.members.c.status).where(store.members.c.email == dead)).scalar()
    assert status == "bounced"


def test_rows_left_sending_by_a_killed_run_are_resent_and_counted(staff_template, tmp_path):
    engine, operator, alert_id = scratch(staff_template, tmp_path, 10)
    delivery.queue_alert(engine, operator, alert_id)
    with engine.begin() as conn:
        conn.execute(store.outbox.update().where(store.outbox.c.seq < 3).values(state="sending", attempts=1))
        conn.execute(store.outbox.update().where(store.outbox.c.seq == 3).values(state="sent"))
    with start_fault_server() as server:
        report = delivery.deliver(engine, operator, alert_id, delivery.parse_relay(server.address),
                                  options=delivery.DeliveryOptions(**FAST))
    assert (report.ambiguous, report.sent, report.already_done, report.sent_total) == (3, 9, 1, 10)
    assert any("二重に届いた可能性" in line for line in report.lines())


def test_an_unreachable_relay_leaves_the_batch_to_resume(staff_template, tmp_path):
    engine, operator, alert_id = scratch(staff_template, tmp_path, 6)
    delivery.queue_alert(engine, operator, alert_id)
    with start_fault_server() as server:
        address = server.address  # a port that was just closed
    report = delivery.deliver(engine, operator, alert_id, delivery.parse_relay(address),
                              options=delivery.DeliveryOptions(connections=2, connect_attempts=2, **FAST))
    assert not report.complete and report.pending == 6 and "接続できません" in report.error
    assert set(outbox_of(engine, alert_id)["state"]) == {"queued"}


def test_starttls_and_auth_to_the_relay(staff_template, tmp_path):
    import ssl

    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)

    def authenticator(server, session, envelope, mechanism, auth_data):
        from aiosmtpd.smtp import AuthResult

        return AuthResult(success=(auth_data.login, auth_data.password) == (b"relay", b"s3cret"), handled=False)

    engine, operator, alert_id = scratch(staff_template, tmp_path, 3)
    delivery.queue_alert(engine, operator, alert_id)
    with start_fault_server(tls_context=context, require_starttls=True, auth_required=True,
                            authenticator=authenticator) as server:
        relay = delivery.parse_relay(server.address, security="starttls", username="relay", password="wrong",
                                     ca_file=str(cert))
        refused = delivery.deliver(engine, operator, alert_id, relay, options=delivery.DeliveryOptions(**FAST))
        assert not refused.complete and "ログインが拒否" in refused.error
        relay = delivery.parse_relay(server.address, security="starttls", username="relay", password="s3cret",
                                     ca_file=str(cert))
        report = delivery.deliver(engine, operator, alert_id, relay, options=delivery.DeliveryOptions(**FAST))
    assert report.complete and report.sent == 3 and len(server.handler.accepted) == 3
    assert "s3cret" not in repr(relay)


TRANSIENT = st.sampled_from(["421", "451", "drop", "data451"])


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(st.lists(st.tuples(st.lists(TRANSIENT, max_size=2), st.sampled_from(["ok", "ok", "550"])),
                min_size=12, max_size=12))
def test_every_message_is_accepted_exactly_once_or_refused_for_good(staff_template, tmp_path_factory, plans):
    tmp = tmp_path_factory.mktemp("prop")
    addresses = emails(12)
    plan = {a: [*transient, final] for a, (transient, final) in zip(addresses, plans)}
    engine, operator, alert_id = scratch(staff_template, tmp, 12)
    delivery.queue_alert(engine, operator, alert_id)
    with start_fault_server(plan) as server:
        report = delivery.deliver(engine, operator, alert_id, delivery.parse_relay(server.address),
                                  options=delivery.DeliveryOptions(connections=3, **FAST))
    box = outbox_of(engine, alert_id).set_index("email")
    accepted = Counter(server.handler.accepted)
    assert report.complete and report.retries == sum(len(t) for t, _ in plans)
    for address, steps in plan.items():
        message_id = box.loc[address, "message_id"]
        if steps[-1] == "550":
            assert box.loc[address, "state"] == "failed" and accepted[message_id] == 0
        else:
            assert box.loc[address, "state"] == "sent" and accepted[message_id] == 1
    engine.dispose()


# -- the operator's send, with the workflow ----------------------------------------------------------

@pytest.fixture
def ready(staff_template, tmp_path):
    """A staffed database with 300 members and a ready 脅威事犯 alert for 鹿児島市 (中央署)."""
    engine = staffed_engine(staff_template[0], tmp_path / "w.sqlite")
    people = staff_template[1]
    rows = [{"member_id": f"M{i:04d}", "email": f"member{i:04d}@example.{['jp', 'com', 'net'][i % 3]}",
             "categories": "threat", "areas": ["鹿児島市", "鹿児島中央警察署", "鹿児島県", "奄美市"][i % 4]}
            for i in range(400)]
    checked = check_members(frame(*rows), DIRECTORY)
    save_members(engine, checked.records, directory=DIRECTORY)
    alert_id = draft(engine, people, area_codes={"city_code": "46201", "station": "鹿児島中央警察署"})
    approve(engine, people, alert_id)
    consent(engine, people, alert_id)
    alerts.prepare(engine, people["operator"], alert_id)
    yield engine, people, alert_id, tmp_path / "w.sqlite"
    engine.dispose()


def test_only_the_designated_operator_sends_and_nothing_is_queued_otherwise(ready):
    engine, people, alert_id, _ = ready
    for name in ("operator2", "hq", "analyst"):
        with pytest.raises(PermissionDenied):
            delivery.send_alert(engine, people[name], alert_id, delivery.parse_relay("127.0.0.1:9"))
    assert delivery.outbox_states(engine, alert_id) == {}


def test_dry_run_shows_recipients_and_one_message_and_writes_nothing(ready):
    engine, people, alert_id, _ = ready
    preview = delivery.send_alert(engine, people["operator"], alert_id, dry_run=True)
    assert len(preview.recipients) == 300  # 鹿児島市, 中央署 and 県 members; not 奄美市
    text = "\n".join(preview.lines())
    assert "宛先 300件" in text and "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in text
    assert "鹿児島市紫原3丁目12番付近" in text
    assert delivery.outbox_states(engine, alert_id) == {}
    assert alerts.get_alert(engine, alert_id).status == Status.READY


# -- the gate, at every public entry -------------------------------------------------------------------

def _force_ready(engine, alert_id):
    """Set the stored status to ``ready`` behind the workflow's back (a bug, or a hand-edited database)."""
    with engine.begin() as conn:
        conn.execute(store.alerts.update().where(store.alerts.c.alert_id == alert_id).values(status="ready"))


def _a_draft(engine, people):
    return draft(engine, people), people["operator"]


def _ready_without_approvals(engine, people):
    alert_id = draft(engine, people)
    _force_ready(engine, alert_id)
    return alert_id, people["operator"]


def _threat_without_consent(engine, people):
    alert_id = draft(engine, people)
    approve(engine, people, alert_id)
    _force_ready(engine, alert_id)
    return alert_id, people["operator"]


def _not_the_designated_operator(engine, people):
    return ready_alert(engine, people), people["operator2"]


def _an_approver(engine, people):
    return ready_alert(engine, people), people["hq"]


def _designation_revoked(engine, people):
    alert_id = ready_alert(engine, people)
    users.revoke_operator(engine, people["hq"], "operator")
    return alert_id, people["operator"]


REFUSED = {_a_draft: WorkflowError, _ready_without_approvals: WorkflowError, _threat_without_consent: ConsentMissing,
           _not_the_designated_operator: PermissionDenied, _an_approver: PermissionDenied,
           _designation_revoked: PermissionDenied}
ENTRIES = {
    "queue_alert": lambda engine, user, alert_id, relay: delivery.queue_alert(engine, user, alert_id),
    "deliver": lambda engine, user, alert_id, relay: delivery.deliver(engine, user, alert_id, relay,
                                                                      options=delivery.DeliveryOptions(**FAST)),
    "send_alert": lambda engine, user, alert_id, relay: delivery.send_alert(
        engine, user, alert_id, relay, options=delivery.DeliveryOptions(**FAST)),
    "send_alert dry run": lambda engine, user, alert_id, relay: delivery.send_alert(engine, user, alert_id, relay,
                                                                                    dry_run=True),
    "preview_alert": lambda engine, user, alert_id, relay: delivery.preview_alert(engine, user, alert_id),
    "clear_to_send": lambda engine, user, alert_id, relay: delivery.clear_to_send(engine, user, alert_id),
}


def _plant_outbox(engine, alert_id):
    """Outbox rows put in behind the gate's back, so that a delivery that skipped the gate would send them."""
    now = pd.Timestamp.now(tz="UTC").to_pydatetime()
    with engine.begin() as conn:
        chosen = conn.execute(sa.select(store.members.c.member_id, store.members.c.email, store.members.c.domain)
                              .order_by(store.members.c.member_id)).all()
        conn.execute(store.outbox.insert(), [
            {"alert_id": alert_id, "member_id": m, "seq": n, "email": e, "domain": d, "state": "queued",
             "message_id": delivery.new_message_id("123123.tv"), "attempts": 0, "ambiguous": 0,
             "queued_at": now} for n, (m, e, d) in enumerate(chosen)])
    return len(chosen)


@pytest.mark.parametrize("entry", list(ENTRIES))
@pytest.mark.parametrize("case", list(REFUSED), ids=lambda case: case.__name__.strip("_"))
def test_every_public_delivery_function_checks_the_gate_itself(staff_template, tmp_path, case, entry):
    engine = staffed_engine(staff_template[0], tmp_path / "g.sqlite")
    add_members(engine, 6)
    alert_id, user = case(engine, staff_template[1])
    planted = _plant_outbox(engine, alert_id) if entry == "deliver" else 0
    with start_fault_server() as server:
        with pytest.raises(WorkflowError) as refused:
            ENTRIES[entry](engine, user, alert_id, delivery.parse_relay(server.address))
    assert type(refused.value) is REFUSED[case]
    assert server.handler.accepted == []  # nothing reached the SMTP server
    assert delivery.outbox_states(engine, alert_id) == ({"queued": planted} if planted else {})
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(store.delivery_runs)).scalar() == 0
    assert alerts.get_alert(engine, alert_id).status != Status.SENT
    engine.dispose()


def test_the_sending_machinery_takes_only_the_gates_clearance(staff_template, tmp_path):
    engine, operator, alert_id = scratch(staff_template, tmp_path, 4)
    alert = alerts.get_alert(engine, alert_id)  # a ready, approved alert, but no pass through the gate
    with pytest.raises(PermissionDenied):
        queue_outbox(engine, alert)
    with pytest.raises(PermissionDenied):
        Clearance(alert, operator.username)
    with pytest.raises(PermissionDenied):
        Clearance(alert, operator.username, object())
    assert delivery.outbox_states(engine, alert_id) == {}
    _plant_outbox(engine, alert_id)
    with start_fault_server() as server:
        with pytest.raises(PermissionDenied):
            transmit(engine, alert, delivery.parse_relay(server.address))
    assert server.handler.accepted == [] and delivery.outbox_states(engine, alert_id) == {"queued": 4}
    cleared = delivery.clear_to_send(engine, operator, alert_id)
    assert cleared.alert == alert and cleared.operator == "operator"


def test_the_gate_reads_the_alert_again_at_every_call(staff_template, tmp_path):
    """Queued while it was allowed, withdrawn before delivery: nothing goes out."""
    engine, operator, alert_id = scratch(staff_template, tmp_path, 5)
    assert delivery.queue_alert(engine, operator, alert_id) == 5
    alerts.withdraw(engine, staff_template[1]["hq"], alert_id, "発生場所の記載を見直すため")
    with start_fault_server() as server:
        with pytest.raises(WorkflowError):
            delivery.deliver(engine, operator, alert_id, delivery.parse_relay(server.address),
                             options=delivery.DeliveryOptions(**FAST))
    assert server.handler.accepted == [] and delivery.outbox_states(engine, alert_id) == {"queued": 5}


SENDER = """
import json, sys
from tests.staff import act_as_service
act_as_service()
from anshin_lab import delivery
from anshin_lab.storage import store
from anshin_lab.workflow import users
engine = store.connect(sys.argv[1])
user = users.authenticate(engine, "operator", sys.argv[4])
options = delivery.DeliveryOptions(connections=4, retry_initial_s=0.1, retry_max_s=0.5, rate_limits={})
report = delivery.send_alert(engine, user, int(sys.argv[2]), delivery.parse_relay(sys.argv[3]), options=options)
print(json.dumps(report.as_dict(), default=str))
"""


def run_sender(database, alert_id, relay):
    env = {**os.environ, "PYTHONPATH": str(PROJECT)}
    return subprocess.Popen([sys.executable, "-c", SENDER, f"sqlite:///{database}", str(alert_id), relay, PASSWORD],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=PROJECT)


def test_sigkill_mid_batch_then_restart_delivers_every_message_once(ready, tmp_path):
    engine, people, alert_id, database = ready
    with engine.connect() as conn:
        targets = [r.email for r in conn.execute(sa.select(store.members.c.email)
                                                 .where(~store.members.c.areas.in_(["奄美市"]))
                                                 .order_by(store.members.c.member_id))]
    plan = {}
    for n, address in enumerate(targets[::9]):
        plan[address] = [["550"], ["451", "ok"], ["421", "ok"], ["drop", "ok"], ["data451", "ok"]][n % 5]
    refused = {a for a, p in plan.items() if p == ["550"]}
    maildir = tmp_path / "Maildir"
    with start_fault_server(plan, delay_ms=3, maildir=maildir) as server:
        first = run_sender(database, alert_id, server.address)
        deadline = time.monotonic() + 120
        while len(server.handler.accepted) < 80 and first.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)
        assert first.poll() is None, first.communicate()
        first.send_signal(signal.SIGKILL)
        first.wait()
        states = delivery.outbox_states(engine, alert_id)
        assert states.get("sending", 0) <= 4  # at most one message in flight per connection
        assert sum(states.values()) == 300 and states.get("sent", 0) >= 70
        assert alerts.get_alert(engine, alert_id).status == Status.READY

        second = run_sender(database, alert_id, server.address)
        out, err = second.communicate(timeout=180)
        assert second.returncode == 0, err
        report = json.loads(out.strip().splitlines()[-1])

        # Once finished and recorded, the alert cannot be sent again.
        with pytest.raises(WorkflowError):
            delivery.send_alert(engine, people["operator"], alert_id, delivery.parse_relay(server.address))

    box = outbox_of(engine, alert_id).set_index("email")
    accepted = Counter(server.handler.accepted)
    delivered = set(box.loc[box["state"] == "sent", "message_id"])
    assert report["complete"] and report["sent_total"] == 300 - len(refused)
    assert set(accepted) == delivered  # nothing lost
    duplicates = {m for m, n in accepted.items() if n > 1}
    ambiguous = set(box.loc[box["ambiguous"] > 0, "message_id"])
    assert duplicates <= ambiguous and len(duplicates) <= report["ambiguous"] <= 4  # none sent twice but those
    assert set(box.loc[box["state"] == "failed"].index) == refused
    with engine.connect() as conn:
        bounced = conn.execute(sa.select(store.bounces.c.member_id)).all()
    assert len(bounced) == len(refused)
    alert = alerts.get_alert(engine, alert_id)
    assert alert.status == Status.SENT and alert.recipients == 300 - len(refused)
    in_maildir = Counter(m["Message-ID"] for m in mailbox.Maildir(maildir))
    assert in_maildir == accepted
    print(f"killed with {states}; resumed: ambiguous {report['ambiguous']}, duplicates {len(duplicates)}, "
          f"retries {report['retries']}")  # shown with pytest -s


def test_delivery_also_runs_where_an_event_loop_is_running(staff_template, tmp_path):
    """Notebooks call the sender from inside Jupyter's event loop."""
    engine, operator, alert_id = scratch(staff_template, tmp_path, 4)
    delivery.queue_alert(engine, operator, alert_id)

    async def from_a_notebook():
        with start_fault_server() as server:
            return delivery.deliver(engine, operator, alert_id, delivery.parse_relay(server.address),
                                    options=delivery.DeliveryOptions(**FAST))

    assert asyncio.run(from_a_notebook()).sent == 4
