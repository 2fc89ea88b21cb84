"""Shared helpers for the ``land()`` parsers: reading bytes into cells, finding headers, numbers.

Everything here reads *what the publisher wrote* and nothing more: cells stay text until a parser
asks for a number, suppression markers (``schema.SUPPRESSION_MARKERS``) become a null value plus
the marker text, and a cell that is neither a number nor a marker raises :class:`InputError` with
a one-line message naming file, row and column. A marker is never turned into 0.

Encodings: strict UTF-8 (with or without BOM) first; otherwise cp1252 and cp850 are both tried and
the one that yields fewer implausible characters for Dutch text wins (cp850 "Skarsterlân" read as
cp1252 shows "Skarsterlƒn"; cp1252 "Súdwest-Fryslân" read as cp850 shows "S·dwest-FryslΓn").
"""

from __future__ import annotations

import csv
import io
import math
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pipeline.errors import InputError
from pipeline.ingest.schema import SUPPRESSION_MARKERS

EXCEL_SUFFIXES = frozenset({".xlsx", ".xlsm"})
HEADER_SEARCH_ROWS = 30  # title rows above the header are looked for in this many rows

# cp1252 typography that is plausible in Dutch text (not inside a word)
_PLAUSIBLE_PUNCTUATION = frozenset("–—‘’“”€…‰•")
_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$")
_GROUPED = {".": re.compile(r"^[+-]?\d{1,3}(\.\d{3})+$"),
            ",": re.compile(r"^[+-]?\d{1,3}(,\d{3})+$")}


# --------------------------------------------------------------------------------------------
# encodings


def _implausible(text: str) -> int:
    """How many characters of ``text`` are unlikely in Dutch/Frisian names and headers."""
    count = 0
    for i, ch in enumerate(text):
        if ch.isascii():
            if ord(ch) < 32 and ch not in "\r\n\t":
                count += 1
            continue
        prev_alpha = i > 0 and text[i - 1].isalpha()
        next_alpha = i + 1 < len(text) and text[i + 1].isalpha()
        if "\u00c0" <= ch <= "\u00ff" and ch not in "×÷":
            # a capital accented letter right after a lower-case letter is a decoding artefact
            if ch.isupper() and i > 0 and text[i - 1].islower():
                count += 1
        elif ch in _PLAUSIBLE_PUNCTUATION:
            if prev_alpha and next_alpha:
                count += 1
        elif ch == "\u00a0":
            continue
        else:
            count += 1
    return count


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode a text file; return ``(text, encoding)``.

    Strict UTF-8 first (``utf-8-sig`` when a BOM is present), then cp1252 or cp850, whichever
    yields fewer implausible characters (a tie goes to cp1252).
    """
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    candidates: list[tuple[int, int, str, str]] = []
    for rank, encoding in enumerate(("cp1252", "cp850")):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        candidates.append((_implausible(text), rank, text, encoding))
    if not candidates:  # pragma: no cover - cp850 decodes every byte
        raise UnicodeDecodeError("cp850", data, 0, 1, "undecodable")
    _, _, text, encoding = min(candidates)
    return text, encoding


# --------------------------------------------------------------------------------------------
# separators and cells


def _count_outside_quotes(line: str, char: str) -> int:
    count, quoted = 0, False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif ch == char and not quoted:
            count += 1
    return count


def sniff_separator(text: str) -> str:
    """``;`` or ``,``: the one that splits the widest line among the first lines (tie: ``;``)."""
    lines = [ln for ln in text.splitlines()[:HEADER_SEARCH_ROWS] if ln.strip()]
    best = {sep: max((_count_outside_quotes(ln, sep) for ln in lines), default=0)
            for sep in (";", ",")}
    return ";" if best[";"] >= best[","] else ","


@dataclass
class Cells:
    """The cells of one delimited or spreadsheet file, as text, with physical row numbers."""

    file: str  # file name used in messages and in ``source_file``
    rows: list[list[str]]
    row_numbers: list[int]  # 1-based physical row of each entry in ``rows``
    decimal_hint: str  # ',' or '.': what an ambiguous number such as '1.234' means


def _excel_text(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    return str(value).strip()


def read_cells(path: Path) -> Cells:
    """Read a CSV/TXT (any of the supported encodings and separators) or an XLSX (first sheet)."""
    if path.suffix.lower() in EXCEL_SUFFIXES:
        try:
            # na_filter=False: a cell reading 'NA' is a marker the parsers must see as text
            frame = pd.read_excel(path, header=None, dtype=object, sheet_name=0,
                                  na_filter=False)
        except Exception as exc:  # openpyxl raises many types for a damaged file
            raise InputError(f"{path.name}: cannot be read as an Excel workbook "
                             f"({type(exc).__name__})") from exc
        rows = [[_excel_text(v) for v in row] for row in frame.itertuples(index=False)]
        numbers = [i + 1 for i in range(len(rows))]
        return Cells(path.name, rows, numbers, ".")
    text, _ = decode_bytes(path.read_bytes())
    if not text.strip():
        raise InputError(f"{path.name}: the file is empty")
    sep = sniff_separator(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    rows: list[list[str]] = []
    numbers: list[int] = []
    start = 1
    try:
        for record in reader:
            if record and any(cell.strip() for cell in record):
                rows.append(record)
                numbers.append(start)
            start = reader.line_num + 1
    except csv.Error as exc:
        raise InputError(f"{path.name} row {start}: not a readable delimited text file "
                         f"({exc})") from exc
    return Cells(path.name, rows, numbers, "," if sep == ";" else ".")


# --------------------------------------------------------------------------------------------
# headers


def normalise_header(name: object) -> str:
    """Case- and space-insensitive form of a header: 'Big2 (%)' == 'big2(%)' == ' BIG2 (%) '."""
    text = unicodedata.normalize("NFKC", str(name)).replace("\ufeff", "")
    text = text.replace("≥", ">=").replace("≤", "<=").replace("‰", "promille")
    return re.sub(r"\s+", "", text.strip().strip('"')).lower()


def locate_header(cells: Cells, is_header, expected: str) -> int:  # noqa: ANN001
    """Index in ``cells.rows`` of the first row for which ``is_header(normalised cells)`` holds.

    Raises:
        InputError: no such row in the first rows (names what was expected).
    """
    for index, row in enumerate(cells.rows[:HEADER_SEARCH_ROWS]):
        if is_header([normalise_header(c) for c in row]):
            return index
    raise InputError(f"{cells.file}: unrecognised layout: no header row with {expected} "
                     f"in the first {HEADER_SEARCH_ROWS} rows")


def has_all(names: list[str]):  # noqa: ANN201
    """Predicate for :func:`locate_header`: the row holds all of ``names`` (normalised)."""
    wanted = {normalise_header(n) for n in names}
    return lambda row: wanted <= set(row)


def column_index(cells: Cells, header: list[str], name: str, header_row: int) -> int:
    """Position of the column ``name`` (normalised match) in ``header``.

    Raises:
        InputError: the column is missing (names it and the columns found).
    """
    wanted = normalise_header(name)
    for i, cell in enumerate(header):
        if normalise_header(cell) == wanted:
            return i
    found = ", ".join(repr(c) for c in header if c.strip())
    raise InputError(f"{cells.file} row {header_row}: missing column {name!r} (found: {found})")


def data_rows(cells: Cells, header_index: int) -> tuple[list[list[str]], list[int]]:
    """The rows below the header, padded to the header's width, with their row numbers."""
    width = len(cells.rows[header_index])
    rows, numbers = [], []
    for row, number in zip(cells.rows[header_index + 1:], cells.row_numbers[header_index + 1:],
                           strict=True):
        if len(row) > width and any(c.strip() for c in row[width:]):
            raise InputError(f"{cells.file} row {number}: expected {width} columns as in the "
                             f"header, got {len(row)}")
        rows.append((row + [""] * width)[:width])
        numbers.append(number)
    return rows, numbers


