"""Fraud-call reports of a workspace: what the scheduled summary notebook calls.

``summarise_workspace`` reads a workspace's calls (or a file, not stored) and
summarises them (``analysis.fraud_calls.summarise``); ``store_summary_draft``
asks ``anshin service`` to store the summary's mail
(``drafting.fraud_summary.draft_summary_alert``) as a draft awaiting
approval, as the logged-in analyst. Nothing here sends mail.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from anshin_lab.analysis.fraud_calls import FraudSummary, Period, parse_day, resolve_area, summarise
from anshin_lab.analysis.fraud_waves import ALPHA, BASELINE_DAYS, MIN_CALLS
from anshin_lab.app.client import ServiceClient, ServiceUnavailable
from anshin_lab.app.imports import load_fraud_calls
from anshin_lab.app.references import reference_tables
from anshin_lab.app.workspace import open_workspace, require_workspace
from anshin_lab.core.dates import TOKYO
from anshin_lab.core.directive import PREFECTURE
from anshin_lab.core.errors import PermissionDenied
from anshin_lab.records.fraud_calls import data_hash
from anshin_lab.storage import store
from anshin_lab.storage.fraud_calls import coverage, read_calls


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


# Where a kernel finds the session the command that started it opened (so the password stays in the command).
SESSION_VARIABLE = "ANSHIN_SESSION"
HOW_TO_STORE = ("起動中の anshin service に分析担当としてログインできる状態(ANSHIN_USER と ANSHIN_PASSWORD、"
                "または anshin report fraud-summary --analyst NAME でパスワードを入力)で同じ集計をもう一度実行すると登録します")


def store_summary_draft(workspace, draft, summary: FraudSummary, *, analyst: str = "", enabled: bool = True,
                        client: ServiceClient | None = None) -> StoredDraft:
    """Store the summary's mail through ``anshin service`` as a DRAFT awaiting approval (never submitted, never sent).

    The draft is created by whoever is logged in: the session the command
    passed in ``ANSHIN_SESSION``, else ``analyst`` (or ``ANSHIN_USER``) with
    ``ANSHIN_PASSWORD``. The service checks the role (analysts draft). With no
    login, or no service running, nothing is stored and the message says how
    to store it. A summary with the same parameters and data hash as one
    already drafted returns the earlier draft instead of adding another.
    """
    if draft is None:
        return StoredDraft(False, None, None, "この期間の記録がないため、注意喚起は起案していません")
    if not enabled:
        return StoredDraft(False, None, None, "下書きの登録はしない設定です(store_draft=False)")
    own = client is None
    client = client or ServiceClient.for_workspace(workspace)
    try:
        who = _log_in(client, analyst)
        if who is None:
            return StoredDraft(False, None, None, f"ログインしていないため、下書きは登録していません({HOW_TO_STORE})")
        key = f"{summary.area.name}|{summary.period.start}|{summary.period.end}|{summary.data_hash}"
        answer = client.create_alert_answer(
            category="fraud", subject=draft.subject, body=draft.body, level=draft.level,
            public_text=draft.public_text, assessed_level=draft.assessed_level, area_codes=draft.area_codes,
            incident_ids=list(draft.incident_ids), report_key=key)
    except ServiceUnavailable as exc:
        return StoredDraft(False, None, None, f"下書きは登録していません: {exc}({HOW_TO_STORE})")
    except PermissionDenied as exc:
        return StoredDraft(False, None, None, f"下書きは登録していません: {exc}({HOW_TO_STORE})")
    finally:
        if own and os.environ.get(SESSION_VARIABLE):
            client.http.close()  # the session the command opened is the command's to end
        elif own:
            client.close()  # our own login: log out
    if answer["existing"]:
        return StoredDraft(True, answer["alert_id"], answer["created_by"],
                           f"同じ条件・同じデータの下書き #{answer['alert_id']} が登録済みです(新たには登録していません)",
                           existing=True)
    return StoredDraft(True, answer["alert_id"], answer["created_by"],
                       f"下書き #{answer['alert_id']} として登録しました(作成者 {answer['created_by']})。"
                       "承認されるまで配信されません")


def _log_in(client: ServiceClient, analyst: str) -> str | None:
    """Log ``client`` in; the username, or None when there is nothing to log in with."""
    token = os.environ.get(SESSION_VARIABLE)
    if token:
        who = client.use_token(token)["username"]
        if analyst and who != analyst:
            raise PermissionDenied(f"ログイン中のユーザーが分析担当「{analyst}」ではありません")
        return who
    username = analyst or os.environ.get("ANSHIN_USER", "")
    secret = os.environ.get("ANSHIN_PASSWORD", "")
    if not username or not secret:
        return None
    return client.login(username, secret)["username"]


def read_stored_calls(workspace=None) -> pd.DataFrame:
    """Every call stored in a workspace (the default one when None), oldest first."""
    engine = store.connect(open_workspace(workspace).database_url)
    try:
        return read_calls(engine)
    finally:
        engine.dispose()
