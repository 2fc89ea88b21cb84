"""Perined perinatal core figures per gemeente (perinatale atlas download), CSV or XLSX.

Layout (one row per gemeente and period; the period is a year or a pooled range such as
``2022-2024``), headers matched case- and space-insensitively::

    Gemeentecode;Gemeentenaam;Periode;Totaal geboren (>= 22 wk);
    Vroeggeboorte < 37 wk (n);Vroeggeboorte < 37 wk (%);SGA < p10 (n);SGA < p10 (%);
    Geboren >= 24 wk (n);Big2 (n);Big2 (%);Perinatale sterfte (n);Perinatale sterfte (promille);
    Zwangerschappen >= 24 wk (n);Start zorg na 10 wk (n);Start zorg na 10 wk (%)

Landing (``observations``), wide → long, one row per gemeente × period × indicator:

=====================  ==========================  ===================================
indicator_code         numerator                   denominator (value = published unit)
=====================  ==========================  ===================================
totaal_geboren         Totaal geboren (>= 22 wk)   — (no value)
vroeggeboorte          Vroeggeboorte < 37 wk (n)   Totaal geboren (>= 22 wk); %
sga                    SGA < p10 (n)               Totaal geboren (>= 22 wk); %
big2                   Big2 (n)                    Geboren >= 24 wk (n); %
perinatale_sterfte     Perinatale sterfte (n)      Totaal geboren (>= 22 wk); promille
late_start_zorg        Start zorg na 10 wk (n)     Zwangerschappen >= 24 wk (n); %
=====================  ==========================  ===================================

Perined suppresses a count and its percentage as ``.`` when the count or its complement is
below 10; such cells land as null with the marker text (never 0). The marker of a row is the
count cell's marker, else the value cell's.

Checks (an :class:`InputError` naming file, row and column): codes in the CBS code history
(or NL01 / a GGD-regio or provincie code), counts whole and >= 0, a count no larger than its
denominator, one row per gemeente and period. The long layout
(:mod:`pipeline.ingest.long_layout`) is accepted as well; a live drop replaces the whole
payload (a new download supersedes the previous one).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa

from pipeline.errors import InputError
from pipeline.ingest import areas, long_layout
from pipeline.ingest.fetchers import fetch_files
from pipeline.ingest.parsing import (
    Cells,
    column_index,
    data_rows,
    has_all,
    normalise_header,
    parse_cell,
    payload_files,
    read_cells,
    required_code,
)
from pipeline.ingest.schema import check_unique_keys, to_observations_table

SOURCE_ID = "perined_kerncijfers"
CLASSIFICATION_YEAR = 2025
CODE, NAME, PERIOD = "Gemeentecode", "Gemeentenaam", "Periode"
TOTAL = "Totaal geboren (>= 22 wk)"
# indicator_code → (numerator column, denominator column or None, value column or None)
INDICATORS: dict[str, tuple[str, str | None, str | None]] = {
    "totaal_geboren": (TOTAL, None, None),
    "vroeggeboorte": ("Vroeggeboorte < 37 wk (n)", TOTAL, "Vroeggeboorte < 37 wk (%)"),
    "sga": ("SGA < p10 (n)", TOTAL, "SGA < p10 (%)"),
    "big2": ("Big2 (n)", "Geboren >= 24 wk (n)", "Big2 (%)"),
    "perinatale_sterfte": ("Perinatale sterfte (n)", TOTAL, "Perinatale sterfte (promille)"),
    "late_start_zorg": ("Start zorg na 10 wk (n)", "Zwangerschappen >= 24 wk (n)",
                        "Start zorg na 10 wk (%)"),
}
COUNT_COLUMNS = sorted({c for num, den, _ in INDICATORS.values() for c in (num, den) if c})
VALUE_COLUMNS = sorted({v for _, _, v in INDICATORS.values() if v})

LAYOUT = f"Perined kerncijfers ({CODE}, {PERIOD}, {TOTAL}, …)"
_IS_HEADER = has_all([CODE, PERIOD, TOTAL])

fetch = fetch_files  # a dropped or given file (live) or the bundled demo payload (demo)


def recognise(header_names: list[str]) -> bool:
    """True when a header row is the Perined kerncijfers layout (for routing inbox files)."""
    return _IS_HEADER([normalise_header(c) for c in header_names])


def _check_counts(parsed: dict, cells: Cells, number: int) -> None:
    """A count may not exceed its denominator (both published)."""
    for num_col, den_col, _ in INDICATORS.values():
        numerator, denominator = parsed[num_col][0], parsed[den_col][0] if den_col else None
        if numerator is not None and denominator is not None and numerator > denominator:
            raise InputError(f"{cells.file} row {number}, column {num_col!r}: expected a count "
                             f"no larger than {den_col!r} ({denominator:g}), got {numerator:g}")


def _parse_file(path: Path, classification_year: int, out: dict[str, list]) -> None:
    cells: Cells = read_cells(path)
    layout, header_index = long_layout.find_header(
        cells, _IS_HEADER, f"columns {CODE!r}, {PERIOD!r}, {TOTAL!r}")
    if layout == "long":
        long_layout.append_to(out, cells, header_index, SOURCE_ID)
        return
    header = cells.rows[header_index]
    header_row = cells.row_numbers[header_index]
    pos = {name: column_index(cells, header, name, header_row)
           for name in [CODE, PERIOD, *COUNT_COLUMNS, *VALUE_COLUMNS]}
    name_pos = next((i for i, c in enumerate(header)
                     if normalise_header(c) == normalise_header(NAME)), None)
    rows, numbers = data_rows(cells, header_index)
    for row, number in zip(rows, numbers, strict=True):
        code = required_code(row[pos[CODE]], file=cells.file, row=number, column=CODE,
                             expected="a gemeente code")
        period = required_code(row[pos[PERIOD]], file=cells.file, row=number, column=PERIOD,
                               expected="a period such as 2023 or 2022-2024")
        areas.check_code(code, file=cells.file, row=number, column=header[pos[CODE]])
        parsed = {}
        for column in COUNT_COLUMNS:
            parsed[column] = parse_cell(row[pos[column]], file=cells.file, row=number,
                                        column=column, decimal_hint=cells.decimal_hint,
                                        count=True)
        for column in VALUE_COLUMNS:
            parsed[column] = parse_cell(row[pos[column]], file=cells.file, row=number,
                                        column=column, decimal_hint=cells.decimal_hint)
        _check_counts(parsed, cells, number)
        name = row[name_pos].strip() if name_pos is not None else None
        for indicator, (num_col, den_col, val_col) in INDICATORS.items():
            numerator, num_marker = parsed[num_col]
            value, val_marker = parsed[val_col] if val_col else (None, None)
            out["area_code"].append(code)
            out["area_name"].append(name or None)
            out["period_label"].append(period)
            out["indicator_code"].append(indicator)
            out["numerator"].append(numerator)
            out["denominator"].append(parsed[den_col][0] if den_col else None)
            out["value"].append(value)
            out["marker"].append(num_marker if num_marker is not None else val_marker)
            out["source_file"].append(cells.file)
            out["source_row"].append(number)
            out["classification_year"].append(classification_year)
            out["non_events"].append(None)


def land(raw_paths: list[Path],
         classification_year: int = CLASSIFICATION_YEAR) -> dict[str, pa.Table]:
    """Parse Perined core-figure files (CSV or XLSX) into the landing ``observations`` table.

    Raises:
        InputError: a missing column (named), an unrecognised layout, or a cell that is neither
            a number nor a suppression marker (names file, row and column).
    """
    columns = ("area_code", "area_name", "classification_year", "period_label",
               "indicator_code", "numerator", "non_events", "denominator", "value", "marker",
               "source_file", "source_row")
    out: dict[str, list] = {c: [] for c in columns}
    files = payload_files(raw_paths, SOURCE_ID)
    for path in files:
        _parse_file(path, classification_year, out)
    frame = pd.DataFrame(out)
    for column in ("numerator", "non_events", "denominator", "value"):
        frame[column] = frame[column].astype("float64")
    check_unique_keys(frame)
    return {"observations": to_observations_table(frame)}
