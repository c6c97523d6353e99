"""The guards no approver lifts, and the two approvers a finer place needs (issue 14).

``privacy.adjust`` never publishes an area under k households or a block that
``assess`` could not have published, whoever approves; a level finer than
assessed needs two approvers of different roles, in the library and in the
workflow (two signed overrides over the current content before prepare).
"""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from anshin_lab.app.catalog import load_areas
from anshin_lab.core import glossary
from anshin_lab.core.errors import WorkflowError
from anshin_lab.core.granularity import Granularity
from anshin_lab.privacy import DEFAULT_POLICY, PrivacyError, adjust, assess
from anshin_lab.workflow import alerts
from anshin_lab.workflow.rules import Judgement

from .test_privacy import STREET, incidents

TWO = [("yamada", "署長"), ("sato", "生活安全企画課長")]
# 南栄3丁目 (鹿児島市): 2 households; 与次郎1丁目: 18 households (under the block floor of 100).
TINY = {**STREET, "address": "鹿児島市南栄3丁目1番1号", "lat": None, "lon": None}
SMALL = {**STREET, "address": "鹿児島市与次郎1丁目1番5号", "lat": None, "lon": None}


@pytest.fixture(scope="module")
def area_set(built_workspace):
    return load_areas(built_workspace.root)


@pytest.mark.parametrize("approvers, given", [
    ([("yamada", "署長")], "yamada(署長)"),
    ([("yamada", "署長"), ("tanaka", "署長")], "tanaka(署長)"),  # two people, one role
    ([("yamada", "署長"), ("yamada", "生活安全企画課長")], "yamada(生活安全企画課長)"),  # one person, two roles
    ([("yamada", ""), ("sato", "")], "役職なし"),
    ([("", "署長"), (" ", "生活安全企画課長")], "なし"),
])
def test_a_finer_level_needs_two_people_in_two_roles(area_set, approvers, given):
    decision = assess({**STREET, "victim_group": "小学生"}, area_set)
    with pytest.raises(PrivacyError, match="役職の異なる2人") as raised:
        adjust(decision, Granularity.BLOCK, area_set, reason="見守り活動のため", approvers=approvers)
    assert given in str(raised.value)
    finer = adjust(decision, Granularity.BLOCK, area_set, reason="見守り活動のため", approvers=TWO)
    assert finer.level == Granularity.BLOCK and finer.approved_by == tuple(TWO)
    # Coarser needs nobody, and records nobody.
    coarser = adjust(decision, Granularity.TOWN, area_set, reason="広く")
    assert coarser.approved_by == () and coarser.level == Granularity.TOWN


def test_no_approver_publishes_under_k_households(area_set):
    decision = assess(TINY, area_set)
    assert decision.level == Granularity.TOWN and decision.households >= DEFAULT_POLICY.min_households
    for level in (Granularity.CHOME, Granularity.BLOCK):
        with pytest.raises(PrivacyError, match="2世帯") as raised:
            adjust(decision, level, area_set, reason="見守り活動のため", approvers=TWO)
        assert "南栄3丁目" in str(raised.value)


def test_no_approver_publishes_a_block_in_a_small_chome(area_set):
    decision = assess(SMALL, area_set)
    assert decision.level == Granularity.CHOME and decision.households == 18
    with pytest.raises(PrivacyError, match="与次郎1丁目は18世帯") as raised:
        adjust(decision, Granularity.BLOCK, area_set, reason="見守り活動のため", approvers=TWO)
    assert "100世帯以上" in str(raised.value)


@pytest.mark.parametrize("place", sorted(DEFAULT_POLICY.facility_place_types))
def test_no_approver_publishes_a_facility_on_its_block(area_set, place):
    decision = assess({**STREET, "place_type": place}, area_set)
    with pytest.raises(PrivacyError, match=f"発生場所が{place}のため"):
        adjust(decision, Granularity.BLOCK, area_set, reason="見守り活動のため", approvers=TWO)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_adjust_either_refuses_or_keeps_every_rule(area_set, data):
    """Whatever the incident, level and approvers: k households, the BLOCK rule, two approvers for finer."""
    decision = assess(data.draw(incidents(area_set)), area_set)
    level = data.draw(st.sampled_from(list(Granularity)))
    people = data.draw(st.lists(st.tuples(st.sampled_from(["yamada", "sato", "", "tanaka"]),
                                          st.sampled_from(["署長", "生活安全企画課長", ""])), max_size=3))
    try:
        result = adjust(decision, level, area_set, reason="テスト", approvers=people)
    except PrivacyError:
        return
    assert result.level == level != Granularity.EXACT
    if level < Granularity.PREF:
        assert result.households >= DEFAULT_POLICY.min_households
    if level == Granularity.BLOCK:
        assert result.address is not None and result.address.block is not None and not result.address.is_jiban
        assert result.households >= DEFAULT_POLICY.block_min_chome_households
        assert result.place_type not in DEFAULT_POLICY.facility_place_types
    if level < decision.level:
        named = [(n.strip(), r) for n, r in people if n.strip()]
        assert len({n for n, _ in named}) >= 2 and len({r for _, r in named if r}) >= 2
        assert len(result.approved_by) >= 2


# -- the workflow: two signed overrides over the current content ---------------------------

BODY = "11月28日(金)午後4時ごろ、鹿児島市紫原3丁目12番付近の路上で、女子児童が男から声をかけられました。"
SEND = Judgement(True, True, True, True)


