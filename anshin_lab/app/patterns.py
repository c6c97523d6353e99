"""The analyst's patterns over a workspace's incidents: series, near repeats, hot spots, and a series' draft.

Each entry point reads the stored incidents through the catalog
(``read_incidents``, filtered by period, category and station), projects
what the analysis needs and calls the pure analysis: ``series_of``
(``analysis.series.link_series``), ``near_repeat_of``
(``analysis.near_repeat.knox_test``) and ``hotspots_of``
(``analysis.hotspots``: Gi* over the small areas, a kernel density surface,
the weekday × hour table). ``draft_series`` builds the alert a series seeds
(``drafting.series_alert``: 「同様の事案が続いています」 with the published
areas only) and ``store_series_draft`` asks ``anshin service`` to store it
as a draft. The results are for analysts inside the workspace (部外秘).
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from anshin_lab.analysis import hotspots as hotspot_analysis
from anshin_lab.analysis.near_repeat import PERMUTATIONS, SPACE_BANDS_M, TIME_BANDS_DAYS, KnoxResult, knox_test
from anshin_lab.analysis.series import SeriesResult, link_series
from anshin_lab.app.catalog import load_areas, read_incidents
from anshin_lab.app.client import ServiceClient
from anshin_lab.app.workspace import require_workspace
from anshin_lab.core.errors import ParameterError, WorkflowError
from anshin_lab.core.dates import TOKYO
from anshin_lab.core.geo import METRIC_CRS
from anshin_lab.core.glossary import CATEGORIES
from anshin_lab.core.granularity import Granularity
from anshin_lab.drafting.mail import AlertDraft, MobileLimits
from anshin_lab.drafting.series_alert import draft_series_alert

__all__ = ["HotspotResult", "PatternFilter", "draft_series", "hotspots_of", "near_repeat_of", "read_pattern_incidents",
           "knox_cells", "series_of", "series_table", "store_series_draft"]

SERIES_CATEGORY = "threat"  # series of 脅威事犯 (声かけ・つきまとい …), as the analysts ask


@dataclass(frozen=True)
class PatternFilter:
    """Which stored incidents an analysis reads: a period (dates, inclusive), a category code, a station."""

    since: object = None
    until: object = None
    category: str | None = None
    station: str | None = None

    def describe(self) -> str:
        """「2026-06-01〜2026-11-30・脅威事犯・鹿児島中央警察署」 (「全期間」 when nothing is chosen)."""
        parts = []
        if self.since is not None or self.until is not None:
            parts.append(f"{self.since or ''}〜{self.until or ''}")
        if self.category:
            parts.append(CATEGORIES.get(self.category, self.category))
        if self.station:
            parts.append(self.station)
        if not self.category:
            parts.append("全分類")
        return "・".join(parts)


def read_pattern_incidents(workspace=None, chosen: PatternFilter = PatternFilter()) -> gpd.GeoDataFrame:
    """The stored incidents ``chosen`` selects, oldest first (``until`` is the last day included)."""
    until = None if chosen.until is None else pd.Timestamp(chosen.until) + pd.Timedelta(days=1)
    incidents = read_incidents(workspace, since=chosen.since, until=until, category=chosen.category)
    if chosen.station:
        incidents = incidents[incidents["station"].astype(str) == str(chosen.station)]
    return incidents.reset_index(drop=True)


def series_of(workspace=None, chosen: PatternFilter | None = None, *, max_km: float = 3.0, max_days: int = 30,
              **options) -> tuple[SeriesResult, gpd.GeoDataFrame]:
    """Candidate series among the chosen incidents (脅威事犯 unless another category is chosen), and those incidents."""
    chosen = chosen or PatternFilter(category=SERIES_CATEGORY)
    incidents = read_pattern_incidents(workspace, chosen)
    options.setdefault("categories", (chosen.category,) if chosen.category else None)
    return link_series(incidents, max_km=max_km, max_days=max_days, **options), incidents


SERIES_TABLE_COLUMNS = {"series_id": "系列", "size": "件数", "score": "スコア", "first_at": "最初", "last_at": "最後",
                        "stations": "管轄署", "crosses_stations": "署をまたぐ", "reasons": "つながりの理由"}


def series_table(series: pd.DataFrame) -> pd.DataFrame:
    """The candidate series as an analyst reads them: Japanese columns, times to the minute, reasons as one text."""
    def minute(value) -> str:
        return "" if value is None or pd.isna(value) else f"{pd.Timestamp(value).tz_convert(TOKYO):%Y-%m-%d %H:%M}"

    def joined(value) -> str:
        return "、".join(map(str, value)) if isinstance(value, (list, tuple)) else str(value)

    shown = series.assign(
        first_at=series["first_at"].map(minute), last_at=series["last_at"].map(minute),
        score=series["score"].map(lambda v: "" if pd.isna(v) else f"{float(v):.2f}"),
        crosses_stations=series["crosses_stations"].map(lambda v: "はい" if bool(v) else ""),
        stations=series["stations"].map(lambda v: "・".join(v) if isinstance(v, (list, tuple)) else str(v)),
        reasons=series["reasons"].map(joined))
    return shown[list(SERIES_TABLE_COLUMNS)].rename(columns=SERIES_TABLE_COLUMNS).reset_index(drop=True)


def near_repeat_of(workspace=None, chosen: PatternFilter = PatternFilter(), *, permutations: int = PERMUTATIONS,
                   seed: int = 0, space_bands_m=SPACE_BANDS_M, time_bands_days=TIME_BANDS_DAYS) -> KnoxResult:
    """The Knox test over the chosen incidents with a place (projected to metres, EPSG:6670)."""
    incidents = read_pattern_incidents(workspace, chosen)
    located = incidents[incidents["lat"].notna() & incidents["lon"].notna()]
    points = gpd.GeoSeries(gpd.points_from_xy(located["lon"], located["lat"]), crs=4326).to_crs(METRIC_CRS)
    frame = pd.DataFrame({"x": points.x.to_numpy(), "y": points.y.to_numpy(),
                          "occurred_at": located["occurred_at"].to_numpy()})
    return knox_test(frame, space_bands_m=space_bands_m, time_bands_days=time_bands_days,
                     permutations=permutations, seed=seed, x="x", y="y", t="occurred_at")


def knox_cells(result: KnoxResult, *, value: str = "ratio") -> pd.DataFrame:
    """The Knox table as the Near Repeat Calculator shows it: distance rows (距離) × time columns (期間).

    Each cell reads 「1.52(p=0.004)*」: the observed/expected ratio (「–」
    where nothing was expected), its p-value, and a star where the cell holds
    significantly more pairs than chance; ``value="observed"`` shows the
    observed pairs instead of the ratio.
    """
    table = result.table

    def cell(row) -> str:
        if value == "observed":
            main = f"{int(row['observed']):,}"
        else:
            main = "–" if pd.isna(row["ratio"]) else f"{row['ratio']:.2f}"
        more = pd.notna(row["ratio"]) and row["ratio"] > 1
        return f"{main}(p={row['p_value']:.3f}){'*' if bool(row['significant']) and more else ''}"

    frame = table.assign(cell=table.apply(cell, axis=1)).pivot(index="space_band", columns="time_band", values="cell")
    frame = frame.reindex(index=table["space_band"].unique(), columns=table["time_band"].unique())
    frame.index.name, frame.columns.name = "距離", "期間"
    return frame


@dataclass
class HotspotResult:
    """Hot spots of the chosen incidents: Gi* per small area, the density surface, the weekday × hour table."""

    areas: gpd.GeoDataFrame  # small areas (EPSG:4326): name, count, analysis.hotspots.GI_COLUMNS, hotspot
    density: dict  # {"grid": rows north to south, "bounds": (minx, miny, maxx, maxy) degrees, "bandwidth_m", "cell_m"}
    weekday_hour: pd.DataFrame  # 曜日 (月…日) × 時 (0…23)
    incidents: int
    filters: PatternFilter


KDE_BANDWIDTH_M = 500.0
KDE_MIN_CELL_M = 200.0
KDE_MAX_CELLS_PER_SIDE = 400  # the surface's cells grow with the area covered, so the image stays small
KDE_COVER = 0.9  # the share of the incidents, nearest their median, whose box (plus the bandwidth) the surface spans


def hotspots_of(workspace=None, chosen: PatternFilter = PatternFilter(), *, permutations: int = 999, seed: int = 0,
                fdr: float = hotspot_analysis.FDR, bandwidth_m: float = KDE_BANDWIDTH_M) -> HotspotResult:
    """Gi* over the small areas (counts of the chosen incidents, FDR-corrected), a kernel density, weekday × hour.

    The small areas are those of the workspace's layer (queen contiguity);
    ``hotspot`` is ``"hot"``, ``"cold"`` or ``"none"``. The density is the
    quartic kernel of ``bandwidth_m`` over the incidents with a place.
    """
    ws = require_workspace(workspace)
    incidents = read_pattern_incidents(ws.root, chosen)
    area_set = load_areas(ws.root)
    chome = area_set.layer(Granularity.CHOME)
    assigned = area_set.assign(incidents) if len(incidents) else incidents
    codes = assigned["chome_code"].dropna().astype(str) if "chome_code" in assigned else pd.Series(dtype=str)
    layer = gpd.GeoDataFrame({"area_code": chome["area_code"].astype(str).to_numpy(),
                              "name": (chome["city"].astype(str) + chome["name"].astype(str)).to_numpy()},
                             geometry=chome.geometry.to_numpy(), crs=chome.crs)
    layer["count"] = layer["area_code"].map(codes.value_counts()).fillna(0).astype(int)
    gi = hotspot_analysis.gi_star(layer, "count", permutations=permutations, fdr=fdr, seed=seed)
    gi["hotspot"] = np.where(gi["hot"], "hot", np.where(gi["cold"], "cold", "none"))
    located = incidents[incidents["lat"].notna() & incidents["lon"].notna()]
    return HotspotResult(gi.to_crs(4326), density_surface(located, bandwidth_m),
                         hotspot_analysis.weekday_hour_table(incidents["occurred_at"]), len(incidents), chosen)


def density_surface(located: pd.DataFrame, bandwidth_m: float = KDE_BANDWIDTH_M) -> dict:
    """The kernel density of the points as an image grid (north up) with its bounds in degrees."""
    if not len(located):
        return {"grid": np.zeros((1, 1)), "bounds": (0.0, 0.0, 0.0, 0.0), "bandwidth_m": bandwidth_m, "cell_m": 0.0}
    points = gpd.GeoSeries(gpd.points_from_xy(located["lon"], located["lat"]), crs=4326).to_crs(METRIC_CRS)
    xy = np.column_stack([points.x.to_numpy(), points.y.to_numpy()])
    # The surface covers the incidents nearest their median (far islands' few would make every cell kilometres wide).
    distance = np.hypot(*(xy - np.median(xy, axis=0)).T)
    core = xy[distance <= np.quantile(distance, KDE_COVER)]
    low, high = core.min(axis=0) - bandwidth_m, core.max(axis=0) + bandwidth_m
    cell_m = max(KDE_MIN_CELL_M, float((high - low).max()) / KDE_MAX_CELLS_PER_SIDE)
    cells = hotspot_analysis.kernel_density(xy, bandwidth_m=bandwidth_m, cell_m=cell_m, extent=(*low, *high))
    columns = int(cells["x"].nunique())
    grid = cells["density"].to_numpy().reshape(-1, columns)[::-1]  # rows from the south-west: flip to north up
    corners = gpd.GeoSeries(gpd.points_from_xy([cells["x"].min() - cell_m / 2, cells["x"].max() + cell_m / 2],
                                               [cells["y"].min() - cell_m / 2, cells["y"].max() + cell_m / 2]),
                            crs=METRIC_CRS).to_crs(4326)
    bounds = (float(corners.x.iloc[0]), float(corners.y.iloc[0]), float(corners.x.iloc[1]), float(corners.y.iloc[1]))
    return {"grid": grid, "bounds": bounds, "bandwidth_m": bandwidth_m, "cell_m": cell_m}


def draft_series(workspace, series_id, chosen: PatternFilter | None = None, *, max_km: float = 3.0,
                 max_days: int = 30, **options) -> AlertDraft:
    """The alert draft a series seeds (``drafting.series_alert``); ``WorkflowError`` naming the fix when none."""
    ws = require_workspace(workspace)
    result, incidents = series_of(ws.root, chosen, max_km=max_km, max_days=max_days, **options)
    found = result.series[result.series["series_id"].astype(str) == str(series_id)]
    if found.empty:
        known = "、".join(map(str, result.series["series_id"].head(5)))
        raise WorkflowError(f"系列「{series_id}」は見つかりません(同じ条件の anshin patterns series の「系列」の番号を"
                            f"指定してください{'。例: ' + known if known else ''})")
    ids = {str(i) for i in found.iloc[0]["incident_ids"]}
    members = incidents[incidents["incident_id"].astype(str).isin(ids)]
    if len(members) < 2:
        raise ParameterError(f"系列「{series_id}」の事案が2件未満です")
    limits = MobileLimits(ws.settings.subject_max_chars, ws.settings.body_max_chars)
    return draft_series_alert(members, load_areas(ws.root), limits=limits)


def store_series_draft(client: ServiceClient, made: AlertDraft) -> dict:
    """Ask the service (``client`` logged in as an analyst) to store the series' alert as a draft: the answer."""
    return client.create_alert_answer(
        category=made.category, subject=made.subject, body=made.body, level=made.level,
        public_text=made.public_text, assessed_level=made.assessed_level, area_codes=made.area_codes,
        incident_ids=list(made.incident_ids))
