"""``anshin alerts …`` and ``anshin consent record``: every step of an alert's workflow (directive §5, §6(2)).

``list``, ``show`` and ``due`` read the database; every step (create, edit,
submit, approve, consult, urgent, late, reject, send-back, withdraw,
override, prepare, close, followup, consent) is asked of ``anshin service``
as the logged-in user (``session.service_session``), which checks the rules
again from the signed rows. Releasing a ready alert is ``anshin send``. A
refused step says, in one line, what the user's role may do next.
"""

from __future__ import annotations

import sys

from anshin_lab.app.workspace import open_workspace
from anshin_lab.cli.common import add_login, add_workspace, datetime_text, positive_int
from anshin_lab.cli.session import engine, service_session
from anshin_lab.cli.tables import japan_minute, render_table
from anshin_lab.core.clock import tokyo_now
from anshin_lab.core.directive import CONSENT_KINDS, CONSENT_METHODS, FOLLOWUP_OUTCOMES
from anshin_lab.core.glossary import CATEGORIES
from anshin_lab.core.granularity import Granularity
from anshin_lab.workflow.alerts import get_alert, history, list_alerts
from anshin_lab.workflow.due import due
from anshin_lab.workflow.rules import Judgement, Status

YES_NO = ("yes", "no")
DECISIONS = {"send": "send", "no-send": "no_send"}  # the option's spelling -> Judgement.decision
STATUSES = {status.value: status.label for status in Status}  # a refused --status lists them with their labels
LEVELS = {level.name: level.label for level in Granularity if level > Granularity.EXACT}
OVERRIDES = {"lint": "本文の指摘を了承する", "level": "判定より細かい発生場所を了承する(役職の異なる2人が必要)"}
# The due lists' own columns, as people read them (the shared ones come from cli.tables).
DUE_COLUMNS = {"sent_at": "発信日時", "days": "経過日数", "route": "報告先", "outcome": "結果", "waiting_for": "待っている手順",
               "occurred_at": "発生日時", "hours": "経過時間"}


def add_alert_id(parser) -> None:
    parser.add_argument("alert_id", type=int, metavar="ALERT_ID", help="配信の番号(anshin alerts list の「番号」)")


def text_of(args) -> tuple[str | None, str | None]:
    """(subject, body) given on the command line: ``--subject`` and the text of ``--body-file``."""
    # why: drafting loads the areas (geopandas); only the commands that draft need it, not `alerts list`
    from anshin_lab.app.alert_drafts import read_draft_text

    body = read_draft_text(args.body_file) if args.body_file else None
    return args.subject, body


# -- reading ---------------------------------------------------------------------------------------

def cmd_alerts_list(args) -> int:
    frame = list_alerts(engine(args), args.status)
    if args.station:
        frame = frame[frame["station"] == args.station]
    print(render_table(frame, "配信はありません"))
    return 0


def cmd_alerts_show(args) -> int:
    db = engine(args)
    alert = get_alert(db, args.alert_id)
    category = CATEGORIES.get(alert.category, alert.category)
    print(f"#{alert.alert_id} [{alert.status.label}] {category} {alert.level.label}(判定 {alert.assessed_level.label})")
    households = (alert.area_codes or {}).get("households")
    print(f"場所: {alert.public_text}(公表する地域の世帯数: "
          f"{f'{int(households):,}世帯' if households is not None else '記録なし'})")
    print(f"所属: {alert.station or '本部(県全体)'}、事案番号: {'・'.join(map(str, alert.incident_ids)) or 'なし'}"
          + (f"、続報の元: #{alert.original_alert_id}({alert.outcome or '結果なし'})" if alert.original_alert_id else ""))
    print(f"件名: {alert.subject}\n{alert.body}\n")
    steps = history(db, args.alert_id)[["at", "action", "actor", "role", "reason"]]
    print(render_table(steps, "経過の記録はありません"))
    return 0


