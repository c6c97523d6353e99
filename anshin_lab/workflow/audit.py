"""The audit log: append-only, every entry chained to the one before with the service's key.

Each entry's hash is an HMAC (the service's key, purpose ``audit``) over its
sequence number, time, actor, action, subject, details and the previous
entry's hash, so editing, deleting or reordering an entry breaks the chain
where it happened, and recomputing the whole chain needs the key.

Deleting entries from the *end* leaves a shorter chain that is still valid,
so the head is also anchored outside the database: once the transaction that
wrote an entry has committed, ``(database id, seq, hash)`` is appended to the
service's anchor file (``Authority.audit_anchor``, append-only, 0600, fsync'd).
``verify`` compares the database with that file: an anchored entry that is
missing or different means the log was cut or rewritten.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import weakref
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from anshin_lab.storage.store import audit_log, service_meta
from anshin_lab.workflow import authority

GENESIS = "0" * 64
DB_ID = "db_id"
# Where the entries written on a connection wait until it is handed back to the pool
# (that is, after its transaction committed or rolled back).
_UNANCHORED = "anshin_audit_unanchored"
log = logging.getLogger(__name__)


def _digest(key: authority.ServiceKey, seq: int, at: str, actor: str, action: str, subject: str, details: str,
            prev_hash: str) -> str:
    return key.sign("audit", [seq, at, actor, action, subject, details, prev_hash])


def database_id(conn: sa.Connection) -> str:
    """This database's random id (made on first use), which names its lines in the anchor file."""
    value = conn.execute(sa.select(service_meta.c.value).where(service_meta.c.name == DB_ID)).scalar()
    if value is None:
        value = secrets.token_hex(16)
        conn.execute(service_meta.insert().values(name=DB_ID, value=value))
    return value


def append(conn: sa.Connection, actor: str, action: str, subject: str = "", details: dict | None = None) -> int:
    """Add an entry inside the caller's transaction; returns its sequence number.

    Needs the service's key (``PermissionDenied`` otherwise). The sequence
    number is the primary key, so two writers racing for the same place make
    one transaction fail instead of forking the chain. The entry is anchored
    only if its transaction commits.
    """
    service = authority.require()
    last = conn.execute(sa.select(audit_log.c.seq, audit_log.c.hash).order_by(audit_log.c.seq.desc()).limit(1)).first()
    seq, prev_hash = (last.seq + 1, last.hash) if last else (1, GENESIS)
    at = pd.Timestamp.now(tz="Asia/Tokyo").isoformat()
    details_text = json.dumps(details or {}, ensure_ascii=False, sort_keys=True, default=str)
    digest = _digest(service.key, seq, at, actor, action, subject, details_text, prev_hash)
    conn.execute(audit_log.insert().values(seq=seq, at=at, actor=actor, action=action, subject=subject,
                                           details=details_text, prev_hash=prev_hash, hash=digest))
    if service.audit_anchor is not None:
        _anchor_after_commit(conn, Path(service.audit_anchor), database_id(conn), seq, digest)
    return seq


# -- the anchor file ------------------------------------------------------------------------

# The pools that anchor on checkin. Not ``sa.event.contains``: it answers by the pool's id(), which a new pool may reuse
# once an old one is gone, so a new engine could be taken for one that anchors and never anchor at all.
_ANCHORING_POOLS = weakref.WeakSet()


def _anchor_after_commit(conn: sa.Connection, path: Path, db_id: str, seq: int, digest: str) -> None:
    """Remember the entry on the connection; it is anchored when the connection goes back to the pool."""
    pool = conn.engine.pool
    if pool not in _ANCHORING_POOLS:
        sa.event.listen(pool, "checkin", _anchor_on_checkin)
        _ANCHORING_POOLS.add(pool)
    conn.info.setdefault(_UNANCHORED, []).append((str(path), db_id, seq, digest))


def _anchor_on_checkin(dbapi_connection, record) -> None:
    """Anchor the entries this connection wrote that are in the database now (its transaction is over).

    The pool has already committed or rolled back by this point, so reading
    the entries back tells exactly which were committed: a rolled-back entry
    (or one whose place a later transaction took) is not there and is never
    anchored.
    """
    pending = record.info.pop(_UNANCHORED, None)
    if not pending or dbapi_connection is None:
        return
    try:
        seqs = ",".join(str(int(seq)) for _, _, seq, _ in pending)
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"SELECT seq, hash FROM audit_log WHERE seq IN ({seqs})")  # integers only
            stored = {int(seq): digest for seq, digest in cursor.fetchall()}
        finally:
            cursor.close()
            dbapi_connection.rollback()  # end the read's own transaction (PostgreSQL drivers open one)
        for path, db_id, seq, digest in pending:
            if stored.get(seq) == digest:
                write_anchor(Path(path), db_id, seq, digest)
    except Exception:  # noqa: BLE001 - a pool event must not fail the caller's finished transaction
        log.warning("監査ログのアンカーを書けませんでした(anshin audit verify で確認してください)", exc_info=True)


