"""Notebook forms (ipywidgets): the analyst's draft form.

The widgets live in the views (this module, ``login`` and ``approvals``). The form calls the same library
functions as the CLI (``privacy.assess``/``adjust``, ``drafting.draft``) and
hands the draft to ``anshin service`` (``ServiceClient.create_alert`` /
``submit``) as the analyst logged in to this kernel (``views.login``: a
password widget, never an environment variable), so every rule holds whether
a draft is made here or elsewhere and a kernel never writes the workflow
itself. Each form names its 事案番号 and the alerts already drafted for it; a
second alert for an incident needs an explicit 「差し替え」. It is driven
headless in the tests by setting widget values and calling ``button.click()``.
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
from anshin_lab.core.glossary import CATEGORIES
from anshin_lab.core.granularity import Granularity
from anshin_lab.drafting import mail as drafting
from anshin_lab.drafting.fixes import Change, fix_texts
from anshin_lab.storage import store
from anshin_lab.views.approval_data import alerts_of_incident
from anshin_lab.views.login import KernelSession, LoginWidget, kernel_session, who_text
from anshin_lab.workflow.rules import BEFORE_SENT, LIVE, Status

__all__ = ["DraftForm", "draft_forms"]


class DraftForm:
    """A form to draft one incident's alert and hand it to the workflow (「承認申請」).

    ``session`` is the kernel's login (``login.kernel_session``, made for
    the workspace when None); ``client``, a ``ServiceClient`` already logged
    in, takes its place. Not logged in, 「承認申請」 shows the login form
    and submits once the analyst has logged in and pressed it again. The
    header names the 事案番号 and the alerts already drafted for it: while
    one is live, a new one needs 「差し替え」 ticked. The granularity dropdown offers the
    assessed level and coarser ones only: a finer place needs two approvers
    of different roles (``alerts.override``), not a form. The place panel
    shows the households of the published area; the lint panel what the
    lint finds, and what 「指摘を修正」 and the drafting changed (before → after).
    """

    def __init__(self, workspace=None, incident_id: str | None = None, *, client: ServiceClient | None = None,
                 session: KernelSession | None = None, areas=None, engine=None):
        self.ws = require_workspace(workspace)
        self.incident_id = str(incident_id)
        incidents = read_incidents(settings=self.ws.settings)
        match = incidents[incidents["incident_id"] == str(incident_id)]
        if match.empty:
            raise AnshinError(f"事案番号「{incident_id}」は登録されていません")
        self.incident = match.iloc[0].to_dict()
        self.areas = areas or load_areas(self.ws.root)
        self.given_client = client
        self.session = session or kernel_session(self.ws)
        self.engine = engine or store.connect(self.ws.database_url)
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
        self.header = widgets.HTML()
        self.supersede = widgets.Checkbox(value=False, indent=False, layout=widgets.Layout(width="100%"))
        self.login = LoginWidget(self.session, intro="承認申請にはログインが必要です")
        self.login_area = widgets.VBox()
        self.existing: list[tuple[int, Status]] = []
        self.fix_button = widgets.Button(description="指摘を修正", icon="wrench")
        self.submit_button = widgets.Button(description="承認申請", button_style="primary")

        self.level.observe(lambda change: self._regenerate(), names="value")
        for box in self.tip_boxes:
            box.observe(lambda change: self._regenerate(), names="value")
        self.subject.observe(lambda change: self._refresh(), names="value")
        self.body.observe(lambda change: self._refresh(), names="value")
        self.fix_button.on_click(lambda button: self.apply_fixes())
        self.submit_button.on_click(lambda button: self.submit())
        self.session.on_change(lambda session: self.logged_in_changed())
        self.show_existing()
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

    # -- the incident and its alerts ---------------------------------------------

    def show_existing(self) -> None:
        """The header: 事案番号, category, date and the alerts already drafted for the incident."""
        self.existing = alerts_of_incident(self.engine, self.incident_id)
        occurred = pd.Timestamp(self.incident["occurred_at"])
        when = f"{occurred.tz_convert('Asia/Tokyo'):%Y-%m-%d %H:%M}" if occurred.tzinfo else f"{occurred:%Y-%m-%d %H:%M}"
        category = CATEGORIES.get(self.incident["category"], self.incident["category"])
        lines = [f"<b>事案番号 {html.escape(self.incident_id)}</b>({html.escape(category)}、発生 {when})"]
        if self.existing:
            listed = "、".join(f"#{alert_id} {status.label}" for alert_id, status in self.existing)
            lines.append(f"この事案の配信: {html.escape(listed)}")
        live = self.live_alert
        self.supersede.layout.display = "" if live is not None and live[1] in BEFORE_SENT else "none"
        if live is not None and live[1] in BEFORE_SENT:
            lines.append(f"<b style='color:#b00'>配信 #{live[0]}({live[1].label})がすでにあります。"
                         "二重の配信になるため、差し替えるときだけ下のチェックを付けて申請してください</b>")
            self.supersede.description = f"#{live[0]} を取り下げて、この起案に差し替える"
        elif live is not None:
            lines.append(f"<b style='color:#b00'>配信 #{live[0]} は{live[1].label}です。"
                         "この事案の続報は続報として起案してください(新しい配信としては申請できません)</b>")
        self.header.value = "<br>".join(lines)

    @property
    def live_alert(self) -> tuple[int, Status] | None:
        """The incident's alert still in play (``rules.LIVE``: not rejected, withdrawn or closed), the newest, if any."""
        live = [(i, s) for i, s in self.existing if s in LIVE and i != self.alert_id]
        return live[0] if live else None

    def logged_in_changed(self) -> None:
        if self.session.logged_in and self.login_area.children:
            self.login_area.children = []
            self.status.value = (f"<b>ログインしました({html.escape(who_text(self.session.identity))})。"
                                 "もう一度「承認申請」を押してください</b>")

    @property
    def client(self) -> ServiceClient | None:
        """The logged-in client to submit with (None when nobody is logged in)."""
        return self.given_client if self.given_client is not None else self.session.client()

    # -- handing over ------------------------------------------------------------

    def submit(self) -> int | None:
        """Store the draft and submit it for approval; blocked while the lint has findings.

        Not logged in, the login form appears below the button. An incident
        with a live alert submits only with 「差し替え」 ticked (and only one
        not yet sent). After a successful submission the button is disabled.
        """
        if self.submit_button.disabled and self.alert_id is not None:
            self.status.value = f"<b>配信 #{self.alert_id} は承認申請済みです</b>"
            return self.alert_id
        current = self.draft
        client = self.client
        if client is None or not client.token:
            self.status.value = (f"<b style='color:#b00'>承認申請にはログインが必要です({html.escape(self.session.message)})。"
                                 "下の欄からログインしてから、もう一度「承認申請」を押してください</b>")
            self.login_area.children = [self.login.widget()]
            return None
        if current.findings:
            self.status.value = ("<b style='color:#b00'>公表できない表現が残っています。修正してから申請してください"
                                 "(やむを得ない場合は承認者が理由を付けて了承します)</b>")
            return None
        if self.alert_id is None:
            self.show_existing()
            refused = self.duplicate_refusal()
            if refused:
                self.status.value = f"<b style='color:#b00'>{html.escape(refused)}</b>"
                return None
        try:
            if self.alert_id is None:  # a submission refused after the draft was stored submits that draft
                replaced = self.live_alert[0] if self.live_alert and self.supersede.value else None
                self.alert_id = client.create_alert(
                    category=current.category, subject=current.subject, body=current.body, level=current.level,
                    assessed_level=self.assessed.level, public_text=current.public_text,
                    area_codes=current.area_codes, incident_ids=current.incident_ids, supersede=replaced)
            else:
                client.edit(self.alert_id, subject=current.subject, body=current.body)
            client.submit(self.alert_id)
        except AnshinError as exc:
            self.status.value = f"<b style='color:#b00'>{html.escape(str(exc))}</b>"
            return None
        self.status.value = f"<b>承認申請しました(配信 #{self.alert_id}、事案番号 {html.escape(self.incident_id)})</b>"
        self.submit_button.disabled = True
        self.submit_button.description = "申請済み"
        self.show_existing()
        return self.alert_id

    def duplicate_refusal(self) -> str:
        """Why a new alert may not be submitted for this incident ("" when it may)."""
        live = self.live_alert
        if live is None:
            return ""
        alert_id, status = live
        if status not in BEFORE_SENT:
            return (f"この事案の配信 #{alert_id} は{status.label}です。二重の配信になるため申請しません"
                    "(続報として起案してください)")
        if not self.supersede.value:
            return (f"この事案には配信 #{alert_id}({status.label})があります。二重の配信になるため申請しません"
                    f"(差し替えるときは「#{alert_id} を取り下げて、この起案に差し替える」にチェックしてください)")
        return ""

    # -- display -------------------------------------------------------------------

    def widget(self) -> widgets.Widget:
        """The whole form as one widget (what a notebook shows)."""
        tips = widgets.VBox([widgets.HTML("<b>★防犯のポイント</b>"), *self.tip_boxes])
        buttons = widgets.HBox([self.fix_button, self.submit_button])
        editor = widgets.VBox([self.header, self.level, self.reasons, tips, self.subject, self.body, self.lint_panel,
                               self.supersede, buttons, self.status, self.login_area])
        return widgets.HBox([editor, self.preview])

    def _ipython_display_(self):
        display(self.widget())


