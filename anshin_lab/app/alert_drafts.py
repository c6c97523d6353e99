"""An incident's alert draft without a notebook: what ``anshin alerts create`` hands to the service.

The same calls as the draft form (``views.forms.DraftForm``): the privacy
guard's decision for the incident (``privacy.assess``), a coarser level when
asked (``privacy.adjust``, never finer: that needs two approvers), the
drafting templates, and the analyst's own subject or body (e.g. from a text
file) checked again (``drafting.edited``). Nothing is stored here: the caller
sends the draft through ``anshin service``.
"""

from __future__ import annotations

from dataclasses import dataclass

from anshin_lab import privacy
from anshin_lab.app.catalog import load_areas, read_incidents
from anshin_lab.app.workspace import require_workspace
from anshin_lab.core.errors import AnshinError, WorkflowError
from anshin_lab.core.granularity import Granularity
from anshin_lab.drafting import mail as drafting

__all__ = ["IncidentDraft", "draft_incident_alert", "read_draft_text"]


@dataclass(frozen=True)
class IncidentDraft:
    """The draft to store and the privacy decision it publishes."""

    draft: drafting.AlertDraft
    decision: privacy.Decision
    assessed_level: Granularity


def draft_incident_alert(workspace, incident_id: str, *, level=None, subject: str | None = None,
                         body: str | None = None, areas=None) -> IncidentDraft:
    """The alert draft of stored incident ``incident_id`` (``AnshinError`` naming the fix when it cannot be made).

    ``level`` (a Granularity name, e.g. ``CITY``) publishes coarser than
    assessed; ``subject`` / ``body`` replace the generated text.
    """
    ws = require_workspace(workspace)
    incidents = read_incidents(settings=ws.settings)
    match = incidents[incidents["incident_id"].astype(str) == str(incident_id)]
    if match.empty:
        raise WorkflowError(f"事案番号「{incident_id}」は登録されていません(anshin incidents import で取り込みます)")
    incident = match.iloc[0].to_dict()
    areas = areas or load_areas(ws.root)
    assessed = privacy.assess(incident, areas)
    decision = assessed
    if level is not None:
        try:
            wanted = Granularity.parse(level)
        except ValueError:
            names = "、".join(g.name for g in Granularity if g > Granularity.EXACT)
            raise WorkflowError(f"公表の粒度「{level}」は使えません(使えるのは {names})") from None
        if wanted < assessed.level:
            raise WorkflowError(f"判定({assessed.level.label})より細かい粒度({wanted.label})では起案できません"
                                "(細かくするには役職の異なる2人の承認者の了承が要ります: anshin alerts override)")
        if wanted != assessed.level:
            decision = privacy.adjust(assessed, wanted, areas, reason="起案者が公表範囲を広げました")
    limits = drafting.MobileLimits(ws.settings.subject_max_chars, ws.settings.body_max_chars)
    draft = drafting.draft(incident, decision, limits=limits)
    if subject is not None or body is not None:
        draft = drafting.edited(draft, subject=subject, body=body, limits=limits)
    return IncidentDraft(draft, decision, assessed.level)


def read_draft_text(path) -> str:
    """The text of a draft file (UTF-8, a BOM allowed); ``AnshinError`` naming the file when it cannot be read."""
    try:
        with open(path, encoding="utf-8-sig") as handle:
            return handle.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise AnshinError(f"本文のファイル {path} を読めません({type(exc).__name__}: UTF-8 のテキストにしてください)") from None
