"""The maps: offline HTML drawn by a real headless Chromium, the public map's privacy, the benchmark."""

from __future__ import annotations

import json
import re

import folium
import numpy as np
import pandas as pd
import pytest

from anshin_lab.views import maps
from anshin_lab.places.address import AddressError, parse
from anshin_lab.places import rate_per_1000_households
from anshin_lab.core.errors import DataError
from anshin_lab.core.granularity import Granularity
from anshin_lab.privacy import Decision, PrivacyError, assess
from anshin_lab.app.catalog import load_areas, read_incidents
from anshin_lab.views.maps.packing import unpack_incidents

from .browser import Browser, pixel_counts

READY = "window.anshinMapReady === true"
SEA, LAND = "#d4e6f1", maps.BASEMAP_STYLE["land"]
CITY_LINE = maps.BASEMAP_STYLE["cityLine"]
COLOURS = {code: colour for code, (colour, _) in maps.CATEGORY_STYLES.items()}
SHIBAHARA_3 = "46201318003"  # 鹿児島市紫原3丁目


@pytest.fixture(scope="module")
def area_set(imported_workspace):
    return load_areas(imported_workspace.root)


@pytest.fixture(scope="module")
def incidents(imported_workspace):
    return read_incidents(imported_workspace.root)


@pytest.fixture(scope="module")
def browser():
    with Browser(viewport=(1280, 800)) as b:
        yield b


@pytest.fixture(scope="module")
def internal_html(incidents, area_set, tmp_path_factory):
    return maps.save(maps.incident_map(incidents, areas=area_set, tile_url=""),
                     tmp_path_factory.mktemp("maps") / "internal.html")


@pytest.fixture(scope="module")
def public_html(incidents, area_set, tmp_path_factory):
    """A public map of every stored incident the privacy guard would publish (more than the sent alerts)."""
    pairs = maps.assess_publishable(incidents, area_set)
    return maps.save(maps.public_map(pairs, areas=area_set), tmp_path_factory.mktemp("maps") / "public.html")


def payloads(text: str) -> list:
    """The JSON data blocks a map embeds for anshin-maps.js."""
    return [json.loads(m.group(1)) for m in
            re.finditer(r'<script type="application/json" id="[^"]+">(.*?)</script>', text, flags=re.S)]


def payload_with(text: str, key: str) -> dict:
    return next(p for p in payloads(text) if isinstance(p, dict) and key in p)


def zoom_to_marker(page, lat: float, lon: float, find_js: str):
    """Zoom to the highest level at (lat, lon) and return the marker ``find_js`` finds.

    On a slow machine the map's opening fit can still be animating and undo
    the move, and the layer is redrawn after every move: set the view again
    until the marker is on the page.
    """
    for _ in range(6):
        page.evaluate("([lat, lon]) => { anshinMaps.map.setView([lat, lon], anshinMaps.map.getMaxZoom(), {animate: false}); }",
                      [lat, lon])
        try:
            page.wait_for_function(find_js, polling="raf", timeout=10_000)
            return page.evaluate_handle(find_js)
        except Exception:  # playwright's TimeoutError: the view was moved back; try again
            page.wait_for_timeout(500)
    raise AssertionError(f"no marker at {lat}, {lon} after zooming in")


def assert_offline(visit):
    assert visit.clean, visit.problems()
    assert visit.requests and all(u.startswith(("file:", "data:")) for u in visit.requests), visit.requests


# ---------------------------------------------------------------------------
# Offline HTML


def test_saved_map_is_one_self_contained_file(internal_html):
    text = internal_html.read_text(encoding="utf-8")
    assert not re.search(r"<(script|link|img)\b[^>]*\b(src|href)\s*=", text)
    for cdn in ("cdn.jsdelivr", "cdnjs", "code.jquery", "bootstrapcdn", "unpkg", "googleapis"):
        assert cdn not in text
    # The licences travel with the code.
    assert "Leaflet 1.9.4" in text and "Copyright (c) 2010-2023, Volodymyr Agafonkin" in text
    assert "Supercluster 9.1.0" in text and "Copyright (c) 2024, Mapbox" in text
    assert "sourceMappingURL" not in text
    assert "部外秘" in text


