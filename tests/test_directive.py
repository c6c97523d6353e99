"""The directive's table: complete, consistent, and the only place its rules live."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from anshin_lab.core import directive
from anshin_lab.core.directive import CATEGORY_RULES, CONSENT_KINDS, category_rule, consent_satisfied
from anshin_lab.core.errors import AnshinError
from anshin_lab.core.glossary import CATEGORIES
from anshin_lab.workflow.rules import Role, report_route, required_approvals


def test_every_category_has_one_rule_and_a_name():
    assert list(CATEGORY_RULES) == list(CATEGORIES) == ["threat", "fugitive", "fraud", "community", "missing"]
    for code, rule in CATEGORY_RULES.items():
        assert rule.code == code and rule.label == CATEGORIES[code]
        assert rule.consent_kinds <= set(CONSENT_KINDS)
        assert rule.needs_consent == bool(rule.consent_missing)


def test_unknown_category_names_the_ones_there_are():
    with pytest.raises(AnshinError) as caught:
        category_rule("traffic")
    message = str(caught.value)
    assert "traffic" in message and all(rule.label in message for rule in CATEGORY_RULES.values())
    assert "\n" not in message


def test_only_fugitive_has_the_urgent_path_and_reaches_the_whole_prefecture():
    assert [c for c, r in CATEGORY_RULES.items() if r.urgent_path] == ["fugitive"]
    assert [c for c, r in CATEGORY_RULES.items() if r.whole_prefecture] == ["fugitive"]
    assert required_approvals("fugitive", urgent=True) == {Role.DUTY_OFFICER}
    assert required_approvals("threat", urgent=True) == {Role.STATION_CHIEF, Role.HQ_PLANNING_CHIEF}


consents = st.lists(st.tuples(st.sampled_from(CONSENT_KINDS + ("口頭", "")), st.booleans()), max_size=4)


@given(category=st.sampled_from(list(CATEGORY_RULES)), recorded=consents)
def test_consent_rule(category, recorded):
    """threat: 本人 or 保護者; missing: the 公表要請書 with 「県警あんしんメール」 ticked; others: none needed."""
    expected = {
        "threat": any(kind in ("本人", "保護者") for kind, _ in recorded),
        "missing": any(kind == "公表要請書" and ticked for kind, ticked in recorded),
    }.get(category, True)
    assert consent_satisfied(category, recorded) is expected


@pytest.mark.parametrize("category, at, urgent, desk, channel", [
    ("threat", "2026-12-01 10:00", False, "生活安全企画課 子供・女性の安全対策係", "電話"),
    ("threat", "2026-12-01 20:00", False, "生活安全企画課 犯罪抑止対策係", "メール"),
    ("fugitive", "2026-12-05 10:00", False, "警察本部 総合当直", "電話"),  # a Saturday
    ("fraud", "2026-12-01 20:00", True, "警察本部 総合当直", "電話"),
    ("community", "2026-12-01 20:00", False, "生活安全企画課 担当係", "メール"),
    ("missing", "2027-01-02 10:00", False, "人身安全・少年課 担当係", "電話"),  # 年末年始
])
def test_report_routes_come_from_the_table(category, at, urgent, desk, channel):
    route = report_route(category, at, urgent=urgent)
    assert (route.desk, route.channel) == (desk, channel)


def test_subject_prefixes():
    assert category_rule("threat").subject() == "【声かけ事案】"
    assert category_rule("threat").subject("つきまとい") == "【つきまとい事案】"
    assert category_rule("missing").subject("徘徊") == "【行方不明者】"


def test_service_facts():
    assert (directive.PREFECTURE, directive.PREF_CODE, directive.SENDER_DOMAIN) == ("鹿児島県", "46", "123123.tv")
    assert directive.RETENTION_YEARS == 5
    assert directive.FINEST_PUBLIC_LEVEL.name == "BLOCK"


def test_the_examples_in_the_docstring_run():
    import doctest

    assert doctest.testmod(directive).failed == 0
