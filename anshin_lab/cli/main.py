"""The ``anshin`` console script: parse, call one package function, print.

Results go to stdout, progress and errors to stderr. Exit status: 0 success,
1 an ``AnshinError`` (one line; ``--debug`` for the traceback), 2 usage.
"""

from __future__ import annotations

import argparse
import sys

from anshin_lab.core.errors import AnshinError


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def cmd_init(args) -> int:
    from anshin_lab.app.workspace import init_workspace

    ws = init_workspace(args.workspace, progress=_progress)
    print(f"作業領域を用意しました: {ws.root}")
    print(f"  データベース: {ws.settings.database if not ws.settings.database_url else '(設定の database_url)'}")
    print(f"  参照レイヤ: {ws.layers_file}")
    print(f"  サンプル: {ws.sample_dir}")
    return 0


def cmd_incidents_import(args) -> int:
    from anshin_lab.app.ingest import import_incidents
    from anshin_lab.app.workspace import require_workspace

    ws = require_workspace(args.workspace)
    report = import_incidents(args.file, ws)
    for line in report.lines():
        print(line)
    return 0


def cmd_incidents_summary(args) -> int:
    from anshin_lab.analysis import summaries
    from anshin_lab.app.workspace import read_incidents

    frame = read_incidents(args.workspace, since=args.since)
    print(f"事案 {len(frame)}件")
    print(summaries.by_category(frame).to_string())
    print()
    print(summaries.by_station(frame).to_string())
    return 0


def cmd_settings_show(args) -> int:
    from anshin_lab.core.settings import load_settings

    for name, value, help_text in load_settings().with_workspace(args.workspace).describe():
        print(f"{name:16} {value}\n{'':16} # {help_text}")
    return 0


def cmd_demo(args) -> int:
    from anshin_lab.demo.run import run_demo

    run_demo(args.workspace, progress=_progress)
    return 0


def _engine(args):
    from anshin_lab.storage import store
    from anshin_lab.app.workspace import open_workspace

    return store.connect(open_workspace(args.workspace).database_url)


def _password(variable: str, prompt: str) -> str:
    """A secret from the environment, else asked for without echo (never from the command line)."""
    import getpass
    import os

    if os.environ.get(variable):
        return os.environ[variable]
    if not sys.stdin.isatty():
        raise AnshinError(f"パスワードを環境変数 {variable} で渡してください")
    return getpass.getpass(prompt)


def _login(args, engine):
    from anshin_lab.workflow.users import authenticate

    if not args.user:
        raise AnshinError("--user でログインするユーザーを指定してください")
    return authenticate(engine, args.user, _password("ANSHIN_PASSWORD", f"{args.user} のパスワード: "))


def cmd_users_add(args) -> int:
    from anshin_lab.workflow.users import add_user

    engine = _engine(args)
    actor = _login(args, engine) if args.user else None
    password = _password("ANSHIN_NEW_PASSWORD", f"{args.username} の新しいパスワード: ")
    user = add_user(engine, actor, args.username, args.role, password, args.name)
    print(f"ユーザー「{user.username}」({user.role.label})を作成しました")
    return 0


def cmd_users_designate(args) -> int:
    from anshin_lab.workflow.users import designate_operator

    engine = _engine(args)
    designate_operator(engine, _login(args, engine), args.username)
    print(f"「{args.username}」を発信操作担当者に指定しました")
    return 0


def cmd_users_list(args) -> int:
    from anshin_lab.workflow.users import list_users

    print(list_users(_engine(args)).to_string(index=False))
    return 0


def cmd_alerts_list(args) -> int:
    from anshin_lab.workflow.alerts import list_alerts

    frame = list_alerts(_engine(args), args.status)
    print(frame.to_string(index=False) if len(frame) else "配信はありません")
    return 0


def cmd_alerts_show(args) -> int:
    from anshin_lab.workflow.alerts import get_alert, history

    engine = _engine(args)
    alert = get_alert(engine, args.alert_id)
    print(f"#{alert.alert_id} [{alert.status.label}] {alert.category} {alert.level.label}(判定 {alert.assessed_level.label})")
    print(f"件名: {alert.subject}\n{alert.body}\n")
    print(history(engine, args.alert_id)[["at", "action", "actor", "role", "reason"]].to_string(index=False))
    return 0


