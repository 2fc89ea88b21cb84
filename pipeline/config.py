"""Settings and the on-disk layout of the data tree.

The repository holds code, committed reference data (``data/reference``) and the bundled demo
payloads (``data/demo``). Everything a run writes lives under the *data dir* (``--data-dir`` or
``KANSRIJK_DATA_DIR``; default ``<repo>/data``), so tests and users can put it anywhere:

    <data_dir>/raw/<source_id>/<snapshot_id>/...   immutable payloads (read-only)
    <data_dir>/raw/manifest.json                   machine-written snapshot manifest
    <data_dir>/landing/<source_id>/<snapshot_id>/  parsed landing Parquet, cached per snapshot
    <data_dir>/.builds/<build_id>/                 one complete build (marts, warehouse, ...)
    <data_dir>/processed -> .builds/<build_id>     the published build (an atomic symlink)
    <data_dir>/inbox/                              file drops for live mode
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
REFERENCE_DIR = REPO_ROOT / "data" / "reference"
DEMO_DIR = REPO_ROOT / "data" / "demo"
SQL_DIR = REPO_ROOT / "sql"
# Suites can be pointed elsewhere (tests use a stricter copy to prove a failing check blocks).
EXPECTATIONS_DIR = Path(os.environ.get("KANSRIJK_EXPECTATIONS_DIR", REPO_ROOT / "expectations"))
NOTEBOOKS_DIR = REPO_ROOT / "notebooks"
CONFIG_DIR = REPO_ROOT / "config"

MODES = ("demo", "live")
DEMO_LABEL = "DEMO — synthetische cijfers"
CURRENT_CLASSIFICATION_YEAR = 2025
USER_AGENT = "kansrijk-monitor/0.1 (+https://github.com/kansrijk-monitor; open-source analytics)"


@dataclass(frozen=True)
class Settings:
    """Where a run reads and writes, and in which mode."""

    data_dir: Path
    mode: str = "demo"

    @property
    def raw_dir(self) -> Path:
        return self.data_dir / "raw"

    @property
    def manifest_path(self) -> Path:
        return self.raw_dir / "manifest.json"

    @property
    def landing_dir(self) -> Path:
        return self.data_dir / "landing"

    @property
    def builds_dir(self) -> Path:
        return self.data_dir / ".builds"

    @property
    def processed_dir(self) -> Path:
        """The published build (a symlink into ``.builds``)."""
        return self.data_dir / "processed"

    @property
    def inbox_dir(self) -> Path:
        return self.data_dir / "inbox"

    @property
    def is_demo(self) -> bool:
        return self.mode == "demo"


def load_settings(data_dir: str | Path | None = None, mode: str | None = None) -> Settings:
    """Resolve settings from arguments, then environment, then defaults.

    The mode is never guessed from what data exists: it is ``demo`` unless asked otherwise.
    """
    resolved_dir = Path(data_dir or os.environ.get("KANSRIJK_DATA_DIR") or REPO_ROOT / "data")
    resolved_mode = mode or os.environ.get("KANSRIJK_MODE") or "demo"
    if resolved_mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}, got {resolved_mode!r}")
    return Settings(data_dir=resolved_dir.resolve(), mode=resolved_mode)
