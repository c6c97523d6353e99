"""Sending: N synthetic members through the real outbox and SMTP path, against plain smtplib on as many connections.

``python -m benchmarks send --recipients N --smtp HOST:PORT [--connections C]
[--sample N]``: ``bench_send`` builds a scratch workspace database with a designated
operator and an alert taken through every workflow step (approved, consent
recorded, ``ready``), so that it passes the same gate as a real send; stores
N distinct synthetic members on reserved example domains, queues the alert
for all of them and times ``delivery.deliver`` against ``--smtp``, any SMTP
server, with C connections (the product's default unless given). It then
sends a sample the way a competent user writes it with the standard library,
to a second alert so that the Message-IDs differ: C threads, each with one
persistent ``smtplib`` connection, sending its share one message after
another (``sendmail``: MAIL, RCPT, DATA and the message, each waiting for its
reply). Only their sending is timed (rendering included, the bookkeeping of
what was sent after). It prints the figures and its verdict against the
targets of issue 20 (for 100,000 recipients or more), and returns them.

A sink that waits 2 ms before every reply (and offers PIPELINING), for the figures of the issue::

    .venv/bin/python -m tests.smtp_faults --delay-ms 2 --port 2526 &
    .venv/bin/python -m benchmarks send --recipients 100000 --smtp 127.0.0.1:2526
"""

from __future__ import annotations

import secrets
import shutil
import smtplib
import tempfile
import threading
import time
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from anshin_lab import delivery
from anshin_lab.cli.common import positive_int
from anshin_lab.core.clock import stored_utc
from anshin_lab.records.members import AreaDirectory
from anshin_lab.storage import store
from anshin_lab.storage.members import save_members
from anshin_lab.workflow import alerts, authority, users
from anshin_lab.workflow.rules import Judgement, Role
from anshin_lab.workflow.users import User

BENCH_DOMAINS = ("example.jp", "example.com", "example.net", "example.org")
BENCH_SUBJECT = "【県警あんしんメール】送信性能の測定(ベンチマーク)"
BENCH_BODY = ("これは送信性能を測るための試験送信です。\n"
              "11月28日(金)午後4時ごろ、鹿児島市紫原3丁目付近の路上で、女子児童が男から声をかけられました。\n"
              "★子供が一人にならないよう、地域での見守りをお願いします。\n")

DESCRIPTION = ("一時的な作業領域に N 人の架空の会員を作り、実際の送信待ち(outbox)と SMTP の経路で"
               "--smtp のサーバーへ送り、同じ接続数の smtplib(接続ごとに1スレッド、接続を保って1通ずつ)と比べて"
               "結果を表示し、最後に JSON を1行表示します。2 ms 遅延の試験用サーバー: "
               "python -m tests.smtp_faults --delay-ms 2 --port 2526")

# Issue 20: 100,000 recipients through a relay 2 ms away.
SEND_TARGET_RECIPIENTS = 100_000
SEND_TARGET_PER_S = 4_000.0
SEND_TARGET_RATIO = 1.5


def add_arguments(parser) -> None:
    default = delivery.DeliveryOptions().connections
    parser.add_argument("--recipients", type=positive_int, default=100_000, metavar="N",
                        help="宛先の数(既定: 100,000)")
    parser.add_argument("--smtp", required=True, metavar="HOST:PORT", help="送り先の SMTP サーバー")
    parser.add_argument("--connections", type=positive_int, default=default, metavar="C",
                        help=f"同時接続の数(既定: 製品の既定値 {default})")
    parser.add_argument("--sample", type=positive_int, default=10_000, metavar="N",
                        help="比較の方法(smtplib、同じ接続数)で送る数(既定: 10,000)")


def run(args) -> dict:
    return bench_send(recipients=args.recipients, smtp=args.smtp, connections=args.connections, sample=args.sample)


# (account, role, 所属): the analyst drafts for HQ, so any station's chief may judge the alert.
BENCH_STAFF = (("bench-analyst", Role.ANALYST, "生活安全企画課"), ("bench-chief", Role.STATION_CHIEF, "鹿児島中央警察署"),
               ("bench-hq", Role.HQ_PLANNING_CHIEF, None), ("bench", Role.OPERATOR, None))
BENCH_JUDGEMENT = Judgement(victim_not_identifiable=True, no_facility_or_person_names=True,
                            location_coarse_enough=True, no_harm_to_investigation=True, hq_consultation_needed=False)


