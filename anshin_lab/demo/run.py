"""The main job, end to end, on real components and the embedded default workspace.

Records in (bad rows quarantined), members in, the scheduled fraud summaries
(whose drafts the notebooks store through the service), privacy decisions,
drafts for the last week's 脅威事犯 and one missing person, the approvals of
every draft by demo users of the right 所属 (the chief of each alert's
station) and consent records of the kind the victim calls for (a minor's
guardian, an adult themself), a local SMTP relay writing a Maildir in the
workspace, delivery of the approved batch and a follow-up (検挙), the internal
map (inside the workspace: 部外秘) and the public map (``reports/``),
``reports/index.html``, and a short summary that accounts for every alert in
the database (``summary``): each one sent, withdrawn or rejected with its
reason, or stopped by a stated rule. Sending shows a progress bar on stderr.
Running it again is safe: every step finds what the last run did and goes on
from there.

The demo is single-user: it holds the workspace's service key and acts as the
service itself; for the fraud summaries, whose notebooks store their drafts
through ``anshin service``, it starts the workspace's service for a moment.
"""

from __future__ import annotations

import json
import mailbox
import os
import secrets
import socket
import subprocess
import sys
import time
from contextlib import closing, contextmanager
from email import message_from_bytes, policy
from pathlib import Path
from typing import Callable

import pandas as pd
import sqlalchemy as sa

from anshin_lab import delivery, privacy
from anshin_lab.analysis import summaries
from anshin_lab.app.catalog import load_areas, read_incidents
from anshin_lab.app.client import ServiceClient, ServiceUnavailable
from anshin_lab.app.fraud_reports import SESSION_VARIABLE
from anshin_lab.app.imports import import_fraud_calls, import_incidents, import_members
from anshin_lab.app.workspace import init_workspace
from anshin_lab.core.clock import stored_tokyo
from anshin_lab.core.directive import HQ_DIVISIONS, PREFECTURE, REQUEST_FORM, consent_kind_for
from anshin_lab.core.errors import AnshinError
from anshin_lab.core.maildir_order import in_delivery_order
from anshin_lab.core.settings import PROJECT_ROOT, redact_url
from anshin_lab.delivery.outbox import remove_stale_locks
from anshin_lab.demo import smtpd
from anshin_lab.demo.sample import write_sample
from anshin_lab.demo.summary import account_for_alerts, stop_reason
from anshin_lab.drafting import mail as drafting
from anshin_lab.storage import store
from anshin_lab.storage.schema import fraud_summary_drafts
from anshin_lab.views import exports, maps, reports
from anshin_lab.views.public_site import write_site
from anshin_lab.workflow import alerts, audit, authority, stations, users
from anshin_lab.workflow.rules import Action, Judgement, Role, Status

HOME_STATION = "鹿児島中央警察署"  # demo-chief's station; the other stations' chiefs are made as their alerts need
PLANNING = HQ_DIVISIONS[1]  # 生活安全企画課
# The demo's staff, one per role the workflow needs: (role, display name, 所属).
DEMO_STAFF = {
    "demo-admin": (Role.ADMIN, "管理者(デモ)", None),
    "demo-analyst": (Role.ANALYST, "分析担当(デモ・生活安全企画課)", PLANNING),
    "demo-chief": (Role.STATION_CHIEF, "署長(デモ・鹿児島中央警察署)", HOME_STATION),
    "demo-division": (Role.HQ_DIVISION_CHIEF, "本部関係所属長(デモ)", None),
    "demo-hq": (Role.HQ_PLANNING_CHIEF, "生活安全企画課長(デモ)", PLANNING),
    "demo-operator": (Role.OPERATOR, "発信操作担当者(デモ)", PLANNING),
}
CREDENTIALS_FILE = "demo-credentials.json"
MAILDIR = "maildir"
STEPS = 8
SERVICE_START_S = 60  # how long the fraud step waits for the workspace's service to answer


def run_demo(workspace=None, settings=None, *, reports_dir=None, out: Callable[[str], None] = print,
             progress: Callable[[str], None] = print) -> dict:
    """Run the main job and print a short summary; safe to run again."""
    started = time.monotonic()
    step = _Steps(progress)

    step("作業領域を準備しています")
    ws = init_workspace(workspace, settings, progress=lambda m: progress("      " + m), sample=write_sample)
    reports_dir = Path(reports_dir) if reports_dir else _default_reports_dir()
    # Single-user: the demo holds the workspace's key and is the service while it runs
    # (whatever this process held before is given back afterwards).
    previous = authority.current()
    authority.install(ws.authority())
    try:
        return _run(ws, reports_dir, step, started, out, progress)
    finally:
        if previous is None:
            authority.uninstall()
        else:
            authority.install(previous)


