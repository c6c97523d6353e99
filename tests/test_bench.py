"""The benchmarks, run as ``python -m benchmarks NAME`` from the repository root, end with their figures as JSON."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .smtp_faults import start_sink

PROJECT = Path(__file__).resolve().parents[1]


def bench(*args: str) -> tuple[dict, str]:
    """Run one benchmark in a fresh process from the repository root: (its JSON figures, the readable report)."""
    result = subprocess.run([sys.executable, "-m", "benchmarks", *args], cwd=PROJECT, capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stderr
    *report, last = result.stdout.strip().splitlines()
    return json.loads(last), "\n".join(report)


def test_an_unknown_benchmark_lists_the_known_ones():
    result = subprocess.run([sys.executable, "-m", "benchmarks", "frobnicate"], cwd=PROJECT, capture_output=True,
                            text=True)
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    for name in ("address", "areas", "lint", "map", "report", "send"):
        assert name in result.stderr


def test_benchmarks_are_not_product_commands():
    result = subprocess.run([sys.executable, "-m", "anshin_lab", "bench", "address"], cwd=PROJECT,
                            capture_output=True, text=True)
    assert result.returncode == 2


def test_bench_areas_reports_its_figures(built_workspace):
    figures, printed = bench("areas", "--points", "20000", "--sample", "200", "--workspace", str(built_workspace.root))
    for key in ("points", "small_areas", "vectorised_s", "points_per_s", "vectorised_per_point_us",
                "naive_s", "naive_per_point_us", "naive_extrapolated_s", "ratio", "meets_target"):
        assert key in figures, key
    assert figures["points"] == 20_000 and figures["naive_sample"] == 200
    assert figures["small_areas"] == 1731
    assert figures["ratio"] > 0  # speed is the benchmark's verdict, never a test's: only that it was measured
    assert figures["all_levels_filled"]
    # Random points inside the small areas land in the area they were drawn in, both ways.
    assert figures["agreement_truth"] > 0.999 and figures["agreement_naive"] > 0.99
    assert figures["meets_target"] is None  # no verdict below a million points
    assert "速度比" in printed and "20,000地点" in printed


def test_bench_address_reports_its_figures():
    figures, printed = bench("address", "--addresses", "3000", "--sample", "300")
    assert figures["addresses"] == 3_000 and figures["naive_sample"] == 300
    assert figures["agreement_naive"] == 1.0  # both ways read every address the same
    assert figures["per_second"] > 0 and figures["ratio"] > 0  # the key read from outside
    assert "速度比" in printed


def test_bench_lint_reports_its_figures():
    figures, printed = bench("lint", "--sentences", "300", "--sample", "30")
    for key in ("sentences", "per_s", "per_sentence_us", "body_ms", "naive_sample", "naive_s", "ratio",
                "ratio_dictionaries_only", "meets_target"):
        assert key in figures, key
    assert figures["sentences"] == 300 and figures["naive_sample"] == 30
    assert 0 < figures["flagged"] < 300
    assert figures["body_ms"] < 50
    assert "速度比" in printed and "300文" in printed


def test_bench_map_reports_its_figures(built_workspace):
    figures, printed = bench("map", "--counts", "300,1500", "--naive", "150", "--workspace", str(built_workspace.root))
    assert [r["count"] for r in figures["runs"]] == [300, 1_500]
    for run in figures["runs"]:
        assert run["clean"], run["problems"]
        assert run["build_s"] > 0 and run["html_bytes"] > 0 and run["draw_s"] > 0
    assert figures["naive"]["count"] == 150 and figures["naive"]["clean"]
    assert figures["ratio_size"] > 1  # the packed page is smaller than the baseline's, whatever the load
    assert {"html_bytes", "build_seconds", "draw_seconds"} <= set(figures)  # the keys read from outside
    assert figures["meets_target"] is None  # no verdict below 50,000 incidents
    assert "速度比" in printed and "1,500件" in printed


@pytest.mark.slow
def test_bench_report_reports_each_stage(built_workspace, tmp_path):
    # A copy of the built workspace with a database of its own: the benchmark imports the sample calls into it.
    root = tmp_path / "ws"
    shutil.copytree(built_workspace.root, root, ignore=shutil.ignore_patterns("anshin.sqlite*", "quarantine"))
    figures, printed = bench("report", "--workspace", str(root), "--start", "2026-07-27", "--end", "2026-08-02",
                             "--runs", "1", "--no-cli", "--no-naive")
    for key in ("import_s", "in_process_s", "first_run_s", "stages", "cells", "meets_target"):
        assert key in figures, key
    assert {"kernel_start", "cells", "kernel_stop", "render_html", "index"} <= set(figures["stages"])
    assert figures["calls"] > 50 and figures["in_process_s"] > figures["stages"]["cells"]
    assert figures["imported_sample"] > 0
    assert "報告書ベンチマーク" in printed and "カーネルの起動" in printed


def test_bench_send_reports_its_figures():
    with start_sink(delay_ms=2) as sink:
        figures, printed = bench("send", "--recipients", "300", "--smtp", sink.address, "--connections", "8",
                                 "--sample", "20")
        received, duplicates = sink.handler.received, sink.handler.duplicates
    assert set(figures) >= {"sent", "failed", "duplicates", "seconds", "msgs_per_s", "naive_msgs_per_s", "ratio"}
    assert (figures["sent"], figures["failed"], figures["duplicates"], figures["pending"]) == (300, 0, 0, 0)
    assert received == 320 and duplicates == 0
    assert figures["ratio"] > 0 and figures["msgs_per_s"] > 0  # measured; the verdict is the benchmark's
    assert "速度比" in printed


def test_bench_patterns_reports_both_parts_and_its_verdicts():
    figures, printed = bench("patterns", "--series-n", "2000", "--knox-n", "400", "--permutations", "19")
    for key in ("series_seconds", "knox_seconds", "knox_naive_seconds", "knox_n", "knox_permutations",
                "series_meets_target", "knox_meets_target", "meets_target"):
        assert key in figures, key
    assert figures["knox_n"] == 400 and figures["knox_permutations"] == 19
    assert figures["series_seconds"] > 0 and figures["knox_seconds"] > 0  # measured; the verdict is the benchmark's
    assert figures["meets_target"] is None  # no verdict below the targets' sizes
    assert "パターン分析ベンチマーク" in printed and "Knox 検定" in printed and "系列づけ: 2,000件" in printed
