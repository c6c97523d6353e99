import pandas as pd

from anshin_lab.app.imports import import_incidents

from .conftest import row, write_csv


def test_import_stores_accepted_and_quarantines_rejected(tmp_path, fresh_workspace):
    path = write_csv(tmp_path / "export.csv", [row(), row(事案番号="K-2", 分類="交通違反"), row(事案番号="K-3")])
    report = import_incidents(path, fresh_workspace)
    assert (report.rows_read, report.accepted, report.rejected, report.inserted) == (3, 2, 1, 2)
    assert report.quarantine_path.parent == fresh_workspace.quarantine_dir
    quarantined = pd.read_csv(report.quarantine_path, encoding="utf-8-sig", dtype=str)
    assert list(quarantined["row"]) == ["3"]
    assert quarantined.loc[0, "分類"] == "交通違反"
    assert "交通違反" in quarantined.loc[0, "reason"]
    assert list(read_incidents_of(fresh_workspace)["incident_id"]) == ["K-1", "K-3"]


def test_importing_the_same_file_twice_changes_nothing(tmp_path, fresh_workspace):
    path = write_csv(tmp_path / "export.csv", [row(), row(事案番号="K-2", 分類="交通違反")])
    first = import_incidents(path, fresh_workspace)
    db_bytes = _table_dump(fresh_workspace)
    quarantine = first.quarantine_path.read_bytes()
    second = import_incidents(path, fresh_workspace)
    assert (second.inserted, second.unchanged, second.conflicts) == (0, 1, 0)
    assert _table_dump(fresh_workspace) == db_bytes
    assert second.quarantine_path == first.quarantine_path
    assert second.quarantine_path.read_bytes() == quarantine
    assert sorted(p.name for p in fresh_workspace.quarantine_dir.iterdir()) == [first.quarantine_path.name]


def test_changed_reexport_is_quarantined_as_conflict(tmp_path, fresh_workspace):
    import_incidents(write_csv(tmp_path / "a.csv", [row()]), fresh_workspace)
    report = import_incidents(write_csv(tmp_path / "b.csv", [row(概要="訂正後の概要")]), fresh_workspace)
    assert report.conflicts == 1 and report.inserted == 0
    quarantined = pd.read_csv(report.quarantine_path, encoding="utf-8-sig", dtype=str)
    assert quarantined.loc[0, "row"] == "2"
    assert "別の内容で登録済み" in quarantined.loc[0, "reason"]


def read_incidents_of(ws):
    """Stored incidents of a workspace that has no area layers yet."""
    from anshin_lab.storage import store

    engine = store.connect(ws.database_url)
    try:
        return store.read_incidents(engine)
    finally:
        engine.dispose()


def _table_dump(ws) -> list:
    import sqlite3

    with sqlite3.connect(ws.root / "anshin.sqlite") as conn:
        return list(conn.iterdump())


def test_files_with_personal_data_are_owner_only(tmp_path, fresh_workspace):
    report = import_incidents(write_csv(tmp_path / "e.csv", [row(), row(事案番号="K-2", 分類="交通違反")]),
                              fresh_workspace)
    assert report.quarantine_path.stat().st_mode & 0o777 == 0o600
    assert (fresh_workspace.root / "anshin.sqlite").stat().st_mode & 0o777 == 0o600
