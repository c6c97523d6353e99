"""Drafting: alert mails from an incident and its privacy decision, follow-ups, and the fraud summary alert.

Templates per category (``templates/*.j2``), prevention tips, mobile limits;
every free-text field and every finished text passes ``fix_text`` (the lint's
findings rewritten as readable Japanese), and a draft carries what was changed
and what the lint still finds.
"""

from anshin_lab.drafting.fixes import Change, Fixed, fix_text, fix_texts
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
    finished,
    fix_machine_dependent,
    followup,
    format_date,
    format_when,
    machine_dependent,
    member_fields,
    mobile_warnings,
    tips_library,
)

__all__ = [
    "OUTCOMES", "AlertDraft", "Change", "Fixed", "MobileLimits", "Warning", "checked", "choose_tips", "draft",
    "draft_summary_alert", "edited", "finished", "fix_machine_dependent", "fix_text", "fix_texts", "followup", "format_date",
    "format_when", "incident_facts", "machine_dependent", "member_fields", "mobile_warnings", "tip_fits", "tips_library",
]
