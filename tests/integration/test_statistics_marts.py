"""The statistics marts of a demo build: pooled periods, smoothing, disclosure, comparisons,
trends and funnels, checked against their definitions (METHODS.md) and each other."""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from pipeline import leaks, stats

pytestmark = pytest.mark.slow

KEY = ["indicator_id", "area_code", "period_start_year", "period_end_year"]
PERIOD = ["indicator_id", "period_start_year", "period_end_year"]


def mart(data_dir: Path, name: str) -> pd.DataFrame:
    return pd.read_parquet(data_dir / "processed" / "marts" / f"{name}.parquet")


@pytest.fixture(scope="module")
def values(demo_build: Path) -> pd.DataFrame:
    return mart(demo_build, "indicator_values")


@pytest.fixture(scope="module")
def catalogue(demo_build: Path) -> pd.DataFrame:
    return mart(demo_build, "indicators").set_index("indicator_id")


@pytest.fixture(scope="module")
def areas(demo_build: Path) -> pd.DataFrame:
    return mart(demo_build, "areas")


def proportion_ids(catalogue: pd.DataFrame) -> list[str]:
    return list(catalogue.index[catalogue.ci_method == "wilson"])


# --------------------------------------------------------------------------------------------
# indicator_values: pooled periods, region sums, smoothing, disclosure
# --------------------------------------------------------------------------------------------


def test_latest_3_and_5_year_periods_for_every_area(values, catalogue, areas) -> None:
    yearly = values[values.period_start_year == values.period_end_year]
    with_years = yearly[yearly.indicator_id.isin(proportion_ids(catalogue))
                        & yearly.numerator.notna()].indicator_id.unique()
    assert len(with_years) >= 7
    for indicator in with_years:
        last = yearly[yearly.indicator_id == indicator].period_end_year.max()
        for length in (3, 5):
            rows = values[(values.indicator_id == indicator)
                          & (values.period_start_year == last - length + 1)
                          & (values.period_end_year == last)]
            assert set(rows.area_code) == set(areas.area_code), (indicator, length)
            label = f"{last - length + 1}–{last}"
            assert (rows.period_label == label).all()
            assert (rows[rows.area_code == "NL01"].status == "ok").all()
            assert (rows[rows.area_level == "gemeente"].status == "ok").sum() >= 10


def test_computed_pooled_periods_are_sums_of_their_published_years(values) -> None:
    pooled = values[values.status_reason.fillna("").str.startswith("gepoolde periode")
                    & (values.status == "ok")]
    assert len(pooled) > 1000
    yearly = values[values.period_start_year == values.period_end_year]
    pairs = pooled[KEY + ["numerator", "denominator"]].merge(
        yearly[["indicator_id", "area_code", "period_start_year", "numerator", "denominator",
                "status"]].rename(columns={"period_start_year": "year"}),
        on=["indicator_id", "area_code"], suffixes=("", "_year"))
    pairs = pairs[pairs.year.between(pairs.period_start_year, pairs.period_end_year)]
    sums = pairs.groupby(KEY).agg(
        numerator=("numerator", "first"), denominator=("denominator", "first"),
        year_numerator=("numerator_year", "sum"), year_denominator=("denominator_year", "sum"),
        all_published=("status", lambda s: (s == "ok").all()), n=("year", "size"))
    checked = sums[sums.all_published]
    assert len(checked) > 500
    assert (checked.numerator == checked.year_numerator).all()
    assert (checked.denominator == checked.year_denominator).all()
    assert ((sums.n == sums.index.get_level_values(3) - sums.index.get_level_values(2) + 1)
            .all())


