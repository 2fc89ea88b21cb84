"""RIVM vaccination coverage per gemeente (Rijksvaccinatieprogramma), wide years, CSV or XLSX.

The real file (``Vacc2013_BMR_zuigelingen.csv``) is cp850, semicolon-separated with decimal
commas: ``gemnr;Gemnaam;2006;…;2014``, one row per gemeente of the 2013 classification, the
coverage in % per year column (empty where a gemeente did not exist that year).

Landing (``observations``), wide → long: one row per gemeente × year column;
``value`` = the published percentage, numerator and denominator null (the source gives no
counts), ``indicator_code`` = ``bmr_zuigelingen``, ``area_code`` = ``gemnr`` as published
(``3``; staging standardises), an empty or marker cell → value null with the marker text.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pyarrow as pa

from pipeline.errors import InputError
from pipeline.ingest.fetchers import fetch_files
from pipeline.ingest.parsing import (
    clean_code,
    column_index,
    data_rows,
    has_all,
    locate_header,
    parse_cell,
    read_cells,
)
from pipeline.ingest.schema import to_observations_table

CLASSIFICATION_YEAR = 2013
INDICATOR_CODE = "bmr_zuigelingen"
CODE, NAME = "gemnr", "Gemnaam"
_YEAR = re.compile(r"^\d{4}$")

fetch = fetch_files  # a dropped or given file (live) or the bundled demo payload (demo)


def _parse_file(path: Path, classification_year: int, indicator_code: str,
                out: dict[str, list]) -> None:
    cells = read_cells(path)
    header_index = locate_header(cells, has_all([CODE, NAME]), f"columns {CODE!r}, {NAME!r}")
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
        code = clean_code(row[pos_code])
        if not code:
            raise InputError(f"{cells.file} row {number}, column {CODE!r}: expected a "
                             f"gemeente number, got ''")
        name = row[pos_name].strip() or None
        for i, year in years:
            value, marker = parse_cell(row[i], file=cells.file, row=number, column=year,
                                       decimal_hint=cells.decimal_hint)
            out["area_code"].append(code)
            out["area_name"].append(name)
            out["period_label"].append(year)
            out["value"].append(value)
            out["marker"].append(marker)
            out["source_file"].append(cells.file)
            out["source_row"].append(number)
    added = len(out["area_code"]) - len(out["classification_year"])
    out["classification_year"].extend([classification_year] * added)
    out["indicator_code"].extend([indicator_code] * added)


def land(raw_paths: list[Path], classification_year: int = CLASSIFICATION_YEAR,
         indicator_code: str = INDICATOR_CODE) -> dict[str, pa.Table]:
    """Parse RIVM coverage files (wide years) into the landing ``observations`` table.

    Raises:
        InputError: a missing column (named), no year columns, or a cell that is neither a
            percentage nor a suppression marker (names file, row and column).
    """
    columns = ("area_code", "area_name", "classification_year", "indicator_code",
               "period_label", "value", "marker", "source_file", "source_row")
    out: dict[str, list] = {c: [] for c in columns}
    files = sorted((Path(p) for p in raw_paths if Path(p).name.lower() != "readme.md"),
                   key=lambda p: p.name)
    if not files:
        raise InputError("rivm_vaccinatiegraad: no file to parse")
    for path in files:
        _parse_file(path, classification_year, indicator_code, out)
    frame = pd.DataFrame(out)
    frame["numerator"] = float("nan")
    frame["non_events"] = float("nan")
    frame["denominator"] = float("nan")
    frame["value"] = frame["value"].astype("float64")
    return {"observations": to_observations_table(frame)}
