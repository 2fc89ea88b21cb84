"""Exports for coalitions: per area a one-page factsheet, its charts and their data; an index.

Layout of ``<build>/exports`` (published as ``data/processed/exports``)::

    index.html                         every area by level, searchable, works offline
    manifest.json                      per area: level, name, content hash, files
    <level>/<area_code>/factsheet.{png,svg,pdf,html}
    <level>/<area_code>/charts/<chart>.{png,svg}
    <level>/<area_code>/data/<chart>.csv, <chart>_excel.csv

Incremental: each area's *content hash* covers everything its sheet shows (the rows of the
marts it selects, the mode label, the data date) and the code that draws it (the factsheet
modules, templates, boundaries and font). An area whose hash equals the one recorded in the
previous exports is not rendered again: its files are hard-linked (copied across devices)
from there. Parallel: the other areas are rendered in worker processes, one per core.

Only the data date (when the sources were fetched) appears on the sheets, not the build time,
so a refresh that changes one source re-renders only the areas whose figures changed.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import shutil
import time
from collections.abc import Iterable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from pipeline import factsheet_data, factsheet_glyphs, leaks, progress
from pipeline.config import REPO_ROOT
from pipeline.errors import KansrijkError
from pipeline.factsheet_data import LEVEL_PLURALS, LEVELS, SheetTables

FORMAT = 1
MANIFEST = "manifest.json"
CODE_FILES = (
    "pipeline/export.py",
    "pipeline/factsheet*.py",
    "pipeline/templates/*",
    "pipeline/charts.py",
    "pipeline/charts_coalition.py",
    "pipeline/sources.yml",
    "data/reference/boundaries/*.topojson",
)
STAGING_SUFFIX = ".exports.partial"


class ExportFailed(KansrijkError):
    """An area could not be exported, or the export would leak a suppressed figure."""


@dataclass
class ExportResult:
    """What an export did."""

    exports_dir: Path
    total: int = 0
    rendered: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> str:
        """One line: areas, rendered, reused, time and rate."""
        rate = f", {len(self.rendered) / self.seconds:.1f} areas/s" if self.rendered \
            and self.seconds else ""
        kept = f", {len(self.kept)} other(s) kept" if self.kept else ""
        return (f"{self.total} area(s): {len(self.rendered)} rendered, {len(self.reused)} "
                f"unchanged (reused){kept} in {self.seconds:.1f} s{rate}")


# --------------------------------------------------------------------------------------------
# Hashes and the manifest
# --------------------------------------------------------------------------------------------


def code_fingerprint() -> str:
    """sha256 over the code, templates, boundaries and font that draw a factsheet."""
    digest = hashlib.sha256(f"format={FORMAT}".encode())
    files = sorted({p for pattern in CODE_FILES for p in REPO_ROOT.glob(pattern) if p.is_file()})
    for path in files:
        digest.update(path.relative_to(REPO_ROOT).as_posix().encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    for bold in (False, True):
        face = factsheet_glyphs.font(bold)
        digest.update(b"-" if face is None else hashlib.sha256(face.glyf).digest())
    return digest.hexdigest()


def read_manifest(exports_dir: Path | None) -> dict:
    """The ``manifest.json`` of an exports folder (empty when there is none)."""
    if exports_dir is None or not (exports_dir / MANIFEST).is_file():
        return {"areas": {}}
    data = json.loads((exports_dir / MANIFEST).read_text(encoding="utf-8"))
    return data if data.get("format") == FORMAT else {"areas": {}}


def _reusable(entry: dict | None, digest: str, previous: Path | None) -> bool:
    if not entry or entry.get("hash") != digest or previous is None:
        return False
    folder = previous / entry["level"] / entry["code"]
    return all((folder / name).is_file() for name in entry["files"])


# --------------------------------------------------------------------------------------------
# Exporting
# --------------------------------------------------------------------------------------------


def export_build(
    build_dir: Path,
    out_dir: Path | None = None,
    *,
    previous: Path | None = None,
    codes: Sequence[str] | None = None,
    levels: Sequence[str] | None = None,
    keep_others: bool = False,
    force: bool = False,
    workers: int | None = None,
) -> ExportResult:
    """Export the factsheets of a build's areas (all, or ``codes`` and/or ``levels``).

    Args:
        build_dir: The build whose marts are exported.
        out_dir: Where the exports go (default ``<build_dir>/exports``); must not exist yet
            or be empty of areas that are to be rendered.
        previous: An earlier exports folder: unchanged areas are linked from it.
        codes: Only these area codes.
        levels: Only these levels.
        keep_others: Also carry over (link) the previous areas that were not selected.
        force: Render every selected area, changed or not.
        workers: Worker processes (default: every core).

    Raises:
        KansrijkError: An unknown area code or level.
        ExportFailed: An area could not be rendered.
    """
    start = time.perf_counter()
    out_dir = out_dir or build_dir / "exports"
    tables = factsheet_data.sheet_tables(factsheet_data.load_marts(build_dir))
    selected = _select(tables, codes, levels)
    digests = tables.digests(selected, code_fingerprint())
    before = read_manifest(previous)["areas"]
    result = ExportResult(out_dir, total=len(selected))
    areas = tables.areas.set_index("area_code")
    entries: dict[str, dict] = {}
    todo = []
    out_dir.mkdir(parents=True, exist_ok=True)
    for code in selected:
        entry = {"code": code, "level": str(areas.loc[code, "area_level"]),
                 "name": str(areas.loc[code, "area_name"]), "hash": digests[code]}
        if not force and _reusable(before.get(code), digests[code], previous):
            entries[code] = {**entry, "files": before[code]["files"]}
            _link_area(previous, out_dir, entries[code])
            result.reused.append(code)
        else:
            entries[code] = entry
            todo.append(code)
    if keep_others:
        for code, entry in before.items():
            if code not in entries and previous and _reusable(entry, entry["hash"], previous):
                entries[code] = entry
                _link_area(previous, out_dir, entry)
                result.kept.append(code)
    for code, files in _render(tables, todo, out_dir, workers):
        entries[code]["files"] = files
        result.rendered.append(code)
    write_manifest(out_dir, entries)
    write_index(out_dir, tables, entries)
    result.seconds = time.perf_counter() - start
    return result


def _select(tables: SheetTables, codes: Sequence[str] | None,
            levels: Sequence[str] | None) -> list[str]:
    known = set(tables.areas["area_code"])
    unknown = [c for c in codes or [] if c not in known]
    if unknown:
        examples = ", ".join(tables.codes(levels=["gemeente"])[:1] + ["GG3406", "PV27", "NL01"])
        raise KansrijkError(f"--area {', '.join(unknown)}: unknown area code(s); expected a "
                            f"code of the areas mart (e.g. {examples})")
    bad = [lv for lv in levels or [] if lv not in LEVELS]
    if bad:
        raise KansrijkError(f"--level {', '.join(bad)}: unknown level; expected one of "
                            f"{', '.join(LEVELS)} or all")
    return tables.codes(list(codes) if codes else None, list(levels) if levels else None)


def _link_area(previous: Path, out_dir: Path, entry: dict) -> None:
    """Hard-link one area's files from the previous exports (copy where links fail)."""
    source = previous / entry["level"] / entry["code"]
    target = out_dir / entry["level"] / entry["code"]
    if target.exists():
        shutil.rmtree(target)
    for name in entry["files"]:
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(source / name, target / name)
        except OSError:
            shutil.copy2(source / name, target / name)


