"""anshin-lab: the analyst workbench behind the police safety-mail service (県警あんしんメール)."""

from anshin_lab.core.errors import AnshinError, DataError
from anshin_lab.app.imports import load_incidents
from anshin_lab.records.rows import LoadResult
from anshin_lab.core.settings import Settings, load_settings

__all__ = ["AnshinError", "DataError", "LoadResult", "Settings", "load_incidents", "load_settings"]
__version__ = "0.1.0"
