"""The ten leading behaviour principles (DOMAIN.md §3) as rules over a trajectory's data, evaluated by the database.

Each rule is an ordered list of branches: the first branch whose condition holds gives the outcome (pass, attention
or fail) and the reason; the last branch has no condition and is the outcome otherwise. From that list the same
rule becomes three SQL ``CASE`` expressions on a ``Trajectory`` queryset:

- ``status_expression``: 0 = pass, 1 = attention, 2 = fail (for filters and counts);
- ``branch_expression``: which branch applied, so one trajectory's page can show the exact reason;
- ``tally_expression``: a weight per outcome, so that one ``SUM`` per principle counts all three outcomes at once
  (see ``WEIGHTS``); each rule's conditions are then evaluated once per trajectory instead of three times.

Every rule is evaluated for a day ``as_of`` and reads only data dated on or before it, so the same code back-fills
past months. Where a record has no date of its own the rule uses when it was entered (``created_at``). The text
fields (perspective, strengths, plan agreement) carry no date: their present value is used for every day, except
that the plan agreement counts only from its date ``plan_agreed_on``. An instrument's and a goal's status is also
its present one; where an end date exists (``Instrument.ended_on``) it reconstructs whether it was running.

"Within N days" includes the last day: a trajectory started on 1 March with an intake period of 28 days is still
in its intake period on 29 March and past it on 30 March. Likewise a record dated exactly ``review_days`` ago is
still recent.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

from django.db.models import (
    BigIntegerField,
    Case,
    DateField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from koers.principles.models import PrincipleThresholds
from koers.trajectories.models import (
    URGENT_BARRIER,
    WILLEN,
    Goal,
    GoalStatus,
    IgmFactorScore,
    IgmProfile,
    Instrument,
    InstrumentStatus,
    LifeDomain,
    LifeDomainAssessment,
    LifeDomainScore,
    Trajectory,
)


class Status(IntEnum):
    PASS = 0
    ATTENTION = 1
    FAIL = 2


STATUS_LABELS: dict[Status, Promise] = {
    Status.PASS: _("Pass"),
    Status.ATTENTION: _("Attention"),
    Status.FAIL: _("Fail"),
}

# One SUM of these weights counts passes, attentions and failures together: passes in the lowest 21 bits,
# attentions in the next 21, failures above. Exact up to 2,097,151 trajectories per group (per consultant).
SHIFT = 21
WEIGHTS: dict[Status, int] = {Status.PASS: 1, Status.ATTENTION: 1 << SHIFT, Status.FAIL: 1 << (2 * SHIFT)}


def decode_tally(total: Any) -> tuple[int, int, int]:
    """The (passed, attention, failed) counts from a sum of ``WEIGHTS`` (PostgreSQL returns a Decimal)."""
    value = int(total or 0)
    mask = (1 << SHIFT) - 1
    return value & mask, (value >> SHIFT) & mask, value >> (2 * SHIFT)


@dataclass(frozen=True)
class AuditDay:
    """The day the audit is for and the organisation's thresholds, with the dates the rules compare against."""

    as_of: datetime.date
    thresholds: PrincipleThresholds

    def days_before(self, days: int) -> datetime.date:
        return self.as_of - datetime.timedelta(days=days)

    @property
    def end_of_day(self) -> datetime.datetime:
        """The first moment after ``as_of`` in the local time zone: records entered before it count."""
        next_day = datetime.datetime.combine(self.as_of + datetime.timedelta(days=1), datetime.time.min)
        return timezone.make_aware(next_day)

    def start_of(self, day: datetime.date) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))

    @property
    def in_intake(self) -> Q:
        """The trajectory started at most ``intake_days`` ago."""
        return Q(started_on__gte=self.days_before(self.thresholds.intake_days))

    @property
    def in_plan_period(self) -> Q:
        """The trajectory started at most ``plan_days`` ago."""
        return Q(started_on__gte=self.days_before(self.thresholds.plan_days))

    def params(self) -> dict[str, int]:
        """The numbers the reason texts may name."""
        t = self.thresholds
        return {
            "intake_days": t.intake_days,
            "plan_days": t.plan_days,
            "review_days": t.review_days,
            "urgent_action_days": t.urgent_action_days,
            "instrument_warning_days": t.instrument_warning_days,
            "double_review_days": 2 * t.review_days,
        }


