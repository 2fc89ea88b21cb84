"""Great Expectations validation of a staged build. The only module that imports GX.

Suites are hand-written JSON in ``expectations/<relation>.json`` (suite name = relation name).
Each expectation's ``meta.severity`` is ``blocking`` (a failure stops the publish) or ``warning``.
Relations are read as pandas frames from the build's Parquet (GX cannot validate DuckDB through
its SQL datasource) and validated in an ephemeral context.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd

from pipeline.config import EXPECTATIONS_DIR

log = logging.getLogger(__name__)
SEVERITIES = ("blocking", "warning")


@dataclass
class ExpectationOutcome:
    """One expectation's result, in plain terms."""

    suite: str
    expectation: str
    kwargs: dict
    severity: str
    success: bool
    observed: str
    unexpected_count: int | None
    failing_rows: list[dict] = field(default_factory=list)
    notes: str = ""


@dataclass
class ValidationReport:
    """All outcomes of a validation run."""

    outcomes: list[ExpectationOutcome]
    snapshot_ids: list[str] = field(default_factory=list)

    @property
    def blocking_failures(self) -> list[ExpectationOutcome]:
        return [o for o in self.outcomes if not o.success and o.severity == "blocking"]

    @property
    def warnings(self) -> list[ExpectationOutcome]:
        return [o for o in self.outcomes if not o.success and o.severity == "warning"]

    @property
    def success(self) -> bool:
        return not self.blocking_failures

    def first_failure_line(self) -> str:
        """One line naming the first blocking failure and its offending rows."""
        failure = self.blocking_failures[0]
        rows = "; ".join(_row_label(r) for r in failure.failing_rows[:3])
        more = len(self.blocking_failures) - 1
        return (
            f"validation failed: {failure.suite}: {failure.expectation}"
            f"({_kwargs_label(failure.kwargs)}) — {failure.unexpected_count or 0} row(s)"
            f"{': ' + rows if rows else ''}{f' (+{more} more failing)' if more else ''}"
        )


def _kwargs_label(kwargs: dict) -> str:
    return ", ".join(f"{k}={v}" for k, v in kwargs.items() if k not in ("result_format",))


def _row_label(row: dict) -> str:
    keys = ("area_code", "indicator_id", "period_label", "period_start_year")
    picked = [f"{k}={row[k]}" for k in keys if k in row and row[k] is not None]
    return ", ".join(picked) or json.dumps(row, default=str)[:120]


def load_suites(expectations_dir: Path = EXPECTATIONS_DIR) -> dict[str, dict]:
    """Suite JSON by relation name; checks the name and every severity."""
    suites = {}
    for path in sorted(expectations_dir.glob("*.json")):
        suite = json.loads(path.read_text(encoding="utf-8"))
        if suite.get("name") != path.stem:
            raise ValueError(
                f"{path.name}: suite name {suite.get('name')!r} must equal the "
                f"relation name {path.stem!r}"
            )
        for number, expectation in enumerate(suite["expectations"], start=1):
            severity = expectation.get("meta", {}).get("severity")
            if severity not in SEVERITIES:
                raise ValueError(
                    f"{path.name} expectation {number}: meta.severity must be one "
                    f"of {', '.join(SEVERITIES)}, got {severity!r}"
                )
        suites[path.stem] = suite
    return suites


def relation_frames(build_dir: Path, names: list[str]) -> dict[str, pd.DataFrame]:
    """Frames for the relations that have suites: marts and landing tables of a build."""
    frames = {}
    for name in names:
        for candidate in (
            build_dir / "marts" / f"{name}.parquet",
            build_dir / "landing" / f"{name}.parquet",
        ):
            if candidate.exists():
                frames[name] = pd.read_parquet(candidate)
                break
    return frames


def _failing_rows(frame: pd.DataFrame, result: dict, limit: int = 20) -> list[dict]:
    index = result.get("unexpected_index_list") or []
    if index and isinstance(index[0], dict):
        return [{k: _plain(v) for k, v in row.items()} for row in index[:limit]]
    if index:
        rows = frame.loc[[i for i in index[:limit] if i in frame.index]]
        return [{k: _plain(v) for k, v in row.items()} for row in rows.to_dict("records")]
    return []


def _plain(value: object) -> object:
    if isinstance(value, float) and value != value:
        return None
    return value.item() if hasattr(value, "item") else value


def validate_frames(frames: dict[str, pd.DataFrame], suites: dict[str, dict]) -> ValidationReport:
    """Run each suite on its frame; a suite whose relation is absent fails as blocking."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    for name in ("great_expectations", "great_expectations.data_context.types.base"):
        logging.getLogger(name).setLevel(logging.WARNING)
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    datasource = context.data_sources.add_pandas(name="kansrijk")
    outcomes: list[ExpectationOutcome] = []
    for name, suite_json in suites.items():
        if name not in frames:
            outcomes.append(
                ExpectationOutcome(
                    name, "relation_exists", {}, "blocking", False, "relation not built", None
                )
            )
            continue
        frame = frames[name].reset_index(drop=True)
        batch = (
            datasource.add_dataframe_asset(name=name)
            .add_batch_definition_whole_dataframe("whole")
            .get_batch(batch_parameters={"dataframe": frame})
        )
        for raw in suite_json["expectations"]:
            outcomes.append(_run_one(gx, batch, frame, name, raw))
    return ValidationReport(outcomes)


def _run_one(gx, batch, frame: pd.DataFrame, suite: str, raw: dict) -> ExpectationOutcome:  # noqa: ANN001
    from great_expectations.expectations.expectation_configuration import (
        ExpectationConfiguration,
    )

    try:
        config = ExpectationConfiguration(type=raw["type"], kwargs=raw["kwargs"]).to_domain_obj()
    except Exception as exc:  # noqa: BLE001 - GX raises several types for a bad config
        raise ValueError(f"{suite}.json: expectation {raw['type']!r} cannot be built: "
                         f"{str(exc).splitlines()[0]}") from exc
    result = batch.validate(
        config, result_format={"result_format": "COMPLETE", "unexpected_index_column_names": None}
    )
    body = result.result or {}
    meta = raw.get("meta", {})
    observed = body.get("observed_value")
    if observed is None and "unexpected_count" in body:
        observed = f"{body['unexpected_count']} unexpected of {body.get('element_count')}"
    if result.exception_info and result.exception_info.get("raised_exception"):
        observed = f"error: {result.exception_info.get('exception_message')}"
    return ExpectationOutcome(
        suite=suite,
        expectation=raw["type"],
        kwargs=raw["kwargs"],
        severity=meta["severity"],
        success=bool(result.success),
        observed=str(observed)[:500],
        unexpected_count=body.get("unexpected_count"),
        failing_rows=[] if result.success else _failing_rows(frame, body),
        notes=meta.get("notes", ""),
    )


def validate_build(build_dir: Path) -> ValidationReport:
    """Validate a staged build and write ``validation/results.json`` into it."""
    suites = load_suites()
    frames = relation_frames(build_dir, list(suites))
    report = validate_frames(frames, suites)
    if "indicator_values" in frames:
        ids = frames["indicator_values"]["snapshot_ids"].dropna().str.split(",").explode()
        report.snapshot_ids = sorted(set(ids))
    out = build_dir / "validation"
    out.mkdir(parents=True, exist_ok=True)
    payload = {
        "success": report.success,
        "snapshot_ids": report.snapshot_ids,
        "outcomes": [asdict(o) for o in report.outcomes],
    }
    (out / "results.json").write_text(json.dumps(payload, indent=1, default=str))
    return report
