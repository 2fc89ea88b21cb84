"""Validation without GX: reference per classification year, check relations, suites, report."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from pipeline import report, validate
from pipeline.config import EXPECTATIONS_DIR

DATED_NOTE = re.compile(r"\b20\d\d-\d\d-\d\d\b")


@pytest.mark.parametrize(
    ("published", "standard"),
    [("363", "GM0363"), ("0363", "GM0363"), (" gm363 ", "GM0363"), ("GM0014", "GM0014"),
     ("3", "GM0003"), ("gg3406", "GG3406"), ("NL01", "NL01"), ("PV27", "PV27")],
)
def test_published_codes_are_standardised_like_the_staging_macro(
    published: str, standard: str
) -> None:
    assert validate.standard_area_code(published) == standard


def test_gemeenten_in_force_per_classification_year() -> None:
    assert len(validate.gemeenten_in_force(2025)) == 342
    assert len(validate.gemeenten_in_force(2023)) == 342
    assert len(validate.gemeenten_in_force(2013)) == 408
    gem2022 = validate.gemeenten_in_force(2022)
    # Weesp (GM0457) joined Amsterdam on 24 March 2022: still there on 1 January 2022
    assert "GM0457" in gem2022 and "GM0457" not in validate.gemeenten_in_force(2023)
    # Cuijk (GM1684) merged into Land van Cuijk (GM1982) on 1 January 2022
    assert "GM1684" not in gem2022 and "GM1982" in gem2022
    assert "GM1684" in validate.gemeenten_in_force(2021)
    assert len(gem2022) == 345
    # the latest known classification stays in force for later years
    assert validate.gemeenten_in_force(2027) == validate.gemeenten_in_force(2025)


@pytest.mark.parametrize(
    ("code", "year", "in_source", "ok"),
    [("GM0363", 2025, False, True), ("GM0457", 2025, False, False),
     ("GM0457", 2022, True, True), ("GM9999", 2025, True, False), ("GG3406", 2025, False, True),
     ("GG9999", 2025, False, False), ("PV27", 2025, False, True), ("PV99", 2025, False, False),
     ("NL01", 2013, True, True), ("RG01", 2025, False, True), ("RG01", 2025, True, False),
     ("RG99", 2025, False, False), ("LD01", 2025, True, False)],
)
def test_code_problem(code: str, year: int, in_source: bool, ok: bool) -> None:
    problem = validate.code_problem(code, year, in_source)
    assert (problem is None) == ok, problem


def observations(rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame(
        rows, columns=["area_code", "classification_year", "indicator_code", "period_label"]
    )
    return frame.assign(numerator=1.0, marker=None, source_file="f.csv", source_row=2)


def test_area_codes_are_checked_against_the_year_they_were_published_in() -> None:
    frames = {
        "rivm_kansrijke_start__observations": observations(
            [("457", 2022, "x", "2020"), ("457", 2023, "x", "2020"), ("GM0014", 2023, "x", "2020")]
        ),
        "indicator_values": pd.DataFrame({"area_code": ["GM0363", "RG01", "GM0457"]}),
    }
    codes = validate.check_area_codes(frames)
    bad = codes[codes.problem.notna()]
    assert sorted(zip(bad.relation, bad.area_code, bad.classification_year, strict=True)) == [
        ("indicator_values", "GM0457", 2025),
        ("rivm_kansrijke_start__observations", "GM0457", 2023),
    ]
    assert set(codes.published_code) == {"457", "GM0014", "GM0363", "RG01", "GM0457"}


def test_coverage_names_missing_gemeenten_per_period() -> None:
    all_2023 = sorted(validate.gemeenten_in_force(2023))
    rows = [(code[2:], 2023, "roken", "2021") for code in all_2023]
    rows += [(code, 2023, "roken", "2022") for code in all_2023[2:]]
    # pooled periods are not checked when single years exist
    rows += [(all_2023[0], 2023, "roken", "2019-2021")]
    coverage = validate.check_gemeente_coverage({"x__observations": observations(rows)})
    by_period = coverage.set_index("period_label")
    assert list(by_period.index) == ["2021", "2022"]
    assert by_period.loc["2021", "n_missing"] == 0
    assert by_period.loc["2022", "n_missing"] == 2
    assert by_period.loc["2022", "missing_codes"] == ", ".join(all_2023[:2])
    assert by_period.loc["2022", "missing_pct"] == pytest.approx(100 * 2 / 342, abs=0.01)


def test_coverage_checks_pooled_periods_of_indicators_without_single_years() -> None:
    rows = [(code, 2023, "schulden", "2015-2019") for code in validate.gemeenten_in_force(2023)]
    coverage = validate.check_gemeente_coverage({"x__observations": observations(rows[5:])})
    assert list(coverage.n_missing) == [5]


def values_frame() -> tuple[pd.DataFrame, pd.DataFrame]:
    members = pd.DataFrame(
        {"area_code": ["GG01", "GG01", "GG02", "GG02"],
         "gemeente_code": ["GM0001", "GM0002", "GM0003", "GM0004"]}
    )
    rows = [
        ("GM0001", "gemeente", 3.0, 10.0, "ok"), ("GM0002", "gemeente", 4.0, 20.0, "ok"),
        ("GM0003", "gemeente", None, None, "suppressed"), ("GM0004", "gemeente", 5.0, 50.0, "ok"),
        ("GG01", "ggd_regio", 7.0, 31.0, "ok"), ("GG02", "ggd_regio", 9.0, 60.0, "ok"),
    ]
    values = pd.DataFrame(
        rows, columns=["area_code", "area_level", "numerator", "denominator", "status"]
    ).assign(indicator_id="x", period_start_year=2023, period_end_year=2023,
             period_label="2023", is_source_total=False)
    return values, members


def test_region_sums_flag_a_region_that_is_not_the_sum_of_its_members() -> None:
    values, members = values_frame()
    sums = validate.check_region_sums({"indicator_values": values, "area_memberships": members})
    # GG02 has a suppressed member: its sum is not visible, so it is not checked
    assert list(sums.area_code) == ["GG01"]
    row = sums.iloc[0]
    assert row.numerator_difference == 0
    assert row.denominator_difference == 1.0


def test_demo_rows_against_the_mode() -> None:
    frames = {
        "cbs_geboorten__observations": observations([("GM0363", 2025, "x", "2020")]),
        "indicator_values": pd.DataFrame({"is_demo": [True, True, False]}),
    }
    info = {"mode": "live", "snapshots": {"cbs_geboorten": {"snapshot_id": "s1", "is_demo": True}}}
    checked = validate.check_demo_rows(frames, info)
    assert list(checked.is_demo) == [True, True, False]
    assert (checked.build_is_demo == False).all()  # noqa: E712
    assert list(checked.rows) == [1, 2, 1]
    assert validate.check_demo_rows(frames, {}) is None


def test_classification_years_against_the_registry() -> None:
    frames = {
        "rivm_kansrijke_start__observations": observations(
            [("14", 2022, "x", "2020"), ("14", 2023, "y", "2020")]
        ),
        "unknown_source__observations": observations([("14", 2023, "y", "2020")]),
    }
    checked = validate.check_classification_years(frames).set_index("source_id")
    assert checked.loc["rivm_kansrijke_start", "landing_years"] == "2022, 2023"
    assert checked.loc["rivm_kansrijke_start", "latest_landing_year"] == 2023
    assert checked.loc["rivm_kansrijke_start", "registry_year"] == 2023
    assert pd.isna(checked.loc["unknown_source", "registry_year"])


def test_load_suites_rejects_a_wrong_name_and_a_missing_severity(tmp_path: Path) -> None:
    (tmp_path / "areas.json").write_text(json.dumps({"name": "other", "expectations": []}))
    with pytest.raises(ValueError, match="must equal the relation name 'areas'"):
        validate.load_suites(tmp_path)
    (tmp_path / "areas.json").write_text(json.dumps({
        "name": "areas",
        "expectations": [{"type": "expect_column_values_to_not_be_null",
                          "kwargs": {"column": "x"}, "meta": {}}],
    }))
    with pytest.raises(ValueError, match="expectation 1: meta.severity"):
        validate.load_suites(tmp_path)


def test_every_suite_is_well_formed_and_loosened_thresholds_are_dated() -> None:
    suites = validate.load_suites(EXPECTATIONS_DIR)
    assert len(suites) >= 15
    for name, suite in suites.items():
        assert suite["meta"]["description"], name
        for expectation in suite["expectations"]:
            assert expectation["type"] == expectation["type"].lower()
            assert expectation["type"].startswith("expect_")
            notes = expectation["meta"].get("notes", "")
            if re.search(r"loosened|versoepeld", notes):
                assert DATED_NOTE.search(notes), (name, notes)
    loosened = [
        e for s in suites.values() for e in s["expectations"]
        if "versoepeld" in e["meta"].get("notes", "")
    ]
    assert len(loosened) >= 3


def payload(success: bool) -> dict:
    failing = {
        "suite": "indicator_values", "expectation": "expect_column_values_to_be_between",
        "kwargs": {"column": "value", "min_value": 0, "max_value": 100,
                   "row_condition": 'unit == "%"', "condition_parser": "pandas"},
        "severity": "blocking", "success": success, "observed": None,
        "unexpected_count": 0 if success else 2, "element_count": 40000, "index": 0,
        "failing_rows": [] if success else [
            {"area_code": "GM0363", "indicator_id": "big2", "period_label": "2023",
             "value": 120.5, "unit": "%", "marker": "<10"},
            {"area_code": "GM0014", "indicator_id": "big2", "period_label": "2023",
             "value": 101.0, "unit": "%", "marker": None},
        ],
        "unexpected_values": [] if success else [[120.5, 1], [101.0, 1]],
        "missing_values": [], "notes": "2026-11-24: versoepeld", "description": "", "error": "",
    }
    passing = dict(failing, suite="check__region_sums", success=True, failing_rows=[],
                   unexpected_count=0, unexpected_values=[], severity="warning", index=1)
    return {
        "success": success, "build_id": "20261124T000000Z", "mode": "demo", "is_demo": True,
        "validated_at": "2026-11-24T00:00:00Z", "seconds": 3.2,
        "snapshots": {"cbs_geboorten": {"snapshot_id": "snap-1", "fetched_at": "2026-11-24",
                                        "is_demo": True}, "perined_kerncijfers": None},
        "snapshot_ids": ["snap-1"], "relation_rows": {"indicator_values": 40000},
        "suite_descriptions": {"indicator_values": "De hoofdmart."},
        "outcomes": [failing, passing],
    }


def test_report_is_self_contained_dutch_and_shows_failing_rows() -> None:
    page = report.render(payload(success=False))
    assert "<script" not in page and "http" not in page.replace('lang="nl"', "")
    assert "Mislukt:" in page and "DEMO — synthetische cijfers" in page
    assert "2 van 40.000 rijen wijken af" in page
    assert "GM0363" in page and "big2" in page and "&lt;10" in page
    assert "Eerste 2 van 2 afwijkende rijen" in page
    assert "snap-1" in page and "geen snapshot (bron nog niet ingelezen)" in page
    assert "tussen 0 en 100 (alleen rijen waar unit = %)" in page
    assert 'id="indicator_values"' in page and 'id="check__region_sums"' in page
    ok_page = report.render(payload(success=True))
    assert "Geslaagd:" in ok_page and "Mislukte controles" not in ok_page


@pytest.mark.parametrize(
    ("condition", "words"),
    [('unit == "%"', "unit = %"),
     ('unit == "‰" or unit == "per 1000"', "unit = ‰ of unit = per 1000"),
     ("marker.notna()", "marker ingevuld is"), ('status != "ok"', "status ≠ ok"),
     ('relation == "x" and is_pooled == False', "relation = x en is_pooled = nee"),
     ('~relation.str.contains("__")', "de tabel een mart is")],
)
def test_row_conditions_read_as_words(condition: str, words: str) -> None:
    assert report.condition_text(condition) == words


def test_cli_summary_fits_one_screen() -> None:
    outcomes = [
        validate.ExpectationOutcome(f"suite_{i % 20}", "expect_x", {"column": "c"}, "blocking",
                                    i % 50 != 0, None, 3, [{"area_code": "GM0363"}])
        for i in range(300)
    ]
    lines = validate.summary_lines(
        validate.ValidationReport(outcomes, build_info={"build_id": "b", "mode": "demo"}),
        Path("/x/index.html"),
    )
    assert len(lines) <= 32
    assert lines[0].startswith("build b (demo): 294/300 expectations passed")
    assert lines[-1] == "report: /x/index.html"
    assert any("area_code=GM0363" in line for line in lines)
