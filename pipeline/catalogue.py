"""The indicator catalogue (``pipeline/indicators.yml``) as a validated table."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd
import yaml

CATALOGUE_PATH = Path(__file__).with_name("indicators.yml")
UNITS = {"%": 100, "‰": 1000, "per 1000": 1000, "aantal": 1}
POLARITIES = ("lager is beter", "hoger is beter", "geen")
PHASES = ("voor de zwangerschap", "tijdens de zwangerschap", "na de geboorte", "context")
KINDS = ("uitkomst", "bereik", "proces", "context")
CI_METHODS = ("wilson", "poisson", "geen")
FIELDS = (
    "title",
    "definition",
    "numerator",
    "denominator",
    "unit",
    "multiplier",
    "polarity",
    "phase",
    "kind",
    "source_id",
    "source_codes",
    "period_kind",
    "suppression_threshold",
    "ci_method",
    "headline",
)


def _check(indicator_id: str, entry: dict) -> None:
    where = f"{CATALOGUE_PATH.name}: indicator {indicator_id!r}"
    missing = [f for f in FIELDS if f not in entry]
    if missing:
        raise ValueError(f"{where} lacks {', '.join(missing)}")
    checks = {
        "unit": UNITS,
        "polarity": POLARITIES,
        "phase": PHASES,
        "kind": KINDS,
        "ci_method": CI_METHODS,
    }
    for key, allowed in checks.items():
        if entry[key] not in allowed:
            raise ValueError(f"{where}: {key} {entry[key]!r} not in {', '.join(allowed)}")
    if UNITS[entry["unit"]] != entry["multiplier"]:
        raise ValueError(
            f"{where}: multiplier {entry['multiplier']} does not match unit {entry['unit']!r}"
        )


@cache
def load() -> pd.DataFrame:
    """One row per indicator, catalogue order, with ``sort_order``."""
    entries = yaml.safe_load(CATALOGUE_PATH.read_text(encoding="utf-8"))
    rows = []
    for order, (indicator_id, entry) in enumerate(entries.items()):
        _check(indicator_id, entry)
        rows.append(
            {
                "indicator_id": indicator_id,
                "sort_order": order,
                **{k: entry[k] for k in FIELDS if k != "source_codes"},
                "source_codes": ",".join(entry["source_codes"]),
            }
        )
    frame = pd.DataFrame(rows)
    frame["suppression_threshold"] = frame["suppression_threshold"].astype("Int64")
    return frame


def source_codes() -> pd.DataFrame:
    """The mapping (source_id, indicator_code) → indicator_id."""
    cat = load()
    rows = [
        {"source_id": r.source_id, "indicator_code": code, "indicator_id": r.indicator_id}
        for r in cat.itertuples()
        for code in r.source_codes.split(",")
    ]
    return pd.DataFrame(rows)