def cmd_alerts_approve(args) -> int:
    from anshin_lab.workflow.alerts import approve
    from anshin_lab.workflow.rules import Judgement

    engine = _engine(args)
    answers = (args.victim_not_identifiable, args.no_names, args.location_ok, args.no_harm)
    # A station chief answers every check explicitly; an unanswered one is not a "no".
    judgement = None if None in answers else Judgement(
        *(answer == "yes" for answer in answers), args.hq_consultation == "yes",
        "send" if args.decision == "send" else "no_send", args.comment)
    approve(engine, _login(args, engine), args.alert_id, comment=args.comment, judgement=judgement)
    print(f"#{args.alert_id} の決裁を記録しました")
    return 0


def cmd_alerts_reject(args) -> int:
    from anshin_lab.workflow.alerts import reject

    engine = _engine(args)
    reject(engine, _login(args, engine), args.alert_id, args.reason)
    print(f"#{args.alert_id} を発信しないことにしました")
    return 0


def cmd_consent_record(args) -> int:
    from anshin_lab.workflow.alerts import record_consent

    engine = _engine(args)
    record_consent(engine, _login(args, engine), args.alert_id, kind=args.kind, given_at=args.given_at,
                   method=args.method, scope=args.scope, anshin_mail_ticked=args.ticked)
    print(f"#{args.alert_id} の同意を記録しました")
    return 0


def cmd_audit_verify(args) -> int:
    from anshin_lab.workflow.audit import verify

    report = verify(_engine(args))
    print(f"監査ログ {report.entries}件, 末尾のハッシュ {report.head}")
    if report.ok:
        print("改ざんは見つかりませんでした")
        return 0
    for problem in report.problems:
        print(f"  {problem}")
    raise AnshinError(f"監査ログに{len(report.problems)}件の問題があります")


def cmd_retention_purge(args) -> int:
    import getpass

    from anshin_lab.workflow.retention import default_cutoff, purge
    from anshin_lab.app.workspace import open_workspace

    ws = open_workspace(args.workspace)
    before = args.before or default_cutoff(ws.settings.retention_years)
    report = purge(_engine(args), before, actor=f"os:{getpass.getuser()}", dry_run=args.dry_run)
    verb = "削除対象" if report.dry_run else "削除しました"
    print(f"{report.before:%Y-%m-%d} より前の事案: {report.incidents}件 {verb}(月別・分類別・署別の件数は残します)")
    return 0


def cmd_members_import(args) -> int:
    from anshin_lab.delivery.members import import_members
    from anshin_lab.app.workspace import require_workspace

    report = import_members(args.file, require_workspace(args.workspace))
    for line in report.lines():
        print(line)
    return 0


def cmd_members_counts(args) -> int:
    from anshin_lab.delivery.members import member_counts

    print(member_counts(_engine(args), status=args.status).to_string(index=False))
    return 0


def cmd_members_unsubscribe(args) -> int:
    from anshin_lab.delivery.members import unsubscribe

    member_id = unsubscribe(_engine(args), args.token)
    if member_id is None:
        raise AnshinError("その配信停止トークンの会員はいません")
    print(f"会員「{member_id}」の配信を停止しました")
    return 0


def _operator_login(args, engine):
    """The operator: --user or ANSHIN_USER (else asked), password from ANSHIN_PASSWORD (else asked)."""
    import os

    from anshin_lab.workflow.users import authenticate

    username = args.user or os.environ.get("ANSHIN_USER")
    if not username:
        if not sys.stdin.isatty():
            raise AnshinError("発信操作担当者を --user か環境変数 ANSHIN_USER で指定してください")
        username = input("発信操作担当者のユーザー名: ").strip()
    return authenticate(engine, username, _password("ANSHIN_PASSWORD", f"{username} のパスワード: "))