# --------------------------------------------------------------------------------------------
# Rendering (in worker processes)
# --------------------------------------------------------------------------------------------

_TABLES: SheetTables | None = None


def _init_worker(tables: SheetTables) -> None:
    global _TABLES
    _TABLES = tables
    progress.set_quiet(True)


def _render_one(code: str, out_dir: str) -> tuple[str, list[str]]:
    """Render one area into a temporary folder, then move it into place."""
    from pipeline import factsheet

    assert _TABLES is not None, "worker not initialised"
    sheet = _TABLES.sheet(code)
    level_dir = Path(out_dir) / sheet.area_level
    level_dir.mkdir(parents=True, exist_ok=True)
    temporary = level_dir / f".{code}.tmp-{os.getpid()}"
    shutil.rmtree(temporary, ignore_errors=True)
    written = factsheet.render_area(sheet, temporary)
    final = level_dir / code
    if final.exists():
        old = level_dir / f".{code}.old-{os.getpid()}"
        final.rename(old)
        temporary.rename(final)
        shutil.rmtree(old)
    else:
        temporary.rename(final)
    return code, sorted(p.relative_to(temporary).as_posix() for p in written)


def _render(tables: SheetTables, codes: list[str], out_dir: Path,
            workers: int | None) -> Iterable[tuple[str, list[str]]]:
    """Render areas, in parallel when there is more than one; yields (code, files)."""
    if not codes:
        return []
    workers = max(1, min(workers or os.cpu_count() or 1, len(codes)))
    if workers == 1:
        _init_worker(tables)
        return [item for item in progress.track(
            (_render_one(c, str(out_dir)) for c in codes), len(codes), "areas")]
    return list(_parallel(tables, codes, out_dir, workers))


