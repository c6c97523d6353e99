"""Running a report: papermill executes the notebook with its parameters, then the HTML is written.

``run_fraud_summary`` executes ``notebooks/fraud_call_summary.ipynb`` with
papermill on a real kernel, renders it to
``reports/fraud-summary_<start>_<end>_<area>.html`` without code cells
(``render.render_html``) and refreshes ``reports/index.html``
(``index.refresh_index``). A failing cell leaves an error report
(``..._error.html``) naming the cell and the parameters, and raises
``ReportError``.

With ``warm=True`` (``anshin report fraud-summary`` and ``anshin schedule
run``) the notebook runs on the workspace's warm kernel, whose imports are
done (``kernel.WarmKernel``); when that kernel is busy, dead or fails under
the report, on a fresh one, so a warm kernel never fails a report. Either
way the report is the same. The kernel gets a session for storing the draft,
never a password: the password stays in this process, which logs in.
"""

from __future__ import annotations

import contextlib
import html
import os
import re
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from anshin_lab.analysis.fraud_calls import Period, parse_day, resolve_area
from anshin_lab.app.client import ServiceClient
from anshin_lab.app.fraud_reports import SESSION_VARIABLE
from anshin_lab.app.references import reference_tables
from anshin_lab.app.workspace import require_workspace
from anshin_lab.core.clock import tokyo_now
from anshin_lab.core.errors import AnshinError, ParameterError, ReportError
from anshin_lab.core.settings import PROJECT_ROOT
from anshin_lab.views.reports.common import (
    KIND,
    REPORT_MIME,
    default_reports_dir,
    jsonable,
    package_version,
    skip_iri_grammar,
    write_report,
)
from anshin_lab.views.reports.index import refresh_index
from anshin_lab.views.reports.render import render_html, report_exporter, write_error_report

__all__ = ["NOTEBOOK", "ReportResult", "report_filename", "run_fraud_summary"]

NOTEBOOK = PROJECT_ROOT / "notebooks" / "fraud_call_summary.ipynb"
CELL_TIMEOUT_S = 600


@dataclass
class ReportResult:
    """A report written: where, what it covers, the facts it states, and how long each stage took."""

    path: Path
    title: str
    parameters: dict
    facts: dict
    stages: dict = field(default_factory=dict)  # stage -> seconds
    cells: list = field(default_factory=list)  # (cell number, first line, seconds)
    warnings: list = field(default_factory=list)  # stderr of the cells (kept out of the HTML)
    draft: str = ""
    kernel: str = ""  # warm (the warm kernel), started (the warm kernel, started for this run) or fresh

    @property
    def data_hash(self) -> str:
        return self.facts.get("data_hash", "")

    @property
    def run_at(self) -> str:
        return self.facts.get("run_at", "")


def report_filename(start, end, area_name: str, *, error: bool = False) -> str:
    """``fraud-summary_<start>_<end>_<area>.html`` (``_error`` before the suffix for an error report)."""
    safe = re.sub(r'[\\/:*?"<>|\s]+', "_", area_name)
    return f"{KIND}_{start}_{end}_{safe}{'_error' if error else ''}.html"


