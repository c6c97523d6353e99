"""The AreaSet: every level from 町丁目 to 鹿児島県, and placing incidents in all of them."""

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from anshin_lab import places
from anshin_lab.app.catalog import load_areas, read_incidents
from anshin_lab.core.geo import METRIC_CRS, WGS84
from anshin_lab.core.granularity import Granularity

from .conftest import REFERENCE

SHIBAHARA_3 = "46201318003"  # 鹿児島市紫原3丁目
SHIBAHARA = "462013180"  # 鹿児島市紫原 (大字・町)
KAGOSHIMA_CITY = "46201"
EMPTY_AREA = "462013270"  # 鹿児島市中央港新町: no households in 2015
TOKYO_STATION = (35.6812, 139.7671)
# 枕崎市恵比須町: its census point lies just off the simplified coast.
OFF_COAST_AREA = "462040220"


@pytest.fixture(scope="module")
def area_set(built_workspace):
    return load_areas(built_workspace.root)


@pytest.fixture(scope="module")
def chome(area_set):
    return area_set.layer(Granularity.CHOME).set_index("area_code")


def incidents(rows: list[dict]) -> pd.DataFrame:
    """A small incident frame with the canonical location columns."""
    frame = pd.DataFrame(rows, columns=["incident_id", "address", "lat", "lon"])
    frame[["lat", "lon"]] = frame[["lat", "lon"]].astype(float)
    return frame


# -- levels ------------------------------------------------------------------


def test_each_level_has_the_common_columns_in_wgs84(area_set):
    for level in places.AREA_LEVELS:
        layer = area_set.layer(level)
        assert {"area_code", "name", "population", "households", "geometry"} <= set(layer.columns), level
        assert layer.crs == WGS84
        assert layer["area_code"].is_unique
        assert layer.geometry.is_valid.all() and not layer.geometry.is_empty.any()
    assert len(area_set.layer(Granularity.CHOME)) == 1731
    assert len(area_set.layer(Granularity.CITY)) == 43
    pref = area_set.layer(Granularity.PREF)
    assert pref["area_code"].tolist() == ["46"] and pref["name"].tolist() == ["鹿児島県"]


def test_households_add_up_to_the_census_at_every_level(area_set):
    census = places.load_census(REFERENCE)
    by_city = census.groupby("city_code")["households"].sum()
    city = area_set.layer(Granularity.CITY).set_index("area_code")["households"]
    pd.testing.assert_series_equal(city.loc[by_city.index], by_city, check_names=False)
    assert area_set.households(Granularity.CITY, KAGOSHIMA_CITY) == 270_269
    for level in places.AREA_LEVELS:
        assert area_set.layer(level)["households"].sum() == census["households"].sum(), level
        assert area_set.layer(level)["population"].sum() == 1_648_177, level


def test_towns_dissolve_the_chome_of_one_oaza(area_set, chome):
    members = chome[chome["town_code"] == SHIBAHARA]
    assert set(members["name"]) == {f"紫原{n}丁目" for n in range(1, 8)}
    town = area_set.area(Granularity.TOWN, SHIBAHARA)
    assert town["name"] == "紫原"
    assert town["households"] == members["households"].sum()
    metric = gpd.GeoSeries([town.geometry, *members.geometry], crs=WGS84).to_crs(METRIC_CRS)
    assert metric.iloc[0].area == pytest.approx(metric.iloc[1:].area.sum(), rel=1e-6)
    assert set(members["town"]) == {"紫原"}


@pytest.mark.parametrize("name, town", [
    ("紫原3丁目", "紫原"), ("湊一丁目", "湊"), ("桜ヶ丘３丁目", "桜ヶ丘"), ("志布志3丁目(3~)", "志布志"),
    ("西紫原町", "西紫原町"), ("伊集院町郡", "伊集院町郡"),
])
def test_town_name_drops_the_chome(name, town):
    assert places.town_name(name) == town


