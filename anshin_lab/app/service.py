"""``anshin service``: the one process that holds the key and the SMTP settings, behind a small JSON API.

Approvals, consent records and sending are signed with the workspace's key
(``workflow.authority``); only this process loads it, so a notebook or a
command reaches them only through here, logged in. The API (POST for writes,
every call but ``/login`` and ``/health`` with ``Authorization: Bearer
<token>``):

- ``POST /login`` ``{username, password}`` → ``{token, username, role, expires_at}``;
  ``POST /logout``; ``GET /whoami``;
- ``POST /alerts`` (a new draft; ``supersede`` replaces the incident's
  alert in play) and ``POST /alerts/{id}/{step}`` for the steps of
  ``service_steps.STEPS`` (submit, edit, approve, consult, urgent, late,
  reject, withdraw, send-back, override, consent, prepare, close) and
  ``followup`` (a new follow-up of a sent alert);
- ``POST /incidents/{id}/decide`` records that an incident is not to be mailed;
- ``POST /send/{id}`` starts a send in the background, ``GET /send/{id}`` its
  status, ``POST /send/{id}/stop`` stops it, ``POST /send/{id}/preview`` the dry run;
- ``POST /users`` (admin), ``POST /users/{name}/designate`` / ``revoke``,
  ``POST /users/{name}/affiliation`` (admin: the 所属);
- ``POST /audit/access``: a view or export of personal data, audited for the user (``app.access_audit``).

The token maps to the user ``authenticate`` returned, in this process's
memory; nothing the client sends says who acts. An ``AnshinError`` answers
``{"error": ClassName, "message": …}`` with a 4xx status (``ServiceClient``
raises the same class). Nothing a request carries is logged: no access log,
and an unexpected error is logged by class and place only.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import signal
import socket
import stat
import threading
from pathlib import Path
from typing import Callable

import sqlalchemy as sa
import uvicorn
from sqlalchemy.exc import SQLAlchemyError
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from anshin_lab import delivery
from anshin_lab.app.access_audit import record_access_request
from anshin_lab.app.send_jobs import SendJobs
from anshin_lab.app.references import station_names
from anshin_lab.app.service_steps import Body, add_account, create_draft, decide_incident, set_affiliation, take_step
from anshin_lab.app.workspace import Workspace, open_workspace
from anshin_lab.core.clock import stored_utc
from anshin_lab.core.errors import (
    AnshinError,
    ConfigError,
    DataError,
    DeliveryError,
    ParameterError,
    PermissionDenied,
    StoreError,
    WorkflowError,
)
from anshin_lab.storage import store
from anshin_lab.storage.schema import sessions as session_rows
from anshin_lab.workflow import authority, users

log = logging.getLogger("anshin.service")
MAX_BODY_BYTES = 1 << 20  # a draft is a few kilobytes; anything near this is not one
NOT_LOGGED_IN = "ログインしていないか、ログインの期限が切れています(もう一度ログインしてください)"
# The status an error answers with (the first class that matches); 401 for login and token failures.
STATUSES = [(PermissionDenied, 403), (WorkflowError, 409), (DeliveryError, 409), (StoreError, 503),
            (ParameterError, 400), (DataError, 400), (ConfigError, 400), (AnshinError, 400)]


class NotLoggedIn(PermissionDenied):
    """A request without a valid session token (answered 401 as ``PermissionDenied``)."""


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class Sessions:
    """Session token → the user ``authenticate`` returned for it, kept in this process (keyed by the token's hash).

    A token this process did not hand out (the service was restarted) is
    looked up once with ``users.session_user``, which checks the service's
    signature on it; every step checks the session again (``current_role``).
    """

    def __init__(self, engine: sa.Engine):
        self.engine = engine
        self.users: dict[str, users.User] = {}
        self.lock = threading.Lock()

    def open(self, user: users.User) -> str:
        with self.lock:
            self.users[token_digest(user.session)] = user
        return user.session

    def user(self, request: Request) -> users.User:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            raise NotLoggedIn(NOT_LOGGED_IN)
        with self.lock:
            user = self.users.get(token_digest(token))
        if user is None:
            try:
                user = users.session_user(self.engine, token)
            except PermissionDenied:
                raise NotLoggedIn(NOT_LOGGED_IN) from None
            with self.lock:
                self.users[token_digest(token)] = user
        return user

    def close(self, user: users.User) -> None:
        with self.lock:
            self.users.pop(token_digest(user.session), None)


def expires_at(engine: sa.Engine, user: users.User) -> str | None:
    """When the session ends (ISO 8601), as the sessions table records it (the row is keyed by the secret's hash)."""
    secret = str(user.session).partition(".")[0]
    with engine.connect() as conn:
        value = conn.execute(sa.select(session_rows.c.expires_at).where(
            session_rows.c.session_id == token_digest(secret))).scalar()
    return None if value is None else stored_utc(value).isoformat()


def error_response(exc: AnshinError, status: int | None = None) -> JSONResponse:
    name = "PermissionDenied" if isinstance(exc, NotLoggedIn) else type(exc).__name__
    status = status or next(code for kind, code in STATUSES if isinstance(exc, kind))
    return JSONResponse({"error": name, "message": " ".join(str(exc).split())}, status_code=status)


def build_app(engine: sa.Engine, relay, options, *, stations=None) -> Starlette:
    """The Starlette app of the service for ``engine``, sending through ``relay`` with ``options``.

    ``stations``: the station table's names, which a station 所属 must be one of (None: not checked).
    """
    sessions = Sessions(engine)
    jobs = SendJobs(engine, relay, options)

    def route(path: str, handler: Callable, *, method: str = "POST", auth: bool = True, optional_auth=False,
              status: int = 200) -> Route:
        async def endpoint(request: Request):
            try:
                user = None
                if auth or (optional_auth and "authorization" in request.headers):
                    user = sessions.user(request)
                body = await read_body(request) if method == "POST" else Body({})
                answer = await run_in_threadpool(handler, request, user, body)
                return JSONResponse(answer, status_code=status)
            except NotLoggedIn as exc:
                return error_response(exc, 401)
            except AnshinError as exc:
                return error_response(exc, 401 if path == "/login" else None)
            except SQLAlchemyError as exc:
                log.error("%s %s: database error %s", method, path, type(exc).__name__)
                return error_response(StoreError("データベースに書き込めませんでした(しばらくしてからもう一度実行してください)"))
            except Exception as exc:  # noqa: BLE001 -- answer one line; log no request data
                log.error("%s %s failed with %s", method, path, type(exc).__name__)
                return error_response(AnshinError("サービスで予期しないエラーが起きました"
                                                  "(anshin service を起動した端末の表示を確認してください)"), 500)
        return Route(path, endpoint, methods=[method])

    def login(request, user, body):
        user = users.authenticate(engine, body.text("username"), body.text("password"))
        token = sessions.open(user)
        return {"token": token, "username": user.username, "role": user.role.value,
                "display_name": user.display_name, "expires_at": expires_at(engine, user)}

    def logout(request, user, body):
        sessions.close(user)
        users.logout(engine, user)
        return {"ok": True}

    def whoami(request, user, body):
        with engine.connect() as conn:
            role = users.current_role(conn, user)
        return {"username": user.username, "display_name": user.display_name, "role": role.value,
                "expires_at": expires_at(engine, user)}

    def step(request, user, body):
        return take_step(engine, user, alert_id(request), request.path_params["step"], body)

    def start_send(request, user, body):
        return jobs.start(user, alert_id(request), connections=positive(body.number("connections"))).status()

    def preview(request, user, body):
        return {"lines": delivery.preview_alert(engine, user, alert_id(request), options).lines()}

    def designate(request, user, body):
        users.designate_operator(engine, user, request.path_params["username"])
        return {"ok": True}

    def revoke(request, user, body):
        users.revoke_operator(engine, user, request.path_params["username"])
        return {"ok": True}

    def affiliation(request, user, body):
        return set_affiliation(engine, user, request.path_params["username"], body, stations)

    def decide(request, user, body):
        return decide_incident(engine, user, request.path_params["incident_id"], body)

    routes = [
        route("/health", lambda request, user, body: {"ok": True}, method="GET", auth=False),
        route("/login", login, auth=False),
        route("/logout", logout),
        route("/whoami", whoami, method="GET"),
        route("/alerts", lambda request, user, body: create_draft(engine, user, body), status=201),
        route("/alerts/{alert_id:int}/{step}", step),
        route("/send/{alert_id:int}", start_send, status=202),
        route("/send/{alert_id:int}", lambda request, user, body: jobs.status(alert_id(request)), method="GET"),
        route("/send/{alert_id:int}/stop", lambda request, user, body: jobs.stop(user, alert_id(request))),
        route("/send/{alert_id:int}/preview", preview),
        route("/incidents/{incident_id}/decide", decide),
        route("/users", lambda request, user, body: add_account(engine, user, body, stations), auth=False,
              optional_auth=True, status=201),
        route("/users/{username}/designate", designate),
        route("/users/{username}/revoke", revoke),
        route("/users/{username}/affiliation", affiliation),
        route("/audit/access", lambda request, user, body: record_access_request(engine, user, body), status=201),
    ]

    @contextlib.asynccontextmanager
    async def lifespan(app):
        yield
        await run_in_threadpool(jobs.stop_all)  # a stopped service leaves no send half-recorded

    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.jobs = jobs
    app.state.sessions = sessions
    return app


async def read_body(request: Request) -> Body:
    """The request's JSON object (``{}`` for an empty body); ``ParameterError`` when too long or not JSON."""
    too_long = ParameterError(f"リクエストが大きすぎます({MAX_BODY_BYTES:,}バイトまで)")
    declared = request.headers.get("content-length", "0")
    if not declared.isdigit() or int(declared) > MAX_BODY_BYTES:
        raise too_long
    raw = bytearray()
    async for chunk in request.stream():  # read no further than the limit, whatever the header said
        raw += chunk
        if len(raw) > MAX_BODY_BYTES:
            raise too_long
    if not raw.strip():
        return Body({})
    try:
        return Body(json.loads(bytes(raw)))
    except (ValueError, UnicodeDecodeError):
        raise ParameterError("リクエストの本文が JSON ではありません") from None


def alert_id(request: Request) -> int:
    return int(request.path_params["alert_id"])


def positive(value: int | None) -> int | None:
    if value is not None and value < 1:
        raise ParameterError("connections は1以上にしてください")
    return value


# -- running it ---------------------------------------------------------------------------------

def listen_unix(path: Path) -> socket.socket:
    """A listening Unix socket at ``path``, readable and writable by this OS user only (0600, folder 0700).

    A socket file left by a service that died is replaced; one a running
    service answers on is a ``ConfigError``.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(path.parent, 0o700)
    if path.exists() or path.is_symlink():
        if not stat.S_ISSOCK(path.lstat().st_mode):
            raise ConfigError(f"{path} はソケットではありません(別のファイルです。場所を --socket で変えてください)")
        probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            probe.connect(str(path))
            raise ConfigError(f"{path} では既に anshin service が動いています(そちらを使うか、止めてから起動してください)")
        except (ConnectionRefusedError, FileNotFoundError):
            path.unlink()  # left by a service that is gone
        finally:
            probe.close()
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    umask = os.umask(0o177)  # the socket is created 0600: no window in which others could connect
    try:
        sock.bind(str(path))
    except OSError as exc:
        sock.close()
        raise ConfigError(f"ソケット {path} を作れません: {exc.strerror}(--socket で短い場所を指定してください)") from None
    finally:
        os.umask(umask)
    os.chmod(path, 0o600)
    sock.listen(128)
    return sock


def listen_loopback(port: int) -> socket.socket:
    """A listening TCP socket on 127.0.0.1:``port`` (0: any free port)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(("127.0.0.1", int(port)))
    except OSError as exc:
        sock.close()
        raise ConfigError(f"127.0.0.1:{port} で待ち受けられません: {exc.strerror}(別の --port を指定してください)") from None
    # Accepted connections inherit this: a reply written in two segments would wait for the client's
    # delayed ACK (40 ms) otherwise (measured on the member site, issue 18).
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.listen(128)
    return sock


def run_server(app, sock: socket.socket, *, lifespan: str, grace_s: float) -> None:
    """Serve ``app`` with uvicorn on ``sock`` until SIGTERM or SIGINT; the socket is closed afterwards."""
    server = uvicorn.Server(uvicorn.Config(app, log_config=None, access_log=False, log_level="warning",
                                           lifespan=lifespan, timeout_graceful_shutdown=grace_s))
    # uvicorn re-raises the signal that stopped it once it has shut down: this handler receives it, so the
    # process ends with status 0 instead of being killed by the default action.
    previous = {sig: signal.signal(sig, lambda *_: None) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        server.run(sockets=[sock])
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        sock.close()


def serve(workspace: Workspace | str | Path | None = None, *, socket_path: str | Path | None = None,
          port: int | None = None, smtp: str | None = None, out: Callable[[str], None] = print) -> int:
    """Run the service of ``workspace`` until SIGTERM or SIGINT; returns 0 once stopped cleanly.

    Loads the workspace's key (the only process that does), the SMTP relay
    (``--smtp HOST:PORT`` or the settings) and the delivery options; listens
    on ``socket_path`` (default ``Workspace.service_socket``) or, with
    ``port``, on 127.0.0.1:``port``; says where in one line through ``out``.
    """
    ws = workspace if isinstance(workspace, Workspace) else open_workspace(workspace)
    authority.install(ws.authority())
    engine = store.connect(ws.database_url)
    relay = delivery.relay_from_settings(ws.settings, smtp)
    options = delivery.options_from_settings(ws.settings)
    try:
        stations = station_names(ws.reference_dir)
    except AnshinError:
        stations = None  # no station table in this workspace: a 所属 is checked by its form only
    unix = None if port is not None else Path(socket_path or ws.service_socket)
    sock = listen_unix(unix) if unix is not None else listen_loopback(port)
    where = f"ソケット {unix}" if unix is not None else f"http://127.0.0.1:{sock.getsockname()[1]}"
    out(f"anshin service: 作業領域 {ws.root} の承認・同意・発信を {where} で受け付けています(Ctrl-C で停止)")
    try:
        run_server(build_app(engine, relay, options, stations=stations), sock, lifespan="on", grace_s=30)
    finally:
        if unix is not None:
            with contextlib.suppress(FileNotFoundError):
                unix.unlink()
        engine.dispose()
        authority.uninstall()
    return 0
