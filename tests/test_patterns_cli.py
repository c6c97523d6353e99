"""``anshin patterns series|near-repeat|hotspots`` on a real workspace, and a series seeding a draft through the service."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from anshin_lab.analysis.series import link_series
from anshin_lab.app import patterns
from anshin_lab.app.catalog import load_areas, read_incidents
from anshin_lab.app.imports import import_incidents
from anshin_lab.cli.main import main
from anshin_lab.privacy import assess
from anshin_lab.storage import store
from anshin_lab.workflow.alerts import get_alert

from .service_process import running_service
from .staff import workspace_with_analyst

ANALYST, ANALYST_PASSWORD = "series-analyst", "series-analyst-password-1"


def anshin(capsys, *args) -> str:
    code = main(list(args))
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return captured.out


@pytest.fixture(scope="module")
def threats(imported_workspace):
    return read_incidents(imported_workspace.root, category="threat")


def test_series_lists_what_link_series_finds_with_score_and_reasons(imported_workspace, threats, capsys):
    root = str(imported_workspace.root)
    expected = link_series(threats).series
    assert len(expected) > 0
    data = json.loads(anshin(capsys, "patterns", "series", "--workspace", root, "--json"))
    assert [s["series_id"] for s in data["series"]] == [plain_id(v) for v in expected["series_id"]]
    assert data["incidents"] == len(threats)
    first = data["series"][0]
    assert {"series_id", "incident_ids", "size", "score", "reasons", "crosses_stations"} <= set(first)
    out = anshin(capsys, "patterns", "series", "--workspace", root)
    assert f"系列の候補: {len(expected)}件" in out and "スコア" in out and "つながりの理由" in out
    assert str(expected["series_id"].iloc[0]) in out


def plain_id(value):
    return value.item() if hasattr(value, "item") else value


def test_near_repeat_prints_the_knox_table_and_its_reading(imported_workspace, capsys):
    root = str(imported_workspace.root)
    data = json.loads(anshin(capsys, "patterns", "near-repeat", "--workspace", root, "--permutations", "49",
                             "--seed", "3", "--json"))
    table = pd.DataFrame(data["table"])
    assert len(table) == 6 * 5 and data["permutations"] == 49 and data["seed"] == 3
    assert {"space_band", "time_band", "observed", "expected", "ratio", "p_value", "significant"} <= set(table)
    assert table["p_value"].between(1 / 50, 1).all()
    out = anshin(capsys, "patterns", "near-repeat", "--workspace", root, "--permutations", "49", "--seed", "3")
    assert "観測/期待の比" in out and "同一地点" in out and "Knox 検定" in out
    assert data["reading"] in out


def test_hotspots_lists_significant_small_areas_and_busy_hours(imported_workspace, capsys):
    root = str(imported_workspace.root)
    data = json.loads(anshin(capsys, "patterns", "hotspots", "--workspace", root, "--permutations", "99", "--json"))
    assert data["incidents"] == len(read_incidents(imported_workspace.root))
    assert {h["hotspot"] for h in data["hotspots"]} <= {"hot", "cold"}
    assert sum(sum(row) for row in data["weekday_hour"].values()) == data["incidents"]
    out = anshin(capsys, "patterns", "hotspots", "--workspace", root, "--permutations", "99")
    assert "Gi*" in out and "多い曜日・時間帯" in out


@pytest.fixture
def series_workspace(imported_workspace, tmp_path):
    """The imported workspace's files and a database of its own: incidents imported, an admin and an analyst."""
    ws = workspace_with_analyst(imported_workspace, tmp_path / "ws", ANALYST, ANALYST_PASSWORD)
    import_incidents(ws.sample_dir / "incidents_export.csv", ws)
    return ws


@pytest.mark.slow
def test_a_series_seeds_a_draft_naming_only_published_areas(series_workspace, capsys, monkeypatch):
    ws = series_workspace
    result, incidents = patterns.series_of(ws.root)
    crossing = result.series[result.series["crosses_stations"]]
    chosen = (crossing if len(crossing) else result.series).iloc[0]
    members = incidents[incidents["incident_id"].astype(str).isin({str(i) for i in chosen["incident_ids"]})]
    monkeypatch.setenv("ANSHIN_PASSWORD", ANALYST_PASSWORD)
    with running_service(ws):
        out = anshin(capsys, "patterns", "series", "--workspace", str(ws.root), "--draft", str(chosen["series_id"]),
                     "--user", ANALYST)
    alert_id = int(out.split("下書き #")[1].split()[0])
    engine = store.connect(ws.database_url)
    try:
        alert = get_alert(engine, alert_id)
    finally:
        engine.dispose()
    assert alert.status.value == "draft" and alert.created_by == ANALYST and alert.category == "threat"
    assert "同様の事案が続いています" in alert.body
    assert sorted(map(str, alert.incident_ids)) == sorted(map(str, members["incident_id"]))
    areas = load_areas(ws.root)
    for row in members.to_dict("records"):
        assert assess(row, areas).area_text in alert.body  # each incident's published area is named …
        assert str(row["incident_id"]) not in alert.body  # … never its number, address or own words
        assert str(row["address"]) not in alert.body
    stations = set(members["station"].astype(str))
    if len(stations) > 1:  # across districts: no station is named at all
        assert not [s for s in stations if s in alert.body]
