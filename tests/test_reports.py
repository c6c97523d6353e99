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
    from anshin_lab.workflow.users import add_user, authenticate

    root = tmp_path_factory.mktemp("reports") / "ws"
    shutil.copytree(built_workspace.root, root, ignore=shutil.ignore_patterns("anshin.sqlite*", "quarantine"))
    ws = open_workspace(root)
    import_fraud_calls(ws.sample_dir / "fraud_calls.csv", ws)
    engine = store.connect(ws.database_url)
    try:
        add_user(engine, None, "admin", "admin", "admin-password-123")
        admin = authenticate(engine, "admin", "admin-password-123")
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
    """The week's report, its draft stored through a real ``anshin service`` as the scheduler's account."""
    from .service_process import running_service

    with pytest.MonkeyPatch.context() as patch, running_service(report_ws):
        patch.setenv("ANSHIN_PASSWORD", "scheduler-password-123")
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
    figure = soup.select_one('figure[data-map="choropleth"]')
    assert figure.select_one("iframe[srcdoc]") is not None
    # The map draws the district: its towns, and the district's calls with a known small area.
    seen = map_data(str(figure))
    now = in_period(mine, *MONTH)
    assert sum(seen["areas"].values()) == int((now["key_code"] != "").sum()) > 0
    assert all(name.startswith(("鹿児島市", "鹿児島郡")) for name in seen["areas"])
    # The draft names the district and states the district's calls of the caller it is about.
    text = soup.select_one('[data-table="draft"]').get_text()
    caller = re.search(r"鹿児島中央警察署管内で(.+?)を名乗る電話", text).group(1)
    before = in_period(mine, "2026-05-02", "2026-05-31")
    counted = (f"鹿児島中央警察署管内で{caller}を名乗るうそ電話が{int((now['caller_as'] == caller).sum())}件確認されました"
               f"(その前の30日間は{int((before['caller_as'] == caller).sum())}件)")
    assert counted in text and "鹿児島市内" not in text


@pytest.mark.slow
def test_both_reports_and_the_index_carry_one_and_the_same_confidential_label(week, month, reports_dir):
    labels = []
    for path in (week.path, month.path, reports_dir / "index.html"):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        found = soup.select('[data-label="confidential"]')
        assert len(found) == 1 and (soup.body.main or soup.body).find(True) is found[0], path.name
        labels.append(str(found[0]))
    assert len(set(labels)) == 1 and "部外秘" in labels[0]


@pytest.mark.slow
def test_dollar_signs_in_the_records_and_empty_periods_do_not_break_a_report(report_ws, tmp_path):
    headers = ["受付番号", "発生日時", "市町村", "小地域コード", "管轄署", "手口", "名乗り", "結果", "被害額", "被害者年代"]
    callers = [r"$\x$", "$", r"$\x$", "US$100の請求", "市役所職員"]
    lines = [",".join(headers)] + [
        f"F-{i},2026-04-{14 + i} 14:10,鹿児島市,46201318003,鹿児島南警察署,還付金詐欺,{caller},予兆,,70代"
        for i, caller in enumerate(callers)]
    calls = tmp_path / "calls.csv"
    calls.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    result = reports.run_fraud_summary("2026-04-13", "2026-04-19", "鹿児島南警察署", workspace=report_ws.root,
                                       reports_dir=out, calls_file=calls, store_draft=False)
    soup = soup_of(result)
    lead = soup.select_one("p.anshin-lead").get_text()
    assert "5件のうそ電話を把握しました(前期間は0件)" in lead and "%" not in lead
    shown = table(soup, "by_caller")
    assert shown[r"$\x$"]["count"] == 2 and shown["$"]["count"] == 1
    assert len(soup.select("figure.anshin-figure img")) == 2
    assert r"鹿児島南警察署管内で$\x$を名乗るうそ電話が2件確認されました(その前の7日間は0件)" in \
        soup.select_one('[data-table="draft"]').get_text()
    empty = reports.run_fraud_summary("2026-04-20", "2026-04-26", "鹿児島南警察署", workspace=report_ws.root,
                                      reports_dir=out, calls_file=calls, store_draft=False)
    lead = soup_of(empty).select_one("p.anshin-lead").get_text()
    assert "把握したうそ電話はありませんでした(前期間は5件)" in lead and "%" not in lead


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
    assert alert["subject"] == "【うそ電話詐欺】鹿児島県内で警察官を名乗る電話"  # the report's area, not the wave's
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


# ---------------------------------------------------------------------------
# What a reader sees: the area, the axes, the words for empty periods, the 部外秘 label


