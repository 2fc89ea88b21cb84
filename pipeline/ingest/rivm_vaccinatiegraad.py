"""RIVM vaccination coverage per gemeente (Rijksvaccinatieprogramma), wide years, CSV or XLSX.

The real file (``Vacc2013_BMR_zuigelingen.csv``) is cp850, semicolon-separated with decimal
commas: ``gemnr;Gemnaam;2006;…;2014``, one row per gemeente of the 2013 classification, the
coverage in % per year column (empty where a gemeente did not exist that year).

Landing (``observations``), wide → long: one row per gemeente × year column;
``value`` = the published percentage, numerator and denominator null (the source gives no
counts), ``indicator_code`` = ``bmr_zuigelingen``, ``area_code`` = ``gemnr`` as published
(``3``; staging standardises), an empty or marker cell → value null with the marker text.

Checks (an :class:`InputError` naming file, row and column): codes in the CBS code history,
percentages between 0 and 100, one row per gemeente. The long layout
(:mod:`pipeline.ingest.long_layout`) is accepted as well; a live drop replaces the payload.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pyarrow as pa

from pipeline.errors import InputError
from pipeline.ingest import areas, long_layout
from pipeline.ingest.fetchers import fetch_files
from pipeline.ingest.parsing import (
    clean_code,
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

SOURCE_ID = "rivm_vaccinatiegraad"
CLASSIFICATION_YEAR = 2013
INDICATOR_CODE = "bmr_zuigelingen"
CODE, NAME = "gemnr", "Gemnaam"
_YEAR = re.compile(r"^\d{4}$")

LAYOUT = f"RIVM vaccinatiegraad ({CODE};{NAME};2006;…;2014)"

fetch = fetch_files  # a dropped or given file (live) or the bundled demo payload (demo)


def _is_header(row: list[str]) -> bool:
    return has_all([CODE, NAME])(row) and any(_YEAR.match(c) for c in row)


def recognise(header_names: list[str]) -> bool:
    """True when a header row is the wide vaccination layout (for routing inbox files)."""
    return _is_header([normalise_header(c) for c in header_names])


def _parse_file(path: Path, classification_year: int, indicator_code: str,
                out: dict[str, list]) -> None:
    cells = read_cells(path)
    layout, header_index = long_layout.find_header(
        cells, _is_header, f"columns {CODE!r}, {NAME!r} and year columns")
    if layout == "long":
        long_layout.append_to(out, cells, header_index, SOURCE_ID)
        return
    header = cells.rows[header_index]
    header_row = cells.row_numbers[header_index]
    pos_code = column_index(cells, header, CODE, header_row)
    pos_name = column_index(cells, header, NAME, header_row)
    years = [(i, clean_code(c)) for i, c in enumerate(header) if _YEAR.match(clean_code(c))]
    if not years:
        raise InputError(f"{cells.file} row {header_row}: missing year columns (expected "
                         f"headers such as '2006', '2014')")
    rows, numbers = data_rows(cells, header_index)
    for row, number in zip(rows, numbers, strict=True):
        code = required_code(row[pos_code], file=cells.file, row=number, column=CODE,
                             expected="a gemeente number")
        areas.check_code(code, file=cells.file, row=number, column=header[pos_code])
        name = row[pos_name].strip() or None
        for i, year in years:
            value, marker = parse_cell(row[i], file=cells.file, row=number, column=year,
                                       decimal_hint=cells.decimal_hint)
            if value is not None and not 0 <= value <= 100:
                raise InputError(f"{cells.file} row {number}, column {year!r}: expected a "
                                 f"percentage between 0 and 100, got {row[i].strip()!r}")
            out["area_code"].append(code)
            out["area_name"].append(name)
            out["period_label"].append(year)
            out["value"].append(value)
            out["marker"].append(marker)
            out["source_file"].append(cells.file)
            out["source_row"].append(number)
            out["classification_year"].append(classification_year)
            out["indicator_code"].append(indicator_code)
            for column in ("numerator", "non_events", "denominator"):
                out[column].append(None)


def land(raw_paths: list[Path], classification_year: int = CLASSIFICATION_YEAR,
         indicator_code: str = INDICATOR_CODE) -> dict[str, pa.Table]:
    """Parse RIVM coverage files (wide years) into the landing ``observations`` table.

    Raises:
        InputError: a missing column (named), no year columns, or a cell that is neither a
            percentage nor a suppression marker (names file, row and column).
    """
    columns = ("area_code", "area_name", "classification_year", "indicator_code",
               "period_label", "numerator", "non_events", "denominator", "value", "marker",
               "source_file", "source_row")
    out: dict[str, list] = {c: [] for c in columns}
    files = payload_files(raw_paths, SOURCE_ID)
    for path in files:
        _parse_file(path, classification_year, indicator_code, out)
    frame = pd.DataFrame(out)
    for column in ("numerator", "non_events", "denominator", "value"):
        frame[column] = frame[column].astype("float64")
    check_unique_keys(frame)
    return {"observations": to_observations_table(frame)}
