"""Statistics for individual and group effect measurement (DOMAIN.md §6, domain-reference.md §3). Pure Python.

INTERFACE CONTRACT (the stats helper replaces every ``NotImplementedError`` body; signatures and result fields
are fixed because views, charts and other tools call them):

- every function takes plain sequences of numbers in time order, "higher is better" unless told otherwise;
- every result has a ``value`` (a float), or is ``NotEnoughMeasurements`` whose ``value`` is ``None``;
- invalid parameters (reliability outside (0, 1), a non-positive SD) raise ``ValueError``.

Numbers may be ``float``, ``int`` or ``Decimal`` (scale scores are ``Decimal``); NaN or infinity raises
``ValueError``, because a missing score must be left out by the caller, not computed with. No result field is ever
NaN or infinite.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import SupportsFloat

import numpy as np
from scipy import stats as scipy_stats

MIN_PHASE_POINTS = 3
"""Fewest points per phase for NAP, Tau and Tau-U.

The What Works Clearinghouse single-case design standards (Kratochwill et al. 2010, *Single-case designs technical
documentation* v1.0) accept a phase with at least three data points (with reservations; five without): fewer
points cannot show a level or a trend, so an overlap index over them would look exact while saying nothing.
"""

MIN_GROUP_SIZE = 5
"""Fewest participants for a group pre/post effect (issue 6: group effects only for at least 5 measured people)."""

RELIABLE_Z = 1.96
"""Two-sided 5 % criterion of Jacobson & Truax (1991)."""

_CI_Z = float(scipy_stats.norm.ppf(0.975))


@dataclass(frozen=True)
class NotEnoughMeasurements:
    """Too few points for the statistic: shown as "not enough measurements", never as a number."""

    needed: int
    got: int
    value: None = None


@dataclass(frozen=True)
class ReliableChange:
    value: float  # the RCI itself: (post − pre) / S_diff, oriented so that positive is improvement
    change: float  # post − pre, raw, in scale units (not oriented)
    s_diff: float
    minimal_change: float  # 1.96 · S_diff: the smallest raw change that counts as reliable
    reliable: bool  # |RCI| > 1.96
    direction: str  # "improved", "deteriorated" or "unchanged" (unchanged = not reliable)


def reliable_change_index(
    pre: float, post: float, sd_pre: float, reliability: float, *, higher_is_better: bool = True
) -> ReliableChange:
    """Jacobson & Truax (1991): is one person's change larger than the scale's measurement error?

    SE = SD_pre · √(1 − r), S_diff = √(2 · SE²), RCI = (post − pre) / S_diff; reliable when |RCI| > 1.96.
    ``sd_pre`` is the SD of a reference (pre) sample and ``reliability`` the scale's r_xx, both from the scale's
    documentation, never from the client's own scores.
    """
    pre_score = _finite(pre, "pre")
    post_score = _finite(post, "post")
    sd = _finite(sd_pre, "sd_pre")
    r = _finite(reliability, "reliability")
    if not 0 < r < 1:
        raise ValueError(f"reliability must lie in (0, 1), got {r}")
    if sd <= 0:
        raise ValueError(f"sd_pre must be positive, got {sd}")
    standard_error = sd * math.sqrt(1 - r)
    s_diff = math.sqrt(2 * standard_error**2)
    change = post_score - pre_score
    rci = _orient(change, higher_is_better) / s_diff
    reliable = abs(rci) > RELIABLE_Z
    return ReliableChange(
        value=rci,
        change=change,
        s_diff=s_diff,
        minimal_change=RELIABLE_Z * s_diff,
        reliable=reliable,
        direction=("improved" if rci > 0 else "deteriorated") if reliable else "unchanged",
    )


@dataclass(frozen=True)
class Overlap:
    value: float
    baseline_points: int
    intervention_points: int


def nap(
    baseline: Sequence[float], intervention: Sequence[float], *, higher_is_better: bool = True
) -> Overlap | NotEnoughMeasurements:
    """Non-overlap of All Pairs in [0, 1]; needs MIN_PHASE_POINTS per phase.

    Parker & Vannest (2009): the share of (baseline, intervention) pairs in which the intervention point is better,
    a tie counting half; 0.5 means no difference. Equals (1 + Tau) / 2.
    """
    phases = _phases(baseline, intervention, higher_is_better)
    if isinstance(phases, NotEnoughMeasurements):
        return phases
    a, b = phases
    better = int(np.count_nonzero(b[np.newaxis, :] > a[:, np.newaxis]))
    ties = int(np.count_nonzero(b[np.newaxis, :] == a[:, np.newaxis]))
    return Overlap((better + 0.5 * ties) / (a.size * b.size), a.size, b.size)


def tau(
    baseline: Sequence[float], intervention: Sequence[float], *, higher_is_better: bool = True
) -> Overlap | NotEnoughMeasurements:
    """Tau = 2 · NAP − 1, in [−1, 1].

    The non-overlap Tau of Parker, Vannest & Davis (2011): S_AB / (m · n), where S_AB counts better pairs minus
    worse pairs over all m · n (baseline, intervention) pairs.
    """
    phases = _phases(baseline, intervention, higher_is_better)
    if isinstance(phases, NotEnoughMeasurements):
        return phases
    a, b = phases
    return Overlap(_s_ab(a, b) / (a.size * b.size), a.size, b.size)


def tau_u(
    baseline: Sequence[float], intervention: Sequence[float], *, higher_is_better: bool = True
) -> Overlap | NotEnoughMeasurements:
    """Parker et al. 2011 "A vs. B minus trend A": (S_AB − S_AA) / (m · n).

    S_AA = Σ_{i<j} sign(a_j − a_i) over the baseline in time order: a baseline that already improves by itself
    earns less credit for the intervention. Parker, Vannest, Davis & Sauber (2011) divide by m · n, so the value can
    leave [−1, 1] by up to (m − 1) / (2n) (the ``scan`` R package calls this the "parker" variant); the same
    formula as ``Tau_U`` in the SingleCaseES R package. A flat baseline gives Tau.
    """
    phases = _phases(baseline, intervention, higher_is_better)
    if isinstance(phases, NotEnoughMeasurements):
        return phases
    a, b = phases
    later_minus_earlier = np.sign(a[np.newaxis, :] - a[:, np.newaxis])
    s_aa = int(np.triu(later_minus_earlier, k=1).sum())
    return Overlap((_s_ab(a, b) - s_aa) / (a.size * b.size), a.size, b.size)


@dataclass(frozen=True)
class PrePost:
    value: float  # Hedges' g (d_av with the small-sample correction), oriented: positive is improvement
    n: int
    mean_pre: float
    mean_post: float
    mean_change: float  # post − pre, raw
    d_z: float
    hedges_g: float
    ci_low: float  # 95 % CI of hedges_g
    ci_high: float
    t: float | None  # paired t-test; None when every difference is equal
    p_t: float | None
    p_wilcoxon: float | None  # None when every difference is 0
    d_av: float = 0.0  # Cohen's d_av before the small-sample correction, oriented
    standardised: bool = True  # False when neither pre nor post scores vary: g, d_av and the CI are then 0.0


def pre_post(
    pre: Sequence[float],
    post: Sequence[float],
    *,
    higher_is_better: bool = True,
    min_n: int = MIN_GROUP_SIZE,
    significance: bool = True,
) -> PrePost | NotEnoughMeasurements:
    """Paired pre/post effect; ``pre[i]`` and ``post[i]`` belong to the same person.

    ``significance=False`` skips the two tests (t, p_t and p_wilcoxon are None): reports that show only the effect
    size and its interval spend most of their time in them otherwise.

    With D = post − pre and s_av = √((s_pre² + s_post²) / 2) (sample SDs, n − 1):

    - d_z = mean(D) / sd(D); d_av = mean(D) / s_av (Cumming 2013); g = J(n − 1) · d_av (``hedges_g``, df = n − 1
      as in the ``effectsize`` R package's ``repeated_measures_d``);
    - 95 % CI of g = J · (d_av ± 1.96 · SE), with the delta-method SE of d_av (mean(D) and the sample variances
      are independent under normality):
      SE² = Var(D) / (n · s_av²) + d_av² · (s_pre⁴ + s_post⁴ + 2 · cov²) / (8 · (n − 1) · s_av⁴).
      ``effectsize`` (citing Algina & Keselman 2003; domain-reference §3.3) keeps only the first term; the second
      adds the sampling error of s_av itself, without which the interval is too narrow for large effects in small
      groups (simulated coverage at n = 12, δ = 1.2: about 78 % instead of 92 %);
    - paired t-test (the one-sample t-test on D, as ``scipy.stats.ttest_rel``) and Wilcoxon signed-rank test with
      the p-value of ``scipy.stats.wilcoxon`` (zero differences dropped), both two-sided.

    Effect sizes, their CI and t are oriented (positive is improvement); means and ``mean_change`` stay raw.
    Degenerate data never give NaN or infinity: when every difference is equal, sd(D) = 0, so t and p_t are None
    and d_z (= t / √n, undefined) is reported as 0.0; when neither pre nor post scores vary there is nothing to
    standardise by, so ``standardised`` is False and g, d_av and the CI are 0.0: read ``mean_change`` instead.
    """
    if min_n < 3:
        raise ValueError(f"min_n must be at least 3 (Hedges' correction needs df ≥ 2), got {min_n}")
    x = _finite_array(pre, "pre")
    y = _finite_array(post, "post")
    if x.size != y.size:
        raise ValueError(f"pre and post must pair up: {x.size} pre scores, {y.size} post scores")
    n = int(x.size)
    if n < min_n:
        return NotEnoughMeasurements(needed=min_n, got=n)

    sign = 1.0 if higher_is_better else -1.0
    # Scale scores have at most a few decimals: rounding the differences removes float noise (0.1 + 0.2 ≠ 0.3), so
    # differences that are equal on paper are equal here, for the zero-variance cases and for the rank ties.
    diff = np.round(y - x, 9)
    mean_change = float(diff.mean())
    noise = 1e-9 * max(1.0, float(np.max(np.abs(x))), float(np.max(np.abs(y))))
    var_pre = float(x.var(ddof=1))
    var_post = float(y.var(ddof=1))
    var_diff = float(diff.var(ddof=1))
    covariance = float(np.cov(x, y, ddof=1)[0, 1])

    t: float | None = None
    p_t: float | None = None
    d_z = 0.0
    if math.sqrt(var_diff) > noise:
        d_z = sign * mean_change / math.sqrt(var_diff)
        if significance:
            paired = scipy_stats.ttest_1samp(diff, 0.0)
            t, p_t = sign * float(paired.statistic), float(paired.pvalue)

    p_wilcoxon = _wilcoxon_p(diff) if significance and np.any(diff != 0) else None

    var_av = (var_pre + var_post) / 2
    standardised = math.sqrt(var_av) > noise
    if standardised:
        d_av = sign * mean_change / math.sqrt(var_av)
        correction = hedges_g(1.0, n - 1)
        se = math.sqrt(
            var_diff / (n * var_av)
            + d_av**2 * (var_pre**2 + var_post**2 + 2 * covariance**2) / (8 * (n - 1) * var_av**2)
        )
        g = correction * d_av
        ci_low, ci_high = correction * (d_av - _CI_Z * se), correction * (d_av + _CI_Z * se)
    else:
        d_av = g = ci_low = ci_high = 0.0

    return PrePost(
        value=g,
        n=n,
        mean_pre=float(x.mean()),
        mean_post=float(y.mean()),
        mean_change=mean_change,
        d_z=d_z,
        hedges_g=g,
        ci_low=ci_low,
        ci_high=ci_high,
        t=t,
        p_t=p_t,
        p_wilcoxon=p_wilcoxon,
        d_av=d_av,
        standardised=standardised,
    )


def hedges_g(d: float, df: int) -> float:
    """Hedges' small-sample correction of a standardised mean difference.

    g = J · d with the exact J = Γ(df/2) / (√(df/2) · Γ((df − 1)/2)) (Hedges & Olkin 1985), through log-gamma so
    that large df do not overflow; J < 1 and tends to 1 (≈ 1 − 3 / (4·df − 1)). Needs df ≥ 2.
    """
    if df < 2:
        raise ValueError(f"Hedges' correction needs df ≥ 2, got {df}")
    half = df / 2
    log_j = math.lgamma(half) - 0.5 * math.log(half) - math.lgamma((df - 1) / 2)
    return math.exp(log_j) * _finite(d, "d")


def _finite(number: SupportsFloat, name: str) -> float:
    value = float(number)
    if not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value}")
    return value


def _finite_array(numbers: Sequence[SupportsFloat], name: str) -> np.ndarray:
    return np.array([_finite(number, name) for number in numbers], dtype=float)


def _orient(value: float, higher_is_better: bool) -> float:
    return value if higher_is_better else -value


def _phases(
    baseline: Sequence[float], intervention: Sequence[float], higher_is_better: bool
) -> tuple[np.ndarray, np.ndarray] | NotEnoughMeasurements:
    """Both phases as arrays oriented so that higher is better, or NotEnoughMeasurements."""
    a = _finite_array(baseline, "baseline")
    b = _finite_array(intervention, "intervention")
    if min(a.size, b.size) < MIN_PHASE_POINTS:
        return NotEnoughMeasurements(needed=MIN_PHASE_POINTS, got=min(a.size, b.size))
    if not higher_is_better:
        a, b = -a, -b
    return a, b


def _wilcoxon_p(diff: np.ndarray) -> float:
    """Two-sided p of the Wilcoxon signed-rank test: ``scipy.stats.wilcoxon(diff).pvalue``, computed faster.

    For up to 13 differences with ties or zeros SciPy enumerates all 2ⁿ sign patterns (tens of milliseconds per
    call, too slow for a page with many groups); the same exact null distribution follows from counting subsets of
    the doubled midranks, which takes microseconds. Every other case goes to SciPy unchanged.
    """
    nonzero = diff[diff != 0]
    ranks = scipy_stats.rankdata(np.abs(nonzero))
    has_ties = np.unique(ranks).size < ranks.size
    if diff.size > 13 or not (has_ties or nonzero.size < diff.size):
        return float(scipy_stats.wilcoxon(diff).pvalue)
    doubled = np.rint(2 * ranks).astype(int)
    counts = np.zeros(int(doubled.sum()) + 1)
    counts[0] = 1.0
    for rank in doubled:
        counts[rank:] = counts[rank:] + counts[:-rank]
    observed = int(doubled[nonzero > 0].sum())
    total = counts.sum()
    lower, upper = counts[: observed + 1].sum() / total, counts[observed:].sum() / total
    return float(min(1.0, 2 * min(lower, upper)))


def _s_ab(a: np.ndarray, b: np.ndarray) -> int:
    """Intervention points better than baseline points minus worse ones, over all pairs."""
    return int(np.sign(b[np.newaxis, :] - a[:, np.newaxis]).sum())
