"""Read-only access to the published marts, for notebooks, charts and exports.

Notebooks read the published build (``<data_dir>/processed``). During a refresh the pipeline
points them at the staged build with ``KANSRIJK_BUILD_DIR`` so that notebooks and exports are
rendered from exactly the build that will be published.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd

from pipeline.config import DEMO_LABEL, load_settings


def build_dir() -> Path:
    """The build to read: ``KANSRIJK_BUILD_DIR`` if set, else the published build."""
    if os.environ.get("KANSRIJK_BUILD_DIR"):
        return Path(os.environ["KANSRIJK_BUILD_DIR"])
    folder = load_settings().processed_dir
    if not (folder / "marts").is_dir():
        raise FileNotFoundError(f"no published build in {folder}; run `make refresh` first")
    return folder


def read(name: str, folder: Path | None = None) -> pd.DataFrame:
    """One mart as a DataFrame."""
    return pd.read_parquet((folder or build_dir()) / "marts" / f"{name}.parquet")


def available(folder: Path | None = None) -> set[str]:
    """The names of the marts a build has (optional marts may be absent)."""
    return {path.stem for path in ((folder or build_dir()) / "marts").glob("*.parquet")}


def read_optional(name: str, folder: Path | None = None) -> pd.DataFrame | None:
    """One mart as a DataFrame, or None when the build does not have it."""
    return read(name, folder) if name in available(folder) else None


def build_info(folder: Path | None = None) -> dict:
    """``_build.json`` of the build: mode, is_demo, refreshed_at, snapshots, …"""
    return json.loads(((folder or build_dir()) / "_build.json").read_text(encoding="utf-8"))


def mode_label(info: dict) -> str:
    """The label every output carries: the DEMO warning or the live mode."""
    if info.get("is_demo"):
        return (
            f"{DEMO_LABEL} (echte gegevens: gemeentelijke indeling en grenzen CBS, "
            f"vaccinatiegraad BMR RIVM 2006–2014)"
        )
    return "Live: gegevens uit de bronnen zoals opgehaald"
