"""The demo's account of every alert in the database: sent, withdrawn or rejected (why), or stopped by a rule (which one).

The counts add up to the number of alerts stored, so a reader can see that
nothing was lost or sent without passing the gates. The demo takes every
draft through the workflow, so an alert left as a draft or ready but unsent
is a group of its own, shown only when there is one (with what it waits for).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import sqlalchemy as sa

from anshin_lab.core.directive import category_rule
from anshin_lab.core.errors import AnshinError, ConsentMissing, PermissionDenied
from anshin_lab.storage.schema import fraud_summary_drafts
from anshin_lab.workflow import alerts
from anshin_lab.workflow.rules import BEFORE_SENT, Status

# The rule behind each kind of refusal, as the directive states it.
RULE_OF_ERROR = (
    (ConsentMissing, "承諾がなければ配信しない(要綱 第6(2))"),
    (PermissionDenied, "権限のある者だけが決裁・発信する(要綱 第6(1))"),
    (AnshinError, "発信前の確認(承認・本文・発生場所の粒度)を満たさない配信は発信しない(要綱 第5)"),
)
# Why a draft stays a draft, by how it came to be.
SCHEDULED_DRAFT = ("うそ電話の定期集計({area} {start}〜{end})の起案(分析担当の承認申請待ち: "
                   "anshin alerts submit {alert_id})")
PLAIN_DRAFT = "起案中(分析担当の承認申請待ち: anshin alerts submit {alert_id})"
INCOMPLETE = "送信が終わっていません(もう一度実行すると続きから送ります)"


def stop_reason(exc: AnshinError) -> str:
    """「rule: what was missing」 for an alert a workflow step refused."""
    rule = next(text for kind, text in RULE_OF_ERROR if isinstance(exc, kind))
    return f"{rule}: {exc}"


@dataclass
class Account:
    """Where every stored alert stands; the groups partition ``total``."""

    total: int
    sent: pd.DataFrame
    ended: list[tuple[int, str, str]] = field(default_factory=list)  # (id, status label, reason)
    stopped: list[tuple[int, str, str]] = field(default_factory=list)  # (id, status label, rule and reason)
    drafts: list[tuple[int, str, str]] = field(default_factory=list)  # (id, category name, why)
    unsent: list[tuple[int, str, str]] = field(default_factory=list)  # ready, delivery not finished

    def lines(self) -> list[str]:
        followups = int(self.sent["original_alert_id"].notna().sum())
        by_category = self.sent[self.sent["original_alert_id"].isna()]["category"].map(_category_name).value_counts()
        sent_detail = "、".join([f"{name} {n}件" for name, n in by_category.items()]
                               + ([f"続報 {followups}件"] if followups else []))
        left = "".join(f" + {name} {len(group)}件" for name, group in (("起案のまま", self.drafts),
                                                                      ("送信未完了", self.unsent)) if group)
        out = [f"配信の内訳: データベースの配信 {self.total}件 = 発信済み {len(self.sent)}件"
               f" + 取り下げ・不可 {len(self.ended)}件 + 規則で停止 {len(self.stopped)}件{left}",
               f"  発信済み: {sent_detail or 'なし'}"]
        out += [f"  取り下げ・不可 #{i}({label}): {why}" for i, label, why in self.ended]
        out += [f"  停止 #{i}({label}): {why}" for i, label, why in self.stopped]
        out += [f"  起案のまま #{i}({name}): {why}" for i, name, why in self.drafts]
        out += [f"  送信未完了 #{i}({label}): {why}" for i, label, why in self.unsent]
        return out


def account_for_alerts(engine: sa.Engine, stopped: dict[int, str]) -> Account:
    """Every alert of the database in exactly one group; ``stopped`` maps an alert id to why a step refused it."""
    frame = alerts.list_alerts(engine).sort_values("alert_id")
    scheduled = _scheduled_drafts(engine)
    statuses = frame["status"].map(Status)
    account = Account(total=len(frame), sent=frame[statuses.isin([Status.SENT, Status.CLOSED])])
    for row, status in zip(frame.itertuples(index=False), statuses):
        alert_id = int(row.alert_id)
        if status in (Status.REJECTED, Status.WITHDRAWN):
            account.ended.append((alert_id, status.label, _ending_reason(engine, alert_id)))
        elif status == Status.READY:
            account.unsent.append((alert_id, status.label, INCOMPLETE))
        elif status == Status.DRAFT and alert_id not in stopped:
            why = scheduled.get(alert_id, PLAIN_DRAFT).format(alert_id=alert_id)
            account.drafts.append((alert_id, _category_name(row.category), why))
        elif status in BEFORE_SENT:
            account.stopped.append((alert_id, status.label, stopped.get(alert_id, "決裁の途中です(理由の記録なし)")))
    return account


def _scheduled_drafts(engine: sa.Engine) -> dict[int, str]:
    """The drafts the fraud-call summaries stored, with what each summarises (from its report key)."""
    with engine.connect() as conn:
        rows = conn.execute(sa.select(fraud_summary_drafts.c.alert_id, fraud_summary_drafts.c.report_key)).all()
    found = {}
    for alert_id, key in rows:
        area, start, end = (key.split("|") + ["", "", ""])[:3]
        found[int(alert_id)] = SCHEDULED_DRAFT.format(area=area, start=start, end=end, alert_id="{alert_id}")
    return found


def _ending_reason(engine: sa.Engine, alert_id: int) -> str:
    events = alerts.history(engine, alert_id)
    reasons = events["reason"].dropna()
    return str(reasons.iloc[-1]) if len(reasons) else "理由の記録なし"


def _category_name(code: str) -> str:
    return category_rule(code).label
