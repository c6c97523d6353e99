"""Kernels for reports: one kept warm per workspace with the report's imports done, or a fresh one.

A fraud summary spends most of its time starting a kernel and importing
pandas, geopandas, sqlalchemy, matplotlib and folium in it (issue 20: 0.46 s
and about 1 s of CPU, several times that under load), not analysing.
``WarmKernel.lease`` hands a run an ipykernel that already did that, and
papermill runs the notebook on it through ``Lease.km`` (a jupyter_client
``KernelManager`` whose provisioner watches a process it did not start);
``fresh_kernel`` is the cold start, used when there is no warm kernel to use.

The warm kernel of a workspace lives in ``<workspace>/run/report-kernel/``
(0700): ``kernel.json`` (the connection file with its key, 0600) and
``kernel-N`` (its Unix sockets, no TCP), ``info.json`` (pid and fingerprint),
``lock`` (held while a report runs; its time is the last use) and
``kernel.log``. Any process of the workspace's owner may use it, one report
at a time:

- busy (another report holds the lock): ``lease`` returns None and the caller
  starts a fresh kernel; it never waits;
- dead (process gone), or started from other code or settings
  (``fingerprint``): it is stopped and a new one started;
- one that hangs, read the workspace's reference data before they changed
  (``data_fingerprint``; it keeps their tables) or dies under a report is
  stopped, and ``run_fraud_summary`` runs the report on a fresh kernel;
- unused for ``idle_s`` (20 minutes: longer than the 15 minutes between
  ``anshin schedule run`` calls) it exits by itself (``kernel_side``).

A kernel's environment never holds a password: ``HIDDEN_VARIABLES`` are
removed when it starts; a report's session (``ANSHIN_SESSION``) is added for
that report's run only and removed after it with everything else the report
left (``kernel_side.end_run``).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import fcntl
import hashlib
import json
import os
import queue
import signal
import subprocess
import sys
import time
from pathlib import Path

from jupyter_client import AsyncKernelClient, BlockingKernelClient, KernelManager
from jupyter_client.provisioning import KernelProvisionerBase
from traitlets import DottedObjectName, Integer

from anshin_lab import __version__
from anshin_lab.core.errors import AnshinError
from anshin_lab.core.files import write_atomic

__all__ = ["HIDDEN_VARIABLES", "IDLE_EXIT_S", "KernelUnavailable", "Lease", "ReportKernelClient", "ReportKernelManager",
           "WarmKernel", "data_fingerprint", "fingerprint", "fresh_kernel", "kernel_environment", "process_alive"]

KERNEL_FOLDER = "run/report-kernel"  # in the workspace, beside the service's socket
IDLE_EXIT_S = 20 * 60
START_TIMEOUT_S = 60.0  # a kernel's start and imports (papermill's default start timeout)
CALL_TIMEOUT_S = 20.0  # resetting the namespace between reports
# Never in a kernel's environment: passwords (the command logs in and passes a session instead),
# the session itself (added per report), and a parent kernel's watch (the warm kernel outlives its starter).
HIDDEN_VARIABLES = ("ANSHIN_PASSWORD", "ANSHIN_SMTP_PASSWORD", "ANSHIN_SESSION", "JPY_PARENT_PID",
                    "JPY_INTERRUPT_EVENT", "IPY_INTERRUPT_EVENT")
# How the kernel reaches kernel_side without leaving a name in the report's namespace.
_KERNEL_SIDE_CALL = '__import__("anshin_lab.views.reports.kernel_side", fromlist=["warm_up"])'
# IPython's history in memory, as nbclient starts its kernels (no writes to ~/.ipython, no lock shared with
# others), and no output cache (Out, _1, …: no report reads them), whose flush between reports runs a full
# garbage collection of everything the kernel imported.
KERNEL_ARGUMENTS = ["--HistoryManager.hist_file=:memory:", "--InteractiveShell.cache_size=0"]


class KernelUnavailable(AnshinError):
    """The warm kernel cannot take this report (it died, or did not answer in time): use a fresh one."""


def kernel_environment(extra: dict | None = None) -> dict:
    """This process's environment without ``HIDDEN_VARIABLES``, plus ``extra``: what a report kernel starts with."""
    env = {k: v for k, v in os.environ.items() if k not in HIDDEN_VARIABLES}
    env.update(extra or {})
    return env


