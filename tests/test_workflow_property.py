"""Property: whatever random users try, in any order, the rules and the audit chain hold."""

import itertools

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from anshin_lab.workflow import alerts, audit, authority, gates
from anshin_lab.core.errors import AnshinError
from anshin_lab.workflow.rules import Judgement, Role, Status, consent_kinds, required_approvals

from .staff import STAFF, staffed_engine
from .test_workflow import CLEAN_BODY

PEOPLE = ["admin"] + [name for name, _ in STAFF]
CATEGORIES = ["threat", "missing", "fugitive", "fraud"]
COUNTER = itertools.count()


# The person who would rightly take each step: most random steps use them, so
# random sequences often get far enough to send, and the rest try the wrong people.
RIGHT_PERSON = {"create": "analyst", "submit": "analyst", "approve": "chief", "consult": "division",
                "approve_hq": "hq", "urgent": "duty", "late": "chief", "consent": "analyst", "override": "hq",
                "prepare": "operator", "send": "operator", "close": "operator", "reject": "chief",
                "withdraw": "analyst"}


def act(engine, staff, alert_ids, step):
    kind, who, which, flag, category = step
    user = staff[RIGHT_PERSON[kind] if who == "right" else who]
    if kind == "create" or not alert_ids:
        alert_ids.append(alerts.create_alert(engine, user, category=category, subject="件名", body=CLEAN_BODY,
                                             level="CHOME" if flag else "BLOCK", assessed_level="CHOME",
                                             public_text="鹿児島市紫原3丁目付近の路上"))
        return
    alert_id = alert_ids[which % len(alert_ids)]
    judgement = Judgement(True, True, True, flag, hq_consultation_needed=flag)
    steps = {
        "submit": lambda: alerts.submit(engine, user, alert_id),
        "approve": lambda: alerts.approve(engine, user, alert_id, comment="可", judgement=judgement),
        "consult": lambda: alerts.consult(engine, user, alert_id, "協議済み"),
        "approve_hq": lambda: alerts.approve_hq(engine, user, alert_id, "可"),
        "urgent": lambda: alerts.approve_urgent(engine, user, alert_id, "緊急"),
        "late": lambda: alerts.approve_late(engine, user, alert_id, "事後"),
        "consent": lambda: alerts.record_consent(engine, user, alert_id, kind=["本人", "保護者", "公表要請書"][which % 3],
                                                 given_at="2026-11-28 10:00", method="電話", scope="配信",
                                                 anshin_mail_ticked=flag),
        "override": lambda: alerts.override(engine, user, alert_id, what="level" if flag else "lint", reason="理由"),
        "prepare": lambda: alerts.prepare(engine, user, alert_id),
        "send": lambda: alerts.mark_sent(engine, user, alert_id, recipients=5),
        "close": lambda: alerts.close(engine, user, alert_id),
        "reject": lambda: alerts.reject(engine, user, alert_id, "不可"),
        "withdraw": lambda: alerts.withdraw(engine, user, alert_id, "取り下げ"),
    }
    steps[kind]()


step_strategy = st.tuples(
    st.sampled_from(["create", "submit", "approve", "consult", "approve_hq", "urgent", "late", "consent", "override",
                     "prepare", "send", "close", "reject", "withdraw"]),
    st.one_of(st.just("right"), st.sampled_from(PEOPLE)), st.integers(0, 1), st.booleans(),
    st.sampled_from(CATEGORIES),
)


HAPPY_PATH = ["create", "submit", "approve", "consult", "approve_hq", "consent", "prepare", "send", "close"]


@st.composite
def sequences(draw):
    """The happy path with steps dropped and random steps (any user) slipped in anywhere."""
    category = draw(st.sampled_from(CATEGORIES))
    steps = [(kind, "right", 0, True, category) for kind in HAPPY_PATH if draw(st.integers(0, 7))]
    for noise in draw(st.lists(step_strategy, max_size=25)):
        steps.insert(draw(st.integers(0, len(steps))), noise)
    return steps


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=sequences())
def test_random_actions_keep_the_rules(staff_template, tmp_path, steps):
    number = next(COUNTER)
    engine = staffed_engine(staff_template[0], tmp_path / f"p{number}.sqlite")
    staff = staff_template[1]
    alert_ids: list[int] = []
    # Each example's database is a copy of the same template (one database id): its own audit anchor file.
    service = authority.require()
    authority.install(authority.Authority(service.key, tmp_path / f"anchor-{number}.log"))
    try:
        for step in steps:
            try:
                act(engine, staff, alert_ids, step)
            except AnshinError:
                pass  # refused steps are the point: they must leave no trace but the audit of logins
        assert audit.verify(engine).ok
        with engine.connect() as conn:
            for alert_id in alert_ids:
                alert = alerts._load(conn, alert_id)
                event(f"status {alert.status.value}")
                if alert.status not in (Status.SENT, Status.CLOSED):
                    continue
                approved = alerts.approvals(conn, alert_id)  # signed, over the content as it stands
                assert required_approvals(alert.category, alert.urgent) <= approved
                kinds = consent_kinds(alert.category)
                key = authority.require().key
                if kinds:
                    gates.require_consent(conn, alert, key)  # ConsentMissing if none signed
                assert len(gates.signed_events(conn, alert_id, key)) == len(alerts.history(engine, alert_id))
                senders = alerts.history(engine, alert_id).query("action == 'send'")
                assert list(senders["actor"]) == ["operator"]
                assert set(senders["role"]) == {Role.OPERATOR.value}
    finally:
        authority.install(service)
        engine.dispose()
