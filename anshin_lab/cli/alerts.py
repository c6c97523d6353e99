"""``anshin alerts …`` and ``anshin consent record``: the approval workflow of an alert (directive §5, §6(2)).

``list`` and ``show`` read the database; every step (submit, approve,
reject, withdraw, prepare, close, consent) is asked of ``anshin service``
as the logged-in user (``session.service_session``).
"""

from __future__ import annotations

from anshin_lab.cli.common import add_login, add_workspace, datetime_text
from anshin_lab.cli.tables import render_table
from anshin_lab.cli.session import engine, service_session
from anshin_lab.core.directive import CONSENT_KINDS, CONSENT_METHODS
from anshin_lab.workflow.alerts import get_alert, history, list_alerts
from anshin_lab.core.glossary import CATEGORIES
from anshin_lab.workflow.rules import Judgement, Status

YES_NO = ("yes", "no")
DECISIONS = {"send": "send", "no-send": "no_send"}  # the option's spelling -> Judgement.decision
STATUSES = {status.value: status.label for status in Status}  # a refused --status lists them with their labels


def add_alert_id(parser) -> None:
    parser.add_argument("alert_id", type=int, metavar="ALERT_ID", help="配信の番号(anshin alerts list の「番号」)")


def cmd_alerts_list(args) -> int:
    print(render_table(list_alerts(engine(args), args.status), "配信はありません"))
    return 0


def cmd_alerts_show(args) -> int:
    db = engine(args)
    alert = get_alert(db, args.alert_id)
    category = CATEGORIES.get(alert.category, alert.category)
    print(f"#{alert.alert_id} [{alert.status.label}] {category} {alert.level.label}(判定 {alert.assessed_level.label})")
    households = (alert.area_codes or {}).get("households")
    print(f"場所: {alert.public_text}(公表する地域の世帯数: "
          f"{f'{int(households):,}世帯' if households is not None else '記録なし'})")
    print(f"件名: {alert.subject}\n{alert.body}\n")
    steps = history(db, args.alert_id)[["at", "action", "actor", "role", "reason"]]
    print(render_table(steps, "経過の記録はありません"))
    return 0


def cmd_alerts_approve(args) -> int:
    answers = (args.victim_not_identifiable, args.no_names, args.location_ok, args.no_harm)
    # A station chief answers every check explicitly; an unanswered one is not a "no".
    judgement = None if None in answers else Judgement(
        *(answer == "yes" for answer in answers), args.hq_consultation == "yes", DECISIONS[args.decision], args.comment)
    with service_session(args) as client:
        client.approve(args.alert_id, comment=args.comment, judgement=judgement)
    print(f"#{args.alert_id} の決裁を記録しました")
    return 0


def cmd_alerts_reject(args) -> int:
    with service_session(args) as client:
        client.reject(args.alert_id, args.reason)
    print(f"#{args.alert_id} を発信しないことにしました")
    return 0


def cmd_alerts_withdraw(args) -> int:
    with service_session(args) as client:
        client.withdraw(args.alert_id, args.reason)
    print(f"#{args.alert_id} を取り下げました")
    return 0


def cmd_alerts_submit(args) -> int:
    with service_session(args) as client:
        client.submit(args.alert_id)
    print(f"#{args.alert_id} を承認申請しました")
    return 0


def cmd_alerts_prepare(args) -> int:
    with service_session(args) as client:
        client.prepare(args.alert_id)
    print(f"#{args.alert_id} を発信準備完了にしました(送るには anshin send {args.alert_id})")
    return 0


def cmd_alerts_close(args) -> int:
    with service_session(args) as client:
        client.close_alert(args.alert_id)
    print(f"#{args.alert_id} を終了しました")
    return 0


def cmd_consent_record(args) -> int:
    with service_session(args) as client:
        client.record_consent(args.alert_id, kind=args.kind, given_at=args.given_at, method=args.method,
                              scope=args.scope, anshin_mail_ticked=args.ticked)
    print(f"#{args.alert_id} の同意を記録しました")
    return 0


