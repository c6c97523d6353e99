"""The draft form, driven headless: set widget values and click buttons from Python."""

import pytest

from anshin_lab.workflow import alerts
from anshin_lab.storage import store
from anshin_lab.views.forms import DraftForm
from anshin_lab.core.granularity import Granularity
from anshin_lab.workflow.rules import Status
from anshin_lab.app.catalog import read_incidents

from .service_process import running_service
from .staff import PASSWORD, add_staff


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


def test_form_without_login_does_not_submit(workspace_with_staff):
    ws, _ = workspace_with_staff
    form = DraftForm(ws.root, threat_id(ws))
    form.submit_button.click()
    assert form.alert_id is None and "ログイン" in form.status.value


def test_draft_notebook_submits_headless(workspace_with_staff, tmp_path, monkeypatch):
    import papermill

    from .conftest import PROJECT
    ws, _ = workspace_with_staff
    monkeypatch.setenv("ANSHIN_USER", "analyst")
    monkeypatch.setenv("ANSHIN_PASSWORD", PASSWORD)
    incident_id = threat_id(ws)
    out = tmp_path / "04.ipynb"
    papermill.execute_notebook(str(PROJECT / "notebooks" / "04_draft_alerts.ipynb"), str(out),
                               parameters={"workspace": str(ws.root), "incident_ids": [incident_id], "submit": True},
                               kernel_name="python3", progress_bar=False)
    assert "承認申請: 1件 / 1件" in out.read_text(encoding="utf-8")
    engine = store.connect(ws.database_url)
    try:
        submitted = alerts.list_alerts(engine, "submitted")
    finally:
        engine.dispose()
    assert len(submitted) >= 1


def test_a_form_submits_only_through_the_service_as_the_logged_in_analyst(workspace_with_staff, monkeypatch):
    import shutil

    from anshin_lab.app.client import NOT_RUNNING
    from anshin_lab.views.forms import draft_forms
    from anshin_lab.workflow import authority

    ws, service = workspace_with_staff
    authority.uninstall()  # a kernel: no key
    monkeypatch.setenv("ANSHIN_USER", "chief")  # a station chief is no analyst: the service refuses the draft
    monkeypatch.setenv("ANSHIN_PASSWORD", PASSWORD)
    form = draft_forms(ws.root, [threat_id(ws)])[0]
    assert form.submit() is None and "起案" in form.status.value
    monkeypatch.setenv("ANSHIN_USER", "analyst")
    form = draft_forms(ws.root, [threat_id(ws)])[0]
    assert form.submit() is not None and "承認申請しました" in form.status.value
    stopped = ws.root.parent / "no-service"  # the same workspace files, no service listening there
    shutil.copytree(ws.root, stopped, ignore=shutil.ignore_patterns("run"))
    form = draft_forms(stopped, [threat_id(ws)])[0]
    assert form.submit() is None and NOT_RUNNING in form.status.value


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
