"""The factsheet as a self-contained HTML page (Jinja2 template ``factsheet.html.j2``).

No CDN, no external file: styles are inline, charts are inline SVG; links point only at the
files next to the page. It prints on A4.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

from markupsafe import Markup

from pipeline import factsheet_svg as svg
from pipeline.factsheet_data import AreaSheet, templates
from pipeline.factsheet_text import KICKER, Notes, footnotes, key_figures


class HasDocument(Protocol):
    """A chart part (see ``pipeline.factsheet.Part``)."""

    name: str
    document: str


def page(sheet: AreaSheet, parts: Mapping[str, HasDocument], notes: Notes,
         columns: Sequence[svg.Column], rows: Sequence[svg.Row], table_subtitle: str) -> str:
    """The factsheet as one HTML page (the same content as the SVG page)."""
    inline = {
        name: Markup(svg.embed(part.document, f"h-{name}").inline())
        for name, part in parts.items() if name != "kerncijfers"
    }
    return templates().get_template("factsheet.html.j2").render(
        sheet=sheet,
        kicker=KICKER,
        figures=key_figures(sheet, notes),
        charts=inline,
        columns=columns,
        rows=rows,
        muted=svg.MUTED,
        table_subtitle=table_subtitle,
        footnotes=footnotes(sheet, notes),
        chart_names=list(parts),
    )
