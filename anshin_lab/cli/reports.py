"""``anshin report``, ``anshin schedule`` and ``anshin map``: what the workbench writes for people to read."""

from __future__ import annotations

import contextlib
import os
import sys

from anshin_lab.cli.common import add_reports_dir, add_workspace, date_text, datetime_text, day_text
from anshin_lab.core.errors import AnshinError
from anshin_lab.core.settings import load_settings

# The package's heavier floors (the application, the reports, the service's client) are imported inside the
# commands: the report command starts the warm kernel first, so that it does its imports while this process
# does its own.


@contextlib.contextmanager
def draft_session(args):
    """Log in to the service as the analyst who stores the draft; the kernel gets the session, not the password.

    Without a name (--analyst / ANSHIN_USER), a password, or a running
    service, the report is still written and says the draft was not stored.
    A wrong password is an error (nothing is run).
    """
    # why: the service's client and the workspace load after the warm kernel started (see the note above)
    from anshin_lab.app.client import ServiceClient
    from anshin_lab.app.fraud_reports import SESSION_VARIABLE  # why: as ServiceClient above
    from anshin_lab.app.workspace import open_workspace  # why: as ServiceClient above

    analyst = args.analyst or os.environ.get("ANSHIN_USER", "")
    if args.no_draft or not analyst or os.environ.get(SESSION_VARIABLE):
        yield
        return
    client = ServiceClient.for_workspace(open_workspace(args.workspace))
    try:
        token = _login(client, analyst)
        if token:
            os.environ[SESSION_VARIABLE] = token
        yield
    finally:
        os.environ.pop(SESSION_VARIABLE, None)
        client.close()


def _login(client, analyst: str) -> str | None:
    """The session token of ``analyst``; None (with a note on stderr) when there is no service or no password."""
    # why: loaded with the service's client (see draft_session)
    from anshin_lab.app.client import ServiceUnavailable
    from anshin_lab.cli.session import password  # why: as ServiceUnavailable above

    try:
        client.ping()
    except ServiceUnavailable as exc:
        print(f"注意: {exc}: 報告書は作りますが、下書きは登録しません", file=sys.stderr)
        return None
    try:
        secret = password("ANSHIN_PASSWORD", f"{analyst} のパスワード(下書きの登録に使います): ")
    except AnshinError:
        print("注意: パスワードがないため、下書きは登録しません(ANSHIN_PASSWORD を設定するか、端末から実行してください)",
              file=sys.stderr)
        return None
    return client.login(analyst, secret)["token"]


# What the command says on stderr about the kernel the report ran on (ReportResult.kernel).
KERNEL_NOTES = {
    "warm": "待機中のカーネルで実行しました(読み込み済み)",
    "started": "カーネルを起動して実行しました(次の実行からは待機中のカーネルを使います)",
    "fresh": "新しいカーネルで実行しました",
}


def cmd_report_fraud_summary(args) -> int:
    # The warm kernel first, before this process loads pandas, geopandas and the rest: one that has to be
    # started does its imports meanwhile (and while a password is typed).
    lease = None if args.cold else _warm_lease(args.workspace)
    # why: the reports load after the warm kernel started (see the note at the top)
    from anshin_lab.views.reports import run_fraud_summary

    try:
        with draft_session(args):
            result = run_fraud_summary(args.start, args.end, args.area, workspace=args.workspace,
                                       reports_dir=args.reports_dir, analyst=args.analyst or "",
                                       store_draft=not args.no_draft, warm=not args.cold, lease=lease)
    finally:
        if lease is not None:
            lease.release()  # run_fraud_summary gave it back already, unless the login failed before it
    for text in result.warnings:  # the cells' stderr (kept out of the HTML)
        print(text, end="" if text.endswith("\n") else "\n", file=sys.stderr)
    print(KERNEL_NOTES.get(result.kernel, ""), file=sys.stderr)
    print(result.path)
    print(f"  {result.title}(データのハッシュ {result.data_hash[:12]})")
    if result.draft:
        print(f"  {result.draft}")
    return 0


