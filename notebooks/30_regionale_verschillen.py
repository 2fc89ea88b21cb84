# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Regionale verschillen: waar wijken gemeenten echt af?
#
# **Wat deze notebook beantwoordt:** hoe een uitkomst over de gemeenten verdeeld is (kaart),
# welke gemeenten significant verschillen van Nederland en van hun eigen GGD-regio (kaart,
# trechterdiagram, tabellen), hoe groot de spreiding binnen elke regio is, wat samengevoegde
# jaren (gepoolde perioden) opleveren voor kleine gemeenten, en hoe de uitkomst samenhangt met
# de context (bij voorkeur kinderen in huishoudens met een laag inkomen).
#
# **Gegevens:** de marts `indicator_values` (jaarcijfers en gepoolde perioden, met 95%- en
# 99,8%-intervallen), `indicator_comparisons` (vergelijking met Nederland en met de eigen
# GGD-regio), `indicator_funnels` en `indicator_funnel_limits` (trechterdiagram), `indicators`
# en `areas`. De notebook leest alleen marts. Modus, verversdatum en perioden staan hieronder.

# %% tags=["parameters"]
indicator = "big2"
ggd_regio = "GG2514"  # regio om in te zoomen (GG2514 = GGD Regio Utrecht)
jaar = None  # None = het laatste jaar met een landelijke waarde
pool_jaren = 3  # lengte van de gepoolde periode voor kleine gemeenten (3 of 5)
context = None  # None = kinderen_laag_inkomen als die er is, anders een andere contextindicator
betrouwbaarheid = 0.998  # alle gemeenten tegelijk vergelijken: 99,8% (METHODS.md)

# %%
import pandas as pd
from IPython.display import Markdown, display

from pipeline import charts, marts, notebook_kit

# SVG in the notebook; save(chart, name) writes a PNG to exports/notebooks
save = notebook_kit.start("30_regionale_verschillen")

build = marts.build_dir()
info = marts.build_info()
available = marts.available(build)
values = marts.read("indicator_values")
catalogue = marts.read("indicators").set_index("indicator_id")
areas = marts.read("areas").set_index("area_code")
comparisons = marts.read_optional("indicator_comparisons")
has_funnels = {"indicator_funnels", "indicator_funnel_limits"} <= available

entry = catalogue.loc[indicator]
unit, polarity, source = entry["unit"], entry["polarity"], entry["source_id"]
year = jaar or charts.latest_year(values, indicator)
level = charts.level_label(betrouwbaarheid)


def rows_for(indicator_id: str, start: int, end: int) -> pd.DataFrame:
    """All areas for one indicator and period."""
    return values[
        (values["indicator_id"] == indicator_id)
        & (values["period_start_year"] == start)
        & (values["period_end_year"] == end)
    ]


def latest_pooled(indicator_id: str, length: int) -> tuple[int, int] | None:
    """The most recent pooled period of ``length`` years with a value (NL preferred)."""
    rows = values[
        (values["indicator_id"] == indicator_id)
        & (values["period_end_year"] - values["period_start_year"] + 1 == length)
        & (values["status"] == "ok")
    ]
    own = rows[rows["area_code"] == "NL01"]
    rows = own if len(own) else rows
    if rows.empty:
        return None
    end = int(rows["period_end_year"].max())
    return end - length + 1, end


pooled = latest_pooled(indicator, pool_jaren)
pooled_label = f"{pooled[0]}–{pooled[1]}" if pooled else "geen"
used = ["indicator_values", "indicators", "areas"]
used += ["indicator_comparisons"] if comparisons is not None else []
used += ["indicator_funnels", "indicator_funnel_limits"] if has_funnels else []
banner = charts.notebook_banner(
    info, used, f"{entry['title']}: {year} (jaarcijfer) en {pooled_label} (gepoold)"
)
display(Markdown(banner))
missing = [m for m in ("indicator_comparisons", "indicator_funnels") if m not in available]
if missing:
    display(
        Markdown(
            f"*Nog niet in deze build: {', '.join(f'`{m}`' for m in missing)}. Wat daarop "
            "steunt (vergelijkingen, trechterdiagram) wordt hieronder overgeslagen of als "
            "'niet te beoordelen' getoond.*"
        )
    )

