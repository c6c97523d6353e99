"""The public site (``anshin publish``) built from the demo workspace, opened in a real Chromium offline.

Checked against the database, not against ``app.public_data``: every sent
alert listed once with its sent follow-ups, the statistics summing to the
sent alerts counted here, no console error, no request leaving the file, no
serious or critical axe-core violation on each kind of page (axe-core is
vendored in ``tests/vendor/axe-core``), the filters working from the
keyboard; and that no file of the output (HTML, CSV, CAP, Atom, JSON, any
language) holds a coordinate finer than the published areas, a 号, or a
finding of the privacy lint.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from pathlib import Path

import lxml.etree
import lxml.html
import pytest
import shapely
import sqlalchemy as sa

from anshin_lab.app.catalog import load_areas
from anshin_lab.cli.main import main
from anshin_lab.core.clock import stored_tokyo
from anshin_lab.core.directive import PREF_CODE
from anshin_lab.core.granularity import Granularity
from anshin_lab.drafting.languages import LANGUAGES, text_findings
from anshin_lab.privacy import DEFAULT_POLICY, lint
from anshin_lab.storage import store
from anshin_lab.storage.store import alert_events, alerts
from anshin_lab.views.public_site import write_site

from .browser import Browser

pytestmark = pytest.mark.slow

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
AXE_RUN = """async (options) => {
  const result = await axe.run(document, options);
  return result.violations.filter(v => ["serious", "critical"].includes(v.impact))
    .map(v => v.id + " (" + v.impact + "): " + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(" | "));
}"""
# Where the published areas' coordinates may be (a generous box around the prefecture's islands).
LAT_RANGE, LON_RANGE = (24.0, 36.0), (122.0, 146.0)
# A point within this many degrees of a published polygon's outline (about 10 m) is on it.
ON_AREA_DEG = 1e-4
# How far a CAP polygon may reach beyond its area (app.cap_feed grows it by up to 2.5 × 5 km).
CAP_REACH_DEG = 0.15
NUMBER = re.compile(r"(?<![\w.])-?\d{1,3}\.\d+(?![\w.])")
HOUSE_NUMBER = re.compile(r"[0-9０-９〇一二三四五六七八九十百]+\s*号")
SAMPLE_ALERTS = 2  # alert pages opened per language kind (Japanese and one other)


# -- what the database says was sent -------------------------------------------------------

@pytest.fixture(scope="module")
def sent(demo_workspace):
    """The sent originals and follow-ups, read straight from the database."""
    ws, _ = demo_workspace
    engine = store.connect(ws.database_url)
    try:
        with engine.connect() as conn:
            rows = [dict(r) for r in conn.execute(sa.select(alerts).where(
                alerts.c.status.in_(["sent", "closed"]))).mappings()]
            sent_at = dict(conn.execute(sa.select(alert_events.c.alert_id, sa.func.min(alert_events.c.at))
                                        .where(alert_events.c.action == "send").group_by(alert_events.c.alert_id)).all())
    finally:
        engine.dispose()
    originals = {r["alert_id"]: r for r in rows if r["original_alert_id"] is None}
    followups = {a: sorted(r["alert_id"] for r in rows if r["original_alert_id"] == a) for a in originals}
    assert originals and any(followups.values()), "the demo should send alerts and at least one follow-up"
    return {"originals": originals, "followups": followups, "sent_at": sent_at}


@pytest.fixture(scope="module")
def published_polygons(demo_workspace, sent):
    """alert id (originals and follow-ups) -> the polygon of its published area, from its stored level and codes."""
    ws, _ = demo_workspace
    areas = load_areas(ws.root)
    column = {Granularity.CHOME: "chome_code", Granularity.TOWN: "town_code", Granularity.CITY: "city_code"}
    polygons = {}
    for alert_id, row in sent["originals"].items():
        level = max(Granularity[row["level"]], Granularity.CHOME)
        code = (row["area_codes"] or {}).get(column.get(level, ""))
        level, code = (level, code) if code else (Granularity.PREF, PREF_CODE)
        polygons[alert_id] = areas.area(level, code).geometry
        for followup in sent["followups"][alert_id]:
            polygons[followup] = polygons[alert_id]
    return polygons


@pytest.fixture(scope="module")
def site(demo_workspace, tmp_path_factory):
    ws, _ = demo_workspace
    out = tmp_path_factory.mktemp("public-site") / "public"
    result = write_site(ws, out)
    return out, result


@pytest.fixture(scope="module")
def browser():
    with Browser(viewport=(390, 844)) as b:  # a phone's viewport: the pages must read well there
        yield b


def open_checked(browser, path, *, ready="window.anshinSiteReady === true", interact=None, iframes=True):
    """Open a page offline, run axe-core on it (after ``interact``); the visit, with ``result`` = (interact's, axe's).

    axe's ``preload`` is off: it would fetch the stylesheets again with XMLHttpRequest, which ``file:`` refuses.
    """
    def run(page):
        value = interact(page) if interact is not None else None
        page.add_script_tag(path=str(AXE))
        return value, page.evaluate(AXE_RUN, {"resultTypes": ["violations"], "preload": False, "iframes": iframes})

    visit = browser.open(path, ready=ready, interact=run)
    assert visit.clean, f"{path}:\n{visit.problems()}"
    assert not visit.blocked_requests and all(u.startswith(("file:", "data:", "about:")) for u in visit.requests)
    assert visit.result[1] == [], f"axe-core on {path}:\n" + "\n".join(visit.result[1])
    return visit


def listed(page):
    """(alert id, [follow-up ids]) of every alert in the list, in order."""
    return page.evaluate("""() => [...document.querySelectorAll('#alert-list > li.alert')].map(li =>
        [Number(li.dataset.alertId), [...li.querySelectorAll('.followup')].map(f => Number(f.dataset.followupId))])""")


# -- the pages in Chromium ------------------------------------------------------------------

def test_every_language_lists_every_sent_alert_once_newest_first_with_its_followups(site, sent, browser):
    out, result = site
    expected_order = sorted(sent["originals"], key=lambda a: (sent["sent_at"][a], a), reverse=True)
    for code, language in LANGUAGES.items():
        visit = open_checked(browser, out / code / "index.html", interact=listed)
        rows = visit.result[0]
        assert [a for a, _ in rows] == expected_order, code
        assert {a: f for a, f in rows} == sent["followups"], code
        page = (out / code / "index.html").read_text(encoding="utf-8")
        assert f'<html lang="{language.html_lang}">' in page
        # Readable without JavaScript: every alert is in the HTML, none hidden.
        tree = lxml.html.fromstring(page)
        items = tree.xpath("//ol[@id='alert-list']/li[contains(@class, 'alert')]")
        assert len(items) == len(sent["originals"]) and not any(li.get("hidden") is not None for li in items)
    assert result.alerts == len(sent["originals"])


def test_the_filters_work_from_the_keyboard(site, sent, browser):
    out, _ = site
    categories = Counter(r["category"] for r in sent["originals"].values())
    category, count = categories.most_common()[-1]

    def filter_by_keyboard(page):
        page.focus("body")
        for _ in range(40):  # Tab through the page until the category filter has the focus
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.id") == "filter-category":
                break
        else:
            raise AssertionError("the category filter cannot be reached with Tab")
        focus = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        label = page.evaluate("document.querySelector('label[for=filter-category]').textContent")
        options = page.evaluate("[...document.activeElement.options].map(o => o.value)")
        for _ in range(options.index(category)):
            page.keyboard.press("ArrowDown")
        page.keyboard.press("Enter")
        shown = page.evaluate("[...document.querySelectorAll('#alert-list > li.alert')].filter(li => !li.hidden)"
                              ".map(li => li.dataset.category)")
        return focus, label, shown, page.evaluate("document.getElementById('shown').textContent")

    visit = open_checked(browser, out / "ja" / "index.html", interact=filter_by_keyboard)
    focus, label, shown, status = visit.result[0]
    assert focus != "none" and label == "分類"
    assert shown == [category] * count
    assert f"{count}件を表示" in status


def test_statistics_sum_to_the_sent_alerts_counted_in_the_database(site, sent, browser):
    out, _ = site
    expected = Counter()
    for alert_id, row in sent["originals"].items():
        month = stored_tokyo(sent["sent_at"][alert_id]).strftime("%Y-%m")
        city = (row["area_codes"] or {}).get("city_code") if row["level"] != "PREF" else None
        expected[(str(city or PREF_CODE), month, row["category"])] += 1
    for code in LANGUAGES:
        tree = lxml.html.fromstring((out / code / "statistics.html").read_text(encoding="utf-8"))
        found = Counter()
        for tr in tree.xpath("//table[@id='stats']/tbody/tr"):
            found[(tr.get("data-city"), tr.get("data-month"), tr.get("data-category"))] += int(tr.get("data-count"))
        assert found == expected, code
        assert int(tree.get_element_by_id("stats-total").text_content()) == len(sent["originals"])
        assert len(tree.xpath("//svg[@role='img']/title")) >= 2
    for code in ("ja", "vi"):
        open_checked(browser, out / code / "statistics.html")


def test_alert_pages_draw_the_published_area_and_show_the_followups(site, sent, browser):
    out, _ = site
    with_followup = next(a for a, f in sent["followups"].items() if f)
    sample = [with_followup] + [a for a in sent["originals"] if a != with_followup][:SAMPLE_ALERTS - 1]
    for code in ("ja", "en"):
        for alert_id in sample:
            visit = open_checked(
                browser, out / code / "alerts" / f"{alert_id}.html",
                ready="window.anshinSiteMapReady === true",
                interact=lambda page: page.evaluate(
                    "() => [document.querySelectorAll('#area-map .leaflet-overlay-pane path').length,"
                    " [...document.querySelectorAll('article.followup')].map(f => Number(f.dataset.followupId))]"))
            paths, followups = visit.result[0]
            assert paths >= 1, (code, alert_id)
            assert followups == sent["followups"][alert_id]


@pytest.mark.parametrize("page", ["places.html", "map.html", "data.html", "../index.html"])
def test_the_other_pages_are_accessible_offline(site, browser, page):
    out, _ = site
    path = (out / "easy" / page).resolve()
    ready = None if page == "../index.html" else "window.anshinSiteReady === true"
    # The map page's frame is the public map, checked on its own below.
    open_checked(browser, path, ready=ready, iframes=False)
    if page == "map.html":
        open_checked(browser, out / "map" / "public_map.html", ready="window.anshinMapReady === true")


def test_the_places_page_is_generated_from_the_policy(site):
    out, _ = site
    text = lxml.html.fromstring((out / "en" / "places.html").read_text(encoding="utf-8")).text_content()
    assert f"at least {DEFAULT_POLICY.min_households} households" in text
    assert f"at least {DEFAULT_POLICY.block_min_chome_households} households" in text


# -- nothing finer than published, in any file ------------------------------------------------

def _texts(path: Path) -> list[str]:
    """The human-readable text of a file of the site, as lines (HTML and XML without their markup)."""
    raw = path.read_text(encoding="utf-8-sig")
    if path.suffix in (".html", ".xml", ".atom"):
        parser = lxml.html.fromstring if path.suffix == ".html" else lxml.etree.fromstring
        tree = parser(raw.encode("utf-8"))
        for element in list(tree.iter("script", "style")):
            element.drop_tree() if hasattr(element, "drop_tree") else element.getparent().remove(element)
        raw = "\n".join(tree.itertext())
    return [line.strip() for line in re.split(r"[\r\n]+|,", raw) if line.strip()]


def _coordinates(text: str) -> tuple[list[tuple[float, float, int]], list[str]]:
    """(lat, lon, decimals) pairs of adjacent numbers that look like a place here, and lone such numbers."""
    numbers = [(m.start(), m.end(), m.group()) for m in NUMBER.finditer(text)]
    pairs, lone, skip = [], [], False
    for i, (start, end, value) in enumerate(numbers):
        if skip:
            skip = False
            continue
        x = float(value)
        nxt = numbers[i + 1] if i + 1 < len(numbers) else None
        if nxt is not None and re.fullmatch(r"[\s,\[\]]{1,4}", text[end:nxt[0]]):
            y = float(nxt[2])
            decimals = max(len(value.split(".")[1]), len(nxt[2].split(".")[1]))
            for lat, lon in ((x, y), (y, x)):
                if LAT_RANGE[0] <= lat <= LAT_RANGE[1] and LON_RANGE[0] <= lon <= LON_RANGE[1]:
                    pairs.append((lat, lon, decimals))
                    skip = True
                    break
            if skip:
                continue
        if (LAT_RANGE[0] <= x <= LAT_RANGE[1] or LON_RANGE[0] <= x <= LON_RANGE[1]) and len(value.split(".")[1]) >= 2:
            lone.append(value)  # a place to within about a kilometre, on its own
    return pairs, lone


def _view_values(polygons) -> tuple[set, set]:
    """The lat and lon values a map's view may hold: the polygons' bounds rounded outwards to 3 decimals, and midpoints."""
    bounds = [p.bounds for p in polygons]
    south, west = ({math.floor(b[i] * 1000) / 1000 for b in bounds} for i in (1, 0))
    north, east = ({math.ceil(b[i] * 1000) / 1000 for b in bounds} for i in (3, 2))
    lats = south | north | {round((s + n) / 2, 3) for s in south for n in north}
    lons = west | east | {round((w + e) / 2, 3) for w in west for e in east}
    return lats, lons


def test_no_file_holds_a_point_finer_than_published_a_house_number_or_a_lint_finding(site, published_polygons):
    """Every coordinate in the output is a vertex of a published area (a map's view: its rounded bounds).

    A CAP message's polygon is its area grown outward (never inside it, never far from it): each of its
    points lies on or outside the alert's own published area, within ``CAP_REACH_DEG`` of it.
    """
    out, _ = site
    polygons = list({id(p): p for p in published_polygons.values()}.values())
    boundaries = shapely.union_all([p.boundary for p in polygons])
    view_lats, view_lons = _view_values(polygons)
    files = [p for p in out.rglob("*") if p.is_file() and p.suffix in (".html", ".csv", ".xml", ".atom", ".json", ".md")]
    kinds = Counter(p.suffix for p in files)
    assert kinds[".html"] >= 6 * 5 and kinds[".csv"] >= 1 and kinds[".xml"] >= 1 and kinds[".atom"] >= 1, kinds
    finer, house_numbers, lines, vertices = [], [], set(), 0
    for path in files:
        raw = path.read_text(encoding="utf-8-sig")
        pairs, lone = _coordinates(raw)
        name = path.relative_to(out).as_posix()
        finer += [f"{name}: {v} (a lone coordinate)" for v in lone]
        cap = re.fullmatch(r"cap/alert-(\d+)\.xml", name)
        if pairs and cap:
            area = published_polygons[int(cap.group(1))]
            points = shapely.points([(lon, lat) for lat, lon, _ in pairs])
            inside = shapely.contains(area, points) & (shapely.distance(area.boundary, points) > ON_AREA_DEG)
            far = shapely.distance(area, points) > CAP_REACH_DEG
            finer += [f"{name}: {lat},{lon} (inside or far from the area)" for (lat, lon, _), bad in
                      zip(pairs, inside | far) if bad]
        elif pairs:
            points = shapely.points([(lon, lat) for lat, lon, _ in pairs])
            on_edge = shapely.distance(boundaries, points) <= ON_AREA_DEG
            vertices += int(on_edge.sum())
            for (lat, lon, decimals), ok in zip(pairs, on_edge):
                if not (ok or (decimals <= 3 and lat in view_lats and lon in view_lons)):
                    finer.append(f"{name}: {lat},{lon}")
        texts = _texts(path)
        house_numbers += [f"{name}: {t}" for t in texts if HOUSE_NUMBER.search(t)]
        # A language's pages get that language's lint (the Japanese lint and, outside Japanese, the digit check);
        # the data files (CSV, CAP: dates such as 2026-11-30), which mix every language's lines, the lint's rules
        # (the learned detector reads only the Japanese version, as delivery does: ``text_findings``).
        code = name.split("/")[0] if name.split("/")[0] in LANGUAGES else None
        lines.update((t, code) for t in texts)
    assert not finer, "coordinates finer than the published areas:\n" + "\n".join(finer[:20])
    assert not house_numbers, "\n".join(house_numbers[:20])
    findings = [f"{code} {line!r}: {[(f.kind, f.text) for f in found]}" for line, code in sorted(lines, key=str)
                if (found := (text_findings(line, code) if code else lint(line, learned=False)))]
    assert not findings, "lint findings:\n" + "\n".join(findings[:20])
    assert vertices > len(polygons)  # the alert pages' small maps were read


def test_the_command_writes_the_site_and_refuses_a_foreign_folder(demo_workspace, tmp_path):
    ws, _ = demo_workspace
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep me", encoding="utf-8")
    assert main(["publish", "--workspace", str(ws.root), "--out", str(foreign)]) == 1
    assert (foreign / "notes.txt").read_text(encoding="utf-8") == "keep me"
    out = tmp_path / "site"
    out.mkdir()
    (out / ".anshin-public-site").write_text("anshin publish\n", encoding="utf-8")  # an earlier site: replaced
    (out / "stale.html").write_text("old", encoding="utf-8")
    assert main(["publish", "--workspace", str(ws.root), "--out", str(out)]) == 0
    assert {p.name for p in out.iterdir()} == {".anshin-public-site", "index.html", "assets", "map", "opendata", "cap",
                                               *LANGUAGES}
