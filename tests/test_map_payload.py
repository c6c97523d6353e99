"""The internal map's packed incidents: what Chromium unpacks is exactly what went in, and nothing is fetched.

The records expected here are computed from the input frame directly (not
through the packing code); the records compared are the ones the page
itself unpacked with the browser's DecompressionStream, read back from the
real headless Chromium.
"""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from anshin_lab.app.catalog import load_areas, read_incidents
from anshin_lab.core.glossary import CATEGORIES
from anshin_lab.views import maps
from anshin_lab.views.maps.incident import INCIDENT_FIELDS
from anshin_lab.views.maps.packing import pack_incidents, unpack_incidents

from .browser import Browser

READY = "window.anshinMapReady === true"
RECORDS = "anshinMaps.incidentRecords()"
LABELS = dict(INCIDENT_FIELDS)
HIDDEN_VICTIM = {"不明", "該当なし"}


@pytest.fixture(scope="module")
def area_set(imported_workspace):
    return load_areas(imported_workspace.root)


@pytest.fixture(scope="module")
def browser():
    with Browser(viewport=(1280, 800)) as b:
        yield b


def _text(value) -> str | None:
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return None
    return str(value).strip() or None


def _victim(group, sex) -> str | None:
    shown = [t for t in (_text(group), _text(sex)) if t and t not in HIDDEN_VICTIM]
    return "・".join(shown) or None


