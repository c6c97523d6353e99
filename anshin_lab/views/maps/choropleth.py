"""Choropleths: counts (or counts per 1,000 households) by area, shaded in quantile classes."""

from __future__ import annotations

import folium
import numpy as np
import pandas as pd

from anshin_lab.core.errors import DataError
from anshin_lab.core.granularity import Granularity
from anshin_lab.views.maps.assets import MapCall
from anshin_lab.views.maps.basemap import BASEMAP_STYLE, area_label, base_map, encoded_layer, finish_map, resolve_areas

__all__ = ["CHOROPLETH_COLOURS", "choropleth"]

# ColorBrewer YlOrRd, lightest first (choropleth classes).
CHOROPLETH_COLOURS = ("#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#f03b20", "#bd0026")
NO_RATE_COLOUR = "#c8c8c8"


def choropleth(counts, level, *, areas=None, per_1000: bool | None = None, min_households: int = 1,
               title: str | None = None, bins: int = 5, tile_url: str | None = None,
               tile_attribution: str | None = None, confidential: bool = False, bounds=None,
               counted: str = "件数") -> folium.Map:
    """A choropleth of counts by area, per 1,000 households where that makes sense.

    Parameters
    ----------
    counts : Series or DataFrame
        Counts by ``area_code`` at ``level``: a Series indexed by area code,
        or a frame with ``area_code`` and ``count`` columns (e.g.
        ``areas.rate_per_1000_households``). Areas not listed count 0.
    level : Granularity or str
        CHOME, TOWN, CITY or PREF.
    areas : AreaSet, optional
        The default workspace's when None.
    per_1000 : bool, optional
        Shade by count per 1,000 households (default: yes below PREF, where
        there is more than one area to compare).
    min_households : int
        Areas with fewer households get no rate (grey): a rate of few homes means nothing.
    bins : int
        Number of classes (quantiles of the non-zero values), at most 5, plus one for 0.
    confidential : bool
        Mark the map 部外秘 (small counts in small areas can point at people).
    bounds : (minx, miny, maxx, maxy), optional
        The first view in degrees; the whole layer when None.
    counted : str
        What the counts are, for the legend (「件数」, 「会員数」).

    Raises
    ------
    DataError
        When a code is not an area of ``level`` (counts of another level?).
    """
    area_set = resolve_areas(areas)
    level = Granularity.parse(level)
    if level < Granularity.CHOME:
        raise ValueError(f"choropleth levels are CHOME, TOWN, CITY and PREF, not {level.name}")
    layer = area_set.layer(level)
    series = _count_series(counts)
    unknown = sorted(set(series.index) - set(layer["area_code"].astype(str)))
    if unknown:
        raise DataError(f"{level.label}にない地域コードがあります: {', '.join(unknown[:5])}"
                        f"{' ほか' if len(unknown) > 5 else ''}(別の区分の件数ではありませんか)")
    count = series.reindex(layer["area_code"].astype(str)).fillna(0).to_numpy(dtype=float)
    households = layer["households"].to_numpy(dtype=float)
    rate = level < Granularity.PREF if per_1000 is None else bool(per_1000)
    value = np.full(len(layer), np.nan)
    if rate:
        usable = households >= max(int(min_households), 1)
        value[usable] = count[usable] * 1000.0 / households[usable]
    else:
        value = count.copy()
    classes, index = _classes(value, min(max(int(bins), 1), len(CHOROPLETH_COLOURS) - 1), rate)
    unit = f"世帯1,000あたりの{counted}" if rate else counted
    title = title or f"{level.label}別の{unit}"
    encoded = encoded_layer(area_set, level)
    rows = []
    for i, (code, (_, row)) in enumerate(zip(layer["area_code"].astype(str), layer.iterrows())):
        rows.append([area_label(level, row), encoded[code], int(count[i]), int(households[i]),
                     None if np.isnan(value[i]) else round(float(value[i]), 3), int(index[i])])
    payload = {
        "title": title, "valueLabel": unit, "rate": rate, "line": BASEMAP_STYLE["cityLine"],
        "classes": classes, "nodata": [f"率なし(世帯数{max(int(min_households), 1):,}未満)", NO_RATE_COLOUR],
        "areas": rows,
    }
    view = layer.total_bounds if bounds is None else bounds
    m = base_map(area_set, title=title, bounds=view, tile_url=tile_url, tile_attribution=tile_attribution)
    m.add_child(MapCall("addChoropleth", payload))
    banner = ({"kind": "internal", "title": "部外秘", "subtitle": title} if confidential
              else {"kind": "public", "title": title, "subtitle": ""})
    return finish_map(m, banner)


def _count_series(counts) -> pd.Series:
    if isinstance(counts, pd.DataFrame):
        if not {"area_code", "count"} <= set(counts.columns):
            raise DataError("件数の表には area_code と count の列が必要です")
        series = counts.groupby(counts["area_code"].astype(str))["count"].sum()
    else:
        series = pd.Series(counts)
        series.index = series.index.astype(str)
        series = series.groupby(level=0).sum()
    return pd.to_numeric(series, errors="coerce").fillna(0)


def _classes(value: np.ndarray, bins: int, rate: bool) -> tuple[list, np.ndarray]:
    """Legend classes [label, colour] and each value's class (-1: no value): 0 first, then quantiles."""
    fmt = (lambda v: f"{v:,.2f}") if rate else (lambda v: f"{v:,.0f}")
    index = np.full(len(value), -1, dtype=np.int64)
    classes = [["0", CHOROPLETH_COLOURS[0]]]
    index[value == 0] = 0
    positive = value[np.isfinite(value) & (value > 0)]
    if len(positive):
        edges = np.unique(np.quantile(positive, np.linspace(0, 1, bins + 1)))
        if len(edges) == 1:
            edges = np.array([edges[0], edges[0]])
        colours = CHOROPLETH_COLOURS[1:][-(len(edges) - 1):] if len(edges) - 1 < bins else CHOROPLETH_COLOURS[1:bins + 1]
        for k in range(len(edges) - 1):
            classes.append([f"{fmt(edges[k])}〜{fmt(edges[k + 1])}", colours[k]])
        mask = np.isfinite(value) & (value > 0)
        which = np.clip(np.searchsorted(edges, value[mask], side="left") - 1, 0, len(edges) - 2)
        index[mask] = 1 + which
    return classes, index
