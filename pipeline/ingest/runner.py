"""Runs ingest for each source: fetch → snapshot (if new) → land → landing Parquet (cached).

The landing Parquet of a snapshot is written once to ``landing/<source>/<snapshot_id>/`` and
reused by every later build: an unchanged payload is neither stored again nor parsed again.

Per mode (:func:`ingest_all`):

- demo: every source from its bundled payload in ``data/demo`` (CBS through the demo transport);
- live: CBS sources over HTTP; file-drop sources from the files waiting in
  ``<data_dir>/inbox/`` (recognised by header, see :mod:`pipeline.ingest.inbox`). A file source
  with nothing in the inbox keeps its active live snapshot, or is skipped with a note when it
  never had one (the build then shows it as missing). Inbox files are routed and ingested
  before any HTTP request, so a bad file fails the run early and loudly.
"""

from __future__ import annotations

import importlib
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipeline import manifest, registry
from pipeline.config import Settings
from pipeline.errors import InputError
from pipeline.ingest import inbox
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


def _ensure_landed(settings: Settings, module: ModuleType, snap: manifest.Snapshot,
                   note: str) -> IngestResult:
    """An unchanged snapshot: parse it only when its landing Parquet is missing."""
    if landing_paths(settings, snap):
        return IngestResult(snap.source_id, snap.snapshot_id, False, False, {}, note)
    rows = _write_landing(settings, snap, module.land(snap.paths(settings)))
    return IngestResult(snap.source_id, snap.snapshot_id, False, True, rows, note)


def ingest_source(
    settings: Settings,
    spec: SourceSpec,
    files: list[Path] | None = None,
    *,
    indicator: str | None = None,
    replace: bool = False,
    **land_kwargs: object,
) -> IngestResult:
    """Fetch one source and land it; parse only when the payload is new or not landed yet.

    Args:
        settings: mode and data dir.
        spec: the source.
        files: dropped/given files (file sources); None = fetch (CBS) or the demo payload.
        indicator: store the files under this indicator (``--indicator``).
        replace: a live drop replaces the whole active payload (no files carried over).
        **land_kwargs: passed to ``land`` (tests).

    Raises:
        FetchError: the fetch did not deliver a complete payload (nothing is stored; the
            previous snapshot stays active).
        InputError: the payload cannot be parsed; it is kept as a *rejected* snapshot (evidence)
            and the previous snapshot stays active.
    """
    module = ingest_module(spec.source_id)
    options = {k: v for k, v in (("indicator", indicator), ("replace", replace)) if v}
    with manifest.staging_folder(settings, spec.source_id) as tmp:
        if files is None:
            fetched = module.fetch(spec, tmp, settings)
        else:
            fetched = module.fetch(spec, tmp, settings, files=files, **options)
        current = manifest.active_snapshot(settings, spec.source_id)
        if current and current.content_sha256 == manifest.folder_content_sha(tmp):
            return _ensure_landed(settings, module, current, "unchanged")
        commit = {"origin": fetched.origin, "licence": spec.licence_name,
                  "classification_year": spec.classification_year,
                  "file_meta": fetched.file_meta}
        try:
            tables = module.land(sorted(p for p in tmp.rglob("*") if p.is_file()), **land_kwargs)
        except InputError as exc:
            rejected, _ = manifest.commit_snapshot(settings, spec.source_id, tmp, **commit,
                                                   status="rejected", note=str(exc))
            kept = current.snapshot_id if current else "none"
            raise InputError(f"{exc} [{spec.source_id}: rejected, kept as evidence in "
                             f"raw/{spec.source_id}/{rejected.snapshot_id}; active snapshot "
                             f"unchanged: {kept}]") from exc
        commit["classification_year"] = _classification_year(tables, spec)
        snap, _ = manifest.commit_snapshot(settings, spec.source_id, tmp, **commit)
    rows = _write_landing(settings, snap, tables)
    return IngestResult(spec.source_id, snap.snapshot_id, True, True, rows)


def _classification_year(tables: dict, spec: SourceSpec) -> int:
    """The latest gemeente classification the landed rows are in (a RIVM drop may be in 2022
    while the registry names the usual 2023); the registry's year when the rows do not say."""
    years = [pc.max(t.column("classification_year")).as_py() for t in tables.values()
             if "classification_year" in t.column_names and t.num_rows]
    years = [y for y in years if y is not None]
    return int(max(years)) if years else spec.classification_year


def _keep_active(settings: Settings, spec: SourceSpec) -> IngestResult:
    """A live file source without a new file: keep its snapshot, or skip it with a note."""
    current = manifest.active_snapshot(settings, spec.source_id)
    if current is None:
        return IngestResult(spec.source_id, None, False, False, {},
                            f"no file yet: skipped (drop one in {settings.inbox_dir} or use "
                            f"kansrijk ingest --source {spec.source_id} --file PATH)")
    return _ensure_landed(settings, ingest_module(spec.source_id), current,
                          "no new file in the inbox: kept")


def ingest_all(settings: Settings, source_ids: list[str] | None = None) -> list[IngestResult]:
    """Ingest every registered source (or the named ones) in registry order.

    In live mode the inbox is read first (see the module docstring); files that were ingested
    (or found identical to the active snapshot) are moved to ``inbox/processed/``.
    """
    manifest.remove_stale_staging(settings)
    specs = registry.load()
    wanted = source_ids or list(specs)
    unknown = [sid for sid in wanted if sid not in specs]
    if unknown:
        raise KeyError(f"unknown source {unknown[0]!r}; registered: {', '.join(specs)}")
    file_sources = {sid for sid in wanted if specs[sid].kind == "file_drop"}
    drops = {} if settings.is_demo or not file_sources else inbox.collect(settings,
                                                                          file_sources)
    results: dict[str, IngestResult] = {}
    for sid in sorted(drops, key=wanted.index):  # local files first: a bad one fails early
        result = ingest_source(settings, specs[sid], files=[d.path for d in drops[sid]])
        inbox.archive(settings, drops[sid], result.snapshot_id or "unknown")
        names = ", ".join(d.path.name for d in drops[sid])
        results[sid] = IngestResult(result.source_id, result.snapshot_id, result.new_snapshot,
                                    result.parsed, result.rows,
                                    f"{result.note or 'new snapshot'} from inbox: {names}")
    for sid in wanted:
        if sid in results:
            continue
        if settings.is_demo or sid not in file_sources:
            results[sid] = ingest_source(settings, specs[sid])
        else:
            results[sid] = _keep_active(settings, specs[sid])
    return [results[sid] for sid in wanted]
