"""What a consultant shows the client: per scale the scores over time and whether a change is real (issue 6 §4).

One query reads the trajectory's completed measurements with their scale scores; the rest is computed here, so the
measurement page and the PDF progress report show the same numbers, sentences and charts. A change gets a verdict
only when the statistics support one (DOMAIN.md §6): without a known reliability the raw change is shown as it is.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from django.db.models import QuerySet
from django.utils.formats import date_format, get_format, number_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from koers.access.scoping import scope
from koers.measurement import charts, stats
from koers.measurement.models import Measurement, MeasurementStatus, Phase, Scale, ScaleKind, ScaleScore
from koers.trajectories.models import IgmFactor, LifeDomain, Trajectory

IMPROVED, DETERIORATED, UNCHANGED = "improved", "deteriorated", "unchanged"
UNKNOWN, SINGLE = "unknown", "single"
KIND_ORDER: dict[str, int] = {ScaleKind.IGM_FACTOR: 0, ScaleKind.LIFE_DOMAIN: 1, ScaleKind.OTHER: 2}
FACTOR_ORDER = {factor: index for index, factor in enumerate(IgmFactor.values)}
DOMAIN_ORDER = {domain: index for index, domain in enumerate(LifeDomain.values)}


@dataclass(frozen=True)
class ResultPoint:
    """One measurement of one scale, compared with the scale's reference point."""

    measurement_id: int
    taken_on: datetime.date
    phase: str
    phase_label: str
    score: float
    is_reference: bool
    change: float | None  # score − reference score; None for the reference itself and for points before it
    reliable: bool | None  # None: not judged (the reference, or a scale without a known reliability)
    direction: str  # IMPROVED, DETERIORATED or UNCHANGED when judged, else ""

    @property
    def score_display(self) -> str:
        return _number(self.score)

    @property
    def change_display(self) -> str:
        return _signed(self.change) if self.change is not None else "–"

    @property
    def judgement(self) -> str:
        """The data table's answer to "is this change real?": yes, no or unknown."""
        if self.is_reference:
            return _("Reference point")
        if self.change is None:
            return "–"
        if self.reliable is None:
            return _("Unknown")
        if not self.reliable:
            return _("No")
        return _("Yes, real progress") if self.direction == IMPROVED else _("Yes, real decline")


@dataclass(frozen=True)
class Verdict:
    """The latest point against the reference, in plain words: a headline and what it rests on."""

    kind: str  # IMPROVED, DETERIORATED, UNCHANGED, UNKNOWN (no reliability known) or SINGLE (one point)
    headline: str
    explanation: str


@dataclass(frozen=True)
class PhaseComparison:
    """Baseline (A) against intervention (B) with NAP and Tau-U, or why they cannot be computed yet."""

    baseline_points: int
    intervention_points: int
    needed: int
    nap: float | None
    tau_u: float | None
    sentences: tuple[str, ...]

    @property
    def enough(self) -> bool:
        return self.nap is not None


@dataclass(frozen=True)
class ScaleSeries:
    """One scale over time; versions of one questionnaire are matched by the scale's code."""

    key: str
    code: str
    name: str
    kind: str
    topic: str  # the IGM factor or life domain it measures, translated
    higher_is_better: bool
    low: float
    high: float
    points: list[ResultPoint]
    reference: ResultPoint
    minimal_change: float | None
    band: tuple[float, float] | None
    source: str
    verdict: Verdict
    phases: PhaseComparison
    chart: SafeString

    @property
    def latest(self) -> ResultPoint:
        return self.points[-1]

    @property
    def minimal_change_display(self) -> str:
        return _number(self.minimal_change) if self.minimal_change is not None else ""


@dataclass(frozen=True)
class ProfileRow:
    """One life domain in the profile: the first and the latest score."""

    label: str
    start: float
    start_on: datetime.date
    now: float | None
    now_on: datetime.date | None

    @property
    def start_display(self) -> str:
        return _number(self.start)

    @property
    def now_display(self) -> str:
        return _number(self.now) if self.now is not None else "–"

    @property
    def change_display(self) -> str:
        return _signed(self.now - self.start) if self.now is not None else "–"