def run_fraud_summary(start, end, area, *, workspace=None, reports_dir=None, analyst: str = "",
                      store_draft: bool = True, calls_file=None, run_label: str = "", notebook=None,
                      kernel_name: str = "python3", cell_timeout_s: int = CELL_TIMEOUT_S,
                      warm: bool = False, lease=None) -> ReportResult:
    """Execute the fraud-call summary for ``start``–``end`` (inclusive) in ``area`` and write its HTML.

    ``area`` is 「鹿児島県」, a municipality or a station. The report goes to
    ``reports_dir`` (``reports/`` in the project by default) as
    ``report_filename(...)``, replacing an earlier one for the same
    parameters, and ``index.html`` there is refreshed. The drafted alert is
    stored (``fraud_reports.store_summary_draft``) in the session of
    ``ANSHIN_SESSION``, else as ``analyst`` (or ``ANSHIN_USER``) when
    ``ANSHIN_PASSWORD`` is set: this process logs in and the kernel gets the
    session only. Nothing is ever sent. ``warm`` runs the notebook on the
    workspace's warm kernel (started now when there is none; see
    ``kernel.WarmKernel``), else on a kernel started for this report;
    ``lease`` is the warm kernel already taken by the caller
    (``WarmKernel.lease``, e.g. before asking for a password), given back
    here in every case.

    Raises ``ParameterError`` / ``WorkspaceError`` before running anything
    when a parameter is unusable, and ``ReportError`` (naming the failing
    cell, after writing an error report and refreshing the index) when the
    notebook fails.
    """
    skip_iri_grammar()
    stages = {}
    started = time.perf_counter()
    try:
        ws = require_workspace(workspace)
        tables = reference_tables(ws.reference_dir)
        resolved = resolve_area(area, tables)
        period = Period(parse_day(start, "開始日"), parse_day(end, "終了日"))
        if calls_file is not None and not Path(calls_file).exists():
            raise ParameterError(f"うそ電話の記録ファイル {calls_file} がありません")
        if lease is None and warm:
            # why: jupyter_client loads only when a report runs, not in every process that imports reports
            from anshin_lab.views.reports.kernel import WarmKernel

            # The warm kernel now: when it has to be started, its imports run while this process does its own.
            lease = WarmKernel.for_workspace(ws, kernel_name=kernel_name).lease()
        return _run(ws, period, resolved, lease, stages, started, reports_dir=reports_dir, analyst=analyst,
                    store_draft=store_draft, calls_file=calls_file, run_label=run_label, notebook=notebook,
                    kernel_name=kernel_name, cell_timeout_s=cell_timeout_s)
    finally:
        if lease is not None:
            lease.release()  # unused: given back as it is; interrupted under a report: stopped


def _run(ws, period, resolved, lease, stages: dict, started: float, *, reports_dir, analyst, store_draft,
         calls_file, run_label, notebook, kernel_name, cell_timeout_s) -> ReportResult:
    """``run_fraud_summary`` once its parameters are checked (and the warm kernel, if any, is leased)."""
    # why: papermill (with nbformat, nbclient) takes seconds to import; only a run needs it, after
    # skip_iri_grammar, and it is loaded before the thread below starts
    import papermill  # noqa: F401
    from papermill.exceptions import PapermillExecutionError  # why: as papermill above

    # nbconvert (about 0.5 s to import and compile its templates) renders the HTML once the cells have run:
    # its exporter is made in a thread meanwhile, while this process mostly waits for the kernel. What the
    # main thread needs while the notebook runs (papermill, nbclient, jupyter_client) is loaded above, so
    # neither thread waits on the other's imports.
    renderer = threading.Thread(target=report_exporter, name="report-exporter", daemon=True)
    renderer.start()
    notebook = Path(notebook) if notebook else NOTEBOOK
    reports_dir = Path(reports_dir) if reports_dir else default_reports_dir()
    parameters = {"workspace": str(ws.root), "start": str(period.start), "end": str(period.end), "area": resolved.name,
                  "calls_file": None if calls_file is None else str(Path(calls_file).resolve()),
                  "analyst": analyst or "", "store_draft": bool(store_draft), "run_label": run_label or ""}
    path = reports_dir / report_filename(period.start, period.end, resolved.name)
    error_path = reports_dir / report_filename(period.start, period.end, resolved.name, error=True)
    stages["parameters"] = time.perf_counter() - started

    with tempfile.TemporaryDirectory(prefix="anshin-report-") as tmp, \
            report_session(ws, analyst, store_draft) as (environ, notes):
        executed = Path(tmp) / notebook.name
        wall_start, started = time.time(), time.perf_counter()
        try:
            nb, kernel = _execute(lease, notebook, executed, parameters, environ=environ, folder=Path(tmp),
                                  kernel_name=kernel_name, cell_timeout_s=cell_timeout_s,
                                  watched=(ws.reference_dir, ws.layers_file))
        except PapermillExecutionError as exc:
            raise _failed(notebook, executed, parameters, reports_dir, error_path, exc) from exc
        except (RuntimeError, TimeoutError, OSError) as exc:
            # The kernel would not start, died, or a cell ran past its timeout (nbclient's errors are RuntimeErrors).
            raise _failed(notebook, executed, parameters, reports_dir, error_path, exc) from exc
        stages["execute"] = time.perf_counter() - started
    stages.update(_execution_stages(nb, wall_start, stages["execute"]))
    facts = _report_facts(nb) or {}
    facts.update({"kind": KIND, "status": "ok", "title": facts.get("title") or f"うそ電話詐欺の集計 {resolved.label}",
                  "area": resolved.name, "start": str(period.start), "end": str(period.end),
                  "parameters": jsonable(parameters)})
    facts.setdefault("run_at", tokyo_now().isoformat())
    facts.setdefault("version", package_version())
    warnings = notes + _strip_stderr(nb)
    started = time.perf_counter()
    renderer.join()  # render_html makes the exporter itself (and says why) if the thread could not
    try:
        text = render_html(nb, facts)
    except ReportError as exc:
        write_error_report(error_path, parameters=parameters, message=exc.message, notebook=notebook)
        refresh_index(reports_dir)
        raise ReportError(exc.message, notebook=notebook, parameters=parameters, report_path=error_path) from exc
    stages["render_html"] = time.perf_counter() - started
    started = time.perf_counter()
    write_report(path, text)
    if error_path.exists():
        error_path.unlink()  # this run succeeded: the earlier failure no longer stands
    stages["write"] = time.perf_counter() - started
    started = time.perf_counter()
    refresh_index(reports_dir)
    stages["index"] = time.perf_counter() - started
    return ReportResult(path, facts["title"], parameters, facts, stages, _cell_times(nb, notebook), warnings,
                        facts.get("draft", ""), kernel)


