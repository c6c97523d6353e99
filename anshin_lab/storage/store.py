"""The database: one SQLAlchemy schema, SQLite by default, any URL by configuration.

Writes happen in one transaction each, so an import either lands whole or not
at all. Times are stored as UTC and come back as Asia/Tokyo.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

from anshin_lab.core import glossary
from anshin_lab.core.errors import StoreError
from anshin_lab.records.incidents import to_geoframe
from anshin_lab.core.settings import redact_url

metadata = sa.MetaData()

incidents = sa.Table(
    "incidents", metadata,
    sa.Column("incident_id", sa.String(64), primary_key=True),
    sa.Column("category", sa.String(16), nullable=False, index=True),
    sa.Column("subtype", sa.Text),
    sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False, index=True),
    sa.Column("address", sa.Text),
    sa.Column("lat", sa.Float),
    sa.Column("lon", sa.Float),
    sa.Column("place_type", sa.String(32)),
    sa.Column("victim_group", sa.String(32)),
    sa.Column("victim_sex", sa.String(8)),
    sa.Column("summary", sa.Text),
    sa.Column("actor", sa.Text),
    sa.Column("station", sa.String(64), index=True),
    sa.Column("consent", sa.String(8)),
    sa.Column("age", sa.Integer),
    sa.Column("height_cm", sa.Integer),
    sa.Column("build", sa.Text),
    sa.Column("clothing", sa.Text),
    sa.Column("vehicle", sa.Text),
    sa.Column("caller_as", sa.Text),
    sa.Column("content_hash", sa.String(64), nullable=False),
    sa.Column("import_id", sa.Integer, sa.ForeignKey("imports.import_id"), nullable=False),
)

imports = sa.Table(
    "imports", metadata,
    sa.Column("import_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("source_name", sa.Text, nullable=False),
    sa.Column("source_sha256", sa.String(64), nullable=False),
    sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("rows_read", sa.Integer, nullable=False),
    sa.Column("accepted", sa.Integer, nullable=False),
    sa.Column("rejected", sa.Integer, nullable=False),
    sa.Column("inserted", sa.Integer, nullable=False),
    sa.Column("unchanged", sa.Integer, nullable=False),
    sa.Column("conflicts", sa.Integer, nullable=False),
    sa.Column("quarantine_path", sa.Text),
)

# -- the approval workflow ------------------------------------------------------

users = sa.Table(
    "users", metadata,
    sa.Column("username", sa.String(64), primary_key=True),
    sa.Column("display_name", sa.Text, nullable=False),
    sa.Column("role", sa.String(32), nullable=False),
    sa.Column("password_hash", sa.Text, nullable=False),
    sa.Column("failed_logins", sa.Integer, nullable=False, default=0),
    sa.Column("locked_until", sa.DateTime(timezone=True)),
    sa.Column("active", sa.Boolean, nullable=False, default=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("created_by", sa.String(64), nullable=False),
)

operator_designations = sa.Table(
    "operator_designations", metadata,
    sa.Column("designation_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("username", sa.String(64), sa.ForeignKey("users.username"), nullable=False, index=True),
    sa.Column("designated_by", sa.String(64), sa.ForeignKey("users.username"), nullable=False),
    sa.Column("designated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("revoked_by", sa.String(64)),
    sa.Column("revoked_at", sa.DateTime(timezone=True)),
)

alerts = sa.Table(
    "alerts", metadata,
    sa.Column("alert_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("category", sa.String(16), nullable=False),
    sa.Column("status", sa.String(24), nullable=False, index=True),
    sa.Column("subject", sa.Text, nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("level", sa.String(8), nullable=False),
    sa.Column("assessed_level", sa.String(8), nullable=False),
    sa.Column("public_text", sa.Text, nullable=False),
    sa.Column("area_codes", sa.JSON, nullable=False),
    sa.Column("incident_ids", sa.JSON, nullable=False),
    sa.Column("original_alert_id", sa.Integer, sa.ForeignKey("alerts.alert_id")),
    sa.Column("urgent", sa.Boolean, nullable=False, default=False),
    sa.Column("created_by", sa.String(64), sa.ForeignKey("users.username"), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("lint_override_by", sa.String(64)),
    sa.Column("lint_override_reason", sa.Text),
    sa.Column("level_override_by", sa.String(64)),
    sa.Column("level_override_reason", sa.Text),
    sa.Column("recipients", sa.Integer),
)

alert_events = sa.Table(
    "alert_events", metadata,
    sa.Column("event_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("alert_id", sa.Integer, sa.ForeignKey("alerts.alert_id"), nullable=False, index=True),
    sa.Column("action", sa.String(32), nullable=False),
    sa.Column("from_status", sa.String(24)),
    sa.Column("to_status", sa.String(24)),
    sa.Column("actor", sa.String(64), nullable=False),
    sa.Column("role", sa.String(32), nullable=False),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("reason", sa.Text),
    sa.Column("details", sa.JSON),
)

consents = sa.Table(
    "consents", metadata,
    sa.Column("consent_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("alert_id", sa.Integer, sa.ForeignKey("alerts.alert_id"), nullable=False, index=True),
    sa.Column("kind", sa.String(16), nullable=False),  # 本人 / 保護者 / 公表要請書
    sa.Column("given_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("method", sa.String(32), nullable=False),  # 対面 / 電話 / 書面
    sa.Column("scope", sa.Text, nullable=False),
    sa.Column("anshin_mail_ticked", sa.Boolean, nullable=False, default=False),
    sa.Column("recorded_by", sa.String(64), sa.ForeignKey("users.username"), nullable=False),
    sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
)

audit_log = sa.Table(
    "audit_log", metadata,
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("at", sa.Text, nullable=False),
    sa.Column("actor", sa.String(64), nullable=False),
    sa.Column("action", sa.String(48), nullable=False),
    sa.Column("subject", sa.Text, nullable=False),
    sa.Column("details", sa.Text, nullable=False),
    sa.Column("prev_hash", sa.String(64), nullable=False),
    sa.Column("hash", sa.String(64), nullable=False),
)

# Aggregate counts kept when retention removes old incidents' personal data.
incident_counts = sa.Table(
    "incident_counts", metadata,
    sa.Column("month", sa.String(7), primary_key=True),
    sa.Column("category", sa.String(16), primary_key=True),
    sa.Column("station", sa.String(64), primary_key=True),
    sa.Column("count", sa.Integer, nullable=False),
)

# -- members and delivery ------------------------------------------------------------

member_imports = sa.Table(
    "member_imports", metadata,
    sa.Column("import_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("source_name", sa.Text, nullable=False),
    sa.Column("source_sha256", sa.String(64), nullable=False),
    sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("rows_read", sa.Integer, nullable=False),
    sa.Column("accepted", sa.Integer, nullable=False),
    sa.Column("rejected", sa.Integer, nullable=False),
    sa.Column("inserted", sa.Integer, nullable=False),
    sa.Column("unchanged", sa.Integer, nullable=False),
    sa.Column("conflicts", sa.Integer, nullable=False),
    sa.Column("quarantine_path", sa.Text),
)

members = sa.Table(
    "members", metadata,
    sa.Column("member_id", sa.String(32), primary_key=True),
    sa.Column("email", sa.String(254), nullable=False),
    sa.Column("email_key", sa.String(254), nullable=False, unique=True),  # lower-cased, for duplicates
    sa.Column("domain", sa.String(253), nullable=False, index=True),
    sa.Column("categories", sa.Text, nullable=False),  # ";"-joined codes, as chosen
    sa.Column("areas", sa.Text, nullable=False),  # ";"-joined names, as chosen
    sa.Column("status", sa.String(16), nullable=False, index=True),  # pending / active / unsubscribed / bounced
    sa.Column("opted_in_at", sa.DateTime(timezone=True)),
    sa.Column("is_staff", sa.Boolean, nullable=False, default=False),
    sa.Column("unsubscribe_token", sa.String(64), nullable=False, unique=True),
    sa.Column("confirm_token_hash", sa.String(64), index=True),
    sa.Column("confirm_expires_at", sa.DateTime(timezone=True)),
    sa.Column("unsubscribed_at", sa.DateTime(timezone=True)),
    sa.Column("hard_bounces", sa.Integer, nullable=False, default=0),  # in a row; a delivery resets it
    sa.Column("suppressed_at", sa.DateTime(timezone=True)),
    sa.Column("content_hash", sa.String(64)),  # of the imported row (None: registered here)
    sa.Column("import_id", sa.Integer, sa.ForeignKey("member_imports.import_id")),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)

member_categories = sa.Table(
    "member_categories", metadata,
    sa.Column("member_id", sa.String(32), sa.ForeignKey("members.member_id"), primary_key=True),
    sa.Column("category", sa.String(16), primary_key=True, index=True),
)

# kind: "pref" (code 46), "city" (JIS code) or "station" (station name, e.g. 鹿児島中央警察署).
member_areas = sa.Table(
    "member_areas", metadata,
    sa.Column("member_id", sa.String(32), sa.ForeignKey("members.member_id"), primary_key=True),
    sa.Column("kind", sa.String(8), primary_key=True),
    sa.Column("code", sa.String(64), primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Index("ix_member_areas_kind_code", "kind", "code"),
)

# Which municipalities each station district covers, as the member import saw it.
station_districts = sa.Table(
    "station_districts", metadata,
    sa.Column("station", sa.String(64), primary_key=True),
    sa.Column("city_code", sa.String(8), primary_key=True, index=True),
)

# One row per (alert, member); state: queued / sending / sent / deferred / failed / skipped.
outbox = sa.Table(
    "outbox", metadata,
    sa.Column("alert_id", sa.Integer, sa.ForeignKey("alerts.alert_id"), primary_key=True),
    sa.Column("member_id", sa.String(32), sa.ForeignKey("members.member_id"), primary_key=True),
    sa.Column("seq", sa.Integer, nullable=False),  # sending order within the alert
    sa.Column("email", sa.String(254), nullable=False),  # the address when queued
    sa.Column("domain", sa.String(253), nullable=False),
    sa.Column("message_id", sa.String(255), nullable=False, unique=True),
    sa.Column("state", sa.String(12), nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False, default=0),
    sa.Column("ambiguous", sa.Integer, nullable=False, default=0),  # times found "sending" after a crash
    sa.Column("last_code", sa.Integer),
    sa.Column("last_reply", sa.Text),
    sa.Column("queued_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("next_attempt_at", sa.DateTime(timezone=True)),
    sa.Column("sent_at", sa.DateTime(timezone=True)),
    sa.Index("ix_outbox_alert_state", "alert_id", "state"),
)

bounces = sa.Table(
    "bounces", metadata,
    sa.Column("bounce_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("member_id", sa.String(32), sa.ForeignKey("members.member_id"), nullable=False, index=True),
    sa.Column("alert_id", sa.Integer, sa.ForeignKey("alerts.alert_id"), nullable=False),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("code", sa.Integer),
    sa.Column("reply", sa.Text),
)

delivery_runs = sa.Table(
    "delivery_runs", metadata,
    sa.Column("run_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("alert_id", sa.Integer, sa.ForeignKey("alerts.alert_id"), nullable=False, index=True),
    sa.Column("operator", sa.String(64)),
    sa.Column("relay", sa.Text, nullable=False),
    sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("finished_at", sa.DateTime(timezone=True)),
    sa.Column("report", sa.JSON),
)

RECORD_COLUMNS = glossary.INCIDENT_COLUMNS + glossary.OPTIONAL_COLUMNS


def connect(url: str) -> sa.Engine:
    """An engine for ``url`` with the schema created (idempotent)."""
    try:
        engine = sa.create_engine(url)
        if engine.dialect.name == "sqlite":
            sa.event.listen(engine, "connect", _sqlite_pragmas)
        metadata.create_all(engine)
        _owner_only(engine)
    except (SQLAlchemyError, ImportError, ValueError) as exc:
        raise StoreError(f"データベース {redact_url(url)} に接続できません: {exc}") from exc
    return engine



def _owner_only(engine: sa.Engine) -> None:
    """A SQLite file holds personal data: readable and writable by its owner only."""
    import os

    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if database and database != ":memory:":
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(database + suffix):
                os.chmod(database + suffix, 0o600)


def _sqlite_pragmas(dbapi_connection, _record):
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def content_hash(record: dict, columns=RECORD_COLUMNS) -> str:
    """A stable fingerprint of a record's content (an incident's by default), to spot changed re-imports."""
    payload = {c: plain_value(record.get(c)) for c in columns}
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def plain_value(value):
    """A cell as a plain Python value for storage and hashing (None, UTC ISO text, int/float/str)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.tz_convert("UTC").isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


