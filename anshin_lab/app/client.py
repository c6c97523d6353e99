"""The client of ``anshin service``: how the CLI and the notebooks take a workflow step or send.

A notebook kernel or a command holds no key, so it cannot approve, record
consent or send by itself (``workflow.authority``); it asks the service, over
the workspace's Unix socket (``Workspace.service_socket``) or loopback HTTP,
with the session token the service gave at :meth:`ServiceClient.login`.
An error the service raises comes back as the same ``AnshinError`` class with
the same one-line Japanese message.

Example (with ``anshin service`` running)::

    client = ServiceClient.for_workspace("data")
    client.login("sato", password)
    alert_id = client.create_alert(category="threat", subject=..., body=..., level="TOWN", public_text=...)
    client.submit(alert_id)
"""

from __future__ import annotations

import dataclasses
import os
import time
from pathlib import Path
from typing import Callable
from urllib.parse import quote

import httpx

from anshin_lab.app.workspace import Workspace, open_workspace
from anshin_lab.core import errors
from anshin_lab.core.errors import AnshinError, PermissionDenied

NOT_RUNNING = "anshin service が起動していません(別の端末で anshin service を起動してください)"
# The host name httpx puts in requests over a Unix socket (the socket decides where they go).
SOCKET_BASE_URL = "http://anshin-service"
RUNNING_STATES = ("running",)


class ServiceUnavailable(AnshinError):
    """The service is not running (or not answering) where the client looked for it."""


def error_class(name: str) -> type[AnshinError]:
    """The ``AnshinError`` subclass called ``name`` (``AnshinError`` for a name it does not know)."""
    found = getattr(errors, str(name), None) or {"ServiceUnavailable": ServiceUnavailable}.get(str(name))
    return found if isinstance(found, type) and issubclass(found, AnshinError) else AnshinError