@dataclass(frozen=True)
class TrajectoryResults:
    series: list[ScaleSeries]
    profile: list[ProfileRow]
    profile_chart: SafeString | None
    measurement_count: int

    @property
    def is_empty(self) -> bool:
        return not self.series

    @property
    def groups(self) -> list[tuple[str, list[ScaleSeries]]]:
        """The series under a heading per kind: IGM factors, life domains, other scales."""
        headings = {
            ScaleKind.IGM_FACTOR: _("IGM factors"),
            ScaleKind.LIFE_DOMAIN: _("Life domains"),
            ScaleKind.OTHER: _("Other scales"),
        }
        return [
            (str(heading), [item for item in self.series if item.kind == kind])
            for kind, heading in headings.items()
            if any(item.kind == kind for item in self.series)
        ]


# Reads ---------------------------------------------------------------------------------------------------------


def completed_scores(trajectory: Trajectory, user: Any) -> QuerySet[ScaleScore]:
    """The scale scores of the trajectory's completed measurements that ``user`` may see, oldest first."""
    measurements = scope(
        Measurement.objects.filter(trajectory=trajectory, status=MeasurementStatus.COMPLETED), user
    ).values("pk")
    return (
        ScaleScore.objects.filter(measurement__in=measurements)
        .select_related("scale", "measurement__version")
        .order_by("measurement__taken_on", "measurement_id", "scale__position", "scale_id")
    )


def trajectory_results(trajectory: Trajectory, user: Any) -> TrajectoryResults:
    """Every scale of the trajectory's measurements with its verdict and chart, and the life-domain profile."""
    grouped: dict[tuple[int, str], list[ScaleScore]] = {}
    measurement_ids: set[int] = set()
    for score in completed_scores(trajectory, user):
        version = score.measurement.version
        grouped.setdefault((version.questionnaire_id, score.scale.code), []).append(score)
        measurement_ids.add(score.measurement_id)
    ordered = sorted((_series(key, scores) for key, scores in grouped.items()), key=lambda entry: entry[0])
    series = [item for _order, item in ordered]
    domains = [item for item in series if item.kind == ScaleKind.LIFE_DOMAIN]
    profile = [_profile_row(item) for item in domains]
    return TrajectoryResults(
        series=series,
        profile=profile,
        profile_chart=_profile_chart(domains, profile) if profile else None,
        measurement_count=len(measurement_ids),
    )


# Assembly --------------------------------------------------------------------------------------------------------


def _series(key: tuple[int, str], scores: list[ScaleScore]) -> tuple[tuple[Any, ...], ScaleSeries]:
    """The series of one scale. The newest version's scale gives its name and RCI values: the best knowledge now."""
    scale = max(scores, key=lambda score: (score.measurement.version.number, score.measurement_id)).scale
    version = max((score.measurement.version for score in scores), key=lambda v: v.number)
    raw = [(score.measurement, float(score.score)) for score in scores]
    reference_index = next((i for i, (m, _s) in enumerate(raw) if m.phase == Phase.BASELINE), 0)
    reference_score = raw[reference_index][1]
    judge = _judge(scale)
    points = []
    for index, (measurement, value) in enumerate(raw):
        change = value - reference_score if index > reference_index else None
        rci = judge(reference_score, value) if change is not None else None
        points.append(
            ResultPoint(
                measurement_id=measurement.pk,
                taken_on=measurement.taken_on or measurement.created_at.date(),
                phase=measurement.phase,
                phase_label=str(Phase(measurement.phase).label),
                score=value,
                is_reference=index == reference_index,
                change=change,
                reliable=rci.reliable if rci is not None else None,
                direction=rci.direction if rci is not None else "",
            )
        )
    reference = points[reference_index]
    no_change = judge(reference_score, reference_score)  # its minimal_change holds for every point of the scale
    minimal_change = no_change.minimal_change if no_change is not None else None
    low, high = float(version.answer_min), float(version.answer_max)
    band = (
        (max(low, reference_score - minimal_change), min(high, reference_score + minimal_change))
        if minimal_change is not None
        else None
    )
    series = ScaleSeries(
        key=f"{key[0]}-{key[1]}",
        code=scale.code,
        name=scale.name,
        kind=scale.kind,
        topic=_topic(scale),
        higher_is_better=scale.higher_is_better,
        low=low,
        high=high,
        points=points,
        reference=reference,
        minimal_change=minimal_change,
        band=band,
        source=scale.source,
        verdict=_verdict(points, reference, minimal_change),
        phases=_phases(points, higher_is_better=scale.higher_is_better),
        chart=SafeString(""),
    )
    order = (
        KIND_ORDER.get(scale.kind, len(KIND_ORDER)),
        FACTOR_ORDER.get(scale.igm_factor, len(FACTOR_ORDER)),
        DOMAIN_ORDER.get(scale.life_domain, len(DOMAIN_ORDER)),
        scale.position,
        scale.name,
        key,
    )
    return order, _with_chart(series)


