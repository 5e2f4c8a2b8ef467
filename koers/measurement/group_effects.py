"""Group effects (DOMAIN.md §6, domain-reference.md §3.3): pre/post on the measurement questionnaire, per scale, for a
group run and for a programme.

The pairing rule (the demo data is seeded to match it):

- a run starts on its first session that was not cancelled and ends on its last one;
- its participants are the participations that started (the referral reached "started", or an attendance as present
  or late was recorded) and did not leave before the run's start;
- for each participant and questionnaire, the pre measurement is the client's latest completed measurement taken in
  [start − W, start], the post measurement the earliest taken in [end, end + W], where W is the organisation's
  ``MeasurementPolicy.group_window_days`` (42 without a policy); one measurement is never its own pair;
- scale scores of the pre and post measurement pair by ``Scale.code`` within the same questionnaire, so a new
  version of the questionnaire does not break the pairs.

Figures are shown only for at least ``MIN_GROUP_SIZE`` measured participants per scale; below that the page says how
many there are and shows no number at all, not even a mean. A programme pools only the runs that reach that number
on the scale themselves: otherwise comparing two periods (with and without a small run) would give the small run's
figures away.

Figures never change once shown, so that two visits cannot be subtracted from each other (n = 5, then n = 6 after a
late measurement, gives away the sixth participant's before and after):

- a run's figures are shown only once its measurement window has closed: the run is completed (or cancelled), so its
  sessions can no longer be moved or cancelled, and today is after its last session + W;
- only measurements *recorded* on or before the day the window closes count, whatever their ``taken_on``: a
  measurement entered later, also a back-dated one, never changes a closed run's figures ("recorded" is the
  measurement's ``completed_at``; a completed row without one counts from its ``created_at``);
- a programme pools only runs whose window has closed (and that reach ``MIN_GROUP_SIZE`` themselves).
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from html import escape
from typing import Any

from django.db.models import Exists, Max, Min, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from koers.accounts.roles import Role
from koers.groupwork.models import (
    Attendance,
    AttendanceStatus,
    GroupRun,
    Participation,
    Programme,
    RunStatus,
    Session,
)
from koers.measurement import stats
from koers.measurement.models import MeasurementPolicy, MeasurementStatus, Questionnaire, Scale, ScaleScore
from koers.measurement.selectors import policy_of

DEFAULT_WINDOW_DAYS = MeasurementPolicy().group_window_days
MIN_GROUP_SIZE = stats.MIN_GROUP_SIZE
# Roles that see the effects of every run and programme of their organisation; a trainer sees those of own runs.
# Not planners: DOMAIN.md §2 gives them the logistics of group work, no outcome data.
ORGANISATION_VIEWERS = (Role.TEAM_MANAGER, Role.POLICY)
# A run in one of these states can no longer be changed (run_services._ensure_open), so its first and last session
# stay where they are.
FROZEN_RUN = (RunStatus.COMPLETED, RunStatus.CANCELLED)
ATTENDED = (AttendanceStatus.PRESENT, AttendanceStatus.LATE)


@dataclass(frozen=True)
class RunSpan:
    run_id: int
    start: datetime.date
    end: datetime.date
    status: str = RunStatus.COMPLETED

    def available_on(self, window: int) -> datetime.date:
        """The first day the run's figures may be shown: the day after its measurement window closed."""
        return self.end + datetime.timedelta(days=window + 1)

    def is_closed(self, window: int, today: datetime.date) -> bool:
        return self.status in FROZEN_RUN and today >= self.available_on(window)

    def recorded_before(self, window: int) -> datetime.datetime:
        """Measurements recorded before this moment (the start of ``available_on``) count for the run."""
        return timezone.make_aware(datetime.datetime.combine(self.available_on(window), datetime.time.min))


@dataclass(frozen=True)
class Pair:
    pre: float
    post: float


