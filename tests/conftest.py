"""Shared fixtures: one demo refresh into a temporary data dir, reused by the integration tests."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def run_cli(
    *args: str, data_dir: Path, env: dict | None = None, timeout: int = 600
) -> subprocess.CompletedProcess:
    """Run ``python -m pipeline`` as a user would, in a subprocess."""
    full_env = {**os.environ, "KANSRIJK_DATA_DIR": str(data_dir), **(env or {})}
    full_env.pop("KANSRIJK_BUILD_DIR", None)
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *args],
        cwd=REPO,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


# One area of each level, a large and a small gemeente: rendering all ~380 factsheets takes
# minutes (`make bench` measures that), these few cover every kind of sheet.
EXPORT_AREAS = ("GM0363", "GM0088", "GG3406", "PV27", "RG02", "NL01")
EXPORT_ARGS = ("--export-areas", ",".join(EXPORT_AREAS))  # for every refresh that exports


@pytest.fixture(scope="session")
def demo_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data dir holding one published demo build (no notebooks: they have their own test;
    factsheets exported for ``EXPORT_AREAS`` only)."""
    data_dir = tmp_path_factory.mktemp("kansrijk-data")
    result = run_cli("refresh", "--no-notebooks", *EXPORT_ARGS, data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    return data_dir


CHROMIUM = "/usr/bin/chromium"  # installed by tests/setup_browser.sh when missing


def chromium(url: str, *args: str, profile: Path) -> subprocess.CompletedProcess:
    """Headless Chromium on a page (``--screenshot=…``, ``--dump-dom``), offline."""
    return subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", f"--user-data-dir={profile}", *args, url],
        capture_output=True, text=True, timeout=120,
    )
