"""Statistical methods for public-health indicators (see ``METHODS.md``, which is the spec).

The methods follow the UK public-health indicator tools (R package ``PHEindicatormethods``, the
Fingertips technical guidance and NHS-R ``FunnelPlotR``). Everything is vectorised with numpy and
scipy; there is no I/O and nothing is printed.

Conventions:
    * Inputs may be scalars, lists, numpy arrays or pandas Series (nullable dtypes included; a
      missing value is treated as NaN). Inputs are broadcast against each other with numpy rules
      and pandas indexes are ignored (positional).
    * Numeric results are ``np.ndarray`` of float64 with the broadcast shape of the inputs; when
      *every* numeric input is a scalar the result is a plain ``float`` (numpy-ufunc style).
    * Invalid rows (NaN, negative counts, zero denominators, numerator > denominator) give NaN,
      never an exception and never a leaked numpy warning.
    * A confidence level outside (0, 1) is a programming error and raises ``ValueError``; a NaN
      confidence gives NaN.
    * Every result can name its method: see the module constants and ``poisson_ci_method``,
      ``funnel_method`` and the ``method`` fields of the result dataclasses.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats as sps

__all__ = [
    "ADDITIVE",
    "BYAR",
    "EB_BETA_BINOMIAL",
    "EB_BINOMIAL",
    "EXACT_POISSON",
    "FUNNEL",
    "FUNNEL_ADDITIVE",
    "FUNNEL_MULTIPLICATIVE",
    "MULTIPLICATIVE",
    "OVERDISPERSION",
    "TREND_METHOD",
    "WILSON",
    "OverdispersionResult",
    "TrendResult",
    "adjusted_funnel_limits",
    "compare_to_benchmark",
    "eb_smooth",
    "funnel_limits",
    "funnel_method",
    "overdispersion",
    "overdispersion_grouped",
    "poisson_ci",
    "poisson_ci_method",
    "register_duckdb_functions",
    "trend_method",
    "trend_test",
    "trend_tests",
    "wilson_ci",
    "z_value",
]

ArrayLike = Any  # scalar, list, np.ndarray or pd.Series
FloatOrArray = float | np.ndarray

WILSON = "Wilson score"
BYAR = "Byar"
EXACT_POISSON = "exact Poisson"
BYAR_THRESHOLD = 10  # Byar's method for counts >= 10, exact Poisson below

FUNNEL = "inverted Wilson score"
MULTIPLICATIVE = "multiplicative"
ADDITIVE = "additive"
FUNNEL_MULTIPLICATIVE = "inverted Wilson score, overdispersion-adjusted (multiplicative: sqrt phi)"
FUNNEL_ADDITIVE = "inverted Wilson score, overdispersion-adjusted (additive: DerSimonian-Laird)"
OVERDISPERSION = (
    "Spiegelhalter (2005) overdispersion as in NHS-R FunnelPlotR: z = (p - p0)/sqrt(p0(1-p0)/n), "
    "winsorised at the 10th/90th percentiles; phi = sum(z_w^2)/k; tau2 DerSimonian-Laird"
)

TREND_METHOD = "Cochran–Armitage χ² voor trend, 99,8%, robuust bij weglaten van één punt"
TREND_UP = "toenemend"
TREND_DOWN = "afnemend"
TREND_NONE = "geen significante trend"
TREND_INSUFFICIENT = "onvoldoende gegevens"
TREND_MIN_POINTS = 5

EB_BETA_BINOMIAL = "empirical Bayes, beta-binomial (method of moments)"
EB_BINOMIAL = "empirical Bayes, binomial (Martuzzi-Elliott)"
EB_FULL_SHRINKAGE = "between-area variance <= 0: all values equal the prior mean"

HIGHER = "hoger"
LOWER = "lager"
SIMILAR = "vergelijkbaar"
NOT_ASSESSED = "niet te beoordelen"
BETTER = "beter"
WORSE = "slechter"
LOWER_IS_BETTER = "lager is beter"
HIGHER_IS_BETTER = "hoger is beter"
NO_POLARITY = "geen"


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------


def _arr(x: ArrayLike) -> np.ndarray:
    """Convert scalars, lists, arrays or (nullable) pandas objects to a float64 array."""
    if isinstance(x, pd.Series | pd.Index):
        return x.to_numpy(dtype=float, na_value=np.nan)
    return np.asarray(x, dtype=float)


def _all_scalar(*values: ArrayLike) -> bool:
    return all(np.ndim(v) == 0 for v in values)


def _out(value: np.ndarray, scalar: bool) -> FloatOrArray:
    """Return a float for scalar input, otherwise a float64 array."""
    value = np.asarray(value, dtype=float)
    return float(value) if scalar else value


def _z_array(confidence: ArrayLike) -> np.ndarray:
    """Two-sided normal quantile for (possibly per-row) confidence levels; NaN stays NaN."""
    conf = _arr(confidence)
    if np.any(np.isfinite(conf) & ((conf <= 0) | (conf >= 1))):
        raise ValueError("confidence must lie strictly between 0 and 1 (e.g. 0.95 or 0.998)")
    return sps.norm.ppf(1.0 - (1.0 - conf) / 2.0)


def z_value(confidence: float) -> float:
    """Two-sided standard-normal quantile ``z = Φ⁻¹(1 − (1 − c)/2)``.

    Args:
        confidence: Confidence level ``c`` in (0, 1), e.g. 0.95 (z = 1.959964) or 0.998
            (z = 3.090232).

    Returns:
        The quantile as a float.

    Raises:
        ValueError: If ``confidence`` is not strictly between 0 and 1.
    """
    if not 0.0 < float(confidence) < 1.0:
        raise ValueError("confidence must lie strictly between 0 and 1 (e.g. 0.95 or 0.998)")
    return float(sps.norm.ppf(1.0 - (1.0 - float(confidence)) / 2.0))


# --------------------------------------------------------------------------------------------
# Wilson score interval for proportions
# --------------------------------------------------------------------------------------------


def wilson_ci(
    numerator: ArrayLike, denominator: ArrayLike, confidence: ArrayLike = 0.95
) -> tuple[FloatOrArray, FloatOrArray]:
    """Wilson score interval for a proportion (METHODS.md, "Proportions — Wilson score").

    ``centre = (p + z²/2n)/(1 + z²/n)``, ``half = z·sqrt(p(1−p)/n + z²/4n²)/(1 + z²/n)``.
    The lower bound is exactly 0 when ``x = 0`` and the upper bound exactly 1 when ``x = n``.

    Args:
        numerator: Event counts ``x`` (non-integer values are accepted).
        denominator: Population sizes ``n``.
        confidence: Confidence level(s) in (0, 1); may vary per row.

    Returns:
        ``(lower, upper)`` as proportions in [0, 1] (multiply by 100 or 1000 for % or ‰).
        NaN where ``n <= 0``, an input is NaN/inf, ``x < 0`` or ``x > n``.
    """
    scalar = _all_scalar(numerator, denominator, confidence)
    x, n, z = np.broadcast_arrays(_arr(numerator), _arr(denominator), _z_array(confidence))
    valid = np.isfinite(x) & np.isfinite(n) & np.isfinite(z) & (n > 0) & (x >= 0) & (x <= n)
    with np.errstate(all="ignore"):
        ns = np.where(valid, n, 1.0)
        p = np.where(valid, x, 0.0) / ns
        z2n = z * z / ns
        centre = (p + z2n / 2.0) / (1.0 + z2n)
        half = z * np.sqrt(p * (1.0 - p) / ns + z2n / (4.0 * ns)) / (1.0 + z2n)
        lower = np.clip(np.where(p <= 0, 0.0, centre - half), 0.0, 1.0)
        upper = np.clip(np.where(p >= 1, 1.0, centre + half), 0.0, 1.0)
    lower = np.where(valid, lower, np.nan)
    upper = np.where(valid, upper, np.nan)
    return _out(lower, scalar), _out(upper, scalar)


# --------------------------------------------------------------------------------------------
# Poisson intervals for counts: Byar (x >= 10) and exact (x < 10)
# --------------------------------------------------------------------------------------------


def poisson_ci_method(count: ArrayLike) -> np.ndarray | str | None:
    """Name of the interval method ``poisson_ci`` uses per count.

    Args:
        count: Event counts.

    Returns:
        ``BYAR`` for counts >= 10, ``EXACT_POISSON`` for 0 <= count < 10 and ``None`` for NaN or
        negative counts; an object array, or a single value for scalar input.
    """
    x = _arr(count)
    with np.errstate(invalid="ignore"):
        names = np.where(x >= BYAR_THRESHOLD, BYAR, EXACT_POISSON).astype(object)
        names[~(np.isfinite(x) & (x >= 0))] = None
    return names.item() if np.ndim(count) == 0 else names


def poisson_ci(
    count: ArrayLike, confidence: ArrayLike = 0.95
) -> tuple[FloatOrArray, FloatOrArray]:
    """Confidence interval for a Poisson count (METHODS.md, "Counts and rates").

    Byar's approximation for ``x >= 10``:
    ``lower = x(1 − 1/(9x) − z/(3√x))³``, ``upper = (x+1)(1 − 1/(9(x+1)) + z/(3√(x+1)))³``.
    Exact (chi-square) limits for ``x < 10``: ``lower = χ²_{(1−c)/2}(2x)/2`` (0 when x = 0),
    ``upper = χ²_{1−(1−c)/2}(2x+2)/2``. Use ``poisson_ci_method`` to name the method per row.

    Args:
        count: Event counts ``x`` on the count scale.
        confidence: Confidence level(s) in (0, 1).

    Returns:
        ``(lower, upper)`` on the count scale (divide by the denominator and apply the
        multiplier for a rate). NaN for NaN, infinite or negative counts.
    """
    scalar = _all_scalar(count, confidence)
    conf = _arr(confidence)
    x, z, c = np.broadcast_arrays(_arr(count), _z_array(conf), conf)
    valid = np.isfinite(x) & (x >= 0) & np.isfinite(z)
    with np.errstate(all="ignore"):
        xs = np.where(valid, x, 1.0)
        alpha = 1.0 - c
        byar_lo = xs * (1.0 - 1.0 / (9.0 * xs) - z / (3.0 * np.sqrt(xs))) ** 3
        byar_hi = (xs + 1) * (1.0 - 1.0 / (9.0 * (xs + 1)) + z / (3.0 * np.sqrt(xs + 1))) ** 3
        exact_lo = np.where(xs > 0, sps.chi2.ppf(alpha / 2.0, 2.0 * np.maximum(xs, 1e-300)), 0.0)
        exact_lo = exact_lo / 2.0
        exact_hi = sps.chi2.ppf(1.0 - alpha / 2.0, 2.0 * xs + 2.0) / 2.0
    byar = xs >= BYAR_THRESHOLD
    lower = np.where(valid, np.where(byar, byar_lo, exact_lo), np.nan)
    upper = np.where(valid, np.where(byar, byar_hi, exact_hi), np.nan)
    return _out(lower, scalar), _out(upper, scalar)


# --------------------------------------------------------------------------------------------
# Funnel plots
# --------------------------------------------------------------------------------------------


def _funnel_parts(
    p0: ArrayLike, denominators: ArrayLike, confidence: ArrayLike
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Broadcast p0, z and the binomial standard error s = sqrt(p0(1−p0)/n); NaN if invalid."""
    p, n, z = np.broadcast_arrays(_arr(p0), _arr(denominators), _z_array(confidence))
    valid = np.isfinite(p) & np.isfinite(n) & np.isfinite(z) & (n > 0) & (p >= 0) & (p <= 1)
    with np.errstate(all="ignore"):
        s = np.sqrt(p * (1.0 - p) / np.where(valid, n, 1.0))
    return p, z, np.where(valid, s, np.nan), valid