def thresholds_for(organisation_id: int) -> PrincipleThresholds:
    """The organisation's thresholds, or the defaults (an unsaved row) when it has set none: one query."""
    found = PrincipleThresholds.objects.filter(organisation_id=organisation_id).first()
    return found or PrincipleThresholds(organisation_id=organisation_id)


@dataclass(frozen=True)
class Branch:
    """One outcome of a rule: its status, the reason shown (may name thresholds), and when it applies."""

    status: Status
    reason: Promise
    condition: Q | None = None  # None: the outcome when no earlier branch applied


@dataclass(frozen=True)
class Principle:
    number: int
    title: Promise
    checks: Promise  # what the rule looks at, in one plain sentence
    fix_label: Promise  # the link text to where it is fixed
    fix_view: str  # a trajectory URL name taking the trajectory's pk
    rule: Callable[[AuditDay], list[Branch]]
    # Further values for one trajectory's page (e.g. which instrument to fix) and the link that uses them.
    extras: Callable[[AuditDay], dict[str, Any]] = field(default=lambda day: {})
    fix: Callable[[Trajectory], str] | None = None

    @property
    def key(self) -> str:
        return f"p{self.number}"

    def fix_url(self, trajectory: Trajectory) -> str:
        if self.fix is not None:
            return self.fix(trajectory)
        return reverse(self.fix_view, args=[trajectory.pk])

    def branches(self, day: AuditDay) -> list[Branch]:
        branches = self.rule(day)
        if not branches or branches[-1].condition is not None or any(b.condition is None for b in branches[:-1]):
            raise ValueError(f"principle {self.number}: only the last branch is unconditional")
        return branches

    def reasons(self, day: AuditDay) -> dict[Status, list[Promise]]:
        """The reason texts per outcome, for documentation and tests."""
        found: dict[Status, list[Promise]] = {status: [] for status in Status}
        for branch in self.branches(day):
            found[branch.status].append(branch.reason)
        return found


def _case(day: AuditDay, principle: Principle, value: Callable[[int, Branch], int], big: bool = False) -> Case:
    branches = principle.branches(day)
    output: IntegerField = BigIntegerField() if big else IntegerField()
    return Case(
        *(When(branch.condition, then=Value(value(index, branch))) for index, branch in enumerate(branches[:-1])),
        default=Value(value(len(branches) - 1, branches[-1])),
        output_field=output,
    )


def status_expression(principle: "Principle", day: AuditDay) -> Case:
    return _case(day, principle, lambda index, branch: int(branch.status))


def branch_expression(principle: "Principle", day: AuditDay) -> Case:
    return _case(day, principle, lambda index, branch: index)


def tally_expression(principle: "Principle", day: AuditDay) -> Case:
    return _case(day, principle, lambda index, branch: WEIGHTS[branch.status], big=True)


def audited_trajectories(day: AuditDay) -> QuerySet[Trajectory]:
    """Trajectories open on ``as_of``: started on or before it and not ended by it (ended after it, or not at all).

    Not yet limited to an organisation or team: the caller does that.
    """
    return Trajectory.objects.filter(started_on__lte=day.as_of).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=day.as_of)
    )


# --- Records as known on the audit day ---------------------------------------------------------------------------


def _instruments_known(day: AuditDay, trajectory: str = "pk") -> QuerySet[Instrument]:
    """Instruments of the trajectory entered on or before ``as_of`` (or started by then, if entered later); the
    trajectory is the outer query's field ``trajectory``."""
    return Instrument.objects.filter(trajectory=OuterRef(trajectory)).filter(
        Q(created_at__lt=day.end_of_day) | Q(started_on__lte=day.as_of)
    )


