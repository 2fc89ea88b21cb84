"""CBS StatLine 37230ned (births, population, deaths per region and period), OData v3 or v4.

Payload: v3 ``DataProperties.json`` + ``TypedDataSet`` pages, or v4 ``Dimensions``,
``MeasureCodes`` + ``Observations`` pages (see :mod:`pipeline.ingest.cbs_odata`).

Landing (``observations``): one row per region × period × wanted measure, the measures
resolved from their **titles** (``api.measures`` in ``sources.yml``: *Levend geboren
kinderen* → ``levend_geboren_kinderen``, *Bevolking aan het begin van de periode* →
``bevolking_begin_periode``), never from a key suffix or a position. Region and period keys
lose their padding, ``2023JJ00`` becomes ``2023``, a suppressed (null) cell lands as null with
marker ``""``. ``area_name`` is null (the names live in the RegioS code list).
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa

from pipeline.ingest.cbs_odata import Table, land_observations, period_label
from pipeline.ingest.fetchers import fetch_cbs_odata

SOURCE_ID = "cbs_geboorten"
__all__ = ["fetch", "land", "period_label"]

fetch = fetch_cbs_odata  # HTTP (live) or the bundled demo pages (demo), same code path


def land(raw_paths: list[Path]) -> dict[str, pa.Table]:
    """Parse the births table into the landing ``observations`` table.

    Raises:
        InputError: metadata or pages missing, a wanted measure title absent, or a page that is
            not the expected OData layout (names file, row and column).
    """
    return land_observations(raw_paths, Table.from_registry(SOURCE_ID))
