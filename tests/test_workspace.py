import json
import shutil

import pandas as pd

from anshin_lab import load_incidents
from anshin_lab.app.workspace import init_workspace, load_layer, open_workspace


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


def test_init_writes_the_sample_only_through_the_writer_it_is_given(built_workspace, tmp_path):
    assert built_workspace.is_initialised()
    ws = open_workspace(tmp_path / "ws")
    ws.layers_file.parent.mkdir(parents=True)
    shutil.copy2(built_workspace.layers_file, ws.layers_file)  # spare rebuilding the layers
    assert not ws.is_initialised()  # no database yet
    init_workspace(ws.root)
    assert ws.is_initialised() and not ws.sample_dir.exists()
    calls = []
    init_workspace(ws.root, sample=lambda sample_dir, small, seed: calls.append((sample_dir, len(small), seed)) or {})
    assert calls == [(ws.sample_dir, len(load_layer(ws, "small_areas")), ws.settings.sample_seed)]


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
