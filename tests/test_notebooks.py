"""The notebooks run offline without errors, from notebooks/ and from the repository root.

Each notebook is executed with nbclient in a fresh kernel (the venv's ``python3``), in
memory: the saved notebooks keep the outputs they were saved with. Equivalent by hand:
``pytest --nbmake notebooks/*.ipynb``.
"""

from __future__ import annotations

import time

import nbformat
import pytest
from conftest import ROOT
from nbclient import NotebookClient

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
NAMES = [p.stem for p in NOTEBOOKS]
TIME_LIMIT_S = 120  # per cell; each notebook takes seconds


def test_the_three_notebooks_are_there() -> None:
    assert NAMES == ["01_quickstart", "02_compare_plans", "03_evaluation"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NAMES)
def test_notebook_is_saved_with_outputs(path) -> None:
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and all(c.execution_count for c in code), "saved without running every cell"
    assert not [o for c in code for o in c.outputs if o.output_type == "error"]
    assert sum(bool(c.outputs) for c in code) >= len(code) - 1


def _run(path, cwd) -> float:
    """Execute the notebook at ``path`` with ``cwd`` as working directory; return seconds."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=TIME_LIMIT_S, kernel_name="python3",
                            resources={"metadata": {"path": str(cwd)}})
    start = time.perf_counter()
    client.execute()
    return time.perf_counter() - start


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NAMES)
def test_notebook_runs_from_the_notebooks_folder(path) -> None:
    assert _run(path, path.parent) < 60


def test_quickstart_runs_from_the_repository_root() -> None:
    assert _run(ROOT / "notebooks" / "01_quickstart.ipynb", ROOT) < 60
