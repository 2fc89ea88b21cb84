"""Plain SVG building blocks for the factsheets: text, wrapping, embedding, footers, tables.

Charts drawn by Vega-Lite are rendered once to SVG and then *embedded* here (as nested
``<svg>`` elements, ids prefixed so that several can share one page); the page itself, the
indicator table, the coalition panel and the footers are written directly as SVG. That keeps
the expensive Vega rendering to one pass per chart: PNG and PDF are converted from the SVG.

Text widths are estimated from DejaVu Sans advance widths (the house font), close enough for
wrapping with a little slack.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline import factsheet_glyphs as glyphs

FONT = "DejaVu Sans, Verdana, Arial, sans-serif"
TEXT = "#222222"
MUTED = "#555555"
DEMO_RED = "#A50F15"
RULE = "#D0D0D0"
BAND = "#F2F2F2"
# advance widths of DejaVu Sans in em (the rest: digits 0.636, capitals 0.70, others 0.62)
_NARROW = {
    " ": 0.318, ".": 0.318, ",": 0.318, ":": 0.337, ";": 0.337, "'": 0.275, "!": 0.4,
    "i": 0.278, "l": 0.278, "j": 0.278, "f": 0.352, "t": 0.392, "r": 0.411, "(": 0.39,
    ")": 0.39, "-": 0.361, "/": 0.337, "s": 0.521, "c": 0.55, "z": 0.525, "k": 0.579,
    "v": 0.592, "x": 0.592, "y": 0.592, "w": 0.818, "m": 0.974, "I": 0.295, "J": 0.295,
    "M": 0.863, "W": 0.989, "%": 0.95, "‰": 1.3, "–": 0.5, "—": 1.0, "·": 0.318, "<": 0.838,
    ">": 0.838, "=": 0.838, "+": 0.838,
}
_GLYPH_REF = re.compile(r'href="#(gl|gb)-(\d+)"')
_ROOT = re.compile(r"<svg\b([^>]*)>", re.S)


def esc(text: object) -> str:
    """Text escaped for SVG/HTML."""
    return html.escape(str(text), quote=True)


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Width in px of ``text`` in DejaVu Sans at ``size`` px (estimated without the font)."""
    face = glyphs.font(bold) if glyphs.available() else None
    if face is not None:
        return face.width(text, size)
    em = 0.0
    for char in text:
        if char in _NARROW:
            em += _NARROW[char]
        elif char.isdigit():
            em += 0.636
        elif char.isupper():
            em += 0.70
        else:
            em += 0.615
    return em * size * (1.08 if bold else 1.0)


def wrap(text: str, width: float, size: float, bold: bool = False) -> list[str]:
    """Greedy word wrap of ``text`` to lines at most ``width`` px wide."""
    lines: list[str] = []
    space = text_width(" ", size, bold)
    for paragraph in text.split("\n"):
        line, used = "", 0.0
        for word in paragraph.split(" "):
            extent = text_width(word, size, bold)
            if line and used + space + extent > width:
                lines.append(line)
                line, used = word, extent
            else:
                line, used = (f"{line} {word}", used + space + extent) if line else (word, extent)
        lines.append(line)
    return lines


def text(
    x: float,
    y: float,
    content: str,
    size: float = 10,
    *,
    weight: str = "normal",
    fill: str = TEXT,
    anchor: str = "start",
    spacing: float = 0.0,
) -> str:
    """One line of text (``y`` is the baseline), as glyph outlines when the font is found."""
    bold = weight == "bold"
    face = glyphs.font(bold) if glyphs.available() else None
    if face is None:
        weight_attr = ' font-weight="bold"' if bold else ""
        return (
            f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" fill="{fill}"{weight_attr} '
            f'text-anchor="{anchor}" letter-spacing="{spacing}">{esc(content)}</text>'
        )
    scale = size / face.units_per_em
    step = spacing / scale
    uses, pen = [], 0.0
    for char in content:
        glyph = face.glyph_id(char)
        if not char.isspace():
            uses.append(f'<use href="#{face.prefix}-{glyph}" x="{pen:.0f}"/>')
        pen += face.advance(glyph) + step
    width = (pen - step) * scale if content else 0.0
    left = x - {"start": 0.0, "middle": width / 2, "end": width}[anchor]
    return (
        f'<g transform="translate({left:.1f},{y:.1f}) scale({scale:.6f})" fill="{fill}" '
        f'aria-label="{esc(content)}">{"".join(uses)}</g>'
    )


