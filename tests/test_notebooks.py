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

from anshin_lab.app.catalog import load_areas, read_incidents
from anshin_lab.core.granularity import Granularity
from anshin_lab.storage import store
from anshin_lab.workflow import alerts

from .conftest import PROJECT

NOTEBOOKS = sorted((PROJECT / "notebooks").glob("*.ipynb"))
# Checked output by output below; the others only have to run.
CHECKED = {"01_incidents.ipynb", "02_areas.ipynb", "03_incident_map.ipynb"}


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
@pytest.mark.parametrize("notebook", [p for p in NOTEBOOKS if p.name not in CHECKED], ids=lambda p: p.name)
def test_notebook_runs(notebook: Path, imported_workspace, tmp_path):
    execute(notebook, tmp_path / notebook.name, imported_workspace.root)


def test_notebooks_are_committed_without_outputs():
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        assert all(not cell.get("outputs") for cell in nb.cells if cell.cell_type == "code"), path.name
        assert nb.cells[1].metadata.get("tags") == ["parameters"], path.name