def _judge(scale: Scale) -> Callable[[float, float], stats.ReliableChange | None]:
    """The RCI of a change on this scale, or nothing when its reliability or reference SD is unknown."""
    if not scale.supports_reliable_change:
        return lambda pre, post: None
    sd, reliability = float(scale.reference_sd or 0), float(scale.reliability or 0)
    return lambda pre, post: stats.reliable_change_index(
        pre, post, sd, reliability, higher_is_better=scale.higher_is_better
    )


def _topic(scale: Scale) -> str:
    if scale.kind == ScaleKind.IGM_FACTOR and scale.igm_factor:
        return _("IGM factor: %(factor)s") % {"factor": IgmFactor(scale.igm_factor).label}
    if scale.kind == ScaleKind.LIFE_DOMAIN and scale.life_domain:
        return _("Life domain: %(domain)s") % {"domain": LifeDomain(scale.life_domain).label}
    return str(ScaleKind(scale.kind).label)


def _verdict(points: list[ResultPoint], reference: ResultPoint, minimal_change: float | None) -> Verdict:
    latest = points[-1]
    if latest.change is None:
        return Verdict(
            SINGLE,
            _("One measurement so far"),
            _("Whether something changes shows from the next measurement on."),
        )
    facts = {
        "start": _number(reference.score),
        "start_date": _date(reference.taken_on),
        "now": _number(latest.score),
        "now_date": _date(latest.taken_on),
        "change": _signed(latest.change),
    }
    movement = _("From %(start)s on %(start_date)s to %(now)s on %(now_date)s: a change of %(change)s.") % facts
    if latest.reliable is None:
        return Verdict(
            UNKNOWN,
            _("No verdict possible"),
            movement
            + " "
            + _(
                "For this scale it is not known how large measurement errors are, so nobody can say whether this "
                "change is real."
            ),
        )
    needed = _("A real change is at least %(minimal)s up or down.") % {"minimal": _number(minimal_change or 0)}
    if not latest.reliable:
        return Verdict(
            UNCHANGED,
            _("No clear change"),
            movement + " " + _("The change is so small that measurement errors can explain it.") + " " + needed,
        )
    if latest.direction == IMPROVED:
        return Verdict(
            IMPROVED,
            _("Real progress"),
            movement + " " + _("The change is larger than measurement errors can explain.") + " " + needed,
        )
    return Verdict(
        DETERIORATED,
        _("Real decline"),
        movement + " " + _("The change is larger than measurement errors can explain.") + " " + needed,
    )


def _phases(points: list[ResultPoint], *, higher_is_better: bool) -> PhaseComparison:
    baseline = [point.score for point in points if point.phase == Phase.BASELINE]
    intervention = [point.score for point in points if point.phase == Phase.INTERVENTION]
    nap = stats.nap(baseline, intervention, higher_is_better=higher_is_better)
    tau_u = stats.tau_u(baseline, intervention, higher_is_better=higher_is_better)
    if isinstance(nap, stats.NotEnoughMeasurements) or isinstance(tau_u, stats.NotEnoughMeasurements):
        needed = stats.MIN_PHASE_POINTS
        sentence = _(
            "Not enough measurements to compare the time before the help (baseline) with the time during the "
            "help (intervention): each needs at least %(needed)s measurements. Now there are %(baseline)s and "
            "%(intervention)s."
        ) % {"needed": needed, "baseline": len(baseline), "intervention": len(intervention)}
        return PhaseComparison(len(baseline), len(intervention), needed, None, None, (sentence,))
    nap_sentence = _(
        "NAP %(value)s: compare every measurement before the help with every measurement during it. In "
        "%(share)s of every 100 such pairs the measurement during the help is better (a tie counts as half). "
        "50 means no difference, 100 means every measurement during the help is better."
    ) % {"value": _number(nap.value), "share": _number(nap.value * 100, 0)}
    tau_sentence = _(
        "Tau-U %(value)s, usually between −1 and 1: the same comparison, corrected for a trend that was already there "
        "before the help. 0 means no difference; above 0 the time during the help is better."
    ) % {"value": _number(tau_u.value)}
    return PhaseComparison(
        len(baseline), len(intervention), stats.MIN_PHASE_POINTS, nap.value, tau_u.value, (nap_sentence, tau_sentence)
    )


