"""The internal incident map: HTML size, build time and time until Chromium has drawn it, against folium's FastMarkerCluster.

``python -m benchmarks map [--counts N,N,...] [--baseline N] [--repeats N] [--workspace DIR]``
builds the internal map (packed, compressed incident data unpacked in the
browser) for each count of generated incidents, opens it in headless
Chromium with the network cut off, and compares it with what a competent
folium user writes for the same incidents, measured in the same run: a
``folium.plugins.FastMarkerCluster`` per category (the points and popup
texts as one JSON array, markers made in the browser by a callback,
Leaflet.markercluster), on the same offline basemap.
"""

from __future__ import annotations

import json
import math
import re
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from statistics import median

import folium
import pandas as pd
from folium.plugins import FastMarkerCluster

from anshin_lab.app.catalog import load_areas
from anshin_lab.app.workspace import load_layer, require_workspace
from anshin_lab.cli.common import add_workspace, positive_int
from anshin_lab.core.glossary import CATEGORIES
from anshin_lab.demo.sample import N_INCIDENTS, generate_incidents
from anshin_lab.views import maps
from anshin_lab.views.maps.packing import FORMAT, unpack_incidents

from benchmarks.common import count_list

DESCRIPTION = ("サンプル生成器で事案を作り、部外秘の事案地図(事案データを圧縮してページに埋め込み、ブラウザで展開)の"
               "HTML の大きさ・作成時間・ネットワークを切った Chromium で描き終わるまでの時間を測り、folium に慣れた人が"
               "書く方法(分類ごとの FastMarkerCluster、同じ地点とポップアップの文字、同じ背景地図)と同じ回に比べます。")

# Targets from issue 20, for the 50,000-incident internal map.
MAP_TARGET_COUNT = 50_000
MAP_TARGET_BYTES = 3_000_000
MAP_TARGET_BUILD_S = 0.5
MAP_TARGET_DRAW_S = 1.5


def add_arguments(parser) -> None:
    parser.add_argument("--counts", type=count_list, default=(1_000, 10_000, 50_000), metavar="N,N,...",
                        help="地図にする事案の数(既定: 1000,10000,50000)")
    parser.add_argument("--baseline", "--naive", dest="baseline", type=positive_int, default=None, metavar="N",
                        help="比較する方法(FastMarkerCluster)で測る事案の数(既定: 最大の件数。少なくすると件数に"
                             "比例するとして推定します)")
    parser.add_argument("--repeats", type=positive_int, default=3, metavar="N",
                        help="作成と描画を測る回数(中央値を報告、既定: 3)")
    add_workspace(parser)


def run(args) -> dict:
    return bench_map(counts=args.counts, baseline=args.baseline, workspace=args.workspace, repeats=args.repeats)


# The Debian Chromium, driven by Playwright with the network cut off (as tests/browser.py does).
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]
_LOCAL = ("file:", "data:", "blob:", "about:")
_DATA_BLOCK = re.compile(r'<script type="application/json" id="[^"]+">(.*?)</script>', re.DOTALL)
_READY = "window.anshinMapReady === true"

# The baseline's popup: the same labels and texts as ours, built when a marker is clicked.
_BASELINE_FIELDS = ["発生日時", "事案番号", "手口", "発生場所", "場所属性", "被害者", "管轄署", "配信同意", "概要",
                    "行為者の特徴"]
_BASELINE_CALLBACK = """function (row) {
    var labels = %s;
    var marker = L.marker(new L.LatLng(row[0], row[1]));
    marker.bindPopup(function () {
        var esc = function (t) { var d = document.createElement("div"); d.textContent = t; return d.innerHTML; };
        var html = "<table>";
        for (var i = 0; i < labels.length; i++) {
            if (row[i + 2]) html += "<tr><th>" + labels[i] + "</th><td>" + esc(row[i + 2]) + "</td></tr>";
        }
        return html + "</table>";
    }, {maxWidth: 400});
    return marker;
}""" % repr(_BASELINE_FIELDS).replace("'", '"')


