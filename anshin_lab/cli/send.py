"""``anshin send``: the designated operator releases an approved alert to its members (directive §6(1))."""

from __future__ import annotations

from anshin_lab import delivery
from anshin_lab.app.workspace import open_workspace
from anshin_lab.cli.alerts import add_alert_id
from anshin_lab.cli.common import add_login, add_workspace, positive_int
from anshin_lab.cli.session import engine, operator_login
from anshin_lab.core.errors import DeliveryError


def cmd_send(args) -> int:
    settings = open_workspace(args.workspace).settings
    db = engine(args)
    user = operator_login(args, db)
    options = delivery.options_from_settings(settings, connections=args.connections)
    if args.dry_run:
        preview = delivery.send_alert(db, user, args.alert_id, options=options, dry_run=True)
        print("\n".join(preview.lines()))
        return 0
    relay = delivery.relay_from_settings(settings, args.smtp)
    with delivery.progress_bar() as bar:
        report = delivery.send_alert(db, user, args.alert_id, relay, options=options, progress=bar)
    print("\n".join(report.lines()))
    if not report.complete:
        raise DeliveryError(f"#{args.alert_id} は送り終わっていません(もう一度 anshin send を実行すると続きから送ります)")
    return 0


def register_send(parser) -> None:
    parser.description = ("配信の宛先(分類と地域が合う有効な会員)を送信待ちに登録し、SMTP リレーで送ります。"
                          "中断しても、もう一度実行すると続きから送ります(送信済みの通知は再送しません)。"
                          "ユーザーは --user か ANSHIN_USER、パスワードは ANSHIN_PASSWORD か入力で。")
    add_workspace(parser)
    add_login(parser)
    add_alert_id(parser)
    parser.add_argument("--smtp", metavar="HOST:PORT", help="SMTP リレー(省略時は設定の smtp_host:smtp_port)")
    parser.add_argument("--connections", type=positive_int, metavar="C", help="同時に使う SMTP 接続の数(既定: 設定値)")
    parser.add_argument("--dry-run", action="store_true", help="送らずに、宛先と送信されるメール1通を表示する")
    parser.set_defaults(func=cmd_send)
