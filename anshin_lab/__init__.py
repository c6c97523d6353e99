"""anshin-lab: the analyst workbench behind the police safety-mail service (県警あんしんメール)."""

from .errors import AnshinError, DataError
from .records import LoadResult, load_incidents
from .settings import Settings, load_settings

__all__ = ["AnshinError", "DataError", "LoadResult", "Settings", "load_incidents", "load_settings"]
__version__ = "0.1.0"
