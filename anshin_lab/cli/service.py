"""``anshin service``: run the service that approves, records consent and sends (it alone holds the key)."""

from __future__ import annotations

from anshin_lab.app.service import serve
from anshin_lab.cli.common import add_workspace


def cmd_service(args) -> int:
    return serve(args.workspace, socket_path=args.socket, port=args.port, smtp=args.smtp,
                 out=lambda line: print(line, flush=True))


def register_service(parser) -> None:
    parser.description = ("承認・同意の記録・発信を受け付けるサービスを起動します。作業領域の鍵(secrets/service.key)と "
                          "SMTP の設定を持つのはこのプロセスだけで、ノートブックや他の anshin コマンドはログインして"
                          "このサービスに依頼します。既定では作業領域の run/service.sock(このユーザーだけが読み書きできる"
                          " Unix ソケット)で待ち受けます。SIGTERM か Ctrl-C で、送信中の配信を止めて記録してから終わります。")
    add_workspace(parser)
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--socket", metavar="PATH", help="待ち受ける Unix ソケット(省略時は作業領域の run/service.sock)")
    where.add_argument("--port", type=int, metavar="P",
                       help="Unix ソケットの代わりに 127.0.0.1 のこのポートで待ち受ける(0 なら空いているポート)")
    parser.add_argument("--smtp", metavar="HOST:PORT", help="送信に使う SMTP リレー(省略時は設定の smtp_host:smtp_port)")
    parser.set_defaults(func=cmd_service)
