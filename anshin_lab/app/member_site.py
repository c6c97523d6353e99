"""The member site (``anshin members serve``): confirm, preferences, one-click unsubscribe, re-subscribe.

A small Starlette app served by uvicorn on a loopback port, for the links of
the mails members receive. Routes (``t`` is a token of
``delivery.member_tokens``, or for ``/unsubscribe`` also the member's mail
token from the List-Unsubscribe header):

- ``GET /confirm?t=`` shows a button; ``POST`` activates the pending member
  (the second opt-in), or the unsubscribed member of a resubscribe link, and
  goes on to the preferences page;
- ``GET|POST /preferences?t=[&q=]`` (a signed preferences token, or the
  member's mail token, for a preferences link in the mails): categories, areas (the prefecture,
  municipalities, station districts, 町丁目 found with ``q``), language and
  quiet hours; a save answers 「保存しました」;
- ``GET /unsubscribe?t=`` shows a button; ``POST`` with the body
  ``List-Unsubscribe=One-Click`` (RFC 8058) stops the mail at once, no form token;
- ``GET|POST /resubscribe``: an address sends itself a new confirmation mail
  (never a reactivation by itself).

Every other form carries a signed form token bound to the member and the
form (or, for the address form, to a SameSite=Strict cookie). Requests are
limited per client and confirmation mails per address
(:class:`SiteLimits`); a refused token answers one Japanese page that says
nothing about why. Pages come from a ``render(name, **context) -> str``
callable (``views.member_pages``), so this floor draws nothing. Nothing a
request carries is logged.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import secrets
import socket
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from typing import Callable
from urllib.parse import parse_qs, urlencode

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from anshin_lab import delivery
from anshin_lab.app.catalog import load_areas
from anshin_lab.app.service import listen_loopback, run_server
from anshin_lab.app.workspace import Workspace, open_workspace
from anshin_lab.core.directive import PREF_CODE, PREFECTURE
from anshin_lab.core.errors import AnshinError, DataError, DeliveryError
from anshin_lab.core.glossary import CATEGORIES
from anshin_lab.delivery import member_tokens, subscriptions
from anshin_lab.delivery.member_tokens import MemberTokens, TokenRefused
from anshin_lab.delivery.subscriptions import Preferences
from anshin_lab.drafting.languages import LANGUAGES
from anshin_lab.records.members import AreaDirectory
from anshin_lab.storage import store

log = logging.getLogger("anshin.members")
MAX_FORM_BYTES = 64 * 1024
COOKIE = "anshin_form"
ONE_CLICK = "List-Unsubscribe=One-Click"
CHOME_RESULTS = 50  # 町丁目 shown for one search
HEADERS = {  # no tracking, nothing from elsewhere, no framing, no referrer carrying a token
    "Content-Security-Policy": "default-src 'none'; style-src 'self' 'unsafe-inline'; form-action 'self'; "
                               "frame-ancestors 'none'; base-uri 'none'",
    "Referrer-Policy": "no-referrer", "X-Content-Type-Options": "nosniff", "Cache-Control": "no-store",
}


def member_key_file(ws: Workspace):
    """The member site's key (``secrets/members.key``), beside the service key but not the same one."""
    return ws.root / "secrets" / member_tokens.KEY_NAME


# -- rate limits ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class SiteLimits:
    """How much one client and one address may ask: ``(count, window in seconds)`` each."""

    mails_per_address: tuple[int, float] = (5, 3600.0)  # confirmation mails to one address
    posts_per_client: tuple[int, float] = (60, 60.0)  # form submissions from one client
    refusals_per_client: tuple[int, float] = (20, 600.0)  # refused tokens from one client (guessing)


class RateLimiter:
    """Sliding-window counters in this process's memory (keys are hashed by the caller or not personal)."""

    def __init__(self):
        self._hits: dict[str, deque] = defaultdict(deque)
        self._lock = threading.Lock()

    def hit(self, key: str, limit: tuple[int, float]) -> bool:
        """Count one hit for ``key``; False when that makes more than ``limit`` in its window."""
        count, window = limit
        now = time.monotonic()
        with self._lock:
            hits = self._hits[key]
            while hits and hits[0] <= now - window:
                hits.popleft()
            if len(hits) >= count:
                return False
            hits.append(now)
            return True

    def over(self, key: str, limit: tuple[int, float]) -> bool:
        """True when ``key`` already has ``limit`` hits in the window (counts nothing)."""
        count, window = limit
        now = time.monotonic()
        with self._lock:
            return sum(1 for t in self._hits.get(key, ()) if t > now - window) >= count


