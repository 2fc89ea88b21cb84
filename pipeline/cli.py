"""The ``kansrijk`` command line (also ``python -m pipeline``).

Every subcommand prints the mode it runs in, exits 0 on success and otherwise prints one line
saying what went wrong and exits non-zero.
"""

from __future__ import annotations

import argparse
import json
import logging
import signal
import sys
from collections.abc import Callable
from pathlib import Path

from pipeline import progress
from pipeline.config import Settings, load_settings
from pipeline.errors import KansrijkError, interrupt_requested, raise_interrupt

EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--mode",
        choices=("demo", "live"),
        default=None,
        help="demo: bundled synthetic payloads (default); live: CBS over HTTP "
        "and files dropped in data/inbox (env KANSRIJK_MODE)",
    )
    parser.add_argument(
        "--data-dir",
        default=None,
        help="where raw snapshots and builds live (env KANSRIJK_DATA_DIR; "
        "default: data/ in the repository)",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress output")


def cmd_refresh(settings: Settings, args: argparse.Namespace) -> int:
    from pipeline.refresh import refresh

    result = refresh(
        settings,
        force=args.force,
        with_notebooks=not args.no_notebooks,
        with_exports=not args.no_exports,
        export_areas=_area_codes(args.export_areas),
    )
    print(result.note)
    if result.build_dir:
        print(f"published: {settings.processed_dir} -> {result.build_dir.name}")
    return 0


def cmd_ingest(settings: Settings, args: argparse.Namespace) -> int:
    from pipeline import registry
    from pipeline.ingest.runner import ingest_all, ingest_source

    if args.file:
        if not args.source:
            raise KansrijkError("--file needs --source <id> (see `kansrijk sources`)")
        spec = registry.get(args.source)
        if spec.kind != "file_drop":
            raise KansrijkError(f"--file: {args.source} is fetched from CBS ({spec.kind}), not a "
                                f"file source (see `kansrijk sources`)")
        if settings.is_demo:
            raise KansrijkError("--file ingests a real file: run it with --mode live (demo mode "
                                "reads only the bundled payloads)")
        results = [ingest_source(settings, spec, files=[Path(args.file)],
                                 indicator=args.indicator, replace=args.replace)]
    else:
        if args.indicator or args.replace:
            raise KansrijkError("--indicator and --replace go with --file")
        results = ingest_all(settings, [args.source] if args.source else None)
    for r in results:
        state = r.note or ("new snapshot" if r.new_snapshot else "landed")
        rows = ", ".join(f"{k}: {v} rows" for k, v in r.rows.items())
        print(f"{r.source_id}: {state} {r.snapshot_id or ''} {rows}".rstrip())
    return 0


def cmd_build(settings: Settings, args: argparse.Namespace) -> int:
    return cmd_refresh(
        settings, argparse.Namespace(force=True, no_notebooks=True, no_exports=True,
                                     export_areas=None)
    )


def cmd_validate(settings: Settings, args: argparse.Namespace) -> int:
    from pipeline import publish, validate

    if args.build:
        folder = Path(args.build).resolve()
        if not (folder / "marts").is_dir():
            raise KansrijkError(f"--build {args.build}: not a build folder (no marts/ inside)")
    else:
        folder = publish.published_dir(settings)
        if folder is None:
            raise KansrijkError("no build to validate; run `kansrijk refresh` first")
    # the published build is never written to: its own report stays as published
    default_out = (
        settings.data_dir / "validation" if folder == publish.published_dir(settings)
        else folder / "validation"
    )
    out = Path(args.out).resolve() if args.out else default_out
    report = validate.validate_build(folder, out_dir=out)
    for line in validate.summary_lines(report, out / "index.html"):
        print(line)
    return 0 if report.success else EXIT_FAILURE


def _area_codes(values: list[str] | None) -> list[str] | None:
    """Area codes from repeated and/or comma-separated options (None when not given)."""
    codes = [c.strip() for v in values or [] for c in v.split(",") if c.strip()]
    return codes or None


def cmd_export(settings: Settings, args: argparse.Namespace) -> int:
    from pipeline import export, publish

    with publish.BuildLock(settings):
        folder = publish.published_dir(settings)
        if folder is None:
            raise KansrijkError("no published build; run `kansrijk refresh` first")
        levels = None if args.level in (None, "all") else [args.level]
        result = export.export_published(folder, codes=_area_codes(args.area), levels=levels,
                                         force=args.force, workers=args.workers)
    print(result.summary())
    print(f"index: {settings.processed_dir / 'exports' / 'index.html'}")
    return 0


def cmd_status(settings: Settings, args: argparse.Namespace) -> int:
    from pipeline import manifest, publish, registry

    print(f"data dir: {settings.data_dir}")
    for source_id in registry.load():
        snap = manifest.active_snapshot(settings, source_id)
        print(f"  {source_id:24s} {snap.snapshot_id if snap else '(no snapshot)'}")
    info = publish.published_manifest(settings)
    if info:
        print(f"published build: {info['build_id']} ({info['mode']}, {info['refreshed_at']})")
        results = publish.published_dir(settings) / "validation" / "results.json"
        if results.exists():
            data = json.loads(results.read_text())
            ok = sum(o["success"] for o in data["outcomes"])
            print(f"validation: {ok}/{len(data['outcomes'])} expectations passed")
    else:
        print("published build: none yet (run `make refresh`)")
    return 0


def cmd_verify(settings: Settings, args: argparse.Namespace) -> int:
    from pipeline import manifest

    problems = manifest.verify(settings)
    for line in problems:
        print(line)
    snapshots = manifest.read_manifest(settings)
    count = sum(len(s.files) for s in snapshots)
    advice = " — raw data were altered; restore them or fetch again" if problems else ""
    print(f"{count} file(s) in {len(snapshots)} snapshot(s) checked, "
          f"{len(problems)} problem(s){advice}")
    return EXIT_FAILURE if problems else 0


def cmd_sources(settings: Settings, args: argparse.Namespace) -> int:
    from pipeline import manifest, registry

    for spec in registry.load().values():
        snap = manifest.active_snapshot(settings, spec.source_id)
        active = (f"{snap.snapshot_id} ({snap.fetched_at}, {len(snap.files)} file(s))" if snap
                  else "- (none in this mode)")
        location = spec.url_download or (f"CBS OData {spec.api.get('protocol', 'v3')} table "
                                          f"{spec.api.get('table_id')}" if spec.api else "")
        print(f"{spec.source_id}: {spec.title} — {spec.publisher}")
        print(f"    {spec.kind}; {spec.format.strip()}")
        print(f"    from: {location or spec.url_main}; page: {spec.url_main}")
        print(f"    licence: {spec.licence_name}; {spec.attribution}; cadence: "
              f"{spec.update_cadence}; indeling {spec.classification_year}")
        print(f"    active ({settings.mode}): {active}")
    return 0


def cmd_notebooks(settings: Settings, args: argparse.Namespace) -> int:
    from pipeline import notebooks, publish

    folder = publish.published_dir(settings)
    if folder is None:
        raise KansrijkError("no published build; run `kansrijk refresh` first")
    for source in notebooks.notebook_sources():
        with progress.step(f"notebook {source.stem}"):
            notebooks.execute(source, folder)
    return 0


def cmd_demo(settings: Settings, args: argparse.Namespace) -> int:
    from pipeline import demo
    from pipeline.config import DEMO_DIR

    for path in demo.generate(DEMO_DIR):
        print(path)
    return 0


COMMANDS: dict[str, tuple[Callable, str]] = {
    "refresh": (cmd_refresh, "ingest, build, validate, export and publish (the main job)"),
    "ingest": (cmd_ingest, "fetch sources into immutable snapshots and landing Parquet"),
    "build": (cmd_build, "rebuild and publish the warehouse and marts (no exports/notebooks)"),
    "validate": (cmd_validate, "run the Great Expectations suites on the published build"),
    "export": (cmd_export, "write factsheets, charts and CSVs per area from the published "
               "build (incremental)"),
    "status": (cmd_status, "show active snapshots and the published build"),
    "verify": (cmd_verify, "recompute every raw snapshot checksum (tampering check)"),
    "sources": (cmd_sources, "list the source registry with each active snapshot"),
    "notebooks": (cmd_notebooks, "execute every notebook against the published build"),
    "demo": (cmd_demo, "regenerate the synthetic demo payloads in data/demo"),
}


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kansrijk",
        description=(
            "Kansrijk Monitor: indicators for the first 1000 days per gemeente and region."
        ),
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (_, help_text) in COMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        _common(p)
        if name == "refresh":
            p.add_argument("--force", action="store_true", help="rebuild even if nothing changed")
            p.add_argument("--no-notebooks", action="store_true", help="skip executing notebooks")
            p.add_argument("--no-exports", action="store_true", help="skip the exports")
            p.add_argument("--export-areas", action="append", metavar="CODES",
                           help="export only these areas (comma-separated codes, e.g. "
                           "GM0363,GG3406,NL01; default: every area)")
        if name == "export":
            p.add_argument("--area", action="append", metavar="CODE",
                           help="only this area (repeat or comma-separate; default: all); "
                           "other areas already exported are kept")
            p.add_argument("--level", choices=("gemeente", "ggd_regio", "provincie", "regio",
                                               "land", "all"),
                           help="only the areas of this level (default: all)")
            p.add_argument("--force", action="store_true",
                           help="render again even when nothing changed")
            p.add_argument("--workers", type=int, default=None,
                           help="worker processes (default: every core)")
        if name == "ingest":
            p.add_argument("--source", help="only this source id")
            p.add_argument("--file", help="ingest this file for --source (file-drop sources, "
                           "live mode); without it, live mode reads the files in data/inbox/")
            p.add_argument("--indicator", help="the indicator of a RIVM monitor file whose "
                           "name does not say it (see pipeline/indicators.yml)")
            p.add_argument("--replace", action="store_true", help="the file replaces the "
                           "whole active payload of --source (default for RIVM: it replaces "
                           "the file of the same indicator and keeps the others)")
        if name == "validate":
            p.add_argument("--build", help="a build folder to validate, e.g. a .failed one "
                           "(default: the published build)")
            p.add_argument("--out", help="where results.json and index.html go (default: "
                           "<data dir>/validation for the published build, which is never "
                           "written to; <build>/validation otherwise)")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``kansrijk`` console script."""
    args = make_parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    progress.set_quiet(args.quiet)
    signal.signal(signal.SIGINT, raise_interrupt)
    signal.signal(signal.SIGTERM, raise_interrupt)
    try:
        settings = load_settings(args.data_dir, args.mode)
        progress.info(
            f"kansrijk {args.command} — mode: {settings.mode}"
            f"{' (DEMO — synthetische cijfers)' if settings.is_demo else ''}"
        )
        return COMMANDS[args.command][0](settings, args)
    except KeyboardInterrupt:
        return _interrupted()
    except KansrijkError as exc:
        if interrupt_requested():
            return _interrupted()
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    except (ValueError, KeyError, FileNotFoundError, RuntimeError) as exc:
        if interrupt_requested():
            return _interrupted()
        print(
            f"error: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}",
            file=sys.stderr,
        )
        return EXIT_FAILURE
    except Exception:
        if interrupt_requested():  # the interrupt surfaced wrapped, e.g. as a duckdb.Error
            return _interrupted()
        raise


def _interrupted() -> int:
    print("interrupted; the published build is unchanged", file=sys.stderr)
    return EXIT_INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
