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
# # Gemeenteprofiel: alle indicatoren van één gemeente
#
# **Wat deze notebook beantwoordt:** hoe een gemeente (parameter `gemeente`) ervoor staat op
# alle indicatoren van Kansrijke Start, vergeleken met haar GGD-regio, haar provincie en
# Nederland: waar zij significant gunstiger of ongunstiger scoort, waar zij staat in de
# spreiding van alle gemeenten, en hoe één indicator zich in de tijd ontwikkelt.
#
# **Gegevens:** de marts `indicator_values` (met 95%-intervallen), `indicator_comparisons`
# (vergelijking met Nederland), `indicator_trends`, `indicators` en `areas`. Per indicator geldt
# de laatste periode met een landelijke waarde; is de gemeente daarin onderdrukt, dan de laatste
# gepoolde periode waarin zij wel een waarde heeft. De notebook leest alleen marts. Modus,
# verversdatum en perioden staan hieronder.

# %% tags=["parameters"]
gemeente = "GM0307"  # GM0307 = Amersfoort
gepoold_als_onderdrukt = True  # bij een onderdrukt jaarcijfer de laatste gepoolde periode tonen
trend_indicator = "big2"  # indicator van de trendgrafiek

# %%
import pandas as pd
from IPython.display import Markdown, display

from pipeline import charts, marts, notebook_kit

# SVG in the notebook; save(chart, name) writes a PNG to exports/notebooks
save = notebook_kit.start("40_gemeenteprofiel")

build = marts.build_dir()
info = marts.build_info()
available = marts.available(build)
values = marts.read("indicator_values")
catalogue = marts.read("indicators").set_index("indicator_id")
areas = marts.read("areas").set_index("area_code")
comparisons = marts.read_optional("indicator_comparisons")
trends = marts.read_optional("indicator_trends")

place = areas.loc[gemeente]
name, region, province = place["area_name"], place["ggd_regio_code"], place["provincie_code"]
profile_areas = [gemeente, region, province, "NL01"]


def choose_period(indicator_id: str) -> tuple[int, int]:
    """The period shown for one indicator (see the introduction)."""
    rows = values[(values["indicator_id"] == indicator_id) & (values["status"] == "ok")]
    rows = rows.assign(single=rows["period_start_year"] == rows["period_end_year"])
    national = rows[rows["area_code"] == "NL01"]
    base = national if len(national) else rows
    best = base.sort_values(["single", "period_end_year"]).iloc[-1]
    period = (int(best["period_start_year"]), int(best["period_end_year"]))
    own = rows[rows["area_code"] == gemeente]
    own_periods = set(zip(own["period_start_year"], own["period_end_year"], strict=True))
    if gepoold_als_onderdrukt and period not in own_periods and len(own):
        pooled = own[~own["single"]].sort_values("period_end_year")
        if len(pooled):
            last = pooled.iloc[-1]
            period = (int(last["period_start_year"]), int(last["period_end_year"]))
    return period


periods = {i: choose_period(i) for i in catalogue.index if (values["indicator_id"] == i).any()}
frames = [
    values[
        (values["indicator_id"] == i)
        & (values["period_start_year"] == start)
        & (values["period_end_year"] == end)
    ]
    for i, (start, end) in periods.items()
]
selected = charts.attach_significance(pd.concat(frames), comparisons, "nederland", 0.95)
selected["indicator_title"] = selected["indicator_id"].map(catalogue["title"])
selected["polarity"] = selected["indicator_id"].map(catalogue["polarity"])
order = [catalogue.loc[i, "title"] for i in periods]

used = ["indicator_values", "indicators", "areas"]
used += [m for m in ("indicator_comparisons", "indicator_trends") if m in available]
ends = [end for _, end in periods.values()]
display(
    Markdown(
        charts.notebook_banner(
            info, used, f"per indicator de laatste periode ({min(ends)}–{max(ends)}), zie tabel"
        )
    )
)
display(
    Markdown(
        f"### {name} (`{gemeente}`)\n"
        f"GGD-regio: {place['ggd_regio_name']} · provincie: {place['provincie_name']}"
    )
)
if comparisons is None:
    display(Markdown("*`indicator_comparisons` ontbreekt: geen kleuren voor de vergelijking.*"))

# %% [markdown]
# ## 1. Overzicht ("tartan rug")
#
# Elke rij is een indicator, elke kolom een gebied. De kleur zegt of het gebied significant
# gunstiger of ongunstiger is dan Nederland (95%); grijs: vergelijkbaar; wit met rand: niet te
# beoordelen (onderdrukt of onbekend). Aantallen (levend geborenen) zijn context en worden niet
# vergeleken.

# %%
rug = selected[selected["area_code"].isin(profile_areas)].copy()
rug["area_name"] = rug["area_code"].map(areas["area_name"])
columns = [areas.loc[c, "area_name"] for c in profile_areas]
chart = charts.overview_heatmap(
    rug,
    title=f"Kansrijke Start in {name}: alle indicatoren",
    footer=charts.indicator_footer(
        sorted(selected["source_id"].dropna().unique()),
        "laatste periode per indicator",
        info,
        "heatmap",
    ),
    area_order=columns,
    indicator_order=order,
)
save(chart, f"overzicht_{gemeente}")
chart