@dataclass
class ScaleEffect:
    """One scale: the pre/post result, or too few measured participants (then nothing but the count is shown)."""

    code: str
    name: str
    higher_is_better: bool
    n: int
    result: stats.PrePost | stats.NotEnoughMeasurements
    runs_counted: int = 0

    @property
    def shown(self) -> bool:
        return isinstance(self.result, stats.PrePost)

    @property
    def enough(self) -> bool:
        return self.n >= MIN_GROUP_SIZE

    @property
    def interpretation(self) -> str:
        return interpretation(self.result) if isinstance(self.result, stats.PrePost) else ""


@dataclass
class QuestionnaireEffects:
    questionnaire_id: int
    name: str
    is_validated: bool
    scales: list[ScaleEffect] = field(default_factory=list)


@dataclass
class GroupEffects:
    window_days: int
    runs: int  # runs with at least one session that was not cancelled
    participants: int  # participations that started, in those runs
    questionnaires: list[QuestionnaireEffects] = field(default_factory=list)
    min_n: int = MIN_GROUP_SIZE
    span: RunSpan | None = None  # a single run's start and end
    closed: bool = True  # a single run: its measurement window has closed, so its figures are final
    available_on: datetime.date | None = None  # a single run: the first day its figures may be shown
    pending_runs: int = 0  # a programme: runs in the period whose window has not closed yet (not counted)

    @property
    def has_results(self) -> bool:
        return any(scale.shown for q in self.questionnaires for scale in q.scales)


# Access: which runs and programmes a user may see the effects of (404 alike for missing and forbidden).


def run_for_effects(user: Any, pk: int) -> GroupRun | None:
    """A run of the user's organisation (team manager, policy) or one the user trains."""
    conditions = Q(pk__in=[])
    if user.has_role(*ORGANISATION_VIEWERS):
        conditions |= Q(programme__organisation_id=user.organisation_id)
    if user.has_role(Role.TRAINER):
        conditions |= Q(pk__in=GroupRun.objects.filter(trainers=user).values("pk"))
    return GroupRun.objects.filter(conditions, pk=pk).select_related("programme", "municipality").first()


def programme_for_effects(user: Any, pk: int) -> Programme | None:
    """A programme of the user's own organisation (team manager, policy; not trainers: a programme pools runs they do
    not train)."""
    if not user.has_role(*ORGANISATION_VIEWERS):
        return None
    return Programme.objects.filter(pk=pk, organisation_id=user.organisation_id).first()


# Reads: a fixed number of queries, whatever the number of runs, participants and measurements.


def window_days(organisation_id: int) -> int:
    return policy_of(organisation_id).group_window_days


def run_spans(runs: QuerySet[GroupRun]) -> dict[int, RunSpan]:
    """Start, end and status of each run that has a session that was not cancelled (one query)."""
    rows = (
        Session.objects.filter(group_run__in=runs.values("pk"), is_cancelled=False)
        .values("group_run_id", "group_run__status")
        .annotate(start=Min("date"), end=Max("date"))
        .order_by()
    )
    return {
        row["group_run_id"]: RunSpan(row["group_run_id"], row["start"], row["end"], row["group_run__status"])
        for row in rows
    }


def started_participations(run_ids: Iterable[int]) -> QuerySet[Participation]:
    attended = Attendance.objects.filter(participation=OuterRef("pk"), status__in=ATTENDED)
    return Participation.objects.filter(group_run_id__in=list(run_ids)).filter(
        Q(referral__started_on__isnull=False) | Exists(attended)
    )


@dataclass
class _Measurement:
    taken_on: datetime.date
    recorded_at: datetime.datetime
    pk: int
    scores: dict[str, float] = field(default_factory=dict)