def test_internal_map_draws_offline_with_boundaries_and_markers(browser, internal_html, tmp_path):
    visit = browser.open(internal_html, screenshot=tmp_path / "internal.png", ready=READY, settle_ms=200,
                         evaluate="document.querySelector('.anshin-banner').textContent")
    assert_offline(visit)
    assert "部外秘" in visit.result
    counts = pixel_counts(visit.screenshot, {"sea": SEA, "land": LAND, "threat": COLOURS["threat"],
                                             "community": COLOURS["community"], "fraud": COLOURS["fraud"],
                                             "missing": COLOURS["missing"]}, tolerance=12)
    # The boundary lines are thin and anti-aliased: a wider tolerance for them.
    counts.update(pixel_counts(visit.screenshot, {"boundary": CITY_LINE}, tolerance=20))
    assert counts["sea"] > 200_000 and counts["land"] > 2_000, counts
    assert counts["boundary"] > 400, counts
    for category in ("threat", "community", "fraud", "missing"):
        assert counts[category] > 300, (category, counts)


def test_internal_map_has_a_layer_per_category_and_a_popup_with_the_summary(browser, internal_html, incidents):
    placed = incidents[incidents["lat"].notna() & incidents["lon"].notna()]
    first_threat = placed[placed["category"] == "threat"].iloc[0]

    def click_first_threat(page):
        # Zoom in on it (every point stands alone at the highest zoom) and click its marker.
        find_marker = """() => {
            const entry = anshinMaps.incidentLayers.find(l => l.code === 'threat');
            const m = entry.layer.getLayers().find(m => m._anshinRows && m._anshinRows.includes(0));
            return m && m._icon ? m._icon : null;
        }"""
        marker = zoom_to_marker(page, float(first_threat["lat"]), float(first_threat["lon"]), find_marker)
        marker.as_element().dispatch_event("click")
        return {"popup": page.inner_text(".leaflet-popup-content"),
                "layers": page.inner_text(".leaflet-control-layers-overlays")}

    visit = browser.open(internal_html, ready=READY, interact=click_first_threat)
    assert_offline(visit)
    for name in ("脅威事犯", "うそ電話詐欺", "地域に有益な情報", "高齢者等の行方不明事案", "凶悪事案等逃走事案"):
        assert name in visit.result["layers"]
    popup = visit.result["popup"]
    assert first_threat["incident_id"] in popup and first_threat["summary"] in popup
    assert first_threat["address"] in popup  # the internal map is exact


def test_internal_map_cluster_click_zooms_in(browser, internal_html):
    def click_biggest_cluster(page):
        before = page.evaluate("anshinMaps.map.getZoom()")
        # The layer is redrawn after every move; under load a redraw can land between
        # finding the icon and clicking it, so look the cluster up again and retry.
        for _ in range(5):
            handle = page.evaluate_handle("""() => {
                const entry = anshinMaps.incidentLayers.find(l => l.code === 'threat');
                const clusters = entry.layer.getLayers().filter(m => m._anshinCluster !== undefined && m._icon);
                clusters.sort((a, b) => b.options.icon.options.html.length - a.options.icon.options.html.length);
                return clusters.length ? clusters[0]._icon : null;
            }""")
            if handle.as_element() is not None:
                handle.as_element().dispatch_event("click")
                try:
                    page.wait_for_function(f"anshinMaps.map.getZoom() > {before}", polling="raf", timeout=10_000)
                    break
                except Exception:  # playwright's TimeoutError: try a fresh cluster
                    pass
            page.wait_for_timeout(500)
        return before, page.evaluate("anshinMaps.map.getZoom()")

    visit = browser.open(internal_html, ready=READY, interact=click_biggest_cluster)
    assert_offline(visit)
    before, after = visit.result
    assert after > before


