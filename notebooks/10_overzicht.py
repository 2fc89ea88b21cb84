# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Overzicht: Big2 per GGD-regio
#
# **Vraag:** hoe verschilt het aandeel kinderen met Big2 (vroeggeboorte en/of een laag
# geboortegewicht voor de zwangerschapsduur) tussen de GGD-regio's, en hoe verhoudt elke regio zich
# tot Nederland?
#
# **Gegevens:** de mart `indicator_values` van de gepubliceerde build (of de build die net wordt
# gemaakt). De modus (demo of live) en de datum van verversen staan hieronder.

# %% tags=["parameters"]
indicator_id = "big2"
jaar = None  # None = het meest recente jaar met een landelijke waarde

# %%
import altair as alt
from IPython.display import Markdown, display

from pipeline import charts, export, marts

alt.renderers.enable("svg")
alt.renderers.set_embed_options(**charts.LOCALE)

info = marts.build_info()
values = marts.read("indicator_values")
indicators = marts.read("indicators").set_index("indicator_id")
display(
    Markdown(
        f"**Modus:** {info['mode']} — {marts.mode_label(info)}  \n"
        f"**Ververst:** {info['refreshed_at']}"
    )
)

# %%
indicator = indicators.loc[indicator_id].copy()
indicator["indicator_id"] = indicator_id
if jaar is None:
    jaar, _ = export.latest_complete_period(values, indicator_id)
selectie = values[
    (values.indicator_id == indicator_id)
    & (values.period_start_year == jaar)
    & (values.period_end_year == jaar)
]
regio = selectie[selectie.area_level == "ggd_regio"].sort_values("value", ascending=False)
nederland = selectie[selectie.area_code == "NL01"].value.iloc[0]
regio[["area_name", "numerator", "denominator", "value", "ci_lower", "ci_upper", "status"]]

# %%
grafiek = charts.compare_areas_bar(
    regio,
    title=f"{indicator.title} per GGD-regio, {jaar}",
    unit=indicator.unit,
    footer=export.footer_for(indicator, str(jaar), info),
    benchmarks={"Nederland": nederland},
)
charts.save(grafiek, marts.build_dir() / "exports" / "notebooks" / f"10_overzicht_{indicator_id}")
grafiek

# %% [markdown]
# ## Hoe lees je dit?
#
# Elk balkje is de waarde van een GGD-regio; het zwarte lijntje is het
# 95%-betrouwbaarheidsinterval (Wilson). Valt het interval helemaal boven of onder de
# stippellijn van Nederland, dan verschilt de regio waarschijnlijk echt van het landelijke
# niveau; overlapt het, dan is het verschil niet te onderscheiden van toeval. Cijfers met
# minder dan 10 gebeurtenissen of niet-gebeurtenissen worden niet getoond (onderdrukt),
# nooit als 0.
