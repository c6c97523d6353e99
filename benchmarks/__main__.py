"""``python -m benchmarks NAME [options]``: run one benchmark by name.

The registry maps each name to its module and a one-line description; the
module (``add_arguments``, ``run``, ``DESCRIPTION``) is imported only when its
benchmark runs, so one benchmark does not pay for the others' imports (folium
and Chromium, papermill, SMTP). An unknown name is an error that lists the
known ones. The readable report goes to stdout and ends with one line of JSON;
errors are one line on stderr (exit 1), usage errors exit 2.
"""

from __future__ import annotations

import importlib
import sys
from dataclasses import dataclass
from types import ModuleType

from anshin_lab.cli.common import JapaneseParser, error_line
from anshin_lab.core.errors import AnshinError

from benchmarks.common import emit


@dataclass(frozen=True)
class Benchmark:
    name: str
    module: str  # imported by get_benchmark
    help: str


BENCHMARKS: dict[str, Benchmark] = {}


def register(name: str, module: str, help: str) -> None:
    """Make the benchmark in ``module`` runnable as ``python -m benchmarks NAME``."""
    BENCHMARKS[name] = Benchmark(name, module, help)


def get_benchmark(name: str) -> ModuleType:
    """The module of the benchmark registered as ``name``; the error lists the known names."""
    if name not in BENCHMARKS:
        raise KeyError(f"ベンチマーク「{name}」はありません(あるのは {', '.join(sorted(BENCHMARKS))})")
    return importlib.import_module(BENCHMARKS[name].module)


register("address", "benchmarks.address", "住所を解析する速さを測る")
register("areas", "benchmarks.areas", "地点を小地域と上位の全区分に割り当てる速さを測る")
register("imports", "benchmarks.imports", "事案のエクスポートを取り込む時間とピークメモリを大きさごとに測る")
register("lint", "benchmarks.lint", "配信本文のチェック(lint)の速さを測る")
register("members", "benchmarks.members", "会員のページ(配信内容の変更)を返す速さを測る(同じ HTML を返す最小アプリとの比較)")
register("map", "benchmarks.map", "部外秘の事案地図の作成・描画の速さを測る")
register("patterns", "benchmarks.patterns", "事案の系列づけと Knox 検定の速さを測る(素朴な全組の方法と比較)")
register("report", "benchmarks.report", "報告書1件(1年分)を作る時間を段階ごとに測る")
register("send", "benchmarks.send", "送信の速さを測る(送信待ち+SMTP、同じ接続数の smtplib との比較)")


def build_parser(selected: str | None = None) -> JapaneseParser:
    """The parser; only the ``selected`` benchmark's module is imported for its options."""
    parser = JapaneseParser(
        prog="python -m benchmarks",
        description="anshin-lab のベンチマーク(本実装と素朴な方法を同じ回に測って比べ、最後の1行に数値を"
                    " JSON で表示します)。リポジトリのルートで実行してください。")
    names = parser.add_subparsers(dest="name", metavar="NAME", required=True)
    for benchmark in BENCHMARKS.values():
        if benchmark.name == selected:
            module = get_benchmark(benchmark.name)
            sub = names.add_parser(benchmark.name, help=benchmark.help, description=module.DESCRIPTION)
            module.add_arguments(sub)
        else:
            names.add_parser(benchmark.name, help=benchmark.help)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    selected = argv[0] if argv and not argv[0].startswith("-") else None
    if selected is not None:
        try:
            get_benchmark(selected)
        except KeyError as exc:
            print(f"エラー: {exc.args[0]}", file=sys.stderr)
            return 2
    args = build_parser(selected).parse_args(argv)
    try:
        figures = get_benchmark(args.name).run(args)
    except AnshinError as exc:
        print(error_line(exc), file=sys.stderr)
        return 1
    emit(figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