def test_internal_map_lists_incidents_at_the_same_point(browser, area_set, tmp_path):
    frame = pd.DataFrame({
        "incident_id": ["S-1", "S-2", "S-3", "S-4"], "category": ["threat"] * 4,
        "occurred_at": pd.to_datetime(["2026-01-01 09:00", "2026-01-05 17:30", "2026-02-01 08:00",
                                       "2026-02-02 08:00"]).tz_localize("Asia/Tokyo"),
        "lat": [31.5600, 31.5600, 31.5600, 31.5800], "lon": [130.5300, 130.5300, 130.5300, 130.5500],
        "summary": ["一件目", "二件目", "三件目", "離れた場所"],
    })
    path = maps.save(maps.incident_map(frame, areas=area_set, tile_url=""), tmp_path / "stack.html")

    def open_stack(page):
        find_stack = """() => {
            const m = anshinMaps.incidentLayers[0].layer.getLayers().find(m => m._anshinRows && m._anshinRows.length === 3);
            return m && m._icon ? m._icon : null;
        }"""
        handle = zoom_to_marker(page, 31.56, 130.53, find_stack)
        handle.as_element().dispatch_event("click")
        return page.inner_text(".leaflet-popup-content")

    visit = browser.open(path, ready=READY, interact=open_stack)
    assert_offline(visit)
    assert "3件" in visit.result
    assert all(text in visit.result for text in ("S-1", "S-2", "S-3", "一件目", "三件目"))
    assert "S-4" not in visit.result


def test_internal_map_date_filter_rebuilds_the_layers(browser, internal_html, incidents):
    placed = incidents[incidents["lat"].notna() & incidents["lon"].notna()]
    day = placed["occurred_at"].dt.tz_convert("Asia/Tokyo").dt.strftime("%Y-%m-%d")
    expected = int(((day >= "2026-03-01") & (day <= "2026-03-31")).sum())

    def filter_march(page):
        page.fill('.anshin-filter input[name="from"]', "2026-03-01")
        page.fill('.anshin-filter input[name="to"]', "2026-03-31")
        shown_is = "(n) => document.querySelector('.anshin-filter').dataset.shown === String(n)"
        page.wait_for_function(shown_is, arg=expected, polling="raf", timeout=60_000)
        shown = int(page.get_attribute(".anshin-filter", "data-shown"))
        page.click(".anshin-filter button")  # back to the whole period
        page.wait_for_function(shown_is, arg=len(placed), polling="raf", timeout=60_000)
        return shown, int(page.get_attribute(".anshin-filter", "data-shown"))

    visit = browser.open(internal_html, ready=READY, interact=filter_march)
    assert_offline(visit)
    assert visit.result == (expected, len(placed))
    assert 0 < expected < len(placed)


def test_public_map_draws_offline(browser, public_html, tmp_path):
    assert '<html lang="ja">' in public_html.read_text(encoding="utf-8")  # a screen reader reads it as Japanese
    visit = browser.open(public_html, screenshot=tmp_path / "public.png", ready=READY, settle_ms=200)
    assert_offline(visit)
    counts = pixel_counts(visit.screenshot, {"sea": SEA, "threat": COLOURS["threat"],
                                             "community": COLOURS["community"]}, tolerance=12)
    counts.update(pixel_counts(visit.screenshot, {"boundary": CITY_LINE}, tolerance=20))
    assert counts["sea"] > 200_000 and counts["boundary"] > 400, counts
    assert counts["threat"] > 300 and counts["community"] > 300, counts