class ServiceClient:
    """A connection to ``anshin service``: ``socket`` (a Unix socket path) or ``url`` (``http://127.0.0.1:P``).

    :meth:`login` keeps the session token for the following calls; the
    service maps it to the logged-in user (the client never says who it is).
    Use it as a context manager to log out and close at the end.
    """

    def __init__(self, socket: str | Path | None = None, url: str | None = None, *, token: str | None = None,
                 timeout_s: float = 60.0):
        if (socket is None) == (url is None):
            raise AnshinError("サービスへの接続先は socket か url のどちらか一方を指定してください")
        self.where = str(socket) if socket is not None else str(url)
        transport = httpx.HTTPTransport(uds=str(socket)) if socket is not None else None
        self.http = httpx.Client(transport=transport, base_url=SOCKET_BASE_URL if socket is not None else str(url),
                                 timeout=timeout_s, trust_env=False)
        self.token = token
        self.username: str | None = None

    @classmethod
    def for_workspace(cls, workspace: Workspace | str | Path | None = None, **kwargs) -> "ServiceClient":
        """The client of the service of ``workspace``: ``ANSHIN_SERVICE_URL`` when set, else its Unix socket.

        ``ANSHIN_SERVICE_URL`` (``http://127.0.0.1:P``) reaches a service run by
        another OS user with ``anshin service --port P``, whose socket others cannot open.
        """
        url = os.environ.get("ANSHIN_SERVICE_URL")
        if url:
            return cls(url=url, **kwargs)
        ws = workspace if isinstance(workspace, Workspace) else open_workspace(workspace)
        return cls(socket=ws.service_socket, **kwargs)

    # -- plumbing -----------------------------------------------------------------------------

    def request(self, method: str, path: str, payload: dict | None = None, *, auth: bool = True) -> dict:
        """One call; the service's error re-raised as its own class, ``ServiceUnavailable`` when it is not there."""
        headers = {}
        if auth:
            if not self.token:
                raise PermissionDenied("ログインしていません(先に login してください)")
            headers["Authorization"] = f"Bearer {self.token}"
        try:
            response = self.http.request(method, path, json=payload, headers=headers)
        except (httpx.ConnectError, FileNotFoundError, ConnectionRefusedError) as exc:
            raise ServiceUnavailable(NOT_RUNNING) from exc
        except httpx.TimeoutException as exc:
            raise ServiceUnavailable(f"anshin service({self.where})が応答しません(サービスの端末を確認してください)") from exc
        except httpx.HTTPError as exc:
            raise ServiceUnavailable(f"anshin service({self.where})との通信に失敗しました: {type(exc).__name__}") from exc
        try:
            answer = response.json()
        except ValueError:
            answer = {}
        if response.status_code >= 400 or "error" in answer:
            message = answer.get("message") or f"anshin service がエラー {response.status_code} を返しました"
            raise error_class(answer.get("error", ""))(message)
        return answer

    def ping(self) -> bool:
        """True when the service answers (``ServiceUnavailable`` otherwise); needs no login."""
        return bool(self.request("GET", "/health", auth=False).get("ok"))

    def close(self) -> None:
        """Log out (when logged in) and close the connection."""
        try:
            if self.token:
                self.logout()
        except AnshinError:
            pass  # the service is gone or the session already ended: nothing left to end
        finally:
            self.http.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- sessions -----------------------------------------------------------------------------

    def login(self, username: str, password: str) -> dict:
        """Log in; returns ``{token, username, role, expires_at}`` and keeps the token for later calls."""
        answer = self.request("POST", "/login", {"username": username, "password": password}, auth=False)
        self.token, self.username = answer["token"], answer["username"]
        return answer

    def login_from_environment(self) -> dict | None:
        """Log in as ``ANSHIN_USER`` with ``ANSHIN_PASSWORD``; None when ``ANSHIN_USER`` is not set."""
        username = os.environ.get("ANSHIN_USER")
        if not username:
            return None
        return self.login(username, os.environ.get("ANSHIN_PASSWORD", ""))

    def use_token(self, token: str) -> dict:
        """Continue a session another process opened (e.g. the CLI for a report's kernel); returns ``whoami``."""
        self.token = token
        answer = self.whoami()
        self.username = answer["username"]
        return answer

    def logout(self) -> None:
        try:
            self.request("POST", "/logout")
        finally:
            self.token = None

    def whoami(self) -> dict:
        """``{username, display_name, role, expires_at}`` of this session (the role as stored now)."""
        return self.request("GET", "/whoami")

    # -- drafts and steps ---------------------------------------------------------------------

    def create_alert(self, *, category: str, subject: str, body: str, level, public_text: str, assessed_level=None,
                     area_codes: dict | None = None, incident_ids=(), original_alert_id: int | None = None,
                     urgent: bool = False, report_key: str | None = None, supersede: int | None = None) -> int:
        """Store a new draft (analysts); returns its id. See ``workflow.alerts.create_alert``.

        An incident with an alert in play is refused (the error names it and its
        state) unless ``supersede`` is that alert's number: it is then withdrawn.
        """
        return int(self.create_alert_answer(
            category=category, subject=subject, body=body, level=level, public_text=public_text,
            assessed_level=assessed_level, area_codes=area_codes, incident_ids=incident_ids,
            original_alert_id=original_alert_id, urgent=urgent, report_key=report_key, supersede=supersede)["alert_id"])

    def create_alert_answer(self, *, level, assessed_level=None, incident_ids=(), **fields) -> dict:
        """Like :meth:`create_alert`, the whole answer: ``{alert_id, status, existing, created_by}``."""
        payload = {**fields, "level": _level_name(level), "incident_ids": [str(i) for i in incident_ids],
                   "assessed_level": None if assessed_level is None else _level_name(assessed_level)}
        return self.request("POST", "/alerts", payload)

    def step(self, alert_id: int, step: str, **fields) -> str:
        """Take ``step`` on the alert; returns its status afterwards."""
        return self.request("POST", f"/alerts/{int(alert_id)}/{step}", fields)["status"]

    def submit(self, alert_id: int) -> str:
        return self.step(alert_id, "submit")

    def edit(self, alert_id: int, *, subject: str | None = None, body: str | None = None) -> str:
        return self.step(alert_id, "edit", subject=subject, body=body)

    def approve(self, alert_id: int, *, comment: str = "", judgement=None) -> str:
        """The approval of the user's role (station judgement, consultation, HQ, urgent), as ``alerts.approve``."""
        if judgement is not None and dataclasses.is_dataclass(judgement):
            judgement = dataclasses.asdict(judgement)
        return self.step(alert_id, "approve", comment=comment, judgement=judgement)

    def consult(self, alert_id: int, opinion: str) -> str:
        return self.step(alert_id, "consult", opinion=opinion)

    def approve_urgent(self, alert_id: int, comment: str) -> str:
        return self.step(alert_id, "urgent", comment=comment)

    def approve_late(self, alert_id: int, comment: str) -> str:
        return self.step(alert_id, "late", comment=comment)

    def reject(self, alert_id: int, reason: str) -> str:
        return self.step(alert_id, "reject", reason=reason)

    def withdraw(self, alert_id: int, reason: str) -> str:
        return self.step(alert_id, "withdraw", reason=reason)

    def send_back(self, alert_id: int, reason: str) -> str:
        """差し戻し: back to its analyst as a draft, with a reason (署長・本部関係所属長・生活安全企画課長)."""
        return self.step(alert_id, "send-back", reason=reason)

    def followup(self, alert_id: int, *, outcome: str, note: str = "", supersede: int | None = None) -> dict:
        """Draft the follow-up of sent alert ``alert_id`` (analysts): ``{alert_id, status, outcome, findings}``."""
        return self.request("POST", f"/alerts/{int(alert_id)}/followup",
                            {"outcome": outcome, "note": note, "supersede": supersede})

    def decide_no_send(self, incident_id: str, reason: str) -> dict:
        """Record that an incident is not to be mailed (署長・生活安全企画課長), with the reason."""
        return self.request("POST", f"/incidents/{quote(str(incident_id), safe='')}/decide",
                            {"decision": "no_send", "reason": reason})

    def override(self, alert_id: int, *, what: str, reason: str) -> str:
        return self.step(alert_id, "override", what=what, reason=reason)

    def record_consent(self, alert_id: int, *, kind: str, given_at, method: str, scope: str,
                       anshin_mail_ticked: bool = False) -> str:
        stamp = given_at.isoformat() if hasattr(given_at, "isoformat") else str(given_at)
        return self.step(alert_id, "consent", kind=kind, given_at=stamp, method=method, scope=scope,
                         anshin_mail_ticked=bool(anshin_mail_ticked))

    def prepare(self, alert_id: int) -> str:
        return self.step(alert_id, "prepare")

    def close_alert(self, alert_id: int) -> str:
        return self.step(alert_id, "close")

    # -- sending ------------------------------------------------------------------------------

    def start_send(self, alert_id: int, *, connections: int | None = None) -> dict:
        """Start sending (designated operator); the service sends in the background. Returns the status."""
        return self.request("POST", f"/send/{int(alert_id)}", {"connections": connections})

    def send_status(self, alert_id: int) -> dict:
        """``{state, done, total, sent, deferred, failed, bounced, possible_duplicates, lines, …}``."""
        return self.request("GET", f"/send/{int(alert_id)}")

    def stop_send(self, alert_id: int) -> dict:
        """Ask the sender to stop (``delivery.control.request_stop``); returns the status."""
        return self.request("POST", f"/send/{int(alert_id)}/stop")

    def preview_send(self, alert_id: int) -> list[str]:
        """The dry run's lines: the recipients and the first message (nothing is written or sent)."""
        return list(self.request("POST", f"/send/{int(alert_id)}/preview")["lines"])

    def wait_send(self, alert_id: int, *, progress: Callable[[int, int], None] | None = None,
                  poll_s: float = 0.25, timeout_s: float | None = None) -> dict:
        """Poll the send until it is no longer running; ``progress(done, total)`` as it goes. Returns the status."""
        deadline = None if timeout_s is None else time.monotonic() + timeout_s
        while True:
            status = self.send_status(alert_id)
            if progress is not None and status.get("total"):
                progress(int(status["done"]), int(status["total"]))
            if status["state"] not in RUNNING_STATES:
                return status
            if deadline is not None and time.monotonic() > deadline:
                return status
            time.sleep(poll_s)

    # -- accounts -----------------------------------------------------------------------------

    def add_user(self, username: str, role: str, password: str, display_name: str | None = None, *,
                 affiliation: str | None = None) -> dict:
        """Create an account (admin; the very first admin needs no login), with its 所属."""
        return self.request("POST", "/users", {"username": username, "role": str(getattr(role, "value", role)),
                                                "password": password, "display_name": display_name,
                                                "affiliation": affiliation},
                            auth=bool(self.token))

    def set_affiliation(self, username: str, affiliation: str) -> dict:
        """Record an account's 所属 (admin)."""
        return self.request("POST", f"/users/{quote(username, safe='')}/affiliation", {"affiliation": affiliation})

    def designate_operator(self, username: str) -> dict:
        return self.request("POST", f"/users/{username}/designate")

    def revoke_operator(self, username: str) -> dict:
        return self.request("POST", f"/users/{username}/revoke")


def _level_name(level) -> str:
    return str(getattr(level, "name", level))
