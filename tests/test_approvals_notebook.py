"""The approver's notebook (05) and the notebooks' login, driven headless against a real ``anshin service``.

The login: a password widget whose password is sent once and cleared, a
session kept in the kernel that ends (logout, idle, expiry), nothing read
from ``ANSHIN_PASSWORD``, one clear line when the service is down.

05 runs under papermill as each role in turn, with the session a test
opened passed in ``ANSHIN_SESSION`` (a token, never a password) and the
steps in its ``steps`` parameter, which clicks the same buttons a person
would: 04 drafts two alerts (an adult's and a 小学生's), then a station chief
of another station, a chief on the alert he drafted himself, the chief, the
analyst, the HQ division chief, the head of 生活安全企画課 and the designated
operator each run 05. Every forbidden step is refused by the service and
printed as it said it; the cycle ends with the alert sent to every member in
scope, counted at a real SMTP server.
"""

from __future__ import annotations

import shutil

import nbformat
import papermill
import pytest

from anshin_lab.app.catalog import load_areas, read_incidents
from anshin_lab.app.workspace import open_workspace
from anshin_lab.records.members import check_members
from anshin_lab.storage import store
from anshin_lab.storage.members import save_members
from anshin_lab.views import login
from anshin_lab.views.approval_data import alerts_of_incident
from anshin_lab.views.approval_data import queue as queue_of
from anshin_lab.views.approvals import ApprovalQueue
from anshin_lab.views.forms import DraftForm
from anshin_lab.workflow import alerts, users
from anshin_lab.workflow.rules import Role, Status

from .conftest import PROJECT
from .service_process import running_service
from .smtp_faults import start_fault_server
from .staff import PASSWORD, add_staff
from .test_members import DIRECTORY, frame

NOTEBOOK = PROJECT / "notebooks" / "05_approvals.ipynb"
DRAFTS = PROJECT / "notebooks" / "04_draft_alerts.ipynb"
STATION = "鹿児島中央警察署"
OTHER_STATION = "鹿児島南警察署"
MEMBERS = 30
ALL_YES = True  # the station chief's four checks, each answered はい


@pytest.fixture(scope="module")
def sink():
    server = start_fault_server()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def approvals_ws(imported_workspace, tmp_path_factory, sink):
    """(workspace, service, people): the imported sample with every role, a chief of another station, an analyst
    of the station, 30 threat members in 鹿児島市 and its ``anshin service`` sending to a real SMTP server."""
    root = tmp_path_factory.mktemp("approvals") / "ws"
    shutil.copytree(imported_workspace.root, root, ignore=shutil.ignore_patterns("run"))
    ws = open_workspace(root)
    engine = store.connect(ws.database_url)
    try:
        people = add_staff(engine)
        users.add_user(engine, people["admin"], "chief2", Role.STATION_CHIEF, PASSWORD, affiliation=OTHER_STATION)
        users.add_user(engine, people["admin"], "drafter", Role.ANALYST, PASSWORD, affiliation=STATION)
        rows = [{"member_id": f"M{i:03d}", "email": f"member{i:03d}@example.jp", "categories": "threat",
                 "areas": "鹿児島市"} for i in range(MEMBERS)]
        save_members(engine, check_members(frame(*rows), DIRECTORY).records, directory=DIRECTORY)
    finally:
        engine.dispose()
    with running_service(ws, smtp=sink.address) as service:
        yield ws, service, people


@pytest.fixture(autouse=True)
def fresh_kernel_sessions():
    """Each test starts as a new kernel would: no session held."""
    login.end_sessions()
    login.SESSIONS.clear()
    yield
    login.end_sessions()
    login.SESSIONS.clear()


def database(ws):
    return store.connect(ws.database_url)