def test_towns_split_into_koaza_are_named_by_their_oaza(area_set):
    towns = area_set.layer(Granularity.TOWN).set_index("area_code")["name"]
    assert towns["462180350"] == "溝辺町有川"  # 小字: 溝辺町有川切門, 溝辺町有川永尾, …
    assert towns["465300010"] == "亀津"  # 亀津南区, 亀津中区, …
    assert towns["462220650"] == "大字役勝"  # 大字役勝字上役勝, …


def test_lookups_and_parents(area_set):
    assert area_set.name(Granularity.CHOME, SHIBAHARA_3) == "紫原3丁目"
    assert area_set.name("town", SHIBAHARA) == "紫原"
    assert area_set.name(Granularity.CITY, KAGOSHIMA_CITY) == "鹿児島市"
    assert area_set.households(Granularity.CHOME, SHIBAHARA_3) == 1935
    assert area_set.parent_code(SHIBAHARA_3, Granularity.TOWN) == SHIBAHARA
    assert area_set.parent_code(SHIBAHARA_3, Granularity.CITY) == KAGOSHIMA_CITY
    assert area_set.parent_code(SHIBAHARA, Granularity.PREF) == "46"
    assert area_set.parent_code("462013190", Granularity.TOWN) == "462013190"  # 西紫原町: a town in one area
    assert area_set.level_of("462013190") == Granularity.CHOME
    with pytest.raises(ValueError):
        area_set.parent_code(KAGOSHIMA_CITY, Granularity.TOWN)
    with pytest.raises(KeyError):
        area_set.area(Granularity.CHOME, "46201999999")
    with pytest.raises(ValueError):
        area_set.layer(Granularity.BLOCK)


def test_the_approximation_is_declared(area_set):
    assert area_set.approximate is True
    assert area_set.note == places.APPROXIMATE_NOTE
    assert area_set.layer(Granularity.CHOME)["approximate"].all()


def test_station_districts_cover_every_household(area_set):
    stations = area_set.stations
    assert {"station", "name", "population", "households", "geometry"} <= set(stations.columns)
    assert stations["households"].sum() == area_set.layer(Granularity.PREF)["households"].iloc[0]
    assert {"鹿児島中央警察署", "鹿児島西警察署", "鹿児島南警察署"} <= set(stations["station"])


def test_load_areas_fails_clearly_on_an_uninitialised_workspace(tmp_path):
    from anshin_lab.core.errors import WorkspaceError

    with pytest.raises(WorkspaceError, match="anshin init"):
        load_areas(tmp_path / "nowhere")


# -- assign ------------------------------------------------------------------


def test_a_point_in_a_known_area_gets_every_level(area_set, chome):
    census = chome.loc[SHIBAHARA_3]
    result = area_set.assign(incidents([{"incident_id": "K-1", "address": "", "lat": census["lat"],
                                         "lon": census["lon"]}]))
    row = result.iloc[0]
    assert row["chome_code"] == SHIBAHARA_3
    assert row["town_code"] == SHIBAHARA
    assert row["city_code"] == KAGOSHIMA_CITY
    assert row["pref_code"] == "46"
    assert row["station_district"] == census["station"]
    assert row["placement"] == "point" and not row["approximate"]
    assert isinstance(result, gpd.GeoDataFrame) and result.crs == WGS84
    assert result.geometry.iloc[0].equals(shapely.Point(census["lon"], census["lat"]))


def test_a_point_just_off_the_coast_goes_to_the_nearest_area(area_set, chome):
    census = chome.loc[OFF_COAST_AREA]
    assert not chome.geometry.contains(shapely.Point(census["lon"], census["lat"])).any()
    result = area_set.assign(incidents([{"incident_id": "K-2", "address": "", "lat": census["lat"],
                                         "lon": census["lon"]}]))
    assert result["placement"].iloc[0] == "nearest"
    assert result["approximate"].iloc[0]
    assert result["chome_code"].iloc[0] == OFF_COAST_AREA
    assert result["city_code"].iloc[0] == "46204"