def test_every_computed_region_is_the_sum_of_its_members_before_disclosure(demo_build) -> None:
    """Region = sum of members for every indicator and period (pre-disclosure counts).

    A pooled period the source delivers only for some gemeenten (Perined's 3-year figures for
    small gemeenten) has no member sum for the region; there the region's pooled value is the
    sum of its own yearly values (int_indicator_values_pooled), checked separately.
    """
    con = duckdb.connect(str(demo_build / "processed" / "warehouse.duckdb"), read_only=True)
    try:
        result = con.sql("""
            with v as (select * from int_indicator_values_pooled),
            members as (select * from int_area_memberships),
            sums as (
                select members.area_code, v.indicator_id, v.period_start_year,
                    v.period_end_year, sum(v.numerator) as numerator,
                    sum(v.denominator) as denominator,
                    bool_and(v.status = 'ok' and v.numerator is not null) as complete
                from members
                inner join v on v.area_code = members.gemeente_code
                group by all
            ),
            years as (
                select area_code, indicator_id, p.period_start_year, p.period_end_year,
                    sum(y.numerator) as numerator, sum(y.denominator) as denominator
                from v as p
                inner join v as y using (area_code, indicator_id)
                where y.period_start_year = y.period_end_year
                    and y.period_start_year between p.period_start_year and p.period_end_year
                    and p.period_start_year < p.period_end_year
                group by all
            )
            select r.indicator_id, r.area_level, r.period_start_year, r.period_end_year,
                r.numerator, r.denominator, sums.numerator as s_num,
                sums.denominator as s_den, sums.complete,
                r.status_reason = 'gepoolde periode: som van de jaarwaarden' as yearly_sum,
                years.numerator as y_num, years.denominator as y_den
            from v as r
            inner join sums using (area_code, indicator_id, period_start_year,
                                   period_end_year)
            left join years using (area_code, indicator_id, period_start_year,
                                   period_end_year)
            where r.area_level != 'gemeente' and r.status = 'ok' and not r.is_source_total
        """).df()
    finally:
        con.close()
    yearly_sum = result[result.yearly_sum.fillna(False).astype(bool)]
    result = result[~result.yearly_sum.fillna(False).astype(bool)]
    assert len(result) > 1000
    assert result.complete.all()  # a computed region needs every member
    assert (result.numerator == result.s_num).all()
    with_den = result[result.denominator.notna()]
    assert (with_den.denominator == with_den.s_den).all()
    # Nederland comes from the totals the sources deliver (is_source_total), checked elsewhere
    assert set(result.area_level) == {"ggd_regio", "provincie", "regio"}
    assert result.period_start_year.lt(result.period_end_year).any()  # pooled periods too
    assert (~yearly_sum.complete).all()  # the fallback only where members cannot be summed
    assert (yearly_sum.numerator == yearly_sum.y_num).all()
    assert (yearly_sum.denominator == yearly_sum.y_den).all()


def test_smoothed_values_only_for_published_gemeenten_and_shrunk(values, areas,
                                                                 catalogue) -> None:
    smoothed = values[values.value_smoothed.notna()]
    assert len(smoothed) > 5000
    assert (smoothed.status == "ok").all() and (smoothed.area_level == "gemeente").all()
    assert smoothed.indicator_id.isin(proportion_ids(catalogue)).all()
    assert smoothed.smoothing_method.str.contains("gemodelleerd").all()
    assert values[values.status != "ok"].value_smoothed.isna().all()
    ggd = values[values.area_level == "ggd_regio"][KEY + ["value"]].rename(
        columns={"area_code": "ggd_regio_code", "value": "ggd_value"})
    towards_ggd = smoothed[smoothed.smoothing_method.str.contains("eigen GGD-regio")]
    joined = towards_ggd.merge(areas[["area_code", "ggd_regio_code"]], on="area_code").merge(
        ggd, on=[*PERIOD, "ggd_regio_code"])
    assert len(joined) == len(towards_ggd)
    distance = (joined.value_smoothed - joined.ggd_value).abs()
    assert (distance <= (joined.value - joined.ggd_value).abs() + 1e-9).all()
    assert (distance < (joined.value - joined.ggd_value).abs() - 1e-9).mean() > 0.5


