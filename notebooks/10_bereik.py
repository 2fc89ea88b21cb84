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
# # Bereik: komen zwangeren en jonge kinderen op tijd in beeld?
#
# **Wat deze notebook beantwoordt:** hoe goed de voorzieningen van de eerste 1000 dagen hun
# doelgroep bereiken — de start van de zwangerschapszorg vóór week 10, kraamzorg na de geboorte
# en de BMR-vaccinatie van zuigelingen — welke gemeenten daarin achterblijven bij Nederland,
# en hoeveel zwangeren of kinderen dat scheelt. Als de voortgang van de lokale coalities
# (minimale eisen Kansrijke Start) in de build zit, staat die onderaan.
#
# **Gegevens:** de marts `indicator_values` (waarden met 95%- en 99,8%-intervallen),
# `indicator_comparisons` (vergelijking met Nederland), `indicators` (catalogus) en `areas`;
# zo mogelijk `coalition_progress` (toets minimale eisen coalities). De notebook leest alleen
# marts en rekent geen indicatoren uit. Modus, verversdatum en gegevensperiode staan direct
# hieronder.

# %% tags=["parameters"]
ggd_regio = "GG2514"  # GGD-regio voor de staafgrafiek per gemeente (GG2514 = GGD Regio Utrecht)
hoofdindicator = "late_start_zwangerschapszorg"  # indicator van de staafgrafiek per gemeente
indicatoren = None  # None = alle bereikindicatoren uit de catalogus; of een lijst met id's
betrouwbaarheid_kaart = 0.998  # veel gemeenten tegelijk: 99,8% (METHODS.md)
max_rijen = 15  # hoeveel achterblijvende gemeenten per indicator in de tabel

# %%
import pandas as pd
from IPython.display import Markdown, display

from pipeline import charts, marts, notebook_kit

# SVG in the notebook; save(chart, name) writes a PNG to exports/notebooks
save = notebook_kit.start("10_bereik")

build = marts.build_dir()
info = marts.build_info()
available = marts.available(build)
values = marts.read("indicator_values")
catalogue = marts.read("indicators").set_index("indicator_id")
areas = marts.read("areas").set_index("area_code")
comparisons = marts.read_optional("indicator_comparisons")

reach_ids = list(indicatoren or catalogue.index[catalogue["kind"] == "bereik"])
latest = {i: charts.latest_year(values, i) for i in reach_ids}
period_text = ", ".join(f"{catalogue.loc[i, 'title']}: {year}" for i, year in latest.items())
used = ["indicator_values", "indicators", "areas"]
used += ["indicator_comparisons"] if comparisons is not None else []
banner = charts.notebook_banner(info, used, f"laatste jaar per indicator — {period_text}")
display(Markdown(banner))
if comparisons is None:
    display(
        Markdown(
            "*De mart `indicator_comparisons` zit nog niet in deze build: de vergelijking met "
            "Nederland (beter/slechter) kan hieronder niet worden getoond.*"
        )
    )

# %% [markdown]
# ## 1. Overzicht: hoeveel gemeenten wijken af van Nederland?
#
# Per bereikindicator het landelijke niveau in het laatste jaar en het aantal gemeenten dat
# gunstiger, vergelijkbaar of ongunstiger scoort dan Nederland op 99,8% — het strengere niveau,
# omdat hier 342 gemeenten tegelijk worden vergeleken. "Niet te beoordelen" betekent:
# onderdrukt (kleine aantallen), geen waarde, of geen interval beschikbaar.


# %%
def rows_for(indicator_id: str, start: int, end: int) -> pd.DataFrame:
    """All areas for one indicator and period."""
    return values[
        (values["indicator_id"] == indicator_id)
        & (values["period_start_year"] == start)
        & (values["period_end_year"] == end)
    ]


