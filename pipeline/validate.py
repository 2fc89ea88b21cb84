"""Great Expectations validation of a staged build. The only module that imports GX.

Suites are hand-written JSON in ``expectations/<relation>.json`` (suite name = relation name).
Each expectation's ``meta.severity`` is ``blocking`` (a failure stops the publish) or ``warning``;
every loosened threshold carries a dated ``meta.notes``. Relations are read as pandas frames from
the build's Parquet (GX cannot validate DuckDB through its SQL datasource) and validated in an
ephemeral context, one suite at a time.

Three kinds of relation are validated:

* landing tables ``<source_id>__<entity>`` (``<build>/landing/*.parquet``, source-conformed);
* marts (``<build>/marts/*.parquet``);
* *check relations* ``check__<what>``, computed here in pandas for rules GX has no built-in
  expectation for (reference membership per classification year, every gemeente present, region
  = sum of members, rows per period, classification year vs the registry, demo rows vs the
  mode, mart vs catalogue). Each is a small table with one row per checked unit (a code, a
  period, a region value), so a standard column expectation names the offending units.

Results go to ``<build>/validation/results.json`` and a readable page (``index.html``, written
by :mod:`pipeline.report`).
"""

from __future__ import annotations

import json
import logging
import re
import time
import warnings
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import pandas as pd

from pipeline import geography, registry
from pipeline.config import CURRENT_CLASSIFICATION_YEAR, EXPECTATIONS_DIR, REFERENCE_DIR

log = logging.getLogger(__name__)
SEVERITIES = ("blocking", "warning")
CHECK_PREFIX = "check__"
FAILING_ROWS_LIMIT = 20
REORGANISATIONS_CSV = REFERENCE_DIR / "gemeente_herindelingen_2021_2023.csv"
AREA_PATTERNS = {
    "gemeente": re.compile(r"^GM\d{4}$"),
    "ggd_regio": re.compile(r"^GG\d{4}$"),
    "provincie": re.compile(r"^PV\d{2}$"),
    "land": re.compile(r"^NL01$"),
    "regio": re.compile(r"^RG\d{2,4}$"),
}
# columns of a mart that hold area codes of the current (2025) classification
MART_CODE_COLUMNS = (
    "area_code",
    "gemeente_code",
    "ggd_regio_code",
    "provincie_code",
    "land_code",
    "benchmark_code",
)
# columns of a landing table without the observations contract that hold area codes
LANDING_CODE_COLUMNS = ("gemeente_code", "ggd_code", "provincie_code")
# marts that must hold every current gemeente for each indicator and period
COVERAGE_MARTS = ("indicator_values", "indicator_comparisons")
ROW_LABEL_KEYS = (
    "relation",
    "area_code",
    "gemeente_code",
    "indicator_id",
    "indicator_code",
    "indicator",
    "period_label",
    "classification_year",
    "source_id",
    "source_row",
)
KIND_ORDER = {"landing": 0, "mart": 1, "check": 2}


# --------------------------------------------------------------------------------------------
# results


@dataclass
class ExpectationOutcome:
    """One expectation's result, in plain terms (no GX objects)."""

    suite: str
    expectation: str
    kwargs: dict
    severity: str
    success: bool
    observed: str | None
    unexpected_count: int | None
    failing_rows: list[dict] = field(default_factory=list)
    notes: str = ""
    index: int = 0
    element_count: int | None = None
    unexpected_values: list[list] = field(default_factory=list)
    missing_values: list = field(default_factory=list)
    description: str = ""
    error: str = ""


@dataclass
class ValidationReport:
    """All outcomes of a validation run, with what was validated."""

    outcomes: list[ExpectationOutcome]
    snapshot_ids: list[str] = field(default_factory=list)
    build_info: dict = field(default_factory=dict)
    relation_rows: dict[str, int] = field(default_factory=dict)
    suite_descriptions: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0

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
        rows = "; ".join(row_label(r) for r in failure.failing_rows[:3])
        more = len(self.blocking_failures) - 1
        what = failure.error or f"{failure.unexpected_count or 0} row(s)"
        return (
            f"validation failed: {failure.suite}: {failure.expectation}"
            f"({kwargs_label(failure.kwargs)}) — {what}"
            f"{': ' + rows if rows else ''}{f' (+{more} more failing)' if more else ''}"
        )

    def payload(self) -> dict:
        """Everything as plain JSON-able data (``results.json``, the HTML report)."""
        info = self.build_info
        return {
            "success": self.success,
            "validated_at": datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
            "seconds": round(self.seconds, 2),
            "build_id": info.get("build_id"),
            "mode": info.get("mode"),
            "is_demo": info.get("is_demo"),
            "snapshots": info.get("snapshots") or {},
            "snapshot_ids": self.snapshot_ids,
            "relation_rows": self.relation_rows,
            "suite_descriptions": self.suite_descriptions,
            "outcomes": [asdict(o) for o in self.outcomes],
        }