# %% [markdown]
# ## 1. De waarden op de kaart
#
# Vijf klassen met elk ongeveer evenveel gemeenten. Een kaart van waarden laat zien waar het
# hoog en laag is, maar niet of een verschil meer is dan toeval: kleine gemeenten vallen door
# hun brede intervallen vaak in de uiterste klassen. Daarvoor is de volgende kaart.

# %%
single = rows_for(indicator, year, year)
gemeenten = single[single["area_level"] == "gemeente"]
chart = charts.choropleth(
    gemeenten,
    title=f"{entry['title']} per gemeente, {year}",
    unit=unit,
    footer=charts.indicator_footer(
        source,
        str(year),
        info,
        "map",
        what="waarde in 5 klassen met elk ongeveer evenveel gemeenten",
    ),
)
save(chart, f"kaart_waarde_{indicator}_{year}")
chart

# %% [markdown]
# ## 2. Significant anders dan Nederland — met gepoolde jaren voor kleine gemeenten
#
# Door jaren samen te nemen (tellers en noemers opgeteld) krijgen kleine gemeenten een waarde
# die anders onderdrukt zou zijn, en smallere intervallen. De kaart kleurt naar de vergelijking
# met Nederland op 99,8%.

# %%
if pooled is None:
    display(Markdown(f"*Geen gepoolde periode van {pool_jaren} jaar; de kaart gebruikt {year}.*"))
    map_period, map_label = (year, year), str(year)
else:
    map_period, map_label = pooled, pooled_label
period_rows = rows_for(indicator, *map_period)
pooled_gemeenten = charts.attach_significance(
    period_rows[period_rows["area_level"] == "gemeente"], comparisons, "nederland", betrouwbaarheid
)
n_single = int((gemeenten["status"] == "ok").sum())
n_pooled = int((pooled_gemeenten["status"] == "ok").sum())
display(
    Markdown(f"Gemeenten met een waarde: **{n_single}** in {year}, **{n_pooled}** in {map_label}.")
)
chart = charts.choropleth(
    pooled_gemeenten,
    title=f"{entry['title']} {map_label}: vergeleken met Nederland",
    unit=unit,
    footer=charts.indicator_footer(
        source, map_label, info, "map", what=f"vergeleken met Nederland ({level})"
    ),
    colour_by="significance",
    polarity=polarity,
    legend_title=f"Vergeleken met Nederland ({level})",
)
save(chart, f"kaart_significantie_{indicator}_{map_label}")
chart

# %% [markdown]
# ## 3. Trechterdiagram
#
# Elke stip is een gemeente; horizontaal de noemer (hoe groter, hoe preciezer), verticaal de
# waarde. Binnen de trechter is een afwijking van het landelijke niveau te verwachten door
# toeval. Gemeentelijke perinatale cijfers variëren vaak meer dan toeval alleen verklaart
# (overdispersie, φ > 1); dan zijn de grenzen verbreed en staan de ongecorrigeerde grenzen er
# lichtgrijs bij. Gemeenten buiten de 99,8%-grens hebben een naam.


# %%
def draw_funnel(benchmark_code: str, scope: str, stem: str) -> None:
    """The funnel plot of the gemeenten compared with one benchmark (NL or a GGD-regio)."""
    if not has_funnels:
        display(Markdown("*Het trechterdiagram volgt zodra `indicator_funnels` in de build zit.*"))
        return
    period_keys = {"indicator_id": indicator, "period_start_year": year, "period_end_year": year}

    def pick(frame: pd.DataFrame) -> pd.DataFrame:
        mask = (frame[list(period_keys)] == pd.Series(period_keys)).all(axis=1)
        return frame[mask & (frame["benchmark_code"] == benchmark_code)]

    points, grid = (
        pick(marts.read("indicator_funnels")),
        pick(marts.read("indicator_funnel_limits")),
    )
    if points.empty or grid.empty:
        display(Markdown(f"*Geen trechterdiagram voor {entry['title']} in {year} ({scope}).*"))
        return
    chart = charts.funnel_plot(
        points,
        grid,
        title=f"{entry['title']}: {scope}, {year}",
        unit=unit,
        footer=charts.indicator_footer(source, str(year), info, "funnel"),
        polarity=polarity,
    )
    save(chart, f"trechter_{stem}_{year}")
    display(chart)


draw_funnel("NL01", "alle gemeenten", indicator)


