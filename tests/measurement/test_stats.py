"""The statistics module against published worked examples (issue 6, "Done when"), and its edge cases.

Sources of the worked examples:

- RCI: Wodrich, *Social-Emotional Assessment in Schools* (University of Arizona Open Textbooks), Appendix E "How to
  Calculate Reliable Change Indexes (RCIs)": Piers-Harris-2 Total score, SEM 3.07 (Piers & Herzberg 2002),
  S_diff = 4.34, criterion 1.96 · S_diff = 8.51, pre 24 → post 35 is a reliable change.
  https://opentextbooks.library.arizona.edu/wodrichseas/back-matter/how-to-calculate-a-reliable-change-index-rci
- NAP and Tau: Parker, Vannest & Davis (2011), "Effect size in single-case research: a review of nine nonoverlap
  techniques", Behavior Modification 35(4); example A = 20 20 26 25 22 23, B = 28 25 24 27 30 30 29:
  NAP = 38.5 / 42, Tau = (38 − 3) / 42. Tau-U: their second example A = 3 3 4 5, B = 4 5 6 7 7: Tau = 16 / 20,
  Tau-U = 11 / 20. Both as reproduced in the SingleCaseES R package (Pustejovsky & Swan),
  tests/testthat/test-parker-vannest-davis-2011.R.
- Hedges' g and the paired statistics: Lakens (2013), "Calculating and reporting effect sizes to facilitate
  cumulative science", Frontiers in Psychology 4:863, movie ratings of ten people: between subjects d_s = 1.13,
  g_s = 1.08; within subjects t(9) = 4.74, p = .001, d_z = 1.50.
"""

import math
from decimal import Decimal
from typing import Any

import numpy as np
import pytest

from koers.measurement.stats import (
    MIN_GROUP_SIZE,
    MIN_PHASE_POINTS,
    NotEnoughMeasurements,
    Overlap,
    PrePost,
    hedges_g,
    nap,
    pre_post,
    reliable_change_index,
    tau,
    tau_u,
)

MOVIE_1 = [9, 7, 8, 9, 8, 9, 9, 10, 9, 9]
MOVIE_2 = [9, 6, 7, 8, 7, 9, 8, 8, 8, 7]

PVD_BASELINE = [20, 20, 26, 25, 22, 23]
PVD_INTERVENTION = [28, 25, 24, 27, 30, 30, 29]


# Reliable Change Index ------------------------------------------------------------------------------------------


def test_rci_reproduces_the_wodrich_worked_example():
    # The textbook starts from SEM = 3.07; SD · √(1 − r) = 3.07 with r = .91 (√.09 = .3).
    result = reliable_change_index(24, 35, 3.07 / 0.3, 0.91)

    assert round(result.s_diff, 2) == 4.34
    assert round(result.minimal_change, 2) == 8.51
    assert result.change == 11
    assert result.reliable
    assert result.direction == "improved"


def test_rci_by_hand_small_change_is_not_reliable():
    # SD 10, r .80: SE = 10 · √.2 = 4.4721, S_diff = √2 · 4.4721 = 6.3246; (50 − 40) / 6.3246 = 1.5811.
    result = reliable_change_index(40, 50, 10, 0.8)

    assert result.s_diff == pytest.approx(6.3246, abs=1e-4)
    assert result.value == pytest.approx(1.5811, abs=1e-4)
    assert result.minimal_change == pytest.approx(1.96 * 6.3246, abs=1e-3)
    assert not result.reliable
    assert result.direction == "unchanged"


def test_rci_lower_is_better_counts_a_drop_as_improvement():
    # (35 − 50) / 6.3246 = −2.3717, flipped because a lower score is better.
    result = reliable_change_index(50, 35, 10, 0.8, higher_is_better=False)

    assert result.change == -15
    assert result.value == pytest.approx(2.3717, abs=1e-4)
    assert result.direction == "improved"


def test_rci_reliable_drop_on_a_higher_is_better_scale_is_deterioration():
    result = reliable_change_index(50, 35, 10, 0.8)

    assert result.value == pytest.approx(-2.3717, abs=1e-4)
    assert result.reliable
    assert result.direction == "deteriorated"


def test_rci_accepts_decimal_scale_scores():
    # Scale scores are Decimals (koers.measurement.scoring); the contract types them as float.
    pre: Any = Decimal("2.500")
    post: Any = Decimal("4.250")

    result = reliable_change_index(pre, post, 0.6, 0.85)

    assert result.change == pytest.approx(1.75)


