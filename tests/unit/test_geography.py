"""Geography: harmonisation to the 2025 gemeenten and custom regions, through the real models.

SQL model tests (dbt unit-test idea): hand-made landing rows are loaded into an in-memory
DuckDB with the reference seeds, every model is run, and the harmonised rows and the marts are
compared with what the code history implies.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pytest

from pipeline import build, geography, registry, stats
from pipeline.config import load_settings
from pipeline.errors import InputError
from pipeline.ingest.schema import OBSERVATIONS_SCHEMA

VOORNE = ["GM0501", "GM0530", "GM0614"]  # Brielle, Hellevoetsluis, Westvoorne → GM1992 (2023)


def obs(code: str, year: int | str, indicator: str, classification: int,
        num: float | None = None, den: float | None = None, value: float | None = None,
        marker: str | None = None) -> dict:
    """One landing row in the observations contract."""
    return {"area_code": code, "area_name": None, "classification_year": classification,
            "indicator_code": indicator, "period_label": str(year), "numerator": num,
            "non_events": None, "denominator": den, "value": value, "marker": marker,
            "source_file": "test.csv", "source_row": 2}


PERINED = [
    # 2022 classification, 2022: the three parts of Voorne aan Zee, all counted
    obs("GM0501", 2022, "vroeggeboorte", 2022, 30, 300),
    obs("GM0530", 2022, "vroeggeboorte", 2022, 40, 500),
    obs("GM0614", 2022, "vroeggeboorte", 2022, 20, 250),
    # the other members of the example custom region RG01 (config/regions.yml)
    obs("GM1930", 2022, "vroeggeboorte", 2022, 25, 400),
    obs("GM1924", 2022, "vroeggeboorte", 2022, 35, 450),
    # 2021: Hellevoetsluis suppressed at the source
    obs("GM0501", 2021, "vroeggeboorte", 2022, 28, 310),
    obs("GM0530", 2021, "vroeggeboorte", 2022, marker="<10"),
    obs("GM0614", 2021, "vroeggeboorte", 2022, 21, 260),
    # a split: Haaren (GM0788) was divided over three gemeenten in 2021
    obs("GM0788", 2020, "vroeggeboorte", 2020, 12, 150),
]
VACCINATION = [
    # percentages only (2013 classification); report year 2014 = birth cohort 2012
    obs("GM0501", 2014, "bmr_zuigelingen", 2013, value=95.0),
    obs("GM0530", 2014, "bmr_zuigelingen", 2013, value=90.0),
    obs("GM0614", 2014, "bmr_zuigelingen", 2013, value=80.0),
    # report year 2013: no births of 2011 per former gemeente, so no weight
    obs("GM0501", 2013, "bmr_zuigelingen", 2013, value=94.0),
    obs("GM0530", 2013, "bmr_zuigelingen", 2013, value=91.0),
    obs("GM0614", 2013, "bmr_zuigelingen", 2013, value=85.0),
]
BIRTHS = [  # CBS live births per former gemeente in 2012 (its own classification)
    obs("GM0501", 2012, "levend_geboren_kinderen", 2012, 100),
    obs("GM0530", 2012, "levend_geboren_kinderen", 2012, 300),
    obs("GM0614", 2012, "levend_geboren_kinderen", 2012, 100),
]


def run_warehouse(tmp_path: Path, landing: dict[str, list[dict]]) -> duckdb.DuckDBPyConnection:
    """All models in memory on the given landing rows (other sources empty)."""
    settings = load_settings(tmp_path, "demo")
    con = duckdb.connect()
    stats.register_duckdb_functions(con)
    build.load_seeds(con, settings, "test", "2026-01-01T00:00:00Z")
    build.load_landing(con, settings, dict.fromkeys(registry.load()), tmp_path / "landing")
    for table, rows in landing.items():
        con.register("_rows", pa.Table.from_pylist(rows, schema=OBSERVATIONS_SCHEMA))
        con.execute(f"create or replace table {table} as "
                    "select *, 'snap-1'::varchar as _snapshot_id from _rows")
        con.unregister("_rows")
    build.run_models(con, build.discover_models())
    return con


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    return run_warehouse(tmp_path_factory.mktemp("geo"), {
        "landing_perined_kerncijfers__observations": PERINED,
        "landing_rivm_vaccinatiegraad__observations": VACCINATION,
        "landing_cbs_geboorten__observations": BIRTHS,
    })


def harmonised(con: duckdb.DuckDBPyConnection, indicator: str, area: str,
               year: int) -> pd.Series:
    rows = con.execute(
        "select * from int_gemeente_values_harmonised where indicator_id = ? and area_code = ?"
        " and period_start_year = ? and period_end_year = ?", [indicator, area, year, year]
    ).df()
    assert len(rows) == 1
    return rows.iloc[0]


def mart_row(con: duckdb.DuckDBPyConnection, indicator: str, area: str, year: int) -> pd.Series:
    rows = con.execute(
        "select * from indicator_values where indicator_id = ? and area_code = ?"
        " and period_start_year = ? and period_end_year = ?", [indicator, area, year, year]
    ).df()
    assert len(rows) == 1
    return rows.iloc[0]


def test_2022_file_merges_into_voorne_aan_zee_by_summing_counts(warehouse) -> None:
    row = harmonised(warehouse, "vroeggeboorte", "GM1992", 2022)
    assert row.status == "ok" and row.n_parts == 3
    assert (row.numerator, row.denominator) == (90, 1050)
    assert row.status_reason == "samengevoegd uit GM0501,GM0530,GM0614 (indeling 2022)"
    assert row.source_classification_year == 2022
    mart = mart_row(warehouse, "vroeggeboorte", "GM1992", 2022)
    assert mart.value == pytest.approx(90 / 1050 * 100)
    assert mart.area_name == "Voorne aan Zee" and mart.boundary_year == 2025
    # the former codes do not appear as areas
    codes = set(warehouse.sql("select distinct area_code from indicator_values").df().area_code)
    assert not codes & set(VOORNE)


def test_a_merged_value_with_a_suppressed_part_stays_unknown(warehouse) -> None:
    row = harmonised(warehouse, "vroeggeboorte", "GM1992", 2021)
    assert row.status == "suppressed"
    assert pd.isna(row.numerator) and pd.isna(row.denominator)  # never partially summed
    assert "onderdrukt deel" in row.status_reason and "GM0530" in row.status_reason
    mart = mart_row(warehouse, "vroeggeboorte", "GM1992", 2021)
    assert mart.status == "suppressed" and pd.isna(mart.value)


def test_a_split_gemeente_is_not_harmonisable(warehouse) -> None:
    for successor in ("GM0757", "GM0824", "GM0865"):
        row = harmonised(warehouse, "vroeggeboorte", successor, 2020)
        assert row.status == "not_harmonisable" and pd.isna(row.numerator)
        assert "gesplitst" in row.status_reason


def test_percentages_only_merge_weighted_by_births_of_the_cohort(warehouse) -> None:
    row = harmonised(warehouse, "vaccinatiegraad_bmr_zuigelingen", "GM1992", 2014)
    assert row.status == "ok"
    # (95·100 + 90·300 + 80·100) / 500 births in 2012
    assert row.published_value == pytest.approx(89.0)
    assert "gewogen gemiddelde" in row.status_reason and "(2012)" in row.status_reason
    assert pd.isna(row.numerator)
    mart = mart_row(warehouse, "vaccinatiegraad_bmr_zuigelingen", "GM1992", 2014)
    assert mart.value == pytest.approx(89.0) and pd.isna(mart.ci_lower)


def test_percentages_only_merge_without_weights_is_not_harmonisable(warehouse) -> None:
    row = harmonised(warehouse, "vaccinatiegraad_bmr_zuigelingen", "GM1992", 2013)
    assert row.status == "not_harmonisable" and pd.isna(row.published_value)
    assert "alleen percentages" in row.status_reason


def test_custom_region_is_the_sum_of_its_members_and_is_compared(warehouse) -> None:
    region = mart_row(warehouse, "vroeggeboorte", "RG01", 2022)
    members = geography.custom_region_members()
    assert set(members[members.region_code == "RG01"].gemeente_code) == {
        "GM1992", "GM1930", "GM1924"}
    assert region.status == "ok" and region.area_level == "regio"
    assert (region.numerator, region.denominator) == (90 + 25 + 35, 1050 + 400 + 450)
    comparisons = warehouse.execute(
        "select * from indicator_comparisons where area_code = 'RG01'"
        " and indicator_id = 'vroeggeboorte' and period_start_year = 2022").df()
    # compared with NL (not published here: niet te beoordelen) and with its GGD-regio
    assert set(comparisons.benchmark) == {"nederland", "ggd_regio"}
    assert set(comparisons.confidence) == {0.95, 0.998}
    assert (comparisons.comparison == "niet te beoordelen").all()


def test_harmonisation_weights_are_documented() -> None:
    weights = geography.harmonisation_weights()
    assert list(weights.columns) == [
        "indicator_id", "weight_indicator_id", "cohort_offset_years", "weight_label"]
    assert weights.set_index("indicator_id").loc[
        "vaccinatiegraad_bmr_zuigelingen", "cohort_offset_years"] == 2


# --------------------------------------------------------------------------------------------
# custom regions file
# --------------------------------------------------------------------------------------------


def regions_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "regions.yml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("regions:\n  - {code: X1, name: a, gemeenten: [GM0363]}\n", "field 'code'"),
        ("regions:\n  - {code: RG01, name: a, gemeenten: [GM9999]}\n", "unknown: GM9999"),
        ("regions:\n  - {code: RG01, name: a, gemeenten: [GM0363, GM0363]}\n", "twice: GM0363"),
        ("regions:\n  - {code: RG01, name: a, gemeenten: [GM0363]}\n"
         "  - {code: RG01, name: b, gemeenten: [GM0014]}\n", "used twice"),
        ("regions:\n  - {code: RG01, gemeenten: [GM0363]}\n", "field 'name'"),
        ("regions:\n  - {code: RG01, name: a, gemeenten: []}\n", "none given"),
    ],
)
def test_custom_regions_are_validated(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(InputError, match=message) as info:
        geography.load_custom_regions(regions_file(tmp_path, text))
    assert "regions.yml region" in str(info.value)


def test_shipped_example_regions_are_valid() -> None:
    regions = geography.load_custom_regions()
    assert regions and all(r["code"].startswith("RG") for r in regions)
    members = geography.custom_region_members()
    assert set(members.gemeente_code) <= set(geography.gemeenten().gemeente_code)
