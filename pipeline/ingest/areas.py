"""Area codes and gemeente names in dropped files, checked against the reference geography.

Reference (``data/reference``, CBS, CC BY 4.0): the 342 gemeenten of 2025 with their GGD-regio
and provincie, every gemeente code used since 1981 with its 2025 successor, and the
reorganisations of 2021–2023 (the old names). A published code is standardised as the staging
macro ``std_area_code`` does (``363``, ``0363``, ``gm363`` → ``GM0363``); a name is matched
case-, accent- and punctuation-insensitively against the 2025 names, the StatLine labels
(``Groningen (gemeente)``), the names of gemeenten dissolved in 2021–2023 and two common
aliases (Den Haag, Den Bosch). Older names are not in the reference: such files need codes.

Ingest only *checks* here; it never re-codes what it lands (staging and the intermediate
models harmonise).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

import pandas as pd

from pipeline.config import CURRENT_CLASSIFICATION_YEAR, REFERENCE_DIR
from pipeline.errors import InputError

_NUMERIC = re.compile(r"^\d{1,4}$")
_GM = re.compile(r"^GM\d{1,4}$", re.IGNORECASE)
_REGION = re.compile(r"^(NL01|GG\d{4}|PV\d{2})$")
NAME_ALIASES = {"denhaag": "GM0518", "denbosch": "GM0796"}


def std_area_code(text: str) -> str:
    """``GM0363`` for ``363``/``0363``/``gm363``; other codes stripped and upper-cased."""
    code = text.strip()
    if _NUMERIC.match(code):
        return f"GM{int(code):04d}"
    if _GM.match(code):
        return f"GM{int(code[2:]):04d}"
    return code.upper()


def looks_like_code(text: str) -> bool:
    """True for a gemeente or region code (rather than a name)."""
    code = text.strip()
    return bool(_NUMERIC.match(code) or _GM.match(code) or _REGION.match(code.upper()))


def name_key(name: str) -> str:
    """'Súdwest-Fryslân' == 'sudwest fryslan'; "'s-Gravenhage" == 's gravenhage'."""
    text = unicodedata.normalize("NFKD", str(name))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[^0-9a-z]", "", text.lower())


@dataclass(frozen=True)
class Reference:
    """Lookup tables of the reference geography."""

    last_year: dict[str, int]  # every gemeente code since 1981 → last year it was in use
    current: dict[str, str]  # 2025 code → name
    by_name: dict[str, str]  # name key → code (current and dissolved 2021–2023)
    regions: frozenset[str]  # NL01 and the GGD-regio and provincie codes of 2025


@cache
def reference() -> Reference:
    """Read the reference files once."""
    current = pd.read_csv(REFERENCE_DIR / "gemeenten_2025_ggd_provincie.csv", dtype=str)
    history = pd.read_csv(REFERENCE_DIR / "gemeente_code_naar_2025.csv", dtype=str)
    changes = pd.read_csv(REFERENCE_DIR / "gemeente_herindelingen_2021_2023.csv", dtype=str)
    last_year = {c: int(y) for c, y in zip(history.gemeente_code,
                                           history.laatste_jaar_als_code, strict=True)}
    by_name = {name_key(n): c for c, n in zip(changes.gemeente_code_oud,
                                              changes.gemeente_naam_oud, strict=True)}
    by_name |= {name_key(n): c for c, n in zip(current.gemeente_code,
                                               current.gemeente_label_statline, strict=True)}
    by_name |= {name_key(n): c for c, n in zip(current.gemeente_code, current.gemeente_naam,
                                               strict=True)}
    by_name |= NAME_ALIASES
    regions = frozenset({"NL01", *current.ggd_code, *current.provincie_code})
    return Reference(last_year, dict(zip(current.gemeente_code, current.gemeente_naam,
                                         strict=True)), by_name, regions)


def check_code(text: str, *, file: str, row: int, column: str) -> str:
    """The standardised code of a published area code; unknown codes raise.

    Raises:
        InputError: neither a gemeente code of the CBS code history (1981–2025) nor NL01 or a
            2025 GGD-regio/provincie code (names file, row, column and the code).
    """
    code = std_area_code(text)
    ref = reference()
    if code in ref.last_year or code in ref.regions:
        return code
    raise InputError(f"{file} row {row}, column {column!r}: unknown gemeente code "
                     f"{text.strip()!r} (expected a CBS gemeente code of 1981–2025, NL01 or a "
                     f"GGD-regio/provincie code)")


def code_for_name(name: str, *, file: str, row: int, column: str) -> str:
    """The gemeente code of a published name.

    Raises:
        InputError: the name is not in the reference (names file, row, column and the name).
    """
    code = reference().by_name.get(name_key(name))
    if code is None:
        raise InputError(f"{file} row {row}, column {column!r}: unknown gemeente name "
                         f"{name.strip()!r} (expected a gemeente name of the 2025 "
                         f"classification or one dissolved in 2021–2023; give the CBS code "
                         f"for older names)")
    return code


def resolve(code_text: str, name_text: str, *, file: str, row: int, code_column: str,
            name_column: str) -> str:
    """The code of a row that gives a code, a name or both (then they must agree).

    Raises:
        InputError: unknown code or name, neither given, or a code and name that disagree.
    """
    code = (check_code(code_text, file=file, row=row, column=code_column)
            if code_text.strip() else None)
    if name_text.strip() and looks_like_code(name_text):
        named = check_code(name_text, file=file, row=row, column=name_column)
    elif name_text.strip():
        named = code_for_name(name_text, file=file, row=row, column=name_column)
    else:
        named = None
    if code is None and named is None:
        raise InputError(f"{file} row {row}, column {code_column or name_column!r}: expected a "
                         f"gemeente code or name, got ''")
    if code is not None and named is not None and code != named:
        raise InputError(f"{file} row {row}, columns {code_column!r} and {name_column!r}: code "
                         f"{code_text.strip()!r} and name {name_text.strip()!r} are different "
                         f"gemeenten ({code} vs {named})")
    return code or named  # type: ignore[return-value]


def classification_year_of(codes: set[str]) -> int:
    """The latest gemeente classification in which every given gemeente code was in use.

    2025 when all are current; otherwise the last year of the earliest dissolved one (a file
    with Weesp, GM0457, is at latest in the 2021 classification).
    """
    ref = reference()
    years = [ref.last_year[c] for c in codes if c in ref.last_year]
    return min(years, default=CURRENT_CLASSIFICATION_YEAR)
