"""The local relay: a real aiosmtpd server on loopback writing a real Maildir."""

from __future__ import annotations

import email
import email.policy
import mailbox
import os
import signal
import smtplib
import socket
import stat
import subprocess
import sys
import time
from email.message import EmailMessage
from pathlib import Path

import pytest

from anshin_lab import delivery
from anshin_lab.core.errors import DeliveryError
from anshin_lab.demo.smtpd import start_relay

from .test_sending import scratch

PROJECT = Path(__file__).resolve().parents[1]


def message(to: str, subject: str = "テスト") -> EmailMessage:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "anshin@123123.tv", to, subject
    msg.set_content("本文です。\n")
    return msg


def test_the_relay_writes_one_maildir_message_per_recipient(tmp_path):
    maildir = tmp_path / "Maildir"
    with start_relay(0, maildir) as relay:
        assert relay.host == "127.0.0.1" and relay.port > 0
        with smtplib.SMTP(relay.host, relay.port) as client:
            client.send_message(message("a@example.jp"), to_addrs=["a@example.jp", "b@example.jp"])
    box = mailbox.Maildir(maildir)
    delivered = sorted(m["Delivered-To"] for m in box)
    assert delivered == ["a@example.jp", "b@example.jp"]
    first = email.message_from_bytes(box.get_bytes(next(iter(box.keys()))), policy=email.policy.default)
    assert first["Return-Path"] == "<anshin@123123.tv>" and first["Subject"] == "テスト"
    for sub in ("", "new", "cur", "tmp"):
        assert stat.S_IMODE(os.stat(maildir / sub).st_mode) == 0o700  # personal data: owner only


def test_a_bounce_keeps_its_null_reverse_path(tmp_path):
    """A bounce is sent with MAIL FROM:<>; the Maildir says ``Return-Path: <>`` (not ``<<>>``)."""
    maildir = tmp_path / "Maildir"
    with start_relay(0, maildir) as relay:
        with smtplib.SMTP(relay.host, relay.port) as client:
            client.send_message(message("a@example.jp"), from_addr="<>", to_addrs=["a@example.jp"])
    (raw,) = [mailbox.Maildir(maildir).get_bytes(k) for k in mailbox.Maildir(maildir).keys()]
    assert raw.startswith(b"Return-Path: <>\r\n"), raw[:60]


def test_the_relay_listens_on_loopback_only_and_stops(tmp_path):
    relay = start_relay(0, tmp_path / "Maildir")
    port = relay.port
    with socket.create_connection(("127.0.0.1", port), timeout=2):
        pass
    relay.stop()
    relay.stop()  # idempotent
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=2)


def test_a_busy_port_is_a_clear_error(tmp_path):
    with start_relay(0, tmp_path / "a") as first:
        with pytest.raises(DeliveryError, match="開始できません"):
            start_relay(first.port, tmp_path / "b")


def test_an_alert_delivered_through_the_relay_lands_in_the_maildir(staff_template, tmp_path):
    engine, operator, alert_id = scratch(staff_template, tmp_path, 25)
    delivery.queue_alert(engine, operator, alert_id)
    with start_relay(0, tmp_path / "Maildir") as relay:
        report = delivery.deliver(engine, operator, alert_id, delivery.parse_relay(relay.address),
                                  options=delivery.DeliveryOptions(connections=3))
    assert report.complete and report.sent == 25
    box = list(mailbox.Maildir(tmp_path / "Maildir"))
    assert len(box) == 25 and len({m["Message-ID"] for m in box}) == 25
    assert {m["To"] for m in box} == {m["Delivered-To"] for m in box}
    engine.dispose()


def test_run_relay_serves_until_sigterm(tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    code = "import sys; from anshin_lab.demo.smtpd import run_relay; print(run_relay(int(sys.argv[1]), sys.argv[2]))"
    process = subprocess.Popen([sys.executable, "-c", code, str(port), str(tmp_path / "Maildir")], cwd=PROJECT,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "PYTHONPATH": str(PROJECT)})
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with smtplib.SMTP("127.0.0.1", port, timeout=2) as client:
                    client.send_message(message("c@example.jp"))
                break
            except OSError:
                assert time.monotonic() < deadline and process.poll() is None
                time.sleep(0.1)
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err
    assert "開始しました" in out and out.strip().splitlines()[-1] == "1"
