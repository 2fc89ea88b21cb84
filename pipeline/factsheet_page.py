"""The one-page factsheet as an A4 SVG document (converted to PNG and PDF by the caller).

Top to bottom: the DEMO band (demo builds), the area's name and place, four key figures
(births, the two vulnerable-situation indicators, the coalition), births per year beside the
location map, the indicator table per programme phase, the trend beside the coalition
checklist, and the footnotes (method, periods, suppression and its reasons, definitions,
sources with snapshot ids, data date, mode). Should the content ever be taller than the page,
it is scaled down to fit: the sheet is always one page.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from pipeline import factsheet_svg as svg
from pipeline.factsheet_data import AreaSheet
from pipeline.factsheet_text import KICKER, KeyFigure, Notes, footnotes, key_figures

PAGE_W, PAGE_H, MARGIN = 794.0, 1123.0, 30.0  # A4 at 96 px per inch
CONTENT_W = PAGE_W - 2 * MARGIN
LEFT_W, GAP = 432.0, 22.0
RIGHT_W = CONTENT_W - LEFT_W - GAP
FOOT_SIZE = 8.0


class HasDocument(Protocol):
    """A chart part (see ``pipeline.factsheet.Part``)."""

    name: str
    document: str


def page(sheet: AreaSheet, parts: Mapping[str, HasDocument], notes: Notes) -> str:
    """The factsheet page as a complete SVG document (A4, 794 × 1123 px)."""
    body: list[str] = []
    y = _band(sheet, body)
    y = _header(sheet, body, y + 22)
    y = _key_figures(key_figures(sheet, notes), body, y + 10)
    y = _pair(parts.get("geboorten"), parts.get("ligging"), body, y + 14)
    if "kerncijfers" in parts:
        chunk, h = svg.embed(parts["kerncijfers"].document, "kerncijfers").place(
            MARGIN, y + 12, CONTENT_W)
        body.append(chunk)
        y += 12 + h
    y = _pair(parts.get("trend"), parts.get("coalitie"), body, y + 12)
    y = _footnotes(sheet, notes, body, y + 10)
    content = "".join(body)
    if y > PAGE_H - 8:
        factor = (PAGE_H - 8) / y
        content = (f'<g transform="translate({PAGE_W * (1 - factor) / 2:.1f},0) '
                   f'scale({factor:.4f})">{content}</g>')
    return svg.document(PAGE_W, PAGE_H, content, physical="210mm 297mm")


def _band(sheet: AreaSheet, body: list[str]) -> float:
    """The mode band across the top (dark red for demo builds); returns its height."""
    if not sheet.mode_label:
        return 0.0
    fill, colour = (svg.DEMO_RED, "white") if sheet.is_demo else (svg.BAND, svg.TEXT)
    lines = svg.wrap(sheet.mode_label, CONTENT_W, 10, bold=True)
    height = 10 + 13 * len(lines)
    body.append(svg.rect(0, 0, PAGE_W, height, fill))
    body += [svg.text(MARGIN, 16 + 13 * i, line, 10, weight="bold", fill=colour)
             for i, line in enumerate(lines)]
    return height


def _header(sheet: AreaSheet, body: list[str], y: float) -> float:
    body.append(svg.text(MARGIN, y, KICKER, 9, fill=svg.MUTED, spacing=0.6))
    size = 24 if svg.text_width(sheet.area_name, 24, True) < CONTENT_W else 17
    body.append(svg.text(MARGIN, y + 28, sheet.area_name, size, weight="bold"))
    body.append(svg.text(MARGIN, y + 46, sheet.context_line, 10.5, fill="#444444"))
    body.append(svg.hline(MARGIN, PAGE_W - MARGIN, y + 56, "#1F4E79", 1.2))
    return y + 56


def _key_figures(figures: list[KeyFigure], body: list[str], y: float) -> float:
    gap = 10.0
    width = (CONTENT_W - gap * (len(figures) - 1)) / len(figures)
    height = 70.0
    for i, figure in enumerate(figures):
        x = MARGIN + i * (width + gap)
        body.append(svg.rect(x, y, width, height, "#F4F7FA", "#C9D6E3", radius=3))
        label = svg.wrap(figure.label, width - 14, 8.5)[:2]
        body += [svg.text(x + 7, y + 13 + 10 * k, line, 8.5, fill="#333333")
                 for k, line in enumerate(label)]
        body.append(svg.text(x + 7, y + 47, figure.value, 19, weight="bold", fill="#1F4E79"))
        note = svg.wrap(figure.note, width - 14, 7.8)[:2]
        top = 62 if len(note) == 1 else 58  # a second line fits under the value
        body += [svg.text(x + 7, y + top + 8.6 * k, line, 7.8, fill=svg.MUTED)
                 for k, line in enumerate(note)]
    return y + height


def _pair(left: HasDocument | None, right: HasDocument | None, body: list[str],
          y: float) -> float:
    """Two charts side by side; returns the bottom of the taller one."""
    heights = [0.0]
    for part, x, width in ((left, MARGIN, LEFT_W), (right, MARGIN + LEFT_W + GAP, RIGHT_W)):
        if part is None:
            continue
        embedded = svg.embed(part.document, part.name)
        chunk, h = embedded.place(x, y, min(width, embedded.width))
        body.append(chunk)
        heights.append(h)
    return y + max(heights)


def _footnotes(sheet: AreaSheet, notes: Notes, body: list[str], y: float) -> float:
    body.append(svg.hline(MARGIN, PAGE_W - MARGIN, y, svg.RULE))
    y += 3
    for line in footnotes(sheet, notes):
        chunk, h = svg.paragraph(MARGIN, y, line, CONTENT_W, FOOT_SIZE, fill=svg.MUTED,
                                 leading=1.25)
        body.append(chunk)
        y += h + 1.5
    if sheet.mode_label:
        chunk, h = svg.paragraph(MARGIN, y, sheet.mode_label, CONTENT_W, 8, weight="bold",
                                 fill=svg.DEMO_RED)
        body.append(chunk)
        y += h
    return y
