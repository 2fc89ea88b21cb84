"""Build the DuckDB warehouse: seeds, landing tables, then the models in dependency order.

Model files are plain ``select`` statements; the file name is the relation name and the folder
decides the materialisation (staging and intermediate: views; marts: tables, also written to
Parquet). Dependencies are read from the SQL with sqlglot, so files can be added without
maintaining an order by hand. ``sql/macros.sql`` (DuckDB macros) is loaded before any model.

A few intermediate relations are *Python models* (``PYTHON_MODELS``): steps SQL cannot do well,
run in the same dependency order and materialised as tables, which the SQL marts then select
from. The build order is therefore::

    staging views → intermediate views (harmonise, pool, aggregate, primary suppression)
    → int_indicator_values_protected   (Python: complementary suppression, pipeline.disclosure)
    → int_indicator_values_smoothed    (Python: empirical Bayes, pipeline.indicator_statistics)
    → marts indicator_values, indicator_comparisons, areas, …   (SQL tables)
    → int_indicator_trends_tested, int_indicator_funnels_computed,
      int_indicator_funnel_limits_computed   (Python, read the indicator_values mart)
    → marts indicator_trends, indicator_funnels, indicator_funnel_limits   (SQL tables)
    → every mart written to Parquet
"""

from __future__ import annotations

import os

# The Python models do many small dense linear-algebra steps (disclosure audit, funnels). On a
# busy 2-core machine OpenBLAS's thread pool only contends for the CPU there: measured 10–100×
# slower than one thread. Read by OpenBLAS when numpy is first loaded (here, via duckdb), so a
# user's own setting wins. Better placed in pipeline/__init__.py, so every entry point gets it.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import json
from collections.abc import Callable
from dataclasses import dataclass
from graphlib import TopologicalSorter
from pathlib import Path

import duckdb
import pandas as pd
import sqlglot
from sqlglot import exp

from pipeline import catalogue, disclosure, geography, stats
from pipeline import indicator_statistics as istats
from pipeline.config import SQL_DIR, Settings
from pipeline.ingest.runner import ingest_module, landing_paths
from pipeline.manifest import Snapshot

LAYERS = {"staging": "view", "intermediate": "view", "marts": "table"}


@dataclass(frozen=True)
class Model:
    """One SQL model file."""

    name: str
    layer: str
    path: Path
    sql: str

    @property
    def materialisation(self) -> str:
        return LAYERS[self.layer]


@dataclass(frozen=True)
class PythonModel:
    """An intermediate relation computed by a pure Python function, materialised as a table.

    ``compute`` receives the relations in ``reads`` as DataFrames (by name) and returns the
    new relation; the SQL models that read it are ordered after it.
    """

    name: str
    reads: tuple[str, ...]
    compute: Callable[[dict[str, pd.DataFrame]], pd.DataFrame]
    layer: str = "intermediate"

    @property
    def materialisation(self) -> str:
        return "table"


PYTHON_MODELS = (
    PythonModel(
        "int_indicator_values_protected",
        ("int_indicator_values_disclosed", "int_area_memberships"),
        lambda r: disclosure.complementary_suppression(
            r["int_indicator_values_disclosed"], r["int_area_memberships"]
        ),
    ),
    PythonModel(
        "int_indicator_values_smoothed",
        ("int_indicator_values_protected", "ref_gemeenten", "ref_indicators"),
        lambda r: istats.smooth_values(
            r["int_indicator_values_protected"], r["ref_gemeenten"], r["ref_indicators"]
        ),
    ),
    PythonModel(
        "int_indicator_trends_tested",
        ("indicator_values", "ref_indicators"),
        lambda r: istats.trend_table(r["indicator_values"], r["ref_indicators"]),
    ),
    PythonModel(
        "int_indicator_funnels_computed",
        ("indicator_values", "ref_gemeenten", "ref_indicators"),
        lambda r: istats.funnel_table(
            r["indicator_values"], r["ref_gemeenten"], r["ref_indicators"]
        ),
    ),
    PythonModel(
        "int_indicator_funnel_limits_computed",
        ("int_indicator_funnels_computed", "ref_indicators"),
        lambda r: istats.funnel_limit_grid(
            r["int_indicator_funnels_computed"], r["ref_indicators"]
        ),
    ),
)


def discover_models(sql_dir: Path = SQL_DIR) -> dict[str, Model | PythonModel]:
    """All SQL model files and Python models by relation name; duplicate names are an error."""
    models: dict[str, Model | PythonModel] = {}
    for layer in LAYERS:
        for path in sorted((sql_dir / layer).glob("*.sql")):
            if path.stem in models:
                raise ValueError(
                    f"two models named {path.stem!r}: {models[path.stem].path}, {path}"
                )
            models[path.stem] = Model(path.stem, layer, path, path.read_text(encoding="utf-8"))
    for model in PYTHON_MODELS:
        if model.name in models:
            raise ValueError(f"Python model {model.name!r} also exists as SQL model")
        models[model.name] = model
    return models


def referenced_tables(sql: str) -> set[str]:
    """Names of the tables a query reads (CTE names excluded)."""
    tree = sqlglot.parse_one(sql, read="duckdb")
    ctes = {cte.alias_or_name for cte in tree.find_all(exp.CTE)}
    return {t.name for t in tree.find_all(exp.Table) if t.name and t.name not in ctes}


def model_reads(model: Model | PythonModel) -> set[str]:
    """The relations a model reads (seeds and landing tables included)."""
    if isinstance(model, PythonModel):
        return set(model.reads)
    return referenced_tables(model.sql)


