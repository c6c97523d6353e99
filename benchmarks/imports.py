"""Importing an incident export: time and peak memory as the file grows, against pandas' read_csv + to_sql.

``python -m benchmarks imports [--rows N,N,...] [--seed N] [--workspace DIR]``
writes police-style exports (CP932, CRLF, 和暦, a few bad rows) of each size
from the sample generator, then imports each one with ``import_file`` in a
fresh process into a scratch workspace (the workspace's reference data, an
empty database), timing the import and reading the process's peak RSS. The
baseline, measured in the same run on the same files, is what a competent
pandas user writes without any checks: ``pandas.read_csv`` from the file
with its encoding, then ``DataFrame.to_sql`` into SQLite.
"""

from __future__ import annotations

import csv
import itertools
import json
import math
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from anshin_lab.app.workspace import load_layer, require_workspace
from anshin_lab.cli.common import add_workspace, positive_int
from anshin_lab.core.glossary import EXPORT_HEADERS
from anshin_lab.demo.export import EXPORT_ENCODING, write_incident_export
from anshin_lab.demo.sample import N_INCIDENTS, generate_incidents

from benchmarks.common import count_list

# Targets from the issue (2-core machine).
IMPORT_TARGET_ROWS = 240_000
IMPORT_TARGET_S = 15.0
IMPORT_TARGET_MB = 500.0
# Linear growth: the time per extra row between the two larger sizes, over the same between the two smaller ones.
GROWTH_TARGET = 1.5

DESCRIPTION = ("事案のエクスポート(CP932・和暦・不正な行を含む)を大きさを変えて作り、import_file で取り込む時間と"
               "ピークメモリを別プロセスで測ります。素朴な方法(pandas.read_csv + to_sql、検査なし)も同じ回に測ります。")

# The process's peak RSS in MB: VmHWM starts afresh with the process (ru_maxrss keeps its parent's across exec).
PEAK_MB = """
def peak_mb():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:")) / 1024
"""

# Run in a fresh process per file: argv = file, workspace, scratch folder. Prints one line of JSON.
IMPORT_CHILD = PEAK_MB + """
import json, os, sys, time
started = time.perf_counter()
from anshin_lab.app.imports import import_file
from anshin_lab.app.workspace import open_workspace, require_workspace
from anshin_lab.storage import store

source, scratch = require_workspace(sys.argv[2]), sys.argv[3]
os.symlink(source.reference_dir, os.path.join(scratch, "reference"))
os.mkdir(os.path.join(scratch, "quarantine"), 0o700)
ws = open_workspace(scratch, source.settings)
store.connect(ws.database_url).dispose()
ready = time.perf_counter()
report = import_file("incidents", sys.argv[1], ws)
done = time.perf_counter()
print(json.dumps({"seconds": done - ready, "process_seconds": done - started,
                  "peak_mb": peak_mb(), "rows_read": report.rows_read, "accepted": report.accepted, "rejected": report.rejected,
                  "inserted": report.inserted}))
"""

BASELINE_CHILD = PEAK_MB + """
import json, os, sys, time
started = time.perf_counter()
import pandas as pd
import sqlalchemy as sa

engine = sa.create_engine("sqlite:///" + os.path.join(sys.argv[3], "baseline.sqlite"))
ready = time.perf_counter()
frame = pd.read_csv(sys.argv[1], encoding="cp932", dtype=str, keep_default_na=False)
frame.to_sql("incidents", engine, index=False, chunksize=5000)
done = time.perf_counter()
print(json.dumps({"seconds": done - ready, "process_seconds": done - started,
                  "peak_mb": peak_mb(), "rows_read": len(frame)}))
"""


def add_arguments(parser) -> None:
    parser.add_argument("--rows", type=count_list, default=(2_400, 24_000, 240_000), metavar="N,N,...",
                        help="取り込むファイルの行数(既定: 2400,24000,240000)")
    parser.add_argument("--seed", type=positive_int, default=1, metavar="N", help="サンプル生成の乱数の種(既定: 1)")
    add_workspace(parser)


