"""Notebook forms (ipywidgets): the analyst's draft form.

Only this module imports ipywidgets. The form calls the same library
functions as the CLI (``privacy.assess``/``adjust``, ``drafting.draft``,
``alerts.create_alert``/``submit``), so every rule holds whether a draft is
made here or elsewhere. It is driven headless in the tests by setting widget
values and calling ``button.click()``.
"""

from __future__ import annotations

import html

import ipywidgets as widgets
import pandas as pd
from IPython.display import display

from anshin_lab import privacy
from anshin_lab.app.catalog import load_areas, read_incidents
from anshin_lab.app.workspace import require_workspace
from anshin_lab.core.errors import AnshinError
from anshin_lab.core.granularity import Granularity
from anshin_lab.drafting import mail as drafting
from anshin_lab.storage import store
from anshin_lab.workflow import alerts
from anshin_lab.workflow.users import login_from_environment

__all__ = ["DraftForm", "draft_forms"]


class DraftForm:
    """A form to draft one incident's alert and hand it to the workflow (「承認申請」).

    ``user`` is the logged-in analyst (``users.authenticate``); without one
    the form previews but cannot submit. The granularity dropdown offers the
    assessed level and coarser ones only: a finer place needs an approver
    (``alerts.override``), not a form.
    """

    def __init__(self, workspace=None, incident_id: str | None = None, *, user=None, areas=None):
        self.ws = require_workspace(workspace)
        incidents = read_incidents(settings=self.ws.settings)
        match = incidents[incidents["incident_id"] == str(incident_id)]
        if match.empty:
            raise AnshinError(f"事案番号「{incident_id}」は登録されていません")
        self.incident = match.iloc[0].to_dict()
        self.areas = areas or load_areas(self.ws.root)
        self.user = user
        self.limits = drafting.MobileLimits(self.ws.settings.subject_max_chars, self.ws.settings.body_max_chars)
        self.assessed = privacy.assess(self.incident, self.areas)
        self.decision = self.assessed
        self.alert_id: int | None = None

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
        self.lint_panel.value = ("<b>確認事項</b><ul>" + "".join(problems) + "</ul>") if problems else "<b>指摘なし</b>"
        reasons = "".join(f"<li>{html.escape(r)}</li>" for r in self.decision.reasons) or "<li>判定どおり</li>"
        self.reasons.value = f"<b>場所の判定: {self.decision.level.label}</b><ul>{reasons}</ul>"

    def apply_fixes(self) -> None:
        """Apply the lint suggestions and replace machine-dependent characters."""
        subject, _ = privacy.scrub(drafting.fix_machine_dependent(self.subject.value))
        body, _ = privacy.scrub(drafting.fix_machine_dependent(self.body.value))
        self.subject.value, self.body.value = subject, body

    # -- handing over ------------------------------------------------------------

    def submit(self) -> int | None:
        """Store the draft and submit it for approval; blocked while the lint has findings."""
        current = self.draft
        if self.user is None:
            self.status.value = "<b style='color:#b00'>ログインしていないため申請できません</b>"
            return None
        if current.findings:
            self.status.value = ("<b style='color:#b00'>公表できない表現が残っています。修正してから申請してください"
                                 "(やむを得ない場合は承認者が理由を付けて了承します)</b>")
            return None
        engine = store.connect(self.ws.database_url)
        try:
            self.alert_id = alerts.create_alert(
                engine, self.user, category=current.category, subject=current.subject, body=current.body,
                level=current.level, assessed_level=self.assessed.level, public_text=current.public_text,
                area_codes=current.area_codes, incident_ids=current.incident_ids)
            alerts.submit(engine, self.user, self.alert_id)
        except AnshinError as exc:
            self.status.value = f"<b style='color:#b00'>{html.escape(str(exc))}</b>"
            return None
        finally:
            engine.dispose()
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


def draft_forms(workspace=None, incident_ids=None, *, recent_days: int = 7, login: bool = True) -> list[DraftForm]:
    """Draft forms for the given incidents, or for the last week's 脅威事犯 when None.

    "The last week" ends at the newest stored incident, so the fixed sample
    year behaves the same on any date. With ``login`` the user comes from
    ``ANSHIN_USER`` / ``ANSHIN_PASSWORD``; without them the forms preview only.
    """
    ws = require_workspace(workspace)
    if incident_ids is None:
        incidents = read_incidents(settings=ws.settings, category="threat")
        if incidents.empty:
            return []
        newest = incidents["occurred_at"].max()
        incident_ids = list(incidents[incidents["occurred_at"] > newest - pd.Timedelta(days=recent_days)]["incident_id"])
    user = None
    if login:
        engine = store.connect(ws.database_url)
        try:
            user = login_from_environment(engine)
        finally:
            engine.dispose()
    areas = load_areas(ws.root)
    return [DraftForm(ws.root, incident_id, user=user, areas=areas) for incident_id in incident_ids]
