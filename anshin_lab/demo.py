"""The main job, end to end on the embedded default workspace.

For now: build the workspace if missing, import the sample police export
(its bad rows quarantined), and print what was loaded. Later steps (map,
alerts, approvals, delivery, reports) extend ``run_demo``.
"""

from __future__ import annotations

import time
from typing import Callable

from . import summaries
from .ingest import import_incidents
from .settings import redact_url
from .workspace import init_workspace, read_incidents


def run_demo(workspace=None, settings=None, *, out: Callable[[str], None] = print,
             progress: Callable[[str], None] = print) -> dict:
    """Run the main job and print a short summary; safe to run again."""
    started = time.monotonic()
    progress("[1/2] 作業領域を準備しています")
    ws = init_workspace(workspace, settings, progress=lambda m: progress("      " + m))
    progress("[2/2] 事案データ(警察システムの出力)を取り込んでいます")
    report = import_incidents(ws.sample_dir / "incidents_export.csv", ws)
    stored = read_incidents(settings=ws.settings)

    out("")
    out(f"== anshin-lab デモ ({ws.root}) ==")
    for line in report.lines():
        out(line)
    if len(report.rejected_rows):
        out("保留の理由:")
        for row in report.rejected_rows.itertuples(index=False):
            out(f"  {row.row}行目 {row.column}: {row.reason}")
    out(f"データベースの事案: {len(stored)}件 ({redact_url(ws.database_url)})")
    if len(stored):
        first, last = stored["occurred_at"].min(), stored["occurred_at"].max()
        out(f"期間: {first:%Y-%m-%d} 〜 {last:%Y-%m-%d}")
        out("分類別:")
        for name, count in summaries.by_category(stored).items():
            out(f"  {name}: {count}件")
        out("管轄署別(上位5署):")
        for name, count in summaries.by_station(stored)["計"].head(5).items():
            out(f"  {name}: {count}件")
    out(f"所要時間: {time.monotonic() - started:.1f}秒")
    return {"workspace": ws, "import": report, "stored": len(stored)}
