"""Notebook forms (ipywidgets): the analyst's draft form.

Only this module imports ipywidgets. The form calls the same library
functions as the CLI (``privacy.assess``/``adjust``, ``drafting.draft``) and
hands the draft to ``anshin service`` (``ServiceClient.create_alert`` /
``submit``) as the logged-in analyst, so every rule holds whether a draft is
made here or elsewhere and a kernel never writes the workflow itself. It is
driven headless in the tests by setting widget values and calling
``button.click()``.
"""

from __future__ import annotations

import html

import ipywidgets as widgets
import pandas as pd
from IPython.display import display

from anshin_lab import privacy
from anshin_lab.app.catalog import load_areas, read_incidents
from anshin_lab.app.client import ServiceClient
from anshin_lab.app.workspace import require_workspace
from anshin_lab.core.errors import AnshinError
from anshin_lab.core.granularity import Granularity
from anshin_lab.drafting import mail as drafting
from anshin_lab.drafting.fixes import Change, fix_texts

__all__ = ["DraftForm", "draft_forms"]


class DraftForm:
    """A form to draft one incident's alert and hand it to the workflow (「承認申請」).

    ``client`` is a ``ServiceClient`` logged in as the analyst; without one
    the form previews but cannot submit (``login_note`` says why). The granularity dropdown offers the
    assessed level and coarser ones only: a finer place needs two approvers
    of different roles (``alerts.override``), not a form. The place panel
    shows the households of the published area; the lint panel what the
    lint finds, and what 「指摘を修正」 and the drafting changed (before → after).
    """

    def __init__(self, workspace=None, incident_id: str | None = None, *, client: ServiceClient | None = None,
                 areas=None, login_note: str = ""):
        self.ws = require_workspace(workspace)
        incidents = read_incidents(settings=self.ws.settings)
        match = incidents[incidents["incident_id"] == str(incident_id)]
        if match.empty:
            raise AnshinError(f"事案番号「{incident_id}」は登録されていません")
        self.incident = match.iloc[0].to_dict()
        self.areas = areas or load_areas(self.ws.root)
        self.client = client
        self.login_note = login_note
        self.limits = drafting.MobileLimits(self.ws.settings.subject_max_chars, self.ws.settings.body_max_chars)
        self.assessed = privacy.assess(self.incident, self.areas)
        self.decision = self.assessed
        self.alert_id: int | None = None
        self.fixes: tuple[Change, ...] = ()  # what the last 「指摘を修正」 changed

        allowed = [level for level in Granularity if level >= self.assessed.level and level > Granularity.EXACT]
        self.level = widgets.Dropdown(options=[(f"{lv.label}", lv.name) for lv in allowed],
                                      value=self.assessed.level.name, description="公表の粒度")
        self.tip_boxes = [widgets.Checkbox(value=tip in self._auto_tips(), description=tip, indent=False,
                                           layout=widgets.Layout(width="100%"))
                          for tip in self._tip_candidates()]
        self.subject = widgets.Text(description="件名", layout=widgets.Layout(width="100%"))
        self.body = widgets.Textarea(description="本文", layout=widgets.Layout(width="100%", height="320px"))
        self.preview = widgets.HTML()
        self.lint_panel = widgets.HTML()
        self.reasons = widgets.HTML()
        self.status = widgets.HTML()
        self.fix_button = widgets.Button(description="指摘を修正", icon="wrench")
        self.submit_button = widgets.Button(description="承認申請", button_style="primary")

        self.level.observe(lambda change: self._regenerate(), names="value")
        for box in self.tip_boxes:
            box.observe(lambda change: self._regenerate(), names="value")
        self.subject.observe(lambda change: self._refresh(), names="value")
        self.body.observe(lambda change: self._refresh(), names="value")
        self.fix_button.on_click(lambda button: self.apply_fixes())
        self.submit_button.on_click(lambda button: self.submit())
        self._regenerate()

    # -- building the draft ---------------------------------------------------

    def _tip_candidates(self) -> list[str]:
        library = drafting.tips_library()
        rows = library[library["category"] == self.incident["category"]]
        return list(dict.fromkeys(rows["tip"]))

    def _auto_tips(self) -> tuple[str, ...]:
        return drafting.choose_tips(self.incident)

    @property
    def tips(self) -> tuple[str, ...]:
        return tuple(box.description for box in self.tip_boxes if box.value)

    def _regenerate(self) -> None:
        """Redraw subject and body from the incident at the chosen level and tips."""
        level = Granularity[self.level.value]
        self.decision = self.assessed if level == self.assessed.level else privacy.adjust(
            self.assessed, level, self.areas, reason="起案者が公表範囲を広げました")
        generated = drafting.draft(self.incident, self.decision, tips=self.tips, limits=self.limits)
        self.fixes = ()
        self._updating = True
        self.subject.value, self.body.value = generated.subject, generated.body
        self._updating = False
        self._refresh()

    @property
    def draft(self) -> drafting.AlertDraft:
        """The draft as the form shows it now (hand edits included), with its checks."""
        generated = drafting.draft(self.incident, self.decision, tips=self.tips, limits=self.limits)
        return drafting.edited(generated, subject=self.subject.value, body=self.body.value, limits=self.limits)

    def _refresh(self) -> None:
        if getattr(self, "_updating", False):
            return
        current = self.draft
        self.preview.value = (f"<div style='border:1px solid #999;padding:8px;max-width:36em'>"
                              f"<b>{html.escape(current.subject)}</b><pre style='white-space:pre-wrap'>"
                              f"{html.escape(current.body)}</pre></div>")
        problems = [f"<li>{html.escape(f.text)}({f.kind}) → 「{html.escape(f.suggestion)}」</li>" for f in current.findings]
        problems += [f"<li>{html.escape(w.message)}: {html.escape(w.fix)}</li>" for w in current.warnings]
        panel = ("<b>確認事項</b><ul>" + "".join(problems) + "</ul>") if problems else "<b>指摘なし</b>"
        panel += _changes_html("修正した箇所", self.fixes)
        panel += _changes_html("起案時に自動で直した箇所", current.changes)
        self.lint_panel.value = panel
        reasons = "".join(f"<li>{html.escape(r)}</li>" for r in self.decision.reasons) or "<li>判定どおり</li>"
        self.reasons.value = (f"<b>場所の判定: {self.decision.level.label}"
                              f"(公表する地域: {html.escape(self.decision.households_text)})</b><ul>{reasons}</ul>")

    def apply_fixes(self) -> None:
        """Rewrite what the lint finds as readable Japanese, replace machine-dependent characters, show the changes.

        After the fix the lint finds nothing; the panel lists each change (before → after).
        """
        subject, body = fix_texts(drafting.fix_machine_dependent(self.subject.value),
                                  drafting.fix_machine_dependent(self.body.value))
        self.fixes = subject.changes + body.changes
        self._updating = True
        self.subject.value, self.body.value = subject.text, body.text
        self._updating = False
        self._refresh()

    # -- handing over ------------------------------------------------------------

    def submit(self) -> int | None:
        """Store the draft and submit it for approval; blocked while the lint has findings."""
        current = self.draft
        if self.client is None or not self.client.token:
            why = f"({html.escape(self.login_note)})" if self.login_note else ""
            self.status.value = f"<b style='color:#b00'>ログインしていないため申請できません{why}</b>"
            return None
        if current.findings:
            self.status.value = ("<b style='color:#b00'>公表できない表現が残っています。修正してから申請してください"
                                 "(やむを得ない場合は承認者が理由を付けて了承します)</b>")
            return None
        try:
            if self.alert_id is None:  # a submission refused after the draft was stored submits that draft
                self.alert_id = self.client.create_alert(
                    category=current.category, subject=current.subject, body=current.body, level=current.level,
                    assessed_level=self.assessed.level, public_text=current.public_text,
                    area_codes=current.area_codes, incident_ids=current.incident_ids)
            else:
                self.client.edit(self.alert_id, subject=current.subject, body=current.body)
            self.client.submit(self.alert_id)
        except AnshinError as exc:
            self.status.value = f"<b style='color:#b00'>{html.escape(str(exc))}</b>"
            return None
        self.status.value = f"<b>承認申請しました(配信 #{self.alert_id})</b>"
        return self.alert_id

    # -- display -------------------------------------------------------------------

    def widget(self) -> widgets.Widget:
        """The whole form as one widget (what a notebook shows)."""
        tips = widgets.VBox([widgets.HTML("<b>★防犯のポイント</b>"), *self.tip_boxes])
        buttons = widgets.HBox([self.fix_button, self.submit_button])
        editor = widgets.VBox([self.level, self.reasons, tips, self.subject, self.body, self.lint_panel, buttons,
                               self.status])
        return widgets.HBox([editor, self.preview])

    def _ipython_display_(self):
        display(self.widget())


