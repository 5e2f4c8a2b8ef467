"""Invariants of the statistics module, checked with hypothesis (issue 6: NAP in [0, 1], Tau = 2·NAP − 1, symmetry
under reversal) on answer-scale scores (many ties) and on arbitrary finite numbers."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from koers.measurement.stats import (
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

modest = settings(max_examples=200, deadline=None)

scores = st.one_of(
    st.integers(min_value=1, max_value=5).map(float),
    st.floats(min_value=-1000, max_value=1000, allow_nan=False, allow_infinity=False),
)
phase = st.lists(scores, min_size=MIN_PHASE_POINTS, max_size=15)
short_phase = st.lists(scores, max_size=MIN_PHASE_POINTS - 1)


def _value(result: Overlap | NotEnoughMeasurements) -> float:
    assert isinstance(result, Overlap)
    return result.value


@modest
@given(phase, phase)
def test_nap_lies_in_the_unit_interval(baseline, intervention):
    assert 0.0 <= _value(nap(baseline, intervention)) <= 1.0


@modest
@given(phase, phase)
def test_tau_is_twice_nap_minus_one(baseline, intervention):
    assert _value(tau(baseline, intervention)) == pytest.approx(2 * _value(nap(baseline, intervention)) - 1)


@modest
@given(phase, phase)
def test_reversing_the_direction_mirrors_the_overlap(baseline, intervention):
    assert _value(nap(baseline, intervention, higher_is_better=False)) == pytest.approx(
        1 - _value(nap(baseline, intervention))
    )
    assert _value(tau(baseline, intervention, higher_is_better=False)) == pytest.approx(
        -_value(tau(baseline, intervention))
    )
    assert _value(tau_u(baseline, intervention, higher_is_better=False)) == pytest.approx(
        -_value(tau_u(baseline, intervention))
    )


@modest
@given(phase, phase)
def test_negated_scores_with_reversed_direction_give_the_same_overlap(baseline, intervention):
    negated_baseline = [-value for value in baseline]
    negated_intervention = [-value for value in intervention]

    for statistic in (nap, tau, tau_u):
        assert _value(statistic(negated_baseline, negated_intervention, higher_is_better=False)) == pytest.approx(
            _value(statistic(baseline, intervention))
        )


@modest
@given(phase, phase)
def test_swapping_the_phases_mirrors_nap(baseline, intervention):
    assert _value(nap(intervention, baseline)) == pytest.approx(1 - _value(nap(baseline, intervention)))


@modest
@given(st.integers(min_value=MIN_PHASE_POINTS, max_value=15), scores, phase)
def test_tau_u_with_a_flat_baseline_is_tau(size, level, intervention):
    baseline = [level] * size

    assert _value(tau_u(baseline, intervention)) == pytest.approx(_value(tau(baseline, intervention)))


@modest
@given(phase, phase)
def test_tau_u_stays_within_parkers_pair_count_bounds(baseline, intervention):
    m, n = len(baseline), len(intervention)

    assert abs(_value(tau_u(baseline, intervention))) <= 1 + (m - 1) / (2 * n) + 1e-12


@modest
@given(short_phase, phase, st.booleans())
def test_a_short_phase_is_never_a_number(short, other, higher_is_better):
    for statistic in (nap, tau, tau_u):
        for baseline, intervention in ((short, other), (other, short)):
            result = statistic(baseline, intervention, higher_is_better=higher_is_better)
            assert result == NotEnoughMeasurements(needed=MIN_PHASE_POINTS, got=len(short))


@modest
@given(
    scores,
    scores,
    st.floats(min_value=0.01, max_value=100),
    st.floats(min_value=0.01, max_value=0.99),
)
def test_rci_sign_flips_with_the_direction(pre, post, sd_pre, reliability):
    up = reliable_change_index(pre, post, sd_pre, reliability)
    down = reliable_change_index(pre, post, sd_pre, reliability, higher_is_better=False)

    assert down.value == -up.value
    assert down.reliable == up.reliable
    assert up.change == down.change
    if up.reliable:
        assert {up.direction, down.direction} == {"improved", "deteriorated"}
    else:
        assert up.direction == down.direction == "unchanged"


@modest
@given(scores, scores, st.floats(min_value=0.01, max_value=100), st.floats(min_value=0.01, max_value=0.99))
def test_rci_is_reliable_exactly_when_the_change_passes_the_minimal_change(pre, post, sd_pre, reliability):
    result = reliable_change_index(pre, post, sd_pre, reliability)

    assert result.value * result.s_diff == pytest.approx(result.change, abs=1e-9)
    if abs(abs(result.change) - result.minimal_change) > 1e-9 * max(1.0, result.minimal_change):
        assert result.reliable == (abs(result.change) > result.minimal_change)


@modest
@given(st.integers(min_value=2, max_value=10_000))
def test_hedges_correction_shrinks_and_grows_with_df(df):
    correction = hedges_g(1.0, df)

    assert 0 < correction < 1
    assert correction < hedges_g(1.0, df + 1)
    assert correction == pytest.approx(1 - 3 / (4 * df - 1), abs=0.01)


def test_hedges_correction_tends_to_one():
    assert hedges_g(1.0, 10_000_000) == pytest.approx(1.0, abs=1e-7)


@st.composite
def paired_scores(draw):
    size = draw(st.integers(min_value=5, max_value=25))
    pairs = st.lists(st.tuples(scores, scores), min_size=size, max_size=size)
    return [list(column) for column in zip(*draw(pairs), strict=True)]


@modest
@given(paired_scores(), st.booleans())
def test_pre_post_never_reports_nan_or_infinity(pair, higher_is_better):
    pre, post = pair

    result = pre_post(pre, post, higher_is_better=higher_is_better)

    assert isinstance(result, PrePost)
    for name in ("value", "mean_pre", "mean_post", "mean_change", "d_z", "hedges_g", "ci_low", "ci_high", "d_av"):
        assert math.isfinite(getattr(result, name)), name
    for name in ("t", "p_t", "p_wilcoxon"):
        number = getattr(result, name)
        assert number is None or math.isfinite(number), name
    assert result.ci_low <= result.value <= result.ci_high
    for p in (result.p_t, result.p_wilcoxon):
        assert p is None or 0 <= p <= 1


@modest
@given(paired_scores())
def test_pre_post_direction_flips_every_standardised_effect(pair):
    pre, post = pair
    up = pre_post(pre, post)
    down = pre_post(pre, post, higher_is_better=False)

    assert isinstance(up, PrePost)
    assert isinstance(down, PrePost)
    assert down.value == -up.value
    assert down.d_z == -up.d_z
    assert (down.ci_low, down.ci_high) == pytest.approx((-up.ci_high, -up.ci_low))
    assert down.mean_change == up.mean_change
