import argparse
import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from anshin_lab.cli.common import display_width, error_line
from anshin_lab.cli.main import build_parser, main
from anshin_lab.cli.tables import render_table
from anshin_lab.core.glossary import CATEGORIES
from anshin_lab.core.directive import CONSENT_KINDS, CONSENT_METHODS
from anshin_lab.core.errors import WorkflowError
from anshin_lab.records.members import STATUSES
from anshin_lab.workflow.rules import Role, Status


ANSHIN = Path(sys.executable).with_name("anshin")  # the installed console script


def run(*args, env=None):
    return subprocess.run([sys.executable, "-m", "anshin_lab", *args], capture_output=True, text=True, env=env)


def japanese_header(table: str) -> set[str]:
    """The column names of the first line of a printed table; asserts none is an English identifier."""
    names = set(table.strip().splitlines()[0].split())
    assert not [name for name in names if re.fullmatch(r"[a-z_]+", name)], names
    return names


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
    """users add / designate-operator, alerts list / show / approve / reject, consent record, audit verify.

    The steps go through a real ``anshin service`` (a subprocess on the workspace's socket); this process
    drops the key before them, so nothing here could take a step by itself.
    """
    from anshin_lab.workflow import authority

    from .service_process import running_service

    ws = ["--workspace", str(fresh_workspace.root)]
    monkeypatch.setenv("ANSHIN_NEW_PASSWORD", "a long enough password")
    assert main(["users", "add", "admin", "--role", "admin", *ws]) == 0
    monkeypatch.setenv("ANSHIN_PASSWORD", "a long enough password")
    capsys.readouterr()
    # A station chief names their station (as the station table spells it); a wrong one is refused before any password.
    assert main(["users", "add", "shocho", "--role", "station_chief", "--user", "admin", *ws]) == 1
    assert "署長の所属(警察署)を --affiliation で指定してください" in capsys.readouterr().err
    assert main(["users", "add", "shocho", "--role", "station_chief", "--affiliation", "桜島署", "--user", "admin", *ws]) == 1
    assert "警察署テーブルにありません" in capsys.readouterr().err
    for name, role, affiliation in [("sato", "analyst", "生活安全企画課"), ("shocho", "station_chief", "鹿児島中央署"),
                                    ("kacho", "hq_planning_chief", None), ("tanaka", "operator", None)]:
        where = ["--affiliation", affiliation] if affiliation else []
        assert main(["users", "add", name, "--role", role, *where, "--user", "admin", *ws]) == 0
    assert main(["users", "designate-operator", "tanaka", "--user", "kacho", *ws]) == 0
    with running_service(fresh_workspace) as service:
        with service.logged_in("sato", "a long enough password") as sato:
            alert_id = sato.create_alert(category="threat", subject="件名", body="本文", level="TOWN",
                                         public_text="町付近")
        assert main(["alerts", "submit", str(alert_id), "--user", "sato", *ws]) == 0
        authority.uninstall()  # the commands below hold no key: the service takes every step
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
    assert service.process.returncode == 0
    capsys.readouterr()
    assert main(["alerts", "list", *ws]) == 0
    listed = capsys.readouterr().out
    assert "不可(発信しない)" in listed and "rejected" not in listed  # statuses by their Japanese labels
    assert japanese_header(listed) >= {"番号", "分類", "状態", "件名", "公表の粒度", "更新日時"}
    assert "脅威事犯" in listed and "大字・町" in listed
    assert main(["alerts", "list", "--status", "sent", *ws]) == 0 and capsys.readouterr().out.strip() == "配信はありません"
    assert main(["alerts", "show", str(alert_id), *ws]) == 0
    shown = capsys.readouterr().out
    assert "捜査に支障" in shown and "[不可(発信しない)] 脅威事犯" in shown
    assert "署長の決裁" in shown and "station_approve" not in shown  # steps by their Japanese names
    steps_header = next(line for line in shown.splitlines() if "操作者" in line)
    assert set(steps_header.split()) == {"日時", "操作", "操作者", "役割", "理由"}
    assert main(["audit", "verify", *ws]) == 0 and "改ざんは見つかりませんでした" in capsys.readouterr().out
    # Retention needs an admin's login: no user, or an analyst, is refused before anything is counted.
    assert main(["retention", "purge", "--dry-run", *ws]) == 1 and "--user" in capsys.readouterr().err
    assert main(["retention", "purge", "--dry-run", "--user", "sato", *ws]) == 1
    assert "管理者" in capsys.readouterr().err
    assert main(["retention", "purge", "--dry-run", "--user", "admin", *ws]) == 0
    assert "削除対象" in capsys.readouterr().out
    assert main(["users", "list", *ws]) == 0
    users = capsys.readouterr().out
    assert japanese_header(users) == {"ユーザー名", "表示名", "役割", "所属", "有効", "ロック解除", "発信操作担当者"}
    assert "生活安全企画課長" in users and "hq_planning_chief" not in users and "はい" in users
    assert "鹿児島中央警察署" in users and "本部" in users


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


