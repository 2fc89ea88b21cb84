"""Execute the notebooks (jupytext ``.py`` twins) in a fresh kernel against a build."""

from __future__ import annotations

import os
from pathlib import Path

import jupytext
import nbformat
from nbclient import NotebookClient

from pipeline.config import NOTEBOOKS_DIR, REPO_ROOT

TIMEOUT_S = 300


def notebook_sources() -> list[Path]:
    """The notebooks in reading order."""
    return sorted(NOTEBOOKS_DIR.glob("[0-9][0-9]_*.py"))


def execute(source: Path, build_dir: Path, out_dir: Path | None = None) -> nbformat.NotebookNode:
    """Run one notebook top to bottom against ``build_dir``; save it with outputs if asked.

    Raises:
        nbclient.exceptions.CellExecutionError: a cell failed (the message names it).
    """
    notebook = jupytext.read(source)
    previous = os.environ.get("KANSRIJK_BUILD_DIR")
    os.environ["KANSRIJK_BUILD_DIR"] = str(build_dir)
    try:
        NotebookClient(
            notebook,
            timeout=TIMEOUT_S,
            kernel_name="python3",
            resources={"metadata": {"path": str(REPO_ROOT)}},
        ).execute()
    finally:
        if previous is None:
            os.environ.pop("KANSRIJK_BUILD_DIR", None)
        else:
            os.environ["KANSRIJK_BUILD_DIR"] = previous
    if out_dir:
        out_dir.mkdir(parents=True, exist_ok=True)
        nbformat.write(notebook, out_dir / f"{source.stem}.ipynb")
    return notebook