def _measurements(
    participations: QuerySet[Participation], earliest: datetime.date, latest: datetime.date
) -> dict[tuple[int, int], list[_Measurement]]:
    """Per (client, questionnaire) the completed measurements in the date range, in time order, with when each was
    recorded (one query)."""
    rows = (
        ScaleScore.objects.filter(
            measurement__trajectory__client_id__in=participations.values("client_id"),
            measurement__status=MeasurementStatus.COMPLETED,
            measurement__taken_on__range=(earliest, latest),
        )
        .values_list(
            "measurement__trajectory__client_id",
            "measurement__version__questionnaire_id",
            "measurement__taken_on",
            "measurement__created_at",
            "measurement__completed_at",
            "measurement_id",
            "scale__code",
            "score",
        )
        .order_by("measurement__taken_on", "measurement_id")
    )
    series: dict[tuple[int, int], list[_Measurement]] = defaultdict(list)
    for client_id, questionnaire_id, taken_on, created_at, completed_at, measurement_id, code, score in rows:
        assert taken_on is not None  # a completed measurement has a date (database constraint)
        measurements = series[(client_id, questionnaire_id)]
        if not measurements or measurements[-1].pk != measurement_id:
            recorded_at = completed_at or created_at
            measurements.append(_Measurement(taken_on, recorded_at, measurement_id))
        measurements[-1].scores[code] = float(score)
    return series


def _pre_and_post(
    measurements: Sequence[_Measurement], span: RunSpan, window: int
) -> tuple[_Measurement, _Measurement] | None:
    """The pair of one participant, from the measurements taken in the window and recorded before it closed."""
    delta, deadline = datetime.timedelta(days=window), span.recorded_before(window)
    in_time = [m for m in measurements if m.recorded_at < deadline]
    before = [m for m in in_time if span.start - delta <= m.taken_on <= span.start]
    after = [m for m in in_time if span.end <= m.taken_on <= span.end + delta]
    if not before or not after:
        return None
    pre, post = before[-1], after[0]
    return None if pre.pk == post.pk else (pre, post)


# (questionnaire id, scale code) → run id → the pairs of that run's participants
PairsByScale = dict[tuple[int, str], dict[int, list[Pair]]]


def _members(spans: dict[int, RunSpan]) -> tuple[QuerySet[Participation], list[tuple[int, int]]]:
    """The participations that started, and (run, client) of those that did not leave before the run's start."""
    participations = started_participations(spans)
    members = [
        (run_id, client_id)
        for run_id, client_id, left_on in participations.values_list("group_run_id", "client_id", "left_on")
        if left_on is None or left_on >= spans[run_id].start
    ]
    return participations, members


def _pairs(spans: dict[int, RunSpan], window: int) -> tuple[PairsByScale, int]:
    """The pre/post pairs per scale and run, and the number of participations that started."""
    if not spans:
        return {}, 0
    participations, members = _members(spans)
    delta = datetime.timedelta(days=window)
    earliest = min(span.start for span in spans.values()) - delta
    latest = max(span.end for span in spans.values()) + delta
    series = _measurements(participations, earliest, latest)
    by_client: dict[int, list[tuple[int, list[_Measurement]]]] = defaultdict(list)
    for (client_id, questionnaire_id), measurements in series.items():
        by_client[client_id].append((questionnaire_id, measurements))
    pairs: PairsByScale = defaultdict(lambda: defaultdict(list))
    for run_id, client_id in members:
        for questionnaire_id, measurements in by_client.get(client_id, []):
            found = _pre_and_post(measurements, spans[run_id], window)
            if found is None:
                continue
            pre, post = found
            for code in pre.scores.keys() & post.scores.keys():
                pairs[(questionnaire_id, code)][run_id].append(Pair(pre.scores[code], post.scores[code]))
    return pairs, len(members)


def _scales(questionnaire_ids: Iterable[int]) -> tuple[dict[int, Questionnaire], dict[tuple[int, str], Scale]]:
    """The questionnaires and, per scale code, the scale of the newest version that has it (one query)."""
    scales = (
        Scale.objects.filter(version__questionnaire_id__in=list(questionnaire_ids))
        .select_related("version__questionnaire")
        .order_by("version__questionnaire__name", "version__questionnaire_id", "-version__number", "position", "id")
    )
    questionnaires: dict[int, Questionnaire] = {}
    newest: dict[tuple[int, str], Scale] = {}
    for scale in scales:
        questionnaire = scale.version.questionnaire
        questionnaires.setdefault(questionnaire.pk, questionnaire)
        newest.setdefault((questionnaire.pk, scale.code), scale)
    return questionnaires, newest