def _run(ws, reports_dir: Path, step, started: float, out, progress) -> dict:
    step("事案データ(警察システムの出力)を取り込んでいます")
    report = import_incidents(ws.sample_dir / "incidents_export.csv", ws)
    incidents = read_incidents(settings=ws.settings)
    area_set = load_areas(ws.root)

    step("会員名簿とうそ電話の記録を取り込んでいます")
    member_report = import_members(ws.sample_dir / "members.csv", ws)
    fraud_report = import_fraud_calls(ws.sample_dir / "fraud_calls.csv", ws)

    engine = store.connect(ws.database_url)
    try:
        chosen = _demo_incidents(incidents)
        staff = _demo_staff(engine, ws.root, {HOME_STATION, *chosen["station"].dropna()})
        step("うそ電話詐欺の定期集計を実行しています(集計の配信を起案します)")
        with _service_for_kernels(ws, staff["demo-analyst"]):
            fraud_reports = _fraud_summaries(ws, reports_dir, incidents, progress)

        step("起案しています(直近1週間の脅威事犯と行方不明者1件)")
        drafted = _draft_alerts(engine, staff["demo-analyst"], chosen, area_set)

        step("決裁と承諾の記録をしています(各署の署長・本部、被害者に応じた承諾)")
        stopped = _approve(engine, staff, chosen, {**drafted, **_fraud_drafts(engine)})

        step("SMTP リレーを起動して、承認済みの配信を送信しています")
        delivery = _deliver(engine, ws, staff, chosen, area_set)

        step("地図と公開サイトを作っています(部外秘の事案地図は作業領域に、公開用の地図とサイトは reports/ に)")
        maps_written = _maps(engine, ws, area_set, reports_dir)
        listed = alerts.list_alerts(engine)
        account = account_for_alerts(engine, stopped)
    finally:
        engine.dispose()

    first_mail = _first_mail(ws.root / MAILDIR)
    lines = [
        "",
        f"== anshin-lab デモ ({ws.root}) ==",
        *report.lines(),
        *(f"  {r.row}行目 {r.column}: {r.reason}" for r in report.rejected_rows.itertuples(index=False)),
        *(f"会員名簿: {line}" for line in member_report.lines()),
        *(f"うそ電話の記録: {line}" for line in fraud_report.lines()[:2]),
        f"データベースの事案: {len(incidents)}件 ({redact_url(ws.database_url)})",
        "分類別: " + "、".join(f"{name} {count}件" for name, count in summaries.by_category(incidents).items()),
        *account.lines(),
        *delivery["lines"],
        f"地図: {maps_written['internal']}(部外秘)、{maps_written['public']}",
        maps_written["site"],
        *(f"報告書: {path}" for path in fraud_reports),
        f"報告書の一覧: {reports_dir / 'index.html'}",
        f"監査ログ: {_audit_line(ws)}",
        f"所要時間: {time.monotonic() - started:.1f}秒",
    ]
    if first_mail:
        lines += ["", "── 会員に届いたメールの例 ──", first_mail]
    for line in lines:
        out(line)
    return {"workspace": ws, "import": report, "alerts": listed, "account": account, "delivery": delivery,
            "reports_dir": reports_dir}


class _Steps:
    def __init__(self, progress):
        self.progress, self.number = progress, 0

    def __call__(self, text: str) -> None:
        self.number += 1
        self.progress(f"[{self.number}/{STEPS}] {text}")


def _default_reports_dir() -> Path:
    return PROJECT_ROOT / "reports"


# -- people -------------------------------------------------------------------------------

def chief_name(station: str) -> str:
    """The demo's station chief of ``station`` (demo-chief for 鹿児島中央警察署)."""
    return "demo-chief" if station == HOME_STATION else f"demo-chief-{station.removesuffix('警察署')}"


