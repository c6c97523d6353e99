"""Screenshots from real Chromium of what people open, with what each must show.

Notebooks 01 and 03 in a real JupyterLab server (started here on the
loopback, offline, on copies executed with papermill on a workspace where
the demo sent alerts), both fraud reports (prefecture and station) and the
public map. The PNGs are kept in ``tests/artifacts/screenshots/`` (git-ignored)
for a person to look at; the assertions say what they must show: the chart
image, the layer list reachable and opening on a click, one marker per sent
alert, no request leaving the machine.
"""

from __future__ import annotations

import json
import mailbox
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import closing, contextmanager
from email import message_from_bytes, policy
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from PIL import Image

from anshin_lab.core.directive import PREFECTURE
from anshin_lab.demo.run import MAILDIR
from anshin_lab.views import maps, reports

from .browser import Browser
from .conftest import PROJECT
from .test_notebooks import execute, sent_alerts

ARTIFACTS = Path(__file__).parent / "artifacts" / "screenshots"
READY = "window.anshinMapReady === true"
STATION = "鹿児島中央警察署"
WEEK = ("2026-11-24", "2026-11-30")  # the sample year's last week, as the demo reports it

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def artifacts():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="module")
def browser():
    with Browser(viewport=(1280, 900)) as b:
        yield b


def assert_non_trivial(png: Path, min_colours: int = 64) -> None:
    """A real picture: big enough and more than a few flat colours (not a blank or an error page)."""
    image = Image.open(png).convert("RGB")
    assert image.width >= 600 and image.height >= 400, image.size
    colours = len(np.unique(np.asarray(image).reshape(-1, 3), axis=0))
    assert colours > min_colours, (png.name, colours)


def assert_offline(visit) -> None:
    assert not visit.blocked_requests, visit.problems()
    assert not visit.failed_requests and not visit.page_errors, visit.problems()


# ---------------------------------------------------------------------------
# JupyterLab


