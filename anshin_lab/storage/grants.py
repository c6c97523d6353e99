"""PostgreSQL roles that hold the trust boundary in the database itself.

On a shared PostgreSQL, analysts connect with logins of their own; a notebook
that holds such a login can run any SQL it likes. So the database refuses
what only the service may write, whatever the code does:

- ``anshin_analyst`` (analysts, the scheduler) reads what analysis and
  reports read, and writes only the imports (incidents, fraud calls, members
  and their logs) and the report schedule. It cannot insert, change or delete
  an alert, an approval (``alert_events``), a consent, a designation, an
  account, a session, the outbox, a bounce, a delivery run, a stop request or
  the audit log, and it cannot read password hashes.
- ``anshin_service`` (the login ``anshin service`` runs with) reads and writes
  every table; it owns nothing, so it cannot change the schema or the grants.
- ``anshin_members`` (the login ``anshin members serve`` runs with: the member
  site on the internet's side) reads and writes only the members, their
  categories and areas (with the 町丁目 next to a chosen one) and the used
  member-site tokens (``MEMBER_SITE_TABLES``);
  it sees no incident, alert, account or audit row.

All three are group roles (NOLOGIN): a person's login joins one
(``GRANT anshin_analyst TO alice``). The schema's owner (the login that runs
the migration) applies the grants with :func:`apply_grants`; it is idempotent
and re-grants every table of the schema, so a table added by a later version
gets its grants at the next migration. A table this module does not name is
the service's alone (analysts may only read it). SQLite has no roles: there
the boundary is the service's key (``workflow.authority``) and the file's
owner (see the README).
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

from anshin_lab.core.errors import StoreError
from anshin_lab.storage.schema import metadata

__all__ = ["ANALYST_ROLE", "ANALYST_WRITES", "HIDDEN_COLUMNS", "MEMBERS_ROLE", "MEMBER_SITE_TABLES", "SERVICE_ROLE",
           "apply_grants", "ensure_grants", "table_privileges"]

ANALYST_ROLE = "anshin_analyst"
SERVICE_ROLE = "anshin_service"
MEMBERS_ROLE = "anshin_members"

# What analysts write: imports and their logs, and the report schedule's claims and run log.
ANALYST_WRITES = frozenset({
    "incidents", "imports", "fraud_calls", "fraud_imports",
    "members", "member_imports", "member_categories", "member_areas", "station_districts", "chome_neighbours",
    "schedule_periods", "schedule_runs",
})

# The member site's tables: all it reads and writes (DELETE too: a saved choice replaces the last one).
MEMBER_SITE_TABLES = frozenset({"members", "member_categories", "member_areas", "member_token_uses",
                                "chome_neighbours"})

# Columns analysts may not read (offline guessing of passwords needs the hash).
HIDDEN_COLUMNS = {"users": frozenset({"password_hash"})}

_ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
_PRIVILEGES = ("SELECT", "INSERT", "UPDATE", "DELETE")


def _role(engine: sa.Engine, name: str) -> str:
    if not _ROLE_NAME.match(name):
        raise StoreError(f"ロール名「{name}」は使えません(英小文字・数字・_ で63文字まで)")
    return engine.dialect.identifier_preparer.quote_identifier(name)


def _statements(engine: sa.Engine, conn: sa.Connection, analyst: str, service: str, members: str) -> list[str]:
    """The GRANT/REVOKE statements that give each table of the schema its privileges."""
    quote = engine.dialect.identifier_preparer.quote_identifier
    schema = quote(conn.execute(sa.text("SELECT current_schema()")).scalar())
    statements = [f"REVOKE CREATE ON SCHEMA {schema} FROM PUBLIC",
                  f"GRANT USAGE ON SCHEMA {schema} TO {analyst}, {service}, {members}"]
    for table in metadata.sorted_tables:
        name = f"{schema}.{quote(table.name)}"
        statements += [f"REVOKE ALL ON TABLE {name} FROM PUBLIC, {analyst}, {service}, {members}",
                       f"GRANT {', '.join(_PRIVILEGES)} ON TABLE {name} TO {service}"]
        if table.name in MEMBER_SITE_TABLES:
            statements.append(f"GRANT {', '.join(_PRIVILEGES)} ON TABLE {name} TO {members}")
        hidden = HIDDEN_COLUMNS.get(table.name, frozenset())
        if hidden:
            shown = ", ".join(quote(c.name) for c in table.columns if c.name not in hidden)
            statements.append(f"GRANT SELECT ({shown}) ON TABLE {name} TO {analyst}")
        else:
            statements.append(f"GRANT SELECT ON TABLE {name} TO {analyst}")
        if table.name in ANALYST_WRITES:
            statements.append(f"GRANT INSERT, UPDATE ON TABLE {name} TO {analyst}")
        for column in table.primary_key.columns:
            sequence = conn.execute(sa.text("SELECT pg_get_serial_sequence(:t, :c)"),
                                    {"t": f"{schema}.{quote(table.name)}", "c": column.name}).scalar()
            if sequence:
                statements.append(f"GRANT USAGE, SELECT, UPDATE ON SEQUENCE {sequence} TO {service}")
                if table.name in ANALYST_WRITES:
                    statements.append(f"GRANT USAGE, SELECT ON SEQUENCE {sequence} TO {analyst}")
    return statements


def apply_grants(engine: sa.Engine, *, analyst_role: str = ANALYST_ROLE, service_role: str = SERVICE_ROLE,
                 members_role: str = MEMBERS_ROLE) -> int:
    """Create the three group roles when missing and grant each table its privileges; returns the statements run.

    Run it as the schema's owner (the login that created the tables), which
    also needs CREATEROLE the first time. Nothing happens on a database other
    than PostgreSQL (0). Raises ``StoreError`` naming the fix when PostgreSQL
    refuses, having changed nothing (one transaction).
    """
    if engine.dialect.name != "postgresql":
        return 0
    analyst, service, members = _role(engine, analyst_role), _role(engine, service_role), _role(engine, members_role)
    try:
        with engine.begin() as conn:
            for name, quoted in ((analyst_role, analyst), (service_role, service), (members_role, members)):
                if conn.execute(sa.text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": name}).first() is None:
                    conn.execute(sa.text(f"CREATE ROLE {quoted} NOLOGIN"))
            statements = _statements(engine, conn, analyst, service, members)
            for statement in statements:
                conn.execute(sa.text(statement))
    except SQLAlchemyError as exc:
        cause = str(getattr(exc, "orig", exc)).splitlines()[0]
        raise StoreError("PostgreSQL のロールと権限を設定できません(テーブルの所有者で、初回は CREATEROLE "
                         f"を持つログインで実行してください): {cause}") from exc
    return len(statements)


def ensure_grants(engine: sa.Engine, **roles) -> int:
    """The migration's call: :func:`apply_grants` when this login owns the schema's tables, else nothing (0).

    An analyst's or the service's login connects through the same
    ``store.connect`` and owns nothing, so for them this is a no-op, never
    an error; SQLite is a no-op too.
    """
    if engine.dialect.name != "postgresql":
        return 0
    with engine.connect() as conn:
        owner = conn.execute(sa.text(
            "SELECT tableowner = current_user FROM pg_tables WHERE schemaname = current_schema() AND tablename = :t"),
            {"t": "alerts"}).scalar()
    return apply_grants(engine, **roles) if owner else 0


def table_privileges(engine: sa.Engine, role: str) -> dict[str, frozenset[str]]:
    """``{table: {"SELECT", "INSERT", …}}`` that ``role`` holds on each table of the schema (whole-table privileges)."""
    if engine.dialect.name != "postgresql":
        return {}
    found = {}
    with engine.connect() as conn:
        for table in metadata.sorted_tables:
            found[table.name] = frozenset(
                privilege for privilege in _PRIVILEGES
                if conn.execute(sa.text("SELECT has_table_privilege(:r, :t, :p)"),
                                {"r": role, "t": table.name, "p": privilege}).scalar())
    return found
