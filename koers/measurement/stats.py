"""Statistics for individual and group effect measurement (DOMAIN.md §6, domain-reference.md §3). Pure Python.

INTERFACE CONTRACT (the stats helper replaces every ``NotImplementedError`` body; signatures and result fields
are fixed because views, charts and other tools call them):

- every function takes plain sequences of numbers in time order, "higher is better" unless told otherwise;
- every result has a ``value`` (a float), or is ``NotEnoughMeasurements`` whose ``value`` is ``None``;
- invalid parameters (reliability outside (0, 1), a non-positive SD) raise ``ValueError``.
"""

from collections.abc import Sequence
from dataclasses import dataclass

MIN_PHASE_POINTS = 3
MIN_GROUP_SIZE = 5


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
    raise NotImplementedError


@dataclass(frozen=True)
class Overlap:
    value: float
    baseline_points: int
    intervention_points: int


def nap(
    baseline: Sequence[float], intervention: Sequence[float], *, higher_is_better: bool = True
) -> Overlap | NotEnoughMeasurements:
    """Non-overlap of All Pairs in [0, 1]; needs MIN_PHASE_POINTS per phase."""
    raise NotImplementedError


def tau(
    baseline: Sequence[float], intervention: Sequence[float], *, higher_is_better: bool = True
) -> Overlap | NotEnoughMeasurements:
    """Tau = 2 · NAP − 1, in [−1, 1]."""
    raise NotImplementedError


def tau_u(
    baseline: Sequence[float], intervention: Sequence[float], *, higher_is_better: bool = True
) -> Overlap | NotEnoughMeasurements:
    """Parker et al. 2011 "A vs. B minus trend A": (S_AB − S_AA) / (m · n)."""
    raise NotImplementedError


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


def pre_post(
    pre: Sequence[float], post: Sequence[float], *, higher_is_better: bool = True, min_n: int = MIN_GROUP_SIZE
) -> PrePost | NotEnoughMeasurements:
    """Paired pre/post effect; ``pre[i]`` and ``post[i]`` belong to the same person."""
    raise NotImplementedError


def hedges_g(d: float, df: int) -> float:
    """Hedges' small-sample correction of a standardised mean difference."""
    raise NotImplementedError
