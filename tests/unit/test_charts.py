"""Chart builders: encodings, suppressed rows never drawn as values, Dutch formats, rendering."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from pipeline import charts

SECRET = {777.0, 701.0, 802.0}  # value and interval of the suppressed row: must never be drawn
FOOTER = charts.Footer(
    source="Perined (perined_kerncijfers)",
    period="2024",
    refreshed="2026-11-24",
    method="Testmethode.",
    mode_label="DEMO — synthetische cijfers",
)
GEMEENTEN = [
    ("GM0014", "Groningen", 120, 800),
    ("GM0034", "Almere", 90, 700),
    ("GM0037", "Stadskanaal", 30, 200),
    ("GM0047", "Veendam", 12, 150),
    ("GM0050", "Zeewolde", 40, 180),
    ("GM0059", "Achtkarspelen", 25, 260),
]
SUPPRESSED_CODE, SUPPRESSED_NAME = "GM0060", "Ameland"


def values_frame(year: int = 2024, shift: float = 0.0) -> pd.DataFrame:
    """Rows shaped like ``indicator_values`` with one suppressed gemeente carrying bait values."""
    rows = []
    for code, name, num, den in GEMEENTEN:
        value = 100 * num / den + shift
        rows.append((code, name, "gemeente", num, den, value, value - 2, value + 2, "ok", None))
    rows.append(
        (
            SUPPRESSED_CODE,
            SUPPRESSED_NAME,
            "gemeente",
            7,
            9,
            777.0,
            701.0,
            802.0,
            "suppressed",
            "onderdrukt in de bron (<10)",
        )
    )
    frame = pd.DataFrame(
        rows,
        columns=[
            "area_code",
            "area_name",
            "area_level",
            "numerator",
            "denominator",
            "value",
            "ci_lower",
            "ci_upper",
            "status",
            "status_reason",
        ],
    )
    frame["ci_lower_998"] = frame["ci_lower"] - 1
    frame["ci_upper_998"] = frame["ci_upper"] + 1
    frame.loc[frame["status"] != "ok", ["ci_lower_998", "ci_upper_998"]] = [700.0, 801.0]
    return frame.assign(
        indicator_id="big2",
        period_start_year=year,
        period_end_year=year,
        period_label=str(year),
        unit="%",
    )


def records(spec: object) -> list[dict]:
    """Every data record anywhere in a Vega-Lite spec (datasets and inline values)."""
    found: list[dict] = []
    if isinstance(spec, dict):
        for key, item in spec.items():
            if key in ("values", "datasets") and isinstance(item, list):
                found += [r for r in item if isinstance(r, dict)]
            elif key == "datasets" and isinstance(item, dict):
                for rows in item.values():
                    found += [r for r in rows if isinstance(r, dict)]
            else:
                found += records(item)
    elif isinstance(spec, list):
        for item in spec:
            found += records(item)
    return found


def assert_secret_never_drawn(chart) -> None:
    """No data record in the chart carries the suppressed row's value or interval."""
    for record in records(chart.to_dict()):
        leaked = {k: v for k, v in record.items() if isinstance(v, float) and v in SECRET}
        assert not leaked, f"suppressed value drawn: {record}"


def marks(spec: dict) -> list[dict]:
    """Every unit spec (one with a mark) in a possibly nested spec."""
    found = []
    if isinstance(spec, dict):
        if "mark" in spec:
            found.append(spec)
        for key in ("layer", "vconcat", "hconcat", "concat"):
            for sub in spec.get(key, []):
                found += marks(sub)
        if "spec" in spec:
            found += marks(spec["spec"])
    return found


def mark_type(unit: dict) -> str:
    return unit["mark"] if isinstance(unit["mark"], str) else unit["mark"]["type"]


def footer_of(chart) -> dict:
    return chart.to_dict()["title"]


# --------------------------------------------------------------------------------------------
# House style
# --------------------------------------------------------------------------------------------


