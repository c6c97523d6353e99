"""The ``anshin`` console script: build the parser from the command modules, run one command.

Each command group lives in its own module, its options declared beside its
handler by ``register_<command>(parser)``. ``COMMANDS`` lists the commands
with the one line ``anshin --help`` shows; only the module of the command
being run is imported, so help and each command start without loading the
others' dependencies (folium, papermill, SMTP, …).

Results go to stdout, progress and errors to stderr. Exit status: 0 success,
1 an ``AnshinError`` (one Japanese line; ``--debug`` for the traceback),
2 usage (one Japanese line naming ``--help``).
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import NamedTuple

from anshin_lab.cli.common import JapaneseParser, error_line
from anshin_lab.core.errors import AnshinError


class Command(NamedTuple):
    name: str
    module: str  # anshin_lab.cli.<module> has register_<name>(parser)
    help: str


COMMANDS = [
    Command("init", "workspace", "作業領域を作る(データベース・参照レイヤ・サンプルデータ)"),
    Command("demo", "demo", "メインの処理を最初から最後まで実行する"),
    Command("incidents", "incidents", "事案データ(取り込み・集計・発信しない判断の記録)"),
    Command("fraud", "fraud", "うそ電話詐欺の記録(取り込み・急増の検定と多発の下書き)"),
    Command("patterns", "patterns", "パターン分析(事案の系列・近接反復・ホットスポット。部外秘)"),
    Command("report", "reports", "報告書(papermill で実行し、HTML にする)"),
    Command("schedule", "reports", "定期実行(schedule.toml の集計)"),
    Command("settings", "workspace", "設定(値と説明の表示)"),
    Command("map", "reports", "地図を書き出す(部外秘の事案地図 / 公開用の地図)"),
    Command("publish", "publish", "公開サイトを書き出す(発信済みの配信・統計・地図・オープンデータ・CAP、各言語)"),
    Command("print", "printing", "回覧板を書き出す(発信済みの配信1件か、地域の1週間分を A4 の PDF に)"),
    Command("users", "users", "ユーザー(作成・所属・発信操作担当者の指定)"),
    Command("alerts", "alerts", "配信(一覧・起案・申請・決裁・協議・差し戻し・不可・取り下げ・発信準備・完了・続報・期限切れの一覧)"),
    Command("consent", "alerts", "承諾・公表要請書の記録"),
    Command("members", "members", "会員(取り込み・件数・配信停止)"),
    Command("service", "service", "サービスを起動する(承認・同意の記録・発信を受け付ける。鍵を持つ唯一のプロセス)"),
    Command("send", "send", "発信準備完了の配信を会員に送る(指定された発信操作担当者のみ)"),
    Command("smtpd", "demo", "デモ・試験用の SMTP リレーを起動する(受けたメールを Maildir に保存)"),
    Command("audit", "audit", "監査ログ(改ざん・削除がないかの検証、個人情報の閲覧・書き出しの記録の表示)"),
    Command("retention", "audit", "保存期間(期間を過ぎた個人情報の削除。月別の件数は残す)"),
]


def build_parser(only: str | None = None) -> JapaneseParser:
    """The whole parser; with ``only``, just that command's options (the others are listed, not loaded)."""
    parser = JapaneseParser(
        prog="anshin",
        description="anshin-lab: 県警あんしんメールの分析・起案ワークベンチ。各コマンドの使い方は anshin <コマンド> --help で表示します。",
    )
    parser.add_argument("--debug", action="store_true", help="エラー時にトレースバックを表示する")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True, title="コマンド")
    for command in COMMANDS:
        sub = commands.add_parser(command.name, help=command.help)
        if only is None or command.name == only:
            # why: importing a command's module loads what its handlers need; only the chosen one is imported
            module = importlib.import_module(f"anshin_lab.cli.{command.module}")
            getattr(module, f"register_{command.name}")(sub)
    return parser


def chosen_command(argv: list[str]) -> str:
    """The command ``argv`` runs (the first word that is not an option; "" for none, e.g. ``--help``)."""
    return next((word for word in argv if not word.startswith("-")), "")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    args = build_parser(only=chosen_command(argv)).parse_args(argv)
    try:
        return args.func(args)
    except AnshinError as exc:
        if args.debug:
            raise
        print(error_line(exc), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("中断しました", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader (``| head``) closed the pipe: not an error; keep Python from complaining at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
