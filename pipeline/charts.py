"""Altair chart builders with one Dutch house style.

Every chart carries a footer: source, data period, refresh date, method note and — for demo
builds — the DEMO label. Numbers use Dutch formats (decimal comma, thousands point): the house
theme carries the nl-NL number locale and ``save`` renders with vl-convert's nl-NL locale, so
PNG, SVG and PDF come out the same offline. Notebooks use ``alt.renderers.enable("svg")``.

Honest uncertainty is built in: values come with their interval, significance colours are
polarity-aware (``beter``/``slechter``; neutral blues ``hoger``/``lager`` when an indicator has
no polarity) and colour-blind safe (Okabe–Ito), and a row whose ``status`` is not ``ok`` is
never drawn as a value: ``drawable`` blanks its value and interval before anything is drawn,
and each builder shows such rows as "onderdrukt" or "niet te beoordelen".

The builders are pure: a frame shaped like a mart goes in, an Altair chart comes out. The
few helpers that select rows (``latest_year``, ``attach_significance``) only filter and join.
"""

from __future__ import annotations

import dataclasses
import json
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import altair as alt
import numpy as np
import pandas as pd
import vl_convert

from pipeline import registry
from pipeline.config import REFERENCE_DIR
from pipeline.marts import mode_label

FONT = "DejaVu Sans"
TEXT_COLOUR = "#222222"
MUTED_COLOUR = "#555555"
DEMO_COLOUR = "#A50F15"
GRID_COLOUR = "#E6E6E6"
FOCUS_COLOUR = "#1F4E79"
NEUTRAL_BLUE = "#3F6E9A"
REGION_COLOUR = "#7B3294"
NL_COLOUR = "#1A1A1A"
RANGE_LIGHT = "#E3E3E3"
RANGE_DARK = "#B5B5B5"
FIT_COLOUR = "#B2182B"

BETTER, WORSE, HIGHER, LOWER = "beter", "slechter", "hoger", "lager"
SIMILAR, NOT_ASSESSED = "vergelijkbaar", "niet te beoordelen"
NO_VALUE = "onderdrukt of onbekend"
# Colour-blind safe significance colours (Okabe–Ito): green/vermillion when a direction is
# better, two neutral blues when the indicator has no polarity, grey when not different, white
# (with a grey outline) when it cannot be judged.
SIGNIFICANCE_COLOURS = {
    BETTER: "#009E73",
    WORSE: "#D55E00",
    HIGHER: "#0072B2",
    LOWER: "#8EC3E6",
    SIMILAR: "#C8C8C8",
    NOT_ASSESSED: "#FFFFFF",
}
DARK_FILLS = (BETTER, WORSE, HIGHER)
POLARITY_DOMAINS = {
    "lager is beter": [BETTER, SIMILAR, WORSE, NOT_ASSESSED],
    "hoger is beter": [BETTER, SIMILAR, WORSE, NOT_ASSESSED],
    "geen": [LOWER, SIMILAR, HIGHER, NOT_ASSESSED],
}
ALL_SIGNIFICANCE = [BETTER, WORSE, LOWER, HIGHER, SIMILAR, NOT_ASSESSED]
TREND_COLOURS = {
    "verbetert": SIGNIFICANCE_COLOURS[BETTER],
    "verslechtert": SIGNIFICANCE_COLOURS[WORSE],
    "toenemend": SIGNIFICANCE_COLOURS[HIGHER],
    "afnemend": SIGNIFICANCE_COLOURS[HIGHER],
    "geen significante trend": "#6B6B6B",
    "onvoldoende gegevens": "#9A9A9A",
}
BENCHMARK_COLOURS = {"Nederland": NL_COLOUR, "Regio": REGION_COLOUR}
BENCHMARK_DASHES = {"Nederland": [6, 3], "Regio": [2, 2]}

NL_LOCALE = {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["€\u00a0", ""]}
LOCALE = {"format_locale": "nl-NL", "time_format_locale": "nl-NL"}
VL_VERSION = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
PNG_SCALE = 2
BOUNDARIES_DIR = REFERENCE_DIR / "boundaries"
GEMEENTE_FEATURE = "gemeente_2025"
GGD_FEATURE = "ggdregio_2025"
CHAR_WIDTH_PX = 6.0  # DejaVu Sans at 10 px: average width of a character, for wrapping

METHOD_NOTES = {
    "bar": (
        "Balk: waarde; zwart lijntje: {level}-betrouwbaarheidsinterval ({ci}). Kleur: vergeleken"
        " met {benchmark} ({level}; interval geheel boven of onder de vergelijkingswaarde)."
        " Onderdrukt: minder dan 10 in teller, niet-teller of noemer (nooit als 0 getoond)."
    ),
    "trend": (
        "Lijn en band: waarde met 95%-betrouwbaarheidsinterval. Trendtoets: χ²-toets voor"
        " trend (Cochran–Armitage) op ten minste 5 opeenvolgende jaren, 99,8%, richting"
        " bestand tegen weglaten van elk jaar (Fingertips-regel)."
    ),
    "funnel": (
        "Punten: gemeenten; trechter: 95%- en 99,8%-controlegrenzen rond de vergelijkingswaarde"
        " (omgekeerde Wilson-score). Bij overdispersie (φ > 1) zijn de grenzen verbreed"
        " (Spiegelhalter 2005); de ongecorrigeerde grenzen staan er lichtgrijs bij."
    ),
    "map": (
        "Kleur: {what}. Wit met grijze rand: onderdrukt of onbekend (nooit als 0 getoond)."
        " Dikke lijnen: GGD-regio's."
    ),
    "heatmap": (
        "Kleur: vergeleken met Nederland op 95% (interval geheel boven of onder de landelijke"
        " waarde). Wit: niet te beoordelen (onderdrukt of onbekend)."
    ),
    "spine": (
        "Grijze balk: spreiding van de gemeenten (licht: laagste–hoogste, donker: middelste"
        " helft), geschaald rond Nederland (lijn in het midden); rechts is gunstiger waar een"
        " richting gunstig is. Rondje: de gemeente, gekleurd naar de vergelijking met Nederland"
        " (95%); ruit: de GGD-regio."
    ),
    "spread": (
        "Stip: gemeente, gekleurd naar de vergelijking met de eigen GGD-regio ({level}; de"
        " gemeente telt zelf mee in de regio, zoals in de Britse profielen); zwart streepje: de"
        " regio; stippellijn: Nederland. Onderdrukte gemeenten zijn niet getekend maar rechts"
        " geteld."
    ),
    "scatter": (
        "Stip: gemeente (grootte: noemer van de uitkomst). Lijn: lineaire regressie gewogen"
        " naar de noemer; een verband is geen oorzaak. Onderdrukte waarden zijn weggelaten."
    ),
}

CI_COLUMNS = {0.95: ("ci_lower", "ci_upper"), 0.998: ("ci_lower_998", "ci_upper_998")}
VALUE_COLUMNS = (
    "value",
    "ci_lower",
    "ci_upper",
    "ci_lower_998",
    "ci_upper_998",
    "value_smoothed",
    "numerator",
    "denominator",
)


# --------------------------------------------------------------------------------------------
# House style: theme, number formats, footer
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Footer:
    """What every chart says about itself."""

    source: str
    period: str
    refreshed: str
    method: str = ""
    mode_label: str = ""

    def info_lines(self) -> list[str]:
        """Source, period, refresh date and method (without the mode label)."""
        lines = [f"Bron: {self.source}. Periode: {self.period}. Ververst: {self.refreshed}."]
        if self.method:
            lines.append(self.method)
        return lines

    def lines(self) -> list[str]:
        """Every footer line, the mode label last."""
        return self.info_lines() + ([self.mode_label] if self.mode_label else [])

    def with_method(self, method: str) -> Footer:
        """The same footer with another method note."""
        return dataclasses.replace(self, method=method)


def source_text(source_ids: Sequence[str]) -> str:
    """The publishers of the given sources, as a footer names them."""
    sources = registry.load()
    names = [f"{sources[s].publisher} ({s})" for s in dict.fromkeys(source_ids)]
    return "; ".join(names)


def indicator_footer(
    source_ids: str | Sequence[str], period: str, info: dict, kind: str, **fields: str
) -> Footer:
    """The footer of a chart: its sources, period, refresh date, method note and mode label.

    Args:
        source_ids: The ``source_id`` (or ids) of the indicators drawn.
        period: The data period in words (``2024``, ``2022–2024``).
        info: The build's ``_build.json`` (``marts.build_info()``).
        kind: Which method note (a key of ``METHOD_NOTES``).
        **fields: Values for the placeholders of that note (e.g. ``level="95%"``).
    """
    ids = [source_ids] if isinstance(source_ids, str) else list(source_ids)
    return Footer(
        source=source_text(ids),
        period=period,
        refreshed=str(info["refreshed_at"])[:10],
        method=METHOD_NOTES[kind].format(**fields),
        mode_label=mode_label(info),
    )


def notebook_banner(info: dict, used: Sequence[str], period: str) -> str:
    """The Markdown block under a notebook's title: mode, refresh date, marts and period."""
    mode = "demo" if info.get("is_demo") else str(info.get("mode", "live"))
    return (
        f"**Modus:** {mode} — **{mode_label(info)}**  \n"
        f"**Ververst:** {str(info['refreshed_at'])[:16].replace('T', ' ')} "
        f"(build `{info.get('build_id', '?')}`)  \n"
        f"**Marts:** {', '.join(f'`{name}`' for name in used)}  \n"
        f"**Gegevensperiode:** {period}"
    )