@dataclass
class SaveResult:
    """What storing a batch did: new rows, identical rows, and rows in conflict."""

    import_id: int | None
    inserted: int
    unchanged: int
    conflicts: pd.DataFrame  # incident_id, reason


def save_incidents(engine: sa.Engine, frame: pd.DataFrame, *, source_name: str, source_sha256: str,
                   rows_read: int, rejected: int, quarantine_path: str | None = None) -> SaveResult:
    """Insert new incidents; leave identical ones; report those stored with other content.

    A stored incident is never overwritten: a re-export that changed an
    incident is a conflict for a person to resolve. Re-importing a file whose
    every row is already stored writes nothing at all (no import record either).
    """
    records = [_db_record(row) for row in frame[list(RECORD_COLUMNS)].to_dict("records")]
    try:
        with engine.begin() as conn:
            stored = _stored_hashes(conn, [r["incident_id"] for r in records])
            new = [r for r in records if r["incident_id"] not in stored]
            unchanged = sum(1 for r in records if stored.get(r["incident_id"]) == r["content_hash"])
            conflicting = [r["incident_id"] for r in records
                           if r["incident_id"] in stored and stored[r["incident_id"]] != r["content_hash"]]
            conflicts = pd.DataFrame({
                "incident_id": conflicting,
                "reason": [f"事案番号「{i}」は別の内容で登録済みです(上書きしていません)" for i in conflicting],
            })
            if not new and not conflicting:
                return SaveResult(None, 0, unchanged, conflicts)
            import_id = conn.execute(imports.insert().values(
                source_name=source_name, source_sha256=source_sha256,
                imported_at=pd.Timestamp.now(tz="UTC").to_pydatetime(), rows_read=rows_read,
                accepted=len(records), rejected=rejected, inserted=len(new), unchanged=unchanged,
                conflicts=len(conflicting), quarantine_path=quarantine_path,
            )).inserted_primary_key[0]
            if new:
                conn.execute(incidents.insert(), [{**r, "import_id": import_id} for r in new])
    except SQLAlchemyError as exc:
        raise StoreError(f"事案の保存に失敗しました(何も書き込んでいません): {exc}") from exc
    return SaveResult(import_id, len(new), unchanged, conflicts)


