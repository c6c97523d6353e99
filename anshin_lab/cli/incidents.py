"""``anshin incidents import|summary``: the police system's incident exports."""

from __future__ import annotations

from anshin_lab.analysis import summaries
from anshin_lab.app.catalog import read_incidents
from anshin_lab.app.imports import import_incidents
from anshin_lab.app.workspace import require_workspace
from anshin_lab.cli.common import add_workspace, date_text
from anshin_lab.cli.tables import render_table


def cmd_incidents_import(args) -> int:
    ws = require_workspace(args.workspace)
    report = import_incidents(args.file, ws)
    for line in report.lines():
        print(line)
    return 0


def cmd_incidents_summary(args) -> int:
    frame = read_incidents(args.workspace, since=args.since)
    print(f"事案 {len(frame)}件")
    print(render_table(summaries.by_category(frame).reset_index(), "事案はありません"))
    print()
    print(render_table(summaries.by_station(frame), "事案はありません", index=True))
    return 0


def register_incidents(parser) -> None:
    incidents = parser.add_subparsers(dest="incidents_command", metavar="ACTION", required=True)
    p = incidents.add_parser("import", help="警察システムの出力(CSV/XLSX)を取り込む",
                             description="CSV(UTF-8/UTF-8 BOM/Shift_JIS)または XLSX の事案データを検証して取り込みます。"
                                         "不備のある行は作業領域の quarantine/ に理由付きで保存します。同じファイルを"
                                         "再度取り込んでも何も変わりません。"
                                         "XLSX はすべてのシートを読みます(見出しの違うシートがあれば取り込みません)。ファイルの大きさ・"
                                         "行数・XLSX を展開した大きさ・1欄の文字数には上限があります(anshin settings show の max_import_bytes など)。")
    add_workspace(p)
    p.add_argument("file", metavar="FILE", help="取り込むファイル")
    p.set_defaults(func=cmd_incidents_import)
    p = incidents.add_parser("summary", help="分類別・管轄署別の件数を表示する")
    add_workspace(p)
    p.add_argument("--since", type=date_text, metavar="DATE", help="この日以降の事案だけ(例: 2026-11-01、令和8年11月1日)")
    p.set_defaults(func=cmd_incidents_summary)
