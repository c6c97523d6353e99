"""The analyst's patterns: series linking and the Knox test, each against the naive all-pairs way in the same run.

``python -m benchmarks patterns [--series-n N] [--knox-n N] [--permutations N] [--seed N]``
runs ``benchmarks.patterns_series.series_figures`` (``link_series`` over
synthetic incidents with planted series, against comparing every pair) and
``benchmarks.patterns_knox.knox_figures`` (``knox_test`` against re-binning
every pair in every permutation), prints a readable report with the verdict
against the issue's targets (series linking over 50,000 incidents ≤ 5 s;
Knox with 999 permutations over 5,000 incidents ≤ 10 s) and ends with one
JSON line holding every figure of both parts.
"""

from __future__ import annotations

import os

from anshin_lab.cli.common import positive_int

from benchmarks.patterns_knox import KNOX_TARGET_N, KNOX_TARGET_S, knox_figures
from benchmarks.patterns_knox import report_lines as knox_lines
from benchmarks.patterns_series import series_figures

SERIES_TARGET_N = 50_000
SERIES_TARGET_S = 5.0
KNOX_PERMUTATIONS = 999

DESCRIPTION = ("事案の系列づけ(link_series)と近接反復の Knox 検定(knox_test)の時間を、素朴な全組の方法と同じ回に測って"
               "比べ、目標(系列づけ 50,000件で5秒以内、Knox 999回の並べ替え 5,000件で10秒以内)への判定を示します。")


def add_arguments(parser) -> None:
    parser.add_argument("--series-n", type=positive_int, default=SERIES_TARGET_N, metavar="N",
                        help=f"系列づけの事案数(既定: {SERIES_TARGET_N:,}。判定はこの数のときだけ)")
    parser.add_argument("--knox-n", type=positive_int, default=KNOX_TARGET_N, metavar="N",
                        help=f"Knox 検定の事案数(既定: {KNOX_TARGET_N:,}。判定はこの数のときだけ)")
    parser.add_argument("--permutations", type=positive_int, default=KNOX_PERMUTATIONS, metavar="N",
                        help=f"Knox 検定の並べ替えの回数(既定: {KNOX_PERMUTATIONS})")
    parser.add_argument("--seed", type=int, default=0, metavar="N", help="乱数の種(既定: 0)")


def run(args) -> dict:
    return bench_patterns(series_n=args.series_n, knox_n=args.knox_n, permutations=args.permutations, seed=args.seed)


def verdict(seconds: float, target_s: float, at_target: bool) -> bool | None:
    """True/False against the target when measured at the target's size; None (no verdict) otherwise."""
    return bool(seconds <= target_s) if at_target else None


def verdict_text(meets: bool | None) -> str:
    return {True: "達成", False: "未達", None: "判定なし(目標の件数で測っていません)"}[meets]


def bench_patterns(series_n: int = SERIES_TARGET_N, knox_n: int = KNOX_TARGET_N,
                   permutations: int = KNOX_PERMUTATIONS, seed: int = 0) -> dict:
    """Both parts' figures in one dict, with the verdicts ``series_meets_target``, ``knox_meets_target``, ``meets_target``."""
    series = series_figures(series_n, seed)
    knox = knox_figures(knox_n, permutations, seed)
    series_s = float(series["series_seconds"])
    series_meets = verdict(series_s, SERIES_TARGET_S, series_n == SERIES_TARGET_N)
    knox_meets = verdict(float(knox["knox_seconds"]), KNOX_TARGET_S,
                         knox_n == KNOX_TARGET_N and permutations == KNOX_PERMUTATIONS)
    verdicts = [v for v in (series_meets, knox_meets) if v is not None]
    figures = {
        **series, **knox,
        "series_target_seconds": SERIES_TARGET_S, "series_meets_target": series_meets,
        "knox_meets_target": knox_meets,
        "meets_target": all(verdicts) if len(verdicts) == 2 else None,
        "cpus": os.cpu_count(),
    }
    print(f"パターン分析ベンチマーク(CPU {os.cpu_count()}個)")
    print(f"系列づけ: {series_n:,}件")
    print(f"  link_series: {series_s:.2f} 秒(目標 {SERIES_TARGET_S:.0f} 秒以内: {verdict_text(series_meets)})")
    naive = series.get("series_naive_seconds")
    if naive is not None:
        extrapolated = "(外挿)" if series.get("series_naive_extrapolated") else ""
        print(f"  素朴な全組の比較: {float(naive):.2f} 秒{extrapolated}"
              + (f"、速さの比 {float(naive) / series_s:,.1f} 倍" if series_s > 0 else ""))
    for key, label in (("series_precision", "適合率"), ("series_recall", "再現率")):
        if series.get(key) is not None:
            print(f"  植え込んだ系列に対する{label}: {float(series[key]):.3f}")
    for line in knox_lines(knox):
        print(line)
    print(f"  目標への判定: {verdict_text(knox_meets)}")
    print(f"総合: {verdict_text(figures['meets_target'])}")
    return figures