@pytest.mark.parametrize("reliability", [0, 1, 1.2, -0.1, math.nan])
def test_rci_rejects_reliability_outside_the_open_unit_interval(reliability):
    with pytest.raises(ValueError, match="reliability"):
        reliable_change_index(10, 12, 3, reliability)


@pytest.mark.parametrize("sd_pre", [0, -1, math.inf])
def test_rci_rejects_a_non_positive_or_infinite_sd(sd_pre):
    with pytest.raises(ValueError, match="sd_pre"):
        reliable_change_index(10, 12, sd_pre, 0.8)


def test_rci_rejects_a_missing_score():
    with pytest.raises(ValueError, match="post"):
        reliable_change_index(10, math.nan, 3, 0.8)


# NAP, Tau and Tau-U ---------------------------------------------------------------------------------------------


def test_nap_reproduces_parker_vannest_davis():
    result = nap(PVD_BASELINE, PVD_INTERVENTION)

    assert isinstance(result, Overlap)
    assert result.value == pytest.approx(38.5 / 42)
    assert (result.baseline_points, result.intervention_points) == (6, 7)


def test_tau_reproduces_parker_vannest_davis():
    assert tau(PVD_BASELINE, PVD_INTERVENTION).value == pytest.approx(35 / 42)
    assert tau([3, 3, 4, 5], [4, 5, 6, 7, 7]).value == pytest.approx(16 / 20)


def test_tau_u_reproduces_parker_vannest_davis():
    # S_AB = 16; the rising baseline 3 3 4 5 has S_AA = 0 + 1 + 1 + 1 + 1 + 1 = 5; (16 − 5) / 20.
    result = tau_u([3, 3, 4, 5], [4, 5, 6, 7, 7])

    assert isinstance(result, Overlap)
    assert result.value == pytest.approx(11 / 20)
    assert (result.baseline_points, result.intervention_points) == (4, 5)


def test_tau_u_follows_time_order_of_the_baseline():
    # The same baseline values falling instead of rising: S_AA = −5, so the intervention earns more credit.
    assert tau_u([5, 4, 3, 3], [4, 5, 6, 7, 7]).value == pytest.approx((16 + 5) / 20)


def test_tau_u_with_parker_pair_count_can_exceed_one():
    # A falling baseline followed by a complete jump: S_AB = 9, S_AA = −3, (9 + 3) / 9.
    assert tau_u([5, 4, 3], [6, 7, 8]).value == pytest.approx(12 / 9)


def test_overlap_lower_is_better_mirrors_the_published_example():
    flipped_baseline = [-v for v in PVD_BASELINE]
    flipped_intervention = [-v for v in PVD_INTERVENTION]

    assert nap(flipped_baseline, flipped_intervention, higher_is_better=False).value == pytest.approx(38.5 / 42)
    assert tau(flipped_baseline, flipped_intervention, higher_is_better=False).value == pytest.approx(35 / 42)
    assert tau_u([-3, -3, -4, -5], [-4, -5, -6, -7, -7], higher_is_better=False).value == pytest.approx(11 / 20)


@pytest.mark.parametrize("statistic", [nap, tau, tau_u])
@pytest.mark.parametrize(
    ("baseline", "intervention", "got"),
    [([1, 2], [3, 4, 5], 2), ([1, 2, 3], [4, 5], 2), ([], [1, 2, 3], 0), ([1, 2, 3, 4], [5], 1)],
)
def test_overlap_needs_three_points_in_each_phase(statistic, baseline, intervention, got):
    result = statistic(baseline, intervention)

    assert result == NotEnoughMeasurements(needed=MIN_PHASE_POINTS, got=got)
    assert result.value is None


@pytest.mark.parametrize("statistic", [nap, tau, tau_u])
def test_overlap_rejects_a_missing_score(statistic):
    with pytest.raises(ValueError, match="baseline"):
        statistic([1, math.nan, 3], [4, 5, 6])
    with pytest.raises(ValueError, match="intervention"):
        statistic([1, 2, 3], [4, 5, math.inf])


# Hedges' g ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("df", "correction"), [(2, 0.5642), (5, 0.8407), (9, 0.9139), (10, 0.9227), (18, 0.9576)])
def test_hedges_correction_is_the_exact_hedges_olkin_factor(df, correction):
    # J(df) = Γ(df/2) / (√(df/2) · Γ((df − 1)/2)), Hedges & Olkin (1985); e.g. J(2) = Γ(1) / Γ(½) = 1/√π.
    assert hedges_g(1.0, df) == pytest.approx(correction, abs=5e-5)