def _setup(engine: sa.Engine, recipients: int) -> tuple[User, int, int]:
    """(the designated operator, the measured alert's id, the smtplib comparison's alert id), with N members stored.

    The accounts come from ``workflow.users`` and both alerts go through
    every workflow step, so the sends pass the gate as an operator's would.
    """
    password = secrets.token_urlsafe(18)  # scratch accounts, logged in once here
    users.add_user(engine, None, "bench-admin", Role.ADMIN, password)
    admin = users.authenticate(engine, "bench-admin", password)
    for name, role, affiliation in BENCH_STAFF:
        users.add_user(engine, admin, name, role, password, affiliation=affiliation)
    staff = {role: users.authenticate(engine, name, password) for name, role, _ in BENCH_STAFF}
    users.designate_operator(engine, staff[Role.HQ_PLANNING_CHIEF], staff[Role.OPERATOR].username)
    analyst = staff[Role.ANALYST]
    ids = []
    for subject in (BENCH_SUBJECT, BENCH_SUBJECT + "(素朴な送信)"):
        alert_id = alerts.create_alert(engine, analyst, category="threat", subject=subject, body=BENCH_BODY,
                                       level="CITY", public_text="鹿児島市内")
        alerts.submit(engine, analyst, alert_id)
        alerts.approve_station(engine, staff[Role.STATION_CHIEF], alert_id, BENCH_JUDGEMENT)
        alerts.approve_hq(engine, staff[Role.HQ_PLANNING_CHIEF], alert_id, "送信性能の測定")
        alerts.record_consent(engine, analyst, alert_id, kind="保護者", given_at=pd.Timestamp.now(tz="Asia/Tokyo"),
                              method="書面", scope="送信性能の測定(架空の会員)")
        alerts.prepare(engine, staff[Role.OPERATOR], alert_id)
        ids.append(alert_id)
    stamp = pd.Timestamp.now(tz="Asia/Tokyo")
    records = [{"member_id": f"B{i:07d}", "email": f"bench{i:07d}@{BENCH_DOMAINS[i % len(BENCH_DOMAINS)]}",
                "categories": ["threat"], "areas": [("pref", "46", "鹿児島県")], "status": "active",
                "opted_in_at": stamp, "is_staff": False} for i in range(1, recipients + 1)]
    save_members(engine, records, directory=AreaDirectory({}, {}), source_name="bench")
    return staff[Role.OPERATOR], ids[0], ids[1]