def test_no_published_count_below_the_threshold(values, catalogue) -> None:
    ok = values[(values.status == "ok") & values.numerator.notna()
                & values.denominator.notna()]
    threshold = ok.indicator_id.map(catalogue.suppression_threshold).astype("float64")
    checked = ok[threshold.notna()]
    t = threshold[threshold.notna()]
    assert len(checked) > 10_000
    assert (checked.numerator >= t).all()
    assert (checked.denominator - checked.numerator >= t).all()


def test_complementary_suppression_is_recorded_and_leaves_nothing_to_recover(
    values, demo_build
) -> None:
    secondary = values[values.status_reason.fillna("").str.startswith(
        "secundaire onderdrukking")]
    assert len(secondary) > 50
    assert (secondary.status == "suppressed").all()
    assert secondary[["numerator", "denominator", "value", "ci_lower"]].isna().all().all()
    assert values[values.status == "suppressed"].status_reason.notna().all()
    assert leaks.scan_build((demo_build / "processed").resolve()) == []


# --------------------------------------------------------------------------------------------
# indicator_comparisons
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def comparisons(demo_build: Path) -> pd.DataFrame:
    return mart(demo_build, "indicator_comparisons")


def test_comparisons_grain_and_pairs(comparisons, areas) -> None:
    grain = [*KEY, "benchmark", "confidence"]
    assert not comparisons.duplicated(grain).any()
    assert set(comparisons.confidence) == {0.95, 0.998}
    assert set(comparisons.benchmark) == {"nederland", "ggd_regio"}
    nl = comparisons[comparisons.benchmark == "nederland"]
    assert (nl.benchmark_code == "NL01").all() and "NL01" not in set(nl.area_code)
    ggd = comparisons[comparisons.benchmark == "ggd_regio"].merge(
        areas[["area_code", "ggd_regio_code"]], on="area_code")
    assert (ggd.benchmark_code == ggd.ggd_regio_code).all()
    assert set(ggd.area_level) <= {"gemeente", "regio"}
    assert {"gemeente", "ggd_regio", "provincie", "regio"} <= set(nl.area_level)


def test_comparison_labels_follow_the_intervals_and_polarity(comparisons, values,
                                                             catalogue) -> None:
    expected = stats.compare_to_benchmark(
        comparisons.ci_lower, comparisons.ci_upper, comparisons.benchmark_value)
    assert (comparisons.comparison.to_numpy() == expected).all()
    with_polarity = stats.compare_to_benchmark(
        comparisons.ci_lower, comparisons.ci_upper, comparisons.benchmark_value,
        comparisons.polarity)
    assert (comparisons.significance.to_numpy() == with_polarity).all()
    assert (comparisons.polarity == comparisons.indicator_id.map(catalogue.polarity)).all()
    assessed = comparisons[comparisons.comparison != "niet te beoordelen"]
    assert set(assessed.comparison) == {"hoger", "lager", "vergelijkbaar"}
    wide = comparisons[comparisons.confidence == 0.998].set_index([*KEY, "benchmark"])
    narrow = comparisons[comparisons.confidence == 0.95].set_index([*KEY, "benchmark"])
    both = narrow.join(wide.add_suffix("_998")).dropna(subset=["ci_lower", "ci_lower_998"])
    assert (both.ci_lower_998 <= both.ci_lower + 1e-9).all()
    suppressed = comparisons[comparisons.status == "suppressed"]
    assert len(suppressed) and (suppressed.comparison == "niet te beoordelen").all()
    assert (comparisons.area_code.str.startswith("RG")).any()


# --------------------------------------------------------------------------------------------
# indicator_trends
# --------------------------------------------------------------------------------------------


