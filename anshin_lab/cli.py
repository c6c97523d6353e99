"""The ``anshin`` console script: parse, call one package function, print.

Results go to stdout, progress and errors to stderr. Exit status: 0 success,
1 an ``AnshinError`` (one line; ``--debug`` for the traceback), 2 usage.
"""

from __future__ import annotations

import argparse
import sys

from .errors import AnshinError


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def cmd_init(args) -> int:
    from .workspace import init_workspace

    ws = init_workspace(args.workspace, progress=_progress)
    print(f"作業領域を用意しました: {ws.root}")
    print(f"  データベース: {ws.settings.database if not ws.settings.database_url else '(設定の database_url)'}")
    print(f"  参照レイヤ: {ws.layers_file}")
    print(f"  サンプル: {ws.sample_dir}")
    return 0


def cmd_incidents_import(args) -> int:
    from .ingest import import_incidents
    from .workspace import require_workspace

    ws = require_workspace(args.workspace)
    report = import_incidents(args.file, ws)
    for line in report.lines():
        print(line)
    return 0


def cmd_incidents_summary(args) -> int:
    from . import summaries
    from .workspace import read_incidents

    frame = read_incidents(args.workspace, since=args.since)
    print(f"事案 {len(frame)}件")
    print(summaries.by_category(frame).to_string())
    print()
    print(summaries.by_station(frame).to_string())
    return 0


def cmd_settings_show(args) -> int:
    from .settings import load_settings

    for name, value, help_text in load_settings().with_workspace(args.workspace).describe():
        print(f"{name:16} {value}\n{'':16} # {help_text}")
    return 0


def cmd_demo(args) -> int:
    from .demo import run_demo

    run_demo(args.workspace, progress=_progress)
    return 0


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"1以上の整数を指定してください: {text}")
    return value


def cmd_bench_areas(args) -> int:
    from .bench import bench_areas

    bench_areas(points=args.points, sample=args.sample, workspace=args.workspace)
    return 0


def cmd_bench_address(args) -> int:
    from .bench import bench_address

    bench_address(addresses=args.addresses, sample=args.sample)
    return 0


def build_parser() -> argparse.ArgumentParser:
    workspace = argparse.ArgumentParser(add_help=False)
    workspace.add_argument("--workspace", metavar="DIR",
                           help="作業領域のフォルダ(省略時は既定の作業領域 data/ または ANSHIN_WORKSPACE)")
    parser = argparse.ArgumentParser(
        prog="anshin",
        description="anshin-lab: 県警あんしんメールの分析・起案ワークベンチ (analyst workbench for the police safety-mail service)",
    )
    parser.add_argument("--debug", action="store_true", help="エラー時にトレースバックを表示する")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = commands.add_parser("init", parents=[workspace], help="作業領域を作る(データベース・参照レイヤ・サンプルデータ)",
                            description="作業領域を作ります。既にある部分はそのまま残します(何度実行しても安全)。")
    p.set_defaults(func=cmd_init)

    p = commands.add_parser("demo", parents=[workspace], help="メインの処理を最初から最後まで実行する",
                            description="既定の作業領域を用意し、サンプルの事案データを取り込み、結果を表示します。")
    p.set_defaults(func=cmd_demo)

    incidents = commands.add_parser("incidents", help="事案データ(取り込み・集計)").add_subparsers(
        dest="incidents_command", metavar="ACTION", required=True)
    p = incidents.add_parser("import", parents=[workspace], help="警察システムの出力(CSV/XLSX)を取り込む",
                             description="CSV(UTF-8/UTF-8 BOM/Shift_JIS)または XLSX の事案データを検証して取り込みます。"
                                         "不備のある行は作業領域の quarantine/ に理由付きで保存します。同じファイルを"
                                         "再度取り込んでも何も変わりません。")
    p.add_argument("file", metavar="FILE", help="取り込むファイル")
    p.set_defaults(func=cmd_incidents_import)
    p = incidents.add_parser("summary", parents=[workspace], help="分類別・管轄署別の件数を表示する")
    p.add_argument("--since", metavar="DATE", help="この日以降の事案だけ(例: 2026-11-01)")
    p.set_defaults(func=cmd_incidents_summary)

    settings = commands.add_parser("settings", help="設定").add_subparsers(dest="settings_command", metavar="ACTION", required=True)
    p = settings.add_parser("show", parents=[workspace], help="設定値と説明を表示する(秘密の値は伏せる)")
    p.set_defaults(func=cmd_settings_show)
    bench = commands.add_parser("bench", help="性能を測る(ベンチマーク。素朴な方法との速度比も表示)").add_subparsers(
        dest="bench_command", metavar="TARGET", required=True)
    p = bench.add_parser("areas", parents=[workspace], help="地点を小地域と上位の全区分に割り当てる速さを測る",
                         description="作業領域の小地域の中に人口に比例したランダムな地点を作り、AreaSet.assign(一括処理)と"
                                     "素朴なループ(小地域を1つずつ contains で調べる)の1地点あたりの時間を比べます。")
    p.add_argument("--points", type=_positive_int, default=1_000_000, metavar="N",
                   help="一括処理で割り当てる地点の数(既定: 1,000,000)")
    p.add_argument("--sample", type=_positive_int, default=2_000, metavar="N",
                   help="素朴なループで割り当てる地点の数(既定: 2,000)")
    p.set_defaults(func=cmd_bench_areas)
    p = bench.add_parser("address", help="住所を解析する速さを測る",
                         description="人が書くさまざまな表記の住所を作り、address.parse と素朴な全件走査の1件あたりの時間を比べます。")
    p.add_argument("--addresses", type=_positive_int, default=100_000, metavar="N", help="解析する住所の数(既定: 100,000)")
    p.add_argument("--sample", type=_positive_int, default=2_000, metavar="N", help="素朴な方法で解析する数(既定: 2,000)")
    p.set_defaults(func=cmd_bench_address)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except AnshinError as exc:
        if args.debug:
            raise
        print(f"エラー: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("中断しました", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
