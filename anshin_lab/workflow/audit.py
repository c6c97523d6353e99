"""The audit log: append-only, every entry hash-chained to the one before.

Each entry's hash covers its sequence number, time, actor, action, subject,
details and the previous entry's hash, so editing, deleting or reordering an
entry breaks the chain where it happened. Deleting entries from the *end*
leaves a shorter valid chain: ``verify`` reports the head hash so it can be
written down outside the database (a printed report, a second system) and
compared later.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

import pandas as pd
import sqlalchemy as sa

from anshin_lab.storage.store import audit_log

GENESIS = "0" * 64


def _digest(seq: int, at: str, actor: str, action: str, subject: str, details: str, prev_hash: str) -> str:
    payload = json.dumps([seq, at, actor, action, subject, details, prev_hash], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def append(conn: sa.Connection, actor: str, action: str, subject: str = "", details: dict | None = None) -> int:
    """Add an entry inside the caller's transaction; returns its sequence number.

    The sequence number is the primary key, so two writers racing for the
    same place make one transaction fail instead of forking the chain.
    """
    last = conn.execute(sa.select(audit_log.c.seq, audit_log.c.hash).order_by(audit_log.c.seq.desc()).limit(1)).first()
    seq, prev_hash = (last.seq + 1, last.hash) if last else (1, GENESIS)
    at = pd.Timestamp.now(tz="Asia/Tokyo").isoformat()
    details_text = json.dumps(details or {}, ensure_ascii=False, sort_keys=True, default=str)
    digest = _digest(seq, at, actor, action, subject, details_text, prev_hash)
    conn.execute(audit_log.insert().values(seq=seq, at=at, actor=actor, action=action, subject=subject,
                                           details=details_text, prev_hash=prev_hash, hash=digest))
    return seq


@dataclass
class AuditReport:
    """The result of checking the chain: ``ok``, the problems found, and the head."""

    entries: int
    head: str
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(engine: sa.Engine) -> AuditReport:
    """Walk the chain in sequence order and say where it breaks."""
    with engine.connect() as conn:
        rows = conn.execute(sa.select(audit_log).order_by(audit_log.c.seq)).all()
    problems = []
    prev_hash, expected_seq = GENESIS, 1
    for row in rows:
        if row.seq != expected_seq:
            problems.append(f"{expected_seq}番から{row.seq - 1}番の記録がありません(削除された可能性)")
        if row.prev_hash != prev_hash:
            problems.append(f"{row.seq}番: 直前の記録とつながっていません(削除・並べ替えの可能性)")
        if _digest(row.seq, row.at, row.actor, row.action, row.subject, row.details, row.prev_hash) != row.hash:
            problems.append(f"{row.seq}番: 内容がハッシュと一致しません(書き換えの可能性)")
        prev_hash, expected_seq = row.hash, row.seq + 1
    return AuditReport(len(rows), prev_hash, problems)


def read_log(engine: sa.Engine, subject: str | None = None) -> pd.DataFrame:
    """The log (optionally for one subject such as ``alert:12``), oldest first."""
    query = sa.select(audit_log).order_by(audit_log.c.seq)
    if subject is not None:
        query = query.where(audit_log.c.subject == subject)
    with engine.connect() as conn:
        return pd.DataFrame(conn.execute(query).mappings().all(), columns=[c.name for c in audit_log.columns])
