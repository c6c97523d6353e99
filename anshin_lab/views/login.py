"""Logging in from a notebook: a password widget and the session it opens, for this kernel only.

The notebooks take workflow steps through ``anshin service`` (``ServiceClient``),
as the person logged in here. The password is typed into an ipywidgets
``Password`` box, handed to the service once and cleared; it is never read
from an environment variable, so a Jupyter server started with one set does not
hand it to every kernel. The session token the service returns lives in this
kernel's memory (:func:`kernel_session`): another kernel, notebook or person
has to log in for themselves.

A session ends when the service's session ends (``expires_at``, twelve hours
after login), after ``idle_timeout_s`` without a step taken here (30
minutes), at :meth:`KernelSession.end` (the 「ログアウト」 button) or when the
kernel stops. A scheduled run or a test (papermill) passes a session someone
already opened, as ``session=`` or in ``ANSHIN_SESSION``: a token, never a
password.

Example (in a notebook)::

    session = login.kernel_session(workspace)
    login.LoginWidget(session)          # shows the login form (or who is logged in)
    client = session.client()           # a logged-in ServiceClient, or None
"""

from __future__ import annotations

import atexit
import html
import os
import time
from pathlib import Path
from typing import Callable

import ipywidgets as widgets
import pandas as pd
from IPython.display import display

from anshin_lab.app.client import ServiceClient, ServiceUnavailable
from anshin_lab.app.workspace import Workspace, open_workspace
from anshin_lab.core.clock import TOKYO_NAME
from anshin_lab.core.errors import AnshinError, PermissionDenied
from anshin_lab.workflow.rules import Role

__all__ = ["IDLE_TIMEOUT_S", "SESSION_VARIABLE", "KernelSession", "LoginWidget", "kernel_session", "who_text"]

# A session someone already opened (the command that started a report, a test): a token, never a password.
SESSION_VARIABLE = "ANSHIN_SESSION"
IDLE_TIMEOUT_S = 30 * 60
SESSIONS: dict[Path, "KernelSession"] = {}  # this kernel's sessions, one per workspace


def not_running_message(ws: Workspace) -> str:
    """What to do when the service is not there, as one line."""
    return (f"anshin service が起動していないためログインできません。端末で「anshin service --workspace {ws.root}」を"
            "起動してから、もう一度「ログイン」を押してください")


def who_text(identity: dict) -> str:
    """「佐藤(署長)」 from a ``whoami`` / ``login`` answer."""
    role = Role(identity["role"]).label
    name = identity.get("display_name") or identity["username"]
    return f"{name}({role})"