def _cap(p0: np.ndarray, half: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    with np.errstate(invalid="ignore"):
        return np.clip(p0 - half, 0.0, 1.0), np.clip(p0 + half, 0.0, 1.0)


def funnel_limits(
    p0: ArrayLike, denominators: ArrayLike, confidence: ArrayLike = 0.95
) -> tuple[FloatOrArray, FloatOrArray]:
    """Funnel-plot control limits around a benchmark proportion by inverting the Wilson score.

    The lower limit ``L`` solves ``wilson_upper(L, n) = p0`` and the upper limit ``U`` solves
    ``wilson_lower(U, n) = p0`` (METHODS.md, "Funnel plots"). Because the Wilson interval is
    the set of ``π`` with ``(p − π)² ≤ z²·π(1−π)/n``, both equations have the closed-form
    solution ``p0 ∓ z·sqrt(p0(1−p0)/n)``; the limits are then capped to [0, 1] (where no
    solution in [0, 1] exists the cap is the limit).

    Args:
        p0: Benchmark (pooled) proportion in [0, 1].
        denominators: Denominators ``n`` at which to evaluate the limits.
        confidence: Confidence level(s), usually 0.95 and 0.998.

    Returns:
        ``(lower, upper)`` proportions; NaN where ``n <= 0`` or an input is invalid.
    """
    scalar = _all_scalar(p0, denominators, confidence)
    p, z, s, _ = _funnel_parts(p0, denominators, confidence)
    lower, upper = _cap(p, z * s)
    return _out(lower, scalar), _out(upper, scalar)


@dataclass(frozen=True, eq=False)
class OverdispersionResult:
    """Spiegelhalter (2005) overdispersion estimate, as in NHS-R FunnelPlotR.

    Attributes:
        z: Per-row z-score ``(p − p0)/s`` with ``s = sqrt(p0(1−p0)/n)``; NaN for ignored rows.
        z_winsorised: ``z`` clamped to its 10th/90th percentiles (NaN for ignored rows).
        phi: Overdispersion factor ``sum(z_w²)/k`` (> 1 means overdispersed).
        tau2: DerSimonian–Laird between-area variance on the proportion scale (>= 0).
        k: Number of rows used (finite numerator, denominator > 0, 0 <= x <= n).
        p0: The benchmark proportion used.
        method: Description of the method, for chart notes.
    """

    z: np.ndarray
    z_winsorised: np.ndarray
    phi: float
    tau2: float
    k: int
    p0: float
    method: str = OVERDISPERSION

    @property
    def overdispersed(self) -> bool:
        """True when ``phi > 1`` (adjusting the funnel limits is warranted)."""
        return bool(self.phi > 1.0)


def overdispersion(
    numerators: ArrayLike, denominators: ArrayLike, p0: float, winsor: float = 0.1
) -> OverdispersionResult:
    """Estimate overdispersion of proportions around ``p0`` (Spiegelhalter 2005; FunnelPlotR).

    z-scores use the normal approximation ``s = sqrt(p0(1−p0)/n)`` (not FunnelPlotR's
    arcsine-square-root scale for proportions), are winsorised at the ``winsor`` and
    ``1 − winsor`` quantiles (numpy's linear quantile = R's default type 7), and
    ``phi = sum(z_w²)/k``. ``tau2 = max(0, (k·phi − (k−1)) / (Σw − Σw²/Σw))`` with ``w = 1/s²``
    (DerSimonian–Laird). Rows with denominator 0/NaN (or invalid numerators) are ignored.

    Args:
        numerators: Event counts per area.
        denominators: Denominators per area.
        p0: Benchmark proportion in (0, 1).
        winsor: Tail fraction for winsorisation (0.1 = 10%/90%).

    Returns:
        An ``OverdispersionResult``; ``phi``/``tau2`` are NaN when no row is usable, and
        ``tau2`` is NaN with fewer than two usable rows (no between-area variance).
    """
    x, n = np.broadcast_arrays(_arr(numerators), _arr(denominators))
    x, n = np.atleast_1d(x), np.atleast_1d(n)
    valid = np.isfinite(x) & np.isfinite(n) & (n > 0) & (x >= 0) & (x <= n)
    p0f = float(p0)
    z = np.full(x.shape, np.nan)
    zw = np.full(x.shape, np.nan)
    k = int(valid.sum())
    if k == 0 or not 0.0 < p0f < 1.0:
        return OverdispersionResult(z, zw, np.nan, np.nan, k, p0f)
    s = np.sqrt(p0f * (1.0 - p0f) / n[valid])
    z[valid] = (x[valid] / n[valid] - p0f) / s
    lo, hi = np.quantile(z[valid], [winsor, 1.0 - winsor])
    zw[valid] = np.clip(z[valid], lo, hi)
    phi = float(np.sum(zw[valid] ** 2) / k)
    w = 1.0 / s**2
    denom = w.sum() - np.sum(w**2) / w.sum()
    # DerSimonian-Laird needs two areas: with one, Σw − Σw²/Σw is 0 up to rounding error
    tau2 = float(max(0.0, (k * phi - (k - 1)) / denom)) if k >= 2 and denom > 0 else np.nan
    return OverdispersionResult(z, zw, phi, tau2, k, p0f)


def overdispersion_grouped(
    df: pd.DataFrame,
    group_cols: Sequence[str],
    num_col: str,
    den_col: str,
    p0_col: str,
    winsor: float = 0.1,
) -> pd.DataFrame:
    """``overdispersion`` for every group of a long table at once (vectorised).

    Same estimates as calling ``overdispersion`` per group (winsorised z at the group's
    ``winsor``/``1 − winsor`` quantiles, numpy's linear method; ``phi``; DerSimonian–Laird
    ``tau2``), without a Python loop over groups.

    Args:
        df: One row per area, with the group columns, numerator, denominator and the group's
            benchmark proportion ``p0`` (constant within a group).
        group_cols: Columns identifying a comparison set.
        num_col: Numerator column.
        den_col: Denominator column.
        p0_col: Benchmark proportion column.
        winsor: Tail fraction for winsorisation.

    Returns:
        One row per group with the group columns, ``phi``, ``tau2`` and ``k`` (rows used);
        ``phi``/``tau2`` are NaN for groups without usable rows or with p0 outside (0, 1).
    """
    cols = list(group_cols)
    x, n, p0 = _arr(df[num_col]), _arr(df[den_col]), _arr(df[p0_col])
    with np.errstate(all="ignore"):
        counted = np.isfinite(x) & np.isfinite(n) & (n > 0) & (x >= 0) & (x <= n)
        valid = counted & np.isfinite(p0) & (p0 > 0) & (p0 < 1)
        s2 = p0 * (1.0 - p0) / n
        z = (x / n - p0) / np.sqrt(s2)
    k_all = df.loc[counted, cols].value_counts(dropna=False).rename("k").reset_index()
    rows = df.loc[valid, cols].assign(_z=z[valid], _w=1.0 / s2[valid])
    every = df[cols].drop_duplicates()
    if rows.empty:
        out = every.assign(phi=np.nan, tau2=np.nan).merge(k_all, on=cols, how="left")
        return out.assign(k=out.k.fillna(0).astype(int)).reset_index(drop=True)
    keys = rows.groupby(cols, sort=True, dropna=False)
    bounds = keys._z.quantile([winsor, 1.0 - winsor]).unstack()
    rows = rows.join(bounds.set_axis(["_lo", "_hi"], axis=1), on=cols)
    rows["_zw2"] = np.clip(rows._z, rows._lo, rows._hi) ** 2
    rows["_w2"] = rows._w**2
    sums = rows.groupby(cols, sort=True, dropna=False).agg(
        k=("_z", "size"), zw2=("_zw2", "sum"), w=("_w", "sum"), w2=("_w2", "sum")
    )
    phi = sums.zw2 / sums.k
    denom = sums.w - sums.w2 / sums.w
    usable = (denom > 0) & (sums.k >= 2)
    tau2 = ((sums.k * phi - (sums.k - 1)) / denom).clip(lower=0.0).where(usable)
    out = pd.DataFrame({"phi": phi, "tau2": tau2}).reset_index()
    out = every.merge(out, on=cols, how="left").merge(k_all, on=cols, how="left")
    out["k"] = out.k.fillna(0).astype(int)
    return out.reset_index(drop=True)


def _needs_adjustment(phi: float | None) -> bool:
    return phi is None or (np.isfinite(phi) and phi > 1.0)


def adjusted_funnel_limits(
    p0: ArrayLike,
    denominators: ArrayLike,
    confidence: ArrayLike = 0.95,
    phi: float | None = None,
    tau2: float | None = None,
    method: str = MULTIPLICATIVE,
) -> tuple[FloatOrArray, FloatOrArray]:
    """Funnel limits adjusted for overdispersion (Spiegelhalter 2005, as in FunnelPlotR).

    Adjustment is on the normal-approximation scale around ``p0``:
    multiplicative ``p0 ± z·sqrt(phi)·s``; additive ``p0 ± z·sqrt(s² + tau2)``, with
    ``s = sqrt(p0(1−p0)/n)``. When ``phi <= 1`` (or NaN) there is no evidence of
    overdispersion and the unadjusted inverted-Wilson limits (``funnel_limits``) are returned;
    ``funnel_method`` names what was done. Limits are capped to [0, 1].

    Args:
        p0: Benchmark proportion.
        denominators: Denominators at which to evaluate the limits.
        confidence: Confidence level(s).
        phi: Overdispersion factor from ``overdispersion``; required for ``multiplicative``.
            May be one value per row (e.g. per comparison set), then rows with ``phi <= 1`` or
            NaN get the unadjusted limits.
        tau2: DerSimonian–Laird ``tau2`` from ``overdispersion``; required for ``additive``;
            may also be one value per row.
        method: ``"multiplicative"`` or ``"additive"``.

    Returns:
        ``(lower, upper)`` proportions.

    Raises:
        ValueError: For an unknown method or a missing ``phi``/``tau2``.
    """
    if method not in (MULTIPLICATIVE, ADDITIVE):
        raise ValueError(f"method must be {MULTIPLICATIVE!r} or {ADDITIVE!r}, not {method!r}")
    if (method == MULTIPLICATIVE and phi is None) or (method == ADDITIVE and tau2 is None):
        raise ValueError(f"the {method} adjustment needs {'phi' if phi is None else 'tau2'}")
    per_row = np.ndim(phi) > 0 or np.ndim(tau2) > 0
    if not per_row and funnel_method(phi, tau2, method) == FUNNEL:
        return funnel_limits(p0, denominators, confidence)
    scalar = _all_scalar(p0, denominators, confidence) and not per_row
    p, z, s, _ = _funnel_parts(p0, denominators, confidence)
    phi_a = np.broadcast_to(_arr(np.nan if phi is None else phi), p.shape)
    with np.errstate(invalid="ignore"):
        overdispersed = np.isfinite(phi_a) & (phi_a > 1.0)
        if method == MULTIPLICATIVE:
            half = z * s * np.where(overdispersed, np.sqrt(np.where(overdispersed, phi_a, 1)), 1)
        else:
            tau = np.broadcast_to(_arr(tau2), p.shape)
            needs = (overdispersed | (phi is None)) & np.isfinite(tau) & (tau > 0)
            half = np.where(needs, z * np.sqrt(s**2 + np.where(needs, tau, 0.0)), z * s)
    lower, upper = _cap(p, half)
    return _out(lower, scalar), _out(upper, scalar)


def funnel_method(
    phi: float | None = None, tau2: float | None = None, method: str | None = None
) -> str:
    """Name the funnel limits ``adjusted_funnel_limits`` draws for these parameters.

    Args:
        phi: Overdispersion factor (``None`` = not estimated).
        tau2: Additive between-area variance (only used with ``method="additive"``).
        method: ``None`` (unadjusted), ``"multiplicative"`` or ``"additive"``.

    Returns:
        ``FUNNEL``, ``FUNNEL_MULTIPLICATIVE`` or ``FUNNEL_ADDITIVE``.
    """
    if method is None or not _needs_adjustment(phi):
        return FUNNEL
    if method == MULTIPLICATIVE:
        return FUNNEL_MULTIPLICATIVE if phi is not None else FUNNEL
    if tau2 is None or not np.isfinite(tau2) or tau2 <= 0:
        return FUNNEL
    return FUNNEL_ADDITIVE


# --------------------------------------------------------------------------------------------
# Trend test (Fingertips rule)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrendResult:
    """Outcome of the Fingertips-style trend test.

    Attributes:
        verdict: ``"toenemend"``, ``"afnemend"``, ``"geen significante trend"`` or
            ``"onvoldoende gegevens"``.
        chi2: Cochran–Armitage χ²₁ statistic on all points used (NaN if too few points).
        p_value: Upper-tail p-value of ``chi2`` on chi2(1).
        direction: Sign of the slope: +1 increasing, −1 decreasing, 0 flat/undetermined.
        n_points: Number of consecutive yearly points used.
        first_year: First year of the run used (None if no usable point).
        last_year: Last year of the run used (None if no usable point).
        method: Method description for chart notes.
    """

    verdict: str
    chi2: float
    p_value: float
    direction: int
    n_points: int
    first_year: int | None
    last_year: int | None
    method: str = TREND_METHOD


def trend_method(confidence: float = 0.998) -> str:
    """Method label of ``trend_test`` at a confidence level (``TREND_METHOD`` at 99.8%)."""
    level = f"{confidence * 100:.10g}".replace(".", ",")
    return f"Cochran–Armitage χ² voor trend, {level}%, robuust bij weglaten van één punt"


def _latest_run(years: np.ndarray, valid: np.ndarray) -> np.ndarray:
    """Indices (sorted by year) of the most recent run of consecutive valid years."""
    idx = np.flatnonzero(valid)
    if idx.size == 0:
        return idx
    idx = idx[np.argsort(years[idx], kind="stable")]
    steps = np.diff(years[idx])
    breaks = np.flatnonzero(steps != 1)
    return idx[breaks[-1] + 1 :] if breaks.size else idx


def _armitage_from_sums(sx, sn, sxt, snt, sntt) -> tuple[np.ndarray, np.ndarray]:
    """χ² = [Σxt − p̄Σnt]² / [p̄(1−p̄)(Σnt² − (Σnt)²/N)], p̄ = Σx/N (0 when no variation)."""
    with np.errstate(all="ignore"):
        pbar = sx / sn
        stat = sxt - pbar * snt
        var = pbar * (1.0 - pbar) * (sntt - snt**2 / sn)
        chi2 = np.where(var > 0, stat**2 / var, 0.0)
    return chi2, np.where(var > 0, stat, 0.0)


def _trend_arrays(
    years: np.ndarray, x: np.ndarray, n: np.ndarray, crit: float
) -> tuple[str, float, float, int, int, int | None, int | None]:
    """Trend test on plain arrays; returns the ``TrendResult`` fields (without method)."""
    valid = np.isfinite(years) & np.isfinite(x) & np.isfinite(n) & (n > 0) & (x >= 0) & (x <= n)
    run = _latest_run(years, valid)
    if run.size == 0:
        return TREND_INSUFFICIENT, np.nan, np.nan, 0, 0, None, None
    first, last = int(years[run[0]]), int(years[run[-1]])
    if run.size < TREND_MIN_POINTS:
        return TREND_INSUFFICIENT, np.nan, np.nan, 0, int(run.size), first, last
    xs, ns = x[run], n[run]
    t = years[run] - years[run].mean()
    parts = (xs, ns, xs * t, ns * t, ns * t * t)
    totals = [p.sum() for p in parts]
    chi2, stat = _armitage_from_sums(*totals)
    loo_chi2, loo_stat = _armitage_from_sums(
        *(tot - p for tot, p in zip(totals, parts, strict=True))
    )
    direction = int(np.sign(stat))
    robust = bool(np.all(loo_chi2 > crit) and np.all(np.sign(loo_stat) == direction))
    significant = bool(chi2 > crit) and robust and direction != 0
    verdict = (TREND_UP if direction > 0 else TREND_DOWN) if significant else TREND_NONE
    p_value = float(sps.chi2.sf(chi2, 1))
    return verdict, float(chi2), p_value, direction, int(run.size), first, last


def _check_years(years: np.ndarray) -> None:
    finite = years[np.isfinite(years)]
    if np.any(finite != np.round(finite)):
        raise ValueError("years must be whole numbers")
    if np.unique(finite).size != finite.size:
        raise ValueError("years must be unique within a series (aggregate duplicates first)")


def trend_test(
    years: ArrayLike,
    numerators: ArrayLike,
    denominators: ArrayLike,
    confidence: float = 0.998,
) -> TrendResult:
    """Fingertips-style significance test for a trend in a yearly proportion.

    Rules (METHODS.md, "Trend test"): the most recent run of at least 5 consecutive yearly
    points with denominator > 0 is used (all points of that run; earlier points before a gap
    are ignored), otherwise ``"onvoldoende gegevens"``. The Cochran–Armitage χ²₁ for trend
    (scores = years) must exceed the chi2(1) critical value at ``confidence`` (9.549536 for
    99.8%), and when each single point is left out in turn the χ² must stay above it with the
    same slope sign; otherwise ``"geen significante trend"``.

    Args:
        years: Calendar years (whole numbers, unique).
        numerators: Event counts per year.
        denominators: Denominators per year.
        confidence: Confidence level of the test (default 0.998).

    Returns:
        A ``TrendResult``.

    Raises:
        ValueError: For non-integer or duplicate years, or an invalid confidence.
    """
    y, x, n = (
        np.atleast_1d(a)
        for a in np.broadcast_arrays(_arr(years), _arr(numerators), _arr(denominators))
    )
    _check_years(y)
    crit = float(sps.chi2.ppf(confidence, 1)) if 0 < confidence < 1 else np.nan
    if not np.isfinite(crit):
        raise ValueError("confidence must lie strictly between 0 and 1")
    return TrendResult(*_trend_arrays(y, x, n, crit), method=trend_method(confidence))


def trend_tests(
    df: pd.DataFrame,
    group_cols: Sequence[str] | str,
    year_col: str,
    num_col: str,
    den_col: str,
    confidence: float = 0.998,
) -> pd.DataFrame:
    """Apply ``trend_test`` to every group of a long table (for the marts).

    Args:
        df: Long table with one row per group and year.
        group_cols: Column(s) identifying a series, e.g. ``["area_code", "indicator_id"]``.
        year_col: Year column.
        num_col: Numerator column.
        den_col: Denominator column.
        confidence: Confidence level of the test (default 0.998).

    Returns:
        One row per group: the group columns, ``verdict``, ``chi2``, ``p_value``,
        ``direction``, ``n_points``, ``first_year``, ``last_year`` and ``method``.

    Raises:
        ValueError: For duplicate years within a group or an invalid confidence.
    """
    cols = [group_cols] if isinstance(group_cols, str) else list(group_cols)
    if not 0 < confidence < 1:
        raise ValueError("confidence must lie strictly between 0 and 1")
    crit = float(sps.chi2.ppf(confidence, 1))
    y, x, n = (_arr(df[c]) for c in (year_col, num_col, den_col))
    _check_years_grouped(df, cols, y)
    groups = df.groupby(cols, sort=True, dropna=False).indices
    rows = [(*_key(k), *_trend_arrays(y[i], x[i], n[i], crit)) for k, i in groups.items()]
    fields = ["verdict", "chi2", "p_value", "direction", "n_points", "first_year", "last_year"]
    out = pd.DataFrame(rows, columns=[*cols, *fields])
    for col in ("first_year", "last_year"):
        out[col] = out[col].astype("Int64")
    out["direction"] = out["direction"].astype(int)
    out["n_points"] = out["n_points"].astype(int)
    out["method"] = trend_method(confidence)
    return out


def _key(key: Any) -> tuple:
    return key if isinstance(key, tuple) else (key,)


def _check_years_grouped(df: pd.DataFrame, cols: list[str], years: np.ndarray) -> None:
    finite = years[np.isfinite(years)]
    if np.any(finite != np.round(finite)):
        raise ValueError("years must be whole numbers")
    keys = df[cols].assign(_year=years)
    if keys.duplicated().any():
        raise ValueError("years must be unique within each group (aggregate duplicates first)")


# --------------------------------------------------------------------------------------------
# Empirical Bayes smoothing
# --------------------------------------------------------------------------------------------


def eb_smooth(
    numerators: ArrayLike,
    denominators: ArrayLike,
    target: ArrayLike | None = None,
    method: str = "beta-binomial",
) -> tuple[np.ndarray, str]:
    """Empirical-Bayes shrinkage of small-area proportions (label the output *gemodelleerd*).

    The prior mean ``μ`` is ``target`` (e.g. the NL or GGD-region value; one value, or one per
    row such as each gemeente's own GGD-regio) or the pooled proportion ``Σx/Σn`` of the rows.
    The between-area variance is estimated by moments (Martuzzi & Elliott 1996):
    ``σ² = (Σnᵢ(pᵢ − μᵢ)² − Σμᵢ(1−μᵢ))/Σn``, which for one ``μ`` is
    ``Σnᵢ(pᵢ − μ)²/Σn − μ(1−μ)/n̄`` with ``n̄ = Σn/k``.

    * ``"beta-binomial"``: prior Beta(μM, (1−μ)M) with ``M = μ(1−μ)/σ² − 1``; smoothed value
      ``(x + μM)/(n + M)`` (``M`` floored at 0, i.e. no shrinkage, if ``σ² >= μ(1−μ)``).
    * ``"binomial"`` (Martuzzi–Elliott): ``μ + w(p − μ)``, ``w = σ²/(σ² + μ(1−μ)/n)``.

    If ``σ² <= 0`` every value shrinks to its ``μ``. Never use the result to fill a suppressed
    cell.

    Args:
        numerators: Event counts per area.
        denominators: Denominators per area.
        target: Prior mean(s); ``None`` = pooled proportion of the rows. A row whose target is
            NaN is left out (NaN result).
        method: ``"beta-binomial"`` or ``"binomial"``.

    Returns:
        ``(smoothed_proportion, method_name)``; the array is NaN where ``n <= 0``/invalid.

    Raises:
        ValueError: For an unknown method or a target outside [0, 1].
    """
    names = {"beta-binomial": EB_BETA_BINOMIAL, "binomial": EB_BINOMIAL}
    if method not in names:
        raise ValueError(f"method must be one of {sorted(names)}, not {method!r}")
    x, n = (np.atleast_1d(a) for a in np.broadcast_arrays(_arr(numerators), _arr(denominators)))
    mu_all = np.broadcast_to(_arr(np.nan if target is None else target), x.shape)
    if np.any(np.isfinite(mu_all) & ((mu_all < 0) | (mu_all > 1))):
        raise ValueError("target must be a proportion in [0, 1]")
    valid = np.isfinite(x) & np.isfinite(n) & (n > 0) & (x >= 0) & (x <= n)
    if target is not None:
        valid &= np.isfinite(mu_all)
    out = np.full(x.shape, np.nan)
    if not valid.any():
        return out, names[method]
    xv, nv = x[valid], n[valid]
    mu = np.full(xv.shape, xv.sum() / nv.sum()) if target is None else mu_all[valid]
    sigma2 = (np.sum(nv * (xv / nv - mu) ** 2) - np.sum(mu * (1 - mu))) / nv.sum()
    if sigma2 <= 0:
        out[valid] = mu
        return out, f"{names[method]}; {EB_FULL_SHRINKAGE}"
    if method == "beta-binomial":
        m = np.maximum(mu * (1.0 - mu) / sigma2 - 1.0, 0.0)
        out[valid] = (xv + mu * m) / (nv + m)
    else:
        w = sigma2 / (sigma2 + mu * (1.0 - mu) / nv)
        out[valid] = mu + w * (xv / nv - mu)
    return out, names[method]


# --------------------------------------------------------------------------------------------
# Comparison with a benchmark
# --------------------------------------------------------------------------------------------


def _polarity_code(value: Any) -> int:
    """−1 for "lager is beter", +1 for "hoger is beter", 0 for "geen"/None/missing."""
    if not isinstance(value, str) and pd.isna(value):
        return 0
    label = str(value).strip().lower()
    codes = {LOWER_IS_BETTER: -1, HIGHER_IS_BETTER: 1, NO_POLARITY: 0, "": 0}
    if label not in codes:
        raise ValueError(f"unknown polarity {value!r}")
    return codes[label]


def _polarity_codes(polarity: Any, shape: tuple[int, ...]) -> np.ndarray:
    """Vectorised ``_polarity_code`` broadcast to ``shape`` (maps each distinct label once)."""
    flat = pd.Series(np.broadcast_to(np.asarray(polarity, dtype=object), shape).ravel())
    lookup = {value: _polarity_code(value) for value in flat.unique()}
    return flat.map(lookup).fillna(0).to_numpy(dtype=int).reshape(shape)


def compare_to_benchmark(
    lower: ArrayLike, upper: ArrayLike, benchmark: ArrayLike, polarity: Any = None
) -> np.ndarray | str:
    """Compare an area's interval with a benchmark's point value (METHODS.md, "Comparison").

    Interval entirely above the benchmark → ``"hoger"``, entirely below → ``"lager"``, else
    ``"vergelijkbaar"``; a NaN bound or benchmark → ``"niet te beoordelen"``. With polarity
    ``"lager is beter"`` the labels become ``"slechter"``/``"beter"`` and with
    ``"hoger is beter"`` ``"beter"``/``"slechter"``; ``"geen"``/``None`` keeps hoger/lager.

    Args:
        lower: Lower bounds of the area's interval.
        upper: Upper bounds of the area's interval.
        benchmark: Benchmark point value(s) on the same scale.
        polarity: A polarity label, or one per row.

    Returns:
        An object array of labels (a ``str`` when all inputs are scalars).

    Raises:
        ValueError: For an unknown polarity label.
    """
    scalar = _all_scalar(lower, upper, benchmark, polarity)
    lo, hi, bm = np.broadcast_arrays(_arr(lower), _arr(upper), _arr(benchmark))
    codes = _polarity_codes(polarity, lo.shape)
    with np.errstate(invalid="ignore"):
        above, below = lo > bm, hi < bm
    missing = ~(np.isfinite(lo) & np.isfinite(hi) & np.isfinite(bm))
    high_label = np.select([codes > 0, codes < 0], [BETTER, WORSE], HIGHER).astype(object)
    low_label = np.select([codes > 0, codes < 0], [WORSE, BETTER], LOWER).astype(object)
    result = np.select([missing, above, below], [NOT_ASSESSED, high_label, low_label], SIMILAR)
    result = result.astype(object)
    return str(result.item()) if scalar else result


# --------------------------------------------------------------------------------------------
# DuckDB user-defined functions
# --------------------------------------------------------------------------------------------


def _to_numpy(column) -> np.ndarray:
    return np.asarray(column.to_numpy(zero_copy_only=False), dtype=float)


def _to_arrow(values: FloatOrArray):
    import pyarrow as pa

    return pa.array(np.atleast_1d(np.asarray(values, dtype=float)), from_pandas=True)


# DuckDB checks the Python arity, so each UDF has explicit parameters. Columns arrive as
# pyarrow (chunked) arrays; NaN results are returned as NULL.
def _udf_wilson_lower(num, den, conf):
    return _to_arrow(wilson_ci(_to_numpy(num), _to_numpy(den), _to_numpy(conf))[0])


def _udf_wilson_upper(num, den, conf):
    return _to_arrow(wilson_ci(_to_numpy(num), _to_numpy(den), _to_numpy(conf))[1])


def _udf_poisson_lower(count, conf):
    return _to_arrow(poisson_ci(_to_numpy(count), _to_numpy(conf))[0])


def _udf_poisson_upper(count, conf):
    return _to_arrow(poisson_ci(_to_numpy(count), _to_numpy(conf))[1])


def _udf_funnel_lower(p0, n, conf):
    return _to_arrow(funnel_limits(_to_numpy(p0), _to_numpy(n), _to_numpy(conf))[0])


def _udf_funnel_upper(p0, n, conf):
    return _to_arrow(funnel_limits(_to_numpy(p0), _to_numpy(n), _to_numpy(conf))[1])


_UDFS = {
    "wilson_lower": (_udf_wilson_lower, 3),
    "wilson_upper": (_udf_wilson_upper, 3),
    "poisson_lower": (_udf_poisson_lower, 2),
    "poisson_upper": (_udf_poisson_upper, 2),
    "funnel_lower": (_udf_funnel_lower, 3),
    "funnel_upper": (_udf_funnel_upper, 3),
}


def register_duckdb_functions(con) -> list[str]:
    """Register the interval functions as vectorised DuckDB scalar UDFs (``type="arrow"``).

    Registered (all DOUBLE): ``wilson_lower(num, den, conf)``, ``wilson_upper(num, den, conf)``,
    ``poisson_lower(count, conf)``, ``poisson_upper(count, conf)``,
    ``funnel_lower(p0, n, conf)`` and ``funnel_upper(p0, n, conf)``. A NULL argument gives
    NULL: the UDFs use ``null_handling="special"``, read NULL as NaN and return every NaN
    result (NULL or NaN input, zero denominator, numerator > denominator) as NULL.
    Safe to call more than once on one connection: existing UDFs with these names are replaced.

    Args:
        con: A ``duckdb.DuckDBPyConnection``.

    Returns:
        The names of the registered functions.
    """
    import duckdb
    from duckdb.sqltypes import DOUBLE

    for name, (fn, n_args) in _UDFS.items():
        try:
            con.remove_function(name)
        except duckdb.InvalidInputException:
            pass
        con.create_function(
            name, fn, [DOUBLE] * n_args, DOUBLE, type="arrow", null_handling="special"
        )
    return list(_UDFS)
