"""The long layout for dropped files: one row per gemeente × indicator × period.

Accepted by every indicator file source (``rivm_kansrijke_start``, ``perined_kerncijfers``,
``rivm_vaccinatiegraad``) beside its native layout. A file in the inbox is routed to the
source of its indicators (``source_id`` in ``pipeline/indicators.yml``), so a long file lands
under the same source as the native files of that indicator and maps to the catalogue the same
way. One file holds indicators of one source.

Columns, matched case-, space- and punctuation-insensitively (Dutch synonyms):

==============  =========================================================================
gemeente code   gemeentecode, gemcode, gemnr, gemeentenummer, code, regiocode, gebiedscode,
                cbscode — or ``gemYYYY`` (then YYYY is the classification year)
gemeente name   gemeentenaam, gemnaam, naam, gemeente, regio, regionaam, gebied, gebiedsnaam
indicator       indicator, indicatorcode, indicatornaam, indicatorid, onderwerp, kenmerk —
                an indicator id, the source's own code or the Dutch title of the catalogue
period          jaar, periode, jaren, peiljaar, jaartal — ``2023`` or ``2019-2023``
numerator       teller, aantal, n, numerator
denominator     noemer, totaal, denominator, populatie
value           percentage, waarde, value, promille, pct, perc, ``%``, per1000
==============  =========================================================================

A code, a name or both (they must agree) identify the gemeente; ``NL01`` and 2025 GGD-regio
and provincie codes are accepted as published region rows. Needs a numerator and/or a value
column. Checks (each an :class:`InputError` naming file, row and column): unknown indicator or
one of another source, unknown gemeente code or name, a period that is not ``YYYY`` or
``YYYY-YYYY``, counts that are not whole numbers >= 0, numerator > denominator, a value outside
its unit's range (0–100 for %, 0–1000 for ‰ and per 1000). Without a ``gemYYYY`` column the
classification year is the latest in which all gemeente codes of the file were in use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from pipeline import catalogue
from pipeline.errors import InputError
from pipeline.ingest import areas
from pipeline.ingest.parsing import (
    HEADER_SEARCH_ROWS,
    Cells,
    data_rows,
    normalise_header,
    parse_cell,
)

SYNONYMS = {
    "code": ("gemeentecode", "gemcode", "gemnr", "gemeentenummer", "code", "regiocode",
             "gebiedscode", "cbscode", "gmcode"),
    "name": ("gemeentenaam", "gemnaam", "naam", "gemeente", "regio", "regionaam", "gebied",
             "gebiedsnaam"),
    "indicator": ("indicator", "indicatorcode", "indicatornaam", "indicatorid", "onderwerp",
                  "kenmerk"),
    "period": ("jaar", "periode", "jaren", "peiljaar", "jaartal"),
    "numerator": ("teller", "aantal", "n", "numerator"),
    "denominator": ("noemer", "totaal", "denominator", "populatie"),
    "value": ("percentage", "waarde", "value", "promille", "pct", "perc", "%", "per1000"),
}
DESCRIPTION = ("long layout (gemeente code and/or name, indicator, jaar or periode, teller/noemer "
               "and/or percentage/waarde)")
_GEM_COLUMN = re.compile(r"^gem(\d{4})$")
_PERIOD = re.compile(r"^(\d{4})(?:\s*[-–]\s*(\d{4}))?$")
UNIT_MAX = {"%": 100.0, "‰": 1000.0, "per 1000": 1000.0}


def header_key(name: object) -> str:
    """'Gemeente code' == 'gemeente_code' == 'GEMEENTECODE'; '(%)' == '%'."""
    return re.sub(r"[_\-.()\[\]]", "", normalise_header(name))


def columns(header: list[str]) -> dict[str, int]:
    """Role → position of the first header cell with one of the role's names."""
    keys = [header_key(h) for h in header]
    found: dict[str, int] = {}
    for role, names in SYNONYMS.items():
        hits = [i for i, k in enumerate(keys) if k in names]
        if role == "code":
            hits = [i for i, k in enumerate(keys) if _GEM_COLUMN.match(k)] + hits
        if hits:
            found[role] = hits[0]
    return found


def recognise(header_names: list[str]) -> bool:
    """True when a header row is the long layout."""
    found = columns(header_names)
    return ({"indicator", "period"} <= set(found) and bool({"code", "name"} & set(found))
            and bool({"numerator", "value"} & set(found)))


@dataclass(frozen=True)
class Indicator:
    """A catalogue indicator as a long file may name it."""

    indicator_id: str
    source_id: str
    code: str  # the source's own code (landing indicator_code)
    unit: str


@cache
def indicators() -> dict[str, Indicator]:
    """Name key (id, source code or Dutch title) → indicator."""
    found: dict[str, Indicator] = {}
    for row in catalogue.load().itertuples():
        codes = row.source_codes.split(",")
        indicator = Indicator(row.indicator_id, row.source_id, codes[0], row.unit)
        for name in (row.indicator_id, *codes, row.title):
            found.setdefault(areas.name_key(name), indicator)
    return found