def clean_incidents(ws, *, groups, count: int = 1, exclude=()) -> list[str]:
    """Incidents of STATION whose victim is in ``groups`` and whose generated draft the lint passes, with no alert yet."""
    incidents = read_incidents(settings=ws.settings)
    candidates = incidents[(incidents["category"] == "threat") & (incidents["station"] == STATION)
                           & incidents["victim_group"].isin(groups) & ~incidents["incident_id"].isin(exclude)]
    areas, found = load_areas(ws.root), []
    engine = database(ws)
    try:
        for incident_id in candidates["incident_id"]:
            form = DraftForm(ws.root, incident_id, session=login.KernelSession(ws), areas=areas, engine=engine)
            if not form.draft.findings and not form.existing:
                found.append(str(incident_id))
            if len(found) == count:
                return found
    finally:
        engine.dispose()
    raise AssertionError(f"no clean draft among {len(candidates)} incidents of {groups}")


def executed(path) -> tuple[str, str]:
    """(printed text of the steps cell, every HTML the widgets of the run hold) of an executed notebook."""
    nb = nbformat.read(path, as_version=4)
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert not errors, errors
    (cell,) = [c for c in nb.cells if c.cell_type == "code" and "run_steps" in c.source]
    printed = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
    state = nb.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {}).get("state", {})
    shown = "\n".join(str(model["state"].get("value") or "") for model in state.values()
                      if model["model_name"] in ("HTMLModel", "TextModel", "TextareaModel"))
    return printed, shown


def run_05(ws, out, token: str, steps, monkeypatch) -> tuple[str, str]:
    """Run 05 as the owner of ``token`` (in ``ANSHIN_SESSION``), taking ``steps``; (printed, shown)."""
    monkeypatch.setenv(login.SESSION_VARIABLE, token)
    papermill.execute_notebook(str(NOTEBOOK), str(out), parameters={"workspace": str(ws.root), "steps": list(steps)},
                               kernel_name="python3", progress_bar=False)
    return executed(out)


def status_of(ws, alert_id: int) -> Status:
    engine = database(ws)
    try:
        return alerts.get_alert(engine, alert_id).status
    finally:
        engine.dispose()


# -- the login --------------------------------------------------------------------------------------------------

def test_the_login_widget_logs_in_clears_the_password_and_the_session_ends(approvals_ws):
    ws, service, _ = approvals_ws
    now = [0.0]
    session = login.KernelSession(ws, idle_timeout_s=60, clock=lambda: now[0])
    widget = login.LoginWidget(session)
    assert "ユーザー名" == widget.username.description and "パスワード" == widget.password.description
    widget.username.value, widget.password.value = "chief", "not the password"
    assert not widget.submit()
    assert widget.password.value == "" and "ユーザー名かパスワードが違います" in widget.status.value
    widget.username.value, widget.password.value = "chief", PASSWORD
    widget.login_button.click()
    assert session.logged_in and widget.password.value == ""
    assert "ログイン中" in widget.status.value and "署長" in widget.status.value
    token = session.client().token
    # Idle past the timeout: the session ends here and at the service.
    now[0] += 61
    assert session.client() is None and "操作がなかったため" in session.message
    assert "ログイン" in widget.status.value and widget.form in widget.box.children
    probe = service.client()
    with pytest.raises(Exception, match="ログイン"):
        probe.use_token(token)
    # Logged in again, the 「ログアウト」 button ends it the same way.
    widget.username.value, widget.password.value = "chief", PASSWORD
    widget.submit()
    token = session.client().token
    widget.logout_button.click()
    assert not session.logged_in and session.message == "ログアウトしました"
    with pytest.raises(Exception, match="ログイン"):
        probe.use_token(token)
    # The service's own expiry counts too, whatever the idle clock says.
    widget.username.value, widget.password.value = "chief", PASSWORD
    widget.submit()
    session.identity["expires_at"] = "2000-01-01T00:00:00+00:00"
    assert session.client() is None and "有効期限が切れました" in session.message
    probe.http.close()


