import subprocess
import sys

import pytest

from anshin_lab.cli import build_parser, main


def run(*args, env=None):
    return subprocess.run([sys.executable, "-m", "anshin_lab", *args], capture_output=True, text=True, env=env)


def test_help_lists_the_commands():
    result = run("--help")
    assert result.returncode == 0
    for command in ("init", "demo", "incidents", "settings"):
        assert command in result.stdout


def test_every_command_has_help():
    parser = build_parser()
    for action in parser._subparsers._group_actions:
        for name, sub in action.choices.items():
            assert sub.format_help(), name


def test_import_twice_via_the_cli(built_workspace, tmp_path):
    export = built_workspace.sample_dir / "incidents_export.csv"
    first = run("incidents", "import", str(export), "--workspace", str(built_workspace.root))
    assert first.returncode == 0, first.stderr
    assert "受理" in first.stdout and "保留(quarantine)" in first.stdout
    second = run("incidents", "import", str(export), "--workspace", str(built_workspace.root))
    assert second.returncode == 0
    assert "新規 0件" in second.stdout


def test_errors_are_one_line_and_exit_1(built_workspace, tmp_path, capsys):
    code = main(["incidents", "import", str(tmp_path / "missing.csv"), "--workspace", str(built_workspace.root)])
    err = capsys.readouterr().err
    assert code == 1
    assert err.strip().count("\n") == 0 and "ファイルがありません" in err


def test_uninitialised_workspace_says_what_to_run(tmp_path, capsys):
    assert main(["incidents", "summary", "--workspace", str(tmp_path / "nowhere")]) == 1
    assert "anshin init" in capsys.readouterr().err


def test_usage_error_exits_2():
    with pytest.raises(SystemExit) as info:
        main(["incidents", "frobnicate"])
    assert info.value.code == 2
