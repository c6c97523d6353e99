"""Tables as people read them: Japanese column names, and stored codes shown by their Japanese labels.

Package functions return frames with English columns and stored codes
(``status == "rejected"``); the CLI renames them here, once, at the moment
of printing. Incident columns take their names from the export headers of
``core.glossary``; the rest are listed in ``COLUMNS``.
"""

from __future__ import annotations

import unicodedata

import pandas as pd

from anshin_lab.core.clock import stored_tokyo
from anshin_lab.core.glossary import CATEGORIES, EXPORT_HEADERS
from anshin_lab.core.granularity import Granularity
from anshin_lab.workflow.rules import Action, Role, Status

COLUMNS = {
    **EXPORT_HEADERS,  # category → 分類, station → 管轄署, … (the incident exports' own names)
    **CATEGORIES,  # member counts have a column per category code
    # alerts and their history
    "alert_id": "番号", "status": "状態", "subject": "件名", "level": "公表の粒度", "public_text": "公表範囲",
    "original_alert_id": "元の配信", "created_by": "起案者", "updated_at": "更新日時",
    "at": "日時", "action": "操作", "actor": "操作者", "role": "役割", "reason": "理由",
    # users
    "username": "ユーザー名", "display_name": "表示名", "active": "有効", "locked_until": "ロック解除",
    "designated_operator": "発信操作担当者",
    # member counts
    "kind": "区分", "area": "地域", "members": "会員数", "staff": "うち職員",
    # schedule
    "job_id": "ジョブ", "title": "名称", "when": "予定", "period": "期間", "last_scheduled": "直近の予定時刻",
    "next_run": "次回",
}
AREA_KINDS = {"pref": "県", "city": "市町村", "station": "警察署管内", "chome": "町丁目", "total": "合計"}
MEMBER_STATUSES = {"pending": "仮登録", "active": "配信中", "unsubscribed": "配信停止", "bounced": "不達"}
YES_NO = {True: "はい", False: "いいえ"}

# Column → the Japanese label of each code it may hold (a code not listed is shown as stored).
VALUES = {
    "status": {**{status.value: status.label for status in Status}, **MEMBER_STATUSES},
    "role": {role.value: role.label for role in Role},
    "action": {action.value: action.label for action in Action},
    "category": CATEGORIES,
    "level": {level.name: level.label for level in Granularity},
    "kind": AREA_KINDS,
    "active": YES_NO,
    "designated_operator": YES_NO,
}
TIME_COLUMNS = ("at", "updated_at", "locked_until")


def for_people(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with Japanese column names, codes as their labels and times as Japan time to the minute."""
    shown = frame.copy()
    for column, labels in VALUES.items():
        if column in shown:
            shown[column] = shown[column].map(lambda value, labels=labels: labels.get(value, value))
    for column in TIME_COLUMNS:
        if column in shown:
            shown[column] = shown[column].map(japan_minute)
    for column in shown.columns:
        values = shown[column]
        if values.dtype.kind == "f" and (values.dropna() % 1 == 0).all():
            shown[column] = values.astype("Int64")  # an id column with gaps reads 2, not 2.0
    # Nothing recorded reads as blank, not None or NaN.
    return shown.astype(object).where(shown.notna(), "").rename(columns=COLUMNS)


def japan_minute(value) -> str:
    """A stored time (naive means UTC, as the database keeps it) as 「2026-11-28 17:00」 in Japan time; blank if none."""
    if value is None or pd.isna(value):
        return ""
    return f"{stored_tokyo(value):%Y-%m-%d %H:%M}"


def render_table(frame: pd.DataFrame, empty: str, *, index: bool = False) -> str:
    """The table as text for a terminal (columns aligned for Japanese), or ``empty`` when it has no rows."""
    if not len(frame):
        return empty
    shown = for_people(frame)
    # Text reads from the left, numbers from the right (frame and shown have the same columns, renamed).
    names = []
    for column, original in zip(shown.columns, frame.columns):
        if pd.api.types.is_numeric_dtype(frame[original]):
            names.append(column)
            continue
        values = _left_aligned(pd.concat([pd.Series([column]), shown[column]], ignore_index=True))
        shown[column] = values.iloc[1:].to_numpy()
        names.append(values.iloc[0])
    shown.columns = names
    with pd.option_context("display.unicode.east_asian_width", True):
        return shown.to_string(index=index)


def _left_aligned(values: pd.Series) -> pd.Series:
    """Text padded on the right to one display width, so pandas' right alignment reads as left (「件名」 columns)."""
    texts = values.map(str)
    widest = max((_display_width(t) for t in texts), default=0)
    return texts.map(lambda t: t + " " * (widest - _display_width(t)))


def _display_width(text: str) -> int:
    """Terminal columns of ``text``: full-width and wide characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "FW" else 1 for ch in text)
