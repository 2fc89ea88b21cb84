"""CBS StatLine 85678NED: minors in households with a low income, per region (context).

The published share (%) lands as ``value`` with ``indicator_code``
``kinderen_laag_inkomen_pct``; CBS publishes the absolute numbers in thousands (rounded), so
they are not landed as counts. A suppressed cell lands as null with marker ``""``.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa

from pipeline.ingest.cbs_odata import Table, land_observations
from pipeline.ingest.fetchers import fetch_cbs_odata

SOURCE_ID = "cbs_laag_inkomen"

fetch = fetch_cbs_odata


def land(raw_paths: list[Path]) -> dict[str, pa.Table]:
    """Parse the low-income table into the landing ``observations`` table.

    Raises:
        InputError: see :func:`pipeline.ingest.cbs_odata.land_observations`.
    """
    return land_observations(raw_paths, Table.from_registry(SOURCE_ID))