def cmd_alerts_due(args) -> int:
    settings = open_workspace(args.workspace).settings
    now = args.now if args.now is not None else tokyo_now()
    lists = due(engine(args), now, outcome_age_days=args.outcome_days or settings.due_outcome_days,
                unreported_hours=args.unreported_hours or settings.due_unreported_hours,
                lookback_days=args.lookback_days or settings.due_lookback_days)
    sections = [
        (f"結果(検挙・指導警告・解決)の続報を待っている配信(発信から{args.outcome_days or settings.due_outcome_days}日以上)",
         lists.awaiting_outcome, "ありません"),
        ("起案済みで未発信の続報", lists.followups_owed, "ありません"),
        (f"配信も「発信しない」の記録もない事案(発生から{args.unreported_hours or settings.due_unreported_hours}時間以上、"
         f"{args.lookback_days or settings.due_lookback_days}日以内。記録は anshin incidents decide ID --no-send --reason …)",
         lists.unreported, "ありません"),
    ]
    for number, (title, frame, empty) in enumerate(sections):
        print(("\n" if number else "") + f"== {title}: {len(frame)}件 ==")
        for column in ("sent_at", "occurred_at"):
            if column in frame:
                frame = frame.assign(**{column: frame[column].map(japan_minute)})
        print(render_table(frame.rename(columns=DUE_COLUMNS), empty))
    return 0


# -- steps through the service ----------------------------------------------------------------------

def cmd_alerts_create(args) -> int:
    # why: drafting loads the areas (geopandas); only this command needs it, not `alerts list`
    from anshin_lab.app.alert_drafts import draft_incident_alert

    subject, body = text_of(args)
    made = draft_incident_alert(args.workspace, args.incident_id, level=args.level, subject=subject, body=body)
    draft = made.draft
    for finding in draft.findings:
        print(f"注意: 公表できない表現「{finding.text}」({finding.kind})→「{finding.suggestion}」", file=sys.stderr)
    with service_session(args) as client:
        answer = client.create_alert_answer(
            category=draft.category, subject=draft.subject, body=draft.body, level=draft.level,
            assessed_level=made.assessed_level, public_text=draft.public_text, area_codes=draft.area_codes,
            incident_ids=draft.incident_ids, supersede=args.supersede)
        alert_id = int(answer["alert_id"])
        if args.submit:
            client.submit(alert_id)
    replaced = f"(#{args.supersede} は取り下げました)" if args.supersede else ""
    print(f"#{alert_id} を起案しました{replaced}: 事案 {args.incident_id}、{draft.level.label}「{draft.public_text}」"
          + ("、承認申請しました" if args.submit else f"(申請は anshin alerts submit {alert_id})"))
    return 0


def cmd_alerts_edit(args) -> int:
    subject, body = text_of(args)
    if subject is None and body is None:
        args.parser.error("--subject か --body-file のどちらかを指定してください")
    with service_session(args) as client:
        client.edit(args.alert_id, subject=subject, body=body)
    print(f"#{args.alert_id} の{'件名・本文' if subject is not None and body is not None else ('件名' if subject is not None else '本文')}"
          f"を修正しました(承認申請は anshin alerts submit {args.alert_id})")
    return 0


def cmd_alerts_approve(args) -> int:
    answers = (args.victim_not_identifiable, args.no_names, args.location_ok, args.no_harm)
    # A station chief answers every check explicitly; an unanswered one is not a "no".
    judgement = None if None in answers else Judgement(
        *(answer == "yes" for answer in answers), args.hq_consultation == "yes", DECISIONS[args.decision], args.comment)
    with service_session(args) as client:
        status = client.approve(args.alert_id, comment=args.comment, judgement=judgement)
    print(f"#{args.alert_id} の決裁を記録しました(状態: {Status(status).label})")
    return 0


def step_command(step: str, done: str, *, field: str | None = None):
    """A handler that asks the service for ``step`` (with ``--reason`` etc. as ``field``) and prints ``done``."""
    def handler(args) -> int:
        fields = {field: getattr(args, field)} if field else {}
        with service_session(args) as client:
            status = client.step(args.alert_id, step, **fields)
        print(f"#{args.alert_id} {done}(状態: {Status(status).label})")
        return 0
    return handler


def cmd_alerts_override(args) -> int:
    with service_session(args) as client:
        client.override(args.alert_id, what=args.what, reason=args.reason)
    print(f"#{args.alert_id} に理由付きの了承({OVERRIDES[args.what]})を記録しました")
    return 0


def cmd_alerts_followup(args) -> int:
    with service_session(args) as client:
        answer = client.followup(args.alert_id, outcome=args.outcome, note=args.note or "", supersede=args.supersede)
    new_id = int(answer["alert_id"])
    for text in answer.get("findings") or []:
        print(f"注意: 公表できない表現「{text}」があります(anshin alerts edit {new_id} で直してください)", file=sys.stderr)
    print(f"#{args.alert_id} の続報({args.outcome})を #{new_id} として起案しました"
          f"(承認申請は anshin alerts submit {new_id})")
    return 0


