"""Hot spots (analysis/hotspots.py): Gi* against PySAL's own example data, kernel density, weekday × hour."""

import geopandas as gpd
import libpysal
import numpy as np
import pandas as pd
import pytest
import shapely
from libpysal import examples

from anshin_lab.analysis.hotspots import GI_COLUMNS, gi_star, kernel_density, weekday_hour_table
from anshin_lab.core.errors import ParameterError

# esda's G_Local docstring and tests (esda 2.9.0, getisord.py): six points, a 15-unit distance band, Gi*.
ESDA_POINTS = [(10, 10), (20, 10), (40, 10), (15, 20), (30, 20), (30, 30)]
ESDA_Y = [2, 3, 3.2, 5, 8, 7]
ESDA_ZS_BINARY = [-1.39727626, -0.28917762, 0.65064964, -0.28917762, 1.23452088, 2.02424331]
ESDA_ZS_ROW = [-0.62488094, -0.09144599, 0.41150696, -0.09144599, 0.24690418, 1.28024388]


@pytest.fixture(scope="module")
def columbus() -> gpd.GeoDataFrame:
    """PySAL's Columbus, Ohio neighbourhoods (49 areas, CRIME per 1,000 households), shipped with libpysal."""
    return gpd.read_file(examples.get_path("columbus.shp"))


def textbook_gi_star_z(values: np.ndarray, neighbours: dict[int, list[int]]) -> np.ndarray:
    """Getis & Ord (1995) Gi* z with binary weights, self included: written out, not taken from esda."""
    n = len(values)
    w = np.eye(n)
    for i, js in neighbours.items():
        w[i, js] = 1.0
    mean, s = values.mean(), np.sqrt((values ** 2).mean() - values.mean() ** 2)
    wi, s1 = w.sum(axis=1), (w ** 2).sum(axis=1)
    return (w @ values - mean * wi) / (s * np.sqrt((n * s1 - wi ** 2) / (n - 1)))


@pytest.mark.parametrize("transform, published", [("B", ESDA_ZS_BINARY), ("R", ESDA_ZS_ROW)])
def test_gi_star_matches_esdas_published_values(transform, published):
    points = gpd.GeoDataFrame({"y": ESDA_Y}, geometry=gpd.points_from_xy(*zip(*ESDA_POINTS)))
    result = gi_star(points, "y", weights=15, transform=transform, permutations=99)
    np.testing.assert_allclose(result["z"], published, rtol=1e-7)
    assert set(GI_COLUMNS) <= set(result.columns) and result.index.equals(points.index)


def test_gi_star_on_columbus_matches_the_published_neighbours_and_the_textbook_formula(columbus):
    result = gi_star(columbus, "CRIME", weights="queen", permutations=999, seed=1)
    # columbus.gal is the neighbour file PySAL publishes with the data (ids 1…49 in the rows' order).
    gal = libpysal.io.open(examples.get_path("columbus.gal")).read()
    neighbours = {int(k) - 1: [int(j) - 1 for j in js] for k, js in gal.neighbors.items()}
    values = columbus["CRIME"].to_numpy(float)
    np.testing.assert_allclose(result["z"], textbook_gi_star_z(values, neighbours), rtol=1e-9)
    # The same statistic from weights given as the published W.
    from_gal = gi_star(columbus, "CRIME", weights=gal, permutations=999, seed=1)
    np.testing.assert_allclose(from_gal["z"], result["z"], rtol=1e-12)
    np.testing.assert_allclose(from_gal["p_sim"], result["p_sim"])
    # High-crime neighbourhoods sit together: the strongest z is a hot spot, the weakest a cold one.
    assert result.loc[result["z"].idxmax(), "hot"] and result.loc[result["z"].idxmin(), "cold"]
    assert not (result["hot"] & result["cold"]).any()
    assert set(result.loc[result["hot"], "spot"]) == {"ホットスポット"}


def grid(side: int, cell: float = 500.0) -> gpd.GeoDataFrame:
    boxes = [shapely.box(c * cell, r * cell, (c + 1) * cell, (r + 1) * cell) for r in range(side) for c in range(side)]
    return gpd.GeoDataFrame({"row": np.repeat(np.arange(side), side), "col": np.tile(np.arange(side), side)},
                            geometry=boxes, crs="EPSG:6670")


