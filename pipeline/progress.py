"""Progress display for the CLI: step lines with timings, and counters with time left.

Writes to stderr. On a terminal a counter redraws one line; elsewhere (CI, logs) it prints at
most one line per 10% so logs stay short.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TypeVar

T = TypeVar("T")
_quiet = False


def set_quiet(quiet: bool) -> None:
    """Silence progress output (tests, ``--quiet``)."""
    global _quiet
    _quiet = quiet


def _write(text: str) -> None:
    if not _quiet:
        sys.stderr.write(text)
        sys.stderr.flush()


def info(message: str) -> None:
    """One line of progress information."""
    _write(f"{message}\n")


@contextmanager
def step(label: str) -> Iterator[dict]:
    """Announce a step, time it, and report its result line (``extra['note']``)."""
    start = time.perf_counter()
    extra: dict = {}
    _write(f"→ {label} …\n")
    yield extra
    seconds = time.perf_counter() - start
    note = f" — {extra['note']}" if extra.get("note") else ""
    _write(f"✓ {label} ({seconds:.1f} s){note}\n")


def track(items: Iterable[T], total: int, label: str) -> Iterator[T]:
    """Yield ``items`` while showing done/total, rate and time left."""
    start = time.perf_counter()
    tty = sys.stderr.isatty()
    last_decile = -1
    for done, item in enumerate(items, start=1):
        yield item
        elapsed = time.perf_counter() - start
        left = elapsed / done * (total - done)
        line = f"  {label}: {done}/{total} ({done / elapsed:.1f}/s, {left:.0f} s left)"
        decile = done * 10 // max(total, 1)
        if tty:
            _write("\r" + line + ("\n" if done == total else ""))
        elif decile != last_decile or done == total:
            _write(line + "\n")
            last_decile = decile
