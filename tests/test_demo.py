"""The main job end to end in a temporary directory: the right members get the right mails, once."""

import mailbox
import re
from collections import Counter, defaultdict
from email import message_from_bytes

import pandas as pd
import pytest

from anshin_lab.workflow import alerts
from anshin_lab.storage import store
from anshin_lab.app.catalog import load_areas
from anshin_lab.demo.run import MAILDIR, run_demo
from anshin_lab.core.granularity import Granularity
from anshin_lab.privacy.lint import lint
from anshin_lab.workflow.rules import Status

from .browser import Browser


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    root = tmp_path_factory.mktemp("demo")
    printed = []
    result = run_demo(root / "ws", reports_dir=root / "reports", out=printed.append, progress=lambda m: None)
    return result, printed, delivered(result["workspace"].root / MAILDIR)


def delivered(maildir):
    """(alert id, To, body) of every message in the Maildir, and the Message-IDs (parsed once)."""
    box = mailbox.Maildir(maildir, factory=None, create=False)
    rows, ids = [], []
    for key in box.keys():
        message = message_from_bytes(box.get_bytes(key))
        alert_id = int(re.match(r"<anshin\.(\d+)\.", message["Message-ID"]).group(1))
        body = message.get_payload(decode=True).decode(message.get_content_charset() or "utf-8")
        rows.append((alert_id, str(message["To"]), body))
        ids.append(message["Message-ID"])
    return rows, ids


def expected_recipients(ws, alert, members: pd.DataFrame, city_names: dict) -> set[str]:
    """Worked out from the sample member file itself, not from the sender's selection."""
    active = members[members["status"] == "active"]
    chose = active[active["categories"].str.split(";").apply(lambda c: alert.category in c)]
    if alert.category == "fugitive":
        return set(chose["email"])
    wanted = {"鹿児島県", city_names[alert.area_codes["city_code"]]}
    if alert.area_codes.get("station"):
        wanted.add(alert.area_codes["station"])
    return set(chose[chose["areas"].str.split(";").apply(lambda a: bool(wanted & set(a)))]["email"])


@pytest.mark.slow
def test_the_right_members_get_the_right_mails_exactly_once(demo):
    result, printed, (rows, ids) = demo
    ws = result["workspace"]
    assert rows, "nothing was delivered"
    assert len(ids) == len(set(ids)), "a message arrived twice"
    by_alert = defaultdict(set)
    for alert_id, to, _ in rows:
        assert to not in by_alert[alert_id], f"#{alert_id} reached {to} twice"
        by_alert[alert_id].add(to)

    members = pd.read_csv(ws.sample_dir / "members.csv", dtype=str)
    city_names = dict(zip(*load_areas(ws.root).layer(Granularity.CITY)[["area_code", "name"]].T.values))
    engine = store.connect(ws.database_url)
    try:
        sent = alerts.list_alerts(engine)
        sent = sent[sent["status"].isin([Status.SENT.value, Status.CLOSED.value])]
        assert len(sent) >= 5 and sent["original_alert_id"].notna().sum() == 1  # one follow-up (検挙)
        for alert_id in sent["alert_id"]:
            alert = alerts.get_alert(engine, int(alert_id))
            if alert.original_alert_id is None:
                expected = expected_recipients(ws, alert, members, city_names)
            else:
                expected = by_alert[alert.original_alert_id]
            assert by_alert[alert.alert_id] == expected, f"#{alert.alert_id}"
            assert alert.recipients == len(expected)
        unsent = set(alerts.list_alerts(engine)["alert_id"]) - set(sent["alert_id"])
        assert not (unsent & set(by_alert)), "an alert that was not released reached members"
    finally:
        engine.dispose()


@pytest.mark.slow
def test_no_delivered_body_has_a_privacy_finding(demo):
    _, _, (rows, _) = demo
    # Bodies differ only in each member's unsubscribe link: lint each distinct text once.
    bodies = {re.sub(r"https://\S+", "", body) for _, _, body in rows}
    for body in bodies:
        assert lint(body) == [], body


@pytest.mark.slow
def test_the_summary_names_where_to_look(demo):
    _, printed, _ = demo
    text = "\n".join(printed)
    for words in ("保留(quarantine): 7件", "送信:", "地図:", "報告書の一覧:", "会員に届いたメールの例", "監査ログ:"):
        assert words in text, words


@pytest.mark.slow
def test_running_again_changes_nothing_that_was_sent(demo):
    result, _, (_, ids) = demo
    ws = result["workspace"]
    run_demo(ws.root, reports_dir=result["reports_dir"], out=lambda m: None, progress=lambda m: None)
    assert Counter(delivered(ws.root / MAILDIR)[1]) == Counter(ids)


@pytest.mark.slow
def test_reports_and_maps_open_offline_without_errors(demo, tmp_path):
    result, _, _ = demo
    pages = [result["reports_dir"] / "index.html", result["reports_dir"] / "public_map.html",
             result["workspace"].root / "internal" / "incident_map.html"]
    with Browser() as browser:
        for page in pages:
            visit = browser.open(page, screenshot=tmp_path / f"{page.stem}.png", settle_ms=300)
            assert visit.clean, (page.name, visit.problems())
            assert all(u.startswith(("file:", "data:", "about:", "blob:")) for u in visit.requests)
    internal = (result["workspace"].root / "internal" / "incident_map.html")
    assert "reports" not in internal.parts
