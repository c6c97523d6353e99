"""``anshin audit verify`` and ``anshin retention purge``: the record the directive asks to keep, and for how long."""

from __future__ import annotations

import getpass

from anshin_lab.app.workspace import open_workspace
from anshin_lab.cli.common import add_workspace, date_text
from anshin_lab.cli.session import engine
from anshin_lab.core.errors import AnshinError
from anshin_lab.workflow.audit import verify
from anshin_lab.workflow.retention import default_cutoff, purge


def cmd_audit_verify(args) -> int:
    report = verify(engine(args))
    print(f"監査ログ {report.entries}件, 末尾のハッシュ {report.head}")
    if report.ok:
        print("改ざんは見つかりませんでした")
        return 0
    for problem in report.problems:
        print(f"  {problem}")
    raise AnshinError(f"監査ログに{len(report.problems)}件の問題があります")


def cmd_retention_purge(args) -> int:
    ws = open_workspace(args.workspace)
    before = args.before or default_cutoff(ws.settings.retention_years)
    report = purge(engine(args), before, actor=f"os:{getpass.getuser()}", dry_run=args.dry_run)
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
    p = retention.add_parser("purge", help="保存期間を過ぎた事案の個人情報を削除する(件数は残す)")
    add_workspace(p)
    p.add_argument("--before", type=date_text, metavar="DATE",
                   help="この日より前の事案(例: 2021-12-01、令和3年12月1日。省略時は今日から保存年限を引いた日)")
    p.add_argument("--dry-run", action="store_true", help="削除せず件数だけ表示する")
    p.set_defaults(func=cmd_retention_purge)
