"""Fraud-call reports of a workspace: what the scheduled summary notebook calls.

``summarise_workspace`` reads a workspace's calls (or a file, not stored) and
summarises them (``analysis.fraud_calls.summarise``); ``store_summary_draft``
stores the summary's mail (``drafting.fraud_summary.draft_summary_alert``) as
a draft awaiting approval. Nothing here sends mail.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from anshin_lab.analysis.fraud_calls import FraudSummary, Period, parse_day, resolve_area, summarise
from anshin_lab.analysis.fraud_waves import ALPHA, BASELINE_DAYS, MIN_CALLS
from anshin_lab.app.imports import load_fraud_calls
from anshin_lab.app.references import reference_tables
from anshin_lab.app.workspace import open_workspace, require_workspace
from anshin_lab.core.dates import TOKYO
from anshin_lab.core.directive import PREFECTURE
from anshin_lab.core.errors import WorkflowError
from anshin_lab.records.fraud_calls import data_hash
from anshin_lab.storage import store
from anshin_lab.storage.fraud_calls import coverage, read_calls
from anshin_lab.storage.schema import fraud_summary_drafts, users
from anshin_lab.workflow.alerts import create_alert
from anshin_lab.workflow.rules import Role
from anshin_lab.workflow.users import User, login_from_environment


def summarise_workspace(workspace=None, *, start=None, end=None, area=PREFECTURE, calls_file=None,
                        baseline_days: int = BASELINE_DAYS, alpha: float = ALPHA,
                        min_calls: int = MIN_CALLS) -> FraudSummary:
    """The summary of a workspace's calls for ``start``–``end`` (inclusive dates) in ``area``.

    The calls come from the workspace database, or from ``calls_file`` (an
    export read with ``load_fraud_calls`` and not stored) when given.
    ``end`` defaults to the day of the last call (today when there is none),
    ``start`` to six days before ``end``. The summary records the rows read
    and a hash of them (``data_hash``) so a reviewer can check a re-run.
    Raises ``ParameterError`` for an unknown area or impossible dates,
    ``DataError`` for an unreadable ``calls_file``.
    """
    ws = require_workspace(workspace)
    tables = reference_tables(ws.reference_dir)
    resolved = resolve_area(area, tables)
    notes = []
    if calls_file:
        loaded = load_fraud_calls(calls_file, reference_dir=ws.reference_dir)
        everything = loaded.calls
        first = everything["occurred_at"].min() if len(everything) else None
        last = everything["occurred_at"].max() if len(everything) else None
        source = f"ファイル {Path(calls_file).name}(取り込まずに直接読み込み、{loaded.summary()})"
        if len(loaded.rejected):
            notes.append(f"{calls_file} の{len(loaded.rejected)}行は不備があるため集計に含めていません")
    else:
        engine = store.connect(ws.database_url)
        try:
            first, last = coverage(engine)
            everything = None
        finally:
            engine.dispose()
        source = "作業領域のデータベース(取り込み済みのうそ電話の記録)"
    end_day = parse_day(end, "終了日") if end is not None else \
        (last.date() if last is not None else pd.Timestamp.now(tz=TOKYO).date())
    start_day = parse_day(start, "開始日") if start is not None else \
        (pd.Timestamp(end_day) - pd.Timedelta(days=6)).date()
    period = Period(start_day, end_day)
    read_from = min(period.previous().start_at, period.start_at - pd.Timedelta(days=int(baseline_days)))
    if everything is None:
        engine = store.connect(ws.database_url)
        try:
            calls = read_calls(engine, since=read_from, until=period.end_at)
        finally:
            engine.dispose()
    else:
        when = everything["occurred_at"]
        calls = everything[(when >= read_from) & (when < period.end_at)].reset_index(drop=True)
    if first is None:
        notes.append("うそ電話の記録がありません(`anshin fraud import FILE` で取り込んでください)")
    elif period.start_at < first.normalize() or (last is not None and period.end_at > last.normalize() + pd.Timedelta(days=1)):
        notes.append(f"記録があるのは {first.date()} から {last.date()} までです: 集計期間のうちその外の日は0件として数えています")
    summary = summarise(calls, period=period, area=resolved, tables=tables, baseline_days=baseline_days,
                        alpha=alpha, min_calls=min_calls, history_start=first)
    summary.rows_read = len(calls)
    summary.data_hash = data_hash(calls, extra=f"history_start={first}")
    summary.source = source
    summary.coverage = (first, last)
    summary.notes = notes
    return summary


@dataclass(frozen=True)
class StoredDraft:
    """What happened to a summary's draft: stored (new or earlier), or why not."""

    stored: bool
    alert_id: int | None
    created_by: str | None
    message: str
    existing: bool = False


