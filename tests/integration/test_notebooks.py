"""Notebooks run top to bottom in a fresh kernel on the demo build, and their pairs are in sync."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jupytext
import pytest

from pipeline import notebooks

SOURCES = notebooks.notebook_sources()
READING_ORDER = ["10_bereik", "20_voortgang", "30_regionale_verschillen", "40_gemeenteprofiel"]
# Notebooks present: they never fetch, run SQL, build indicators or write outside the exports.
FORBIDDEN = re.compile(
    r"\b(requests|urllib|httpx|duckdb|pipeline\.ingest|pipeline\.build|pipeline\.stats)\b"
    r"|\.to_parquet\(|\.to_csv\(|read_csv\(|open\("
)


def test_the_suite_in_reading_order() -> None:
    assert [s.stem for s in SOURCES] == READING_ORDER


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_pair_in_sync_and_outputs_stripped(source: Path) -> None:
    paired = source.with_suffix(".ipynb")
    assert paired.exists(), f"{paired.name} missing: run jupytext --to ipynb {source.name}"
    stored = json.loads(paired.read_text(encoding="utf-8"))
    assert not any(c.get("outputs") for c in stored["cells"] if c["cell_type"] == "code")
    assert not any(c.get("execution_count") for c in stored["cells"] if c["cell_type"] == "code")
    from_py = jupytext.read(source)
    from_ipynb = jupytext.read(paired)
    assert [c.source for c in from_py.cells] == [c.source for c in from_ipynb.cells]


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_notebook_structure(source: Path) -> None:
    """Title with the question, marts and mode; a parameters cell; a reading note at the end."""
    cells = jupytext.read(source).cells
    opening = cells[0]
    assert opening.cell_type == "markdown" and opening.source.startswith("# ")
    for words in ("beantwoordt", "marts", "Modus"):
        assert words in opening.source, f"the opening cell should mention {words!r}"
    assert "parameters" in cells[1].metadata.get("tags", [])
    assert cells[-1].cell_type == "markdown"
    assert cells[-1].source.startswith("## Hoe lees je dit?")
    note = " ".join(cells[-1].source.split())
    for topic in ("nterval", "nderdrukt", "nooit als 0", "Demo"):
        assert topic in note, f"the reading note should explain {topic!r}"


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_notebook_only_presents(source: Path) -> None:
    code = "\n".join(c.source for c in jupytext.read(source).cells if c.cell_type == "code")
    assert not FORBIDDEN.findall(code)
    assert f'notebook_kit.start("{source.stem}")' in code  # SVG renderer, nl-NL, saver
    assert "marts.read(" in code


def _files(folder: Path) -> dict[Path, int]:
    return {p: p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


@pytest.mark.slow
@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_notebook_executes_in_fresh_kernel(source: Path, demo_build: Path) -> None:
    build = (demo_build / "processed").resolve()
    before = _files(build)
    executed = notebooks.execute(source, build)
    errors = [
        o for c in executed.cells for o in c.get("outputs", []) if o.get("output_type") == "error"
    ]
    assert not errors
    outputs = [o for c in executed.cells for o in c.get("outputs", [])]
    images = [o["data"]["image/svg+xml"] for o in outputs if "image/svg+xml" in o.get("data", {})]
    assert images, "the notebook drew no chart"
    assert all("DEMO — synthetische cijfers" in svg for svg in images), "a chart lacks the label"
    banner = " ".join(o["data"].get("text/markdown", "") for o in outputs if "data" in o)
    assert "**Modus:** demo" in banner and "DEMO — synthetische cijfers" in banner
    after = _files(build)
    written = [p for p, stamp in after.items() if before.get(p) != stamp]
    exports = build / "exports" / "notebooks"
    assert written, "the notebook saved no figure"
    assert all(p.is_relative_to(exports) for p in written), "wrote outside exports/notebooks"
    assert any(p.name.startswith(source.stem) and p.suffix == ".png" for p in written)


def test_notebook_kit_renders_offline_svg_with_dutch_formats(tmp_path: Path, monkeypatch) -> None:
    import altair as alt
    import pandas as pd

    from pipeline import notebook_kit

    monkeypatch.setenv("KANSRIJK_BUILD_DIR", str(tmp_path))
    save = notebook_kit.start("99_test")
    assert alt.renderers.active == "svg"
    assert alt.renderers.options["embed_options"]["formatLocale"] == "nl-NL"
    chart = alt.Chart(pd.DataFrame({"x": [1.5, 2.5]})).mark_point().encode(x="x:Q")
    save(chart, "punt–test")
    assert (tmp_path / "exports" / "notebooks" / "99_test_punt-test.png").stat().st_size > 100
