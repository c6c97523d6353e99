"""One alert in the approver's notebook: what to check, and the buttons for the steps the logged-in role may take.

The panel shows the draft (subject, body), the place decision (level,
households of the published area, reasons), a small offline map of that area,
the consent state, the privacy lint and the history; below them the steps of
the role (``approval_data.available_actions``). Each button asks
``anshin service`` through the kernel's session (``views.login``): the
service checks the role, the 所属, the gates and the signatures again, and its
refusal is shown as it said it. Driven headless by :meth:`AlertPanel.act`,
which sets the widgets and clicks the button a person would.
"""

from __future__ import annotations

import html
import re

import ipywidgets as widgets
import pandas as pd

from anshin_lab.core.clock import tokyo_now
from anshin_lab.core.directive import CONSENT_KINDS, CONSENT_METHODS
from anshin_lab.core.errors import AnshinError, ParameterError
from anshin_lab.drafting.languages import LANGUAGES, localize_all
from anshin_lab.views import maps
from anshin_lab.views.approval_data import AlertRecord, available_actions, load_record
from anshin_lab.views.login import KernelSession, LoginWidget
from anshin_lab.workflow import alerts
from anshin_lab.workflow.rules import Action, Judgement, Status

__all__ = ["ACTION_NAMES", "AlertPanel"]

# The names a scheduled run or a test gives a step (``AlertPanel.act``), and the button's label.
ACTION_NAMES = {
    "edit": (Action.EDIT, "文面を保存"),
    "submit": (Action.SUBMIT, "承認申請する"),
    "approve": (Action.STATION_APPROVE, "決裁する"),
    "consult": (Action.CONSULT, "協議結果を記録"),
    "hq_approve": (Action.HQ_APPROVE, "承認する"),
    "urgent": (Action.URGENT_APPROVE, "緊急承認する"),
    "late": (Action.LATE_APPROVE, "事後の承認を記録"),
    "consent": (Action.RECORD_CONSENT, "承諾を記録"),
    "prepare": (Action.PREPARE, "発信準備完了にする"),
    "preview": (Action.SEND, "配信先と文面を確認"),
    "release": (Action.SEND, "発信する"),
    "close": (Action.CLOSE, "完了にする"),
    "send_back": (Action.SEND_BACK, "差し戻す"),
    "reject": (Action.REJECT, "発信しない(不可)"),
    "withdraw": (Action.WITHDRAW, "取り下げる"),
}
# The station chief's four checks (directive §5(1)), each answered はい / いいえ explicitly.
CHECKS = (("victim_not_identifiable", "被害者等が特定・推認されない"),
          ("no_facility_or_person_names", "施設の固有名称・氏名を含まない"),
          ("location_coarse_enough", "発生場所の粒度は判定どおりか、より広い"),
          ("no_harm_to_investigation", "捜査・警察活動への支障がない"))
YES_NO = [("はい", True), ("いいえ", False)]
MAP_HEIGHT_PX = 300
SEND_TIMEOUT_S = 600.0
RECIPIENTS = re.compile(r"宛先 ([\d,]+)件")
# What of the first message stays out of the notebook: the member's address (To:) and unsubscribe token.
TOKEN = re.compile(r"([?&]t=)[\w-]+")


def box(title: str, body: str) -> str:
    return f"<div style='margin:4px 0'><b>{html.escape(title)}</b><div>{body}</div></div>"


def table_html(frame: pd.DataFrame, empty: str) -> str:
    if frame.empty:
        return html.escape(empty)
    return frame.to_html(index=False, escape=True, border=0, classes="anshin-table")