def bench_map(counts=(1_000, 10_000, 50_000), baseline: int | None = None, workspace=None, seed: int = 0,
              draw: bool = True, repeats: int = 3) -> dict:
    """Size, build time and Chromium drawing time of ``maps.incident_map`` against folium's FastMarkerCluster.

    Generates incidents with the sample generator (realistic texts, points in
    the workspace's small areas). For each count it builds the internal map
    (category layers, clusters, popups, date filter; ``maps.incident_map`` +
    ``maps.save``, the median of ``repeats`` builds) and opens it in headless
    Chromium with the network cut off, timing from navigation start until
    the map reports it has drawn (``window.anshinMapReady``: the incidents
    unpacked, clustered and in view; median of ``repeats`` loads).

    The baseline is what a competent folium user writes: one
    ``FastMarkerCluster`` per category holding ``[lat, lon, texts…]`` rows
    and a callback making each marker with a popup of the same texts, on the
    same offline basemap with the vendored Leaflet.markercluster (so it opens
    on a closed network too), measured on ``baseline`` incidents (default:
    the largest count, so nothing is estimated). With fewer, its size, build
    and draw are taken as a fixed part (its page without incidents, measured)
    plus a part per incident. It has no date filter.

    Returns the figures: ``runs`` per count, ``baseline``, ``ratio_*`` (the
    baseline at the largest count / ours), and at the top level, for the
    50,000-incident run (else the largest), ``count``, ``html_bytes``,
    ``build_seconds`` and ``draw_seconds``, with ``meets_target`` (None
    unless 50,000 were drawn).
    """
    counts = sorted({int(c) for c in counts})
    baseline = counts[-1] if baseline is None else int(baseline)
    if not counts or counts[0] < 1 or baseline < 1 or repeats < 1:
        raise ValueError("counts, baseline and repeats must be at least 1")
    ws = require_workspace(workspace)
    started = time.perf_counter()
    area_set = load_areas(ws.root)
    incidents = _bench_incidents(load_layer(ws, "small_areas"), max(counts[-1], baseline), seed)
    generate_s = time.perf_counter() - started
    # The first map encodes the boundaries and reads the vendored assets: time it apart from the runs.
    started = time.perf_counter()
    maps.render_html(maps.incident_map(incidents.head(10), areas=area_set, tile_url=""))
    maps.render_html(_baseline_map(incidents.head(10), area_set))
    prepare_s = time.perf_counter() - started

    with tempfile.TemporaryDirectory(prefix="anshin-bench-map-") as tmp:
        runs, pages = [], []
        for n in counts:
            path = Path(tmp) / f"incident_map_{n}.html"
            builds = []
            for _ in range(repeats):
                started = time.perf_counter()
                maps.save(maps.incident_map(incidents.head(n), areas=area_set, tile_url=""), path)
                builds.append(time.perf_counter() - started)
            runs.append({"count": n, "build_s": median(builds), "build_runs_s": builds,
                         "html_bytes": path.stat().st_size, "html_mb": path.stat().st_size / 1e6,
                         "unpacked_html_bytes": _unpacked_size(path)})
            pages.append(path)

        sample = incidents.head(baseline)
        base_path = Path(tmp) / f"baseline_{baseline}.html"
        started = time.perf_counter()
        maps.save(_baseline_map(sample, area_set), base_path)
        base_build_s = time.perf_counter() - started
        empty_path = Path(tmp) / "baseline_0.html"
        started = time.perf_counter()
        maps.save(_baseline_map(sample.head(0), area_set), empty_path)
        empty_build_s = time.perf_counter() - started

        draws = (_draw_times([*pages, base_path, empty_path], [repeats] * (len(pages) + 1) + [1]) if draw
                 else [None] * (len(pages) + 2))
        base_bytes, empty_bytes = base_path.stat().st_size, empty_path.stat().st_size
    for run, result in zip(runs, draws):
        run["draw_s"] = None if result is None else result["draw_s"]
        run["draw_runs_s"] = [] if result is None else result["draw_runs_s"]
        run["clean"] = None if result is None else result["clean"]
        run["problems"] = [] if result is None else result["problems"]
    base_draw, empty_draw = draws[-2], draws[-1]

    largest = runs[-1]
    n = largest["count"]

    def scaled(measured, fixed):
        """The baseline at ``n`` incidents: measured there, or its fixed part plus a part per incident."""
        if measured is None or fixed is None:
            return None
        return measured if baseline == n else fixed + max(measured - fixed, 0.0) / baseline * n

    at_n = {
        "html_bytes": scaled(base_bytes, empty_bytes),
        "build_s": scaled(base_build_s, empty_build_s),
        "draw_s": scaled(None if base_draw is None else base_draw["draw_s"],
                         None if empty_draw is None else empty_draw["draw_s"]),
    }
    target = next((r for r in runs if r["count"] == MAP_TARGET_COUNT), largest)
    figures = {
        "count": target["count"],
        "html_bytes": target["html_bytes"],
        "build_seconds": target["build_s"],
        "draw_seconds": target["draw_s"],
        "counts": counts,
        "repeats": repeats,
        "generate_s": generate_s,
        "prepare_s": prepare_s,
        "runs": runs,
        "baseline": {
            "method": "folium FastMarkerCluster per category (Leaflet.markercluster), same basemap, popups from a callback",
            "count": baseline,
            "build_s": base_build_s,
            "html_bytes": base_bytes,
            "html_mb": base_bytes / 1e6,
            "draw_s": None if base_draw is None else base_draw["draw_s"],
            "draw_runs_s": [] if base_draw is None else base_draw["draw_runs_s"],
            "clean": None if base_draw is None else base_draw["clean"],
            "problems": [] if base_draw is None else base_draw["problems"],
            "empty_html_bytes": empty_bytes,
            "empty_build_s": empty_build_s,
            "empty_draw_s": None if empty_draw is None else empty_draw["draw_s"],
            "at_count": n,
            "estimated": baseline != n,
            "at_count_html_bytes": at_n["html_bytes"],
            "at_count_build_s": at_n["build_s"],
            "at_count_draw_s": at_n["draw_s"],
        },
        # The baseline over ours, both at the largest count.
        "ratio_build": at_n["build_s"] / largest["build_s"],
        "ratio_size": at_n["html_bytes"] / largest["html_bytes"],
        "ratio_draw": (None if at_n["draw_s"] is None or not largest["draw_s"] else at_n["draw_s"] / largest["draw_s"]),
    }
    # Read by tests/test_bench.py under its former name.
    figures["naive"] = figures["baseline"]
    figures["meets_target"] = None if target["count"] != MAP_TARGET_COUNT or target["draw_s"] is None else bool(
        target["build_s"] <= MAP_TARGET_BUILD_S and target["html_bytes"] <= MAP_TARGET_BYTES
        and target["draw_s"] <= MAP_TARGET_DRAW_S and target["clean"])
    _print_map(figures)
    return figures


