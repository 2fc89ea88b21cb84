"""The leak scan: checks a finished build before it is published (DESIGN §6, issue 5).

``scan_build`` reads every mart Parquet in ``<build>/marts`` and every CSV under
``<build>/exports`` and reports, one line per problem:

* a published count below the indicator's suppression threshold (numerator, non-events or
  denominator; a numerator implied by a published value and denominator counts too);
* figures published for a cell that ``indicator_values`` marks as suppressed;
* a suppressed cell that published counts determine exactly by adding and subtracting (a
  region minus its other gemeenten, a pooled period minus its years, or any combination),
  using the exact audit of ``pipeline.disclosure`` on everything published anywhere.

An empty list means the build is clean. The refresh calls it before publishing and refuses to
publish a build with a problem.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd

from pipeline import disclosure

KEYS = ["indicator_id", "area_code", "period_start_year", "period_end_year"]
FIGURES = ["numerator", "denominator", "value", "ci_lower", "ci_upper", "value_smoothed"]
DEFAULT_THRESHOLD = 10
# column names an export may use instead of the marts' names (Dutch chart CSVs)
ALIASES = {
    "indicator_id": ("indicator", "indicator_code"),
    "area_code": ("gebiedscode", "gemeente_code", "code"),
    "period_start_year": ("start_year", "beginjaar"),
    "period_end_year": ("end_year", "eindjaar"),
    "period_label": ("periode", "period", "jaar"),
    "numerator": ("teller",),
    "denominator": ("noemer",),
    "value": ("waarde",),
    "ci_lower": ("ondergrens_95",),
    "ci_upper": ("bovengrens_95",),
}
_FIGURE_NAMES = {n for k in ("numerator", "denominator", "value") for n in (k, *ALIASES[k])}
_SCANNED_NAMES = {n for k in [*KEYS, *FIGURES, "period_label"]
                  for n in (k, *ALIASES.get(k, ()))}


def scan_build(build_dir: Path) -> list[str]:
    """Every disclosure problem in a build's marts and exports (empty when clean).

    Args:
        build_dir: A build folder with ``marts/`` (and optionally ``exports/``).

    Returns:
        One line per problem, naming the file, the cell and what is wrong.
    """
    marts_dir = build_dir / "marts"
    values_path = marts_dir / "indicator_values.parquet"
    if not values_path.exists():
        return [f"{values_path}: missing; cannot check the build for disclosure leaks"]
    values = pd.read_parquet(values_path)
    memberships = pd.read_parquet(marts_dir / "area_memberships.parquet")
    catalogue = _catalogue(marts_dir, values)
    tables = [(p, pd.read_parquet(p)) for p in sorted(marts_dir.glob("*.parquet"))]
    exports = build_dir / "exports"
    if exports.is_dir():
        tables += [(p, frame) for p in sorted(exports.rglob("*.csv"))
                   if (frame := _read_csv(p)) is not None]
    published = [
        (figures, path.relative_to(build_dir).as_posix())
        for path, frame in tables
        if (figures := _figures(_normalised(frame))) is not None
    ]
    everything = _with_thresholds(_combined(published), catalogue) if published \
        else pd.DataFrame()
    problems = _small_counts(everything) if published else []
    problems += _suppressed_with_figures(values, everything)
    problems += _differencing(values, memberships, everything)
    return problems


def _catalogue(marts_dir: Path, values: pd.DataFrame) -> pd.DataFrame:
    """Threshold and multiplier per indicator (the default threshold when not catalogued)."""
    path = marts_dir / "indicators.parquet"
    if path.exists():
        cat = pd.read_parquet(path)[["indicator_id", "suppression_threshold", "multiplier"]]
    else:
        cat = pd.DataFrame({"indicator_id": values.indicator_id.unique(),
                            "suppression_threshold": DEFAULT_THRESHOLD, "multiplier": np.nan})
    return cat.astype({"suppression_threshold": "Float64", "multiplier": "float64"})


def _read_csv(path: Path) -> pd.DataFrame | None:
    """A CSV as written by the exports (';' and decimal ',' or plain ','), or None.

    None when its header has no column that could publish a figure (numerator, denominator,
    value): such a file cannot leak a count, and skipping it without parsing keeps the scan
    of hundreds of exported areas fast. Only the columns the scan looks at are parsed.
    """
    with path.open(encoding="utf-8-sig", newline="") as handle:
        head = handle.readline()
    dialect = (";", ",") if head.count(";") > head.count(",") else (",", ".")
    header = {name.strip().strip('"').lower() for name in head.rstrip("\r\n").split(dialect[0])}
    if not header & _FIGURE_NAMES:
        return None
    try:
        return pd.read_csv(path, sep=dialect[0], decimal=dialect[1], encoding="utf-8-sig",
                           dtype={"area_code": str}, quoting=csv.QUOTE_MINIMAL,
                           usecols=lambda column: column.lower() in _SCANNED_NAMES)
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError):
        return pd.DataFrame({"_unreadable": [str(path)]})


def _normalised(frame: pd.DataFrame) -> pd.DataFrame:
    """Marts' column names for known aliases; periods from a label when not given."""
    renames = {}
    lower = {c.lower(): c for c in frame.columns}
    for name, aliases in ALIASES.items():
        if name in frame.columns:
            continue
        for alias in aliases:
            if alias in lower:
                renames[lower[alias]] = name
                break
    out = frame.rename(columns=renames)
    if "period_start_year" not in out.columns and "period_label" in out.columns:
        bounds = out.period_label.astype(str).str.extract(r"^(\d{4})(?:\s*[-–]\s*(\d{4}))?$")
        out = out.assign(period_start_year=pd.to_numeric(bounds[0], errors="coerce"),
                         period_end_year=pd.to_numeric(bounds[1].fillna(bounds[0]),
                                                       errors="coerce"))
    return out


