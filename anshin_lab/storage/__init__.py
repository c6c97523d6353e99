"""The database: schema, engine, and the one idempotent, content-hashed batch save.

Only storage (and the app that opens a workspace) touch the database; the
record kinds that are imported (incidents, fraud calls, members) are all
saved through :func:`save_batch`. ``storage.store`` keeps the older
``store.connect`` / ``store.<table>`` spelling.
"""

from anshin_lab.storage.batches import Batch, SaveResult, frame_rows, save_batch
from anshin_lab.storage.engine import connect
from anshin_lab.storage.fraud_calls import coverage, read_calls, save_fraud_calls
from anshin_lab.storage.incidents import read_imports, read_incidents, save_incidents
from anshin_lab.storage.members import save_members
from anshin_lab.storage.schema import metadata

__all__ = [
    "Batch", "SaveResult", "connect", "coverage", "frame_rows", "metadata", "read_calls", "read_imports",
    "read_incidents", "save_batch", "save_fraud_calls", "save_incidents", "save_members",
]
