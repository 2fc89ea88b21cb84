"""The source registry: ``pipeline/sources.yml`` as typed, immutable specs."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

REGISTRY_PATH = Path(__file__).with_name("sources.yml")
KINDS = ("cbs_odata", "file_drop")
REQUIRED = (
    "title",
    "publisher",
    "url_main",
    "kind",
    "format",
    "licence_name",
    "attribution",
    "update_cadence",
    "classification_year",
)


@dataclass(frozen=True)
class SourceSpec:
    """One source as registered: where it comes from, its licence and its classification year."""

    source_id: str
    title: str
    publisher: str
    url_main: str
    kind: str
    format: str
    licence_name: str
    attribution: str
    update_cadence: str
    classification_year: int
    licence_url: str = ""
    url_download: str = ""
    notes: str = ""
    api: dict[str, Any] = field(default_factory=dict)


def _spec(source_id: str, entry: dict[str, Any]) -> SourceSpec:
    missing = [k for k in REQUIRED if k not in entry]
    if missing:
        raise ValueError(f"{REGISTRY_PATH.name}: source {source_id!r} lacks {', '.join(missing)}")
    if entry["kind"] not in KINDS:
        raise ValueError(
            f"{REGISTRY_PATH.name}: source {source_id!r} has unknown kind "
            f"{entry['kind']!r} (expected one of {', '.join(KINDS)})"
        )
    return SourceSpec(source_id=source_id, **entry)


@cache
def load() -> dict[str, SourceSpec]:
    """All registered sources, keyed by source id, in registry order."""
    entries = yaml.safe_load(REGISTRY_PATH.read_text(encoding="utf-8"))
    return {sid: _spec(sid, entry) for sid, entry in entries.items()}


def get(source_id: str) -> SourceSpec:
    """One source's spec; a clear error for an unknown id."""
    sources = load()
    if source_id not in sources:
        raise KeyError(f"unknown source {source_id!r}; registered: {', '.join(sources)}")
    return sources[source_id]