# -- help, dates and tables as people read them (issue 16) -------------------------------------------------

def parsers(parser=None, path=()):
    """Every (command path, parser) of the CLI, the top level first."""
    parser = build_parser() if parser is None else parser
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from parsers(sub, path + (name,))


ENGLISH_BOILERPLATE = ("usage:", "options:", "optional arguments", "positional arguments", "show this help message",
                       "error:", "COMMAND ...:")
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def test_every_command_and_option_has_japanese_help(capsys):
    paths = list(parsers())
    assert len(paths) > 30  # the walk reached the subcommands
    for path, parser in paths:
        with pytest.raises(SystemExit) as info:
            main([*path, "--help"])
        assert info.value.code == 0
        text = capsys.readouterr().out
        assert text.startswith(" ".join(("使い方: anshin", *path))), path
        assert not [word for word in ENGLISH_BOILERPLATE if word in text], (path, text)
        assert parser.description and JAPANESE.search(parser.description), path  # what the command does
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                assert all(JAPANESE.search(choice.help) for choice in action._choices_actions), path
                continue
            shown = action.option_strings[-1] if action.option_strings else action.metavar or action.dest
            assert action.help and JAPANESE.search(action.help), (path, shown)
            assert shown in text and re.sub(r"\s", "", action.help)[:8] in re.sub(r"\s", "", text), (path, shown)


def test_help_through_the_console_script():
    for args in (["--help"], ["alerts", "approve", "--help"], ["map", "--help"]):
        result = subprocess.run([ANSHIN, *args], capture_output=True, text=True)
        assert result.returncode == 0 and result.stdout.startswith("使い方: anshin"), result.stderr
        assert not [word for word in ENGLISH_BOILERPLATE if word in result.stdout]


def test_help_lines_fit_the_terminal_counting_japanese_as_two_columns():
    result = subprocess.run([ANSHIN, "map", "--help"], capture_output=True, text=True, env={**os.environ, "COLUMNS": "80"})
    widths = [display_width(line) for line in result.stdout.splitlines()]
    assert max(widths) <= 80, max(widths)
    assert "オフラインで開ける" in result.stdout


# (command path and required arguments, the date option, whether a time of day is allowed)
DATE_OPTIONS = [
    (["incidents", "summary"], "--since", True),
    (["map", "internal"], "--since", True),
    (["retention", "purge"], "--before", True),
    (["consent", "record", "1", "--kind", "保護者", "--method", "電話", "--scope", "配信"], "--given-at", True),
    (["schedule", "list"], "--now", True),
    (["alerts", "due"], "--now", True),
    (["schedule", "run"], "--now", True),
    (["report", "fraud-summary", "--area", "鹿児島県", "--end", "2026-11-30"], "--start", False),
    (["report", "fraud-summary", "--area", "鹿児島県", "--start", "2026-11-01"], "--end", False),
    (["fraud", "waves"], "--day", False),
    (["print", "week", "--area", "鹿児島市"], "--week-of", False),
    (["patterns", "series"], "--since", False),
    (["patterns", "near-repeat"], "--until", False),
]


def test_the_date_options_listed_here_are_all_of_them():
    found = {(path[0], action.option_strings[-1]) for path, parser in parsers() for action in parser._actions
             if action.metavar in ("DATE", "DATETIME")}
    assert found == {(args[0], option) for args, option, _ in DATE_OPTIONS}


