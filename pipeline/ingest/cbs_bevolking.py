"""CBS StatLine 03759ned: population on 1 January by sex, age and region (denominators).

Only the categories listed in ``sources.yml`` (``api.dimensions``, by category **title**) are
fetched (a ``$filter`` built from the code lists) and landed: all persons aged 0 (children in
their first year) and women in the age groups that make up 15–45. The landing
``indicator_code`` is ``bevolking__<geslacht>__<leeftijd>`` (e.g.
``bevolking__vrouwen__15_25``); staging splits it into columns. Nothing is summed here.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa

from pipeline.ingest.cbs_odata import Table, land_observations
from pipeline.ingest.fetchers import fetch_cbs_odata

SOURCE_ID = "cbs_bevolking"

fetch = fetch_cbs_odata


def land(raw_paths: list[Path]) -> dict[str, pa.Table]:
    """Parse the population table into the landing ``observations`` table.

    Raises:
        InputError: see :func:`pipeline.ingest.cbs_odata.land_observations`.
    """
    return land_observations(raw_paths, Table.from_registry(SOURCE_ID))