@pytest.fixture(scope="module")
def sample(built_workspace):
    """(calls, reference tables, areas) of the built workspace's sample."""
    from anshin_lab.app.catalog import load_areas
    from anshin_lab.app.imports import load_fraud_calls
    from anshin_lab.app.references import reference_tables

    calls = load_fraud_calls(built_workspace.sample_dir / "fraud_calls.csv",
                             reference_dir=built_workspace.reference_dir).calls
    return calls, reference_tables(built_workspace.reference_dir), load_areas(built_workspace.root)


def summary_of(sample, area, start, end):
    from anshin_lab.analysis.fraud_calls import Period, parse_day, resolve_area, summarise

    calls, tables, _ = sample
    return summarise(calls, period=Period(parse_day(start), parse_day(end)), area=resolve_area(area, tables),
                     tables=tables)


def map_data(block_html: str) -> dict:
    """The choropleth's areas (name -> count), the basemap's outlines and the view of a report's map."""
    import json

    page = html.unescape(re.search(r'srcdoc="([^"]*)"', block_html).group(1))
    out = {}
    for text in re.findall(r'<script type="application/json" id="[^"]+">(.*?)</script>', page, re.S):
        data = json.loads(text)
        if isinstance(data, dict) and "classes" in data:
            out["areas"] = {row[0]: row[2] for row in data["areas"]}
        elif isinstance(data, dict) and "cities" in data:
            out["cities"], out["chome"] = len(data["cities"]), len(data["chome"])
        elif isinstance(data, dict) and data.get("kind") in ("internal", "public"):
            out["banner"] = data
    views = re.findall(r"fitBounds\(\s*\[\[([-\d.]+),\s*([-\d.]+)\],\s*\[([-\d.]+),\s*([-\d.]+)\]\]", page)
    out["view"] = [float(v) for v in views[-1]]  # [south, west, north, east], the last fit wins
    return out


def test_a_station_map_draws_its_district_and_nothing_else(sample):
    calls, _, areas = sample
    summary = summary_of(sample, STATION, *MONTH)
    seen = map_data(reports.show_choropleth(summary, areas).html)
    small = areas.layer("CHOME")
    district = small[small["station"] == STATION]
    assert set(seen["areas"]) == set(district["city"] + district["town"])  # its 大字・町, no other
    assert seen["chome"] == len(district)  # the outlines drawn are the district's small areas
    # The calls drawn are the district's calls with a known small area, each in its own town.
    mine = calls[(calls["station"] == STATION) & calls["key_code"].notna()
                 & (calls["occurred_at"] >= pd.Timestamp(MONTH[0], tz="Asia/Tokyo"))
                 & (calls["occurred_at"] < pd.Timestamp(MONTH[1], tz="Asia/Tokyo") + pd.Timedelta(days=1))]
    assert sum(seen["areas"].values()) == len(mine) > 0
    # The first view lies inside the district and shows where most of its households live: the district
    # reaches the トカラ islands, which stay a zoom-out away rather than shrinking the city to a speck.
    west, south, east, north = district.total_bounds
    s, w, n, e = seen["view"]
    assert south - 0.01 <= s < n <= north + 0.01 and west - 0.01 <= w < e <= east + 0.01
    inside = district["lat"].between(s, n) & district["lon"].between(w, e)
    assert district.loc[inside, "households"].sum() > 0.9 * district["households"].sum()
    assert (n - s) < (north - south) / 4
    # A municipality's map: its towns only; the prefecture's: every municipality.
    city = map_data(reports.show_choropleth(summary_of(sample, "鹿児島市", *MONTH), areas).html)
    towns = areas.layer("TOWN")
    assert set(city["areas"]) == set((towns["city"] + towns["name"])[towns["city_code"] == "46201"])
    pref = map_data(reports.show_choropleth(summary_of(sample, "鹿児島県", *MONTH), areas).html)
    assert set(pref["areas"]) == set(areas.layer("CITY")["name"])
    assert seen["banner"]["title"] == pref["banner"]["title"] == "部外秘"  # both reports' maps are marked alike


def test_the_station_tables_do_not_divide_district_calls_by_a_whole_citys_households(sample):
    soup = BeautifulSoup(reports.show_table(summary_of(sample, STATION, *MONTH), "by_city").html, "html.parser")
    row = soup.select_one('tr[data-key="46201"]')
    assert row.select_one('td[data-col="households"]').get_text() == "—"
    assert row.select_one('td[data-col="per_1000_households"]').get_text() == "—"
    assert "鹿児島中央警察署管内の分" in soup.caption.get_text()


