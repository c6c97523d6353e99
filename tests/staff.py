"""Staff accounts for workflow tests, built once (argon2 hashing is slow on purpose) and logged in.

Every test acts as the service (``conftest.acting_as_service``), with one key
for the whole session, so the sessions issued here stay valid in every copy
of the template database (until ``SESSION_TTL`` runs out).
"""

import os
import shutil
from pathlib import Path

from anshin_lab.app.workspace import open_workspace
from anshin_lab.storage import store
from anshin_lab.workflow import authority, users
from anshin_lab.workflow.rules import Role

PASSWORD = "correct horse battery"
STAFF = [("analyst", Role.ANALYST), ("chief", Role.STATION_CHIEF), ("hq", Role.HQ_PLANNING_CHIEF),
         ("division", Role.HQ_DIVISION_CHIEF), ("duty", Role.DUTY_OFFICER), ("operator", Role.OPERATOR),
         ("operator2", Role.OPERATOR), ("reviewer", Role.REVIEWER)]
# 所属: the station chief is 鹿児島中央警察署's; everyone else belongs to HQ (本部: the analyst is 生活安全企画課's).
AFFILIATIONS = {"chief": "鹿児島中央警察署"}
# Where the test session's service key and the current test's anchor file are, for subprocesses.
KEY_VARIABLE = "TESTS_SERVICE_KEY_FILE"
ANCHOR_VARIABLE = "TESTS_AUDIT_ANCHOR"


def add_staff(engine) -> dict:
    """Every staff role as a user (password ``PASSWORD``), logged in, with the operator designated."""
    users.add_user(engine, None, "admin", Role.ADMIN, PASSWORD)
    people = {"admin": users.authenticate(engine, "admin", PASSWORD)}
    for name, role in STAFF:
        users.add_user(engine, people["admin"], name, role, PASSWORD, affiliation=AFFILIATIONS.get(name))
        people[name] = users.authenticate(engine, name, PASSWORD)
    users.designate_operator(engine, people["hq"], "operator")
    return people


def build_staff_template(tmp_path_factory):
    """A database with the staff accounts, built once: argon2 hashing is slow on purpose."""
    path = tmp_path_factory.mktemp("staff") / "staff.sqlite"
    engine = store.connect(f"sqlite:///{path}")
    people = add_staff(engine)
    engine.dispose()
    return path, people


def staffed_engine(template, target):
    """A fresh copy of the staff database (a real SQLite file) and its engine."""
    shutil.copyfile(template, target)
    return store.connect(f"sqlite:///{target}")


def act_as_service() -> authority.Authority:
    """In a subprocess a test started: install the test session's key, as the test itself runs.

    A script run with ``subprocess`` (``PYTHONPATH`` = the project) calls
    ``from tests.staff import act_as_service; act_as_service()`` before it
    logs in or sends.
    """
    anchor = os.environ.get(ANCHOR_VARIABLE)
    installed = authority.Authority(authority.load_key(os.environ[KEY_VARIABLE]), Path(anchor) if anchor else None)
    authority.install(installed)
    return installed


def workspace_with_analyst(source, root, analyst: str, password: str):
    """A copy of ``source``'s files (layers, reference, sample) with a database of its own: an admin and ``analyst``."""
    shutil.copytree(source.root, root, ignore=shutil.ignore_patterns("anshin.sqlite*", "quarantine"))
    ws = open_workspace(root)
    engine = store.connect(ws.database_url)
    try:
        users.add_user(engine, None, "admin", "admin", "admin-password-123")
        users.add_user(engine, users.authenticate(engine, "admin", "admin-password-123"), analyst, "analyst", password)
    finally:
        engine.dispose()
    return ws