def _minutes(value) -> int | None:
    """JST wall-clock minutes since 1970 (what the popups show), None when unknown."""
    stamp = pd.Timestamp(value) if value is not None else pd.NaT
    if pd.isna(stamp):
        return None
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert("Asia/Tokyo").tz_localize(None)
    return int((stamp - pd.Timestamp("1970-01-01")) // pd.Timedelta(minutes=1))


def expected_records(frame: pd.DataFrame) -> list[dict]:
    """Per placed incident, in drawing order (the directive's categories first, input order within one)."""
    rows = []
    for row in frame.to_dict("records"):
        lat, lon = pd.to_numeric(row["lat"], errors="coerce"), pd.to_numeric(row["lon"], errors="coerce")
        if not (np.isfinite(lat) and np.isfinite(lon)):
            continue
        fields = {}
        for column, label in LABELS.items():
            value = (_victim(row.get("victim_group"), row.get("victim_sex")) if column == "victim"
                     else _text(row.get(column)))
            if value is not None:
                fields[label] = value
        rows.append({"category": row["category"], "lat": float(np.rint(lat * 1e6) / 1e6),
                     "lon": float(np.rint(lon * 1e6) / 1e6), "minutes": _minutes(row["occurred_at"]),
                     "fields": fields})
    known = [c for c in CATEGORIES if any(r["category"] == c for r in rows)]
    others = sorted({r["category"] for r in rows} - set(known), key=str)
    return [r for code in known + others for r in rows if r["category"] == code]


def incident_block(text: str) -> dict:
    blocks = re.findall(r'<script type="application/json" id="[^"]+">(.*?)</script>', text, flags=re.S)
    return next(p for p in map(json.loads, blocks) if isinstance(p, dict) and "pointOrigin" in p)


def assert_no_request_left_the_file(visit):
    assert visit.clean, visit.problems()
    assert visit.requests, "the page was not requested at all"
    assert not [u for u in visit.requests if u.startswith(("http:", "https:", "ws:", "wss:"))], visit.requests
    assert all(u.startswith(("file:", "data:", "blob:")) for u in visit.requests), visit.requests


# ---------------------------------------------------------------------------
# A frame with every awkward case

AWKWARD_TEXTS = [
    "  前後に空白  ",
    "</script><script>window.leaked = 1</script><!--",
    "引用符 \" と ' と \\ と &amp;",
    "改行\nあり\r\nタブ\tあり",
    "絵文字🚓と濁点が結合する文字か\u3099",
    "行区切り\u2028段落区切り\u2029",
    "長い" * 2500,
    "",
    None,
]


@pytest.fixture(scope="module")
def awkward():
    n = 24
    at = pd.date_range("2026-01-01 00:00", periods=n, freq="37h", tz="Asia/Tokyo").to_series().reset_index(drop=True)
    at[5] = pd.NaT
    lat = 31.5 + np.arange(n) * 0.0123456789
    lon = 130.5 + np.arange(n) * 0.0098765432
    lat[3], lon[3] = lat[2], lon[2]  # two incidents at one point
    lat[7], lon[7] = np.nan, np.nan  # no coordinates: counted, not drawn
    lat[8], lon[8] = -33.856784, 151.215297  # far away and south of the equator
    lat[9], lon[9] = 24.0449999999, 123.0000005  # rounding at the 6th decimal
    categories = ["threat", "fraud", "community", "missing", "fugitive", "other-kind"] * 4
    texts = [AWKWARD_TEXTS[i % len(AWKWARD_TEXTS)] for i in range(n)]
    return pd.DataFrame({
        "incident_id": [f"X-{i}" if i != 4 else 4 for i in range(n)],
        "category": categories,
        "subtype": ["声かけ", " 声かけ", "つきまとい", None] * 6,
        "occurred_at": at,
        "address": texts,
        "lat": lat, "lon": lon,
        "place_type": ["路上", "公園", "", "路上"] * 6,
        "victim_group": ["小学生", "不明", None, "高齢者"] * 6,
        "victim_sex": ["女", "不明", "男", "該当なし"] * 6,
        "station": ["鹿児島中央警察署"] * n,
        "consent": ["あり", "なし", None] * 8,
        "summary": list(reversed(texts)),
        "actor": [None] * (n - 1) + ["男、40歳代"],
    })


def test_the_page_unpacks_exactly_the_awkward_records_that_went_in(awkward, area_set, browser, tmp_path):
    path = maps.save(maps.incident_map(awkward, areas=area_set, tile_url=""), tmp_path / "awkward.html")
    visit = browser.open(path, ready=READY, evaluate=f"[{RECORDS}, window.leaked === undefined]")
    assert_no_request_left_the_file(visit)
    records, not_run = visit.result
    assert not_run  # the texts stayed data
    assert records == expected_records(awkward)
    assert sum(r["fields"].get("発生場所") == "長い" * 2500 for r in records) > 0


def test_the_page_unpacks_exactly_the_sample_incidents(imported_workspace, area_set, browser, tmp_path):
    incidents = read_incidents(imported_workspace.root)
    path = maps.save(maps.incident_map(incidents, areas=area_set, tile_url=""), tmp_path / "sample.html")
    text = path.read_text(encoding="utf-8")
    visit = browser.open(path, ready=READY, evaluate=RECORDS)
    assert_no_request_left_the_file(visit)
    expected = expected_records(incidents)
    assert len(expected) > 2000
    assert visit.result == expected
    # Packed: no incident's text is in the page as written, and each distinct text is stored once.
    assert not any(isinstance(a, str) and len(a) > 8 and a in text for a in incidents["address"].head(200))
    block = incident_block(text)
    strings = unpack_incidents(block)["strings"]
    for j, label in enumerate(LABELS.values()):
        drawn = {r["fields"][label] for r in expected if label in r["fields"]}
        assert len(strings[j]) == len(set(strings[j])) == len(drawn) and set(strings[j]) == drawn, label
    assert len(strings[list(LABELS).index("station")]) < 100  # a few stations for thousands of incidents


def test_python_and_browser_unpack_alike(awkward, area_set, browser, tmp_path):
    path = maps.save(maps.incident_map(awkward, areas=area_set, tile_url=""), tmp_path / "alike.html")
    block = incident_block(path.read_text(encoding="utf-8"))
    visit = browser.open(path, ready=READY, evaluate="""(async () => {
        const el = [...document.querySelectorAll('script[type="application/json"]')]
            .find(e => e.textContent.includes('"pointOrigin"'));
        const u = await anshinMaps.unpackIncidents(JSON.parse(el.textContent));
        const plain = (o) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, Array.from(v)]));
        return {strings: u.strings, points: plain(u.points), attrs: plain(u.attrs)};
    })()""")
    assert visit.result == unpack_incidents(block)


def test_a_browser_without_decompression_says_so(awkward, area_set, browser, tmp_path):
    page = maps.render_html(maps.incident_map(awkward, areas=area_set, tile_url=""))
    path = tmp_path / "old_browser.html"
    path.write_text(page.replace("<head>", "<head><script>window.DecompressionStream = undefined;</script>", 1),
                    encoding="utf-8")
    visit = browser.open(path, ready=READY, evaluate="document.querySelector('.anshin-filter').textContent")
    assert any("could not be unpacked" in m for m in visit.console_errors), visit.console_messages
    assert "展開できませんでした" in visit.result
    assert not [u for u in visit.requests if not u.startswith("file:")], visit.requests


def test_an_empty_map_packs_and_draws(area_set, browser, tmp_path):
    frame = pd.DataFrame({"category": ["threat"], "occurred_at": [None], "lat": [None], "lon": [None]})
    path = maps.save(maps.incident_map(frame, areas=area_set, tile_url=""), tmp_path / "empty.html")
    visit = browser.open(path, ready=READY, evaluate=f"[{RECORDS}, document.querySelector('.anshin-filter').dataset.shown]")
    assert_no_request_left_the_file(visit)
    assert visit.result == [[], "0"]


# ---------------------------------------------------------------------------
# The packing itself (Python both ways)

texts = st.text(st.characters(codec="utf-8"), max_size=12)


@st.composite
def packed_rows(draw):
    n = draw(st.integers(0, 40))
    k = draw(st.integers(0, 4))
    strings = [draw(st.lists(texts, max_size=8, unique=True)) for _ in range(k)]
    coordinate = st.floats(-180, 180, allow_nan=False)
    lat = np.array(draw(st.lists(st.floats(-90, 90, allow_nan=False), min_size=n, max_size=n)), dtype=float)
    lon = np.array(draw(st.lists(coordinate, min_size=n, max_size=n)), dtype=float)
    offsets = np.array(draw(st.lists(st.integers(-1, 10 ** 7), min_size=n, max_size=n)), dtype=np.int64)
    codes = np.array([[draw(st.integers(-1, len(table) - 1)) for table in strings] for _ in range(n)],
                     dtype=np.int64).reshape(n, k)
    return lat, lon, offsets, codes, strings


@settings(max_examples=150, deadline=None)
@given(packed_rows())
def test_unpacking_returns_what_was_packed(rows):
    lat, lon, offsets, codes, strings = rows
    n, k = len(lat), len(strings)
    block = {"categories": [{"code": "a", "count": n // 2}, {"code": "b", "count": n - n // 2}],
             "fields": [f"f{j}" for j in range(k)], **pack_incidents(lat, lon, offsets, codes, strings)}
    plain = unpack_incidents(json.loads(json.dumps(block)))
    assert plain["strings"] == strings
    got_lat = np.array(plain["points"]["a"][0::2] + plain["points"]["b"][0::2])
    got_lon = np.array(plain["points"]["a"][1::2] + plain["points"]["b"][1::2])
    assert np.array_equal(got_lat, np.rint(lat * 1e6) / 1e6) and np.array_equal(got_lon, np.rint(lon * 1e6) / 1e6)
    rows_out = np.array(plain["attrs"]["a"] + plain["attrs"]["b"], dtype=np.int64).reshape(n, k + 1)
    assert np.array_equal(rows_out[:, 0], offsets) and np.array_equal(rows_out[:, 1:], codes)
