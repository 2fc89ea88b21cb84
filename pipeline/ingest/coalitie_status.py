"""Coalition self-assessment against the "Toets minimale eisen lokale coalitie Kansrijke Start".

The input is the project's own template (``data/inbox/templates/``, CSV or XLSX): one row per
gemeente per assessment year, Dutch headers, matched case- and space-insensitively, ``,`` or
``;``, UTF-8 with or without BOM or cp1252, XLSX with optional title rows above the header::

    Gemeentecode | Gemeentenaam | Jaar | Datum beoordeling | Lokale coalitie |
    Eis 1 Samenwerking medisch en sociaal domein | Toelichting eis 1 | … | Eis 9 … |
    Toelichting eis 9 | Regionale ketenregisseur | Stevig Ouderschap | CenteringZwangerschap |
    CenteringOuderschap | Prenataal huisbezoek | Nu Niet Zwanger | VoorZorg |
    Overige interventies | Opmerkingen

- The gemeente is identified by its current (2025) CBS code, by its name, or both (then they
  must agree); names are looked up in ``data/reference/gemeenten_2025_ggd_provincie.csv``.
- The nine requirements and *Lokale coalitie* take ``ja`` / ``deels`` / ``nee``; the
  ketenregisseur and the interventions (one column each: offered in the gemeente or not) take
  ``ja`` / ``nee``. Empty or ``onbekend`` means *not answered* and lands as null (never "nee").
- A requirement column is any header starting with ``Eis N`` (N = 1…9), so the description
  after the number may be reworded; ``Toelichting eis N`` columns are optional.
- *Jaar* is the year the assessment is about; *Datum beoordeling* (``2024-03-15``,
  ``15-03-2024``, ``15/3/2024`` or an Excel date) must lie within a year of it.

Landing (``assessments``): one row per file row, answers as the lower-case words above (null =
not answered), the gemeente's current code resolved from the published code or name (both also
landed as published), and provenance (``source_file``, ``source_row`` = physical 1-based row).

Rejected with :class:`InputError` (one line naming file, row, column and what was expected): a
missing column, an unknown gemeente (or a code of a gemeente that no longer exists), a code and
name that disagree, an invalid answer, an unreadable date or year, and a second row for the same
gemeente and year (also across files of one snapshot).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import pandas as pd
import pyarrow as pa

from pipeline.config import REFERENCE_DIR
from pipeline.errors import InputError
from pipeline.ingest.fetchers import fetch_files
from pipeline.ingest.parsing import (
    Cells,
    clean_code,
    data_rows,
    locate_header,
    normalise_header,
    payload_files,
    read_cells,
)

log = logging.getLogger(__name__)

CLASSIFICATION_YEAR = 2025
SOURCE_ID = "coalitie_status"
N_REQUIREMENTS = 9

# Template headers (the shipped templates use exactly these; see data/inbox/templates/).
CODE, NAME, YEAR, DATE = "Gemeentecode", "Gemeentenaam", "Jaar", "Datum beoordeling"
COALITION = "Lokale coalitie"
REQUIREMENT_HEADERS = (
    "Eis 1 Samenwerking medisch en sociaal domein",
    "Eis 2 Plan van aanpak",
    "Eis 3 Betrekken doelgroep",
    "Eis 4 Doel preconceptie",
    "Eis 5 Doel minder onbedoelde zwangerschappen",
    "Eis 6 Doel eerder signaleren hulpvraag",
    "Eis 7 Aandacht taalontwikkeling",
    "Eis 8 Samenwerkingsafspraken",
    "Eis 9 Deelname RIVM-monitoring",
)
# The requirements in full, as in the Toets minimale eisen (also the mart's requirement_label).
REQUIREMENT_TEXTS = (
    "Samenwerking tussen ten minste één partij uit het medisch én één uit het sociaal domein",
    "Een plan van aanpak",
    "Een vorm van betrekken van de doelgroep (ervaringsdeskundigen, klankbord- of spiegelgroep)",
    "Een doel gericht op goed voorbereid zwanger worden (preconceptie)",
    "Een doel gericht op minder onbedoelde zwangerschappen (bijv. Nu Niet Zwanger)",
    "Een doel gericht op beter en eerder signaleren van een hulp- of steunvraag",
    "Aandacht voor taalontwikkeling (bijv. Boekstart)",
    "Eén of meer samenwerkingsafspraken op uitvoerings-, beleids- of bestuurlijk niveau",
    "Deelname aan de RIVM-monitoring Kansrijke Start",
)
KETENREGISSEUR = "Regionale ketenregisseur"
# landing column → template header (one yes/no column per intervention)
INTERVENTIONS = {
    "interventie_stevig_ouderschap": "Stevig Ouderschap",
    "interventie_centering_zwangerschap": "CenteringZwangerschap",
    "interventie_centering_ouderschap": "CenteringOuderschap",
    "interventie_prenataal_huisbezoek": "Prenataal huisbezoek",
    "interventie_nu_niet_zwanger": "Nu Niet Zwanger",
    "interventie_voorzorg": "VoorZorg",
}
OTHER_INTERVENTIONS, REMARKS = "Overige interventies", "Opmerkingen"


def remarks_header(number: int) -> str:
    """Template header of the optional remarks column of requirement ``number``."""
    return f"Toelichting eis {number}"


def template_headers() -> list[str]:
    """The template's columns in order (the shipped CSV and XLSX templates use these)."""
    requirements = [h for n, header in enumerate(REQUIREMENT_HEADERS, start=1)
                    for h in (header, remarks_header(n))]
    return [CODE, NAME, YEAR, DATE, COALITION, *requirements, KETENREGISSEUR,
            *INTERVENTIONS.values(), OTHER_INTERVENTIONS, REMARKS]


