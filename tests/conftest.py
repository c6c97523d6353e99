"""Shared fixtures: the committed reference data, small real files in tmp_path, and the test acting as the service."""

from __future__ import annotations

import contextlib
import io
import itertools
import os
import re
from pathlib import Path

import pytest
from hypothesis import settings

from anshin_lab.core import glossary
from anshin_lab.workflow import authority

from .staff import ANCHOR_VARIABLE, KEY_VARIABLE

# The property tests draw the same examples on every run of `make test` ("ci": a merge is never blocked by a rare
# draw nobody reproduced), and fresh random ones under `make fuzz` ("fuzz"), which is how new holes are found.
settings.register_profile("ci", derandomize=True)
settings.register_profile("fuzz", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

PROJECT = Path(__file__).resolve().parents[1]
REFERENCE = PROJECT / "data" / "reference"

# A clean export row as the police system writes it (Japanese headers, 和暦).
GOOD_ROW = {
    "事案番号": "K-1",
    "分類": "脅威事犯",
    "手口": "声かけ",
    "発生日時": "令和6年4月15日(月)午後4時10分頃",
    "発生場所": "鹿児島市紫原3丁目12番5号",
    "場所属性": "路上",
    "緯度": "31.5600",
    "経度": "130.5300",
    "被害者学職・年代": "小学生",
    "被害者性別": "女",
    "概要": "下校中の女子児童に対し、男が声をかけたもの。",
    "行為者の特徴": "男、40歳代、身長170センチくらい",
    "管轄署": "鹿児島南警察署",
    "配信同意": "あり",
}
HEADERS = list(GOOD_ROW)


def write_csv(path: Path, rows: list[dict], *, encoding: str = "cp932", headers=None) -> Path:
    """Write rows under Japanese headers, the way the police system exports them."""
    headers = headers or HEADERS
    lines = [",".join(headers)]
    for row in rows:
        lines.append(",".join(_quote(row.get(h, "")) for h in headers))
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def _quote(value) -> str:
    text = str(value)
    if any(ch in text for ch in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def row(**changes) -> dict:
    """GOOD_ROW with some export columns changed (keys are Japanese headers)."""
    return {**GOOD_ROW, **changes}


_TESTS = itertools.count(1)
# The files whose tests read the demo's workspace (a whole demo run, about two and a half minutes).
_DEMO_FIXTURE = re.compile(r"\bdemo_(?:run|workspace)\b")


@pytest.hookimpl(tryfirst=True, optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """``make test`` (pytest-xdist, ``--dist loadfile``): a file's tests run in one process, which builds that file's
    fixtures once, and the files that read the demo's workspace run in one process, which runs the demo once instead
    of once in each. (``--dist loadgroup`` with ``xdist_group`` marks would say the same, but pytest-xdist 3.8 loses
    the marks under pytest 9.2: pytest-dev/pytest-xdist#1386.)"""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadScopeScheduling

    tests = Path(__file__).parent
    demo_files = {f"{tests.name}/{path.name}" for path in tests.glob("test_*.py")
                  if _DEMO_FIXTURE.search(path.read_text(encoding="utf-8"))}

    class FilesAndTheDemo(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            path = nodeid.split("::", 1)[0]
            return "demo" if path in demo_files else path

    return FilesAndTheDemo(config, log)


@pytest.fixture(scope="session", autouse=True)
def service_authority(tmp_path_factory):
    """The test session acts as the service: one key (0600 in a tmp folder) for every test and fixture.

    Its path is left in the environment (``staff.KEY_VARIABLE``) so that a
    subprocess started by a test can act as the service too
    (``staff.act_as_service()``).
    """
    folder = tmp_path_factory.mktemp("service")
    key_file = folder / "secrets" / "service.key"
    session = authority.Authority(authority.create_key(key_file), folder / "anchor-session.log")
    saved = {name: os.environ.get(name) for name in (KEY_VARIABLE, ANCHOR_VARIABLE)}
    os.environ[KEY_VARIABLE] = str(key_file)
    os.environ[ANCHOR_VARIABLE] = str(session.audit_anchor)
    authority.install(session)
    yield session
    authority.uninstall()
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture(autouse=True)
def acting_as_service(service_authority):
    """Each test runs as the service with the session's key and an audit anchor file of its own.

    A file per test, because the staff databases are copies of one template
    (one database id): a copy's history must not be compared with another
    copy's. Restored after the test, so a test that calls
    ``authority.uninstall()`` (to check "no key") affects nothing else.
    """
    anchor = service_authority.audit_anchor.with_name(f"anchor-{next(_TESTS)}.log")
    test_authority = authority.Authority(service_authority.key, anchor)
    authority.install(test_authority)
    os.environ[ANCHOR_VARIABLE] = str(anchor)
    yield test_authority
    authority.install(service_authority)
    os.environ[ANCHOR_VARIABLE] = str(service_authority.audit_anchor)


@pytest.fixture
def reference_dir() -> Path:
    return REFERENCE


@pytest.fixture(scope="session")
def canonical_columns():
    return list(glossary.INCIDENT_COLUMNS + glossary.OPTIONAL_COLUMNS)


@pytest.fixture(scope="session")
def built_workspace(tmp_path_factory):
    """A whole workspace built by ``anshin init`` (layers, database, sample data), shared read-mostly."""
    from anshin_lab.app.workspace import init_workspace
    from anshin_lab.demo.sample import write_sample

    return init_workspace(tmp_path_factory.mktemp("workspace"), sample=write_sample)


@pytest.fixture
def fresh_workspace(tmp_path):
    """A workspace with its reference data and database but no imports yet (cheap)."""
    from anshin_lab.storage import store
    from anshin_lab.app.workspace import copy_reference, open_workspace

    ws = open_workspace(tmp_path / "ws")
    ws.root.mkdir()
    copy_reference(ws, lambda message: None)
    store.connect(ws.database_url).dispose()
    return ws


@pytest.fixture(scope="session")
def imported_workspace(built_workspace):
    """The built workspace with its sample police export imported."""
    from anshin_lab.app.imports import import_incidents

    import_incidents(built_workspace.sample_dir / "incidents_export.csv", built_workspace)
    return built_workspace


@pytest.fixture(scope="session")
def postgres_url():
    """A real PostgreSQL cluster on a Unix socket, for the shared-deployment configuration."""
    from .postgres import throwaway_cluster

    with throwaway_cluster() as url:
        yield url


@pytest.fixture(scope="session")
def staff_template(tmp_path_factory):
    """(path of a database holding every staff role, {name: logged-in User}); copy it with ``staffed_engine``."""
    from .staff import build_staff_template

    return build_staff_template(tmp_path_factory)


@pytest.fixture
def engine(staff_template, tmp_path):
    """A fresh copy of the staff database (a real SQLite file) for one test; a module may define its own."""
    from .staff import staffed_engine

    engine = staffed_engine(staff_template[0], tmp_path / "staff.sqlite")
    yield engine
    engine.dispose()


@pytest.fixture
def staff(staff_template):
    """{name: logged-in User} of the staff database."""
    return staff_template[1]


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory):
    """The whole demo, run once per session in tmp (about a minute): its result, with "printed" and "stderr".

    stderr is captured as a log file or CI sees it (not a terminal). Tests only read what it made; the one
    that runs the demo again checks that this changes nothing.
    """
    from anshin_lab.demo.run import run_demo

    root = tmp_path_factory.mktemp("demo-session")
    printed, stderr = [], io.StringIO()
    with contextlib.redirect_stderr(stderr):
        result = run_demo(root / "ws", reports_dir=root / "reports", out=printed.append, progress=lambda m: None)
    return {**result, "printed": printed, "stderr": stderr.getvalue()}


@pytest.fixture(scope="session")
def demo_workspace(demo_run):
    """(workspace, reports folder) after the whole demo ran: alerts sent, reports and the public site written."""
    return demo_run["workspace"], demo_run["reports_dir"]


@pytest.fixture(scope="session", autouse=True)
def stop_warm_report_kernels(tmp_path_factory):
    """Stop the warm report kernels the tests' workspaces started (they would idle on for 20 minutes)."""
    yield
    from anshin_lab.views.reports.kernel import KERNEL_FOLDER, WarmKernel  # only when the session ends

    for folder in tmp_path_factory.getbasetemp().glob(f"**/{KERNEL_FOLDER}"):
        WarmKernel(folder).stop()