def _stored_hashes(conn, ids: list[str]) -> dict[str, str]:
    found = {}
    for start in range(0, len(ids), 500):  # stay under SQLite's bound-parameter limit
        chunk = ids[start:start + 500]
        query = sa.select(incidents.c.incident_id, incidents.c.content_hash).where(incidents.c.incident_id.in_(chunk))
        found.update(dict(conn.execute(query).all()))
    return found


def _db_record(row: dict) -> dict:
    record = {c: plain_value(row.get(c)) for c in RECORD_COLUMNS}
    record["content_hash"] = content_hash(row)
    record["occurred_at"] = pd.Timestamp(row["occurred_at"]).tz_convert("UTC").to_pydatetime()
    return record


def read_incidents(engine: sa.Engine, *, since=None, until=None, category: str | None = None):
    """Stored incidents as a GeoDataFrame (canonical columns, EPSG:4326), oldest first."""
    query = sa.select(*[incidents.c[c] for c in RECORD_COLUMNS]).order_by(incidents.c.occurred_at, incidents.c.incident_id)
    if since is not None:
        query = query.where(incidents.c.occurred_at >= _utc(since))
    if until is not None:
        query = query.where(incidents.c.occurred_at < _utc(until))
    if category is not None:
        query = query.where(incidents.c.category == category)
    with engine.connect() as conn:
        frame = pd.DataFrame(conn.execute(query).mappings().all(), columns=list(RECORD_COLUMNS))
    stamps = pd.to_datetime(frame["occurred_at"])
    frame["occurred_at"] = stamps.dt.tz_localize("UTC") if stamps.dt.tz is None else stamps
    frame = frame.astype({c: object for c in RECORD_COLUMNS if c not in ("occurred_at", "lat", "lon", "age", "height_cm")})
    return to_geoframe(frame.where(frame.notna(), None) if len(frame) else frame)