def _unpacked_size(path: Path) -> int:
    """Bytes of the same page with the incidents as plain (deduplicated, uncompressed) JSON, as before packing."""
    text = path.read_text(encoding="utf-8")
    for match in _DATA_BLOCK.finditer(text):
        data = json.loads(match.group(1))
        if isinstance(data, dict) and data.get("format") == FORMAT:
            plain = {key: value for key, value in data.items() if key not in ("format", "pointOrigin")}
            plain.update(unpack_incidents(data))
            block = json.dumps(plain, ensure_ascii=False, separators=(",", ":"))
            return len(text.encode("utf-8")) - len(match.group(1).encode("utf-8")) + len(block.encode("utf-8"))
    raise ValueError(f"{path.name}: no packed incident block")


def _bench_incidents(small_areas, n: int, seed: int) -> pd.DataFrame:
    """``n`` made-up incidents: whole sample years from the generator, with fresh ids."""
    years = [generate_incidents(small_areas, seed * 1000 + k) for k in range(math.ceil(n / N_INCIDENTS))]
    frame = pd.concat(years, ignore_index=True).head(n)
    frame["incident_id"] = [f"B{i:07d}" for i in range(1, len(frame) + 1)]
    return frame


_WEEKDAYS = "月火水木金土日"


def _baseline_rows(incidents: pd.DataFrame) -> pd.DataFrame:
    """``lat, lon`` and the popup texts (as ours shows them), one row per placed incident, plus its category."""
    frame = incidents[incidents["lat"].notna() & incidents["lon"].notna()]
    at = pd.to_datetime(frame["occurred_at"]).dt.tz_convert("Asia/Tokyo")
    when = (at.dt.year.astype(str) + "年" + at.dt.month.astype(str) + "月" + at.dt.day.astype(str) + "日("
            + at.dt.dayofweek.map(dict(enumerate(_WEEKDAYS))) + ") " + at.dt.hour.astype(str) + ":"
            + at.dt.strftime("%M"))
    victim = [("・".join(p for p in (g, s) if isinstance(p, str) and p and p not in ("不明", "該当なし")))
              for g, s in zip(frame["victim_group"], frame["victim_sex"])]
    texts = {"when": when, "incident_id": frame["incident_id"], "subtype": frame["subtype"],
             "address": frame["address"], "place_type": frame["place_type"], "victim": victim,
             "station": frame["station"], "consent": frame["consent"], "summary": frame["summary"],
             "actor": frame["actor"]}
    rows = pd.DataFrame({"lat": frame["lat"].round(6), "lon": frame["lon"].round(6), **texts}, index=frame.index)
    rows[list(texts)] = rows[list(texts)].astype(object).where(rows[list(texts)].notna(), "")
    rows["category"] = frame["category"]
    return rows


