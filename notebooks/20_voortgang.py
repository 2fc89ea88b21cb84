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
# # Voortgang: wat is er veranderd sinds de start van Kansrijke Start?
#
# **Wat deze notebook beantwoordt:** hoe de indicatoren zich sinds de start van het programma
# (2018) hebben ontwikkeld — in Nederland, in elke GGD-regio en in een gekozen gemeente — en
# welke veranderingen echt zijn (een significante trend) en welke binnen de toevalsschommelingen
# vallen.
#
# **Gegevens:** de marts `indicator_values` (jaarcijfers met 95%-intervallen), `indicator_trends`
# (trendtoets per gebied en indicator), `indicators` en `areas`. De notebook leest alleen marts.
# Modus, verversdatum en gegevensperiode staan direct hieronder.

# %% tags=["parameters"]
gemeente = "GM0307"  # GM0307 = Amersfoort
indicator = "big2"  # de indicator van de trendgrafieken
startjaar = 2018  # start van het actieprogramma Kansrijke Start
drempel = 1.0  # "grote" verandering in procentpunten voor de vergelijking met de trendtoets

# %%
import pandas as pd
from IPython.display import Markdown, display

from pipeline import charts, marts, notebook_kit

# SVG in the notebook; save(chart, name) writes a PNG to exports/notebooks
save = notebook_kit.start("20_voortgang")

build = marts.build_dir()
info = marts.build_info()
available = marts.available(build)
values = charts.single_years(marts.read("indicator_values"))
catalogue = marts.read("indicators").set_index("indicator_id")
areas = marts.read("areas").set_index("area_code")
trends = marts.read_optional("indicator_trends")

entry = catalogue.loc[indicator]
region = areas.loc[gemeente, "ggd_regio_code"]
series = values[values["indicator_id"] == indicator]
years = series.loc[series["status"] == "ok", "period_end_year"]
period = f"{years.min()}–{years.max()} (jaarcijfers); programmastart {startjaar}"
used = ["indicator_values", "indicators", "areas"]
used += ["indicator_trends"] if trends is not None else []
display(Markdown(charts.notebook_banner(info, used, period)))
if trends is None:
    display(
        Markdown(
            "*De mart `indicator_trends` zit nog niet in deze build: de trendtoets kan hieronder "
            "niet worden getoond; de grafieken tonen alleen de jaarcijfers met hun intervallen.*"
        )
    )


# %%
def verdict_of(area_code: str, indicator_id: str) -> pd.Series | None:
    """The trend test of one area and indicator, if the mart has it."""
    if trends is None:
        return None
    rows = trends[(trends["area_code"] == area_code) & (trends["indicator_id"] == indicator_id)]
    return rows.iloc[0] if len(rows) else None


def verdict_text(area_code: str, indicator_id: str) -> str:
    """The trend verdict in words, with the years it covers."""
    row = verdict_of(area_code, indicator_id)
    if row is None:
        return "Trendtoets: niet beschikbaar in deze build"
    if pd.isna(row["first_year"]):
        return f"Trend: {row['significance']}"
    return f"Trend {row['first_year']}–{row['last_year']}: {row['significance']} (99,8%)"


def value_in(area_code: str, indicator_id: str, year: int) -> float:
    """One area's value in one year (NaN when suppressed or missing)."""
    rows = values[
        (values["area_code"] == area_code)
        & (values["indicator_id"] == indicator_id)
        & (values["period_end_year"] == year)
        & (values["status"] == "ok")
    ]
    return float(rows["value"].iloc[0]) if len(rows) else float("nan")


# %% [markdown]
# ## 1. Nederland: welke indicatoren veranderen echt?
#
# Per indicator de landelijke waarde in het startjaar (of het eerste jaar daarna met gegevens)
# en in het laatste jaar, en het oordeel van de trendtoets. Het verschil tussen twee jaren zegt
# weinig: ook zonder echte verandering schommelen cijfers van jaar tot jaar. De trendtoets kijkt
# naar alle jaren samen en eist dat de richting blijft staan als één jaar wordt weggelaten.

# %%
rows = []
for indicator_id, item in catalogue.iterrows():
    known = values[
        (values["indicator_id"] == indicator_id)
        & (values["area_code"] == "NL01")
        & (values["status"] == "ok")
    ]
    after = known[known["period_end_year"] >= startjaar]
    if after.empty:
        continue
    first, last = after["period_end_year"].min(), after["period_end_year"].max()
    start_value, end_value = (
        value_in("NL01", indicator_id, first),
        value_in("NL01", indicator_id, last),
    )
    rows.append(
        {
            "Indicator": item["title"],
            "Van": f"{first}: {charts.format_value(start_value, item['unit'])}",
            "Tot": f"{last}: {charts.format_value(end_value, item['unit'])}",
            "Verschil": charts.format_number(
                end_value - start_value, 0 if item["unit"] == "aantal" else 1
            ),
            "Trendtoets": verdict_text("NL01", indicator_id),
        }
    )
pd.DataFrame(rows).set_index("Indicator")

# %% [markdown]
# ## 2. De gekozen gemeente, haar GGD-regio en Nederland
#
# De band is het 95%-interval van de gemeente; de stippellijnen zijn de GGD-regio en Nederland.
# Jaren waarin de gemeente geen waarde heeft (onderdrukt of niet geleverd) staan onderaan als
# "onderdrukt" of "geen waarde" — daar is de lijn onderbroken.

