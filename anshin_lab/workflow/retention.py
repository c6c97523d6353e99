"""Retention: personal data older than the retention period is removed, counts are kept.

The directive's own retention class is five years (``Settings.retention_years``).
A purge sweeps every kind of ``retention_tables.TABLE_KINDS`` (incidents,
no-send decisions, fraud calls, consents, the texts of alerts that are over,
the addresses of members who left, of the outbox and of bounces, expired
sessions), folds old incidents and fraud calls into monthly counts, and writes
one audit entry with the count of every kind, all in one transaction. Files
(quarantine, the demo relay's Maildir, internal exports) are the workspace's:
``app.retention_files`` plans them, passes their counts in ``files`` to be
audited here, and removes them once this has committed.

Deleting personal data for good is an act of the service (``authority.require``):

- :func:`purge` for an ``admin`` who logged in (``users.current_role`` checks
  the session), with any cutoff; the audit entry names that admin;
- :func:`purge_expired` for the schedule (``schedule.toml``, job kind
  ``retention``), run by the service's OS user: no login, but only what is
  past the retention period, and the audit entry names the job.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import sqlalchemy as sa

from anshin_lab.core.errors import PermissionDenied
from anshin_lab.workflow import audit, authority
from anshin_lab.workflow.retention_tables import TABLE_KINDS, monthly_counts
from anshin_lab.workflow.rules import Role
from anshin_lab.workflow.users import User, current_role

ADMIN_ONLY = "保存期間を過ぎた記録の削除は管理者(admin)がログインして行ってください(--user に管理者を指定)"
# The labels of the workspace's file kinds (``app.retention_files`` plans them).
FILE_LABELS = {"quarantine": "保留(quarantine)ファイル", "maildir": "Maildir のメール(デモのリレー)",
               "internal_exports": "部外秘の書き出し(事案地図など)"}
ACTION = "retention_purge"


@dataclass
class PurgeReport:
    """What a purge removed (or would remove, with ``dry_run``): rows or files per kind, and the counts kept."""

    before: pd.Timestamp
    removed: dict[str, int]  # kind -> rows or files, in the order of TABLE_KINDS then the files
    counts: pd.DataFrame  # incidents: month, category, station, count
    dry_run: bool
    fraud_counts: pd.DataFrame = field(default_factory=lambda: monthly_counts(pd.DataFrame(), []))
    actor: str = ""

    @property
    def incidents(self) -> int:
        return self.removed.get("incidents", 0)

    @property
    def total(self) -> int:
        return sum(self.removed.values())

    def lines(self) -> list[str]:
        """What was (or would be) removed, one line per kind, in Japanese."""
        labels = {**{kind.name: kind.label for kind in TABLE_KINDS}, **FILE_LABELS}
        head = (f"{self.before:%Y-%m-%d} より前の個人情報: 削除対象 計{self.total}件(件数だけで、削除していません)"
                if self.dry_run else f"{self.before:%Y-%m-%d} より前の個人情報: 計{self.total}件を削除しました")
        body = [f"  {labels.get(kind, kind)}: {count}件" for kind, count in self.removed.items()]
        kept = (f"  件数は残します: 事案 {self.incidents}件 → 月別 {len(self.counts)}行、うそ電話 "
                f"{self.removed.get('fraud_calls', 0)}件 → 月別 {len(self.fraud_counts)}行(incident_counts / fraud_call_counts)")
        return [head, *body, kept]


def default_cutoff(retention_years: int, now=None) -> pd.Timestamp:
    """The first day still kept: today minus the retention period (Asia/Tokyo)."""
    now = pd.Timestamp.now(tz="Asia/Tokyo") if now is None else pd.Timestamp(now)
    now = now.tz_localize("Asia/Tokyo") if now.tzinfo is None else now.tz_convert("Asia/Tokyo")
    return (now - pd.DateOffset(years=retention_years)).normalize()


def purge(engine: sa.Engine, before, *, user: User | None, dry_run: bool = False,
          files: dict[str, int] | None = None) -> PurgeReport:
    """Remove personal data from before ``before`` (Japan time), keeping aggregate counts.

    ``user`` is an ``admin`` logged in with ``users.authenticate`` (a session
    the service issued); a dry run only counts, and is audited too. ``files``
    are the counts of the workspace's files to be removed (audited with the
    rest). Raises ``PermissionDenied`` when this process is not the service,
    for no user, a ``User(...)`` built by hand, an expired session or any
    other role, having changed nothing.
    """
    authority.require()
    cutoff = _tokyo(before)
    with engine.begin() as conn:
        if user is None or current_role(conn, user) != Role.ADMIN:
            raise PermissionDenied(ADMIN_ONLY)
        return _sweep(conn, cutoff, user.username, dry_run=dry_run, files=files, details={})


def purge_expired(engine: sa.Engine, retention_years: int, *, actor: str, now=None, dry_run: bool = False,
                  files: dict[str, int] | None = None, details: dict | None = None) -> PurgeReport:
    """Remove what is past the retention period (``default_cutoff``): the scheduled purge, in the service.

    No login: the cutoff is the directive's, not a choice, and only the
    service's OS user (the key) can run it. ``actor`` names the job in the
    audit entry (e.g. 「schedule:retention」), ``details`` adds to it (the OS user).
    """
    authority.require()
    cutoff = default_cutoff(retention_years, now)
    with engine.begin() as conn:
        return _sweep(conn, cutoff, actor, dry_run=dry_run, files=files,
                      details={"scheduled": True, "retention_years": retention_years, **(details or {})})


def _sweep(conn: sa.Connection, cutoff: pd.Timestamp, actor: str, *, dry_run: bool, files, details: dict) -> PurgeReport:
    at = cutoff.tz_convert("UTC").to_pydatetime()
    swept = {kind.name: kind.sweep(conn, at, dry_run) for kind in TABLE_KINDS}
    removed = {name: result.rows for name, result in swept.items()}
    removed.update({kind: int(count) for kind, count in (files or {}).items()})
    audit.append(conn, actor[:64], ACTION + ("_dry_run" if dry_run else ""), "retention",
                 {"before": cutoff.isoformat(), **removed, **details})
    return PurgeReport(cutoff, removed, swept["incidents"].counts, dry_run, swept["fraud_calls"].counts, actor)


def _tokyo(value) -> pd.Timestamp:
    stamp = pd.Timestamp(value)
    return stamp.tz_localize("Asia/Tokyo") if stamp.tzinfo is None else stamp.tz_convert("Asia/Tokyo")

