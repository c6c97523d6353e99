"""The draft form, driven headless: set widget values and click buttons from Python.

The form logs in with the notebooks' password widget (``views.login``) or a
session passed in, never a password from the environment; it names its
事案番号 and the alerts already drafted for it, refuses a second one without
「差し替え」, and disables its button once submitted.
"""

import pytest

from anshin_lab.workflow import alerts
from anshin_lab.storage import store
from anshin_lab.views.forms import DraftForm
from anshin_lab.core.granularity import Granularity
from anshin_lab.workflow.rules import Status
from anshin_lab.app.catalog import read_incidents
from anshin_lab.views import login

from .service_process import running_service
from .staff import PASSWORD, add_staff
from .test_approvals_notebook import clean_incidents


@pytest.fixture(scope="module")
def workspace_with_staff(imported_workspace, tmp_path_factory):
    """A copy of the imported workspace with the staff accounts and its ``anshin service`` running.

    The shared workspace stays untouched; the forms hand their drafts to the service.
    """
    import shutil

    from anshin_lab.app.workspace import open_workspace

    root = tmp_path_factory.mktemp("forms") / "ws"
    shutil.copytree(imported_workspace.root, root)
    ws = open_workspace(root)
    engine = store.connect(ws.database_url)
    try:
        add_staff(engine)
    finally:
        engine.dispose()
    with running_service(ws) as service:
        yield ws, service


@pytest.fixture(autouse=True)
def fresh_kernel_sessions():
    """Each test starts as a new kernel would: no session held."""
    login.end_sessions()
    login.SESSIONS.clear()
    yield
    login.end_sessions()
    login.SESSIONS.clear()


def threat_id(ws):
    incidents = read_incidents(settings=ws.settings)
    adults = incidents[(incidents["category"] == "threat") & (incidents["victim_group"] == "20代")
                       & incidents["address"].str.contains("番", na=False) & ~incidents["address"].str.contains("番地", na=False)]
    return adults.iloc[0]["incident_id"]


def test_form_headless_level_text_preview_lint_submit(workspace_with_staff):
    ws, service = workspace_with_staff
    form = DraftForm(ws.root, threat_id(ws), client=service.logged_in("analyst", PASSWORD))
    assessed = form.assessed.level
    assert form.level.value == assessed.name
    # The dropdown offers the assessed level and coarser ones only.
    assert [name for _, name in form.level.options][0] == assessed.name
    assert "EXACT" not in [name for _, name in form.level.options]

    # Coarser level: subject, body and preview follow.
    form.level.value = "CITY"
    assert "内" in form.subject.value and form.decision.level == Granularity.CITY
    assert form.subject.value in form.preview.value

    # A hand edit with a facility name: the lint panel shows it and submission is blocked.
    form.body.value = form.body.value + "\n現場は山下小学校の近くです。"
    assert "山下小学校" in form.lint_panel.value
    assert form.draft.findings
    form.submit_button.click()
    assert form.alert_id is None and "修正してから申請" in form.status.value

    # The fix button applies the suggestions and shows what it changed; then the submission goes through.
    form.fix_button.click()
    assert "山下小学校" not in form.body.value and "指摘なし" in form.lint_panel.value
    assert "修正した箇所" in form.lint_panel.value and "「山下小学校」→「学校」" in form.lint_panel.value
    form.submit_button.click()
    assert form.alert_id is not None and "承認申請しました" in form.status.value
    engine = store.connect(ws.database_url)
    try:
        stored = alerts.get_alert(engine, form.alert_id)
    finally:
        engine.dispose()
    assert stored.status == Status.SUBMITTED
    assert stored.level == Granularity.CITY and stored.assessed_level == assessed
    assert stored.body == form.body.value


def test_unchecking_tips_changes_the_body(workspace_with_staff):
    ws, service = workspace_with_staff
    form = DraftForm(ws.root, threat_id(ws), client=service.logged_in("analyst", PASSWORD))
    checked = [box for box in form.tip_boxes if box.value]
    assert len(checked) >= 3
    checked[0].value = False
    assert f"★{checked[0].description}" not in form.body.value


def test_form_without_login_does_not_submit_and_shows_the_login(workspace_with_staff):
    ws, _ = workspace_with_staff
    form = DraftForm(ws.root, threat_id(ws))
    form.submit_button.click()
    assert form.alert_id is None and "承認申請にはログインが必要です" in form.status.value
    assert form.login_area.children == (form.login.widget(),)
    assert "ログインしていないため申請できません" not in form.status.value  # the old dead end


def test_the_form_logs_in_on_demand_submits_once_and_disables_its_button(workspace_with_staff):
    ws, _ = workspace_with_staff
    (incident_id,) = clean_incidents(ws, groups=["20代", "30代", "大学生"])
    form = DraftForm(ws.root, incident_id, session=login.KernelSession(ws))
    assert f"事案番号 {incident_id}" in form.header.value and "この事案の配信" not in form.header.value
    form.submit_button.click()
    assert form.alert_id is None and form.login_area.children
    form.login.username.value, form.login.password.value = "analyst", PASSWORD
    form.login.login_button.click()
    assert form.login.password.value == "" and not form.login_area.children
    assert "ログインしました" in form.status.value and "もう一度「承認申請」を押してください" in form.status.value
    form.submit_button.click()
    assert form.alert_id is not None and "承認申請しました" in form.status.value
    assert form.submit_button.disabled and form.submit_button.description == "申請済み"
    assert f"#{form.alert_id} 決裁待ち(署長)" in form.header.value
    first = form.alert_id
    form.submit_button.click()  # a second click changes nothing
    assert form.alert_id == first and "申請済みです" in form.status.value
    engine = store.connect(ws.database_url)
    try:
        ids = alerts.list_alerts(engine)
    finally:
        engine.dispose()
    assert sum(1 for i in ids["alert_id"] if i == first) == 1 and ids["alert_id"].max() == first