def test_fdr_keeps_chance_hits_out_and_the_planted_cluster_in():
    rng = np.random.default_rng(3)
    areas = grid(15)
    areas["count"] = rng.poisson(3, len(areas))
    cluster = areas["row"].between(5, 8) & areas["col"].between(5, 8)
    areas.loc[cluster, "count"] += rng.poisson(9, int(cluster.sum()))
    result = gi_star(areas, "count", weights="queen", permutations=999, seed=0)
    core = areas["row"].between(6, 7) & areas["col"].between(6, 7)
    assert result.loc[core, "hot"].all()
    far = (areas["row"] - 6.5).abs().clip(lower=(areas["col"] - 6.5).abs()) >= 4
    assert not result.loc[far, "hot"].any()
    # Without the correction more areas would pass: p_sim ≤ 0.05 alone flags areas the FDR keeps out.
    raw = (result["p_sim"] <= 0.05) & (result["z"] > 0)
    assert raw.sum() > result["hot"].sum()
    assert (result["q_value"] >= result["p_sim"]).all()
    # The other weights give the cluster too; a geographic CRS is projected first.
    knn = gi_star(areas.to_crs("EPSG:4326"), "count", weights="knn", k=8, permutations=999)
    band = gi_star(areas, "count", weights=800.0, permutations=999)
    assert knn.loc[core, "hot"].all() and band.loc[core, "hot"].all()


def test_gi_star_errors_name_the_fix(columbus):
    with pytest.raises(ParameterError, match="列「件数」がありません"):
        gi_star(columbus, "件数")
    with pytest.raises(ParameterError, match="weights"):
        gi_star(columbus, "CRIME", weights="rook")


def test_kernel_density_is_the_normalised_quartic_kernel():
    h = 200.0
    surface = kernel_density(np.array([[505.0, 505.0]]), bandwidth_m=h, cell_m=10, extent=(0, 0, 1000, 1000))
    assert len(surface) == 100 * 100 and surface.crs == "EPSG:6670"
    peak = surface.loc[surface["density"].idxmax()]
    assert (peak["x"], peak["y"]) == (505.0, 505.0)
    assert peak["density"] == pytest.approx(3 / (np.pi * h ** 2) * 1e6)  # events per km² at the point itself
    # One event spreads one event over the disc: density × cell area sums to 1.
    assert (surface["density"] * 1e-4).sum() == pytest.approx(1.0, abs=1e-3)
    assert surface.loc[np.hypot(surface["x"] - 505, surface["y"] - 505) >= h, "density"].eq(0).all()
    at_half = surface[(surface["x"] == 605.0) & (surface["y"] == 505.0)]["density"].iloc[0]
    assert at_half == pytest.approx(3 / (np.pi * h ** 2) * 1e6 * (1 - 0.25) ** 2)


def test_kernel_density_adds_events_and_reads_frames():
    points = pd.DataFrame({"x": [1000.0, 1000.0, 3000.0], "y": [1000.0, 1000.0, 1000.0]})
    surface = kernel_density(points, bandwidth_m=300, cell_m=50)
    assert (surface["density"] * 50 * 50 * 1e-6).sum() == pytest.approx(3.0, abs=0.01)
    left = surface[surface["x"] < 2000]["density"].max()
    right = surface[surface["x"] > 2000]["density"].max()
    assert left == pytest.approx(2 * right)


def test_weekday_hour_table_counts_in_tokyo_time():
    times = pd.Series(pd.to_datetime([
        "2026-12-01T15:30:00Z",  # 水 00:30 in Tokyo (Tuesday in UTC)
        "2026-12-02T00:10:00+09:00",  # 水 00:10
        "2026-12-06T23:59:00+09:00",  # 日 23:59
    ], format="ISO8601", utc=True))
    table = weekday_hour_table(times)
    assert table.shape == (7, 24)
    assert list(table.index) == ["月", "火", "水", "木", "金", "土", "日"] and list(table.columns) == list(range(24))
    assert table.loc["水", 0] == 2 and table.loc["日", 23] == 1 and table.to_numpy().sum() == 3
    naive = weekday_hour_table([pd.Timestamp("2026-12-07 08:00")])  # naive: taken as Tokyo time
    assert naive.loc["月", 8] == 1
    assert weekday_hour_table([]).to_numpy().sum() == 0
