"""RIVM Lokale Monitoring Kansrijke Start: one file per indicator, as written by RIVM's code.

RIVM's published monitor code (repository ``rivm-syso/DIAPER``) writes per gemeente and period
the columns ``gemYYYY`` (gemeente code in the classification of year YYYY), ``jaar`` (a year or
a 5-year range such as ``2015-2019``), ``n_1`` (meets the criterion) and ``n_0`` (does not);
both counts are the string ``"<10"`` when either is below 10. Files come in the shapes R writes
them: ``write.csv`` (comma, quoted header, a leading unnamed row-name column) or ``write.csv2``
(semicolon, decimal comma), codes numeric (``363``) or ``GM0363``; CSV or XLSX.

Landing (``observations``): one row per file row.

- ``indicator_code`` from the file name: ``DEMO_roken_vrouwen_19_45_gem2023.csv`` →
  ``roken_vrouwen_19_45``. The name must contain an indicator of this source in the catalogue
  (its id, code or Dutch title; a ``DEMO_`` prefix and ``_gemYYYY`` suffix are ignored) or
  start with ``<indicator>__`` (how ``kansrijk ingest --indicator`` stores a file); otherwise
  the file is rejected, so a mistyped name never drops out of the marts silently.
- ``classification_year`` from the ``gemYYYY`` column name.
- ``n_1`` → numerator, ``n_0`` → non_events, denominator null (staging adds them up).
- A marker (``<10`` …) → that count null, marker = its text; never 0.
- ``area_code`` exactly as published (``363`` stays ``363``; staging standardises).
- An optional name column (``gemeentenaam``/``gemnaam``/``naam``) lands as ``area_name``.
- Codes are checked against the CBS code history (an unknown code names file, row, column);
  one row per indicator × gemeente × period (a duplicate names both rows).

The long layout (:mod:`pipeline.ingest.long_layout`) is accepted as well. In a live drop, a
file replaces the active snapshot's file of the same indicator and keeps the others
(:func:`drop_key`).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pyarrow as pa

from pipeline.errors import InputError
from pipeline.ingest import areas, long_layout
from pipeline.ingest.fetchers import INDICATOR_SEPARATOR, fetch_files
from pipeline.ingest.parsing import (
    Cells,
    column_index,
    data_rows,
    normalise_header,
    parse_cell,
    payload_files,
    read_cells,
    required_code,
)
from pipeline.ingest.schema import check_unique_keys, to_observations_table

SOURCE_ID = "rivm_kansrijke_start"
PERIOD, EVENTS, NON_EVENTS = "jaar", "n_1", "n_0"
NAME_COLUMNS = ("gemeentenaam", "gemnaam", "naam")
LAYOUT = "RIVM monitor output (gemYYYY, jaar, n_1, n_0; one file per indicator)"
_EXPECTED = "columns 'gemYYYY', 'jaar', 'n_1' and 'n_0'"
_GEM_COLUMN = re.compile(r"^gem(\d{4})$")
_SUFFIX = re.compile(r"_gem\d{4}$", re.IGNORECASE)

fetch = fetch_files  # a dropped or given file (live) or the bundled demo payload (demo)


def _known() -> dict[str, str]:
    """Name key → this source's indicator code (ids, codes and titles of the catalogue)."""
    return {key: ind.code for key, ind in long_layout.indicators().items()
            if ind.source_id == SOURCE_ID}


def indicator_code_from_name(path: Path) -> str | None:
    """The indicator a file name names (``DEMO_roken_vrouwen_19_45_gem2023.csv`` →
    ``roken_vrouwen_19_45``), or None when it names none of this source's indicators."""
    known = _known()
    stem = path.stem
    prefix = stem.split(INDICATOR_SEPARATOR, 1)[0] if INDICATOR_SEPARATOR in stem else None
    if prefix and areas.name_key(prefix) in known:
        return known[areas.name_key(prefix)]
    bare = _SUFFIX.sub("", stem[5:] if stem.upper().startswith("DEMO_") else stem)
    if areas.name_key(bare) in known:
        return known[areas.name_key(bare)]
    key = areas.name_key(stem)
    contained = sorted((k for k in known if k and k in key), key=len, reverse=True)
    return known[contained[0]] if contained else None