def test_choropleth_draws_offline_per_1000_households(browser, incidents, area_set, tmp_path):
    assigned = area_set.assign(incidents)
    rates = rate_per_1000_households(assigned, area_set, Granularity.TOWN)
    m = maps.choropleth(rates[["area_code", "count"]], "TOWN", areas=area_set, tile_url="")
    path = maps.save(m, tmp_path / "choropleth.html")
    data = payload_with(path.read_text(encoding="utf-8"), "classes")
    # The rows follow the layer's order (names can repeat within a municipality, codes cannot).
    layer = area_set.layer(Granularity.TOWN)
    assert [row[0] for row in data["areas"]] == list(layer["city"] + layer["name"])
    shown = dict(zip(layer["area_code"].astype(str), (row[4] for row in data["areas"])))
    expected = rates.set_index("area_code")["per_1000"]
    for code in expected.dropna().index[:50]:
        assert shown[str(code)] == pytest.approx(expected[code], abs=1e-3)
    # Let the renderer finish the polygons before the screenshot (slow machines draw late).
    visit = browser.open(path, screenshot=tmp_path / "choropleth.png", ready=READY, settle_ms=800)
    assert_offline(visit)
    # The areas are filled at 78% over the land colour: several classes must show.
    shaded = {c: _blend(c, LAND, 0.78) for c in maps.CHOROPLETH_COLOURS[1:]}
    counts = pixel_counts(visit.screenshot, shaded, tolerance=12)
    assert sum(counts.values()) > 500 and sum(v > 50 for v in counts.values()) >= 3, counts


def _blend(colour: str, under: str, alpha: float) -> tuple:
    rgb = [int(colour[i:i + 2], 16) for i in (1, 3, 5)]
    base = [int(under[i:i + 2], 16) for i in (1, 3, 5)]
    return tuple(round(alpha * c + (1 - alpha) * b) for c, b in zip(rgb, base))


def test_choropleth_rejects_codes_of_another_level(area_set):
    with pytest.raises(DataError, match="地域コード"):
        maps.choropleth(pd.Series({SHIBAHARA_3: 3}), "CITY", areas=area_set, tile_url="")


def test_save_refuses_a_map_that_loads_from_a_cdn(area_set, tmp_path):
    with pytest.raises(maps.MapError, match="外部"):
        maps.save(folium.Map(), tmp_path / "plain.html")
    from folium.plugins import MarkerCluster

    m = maps.base_map(area_set, tile_url="")
    MarkerCluster().add_to(m)
    with pytest.raises(maps.MapError):
        maps.save(m, tmp_path / "plugin.html")
    assert not (tmp_path / "plugin.html").exists()


def test_tile_url_adds_a_tile_layer_with_its_attribution(area_set, browser, tmp_path):
    url = "http://tiles.example.invalid/std/{z}/{x}/{y}.png"
    path = maps.save(maps.base_map(area_set, tile_url=url, tile_attribution="地理院タイル(庁内ミラー)"),
                     tmp_path / "tiles.html")
    base = payload_with(path.read_text(encoding="utf-8"), "chome")
    assert base["tile"]["url"] == url and base["tile"]["attribution"] == "地理院タイル(庁内ミラー)"
    visit = browser.open(path, ready=READY, evaluate="document.querySelector('.leaflet-control-attribution').textContent")
    assert "地理院タイル(庁内ミラー)" in visit.result and "国土数値情報" in visit.result
    # The tiles are the only requests that leave the file, and only to the configured server.
    assert visit.blocked_requests and all(u.startswith("http://tiles.example.invalid/") for u in visit.blocked_requests)


def test_notebook_display_draws_offline(area_set, incidents, browser, tmp_path):
    m = maps.incident_map(incidents.head(300), areas=area_set, tile_url="")
    shown = m._repr_html_()
    assert '<iframe srcdoc="&lt;!DOCTYPE html&gt;' in shown and "https://cdn" not in shown
    output = maps.show(m, height=400).data
    assert output.count("height:400px") == 1
    # As JupyterLab shows it: the output HTML inside a page, the map in its iframe.
    page = tmp_path / "cell_output.html"
    page.write_text(f"<!DOCTYPE html><html><body>{output}</body></html>", encoding="utf-8")
    visit = browser.open(page, screenshot=tmp_path / "cell_output.png",
                         ready="document.querySelector('iframe').contentWindow.anshinMapReady === true")
    assert_offline(visit)
    counts = pixel_counts(visit.screenshot, {"threat": COLOURS["threat"]}, tolerance=12)
    assert counts["threat"] > 100, counts