def kwargs_label(kwargs: dict) -> str:
    """``column=value, min_value=0`` (without GX plumbing such as result_format)."""
    skip = ("result_format", "condition_parser")
    return ", ".join(f"{k}={v}" for k, v in kwargs.items() if k not in skip)


def row_label(row: dict) -> str:
    """The keys of a failing row that say which area, indicator and period it is."""
    picked = [f"{k}={row[k]}" for k in ROW_LABEL_KEYS if k in row][:4]
    return ", ".join(picked) or json.dumps(row, default=str)[:120]


def relation_kind(name: str) -> str:
    """``check``, ``landing`` (``<source_id>__<entity>``) or ``mart``."""
    if name.startswith(CHECK_PREFIX):
        return "check"
    return "landing" if "__" in name else "mart"


# --------------------------------------------------------------------------------------------
# suites and frames


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


def relation_frames(build_dir: Path, names: list[str] | None = None) -> dict[str, pd.DataFrame]:
    """Frames of a build's marts and landing tables (all of them, or only ``names``)."""
    paths = {p.stem: p for p in sorted((build_dir / "landing").glob("*.parquet"))}
    paths |= {p.stem: p for p in sorted((build_dir / "marts").glob("*.parquet"))}
    wanted = paths if names is None else [n for n in names if n in paths]
    return {name: pd.read_parquet(paths[name]) for name in wanted}


def read_build_info(build_dir: Path) -> dict:
    """``_build.json`` of a build (mode, snapshots); empty when absent."""
    path = build_dir / "_build.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


# --------------------------------------------------------------------------------------------
# reference geography per classification year


@cache
def _dissolved_mid_year(year: int) -> frozenset[str]:
    """Gemeenten dissolved during ``year`` (not on 1 January), e.g. Weesp on 24-03-2022."""
    frame = pd.read_csv(REORGANISATIONS_CSV, dtype=str)
    dates = frame["opmerking"].str.extract(r"per (\d{2})-(\d{2})-(\d{4})")
    mid_year = (dates[2] == str(year)) & ((dates[0] != "01") | (dates[1] != "01"))
    return frozenset(frame.loc[mid_year, "gemeente_code_oud"])


@cache
def gemeenten_in_force(year: int) -> frozenset[str]:
    """Gemeente codes of the classification of 1 January ``year`` (CBS code history).

    The code history books a gemeente dissolved during a year as last used the year before;
    on 1 January of that year it still existed (Weesp is in RIVM's gem2022 files), so the
    mid-year reorganisations are added back. Codes still in use in the history's latest year
    are taken to be in force after it, until the reference files are updated.
    """
    history = geography.code_history()
    latest = int(history["laatste_jaar_als_code"].max())
    last = history["laatste_jaar_als_code"].where(history["laatste_jaar_als_code"] < latest, 9999)
    in_force = history.loc[(history["eerste_jaar_in_bron"] <= year) & (last >= year)]
    return frozenset(in_force["gemeente_code"]) | _dissolved_mid_year(year)


@cache
def current_region_codes() -> dict[str, frozenset[str]]:
    """GGD-regio, provincie, land and custom region codes of the current classification."""
    gemeenten = geography.gemeenten()
    return {
        "ggd_regio": frozenset(gemeenten["ggd_code"]),
        "provincie": frozenset(gemeenten["provincie_code"]),
        "land": frozenset({"NL01"}),
        "regio": frozenset(geography.custom_region_members()["region_code"]),
    }


def standard_area_code(code: str) -> str:
    """A published code as the staging models standardise it (``std_area_code`` in macros.sql).

    ``'363'``, ``'0363'`` and ``'gm363'`` become ``'GM0363'``; other codes are upper-cased.
    """
    text = code.strip()
    if re.fullmatch(r"\d{1,4}", text):
        return "GM" + text.zfill(4)
    if re.fullmatch(r"GM\d{1,4}", text.upper()):
        return "GM" + text[2:].zfill(4)
    return text.upper()


def area_level_of(code: str) -> str | None:
    """The area level a standardised code's pattern belongs to, or None."""
    return next((level for level, p in AREA_PATTERNS.items() if p.match(code)), None)