def _warm_kernel(workspace):
    """The warm kernel of ``workspace`` (the configured one when None), found from the settings alone."""
    # why: jupyter_client loads only for report runs and this command
    from anshin_lab.views.reports.kernel import WarmKernel

    return WarmKernel.for_root(load_settings().with_workspace(workspace).workspace)


def _warm_lease(workspace):
    """The workspace's warm kernel (started now when needed); None when it is busy or not initialised here."""
    kernel = _warm_kernel(workspace)
    if not kernel.directory.parent.is_dir():
        return None  # no run/ folder: not initialised, which run_fraud_summary says in its own words
    return kernel.lease()


def cmd_report_index(args) -> int:
    # why: the reports load only in the commands that use them (see the note at the top)
    from anshin_lab.views.reports import refresh_index

    print(refresh_index(args.reports_dir))
    return 0


def cmd_report_kernel(args) -> int:
    # why: jupyter_client loads only for this command and report runs
    from anshin_lab.views.reports.kernel import IDLE_EXIT_S

    kernel = _warm_kernel(args.workspace)
    if args.stop:
        print("待機中のカーネルを停止しました" if kernel.stop() else "待機中のカーネルはありません")
        return 0
    info = kernel.info()
    if info is None:
        print("待機中のカーネルはありません(次の報告書の実行で起動します)")
        return 0
    print(f"待機中のカーネル: pid {info['pid']}、起動 {info['started_at']}、{kernel.directory}")
    print(f"  最後の報告書から{IDLE_EXIT_S // 60}分使われなければ自動で終了します")
    return 0


def cmd_schedule_run(args) -> int:
    # why: the schedule (its job kinds and their modules) loads only for the schedule commands
    from anshin_lab.views.reports import run_schedule

    run = run_schedule(args.schedule, workspace=args.workspace, now=args.now, force=args.force,
                       reports_dir=args.reports_dir, jobs=args.job, warm=not args.cold)
    for line in run.lines():
        print(line)
    if run.failed:
        # Exit 1 so cron mails / systemd marks the unit failed; the other jobs have run.
        print(f"エラー: {len(run.failed)}件のジョブが失敗しました(エラー報告は reports/ の *_error.html)", file=sys.stderr)
        return 1
    return 0


def cmd_schedule_list(args) -> int:
    # why: the schedule loads only for the schedule commands (see cmd_schedule_run)
    from anshin_lab.cli.tables import render_table
    from anshin_lab.views.reports import list_jobs  # why: as render_table above

    print(render_table(list_jobs(args.schedule, workspace=args.workspace, now=args.now), "予定表にジョブがありません"))
    return 0


def _internal_map(args) -> str:
    # why: folium (about 0.2 s) loads only for the map command; cli.maps writes it owner-only and audited
    from anshin_lab.cli.maps import internal_map_line

    return internal_map_line(args)


def _public_map(args) -> str:
    if args.force:
        raise AnshinError("--force は internal の地図にだけ使えます")
    # why: folium loads only for the map command (see _internal_map)
    from anshin_lab.views import maps

    path = maps.render_public_map(args.workspace, since=args.since, out=args.out)
    return f"公開用の地図を書き出しました: {path}"


MAP_KINDS = {"internal": _internal_map, "public": _public_map}


def cmd_map(args) -> int:
    print(MAP_KINDS[args.kind](args))
    return 0


