"""``anshin service`` as a real subprocess on a workspace's Unix socket: logins, tokens, the whole path to a real
SMTP server, stopping a send, a kernel without the key, and the CLI against it."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time

import httpx
import pytest
import sqlalchemy as sa

from anshin_lab.app.client import NOT_RUNNING, ServiceClient, ServiceUnavailable
from anshin_lab.app.workspace import open_workspace
from anshin_lab.cli.main import main
from anshin_lab.core.errors import ParameterError, PermissionDenied, WorkflowError
from anshin_lab.records.members import check_members
from anshin_lab.storage import store
from anshin_lab.storage.members import save_members
from anshin_lab.workflow import alerts, authority, users
from anshin_lab.workflow.rules import Role, Status

from .service_process import PROJECT, ServiceProcess, running_service
from .smtp_faults import start_fault_server
from .staff import PASSWORD, staffed_engine
from .test_members import DIRECTORY, frame
from .test_workflow import CLEAN_BODY, SEND

SUBJECT = "【声かけ事案】鹿児島市紫原3丁目12番付近"
PUBLIC_TEXT = "鹿児島市紫原3丁目12番付近の路上"
SCOPE = {"city_code": "46201", "station": "鹿児島中央警察署"}


def staffed_workspace(staff_template, root, members: int):
    """A workspace (database with every staff role, ``members`` threat members in scope) at ``root``."""
    ws = open_workspace(root)
    ws.root.mkdir(parents=True)
    engine = staffed_engine(staff_template[0], ws.database_url[len("sqlite:///"):])
    try:
        rows = [{"member_id": f"M{i:04d}", "email": f"member{i:04d}@example.{['jp', 'com', 'net'][i % 3]}",
                 "categories": "threat", "areas": "鹿児島市"} for i in range(members)]
        if rows:
            save_members(engine, check_members(frame(*rows), DIRECTORY).records, directory=DIRECTORY)
    finally:
        engine.dispose()
    return ws


def ready_through(service: ServiceProcess) -> int:
    """A 脅威事犯 alert taken to ``ready`` by five people, each logged in to the service."""
    with service.logged_in("analyst", PASSWORD) as analyst:
        alert_id = analyst.create_alert(category="threat", subject=SUBJECT, body=CLEAN_BODY, level="BLOCK",
                                        public_text=PUBLIC_TEXT, area_codes=SCOPE)
        assert analyst.submit(alert_id) == "submitted"
    with service.logged_in("chief", PASSWORD) as chief:
        assert chief.approve(alert_id, judgement=SEND) == "station_approved"
    with service.logged_in("division", PASSWORD) as division:
        division.approve(alert_id, comment="発信して差し支えない")
    with service.logged_in("hq", PASSWORD) as hq:
        assert hq.approve(alert_id) == "hq_approved"
    with service.logged_in("analyst", PASSWORD) as analyst:
        analyst.record_consent(alert_id, kind="保護者", given_at="2026-11-28T17:00", method="電話",
                               scope="県警あんしんメールでの配信")
    with service.logged_in("operator", PASSWORD) as operator:
        assert operator.prepare(alert_id) == "ready"
    return alert_id


@pytest.fixture(scope="module")
def sink():
    server = start_fault_server()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def service(staff_template, tmp_path_factory, sink):
    """A service on a staffed workspace with 120 members, sending to a real (aiosmtpd) SMTP server."""
    ws = staffed_workspace(staff_template, tmp_path_factory.mktemp("service") / "ws", 120)
    with running_service(ws, smtp=sink.address) as process:
        yield process


def database(ws):
    return store.connect(ws.database_url)


# -- the boundary -------------------------------------------------------------------------------------------

def test_the_socket_is_the_owners_only_and_a_wrong_password_is_refused_401(service):
    mode = service.ws.service_socket.stat().st_mode
    assert stat.S_ISSOCK(mode) and stat.S_IMODE(mode) == 0o600
    assert stat.S_IMODE(service.ws.service_socket.parent.stat().st_mode) == 0o700
    client = service.client()
    with pytest.raises(PermissionDenied, match="ユーザー名かパスワードが違います"):
        client.login("analyst", "not the password")
    with pytest.raises(PermissionDenied, match="ユーザー名かパスワードが違います"):
        client.login("nobody-at-all", "not the password")
    raw = client.http.post("/login", json={"username": "analyst", "password": "wrong"})
    assert raw.status_code == 401 and raw.json()["error"] == "PermissionDenied"
    info = client.login("analyst", PASSWORD)
    assert info["username"] == "analyst" and info["role"] == "analyst" and info["expires_at"]
    assert client.whoami()["username"] == "analyst"
    client.close()


def test_a_forged_absent_or_ended_token_is_refused_and_the_body_never_says_who_acts(service):
    with service.logged_in("analyst", PASSWORD) as analyst:
        alert_id = analyst.create_alert(category="threat", subject=SUBJECT, body=CLEAN_BODY, level="BLOCK",
                                        public_text=PUBLIC_TEXT, area_codes=SCOPE)
        token = analyst.token
        # Whatever the body claims, the session's user (an analyst) acts: analysts do not approve.
        raw = analyst.http.post(f"/alerts/{alert_id}/approve", json={"username": "hq", "role": "hq_planning_chief"},
                                headers={"Authorization": f"Bearer {token}"})
        assert raw.status_code == 403 and raw.json()["error"] == "PermissionDenied"
    http = service.client().http
    secret, _, proof = token.partition(".")
    for headers in ({}, {"Authorization": "Basic eDp5"}, {"Authorization": "Bearer forged-token"},
                    {"Authorization": f"Bearer {secret}.{'0' * len(proof)}"},  # a real secret, a made-up signature
                    {"Authorization": f"Bearer {token}"}):  # logged out when the `with` above ended
        raw = http.post(f"/alerts/{alert_id}/submit", headers=headers)
        assert raw.status_code == 401, headers
        assert raw.json() == {"error": "PermissionDenied", "message": raw.json()["message"]}
    engine = database(service.ws)
    try:
        assert alerts.get_alert(engine, alert_id).status == Status.DRAFT  # nothing moved
    finally:
        engine.dispose()


def test_bad_requests_are_one_japanese_line_of_the_same_class(service):
    with service.logged_in("analyst", PASSWORD) as analyst:
        with pytest.raises(ParameterError, match="粒度"):
            analyst.create_alert(category="threat", subject=SUBJECT, body=CLEAN_BODY, level="STREET",
                                 public_text=PUBLIC_TEXT)
        with pytest.raises(ParameterError, match="「frobnicate」という操作はありません"):
            analyst.step(1, "frobnicate")
        with pytest.raises(WorkflowError, match="#99999 はありません"):
            analyst.submit(99999)
        raw = analyst.http.post("/alerts", content=b"{not json", headers={"Authorization": f"Bearer {analyst.token}",
                                                                          "Content-Type": "application/json"})
        assert raw.status_code == 400 and raw.json()["error"] == "ParameterError"


def test_the_whole_path_through_the_client_to_a_real_smtp_server(service, sink):
    before = len(sink.handler.accepted)
    alert_id = ready_through(service)
    with service.logged_in("operator2", PASSWORD) as other:  # an operator, but not the designated one
        with pytest.raises(PermissionDenied, match="指定した発信操作担当者"):
            other.start_send(alert_id)
    with service.logged_in("operator", PASSWORD) as operator:
        started = operator.start_send(alert_id)
        assert started["state"] == "running"
        status = operator.wait_send(alert_id, timeout_s=120)
    assert status["state"] == "complete", status
    assert (status["total"], status["done"], status["sent"]) == (120, 120, 120)
    assert status["deferred"] == status["failed"] == status["bounced"] == status["possible_duplicates"] == 0
    accepted = sink.handler.accepted[before:]
    assert len(accepted) == 120 and len(set(accepted)) == 120  # counted at the server: every member once
    engine = database(service.ws)
    try:
        assert alerts.get_alert(engine, alert_id).status == Status.SENT
        steps = list(alerts.history(engine, alert_id)["action"])
        actors = list(alerts.history(engine, alert_id)["actor"])
    finally:
        engine.dispose()
    assert steps == ["create", "submit", "station_approve", "consult", "hq_approve", "record_consent", "prepare",
                     "send"]
    assert actors == ["analyst", "analyst", "chief", "division", "hq", "analyst", "operator", "operator"]
    assert "member0001@example" not in service.output() and PASSWORD not in service.output()


def test_a_kernel_without_the_key_cannot_approve_even_with_a_real_session(service):
    with service.logged_in("analyst", PASSWORD) as analyst:
        alert_id = analyst.create_alert(category="threat", subject=SUBJECT, body=CLEAN_BODY, level="BLOCK",
                                        public_text=PUBLIC_TEXT, area_codes=SCOPE)
        analyst.submit(alert_id)
    with service.logged_in("chief", PASSWORD) as chief:
        chief.approve(alert_id, judgement=SEND)
    with service.logged_in("division", PASSWORD) as division:
        division.consult(alert_id, "発信して差し支えない")
    hq = service.client()
    token = hq.login("hq", PASSWORD)["token"]
    authority.uninstall()  # a notebook kernel: the database is reachable, the key is not
    engine = database(service.ws)
    try:
        for user in (users.User("hq", "課長", Role.HQ_PLANNING_CHIEF),  # built in a cell
                     users.User("hq", "課長", Role.HQ_PLANNING_CHIEF, token)):  # a real session the service issued
            with pytest.raises(PermissionDenied, match="anshin service"):
                alerts.approve_hq(engine, user, alert_id, "承認")
        with pytest.raises(PermissionDenied, match="anshin service"):
            users.authenticate(engine, "hq", PASSWORD)
        assert alerts.get_alert(engine, alert_id).status == Status.STATION_APPROVED
    finally:
        engine.dispose()
    assert hq.approve(alert_id) == "hq_approved"  # through the service, the same person can
    hq.close()


@pytest.fixture(scope="module")
def stationed(staff_template, tmp_path_factory, sink):
    """A service like ``service`` whose workspace has the station table (what a 所属 is checked against)."""
    import shutil

    from anshin_lab.places.reference import STATIONS_FILE

    from .conftest import REFERENCE

    ws = staffed_workspace(staff_template, tmp_path_factory.mktemp("stationed") / "ws", 20)
    ws.reference_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(REFERENCE / STATIONS_FILE, ws.reference_dir / STATIONS_FILE)
    with running_service(ws, smtp=sink.address) as process:
        yield process


def test_the_new_steps_through_the_service_supersede_send_back_followup_affiliation_and_decide(stationed):
    """Issue 15's steps as a client takes them; each refusal is the workflow's own class and one line."""
    service = stationed
    with service.logged_in("analyst", PASSWORD) as analyst:
        first = analyst.create_alert(category="threat", subject=SUBJECT, body=CLEAN_BODY, level="BLOCK",
                                     public_text=PUBLIC_TEXT, area_codes=SCOPE)
    with service.logged_in("admin", PASSWORD) as admin:
        with pytest.raises(WorkflowError, match="警察署テーブルにありません"):  # the service checks the station table
            admin.add_user("kita", "station_chief", PASSWORD, affiliation="北極警察署")
        assert admin.add_user("nishi", "station_chief", PASSWORD, affiliation="鹿児島西署")["affiliation"] == "鹿児島西警察署"
        with pytest.raises(PermissionDenied, match="管理者"):
            service.logged_in("hq", PASSWORD).set_affiliation("nishi", "鹿児島中央警察署")
        assert admin.set_affiliation("nishi", "鹿児島南")["affiliation"] == "鹿児島南警察署"
    with service.logged_in("analyst", PASSWORD) as analyst:
        analyst.submit(first)
    with service.logged_in("nishi", PASSWORD) as other_chief:
        raw = other_chief.http.post(f"/alerts/{first}/approve", json={"judgement": SEND.__dict__},
                                    headers={"Authorization": f"Bearer {other_chief.token}"})
        assert raw.status_code == 403 and "鹿児島中央警察署の配信です" in raw.json()["message"]
    with service.logged_in("chief", PASSWORD) as chief:
        assert chief.send_back(first, "件名を短くしてください") == "draft"
    with service.logged_in("analyst", PASSWORD) as analyst:
        assert analyst.edit(first, subject="【声かけ事案】鹿児島市紫原3丁目付近") == "draft"
        assert analyst.submit(first) == "submitted"
    engine = database(service.ws)
    try:
        assert list(alerts.history(engine, first)["action"])[-3:] == ["send_back", "edit", "submit"]
    finally:
        engine.dispose()
    sent = ready_through(service)
    with service.logged_in("operator", PASSWORD) as operator:
        operator.start_send(sent)
        assert operator.wait_send(sent, timeout_s=120)["state"] == "complete"
    with service.logged_in("analyst", PASSWORD) as analyst:
        with pytest.raises(ParameterError, match="結果「捕まえた」は使えません"):
            analyst.followup(sent, outcome="捕まえた")
        follow = analyst.followup(sent, outcome="検挙", note="行為者は警察官が付近を警戒中に発見しました。")
        assert follow["status"] == "draft" and follow["original_alert_id"] == sent and follow["outcome"] == "検挙"
        with pytest.raises(WorkflowError, match=f"未発信の続報 #{follow['alert_id']}"):
            analyst.followup(sent, outcome="指導警告")
        again = analyst.followup(sent, outcome="指導警告", supersede=follow["alert_id"])
        with pytest.raises(PermissionDenied, match="分析担当は事案を発信しないと決められません"):
            analyst.decide_no_send("K-404", "不要")
    with service.logged_in("hq", PASSWORD) as hq:
        with pytest.raises(WorkflowError, match="事案番号「K-404」は登録されていません"):
            hq.decide_no_send("K-404", "不要")
    engine = database(service.ws)
    try:
        assert alerts.get_alert(engine, follow["alert_id"]).status == Status.WITHDRAWN
        assert alerts.get_alert(engine, again["alert_id"]).subject.startswith("【続報・指導警告】")
    finally:
        engine.dispose()


def test_the_service_is_not_running_says_how_to_start_it(tmp_path, monkeypatch, capsys):
    ws = open_workspace(tmp_path / "ws")
    with pytest.raises(ServiceUnavailable) as info:
        ServiceClient.for_workspace(ws).login("analyst", PASSWORD)
    assert str(info.value) == NOT_RUNNING
    monkeypatch.setenv("ANSHIN_PASSWORD", PASSWORD)
    assert main(["alerts", "approve", "1", "--user", "hq", "--workspace", str(ws.root)]) == 1
    assert capsys.readouterr().err.strip() == f"エラー: {NOT_RUNNING}"


# -- stopping a send, and the CLI -----------------------------------------------------------------------------

def anshin(*args, env=None):
    return subprocess.run([sys.executable, "-m", "anshin_lab", *args], capture_output=True, text=True,
                          env={**os.environ, "ANSHIN_PASSWORD": PASSWORD, **(env or {})}, cwd=str(PROJECT))


def test_anshin_send_stop_halts_a_running_send_within_5_s_and_a_new_send_finishes(staff_template, tmp_path):
    slow = start_fault_server(delay_ms=25)
    ws = staffed_workspace(staff_template, tmp_path / "ws", 80)
    try:
        with running_service(ws, smtp=slow.address) as service:
            alert_id = ready_through(service)
            operator = service.logged_in("operator", PASSWORD)
            operator.start_send(alert_id, connections=1)
            with pytest.raises(WorkflowError, match="送信中です"):  # one send per alert
                operator.start_send(alert_id)
            again = operator.http.post(f"/send/{alert_id}", headers={"Authorization": f"Bearer {operator.token}"})
            assert again.status_code == 409 and again.json()["error"] == "WorkflowError"
            while operator.send_status(alert_id)["done"] < 5:
                time.sleep(0.05)
            asked = time.monotonic()
            stopped = anshin("send", "stop", str(alert_id), "--user", "hq", "--workspace", str(ws.root))
            waited = time.monotonic() - asked
            status = operator.send_status(alert_id)
            assert stopped.returncode == 0, stopped.stderr
            assert status["state"] == "stopped" and "停止" in stopped.stdout, (status, stopped.stdout)
            assert waited < 5 + 3, waited  # the stop took effect within 5 s (plus the command's own start-up)
            print(f"stop: {waited:.2f} s from `anshin send stop` to a stopped send; status {status['sent']} sent, "
                  f"{status['deferred']} deferred; the server had {len(slow.handler.accepted)}")
            sent_then = len(slow.handler.accepted)
            assert 5 <= status["sent"] < 80 and status["deferred"] == 80 - status["sent"]
            assert sent_then - status["sent"] <= status["possible_duplicates"] + 1  # the recorded figures hold
            time.sleep(1.5)
            assert len(slow.handler.accepted) == sent_then  # nothing more went out after the stop
            # `anshin send` (the CLI, through the service) resumes where it stopped and ends complete.
            resumed = anshin("send", str(alert_id), "--user", "operator", "--workspace", str(ws.root))
            assert resumed.returncode == 0, resumed.stderr
            assert "送信済み 80件" in resumed.stdout
            operator.close()
        assert len(slow.handler.accepted) - len(slow.handler.duplicates()) == 80
        assert service.process.returncode == 0 and not ws.service_socket.exists()
    finally:
        slow.stop()


def test_sigterm_during_a_send_stops_it_records_what_was_sent_and_exits_0(staff_template, tmp_path):
    slow = start_fault_server(delay_ms=25)
    ws = staffed_workspace(staff_template, tmp_path / "ws", 60)
    service = ServiceProcess(ws, smtp=slow.address).start()
    try:
        alert_id = ready_through(service)
        operator = service.logged_in("operator", PASSWORD)
        operator.start_send(alert_id, connections=1)
        while operator.send_status(alert_id)["done"] < 3:
            time.sleep(0.05)
        asked = time.monotonic()
        assert service.stop() == 0
        took = time.monotonic() - asked
        assert took < 10, took
        print(f"sigterm: the service stopped its send and exited in {took:.2f} s")
        accepted = len(slow.handler.accepted)
        time.sleep(1.0)
        assert len(slow.handler.accepted) == accepted < 60  # it stopped, and stays stopped
        assert not ws.service_socket.exists() and "Traceback" not in service.output()
        engine = database(ws)
        try:
            with engine.connect() as conn:
                states = dict(conn.execute(sa.select(store.outbox.c.state, sa.func.count())
                                           .where(store.outbox.c.alert_id == alert_id)
                                           .group_by(store.outbox.c.state)).all())
            assert alerts.get_alert(engine, alert_id).status == Status.READY  # not "sent": rows are left
        finally:
            engine.dispose()
        assert states.get("sent", 0) == accepted and sum(states.values()) == 60, states  # the record is the sink's
        operator.http.close()
    finally:
        service.kill()
        slow.stop()


def test_anshin_send_exits_non_zero_when_the_send_does_not_complete(staff_template, tmp_path):
    down = start_fault_server({f"member{i:04d}@example.{['jp', 'com', 'net'][i % 3]}": ["550"] for i in range(3)})
    ws = staffed_workspace(staff_template, tmp_path / "ws", 3)
    try:
        with running_service(ws, smtp=down.address) as service:
            alert_id = ready_through(service)
            result = anshin("send", str(alert_id), "--user", "operator", "--workspace", str(ws.root))
            assert result.returncode == 1 and result.stderr.strip().splitlines()[-1].startswith("エラー: "), result
            engine = database(ws)
            try:
                assert alerts.get_alert(engine, alert_id).status == Status.READY  # never "sent" with 0 delivered
            finally:
                engine.dispose()
    finally:
        down.stop()


def test_the_cli_takes_every_step_through_the_service(staff_template, tmp_path, monkeypatch, capsys, sink):
    ws = staffed_workspace(staff_template, tmp_path / "ws", 10)
    root = ["--workspace", str(ws.root)]
    monkeypatch.setenv("ANSHIN_PASSWORD", PASSWORD)
    with running_service(ws, smtp=sink.address) as service:
        with service.logged_in("analyst", PASSWORD) as analyst:
            alert_id = analyst.create_alert(category="threat", subject=SUBJECT, body=CLEAN_BODY, level="BLOCK",
                                            public_text=PUBLIC_TEXT, area_codes=SCOPE)
        authority.uninstall()  # the commands hold no key: every step below is the service's
        steps = [
            ["alerts", "submit", str(alert_id), "--user", "analyst"],
            ["alerts", "approve", str(alert_id), "--user", "chief", "--victim-not-identifiable", "yes", "--no-names",
             "yes", "--location-ok", "yes", "--no-harm", "yes"],
            ["alerts", "approve", str(alert_id), "--user", "division", "--comment", "差し支えない"],
            ["alerts", "approve", str(alert_id), "--user", "hq"],
            ["consent", "record", str(alert_id), "--user", "analyst", "--kind", "保護者", "--method", "電話",
             "--scope", "配信", "--given-at", "2026-11-28 17:00"],
            ["alerts", "prepare", str(alert_id), "--user", "operator"],
        ]
        for args in steps:
            assert main([*args, *root]) == 0, (args, capsys.readouterr().err)
        assert main(["send", str(alert_id), "--dry-run", "--user", "operator", *root]) == 0
        assert "宛先 10件" in capsys.readouterr().out
        monkeypatch.setenv("ANSHIN_USER", "operator")
        assert main(["send", str(alert_id), *root]) == 0
        assert "送信済み 10件" in capsys.readouterr().out
        assert main(["alerts", "close", str(alert_id), "--user", "operator", *root]) == 0
        capsys.readouterr()
        assert main(["alerts", "withdraw", str(alert_id), "--user", "hq", "--reason", "x", *root]) == 1
        assert capsys.readouterr().err.startswith("エラー: ")  # a closed alert is not withdrawn
    engine = database(ws)
    try:
        assert alerts.get_alert(engine, alert_id).status == Status.CLOSED
    finally:
        engine.dispose()


def test_the_service_listens_on_a_loopback_port_and_stops_on_sigint(staff_template, tmp_path):
    ws = staffed_workspace(staff_template, tmp_path / "ws", 0)
    service = ServiceProcess(ws, port=0).start()
    try:
        assert service.url.startswith("127.0.0.1:")
        with service.logged_in("analyst", PASSWORD) as client:
            assert client.whoami()["role"] == "analyst"
        assert httpx.get(f"http://{service.url}/whoami").status_code == 401
    finally:
        service.process.send_signal(2)  # SIGINT, as Ctrl-C
        assert service.process.wait(30) == 0
    assert "Traceback" not in service.output()


def test_a_second_service_on_the_same_socket_is_refused(service):
    second = subprocess.run([sys.executable, "-m", "anshin_lab", "service", "--workspace", str(service.ws.root)],
                            capture_output=True, text=True, cwd=str(PROJECT), timeout=60)
    assert second.returncode == 1 and "既に anshin service が動いています" in second.stderr
    assert service.client().ping()


def fraud_draft(built_workspace):
    """A real fraud-call summary of the sample year's wave week, and its drafted alert."""
    from anshin_lab.analysis.fraud_calls import Period, parse_day, resolve_area, summarise
    from anshin_lab.app.catalog import load_areas
    from anshin_lab.app.imports import load_fraud_calls
    from anshin_lab.app.references import reference_tables
    from anshin_lab.drafting.fraud_summary import draft_summary_alert
    from anshin_lab.records.fraud_calls import data_hash

    calls = load_fraud_calls(built_workspace.sample_dir / "fraud_calls.csv",
                             reference_dir=built_workspace.reference_dir).calls
    tables = reference_tables(built_workspace.reference_dir)
    summary = summarise(calls, period=Period(parse_day("2026-07-27"), parse_day("2026-08-02")),
                        area=resolve_area("鹿児島県", tables), tables=tables)
    summary.data_hash = data_hash(calls)
    return summary, draft_summary_alert(summary, load_areas(built_workspace.root))


