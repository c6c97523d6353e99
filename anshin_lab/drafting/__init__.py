"""Drafting: alert mails from an incident and its privacy decision, follow-ups, and the fraud summary alert.

Templates per category (``templates/*.j2``), prevention tips, mobile limits;
every text passes the privacy ``scrub`` and carries the remaining lint findings.
"""

from anshin_lab.drafting.fraud_summary import draft_summary_alert
from anshin_lab.drafting.tips import incident_facts, tip_fits
from anshin_lab.drafting.mail import (
    OUTCOMES,
    AlertDraft,
    MobileLimits,
    Warning,
    checked,
    choose_tips,
    draft,
    edited,
    fix_machine_dependent,
    followup,
    format_date,
    format_when,
    machine_dependent,
    mobile_warnings,
    tips_library,
)

__all__ = [
    "OUTCOMES", "AlertDraft", "MobileLimits", "Warning", "checked", "choose_tips", "draft", "draft_summary_alert",
    "edited", "fix_machine_dependent", "followup", "format_date", "format_when", "machine_dependent", "mobile_warnings",
    "incident_facts", "tip_fits", "tips_library",
]
