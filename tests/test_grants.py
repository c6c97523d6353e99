"""The PostgreSQL roles: an analyst's login cannot write alerts, approvals, consents or the outbox; the service can.

Runs on the real PostgreSQL cluster the tests start (``tests/postgres.py``),
in a database of its own, with real login roles that join the group roles.
"""

from __future__ import annotations

import psycopg
import pytest
import sqlalchemy as sa
from sqlalchemy.exc import ProgrammingError

from anshin_lab.core.clock import utc_now
from anshin_lab.core.errors import StoreError
from anshin_lab.records.incidents import load_incidents
from anshin_lab.storage import grants, store

from .conftest import row, write_csv

ALICE, SERVICE_LOGIN = "grants_alice", "grants_service"
# What the directive's gates rest on: no analyst may write any of it (issue 21).
PROTECTED = ("alerts", "alert_events", "consents", "outbox", "operator_designations", "users", "sessions",
             "audit_log", "send_controls", "service_meta", "bounces", "delivery_runs")


def _as(url: str, username: str, database: str = "anshin_grants") -> str:
    return sa.make_url(url).set(username=username, database=database).render_as_string(hide_password=False)


@pytest.fixture(scope="module")
def urls(postgres_url):
    """(owner, analyst, service) URLs of a fresh database whose schema the owner migrated and granted."""
    server = sa.create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        conn.execute(sa.text("DROP DATABASE IF EXISTS anshin_grants"))
        conn.execute(sa.text("CREATE DATABASE anshin_grants"))
    server.dispose()
    owner_url = _as(postgres_url, sa.make_url(postgres_url).username)
    owner = store.connect(owner_url)  # the migration: the owner creates the tables …
    assert grants.apply_grants(owner) > 0  # … and grants them
    with owner.begin() as conn:
        for login, group in ((ALICE, grants.ANALYST_ROLE), (SERVICE_LOGIN, grants.SERVICE_ROLE)):
            if conn.execute(sa.text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": login}).first() is None:
                conn.execute(sa.text(f"CREATE ROLE {login} LOGIN IN ROLE {group}"))
        now = utc_now()
        conn.execute(store.users.insert().values(username="chief", display_name="課長", role="hq_planning_chief",
                                                 password_hash="$argon2id$secret", failed_logins=0, active=True,
                                                 created_at=now, created_by="chief"))
        assert conn.execute(store.alerts.insert().values(**_alert(now))).inserted_primary_key[0] == 1
        conn.execute(store.alert_events.insert().values(alert_id=1, action="approve", actor="chief",
                                                        role="hq_planning_chief", at=now, signature="f" * 64))
    owner.dispose()
    return owner_url, _as(postgres_url, ALICE), _as(postgres_url, SERVICE_LOGIN)


def _alert(now) -> dict:
    return dict(category="threat", status="hq_approved", subject="【声かけ事案】", body="本文", level="TOWN",
                assessed_level="TOWN", public_text="鹿児島市", area_codes={}, incident_ids=[], urgent=False,
                created_by="chief", created_at=now, updated_at=now)


@pytest.fixture
def analyst(urls):
    engine = store.connect(urls[1])  # an analyst's notebook connects the same way as everyone
    yield engine
    engine.dispose()


@pytest.fixture
def service(urls):
    engine = store.connect(urls[2])
    yield engine
    engine.dispose()


def _refused(engine: sa.Engine, statement) -> None:
    with pytest.raises(ProgrammingError) as info:
        with engine.begin() as conn:
            conn.execute(statement)
    assert isinstance(info.value.orig, psycopg.errors.InsufficientPrivilege), info.value.orig


def test_an_analyst_login_cannot_write_alerts_approvals_consents_or_the_outbox(analyst):
    now = utc_now()
    _refused(analyst, store.alerts.insert().values(**_alert(now)))
    _refused(analyst, store.alerts.update().where(store.alerts.c.alert_id == 1).values(body="被害者の氏名を追加"))
    _refused(analyst, store.alert_events.update().values(content_hash="0" * 64))
    _refused(analyst, store.alert_events.insert().values(alert_id=1, action="approve", actor="chief",
                                                         role="hq_planning_chief", at=now))
    _refused(analyst, store.consents.insert().values(alert_id=1, kind="本人", given_at=now, method="対面", scope="全文",
                                                     anshin_mail_ticked=True, recorded_by="chief", recorded_at=now))
    _refused(analyst, store.outbox.insert().values(alert_id=1, member_id="M1", seq=1, email="a@example.jp",
                                                   domain="example.jp", message_id="<x@example.jp>", state="queued",
                                                   attempts=0, ambiguous=0, queued_at=now))
    _refused(analyst, store.users.update().values(role="admin"))
    _refused(analyst, store.operator_designations.insert().values(username="chief", designated_by="chief",
                                                                  designated_at=now))
    _refused(analyst, store.audit_log.delete())
    _refused(analyst, store.send_controls.delete())
    _refused(analyst, store.sessions.insert().values(session_id="s" * 64, username="chief", issued_at=now,
                                                     expires_at=now))
    _refused(analyst, store.service_meta.insert().values(name="database_id", value="forged"))
    _refused(analyst, sa.text(f"SET ROLE {grants.SERVICE_ROLE}"))
    _refused(analyst, store.users.select())  # password hashes stay unreadable
    _refused(analyst, sa.text("CREATE TABLE shadow (x int)"))


def test_an_analyst_login_reads_and_imports(analyst, tmp_path):
    with analyst.connect() as conn:
        assert conn.execute(sa.select(store.alerts.c.subject)).scalar() == "【声かけ事案】"
        assert conn.execute(sa.select(sa.func.count()).select_from(store.alert_events)).scalar() == 1
        assert conn.execute(sa.select(store.users.c.username, store.users.c.role)).all() == \
            [("chief", "hq_planning_chief")]
        conn.execute(sa.select(sa.func.count()).select_from(store.audit_log)).scalar()
    loaded = load_incidents(write_csv(tmp_path / "e.csv", [row(), row(事案番号="K-2")])).incidents
    assert _import(analyst, loaded).inserted == 2 and _import(analyst, loaded).unchanged == 2
    with analyst.begin() as conn:
        run_id = conn.execute(store.schedule_runs.insert().values(
            job_id="weekly", period_start="2026-11-01", period_end="2026-11-07", scheduled_for=utc_now(),
            started_at=utc_now(), status="running", forced=False)).inserted_primary_key[0]
        conn.execute(store.schedule_runs.update().where(store.schedule_runs.c.run_id == run_id).values(status="ok"))
    assert grants.ensure_grants(analyst) == 0  # an analyst's connect never tries to grant


def _import(engine, frame):
    return store.save_incidents(engine, frame, source_name="e.csv", source_sha256="0" * 64, rows_read=len(frame),
                                rejected=0)


def test_the_service_login_writes_every_table(service):
    now = utc_now()
    with service.begin() as conn:
        alert_id = conn.execute(store.alerts.insert().values(**_alert(now))).inserted_primary_key[0]
        conn.execute(store.alert_events.insert().values(alert_id=alert_id, action="approve", actor="chief",
                                                        role="hq_planning_chief", at=now))
        conn.execute(store.consents.insert().values(alert_id=alert_id, kind="本人", given_at=now, method="対面",
                                                    scope="全文", anshin_mail_ticked=True, recorded_by="chief",
                                                    recorded_at=now))
        conn.execute(store.send_controls.insert().values(alert_id=alert_id, stop_requested_at=now,
                                                         stop_requested_by="chief"))
        conn.execute(store.send_controls.delete().where(store.send_controls.c.alert_id == alert_id))
        conn.execute(store.users.update().where(store.users.c.username == "chief").values(failed_logins=0))
        assert conn.execute(sa.select(store.users.c.password_hash)).scalar().startswith("$argon2")
    with pytest.raises(ProgrammingError):  # the service owns nothing: no schema changes
        with service.begin() as conn:
            conn.execute(sa.text("ALTER TABLE alerts ADD COLUMN forged text"))


def test_every_table_has_its_place_and_no_gate_is_writable_by_analysts(urls):
    owner = sa.create_engine(urls[0])
    try:
        analyst = grants.table_privileges(owner, grants.ANALYST_ROLE)
        service = grants.table_privileges(owner, grants.SERVICE_ROLE)
    finally:
        owner.dispose()
    assert set(analyst) == set(service) == {table.name for table in store.metadata.sorted_tables}
    assert all(privileges == {"SELECT", "INSERT", "UPDATE", "DELETE"} for privileges in service.values())
    for table, privileges in analyst.items():
        expected = {"SELECT", "INSERT", "UPDATE"} if table in grants.ANALYST_WRITES else {"SELECT"}
        assert privileges == expected - ({"SELECT"} if table in grants.HIDDEN_COLUMNS else set()), table
    assert not set(PROTECTED) & grants.ANALYST_WRITES


def test_granting_is_idempotent_and_refused_plainly_to_a_login_that_owns_nothing(urls, analyst):
    owner = sa.create_engine(urls[0])
    try:
        assert grants.ensure_grants(owner) == grants.apply_grants(owner) > 0
    finally:
        owner.dispose()
    with pytest.raises(StoreError, match="ロールと権限を設定できません"):
        grants.apply_grants(analyst)


def test_sqlite_has_no_roles_and_granting_does_nothing(tmp_path):
    engine = store.connect(f"sqlite:///{tmp_path / 'a.sqlite'}")
    try:
        assert grants.apply_grants(engine) == grants.ensure_grants(engine) == 0
    finally:
        engine.dispose()