def model_order(models: dict[str, Model | PythonModel]) -> list[str]:
    """Models sorted so that every model comes after the models it reads."""
    graph = {name: model_reads(m) & set(models) for name, m in models.items()}
    return list(TopologicalSorter(graph).static_order())


def mart_names(models: dict[str, Model | PythonModel] | None = None) -> list[str]:
    """Names of the mart relations."""
    models = models or discover_models()
    return [name for name, m in models.items() if m.layer == "marts"]


def load_seeds(
    con: duckdb.DuckDBPyConnection, settings: Settings, build_id: str, refreshed_at: str
) -> None:
    """Reference geography, the catalogue, custom regions and the build context as tables."""
    seeds = {
        "ref_gemeenten": geography.gemeenten(),
        "ref_gemeente_codes": geography.code_history(),
        "ref_custom_regions": geography.custom_region_members(),
        "ref_harmonisation_weights": geography.harmonisation_weights(),
        "ref_indicators": catalogue.load(),
        "ref_indicator_source_codes": catalogue.source_codes(),
        "build_context": pd.DataFrame(
            [
                {
                    "build_id": build_id,
                    "mode": settings.mode,
                    "is_demo": settings.is_demo,
                    "refreshed_at": refreshed_at,
                    "boundary_year": geography.BOUNDARY_YEAR,
                }
            ]
        ),
    }
    for name, frame in seeds.items():
        con.register("_seed", frame)
        con.execute(f"create or replace table {name} as select * from _seed")
        con.unregister("_seed")


def load_landing(
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    snapshots: dict[str, Snapshot | None],
    landing_dir: Path,
) -> None:
    """One table per landing Parquet (``landing_<source>__<entity>``), with its snapshot id.

    Sources without an active snapshot get an empty table of the contract schema, so the models
    run and the marts say the source is missing instead of failing.
    """
    from pipeline.ingest.schema import OBSERVATIONS_SCHEMA

    landing_dir.mkdir(parents=True, exist_ok=True)
    for source_id, snap in snapshots.items():
        paths = landing_paths(settings, snap) if snap else {}
        if not paths:  # a module may declare other entities (e.g. coalitie_status)
            schemas = getattr(ingest_module(source_id), "LANDING_SCHEMAS",
                              {"observations": OBSERVATIONS_SCHEMA})
            for entity, schema in schemas.items():
                con.register("_empty", schema.empty_table())
                con.execute(
                    f"create or replace table landing_{source_id}__{entity} as "
                    f"select *, null::varchar as _snapshot_id from _empty"
                )
                con.unregister("_empty")
            continue
        for entity, path in paths.items():
            target = landing_dir / f"{source_id}__{entity}.parquet"
            if not target.exists():
                os.link(path, target)
            con.execute(
                f"create or replace table landing_{source_id}__{entity} as "
                f"select *, ?::varchar as _snapshot_id from read_parquet(?)",
                [snap.snapshot_id, str(path)],
            )


def run_models(
    con: duckdb.DuckDBPyConnection, models: dict[str, Model | PythonModel]
) -> list[str]:
    """Create every model in dependency order; returns the order used."""
    macros = SQL_DIR / "macros.sql"
    if macros.exists():
        con.execute(macros.read_text(encoding="utf-8"))
    order = model_order(models)
    for name in order:
        model = models[name]
        if isinstance(model, PythonModel):
            run_python_model(con, model)
            continue
        body = model.sql.strip().rstrip(";")
        try:
            con.execute(f"create or replace {model.materialisation} {name} as (\n{body}\n)")
        except duckdb.Error as exc:
            raise RuntimeError(
                f"{model.path.relative_to(SQL_DIR.parent)}: {str(exc).splitlines()[0]}"
            ) from exc
    return order


def run_python_model(con: duckdb.DuckDBPyConnection, model: PythonModel) -> None:
    """Read a Python model's inputs, compute it and write the result as a table."""
    inputs = {name: con.sql(f"select * from {name}").df() for name in model.reads}
    frame = model.compute(inputs)
    con.register("_python_model", frame)
    try:
        con.execute(f"create or replace table {model.name} as select * from _python_model")
    finally:
        con.unregister("_python_model")


def export_marts(
    con: duckdb.DuckDBPyConnection, models: dict[str, Model | PythonModel], marts_dir: Path
) -> dict:
    """Write each mart to Parquet, rows sorted by all columns for reproducible bytes."""
    marts_dir.mkdir(parents=True, exist_ok=True)
    counts = {}
    for name in mart_names(models):
        out = marts_dir / f"{name}.parquet"
        con.execute(
            f"copy (select * from {name} order by all) to '{out.as_posix()}' "
            f"(format parquet, compression zstd)"
        )
        counts[name] = con.execute(f"select count(*) from {name}").fetchall()[0][0]
    return counts


def build(
    settings: Settings,
    build_dir: Path,
    snapshots: dict[str, Snapshot | None],
    build_id: str,
    refreshed_at: str,
) -> dict:
    """Build the warehouse and marts into ``build_dir``; returns row counts per mart."""
    models = discover_models()
    con = duckdb.connect(str(build_dir / "warehouse.duckdb"))
    try:
        stats.register_duckdb_functions(con)
        load_seeds(con, settings, build_id, refreshed_at)
        load_landing(con, settings, snapshots, build_dir / "landing")
        run_models(con, models)
        geography.check_unknown_codes(con)
        counts = export_marts(con, models, build_dir / "marts")
    finally:
        con.close()
    (build_dir / "marts" / "_marts.json").write_text(json.dumps(counts, indent=1))
    return counts