def house_theme() -> dict:
    """The Vega-Lite config of the house style (fonts, sizes, greys, Dutch number locale)."""
    return {
        "config": {
            "font": FONT,
            "locale": {"number": NL_LOCALE},
            "padding": 12,
            "background": "white",
            "title": {
                "fontSize": 15,
                "anchor": "start",
                "fontWeight": "bold",
                "color": TEXT_COLOUR,
                "subtitleFontSize": 12,
                "subtitleColor": "#444444",
                "subtitlePadding": 4,
                "offset": 10,
            },
            "axis": {
                "labelFontSize": 11,
                "titleFontSize": 11,
                "titleFontWeight": "normal",
                "titleColor": "#333333",
                "labelColor": "#333333",
                "gridColor": GRID_COLOUR,
                "domainColor": "#888888",
                "tickColor": "#888888",
                "labelLimit": 280,
            },
            "legend": {
                "labelFontSize": 11,
                "titleFontSize": 11,
                "labelLimit": 320,
                "titleLimit": 320,
                "symbolStrokeColor": "#777777",
                "symbolStrokeWidth": 0.8,
            },
            "header": {"labelFontSize": 11, "titleFontSize": 12, "labelLimit": 200},
            "view": {"stroke": None},
            "text": {"font": FONT, "color": TEXT_COLOUR},
        }
    }


@alt.theme.register("kansrijk", enable=True)
def _kansrijk_theme() -> alt.theme.ThemeConfig:
    return house_theme()


def value_format(unit: str) -> str:
    """The d3 format of a value in ``unit`` (Dutch separators come from the locale)."""
    return ",.0f" if unit == "aantal" else ",.1f"


def unit_suffix(unit: str) -> str:
    """How a unit follows a number in Dutch text: ``14,6%``, ``4,7‰``, ``3,1 per 1000``."""
    return {"%": "%", "‰": "‰", "aantal": ""}.get(unit, f" {unit}")


def format_number(value: float | None, decimals: int = 1) -> str:
    """A number in Dutch notation (``1.234,5``); an en dash for a missing value."""
    if value is None or not np.isfinite(value):
        return "–"
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def format_value(value: float | None, unit: str) -> str:
    """A value with its unit in Dutch notation, e.g. ``14,6%``; ``–`` when missing."""
    if value is None or not np.isfinite(value):
        return "–"
    decimals = 0 if unit == "aantal" else 1
    return f"{format_number(value, decimals)}{unit_suffix(unit)}"


def axis_title(unit: str, label: str = "Waarde") -> str:
    """An axis title naming the unit: ``Waarde (%)``."""
    return label if unit == "aantal" else f"{label} ({unit})"


def level_label(confidence: float) -> str:
    """``95%`` or ``99,8%``."""
    return "95%" if confidence == 0.95 else f"{format_number(confidence * 100, 1)}%"


def _wrap(lines: Sequence[str], width_px: float) -> list[str]:
    chars = max(50, int(width_px / CHAR_WIDTH_PX))
    return [part for line in lines for part in textwrap.wrap(line, chars) or [""]]


def with_footer(chart: alt.TopLevelMixin, footer: Footer, width: float = 640) -> alt.VConcatChart:
    """Put the footer under a chart: grey source/method lines, the mode label in dark red.

    Args:
        chart: The chart (with its own title).
        footer: What to say.
        width: Approximate width of the whole chart in pixels; footer lines wrap to it.
    """
    title = alt.TitleParams(
        text=_wrap(footer.info_lines(), width),
        subtitle=_wrap([footer.mode_label], width) if footer.mode_label else "",
        orient="bottom",
        anchor="start",
        fontSize=10,
        fontWeight="normal",
        color=MUTED_COLOUR,
        lineHeight=13,
        subtitleFontSize=10,
        subtitleFontWeight="bold",
        subtitleColor=DEMO_COLOUR,
        subtitleLineHeight=13,
        subtitlePadding=4,
        offset=16,
    )
    return alt.vconcat(chart, title=title)


def _title(title: str, subtitle: str | Sequence[str] = "") -> alt.TitleParams:
    if subtitle:
        return alt.TitleParams(title, subtitle=subtitle)
    return alt.TitleParams(title)


# --------------------------------------------------------------------------------------------
# Selecting what to draw (pure filters and joins on mart-shaped frames)
# --------------------------------------------------------------------------------------------