@pytest.mark.parametrize("args, option, with_time", DATE_OPTIONS, ids=lambda v: v if isinstance(v, str) else None)
@pytest.mark.parametrize("text, expected", [
    ("2026-11-01", (2026, 11, 1, 0, 0)),
    ("2026-11-01T09:00", (2026, 11, 1, 9, 0)),
    ("令和8年11月1日", (2026, 11, 1, 0, 0)),
    ("R8.11.1", (2026, 11, 1, 0, 0)),
])
def test_date_options_read_iso_and_wareki(args, option, with_time, text, expected, capsys):
    if "T" in text and not with_time:
        with pytest.raises(SystemExit) as info:
            build_parser(only=args[0]).parse_args([*args, option, text])
        assert info.value.code == 2 and "日付だけ" in capsys.readouterr().err
        return
    value = getattr(build_parser(only=args[0]).parse_args([*args, option, text]), option[2:].replace("-", "_"))
    if with_time:
        assert value == pd.Timestamp(dt.datetime(*expected), tz="Asia/Tokyo")
    else:
        assert value == dt.date(*expected[:3])


@pytest.mark.parametrize("args, option, with_time", DATE_OPTIONS, ids=lambda v: v if isinstance(v, str) else None)
@pytest.mark.parametrize("text, why", [
    ("2026-13-01", "存在しない日付"),
    ("tomorrow", "令和8年11月1日"),
    ("11-01-2026", "月と日のどちらが先か決まりません"),
])
def test_date_options_refuse_in_one_japanese_line(args, option, with_time, text, why, capsys):
    with pytest.raises(SystemExit) as info:
        main([*args, option, text])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"エラー: {option}: 「{text}」を") and why in err, err
    assert "Traceback" not in err


def test_bad_dates_and_statuses_through_the_console_script(tmp_path):
    for args in (["incidents", "summary", "--since", "tomorrow"], ["incidents", "summary", "--since", "11-01-2026"],
                 ["alerts", "list", "--status", "bogus"]):
        result = subprocess.run([ANSHIN, *args, "--workspace", str(tmp_path)], capture_output=True, text=True)
        assert result.returncode == 2, (args, result.stderr)
        assert result.stderr.count("\n") == 1 and result.stderr.startswith("エラー: ") and not result.stdout
        assert "Traceback" not in result.stderr
    assert "「bogus」は使えません" in result.stderr
    for status in Status:  # every status, with its Japanese label
        assert f"{status.value}: {status.label}" in result.stderr
    wareki = subprocess.run([ANSHIN, "incidents", "summary", "--since", "令和8年11月1日", "--workspace", str(tmp_path)],
                            capture_output=True, text=True)
    assert wareki.returncode == 1 and "anshin init" in wareki.stderr  # read the date; then found no workspace


def test_tables_print_japanese_column_names(tmp_path, capsys):
    ws = ["--workspace", str(tmp_path / "ws")]
    assert main(["init", *ws]) == 0
    assert main(["incidents", "import", str(tmp_path / "ws" / "sample" / "incidents_export.csv"), *ws]) == 0
    assert main(["members", "import", str(tmp_path / "ws" / "sample" / "members.csv"), *ws]) == 0
    capsys.readouterr()
    assert main(["incidents", "summary", "--since", "令和8年11月1日", *ws]) == 0
    summary = capsys.readouterr().out.splitlines()
    assert japanese_header(summary[1]) == {"分類", "件数"}
    assert "高齢者等の行方不明事案" in "".join(summary) and "missing" not in "".join(summary)
    assert main(["members", "counts", *ws]) == 0
    counts = capsys.readouterr().out
    assert japanese_header(counts) == {"区分", "地域", *CATEGORIES.values(), "会員数", "うち職員"}
    assert "警察署管内" in counts and "station" not in counts
    assert main(["schedule", "list", "--now", "令和8年11月30日午前9時", *ws]) == 0
    assert japanese_header(capsys.readouterr().out) == {"ジョブ", "名称", "地域", "予定", "期間", "状態", "直近の予定時刻",
                                                        "次回"}


def test_printed_tables_align_japanese_columns():
    frame = pd.DataFrame({"alert_id": [1, 22], "status": ["rejected", "sent"]})
    lines = render_table(frame, "なし").splitlines()
    assert lines[0].split() == ["番号", "状態"]
    assert len({display_width(line) for line in lines}) == 1  # every row as wide as the header
    assert render_table(frame.iloc[0:0], "なし") == "なし"
    texts = render_table(pd.DataFrame({"alert_id": [1, 22], "subject": ["鹿児島市で声かけ", "短い"]}), "").splitlines()
    assert [line.split()[1] for line in texts] == ["件名", "鹿児島市で声かけ", "短い"]
    starts = {display_width(line[:line.index(word)]) for line, word in zip(texts, ["件名", "鹿児島市", "短い"])}
    assert len(starts) == 1  # text columns read from the left
    assert texts[1].startswith("   1 ") and texts[2].startswith("  22 ")  # numbers from the right
    gaps = render_table(pd.DataFrame({"alert_id": [1, 2], "original_alert_id": [None, 1.0], "reason": [None, "x"]}), "")
    assert "None" not in gaps and "NaN" not in gaps and "1.0" not in gaps and "<NA>" not in gaps


