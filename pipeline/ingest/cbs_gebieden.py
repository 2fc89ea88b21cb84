"""CBS "Gebieden in Nederland <jaar>" (86059NED for 2025): gemeente → GGD-regio, provincie, ….

One row per gemeente (dimension ``RegioS``); every regional classification is a topic group
with the topics *Code* and *Naam*. The topic keys shift between yearly tables (GGD-regio is
``Code_14`` in 2020 and ``Code_16`` in 2024), so each column is resolved by its **group and
topic title** (``"GGD-regio's/Code"``), as listed in ``sources.yml`` (``api.groups``: required;
``api.optional_groups``: landed when the table has them).

Landing (``regions``): gemeente code and name, ``<group>_code``/``<group>_naam`` per group
(codes stripped of CBS padding), the classification year, provenance.

Check against the bundled reference: when the table is of the reference's classification year
(2025), its gemeenten and their GGD-regio and provincie must equal
``data/reference/gemeenten_2025_ggd_provincie.csv``, which the build uses. Any difference is an
:class:`InputError` naming the gemeente, the column and both values, so a reclassification by
CBS is noticed (the snapshot is kept as rejected evidence) instead of silently diverging.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa

from pipeline import registry
from pipeline.config import CURRENT_CLASSIFICATION_YEAR
from pipeline.errors import InputError
from pipeline.ingest.cbs_odata import load_json, page_order, resolve_topics
from pipeline.ingest.fetchers import fetch_cbs_odata
from pipeline.ingest.parsing import normalise_header

SOURCE_ID = "cbs_gebieden"
REFERENCE_FILE = "data/reference/gemeenten_2025_ggd_provincie.csv"
GROUP_COLUMNS = ("gemeente", "ggd", "provincie", "corop", "jeugdzorgregio",
                 "zorgkantoorregio", "veiligheidsregio")
CHECKED = ("ggd", "provincie")  # membership compared with the bundled reference

REGIONS_SCHEMA = pa.schema(
    [
        pa.field("gemeente_code", pa.string(), nullable=False),
        pa.field("gemeente_naam", pa.string()),
        *[pa.field(f"{g}_{part}", pa.string()) for g in GROUP_COLUMNS[1:]
          for part in ("code", "naam")],
        pa.field("classification_year", pa.int32(), nullable=False),
        pa.field("source_file", pa.string(), nullable=False),
        pa.field("source_row", pa.int32(), nullable=False),
    ]
)
LANDING_SCHEMAS = {"regions": REGIONS_SCHEMA}

fetch = fetch_cbs_odata


def _group_keys(props: list[dict], groups: dict[str, str], optional: dict[str, str],
                file: str) -> dict[str, str]:
    """Topic key → landing column (``ggd_code``, ``ggd_naam`` …) resolved by group/title."""
    wanted = {f"{group}/{part}": f"{column}_{part.lower()}"
              for group, column in groups.items() for part in ("Code", "Naam")}
    keys = resolve_topics(props, wanted, file)
    present = {normalise_header(p.get("Title", "")) for p in props if p.get("Type") ==
               "TopicGroup"}
    for group, column in optional.items():
        if normalise_header(group) in present:
            keys |= resolve_topics(props, {f"{group}/{part}": f"{column}_{part.lower()}"
                                           for part in ("Code", "Naam")}, file)
    return keys


def _text(record: dict, key: str, file: str, number: int) -> str | None:
    value = record.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise InputError(f"{file} row {number}, column {key!r}: expected text, got {value!r}")
    return value.strip() or None


def _rows(pages: list[Path], geo: str, keys: dict[str, str]) -> list[dict]:
    rows = []
    for page in pages:
        for number, record in enumerate(load_json(page)["value"], start=1):
            area = _text(record, geo, page.name, number) if isinstance(record, dict) else None
            if not area:
                raise InputError(f"{page.name} row {number}, column {geo!r}: expected a "
                                 f"gemeente key")
            if not area.startswith("GM"):
                continue
            row = {"gemeente_code": area, "source_file": page.name, "source_row": number}
            for key, column in keys.items():
                value = _text(record, key, page.name, number)
                if column == "gemeente_code" and value != area:
                    raise InputError(f"{page.name} row {number}, column {key!r}: expected the "
                                     f"gemeente code {area} (as in {geo}), got {value!r}")
                row[column] = value
            for column in ("ggd_code", "provincie_code"):
                if not row.get(column):
                    key = next(k for k, c in keys.items() if c == column)
                    raise InputError(f"{page.name} row {number}, column {key!r}: expected a "
                                     f"code for {area}, got {record.get(key)!r}")
            rows.append(row)
    return rows


def compare_with_reference(frame: pd.DataFrame, reference: pd.DataFrame,
                           topic_of: dict[str, str]) -> None:
    """Fail on any gemeente or GGD-regio/provincie membership that differs from the reference.

    Raises:
        InputError: names the gemeente, the column and both values (one line).
    """
    ours = reference.set_index("gemeente_code")
    theirs = frame.set_index("gemeente_code")
    extra = sorted(set(theirs.index) - set(ours.index))
    if extra:
        row = theirs.loc[extra[0]]
        raise InputError(f"{row.source_file} row {row.source_row}: gemeente {extra[0]} is not in "
                         f"the bundled reference {REFERENCE_FILE} ({len(extra)} such); expected "
                         f"the same gemeenten — update the reference")
    missing = sorted(set(ours.index) - set(theirs.index))
    if missing:
        raise InputError(f"{SOURCE_ID}: gemeente {missing[0]} of the bundled reference "
                         f"{REFERENCE_FILE} is missing in the CBS table ({len(missing)} such)")
    for group in CHECKED:
        column = f"{group}_code"
        differs = theirs[column] != ours.loc[theirs.index, column]
        if differs.any():
            code = differs[differs].index[0]
            row = theirs.loc[code]
            raise InputError(
                f"{row.source_file} row {row.source_row}, column {topic_of[column]!r}: "
                f"{code} is in {row[column]} according to CBS but in "
                f"{ours.loc[code, column]} in {REFERENCE_FILE} ({int(differs.sum())} such); "
                f"expected the same {group} membership — update the reference")


def land(raw_paths: list[Path]) -> dict[str, pa.Table]:
    """Parse a "Gebieden in Nederland" payload into the landing ``regions`` table.

    Raises:
        InputError: a group or topic title not found, a gemeente without a GGD-regio or
            provincie code, or (for the reference year) a difference with the reference.
    """
    spec = registry.get(SOURCE_ID)
    paths = [Path(p) for p in raw_paths]
    props_file = next((p for p in paths if p.name == "DataProperties.json"), None)
    pages = sorted((p for p in paths if p.name.startswith("TypedDataSet_")), key=page_order)
    if props_file is None or not pages:
        raise InputError(f"{SOURCE_ID}: expected DataProperties.json and TypedDataSet_*.json "
                         f"among {[p.name for p in paths]}")
    props = load_json(props_file)["value"]
    geo = [p["Key"] for p in props if p.get("Type") == "GeoDimension" or p.get("Key") ==
           "RegioS"]
    if len(geo) != 1:
        raise InputError(f"{props_file.name}: unrecognised layout: expected one region "
                         f"dimension (RegioS)")
    keys = _group_keys(props, spec.api["groups"], spec.api.get("optional_groups") or {},
                       props_file.name)
    frame = pd.DataFrame(_rows(pages, geo[0], keys), columns=[f.name for f in REGIONS_SCHEMA])
    frame["classification_year"] = spec.classification_year
    duplicated = frame["gemeente_code"].duplicated()
    if duplicated.any():
        row = frame[duplicated].iloc[0]
        raise InputError(f"{row.source_file} row {row.source_row}: duplicate gemeente "
                         f"{row.gemeente_code}; expected one row per gemeente")
    if spec.classification_year == CURRENT_CLASSIFICATION_YEAR:
        from pipeline.geography import gemeenten

        compare_with_reference(frame, gemeenten(), {c: k for k, c in keys.items()})
    return {"regions": pa.Table.from_pandas(frame, schema=REGIONS_SCHEMA, preserve_index=False)}
