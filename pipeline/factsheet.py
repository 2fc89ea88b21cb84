"""One area's factsheet: a one-page sheet (SVG, PNG, PDF, HTML), its charts and their CSVs.

``render_area`` turns an :class:`~pipeline.factsheet_data.AreaSheet` into files in a folder:

    factsheet.svg / .png / .pdf   one A4 page in Dutch
    factsheet.html                the same content, self-contained (inline SVG), printable
    charts/<name>.svg / .png      each chart of the sheet with its own footer
    data/<name>.csv               the data behind each chart (tidy: UTF-8, ',')
    data/<name>_excel.csv         the same for Dutch Excel (UTF-8 with BOM, ';', decimal comma)

Every chart of the sheet is drawn as SVG directly, with the chart library's house style,
number formats, significance colours and footers (``pipeline.charts``); PNG and PDF are
converted from that SVG (vl-convert's resvg). Not through Vega-Lite: one Vega pass costs about
0.17 s a chart, which for three charts × 382 areas on two cores would add ~100 s and break the
180 s export budget; the notebooks keep the Altair charts.

A cell without a value is shown as "< 10" (suppressed at the source because fewer than 10) or
"–", with a numbered note giving the reason; never as 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import vl_convert

from pipeline import charts, factsheet_csv, factsheet_html, factsheet_map, factsheet_page
from pipeline import factsheet_svg as svg
from pipeline.charts_coalition import METHOD_NOTE as COALITION_METHOD
from pipeline.charts_coalition import STATUS_STYLE
from pipeline.factsheet_data import NOT_APPLICABLE, NOT_ASSESSED, PHASES, AreaSheet
from pipeline.factsheet_page import CONTENT_W
from pipeline.factsheet_text import (
    METHOD_BIRTHS,
    METHOD_TABLE,
    TREND_LABELS,
    Notes,
    display_value,
    dutch_date,
    interval_text,
    plain_number,
    unit_label,
)

PAGE_PNG_SCALE = 1.25  # 992 × 1404 px (A4 at 120 dpi; the PDF is for print)
CHART_PNG_SCALE = 1.5
# vl-convert writes one PDF point per CSS px: size the printed page in unitless points (A4)
A4_MM, A4_POINTS = 'width="210mm" height="297mm"', 'width="595.28" height="841.89"'
FOCUS = charts.FOCUS_COLOUR
CHIP_TEXT_WHITE = (charts.BETTER, charts.WORSE, charts.HIGHER)
TREND_COLOURS = {
    "verbetert": charts.SIGNIFICANCE_COLOURS[charts.BETTER],
    "verslechtert": charts.SIGNIFICANCE_COLOURS[charts.WORSE],
    "toenemend": charts.SIGNIFICANCE_COLOURS[charts.HIGHER],
    "afnemend": charts.SIGNIFICANCE_COLOURS[charts.HIGHER],
}


def _chip(significance: str) -> svg.Cell:
    if significance == NOT_APPLICABLE:
        return svg.Cell(NOT_APPLICABLE, colour=svg.MUTED)
    if significance == NOT_ASSESSED or significance not in charts.SIGNIFICANCE_COLOURS:
        return svg.Cell("–", outline="#BBBBBB", colour=svg.MUTED)
    colour = "white" if significance in CHIP_TEXT_WHITE else svg.TEXT
    return svg.Cell(significance, fill=charts.SIGNIFICANCE_COLOURS[significance], colour=colour)


def _trend_cell(verdict: str) -> svg.Cell:
    return svg.Cell(TREND_LABELS.get(verdict, verdict),
                    colour=TREND_COLOURS.get(verdict, svg.MUTED),
                    bold=verdict in TREND_COLOURS)


# --------------------------------------------------------------------------------------------
# The indicator table
# --------------------------------------------------------------------------------------------


def table_columns(level: str) -> list[svg.Column]:
    """The columns of the indicator table for an area level (region columns for gemeenten)."""
    columns = [svg.Column("indicator", "Indicator", 0, "start"),
               svg.Column("period", "Periode", 58), svg.Column("value", "Waarde", 48),
               svg.Column("interval", "95%-interval", 72)]
    if level == "gemeente":
        columns += [svg.Column("region", "GGD-regio", 56)]
    if level != "land":
        columns += [svg.Column("nl", "Nederland", 60), svg.Column("vs_nl", "t.o.v. NL", 68,
                                                                   "middle")]
    if level == "gemeente":
        columns += [svg.Column("vs_region", "t.o.v. regio", 68, "middle")]
    columns += [svg.Column("trend", "Trend", 108, "middle")]
    first = CONTENT_W - sum(c.width for c in columns)
    return [svg.Column("indicator", "Indicator", first, "start"), *columns[1:]]


def table_rows(sheet: AreaSheet, notes: Notes) -> list[svg.Row]:
    """Group rows per programme phase, one row per indicator."""
    rows: list[svg.Row] = []
    profile = sheet.profile
    for phase in PHASES:
        part = profile[profile["phase"] == phase]
        if part.empty:
            continue
        rows.append(svg.Row({}, group=phase[0].upper() + phase[1:]))
        rows += [_indicator_row(r, notes) for _, r in part.iterrows()]
    return rows


def _indicator_row(row: pd.Series, notes: Notes) -> svg.Row:
    shown = display_value(row["value"], row["status"], row["status_reason"], row["unit"])
    mark = "" if row["status"] == "ok" else notes.mark(row["status_reason"])
    region = row.get("region_value")
    return svg.Row({
        "indicator": svg.Cell(f"{row['indicator_title']}{unit_label(row['unit'])}"),
        "period": svg.Cell(str(row["period_label"])),
        "value": svg.Cell(shown + mark, bold=row["status"] == "ok"),
        "interval": svg.Cell(interval_text(row), colour=svg.MUTED),
        "region": svg.Cell(plain_number(region, row["unit"]), colour=svg.MUTED),
        "nl": svg.Cell(plain_number(row.get("nl_value"), row["unit"]), colour=svg.MUTED),
        "vs_nl": _chip(row["vs_nl"]),
        "vs_region": _chip(row["vs_region"]),
        "trend": _trend_cell(str(row["trend"])),
    })


def table_subtitle(level: str) -> str:
    """What the indicator table shows, in one line."""
    if level == "land":
        return "Laatste periode per indicator, met 95%-interval en trend"
    return ("Laatste periode per indicator, met 95%-interval en vergelijking met Nederland"
            + (" en de eigen GGD-regio" if level == "gemeente" else ""))


def table_document(sheet: AreaSheet, notes: Notes) -> str:
    """The indicator table as its own SVG document (title and table)."""
    parts = [svg.text(0, 16, f"Kernindicatoren per fase: {sheet.area_name}", 15,
                      weight="bold"),
             svg.text(0, 33, table_subtitle(sheet.area_level), 10.5, fill="#444444")]
    body, height = svg.table(table_columns(sheet.area_level), table_rows(sheet, notes), 0, 42)
    parts.append(body)
    return svg.document(CONTENT_W, 42 + height + 4, "".join(parts))


# --------------------------------------------------------------------------------------------
# Coalition panel
# --------------------------------------------------------------------------------------------


def coalition_document(sheet: AreaSheet) -> str | None:
    """The coalition checklist as an SVG document; None without coalition rows."""
    rows = sheet.coalition
    if rows.empty:
        return None
    width = 300.0
    parts = [svg.text(0, 14, "Voortgang lokale coalitie", 13, weight="bold"),
             svg.text(0, 29, f"Zelfevaluatie minimale eisen, {sheet.coalition_year}", 9.5,
                      fill="#444444")]
    y = 38.0
    if sheet.area_level == "gemeente" and (rows["status"] == "geen_beoordeling").all():
        chunk, h = svg.paragraph(0, y, f"Geen zelfevaluatie ingevuld voor "
                                 f"{sheet.coalition_year} (telt niet als 'nee').", width, 9.5)
        return svg.document(width, y + h + 8, parts[0] + parts[1] + chunk)
    for _, row in rows.iterrows():
        parts.append(svg.text(0, y + 10, str(row["requirement_short_label"]), 9))
        parts.append(_coalition_cell(row, sheet.area_level, 170, y))
        y += 15
    return svg.document(width, y + 6, "".join(parts))


def _coalition_cell(row: pd.Series, level: str, x: float, y: float) -> str:
    if level == "gemeente":
        label, fill, colour, _ = STATUS_STYLE.get(row["status"], STATUS_STYLE["onbekend"])
        if row["requirement_id"] == "alle_negen" and pd.notna(row["n_requirements_met"]):
            label = f"{int(row['n_requirements_met'])} van 9"
        outline = "#BBBBBB" if fill == "#FFFFFF" else "none"
        return (svg.rect(x, y + 1, 126, 12, fill, outline, radius=2)
                + svg.text(x + 63, y + 10, label, 8.5, fill=colour, anchor="middle"))
    answered = int(row["n_answered"]) if pd.notna(row["n_answered"]) else 0
    if answered == 0:
        return svg.text(x, y + 10, "geen beoordeling", 8.5, fill=svg.MUTED)
    share = float(row["share_met_pct"]) if pd.notna(row["share_met_pct"]) else 0.0
    return (svg.rect(x, y + 2, 70, 10, "#EEEEEE")
            + svg.rect(x, y + 2, 0.7 * share, 10, STATUS_STYLE["ja"][1])
            + svg.text(x + 76, y + 10, f"{int(row['n_ja'])} van {answered}", 8.5))


# --------------------------------------------------------------------------------------------
# Births and trend charts
# --------------------------------------------------------------------------------------------


def births_document(sheet: AreaSheet, width: float = 430, plot_h: float = 120) -> str:
    """Bars of live births per year, each labelled with its count (plain SVG).

    A year without a value gets no bar but "< 10" or "–" at the baseline: never a zero bar.
    """
    data = charts.drawable(sheet.births)
    years = data["period_end_year"].astype(int).tolist()
    values = data["value"].astype(float)
    labels = [display_value(v, st, r, "aantal") for v, st, r in
              zip(values, data["status"], data["status_reason"], strict=True)]
    top = max(float(values.max()), 1.0) if values.notna().any() else 1.0
    parts = [svg.text(0, 14, "Levend geboren kinderen per jaar", 15, weight="bold"),
             svg.text(0, 31, f"{sheet.area_name}, {years[0]}–{years[-1]}", 12,
                      fill="#444444")]
    base = 48 + 14 + plot_h
    step = width / max(len(years), 1)
    for i, (year, value, label) in enumerate(zip(years, values, labels, strict=True)):
        x = i * step
        if np.isfinite(value):
            h = plot_h * value / top
            parts.append(svg.rect(x + step * 0.14, base - h, step * 0.72, h, FOCUS))
            parts.append(svg.text(x + step / 2, base - h - 4, label, 9, anchor="middle"))
        else:
            parts.append(svg.text(x + step / 2, base - 4, label, 9, fill=svg.MUTED,
                                  anchor="middle"))
        parts.append(svg.text(x + step / 2, base + 14, str(year), 10, fill="#333333",
                              anchor="middle"))
    parts.append(svg.hline(0, width, base, "#888888", 1))
    return svg.document(width, base + 20, "".join(parts))


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering [low, high] (about ``count`` of them)."""
    span = max(high - low, 1e-9)
    raw = span / max(count - 1, 1)
    magnitude = 10 ** np.floor(np.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    start = np.floor(low / step) * step
    ticks = np.arange(start, high + step * 0.999, step)
    return [float(round(t, 10)) for t in ticks]


def _series(data: pd.DataFrame, code: str) -> pd.DataFrame:
    return data[data["area_code"] == code].sort_values("period_end_year")


@dataclass(frozen=True)
class Plot:
    """The data-to-pixel mapping of a small year × value plot."""

    years: list[int]
    ticks: list[float]
    left: float
    top: float
    width: float
    height: float

    def x(self, year: float) -> float:
        """Pixel x of a year (centred in its slot)."""
        return self.left + (year - self.years[0] + 0.5) / max(len(self.years), 1) * self.width

    def y(self, value: float) -> float:
        """Pixel y of a value."""
        low, high = self.ticks[0], self.ticks[-1]
        return self.top + self.height - (value - low) / ((high - low) or 1.0) * self.height

    @property
    def bottom(self) -> float:
        """Pixel y of the x axis."""
        return self.top + self.height


def trend_document(sheet: AreaSheet, width: float = 430, plot_h: float = 130) -> str:
    """The yearly series of the trend indicator: the area with its 95% band, region and NL.

    The reading of ``pipeline.charts.trend_chart`` (focus line with interval band, GGD-regio
    dotted, Nederland dashed, the programme start marked, a year without a value labelled
    instead of drawn), written as plain SVG so that hundreds of sheets render in minutes.
    """
    data = charts.drawable(sheet.trend)
    codes = [c for c in dict.fromkeys([sheet.area_code, sheet.region_code, "NL01"]) if c]
    known = pd.concat([data["value"], data["ci_lower"], data["ci_upper"]]).dropna()
    ticks = nice_ticks(float(known.min()), float(known.max())) if len(known) else [0.0, 1.0]
    title = svg.wrap(f"{sheet.trend_title}: {sheet.area_name}", width, 14, bold=True)
    parts = [svg.text(0, 14 + 17 * i, line, 14, weight="bold") for i, line in enumerate(title)]
    top = 17 * len(title) + 2
    parts.append(svg.text(0, top + 12, sheet.trend_verdict, 11.5, fill="#444444"))
    plot = Plot(sorted(data["period_end_year"].astype(int).unique()), ticks, 46.0, top + 30,
                width - 54, plot_h)
    parts += _trend_axes(plot, sheet.trend_unit)
    parts += _trend_marker(plot)
    focus = _series(data, sheet.area_code)
    parts.append(_band(focus, plot))
    names = data.drop_duplicates("area_code").set_index("area_code")["area_name"]
    legend = []
    for code in reversed(codes):
        style = _series_style(code, sheet)
        parts.append(_polyline(_series(data, code), plot, *style))
        legend.insert(0, (str(names.get(code, code)), *style))
    parts += _gaps(focus, plot)
    parts += _trend_legend(legend, plot.left, plot.bottom + 34)
    return svg.document(width, plot.bottom + 46, "".join(parts))


def _series_style(code: str, sheet: AreaSheet) -> tuple[str, str, float]:
    if code == sheet.area_code:
        return FOCUS, "none", 2.2
    if code == "NL01":
        return charts.NL_COLOUR, "6 3", 1.6
    return charts.REGION_COLOUR, "2 2", 1.6


def _trend_axes(plot: Plot, unit: str) -> list[str]:
    parts = []
    for tick in plot.ticks:
        y = plot.y(tick)
        parts.append(svg.hline(plot.left, plot.left + plot.width, y, charts.GRID_COLOUR))
        parts.append(svg.text(plot.left - 6, y + 3.5, charts.format_number(tick), 10,
                              fill="#333333", anchor="end"))
    parts.append(svg.hline(plot.left, plot.left + plot.width, plot.bottom, "#888888", 1))
    parts += [svg.text(plot.x(year), plot.bottom + 14, str(year), 10, fill="#333333",
                       anchor="middle") for year in plot.years]
    label = svg.text(0, 0, charts.axis_title(unit), 10, fill="#333333", anchor="middle")
    middle = plot.top + plot.height / 2
    parts.append(f'<g transform="translate(10,{middle:.1f}) rotate(-90)">{label}</g>')
    return parts


def _trend_marker(plot: Plot, year: int = 2018) -> list[str]:
    if not plot.years or not plot.years[0] <= year <= plot.years[-1]:
        return []
    x = plot.x(year)
    return [f'<line x1="{x:.1f}" y1="{plot.top:.1f}" x2="{x:.1f}" y2="{plot.bottom:.1f}" '
            f'stroke="#777777" stroke-dasharray="2 3"/>',
            svg.text(x + 4, plot.top + 10, "start Kansrijke Start", 9, fill=svg.MUTED)]


def _runs(series: pd.DataFrame, columns: list[str]) -> list[pd.DataFrame]:
    """Stretches of consecutive rows with a value in ``columns`` (a gap breaks a line)."""
    valid = series[columns].notna().all(axis=1).to_numpy()
    runs, current = [], []
    for position, ok in enumerate(valid):
        if ok:
            current.append(position)
        elif current:
            runs.append(series.iloc[current])
            current = []
    if current:
        runs.append(series.iloc[current])
    return runs


def _band(focus: pd.DataFrame, plot: Plot) -> str:
    parts = []
    for run in _runs(focus, ["ci_lower", "ci_upper"]):
        years = run["period_end_year"].tolist()
        upper = [f"{plot.x(y):.1f},{plot.y(v):.1f}" for y, v in zip(years, run["ci_upper"],
                                                                   strict=True)]
        lower = [f"{plot.x(y):.1f},{plot.y(v):.1f}" for y, v in zip(years, run["ci_lower"],
                                                                   strict=True)]
        parts.append(f'<polygon points="{" ".join(upper + lower[::-1])}" fill="{FOCUS}" '
                     f'fill-opacity="0.18"/>')
    return "".join(parts)


def _polyline(series: pd.DataFrame, plot: Plot, colour: str, dash: str, width: float) -> str:
    parts = []
    for run in _runs(series, ["value"]):
        points = [(plot.x(y), plot.y(v)) for y, v in
                  zip(run["period_end_year"], run["value"], strict=True)]
        coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        parts.append(f'<polyline points="{coords}" fill="none" stroke="{colour}" '
                     f'stroke-width="{width}" stroke-dasharray="{dash}"/>')
        parts += [f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.6" fill="{colour}"/>'
                  for x, y in points]
    return "".join(parts)


def _gaps(focus: pd.DataFrame, plot: Plot) -> list[str]:
    """A small rotated label at the foot of each year without a value for the area."""
    parts = []
    for year, status in zip(focus["period_end_year"], focus["status"], strict=True):
        if status == "ok":
            continue
        word = "onderdrukt" if status == "suppressed" else "geen waarde"
        label = svg.text(0, 0, word, 8.5, fill=svg.MUTED)
        parts.append(f'<g transform="translate({plot.x(year) + 3:.1f},{plot.bottom - 4:.1f}) '
                     f'rotate(-90)">{label}</g>')
    return parts


def _trend_legend(items: list[tuple[str, str, str, float]], x: float, y: float) -> list[str]:
    parts, left = [], x
    for name, colour, dash, width in items:
        parts.append(f'<line x1="{left:.1f}" y1="{y - 4:.1f}" x2="{left + 22:.1f}" '
                     f'y2="{y - 4:.1f}" stroke="{colour}" stroke-width="{width + 0.4}" '
                     f'stroke-dasharray="{dash}"/>')
        parts.append(svg.text(left + 27, y, name, 10))
        left += 40 + svg.text_width(name, 10)
    return parts


# --------------------------------------------------------------------------------------------
# Rendering one area
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Part:
    """One chart of the sheet: its document, footer lines and the data behind it."""

    name: str
    document: str
    footer: list[str]
    data: pd.DataFrame


def footer_lines(source: str, period: str, sheet: AreaSheet, method: str) -> list[str]:
    """The house footer of one chart (without the mode label)."""
    return charts.Footer(source=source, period=period, refreshed=dutch_date(sheet.data_date),
                         method=method).info_lines()


def _source_names(sheet: AreaSheet, ids: list[str]) -> str:
    rows = sheet.sources.set_index("source_id")
    return "; ".join(f"{rows.loc[i, 'publisher']} ({i})" for i in dict.fromkeys(ids)
                     if i in rows.index)


def build_parts(sheet: AreaSheet, notes: Notes) -> list[Part]:
    """Every chart of the sheet, in page order (a chart without data is left out)."""
    parts = []
    births = sheet.births
    if len(births):
        period = f"{births['period_label'].iloc[0]}–{births['period_label'].iloc[-1]}"
        parts.append(Part("geboorten", births_document(sheet),
                          footer_lines(_source_names(sheet, list(births["source_id"])), period,
                                       sheet, METHOD_BIRTHS),
                          factsheet_csv.values_frame(births, sheet)))
    parts.append(Part("ligging", factsheet_map.location_map(
        sheet.area_code, sheet.area_name, sheet.area_level, sheet.location, sheet.region_code,
        sheet.region_name), footer_lines(factsheet_map.SOURCE, "indeling 2025", sheet,
                                         factsheet_map.METHOD),
        factsheet_csv.location_frame(sheet)))
    if len(sheet.profile):
        ends = sheet.profile["period_end_year"]
        parts.append(Part("kerncijfers", table_document(sheet, notes), footer_lines(
            _source_names(sheet, list(sheet.profile["source_id"].dropna())),
            f"laatste periode per indicator ({int(ends.min())}–{int(ends.max())})", sheet,
            METHOD_TABLE) + notes.lines(), factsheet_csv.profile_frame(sheet)))
    if len(sheet.trend):
        known = sheet.trend.loc[sheet.trend["status"] == "ok", "period_end_year"]
        period = f"{int(known.min())}–{int(known.max())}" if len(known) else ""
        parts.append(Part("trend", trend_document(sheet), footer_lines(
            _source_names(sheet, list(sheet.trend["source_id"].dropna())), period, sheet,
            charts.METHOD_NOTES["trend"]), factsheet_csv.values_frame(sheet.trend, sheet)))
    coalition = coalition_document(sheet)
    if coalition:
        parts.append(Part("coalitie", coalition, footer_lines(
            "zelfevaluatie lokale coalities Kansrijke Start (coalitie_status)",
            str(sheet.coalition_year), sheet, COALITION_METHOD),
            factsheet_csv.coalition_frame(sheet)))
    return parts


def render_area(sheet: AreaSheet, folder: Path) -> list[Path]:
    """Write one area's factsheet, chart pack and data into ``folder`` (created)."""
    notes = Notes([])
    parts = build_parts(sheet, notes)
    (folder / "charts").mkdir(parents=True, exist_ok=True)
    (folder / "data").mkdir(exist_ok=True)
    written = []
    for part in parts:
        doc = svg.standalone(svg.embed(part.document, part.name), part.footer,
                             sheet.mode_label)
        written += _write_image(folder / "charts" / part.name, doc, CHART_PNG_SCALE)
        written += factsheet_csv.write(part.data, folder / "data" / part.name)
    by_name = {p.name: p for p in parts}
    page = factsheet_page.page(sheet, by_name, notes)
    written += _write_image(folder / "factsheet", page, PAGE_PNG_SCALE)
    pdf = folder / "factsheet.pdf"
    pdf.write_bytes(vl_convert.svg_to_pdf(page.replace(A4_MM, A4_POINTS, 1)))
    html_path = folder / "factsheet.html"
    html_path.write_text(factsheet_html.page(
        sheet, by_name, notes, table_columns(sheet.area_level), table_rows(sheet, notes),
        table_subtitle(sheet.area_level)), encoding="utf-8")
    return [*written, pdf, html_path]


def _write_image(stem: Path, document: str, scale: float) -> list[Path]:
    svg_path, png_path = stem.with_suffix(".svg"), stem.with_suffix(".png")
    svg_path.write_text(document, encoding="utf-8")
    png_path.write_bytes(vl_convert.svg_to_png(document, scale=scale))
    return [svg_path, png_path]
