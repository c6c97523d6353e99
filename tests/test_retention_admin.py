"""Retention deletes personal data for good: only a logged-in admin, in the service, may do it, and it is audited."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from anshin_lab.core.errors import PermissionDenied
from anshin_lab.records.incidents import load_incidents
from anshin_lab.storage import store
from anshin_lab.workflow import audit, authority
from anshin_lab.workflow.retention import purge
from anshin_lab.workflow.rules import Role
from anshin_lab.workflow.users import User, authenticate, logout

from .conftest import row, write_csv
from .staff import PASSWORD, staffed_engine

BEFORE = "2020-01-01"


@pytest.fixture
def engine(staff_template, tmp_path):
    """The staff database with two incidents from 2018 (past retention) and one from 2024."""
    engine = staffed_engine(staff_template[0], tmp_path / "w.sqlite")
    rows = [row(事案番号="OLD-1", 発生日時="2018-05-01 10:00"), row(事案番号="OLD-2", 発生日時="2018-06-02 10:00"),
            row(事案番号="NEW-1", 発生日時="2024-04-15 16:10")]
    loaded = load_incidents(write_csv(tmp_path / "e.csv", rows)).incidents
    store.save_incidents(engine, loaded, source_name="e.csv", source_sha256="0" * 64, rows_read=3, rejected=0)
    yield engine
    engine.dispose()


@pytest.fixture
def staff(staff_template):
    return staff_template[1]


def _state(engine) -> tuple[int, int, list[str]]:
    """(incidents left, count rows kept, the audit log's actions)."""
    with engine.connect() as conn:
        left = conn.execute(sa.select(sa.func.count()).select_from(store.incidents)).scalar()
        counts = conn.execute(sa.select(sa.func.count()).select_from(store.incident_counts)).scalar()
    return left, counts, list(audit.read_log(engine)["action"])


@pytest.mark.parametrize("who", ["nobody", "analyst", "hq", "operator", "hand-made admin"])
def test_a_purge_without_an_admin_login_is_refused_and_changes_nothing(engine, staff, who):
    user = {"nobody": None, "hand-made admin": User("admin", "管理者", Role.ADMIN)}.get(who) or staff.get(who)
    before = _state(engine)
    for dry_run in (True, False):
        with pytest.raises(PermissionDenied):
            purge(engine, BEFORE, user=user, dry_run=dry_run)
    assert _state(engine) == before and before[0] == 3


def test_a_purge_outside_the_service_is_refused_even_for_the_admin(engine, staff):
    before = _state(engine)
    authority.uninstall()  # a notebook's kernel: no key
    with pytest.raises(PermissionDenied, match="anshin service"):
        purge(engine, BEFORE, user=staff["admin"])
    assert _state(engine) == before


def test_a_logged_out_admin_is_refused(engine):  # a fresh session: logging it out spares the shared one
    admin = authenticate(engine, "admin", PASSWORD)
    logout(engine, admin)
    with pytest.raises(PermissionDenied):
        purge(engine, BEFORE, user=admin)
    assert _state(engine)[0] == 3


def test_the_logged_in_admin_purges_and_the_log_names_them(engine, staff):
    counted = purge(engine, BEFORE, user=staff["admin"], dry_run=True)
    assert counted.incidents == 2 and _state(engine)[0] == 3
    done = purge(engine, BEFORE, user=staff["admin"])
    assert done.incidents == 2 and _state(engine)[:2] == (1, 2)
    log = audit.read_log(engine)
    mine = log[log["action"].str.startswith("retention_purge")]
    assert list(mine["action"]) == ["retention_purge_dry_run", "retention_purge"]
    assert set(mine["actor"]) == {"admin"}
    assert audit.verify(engine).ok