def test_dutch_number_formats() -> None:
    assert charts.format_number(1234.5) == "1.234,5"
    assert charts.format_number(1234567, 0) == "1.234.567"
    assert charts.format_value(14.56, "%") == "14,6%"
    assert charts.format_value(4.71, "‰") == "4,7‰"
    assert charts.format_value(3.14, "per 1000") == "3,1 per 1000"
    assert charts.format_value(float("nan"), "%") == "–"
    assert charts.value_format("aantal") == ",.0f"


def test_theme_carries_font_and_dutch_locale() -> None:
    config = charts.house_theme()["config"]
    assert config["font"] == "DejaVu Sans"
    assert config["locale"]["number"]["decimal"] == ","
    assert config["locale"]["number"]["thousands"] == "."


def test_significance_colours_are_distinct_and_complete() -> None:
    for domain in charts.POLARITY_DOMAINS.values():
        assert set(domain) <= set(charts.SIGNIFICANCE_COLOURS)
    colours = list(charts.SIGNIFICANCE_COLOURS.values())
    assert len(set(colours)) == len(colours)


def test_drawable_blanks_every_value_of_rows_not_ok() -> None:
    data = charts.drawable(values_frame())
    bait = data[data["area_code"] == SUPPRESSED_CODE].iloc[0]
    for column in ("value", "ci_lower", "ci_upper", "ci_lower_998", "ci_upper_998", "numerator"):
        assert pd.isna(bait[column])
    assert data.loc[data["status"] == "ok", "value"].notna().all()


def test_attach_significance_without_or_with_comparisons() -> None:
    frame = values_frame()
    none = charts.attach_significance(frame, None)
    assert set(none["significance"]) == {"niet te beoordelen"}
    comparisons = frame.assign(
        benchmark="nederland",
        confidence=0.95,
        significance="slechter",
        benchmark_value=10.0,
    )
    joined = charts.attach_significance(frame, comparisons, "nederland", 0.95)
    assert joined.loc[joined["status"] == "ok", "significance"].eq("slechter").all()
    assert joined.loc[joined["status"] != "ok", "significance"].eq("niet te beoordelen").all()
    other_level = charts.attach_significance(frame, comparisons, "nederland", 0.998)
    assert set(other_level["significance"]) == {"niet te beoordelen"}


def test_latest_year_falls_back_when_nl_has_no_value() -> None:
    frame = pd.concat([values_frame(2022), values_frame(2023)])
    assert charts.latest_year(frame, "big2") == 2023
    nl = values_frame(2021).iloc[:1].assign(area_code="NL01")
    assert charts.latest_year(pd.concat([frame, nl]), "big2") == 2021
    with pytest.raises(ValueError, match="no value"):
        charts.latest_year(frame, "sga")


def test_value_classes_keep_missing_values_out() -> None:
    values = pd.Series([1.0, 2.0, 3.0, 4.0, 5.0, np.nan, 6.0, 7.0, 8.0, 9.0, 10.0])
    classes, labels = charts.value_classes(values, "%")
    assert len(labels) == 5
    assert pd.isna(classes.iloc[5])
    assert classes.drop(5).isin(labels).all()
    assert labels[0].startswith("1,0–") and labels[-1].endswith("10,0%")


# --------------------------------------------------------------------------------------------
# Compare-areas bar
# --------------------------------------------------------------------------------------------


def test_compare_areas_bar_encodings_and_footer() -> None:
    frame = charts.attach_significance(values_frame(), None)
    frame.loc[0, "significance"] = "slechter"
    chart = charts.compare_areas_bar(
        frame,
        "Titel",
        "%",
        FOOTER,
        {"Nederland": 14.6, "GGD Groningen": 15.1},
        polarity="lager is beter",
    )
    units = marks(chart.to_dict())
    bar = next(u for u in units if mark_type(u) == "bar")
    assert bar["encoding"]["x"]["field"] == "value"
    assert bar["encoding"]["color"]["field"] == "significance"
    assert bar["encoding"]["color"]["scale"]["domain"] == [
        "beter",
        "vergelijkbaar",
        "slechter",
        "niet te beoordelen",
    ]
    whisker = next(u for u in units if mark_type(u) == "rule" and "x2" in u["encoding"])
    assert (whisker["encoding"]["x"]["field"], whisker["encoding"]["x2"]["field"]) == (
        "ci_lower",
        "ci_upper",
    )
    benchmark = next(u for u in units if "strokeDash" in u["encoding"])
    assert benchmark["encoding"]["x"]["field"] == "waarde"
    title = footer_of(chart)
    assert title["orient"] == "bottom"
    assert any("Bron: Perined" in line for line in title["text"])
    assert "DEMO — synthetische cijfers" in " ".join(title["subtitle"])