# -- the areas a member may choose ------------------------------------------------------------------

@dataclass(frozen=True)
class AreaChoices:
    """Municipalities (code, name), station districts and the 町丁目 (code, label) of the workspace."""

    cities: tuple[tuple[str, str], ...]
    stations: tuple[str, ...]
    chome: dict[str, str] = field(default_factory=dict)  # code -> 「鹿児島市川上町」
    directory: AreaDirectory | None = None  # for the 町丁目 next to a chosen one

    @classmethod
    def from_area_set(cls, area_set) -> "AreaChoices":
        directory = AreaDirectory.from_area_set(area_set)
        small = area_set.layer("CHOME")
        labels = (small["city"].astype(str) + small["name"].astype(str)).tolist()
        codes = small["area_code"].astype(str).tolist()
        seen: dict[str, int] = defaultdict(int)
        for label in labels:
            seen[label] += 1
        # The same name twice in a municipality (two parts of one 町): the code tells them apart.
        chome = {code: (f"{label}({code})" if seen[label] > 1 else label) for code, label in zip(codes, labels)}
        return cls(tuple(sorted((code, name) for name, code in directory.cities.items())),
                   tuple(sorted(directory.stations)), chome, directory)

    @property
    def station_items(self) -> tuple[tuple[str, str], ...]:
        return tuple((name, name) for name in self.stations)

    def search(self, text: str, limit: int = CHOME_RESULTS) -> list[tuple[str, str]]:
        """The 町丁目 whose label contains every word of ``text`` (at most ``limit``)."""
        words = [w for w in str(text or "").replace("\u3000", " ").split(" ") if w][:5]
        if not words:
            return []
        found = [(code, label) for code, label in self.chome.items() if all(w in label for w in words)]
        return found[:limit]

    def resolve(self, form: dict[str, list[str]]) -> tuple[tuple[str, str, str], ...]:
        """The areas ``(kind, code, name)`` a submitted form chose; ``DataError`` for one not offered."""
        cities = dict(self.cities)
        chosen = []
        if form.get("pref"):
            chosen.append(("pref", PREF_CODE, PREFECTURE))
        for code in form.get("city", []):
            if code not in cities:
                raise DataError("選べない市町村があります(一覧から選んでください)", column="areas")
            chosen.append(("city", code, cities[code]))
        for name in form.get("station", []):
            if name not in self.stations:
                raise DataError("選べない警察署の管内があります(一覧から選んでください)", column="areas")
            chosen.append(("station", name, name))
        for code in form.get("chome", []):
            if code not in self.chome:
                raise DataError("選べない町丁目があります(検索して選んでください)", column="areas")
            chosen.append(("chome", code, self.chome[code]))
        return tuple(chosen)


# -- the app ---------------------------------------------------------------------------------------

@dataclass
class MemberSite:
    """What the app needs: the database, the tokens, where to send mail, the areas and the page renderer."""

    engine: sa.Engine
    tokens: MemberTokens
    relay: object  # delivery.Relay
    options: object  # delivery.DeliveryOptions
    areas: AreaChoices
    render: Callable[..., str]
    limits: SiteLimits = field(default_factory=SiteLimits)
    counters: RateLimiter = field(default_factory=RateLimiter)

    def page(self, name: str, status: int = 200, **context) -> HTMLResponse:
        return HTMLResponse(self.render(name, **context), status_code=status, headers=HEADERS)

    def message(self, title: str, text: str, status: int = 200, **context) -> HTMLResponse:
        return self.page("message.html", status, title=title, text=text, **context)

    def refused(self, request: Request) -> HTMLResponse:
        self.counters.hit(f"refused:{client(request)}", self.limits.refusals_per_client)
        return self.message("リンクが無効です", member_tokens.REFUSED, 400)

    def too_many(self) -> HTMLResponse:
        return self.message("しばらくお待ちください", "短い時間に多くの申し込みがありました。"
                            "1時間ほどおいてから、もう一度お試しください。", 429)


def client(request: Request) -> str:
    return request.client.host if request.client else "-"


