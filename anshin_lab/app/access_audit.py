"""Who opened or wrote out personal data: one audit entry per view or export, with what and how many records.

A file with personal data (the internal incident map) is written owner-only
and recorded in the audit log with the acting person, what it holds, how many
records, the oldest record's date, where it went and its SHA-256 (so that
retention can find it again when that oldest record expires:
``app.retention_files``). Audit entries are signed with the service's key, so
the entry is written

- here, by a process that holds the key (the service's OS user, the demo,
  ``anshin map internal`` run as that user): the actor is that OS user
  (「os:<name>」, :func:`os_actor`);
- or by ``anshin service`` (``POST /audit/access``, :func:`record_access_request`)
  for a client logged in there: the actor is the logged-in user, and the
  service counts the records itself.

Without either, nothing with personal data is written (``views.exports``).
"""

from __future__ import annotations

import getpass
import hashlib
import json
import os
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from anshin_lab.app.service_steps import Body
from anshin_lab.app.workspace import Workspace, act_as_service
from anshin_lab.core.clock import given_utc, stored_tokyo
from anshin_lab.core.errors import ConfigError, ParameterError
from anshin_lab.storage.schema import audit_log, incidents
from anshin_lab.workflow import audit
from anshin_lab.workflow.users import current_role

# Audit actions: a file written, and personal data shown on a screen.
EXPORT_ACTION = "personal_data_export"
VIEW_ACTION = "personal_data_view"
ACTIONS = {"export": EXPORT_ACTION, "view": VIEW_ACTION}
# What can be viewed or exported, with its label; each counts its records in :func:`count_records`.
SUBJECTS = {"internal_map": "部外秘の事案地図"}
NEEDS_AUDIT = ("{what}は監査ログに記録してから書き出します: サービスの鍵を読めるユーザー(anshin service を動かす"
               "ユーザー)で実行するか、anshin service を起動して ANSHIN_USER / ANSHIN_PASSWORD でログインしてください")


def os_actor() -> str:
    """The OS user running this process, as an audit actor (「os:<name>」, never a staff account name)."""
    return f"os:{getpass.getuser()}"[:64]


def key_at_hand(ws: Workspace) -> bool:
    """Whether this process holds (or can load) the service's key of ``ws``; loads it when it can."""
    try:
        act_as_service(ws)
    except ConfigError:
        return False
    return True


def count_records(engine: sa.Engine, what: str, since=None) -> dict:
    """How many records ``what`` holds for ``since`` and the oldest one's time (``{rows, oldest}``)."""
    if what not in SUBJECTS:
        raise ParameterError(f"「{what}」は記録できる閲覧・書き出しではありません(使えるのは {'、'.join(SUBJECTS)})")
    query = sa.select(sa.func.count(), sa.func.min(incidents.c.occurred_at))
    if since is not None:
        query = query.where(incidents.c.occurred_at >= given_utc(since))
    with engine.connect() as conn:
        rows, oldest = conn.execute(query).one()
    return {"rows": int(rows), "oldest": None if oldest is None else stored_tokyo(oldest).isoformat()}


def file_sha256(path) -> str:
    """The SHA-256 of a file's bytes (hex)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def file_facts(path) -> dict:
    """Where a written file is (absolute) and its SHA-256; made owner-only (0600) if it was not."""
    path = Path(path).resolve()
    if path.stat().st_mode & 0o077:
        os.chmod(path, 0o600)
    return {"path": str(path), "sha256": file_sha256(path)}


def record_access(engine: sa.Engine, actor: str, what: str, *, how: str = "export", since=None, path=None,
                  details: dict | None = None) -> dict:
    """Write the audit entry for one view or export (in this process: it needs the key).

    Returns what was recorded, with the entry's number as ``seq``.
    """
    facts = _facts(engine, what, how, since, path, {"os_user": getpass.getuser(), **(details or {})})
    with engine.begin() as conn:
        seq = audit.append(conn, actor, ACTIONS[how], f"{how}:{what}", facts)
    return {**facts, "seq": seq}


def record_access_request(engine: sa.Engine, user, body: Body) -> dict:
    """``POST /audit/access`` in the service: the entry names the logged-in user; the records are counted here.

    The body gives ``what``, ``how`` (export / view), ``since`` and, for a
    file, ``path`` and ``sha256`` as the client wrote it, and ``os_user``.
    """
    what, how = body.text("what"), body.text("how", required=False) or "export"
    client = {"path": body.text("path", required=False), "sha256": body.text("sha256", required=False),
              "os_user": body.text("os_user", required=False)}
    facts = _facts(engine, what, how, body.text("since", required=False), None,
                   {k: v for k, v in client.items() if v})
    with engine.begin() as conn:
        current_role(conn, user)  # a valid session of an active account, or PermissionDenied
        seq = audit.append(conn, user.username, ACTIONS[how], f"{how}:{what}", facts)
    return {"seq": seq, "rows": facts["rows"]}


def logged_exports(engine: sa.Engine) -> list[dict]:
    """The latest export recorded for each path (``path``, ``sha256``, ``oldest``, ``rows``, ``at``)."""
    with engine.connect() as conn:
        rows = conn.execute(sa.select(audit_log.c.at, audit_log.c.details)
                            .where(audit_log.c.action == EXPORT_ACTION).order_by(audit_log.c.seq)).all()
    latest = {}
    for at, text in rows:
        try:
            facts = json.loads(text)
        except ValueError:
            continue
        if isinstance(facts, dict) and facts.get("path"):
            latest[facts["path"]] = {**facts, "at": at}
    return list(latest.values())


def _facts(engine: sa.Engine, what: str, how: str, since, path, details: dict | None) -> dict:
    if how not in ACTIONS:
        raise ParameterError(f"how は {' / '.join(ACTIONS)} のどちらかにしてください(「{how}」)")
    facts = {"what": what, **count_records(engine, what, since),
             "since": None if since is None else pd.Timestamp(since).isoformat(), **(details or {})}
    if path is not None:
        facts.update(file_facts(path))
    return facts