def test_a_summary_draft_is_stored_only_through_a_real_login(service, built_workspace, monkeypatch):
    from anshin_lab.app.fraud_reports import store_summary_draft

    summary, draft = fraud_draft(built_workspace)
    monkeypatch.delenv("ANSHIN_USER", raising=False)
    monkeypatch.delenv("ANSHIN_PASSWORD", raising=False)
    # A name alone no longer drafts as that person: no login, nothing stored, and the message says how.
    named = store_summary_draft(service.ws, draft, summary, analyst="analyst")
    assert not named.stored and "ANSHIN_PASSWORD" in named.message and "anshin service" in named.message
    monkeypatch.setenv("ANSHIN_PASSWORD", "not the password")
    wrong = store_summary_draft(service.ws, draft, summary, analyst="analyst")
    assert not wrong.stored and "パスワードが違います" in wrong.message
    monkeypatch.setenv("ANSHIN_PASSWORD", PASSWORD)
    refused = store_summary_draft(service.ws, draft, summary, analyst="chief")  # a station chief does not draft
    assert not refused.stored and "下書きは登録していません" in refused.message and "起案" in refused.message
    stored = store_summary_draft(service.ws, draft, summary, analyst="analyst")
    assert stored.stored and stored.created_by == "analyst" and not stored.existing
    again = store_summary_draft(service.ws, draft, summary, analyst="analyst")
    assert again.existing and again.alert_id == stored.alert_id
    engine = database(service.ws)
    try:
        alert = alerts.get_alert(engine, stored.alert_id)
    finally:
        engine.dispose()
    assert (alert.status, alert.created_by, alert.subject) == (Status.DRAFT, "analyst", draft.subject)