def _figures(frame: pd.DataFrame) -> dict[str, np.ndarray] | None:
    """The keys and figures a table publishes, as columns (None when it publishes none)."""
    has = set(frame.columns)
    if not ({"numerator", "denominator"} & has or {"value"} <= has and "area_code" in has):
        return None
    rows = len(frame)
    out = {
        col: frame[col].to_numpy(dtype=object) if col in has
        else np.full(rows, np.nan, dtype=object)
        for col in [*KEYS, *FIGURES]
    }
    out["keyed"] = np.full(rows, all(k in has for k in KEYS))
    out["named"] = np.full(rows, "indicator_id" in has)
    return out


def _combined(published: list[tuple[dict[str, np.ndarray], str]]) -> pd.DataFrame:
    """Every table's figures in one frame (``source_file`` names the table of each row)."""
    columns = [*KEYS, *FIGURES, "keyed", "named"]
    out = pd.DataFrame({col: np.concatenate([part[col] for part, _ in published])
                        for col in columns})
    out["source_file"] = np.concatenate(
        [np.full(len(part["keyed"]), label, dtype=object) for part, label in published]
    )
    for col in FIGURES:
        out[col] = pd.to_numeric(out[col], errors="coerce")
    return out


def _with_thresholds(figures: pd.DataFrame, catalogue: pd.DataFrame) -> pd.DataFrame:
    """Threshold and multiplier per row; the numerator implied by a share where not given."""
    out = figures.merge(catalogue, on="indicator_id", how="left")
    # unknown indicator: check shares with the default rule
    out["suppression_threshold"] = out["suppression_threshold"].mask(~out["named"],
                                                                     DEFAULT_THRESHOLD)
    implied = out.value * out.denominator / out.multiplier
    out["numerator"] = out.numerator.fillna(implied.round())
    return out


def _cell(row: pd.Series) -> str:
    start, end = row.period_start_year, row.period_end_year
    period = (disclosure.period_label(int(start), int(end))
              if pd.notna(start) and pd.notna(end) else "?")
    return f"{row.indicator_id} {row.area_code} {period}"


def _small_counts(counts: pd.DataFrame) -> list[str]:
    """Published counts below the indicator's threshold (counts without a threshold: none)."""
    t = counts.suppression_threshold.astype("float64")
    n, d = counts.numerator, counts.denominator
    small = t.notna() & n.notna() & ((n < t) | (d.notna() & ((d - n < t) | (d < t))))
    small &= counts.indicator_id.notna() | d.notna()  # an unknown count without share: skip
    return [
        f"{r.source_file}: {_cell(r)}: published count below the threshold of "
        f"{int(r.suppression_threshold)} (numerator {r.numerator:g}, denominator "
        f"{r.denominator:g})"
        for r in counts[small].itertuples(index=False)
    ]


def _suppressed_with_figures(values: pd.DataFrame, published: pd.DataFrame) -> list[str]:
    """Figures anywhere for a cell indicator_values suppresses."""
    suppressed = values.loc[values.status == disclosure.SUPPRESSED, KEYS]
    if published.empty or suppressed.empty:
        return []
    keyed = published[published.keyed].astype({"period_start_year": "float64",
                                                "period_end_year": "float64"})
    hits = keyed.merge(suppressed.astype({"period_start_year": "float64",
                                          "period_end_year": "float64"}), on=KEYS)
    hits = hits[hits[FIGURES].notna().any(axis=1)]
    return [f"{r.source_file}: {_cell(r)}: figures published for a suppressed cell"
            for r in hits.itertuples(index=False)]


def _differencing(values: pd.DataFrame, memberships: pd.DataFrame,
                  published: pd.DataFrame) -> list[str]:
    """Suppressed cells that published counts determine exactly."""
    known = (values.status == disclosure.OK) & values.numerator.notna()
    if not published.empty:
        keyed = published[published.keyed & published.numerator.notna()][KEYS]
        keyed = keyed.astype({"period_start_year": "float64", "period_end_year": "float64"})
        flags = values[KEYS].astype({"period_start_year": "float64", "period_end_year": "float64"})
        flags = flags.merge(keyed.drop_duplicates().assign(_pub=True), on=KEYS, how="left")
        known = known | flags._pub.fillna(False).astype(bool).to_numpy()
    found = disclosure.recoverable_cells(values, memberships, known)
    return [
        f"marts/indicator_values.parquet: {_cell(r)}: suppressed value recoverable by "
        f"differencing (via {r.via})"
        for r in found.itertuples(index=False)
    ]