def cmd_send(args) -> int:
    from anshin_lab.delivery import sending
    from anshin_lab.core.errors import DeliveryError
    from anshin_lab.app.workspace import open_workspace

    settings = open_workspace(args.workspace).settings
    engine = _engine(args)
    user = _operator_login(args, engine)
    options = sending.options_from_settings(settings, connections=args.connections)
    if args.dry_run:
        preview = sending.send_alert(engine, user, args.alert_id, options=options, dry_run=True)
        print("\n".join(preview.lines()))
        return 0
    relay = sending.relay_from_settings(settings, args.smtp)
    with sending.progress_bar() as bar:
        report = sending.send_alert(engine, user, args.alert_id, relay, options=options, progress=bar)
    print("\n".join(report.lines()))
    if not report.complete:
        raise DeliveryError(f"#{args.alert_id} は送り終わっていません(もう一度 anshin send を実行すると続きから送ります)")
    return 0


def cmd_smtpd(args) -> int:
    from anshin_lab.demo.smtpd import run_relay

    received = run_relay(args.port, args.maildir, args.host, announce=_progress)
    print(f"{received}通を受け取りました")
    return 0


def cmd_fraud_import(args) -> int:
    from anshin_lab.app.fraud import import_fraud_calls
    from anshin_lab.app.workspace import require_workspace

    ws = require_workspace(args.workspace)
    for line in import_fraud_calls(args.file, ws).lines():
        print(line)
    return 0


def cmd_report_fraud_summary(args) -> int:
    from anshin_lab.views.reports import run_fraud_summary

    result = run_fraud_summary(args.start, args.end, args.area, workspace=args.workspace,
                               reports_dir=args.reports_dir, analyst=args.analyst or "",
                               store_draft=not args.no_draft)
    for text in result.warnings:  # the cells' stderr (kept out of the HTML)
        print(text, end="" if text.endswith("\n") else "\n", file=sys.stderr)
    print(result.path)
    print(f"  {result.title}(データのハッシュ {result.data_hash[:12]})")
    if result.draft:
        print(f"  {result.draft}")
    return 0


def cmd_report_index(args) -> int:
    from anshin_lab.views.reports import refresh_index

    print(refresh_index(args.reports_dir))
    return 0


def cmd_schedule_run(args) -> int:
    from anshin_lab.app.schedule import run_schedule

    run = run_schedule(args.schedule, workspace=args.workspace, now=args.now, force=args.force,
                       reports_dir=args.reports_dir, jobs=args.job)
    for line in run.lines():
        print(line)
    if run.failed:
        # Exit 1 so cron mails / systemd marks the unit failed; the other jobs have run.
        print(f"エラー: {len(run.failed)}件のジョブが失敗しました(エラー報告は reports/ の *_error.html)", file=sys.stderr)
        return 1
    return 0


def cmd_schedule_list(args) -> int:
    from anshin_lab.app.schedule import list_jobs

    frame = list_jobs(args.schedule, workspace=args.workspace, now=args.now)
    print(frame.to_string(index=False) if len(frame) else "予定表にジョブがありません")
    return 0


def cmd_bench_report(args) -> int:
    from benchmarks.report import bench_report

    bench_report(args.workspace, start=args.start, end=args.end, area=args.area, runs=args.runs,
                 naive=not args.no_naive)
    return 0


def cmd_map(args) -> int:
    from anshin_lab.views import maps

    if args.kind == "internal":
        path = maps.render_internal_map(args.workspace, since=args.since, out=args.out, force=args.force)
        print(f"部外秘の事案地図を書き出しました: {path}")
    else:
        if args.force:
            raise AnshinError("--force は internal の地図にだけ使えます")
        path = maps.render_public_map(args.workspace, since=args.since, out=args.out)
        print(f"公開用の地図を書き出しました: {path}")
    return 0


def cmd_bench_map(args) -> int:
    from benchmarks.map import bench_map

    bench_map(counts=args.counts, naive=args.naive, workspace=args.workspace)
    return 0


def _counts(text: str) -> tuple[int, ...]:
    try:
        values = tuple(int(part.replace("_", "")) for part in text.split(",") if part.strip())
    except ValueError:
        values = ()
    if not values or min(values) < 1:
        raise argparse.ArgumentTypeError(f"1以上の整数をカンマ区切りで指定してください: {text}")
    return values