# %% [markdown]
# ## 2. Waar staat de gemeente tussen alle gemeenten? (spine chart)
#
# Per indicator de spreiding van alle gemeenten, geschaald rond Nederland (de lijn in het
# midden). Waar een richting gunstig is, staat gunstig rechts. Het rondje is de gemeente
# (gekleurd naar de vergelijking met Nederland), het ruitje de GGD-regio.

# %%
spine_rows = []
for indicator_id in periods:
    rows = selected[selected["indicator_id"] == indicator_id]
    national = rows.loc[rows["area_code"] == "NL01", "value"]
    own = rows[rows["area_code"] == gemeente]
    if national.isna().all() or own.empty:
        continue
    spread = charts.spine_positions(
        rows[rows["area_level"] == "gemeente"].assign(nl=float(national.iloc[0])),
        catalogue.loc[indicator_id, "polarity"],
    )
    row = own.iloc[0].to_dict() | spread.iloc[0].to_dict()
    row["regio"] = rows.loc[rows["area_code"] == region, "value"].astype(float).max()
    spine_rows.append(row)
spine = pd.DataFrame(spine_rows)
chart = charts.spine_chart(
    spine,
    title=f"{name} vergeleken met alle gemeenten",
    footer=charts.indicator_footer(
        sorted(spine["source_id"].dropna().unique()),
        "laatste periode per indicator",
        info,
        "spine",
    ),
    area_label="Gemeente",
    region_label="GGD-regio",
)
save(chart, f"spine_{gemeente}")
chart

# %% [markdown]
# ## 3. Alle cijfers met teller, noemer en interval
#
# Wat achter de grafieken zit. Een lege waarde is onderdrukt of onbekend; de reden staat erbij.

# %%
own = selected[selected["area_code"] == gemeente].set_index("indicator_id")
table = pd.DataFrame(
    {
        "Indicator": own["indicator_title"],
        "Periode": own["period_label"],
        "Teller": own["numerator"].map(lambda v: charts.format_number(v, 0)),
        "Noemer": own["denominator"].map(lambda v: charts.format_number(v, 0)),
        "Waarde": [
            charts.format_value(v, u) if s == "ok" else "–"
            for v, u, s in zip(own["value"], own["unit"], own["status"], strict=True)
        ],
        "95%-interval": [
            f"{charts.format_number(a)}–{charts.format_number(b)}" if s == "ok" else ""
            for a, b, s in zip(own["ci_lower"], own["ci_upper"], own["status"], strict=True)
        ],
        "Vergeleken met NL": own["significance"],
        "Toelichting": own["status_reason"].fillna(""),
    }
)
table.set_index("Indicator")

# %% [markdown]
# ## 4. Ontwikkeling van één indicator
#
# De jaarcijfers van de gemeente met hun 95%-interval, en de lijnen van de GGD-regio en
# Nederland. De trendtoets staat in de ondertitel.

# %%
entry = catalogue.loc[trend_indicator]
series = charts.single_years(
    values[
        (values["indicator_id"] == trend_indicator)
        & values["area_code"].isin([gemeente, region, "NL01"])
    ]
)
verdict = "Trendtoets: niet beschikbaar in deze build"
if trends is not None:
    found = trends[(trends["area_code"] == gemeente) & (trends["indicator_id"] == trend_indicator)]
    if len(found):
        row = found.iloc[0]
        years = f" {row['first_year']}–{row['last_year']}" if pd.notna(row["first_year"]) else ""
        verdict = f"Trend{years}: {row['significance']} (99,8%)"
known = series.loc[series["status"] == "ok", "period_end_year"]
chart = charts.trend_chart(
    series,
    title=f"{entry['title']}: {name}",
    unit=entry["unit"],
    footer=charts.indicator_footer(
        entry["source_id"], f"{known.min()}–{known.max()}", info, "trend"
    ),
    focus=gemeente,
    verdict=verdict,
    marker=(2018, "start Kansrijke Start"),
)
save(chart, f"trend_{trend_indicator}_{gemeente}")
chart

# %% [markdown]
# ## Hoe lees je dit?
#
# - **Intervallen.** Elk cijfer is een schatting; het 95%-betrouwbaarheidsinterval geeft de
#   marge. Een kleine gemeente heeft een breed interval, dus alleen grote verschillen zijn
#   aantoonbaar.
# - **Vergelijken.** *Gunstiger* of *ongunstiger* (groen of oranje) alleen als het hele interval
#   boven of onder de landelijke waarde ligt; *vergelijkbaar* (grijs) betekent: geen aantoonbaar
#   verschil — niet: gelijk.
# - **Perioden.** Een rij kan een gepoolde periode tonen (bijvoorbeeld 2022–2024): dan was het
#   jaarcijfer van de gemeente onderdrukt en zijn jaren samengenomen. Alle gebieden in die rij
#   gebruiken dan dezelfde periode.
# - **Onderdrukt.** Minder dan 10 in teller, niet-teller of noemer: niet getoond (wit), nooit
#   als 0. Ook cijfers waarmee een onderdrukte waarde terug te rekenen zou zijn, zijn onderdrukt.
# - **Demo.** In de demomodus zijn de cijfers synthetisch; trek er geen conclusies uit.