def deliver_smtplib(engine: sa.Engine, alert, relay: delivery.Relay, options: delivery.DeliveryOptions,
                    connections: int) -> dict:
    """The comparison: ``connections`` threads, each with one persistent ``smtplib`` connection, one message at a time.

    Each thread renders and sends its share of the alert's queued rows with
    ``sendmail`` (a reply awaited after every command); a connection the relay
    closed is opened again once. Only that is timed; the rows sent are then
    recorded ``sent`` in one transaction.
    """
    o = store.outbox.c
    with engine.connect() as conn:
        rows = conn.execute(sa.select(o.member_id, o.email, o.message_id, o.queued_at, store.members.c.unsubscribe_token)
                            .join_from(store.outbox, store.members, o.member_id == store.members.c.member_id)
                            .where(o.alert_id == alert.alert_id, o.state == "queued").order_by(o.seq)).all()
    template = delivery.MessageTemplate(subject=alert.subject, body=alert.body, date=stored_utc(rows[0].queued_at),
                                        options=options)
    sent: list[str] = []
    failed = [0]
    lock = threading.Lock()

    def connect() -> smtplib.SMTP:
        client = smtplib.SMTP(relay.host, relay.port, local_hostname="bench", timeout=relay.timeout_s)
        if relay.username:
            client.login(relay.username, relay.password)
        return client

    def work(share) -> None:
        done, lost = [], 0
        client = connect()
        try:
            for row in share:
                message = template.render(to=row.email, message_id=row.message_id,
                                          unsubscribe_token=row.unsubscribe_token)
                try:
                    client.sendmail(options.sender, [row.email], message)
                    done.append(row.member_id)
                except smtplib.SMTPServerDisconnected:
                    client = connect()
                    lost += 1
                except smtplib.SMTPException:
                    lost += 1
            client.quit()
        finally:
            client.close()
            with lock:
                sent.extend(done)
                failed[0] += lost

    threads = [threading.Thread(target=work, args=(rows[n::connections],)) for n in range(connections)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - began
    with engine.begin() as conn:
        for start in range(0, len(sent), 500):
            conn.execute(store.outbox.update().where(o.alert_id == alert.alert_id,
                                                     o.member_id.in_(sent[start:start + 500])).values(state="sent"))
    return {"sent": len(sent), "failed": failed[0], "seconds": seconds}


def relay_offers_pipelining(relay: delivery.Relay) -> bool:
    """Whether the relay's EHLO offers PIPELINING (RFC 2920), which the sender then uses."""
    with smtplib.SMTP(relay.host, relay.port, local_hostname="bench", timeout=relay.timeout_s) as client:
        client.ehlo()
        return client.has_extn("pipelining")


def bench_send(recipients: int = 100_000, smtp: str = "127.0.0.1:2526", connections: int | None = None,
               sample: int = 10_000, workspace=None, keep: bool = False) -> dict:
    """Time the outbox + SMTP path for ``recipients`` members, and plain smtplib on ``sample`` of them.

    Both use ``connections`` connections (the product's default when None).
    ``workspace`` is the scratch folder (a temporary one, removed afterwards,
    when None). Prints the figures and returns them: ``sent``, ``failed``,
    ``duplicates`` (messages a crash could have sent twice: rows sent again
    after being found ``sending``; 0 in a run nobody killed), ``seconds``,
    ``msgs_per_s``; the comparison's ``naive_msgs_per_s`` (smtplib, as
    described by ``baseline``) and ``ratio``; ``relay_pipelining``, and
    ``meets_target`` (None below 100,000 recipients).
    """
    connections = connections or delivery.DeliveryOptions().connections
    if recipients < 1 or sample < 1 or connections < 1:
        raise ValueError("recipients, sample and connections must be at least 1")
    relay = delivery.parse_relay(smtp, timeout_s=60.0)
    scratch = Path(workspace) if workspace else Path(tempfile.mkdtemp(prefix="anshin-bench-send-"))
    scratch.mkdir(parents=True, exist_ok=True)
    database = scratch / "bench_send.sqlite"
    if database.exists():
        raise FileExistsError(f"{database} already exists: use an empty scratch folder")
    engine = store.connect(f"sqlite:///{database}")
    # The benchmark acts as the service of its scratch database: a key of its own, never a workspace's.
    previous = authority.current()
    authority.install(authority.Authority(authority.create_key(scratch / "service.key"), scratch / "anchor.log"))
    try:
        began = time.perf_counter()
        operator, main_id, naive_id = _setup(engine, recipients)
        options = delivery.DeliveryOptions(connections=connections, rate_limits={})
        delivery.queue_alert(engine, operator, main_id, options)
        sample = min(sample, recipients)
        with engine.connect() as conn:
            chosen = conn.execute(sa.select(store.members.c.member_id, store.members.c.email, store.members.c.domain)
                                  .order_by(store.members.c.member_id).limit(sample)).all()
        delivery.queue_alert(engine, operator, naive_id, options, recipients=[delivery.Recipient(*r) for r in chosen])
        setup_s = time.perf_counter() - began

        pipelining = relay_offers_pipelining(relay)
        report = delivery.deliver(engine, operator, main_id, relay, options=options)
        naive = deliver_smtplib(engine, alerts.get_alert(engine, naive_id), relay, options, connections)
        naive_rate = naive["sent"] / naive["seconds"] if naive["seconds"] > 0 else 0.0
        ratio = report.msgs_per_s / naive_rate if naive_rate else None
        figures = {
            "recipients": recipients, "smtp": str(relay), "connections": report.connections,
            "relay_pipelining": pipelining,
            "sent": report.sent, "failed": report.failed, "pending": report.pending, "retries": report.retries,
            "duplicates": report.possible_duplicates,
            "seconds": round(report.seconds, 3), "msgs_per_s": round(report.msgs_per_s, 1),
            "baseline": f"smtplib, {connections} threads with one persistent connection each",
            "naive_sample": sample, "naive_sent": naive["sent"], "naive_failed": naive["failed"],
            "naive_seconds": round(naive["seconds"], 3), "naive_msgs_per_s": round(naive_rate, 1),
            "ratio": round(ratio, 2) if ratio else None,
            "meets_target": (bool(report.msgs_per_s >= SEND_TARGET_PER_S and report.possible_duplicates == 0
                                  and ratio is not None and ratio >= SEND_TARGET_RATIO)
                             if recipients >= SEND_TARGET_RECIPIENTS else None),
            "setup_seconds": round(setup_s, 1),
        }
    finally:
        engine.dispose()
        if previous is None:
            authority.uninstall()
        else:
            authority.install(previous)
        if not keep and not workspace:
            shutil.rmtree(scratch, ignore_errors=True)
    print_send(figures)
    return figures


def print_send(f: dict) -> None:
    ratio = "—" if f["ratio"] is None else f"{f['ratio']:,.2f}倍"
    print(f"送信ベンチマーク: 会員 {f['recipients']:,}人へ送信待ち(outbox)+ SMTP({f['smtp']}, 同時接続 {f['connections']}, "
          f"リレーのパイプライン対応: {'あり' if f['relay_pipelining'] else 'なし'})")
    print(f"  準備(会員の登録・送信待ちへの登録): {f['setup_seconds']:.1f}秒")
    print(f"  本実装: 送信 {f['sent']:,}通, 失敗 {f['failed']:,}通, 未送信 {f['pending']:,}通, 再試行 {f['retries']:,}回, "
          f"二重送信の可能性 {f['duplicates']:,}通; {f['seconds']:.2f}秒 ({f['msgs_per_s']:,.1f}通/秒)")
    print(f"  比較(smtplib、{f['connections']}スレッドがそれぞれ接続を保って1通ずつ): "
          f"{f['naive_sent']:,}/{f['naive_sample']:,}通を {f['naive_seconds']:.2f}秒 ({f['naive_msgs_per_s']:,.1f}通/秒)")
    print(f"  速度比(本実装/smtplib, 1秒あたりの通数): {ratio}")
    verdict = {True: "達成", False: "未達",
               None: f"判定なし({SEND_TARGET_RECIPIENTS:,}人以上で測ってください)"}[f["meets_target"]]
    print(f"  目標({SEND_TARGET_RECIPIENTS:,}人 毎秒{SEND_TARGET_PER_S:,.0f}通以上・二重送信の可能性 0・"
          f"smtplib の{SEND_TARGET_RATIO}倍以上): {verdict}")
