"""Immutable raw snapshots and the machine-written manifest (``raw/manifest.json``).

A fetch writes its files into a temporary folder next to the snapshots; :func:`commit_snapshot`
hashes them, and either discards them (identical to the active snapshot: nothing new) or renames
the folder into place as a new read-only snapshot and records it in the manifest, which is
rewritten atomically (temp file + ``os.replace``). An interrupted fetch therefore never leaves a
half snapshot: at worst a ``.tmp-*`` folder that the next run removes.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pipeline.config import Settings

MANIFEST_VERSION = 1


@dataclass(frozen=True)
class FileRecord:
    """One file of a snapshot."""

    path: str  # relative to the snapshot folder
    sha256: str
    bytes: int
    origin: str = ""  # URL or original file name
    etag: str | None = None
    last_modified: str | None = None


@dataclass
class Snapshot:
    """One fetched version of a source (a row of the manifest)."""

    source_id: str
    snapshot_id: str
    fetched_at: str
    origin: str
    is_demo: bool
    licence: str
    classification_year: int
    content_sha256: str
    files: list[FileRecord] = field(default_factory=list)
    active: bool = False
    status: str = "accepted"  # accepted | rejected
    note: str = ""

    def folder(self, settings: Settings) -> Path:
        return settings.raw_dir / self.source_id / self.snapshot_id

    def paths(self, settings: Settings) -> list[Path]:
        return [self.folder(settings) / f.path for f in self.files]


def sha256_file(path: Path) -> str:
    """Streamed sha256 of a file."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _content_sha(records: list[FileRecord]) -> str:
    joined = "\n".join(f"{r.path}:{r.sha256}" for r in sorted(records, key=lambda r: r.path))
    return hashlib.sha256(joined.encode()).hexdigest()


def folder_records(folder: Path, file_meta: dict[str, dict] | None = None) -> list[FileRecord]:
    """File records (relative path, sha256, bytes) of every file below ``folder``."""
    file_meta = file_meta or {}
    records = []
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            rel = path.relative_to(folder).as_posix()
            records.append(
                FileRecord(
                    path=rel,
                    sha256=sha256_file(path),
                    bytes=path.stat().st_size,
                    **file_meta.get(rel, {}),
                )
            )
    return records


def folder_content_sha(folder: Path) -> str:
    """One sha256 over the relative paths and checksums of a folder's files."""
    return _content_sha(folder_records(folder))


def read_manifest(settings: Settings) -> list[Snapshot]:
    """All snapshots in the manifest (empty when there is none yet)."""
    if not settings.manifest_path.exists():
        return []
    data = json.loads(settings.manifest_path.read_text(encoding="utf-8"))
    snapshots = []
    for row in data.get("snapshots", []):
        files = [FileRecord(**f) for f in row.pop("files", [])]
        snapshots.append(Snapshot(**row, files=files))
    return snapshots


def write_manifest(settings: Settings, snapshots: list[Snapshot]) -> None:
    """Rewrite the manifest atomically."""
    settings.raw_dir.mkdir(parents=True, exist_ok=True)
    payload = {"version": MANIFEST_VERSION, "snapshots": [asdict(s) for s in snapshots]}
    fd, tmp = tempfile.mkstemp(prefix=".manifest-", dir=settings.raw_dir)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(payload, handle, indent=1, ensure_ascii=False)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, settings.manifest_path)


def active_snapshot(settings: Settings, source_id: str) -> Snapshot | None:
    """The active snapshot of a source for the current mode (demo or live)."""
    for snap in read_manifest(settings):
        if (
            snap.source_id == source_id
            and snap.active
            and snap.is_demo == settings.is_demo
            and snap.status == "accepted"
        ):
            return snap
    return None


@contextmanager
def staging_folder(settings: Settings, source_id: str) -> Iterator[Path]:
    """A temporary folder for a fetch; removed afterwards unless committed (renamed away)."""
    parent = settings.raw_dir / source_id
    parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=parent))
    try:
        yield tmp
    finally:
        if tmp.exists():
            _make_writable(tmp)
            shutil.rmtree(tmp, ignore_errors=True)


