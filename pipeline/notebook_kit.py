"""What every notebook sets up first: offline SVG rendering, Dutch number formats, a saver.

Notebooks only read marts and draw; this keeps their opening cell to two lines.
"""

from __future__ import annotations

from collections.abc import Callable

import altair as alt

from pipeline import charts, marts


def start(notebook: str) -> Callable[[alt.TopLevelMixin, str], None]:
    """Render charts as inline SVG (no CDN) with nl-NL formats; return ``save(chart, name)``.

    ``save`` writes a PNG to the build's ``exports/notebooks/<notebook>_<name>.png``, the only
    place a notebook writes.
    """
    alt.renderers.enable("svg")
    alt.renderers.set_embed_options(**charts.LOCALE)

    def save(chart: alt.TopLevelMixin, name: str) -> None:
        folder = marts.build_dir() / "exports" / "notebooks"
        charts.save(chart, folder / f"{notebook}_{name}".replace("–", "-"), ("png",))

    return save