def code_problem(code: str, year: int, in_source: bool) -> str | None:
    """Why a standardised area code does not belong to the classification of ``year`` (Dutch)."""
    level = area_level_of(code)
    if level is None:
        return "code past in geen bekend patroon (GMxxxx, GGxxxx, PVxx, NL01, RGxx)"
    if level == "gemeente":
        if code in gemeenten_in_force(year):
            return None
        return f"geen gemeente in de indeling van 1 januari {year}"
    if level == "regio" and in_source:
        return "een eigen regio (RG) hoort niet in een brontabel"
    if code in current_region_codes()[level]:
        return None
    where = (
        "config/regions.yml" if level == "regio" else f"de indeling {CURRENT_CLASSIFICATION_YEAR}"
    )
    return f"onbekende {level.replace('_', '-')}-code in {where}"


# --------------------------------------------------------------------------------------------
# check relations (pure: frames in, a new small frame out)


def _is_observations(frame: pd.DataFrame) -> bool:
    return {"area_code", "classification_year", "indicator_code", "period_label"} <= set(
        frame.columns
    )


def _registry_year(source_id: str) -> int:
    spec = registry.load().get(source_id)
    return int(spec.classification_year) if spec else CURRENT_CLASSIFICATION_YEAR


def _code_rows(name: str, frame: pd.DataFrame) -> list[pd.DataFrame]:
    """Distinct (column, published code, classification year) of one relation."""
    if relation_kind(name) == "landing" and _is_observations(frame):
        pairs = [("area_code", frame[["area_code", "classification_year"]])]
    elif relation_kind(name) == "landing":
        year = _registry_year(name.split("__")[0])
        years = frame["classification_year"] if "classification_year" in frame else year
        pairs = [
            (c, frame[[c]].assign(classification_year=years))
            for c in LANDING_CODE_COLUMNS
            if c in frame.columns
        ]
    elif relation_kind(name) == "mart":
        year = CURRENT_CLASSIFICATION_YEAR
        pairs = [
            (c, frame[[c]].assign(classification_year=year))
            for c in MART_CODE_COLUMNS
            if c in frame.columns
        ]
    else:
        pairs = []
    parts = []
    for column, sub in pairs:
        counts = (
            sub.dropna()
            .groupby([column, "classification_year"], as_index=False)
            .size()
            .rename(columns={column: "published_code", "size": "rows"})
        )
        parts.append(counts.assign(relation=name, column=column))
    return parts