def store_summary_draft(workspace, draft, summary: FraudSummary, *, analyst: str = "", enabled: bool = True) -> StoredDraft:
    """Store the summary's mail as a DRAFT awaiting approval (never submitted, never sent).

    The draft is created by ``analyst``, an active analyst account of the
    workspace (a system account for scheduled runs), or else by the user
    that ``users.login_from_environment`` logs in (``ANSHIN_USER`` /
    ``ANSHIN_PASSWORD``). Without either, nothing is stored and the message
    says so. A summary with the same parameters and data hash as one already
    drafted returns the earlier draft instead of adding another.
    """
    if draft is None:
        return StoredDraft(False, None, None, "この期間の記録がないため、注意喚起は起案していません")
    if not enabled:
        return StoredDraft(False, None, None, "下書きの登録はしない設定です(store_draft=False)")
    engine = store.connect(open_workspace(workspace).database_url)
    try:
        user = _analyst_account(engine, analyst) if analyst else login_from_environment(engine)
        if user is None:
            return StoredDraft(False, None, None, "分析担当のアカウントが指定されていないため、下書きは登録していません"
                                                   "(パラメータ analyst か環境変数 ANSHIN_USER で指定してください)")
        key = f"{summary.area.name}|{summary.period.start}|{summary.period.end}|{summary.data_hash}"
        with engine.connect() as conn:
            earlier = conn.execute(sa.select(fraud_summary_drafts).where(
                fraud_summary_drafts.c.report_key == key)).mappings().first()
        if earlier is not None:
            return StoredDraft(True, earlier["alert_id"], earlier["created_by"],
                               f"同じ条件・同じデータの下書き #{earlier['alert_id']} が登録済みです(新たには登録していません)",
                               existing=True)
        alert_id = create_alert(engine, user, category="fraud", subject=draft.subject, body=draft.body,
                                level=draft.level, public_text=draft.public_text,
                                assessed_level=draft.assessed_level, area_codes=draft.area_codes,
                                incident_ids=list(draft.incident_ids))
        with engine.begin() as conn:
            conn.execute(fraud_summary_drafts.insert().values(
                report_key=key, alert_id=alert_id, created_by=user.username,
                created_at=pd.Timestamp.now(tz="UTC").to_pydatetime()))
    finally:
        engine.dispose()
    return StoredDraft(True, alert_id, user.username,
                       f"下書き #{alert_id} として登録しました(作成者 {user.username})。承認されるまで配信されません")


def _analyst_account(engine: sa.Engine, username: str):
    """The active analyst account ``username`` (the scheduler's system account); ``WorkflowError`` otherwise."""
    with engine.connect() as conn:
        row = conn.execute(sa.select(users).where(users.c.username == username)).first()
    if row is None or not row.active:
        raise WorkflowError(f"分析担当のアカウント「{username}」がないか、無効です")
    if Role(row.role) != Role.ANALYST:
        raise WorkflowError(f"「{username}」は分析担当(analyst)のアカウントではありません({Role(row.role).label})")
    return User(row.username, row.display_name, Role.ANALYST)


def read_stored_calls(workspace=None) -> pd.DataFrame:
    """Every call stored in a workspace (the default one when None), oldest first."""
    engine = store.connect(open_workspace(workspace).database_url)
    try:
        return read_calls(engine)
    finally:
        engine.dispose()
