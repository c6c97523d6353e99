"""The application floor: the only code that opens a workspace or a database engine.

- ``workspace``: where the database, reference layers, samples and quarantine live;
- ``catalog``: named data behind one door (``load_areas``, ``read_incidents``, layers);
- ``imports``: ``import_file(kind, …)`` for incidents, fraud calls and members (one pipeline);
- ``references``: reference tables read once per folder;
- ``fraud_reports``: fraud-call summaries of a workspace and their stored drafts.
"""

from anshin_lab.app.catalog import load_areas, read_incidents
from anshin_lab.app.fraud_reports import read_stored_calls, store_summary_draft, summarise_workspace
from anshin_lab.app.imports import (
    ImportReport,
    import_file,
    import_fraud_calls,
    import_incidents,
    import_members,
    load_incidents,
)
from anshin_lab.app.workspace import Workspace, init_workspace, open_workspace, require_workspace

__all__ = [
    "ImportReport", "Workspace", "import_file", "import_fraud_calls", "import_incidents", "import_members",
    "init_workspace", "load_areas", "load_incidents", "open_workspace", "read_incidents", "read_stored_calls",
    "require_workspace", "store_summary_draft", "summarise_workspace",
]