def _baseline_map(incidents: pd.DataFrame, area_set) -> folium.Map:
    """The competent folium way: a FastMarkerCluster per category on the same offline basemap.

    Leaflet.markercluster is inlined from the vendored copy instead of the
    CDN folium links (so the page opens offline, like ours); it reports
    drawn (``anshinMapReady``) once its script has run and two frames have
    been painted, as ours does.
    """
    rows = _baseline_rows(incidents)
    bounds = ((rows["lon"].min(), rows["lat"].min(), rows["lon"].max(), rows["lat"].max()) if len(rows)
              else None)
    m = maps.base_map(area_set, title="baseline", bounds=bounds, tile_url="", plugins=("markercluster",))
    for code, name in CATEGORIES.items():
        chosen = rows[rows["category"] == code].drop(columns="category")
        cluster = FastMarkerCluster(chosen.to_numpy().tolist(), callback=_BASELINE_CALLBACK, name=name)
        cluster.default_js, cluster.default_css = [], []  # inlined by the offline map instead
        cluster.add_to(m)
    folium.LayerControl(collapsed=False).add_to(m)
    return m


def _draw_times(paths: list[Path], repeats: list[int]) -> list[dict | None]:
    """For each page: seconds from navigation start until it reports drawn, and whether it stayed offline and clean.

    Runs in a thread of its own: Playwright's sync API refuses a thread with a
    running asyncio loop (a Jupyter kernel, another Playwright session).
    """
    try:  # why: Playwright is optional (a test extra); without it the map is built but not drawn
        import playwright.sync_api  # noqa: F401
    except ImportError:
        print("(Playwright がないため描画時間は測りません: pip install playwright)")
        return [None] * len(paths)
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(_draw_all, paths, repeats).result()


def _draw_all(paths: list[Path], repeats: list[int]) -> list[dict]:
    from playwright.sync_api import sync_playwright  # why: optional, and checked by _draw_times

    results = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            _draw_one(browser, paths[-1])  # warm-up: the browser's first page is slower
            for path, times in zip(paths, repeats):
                loads = [_draw_one(browser, path) for _ in range(max(int(times), 1))]
                results.append({
                    "draw_s": median(load["draw_s"] for load in loads),
                    "draw_runs_s": [load["draw_s"] for load in loads],
                    "clean": all(load["clean"] for load in loads),
                    "problems": [problem for load in loads for problem in load["problems"]],
                })
        finally:
            browser.close()
    return results


