"""One hierarchy of errors, so callers can catch ``AnshinError`` and show one line."""

from __future__ import annotations


class AnshinError(Exception):
    """Root of every error anshin-lab raises on purpose."""


class ConfigError(AnshinError):
    """A setting has a value the workbench cannot use."""


class WorkspaceError(AnshinError):
    """The workspace is missing, incomplete or not writable."""


class DataError(AnshinError):
    """Input data cannot be read; says which file, row, column and value.

    ``row`` is the row number a person sees in the file (the header is row 1).
    """

    def __init__(self, message: str, *, path=None, row=None, column=None, value=None):
        self.message = message
        self.path = None if path is None else str(path)
        self.row = row
        self.column = column
        self.value = value
        super().__init__(self._format())

    def _format(self) -> str:
        where = []
        if self.path:
            where.append(self.path.rsplit("/", 1)[-1])
        if self.row is not None:
            where.append(f"{self.row}行目")
        if self.column:
            where.append(str(self.column))
        prefix = " ".join(where)
        return f"{prefix}: {self.message}" if prefix else self.message

    def __reduce__(self):
        # Keyword-only arguments need explicit pickling support.
        return (_rebuild_data_error, (self.message, self.path, self.row, self.column, self.value))


def _rebuild_data_error(message, path, row, column, value):
    return DataError(message, path=path, row=row, column=column, value=value)


class StoreError(AnshinError):
    """The database refused an operation; nothing was half-written."""


class WorkflowError(AnshinError):
    """An alert cannot take this step (illegal transition, failed gate)."""


class PermissionDenied(WorkflowError):
    """The user's role or designation does not allow this action."""


class AccountLocked(PermissionDenied):
    """Too many failed logins: the account is locked for a while."""


class ConsentMissing(WorkflowError):
    """A 脅威事犯 alert without consent, or a missing-person alert without the 公表要請書."""