def register_report(parser) -> None:
    report = parser.add_subparsers(dest="report_command", metavar="KIND", required=True)
    p = report.add_parser("fraud-summary", help="うそ電話詐欺の集計を作る",
                          description="notebooks/fraud_call_summary.ipynb を papermill で実行し、コードを除いた HTML を "
                                      "reports/fraud-summary_<start>_<end>_<area>.html に書き、reports/index.html を更新"
                                      "します。起案した注意喚起は承認待ちの下書きとして登録するだけで、配信はしません。")
    add_workspace(p)
    add_reports_dir(p)
    p.add_argument("--start", required=True, type=day_text, metavar="DATE", help="集計の初日(例: 2026-11-01、令和8年11月1日)")
    p.add_argument("--end", required=True, type=day_text, metavar="DATE", help="集計の最終日(この日を含む)")
    p.add_argument("--area", required=True, metavar="AREA",
                   help="「鹿児島県」(県全体)、市町村(「鹿児島市」)、警察署(「鹿児島中央警察署」)")
    p.add_argument("--analyst", metavar="NAME",
                   help="起案を下書きとして登録する分析担当のアカウント(省略時は環境変数 ANSHIN_USER)。"
                        "anshin service にこのアカウントでログインします(パスワードは ANSHIN_PASSWORD か入力で)。"
                        "ログインできなければ報告書だけを作り、下書きは登録しません")
    p.add_argument("--no-draft", action="store_true", help="起案した注意喚起を下書きとして登録しない")
    _add_cold(p)
    p.set_defaults(func=cmd_report_fraud_summary)
    p = report.add_parser("index", help="reports/index.html を作り直す")
    add_reports_dir(p)
    p.set_defaults(func=cmd_report_index)
    p = report.add_parser("kernel", help="待機中のカーネル(読み込み済みで報告書を速く作る)を表示・停止する",
                          description="報告書の実行は、作業領域ごとに1つ待機させたカーネル(run/report-kernel/)を使います。"
                                      "使われないまま20分たつと自動で終了します。--stop ですぐに停止します。")
    add_workspace(p)
    p.add_argument("--stop", action="store_true", help="待機中のカーネルを停止する")
    p.set_defaults(func=cmd_report_kernel)


def _add_cold(parser) -> None:
    parser.add_argument("--cold", action="store_true",
                        help="待機中のカーネルを使わず、報告書ごとに新しいカーネルを起動する(遅くなります)")


def _add_when(parser) -> None:
    parser.add_argument("--schedule", metavar="FILE", help="予定表(省略時はプロジェクトの schedule.toml)")
    parser.add_argument("--now", type=datetime_text, metavar="DATETIME",
                        help="この日時として判断する(例: 2026-11-30T09:00、令和8年11月30日午前9時。省略時は現在)")


def register_schedule(parser) -> None:
    schedule = parser.add_subparsers(dest="schedule_command", metavar="ACTION", required=True)
    p = schedule.add_parser("run", help="時刻の来たジョブを実行する(1期間に1回)",
                            description="予定表の各ジョブについて、過ぎた予定のうち最新の期間がまだなら実行します。"
                                        "cron や systemd timer から15分ごとに呼んでください。失敗したジョブはエラー報告を"
                                        "残し、ほかのジョブは続けます(失敗があれば終了コード1)。")
    add_workspace(p)
    add_reports_dir(p)
    _add_when(p)
    p.add_argument("--force", action="store_true", help="実行済みの期間ももう一度実行する")
    p.add_argument("--job", action="append", metavar="NAME", help="このジョブだけ(名前か ID。繰り返し指定できます)")
    _add_cold(p)
    p.set_defaults(func=cmd_schedule_run)
    p = schedule.add_parser("list", help="ジョブ・今の期間の状態・次の実行時刻を表示する")
    add_workspace(p)
    _add_when(p)
    p.set_defaults(func=cmd_schedule_list)


def register_map(parser) -> None:
    parser.description = ("オフラインで開ける1つの HTML ファイルに地図を書き出します(CDN は使いません)。"
                          "internal は事案の正確な地点を含む部外秘の地図で、既定では作業領域の "
                          "internal/incident_map.html に保存し、reports/ には書き込みません。"
                          "public は発信済みの配信の公表範囲(町丁目・大字・市区町村)と公開文だけの地図で、"
                          "既定では reports/public_map.html に保存します。")
    add_workspace(parser)
    parser.add_argument("kind", choices=list(MAP_KINDS), metavar="KIND", help="internal(部外秘・分析用)または public(公開用)")
    parser.add_argument("--out", metavar="FILE.html", help="書き出すファイル(省略時は上の既定の場所)")
    parser.add_argument("--since", type=date_text, metavar="DATE", help="この日以降の事案・配信だけ(例: 2026-11-01、令和8年11月1日)")
    parser.add_argument("--force", action="store_true", help="部外秘の地図でも reports/ の中に書き込む(通常は使わないでください)")
    parser.set_defaults(func=cmd_map)