def test_a_point_in_tokyo_is_kept_as_outside(area_set):
    frame = incidents([{"incident_id": "K-3", "address": "東京都千代田区丸の内1丁目", "lat": TOKYO_STATION[0],
                        "lon": TOKYO_STATION[1]}])
    result = area_set.assign(frame)
    assert len(result) == 1
    row = result.iloc[0]
    assert row["placement"] == "outside" and not row["approximate"]
    for column in ("chome_code", "town_code", "city_code", "pref_code", "station_district"):
        assert pd.isna(row[column]), column


def test_rows_keep_their_order_index_and_count_and_the_input_is_untouched(area_set, chome):
    points = chome.sample(50, random_state=1)
    frame = incidents([{"incident_id": f"K-{i}", "address": "", "lat": lat, "lon": lon}
                       for i, (lat, lon) in enumerate(zip(points["lat"], points["lon"]))])
    frame.loc[len(frame)] = {"incident_id": "K-tokyo", "address": "", "lat": TOKYO_STATION[0],
                             "lon": TOKYO_STATION[1]}
    frame.loc[len(frame)] = {"incident_id": "K-none", "address": None, "lat": np.nan, "lon": np.nan}
    frame.index = np.arange(len(frame))[::-1] * 10  # a non-default index survives too
    before = frame.copy()
    result = area_set.assign(frame)
    pd.testing.assert_frame_equal(frame, before)
    assert list(result.index) == list(frame.index)
    assert result["incident_id"].tolist() == frame["incident_id"].tolist()
    assert result["placement"].tolist()[-2:] == ["outside", "outside"]
    placed = result.iloc[:50]
    assert (placed["placement"] == "point").all()
    assert (placed["chome_code"].astype(str) == points.index).all()
    assert (placed["town_code"].astype(str) == placed["chome_code"].astype(str).str[:9]).all()
    assert (placed["city_code"].astype(str) == placed["chome_code"].astype(str).str[:5]).all()


def test_a_geodataframe_keeps_its_own_geometry(area_set, chome):
    census = chome.loc[SHIBAHARA_3]
    frame = incidents([{"incident_id": "K-1", "address": "", "lat": census["lat"], "lon": census["lon"]}])
    geo = gpd.GeoDataFrame(frame, geometry=[shapely.Point(0, 0)], crs=WGS84)
    result = area_set.assign(geo)
    assert result.geometry.iloc[0].equals(shapely.Point(0, 0))  # untouched: lat/lon decide the area
    assert result["chome_code"].iloc[0] == SHIBAHARA_3


def test_stored_incidents_all_get_a_station_district(area_set, imported_workspace):
    stored = read_incidents(imported_workspace.root)
    result = area_set.assign(stored)
    assert len(result) == len(stored)
    assert result["incident_id"].tolist() == stored["incident_id"].tolist()
    placed = result[result["placement"] != "outside"]
    assert len(placed) == len(result)  # the sample has no unplaceable incident
    assert placed["station_district"].notna().all()
    points = result[result["placement"] == "point"]
    # The sample's 管轄署 comes from the same station table.
    assert (points["station_district"].astype(str) == points["station"]).all()


# -- assign by address (address.parse) -----------------------------------------


@pytest.fixture(scope="module")
def by_address(area_set):
    texts = ["鹿児島市紫原3丁目12番5号", "日置市伊集院町郡123番地", "鹿児島市紫原", "鹿児島市", "ほげほげ", None,
             "東京都千代田区丸の内1丁目"]
    frame = incidents([{"incident_id": f"A-{i}", "address": t, "lat": None, "lon": None}
                       for i, t in enumerate(texts)])
    return area_set.assign(frame).set_index("incident_id")


def test_an_address_without_coordinates_is_placed_by_its_text(by_address):
    row = by_address.loc["A-0"]
    assert row["placement"] == "address" and row["approximate"]
    assert (row["chome_code"], row["town_code"], row["city_code"]) == (SHIBAHARA_3, SHIBAHARA, KAGOSHIMA_CITY)
    assert pd.notna(row["station_district"])