def test_compare_areas_bar_labels_suppressed_rows_and_never_draws_them() -> None:
    chart = charts.compare_areas_bar(values_frame(), "Titel", "%", FOOTER)
    assert_secret_never_drawn(chart)
    labels = [r.get("label") for r in records(chart.to_dict())]
    assert f"{SUPPRESSED_NAME} (onderdrukt)" in labels


def test_compare_areas_bar_uses_998_interval_when_asked() -> None:
    chart = charts.compare_areas_bar(values_frame(), "T", "%", FOOTER, confidence=0.998)
    whisker = next(u for u in marks(chart.to_dict()) if "x2" in u.get("encoding", {}))
    assert whisker["encoding"]["x2"]["field"] == "ci_upper_998"


def test_compare_areas_bar_draws_smoothed_values_when_present() -> None:
    frame = values_frame().assign(value_smoothed=lambda d: d["value"] * 0.9)
    chart = charts.compare_areas_bar(frame, "T", "%", FOOTER)
    smoothed = [
        u for u in marks(chart.to_dict()) if u["encoding"]["x"]["field"] == "value_smoothed"
    ]
    assert smoothed and smoothed[0]["mark"]["shape"] == "diamond"
    assert_secret_never_drawn(chart)


# --------------------------------------------------------------------------------------------
# Trends
# --------------------------------------------------------------------------------------------


def trend_frame() -> pd.DataFrame:
    years = []
    for i, year in enumerate(range(2018, 2024)):
        frame = values_frame(year, shift=i * 0.2)
        if year != 2021:
            frame.loc[frame["area_code"] == SUPPRESSED_CODE, "status"] = "ok"
            frame.loc[frame["area_code"] == SUPPRESSED_CODE, ["value", "ci_lower", "ci_upper"]] = [
                10.0,
                8.0,
                12.0,
            ]
        years.append(frame)
    data = pd.concat(years, ignore_index=True)
    nl = data[data["area_code"] == "GM0014"].assign(
        area_code="NL01", area_name="Nederland", area_level="land"
    )
    return pd.concat([data, nl], ignore_index=True)


def test_trend_chart_band_lines_verdict_and_gap() -> None:
    data = trend_frame()
    chart = charts.trend_chart(
        data[data["area_code"].isin([SUPPRESSED_CODE, "NL01", "GM0034"])],
        "Titel",
        "%",
        FOOTER,
        focus=SUPPRESSED_CODE,
        verdict="Trend 2018–2023: geen significante trend",
        marker=(2018, "start Kansrijke Start"),
    )
    spec = chart.to_dict()
    units = marks(spec)
    band = next(u for u in units if mark_type(u) == "area")
    assert (band["encoding"]["y"]["field"], band["encoding"]["y2"]["field"]) == (
        "ci_lower",
        "ci_upper",
    )
    line = next(u for u in units if mark_type(u) == "line")
    assert line["encoding"]["color"]["field"] == "area_name"
    assert line["encoding"]["color"]["scale"]["domain"][0] == SUPPRESSED_NAME
    assert line["mark"]["invalid"] == "break-paths-show-domains"
    inner_title = spec["vconcat"][0]["title"]
    assert inner_title["subtitle"][0] == "Trend 2018–2023: geen significante trend"
    assert any(u["encoding"].get("text", {}).get("field") == "opmerking" for u in units)
    assert_secret_never_drawn(chart)


def test_trend_small_multiples_facets_and_never_draws_suppressed() -> None:
    data = trend_frame()
    verdicts = pd.DataFrame({"area_code": ["GM0014"], "significance": ["verbetert"]})
    chart = charts.trend_small_multiples(
        data[data["area_level"] == "gemeente"],
        data[data["area_code"] == "NL01"],
        verdicts,
        "Titel",
        "%",
        FOOTER,
    )
    spec = chart.to_dict()
    assert spec["vconcat"][0]["facet"]["field"] == "paneel"
    assert_secret_never_drawn(chart)
    labels = {r["area_code"]: r["oordeel"] for r in records(spec) if r.get("is_label")}
    assert labels["GM0014"] == "verbetert"
    assert labels["GM0034"] == "onvoldoende gegevens"


