"""The landing contract shared by every indicator source.

Every ``land()`` returns tables in *source-conformed* shape: the publisher's own codes, labels and
periods, parsed to explicit types, with nothing cleaned, harmonised or re-coded. Indicator sources
land one long table, ``observations``, with exactly these columns; the staging SQL models
standardise codes, periods and statuses.
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa

from pipeline.errors import InputError

OBSERVATIONS_SCHEMA = pa.schema(
    [
        # area as published, surrounding whitespace stripped: 'GM0363', '363', 'NL01', 'PV27'
        pa.field("area_code", pa.string(), nullable=False),
        pa.field("area_name", pa.string()),
        # the gemeente classification (indeling) the publisher used, e.g. 2013, 2022, 2025
        pa.field("classification_year", pa.int32(), nullable=False),
        # the publisher's own code or label of the measure (mapped to the catalogue in SQL)
        pa.field("indicator_code", pa.string(), nullable=False),
        # '2023' for a year, '2019-2023' for a pooled period; other codes kept verbatim
        pa.field("period_label", pa.string(), nullable=False),
        # counts as published; null when not given, suppressed or unknown
        pa.field("numerator", pa.float64()),
        pa.field("non_events", pa.float64()),
        pa.field("denominator", pa.float64()),
        # value as published in its own unit (% or per 1000), when the source gives one
        pa.field("value", pa.float64()),
        # raw text of a suppressed/unknown cell ('<10', '.', 'x', '-', 'NA', ''); null when the
        # row's figures were published
        pa.field("marker", pa.string()),
        # provenance: the file inside the snapshot and the 1-based row (header = row 1)
        pa.field("source_file", pa.string(), nullable=False),
        pa.field("source_row", pa.int32(), nullable=False),
    ]
)

OBSERVATIONS_COLUMNS = [f.name for f in OBSERVATIONS_SCHEMA]

# Cell texts that mean "suppressed or unknown" in Dutch public tables; never read as 0.
SUPPRESSION_MARKERS = frozenset(
    {"<10", "< 10", "", ".", "x", "X", "-", "–", "NA", "N/A", "n.v.t."}
)


def to_observations_table(frame: pd.DataFrame) -> pa.Table:
    """Return ``frame`` as an Arrow table with exactly the observations schema.

    Raises:
        KeyError: when a contract column is missing (names the columns).
    """
    missing = [c for c in OBSERVATIONS_COLUMNS if c not in frame.columns]
    if missing:
        raise KeyError(f"landing frame lacks contract columns: {', '.join(missing)}")
    return pa.Table.from_pandas(
        frame[OBSERVATIONS_COLUMNS], schema=OBSERVATIONS_SCHEMA, preserve_index=False
    )


def check_unique_keys(frame: pd.DataFrame) -> None:
    """One row per indicator × area × period (codes compared as standardised: 363 == GM0363).

    Raises:
        InputError: a duplicate key, naming the file and row of both occurrences.
    """
    if frame.empty:
        return
    codes = frame["area_code"].astype(str).str.strip()
    digits = codes.str.extract(r"^(?:[Gg][Mm])?(\d{1,4})$", expand=False)
    standard = ("GM" + digits.str.zfill(4)).where(digits.notna(), codes.str.upper())
    keys = pd.DataFrame({
        "indicator_code": frame["indicator_code"],
        "area_code": standard,
        "period_label": frame["period_label"].str.replace(r"\s*[-–]\s*", "-", regex=True),
    })
    duplicated = keys.duplicated(keep="first")
    if not duplicated.any():
        return
    second = frame.index[duplicated][0]
    first = keys.index[(keys == keys.loc[second]).all(axis=1)][0]
    a, b = frame.loc[first], frame.loc[second]
    raise InputError(
        f"{b['source_file']} row {b['source_row']}: duplicate key (indicator "
        f"{b['indicator_code']!r}, area {b['area_code']!r}, period {b['period_label']!r}); "
        f"expected one row per indicator, area and period, also in {a['source_file']} row "
        f"{a['source_row']}"
    )
