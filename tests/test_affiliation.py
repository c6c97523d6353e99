"""所属: station roles act on their own station's alerts and incidents only, HQ roles prefecture-wide; the users row
signs the 所属, so moving an account to another station by hand in the database is refused."""

import pytest
import sqlalchemy as sa

from anshin_lab.core.clock import given_utc, utc_now
from anshin_lab.core.errors import PermissionDenied, WorkflowError
from anshin_lab.storage import store
from anshin_lab.workflow import alerts, authority, decisions, stations, users
from anshin_lab.workflow.rules import Role, Status
from anshin_lab.workflow.signatures import sign_user, user_valid

from .staff import PASSWORD
from .test_workflow import CLEAN_BODY, SEND

CENTRAL, SOUTH = "鹿児島中央警察署", "鹿児島南警察署"
STATIONS = frozenset({CENTRAL, SOUTH, "鹿児島西警察署"})


def add_incident(engine, incident_id: str, station: str | None, victim_group: str | None = "小学生", *,
                 category: str = "threat", occurred_at="2026-11-28 16:00") -> None:
    """One stored incident (as an import leaves it), with the columns the workflow reads."""
    with engine.begin() as conn:
        import_id = conn.execute(store.imports.insert().values(
            source_name="test.csv", source_sha256=incident_id.rjust(64, "0")[:64], imported_at=utc_now(), rows_read=1,
            accepted=1, rejected=0, inserted=1, unchanged=0, conflicts=0)).inserted_primary_key[0]
        conn.execute(store.incidents.insert().values(
            incident_id=incident_id, category=category, occurred_at=given_utc(occurred_at),
            station=station, victim_group=victim_group, content_hash="0" * 64, import_id=import_id))


def person(engine, staff, name: str, role: Role, affiliation: str | None):
    """A new account made by the admin, logged in."""
    users.add_user(engine, staff["admin"], name, role, PASSWORD, affiliation=affiliation)
    return users.authenticate(engine, name, PASSWORD)


def draft_for(engine, analyst, incident_id: str, **kwargs) -> int:
    return alerts.create_alert(engine, analyst, category="threat", subject="【声かけ事案】鹿児島市紫原3丁目付近",
                               body=CLEAN_BODY, level="TOWN", public_text="鹿児島市紫原3丁目付近の路上",
                               incident_ids=[incident_id], **kwargs)


@pytest.fixture
def south(engine, staff):
    """鹿児島南警察署's analyst and chief, and an incident of that station (K-S1)."""
    add_incident(engine, "K-S1", SOUTH)
    return {"analyst": person(engine, staff, "minami-analyst", Role.ANALYST, "鹿児島南署"),
            "chief": person(engine, staff, "minami-chief", Role.STATION_CHIEF, SOUTH)}


def test_a_chief_of_another_station_is_refused_naming_the_station_and_the_own_chief_approves(engine, staff, south):
    alert_id = draft_for(engine, south["analyst"], "K-S1")
    alerts.submit(engine, south["analyst"], alert_id)
    with pytest.raises(PermissionDenied, match=f"配信 #{alert_id} は{SOUTH}の配信です。{CENTRAL}の署長は扱えません"):
        alerts.approve_station(engine, staff["chief"], alert_id, SEND)  # staff's chief is 鹿児島中央警察署's
    for refused in (lambda: alerts.reject(engine, staff["chief"], alert_id, "不可"),
                    lambda: alerts.send_back(engine, staff["chief"], alert_id, "直して")):
        with pytest.raises(PermissionDenied, match=SOUTH):
            refused()
    assert alerts.get_alert(engine, alert_id).status == Status.SUBMITTED
    alerts.approve_station(engine, south["chief"], alert_id, SEND)
    # HQ roles act prefecture-wide.
    alerts.consult(engine, staff["division"], alert_id, "発信して差し支えない")
    alerts.approve_hq(engine, staff["hq"], alert_id)
    assert alerts.get_alert(engine, alert_id).status == Status.HQ_APPROVED


def test_a_station_analyst_drafts_only_for_their_station_and_an_hq_analyst_anywhere(engine, staff, south):
    add_incident(engine, "K-C1", CENTRAL)
    with pytest.raises(PermissionDenied, match=f"{CENTRAL}の配信です。{SOUTH}の分析担当は扱えません"):
        draft_for(engine, south["analyst"], "K-C1")
    # A station-less draft of a station analyst is that station's alert (recorded when drafted).
    own = alerts.create_alert(engine, south["analyst"], category="community", subject="【地域安全情報】お知らせ",
                              body=CLEAN_BODY, level="CITY", public_text="鹿児島市内")
    assert alerts.get_alert(engine, own).station == SOUTH
    alerts.submit(engine, south["analyst"], own)
    with pytest.raises(PermissionDenied, match=SOUTH):
        alerts.approve_station(engine, staff["chief"], own, SEND)
    central = draft_for(engine, staff["analyst"], "K-C1")  # the HQ analyst (本部) drafts for any station
    assert alerts.get_alert(engine, central).station == CENTRAL
    alerts.submit(engine, staff["analyst"], central)
    alerts.approve_station(engine, staff["chief"], central, SEND)  # 鹿児島中央's chief: their own station