def test_hedges_g_reproduces_lakens_between_subjects_example():
    # Lakens (2013): d_s = 1.13 for the two movies as independent groups, g_s = 1.08 with df = 10 + 10 − 2.
    pooled_sd = math.sqrt((np.var(MOVIE_1, ddof=1) + np.var(MOVIE_2, ddof=1)) / 2)
    d_s = float(np.mean(MOVIE_1) - np.mean(MOVIE_2)) / pooled_sd

    assert round(d_s, 2) == 1.13
    assert round(hedges_g(d_s, 18), 2) == 1.08


def test_hedges_g_keeps_the_sign():
    assert hedges_g(-0.5, 20) == pytest.approx(-hedges_g(0.5, 20))


@pytest.mark.parametrize("df", [1, 0, -3])
def test_hedges_g_needs_two_degrees_of_freedom(df):
    with pytest.raises(ValueError, match="df"):
        hedges_g(0.5, df)


# Group pre/post -------------------------------------------------------------------------------------------------


def test_pre_post_reproduces_lakens_paired_example():
    result = pre_post(MOVIE_2, MOVIE_1)

    assert isinstance(result, PrePost)
    assert result.n == 10
    assert (result.mean_pre, result.mean_post, result.mean_change) == pytest.approx((7.7, 8.7, 1.0))
    assert result.t is not None
    assert result.p_t is not None
    assert round(result.t, 2) == 4.74
    assert round(result.p_t, 3) == 0.001
    assert result.d_z == pytest.approx(1.50)
    # With equal n, d_av uses the same standardiser as Lakens' d_s.
    assert round(result.d_av, 2) == 1.13
    # Koers corrects with df = n − 1 (as the effectsize R package does); Lakens' g_av = 1.08 uses df = 2n − 2.
    assert result.hedges_g == pytest.approx(hedges_g(result.d_av, 9))
    assert result.value == result.hedges_g
    assert round(result.value, 3) == 1.029


def test_pre_post_without_significance_gives_the_same_effect_and_no_p_values():
    full = pre_post(MOVIE_2, MOVIE_1)
    lean = pre_post(MOVIE_2, MOVIE_1, significance=False)

    assert isinstance(full, PrePost)
    assert isinstance(lean, PrePost)
    assert (lean.t, lean.p_t, lean.p_wilcoxon) == (None, None, None)
    assert (lean.hedges_g, lean.ci_low, lean.ci_high, lean.d_z) == (full.hedges_g, full.ci_low, full.ci_high, full.d_z)


def test_pre_post_confidence_interval_by_hand_for_lakens_data():
    # Sums of squares of the movie data: pre 8.1, post 6.1, cross products 5.1, differences 4.0; n = 10.
    var_pre, var_post, covariance, var_diff, n = 8.1 / 9, 6.1 / 9, 5.1 / 9, 4.0 / 9, 10
    var_av = (var_pre + var_post) / 2
    d_av = 1.0 / math.sqrt(var_av)
    se = math.sqrt(
        var_diff / (n * var_av) + d_av**2 * (var_pre**2 + var_post**2 + 2 * covariance**2) / (8 * (n - 1) * var_av**2)
    )
    correction = hedges_g(1.0, n - 1)

    result = pre_post(MOVIE_2, MOVIE_1)

    assert result.ci_low == pytest.approx(correction * (d_av - 1.959964 * se), abs=1e-6)
    assert result.ci_high == pytest.approx(correction * (d_av + 1.959964 * se), abs=1e-6)
    assert (round(result.ci_low, 2), round(result.ci_high, 2)) == (0.43, 1.62)


def test_pre_post_wilcoxon_exact_p_for_lakens_data():
    # Two zero differences are dropped; the other eight are all positive: exact two-sided p = 2 / 2⁸.
    assert pre_post(MOVIE_2, MOVIE_1).p_wilcoxon == pytest.approx(2 / 256)


def test_pre_post_lower_is_better_orients_effects_but_not_raw_means():
    result = pre_post(MOVIE_1, MOVIE_2, higher_is_better=False)

    assert result.mean_change == pytest.approx(-1.0)
    assert result.d_z == pytest.approx(1.50)
    assert result.t is not None
    assert round(result.t, 2) == 4.74
    assert result.value == pytest.approx(pre_post(MOVIE_2, MOVIE_1).value)
    assert result.ci_low > 0