def test_a_second_alert_for_an_incident_needs_an_explicit_supersede(workspace_with_staff):
    ws, service = workspace_with_staff
    (incident_id,) = clean_incidents(ws, groups=["20代", "30代", "大学生"])
    with service.logged_in("analyst", PASSWORD) as analyst:
        first = DraftForm(ws.root, incident_id, client=analyst).submit()
        again = DraftForm(ws.root, incident_id, client=analyst)
        assert f"#{first} 決裁待ち(署長)" in again.header.value and "すでにあります" in again.header.value
        assert again.supersede.layout.display != "none" and f"#{first}" in again.supersede.description
        assert again.submit() is None and "二重の配信になるため申請しません" in again.status.value
        again.supersede.value = True
        second = again.submit()
    assert second is not None and second != first, again.status.value
    engine = store.connect(ws.database_url)
    try:
        assert alerts.get_alert(engine, first).status == Status.WITHDRAWN
        assert alerts.get_alert(engine, second).status == Status.SUBMITTED
    finally:
        engine.dispose()


def test_draft_notebook_submits_headless(workspace_with_staff, tmp_path, monkeypatch):
    """04 under papermill with the analyst's session in ANSHIN_SESSION (a token; no password anywhere)."""
    import papermill

    from .conftest import PROJECT
    ws, service = workspace_with_staff
    (incident_id,) = clean_incidents(ws, groups=["20代", "30代", "大学生"])
    monkeypatch.delenv("ANSHIN_PASSWORD", raising=False)
    out = tmp_path / "04.ipynb"
    with service.logged_in("analyst", PASSWORD) as analyst:
        monkeypatch.setenv(login.SESSION_VARIABLE, analyst.token)
        papermill.execute_notebook(str(PROJECT / "notebooks" / "04_draft_alerts.ipynb"), str(out),
                                   parameters={"workspace": str(ws.root), "incident_ids": [incident_id],
                                               "submit": True},
                                   kernel_name="python3", progress_bar=False)
    text = out.read_text(encoding="utf-8")
    assert "承認申請: 1件 / 1件" in text
    assert "correct horse" not in text
    engine = store.connect(ws.database_url)
    try:
        submitted = alerts.list_alerts(engine, "submitted")
    finally:
        engine.dispose()
    assert len(submitted) >= 1


def test_a_form_submits_only_through_the_service_as_the_logged_in_analyst(workspace_with_staff):
    import shutil

    from anshin_lab.views.forms import draft_forms
    from anshin_lab.workflow import authority

    ws, service = workspace_with_staff
    authority.uninstall()  # a kernel: no key
    (incident_id,) = clean_incidents(ws, groups=["20代", "30代", "大学生"])
    with service.logged_in("chief", PASSWORD) as chief, service.logged_in("analyst", PASSWORD) as analyst:
        # A station chief is no analyst: the service refuses the draft.
        form = draft_forms(ws.root, [incident_id], session=chief.token)[0]
        assert form.submit() is None and "起案" in form.status.value
        form = draft_forms(ws.root, [incident_id], session=analyst.token)[0]
        assert form.submit() is not None and "承認申請しました" in form.status.value
    stopped = ws.root.parent / "no-service"  # the same workspace files, no service listening there
    shutil.copytree(ws.root, stopped, ignore=shutil.ignore_patterns("run"))
    login.SESSIONS.clear()
    form = draft_forms(stopped, [incident_id])[0]
    form.submit_button.click()
    assert form.alert_id is None and form.login_area.children
    assert "anshin service が起動していないためログインできません" in form.login.status.value


def test_the_fix_reads_as_japanese_and_the_panel_lists_each_change(workspace_with_staff):
    """「指摘を修正」 on an analyst's sentence: 「鹿児島市内の学校の前で」, no findings, every change before → after."""
    ws, _ = workspace_with_staff
    form = DraftForm(ws.root, threat_id(ws))
    form.body.value += "\n鹿児島市の山下小学校の前で、鈴木副署長が099ー222ー1234から電話を受けた。"
    assert "山下小学校" in form.lint_panel.value and form.draft.findings
    form.fix_button.click()
    assert "鹿児島市内の学校の前で、副署長が(電話番号は省略)から電話を受けた。" in form.body.value
    assert not form.draft.findings and "指摘なし" in form.lint_panel.value
    for change in ("「の山下小学校」→「内の学校」", "「鈴木」→(削除)", "「099ー222ー1234」→「(電話番号は省略)」"):
        assert change in form.lint_panel.value, form.lint_panel.value
    # A new level redraws the text: the list of fixes goes with the old text.
    form.level.value = "CITY"
    assert "修正した箇所" not in form.lint_panel.value


def test_the_place_panel_shows_the_households(workspace_with_staff):
    ws, _ = workspace_with_staff
    form = DraftForm(ws.root, threat_id(ws))
    assert f"公表する地域: {form.decision.households_text}" in form.reasons.value
    assert "世帯" in form.reasons.value
