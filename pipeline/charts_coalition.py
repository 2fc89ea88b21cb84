"""Charts of coalition progress (mart ``coalition_progress``) in the house style.

Two builders, both pure (mart-shaped frames in, an Altair chart with the house footer out):

- :func:`requirement_grid` — gemeenten of one region × checklist rows, each cell the gemeente's
  answer (colour *and* word, so it reads without colour), a bottom row with the region's share
  of 'ja', and gemeenten without an assessment marked as such.
- :func:`share_map` — the share of assessed gemeenten meeting a checklist row (default: all
  nine requirements) per GGD-regio (or provincie, or custom region) on a map of gemeenten;
  gemeenten without an assessment are hatched-light, regions without any assessment grey.

Neither ever shows a missing assessment or an empty answer as 'nee'. Use
:func:`coalition_footer` for the standard footer and :func:`pipeline.charts.save` to render.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Sequence
from functools import cache

import altair as alt
import pandas as pd

from pipeline.charts import Footer, with_footer  # importing pipeline.charts enables the theme
from pipeline.config import REFERENCE_DIR
from pipeline.geography import BOUNDARY_YEAR

BOUNDARIES_DIR = REFERENCE_DIR / "boundaries"
# status code in the mart → (label in charts, fill colour, text colour, cell text)
STATUS_STYLE = {
    "ja": ("ja", "#009E73", "white", "ja"),
    "deels": ("deels", "#E69F00", "black", "deels"),
    "nee": ("nee", "#D55E00", "white", "nee"),
    "onbekend": ("niet ingevuld", "#D9D9D9", "black", "?"),
    "geen_beoordeling": ("geen beoordeling", "#FFFFFF", "#777777", "–"),
}
SUMMARY_ROW = "Aandeel 'ja' (regio)"
GRID_KINDS = ("coalitie", "minimale_eis", "samenvatting")
MAP_OUTLINES = {"ggd_regio": "ggdregio", "provincie": "provincie"}
LEVEL_NAMES = {"ggd_regio": "GGD-regio", "provincie": "provincie", "regio": "eigen regio"}
METHOD_NOTE = (
    "Voldaan = 'ja'; 'deels' telt niet als voldaan. Aandelen onder de beoordeelde gemeenten "
    "die de vraag beantwoordden; een gemeente zonder beoordeling of een lege vraag telt nooit "
    "als 'nee'."
)


# --------------------------------------------------------------------------------------------
# helpers


def coalition_footer(info: dict, year: int | str, mode_label: str = "",
                     with_map: bool = False) -> Footer:
    """The standard footer of a coalition chart.

    Args:
        info: ``pipeline.marts.build_info()`` of the build.
        year: The assessment year shown.
        mode_label: ``pipeline.marts.mode_label(info)`` (the DEMO label in demo builds).
        with_map: Also credit the boundaries (for :func:`share_map`).
    """
    source = "zelfevaluatie lokale coalities Kansrijke Start (Toets minimale eisen)"
    return Footer(
        source=source + ("; kaart CBS/Kadaster (CC BY 4.0)" if with_map else ""),
        period=str(year),
        refreshed=str(info.get("refreshed_at", ""))[:10],
        method=METHOD_NOTE,
        mode_label=mode_label,
    )


def latest_assessment_year(progress: pd.DataFrame) -> int:
    """The most recent year with at least one assessment in the country.

    Raises:
        ValueError: the mart has no assessment at all.
    """
    nl = progress[(progress.area_code == "NL01") & (progress.n_assessed > 0)]
    if nl.empty:
        raise ValueError("coalition_progress holds no assessment")
    return int(nl.assessment_year.max())


def _pct(value: float | None) -> str:
    if value is None or pd.isna(value):
        return "–"
    return f"{value:.0f}%"


def _signed(value: float | None) -> str:
    if value is None or pd.isna(value):
        return "geen vorige meting"
    return f"{value:+.0f} procentpunt".replace("+", "+ ").replace("-", "− ")


@cache
def _topology(name: str) -> dict:
    path = BOUNDARIES_DIR / f"{name}_{BOUNDARY_YEAR}.topojson"
    return json.loads(path.read_text(encoding="utf-8"))


def topojson_data(name: str) -> alt.InlineData:
    """Bundled boundaries (``gemeente``, ``ggdregio``, ``provincie``) as inline TopoJSON."""
    feature = f"{name}_{BOUNDARY_YEAR}"
    return alt.InlineData(values=_topology(name),
                          format=alt.DataFormat(type="topojson", feature=feature))


# --------------------------------------------------------------------------------------------
# requirement × gemeente grid


def grid_frame(progress: pd.DataFrame, memberships: pd.DataFrame, region_code: str,
               year: int, kinds: Sequence[str] = GRID_KINDS) -> pd.DataFrame:
    """Cells of the grid: the region's gemeenten × checklist rows, plus the region's share row.

    Args:
        progress: The ``coalition_progress`` mart.
        memberships: The ``area_memberships`` mart.
        region_code: A region (``GG…``, ``PV…``, ``RG…``, ``NL01``) or a single gemeente.
        year: The assessment year.
        kinds: ``requirement_kind`` values to show as columns.

    Raises:
        ValueError: unknown region or year.
    """
    members = memberships.loc[memberships.area_code == region_code, "gemeente_code"]
    codes = set(members) or {region_code}
    rows = progress[(progress.assessment_year == year) & progress.requirement_kind.isin(kinds)]
    cells = rows[(rows.area_level == "gemeente") & rows.area_code.isin(codes)].copy()
    region = rows[rows.area_code == region_code]
    if cells.empty or region.empty:
        raise ValueError(f"no coalition_progress rows for area {region_code!r} in {year}")
    style = cells.status.map(STATUS_STYLE)
    cells["status_label"] = style.str[0]
    cells["text_colour"] = style.str[2]
    cells["cell_text"] = style.str[3]
    all_nine = cells.requirement_id == "alle_negen"
    met = cells.n_requirements_met.map(lambda n: "" if pd.isna(n) else f"{int(n)}/9")
    cells.loc[all_nine & cells.n_requirements_met.notna(), "cell_text"] = met
    not_assessed = cells.groupby("area_code").status.transform(
        lambda s: (s == "geen_beoordeling").all())
    cells["row_label"] = cells.area_name.where(~not_assessed,
                                               cells.area_name + " (geen beoordeling)")
    cells["row_order"] = cells.area_name.str.lower()
    summary = region.assign(
        status_label="regio", text_colour="black", cell_text=region.share_met_pct.map(_pct),
        row_label=SUMMARY_ROW, row_order="\uffff", remarks=None, assessment_date=None)
    summary["status"] = None
    summary["change_text"] = summary.change_pct_points.map(_signed)
    cells["change_text"] = None
    columns = ["area_code", "area_name", "row_label", "row_order", "requirement_id",
               "requirement_order", "requirement_short_label", "requirement_label", "status",
               "status_label", "text_colour", "cell_text", "remarks", "assessment_date",
               "n_assessed", "n_answered", "n_ja", "share_met_pct", "change_text"]
    out = pd.concat([cells[columns], summary[columns]], ignore_index=True)
    out["assessment_date"] = out.assessment_date.map(
        lambda d: "" if d is None or pd.isna(d) else pd.Timestamp(d).strftime("%d-%m-%Y"))
    out["remarks"] = out.remarks.fillna("")
    return out.sort_values(["row_order", "requirement_order"]).reset_index(drop=True)


def _grid_subtitle(region: pd.DataFrame) -> list[str]:
    row = region[region.requirement_id == "alle_negen"].iloc[0]
    lines = [f"{int(row.n_ja)} van de {int(row.n_answered)} beoordeelde gemeenten met een "
             f"volledig antwoord voldoen aan alle negen eisen ({_pct(row.share_met_pct)})."]
    if row.n_not_assessed:
        lines.append(f"{int(row.n_not_assessed)} van de {int(row.n_gemeenten)} gemeenten "
                     f"hebben geen beoordeling voor dit jaar; zij tellen niet als 'nee'.")
    return lines


def requirement_grid(progress: pd.DataFrame, memberships: pd.DataFrame, region_code: str,
                     footer: Footer, year: int | None = None,
                     kinds: Sequence[str] = GRID_KINDS) -> alt.VConcatChart:
    """Grid of checklist rows (columns) × the gemeenten of a region (rows) for one year.

    Each cell shows the gemeente's answer as colour and word ('ja', 'deels', 'nee', '?' for an
    empty answer, '–' without an assessment); the 'Alle negen eisen' column shows how many of
    the nine are met ('7/9'); the bottom row gives the region's share of 'ja' with the change
    since the previous assessment in the tooltip.

    Args:
        progress: The ``coalition_progress`` mart.
        memberships: The ``area_memberships`` mart.
        region_code: The region (e.g. ``GG3406``, ``PV27``, ``RG01``, ``NL01``).
        footer: The footer (see :func:`coalition_footer`).
        year: Assessment year; default the latest with assessments.
        kinds: Which ``requirement_kind`` columns to show (default coalition, the nine and
            'alle negen'; add ``"regionale_coordinatie"``, ``"interventie"`` for more).
    """
    year = latest_assessment_year(progress) if year is None else int(year)
    data = grid_frame(progress, memberships, region_code, year, kinds)
    region = progress[(progress.area_code == region_code) & (progress.assessment_year == year)]
    x = alt.X("requirement_short_label:N",
              sort=alt.EncodingSortField("requirement_order", order="ascending"),
              title=None, axis=alt.Axis(orient="top", labelAngle=-40, labelLimit=180))
    y = alt.Y("row_label:N", sort=alt.EncodingSortField("row_order", order="ascending"),
              title=None, axis=alt.Axis(labelLimit=260))
    domain = [s[0] for s in STATUS_STYLE.values()]
    tooltip = [alt.Tooltip("area_name:N", title="Gebied"),
               alt.Tooltip("requirement_label:N", title="Eis"),
               alt.Tooltip("status_label:N", title="Antwoord"),
               alt.Tooltip("cell_text:N", title="Waarde"),
               alt.Tooltip("remarks:N", title="Toelichting"),
               alt.Tooltip("assessment_date:N", title="Datum beoordeling"),
               alt.Tooltip("change_text:N", title="Verschil met vorige meting")]
    base = alt.Chart(data)
    cells = base.transform_filter("datum.status != null").mark_rect(
        stroke="#BBBBBB", strokeWidth=0.6).encode(
        x=x, y=y, tooltip=tooltip,
        color=alt.Color("status_label:N", title="Antwoord",
                        scale=alt.Scale(domain=domain,
                                        range=[s[1] for s in STATUS_STYLE.values()]),
                        legend=alt.Legend(orient="bottom", symbolType="square",
                                          symbolStrokeColor="#999999")))
    summary = base.transform_filter("datum.status == null").mark_rect(
        fill="#F2F2F2", stroke="#BBBBBB", strokeWidth=0.6).encode(x=x, y=y, tooltip=tooltip)
    text = base.mark_text(fontSize=10).encode(
        x=x, y=y, text="cell_text:N", color=alt.Color("text_colour:N", scale=None),
        tooltip=tooltip)
    n_rows = data.row_label.nunique()
    chart = alt.layer(cells, summary, text).properties(
        title=alt.TitleParams(
            f"Minimale eisen lokale coalitie Kansrijke Start — "
            f"{region.area_name.iloc[0]}, {year}",
            subtitle=_grid_subtitle(region)),
        width=46 * data.requirement_id.nunique(), height=18 * n_rows)
    return with_footer(chart, footer)


# --------------------------------------------------------------------------------------------
# map of the share per region


def map_frame(progress: pd.DataFrame, memberships: pd.DataFrame, level: str,
              requirement_id: str, year: int) -> pd.DataFrame:
    """One row per current gemeente: its region's share and its own status (lookup table).

    Gemeenten outside every region of ``level`` (possible for custom regions) get no region.
    """
    rows = progress[(progress.assessment_year == year)
                    & (progress.requirement_id == requirement_id)]
    gemeenten = rows[rows.area_level == "gemeente"][["area_code", "area_name", "status"]]
    regions = rows[rows.area_level == level][
        ["area_code", "area_name", "share_met_pct", "n_ja", "n_answered", "n_assessed",
         "n_gemeenten", "n_not_assessed", "change_pct_points"]]
    links = memberships.loc[memberships.area_level == level, ["area_code", "gemeente_code"]]
    if regions.empty:
        raise ValueError(f"no coalition_progress rows at level {level!r} for "
                         f"{requirement_id!r} in {year}")
    out = (gemeenten.rename(columns={"area_code": "statcode", "area_name": "gemeente"})
           .merge(links.rename(columns={"gemeente_code": "statcode"}), on="statcode",
                  how="left")
           .merge(regions.rename(columns={"area_name": "regio"}), on="area_code", how="left"))
    out["status_label"] = out.status.map(lambda s: STATUS_STYLE[s][0])
    out["has_assessment"] = out.status != "geen_beoordeling"
    out["share_text"] = out.share_met_pct.map(_pct)
    out["counts_text"] = [
        "" if pd.isna(n) else f"{int(j)} van {int(a)} beoordeelde gemeenten "
                              f"({int(g) - int(s)} van {int(g)} beoordeeld)"
        for j, a, n, g, s in zip(out.n_ja, out.n_answered, out.n_assessed, out.n_gemeenten,
                                 out.n_not_assessed, strict=True)]
    out["change_text"] = out.change_pct_points.map(_signed)
    return out.drop(columns=["n_ja", "n_answered", "n_assessed", "n_gemeenten",
                             "n_not_assessed", "change_pct_points"])


def _map_layers(shapes: alt.Chart, lookup: pd.DataFrame, tooltip: list,
                level: str) -> list[alt.Chart]:
    """Fills (outside any region, region without answers, share, not assessed) and outlines."""
    empty_label = "geen beoordeling in de regio"
    outside = shapes.transform_filter("!isValid(datum.area_code)").mark_geoshape(
        fill="#F4F4F4", stroke="white", strokeWidth=0.3).encode(tooltip=tooltip[:1])
    base = shapes.transform_filter(
        "isValid(datum.area_code) && !isValid(datum.share_met_pct)").transform_calculate(
        klasse=f"'{empty_label}'").mark_geoshape(stroke="white", strokeWidth=0.3).encode(
        color=alt.Color("klasse:N", scale=alt.Scale(domain=[empty_label], range=["#CFCFCF"]),
                        legend=alt.Legend(title=None, orient="right", symbolType="square")),
        tooltip=tooltip)
    filled = shapes.transform_filter("isValid(datum.share_met_pct)").mark_geoshape(
        stroke="white", strokeWidth=0.3).encode(
        color=alt.Color("share_met_pct:Q",
                        scale=alt.Scale(type="quantize", domain=[0, 100], nice=False,
                                        scheme={"name": "greens", "extent": [0.15, 0.95],
                                                "count": 5}),
                        legend=alt.Legend(title="Aandeel 'ja' (%)", orient="right",
                                          format=".0f", symbolType="square")),
        tooltip=tooltip)
    missing_label = "gemeente zonder beoordeling"
    not_assessed = shapes.transform_filter(
        "datum.has_assessment == false && isValid(datum.area_code)").transform_calculate(
        zonder=f"'{missing_label}'").mark_geoshape(
        fillOpacity=0.6, stroke="#555555", strokeWidth=0.6, strokeDash=[2, 2]).encode(
        color=alt.Color("zonder:N", scale=alt.Scale(domain=[missing_label], range=["white"]),
                        legend=alt.Legend(title=None, orient="right", symbolType="square",
                                          symbolStrokeColor="#555555")),
        tooltip=tooltip)
    no_region_answer = lookup.area_code.notna() & lookup.share_met_pct.isna()
    layers = [outside, *([base] if no_region_answer.any() else []), filled, not_assessed]
    if level in MAP_OUTLINES:
        layers.append(alt.Chart(topojson_data(MAP_OUTLINES[level])).mark_geoshape(
            filled=False, stroke="#303030", strokeWidth=1.0))
    return layers


def share_map(progress: pd.DataFrame, memberships: pd.DataFrame, footer: Footer,
              level: str = "ggd_regio", requirement_id: str = "alle_negen",
              year: int | None = None, width: int = 420, height: int = 480) -> alt.VConcatChart:
    """Map of the share of assessed gemeenten meeting a checklist row, per region.

    Every gemeente is filled with its region's share (``ggd_regio``, ``provincie`` or custom
    ``regio``) in five classes of 0–100%; region outlines are drawn from the bundled GGD-regio
    or provincie boundaries. Gemeenten without an assessment are drawn lighter with a dashed
    outline ("geen beoordeling"), regions without any answer grey ("geen beoordeling in de
    regio"); neither counts as 'nee'.

    Args:
        progress: The ``coalition_progress`` mart.
        memberships: The ``area_memberships`` mart.
        footer: The footer (see :func:`coalition_footer`).
        level: ``ggd_regio`` (default), ``provincie`` or ``regio``.
        requirement_id: The checklist row (default ``alle_negen``).
        year: Assessment year; default the latest with assessments.
        width: Map width in pixels.
        height: Map height in pixels.
    """
    year = latest_assessment_year(progress) if year is None else int(year)
    lookup = map_frame(progress, memberships, level, requirement_id, year)
    label = progress.loc[progress.requirement_id == requirement_id,
                         "requirement_label"].iloc[0]
    fields = [c for c in lookup.columns if c != "statcode"]
    tooltip = [alt.Tooltip("properties.statnaam:N", title="Gemeente"),
               alt.Tooltip("status_label:N", title="Antwoord gemeente"),
               alt.Tooltip("regio:N", title=LEVEL_NAMES.get(level, level).capitalize()),
               alt.Tooltip("share_text:N", title="Aandeel 'ja' in de regio"),
               alt.Tooltip("counts_text:N", title="Telling"),
               alt.Tooltip("change_text:N", title="Verschil met vorige meting")]
    shapes = alt.Chart(topojson_data("gemeente")).transform_lookup(
        lookup="properties.statcode", from_=alt.LookupData(lookup, "statcode", fields))
    layers = _map_layers(shapes, lookup, tooltip, level)
    subtitle = [*textwrap.wrap(f"{label} ({year}): aandeel onder de beoordeelde gemeenten "
                               f"per {LEVEL_NAMES.get(level, level)}.", 80),
                "Gemeenten zonder beoordeling zijn licht en gestippeld; zij tellen niet als "
                "'nee'."]
    chart = (alt.layer(*layers).resolve_scale(color="independent").project(type="mercator")
             .properties(title=alt.TitleParams(
                 f"Lokale coalities Kansrijke Start per {LEVEL_NAMES.get(level, level)}",
                 subtitle=subtitle), width=width, height=height))
    return with_footer(chart, footer)

