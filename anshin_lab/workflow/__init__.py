"""The approval workflow: pure rules, accounts, stored alerts, the audit log and retention.

- ``rules``: states, roles, permissions, transitions and reporting routes (pure tables, property-tested);
- ``users``: accounts, logins, the designated send operator;
- ``alerts``: stored alerts and every step on them, one transaction and one audit entry each;
  ``check_can_send`` is the gate delivery passes for every caller;
- ``audit``: the hash-chained audit log; ``retention``: the explicit purge after the retention years.
"""

from anshin_lab.workflow.rules import (
    Action,
    Judgement,
    Role,
    Route,
    Status,
    check,
    consent_kinds,
    is_office_hours,
    next_status,
    report_route,
    required_approvals,
)

__all__ = [
    "Action", "Judgement", "Role", "Route", "Status", "check", "consent_kinds", "is_office_hours", "next_status",
    "report_route", "required_approvals",
]