def test_pre_post_interval_covers_the_true_effect_about_95_percent_of_the_time():
    # Large effect, small group: the case in which an interval without the standardiser's own error is too narrow.
    rng = np.random.default_rng(20_061)
    n, delta, rho, repeats = 12, 1.2, 0.7, 600
    covered = 0
    for _ in range(repeats):
        scores = rng.multivariate_normal([0.0, delta], [[1.0, rho], [rho, 1.0]], size=n)
        result = pre_post(scores[:, 0].tolist(), scores[:, 1].tolist())
        covered += result.ci_low <= delta <= result.ci_high

    assert 0.90 <= covered / repeats <= 0.97


@pytest.mark.parametrize("size", [0, 1, 4])
def test_pre_post_below_the_group_minimum_is_not_enough(size):
    result = pre_post([3.0] * size, [4.0] * size)

    assert result == NotEnoughMeasurements(needed=MIN_GROUP_SIZE, got=size)
    assert result.value is None


def test_pre_post_minimum_is_configurable():
    assert pre_post([1, 2, 3], [2, 3, 5], min_n=4) == NotEnoughMeasurements(needed=4, got=3)
    assert isinstance(pre_post([1, 2, 3], [2, 3, 5], min_n=3), PrePost)


def test_pre_post_equal_differences_have_no_t_test_and_finite_d_z():
    result = pre_post([1, 2, 3, 4, 5], [2, 3, 4, 5, 6])

    assert (result.t, result.p_t) == (None, None)
    assert result.d_z == 0.0
    assert result.standardised
    assert result.hedges_g == pytest.approx(hedges_g(1 / math.sqrt(2.5), 4))
    assert result.p_wilcoxon is not None


def test_pre_post_without_any_spread_is_not_standardised():
    result = pre_post([2, 2, 2, 2, 2], [3, 3, 3, 3, 3])

    assert not result.standardised
    assert (result.value, result.hedges_g, result.d_av, result.ci_low, result.ci_high) == (0.0, 0.0, 0.0, 0.0, 0.0)
    assert result.mean_change == 1.0
    assert result.t is None


def test_pre_post_without_any_change_has_no_wilcoxon_test():
    result = pre_post([1, 3, 2, 5, 4], [1, 3, 2, 5, 4])

    assert result.p_wilcoxon is None
    assert result.value == 0.0


def test_pre_post_ignores_float_noise_in_equal_differences():
    pre = [0.1, 0.2, 0.7, 1.3, 2.9]
    post = [value + 0.3 for value in pre]

    assert pre_post(pre, post).t is None


def test_pre_post_accepts_decimal_scale_scores():
    pre: list[Any] = [Decimal("2.250"), Decimal("3.000"), Decimal("1.750"), Decimal("2.500"), Decimal("3.250")]
    post: list[Any] = [Decimal("3.000"), Decimal("3.500"), Decimal("2.750"), Decimal("2.500"), Decimal("4.000")]

    result = pre_post(pre, post)

    assert result.mean_change == pytest.approx(0.6)


def test_pre_post_rejects_unpaired_scores():
    with pytest.raises(ValueError, match="pair"):
        pre_post([1, 2, 3, 4, 5], [1, 2, 3, 4])


def test_pre_post_rejects_a_missing_score():
    with pytest.raises(ValueError, match="pre"):
        pre_post([1, 2, math.nan, 4, 5], [1, 2, 3, 4, 5])


def test_pre_post_rejects_a_minimum_below_three():
    with pytest.raises(ValueError, match="min_n"):
        pre_post([1, 2], [2, 3], min_n=2)


@pytest.mark.parametrize(
    "differences",
    [
        [1, 1, 1, 1, 1],
        [0, 1, -1, 2, 2, -2, 3],
        [1, 2, 2, 3, -3, 0, 0, 4, 5, 5, -1, 2, 3],
        [0.5, -0.25, 0.75, 0.5, 0.25, 1.0],
        [1, -2, 3, 4, 5.5],
        [1, 2, 2, 3, -3, 0, 0, 4, 5, 5, -1, 2, 3, 1],
    ],
)
def test_pre_post_wilcoxon_p_is_scipys(differences):
    from scipy import stats as scipy_stats

    pre = [3.0] * len(differences)
    post = [3.0 + difference for difference in differences]

    assert pre_post(pre, post).p_wilcoxon == pytest.approx(scipy_stats.wilcoxon(differences).pvalue, rel=1e-12)