def remove_stale_staging(settings: Settings) -> None:
    """Remove ``.tmp-*`` folders left by an interrupted fetch (never a committed snapshot)."""
    if not settings.raw_dir.exists():
        return
    for tmp in settings.raw_dir.glob("*/.tmp-*"):
        _make_writable(tmp)
        shutil.rmtree(tmp, ignore_errors=True)


def _make_writable(folder: Path) -> None:
    for path in [folder, *folder.rglob("*")]:
        path.chmod(path.stat().st_mode | stat.S_IWUSR)


def _make_read_only(folder: Path) -> None:
    for path in folder.rglob("*"):
        if path.is_file():
            path.chmod(0o444)
    for path in sorted([folder, *[p for p in folder.rglob("*") if p.is_dir()]], reverse=True):
        path.chmod(0o555)


def commit_snapshot(
    settings: Settings,
    source_id: str,
    tmp: Path,
    *,
    origin: str,
    licence: str,
    classification_year: int,
    file_meta: dict[str, dict] | None = None,
    status: str = "accepted",
    note: str = "",
) -> tuple[Snapshot, bool]:
    """Turn a fetched temp folder into a snapshot.

    Returns ``(snapshot, is_new)``. When the content equals the active snapshot's, the temp folder
    is discarded and the active snapshot is returned with ``is_new=False``. A ``rejected`` snapshot
    is kept as evidence but never becomes active.
    """
    records = folder_records(tmp, file_meta)
    content_sha = _content_sha(records)
    current = active_snapshot(settings, source_id)
    if status == "accepted" and current and current.content_sha256 == content_sha:
        return current, False
    if status == "rejected":  # the same bad payload again: the evidence is already kept
        for snap in read_manifest(settings):
            if (snap.source_id == source_id and snap.status == "rejected"
                    and snap.is_demo == settings.is_demo and snap.content_sha256 == content_sha):
                return snap, False
    now = datetime.now(UTC)
    snapshot_id = f"{now:%Y%m%dT%H%M%S%fZ}-{content_sha[:8]}"
    final = settings.raw_dir / source_id / snapshot_id
    _make_read_only(tmp)
    tmp.rename(final)
    snap = Snapshot(
        source_id=source_id,
        snapshot_id=snapshot_id,
        fetched_at=now.isoformat(timespec="seconds").replace("+00:00", "Z"),
        origin=origin,
        is_demo=settings.is_demo,
        licence=licence,
        classification_year=classification_year,
        content_sha256=content_sha,
        files=records,
        active=status == "accepted",
        status=status,
        note=note,
    )
    snapshots = read_manifest(settings)
    if snap.active:
        for other in snapshots:
            if other.source_id == source_id and other.is_demo == snap.is_demo:
                other.active = False
    write_manifest(settings, [*snapshots, snap])
    return snap, True


def verify(settings: Settings) -> list[str]:
    """Recompute every checksum; one problem line per altered, missing or unrecorded file."""
    problems = []
    for snap in read_manifest(settings):
        where = f"{snap.source_id}/{snap.snapshot_id}"
        for record in snap.files:
            path = snap.folder(settings) / record.path
            if not path.exists():
                problems.append(f"{where}/{record.path}: missing")
            elif sha256_file(path) != record.sha256:
                problems.append(f"{where}/{record.path}: sha256 differs from the manifest "
                                f"(file altered)")
        recorded = {record.path for record in snap.files}
        folder = snap.folder(settings)
        extra = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")
                       if p.is_file()) if folder.is_dir() else []
        problems += [f"{where}/{name}: not in the manifest (file added)"
                     for name in extra if name not in recorded]
    return problems


def snapshot_summary(snap: Snapshot) -> dict[str, Any]:
    """A small dict for status output."""
    return {
        "source_id": snap.source_id,
        "snapshot_id": snap.snapshot_id,
        "fetched_at": snap.fetched_at,
        "files": len(snap.files),
        "bytes": sum(f.bytes for f in snap.files),
        "is_demo": snap.is_demo,
    }
