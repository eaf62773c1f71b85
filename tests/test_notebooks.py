"""The notebooks run from top to bottom (on a two-day horizon), show their charts as images, tell their story in
prose, and are committed without outputs."""

from __future__ import annotations

import json

import nbformat
import pytest
from nbclient import NotebookClient

from tests.conftest import REPO

NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))


def test_three_notebooks_are_shipped_without_outputs():
    """Strip them before committing: ``jupyter nbconvert --clear-output --inplace notebooks/*.ipynb``."""
    assert [p.name for p in NOTEBOOKS] == ["01-plan-2025.ipynb", "02-peak-season.ipynb", "03-scenario-sweep.ipynb"]
    for path in NOTEBOOKS:
        cells = json.loads(path.read_text())["cells"]
        code = [c for c in cells if c["cell_type"] == "code"]
        assert all(not c.get("outputs") and c.get("execution_count") is None for c in code), path.name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_each_notebook_tells_its_story_in_prose(path):
    """A title with the question, and prose between the steps: at least a third of the cells are markdown."""
    cells = nbformat.read(path, as_version=4).cells
    assert cells[0].cell_type == "markdown" and cells[0].source.startswith("# ") and "?" in cells[0].source
    assert sum(c.cell_type == "markdown" for c in cells) >= len(cells) / 3


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_and_shows_its_charts(path, monkeypatch):
    """Every figure a cell returns is displayed as a PNG (not printed as ``<Figure size …>``, as when no backend
    was selected)."""
    monkeypatch.setenv("ENERGYSIM_HOURS", "48")
    monkeypatch.delenv("MPLBACKEND", raising=False)  # the notebook selects its own (inline)
    notebook = nbformat.read(path, as_version=4)
    NotebookClient(notebook, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()  # fmt: skip
    outputs = [o for c in notebook.cells for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    assert any("image/png" in o.get("data", {}) for o in outputs), path.name
    figures = [o for o in outputs if "<Figure size" in o.get("data", {}).get("text/plain", "") + o.get("text", "")]
    assert figures and all("image/png" in o.get("data", {}) for o in figures), path.name  # text only as fallback
