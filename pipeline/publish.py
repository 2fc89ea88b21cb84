"""Staged builds and atomic publishing.

A refresh builds into ``.builds/<id>.partial``. Only when every blocking check has passed is it
renamed to ``.builds/<id>`` and the ``processed`` symlink swapped to it with one ``os.replace``
(atomic on POSIX). A build that failed its checks (or crashed) is renamed
``.builds/<id>.failed`` and kept as evidence, with its validation report; an interrupted one
(Ctrl-C, SIGTERM) is removed, and one killed outright (``kill -9``) is left as ``.partial`` and
removed by the next run. The previously published build is never written to, so it stays
byte-identical whatever happens to a refresh.

A lock (``fcntl.flock``) keeps two refreshes apart; the kernel releases it when the process dies,
even on ``kill -9``, so there is never a stale lock.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

from pipeline.config import Settings
from pipeline.errors import KansrijkError

KEEP_BUILDS = 2
KEEP_FAILED = 3


class BuildLock:
    """An exclusive, crash-safe lock on the data dir."""

    def __init__(self, settings: Settings) -> None:
        self.path = settings.data_dir / ".kansrijk.lock"
        self._handle = None

    def __enter__(self) -> BuildLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._handle = self.path.open("a+")
        try:
            fcntl.flock(self._handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._handle.seek(0)
            holder = self._handle.read().strip() or "unknown"
            self._handle.close()
            raise KansrijkError(
                f"another refresh holds {self.path} (pid {holder}); wait for it to finish"
            ) from None
        self._handle.seek(0)
        self._handle.truncate()
        self._handle.write(str(os.getpid()))
        self._handle.flush()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._handle:
            fcntl.flock(self._handle, fcntl.LOCK_UN)
            self._handle.close()


def new_build_id() -> str:
    """A sortable, unique build id (UTC time to the microsecond)."""
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")


def start_build(settings: Settings, build_id: str) -> Path:
    """Create an empty staging folder for a build."""
    partial = settings.builds_dir / f"{build_id}.partial"
    partial.mkdir(parents=True)
    return partial


def remove_partials(settings: Settings) -> int:
    """Remove folders of interrupted builds (call only while holding the lock)."""
    removed = 0
    if settings.builds_dir.exists():
        for partial in settings.builds_dir.glob("*.partial"):
            shutil.rmtree(partial, ignore_errors=True)
            removed += 1
    for tmp in settings.data_dir.glob(".processed.tmp-*"):
        tmp.unlink(missing_ok=True)
    return removed


def published_dir(settings: Settings) -> Path | None:
    """The folder of the published build, or None before the first publish."""
    link = settings.processed_dir
    if link.is_symlink() or link.is_dir():
        target = link.resolve()
        return target if target.is_dir() else None
    return None


def latest_exports(settings: Settings) -> Path | None:
    """The exports to reuse unchanged areas from: the published build's, or else (it was built
    without exports, e.g. by ``kansrijk build``) those of the newest kept build that has them."""
    published = published_dir(settings)
    kept = sorted((p for p in settings.builds_dir.glob("*") if p.is_dir() and "." not in p.name),
                  reverse=True) if settings.builds_dir.is_dir() else []
    for build in [published, *kept]:
        if build is not None and (build / "exports" / "manifest.json").is_file():
            return build / "exports"
    return None


def published_manifest(settings: Settings) -> dict | None:
    """``_build.json`` of the published build."""
    folder = published_dir(settings)
    if folder and (folder / "_build.json").exists():
        return json.loads((folder / "_build.json").read_text(encoding="utf-8"))
    return None


def publish(settings: Settings, partial: Path) -> Path:
    """Rename the staged build into place and swap the ``processed`` link atomically."""
    if settings.processed_dir.exists() and not settings.processed_dir.is_symlink():
        raise KansrijkError(
            f"{settings.processed_dir} is a real folder, not a link to a build; "
            f"move it away (make clean) and refresh again"
        )
    final = partial.with_name(partial.name.removesuffix(".partial"))
    partial.rename(final)
    tmp_link = settings.data_dir / f".processed.tmp-{final.name}"
    tmp_link.unlink(missing_ok=True)
    tmp_link.symlink_to(Path(settings.builds_dir.name) / final.name)
    os.replace(tmp_link, settings.processed_dir)
    prune(settings)
    return final


def discard(partial: Path) -> None:
    """Remove an interrupted build (a second interrupt leaves a ``.partial`` for the next run)."""
    shutil.rmtree(partial, ignore_errors=True)


def fail(partial: Path) -> Path:
    """Keep a build that failed its checks as evidence (``.failed``)."""
    failed = partial.with_name(partial.name.removesuffix(".partial") + ".failed")
    partial.rename(failed)
    return failed


def prune(settings: Settings) -> None:
    """Keep the published build, the one before it, and the last few failed builds."""
    current = published_dir(settings)
    builds = sorted(p for p in settings.builds_dir.iterdir() if p.is_dir() and "." not in p.name)
    for old in builds[:-KEEP_BUILDS]:
        if old != current:
            shutil.rmtree(old, ignore_errors=True)
    failed = sorted(settings.builds_dir.glob("*.failed"))
    for old in failed[:-KEEP_FAILED]:
        shutil.rmtree(old, ignore_errors=True)