def test_an_address_is_placed_no_finer_than_it_reads(by_address):
    # 伊集院町郡123番地: a 地番 of 郡 outside its 丁目, the census area 「伊集院町郡」 (KEY_CODE …00).
    row = by_address.loc["A-1"]
    assert row["placement"] == "address"
    assert (row["chome_code"], row["town_code"], row["city_code"]) == ("46216009000", "462160090", "46216")
    # 「鹿児島市紫原」 names the town only: no 丁目 is made up.
    row = by_address.loc["A-2"]
    assert row["placement"] == "address"
    assert pd.isna(row["chome_code"]) and row["town_code"] == SHIBAHARA
    # A bare municipality: the city only, and no station where the city has several.
    row = by_address.loc["A-3"]
    assert row["placement"] == "address"
    assert pd.isna(row["chome_code"]) and pd.isna(row["town_code"]) and row["city_code"] == KAGOSHIMA_CITY
    assert pd.isna(row["station_district"])


def test_unreadable_addresses_are_kept_as_outside(by_address):
    for key in ("A-4", "A-5", "A-6"):
        row = by_address.loc[key]
        assert row["placement"] == "outside" and pd.isna(row["city_code"]), key


# -- rate per 1,000 households --------------------------------------------------


def test_rate_per_1000_households(area_set, chome):
    rows = []
    for code, n in ((SHIBAHARA_3, 3), (EMPTY_AREA, 2)):
        census = chome.loc[code]
        rows += [{"incident_id": f"{code}-{i}", "address": "", "lat": census["lat"], "lon": census["lon"]}
                 for i in range(n)]
    assigned = area_set.assign(incidents(rows))
    assert set(assigned["chome_code"].astype(str)) == {SHIBAHARA_3, EMPTY_AREA}
    table = places.rate_per_1000_households(assigned, area_set)
    assert list(table.columns) == ["area_code", "name", "city", "households", "count", "per_1000"]
    assert len(table) == len(chome)
    assert not np.isinf(table["per_1000"]).any()
    by_code = table.set_index("area_code")
    assert by_code.loc[SHIBAHARA_3, "count"] == 3
    assert by_code.loc[SHIBAHARA_3, "per_1000"] == pytest.approx(3 * 1000 / 1935)
    assert by_code.loc[EMPTY_AREA, "count"] == 2 and math.isnan(by_code.loc[EMPTY_AREA, "per_1000"])
    assert table["area_code"].iloc[0] == SHIBAHARA_3  # the highest rate first
    city = places.rate_per_1000_households(assigned, area_set, level=Granularity.CITY).set_index("area_code")
    assert city.loc[KAGOSHIMA_CITY, "count"] == 5
    assert city.loc[KAGOSHIMA_CITY, "per_1000"] == pytest.approx(5 * 1000 / 270_269)
    few = places.rate_per_1000_households(assigned, area_set, min_households=2000).set_index("area_code")
    assert math.isnan(few.loc[SHIBAHARA_3, "per_1000"])


def test_rate_needs_assigned_incidents(area_set):
    from anshin_lab.core.errors import DataError

    with pytest.raises(DataError, match="assign"):
        places.rate_per_1000_households(incidents([]), area_set)


# -- e-Stat's real boundaries ---------------------------------------------------


def _square(x, y, size=0.004):
    return shapely.box(x, y, x + size, y + size)