def lookup(text: str, *, file: str, row: int, column: str) -> Indicator:
    """The catalogue indicator a cell names.

    Raises:
        InputError: not an indicator id, source code or title of the catalogue.
    """
    indicator = indicators().get(areas.name_key(text))
    if indicator is None:
        raise InputError(f"{file} row {row}, column {column!r}: unknown indicator "
                         f"{text.strip()!r} (expected an indicator id, source code or Dutch "
                         f"title from pipeline/indicators.yml)")
    return indicator


def find_header(cells: Cells, native, native_expected: str) -> tuple[str, int]:  # noqa: ANN001
    """``("native" | "long", index)`` of the first header row of either layout.

    Raises:
        InputError: neither layout in the first rows (names both).
    """
    for index, row in enumerate(cells.rows[:HEADER_SEARCH_ROWS]):
        if native([normalise_header(c) for c in row]):
            return "native", index
        if recognise(row):
            return "long", index
    raise InputError(f"{cells.file}: unrecognised layout: no header row with {native_expected}, "
                     f"nor the {DESCRIPTION}, in the first {HEADER_SEARCH_ROWS} rows")


def sources_in(cells: Cells, header_index: int) -> set[str]:
    """The catalogue sources of the indicators a long file names (for inbox routing)."""
    position = columns(cells.rows[header_index])["indicator"]
    rows, _ = data_rows(cells, header_index)
    found = {indicators().get(areas.name_key(r[position])) for r in rows}
    return {i.source_id for i in found if i is not None}


def _period(text: str, *, file: str, row: int, column: str) -> str:
    label = text.strip()
    match = _PERIOD.match(label)
    if not match or (match.group(2) and int(match.group(2)) < int(match.group(1))):
        raise InputError(f"{file} row {row}, column {column!r}: expected a year such as 2023 or "
                         f"a period such as 2019-2023, got {label!r}")
    return label


def _figures(row: list[str], number: int, cells: Cells, header: list[str],
             found: dict[str, int], indicator: Indicator) -> dict:
    parsed = {}
    for role in ("numerator", "denominator", "value"):
        if role in found:
            parsed[role] = parse_cell(row[found[role]], file=cells.file, row=number,
                                      column=header[found[role]],
                                      decimal_hint=cells.decimal_hint, count=role != "value")
        else:
            parsed[role] = (None, None)
    (num, _), (den, _), (value, _) = parsed["numerator"], parsed["denominator"], parsed["value"]
    if num is not None and den is not None and num > den:
        raise InputError(f"{cells.file} row {number}, column {header[found['numerator']]!r}: "
                         f"expected a numerator no larger than the denominator "
                         f"({header[found['denominator']]!r} = {den:g}), got {num:g}")
    high = UNIT_MAX.get(indicator.unit)
    if value is not None and (value < 0 or (high is not None and value > high)):
        expected = (f"a value in {indicator.unit} between 0 and {high:g}" if high is not None
                    else "a value >= 0")
        raise InputError(f"{cells.file} row {number}, column {header[found['value']]!r}: "
                         f"expected {expected}, got {value:g}")
    published = num is not None or value is not None
    markers = [m for _, m in parsed.values() if m is not None]
    marker = None if published else (next((m for m in markers if m), None) or
                                     (markers[0] if markers else ""))
    return {"numerator": num, "denominator": den, "value": value, "marker": marker}


def parse(cells: Cells, header_index: int, source_id: str) -> list[dict]:
    """Rows of a long file as landing records of ``source_id`` (see the module docstring)."""
    header = cells.rows[header_index]
    found = columns(header)
    gem = _GEM_COLUMN.match(header_key(header[found["code"]])) if "code" in found else None
    records, codes = [], set()
    rows, numbers = data_rows(cells, header_index)
    for row, number in zip(rows, numbers, strict=True):
        column = header[found["indicator"]]
        indicator = lookup(row[found["indicator"]], file=cells.file, row=number, column=column)
        if indicator.source_id != source_id:
            raise InputError(f"{cells.file} row {number}, column {column!r}: indicator "
                             f"{indicator.indicator_id!r} belongs to source "
                             f"{indicator.source_id}, not {source_id}; ingest this file with "
                             f"--source {indicator.source_id}")
        code_text = row[found["code"]] if "code" in found else ""
        name_text = row[found["name"]] if "name" in found else ""
        code = areas.resolve(code_text, name_text, file=cells.file, row=number,
                             code_column=header[found["code"]] if "code" in found else "",
                             name_column=header[found["name"]] if "name" in found else "")
        if code.startswith("GM"):
            codes.add(code)
        records.append({
            "area_code": code_text.strip() or code,
            "area_name": (name_text.strip() or None) if not areas.looks_like_code(name_text)
            else None,
            "indicator_code": indicator.code,
            "period_label": _period(row[found["period"]], file=cells.file, row=number,
                                    column=header[found["period"]]),
            **_figures(row, number, cells, header, found, indicator),
            "source_file": cells.file,
            "source_row": number,
        })
    year = int(gem.group(1)) if gem else areas.classification_year_of(codes)
    for record in records:
        record["classification_year"] = year
        record["non_events"] = None
    return records


def append_to(out: dict[str, list], cells: Cells, header_index: int, source_id: str) -> None:
    """Parse a long-layout file and append its records to the column lists of ``out``."""
    for record in parse(cells, header_index, source_id):
        for column, values in out.items():
            values.append(record.get(column))
