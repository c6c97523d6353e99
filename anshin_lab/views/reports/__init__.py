"""Reports reviewers read: papermill runs the notebook, nbconvert renders HTML that loads nothing from outside.

- ``run``: ``run_fraud_summary`` executes ``notebooks/fraud_call_summary.ipynb``
  with papermill and writes ``reports/fraud-summary_<start>_<end>_<area>.html``
  (or an error report naming the failing cell);
- ``render``: the HTML without code cells or CDN parts, and the error page;
- ``index``: ``reports/index.html``, every report newest first;
- ``blocks``: the ``show_*`` / ``plot_*`` blocks the notebook's cells display;
- ``timetable`` and ``schedule``: ``schedule.toml`` and running each due
  (job, period) once (``anshin schedule run``);
- ``common``: the kind, version, run time and parameters every report states;
- ``kernel`` and ``kernel_side``: the warm kernel reports run on (its imports done once).

The blocks and the schedule load on first use of one of their names.
"""

import importlib

from anshin_lab.views.reports.common import (
    KIND,
    REPORT_MIME,
    default_reports_dir,
    package_version,
    skip_iri_grammar,
)
from anshin_lab.views.reports.render import external_references, render_html, write_error_report
from anshin_lab.views.reports.index import INDEX_NAME, IndexEntry, list_reports, read_report_facts, refresh_index
from anshin_lab.views.reports.run import NOTEBOOK, ReportResult, report_filename, run_fraud_summary

# Loaded on first use (PEP 562): the blocks (the notebook's cells: geopandas, the map) and the schedule (its
# job kinds and their modules) are not needed by a command that only runs a report.
_LAZY = {
    **{name: "blocks" for name in ("TABLES", "japanese_font", "plot_breakdown", "plot_timeline", "show_choropleth",
                                   "show_credits", "show_draft", "show_figure", "show_overview", "show_provenance",
                                   "show_table", "show_waves")},
    **{name: "timetable" for name in ("Job", "Schedule", "load_schedule")},
    **{name: "schedule" for name in ("JobOutcome", "ScheduleRun", "list_jobs", "read_run_log", "run_schedule")},
}


def __getattr__(name: str):
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_LAZY[name]}"), name)
    globals()[name] = value
    return value


__all__ = [
    "INDEX_NAME",
    "KIND",
    "NOTEBOOK",
    "REPORT_MIME",
    "TABLES",
    "IndexEntry",
    "Job",
    "JobOutcome",
    "ReportResult",
    "Schedule",
    "ScheduleRun",
    "default_reports_dir",
    "external_references",
    "japanese_font",
    "list_jobs",
    "list_reports",
    "load_schedule",
    "package_version",
    "plot_breakdown",
    "plot_timeline",
    "read_report_facts",
    "read_run_log",
    "refresh_index",
    "render_html",
    "report_filename",
    "run_fraud_summary",
    "run_schedule",
    "show_choropleth",
    "show_credits",
    "show_draft",
    "show_figure",
    "show_overview",
    "show_provenance",
    "show_table",
    "show_waves",
    "skip_iri_grammar",
    "write_error_report",
]