def write_anchor(path: Path, db_id: str, seq: int, digest: str) -> None:
    """Append one line to the anchor file (created 0600 in a 0700 folder) and fsync it."""
    if not path.parent.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, f"{db_id}\t{seq}\t{digest}\n".encode("ascii"))
        os.fsync(fd)
    finally:
        os.close(fd)


def read_anchor(path: Path | None, db_id: str | None) -> dict[int, str]:
    """The anchored ``{seq: hash}`` of one database (later lines win); empty without a file."""
    if path is None or db_id is None or not Path(path).exists():
        return {}
    anchored = {}
    for line in Path(path).read_text("ascii", errors="replace").splitlines():
        parts = line.split("\t")
        if len(parts) == 3 and parts[0] == db_id and parts[1].isdigit():
            anchored[int(parts[1])] = parts[2]
    return anchored


# -- checking ---------------------------------------------------------------------------------

@dataclass
class AuditReport:
    """The result of checking the chain: ``ok``, the problems found, the head and how far it is anchored."""

    entries: int
    head: str
    problems: list[str] = field(default_factory=list)
    last_seq: int = 0
    anchored_seq: int | None = None
    anchor: Path | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(engine: sa.Engine) -> AuditReport:
    """Walk the chain in sequence order with the service's key and compare it with the anchor file.

    Reports gaps, broken links, entries whose HMAC does not match (edited, or
    the chain recomputed without the key) and a log shorter than, or different
    from, what was anchored (its tail cut). Needs the service's key.
    """
    service = authority.require()
    with engine.connect() as conn:
        rows = conn.execute(sa.select(audit_log).order_by(audit_log.c.seq)).all()
        db_id = conn.execute(sa.select(service_meta.c.value).where(service_meta.c.name == DB_ID)).scalar()
    problems = []
    prev_hash, expected_seq = GENESIS, 1
    for row in rows:
        if row.seq != expected_seq:
            problems.append(f"{expected_seq}番から{row.seq - 1}番の記録がありません(削除された可能性)")
        if row.prev_hash != prev_hash:
            problems.append(f"{row.seq}番: 直前の記録とつながっていません(削除・並べ替えの可能性)")
        digest = _digest(service.key, row.seq, row.at, row.actor, row.action, row.subject, row.details, row.prev_hash)
        if digest != row.hash:
            problems.append(f"{row.seq}番: 内容がハッシュと一致しません(書き換えの可能性)")
        prev_hash, expected_seq = row.hash, row.seq + 1
    last_seq = rows[-1].seq if rows else 0
    anchor = None if service.audit_anchor is None else Path(service.audit_anchor)
    anchored = read_anchor(anchor, db_id)
    anchored_seq = max(anchored) if anchored else None
    problems += _anchor_problems(anchored, {row.seq: row.hash for row in rows}, last_seq)
    return AuditReport(len(rows), prev_hash, problems, last_seq, anchored_seq, anchor)


def _anchor_problems(anchored: dict[int, str], stored: dict[int, str], last_seq: int) -> list[str]:
    problems = []
    if anchored and max(anchored) > last_seq:
        problems.append(f"末尾の記録が削除されています: アンカーには{max(anchored)}番まで、データベースには{last_seq}番まで"
                        "(データベースを元に戻してください)")
    differing = sorted(seq for seq, digest in anchored.items() if seq <= last_seq and stored.get(seq) != digest)
    if differing:
        problems.append(f"{differing[0]}番ほか計{len(differing)}件: アンカーの記録と一致しません(書き換え・作り直しの可能性)")
    return problems


def read_log(engine: sa.Engine, subject: str | None = None) -> pd.DataFrame:
    """The log (optionally for one subject such as ``alert:12``), oldest first."""
    query = sa.select(audit_log).order_by(audit_log.c.seq)
    if subject is not None:
        query = query.where(audit_log.c.subject == subject)
    with engine.connect() as conn:
        return pd.DataFrame(conn.execute(query).mappings().all(), columns=[c.name for c in audit_log.columns])
