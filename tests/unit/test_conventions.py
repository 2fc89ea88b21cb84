"""Conventions of the SQL models: documented marts, one landing table per staging model."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlglot
import yaml

from pipeline import build
from pipeline.config import SQL_DIR

MARTS = sorted((SQL_DIR / "marts").glob("*.sql"))
STAGING = sorted((SQL_DIR / "staging").glob("*.sql"))


def output_columns(path: Path) -> list[str]:
    """The columns a model's final select produces, in order."""
    tree = sqlglot.parse_one(path.read_text(encoding="utf-8"), read="duckdb")
    names = tree.named_selects
    assert "*" not in names, f"{path.name}: the final select of a mart lists its columns"
    return names


def mart_doc(path: Path) -> dict:
    doc_path = path.with_suffix(".yml")
    assert doc_path.exists(), f"{path.name} has no {doc_path.name} next to it"
    doc = yaml.safe_load(doc_path.read_text(encoding="utf-8"))
    models = [m for m in doc.get("models", []) if m.get("name") == path.stem]
    assert len(models) == 1, f"{doc_path.name} documents model {path.stem!r} exactly once"
    return models[0]


def test_there_are_marts_and_staging_models() -> None:
    assert len(MARTS) >= 8 and len(STAGING) >= 4


@pytest.mark.parametrize("path", MARTS, ids=lambda p: p.stem)
def test_every_mart_column_is_documented(path: Path) -> None:
    model = mart_doc(path)
    documented = [c["name"] for c in model.get("columns", [])]
    produced = output_columns(path)
    assert sorted(set(produced) - set(documented)) == [], "undocumented columns"
    assert sorted(set(documented) - set(produced)) == [], "documented columns that do not exist"
    assert len(documented) == len(set(documented)), "a column documented twice"
    assert all(str(c.get("description", "")).strip() for c in model["columns"])


@pytest.mark.parametrize("path", MARTS, ids=lambda p: p.stem)
def test_every_mart_states_grain_key_and_sources(path: Path) -> None:
    model = mart_doc(path)
    assert "grain" in model["description"].lower()
    meta = model.get("meta", {})
    assert meta.get("grain") and meta.get("source_ids")
    assert set(meta.get("primary_key", [])) <= set(output_columns(path))
    assert meta["primary_key"], "a primary key"


@pytest.mark.parametrize("path", STAGING, ids=lambda p: p.stem)
def test_each_staging_model_reads_exactly_one_landing_table(path: Path) -> None:
    tables = build.referenced_tables(path.read_text(encoding="utf-8"))
    assert len(tables) == 1, f"{path.name} reads {sorted(tables)}"
    assert next(iter(tables)).startswith("landing_")


def test_python_models_are_intermediate_and_do_not_shadow_sql_models() -> None:
    models = build.discover_models()
    for model in build.PYTHON_MODELS:
        assert model.name.startswith("int_") and models[model.name] is model
        assert set(model.reads) <= set(models) | {"ref_gemeenten", "ref_indicators"}