def test_no_password_is_read_from_the_environment(approvals_ws, monkeypatch):
    """ANSHIN_USER / ANSHIN_PASSWORD in the kernel's environment log nobody in: the form shows its login instead."""
    from anshin_lab.views.forms import draft_forms

    ws, _, _ = approvals_ws
    monkeypatch.delenv(login.SESSION_VARIABLE, raising=False)
    monkeypatch.setenv("ANSHIN_USER", "analyst")
    monkeypatch.setenv("ANSHIN_PASSWORD", PASSWORD)
    (incident_id,) = clean_incidents(ws, groups=["20代", "30代"], exclude=())
    form = draft_forms(ws.root, [incident_id])[0]
    assert form.submit() is None and form.alert_id is None
    assert "ログインが必要です" in form.status.value and form.login_area.children
    assert not login.kernel_session(ws).logged_in


def test_a_session_token_continues_a_session_and_a_stopped_service_is_named(approvals_ws, monkeypatch, tmp_path):
    ws, service, _ = approvals_ws
    with service.logged_in("hq", PASSWORD) as hq:
        monkeypatch.setenv(login.SESSION_VARIABLE, hq.token)
        session = login.kernel_session(ws)
        assert session.logged_in and session.role == Role.HQ_PLANNING_CHIEF
        login.end_sessions()  # a resumed session stays its owner's: the token still works
        assert hq.whoami()["username"] == "hq"
    monkeypatch.delenv(login.SESSION_VARIABLE)
    stopped = open_workspace(tmp_path / "stopped")  # the same files, no service listening there
    shutil.copytree(ws.root, stopped.root, ignore=shutil.ignore_patterns("run"))
    widget = login.LoginWidget(login.KernelSession(stopped))
    assert "anshin service が起動していないためログインできません" in widget.status.value
    assert f"anshin service --workspace {stopped.root}" in widget.status.value
    widget.username.value, widget.password.value = "hq", PASSWORD
    assert not widget.submit() and "起動していない" in widget.status.value and widget.password.value == ""


def test_the_queue_follows_the_login_and_shows_the_record(approvals_ws):
    ws, service, _ = approvals_ws
    (incident_id,) = clean_incidents(ws, groups=["20代", "30代"], exclude=())
    with service.logged_in("analyst", PASSWORD) as analyst:
        form = DraftForm(ws.root, incident_id, client=analyst)
        alert_id = form.submit()
    assert alert_id is not None and form.submit_button.disabled
    queue = ApprovalQueue(ws.root, session=login.KernelSession(ws))
    assert queue.login.form in queue.login.box.children and queue.items.empty
    queue.login.username.value, queue.login.password.value = "chief", PASSWORD
    queue.login.login_button.click()
    assert alert_id in set(queue.items["alert_id"]), queue.summary()
    assert f"#{alert_id} [決裁待ち(署長)]" in queue.summary() and "署長の決裁" in queue.summary()
    for title in ("期限を過ぎたもの", "結果(検挙・指導警告・解決)の続報を待っている配信", "起案済みで未発信の続報",
                  "配信も「発信しない」の記録もない事案"):
        assert title in queue.due.value
    assert "配信も「発信しない」の記録もない事案" in queue.summary()
    panel = queue.open(alert_id)
    assert f"事案番号: {incident_id}" in panel.header.value and STATION in panel.header.value
    assert form.draft.subject in panel.draft.value
    versions = panel.draft.value.split("他の言語の版")[1]  # what the approval also covers, each language once
    assert all(name in versions for name in ("やさしい日本語", "English", "简体中文", "한국어", "Tiếng Việt"))
    assert "Kagoshima" in versions and "<details>" in panel.draft.value
    assert "場所の判定" in panel.decision.value and "世帯" in panel.decision.value
    assert "<iframe" in panel.map.value and "anshinMapReady" in panel.map.value  # the offline map, inlined
    assert "本人" in panel.consent.value and "まだそろっていません" in panel.consent.value
    assert "指摘なし" in panel.lint.value and "決裁に回す" in panel.history.value
    assert {"approve", "consent", "send_back", "reject", "withdraw"} <= set(panel.names_available())
    # An unanswered check is not a "no": the approval is not asked for.
    assert not panel.act("approve") and "署長の判断の確認に答えてください" in panel.status.value
    assert status_of(ws, alert_id) == Status.SUBMITTED
    queue.session.end()
    assert queue.items.empty and not queue.panel_box.children
    engine = database(ws)
    try:
        alerts.withdraw(engine, users.authenticate(engine, "analyst", PASSWORD), alert_id, "テストの後片付け")
    finally:
        engine.dispose()


