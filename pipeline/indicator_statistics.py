"""Statistics that SQL cannot do well: smoothed values, trend tests and funnel plots.

Pure functions, frame in, new frame out; ``pipeline.build`` runs them as Python models after
the SQL models they read and writes each result back as a table, from which the SQL marts
``indicator_values`` (``value_smoothed``), ``indicator_trends``, ``indicator_funnels`` and
``indicator_funnel_limits`` select. The methods are in ``pipeline.stats`` (METHODS.md); this
module only groups the rows, picks benchmarks and labels the results in Dutch.

Only published figures are used: rows with status 'ok' and counts. Proportion indicators
(``ci_method`` 'wilson') only: counts (births) have no rate to smooth, test or plot, and a
source that gives percentages without counts (vaccination coverage) has no denominators.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipeline import stats

PERIOD = ["indicator_id", "period_start_year", "period_end_year"]
KEY = ["indicator_id", "area_code", "period_start_year", "period_end_year"]
NL = "NL01"

SMOOTHING_BASE = "empirisch Bayes (bèta-binomiaal, momentenmethode)"
SMOOTHING_GGD = f"{SMOOTHING_BASE}, gekrompen naar de eigen GGD-regio; gemodelleerd"
SMOOTHING_NL = (
    f"{SMOOTHING_BASE}, gekrompen naar Nederland (waarde van de GGD-regio onbekend); gemodelleerd"
)
SMOOTHING_FULL = "; geen variatie tussen gemeenten boven toeval: gelijk aan de regiowaarde"

TREND_LABELS = {
    # verdict → (lager is beter, hoger is beter)
    stats.TREND_UP: ("verslechtert", "verbetert"),
    stats.TREND_DOWN: ("verbetert", "verslechtert"),
}

NL_SET = "gemeenten in Nederland"
MIN_AREAS_FOR_ADJUSTMENT = 10
FUNNEL_GRID_POINTS = 60
FUNNEL_METHOD = (
    "funnelgrenzen: omgekeerde Wilson-score rond de waarde van het vergelijkingsgebied "
    "(95% en 99,8%); overdispersie (Spiegelhalter 2005): φ = gemiddelde kwadraat van de "
    "gewinsoriseerde z-scores (10%/90%); bij φ > 1 en ten minste "
    f"{MIN_AREAS_FOR_ADJUSTMENT} gemeenten additieve aanpassing met τ² (DerSimonian-Laird)"
)


def _proportions(values: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """Published rows with counts of the proportion indicators, with the multiplier."""
    props = indicators.loc[indicators.ci_method == "wilson", ["indicator_id", "multiplier"]]
    rows = values.merge(props, on="indicator_id")
    counted = (rows.status == "ok") & rows.numerator.notna() & (rows.denominator > 0)
    return rows[counted].assign(p=lambda f: f.numerator / f.denominator)


# --------------------------------------------------------------------------------------------
# empirical-Bayes smoothing
# --------------------------------------------------------------------------------------------


def smooth_values(
    values: pd.DataFrame, gemeenten: pd.DataFrame, indicators: pd.DataFrame
) -> pd.DataFrame:
    """Empirical-Bayes smoothed value of every published gemeente value (METHODS.md).

    Beta-binomial by moments, each gemeente shrunk towards its own GGD-regio (towards NL when
    the GGD-regio's value is not published); the between-gemeente variance is estimated per
    indicator and period from all published gemeenten. Suppressed cells get nothing.

    Args:
        values: Indicator rows after disclosure control.
        gemeenten: ``gemeente_code`` → ``ggd_code``.
        indicators: The catalogue (``ci_method``, ``multiplier``).

    Returns:
        ``indicator_id, area_code, period_start_year, period_end_year, value_smoothed``
        (in the indicator's unit) and ``smoothing_method``, for smoothed gemeente rows only.
    """
    rows = _proportions(values, indicators)
    gm = rows[rows.area_level == "gemeente"].merge(
        gemeenten[["gemeente_code", "ggd_code"]], left_on="area_code", right_on="gemeente_code"
    )
    ggd = rows.loc[rows.area_level == "ggd_regio", [*PERIOD, "area_code", "p"]].rename(
        columns={"area_code": "ggd_code", "p": "p_ggd"}
    )
    nl = rows.loc[rows.area_code == NL, [*PERIOD, "p"]].rename(columns={"p": "p_nl"})
    gm = gm.merge(ggd, on=[*PERIOD, "ggd_code"], how="left").merge(nl, on=PERIOD, how="left")
    gm["target"] = gm.p_ggd.fillna(gm.p_nl)
    gm = gm[gm.target.notna()].reset_index(drop=True)
    smoothed = np.full(len(gm), np.nan)
    full = np.zeros(len(gm), dtype=bool)
    for idx in gm.groupby(PERIOD, sort=False).indices.values():
        part = gm.iloc[idx]
        result, name = stats.eb_smooth(part.numerator, part.denominator, target=part.target)
        smoothed[idx] = result
        full[idx] = stats.EB_FULL_SHRINKAGE in name
    method = np.where(gm.p_ggd.notna(), SMOOTHING_GGD, SMOOTHING_NL).astype(object)
    method[full] = method[full] + SMOOTHING_FULL
    out = gm[KEY].assign(
        value_smoothed=smoothed * gm.multiplier.to_numpy(dtype=float), smoothing_method=method
    )
    return out[out.value_smoothed.notna()].reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# trends
# --------------------------------------------------------------------------------------------


def trend_significance(verdicts: pd.Series, polarities: pd.Series) -> np.ndarray:
    """'verbetert'/'verslechtert' from a verdict and a polarity; other verdicts unchanged."""
    out = verdicts.to_numpy(dtype=object).copy()
    for verdict, (lower_better, higher_better) in TREND_LABELS.items():
        hit = (verdicts == verdict).to_numpy()
        out[hit & (polarities == stats.LOWER_IS_BETTER).to_numpy()] = lower_better
        out[hit & (polarities == stats.HIGHER_IS_BETTER).to_numpy()] = higher_better
    return out


def trend_table(values: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """The Fingertips trend test per area and proportion indicator, on single years.

    Args:
        values: The ``indicator_values`` mart.
        indicators: The catalogue (``ci_method``, ``polarity``).

    Returns:
        One row per indicator and area: ``first_year``, ``last_year``, ``n_points``,
        ``verdict``, ``significance`` (polarity-aware), ``chi2``, ``p_value``, ``direction``,
        ``method``, with ``area_level``, ``area_name`` and ``polarity``.
    """
    props = indicators.loc[indicators.ci_method == "wilson", ["indicator_id", "polarity"]]
    yearly = values[values.period_start_year == values.period_end_year].merge(
        props, on="indicator_id"
    )
    has_years = yearly.groupby("indicator_id").numerator.transform("count") > 0
    yearly = yearly[has_years]
    published = (yearly.status == "ok") & (yearly.denominator > 0)
    series = yearly.assign(
        numerator=yearly.numerator.where(published),
        denominator=yearly.denominator.where(published),
    )
    columns = ["indicator_id", "area_code", "area_level", "area_name", "polarity"]
    if series.empty:
        return pd.DataFrame(columns=[*columns, "first_year", "last_year", "n_points", "verdict",
                                     "significance", "chi2", "p_value", "direction", "method"])
    tested = stats.trend_tests(
        series, ["indicator_id", "area_code"], "period_start_year", "numerator", "denominator"
    )
    areas = series[columns].drop_duplicates(["indicator_id", "area_code"])
    out = tested.merge(areas, on=["indicator_id", "area_code"])
    out["significance"] = trend_significance(out.verdict, out.polarity)
    return out


# --------------------------------------------------------------------------------------------
# funnel plots
# --------------------------------------------------------------------------------------------


def _comparison_sets(rows: pd.DataFrame, gemeenten: pd.DataFrame) -> pd.DataFrame:
    """Every published gemeente value in its comparison sets (NL, own GGD-regio), with p0."""
    gm = rows[rows.area_level == "gemeente"].merge(
        gemeenten[["gemeente_code", "ggd_code", "ggd_naam"]],
        left_on="area_code",
        right_on="gemeente_code",
    )
    nl = rows.loc[rows.area_code == NL, [*PERIOD, "p"]].rename(columns={"p": "p0"})
    ggd = rows.loc[rows.area_level == "ggd_regio", [*PERIOD, "area_code", "p"]].rename(
        columns={"area_code": "ggd_code", "p": "p0"}
    )
    in_nl = gm.merge(nl, on=PERIOD).assign(comparison_set=NL_SET, benchmark_code=NL)
    in_ggd = gm.merge(ggd, on=[*PERIOD, "ggd_code"]).assign(
        comparison_set=lambda f: "gemeenten in " + f.ggd_naam, benchmark_code=lambda f: f.ggd_code
    )
    return pd.concat([in_nl, in_ggd], ignore_index=True)


def _overdispersion_per_set(points: pd.DataFrame) -> pd.DataFrame:
    """φ, τ² and the number of gemeenten per comparison set (columns aligned to ``points``)."""
    keys = [*PERIOD, "comparison_set"]
    per_set = stats.overdispersion_grouped(points, keys, "numerator", "denominator", "p0")
    joined = points[keys].merge(per_set, on=keys, how="left")
    return pd.DataFrame(
        {"phi": joined.phi.to_numpy(), "tau2": joined.tau2.to_numpy(),
         "n_areas": joined.k.to_numpy()},
        index=points.index,
    )


def _limits(p0: np.ndarray, n: np.ndarray, phi: np.ndarray, tau2: np.ndarray,
            adjusted: np.ndarray, multiplier: np.ndarray) -> dict[str, np.ndarray]:
    """Raw and adjusted funnel limits at 95% and 99.8%, in the indicator's unit."""
    out = {}
    tau_used = np.where(adjusted, tau2, 0.0)
    for conf, tag in ((0.95, "95"), (0.998, "998")):
        lo, hi = stats.funnel_limits(p0, n, conf)
        alo, ahi = stats.adjusted_funnel_limits(
            p0, n, conf, phi=np.where(adjusted, phi, np.nan), tau2=tau_used, method=stats.ADDITIVE
        )
        out[f"limit_{tag}_lower"], out[f"limit_{tag}_upper"] = lo * multiplier, hi * multiplier
        out[f"adj_limit_{tag}_lower"] = alo * multiplier
        out[f"adj_limit_{tag}_upper"] = ahi * multiplier
    return out


def _position(value: pd.Series, limits: pd.DataFrame, prefix: str) -> np.ndarray:
    """'binnen', 'boven 95%', 'boven 99,8%', 'onder 95%' or 'onder 99,8%'."""
    v = value.to_numpy(dtype=float)
    conditions = [
        v > limits[f"{prefix}998_upper"].to_numpy(),
        v > limits[f"{prefix}95_upper"].to_numpy(),
        v < limits[f"{prefix}998_lower"].to_numpy(),
        v < limits[f"{prefix}95_lower"].to_numpy(),
    ]
    labels = ["boven 99,8%", "boven 95%", "onder 99,8%", "onder 95%"]
    return np.select(conditions, labels, "binnen").astype(object)


def funnel_table(
    values: pd.DataFrame, gemeenten: pd.DataFrame, indicators: pd.DataFrame
) -> pd.DataFrame:
    """Each published gemeente value in its funnel plots, raw and overdispersion-adjusted.

    Comparison sets: all gemeenten of Nederland (around the NL value) and the gemeenten of each
    GGD-regio (around the GGD-regio's value), for every proportion indicator and period whose
    benchmark value is published. Limits are the inverted Wilson score at the gemeente's
    denominator; when φ > 1 and the set has at least ``MIN_AREAS_FOR_ADJUSTMENT`` gemeenten,
    additive random-effects (τ², DerSimonian–Laird) limits are added as adjusted limits.

    Args:
        values: The ``indicator_values`` mart.
        gemeenten: ``gemeente_code`` → ``ggd_code``, ``ggd_naam``.
        indicators: The catalogue.

    Returns:
        One row per indicator × period × comparison set × gemeente.
    """
    rows = _proportions(values, indicators)
    points = _comparison_sets(rows, gemeenten)
    points = points[(points.p0 > 0) & (points.p0 < 1)].reset_index(drop=True)
    points = points.join(_overdispersion_per_set(points))
    adjusted = (
        (points.phi > 1) & (points.tau2 > 0) & (points.n_areas >= MIN_AREAS_FOR_ADJUSTMENT)
    ).to_numpy()
    mult = points.multiplier.to_numpy(dtype=float)
    limits = pd.DataFrame(
        _limits(points.p0.to_numpy(), points.denominator.to_numpy(dtype=float),
                points.phi.to_numpy(), points.tau2.to_numpy(), adjusted, mult),
        index=points.index,
    )
    out = pd.concat([points, limits], axis=1)
    out["p0_value"] = out.p0 * mult
    out["adjustment"] = np.where(adjusted, "additief", "geen")
    out["position"] = _position(out.value, limits, "limit_")
    out["position_adjusted"] = _position(out.value, limits, "adj_limit_")
    out["method"] = FUNNEL_METHOD
    return out.drop(columns=["p", "p0", "multiplier"])


def funnel_limit_grid(funnels: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """Smooth funnel curves: the limits on a log-spaced grid of denominators per set.

    Args:
        funnels: Output of ``funnel_table``.
        indicators: The catalogue (``multiplier``).

    Returns:
        ``FUNNEL_GRID_POINTS`` rows per indicator × period × comparison set, spanning the
        observed denominators, with the same limit columns as ``funnel_table``.
    """
    keys = [*PERIOD, "period_label", "comparison_set", "benchmark_code"]
    sets = funnels.groupby(keys, sort=True, as_index=False).agg(
        p0_value=("p0_value", "first"), phi=("phi", "first"), tau2=("tau2", "first"),
        adjustment=("adjustment", "first"), n_min=("denominator", "min"),
        n_max=("denominator", "max"),
    )
    sets = sets.merge(indicators[["indicator_id", "multiplier"]], on="indicator_id")
    t = np.linspace(0.0, 1.0, FUNNEL_GRID_POINTS)
    grid = sets.loc[sets.index.repeat(FUNNEL_GRID_POINTS)].reset_index(drop=True)
    step = np.tile(t, len(sets))
    lo = np.log(np.maximum(grid.n_min.to_numpy(dtype=float), 1.0))
    hi = np.log(np.maximum(grid.n_max.to_numpy(dtype=float), 1.0))
    grid["denominator"] = np.exp(lo + (hi - lo) * step)
    mult = grid.multiplier.to_numpy(dtype=float)
    adjusted = (grid.adjustment == "additief").to_numpy()
    limits = _limits(grid.p0_value.to_numpy(dtype=float) / mult, grid.denominator.to_numpy(),
                     grid.phi.to_numpy(dtype=float), grid.tau2.to_numpy(dtype=float), adjusted,
                     mult)
    grid = grid.assign(**limits)
    grid = grid.drop_duplicates([*keys, "denominator"])
    return grid.drop(columns=["n_min", "n_max", "multiplier"]).reset_index(drop=True)
