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

Each name loads its module on first use.
"""

import importlib

# Every name loads its module on first use (PEP 562): a command takes only what it uses (the report command
# starts the warm kernel before pandas and geopandas load; the blocks and the schedule stay out of it).
_LAZY = {
    **{name: "common" for name in ("KIND", "REPORT_MIME", "default_reports_dir", "package_version",
                                   "skip_iri_grammar")},
    **{name: "render" for name in ("external_references", "render_html", "write_error_report")},
    **{name: "index" for name in ("INDEX_NAME", "IndexEntry", "list_reports", "read_report_facts", "refresh_index")},
    **{name: "run" for name in ("NOTEBOOK", "ReportResult", "report_filename", "run_fraud_summary")},
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


def __dir__():
    return sorted({*globals(), *_LAZY})


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
