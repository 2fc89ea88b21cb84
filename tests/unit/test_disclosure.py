"""Complementary suppression, the differencing audit and the leak scan on constructed cases."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from pipeline import disclosure, leaks

IND = "vroeggeboorte"


def cell(area: str, start: int, num: float | None = 20, den: float | None = 200,
         status: str = "ok", end: int | None = None, level: str | None = None) -> dict:
    """One indicator row; a suppressed row has no figures."""
    level = level or {"GM": "gemeente", "GG": "ggd_regio", "RG": "regio", "NL": "land"}[area[:2]]
    figures = (num, den) if status == "ok" else (None, None)
    reason = "minder dan 10 (primaire onderdrukking)" if status == "suppressed" else None
    return {"indicator_id": IND, "area_code": area, "area_level": level,
            "period_start_year": start, "period_end_year": end or start,
            "numerator": figures[0], "denominator": figures[1], "published_value": None,
            "status": status, "status_reason": reason}


def frame(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows).astype({"numerator": "float64", "denominator": "float64",
                                      "published_value": "float64"})


def members(**regions: list[str]) -> pd.DataFrame:
    return pd.DataFrame([{"area_code": r, "gemeente_code": g}
                         for r, gs in regions.items() for g in gs],
                        columns=["area_code", "gemeente_code"])


def status_of(out: pd.DataFrame, area: str, start: int, end: int | None = None) -> str:
    row = out[(out.area_code == area) & (out.period_start_year == start)
              & (out.period_end_year == (end or start))]
    assert len(row) == 1
    return row.status.iloc[0]


def assert_no_recoverable_cell(out: pd.DataFrame, memberships: pd.DataFrame) -> None:
    assert disclosure.recoverable_cells(out, memberships).empty


# --------------------------------------------------------------------------------------------
# complementary suppression
# --------------------------------------------------------------------------------------------


def test_region_minus_other_gemeenten_gets_a_second_suppression() -> None:
    # GG01 = A + B + C; A suppressed, so GG01 − B − C would give A away
    rows = frame([cell("GM0001", 2023, status="suppressed"), cell("GM0002", 2023, 30, 300),
                  cell("GM0003", 2023, 25, 150), cell("GG0001", 2023, 60, 500)])
    m = members(GG0001=["GM0001", "GM0002", "GM0003"])
    before = disclosure.recoverable_cells(rows, m)
    assert list(before.area_code) == ["GM0001"] and before.via.iloc[0] == "GG0001 2023"
    out = disclosure.complementary_suppression(rows, m)
    # the smallest other gemeente (denominator 150) is suppressed, with a reason
    assert status_of(out, "GM0003", 2023) == "suppressed"
    assert status_of(out, "GM0002", 2023) == "ok" and status_of(out, "GG0001", 2023) == "ok"
    reason = out.loc[out.area_code == "GM0003", "status_reason"].iloc[0]
    assert reason.startswith("secundaire onderdrukking") and "GM0001 2023" in reason
    assert out.loc[out.area_code == "GM0003", ["numerator", "denominator"]].isna().all().all()
    assert len(out) == len(rows)
    assert out.loc[out.area_code == "GM0001", "status_reason"].iloc[0].startswith("minder dan")
    assert_no_recoverable_cell(out, m)


def test_two_suppressed_gemeenten_need_nothing_more() -> None:
    rows = frame([cell("GM0001", 2023, status="suppressed"),
                  cell("GM0002", 2023, status="suppressed"),
                  cell("GM0003", 2023, 25, 150), cell("GG0001", 2023, 60, 500)])
    m = members(GG0001=["GM0001", "GM0002", "GM0003"])
    out = disclosure.complementary_suppression(rows, m)
    same = rows.merge(out, on=disclosure.KEYS, suffixes=("", "_out"))
    assert len(same) == len(rows) and (same.status == same.status_out).all()


def test_national_total_delivered_by_the_source_is_a_total_too() -> None:
    # NL01 as delivered by the source and every gemeente but one published
    rows = frame([cell("GM0001", 2022, status="suppressed"), cell("GM0002", 2022, 40, 400),
                  cell("GM0003", 2022, 12, 90), cell("GM0004", 2022, 50, 600),
                  cell("NL01", 2022, 110, 1200)])
    m = members(NL01=["GM0001", "GM0002", "GM0003", "GM0004"])
    out = disclosure.complementary_suppression(rows, m)
    assert status_of(out, "GM0003", 2022) == "suppressed"  # the smallest other cell
    assert (out.status == "suppressed").sum() == 2
    assert_no_recoverable_cell(out, m)


def test_pooled_period_minus_its_years_is_protected() -> None:
    # 2023 suppressed; 2022–2024 = 2022 + 2023 + 2024 would give it away
    rows = frame([cell("GM0001", 2022, 12, 100), cell("GM0001", 2023, status="suppressed"),
                  cell("GM0001", 2024, 15, 120), cell("GM0001", 2022, 35, 330, end=2024)])
    m = members()
    assert list(disclosure.recoverable_cells(rows, m).period_start_year) == [2023]
    out = disclosure.complementary_suppression(rows, m)
    assert (out.status == "suppressed").sum() == 2
    assert_no_recoverable_cell(out, m)


def test_region_and_pool_together_in_one_custom_region() -> None:
    # a custom region of two gemeenten over three years plus its pooled period: the cascade
    # through region and pooled relations must end with nothing recoverable
    rows = [cell("GM0001", y, 30 + y % 7, 300) for y in (2022, 2024)]
    rows += [cell("GM0001", 2023, status="suppressed")]
    rows += [cell("GM0002", y, 40, 350 + y % 5) for y in (2022, 2023, 2024)]
    rows += [cell("RG01", y, 80, 700) for y in (2022, 2023, 2024)]
    rows += [cell("GM0001", 2022, 100, 900, end=2024), cell("GM0002", 2022, 120, 1056, end=2024),
             cell("RG01", 2022, 220, 1956, end=2024)]
    m = members(RG01=["GM0001", "GM0002"])
    out = disclosure.complementary_suppression(frame(rows), m)
    assert (out.status == "suppressed").sum() >= 2
    assert_no_recoverable_cell(out, m)
    assert status_of(out, "RG01", 2023) == "ok"  # parts are suppressed, not the region


def test_audit_finds_a_difference_of_two_regions() -> None:
    # GG = a + b + c + d, RG = a + b (both published); a, b suppressed, c suppressed, d
    # published: c = GG − RG − d, a recovery no single subtraction shows
    rows = frame([cell("GM0001", 2023, status="suppressed"),
                  cell("GM0002", 2023, status="suppressed"),
                  cell("GM0003", 2023, status="suppressed"), cell("GM0004", 2023, 30, 300),
                  cell("RG01", 2023, 20, 300), cell("GG0001", 2023, 80, 900)])
    m = members(RG01=["GM0001", "GM0002"], GG0001=["GM0001", "GM0002", "GM0003", "GM0004"])
    structure = disclosure.build_structure(rows, m)
    known = ((rows.status == "ok") & rows.numerator.notna()).to_numpy(copy=True)
    sensitive = (rows.status == "suppressed").to_numpy(copy=True)
    assert disclosure.chained_leaks(structure, known, sensitive) == []
    found = disclosure.audit(structure, known, sensitive)
    assert [rows.area_code[f.row] for f in found] == ["GM0003"]
    assert [rows.area_code[c] for c in found[0].candidates] == ["GM0004"]
    out = disclosure.complementary_suppression(rows, m)
    assert status_of(out, "GM0004", 2023) == "suppressed"
    assert_no_recoverable_cell(out, m)


def test_a_suppressed_total_whose_parts_are_published_is_protected() -> None:
    # a small custom region suppressed by the primary rule while its members are published
    rows = frame([cell("GM0001", 2023, 12, 60), cell("GM0002", 2023, 14, 70),
                  cell("RG01", 2023, status="suppressed")])
    m = members(RG01=["GM0001", "GM0002"])
    assert list(disclosure.recoverable_cells(rows, m).area_code) == ["RG01"]
    out = disclosure.complementary_suppression(rows, m)
    assert status_of(out, "GM0001", 2023) == "suppressed"  # smallest part
    assert_no_recoverable_cell(out, m)


def test_indicators_are_protected_separately_and_rows_keep_their_order_and_columns() -> None:
    rows = frame([cell("GM0001", 2023, status="suppressed"), cell("GM0002", 2023, 30, 300),
                  cell("GG0001", 2023, 40, 400)])
    other = rows.assign(indicator_id="sga", status="ok", numerator=20.0, denominator=200.0)
    both = pd.concat([rows, other], ignore_index=True)
    out = disclosure.complementary_suppression(both, members(GG0001=["GM0001", "GM0002"]))
    assert list(out.columns) == list(both.columns)
    assert (out[out.indicator_id == "sga"].status == "ok").all()
    assert status_of(out[out.indicator_id == IND], "GM0002", 2023) == "suppressed"


def test_empty_input() -> None:
    empty = frame([cell("GM0001", 2023)]).iloc[:0]
    assert disclosure.complementary_suppression(empty, members()).empty


# --------------------------------------------------------------------------------------------
# leak scan of a build folder
# --------------------------------------------------------------------------------------------


def write_build(tmp_path: Path, rows: pd.DataFrame, memberships: pd.DataFrame) -> Path:
    marts = tmp_path / "marts"
    marts.mkdir(parents=True)
    values = rows.assign(period_label=[disclosure.period_label(s, e) for s, e in zip(
        rows.period_start_year, rows.period_end_year, strict=True)])
    values["value"] = values.numerator / values.denominator * 100
    values.to_parquet(marts / "indicator_values.parquet")
    memberships.assign(area_level="ggd_regio", area_name="x").to_parquet(
        marts / "area_memberships.parquet")
    pd.DataFrame({"indicator_id": [IND], "suppression_threshold": [10],
                  "multiplier": [100]}).to_parquet(marts / "indicators.parquet")
    (tmp_path / "exports").mkdir()
    return tmp_path


@pytest.fixture
def region() -> tuple[pd.DataFrame, pd.DataFrame]:
    rows = frame([cell("GM0001", 2023, status="suppressed"), cell("GM0002", 2023, 30, 300),
                  cell("GM0003", 2023, 25, 150), cell("GG0001", 2023, 60, 500)])
    return rows, members(GG0001=["GM0001", "GM0002", "GM0003"])


def test_scan_passes_a_protected_build(tmp_path: Path, region) -> None:
    rows, m = region
    build_dir = write_build(tmp_path, disclosure.complementary_suppression(rows, m), m)
    assert leaks.scan_build(build_dir) == []


def test_scan_finds_a_planted_differencing_leak(tmp_path: Path, region) -> None:
    rows, m = region
    problems = leaks.scan_build(write_build(tmp_path, rows, m))
    assert len(problems) == 1
    assert "GM0001 2023" in problems[0] and "recoverable by differencing" in problems[0]


def test_scan_finds_small_counts_and_suppressed_figures_in_exports(tmp_path: Path,
                                                                   region) -> None:
    rows, m = region
    build_dir = write_build(tmp_path, disclosure.complementary_suppression(rows, m), m)
    export = pd.DataFrame({"indicator_id": [IND, IND], "area_code": ["GM0002", "GM0001"],
                           "period_label": ["2023", "2023"], "teller": [7, 4],
                           "noemer": [300, 40]})
    export.to_csv(build_dir / "exports" / "grafiek.csv", sep=";", decimal=",", index=False)
    problems = leaks.scan_build(build_dir)
    assert any("grafiek.csv" in p and "GM0002 2023" in p and "below the threshold" in p
               for p in problems)
    assert any("grafiek.csv" in p and "GM0001 2023" in p and "suppressed cell" in p
               for p in problems)
    # with GM0001's figures out, the complement GM0003 = GG0001 − GM0001 − GM0002 is exposed
    assert any("GM0003 2023" in p and "recoverable by differencing" in p for p in problems)


def test_scan_finds_a_share_that_implies_a_small_count(tmp_path: Path, region) -> None:
    rows, m = region
    build_dir = write_build(tmp_path, disclosure.complementary_suppression(rows, m), m)
    export = pd.DataFrame({"indicator_id": [IND], "area_code": ["GM0002"],
                           "period_start_year": [2023], "period_end_year": [2023],
                           "value": [2.0], "denominator": [300.0]})
    export.to_csv(build_dir / "exports" / "aandeel.csv", index=False)
    problems = leaks.scan_build(build_dir)
    assert len(problems) == 1 and "numerator 6" in problems[0]


def test_scan_reports_a_missing_mart(tmp_path: Path) -> None:
    (tmp_path / "marts").mkdir()
    assert "missing" in leaks.scan_build(tmp_path)[0]


def test_period_label() -> None:
    assert disclosure.period_label(2023, 2023) == "2023"
    assert disclosure.period_label(2019, 2023) == "2019–2023"
    assert np.array_equal(disclosure.KEYS, leaks.KEYS)