def free_port() -> int:
    with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def jupyter_lab(root: Path, home: Path):
    """A JupyterLab server on a free loopback port serving ``root``; yields its base URL and token.

    Its configuration, data (the trust database), settings and workspaces
    live under ``home``: news and update checks are off so nothing is
    fetched from the internet, and the notebooks in ``root`` are trusted so
    their HTML outputs (the maps) render as they would for their author.
    """
    env = {**os.environ, **{name: str(home / sub) for name, sub in (
        ("JUPYTER_CONFIG_DIR", "config"), ("JUPYTER_DATA_DIR", "data"), ("JUPYTER_RUNTIME_DIR", "runtime"),
        ("JUPYTERLAB_SETTINGS_DIR", "settings"), ("JUPYTERLAB_WORKSPACES_DIR", "workspaces"))}}
    (home / "config").mkdir(parents=True)
    (home / "config" / "jupyter_lab_config.py").write_text(
        "c.LabApp.news_url = None\n"
        "c.LabApp.check_for_updates_class = 'jupyterlab.handlers.announcements.NeverCheckForUpdate'\n")
    notification = home / "settings" / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
    notification.parent.mkdir(parents=True)
    notification.write_text(json.dumps({"checkForUpdates": False, "fetchNews": "false"}))
    jupyter = str(Path(sys.executable).with_name("jupyter"))
    for notebook in root.glob("*.ipynb"):
        subprocess.run([jupyter, "trust", str(notebook)], env=env, check=True, capture_output=True)
    port, token = free_port(), secrets.token_hex(16)
    command = [jupyter, "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}", "--ServerApp.port_retries=0",
               f"--ServerApp.token={token}", f"--ServerApp.root_dir={root}"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    log = (home / "server.log").open("wb")
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError("JupyterLab did not start:\n" + (home / "server.log").read_text())
                time.sleep(0.3)
        yield base, token
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


@pytest.fixture(scope="module")
def lab(demo_workspace, tmp_path_factory):
    """JupyterLab serving notebooks 01 and 03 executed on the demo workspace (no kernel work needed to see them)."""
    ws, _ = demo_workspace
    root = tmp_path_factory.mktemp("lab-notebooks")
    for name in ("01_incidents.ipynb", "03_incident_map.ipynb"):
        execute(PROJECT / "notebooks" / name, root / name, ws.root)
    with jupyter_lab(root, tmp_path_factory.mktemp("lab-home")) as server:
        yield server


def lab_url(lab, notebook: str) -> str:
    base, token = lab
    return f"{base}/lab/tree/{notebook}?token={token}&reset"


def test_notebook_01_in_jupyterlab_shows_the_monthly_chart(lab, browser, artifacts):
    def show_chart(page):
        chart = page.locator(".jp-OutputArea-output img").first
        chart.scroll_into_view_if_needed()
        page.wait_for_function("""() => [...document.querySelectorAll('.jp-OutputArea-output img')]
                                  .some(i => i.complete && i.naturalWidth > 300)""", timeout=30_000)
        return chart.evaluate("i => ({width: i.naturalWidth, height: i.naturalHeight, src: i.src.slice(0, 21)})")

    visit = browser.open(lab_url(lab, "01_incidents.ipynb"), screenshot=artifacts / "notebook_01_jupyterlab.png",
                         ready="document.querySelectorAll('.jp-Notebook .jp-Cell').length > 5",
                         interact=show_chart, settle_ms=500)
    assert_offline(visit)
    chart = visit.result
    assert chart["src"] == "data:image/png;base64" and chart["width"] > 300 and chart["height"] > 200, chart
    assert_non_trivial(visit.screenshot)


LAYER_LIST_IN_FRAME = """(frame) => {
    const doc = frame.contentDocument;
    const toggle = doc.querySelector('.leaflet-control-layers-toggle');
    const r = toggle.getBoundingClientRect();
    const hit = doc.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    const f = frame.getBoundingClientRect();
    return {topmost: hit === toggle || toggle.contains(hit), x: f.left + r.left + r.width / 2,
            y: f.top + r.top + r.height / 2, onPage: document.elementFromPoint(f.left + r.left + r.width / 2,
            f.top + r.top + r.height / 2) === frame};
}"""


def click_layer_list(page, frame_selector: str) -> dict:
    """In the map shown in ``frame_selector``: is the layer button on top, and does a click open the list?"""
    frame = page.locator(frame_selector)
    frame.scroll_into_view_if_needed()
    page.wait_for_function("f => f.contentWindow.anshinMapReady === true", arg=frame.element_handle(),
                           timeout=60_000)
    state = frame.evaluate(LAYER_LIST_IN_FRAME)
    page.mouse.click(state["x"], state["y"])
    page.wait_for_timeout(300)
    state["opened"] = frame.evaluate("f => f.contentDocument.querySelector('.leaflet-control-layers')"
                                     ".classList.contains('leaflet-control-layers-expanded')")
    state["alerts"] = frame.evaluate("""f => {
        return f.contentWindow.anshinMaps.publicMarkers.reduce((n, m) => n + m.options.alertCount, 0);
    }""")
    return state


def test_notebook_03_in_jupyterlab_shows_the_public_map_of_sent_alerts(lab, browser, demo_workspace, artifacts):
    ws, _ = demo_workspace
    # The second map output of the notebook is the public map (the first is the internal one).
    frames = ".jp-OutputArea-output iframe"

    def public_map(page):
        page.wait_for_function(f"document.querySelectorAll('{frames}').length >= 3", timeout=60_000)
        return click_layer_list(page, f"{frames} >> nth=1")

    visit = browser.open(lab_url(lab, "03_incident_map.ipynb"), screenshot=artifacts / "notebook_03_jupyterlab.png",
                         ready="document.querySelectorAll('.jp-Notebook .jp-Cell').length > 5",
                         interact=public_map, settle_ms=500)
    assert_offline(visit)
    state = visit.result
    assert state["topmost"] and state["onPage"] and state["opened"], state
    assert state["alerts"] == sent_alerts(ws), state
    assert_non_trivial(visit.screenshot)


# ---------------------------------------------------------------------------
# The files people open: fraud reports and the public map


@pytest.mark.parametrize("area", [PREFECTURE, STATION], ids=["prefecture", "station"])
def test_fraud_report_shows_its_charts_and_map(area, demo_workspace, browser, artifacts, tmp_path):
    ws, _ = demo_workspace
    result = reports.run_fraud_summary(*WEEK, area, workspace=ws.root, reports_dir=tmp_path, store_draft=False)
    shot = artifacts / f"fraud_report_{'prefecture' if area == PREFECTURE else 'station'}.png"

    def look(page):
        page.wait_for_function("[...document.querySelectorAll('iframe')].every(f => f.contentWindow.anshinMapReady)",
                               timeout=60_000)
        return page.evaluate("""() => ({
            images: [...document.images].map(i => i.complete ? i.naturalWidth : 0),
            maps: document.querySelectorAll('iframe').length,
            text: document.body.innerText})""")

    visit = browser.open(result.path, screenshot=shot, interact=look, full_page=True, settle_ms=300)
    assert_offline(visit) and not visit.console_errors
    seen = visit.result
    assert seen["images"] and all(w > 200 for w in seen["images"]), seen["images"]  # every chart drew
    assert seen["maps"] == 1
    assert area in seen["text"] and "部外秘" in seen["text"]
    assert_non_trivial(visit.screenshot)


def test_public_map_shows_one_marker_per_sent_alert_and_a_clickable_layer_list(demo_workspace, browser, artifacts,
                                                                               tmp_path):
    ws, _ = demo_workspace
    path = maps.render_public_map(ws.root, out=tmp_path / "public_map.html")
    sent = sent_alerts(ws)

    def look(page):
        state = page.evaluate("""() => {
            const toggle = document.querySelector('.leaflet-control-layers-toggle');
            const r = toggle.getBoundingClientRect();
            const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
            const alerts = anshinMaps.publicMarkers.reduce((n, m) => n + m.options.alertCount, 0);
            // What the first view shows: the counts on the markers and clusters in view.
            // (markercluster keeps a cluster's markers in the page, hidden with opacity 0)
            const inView = [...document.querySelectorAll('.anshin-area-point span, .anshin-cluster span')]
                .filter(e => getComputedStyle(e.closest('.leaflet-marker-icon')).opacity !== '0')
                .reduce((n, e) => n + Number(e.textContent.replace(/,/g, '')), 0);
            return {topmost: hit === toggle, x: r.left + r.width / 2, y: r.top + r.height / 2, alerts, inView,
                    scale: document.querySelector('.leaflet-control-scale').innerText};
        }""")
        page.mouse.click(state["x"], state["y"])
        page.wait_for_timeout(300)
        state["opened"] = page.evaluate(
            "document.querySelector('.leaflet-control-layers').classList.contains('leaflet-control-layers-expanded')")
        return state

    # The opening fit animates and markercluster re-clusters after it: settle before counting.
    visit = browser.open(path, screenshot=artifacts / "public_map.png", ready=READY, interact=look,
                         settle_ms=1500)
    assert visit.clean, visit.problems()
    state = visit.result
    assert state["topmost"] and state["opened"], state
    assert sent > 5 and state["alerts"] == sent, (state, sent)  # the demo sends 18
    assert sent * 0.75 <= state["inView"] <= sent, state  # the first view: the mainland's, the islands a zoom-out away
    assert "km" in state["scale"] and "mi" not in state["scale"] and "ft" not in state["scale"], state
    assert_non_trivial(visit.screenshot)


def test_public_map_popups_say_what_the_mails_said(demo_workspace, browser, tmp_path):
    """Each popup's send date, subject and place are those of a mail members received."""
    ws, _ = demo_workspace
    path = maps.render_public_map(ws.root, out=tmp_path / "public_map.html")
    mails = {}
    box = mailbox.Maildir(ws.root / MAILDIR, factory=None, create=False)
    for key in box.keys():
        message = message_from_bytes(box.get_bytes(key), policy=policy.default)
        sent_on = message["Date"].datetime.astimezone(ZoneInfo("Asia/Tokyo"))
        place = re.search(r"^■場所\n(.+)$", message.get_content().replace("\r\n", "\n"), flags=re.M)
        mails[str(message["Subject"])] = (f"発信日: {sent_on.year}年{sent_on.month}月{sent_on.day}日",
                                          f"場所: {place.group(1)}" if place else None)
    visit = browser.open(path, ready=READY, evaluate="""(() => {
        const shown = [];
        anshinMaps.publicMarkers.forEach(l => {
            const doc = new DOMParser().parseFromString(l.getPopup().getContent(), 'text/html');
            doc.querySelectorAll('li').forEach(li => shown.push(
                ['.anshin-popup-date', '.anshin-popup-title', '.anshin-popup-place']
                    .map(s => li.querySelector(s) ? li.querySelector(s).textContent : null)));
        });
        return shown;
    })()""")
    shown = visit.result
    assert len(shown) == sent_alerts(ws), shown
    for date, title, place in shown:
        assert title in mails, (title, sorted(mails)[:5])
        assert (date, place) == mails[title], (title, date, place, mails[title])
    assert "志布志市志布志2丁目(2~)" not in path.read_text(encoding="utf-8")
