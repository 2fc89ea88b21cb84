"""CBS StatLine 37230ned (births, population, deaths per region and period), OData v3 JSON.

Payload: ``DataProperties.json`` (dimensions and topics with Key, Title, Unit) and the
``TypedDataSet`` pages (``TypedDataSet_*.json``, read in page-number order), each
``{"odata.metadata": …, "value": [rows], "odata.nextLink": …}``.

Landing (``observations``): one row per region × period × wanted measure.

- Measure keys carry positional suffixes that change between table versions
  (``LevendGeborenKinderen_2`` here, ``_58`` elsewhere), so they are resolved from the topic
  **titles** in DataProperties (:data:`MEASURES`), never from the key or a position.
- Region and period keys lose their trailing padding (``"GM0363    "`` → ``GM0363``);
  ``2023JJ00`` becomes period ``2023``, other period codes (``2023MM01``) are kept verbatim.
- A suppressed cell (null in TypedDataSet) lands as numerator null with marker ``""``.
- ``source_row`` is the 1-based position of the record in its page's ``value`` array.
- ``area_name`` is null (the names live in the RegioS code list, which is not part of the payload).
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pandas as pd
import pyarrow as pa

from pipeline.errors import InputError
from pipeline.ingest.fetchers import fetch_cbs_odata
from pipeline.ingest.parsing import normalise_header
from pipeline.ingest.schema import to_observations_table

# DataProperties topic Title → landing indicator_code (also in sources.yml: api.measures)
MEASURES = {
    "Levend geboren kinderen": "levend_geboren_kinderen",
    "Bevolking aan het begin van de periode": "bevolking_begin_periode",
}
CLASSIFICATION_YEAR = 2025  # the table is published in the current gemeente classification
DIMENSION_TYPES = frozenset({"Dimension", "GeoDimension", "TimeDimension"})
_YEAR_PERIOD = re.compile(r"^(\d{4})JJ00$")

fetch = fetch_cbs_odata  # HTTP (live) or the bundled demo pages (demo), same code path


def _load_json(path: Path) -> dict:
    try:
        body = json.loads(path.read_bytes())
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"{path.name}: expected OData JSON, the file is not valid JSON "
                         f"({exc.__class__.__name__})") from exc
    if not isinstance(body, dict) or not isinstance(body.get("value"), list):
        raise InputError(f"{path.name}: unrecognised layout: expected an OData object with a "
                         f"'value' list")
    return body


def _dimensions(props: list[dict], file: str) -> tuple[str, str]:
    """Keys of the region and the period dimension."""
    dims = [p for p in props if p.get("Type") in DIMENSION_TYPES]
    geo = [p["Key"] for p in dims if p.get("Type") == "GeoDimension" or p.get("Key") == "RegioS"]
    time = [p["Key"] for p in dims if p.get("Type") == "TimeDimension"]
    if len(geo) != 1 or len(time) != 1:
        raise InputError(f"{file}: unrecognised layout: expected one region dimension (RegioS) "
                         f"and one TimeDimension, found {[p.get('Key') for p in dims]}")
    other = [p["Key"] for p in dims if p["Key"] not in (geo[0], time[0])]
    if other:
        raise InputError(f"{file}: unrecognised layout: unexpected dimension(s) {other}; only "
                         f"region × period tables are supported")
    return geo[0], time[0]


def _measure_keys(props: list[dict], measures: dict[str, str], file: str) -> dict[str, str]:
    """TypedDataSet key → indicator code, resolved by topic Title."""
    topics = [p for p in props if p.get("Type") == "Topic"]
    keys: dict[str, str] = {}
    for title, code in measures.items():
        found = [p for p in topics if normalise_header(p.get("Title", "")) ==
                 normalise_header(title)]
        if len(found) > 1:  # the same title under several groups: prefer the absolute count
            found = [p for p in found if str(p.get("Unit", "")).lower() == "aantal"] or found
        if not found:
            raise InputError(f"{file}: missing measure with Title {title!r} "
                             f"(topics found: {[p.get('Title') for p in topics]})")
        if len(found) > 1:
            raise InputError(f"{file}: measure Title {title!r} is ambiguous: keys "
                             f"{[p.get('Key') for p in found]}")
        keys[found[0]["Key"]] = code
    return keys


def period_label(code: str) -> str:
    """``2023JJ00`` → ``2023``; any other CBS period code unchanged."""
    match = _YEAR_PERIOD.match(code)
    return match.group(1) if match else code


def _page_rows(path: Path, geo: str, time: str, keys: dict[str, str], out: dict) -> None:
    body = _load_json(path)
    for number, record in enumerate(body["value"], start=1):
        if not isinstance(record, dict):
            raise InputError(f"{path.name} row {number}: expected an object, got "
                             f"{type(record).__name__}")
        for column in (geo, time, *keys):
            if column not in record:
                raise InputError(f"{path.name} row {number}, column {column!r}: missing")
        area = record[geo]
        period = record[time]
        if not isinstance(area, str) or not area.strip():
            raise InputError(f"{path.name} row {number}, column {geo!r}: expected a region "
                             f"key, got {area!r}")
        if not isinstance(period, str) or not period.strip():
            raise InputError(f"{path.name} row {number}, column {time!r}: expected a period "
                             f"key, got {period!r}")
        for key, code in keys.items():
            value = record[key]
            if value is not None and (isinstance(value, bool) or
                                      not isinstance(value, int | float) or
                                      not math.isfinite(value)):
                raise InputError(f"{path.name} row {number}, column {key!r}: expected a number "
                                 f"or null, got {value!r}")
            out["area_code"].append(area.strip())
            out["period_label"].append(period_label(period.strip()))
            out["indicator_code"].append(code)
            out["numerator"].append(None if value is None else float(value))
            out["marker"].append("" if value is None else None)
            out["source_file"].append(path.name)
            out["source_row"].append(number)


def _page_order(path: Path) -> tuple[int, str]:
    """Pages in page-number order (``_p0002`` before ``_p10000``)."""
    digits = re.findall(r"\d+", path.stem)
    return (int(digits[-1]) if digits else -1, path.name)


def land(raw_paths: list[Path], classification_year: int = CLASSIFICATION_YEAR,
         measures: dict[str, str] | None = None) -> dict[str, pa.Table]:
    """Parse DataProperties + TypedDataSet pages into the landing ``observations`` table.

    Raises:
        InputError: DataProperties or pages missing, a wanted measure title absent, or a page
            that is not the expected OData layout (names file, row and column).
    """
    measures = measures or MEASURES
    paths = [Path(p) for p in raw_paths]
    props_files = [p for p in paths if p.name == "DataProperties.json"]
    pages = sorted((p for p in paths if re.fullmatch(r"TypedDataSet_.*\.json", p.name)),
                   key=_page_order)
    if len(props_files) != 1:
        raise InputError(f"cbs_geboorten: expected one DataProperties.json among "
                         f"{[p.name for p in paths]}")
    if not pages:
        raise InputError(f"cbs_geboorten: expected TypedDataSet_*.json pages among "
                         f"{[p.name for p in paths]}")
    props = _load_json(props_files[0])["value"]
    geo, time = _dimensions(props, props_files[0].name)
    keys = _measure_keys(props, measures, props_files[0].name)
    out: dict[str, list] = {c: [] for c in ("area_code", "period_label", "indicator_code",
                                            "numerator", "marker", "source_file",
                                            "source_row")}
    for page in pages:
        _page_rows(page, geo, time, keys, out)
    frame = pd.DataFrame(out)
    frame["area_name"] = None
    frame["classification_year"] = classification_year
    frame["non_events"] = float("nan")
    frame["denominator"] = float("nan")
    frame["value"] = float("nan")
    frame["numerator"] = frame["numerator"].astype("float64")
    return {"observations": to_observations_table(frame)}
