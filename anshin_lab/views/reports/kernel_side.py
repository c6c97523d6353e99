"""Inside the warm report kernel: the report's imports done once, a clean namespace for each report, an idle exit.

``kernel.WarmKernel`` starts an ipykernel and runs ``warm_up`` in it; around
each report it runs ``begin_run`` and ``end_run``. The process that asks for a
report never imports this module (it would pull in everything listed in
``PRELOAD``); only the kernel does.

Between reports the kernel keeps its imported modules, matplotlib's fonts and
the caches of bundled data (lexicons, templates), and loses everything a
report left: its variables (IPython's ``reset``: the namespace, the history
and the execution count, so the next report's cells are numbered from 1 as
in a new kernel), open figures, environment variables (the session a report
was given), the working folder, ``sys.path`` and warning filters. What a
report could change inside an imported module is not undone: the notebooks
run here are the project's own.
"""

from __future__ import annotations

import fcntl
import importlib
import os
import sys
import threading
import time
import warnings
from pathlib import Path

from IPython import get_ipython

__all__ = ["PRELOAD", "begin_run", "end_run", "warm_up"]

# What the report notebook imports in its first cell, and what its cells load on first use
# (matplotlib for the charts, the map module for the choropleth): importing these is most of a
# new kernel's cost (about 1 s of CPU), paid here once.
PRELOAD = (
    "anshin_lab.app.fraud_reports",
    "anshin_lab.app.catalog",
    "anshin_lab.drafting.fraud_summary",
    "anshin_lab.views.reports",
    "anshin_lab.views.charts",
    "anshin_lab.views.maps",
    "matplotlib.pyplot",
    "matplotlib.dates",
)

_baseline: dict = {}


def warm_up(directory: str, idle_s: float) -> None:
    """Import ``PRELOAD``, choose the charts' font, remember the clean state, and exit after ``idle_s`` unused.

    ``directory`` is the warm kernel's folder (``kernel.WarmKernel``); the
    kernel exits by itself, removing its files, when no report has used it
    for ``idle_s`` seconds or when that folder is gone.
    """
    modules = {name: importlib.import_module(name) for name in PRELOAD}
    modules["anshin_lab.views.charts"].draw_offscreen()
    modules["anshin_lab.views.reports"].japanese_font()  # the font lookup (matplotlib's font list) happens now
    _baseline.update(environ=dict(os.environ), cwd=os.getcwd(), path=list(sys.path),
                     filters=list(warnings.filters), dirty=False)
    threading.Thread(target=_exit_when_idle, args=(Path(directory), float(idle_s)), daemon=True,
                     name="anshin-idle-exit").start()


def begin_run(cwd: str, environ: dict) -> None:
    """A clean namespace for the next report, run in ``cwd`` with ``environ`` added (e.g. its session).

    The namespace is already clean when the report before ended with
    ``end_run``; it is cleared here when that report's process died first.
    """
    if _baseline.get("dirty", True):
        _reset()
    _baseline["dirty"] = True
    os.chdir(cwd)
    os.environ.update({str(k): str(v) for k, v in environ.items()})


def end_run() -> None:
    """Drop everything the report left (its data, figures, session), so the idle kernel holds none of it."""
    _reset()
    _baseline["dirty"] = False


def _reset() -> None:
    shell = get_ipython()
    if shell is not None:
        shell.reset(new_session=True)  # variables, history and the execution count (cells numbered from 1)
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")
    if _baseline:
        os.environ.clear()
        os.environ.update(_baseline["environ"])
        os.chdir(_baseline["cwd"])
        sys.path[:] = _baseline["path"]
        warnings.filters[:] = _baseline["filters"]


def _exit_when_idle(directory: Path, idle_s: float) -> None:
    """Exit the kernel when its lock is free and untouched for ``idle_s`` (or its folder is gone)."""
    lock = directory / "lock"
    while True:
        time.sleep(min(60.0, max(0.5, idle_s / 4)))
        try:
            fd = os.open(lock, os.O_RDWR)
        except FileNotFoundError:
            os._exit(0)  # the workspace's run folder is gone: nobody can reach this kernel any more
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue  # a report is running
            if time.time() - os.fstat(fd).st_mtime >= idle_s:
                # Holding the lock, so no report starts on this kernel while it goes.
                for name in ("info.json", "kernel.json"):
                    (directory / name).unlink(missing_ok=True)
                for socket in directory.glob("kernel-*"):
                    socket.unlink(missing_ok=True)
                os._exit(0)
            fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)
