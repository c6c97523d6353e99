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


class DeliveryError(AnshinError):
    """Mail could not be delivered as asked: the relay refused us, or a batch is left unfinished."""


class ParameterError(AnshinError):
    """A report or schedule parameter has a value that cannot be used; says which and what is allowed."""


class ReportError(AnshinError):
    """A report could not be produced; names the notebook cell that failed and the parameters.

    ``cell`` is the 1-based position of the failing cell in the notebook as
    committed (None when the failure was outside a cell: kernel start, HTML
    rendering); ``source`` its code; ``report_path`` the error report written
    for reviewers, if any.
    """

    def __init__(self, message: str, *, notebook=None, cell=None, source=None, ename=None, evalue=None,
                 parameters=None, report_path=None):
        self.message = message
        self.notebook = None if notebook is None else str(notebook)
        self.cell = cell
        self.source = source
        self.ename = ename
        self.evalue = evalue
        self.parameters = dict(parameters or {})
        self.report_path = None if report_path is None else str(report_path)
        super().__init__(self._format())

    def _format(self) -> str:
        where = ""
        if self.cell is not None:
            first = (self.source or "").strip().splitlines()[0] if (self.source or "").strip() else ""
            name = self.notebook.rsplit("/", 1)[-1] if self.notebook else "ノートブック"
            where = f"{name} のセル{self.cell}({first}): "
        error = f" [{self.ename}: {self.evalue}]" if self.ename else ""
        report = f"(エラー報告: {self.report_path})" if self.report_path else ""
        return f"{where}{self.message}{error}{report}"

    def __reduce__(self):
        # Keyword-only arguments need explicit pickling support.
        return (_rebuild_report_error, (self.message, self.notebook, self.cell, self.source, self.ename,
                                        self.evalue, self.parameters, self.report_path))


def _rebuild_report_error(message, notebook, cell, source, ename, evalue, parameters, report_path):
    return ReportError(message, notebook=notebook, cell=cell, source=source, ename=ename, evalue=evalue,
                       parameters=parameters, report_path=report_path)