def drop_key(path: Path) -> str:
    """Files with the same key replace each other in a live drop: the indicator (or name)."""
    return indicator_code_from_name(path) or path.name


def recognise(header_names: list[str]) -> bool:
    """True when a header row is RIVM's monitor output (for routing inbox files)."""
    return _is_header([normalise_header(c) for c in header_names])


def _indicator(path: Path, cells: Cells) -> str:
    code = indicator_code_from_name(path)
    if code is None:
        choices = sorted(set(_known().values()))
        raise InputError(f"{cells.file}: cannot tell the indicator from the file name; expected "
                         f"one of {', '.join(choices)} in the name (or kansrijk ingest "
                         f"--indicator CODE)")
    return code


def _is_header(row: list[str]) -> bool:
    return (any(_GEM_COLUMN.match(c) for c in row)
            and {PERIOD, EVENTS, NON_EVENTS} <= set(row))


def _parse_file(path: Path, out: dict[str, list]) -> None:
    cells = read_cells(path)
    layout, header_index = long_layout.find_header(cells, _is_header, _EXPECTED)
    if layout == "long":
        long_layout.append_to(out, cells, header_index, SOURCE_ID)
        return
    header = cells.rows[header_index]
    header_row = cells.row_numbers[header_index]
    normalised = [normalise_header(c) for c in header]
    gem = [i for i, c in enumerate(normalised) if _GEM_COLUMN.match(c)]
    if len(gem) != 1:
        raise InputError(f"{cells.file} row {header_row}: expected one 'gemYYYY' column, found "
                         f"{[header[i] for i in gem]}")
    classification_year = int(_GEM_COLUMN.match(normalised[gem[0]]).group(1))
    pos_period = column_index(cells, header, PERIOD, header_row)
    pos_n1 = column_index(cells, header, EVENTS, header_row)
    pos_n0 = column_index(cells, header, NON_EVENTS, header_row)
    pos_name = next((i for i, c in enumerate(normalised) if c in NAME_COLUMNS), None)
    rows, numbers = data_rows(cells, header_index)
    for row, number in zip(rows, numbers, strict=True):
        code = required_code(row[gem[0]], file=cells.file, row=number, column=header[gem[0]],
                             expected="a gemeente code")
        period = required_code(row[pos_period], file=cells.file, row=number, column=PERIOD,
                               expected="a year or a period such as 2015-2019")
        areas.check_code(code, file=cells.file, row=number, column=header[gem[0]])
        n1, m1 = parse_cell(row[pos_n1], file=cells.file, row=number, column=EVENTS,
                            decimal_hint=cells.decimal_hint, count=True)
        n0, m0 = parse_cell(row[pos_n0], file=cells.file, row=number, column=NON_EVENTS,
                            decimal_hint=cells.decimal_hint, count=True)
        out["area_code"].append(code)
        out["area_name"].append((row[pos_name].strip() or None) if pos_name is not None
                                else None)
        out["classification_year"].append(classification_year)
        out["indicator_code"].append(None)
        out["period_label"].append(period)
        out["numerator"].append(n1)
        out["non_events"].append(n0)
        out["denominator"].append(None)
        out["value"].append(None)
        out["marker"].append(m1 if m1 is not None else m0)
        out["source_file"].append(cells.file)
        out["source_row"].append(number)
    indicator = _indicator(path, cells)
    out["indicator_code"][:] = [indicator if c is None else c for c in out["indicator_code"]]


def land(raw_paths: list[Path]) -> dict[str, pa.Table]:
    """Parse RIVM Kansrijke Start indicator files into the landing ``observations`` table.

    Raises:
        InputError: a missing column (named), an unrecognised layout, or a count cell that is
            neither a whole number nor a suppression marker (names file, row and column).
    """
    columns = ("area_code", "area_name", "classification_year", "indicator_code",
               "period_label", "numerator", "non_events", "denominator", "value", "marker",
               "source_file", "source_row")
    out: dict[str, list] = {c: [] for c in columns}
    files = payload_files(raw_paths, SOURCE_ID)
    for path in files:
        _parse_file(path, out)
    frame = pd.DataFrame(out)
    for column in ("numerator", "non_events", "denominator", "value"):
        frame[column] = frame[column].astype("float64")
    check_unique_keys(frame)
    return {"observations": to_observations_table(frame)}