def test_a_chief_without_a_recorded_station_is_refused_until_an_admin_records_one(engine, staff, south):
    legacy = person(engine, staff, "old-chief", Role.STATION_CHIEF, None)
    alert_id = draft_for(engine, south["analyst"], "K-S1")
    alerts.submit(engine, south["analyst"], alert_id)
    with pytest.raises(PermissionDenied, match="所属\\(警察署\\)が記録されていません.*set-affiliation old-chief"):
        alerts.approve_station(engine, legacy, alert_id, SEND)
    with pytest.raises(PermissionDenied, match="管理者"):
        users.set_affiliation(engine, staff["hq"], "old-chief", SOUTH)  # accounts are the admin's
    assert users.set_affiliation(engine, staff["admin"], "old-chief", "鹿児島南", stations=STATIONS) == SOUTH
    alerts.approve_station(engine, legacy, alert_id, SEND)
    assert alerts.get_alert(engine, alert_id).status == Status.STATION_APPROVED


def test_an_hq_alert_may_be_judged_by_any_station_chief_but_not_by_a_station_analyst(engine, staff, south):
    alert_id = alerts.create_alert(engine, staff["analyst"], category="fraud", subject="【うそ電話詐欺】鹿児島県内",
                                   body=CLEAN_BODY, level="PREF", public_text="鹿児島県内")
    assert alerts.get_alert(engine, alert_id).station is None  # 本部の配信
    with pytest.raises(PermissionDenied, match="本部\\(県全体\\)の配信です"):
        alerts.withdraw(engine, south["analyst"], alert_id, "不要")
    alerts.submit(engine, staff["analyst"], alert_id)
    alerts.approve_station(engine, south["chief"], alert_id, SEND)


@pytest.mark.parametrize("role, given, expected", [
    (Role.STATION_CHIEF, "鹿児島中央署", CENTRAL),
    (Role.ANALYST, "鹿児島南", SOUTH),
    (Role.ANALYST, "生活安全企画課", "生活安全企画課"),
    (Role.OPERATOR, None, "本部"),
    (Role.HQ_PLANNING_CHIEF, "生活安全企画課", "生活安全企画課"),
])
def test_affiliations_are_read_as_the_station_table_names_them(role, given, expected):
    assert stations.resolve_affiliation(role, given, STATIONS) == expected


@pytest.mark.parametrize("role, given, why", [
    (Role.STATION_CHIEF, None, "署長の所属\\(警察署\\)を --affiliation で指定"),
    (Role.ANALYST, None, "分析担当の所属"),
    (Role.STATION_CHIEF, "生活安全企画課", "署長の所属は警察署です"),
    (Role.OPERATOR, CENTRAL, "発信操作担当者の所属は本部の課です"),
    (Role.STATION_CHIEF, "桜島警察署", "警察署テーブルにありません"),
    (Role.ANALYST, "どこか", "使えません"),
])
def test_a_wrong_affiliation_is_refused_naming_the_choices(role, given, why):
    with pytest.raises(WorkflowError, match=why):
        stations.resolve_affiliation(role, given, STATIONS)


def test_the_users_row_signs_the_affiliation_and_older_rows_still_verify(engine, staff, south):
    with engine.begin() as conn:  # moved to another station in the database, not by an admin
        conn.execute(store.users.update().where(store.users.c.username == "minami-chief").values(affiliation=CENTRAL))
    with pytest.raises(PermissionDenied, match="サービスの署名と一致しません"):
        alerts.create_alert(engine, south["chief"], category="threat", subject="件名", body=CLEAN_BODY, level="TOWN",
                            public_text="町付近")
    with pytest.raises(PermissionDenied):
        users.authenticate(engine, "minami-chief", PASSWORD)
    key = authority.require().key
    # A row signed before accounts had a 所属 (no affiliation in the payload) verifies as it was signed.
    legacy = {"username": "x", "role": "operator", "active": True, "affiliation": None,
              "signature": key.sign("user", {"username": "x", "role": "operator", "active": True})}
    assert user_valid(key, legacy)
    assert not user_valid(key, {**legacy, "affiliation": "本部"})  # a 所属 added by hand breaks it
    signed = sign_user(key, "x", "operator", True, "本部")
    assert user_valid(key, {**legacy, "affiliation": "本部", "signature": signed})
    assert not user_valid(key, {**legacy, "affiliation": None, "signature": signed})  # and removing it too


def test_a_role_change_keeps_the_station_consistent(engine, staff, south):
    with pytest.raises(WorkflowError, match="set-affiliation minami-analyst --affiliation 本部"):
        users.set_role(engine, staff["admin"], "minami-analyst", Role.OPERATOR)
    users.set_role(engine, staff["admin"], "minami-analyst", Role.STATION_CHIEF)  # still a station role
    listed = users.list_users(engine).set_index("username")
    assert listed.loc["minami-analyst", "affiliation"] == SOUTH and listed.loc["hq", "affiliation"] == "本部"


def test_a_no_send_decision_is_the_own_station_chiefs(engine, staff, south):
    with pytest.raises(PermissionDenied, match="分析担当は事案を発信しないと決められません"):
        decisions.record_no_send(engine, south["analyst"], "K-S1", "捜査に支障")
    with pytest.raises(PermissionDenied, match=f"事案 K-S1 は{SOUTH}の事案です"):
        decisions.record_no_send(engine, staff["chief"], "K-S1", "捜査に支障")
    decision_id = decisions.record_no_send(engine, south["chief"], "K-S1", "捜査に支障があるため")
    listed = decisions.list_decisions(engine)
    assert list(listed["decision_id"]) == [decision_id] and listed["decided_by"].iloc[0] == "minami-chief"
    with engine.connect() as conn:
        audited = conn.execute(sa.select(store.audit_log.c.action, store.audit_log.c.subject)
                               .where(store.audit_log.c.action == "incident_no_send")).all()
    assert audited == [("incident_no_send", "incident:K-S1")]
