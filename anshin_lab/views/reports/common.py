"""What every report shares: its kind, the facts it states (version, run time, parameters) and how it is written.

Every report carries its parameters, the hash of the data it read, the
package version and the run time in a visible block, and the same facts in a
``<meta name="anshin-report">`` tag that the index reads.
"""

from __future__ import annotations

import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from anshin_lab import __version__ as SOURCE_VERSION
from anshin_lab.core.files import write_atomic
from anshin_lab.core.settings import PROJECT_ROOT

__all__ = [
    "CONFIDENTIAL_CSS", "CONFIDENTIAL_LABEL", "CONFIDENTIAL_NOTE", "KIND", "META_NAME", "REPORT_MIME",
    "confidential_html", "default_reports_dir", "jsonable", "package_version", "param_text",
    "skip_iri_grammar", "write_report",
]

KIND = "fraud-summary"
REPORT_MIME = "application/vnd.anshin.report+json"
META_NAME = "anshin-report"

# What marks a page as internal. Every report here and the index carry this one element, at the top
# of the page, written by ``confidential_html`` only.
CONFIDENTIAL_LABEL = "部外秘"
CONFIDENTIAL_NOTE = "県警内部の資料です。外部への提供・転載はしないでください(会員への配信は承認を経た文面だけです)。"
CONFIDENTIAL_CSS = ("p.anshin-confidential { border: 2px solid #b71c1c; color: #b71c1c; background: #fff5f5; "
                    "padding: 4px 10px; margin: 0 0 1em; font-size: 14px; } "
                    "p.anshin-confidential strong { margin-right: 0.8em; letter-spacing: 0.2em; }")


def confidential_html() -> str:
    """The 部外秘 label: the same element, text and place (first on the page) in every report and the index."""
    return (f'<p class="anshin-confidential" data-label="confidential"><strong>{CONFIDENTIAL_LABEL}</strong>'
            f"{CONFIDENTIAL_NOTE}</p>")


def default_reports_dir() -> Path:
    """Where reports go unless told otherwise: ``reports/`` in the project."""
    return PROJECT_ROOT / "reports"


def package_version() -> str:
    """The installed anshin-lab version (the source tree's when it is not installed)."""
    try:
        return version("anshin-lab")
    except PackageNotFoundError:
        return SOURCE_VERSION


def skip_iri_grammar() -> None:
    """Keep jsonschema from compiling its IRI grammar when papermill / nbconvert import nbformat.

    ``nbformat`` imports ``jsonschema``, whose format checkers import
    ``rfc3987_syntax`` if it is installed, and that compiles a Lark grammar at
    import: 2-3 s of every report process on a 2-core machine, a fifth of
    the command line's budget. Nothing here validates IRIs (the notebook
    schema has no "iri" format), so when neither module is loaded yet the
    package is marked absent for this process; jsonschema then simply does
    not register the "iri" format checks.
    """
    if "jsonschema" not in sys.modules and "rfc3987_syntax" not in sys.modules:
        sys.modules["rfc3987_syntax"] = None  # an import of it now raises ImportError, which jsonschema expects


def param_text(value) -> str:
    """A parameter's value as a report shows it: 「(なし)」 for none."""
    return "(なし)" if value is None or value == "" else str(value)


def jsonable(params: dict) -> dict:
    """The parameters with every value a JSON scalar (others as text), for the report's facts."""
    return {k: (v if isinstance(v, (str, int, float, bool)) or v is None else str(v)) for k, v in params.items()}


def write_report(path: Path, text: str) -> None:
    """Write a page atomically, readable by all (0644): reviewers read reports; personal data never goes here."""
    write_atomic(path, text, mode=0o644)