def _execute(lease, notebook: Path, executed: Path, parameters: dict, *, environ: dict, folder: Path,
             kernel_name: str, cell_timeout_s: int, watched=()) -> tuple:
    """Run the notebook on the leased warm kernel, or on a fresh one; (the executed notebook, which kernel ran it).

    A warm kernel that cannot take the report (it hangs, or read the
    ``watched`` reference data before they changed), or dies under it, is
    stopped and the report runs on a fresh kernel; a failing cell is the
    report's failure (the kernel is cleared and kept).
    """
    # why: papermill and jupyter_client take seconds to import; only a run needs them
    import papermill
    from nbclient.exceptions import DeadKernelError  # why: as papermill above
    from papermill.exceptions import PapermillExecutionError  # why: as papermill above

    from anshin_lab.views.reports.kernel import KernelUnavailable, fresh_kernel  # why: as papermill above

    def run_on(km):
        # The executed notebook is written once at the end (or on an error), not after every cell as papermill's
        # default does for people watching a long run: 50 writes of a 1 MB notebook for a year's report.
        return papermill.execute_notebook(str(notebook), str(executed), parameters=parameters,
                                          kernel_name=kernel_name, km=km, progress_bar=False, log_output=False,
                                          execution_timeout=cell_timeout_s, request_save_on_cell_execute=False)

    if lease is not None:
        try:
            lease.begin(notebook.parent, environ, watched=watched)
        except KernelUnavailable:
            lease.discard()
        else:
            try:
                nb = run_on(lease.km)
            except PapermillExecutionError:
                lease.end()  # a cell failed: the kernel itself is fine
                raise
            except DeadKernelError:
                lease.discard()  # and the report runs again below, on a fresh kernel
            except BaseException:
                lease.discard()  # a cell past its timeout is still running there; an interrupt leaves it unknown
                raise
            else:
                lease.end()
                return nb, "started" if lease.launched else "warm"
    with fresh_kernel(folder, kernel_name=kernel_name, cwd=notebook.parent, environ=environ) as km:
        return run_on(km), "fresh"


@contextlib.contextmanager
def report_session(ws, analyst: str, store_draft: bool):
    """(what the kernel's environment gets, notes): the session the report stores its draft in, never a password.

    ``ANSHIN_SESSION`` (the command logged in) is passed on as it is. Else,
    with ``ANSHIN_PASSWORD`` and a name (``analyst`` or ``ANSHIN_USER``),
    this process logs in to ``anshin service`` for the report's run and logs
    out after it. With neither, or a login that fails (said in the notes),
    the kernel gets no session and the report says the draft was not stored.
    """
    token = os.environ.get(SESSION_VARIABLE)
    username = analyst or os.environ.get("ANSHIN_USER", "")
    secret = os.environ.get("ANSHIN_PASSWORD", "")
    if token or not store_draft or not username or not secret:
        yield ({SESSION_VARIABLE: token} if token and store_draft else {}), []
        return
    client = ServiceClient.for_workspace(ws)
    try:
        token = client.login(username, secret)["token"]
    except AnshinError as exc:
        client.close()
        yield {}, [f"注意: 下書きを登録するためのログインに失敗しました: {exc}\n"]
        return
    try:
        yield {SESSION_VARIABLE: token}, []
    finally:
        client.close()  # log out: the session was this run's