def run(args) -> dict:
    return bench_imports(rows=args.rows, seed=args.seed, workspace=args.workspace)


def bench_imports(rows=(2_400, 24_000, 240_000), *, seed: int = 1, workspace=None) -> dict:
    """Time and peak memory of ``import_file("incidents", …)`` per file size, against read_csv + to_sql.

    Each size's export is written from the sample generator's incidents
    (:func:`write_exports`): every row has its own 事案番号 and time, as a
    long export has, and each copy of the generated rows has the generator's
    six bad rows. Each import runs
    in a new process (``seconds``: the call to ``import_file``;
    ``process_seconds``: the whole process, library imports included;
    ``peak_mb``: its peak RSS). ``growth_ratio`` is the time per extra row
    from the middle size to the largest over the same from the smallest to
    the middle (1 for a linear import, about 10 for a quadratic one at
    2.4k/24k/240k); None with fewer than three sizes.
    """
    sizes = sorted({int(n) for n in rows})
    ws = require_workspace(workspace)
    with tempfile.TemporaryDirectory(prefix="anshin-bench-imports-") as tmp:
        started = time.perf_counter()
        paths = write_exports(load_layer(ws, "small_areas"), sizes, Path(tmp), seed)
        generate_s = time.perf_counter() - started
        runs = []
        for n in sizes:
            ours = _child(IMPORT_CHILD, paths[n], ws.root, Path(tmp))
            base = _child(BASELINE_CHILD, paths[n], ws.root, Path(tmp))
            runs.append({"rows": n, "seconds": ours["seconds"], "peak_mb": ours["peak_mb"],
                         "process_seconds": ours["process_seconds"], "per_row_us": ours["seconds"] / n * 1e6,
                         "file_mb": paths[n].stat().st_size / 1e6, "rows_read": ours["rows_read"],
                         "accepted": ours["accepted"], "rejected": ours["rejected"], "inserted": ours["inserted"],
                         "baseline_seconds": base["seconds"], "baseline_peak_mb": base["peak_mb"],
                         "ratio": ours["seconds"] / base["seconds"]})
    figures = {"sizes": runs, "generate_s": generate_s, "growth_ratio": growth_ratio(runs),
               "baseline_growth_ratio": growth_ratio(runs, key="baseline_seconds"),
               "baseline": {"method": "pandas.read_csv(path, encoding='cp932', dtype=str) + DataFrame.to_sql "
                                      "(SQLite, chunksize=5000), no checks"}}
    figures["meets_target"] = _verdict(runs, figures["growth_ratio"])
    _print(figures)
    return figures