class KernelSession:
    """The login of this kernel to one workspace's ``anshin service``.

    :meth:`client` is the way to the service: a logged-in ``ServiceClient``
    while the session is valid, else None with :attr:`message` saying why
    (never logged in, expired, idle, logged out). Listeners registered with
    :meth:`on_change` hear every login and logout.
    """

    def __init__(self, workspace: Workspace | str | Path | None = None, *, idle_timeout_s: float = IDLE_TIMEOUT_S,
                 clock: Callable[[], float] = time.monotonic):
        self.ws = workspace if isinstance(workspace, Workspace) else open_workspace(workspace)
        self.idle_timeout_s = float(idle_timeout_s)
        self.clock = clock
        self.current: ServiceClient | None = None
        self.identity: dict | None = None  # {username, display_name, role, expires_at}
        self.resumed = False  # the token came from someone else (they end it, not us)
        self.last_used = 0.0
        self.message = "ログインしていません"
        self.listeners: list[Callable[["KernelSession"], None]] = []

    # -- opening and closing --------------------------------------------------------------------

    def login(self, username: str, password: str) -> dict:
        """Log in to the service; the identity (``who_text`` shows it). Raises ``AnshinError`` with the reason."""
        username = (username or "").strip()
        if not username or not password:
            raise PermissionDenied("ユーザー名とパスワードを入力してください")
        client = ServiceClient.for_workspace(self.ws)
        try:
            answer = client.login(username, password)
        except ServiceUnavailable:
            client.http.close()
            raise ServiceUnavailable(not_running_message(self.ws)) from None
        except AnshinError:
            client.http.close()
            raise
        self.start(client, answer, resumed=False)
        return self.identity

    def resume(self, token: str) -> dict:
        """Continue a session another process opened (``session=`` or ``ANSHIN_SESSION``); the identity."""
        client = ServiceClient.for_workspace(self.ws)
        try:
            answer = client.use_token(token)
        except ServiceUnavailable:
            client.http.close()
            raise ServiceUnavailable(not_running_message(self.ws)) from None
        except AnshinError:
            client.token = None
            client.http.close()
            raise
        self.start(client, answer, resumed=True)
        return self.identity

    def start(self, client: ServiceClient, answer: dict, *, resumed: bool) -> None:
        if self.current is not None:
            self.end()
        self.current, self.resumed = client, resumed
        self.identity = {key: answer.get(key) for key in ("username", "display_name", "role", "expires_at")}
        self.last_used = self.clock()
        self.message = ""
        self.notify()

    def end(self, why: str = "ログアウトしました") -> None:
        """End the session: logged out at the service (unless it was resumed), forgotten here."""
        client, self.current, self.identity = self.current, None, None
        self.message = why
        if client is not None:
            if self.resumed:
                client.token = None  # the session's owner ends it
            client.close()
            self.notify()

    # -- using it -----------------------------------------------------------------------------------

    @property
    def logged_in(self) -> bool:
        return self.client(touch=False) is not None

    def client(self, *, touch: bool = True) -> ServiceClient | None:
        """The logged-in client, or None (``message`` says why); ``touch`` counts as activity for the idle timeout."""
        if self.current is None:
            return None
        expires = self.expires_at
        if expires is not None and pd.Timestamp.now(tz="UTC") >= expires:
            self.end("ログインの有効期限が切れました。もう一度ログインしてください")
            return None
        if self.clock() - self.last_used > self.idle_timeout_s:
            self.end(f"{int(self.idle_timeout_s // 60)}分間操作がなかったためログアウトしました。もう一度ログインしてください")
            return None
        if touch:
            self.last_used = self.clock()
        return self.current

    @property
    def expires_at(self) -> pd.Timestamp | None:
        value = (self.identity or {}).get("expires_at")
        if not value:
            return None
        stamp = pd.Timestamp(value)
        return stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp

    @property
    def role(self) -> Role | None:
        return Role(self.identity["role"]) if self.identity else None

    def verify(self) -> bool:
        """Ask the service whether the session still holds (after a refused step); ends it here when not."""
        client = self.client(touch=False)
        if client is None:
            return False
        try:
            self.identity.update(client.whoami())
        except ServiceUnavailable:
            return True  # the service is away: the session may still hold when it is back
        except PermissionDenied:
            self.end("ログインの期限が切れたか、ログアウトされています。もう一度ログインしてください")
            return False
        return True

    def on_change(self, listener: Callable[["KernelSession"], None]) -> None:
        if listener not in self.listeners:
            self.listeners.append(listener)

    def notify(self) -> None:
        for listener in list(self.listeners):
            listener(self)

    def status_text(self) -> str:
        """One line: who is logged in until when, or why nobody is."""
        if not self.logged_in:
            return self.message
        until = self.expires_at.tz_convert(TOKYO_NAME).strftime("%m月%d日 %H:%M") if self.expires_at is not None else "—"
        return f"ログイン中: {who_text(self.identity)}(有効期限 {until}、{int(self.idle_timeout_s // 60)}分間操作がないとログアウト)"


