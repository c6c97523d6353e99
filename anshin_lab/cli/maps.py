"""``anshin map internal``: the internal incident map, written owner-only and recorded in the audit log.

Run as the service's OS user (who can read the key, as in the demo), the
entry names that OS user. Anyone else needs ``anshin service`` running and
logs in there (``ANSHIN_USER`` / ``ANSHIN_PASSWORD``, else asked on a
terminal): the service records the export for that user. Without either,
nothing is written (``views.exports``).
"""

from __future__ import annotations

from anshin_lab.app.access_audit import NEEDS_AUDIT, SUBJECTS, key_at_hand
from anshin_lab.app.client import ServiceUnavailable
from anshin_lab.app.workspace import require_workspace
from anshin_lab.cli.session import service_session
from anshin_lab.core.errors import PermissionDenied
from anshin_lab.views.exports import INTERNAL_MAP, write_internal_map


def internal_map_line(args) -> str:
    """Write the internal map for ``args`` (workspace, since, out, force); the line saying where and how it was recorded."""
    ws = require_workspace(args.workspace)
    if key_at_hand(ws):
        return write_internal_map(ws.root, since=args.since, out=args.out, force=args.force).line()
    try:
        with service_session(args, "書き出しを記録するユーザー") as client:
            return write_internal_map(ws.root, since=args.since, out=args.out, force=args.force, client=client).line()
    except ServiceUnavailable as exc:
        raise PermissionDenied(NEEDS_AUDIT.format(what=SUBJECTS[INTERNAL_MAP])) from exc