def test_trends_match_the_trend_test_on_the_published_years(demo_build, values,
                                                            catalogue) -> None:
    trends = mart(demo_build, "indicator_trends")
    assert not trends.duplicated(["indicator_id", "area_code"]).any()
    assert trends.indicator_id.isin(proportion_ids(catalogue)).all()
    assert set(trends.area_level) == {"gemeente", "ggd_regio", "provincie", "land", "regio"}
    few = trends[trends.n_points < 5]
    assert (few.verdict == "onvoldoende gegevens").all()
    assert trends.verdict.isin(["toenemend", "afnemend", "geen significante trend",
                                "onvoldoende gegevens"]).all()
    sample = trends.sort_values(["indicator_id", "area_code"]).iloc[::40]
    yearly = values[values.period_start_year == values.period_end_year]
    for row in sample.itertuples(index=False):
        series = yearly[(yearly.indicator_id == row.indicator_id)
                        & (yearly.area_code == row.area_code)]
        ok = series.status == "ok"
        result = stats.trend_test(series.period_start_year, series.numerator.where(ok),
                                  series.denominator.where(ok))
        assert result.verdict == row.verdict and result.n_points == row.n_points
    lower_better = trends[trends.polarity == "lager is beter"]
    assert (lower_better[lower_better.verdict == "afnemend"].significance == "verbetert").all()
    assert (lower_better[lower_better.verdict == "toenemend"].significance
            == "verslechtert").all()


# --------------------------------------------------------------------------------------------
# indicator_funnels and indicator_funnel_limits
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def funnels(demo_build: Path) -> pd.DataFrame:
    return mart(demo_build, "indicator_funnels")


def test_funnel_limits_are_ordered_and_positions_consistent(funnels, values) -> None:
    grain = [*PERIOD, "comparison_set", "area_code"]
    assert not funnels.duplicated(grain).any()
    assert "gemeenten in Nederland" in set(funnels.comparison_set)
    assert funnels.comparison_set.str.startswith("gemeenten in GGD").any()
    assert funnels.area_code.str.startswith("GM").all()
    f = funnels
    assert (f.limit_998_lower <= f.limit_95_lower + 1e-9).all()
    assert (f.limit_95_lower <= f.p0_value + 1e-9).all()
    assert (f.p0_value <= f.limit_95_upper + 1e-9).all()
    assert (f.limit_95_upper <= f.limit_998_upper + 1e-9).all()
    adjusted = f[f.adjustment == "additief"]
    assert len(adjusted) and (adjusted.phi > 1).all() and (adjusted.n_areas >= 10).all()
    assert (adjusted.adj_limit_998_upper >= adjusted.limit_998_upper - 1e-9).all()
    same = f[f.adjustment == "geen"]
    assert np.allclose(same.adj_limit_95_lower, same.limit_95_lower)
    above = f.value > f.limit_998_upper
    assert (f[above].position == "boven 99,8%").all()
    inside = (f.value >= f.limit_95_lower) & (f.value <= f.limit_95_upper)
    assert (f[inside].position == "binnen").all()
    assert f.groupby([*PERIOD, "comparison_set"]).phi.nunique(dropna=False).max() == 1
    published = values[values.status == "ok"][KEY + ["numerator", "denominator", "value"]]
    joined = f.merge(published, on=KEY, suffixes=("", "_v"))
    assert len(joined) == len(f)
    assert (joined.numerator == joined.numerator_v).all()


def test_funnel_limit_grid_spans_the_observed_denominators(demo_build, funnels) -> None:
    grid = mart(demo_build, "indicator_funnel_limits")
    keys = [*PERIOD, "comparison_set"]
    sizes = grid.groupby(keys).size()
    assert sizes.max() == 60 and sizes.median() == 60
    span = grid.groupby(keys).denominator.agg(["min", "max"]).join(
        funnels.groupby(keys).denominator.agg(["min", "max"]).add_suffix("_obs"))
    assert np.allclose(span["min"], span.min_obs) and np.allclose(span["max"], span.max_obs)
    for _, curve in grid.groupby(keys):
        curve = curve.sort_values("denominator")
        width = curve.limit_95_upper - curve.limit_95_lower
        assert (np.diff(width.to_numpy()) <= 1e-9).all()  # narrows as n grows