def _changes_html(title: str, changes) -> str:
    """A list of changes, 「before」→「after」, under ``title``; nothing when there are none."""
    if not changes:
        return ""
    items = "".join(f"<li>{html.escape(str(change))}</li>" for change in changes)
    return f"<b>{html.escape(title)}</b><ul>{items}</ul>"


def draft_forms(workspace=None, incident_ids=None, *, recent_days: int = 7, session: str | None = None) -> list[DraftForm]:
    """Draft forms for the given incidents, or for the last week's 脅威事犯 when None.

    "The last week" ends at the newest stored incident, so the fixed sample
    year behaves the same on any date. The forms share this kernel's login
    (``login.kernel_session``): nobody is logged in until someone logs in
    with the form's password widget, or ``session`` (or ``ANSHIN_SESSION``)
    passes a session someone already opened. No password is ever read from
    the environment.
    """
    ws = require_workspace(workspace)
    if incident_ids is None:
        incidents = read_incidents(settings=ws.settings, category="threat")
        if incidents.empty:
            return []
        newest = incidents["occurred_at"].max()
        incident_ids = list(incidents[incidents["occurred_at"] > newest - pd.Timedelta(days=recent_days)]["incident_id"])
    login_session = kernel_session(ws, token=session)
    areas = load_areas(ws.root)
    engine = store.connect(ws.database_url)
    return [DraftForm(ws.root, incident_id, session=login_session, areas=areas, engine=engine)
            for incident_id in incident_ids]
