"""The CSV behind every chart of a factsheet, in two variants.

* ``<name>.csv`` — tidy: UTF-8, ``,`` separator, ``.`` decimals, the marts' column names;
* ``<name>_excel.csv`` — for Dutch Excel: UTF-8 with BOM, ``;`` separator, decimal comma,
  Dutch column names and status words.

Both carry, per figure, the value, its 95% interval, numerator and denominator, status and
status reason, how the factsheet shows it (``display``: a number, "< 10" or "–"), the source
and snapshot id, and the mode label (DEMO in demo builds). A cell that is not ``ok`` has no
figures at all: suppressed is never written as 0.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pipeline import charts
from pipeline.factsheet_data import AreaSheet
from pipeline.factsheet_text import STATUS_WORDS, display_column

VALUE_COLUMNS = [
    "indicator_id", "indicator_title", "area_code", "area_name", "area_level", "period_label",
    "period_start_year", "period_end_year", "unit", "value", "ci_lower", "ci_upper",
    "numerator", "denominator", "status", "status_reason", "display", "source_id",
    "snapshot_ids",
]
PROFILE_EXTRA = [
    "phase", "polarity", "is_fallback", "region_code", "region_value", "nl_value", "vs_nl",
    "vs_region", "trend", "trend_first_year", "trend_last_year",
]
DUTCH = {
    "indicator_id": "indicator", "indicator_title": "indicatornaam", "area_code": "gebiedscode",
    "area_name": "gebiedsnaam", "area_level": "niveau", "period_label": "periode",
    "period_start_year": "beginjaar", "period_end_year": "eindjaar", "unit": "eenheid",
    "value": "waarde", "ci_lower": "ondergrens_95", "ci_upper": "bovengrens_95",
    "numerator": "teller", "denominator": "noemer", "status": "status",
    "status_reason": "toelichting", "display": "weergave", "source_id": "bron",
    "snapshot_ids": "snapshot", "is_demo": "demo", "label": "label", "phase": "fase",
    "polarity": "richting", "is_fallback": "gepoolde_periode", "region_code": "regiocode",
    "region_value": "waarde_regio", "nl_value": "waarde_nederland",
    "vs_nl": "vergelijking_nederland", "vs_region": "vergelijking_regio", "trend": "trend",
    "trend_first_year": "trend_vanaf", "trend_last_year": "trend_tot",
    "gemeente_code": "gemeentecode", "gemeente_name": "gemeentenaam", "role": "rol",
}
FIGURES = ["value", "ci_lower", "ci_upper", "region_value", "nl_value"]
COUNTS = ["numerator", "denominator"]


def _titles(sheet: AreaSheet) -> pd.Series:
    return sheet.definitions.set_index("indicator_id")["title"]


def values_frame(rows: pd.DataFrame, sheet: AreaSheet) -> pd.DataFrame:
    """``indicator_values`` rows as a chart's CSV (figures of non-ok rows blanked)."""
    data = charts.drawable(rows)
    data["indicator_title"] = data["indicator_id"].map(_titles(sheet))
    data["display"] = display_column(data)
    return _finish(data[VALUE_COLUMNS], sheet)


def profile_frame(sheet: AreaSheet) -> pd.DataFrame:
    """The indicator table's CSV: the area's figures with region, NL, comparisons and trend."""
    data = sheet.profile.copy()
    data["display"] = display_column(data)
    return _finish(data[VALUE_COLUMNS + PROFILE_EXTRA], sheet)


def location_frame(sheet: AreaSheet) -> pd.DataFrame:
    """The location map's CSV: the gemeenten drawn and their role."""
    data = sheet.location.copy()
    data["area_code"] = sheet.area_code
    data["area_name"] = sheet.area_name
    columns = ["area_code", "area_name", "gemeente_code", "gemeente_name", "role"]
    return _finish(data[columns], sheet)


def coalition_frame(sheet: AreaSheet) -> pd.DataFrame:
    """The coalition panel's CSV: the checklist rows of the latest assessment."""
    return _finish(sheet.coalition.copy(), sheet)


def _finish(frame: pd.DataFrame, sheet: AreaSheet) -> pd.DataFrame:
    out = frame.copy()
    for column in FIGURES:
        if column in out:
            out[column] = out[column].astype("float64").round(4)
    for column in COUNTS:
        if column in out:
            out[column] = out[column].astype("float64").round().astype("Int64")
    out["is_demo"] = sheet.is_demo
    out["label"] = sheet.mode_label
    return out.reset_index(drop=True)


def dutch(frame: pd.DataFrame) -> pd.DataFrame:
    """The Excel variant's columns and words (Dutch names, status words, ja/nee)."""
    out = frame.copy()
    if "status" in out and "indicator_id" in out:
        out["status"] = out["status"].map(lambda s: STATUS_WORDS.get(s, s))
    for column in out.columns:
        if out[column].dtype == bool:
            out[column] = out[column].map({True: "ja", False: "nee"})
    return out.rename(columns=DUTCH)


def write(frame: pd.DataFrame, stem: Path) -> list[Path]:
    """Write both variants next to each other; returns their paths."""
    tidy = stem.with_suffix(".csv")
    excel = stem.with_name(f"{stem.name}_excel.csv")
    frame.to_csv(tidy, index=False, encoding="utf-8")
    dutch(frame).to_csv(excel, index=False, sep=";", decimal=",", encoding="utf-8-sig")
    return [tidy, excel]
