"""``anshin print``: the 回覧板, an A4 PDF of sent alerts for a 町内会 without e-mail (one alert, or a week in an area)."""

from __future__ import annotations

from anshin_lab.cli.common import add_workspace, day_text, positive_int
from anshin_lab.views.printing import write_alert_circular, write_week_circular


def cmd_print_alert(args) -> int:
    print(write_alert_circular(args.workspace, args.alert_id, args.out).line())
    return 0


def cmd_print_week(args) -> int:
    print(write_week_circular(args.workspace, args.area, args.week_of, args.out).line())
    return 0


_ABOUT = ("発信済みの配信だけを、メールのとおりの文面・防犯のポイント・問い合わせ先・公表した範囲の地図・回覧確認欄とともに "
          "A4 の PDF にします(オフライン、フォント埋め込み)。印刷する文面はすべて個人情報のチェックにかけ、"
          "見つかったときは書き出しません。")


def register_print(parser) -> None:
    parser.description = "回覧板(A4 の PDF)を書き出します。" + _ABOUT
    actions = parser.add_subparsers(dest="print_command", metavar="ACTION", required=True)
    p = actions.add_parser("alert", help="発信済みの配信1件の回覧板", description=_ABOUT)
    add_workspace(p)
    p.add_argument("alert_id", type=positive_int, metavar="ALERT_ID",
                   help="配信の番号(続報の番号なら元の配信と続報をまとめて印刷します)")
    p.add_argument("--out", metavar="FILE.pdf", help="書き出すファイル(省略時はプロジェクトの reports/circulars/)")
    p.set_defaults(func=cmd_print_alert)
    p = actions.add_parser("week", help="1週間(月曜〜日曜)に地域へ発信した配信の回覧板",
                           description="指定した週(月曜〜日曜)にその地域の会員へ発信した配信(県内全域への配信を含む)を、"
                                       "古い順に1件ずつ載せます。" + _ABOUT)
    add_workspace(p)
    p.add_argument("--area", required=True, metavar="AREA",
                   help="市区町村の名前かコード(例: 鹿児島市、46201)か警察署の名前(例: 鹿児島中央警察署)")
    p.add_argument("--week-of", type=day_text, metavar="DATE",
                   help="その週の日付(例: 2026-11-30、令和8年11月30日。省略時は今週)")
    p.add_argument("--out", metavar="FILE.pdf", help="書き出すファイル(省略時はプロジェクトの reports/circulars/)")
    p.set_defaults(func=cmd_print_week)