def _goals_known(day: AuditDay) -> QuerySet[Goal]:
    return Goal.objects.filter(trajectory=OuterRef("pk"), created_at__lt=day.end_of_day)


def _instruments_running(day: AuditDay) -> QuerySet[Instrument]:
    """Instruments running on ``as_of``: started by then and active, or ended (completed, stopped) only after it."""
    return Instrument.objects.filter(trajectory=OuterRef("pk"), started_on__lte=day.as_of).filter(
        Q(status=InstrumentStatus.ACTIVE, ended_on__isnull=True)
        | Q(status__in=(InstrumentStatus.ACTIVE, InstrumentStatus.COMPLETED, InstrumentStatus.STOPPED))
        & Q(ended_on__gt=day.as_of)
    )


def _planned_end() -> ExpressionWrapper:
    """An instrument's planned end: its start + planned weeks × 7 days, computed by the database."""
    weeks = ExpressionWrapper(F("planned_weeks"), output_field=IntegerField())
    duration = ExpressionWrapper(weeks * Value(datetime.timedelta(weeks=1)), output_field=DurationField())
    return ExpressionWrapper(F("started_on") + duration, output_field=DateField())


def filled(field_name: str) -> Q:
    return ~Q(**{field_name: ""})


# --- The ten rules -----------------------------------------------------------------------------------------------


def tailored_approach(day: AuditDay) -> list[Branch]:
    """P1 Maatwerk. Pass: the trajectory has at least one instrument (planned, active or ended) entered by
    ``as_of``. Attention: none yet, within ``plan_days`` of the start. Fail: none after ``plan_days``.

    A judgement call: whether the instrument fits the client's question cannot be read from data; that an
    instrument was chosen for this trajectory, rather than none at all, is what is checked.
    """
    return [
        Branch(
            Status.PASS, _("An instrument has been chosen for this client's plan."), Q(Exists(_instruments_known(day)))
        ),
        Branch(
            Status.ATTENTION,
            _(
                "No instrument has been chosen yet. Choose one that fits the client's question within %(plan_days)s "
                "days of the start."
            ),
            day.in_plan_period,
        ),
        Branch(
            Status.FAIL,
            _("No instrument has been chosen, and the trajectory started more than %(plan_days)s days ago."),
        ),
    ]


def positive_view(day: AuditDay) -> list[Branch]:
    """P2 Positive view of human nature. Pass: strengths are recorded (not blank). Attention: blank, within
    ``intake_days`` of the start. Fail: blank after that."""
    return [
        Branch(Status.PASS, _("The client's strengths and possibilities are recorded."), filled("strengths")),
        Branch(
            Status.ATTENTION,
            _("The client's strengths are not recorded yet. Write them down within %(intake_days)s days of the start."),
            day.in_intake,
        ),
        Branch(
            Status.FAIL, _("The client's strengths are not recorded, more than %(intake_days)s days after the start.")
        ),
    ]


def future_perspective(day: AuditDay) -> list[Branch]:
    """P3 Connect to the desired future perspective. Pass: the perspective is recorded (not blank). Attention:
    blank, within ``intake_days`` of the start. Fail: blank after that."""
    return [
        Branch(
            Status.PASS,
            _("The desired future perspective is recorded in the client's words."),
            filled("future_perspective"),
        ),
        Branch(
            Status.ATTENTION,
            _("The future perspective is not recorded yet. Ask the client within %(intake_days)s days of the start."),
            day.in_intake,
        ),
        Branch(
            Status.FAIL, _("The future perspective is not recorded, more than %(intake_days)s days after the start.")
        ),
    ]


