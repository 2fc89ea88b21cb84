"""Atomic publish: a failed, crashed or killed refresh leaves the published outputs untouched.

Each test works on its own copy of the demo data dir (published build, raw snapshots, landing
cache), so the shared ``demo_build`` stays as it is.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.conftest import EXPORT_ARGS, REPO, run_cli

pytestmark = pytest.mark.slow


@pytest.fixture
def data_dir(demo_build: Path, tmp_path: Path) -> Path:
    """A private copy of the demo data dir (the ``processed`` link stays relative)."""
    copy = tmp_path / "data"
    shutil.copytree(demo_build, copy, symlinks=True)
    return copy


def published_tree(data_dir: Path) -> tuple[Path, dict[str, str]]:
    """The published build folder and the sha256 of every file in it."""
    folder = (data_dir / "processed").resolve()
    digests = {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }
    assert "marts/indicator_values.parquet" in digests and "warehouse.duckdb" in digests
    return folder, digests


def lock_is_free(data_dir: Path) -> bool:
    with (data_dir / ".kansrijk.lock").open("a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        fcntl.flock(handle, fcntl.LOCK_UN)
        return True


def leftovers(data_dir: Path) -> list[str]:
    return sorted(p.name for p in (data_dir / ".builds").glob("*.partial")) + sorted(
        p.name for p in data_dir.glob(".processed.tmp-*")
    )


def refresh_succeeds(data_dir: Path, before: Path) -> None:
    """A following refresh publishes a new build and leaves nothing behind."""
    result = run_cli("refresh", "--force", "--no-notebooks", *EXPORT_ARGS, data_dir=data_dir)
    assert result.returncode == 0, result.stderr[-3000:]
    assert (data_dir / "processed").resolve() != before
    assert json.loads((data_dir / "processed" / "validation" / "results.json").read_text())[
        "success"
    ]
    assert not leftovers(data_dir) and lock_is_free(data_dir)


# --------------------------------------------------------------------------------------------
# interrupted refreshes


def wait_for(data_dir: Path, stage: str, process: subprocess.Popen, timeout: float) -> Path:
    """The ``.partial`` build folder once it reaches ``stage`` (a path inside it, or '')."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, "the refresh ended before it could be interrupted"
        for partial in (data_dir / ".builds").glob("*.partial"):
            if not stage or (partial / stage).exists():
                return partial
        time.sleep(0.05)
    raise AssertionError(f"no .partial build reached {stage!r} within {timeout} s")


@pytest.mark.parametrize(
    ("signum", "stage", "expected_code"),
    [
        (signal.SIGINT, "", 130),  # as soon as the staging folder exists
        (signal.SIGTERM, "warehouse.duckdb", 130),  # while DuckDB builds the models
        (signal.SIGKILL, "marts/_marts.json", -signal.SIGKILL),  # while validating
    ],
    ids=["SIGINT", "SIGTERM", "SIGKILL"],
)
def test_interrupted_refresh_leaves_published_outputs_byte_identical(
    data_dir: Path, signum: int, stage: str, expected_code: int
) -> None:
    folder, before = published_tree(data_dir)
    env = {**os.environ, "KANSRIJK_DATA_DIR": str(data_dir)}
    process = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "refresh", "--force", "--no-notebooks"],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        partial = wait_for(data_dir, stage, process, timeout=600)
        process.send_signal(signum)
        _, stderr = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == expected_code, stderr[-3000:]
    assert (data_dir / "processed").resolve() == folder
    assert published_tree(data_dir)[1] == before
    if signum == signal.SIGKILL:
        assert partial.exists()  # killed outright: the next refresh clears it
    else:
        assert "interrupted; the published build is unchanged" in stderr
        assert not leftovers(data_dir)
        assert not list((data_dir / ".builds").glob("*.failed"))
    assert lock_is_free(data_dir)
    refresh_succeeds(data_dir, folder)


# --------------------------------------------------------------------------------------------
# refreshes that fail a blocking expectation


def landing_cache(data_dir: Path, source_id: str) -> Path:
    """The cached landing Parquet of a source's active snapshot."""
    (path,) = (data_dir / "landing" / source_id).glob("*/observations.parquet")
    return path


def replace_parquet(path: Path, frame: pd.DataFrame) -> None:
    """Write a new file and rename it over ``path`` (published hard links keep the old bytes)."""
    schema = pq.read_schema(path)
    tmp = path.with_suffix(".tmp")
    pq.write_table(pa.Table.from_pandas(frame, schema=schema, preserve_index=False), tmp)
    os.replace(tmp, path)


