"""The database schema: every table, in one SQLAlchemy ``MetaData``.

The same schema serves SQLite (the embedded default) and PostgreSQL (a shared
deployment). Times are stored as UTC.
"""

import sqlalchemy as sa

metadata = sa.MetaData()


def import_log(name: str) -> sa.Table:
    """An import log: one row per import that wrote something, with its counts and where its rejects went."""
    return sa.Table(
        name, metadata,
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

imports = import_log("imports")

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
    sa.Column("signature", sa.String(64)),  # over username, role, active, 所属: a role edited by hand is refused
    # 所属: a station of the station table or an HQ division (None: 本部 for HQ roles; a station chief must set one).
    sa.Column("affiliation", sa.String(64)),
)

operator_designations = sa.Table(
    "operator_designations", metadata,
    sa.Column("designation_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("username", sa.String(64), sa.ForeignKey("users.username"), nullable=False, index=True),
    sa.Column("designated_by", sa.String(64), sa.ForeignKey("users.username"), nullable=False),
    sa.Column("designated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("revoked_by", sa.String(64)),
    sa.Column("revoked_at", sa.DateTime(timezone=True)),
    sa.Column("signature", sa.String(64)),
)

# Login sessions the service issued; a token is valid only while its row is unrevoked and unexpired.
sessions = sa.Table(
    "sessions", metadata,
    sa.Column("session_id", sa.String(64), primary_key=True),  # sha256 of the token, never the token
    sa.Column("username", sa.String(64), sa.ForeignKey("users.username"), nullable=False, index=True),
    sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("revoked_at", sa.DateTime(timezone=True)),
)

# Facts about this database the service keeps (e.g. its id, which the audit anchor file names).
service_meta = sa.Table(
    "service_meta", metadata,
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
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
    sa.Column("station", sa.String(64), index=True),  # whose alert it is (None: 本部, prefecture-wide)
    sa.Column("outcome", sa.String(16)),  # a follow-up's outcome (検挙, 指導警告, 事件性なし, 訂正, 発見)
    # What it publishes as structured values (drafting.languages.published), signed with the content; None: older alert.
    sa.Column("published_fields", sa.JSON),
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
    sa.Column("content_hash", sa.String(64)),  # what an approval approved (workflow.authority.content_digest)
    sa.Column("signature", sa.String(64)),  # the service's HMAC over the event; a hand-made row has none
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
    sa.Column("signature", sa.String(64)),
)

# Incidents decided not to be mailed (報告漏れ防止: an incident has an alert or a recorded decision), signed.
incident_decisions = sa.Table(
    "incident_decisions", metadata,
    sa.Column("decision_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("incident_id", sa.String(64), nullable=False, index=True),  # no foreign key: retention may purge it
    sa.Column("decision", sa.String(16), nullable=False),  # no_send
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("decided_by", sa.String(64), sa.ForeignKey("users.username"), nullable=False),
    sa.Column("role", sa.String(32), nullable=False),
    sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("signature", sa.String(64)),
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

# The same for old fraud calls (``workflow.retention_tables``): calls and losses per month, city, station, 手口, 結果.
fraud_call_counts = sa.Table(
    "fraud_call_counts", metadata,
    sa.Column("month", sa.String(7), primary_key=True),
    sa.Column("city_code", sa.String(8), primary_key=True),
    sa.Column("station", sa.String(64), primary_key=True),
    sa.Column("method", sa.String(32), primary_key=True),
    sa.Column("outcome", sa.String(8), primary_key=True),
    sa.Column("count", sa.Integer, nullable=False),
    sa.Column("loss_yen", sa.BigInteger, nullable=False),
)

# -- members and delivery ------------------------------------------------------------

member_imports = import_log("member_imports")

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
    sa.Column("language", sa.String(8), default="ja"),  # the language of their mails (None, from an older database: ja)
    # Quiet hours, "HH:MM" Asia/Tokyo (None: none); a window may wrap midnight (22:00-07:00).
    sa.Column("quiet_start", sa.String(5)),
    sa.Column("quiet_end", sa.String(5)),
)

member_categories = sa.Table(
    "member_categories", metadata,
    sa.Column("member_id", sa.String(32), sa.ForeignKey("members.member_id"), primary_key=True),
    sa.Column("category", sa.String(16), primary_key=True, index=True),
)

# kind: "pref" (code 46), "city" (JIS code), "station" (station name, e.g. 鹿児島中央警察署) or "chome"
# (the small-area / 町丁目 code of the workspace's layer; name: its Japanese name).
member_areas = sa.Table(
    "member_areas", metadata,
    sa.Column("member_id", sa.String(32), sa.ForeignKey("members.member_id"), primary_key=True),
    sa.Column("kind", sa.String(8), primary_key=True),
    sa.Column("code", sa.String(64), primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Index("ix_member_areas_kind_code", "kind", "code"),
)

# The single-use member-site tokens already used (``delivery.member_tokens``): the SHA-256 of each.
member_token_uses = sa.Table(
    "member_token_uses", metadata,
    sa.Column("token_hash", sa.String(64), primary_key=True),
    sa.Column("purpose", sa.String(16), nullable=False),
    sa.Column("member_id", sa.String(32), nullable=False, index=True),
    sa.Column("used_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),  # the row may go after this
)

# Which 町丁目 touch a 町丁目 a member chose (kind "chome"), from the workspace's layer when it was chosen:
# an alert whose published area covers a neighbour touches the member's 町丁目 (``delivery.recipients``).
chome_neighbours = sa.Table(
    "chome_neighbours", metadata,
    sa.Column("chome_code", sa.String(16), primary_key=True),
    sa.Column("neighbour_code", sa.String(16), primary_key=True),
)

# Replies to 空メール registrations (``delivery.registration``), for the per-address rate limit. The address
# is kept only as the SHA-256 of its lower-cased form.
registration_replies = sa.Table(
    "registration_replies", metadata,
    sa.Column("reply_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("address_hash", sa.String(64), nullable=False, index=True),
    sa.Column("replied_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),  # confirm / active
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
    sa.Column("signature", sa.String(64)),  # over alert, member, address: a row added by hand is never sent
    sa.Index("ix_outbox_alert_state", "alert_id", "state"),
)

# A request to stop an alert's send (``anshin send stop``); the sender checks it between batches.
send_controls = sa.Table(
    "send_controls", metadata,
    sa.Column("alert_id", sa.Integer, sa.ForeignKey("alerts.alert_id"), primary_key=True),
    sa.Column("stop_requested_at", sa.DateTime(timezone=True)),
    sa.Column("stop_requested_by", sa.String(64)),
    sa.Column("reason", sa.Text),
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

# -- うそ電話 (fraud calls), their summaries and the report schedule ---------------------
# (``storage.fraud_calls``, ``app.fraud_reports`` and ``views.reports.schedule`` read and write them.)

fraud_imports = import_log("fraud_imports")

# One row per call (予兆電話) or case (未遂 / 既遂); columns as ``records.fraud_calls.FRAUD_COLUMNS``.
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
