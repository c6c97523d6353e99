"""``anshin audit verify|list`` and ``anshin retention purge``: the record the directive asks to keep, and for how long."""

from __future__ import annotations

import json

from anshin_lab.app.access_audit import ACTIONS
from anshin_lab.app.retention_files import purge_workspace
from anshin_lab.app.workspace import act_as_service, open_workspace
from anshin_lab.cli.common import add_login, add_workspace, date_text, internal_names, positive_int
from anshin_lab.cli.session import engine, login
from anshin_lab.cli.tables import render_table
from anshin_lab.core.errors import AnshinError
from anshin_lab.workflow.audit import read_log, verify

# More problems than this are counted, not listed (a recomputed chain breaks at every entry).
SHOWN_PROBLEMS = 20
# What ``audit list --kind`` selects: audit actions by a name people use.
LIST_KINDS = {"access": tuple(ACTIONS.values()), "retention": ("retention_purge", "retention_purge_dry_run")}
LIST_COLUMNS = {"seq": "番号", "at": "日時", "actor": "実行者", "action": "操作", "subject": "対象", "details": "内容"}
ACTION_LABELS = {"personal_data_export": "個人情報の書き出し", "personal_data_view": "個人情報の閲覧",
                 "retention_purge": "保存期間の削除", "retention_purge_dry_run": "保存期間の削除(件数のみ)"}
# The details shown first (the rest follow in their stored order).
FIRST_DETAILS = ("what", "rows", "since", "path", "before")


def cmd_audit_verify(args) -> int:
    act_as_service(open_workspace(args.workspace))  # the chain is keyed: checking it needs the key
    report = verify(engine(args))
    print(f"監査ログ {report.entries}件、末尾 {report.last_seq}番のハッシュ {report.head}")
    if report.anchor is None:
        print("アンカー: 設定されていません")
    elif report.anchored_seq is None:
        print(f"アンカー: {report.anchor} にこのデータベースの記録はありません")
    else:
        print(f"アンカー: {report.anchor} に{report.anchored_seq}番まで記録されています")
    if report.ok:
        print("改ざんは見つかりませんでした")
        return 0
    for problem in report.problems[:SHOWN_PROBLEMS]:
        print(f"  {problem}")
    if len(report.problems) > SHOWN_PROBLEMS:
        print(f"  ほか{len(report.problems) - SHOWN_PROBLEMS}件")
    raise AnshinError(f"監査ログに{len(report.problems)}件の問題があります")


def cmd_audit_list(args) -> int:
    log = read_log(engine(args))
    if args.kind:
        log = log[log["action"].isin(LIST_KINDS[args.kind])]
    log = log.tail(args.limit).copy()
    labels = {**internal_names()[0], **ACTION_LABELS}
    log["action"] = [labels.get(action, action) for action in log["action"]]
    log["at"] = [str(at)[:19].replace("T", " ") for at in log["at"]]
    log["details"] = [_short(text) for text in log["details"]]
    print(render_table(log[list(LIST_COLUMNS)].rename(columns=LIST_COLUMNS), "監査ログに該当する記録はありません"))
    return 0


def _short(text: str, width: int = 100) -> str:
    """The details of an entry on one line: ``key=value`` pairs (``FIRST_DETAILS`` first), cut at ``width`` characters."""
    try:
        details = json.loads(text)
    except ValueError:
        details = text
    if isinstance(details, dict):
        keys = [k for k in FIRST_DETAILS if k in details] + [k for k in details if k not in FIRST_DETAILS]
        line = " ".join(f"{k}={details[k]}" for k in keys if details[k] is not None)
    else:
        line = str(details)
    return line if len(line) <= width else line[:width - 1] + "…"


def cmd_retention_purge(args) -> int:
    ws = open_workspace(args.workspace)
    act_as_service(ws)  # the purge is audited, and audit entries are signed
    db = engine(args)
    report = purge_workspace(ws, db, user=login(args, db), before=args.before, dry_run=args.dry_run)
    for line in report.lines():
        print(line)
    return 0


def register_audit(parser) -> None:
    audit = parser.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    p = audit.add_parser("verify", help="監査ログのつながりを検証する(書き換え・削除・並べ替えを検出)")
    add_workspace(p)
    p.set_defaults(func=cmd_audit_verify)
    p = audit.add_parser("list", help="監査ログの新しい記録を表示する(個人情報の閲覧・書き出し、保存期間の削除など)")
    add_workspace(p)
    p.add_argument("--kind", choices=list(LIST_KINDS), metavar="KIND",
                   help="access(個人情報の閲覧・書き出し)または retention(保存期間の削除)だけを表示する")
    p.add_argument("--limit", type=positive_int, default=50, metavar="N", help="表示する件数(新しいものから。既定 50)")
    p.set_defaults(func=cmd_audit_list)


def register_retention(parser) -> None:
    retention = parser.add_subparsers(dest="retention_command", metavar="ACTION", required=True)
    p = retention.add_parser("purge", help="保存期間を過ぎた個人情報を削除する(管理者のログインで。月別の件数は残す)",
                             description="事案・うそ電話の記録・配信しない判断・終わった配信の承諾と本文・退会した会員と"
                                         "送信記録のアドレス・期限切れのログイン、作業領域の保留ファイル・Maildir・部外秘の"
                                         "書き出しのうち、保存年限(ANSHIN_RETENTION_YEARS)より古いものを削除し、"
                                         "監査ログに種類ごとの件数を記録します。schedule.toml の kind = \"retention\" の"
                                         "ジョブでも定期実行できます。")
    add_workspace(p)
    add_login(p)
    p.add_argument("--before", type=date_text, metavar="DATE",
                   help="この日より前の記録(例: 2021-12-01、令和3年12月1日。省略時は今日から保存年限を引いた日)")
    p.add_argument("--dry-run", action="store_true", help="削除せず件数だけ表示する")
    p.set_defaults(func=cmd_retention_purge)
