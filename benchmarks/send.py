"""The send benchmark: N synthetic members through the real outbox and SMTP path.

``bench_send`` builds a scratch workspace database (no login: the alert is
written straight into the scratch database as ``ready``), stores N distinct
synthetic members on reserved example domains, queues the alert for all of
them and times ``sending.deliver`` against ``--smtp``, any SMTP server. It
then sends a sample the naive way, to a second alert so that the Message-IDs
differ: for each message, commit ``sending``, open a connection (``smtplib``),
send, close, commit ``sent``. It prints and returns one JSON object.

A sink that waits 2 ms before every reply, for the figures of the issue::

    .venv/bin/python -m tests.smtp_faults --delay-ms 2 --port 2526 &
    .venv/bin/anshin bench send --recipients 100000 --smtp 127.0.0.1:2526 --connections 32
"""

from __future__ import annotations

import json
import shutil
import smtplib
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from anshin_lab.delivery import sending
from anshin_lab.storage import store
from anshin_lab.delivery.members import AreaDirectory, save_members

BENCH_DOMAINS = ("example.jp", "example.com", "example.net", "example.org")
BENCH_SUBJECT = "【県警あんしんメール】送信性能の測定(ベンチマーク)"
BENCH_BODY = ("これは送信性能を測るための試験送信です。\n"
              "11月28日(金)午後4時ごろ、鹿児島市紫原3丁目付近の路上で、女子児童が男から声をかけられました。\n"
              "★子供が一人にならないよう、地域での見守りをお願いします。\n")


@dataclass(frozen=True)
class _BenchAlert:
    alert_id: int
    category: str
    subject: str
    body: str
    area_codes: dict
    original_alert_id: int | None = None


def _setup(engine: sa.Engine, recipients: int) -> tuple[_BenchAlert, _BenchAlert]:
    now = pd.Timestamp.now(tz="UTC").to_pydatetime()
    with engine.begin() as conn:
        conn.execute(store.users.insert().values(username="bench", display_name="bench", role="operator",
                                                 password_hash="!", failed_logins=0, active=True, created_at=now,
                                                 created_by="bench"))
        ids = []
        for subject in (BENCH_SUBJECT, BENCH_SUBJECT + "(素朴な送信)"):
            ids.append(conn.execute(store.alerts.insert().values(
                category="threat", status="ready", subject=subject, body=BENCH_BODY, level="CITY",
                assessed_level="CITY", public_text="鹿児島市内", area_codes={}, incident_ids=[], urgent=False,
                created_by="bench", created_at=now, updated_at=now)).inserted_primary_key[0])
    stamp = pd.Timestamp.now(tz="Asia/Tokyo")
    records = [{"member_id": f"B{i:07d}", "email": f"bench{i:07d}@{BENCH_DOMAINS[i % len(BENCH_DOMAINS)]}",
                "categories": ["threat"], "areas": [("pref", "46", "鹿児島県")], "status": "active",
                "opted_in_at": stamp, "is_staff": False} for i in range(1, recipients + 1)]
    save_members(engine, records, directory=AreaDirectory({}, {}), source_name="bench")
    return tuple(_BenchAlert(i, "threat", s, BENCH_BODY, {}) for i, s in
                 zip(ids, (BENCH_SUBJECT, BENCH_SUBJECT + "(素朴な送信)")))


