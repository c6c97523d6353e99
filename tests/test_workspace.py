import json

import pandas as pd

from anshin_lab.records.incidents import load_incidents
from anshin_lab.app.workspace import init_workspace, load_layer


def test_init_builds_every_part(built_workspace):
    ws = built_workspace
    for path in (ws.layers_file, ws.root / "anshin.sqlite", ws.sample_dir / "incidents_export.csv",
                 ws.sample_dir / "fraud_calls.csv", ws.sample_dir / "members.csv", ws.reference_dir / "README.md"):
        assert path.exists(), path
    small = load_layer(ws, "small_areas")
    assert len(small) > 1700 and small["station"].notna().all() and small["approximate"].all()
    assert len(load_layer(ws, "municipalities")) == 43


def test_init_again_leaves_existing_parts_alone(built_workspace):
    before = {p: p.stat().st_mtime_ns for p in built_workspace.root.rglob("*") if p.is_file()}
    init_workspace(built_workspace.root)
    after = {p: p.stat().st_mtime_ns for p in built_workspace.root.rglob("*") if p.is_file()
             if not p.name.startswith("anshin.sqlite")}
    assert after == {p: m for p, m in before.items() if not p.name.startswith("anshin.sqlite")}


def test_sample_export_quarantines_exactly_its_bad_rows(built_workspace):
    ws = built_workspace
    result = load_incidents(ws.sample_dir / "incidents_export.csv", reference_dir=ws.reference_dir)
    bad = json.loads((ws.sample_dir / "bad_rows.json").read_text(encoding="utf-8"))
    assert result.encoding == "cp932"
    assert result.accepted >= 2000
    assert result.accepted + len(result.rejected) == result.rows_read
    expected_rows = {b["row"] for b in bad}
    # A conflicting duplicate also rejects the original row it repeats.
    conflict = next(b for b in bad if b["kind"] == "duplicate_conflict")
    rejected_rows = set(result.rejected["row"])
    assert expected_rows <= rejected_rows
    assert len(rejected_rows - expected_rows) == 1
    assert conflict["incident_id"] in set(result.rejected["事案番号"])
    assert set(result.incidents["category"]) == {"threat", "fugitive", "fraud", "community", "missing"}
    span = result.incidents["occurred_at"]
    assert span.min() >= pd.Timestamp("2025-12-01", tz="Asia/Tokyo")
    assert span.max() < pd.Timestamp("2026-12-01", tz="Asia/Tokyo")
