"""Privacy by construction: how precisely a place may be published, and what alert text must not carry.

``assess`` decides an incident's published granularity under a ``Policy`` and
returns a ``Decision`` with its reasons and households, failing closed on a
victim group or place type it does not know; ``adjust`` changes it by hand
(finer than assessed only with two approvers of different roles, never under
k households or against the block rule). ``lint`` and ``scrub`` find (and
replace) names, exact addresses, phones and emails in alert text; the
readable fix of a whole mail is ``drafting.fix_text``.

Examples
--------
>>> from anshin_lab.privacy import place_wording, scrub
>>> place_wording("駅")
'駅付近'
>>> scrub("山下小学校付近で")[0]
'学校付近で'
"""

from anshin_lab.core.granularity import Granularity
from anshin_lab.privacy.lint import Finding, LintError, lint, scrub
from anshin_lab.privacy.policy import (
    DEFAULT_POLICY,
    PLACE_WORDING,
    Decision,
    Policy,
    PrivacyError,
    adjust,
    assess,
    place_wording,
)

__all__ = [
    "DEFAULT_POLICY", "PLACE_WORDING", "Decision", "Finding", "Granularity", "LintError", "Policy", "PrivacyError",
    "adjust", "assess", "lint", "place_wording", "scrub",
]
