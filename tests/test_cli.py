import re
import subprocess
import sys

import pytest

from anshin_lab.cli.common import error_line
from anshin_lab.cli.main import build_parser, main
from anshin_lab.core.directive import CONSENT_KINDS, CONSENT_METHODS
from anshin_lab.core.errors import WorkflowError
from anshin_lab.records.members import STATUSES
from anshin_lab.workflow.rules import Role, Status


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


def test_workflow_commands(fresh_workspace, monkeypatch, capsys):
    """users add / designate-operator, alerts list / show / approve / reject, consent record, audit verify."""
    from anshin_lab.workflow import alerts
    from anshin_lab.storage import store
    from anshin_lab.workflow.users import authenticate

    ws = ["--workspace", str(fresh_workspace.root)]
    monkeypatch.setenv("ANSHIN_NEW_PASSWORD", "a long enough password")
    assert main(["users", "add", "admin", "--role", "admin", *ws]) == 0
    monkeypatch.setenv("ANSHIN_PASSWORD", "a long enough password")
    for name, role in [("sato", "analyst"), ("shocho", "station_chief"), ("kacho", "hq_planning_chief"),
                       ("tanaka", "operator")]:
        assert main(["users", "add", name, "--role", role, "--user", "admin", *ws]) == 0
    assert main(["users", "designate-operator", "tanaka", "--user", "kacho", *ws]) == 0
    engine = store.connect(fresh_workspace.database_url)
    try:
        alert_id = alerts.create_alert(engine, authenticate(engine, "sato", "a long enough password"),
                                       category="threat", subject="件名", body="本文", level="TOWN", public_text="町付近")
        alerts.submit(engine, authenticate(engine, "sato", "a long enough password"), alert_id)
    finally:
        engine.dispose()
    capsys.readouterr()
    # A station chief must answer every check: an unanswered one is an error, not a "no".
    assert main(["alerts", "approve", str(alert_id), "--user", "shocho", *ws]) == 1
    assert "判断の記録" in capsys.readouterr().err
    assert main(["alerts", "approve", str(alert_id), "--user", "shocho", "--victim-not-identifiable", "yes",
                 "--no-names", "yes", "--location-ok", "yes", "--no-harm", "yes", *ws]) == 0
    assert main(["consent", "record", str(alert_id), "--user", "sato", "--kind", "保護者", "--method", "電話",
                 "--scope", "配信", "--given-at", "2026-11-28 17:00", *ws]) == 0
    assert main(["alerts", "reject", str(alert_id), "--user", "sato", "--reason", "x", *ws]) == 1  # analysts cannot
    assert main(["alerts", "reject", str(alert_id), "--user", "kacho", "--reason", "捜査に支障", *ws]) == 0
    capsys.readouterr()
    assert main(["alerts", "list", *ws]) == 0 and "rejected" in capsys.readouterr().out
    assert main(["alerts", "show", str(alert_id), *ws]) == 0
    shown = capsys.readouterr().out
    assert "捜査に支障" in shown
    assert "署長の決裁" in shown and "station_approve" not in shown  # steps by their Japanese names
    assert main(["audit", "verify", *ws]) == 0 and "改ざんは見つかりませんでした" in capsys.readouterr().out
    assert main(["users", "list", *ws]) == 0


def test_usage_errors_are_one_japanese_line_naming_the_help(tmp_path):
    for args in (["incidents", "frobnicate"], ["frobnicate"], ["incidents", "import"],
                 ["incidents", "summary", "--since", "someday"], ["users", "add", "x", "--role", "boss"]):
        result = run(*args, "--workspace", str(tmp_path))
        assert result.returncode == 2, args
        line = result.stderr.strip()
        assert line.count("\n") == 0 and line.startswith("エラー: ") and "--help` で使い方" in line, line
        assert "Traceback" not in line and "usage:" not in line and "error:" not in line
    assert "「someday」を日付として読めません" in run("incidents", "summary", "--since", "someday").stderr


def test_help_is_in_japanese_and_lists_no_benchmarks():
    result = run("incidents", "import", "--help")
    assert result.returncode == 0
    assert result.stdout.startswith("使い方: anshin incidents import") and "この説明を表示して終わる" in result.stdout
    listed = run("--help").stdout
    assert "ベンチマーク" not in listed and not re.search(r"^\s+bench\b", listed, re.M)


def test_choices_come_from_the_domain():
    def choices(*path):
        parser = build_parser()
        for name in path[:-1]:
            parser = next(a for a in parser._actions if a.dest.endswith("command")).choices[name]
        return list(next(a for a in parser._actions if a.dest == path[-1]).choices)

    assert choices("users", "add", "role") == [role.value for role in Role]
    assert choices("consent", "record", "kind") == list(CONSENT_KINDS)
    assert choices("consent", "record", "method") == list(CONSENT_METHODS)
    assert choices("members", "counts", "status") == list(STATUSES)
    assert choices("alerts", "list", "status") == [status.value for status in Status]


def test_internal_names_in_a_message_become_their_japanese_labels():
    line = error_line(WorkflowError("station_approve は hq_planning_chief だけが\n行えます"))
    assert line == "エラー: 署長の決裁 は 生活安全企画課長 だけが 行えます"
    assert error_line(WorkflowError("もう一度 anshin send を実行してください")).endswith("anshin send を実行してください")


def test_help_loads_no_command_module():
    code = ("import sys; from anshin_lab.cli.main import main\n"
            "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.startswith('anshin_lab.cli.')))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip().splitlines()[-1] == "['anshin_lab.cli.common', 'anshin_lab.cli.main']"