def drawable(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy in which every row whose ``status`` is not ``ok`` has no value and no interval.

    This is the one rule that keeps suppressed and missing cells from ever being drawn as a
    value (or as 0), whatever a mart happens to carry in those columns.
    """
    data = frame.copy()
    if "status" not in data:
        data["status"] = np.where(data["value"].notna(), "ok", "missing")
    blank = data["status"].ne("ok")
    for column in VALUE_COLUMNS:
        if column in data:
            data[column] = data[column].astype("float64").mask(blank)
    return data


def single_years(values: pd.DataFrame) -> pd.DataFrame:
    """Only the rows of one calendar year (not pooled periods)."""
    return values[values["period_start_year"] == values["period_end_year"]]


def latest_year(values: pd.DataFrame, indicator_id: str, area_code: str = "NL01") -> int:
    """The most recent single year with a value for the indicator.

    The year in which ``area_code`` (default NL) has a value; if it never has one (a source
    that publishes only percentages has no NL value), the latest year in which any area has.

    Raises:
        ValueError: The indicator has no value anywhere.
    """
    rows = single_years(values)
    rows = rows[(rows["indicator_id"] == indicator_id) & (rows["status"] == "ok")]
    own = rows[rows["area_code"] == area_code]
    chosen = own if not own.empty else rows
    if chosen.empty:
        raise ValueError(f"indicator {indicator_id!r} has no value in any single year")
    return int(chosen["period_end_year"].max())


def attach_significance(
    values: pd.DataFrame,
    comparisons: pd.DataFrame | None,
    benchmark: str = "nederland",
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Add ``significance`` (and ``benchmark_value``) from ``indicator_comparisons``.

    Rows without a comparison, or without a value, get ``niet te beoordelen``; with no
    comparisons mart at all every row does.
    """
    data = values.copy()
    keys = ["indicator_id", "area_code", "period_start_year", "period_end_year"]
    if comparisons is None or comparisons.empty:
        data["significance"] = NOT_ASSESSED
        data["benchmark_value"] = np.nan
        return data
    chosen = comparisons[
        (comparisons["benchmark"] == benchmark)
        & np.isclose(comparisons["confidence"].astype(float), confidence)
    ][[*keys, "significance", "benchmark_value"]]
    data = data.drop(columns=["significance", "benchmark_value"], errors="ignore")
    data = data.merge(chosen, on=keys, how="left")
    data["significance"] = data["significance"].fillna(NOT_ASSESSED)
    if "status" in data:
        data.loc[data["status"].ne("ok"), "significance"] = NOT_ASSESSED
    return data


def _significance_scale(domain: Sequence[str]) -> alt.Scale:
    return alt.Scale(domain=list(domain), range=[SIGNIFICANCE_COLOURS[d] for d in domain])


def _significance_domain(polarity: str | None, present: Sequence[str] = ()) -> list[str]:
    if polarity in POLARITY_DOMAINS:
        return POLARITY_DOMAINS[polarity]
    return [s for s in ALL_SIGNIFICANCE if s in set(present)] or [NOT_ASSESSED]


def _status_note(status: str) -> str:
    return "onderdrukt" if status == "suppressed" else "geen waarde"


SHORT_NAMES = {
    "Veiligheids- en Gezondheidsregio Gelderland-Midden": "VGGM (Gelderland-Midden)",
}


def short_name(name: str) -> str:
    """A shorter label for area names too long for an axis or panel header."""
    return SHORT_NAMES.get(name, name)


# --------------------------------------------------------------------------------------------
# Compare areas: bars with interval whiskers and benchmark lines
# --------------------------------------------------------------------------------------------


def _benchmark_layers(benchmarks: dict[str, float] | None, unit: str) -> list[alt.Chart]:
    """Dashed vertical benchmark lines with a legend (so labels never overlap)."""
    items = {k: v for k, v in (benchmarks or {}).items() if v is not None and np.isfinite(v)}
    if not items:
        return []
    names = list(items)
    data = pd.DataFrame({"naam": names, "waarde": list(items.values())})
    data["tekst"] = [f"{n}: {format_value(v, unit)}" for n, v in items.items()]
    colours = [BENCHMARK_COLOURS.get(_role(n), NL_COLOUR) for n in names]
    dashes = [BENCHMARK_DASHES.get(_role(n), [6, 3]) for n in names]
    rule = (
        alt.Chart(data)
        .mark_rule(strokeWidth=1.6)
        .encode(
            x=alt.X("waarde:Q"),
            color=alt.Color(
                "tekst:N",
                scale=alt.Scale(domain=list(data["tekst"]), range=colours),
                legend=alt.Legend(title="Referentielijnen", orient="bottom", direction="vertical"),
            ),
            strokeDash=alt.StrokeDash(
                "tekst:N", scale=alt.Scale(domain=list(data["tekst"]), range=dashes), legend=None
            ),
            tooltip=[alt.Tooltip("tekst:N", title="Vergelijking")],
        )
    )
    return [rule]


def _role(name: str) -> str:
    return "Nederland" if name == "Nederland" else "Regio"


def _bar_tooltip(unit: str, lo: str, hi: str) -> list[alt.Tooltip]:
    fmt = value_format(unit)
    return [
        alt.Tooltip("area_name:N", title="Gebied"),
        alt.Tooltip("period_label:N", title="Periode"),
        alt.Tooltip("value:Q", title="Waarde", format=fmt),
        alt.Tooltip(f"{lo}:Q", title="Interval onder", format=fmt),
        alt.Tooltip(f"{hi}:Q", title="Interval boven", format=fmt),
        alt.Tooltip("numerator:Q", title="Teller", format=",.0f"),
        alt.Tooltip("denominator:Q", title="Noemer", format=",.0f"),
        alt.Tooltip("significance:N", title="Vergelijking"),
    ]


def compare_areas_bar(
    frame: pd.DataFrame,
    title: str,
    unit: str,
    footer: Footer,
    benchmarks: dict[str, float] | None = None,
    subtitle: str | Sequence[str] = "",
    *,
    polarity: str | None = None,
    confidence: float = 0.95,
    width: int = 420,
) -> alt.VConcatChart:
    """Horizontal bars of ``value`` per ``area_name`` with interval whiskers and benchmark lines.

    Bars are coloured by ``significance`` when the frame has it (see ``attach_significance``),
    otherwise neutral blue. A ``value_smoothed`` column (empirical Bayes) is drawn as a small
    diamond labelled *gemodelleerd*. Rows whose ``status`` is not ``ok`` get no bar: the axis
    says "(onderdrukt)" or "(geen waarde)", never a zero.

    Args:
        frame: Rows shaped like ``indicator_values`` (one per area).
        title: Chart title.
        unit: The indicator's unit.
        footer: The footer.
        benchmarks: Benchmark lines, e.g. ``{"Nederland": 14.6, "GGD Twente": 15.1}``.
        subtitle: Subtitle (one line or several).
        polarity: The indicator's polarity (fixes the legend's categories).
        confidence: Which interval to draw: 0.95 or 0.998.
        width: Width of the plot area in pixels.
    """
    data = drawable(frame)
    if "significance" not in data:
        data["significance"] = NOT_ASSESSED
    if "period_label" not in data:
        data["period_label"] = ""
    lo, hi = CI_COLUMNS[confidence]
    suffix = data["status"].map(lambda s: "" if s == "ok" else f" ({_status_note(s)})")
    data["label"] = data["area_name"] + suffix
    order = data.sort_values("value", ascending=False, na_position="last")["label"].tolist()
    y = alt.Y(
        "label:N",
        sort=order,
        title=None,
        axis=alt.Axis(labelLimit=300),
        scale=alt.Scale(paddingInner=0.3),
    )
    coloured = data["significance"].ne(NOT_ASSESSED).any()
    fill = (
        alt.Color(
            "significance:N",
            scale=_significance_scale(_significance_domain(polarity, data["significance"])),
            legend=alt.Legend(title=f"Vergelijking ({level_label(confidence)})", orient="bottom"),
        )
        if coloured
        else alt.value(NEUTRAL_BLUE)
    )
    valued = alt.Chart(data).transform_filter("isValid(datum.value)")
    bars = valued.mark_bar(opacity=0.9, stroke="#666666", strokeWidth=0.4).encode(
        x=alt.X("value:Q", title=axis_title(unit), axis=alt.Axis(format=value_format(unit))),
        y=y,
        color=fill,
        tooltip=_bar_tooltip(unit, lo, hi),
    )
    whiskers = valued.mark_rule(color=TEXT_COLOUR, strokeWidth=1.3).encode(
        x=f"{lo}:Q", x2=f"{hi}:Q", y=y
    )
    layers = [bars, whiskers, *_smoothed_layer(data, y, unit)]
    layers += _benchmark_layers(benchmarks, unit)
    chart = alt.layer(*layers).resolve_scale(color="independent", strokeDash="independent")
    chart = chart.properties(
        title=_title(title, subtitle), width=width, height=max(90, 20 * len(data))
    )
    return with_footer(chart, footer, width + 260)


def _smoothed_layer(data: pd.DataFrame, y: alt.Y, unit: str) -> list[alt.Chart]:
    if "value_smoothed" not in data or data["value_smoothed"].isna().all():
        return []
    fmt = value_format(unit)
    return [
        alt.Chart(data)
        .transform_filter("isValid(datum.value_smoothed)")
        .transform_calculate(soort="'gemodelleerd (empirisch Bayes)'")
        .mark_point(shape="diamond", filled=True, size=55, color="#111111")
        .encode(
            x="value_smoothed:Q",
            y=y,
            shape=alt.Shape(
                "soort:N",
                legend=alt.Legend(title=None, orient="bottom"),
                scale=alt.Scale(range=["diamond"]),
            ),
            tooltip=[
                alt.Tooltip("area_name:N", title="Gebied"),
                alt.Tooltip("value_smoothed:Q", title="Gemodelleerd", format=fmt),
            ],
        )
    ]


# --------------------------------------------------------------------------------------------
# Trends
# --------------------------------------------------------------------------------------------


def _series_style(data: pd.DataFrame, focus: str) -> tuple[list[str], list[str], list[list[int]]]:
    """Legend order, colours and dashes: the focus area first, then regions, NL last."""
    names = data.drop_duplicates("area_code").set_index("area_code")
    level_rank = {"gemeente": 1, "regio": 2, "ggd_regio": 3, "provincie": 4, "land": 5}
    others = [c for c in names.index if c != focus]
    others.sort(key=lambda c: (level_rank.get(names.loc[c, "area_level"], 9), c))
    codes = [focus, *others] if focus in names.index else others
    palette = [REGION_COLOUR, "#E69F00", "#56B4E9", "#CC79A7", "#999999"]
    colours, dashes = [], []
    for i, code in enumerate(codes):
        level = names.loc[code, "area_level"]
        if code == focus:
            colours.append(FOCUS_COLOUR)
            dashes.append([1, 0])
        elif level == "land":
            colours.append(NL_COLOUR)
            dashes.append([6, 3])
        else:
            colours.append(palette[(i - 1) % len(palette)])
            dashes.append([2, 2])
    return [str(names.loc[c, "area_name"]) for c in codes], colours, dashes


def trend_chart(
    frame: pd.DataFrame,
    title: str,
    unit: str,
    footer: Footer,
    focus: str,
    verdict: str = "",
    subtitle: str | Sequence[str] = "",
    marker: tuple[int, str] | None = None,
    width: int = 520,
    height: int = 260,
) -> alt.VConcatChart:
    """Yearly values of one area (line, points, 95% band) with NL and region lines.

    Args:
        frame: ``indicator_values`` rows of one indicator, single years, for the focus area and
            its benchmarks (NL, GGD-regio, …).
        title: Chart title.
        unit: The indicator's unit.
        footer: The footer.
        focus: ``area_code`` of the area drawn with its interval.
        verdict: The trend verdict in words; shown as the first subtitle line.
        subtitle: Further subtitle lines.
        marker: A year to mark with a vertical line and its label, e.g. the programme start.
        width: Plot width in pixels.
        height: Plot height in pixels.
    """
    data = drawable(frame).sort_values(["area_code", "period_end_year"])
    data["jaar"] = data["period_end_year"].astype(int)
    names, colours, dashes = _series_style(data, focus)
    fmt = value_format(unit)
    x = alt.X(
        "jaar:Q",
        title=None,
        axis=alt.Axis(format="d", tickMinStep=1),
        scale=alt.Scale(nice=False, padding=14),
    )
    focus_rows = alt.Chart(data).transform_filter(alt.datum.area_code == focus)
    band = focus_rows.mark_area(
        opacity=0.18, color=FOCUS_COLOUR, invalid="break-paths-show-domains"
    ).encode(x=x, y="ci_lower:Q", y2="ci_upper:Q")
    series = alt.Color(
        "area_name:N",
        scale=alt.Scale(domain=names, range=colours),
        legend=alt.Legend(
            title=None,
            orient="bottom",
            direction="horizontal",
            symbolType="stroke",
            symbolStrokeWidth=2.5,
            symbolSize=400,
        ),
    )
    lines = (
        alt.Chart(data)
        .mark_line(strokeWidth=2, invalid="break-paths-show-domains")
        .encode(
            x=x,
            y=alt.Y(
                "value:Q",
                title=axis_title(unit),
                axis=alt.Axis(format=fmt),
                scale=alt.Scale(zero=False),
            ),
            color=series,
            strokeDash=alt.StrokeDash(
                "area_name:N", scale=alt.Scale(domain=names, range=dashes), legend=None
            ),
        )
    )
    points = lines.mark_point(filled=True, size=36, opacity=1).encode(
        color=alt.Color("area_name:N", scale=alt.Scale(domain=names, range=colours), legend=None),
        strokeDash=alt.value([1, 0]),
        tooltip=[
            alt.Tooltip("area_name:N", title="Gebied"),
            alt.Tooltip("jaar:Q", title="Jaar", format="d"),
            alt.Tooltip("value:Q", title="Waarde", format=fmt),
            alt.Tooltip("ci_lower:Q", title="95%-interval onder", format=fmt),
            alt.Tooltip("ci_upper:Q", title="95%-interval boven", format=fmt),
        ],
    )
    gaps = _suppressed_years(focus_rows, x, height)
    subtitles = [s for s in ([verdict] + _as_list(subtitle)) if s]
    layers = [band, lines, points, gaps, *_year_marker(marker, x)]
    chart = alt.layer(*layers).properties(
        title=_title(title, subtitles), width=width, height=height
    )
    return with_footer(chart, footer, width + 90)


def _year_marker(marker: tuple[int, str] | None, x: alt.X) -> list[alt.Chart]:
    if marker is None:
        return []
    data = pd.DataFrame({"jaar": [marker[0]], "tekst": [marker[1]]})
    rule = alt.Chart(data).mark_rule(color="#777777", strokeDash=[2, 3]).encode(x=x)
    label = rule.mark_text(
        align="left", baseline="top", dx=4, fontSize=10, color="#555555"
    ).encode(y=alt.value(2), text="tekst:N")
    return [rule, label]


def _as_list(value: str | Sequence[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def _suppressed_years(rows: alt.Chart, x: alt.X, height: int) -> alt.Chart:
    """A small grey "onderdrukt" label at the foot of each year without a value."""
    return (
        rows.transform_filter("!isValid(datum.value)")
        .transform_calculate(
            opmerking="datum.status == 'suppressed' ? 'onderdrukt' : 'geen waarde'"
        )
        .mark_text(angle=270, align="left", fontSize=9, color="#777777", dx=0)
        .encode(
            x=x,
            y=alt.value(height - 4),
            text="opmerking:N",
            tooltip=[alt.Tooltip("jaar:Q", format="d"), alt.Tooltip("status_reason:N")],
        )
    )


def trend_small_multiples(
    frame: pd.DataFrame,
    benchmark: pd.DataFrame,
    verdicts: pd.DataFrame,
    title: str,
    unit: str,
    footer: Footer,
    columns: int = 5,
) -> alt.VConcatChart:
    """One small trend panel per area (line + 95% band) with the NL line and its verdict.

    Args:
        frame: ``indicator_values`` rows of one indicator, single years, one series per area.
        benchmark: The NL rows (same indicator and years), repeated in every panel.
        verdicts: ``indicator_trends`` rows (``area_code``, ``significance``) for the areas.
        title: Chart title.
        unit: The indicator's unit.
        footer: The footer.
        columns: Panels per row.
    """
    data = drawable(frame)
    nl = drawable(benchmark)[["period_end_year", "value"]].rename(columns={"value": "nl"})
    data = data.merge(nl, on="period_end_year", how="left")
    verdict = verdicts.set_index("area_code")["significance"]
    data["oordeel"] = data["area_code"].map(verdict).fillna("onvoldoende gegevens")
    first = data.groupby("area_code")["period_end_year"].transform("min")
    data["is_label"] = data["period_end_year"].eq(first)
    data["jaar"] = data["period_end_year"].astype(int)
    data["paneel"] = data["area_name"].map(short_name)
    x = alt.X("jaar:Q", title=None, axis=alt.Axis(format="d", tickCount=4, labelFontSize=9))
    y = alt.Y("value:Q", title=axis_title(unit), axis=alt.Axis(format=value_format(unit)))
    base = alt.Chart()
    band = base.mark_area(opacity=0.2, color=FOCUS_COLOUR).encode(
        x=x, y="ci_lower:Q", y2="ci_upper:Q"
    )
    line = base.mark_line(color=FOCUS_COLOUR, strokeWidth=1.8).encode(x=x, y=y)
    nl_line = base.mark_line(color=NL_COLOUR, strokeDash=[4, 3], strokeWidth=1).encode(
        x=x, y="nl:Q"
    )
    label = (
        base.transform_filter("datum.is_label")
        .mark_text(align="left", baseline="top", fontSize=9, fontWeight="bold")
        .encode(
            x=alt.value(3),
            y=alt.value(3),
            text="oordeel:N",
            color=alt.Color(
                "oordeel:N",
                scale=alt.Scale(domain=list(TREND_COLOURS), range=list(TREND_COLOURS.values())),
                legend=None,
            ),
        )
    )
    panels = (
        alt.layer(band, line, nl_line, label, data=data)
        .properties(width=140, height=90)
        .facet(facet=alt.Facet("paneel:N", title=None), columns=columns)
        .properties(title=_title(title, "stippellijn: Nederland; tekst: trendoordeel (99,8%)"))
    )
    return with_footer(panels, footer, columns * 175)


# --------------------------------------------------------------------------------------------
# Funnel plot
# --------------------------------------------------------------------------------------------


FUNNEL_LINES = {"95%-grens": "limit_95", "99,8%-grens": "limit_998"}


def _funnel_limit_lines(limits: pd.DataFrame, adjusted: bool) -> pd.DataFrame:
    """The limits in long format: one row per denominator and line (``kant`` names the line)."""
    frames = []
    for label, stem in FUNNEL_LINES.items():
        for side in ("lower", "upper"):
            if adjusted:
                frames.append(_limit_part(limits, f"adj_{stem}_{side}", f"{label} (gecorrigeerd)"))
                frames.append(_limit_part(limits, f"{stem}_{side}", "zonder correctie"))
            else:
                frames.append(_limit_part(limits, f"{stem}_{side}", label))
    return pd.concat(frames, ignore_index=True)


def _limit_part(limits: pd.DataFrame, column: str, label: str) -> pd.DataFrame:
    part = limits[["denominator", column]].rename(columns={column: "grens"})
    return part[part["grens"].notna()].assign(lijn=label, kant=column)


def funnel_position_label(position: str, polarity: str | None) -> str:
    """A funnel position in words, with ``gunstig``/``ongunstig`` when there is a polarity."""
    if position == "binnen" or not isinstance(position, str):
        return "binnen de grenzen"
    side, level = position.split(" ", 1)
    if polarity == "lager is beter":
        judged = "ongunstig" if side == "boven" else "gunstig"
    elif polarity == "hoger is beter":
        judged = "gunstig" if side == "boven" else "ongunstig"
    else:
        return f"{side} de {level}-grens"
    return f"{side} de {level}-grens ({judged})"


def _funnel_point_colours(polarity: str | None) -> tuple[list[str], list[str]]:
    up_colour, down_colour = SIGNIFICANCE_COLOURS[HIGHER], SIGNIFICANCE_COLOURS[LOWER]
    if polarity == "lager is beter":
        up_colour, down_colour = SIGNIFICANCE_COLOURS[WORSE], SIGNIFICANCE_COLOURS[BETTER]
    elif polarity == "hoger is beter":
        up_colour, down_colour = SIGNIFICANCE_COLOURS[BETTER], SIGNIFICANCE_COLOURS[WORSE]
    positions = ["boven 99,8%", "boven 95%", "binnen", "onder 95%", "onder 99,8%"]
    colours = [up_colour, _lighten(up_colour), "#9A9A9A", _lighten(down_colour), down_colour]
    return [funnel_position_label(p, polarity) for p in positions], colours


def _lighten(colour: str, amount: float = 0.45) -> str:
    rgb = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    mixed = [round(c + (255 - c) * amount) for c in rgb]
    return "#" + "".join(f"{c:02X}" for c in mixed)


def _funnel_subtitle(
    points: pd.DataFrame, adjusted: bool, n_hidden: int, unit: str, centre: str
) -> list[str]:
    p0 = points["p0_value"].dropna()
    phi = points["phi"].dropna() if "phi" in points else pd.Series(dtype=float)
    lines = []
    if len(p0):
        lines.append(f"Middenlijn: {centre} {format_value(float(p0.iloc[0]), unit)}.")
    if len(phi):
        how = (
            f"grenzen gecorrigeerd ({points['adjustment'].iloc[0]})"
            if adjusted
            else "geen correctie nodig"
        )
        lines.append(f"Overdispersie φ = {format_number(float(phi.iloc[0]), 2)}: {how}.")
    if n_hidden:
        lines.append(f"{n_hidden} gemeenten zonder waarde (onderdrukt of onbekend) niet getekend.")
    return lines


def _funnel_domain(points: pd.DataFrame) -> list[float]:
    values = pd.concat([points["value"], points["p0_value"]]).dropna()
    low, high = float(values.min()), float(values.max())
    pad = 0.12 * (high - low or 1.0)
    return [max(0.0, low - pad), high + pad]


def funnel_plot(
    points: pd.DataFrame,
    limits: pd.DataFrame,
    title: str,
    unit: str,
    footer: Footer,
    polarity: str | None = None,
    max_labels: int = 12,
    centre: str = "",
    width: int = 560,
    height: int = 340,
) -> alt.VConcatChart:
    """Funnel plot: gemeenten by denominator and value, with 95% and 99.8% control limits.

    When the rows say the limits were adjusted for overdispersion (``adjustment`` not
    ``geen`` and φ > 1), the adjusted limits are drawn and used for the colours, and the
    unadjusted limits are shown in light grey. Points outside 99.8% are labelled (at most
    ``max_labels``, the most extreme first). Rows without a value are not drawn, only counted.

    Args:
        points: ``indicator_funnels`` rows of one indicator, period and comparison set.
        limits: ``indicator_funnel_limits`` rows (the grid) for the same.
        title: Chart title.
        unit: The indicator's unit (values, limits and ``p0_value`` are in it).
        footer: The footer.
        polarity: The indicator's polarity (colours: gunstig/ongunstig).
        max_labels: Most outliers to name.
        centre: What the centre line is, in words; default "Nederland" when the rows'
            ``benchmark_code`` is NL01 (or absent), else "de regio".
        width: Plot width in pixels.
        height: Plot height in pixels.
    """
    data = drawable(points)
    if not centre:
        codes = set(data["benchmark_code"]) if "benchmark_code" in data else {"NL01"}
        centre = "Nederland" if codes == {"NL01"} else "de regio"
    shown = data[data["value"].notna() & data["denominator"].gt(0)].copy()
    adjusted = _is_adjusted(shown)
    column = "position_adjusted" if adjusted else "position"
    shown["positie"] = shown[column].map(lambda p: funnel_position_label(p, polarity))
    shown["afstand"] = (shown["value"] - shown["p0_value"]).abs() * np.sqrt(shown["denominator"])
    outliers = shown[shown[column].astype(str).str.contains("99,8")]
    shown["label"] = shown.index.isin(outliers.nlargest(max_labels, "afstand").index)
    domain = _funnel_domain(shown)
    lines = _funnel_limit_lines(limits, adjusted)
    fmt = value_format(unit)
    x = alt.X(
        "denominator:Q",
        title="Noemer (aantal, logaritmische schaal)",
        scale=alt.Scale(type="log", nice=False),
        axis=alt.Axis(format=",.0f", tickCount=6),
    )
    y_scale = alt.Scale(domain=domain, nice=False)
    denominators = pd.concat([lines["denominator"], shown["denominator"]])
    labels = place_labels(
        shown[shown["label"]],
        (float(denominators.min()), float(denominators.max())),
        domain,
        (width, height),
    )
    layers = [
        _funnel_lines_layer(lines, x, y_scale, unit, adjusted),
        _p0_layer(limits, y_scale),
        _funnel_points_layer(shown, x, y_scale, fmt, polarity),
        _funnel_labels_layer(labels, x, y_scale),
    ]
    chart = (
        alt.layer(*layers)
        .resolve_scale(color="independent", strokeDash="independent")
        .properties(
            title=_title(
                title, _funnel_subtitle(data, adjusted, len(data) - len(shown), unit, centre)
            ),
            width=width,
            height=height,
        )
    )
    return with_footer(chart, footer, width + 240)


def _is_adjusted(points: pd.DataFrame) -> bool:
    if "adjustment" not in points or points.empty:
        return False
    phi = points["phi"].dropna()
    return bool(points["adjustment"].iloc[0] != "geen" and len(phi) and phi.iloc[0] > 1)


def _funnel_lines_layer(
    lines: pd.DataFrame, x: alt.X, y_scale: alt.Scale, unit: str, adjusted: bool
) -> alt.Chart:
    style = {
        "95%-grens": ("#444444", [5, 3]),
        "99,8%-grens": ("#444444", [1, 0]),
        "95%-grens (gecorrigeerd)": ("#444444", [5, 3]),
        "99,8%-grens (gecorrigeerd)": ("#444444", [1, 0]),
        "zonder correctie": ("#BBBBBB", [1, 0]),
    }
    labels = [label for label in style if label in set(lines["lijn"])]
    labels = sorted(labels, key=lambda label: ("99,8" not in label, "zonder" in label))
    return (
        alt.Chart(lines)
        .mark_line(strokeWidth=1.3, clip=True, interpolate="monotone")
        .encode(
            x=x,
            y=alt.Y(
                "grens:Q",
                scale=y_scale,
                title=axis_title(unit),
                axis=alt.Axis(format=value_format(unit)),
            ),
            detail="kant:N",
            color=alt.Color(
                "lijn:N",
                scale=alt.Scale(domain=labels, range=[style[lab][0] for lab in labels]),
                legend=alt.Legend(title="Controlegrenzen", orient="right"),
            ),
            strokeDash=alt.StrokeDash(
                "lijn:N",
                scale=alt.Scale(domain=labels, range=[style[lab][1] for lab in labels]),
                legend=alt.Legend(title="Controlegrenzen", orient="right"),
            ),
        )
    )


def _p0_layer(limits: pd.DataFrame, y_scale: alt.Scale) -> alt.Chart:
    p0 = limits["p0_value"].dropna()
    data = pd.DataFrame({"p0": [float(p0.iloc[0])] if len(p0) else []})
    return (
        alt.Chart(data)
        .mark_rule(color=NL_COLOUR, strokeWidth=1.2)
        .encode(y=alt.Y("p0:Q", scale=y_scale))
    )


def _funnel_points_layer(
    shown: pd.DataFrame, x: alt.X, y_scale: alt.Scale, fmt: str, polarity: str | None
) -> alt.Chart:
    labels, colours = _funnel_point_colours(polarity)
    return (
        alt.Chart(shown)
        .mark_circle(size=38, opacity=0.85, stroke="#333333", strokeWidth=0.4)
        .encode(
            x=x,
            y=alt.Y("value:Q", scale=y_scale),
            color=alt.Color(
                "positie:N",
                scale=alt.Scale(domain=labels, range=colours),
                legend=alt.Legend(title="Gemeente ligt", orient="right"),
            ),
            tooltip=[
                alt.Tooltip("area_name:N", title="Gemeente"),
                alt.Tooltip("value:Q", title="Waarde", format=fmt),
                alt.Tooltip("numerator:Q", title="Teller", format=",.0f"),
                alt.Tooltip("denominator:Q", title="Noemer", format=",.0f"),
                alt.Tooltip("positie:N", title="Ligt"),
            ],
        )
    )


LABEL_SHIFTS = (0, -12, 12, -24, 24, -36, 36)


def _overlaps(box: tuple[float, ...], boxes: list[tuple[float, ...]]) -> bool:
    return any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in boxes)


def place_labels(
    points: pd.DataFrame,
    x_range: tuple[float, float],
    y_domain: Sequence[float],
    size: tuple[int, int],
) -> pd.DataFrame:
    """Place outlier labels of a funnel plot so that they do not overlap (greedy).

    Each label goes right or left of its point, shifted up or down by whole lines if needed;
    the most extreme points are placed first. Positions are estimated in pixels from the log
    x scale and the fixed y domain.

    Args:
        points: The labelled points (``denominator``, ``value``, ``area_name``, ``afstand``).
        x_range: The denominators at the left and right edge of the plot.
        y_domain: The y domain (low, high).
        size: Plot width and height in pixels.

    Returns:
        The points with ``label_value`` (the label's height, in data units), ``side``
        (``rechts``/``links``), ``label_x`` (where a leader line from the point ends) and
        ``shifted`` (whether the label moved up or down and so needs that leader line).
    """
    width, height = size
    lx0, lx1 = np.log10(x_range)
    low, high = float(y_domain[0]), float(y_domain[1])
    boxes: list[tuple[float, ...]] = []
    placed = []
    for _, row in points.sort_values("afstand", ascending=False).iterrows():
        px = (np.log10(row["denominator"]) - lx0) / ((lx1 - lx0) or 1.0) * width
        py = (high - row["value"]) / ((high - low) or 1.0) * height
        text_width = 5.6 * len(str(row["area_name"])) + 2
        options = [
            (shift, side, px + 6 if side == "rechts" else px - 6 - text_width)
            for shift in LABEL_SHIFTS
            for side in ("rechts", "links")
        ]
        fitting = [o for o in options if 0 <= o[2] and o[2] + text_width <= width]
        choice = next(
            (
                o
                for o in fitting
                if not _overlaps((o[2], py + o[0] - 6, o[2] + text_width, py + o[0] + 6), boxes)
            ),
            (fitting or options)[0],
        )
        shift, side, x0 = choice
        boxes.append((x0, py + shift - 6, x0 + text_width, py + shift + 6))
        anchor = px + (5 if side == "rechts" else -5)
        placed.append(
            {
                **row.to_dict(),
                "side": side,
                "label_value": row["value"] - shift * (high - low) / height,
                "label_x": 10 ** (lx0 + anchor / width * (lx1 - lx0)),
                "shifted": shift != 0,
            }
        )
    columns = [*points.columns, "side", "label_value", "label_x", "shifted"]
    return pd.DataFrame(placed, columns=columns)


def _funnel_labels_layer(labels: pd.DataFrame, x: alt.X, y_scale: alt.Scale) -> alt.LayerChart:
    leaders = (
        alt.Chart(labels[labels["shifted"].astype(bool)])
        .mark_rule(color="#888888", strokeWidth=0.6)
        .encode(x=x, y=alt.Y("value:Q", scale=y_scale), x2="label_x:Q", y2="label_value:Q")
    )
    layers = [leaders]
    for side, align, dx in (("rechts", "left", 6), ("links", "right", -6)):
        layers.append(
            alt.Chart(labels[labels["side"] == side])
            .mark_text(align=align, baseline="middle", dx=dx, fontSize=9, color=TEXT_COLOUR)
            .encode(x=x, y=alt.Y("label_value:Q", scale=y_scale), text="area_name:N")
        )
    return alt.layer(*layers)


# --------------------------------------------------------------------------------------------
# Choropleth map of gemeenten
# --------------------------------------------------------------------------------------------


@cache
def _topology(name: str) -> str:
    return (BOUNDARIES_DIR / f"{name}.topojson").read_text(encoding="utf-8")


def boundaries(feature: str) -> alt.InlineData:
    """A bundled TopoJSON (``gemeente_2025`` or ``ggdregio_2025``) as inline data."""
    return alt.InlineData(
        values=json.loads(_topology(feature)),
        format=alt.DataFormat(type="topojson", feature=feature),
    )


CLASS_COLOURS = ["#C6DBEF", "#9ECAE1", "#6BAED6", "#3182BD", "#08519C"]


def value_classes(values: pd.Series, unit: str, k: int = 5) -> tuple[pd.Series, list[str]]:
    """Quantile classes (about equal numbers of gemeenten) with Dutch range labels.

    Args:
        values: The values to classify; NaN stays NaN (never put in a class).
        unit: The unit, for the labels (``12,0–13,9%``).
        k: Number of classes (at most 5).

    Returns:
        The label of each value, and the labels in ascending order.
    """
    known = values.dropna()
    if known.empty:
        return pd.Series(np.nan, index=values.index, dtype=object), []
    decimals = 0 if unit == "aantal" else 1
    edges = np.unique(np.round(known.quantile(np.linspace(0, 1, min(k, 5) + 1)), decimals))
    if len(edges) < 2:
        edges = np.array([edges[0], edges[0] + 10.0**-decimals])
    edges[0], edges[-1] = min(edges[0], known.min()), max(edges[-1], known.max())
    labels = [
        f"{format_number(lo, decimals)}–{format_number(hi, decimals)}{unit_suffix(unit)}"
        for lo, hi in zip(edges[:-1], edges[1:], strict=True)
    ]
    classes = pd.cut(values, edges, labels=labels, include_lowest=True)
    return classes.astype(object).where(values.notna(), None), labels


def _map_lookup(frame: pd.DataFrame, colour_by: str, unit: str) -> tuple[pd.DataFrame, list[str]]:
    """The per-gemeente lookup table of a map, and the value classes in order."""
    data = drawable(frame)
    data["klasse"], labels = value_classes(data["value"], unit)
    if colour_by == "significance":
        if "significance" not in data:
            data["significance"] = NOT_ASSESSED
        data["klasse"] = data["significance"].where(data["value"].notna(), NOT_ASSESSED)
    data["waarde_tekst"] = [
        format_value(v, unit) if s == "ok" else _status_note(s)
        for v, s in zip(data["value"], data["status"], strict=True)
    ]
    columns = ["area_code", "area_name", "value", "waarde_tekst", "status", "klasse"]
    out = data[columns].rename(columns={"area_code": "statcode"}).astype(object)
    return out.where(out.notna(), None), labels  # lookup data is not sanitised: NaN → null


def choropleth(
    frame: pd.DataFrame,
    title: str,
    unit: str,
    footer: Footer,
    *,
    colour_by: str = "value",
    polarity: str | None = None,
    gemeenten: Sequence[str] | None = None,
    regions: Sequence[str] | None = None,
    subtitle: str | Sequence[str] = "",
    legend_title: str | None = None,
    width: int = 420,
    height: int = 480,
) -> alt.VConcatChart:
    """Map of gemeenten coloured by value (5 classes) or by significance, GGD-regio outlines.

    Gemeenten without a value — suppressed, missing, or absent from ``frame`` — are white with
    a grey outline and named in the legend ("onderdrukt of onbekend" / "niet te beoordelen").

    Args:
        frame: One row per gemeente (``area_code``, ``area_name``, ``value``, ``status`` and
            for ``colour_by="significance"`` a ``significance`` column).
        title: Chart title.
        unit: The indicator's unit.
        footer: The footer.
        colour_by: ``"value"`` or ``"significance"``.
        polarity: The indicator's polarity (legend categories of a significance map).
        gemeenten: Only draw these gemeente codes (e.g. one GGD-regio); default all 342.
        regions: GGD-regio codes whose outlines to draw; default all on a map of all
            gemeenten and none on a map of some (the simplified outlines do not match the
            gemeente borders at that zoom).
        subtitle: Subtitle.
        legend_title: Title of the colour legend.
        width: Map width in pixels.
        height: Map height in pixels.
    """
    if colour_by not in ("value", "significance"):
        raise ValueError(f"colour_by must be 'value' or 'significance', not {colour_by!r}")
    lookup, labels = _map_lookup(frame, colour_by, unit)
    fields = [c for c in lookup.columns if c != "statcode"]
    shapes = alt.Chart(boundaries(GEMEENTE_FEATURE)).transform_lookup(
        lookup="properties.statcode",
        from_=alt.LookupData(alt.InlineData(values=lookup.to_dict("records")), "statcode", fields),
    )
    if gemeenten is not None:
        shapes = shapes.transform_filter(
            alt.FieldOneOfPredicate(field="properties.statcode", oneOf=list(gemeenten))
        )
    tooltip = [
        alt.Tooltip("properties.statnaam:N", title="Gemeente"),
        alt.Tooltip("waarde_tekst:N", title="Waarde"),
    ]
    if colour_by == "value":
        filled = _value_fill(shapes, labels, unit, legend_title, tooltip)
        empty = _empty_fill(shapes, "!isValid(datum.value)", NO_VALUE, tooltip)
    else:
        filled = _significance_fill(shapes, lookup, polarity, legend_title, tooltip)
        empty = _empty_fill(
            shapes,
            f"datum.klasse == null || datum.klasse == '{NOT_ASSESSED}'",
            f"{NOT_ASSESSED} (onderdrukt of onbekend)",
            tooltip,
        )
    layers = [filled, empty]
    if regions is None and gemeenten is None:
        layers.append(_region_outlines(None))
    elif regions:
        layers.append(_region_outlines(regions))
    chart = (
        alt.layer(*layers)
        .resolve_scale(color="independent")
        .project(type="mercator")
        .properties(title=_title(title, subtitle), width=width, height=height)
    )
    return with_footer(chart, footer, width + 200)


def _value_fill(
    shapes: alt.Chart, labels: list[str], unit: str, legend_title: str | None, tooltip: list
) -> alt.Chart:
    colours = CLASS_COLOURS[-len(labels) :] if labels else []
    return (
        shapes.transform_filter("isValid(datum.value)")
        .mark_geoshape(stroke="white", strokeWidth=0.35)
        .encode(
            color=alt.Color(
                "klasse:O",
                scale=alt.Scale(domain=labels, range=colours),
                legend=alt.Legend(
                    title=legend_title or axis_title(unit),
                    orient="right",
                    symbolType="square",
                    symbolSize=180,
                ),
            ),
            tooltip=tooltip,
        )
    )


def _significance_fill(
    shapes: alt.Chart,
    lookup: pd.DataFrame,
    polarity: str | None,
    legend_title: str | None,
    tooltip: list,
) -> alt.Chart:
    domain = [
        d for d in _significance_domain(polarity, lookup["klasse"]) if d != NOT_ASSESSED
    ] or [SIMILAR]
    return (
        shapes.transform_filter(f"isValid(datum.klasse) && datum.klasse != '{NOT_ASSESSED}'")
        .mark_geoshape(stroke="white", strokeWidth=0.35)
        .encode(
            color=alt.Color(
                "klasse:N",
                scale=_significance_scale(domain),
                legend=alt.Legend(
                    title=legend_title or "Vergelijking",
                    orient="right",
                    symbolType="square",
                    symbolSize=180,
                ),
            ),
            tooltip=[*tooltip, alt.Tooltip("klasse:N", title="Vergelijking")],
        )
    )


def _empty_fill(shapes: alt.Chart, condition: str, label: str, tooltip: list) -> alt.Chart:
    return (
        shapes.transform_filter(condition)
        .transform_calculate(geen=f"'{label}'")
        .mark_geoshape(stroke="#8C8C8C", strokeWidth=0.5)
        .encode(
            color=alt.Color(
                "geen:N",
                scale=alt.Scale(domain=[label], range=["#FFFFFF"]),
                legend=alt.Legend(
                    title=None,
                    orient="right",
                    symbolType="square",
                    symbolSize=180,
                    symbolStrokeColor="#8C8C8C",
                ),
            ),
            tooltip=tooltip,
        )
    )


def _region_outlines(regions: Sequence[str] | None) -> alt.Chart:
    outlines = alt.Chart(boundaries(GGD_FEATURE))
    if regions is not None:
        outlines = outlines.transform_filter(
            alt.FieldOneOfPredicate(field="properties.statcode", oneOf=list(regions))
        )
    return outlines.mark_geoshape(filled=False, stroke="#303030", strokeWidth=1.1).encode(
        tooltip=[alt.Tooltip("properties.statnaam:N", title="GGD-regio")]
    )


# --------------------------------------------------------------------------------------------
# Overview of all indicators for one area: tartan rug and spine chart
# --------------------------------------------------------------------------------------------


def overview_heatmap(
    frame: pd.DataFrame,
    title: str,
    footer: Footer,
    area_order: Sequence[str],
    indicator_order: Sequence[str],
    subtitle: str | Sequence[str] = "",
    cell_width: int = 104,
) -> alt.VConcatChart:
    """A "tartan rug": indicators (rows) × areas (columns), coloured by significance vs NL.

    Each cell shows the value with its unit; a cell without a value says "onderdrukt" or
    "geen waarde" on white with a grey outline. Nederland (``area_level`` ``land``) and counts
    (unit ``aantal``, which have nothing to be compared on) are light grey reference cells.
    The first column gives each row's period.

    Args:
        frame: One row per indicator and area: ``indicator_title``, ``area_name``,
            ``area_level``, ``value``, ``unit``, ``status``, ``period_label`` and
            ``significance``.
        title: Chart title.
        footer: The footer.
        area_order: Column order (area names).
        indicator_order: Row order (indicator titles).
        subtitle: Subtitle.
        cell_width: Width of one column in pixels.
    """
    cells = _heatmap_cells(frame)
    columns = ["Periode", *area_order]
    x = alt.X(
        "area_name:N",
        sort=columns,
        title=None,
        axis=alt.Axis(
            orient="top", labelAngle=0, labelLimit=cell_width - 4, labelFontSize=10, ticks=False
        ),
    )
    y = alt.Y(
        "indicator_title:N",
        sort=list(indicator_order),
        title=None,
        axis=alt.Axis(labelLimit=380, ticks=False, domain=False),
    )
    domain = [*ALL_SIGNIFICANCE, REFERENCE]
    colours = [*(SIGNIFICANCE_COLOURS[d] for d in ALL_SIGNIFICANCE), "#F2F2F2"]
    shown = [d for d in ALL_SIGNIFICANCE if d in set(cells["kleur"])]
    base = alt.Chart(cells).encode(x=x, y=y)
    rect = base.mark_rect(stroke="white", strokeWidth=2).encode(
        color=alt.Color(
            "kleur:N",
            scale=alt.Scale(domain=domain, range=colours),
            legend=alt.Legend(
                title="Vergeleken met Nederland (95%)",
                values=shown,
                orient="bottom",
                direction="horizontal",
                symbolType="square",
                symbolSize=160,
                symbolStrokeColor="#8C8C8C",
            ),
        ),
        tooltip=[
            alt.Tooltip("indicator_title:N", title="Indicator"),
            alt.Tooltip("area_name:N", title="Gebied"),
            alt.Tooltip("tekst:N", title="Waarde"),
            alt.Tooltip("kleur:N", title="Vergelijking"),
        ],
    )
    outline = base.transform_filter(f"datum.kleur == '{NOT_ASSESSED}'").mark_rect(
        fill=None, stroke="#B0B0B0", strokeWidth=0.8
    )
    text = base.mark_text(fontSize=10).encode(
        text="tekst:N",
        color=alt.condition(
            alt.FieldOneOfPredicate(field="kleur", oneOf=list(DARK_FILLS)),
            alt.value("white"),
            alt.value(TEXT_COLOUR),
        ),
    )
    grid = alt.layer(rect, outline, text).properties(
        title=_title(title, subtitle),
        width=cell_width * len(columns),
        height=26 * len(indicator_order),
    )
    return with_footer(grid, footer, cell_width * len(columns) + 320)


REFERENCE = "referentie"


def _heatmap_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """The cells of the rug: a period column, then one cell per indicator and area."""
    data = drawable(frame)
    if "significance" not in data:
        data["significance"] = NOT_ASSESSED
    data["tekst"] = [
        format_value(v, u) if s == "ok" else _status_note(s)
        for v, u, s in zip(data["value"], data["unit"], data["status"], strict=True)
    ]
    data["kleur"] = data["significance"].where(data["value"].notna(), NOT_ASSESSED)
    level = data["area_level"] if "area_level" in data else pd.Series("", index=data.index)
    reference = data["value"].notna() & (data["unit"].eq("aantal") | level.eq("land"))
    data.loc[reference, "kleur"] = REFERENCE
    periods = data.drop_duplicates("indicator_title")[["indicator_title", "period_label"]]
    periods = periods.assign(area_name="Periode", tekst=periods["period_label"], kleur=REFERENCE)
    return pd.concat([periods, data], ignore_index=True)


def spine_positions(values: pd.DataFrame, polarity: str | None) -> pd.DataFrame:
    """Scale one indicator's gemeente spread around NL to [0, 1] (NL at 0,5).

    Fingertips' spine chart: the farthest gemeente from NL sets the half-width, and with a
    polarity the scale is flipped so that the favourable side is on the right.

    Args:
        values: One row per gemeente (``value``, ``status``) plus ``nl`` (the NL value).
        polarity: The indicator's polarity.

    Returns:
        One row: ``laagste``, ``p25``, ``p75``, ``hoogste`` on the value scale and the
        ``x_*`` positions of the range ends on the 0–1 scale, and ``flip``.
    """
    ok = drawable(values)["value"].dropna()
    nl = float(values["nl"].iloc[0])
    half = float(max((ok - nl).abs().max(), 1e-9)) if len(ok) else 1.0
    flip = polarity == "lager is beter"
    stats = {
        "laagste": ok.min(),
        "p25": ok.quantile(0.25),
        "p75": ok.quantile(0.75),
        "hoogste": ok.max(),
    }
    out = {k: float(v) if len(ok) else np.nan for k, v in stats.items()}
    out.update({"nl": nl, "half": half, "flip": flip})
    return pd.DataFrame([out])


def _to_spine(value: pd.Series, nl: pd.Series, half: pd.Series, flip: pd.Series) -> pd.Series:
    sign = np.where(flip, -1.0, 1.0)
    return (0.5 + sign * (value - nl) / (2 * half)).clip(0, 1)


def spine_chart(
    rows: pd.DataFrame,
    title: str,
    footer: Footer,
    area_label: str,
    region_label: str,
    subtitle: str | Sequence[str] = "",
) -> alt.VConcatChart:
    """Spine chart of all indicators for one gemeente vs NL, its region and all gemeenten.

    Args:
        rows: One row per indicator: ``indicator_title``, ``period_label``, ``unit``,
            ``polarity``, ``value``/``status`` (the gemeente), ``significance`` (vs NL),
            ``regio`` (region value), ``nl`` and the spread from ``spine_positions``
            (``laagste``, ``p25``, ``p75``, ``hoogste``, ``half``, ``flip``).
        title: Chart title.
        footer: The footer.
        area_label: Column header for the gemeente.
        region_label: Column header for the region.
        subtitle: Subtitle.
    """
    data = drawable(rows).reset_index(drop=True)
    if "significance" not in data:
        data["significance"] = NOT_ASSESSED
    data["significance"] = data["significance"].where(data["value"].notna(), NOT_ASSESSED)
    args = (data["nl"], data["half"], data["flip"])
    for name in ("laagste", "p25", "p75", "hoogste", "value", "regio"):
        data[f"x_{name}"] = _to_spine(data[name], *args)
    counts = data["unit"].eq("aantal")
    for column in [c for c in data.columns if c.startswith("x_")]:
        data[column] = data[column].mask(counts)
    data["x_a"] = np.minimum(data["x_laagste"], data["x_hoogste"])
    data["x_b"] = np.maximum(data["x_laagste"], data["x_hoogste"])
    data["x_c"] = np.minimum(data["x_p25"], data["x_p75"])
    data["x_d"] = np.maximum(data["x_p25"], data["x_p75"])
    data = _spine_texts(data)
    order = list(data["indicator_title"])
    y = alt.Y("indicator_title:N", sort=order, title=None, axis=None)
    height = 24 * len(data)
    table = [
        _text_column(data, "indicator_title", "Indicator", 300, y, height, align="left"),
        _text_column(data, "period_label", "Periode", 74, y, height),
        _text_column(data, "t_value", area_label, 84, y, height, bold=True),
        _text_column(data, "t_regio", region_label, 84, y, height),
        _text_column(data, "t_nl", "Nederland", 84, y, height),
    ]
    spine = _spine_panel(data, y, height)
    chart = alt.hconcat(*table, spine, spacing=4).properties(title=_title(title, subtitle))
    return with_footer(chart, footer, 300 + 4 * 84 + 320)


def _spine_texts(data: pd.DataFrame) -> pd.DataFrame:
    out = data.copy()
    out["t_value"] = [
        format_value(v, u) if s == "ok" else _status_note(s)
        for v, u, s in zip(out["value"], out["unit"], out["status"], strict=True)
    ]
    out["t_regio"] = [format_value(v, u) for v, u in zip(out["regio"], out["unit"], strict=True)]
    out["t_nl"] = [format_value(v, u) for v, u in zip(out["nl"], out["unit"], strict=True)]
    return out


def _text_column(
    data: pd.DataFrame,
    field: str,
    header: str,
    width: int,
    y: alt.Y,
    height: int,
    align: str = "right",
    bold: bool = False,
) -> alt.Chart:
    x = alt.value(0 if align == "left" else width - 4)
    return (
        alt.Chart(data, title=alt.TitleParams(header, fontSize=11, anchor=_anchor(align)))
        .mark_text(align=align, fontSize=10, fontWeight="bold" if bold else "normal", limit=width)
        .encode(y=y, x=x, text=f"{field}:N")
        .properties(width=width, height=height)
    )


def _anchor(align: str) -> str:
    return "start" if align == "left" else "end"


def _spine_legend(data: pd.DataFrame) -> alt.Legend | None:
    present = set(data.loc[data["x_value"].notna(), "significance"])
    values = [d for d in ALL_SIGNIFICANCE if d in present]
    if not values:
        return None
    return alt.Legend(
        title="Gemeente vergeleken met Nederland (95%)",
        values=values,
        orient="bottom",
        direction="horizontal",
    )


def _spine_panel(data: pd.DataFrame, y: alt.Y, height: int) -> alt.LayerChart:
    unit_scale = alt.Scale(domain=[0, 1])
    x = alt.X("x_a:Q", scale=unit_scale, axis=None)
    base = alt.Chart(data).encode(y=y)
    full = base.mark_bar(color=RANGE_LIGHT, height=14).encode(x=x, x2="x_b:Q")
    middle = base.mark_bar(color=RANGE_DARK, height=14).encode(
        x=alt.X("x_c:Q", scale=unit_scale), x2="x_d:Q"
    )
    centre = (
        alt.Chart(pd.DataFrame({"x": [0.5]}))
        .mark_rule(color=NL_COLOUR, strokeWidth=1.5)
        .encode(x=alt.X("x:Q", scale=unit_scale))
    )
    region = base.mark_point(shape="diamond", filled=False, color=NL_COLOUR, size=70).encode(
        x=alt.X("x_regio:Q", scale=unit_scale)
    )
    dot = (
        base.transform_filter("isValid(datum.x_value)")
        .mark_circle(size=110, stroke="#333333", strokeWidth=0.8, opacity=1)
        .encode(
            x=alt.X("x_value:Q", scale=unit_scale),
            color=alt.Color(
                "significance:N",
                scale=_significance_scale(ALL_SIGNIFICANCE),
                legend=_spine_legend(data),
            ),
            tooltip=[
                alt.Tooltip("indicator_title:N", title="Indicator"),
                alt.Tooltip("t_value:N", title="Gemeente"),
                alt.Tooltip("t_nl:N", title="Nederland"),
                alt.Tooltip("significance:N", title="Vergelijking"),
            ],
        )
    )
    return alt.layer(full, middle, centre, region, dot).properties(
        width=300,
        height=height,
        title=alt.TitleParams("ongunstig  ←  Nederland  →  gunstig", fontSize=11, anchor="middle"),
    )


# --------------------------------------------------------------------------------------------
# Spread within regions: a dot strip per GGD-regio
# --------------------------------------------------------------------------------------------


def region_spread(
    gemeenten: pd.DataFrame,
    regions: pd.DataFrame,
    title: str,
    unit: str,
    footer: Footer,
    nl_value: float | None = None,
    polarity: str | None = None,
    confidence: float = 0.95,
    highlight: str | None = None,
    subtitle: str | Sequence[str] = "",
    width: int = 480,
) -> alt.VConcatChart:
    """Dots for the gemeenten of each GGD-regio on one line, with the region value as a tick.

    Args:
        gemeenten: One row per gemeente: ``area_name``, ``ggd_regio_name``, ``value``,
            ``status`` and ``significance`` (vs the own region).
        regions: One row per GGD-regio: ``area_name``, ``value``, ``status``.
        title: Chart title.
        unit: The indicator's unit.
        footer: The footer.
        nl_value: NL value for the dashed reference line.
        polarity: The indicator's polarity (legend categories).
        confidence: The level of the comparison, for the legend title.
        highlight: A region name drawn in bold on the axis.
        subtitle: Subtitle.
        width: Plot width in pixels.
    """
    dots = drawable(gemeenten)
    if "significance" not in dots:
        dots["significance"] = NOT_ASSESSED
    dots["ggd_regio_name"] = dots["ggd_regio_name"].map(short_name)
    ticks = drawable(regions).rename(columns={"area_name": "ggd_regio_name"})
    ticks["ggd_regio_name"] = ticks["ggd_regio_name"].map(short_name)
    highlight = short_name(highlight) if highlight else None
    hidden = dots[dots["value"].isna()].groupby("ggd_regio_name").size()
    ticks["verborgen"] = ticks["ggd_regio_name"].map(hidden).fillna(0).astype(int)
    ticks["verborgen_tekst"] = ticks["verborgen"].map(lambda n: f"{n} onderdrukt" if n else "")
    order = ticks.sort_values("value", na_position="last")["ggd_regio_name"].tolist()
    fmt = value_format(unit)
    y = alt.Y(
        "ggd_regio_name:N",
        sort=order,
        title=None,
        axis=alt.Axis(
            labelFontWeight=alt.expr(f"datum.value == {json.dumps(highlight)} ? 'bold' : 'normal'")
            if highlight
            else "normal"
        ),
    )
    x = alt.X(
        "value:Q", title=axis_title(unit), axis=alt.Axis(format=fmt), scale=alt.Scale(zero=False)
    )
    shown = dots[dots["value"].notna()]
    domain = [
        d for d in _significance_domain(polarity, shown["significance"]) if d != NOT_ASSESSED
    ] or [SIMILAR]
    points = (
        alt.Chart(shown)
        .mark_circle(size=42, opacity=0.85, stroke="#444444", strokeWidth=0.4)
        .encode(
            x=x,
            y=y,
            yOffset=alt.YOffset("jitter:Q", scale=alt.Scale(domain=[-1, 1])),
            color=alt.Color(
                "significance:N",
                scale=_significance_scale(domain),
                legend=alt.Legend(
                    title=f"Gemeente vergeleken met eigen regio ({level_label(confidence)})",
                    orient="bottom",
                ),
            ),
            tooltip=[
                alt.Tooltip("area_name:N", title="Gemeente"),
                alt.Tooltip("value:Q", title="Waarde", format=fmt),
                alt.Tooltip("significance:N", title="Vergelijking"),
            ],
        )
        .transform_calculate(jitter="sin(datum.value * 7919) * 0.6")
    )
    region_ticks = (
        alt.Chart(ticks)
        .transform_filter("isValid(datum.value)")
        .mark_tick(color=NL_COLOUR, thickness=2.5, size=16)
        .encode(
            x="value:Q",
            y=y,
            tooltip=[
                alt.Tooltip("ggd_regio_name:N", title="Regio"),
                alt.Tooltip("value:Q", title="Regio", format=fmt),
            ],
        )
    )
    counts = (
        alt.Chart(ticks)
        .mark_text(align="left", fontSize=9, color="#777777", dx=4)
        .encode(y=y, x=alt.value(width), text="verborgen_tekst:N")
    )
    layers = [points, region_ticks, counts]
    if nl_value is not None and np.isfinite(nl_value):
        layers.append(
            alt.Chart(pd.DataFrame({"nl": [nl_value]}))
            .mark_rule(color=NL_COLOUR, strokeDash=[5, 3])
            .encode(x="nl:Q")
        )
    chart = alt.layer(*layers).properties(
        title=_title(title, subtitle), width=width, height=22 * len(order)
    )
    return with_footer(chart, footer, width + 330)


# --------------------------------------------------------------------------------------------
# Outcome against context: scatter with a weighted regression line
# --------------------------------------------------------------------------------------------


UNIT_STEPS = {"%": "procentpunt", "‰": "promillepunt", "per 1000": "per 1000", "aantal": ""}


@dataclass(frozen=True)
class Fit:
    """A weighted least-squares line ``y = intercept + slope·x``."""

    slope: float
    intercept: float
    r2: float
    n: int


def weighted_fit(x: pd.Series, y: pd.Series, weights: pd.Series | None = None) -> Fit:
    """Weighted least squares of ``y`` on ``x`` over the rows where both are known.

    Raises:
        ValueError: Fewer than 3 usable rows.
    """
    w = pd.Series(1.0, index=x.index) if weights is None else weights.astype(float)
    ok = x.notna() & y.notna() & w.notna() & (w > 0)
    if ok.sum() < 3:
        raise ValueError("a fitted line needs at least 3 areas with both values")
    xs, ys, ws = (s[ok].to_numpy(dtype=float) for s in (x, y, w))
    slope, intercept = np.polyfit(xs, ys, 1, w=np.sqrt(ws))
    mean = np.average(ys, weights=ws)
    resid = ys - (intercept + slope * xs)
    total = np.sum(ws * (ys - mean) ** 2)
    r2 = 1 - np.sum(ws * resid**2) / total if total > 0 else np.nan
    return Fit(float(slope), float(intercept), float(r2), int(ok.sum()))


def context_scatter(
    frame: pd.DataFrame,
    title: str,
    x_title: str,
    y_title: str,
    footer: Footer,
    x_unit: str = "%",
    y_unit: str = "%",
    subtitle: str | Sequence[str] = "",
    width: int = 460,
    height: int = 320,
) -> alt.VConcatChart:
    """Scatter of an outcome (y) against a context indicator (x) per gemeente, fitted line.

    Args:
        frame: One row per gemeente: ``area_name``, ``x``, ``y``, ``weight`` (the outcome's
            denominator), ``x_status`` and ``y_status``; rows not ``ok`` on either are left out.
        title: Chart title.
        x_title: Axis title of the context indicator.
        y_title: Axis title of the outcome.
        footer: The footer.
        x_unit: Unit of x.
        y_unit: Unit of y.
        subtitle: Further subtitle lines (the fit is described automatically).
        width: Plot width in pixels.
        height: Plot height in pixels.
    """
    data = frame.copy()
    data["x"] = data["x"].astype(float).mask(data["x_status"].ne("ok"))
    data["y"] = data["y"].astype(float).mask(data["y_status"].ne("ok"))
    shown = data[data["x"].notna() & data["y"].notna()].copy()
    fit = weighted_fit(shown["x"], shown["y"], shown["weight"])
    xs = np.linspace(shown["x"].min(), shown["x"].max(), 30)
    line = pd.DataFrame({"x": xs, "y": fit.intercept + fit.slope * xs})
    description = (
        f"Gewogen regressie: helling {format_number(fit.slope, 2)} {UNIT_STEPS.get(y_unit, '')}"
        f" per {UNIT_STEPS.get(x_unit, 'eenheid')}; "
        f"R² = {format_number(fit.r2, 2)}; n = {fit.n} gemeenten "
        f"({len(data) - len(shown)} zonder beide waarden weggelaten)."
    )
    x = alt.X(
        "x:Q",
        title=x_title,
        scale=alt.Scale(zero=False),
        axis=alt.Axis(format=value_format(x_unit)),
    )
    y = alt.Y(
        "y:Q",
        title=y_title,
        scale=alt.Scale(zero=False),
        axis=alt.Axis(format=value_format(y_unit)),
    )
    points = (
        alt.Chart(shown)
        .mark_circle(color=NEUTRAL_BLUE, opacity=0.55, stroke="white", strokeWidth=0.4)
        .encode(
            x=x,
            y=y,
            size=alt.Size(
                "weight:Q",
                title="Noemer",
                scale=alt.Scale(range=[12, 260], zero=False),
                legend=alt.Legend(format=",.0f", orient="right"),
            ),
            tooltip=[
                alt.Tooltip("area_name:N", title="Gemeente"),
                alt.Tooltip("x:Q", title=x_title, format=value_format(x_unit)),
                alt.Tooltip("y:Q", title=y_title, format=value_format(y_unit)),
            ],
        )
    )
    fitted = alt.Chart(line).mark_line(color=FIT_COLOUR, strokeWidth=2.2).encode(x=x, y=y)
    chart = alt.layer(points, fitted).properties(
        title=_title(title, [description, *_as_list(subtitle)] if subtitle else description),
        width=width,
        height=height,
    )
    return with_footer(chart, footer, width + 160)


# --------------------------------------------------------------------------------------------
# Rendering
# --------------------------------------------------------------------------------------------


def _render(spec: dict, fmt: str) -> bytes:
    options = {"vl_version": VL_VERSION, "allowed_base_urls": [], **LOCALE}
    if fmt == "png":
        return vl_convert.vegalite_to_png(spec, scale=PNG_SCALE, **options)
    if fmt == "svg":
        return vl_convert.vegalite_to_svg(spec, **options).encode("utf-8")
    if fmt == "pdf":
        return vl_convert.vegalite_to_pdf(spec, **options)
    raise ValueError(f"unknown chart format {fmt!r}; expected png, svg or pdf")


def render(chart: alt.TopLevelMixin, fmt: str = "png") -> bytes:
    """Render a chart offline with vl-convert (nl-NL number locale); PNG at scale 2."""
    return _render(chart.to_dict(), fmt)


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height in pixels from a PNG's IHDR header."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG file")
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def save(
    chart: alt.TopLevelMixin, stem: Path, formats: tuple[str, ...] = ("png", "svg")
) -> list[Path]:
    """Render a chart offline with vl-convert in Dutch number formats; one file per format."""
    stem.parent.mkdir(parents=True, exist_ok=True)
    spec = chart.to_dict()
    written = []
    for fmt in formats:
        path = stem.with_suffix(f".{fmt}")
        path.write_bytes(_render(spec, fmt))
        written.append(path)
    return written
