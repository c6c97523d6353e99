"""The seeded sample generator: determinism, realism and the police-style export."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from anshin_lab.core import glossary
from anshin_lab.demo import sample
from anshin_lab.core.geo import METRIC_CRS, WGS84
from anshin_lab.places import assign_stations, build_small_areas, load_station_table
from anshin_lab.core.dates import parse_occurred_at

REF = Path(__file__).parents[1] / "data" / "reference"
SEED = 20251201
START = pd.Timestamp("2025-12-01 00:00", tz="Asia/Tokyo")
END = pd.Timestamp("2026-11-30 23:59", tz="Asia/Tokyo")
EXAMPLE_DOMAINS = {"example.jp", "example.com", "example.net", "example.org"}
CHILD = ["小学生", "中学生", "高校生"]


@pytest.fixture(scope="module")
def small_areas():
    sa = build_small_areas(REF)
    sa["station"] = assign_stations(sa, load_station_table(REF))
    return sa


@pytest.fixture(scope="module")
def incidents(small_areas):
    return sample.generate_incidents(small_areas, SEED)


@pytest.fixture(scope="module")
def calls(small_areas):
    return sample.generate_fraud_calls(small_areas, SEED)


@pytest.fixture(scope="module")
def members(small_areas):
    return sample.generate_members(small_areas, SEED)


@pytest.fixture(scope="module")
def export(tmp_path_factory, incidents):
    """The export file, its rows as text (header first) and the bad-row list."""
    path = tmp_path_factory.mktemp("export") / "incidents_export.csv"
    bad = sample.write_incident_export(incidents, path)
    raw = path.read_bytes()
    rows = list(csv.reader(io.StringIO(raw.decode("cp932", errors="strict"), newline="")))
    return raw, rows, bad


def _column(rows, canonical: str) -> int:
    return rows[0].index(glossary.EXPORT_HEADERS[canonical])


# --- determinism --------------------------------------------------------------

def test_same_seed_gives_identical_frames(small_areas, incidents, calls, members):
    pd.testing.assert_frame_equal(sample.generate_incidents(small_areas, SEED), incidents)
    pd.testing.assert_frame_equal(sample.generate_fraud_calls(small_areas, SEED), calls)
    pd.testing.assert_frame_equal(sample.generate_members(small_areas, SEED), members)


def test_different_seed_differs(small_areas, incidents, calls, members):
    assert not sample.generate_incidents(small_areas, SEED + 1)["summary"].equals(incidents["summary"])
    assert not sample.generate_fraud_calls(small_areas, SEED + 1)["occurred_at"].equals(calls["occurred_at"])
    assert not sample.generate_members(small_areas, SEED + 1)["email"].equals(members["email"])


def test_row_order_of_small_areas_does_not_matter(small_areas, incidents):
    shuffled = small_areas.sample(frac=1, random_state=3)
    pd.testing.assert_frame_equal(sample.generate_incidents(shuffled, SEED), incidents)


def test_write_sample_is_byte_identical_for_a_seed(tmp_path, small_areas):
    first = sample.write_sample(tmp_path / "a", small_areas, SEED)
    second = sample.write_sample(tmp_path / "b", small_areas, SEED)
    assert set(first["paths"]) == {"incidents", "fraud_calls", "members", "bad_rows", "series_truth"}
    for name, path in first["paths"].items():
        assert Path(path).read_bytes() == Path(second["paths"][name]).read_bytes(), name
    counts = {k: v for k, v in first.items() if k != "paths"}
    assert counts == {k: v for k, v in second.items() if k != "paths"}
    assert counts["bad_rows"] == len(sample.BAD_KINDS)
    assert counts["incidents"] >= 2000 and counts["fraud_calls"] >= 3000 and counts["members"] >= 10_000
    # Atomic writes leave no temporary files behind.
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == [
        "bad_rows.json", "fraud_calls.csv", "incidents_export.csv", "members.csv", "series_truth.csv"]


def test_write_sample_files_read_back(tmp_path, small_areas):
    result = sample.write_sample(tmp_path, small_areas, SEED)
    calls = pd.read_csv(result["paths"]["fraud_calls"], dtype=str)
    members = pd.read_csv(result["paths"]["members"], dtype=str)
    bad = json.loads(Path(result["paths"]["bad_rows"]).read_text(encoding="utf-8"))
    assert len(calls) == result["fraud_calls"] and len(members) == result["members"]
    assert calls["occurred_at"].str.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+09:00").all()
    assert members["opted_in_at"].str.endswith("+09:00").all()
    assert [b["kind"] for b in bad] == list(sample.BAD_KINDS)
    assert all(set(b) == {"row", "kind", "incident_id"} for b in bad)


# --- incidents ----------------------------------------------------------------

def test_incident_columns_counts_and_ids(incidents):
    assert list(incidents.columns) == list(glossary.INCIDENT_COLUMNS + glossary.OPTIONAL_COLUMNS)
    assert len(incidents) >= 2000
    assert set(incidents["category"]) == set(glossary.CATEGORIES)
    shares = incidents["category"].value_counts(normalize=True)
    assert shares["threat"] > 0.5 and 0.005 < shares["fugitive"] < 0.03
    assert incidents["incident_id"].is_unique
    assert incidents["incident_id"].str.fullmatch(r"K2025-\d{6}").all()
    # Numbered in time order.
    assert incidents["occurred_at"].is_monotonic_increasing
    assert incidents["incident_id"].tolist() == sorted(incidents["incident_id"])


def test_incident_times_are_aware_and_within_the_year(incidents):
    stamps = incidents["occurred_at"]
    assert str(stamps.dt.tz) == "Asia/Tokyo"
    assert stamps.min() >= START and stamps.max() <= END


def test_incident_vocabularies(incidents):
    assert set(incidents["victim_group"]) <= set(glossary.VICTIM_GROUPS)
    assert set(incidents["victim_sex"]) <= set(glossary.VICTIM_SEXES)
    assert set(incidents["place_type"]) <= set(glossary.PLACE_TYPES)
    assert set(incidents["consent"]) <= set(glossary.CONSENT_VALUES)
    threat = incidents[incidents["category"] == "threat"]
    assert set(threat["subtype"]) == set(sample.THREAT_SUBTYPES)
    assert threat["subtype"].value_counts().index[0] == "声かけ"
    assert (threat["victim_sex"] == "女").mean() > 0.7
    assert threat["place_type"].value_counts().index[0] == "路上"


def test_fraud_and_missing_incidents_have_their_details(incidents):
    fraud = incidents[incidents["category"] == "fraud"]
    assert set(fraud["subtype"]) <= set(sample.FRAUD_METHODS)
    assert fraud["caller_as"].notna().all()
    assert set(fraud["victim_group"]) <= {"60代", "70代", "80代以上"}
    missing = incidents[incidents["category"] == "missing"]
    assert missing["victim_group"].isin(["70代", "80代以上"]).mean() > 0.6
    assert missing[["age", "height_cm", "build", "clothing"]].notna().all().all()
    assert set(missing["build"]) <= set(sample.BUILDS)
    fugitive = incidents[incidents["category"] == "fugitive"]
    assert fugitive[["age", "height_cm", "build", "clothing", "actor"]].notna().all().all()


def test_optional_columns_are_plain_values_or_none(incidents):
    for col in ("age", "height_cm"):
        assert all(v is None or type(v) is int for v in incidents[col])
    for col in ("build", "clothing", "vehicle", "caller_as", "actor"):
        assert all(v is None or type(v) is str for v in incidents[col])
    assert incidents.loc[incidents["category"] != "fraud", "caller_as"].isna().all()


def test_summaries_are_cp932_text_without_building_names(incidents):
    for text in pd.concat([incidents["summary"], incidents["address"], incidents["actor"].dropna()]):
        text.encode("cp932", errors="strict")
    assert incidents["summary"].str.endswith("。").all()
    assert not incidents["address"].str.contains("コーポ|マンション|号室").any()


def test_summaries_read_right(incidents):
    """No doubled particle (「遊んでいたの女子児童」), a kind before every 施設, 登校・下校 only on weekdays."""
    summary = incidents["summary"]
    assert not summary.str.contains(r"のの|をを|にに|がが|はは|(?:いた|った|した|れた)の[\u4e00-\u9fff\u30a1-\u30fa]").any()
    assert not summary.str.contains(r"(?<![\u4e00-\u9fff\u30a1-\u30fa])施設").any()
    assert summary.str.contains("公園で遊んでいた女子児童").any()
    facility = (incidents["place_type"] == "施設") & (incidents["category"] != "fraud")  # a fraud mail names no place
    assert summary[facility].str.contains("介護施設|病院|留置施設|商業施設").all()
    schooling = summary.str.contains("登校中|下校中")
    assert (incidents.loc[schooling, "occurred_at"].dt.day_of_week < 5).all()


def test_addresses_follow_the_area_naming(incidents):
    address = incidents["address"]
    jukyo = address.str.contains("丁目")
    assert address[jukyo].str.fullmatch(r".+丁目\d{1,2}(番\d{1,2}号|-\d{1,2})").all()
    assert address[~jukyo].str.fullmatch(r".+\d{1,4}番地\d*").all()
    assert 0 < address.str.contains("-").sum() < 0.05 * len(address)
    assert not address.str.contains(r"\(").any()


def test_incident_points_lie_in_their_small_area_and_station(incidents, small_areas):
    points = gpd.GeoDataFrame(incidents[["station"]], geometry=gpd.points_from_xy(incidents["lon"], incidents["lat"]),
                              crs=WGS84).to_crs(METRIC_CRS)
    cells = small_areas[["key_code", "station", "households", "geometry"]].rename(columns={"station": "area_station"})
    joined = gpd.sjoin_nearest(points, cells.to_crs(METRIC_CRS), how="left", max_distance=1000, distance_col="metres")
    joined = joined[~joined.index.duplicated()]
    assert joined["key_code"].notna().all()
    assert (joined["metres"] <= 1000).all()
    assert (joined["station"] == joined["area_station"]).mean() > 0.99
    assert (joined["households"] > 0).all()
    assert (incidents["lat"].round(6) == incidents["lat"]).all()


def test_threat_against_children_peaks_after_school(incidents):
    threat = incidents[(incidents["category"] == "threat") & incidents["victim_group"].isin(CHILD)]
    hours = threat["occurred_at"].dt.hour
    assert hours.value_counts().idxmax() in (15, 16, 17)
    assert hours.between(15, 17).mean() > 0.5
    assert (threat["occurred_at"].dt.day_of_week < 5).mean() > 0.75
    adults = incidents[(incidents["category"] == "threat") & incidents["victim_group"].isin(["20代", "30代"])]
    assert adults["occurred_at"].dt.hour.value_counts().idxmax() >= 18


# --- fraud calls --------------------------------------------------------------

def test_fraud_calls(calls):
    assert list(calls.columns) == ["call_id", "occurred_at", "city_code", "city", "key_code", "station", "method",
                                   "caller_as", "outcome", "loss_yen", "victim_age_band"]
    assert len(calls) >= 3000
    assert calls["call_id"].is_unique and calls["call_id"].str.fullmatch(r"F2025-\d{6}").all()
    assert calls["occurred_at"].is_monotonic_increasing
    assert str(calls["occurred_at"].dt.tz) == "Asia/Tokyo"
    assert calls["occurred_at"].min() >= START and calls["occurred_at"].max() <= END
    assert set(calls["method"]) <= set(sample.FRAUD_METHODS)
    assert set(calls["victim_age_band"]) <= set(glossary.VICTIM_GROUPS)
    assert 0.1 < calls["key_code"].isna().mean() < 0.3


def test_fraud_call_outcomes_and_losses(calls):
    shares = calls["outcome"].value_counts(normalize=True)
    assert shares["予兆"] > 0.8 and 0.01 < shares["既遂"] < 0.08
    done = calls["outcome"] == "既遂"
    assert (calls.loc[~done, "loss_yen"] == 0).all() and (calls.loc[done, "loss_yen"] > 0).all()
    assert 200_000_000 < calls["loss_yen"].sum() < 2_000_000_000


def test_fraud_calls_come_in_waves(calls):
    per_afternoon = calls.groupby([calls["occurred_at"].dt.date, "city", "caller_as"]).size()
    assert (per_afternoon >= 12).sum() >= 3
    assert ((calls["occurred_at"].dt.day_of_week < 5) & calls["occurred_at"].dt.hour.between(8, 18)).mean() > 0.8


# --- members ------------------------------------------------------------------

def test_members(members, small_areas):
    assert len(members) >= 10_000
    assert members["member_id"].is_unique and members["email"].is_unique
    assert set(members["email"].str.split("@").str[1]) <= EXAMPLE_DOMAINS
    assert members["email"].str.fullmatch(r"[a-z0-9._]+@example\.(jp|com|net|org)").all()
    codes = members["categories"].str.split(";")
    assert codes.map(len).between(1, 5).all()
    assert set(codes.explode()) <= set(glossary.CATEGORIES)
    assert codes.explode().value_counts().index[0] == "threat"
    allowed = set(small_areas["city"]) | set(small_areas["station"]) | {"鹿児島県"}
    assert set(members["areas"].str.split(";").explode()) <= allowed
    assert 0.05 < (members["areas"] == "鹿児島県").mean() < 0.15
    assert 0.88 < (members["status"] == "active").mean() < 0.96
    assert set(members["status"]) == {"active", "pending", "unsubscribed", "bounced"}
    assert members["is_staff"].dtype == bool and 0.01 < members["is_staff"].mean() < 0.06
    assert str(members["opted_in_at"].dt.tz) == "Asia/Tokyo"
    assert members["opted_in_at"].max() < pd.Timestamp("2026-11-30", tz="Asia/Tokyo")


# --- the police-style export --------------------------------------------------

def test_export_is_cp932_with_crlf_and_japanese_headers(export, incidents):
    raw, rows, bad = export
    assert raw.count(b"\r\n") == len(incidents) + len(bad) + 1
    assert b"\n" not in raw.replace(b"\r\n", b"")
    assert rows[0] == [glossary.EXPORT_HEADERS[c] for c in glossary.INCIDENT_COLUMNS + glossary.OPTIONAL_COLUMNS]
    assert len(rows) == len(incidents) + len(bad) + 1


def test_export_holds_every_incident_as_written(export, incidents):
    _, rows, bad = export
    bad_rows = {b["row"] for b in bad}
    good = [r for i, r in enumerate(rows[1:], start=2) if i not in bad_rows]
    assert [r[0] for r in good] == incidents["incident_id"].tolist()
    category, when = _column(rows, "category"), _column(rows, "occurred_at")
    assert {r[category] for r in good} == set(glossary.CATEGORIES.values())
    parsed = pd.Series([parse_occurred_at(r[when]) for r in good])
    assert (parsed.to_numpy() == incidents["occurred_at"].to_numpy()).all()


def test_export_coordinates_have_six_decimals_and_a_few_are_blank(export):
    _, rows, bad = export
    lat, lon = _column(rows, "lat"), _column(rows, "lon")
    body = rows[1:]
    blank = [r for r in body if r[lat] == ""]
    assert 0.01 < len(blank) / len(body) < 0.04
    assert all(r[lon] == "" for r in blank)
    assert all(re.fullmatch(r"\d+\.\d{6}", r[lat]) and re.fullmatch(r"\d+\.\d{6}", r[lon]) for r in body if r[lat])


def test_export_bad_rows_are_where_the_list_says(export, incidents):
    _, rows, bad = export
    assert [b["kind"] for b in bad] == list(sample.BAD_KINDS)
    col = {c: _column(rows, c) for c in ("incident_id", "category", "occurred_at", "lat", "lon", "summary")}
    known = set(incidents["incident_id"])
    for item in bad:
        cells = rows[item["row"] - 1]
        assert cells[col["incident_id"]] == item["incident_id"]
        kind = item["kind"]
        if kind == "missing_required":
            assert cells[col["occurred_at"]] == ""
        elif kind == "unknown_category":
            assert cells[col["category"]] == "交通違反"
        elif kind == "impossible_date":
            assert cells[col["occurred_at"]] == "令和7年2月30日(日)午後3時頃"
            with pytest.raises(ValueError):
                parse_occurred_at(cells[col["occurred_at"]])
        elif kind == "outside_prefecture":
            assert (float(cells[col["lat"]]), float(cells[col["lon"]])) == (35.68, 139.76)
        elif kind == "swapped_coordinates":
            assert float(cells[col["lat"]]) > 120 and 24 < float(cells[col["lon"]]) < 32
        elif kind == "duplicate_conflict":
            assert item["incident_id"] in known
            originals = [r for r in rows[1:item["row"] - 1] if r[col["incident_id"]] == item["incident_id"]]
            assert len(originals) == 1
            assert originals[0][col["summary"]] != cells[col["summary"]]
        if kind != "duplicate_conflict":
            assert item["incident_id"] not in known


def test_export_without_bad_rows(tmp_path, incidents):
    path = tmp_path / "clean.csv"
    assert sample.write_incident_export(incidents, path, bad_rows=False) == []
    rows = list(csv.reader(io.StringIO(path.read_bytes().decode("cp932"), newline="")))
    assert len(rows) == len(incidents) + 1


def test_export_refuses_characters_cp932_cannot_hold(tmp_path, incidents):
    broken = incidents.head(3).copy()
    broken.loc[0, "summary"] = "𠮷野家の前で声をかけたもの。"
    with pytest.raises(UnicodeEncodeError):
        sample.write_incident_export(broken, tmp_path / "x.csv", bad_rows=False)
    assert not list(tmp_path.iterdir())


def test_generation_needs_stations(small_areas):
    with pytest.raises(ValueError, match="station"):
        sample.generate_incidents(small_areas.drop(columns="station"), SEED)


def test_generation_is_quick(small_areas):
    import time

    start = time.perf_counter()
    sample.generate_incidents(small_areas, 1)
    sample.generate_fraud_calls(small_areas, 1)
    sample.generate_members(small_areas, 1)
    assert time.perf_counter() - start < 10
