"""Validation of the demo build: every suite passes, every blocking expectation can fail.

For each blocking expectation a copy of the demo build's frames is mutated so that exactly the
rule it states is broken; validating that expectation alone must then fail and name the
offending rows. Whole-refresh failures, interrupts and the published outputs are covered in
test_publish.py.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from pipeline import validate
from tests.conftest import chromium, run_cli

pytestmark = pytest.mark.slow

SUITES = validate.load_suites()
BLOCKING = [
    (name, index, expectation)
    for name, suite in SUITES.items()
    for index, expectation in enumerate(suite["expectations"])
    if expectation["meta"]["severity"] == "blocking"
]
ROW_NAMES = re.compile(
    r"\b(?:area_code|gemeente_code|indicator_id|indicator_code|indicator|relation|source_id)="
)


@pytest.fixture(scope="module")
def build(demo_build: Path) -> dict:
    folder = (demo_build / "processed").resolve()
    return {
        "frames": validate.relation_frames(folder),
        "info": validate.read_build_info(folder),
        "folder": folder,
    }


def sha_tree(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


# --------------------------------------------------------------------------------------------
# the demo build passes


def test_every_landing_table_and_mart_has_a_suite_and_the_demo_build_passes(build: dict) -> None:
    relations = set(build["frames"])
    assert relations <= set(SUITES), f"no suite for {sorted(relations - set(SUITES))}"
    results = json.loads((build["folder"] / "validation" / "results.json").read_text())
    failed = [(o["suite"], o["expectation"], o["error"]) for o in results["outcomes"]
              if not o["success"]]
    assert results["success"] and not failed, failed
    checked = {o["suite"] for o in results["outcomes"]}
    assert checked == set(SUITES)
    assert {n for n in SUITES if n.startswith("check__")} <= set(results["relation_rows"])
    assert results["snapshot_ids"] == sorted(
        s["snapshot_id"] for s in build["info"]["snapshots"].values() if s
    )
    assert results["mode"] == "demo" and results["build_id"] == build["info"]["build_id"]


# --------------------------------------------------------------------------------------------
# generic mutations: break exactly what an expectation on a landing table or mart states


def _rows(frame: pd.DataFrame, kwargs: dict) -> pd.Index:
    condition = kwargs.get("row_condition")
    return frame.query(condition, engine="python").index if condition else frame.index


def _with_condition_row(frame: pd.DataFrame, kwargs: dict) -> pd.DataFrame:
    """``frame`` with a row meeting an equality ``row_condition`` (planted when the data has none).

    E.g. a build without any 'afnemend' trend still needs one to break the expectation on it.
    """
    condition = kwargs.get("row_condition") or ""
    planted = re.fullmatch(r'(\w+) == "([^"]*)"', condition)
    if len(_rows(frame, kwargs)) or not planted:
        return frame
    return _set(frame, frame.index[0], planted.group(1), planted.group(2))


def _set(frame: pd.DataFrame, index: object, column: str, value: object) -> pd.DataFrame:
    frame = frame.copy()
    if value is None and frame[column].dtype == bool:
        frame[column] = frame[column].astype("boolean")
    elif isinstance(value, float) and pd.api.types.is_integer_dtype(frame[column]):
        frame[column] = frame[column].astype("float64")
    elif isinstance(value, str) and not pd.api.types.is_string_dtype(frame[column]):
        frame[column] = frame[column].astype(object)
    frame.loc[index, column] = value
    return frame


def _outside(kwargs: dict, frame: pd.DataFrame) -> object:
    low, high = kwargs.get("min_value"), kwargs.get("max_value")
    value = high + 1 if high is not None else low - 1
    is_int = pd.api.types.is_integer_dtype(frame[kwargs["column"]])
    return int(value) if is_int else float(value)


def _not_in(value_set: list, frame: pd.DataFrame, column: str) -> object:
    numbers = [v for v in value_set if isinstance(v, int | float) and not isinstance(v, bool)]
    if numbers:
        value = max(numbers) + 1
        return int(value) if pd.api.types.is_integer_dtype(frame[column]) else float(value)
    return "__ongeldig__"


def mutate_frame(frame: pd.DataFrame, expectation: dict) -> pd.DataFrame:
    """A copy of ``frame`` that violates ``expectation`` (landing tables and marts)."""
    kind, kwargs = expectation["type"], expectation["kwargs"]
    frame = _with_condition_row(frame, kwargs)
    rows = _rows(frame, kwargs)
    column = kwargs.get("column")
    if kind == "expect_table_row_count_to_be_between":
        if kwargs.get("min_value"):
            return frame.head(kwargs["min_value"] - 1)
        return pd.concat([frame] * (kwargs["max_value"] // max(len(frame), 1) + 1))
    if kind in ("expect_compound_columns_to_be_unique", "expect_column_values_to_be_unique"):
        return pd.concat([frame, frame.loc[rows[:1]]], ignore_index=True)
    if kind == "expect_column_values_to_not_be_null":
        return _set(frame, frame.loc[rows, column].dropna().index[0], column, None)
    if kind == "expect_column_values_to_be_null":
        numeric = pd.api.types.is_numeric_dtype(frame[column])
        if not len(rows):  # e.g. no suppressed cell at all: suppress one that has a figure
            marker = re.fullmatch(r"(\w+)\.notna\(\)", kwargs["row_condition"]).group(1)
            return _set(frame, frame[column].dropna().index[0], marker, "<10")
        index = frame.loc[rows, column][lambda s: s.isna()].index[0]
        return _set(frame, index, column, 0.0 if numeric else "x")
    if kind == "expect_column_values_to_match_regex":
        return _set(frame, frame.loc[rows, column].dropna().index[0], column, "XX?")
    if kind == "expect_column_values_to_be_in_set":
        value = _not_in(kwargs["value_set"], frame, column)
        return _set(frame, frame.loc[rows, column].dropna().index[0], column, value)
    if kind == "expect_column_values_to_be_between":
        value = _outside(kwargs, frame)
        return _set(frame, frame.loc[rows, column].dropna().index[0], column, value)
    if kind == "expect_column_pair_values_a_to_be_greater_than_b":
        a, b = kwargs["column_A"], kwargs["column_B"]
        both = frame.loc[rows, [a, b]].dropna().index[0]
        step = 1 if kwargs.get("or_equal") else 0
        return _set(frame, both, a, float(frame.loc[both, b]) - step)
    if kind == "expect_column_distinct_values_to_contain_set":
        return frame[frame[column] != kwargs["value_set"][0]]
    raise NotImplementedError(f"no mutation for {kind}")


# --------------------------------------------------------------------------------------------
# mutations for the check relations: break the underlying tables


def _first(frame: pd.DataFrame, mask: pd.Series) -> object:
    return frame.index[mask][0]


def _unknown_code(frames: dict, info: dict, kwargs: dict) -> tuple[dict, dict]:
    landing = frames["rivm_kansrijke_start__observations"]
    return {**frames, "rivm_kansrijke_start__observations": _set(
        landing, landing.index[:3], "area_code", "9999")}, info


def _no_code_tables(frames: dict, info: dict, kwargs: dict) -> tuple[dict, dict]:
    return {"indicators": frames["indicators"]}, info


def _missing_gemeente(frames: dict, info: dict, kwargs: dict) -> tuple[dict, dict]:
    if "~" in kwargs.get("row_condition", ""):  # marts: drop one gemeente from one period
        values = frames["indicator_values"]
        drop = (values.area_code == "GM0363") & (values.indicator_id == "big2")
        return {**frames, "indicator_values": values[~drop]}, info
    landing = frames["rivm_kansrijke_start__observations"]
    codes = landing.area_code.map(validate.standard_area_code)
    first = landing[codes.str.startswith("GM")].iloc[0]
    period = (landing.indicator_code == first.indicator_code) & (
        landing.period_label == first.period_label)
    victims = codes[period & codes.str.startswith("GM")].iloc[:40]
    return {**frames, "rivm_kansrijke_start__observations": landing.drop(victims.index)}, info


def _band(frames: dict, info: dict, kwargs: dict) -> tuple[dict, dict]:
    relation = re.search(r'relation == "(\w+)"', kwargs["row_condition"]).group(1)
    pooled = "is_pooled == True" in kwargs["row_condition"]
    frame = frames[relation]
    indicator = "indicator_id" if "indicator_id" in frame else "indicator_code"
    is_pooled = frame.period_label.str.contains(r"\d{4}\s*[-–]\s*\d{4}")
    first = frame[is_pooled == pooled].iloc[0]
    group = frame[(frame[indicator] == first[indicator])
                  & (frame.period_label == first.period_label)]
    if kwargs["min_value"] > 1:
        broken = frame.drop(group.index[kwargs["min_value"] - 1:])
    else:
        copies = kwargs["max_value"] // len(group) + 1
        broken = pd.concat([frame, *[group] * copies], ignore_index=True)
    return {**frames, relation: broken}, info


def _region_off(frames: dict, info: dict, kwargs: dict) -> tuple[dict, dict]:
    sums = validate.check_region_sums(frames)
    column = kwargs["column"].removesuffix("_difference")
    target = sums[sums[column].notna()].iloc[0]
    values = frames["indicator_values"]
    index = _first(values, (values.area_code == target.area_code)
                   & (values.indicator_id == target.indicator_id)
                   & (values.period_label == target.period_label))
    return {**frames, "indicator_values": _set(
        values, index, column, float(values.loc[index, column]) + 7)}, info


def _no_regions(frames: dict, info: dict, kwargs: dict) -> tuple[dict, dict]:
    values = frames["indicator_values"]
    return {**frames, "indicator_values": values[values.area_level == "gemeente"]}, info


def _classification_year(frames: dict, info: dict, kwargs: dict) -> tuple[dict, dict]:
    if kwargs.get("column") == "registry_year":
        renamed = frames["cbs_geboorten__observations"]
        return {**frames, "onbekende_bron__observations": renamed}, info
    landing = frames["cbs_geboorten__observations"].copy()
    landing["classification_year"] = landing["classification_year"] + 1  # newer than the registry
    return {**frames, "cbs_geboorten__observations": landing}, info


def _live_mode(frames: dict, info: dict, kwargs: dict) -> tuple[dict, dict]:
    return frames, {**info, "mode": "live", "is_demo": False}


def _nothing(frames: dict, info: dict, kwargs: dict) -> tuple[dict, dict]:
    return {}, info


def _catalogue(frames: dict, info: dict, kwargs: dict) -> tuple[dict, dict]:
    values = frames["indicator_values"]
    big2 = values.indicator_id == "big2"
    if kwargs.get("column") == "problem":
        return {**frames, "indicator_values": _set(values, values.index[big2], "unit", "‰")}, info
    return {**frames, "indicator_values": values[~big2]}, info


CHECK_MUTATIONS: dict[tuple[str, str], Callable] = {
    ("check__area_codes", "expect_column_values_to_be_null"): _unknown_code,
    ("check__area_codes", "expect_table_row_count_to_be_between"): _no_code_tables,
    ("check__gemeente_coverage", "expect_column_values_to_be_between"): _missing_gemeente,
    ("check__gemeente_coverage", "expect_table_row_count_to_be_between"): _nothing,
    ("check__period_rows", "expect_column_values_to_be_between"): _band,
    ("check__region_sums", "expect_column_values_to_be_between"): _region_off,
    ("check__region_sums", "expect_table_row_count_to_be_between"): _no_regions,
    ("check__classification_years", "expect_column_pair_values_a_to_be_greater_than_b"):
        _classification_year,
    ("check__classification_years", "expect_column_values_to_not_be_null"):
        _classification_year,
    ("check__demo_rows", "expect_column_pair_values_to_be_equal"): _live_mode,
    ("check__demo_rows", "expect_table_row_count_to_be_between"): _nothing,
    ("check__indicator_catalogue", "expect_column_values_to_be_null"): _catalogue,
    ("check__indicator_catalogue", "expect_column_values_to_be_between"): _catalogue,
}


def violate(name: str, expectation: dict, frames: dict, info: dict) -> tuple[dict, dict]:
    """Frames and build info that break ``expectation`` of suite ``name``."""
    if validate.relation_kind(name) == "check":
        mutation = CHECK_MUTATIONS[(name, expectation["type"])]
        return mutation(frames, info, expectation["kwargs"])
    return {**frames, name: mutate_frame(frames[name], expectation)}, info


@pytest.mark.parametrize(
    ("name", "index", "expectation"),
    BLOCKING,
    ids=[f"{n}-{i + 1}-{e['type'].removeprefix('expect_')}" for n, i, e in BLOCKING],
)
def test_each_blocking_expectation_fails_on_data_that_violates_it(
    build: dict, name: str, index: int, expectation: dict
) -> None:
    frames, info = violate(name, expectation, build["frames"], build["info"])
    single = {name: {**SUITES[name], "expectations": [expectation]}}
    report = validate.validate_frames(frames, single, info)
    assert not report.success
    outcome = report.blocking_failures[0]
    assert (outcome.suite, outcome.expectation) == (name, expectation["type"])
    assert outcome.kwargs == expectation["kwargs"] and not outcome.error
    line = report.first_failure_line()
    assert line.startswith(f"validation failed: {name}: {expectation['type']}(")
    if outcome.unexpected_count is not None:  # column expectations name the offending rows
        assert outcome.failing_rows, line
        assert ROW_NAMES.search(line), line


# --------------------------------------------------------------------------------------------
# the command and the report


def test_validate_command_prints_one_screen_and_leaves_the_published_build_alone(
    demo_build: Path,
) -> None:
    published = (demo_build / "processed").resolve()
    before = sha_tree(published)
    result = run_cli("validate", data_dir=demo_build)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) <= 40
    assert re.match(r"build \S+ \(demo\): (\d+)/\1 expectations passed in [\d.]+ s", lines[0])
    assert all(any(f"] {name} " in line for line in lines) for name in SUITES)
    report_path = demo_build / "validation" / "index.html"
    assert lines[-1] == f"report: {report_path}" and report_path.exists()
    assert sha_tree(published) == before


def test_validate_command_fails_on_a_failing_build(demo_build: Path, tmp_path: Path) -> None:
    strict = tmp_path / "expectations"
    strict.mkdir()
    suite = json.loads(json.dumps(SUITES["indicators"]))
    suite["expectations"].append({
        "type": "expect_column_values_to_be_in_set",
        "kwargs": {"column": "unit", "value_set": ["%"]}, "meta": {"severity": "blocking"},
    })
    (strict / "indicators.json").write_text(json.dumps(suite))
    out = tmp_path / "out"
    result = run_cli("validate", "--out", str(out), data_dir=demo_build,
                     env={"KANSRIJK_EXPECTATIONS_DIR": str(strict)})
    assert result.returncode == 1
    assert "[FAIL] indicators" in result.stdout
    assert "blocking: indicators: expect_column_values_to_be_in_set" in result.stdout
    assert "indicator_id=" in result.stdout
    results = json.loads((out / "results.json").read_text())
    assert not results["success"]



def test_published_report_renders_in_headless_chromium(demo_build: Path, tmp_path: Path) -> None:
    page = demo_build / "processed" / "validation" / "index.html"
    html = page.read_text(encoding="utf-8")
    assert "<script" not in html and "src=" not in html and "@import" not in html
    assert "Validatierapport Kansrijk Monitor" in html and "DEMO — synthetische cijfers" in html
    png = tmp_path / "validatie.png"
    shot = chromium(page.as_uri(), f"--screenshot={png}", "--window-size=1280,2000",
                    profile=tmp_path / "profile")
    assert shot.returncode == 0, shot.stderr[-2000:]
    assert png.exists() and png.stat().st_size > 10_000
    dom = chromium(page.as_uri(), "--dump-dom", profile=tmp_path / "profile")
    assert dom.returncode == 0
    text = re.sub(r"<[^>]+>", " ", dom.stdout)
    assert "Geslaagd:" in text and "Gecontroleerde snapshots" in text
    assert all(name in text for name in SUITES)
