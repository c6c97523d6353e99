"""``anshin fraud import|waves``: records of fraud calls (うそ電話詐欺) and their same-day waves.

Importing runs the wave test at once for the days the file's calls fall on
(``app.wave_alerts``); a wave's 多発 alert is stored as a draft through
``anshin service`` as the logged-in analyst (``--user`` / ``ANSHIN_USER``),
never submitted or sent. With nobody to log in as, or no service running,
the command says what it found and the exact command that drafts it.
"""

from __future__ import annotations

import os

from anshin_lab.analysis.fraud_waves import MIN_CALLS
from anshin_lab.app.imports import import_fraud_calls
from anshin_lab.app.wave_alerts import WaveCheck, check_waves, describe_wave, draft_command, store_wave_drafts
from anshin_lab.app.workspace import require_workspace
from anshin_lab.cli.common import add_login, add_workspace, date_option
from anshin_lab.cli.session import service_session
from anshin_lab.core.errors import AnshinError
from anshin_lab.storage import store
from anshin_lab.storage.fraud_calls import coverage

DETECTED = "急増を検出しました: "
AWAITING = "(承認待ち)"


def tested_line(check: WaveCheck) -> str:
    """What the wave test covered, in one line."""
    if not check.days:
        return "急増の検定: 対象の日がありません"
    span = str(check.days[0]) if len(check.days) == 1 else f"{check.days[0]}〜{check.days[-1]}"
    found = f"急増 {len(check.waves)}件" if len(check.waves) else "急増はありませんでした"
    return (f"急増の検定: {span} の{len(check.days)}日分(同じ市町村・名乗りが{MIN_CALLS}件以上あった{len(check.tested)}日を"
            f"その前の期間と比べました): {found}")


def report_waves(args, ws, check: WaveCheck, *, draft: bool) -> bool:
    """Print each wave; with ``draft``, store its 多発 draft through the service (or say how to).

    False when a draft was asked for and not stored.
    """
    if check.waves.empty:
        return True
    why = None
    if not draft:
        why = "下書きの作成は --draft で行います"
    elif not (getattr(args, "user", None) or os.environ.get("ANSHIN_USER")):
        why = "ログインしていません(--user か ANSHIN_USER と ANSHIN_PASSWORD で分析担当としてログインします)"
    if why is None:
        try:
            with service_session(args, "下書きを作成する分析担当") as client:
                drafts = store_wave_drafts(ws, check.waves, client)
        except AnshinError as exc:  # no service, a refused login or draft: the import itself stands
            why = str(exc)
        else:
            for made in drafts:
                done = "は作成済みです" if made.existing else "を作成しました"
                print(f"{DETECTED}{describe_wave(made.wave)} → 下書き #{made.alert_id} {done}{AWAITING}")
            return True
    for wave in check.wave_rows():
        print(f"{DETECTED}{describe_wave(wave)} → 下書きは作成していません({why})")
    for day in sorted({wave["date"] for wave in check.wave_rows()}):
        print(f"下書きを作成するには(anshin service を起動して): {draft_command(ws, day)}")
    return not draft


def cmd_fraud_import(args) -> int:
    ws = require_workspace(args.workspace)
    report = import_fraud_calls(args.file, ws)
    for line in report.lines():
        print(line)
    if report.waves is not None:
        print(tested_line(report.waves))
        report_waves(args, ws, report.waves, draft=True)  # the import stands whether or not the draft could be stored
    return 0


def cmd_fraud_waves(args) -> int:
    ws = require_workspace(args.workspace)
    day = args.day
    if day is None:
        engine = store.connect(ws.database_url)
        try:
            _, last = coverage(engine)
        finally:
            engine.dispose()
        if last is None:
            raise AnshinError("うそ電話の記録がありません(anshin fraud import FILE で取り込んでください)")
        day = last.date()
    check = check_waves(ws, [day])
    print(tested_line(check))
    return 0 if report_waves(args, ws, check, draft=args.draft) else 1


def register_fraud(parser) -> None:
    fraud = parser.add_subparsers(dest="fraud_command", metavar="ACTION", required=True)
    p = fraud.add_parser("import", help="うそ電話(予兆電話・被害)の記録(CSV/XLSX)を取り込む(急増はすぐに検定)",
                         description="CSV(UTF-8/UTF-8 BOM/Shift_JIS)または XLSX のうそ電話の記録を検証して取り込みます。"
                                     "不備のある行は作業領域の quarantine/ に理由付きで保存します。同じファイルを"
                                     "再度取り込んでも何も変わりません。"
                                     "XLSX はすべてのシートを読みます(見出しの違うシートがあれば取り込みません)。ファイルの大きさ・"
                                     "行数・XLSX を展開した大きさ・1欄の文字数には上限があります(anshin settings show の max_import_bytes など)。"
                                     "取り込んだ日ごとに、その日より前の期間と比べて市町村×名乗りの急増をすぐに検定し、"
                                     "急増があれば多発の注意喚起を下書きとして anshin service に登録します(分析担当として"
                                     "ログインしているとき。承認されるまで配信されません。同じ急増の下書きは1件だけです)。")
    add_workspace(p)
    add_login(p)
    p.add_argument("file", metavar="FILE", help="取り込むファイル")
    p.set_defaults(func=cmd_fraud_import)
    p = fraud.add_parser("waves", help="取り込み済みの記録で、ある日の急増を検定する(--draft で多発の下書きを登録)",
                         description="取り込み済みのうそ電話の記録で、指定した日の市町村×名乗りの件数をその日より前の期間と"
                                     "比べ、急増を表示します。--draft を付けると、急増ごとに多発の注意喚起を下書きとして"
                                     "anshin service に登録します(分析担当としてログイン。同じ急増の下書きは1件だけです)。")
    add_workspace(p)
    add_login(p)
    p.add_argument("--day", type=date_option("検定する日", with_time=False), metavar="DATE",
                   help="検定する日(例: 2026-12-01。省略時は最後の記録の日)")
    p.add_argument("--draft", action="store_true", help="急増ごとに多発の注意喚起を下書きとして登録する")
    p.set_defaults(func=cmd_fraud_waves)