def assert_failed_and_unchanged(
    result: subprocess.CompletedProcess, data_dir: Path, folder: Path, before: dict
) -> tuple[str, Path]:
    assert result.returncode == 1
    line = result.stderr.strip().splitlines()[-1]
    assert line.startswith("error: validation failed: ")
    assert (data_dir / "processed").resolve() == folder
    assert published_tree(data_dir)[1] == before
    assert not leftovers(data_dir) and lock_is_free(data_dir)
    report = Path(line.split("report: ")[1].rstrip(")"))
    assert report.exists() and report.parent.parent.name.endswith(".failed")
    return line, report


def test_suppressed_cells_read_as_zero_block_the_publish(data_dir: Path) -> None:
    """A landing file whose '<10' cells carry 0 (an ingest bug) fails and names the rows."""
    folder, before = published_tree(data_dir)
    path = landing_cache(data_dir, "rivm_kansrijke_start")
    frame = pd.read_parquet(path)
    suppressed = frame.marker.notna()
    assert suppressed.sum() > 100
    frame.loc[suppressed, ["numerator", "non_events"]] = 0.0
    replace_parquet(path, frame)
    result = run_cli("refresh", "--force", "--no-notebooks", data_dir=data_dir)
    line, report = assert_failed_and_unchanged(result, data_dir, folder, before)
    assert "rivm_kansrijke_start__observations: expect_column_values_to_be_null(" in line
    assert "row_condition=marker.notna()" in line
    assert f"{int(suppressed.sum())} row(s)" in line
    first = frame[suppressed].iloc[0]
    assert f"area_code={first.area_code}, indicator_code={first.indicator_code}" in line
    page = report.read_text(encoding="utf-8")
    assert "Mislukt:" in page and "rivm_kansrijke_start__observations" in page
    assert "een onderdrukte cel (&#x27;&lt;10&#x27;) heeft geen aantal" in page
    results = json.loads((report.parent / "results.json").read_text())
    assert not results["success"]


def test_a_source_on_an_unexpected_classification_blocks_the_publish(
    data_dir: Path, tmp_path: Path
) -> None:
    """Without the (dated) loosening for gem2022, RIVM's debts file fails the landing suite."""
    folder, before = published_tree(data_dir)
    strict = tmp_path / "expectations"
    shutil.copytree(REPO / "expectations", strict)
    suite_path = strict / "rivm_kansrijke_start__observations.json"
    suite = json.loads(suite_path.read_text(encoding="utf-8"))
    (years,) = [e for e in suite["expectations"]
                if e["kwargs"].get("column") == "classification_year"
                and e["type"] == "expect_column_values_to_be_in_set"]
    years["kwargs"]["value_set"] = [2023]
    suite_path.write_text(json.dumps(suite), encoding="utf-8")
    result = run_cli(
        "refresh", "--force", "--no-notebooks", data_dir=data_dir,
        env={"KANSRIJK_EXPECTATIONS_DIR": str(strict)},
    )
    line, _ = assert_failed_and_unchanged(result, data_dir, folder, before)
    assert "expect_column_values_to_be_in_set(column=classification_year" in line
    assert "indicator_code=problematische_schulden_ouders" in line


def test_a_truncated_source_file_blocks_the_publish(data_dir: Path) -> None:
    """40 gemeenten missing from one RIVM period: the coverage check fails and names them."""
    folder, before = published_tree(data_dir)
    path = landing_cache(data_dir, "rivm_kansrijke_start")
    frame = pd.read_parquet(path)
    period = (frame.indicator_code == "roken_vrouwen_19_45") & (frame.period_label == "2020")
    gemeenten = frame.index[period & (frame.area_code != "NL01")]
    replace_parquet(path, frame.drop(gemeenten[:40]))
    result = run_cli("refresh", "--force", "--no-notebooks", data_dir=data_dir)
    line, report = assert_failed_and_unchanged(result, data_dir, folder, before)
    assert "check__gemeente_coverage: expect_column_values_to_be_between(" in line
    assert "(column=missing_pct, min_value=0, max_value=5" in line
    assert ("relation=rivm_kansrijke_start__observations, indicator=roken_vrouwen_19_45, "
            "period_label=2020") in line
    results = json.loads((report.parent / "results.json").read_text())
    (coverage,) = [o for o in results["outcomes"] if o["suite"] == "check__gemeente_coverage"
                   and not o["success"] and o["severity"] == "blocking"]
    assert coverage["failing_rows"][0]["n_missing"] == 40
