"""Tests for pipeline.stats against the golden values in METHODS.md (tolerance 1e-6)."""

from __future__ import annotations

import warnings

import duckdb
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import stats

TOL = 1e-6
CONFS = st.sampled_from([0.8, 0.9, 0.95, 0.99, 0.998])


# ------------------------------------------------------------------------------------------
# z
# ------------------------------------------------------------------------------------------


def test_z_value():
    assert stats.z_value(0.95) == pytest.approx(1.959964, abs=TOL)
    assert stats.z_value(0.998) == pytest.approx(3.090232, abs=TOL)
    assert stats.z_value(0.998) ** 2 == pytest.approx(9.549536, abs=TOL)


@pytest.mark.parametrize("bad", [0.0, 1.0, 95, -0.5])
def test_z_value_rejects_invalid_confidence(bad):
    with pytest.raises(ValueError):
        stats.z_value(bad)
    with pytest.raises(ValueError):
        stats.wilson_ci(1, 10, bad)


# ------------------------------------------------------------------------------------------
# Wilson
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("x", "n", "conf", "lower", "upper"),
    [
        (65, 100, 0.95, 0.552544, 0.736358),
        (65, 100, 0.998, 0.495495, 0.778354),
        (1045, 5000, 0.95, 0.197955, 0.220491),
    ],
)
def test_wilson_golden(x, n, conf, lower, upper):
    lo, hi = stats.wilson_ci(x, n, conf)
    assert isinstance(lo, float) and isinstance(hi, float)
    assert lo == pytest.approx(lower, abs=TOL)
    assert hi == pytest.approx(upper, abs=TOL)


def test_wilson_reference_figures_per_mille():
    lo, hi = stats.wilson_ci(1265, 175130)
    assert (round(lo * 1000, 2), round(hi * 1000, 2)) == (6.84, 7.63)
    lo, hi = stats.wilson_ci(25, 5291)
    assert (round(lo * 1000, 2), round(hi * 1000, 2)) == (3.20, 6.97)


def test_wilson_edges():
    lo, hi = stats.wilson_ci(0, 20)
    assert lo == 0.0 and 0 < hi < 1
    lo, hi = stats.wilson_ci(20, 20)
    assert hi == 1.0 and 0 < lo < 1


def test_wilson_mixed_vector_no_warnings():
    x = [0, 10, 5, np.nan, -1, 11, 3, 65]
    n = [10, 10, 0, 10, 10, 10, np.nan, 100]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        lo, hi = stats.wilson_ci(x, n)
    assert isinstance(lo, np.ndarray) and lo.dtype == float and lo.shape == (8,)
    assert lo[0] == 0.0 and hi[1] == 1.0
    assert np.isnan(lo[2:7]).all() and np.isnan(hi[2:7]).all()
    assert lo[7] == pytest.approx(0.552544, abs=TOL)


def test_wilson_pandas_and_per_row_confidence():
    x = pd.Series([65, None, 65], dtype="Int64", index=[7, 8, 9])
    n = pd.Series([100, 100, 100], dtype="Float64")
    lo, hi = stats.wilson_ci(x, n, np.array([0.95, 0.95, 0.998]))
    assert lo[0] == pytest.approx(0.552544, abs=TOL)
    assert np.isnan(lo[1])
    assert hi[2] == pytest.approx(0.778354, abs=TOL)


@settings(max_examples=200, deadline=None)
@given(
    n=st.integers(1, 1_000_000),
    frac=st.floats(0, 1),
    k=st.integers(2, 50),
    conf=CONFS,
)
def test_wilson_properties(n, frac, k, conf):
    x = round(frac * n)
    lo, hi = stats.wilson_ci(x, n, conf)
    p = x / n
    assert 0.0 <= lo <= p + 1e-12
    assert p - 1e-12 <= hi <= 1.0
    lo2, hi2 = stats.wilson_ci(k * x, k * n, conf)
    assert hi2 - lo2 < hi - lo


