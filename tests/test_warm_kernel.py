"""The warm report kernel: a report made on it equals a cold one; busy, dead, hung or dying kernels never fail a
report; its namespace, environment and folder are clean for each report; it never holds a password; it exits when
idle. Real kernels throughout (speed is the benchmark's business: ``python -m benchmarks report``)."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import time

import nbformat
import pytest
from bs4 import BeautifulSoup

from anshin_lab.app.imports import import_fraud_calls
from anshin_lab.app.workspace import open_workspace
from anshin_lab.core.errors import ReportError
from anshin_lab.views import reports
from anshin_lab.views.reports import kernel as warm
from anshin_lab.views.reports.kernel import WarmKernel, data_fingerprint, fingerprint, process_alive

WEEK = ("2026-07-27", "2026-08-02")

# The report notebook's parameters (papermill injects the values after this cell).
PARAMETERS = ('workspace = None\nstart = None\nend = None\narea = "鹿児島県"\ncalls_file = None\n'
              'analyst = ""\nstore_draft = True\nrun_label = ""')
# What a kernel shows of itself: its execution count, working folder, ANSHIN_* variables and leftovers.
INSPECT = """import os
from IPython.display import HTML, display
leftover = globals().get("leftover")
display(HTML(f'<p id="count">{get_ipython().execution_count}</p><p id="cwd">{os.getcwd()}</p>'
     f'<p id="env">{" ".join(sorted(k for k in os.environ if k.startswith("ANSHIN_")))}</p>'
     f'<p id="leftover">{leftover}</p><p id="pid">{os.getpid()}</p>'))"""


@pytest.fixture(scope="module")
def ws(built_workspace, tmp_path_factory):
    """The built workspace's files with a database of its own holding the sample calls; its warm kernel is
    stopped at the end."""
    root = tmp_path_factory.mktemp("warm") / "ws"
    shutil.copytree(built_workspace.root, root, ignore=shutil.ignore_patterns("anshin.sqlite*", "quarantine", "run"))
    workspace = open_workspace(root)
    import_fraud_calls(workspace.sample_dir / "fraud_calls.csv", workspace)
    yield workspace
    WarmKernel.for_workspace(workspace).stop()


@pytest.fixture(autouse=True)
def steady_code(monkeypatch):
    """Other work may edit the package while these tests run: here only the reference data and settings count
    (the fingerprint's code part has a test of its own)."""
    real = warm.fingerprint
    monkeypatch.setattr(warm, "fingerprint", lambda name: real(name, code=False))


def notebook(tmp_path, *cells, name="tiny.ipynb"):
    """A notebook with the report's parameters cell and ``cells``."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(PARAMETERS, metadata={"tags": ["parameters"]}),
                *(nbformat.v4.new_code_cell(c) for c in cells)]
    path = tmp_path / name
    nbformat.write(nb, path)
    return path


def shown(result) -> dict:
    page = BeautifulSoup(result.path.read_text(encoding="utf-8"), "html.parser")
    return {key: page.select_one(f"p#{key}").get_text() for key in ("count", "cwd", "env", "leftover", "pid")}


def run(ws, nb, out, **kwargs):
    return reports.run_fraud_summary(*WEEK, "鹿児島県", workspace=ws.root, reports_dir=out, notebook=nb,
                                     store_draft=kwargs.pop("store_draft", False), **kwargs)


def comparable(text: str) -> str:
    """A report without what differs between any two runs: random element ids, the run time."""
    text = re.sub(r"(?<![0-9a-f])[0-9a-f]{32}(?![0-9a-f])", "ID", text)  # folium's element ids
    text = re.sub(r"cell-id=[0-9a-f-]+", "cell-id=X", text)  # papermill's id of the injected cell
    return re.sub(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:\+09:00)?", "TIME", text)


@pytest.mark.slow
def test_a_report_on_the_warm_kernel_equals_a_cold_one(ws, tmp_path):
    WarmKernel.for_workspace(ws).stop()
    made = {}
    for label, use_warm in (("cold", False), ("first", True), ("again", True)):
        made[label] = reports.run_fraud_summary(*WEEK, "鹿児島県", workspace=ws.root, reports_dir=tmp_path / label,
                                                store_draft=False, warm=use_warm)
    assert [r.kernel for r in made.values()] == ["fresh", "started", "warm"]
    pages = {label: r.path.read_text(encoding="utf-8") for label, r in made.items()}
    assert comparable(pages["cold"]) == comparable(pages["again"]) == comparable(pages["first"])
    soups = {label: BeautifulSoup(page, "html.parser") for label, page in pages.items()}
    sections = [h.get_text() for h in soups["cold"].select("h1, h2")]
    figures = [img["src"] for img in soups["cold"].select("figure.anshin-figure img")]
    assert len(sections) > 8 and len(figures) == 2 and all(src.startswith("data:image/png;base64,") for src in figures)
    for soup in soups.values():  # the same sections and byte-identical charts
        assert [h.get_text() for h in soup.select("h1, h2")] == sections
        assert [img["src"] for img in soup.select("figure.anshin-figure img")] == figures
    assert made["cold"].data_hash == made["again"].data_hash and made["cold"].facts["calls"] == made["again"].facts["calls"]


def test_each_report_gets_a_clean_kernel_and_a_session_but_never_a_password(ws, tmp_path, monkeypatch):
    nb = notebook(tmp_path, INSPECT + "\nleftover = 'from the previous report'")
    monkeypatch.setenv("ANSHIN_PASSWORD", "never-in-a-kernel-123")
    monkeypatch.setenv("ANSHIN_SESSION", "session-of-this-command")
    first = run(ws, nb, tmp_path / "a", warm=True, store_draft=True)
    second = run(ws, nb, tmp_path / "b", warm=True, store_draft=True)
    fresh = run(ws, nb, tmp_path / "c", warm=False, store_draft=True)
    assert second.kernel == "warm" and fresh.kernel == "fresh"
    seen = [shown(r) for r in (first, second, fresh)]
    assert seen[0]["pid"] == seen[1]["pid"] != seen[2]["pid"]
    for one in seen:
        # Numbered as in a new kernel, run beside the notebook, nothing left by the report before it.
        assert one["count"] == seen[2]["count"] and one["cwd"] == str(nb.parent) and one["leftover"] == "None"
        assert "ANSHIN_SESSION" in one["env"].split() and "ANSHIN_PASSWORD" not in one["env"].split()

    # Between reports the warm kernel holds neither the session nor the password, nor the report's data.
    info = WarmKernel.for_workspace(ws).info()
    environ = open(f"/proc/{info['pid']}/environ", "rb").read()
    assert b"never-in-a-kernel" not in environ and b"session-of-this-command" not in environ
    lease = WarmKernel.for_workspace(ws).lease()
    try:
        reply = lease.client.execute("", silent=True, store_history=False, reply=True, timeout=30,
                                     user_expressions={"env": "sorted(__import__('os').environ)",
                                                       "names": "sorted(k for k in globals() if not k.startswith('_'))"})
        values = reply["content"]["user_expressions"]
        assert "ANSHIN_SESSION" not in values["env"]["data"]["text/plain"]
        assert "leftover" not in values["names"]["data"]["text/plain"]
    finally:
        lease.end()


def test_the_command_logs_in_for_the_kernel_and_says_when_it_cannot(ws, tmp_path, monkeypatch):
    nb = notebook(tmp_path, INSPECT)
    monkeypatch.delenv("ANSHIN_SESSION", raising=False)
    monkeypatch.setenv("ANSHIN_PASSWORD", "never-in-a-kernel-123")
    # No anshin service runs for this workspace: the login fails, the report is still made, without a session.
    result = run(ws, nb, tmp_path / "a", warm=True, store_draft=True, analyst="scheduler")
    assert any("ログインに失敗しました" in w and "anshin service" in w for w in result.warnings)
    assert not {"ANSHIN_PASSWORD", "ANSHIN_SESSION"} & set(shown(result)["env"].split())
    quiet = run(ws, nb, tmp_path / "b", warm=True, store_draft=False, analyst="scheduler")
    assert not any("ログイン" in w for w in quiet.warnings)  # no draft to store: no login tried


def test_a_report_after_one_whose_process_died_still_starts_clean(ws, tmp_path):
    nb = notebook(tmp_path, INSPECT)
    run(ws, nb, tmp_path / "a", warm=True)
    lease = WarmKernel.for_workspace(ws).lease()
    lease.begin(tmp_path, {"ANSHIN_SESSION": "of-a-command-that-died"})
    lease.client.execute("leftover = 'from the report that died'", reply=True, timeout=30)
    lease.client.stop_channels()
    os.close(lease.fd)  # its process died here: the lock is free, the kernel not cleared
    result = run(ws, nb, tmp_path / "b", warm=True)
    assert result.kernel == "warm" and shown(result)["leftover"] == "None"
    assert "ANSHIN_SESSION" not in shown(result)["env"].split()


def test_a_busy_warm_kernel_leaves_the_report_to_a_fresh_one(ws, tmp_path):
    nb = notebook(tmp_path, INSPECT)
    run(ws, nb, tmp_path / "a", warm=True)
    held = WarmKernel.for_workspace(ws).lease()  # another report is running on it
    assert held is not None
    try:
        assert WarmKernel.for_workspace(ws).lease() is None
        result = run(ws, nb, tmp_path / "b", warm=True)
        assert result.kernel == "fresh" and shown(result)["pid"] != str(held.pid)
        assert not process_alive(int(shown(result)["pid"]))  # a fresh kernel is stopped after its report
    finally:
        held.end()
    assert run(ws, nb, tmp_path / "c", warm=True).kernel == "warm"


def test_a_dead_warm_kernel_is_replaced(ws, tmp_path):
    nb = notebook(tmp_path, INSPECT)
    before = shown(run(ws, nb, tmp_path / "a", warm=True))["pid"]
    os.kill(int(before), signal.SIGKILL)
    deadline = time.monotonic() + 10
    while process_alive(int(before)) and time.monotonic() < deadline:
        time.sleep(0.05)
    result = run(ws, nb, tmp_path / "b", warm=True)
    assert result.kernel == "started" and shown(result)["pid"] != before


def test_a_hung_warm_kernel_is_stopped_and_the_report_runs_on_a_fresh_one(ws, tmp_path, monkeypatch):
    nb = notebook(tmp_path, INSPECT)
    pid = int(shown(run(ws, nb, tmp_path / "a", warm=True))["pid"])
    monkeypatch.setattr(warm, "CALL_TIMEOUT_S", 1.0)
    os.kill(pid, signal.SIGSTOP)  # alive, but answers nothing
    try:
        result = run(ws, nb, tmp_path / "b", warm=True)
    finally:
        if process_alive(pid):
            os.kill(pid, signal.SIGCONT)
    assert result.kernel == "fresh" and not process_alive(pid)
    assert WarmKernel.for_workspace(ws).info() is None  # its files went with it


def test_a_kernel_that_dies_under_a_report_gives_the_report_to_a_fresh_one(ws, tmp_path):
    mark = tmp_path / "die-once"
    nb = notebook(tmp_path, f"import os, pathlib\nmark = pathlib.Path({str(mark)!r})\n"
                            "if mark.exists():\n    mark.unlink()\n    os._exit(1)", INSPECT)
    run(ws, nb, tmp_path / "a", warm=True)
    mark.touch()
    result = run(ws, nb, tmp_path / "b", warm=True)
    assert result.kernel == "fresh" and not mark.exists()


def test_a_failing_cell_fails_the_report_and_keeps_the_kernel(ws, tmp_path):
    good = notebook(tmp_path, INSPECT)
    bad = notebook(tmp_path, INSPECT, "raise ValueError('壊れたセル')", name="bad.ipynb")
    pid = shown(run(ws, good, tmp_path / "a", warm=True))["pid"]
    with pytest.raises(ReportError) as caught:
        run(ws, bad, tmp_path / "b", warm=True)
    assert caught.value.cell == 3 and caught.value.ename == "ValueError"
    again = run(ws, good, tmp_path / "c", warm=True)
    assert again.kernel == "warm" and shown(again)["pid"] == pid


def test_the_fingerprint_follows_code_and_settings_not_secrets(monkeypatch):
    real = fingerprint  # the module's own (the autouse fixture replaced warm.fingerprint)
    base = real("python3")
    assert real("python3") == base and real("python3", code=False) != base  # the package's files count
    monkeypatch.setenv("ANSHIN_PASSWORD", "x")
    monkeypatch.setenv("ANSHIN_SESSION", "y")
    assert real("python3") == base  # secrets are not settings of the kernel
    monkeypatch.setenv("ANSHIN_REFERENCE_DIR", "/elsewhere")
    assert real("python3") != base


def test_changed_reference_data_give_the_report_to_a_fresh_kernel_and_the_next_a_new_one(ws, tmp_path):
    nb = notebook(tmp_path, INSPECT)
    before = shown(run(ws, nb, tmp_path / "a", warm=True))["pid"]
    assert data_fingerprint([ws.reference_dir]) == data_fingerprint([ws.reference_dir])
    stations = next(p for p in sorted(ws.reference_dir.iterdir()) if p.is_file())
    os.utime(stations, ns=(stations.stat().st_atime_ns, stations.stat().st_mtime_ns + 10**9))
    changed = run(ws, nb, tmp_path / "b", warm=True)  # that kernel may hold tables read from the old files
    assert changed.kernel == "fresh" and not process_alive(int(before))
    assert run(ws, nb, tmp_path / "c", warm=True).kernel == "started"


def test_an_unused_warm_kernel_exits_by_itself(tmp_path):
    kernel = WarmKernel(tmp_path / "k", idle_s=1)
    lease = kernel.lease()
    lease.begin(tmp_path, {})
    pid = lease.pid
    lease.end()
    deadline = time.monotonic() + 30
    while process_alive(pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not process_alive(pid)
    assert not (tmp_path / "k" / "info.json").exists() and not (tmp_path / "k" / "kernel.json").exists()


def test_the_kernel_command_shows_and_stops_it(ws, tmp_path, capsys):
    from anshin_lab.cli.main import main

    run(ws, notebook(tmp_path, INSPECT), tmp_path / "a", warm=True)
    pid = json.loads((WarmKernel.for_workspace(ws).info_file).read_text())["pid"]
    assert main(["report", "kernel", "--workspace", str(ws.root)]) == 0
    assert f"pid {pid}" in capsys.readouterr().out
    assert main(["report", "kernel", "--stop", "--workspace", str(ws.root)]) == 0
    assert "停止しました" in capsys.readouterr().out and not process_alive(pid)
    assert main(["report", "kernel", "--workspace", str(ws.root)]) == 0
    assert "ありません" in capsys.readouterr().out
