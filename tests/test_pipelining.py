"""SMTP pipelining (RFC 2920, issue 20): used when the relay offers it, with the same outcomes as without.

The sender writes MAIL, RCPT and DATA together, and the next row's after
the final dot, when the relay's EHLO offers PIPELINING; it reads every reply
in order. Against the fault-injecting relay (``tests/smtp_faults.py``) the
same plan of faults gives the same outcome row by row, pipelined or not:
each message accepted exactly once, or refused for good, or counted as a
possible duplicate when the relay hung up after taking it.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections import Counter

import pytest

from anshin_lab import delivery
from anshin_lab.delivery.channel import Channel, Reply, ReplyLost
from anshin_lab.delivery.outbox import OutboxItem
from anshin_lab.delivery.pacing import Scheduler
from anshin_lab.delivery import control
from anshin_lab.workflow import alerts
from anshin_lab.workflow.rules import Status

from .smtp_faults import start_fault_server, start_sink
from .test_sending import FAST, emails, outbox_of, scratch


def send(engine, operator, alert_id, server, **options):
    return delivery.send_alert(engine, operator, alert_id, delivery.parse_relay(server.address),
                               options=delivery.DeliveryOptions(**{"connections": 4, **FAST, **options}))


# -- the wire -----------------------------------------------------------------------------------

@pytest.mark.parametrize("pipelining", [True, False], ids=["PIPELINING offered", "not offered"])
def test_commands_are_pipelined_only_when_the_relay_offers_it(staff_template, tmp_path, pipelining):
    engine, operator, alert_id = scratch(staff_template, tmp_path, 40)
    with start_sink(delay_ms=10, pipelining=pipelining) as sink:
        report = send(engine, operator, alert_id, sink, connections=2)
        received, duplicates, early = sink.handler.received, sink.handler.duplicates, sink.handler.early
    assert report.complete and report.sent == 40 and (received, duplicates) == (40, 0)
    if pipelining:  # MAIL+RCPT+DATA together, and the next row's after each final dot: 3 early per message
        assert early >= 2 * 40, early
    else:  # every command waited for the reply to the one before
        assert early == 0
    engine.dispose()


class FakeTransport:
    def __init__(self, unsent: int = 0):
        self.written, self.closing, self.unsent, self.protocol = [], False, unsent, None

    def write(self, data):
        self.written.append(data)

    def is_closing(self):
        return self.closing

    def close(self):
        self.closing = True

    def abort(self):
        self.closing = True
        if self.protocol is not None:
            self.protocol.connection_lost(None)

    def get_write_buffer_size(self):
        return self.unsent


def test_the_channel_reads_replies_in_order_however_they_arrive():
    async def scenario():
        channel = Channel(FakeTransport(), pipelining=True)
        channel.data_received(b"250-first line\r\n25")
        channel.data_received(b"0 second line\r\n354 go ahead\r\n250 2.0.0")
        assert await channel.reply(1) == Reply(250, "first line\nsecond line")
        assert await channel.reply(1) == Reply(354, "go ahead")
        waiting = asyncio.ensure_future(channel.reply(1))
        await asyncio.sleep(0)
        channel.data_received(b" OK\r\n")
        assert await waiting == Reply(250, "2.0.0 OK")
        with pytest.raises(asyncio.TimeoutError):
            await channel.reply(0.01)
        channel.data_received(b"421 bye\r\n")
        channel.connection_lost(None)
        assert await channel.reply(1) == Reply(421, "bye")  # what came before the hang-up is still read
        with pytest.raises(ReplyLost):
            await channel.reply(1)
        assert not channel.is_open

    asyncio.run(scenario())


def test_anything_but_an_smtp_reply_ends_the_channel():
    async def scenario():
        channel = Channel(FakeTransport(), pipelining=True)
        channel.data_received(b"250 OK\r\nHTTP/1.1 400 Bad Request\r\n")
        assert await channel.reply(1) == Reply(250, "OK")
        with pytest.raises(ReplyLost):
            await channel.reply(1)
        assert channel.transport.closing

    asyncio.run(scenario())


def test_a_message_the_relay_does_not_take_cuts_the_connection():
    async def scenario(unsent):
        transport = FakeTransport(unsent)
        channel = transport.protocol = Channel(transport, pipelining=True)
        began = time.monotonic()
        with pytest.raises((ReplyLost, asyncio.TimeoutError)) as raised:
            await channel.reply(0.2, cut_if_stuck_after=0.02)
        return raised.type, time.monotonic() - began, transport.closing

    kind, waited, cut = asyncio.run(scenario(unsent=4096))  # data block wait (RFC 5321 §4.5.3.2.5)
    assert kind is ReplyLost and cut and waited < 0.15
    kind, waited, cut = asyncio.run(scenario(unsent=0))  # taken, then no reply: the wait for the final reply
    assert kind is asyncio.TimeoutError and not cut and waited >= 0.19


def test_take_keeps_the_carrier_rate_limits():
    def item(n, domain):
        return OutboxItem(f"M{n}", f"m{n}@{domain}", domain, f"<{n}@x>", "t" * 32, None)

    async def scenario():
        scheduler = Scheduler([item(1, "docomo.ne.jp"), item(2, "docomo.ne.jp"), item(3, "example.jp")],
                              {"docomo.ne.jp": 1.0})
        assert scheduler.take().member_id == "M1"
        assert scheduler.take().member_id == "M3"  # docomo's bucket is empty: the other domain goes on
        assert scheduler.take() is None  # M2 must wait a second: take does not
        scheduler.abort(RuntimeError("stop"))
        assert scheduler.take() is None

    asyncio.run(scenario())


# -- faults, pipelined or not -----------------------------------------------------------------------

PLANS = [["451", "ok"], ["550"], ["421", "ok"], ["drop", "ok"], ["data451", "ok"], ["data550_user"],
         ["accept_drop", "ok"], ["drop", "451", "data451", "ok"], ["rcpt_relay550"], ["data550"]]


def outcome(staff_template, path, pipelining):
    """(state and copies at the relay per address, the report) for one send of 60 under PLANS."""
    path.mkdir()
    addresses = emails(60)
    plan = {a: PLANS[n % len(PLANS)] for n, a in enumerate(addresses[::5])}
    engine, operator, alert_id = scratch(staff_template, path, 60)
    with start_fault_server(plan, pipelining=pipelining, delay_ms=1) as server:
        report = send(engine, operator, alert_id, server)
    box = outbox_of(engine, alert_id).set_index("email")
    accepted = Counter(server.handler.accepted)
    engine.dispose()
    rows = {a: (box.loc[a, "state"], accepted[box.loc[a, "message_id"]]) for a in addresses}
    return rows, report


def test_faults_give_the_same_outcome_pipelined_or_not(staff_template, tmp_path):
    plain, plain_report = outcome(staff_template, tmp_path / "plain", pipelining=False)
    pipelined, report = outcome(staff_template, tmp_path / "pipelined", pipelining=True)
    assert pipelined == plain
    for r in (plain_report, report):
        assert r.complete and (r.sent, r.failed, r.refused) == (55, 3, 2)  # 550 twice, data550_user; relay550, data550
        assert r.unknown == 3 and r.possible_duplicates >= 1  # 2 "drop" and 1 "accept_drop" hung up after the dot
    twice = [a for a, (_, copies) in pipelined.items() if copies > 1]
    assert len(twice) == 1 and pipelined[twice[0]] == ("sent", 2)  # the accept_drop one, reported
    assert all(copies <= 1 for a, (_, copies) in pipelined.items() if a not in twice)


def test_a_relay_refusing_every_message_stops_a_pipelined_send_as_soon(staff_template, tmp_path):
    engine, operator, alert_id = scratch(staff_template, tmp_path, 40)
    options = {"connections": 2}
    with start_fault_server({"*": ["data550"]}, pipelining=True) as server:
        first = send(engine, operator, alert_id, server, **options)
        # Rows begun after a final dot are dropped unsent once the run stops: no more refusals than without.
        assert server.handler.actions["data550"] <= 3 + options["connections"] - 1
        assert not first.complete and first.stopped and first.failed == 0 and server.handler.accepted == []
        assert set(delivery.outbox_states(engine, alert_id)) <= {"queued", "deferred"}
        server.handler.plan = {}
        report = send(engine, operator, alert_id, server, **options)
    assert report.complete and report.sent_total == 40 and report.possible_duplicates == 0
    assert len(server.handler.accepted) == 40 and server.handler.duplicate_count() == 0
    assert alerts.get_alert(engine, alert_id).status == Status.SENT
    engine.dispose()


def test_a_stop_request_ends_a_pipelined_send_and_it_resumes_exactly_once(staff_template, tmp_path):
    engine, operator, alert_id = scratch(staff_template, tmp_path, 400)
    people = staff_template[1]
    result = {}
    with start_fault_server(delay_ms=5, pipelining=True) as server:
        relay = delivery.parse_relay(server.address)
        options = delivery.DeliveryOptions(connections=2, **FAST)
        sender = threading.Thread(target=lambda: result.update(
            report=delivery.send_alert(engine, operator, alert_id, relay, options=options)))
        sender.start()
        deadline = time.monotonic() + 60
        while len(server.handler.accepted) < 30 and time.monotonic() < deadline:
            time.sleep(0.01)
        control.request_stop(engine, people["hq"], alert_id, "本文の誤りに気付いたため")
        sender.join(timeout=30)
        stopped = result["report"]
        box = outbox_of(engine, alert_id)
        assert not stopped.complete and stopped.stopped
        assert set(box["state"]) <= {"sent", "queued", "deferred"}  # nothing left "sending"
        assert set(box.loc[box["state"] == "sent", "message_id"]) == set(server.handler.accepted)
        again = delivery.send_alert(engine, operator, alert_id, relay, options=options)
    assert again.complete and again.sent_total == 400 and again.possible_duplicates == 0
    assert len(server.handler.accepted) == 400 and server.handler.duplicate_count() == 0
    engine.dispose()
