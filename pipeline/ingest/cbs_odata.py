"""Shared ``land()`` for CBS StatLine tables: OData v3 ``TypedDataSet`` or v4 ``Observations``.

What to take from a table is data in ``pipeline/sources.yml`` (``api``):

- ``measures``: topic **title** → landing ``indicator_code`` (the figure lands as
  ``numerator``); ``value_measures``: the same for published rates/percentages (``value``).
  Titles are matched case- and space-insensitively against a topic's own title or its path
  below its topic groups (``"GGD-regio's/Code"``). Keys are never used: their positional
  suffixes change between table versions (``LevendGeborenKinderen_2`` here, ``_58`` there).
- ``dimensions``: for every dimension besides region and period, its key and the category
  **titles** to keep, each with a short code: ``{Geslacht: {Vrouwen: vrouwen}}``. The landing
  ``indicator_code`` is then ``<measure code>__<category code>…`` (in registry order).

Payload files (as written by :func:`pipeline.ingest.fetchers.fetch_cbs_odata` or the demo):

- v3: ``DataProperties.json``, ``<Dimension>.json`` code lists, ``TypedDataSet_*.json`` pages;
- v4: ``Dimensions*.json``, ``MeasureCodes*.json``, ``<Dimension>Codes*.json``,
  ``Observations_*.json`` pages (long: one row per measure; ``Value`` null with a
  ``ValueAttribute`` other than ``None`` → that attribute is the marker).

Landing rules (``observations``): region and period keys lose their trailing padding
(``"GM0363    "`` → ``GM0363``); ``2023JJ00`` → ``2023``, other period codes verbatim; a null
cell → null with marker ``""`` (v3) — never 0; ``source_row`` = 1-based position of the record
in its page's ``value`` array.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa

from pipeline import registry
from pipeline.errors import InputError
from pipeline.ingest.parsing import normalise_header
from pipeline.ingest.schema import check_unique_keys, to_observations_table

DIMENSION_TYPES = frozenset({"Dimension", "GeoDimension", "TimeDimension"})
_YEAR_PERIOD = re.compile(r"^(\d{4})JJ00$")
_LANDING_COLUMNS = ("area_code", "period_label", "indicator_code", "numerator", "value",
                    "marker", "source_file", "source_row")


@dataclass(frozen=True)
class Table:
    """What to land from one CBS table (see the module docstring)."""

    source_id: str
    classification_year: int
    measures: dict[str, str]
    value_measures: dict[str, str] = field(default_factory=dict)
    dimensions: dict[str, dict[str, str]] = field(default_factory=dict)

    @classmethod
    def from_registry(cls, source_id: str) -> Table:
        """The table spec of a registered CBS source."""
        spec = registry.get(source_id)
        api = spec.api
        def text(mapping: dict | None) -> dict[str, str]:
            return {str(k): str(v) for k, v in (mapping or {}).items()}

        return cls(source_id, spec.classification_year, text(api.get("measures")),
                   text(api.get("value_measures")),
                   {str(k): text(v) for k, v in (api.get("dimensions") or {}).items()})


# --------------------------------------------------------------------------------------------
# reading


def load_json(path: Path) -> dict:
    """An OData JSON object with a ``value`` list; anything else is an :class:`InputError`."""
    try:
        body = json.loads(path.read_bytes())
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"{path.name}: expected OData JSON, the file is not valid JSON "
                         f"({exc.__class__.__name__})") from exc
    if not isinstance(body, dict) or not isinstance(body.get("value"), list):
        raise InputError(f"{path.name}: unrecognised layout: expected an OData object with a "
                         f"'value' list")
    return body


def page_order(path: Path) -> tuple[int, str]:
    """Pages in page-number order (``_p0002`` before ``_p10000``; ``_skip01000`` …)."""
    digits = re.findall(r"\d+", path.stem)
    return (int(digits[-1]) if digits else -1, path.name)


def _files(paths: list[Path], pattern: str) -> list[Path]:
    regex = re.compile(pattern)
    return sorted((p for p in paths if regex.fullmatch(p.name)), key=page_order)


def _rows(files: list[Path]) -> list[dict]:
    return [row for f in files for row in load_json(f)["value"] if isinstance(row, dict)]


def period_label(code: str) -> str:
    """``2023JJ00`` → ``2023``; any other CBS period code unchanged."""
    match = _YEAR_PERIOD.match(code)
    return match.group(1) if match else code


def _key(record: dict, column: str, file: str, number: int, what: str) -> str:
    if column not in record:
        raise InputError(f"{file} row {number}, column {column!r}: missing")
    value = record[column]
    if not isinstance(value, str) or not value.strip():
        raise InputError(f"{file} row {number}, column {column!r}: expected {what}, "
                         f"got {value!r}")
    return value.strip()


def _number(record: dict, column: str, file: str, number: int) -> float | None:
    if column not in record:
        raise InputError(f"{file} row {number}, column {column!r}: missing")
    value = record[column]
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InputError(f"{file} row {number}, column {column!r}: expected a number or null, "
                         f"got {value!r}")
    return float(value)


# --------------------------------------------------------------------------------------------
# metadata: topics and dimensions by title


def topic_paths(props: list[dict]) -> dict[str, tuple[str, str]]:
    """Topic key → (normalised title, normalised 'group/…/title' path)."""
    groups = {p.get("ID"): p for p in props if p.get("Type") == "TopicGroup"}

    def path_of(item: dict) -> list[str]:
        parts, parent, seen = [str(item.get("Title", ""))], item.get("ParentID"), set()
        while parent in groups and parent not in seen:
            seen.add(parent)
            parts.insert(0, str(groups[parent].get("Title", "")))
            parent = groups[parent].get("ParentID")
        return parts

    return {p["Key"]: (normalise_header(p.get("Title", "")),
                       normalise_header("/".join(path_of(p))))
            for p in props if p.get("Type") == "Topic" and "Key" in p}


def resolve_topics(props: list[dict], titles: dict[str, str], file: str) -> dict[str, str]:
    """Topic key → code for each wanted title (own title or group path); never by key.

    Raises:
        InputError: a title that matches no topic, or several (names the keys).
    """
    paths = topic_paths(props)
    units = {p.get("Key"): str(p.get("Unit", "")).lower() for p in props}
    keys: dict[str, str] = {}
    for title, code in titles.items():
        wanted = normalise_header(title)
        found = [k for k, (own, full) in paths.items() if wanted == full]
        found = found or [k for k, (own, _) in paths.items() if wanted == own]
        if len(found) > 1:  # the same title under several groups: prefer the absolute count
            found = [k for k in found if units.get(k) == "aantal"] or found
        if not found:
            shown = sorted({p.get("Title") for p in props if p.get("Type") == "Topic"})
            raise InputError(f"{file}: missing measure with Title {title!r} "
                             f"(topics found: {shown[:15]})")
        if len(found) > 1:
            raise InputError(f"{file}: measure Title {title!r} is ambiguous: keys {found}")
        keys[found[0]] = code
    return keys


def dimensions_v3(props: list[dict], extra: list[str], file: str) -> tuple[str, str]:
    """Keys of the region and the period dimension; other dimensions must be configured."""
    dims = [p for p in props if p.get("Type") in DIMENSION_TYPES]
    return _split_dimensions([(p.get("Key"), p.get("Type")) for p in dims], extra, file)


def _split_dimensions(dims: list[tuple[str, str]], extra: list[str],
                      file: str) -> tuple[str, str]:
    geo = [k for k, kind in dims if kind == "GeoDimension" or k == "RegioS"]
    time = [k for k, kind in dims if kind == "TimeDimension"]
    if len(geo) != 1 or len(time) != 1:
        raise InputError(f"{file}: unrecognised layout: expected one region dimension (RegioS) "
                         f"and one TimeDimension, found {[k for k, _ in dims]}")
    other = [k for k, _ in dims if k not in (geo[0], time[0]) and k not in extra]
    if other:
        raise InputError(f"{file}: unrecognised layout: dimension(s) {other} are not selected "
                         f"in sources.yml (api.dimensions)")
    missing = [k for k in extra if k not in {k for k, _ in dims}]
    if missing:
        raise InputError(f"{file}: the table has no dimension(s) {missing} "
                         f"(found {[k for k, _ in dims]})")
    return geo[0], time[0]


def category_codes(rows: list[dict], key_field: str, wanted: dict[str, str], dimension: str,
                   file: str) -> dict[str, str]:
    """Stripped category key → code, for the wanted category titles of one dimension."""
    codes: dict[str, str] = {}
    for title, code in wanted.items():
        found = [str(r[key_field]).strip() for r in rows if key_field in r and
                 normalise_header(r.get("Title", "")) == normalise_header(title)]
        if len(found) != 1:
            raise InputError(f"{file}: dimension {dimension!r} has {len(found)} categories "
                             f"titled {title!r} (expected one)")
        codes[found[0]] = code
    return codes


# --------------------------------------------------------------------------------------------
# v3


def _land_v3(paths: list[Path], table: Table) -> dict[str, list]:
    props_file = next(p for p in paths if p.name == "DataProperties.json")
    props = load_json(props_file)["value"]
    geo, time = dimensions_v3(props, list(table.dimensions), props_file.name)
    numerators = resolve_topics(props, table.measures, props_file.name)
    values = resolve_topics(props, table.value_measures, props_file.name)
    categories = {}
    for dimension, wanted in table.dimensions.items():
        code_list = [p for p in paths if p.name == f"{dimension}.json"]
        if not code_list:
            raise InputError(f"{table.source_id}: expected the code list {dimension}.json "
                             f"among {[p.name for p in paths]}")
        categories[dimension] = category_codes(load_json(code_list[0])["value"], "Key", wanted,
                                               dimension, code_list[0].name)
    pages = _files(paths, r"TypedDataSet_.*\.json")
    if not pages:
        raise InputError(f"{table.source_id}: expected TypedDataSet_*.json pages among "
                         f"{[p.name for p in paths]}")
    out: dict[str, list] = {c: [] for c in _LANDING_COLUMNS}
    for page in pages:
        for number, record in enumerate(load_json(page)["value"], start=1):
            if not isinstance(record, dict):
                raise InputError(f"{page.name} row {number}: expected an object, got "
                                 f"{type(record).__name__}")
            suffix = _category_suffix(record, categories, page.name, number)
            if suffix is None:
                continue
            area = _key(record, geo, page.name, number, "a region key")
            period = period_label(_key(record, time, page.name, number, "a period key"))
            for column, measures in (("numerator", numerators), ("value", values)):
                for key, code in measures.items():
                    figure = _number(record, key, page.name, number)
                    _append(out, area, period, code + suffix, column, figure,
                            None if figure is not None else "", page.name, number)
    return out


def _category_suffix(record: dict, categories: dict[str, dict[str, str]], file: str,
                     number: int) -> str | None:
    """``__<code>…`` for a record in the wanted categories; None for any other record."""
    suffix = ""
    for dimension, codes in categories.items():
        code = codes.get(_key(record, dimension, file, number, "a category key"))
        if code is None:
            return None
        suffix += f"__{code}"
    return suffix


def _append(out: dict[str, list], area: str, period: str, code: str, column: str,
            figure: float | None, marker: str | None, file: str, number: int) -> None:
    out["area_code"].append(area)
    out["period_label"].append(period)
    out["indicator_code"].append(code)
    out["numerator"].append(figure if column == "numerator" else None)
    out["value"].append(figure if column == "value" else None)
    out["marker"].append(marker)
    out["source_file"].append(file)
    out["source_row"].append(number)


# --------------------------------------------------------------------------------------------
# v4


def _land_v4(paths: list[Path], table: Table) -> dict[str, list]:
    dims_files = _files(paths, r"Dimensions(_.*)?\.json")
    measure_files = _files(paths, r"MeasureCodes(_.*)?\.json")
    if not dims_files:
        raise InputError(f"{table.source_id}: expected Dimensions*.json among "
                         f"{[p.name for p in paths]}")
    dims = [(r.get("Identifier"), r.get("Kind")) for r in _rows(dims_files)]
    geo, time = _split_dimensions(dims, list(table.dimensions), dims_files[0].name)
    measures = _rows(measure_files)
    wanted = {**{t: ("numerator", c) for t, c in table.measures.items()},
              **{t: ("value", c) for t, c in table.value_measures.items()}}
    resolved = {}
    for title, (column, code) in wanted.items():
        found = [m["Identifier"] for m in measures if "Identifier" in m and
                 normalise_header(m.get("Title", "")) == normalise_header(title)]
        if len(found) != 1:
            shown = sorted({str(m.get("Title")) for m in measures})[:15]
            raise InputError(f"{measure_files[0].name if measure_files else 'MeasureCodes'}: "
                             f"{len(found)} measures titled {title!r} (expected one; "
                             f"titles found: {shown})")
        resolved[str(found[0]).strip()] = (column, code)
    categories = {}
    for dimension, titles in table.dimensions.items():
        files = _files(paths, rf"{re.escape(dimension)}Codes(_.*)?\.json")
        categories[dimension] = category_codes(_rows(files), "Identifier", titles, dimension,
                                               files[0].name if files else dimension)
    pages = _files(paths, r"Observations_.*\.json")
    if not pages:
        raise InputError(f"{table.source_id}: expected Observations_*.json pages among "
                         f"{[p.name for p in paths]}")
    out: dict[str, list] = {c: [] for c in _LANDING_COLUMNS}
    for page in pages:
        for number, record in enumerate(load_json(page)["value"], start=1):
            measure = _key(record, "Measure", page.name, number, "a measure identifier")
            if measure not in resolved:
                continue
            suffix = _category_suffix(record, categories, page.name, number)
            if suffix is None:
                continue
            column, code = resolved[measure]
            figure = _number(record, "Value", page.name, number)
            attribute = record.get("ValueAttribute")
            marker = None if figure is not None else (
                "" if attribute in (None, "None") else str(attribute))
            _append(out, _key(record, geo, page.name, number, "a region key"),
                    period_label(_key(record, time, page.name, number, "a period key")),
                    code + suffix, column, figure, marker, page.name, number)
    return out


# --------------------------------------------------------------------------------------------
# entry point


def land_observations(raw_paths: list[Path], table: Table) -> dict[str, pa.Table]:
    """Parse a CBS payload (v3 or v4, told apart by its files) into ``observations``.

    Raises:
        InputError: metadata or pages missing, a wanted title absent or ambiguous, or a page
            that is not the expected OData layout (names file, row and column).
    """
    paths = [Path(p) for p in raw_paths]
    names = {p.name for p in paths}
    if "DataProperties.json" in names:
        out = _land_v3(paths, table)
    elif any(re.fullmatch(r"MeasureCodes(_.*)?\.json", n) for n in names):
        out = _land_v4(paths, table)
    else:
        raise InputError(f"{table.source_id}: unrecognised layout: expected DataProperties.json "
                         f"(OData v3) or MeasureCodes*.json (OData v4) among {sorted(names)}")
    frame = pd.DataFrame(out)
    frame["area_name"] = None
    frame["classification_year"] = table.classification_year
    frame["non_events"] = float("nan")
    frame["denominator"] = float("nan")
    for column in ("numerator", "value"):
        frame[column] = frame[column].astype("float64")
    check_unique_keys(frame)
    return {"observations": to_observations_table(frame)}