# ---------------------------------------------------------------------------
# The public map shows only what may be published


def _decimal_tokens(text: str) -> set[str]:
    return set(re.findall(r"(?<![\w.])-?\d+\.\d+", text))


def _exact_forms(value: float) -> set[str]:
    """A coordinate written at 4 decimals or finer: rounded, truncated, and its full repr."""
    forms = set()
    for d in (4, 5, 6):
        forms.add(f"{value:.{d}f}")
        forms.add(f"{np.trunc(value * 10 ** d) / 10 ** d:.{d}f}")
    full = repr(float(value))
    if "." in full and len(full.split(".")[1]) >= 4:
        forms.add(full)
    return forms


def _house_parts(address: str) -> set[str]:
    """The 号-level part of an address (「12番5号」, 「1390番地16」, 「976番地」), if it has one."""
    try:
        parsed = parse(address)
    except AddressError:
        return set()
    if parsed.block is None:
        return set()
    if parsed.is_jiban:
        return {f"{parsed.block}番地" + (parsed.lot or "")}
    return {f"{parsed.block}番{parsed.lot}号"} if parsed.lot else set()


def test_public_map_holds_no_exact_coordinate_address_or_id(public_html, incidents):
    text = public_html.read_text(encoding="utf-8")
    areas = payload_with(text, "areas")["areas"]
    assert len(areas) > 100  # it does show the alerts
    assert "番付近" in text  # some at the block, as the directive allows
    tokens = _decimal_tokens(text)
    for row in incidents.itertuples():
        for value in (row.lat, row.lon):
            if value is None or pd.isna(value):
                continue
            forms = _exact_forms(value)
            leaked = [t for t in tokens if any(t.lstrip("-").startswith(f) for f in forms)]
            assert not leaked, (row.incident_id, value, leaked)
        assert row.incident_id not in text
        if isinstance(row.address, str) and row.address:
            assert row.address not in text, row.incident_id
            for part in _house_parts(row.address):
                assert part not in text, (row.incident_id, part)


def test_public_map_never_shows_a_decision_advised_not_to_send(area_set):
    sent = Decision(Granularity.TOWN, "462013180", "紫原", 5000, "鹿児島市紫原付近の路上", ())
    withheld = Decision(Granularity.CITY, "46201", "鹿児島市", 250_000, "鹿児島市内の住宅", (), send_recommended=False)
    with pytest.raises(PrivacyError, match="配信しない"):
        maps.public_map([sent, withheld], areas=area_set, tile_url="")
    m = maps.public_map([sent, withheld], areas=area_set, tile_url="", skip_withheld=True)
    text = maps.render_html(m)
    assert "鹿児島市紫原付近の路上" in text and "鹿児島市内の住宅" not in text


def test_public_map_refuses_internal_fields_and_exact_decisions(area_set, incidents):
    row = incidents.drop(columns="geometry").iloc[0].to_dict()
    decision = assess(row, area_set)
    with pytest.raises(PrivacyError, match="lat"):
        maps.public_map([(decision, {"category": "threat", "lat": row["lat"]})], areas=area_set, tile_url="")
    exact = Decision(Granularity.EXACT, SHIBAHARA_3, "紫原3丁目", 800, "x", ())
    with pytest.raises(PrivacyError):
        maps.public_map([exact], areas=area_set, tile_url="")


def test_public_map_draws_a_block_decision_on_its_chome(area_set):
    block = Decision(Granularity.BLOCK, SHIBAHARA_3, "紫原3丁目", 800, "鹿児島市紫原3丁目12番付近の路上", ())
    text = maps.render_html(maps.public_map([(block, {"category": "threat", "date": "2026-04-15"})],
                                            areas=area_set, tile_url=""))
    (area,) = payload_with(text, "areas")["areas"]
    assert area["level"] == Granularity.CHOME.label and "name" not in area  # the popup names it as the mail did
    assert area["g"] == maps.encoded_layer(area_set, Granularity.CHOME)[SHIBAHARA_3]
    assert area["alerts"] == [["2026年4月15日", "鹿児島市紫原3丁目12番付近の路上", None, None]]