# ------------------------------------------------------------------------------------------
# Poisson
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("x", "lower", "upper", "method"),
    [
        (10, 4.787450, 18.391459, stats.BYAR),
        (100, 81.362105, 121.627938, stats.BYAR),
        (0, 0.0, 3.688879, stats.EXACT_POISSON),
        (1, 0.025318, 5.571643, stats.EXACT_POISSON),
        (5, 1.623486, 11.668332, stats.EXACT_POISSON),
        (9, 4.115373, 17.084803, stats.EXACT_POISSON),
    ],
)
def test_poisson_golden(x, lower, upper, method):
    lo, hi = stats.poisson_ci(x)
    assert lo == pytest.approx(lower, abs=TOL)
    assert hi == pytest.approx(upper, abs=TOL)
    assert stats.poisson_ci_method(x) == method


def test_poisson_vector_with_invalid():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        lo, hi = stats.poisson_ci([np.nan, -1, 0, 9, 10, 100])
    assert np.isnan(lo[:2]).all() and np.isnan(hi[:2]).all()
    np.testing.assert_allclose(lo[2:], [0, 4.115373, 4.787450, 81.362105], atol=TOL)
    np.testing.assert_allclose(hi[2:], [3.688879, 17.084803, 18.391459, 121.627938], atol=TOL)
    methods = stats.poisson_ci_method([np.nan, -1, 0, 9, 10, 100])
    assert list(methods) == [None, None, *[stats.EXACT_POISSON] * 2, *[stats.BYAR] * 2]


@settings(max_examples=200, deadline=None)
@given(x=st.integers(0, 100_000), conf=CONFS)
def test_poisson_properties(x, conf):
    lo, hi = stats.poisson_ci(x, conf)
    assert 0.0 <= lo <= x <= hi


# ------------------------------------------------------------------------------------------
# Funnel limits and overdispersion
# ------------------------------------------------------------------------------------------


def test_funnel_golden():
    lo, hi = stats.funnel_limits(0.80642448, 3, 0.95)
    assert lo == pytest.approx(0.35933492, abs=TOL)
    assert hi == 1.0
    lo, _ = stats.funnel_limits(0.80642448, 3, 0.998)
    assert lo == pytest.approx(0.10150815, abs=TOL)


def test_funnel_invalid_rows():
    lo, hi = stats.funnel_limits(0.1, [0, np.nan, -5, 100])
    assert np.isnan(lo[:3]).all() and np.isnan(hi[:3]).all()
    assert 0 < lo[3] < 0.1 < hi[3] < 1


@settings(max_examples=200, deadline=None)
@given(
    p0=st.floats(0.001, 0.999),
    n=st.integers(1, 1_000_000),
    k=st.integers(2, 100),
    conf=CONFS,
)
def test_funnel_properties(p0, n, k, conf):
    lo, hi = stats.funnel_limits(p0, [n, k * n], conf)
    assert (lo <= p0).all() and (hi >= p0).all()
    assert lo[1] >= lo[0] and hi[1] <= hi[0]
    assert hi[1] - lo[1] <= hi[0] - lo[0]
    if 0 < lo[0] and hi[0] < 1:
        assert hi[1] - lo[1] < hi[0] - lo[0]
    # the limits really invert the Wilson bounds where they are not capped
    if lo[0] > 0:
        assert stats.wilson_ci(lo[0] * n, n, conf)[1] == pytest.approx(p0, abs=1e-9)
    if hi[0] < 1:
        assert stats.wilson_ci(hi[0] * n, n, conf)[0] == pytest.approx(p0, abs=1e-9)


def _simulated(overdispersed: bool, k: int = 300):
    rng = np.random.default_rng(20240601)
    n = rng.integers(200, 5000, k)
    p = rng.beta(10, 90, k) if overdispersed else np.full(k, 0.1)
    x = rng.binomial(n, p)
    return x, n, x.sum() / n.sum()


def test_overdispersion_binomial_data():
    x, n, p0 = _simulated(overdispersed=False)
    res = stats.overdispersion(x, n, p0)
    # winsorising at 10%/90% biases phi below 1 for pure binomial data (≈0.68 expected)
    assert 0.5 < res.phi < 1.1
    assert not res.overdispersed
    assert res.tau2 == 0.0 and res.k == 300
    lo, hi = stats.adjusted_funnel_limits(p0, n, 0.998, phi=res.phi)
    np.testing.assert_array_equal(np.c_[lo, hi], np.c_[stats.funnel_limits(p0, n, 0.998)])


