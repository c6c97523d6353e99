"""The approver's notebook (``05_approvals.ipynb``): log in, see the alerts awaiting my step, take it.

:func:`approval_queue` builds what the notebook shows: the login
(``views.login``), the list of alerts awaiting a step of the logged-in role
(and 所属, when the service records one), one alert at a time in an
:class:`~anshin_lab.views.approval_panels.AlertPanel` (the draft, the place
decision and its map, consent, lint, history, and the role's buttons), and
what is overdue with its report route (``workflow.due``, as ``anshin alerts due``
prints it: outcomes awaited, follow-ups owed, incidents neither alerted nor decided).
Every step goes through ``anshin service`` as the logged-in user; the kernel
holds no key.

:func:`run_steps` takes steps listed in the notebook's parameters, clicking
the same buttons (a scheduled run, the tests), and prints one line per step.
"""

from __future__ import annotations

import html

import ipywidgets as widgets
import pandas as pd
from IPython.display import display

from anshin_lab.app.catalog import load_areas, read_incidents
from anshin_lab.app.workspace import require_workspace
from anshin_lab.core.clock import TOKYO_NAME, tokyo_now
from anshin_lab.core.errors import AnshinError, ParameterError
from anshin_lab.core.glossary import CATEGORIES
from anshin_lab.storage import store
from anshin_lab.views.approval_data import UserFacts, user_facts
from anshin_lab.views.approval_data import queue as queue_of
from anshin_lab.views.approval_panels import ACTION_NAMES, AlertPanel, table_html
from anshin_lab.views.login import KernelSession, LoginWidget, kernel_session
from anshin_lab.workflow.due import due as due_lists
from anshin_lab.workflow.rules import Status
from anshin_lab.workflow.stations import STATION_ROLES

__all__ = ["ApprovalQueue", "approval_queue", "run_steps"]

DUE_ROWS = 20  # rows shown per overdue list (the count says how many more)
DUE_HEADERS = {"alert_id": "番号", "incident_id": "事案番号", "original_alert_id": "元の配信", "category": "分類",
               "subject": "件名", "outcome": "結果", "status": "状態", "waiting_for": "待っている操作", "station": "所属",
               "sent_at": "発信", "occurred_at": "発生", "updated_at": "更新", "days": "経過日数", "hours": "経過時間",
               "route": "報告先"}