# -- every workflow step from the command line, through the service (issue 15) ----------------------------------

@pytest.fixture
def cli_workspace(built_workspace, tmp_path, monkeypatch):
    """A copy of the built workspace with two incidents (a 小学生 at 鹿児島南, an adult at 鹿児島中央) and staff made
    with ``anshin users add``; ``ANSHIN_PASSWORD`` is everyone's."""
    import shutil

    from anshin_lab.app.workspace import open_workspace

    from .conftest import row, write_csv

    root = tmp_path / "ws"
    shutil.copytree(built_workspace.root, root)
    ws = ["--workspace", str(root)]
    export = write_csv(tmp_path / "export.csv", [row(), row(**{"事案番号": "K-2", "管轄署": "鹿児島中央警察署", "被害者学職・年代": "30代"})])
    assert main(["incidents", "import", str(export), *ws]) == 0
    members = tmp_path / "members.csv"
    members.write_text("member_id,email,categories,areas,status,opted_in_at,is_staff\n" + "".join(
        f"M{i:06d},member{i}@example.jp,threat,{area},active,2026-01-05T09:00:00+09:00,False\n"
        for i, area in enumerate(["鹿児島市", "鹿児島南警察署", "鹿児島県", "奄美市"] * 3)), encoding="utf-8")
    assert main(["members", "import", str(members), *ws]) == 0
    monkeypatch.setenv("ANSHIN_NEW_PASSWORD", "a long enough password")
    monkeypatch.setenv("ANSHIN_PASSWORD", "a long enough password")
    assert main(["users", "add", "admin", "--role", "admin", *ws]) == 0
    for name, role, affiliation in [
            ("sato", "analyst", "鹿児島南署"), ("shocho", "station_chief", "鹿児島南警察署"),
            ("chuo", "station_chief", "鹿児島中央警察署"), ("bucho", "hq_division_chief", None),
            ("kacho", "hq_planning_chief", "生活安全企画課"), ("tanaka", "operator", None), ("suzuki", "operator", None)]:
        where = ["--affiliation", affiliation] if affiliation else []
        assert main(["users", "add", name, "--role", role, *where, "--user", "admin", *ws]) == 0
    assert main(["users", "designate-operator", "tanaka", "--user", "kacho", *ws]) == 0
    return open_workspace(root), ws