class AlertPanel:
    """The record of one alert and the steps of the logged-in role on it.

    ``queue`` is the :class:`~anshin_lab.views.approvals.ApprovalQueue` it
    belongs to (its engine, areas and incidents, and the list to refresh
    after a step).
    """

    def __init__(self, queue, alert_id: int):
        self.queue = queue
        self.alert_id = int(alert_id)
        self.session: KernelSession = queue.session
        self.record: AlertRecord | None = None
        self.previewed: int | None = None  # recipients shown by the last preview (release needs one)
        self.header = widgets.HTML()
        self.draft = widgets.HTML(layout=widgets.Layout(max_width="40em"))
        self.decision = widgets.HTML()
        self.map = widgets.HTML()
        self.consent = widgets.HTML()
        self.lint = widgets.HTML()
        self.history = widgets.HTML()
        self.status = widgets.HTML()
        self.preview = widgets.HTML()
        self.result = widgets.HTML()
        self.progress = widgets.IntProgress(min=0, max=1, value=0, description="送信", layout={"visibility": "hidden"})
        self.reason = widgets.Textarea(description="理由・意見", placeholder="差し戻し・不可・取り下げには必須です",
                                       layout=widgets.Layout(width="100%", height="4em"))
        self.checks = {name: widgets.ToggleButtons(options=YES_NO, value=None, description=label,
                                                   style={"description_width": "18em"})
                       for name, label in CHECKS}
        self.hq_consultation = widgets.ToggleButtons(options=YES_NO, value=True, description="本部関係所属長との協議が必要",
                                                     style={"description_width": "18em"})
        self.decide = widgets.ToggleButtons(options=[("発信する", "send"), ("発信しない", "no_send")], value="send",
                                            description="署長の判断", style={"description_width": "18em"})
        self.consent_kind = widgets.Dropdown(options=list(CONSENT_KINDS), description="承諾の種類")
        self.consent_method = widgets.Dropdown(options=list(CONSENT_METHODS), description="確認方法")
        self.consent_scope = widgets.Text(value="県警あんしんメールでの配信", description="範囲")
        self.consent_at = widgets.Text(value=tokyo_now().strftime("%Y-%m-%dT%H:%M"), description="承諾の日時")
        self.subject = widgets.Text(description="件名", layout=widgets.Layout(width="100%"))
        self.body = widgets.Textarea(description="本文", layout=widgets.Layout(width="100%", height="16em"))
        self.consent_ticked = widgets.Checkbox(description="公表要請書の「県警あんしんメール」にチェックあり", indent=False)
        self.buttons = {name: widgets.Button(description=label, button_style=self.style_of(name))
                        for name, (_, label) in ACTION_NAMES.items()}
        for name, button in self.buttons.items():
            button.on_click(lambda b, name=name: self.run(name))
        self.login: LoginWidget = queue.login  # one login form per queue, shown here too when a step needs it
        self.login_area = widgets.VBox()
        self.actions = widgets.VBox()
        self.box = widgets.VBox([self.header, widgets.HBox([widgets.VBox([self.draft, self.decision, self.consent]),
                                                            self.map]),
                                 self.lint, self.history, self.actions, self.preview, self.progress, self.result,
                                 self.status, self.login_area])
        self.reload()

    @staticmethod
    def style_of(name: str) -> str:
        return {"reject": "danger", "withdraw": "warning", "send_back": "warning", "release": "danger"}.get(name, "primary")

    # -- what it shows --------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the alert again and redraw everything (after a step, or a login)."""
        self.record = load_record(self.queue.engine, self.alert_id, self.queue.areas, self.queue.incidents,
                                  self.queue.facts.designated)
        alert, record = self.record.alert, self.record
        self.subject.value, self.body.value = alert.subject, alert.body
        incidents = "、".join(str(i) for i in alert.incident_ids) or "なし(集計・続報)"
        follow = f" / 続報の元: #{alert.original_alert_id}" if alert.original_alert_id else ""
        self.header.value = (f"<h3 style='margin:4px 0'>配信 #{alert.alert_id} [{html.escape(alert.status.label)}] "
                             f"{html.escape(record.category_label)}{'(緊急)' if alert.urgent else ''}</h3>"
                             f"事案番号: {html.escape(incidents)}{follow} / 所属: {html.escape(record.station or '本部')}"
                             f" / 起案: {html.escape(alert.created_by)}")
        self.draft.value = box("文面", f"<div style='border:1px solid #999;padding:6px'><b>{html.escape(alert.subject)}</b>"
                                     f"<pre style='white-space:pre-wrap;margin:4px 0'>{html.escape(alert.body)}</pre></div>"
                                     + self.versions_html())
        decision = record.decision
        reasons = "".join(f"<li>{html.escape(r)}</li>" for r in decision.reasons) or "<li>判定どおり</li>"
        self.decision.value = box(f"場所の判定: {decision.level.label}(判定 {alert.assessed_level.label})",
                                  f"公表する地域: {html.escape(decision.households_text)}<br>"
                                  f"公表する文言: {html.escape(alert.public_text)}<ul>{reasons}</ul>")
        self.consent.value = self.consent_html()
        self.lint.value = self.lint_html()
        self.history.value = box("経過", table_html(record.history, "経過の記録はありません"))
        self.map.value = self.map_html()
        self.draw_actions()

    def versions_html(self) -> str:
        """The other languages' versions this approval also covers, folded (members read the one they chose)."""
        versions = localize_all(alerts.published_fields(self.record.alert))
        parts = "".join(f"<p style='margin:4px 0'><b>{html.escape(LANGUAGES[code].native)}</b></p>"
                        f"<pre style='white-space:pre-wrap;margin:0'>{html.escape(text.subject)}\n\n{html.escape(text.body)}</pre>"
                        for code, text in versions.items() if code != "ja")
        return f"<details><summary>他の言語の版(この承認に含まれます)</summary>{parts}</details>"

    def consent_html(self) -> str:
        record = self.record
        if not record.consent_needed:
            need = "この分類は承諾を必要としません"
        else:
            need = "必要: " + "と".join("・".join(sorted(kinds)) for kinds in record.consent_needed)
            need += "(公表要請書は「県警あんしんメール」にチェック)" if record.consent_needs_tick else ""
            need += "(未成年の被害者は保護者、成人は本人)" if len(record.consent_needed[0]) == 1 else ""
        rows = record.consents
        if rows.empty:
            got = "記録なし"
        else:
            shown = pd.DataFrame({"種類": rows["kind"], "方法": rows["method"], "範囲": rows["scope"],
                                  "チェック": rows["anshin_mail_ticked"].map({True: "あり", False: "—"}),
                                  "記録": rows["recorded_by"]})
            got = table_html(shown, "記録なし")
        if record.alert.original_alert_id:
            mark = f"<b>続報: 元の配信 #{record.alert.original_alert_id} の承諾で足ります</b>"
        elif record.consent_given:
            mark = "<b>そろっています</b>"
        else:
            mark = "<b style='color:#b00'>まだそろっていません</b>"
        return box("承諾・公表要請書", f"{html.escape(need)} — {mark}<br>{got}")

    def lint_html(self) -> str:
        findings = self.record.findings
        if not findings:
            return box("本文の確認(公表できない表現)", "指摘なし")
        items = "".join(f"<li>{html.escape(f.text)}({html.escape(f.kind)}) → 「{html.escape(f.suggestion)}」</li>"
                        for f in findings)
        return box("本文の確認(公表できない表現)",
                   f"<span style='color:#b00'>{len(findings)}件の指摘</span><ul>{items}</ul>"
                   "修正は起案者に差し戻すか、承認者が理由を付けて了承します")

    def map_html(self) -> str:
        alert = self.record.alert
        try:
            drawn = maps.public_map([(self.record.decision, {"category": alert.category, "title": alert.subject})],
                                    areas=self.queue.areas, title="公表する範囲(この配信)",
                                    tile_url=self.queue.ws.settings.tile_url)
            return maps.show(drawn, MAP_HEIGHT_PX).data.replace("width:100%", "width:420px")
        except AnshinError as exc:
            return f"<i>地図を描けません: {html.escape(str(exc))}</i>"

    def actions_available(self) -> list[Action]:
        role = self.session.role
        if role is None:
            return []
        return available_actions(role, self.record.alert, consulted=self.record.consulted,
                                 designated=self.record.designated)

    def names_available(self) -> list[str]:
        """The step names (``ACTION_NAMES``) the logged-in role may take on this alert now."""
        actions = self.actions_available()
        return [name for name, (action, _) in ACTION_NAMES.items() if action in actions]

    def draw_actions(self) -> None:
        if not self.session.logged_in:
            self.actions.children = [widgets.HTML("<i>決裁・発信の操作はログインすると表示されます</i>")]
            self.login_area.children = [self.login.widget()]
            return
        self.login_area.children = []
        names = self.names_available()
        if not names:
            who = self.session.role.label
            self.actions.children = [widgets.HTML(f"<i>{html.escape(who)}がこの配信に行える操作はいまありません"
                                                  f"({html.escape(self.record.alert.status.label)})</i>")]
            return
        rows: list[widgets.Widget] = [widgets.HTML(f"<b>{html.escape(self.session.role.label)}の操作</b>")]
        if "edit" in names:
            rows += [self.subject, self.body]
        if "approve" in names:
            rows += [*self.checks.values(), self.hq_consultation, self.decide]
        if "consent" in names:
            rows += [widgets.HBox([self.consent_kind, self.consent_method]), widgets.HBox([self.consent_scope,
                                                                                           self.consent_at]),
                     self.consent_ticked]
        if any(n in names for n in ("approve", "consult", "hq_approve", "urgent", "late", "reject", "withdraw",
                                    "send_back")):
            rows.append(self.reason)
        self.buttons["release"].disabled = self.previewed is None
        if self.previewed is not None:
            self.buttons["release"].description = f"{self.previewed:,}件に発信する"
        rows.append(widgets.HBox([self.buttons[n] for n in names if n != "release"]
                                 + ([self.buttons["release"]] if "release" in names else [])))
        self.actions.children = rows

    # -- taking a step ----------------------------------------------------------------------------

    def act(self, name: str, **fields) -> bool:
        """Take the step ``name`` (a key of ``ACTION_NAMES``) as a person would: set the widgets, click.

        ``fields``: ``reason`` (or ``comment`` / ``opinion``), ``answers``
        (the station chief's four checks: a mapping of ``CHECKS`` names to
        True/False, or True for 「はい」 to all), ``hq_consultation``,
        ``decision`` (``send`` / ``no_send``), and for consent ``kind``,
        ``method``, ``scope``, ``given_at``, ``ticked``. A step the panel
        does not offer is still asked of the service (which refuses it and
        says why). Returns True when the service took it.
        """
        if name not in ACTION_NAMES:
            raise ParameterError(f"「{name}」という操作はありません(使えるのは {'、'.join(ACTION_NAMES)})")
        text = fields.get("reason", fields.get("comment", fields.get("opinion")))
        if text is not None:
            self.reason.value = str(text)
        answers = fields.get("answers")
        if answers is not None:
            for key, toggle in self.checks.items():
                toggle.value = bool(answers if isinstance(answers, bool) else answers.get(key))
        if "hq_consultation" in fields:
            self.hq_consultation.value = bool(fields["hq_consultation"])
        if "decision" in fields:
            self.decide.value = fields["decision"]
        for key, widget in (("subject", self.subject), ("body", self.body), ("kind", self.consent_kind), ("method", self.consent_method),
                            ("scope", self.consent_scope), ("given_at", self.consent_at)):
            if key in fields:
                widget.value = str(fields[key])
        if "ticked" in fields:
            self.consent_ticked.value = bool(fields["ticked"])
        if name == "release" and self.previewed is None:
            self.buttons["preview"].click()  # a release always shows its recipients first
            if not self.last_ok:
                return False
        button = self.buttons[name]
        button.disabled = False  # a headless run asks the service even for a step the panel would not offer
        self.last_ok = False
        button.click()
        return self.last_ok

    def run(self, name: str) -> bool:
        """The click of the button ``name``: ask the service, show its answer, read the alert again."""
        self.last_ok = False
        client = self.session.client()
        if client is None:
            self.status.value = (f"<b style='color:#b00'>{html.escape(self.session.message)}。"
                                 "下の欄からログインしてから、もう一度押してください</b>")
            self.login_area.children = [self.login.widget()]
            self.log(f"#{self.alert_id} {ACTION_NAMES[name][1]}: できませんでした — ログインしていません")
            return False
        try:
            done = STEPS[name](self, client)
        except AnshinError as exc:
            self.session.verify()  # an ended session brings the login back
            self.status.value = f"<b style='color:#b00'>{html.escape(str(exc))}</b>"
            self.log(f"#{self.alert_id} {ACTION_NAMES[name][1]}: できませんでした — {exc}")
            self.reload()
            return False
        self.status.value = f"<b>{html.escape(done)}</b>"
        self.log(done)
        self.last_ok = True
        self.reload()
        self.queue.refresh(keep=self.alert_id)
        return True

    def log(self, line: str) -> None:
        self.queue.log.append(line)

    def reason_text(self, required: str | None = None) -> str:
        text = self.reason.value.strip()
        if required and not text:
            raise ParameterError(f"{required}の理由を「理由・意見」に書いてください")
        return text

    def judgement(self) -> Judgement:
        answers = {name: toggle.value for name, toggle in self.checks.items()}
        missing = [label for (name, label) in CHECKS if answers[name] is None]
        if missing:
            raise ParameterError("署長の判断の確認に答えてください: " + "、".join(missing))
        return Judgement(**answers, hq_consultation_needed=bool(self.hq_consultation.value),
                         decision=self.decide.value, notes=self.reason.value.strip())

    def after(self, what: str, status: str) -> str:
        self.reason.value = ""
        return f"#{self.alert_id} {what}: {Status(status).label}になりました"

    def show_preview(self, client) -> str:
        lines = client.preview_send(self.alert_id)
        found = RECIPIENTS.search(lines[0]) if lines else None
        self.previewed = int(found.group(1).replace(",", "")) if found else 0
        # The recipients stay out of the notebook: the count, the domains and the first message, its address masked.
        marker = next((i for i, line in enumerate(lines) if line.startswith("----")), len(lines))
        counts = [line for line in lines[1:marker] if line.startswith("  ")]
        message = [TOKEN.sub(r"\1(会員ごとの値)", "To: (1人目の会員のアドレス)" if line.startswith("To:") else line)
                   for line in "\n".join(lines[marker:]).splitlines()]
        shown = [lines[0], *counts, "", *message]
        self.preview.value = box("配信先と文面(発信前の確認)", "<pre style='white-space:pre-wrap'>"
                                 + html.escape("\n".join(shown)) + "</pre>")
        return f"#{self.alert_id} 配信先 {self.previewed:,}件を確認しました(「{self.previewed:,}件に発信する」で発信します)"

    def release(self, client) -> str:
        if self.previewed is None:
            raise ParameterError("先に「配信先と文面を確認」で宛先の件数と文面を確かめてください")
        client.start_send(self.alert_id)
        self.progress.layout.visibility = "visible"

        def moved(done: int, total: int) -> None:
            self.progress.max, self.progress.value = max(total, 1), done

        result = client.wait_send(self.alert_id, progress=moved, timeout_s=SEND_TIMEOUT_S)
        self.previewed = None
        lines = result.get("lines") or []
        self.result.value = box(f"発信の結果({result.get('state_label', result.get('state'))})",
                                 "<pre style='white-space:pre-wrap'>" + html.escape("\n".join(lines)) + "</pre>")
        if result.get("state") != "complete":
            why = result.get("message") or " / ".join(lines[-2:])
            raise AnshinError(f"発信は完了していません({result.get('state_label', result.get('state'))}): {why}")
        return f"#{self.alert_id} 発信しました(送信済み {int(result.get('sent', 0)):,}件)"

    def widget(self) -> widgets.Widget:
        return self.box


