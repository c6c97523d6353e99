"""Issue 18's whole chain over real SMTP and the real member site: an empty mail to the registration address →
the reply with a link → confirm → preferences → the next matching alert arrives (in the chosen language) →
one-click unsubscribe stops the next → a new empty mail and a fresh double opt-in bring the member back."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import re

import httpx
import pytest

from anshin_lab import delivery
from anshin_lab.app.registration_mail import process_inbox
from anshin_lab.core.clock import utc_now
from anshin_lab.core.errors import DeliveryError
from anshin_lab.demo.smtpd import start_relay
from anshin_lab.storage import store
from anshin_lab.workflow import alerts

from .maildir_order import in_delivery_order
from .member_site_process import running_member_site, site_workspace
from .staff import add_staff
from .test_registration_mail import mail, replies_to, status
from .test_workflow import approve, consent

ADDRESS = "taro.chain@example.jp"
FAST = dict(retry_initial_s=0.05, retry_max_s=0.2, rate_limits={})


def csrf_of(page: httpx.Response) -> str:
    return re.search(r'name="csrf" value="([^"]*)"', page.text).group(1)


def ready_alert(engine, staff, city_code: str, place: str) -> int:
    """A threat alert at municipality level, approved, consented and prepared (as the workflow tests do)."""
    alert_id = alerts.create_alert(engine, staff["analyst"], category="threat", subject=f"【声かけ事案】{place}",
                                   body=f"{place}内の路上で、児童が男に声をかけられました。", level="CITY",
                                   public_text=f"{place}内", area_codes={"city_code": city_code})
    approve(engine, staff, alert_id)
    consent(engine, staff, alert_id)
    alerts.prepare(engine, staff["operator"], alert_id)
    return alert_id


def alerts_received(ws, address: str) -> list[email.message.EmailMessage]:
    found = []
    for folder in ("new", "cur"):
        for path in in_delivery_order(ws.root / "maildir" / folder):
            message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            if message["To"] == address and message["List-Unsubscribe"]:
                found.append(message)
    return found


def open_link(link: str) -> str:
    """Open a mailed confirmation link and press its button, as a member does; returns the next page's URL."""
    with httpx.Client(follow_redirects=False) as client:
        page = client.get(link)
        assert page.status_code == 200, page.text
        done = client.post(link, data={"csrf": csrf_of(page)})
    assert done.status_code == 303, done.text
    return done.headers["location"]


@pytest.mark.slow
def test_empty_mail_to_alert_to_one_click_stop_and_back(built_workspace, tmp_path):
    ws = site_workspace(built_workspace, tmp_path / "ws")
    engine = store.connect(ws.database_url)
    staff = add_staff(engine)
    relay = start_relay(0, ws.root / "maildir")
    smtp = delivery.parse_relay(relay.address)
    try:
        with running_member_site(ws, smtp=relay.address) as site:
            inbox = delivery.DeliveryOptions(confirm_url=site.url + "/confirm")
            options = delivery.DeliveryOptions(**FAST, unsubscribe_url=site.url + "/unsubscribe")  # the mails' link
            mail(relay, ADDRESS)
            assert process_inbox(ws, relay=smtp, options=inbox).confirm == 1
            (reply,) = [m for m in replies_to(ws, ADDRESS) if not m["List-Unsubscribe"]]
            preferences = open_link(re.search(r"(http://\S+/confirm\?t=\S+)", reply.get_content()).group(1))
            assert status(engine, ADDRESS) == "active"

            # Preferences: only 脅威事犯, only 鹿児島市, in English.
            with httpx.Client(base_url=site.url) as client:
                page = client.get(preferences)
                saved = client.post(preferences.split("&")[0] if "welcome" in preferences else preferences,
                                    data={"csrf": csrf_of(page), "category": "threat", "city": "46201",
                                          "language": "en", "quiet_start": "", "quiet_end": ""})
                assert saved.status_code in (200, 303) and "保存しました" in client.get(
                    saved.headers.get("location", preferences)).text + saved.text

            here = ready_alert(engine, staff, "46201", "鹿児島市")
            elsewhere = ready_alert(engine, staff, "46203", "鹿屋市")
            delivery.send_alert(engine, staff["operator"], here, smtp, options=options)
            with pytest.raises(DeliveryError, match="受け取る会員がいません"):  # 鹿屋市 is not the member's area
                delivery.send_alert(engine, staff["operator"], elsewhere, smtp, options=options)
            (received,) = alerts_received(ws, ADDRESS)  # the matching one only, in English
            assert received["Content-Language"] == "en" and "Kagoshima City" in str(received["Subject"])

            # RFC 8058 one-click, to the link of the mail's own header.
            link = re.search(r"<(http://[^>]+/unsubscribe\?t=[^>]+)>", received["List-Unsubscribe"]).group(1)
            stopped = httpx.post(link, content="List-Unsubscribe=One-Click",
                                 headers={"Content-Type": "application/x-www-form-urlencoded"})
            assert stopped.status_code == 200 and status(engine, ADDRESS) == "unsubscribed"
            after_stop = ready_alert(engine, staff, "46201", "鹿児島市")
            with pytest.raises(DeliveryError, match="受け取る会員がいません"):
                delivery.send_alert(engine, staff["operator"], after_stop, smtp, options=options)
            assert len(alerts_received(ws, ADDRESS)) == 1

            # Coming back: a new empty mail, a fresh link, and only opening it makes the member active again.
            mail(relay, ADDRESS)
            later = utc_now() + dt.timedelta(minutes=2)  # past the one-reply-a-minute limit per address
            assert process_inbox(ws, relay=smtp, options=inbox, now=later).confirm == 1
            assert status(engine, ADDRESS) == "unsubscribed"
            registration = [m for m in replies_to(ws, ADDRESS) if not m["List-Unsubscribe"]]  # not the alerts
            assert len(registration) == 2
            latest = registration[-1]
            open_link(re.search(r"(http://\S+/confirm\?t=\S+)", latest.get_content()).group(1))
            assert status(engine, ADDRESS) == "active"
            again = ready_alert(engine, staff, "46201", "鹿児島市")
            delivery.send_alert(engine, staff["operator"], again, smtp, options=options)
            assert len(alerts_received(ws, ADDRESS)) == 2
    finally:
        relay.stop()
        engine.dispose()
