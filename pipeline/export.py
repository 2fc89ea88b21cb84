"""Exports for coalitions: charts (PNG, SVG), the CSV behind each chart, and an index page.

Writes into ``<build>/exports``; exports are published together with the marts they come from.
"""

from __future__ import annotations

import html
from pathlib import Path

import pandas as pd

from pipeline import charts, marts
from pipeline.registry import load as load_sources

OVERVIEW_INDICATOR = "big2"


def latest_complete_period(values: pd.DataFrame, indicator_id: str) -> tuple[int, int]:
    """The most recent single-year period of an indicator with an NL value."""
    rows = values[
        (values.indicator_id == indicator_id)
        & (values.area_code == "NL01")
        & (values.period_start_year == values.period_end_year)
        & (values.status == "ok")
    ]
    year = int(rows.period_end_year.max())
    return year, year


def footer_for(indicator: pd.Series, period: str, info: dict) -> charts.Footer:
    """The footer of a chart of one indicator."""
    source = load_sources()[indicator.source_id]
    return charts.Footer(
        source=f"{source.publisher} ({indicator.source_id})",
        period=period,
        refreshed=info["refreshed_at"][:10],
        method=(
            "Balkjes: waarde met 95%-betrouwbaarheidsinterval (Wilson); stippellijnen: "
            "Nederland. Onderdrukt: minder dan 10 in teller, niet-teller of noemer."
        ),
        mode_label=marts.mode_label(info),
    )


def export_overview(build_dir: Path) -> list[Path]:
    """The overview chart: one indicator per GGD-regio with NL, as PNG, SVG and CSV."""
    values = marts.read("indicator_values", build_dir)
    indicators = marts.read("indicators", build_dir).set_index("indicator_id")
    info = marts.build_info(build_dir)
    indicator = indicators.loc[OVERVIEW_INDICATOR]
    indicator["indicator_id"] = OVERVIEW_INDICATOR
    start, end = latest_complete_period(values, OVERVIEW_INDICATOR)
    period = values[
        (values.indicator_id == OVERVIEW_INDICATOR)
        & (values.period_start_year == start)
        & (values.period_end_year == end)
    ]
    ggd = period[period.area_level == "ggd_regio"]
    nl = period[period.area_code == "NL01"].value.iloc[0]
    chart = charts.compare_areas_bar(
        ggd,
        title=f"{indicator.title} per GGD-regio, {end}",
        unit=indicator.unit,
        footer=footer_for(indicator, str(end), info),
        benchmarks={"Nederland": nl},
        subtitle=f"Nederland: {nl:.1f} {indicator.unit}".replace(".", ","),
    )
    out = build_dir / "exports" / "overzicht"
    stem = out / f"{OVERVIEW_INDICATOR}_ggd_regio_{end}"
    written = charts.save(chart, stem)
    csv = stem.with_suffix(".csv")
    ggd.to_csv(csv, index=False, sep=";", decimal=",", encoding="utf-8-sig")
    written.append(csv)
    write_index(build_dir, [(f"{indicator.title} per GGD-regio, {end}", stem)], info)
    return written


def write_index(build_dir: Path, items: list[tuple[str, Path]], info: dict) -> Path:
    """``exports/index.html``: a self-contained page linking every exported chart."""
    exports = build_dir / "exports"
    rows = "\n".join(
        f'<li><a href="{html.escape(stem.relative_to(exports).as_posix())}.png">'
        f'{html.escape(title)}</a> (<a href="{html.escape(stem.relative_to(exports).as_posix())}'
        f'.svg">SVG</a>, <a href="{html.escape(stem.relative_to(exports).as_posix())}.csv">'
        f"CSV</a>)</li>"
        for title, stem in items
    )
    page = f"""<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><title>Kansrijk Monitor — exports</title>
<style>body{{font-family:sans-serif;max-width:50em;margin:2em auto}}
.demo{{background:#fff3cd;border:1px solid #e0b000;padding:.5em 1em}}</style></head>
<body><h1>Kansrijk Monitor — grafieken</h1>
<p class="demo">{html.escape(marts.mode_label(info))}</p>
<p>Ververst: {html.escape(info["refreshed_at"])} · modus: {html.escape(info["mode"])}</p>
<ul>
{rows}
</ul></body></html>
"""
    path = exports / "index.html"
    path.write_text(page, encoding="utf-8")
    return path
