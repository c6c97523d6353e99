"""Language versions of an alert, rendered from its published fields (issue 17).

- ``published``: the published fields (``PUBLISHED_KEYS``), built from the
  privacy decision and fixed vocabularies only, and checked against an alert's content;
- ``codes``: ``LANGUAGES`` (ja, easy, en, zh, ko, vi) with each one's ``html_lang`` and labels;
- ``render``: ``localize(fields, code)`` -> ``Localized`` (subject, body, title,
  summary lines, tips), from a template per language and category, written for this;
- ``check``: the lint over every version (``version_findings``), with a
  digit check for what a 号 or a phone could hide in outside Japanese script;
- ``tables``: the word tables (vocabularies, municipalities, stations) per language.
"""

from anshin_lab.drafting.languages.check import DIGIT_PATTERNS, digit_findings, text_findings, version_findings
from anshin_lab.drafting.languages.codes import DEFAULT_LANGUAGE, LANGUAGES, Language, language, language_code
from anshin_lab.drafting.languages.published import (
    PUBLISHED_KEYS,
    TIME_BANDS,
    build_published_fields,
    published_area,
    published_problems,
    record_values,
    time_band,
)
from anshin_lab.drafting.languages.render import (
    TEMPLATES_VERSION,
    Localized,
    localize,
    localize_all,
    term,
    version_tips,
)

__all__ = [
    "DEFAULT_LANGUAGE", "DIGIT_PATTERNS", "LANGUAGES", "PUBLISHED_KEYS", "TEMPLATES_VERSION", "TIME_BANDS", "Language",
    "Localized", "build_published_fields", "digit_findings", "language", "language_code", "localize", "localize_all",
    "published_area", "published_problems", "record_values", "term", "text_findings", "time_band", "version_findings",
    "version_tips",
]
