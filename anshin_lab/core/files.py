"""Atomic file writes, private by default: a reader never sees half a file.

The workbench writes files that hold personal data (quarantined rows, sample
exports) and files that others read (maps, reports); both are written to a
temporary file in the same folder and renamed over the target, once, here.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

PRIVATE = 0o600


def write_atomic(path, data: bytes | str, *, mode: int | None = PRIVATE, encoding: str = "utf-8") -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder, then rename it over ``path``.

    ``mode`` is the file's permission bits: owner-only (0600) by default,
    because most of what the workbench writes holds personal data; None
    leaves them to the folder's usual permissions (the umask). The parent
    folder is created (owner-only when the file is private). Text is encoded
    with ``encoding``. On any failure the temporary file is removed and
    ``path`` is left as it was.
    """
    path = Path(path)
    path.parent.mkdir(mode=0o700 if mode == PRIVATE else 0o777, parents=True, exist_ok=True)
    payload = data.encode(encoding) if isinstance(data, str) else data
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666 if mode is None else mode)
    try:
        with os.fdopen(fd, "wb") as handle:
            if mode is not None:
                os.fchmod(handle.fileno(), mode)  # exactly these bits, whatever the umask
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return path
