"""The approval workflow: pure rules, accounts, stored alerts, the audit log and retention.

- ``rules``: states, roles, permissions, transitions, the next steps a role may take, and reporting routes
  (pure tables, property-tested);
- ``users``: accounts, their 所属, logins, the designated send operator; ``stations``: who may act on whose alert;
- ``alerts``: stored alerts and every step on them, one transaction and one audit entry each, one live alert
  per incident; ``check_can_send`` is the gate delivery passes for every caller;
- ``decisions``: incidents decided not to be mailed; ``due``: outcomes awaited, follow-ups owed, incidents unreported;
- ``audit``: the hash-chained audit log; ``retention``: the explicit purge after the retention years.
"""

from anshin_lab.workflow.rules import (
    Action,
    Judgement,
    Role,
    Route,
    Status,
    allowed_actions,
    check,
    consent_kinds,
    is_office_hours,
    next_status,
    next_steps,
    report_route,
    required_approvals,
)

__all__ = [
    "Action", "Judgement", "Role", "Route", "Status", "allowed_actions", "check", "consent_kinds", "is_office_hours",
    "next_status", "next_steps", "report_route", "required_approvals",
]