def test_overdispersion_overdispersed_data():
    x, n, p0 = _simulated(overdispersed=True)
    res = stats.overdispersion(x, n, p0)
    assert res.phi > 3 and res.overdispersed and res.tau2 > 0
    assert res.z.shape == (300,)
    assert res.z_winsorised.max() <= np.quantile(res.z, 0.9) + 1e-12
    assert stats.OVERDISPERSION == res.method


def test_overdispersion_ignores_invalid_rows():
    res = stats.overdispersion([5, 7, 0, 3, 9], [50, 60, 0, np.nan, 70], 0.1)
    assert res.k == 3
    assert np.isnan(res.z[2]) and np.isnan(res.z[3])
    empty = stats.overdispersion([0], [0], 0.1)
    assert empty.k == 0 and np.isnan(empty.phi)


def test_overdispersion_has_no_between_area_variance_for_a_single_area():
    # with k = 1 the DerSimonian-Laird denominator is 0 up to rounding (it gave tau2 ~ 1e10)
    one = stats.overdispersion([37], [3123], 0.0093)
    assert one.k == 1 and np.isfinite(one.phi) and np.isnan(one.tau2)
    df = pd.DataFrame({"set": [1, 2, 2], "x": [37.0, 5.0, 9.0], "n": [3123.0, 400.0, 380.0]})
    out = stats.overdispersion_grouped(df.assign(p0=0.0093), ["set"], "x", "n", "p0")
    assert np.isnan(out.set_index("set").tau2[1]) and np.isfinite(out.set_index("set").tau2[2])


def test_adjusted_funnel_limits():
    p0, n = 0.2, np.array([100.0, 1000.0])
    s = np.sqrt(p0 * (1 - p0) / n)
    z = stats.z_value(0.998)
    lo, hi = stats.adjusted_funnel_limits(p0, n, 0.998, phi=4.0)
    np.testing.assert_allclose(hi - p0, 2 * z * s, atol=1e-12)
    np.testing.assert_allclose(p0 - lo[1], 2 * z * s[1], atol=1e-12)
    lo, hi = stats.adjusted_funnel_limits(p0, n, 0.998, tau2=0.001, method="additive")
    np.testing.assert_allclose(hi - p0, z * np.sqrt(s**2 + 0.001), atol=1e-12)
    lo, hi = stats.adjusted_funnel_limits(p0, n, 0.998, phi=0.9, tau2=0.001, method="additive")
    np.testing.assert_array_equal(hi, stats.funnel_limits(p0, n, 0.998)[1])
    assert stats.funnel_method(4.0, None, "multiplicative") == stats.FUNNEL_MULTIPLICATIVE
    assert stats.funnel_method(4.0, 0.001, "additive") == stats.FUNNEL_ADDITIVE
    assert stats.funnel_method(0.8, None, "multiplicative") == stats.FUNNEL
    with pytest.raises(ValueError):
        stats.adjusted_funnel_limits(p0, n, 0.998)
    with pytest.raises(ValueError):
        stats.adjusted_funnel_limits(p0, n, 0.998, phi=2.0, method="additive")
    with pytest.raises(ValueError):
        stats.adjusted_funnel_limits(p0, n, 0.998, phi=2.0, method="bogus")


# ------------------------------------------------------------------------------------------
# Trend test
# ------------------------------------------------------------------------------------------

YEARS = np.arange(2015, 2023)


def test_trend_increasing_and_decreasing():
    n = np.full(8, 10_000)
    x = 1000 + 100 * np.arange(8)
    res = stats.trend_test(YEARS, x, n)
    assert res.verdict == "toenemend" and res.direction == 1
    assert res.chi2 > 9.549536 and res.p_value < 0.002
    assert (res.n_points, res.first_year, res.last_year) == (8, 2015, 2022)
    assert res.method == stats.TREND_METHOD == stats.trend_method(0.998)
    assert "95%" in stats.trend_test(YEARS, x, n, confidence=0.95).method
    assert stats.trend_test(YEARS, x[::-1], n).verdict == "afnemend"


def test_trend_flat_noisy():
    x = [100, 104, 97, 103, 96, 101, 99, 102]
    res = stats.trend_test(YEARS, x, np.full(8, 1000))
    assert res.verdict == "geen significante trend"
    assert res.chi2 < 9.549536