def _profile_row(series: ScaleSeries) -> ProfileRow:
    first, latest = series.points[0], series.points[-1]
    later = latest if len(series.points) > 1 else None
    return ProfileRow(
        label=series.name,
        start=first.score,
        start_on=first.taken_on,
        now=later.score if later else None,
        now_on=later.taken_on if later else None,
    )


# Charts ------------------------------------------------------------------------------------------------------------


def _with_chart(series: ScaleSeries) -> ScaleSeries:
    """The series with its SVG: the same function for the page and the PDF."""
    return replace(series, chart=scale_chart_svg(series))


def scale_chart_svg(series: ScaleSeries) -> SafeString:
    points = [
        charts.SeriesPoint(taken_on=point.taken_on, value=point.score, phase=point.phase, reliable=point.reliable)
        for point in series.points
    ]
    orientation = (
        _("Higher scores are better.") if series.higher_is_better else _("Lower scores are better on this scale.")
    )
    band = (
        _(
            "The shaded band around the reference point shows changes smaller than %(minimal)s: measurement errors "
            "can explain those."
        )
        % {"minimal": series.minimal_change_display}
        if series.band is not None
        else _("For this scale it is not known how large measurement errors are, so no band is drawn.")
    )
    description = " ".join(
        [
            _("Score per measurement from %(first)s to %(last)s, on a scale from %(low)s to %(high)s.")
            % {
                "first": _date(series.points[0].taken_on),
                "last": _date(series.points[-1].taken_on),
                "low": _number(series.low, 0),
                "high": _number(series.high, 0),
            },
            orientation,
            band,
            _("The table below the chart gives every value."),
        ]
    )
    labels = charts.ChartLabels(
        title=_("%(scale)s over time") % {"scale": series.name},
        description=description,
        phase_names={phase.value: str(phase.label) for phase in Phase},
        band=_("Band of measurement error"),
        reliable=_("Real change"),
        not_reliable=_("No clear change"),
        date_format=_short_date,
        unknown=_("Reference point") if series.band is not None else _("No verdict possible"),
        better=_("Better"),
    )
    chart = charts.ScaleChart(
        title=series.name,
        points=points,
        low=series.low,
        high=series.high,
        band=series.band,
        higher_is_better=series.higher_is_better,
    )
    svg = charts.scale_chart(
        chart, labels, decimal_separator=_decimal_separator(), chart_id=f"scale-{series.key}-chart", heading=False
    )
    return mark_safe(svg)  # noqa: S308 - charts escapes every label it writes


def _profile_chart(domains: list[ScaleSeries], profile: list[ProfileRow]) -> SafeString:
    low, high = min(item.low for item in domains), max(item.high for item in domains)
    starts = [row.start_on for row in profile]
    nows = [row.now_on for row in profile if row.now_on is not None]
    description = _(
        "Per life domain the score of the first measurement (%(start)s) beside the latest (%(now)s), on a scale "
        "from %(low)s to %(high)s. The table below the chart gives every value."
    ) % {
        "start": _date(min(starts)),
        "now": _date(max(nows)) if nows else "–",
        "low": _number(low, 0),
        "high": _number(high, 0),
    }
    labels = charts.ProfileLabels(
        title=_("Life domains: start and now"), description=description, start=_("Start"), now=_("Now")
    )
    svg = charts.profile_chart(
        [(row.label, row.start, row.now) for row in profile],
        low,
        high,
        labels,
        decimal_separator=_decimal_separator(),
    )
    return mark_safe(svg)  # noqa: S308 - charts escapes every label it writes


# Formatting in the reader's language ------------------------------------------------------------------------------


def _number(value: float, decimals: int = 2) -> str:
    return number_format(round(value, decimals), decimal_pos=decimals)


def _signed(value: float) -> str:
    rounded = round(value, 2)
    if rounded > 0:
        return "+" + _number(rounded)
    if rounded < 0:
        return "−" + _number(-rounded)
    return _number(0)


def _date(value: datetime.date) -> str:
    return date_format(value, "j F Y")


def _short_date(value: datetime.date) -> str:
    return date_format(value, "j M Y")


def _decimal_separator() -> str:
    return str(get_format("DECIMAL_SEPARATOR"))
