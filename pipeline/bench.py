"""``make bench``: whole-process timings of the main jobs, printed as a table.

Runs the real CLI in subprocesses on a fresh temporary data dir: a cold refresh without
notebooks and exports, a no-change refresh, each step on its own (the export of every area
from scratch, then again with nothing changed), the notebooks, and reports throughput. A full
`make refresh` from cold costs about the cold refresh plus the export plus the notebooks.
Budgets (issue texts) are shown next to each measurement; nothing here asserts.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from pipeline.config import REPO_ROOT


def _run(args: list[str], data_dir: Path) -> tuple[float, str, dict[str, float]]:
    """Run the CLI; (wall seconds, stdout, seconds per reported step)."""
    env = {**os.environ, "KANSRIJK_DATA_DIR": str(data_dir)}
    env.pop("KANSRIJK_BUILD_DIR", None)
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "pipeline", *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"bench: `kansrijk {' '.join(args)}` failed: {result.stderr.strip()}")
    steps = {m.group(1): float(m.group(2))
             for m in re.finditer(r"^✓ (.+?) \(([\d.]+) s\)", result.stderr, re.M)}
    return seconds, result.stdout, steps


def main() -> None:
    rows = []
    with tempfile.TemporaryDirectory(prefix="kansrijk-bench-") as tmp:
        data_dir = Path(tmp)
        seconds, _, _ = _run(["refresh", "--no-notebooks", "--no-exports"], data_dir)
        values = pd.read_parquet(data_dir / "processed" / "marts" / "indicator_values.parquet")
        rows.append(
            (
                "cold refresh (demo, no notebooks, no exports)",
                seconds,
                60,
                f"{len(values) / seconds:,.0f} mart rows/s",
            )
        )
        seconds, _, _ = _run(["refresh", "--no-notebooks", "--no-exports"], data_dir)
        rows.append(("no-change refresh", seconds, 5, ""))
        seconds, _, _ = _run(["ingest"], data_dir)
        rows.append(("ingest, payloads unchanged", seconds, 10, ""))
        seconds, _, steps = _run(["build"], data_dir)
        rows.append(("build step: all models incl. statistics marts", steps["build"], 15, ""))
        rows.append(("`kansrijk build` (+ ingest, validate, leak scan)", seconds, None, ""))
        seconds, _, _ = _run(["validate"], data_dir)
        rows.append(("validate published build (incl. GX import)", seconds, 20, ""))
        seconds, out, _ = _run(["export"], data_dir)
        areas = _exported_areas(out)
        rows.append((f"export all {areas} areas from scratch (+ leak scan)", seconds, 180,
                     f"{areas / seconds:.2f} areas/s"))
        seconds, out, _ = _run(["export"], data_dir)
        rows.append(("export, nothing changed", seconds, 5,
                     f"{out.split(' in ')[0].strip()}"))
        seconds, _, _ = _run(["notebooks"], data_dir)
        rows.append(("notebooks (all, fresh kernels)", seconds, 90, ""))
    with tempfile.TemporaryDirectory(prefix="kansrijk-bench-") as tmp:
        seconds, _, _ = _run(["ingest"], Path(tmp))
        rows.append(("ingest, cold (all demo payloads)", seconds, 10, ""))
    _print_table(rows)


def _exported_areas(stdout: str) -> int:
    """The area count of `kansrijk export`'s summary line ("382 area(s): …")."""
    match = re.search(r"(\d+) area\(s\): (\d+) rendered", stdout)
    if not match:
        raise SystemExit(f"bench: unexpected `kansrijk export` output: {stdout.strip()}")
    return int(match.group(1))


def _print_table(rows: list[tuple[str, float, float | None, str]]) -> None:
    print(f"{'step':48s} {'seconds':>8s} {'budget':>7s}  {'ok':3s} note")
    print("-" * 84)
    for name, seconds, budget, note in rows:
        ok = "" if budget is None else ("yes" if seconds <= budget else "NO")
        budget_text = "" if budget is None else f"{budget:.0f}"
        print(f"{name:48s} {seconds:8.2f} {budget_text:>7s}  {ok:3s} {note}")


if __name__ == "__main__":
    main()
