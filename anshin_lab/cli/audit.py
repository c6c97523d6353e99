"""``anshin audit verify`` and ``anshin retention purge``: the record the directive asks to keep, and for how long."""

from __future__ import annotations

from anshin_lab.app.workspace import act_as_service, open_workspace
from anshin_lab.cli.common import add_login, add_workspace, date_text
from anshin_lab.cli.session import engine, login
from anshin_lab.core.errors import AnshinError
from anshin_lab.workflow.audit import verify
from anshin_lab.workflow.retention import default_cutoff, purge


# More problems than this are counted, not listed (a recomputed chain breaks at every entry).
SHOWN_PROBLEMS = 20


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


def cmd_retention_purge(args) -> int:
    ws = open_workspace(args.workspace)
    act_as_service(ws)  # the purge is audited, and audit entries are signed
    before = args.before or default_cutoff(ws.settings.retention_years)
    db = engine(args)
    report = purge(db, before, user=login(args, db), dry_run=args.dry_run)
    verb = "削除対象" if report.dry_run else "削除しました"
    print(f"{report.before:%Y-%m-%d} より前の事案: {report.incidents}件 {verb}(月別・分類別・署別の件数は残します)")
    return 0


def register_audit(parser) -> None:
    audit = parser.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    p = audit.add_parser("verify", help="監査ログのつながりを検証する(書き換え・削除・並べ替えを検出)")
    add_workspace(p)
    p.set_defaults(func=cmd_audit_verify)


def register_retention(parser) -> None:
    retention = parser.add_subparsers(dest="retention_command", metavar="ACTION", required=True)
    p = retention.add_parser("purge", help="保存期間を過ぎた事案の個人情報を削除する(管理者のログインで。件数は残す)")
    add_workspace(p)
    add_login(p)
    p.add_argument("--before", type=date_text, metavar="DATE",
                   help="この日より前の事案(例: 2021-12-01、令和3年12月1日。省略時は今日から保存年限を引いた日)")
    p.add_argument("--dry-run", action="store_true", help="削除せず件数だけ表示する")
    p.set_defaults(func=cmd_retention_purge)
