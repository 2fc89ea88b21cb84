"""End to end: a demo refresh in a temporary data dir, checked through its published outputs."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from tests.conftest import EXPORT_ARGS, REPO, run_cli

pytestmark = pytest.mark.slow


def mart(data_dir: Path, name: str) -> pd.DataFrame:
    return pd.read_parquet(data_dir / "processed" / "marts" / f"{name}.parquet")


def reference_gemeenten() -> pd.DataFrame:
    return pd.read_csv(REPO / "data" / "reference" / "gemeenten_2025_ggd_provincie.csv", dtype=str)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_every_current_gemeente_present_for_every_period(demo_build: Path) -> None:
    values = mart(demo_build, "indicator_values")
    gemeenten = set(reference_gemeenten().gemeente_code)
    assert len(gemeenten) == 342
    gm = values[values.area_level == "gemeente"]
    per_period = gm.groupby(["indicator_id", "period_start_year", "period_end_year"]).area_code
    assert all(set(codes) == gemeenten for _, codes in per_period)
    births = gm[gm.indicator_id == "levend_geborenen"]
    assert births.period_start_year.nunique() >= 8


def test_regions_are_sums_of_their_gemeenten(demo_build: Path) -> None:
    values = mart(demo_build, "indicator_values")
    members = mart(demo_build, "area_memberships")
    gm = values[values.area_level == "gemeente"]
    regions = values[
        values.area_level.isin(["ggd_regio", "provincie", "regio", "land"])
        & (values.status == "ok")
        & ~values.is_source_total
    ]
    assert len(regions) > 100
    gm = gm[
        ["indicator_id", "area_code", "period_start_year", "period_end_year", "numerator",
         "denominator", "status"]
    ].rename(columns={"area_code": "gemeente_code", "numerator": "numerator_gm",
                      "denominator": "denominator_gm", "status": "status_gm"})
    joined = members[["area_code", "gemeente_code"]].merge(gm, on="gemeente_code")
    # sums of the *undisclosed* member counts are not visible; for regions whose members are all
    # published, the published counts must add up exactly
    keys = ["indicator_id", "area_code", "period_start_year", "period_end_year"]
    sums = joined.groupby(keys, as_index=False).agg(
        numerator=("numerator_gm", "sum"),
        denominator=("denominator_gm", "sum"),
        complete=("status_gm", lambda s: (s == "ok").all()),
    )
    checked = regions.merge(sums[sums.complete], on=keys, suffixes=("", "_sum"))
    assert len(checked) > 50
    assert (checked.numerator == checked.numerator_sum).all()
    with_den = checked[checked.denominator.notna()]
    assert len(with_den) > 50
    assert (with_den.denominator == with_den.denominator_sum).all()


def test_national_total_delivered_by_source_is_kept_and_labelled(demo_build: Path) -> None:
    values = mart(demo_build, "indicator_values")
    births = values[values.indicator_id == "levend_geborenen"]
    nl = births[births.area_code == "NL01"].set_index("period_start_year")
    gm_sum = births[births.area_level == "gemeente"].groupby("period_start_year").numerator.sum()
    assert nl.is_source_total.all()
    assert (nl.status_reason == "totaal zoals geleverd door de bron").all()
    assert (nl.numerator >= gm_sum.reindex(nl.index)).all()


def test_intervals_contain_values_and_suppressed_rows_have_no_figures(demo_build: Path) -> None:
    values = mart(demo_build, "indicator_values")
    ok = values[values.ci_lower.notna()]
    assert len(ok) > 10_000
    assert (ok.ci_lower <= ok.value + 1e-9).all() and (ok.value <= ok.ci_upper + 1e-9).all()
    assert (ok.ci_lower_998 <= ok.ci_lower + 1e-9).all()
    not_ok = values[values.status != "ok"]
    assert len(not_ok) > 0
    assert not_ok[["numerator", "denominator", "value"]].isna().all().all()
    assert not_ok.status_reason.notna().all()
    assert values.is_demo.all()


def test_warehouse_and_exports_are_published(demo_build: Path) -> None:
    processed = demo_build / "processed"
    assert processed.is_symlink()
    con = duckdb.connect(str(processed / "warehouse.duckdb"), read_only=True)
    tables = {
        r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()
    }
    con.close()
    assert {"indicator_values", "areas", "indicators"} <= tables
    pngs = list((processed / "exports").rglob("*.png"))
    assert pngs and all(p.stat().st_size > 10_000 for p in pngs)
    index = (processed / "exports" / "index.html").read_text(encoding="utf-8")
    assert "DEMO — synthetische cijfers" in index
    assert all(
        p.relative_to(processed / "exports").as_posix() in index
        for p in pngs
        if "notebooks" not in p.parts
    )
    svg = next((processed / "exports").rglob("*.svg")).read_text(encoding="utf-8")
    assert "DEMO" in svg and "Bron:" in svg


def test_areas_mart_has_every_level(demo_build: Path) -> None:
    areas = mart(demo_build, "areas")
    counts = areas.area_level.value_counts()
    assert counts["gemeente"] == 342 and counts["ggd_regio"] == 25
    assert counts["provincie"] == 12 and counts["land"] == 1
    gm = areas[areas.area_level == "gemeente"]
    assert gm.ggd_regio_code.str.match(r"^GG\d{4}$").all()
    assert gm.provincie_code.str.match(r"^PV\d{2}$").all()


def test_second_refresh_with_nothing_changed_rebuilds_nothing(demo_build: Path) -> None:
    before = (demo_build / "processed").resolve()
    result = run_cli("refresh", "--no-notebooks", *EXPORT_ARGS, data_dir=demo_build)
    assert result.returncode == 0, result.stderr
    assert "nothing changed" in result.stdout
    assert (demo_build / "processed").resolve() == before


def test_failed_validation_leaves_published_outputs_byte_identical(
    demo_build: Path, tmp_path: Path
) -> None:
    published = (demo_build / "processed").resolve()
    files = sorted(p for p in published.rglob("*") if p.is_file())
    before = {p: sha(p) for p in files}
    strict = tmp_path / "expectations"
    shutil.copytree(REPO / "expectations", strict)
    suite = json.loads((strict / "indicator_values.json").read_text())
    suite["expectations"].append(
        {
            "type": "expect_column_values_to_be_between",
            "kwargs": {
                "column": "value",
                "max_value": 5,
                "row_condition": 'unit == "%"',
                "condition_parser": "pandas",
            },
            "meta": {"severity": "blocking"},
        }
    )
    (strict / "indicator_values.json").write_text(json.dumps(suite))
    result = run_cli(
        "refresh",
        "--no-notebooks",
        data_dir=demo_build,
        env={"KANSRIJK_EXPECTATIONS_DIR": str(strict)},
    )
    assert result.returncode != 0
    message = result.stderr.strip().splitlines()[-1]
    assert "expect_column_values_to_be_between" in message and "area_code=" in message
    assert (demo_build / "processed").resolve() == published
    assert {p: sha(p) for p in files} == before
    assert not list((demo_build / ".builds").glob("*.partial"))