def test_trend_insufficient_points():
    res = stats.trend_test([2019, 2020, 2021, 2022], [10, 20, 30, 40], [100] * 4)
    assert res.verdict == "onvoldoende gegevens" and res.n_points == 4
    # a gap (denominator 0) leaves only the 4 most recent consecutive years
    res = stats.trend_test(YEARS, np.arange(8) * 10, [100, 100, 100, 0, 100, 100, 100, 100])
    assert res.verdict == "onvoldoende gegevens" and res.first_year == 2019


def test_trend_depends_on_single_outlier():
    x = [100, 100, 100, 100, 100, 200]
    res = stats.trend_test(YEARS[:6], x, np.full(6, 1000))
    assert res.chi2 > 9.549536  # significant on all points ...
    assert res.verdict == "geen significante trend"  # ... but not without the last one


def test_trend_unsorted_input_and_duplicates():
    n = np.full(8, 10_000)
    x = 1000 + 100 * np.arange(8)
    order = np.random.default_rng(0).permutation(8)
    assert stats.trend_test(YEARS[order], x[order], n).verdict == "toenemend"
    with pytest.raises(ValueError):
        stats.trend_test([2020, 2020, 2021, 2022, 2023], [1] * 5, [10] * 5)


def test_trend_tests_grouped_matches_single():
    rng = np.random.default_rng(7)
    areas, indicators, years = 342, 15, np.arange(2010, 2024)
    idx = pd.MultiIndex.from_product(
        [[f"GM{a:04d}" for a in range(areas)], [f"i{i}" for i in range(indicators)], years],
        names=["area", "indicator", "year"],
    )
    df = idx.to_frame(index=False)
    df["den"] = rng.integers(50, 3000, len(df))
    trend = 0.004 * (df["year"] - 2010) * (df["indicator"].str[1:].astype(int) % 3 - 1)
    df["num"] = rng.binomial(df["den"], 0.1 + trend)
    out = stats.trend_tests(df, ["area", "indicator"], "year", "num", "den")
    assert len(out) == areas * indicators
    assert set(out["verdict"]) <= {"toenemend", "afnemend", "geen significante trend"}
    for _, row in out.sample(20, random_state=1).iterrows():
        sub = df[(df["area"] == row["area"]) & (df["indicator"] == row["indicator"])]
        single = stats.trend_test(sub["year"], sub["num"], sub["den"])
        assert single.verdict == row["verdict"]
        assert single.chi2 == pytest.approx(row["chi2"])


# ------------------------------------------------------------------------------------------
# Empirical Bayes
# ------------------------------------------------------------------------------------------


def test_eb_smooth_shrinks_towards_pooled_mean():
    x, n, p0 = _simulated(overdispersed=True, k=100)
    smoothed, name = stats.eb_smooth(x, n)
    crude = x / n
    assert name == stats.EB_BETA_BINOMIAL
    assert np.all(np.abs(smoothed - p0) <= np.abs(crude - p0) + 1e-12)
    assert np.all(np.sign(smoothed - p0) == np.sign(crude - p0))
    binom, name = stats.eb_smooth(x, n, method="binomial")
    assert name == stats.EB_BINOMIAL
    assert np.all(np.abs(binom - p0) <= np.abs(crude - p0) + 1e-12)


def test_eb_smooth_small_areas_shrink_more():
    x = np.array([1, 100, 30, 300, 50, 200])
    n = np.array([5, 500, 100, 1000, 400, 2000])
    smoothed, _ = stats.eb_smooth(x, n, target=0.15)
    shrink = 1 - (smoothed - 0.15) / (x / n - 0.15)
    assert shrink[0] > shrink[1]  # same crude 20%, n = 5 vs 500


def test_eb_smooth_no_between_variance_and_invalid():
    smoothed, name = stats.eb_smooth([10, 20, 30, 0], [100, 200, 300, 0])
    np.testing.assert_allclose(smoothed[:3], 0.1)
    assert np.isnan(smoothed[3])
    assert stats.EB_FULL_SHRINKAGE in name
    smoothed, _ = stats.eb_smooth([0], [0])
    assert np.isnan(smoothed).all()
    with pytest.raises(ValueError):
        stats.eb_smooth([1], [10], method="bogus")


# ------------------------------------------------------------------------------------------
# Benchmark comparison
# ------------------------------------------------------------------------------------------


