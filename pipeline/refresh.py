"""The main job: ingest → build → validate → export → notebooks → publish, atomically.

Every output is a function of (code, active raw snapshots, mode). Their checksums form the
build's *inputs hash*; when it equals the published build's, a refresh does nothing.
"""

from __future__ import annotations

import hashlib
import json
import platform
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from pipeline import build as build_mod
from pipeline import export, leaks, manifest, notebooks, progress, publish, registry, validate
from pipeline.config import EXPECTATIONS_DIR, REPO_ROOT, Settings
from pipeline.errors import KansrijkError, interrupt_requested
from pipeline.ingest.runner import ingest_all

CODE_GLOBS = (
    "pipeline/**/*.py",
    "pipeline/**/*.yml",
    "sql/**/*.sql",
    "config/*.yml",
    "data/reference/**/*",
    "notebooks/*.py",
)
PACKAGES = (
    "pandas",
    "duckdb",
    "pyarrow",
    "altair",
    "vl-convert-python",
    "great-expectations",
    "scipy",
    "nbclient",
)


class ValidationFailed(KansrijkError):
    """Blocking expectations failed; nothing was published."""


class DisclosureLeak(KansrijkError):
    """The leak scan found a small count or a recoverable suppressed cell; nothing published."""


@dataclass(frozen=True)
class RefreshResult:
    """What a refresh did."""

    published: bool
    build_dir: Path | None
    note: str


def code_fingerprint() -> str:
    """sha256 over every file that shapes the outputs (code, SQL, suites, reference data)."""
    digest = hashlib.sha256()
    files = sorted({p for pattern in CODE_GLOBS for p in REPO_ROOT.glob(pattern) if p.is_file()})
    files += sorted(EXPECTATIONS_DIR.glob("*.json"))
    for path in files:
        label = path.relative_to(REPO_ROOT) if path.is_relative_to(REPO_ROOT) else path.name
        digest.update(str(label).encode())
        digest.update(manifest.sha256_file(path).encode())
    return digest.hexdigest()


def inputs_hash(
    settings: Settings,
    snapshots: dict[str, manifest.Snapshot | None],
    with_notebooks: bool,
    exports: str = "all",
) -> str:
    """The fingerprint of everything a build depends on (``exports``: which areas exported)."""
    parts = [settings.mode, f"notebooks={with_notebooks}", f"exports={exports}",
             code_fingerprint()]
    parts += [
        f"{sid}:{snap.content_sha256 if snap else '-'}" for sid, snap in sorted(snapshots.items())
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _git_commit() -> str:
    try:
        return (
            subprocess.run(
                ["git", "rev-parse", "HEAD"],
                cwd=REPO_ROOT,
                capture_output=True,
                text=True,
                timeout=5,
            ).stdout.strip()
            or "unknown"
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def build_record(
    settings: Settings,
    build_id: str,
    refreshed_at: str,
    digest: str,
    snapshots: dict[str, manifest.Snapshot | None],
) -> dict:
    """The contents of ``_build.json``."""
    return {
        "build_id": build_id,
        "refreshed_at": refreshed_at,
        "mode": settings.mode,
        "is_demo": settings.is_demo,
        "inputs_hash": digest,
        "git_commit": _git_commit(),
        "python": platform.python_version(),
        "packages": {p: metadata.version(p) for p in PACKAGES},
        "snapshots": {
            sid: (manifest.snapshot_summary(s) if s else None) for sid, s in snapshots.items()
        },
    }


def refresh(
    settings: Settings,
    *,
    force: bool = False,
    with_notebooks: bool = True,
    with_exports: bool = True,
    export_areas: list[str] | None = None,
) -> RefreshResult:
    """Run the whole pipeline and publish atomically when every blocking check passes.

    ``export_areas`` limits the exported factsheets to these area codes (default: all).
    """
    with publish.BuildLock(settings):
        publish.remove_partials(settings)
        with progress.step("ingest") as note:
            results = ingest_all(settings)
            note["note"] = ", ".join(
                f"{r.source_id}: {r.note or ('new' if r.new_snapshot else 'landed')}"
                for r in results
            )
        snapshots = {sid: manifest.active_snapshot(settings, sid) for sid in registry.load()}
        exports = ",".join(export_areas or ["all"]) if with_exports else "none"
        digest = inputs_hash(settings, snapshots, with_notebooks, exports)
        current = publish.published_manifest(settings)
        if not force and current and current.get("inputs_hash") == digest:
            return RefreshResult(
                False,
                publish.published_dir(settings),
                "nothing changed since the published build; nothing rebuilt",
            )
        return _build_and_publish(settings, snapshots, digest, with_notebooks,
                                  export_areas if with_exports else None, with_exports)


def _build_and_publish(
    settings: Settings,
    snapshots: dict,
    digest: str,
    with_notebooks: bool,
    export_areas: list[str] | None,
    with_exports: bool,
) -> RefreshResult:
    """Build into ``.builds/<id>.partial``; publish only when every blocking check passes.

    A failed check or a crash keeps the build as ``.failed`` (evidence, with its validation
    report); an interrupt (Ctrl-C, SIGTERM) removes it. Either way the published build is
    never touched. A ``kill -9`` leaves the ``.partial`` folder, which the next refresh removes.
    """
    build_id = publish.new_build_id()
    refreshed_at = datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    partial = settings.builds_dir / f"{build_id}.partial"
    try:
        # created inside the guard: an interrupt at any point after mkdir removes the folder
        partial = publish.start_build(settings, build_id)
        record = build_record(settings, build_id, refreshed_at, digest, snapshots)
        (partial / "_build.json").write_text(json.dumps(record, indent=1))
        with progress.step("build") as note:
            counts = build_mod.build(settings, partial, snapshots, build_id, refreshed_at)
            note["note"] = ", ".join(f"{k}: {v} rows" for k, v in counts.items())
        with progress.step("validate") as note:
            report = validate.validate_build(partial)
            note["note"] = (
                f"{sum(o.success for o in report.outcomes)}/{len(report.outcomes)} "
                f"expectations passed, {len(report.warnings)} warning(s)"
            )
        if not report.success:
            failed = publish.fail(partial)
            raise ValidationFailed(
                f"{report.first_failure_line()}; nothing published "
                f"(report: {failed / 'validation' / 'index.html'})"
            )
        if with_exports:
            with progress.step("export") as note:
                done = export.export_build(partial, previous=publish.latest_exports(settings),
                                           codes=export_areas)
                note["note"] = done.summary()
        if with_notebooks:
            for source in notebooks.notebook_sources():
                with progress.step(f"notebook {source.stem}"):
                    notebooks.execute(source, partial, partial / "notebooks")
        with progress.step("leak scan") as note:
            problems = leaks.scan_build(partial)
            note["note"] = f"{len(problems)} problem(s)"
        if problems:
            failed = publish.fail(partial)
            more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
            raise DisclosureLeak(
                f"disclosure leak scan: {problems[0]}{more}; nothing published "
                f"(build kept in {failed})"
            )
    except BaseException as exc:
        if isinstance(exc, KeyboardInterrupt | SystemExit) or interrupt_requested():
            publish.discard(partial)
        elif partial.exists():
            publish.fail(partial)
        raise
    final = publish.publish(settings, partial)
    return RefreshResult(True, final, f"published build {build_id}")