def paragraph(
    x: float,
    y: float,
    content: str,
    width: float,
    size: float = 10,
    *,
    weight: str = "normal",
    fill: str = TEXT,
    leading: float = 1.3,
) -> tuple[str, float]:
    """Wrapped text starting with its first baseline at ``y + size``; returns (svg, height)."""
    lines = wrap(content, width, size, weight == "bold")
    step = size * leading
    parts = [
        text(x, y + size + i * step, line, size, weight=weight, fill=fill)
        for i, line in enumerate(lines)
    ]
    return "".join(parts), step * len(lines)


def rect(x: float, y: float, w: float, h: float, fill: str, stroke: str = "none",
         radius: float = 0, stroke_width: float = 0.8) -> str:
    """A rectangle."""
    return (
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" rx="{radius}" '
        f'fill="{fill}" stroke="{stroke}" stroke-width="{stroke_width}"/>'
    )


def hline(x1: float, x2: float, y: float, colour: str = RULE, width: float = 0.8) -> str:
    """A horizontal rule."""
    return (
        f'<line x1="{x1:.1f}" y1="{y:.1f}" x2="{x2:.1f}" y2="{y:.1f}" stroke="{colour}" '
        f'stroke-width="{width}"/>'
    )


def document(width: float, height: float, body: str, *, physical: str = "",
             title: str = "") -> str:
    """A complete SVG document (white background; ``physical`` e.g. ``210mm 297mm``).

    The outlines of the glyphs the body uses are added as ``<defs>``.
    """
    size = f'width="{width:g}" height="{height:g}"'
    if physical:
        w, h = physical.split()
        size = f'width="{w}" height="{h}"'
    used = sorted(set(_GLYPH_REF.findall(body)))
    defs = "".join(glyphs.glyph_def(prefix == "gb", int(glyph)) for prefix, glyph in used)
    heading = f"<title>{esc(title)}</title>" if title else ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        f'version="1.1" {size} viewBox="0 0 {width:g} {height:g}" font-family="{FONT}">'
        f'{heading}<defs>{defs}</defs>'
        f'<rect width="{width:g}" height="{height:g}" fill="white"/>{body}</svg>'
    )


@dataclass(frozen=True)
class Embedded:
    """A complete SVG document ready to be placed inside another."""

    inner: str
    width: float
    height: float
    view_box: str

    def place(self, x: float, y: float, width: float | None = None) -> tuple[str, float]:
        """Nested ``<svg>`` at (x, y) scaled to ``width`` (keeps the aspect); (svg, height)."""
        w = width or self.width
        h = self.height * w / self.width
        return (
            f'<svg x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" '
            f'viewBox="{self.view_box}" overflow="hidden">{self.inner}</svg>',
            h,
        )

    def inline(self, css_class: str = "") -> str:
        """The document for inline use in HTML (scales with its container)."""
        cls = f' class="{css_class}"' if css_class else ""
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg"{cls} viewBox="{self.view_box}" '
            f'width="{self.width:g}" height="{self.height:g}" role="img">{self.inner}</svg>'
        )


def embed(svg: str, prefix: str) -> Embedded:
    """Parse a complete SVG document for embedding; every id gets ``prefix`` (unique per page).

    Raises:
        ValueError: ``svg`` is not an SVG document with a width and height.
    """
    match = _ROOT.search(svg)
    if not match:
        raise ValueError("not an SVG document")
    attrs = match.group(1)
    width = _attribute(attrs, "width")
    height = _attribute(attrs, "height")
    if width is None or height is None:
        raise ValueError("SVG without width and height")
    view_box = re.search(r'viewBox="([^"]+)"', attrs)
    end = svg.rindex("</svg>")
    inner = _prefix_ids(svg[match.end():end], prefix)
    return Embedded(inner, width, height, view_box.group(1) if view_box else
                    f"0 0 {width:g} {height:g}")


def _attribute(attrs: str, name: str) -> float | None:
    found = re.search(rf'\b{name}="([\d.]+)(px)?"', attrs)
    return float(found.group(1)) if found else None