def test_every_step_of_an_alert_from_the_command_line(cli_workspace, tmp_path, capsys):
    """Draft from an incident, a refused second draft and an explicit supersede, a wrong station, 差し戻し, the
    minor's consent, release only by the designated operator, a follow-up, close, and what is due; each refusal is one
    line naming what the role may do next."""
    from anshin_lab.storage import store
    from anshin_lab.workflow import alerts, authority

    from .service_process import running_service
    from .smtp_faults import start_fault_server

    ws_, ws = cli_workspace
    yes = ["--victim-not-identifiable", "yes", "--no-names", "yes", "--location-ok", "yes", "--no-harm", "yes"]

    def step(*args) -> str:
        capsys.readouterr()
        code = main([*args, *ws])
        printed = capsys.readouterr()
        assert code == 0, printed.err
        return printed.out

    def refused(*args, says=()):
        capsys.readouterr()
        assert main([*args, *ws]) == 1
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and err.startswith("エラー: "), err
        for words in says:
            assert words in err, (words, err)
        return err

    body = tmp_path / "body.txt"
    body.write_text("11月28日(金)午後4時ごろ、鹿児島市紫原3丁目付近の路上で、女子児童が男から声をかけられました。\n"
                    "★子供が一人にならないよう見守りをお願いします。\n", encoding="utf-8")
    sink = start_fault_server()
    try:
        with running_service(ws_, smtp=sink.address):
            authority.uninstall()  # every step below goes through the service: this process holds no key
            step("alerts", "create", "K-1", "--user", "sato")
            first = 1
            refused("alerts", "create", "K-1", "--user", "sato", says=("事案 K-1 には配信 #1(起案中)があります",
                                                                    "--supersede 1"))
            step("alerts", "create", "K-1", "--user", "sato", "--supersede", "1", "--submit", "--level", "CITY")
            second = 2
            refused("alerts", "edit", str(second), "--user", "sato", "--body-file", str(body),
                    says=("「修正」は記録できません", "分析担当ができるのは: 承諾の記録(anshin consent record)、取り下げ"))
            refused("alerts", "approve", str(second), "--user", "chuo", *yes,
                    says=("配信 #2 は鹿児島南警察署の配信です", "鹿児島中央警察署の署長は扱えません"))
            refused("alerts", "send-back", str(second), "--user", "sato", "--reason", "直す",
                    says=("分析担当は「差し戻し」を行えません",))
            step("alerts", "send-back", str(second), "--user", "shocho", "--reason", "本文を短くしてください")
            step("alerts", "edit", str(second), "--user", "sato", "--body-file", str(body))
            step("alerts", "submit", str(second), "--user", "sato")
            step("alerts", "approve", str(second), "--user", "shocho", *yes)
            step("alerts", "consult", str(second), "--user", "bucho", "--opinion", "発信して差し支えない")
            step("alerts", "approve", str(second), "--user", "kacho", "--comment", "承認")
            refused("consent", "record", str(second), "--user", "sato", "--kind", "本人", "--method", "電話",
                    "--scope", "配信", "--given-at", "2026-11-28 17:00", says=("必要なのは保護者の承諾です",))
            step("consent", "record", str(second), "--user", "sato", "--kind", "保護者", "--method", "電話",
                 "--scope", "配信", "--given-at", "2026-11-28 17:00")
            step("alerts", "prepare", str(second), "--user", "tanaka")
            refused("send", str(second), "--user", "suzuki", says=("指定した発信操作担当者",))  # not designated
            refused("send", str(second), "--user", "kacho", says=("生活安全企画課長は「発信」を行えません",))
            step("send", str(second), "--user", "tanaka")
            step("alerts", "followup", str(second), "--user", "sato", "--outcome", "検挙", "--note",
                 "行為者は警察官が付近を警戒中に発見しました。")
            follow = 3
            step("alerts", "submit", str(follow), "--user", "sato")
            step("alerts", "approve", str(follow), "--user", "shocho", *yes)
            step("alerts", "consult", str(follow), "--user", "bucho", "--opinion", "差し支えない")
            step("alerts", "approve", str(follow), "--user", "kacho")
            step("alerts", "prepare", str(follow), "--user", "tanaka")
            step("send", str(follow), "--user", "tanaka")
            step("alerts", "close", str(second), "--user", "tanaka")
            due = step("alerts", "due", "--now", "2024-04-30T10:00")
            assert "K-2" in due and "生活安全企画課 子供・女性の安全対策係(電話)" in due and "K-1" not in due
            refused("incidents", "decide", "K-2", "--no-send", "--reason", "捜査中", "--user", "sato",
                    says=("分析担当は事案を発信しないと決められません",))
            refused("incidents", "decide", "K-2", "--no-send", "--reason", "捜査中", "--user", "shocho",
                    says=("事案 K-2 は鹿児島中央警察署の事案です",))
            step("incidents", "decide", "K-2", "--no-send", "--reason", "捜査に支障があるため", "--user", "chuo")
    finally:
        sink.stop()
    engine = store.connect(ws_.database_url)
    try:
        states = {int(i): s for i, s in alerts.list_alerts(engine)[["alert_id", "status"]].itertuples(index=False)}
        assert states == {first: "withdrawn", second: "closed", follow: "sent"}
        assert alerts.get_alert(engine, second).recipients == 9  # 鹿児島市, 鹿児島南警察署 and 鹿児島県: not 奄美市
        assert alerts.history(engine, first)["reason"].iloc[-1] == f"#{second} に差し替え"
        actions = list(alerts.history(engine, second)["action"])
        assert actions[:4] == ["create", "submit", "send_back", "edit"] and actions[-1] == "close"
        assert alerts.get_alert(engine, follow).outcome == "検挙"
    finally:
        engine.dispose()
    capsys.readouterr()
    assert main(["alerts", "due", "--now", "2024-04-30T10:00", *ws]) == 0
    shown = capsys.readouterr().out
    assert "続報を待っている配信(発信から14日以上): 0件" in shown and "30日以内" in shown
    assert "K-1" not in shown and "K-2" not in shown  # alerted; decided
    assert main(["alerts", "show", str(follow), *ws]) == 0
    assert "所属: 鹿児島南警察署、事案番号: K-1、続報の元: #2(検挙)" in capsys.readouterr().out