def _changes_html(title: str, changes) -> str:
    """A list of changes, 「before」→「after」, under ``title``; nothing when there are none."""
    if not changes:
        return ""
    items = "".join(f"<li>{html.escape(str(change))}</li>" for change in changes)
    return f"<b>{html.escape(title)}</b><ul>{items}</ul>"


def draft_forms(workspace=None, incident_ids=None, *, recent_days: int = 7, login: bool = True) -> list[DraftForm]:
    """Draft forms for the given incidents, or for the last week's 脅威事犯 when None.

    "The last week" ends at the newest stored incident, so the fixed sample
    year behaves the same on any date. With ``login`` the forms log in to
    ``anshin service`` as ``ANSHIN_USER`` / ``ANSHIN_PASSWORD``; without them,
    or without a running service, the forms preview only and say why.
    """
    ws = require_workspace(workspace)
    if incident_ids is None:
        incidents = read_incidents(settings=ws.settings, category="threat")
        if incidents.empty:
            return []
        newest = incidents["occurred_at"].max()
        incident_ids = list(incidents[incidents["occurred_at"] > newest - pd.Timedelta(days=recent_days)]["incident_id"])
    client, note = None, "ANSHIN_USER と ANSHIN_PASSWORD でログインします"
    if login:
        client = ServiceClient.for_workspace(ws)
        try:
            if client.login_from_environment() is None:
                client = None
        except AnshinError as exc:
            client, note = None, str(exc)
    areas = load_areas(ws.root)
    return [DraftForm(ws.root, incident_id, client=client, areas=areas, login_note=note)
            for incident_id in incident_ids]
