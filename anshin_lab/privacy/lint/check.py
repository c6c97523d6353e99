"""``lint`` and ``scrub``: run every detector on an alert text and keep the findings that win.

``lint(text)`` returns one ``Finding`` per span an alert to members must not
carry; ``scrub(text)`` applies every suggestion. Overlapping candidates are
resolved longest first (「鹿児島大学病院」 is one facility, not a university and a
hospital). The tokenizer, the dictionaries and the gazetteer load once, at first
use; a typical 400-character alert then takes 1–2 ms.
"""

from __future__ import annotations

from anshin_lab.privacy.lint.addresses import find_addresses, find_emails, find_phones
from anshin_lab.privacy.lint.facilities import find_chains, find_facilities
from anshin_lab.privacy.lint.findings import Finding
from anshin_lab.privacy.lint.lexicon import load_lexicon
from anshin_lab.privacy.lint.persons import find_persons
from anshin_lab.privacy.lint.tokens import fold_width, token_owners, tokenize

__all__ = ["lint", "scrub"]

# Candidates: (start, end, kind, suggestion)

_PRIORITY = {"email": 0, "phone": 1, "exact_address": 2, "facility": 3, "person": 4}


def lint(text: str) -> list[Finding]:
    """Every span of ``text`` that an alert must not carry, sorted by start, never overlapping.

    Raises ``TypeError`` for anything but a string and ``LintError`` when
    SudachiPy or a dictionary is missing.

    Examples
    --------
    >>> [(f.kind, f.text, f.suggestion) for f in lint("山下小学校付近で")]
    [('facility', '山下小学校', '学校')]
    """
    if not isinstance(text, str):
        raise TypeError(f"lint needs a str, not {type(text).__name__}")
    if not text.strip():
        return []
    folded = fold_width(text)
    lex = load_lexicon()
    tokens = tokenize(folded)
    owner = token_owners(tokens, len(folded))
    candidates = []
    candidates += find_emails(folded)
    candidates += find_phones(folded, lex)
    candidates += find_addresses(folded, tokens, owner)
    chains = find_chains(folded, tokens, owner, lex)
    candidates += chains
    candidates += find_facilities(folded, tokens, owner, lex, chains)
    candidates += find_persons(folded, tokens, owner, lex)
    return _resolve(text, candidates)


def scrub(text: str) -> tuple[str, list[Finding]]:
    """``text`` with every finding replaced by its suggestion, and the findings.

    >>> scrub("ローソン駐車場で")[0]
    '店舗駐車場で'
    """
    findings = lint(text)
    out = text
    for f in reversed(findings):
        out = out[:f.start] + f.suggestion + out[f.end:]
    return out, findings


def _resolve(text: str, candidates: list[tuple]) -> list[Finding]:
    taken: list[tuple] = []
    for c in sorted(candidates, key=lambda c: (c[0] - c[1], _PRIORITY[c[2]], c[0])):
        if c[1] <= c[0]:
            continue
        if all(c[1] <= t[0] or c[0] >= t[1] for t in taken):
            taken.append(c)
    return [Finding(kind, start, end, text[start:end], suggestion)
            for start, end, kind, suggestion in sorted(taken)]