def _parallel(tables: SheetTables, codes: list[str], out_dir: Path,
              workers: int) -> Iterable[tuple[str, list[str]]]:
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker,
                             initargs=(tables,)) as pool:
        futures = {pool.submit(_render_one, code, str(out_dir)): code for code in codes}
        try:
            yield from progress.track(_completed(futures), len(codes), "areas")
        except BaseException:
            for future in futures:
                future.cancel()
            raise


def _completed(futures: dict[Future, str]) -> Iterable[tuple[str, list[str]]]:
    """Results as areas finish; the first failure stops the export."""
    for future in as_completed(futures):
        error = future.exception()
        if error is not None:
            raise ExportFailed(f"export of area {futures[future]} failed: "
                               f"{type(error).__name__}: {error}") from error
        yield future.result()


# --------------------------------------------------------------------------------------------
# Manifest and index
# --------------------------------------------------------------------------------------------


def write_manifest(out_dir: Path, entries: dict[str, dict]) -> Path:
    """``manifest.json``: every exported area with its content hash and files."""
    path = out_dir / MANIFEST
    data = {"format": FORMAT, "areas": {c: entries[c] for c in sorted(entries)}}
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")
    return path


def write_index(out_dir: Path, tables: SheetTables, entries: dict[str, dict]) -> Path:
    """``index.html``: every exported area by level, searchable, linking its files."""
    groups = []
    for level in LEVELS:
        rows = sorted((e for e in entries.values() if e["level"] == level),
                      key=lambda e: e["name"].lower())
        if rows:
            groups.append((LEVEL_PLURALS[level], [_index_row(e) for e in rows]))
    dates = tables.sources["fetched_at"]
    info = {
        "mode_label": tables.mode_label,
        "is_demo": tables.is_demo,
        "data_date": max((d for d in dates if d), default=""),
        "count": len(entries),
    }
    path = out_dir / "index.html"
    page = factsheet_data.templates().get_template("index.html.j2").render(groups=groups,
                                                                            info=info)
    path.write_text(page, encoding="utf-8")
    return path


def _index_row(entry: dict) -> dict:
    files = entry.get("files", [])
    charts = [f.removeprefix("charts/").removesuffix(".png") for f in files
              if f.startswith("charts/") and f.endswith(".png")]
    return {**entry, "path": f"{entry['level']}/{entry['code']}", "charts": charts}


# --------------------------------------------------------------------------------------------
# The published build (``kansrijk export``)
# --------------------------------------------------------------------------------------------


def export_published(build_dir: Path, *, codes: Sequence[str] | None = None,
                     levels: Sequence[str] | None = None, force: bool = False,
                     workers: int | None = None) -> ExportResult:
    """Re-export the published build's areas, replacing its exports only when all is well.

    The new exports are built beside the build (``<build>.exports.partial``), areas that did
    not change linked from the current exports; when anything was rendered the leak scan
    checks them; only then do they replace ``<build>/exports``. Areas not selected are kept.
    Other files in the exports (e.g. ``notebooks/``) are carried over.

    Raises:
        ExportFailed: A rendering failed or the leak scan found a problem (the published
            exports are then unchanged).
    """
    staging = build_dir.parent / f"{build_dir.name}{STAGING_SUFFIX}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    (staging / "marts").symlink_to(build_dir / "marts", target_is_directory=True)
    current = build_dir / "exports"
    try:
        result = export_build(build_dir, staging / "exports",
                              previous=current if current.is_dir() else None, codes=codes,
                              levels=levels, keep_others=True, force=force, workers=workers)
        _carry_other_files(current, staging / "exports")
        if result.rendered:
            problems = leaks.scan_build(staging)
            if problems:
                more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
                raise ExportFailed(f"disclosure leak scan: {problems[0]}{more}; the published "
                                   f"exports are unchanged")
        _swap(current, staging / "exports", staging)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    result.exports_dir = current
    return result


def _carry_other_files(current: Path, target: Path) -> None:
    """Link what the export does not write (notebook figures, …) into the new exports."""
    if not current.is_dir():
        return
    for top in current.iterdir():
        if top.name in LEVELS or (target / top.name).exists():
            continue
        for path in [top] if top.is_file() else sorted(top.rglob("*")):
            relative = path.relative_to(current)
            if path.is_dir():
                continue
            (target / relative).parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(path, target / relative)
            except OSError:
                shutil.copy2(path, target / relative)


def _swap(current: Path, new: Path, staging: Path) -> None:
    old = staging / "old"
    if current.exists():
        current.rename(old)
    new.rename(current)