def write_exports(small_areas, sizes: list[int], folder: Path, seed: int) -> dict[int, Path]:
    """An incident export of each size in ``folder`` (see :func:`bench_imports`), by size.

    Up to ``BASE_ROWS`` rows are the sample generator's, written by the demo's
    export writer; a larger file repeats that export's rows, each copy with
    its own 事案番号 and its times ``COPY_YEARS`` years later (a whole
    number of 400-year cycles, so every 和暦 weekday stays right).
    """
    count = math.ceil(min(max(sizes), BASE_ROWS) / N_INCIDENTS)
    base = pd.concat([generate_incidents(small_areas, seed * 1000 + k) for k in range(count)], ignore_index=True)
    base["occurred_at"] = pd.concat([part + pd.DateOffset(years=int(b))  # a year later per generated year
                                     for b, part in base["occurred_at"].groupby(base.index // N_INCIDENTS)])
    paths = {}
    for n in sizes:
        paths[n] = folder / f"incidents_{n}.csv"
        frame = base.iloc[:min(n, len(base))].copy()
        frame["incident_id"] = [f"K{i:07d}" for i in range(1, len(frame) + 1)]
        write_incident_export(frame, paths[n])
        if n > len(base):
            _repeat(paths[n], len(base), n)
    return paths


BASE_ROWS = 24_000
COPY_YEARS = 400
_ERA_YEAR = re.compile(r"^(令和|平成|昭和)(元|\d+)年")


def _repeat(path: Path, incidents: int, wanted: int) -> None:
    """Rewrite the export of ``incidents`` at ``path`` with copies of its rows, up to ``wanted`` incidents."""
    with open(path, encoding=EXPORT_ENCODING, newline="") as stream:
        header, *rows = list(csv.reader(stream))
    when = header.index(EXPORT_HEADERS["occurred_at"])
    copies = math.ceil(wanted / incidents)

    def later(text: str, years: int) -> str:
        return _ERA_YEAR.sub(lambda m: f"{m[1]}{(1 if m[2] == '元' else int(m[2])) + years}年", text)

    def copied(copy: int):
        for row in rows:
            yield [f"{row[0]}-{copy}", *row[1:when], later(row[when], copy * COPY_YEARS), *row[when + 1:]]

    everything = itertools.chain(rows, *(copied(copy) for copy in range(1, copies)))
    with open(path, "w", encoding=EXPORT_ENCODING, newline="") as stream:
        writer = csv.writer(stream, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(itertools.islice(everything, wanted + (len(rows) - incidents) * copies))


def growth_ratio(runs: list[dict], key: str = "seconds") -> float | None:
    """Marginal time per row between the two larger sizes over that between the two smaller ones."""
    if len(runs) < 3:
        return None
    small, middle, large = runs[0], runs[len(runs) // 2], runs[-1]
    early = (middle[key] - small[key]) / (middle["rows"] - small["rows"])
    late = (large[key] - middle[key]) / (large["rows"] - middle["rows"])
    return late / early if early > 0 else None


def _child(code: str, path: Path, workspace: Path, tmp: Path) -> dict:
    scratch = Path(tempfile.mkdtemp(dir=tmp))
    result = subprocess.run([sys.executable, "-c", code, str(path), str(workspace), str(scratch)],
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"取り込みのプロセスが失敗しました: {result.stderr.strip().splitlines()[-1:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def _verdict(runs: list[dict], growth: float | None) -> bool | None:
    largest = runs[-1]
    if largest["rows"] < IMPORT_TARGET_ROWS or growth is None:
        return None
    return largest["seconds"] <= IMPORT_TARGET_S and largest["peak_mb"] <= IMPORT_TARGET_MB and growth <= GROWTH_TARGET


def _print(f: dict) -> None:
    print("取り込みベンチマーク: 事案のエクスポート(CP932・和暦)を import_file で取り込み(1回ごとに新しいプロセス)")
    for r in f["sizes"]:
        print(f"  {r['rows']:,}行({r['file_mb']:.1f} MB): {r['seconds']:.2f}秒(1行 {r['per_row_us']:.0f}マイクロ秒、"
              f"プロセス全体 {r['process_seconds']:.2f}秒)、ピーク {r['peak_mb']:.0f} MB; 受理 {r['accepted']:,}件・"
              f"保留 {r['rejected']:,}件")
        print(f"    素朴な方法(read_csv + to_sql、検査なし): {r['baseline_seconds']:.2f}秒、ピーク "
              f"{r['baseline_peak_mb']:.0f} MB; 速度比(本実装/素朴) {r['ratio']:.2f}")
    if f["growth_ratio"] is not None:
        base = f["baseline_growth_ratio"]
        print(f"  増え方(大きい側の1行あたりの増分 ÷ 小さい側の増分、線形なら1): {f['growth_ratio']:.2f}"
              f"(素朴な方法 {'測れず' if base is None else f'{base:.2f}'})")
    if f["meets_target"] is None:
        print(f"  目標({IMPORT_TARGET_ROWS:,}行を{IMPORT_TARGET_S:.0f}秒以内・{IMPORT_TARGET_MB:.0f} MB以内、増え方が線形): "
              f"{IMPORT_TARGET_ROWS:,}行と3つ以上の大きさで測ったときに判定します")
    else:
        print(f"  目標({IMPORT_TARGET_ROWS:,}行を{IMPORT_TARGET_S:.0f}秒以内・{IMPORT_TARGET_MB:.0f} MB以内、増え方"
              f"{GROWTH_TARGET}以下): {'達成' if f['meets_target'] else '未達'}")