def _draw_one(browser, path: Path) -> dict:
    problems: list[str] = []

    def route(r):
        if r.request.url.startswith(_LOCAL):
            r.continue_()
        else:
            problems.append(f"blocked: {r.request.url}")
            r.abort("blockedbyclient")

    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        context.route("**/*", route)
        page = context.new_page()
        page.on("console", lambda m: problems.append(f"console: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
        page.goto(path.resolve().as_uri(), wait_until="load", timeout=180_000)
        page.wait_for_function(_READY, timeout=180_000, polling="raf")
        # performance.now() counts from navigation start: the whole load, parse, unpack, run and draw.
        draw_s = page.evaluate("window.anshinMapReadyMs") / 1000.0
    finally:
        context.close()
    return {"draw_s": draw_s, "clean": not problems, "problems": problems}


def _seconds(value) -> str:
    return "—" if value is None else f"{value:.2f}秒"


def _print_map(f: dict) -> None:
    verdict = {True: "達成", False: "未達", None: f"判定なし({MAP_TARGET_COUNT:,}件を描画まで測ってください)"}[
        f["meets_target"]]
    print("地図ベンチマーク: 部外秘の事案地図(分類別レイヤ・クラスタ・ポップアップ・発生日の絞り込み、事案データは"
          "圧縮してページに埋め込みブラウザで展開)を作成し、ネットワークを切った Chromium で描画")
    print(f"  事案データの生成: {f['generate_s']:.2f}秒, 初回準備(境界の符号化・同梱ファイルの読み込み): {f['prepare_s']:.2f}秒"
          f"; 作成と描画は{f['repeats']}回の中央値、描画は読み込み開始から全クラスタの表示まで")
    for r in f["runs"]:
        clean = "" if r["clean"] in (None, True) else f" (問題あり: {'; '.join(r['problems'][:2])})"
        print(f"  {r['count']:,}件: 作成 {r['build_s']:.2f}秒, HTML {r['html_mb']:.2f}MB "
              f"(圧縮しない JSON なら {r['unpacked_html_bytes'] / 1e6:.2f}MB), 描画 {_seconds(r['draw_s'])}{clean}")
    b = f["baseline"]
    clean = "" if b["clean"] in (None, True) else f" (問題あり: {'; '.join(b['problems'][:2])})"
    print(f"  比較: folium の FastMarkerCluster(分類ごと、同じ地点・同じポップアップの文字・同じ背景地図、"
          f"日付の絞り込みなし): {b['count']:,}件で 作成 {b['build_s']:.2f}秒, HTML {b['html_mb']:.2f}MB, "
          f"描画 {_seconds(b['draw_s'])}{clean}")
    if b["estimated"]:
        print(f"    → {b['at_count']:,}件なら 作成 約{b['at_count_build_s']:.2f}秒, 約{b['at_count_html_bytes'] / 1e6:.1f}MB, "
              f"描画 約{_seconds(b['at_count_draw_s'])}(事案なしのページ分+件数に比例する分として推定)")
    ratios = [f"作成 {f['ratio_build']:,.1f}倍", f"HTML {f['ratio_size']:,.1f}倍"]
    if f["ratio_draw"] is not None:
        ratios.append(f"描画 {f['ratio_draw']:,.1f}倍")
    print(f"  速度比(FastMarkerCluster/本実装, {f['runs'][-1]['count']:,}件): {', '.join(ratios)}")
    print(f"  目標({MAP_TARGET_COUNT:,}件: HTML {MAP_TARGET_BYTES / 1e6:.0f}MB以内・作成{MAP_TARGET_BUILD_S}秒以内・"
          f"描画{MAP_TARGET_DRAW_S}秒以内): {verdict}")
