"""Retention: personal data older than the retention period is removed, counts are kept.

The directive's own retention class is five years (``Settings.retention_years``).
``purge`` folds the old incidents into monthly counts per category and station
(``incident_counts``), deletes the incident rows with their personal data, and
writes an audit entry, all in one transaction. Deleting personal data for good
is an administrator's act: it runs only in the service (``authority.require``)
for an ``admin`` who logged in (``users.current_role`` checks the session), and
the audit entry names that admin.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa

from anshin_lab.core.errors import PermissionDenied
from anshin_lab.storage.store import incident_counts, incidents
from anshin_lab.workflow import audit, authority
from anshin_lab.workflow.rules import Role
from anshin_lab.workflow.users import User, current_role

ADMIN_ONLY = "保存期間を過ぎた記録の削除は管理者(admin)がログインして行ってください(--user に管理者を指定)"


@dataclass
class PurgeReport:
    """What a purge removed (or would remove, with ``dry_run``)."""

    before: pd.Timestamp
    incidents: int
    counts: pd.DataFrame  # month, category, station, count
    dry_run: bool


def default_cutoff(retention_years: int, now=None) -> pd.Timestamp:
    """The first day still kept: today minus the retention period (Asia/Tokyo)."""
    now = pd.Timestamp.now(tz="Asia/Tokyo") if now is None else pd.Timestamp(now)
    return (now - pd.DateOffset(years=retention_years)).normalize()


def purge(engine: sa.Engine, before, *, user: User | None, dry_run: bool = False) -> PurgeReport:
    """Remove incidents that occurred before ``before`` (Japan time), keeping aggregate counts.

    ``user`` is an ``admin`` logged in with ``users.authenticate`` (a session
    the service issued); a dry run only counts, and is audited too. Raises
    ``PermissionDenied`` when this process is not the service, for no user,
    a ``User(...)`` built by hand, an expired session or any other role,
    having changed nothing.
    """
    authority.require()
    cutoff = pd.Timestamp(before)
    cutoff = cutoff.tz_localize("Asia/Tokyo") if cutoff.tzinfo is None else cutoff.tz_convert("Asia/Tokyo")
    with engine.begin() as conn:
        if user is None or current_role(conn, user) != Role.ADMIN:
            raise PermissionDenied(ADMIN_ONLY)
        old = pd.DataFrame(conn.execute(
            sa.select(incidents.c.incident_id, incidents.c.occurred_at, incidents.c.category, incidents.c.station)
            .where(incidents.c.occurred_at < cutoff.tz_convert("UTC").to_pydatetime())).mappings().all(),
            columns=["incident_id", "occurred_at", "category", "station"])
        counts = _monthly_counts(old)
        if not dry_run and len(old):
            for row in counts.itertuples(index=False):
                key = (incident_counts.c.month == row.month) & (incident_counts.c.category == row.category) & \
                      (incident_counts.c.station == row.station)
                current = conn.execute(sa.select(incident_counts.c.count).where(key)).scalar()
                if current is None:
                    conn.execute(incident_counts.insert().values(month=row.month, category=row.category,
                                                                 station=row.station, count=int(row.count)))
                else:
                    conn.execute(incident_counts.update().where(key).values(count=current + int(row.count)))
            ids = list(old["incident_id"])
            for start in range(0, len(ids), 500):
                conn.execute(incidents.delete().where(incidents.c.incident_id.in_(ids[start:start + 500])))
        audit.append(conn, user.username, "retention_purge" + ("_dry_run" if dry_run else ""), "incidents",
                     {"before": cutoff.isoformat(), "incidents": len(old)})
    return PurgeReport(cutoff, len(old), counts, dry_run)


def _monthly_counts(frame: pd.DataFrame) -> pd.DataFrame:
    if frame.empty:
        return pd.DataFrame(columns=["month", "category", "station", "count"])
    stamps = pd.to_datetime(frame["occurred_at"])
    stamps = stamps.dt.tz_localize("UTC") if stamps.dt.tz is None else stamps
    month = stamps.dt.tz_convert("Asia/Tokyo").dt.strftime("%Y-%m")
    grouped = pd.DataFrame({"month": month, "category": frame["category"],
                            "station": frame["station"].fillna("不明")}).value_counts().rename("count")
    return grouped.reset_index().sort_values(["month", "category", "station"]).reset_index(drop=True)