def _demo_staff(engine, root: Path, chief_stations=()) -> dict:
    """The demo users, created once with random passwords kept in the workspace (0600), logged in for real.

    One station chief per station in ``chief_stations`` (an alert is approved
    by its own station's chief). Accounts made by an older demo without a
    所属 get theirs recorded.
    """
    people = {**DEMO_STAFF, **{chief_name(station): (Role.STATION_CHIEF, f"署長(デモ・{station})", station)
                               for station in sorted(chief_stations)}}
    path = root / CREDENTIALS_FILE
    credentials = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    for username in people:
        credentials.setdefault(username, secrets.token_urlsafe(18))
    _write_private(path, json.dumps(credentials, ensure_ascii=False, indent=1))
    listed = users.list_users(engine).set_index("username")
    if "demo-admin" not in listed.index:
        users.add_user(engine, None, "demo-admin", Role.ADMIN, credentials["demo-admin"], DEMO_STAFF["demo-admin"][1])
    admin = users.authenticate(engine, "demo-admin", credentials["demo-admin"])
    for username, (role, name, affiliation) in people.items():
        if username not in listed.index and role != Role.ADMIN:
            users.add_user(engine, admin, username, role, credentials[username], name, affiliation=affiliation)
        elif affiliation and username in listed.index and listed.loc[username, "affiliation"] != affiliation:
            users.set_affiliation(engine, admin, username, affiliation)
    staff = {username: users.authenticate(engine, username, credentials[username]) for username in people}
    users.designate_operator(engine, staff["demo-hq"], "demo-operator")
    return staff


def _chief(engine, staff: dict, alert) -> users.User:
    """The station chief who judges ``alert``: its station's (demo-chief for an HQ alert)."""
    with engine.connect() as conn:
        station = stations.alert_station(conn, alert)
    return staff.get(chief_name(station), staff["demo-chief"]) if station else staff["demo-chief"]


def _write_private(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)


# -- drafts and approvals ---------------------------------------------------------------------

def _demo_incidents(incidents: pd.DataFrame) -> pd.DataFrame:
    """The last week's 脅威事犯 (the sample year ends on 11/30) and the latest missing person."""
    newest = incidents["occurred_at"].max()
    week = incidents[(incidents["category"] == "threat") & (incidents["occurred_at"] > newest - pd.Timedelta(days=7))]
    missing = incidents[incidents["category"] == "missing"].tail(1)
    return pd.concat([week, missing])


def _alert_of_incident(engine) -> dict:
    frame = alerts.list_alerts(engine)
    found = {}
    for alert_id in frame["alert_id"]:
        alert = alerts.get_alert(engine, int(alert_id))
        if alert.original_alert_id is None:
            for incident_id in alert.incident_ids:
                found.setdefault(incident_id, alert.alert_id)
    return found


def _draft_alerts(engine, analyst, chosen: pd.DataFrame, area_set) -> dict:
    """One submitted alert per chosen incident (existing ones are kept)."""
    existing = _alert_of_incident(engine)
    drafted = {}
    for row in chosen.to_dict("records"):
        if row["incident_id"] in existing:
            drafted[row["incident_id"]] = existing[row["incident_id"]]
            continue
        decision = privacy.assess(row, area_set)
        draft = drafting.draft(row, decision)
        alert_id = alerts.create_alert(engine, analyst, category=draft.category, subject=draft.subject, body=draft.body,
                                       level=draft.level, assessed_level=decision.level, public_text=draft.public_text,
                                       area_codes=draft.area_codes, incident_ids=draft.incident_ids)
        alerts.submit(engine, analyst, alert_id)
        drafted[row["incident_id"]] = alert_id
    return drafted


def _fraud_drafts(engine) -> dict:
    """The fraud summaries' alerts (their report key -> alert id): the demo takes them on like the others."""
    with engine.connect() as conn:
        return dict(conn.execute(sa.select(fraud_summary_drafts.c.report_key, fraud_summary_drafts.c.alert_id)).all())


def _approve(engine, staff: dict, chosen: pd.DataFrame, drafted: dict) -> dict[int, str]:
    """Take each alert as far as the rules allow: submission, judgement, consultation, approval, consent, ready.

    Returns the alerts a step refused, with the rule and what was missing.
    """
    hints = chosen.set_index("incident_id")[["consent", "victim_group"]].to_dict("index")
    stopped = {}
    for key, alert_id in drafted.items():
        try:
            _approve_one(engine, staff, alert_id, hints.get(key, {}))
        except AnshinError as exc:
            stopped[alert_id] = stop_reason(exc)
    return stopped