def own_goals(day: AuditDay) -> list[Branch]:
    """P4 Achievable goals the client formulated. Pass: a goal in the client's words (a goal without a parent)
    with at least one intermediate goal (a goal with it as parent), both entered by ``as_of``. Attention: goals but
    no intermediate goal yet (at any time), or no goal yet within ``intake_days`` of the start. Fail: no goal after
    ``intake_days``.

    A goal counts whatever its status (an adjusted or stopped goal was still formulated by the client).
    """
    steps = Goal.objects.filter(parent=OuterRef("pk"), created_at__lt=day.end_of_day)
    goals = _goals_known(day).filter(parent__isnull=True)
    return [
        Branch(
            Status.PASS,
            _("The client has a goal in their own words, with intermediate goals."),
            Q(Exists(goals.filter(Exists(steps)))),
        ),
        Branch(
            Status.ATTENTION,
            _("There is a goal, but no intermediate goal yet. Agree on a small first step with the client."),
            Q(Exists(goals)),
        ),
        Branch(
            Status.ATTENTION,
            _("No goal yet. Write down the client's goal in their own words within %(intake_days)s days of the start."),
            day.in_intake,
        ),
        Branch(Status.FAIL, _("No goal in the client's own words, more than %(intake_days)s days after the start.")),
    ]


def own_direction(day: AuditDay) -> list[Branch]:
    """P5 The client decides where to go. Pass: the client's agreement to the plan is recorded in their words
    (not blank) with a date on or before ``as_of``. Attention: not yet, within ``plan_days`` of the start. Fail:
    not after that."""
    return [
        Branch(
            Status.PASS,
            _("The client agreed to the plan, in their own words."),
            filled("plan_agreement") & Q(plan_agreed_on__lte=day.as_of),
        ),
        Branch(
            Status.ATTENTION,
            _("The client's agreement to the plan is not recorded yet. Do it within %(plan_days)s days of the start."),
            day.in_plan_period,
        ),
        Branch(
            Status.FAIL,
            _("The client's agreement to the plan is not recorded, more than %(plan_days)s days after the start."),
        ),
    ]


def intrinsic_motivation(day: AuditDay) -> list[Branch]:
    """P6 Strengthen intrinsic motivation. Looks at IGM profiles assessed on or before ``as_of`` that score the
    willen side (at least one of attitude, perceived norm, self-efficacy, intention). Pass: the latest is at most
    ``review_days`` old. Attention: it is older, up to 2 × ``review_days``; or there is none yet within
    ``intake_days`` of the start. Fail: it is older than 2 × ``review_days``, or there is none after
    ``intake_days``."""
    willen = IgmFactorScore.objects.filter(profile=OuterRef("pk"), factor__in=WILLEN)
    profiles = IgmProfile.objects.filter(trajectory=OuterRef("pk"), assessed_on__lte=day.as_of).filter(Exists(willen))
    review = day.thresholds.review_days
    return [
        Branch(
            Status.PASS,
            _("The client's motivation (IGM profile, wanting) was assessed in the last %(review_days)s days."),
            Q(Exists(profiles.filter(assessed_on__gte=day.days_before(review)))),
        ),
        Branch(
            Status.ATTENTION,
            _("The last IGM profile is more than %(review_days)s days old. Talk about motivation again and update it."),
            Q(Exists(profiles.filter(assessed_on__gte=day.days_before(2 * review)))),
        ),
        Branch(
            Status.FAIL,
            _(
                "The last IGM profile is more than %(double_review_days)s days old. Talk about motivation again and "
                "update it."
            ),
            Q(Exists(profiles)),
        ),
        Branch(
            Status.ATTENTION,
            _("No IGM profile yet. Map what the client wants within %(intake_days)s days of the start."),
            day.in_intake,
        ),
        Branch(Status.FAIL, _("No IGM profile, more than %(intake_days)s days after the start.")),
    ]


