"""``anshin send``: the designated operator releases an approved alert to its members (directive §6(1)).

The send runs in ``anshin service`` (which holds the key and the SMTP
settings); this command logs in, starts it, shows its progress and prints
the report. ``anshin send stop ALERT_ID`` asks the service to stop it.
"""

from __future__ import annotations

import argparse
import sys

from anshin_lab import delivery
from anshin_lab.app.client import error_class
from anshin_lab.cli.common import add_login, add_workspace, positive_int
from anshin_lab.cli.session import service_session
from anshin_lab.core.errors import DeliveryError

OPERATOR = "発信操作担当者"
STOP = "stop"
STOP_WAIT_S = 60.0  # how long `anshin send stop` waits for the sender to record where it stopped


def send_target(text: str):
    """An argparse type: an alert's number, or the word ``stop``."""
    if text == STOP:
        return STOP
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"配信の番号(整数)か stop を指定してください: {text}") from None


def cmd_send(args) -> int:
    if args.target == STOP:
        if args.stop_id is None:
            args.parser.error("止める配信の番号を指定してください(anshin send stop ALERT_ID)")
        return stop(args, args.stop_id)
    if args.stop_id is not None:
        args.parser.error(f"知らない引数です: {args.stop_id}")
    if args.dry_run:
        with service_session(args, OPERATOR) as client:
            print("\n".join(client.preview_send(args.target)))
        return 0
    return send(args, args.target)


def send(args, alert_id: int) -> int:
    with service_session(args, OPERATOR) as client:
        client.start_send(alert_id, connections=args.connections)
        try:
            with delivery.progress_bar() as bar:
                status = client.wait_send(alert_id, progress=bar)
        except KeyboardInterrupt:
            print(f"送信はサービスで続いています(進み具合は anshin send {alert_id}、止めるには anshin send stop {alert_id})",
                  file=sys.stderr)
            return 130
    return finish(alert_id, status)


def finish(alert_id: int, status: dict) -> int:
    """Print the report; exit non-zero (an error line) unless every recipient's message was handed over."""
    print("\n".join(status.get("lines") or []))
    state = status["state"]
    if state == "complete":
        return 0
    if state == "waiting":  # everyone else has it; the service sends the held mail when the quiet hours end
        print(status.get("message", ""))
        return 0
    if state == "failed":
        raise error_class(status.get("error_class", "DeliveryError"))(status.get("message", ""))
    why = f": {status['message']}" if status.get("message") else ""
    if state == "stopped":
        raise DeliveryError(f"#{alert_id} の送信は止まりました{why}(続きは anshin send {alert_id} で送ります。"
                            "送信済みの通知は再送しません)")
    raise DeliveryError(f"#{alert_id} は送り終わっていません{why}(もう一度 anshin send を実行すると続きから送ります)")


def stop(args, alert_id: int) -> int:
    with service_session(args, "止める人") as client:
        answer = client.stop_send(alert_id)
        if answer.get("state") != "running":
            print(answer.get("message") or f"#{alert_id} は送信中ではありません")
            return 0
        print(f"#{alert_id} の送信を止めるよう依頼しました。止まるのを待っています…", file=sys.stderr)
        status = client.wait_send(alert_id, timeout_s=STOP_WAIT_S)
    if status["state"] == "running":
        raise DeliveryError(f"#{alert_id} の送信が{STOP_WAIT_S:.0f}秒たっても止まりません(anshin service の端末を確認してください)")
    print("\n".join(status.get("lines") or []))
    print(f"#{alert_id} の送信は「{status.get('state_label', status['state'])}」で終わりました"
          f"(送信済み {status.get('sent', 0):,}件、残り {status.get('deferred', 0):,}件)")
    return 0


def register_send(parser) -> None:
    parser.description = ("配信の宛先(分類と地域が合う有効な会員)を送信待ちに登録し、anshin service が SMTP リレーで送ります"
                          "(このコマンドは進み具合を表示します)。中断しても、もう一度実行すると続きから送ります"
                          "(送信済みの通知は再送しません)。anshin send stop ALERT_ID で送信中の配信を止めます。"
                          "ユーザーは --user か ANSHIN_USER、パスワードは ANSHIN_PASSWORD か入力で。")
    parser.usage = "anshin send [オプション] ALERT_ID\n       anshin send stop ALERT_ID"
    add_workspace(parser)
    add_login(parser)
    parser.add_argument("target", type=send_target, metavar="ALERT_ID",
                        help="送る配信の番号(anshin alerts list の「番号」)。stop なら次の番号の送信を止める")
    parser.add_argument("stop_id", nargs="?", type=int, metavar="STOP_ID",
                        help="stop のとき: 止める配信の番号")
    parser.add_argument("--connections", type=positive_int, metavar="C", help="同時に使う SMTP 接続の数(既定: 設定値)")
    parser.add_argument("--dry-run", action="store_true", help="送らずに、宛先と送信されるメール1通を表示する")
    parser.set_defaults(func=cmd_send, parser=parser)
