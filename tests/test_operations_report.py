"""The operations report (issue 18): every figure recomputed here from the database with plain SQL, offline in Chromium.

The report runs once per session on the demo workspace through papermill
(``run_operations_report``), once more through ``anshin schedule run`` on a
copy; its tables carry each raw value in ``data-value``, which the tests
compare with what SQL over ``anshin.sqlite`` (and the census CSV) gives.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import shutil
import sqlite3

import lxml.html
import pandas as pd
import pytest

from anshin_lab.analysis.operations import carrier_of, stage_minutes, target_summary
from anshin_lab.app.catalog import load_areas
from anshin_lab.app.operations import operations_report
from anshin_lab.cli.main import main
from anshin_lab.core.clock import tokyo_now
from anshin_lab.views.operations import run_operations_report
from anshin_lab.views.reports.index import read_report_facts

from .browser import Browser

DAYS = 60
CATEGORIES = ("threat", "fugitive", "fraud", "community", "missing")


@pytest.fixture(scope="module")
def report(demo_workspace, tmp_path_factory):
    """(workspace, the report's HTML path, its parsed page, start, end): the last DAYS days up to today."""
    ws, _ = demo_workspace
    end = tokyo_now().date()
    start = end - dt.timedelta(days=DAYS - 1)
    out = tmp_path_factory.mktemp("operations")
    result = run_operations_report(start, end, workspace=ws.root, reports_dir=out)
    return ws, result.path, lxml.html.parse(str(result.path)).getroot(), start, end


def table(page, name: str) -> dict:
    """{row key: {column: data-value}} of the table ``data-table=name``."""
    found = page.xpath(f'//table[@data-table="{name}"]')
    assert len(found) == 1, name
    return {tr.get("data-key"): {td.get("data-col"): td.get("data-value") for td in tr.xpath("./td")}
            for tr in found[0].xpath(".//tr[@data-key]")}


def number(value) -> float | None:
    return None if value in (None, "", "nan") else float(value)


def close(got, want, what: str) -> None:
    if want is None or pd.isna(want):
        assert got is None, (what, got)
    else:
        assert got is not None and abs(got - float(want)) <= 1e-6 * max(1.0, abs(float(want))), (what, got, want)


def query(ws, sql: str, params=()) -> pd.DataFrame:
    with sqlite3.connect(f"file:{ws.root / 'anshin.sqlite'}?mode=ro", uri=True) as conn:
        return pd.read_sql_query(sql, conn, params=params)


def utc_bounds(start, end) -> tuple[pd.Timestamp, pd.Timestamp]:
    first = pd.Timestamp(start).tz_localize("Asia/Tokyo").tz_convert("UTC")
    return first, (pd.Timestamp(end) + pd.Timedelta(days=1)).tz_localize("Asia/Tokyo").tz_convert("UTC")


def test_carriers_are_told_apart_by_their_domains():
    assert [carrier_of(d) for d in ("docomo.ne.jp", "X.DOCOMO.NE.JP", "ezweb.ne.jp", "au.com", "softbank.ne.jp",
                                    "i.softbank.jp", "gmail.com", "example.jp", "notdocomo.ne.jp", "")] == [
        "docomo", "docomo", "au", "au", "SoftBank", "SoftBank", "Gmail", "その他", "その他", "その他"]


def test_urgent_categories_are_measured_against_the_target():
    at = pd.Timestamp("2026-11-01 00:00", tz="UTC")
    steps = pd.DataFrame({"alert_id": [1, 2, 3, 4], "category": ["fugitive"] * 3 + ["threat"],
                          "occurred_at": [at] * 4, "drafted_at": [at] * 4, "approved_at": [at] * 4,
                          "sent_at": [at + pd.Timedelta(minutes=m) for m in (10, 30, 50, 5)]})
    row = target_summary(stage_minutes(steps), {"fugitive": "逃走"}, 30).iloc[0]
    assert (row["alerts"], row["within"], row["median_min"]) == (3, 2, 30.0)
    assert row["p90_min"] == pytest.approx(46.0) and row["share_pct"] == pytest.approx(200 / 3)


@pytest.fixture(scope="module")
def copied(demo_workspace, tmp_path_factory):
    """A copy of the demo workspace that tests may change (the session's stays as the demo left it)."""
    ws, _ = demo_workspace
    root = tmp_path_factory.mktemp("operations-copy") / "ws"
    # the relay's Maildir (most of the workspace) and the warm kernel are not needed here
    shutil.copytree(ws.root, root, ignore=shutil.ignore_patterns("run", "maildir", "*.lock"))
    return root


@pytest.mark.slow
def test_delays_per_category_match_sql_over_the_event_log(report):
    ws, _, page, start, end = report
    steps = query(ws, """
        select a.alert_id, a.category,
          (select min(i.occurred_at) from json_each(a.incident_ids) j join incidents i on i.incident_id = j.value) occurred,
          (select min(e.at) from alert_events e where e.alert_id = a.alert_id and e.action = 'create') drafted,
          (select min(e.at) from alert_events e where e.alert_id = a.alert_id
             and e.action in ('hq_approve', 'urgent_approve')) approved,
          (select min(e.at) from alert_events e where e.alert_id = a.alert_id and e.action = 'send') sent
        from alerts a where a.original_alert_id is null""")
    for column in ("occurred", "drafted", "approved", "sent"):
        steps[column] = pd.to_datetime(steps[column], utc=True, format="ISO8601")
    first, after = utc_bounds(start, end)
    steps = steps[(steps["sent"] >= first) & (steps["sent"] < after)]
    assert len(steps) > 5, "the demo sends alerts today"
    stages = {"to_draft": ("occurred", "drafted"), "to_approval": ("drafted", "approved"),
              "to_send": ("approved", "sent"), "total": ("occurred", "sent")}
    shown = table(page, "delays")
    assert len(shown) == len(CATEGORIES) * len(stages)
    for category in CATEGORIES:
        mine = steps[steps["category"] == category]
        for stage, (a, b) in stages.items():
            minutes = ((mine[b] - mine[a]).dt.total_seconds() / 60).dropna()
            row = shown[f"{category}:{stage}"]
            assert int(row["alerts"]) == len(minutes), (category, stage)
            close(number(row["median_min"]), minutes.median() if len(minutes) else None, f"{category} {stage} median")
            close(number(row["p90_min"]), minutes.quantile(0.9) if len(minutes) else None, f"{category} {stage} p90")
    target = table(page, "target")
    assert list(target) == ["fugitive"] and float(target["fugitive"]["target_min"]) == 30
    fugitive = steps[steps["category"] == "fugitive"]
    total = ((fugitive["sent"] - fugitive["occurred"]).dt.total_seconds() / 60).dropna()
    assert int(target["fugitive"]["within"]) == int((total <= 30).sum())
    assert page.xpath('//p[@class="anshin-target"]') and "目標 30分" in page.xpath('string(//p[@class="anshin-target"])')


@pytest.mark.slow
def test_reach_per_1000_households_matches_sql_and_the_census(report):
    ws, _, page, _, _ = report
    census = pd.read_csv(ws.reference_dir / "census2015_small_areas.csv", dtype={"KEN": str, "CITY": str})
    households = census.assign(code=census["KEN"] + census["CITY"]).groupby("code")["SETAI"].sum()
    cities = sorted(households.index)
    values = ",".join("(?)" for _ in cities)
    reached = query(ws, f"""
        with cities(c) as (values {values})
        select cities.c code, mc.category, count(distinct m.member_id) n
        from cities join member_areas a on (a.kind = 'pref' or (a.kind = 'city' and a.code = cities.c)
            or (a.kind = 'station' and a.code in (select station from station_districts d where d.city_code = cities.c))
            or (a.kind = 'chome' and substr(a.code, 1, 5) = cities.c))
          join members m on m.member_id = a.member_id and m.status = 'active'
          join member_categories mc on mc.member_id = m.member_id
        group by cities.c, mc.category""", cities)
    shown = table(page, "reach_city")
    assert set(shown) == set(cities)
    for code in cities:
        for category in CATEGORIES:
            n = reached[(reached["code"] == code) & (reached["category"] == category)]["n"].sum()
            close(number(shown[code][f"{category}_per_1000"]), n * 1000 / households[code], f"{code} {category}")
        assert int(shown[code]["households"]) == households[code]
    rates = [number(r["per_1000"]) for r in shown.values()]
    assert rates == sorted(rates), "lowest coverage first"
    lowest = table(page, "reach_city_lowest")
    assert list(lowest) == list(shown)[:10]


@pytest.mark.slow
def test_reach_per_station_district_matches_sql(report):
    ws, _, page, _, _ = report
    areas = load_areas(ws.root)
    households = dict(zip(areas.stations["station"].astype(str), areas.stations["households"]))
    chome_station = dict(zip(areas.layer("chome")["area_code"].astype(str), areas.layer("chome")["station"].astype(str)))
    districts = query(ws, "select station, city_code from station_districts")
    rows = query(ws, """select a.member_id, a.kind, a.code from member_areas a join members m
                        on m.member_id = a.member_id where m.status = 'active'""")
    covered: dict = {s: set() for s in households}
    for member_id, kind, code in rows.itertuples(index=False):
        if kind == "pref":
            hit = set(households)
        elif kind == "station":
            hit = {code}
        elif kind == "city":
            hit = set(districts.loc[districts["city_code"] == code, "station"])
        else:
            hit = {chome_station.get(code)}
        for station in hit & set(households):
            covered[station].add(member_id)
    shown = table(page, "reach_station")
    assert set(shown) == set(households)
    for station, members in covered.items():
        assert int(shown[station]["members"]) == len(members), station
        close(number(shown[station]["per_1000"]), len(members) * 1000 / households[station], station)


@pytest.mark.slow
def test_growth_and_churn_per_month_match_sql(report):
    ws, _, page, start, end = report
    shown = table(page, "growth")
    months = pd.period_range(pd.Period(start, "M"), pd.Period(end, "M"), freq="M")
    assert list(shown) == [str(m) for m in months]
    for month in months:
        def count(column):
            return int(query(ws, f"""select count(*) n from members where status != 'pending'
                and opted_in_at is not null and strftime('%Y-%m', {column}, '+9 hours') = ?""", (str(month),))["n"][0])

        def active(at: pd.Timestamp):
            x = at.tz_localize("Asia/Tokyo").tz_convert("UTC").strftime("%Y-%m-%d %H:%M:%S")
            return int(query(ws, """select count(*) n from members where status != 'pending'
                and opted_in_at < ? and (unsubscribed_at is null or unsubscribed_at >= ?)
                and (suppressed_at is null or suppressed_at >= ?)""", (x, x, x))["n"][0])

        row = shown[str(month)]
        joined, left, gone = count("opted_in_at"), count("unsubscribed_at"), count("suppressed_at")
        first, last = active(month.start_time), active((month + 1).start_time)
        assert [int(row[c]) for c in ("joined", "unsubscribed", "suppressed", "active_start", "active_end", "net")] == [
            joined, left, gone, first, last, joined - left - gone], str(month)
        close(number(row["churn_pct"]), 100 * (left + gone) / first if first else None, f"churn {month}")
    assert sum(int(r["unsubscribed"]) for r in shown.values()) > 0, "the demo has unsubscribed members"


@pytest.mark.slow
def test_bounces_per_carrier_match_sql(report):
    ws, _, page, start, end = report
    first, after = (t.strftime("%Y-%m-%d %H:%M:%S") for t in utc_bounds(start, end))
    carrier = CARRIER_SQL
    sent = query(ws, f"""select {carrier.format(d='lower(domain)')} carrier, count(*) n from outbox
                         where sent_at is not null and sent_at >= ? and sent_at < ? group by 1""", (first, after))
    bounced = query(ws, f"""select {carrier.format(d='lower(coalesce(o.domain, m.domain))')} carrier, count(*) n
                            from bounces b join members m on m.member_id = b.member_id
                            left join outbox o on o.alert_id = b.alert_id and o.member_id = b.member_id
                            where b.at >= ? and b.at < ? group by 1""", (first, after))
    shown = table(page, "carriers")
    assert list(shown) == ["docomo", "au", "SoftBank", "Gmail", "その他"]
    for name, row in shown.items():
        s = int(sent.loc[sent["carrier"] == name, "n"].sum())
        b = int(bounced.loc[bounced["carrier"] == name, "n"].sum())
        assert (int(row["sent"]), int(row["bounces"])) == (s, b), name
        close(number(row["bounce_pct"]), 100 * b / s if s else None, name)
    assert sum(int(r["sent"]) for r in shown.values()) > 0


CARRIER_SQL = """case when {d} like '%docomo.ne.jp' then 'docomo'
                      when {d} like '%ezweb.ne.jp' or {d} like '%au.com' then 'au'
                      when {d} like '%softbank.ne.jp' or {d} like '%i.softbank.jp' then 'SoftBank'
                      when {d} like '%gmail.com' then 'Gmail' else 'その他' end"""


@pytest.mark.slow
def test_bounces_at_every_carrier_match_sql(copied):
    with sqlite3.connect(copied / "anshin.sqlite") as conn:
        conn.execute("""update outbox set domain = case rowid % 7 when 0 then 'docomo.ne.jp' when 1 then 'ezweb.ne.jp'
                        when 2 then 'au.com' when 3 then 'i.softbank.jp' when 4 then 'x.softbank.ne.jp'
                        when 5 then 'gmail.com' else domain end where sent_at is not null""")
        conn.execute("""insert into bounces (member_id, alert_id, at, code, reply)
                        select member_id, alert_id, sent_at, 550, 'user unknown' from outbox
                        where sent_at is not null and rowid % 11 in (0, 1, 3)""")
    end = tokyo_now().date()
    start = end - dt.timedelta(days=DAYS - 1)
    got = operations_report(copied, start, end).carriers.set_index("carrier")
    first, after = (t.strftime("%Y-%m-%d %H:%M:%S") for t in utc_bounds(start, end))
    with sqlite3.connect(copied / "anshin.sqlite") as conn:
        sent = pd.read_sql_query(f"""select {CARRIER_SQL.format(d='lower(domain)')} carrier, count(*) n from outbox
                                     where sent_at >= ? and sent_at < ? group by 1""", conn, params=(first, after))
        bounced = pd.read_sql_query(
            f"""select {CARRIER_SQL.format(d='lower(o.domain)')} carrier, count(*) n from bounces b
                join outbox o on o.alert_id = b.alert_id and o.member_id = b.member_id
                where b.at >= ? and b.at < ? group by 1""", conn, params=(first, after))
    sent, bounced = sent.set_index("carrier")["n"], bounced.set_index("carrier")["n"]
    assert (bounced > 0).sum() == 5, "bounces at every carrier"
    for carrier in ("docomo", "au", "SoftBank", "Gmail", "その他"):
        assert (got.at[carrier, "sent"], got.at[carrier, "bounces"]) == (sent[carrier], bounced[carrier]), carrier
        assert got.at[carrier, "bounce_pct"] == pytest.approx(100 * bounced[carrier] / sent[carrier])


@pytest.mark.slow
def test_report_carries_no_address_and_opens_offline_with_its_maps(report, tmp_path):
    ws, path, page, _, _ = report
    text = path.read_text(encoding="utf-8")
    emails = set(query(ws, "select lower(email) e from members")["e"])
    found = {m.lower() for m in re.findall(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", text)}
    assert not found & emails
    assert read_report_facts(path)["kind"] == "operations-report"
    assert len(page.xpath('//figure[@data-map="recruitment"]')) == 2
    assert html.unescape(text).count("世帯1,000あたりの会員数") >= 2  # each map's legend says what it shades
    ready = "[...document.querySelectorAll('iframe')].every(f => f.contentWindow.anshinMapReady === true)"
    with Browser() as browser:
        visit = browser.open(path, screenshot=tmp_path / "operations.png", ready=ready)
    assert visit.clean, visit.problems()
    assert all(u.startswith(("file:", "data:", "about:", "blob:")) for u in visit.requests)


@pytest.mark.slow
def test_schedule_runs_the_operations_report_through_the_command_line(copied, tmp_path, capsys):
    root = copied
    schedule = tmp_path / "schedule.toml"
    schedule.write_text('timezone = "Asia/Tokyo"\n\n[[jobs]]\nname = "operations-monthly"\ntitle = "運用の報告"\n'
                        'kind = "operations-report"\nevery = "monthly"\nday = 1\nat = "10:00"\n', encoding="utf-8")
    reports = tmp_path / "reports"
    args = ["schedule", "run", "--schedule", str(schedule), "--now", "2026-12-01T10:30", "--cold",
            "--workspace", str(root), "--reports-dir", str(reports)]
    assert main(args) == 0, capsys.readouterr()
    written = reports / "operations-report_2026-11-01_2026-11-30.html"
    assert written.exists(), capsys.readouterr().out
    facts = read_report_facts(written)
    assert (facts["kind"], facts["start"], facts["end"]) == ("operations-report", "2026-11-01", "2026-11-30")
    assert written.name in (reports / "index.html").read_text(encoding="utf-8")
    assert main(args) == 0  # the period is done: not run twice
    assert "実行済み" in capsys.readouterr().out
