"""The analyst's pattern maps (views/patterns.py) open offline in real Chromium and draw their series and hot spots."""

from __future__ import annotations

import pytest

from anshin_lab.app import patterns
from anshin_lab.app.catalog import load_areas
from anshin_lab.views import maps
from anshin_lab.views import patterns as views

from .browser import Browser, pixel_counts

READY = "window.anshinMapReady === true"


@pytest.mark.slow
def test_series_and_hot_spot_maps_draw_offline(imported_workspace, tmp_path):
    result, incidents = patterns.series_of(imported_workspace.root)
    hot = patterns.hotspots_of(imported_workspace.root)  # 999 permutations: fewer cannot pass the FDR
    area_set = load_areas(imported_workspace.root)
    series_html = maps.save(views.series_map(result.series, incidents, areas=area_set), tmp_path / "series.html")
    hot_html = maps.save(views.hotspot_map(hot.areas, density=hot.density, areas=area_set), tmp_path / "hot.html")
    with Browser() as browser:
        series_visit = browser.open(series_html, ready=READY, settle_ms=300, screenshot=tmp_path / "series.png")
        hot_visit = browser.open(hot_html, ready=READY, settle_ms=300, screenshot=tmp_path / "hot.png",
                                 evaluate="document.querySelectorAll('img.leaflet-image-layer').length")
    assert series_visit.clean, series_visit.problems()
    assert hot_visit.clean, hot_visit.problems()
    assert len(result.series) > 5
    drawn = pixel_counts(series_visit.screenshot, {c: c for c in views.SERIES_COLOURS[:3]}, tolerance=12)
    assert all(count > 20 for count in drawn.values()), drawn  # the first series' points and lines are in view
    assert hot_visit.result == 1  # the density surface, drawn from a data URI (nothing fetched)
    assert (hot.areas["hotspot"] == "hot").any()
    hot_pixels = pixel_counts(hot_visit.screenshot, {"hot": views.GI_STYLES["hot"][1]}, tolerance=30)["hot"]
    assert hot_pixels > 50, hot_pixels
