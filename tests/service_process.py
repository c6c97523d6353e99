"""A real ``anshin service`` in a subprocess, on a temporary workspace's Unix socket (or loopback port).

The test session's service key (``conftest.service_authority``) is copied
into the workspace (``Workspace.key_file``, 0600), so the accounts a test made
in-process (``staff.add_staff``) are valid for the service, which loads that
key as ``anshin service`` always does. The service's stdout and stderr are
kept for the assertions (nothing personal may appear there).
"""

from __future__ import annotations

import contextlib
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from anshin_lab.app.client import ServiceClient

from .staff import KEY_VARIABLE

PROJECT = Path(__file__).resolve().parents[1]
READY = "受け付けています"


def give_service_key(ws) -> Path:
    """Put the test session's key where ``anshin service`` looks for it (the workspace's key file, 0600).

    It replaces a key ``anshin init`` made there: what the test wrote in-process was signed with the session's.
    """
    target = ws.key_file
    target.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(target.parent, 0o700)
    target.unlink(missing_ok=True)
    shutil.copyfile(os.environ[KEY_VARIABLE], target)
    os.chmod(target, 0o600)
    return target


class ServiceProcess:
    """``python -m anshin_lab service`` for ``ws``; :meth:`start` waits for its one line, :meth:`stop` sends SIGTERM."""

    def __init__(self, ws, *, smtp: str | None = None, port: int | None = None, extra_args=(), env=None):
        self.ws = ws
        self.args = [sys.executable, "-m", "anshin_lab", "service", "--workspace", str(ws.root), *extra_args]
        if smtp:
            self.args += ["--smtp", smtp]
        if port is not None:
            self.args += ["--port", str(port)]
        self.env = {**os.environ, "PYTHONPATH": str(PROJECT), **(env or {})}
        self.process: subprocess.Popen | None = None
        self.lines: queue.Queue = queue.Queue()
        self.stdout: list[str] = []
        self.stderr: list[str] = []
        self.ready_line = ""

    def start(self, timeout_s: float = 90.0) -> "ServiceProcess":
        give_service_key(self.ws)
        self.process = subprocess.Popen(self.args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                        env=self.env, cwd=str(PROJECT))
        threading.Thread(target=self._drain, args=(self.process.stdout, self.stdout, True), daemon=True).start()
        threading.Thread(target=self._drain, args=(self.process.stderr, self.stderr, False), daemon=True).start()
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.2)
            except queue.Empty:
                if self.process.poll() is not None:
                    break
                continue
            if READY in line:
                self.ready_line = line
                return self
        self.kill()
        raise AssertionError(f"anshin service did not start: rc={self.process.returncode} "
                             f"stdout={''.join(self.stdout)!r} stderr={''.join(self.stderr)[-2000:]!r}")

    def _drain(self, stream, sink: list, announce: bool) -> None:
        for line in stream:
            sink.append(line)
            if announce:
                self.lines.put(line)

    @property
    def url(self) -> str:
        """``http://127.0.0.1:P`` of a service started with ``port``."""
        return self.ready_line.split("http://", 1)[1].split()[0].split("(")[0].rstrip(")")

    def client(self) -> ServiceClient:
        """A new (logged-out) client of this service."""
        if "--port" in self.args:
            return ServiceClient(url="http://" + self.url)
        return ServiceClient.for_workspace(self.ws)

    def logged_in(self, username: str, password: str) -> ServiceClient:
        client = self.client()
        client.login(username, password)
        return client

    def stop(self, timeout_s: float = 60.0) -> int:
        """SIGTERM, then wait; the exit status (0 when it stopped cleanly)."""
        if self.process is None or self.process.poll() is not None:
            return self.process.returncode if self.process else 0
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout_s)
        except subprocess.TimeoutExpired:
            self.kill()
            raise AssertionError("anshin service did not stop within the timeout after SIGTERM") from None

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)

    def output(self) -> str:
        return "".join(self.stdout) + "".join(self.stderr)


@contextlib.contextmanager
def running_service(ws, **kwargs):
    """A started :class:`ServiceProcess` for ``ws``, stopped (SIGTERM) at the end."""
    service = ServiceProcess(ws, **kwargs).start()
    try:
        yield service
    finally:
        try:
            service.stop()
        finally:
            service.kill()
