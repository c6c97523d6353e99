"""Reports: the notebook on a real kernel for a week and a month, numbers checked against the records,
the HTML in a real headless Chromium with the network cut off, the error report and the index."""

from __future__ import annotations

import html
import re
import shutil
import warnings

import nbformat
import pandas as pd
import pytest
from bs4 import BeautifulSoup

from anshin_lab.app.imports import import_fraud_calls
from anshin_lab.records.fraud_calls import data_hash
from anshin_lab.storage.fraud_calls import coverage, read_calls
from anshin_lab.views import reports
from anshin_lab.views.reports.index import HEAD_BYTES, META_TAG
from anshin_lab.storage import store
from anshin_lab.core.errors import ReportError
from anshin_lab.app.workspace import open_workspace

from .browser import Browser

WEEK = ("2026-07-27", "2026-08-02")  # holds the sample's wave of 警察官 calls in 西之表市 on 7/31
MONTH = ("2026-06-01", "2026-06-30")
STATION = "鹿児島中央警察署"
LOADING_URL = re.compile(r"""\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.IGNORECASE)


@pytest.fixture(scope="module")
def report_ws(built_workspace, tmp_path_factory):
    """The built workspace's files with a database of its own: the sample calls and an analyst account."""
    from anshin_lab.workflow.users import add_user

    root = tmp_path_factory.mktemp("reports") / "ws"
    shutil.copytree(built_workspace.root, root, ignore=shutil.ignore_patterns("anshin.sqlite*", "quarantine"))
    ws = open_workspace(root)
    import_fraud_calls(ws.sample_dir / "fraud_calls.csv", ws)
    engine = store.connect(ws.database_url)
    try:
        admin = add_user(engine, None, "admin", "admin", "admin-password-123")
        add_user(engine, admin, "scheduler", "analyst", "scheduler-password-123", "定期実行")
    finally:
        engine.dispose()
    return ws


@pytest.fixture(scope="module")
def records(report_ws):
    """The sample calls read straight from the CSV, without the package's loader."""
    raw = pd.read_csv(report_ws.sample_dir / "fraud_calls.csv", dtype=str, keep_default_na=False)
    raw["when"] = pd.to_datetime(raw["occurred_at"], format="ISO8601").dt.tz_convert("Asia/Tokyo")
    return raw


@pytest.fixture(scope="module")
def reports_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("reports_out")


@pytest.fixture(scope="module")
def week(report_ws, reports_dir):
    return reports.run_fraud_summary(*WEEK, "鹿児島県", workspace=report_ws.root, reports_dir=reports_dir,
                                     analyst="scheduler", run_label="test-week")


@pytest.fixture(scope="module")
def month(report_ws, reports_dir):
    return reports.run_fraud_summary(*MONTH, STATION, workspace=report_ws.root, reports_dir=reports_dir)


def soup_of(result) -> BeautifulSoup:
    return BeautifulSoup(result.path.read_text(encoding="utf-8"), "html.parser")


def table(soup, name) -> dict:
    """{data-key: {data-col: number or text}} of one report table."""
    out = {}
    for row in soup.select(f'table[data-table="{name}"] tbody tr[data-key]'):
        out[row["data-key"]] = {td["data-col"]: _value(td.get_text()) for td in row.select("td[data-col]")}
    return out


def _value(text: str):
    text = text.strip().replace(",", "").replace("−", "-").replace("±", "").replace("+", "")
    try:
        return int(text)
    except ValueError:
        return text


def in_period(records, start, end):
    begin = pd.Timestamp(start, tz="Asia/Tokyo")
    stop = pd.Timestamp(end, tz="Asia/Tokyo") + pd.Timedelta(days=1)
    return records[(records["when"] >= begin) & (records["when"] < stop)]


def check_counts(soup, current, previous):
    """Every table of the report against counts made here from the CSV rows."""
    totals = table(soup, "totals")
    assert totals["total"]["count"] == len(current) and totals["total"]["previous"] == len(previous)
    for outcome in ("予兆", "未遂", "既遂"):
        assert totals[outcome]["count"] == int((current["outcome"] == outcome).sum()), outcome
    loss = current.loc[current["outcome"] == "既遂", "loss_yen"].astype(int).sum()
    assert totals["loss_yen"]["count"] == loss
    for name, column in (("by_method", "method"), ("by_caller", "caller_as"), ("by_station", "station"),
                         ("by_city", "city_code"), ("by_age_band", "victim_age_band")):
        shown = table(soup, name)
        expected_now = current[column].value_counts().to_dict()
        expected_before = previous[column].value_counts().to_dict()
        assert {k: v["count"] for k, v in shown.items() if v["count"]} == expected_now, name
        assert {k: v["previous"] for k, v in shown.items() if v["previous"]} == expected_before, name
        for key, row in shown.items():
            assert row["change"] == row["count"] - row["previous"]
            attempted = int(((current[column] == key) & (current["outcome"] == "未遂")).sum())
            assert row["attempted"] == attempted, (name, key)
    days = table(soup, "by_day")
    per_day = current["when"].dt.date.astype(str).value_counts()
    assert {k: v["count"] for k, v in days.items() if v["count"]} == per_day.to_dict()
    hours = table(soup, "by_hour")
    per_hour = current["when"].dt.hour.value_counts()
    assert {int(k): v["count"] for k, v in hours.items() if v["count"]} == per_hour.to_dict()


# ---------------------------------------------------------------------------
# The numbers


@pytest.mark.slow
def test_a_week_for_the_prefecture_matches_the_records(week, records):
    soup = soup_of(week)
    current, previous = in_period(records, *WEEK), in_period(records, "2026-07-20", "2026-07-26")
    assert len(current) > 50
    check_counts(soup, current, previous)
    assert week.facts["calls"] == len(current) and week.facts["waves"] >= 1
    waves = table(soup, "waves")
    key = "2026-07-31|46213|警察官"
    assert key in waves and waves[key]["city"] == "西之表市" and waves[key]["method"] == "預貯金詐欺"
    burst = current[(current["city_code"] == "46213") & (current["caller_as"] == "警察官") &
                    (current["when"].dt.date.astype(str) == "2026-07-31")]
    assert waves[key]["count"] == len(burst)
    assert "ポアソン分布の片側検定" in soup.get_text() and "Bonferroni" in soup.get_text()


@pytest.mark.slow
def test_a_month_for_a_station_matches_the_records(month, records):
    soup = soup_of(month)
    mine = records[records["station"] == STATION]
    check_counts(soup, in_period(mine, *MONTH), in_period(mine, "2026-05-02", "2026-05-31"))
    assert month.path.name == f"fraud-summary_{MONTH[0]}_{MONTH[1]}_{STATION}.html"
    assert month.facts["area"] == STATION and "鹿児島中央警察署管内" in month.title
    assert soup.select_one('figure[data-map="choropleth"] iframe[srcdoc]') is not None


@pytest.mark.slow
def test_the_report_states_how_to_reproduce_it(week, report_ws):
    soup = soup_of(week)
    about = soup.select_one('table[data-table="about"]').get_text()
    engine = store.connect(report_ws.database_url)
    try:
        first, _ = coverage(engine)
        read = read_calls(engine, since=pd.Timestamp(WEEK[0], tz="Asia/Tokyo") - pd.Timedelta(days=56),
                                until=pd.Timestamp(WEEK[1], tz="Asia/Tokyo") + pd.Timedelta(days=1))
    finally:
        engine.dispose()
    assert data_hash(read, extra=f"history_start={first}") == week.data_hash
    assert week.data_hash in about and reports.package_version() in about
    assert f"anshin report fraud-summary --start {WEEK[0]} --end {WEEK[1]} --area 鹿児島県" in about
    run_at = pd.Timestamp(week.run_at)
    assert f"{run_at:%Y-%m-%d %H:%M:%S}" in about
    parameters = {row["data-key"]: row.td.get_text() for row in soup.select('table[data-table="parameters"] tr')}
    assert parameters["start"] == WEEK[0] and parameters["end"] == WEEK[1] and parameters["area"] == "鹿児島県"
    assert parameters["baseline_days"] == "56" and parameters["analyst"] == "scheduler"
    meta = reports.read_report_facts(week.path)
    assert meta["data_hash"] == week.data_hash and meta["parameters"]["run_label"] == "test-week"


@pytest.mark.slow
def test_the_drafted_alert_waits_for_approval(week, report_ws):
    from anshin_lab.workflow.alerts import list_alerts

    engine = store.connect(report_ws.database_url)
    try:
        alerts = list_alerts(engine)
        with engine.connect() as conn:
            assert not conn.execute(store.outbox.select()).all()  # nothing queued for sending
    finally:
        engine.dispose()
    assert len(alerts) == 1
    alert = alerts.iloc[0]
    assert (alert["status"], alert["category"], alert["created_by"]) == ("draft", "fraud", "scheduler")
    assert alert["subject"] == "【うそ電話詐欺】西之表市内で警察官を名乗る電話"
    assert "下書き #" in week.draft and "承認されるまで配信されません" in week.draft
    text = soup_of(week).select_one('[data-table="draft"]').get_text()
    assert "■よくある言葉" in text and "★" in text and "西之表市内" in text


# ---------------------------------------------------------------------------
# The HTML


@pytest.mark.slow
def test_the_html_has_no_code_and_loads_nothing_from_outside(week, month):
    for result in (week, month):
        text = result.path.read_text(encoding="utf-8")
        assert not LOADING_URL.search(text), LOADING_URL.search(text)
        assert reports.external_references(text) == []
        for cdn in ("require.js", "mathjax", "mermaid", "cdnjs", "unpkg", "jsdelivr"):
            assert cdn not in text.lower(), cdn
        soup = BeautifulSoup(text, "html.parser")
        assert not soup.select(".jp-InputPrompt, .jp-CodeMirrorEditor, .highlight, .jp-InputArea-editor")
        visible = soup.get_text()
        for source in ("fraud.summarise_workspace", "reports.show_", "import ", "load_areas("):
            assert source not in visible, source
        # The map page inside the iframe loads nothing from outside either.
        page = html.unescape(soup.select_one("iframe[srcdoc]")["srcdoc"])
        assert reports.external_references(page) == []


@pytest.mark.slow
def test_charts_have_japanese_labels_that_render(week):
    assert not [w for w in week.warnings if "missing from font" in w or "Glyph" in w], week.warnings


def test_chart_labels_use_a_japanese_font_without_missing_glyphs():
    from types import SimpleNamespace

    import matplotlib
    from matplotlib import font_manager

    name = reports.japanese_font()
    assert name in ("IPAexGothic", "IPAGothic", "IPAPGothic", "Noto Sans CJK JP", "TakaoGothic")
    path = font_manager.findfont(font_manager.FontProperties(family=matplotlib.rcParams["font.family"]))
    assert "ipa" in path.lower() or "cjk" in path.lower() or "takao" in path.lower(), path
    days = pd.date_range("2026-11-01", periods=7).date
    summary = SimpleNamespace(
        by_day=pd.DataFrame({"date": days, "count": 3, "予兆": 1, "未遂": 1, "既遂": 1}),
        by_hour=pd.DataFrame({"hour": range(24), "count": 1}),
        by_method=pd.DataFrame({"method": ["還付金詐欺", "キャッシュカード詐欺盗"], "count": [3, 1], "previous": [1, 2]}),
        by_caller=pd.DataFrame({"caller_as": ["市役所職員", "銀行協会職員"], "count": [3, 1], "previous": [1, 2]}))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for figure in (reports.plot_timeline(summary), reports.plot_breakdown(summary)):
            block = reports.show_figure(figure)
            assert block.html.startswith('<figure class="anshin-figure"><img alt=') and "data:image/png;base64," in block.html
    assert not [str(w.message) for w in caught if "Glyph" in str(w.message)]


@pytest.mark.slow
def test_the_report_in_a_real_browser_offline(week, reports_dir, tmp_path):
    def look(page):
        frames = [f for f in page.frames if f != page.main_frame]
        for frame in frames:
            frame.wait_for_function("window.anshinMapReady === true", timeout=30_000)
        images = page.evaluate("Array.from(document.images).map(i => [i.complete, i.naturalWidth, i.naturalHeight])")
        frame = page.locator('figure[data-map="choropleth"] iframe')
        frame.scroll_into_view_if_needed()
        frame.screenshot(path=str(tmp_path / "map.png"))
        return {
            "images": images,
            "maps": len(frames),
            "code": page.evaluate("document.querySelectorAll('.jp-InputPrompt, .jp-CodeMirrorEditor, pre code').length"),
            "text": page.evaluate("document.body.innerText"),
        }

    with Browser(viewport=(1200, 900)) as browser:
        visit = browser.open(week.path, screenshot=tmp_path / "week.png", interact=look, settle_ms=500)
        index = browser.open(reports_dir / "index.html", screenshot=tmp_path / "index.png")
    assert visit.clean, visit.problems()
    assert all(u.startswith(("file:", "data:", "about:")) for u in visit.requests), visit.requests
    seen = visit.result
    assert len(seen["images"]) >= 2 and all(ok and w > 300 and h > 100 for ok, w, h in seen["images"])
    assert seen["maps"] == 1
    # The municipalities are filled with the choropleth's yellow-to-red (the legend sits in the left quarter).
    import numpy as np
    from PIL import Image

    pixels = np.asarray(Image.open(tmp_path / "map.png").convert("RGB"), dtype=int)
    right = pixels[:, pixels.shape[1] // 4:]
    assert int((right[..., 0] - right[..., 2] > 60).sum()) > 500
    assert seen["code"] == 0
    assert "うそ電話詐欺の集計" in seen["text"] and "手口別" in seen["text"]
    assert index.clean, index.problems()


@pytest.mark.slow
def test_the_index_lists_every_report_newest_first(week, month, reports_dir):
    soup = BeautifulSoup((reports_dir / "index.html").read_text(encoding="utf-8"), "html.parser")
    rows = soup.select('table[data-table="reports"] tbody tr')
    files = [row["data-file"] for row in rows]
    assert week.path.name in files and month.path.name in files
    assert files.index(month.path.name) < files.index(week.path.name)  # the month ran later
    row = rows[files.index(week.path.name)]
    text = row.get_text(" ")
    assert "鹿児島県" in text and f"{WEEK[0]}〜{WEEK[1]}" in text and "完了" in text
    assert f"{pd.Timestamp(week.run_at):%Y-%m-%d %H:%M:%S}" in text
    assert row.a["href"] == week.path.name.replace("鹿児島県", "%E9%B9%BF%E5%85%90%E5%B3%B6%E7%9C%8C")


@pytest.mark.slow
def test_a_failing_cell_leaves_an_error_report_naming_the_cell_and_parameters(report_ws, reports_dir, tmp_path):
    bad = tmp_path / "calls.csv"
    bad.write_text("番号,備考\n1,x\n", encoding="utf-8")
    with pytest.raises(ReportError) as caught:
        reports.run_fraud_summary(*WEEK, "霧島市", workspace=report_ws.root, reports_dir=reports_dir, calls_file=bad)
    error = caught.value
    notebook = nbformat.read(reports.NOTEBOOK, as_version=4)
    assert error.cell == 4 and notebook.cells[3].source.startswith("summary = fraud.summarise_workspace")
    assert error.ename == "DataError" and "必須の列がありません" in error.evalue
    assert "fraud_call_summary.ipynb のセル4" in str(error)
    page = BeautifulSoup(open(error.report_path, encoding="utf-8").read(), "html.parser")
    assert "セル4(summary = fraud.summarise_workspace" in page.select_one('td[data-col="cell"]').get_text()
    parameters = {row["data-key"]: row.td.get_text() for row in page.select('table[data-table="parameters"] tr')}
    assert parameters["area"] == "霧島市" and parameters["start"] == WEEK[0] and parameters["calls_file"] == str(bad)
    assert not LOADING_URL.search(page.decode())
    index = BeautifulSoup((reports_dir / "index.html").read_text(encoding="utf-8"), "html.parser")
    failed = index.select_one(f'tr[data-file="{error.report_path.rsplit("/", 1)[-1]}"]')
    assert failed["data-status"] == "failed" and "失敗" in failed.get_text()
    import pickle

    again = pickle.loads(pickle.dumps(error))
    assert (again.cell, again.report_path, again.parameters) == (error.cell, error.report_path, error.parameters)


def test_unusable_parameters_fail_before_any_kernel_starts(report_ws, tmp_path):
    from anshin_lab.core.errors import ParameterError

    with pytest.raises(ParameterError, match="地域「大阪府」"):
        reports.run_fraud_summary(*WEEK, "大阪府", workspace=report_ws.root, reports_dir=tmp_path)
    with pytest.raises(ParameterError, match="終了日"):
        reports.run_fraud_summary("2026-08-02", "2026-07-27", "鹿児島県", workspace=report_ws.root, reports_dir=tmp_path)
    assert not list(tmp_path.iterdir())


def test_render_refuses_a_page_that_would_load_from_a_cdn():
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# 見出し"),
        nbformat.v4.new_code_cell("x", outputs=[nbformat.v4.new_output(
            "display_data", data={"text/html": "<p>表</p>", "text/plain": "表"})]),
    ])
    page = reports.render_html(nb, {"title": "試験"})
    assert "<p>表</p>" in page and "<title>試験</title>" in page and not reports.external_references(page)
    assert META_TAG.search(page[:HEAD_BYTES])  # the index finds the facts in the head
    bad = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x", outputs=[nbformat.v4.new_output(
        "display_data", data={"text/html": '<img src="https://example.org/x.png">'})])])
    with pytest.raises(ReportError, match="外部"):
        reports.render_html(bad, {"title": "試験"})


def test_report_file_names_follow_the_contract():
    assert reports.report_filename("2026-11-01", "2026-11-07", "鹿児島県") == "fraud-summary_2026-11-01_2026-11-07_鹿児島県.html"
    assert reports.report_filename("2026-11-01", "2026-11-07", "a/b", error=True) == \
        "fraud-summary_2026-11-01_2026-11-07_a_b_error.html"
