"""The lint over every language version: the Japanese lint, and digit patterns a 号 or a phone could hide in.

``privacy.lint`` reads Japanese; a translated text could still carry a house
number or a phone number in a form it does not read (「1-2-3」, 「099-222-1234」,
「No. 5」, 「5호」, 「số 5」). ``digit_findings`` finds those in any text that is
not Japanese; ``version_findings`` runs both over every language version of
an alert's published fields, so a finding in any language blocks the gate
like a Japanese one does.
"""

from __future__ import annotations

import functools
import json
import re

from anshin_lab.drafting.languages.codes import LANGUAGES, language
from anshin_lab.drafting.languages.render import localize
from anshin_lab.privacy.lint import ADDRESS_MASK, PHONE_MASK, Finding, inside_machine_id, lint, machine_spans

_DASH = r"[-‐‑‒–—―−ー－]"
# (pattern, kind, suggestion): what a 号 or a phone number looks like outside Japanese script.
DIGIT_PATTERNS = (
    (re.compile(rf"\d+\s*{_DASH}\s*\d+\s*{_DASH}\s*\d+"), "exact_address", ADDRESS_MASK),  # 1-2-3, 099-222-1234
    (re.compile(rf"\(?\d{{2,5}}\)?\s*{_DASH}\s*\d{{3,4}}\b"), "phone", PHONE_MASK),  # 222-1234, (099)-222
    (re.compile(r"\d{10,}"), "phone", PHONE_MASK),  # 0992221234
    (re.compile(r"(?i)(?<![a-z])(?:no|nr|num|number|apt|room|unit)\.?\s*#?\s*\d+"), "exact_address", ADDRESS_MASK),
    (re.compile(r"#\s*\d+"), "exact_address", ADDRESS_MASK),  # #5 (a police number such as #9110 is not printed)
    (re.compile(r"\d+\s*(?:号|號|호|번지|banchi|gō|go\b|ban\b)", re.I), "exact_address", ADDRESS_MASK),
    (re.compile(r"(?i)(?<![a-zà-ỹ])(?:số|so nha|số nhà)\s*\d+"), "exact_address", ADDRESS_MASK),  # số 5
    (re.compile(r"第\s*\d+\s*[号號]|\d+\s*室"), "exact_address", ADDRESS_MASK),
)

__all__ = ["DIGIT_PATTERNS", "digit_findings", "text_findings", "version_findings"]


def digit_findings(text: str) -> list[Finding]:
    """Digit patterns that could carry a 号, a room or a phone number, in any script (sorted, not overlapping).

    Web addresses and UUIDs are skipped, as the Japanese lint skips them: a member's unsubscribe token is random
    letters and digits (「?t=aPt2WOMX…」 read as a room)."""
    found: list[Finding] = []
    machine = machine_spans(text)
    for pattern, kind, suggestion in DIGIT_PATTERNS:
        for match in pattern.finditer(text):
            if inside_machine_id(machine, *match.span()):
                continue
            if not any(f.start < match.end() and match.start() < f.end for f in found):
                found.append(Finding(kind, match.start(), match.end(), match.group(0), suggestion))
    return sorted(found, key=lambda f: f.start)


def text_findings(text: str, code: str) -> list[Finding]:
    """The lint of one language version's text: ``privacy.lint`` always, the digit check unless it is Japanese.

    The learned detector reads the Japanese version only: it learned free Japanese text, while every other
    version (やさしい日本語 included) is rendered from fixed vocabularies, where it could only raise false alarms
    (it read 「ゆうがた」 as a place)."""
    findings = list(lint(text, learned=code == "ja"))
    if language(code).html_lang != "ja":
        findings += [f for f in digit_findings(text) if not any(g.start < f.end and f.start < g.end for g in findings)]
    return sorted(findings, key=lambda f: f.start)


@functools.lru_cache(maxsize=256)
def _findings(frozen: str) -> tuple[tuple[str, Finding], ...]:
    fields = json.loads(frozen)
    out = []
    for code in LANGUAGES:
        version = localize(fields, code)
        text = "\n".join([version.text, version.title, *version.summary_lines])
        out += [(code, f) for f in text_findings(text, code)]
    return tuple(out)


def version_findings(fields: dict) -> list[tuple[str, Finding]]:
    """``(language code, finding)`` for every finding in any language version of ``fields`` (subject, body, title, lines)."""
    return list(_findings(json.dumps(fields or {}, sort_keys=True, ensure_ascii=False, default=str)))
