"""The fault matrix (issue 21): every fault a relay or the machine can throw at a send, counted at the sink.

Each scenario sends a real alert through ``tests/smtp_faults.py``'s
fault-injecting relay over real sockets (subprocesses where a process is
killed or two run at once) and counts, by Message-ID, what reached the sink:
nothing lost (every recipient delivered, deferred with a reason, or
reported), and the report's possible duplicates never fewer than the copies
the sink received twice. Each scenario runs twice: against a relay that
offers PIPELINING (RFC 2920, so the sender pipelines) and one that does not.
``pytest -s`` prints the table of figures.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest

from anshin_lab import delivery
from anshin_lab.delivery.outbox import PENDING_STATES
from anshin_lab.workflow import alerts
from anshin_lab.workflow.rules import Status

from .smtp_faults import restart, start_fault_server
from .staff import PASSWORD
from .test_sending import FAST, emails, outbox_of, scratch

PROJECT = Path(__file__).resolve().parents[1]
ROWS: list[tuple] = []
HEADER = ("scenario", "recipients", "delivered", "duplicates at sink", "possible duplicates reported", "lost")


@pytest.fixture(scope="module", autouse=True)
def figures():
    """Print the table of every scenario run in this module (shown with ``pytest -s``)."""
    yield
    if ROWS:
        widths = [max(len(str(row[i])) for row in [HEADER, *ROWS]) for i in range(len(HEADER))]
        line = lambda row: " | ".join(str(v).ljust(w) for v, w in zip(row, widths))  # noqa: E731
        print("\n\nfault matrix (counted at the sink by Message-ID)\n" + line(HEADER))
        print("-+-".join("-" * w for w in widths))
        for row in ROWS:
            print(line(row))


def account(scenario: str, engine, alert_id: int, handler, report: dict, *, bounced: int = 0) -> dict:
    """Count the send at the sink, check nothing is lost and duplicates are all reported, add the table row.

    ``report`` is the last run's report (``as_dict()``); ``bounced`` the
    recipients planned to bounce (refused for good, so never delivered).
    """
    box = outbox_of(engine, alert_id)
    accepted = Counter(handler.accepted)
    ours = set(box["message_id"])
    assert set(accepted) <= ours  # nothing at the sink that the outbox does not know
    at_sink = box["message_id"].map(lambda m: accepted[m] > 0)
    delivered = int(at_sink.sum())
    duplicates = sum(n - 1 for n in accepted.values())
    sent_not_there = int(((box["state"] == "sent") & ~at_sink).sum())  # claimed delivered, but not
    unaccounted = int((~at_sink & ~box["state"].isin(["failed", "skipped", *PENDING_STATES])).sum())
    unexplained = int((~at_sink & box["state"].isin(["failed", *PENDING_STATES]) & box["last_reply"].isna()
                       & (box["state"] != "queued")).sum())
    lost = sent_not_there + unaccounted + unexplained
    assert report["sent_total"] == int((box["state"] == "sent").sum())
    assert report["pending"] == int(box["state"].isin(PENDING_STATES).sum())
    assert report["sent_total"] + report["failed_total"] + report["pending"] + report["skipped"] == len(box)
    assert lost == 0, box[~at_sink]
    assert delivered + bounced == len(box)  # the last run finished the batch
    assert report["possible_duplicates"] >= duplicates, (report["possible_duplicates"], duplicates)
    for message_id, copies in accepted.items():  # each duplicate was counted on its own row, too
        assert box.loc[box["message_id"] == message_id, "ambiguous"].iloc[0] >= copies - 1
    ROWS.append((scenario, len(box), delivered, duplicates, report["possible_duplicates"], lost))
    return {"delivered": delivered, "duplicates": duplicates}


PIPELINING = pytest.mark.parametrize("pipelining", [False, True], ids=["plain", "pipelined"])


def label(scenario: str, pipelining: bool) -> str:
    return f"{scenario}, pipelined" if pipelining else scenario


def send(engine, operator, alert_id, server, **options):
    return delivery.send_alert(engine, operator, alert_id, delivery.parse_relay(server.address),
                               options=delivery.DeliveryOptions(**{"connections": 4, **FAST, **options}))


@PIPELINING
@pytest.mark.parametrize("fault", ["451", "421"])
def test_a_temporary_refusal_of_every_recipient_is_retried(staff_template, tmp_path, fault, pipelining):
    engine, operator, alert_id = scratch(staff_template, tmp_path, 60)
    with start_fault_server({"*": [fault, "ok"]}, pipelining=pipelining) as server:
        report = send(engine, operator, alert_id, server)
    assert report.complete and report.retries == 60
    account(label(f"{fault} to RCPT, each recipient once", pipelining), engine, alert_id, server.handler,
            report.as_dict())
    engine.dispose()


@PIPELINING
def test_550_after_every_data_stops_then_a_fixed_relay_delivers_all(staff_template, tmp_path, pipelining):
    engine, operator, alert_id = scratch(staff_template, tmp_path, 60)
    with start_fault_server({"*": ["data550"]}, pipelining=pipelining) as server:
        first = send(engine, operator, alert_id, server)
        assert not first.complete and first.stopped and first.failed == 0 and first.refused <= 3 + 3
        assert alerts.get_alert(engine, alert_id).status == Status.READY
        server.handler.plan = {}
        report = send(engine, operator, alert_id, server)
    assert report.complete and alerts.get_alert(engine, alert_id).status == Status.SENT
    account(label("550 after every DATA (stopped), then fixed", pipelining), engine, alert_id, server.handler,
            report.as_dict())
    engine.dispose()


@PIPELINING
def test_a_connection_dropped_after_data(staff_template, tmp_path, pipelining):
    addresses = emails(60)
    plan = {a: (["accept_drop", "ok"] if n % 3 == 0 else ["drop", "ok"]) for n, a in enumerate(addresses) if n % 3 < 2}
    engine, operator, alert_id = scratch(staff_template, tmp_path, 60)
    with start_fault_server(plan, pipelining=pipelining) as server:
        report = send(engine, operator, alert_id, server)
    assert report.complete and report.unknown == 40
    counted = account(label("drop after DATA (20 accepted first)", pipelining), engine, alert_id, server.handler,
                      report.as_dict())
    assert counted["duplicates"] == 20
    engine.dispose()


@PIPELINING
def test_a_reply_slower_than_the_wait_after_data(staff_template, tmp_path, pipelining):
    addresses = emails(60)
    plan = {a: ["slow_after_data", "ok"] for a in addresses[::3]}
    engine, operator, alert_id = scratch(staff_template, tmp_path, 60)
    with start_fault_server(plan, slow_s=1.0, pipelining=pipelining) as server:
        report = send(engine, operator, alert_id, server, data_end_timeout_s=0.3)
    assert report.complete and report.unknown == 20
    counted = account(label("slow reply after DATA (1 s > 0.3 s wait)", pipelining), engine, alert_id, server.handler,
                      report.as_dict())
    assert counted["duplicates"] == 20
    engine.dispose()


@PIPELINING
def test_the_relay_goes_down_then_comes_back(staff_template, tmp_path, pipelining):
    engine, operator, alert_id = scratch(staff_template, tmp_path, 300)
    server = start_fault_server(delay_ms=3, pipelining=pipelining)
    handler, handles = server.handler, [server]

    def outage():
        while len(handler.accepted) < 100:
            time.sleep(0.005)
        handles.append(restart(handles[-1], down_s=1.5))

    bouncer = threading.Thread(target=outage)
    bouncer.start()
    try:
        reports = [send(engine, operator, alert_id, server, connect_attempts=40)]
        bouncer.join(timeout=60)
        if not reports[-1].complete:  # gave up while it was down: the next send goes on
            reports.append(send(engine, operator, alert_id, server))
    finally:
        bouncer.join(timeout=60)
        handles[-1].stop()
    assert reports[-1].complete
    account(label(f"relay down 1.5 s, then up ({len(reports)} run(s))", pipelining), engine, alert_id, handler,
            reports[-1].as_dict())
    engine.dispose()


SENDER = """
import json, sys, time, os
from tests.staff import act_as_service
act_as_service()
from anshin_lab import delivery
from anshin_lab.core.errors import DeliveryError
from anshin_lab.storage import store
from anshin_lab.workflow import users
engine = store.connect(sys.argv[1])
user = users.authenticate(engine, "operator", sys.argv[4])
options = delivery.DeliveryOptions(connections=4, retry_initial_s=0.05, retry_max_s=0.2, rate_limits={})
print("ready", flush=True)
go = sys.argv[5] if len(sys.argv) > 5 else ""
while go and not os.path.exists(go):
    time.sleep(0.001)
