"""Series linking (analysis.series): the sample's planted series found, decoys left out, reasons read.

Precision and recall here are pairwise: T is the set of unordered pairs of
incidents in the same planted series (``series_truth.csv``), F the set of
unordered pairs in the same found series (``link_series(...).series``);
precision = |T ∩ F| / |F|, recall = |T ∩ F| / |T|. Incidents the linker cannot
place (no coordinates) are left out of both sets. Background incidents and
decoys pulled into a found series count against precision.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from anshin_lab.analysis import descriptions
from anshin_lab.analysis.series import candidate_pairs, link_series, project_points
from anshin_lab.demo import sample
from anshin_lab.places import assign_stations, build_small_areas, load_station_table

REF = Path(__file__).parents[1] / "data" / "reference"
SEED = 20251201


@pytest.fixture(scope="module")
def planted():
    """(the sample year with its planted series and decoys, the truth, the link result)."""
    areas = build_small_areas(REF)
    areas["station"] = assign_stations(areas, load_station_table(REF))
    year = sample.generate_incidents(areas, SEED)
    series, truth = sample.generate_series_incidents(areas, SEED, first_number=len(year) + 1)
    incidents = pd.concat([year, series], ignore_index=True)
    return incidents, truth, link_series(incidents)


def _pairs(groups, keep=None) -> set:
    found = set()
    for group in groups:
        members = sorted(i for i in group if keep is None or i in keep)
        found.update(itertools.combinations(members, 2))
    return found


def _precision_recall(truth: pd.DataFrame, result, keep=None) -> tuple[float, float]:
    members = truth[truth["series_id"] != ""]
    true_pairs = _pairs(members.groupby("series_id")["incident_id"].agg(list), keep)
    found_pairs = _pairs(result.series["incident_ids"], keep)
    hits = len(true_pairs & found_pairs)
    return hits / max(len(found_pairs), 1), hits / max(len(true_pairs), 1)


# -- the planted series ---------------------------------------------------------------------------

def test_sample_plants_about_twenty_series_with_decoys(planted):
    incidents, truth, _ = planted
    members = truth[truth["role"] == "series"]
    sizes = members.groupby("series_id").size()
    assert len(sizes) == 20 and sizes.between(3, 8).all()
    assert (truth["role"] == "decoy").sum() >= 20
    placed = incidents.set_index("incident_id").loc[members["incident_id"]]
    span = placed.groupby(members["series_id"].to_numpy())["occurred_at"].agg(lambda t: t.max() - t.min())
    assert (span >= pd.Timedelta(days=2)).all() and (span <= pd.Timedelta(days=100)).all()
    # Witnesses word the same man differently: no series has one wording for every incident.
    assert (placed.groupby(members["series_id"].to_numpy())["actor"].nunique() == sizes).all()
    assert truth["incident_id"].isin(incidents["incident_id"]).all()


def test_planted_series_recovered_with_precision_and_recall_over_0_9(planted):
    _, truth, result = planted
    precision, recall = _precision_recall(truth, result)
    assert precision >= 0.9 and recall >= 0.9, (precision, recall)


def test_series_crossing_stations_are_found_across_them(planted):
    incidents, truth, result = planted
    station = incidents.set_index("incident_id")["station"]
    members = truth[truth["role"] == "series"].assign(station=lambda t: station.loc[t["incident_id"]].to_numpy())
    crossing = [set(g["incident_id"]) for _, g in members.groupby("series_id") if g["station"].nunique() > 1]
    assert len(crossing) >= 5
    found = [set(ids) for ids, crosses in zip(result.series["incident_ids"], result.series["crosses_stations"])
             if crosses]
    for true_ids in crossing:
        assert any(len(true_ids & ids) >= 3 and len(ids - true_ids) <= 1 for ids in found), sorted(true_ids)


def test_decoys_sharing_common_words_are_not_linked_into_series(planted):
    _, truth, result = planted
    decoys = set(truth.loc[truth["role"] == "decoy", "incident_id"])
    in_series = set(itertools.chain.from_iterable(result.series["incident_ids"]))
    assert len(decoys & in_series) <= 0.1 * len(decoys)
    # Without the cohesion split, chance likenesses do pull decoys and strangers in.
    loose = link_series(planted[0], cohesion=0.0, min_size=2, min_score=0.62)
    assert len(decoys & set(itertools.chain.from_iterable(loose.series["incident_ids"]))) > len(decoys & in_series)
    assert _precision_recall(truth, loose)[0] < 0.9


# -- a decoy between two men ----------------------------------------------------------------------

def _incident(k: int, actor: str, vehicle, *, day: int, east_m: float, subtype="声かけ", hour=16,
              station="甲警察署") -> dict:
    lat, lon = 31.58, 130.55 + east_m / 95_000
    return {"incident_id": f"T-{k:03d}", "category": "threat", "subtype": subtype,
            "occurred_at": pd.Timestamp("2026-05-01 00:00", tz="Asia/Tokyo") + pd.Timedelta(days=day, hours=hour),
            "lat": lat, "lon": lon, "station": station, "actor": actor, "vehicle": vehicle,
            "victim_group": "小学生", "summary": "下校中の女子児童に対し、男が「車に乗らない？」などと声をかけたもの。"}


A = "男、30歳代、身長170センチくらい、やせ型、坊主頭、紺色作業服、マスク着用"
B = "男、50歳代、身長160センチくらい、太め、茶髪、赤色パーカー、メガネ着用"


@pytest.fixture(scope="module")
def two_men():
    rows = [_incident(k, A, "白色の軽自動車", day=3 * k, east_m=100 * k) for k in range(5)]
    rows += [_incident(10 + k, B, "銀色の普通乗用車", day=3 * k + 1, east_m=1200 + 100 * k, station="乙警察署")
             for k in range(5)]
    # The decoy: half of each man (hair and clothes from A; build, glasses and car from B; between in age).
    rows.append(_incident(99, "男、40歳代、身長165センチくらい、太め、坊主頭、紺色作業服、メガネ着用",
                          "銀色の普通乗用車", day=7, east_m=700))
    return pd.DataFrame(rows)


def test_a_decoy_like_both_men_links_to_both_but_does_not_merge_them(two_men):
    result = link_series(two_men)
    linked = result.links[(result.links["incident_a"] == "T-099") | (result.links["incident_b"] == "T-099")]
    partners = set(linked["incident_a"]) | set(linked["incident_b"])
    assert partners & {f"T-{k:03d}" for k in range(5)} and partners & {f"T-{k:03d}" for k in range(10, 15)}
    groups = [set(ids) for ids in result.series["incident_ids"]]
    assert {f"T-{k:03d}" for k in range(5)} in [g - {"T-099"} for g in groups]
    assert {f"T-{k:03d}" for k in range(10, 15)} in [g - {"T-099"} for g in groups]
    assert not any(g & {"T-000"} and g & {"T-010"} for g in groups)
    # Connected components alone chain the two men through the decoy.
    chained = link_series(two_men, cohesion=0.0)
    assert any({"T-000", "T-010"} <= set(ids) for ids in chained.series["incident_ids"])


def test_links_carry_scores_and_reasons_an_analyst_reads(two_men):
    pair = pd.DataFrame([
        _incident(1, "男、30代、身長170センチくらい、やせ型、坊主頭、紺色作業服", "白い軽自動車", day=0, east_m=0),
        _incident(2, "男、40歳くらい、175cmくらい、細身、丸刈り、紺色の作業着", "白色の軽", day=6, east_m=2100,
                  station="乙警察署"),
    ])
    result = link_series(pair, min_size=2)
    assert len(result.links) == 1
    link = result.links.iloc[0]
    assert 0 <= link["score"] <= 1
    assert link["reasons"][0] == "2.1 km・6日差"
    assert "車両が一致(白い軽自動車/白色の軽)" in link["reasons"]
    assert "年代が近い(30代/40歳くらい)" in link["reasons"]
    assert "体格が一致(やせ型/細身)" in link["reasons"]
    series = result.series.iloc[0]
    assert series["crosses_stations"] and series["stations"] == ("乙警察署", "甲警察署")
    assert series["incident_ids"] == ("T-001", "T-002") and series["reasons"][0].startswith("2件・6日間")
    assert link_series(pair.assign(lat=np.nan)).links.empty  # no place, no link


# -- descriptions -------------------------------------------------------------------------------

def test_witness_wordings_of_the_same_thing_compare_alike():
    frame = pd.DataFrame({
        "actor": ["男、やせ型、坊主頭、黒色ジャンパー", "男、細身、丸刈り、黒っぽい上着", "男、痩せ型、短髪、黒い服"],
        "vehicle": ["白い軽自動車", "白色の軽", "白っぽいワゴン車"],
        "summary": ["男が「車に乗らない？」などと声をかけたもの。"] * 3, "subtype": ["声かけ"] * 3,
    })
    described = descriptions.describe_actors(frame)
    assert described["build"].nunique() == 1 and described["hair"].iloc[0] == described["hair"].iloc[1]
    assert described["top_colour"].nunique() == 1 and described["top_item"].iloc[0] == described["top_item"].iloc[1]
    kinds = described["vehicle_kind"].to_numpy()
    assert kinds[0] == kinds[1] and descriptions.SIMILARITY["vehicle_kind"][kinds[0], kinds[2]] >= 0.5
    assert (described["phrase"] == "車に乗らない?").all()
    # What he said is not how he came: 「車に乗らない？」 says nothing of a car.
    walker = descriptions.describe_actors(frame.assign(vehicle=None))
    assert (walker["mode"] == -1).all()
    assert descriptions.read_age("30代") == (30.0, 39.0, "30代")
    assert descriptions.read_age("40歳くらい")[:2] == (37.0, 43.0)
    assert descriptions.read_height("身長165~170センチ")[0] == 167.5


def test_candidate_pairs_are_exactly_the_pairs_inside_the_window():
    rng = np.random.default_rng(5)
    x, y, days = rng.uniform(0, 20_000, 600), rng.uniform(0, 20_000, 600), rng.uniform(0, 365, 600)
    i, j = candidate_pairs(x, y, days, max_km=3.0, max_days=30)
    a, b = np.triu_indices(600, k=1)
    inside = (np.hypot(x[a] - x[b], y[a] - y[b]) <= 3000) & (np.abs(days[a] - days[b]) <= 30)
    assert set(zip(i.tolist(), j.tolist())) == set(zip(a[inside].tolist(), b[inside].tolist()))
    east, _ = project_points([31.58, 31.58], [130.55, 130.56])
    assert 940 < east[1] - east[0] < 960  # 0.01° of longitude at 31.6°N is about 948 m


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(order=st.randoms(use_true_random=False))
def test_the_result_does_not_depend_on_row_order(planted, order):
    _, truth, _ = planted
    incidents = planted[0][planted[0]["incident_id"].isin(truth["incident_id"])]
    rows = list(range(len(incidents)))
    order.shuffle(rows)
    first, second = link_series(incidents), link_series(incidents.iloc[rows])
    pd.testing.assert_frame_equal(first.series, second.series)
    pd.testing.assert_frame_equal(first.links, second.links)
    # Links are symmetric facts: each pair once, smaller id first.
    assert (first.links["incident_a"] < first.links["incident_b"]).all()
    assert not first.links.duplicated(["incident_a", "incident_b"]).any()


# -- through the real import --------------------------------------------------------------------

@pytest.mark.slow
def test_planted_series_recovered_from_the_imported_sample(imported_workspace):
    """The same measure on what the police export gives after import (CP932, 和暦, some rows without coordinates)."""
    from anshin_lab.app.catalog import read_incidents

    incidents = read_incidents(settings=imported_workspace.settings)
    truth = pd.read_csv(imported_workspace.sample_dir / sample.SERIES_TRUTH, dtype=str, keep_default_na=False)
    assert list(truth.columns[:2]) == ["incident_id", "series_id"]
    located = set(incidents.loc[incidents["lat"].notna(), "incident_id"])
    precision, recall = _precision_recall(truth, link_series(incidents), keep=located)
    assert precision >= 0.9 and recall >= 0.9, (precision, recall)