def _effect(scale: Scale, pairs: Sequence[Pair], runs_counted: int) -> ScaleEffect:
    result = stats.pre_post(
        [p.pre for p in pairs], [p.post for p in pairs], higher_is_better=scale.higher_is_better, min_n=MIN_GROUP_SIZE
    )
    return ScaleEffect(scale.code, scale.name, scale.higher_is_better, len(pairs), result, runs_counted)


def _assemble(pairs: PairsByScale, pooled: dict[tuple[int, str], tuple[list[Pair], int]]) -> list[QuestionnaireEffects]:
    questionnaires, newest = _scales({questionnaire_id for questionnaire_id, _code in pairs})
    sections: dict[int, QuestionnaireEffects] = {}
    for (questionnaire_id, code), scale in newest.items():
        if (questionnaire_id, code) not in pairs:
            continue
        questionnaire = questionnaires[questionnaire_id]
        section = sections.setdefault(
            questionnaire_id, QuestionnaireEffects(questionnaire_id, questionnaire.name, questionnaire.is_validated)
        )
        scale_pairs, runs_counted = pooled[(questionnaire_id, code)]
        section.scales.append(_effect(scale, scale_pairs, runs_counted))
    return list(sections.values())


def run_effects(run: GroupRun, *, today: datetime.date | None = None) -> GroupEffects:
    """The run's pre/post effects per scale (six queries); before its measurement window closed only the date they
    become available and the number of participants."""
    today = today or timezone.localdate()
    window = window_days(run.programme.organisation_id)
    spans = run_spans(GroupRun.objects.filter(pk=run.pk))
    span = spans.get(run.pk)
    if span is None:
        return GroupEffects(window, 0, 0, closed=False)
    if not span.is_closed(window, today):
        _participations, members = _members(spans)
        return GroupEffects(window, 1, len(members), span=span, closed=False, available_on=span.available_on(window))
    pairs, participants = _pairs(spans, window)
    pooled = {key: (by_run.get(run.pk, []), 1) for key, by_run in pairs.items()}
    return GroupEffects(
        window, 1, participants, _assemble(pairs, pooled), span=span, available_on=span.available_on(window)
    )


def programme_effects(
    programme: Programme,
    *,
    start_from: datetime.date | None = None,
    start_to: datetime.date | None = None,
    today: datetime.date | None = None,
) -> GroupEffects:
    """The programme's pre/post effects per scale over its runs that started in the period and whose measurement
    window has closed (six queries).

    Only runs with at least ``MIN_GROUP_SIZE`` measured participants on a scale count for that scale.
    """
    today = today or timezone.localdate()
    window = window_days(programme.organisation_id)
    runs = GroupRun.objects.filter(programme=programme).exclude(status=RunStatus.CANCELLED)
    in_period = [
        span
        for span in run_spans(runs).values()
        if (start_from is None or span.start >= start_from) and (start_to is None or span.start <= start_to)
    ]
    spans = {span.run_id: span for span in in_period if span.is_closed(window, today)}
    pairs, participants = _pairs(spans, window)
    pooled: dict[tuple[int, str], tuple[list[Pair], int]] = {}
    for key, by_run in pairs.items():
        counted = [run_pairs for run_pairs in by_run.values() if len(run_pairs) >= MIN_GROUP_SIZE]
        pooled[key] = ([pair for run_pairs in counted for pair in run_pairs], len(counted))
    return GroupEffects(
        window, len(spans), participants, _assemble(pairs, pooled), pending_runs=len(in_period) - len(spans)
    )


# Words: a change is never called progress when the confidence interval includes 0.

SMALL, MEDIUM, LARGE = 0.2, 0.5, 0.8


def size_label(g: float) -> str:
    """Cohen's rules of thumb for the size of a standardised difference."""
    size = abs(g)
    if size < SMALL:
        return _("very small")
    if size < MEDIUM:
        return _("small")
    if size < LARGE:
        return _("medium")
    return _("large")