@pytest.mark.slow
def test_report_analyst_stores_the_draft_only_with_a_login(staff_template, built_workspace, tmp_path, monkeypatch,
                                                           capsys):
    import shutil

    from anshin_lab.app.imports import import_fraud_calls

    root = tmp_path / "ws"
    shutil.copytree(built_workspace.root, root, ignore=shutil.ignore_patterns("anshin.sqlite*", "quarantine", "run"))
    ws = open_workspace(root)
    staffed_engine(staff_template[0], ws.database_url[len("sqlite:///"):]).dispose()
    import_fraud_calls(ws.sample_dir / "fraud_calls.csv", ws)
    args = ["report", "fraud-summary", "--start", "2026-07-27", "--end", "2026-08-02", "--area", "鹿児島県",
            "--analyst", "analyst", "--workspace", str(root), "--reports-dir", str(tmp_path / "reports")]
    monkeypatch.delenv("ANSHIN_USER", raising=False)
    monkeypatch.delenv("ANSHIN_PASSWORD", raising=False)
    with running_service(ws):
        # A name and no password: the report is written, the draft is not, and the message says how.
        assert main(args) == 0
        out, err = capsys.readouterr()
        assert "パスワードがないため" in err and "下書きは登録していません" in out and "ANSHIN_PASSWORD" in out
        monkeypatch.setenv("ANSHIN_PASSWORD", PASSWORD)
        assert main(args) == 0
        out = capsys.readouterr().out
        assert "として登録しました(作成者 analyst)" in out, out
    engine = database(ws)
    try:
        drafts = alerts.list_alerts(engine, "draft")
    finally:
        engine.dispose()
    assert list(drafts["created_by"]) == ["analyst"] and list(drafts["category"]) == ["fraud"]
