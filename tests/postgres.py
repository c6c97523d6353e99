"""A throwaway PostgreSQL cluster for tests: initdb in a temp folder, a Unix socket only.

PostgreSQL refuses to run as root, so as root the cluster runs as the
``postgres`` system user (created by the Debian package).
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path

PORT = 54329


def _bindir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        raise RuntimeError("PostgreSQL server not installed: run `make system` (installs Debian's postgresql)")
    return Path(found[-1]).parent


def _as_owner(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


@contextmanager
def throwaway_cluster():
    """Yield a SQLAlchemy URL of a fresh, empty cluster; remove it afterwards."""
    bindir = _bindir()
    root = Path(tempfile.mkdtemp(prefix="anshin-pg-"))
    data, sockets = root / "data", root / "sock"
    sockets.mkdir()
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
        shutil.chown(sockets, "postgres")
        root.chmod(0o755)
    run = lambda *cmd: subprocess.run(_as_owner([str(c) for c in cmd]), check=True, capture_output=True, text=True)
    try:
        run(bindir / "initdb", "-D", data, "-A", "trust", "-U", "anshin", "-E", "UTF8", "--locale", "C")
        run(bindir / "pg_ctl", "-D", data, "-w", "-l", root / "log",
            "-o", f"-c listen_addresses='' -k {sockets} -p {PORT}", "start")
        try:
            yield f"postgresql+psycopg://anshin@/postgres?host={sockets}&port={PORT}"
        finally:
            run(bindir / "pg_ctl", "-D", data, "-m", "fast", "-w", "stop")
    finally:
        shutil.rmtree(root, ignore_errors=True)