# -- the whole cycle through the notebooks -------------------------------------------------------------------------

@pytest.mark.slow
def test_05_takes_an_alert_through_every_role_and_refuses_each_forbidden_step(approvals_ws, sink, tmp_path,
                                                                              monkeypatch):
    ws, service, people = approvals_ws
    adult, minor = (clean_incidents(ws, groups=["20代", "30代"], exclude=())[0],
                    clean_incidents(ws, groups=["小学生"])[0])
    own = clean_incidents(ws, groups=["20代", "30代"], count=2, exclude=[adult])[1]
    sessions = {name: service.logged_in(name, PASSWORD) for name in
                ("analyst", "chief", "chief2", "division", "hq", "operator", "drafter")}
    try:
        # 04 as the analyst (the session passed as the notebook's parameter): both drafts submitted.
        monkeypatch.delenv(login.SESSION_VARIABLE, raising=False)
        papermill.execute_notebook(str(DRAFTS), str(tmp_path / "04.ipynb"), kernel_name="python3",
                                   progress_bar=False,
                                   parameters={"workspace": str(ws.root), "incident_ids": [adult, minor],
                                               "submit": True, "session": sessions["analyst"].token})
        assert "承認申請: 2件 / 2件" in (tmp_path / "04.ipynb").read_text(encoding="utf-8")
        engine = database(ws)
        try:
            (a_id, a_status), = alerts_of_incident(engine, adult)
            (m_id, m_status), = alerts_of_incident(engine, minor)
            # A chief who drafted an alert as an analyst before becoming chief (his own draft).
            d_id = DraftForm(ws.root, own, client=sessions["drafter"]).submit()
            users.set_role(engine, people["admin"], "drafter", Role.STATION_CHIEF)
        finally:
            engine.dispose()
        assert a_status == m_status == Status.SUBMITTED

        # A second alert for the same incident: the form shows the first and refuses without 「差し替え」.
        second = DraftForm(ws.root, adult, client=sessions["analyst"])
        assert f"#{a_id} 決裁待ち(署長)" in second.header.value
        assert second.submit() is None and "二重の配信になるため申請しません" in second.status.value

        # Another station's chief: not in his queue, and the service refuses his approval.
        printed, _ = run_05(ws, tmp_path / "chief2.ipynb", sessions["chief2"].token,
                            [{"alert_id": a_id, "action": "approve", "answers": ALL_YES}], monkeypatch)
        assert f"#{a_id} [" not in printed.split("決裁待ち・操作待ち", 1)[1], printed
        assert f"#{a_id} 決裁する: できませんでした" in printed and STATION in printed, printed
        # The chief on his own draft.
        printed, _ = run_05(ws, tmp_path / "drafter.ipynb", sessions["drafter"].token,
                            [{"alert_id": d_id, "action": "approve", "answers": ALL_YES}], monkeypatch)
        assert f"#{d_id} 決裁する: できませんでした — 自分が起案した配信" in printed, printed
        assert status_of(ws, a_id) == status_of(ws, d_id) == Status.SUBMITTED

        # The chief: the adult's consent and approval go through; the minor's own consent is refused; sent back.
        printed, shown = run_05(ws, tmp_path / "chief.ipynb", sessions["chief"].token, [
            {"alert_id": a_id, "action": "consent", "kind": "本人", "method": "電話", "given_at": "2026-11-28T17:00"},
            {"alert_id": a_id, "action": "approve", "answers": ALL_YES, "hq_consultation": True},
            {"alert_id": m_id, "action": "consent", "kind": "本人", "method": "対面", "given_at": "2026-11-28T18:00"},
            {"alert_id": m_id, "action": "send_back", "reason": "保護者の承諾を得てから申請してください"},
        ], monkeypatch)
        assert f"#{a_id} 承諾の記録: 決裁待ち(署長)になりました" in printed, printed
        assert f"#{a_id} 署長の決裁: 決裁待ち(本部)になりました" in printed, printed
        assert f"#{m_id} 承諾を記録: できませんでした" in printed and "保護者" in printed, printed
        assert f"#{m_id} 差し戻し: 起案中になりました" in printed, printed
        assert "場所の判定" in shown and "承諾・公表要請書" in shown and "経過" in shown  # the panels rendered

        # The analyst: may not approve; resubmits the draft sent back to him (it is in his queue).
        printed, _ = run_05(ws, tmp_path / "analyst.ipynb", sessions["analyst"].token, [
            {"alert_id": a_id, "action": "hq_approve"},
            {"alert_id": m_id, "action": "submit"},
        ], monkeypatch)
        assert f"#{a_id} 承認する: できませんでした — 分析担当は" in printed, printed
        assert f"#{m_id} 承認申請: 決裁待ち(署長)になりました" in printed, printed

        # The HQ division chief records the consultation the chief asked for.
        printed, _ = run_05(ws, tmp_path / "division.ipynb", sessions["division"].token,
                            [{"alert_id": a_id, "action": "consult", "opinion": "発信して差し支えない"}], monkeypatch)
        assert f"#{a_id} 本部関係所属長との協議: 決裁待ち(本部)になりました" in printed, printed

        # The head of 生活安全企画課: approves and prepares; his release is refused (not the operator).
        printed, _ = run_05(ws, tmp_path / "hq.ipynb", sessions["hq"].token, [
            {"alert_id": a_id, "action": "hq_approve", "comment": "発信を承認"},
            {"alert_id": a_id, "action": "prepare"},
            {"alert_id": a_id, "action": "release"},
        ], monkeypatch)
        assert f"#{a_id} 生活安全企画課長の承認: 承認済みになりました" in printed, printed
        assert f"#{a_id} 発信準備: 発信準備完了になりました" in printed, printed
        assert f"#{a_id} 配信先と文面を確認: できませんでした — 生活安全企画課長は「発信」を行えません" in printed, printed
        assert status_of(ws, a_id) == Status.READY

        # The designated operator: the alert is in his queue; the release shows the count, then sends.
        engine = database(ws)
        try:
            waiting = queue_of(engine, Role.OPERATOR, "operator", designated=True)
        finally:
            engine.dispose()
        assert a_id in set(waiting["alert_id"]) and "発信" in waiting.set_index("alert_id").loc[a_id, "steps"]
        before = len(sink.handler.accepted)
        printed, shown = run_05(ws, tmp_path / "operator.ipynb", sessions["operator"].token,
                                [{"alert_id": a_id, "action": "release"}], monkeypatch)
        assert f"#{a_id} 配信先 {MEMBERS:,}件を確認しました" in printed, printed
        assert f"#{a_id} 発信しました(送信済み {MEMBERS:,}件)" in printed, printed
        assert "送信されるメール(1通目)" in shown and "To: (1人目の会員のアドレス)" in shown
        assert "member_id" not in shown and "@example.jp" not in shown  # no recipient list, no address
        assert status_of(ws, a_id) == Status.SENT
        assert len(sink.handler.accepted) - before == MEMBERS  # counted at the SMTP server
    finally:
        for client in sessions.values():
            client.close()
