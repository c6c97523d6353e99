"""The internal incident map: build time, HTML size and time until Chromium has drawn it, against folium.Marker.

``python -m benchmarks map [--counts N,N,...] [--naive N] [--workspace DIR]``
builds the internal map for each count of generated incidents, opens it in
headless Chromium with the network cut off, and compares it with one
``folium.Marker`` per incident (measured on ``--naive`` incidents and
extrapolated).
"""

from __future__ import annotations

import math
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from statistics import median

import folium
import pandas as pd

from anshin_lab.app.catalog import load_areas
from anshin_lab.app.workspace import load_layer, require_workspace
from anshin_lab.cli.common import add_workspace, positive_int
from anshin_lab.core.glossary import CATEGORIES
from anshin_lab.demo.sample import N_INCIDENTS, generate_incidents
from anshin_lab.views import maps

from benchmarks.common import count_list

DESCRIPTION = ("サンプル生成器で事案を作り、事案地図の作成時間・HTML の大きさ・ネットワークを"
               "切った Chromium で描き終わるまでの時間を測り、folium.Marker を1件ずつ置く素朴な"
               "方法(少ない件数で測って件数に比例するとして推定)と比べます。")


def add_arguments(parser) -> None:
    parser.add_argument("--counts", type=count_list, default=(1_000, 10_000, 50_000), metavar="N,N,...",
                        help="地図にする事案の数(既定: 1000,10000,50000)")
    parser.add_argument("--naive", type=positive_int, default=2_000, metavar="N",
                        help="素朴な方法で測る事案の数(既定: 2,000)")
    add_workspace(parser)


def run(args) -> dict:
    return bench_map(counts=args.counts, naive=args.naive, workspace=args.workspace)


# Targets from the issue, for the 50,000-incident internal map.
MAP_TARGET_COUNT = 50_000
MAP_TARGET_BUILD_S = 2.0
MAP_TARGET_MB = 12.0
MAP_TARGET_DRAW_S = 5.0

# The Debian Chromium, driven by Playwright with the network cut off (as tests/browser.py does).
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]
_LOCAL = ("file:", "data:", "blob:", "about:")
_READY = "window.anshinMapReady === true"

# Stands in for jQuery in the naive map only: folium's popups build their HTML with $(`...`)[0].
_NAIVE_SHIM = """<script>
window.$ = function (html) { var t = document.createElement("template"); t.innerHTML = html.trim();
  return [t.content.firstChild]; };
</script>"""