def interpretation(result: stats.PrePost) -> str:
    """Plain words for the oriented effect (positive is improvement) and its 95% confidence interval."""
    if not result.standardised:
        return _(
            "The scores do not vary within the group, so there is no effect size or confidence interval: read the "
            "mean change, and do not read it as progress."
        )
    if result.ci_low > 0:
        return _(
            "The participants improved on average, and the confidence interval lies entirely above 0: "
            "a %(size)s effect that is unlikely to be chance alone. The measurement does not show that the group "
            "caused it."
        ) % {"size": size_label(result.hedges_g)}
    if result.ci_high < 0:
        return _(
            "The participants went back on average, and the confidence interval lies entirely below 0: "
            "a %(size)s decline that is unlikely to be chance alone."
        ) % {"size": size_label(result.hedges_g)}
    return _(
        "No clear change: the confidence interval includes 0, so the difference may be chance. "
        "Do not read it as progress or decline."
    )


# An optional small chart: Hedges' g with its 95 % CI per scale, a line at 0 (pure; the table holds the data).

CHART_WIDTH = 640
ROW_HEIGHT = 30
LABEL_WIDTH = 220
CHART_PAD = 24
INK = "#001a40"
GRID = "#c0c7d2"


def _num(value: float) -> str:
    return f"{value:.1f}"


def forest_plot(rows: Sequence[tuple[str, float, float, float]], *, title: str, description: str) -> str:
    """An SVG of (label, g, ci_low, ci_high) rows: a square at g and a line over the CI, a vertical line at 0.

    Colour is not needed to read it; the caller shows the same numbers in a table. Empty without rows.
    """
    if not rows:
        return ""
    bound = max(1.0, *(max(abs(low), abs(high)) for _label, _g, low, high in rows))
    plot_left, plot_right = LABEL_WIDTH, CHART_WIDTH - CHART_PAD
    height = CHART_PAD * 2 + ROW_HEIGHT * len(rows)

    def x(value: float) -> float:
        return plot_left + (plot_right - plot_left) * (value + bound) / (2 * bound)

    parts = [
        f'<svg class="koers-chart koers-forest" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {CHART_WIDTH} '
        f'{height}" role="img" aria-labelledby="forest-title forest-desc">',
        f'<title id="forest-title">{escape(title)}</title>',
        f'<desc id="forest-desc">{escape(description)}</desc>',
        f'<line x1="{_num(x(0))}" y1="{CHART_PAD - 8}" x2="{_num(x(0))}" y2="{height - CHART_PAD + 4}" '
        f'stroke="{GRID}" stroke-width="2"/>',
        f'<text x="{_num(x(0))}" y="{height - 6}" text-anchor="middle" font-size="12" fill="{INK}">0</text>',
        f'<text x="{_num(x(-bound))}" y="{height - 6}" text-anchor="start" font-size="12" fill="{INK}">'
        f"{_num(-bound)}</text>",
        f'<text x="{_num(x(bound))}" y="{height - 6}" text-anchor="end" font-size="12" fill="{INK}">'
        f"{_num(bound)}</text>",
    ]
    for index, (label, g, low, high) in enumerate(rows):
        y = CHART_PAD + ROW_HEIGHT * index + ROW_HEIGHT / 2
        parts += [
            f'<text x="{LABEL_WIDTH - 8}" y="{_num(y + 4)}" text-anchor="end" font-size="13" fill="{INK}">'
            f"{escape(label)}</text>",
            f'<line x1="{_num(x(low))}" y1="{_num(y)}" x2="{_num(x(high))}" y2="{_num(y)}" stroke="{INK}" '
            'stroke-width="2"/>',
            f'<rect x="{_num(x(g) - 5)}" y="{_num(y - 5)}" width="10" height="10" fill="{INK}"/>',
        ]
    parts.append("</svg>")
    return "".join(parts)


def chart_rows(effects: GroupEffects) -> list[tuple[str, float, float, float]]:
    rows = []
    for questionnaire in effects.questionnaires:
        for scale in questionnaire.scales:
            if isinstance(scale.result, stats.PrePost) and scale.result.standardised:
                rows.append((scale.name, scale.result.hedges_g, scale.result.ci_low, scale.result.ci_high))
    return rows