# %% [markdown]
# ## 4. Welke gemeenten verschillen significant — van Nederland en van hun eigen regio?
#
# Op 99,8%, voor dezelfde periode als de kaart. Een gemeente wordt met haar eigen regio
# vergeleken, ook al telt zij zelf mee in die regio (zoals in de Britse profielen); bij een
# grote gemeente in een kleine regio maakt dat het verschil kleiner.


# %%
def differing(benchmark: str) -> pd.DataFrame:
    """The gemeenten that differ significantly from the benchmark, with value and interval."""
    rows = charts.attach_significance(
        period_rows[period_rows["area_level"] == "gemeente"],
        comparisons,
        benchmark,
        betrouwbaarheid,
    )
    rows = rows[rows["significance"].isin(["beter", "slechter", "hoger", "lager"])]
    lo, hi = charts.CI_COLUMNS[betrouwbaarheid]
    return (
        pd.DataFrame(
            {
                "Gemeente": rows["area_name"],
                "GGD-regio": rows["area_code"].map(areas["ggd_regio_name"]),
                "Waarde": rows["value"].map(lambda v: charts.format_value(v, unit)),
                f"Interval ({level})": [
                    f"{charts.format_number(a)}–{charts.format_number(b)}"
                    for a, b in zip(rows[lo], rows[hi], strict=True)
                ],
                "Vergelijkingswaarde": rows["benchmark_value"].map(
                    lambda v: charts.format_value(v, unit)
                ),
                "Oordeel": rows["significance"],
            }
        )
        .sort_values(["Oordeel", "Gemeente"])
        .set_index("Gemeente")
    )


for benchmark, label in (("nederland", "Nederland"), ("ggd_regio", "de eigen GGD-regio")):
    if comparisons is None:
        display(Markdown("*Niet te bepalen: `indicator_comparisons` zit nog niet in de build.*"))
        break
    table = differing(benchmark)
    display(Markdown(f"### Anders dan {label} ({map_label}): {len(table)} gemeenten"))
    if len(table):
        display(table)

# %% [markdown]
# ## 5. Spreiding binnen de GGD-regio's
#
# Per regio een stip per gemeente (het jaarcijfer van hierboven), gekleurd naar de
# vergelijking met de eigen regio op 99,8%, en een zwart streepje voor de regio zelf. Zo is te
# zien in welke regio's de gemeenten ver uiteen lopen en of dat meer is dan toeval.

# %%
spread = charts.attach_significance(gemeenten, comparisons, "ggd_regio", betrouwbaarheid)
spread["ggd_regio_name"] = spread["area_code"].map(areas["ggd_regio_name"])
nl_value = single.loc[single["area_code"] == "NL01", "value"]
chart = charts.region_spread(
    spread,
    single[single["area_level"] == "ggd_regio"],
    title=f"{entry['title']}: spreiding binnen de GGD-regio's, {year}",
    unit=unit,
    footer=charts.indicator_footer(source, str(year), info, "spread", level=level),
    nl_value=float(nl_value.iloc[0]) if len(nl_value) else None,
    polarity=polarity,
    confidence=betrouwbaarheid,
    highlight=areas.loc[ggd_regio, "area_name"],
)
save(chart, f"spreiding_{indicator}_{year}")
chart

# %% [markdown]
# ## 6. Inzoomen op één regio: jaarcijfer of gepoolde periode
#
# De gemeenten van de gekozen regio over de gepoolde periode, met het 95%-interval en gekleurd
# naar de vergelijking met Nederland (95%: hier wordt één regio bekeken). Als de build
# gemodelleerde waarden bevat (empirisch Bayes, naar het regiogemiddelde getrokken), staat die
# als ruitje naast de gemeten waarde; een gemodelleerde waarde vult nooit een onderdrukte cel.

# %%
members = areas.index[areas["ggd_regio_code"] == ggd_regio]
region_name = areas.loc[ggd_regio, "area_name"]
zoom = charts.attach_significance(
    period_rows[period_rows["area_code"].isin(members)], comparisons, "nederland", 0.95
)
benchmarks = {
    "Nederland": period_rows.loc[period_rows["area_code"] == "NL01", "value"],
    region_name: period_rows.loc[period_rows["area_code"] == ggd_regio, "value"],
}
chart = charts.compare_areas_bar(
    zoom,
    title=f"{entry['title']}: gemeenten van {region_name}, {map_label}",
    unit=unit,
    footer=charts.indicator_footer(
        source, map_label, info, "bar", level="95%", ci="Wilson", benchmark="Nederland"
    ),
    benchmarks={k: float(v.iloc[0]) for k, v in benchmarks.items() if len(v)},
    polarity=polarity,
)
save(chart, f"regio_{indicator}_{ggd_regio}_{map_label}")
chart