def _tiny_summary(by_caller=None):
    from types import SimpleNamespace

    days = pd.date_range("2026-11-01", periods=7).date
    return SimpleNamespace(
        # The first day is the busiest: a legend in the upper left would sit on its bar.
        by_day=pd.DataFrame({"date": days, "count": [3, 1, 0, 0, 1, 0, 1], "予兆": [1, 1, 0, 0, 0, 0, 0],
                             "未遂": [1, 0, 0, 0, 1, 0, 1], "既遂": [1, 0, 0, 0, 0, 0, 0]}),
        by_hour=pd.DataFrame({"hour": range(24), "count": [3, 1, 2] + [0] * 21}),
        by_method=pd.DataFrame({"method": ["還付金詐欺", "キャッシュカード詐欺盗"], "count": [3, 1], "previous": [1, 2]}),
        by_caller=by_caller if by_caller is not None else
        pd.DataFrame({"caller_as": ["市役所職員", "銀行協会職員"], "count": [3, 1], "previous": [1, 2]}))


def test_count_axes_have_whole_numbers_and_no_legend_covers_a_bar():
    from matplotlib.patches import Rectangle

    for figure in (reports.plot_timeline(_tiny_summary()), reports.plot_breakdown(_tiny_summary())):
        figure.canvas.draw()
        renderer = figure.canvas.get_renderer()
        for ax in figure.axes:
            counts = ax.yaxis if ax.get_title() in ("日別の件数", "時間帯別の件数") else ax.xaxis
            ticks = [t for t in counts.get_majorticklocs() if counts.get_view_interval()[0] <= t <= counts.get_view_interval()[1]]
            assert ticks and all(float(t).is_integer() for t in ticks), (ax.get_title(), ticks)
            bars = [p for p in ax.patches if isinstance(p, Rectangle) and p.get_height() and p.get_width()]
            legend = ax.get_legend()
            if legend is None:
                continue
            box = legend.get_window_extent(renderer)
            assert bars and not [b for b in bars if box.overlaps(b.get_window_extent(renderer))], ax.get_title()
        reports.show_figure(figure)


def test_a_dollar_sign_in_the_records_is_drawn_as_written():
    callers = pd.DataFrame({"caller_as": [r"$\x$", "$", "US$100の請求"], "count": [2, 1, 1], "previous": [0, 1, 0]})
    figure = reports.plot_breakdown(_tiny_summary(callers))
    block = reports.show_figure(figure)  # mathtext would raise ValueError on 「$\x$」
    assert "data:image/png;base64," in block.html
    labels = [t.get_text() for t in figure.axes[1].get_yticklabels()]
    assert sorted(label.replace("\\$", "$") for label in labels) == sorted(callers["caller_as"])


@pytest.mark.parametrize("count, previous, said, unsaid", [
    (0, 4, "把握したうそ電話はありませんでした(前期間は4件)", ["%", "0件のうそ電話"]),
    (3, 0, "3件</strong>のうそ電話を把握しました(前期間は0件)", ["%"]),
    (6, 4, "前期間は4件、前期間比 +50.0%", ["-100"]),
])
def test_the_overview_says_empty_periods_plainly(sample, count, previous, said, unsaid):
    from anshin_lab.analysis.fraud_calls import Period, parse_day, resolve_area, summarise

    calls, tables, _ = sample
    mine = calls[calls["station"] == STATION].sort_values("occurred_at")
    start = pd.Timestamp("2026-11-08", tz="Asia/Tokyo")
    rows = [*[(start + pd.Timedelta(hours=i), r) for i, r in enumerate(mine.head(count).to_dict("records"))],
            *[(start - pd.Timedelta(days=3, hours=-i), r) for i, r in enumerate(mine.tail(previous).to_dict("records"))]]
    moved = pd.DataFrame([{**r, "occurred_at": when} for when, r in rows], columns=calls.columns)
    moved["occurred_at"] = pd.to_datetime(moved["occurred_at"])
    summary = summarise(moved, period=Period(parse_day("2026-11-08"), parse_day("2026-11-14")),
                        area=resolve_area(STATION, tables), tables=tables)
    assert (summary.totals["count"], summary.totals["previous"]) == (count, previous)
    lead = reports.show_overview(summary).html.split("</p>")[0]
    assert said in lead, lead
    for text in unsaid:
        assert text not in lead, lead


def test_every_page_carries_the_same_confidential_label_first(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# 見出し")])
    (tmp_path / "a.html").write_text(reports.render_html(nb, {"title": "試験", "kind": "fraud-summary"}), encoding="utf-8")
    reports.write_error_report(tmp_path / "b_error.html", parameters={"area": "鹿児島県"}, message="失敗しました")
    reports.refresh_index(tmp_path)
    labels = []
    for name in ("a.html", "b_error.html", "index.html"):
        soup = BeautifulSoup((tmp_path / name).read_text(encoding="utf-8"), "html.parser")
        found = soup.select('[data-label="confidential"]')
        assert len(found) == 1, name
        first = (soup.body.main or soup.body).find(True)
        assert first is found[0], (name, first)
        labels.append(str(found[0]))
    assert len(set(labels)) == 1 and "部外秘" in labels[0]
