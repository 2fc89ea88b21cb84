"""Altair chart builders with one Dutch house style.

Every chart carries a footer: source, data period, refresh date, method note and — for demo
builds — the DEMO label. Numbers use Dutch formats (decimal comma) via vl-convert's nl-NL locale.
Charts render offline to PNG/SVG/PDF with vl-convert; notebooks use the ``svg`` renderer.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import altair as alt
import pandas as pd

FONT = "DejaVu Sans, Arial, Helvetica, sans-serif"
# Colour-blind safe (Okabe–Ito based) significance colours.
SIGNIFICANCE_COLOURS = {
    "beter": "#009E73",
    "slechter": "#D55E00",
    "hoger": "#0072B2",
    "lager": "#56B4E9",
    "vergelijkbaar": "#BBBBBB",
    "niet te beoordelen": "#FFFFFF",
}
NEUTRAL_BLUE = "#3F6E9A"
BENCHMARK_COLOURS = {"Nederland": "#222222", "Regio": "#7A5195"}
LOCALE = {"format_locale": "nl-NL", "time_format_locale": "nl-NL"}


@dataclass(frozen=True)
class Footer:
    """What every chart says about itself."""

    source: str
    period: str
    refreshed: str
    method: str = ""
    mode_label: str = ""

    def lines(self) -> list[str]:
        lines = [f"Bron: {self.source}. Periode: {self.period}. Ververst: {self.refreshed}."]
        if self.method:
            lines.append(self.method)
        if self.mode_label:
            lines.append(self.mode_label)
        return lines


def house_theme() -> dict:
    """The Vega-Lite config of the house style."""
    return {
        "config": {
            "font": FONT,
            "title": {
                "fontSize": 15,
                "anchor": "start",
                "fontWeight": "bold",
                "subtitleFontSize": 12,
                "subtitleColor": "#444444",
            },
            "axis": {"labelFontSize": 11, "titleFontSize": 12, "gridColor": "#E6E6E6"},
            "legend": {"labelFontSize": 11, "titleFontSize": 12},
            "view": {"stroke": None},
            "background": "white",
        }
    }


@alt.theme.register("kansrijk", enable=True)
def _kansrijk_theme() -> alt.theme.ThemeConfig:
    return house_theme()


def with_footer(chart: alt.TopLevelMixin, footer: Footer) -> alt.VConcatChart:
    """Stack the footer lines under a chart (small grey text, left-aligned)."""
    lines = footer.lines()
    text = (
        alt.Chart(pd.DataFrame({"regel": lines, "i": range(len(lines))}))
        .mark_text(align="left", baseline="top", fontSize=10, color="#555555", dx=0)
        .encode(y=alt.Y("i:O", axis=None), text="regel:N")
        .properties(height=14 * len(lines), width=1)
    )
    return alt.vconcat(chart, text, spacing=8).configure_concat(spacing=8)


def compare_areas_bar(
    frame: pd.DataFrame,
    title: str,
    unit: str,
    footer: Footer,
    benchmarks: dict[str, float] | None = None,
    subtitle: str = "",
) -> alt.VConcatChart:
    """Horizontal bars of ``value`` per ``area_name`` with 95% CI whiskers and benchmark lines.

    Rows whose ``status`` is not ``ok`` are drawn without a bar and labelled in the axis with
    "(onderdrukt)" or "(geen waarde)", never as zero.
    """
    data = frame.copy()
    data["label"] = data["area_name"] + data["status"].map(
        {"ok": "", "suppressed": " (onderdrukt)"}
    ).fillna(" (geen waarde)")
    order = data.sort_values("value", ascending=False, na_position="last")["label"].tolist()
    y = alt.Y("label:N", sort=order, title=None)
    x_title = f"Waarde ({unit})"
    base = alt.Chart(data)
    bars = (
        base.transform_filter("datum.status == 'ok'")
        .mark_bar(color=NEUTRAL_BLUE, opacity=0.85)
        .encode(
            x=alt.X("value:Q", title=x_title, axis=alt.Axis(format=",.1f")),
            y=y,
            tooltip=[
                alt.Tooltip("area_name:N", title="Gebied"),
                alt.Tooltip("value:Q", title="Waarde", format=",.1f"),
                alt.Tooltip("ci_lower:Q", title="95%-BI onder", format=",.1f"),
                alt.Tooltip("ci_upper:Q", title="95%-BI boven", format=",.1f"),
                alt.Tooltip("numerator:Q", title="Teller", format=",.0f"),
                alt.Tooltip("denominator:Q", title="Noemer", format=",.0f"),
            ],
        )
    )
    whiskers = (
        base.transform_filter("datum.status == 'ok'")
        .mark_rule(color="#222222", strokeWidth=1.2)
        .encode(x="ci_lower:Q", x2="ci_upper:Q", y=y)
    )
    layers = [bars, whiskers]
    for name, value in (benchmarks or {}).items():
        rule = (
            alt.Chart(pd.DataFrame({"bench": [value], "naam": [name]}))
            .mark_rule(
                strokeDash=[5, 3], strokeWidth=1.5, color=BENCHMARK_COLOURS.get(name, "#222222")
            )
            .encode(
                x="bench:Q", tooltip=[alt.Tooltip("naam:N"), alt.Tooltip("bench:Q", format=",.1f")]
            )
        )
        label = rule.mark_text(align="left", dx=3, dy=-6, fontSize=10, text=f"{name}").encode(
            y=alt.value(0)
        )
        layers += [rule, label]
    chart = alt.layer(*layers).properties(
        title=alt.TitleParams(title, subtitle=subtitle) if subtitle else alt.TitleParams(title),
        width=460,
        height=max(120, 16 * len(data)),
    )
    return with_footer(chart, footer)


def save(
    chart: alt.TopLevelMixin, stem: Path, formats: tuple[str, ...] = ("png", "svg")
) -> list[Path]:
    """Render a chart offline with vl-convert in Dutch number formats."""
    alt.renderers.set_embed_options(**LOCALE)
    stem.parent.mkdir(parents=True, exist_ok=True)
    written = []
    for fmt in formats:
        path = stem.with_suffix(f".{fmt}")
        if fmt == "png":
            chart.save(path, scale_factor=2)
        else:
            chart.save(path)
        written.append(path)
    return written