# --------------------------------------------------------------------------------------------
# Funnel plot
# --------------------------------------------------------------------------------------------


def funnel_frames(phi: float, adjustment: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    points = values_frame().assign(p0_value=15.0, phi=phi, adjustment=adjustment)
    points["position"] = ["boven 99,8%", "binnen", "binnen", "onder 95%", "binnen", "binnen", None]
    points["position_adjusted"] = [
        "boven 95%",
        "binnen",
        "binnen",
        "binnen",
        "binnen",
        "binnen",
        None,
    ]
    grid = pd.DataFrame({"denominator": [100.0, 1000.0], "p0_value": 15.0, "phi": phi})
    for stem in ("limit_95", "limit_998", "adj_limit_95", "adj_limit_998"):
        grid[f"{stem}_lower"] = [8.0, 13.0]
        grid[f"{stem}_upper"] = [22.0, 17.0]
    return points, grid


def test_funnel_plot_unadjusted_limits_labels_and_suppression() -> None:
    points, grid = funnel_frames(phi=0.8, adjustment="geen")
    chart = charts.funnel_plot(points, grid, "Titel", "%", FOOTER, polarity="lager is beter")
    spec = chart.to_dict()
    units = marks(spec)
    line = next(u for u in units if mark_type(u) == "line")
    assert line["encoding"]["x"]["scale"]["type"] == "log"
    assert line["encoding"]["detail"]["field"] == "kant"
    assert line["encoding"]["strokeDash"]["scale"]["domain"] == ["99,8%-grens", "95%-grens"]
    labelled = [r["area_name"] for r in records(spec) if r.get("label") is True]
    assert set(labelled) == {"Groningen"}
    positions = {r.get("area_name"): r.get("positie") for r in records(spec) if "positie" in r}
    assert positions["Groningen"] == "boven de 99,8%-grens (ongunstig)"
    assert positions["Veendam"] == "onder de 95%-grens (gunstig)"
    assert SUPPRESSED_NAME not in positions
    assert "1 gemeenten zonder waarde" in " ".join(spec["vconcat"][0]["title"]["subtitle"])
    assert_secret_never_drawn(chart)


def test_funnel_plot_uses_adjusted_limits_when_overdispersed() -> None:
    points, grid = funnel_frames(phi=2.5, adjustment="multiplicatief")
    chart = charts.funnel_plot(points, grid, "Titel", "%", FOOTER, polarity="lager is beter")
    spec = chart.to_dict()
    line = next(u for u in marks(spec) if mark_type(u) == "line")
    assert line["encoding"]["strokeDash"]["scale"]["domain"] == [
        "99,8%-grens (gecorrigeerd)",
        "95%-grens (gecorrigeerd)",
        "zonder correctie",
    ]
    positions = {r.get("area_name"): r.get("positie") for r in records(spec) if "positie" in r}
    assert positions["Groningen"] == "boven de 95%-grens (ongunstig)"
    assert not [r for r in records(spec) if r.get("label") is True]
    assert "φ = 2,50" in " ".join(spec["vconcat"][0]["title"]["subtitle"])


# --------------------------------------------------------------------------------------------
# Map
# --------------------------------------------------------------------------------------------


def test_choropleth_by_value_uses_bundled_topojson_and_greys_out_suppressed() -> None:
    chart = charts.choropleth(values_frame(), "Titel", "%", FOOTER)
    spec = chart.to_dict()
    layers = spec["vconcat"][0]["layer"]
    formats = [layer["data"]["format"]["feature"] for layer in layers]
    assert formats == ["gemeente_2025", "gemeente_2025", "ggdregio_2025"]
    filled, empty = layers[0], layers[1]
    assert filled["transform"][0]["lookup"] == "properties.statcode"
    assert filled["transform"][1]["filter"] == "isValid(datum.value)"
    assert filled["encoding"]["color"]["field"] == "klasse"
    assert empty["encoding"]["color"]["scale"] == {
        "domain": ["onderdrukt of onbekend"],
        "range": ["#FFFFFF"],
    }
    lookup = {r["statcode"]: r for r in records(spec) if "statcode" in r}
    assert lookup[SUPPRESSED_CODE]["value"] is None
    assert lookup[SUPPRESSED_CODE]["klasse"] is None
    assert lookup[SUPPRESSED_CODE]["waarde_tekst"] == "onderdrukt"
    assert_secret_never_drawn(chart)


def test_choropleth_by_significance_and_zoomed_to_a_region() -> None:
    frame = charts.attach_significance(values_frame(), None)
    frame.loc[frame["area_code"] == "GM0014", "significance"] = "slechter"
    frame.loc[frame["area_code"] == SUPPRESSED_CODE, "significance"] = "beter"  # bait
    codes = [c for c, *_ in GEMEENTEN]
    chart = charts.choropleth(
        frame,
        "Titel",
        "%",
        FOOTER,
        colour_by="significance",
        polarity="lager is beter",
        gemeenten=codes,
    )
    spec = chart.to_dict()
    layers = spec["vconcat"][0]["layer"]
    assert len(layers) == 2, "no GGD outlines on a zoomed map unless asked"
    assert layers[0]["encoding"]["color"]["scale"]["domain"] == [
        "beter",
        "vergelijkbaar",
        "slechter",
    ]
    assert layers[0]["transform"][1]["filter"]["oneOf"] == codes
    lookup = {r["statcode"]: r for r in records(spec) if "statcode" in r}
    assert lookup[SUPPRESSED_CODE]["klasse"] == "niet te beoordelen"
    assert lookup["GM0014"]["klasse"] == "slechter"
    with pytest.raises(ValueError, match="colour_by"):
        charts.choropleth(frame, "T", "%", FOOTER, colour_by="kleur")


# --------------------------------------------------------------------------------------------
# Overview: tartan rug and spine chart
# --------------------------------------------------------------------------------------------


def profile_frame() -> pd.DataFrame:
    rows = []
    for title, unit in (("Big2", "%"), ("Levend geboren", "aantal")):
        frame = values_frame().assign(indicator_title=title, unit=unit)
        frame["significance"] = "vergelijkbaar"
        frame.loc[frame["area_code"] == SUPPRESSED_CODE, "significance"] = "beter"  # bait
        nl = frame.iloc[:1].assign(area_code="NL01", area_name="Nederland", area_level="land")
        rows += [frame, nl]
    return pd.concat(rows, ignore_index=True)


def test_overview_heatmap_cells_colours_and_suppression() -> None:
    frame = profile_frame()
    chosen = frame[frame["area_code"].isin(["GM0014", SUPPRESSED_CODE, "NL01"])]
    chart = charts.overview_heatmap(
        chosen,
        "Titel",
        FOOTER,
        ["Groningen", SUPPRESSED_NAME, "Nederland"],
        ["Big2", "Levend geboren"],
    )
    spec = chart.to_dict()
    rect = next(u for u in marks(spec) if mark_type(u) == "rect" and "color" in u["encoding"])
    assert rect["encoding"]["color"]["field"] == "kleur"
    assert rect["encoding"]["x"]["sort"] == ["Periode", "Groningen", SUPPRESSED_NAME, "Nederland"]
    cells = {(r["indicator_title"], r["area_name"]): r for r in records(spec) if "kleur" in r}
    assert cells[("Big2", SUPPRESSED_NAME)]["kleur"] == "niet te beoordelen"
    assert cells[("Big2", SUPPRESSED_NAME)]["tekst"] == "onderdrukt"
    assert cells[("Big2", "Groningen")]["kleur"] == "vergelijkbaar"
    assert cells[("Big2", "Nederland")]["kleur"] == "referentie"
    assert cells[("Levend geboren", "Groningen")]["kleur"] == "referentie"
    assert cells[("Big2", "Periode")]["tekst"] == "2024"
    assert_secret_never_drawn(chart)


def test_spine_positions_put_nl_in_the_middle_and_favourable_right() -> None:
    gemeenten = values_frame().assign(nl=15.0)
    spread = charts.spine_positions(gemeenten, "lager is beter").iloc[0]
    ok = gemeenten.loc[gemeenten["status"] == "ok", "value"]
    assert spread["laagste"] == pytest.approx(ok.min())
    assert spread["hoogste"] == pytest.approx(ok.max())
    assert spread["half"] == pytest.approx((ok - 15.0).abs().max())
    assert bool(spread["flip"]) is True
    nl_pos = charts._to_spine(pd.Series([15.0]), 15.0, spread["half"], spread["flip"])
    low_pos = charts._to_spine(pd.Series([ok.min()]), 15.0, spread["half"], spread["flip"])
    assert nl_pos.iloc[0] == pytest.approx(0.5)
    assert low_pos.iloc[0] > 0.5, "with 'lager is beter' a low value lies on the right"


def test_spine_chart_table_dots_and_suppressed_area() -> None:
    rows = []
    for title, unit, status in (
        ("Big2", "%", "suppressed"),
        ("Sga", "%", "ok"),
        ("Geboren", "aantal", "ok"),
    ):
        gemeenten = values_frame().assign(nl=15.0)
        row = {
            "indicator_title": title,
            "period_label": "2024",
            "unit": unit,
            "polarity": "lager is beter",
            "status": status,
            "value": 777.0 if status != "ok" else 18.0,
            "significance": "slechter",
            "regio": 16.0,
            "nl": 15.0,
        }
        row |= charts.spine_positions(gemeenten, "lager is beter").iloc[0].to_dict()
        rows.append(row)
    chart = charts.spine_chart(pd.DataFrame(rows), "Titel", FOOTER, "Gemeente", "GGD-regio")
    spec = chart.to_dict()
    assert len(spec["vconcat"][0]["hconcat"]) == 6
    dot = next(u for u in marks(spec) if mark_type(u) == "circle")
    assert dot["transform"][0]["filter"] == "isValid(datum.x_value)"
    data = {r["indicator_title"]: r for r in records(spec) if "x_value" in r}
    assert data["Big2"]["x_value"] is None and data["Big2"]["t_value"] == "onderdrukt"
    assert data["Geboren"]["x_value"] is None, "counts are not placed on the spine"
    assert data["Sga"]["x_value"] < 0.5, "a higher value with 'lager is beter' lies left"
    assert_secret_never_drawn(chart)


# --------------------------------------------------------------------------------------------
# Spread within regions and context scatter
# --------------------------------------------------------------------------------------------


def test_region_spread_dots_ticks_and_counts_suppressed() -> None:
    gemeenten = values_frame().assign(ggd_regio_name="GGD Groningen", significance="vergelijkbaar")
    regions = pd.DataFrame({"area_name": ["GGD Groningen"], "value": [15.0], "status": ["ok"]})
    chart = charts.region_spread(
        gemeenten,
        regions,
        "Titel",
        "%",
        FOOTER,
        nl_value=14.6,
        polarity="lager is beter",
        highlight="GGD Groningen",
    )
    spec = chart.to_dict()
    units = marks(spec)
    assert next(u for u in units if mark_type(u) == "circle")["encoding"]["x"]["field"] == "value"
    assert next(u for u in units if mark_type(u) == "tick")["encoding"]["x"]["field"] == "value"
    counts = [r["verborgen_tekst"] for r in records(spec) if "verborgen_tekst" in r]
    assert counts == ["1 onderdrukt"]
    names = {r.get("area_name") for r in records(spec) if "jitter" not in r}
    assert SUPPRESSED_NAME not in names
    assert_secret_never_drawn(chart)


def test_weighted_fit_recovers_a_line() -> None:
    x = pd.Series([1.0, 2.0, 3.0, 4.0, np.nan])
    fit = charts.weighted_fit(x, 2 * x + 1, pd.Series([1.0, 2.0, 3.0, 4.0, 5.0]))
    assert (fit.slope, fit.intercept, fit.r2, fit.n) == pytest.approx((2.0, 1.0, 1.0, 4))
    with pytest.raises(ValueError, match="at least 3"):
        charts.weighted_fit(x.iloc[:2], x.iloc[:2])


def test_context_scatter_leaves_out_rows_not_ok() -> None:
    frame = values_frame()
    pairs = pd.DataFrame(
        {
            "area_name": frame["area_name"],
            "x": frame["value"] / 2,
            "x_status": "ok",
            "y": frame["value"],
            "y_status": frame["status"],
            "weight": frame["denominator"],
        }
    )
    chart = charts.context_scatter(pairs, "Titel", "Context (%)", "Uitkomst (%)", FOOTER)
    spec = chart.to_dict()
    drawn = {r["area_name"] for r in records(spec) if "area_name" in r}
    assert SUPPRESSED_NAME not in drawn and "Groningen" in drawn
    assert (
        "n = 6 gemeenten (1 zonder beide waarden weggelaten)"
        in spec["vconcat"][0]["title"]["subtitle"]
    )
    assert_secret_never_drawn(chart)


# --------------------------------------------------------------------------------------------
# Rendering offline
# --------------------------------------------------------------------------------------------


def test_rendered_png_matches_svg_size_at_scale_two_and_uses_dutch_numbers(
    tmp_path: Path,
) -> None:
    chart = charts.compare_areas_bar(values_frame(), "Titel", "%", FOOTER, {"Nederland": 14.6})
    written = charts.save(chart, tmp_path / "staaf", ("png", "svg", "pdf"))
    png, svg, pdf = (p.read_bytes() for p in written)
    width, height = charts.png_size(png)
    svg_text = svg.decode("utf-8")
    svg_width = float(svg_text.split('width="', 1)[1].split('"', 1)[0])
    svg_height = float(svg_text.split('height="', 1)[1].split('"', 1)[0])
    assert (width, height) == (round(2 * svg_width), round(2 * svg_height))
    assert 900 <= width <= 2200 and 400 <= height <= 2000
    assert len(png) > 20_000
    assert pdf.startswith(b"%PDF") and len(pdf) > 5_000
    assert ">10,0<" in svg_text and ">10.0<" not in svg_text
    assert "DEMO — synthetische cijfers" in svg_text
    assert "Bron: Perined" in svg_text


def test_rendered_map_has_expected_size() -> None:
    chart = charts.choropleth(values_frame(), "Titel", "%", FOOTER, width=300, height=340)
    width, height = charts.png_size(charts.render(chart, "png"))
    assert 2 * 300 < width <= 2 * 700
    assert 2 * 340 < height <= 2 * 700


def test_png_size_rejects_other_files() -> None:
    with pytest.raises(ValueError, match="not a PNG"):
        charts.png_size(b"%PDF-1.7")


def test_render_rejects_unknown_format() -> None:
    chart = charts.compare_areas_bar(values_frame(), "Titel", "%", FOOTER)
    with pytest.raises(ValueError, match="unknown chart format"):
        charts.render(chart, "gif")


def test_notebook_svg_renderer_uses_dutch_locale_from_the_theme() -> None:
    spec = charts.compare_areas_bar(values_frame(), "Titel", "%", FOOTER).to_dict()
    assert spec["config"]["locale"]["number"]["decimal"] == ","
    assert json.dumps(spec["config"]["font"]) == '"DejaVu Sans"'


def test_funnel_labels_of_neighbouring_outliers_do_not_overlap() -> None:
    points = pd.DataFrame(
        {
            "area_name": ["Rotterdam", "'s-Gravenhage", "Utrecht"],
            "denominator": [6000.0, 6100.0, 300.0],
            "value": [24.0, 24.1, 10.0],
            "afstand": [3.0, 2.0, 1.0],
        }
    )
    placed = charts.place_labels(points, (50.0, 10_000.0), (0.0, 30.0), (560, 340)).set_index(
        "area_name"
    )
    first, second = placed.loc["Rotterdam"], placed.loc["'s-Gravenhage"]
    assert (first["side"], first["label_value"]) != (second["side"], second["label_value"])
    assert not first["shifted"] and placed.loc["Utrecht", "label_value"] == 10.0
    assert placed["side"].isin(["rechts", "links"]).all()
