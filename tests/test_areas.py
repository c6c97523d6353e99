import geopandas as gpd
import pytest
import shapely

from anshin_lab import places
from anshin_lab.core.geo import METRIC_CRS, WGS84


@pytest.fixture(scope="module")
def small_areas():
    from .conftest import REFERENCE
    frame = places.build_small_areas(REFERENCE)
    frame["station"] = places.assign_stations(frame, places.load_station_table(REFERENCE))
    return frame


def test_census_totals_match_the_prefecture(reference_dir):
    census = places.load_census(reference_dir)
    assert census["population"].sum() == 1_648_177  # every inhabited part, summed by KEY_CODE
    assert census["key_code"].is_unique
    kagoshima = census[census["city_code"] == "46201"]
    assert len(kagoshima) == 370
    assert kagoshima["households"].sum() == 270_269


def test_cells_tile_each_municipality(small_areas, reference_dir):
    metric = small_areas.to_crs(METRIC_CRS)
    cities = places.load_municipalities(reference_dir).to_crs(METRIC_CRS).set_index("city_code")
    assert small_areas.geometry.is_valid.all() and not small_areas.geometry.is_empty.any()
    per_city = metric.dissolve("city_code").area
    assert (abs(per_city - cities.area[per_city.index]) / cities.area[per_city.index]).max() < 1e-6
    # Cells do not overlap: their areas add up to the union's.
    assert metric.area.sum() == pytest.approx(shapely.union_all(metric.geometry.to_numpy()).area, rel=1e-6)


def test_every_census_point_on_land_lies_in_its_own_cell(small_areas):
    points = gpd.GeoSeries(gpd.points_from_xy(small_areas["lon"], small_areas["lat"]), crs=WGS84)
    inside = small_areas.geometry.contains(points)
    # Points just off the simplified coast have their cell clipped away from them.
    assert inside.mean() > 0.85


def test_every_area_has_a_station_and_kagoshima_city_is_split(small_areas):
    assert small_areas["station"].notna().all()
    city = small_areas[small_areas["city_code"] == "46201"]
    assert set(city["station"]) == {"鹿児島中央警察署", "鹿児島西警察署", "鹿児島南警察署"}
    assert small_areas.loc[small_areas["name"] == "谷山中央1丁目", "station"].iloc[0] == "鹿児島南警察署"


def test_station_table_is_marked_as_sample(reference_dir):
    head = (reference_dir / places.STATIONS_FILE).read_text(encoding="utf-8").splitlines()[0]
    assert "SAMPLE DATA" in head