def test_public_map_draws_each_level_on_its_own_polygon(area_set):
    town = Decision(Granularity.TOWN, "462013180", "紫原", 5000, "鹿児島市紫原付近", ())
    city = Decision(Granularity.CITY, "46201", "鹿児島市", 250_000, "鹿児島市内", ())
    text = maps.render_html(maps.public_map([town, city], areas=area_set, tile_url=""))
    drawn = {a["level"]: a for a in payload_with(text, "areas")["areas"]}
    assert drawn["大字・町"]["g"] == maps.encoded_layer(area_set, Granularity.TOWN)["462013180"]
    assert drawn["市区町村"]["g"] == maps.encoded_layer(area_set, Granularity.CITY)["46201"]


# ---------------------------------------------------------------------------
# What the CLI calls


def test_internal_map_goes_into_the_workspace_never_reports(imported_workspace, tmp_path):
    path = maps.render_internal_map(imported_workspace.root, since="2026-10-01")
    assert path == imported_workspace.root / "internal" / "incident_map.html" and path.exists()
    with pytest.raises(maps.MapError, match="reports"):
        maps.render_internal_map(imported_workspace.root, out=tmp_path / "reports" / "map.html")
    assert not (tmp_path / "reports" / "map.html").exists()
    forced = maps.render_internal_map(imported_workspace.root, out=tmp_path / "reports" / "map.html", force=True)
    assert forced.exists()


def test_incident_map_needs_its_columns(area_set):
    with pytest.raises(DataError, match="lat"):
        maps.incident_map(pd.DataFrame({"category": ["threat"], "occurred_at": ["2026-01-01"]}), areas=area_set)


def test_incident_map_counts_incidents_without_coordinates(area_set):
    frame = pd.DataFrame({
        "incident_id": ["A", "B"], "category": ["threat", "fraud"],
        "occurred_at": pd.to_datetime(["2026-01-01 09:00", "2026-01-02 10:00"]).tz_localize("Asia/Tokyo"),
        "lat": [31.5600, None], "lon": [130.5300, None], "summary": ["声かけ", "電話"],
    })
    data = payload_with(maps.render_html(maps.incident_map(frame, areas=area_set, tile_url="")), "attrs")
    assert data["total"] == 2 and data["unplaced"] == 1
    assert unpack_incidents(data)["points"] == {"threat": [31.56, 130.53]}
    assert data["firstDay"] == data["lastDay"] == "2026-01-01"


# ---------------------------------------------------------------------------
# What a reader sees first: controls, view, scale, popups

LAYERS_TOGGLE_TOPMOST = """() => {
    const toggle = document.querySelector('.leaflet-control-layers-toggle');
    const r = toggle.getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return {topmost: hit === toggle || toggle.contains(hit), visible: r.width > 0 && r.height > 0,
            banner: document.querySelector('.anshin-banner').getBoundingClientRect().bottom <= r.top};
}"""


def open_layer_list(page) -> dict:
    """Whether the layer list's button is on top at its centre, and whether a click on it opens the list."""
    state = page.evaluate(LAYERS_TOGGLE_TOPMOST)
    box = page.locator(".leaflet-control-layers-toggle").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_timeout(200)
    state["opened"] = page.evaluate(
        "document.querySelector('.leaflet-control-layers').classList.contains('leaflet-control-layers-expanded')")
    state["layers"] = page.inner_text(".leaflet-control-layers-overlays")
    return state


