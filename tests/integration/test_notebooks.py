"""Notebooks run top to bottom in a fresh kernel on the demo build, and their pairs are in sync."""

from __future__ import annotations

import json
from pathlib import Path

import jupytext
import pytest

from pipeline import notebooks

SOURCES = notebooks.notebook_sources()


def test_there_are_notebooks() -> None:
    assert SOURCES, "no notebooks found"


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_pair_in_sync_and_outputs_stripped(source: Path) -> None:
    paired = source.with_suffix(".ipynb")
    assert paired.exists(), f"{paired.name} missing: run jupytext --sync {source.name}"
    stored = json.loads(paired.read_text(encoding="utf-8"))
    assert not any(c.get("outputs") for c in stored["cells"] if c["cell_type"] == "code")
    from_py = jupytext.read(source)
    from_ipynb = jupytext.read(paired)
    assert [c.source for c in from_py.cells] == [c.source for c in from_ipynb.cells]
    assert any("parameters" in c.metadata.get("tags", []) for c in from_py.cells)


@pytest.mark.slow
@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_notebook_executes_in_fresh_kernel(source: Path, demo_build: Path) -> None:
    build = (demo_build / "processed").resolve()
    executed = notebooks.execute(source, build)
    errors = [
        o for c in executed.cells for o in c.get("outputs", []) if o.get("output_type") == "error"
    ]
    assert not errors
    images = [
        o
        for c in executed.cells
        for o in c.get("outputs", [])
        if "image/svg+xml" in o.get("data", {})
    ]
    assert images, "the notebook drew no chart"
    assert list((build / "exports" / "notebooks").glob(f"{source.stem}*.png"))
