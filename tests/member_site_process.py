"""``anshin members serve`` in a subprocess on a loopback port, for the member-site tests (and issue 18's chain).

    with running_member_site(ws, smtp=relay.address) as site:
        httpx.get(site.url + "/health")

The links the site mails (``confirm_url``, ``unsubscribe_url``) point at the
site itself (``ANSHIN_CONFIRM_URL`` / ``ANSHIN_UNSUBSCRIBE_URL``). The
site's output is kept for assertions (no personal data may appear there).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from anshin_lab.app import catalog
from anshin_lab.app.workspace import copy_reference, open_workspace
from anshin_lab.storage import store

PROJECT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def site_workspace(built_ws, root: Path):
    """A workspace of its own (reference data, the built one's layers, an empty database): cheap, writable."""
    ws = open_workspace(root)
    root.mkdir(parents=True)
    copy_reference(ws, lambda message: None)
    ws.layers_file.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(built_ws.layers_file, ws.layers_file)
    store.connect(ws.database_url).dispose()
    catalog.load_areas(ws)  # fails here, not in the subprocess, when the layers are unusable
    return ws


class MemberSiteProcess:
    """``python -m anshin_lab members serve`` for ``ws`` on a free loopback port."""

    def __init__(self, ws, *, smtp: str, env=None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.args = [sys.executable, "-m", "anshin_lab", "members", "serve", "--workspace", str(ws.root),
                     "--port", str(self.port), "--smtp", smtp]
        self.env = {**os.environ, "PYTHONPATH": str(PROJECT), "ANSHIN_CONFIRM_URL": self.url + "/confirm",
                    "ANSHIN_UNSUBSCRIBE_URL": self.url + "/unsubscribe", **(env or {})}
        self.process: subprocess.Popen | None = None

    def start(self, timeout_s: float = 60.0) -> "MemberSiteProcess":
        self.process = subprocess.Popen(self.args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                        env=self.env, cwd=str(PROJECT))
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"anshin members serve ended: {self.process.stdout.read()[-2000:]}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(self.url + "/health", timeout=1).status_code == 200:
                    return self
            time.sleep(0.1)
        self.stop()
        raise AssertionError("anshin members serve did not answer /health in time")

    def stop(self) -> tuple[int, str]:
        """SIGTERM, then wait: (exit status, everything it printed)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        return self.process.returncode, self.process.stdout.read()


@contextlib.contextmanager
def running_member_site(ws, *, smtp: str, env=None):
    """A started :class:`MemberSiteProcess`, stopped at the end."""
    site = MemberSiteProcess(ws, smtp=smtp, env=env).start()
    try:
        yield site
    finally:
        site.stop()