def check_area_codes(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per relation × code column × code × classification year, with its problem.

    Landing codes are checked against the classification year they were published in (code
    history, 1 January); mart codes against the current classification and config/regions.yml.
    """
    parts = [p for name, frame in frames.items() for p in _code_rows(name, frame)]
    columns = ["relation", "column", "published_code", "area_code", "classification_year",
               "rows", "problem"]
    if not parts:
        return pd.DataFrame(columns=columns)
    codes = pd.concat(parts, ignore_index=True)
    codes["published_code"] = codes["published_code"].astype(str)
    codes["area_code"] = codes["published_code"].map(standard_area_code)
    codes["classification_year"] = codes["classification_year"].astype(int)
    codes["problem"] = [
        code_problem(code, year, relation_kind(rel) == "landing")
        for code, year, rel in zip(
            codes["area_code"], codes["classification_year"], codes["relation"], strict=True
        )
    ]
    return codes[columns]


def _coverage_row(relation: str, key: dict, expected: frozenset[str], present: set) -> dict:
    missing = sorted(expected - present)
    return {
        "relation": relation,
        "indicator": key.get("indicator"),
        "classification_year": key.get("classification_year"),
        "period_label": key.get("period_label"),
        "n_expected": len(expected),
        "n_present": len(expected & present),
        "n_missing": len(missing),
        "missing_pct": round(100 * len(missing) / len(expected), 2) if expected else 0.0,
        "missing_codes": ", ".join(missing[:10]) + (" …" if len(missing) > 10 else ""),
    }


def _landing_coverage(name: str, frame: pd.DataFrame) -> list[dict]:
    """Per indicator, classification year and period: gemeenten of that year present.

    Single-year periods are checked; pooled periods only for indicators published solely over
    pooled periods (Perined pools years for small gemeenten next to complete single years).
    """
    gm = frame.assign(code=frame["area_code"].map(standard_area_code))
    gm = gm[gm["code"].str.startswith("GM")]
    gm = gm.assign(single=~gm["period_label"].str.contains(r"\d{4}\s*[-–]\s*\d{4}", regex=True))
    rows = []
    for (indicator, year), group in gm.groupby(["indicator_code", "classification_year"]):
        periods = group[group["single"]] if group["single"].any() else group
        for period, sub in periods.groupby("period_label"):
            key = {"indicator": indicator, "classification_year": int(year),
                   "period_label": period}
            rows.append(_coverage_row(name, key, gemeenten_in_force(int(year)), set(sub["code"])))
    return rows


def _mart_coverage(name: str, frame: pd.DataFrame) -> list[dict]:
    """Per indicator and period of a mart: the current gemeenten present.

    Counted, and listed only when some are missing, to stay fast on marts of 200,000 rows.
    """
    expected = gemeenten_in_force(CURRENT_CLASSIFICATION_YEAR)
    year = CURRENT_CLASSIFICATION_YEAR
    keys = ["indicator_id", "period_label"]
    gm = frame.loc[frame["area_level"] == "gemeente", [*keys, "area_code"]]
    gm = gm[gm["area_code"].isin(expected)]
    present = gm.groupby(keys)["area_code"].nunique()
    periods = frame[keys].drop_duplicates().itertuples(index=False)
    rows = []
    for indicator, period in periods:
        key = {"indicator": indicator, "classification_year": year, "period_label": period}
        if present.get((indicator, period), 0) == len(expected):
            rows.append(_coverage_row(name, key, expected, set(expected)))
            continue
        codes = gm.loc[(gm["indicator_id"] == indicator) & (gm["period_label"] == period)]
        rows.append(_coverage_row(name, key, expected, set(codes["area_code"])))
    return rows


def _geography_coverage(frames: dict[str, pd.DataFrame]) -> list[dict]:
    expected = gemeenten_in_force(CURRENT_CLASSIFICATION_YEAR)
    year = CURRENT_CLASSIFICATION_YEAR
    rows = []
    if "areas" in frames:
        areas = frames["areas"]
        present = set(areas.loc[areas["area_level"] == "gemeente", "area_code"])
        rows.append(_coverage_row("areas", {"classification_year": year}, expected, present))
    if "area_memberships" in frames:
        members = frames["area_memberships"]
        for level in ("ggd_regio", "provincie", "land"):
            present = set(members.loc[members["area_level"] == level, "gemeente_code"])
            key = {"indicator": level, "classification_year": year}
            rows.append(_coverage_row("area_memberships", key, expected, present))
    return rows


def check_gemeente_coverage(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per relation × indicator × period: how many gemeenten of the year are missing."""
    rows = _geography_coverage(frames)
    for name, frame in frames.items():
        if relation_kind(name) == "landing" and _is_observations(frame):
            rows += _landing_coverage(name, frame)
        elif relation_kind(name) == "landing" and {"gemeente_code", "classification_year"} <= set(
            frame
        ):  # a list of gemeenten (cbs_gebieden): all gemeenten of its classification
            rows += [
                _coverage_row(name, {"classification_year": int(year)},
                              gemeenten_in_force(int(year)), set(sub["gemeente_code"]))
                for year, sub in frame.groupby("classification_year")
            ]
        elif name in COVERAGE_MARTS:
            rows += _mart_coverage(name, frame)
    return pd.DataFrame(rows, columns=list(_coverage_row("", {}, frozenset(), set())))


def check_period_rows(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Rows per relation × indicator × period (bands are stored in the suite)."""
    parts = []
    for name, frame in frames.items():
        if relation_kind(name) == "landing" and _is_observations(frame):
            keys = ["indicator_code", "period_label"]
        elif relation_kind(name) == "mart" and {"indicator_id", "period_label"} <= set(frame):
            keys = ["indicator_id", "period_label"]
        else:
            continue
        counts = frame.groupby(keys, as_index=False).size()
        counts.columns = ["indicator", "period_label", "rows"]
        parts.append(counts.assign(relation=name))
    if not parts:
        return pd.DataFrame(columns=["relation", "indicator", "period_label", "is_pooled", "rows"])
    result = pd.concat(parts, ignore_index=True)
    result["is_pooled"] = result["period_label"].str.contains(r"\d{4}\s*[-–]\s*\d{4}", regex=True)
    return result[["relation", "indicator", "period_label", "is_pooled", "rows"]]


def check_region_sums(frames: dict[str, pd.DataFrame]) -> pd.DataFrame | None:
    """Region counts in indicator_values against the sums of their members' counts.

    Only regions computed by the pipeline (not totals delivered by the source) whose members are
    all published (status ok) can be checked: sums over suppressed members are not visible.
    """
    if not {"indicator_values", "area_memberships"} <= set(frames):
        return None
    values = frames["indicator_values"]
    keys = ["indicator_id", "period_start_year", "period_end_year"]
    gm = values.loc[values["area_level"] == "gemeente",
                    [*keys, "area_code", "numerator", "denominator", "status"]]
    gm = gm.rename(columns={"area_code": "gemeente_code"})
    members = frames["area_memberships"][["area_code", "gemeente_code"]]
    joined = members.merge(gm, on="gemeente_code").assign(ok=lambda f: f["status"] == "ok")
    grouped = joined.groupby(["area_code", *keys])
    sums = grouped.agg(
        n_members=("gemeente_code", "size"),
        n_numerators=("numerator", "count"),
        n_denominators=("denominator", "count"),
        member_numerator_sum=("numerator", "sum"),
        member_denominator_sum=("denominator", "sum"),
        all_members_ok=("ok", "all"),
    ).reset_index()
    # a sum over members with an unknown count is unknown
    sums["member_numerator_sum"] = sums["member_numerator_sum"].where(
        sums["n_numerators"] == sums["n_members"]
    )
    sums["member_denominator_sum"] = sums["member_denominator_sum"].where(
        sums["n_denominators"] == sums["n_members"]
    )
    regions = values[
        (values["area_level"] != "gemeente") & (values["status"] == "ok")
        & ~values["is_source_total"].astype(bool)
    ]
    checked = regions.merge(sums[sums["all_members_ok"]], on=["area_code", *keys])
    checked = checked.assign(
        numerator_difference=checked["numerator"] - checked["member_numerator_sum"],
        denominator_difference=checked["denominator"] - checked["member_denominator_sum"],
    )
    return checked[["indicator_id", "area_code", "area_level", "period_label", "n_members",
                    "numerator", "member_numerator_sum", "numerator_difference",
                    "denominator", "member_denominator_sum", "denominator_difference"]]


def check_classification_years(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Per landing table: its classification years against the registry's.

    The registry (``pipeline/sources.yml`` ``classification_year``) names the *current*
    classification of a source; a release may carry older ones too (RIVM files are written per
    indicator as gem2022, gem2023, ...). Rule: the latest classification in the landing table is
    the registry's; the allowed set is stored in each landing suite.
    """
    rows = []
    for name, frame in frames.items():
        if relation_kind(name) != "landing" or "classification_year" not in frame.columns:
            continue
        source_id = name.split("__")[0]
        spec = registry.load().get(source_id)
        years = sorted(int(y) for y in frame["classification_year"].dropna().unique())
        rows.append({
            "relation": name,
            "source_id": source_id,
            "registry_year": int(spec.classification_year) if spec else None,
            "landing_years": ", ".join(map(str, years)),
            "latest_landing_year": max(years) if years else None,
        })
    columns = ["relation", "source_id", "registry_year", "landing_years", "latest_landing_year"]
    return pd.DataFrame(rows, columns=columns).astype(
        {"registry_year": "Int64", "latest_landing_year": "Int64"}
    )


def check_demo_rows(frames: dict[str, pd.DataFrame], build_info: dict) -> pd.DataFrame | None:
    """Demo rows against the build's mode: per landing snapshot and per mart ``is_demo`` value.

    In live mode no row may come from a demo snapshot or carry ``is_demo``; in demo mode every
    row must be labelled as demo.
    """
    if "mode" not in build_info:
        return None
    build_is_demo = build_info["mode"] == "demo"
    snapshots = build_info.get("snapshots") or {}
    rows = []
    for name, frame in frames.items():
        if relation_kind(name) == "landing":
            snap = snapshots.get(name.split("__")[0]) or {}
            rows.append({"relation": name, "snapshot_id": snap.get("snapshot_id"),
                         "is_demo": snap.get("is_demo"), "rows": len(frame)})
        elif relation_kind(name) == "mart" and "is_demo" in frame.columns:
            counts = frame["is_demo"].value_counts(dropna=False)
            rows += [{"relation": name, "snapshot_id": None, "is_demo": value, "rows": int(n)}
                     for value, n in counts.items()]
    result = pd.DataFrame(rows, columns=["relation", "snapshot_id", "is_demo", "rows"])
    result["is_demo"] = result["is_demo"].astype("boolean")
    return result.assign(build_mode=build_info["mode"], build_is_demo=build_is_demo)


def check_indicator_catalogue(
    frames: dict[str, pd.DataFrame], build_info: dict
) -> pd.DataFrame | None:
    """Per indicator: catalogue unit and source against indicator_values, and its row count."""
    if not {"indicators", "indicator_values"} <= set(frames):
        return None
    catalogue = frames["indicators"].set_index("indicator_id")
    values = frames["indicator_values"]
    found = values.groupby("indicator_id").agg(
        rows=("area_code", "size"),
        value_units=("unit", lambda s: ", ".join(sorted(s.dropna().unique()))),
        value_sources=("source_id", lambda s: ", ".join(sorted(s.dropna().unique()))),
    )
    snapshots = build_info.get("snapshots") or {}
    rows = []
    for indicator_id in catalogue.index.union(found.index):
        entry = catalogue.loc[indicator_id] if indicator_id in catalogue.index else None
        seen = found.loc[indicator_id] if indicator_id in found.index else None
        source_id = entry["source_id"] if entry is not None else None
        rows.append({
            "indicator_id": indicator_id,
            "source_id": source_id,
            "unit": entry["unit"] if entry is not None else None,
            "rows": int(seen["rows"]) if seen is not None else 0,
            "value_units": seen["value_units"] if seen is not None else "",
            "value_sources": seen["value_sources"] if seen is not None else "",
            "source_has_snapshot": bool(snapshots.get(source_id)),
            "problem": _catalogue_problem(entry, seen),
        })
    return pd.DataFrame(rows).assign(build_is_demo=build_info.get("mode") == "demo")


def _catalogue_problem(entry: pd.Series | None, seen: pd.Series | None) -> str | None:
    if entry is None:
        return "indicator staat niet in de catalogus (pipeline/indicators.yml)"
    if seen is None:
        return None
    if seen["value_units"] != entry["unit"]:
        return f"eenheid {seen['value_units']!r} wijkt af van de catalogus ({entry['unit']!r})"
    if seen["value_sources"] != entry["source_id"]:
        return f"bron {seen['value_sources']!r} wijkt af van de catalogus ({entry['source_id']!r})"
    return None


CHECK_BUILDERS: dict[str, Callable[[dict[str, pd.DataFrame], dict], pd.DataFrame | None]] = {
    "check__area_codes": lambda frames, info: check_area_codes(frames),
    "check__gemeente_coverage": lambda frames, info: check_gemeente_coverage(frames),
    "check__period_rows": lambda frames, info: check_period_rows(frames),
    "check__region_sums": lambda frames, info: check_region_sums(frames),
    "check__classification_years": lambda frames, info: check_classification_years(frames),
    "check__demo_rows": check_demo_rows,
    "check__indicator_catalogue": check_indicator_catalogue,
}


def check_relations(
    frames: dict[str, pd.DataFrame], build_info: dict, names: list[str]
) -> dict[str, pd.DataFrame]:
    """The requested check relations that can be computed from ``frames``."""
    built = {}
    for name in names:
        builder = CHECK_BUILDERS.get(name)
        frame = builder(frames, build_info) if builder else None
        if frame is not None:
            built[name] = frame.reset_index(drop=True)
    return built


# --------------------------------------------------------------------------------------------
# running GX


@cache
def _gx_datasource():  # noqa: ANN202 - a GX object; GX stays private to this module
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    for name in ("great_expectations", "great_expectations.data_context.types.base"):
        logging.getLogger(name).setLevel(logging.WARNING)
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    return context.data_sources.add_pandas(name="kansrijk")


def _batch(frame: pd.DataFrame, name: str):  # noqa: ANN202
    datasource = _gx_datasource()
    try:
        asset = datasource.get_asset(name)
    except LookupError:
        asset = datasource.add_dataframe_asset(name=name)
    definitions = {d.name: d for d in asset.batch_definitions}
    definition = definitions.get("whole") or asset.add_batch_definition_whole_dataframe("whole")
    return definition.get_batch(batch_parameters={"dataframe": frame})


def _suite(name: str, items: list[tuple[int, dict]]):  # noqa: ANN202
    """A GX suite of the numbered expectations (the number is kept in ``meta.index``)."""
    import great_expectations as gx
    from great_expectations.expectations.expectation_configuration import (
        ExpectationConfiguration,
    )

    _gx_datasource()  # a suite needs an active context
    expectations = []
    for index, raw in items:
        try:
            config = ExpectationConfiguration(
                type=raw["type"], kwargs=raw["kwargs"], meta={"index": index}
            )
            expectations.append(config.to_domain_obj())
        except Exception as exc:  # noqa: BLE001 - GX raises several types for a bad config
            raise ValueError(
                f"{name}.json expectation {index + 1}: {raw.get('type')!r} cannot be built: "
                f"{str(exc).splitlines()[0]}"
            ) from exc
    return gx.ExpectationSuite(name=name, expectations=expectations)


def _plain(value: object) -> object:
    if value is None or (isinstance(value, float) and value != value):
        return None
    if value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value.item() if hasattr(value, "item") else value


def _failing_rows(frame: pd.DataFrame, body: dict) -> list[dict]:
    index = body.get("unexpected_index_list") or []
    if index and isinstance(index[0], dict):
        return [{k: _plain(v) for k, v in row.items()} for row in index[:FAILING_ROWS_LIMIT]]
    picked = [i for i in index[:FAILING_ROWS_LIMIT] if i in frame.index]
    rows = frame.loc[picked].to_dict("records") if picked else []
    return [{k: _plain(v) for k, v in row.items()} for row in rows]


def _unexpected_values(body: dict) -> list[list]:
    values = body.get("unexpected_list") or []
    counts = Counter(json.dumps(_plain(v), default=str, ensure_ascii=False) for v in values)
    return [[json.loads(v), n] for v, n in counts.most_common(5)]


def _outcome(
    suite: str, raw: dict, index: int, result: object, frame: pd.DataFrame
) -> ExpectationOutcome:
    body = result.result or {}
    meta = raw.get("meta", {})
    info = result.exception_info or {}
    error = info.get("exception_message") if info.get("raised_exception") else ""
    observed = body.get("observed_value")
    if observed is None and raw["type"].startswith("expect_table_row_count"):
        observed = len(frame)  # the cheap result format of a passing check has no details
    return ExpectationOutcome(
        suite=suite,
        expectation=raw["type"],
        kwargs=raw["kwargs"],
        severity=meta["severity"],
        success=bool(result.success) and not error,
        observed=None if observed is None else str(_plain(observed))[:500],
        unexpected_count=body.get("unexpected_count"),
        failing_rows=[] if result.success else _failing_rows(frame, body),
        notes=meta.get("notes", ""),
        index=index,
        element_count=body.get("element_count"),
        unexpected_values=[] if result.success else _unexpected_values(body),
        missing_values=[_plain(v) for v in body.get("partial_missing_list") or []][:20],
        description=meta.get("description", ""),
        error=(error or "").splitlines()[0][:300] if error else "",
    )


def _run(
    name: str, frame: pd.DataFrame, items: list[tuple[int, dict]], result_format: dict
) -> dict:
    """GX results of the numbered expectations on ``frame``, by number."""
    with warnings.catch_warnings():
        # string row conditions are deprecated since GX 1.9 (to go in 2.0); GX is pinned, and
        # an upgrade would translate them to Condition objects here, in this one module
        warnings.filterwarnings("ignore", "(?s).*row_condition", DeprecationWarning)
        warnings.filterwarnings("ignore", "(?s).*condition_parser", DeprecationWarning)
        result = _batch(frame, name).validate(_suite(name, items), result_format=result_format)
    return {r.expectation_config.meta["index"]: r for r in result.results}


def validate_suite(name: str, frame: pd.DataFrame, suite_json: dict) -> list[ExpectationOutcome]:
    """Run one suite on its frame; failures are run again for their details.

    All expectations of a suite are validated together with GX's cheapest result format;
    only the failing ones are validated again with the complete format (counts, unexpected
    values, the index of the offending rows). Failures are rare, so this halves the time.
    """
    frame = frame.reset_index(drop=True)
    items = list(enumerate(suite_json["expectations"]))
    results = _run(name, frame, items, {"result_format": "BOOLEAN_ONLY"})
    failed = [(index, raw) for index, raw in items if not results[index].success]
    if failed:
        complete = {"result_format": "COMPLETE", "unexpected_index_column_names": None}
        results |= _run(name, frame, failed, complete)
    return [_outcome(name, raw, index, results[index], frame) for index, raw in items]


def _absent(name: str, build_info: dict) -> ExpectationOutcome:
    """The outcome for a suite whose relation is not there.

    A landing table of a source that has no snapshot yet (a file not dropped in live mode) is a
    warning; any other absent relation is blocking.
    """
    snapshots = build_info.get("snapshots") or {}
    source_id = name.split("__")[0]
    not_ingested = relation_kind(name) == "landing" and source_id in snapshots and not (
        snapshots[source_id]
    )
    return ExpectationOutcome(
        suite=name,
        expectation="relation_exists",
        kwargs={},
        severity="warning" if not_ingested else "blocking",
        success=False,
        observed=None,
        unexpected_count=None,
        error="source not ingested (no snapshot)" if not_ingested else "relation not built",
    )


def validate_frames(
    frames: dict[str, pd.DataFrame], suites: dict[str, dict], build_info: dict | None = None
) -> ValidationReport:
    """Run each suite on its relation; check relations are computed from ``frames`` first.

    Args:
        frames: landing tables and marts by relation name.
        suites: suite JSON by relation name (see :func:`load_suites`).
        build_info: the build's ``_build.json`` (mode, snapshots); without it the checks that
            need the mode cannot be computed and fail as not built.
    """
    info = build_info or {}
    checks = check_relations(frames, info, [n for n in suites if relation_kind(n) == "check"])
    relations = {**frames, **checks}
    outcomes: list[ExpectationOutcome] = []
    ordered = sorted(suites.items(), key=lambda kv: KIND_ORDER[relation_kind(kv[0])])
    for name, suite_json in ordered:
        if name in relations:
            outcomes += validate_suite(name, relations[name], suite_json)
        else:
            outcomes.append(_absent(name, info))
    return ValidationReport(
        outcomes,
        build_info=info,
        relation_rows={name: len(frame) for name, frame in relations.items()},
        suite_descriptions={n: s.get("meta", {}).get("description", "") for n, s in ordered},
    )


def _unsuited(frames: dict[str, pd.DataFrame], suites: dict[str, dict]) -> list:
    """A warning for every landing table or mart that has no suite yet."""
    return [
        ExpectationOutcome(
            suite=name, expectation="suite_exists", kwargs={}, severity="warning",
            success=False, observed=None, unexpected_count=None,
            error=f"no suite expectations/{name}.json",
        )
        for name in frames
        if name not in suites
    ]


def validate_build(
    build_dir: Path, out_dir: Path | None = None, expectations_dir: Path | None = None
) -> ValidationReport:
    """Validate a build; write ``results.json`` and ``index.html`` to ``out_dir``.

    Args:
        build_dir: a staged, failed or published build folder.
        out_dir: where the results go (default ``<build_dir>/validation``).
        expectations_dir: the suites (default ``expectations/`` or KANSRIJK_EXPECTATIONS_DIR).
    """
    from pipeline import report as report_mod

    started = time.perf_counter()
    suites = load_suites(expectations_dir or EXPECTATIONS_DIR)
    info = read_build_info(build_dir)
    frames = relation_frames(build_dir)
    report = validate_frames(frames, suites, info)
    report.outcomes += _unsuited(frames, suites)
    report.snapshot_ids = sorted(
        s["snapshot_id"] for s in (info.get("snapshots") or {}).values() if s
    )
    report.seconds = time.perf_counter() - started
    out = out_dir or build_dir / "validation"
    out.mkdir(parents=True, exist_ok=True)
    payload = report.payload()
    (out / "results.json").write_text(json.dumps(payload, indent=1, default=str))
    report_mod.write_report(payload, out / "index.html")
    return report


def summary_lines(report: ValidationReport, report_path: Path | None = None) -> list[str]:
    """A one-screen summary for the CLI: totals, one line per suite, the failures."""
    passed = sum(o.success for o in report.outcomes)
    info = report.build_info
    lines = [
        f"build {info.get('build_id', '?')} ({info.get('mode', '?')}): "
        f"{passed}/{len(report.outcomes)} expectations passed in {report.seconds:.1f} s; "
        f"{len(report.blocking_failures)} blocking failure(s), {len(report.warnings)} warning(s)"
    ]
    suites: dict[str, list[ExpectationOutcome]] = {}
    for outcome in report.outcomes:
        suites.setdefault(outcome.suite, []).append(outcome)
    for name, outcomes in suites.items():
        blocking = sum(not o.success and o.severity == "blocking" for o in outcomes)
        warning = sum(not o.success and o.severity == "warning" for o in outcomes)
        mark = "FAIL" if blocking else ("warn" if warning else " ok ")
        rows = report.relation_rows.get(name)
        lines.append(
            f"  [{mark}] {name:38s} {len(outcomes):3d} expectations"
            f"{f', {rows:>7,} rows' if rows is not None else ''}"
            f"{f', {blocking} blocking' if blocking else ''}"
            f"{f', {warning} warning(s)' if warning else ''}"
        )
    for outcome in (report.blocking_failures + report.warnings)[:8]:
        what = outcome.error or (
            f"{outcome.unexpected_count} row(s)" if outcome.unexpected_count is not None
            else f"observed {outcome.observed}"
        )
        rows = "; ".join(row_label(r) for r in outcome.failing_rows[:2])
        lines.append(
            f"  {outcome.severity}: {outcome.suite}: {outcome.expectation}"
            f"({kwargs_label(outcome.kwargs)})"[:150] + f" — {what}{': ' + rows if rows else ''}"
        )
    if report_path:
        lines.append(f"report: {report_path}")
    return lines