def finer_alert(engine, staff, households=1935):
    area_codes = {"city_code": "46201", "households": households} if households is not None else {"city_code": "46201"}
    alert_id = alerts.create_alert(engine, staff["analyst"], category="threat", subject="【声かけ事案】鹿児島市紫原3丁目12番付近",
                                   body=BODY, public_text="鹿児島市紫原3丁目12番付近の路上", level="BLOCK",
                                   assessed_level="CHOME", area_codes=area_codes)
    alerts.submit(engine, staff["analyst"], alert_id)
    alerts.approve_station(engine, staff["chief"], alert_id, SEND)
    alerts.consult(engine, staff["division"], alert_id, "差し支えない")
    alerts.approve_hq(engine, staff["hq"], alert_id)
    alerts.record_consent(engine, staff["analyst"], alert_id, kind="保護者", given_at="2026-11-28 17:00", method="電話",
                          scope="県警あんしんメールでの配信")
    return alert_id


def test_a_finer_level_needs_overrides_by_two_roles_before_prepare(engine, staff):
    alert_id = finer_alert(engine, staff)
    with pytest.raises(WorkflowError, match="役職の異なる2人"):
        alerts.prepare(engine, staff["operator"], alert_id)
    alerts.override(engine, staff["chief"], alert_id, what="level", reason="見守り活動に街区が必要")
    with pytest.raises(WorkflowError, match=r"了承: chief\(署長\)、公表する地域は1,935世帯"):
        alerts.prepare(engine, staff["operator"], alert_id)
    alerts.override(engine, staff["chief"], alert_id, what="level", reason="再度")  # the same person again: still one
    with pytest.raises(WorkflowError, match="役職の異なる2人"):
        alerts.prepare(engine, staff["operator"], alert_id)
    alerts.override(engine, staff["hq"], alert_id, what="lint", reason="別の了承")  # a lint override is not a level one
    with pytest.raises(WorkflowError, match="役職の異なる2人"):
        alerts.prepare(engine, staff["operator"], alert_id)
    alerts.override(engine, staff["hq"], alert_id, what="level", reason="本部も了承")
    alerts.prepare(engine, staff["operator"], alert_id)


def test_overrides_over_other_content_do_not_count(engine, staff):
    alert_id = alerts.create_alert(engine, staff["analyst"], category="threat", subject="件名", body=BODY,
                                   public_text="鹿児島市紫原3丁目12番付近の路上", level="BLOCK", assessed_level="CHOME",
                                   area_codes={"households": 1935})
    alerts.override(engine, staff["chief"], alert_id, what="level", reason="先に了承")
    alerts.edit(engine, staff["analyst"], alert_id, body=BODY + "\n★見守りをお願いします。")
    alerts.submit(engine, staff["analyst"], alert_id)
    alerts.approve_station(engine, staff["chief"], alert_id, SEND)
    alerts.consult(engine, staff["division"], alert_id, "差し支えない")
    alerts.approve_hq(engine, staff["hq"], alert_id)
    alerts.record_consent(engine, staff["analyst"], alert_id, kind="保護者", given_at="2026-11-28 17:00", method="電話",
                          scope="県警あんしんメールでの配信")
    alerts.override(engine, staff["hq"], alert_id, what="level", reason="後から了承")
    with pytest.raises(WorkflowError, match=r"了承: hq\(生活安全企画課長\)、"):
        alerts.prepare(engine, staff["operator"], alert_id)


@pytest.mark.parametrize("households, shown", [(None, "記録されていません"), (5, "5世帯です")])
def test_no_overrides_publish_a_finer_place_without_k_households(engine, staff, households, shown):
    alert_id = finer_alert(engine, staff, households=households)
    alerts.override(engine, staff["chief"], alert_id, what="level", reason="了承")
    alerts.override(engine, staff["hq"], alert_id, what="level", reason="了承")
    with pytest.raises(WorkflowError, match=f"世帯数が{shown}"):
        alerts.prepare(engine, staff["operator"], alert_id)


def test_alerts_show_prints_the_households(fresh_workspace, area_set, capsys):
    from anshin_lab.cli.main import main
    from anshin_lab.drafting import draft
    from anshin_lab.storage import store
    from anshin_lab.workflow import users
    from anshin_lab.workflow.rules import Role

    decision = assess({**STREET, "place_type": "公園"}, area_set)
    mail = draft({**STREET, "incident_id": "K-1", "occurred_at": "2026-11-28 16:00", "station": "鹿児島南警察署",
                  "summary": "男が声をかけた。"}, decision)
    assert mail.area_codes["households"] == 1935
    engine = store.connect(fresh_workspace.database_url)
    try:
        users.add_user(engine, None, "admin", Role.ADMIN, "a long enough password")
        admin = users.authenticate(engine, "admin", "a long enough password")
        users.add_user(engine, admin, "sato", Role.ANALYST, "a long enough password")
        sato = users.authenticate(engine, "sato", "a long enough password")
        alert_id = alerts.create_alert(engine, sato, category=mail.category, subject=mail.subject, body=mail.body,
                                       level=mail.level, assessed_level=mail.assessed_level,
                                       public_text=mail.public_text, area_codes=mail.area_codes,
                                       incident_ids=mail.incident_ids)
    finally:
        engine.dispose()
    capsys.readouterr()
    assert main(["alerts", "show", str(alert_id), "--workspace", str(fresh_workspace.root)]) == 0
    assert "場所: 鹿児島市紫原3丁目付近の公園(公表する地域の世帯数: 1,935世帯)" in capsys.readouterr().out


def test_the_vocabularies_the_policy_trusts_are_the_glossary_s():
    """A group or place type added to the glossary is unknown to the policy until someone decides what it is."""
    assert DEFAULT_POLICY.not_minor_groups | glossary.MINOR_GROUPS | {"不明"} == set(glossary.VICTIM_GROUPS)
    assert DEFAULT_POLICY.known_place_types | {"不明"} == set(glossary.PLACE_TYPES)