try:
    report = delivery.send_alert(engine, user, int(sys.argv[2]), delivery.parse_relay(sys.argv[3]), options=options)
    print(json.dumps(report.as_dict(), default=str))
except DeliveryError as exc:
    print(json.dumps({"refused_by_lock": str(exc)}))
"""


def start_sender(database, alert_id, relay, go=""):
    env = {**os.environ, "PYTHONPATH": str(PROJECT)}
    sender = subprocess.Popen([sys.executable, "-c", SENDER, f"sqlite:///{database}", str(alert_id), relay, PASSWORD,
                               str(go)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=PROJECT)
    assert sender.stdout.readline().strip() == "ready", sender.stderr.read()
    return sender


@pytest.mark.slow
@PIPELINING
def test_three_sigkills_of_the_sending_process(staff_template, tmp_path, pipelining):
    engine, operator, alert_id = scratch(staff_template, tmp_path, 400)
    database = tmp_path / "d.sqlite"
    with start_fault_server(delay_ms=3, pipelining=pipelining) as server:
        for threshold in (60, 150, 240):
            sender = start_sender(database, alert_id, server.address)
            deadline = time.monotonic() + 120
            while len(server.handler.accepted) < threshold and sender.poll() is None and time.monotonic() < deadline:
                time.sleep(0.002)
            assert sender.poll() is None, sender.communicate()
            sender.send_signal(signal.SIGKILL)
            sender.wait()
            assert alerts.get_alert(engine, alert_id).status == Status.READY
        last = start_sender(database, alert_id, server.address)
        out, err = last.communicate(timeout=180)
    assert last.returncode == 0, err
    report = json.loads(out.strip().splitlines()[-1])
    assert report["complete"] and alerts.get_alert(engine, alert_id).status == Status.SENT
    account(label("three SIGKILLs of the sender, resumed", pipelining), engine, alert_id, server.handler, report)
    engine.dispose()


@pytest.mark.slow
def test_two_sends_of_one_alert_started_together(staff_template, tmp_path):
    engine, operator, alert_id = scratch(staff_template, tmp_path, 150)
    go = tmp_path / "go"
    with start_fault_server(delay_ms=4) as server:
        senders = [start_sender(tmp_path / "d.sqlite", alert_id, server.address, go) for _ in range(2)]
        go.touch()  # both start within a millisecond, before either has queued the outbox
        outcomes = []
        for sender in senders:
            out, err = sender.communicate(timeout=120)
            assert sender.returncode == 0, err
            outcomes.append(json.loads(out.strip().splitlines()[-1]))
    refused = [o for o in outcomes if "refused_by_lock" in o]
    ran = [o for o in outcomes if "refused_by_lock" not in o]
    assert len(refused) == 1 and len(ran) == 1 and "送信中" in refused[0]["refused_by_lock"], outcomes
    assert ran[0]["complete"]
    account("two sends of one alert at once (1 refused)", engine, alert_id, server.handler, ran[0])
    engine.dispose()


IMPORT = """
import sys, time
import numpy as np
import pandas as pd
from anshin_lab.storage import store
from anshin_lab.storage.incidents import save_incidents
n = int(sys.argv[2])
stamp = pd.Timestamp("2024-04-01 09:00", tz="Asia/Tokyo")
frame = pd.DataFrame({
    "incident_id": [f"I{i:07d}" for i in range(n)], "category": "threat", "subtype": "声かけ",
    "occurred_at": stamp + pd.to_timedelta(np.arange(n) % 100000, unit="min"), "address": "鹿児島市紫原3丁目",
    "lat": 31.56, "lon": 130.53, "place_type": "路上", "victim_group": "小学生", "victim_sex": "女",
    "summary": "下校中の女子児童に対し、男が声をかけたもの。", "actor": "男", "station": "鹿児島南警察署",
    "consent": "あり", "age": 40, "height_cm": 170, "build": None, "clothing": None, "vehicle": None,
    "caller_as": None})