async def read_form(request: Request) -> dict[str, list[str]]:
    """The urlencoded form of a POST (``{}`` when empty); ``DataError`` when too long or not a form."""
    declared = request.headers.get("content-length", "0")
    if not declared.isdigit() or int(declared) > MAX_FORM_BYTES:
        raise DataError("送信された内容が大きすぎます")
    raw = bytearray()
    async for chunk in request.stream():
        raw += chunk
        if len(raw) > MAX_FORM_BYTES:
            raise DataError("送信された内容が大きすぎます")
    try:
        return parse_qs(bytes(raw).decode("utf-8"), keep_blank_values=True, max_num_fields=4000)
    except (UnicodeDecodeError, ValueError):
        raise DataError("送信された内容を読めません") from None


def first(form: dict[str, list[str]], name: str) -> str:
    return (form.get(name) or [""])[0].strip()


def build_member_app(site: MemberSite) -> Starlette:
    """The Starlette app of the member site."""

    def guarded(handler: Callable) -> Callable:
        async def endpoint(request: Request) -> Response:
            key = client(request)
            if site.counters.over(f"refused:{key}", site.limits.refusals_per_client):
                return site.too_many()
            if request.method == "POST" and not site.counters.hit(f"post:{key}", site.limits.posts_per_client):
                return site.too_many()
            try:
                return await handler(request)
            except TokenRefused as exc:
                log.info("%s %s: token refused (%s)", request.method, request.url.path, exc.reason)
                return site.refused(request)
            except SQLAlchemyError as exc:
                log.error("%s %s: database error %s", request.method, request.url.path, type(exc).__name__)
                return site.message("ただいま混み合っています", "しばらくしてから、もう一度お試しください。", 503)
        return endpoint

    def check_form(purpose: str, subject: str, form: dict) -> None:
        if not site.tokens.check_form_token(purpose, subject, first(form, "csrf")):
            raise TokenRefused(reason="form")

    # -- confirm (second opt-in) --------------------------------------------------------------
    def confirm_purpose(token: str) -> tuple[str, str]:
        """(purpose, member id) of a confirm or resubscribe link, unused; TokenRefused otherwise."""
        for purpose in ("confirm", "resubscribe"):
            try:
                return purpose, site.tokens.verify(purpose, token, consume=False)
            except TokenRefused as exc:
                if exc.reason != "forged":
                    raise
        raise TokenRefused(reason="forged")

    async def confirm(request: Request) -> Response:
        token = request.query_params.get("t", "")
        purpose, member_id = await run_in_threadpool(confirm_purpose, token)
        if request.method == "GET":
            return site.page("confirm.html", token=token, csrf=site.tokens.form_token("confirm", member_id),
                             resubscribe=purpose == "resubscribe")
        check_form("confirm", member_id, await read_form(request))
        await run_in_threadpool(site.tokens.verify, purpose, token)  # single use: the second POST is refused
        was = "pending" if purpose == "confirm" else "unsubscribed"
        if not await run_in_threadpool(subscriptions.activate_member, site.engine, member_id, from_status=was):
            raise TokenRefused(reason="stale")
        preferences = site.tokens.issue("preferences", member_id)
        return RedirectResponse("/preferences?" + urlencode({"t": preferences, "welcome": "1"}), 303, headers=HEADERS)

    # -- preferences ------------------------------------------------------------------------------
    def preferences_context(token: str, member_id: str, chosen: Preferences, query: str) -> dict:
        found = site.areas.search(query)
        chosen_chome = [(code, name) for kind, code, name in chosen.areas if kind == "chome"]
        shown = chosen_chome + [item for item in found if item not in chosen_chome]
        return {"token": token, "csrf": site.tokens.form_token("preferences", member_id), "chosen": chosen,
                "categories": CATEGORIES, "languages": LANGUAGES, "cities": site.areas.cities,
                "stations": site.areas.stations, "chome": shown, "query": query, "found": len(found),
                "chosen_codes": {(kind, code) for kind, code, _ in chosen.areas},
                "station_items": site.areas.station_items,
                **{f"chosen_{kind}": {code for k, code, _ in chosen.areas if k == kind}
                   for kind in ("pref", "city", "station", "chome")},
                "unsubscribe": site.tokens.issue("unsubscribe", member_id)}

    def stopped_page() -> HTMLResponse:
        return site.message("配信は停止中です", "このアドレスへの配信は停止しています。再開するには、"
                            "再登録のページから確認のメールを受け取ってください。", 409, resubscribe=True)

    def preferences_member(token: str) -> str:
        """The member of a signed preferences token, or of the mail token a mail's link carries."""
        try:
            return site.tokens.verify("preferences", token)
        except TokenRefused:
            mail_member = None if "." in token else subscriptions.member_of_unsubscribe_token(site.engine, token)
            if mail_member is None:
                raise
            return mail_member

    def show_preferences(token: str, query: str, welcome: bool) -> HTMLResponse:
        """The page of a GET: token, member and choices read, page drawn."""
        member_id = preferences_member(token)
        found = subscriptions.read_member(site.engine, member_id)
        if found is None or found[0] != "active":
            return stopped_page()
        return site.page("preferences.html", welcome=welcome,
                         **preferences_context(token, member_id, found[1], query))

    def save_choices(token: str, form: dict) -> HTMLResponse:
        member_id = preferences_member(token)
        if subscriptions.member_status(site.engine, member_id) != "active":
            return stopped_page()
        check_form("preferences", member_id, form)
        language = first(form, "language")
        try:
            chosen = Preferences(tuple(c for c in form.get("category", []) if c), site.areas.resolve(form),
                                 language if language in LANGUAGES else "ja",
                                 first(form, "quiet_start") or None, first(form, "quiet_end") or None)
            subscriptions.save_preferences(site.engine, member_id, chosen, site.areas.directory)
        except DataError as exc:
            current = subscriptions.read_preferences(site.engine, member_id)
            return site.page("preferences.html", 400, error=exc.message,
                             **preferences_context(token, member_id, current, ""))
        saved = subscriptions.read_preferences(site.engine, member_id)
        return site.page("preferences.html", saved=True, **preferences_context(token, member_id, saved, ""))

    async def preferences(request: Request) -> Response:
        token = request.query_params.get("t", "")
        if request.method == "GET":
            # On the event loop, not the thread pool: a read of three indexed rows and a template take about a
            # millisecond, less than the hop to a thread and back costs (benchmarks/members.py measured both).
            return show_preferences(token, request.query_params.get("q", "")[:40],
                                    request.query_params.get("welcome") == "1")
        await run_in_threadpool(preferences_member, token)  # a forged token is refused before the body is read
        return await run_in_threadpool(save_choices, token, await read_form(request))

    # -- one-click unsubscribe (RFC 8058) ------------------------------------------------------------
    def unsubscribe_member_id(token: str) -> str:
        member_id = subscriptions.member_of_unsubscribe_token(site.engine, token)
        return member_id if member_id is not None else site.tokens.verify("unsubscribe", token)

    async def unsubscribe(request: Request) -> Response:
        token = request.query_params.get("t", "")
        member_id = await run_in_threadpool(unsubscribe_member_id, token)
        if request.method == "GET":
            status = await run_in_threadpool(subscriptions.member_status, site.engine, member_id)
            preferences = site.tokens.issue("preferences", member_id) if status == "active" else None
            return site.page("unsubscribe.html", token=token, preferences=preferences, stopped=status != "active")
        form = await read_form(request)
        if first(form, "List-Unsubscribe") != "One-Click":
            return site.message("配信停止の依頼を読めません", "配信停止のボタンから、もう一度お試しください。", 400)
        await run_in_threadpool(subscriptions.unsubscribe_member, site.engine, member_id)
        return site.message("配信を停止しました", "このアドレスへのメールの配信を停止しました。"
                            "もう一度受け取るには、再登録のページから確認のメールを受け取ってください。",
                            resubscribe=True)

    # -- re-subscribe: a fresh double opt-in ---------------------------------------------------------
    async def resubscribe(request: Request) -> Response:
        nonce = request.cookies.get(COOKIE, "")
        if request.method == "GET" or not nonce:
            nonce = nonce if len(nonce) == 32 else secrets.token_hex(16)
            answer = site.page("resubscribe.html", csrf=site.tokens.form_token("resubscribe", nonce))
            answer.set_cookie(COOKIE, nonce, httponly=True, samesite="strict", path="/resubscribe")
            return answer
        form = await read_form(request)
        check_form("resubscribe", nonce, form)
        address = first(form, "email")
        key = "mail:" + hashlib.sha256(address.lower().encode("utf-8")).hexdigest()  # no address in memory
        if not site.counters.hit(key, site.limits.mails_per_address):
            return site.too_many()
        found = await run_in_threadpool(subscriptions.member_of_address, site.engine, address)
        if found is not None and found[1] in ("unsubscribed", "pending"):
            member_id, status = found
            token = site.tokens.issue("resubscribe" if status == "unsubscribed" else "confirm", member_id)
            to = await run_in_threadpool(subscriptions.member_address, site.engine, member_id)
            try:
                await subscriptions.send_service_mail(site.relay, delivery.render_confirmation(to, token, site.options))
            except DeliveryError as exc:
                log.error("resubscribe: confirmation mail not sent (%s)", type(exc.__cause__ or exc).__name__)
                return site.message("メールを送れませんでした", "しばらくしてから、もう一度お試しください。", 503)
        # The same answer whether or not the address is registered: the page tells nobody who is a member.
        return site.message("確認のメールを送りました", "配信を停止したアドレス(または確認がまだのアドレス)であれば、"
                            "確認のメールが届きます。メールのリンクを開くと、配信が再開します。")

    async def health(request: Request) -> Response:
        return PlainTextResponse("ok")

    routes = [
        Route("/health", health, methods=["GET"]),
        Route("/confirm", guarded(confirm), methods=["GET", "POST"]),
        Route("/preferences", guarded(preferences), methods=["GET", "POST"]),
        Route("/unsubscribe", guarded(unsubscribe), methods=["GET", "POST"]),
        Route("/resubscribe", guarded(resubscribe), methods=["GET", "POST"]),
    ]

    async def not_found(request: Request, exc) -> Response:
        return site.message("ページがありません", "届いたメールのリンクから開いてください。", 404)

    return Starlette(routes=routes, exception_handlers={404: not_found, 405: not_found})


