"""Every notebook executes headless under papermill, on a real kernel, and shows what it is for.

01–03 run on a workspace where the demo sent alerts, and each test reads the
executed notebook's outputs: the counts it prints, the chart's image, the
maps' HTML (the public map holds exactly the sent alerts).
"""

import html
import json
import re
from pathlib import Path

import nbformat
import papermill
import pytest

from anshin_lab.app import patterns
from anshin_lab.app.catalog import load_areas, read_incidents
from anshin_lab.core.granularity import Granularity
from anshin_lab.storage import store
from anshin_lab.workflow import alerts

from .conftest import PROJECT

NOTEBOOKS = sorted((PROJECT / "notebooks").glob("*.ipynb"))
# Checked output by output below; the others only have to run.
CHECKED = {"01_incidents.ipynb", "02_areas.ipynb", "03_incident_map.ipynb", "05_approvals.ipynb", "06_patterns.ipynb"}


def execute(notebook: Path, out: Path, workspace) -> nbformat.NotebookNode:
    """Run ``notebook`` on ``workspace`` into ``out`` with papermill; returns the executed notebook."""
    papermill.execute_notebook(str(notebook), str(out), parameters={"workspace": str(workspace)},
                               kernel_name="python3", cwd=str(notebook.parent), progress_bar=False)
    executed = nbformat.read(out, as_version=4)
    errors = [o for c in executed.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert not errors, errors
    return executed


def outputs_of(nb, source_part: str) -> list:
    """The outputs of the one code cell whose source contains ``source_part``."""
    (cell,) = [c for c in nb.cells if c.cell_type == "code" and source_part in c.source]
    return cell.outputs


def text_of(outputs) -> str:
    return "".join(o.get("text", "") for o in outputs if o.output_type == "stream")


def html_of(outputs) -> str:
    return "".join(o.data.get("text/html", "") for o in outputs if "data" in o)


def map_payload(cell_html: str, key: str) -> dict:
    """The anshin-maps data block holding ``key`` from a map shown in a cell (an iframe's srcdoc)."""
    page = html.unescape(re.search(r'srcdoc="([^"]*)"', cell_html).group(1))
    blocks = re.findall(r'<script type="application/json" id="[^"]+">(.*?)</script>', page, flags=re.S)
    return next(p for p in map(json.loads, blocks) if isinstance(p, dict) and key in p)


def sent_alerts(ws) -> int:
    """How many alerts the public map must show: sent originals (follow-ups share their place)."""
    engine = store.connect(ws.database_url)
    try:
        return len(alerts.published_decisions(engine, load_areas(ws.root)))
    finally:
        engine.dispose()


def run_on_demo(name: str, demo_workspace, tmp_path):
    """(workspace, executed notebook) of ``notebooks/<name>`` run on the demo's workspace."""
    ws, _ = demo_workspace
    return ws, execute(PROJECT / "notebooks" / name, tmp_path / name, ws.root)


@pytest.mark.slow
def test_incidents_notebook_counts_and_shows_the_monthly_chart(demo_workspace, tmp_path):
    ws, nb = run_on_demo("01_incidents.ipynb", demo_workspace, tmp_path)
    incidents = read_incidents(ws.root)
    assert f"事案 {len(incidents)}件" in text_of(outputs_of(nb, "read_incidents(workspace"))
    assert "脅威事犯" in html_of(outputs_of(nb, "by_category"))
    chart = [o for o in outputs_of(nb, "plot_monthly") if "image/png" in o.get("data", {})]
    assert len(chart) == 1 and len(chart[0].data["image/png"]) > 10_000  # base64 of a real chart
    assert "鹿児島中央警察署" in html_of(outputs_of(nb, "by_station"))


@pytest.mark.slow
def test_areas_notebook_counts_assignments_and_rates(demo_workspace, tmp_path):
    ws, nb = run_on_demo("02_areas.ipynb", demo_workspace, tmp_path)
    n, chome = len(read_incidents(ws.root)), len(load_areas(ws.root).layer(Granularity.CHOME))
    assert f"事案 {n}件 / 小地域 {chome:,}件" in text_of(outputs_of(nb, "area_set.assign(incidents)"))
    placements = html_of(outputs_of(nb, 'assigned["placement"]'))
    assert "point" in placements and "割り当て方法" in placements
    rates = html_of(outputs_of(nb, "rate_per_1000_households("))
    assert "世帯1,000あたり" in rates and rates.count("<tr>") >= 20
    assert "警察署" in html_of(outputs_of(nb, "station_district"))


@pytest.mark.slow
def test_map_notebook_shows_the_internal_map_and_the_public_map_of_sent_alerts(demo_workspace, tmp_path):
    ws, nb = run_on_demo("03_incident_map.ipynb", demo_workspace, tmp_path)
    incidents = read_incidents(ws.root)
    assert f"事案 {len(incidents):,}件" in text_of(outputs_of(nb, "read_incidents(workspace"))

    internal = map_payload(html_of(outputs_of(nb, "maps.incident_map(")), "points")
    assert internal["total"] == len(incidents)

    public = map_payload(html_of(outputs_of(nb, "maps.published_map(")), "areas")
    drawn = sum(len(area["alerts"]) for area in public["areas"])
    sent = sent_alerts(ws)
    assert sent > 5 and drawn == sent, (drawn, sent)  # the sent alerts, not every incident

    choropleth = html_of(outputs_of(nb, "maps.choropleth("))
    assert "世帯1,000あたり" in html.unescape(choropleth)


@pytest.mark.slow
def test_patterns_notebook_shows_the_series_knox_table_and_hot_spots(imported_workspace, tmp_path):
    nb = execute(PROJECT / "notebooks" / "06_patterns.ipynb", tmp_path / "06.ipynb", imported_workspace.root)
    result, incidents = patterns.series_of(imported_workspace.root)
    n = len(result.series)
    assert f"系列の候補 {n}件(脅威事犯 {len(incidents):,}件から)" in text_of(outputs_of(nb, "patterns.series_of("))
    table = html_of(outputs_of(nb, "patterns.series_table("))
    assert n > 5 and table.count("<tr>") == n and "つながりの理由" in table  # one row per series (the header's is styled)
    series_page = html.unescape(html_of(outputs_of(nb, "views.series_map(")))
    assert "部外秘" in series_page
    assert series_page.count("L.circleMarker(") == int(result.series["size"].sum())  # every member on the map
    assert [o for o in outputs_of(nb, "views.series_timeline(") if "image/png" in o.get("data", {})]
    knox = outputs_of(nb, "patterns.near_repeat_of(")
    assert "Knox 検定" in text_of(knox) and "同一地点" in html_of(knox) and "(p=" in html_of(knox)
    hot = outputs_of(nb, "patterns.hotspots_of(")
    assert "ホットスポット" in text_of(hot) and "部外秘" in html.unescape(html_of(hot))
    heat = [o for o in outputs_of(nb, "views.weekday_hour_heatmap(") if "image/png" in o.get("data", {})]
    assert len(heat) == 1 and len(heat[0].data["image/png"]) > 10_000


@pytest.mark.slow
@pytest.mark.parametrize("notebook", [p for p in NOTEBOOKS if p.name not in CHECKED], ids=lambda p: p.name)
def test_notebook_runs(notebook: Path, imported_workspace, tmp_path):
    execute(notebook, tmp_path / notebook.name, imported_workspace.root)


def test_notebooks_are_committed_without_outputs():
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        assert all(not cell.get("outputs") for cell in nb.cells if cell.cell_type == "code"), path.name
        assert nb.cells[1].metadata.get("tags") == ["parameters"], path.name


@pytest.mark.slow
def test_approvals_notebook_without_a_session_shows_the_login_and_names_the_stopped_service(imported_workspace,
                                                                                            tmp_path, monkeypatch):
    """05 with nobody logged in (no session, no service): the login form, and what to start, in Japanese."""
    monkeypatch.delenv("ANSHIN_SESSION", raising=False)
    nb = execute(PROJECT / "notebooks" / "05_approvals.ipynb", tmp_path / "05.ipynb", imported_workspace.root)
    assert "ログインしていません" in text_of(outputs_of(nb, "run_steps"))
    state = nb.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    shown = " ".join(str(m["state"].get("value") or m["state"].get("description") or "") for m in state.values())
    assert "決裁・発信にはログインが必要です" in shown and "パスワード" in shown and "ログイン" in shown
    assert f"anshin service --workspace {imported_workspace.root}" in shown


# -- make lab ---------------------------------------------------------------------------------------------------

FAKE_JUPYTER = """#!/bin/sh
echo "ARGS $*"
echo "PASSWORD ${ANSHIN_PASSWORD-unset} SESSION ${ANSHIN_SESSION-unset}"
"""


@pytest.mark.parametrize("uid", ["0", "1000"], ids=["root", "user"])
def test_make_lab_adds_allow_root_for_root_only_and_keeps_passwords_out(uid, tmp_path):
    """``make lab`` as root passes --allow-root (JupyterLab refuses root without it), as a user it does not; the
    server (so every kernel) starts without ANSHIN_PASSWORD or ANSHIN_SESSION."""
    import os
    import subprocess

    bin_dir, fake = tmp_path / "bin", tmp_path / "fake"
    bin_dir.mkdir()
    fake.mkdir()
    (bin_dir / "jupyter").write_text(FAKE_JUPYTER)
    (fake / "id").write_text(f"#!/bin/sh\necho {uid}\n")
    for script in (bin_dir / "jupyter", fake / "id"):
        script.chmod(0o755)
    env = {**os.environ, "PATH": f"{fake}:{os.environ['PATH']}", "ANSHIN_PASSWORD": "in-the-environment",
           "ANSHIN_SESSION": "a-token"}
    done = subprocess.run(["make", "--no-print-directory", "-o", "workspace", "lab", f"BIN={bin_dir}"], cwd=PROJECT,
                          env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    args = next(line for line in done.stdout.splitlines() if line.startswith("ARGS "))
    assert "lab --ServerApp.root_dir=notebooks" in args
    assert ("--allow-root" in args) == (uid == "0"), args
    assert "PASSWORD unset SESSION unset" in done.stdout


@pytest.mark.slow
def test_make_lab_starts_jupyterlab_whose_kernels_hold_no_password(tmp_path):
    """The real ``make lab`` as this user (root here adds --allow-root): the server answers, and a kernel it starts
    has no ANSHIN_PASSWORD in its environment although the shell that ran make had one."""
    import json
    import os
    import secrets
    import signal
    import subprocess
    import time
    import urllib.request

    from .test_screenshots import free_port

    port, token = free_port(), secrets.token_hex(16)
    env = {**os.environ, "ANSHIN_PASSWORD": "in-the-environment",
           **{name: str(tmp_path / sub) for name, sub in (
               ("JUPYTER_CONFIG_DIR", "config"), ("JUPYTER_DATA_DIR", "data"), ("JUPYTER_RUNTIME_DIR", "runtime"),
               ("JUPYTERLAB_SETTINGS_DIR", "settings"), ("JUPYTERLAB_WORKSPACES_DIR", "workspaces"))}}
    args = f"--no-browser --ip=127.0.0.1 --port={port} --ServerApp.port_retries=0 --ServerApp.token={token}"
    log = (tmp_path / "lab.log").open("wb")
    make = subprocess.Popen(["make", "--no-print-directory", "-o", "workspace", "lab", f"LAB_ARGS={args}"],
                            cwd=PROJECT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    kernels: list[Path] = []
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2):
                    break
            except OSError:
                assert make.poll() is None and time.monotonic() < deadline, (tmp_path / "lab.log").read_text()
                time.sleep(0.5)
        request = urllib.request.Request(f"{base}/api/kernels?token={token}", data=b"{}", method="POST",
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as answer:
            kernel_id = json.load(answer)["id"]
        deadline = time.monotonic() + 60
        while not kernels and time.monotonic() < deadline:
            kernels = [p for p in Path("/proc").iterdir() if p.name.isdigit() and kernel_id in _cmdline(p)]
            time.sleep(0.3)
        assert kernels, "the kernel process did not appear"
        for process in kernels:
            environ = (process / "environ").read_bytes().split(b"\0")
            assert not any(v.startswith(b"ANSHIN_PASSWORD=") for v in environ)
            assert any(v.startswith(b"JUPYTER_RUNTIME_DIR=") for v in environ)  # it is the kernel's environment
    finally:
        os.killpg(make.pid, signal.SIGTERM)  # make, its shell and JupyterLab: the session this test started
        try:
            make.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(make.pid, signal.SIGKILL)
            make.wait(timeout=10)
        for process in kernels:  # JupyterLab stops its kernels on SIGTERM; one it left is ours to end
            if process.exists():
                os.kill(int(process.name), signal.SIGKILL)
        log.close()


def _cmdline(process: Path) -> str:
    try:
        return (process / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
    except OSError:
        return ""