class ApprovalQueue:
    """The approver's queue for the kernel's session: login, list, one alert's panel, overdue list.

    ``session`` is the kernel's :class:`~anshin_lab.views.login.KernelSession`
    (``kernel_session(workspace, token=...)`` when None). The list follows
    the session: it shows the queue of whoever logs in, and the login form
    when nobody is.
    """

    def __init__(self, workspace=None, *, session: KernelSession | None = None, token: str | None = None):
        self.ws = require_workspace(workspace)
        self.session = session or kernel_session(self.ws, token=token)
        self.engine = store.connect(self.ws.database_url)
        self.areas = load_areas(self.ws.root)
        self.incidents = read_incidents(settings=self.ws.settings)
        self.log: list[str] = []  # one line per step taken (run_steps prints them)
        self.items = pd.DataFrame()
        self.facts = UserFacts(None, False)
        self.panel: AlertPanel | None = None
        self.login = LoginWidget(self.session, intro="<b>決裁・発信にはログインが必要です</b>(パスワードはこの画面にだけ入力します)")
        self.title = widgets.HTML()
        self.table = widgets.HTML()
        self.selector = widgets.Dropdown(description="配信を開く", options=[], layout=widgets.Layout(width="60%"))
        self.number = widgets.BoundedIntText(description="番号で開く", min=1, max=10**9, value=1)
        self.open_button = widgets.Button(description="開く")
        self.refresh_button = widgets.Button(description="一覧を更新", icon="refresh")
        self.due = widgets.HTML()
        self.panel_box = widgets.VBox()
        self.box = widgets.VBox([self.login.widget(), self.title, self.table,
                                 widgets.HBox([self.selector, self.refresh_button]),
                                 widgets.HBox([self.number, self.open_button]), self.panel_box, self.due])
        self.updating = False  # the list is being redrawn: a changed selection is not a person's choice
        self.selector.observe(self.selected, names="value")
        self.open_button.on_click(lambda button: self.open(self.number.value))
        self.refresh_button.on_click(lambda button: self.refresh())
        self.session.on_change(lambda session: self.refresh())
        self.refresh()

    # -- the list -------------------------------------------------------------------------------

    @property
    def station(self) -> str | None:
        """The station whose alerts a station role sees (its 所属); None: prefecture-wide."""
        return self.facts.station if self.session.role in STATION_ROLES else None

    def refresh(self, keep: int | None = None) -> None:
        """Read the queue again for whoever is logged in now; keep alert ``keep`` open. A failure is shown, not raised."""
        try:
            self.redraw(keep)
        except AnshinError as exc:
            self.title.value = f"<b style='color:#b00'>一覧を読めませんでした: {html.escape(str(exc))}</b>"

    def redraw(self, keep: int | None = None) -> None:
        if not self.session.logged_in:
            self.items = pd.DataFrame()
            self.title.value = ""
            self.table.value = ""
            self.selector.options = []
            self.panel_box.children = []
            self.panel = None
            self.due.value = ""
            return
        role, identity = self.session.role, self.session.identity
        self.facts = user_facts(self.engine, identity["username"])
        self.items = queue_of(self.engine, role, identity["username"], station=self.station,
                              designated=self.facts.designated)
        scope = f"{self.station}の配信" if self.station else "県内の配信"
        self.title.value = (f"<h3 style='margin:6px 0'>{html.escape(role.label)}の決裁待ち・操作待ち "
                            f"{len(self.items)}件({html.escape(scope)})</h3>")
        shown = self.items.rename(columns={"alert_id": "番号", "category": "分類", "status": "状態", "subject": "件名",
                                           "station": "所属", "updated_at": "更新", "steps": "できる操作"})
        if not shown.empty:
            shown["更新"] = pd.to_datetime(shown["更新"], utc=True).dt.tz_convert(TOKYO_NAME).dt.strftime("%m-%d %H:%M")
        self.table.value = table_html(shown, "いま操作を待っている配信はありません")
        options = [(f"#{row.alert_id} [{row.status}] {row.subject}", int(row.alert_id))
                   for row in self.items.itertuples()]
        current = keep or (self.panel.alert_id if self.panel else None)
        self.updating = True
        try:
            self.selector.options = options
            self.selector.value = current if current in [value for _, value in options] else None
        finally:
            self.updating = False
        if self.panel is not None:
            self.panel.reload()
        self.due.value = self.due_html()

    def due_lists(self) -> list[tuple[str, pd.DataFrame]]:
        """(title, rows) of what is owed (``workflow.due``, as ``anshin alerts due``), for the station of a station role."""
        settings = self.ws.settings
        lists = due_lists(self.engine, tokyo_now(), outcome_age_days=settings.due_outcome_days,
                          unreported_hours=settings.due_unreported_hours, lookback_days=settings.due_lookback_days)
        sections = [
            (f"結果(検挙・指導警告・解決)の続報を待っている配信(発信から{settings.due_outcome_days}日以上)",
             lists.awaiting_outcome),
            ("起案済みで未発信の続報", lists.followups_owed),
            (f"配信も「発信しない」の記録もない事案(発生から{settings.due_unreported_hours}時間以上、"
             f"{settings.due_lookback_days}日以内)", lists.unreported),
        ]
        if self.station:
            sections = [(title, frame[frame["station"].isin([self.station]) | frame["station"].isna()])
                        for title, frame in sections]
        return sections

    def due_html(self) -> str:
        """The overdue lists, each with its report route (at most ``DUE_ROWS`` rows shown per list)."""
        parts = []
        for title, frame in self.due_lists():
            shown = frame.head(DUE_ROWS).copy()
            for column in ("sent_at", "occurred_at", "updated_at"):
                if column in shown and not shown.empty:
                    shown[column] = pd.to_datetime(shown[column], utc=True).dt.tz_convert(TOKYO_NAME).dt.strftime(
                        "%m-%d %H:%M")
            if "category" in shown:
                shown["category"] = shown["category"].map(lambda c: CATEGORIES.get(c, c))
            if "status" in shown:
                shown["status"] = shown["status"].map(lambda v: Status(v).label)
            more = f"(ほか {len(frame) - DUE_ROWS:,}件)" if len(frame) > DUE_ROWS else ""
            parts.append(f"<b>{html.escape(title)}: {len(frame):,}件</b>{more}"
                         + table_html(shown.rename(columns=DUE_HEADERS), "ありません"))
        return "<h3 style='margin:6px 0'>期限を過ぎたもの</h3>" + "".join(parts)

    def selected(self, change) -> None:
        if change["new"] and not self.updating:
            self.open(change["new"])

    # -- one alert ------------------------------------------------------------------------------

    def open(self, alert_id: int) -> AlertPanel | None:
        """Show alert ``alert_id`` (in the queue or not); its panel, or None with the reason shown."""
        try:
            self.panel = AlertPanel(self, int(alert_id))
        except AnshinError as exc:
            self.panel_box.children = [widgets.HTML(f"<b style='color:#b00'>{html.escape(str(exc))}</b>")]
            self.panel = None
            return None
        self.panel_box.children = [self.panel.widget()]
        return self.panel

    def summary(self) -> str:
        """The queue as text: who is logged in, how many alerts wait, one line each."""
        if not self.session.logged_in:
            return f"ログインしていません: {self.session.message}"
        lines = [self.session.status_text(), f"決裁待ち・操作待ち {len(self.items)}件"]
        lines += [f"  #{row.alert_id} [{row.status}] {row.category} {row.subject} — できる操作: {row.steps}"
                  for row in self.items.itertuples()]
        lines += [f"{title}: {len(frame):,}件" for title, frame in self.due_lists()]
        return "\n".join(lines)

    def widget(self) -> widgets.Widget:
        return self.box

    def _ipython_display_(self):
        display(self.box)


def approval_queue(workspace=None, *, session: str | None = None) -> ApprovalQueue:
    """The approver's queue of ``workspace`` for this kernel's login (``session``: a token someone already opened)."""
    return ApprovalQueue(workspace, token=session)


def run_steps(queue: ApprovalQueue, steps) -> list[str]:
    """Take ``steps`` (``[{"alert_id": 12, "action": "approve", ...}]``) with the panel's buttons; print a line each.

    ``action`` is a key of ``approval_panels.ACTION_NAMES``; the other keys go
    to ``AlertPanel.act`` (``reason``, ``answers``, ``hq_consultation``, consent
    fields). A refused step is printed with the service's reason and the
    next steps still run. Returns the lines printed.
    """
    printed = []
    for step in steps or []:
        fields = dict(step)
        try:
            alert_id, name = int(fields.pop("alert_id")), str(fields.pop("action"))
        except (KeyError, TypeError, ValueError):
            raise ParameterError(f"操作 {step!r} には alert_id と action が必要です"
                                 f"(action は {'、'.join(ACTION_NAMES)})") from None
        before = len(queue.log)
        panel = queue.open(alert_id)
        if panel is None:
            line = f"#{alert_id} {name}: 開けませんでした"
            queue.log.append(line)
        else:
            panel.act(name, **fields)
        for line in queue.log[before:]:
            print(line)
            printed.append(line)
    return printed