@pytest.mark.parametrize("viewport", [(1280, 800), (640, 420)], ids=["page", "notebook-cell"])
def test_banner_never_covers_the_layer_list(viewport, browser, internal_html, public_html, tmp_path):
    for name, path in (("internal", internal_html), ("public", public_html)):
        visit = browser.open(path, ready=READY, interact=open_layer_list, viewport=viewport,
                             screenshot=tmp_path / f"{name}.png")
        assert_offline(visit)
        state = visit.result
        assert state["visible"] and state["topmost"] and state["banner"], (name, state)
        assert state["opened"] and "脅威事犯" in state["layers"], (name, state)


def test_first_view_fits_the_mainland_with_the_islands_a_zoom_out_away(browser, internal_html, incidents):
    lat = pd.to_numeric(incidents["lat"], errors="coerce").dropna()
    lon = pd.to_numeric(incidents["lon"], errors="coerce").dropna()
    assert (lat < 30).sum() > 10 and (lat >= 31).mean() > 0.7  # islands in the sample, most incidents north
    visit = browser.open(internal_html, ready=READY, evaluate="""(() => {
        const b = anshinMaps.map.getBounds();
        return {south: b.getSouth(), north: b.getNorth(), west: b.getWest(), east: b.getEast(),
                minZoom: anshinMaps.map.getMinZoom(), zoom: anshinMaps.map.getZoom()};
    })()""")
    view = visit.result
    assert view["south"] > 30.5, view  # 奄美 and トカラ are not in the first view
    inside = lat.between(view["south"], view["north"]) & lon.loc[lat.index].between(view["west"], view["east"])
    assert inside.mean() > 0.85, (inside.mean(), view)
    assert view["minZoom"] <= view["zoom"] - 2, view  # zooming out reaches the islands


def first_view(text: str) -> list:
    """[[south, west], [north, east]] the map opens on."""
    return json.loads(re.search(r"map_\w+\.fitBounds\(\s*(\[\[[-\d.,\s\[\]]+\]\])", text).group(1))


def test_public_map_first_view_fits_where_the_alerts_are(area_set):
    mainland = Decision(Granularity.TOWN, "462013180", "紫原", 5000, "鹿児島市紫原付近", ())
    city = Decision(Granularity.CITY, "46201", "鹿児島市", 250_000, "鹿児島市内", ())
    amami = Decision(Granularity.CITY, "46222", "奄美市", 20_000, "奄美市内", ())
    (south, _), _ = first_view(maps.render_html(maps.public_map([mainland, city, amami], areas=area_set, tile_url="")))
    assert south > 31.0  # the one alert on 奄美 is a zoom-out away
    (south, _), _ = first_view(maps.render_html(maps.public_map([amami, mainland], areas=area_set, tile_url="")))
    assert south < 28.5  # no landmass holds most: every alert in view


def test_scale_is_metric(browser, internal_html):
    visit = browser.open(internal_html, ready=READY,
                         evaluate="[...document.querySelectorAll('.leaflet-control-scale-line')].map(e => e.textContent)")
    assert visit.result and all(re.fullmatch(r"\d+ k?m", t) for t in visit.result), visit.result


def test_public_popup_labels_the_send_date_and_names_the_place_as_the_mail_did(browser, area_set, tmp_path):
    town = Decision(Granularity.TOWN, "462013180", "紫原", 5000, "鹿児島市紫原付近の路上", ())
    path = maps.save(maps.public_map([(town, {"category": "threat", "date": "2026-11-30",
                                              "title": "【声かけ事案】鹿児島市紫原付近"})], areas=area_set, tile_url=""),
                     tmp_path / "public.html")

    def click_marker(page):
        page.click(".anshin-area-point")
        page.wait_for_selector(".leaflet-popup-content")
        return page.inner_text(".leaflet-popup-content")

    visit = browser.open(path, ready=READY, interact=click_marker)
    assert_offline(visit)
    lines = [line.strip() for line in visit.result.splitlines() if line.strip()]
    assert "発信日: 2026年11月30日" in lines and "場所: 鹿児島市紫原付近の路上" in lines, lines
    assert "【声かけ事案】鹿児島市紫原付近" in lines