# %% [markdown]
# Dezelfde gemeenten in een trechter rond de waarde van hun eigen regio (jaarcijfer): wie valt
# binnen de regio buiten de grenzen?

# %%
draw_funnel(ggd_regio, f"gemeenten van {region_name}", f"{indicator}_{ggd_regio}")

# %% [markdown]
# ## 7. Uitkomst en context
#
# Hangt de uitkomst samen met de sociaaleconomische context van de gemeente? Elke stip is een
# gemeente; de lijn is een lineaire regressie, gewogen naar de noemer van de uitkomst. Een
# verband zegt niets over oorzaak, en gemeenten zonder beide waarden ontbreken.

# %%
present = set(values["indicator_id"])
context_id = context or next(
    (
        c
        for c in ("kinderen_laag_inkomen", "meervoudige_kwetsbaarheid")
        if c in present and c != indicator
    ),
    None,
)
if context_id is None:
    display(Markdown("*Geen contextindicator in deze build.*"))
else:
    context_entry = catalogue.loc[context_id]
    context_rows = values[
        (values["indicator_id"] == context_id)
        & (values["area_level"] == "gemeente")
        & (values["status"] == "ok")
    ]
    last = context_rows.sort_values(["period_end_year", "period_start_year"]).iloc[-1]
    context_period = (int(last["period_start_year"]), int(last["period_end_year"]))
    outcome_year = min(context_period[1], year)
    x = rows_for(context_id, *context_period)
    y = rows_for(indicator, outcome_year, outcome_year)
    pairs = (
        x[x["area_level"] == "gemeente"][["area_code", "area_name", "value", "status"]]
        .rename(columns={"value": "x", "status": "x_status"})
        .merge(
            y[["area_code", "value", "status", "denominator"]].rename(
                columns={"value": "y", "status": "y_status", "denominator": "weight"}
            ),
            on="area_code",
        )
    )
    if context_id != "kinderen_laag_inkomen":
        display(
            Markdown(
                "*De CBS-indicator kinderen in huishoudens met een laag inkomen zit nog niet in "
                f"deze build; als context dient nu: {context_entry['title']}.*"
            )
        )
    chart = charts.context_scatter(
        pairs,
        title=f"{entry['title']} ({outcome_year}) en {context_entry['title'].lower()}",
        x_title=charts.axis_title(context_entry["unit"], context_entry["title"]),
        y_title=charts.axis_title(unit, entry["title"]),
        footer=charts.indicator_footer(
            [source, context_entry["source_id"]],
            f"{outcome_year} (uitkomst), {last['period_label']} (context)",
            info,
            "scatter",
        ),
        x_unit=context_entry["unit"],
        y_unit=unit,
    )
    save(chart, f"context_{indicator}_{context_id}")
    display(chart)

# %% [markdown]
# ## Hoe lees je dit?
#
# - **Intervallen.** Elke waarde is een schatting met een betrouwbaarheidsinterval (Wilson).
#   Kleine gemeenten hebben brede intervallen: hun extreme waarden op de kaart zijn vaak toeval.
# - **99,8% of 95%.** Wie alle 342 gemeenten tegelijk vergelijkt, vindt bij 95% zo'n 17
#   "afwijkers" door toeval alleen. Kaarten, tabellen en het trechterdiagram gebruiken daarom
#   99,8%; de staafgrafiek van één regio 95%.
# - **Trechter en overdispersie.** Punten buiten de 99,8%-grens wijken meer af dan toeval bij
#   die aantallen verklaart. Bij overdispersie zijn de grenzen verbreed, zodat niet elke
#   grote gemeente als afwijkend geldt.
# - **Gepoolde perioden.** Meerdere jaren samen geven kleine gemeenten een (preciezere)
#   waarde; het is een gemiddelde over die jaren, geen jaarcijfer.
# - **Onderdrukt.** Minder dan 10 in teller, niet-teller of noemer: niet getoond (wit op de
#   kaart, niet getekend in grafieken, meegeteld in de tekst), en nooit als 0.
# - **Demo.** In de demomodus zijn de cijfers synthetisch; trek er geen conclusies uit.
