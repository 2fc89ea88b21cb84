"""Runs ingest for each source: fetch → snapshot (if new) → land → landing Parquet (cached).

The landing Parquet of a snapshot is written once to ``landing/<source>/<snapshot_id>/`` and
reused by every later build: an unchanged payload is neither stored again nor parsed again.
"""

from __future__ import annotations

import importlib
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pyarrow.parquet as pq

from pipeline import manifest, registry
from pipeline.config import Settings
from pipeline.errors import InputError
from pipeline.registry import SourceSpec


@dataclass(frozen=True)
class IngestResult:
    """What ingest did for one source."""

    source_id: str
    snapshot_id: str | None
    new_snapshot: bool
    parsed: bool
    rows: dict[str, int]
    note: str = ""


def ingest_module(source_id: str) -> ModuleType:
    """The ingest module of a source (``pipeline.ingest.<source_id>``)."""
    return importlib.import_module(f"pipeline.ingest.{source_id}")


def landing_folder(settings: Settings, snap: manifest.Snapshot) -> Path:
    return settings.landing_dir / snap.source_id / snap.snapshot_id


def landing_paths(settings: Settings, snap: manifest.Snapshot) -> dict[str, Path]:
    """Entity name → landing Parquet path for a snapshot (empty when not landed yet)."""
    folder = landing_folder(settings, snap)
    if not folder.is_dir():
        return {}
    return {p.stem: p for p in sorted(folder.glob("*.parquet"))}


def _write_landing(settings: Settings, snap: manifest.Snapshot, tables: dict) -> dict[str, int]:
    """Write landing tables atomically (temp folder, then rename)."""
    parent = settings.landing_dir / snap.source_id
    parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=parent))
    for entity, table in tables.items():
        pq.write_table(table, tmp / f"{entity}.parquet", compression="zstd")
    final = landing_folder(settings, snap)
    if final.exists():
        shutil.rmtree(final)
    tmp.rename(final)
    return {entity: table.num_rows for entity, table in tables.items()}


def ingest_source(
    settings: Settings, spec: SourceSpec, files: list[Path] | None = None, **land_kwargs: object
) -> IngestResult:
    """Fetch one source and land it; parse only when the payload is new or not landed yet.

    Raises:
        InputError: the payload cannot be parsed; it is kept as a *rejected* snapshot (evidence)
            and the previous snapshot stays active.
    """
    module = ingest_module(spec.source_id)
    with manifest.staging_folder(settings, spec.source_id) as tmp:
        if files is None:
            fetched = module.fetch(spec, tmp, settings)
        else:
            fetched = module.fetch(spec, tmp, settings, files=files)
        current = manifest.active_snapshot(settings, spec.source_id)
        if current and current.content_sha256 == manifest.folder_content_sha(tmp):
            if landing_paths(settings, current):
                return IngestResult(
                    spec.source_id, current.snapshot_id, False, False, {}, "unchanged"
                )
            rows = _write_landing(settings, current, module.land(current.paths(settings)))
            return IngestResult(spec.source_id, current.snapshot_id, False, True, rows)
        try:
            tables = module.land(sorted(p for p in tmp.rglob("*") if p.is_file()), **land_kwargs)
        except InputError as exc:
            manifest.commit_snapshot(
                settings,
                spec.source_id,
                tmp,
                origin=fetched.origin,
                licence=spec.licence_name,
                classification_year=spec.classification_year,
                file_meta=fetched.file_meta,
                status="rejected",
                note=str(exc),
            )
            raise
        snap, _ = manifest.commit_snapshot(
            settings,
            spec.source_id,
            tmp,
            origin=fetched.origin,
            licence=spec.licence_name,
            classification_year=spec.classification_year,
            file_meta=fetched.file_meta,
        )
    rows = _write_landing(settings, snap, tables)
    return IngestResult(spec.source_id, snap.snapshot_id, True, True, rows)


def ingest_all(settings: Settings, source_ids: list[str] | None = None) -> list[IngestResult]:
    """Ingest every registered source (or the named ones) in registry order."""
    manifest.remove_stale_staging(settings)
    specs = registry.load()
    wanted = source_ids or list(specs)
    return [ingest_source(settings, specs[sid]) for sid in wanted]