# --------------------------------------------------------------------------------------------
# numbers and markers


def marker_of(text: str) -> str | None:
    """The marker text when ``text`` is a suppression/unknown marker, else None."""
    stripped = text.strip()
    return stripped if stripped in SUPPRESSION_MARKERS else None


def parse_number(text: str, decimal_hint: str = ".") -> float | None:
    """A number written with decimal comma or point (and optional thousands separators).

    Returns None when ``text`` is not a number. With only one kind of separator, ``1,5`` and
    ``1.5`` both mean 1.5; a value such as ``1.234`` (thousands grouping) is read as 1234 only
    when ``decimal_hint`` is ``','`` (and ``1,234`` as 1234 only when it is ``'.'``).
    """
    s = text.strip().replace("\u00a0", "").replace(" ", "")
    if not s:
        return None
    if "," in s and "." in s:
        decimal = "," if s.rfind(",") > s.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        s = s.replace(thousands, "").replace(decimal, ".")
    elif "," in s or "." in s:
        sep = "," if "," in s else "."
        if sep != decimal_hint and _GROUPED[sep].match(s):
            s = s.replace(sep, "")
        elif s.count(sep) > 1:
            return None
        else:
            s = s.replace(",", ".")
    if not _NUMBER.match(s):
        return None
    return float(s)


def parse_cell(text: str, *, file: str, row: int, column: str, decimal_hint: str = ".",
               count: bool = False) -> tuple[float | None, str | None]:
    """``(value, marker)`` for one cell: a number and None, or None and the marker text.

    Raises:
        InputError: neither a number nor a marker; for ``count=True`` also a negative or
            fractional number.
    """
    marker = marker_of(text)
    if marker is not None:
        return None, marker
    value = parse_number(text, decimal_hint)
    what = "a count" if count else "a number"
    if value is None or not math.isfinite(value):
        raise InputError(f"{file} row {row}, column {column!r}: expected {what} or a "
                         f"suppression marker, got {text.strip()!r}")
    if count and (value < 0 or not value.is_integer()):
        raise InputError(f"{file} row {row}, column {column!r}: expected {what} (a whole "
                         f"number >= 0) or a suppression marker, got {text.strip()!r}")
    return value, None


def clean_code(text: str) -> str:
    """An area or period code as published, surrounding whitespace (and a stray '.0') removed."""
    s = text.strip()
    return s[:-2] if re.fullmatch(r"\d+\.0", s) else s


def required_code(text: str, *, file: str, row: int, column: str, expected: str) -> str:
    """:func:`clean_code` of a cell that must not be empty (else an error naming the cell)."""
    code = clean_code(text)
    if not code:
        raise InputError(f"{file} row {row}, column {column!r}: expected {expected}, got ''")
    return code


def payload_files(raw_paths: list[Path] | list[str], source_id: str) -> list[Path]:
    """The data files of a snapshot, by name (its README is documentation, not data).

    Raises:
        InputError: The snapshot holds no data file.
    """
    files = sorted((Path(p) for p in raw_paths if Path(p).name.lower() != "readme.md"),
                   key=lambda p: p.name)
    if not files:
        raise InputError(f"{source_id}: no file to parse")
    return files