def add_step(alerts, name: str, help: str, func, *, reason: str | None = None):
    """A step subcommand: workspace, login, the alert's number (and a required reason)."""
    p = alerts.add_parser(name, help=help)
    add_workspace(p)
    add_login(p)
    add_alert_id(p)
    if reason:
        p.add_argument("--reason", required=True, help=reason)
    p.set_defaults(func=func)
    return p


def register_alerts(parser) -> None:
    alerts = parser.add_subparsers(dest="alerts_command", metavar="ACTION", required=True)
    p = alerts.add_parser("list", help="配信の一覧")
    add_workspace(p)
    p.add_argument("--status", choices=STATUSES, metavar="STATUS",
                   help="この状態の配信だけ(" + "、".join(f"{code}: {label}" for code, label in STATUSES.items()) + ")")
    p.set_defaults(func=cmd_alerts_list)
    p = alerts.add_parser("show", help="配信の本文と経過")
    add_workspace(p)
    add_alert_id(p)
    p.set_defaults(func=cmd_alerts_show)
    p = alerts.add_parser("approve", help="自分の役割の決裁をする(署長・本部関係所属長・生活安全企画課長・総合当直)")
    add_workspace(p)
    add_login(p)
    add_alert_id(p)
    p.add_argument("--comment", default="", help="決裁のコメント(経過に残ります)")
    yes_no = {"choices": YES_NO, "default": None}
    p.add_argument("--victim-not-identifiable", **yes_no, help="署長: 被害者等が特定・推認されないか")
    p.add_argument("--no-names", **yes_no, help="署長: 施設の固有名称・氏名を含まないか")
    p.add_argument("--location-ok", **yes_no, help="署長: 発生場所の粒度は判定どおりか")
    p.add_argument("--no-harm", **yes_no, help="署長: 捜査・警察活動への支障がないか")
    p.add_argument("--hq-consultation", choices=YES_NO, default="yes", help="署長: 本部関係所属長との協議が必要か")
    p.add_argument("--decision", choices=list(DECISIONS), default="send", help="署長: 発信する/しない")
    p.set_defaults(func=cmd_alerts_approve)
    add_step(alerts, "reject", "発信しないことにする(理由必須)", cmd_alerts_reject,
             reason="発信しない理由(経過と監査ログに残ります)")
    add_step(alerts, "submit", "起案中の配信を承認申請する(分析担当)", cmd_alerts_submit)
    add_step(alerts, "withdraw", "配信を取り下げる(発信前まで。理由必須)", cmd_alerts_withdraw,
             reason="取り下げる理由(経過と監査ログに残ります)")
    add_step(alerts, "prepare", "承認・同意・文面の確認がそろった配信を発信準備完了にする", cmd_alerts_prepare)
    add_step(alerts, "close", "発信済みの配信を終了する", cmd_alerts_close)


def register_consent(parser) -> None:
    consent = parser.add_subparsers(dest="consent_command", metavar="ACTION", required=True)
    p = consent.add_parser("record", help="承諾(本人・保護者)または公表要請書を記録する")
    add_workspace(p)
    add_login(p)
    add_alert_id(p)
    p.add_argument("--kind", required=True, choices=CONSENT_KINDS, metavar="KIND",
                   help="誰の承諾か、または公表要請書か(" + "・".join(CONSENT_KINDS) + ")")
    p.add_argument("--method", required=True, choices=CONSENT_METHODS, metavar="METHOD",
                   help="承諾を得た方法(" + "・".join(CONSENT_METHODS) + ")")
    p.add_argument("--scope", required=True, help="承諾の範囲(例: 県警あんしんメールでの配信)")
    p.add_argument("--given-at", required=True, type=datetime_text, metavar="DATETIME",
                   help="承諾を得た日時(例: 2026-11-28T17:00、令和8年11月28日午後5時)")
    p.add_argument("--ticked", action="store_true", help="公表要請書の「県警あんしんメール」にチェックがある")
    p.set_defaults(func=cmd_consent_record)