def _prefix_ids(body: str, prefix: str) -> str:
    """Every id and every local reference to one (``url(#…)``, ``href="#…"``) prefixed."""
    return (body.replace(' id="', f' id="{prefix}-').replace('url(#', f'url(#{prefix}-')
            .replace('href="#', f'href="#{prefix}-'))


# --------------------------------------------------------------------------------------------
# Footers and standalone charts
# --------------------------------------------------------------------------------------------


def footer_block(lines: Sequence[str], mode_label: str, x: float, y: float, width: float,
                 size: float = 10) -> tuple[str, float]:
    """The house footer: grey source/method lines, the mode label bold in dark red."""
    parts, height = [], 0.0
    for line in lines:
        svg, h = paragraph(x, y + height, line, width, size, fill=MUTED)
        parts.append(svg)
        height += h
    if mode_label:
        svg, h = paragraph(x, y + height + 3, mode_label, width, size, weight="bold",
                           fill=DEMO_RED)
        parts.append(svg)
        height += h + 3
    return "".join(parts), height


def standalone(body: Embedded, footer_lines: Sequence[str], mode_label: str,
               min_width: float = 520) -> str:
    """A chart as its own document: the chart, then its footer (source, period, method, mode)."""
    width = max(body.width, min_width)
    pad = 12
    chart, chart_h = body.place(0, 0)
    foot, foot_h = footer_block(footer_lines, mode_label, pad, chart_h + 4, width - 2 * pad)
    return document(width, chart_h + foot_h + 16, chart + foot)


# --------------------------------------------------------------------------------------------
# Tables
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """A table column: header, width, alignment."""

    key: str
    header: str
    width: float
    align: str = "end"


@dataclass(frozen=True)
class Cell:
    """A table cell: text, and optionally a coloured chip behind it."""

    text: str
    fill: str | None = None
    colour: str = TEXT
    outline: str | None = None
    bold: bool = False


@dataclass(frozen=True)
class Row:
    """A table row: cells by column key; a group row has only a title."""

    cells: dict[str, Cell]
    group: str = ""


def table(columns: Sequence[Column], rows: Sequence[Row], x: float, y: float,
          size: float = 9.0) -> tuple[str, float]:
    """A table with a header row, group rows and wrapped first column; returns (svg, height)."""
    total = sum(c.width for c in columns)
    step = size * 1.25
    parts = [rect(x, y, total, step + 6, BAND)]
    left = x
    for col in columns:
        parts.append(_cell_text(col, left, y + step, Cell(col.header, bold=True), size))
        left += col.width
    height = step + 6
    for row in rows:
        if row.group:
            parts.append(text(x + 2, y + height + step + 2, row.group, size, weight="bold",
                              fill="#1F4E79"))
            height += step + 5
            parts.append(hline(x, x + total, y + height, "#9DB3C8"))
            continue
        svg, h = _table_row(columns, row, x, y + height, size)
        parts.append(svg)
        height += h
        parts.append(hline(x, x + total, y + height))
    return "".join(parts), height


def _table_row(columns: Sequence[Column], row: Row, x: float, y: float,
               size: float) -> tuple[str, float]:
    first = columns[0]
    lines = wrap(row.cells[first.key].text, first.width - 4, size)
    step = size * 1.25
    h = step * len(lines) + 4
    parts = [text(x + 2, y + 2 + step * (i + 1) - 2, line, size) for i, line in
             enumerate(lines)]
    mid = y + h / 2 + size * 0.35
    left = x + first.width
    for col in columns[1:]:
        cell = row.cells.get(col.key, Cell(""))
        chip = bool(cell.fill or cell.outline)
        if chip:
            top = max(y + 2, mid - size - 1)
            parts.append(rect(left + 3, top, col.width - 6, min(h - 4, size + 6),
                              cell.fill or "white", cell.outline or "none", radius=2))
        parts.append(_cell_text(col, left, mid, cell, size - 1 if chip else size))
        left += col.width
    return "".join(parts), h


def _cell_text(col: Column, left: float, baseline: float, cell: Cell, size: float) -> str:
    if col.align == "start":
        x = left + 2
    elif col.align == "middle":
        x = left + col.width / 2
    else:
        x = left + col.width - 4
    return text(x, baseline, cell.text, size, weight="bold" if cell.bold else "normal",
                fill=cell.colour, anchor=col.align)
