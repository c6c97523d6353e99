"""空メール registration for real: an SMTP relay writing a Maildir, ``process_inbox``, the member site's link.

An empty mail to the registration address → a reply in the Maildir with a
confirmation link → the link opened on the running member site → active.
Auto-replies, bounces and malformed senders get no answer; a mail is
answered once; one address is answered at most once a minute.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import re
import smtplib
import subprocess
import sys
from email.message import EmailMessage
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa

from anshin_lab import delivery
from anshin_lab.app.registration_mail import process_inbox
from anshin_lab.core.clock import utc_now
from anshin_lab.core.errors import DeliveryError
from anshin_lab.demo.smtpd import start_relay
from anshin_lab.storage import store

from .maildir_order import in_delivery_order
from .member_site_process import running_member_site, site_workspace

pytestmark = pytest.mark.slow  # a workspace's layers (built_workspace) and the member site in a subprocess

PROJECT = Path(__file__).resolve().parents[1]
TOUROKU = "touroku@123123.tv"


@pytest.fixture(scope="module")
def ws(built_workspace, tmp_path_factory):
    return site_workspace(built_workspace, tmp_path_factory.mktemp("registration") / "ws")


@pytest.fixture(scope="module")
def relay(ws):
    handle = start_relay(0, ws.root / "maildir")  # the workspace's Maildir: where process_inbox reads by default
    yield handle
    handle.stop()


@pytest.fixture(scope="module")
def engine(ws):
    engine = store.connect(ws.database_url)
    yield engine
    engine.dispose()


def mail(relay, sender: str, *, envelope: str | None = None, to: str = TOUROKU, **headers) -> None:
    """An (empty) mail through the relay, as a phone sends one."""
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, to, ""
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content("")
    host, port = relay.address.rsplit(":", 1)
    with smtplib.SMTP(host, int(port)) as client:
        client.send_message(message, from_addr=sender if envelope is None else envelope, to_addrs=[to])


def replies_to(ws, address: str) -> list[EmailMessage]:
    found = []
    for folder in ("new", "cur"):
        for path in in_delivery_order(ws.root / "maildir" / folder):
            message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            if message["To"] == address and message["From"] and "anshin@" in str(message["From"]):
                found.append(message)
    return found


def status(engine, address: str) -> str | None:
    with engine.connect() as conn:
        return conn.execute(sa.select(store.members.c.status)
                            .where(store.members.c.email_key == address.lower())).scalar()


def run(ws, relay, confirm_url="https://123123.tv/confirm", **kwargs):
    options = delivery.DeliveryOptions(confirm_url=confirm_url)
    return process_inbox(ws, relay=delivery.parse_relay(relay.address), options=options, **kwargs)


def test_an_empty_mail_is_answered_with_a_link_that_makes_the_member_active(ws, relay, engine):
    with running_member_site(ws, smtp=relay.address) as site:
        mail(relay, "hanako.k@example.jp")
        mail(relay, "someone@example.jp", to="info@123123.tv")  # not for registration: left alone
        report = run(ws, relay, confirm_url=site.url + "/confirm")
        assert (report.read, report.confirm) == (1, 1)
        assert status(engine, "hanako.k@example.jp") == "pending"
        (reply,) = replies_to(ws, "hanako.k@example.jp")
        assert reply["Auto-Submitted"] == "auto-replied" and "登録の確認" in reply["Subject"]
        link = re.search(r"(http://\S+/confirm\?t=\S+)", reply.get_content()).group(1)
        with httpx.Client(follow_redirects=False) as browser_like:
            page = browser_like.get(link)
            assert page.status_code == 200
            csrf = re.search(r'name="csrf" value="([^"]*)"', page.text).group(1)
            done = browser_like.post(link, data={"csrf": csrf})
        assert done.status_code == 303 and "/preferences?" in done.headers["location"]
        assert status(engine, "hanako.k@example.jp") == "active"
    # Answered once: the mail moved to cur/, and running again answers nothing.
    assert run(ws, relay).read == 0
    assert len(replies_to(ws, "hanako.k@example.jp")) == 1
    assert len(list((ws.root / "maildir" / "new").iterdir())) >= 1  # the other mail is still there


def test_robots_bounces_and_bad_addresses_get_no_answer(ws, relay, engine):
    mail(relay, "vacation@example.jp", Auto_Submitted="auto-replied")
    mail(relay, "list@example.jp", Precedence="bulk")
    mail(relay, "mailer-daemon@example.jp", envelope="")  # a bounce: empty Return-Path
    mail(relay, "bad..dots.@docomo.ne.jp", envelope="bad@docomo.ne.jp")
    report = run(ws, relay)
    assert (report.read, report.automatic, report.invalid, report.confirm) == (4, 3, 1, 0)
    for address in ("vacation@example.jp", "list@example.jp", "mailer-daemon@example.jp"):
        assert replies_to(ws, address) == [] and status(engine, address) is None
    assert status(engine, "bad..dots.@docomo.ne.jp") is None


def test_one_address_is_answered_at_most_once_a_minute_and_a_leaver_gets_a_fresh_opt_in(ws, relay, engine):
    mail(relay, "jiro@example.jp")
    mail(relay, "jiro@example.jp")
    report = run(ws, relay)
    assert (report.confirm, report.limited) == (1, 1) and len(replies_to(ws, "jiro@example.jp")) == 1
    with engine.begin() as conn:
        conn.execute(store.members.update().where(store.members.c.email_key == "jiro@example.jp")
                     .values(status="unsubscribed"))
    mail(relay, "jiro@example.jp")
    later = run(ws, relay, now=utc_now() + dt.timedelta(minutes=2))
    assert later.confirm == 1 and len(replies_to(ws, "jiro@example.jp")) == 2
    assert status(engine, "jiro@example.jp") == "unsubscribed"  # until the new link is opened
    mail(relay, "jiro@example.jp")
    assert run(ws, relay, now=utc_now() + dt.timedelta(minutes=4)).confirm == 1
    mail(relay, "jiro@example.jp")
    assert run(ws, relay, now=utc_now() + dt.timedelta(minutes=6)).limited == 1  # three a day at most
    assert len(replies_to(ws, "jiro@example.jp")) == 3


def test_a_relay_that_refuses_the_reply_leaves_the_mail_for_the_next_run(ws, relay, engine):
    mail(relay, "saburo@example.jp")
    with pytest.raises(DeliveryError, match="リレー"):
        process_inbox(ws, relay=delivery.parse_relay("127.0.0.1:9"), options=delivery.DeliveryOptions())
    assert replies_to(ws, "saburo@example.jp") == []
    assert run(ws, relay).confirm == 1 and len(replies_to(ws, "saburo@example.jp")) == 1


def test_the_command_answers_once(ws, relay):
    mail(relay, "shiro@example.jp")
    done = subprocess.run([sys.executable, "-m", "anshin_lab", "members", "inbox", "--once", "--workspace",
                           str(ws.root), "--smtp", relay.address], capture_output=True, text=True, cwd=PROJECT,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-1500:]
    assert "確認リンクを返信 1通" in done.stdout and "shiro@example.jp" not in done.stdout + done.stderr
    assert len(replies_to(ws, "shiro@example.jp")) == 1