STEPS = {
    "edit": lambda p, c: p.after("文面の修正", c.edit(p.alert_id, subject=p.subject.value, body=p.body.value)),
    "submit": lambda p, c: p.after("承認申請", c.submit(p.alert_id)),
    "approve": lambda p, c: p.after("署長の決裁", c.approve(p.alert_id, comment=p.reason_text(), judgement=p.judgement())),
    "consult": lambda p, c: p.after("本部関係所属長との協議", c.consult(p.alert_id, p.reason_text("協議") or "協議済み")),
    "hq_approve": lambda p, c: p.after("生活安全企画課長の承認", c.approve(p.alert_id, comment=p.reason_text())),
    "urgent": lambda p, c: p.after("総合当直の緊急承認", c.approve_urgent(p.alert_id, p.reason_text("緊急承認"))),
    "late": lambda p, c: p.after("事後の承認", c.approve_late(p.alert_id, p.reason_text() or "事後承認")),
    "consent": lambda p, c: p.after("承諾の記録", c.record_consent(
        p.alert_id, kind=p.consent_kind.value, given_at=p.consent_at.value, method=p.consent_method.value,
        scope=p.consent_scope.value, anshin_mail_ticked=p.consent_ticked.value)),
    "prepare": lambda p, c: p.after("発信準備", c.prepare(p.alert_id)),
    "preview": lambda p, c: p.show_preview(c),
    "release": lambda p, c: p.release(c),
    "close": lambda p, c: p.after("完了", c.close_alert(p.alert_id)),
    "send_back": lambda p, c: p.after("差し戻し", c.send_back(p.alert_id, p.reason_text("差し戻し"))),
    "reject": lambda p, c: p.after("不可(発信しない)", c.reject(p.alert_id, p.reason_text("不可"))),
    "withdraw": lambda p, c: p.after("取り下げ", c.withdraw(p.alert_id, p.reason_text("取り下げ"))),
}