def test_compare_to_benchmark_labels_and_polarity():
    lower = [0.6, 0.1, 0.1, np.nan, 0.6]
    upper = [0.7, 0.2, 0.9, 0.9, 0.7]
    bench = [0.5, 0.5, 0.5, 0.5, np.nan]
    plain = stats.compare_to_benchmark(lower, upper, bench, None)
    assert list(plain) == ["hoger", "lager", "vergelijkbaar", *["niet te beoordelen"] * 2]
    assert list(stats.compare_to_benchmark(lower, upper, bench, "geen")) == list(plain)
    low_good = stats.compare_to_benchmark(lower, upper, bench, "lager is beter")
    assert list(low_good[:3]) == ["slechter", "beter", "vergelijkbaar"]
    high_good = stats.compare_to_benchmark(lower, upper, bench, "hoger is beter")
    assert list(high_good[:3]) == ["beter", "slechter", "vergelijkbaar"]
    assert high_good[3] == "niet te beoordelen"


def test_compare_to_benchmark_per_row_polarity_and_scalar():
    pol = pd.Series(["lager is beter", "hoger is beter", None])
    out = stats.compare_to_benchmark([0.6, 0.6, 0.6], [0.7, 0.7, 0.7], 0.5, pol)
    assert list(out) == ["slechter", "beter", "hoger"]
    assert stats.compare_to_benchmark(0.6, 0.7, 0.5, "lager is beter") == "slechter"
    # touching the benchmark is not "entirely above"
    assert stats.compare_to_benchmark(0.5, 0.7, 0.5) == "vergelijkbaar"
    with pytest.raises(ValueError):
        stats.compare_to_benchmark(0.6, 0.7, 0.5, "omhoog")


# ------------------------------------------------------------------------------------------
# DuckDB UDFs
# ------------------------------------------------------------------------------------------


@pytest.fixture
def con():
    connection = duckdb.connect()
    stats.register_duckdb_functions(connection)
    yield connection
    connection.close()


def test_duckdb_wilson_lower_golden(con):
    (value,) = con.sql("select wilson_lower(65, 100, 0.95)").fetchall()[0]
    assert value == pytest.approx(0.552544, abs=TOL)


def test_duckdb_registration_is_idempotent(con):
    names = stats.register_duckdb_functions(con)
    assert len(names) == 6
    (value,) = con.sql("select wilson_upper(65, 100, 0.998)").fetchall()[0]
    assert value == pytest.approx(0.778354, abs=TOL)


def test_duckdb_round_trip_and_nulls(con):
    rows = con.sql(
        """
        select wilson_lower(x, n, 0.95), wilson_upper(x, n, 0.95),
               poisson_lower(x, 0.95), poisson_upper(x, 0.95),
               funnel_lower(0.80642448, n, c), funnel_upper(0.80642448, n, c)
        from (values (65.0, 100.0, 0.95), (NULL, 100.0, 0.95), (5.0, 0.0, 0.998),
                     (9.0, 3.0, 0.998)) t(x, n, c)
        """
    ).fetchall()
    assert rows[0][0] == pytest.approx(0.552544, abs=TOL)
    assert rows[0][3] == pytest.approx(stats.poisson_ci(65)[1], abs=1e-12)
    assert rows[1][:4] == (None, None, None, None)
    assert rows[2][0] is None and rows[2][1] is None and rows[2][4] is None  # n = 0
    assert rows[2][2] == pytest.approx(1.623486, abs=TOL)
    assert rows[3][0] is None  # numerator > denominator
    assert rows[3][3] == pytest.approx(17.084803, abs=TOL)
    assert rows[3][4] == pytest.approx(0.10150815, abs=TOL)


def test_duckdb_vectorised_matches_python(con):
    x = np.arange(0, 3000, dtype=float)
    n = x + 50
    df = pd.DataFrame({"x": x, "n": n})  # noqa: F841 (read by duckdb replacement scan)
    got = con.sql("select wilson_lower(x, n, 0.998) as lo from df").df()["lo"].to_numpy()
    np.testing.assert_allclose(got, stats.wilson_ci(x, n, 0.998)[0], atol=1e-12)


# ------------------------------------------------------------------------------------------
# Vectorised variants used by the marts
# ------------------------------------------------------------------------------------------