def _approve_one(engine, staff: dict, alert_id: int, incident: dict) -> None:
    alert = alerts.get_alert(engine, alert_id)
    if alert.status == Status.DRAFT:  # a scheduled summary's draft: the analyst who drafted it submits it
        alerts.submit(engine, staff["demo-analyst"], alert_id)
        alert = alerts.get_alert(engine, alert_id)
    if alert.status == Status.SUBMITTED:
        judgement = Judgement(True, True, True, True, hq_consultation_needed=True)
        if alerts.approve_station(engine, _chief(engine, staff, alert), alert_id, judgement) == Status.REJECTED:
            return
        alert = alerts.get_alert(engine, alert_id)
    if alert.status == Status.STATION_APPROVED:
        alerts.consult(engine, staff["demo-division"], alert_id, "発信して差し支えない")
        alerts.approve_hq(engine, staff["demo-hq"], alert_id, "承認")
        alert = alerts.get_alert(engine, alert_id)
    if alert.status != Status.HQ_APPROVED:
        return
    # The export's consent column is only a hint: the ledger records what was confirmed, from whom the
    # victim calls for (a minor's guardian, an adult themself; an unknown age counts as a minor).
    if alert.category == "missing":
        alerts.record_consent(engine, staff["demo-analyst"], alert_id, kind=REQUEST_FORM, given_at=pd.Timestamp.now(),
                              method="書面", scope="県警あんしんメール等での公表", anshin_mail_ticked=True)
    elif alert.category == "threat" and incident.get("consent") == "あり":
        kind = consent_kind_for(privacy.DEFAULT_POLICY.may_be_minor(incident.get("victim_group")))
        alerts.record_consent(engine, staff["demo-analyst"], alert_id, kind=kind, given_at=pd.Timestamp.now(),
                              method="電話", scope="県警あんしんメールでの配信")
    alerts.prepare(engine, staff["demo-operator"], alert_id)


# -- delivery ------------------------------------------------------------------------------------

def _free_port() -> int:
    with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _deliver(engine, ws, staff: dict, chosen: pd.DataFrame, area_set) -> dict:
    """Start the local relay, send every ready alert and one follow-up (検挙), stop the relay."""
    maildir = ws.root / MAILDIR
    port = _free_port()
    relay = smtpd.start_relay(port, maildir)
    sent_lines, totals = [], {"sent": 0, "failed": 0}
    try:
        remove_stale_locks(engine)  # left by earlier versions, which kept them
        target = delivery.parse_relay(f"127.0.0.1:{port}")
        options = delivery.options_from_settings(ws.settings)
        operator = staff["demo-operator"]
        ready = [int(a) for a in alerts.list_alerts(engine, "ready")["alert_id"]]
        for alert_id in ready:  # queued first, so that the bar knows the whole batch
            delivery.queue_alert(engine, operator, alert_id, options)
        with delivery.progress_bar("送信", total=_rows_to_send(engine, ready)) as bar:
            for alert_id in ready:
                report = delivery.send_alert(engine, operator, alert_id, target, options=options, progress=bar.part())
                totals["sent"] += report.sent_total
                totals["failed"] += report.failed
        followup_id = _followup(engine, staff, area_set)
        if followup_id is not None and alerts.get_alert(engine, followup_id).status == Status.READY:
            with delivery.progress_bar("続報の送信") as bar:
                report = delivery.send_alert(engine, operator, followup_id, target, options=options, progress=bar)
            totals["sent"] += report.sent_total
    finally:
        relay.stop()
    delivered = len(mailbox.Maildir(maildir, create=False)) if maildir.exists() else 0
    sent_lines.append(f"送信: 今回 {totals['sent']}通、Maildir の累計 {delivered}通({maildir})")
    return {"lines": sent_lines, "maildir": maildir, **totals}


def _rows_to_send(engine, alert_ids: list[int]) -> int:
    return sum(n for alert_id in alert_ids for state, n in delivery.outbox_states(engine, alert_id).items()
               if state in delivery.PENDING_STATES)