def self_efficacy(day: AuditDay) -> list[Branch]:
    """P7 Strengthen self-efficacy with small steps. Looks at intermediate goals entered by ``as_of``.
    Pass: one was achieved recently, or an open one has a target date in the coming ``review_days``. Attention: the
    open ones are past their target date, or no step is achieved recently nor due soon; no intermediate goal yet,
    within ``plan_days`` of the start. Fail: no intermediate goal after ``plan_days``.

    A judgement call: a goal has no date of achievement, so "achieved recently" is an achieved intermediate goal
    whose target date lies at most ``review_days`` before ``as_of`` or later (achieved ahead of time), or, without a
    target date, that was entered within the last ``review_days``.
    """
    review = day.thresholds.review_days
    since = day.days_before(review)
    steps = _goals_known(day).filter(parent__isnull=False)
    achieved = steps.filter(status=GoalStatus.ACHIEVED).filter(
        Q(target_date__gte=since) | Q(target_date__isnull=True, created_at__gte=day.start_of(since))
    )
    coming = steps.filter(
        status=GoalStatus.OPEN,
        target_date__gte=day.as_of,
        target_date__lte=day.as_of + datetime.timedelta(days=review),
    )
    overdue = steps.filter(status=GoalStatus.OPEN, target_date__lt=day.as_of)
    return [
        Branch(
            Status.PASS,
            _("The client is taking small steps: an intermediate goal was achieved recently or is due soon."),
            Q(Exists(achieved)) | Q(Exists(coming)),
        ),
        Branch(
            Status.ATTENTION,
            _("Intermediate goals are past their target date. Talk about them and agree on a new small step."),
            Q(Exists(overdue)),
        ),
        Branch(
            Status.ATTENTION,
            _(
                "No small step is due in the coming %(review_days)s days and none was achieved recently. Agree on a "
                "next step."
            ),
            Q(Exists(steps)),
        ),
        Branch(
            Status.ATTENTION,
            _("No intermediate goals yet. Agree on small, achievable steps within %(plan_days)s days of the start."),
            day.in_plan_period,
        ),
        Branch(Status.FAIL, _("No intermediate goals, more than %(plan_days)s days after the start.")),
    ]


def _urgent_latest_without_action(day: AuditDay) -> QuerySet[LifeDomainAssessment]:
    """The trajectory's latest assessment on or before ``as_of`` if it scores housing or finances as an urgent
    barrier and no instrument counts as action since it.

    Action: an instrument entered by ``as_of`` that ended on or after the assessment, or that has no end date and
    is planned or active, or was entered or started on or after the assessment. An instrument that ended before
    the assessment does not count. Instruments are not linked to life domains, so any instrument counts (as on the
    caseload).
    """
    later = LifeDomainAssessment.objects.filter(trajectory=OuterRef("trajectory"), assessed_on__lte=day.as_of).filter(
        Q(assessed_on__gt=OuterRef("assessed_on")) | Q(assessed_on=OuterRef("assessed_on"), pk__gt=OuterRef("pk"))
    )
    urgent = LifeDomainScore.objects.filter(
        assessment=OuterRef("pk"), domain__in=(LifeDomain.HOUSING, LifeDomain.FINANCES), score=URGENT_BARRIER
    )
    since = OuterRef("assessed_on")
    action = _instruments_known(day, trajectory="trajectory").filter(
        Q(ended_on__gte=since)
        | Q(ended_on__isnull=True)
        & (
            Q(status__in=(InstrumentStatus.PLANNED, InstrumentStatus.ACTIVE))
            | Q(created_at__date__gte=since)
            | Q(started_on__gte=since)
        )
    )
    return (
        LifeDomainAssessment.objects.filter(trajectory=OuterRef("pk"), assessed_on__lte=day.as_of)
        .filter(Exists(urgent))
        .filter(~Exists(later))
        .filter(~Exists(action))
    )


