"""Screenshots from real Chromium of what people open, with what each must show.

Notebooks 01 and 03 in a real JupyterLab server (started here on the
loopback, offline, on copies executed with papermill on a workspace where
the demo sent alerts), the approver's notebook 05 run live in JupyterLab
against a real ``anshin service`` (the login typed into its password widget,
then the queue and one alert), both fraud reports (prefecture and station)
and the public map. The PNGs are kept in ``tests/artifacts/screenshots/`` (git-ignored)
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

from anshin_lab.app.workspace import open_workspace
from anshin_lab.core.directive import PREFECTURE
from anshin_lab.demo.run import MAILDIR
from anshin_lab.storage import store
from anshin_lab.views import maps, reports
from anshin_lab.views.forms import DraftForm

from .browser import Browser
from .conftest import PROJECT
from .service_process import running_service
from .staff import PASSWORD, add_staff
from .test_approvals_notebook import clean_incidents
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


# Whether each Japanese character of a text is drawn with a real glyph: a character the page's font lacks
# is drawn as the same box as a private-use code point (tofu), so it matches that box's pixels.
GLYPHS = """([text, selector]) => {
    const family = getComputedStyle(document.querySelector(selector)).fontFamily;
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = 48;
    const g = canvas.getContext('2d');
    const draw = ch => { g.clearRect(0, 0, 48, 48); g.font = '36px ' + family; g.fillText(ch, 4, 38);
                         return g.getImageData(0, 0, 48, 48).data.join(','); };
    const tofu = draw(String.fromCodePoint(0x10FFFD));
    const chars = [...new Set([...text].filter(ch => ch.codePointAt(0) > 0x3000))];
    const shapes = chars.map(draw);
    return {family, chars: chars.length, distinct: new Set(shapes).size,
            tofu: chars.filter((ch, i) => shapes[i] === tofu)};
}"""
RUN_ALL = "Run All Cells"


@pytest.fixture(scope="module")
def approvals_lab(imported_workspace, tmp_path_factory):
    """JupyterLab serving 05 (its workspace parameter set) of a workspace whose service runs, with one alert submitted."""
    import papermill

    root = tmp_path_factory.mktemp("approvals-lab")
    ws = open_workspace(root / "ws")
    shutil.copytree(imported_workspace.root, ws.root, ignore=shutil.ignore_patterns("run"))
    engine = store.connect(ws.database_url)
    try:
        add_staff(engine)
    finally:
        engine.dispose()
    with running_service(ws) as service:
        (incident_id,) = clean_incidents(ws, groups=["20代", "30代", "大学生"])
        with service.logged_in("analyst", PASSWORD) as analyst:
            form = DraftForm(ws.root, incident_id, client=analyst)
            alert_id = form.submit()
        assert alert_id is not None, form.status.value
        notebooks = root / "notebooks"
        notebooks.mkdir()
        papermill.execute_notebook(str(PROJECT / "notebooks" / "05_approvals.ipynb"),
                                   str(notebooks / "05_approvals.ipynb"), parameters={"workspace": str(ws.root)},
                                   prepare_only=True, progress_bar=False)
        assert not os.environ.get("ANSHIN_SESSION") and not os.environ.get("ANSHIN_PASSWORD")
        with jupyter_lab(notebooks, root / "home") as server:
            yield server, form.draft.subject, alert_id


def test_notebook_05_in_jupyterlab_logs_in_and_shows_the_queue_in_japanese(approvals_lab, browser, artifacts):
    server, subject, alert_id = approvals_lab
    login_shot, panel_shot = artifacts / "notebook_05_login.png", artifacts / "notebook_05_alert.png"

    def log_in_and_open(page):
        # The kernel first (the status bar says 「… | Idle」), then Run ▸ Run All Cells, as a person would.
        page.wait_for_function("document.body.innerText.includes('| Idle')", timeout=120_000)
        page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
        page.locator(".lm-Menu-itemLabel", has_text=RUN_ALL).first.click()
        page.wait_for_function("[...document.querySelectorAll('.widget-label')]"
                               ".some(l => l.textContent === 'パスワード')", timeout=180_000)
        login = page.locator("input[type=password]").first
        login.scroll_into_view_if_needed()
        page.wait_for_timeout(300)
        page.screenshot(path=str(login_shot))
        seen = {"login": page.evaluate("document.querySelector('.jp-Notebook').innerText")}
        page.locator(".widget-text input[type=text]").first.fill("chief")
        login.fill(PASSWORD)
        page.locator("button.jupyter-button", has_text="ログイン").first.click()
        page.wait_for_function("document.querySelector('.jp-Notebook').innerText.includes('署長の決裁待ち')",
                               timeout=60_000)
        seen["password_after"] = login.input_value() if login.count() else ""
        # The title and the dropdown's options are separate widget messages: wait for the option itself.
        page.wait_for_function("id => [...document.querySelectorAll('.widget-dropdown select option')]"
                               ".some(o => o.textContent.replace(/\\u00a0/g, ' ').startsWith(`#${id} `))",
                               arg=alert_id, timeout=60_000)
        selector = page.locator(".widget-dropdown select").first
        options = [o.replace("\xa0", " ") for o in selector.evaluate("s => [...s.options].map(o => o.textContent)")]
        selector.select_option(index=next(i for i, o in enumerate(options) if o.startswith(f"#{alert_id} ")))
        page.wait_for_function("document.querySelector('.jp-Notebook').innerText.includes('場所の判定')",
                               timeout=60_000)
        frame = page.locator(".anshin-map iframe").first
        frame.scroll_into_view_if_needed()
        page.wait_for_function("f => f.contentWindow.anshinMapReady === true", arg=frame.element_handle(),
                               timeout=60_000)
        page.locator(".widget-html-content h3", has_text="署長の決裁待ち").first.scroll_into_view_if_needed()
        seen["queue"] = page.evaluate("document.querySelector('.jp-Notebook').innerText")
        seen["glyphs"] = page.evaluate(GLYPHS, [seen["queue"][:4000], ".widget-html-content h3"])
        return seen

    visit = browser.open(lab_url(server, "05_approvals.ipynb"), screenshot=panel_shot,
                         ready="document.querySelectorAll('.jp-Notebook .jp-Cell').length >= 5",
                         interact=log_in_and_open, settle_ms=500, viewport=(1280, 1400), timeout_s=240)
    assert_offline(visit)
    seen = visit.result
    assert "決裁・発信にはログインが必要です" in seen["login"] and "ユーザー名" in seen["login"], seen["login"][:2000]
    assert seen["password_after"] == ""  # the widget cleared the password it sent
    queue = seen["queue"]
    for text in ("ログイン中", "署長", "署長の決裁待ち・操作待ち", subject, "場所の判定", "公表する地域",
                 "承諾・公表要請書", "本文の確認", "経過", "署長の操作", "決裁する", "差し戻す"):
        assert text in queue, (text, queue[:3000])
    glyphs = seen["glyphs"]
    assert glyphs["chars"] > 50 and not glyphs["tofu"] and glyphs["distinct"] == glyphs["chars"], glyphs
    assert_non_trivial(login_shot)
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
        mailed_date, mailed_place = mails[title]
        if mailed_place is None:  # a summary mail (うそ電話) names its area in the subject, not under ■場所
            mailed_place = place if place and place.removeprefix("場所: ") in title else "(件名にない場所)"
        assert (date, place) == (mailed_date, mailed_place), (title, date, place, mails[title])
    assert "志布志市志布志2丁目(2~)" not in path.read_text(encoding="utf-8")
