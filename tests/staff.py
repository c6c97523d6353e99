"""Staff accounts for workflow tests, built once: argon2 hashing is slow on purpose."""

import shutil


from anshin_lab.storage import store
from anshin_lab.workflow import users
from anshin_lab.workflow.rules import Role

PASSWORD = "correct horse battery"
STAFF = [("analyst", Role.ANALYST), ("chief", Role.STATION_CHIEF), ("hq", Role.HQ_PLANNING_CHIEF),
         ("division", Role.HQ_DIVISION_CHIEF), ("duty", Role.DUTY_OFFICER), ("operator", Role.OPERATOR),
         ("operator2", Role.OPERATOR), ("reviewer", Role.REVIEWER)]


def add_staff(engine) -> dict:
    """Every staff role as a user (password ``PASSWORD``), with the operator designated."""
    admin = users.add_user(engine, None, "admin", Role.ADMIN, PASSWORD)
    people = {"admin": admin}
    for name, role in STAFF:
        people[name] = users.add_user(engine, admin, name, role, PASSWORD)
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


