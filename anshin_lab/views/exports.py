"""Writing out personal data, audited: the internal incident map, owner-only, with an audit entry naming who.

``write_internal_map`` checks first that the export can be recorded (this
process holds the service's key, or ``client`` is a ``ServiceClient`` logged
in to ``anshin service``), then writes the map (0600, inside the workspace by
default: ``maps.render_internal_map``) and records it
(``app.access_audit``): who, how many incidents, the oldest one, the file and
its SHA-256. When the entry cannot be written the file is removed again: no
export without its record.
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from anshin_lab.app.access_audit import NEEDS_AUDIT, SUBJECTS, file_facts, key_at_hand, os_actor, record_access
from anshin_lab.app.workspace import require_workspace
from anshin_lab.core.errors import PermissionDenied
from anshin_lab.storage import store
from anshin_lab.views.maps.incident import render_internal_map

INTERNAL_MAP = "internal_map"


@dataclass(frozen=True)
class Export:
    """A file with personal data written out: where, how many records, the audit entry's number and actor."""

    path: Path
    rows: int
    seq: int
    actor: str

    def line(self) -> str:
        return (f"{SUBJECTS[INTERNAL_MAP]}を書き出しました: {self.path}(事案 {self.rows}件、所有者だけが読めます。"
                f"監査ログ {self.seq}番に {self.actor} として記録)")


def write_internal_map(workspace=None, since=None, out=None, *, force: bool = False, client=None) -> Export:
    """Write the internal map of ``workspace`` owner-only and record the export in the audit log.

    Without ``client`` this process must hold (or be able to load) the
    service's key: the entry names this OS user. With ``client`` (a logged-in
    ``ServiceClient``) the service writes the entry for its user. Raises
    ``PermissionDenied`` before writing anything when neither is possible,
    and ``maps.MapError`` as ``render_internal_map`` does.
    """
    ws = require_workspace(workspace)
    if client is None and not key_at_hand(ws):
        raise PermissionDenied(NEEDS_AUDIT.format(what=SUBJECTS[INTERNAL_MAP]))
    path = render_internal_map(ws.root, since=since, out=out, force=force)
    try:
        if client is None:
            engine = store.connect(ws.database_url)
            try:
                answer = record_access(engine, os_actor(), INTERNAL_MAP, since=since, path=path)
            finally:
                engine.dispose()
            actor = os_actor()
        else:
            answer = client.request("POST", "/audit/access", {
                "what": INTERNAL_MAP, "how": "export", "os_user": getpass.getuser(), **file_facts(path),
                "since": None if since is None else pd.Timestamp(since).isoformat()})
            actor = client.username or ""
    except BaseException:
        path.unlink(missing_ok=True)  # no export without its record
        raise
    return Export(path, int(answer["rows"]), int(answer["seq"]), actor)

