"""Unit tests of the factsheet building blocks: glyphs, SVG, display rules, periods, CSVs."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import vl_convert

from pipeline import factsheet_csv, factsheet_data, factsheet_glyphs, factsheet_svg
from pipeline.factsheet import nice_ticks
from pipeline.factsheet_text import Notes, display_value, dutch_date, short_publisher

# --------------------------------------------------------------------------------------------
# glyph outlines
# --------------------------------------------------------------------------------------------


def test_the_house_font_is_read_from_its_truetype_file() -> None:
    face = factsheet_glyphs.font(False)
    bold = factsheet_glyphs.font(True)
    assert face is not None and bold is not None, "DejaVu Sans not installed (fonts-dejavu)"
    assert face.units_per_em == 2048
    assert face.glyph_id("A") != face.glyph_id("B") != 0
    # bold is wider than regular; digits share one advance (tabular figures)
    assert bold.width("Kansrijke Start", 10) > face.width("Kansrijke Start", 10)
    assert len({face.advance(face.glyph_id(d)) for d in "0123456789"}) == 1


def test_outlines_of_simple_and_composite_glyphs() -> None:
    face = factsheet_glyphs.font(False)
    o = factsheet_glyphs.contours(face, face.glyph_id("o"))
    assert len(o) == 2  # outer and inner ring
    e_acute = factsheet_glyphs.contours(face, face.glyph_id("é"))
    e_plain = factsheet_glyphs.contours(face, face.glyph_id("e"))
    assert len(e_acute) == len(e_plain) + 1  # composite: the e plus the accent
    path = factsheet_glyphs.outline_path(face, face.glyph_id("o"))
    assert path.count("M") == 2 and path.count("Z") == 2 and "Q" in path


def test_text_as_outlines_renders_like_real_text() -> None:
    """The same words drawn as <text> and as glyph outlines ink about the same pixels."""
    words = "Schiermonnikoog 2024: 9,4%"
    as_text = factsheet_svg.document(
        300, 30, f'<text x="4" y="20" font-size="16" fill="#000">{words}</text>')
    as_glyphs = factsheet_svg.document(300, 30, factsheet_svg.text(4, 20, words, 16,
                                                                   fill="#000"))
    assert 'aria-label="Schiermonnikoog 2024: 9,4%"' in as_glyphs

    def ink(svg: str) -> int:
        pdf_free = vl_convert.svg_to_png(svg)
        return len(pdf_free)

    sizes = ink(as_text), ink(as_glyphs)
    assert abs(sizes[0] - sizes[1]) / sizes[0] < 0.25


def test_anchor_end_puts_the_text_left_of_x() -> None:
    face = factsheet_glyphs.font(False)
    group = factsheet_svg.text(100, 10, "12,5", 10, anchor="end")
    left = float(re.search(r"translate\(([\d.]+),", group).group(1))
    assert left == pytest.approx(100 - face.width("12,5", 10), abs=0.1)


# --------------------------------------------------------------------------------------------
# SVG composition
# --------------------------------------------------------------------------------------------


def test_wrap_keeps_every_line_within_the_width() -> None:
    sentence = "Onderdrukt: minder dan 10 in teller, niet-teller of noemer; nooit als 0. " * 4
    lines = factsheet_svg.wrap(sentence.strip(), 200, 9)
    assert len(lines) > 3
    assert all(factsheet_svg.text_width(line, 9) <= 200 for line in lines)
    assert " ".join(lines) == sentence.strip()


def test_embedding_prefixes_every_id_and_reference() -> None:
    inner = ('<defs><clipPath id="c1"><rect width="5" height="5"/></clipPath></defs>'
             '<g clip-path="url(#c1)"><use href="#gl-12" x="0"/></g>')
    doc = f'<svg xmlns="http://www.w3.org/2000/svg" width="50" height="20">{inner}</svg>'
    embedded = factsheet_svg.embed(doc, "trend")
    assert 'id="trend-c1"' in embedded.inner and "url(#trend-c1)" in embedded.inner
    assert 'href="#trend-gl-12"' in embedded.inner
    placed, height = embedded.place(10, 10, 100)
    assert height == pytest.approx(40)
    assert 'viewBox="0 0 50 20"' in placed


def test_a_document_defines_exactly_the_glyphs_it_uses() -> None:
    body = factsheet_svg.text(0, 10, "aab", 10) + factsheet_svg.text(0, 20, "b", 10,
                                                                     weight="bold")
    doc = factsheet_svg.document(40, 30, body)
    defined = set(re.findall(r'<path id="(g[lb]-\d+)"', doc))
    used = set(re.findall(r'href="#(g[lb]-\d+)"', doc))
    assert defined == used and len(used) == 3
    png = vl_convert.svg_to_png(doc)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


# --------------------------------------------------------------------------------------------
# What a cell says
# --------------------------------------------------------------------------------------------


def test_suppressed_cells_read_less_than_ten_or_a_dash_never_zero() -> None:
    assert display_value(1234.0, "ok", None, "aantal") == "1.234"
    assert display_value(7.25, "ok", None, "%") == "7,3" or display_value(
        7.25, "ok", None, "%") == "7,2"
    assert display_value(0.0, "suppressed", "onderdrukt in de bron (<10)", "%") == "< 10"
    assert display_value(0.0, "suppressed", "onderdrukt in de bron (.)", "%") == "–"
    assert display_value(np.nan, "missing", "niet geleverd door de bron", "%") == "–"
    assert display_value(3.0, "not_harmonisable", "gesplitst", "%") == "–"


def test_notes_number_each_reason_once() -> None:
    notes = Notes([])
    first = notes.mark("onderdrukt in de bron (.)")
    assert notes.mark("onderdrukt in de bron (.)") == first == "¹"
    second = notes.mark("secundaire onderdrukking: anders is de onderdrukte waarde van GM0001 "
                        "2020 terug te rekenen uit GG0001 2020 min gepubliceerde delen")
    assert second == "²"
    assert "GM0001" not in notes.lines()[1]  # secondary suppression in general terms
    assert notes.lines()[0] == "¹ onderdrukt in de bron (.)"


def test_small_helpers() -> None:
    assert dutch_date("2026-11-24") == "24-11-2026"
    assert short_publisher("Centraal Bureau voor de Statistiek (CBS)") == "CBS"
    assert short_publisher("Perined (via waarstaatjegemeente.nl, perinatale atlas)") == "Perined"
    ticks = nice_ticks(11.3, 17.8)
    assert ticks[0] <= 11.3 and ticks[-1] >= 17.8 and 4 <= len(ticks) <= 7
    assert len({round(b - a, 6) for a, b in zip(ticks, ticks[1:], strict=False)}) == 1


# --------------------------------------------------------------------------------------------
# Which period a profile shows
# --------------------------------------------------------------------------------------------


def row(area: str, start: int, end: int, status: str = "ok", value: float = 5.0) -> dict:
    return {"indicator_id": "big2", "area_code": area, "period_start_year": start,
            "period_end_year": end, "status": status, "value": value if status == "ok"
            else np.nan}


def test_reference_period_is_the_latest_national_single_year() -> None:
    values = pd.DataFrame([row("NL01", 2023, 2023), row("NL01", 2024, 2024),
                           row("NL01", 2022, 2024), row("GM0001", 2025, 2025)])
    ref = factsheet_data.reference_periods(values)
    assert ref.to_dict("records") == [{"indicator_id": "big2", "period_start_year": 2024,
                                       "period_end_year": 2024}]


def test_a_suppressed_year_falls_back_to_the_latest_pooled_period_with_a_value() -> None:
    values = pd.DataFrame([
        row("NL01", 2024, 2024), row("GM0001", 2024, 2024, "suppressed"),
        row("GM0001", 2020, 2024), row("GM0001", 2022, 2024),
        row("GM0002", 2024, 2024), row("GM0003", 2024, 2024, "suppressed"),
        row("GM0003", 2022, 2024, "suppressed"),
    ])
    refs = factsheet_data.reference_periods(values)
    chosen = factsheet_data.chosen_periods(values, refs).set_index("area_code")
    assert tuple(chosen.loc["GM0001", ["period_start_year", "period_end_year"]]) == (2022, 2024)
    assert chosen.loc["GM0001", "is_fallback"]
    assert tuple(chosen.loc["GM0002", ["period_start_year", "period_end_year"]]) == (2024, 2024)
    # nothing pooled with a value: the reference period stays (shown as suppressed)
    assert tuple(chosen.loc["GM0003", ["period_start_year", "period_end_year"]]) == (2024, 2024)
    plain = factsheet_data.chosen_periods(values, refs, pooled_if_suppressed=False)
    assert (plain["period_end_year"] == 2024).all() and (plain["period_start_year"] == 2024).all()


# --------------------------------------------------------------------------------------------
# CSVs
# --------------------------------------------------------------------------------------------


def test_both_csv_variants_carry_the_same_figures(tmp_path: Path) -> None:
    frame = pd.DataFrame({
        "indicator_id": ["big2", "big2"], "area_code": ["GM0001", "GM0002"],
        "period_label": ["2024", "2024"], "value": [7.25, np.nan], "numerator": [29.0, np.nan],
        "denominator": [400.0, np.nan], "status": ["ok", "suppressed"],
        "status_reason": [None, "onderdrukt in de bron (<10)"], "display": ["7,3", "< 10"],
        "is_demo": [True, True],
    })
    tidy, excel = factsheet_csv.write(frame, tmp_path / "grafiek")
    raw = excel.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and not tidy.read_bytes().startswith(b"\xef\xbb\xbf")
    header = raw.decode("utf-8-sig").splitlines()[0]
    assert header.split(";")[:3] == ["indicator", "gebiedscode", "periode"]
    assert "7,25" in raw.decode("utf-8-sig") and "onderdrukt" in raw.decode("utf-8-sig")
    back = pd.read_csv(excel, sep=";", decimal=",", encoding="utf-8-sig")
    assert back["waarde"].iloc[0] == 7.25 and pd.isna(back["teller"].iloc[1])
    assert back["demo"].tolist() == ["ja", "ja"]
    again = pd.read_csv(tidy)
    assert again["value"].iloc[0] == 7.25 and pd.isna(again["numerator"].iloc[1])
    assert again["display"].iloc[1] == "< 10"
