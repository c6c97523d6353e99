"""Storing checked member records: never overwrite a stored member, write nothing when nothing is new.

The records come from ``records.members.check_members`` (or a sign-up). They
go through ``batches.save_batch`` like incidents and fraud calls: a member
number stored with other content, or an address another member already has,
is a conflict for a person to resolve. A member's categories and areas are
kept in their own tables, written in the same transaction.
"""

from __future__ import annotations

import secrets

import pandas as pd
import sqlalchemy as sa

from anshin_lab.core.clock import utc_now
from anshin_lab.records.members import AreaDirectory, member_content_hash
from anshin_lab.storage.batches import Batch, SaveResult, save_batch
from anshin_lab.storage.schema import (
    chome_neighbours, member_areas, member_categories, member_imports, members, station_districts,
)

# A reason never quotes the address: reasons reach error messages (a sign-up) and logs.
MEMBERS = Batch(members, member_imports, "member_id", "会員番号", "会員", unique=(
    ("email_key", "email", lambda row, owner: f"このメールアドレスは会員「{owner}」が登録済みです(値は表示しません)"),))


def save_members(engine: sa.Engine, records: list[dict], *, directory: AreaDirectory | None = None,
                 source_name: str = "", source_sha256: str = "", rows_read: int | None = None, rejected: int = 0,
                 quarantine_path: str | None = None) -> SaveResult:
    """Insert checked member records (from ``check_members``), a few thousand per transaction.

    A stored member is never overwritten: the same member number with other
    content, or an address another member already has, is a conflict
    (``SaveResult.conflicts``: member_id, column, reason). When nothing is new
    and nothing conflicts, nothing is written at all. ``directory`` records
    which municipalities each station district covers.
    """
    now = utc_now()
    chosen = {r["member_id"]: r for r in records}

    def insert_choices(conn: sa.Connection, new: list[dict]) -> None:
        cats = [{"member_id": row["member_id"], "category": c} for row in new for c in chosen[row["member_id"]]["categories"]]
        areas = [{"member_id": row["member_id"], "kind": k, "code": c, "name": n}
                 for row in new for k, c, n in chosen[row["member_id"]]["areas"]]
        for table, batch in ((member_categories, cats), (member_areas, areas)):
            if batch:
                conn.execute(table.insert(), batch)
        if directory is not None:
            _save_districts(conn, directory)
            save_chome_neighbours(conn, directory, [a["code"] for a in areas if a["kind"] == "chome"])

    return save_batch(engine, MEMBERS, [_member_row(r, now) for r in records], source_name=source_name,
                      source_sha256=source_sha256, rows_read=rows_read, rejected=rejected,
                      quarantine_path=quarantine_path, on_insert=insert_choices)


def _member_row(record: dict, now) -> dict:
    """The ``members`` row of a checked record (a fresh unsubscribe token; no confirmation pending)."""
    email = record["email"]
    stamp = record.get("opted_in_at")
    return {
        "member_id": record["member_id"], "email": email, "email_key": email.lower(),
        "domain": email.rsplit("@", 1)[1].lower(), "categories": ";".join(record["categories"]),
        "areas": ";".join(name for _, _, name in record["areas"]), "status": record["status"],
        "opted_in_at": None if stamp is None else pd.Timestamp(stamp).tz_convert("UTC").to_pydatetime(),
        "is_staff": bool(record.get("is_staff")), "unsubscribe_token": secrets.token_urlsafe(24), "hard_bounces": 0,
        "language": record.get("language") or "ja",
        "quiet_start": record.get("quiet_start"), "quiet_end": record.get("quiet_end"),
        "content_hash": member_content_hash(record), "created_at": now, "updated_at": now,
        "unsubscribed_at": now if record["status"] == "unsubscribed" else None,
        "suppressed_at": now if record["status"] == "bounced" else None,
    }


def save_chome_neighbours(conn: sa.Connection, directory: AreaDirectory, codes) -> int:
    """Record which 町丁目 touch each of ``codes`` (members' chome areas), once; returns the rows added.

    Call it wherever a member's chome areas are stored (an import, a
    preferences page), in the same transaction: recipients of an alert whose
    area touches a member's 町丁目 are found from these rows.
    """
    codes = sorted(set(codes))
    if not codes or directory.neighbours is None:
        return 0
    known = {c for (c,) in conn.execute(sa.select(chome_neighbours.c.chome_code).distinct()
                                        .where(chome_neighbours.c.chome_code.in_(codes)))}
    rows = [{"chome_code": code, "neighbour_code": other}
            for code in codes if code not in known for other in directory.neighbours(code)]
    if rows:
        conn.execute(chome_neighbours.insert(), rows)
    return len(rows)


def _save_districts(conn: sa.Connection, directory: AreaDirectory) -> None:
    known = set(conn.execute(sa.select(station_districts.c.station, station_districts.c.city_code)).all())
    missing = [{"station": s, "city_code": c} for s, codes in directory.stations.items() for c in codes
               if (s, c) not in known]
    if missing:
        conn.execute(station_districts.insert(), missing)