def kernel_session(workspace: Workspace | str | Path | None = None, *, token: str | None = None,
                   idle_timeout_s: float | None = None) -> KernelSession:
    """This kernel's session for ``workspace`` (one per workspace per kernel).

    With ``token`` the session continues that one (a scheduled run, a test);
    ``ANSHIN_SESSION`` in the environment does so for a session not logged in
    yet. A token the service refuses leaves the session logged out, with the
    reason in ``message``.
    """
    ws = workspace if isinstance(workspace, Workspace) else open_workspace(workspace)
    session = SESSIONS.get(ws.root)
    if session is None:
        if not SESSIONS:
            atexit.register(end_sessions)  # when the kernel stops, its own logins end at the service too
        session = SESSIONS[ws.root] = KernelSession(ws)
    if idle_timeout_s is not None:
        session.idle_timeout_s = float(idle_timeout_s)
    given = token
    token = token or os.environ.get(SESSION_VARIABLE)
    held = session.current.token if session.current is not None else None
    if token and (not session.logged_in or (given and given != held)):
        try:
            session.resume(token)
        except AnshinError as exc:
            session.message = f"渡されたセッションでは続けられません: {exc}"
    return session


def end_sessions() -> None:
    """When the kernel stops, its own logins end at the service too (resumed ones stay their owner's)."""
    for session in list(SESSIONS.values()):
        try:
            session.end("カーネルが終了しました")
        except AnshinError:
            pass  # the service is gone: its sessions expire there on their own


class LoginWidget:
    """The login form of a :class:`KernelSession`: user name, password, 「ログイン」; 「ログアウト」 once logged in.

    Driven headless in the tests by setting ``username.value`` / ``password.value``
    and calling ``login_button.click()``. The password box is emptied after
    every attempt.
    """

    def __init__(self, session: KernelSession, *, intro: str = ""):
        self.session = session
        self.intro = intro
        self.username = widgets.Text(description="ユーザー名", placeholder="例: sato")
        self.password = widgets.Password(description="パスワード")
        self.login_button = widgets.Button(description="ログイン", button_style="primary", icon="sign-in")
        self.logout_button = widgets.Button(description="ログアウト", icon="sign-out")
        self.status = widgets.HTML()
        self.form = widgets.VBox([widgets.HBox([self.username, self.password, self.login_button])])
        self.logged = widgets.HBox([self.logout_button])
        self.box = widgets.VBox([self.status], layout=widgets.Layout(border="1px solid #bbb", padding="6px"))
        self.login_button.on_click(lambda button: self.submit())
        self.logout_button.on_click(lambda button: self.session.end())
        session.on_change(lambda s: self.redraw())
        self.error = ""
        self.redraw(check_service=True)

    def submit(self) -> bool:
        """Log in with what was typed; True when logged in. The password box is emptied either way."""
        username, password = self.username.value, self.password.value
        self.password.value = ""
        try:
            self.session.login(username, password)
        except AnshinError as exc:
            self.error = str(exc)
            self.redraw()
            return False
        self.error = ""
        self.redraw()
        return True

    def redraw(self, *, check_service: bool = False) -> None:
        if self.session.logged_in:
            self.status.value = f"<b>{html.escape(self.session.status_text())}</b>"
            self.box.children = [self.status, self.logged]
            return
        lines = [self.intro] if self.intro else []
        if self.error:
            lines.append(f"<b style='color:#b00'>{html.escape(self.error)}</b>")
        elif check_service and not self.service_answers():
            lines.append(f"<b style='color:#b00'>{html.escape(not_running_message(self.session.ws))}</b>")
        else:
            lines.append(html.escape(self.session.message))
        self.status.value = "<br>".join(lines)
        self.box.children = [self.status, self.form]

    def service_answers(self) -> bool:
        client = ServiceClient.for_workspace(self.session.ws, timeout_s=5.0)
        try:
            return client.ping()
        except AnshinError:
            return False
        finally:
            client.http.close()

    def widget(self) -> widgets.Widget:
        return self.box

    def _ipython_display_(self):
        display(self.box)
