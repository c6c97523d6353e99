"""``anshin incidents import|summary|decide``: the police system's incident exports, and no-send decisions."""

from __future__ import annotations

from anshin_lab.analysis import summaries
from anshin_lab.app.catalog import read_incidents
from anshin_lab.app.imports import import_incidents
from anshin_lab.app.workspace import require_workspace
from anshin_lab.cli.common import add_login, add_workspace, date_text
from anshin_lab.cli.session import service_session
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


def cmd_incidents_decide(args) -> int:
    # --no-send is the one decision recorded here (an alert is drafted with anshin alerts create)
    with service_session(args) as client:
        answer = client.decide_no_send(args.incident_id, args.reason)
    print(f"事案 {args.incident_id} を発信しないことを記録しました(記録 {answer['decision_id']})")
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
    p = incidents.add_parser("decide", help="事案を発信しないと決めたことを記録する(署長・生活安全企画課長。報告漏れ防止)",
                             description="配信しない事案の判断を理由とともに記録します(anshin service を通し、監査ログに残ります)。"
                                         "記録した事案は anshin alerts due の報告漏れに出ません。配信のある事案は、その配信を "
                                         "anshin alerts reject で不可にします。")
    add_workspace(p)
    add_login(p)
    p.add_argument("incident_id", metavar="INCIDENT_ID", help="事案番号")
    p.add_argument("--no-send", action="store_true", required=True, help="発信しない(記録できる判断はこれだけです)")
    p.add_argument("--reason", required=True, help="発信しない理由(経過と監査ログに残ります)")
    p.set_defaults(func=cmd_incidents_decide)
