"""``anshin init`` and ``anshin settings show``: the workspace and its configuration."""

from __future__ import annotations

from anshin_lab.app.workspace import init_workspace
from anshin_lab.cli.common import add_workspace, progress
from anshin_lab.core.settings import load_settings
from anshin_lab.demo.sample import write_sample


def cmd_init(args) -> int:
    ws = init_workspace(args.workspace, progress=progress, sample=write_sample)
    print(f"作業領域を用意しました: {ws.root}")
    print(f"  データベース: {ws.settings.database if not ws.settings.database_url else '(設定の database_url)'}")
    print(f"  参照レイヤ: {ws.layers_file}")
    print(f"  サンプル: {ws.sample_dir}")
    return 0


def cmd_settings_show(args) -> int:
    for name, value, help_text in load_settings().with_workspace(args.workspace).describe():
        print(f"{name:16} {value}\n{'':16} # {help_text}")
    return 0


def register_init(parser) -> None:
    parser.description = "作業領域を作ります。既にある部分はそのまま残します(何度実行しても安全)。"
    add_workspace(parser)
    parser.set_defaults(func=cmd_init)


def register_settings(parser) -> None:
    settings = parser.add_subparsers(dest="settings_command", metavar="ACTION", required=True)
    p = settings.add_parser("show", help="設定値と説明を表示する(秘密の値は伏せる)")
    add_workspace(p)
    p.set_defaults(func=cmd_settings_show)
