"""The report benchmark: one fraud-call summary for a year of sample data, kernel start to HTML.

``bench_report`` times ``reports.run_fraud_summary`` stage by stage from a
running process (as the scheduler calls it: papermill and nbconvert already
imported), then the same report from the command line (a fresh process), and
against the naive way measured in the same run: the ``papermill`` command
followed by ``jupyter nbconvert --to html --no-input`` with nbconvert's
default template (which also loads require.js and MathJax from CDNs).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# Targets from the issue (2-core machine): from a running process and from the command line.
IN_PROCESS_TARGET_S = 10.0
CLI_TARGET_S = 15.0


def bench_report(workspace=None, *, start: str = "2025-12-01", end: str = "2026-11-30", area: str = "鹿児島県",
                 runs: int = 2, cli: bool = True, naive: bool = True, reports_dir=None) -> dict:
    """Time one summary end to end and print the figures in Japanese; returns them as a dict.

    The workspace's sample calls are imported first when its database holds
    none (idempotent). ``runs`` in-process runs are made: the first pays the
    one-off costs of a new process (importing papermill and nbconvert,
    compiling nbconvert's templates), the others are what a running scheduler
    pays per report; ``in_process_s`` is the fastest of them. The reports go
    to a temporary folder unless ``reports_dir`` is given.
    """
    from anshin_lab.app import fraud
    from anshin_lab.storage import store
    from anshin_lab.app.workspace import require_workspace

    ws = require_workspace(workspace)
    engine = store.connect(ws.database_url)
    try:
        first, last = fraud.coverage(engine)
    finally:
        engine.dispose()
    imported = None
    if first is None:
        imported = fraud.import_fraud_calls(ws.sample_dir / "fraud_calls.csv", ws).inserted
    tmp = tempfile.mkdtemp(prefix="anshin-bench-report-")
    try:
        target = Path(reports_dir) if reports_dir else Path(tmp) / "reports"
        figures = _measure(ws, start, end, area, runs, cli, naive, target, Path(tmp))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    figures["imported_sample"] = imported
    _print(figures)
    return figures


def _measure(ws, start, end, area, runs, cli, naive, target: Path, tmp: Path) -> dict:
    from anshin_lab.views.reports import _skip_iri_grammar, run_fraud_summary

    started = time.perf_counter()
    _skip_iri_grammar()  # as run_fraud_summary does
    import nbconvert  # noqa: F401 - imported once per process: timed apart from the runs
    import papermill  # noqa: F401
    import_s = time.perf_counter() - started

    results, walls = [], []
    for _ in range(max(1, runs)):
        started = time.perf_counter()
        result = run_fraud_summary(start, end, area, workspace=ws.root, reports_dir=target, store_draft=False)
        walls.append(time.perf_counter() - started)
        results.append(result)
    best = min(range(len(walls)), key=walls.__getitem__)
    result = results[best]
    stages = dict(result.stages)
    figures = {
        "start": start, "end": end, "area": area, "calls": result.facts.get("calls"),
        "rows_read": result.facts.get("rows_read"), "report_bytes": result.path.stat().st_size,
        "import_s": import_s, "runs_s": walls, "first_run_s": walls[0], "in_process_s": walls[best],
        "stages": stages, "cells": result.cells, "cli_s": None, "cli_command": None,
        "naive_s": None, "naive_papermill_s": None, "naive_nbconvert_s": None, "naive_external_refs": None,
    }
    if cli:
        command = _cli_command(start, end, area, ws.root, tmp / "cli")
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        figures["cli_s"] = time.perf_counter() - started
        figures["cli_command"] = ("anshin report fraud-summary" if "report" in command else
                                  "python -c 'run_fraud_summary(...)'(CLI にまだ report コマンドがないため、それと同じ呼び出し)")
    if naive:
        figures.update(_naive(start, end, area, ws.root, tmp / "naive"))
    figures["meets_target"] = bool(figures["in_process_s"] <= IN_PROCESS_TARGET_S and
                                   (figures["cli_s"] is None or figures["cli_s"] <= CLI_TARGET_S))
    if figures["naive_s"] and figures["cli_s"]:
        figures["ratio_cli"] = figures["naive_s"] / figures["cli_s"]
    if figures["naive_s"]:
        figures["ratio_in_process"] = figures["naive_s"] / figures["in_process_s"]
    return figures


def _cli_command(start, end, area, workspace, out: Path) -> list[str]:
    """``anshin report fraud-summary`` when the CLI has it, else the same call through ``python -c``."""
    import contextlib
    import io

    from anshin_lab.cli.main import build_parser

    try:
        with contextlib.redirect_stderr(io.StringIO()):  # argparse's usage message when the command is missing
            build_parser().parse_args(["report", "fraud-summary", "--start", start, "--end", end, "--area", area])
        has_command = True
    except SystemExit:
        has_command = False
    if has_command:
        return [sys.executable, "-m", "anshin_lab", "report", "fraud-summary", "--start", start, "--end", end,
                "--area", area, "--workspace", str(workspace), "--reports-dir", str(out)]
    code = ("import sys; from anshin_lab.views.reports import run_fraud_summary; "
            "r = run_fraud_summary(sys.argv[1], sys.argv[2], sys.argv[3], workspace=sys.argv[4], "
            "reports_dir=sys.argv[5]); print(r.path)")
    return [sys.executable, "-c", code, start, end, area, str(workspace), str(out)]


def _naive(start, end, area, workspace, out: Path) -> dict:
    """The papermill command, then ``jupyter nbconvert --no-input`` with the default template."""
    from anshin_lab.views.reports import NOTEBOOK, external_references

    out.mkdir(parents=True, exist_ok=True)
    bin_dir = Path(sys.executable).parent
    executed = out / "fraud_call_summary.ipynb"
    started = time.perf_counter()
    subprocess.run([str(bin_dir / "papermill"), str(NOTEBOOK), str(executed), "-p", "workspace", str(workspace),
                    "-p", "start", start, "-p", "end", end, "-p", "area", area, "-p", "store_draft", "False",
                    "-k", "python3", "--cwd", str(NOTEBOOK.parent), "--no-progress-bar"],
                   check=True, capture_output=True)
    papermill_s = time.perf_counter() - started
    started = time.perf_counter()
    subprocess.run([str(bin_dir / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)],
                   check=True, capture_output=True)
    nbconvert_s = time.perf_counter() - started
    page = executed.with_suffix(".html").read_text(encoding="utf-8")
    return {"naive_s": papermill_s + nbconvert_s, "naive_papermill_s": papermill_s, "naive_nbconvert_s": nbconvert_s,
            "naive_external_refs": external_references(page)}


STAGE_LABELS = {
    "parameters": "パラメータの確認(作業領域・地域・期間)",
    "kernel_start": "カーネルの起動",
    "cells": "セルの実行(計)",
    "kernel_stop": "カーネルの停止・ノートブックの保存",
    "render_html": "HTML への変換(コードセルなし・外部読み込みなし)",
    "write": "報告書の書き込み",
    "index": "reports/index.html の更新",
}


def _print(f: dict) -> None:
    verdict = "達成" if f["meets_target"] else "未達"
    print(f"報告書ベンチマーク: うそ電話詐欺の集計 {f['area']} {f['start']}〜{f['end']}"
          f"(期間内 {f['calls']:,}件、読み込み {f['rows_read']:,}件、HTML {f['report_bytes'] / 1e6:.2f}MB)")
    if f["imported_sample"] is not None:
        print(f"  (データベースに記録がなかったため、サンプル {f['imported_sample']:,}件を取り込みました)")
    print(f"  papermill・nbconvert の読み込み(プロセスごとに1回): {f['import_s']:.2f}秒")
    runs = "、".join(f"{s:.2f}" for s in f["runs_s"])
    print(f"  実行中のプロセスから(run_fraud_summary): {f['in_process_s']:.2f}秒(各回 {runs}秒、最速の回の内訳)")
    for key, label in STAGE_LABELS.items():
        if key in f["stages"]:
            print(f"    {label}: {f['stages'][key]:.2f}秒")
            if key == "cells":
                for number, first, seconds in sorted(f["cells"], key=lambda c: -c[2])[:5]:
                    print(f"      セル{number} {first[:40]}: {seconds:.2f}秒")
    if f["cli_s"] is not None:
        print(f"  コマンドラインから(新しいプロセス): {f['cli_s']:.2f}秒")
        print(f"    (新しい Python プロセスで {f['cli_command']})")
    if f["naive_s"] is not None:
        print(f"  素朴な方法(papermill コマンド + jupyter nbconvert --to html --no-input、既定のテンプレート): "
              f"{f['naive_s']:.2f}秒(papermill {f['naive_papermill_s']:.2f}秒 + nbconvert {f['naive_nbconvert_s']:.2f}秒)")
        refs = f["naive_external_refs"] or []
        print(f"    既定のテンプレートの HTML は外部から {len(refs)}件を読み込みます"
              f"({', '.join(refs[:3])}{' ほか' if len(refs) > 3 else ''}): 閉じたネットワークでは使えません")
        if f.get("ratio_cli"):
            print(f"  速度比(素朴/本実装): コマンドライン同士 {f['ratio_cli']:.2f}倍、"
                  f"実行中のプロセスからなら {f['ratio_in_process']:.2f}倍")
    print(f"  目標(実行中のプロセスから{IN_PROCESS_TARGET_S:.0f}秒以内・コマンドラインから{CLI_TARGET_S:.0f}秒以内): {verdict}")
