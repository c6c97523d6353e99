"""Every notebook executes headless under papermill, on a real kernel."""

from pathlib import Path

import papermill
import pytest

from .conftest import PROJECT

NOTEBOOKS = sorted((PROJECT / "notebooks").glob("*.ipynb"))


@pytest.mark.slow
@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs(notebook: Path, imported_workspace, tmp_path):
    out = tmp_path / notebook.name
    papermill.execute_notebook(str(notebook), str(out), parameters={"workspace": str(imported_workspace.root)},
                               kernel_name="python3", cwd=str(notebook.parent), progress_bar=False)
    executed = out.read_text(encoding="utf-8")
    assert '"output_type": "error"' not in executed


def test_notebooks_are_committed_without_outputs():
    import nbformat

    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        assert all(not cell.get("outputs") for cell in nb.cells if cell.cell_type == "code"), path.name
        assert nb.cells[1].metadata.get("tags") == ["parameters"], path.name