def urgent_barriers(day: AuditDay) -> list[Branch]:
    """P8 Stabilise urgent barriers first. The latest life-domain assessment on or before ``as_of`` scores housing
    or finances at 1 (urgent barrier) and no instrument counts as action since (see
    ``_urgent_latest_without_action``): attention up to ``urgent_action_days`` after the assessment, fail after.
    Otherwise pass, also without any assessment (principle 9 asks for that)."""
    waiting = _urgent_latest_without_action(day)
    return [
        Branch(
            Status.FAIL,
            _(
                "Housing or finances is an urgent barrier, and no action was planned within %(urgent_action_days)s "
                "days of the assessment."
            ),
            Q(Exists(waiting.filter(assessed_on__lt=day.days_before(day.thresholds.urgent_action_days)))),
        ),
        Branch(
            Status.ATTENTION,
            _(
                "Housing or finances is an urgent barrier. Plan an action within %(urgent_action_days)s days of the "
                "assessment."
            ),
            Q(Exists(waiting)),
        ),
        Branch(Status.PASS, _("No urgent barrier in housing or finances without action.")),
    ]


def monitoring(day: AuditDay) -> list[Branch]:
    """P9 Monitor the development. Pass: a life-domain assessment dated at most ``intake_days`` after the start
    (and not after ``as_of``) and the latest assessment at most ``review_days`` old. Attention: no assessment yet
    within ``intake_days`` of the start; or the first was in time but the latest is older than ``review_days``.
    Fail: no assessment within ``intake_days`` of the start, when the start is more than ``intake_days`` ago; this
    stays so for the trajectory's life, since the start picture cannot be made up later."""
    deadline = ExpressionWrapper(
        OuterRef("started_on") + Value(datetime.timedelta(days=day.thresholds.intake_days)), output_field=DateField()
    )
    assessments = LifeDomainAssessment.objects.filter(trajectory=OuterRef("pk"), assessed_on__lte=day.as_of)
    first_in_time = Q(Exists(assessments.filter(assessed_on__lte=deadline)))
    recent = Q(Exists(assessments.filter(assessed_on__gte=day.days_before(day.thresholds.review_days))))
    return [
        Branch(
            Status.PASS,
            _("The eight life domains were assessed at the start and again in the last %(review_days)s days."),
            first_in_time & recent,
        ),
        Branch(
            Status.ATTENTION,
            _("The last life-domain assessment is more than %(review_days)s days old. Assess the life domains again."),
            first_in_time,
        ),
        Branch(
            Status.ATTENTION,
            _("The life domains have not been assessed yet. Do it within %(intake_days)s days of the start."),
            day.in_intake,
        ),
        Branch(Status.FAIL, _("The eight life domains were not assessed within %(intake_days)s days of the start.")),
    ]


def _overdue_instruments(day: AuditDay) -> QuerySet[Instrument]:
    return _instruments_running(day).alias(planned_end=_planned_end()).filter(planned_end__lt=day.as_of)


def _ending_soon(day: AuditDay) -> QuerySet[Instrument]:
    warn_until = day.as_of + datetime.timedelta(days=day.thresholds.instrument_warning_days)
    return _instruments_running(day).alias(planned_end=_planned_end()).filter(planned_end__lte=warn_until)


def instrument_duration(day: AuditDay) -> list[Branch]:
    """P10 Watch and limit an instrument's duration. Looks at instruments running on ``as_of`` (started by then and
    active, or ended only after it); planned end = start + planned weeks × 7 days. Fail: one runs past its planned
    end (planned end before ``as_of``) and its review date has passed (before ``as_of``). Because a review date on or
    before the planned end has then also passed, this covers "no review planned after the planned end". Attention:
    one runs past its planned end with its review still ahead (on or after ``as_of``), or one reaches its planned
    end within ``instrument_warning_days``. Otherwise pass, also without instruments (principle 1 asks for those).
    """
    overdue = _overdue_instruments(day)
    return [
        Branch(
            Status.FAIL,
            _(
                "An instrument runs longer than planned and its review date has passed. Review it: continue with a new "
                "end date, or stop it."
            ),
            Q(Exists(overdue.filter(review_on__lt=day.as_of))),
        ),
        Branch(
            Status.ATTENTION,
            _("An instrument runs longer than planned; its review is planned. Decide then whether it still works."),
            Q(Exists(overdue)),
        ),
        Branch(
            Status.ATTENTION,
            _("An instrument reaches its planned end within %(instrument_warning_days)s days. Plan its review."),
            Q(Exists(_ending_soon(day))),
        ),
        Branch(Status.PASS, _("No instrument runs past its planned duration.")),
    ]