overview = []
selected = {}
for indicator_id, year in latest.items():
    period = rows_for(indicator_id, year, year)
    gemeenten = charts.attach_significance(
        period[period["area_level"] == "gemeente"], comparisons, "nederland", betrouwbaarheid_kaart
    )
    gemeenten["ggd_regio_name"] = gemeenten["area_code"].map(areas["ggd_regio_name"])
    nl_row = period[period["area_code"] == "NL01"].iloc[0]
    selected[indicator_id] = (gemeenten, nl_row)
    counts = gemeenten["significance"].value_counts()
    overview.append(
        {
            "Indicator": catalogue.loc[indicator_id, "title"],
            "Jaar": year,
            "Nederland": charts.format_value(nl_row["value"], nl_row["unit"]),
            "Gunstiger": int(counts.get("beter", 0)),
            "Vergelijkbaar": int(counts.get("vergelijkbaar", 0)),
            "Ongunstiger": int(counts.get("slechter", 0)),
            "Niet te beoordelen": int(counts.get("niet te beoordelen", 0)),
        }
    )
pd.DataFrame(overview).set_index("Indicator")

# %% [markdown]
# ## 2. Kaarten: waar blijft het bereik achter?
#
# Bij indicatoren met teller en noemer kleurt de kaart naar de vergelijking met Nederland
# (99,8%). Bij een indicator zonder aantallen — de vaccinatiegraad wordt per gemeente alleen
# als percentage gepubliceerd — is er geen interval en dus geen toets; die kaart toont de
# waarde zelf in vijf klassen.


# %%
def nl_text(nl_row: pd.Series) -> str:
    """The NL value in words, or why there is none."""
    if nl_row["status"] == "ok":
        return f"Nederland: {charts.format_value(nl_row['value'], nl_row['unit'])}"
    return "Nederland: geen landelijke waarde beschikbaar in deze bron"


for indicator_id, (gemeenten, nl_row) in selected.items():
    entry = catalogue.loc[indicator_id]
    year = latest[indicator_id]
    tested = gemeenten["significance"].ne("niet te beoordelen").any()
    level = charts.level_label(betrouwbaarheid_kaart)
    what = f"vergeleken met Nederland ({level})" if tested else "waarde in 5 klassen"
    chart = charts.choropleth(
        gemeenten,
        title=f"{entry['title']}, {year}",
        unit=entry["unit"],
        footer=charts.indicator_footer(entry["source_id"], str(year), info, "map", what=what),
        colour_by="significance" if tested else "value",
        polarity=entry["polarity"],
        subtitle=nl_text(nl_row),
        legend_title=f"Vergeleken met Nederland ({level})" if tested else None,
    )
    save(chart, f"kaart_{indicator_id}_{year}")
    display(chart)

# %% [markdown]
# ## 3. Welke gemeenten blijven achter, en hoeveel scheelt het?
#
# De gemeenten die op 99,8% ongunstiger scoren dan Nederland, met het verschil in
# procentpunten en — waar teller en noemer bekend zijn — het aantal zwangeren of kinderen dat
# er bij het landelijke niveau anders uit zou komen (teller min landelijk niveau × noemer).
# Gesorteerd op dat aantal: daar valt in absolute zin het meeste te winnen. Voor een indicator
# zonder aantallen (alleen percentages) is er geen interval en dus geen toets; dan staan hier de
# gemeenten met de minst gunstige waarden, zonder oordeel over toeval.


# %%
def lagging_table(gemeenten: pd.DataFrame, nl_row: pd.Series, multiplier: float) -> pd.DataFrame:
    """The gemeenten significantly worse than NL, with the gap in points and in persons."""
    lo, hi = charts.CI_COLUMNS[betrouwbaarheid_kaart]
    worse = gemeenten[gemeenten["significance"] == "slechter"].copy()
    worse["verschil"] = worse["value"] - nl_row["value"]
    worse["aantal"] = worse["numerator"] - nl_row["value"] / multiplier * worse["denominator"]
    worse = worse.sort_values(["aantal", "verschil"], ascending=False, key=lambda s: s.abs())
    unit = nl_row["unit"]
    return pd.DataFrame(
        {
            "Gemeente": worse["area_name"],
            "GGD-regio": worse["ggd_regio_name"],
            "Waarde": worse["value"].map(lambda v: charts.format_value(v, unit)),
            f"Interval ({charts.level_label(betrouwbaarheid_kaart)})": [
                f"{charts.format_number(a)}–{charts.format_number(b)}"
                for a, b in zip(worse[lo], worse[hi], strict=True)
            ],
            "Verschil met NL (punt)": worse["verschil"].map(charts.format_number),
            "Aantal t.o.v. NL-niveau": worse["aantal"].map(lambda v: charts.format_number(v, 0)),
        }
    ).set_index("Gemeente")