# -- running it -----------------------------------------------------------------------------------

def open_member_site(ws: Workspace, render: Callable[..., str], *, smtp: str | None = None,
                     limits: SiteLimits | None = None) -> MemberSite:
    """The member site of ``ws``: its database, member key (created on first use), relay, options and areas."""
    engine = store.connect(ws.database_url)
    tokens = member_tokens.install(member_key_file(ws), engine)
    tokens.forget_expired()  # used tokens past their expiry prove nothing any more
    return MemberSite(engine=engine, tokens=tokens, relay=delivery.relay_from_settings(ws.settings, smtp),
                      options=delivery.options_from_settings(ws.settings), areas=AreaChoices.from_area_set(
                          load_areas(ws)), render=render, limits=limits or SiteLimits())


def serve_members(workspace: Workspace | str | None, render: Callable[..., str], *, port: int = 8026,
                  host: str = "127.0.0.1", smtp: str | None = None, out: Callable[[str], None] = print) -> int:
    """Run the member site of ``workspace`` on ``host``:``port`` until SIGTERM or SIGINT; returns 0."""
    ws = workspace if isinstance(workspace, Workspace) else open_workspace(workspace)
    site = open_member_site(ws, render, smtp=smtp)
    # What start-up loaded (pandas, the area layers) stays for the process's life: keep it out of the
    # collector's scans, which would otherwise walk it again and again while requests come in.
    gc.collect()
    gc.freeze()
    if host in ("127.0.0.1", "localhost"):
        sock = listen_loopback(port)
    else:
        sock = listen_on(host, port)
    out(f"anshin members: 会員のページを http://{host}:{sock.getsockname()[1]} で受け付けています(Ctrl-C で停止)")
    try:
        run_server(build_member_app(site), sock, lifespan="off", grace_s=10)
    finally:
        site.engine.dispose()
        member_tokens.uninstall()
    return 0


def listen_on(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host``:``port`` (behind a reverse proxy that terminates TLS)."""
    try:
        sock = socket.create_server((host, int(port)), reuse_port=False)
    except OSError as exc:
        raise AnshinError(f"{host}:{port} で待ち受けられません: {exc.strerror}(--host と --port を確かめてください)") from None
    # As listen_loopback: accepted connections inherit it, so no reply waits for a delayed ACK (40 ms).
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock
