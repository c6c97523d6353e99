"""The member site (``anshin members serve``) for real: uvicorn on a loopback port, Chromium, an SMTP relay.

Confirm → preferences changed with the keyboard in Chromium → one-click
unsubscribe (RFC 8058) → re-subscribe only through a new confirmation mail;
forged, reused and expired tokens, form tokens (CSRF) and the per-address
limit. The fixtures (``site_ws``, ``relay``, ``member_site``) and
``tests/member_site_process.py`` serve issue 18's whole chain too.
"""

from __future__ import annotations

import email
import email.policy
import re

import httpx
import pandas as pd
import psycopg
import pytest
import sqlalchemy as sa
from sqlalchemy.exc import ProgrammingError

from anshin_lab.app.imports import load_area_directory
from anshin_lab.app.member_site import member_key_file
from anshin_lab.delivery import subscriptions
from anshin_lab.delivery.member_tokens import REFUSED, MemberTokens, TokenRefused, load_member_key
from anshin_lab.demo.smtpd import start_relay
from anshin_lab.storage import grants, store
from anshin_lab.storage.schema import chome_neighbours

from .browser import Browser
from .maildir_order import in_delivery_order
from .member_site_process import running_member_site, site_workspace


@pytest.fixture(scope="module")
def site_ws(built_workspace, tmp_path_factory):
    return site_workspace(built_workspace, tmp_path_factory.mktemp("member-site") / "ws")


@pytest.fixture(scope="module")
def relay(tmp_path_factory):
    handle = start_relay(0, tmp_path_factory.mktemp("member-maildir") / "Maildir")
    yield handle
    handle.stop()


@pytest.fixture(scope="module")
def member_site(site_ws, relay):
    with running_member_site(site_ws, smtp=relay.address) as site:
        yield site


@pytest.fixture(scope="module")
def site_engine(site_ws):
    engine = store.connect(site_ws.database_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def tokens(site_ws, site_engine, member_site):
    """The site's tokens, with the key the running site created in the workspace."""
    return MemberTokens(load_member_key(member_key_file(site_ws)), site_engine)


def pending_member(site_ws, engine, address: str) -> str:
    member_id, _ = subscriptions.register_member(engine, load_area_directory(site_ws), email=address,
                                                 categories=["threat"], areas=["鹿児島市"])
    return member_id


def member_row(engine, member_id: str):
    with engine.connect() as conn:
        return conn.execute(sa.select(store.members).where(store.members.c.member_id == member_id)).one()


def mails_to(relay, address: str) -> list[email.message.EmailMessage]:
    found = []
    for path in in_delivery_order(relay.handler.path / "new"):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        if message["To"] == address:
            found.append(message)
    return found


def form_field(html: str, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]*)"', html).group(1)


def assert_refused(response: httpx.Response) -> None:
    assert response.status_code == 400, response.text[:300]
    assert REFUSED in response.text
    for detail in ("expired", "forged", "used", "Traceback", "期限が切れ"):
        assert detail not in response.text


def test_confirm_preferences_unsubscribe_resubscribe(site_ws, site_engine, tokens, member_site, relay, tmp_path):
    member_id = pending_member(site_ws, site_engine, "hanako@example.jp")
    confirm = tokens.issue("confirm", member_id)
    url = member_site.url

    def walk(page):
        """Confirm, then change the preferences with the keyboard only."""
        page.focus("button[type=submit]")
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r".*/preferences\?.*welcome=1"))
        unlabelled = page.evaluate("""[...document.querySelectorAll('input:not([type=hidden])')]
            .filter(i => i.labels.length === 0).map(i => i.name)""")
        page.focus("input[name=category][value=fugitive]")
        page.keyboard.press("Space")
        page.focus("#q")
        page.keyboard.type("鹿児島市 川上")
        page.keyboard.press("Enter")
        page.wait_for_selector("input[name=chome]")
        page.focus("input[name=chome]")
        page.keyboard.press("Space")
        page.focus("input[name=category][value=fugitive]")
        page.keyboard.press("Space")
        page.focus("input[name=language][value=en]")
        page.keyboard.press("Space")
        page.focus("#quiet_start")
        page.keyboard.type("22:00")
        page.focus("#quiet_end")
        page.keyboard.type("07:00")
        page.focus("#save")
        page.keyboard.press("Enter")
        page.wait_for_selector("text=保存しました", timeout=10_000)
        return {"unlabelled": unlabelled, "lang": page.evaluate("document.documentElement.lang"),
                "viewport": page.evaluate("!!document.querySelector('meta[name=viewport]')")}

    with Browser() as browser:
        visit = browser.open(f"{url}/confirm?t={confirm}", interact=walk, screenshot=tmp_path / "preferences.png")
    assert visit.clean, visit.problems()
    assert visit.result == {"unlabelled": [], "lang": "ja", "viewport": True}
    assert not [u for u in visit.requests if not u.startswith(url)]

    row = member_row(site_engine, member_id)
    assert (row.status, row.language, row.quiet_start, row.quiet_end) == ("active", "en", "22:00", "07:00")
    chosen = subscriptions.read_preferences(site_engine, member_id)
    assert set(chosen.categories) == {"threat", "fugitive"}
    [(chome, name)] = [(code, name) for kind, code, name in chosen.areas if kind == "chome"]
    assert name.startswith("鹿児島市川上町")
    with site_engine.connect() as conn:  # the 町丁目 next door are recorded, so an alert there reaches the member
        touching = conn.execute(sa.select(chome_neighbours.c.neighbour_code)
                                .where(chome_neighbours.c.chome_code == chome)).scalars().all()
    assert len(touching) >= 2

    # The confirmation link was used once: a second use is refused, and so is a confirm link of another purpose.
    assert_refused(httpx.get(f"{url}/confirm?t={confirm}"))
    assert_refused(httpx.get(f"{url}/confirm?t={tokens.issue('preferences', member_id)}"))

    # RFC 8058 one-click: a POST with List-Unsubscribe=One-Click to the mail's link, no form token.
    mail_token = row.unsubscribe_token
    assert "配信内容の変更" in httpx.get(f"{url}/preferences?t={mail_token}").text  # a mail's preferences link
    plain = httpx.post(f"{url}/unsubscribe?t={mail_token}", data={"stop": "1"})  # not the RFC 8058 body
    assert plain.status_code == 400 and member_row(site_engine, member_id).status == "active"
    stopped = httpx.post(f"{url}/unsubscribe?t={mail_token}", content="List-Unsubscribe=One-Click",
                         headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert stopped.status_code == 200 and "配信を停止しました" in stopped.text
    assert member_row(site_engine, member_id).status == "unsubscribed"
    assert httpx.get(f"{url}/unsubscribe?t={mail_token}").status_code == 200  # the GET page only shows a button
    assert member_row(site_engine, member_id).status == "unsubscribed"

    # Coming back: the form sends a new confirmation mail; nothing reactivates by itself.
    with httpx.Client(base_url=url) as browser_like:
        page = browser_like.get("/resubscribe")
        sent = browser_like.post("/resubscribe", data={"csrf": form_field(page.text, "csrf"),
                                                       "email": "Hanako@Example.jp"})
        assert sent.status_code == 200 and "確認のメールを送りました" in sent.text
    assert member_row(site_engine, member_id).status == "unsubscribed"
    [mail] = mails_to(relay, "hanako@example.jp")
    link = re.search(r"(http://127\.0\.0\.1:\d+/confirm\?t=\S+)", mail.get_content()).group(1)
    with httpx.Client() as browser_like:
        page = browser_like.get(link)
        assert "配信を再開する" in page.text
        done = browser_like.post(link, data={"csrf": form_field(page.text, "csrf")})
        assert done.status_code == 303 and "/preferences?" in done.headers["location"]
        assert_refused(browser_like.post(link, data={"csrf": form_field(page.text, "csrf")}))  # used once
    back = member_row(site_engine, member_id)
    assert back.status == "active" and back.unsubscribed_at is None
    assert back.unsubscribe_token != mail_token  # the old mails' links do not carry over


def test_forged_reused_and_expired_tokens_are_refused(site_ws, site_engine, tokens, member_site):
    member_id = pending_member(site_ws, site_engine, "taro@example.jp")
    url = member_site.url
    good = tokens.issue("preferences", member_id)
    forged = good[:-3] + ("AAA" if not good.endswith("AAA") else "BBB")
    other_key = MemberTokens(b"k" * 32, site_engine).issue("preferences", member_id)
    expired = tokens.issue("preferences", member_id, ttl=pd.Timedelta(seconds=-1))
    for token in (forged, other_key, expired, "", "x" * 300):
        assert_refused(httpx.get(f"{url}/preferences?t={token}"))
    confirm = tokens.issue("confirm", member_id)
    assert tokens.verify("confirm", confirm) == member_id  # used here ...
    assert_refused(httpx.get(f"{url}/confirm?t={confirm}"))  # ... so the site refuses it
    with pytest.raises(TokenRefused):
        tokens.verify("confirm", confirm)
    assert member_row(site_engine, member_id).status == "pending"


def test_forms_need_their_own_token(site_ws, site_engine, tokens, member_site):
    member_id = pending_member(site_ws, site_engine, "jiro@example.jp")
    other = pending_member(site_ws, site_engine, "saburo@example.jp")
    assert subscriptions.activate_member(site_engine, member_id, from_status="pending")
    url = f"{member_site.url}/preferences?t={tokens.issue('preferences', member_id)}"
    wanted = {"category": "fugitive", "pref": "1", "language": "ja"}
    for csrf in (None, "nonsense", tokens.form_token("preferences", other), tokens.form_token("confirm", member_id)):
        answer = httpx.post(url, data=wanted if csrf is None else {**wanted, "csrf": csrf})
        assert_refused(answer)
    assert subscriptions.read_preferences(site_engine, member_id).categories == ("threat",)
    good = httpx.post(url, data={**wanted, "csrf": tokens.form_token("preferences", member_id)})
    assert good.status_code == 200 and "保存しました" in good.text
    assert subscriptions.read_preferences(site_engine, member_id).categories == ("fugitive",)
    # The address form is bound to its cookie: a token from another browser does not pass.
    with httpx.Client(base_url=member_site.url) as one, httpx.Client(base_url=member_site.url) as two:
        csrf = form_field(one.get("/resubscribe").text, "csrf")
        two.get("/resubscribe")
        assert_refused(two.post("/resubscribe", data={"csrf": csrf, "email": "jiro@example.jp"}))


def test_confirmation_mails_are_limited_per_address(member_site, relay):
    with httpx.Client(base_url=member_site.url) as client:
        csrf = form_field(client.get("/resubscribe").text, "csrf")
        codes = [client.post("/resubscribe", data={"csrf": csrf, "email": "nobody@example.jp"}).status_code
                 for _ in range(6)]
        other = client.post("/resubscribe", data={"csrf": csrf, "email": "somebody@example.jp"})
    assert codes == [200] * 5 + [429]
    assert other.status_code == 200


def test_the_member_site_role_writes_only_member_tables(postgres_url):
    server = sa.create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        conn.execute(sa.text("DROP DATABASE IF EXISTS anshin_member_site"))
        conn.execute(sa.text("CREATE DATABASE anshin_member_site"))
    server.dispose()
    owner_url = sa.make_url(postgres_url).set(database="anshin_member_site")
    owner = store.connect(owner_url.render_as_string(hide_password=False))
    try:
        assert grants.apply_grants(owner) > 0
        with owner.begin() as conn:
            if conn.execute(sa.text("SELECT 1 FROM pg_roles WHERE rolname = 'member_site_login'")).first() is None:
                conn.execute(sa.text(f"CREATE ROLE member_site_login LOGIN IN ROLE {grants.MEMBERS_ROLE}"))
        held = grants.table_privileges(owner, grants.MEMBERS_ROLE)
    finally:
        owner.dispose()
    assert {table for table, privileges in held.items() if privileges} == grants.MEMBER_SITE_TABLES
    assert all(held[table] == {"SELECT", "INSERT", "UPDATE", "DELETE"} for table in grants.MEMBER_SITE_TABLES)
    site = store.connect(owner_url.set(username="member_site_login").render_as_string(hide_password=False))
    try:
        used = MemberTokens(b"k" * 32, site)
        token = used.issue("confirm", "W000000000001")
        assert used.verify("confirm", token) == "W000000000001"  # the site's own write goes through …
        with pytest.raises(ProgrammingError) as info:  # … an alert's does not
            with site.connect() as conn:
                conn.execute(sa.select(store.alerts.c.alert_id)).all()
        assert isinstance(info.value.orig, psycopg.errors.InsufficientPrivilege)
    finally:
        site.dispose()