# %%
focus = series[series["area_code"].isin([gemeente, region, "NL01"])]
name = areas.loc[gemeente, "area_name"]
chart = charts.trend_chart(
    focus,
    title=f"{entry['title']}: {name}",
    unit=entry["unit"],
    footer=charts.indicator_footer(
        entry["source_id"], f"{years.min()}–{years.max()}", info, "trend"
    ),
    focus=gemeente,
    verdict=verdict_text(gemeente, indicator),
    subtitle=[
        f"{areas.loc[region, 'area_name']}: {verdict_text(region, indicator)}",
        f"Nederland: {verdict_text('NL01', indicator)}",
    ],
    marker=(startjaar, "start Kansrijke Start"),
)
save(chart, f"{indicator}_{gemeente}")
chart

# %% [markdown]
# ## 3. Elke GGD-regio
#
# Eén paneel per GGD-regio met het 95%-interval en de landelijke lijn (gestippeld). Bovenin
# elk paneel het oordeel van de trendtoets: *verbetert* of *verslechtert* alleen bij een
# significante trend in de gunstige of ongunstige richting.

# %%
regions = series[series["area_level"] == "ggd_regio"]
verdicts = (
    trends[trends["indicator_id"] == indicator]
    if trends is not None
    else pd.DataFrame({"area_code": [], "significance": []})
)
chart = charts.trend_small_multiples(
    regions,
    benchmark=series[series["area_code"] == "NL01"],
    verdicts=verdicts,
    title=f"{entry['title']} per GGD-regio",
    unit=entry["unit"],
    footer=charts.indicator_footer(
        entry["source_id"], f"{years.min()}–{years.max()}", info, "trend"
    ),
)
save(chart, f"{indicator}_ggd_regios")
chart

# %% [markdown]
# ## 4. Echt of ruis? Grote verschillen tegenover de trendtoets
#
# Hoeveel gemeenten lijken tussen het startjaar en het laatste jaar "flink" veranderd (meer dan
# de drempel in procentpunten), en hoeveel daarvan hebben een significante trend? Het verschil
# tussen de twee kolommen is ruis: verandering die bij deze aantallen ook door toeval ontstaat.

# %%
gemeenten = series[(series["area_level"] == "gemeente") & (series["status"] == "ok")]
wide = gemeenten.pivot_table(index="area_code", columns="period_end_year", values="value")
first_year = min((y for y in wide.columns if y >= startjaar), default=None)
last_year = wide.columns.max()
if first_year is None or first_year == last_year:
    display(Markdown("*Te weinig jaren na het startjaar om veranderingen te vergelijken.*"))
else:
    change = (wide[last_year] - wide[first_year]).dropna()
    large = change.abs() > drempel
    outcome = pd.DataFrame({"groot": large})
    if trends is not None:
        tested = trends[trends["indicator_id"] == indicator].set_index("area_code")
        outcome["trend"] = tested["significance"].reindex(outcome.index).fillna("niet getoetst")
    else:
        outcome["trend"] = "niet getoetst"
    table = pd.crosstab(
        outcome["trend"],
        outcome["groot"].map({True: f"verschil > {drempel:g} punt", False: "kleiner verschil"}),
        margins=True,
        margins_name="totaal",
    )
    display(
        Markdown(
            f"{entry['title']}: {int(large.sum())} van {len(change)} gemeenten met een waarde "
            f"in {first_year} en {last_year} veranderden meer dan {drempel:g} procentpunt."
        )
    )
    display(table)

# %% [markdown]
# ## 5. Alle indicatoren van de gekozen gemeente

# %%
rows = []
for indicator_id, item in catalogue.iterrows():
    known = values[(values["indicator_id"] == indicator_id) & (values["area_code"] == gemeente)]
    ok = known[known["status"] == "ok"]
    rows.append(
        {
            "Indicator": item["title"],
            "Jaren met een waarde": (
                f"{len(ok)} van {len(known)}" if len(known) else "alleen meerjarige perioden"
            ),
            "Trendtoets": verdict_text(gemeente, indicator_id),
        }
    )
display(Markdown(f"**{name}** ({areas.loc[gemeente, 'ggd_regio_name']})"))
pd.DataFrame(rows).set_index("Indicator")

# %% [markdown]
# ## Hoe lees je dit?
#
# - **Intervallen.** De band rond de lijn is het 95%-betrouwbaarheidsinterval: de marge waarin
#   de werkelijke waarde van dat jaar waarschijnlijk ligt. Overlappende banden betekenen dat
#   een verschil tussen twee jaren niet van toeval te onderscheiden is.
# - **Trendtoets.** Een trend telt alleen als er ten minste 5 opeenvolgende jaren zijn, de
#   χ²-toets voor trend op 99,8% significant is en de richting blijft staan als je één jaar
#   weglaat (de regel van de Britse Fingertips-profielen). *Geen significante trend* betekent
#   niet "geen verandering", maar: niet aantoonbaar met deze aantallen. *Onvoldoende gegevens*:
#   te weinig jaren met een waarde.
# - **Onderdrukt.** Jaren met minder dan 10 in teller, niet-teller of noemer worden niet
#   getoond en nooit als 0; de lijn is daar onderbroken.
# - **Demo.** In de demomodus zijn de cijfers synthetisch; trek er geen conclusies uit.
