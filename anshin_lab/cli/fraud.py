"""``anshin fraud import``: records of fraud calls (うそ電話詐欺)."""

from __future__ import annotations

from anshin_lab.app.imports import import_fraud_calls
from anshin_lab.app.workspace import require_workspace
from anshin_lab.cli.common import add_workspace


def cmd_fraud_import(args) -> int:
    ws = require_workspace(args.workspace)
    for line in import_fraud_calls(args.file, ws).lines():
        print(line)
    return 0


def register_fraud(parser) -> None:
    fraud = parser.add_subparsers(dest="fraud_command", metavar="ACTION", required=True)
    p = fraud.add_parser("import", help="うそ電話(予兆電話・被害)の記録(CSV/XLSX)を取り込む",
                         description="CSV(UTF-8/UTF-8 BOM/Shift_JIS)または XLSX のうそ電話の記録を検証して取り込みます。"
                                     "不備のある行は作業領域の quarantine/ に理由付きで保存します。同じファイルを"
                                     "再度取り込んでも何も変わりません。"
                                     "XLSX はすべてのシートを読みます(見出しの違うシートがあれば取り込みません)。ファイルの大きさ・"
                                     "行数・XLSX を展開した大きさ・1欄の文字数には上限があります(anshin settings show の max_import_bytes など)。")
    add_workspace(p)
    p.add_argument("file", metavar="FILE", help="取り込むファイル")
    p.set_defaults(func=cmd_fraud_import)