def _instrument_to_review(day: AuditDay) -> dict[str, Any]:
    """The running instrument whose planned end comes first, for the link to where principle 10 is fixed."""
    first = _ending_soon(day).order_by("planned_end", "pk").values("pk")[:1]
    return {"principle_instrument": Subquery(first)}


def _instrument_link(trajectory: Trajectory) -> str:
    instrument = getattr(trajectory, "principle_instrument", None)
    if instrument is None:
        return reverse("trajectories:detail", args=[trajectory.pk])
    return reverse("trajectories:instrument_edit", args=[instrument])


PRINCIPLES: tuple[Principle, ...] = (
    Principle(
        1,
        _("Deliver a tailored approach"),
        _("Whether an instrument was chosen for the client, within the plan period."),
        _("Choose an instrument"),
        "trajectories:instrument_create",
        tailored_approach,
    ),
    Principle(
        2,
        _("A positive view of human nature"),
        _("Whether the client's strengths and possibilities are recorded, within the intake period."),
        _("Record the strengths"),
        "trajectories:perspective",
        positive_view,
    ),
    Principle(
        3,
        _("Connect to the desired future perspective"),
        _("Whether the client's desired future perspective is recorded, within the intake period."),
        _("Record the future perspective"),
        "trajectories:perspective",
        future_perspective,
    ),
    Principle(
        4,
        _("Achievable goals the client formulated"),
        _("Whether there is a goal in the client's words, with intermediate goals."),
        _("Add a goal"),
        "trajectories:goal_create",
        own_goals,
    ),
    Principle(
        5,
        _("The client decides where they want to go"),
        _("Whether the client's agreement to the plan is recorded in their own words, within the plan period."),
        _("Record the agreement"),
        "trajectories:plan_agreement",
        own_direction,
    ),
    Principle(
        6,
        _("Strengthen intrinsic motivation"),
        _("Whether what the client wants (IGM profile) was mapped at the start and is kept up to date."),
        _("Record an IGM profile"),
        "trajectories:igm_profile",
        intrinsic_motivation,
    ),
    Principle(
        7,
        _("Strengthen confidence in one's own ability"),
        _("Whether the client works in small steps: intermediate goals achieved recently or due soon."),
        _("Add an intermediate goal"),
        "trajectories:goal_create",
        self_efficacy,
    ),
    Principle(
        8,
        _("Stabilise urgent barriers"),
        _("Whether an urgent barrier in housing or finances (score 1) is followed by an action in time."),
        _("Plan an instrument"),
        "trajectories:instrument_create",
        urgent_barriers,
    ),
    Principle(
        9,
        _("Monitor the development process"),
        _("Whether the eight life domains were assessed at the start and are reassessed regularly."),
        _("Assess the life domains"),
        "trajectories:life_domains",
        monitoring,
    ),
    Principle(
        10,
        _("Watch and limit the duration of an instrument"),
        _("Whether running instruments stay within their planned duration, or are reviewed in time."),
        _("Review the instrument"),
        "trajectories:instrument_edit",
        instrument_duration,
        extras=_instrument_to_review,
        fix=_instrument_link,
    ),
)
PRINCIPLES_BY_NUMBER = {principle.number: principle for principle in PRINCIPLES}


def with_statuses(trajectories: QuerySet[Trajectory], day: AuditDay) -> QuerySet[Trajectory]:
    """Each trajectory annotated with ``p1`` … ``p10``: its status per principle on ``as_of``."""
    return trajectories.annotate(**{p.key: status_expression(p, day) for p in PRINCIPLES})