engine = store.connect(sys.argv[1])
began = time.perf_counter()
saved = save_incidents(engine, frame, source_name="large.csv", source_sha256="f" * 64, rows_read=n, rejected=0)
print(f"{saved.inserted} {time.perf_counter() - began:.1f}", flush=True)
"""


# 200,000 rows in the suite; the 1,000,000 with ANSHIN_TEST_IMPORT_ROWS=1000000 (about 3 minutes).
IMPORT_ROWS = int(os.environ.get("ANSHIN_TEST_IMPORT_ROWS", "200000"))


@pytest.mark.slow
def test_a_large_import_during_a_send(staff_template, tmp_path):
    """A large import saved by another process (as an analyst's import would) while the alert goes out."""
    recipients = max(1000, IMPORT_ROWS // 200)  # a send long enough for the whole import to run inside it
    engine, operator, alert_id = scratch(staff_template, tmp_path, recipients)
    result = {}
    with start_fault_server(delay_ms=15) as server:  # a send of about half a minute: the import runs inside it
        relay = delivery.parse_relay(server.address)
        sender = threading.Thread(target=lambda: result.update(report=delivery.send_alert(
            engine, operator, alert_id, relay, options=delivery.DeliveryOptions(connections=2, **FAST))))
        sender.start()
        while len(server.handler.accepted) < 20:
            time.sleep(0.01)
        env = {**os.environ, "PYTHONPATH": str(PROJECT)}
        database = f"sqlite:///{tmp_path / 'd.sqlite'}"
        importer = subprocess.run([sys.executable, "-c", IMPORT, database, str(IMPORT_ROWS)],
                                  capture_output=True, text=True, env=env, cwd=PROJECT, timeout=600)
        sent_during = len(server.handler.accepted)
        sender.join(timeout=600)
    report = result["report"]
    locked = "locked" in (report.error or "") or "locked" in importer.stderr
    assert importer.returncode == 0, importer.stderr[-2000:]
    inserted, seconds = importer.stdout.split()
    assert int(inserted) == IMPORT_ROWS and not locked
    assert report.complete, report.error
    assert sent_during < recipients  # the whole import ran while the send was going on
    print(f"import of {IMPORT_ROWS:,} rows took {seconds} s during the send; {sent_during} of {recipients} sent by "
          f"its end; 'database is locked': {'yes' if locked else 'no'}")
    account(f"{IMPORT_ROWS:,}-row import (another process) during the send", engine, alert_id, server.handler,
            report.as_dict())
    engine.dispose()