def bench_map(counts=(1_000, 10_000, 50_000), naive: int = 2_000, workspace=None, seed: int = 0,
              draw: bool = True, repeats: int = 3) -> dict:
    """Time ``maps.incident_map`` + ``maps.save`` and Chromium's drawing against one folium.Marker per incident.

    Generates incidents with the sample generator (``sample.generate_incidents``,
    realistic texts and points in the workspace's small areas), then for each
    count builds the internal map (category layers, clusters, popups, date
    filter), writes it, and opens it in headless Chromium with the network
    cut off, timing from navigation start until the map reports it has drawn
    every cluster (``window.anshinMapReady``); the median of ``repeats``
    loads is reported (other work on the machine makes single loads
    noisy). The naive way — a
    ``folium.Marker`` with a ``folium.Popup`` per incident in a FeatureGroup
    per category, as a first attempt would write it — is measured on the
    first ``naive`` incidents and extrapolated per incident (its cost grows
    about linearly). Its page loads jQuery and Leaflet from CDNs, so it is
    drawn on our offline basemap with the vendored Leaflet and a three-line
    stand-in for jQuery's ``$``; the fixed cost (the page without markers,
    measured too) is kept out of the per-incident figures. Returns the
    figures (``runs`` per count, ``naive``, ``ratio_*`` = the naive way
    extrapolated to the largest count / ours at that count, ``meets_target``)
    and prints them.
    """
    counts = sorted({int(c) for c in counts})
    if not counts or counts[0] < 1 or naive < 1:
        raise ValueError("counts and naive must be at least 1")
    ws = require_workspace(workspace)
    started = time.perf_counter()
    area_set = load_areas(ws.root)
    incidents = _bench_incidents(load_layer(ws, "small_areas"), max(counts[-1], naive), seed)
    generate_s = time.perf_counter() - started
    # The first map encodes the boundaries and reads the vendored assets: time it apart from the runs.
    started = time.perf_counter()
    maps.render_html(maps.incident_map(incidents.head(10), areas=area_set, tile_url=""))
    prepare_s = time.perf_counter() - started

    with tempfile.TemporaryDirectory(prefix="anshin-bench-map-") as tmp:
        runs, pages = [], []
        for n in counts:
            path = Path(tmp) / f"incident_map_{n}.html"
            started = time.perf_counter()
            maps.save(maps.incident_map(incidents.head(n), areas=area_set, tile_url=""), path)
            build_s = time.perf_counter() - started
            runs.append({"count": n, "build_s": build_s, "html_bytes": path.stat().st_size,
                         "html_mb": path.stat().st_size / 1e6})
            pages.append(path)

        sample = incidents.head(naive)
        started = time.perf_counter()
        naive_map = _naive_map(sample)
        naive_html = naive_map.get_root().render()
        naive_path = Path(tmp) / f"naive_{naive}.html"
        naive_path.write_text(naive_html, encoding="utf-8")
        naive_build_s = time.perf_counter() - started
        naive_bytes = naive_path.stat().st_size
        # The fixed part of the naive page (map, layer control) and of drawing (our basemap, which
        # the naive page is drawn on too) is taken out before extrapolating per incident.
        empty_bytes = len(_naive_map(sample.head(0)).get_root().render().encode("utf-8"))
        drawable = Path(tmp) / f"naive_{naive}_offline.html"
        maps.save(_offline_copy(naive_map, area_set, sample), drawable)
        empty = Path(tmp) / "naive_0_offline.html"
        maps.save(_offline_copy(_naive_map(sample.head(0)), area_set, sample), empty)

        draws = (_draw_times([*pages, drawable, empty], [repeats] * len(pages) + [1, repeats]) if draw
                 else [None] * (len(pages) + 2))
    for run, result in zip(runs, draws):
        run["draw_s"] = None if result is None else result["draw_s"]
        run["draw_runs_s"] = [] if result is None else result["draw_runs_s"]
        run["clean"] = None if result is None else result["clean"]
        run["problems"] = [] if result is None else result["problems"]
    naive_draw, empty_draw = draws[-2], draws[-1]

    largest = runs[-1]
    n = largest["count"]
    per = {
        "build": naive_build_s / naive,
        "bytes": max(naive_bytes - empty_bytes, 0) / naive,
        "draw": None if naive_draw is None else max(naive_draw["draw_s"] - empty_draw["draw_s"], 0.0) / naive,
    }
    extrapolated = {
        "build_s": per["build"] * n,
        "bytes": empty_bytes + per["bytes"] * n,
        "draw_s": None if per["draw"] is None else empty_draw["draw_s"] + per["draw"] * n,
    }
    figures = {
        "counts": counts,
        "repeats": repeats,
        "generate_s": generate_s,
        "prepare_s": prepare_s,
        "runs": runs,
        "naive": {
            "count": naive,
            "build_s": naive_build_s,
            "html_bytes": naive_bytes,
            "html_mb": naive_bytes / 1e6,
            "draw_s": None if naive_draw is None else naive_draw["draw_s"],
            "clean": None if naive_draw is None else naive_draw["clean"],
            "empty_bytes": empty_bytes,
            "empty_draw_s": None if empty_draw is None else empty_draw["draw_s"],
            "per_incident_build_ms": per["build"] * 1e3,
            "per_incident_bytes": per["bytes"],
            "per_incident_draw_ms": None if per["draw"] is None else per["draw"] * 1e3,
            "extrapolated_count": n,
            "extrapolated_build_s": extrapolated["build_s"],
            "extrapolated_mb": extrapolated["bytes"] / 1e6,
            "extrapolated_draw_s": extrapolated["draw_s"],
        },
        # Naive (extrapolated) over ours, both for the largest count.
        "ratio_build": extrapolated["build_s"] / largest["build_s"],
        "ratio_size": extrapolated["bytes"] / largest["html_bytes"],
        "ratio_draw": (None if extrapolated["draw_s"] is None or not largest["draw_s"]
                       else extrapolated["draw_s"] / largest["draw_s"]),
    }
    target = next((r for r in runs if r["count"] == MAP_TARGET_COUNT), None)
    figures["meets_target"] = None if target is None or target["draw_s"] is None else bool(
        target["build_s"] <= MAP_TARGET_BUILD_S and target["html_mb"] <= MAP_TARGET_MB
        and target["draw_s"] <= MAP_TARGET_DRAW_S and target["clean"])
    _print_map(figures)
    return figures


def _bench_incidents(small_areas, n: int, seed: int) -> pd.DataFrame:
    """``n`` made-up incidents: whole sample years from the generator, with fresh ids."""
    years = [generate_incidents(small_areas, seed * 1000 + k) for k in range(math.ceil(n / N_INCIDENTS))]
    frame = pd.concat(years, ignore_index=True).head(n)
    frame["incident_id"] = [f"B{i:07d}" for i in range(1, len(frame) + 1)]
    return frame