def least_favourable(gemeenten: pd.DataFrame, polarity: str) -> pd.DataFrame:
    """Without intervals: the gemeenten with the least favourable values, described only."""
    known = gemeenten[gemeenten["status"] == "ok"]
    worst = known.sort_values("value", ascending=polarity != "lager is beter").head(max_rijen)
    unit = worst["unit"].iloc[0] if len(worst) else ""
    median = known["value"].median()
    return pd.DataFrame(
        {
            "Gemeente": worst["area_name"],
            "GGD-regio": worst["ggd_regio_name"],
            "Waarde": worst["value"].map(lambda v: charts.format_value(v, unit)),
            "Verschil met mediaan gemeenten (punt)": (worst["value"] - median).map(
                charts.format_number
            ),
        }
    ).set_index("Gemeente")


for indicator_id, (gemeenten, nl_row) in selected.items():
    entry = catalogue.loc[indicator_id]
    display(Markdown(f"### {entry['title']} ({latest[indicator_id]})"))
    if gemeenten["significance"].eq("niet te beoordelen").all():
        display(
            Markdown(
                "*Niet te toetsen (geen intervallen, bijvoorbeeld omdat de bron alleen "
                f"percentages geeft). De {max_rijen} minst gunstige waarden, zonder oordeel:*"
            )
        )
        display(least_favourable(gemeenten, entry["polarity"]))
        continue
    table = lagging_table(gemeenten, nl_row, float(entry["multiplier"]))
    if table.empty:
        display(Markdown("*Geen gemeente scoort op 99,8% aantoonbaar ongunstiger dan Nederland.*"))
    else:
        display(
            Markdown(
                f"{len(table)} gemeenten scoren ongunstiger dan Nederland; "
                f"de eerste {min(max_rijen, len(table))}:"
            )
        )
        display(table.head(max_rijen))

# %% [markdown]
# ## 4. De gemeenten van één GGD-regio
#
# De belangrijkste bereikindicator voor de gemeenten van de gekozen GGD-regio, met het
# 95%-interval en de lijnen van Nederland en de regio. Hier gaat het om één regio, dus om
# weinig vergelijkingen tegelijk: 95% is dan het gebruikelijke niveau.

# %%
main_id = hoofdindicator if hoofdindicator in latest else reach_ids[0]
entry = catalogue.loc[main_id]
year = latest[main_id]
period = rows_for(main_id, year, year)
members = areas.index[areas["ggd_regio_code"] == ggd_regio]
region_gemeenten = charts.attach_significance(
    period[period["area_code"].isin(members) & (period["area_level"] == "gemeente")],
    comparisons,
    "nederland",
    0.95,
)
region_name = areas.loc[ggd_regio, "area_name"]
nl_value = period.loc[period["area_code"] == "NL01", "value"].iloc[0]
region_value = period.loc[period["area_code"] == ggd_regio, "value"].iloc[0]
chart = charts.compare_areas_bar(
    region_gemeenten,
    title=f"{entry['title']}: gemeenten van {region_name}, {year}",
    unit=entry["unit"],
    footer=charts.indicator_footer(
        entry["source_id"], str(year), info, "bar", level="95%", ci="Wilson", benchmark="Nederland"
    ),
    benchmarks={"Nederland": nl_value, region_name: region_value},
    polarity=entry["polarity"],
)
save(chart, f"{main_id}_{ggd_regio}_{year}")
chart