def _utc(value):
    stamp = pd.Timestamp(value)
    stamp = stamp.tz_localize("Asia/Tokyo") if stamp.tzinfo is None else stamp
    # Stored values are UTC (SQLite keeps only their wall-clock), so compare in UTC.
    return stamp.tz_convert("UTC").to_pydatetime()


def read_imports(engine: sa.Engine) -> pd.DataFrame:
    """The import log, newest first."""
    with engine.connect() as conn:
        rows = conn.execute(sa.select(imports).order_by(imports.c.import_id.desc())).mappings().all()
    return pd.DataFrame(rows, columns=[c.name for c in imports.columns])


# -- うそ電話 (fraud calls), their summaries and the report schedule ---------------------
# (Appended for issue 9; ``anshin_lab.app.fraud`` and ``anshin_lab.app.schedule`` read and write them.)

fraud_imports = sa.Table(
    "fraud_imports", metadata,
    sa.Column("import_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("source_name", sa.Text, nullable=False),
    sa.Column("source_sha256", sa.String(64), nullable=False),
    sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("rows_read", sa.Integer, nullable=False),
    sa.Column("accepted", sa.Integer, nullable=False),
    sa.Column("rejected", sa.Integer, nullable=False),
    sa.Column("inserted", sa.Integer, nullable=False),
    sa.Column("unchanged", sa.Integer, nullable=False),
    sa.Column("conflicts", sa.Integer, nullable=False),
    sa.Column("quarantine_path", sa.Text),
)

# One row per call (予兆電話) or case (未遂 / 既遂); columns as ``fraud.FRAUD_COLUMNS``.
fraud_calls = sa.Table(
    "fraud_calls", metadata,
    sa.Column("call_id", sa.String(64), primary_key=True),
    sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False, index=True),
    sa.Column("city_code", sa.String(8), nullable=False, index=True),
    sa.Column("city", sa.Text, nullable=False),
    sa.Column("key_code", sa.String(16)),
    sa.Column("station", sa.String(64), index=True),
    sa.Column("method", sa.String(32), nullable=False),
    sa.Column("caller_as", sa.Text, nullable=False),
    sa.Column("outcome", sa.String(8), nullable=False),
    sa.Column("loss_yen", sa.BigInteger),
    sa.Column("victim_age_band", sa.String(16), nullable=False),
    sa.Column("content_hash", sa.String(64), nullable=False),
    sa.Column("import_id", sa.Integer, sa.ForeignKey("fraud_imports.import_id"), nullable=False),
)

