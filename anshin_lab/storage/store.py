"""The database, as most callers know it: ``store.connect``, ``store.alerts``, ``store.save_incidents`` ….

A façade over ``storage.schema`` (the tables), ``storage.engine`` (connecting),
``storage.batches`` (the one batch save) and ``storage.incidents``, kept so
that ``from anshin_lab.storage import store`` reads as it always has.
Writes happen in one transaction each, so an import either lands whole or
not at all. Times are stored as UTC and come back as Asia/Tokyo.
"""

from anshin_lab.records.rows import content_hash, plain_value
from anshin_lab.storage.batches import SaveResult, save_batch
from anshin_lab.storage.engine import connect
from anshin_lab.storage.incidents import RECORD_COLUMNS, read_imports, read_incidents, save_incidents
from anshin_lab.storage.schema import (
    metadata, alert_events, alerts, audit_log, bounces, consents, delivery_runs, fraud_calls, fraud_imports,
    fraud_summary_drafts, imports, incident_counts, incidents, member_areas, member_categories, member_imports,
    members, operator_designations, outbox, schedule_periods, schedule_runs, send_controls, service_meta, sessions,
    station_districts, users,
)

__all__ = [
    "RECORD_COLUMNS", "SaveResult", "connect", "content_hash", "plain_value", "read_imports", "read_incidents",
    "save_batch", "save_incidents", "metadata", "alert_events", "alerts", "audit_log", "bounces", "consents",
    "delivery_runs", "fraud_calls", "fraud_imports", "fraud_summary_drafts", "imports", "incident_counts",
    "incidents", "member_areas", "member_categories", "member_imports", "members", "operator_designations",
    "outbox", "schedule_periods", "schedule_runs", "send_controls", "service_meta", "sessions", "station_districts",
    "users",
]
