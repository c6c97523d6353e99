"""Smoke test of the benchmarks: they run on a real workspace and report their figures."""

from benchmarks.text import bench_areas


def test_bench_areas_reports_its_figures(built_workspace, capsys):
    figures = bench_areas(points=20_000, sample=200, workspace=built_workspace.root)
    for key in ("points", "small_areas", "vectorised_s", "points_per_s", "vectorised_per_point_us",
                "naive_s", "naive_per_point_us", "naive_extrapolated_s", "ratio", "meets_target"):
        assert key in figures, key
    assert figures["points"] == 20_000 and figures["naive_sample"] == 200
    assert figures["small_areas"] == 1731
    assert figures["ratio"] > 1
    assert figures["all_levels_filled"]
    # Random points inside the small areas land in the area they were drawn in, both ways.
    assert figures["agreement_truth"] > 0.999 and figures["agreement_naive"] > 0.99
    printed = capsys.readouterr().out
    assert "速度比" in printed and "20,000地点" in printed


def test_bench_address_reports_its_figures(capsys):
    from benchmarks.text import bench_address

    figures = bench_address(addresses=3_000, sample=300)
    assert figures["addresses"] == 3_000 and figures["naive_sample"] == 300
    assert figures["agreement_naive"] == 1.0  # both ways read every address the same
    assert figures["ratio"] > 1
    assert "速度比" in capsys.readouterr().out


def test_bench_commands_are_wired():
    from anshin_lab.cli.main import main

    assert main(["bench", "address", "--addresses", "500", "--sample", "50"]) == 0