def _naive_map(incidents: pd.DataFrame):
    """The first attempt: one folium.Marker with a popup per incident, a FeatureGroup per category."""
    m = folium.Map(location=[31.56, 130.56], zoom_start=9)
    groups = {code: folium.FeatureGroup(name=name).add_to(m) for code, name in CATEGORIES.items()}
    for row in incidents.itertuples(index=False):
        if pd.isna(row.lat) or pd.isna(row.lon):
            continue
        text = (f"<b>{CATEGORIES.get(row.category, row.category)}</b><br>{row.incident_id} {row.subtype}<br>"
                f"{row.occurred_at:%Y-%m-%d %H:%M}<br>{row.address}<br>{row.summary}")
        folium.Marker([row.lat, row.lon], popup=folium.Popup(text, max_width=360),
                      tooltip=CATEGORIES.get(row.category, row.category)).add_to(groups[row.category])
    folium.LayerControl(collapsed=False).add_to(m)
    return m


def _offline_copy(naive_map, area_set, incidents: pd.DataFrame):
    """The naive map's markers on the same offline basemap as ours, so Chromium can draw it.

    It reports drawn (``anshinMapReady``) once its script has run and two frames have been painted.
    """
    bounds = (incidents["lon"].min(), incidents["lat"].min(), incidents["lon"].max(), incidents["lat"].max())
    offline = maps.base_map(area_set, title="naive", bounds=bounds, tile_url="")
    for name, child in list(naive_map._children.items()):
        if not isinstance(child, folium.TileLayer):
            offline.add_child(child, name=name)
    offline.get_root().header.add_child(folium.Element(_NAIVE_SHIM), name="naive_shim")
    return offline


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
        page.goto(path.resolve().as_uri(), wait_until="load", timeout=120_000)
        page.wait_for_function(_READY, timeout=120_000, polling="raf")
        # performance.now() counts from navigation start: the whole load, parse, run and draw.
        draw_s = page.evaluate("window.anshinMapReadyMs") / 1000.0
    finally:
        context.close()
    return {"draw_s": draw_s, "clean": not problems, "problems": problems}


def _seconds(value) -> str:
    return "—" if value is None else f"{value:.2f}秒"


def _print_map(f: dict) -> None:
    verdict = {True: "達成", False: "未達", None: f"判定なし({MAP_TARGET_COUNT:,}件を描画まで測ってください)"}[
        f["meets_target"]]
    print("地図ベンチマーク: 部外秘の事案地図(分類別レイヤ・クラスタ・ポップアップ・発生日の絞り込み)を"
          "作成し、ネットワークを切った Chromium で描画")
    print(f"  事案データの生成: {f['generate_s']:.2f}秒, 初回準備(境界の符号化・同梱ファイルの読み込み): {f['prepare_s']:.2f}秒"
          f"; 描画は読み込み開始から全クラスタの表示まで({f['repeats']}回の中央値)")
    for r in f["runs"]:
        clean = "" if r["clean"] in (None, True) else f" (問題あり: {'; '.join(r['problems'][:2])})"
        print(f"  {r['count']:,}件: 作成 {r['build_s']:.2f}秒, HTML {r['html_mb']:.1f}MB, 描画 {_seconds(r['draw_s'])}{clean}")
    nv = f["naive"]
    draw_per = "—" if nv["per_incident_draw_ms"] is None else f"{nv['per_incident_draw_ms']:.2f}ミリ秒"
    print(f"  素朴な方法(folium.Marker とポップアップを1件ずつ): {nv['count']:,}件で 作成 {nv['build_s']:.2f}秒, "
          f"HTML {nv['html_mb']:.1f}MB, 描画 {_seconds(nv['draw_s'])}")
    print(f"    1件あたり 作成 {nv['per_incident_build_ms']:.2f}ミリ秒, {nv['per_incident_bytes']:,.0f}バイト, 描画 {draw_per}"
          f"(地図だけの分 {nv['empty_bytes'] / 1e3:,.0f}KB・描画 {_seconds(nv['empty_draw_s'])}を除く)")
    print(f"    → {nv['extrapolated_count']:,}件なら 作成 約{nv['extrapolated_build_s']:,.1f}秒, "
          f"約{nv['extrapolated_mb']:,.1f}MB, 描画 約{_seconds(nv['extrapolated_draw_s'])}(件数に比例するとした推定)")
    ratios = [f"作成 {f['ratio_build']:,.0f}倍", f"HTML {f['ratio_size']:,.1f}倍"]
    if f["ratio_draw"] is not None:
        ratios.append(f"描画 {f['ratio_draw']:,.1f}倍")
    print(f"  速度比(素朴な方法の推定/本実装, {f['runs'][-1]['count']:,}件): {', '.join(ratios)}")
    print(f"  目標({MAP_TARGET_COUNT:,}件: 作成{MAP_TARGET_BUILD_S:.0f}秒以内・{MAP_TARGET_MB:.0f}MB以内・"
          f"描画{MAP_TARGET_DRAW_S:.0f}秒以内): {verdict}")