def cmd_consent_record(args) -> int:
    with service_session(args) as client:
        client.record_consent(args.alert_id, kind=args.kind, given_at=args.given_at, method=args.method,
                              scope=args.scope, anshin_mail_ticked=args.ticked)
    print(f"#{args.alert_id} の同意を記録しました")
    return 0


# -- the parser -------------------------------------------------------------------------------------

def add_step(alerts, name: str, help: str, func, *, reason: str | None = None, comment: str | None = None):
    """A step subcommand: workspace, login, the alert's number (and a required reason or comment)."""
    p = alerts.add_parser(name, help=help)
    add_workspace(p)
    add_login(p)
    add_alert_id(p)
    if reason:
        p.add_argument("--reason", required=True, help=reason)
    if comment:
        p.add_argument("--comment", required=True, help=comment)
    p.set_defaults(func=func, parser=p)
    return p


def add_text_options(p) -> None:
    p.add_argument("--subject", help="件名(省略時は生成した件名のまま)")
    p.add_argument("--body-file", metavar="FILE", help="本文のテキストファイル(UTF-8。省略時は生成した本文のまま)")


def register_alerts(parser) -> None:
    alerts = parser.add_subparsers(dest="alerts_command", metavar="ACTION", required=True)
    p = alerts.add_parser("list", help="配信の一覧")
    add_workspace(p)
    p.add_argument("--status", choices=STATUSES, metavar="STATUS",
                   help="この状態の配信だけ(" + "、".join(f"{code}: {label}" for code, label in STATUSES.items()) + ")")
    p.add_argument("--station", metavar="STATION", help="この警察署の配信だけ(例: 鹿児島中央警察署)")
    p.set_defaults(func=cmd_alerts_list)
    p = alerts.add_parser("show", help="配信の本文と経過")
    add_workspace(p)
    add_alert_id(p)
    p.set_defaults(func=cmd_alerts_show)
    p = alerts.add_parser("due", help="期限を過ぎたもの: 結果の続報待ちの配信、未発信の続報、報告漏れの事案(報告先つき)")
    add_workspace(p)
    p.add_argument("--now", type=datetime_text, metavar="DATETIME", help="この日時の時点で数える(省略時は現在)")
    p.add_argument("--outcome-days", type=positive_int, metavar="N", help="発信から何日で続報待ちに出すか(既定: 設定値)")
    p.add_argument("--unreported-hours", type=positive_int, metavar="N", help="発生から何時間で報告漏れに出すか(既定: 設定値)")
    p.add_argument("--lookback-days", type=positive_int, metavar="N", help="報告漏れを探す日数(既定: 設定値)")
    p.set_defaults(func=cmd_alerts_due)

    p = alerts.add_parser("create", help="事案から配信を起案する(分析担当。本文はファイルでも指定できる)")
    add_workspace(p)
    add_login(p)
    p.add_argument("incident_id", metavar="INCIDENT_ID", help="事案番号")
    p.add_argument("--level", choices=LEVELS, metavar="LEVEL",
                   help="公表の粒度(判定より粗いものだけ: " + "、".join(f"{k}: {v}" for k, v in LEVELS.items()) + ")")
    add_text_options(p)
    p.add_argument("--supersede", type=int, metavar="ALERT_ID", help="この事案の処理中の配信を取り下げて差し替える(その番号)")
    p.add_argument("--submit", action="store_true", help="起案したらそのまま承認申請する")
    p.set_defaults(func=cmd_alerts_create, parser=p)
    p = add_step(alerts, "edit", "起案中の配信の件名・本文を修正する(分析担当)", cmd_alerts_edit)
    add_text_options(p)
    add_step(alerts, "submit", "起案中の配信を承認申請する(分析担当)", step_command("submit", "を承認申請しました"))
    p = add_step(alerts, "approve", "自分の役割の決裁をする(署長・本部関係所属長・生活安全企画課長・総合当直)",
                 cmd_alerts_approve)
    p.add_argument("--comment", default="", help="決裁のコメント(経過に残ります)")
    yes_no = {"choices": YES_NO, "default": None}
    p.add_argument("--victim-not-identifiable", **yes_no, help="署長: 被害者等が特定・推認されないか")
    p.add_argument("--no-names", **yes_no, help="署長: 施設の固有名称・氏名を含まないか")
    p.add_argument("--location-ok", **yes_no, help="署長: 発生場所の粒度は判定どおりか")
    p.add_argument("--no-harm", **yes_no, help="署長: 捜査・警察活動への支障がないか")
    p.add_argument("--hq-consultation", choices=YES_NO, default="yes", help="署長: 本部関係所属長との協議が必要か")
    p.add_argument("--decision", choices=list(DECISIONS), default="send", help="署長: 発信する/しない")
    p = add_step(alerts, "consult", "本部関係所属長として協議の意見を記録する", step_command("consult", "に協議の意見を記録しました",
                                                                          field="opinion"))
    p.add_argument("--opinion", required=True, help="協議の意見(例: 発信して差し支えない)")
    add_step(alerts, "urgent", "総合当直として緊急に承認する(凶悪事案等逃走事案だけ)",
             step_command("urgent", "を緊急に承認しました", field="comment"), comment="緊急に承認する理由(経過に残ります)")
    add_step(alerts, "late", "緊急発信した配信に事後の承認を記録する(署長・生活安全企画課長)",
             step_command("late", "に事後の承認を記録しました", field="comment"), comment="事後の承認のコメント")
    add_step(alerts, "reject", "発信しないことにする(理由必須)", step_command("reject", "を発信しないことにしました", field="reason"),
             reason="発信しない理由(経過と監査ログに残ります)")
    add_step(alerts, "send-back", "差し戻す: 起案中に戻して分析担当に修正を求める(理由必須)",
             step_command("send-back", "を差し戻しました", field="reason"), reason="差し戻す理由(分析担当が読みます)")
    add_step(alerts, "withdraw", "配信を取り下げる(発信前まで。理由必須)", step_command("withdraw", "を取り下げました", field="reason"),
             reason="取り下げる理由(経過と監査ログに残ります)")
    p = add_step(alerts, "override", "本文の指摘や細かい発生場所を理由を付けて了承する(署長・生活安全企画課長)",
                 cmd_alerts_override, reason="了承する理由(経過と監査ログに残ります)")
    p.add_argument("--what", required=True, choices=OVERRIDES, metavar="WHAT",
                   help="何を了承するか(" + "、".join(f"{k}: {v}" for k, v in OVERRIDES.items()) + ")")
    add_step(alerts, "prepare", "承認・同意・文面の確認がそろった配信を発信準備完了にする",
             step_command("prepare", "を発信準備完了にしました(送るのは指定された発信操作担当者: anshin send)"))
    add_step(alerts, "close", "発信済みの配信を完了にする", step_command("close", "を完了にしました"))
    p = add_step(alerts, "followup", "発信済みの配信の続報(検挙・指導警告など)を起案する(分析担当)", cmd_alerts_followup)
    p.add_argument("--outcome", required=True, choices=FOLLOWUP_OUTCOMES, metavar="OUTCOME",
                   help="結果(" + "・".join(FOLLOWUP_OUTCOMES) + ")")
    p.add_argument("--note", help="本文に添える一言(例: 行為者は警察官が付近を警戒中に発見しました。)")
    p.add_argument("--supersede", type=int, metavar="ALERT_ID", help="未発信の続報を取り下げて差し替える(その番号)")


def register_consent(parser) -> None:
    consent = parser.add_subparsers(dest="consent_command", metavar="ACTION", required=True)
    p = consent.add_parser("record", help="承諾(本人・保護者)または公表要請書を記録する")
    add_workspace(p)
    add_login(p)
    add_alert_id(p)
    p.add_argument("--kind", required=True, choices=CONSENT_KINDS, metavar="KIND",
                   help="誰の承諾か、または公表要請書か(" + "・".join(CONSENT_KINDS)
                        + "。未成年の被害者は保護者、成人は本人、行方不明者は公表要請書)")
    p.add_argument("--method", required=True, choices=CONSENT_METHODS, metavar="METHOD",
                   help="承諾を得た方法(" + "・".join(CONSENT_METHODS) + ")")
    p.add_argument("--scope", required=True, help="承諾の範囲(例: 県警あんしんメールでの配信)")
    p.add_argument("--given-at", required=True, type=datetime_text, metavar="DATETIME",
                   help="承諾を得た日時(例: 2026-11-28T17:00、令和8年11月28日午後5時)")
    p.add_argument("--ticked", action="store_true", help="公表要請書の「県警あんしんメール」にチェックがある")
    p.set_defaults(func=cmd_consent_record)