def process_alive(pid: int) -> bool:
    """Whether ``pid`` runs (a child of ours that exited is reaped; a zombie counts as dead)."""
    if not pid or pid <= 0:
        return False
    try:
        if os.waitpid(pid, os.WNOHANG)[0]:
            return False  # our own child, and it has exited
    except ChildProcessError:
        pass  # not our child: ask the system
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return False  # another user's process: not a kernel of ours
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state not in ("Z", "X")


def _command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
    except OSError:
        return ""


def _signal_group(pid: int, signum: int) -> None:
    """Signal a kernel's process group (it leads its own session, as jupyter_client starts it)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signum)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.kill(pid, signum)


def stop_process(pid: int, grace_s: float = 2.0) -> None:
    """SIGTERM, then SIGKILL after ``grace_s``: a kernel is stopped whatever it was doing."""
    if not process_alive(pid):
        return
    _signal_group(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace_s
    while time.monotonic() < deadline:
        if not process_alive(pid):
            return
        time.sleep(0.05)
    _signal_group(pid, signal.SIGKILL)


def fingerprint(kernel_name: str, *, code: bool = True) -> str:
    """What a warm kernel's code depends on; a change means a new kernel (``Lease.begin`` checks the data).

    The Python and kernel used, the package's files (``code``: a new
    version or an edit) and the ``ANSHIN_*`` settings and ``PYTHONPATH``
    (without ``HIDDEN_VARIABLES``). Names, sizes and modification times,
    not contents: a few milliseconds.
    """
    digest = hashlib.sha256()
    digest.update(f"{sys.executable}\0{kernel_name}\0{__version__}\0".encode())
    _digest_files(digest, [Path(__file__).resolve().parents[2]] if code else [])
    for key in sorted(os.environ):
        if (key.startswith("ANSHIN_") or key == "PYTHONPATH") and key not in HIDDEN_VARIABLES:
            digest.update(f"{key}={os.environ[key]}\0".encode())
    return digest.hexdigest()


def data_fingerprint(watched) -> str:
    """The files under ``watched`` (a workspace's reference data, whose tables a kernel keeps once read)."""
    digest = hashlib.sha256()
    _digest_files(digest, [Path(w) for w in watched])
    return digest.hexdigest()


def _digest_files(digest, roots) -> None:
    for root in roots:
        paths = [root] if root.is_file() else sorted(p for p in root.rglob("*") if "__pycache__" not in p.parts)
        for path in paths:
            with contextlib.suppress(OSError):
                st = path.stat()
                digest.update(f"{path}\0{st.st_mtime_ns}\0{st.st_size}\0".encode())


class _ExistingKernel(KernelProvisionerBase):
    """A kernel process another process (or an earlier run) started: watched and stopped by its pid."""

    pid = Integer(0)

    @property
    def has_process(self) -> bool:
        return process_alive(self.pid)

    async def poll(self) -> int | None:
        return None if process_alive(self.pid) else 0

    async def wait(self) -> int | None:
        while process_alive(self.pid):
            await asyncio.sleep(0.1)
        return 0

    async def send_signal(self, signum: int) -> None:
        _signal_group(self.pid, signum)

    async def kill(self, restart: bool = False) -> None:
        _signal_group(self.pid, signal.SIGKILL)

    async def terminate(self, restart: bool = False) -> None:
        _signal_group(self.pid, signal.SIGTERM)

    async def launch_kernel(self, cmd: list[str], **kwargs):
        raise KernelUnavailable("起動済みのカーネルに接続しているため、新しく起動できません")

    async def cleanup(self, restart: bool = False) -> None:
        pass  # its files belong to the warm kernel's folder (WarmKernel removes them)


class ReportKernelClient(AsyncKernelClient):
    """nbclient's client of a report kernel: ready as soon as the kernel answers on both channels.

    jupyter_client's ``wait_for_ready`` then waits for 0.2 s of silence on
    IOPub on every connection; here the idle status of a ``kernel_info``
    request, the last message it causes, ends the wait: the kernel answers
    and IOPub (where the cells' outputs come) is connected.
    """

    async def wait_for_ready(self, timeout: float | None = None) -> None:
        deadline = time.monotonic() + (START_TIMEOUT_S if timeout is None else timeout)
        sent = set()
        while time.monotonic() < deadline:
            sent.add(self.kernel_info())
            until = min(deadline, time.monotonic() + 1.0)  # then ask again: IOPub may have missed that one
            while time.monotonic() < until:
                try:
                    msg = await self.iopub_channel.get_msg(timeout=max(0.01, until - time.monotonic()))
                except queue.Empty:
                    break
                if (msg["msg_type"] == "status" and msg["content"].get("execution_state") == "idle"
                        and msg["parent_header"].get("msg_id") in sent):
                    return
            provisioner = getattr(self.parent, "provisioner", None)
            if provisioner is not None and await provisioner.poll() is not None:
                raise RuntimeError("Kernel died before replying to kernel_info")
        raise RuntimeError(f"Kernel didn't respond in {timeout} seconds")


class ReportKernelManager(KernelManager):
    """A ``KernelManager`` whose clients are asynchronous (as nbclient needs) and closed after the report.

    nbclient leaves the client of a kernel manager it was given open (the
    manager is the caller's); ``close_clients`` stops their channels.
    """

    client_class = DottedObjectName("anshin_lab.views.reports.kernel.ReportKernelClient")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.clients = []

    def client(self, **kwargs):
        made = super().client(**kwargs)
        self.clients.append(made)
        return made

    def close_clients(self) -> None:
        while self.clients:
            self.clients.pop().stop_channels()

    @classmethod
    def attach(cls, connection_file: Path, pid: int) -> "ReportKernelManager":
        """A manager of the running kernel ``pid`` reached through ``connection_file``."""
        km = cls(connection_file=str(connection_file))
        km.load_connection_file()
        km.provisioner = _ExistingKernel(kernel_id=f"warm-{pid}", pid=pid, parent=km)
        return km


class _Launcher(KernelManager):
    """Starts the warm kernel and leaves its connection file: the file belongs to the kernel, which outlives us."""

    def cleanup_connection_file(self) -> None:
        pass  # jupyter_client removes it when the manager is collected; WarmKernel removes it with the kernel


@contextlib.contextmanager
def fresh_kernel(folder: Path, *, kernel_name: str = "python3", cwd=None, environ: dict | None = None):
    """A kernel started now for one report and stopped right after it (the cold start).

    It talks over Unix sockets in ``folder`` (a private temporary folder)
    rather than unencrypted loopback TCP, and starts with
    ``kernel_environment(environ)``.
    """
    km = ReportKernelManager(kernel_name=kernel_name, transport="ipc", ip=f"{folder}/kernel")
    km.start_kernel(extra_arguments=KERNEL_ARGUMENTS, env=kernel_environment(environ), cwd=str(cwd) if cwd else None)
    try:
        yield km
    finally:
        km.close_clients()
        with contextlib.suppress(RuntimeError, OSError):
            km.shutdown_kernel(now=True)


class WarmKernel:
    """The warm report kernel kept in ``directory`` (see the module's docstring for its rules and files)."""

    def __init__(self, directory, *, kernel_name: str = "python3", idle_s: float = IDLE_EXIT_S):
        self.directory = Path(directory).resolve()
        self.kernel_name = kernel_name
        self.idle_s = float(idle_s)

    @classmethod
    def for_root(cls, root, **kwargs) -> "WarmKernel":
        """The warm kernel of the workspace at ``root``: ``run/report-kernel`` there."""
        return cls(Path(root) / KERNEL_FOLDER, **kwargs)

    @classmethod
    def for_workspace(cls, ws, **kwargs) -> "WarmKernel":
        """The warm kernel of workspace ``ws`` (a ``Workspace``)."""
        return cls.for_root(ws.root, **kwargs)

    @property
    def connection_file(self) -> Path:
        return self.directory / "kernel.json"

    @property
    def info_file(self) -> Path:
        return self.directory / "info.json"

    @property
    def lock_file(self) -> Path:
        return self.directory / "lock"

    def info(self) -> dict | None:
        """``info.json`` of a kernel that is running, or None."""
        try:
            info = json.loads(self.info_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        pid = int(info.get("pid") or 0)
        if not process_alive(pid) or str(self.connection_file) not in _command_line(pid):
            return None  # gone, or the pid now belongs to another program
        return info

    def lease(self) -> "Lease | None":
        """The kernel for one report, started now (its imports under way) when needed; None when it is busy.

        Never waits for another report. Also None, after saying why on
        stderr, when the folder cannot be used or no kernel starts (the
        caller then starts a fresh kernel).
        """
        try:
            self.directory.parent.mkdir(mode=0o700, exist_ok=True)  # the workspace's run/, as anshin init makes it
            self.directory.mkdir(mode=0o700, exist_ok=True)
            os.chmod(self.directory, 0o700)
            fd = os.open(self.lock_file, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            print(f"注意: 待機中のカーネルを使えません({exc}): 新しいカーネルで実行します", file=sys.stderr)
            return None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return None  # another report is running on it
        try:
            wanted = fingerprint(self.kernel_name)
            info = self.info()
            if info is not None and info.get("fingerprint") == wanted:
                return Lease(self, fd, info)
            self._remove(info)
            return self._launch(fd, wanted)
        except (OSError, RuntimeError, AnshinError) as exc:
            print(f"注意: 待機中のカーネルを起動できません({exc}): 新しいカーネルで実行します", file=sys.stderr)
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)
            return None

    def prepare(self) -> bool:
        """Start the kernel if it is not running and wait for its imports, so the next report finds it warm.

        True when it is ready; False when it is busy (running anyway) or
        could not start. Using it also resets its idle time.
        """
        lease = self.lease()
        if lease is None:
            return False
        try:
            lease.begin(self.directory, {})
        except KernelUnavailable:
            lease.discard()
            return False
        lease.end()
        return not lease.discarded

    def stop(self) -> bool:
        """Stop the warm kernel (waiting for a report running on it); True when one was running."""
        if not self.directory.exists():
            return False
        fd = os.open(self.lock_file, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            info = self.info()
            self._remove(info)
            return info is not None
        finally:
            os.close(fd)

    def _remove(self, info: dict | None) -> None:
        """Stop the kernel of ``info`` (when it runs) and remove its files; the lock is held."""
        if info is not None:
            stop_process(int(info["pid"]))
        for path in (self.info_file, self.connection_file, *self.directory.glob("kernel-*")):
            path.unlink(missing_ok=True)

    def _launch(self, fd: int, wanted: str) -> "Lease":
        """Start the kernel in its own session (it outlives this process) and send it ``warm_up``."""
        km = _Launcher(kernel_name=self.kernel_name, transport="ipc", ip=str(self.directory / "kernel"),
                           connection_file=str(self.connection_file))
        log = os.open(self.directory / "kernel.log", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # this kernel's
        try:
            km.start_kernel(extra_arguments=KERNEL_ARGUMENTS, independent=True, env=kernel_environment(),
                            cwd=str(self.directory),
                            stdin=subprocess.DEVNULL, stdout=log, stderr=log)
        finally:
            os.close(log)
        pid = km.provisioner.pid
        info = {"pid": pid, "fingerprint": wanted, "kernel_name": self.kernel_name,
                "started_at": dt.datetime.now(dt.timezone.utc).isoformat()}
        write_atomic(self.info_file, json.dumps(info), mode=0o600)
        lease = Lease(self, fd, info, launched=True)
        lease.pending = lease.send(f"{_KERNEL_SIDE_CALL}.warm_up({str(self.directory)!r}, {self.idle_s!r})")
        return lease


class Lease:
    """One report's use of the warm kernel: ``begin``, papermill on ``km``, then ``end`` (or ``discard``).

    Holds the kernel's lock from ``WarmKernel.lease`` until ``end`` /
    ``discard``; ``launched`` says the kernel was started for this report
    (its imports are part of this report's time).
    """

    def __init__(self, kernel: WarmKernel, fd: int, info: dict, *, launched: bool = False):
        self.kernel, self.fd, self.info, self.launched = kernel, fd, info, launched
        self.pid = int(info["pid"])
        self.pending: str | None = None
        self.begun = self.closed = self.discarded = False
        self.client = BlockingKernelClient(connection_file=str(kernel.connection_file))
        self.client.load_connection_file()
        self.client.start_channels(shell=True, iopub=False, stdin=False, hb=False, control=False)
        self.km = ReportKernelManager.attach(kernel.connection_file, self.pid)

    def send(self, code: str) -> str:
        """Send ``code`` to run silently (no history, no outputs, no execution count); its message id."""
        return self.client.execute(code, silent=True, store_history=False)

    def wait(self, msg_id: str, timeout_s: float) -> None:
        """Wait for the reply to ``msg_id``; ``KernelUnavailable`` when it failed, never came or the kernel died."""
        deadline = time.monotonic() + timeout_s
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise KernelUnavailable(f"待機中のカーネルが{timeout_s:.0f}秒以内に応答しません")
            try:
                reply = self.client.get_shell_msg(timeout=min(left, 0.5))
            except queue.Empty:
                if not process_alive(self.pid):
                    raise KernelUnavailable("待機中のカーネルが終了しています") from None
                continue
            if reply.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            content = reply.get("content", {})
            if content.get("status") != "ok":
                raise KernelUnavailable(f"待機中のカーネルでエラー: {content.get('ename')}: {content.get('evalue')}")
            return

    def begin(self, cwd, environ: dict | None = None, *, watched=()) -> None:
        """Wait for the kernel's imports (when it was just started), then a clean namespace in ``cwd`` with ``environ``.

        ``watched`` are the workspace's reference data: a kernel that read
        them before they changed (it keeps their tables) is
        ``KernelUnavailable``, to be replaced.
        """
        self.begun = True
        if watched:
            data = data_fingerprint(watched)
            if self.info.get("data") is None:
                self.info["data"] = data
                write_atomic(self.kernel.info_file, json.dumps(self.info), mode=0o600)
            elif self.info["data"] != data:
                raise KernelUnavailable("参照データが変わったため、待機中のカーネルを入れ替えます")
        if self.pending is not None:
            self.wait(self.pending, START_TIMEOUT_S)
            self.pending = None
        self.wait(self.send(f"{_KERNEL_SIDE_CALL}.begin_run({str(cwd)!r}, {dict(environ or {})!r})"), CALL_TIMEOUT_S)

    def end(self) -> None:
        """Clear what the report left in the kernel and give the kernel back (stopped if it cannot be cleared)."""
        try:
            self.wait(self.send(f"{_KERNEL_SIDE_CALL}.end_run()"), CALL_TIMEOUT_S)
        except KernelUnavailable:
            self.discard()
            return
        self._release()

    def discard(self) -> None:
        """Stop this kernel (it died, hangs, or was interrupted under a report) and give the lock back."""
        if not self.closed:
            self.kernel._remove(self.info)
            self.discarded = True
        self._release()

    def release(self) -> None:
        """Give the kernel back: as it is when no report began on it, else stopped (``end`` was not reached)."""
        if self.begun:
            self.discard()
        else:
            self._release()

    def _release(self) -> None:
        if self.closed:
            return
        self.closed = True
        self.km.close_clients()
        self.client.stop_channels()
        with contextlib.suppress(OSError):
            os.utime(self.fd)  # the last use, which the kernel's idle exit reads
        fcntl.flock(self.fd, fcntl.LOCK_UN)
        os.close(self.fd)
