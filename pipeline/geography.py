"""Reference geography: current gemeenten with their regions, code history, custom regions.

All tables come from committed files in ``data/reference`` (CBS, CC BY 4.0) and
``config/regions.yml``; see ``data/reference/README.md`` for provenance.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import duckdb
import pandas as pd
import yaml

from pipeline.config import CONFIG_DIR, CURRENT_CLASSIFICATION_YEAR, REFERENCE_DIR
from pipeline.errors import InputError

BOUNDARY_YEAR = CURRENT_CLASSIFICATION_YEAR
GEMEENTEN_CSV = REFERENCE_DIR / "gemeenten_2025_ggd_provincie.csv"
CODE_HISTORY_CSV = REFERENCE_DIR / "gemeente_code_naar_2025.csv"
REGIONS_YML = CONFIG_DIR / "regions.yml"
CUSTOM_CODE = re.compile(r"^RG\d{2,4}$")

# Weights for harmonising sources that publish only percentages (DESIGN §5). When gemeenten
# merged, a percentage of the new gemeente is the weighted mean of its parts' percentages, with
# as weight the denominator of the right cohort from another source. RIVM's infant vaccination
# coverage of report year Y is about the children born in Y − 2 (catalogue definition), so the
# weight is the number of live births (CBS) of each former gemeente in Y − 2. Without such a
# weight for every part the merged gemeente is 'not_harmonisable'.
HARMONISATION_WEIGHTS = (
    {
        "indicator_id": "vaccinatiegraad_bmr_zuigelingen",
        "weight_indicator_id": "levend_geborenen",
        "cohort_offset_years": 2,
        "weight_label": "levend geborenen (CBS) in het geboortejaar van het cohort",
    },
)


@cache
def gemeenten() -> pd.DataFrame:
    """The 342 current gemeenten with GGD-regio and provincie (codes and names)."""
    frame = pd.read_csv(GEMEENTEN_CSV, dtype=str)
    return frame[
        [
            "gemeente_code",
            "gemeente_naam",
            "ggd_code",
            "ggd_naam",
            "provincie_code",
            "provincie_naam",
        ]
    ]


@cache
def code_history() -> pd.DataFrame:
    """Every gemeente code since 1981 → its 2025 successor (``gesplitst`` marks splits)."""
    frame = pd.read_csv(CODE_HISTORY_CSV, dtype={"gemeente_code": str, "gemeente_code_2025": str})
    return frame.astype(
        {"gesplitst": "int32", "eerste_jaar_in_bron": "int32", "laatste_jaar_als_code": "int32"}
    )


def harmonisation_weights() -> pd.DataFrame:
    """The documented weights for percentages-only merges (``HARMONISATION_WEIGHTS``)."""
    frame = pd.DataFrame(
        list(HARMONISATION_WEIGHTS),
        columns=["indicator_id", "weight_indicator_id", "cohort_offset_years", "weight_label"],
    )
    return frame.astype({"cohort_offset_years": "int32"})


def load_custom_regions(path: Path = REGIONS_YML) -> list[dict]:
    """Custom regions from YAML, validated against the current gemeenten.

    Raises:
        InputError: a bad code, a duplicate code, or a gemeente not in the reference list.
    """
    if not path.exists():
        return []
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    known = set(gemeenten()["gemeente_code"])
    seen: set[str] = set()
    regions = data.get("regions") or []
    for number, region in enumerate(regions, start=1):
        where = f"{path.name} region {number}"
        code = str(region.get("code", ""))
        if not CUSTOM_CODE.match(code):
            raise InputError(
                f"{where}, field 'code': expected RG followed by 2–4 digits, got {code!r}"
            )
        if code in seen:
            raise InputError(f"{where}, field 'code': {code} is used twice")
        seen.add(code)
        if not region.get("name"):
            raise InputError(f"{where}, field 'name': expected a name")
        members = region.get("gemeenten") or []
        unknown = [m for m in members if m not in known]
        if not members or unknown:
            raise InputError(
                f"{where} ({code}), field 'gemeenten': expected current gemeente "
                f"codes (2025), unknown: {', '.join(map(str, unknown)) or 'none given'}"
            )
        twice = sorted({m for m in members if members.count(m) > 1})
        if twice:
            raise InputError(
                f"{where} ({code}), field 'gemeenten': each gemeente once, "
                f"listed twice: {', '.join(twice)}"
            )
    return regions


def custom_region_members(path: Path = REGIONS_YML) -> pd.DataFrame:
    """One row per (custom region, member gemeente)."""
    rows = [
        {"region_code": r["code"], "region_name": r["name"], "gemeente_code": m}
        for r in load_custom_regions(path)
        for m in r["gemeenten"]
    ]
    return pd.DataFrame(rows, columns=["region_code", "region_name", "gemeente_code"]).astype(str)


def check_unknown_codes(con: duckdb.DuckDBPyConnection) -> None:
    """Fail with a one-line error naming file and row when a source has an unknown gemeente."""
    rows = con.execute(
        "select source_file, source_row, area_code from int_unknown_gemeente_codes "
        "order by source_file, source_row limit 1"
    ).fetchall()
    if rows:
        file, row, code = rows[0]
        total = con.execute("select count(*) from int_unknown_gemeente_codes").fetchall()[0][0]
        raise InputError(
            f"{file} row {row}, column 'gemeente': unknown gemeente code {code!r} "
            f"(not in the CBS code history 1981–2025; {total} such row(s))"
        )
