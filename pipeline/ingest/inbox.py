"""The inbox (``<data_dir>/inbox/``): files users drop there are picked up in live mode.

Recognising a file (:func:`route`): its first rows are read as cells (any supported encoding,
separator or an ``.xlsx`` with title rows) and every row is offered to the recognisers of the
registered file-drop sources, i.e. each ingest module's ``recognise(header_names) -> bool``
(a new source plugs in by defining one, plus an optional ``LAYOUT`` text for messages). A
header in the long layout (:mod:`pipeline.ingest.long_layout`) is routed to the source of the
indicators it names (``source_id`` in the catalogue). A file that no recogniser claims, or that
two claim, is an :class:`InputError` naming the file and what was expected; it stays where it is.

What happens to a file:

- accepted into a new snapshot, or identical to the active one: moved to
  ``inbox/processed/<source_id>/<snapshot_id>/<name>`` (the bytes are also in ``raw/``);
- rejected (unrecognised layout or bad content): **left in the inbox**, so it is never lost
  and every live run says why until it is fixed or removed; the rejected bytes are kept in
  ``raw/`` as evidence (manifest status ``rejected``, the reason in ``note``).

Only regular files directly in the inbox are considered; sub-folders (``processed/``,
``templates/``), hidden files and ``README*`` files are left alone.
"""

from __future__ import annotations

import importlib
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from pipeline import registry
from pipeline.config import Settings
from pipeline.errors import InputError
from pipeline.ingest import long_layout
from pipeline.ingest.parsing import EXCEL_SUFFIXES, HEADER_SEARCH_ROWS, Cells, read_cells

TEXT_SUFFIXES = frozenset({".csv", ".txt", ".tsv"})
PROCESSED = "processed"


@dataclass(frozen=True)
class Drop:
    """A file in the inbox and the source it was recognised as."""

    path: Path
    source_id: str
    layout: str


def pending(settings: Settings) -> list[Path]:
    """Files waiting in the inbox, by name."""
    folder = settings.inbox_dir
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir()
                  if p.is_file() and not p.name.startswith(".")
                  and not p.name.lower().startswith("readme"))


def _recognisers() -> Iterator[tuple[str, ModuleType]]:
    for spec in registry.load().values():
        if spec.kind == "file_drop":
            module = importlib.import_module(f"pipeline.ingest.{spec.source_id}")
            if callable(getattr(module, "recognise", None)):
                yield spec.source_id, module


def expected_layouts() -> str:
    """The layouts the inbox recognises, for messages."""
    layouts = [getattr(m, "LAYOUT", registry.get(sid).title) + f" → {sid}"
               for sid, m in _recognisers()]
    return "; ".join([*layouts, long_layout.DESCRIPTION])


def _claims(cells: Cells, index: int, row: list[str]) -> list[tuple[str, str]]:
    """(source_id, layout) of every recogniser that claims ``row`` as its header."""
    claims = [(sid, "native") for sid, module in _recognisers() if module.recognise(row)]
    if long_layout.recognise(row):
        file_sources = {sid for sid, _ in _recognisers()}
        claims += [(sid, "long") for sid in sorted(long_layout.sources_in(cells, index))
                   if sid in file_sources]
        if not claims:
            raise InputError(f"{cells.file} row {cells.row_numbers[index]}: long layout, but "
                             f"its indicator column names no indicator of a file source in "
                             f"pipeline/indicators.yml")
    return claims


def route(path: Path) -> Drop:
    """Recognise which source a dropped file belongs to (see the module docstring).

    Raises:
        InputError: not a CSV/XLSX file, unreadable, no known header in the first rows, or a
            header that several sources claim (one line naming the file).
    """
    suffix = path.suffix.lower()
    if suffix not in TEXT_SUFFIXES | EXCEL_SUFFIXES:
        raise InputError(f"inbox/{path.name}: expected a .csv, .txt or .xlsx file, got "
                         f"{suffix or 'no extension'}")
    cells = read_cells(path)
    for index, row in enumerate(cells.rows[:HEADER_SEARCH_ROWS]):
        claims = _claims(cells, index, row)
        if len(claims) == 1:
            return Drop(path, *claims[0])
        if len(claims) > 1:
            raise InputError(f"inbox/{path.name} row {cells.row_numbers[index]}: the header "
                             f"fits several sources ({', '.join(s for s, _ in claims)}); "
                             f"ingest it with kansrijk ingest --source <id> --file PATH")
    raise InputError(f"inbox/{path.name}: unrecognised layout: no header row of a known source "
                     f"in the first {HEADER_SEARCH_ROWS} rows; expected one of: "
                     f"{expected_layouts()}")


def collect(settings: Settings, wanted: set[str]) -> dict[str, list[Drop]]:
    """The inbox files per source (only sources in ``wanted``); any unrecognised file raises."""
    drops: dict[str, list[Drop]] = {}
    for path in pending(settings):
        drop = route(path)
        if drop.source_id in wanted:
            drops.setdefault(drop.source_id, []).append(drop)
    return drops


def archive(settings: Settings, drops: list[Drop], snapshot_id: str) -> list[Path]:
    """Move ingested files to ``inbox/processed/<source>/<snapshot>/`` (never overwriting)."""
    moved = []
    for drop in drops:
        folder = settings.inbox_dir / PROCESSED / drop.source_id / snapshot_id
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / drop.path.name
        number = 1
        while target.exists():
            target = folder / f"{drop.path.stem}-{number}{drop.path.suffix}"
            number += 1
        shutil.move(str(drop.path), target)
        moved.append(target)
    return moved