# %% [markdown]
# ## 5. Voortgang van de lokale coalities
#
# De toets "minimale eisen lokale coalitie Kansrijke Start" (mart `coalition_progress`): per
# eis het aandeel gemeenten van de gekozen regio dat eraan voldoet ("ja"; "deels" telt niet
# mee) in het laatste toetsjaar, met de verandering sinds de vorige toets, en daaronder per
# gemeente de antwoorden. Een gemeente zonder ingevulde toets is *geen beoordeling*, nooit "nee";
# zij telt niet mee in het aandeel. Het zijn volledige tellingen, dus zonder interval.

# %%
STATUS_LABELS = {
    "ja": "ja",
    "deels": "deels",
    "nee": "nee",
    "onbekend": "onbekend",
    "geen_beoordeling": "geen beoordeling",
}
STATUS_STYLE = {
    "ja": "background-color: #CFE9DF",
    "deels": "background-color: #F6E3B4",
    "nee": "background-color: #F5C9AE",
}


def coalition_tables(coalition: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """The region's shares per requirement and the requirement × gemeente grid (latest year)."""
    year = int(coalition["assessment_year"].max())
    latest = coalition[coalition["assessment_year"] == year].sort_values("requirement_order")
    region_rows = latest[latest["area_code"] == ggd_regio]
    shares = pd.DataFrame(
        {
            "Eis": region_rows["requirement_short_label"],
            "Ja": region_rows["n_ja"],
            "Deels": region_rows["n_deels"],
            "Nee": region_rows["n_nee"],
            "Geen beoordeling": region_rows["n_not_assessed"],
            "Aandeel ja": region_rows["share_met_pct"].map(lambda v: charts.format_value(v, "%")),
            "Verandering (punt)": region_rows["change_pct_points"].map(charts.format_number),
        }
    ).set_index("Eis")
    gemeente_rows = latest[latest["area_code"].isin(members)]
    grid = gemeente_rows.pivot_table(
        index="requirement_short_label",
        columns="area_name",
        values="status",
        aggfunc="first",
    ).reindex(region_rows["requirement_short_label"])
    return shares, grid.map(lambda s: STATUS_LABELS.get(s, s)), year


if "coalition_progress" in available:
    shares, grid, coalition_year = coalition_tables(marts.read("coalition_progress"))
    display(Markdown(f"### {region_name}, toets {coalition_year}"))
    display(shares)
    display(grid.style.map(lambda s: STATUS_STYLE.get(s, "color: #777777")))
else:
    display(
        Markdown(
            "*De voortgang van de coalities (mart `coalition_progress`) is in deze build nog "
            "niet beschikbaar. Zodra een ingevulde toets minimale eisen is ingelezen, verschijnt "
            "die hier.*"
        )
    )

# %% [markdown]
# ## Hoe lees je dit?
#
# - **Intervallen.** Elk cijfer is een schatting. Het betrouwbaarheidsinterval (Wilson) geeft
#   aan waar de werkelijke waarde waarschijnlijk ligt; bij kleine gemeenten is het breed.
# - **Vergelijken.** Een gemeente heet *gunstiger* of *ongunstiger* alleen als haar hele
#   interval boven of onder de landelijke waarde ligt. Op kaarten en in tabellen met alle
#   gemeenten is dat het 99,8%-interval (anders zou bij 342 gemeenten een op de twintig
#   toevallig afwijken); bij één regio het 95%-interval. *Vergelijkbaar* betekent: geen
#   aantoonbaar verschil — niet: gelijk.
# - **Onderdrukt.** Waarden met minder dan 10 in teller, niet-teller of noemer worden niet
#   getoond (wit op de kaart, "onderdrukt" in tabellen), en nooit als 0. Ook waarden waarmee een
#   onderdrukte waarde terug te rekenen zou zijn, zijn onderdrukt.
# - **Demo.** In de demomodus zijn de cijfers synthetisch (behalve de gemeentelijke indeling en
#   de vaccinatiegraad 2006–2014); trek er geen conclusies uit.
