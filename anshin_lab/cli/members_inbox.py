"""``anshin members inbox [--once]``: answer 空メール sent to the registration address with a confirmation link."""

from __future__ import annotations

import sys

from anshin_lab.app.registration_mail import POLL_S, process_inbox, watch_inbox
from anshin_lab.app.workspace import require_workspace
from anshin_lab.cli.common import add_workspace
from anshin_lab.delivery.options import relay_from_settings


def cmd_members_inbox(args) -> int:
    ws = require_workspace(args.workspace)
    options = {"maildir": args.maildir, "relay": relay_from_settings(hostport=args.smtp) if args.smtp else None,
               "address": args.address}
    if args.once:
        for line in process_inbox(ws, **options).lines():
            print(line)
        return 0
    print(f"登録用アドレスへのメールを{args.poll:g}秒ごとに確かめます。Ctrl-C で終了します", file=sys.stderr)
    try:
        watch_inbox(ws, poll_s=args.poll, announce=lambda line: print(line, flush=True), **options)
    except KeyboardInterrupt:
        return 0
    return 0


def register_inbox(members) -> None:
    """Add ``inbox`` to the ``anshin members`` sub-commands."""
    p = members.add_parser("inbox", help="空メール登録: 登録用アドレスに届いたメールに確認リンクを返信する",
                           description="リレーが届けた Maildir(既定: 作業領域の maildir/)の new/ から、登録用アドレス"
                                       "(設定の registration_address、空なら touroku@<sender_domain>)宛てのメールを読み、"
                                       "差出人を仮登録して確認リンク(confirm_url?t=…)を返信します。読んだメールは cur/ に移すので、"
                                       "同じメールに二度は返信しません。自動応答・不達通知・形式が不正なアドレスには返信せず、"
                                       "同じアドレスへの返信は1分に1通・1日3通までです。")
    add_workspace(p)
    p.add_argument("--once", action="store_true", help="一度だけ読んで終わる(省略時は Ctrl-C まで繰り返す)")
    p.add_argument("--maildir", metavar="DIR", help="読む Maildir(既定: 作業領域の maildir/)")
    p.add_argument("--smtp", metavar="HOST:PORT", help="返信を渡す SMTP リレー(省略時は設定の smtp_host:smtp_port)")
    p.add_argument("--address", metavar="ADDR", help="登録用アドレス(省略時は設定の registration_address)")
    p.add_argument("--poll", type=float, default=POLL_S, metavar="S", help=f"繰り返すときの間隔(秒。既定: {POLL_S:g})")
    p.set_defaults(func=cmd_members_inbox)
