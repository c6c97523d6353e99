"""``anshin publish``: write the static public site of the sent alerts (every language, offline)."""

from __future__ import annotations

from anshin_lab.cli.common import add_workspace
from anshin_lab.views.public_site import write_site


def cmd_publish(args) -> int:
    print(write_site(args.workspace, args.out, base_url=args.base_url).line())
    return 0


def register_publish(parser) -> None:
    parser.description = ("発信済みの配信だけから公開サイトを書き出します(各言語の一覧・配信ごとのページ・統計・"
                          "地図・場所の示し方・オープンデータ・CAP)。外部のファイルを読み込まず、オフラインで開けます。"
                          "出力先が以前の公開サイトならいったん空にしてから書きます。")
    add_workspace(parser)
    parser.add_argument("--out", metavar="DIR", help="書き出すフォルダ(省略時はプロジェクトの reports/public/)")
    parser.add_argument("--base-url", metavar="URL",
                        help="サイトを公開する URL(CAP フィードのリンクに使います。省略時は相対リンク)")
    parser.set_defaults(func=cmd_publish)