def _failed(notebook: Path, executed: Path, parameters: dict, reports_dir: Path, error_path: Path,
            exc: Exception) -> ReportError:
    """Write the error report for a failed run and return the ReportError to raise."""
    import nbformat  # why: heavy (see run_fraud_summary); already loaded by the run that failed

    cell, source, ename, evalue, trace = None, None, type(exc).__name__, str(exc), ""
    if hasattr(exc, "ename"):
        ename, evalue, trace = exc.ename, exc.evalue, _strip_ansi("\n".join(exc.traceback or []))
        source = exc.source
        if executed.exists():
            cell, source = _failing_cell(nbformat.read(executed, as_version=4), notebook, exc.source)
    message = "ノートブックの実行に失敗しました" if cell is not None else "ノートブックを実行できませんでした"
    write_error_report(error_path, parameters=parameters, message=message, notebook=notebook, cell=cell,
                       source=source, ename=ename, evalue=evalue, traceback_text=trace)
    refresh_index(reports_dir)
    return ReportError(message, notebook=notebook, cell=cell, source=source, ename=ename, evalue=evalue,
                       parameters=parameters, report_path=error_path)


def _failing_cell(executed_nb, notebook: Path, source: str) -> tuple[int | None, str]:
    """(1-based position in the committed notebook, source) of the cell whose output is an error."""
    import nbformat  # why: heavy (see run_fraud_summary); already loaded by the run that failed

    failing = next((c for c in executed_nb.cells if c.cell_type == "code"
                    and any(o.get("output_type") == "error" for o in c.get("outputs", []))), None)
    original = nbformat.read(notebook, as_version=4)
    if failing is not None:
        for number, cell in enumerate(original.cells, start=1):
            if cell.get("id") and cell.get("id") == failing.get("id"):
                return number, cell.source
        if "injected-parameters" in failing.metadata.get("tags", []):
            return 0, failing.source  # papermill's injected parameters (0: not a committed cell)
    return None, source


def _strip_ansi(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", text)


def _execution_stages(nb, wall_start: float, total: float) -> dict:
    """Kernel start, cells and kernel stop from papermill's per-cell times (ISO, UTC)."""
    times = [(pd.Timestamp(c.metadata["papermill"]["start_time"]), pd.Timestamp(c.metadata["papermill"]["end_time"]))
             for c in nb.cells if c.cell_type == "code" and c.metadata.get("papermill", {}).get("start_time")]
    if not times:
        return {}
    first, last = times[0][0], times[-1][1]
    first = first.tz_localize("UTC") if first.tzinfo is None else first
    last = last.tz_localize("UTC") if last.tzinfo is None else last
    kernel_start = max(0.0, first.timestamp() - wall_start)
    cells = max(0.0, (last - first).total_seconds())
    return {"kernel_start": kernel_start, "cells": cells, "kernel_stop": max(0.0, total - kernel_start - cells)}


def _cell_times(nb, notebook: Path) -> list:
    out, number = [], 0
    for cell in nb.cells:
        if "injected-parameters" in cell.metadata.get("tags", []):
            continue
        number += 1
        duration = cell.metadata.get("papermill", {}).get("duration")
        if cell.cell_type == "code" and duration is not None:
            first = next((line for line in cell.source.splitlines() if line.strip()), "")
            out.append((number, first[:60], float(duration)))
    return out


def _report_facts(nb) -> dict | None:
    """The facts the provenance block put out (``REPORT_MIME``), plus the draft status line."""
    facts = None
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if REPORT_MIME in data:
                facts = dict(data[REPORT_MIME])
            html_text = data.get("text/html", "")
            if "anshin-draft-status" in html_text and facts is not None:
                m = re.search(r'class="anshin-draft-status"[^>]*>([^<]*)<', html_text)
                facts["draft"] = html.unescape(m.group(1)) if m else ""
    return facts


def _strip_stderr(nb) -> list[str]:
    """Remove stderr streams (warnings, logs) from the outputs; return their text for the caller to log."""
    texts = []
    for cell in nb.cells:
        kept = []
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                texts.append(output.get("text", ""))
            else:
                kept.append(output)
        if cell.cell_type == "code":
            cell.outputs = kept
    return texts