def deliver_naive(engine: sa.Engine, alert, relay: sending.Relay, options: sending.DeliveryOptions) -> dict:
    """The naive sender, for comparison: one connection per message, one message at a time."""
    o = store.outbox.c
    with engine.connect() as conn:
        rows = conn.execute(sa.select(o.member_id, o.email, o.message_id, o.queued_at, store.members.c.unsubscribe_token)
                            .join_from(store.outbox, store.members, o.member_id == store.members.c.member_id)
                            .where(o.alert_id == alert.alert_id, o.state == "queued").order_by(o.seq)).all()
    sent = failed = 0
    template = None
    began = time.perf_counter()
    for row in rows:
        if template is None:
            template = sending.MessageTemplate(subject=alert.subject, body=alert.body,
                                               date=sending._aware(row.queued_at), options=options)
        message = template.render(to=row.email, message_id=row.message_id, unsubscribe_token=row.unsubscribe_token)
        where = (o.alert_id == alert.alert_id) & (o.member_id == row.member_id)
        with engine.begin() as conn:
            conn.execute(store.outbox.update().where(where).values(state="sending", attempts=o.attempts + 1))
        try:
            with smtplib.SMTP(relay.host, relay.port, local_hostname="bench", timeout=relay.timeout_s) as client:
                if relay.username:
                    client.login(relay.username, relay.password)
                client.sendmail(options.sender, [row.email], message)
            state = "sent"
            sent += 1
        except (smtplib.SMTPException, OSError):
            state = "deferred"
            failed += 1
        with engine.begin() as conn:
            conn.execute(store.outbox.update().where(where).values(state=state))
    seconds = time.perf_counter() - began
    return {"sent": sent, "failed": failed, "seconds": seconds}


def bench_send(recipients: int = 100_000, smtp: str = "127.0.0.1:2526", connections: int = 32, sample: int = 500,
               workspace=None, keep: bool = False, printer=print) -> dict:
    """Time the outbox + SMTP path for ``recipients`` members and a naive sender on ``sample`` of them.

    ``workspace`` is the scratch folder (a temporary one, removed afterwards,
    when None). Returns and prints one JSON object: ``sent``, ``failed``,
    ``duplicates`` (messages a crash could have sent twice: rows sent again
    after being found ``sending``; 0 in a run nobody killed), ``seconds``,
    ``msgs_per_s``, ``naive_msgs_per_s`` and ``ratio``.
    """
    if recipients < 1 or sample < 1 or connections < 1:
        raise ValueError("recipients, sample and connections must be at least 1")
    relay = sending.parse_relay(smtp, timeout_s=60.0)
    scratch = Path(workspace) if workspace else Path(tempfile.mkdtemp(prefix="anshin-bench-send-"))
    scratch.mkdir(parents=True, exist_ok=True)
    database = scratch / "bench_send.sqlite"
    if database.exists():
        raise FileExistsError(f"{database} already exists: use an empty scratch folder")
    engine = store.connect(f"sqlite:///{database}")
    try:
        began = time.perf_counter()
        main_alert, naive_alert = _setup(engine, recipients)
        options = sending.DeliveryOptions(connections=connections, rate_limits={})
        sending.queue_alert(engine, main_alert, options)
        sample = min(sample, recipients)
        from anshin_lab.delivery.members import Recipient

        with engine.connect() as conn:
            chosen = conn.execute(sa.select(store.members.c.member_id, store.members.c.email, store.members.c.domain)
                                  .order_by(store.members.c.member_id).limit(sample)).all()
        sending.queue_alert(engine, naive_alert, options, recipients=[Recipient(*r) for r in chosen])
        setup_s = time.perf_counter() - began

        report = sending.deliver(engine, main_alert, relay, options=options, operator="bench")
        naive = deliver_naive(engine, naive_alert, relay, options)
        naive_rate = naive["sent"] / naive["seconds"] if naive["seconds"] > 0 else 0.0
        figures = {
            "recipients": recipients, "smtp": str(relay), "connections": report.connections,
            "sent": report.sent, "failed": report.failed, "pending": report.pending, "retries": report.retries,
            "duplicates": report.ambiguous,
            "seconds": round(report.seconds, 3), "msgs_per_s": round(report.msgs_per_s, 1),
            "naive_sample": sample, "naive_sent": naive["sent"], "naive_seconds": round(naive["seconds"], 3),
            "naive_msgs_per_s": round(naive_rate, 1),
            "ratio": round(report.msgs_per_s / naive_rate, 1) if naive_rate else None,
            "setup_seconds": round(setup_s, 1),
        }
    finally:
        engine.dispose()
        if not keep and not workspace:
            shutil.rmtree(scratch, ignore_errors=True)
    printer(json.dumps(figures, ensure_ascii=False))
    return figures