def test_eb_smooth_per_row_targets():
    x, n, _ = _simulated(overdispersed=True, k=60)
    constant, _ = stats.eb_smooth(x, n, target=0.12)
    per_row, _ = stats.eb_smooth(x, n, target=np.full(60, 0.12))
    np.testing.assert_allclose(per_row, constant, rtol=1e-12)
    targets = np.where(np.arange(60) < 30, 0.08, 0.14)
    smoothed, name = stats.eb_smooth(x, n, target=targets)
    crude = x / n
    assert name == stats.EB_BETA_BINOMIAL
    # each value moves from its crude value towards its own target, never past it
    assert np.all(np.abs(smoothed - targets) <= np.abs(crude - targets) + 1e-12)
    assert np.all((smoothed - targets) * (crude - targets) >= 0)
    with_gap, _ = stats.eb_smooth(x, n, target=np.where(np.arange(60) == 5, np.nan, targets))
    assert np.isnan(with_gap[5]) and np.isfinite(np.delete(with_gap, 5)).all()
    with pytest.raises(ValueError):
        stats.eb_smooth(x, n, target=np.full(60, 1.5))


def test_overdispersion_grouped_matches_per_group():
    rng = np.random.default_rng(7)
    frames = []
    for g in range(25):
        k = int(rng.integers(1, 40))
        n = rng.integers(10, 3000, k).astype(float)
        x = rng.binomial(n.astype(int), rng.beta(5, 40, k)).astype(float)
        p0 = x.sum() / n.sum() if g % 8 else 0.0  # an invalid benchmark in some groups
        frames.append(pd.DataFrame({"set": g, "x": x, "n": n, "p0": p0}))
    df = pd.concat(frames, ignore_index=True)
    df.loc[3, "n"] = 0.0
    out = stats.overdispersion_grouped(df, ["set"], "x", "n", "p0")
    assert len(out) == 25
    for row in out.itertuples(index=False):
        part = df[df.set == row.set]
        ref = stats.overdispersion(part.x, part.n, part.p0.iloc[0])
        assert row.k == ref.k
        np.testing.assert_allclose([row.phi, row.tau2], [ref.phi, ref.tau2], rtol=1e-9)
    empty = stats.overdispersion_grouped(df.assign(n=0.0), ["set"], "x", "n", "p0")
    assert empty.phi.isna().all() and (empty.k == 0).all()


def test_adjusted_funnel_limits_per_row_parameters():
    p0 = np.array([0.2, 0.2, 0.3, 0.3])
    n = np.array([100.0, 1000.0, 100.0, 1000.0])
    phi = np.array([4.0, 4.0, 0.9, np.nan])
    tau2 = np.array([0.001, 0.001, 0.001, 0.002])
    lo, hi = stats.adjusted_funnel_limits(p0, n, 0.998, phi=phi, tau2=tau2, method="additive")
    ref = stats.adjusted_funnel_limits(0.2, n[:2], 0.998, tau2=0.001, method="additive")
    np.testing.assert_allclose(np.c_[lo[:2], hi[:2]], np.c_[ref], atol=1e-12)
    raw = stats.funnel_limits(p0[2:], n[2:], 0.998)  # phi <= 1 or unknown: no adjustment
    np.testing.assert_allclose(np.c_[lo[2:], hi[2:]], np.c_[raw], atol=1e-12)
    mlo, mhi = stats.adjusted_funnel_limits(p0, n, 0.95, phi=phi)
    single = stats.adjusted_funnel_limits(0.2, 100.0, 0.95, phi=4.0)
    assert (mlo[0], mhi[0]) == pytest.approx(single)
    assert (mlo[2], mhi[2]) == pytest.approx(stats.funnel_limits(0.3, 100.0, 0.95))


@settings(max_examples=100, deadline=None)
@given(
    x=st.integers(0, 5000),
    extra=st.integers(0, 5000),
    conf=CONFS,
)
def test_poisson_and_wilson_intervals_are_ordered_and_nested(x, extra, conf):
    n = x + extra
    if n > 0:
        lo, hi = stats.wilson_ci(x, n, conf)
        lo998, hi998 = stats.wilson_ci(x, n, 0.998)
        lo95, hi95 = stats.wilson_ci(x, n, 0.95)
        assert 0.0 <= lo <= x / n <= hi <= 1.0
        assert lo998 <= lo95 + 1e-12 and hi95 <= hi998 + 1e-12
    plo, phi_ = stats.poisson_ci(x, conf)
    assert 0.0 <= plo <= x <= phi_
