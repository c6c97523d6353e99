"""Exports of personal data are owner-only and audited: who, what, how many, where; none without its record."""

from __future__ import annotations

import getpass
import json
import shutil
import stat

import pytest

from anshin_lab.app.access_audit import EXPORT_ACTION, file_sha256
from anshin_lab.app.retention_files import purge_workspace
from anshin_lab.app.workspace import open_workspace
from anshin_lab.cli.main import main
from anshin_lab.core.errors import PermissionDenied
from anshin_lab.storage import store
from anshin_lab.views.exports import write_internal_map
from anshin_lab.workflow import audit, authority, users
from anshin_lab.workflow.rules import Role

from .service_process import running_service
from .staff import PASSWORD


@pytest.fixture
def ws(imported_workspace, tmp_path):
    """A copy of the workspace with the sample incidents imported (its own database and folders)."""
    root = tmp_path / "ws"
    shutil.copytree(imported_workspace.root, root, ignore=shutil.ignore_patterns("internal"))
    return open_workspace(root)


def exports(ws) -> list[dict]:
    engine = store.connect(ws.database_url)
    try:
        log = audit.read_log(engine)
    finally:
        engine.dispose()
    return [{**json.loads(row.details), "actor": row.actor}
            for row in log[log["action"] == EXPORT_ACTION].itertuples()]


def incident_count(ws) -> int:
    engine = store.connect(ws.database_url)
    try:
        return len(store.read_incidents(engine))
    finally:
        engine.dispose()


def test_anshin_map_internal_writes_owner_only_and_records_who_and_how_many(ws, capsys):
    assert main(["map", "internal", "--workspace", str(ws.root)]) == 0
    path = ws.root / "internal" / "incident_map.html"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) & 0o077 == 0
    [entry] = exports(ws)
    assert entry["actor"] == f"os:{getpass.getuser()}" and entry["what"] == "internal_map"
    assert entry["rows"] == incident_count(ws) > 0 and entry["path"] == str(path.resolve())
    assert entry["sha256"] == file_sha256(path) and entry["oldest"].startswith("20")
    out = capsys.readouterr().out
    assert str(path) in out and f"事案 {entry['rows']}件" in out and "監査ログ" in out


def test_an_internal_map_written_elsewhere_is_owner_only_too(ws, tmp_path):
    export = write_internal_map(ws.root, since="2026-10-01", out=tmp_path / "mine" / "map.html")
    assert stat.S_IMODE(export.path.stat().st_mode) == 0o600
    [entry] = exports(ws)
    assert entry["since"].startswith("2026-10-01") and entry["rows"] == export.rows < incident_count(ws)


def test_without_the_key_or_the_service_nothing_is_written(ws, capsys, monkeypatch):
    authority.uninstall()
    ws.key_file.unlink()  # an analyst's OS user: no key to read, and no service running
    monkeypatch.delenv("ANSHIN_SERVICE_URL", raising=False)
    assert main(["map", "internal", "--workspace", str(ws.root)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "監査ログ" in err and "anshin service" in err
    assert not (ws.root / "internal" / "incident_map.html").exists()
    with pytest.raises(PermissionDenied):
        write_internal_map(ws.root)
    assert not (ws.root / "internal").exists() and exports(ws) == []


def test_through_the_service_the_entry_names_the_logged_in_user(ws, tmp_path):
    engine = store.connect(ws.database_url)
    try:
        users.add_user(engine, None, "admin", Role.ADMIN, PASSWORD)
        users.add_user(engine, users.authenticate(engine, "admin", PASSWORD), "sato", Role.ANALYST, PASSWORD)
    finally:
        engine.dispose()
    with running_service(ws) as service, service.logged_in("sato", PASSWORD) as client:
        authority.uninstall()  # this process holds no key: only the service can write the entry
        export = write_internal_map(ws.root, since="2026-09-01", client=client)
    [entry] = exports(ws)
    assert entry["actor"] == "sato" == export.actor and entry["rows"] == export.rows > 0
    assert entry["os_user"] == getpass.getuser() and entry["sha256"] == file_sha256(export.path)


def test_an_export_showing_a_record_past_retention_goes_with_it_unless_written_over(ws, tmp_path):
    engine = store.connect(ws.database_url)
    try:
        users.add_user(engine, None, "admin", Role.ADMIN, PASSWORD)
        admin = users.authenticate(engine, "admin", PASSWORD)
        kept = write_internal_map(ws.root, out=tmp_path / "kept.html")
        kept.path.write_text("別の内容", encoding="utf-8")  # written over since: not the export any more
        gone = write_internal_map(ws.root, out=tmp_path / "gone.html")
        oldest = exports(ws)[-1]["oldest"]
        report = purge_workspace(ws, engine, user=admin, before=oldest[:10] + "T23:59")
    finally:
        engine.dispose()
    assert report.removed["internal_exports"] == 1 and report.incidents >= 1
    assert not gone.path.exists() and kept.path.exists()