# Accepted spellings of a few headers (normalised) besides the template's own.
ALIASES = {
    CODE: ("gemeentecode", "gemcode", "cbscode"),
    NAME: ("gemeentenaam", "gemeente"),
    YEAR: ("jaar", "beoordelingsjaar"),
    DATE: ("datumbeoordeling", "datum"),
    COALITION: ("lokalecoalitie", "coalitie", "coalitieaanwezig", "lokalecoalitieaanwezig"),
    KETENREGISSEUR: ("regionaleketenregisseur", "ketenregisseur"),
}
THREE_WAY = {"ja": "ja", "nee": "nee", "deels": "deels", "gedeeltelijk": "deels"}
TWO_WAY = {"ja": "ja", "nee": "nee"}
NOT_ANSWERED = frozenset({"", "onbekend"})
_REQUIREMENT = re.compile(r"^eis([1-9])(?![0-9])")
_REMARKS = re.compile(r"^toelichting(?:bij)?eis([1-9])(?![0-9])")
_DATES = (
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$"), (1, 2, 3)),
    (re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$"), (3, 2, 1)),
)
MIN_YEAR, MAX_YEAR = 2015, 2100
# Common names that are not the CBS name (normalised name → code).
NAME_ALIASES = {"denhaag": "GM0518", "denbosch": "GM0796"}

ASSESSMENTS_SCHEMA = pa.schema(
    [
        # gemeente: the current (2025) CBS code resolved from the published code and/or name
        pa.field("gemeente_code", pa.string(), nullable=False),
        pa.field("published_code", pa.string()),
        pa.field("published_name", pa.string()),
        # the year the assessment is about, and the date it was made
        pa.field("assessment_year", pa.int32(), nullable=False),
        pa.field("assessment_date", pa.date32(), nullable=False),
        # 'ja' / 'deels' / 'nee'; null = not answered
        pa.field("lokale_coalitie", pa.string()),
        *[f for n in range(1, N_REQUIREMENTS + 1)
          for f in (pa.field(f"eis_{n}", pa.string()),
                    pa.field(f"eis_{n}_toelichting", pa.string()))],
        # 'ja' / 'nee'; null = not answered
        pa.field("regionale_ketenregisseur", pa.string()),
        *[pa.field(column, pa.string()) for column in INTERVENTIONS],
        pa.field("overige_interventies", pa.string()),
        pa.field("opmerkingen", pa.string()),
        # provenance: the file inside the snapshot and its 1-based physical row
        pa.field("source_file", pa.string(), nullable=False),
        pa.field("source_row", pa.int32(), nullable=False),
    ]
)
# For a build without a coalitie_status snapshot (empty landing tables of the right shape).
LANDING_SCHEMAS = {"assessments": ASSESSMENTS_SCHEMA}

fetch = fetch_files  # a dropped or given file (live) or the bundled demo payload (demo)


# --------------------------------------------------------------------------------------------
# reference


def _name_key(name: str) -> str:
    return normalise_header(name).replace("-", "").replace("'", "").replace("’", "")


@dataclass(frozen=True)
class Reference:
    """Current gemeenten by code and by name, and the successors of former codes."""

    names: dict[str, str]  # current code → name
    by_name: dict[str, str]  # normalised name → current code
    successors: dict[str, list[str]]  # former code → current code(s)


@cache
def reference(reference_dir: Path = REFERENCE_DIR) -> Reference:
    """The lookup tables from ``data/reference`` (2025 classification, CBS)."""
    current = pd.read_csv(reference_dir / "gemeenten_2025_ggd_provincie.csv", dtype=str)
    history = pd.read_csv(reference_dir / "gemeente_code_naar_2025.csv", dtype=str)
    names = dict(zip(current.gemeente_code, current.gemeente_naam, strict=True))
    by_name = {_name_key(n): c for c, n in names.items()}
    by_name |= {_name_key(n): c for c, n in zip(current.gemeente_code,
                                                current.gemeente_label_statline, strict=True)}
    by_name |= NAME_ALIASES
    former = history[~history.gemeente_code.isin(names)]
    successors = former.groupby("gemeente_code").gemeente_code_2025.agg(sorted).to_dict()
    return Reference(names, by_name, successors)


# --------------------------------------------------------------------------------------------
# header


def recognise(header_names: list[str]) -> bool:
    """True when a header row is this template's (for routing files dropped in the inbox).

    Needs a gemeente column (code or name), a year, the coalition question and all nine
    ``Eis N`` columns.
    """
    normalised = [normalise_header(h) for h in header_names]
    requirements = {m.group(1) for h in normalised if (m := _REQUIREMENT.match(h))}
    has = {key: any(h in ALIASES[key] for h in normalised)
           for key in (CODE, NAME, YEAR, COALITION)}
    return (len(requirements) == N_REQUIREMENTS and (has[CODE] or has[NAME]) and has[YEAR]
            and has[COALITION])


@dataclass(frozen=True)
class Layout:
    """Column positions of one file's header (None: optional column absent)."""

    code: int | None
    name: int | None
    year: int
    date: int
    coalition: int
    requirements: dict[int, int]  # requirement number → position
    remarks: dict[int, int]
    ketenregisseur: int
    interventions: dict[str, int]  # landing column → position
    other_interventions: int | None
    opmerkingen: int | None


def _find(normalised: list[str], names: tuple[str, ...]) -> int | None:
    hits = [i for i, h in enumerate(normalised) if h in names]
    return hits[0] if hits else None


def _layout(cells: Cells, header: list[str], header_row: int) -> Layout:
    """Positions of every template column; a missing required column raises."""
    normalised = [normalise_header(h) for h in header]
    found = ", ".join(repr(h) for h in header if h.strip())

    def required(label: str, names: tuple[str, ...]) -> int:
        pos = _find(normalised, names)
        if pos is None:
            raise InputError(f"{cells.file} row {header_row}: missing column {label!r} "
                             f"(found: {found})")
        return pos

    def numbered(pattern: re.Pattern) -> dict[int, int]:
        out: dict[int, int] = {}
        for i, h in enumerate(normalised):
            if m := pattern.match(h):
                number = int(m.group(1))
                if number in out:
                    raise InputError(f"{cells.file} row {header_row}, column {header[i]!r}: "
                                     f"a second column for requirement {number}")
                out[number] = i
        return out

    code, name = _find(normalised, ALIASES[CODE]), _find(normalised, ALIASES[NAME])
    if code is None and name is None:
        raise InputError(f"{cells.file} row {header_row}: missing column {CODE!r} or {NAME!r} "
                         f"(found: {found})")
    requirements = numbered(_REQUIREMENT)
    for number in range(1, N_REQUIREMENTS + 1):
        if number not in requirements:
            raise InputError(f"{cells.file} row {header_row}: missing column "
                             f"{REQUIREMENT_HEADERS[number - 1]!r} (a header starting with "
                             f"'Eis {number}'; found: {found})")
    layout = Layout(
        code=code, name=name,
        year=required(YEAR, ALIASES[YEAR]),
        date=required(DATE, ALIASES[DATE]),
        coalition=required(COALITION, ALIASES[COALITION]),
        requirements=requirements,
        remarks=numbered(_REMARKS),
        ketenregisseur=required(KETENREGISSEUR, ALIASES[KETENREGISSEUR]),
        interventions={col: required(label, (normalise_header(label),))
                       for col, label in INTERVENTIONS.items()},
        other_interventions=_find(normalised, (normalise_header(OTHER_INTERVENTIONS),)),
        opmerkingen=_find(normalised, (normalise_header(REMARKS), "toelichting")),
    )
    _log_unexpected(cells, header, layout)
    return layout


def _log_unexpected(cells: Cells, header: list[str], layout: Layout) -> None:
    used = {layout.code, layout.name, layout.year, layout.date, layout.coalition,
            layout.ketenregisseur, layout.other_interventions, layout.opmerkingen,
            *layout.requirements.values(), *layout.remarks.values(),
            *layout.interventions.values()}
    extra = [h for i, h in enumerate(header) if i not in used and h.strip()]
    if extra:
        log.warning("%s: ignoring unexpected column(s) %s", cells.file, extra)


# --------------------------------------------------------------------------------------------
# cells


def parse_answer(text: str, allowed: dict[str, str], *, file: str, row: int,
                 column: str) -> str | None:
    """``'ja'``/``'deels'``/``'nee'`` (as allowed) or None for an unanswered cell.

    Raises:
        InputError: any other text (names file, row, column and the allowed answers).
    """
    key = text.strip().lower()
    if key in NOT_ANSWERED:
        return None
    if key in allowed:
        return allowed[key]
    choices = " / ".join(sorted(set(allowed.values()), key=["ja", "deels", "nee"].index))
    raise InputError(f"{file} row {row}, column {column!r}: expected {choices} (or empty when "
                     f"unknown), got {text.strip()!r}")


def parse_year(text: str, *, file: str, row: int, column: str) -> int:
    """The assessment year (a whole number 2015–2100).

    Raises:
        InputError: empty, not a year, or out of range.
    """
    value = clean_code(text)
    if not re.fullmatch(r"\d{4}", value) or not MIN_YEAR <= int(value) <= MAX_YEAR:
        raise InputError(f"{file} row {row}, column {column!r}: expected a year such as 2024 "
                         f"({MIN_YEAR}–{MAX_YEAR}), got {text.strip()!r}")
    return int(value)


def parse_date(text: str, *, file: str, row: int, column: str) -> date:
    """A date written as ``2024-03-15``, ``15-03-2024``, ``15/3/2024`` or an Excel date.

    Raises:
        InputError: empty or not a valid date.
    """
    value = text.strip()
    for pattern, (y, m, d) in _DATES:
        if match := pattern.match(value):
            try:
                return date(int(match.group(y)), int(match.group(m)), int(match.group(d)))
            except ValueError:
                break
    raise InputError(f"{file} row {row}, column {column!r}: expected a date such as 2024-03-15 "
                     f"or 15-03-2024, got {value!r}")


def resolve_gemeente(code_text: str | None, name_text: str | None, *, file: str, row: int,
                     ref: Reference) -> str:
    """The current CBS code of the gemeente a row is about (from its code and/or name).

    Raises:
        InputError: unknown or former code, unknown name, code and name disagree, or neither.
    """
    code_raw = clean_code(code_text or "")
    name_raw = (name_text or "").strip()
    code = None
    if code_raw:
        digits = code_raw.upper().removeprefix("GM")
        candidate = f"GM{digits.zfill(4)}" if digits.isdigit() and len(digits) <= 4 else None
        if candidate in ref.names:
            code = candidate
        elif candidate in ref.successors:
            now = ", ".join(f"{c} {ref.names[c]}" for c in ref.successors[candidate])
            raise InputError(f"{file} row {row}, column {CODE!r}: {code_raw!r} is a former "
                             f"gemeente; expected a current (2025) code (now: {now})")
        else:
            raise InputError(f"{file} row {row}, column {CODE!r}: unknown gemeente code "
                             f"{code_raw!r}; expected a current (2025) CBS code such as GM0363")
    if name_raw:
        by_name = ref.by_name.get(_name_key(name_raw))
        if by_name is None and code is None:
            raise InputError(f"{file} row {row}, column {NAME!r}: unknown gemeente "
                             f"{name_raw!r}; expected a current (2025) gemeente name as CBS "
                             f"writes it (e.g. 'Súdwest-Fryslân') or a Gemeentecode")
        if code is not None and by_name is not None and by_name != code:
            raise InputError(f"{file} row {row}, column {NAME!r}: {name_raw!r} does not match "
                             f"code {code} ({ref.names[code]})")
        code = code or by_name
    if code is None:
        raise InputError(f"{file} row {row}, column {CODE!r}: expected a Gemeentecode or a "
                         f"Gemeentenaam, both are empty")
    return code


# --------------------------------------------------------------------------------------------
# rows


def _cell(row: list[str], pos: int | None) -> str:
    return row[pos] if pos is not None else ""


def _text(row: list[str], pos: int | None) -> str | None:
    return _cell(row, pos).strip() or None


def _parse_row(row: list[str], number: int, cells: Cells, header: list[str], layout: Layout,
               ref: Reference) -> dict:
    file = cells.file

    def answer(pos: int, allowed: dict[str, str]) -> str | None:
        return parse_answer(row[pos], allowed, file=file, row=number, column=header[pos])

    year = parse_year(row[layout.year], file=file, row=number, column=header[layout.year])
    when = parse_date(row[layout.date], file=file, row=number, column=header[layout.date])
    if abs(when.year - year) > 1:
        raise InputError(f"{file} row {number}, column {header[layout.date]!r}: expected a date "
                         f"within a year of {header[layout.year]} {year}, got {when.isoformat()}")
    record = {
        "gemeente_code": resolve_gemeente(_cell(row, layout.code), _cell(row, layout.name),
                                          file=file, row=number, ref=ref),
        "published_code": _text(row, layout.code),
        "published_name": _text(row, layout.name),
        "assessment_year": year,
        "assessment_date": when,
        "lokale_coalitie": answer(layout.coalition, THREE_WAY),
    }
    for n in range(1, N_REQUIREMENTS + 1):
        record[f"eis_{n}"] = answer(layout.requirements[n], THREE_WAY)
        record[f"eis_{n}_toelichting"] = _text(row, layout.remarks.get(n))
    record["regionale_ketenregisseur"] = answer(layout.ketenregisseur, TWO_WAY)
    for column, pos in layout.interventions.items():
        record[column] = answer(pos, TWO_WAY)
    record["overige_interventies"] = _text(row, layout.other_interventions)
    record["opmerkingen"] = _text(row, layout.opmerkingen)
    record["source_file"] = file
    record["source_row"] = number
    return record


def _looks_like_header(normalised: list[str]) -> bool:
    """A gemeente, a year and at least one requirement column: the header row of the template
    (then :func:`_layout` names any column that is missing)."""
    names = ALIASES[CODE] + ALIASES[NAME]
    return (any(h in names for h in normalised) and any(h in ALIASES[YEAR] for h in normalised)
            and any(_REQUIREMENT.match(h) for h in normalised))


def parse_file(path: Path, ref: Reference | None = None) -> list[dict]:
    """The assessment rows of one template file (CSV or XLSX), validated.

    Raises:
        InputError: see the module docstring.
    """
    ref = ref or reference()
    cells = read_cells(path)
    header_index = locate_header(cells, _looks_like_header,
                                 f"columns {CODE!r} or {NAME!r}, {YEAR!r}, {COALITION!r} and "
                                 f"'Eis 1' … 'Eis 9'")
    header = cells.rows[header_index]
    layout = _layout(cells, header, cells.row_numbers[header_index])
    rows, numbers = data_rows(cells, header_index)
    return [_parse_row(row, number, cells, header, layout, ref)
            for row, number in zip(rows, numbers, strict=True)
            if any(c.strip() for c in row)]  # blank spreadsheet rows are not rows


def _check_duplicates(records: list[dict], ref: Reference) -> None:
    seen: dict[tuple[str, int], dict] = {}
    for record in records:
        key = (record["gemeente_code"], record["assessment_year"])
        if key in seen:
            first = seen[key]
            raise InputError(
                f"{record['source_file']} row {record['source_row']}, column {YEAR!r}: a second "
                f"assessment of {key[0]} {ref.names[key[0]]} for {key[1]} (first in "
                f"{first['source_file']} row {first['source_row']}); expected one row per "
                f"gemeente per year")
        seen[key] = record


def land(raw_paths: list[Path]) -> dict[str, pa.Table]:
    """Parse the self-assessment files of a snapshot into the landing ``assessments`` table.

    Raises:
        InputError: no file or no rows, or any invalid cell (see the module docstring).
    """
    files = payload_files(raw_paths, SOURCE_ID)
    ref = reference()
    records = [record for path in files for record in parse_file(path, ref)]
    if not records:
        raise InputError(f"{', '.join(p.name for p in files)}: no assessment rows below the "
                         f"header; expected one row per gemeente per year")
    _check_duplicates(records, ref)
    frame = pd.DataFrame.from_records(records, columns=ASSESSMENTS_SCHEMA.names)
    return {"assessments": pa.Table.from_pandas(frame, schema=ASSESSMENTS_SCHEMA,
                                                preserve_index=False)}