# The summary alert drafted for one report (parameters + data hash), so re-running it drafts nothing new.
fraud_summary_drafts = sa.Table(
    "fraud_summary_drafts", metadata,
    sa.Column("report_key", sa.String(255), primary_key=True),
    sa.Column("alert_id", sa.Integer, sa.ForeignKey("alerts.alert_id"), nullable=False),
    sa.Column("created_by", sa.String(64), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

# One row per (job, period): the claim that makes each period run once; status running / ok / failed.
schedule_periods = sa.Table(
    "schedule_periods", metadata,
    sa.Column("job_id", sa.String(200), primary_key=True),
    sa.Column("period_start", sa.String(10), primary_key=True),  # ISO dates, inclusive
    sa.Column("period_end", sa.String(10), primary_key=True),
    sa.Column("status", sa.String(12), nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False),
    sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("claimed_by", sa.Text, nullable=False),  # user@host:pid
    sa.Column("report_path", sa.Text),
)

# The run log: every attempt of every scheduled job.
schedule_runs = sa.Table(
    "schedule_runs", metadata,
    sa.Column("run_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("job_id", sa.String(200), nullable=False, index=True),
    sa.Column("period_start", sa.String(10), nullable=False),
    sa.Column("period_end", sa.String(10), nullable=False),
    sa.Column("scheduled_for", sa.DateTime(timezone=True), nullable=False),
    sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("finished_at", sa.DateTime(timezone=True)),
    sa.Column("status", sa.String(12), nullable=False),  # running / ok / failed
    sa.Column("forced", sa.Boolean, nullable=False, default=False),
    sa.Column("report_path", sa.Text),
    sa.Column("error", sa.Text),
)