def cmd_bench_lint(args) -> int:
    from benchmarks.text import bench_lint

    bench_lint(sentences=args.sentences, sample=args.sample)
    return 0


def cmd_bench_send(args) -> int:
    from benchmarks.send import bench_send

    bench_send(recipients=args.recipients, smtp=args.smtp, connections=args.connections, sample=args.sample)
    return 0


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"1以上の整数を指定してください: {text}")
    return value


def cmd_bench_areas(args) -> int:
    from benchmarks.text import bench_areas

    bench_areas(points=args.points, sample=args.sample, workspace=args.workspace)
    return 0


def cmd_bench_address(args) -> int:
    from benchmarks.text import bench_address

    bench_address(addresses=args.addresses, sample=args.sample)
    return 0


def build_parser() -> argparse.ArgumentParser:
    workspace = argparse.ArgumentParser(add_help=False)
    workspace.add_argument("--workspace", metavar="DIR",
                           help="作業領域のフォルダ(省略時は既定の作業領域 data/ または ANSHIN_WORKSPACE)")
    parser = argparse.ArgumentParser(
        prog="anshin",
        description="anshin-lab: 県警あんしんメールの分析・起案ワークベンチ (analyst workbench for the police safety-mail service)",
    )
    parser.add_argument("--debug", action="store_true", help="エラー時にトレースバックを表示する")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = commands.add_parser("init", parents=[workspace], help="作業領域を作る(データベース・参照レイヤ・サンプルデータ)",
                            description="作業領域を作ります。既にある部分はそのまま残します(何度実行しても安全)。")
    p.set_defaults(func=cmd_init)

    p = commands.add_parser("demo", parents=[workspace], help="メインの処理を最初から最後まで実行する",
                            description="既定の作業領域を用意し、サンプルの事案データを取り込み、結果を表示します。")
    p.set_defaults(func=cmd_demo)

    incidents = commands.add_parser("incidents", help="事案データ(取り込み・集計)").add_subparsers(
        dest="incidents_command", metavar="ACTION", required=True)
    p = incidents.add_parser("import", parents=[workspace], help="警察システムの出力(CSV/XLSX)を取り込む",
                             description="CSV(UTF-8/UTF-8 BOM/Shift_JIS)または XLSX の事案データを検証して取り込みます。"
                                         "不備のある行は作業領域の quarantine/ に理由付きで保存します。同じファイルを"
                                         "再度取り込んでも何も変わりません。")
    p.add_argument("file", metavar="FILE", help="取り込むファイル")
    p.set_defaults(func=cmd_incidents_import)
    p = incidents.add_parser("summary", parents=[workspace], help="分類別・管轄署別の件数を表示する")
    p.add_argument("--since", metavar="DATE", help="この日以降の事案だけ(例: 2026-11-01)")
    p.set_defaults(func=cmd_incidents_summary)

    fraud = commands.add_parser("fraud", help="うそ電話詐欺の記録(取り込み)").add_subparsers(
        dest="fraud_command", metavar="ACTION", required=True)
    p = fraud.add_parser("import", parents=[workspace], help="うそ電話(予兆電話・被害)の記録(CSV/XLSX)を取り込む",
                         description="CSV(UTF-8/UTF-8 BOM/Shift_JIS)または XLSX のうそ電話の記録を検証して取り込みます。"
                                     "不備のある行は作業領域の quarantine/ に理由付きで保存します。同じファイルを"
                                     "再度取り込んでも何も変わりません。")
    p.add_argument("file", metavar="FILE", help="取り込むファイル")
    p.set_defaults(func=cmd_fraud_import)

    reports_dir = argparse.ArgumentParser(add_help=False)
    reports_dir.add_argument("--reports-dir", metavar="DIR", help="報告書の出力先(省略時はプロジェクトの reports/)")
    report = commands.add_parser("report", help="報告書(papermill で実行し、HTML にする)").add_subparsers(
        dest="report_command", metavar="KIND", required=True)
    p = report.add_parser("fraud-summary", parents=[workspace, reports_dir], help="うそ電話詐欺の集計を作る",
                          description="notebooks/fraud_call_summary.ipynb を papermill で実行し、コードを除いた HTML を "
                                      "reports/fraud-summary_<start>_<end>_<area>.html に書き、reports/index.html を更新"
                                      "します。起案した注意喚起は承認待ちの下書きとして登録するだけで、配信はしません。")
    p.add_argument("--start", required=True, metavar="DATE", help="集計の初日(例: 2026-11-01)")
    p.add_argument("--end", required=True, metavar="DATE", help="集計の最終日(この日を含む)")
    p.add_argument("--area", required=True, metavar="AREA",
                   help="「鹿児島県」(県全体)、市町村(「鹿児島市」)、警察署(「鹿児島中央警察署」)")
    p.add_argument("--analyst", metavar="NAME",
                   help="起案を下書きとして登録する分析担当のアカウント(省略時は環境変数 ANSHIN_USER のログイン)")
    p.add_argument("--no-draft", action="store_true", help="起案した注意喚起を下書きとして登録しない")
    p.set_defaults(func=cmd_report_fraud_summary)
    p = report.add_parser("index", parents=[reports_dir], help="reports/index.html を作り直す")
    p.set_defaults(func=cmd_report_index)

    when = argparse.ArgumentParser(add_help=False)
    when.add_argument("--schedule", metavar="FILE", help="予定表(省略時はプロジェクトの schedule.toml)")
    when.add_argument("--now", metavar="DATETIME", help="この日時として判断する(例: 2026-11-30T09:00。省略時は現在)")
    schedule = commands.add_parser("schedule", help="定期実行(schedule.toml の集計)").add_subparsers(
        dest="schedule_command", metavar="ACTION", required=True)
    p = schedule.add_parser("run", parents=[workspace, reports_dir, when], help="時刻の来たジョブを実行する(1期間に1回)",
                            description="予定表の各ジョブについて、過ぎた予定のうち最新の期間がまだなら実行します。"
                                        "cron や systemd timer から15分ごとに呼んでください。失敗したジョブはエラー報告を"
                                        "残し、ほかのジョブは続けます(失敗があれば終了コード1)。")
    p.add_argument("--force", action="store_true", help="実行済みの期間ももう一度実行する")
    p.add_argument("--job", action="append", metavar="NAME", help="このジョブだけ(名前か ID。繰り返し指定できます)")
    p.set_defaults(func=cmd_schedule_run)
    p = schedule.add_parser("list", parents=[workspace, when], help="ジョブ・今の期間の状態・次の実行時刻を表示する")
    p.set_defaults(func=cmd_schedule_list)

    settings = commands.add_parser("settings", help="設定").add_subparsers(dest="settings_command", metavar="ACTION", required=True)
    p = settings.add_parser("show", parents=[workspace], help="設定値と説明を表示する(秘密の値は伏せる)")
    p.set_defaults(func=cmd_settings_show)
    p = commands.add_parser("map", parents=[workspace], help="地図を書き出す(部外秘の事案地図 / 公開用の地図)",
                            description="オフラインで開ける1つの HTML ファイルに地図を書き出します(CDN は使いません)。"
                                        "internal は事案の正確な地点を含む部外秘の地図で、既定では作業領域の "
                                        "internal/incident_map.html に保存し、reports/ には書き込みません。"
                                        "public は発信済みの配信の公表範囲(町丁目・大字・市区町村)と公開文だけの地図で、"
                                        "既定では reports/public_map.html に保存します。")
    p.add_argument("kind", choices=["internal", "public"], help="internal(部外秘・分析用)または public(公開用)")
    p.add_argument("--out", metavar="FILE.html", help="書き出すファイル(省略時は上の既定の場所)")
    p.add_argument("--since", metavar="DATE", help="この日以降の事案・配信だけ(例: 2026-11-01)")
    p.add_argument("--force", action="store_true", help="部外秘の地図でも reports/ の中に書き込む(通常は使わないでください)")
    p.set_defaults(func=cmd_map)

    login = argparse.ArgumentParser(add_help=False)
    login.add_argument("--user", metavar="NAME", help="操作するユーザー(パスワードは環境変数 ANSHIN_PASSWORD か入力で)")

    users = commands.add_parser("users", help="ユーザー(作成・発信操作担当者の指定)").add_subparsers(
        dest="users_command", metavar="ACTION", required=True)
    p = users.add_parser("add", parents=[workspace, login], help="ユーザーを作る(管理者。最初の管理者だけは --user なし)")
    p.add_argument("username")
    p.add_argument("--role", required=True, choices=[r.value for r in _roles()])
    p.add_argument("--name", help="表示名")
    p.set_defaults(func=cmd_users_add)
    p = users.add_parser("designate-operator", parents=[workspace, login],
                         help="発信操作担当者に指定する(生活安全企画課長)")
    p.add_argument("username")
    p.set_defaults(func=cmd_users_designate)
    p = users.add_parser("list", parents=[workspace], help="ユーザーの一覧")
    p.set_defaults(func=cmd_users_list)

    alerts = commands.add_parser("alerts", help="配信(一覧・表示・決裁・不可)").add_subparsers(
        dest="alerts_command", metavar="ACTION", required=True)
    p = alerts.add_parser("list", parents=[workspace], help="配信の一覧")
    p.add_argument("--status", help="この状態だけ(draft, submitted, …)")
    p.set_defaults(func=cmd_alerts_list)
    p = alerts.add_parser("show", parents=[workspace], help="配信の本文と経過")
    p.add_argument("alert_id", type=int)
    p.set_defaults(func=cmd_alerts_show)
    p = alerts.add_parser("approve", parents=[workspace, login],
                          help="自分の役割の決裁をする(署長・本部関係所属長・生活安全企画課長・総合当直)")
    p.add_argument("alert_id", type=int)
    p.add_argument("--comment", default="")
    yes_no = {"choices": ["yes", "no"], "default": None}
    p.add_argument("--victim-not-identifiable", **yes_no, help="署長: 被害者等が特定・推認されないか")
    p.add_argument("--no-names", **yes_no, help="署長: 施設の固有名称・氏名を含まないか")
    p.add_argument("--location-ok", **yes_no, help="署長: 発生場所の粒度は判定どおりか")
    p.add_argument("--no-harm", **yes_no, help="署長: 捜査・警察活動への支障がないか")
    p.add_argument("--hq-consultation", choices=["yes", "no"], default="yes", help="署長: 本部関係所属長との協議が必要か")
    p.add_argument("--decision", choices=["send", "no-send"], default="send", help="署長: 発信する/しない")
    p.set_defaults(func=cmd_alerts_approve)
    p = alerts.add_parser("reject", parents=[workspace, login], help="発信しないことにする(理由必須)")
    p.add_argument("alert_id", type=int)
    p.add_argument("--reason", required=True)
    p.set_defaults(func=cmd_alerts_reject)

    consent = commands.add_parser("consent", help="承諾・公表要請書の記録").add_subparsers(
        dest="consent_command", metavar="ACTION", required=True)
    p = consent.add_parser("record", parents=[workspace, login], help="承諾(本人・保護者)または公表要請書を記録する")
    p.add_argument("alert_id", type=int)
    p.add_argument("--kind", required=True, choices=["本人", "保護者", "公表要請書"])
    p.add_argument("--method", required=True, choices=["対面", "電話", "書面"])
    p.add_argument("--scope", required=True, help="承諾の範囲(例: 県警あんしんメールでの配信)")
    p.add_argument("--given-at", required=True, metavar="DATETIME", help="承諾を得た日時")
    p.add_argument("--ticked", action="store_true", help="公表要請書の「県警あんしんメール」にチェックがある")
    p.set_defaults(func=cmd_consent_record)

    members = commands.add_parser("members", help="会員(取り込み・件数・配信停止)").add_subparsers(
        dest="members_command", metavar="ACTION", required=True)
    p = members.add_parser("import", parents=[workspace], help="会員の一覧(CSV/XLSX)を検証して取り込む",
                           description="メールアドレス(書式のみ。DNS は引きません)・分類・地域・重複を検証して取り込みます。"
                                       "不備のある行は作業領域の quarantine/ に理由付きで保存します。同じファイルを"
                                       "再度取り込んでも何も変わりません。登録済みの会員は上書きしません。")
    p.add_argument("file", metavar="FILE", help="取り込むファイル")
    p.set_defaults(func=cmd_members_import)
    p = members.add_parser("counts", parents=[workspace], help="分類別・地域別の会員数(広報用、通達 第6(4))")
    p.add_argument("--status", default="active", choices=["active", "pending", "unsubscribed", "bounced"],
                   help="数える会員の状態(既定: active)")
    p.set_defaults(func=cmd_members_counts)
    p = members.add_parser("unsubscribe", parents=[workspace],
                           help="配信停止トークンの会員を停止する(mailto での停止依頼を処理するとき)")
    p.add_argument("token")
    p.set_defaults(func=cmd_members_unsubscribe)

    p = commands.add_parser("send", parents=[workspace, login],
                            help="発信準備完了の配信を会員に送る(指定された発信操作担当者のみ)",
                            description="配信の宛先(分類と地域が合う有効な会員)を送信待ちに登録し、SMTP リレーで送ります。"
                                        "中断しても、もう一度実行すると続きから送ります(送信済みの通知は再送しません)。"
                                        "ユーザーは --user か ANSHIN_USER、パスワードは ANSHIN_PASSWORD か入力で。")
    p.add_argument("alert_id", type=int, metavar="ALERT_ID")
    p.add_argument("--smtp", metavar="HOST:PORT", help="SMTP リレー(省略時は設定の smtp_host:smtp_port)")
    p.add_argument("--connections", type=_positive_int, metavar="C", help="同時に使う SMTP 接続の数(既定: 設定値)")
    p.add_argument("--dry-run", action="store_true", help="送らずに、宛先と送信されるメール1通を表示する")
    p.set_defaults(func=cmd_send)

    p = commands.add_parser("smtpd", help="デモ・試験用の SMTP リレーを起動する(受けたメールを Maildir に保存)",
                            description="aiosmtpd の SMTP サーバーを起動し、受け取ったメールを宛先ごとに Maildir に書きます。"
                                        "既定では 127.0.0.1 だけで待ち受けます。Ctrl-C で終了します。")
    p.add_argument("--port", type=int, default=8025, help="待ち受けるポート(既定: 8025)")
    p.add_argument("--maildir", required=True, metavar="DIR", help="メールを保存する Maildir")
    p.add_argument("--host", default="127.0.0.1", help="待ち受けるアドレス(既定: 127.0.0.1)")
    p.set_defaults(func=cmd_smtpd)

    audit = commands.add_parser("audit", help="監査ログ").add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    p = audit.add_parser("verify", parents=[workspace], help="監査ログのつながりを検証する(書き換え・削除・並べ替えを検出)")
    p.set_defaults(func=cmd_audit_verify)

    retention = commands.add_parser("retention", help="保存期間").add_subparsers(
        dest="retention_command", metavar="ACTION", required=True)
    p = retention.add_parser("purge", parents=[workspace],
                             help="保存期間を過ぎた事案の個人情報を削除する(件数は残す)")
    p.add_argument("--before", metavar="DATE", help="この日より前の事案(省略時は今日から保存年限を引いた日)")
    p.add_argument("--dry-run", action="store_true", help="削除せず件数だけ表示する")
    p.set_defaults(func=cmd_retention_purge)

    bench = commands.add_parser("bench", help="性能を測る(ベンチマーク。素朴な方法との速度比も表示)").add_subparsers(
        dest="bench_command", metavar="TARGET", required=True)
    p = bench.add_parser("areas", parents=[workspace], help="地点を小地域と上位の全区分に割り当てる速さを測る",
                         description="作業領域の小地域の中に人口に比例したランダムな地点を作り、AreaSet.assign(一括処理)と"
                                     "素朴なループ(小地域を1つずつ contains で調べる)の1地点あたりの時間を比べます。")
    p.add_argument("--points", type=_positive_int, default=1_000_000, metavar="N",
                   help="一括処理で割り当てる地点の数(既定: 1,000,000)")
    p.add_argument("--sample", type=_positive_int, default=2_000, metavar="N",
                   help="素朴なループで割り当てる地点の数(既定: 2,000)")
    p.set_defaults(func=cmd_bench_areas)
    p = bench.add_parser("address", help="住所を解析する速さを測る",
                         description="人が書くさまざまな表記の住所を作り、address.parse と素朴な全件走査の1件あたりの時間を比べます。")
    p.add_argument("--addresses", type=_positive_int, default=100_000, metavar="N", help="解析する住所の数(既定: 100,000)")
    p.add_argument("--sample", type=_positive_int, default=2_000, metavar="N", help="素朴な方法で解析する数(既定: 2,000)")
    p.set_defaults(func=cmd_bench_address)
    p = bench.add_parser("lint", help="配信本文のチェック(lint)の速さを測る",
                         description="配信メールの文例を作り、lint と素朴な全件走査(辞書の語と町名を str.find で探す)の"
                                     "1文あたりの時間を比べ、本文1件(約400文字)の処理時間を表示します。")
    p.add_argument("--sentences", type=_positive_int, default=20_000, metavar="N",
                   help="lint でチェックする文の数(既定: 20,000)")
    p.add_argument("--sample", type=_positive_int, default=500, metavar="N",
                   help="素朴な方法で走査する文の数(既定: 500)")
    p.set_defaults(func=cmd_bench_lint)
    p = bench.add_parser("map", parents=[workspace], help="部外秘の事案地図の作成・描画の速さを測る",
                         description="サンプル生成器で事案を作り、事案地図の作成時間・HTML の大きさ・ネットワークを"
                                     "切った Chromium で描き終わるまでの時間を測り、folium.Marker を1件ずつ置く素朴な"
                                     "方法(少ない件数で測って件数に比例するとして推定)と比べます。")
    p.add_argument("--counts", type=_counts, default=(1_000, 10_000, 50_000), metavar="N,N,...",
                   help="地図にする事案の数(既定: 1000,10000,50000)")
    p.add_argument("--naive", type=_positive_int, default=2_000, metavar="N", help="素朴な方法で測る事案の数(既定: 2,000)")
    p.set_defaults(func=cmd_bench_map)
    p = bench.add_parser("report", parents=[workspace], help="報告書1件(1年分)を作る時間を段階ごとに測る",
                         description="1年分のサンプルのうそ電話詐欺の集計を、実行中のプロセスから(スケジューラと同じ)と"
                                     "コマンドラインから作り、段階ごとの時間を表示します。素朴な方法(papermill コマンド +"
                                     " jupyter nbconvert --no-input)も同じ回に測って比べます。")
    p.add_argument("--start", default="2025-12-01", metavar="DATE", help="集計の初日(既定: 2025-12-01)")
    p.add_argument("--end", default="2026-11-30", metavar="DATE", help="集計の最終日(既定: 2026-11-30)")
    p.add_argument("--area", default="鹿児島県", metavar="AREA", help="対象地域(既定: 鹿児島県)")
    p.add_argument("--runs", type=_positive_int, default=2, metavar="N", help="実行中のプロセスから作る回数(既定: 2)")
    p.add_argument("--no-naive", action="store_true", help="素朴な方法を測らない")
    p.set_defaults(func=cmd_bench_report)
    p = bench.add_parser("send", help="送信の速さを測る(送信待ち+SMTP、素朴な1通1接続との比較)",
                         description="一時的な作業領域に N 人の架空の会員を作り、実際の送信待ち(outbox)と SMTP の経路で"
                                     "--smtp のサーバーへ送って、JSON を1行表示します。2 ms 遅延の試験用サーバー: "
                                     "python -m tests.smtp_faults --delay-ms 2 --port 2526")
    p.add_argument("--recipients", type=_positive_int, default=100_000, metavar="N", help="宛先の数(既定: 100,000)")
    p.add_argument("--smtp", required=True, metavar="HOST:PORT", help="送り先の SMTP サーバー")
    p.add_argument("--connections", type=_positive_int, default=32, metavar="C", help="同時接続の数(既定: 32)")
    p.add_argument("--sample", type=_positive_int, default=500, metavar="N",
                   help="素朴な方法(1通ごとに接続)で送る数(既定: 500)")
    p.set_defaults(func=cmd_bench_send)
    return parser


def _roles():
    from anshin_lab.workflow.rules import Role

    return list(Role)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except AnshinError as exc:
        if args.debug:
            raise
        print(f"エラー: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("中断しました", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