def write_estat_shapefile(path, name_column="S_NAME"):
    """A tiny e-Stat-style small-area shapefile: CP932 attributes, a part split, water, an islet, no .cpg."""
    rows = [
        # KEY_CODE, name, HCODE, JINKO, SETAI, X_CODE, Y_CODE, geometry
        ("46201318003", "紫原３丁目", 8101, 4100, 1935, 130.537, 31.552, _square(130.535, 31.550)),
        ("46201318003", "紫原３丁目", 8101, 0, 0, None, None, _square(130.545, 31.550, 0.001)),
        ("462013190", "西紫原町", 8101, 900, 436, 130.531, 31.556, _square(130.529, 31.554)),
        ("46201999900", "", 8154, 0, 0, 130.541, 31.556, _square(130.539, 31.554)),  # water
        ("46", "", 8101, 0, 0, 130.60, 31.50, _square(130.60, 31.50, 0.001)),  # unnamed islet
    ]
    frame = gpd.GeoDataFrame(
        {
            "KEY_CODE": [r[0] for r in rows],
            "PREF": "46",
            "CITY": "201",
            name_column: [r[1] for r in rows],
            "HCODE": [r[2] for r in rows],
            "JINKO": [r[3] for r in rows],
            "SETAI": [r[4] for r in rows],
            "X_CODE": [r[5] for r in rows],
            "Y_CODE": [r[6] for r in rows],
            "GST_NAME": "鹿児島市",
            "CSS_NAME": None,
        },
        geometry=[r[7] for r in rows],
        crs="EPSG:4612",  # JGD2000, as e-Stat's 2015 files
    )
    frame.to_file(path, driver="ESRI Shapefile", encoding="cp932", engine="pyogrio")
    path.with_suffix(".cpg").unlink(missing_ok=True)  # e-Stat ships none: the reader must know it is CP932
    return path


@pytest.mark.parametrize("name_column", ["S_NAME", "MOJI"])
def test_read_estat_small_areas(tmp_path, name_column):
    path = write_estat_shapefile(tmp_path / "h27ka46201.shp", name_column)
    assert "紫原".encode("cp932") in path.with_suffix(".dbf").read_bytes()
    frame = places.read_estat_small_areas(path)
    voronoi_columns = ["key_code", "city_code", "city", "name", "population", "households", "lon", "lat",
                       "geometry", "approximate"]  # as build_small_areas
    assert list(frame.columns) == voronoi_columns
    assert frame.crs == WGS84
    assert frame["key_code"].tolist() == [SHIBAHARA_3, "462013190"]  # water and islet left out
    shibahara = frame.iloc[0]
    assert shibahara["name"] == "紫原3丁目"  # full-width digits normalised
    assert (shibahara["population"], shibahara["households"]) == (4100, 1935)
    assert (shibahara["lon"], shibahara["lat"]) == (130.537, 31.552)  # the populous part's point
    assert shibahara.geometry.geom_type == "MultiPolygon" and len(shibahara.geometry.geoms) == 2
    assert (shibahara["city_code"], shibahara["city"]) == (KAGOSHIMA_CITY, "鹿児島市")
    assert not frame["approximate"].any()


def test_read_estat_small_areas_names_a_bad_file(tmp_path):
    from anshin_lab.core.errors import DataError

    with pytest.raises(DataError, match="estat.shp"):
        places.read_estat_small_areas(tmp_path / "estat.shp")
    other = tmp_path / "other.shp"
    gpd.GeoDataFrame({"FOO": [1]}, geometry=[_square(130.5, 31.5)], crs=WGS84).to_file(other)
    with pytest.raises(DataError, match="KEY_CODE"):
        places.read_estat_small_areas(other)


def test_the_layer_builder_prefers_real_boundaries(tmp_path):
    write_estat_shapefile(tmp_path / places.ESTAT_FILE)
    real = places.build_small_area_layer(tmp_path)
    assert len(real) == 2 and not real["approximate"].any()
    # With real polygons the AreaSet says so instead of the Voronoi note.
    real_set = places.AreaSet.from_layers(real, places.load_municipalities(REFERENCE),
                                          station_table=places.load_station_table(REFERENCE))
    assert real_set.approximate is False and real_set.note == places.REAL_BOUNDARIES_NOTE
    placed = real_set.assign(incidents([{"incident_id": "K", "address": "", "lat": 31.551, "lon": 130.536}]))
    assert placed["chome_code"].iloc[0] == SHIBAHARA_3 and placed["placement"].iloc[0] == "point"


def test_the_layer_builder_falls_back_to_voronoi():
    assert not (REFERENCE / places.ESTAT_FILE).exists()
    layer = places.build_small_area_layer(REFERENCE)
    assert len(layer) == 1731 and layer["approximate"].all()