def _followup(engine, staff: dict, area_set) -> int | None:
    """A follow-up (検挙) to the first sent 脅威事犯 alert, once."""
    frame = alerts.list_alerts(engine)
    if frame["original_alert_id"].notna().any():
        return int(frame.loc[frame["original_alert_id"].notna(), "alert_id"].iloc[0])
    sent = frame[(frame["category"] == "threat") & frame["status"].isin([Status.SENT.value, Status.CLOSED.value])]
    if sent.empty:
        return None
    original = alerts.get_alert(engine, int(sent["alert_id"].min()))
    events = alerts.history(engine, original.alert_id)
    sent_at = stored_tokyo(events.loc[events["action"] == Action.SEND.value, "at"].min())
    follow = drafting.followup(original, "検挙", note="行為者は警察官が付近を警戒中に発見しました。", sent_at=sent_at)
    alert_id = alerts.create_alert(engine, staff["demo-analyst"], category=follow.category, subject=follow.subject,
                                   body=follow.body, level=follow.level, assessed_level=follow.assessed_level,
                                   public_text=follow.public_text, area_codes=follow.area_codes,
                                   incident_ids=follow.incident_ids, original_alert_id=original.alert_id, outcome="検挙")
    alerts.submit(engine, staff["demo-analyst"], alert_id)
    judgement = Judgement(True, True, True, True, hq_consultation_needed=True)
    alerts.approve_station(engine, _chief(engine, staff, original), alert_id, judgement)
    alerts.consult(engine, staff["demo-division"], alert_id, "発信して差し支えない")
    alerts.approve_hq(engine, staff["demo-hq"], alert_id, "承認")
    # No consent of its own: a follow-up is covered by the consent given for its original.
    alerts.prepare(engine, staff["demo-operator"], alert_id)
    return alert_id


def _first_mail(maildir: Path) -> str:
    """The oldest delivered mail, as a member's phone shows it."""
    if not maildir.exists():
        return ""
    box = mailbox.Maildir(maildir, factory=None, create=False)
    keys = in_delivery_order(box.keys())
    if not keys:
        return ""
    message = message_from_bytes(box.get_bytes(keys[0]), policy=policy.default)
    body = message.get_body(preferencelist=("plain",)).get_content()
    return f"From: {message['From']}\nTo: {message['To']}\nSubject: {message['Subject']}\n\n{body.strip()}"


# -- maps and reports ------------------------------------------------------------------------------

def _maps(engine, ws, area_set, reports_dir: Path) -> dict:
    internal = exports.write_internal_map(ws.root).path  # owner-only, and the export is audited
    pairs = alerts.published_decisions(engine, area_set)
    public = maps.save(maps.public_map(pairs, areas=area_set, tile_url=ws.settings.tile_url),
                       reports_dir / "public_map.html")
    site = write_site(ws, reports_dir / "public")  # the public site: every language, open data, CAP
    return {"internal": internal, "public": public, "site": site.line()}


@contextmanager
def _service_for_kernels(ws, analyst: users.User):
    """The workspace's ``anshin service`` while the fraud notebooks run, and the analyst's session for their kernels.

    A notebook holds no key: its kernel stores the drafted alert through the
    service, in the session given in ``ANSHIN_SESSION`` (the demo analyst's).
    A service already running for the workspace is used as it is; if none
    comes up, the reports are still written and say the draft was not stored.
    """
    client = ServiceClient.for_workspace(ws)
    process = None
    before = os.environ.get(SESSION_VARIABLE)
    try:
        if not _answers(client):
            process = subprocess.Popen([sys.executable, "-m", "anshin_lab", "service", "--workspace", str(ws.root)],
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            deadline = time.monotonic() + SERVICE_START_S
            while process.poll() is None and time.monotonic() < deadline and not _answers(client):
                time.sleep(0.2)
        os.environ[SESSION_VARIABLE] = analyst.session
        yield
    finally:
        if before is None:
            os.environ.pop(SESSION_VARIABLE, None)
        else:
            os.environ[SESSION_VARIABLE] = before
        client.close()
        if process is not None:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _answers(client: ServiceClient) -> bool:
    try:
        return client.ping()
    except ServiceUnavailable:
        return False


def _fraud_summaries(ws, reports_dir: Path, incidents: pd.DataFrame, progress) -> list[Path]:
    """The weekly prefecture summary and one station's, for the last week of the sample year."""
    end = incidents["occurred_at"].max().normalize()
    start = end - pd.Timedelta(days=6)
    written = []
    for area in (PREFECTURE, "鹿児島中央警察署"):
        progress(f"      {area} {start:%Y-%m-%d}〜{end:%Y-%m-%d}")
        result = reports.run_fraud_summary(f"{start:%Y-%m-%d}", f"{end:%Y-%m-%d}", area, workspace=ws.root,
                                           reports_dir=reports_dir, analyst="demo-analyst")
        written.append(result.path)
    return written


def _audit_line(ws) -> str:
    engine = store.connect(ws.database_url)
    try:
        report = audit.verify(engine)
    finally:
        engine.dispose()
    anchored = "アンカーなし" if report.anchored_seq is None else f"{report.anchored_seq}番までアンカー済み"
    return f"{report.entries}件、{'改ざんなし' if report.ok else '問題あり'}(末尾 {report.head[:16]}…、{anchored})"
