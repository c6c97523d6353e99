"""Reports reviewers read: papermill runs the notebook, nbconvert renders HTML that loads nothing from outside.

- ``run``: ``run_fraud_summary`` executes ``notebooks/fraud_call_summary.ipynb``
  with papermill and writes ``reports/fraud-summary_<start>_<end>_<area>.html``
  (or an error report naming the failing cell);
- ``render``: the HTML without code cells or CDN parts, and the error page;
- ``index``: ``reports/index.html``, every report newest first;
- ``blocks``: the ``show_*`` / ``plot_*`` blocks the notebook's cells display;
- ``timetable`` and ``schedule``: ``schedule.toml`` and running each due
  (job, period) once (``anshin schedule run``);
- ``common``: the kind, version, run time and parameters every report states.
"""

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
from anshin_lab.views.reports.blocks import (
    TABLES,
    japanese_font,
    plot_breakdown,
    plot_timeline,
    show_choropleth,
    show_credits,
    show_draft,
    show_figure,
    show_overview,
    show_provenance,
    show_table,
    show_waves,
)
from anshin_lab.views.reports.timetable import Job, Schedule, load_schedule
from anshin_lab.views.reports.schedule import JobOutcome, ScheduleRun, list_jobs, read_run_log, run_schedule

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
