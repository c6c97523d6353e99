"""``anshin demo`` and ``anshin smtpd``: the main job end to end on sample data, and a relay to send it to."""

from __future__ import annotations

from anshin_lab.cli.common import add_workspace, progress
from anshin_lab.demo.run import run_demo
from anshin_lab.demo.smtpd import run_relay


def cmd_demo(args) -> int:
    run_demo(args.workspace, reports_dir=args.reports_dir, progress=progress)
    return 0


def cmd_smtpd(args) -> int:
    received = run_relay(args.port, args.maildir, args.host, announce=progress)
    print(f"{received}通を受け取りました")
    return 0


def register_demo(parser) -> None:
    parser.description = "既定の作業領域を用意し、サンプルの事案データを取り込み、結果を表示します。"
    add_workspace(parser)
    parser.add_argument("--reports-dir", metavar="DIR", default=None,
                        help="公開用の地図と報告書を書くフォルダ(既定: リポジトリの reports/)")
    parser.set_defaults(func=cmd_demo)


def register_smtpd(parser) -> None:
    parser.description = ("aiosmtpd の SMTP サーバーを起動し、受け取ったメールを宛先ごとに Maildir に書きます。"
                          "既定では 127.0.0.1 だけで待ち受けます。Ctrl-C で終了します。")
    parser.add_argument("--port", type=int, default=8025, help="待ち受けるポート(既定: 8025)")
    parser.add_argument("--maildir", required=True, metavar="DIR", help="メールを保存する Maildir")
    parser.add_argument("--host", default="127.0.0.1", help="待ち受けるアドレス(既定: 127.0.0.1)")
    parser.set_defaults(func=cmd_smtpd)
