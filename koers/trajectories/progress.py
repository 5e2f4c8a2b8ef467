"""Progress reports (voortgangsrapportages) and the case-discussion view: scoped reads, and the write with its audit.

Every read goes through the trajectory's scoping (``visible_trajectories``), so a report is visible exactly when its
trajectory is. Page data is loaded in a fixed number of queries, however many reports, goals, instruments or
assessments a trajectory has.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from koers.accounts.roles import Role
from koers.audit.models import Action
from koers.audit.services import record_event
from koers.trajectories.models import (
    URGENT_BARRIER,
    Goal,
    IgmFactor,
    IgmFactorScore,
    IgmProfile,
    Instrument,
    InstrumentStatus,
    LifeDomain,
    LifeDomainAssessment,
    ProgressReport,
    ProgressReportFacet,
    Trajectory,
)
from koers.trajectories.selectors import visible_trajectories

REPORT_ROLES = (Role.CONSULTANT, Role.TEAM_MANAGER)
# The chart and table of the case discussion show the most recent assessments; older ones stay in the dossier.
MAX_ASSESSMENTS_SHOWN = 12


# Reads ---------------------------------------------------------------------------------------------------------


def visible_reports(user: Any) -> QuerySet[ProgressReport]:
    """The reports of the trajectories the user may open."""
    return ProgressReport.objects.filter(trajectory__in=visible_trajectories(user))


def report_for(user: Any, pk: int, *, reason: str, action: str = Action.READ) -> ProgressReport:
    """One report with all it shows, or 404 alike for missing and forbidden; the read (or print) is on record."""
    report = (
        visible_reports(user)
        .select_related(
            "trajectory__client__municipality",
            "trajectory__client__consultant",
            "trajectory__client__organisation",
            "author",
            "life_domain_assessment",
            "igm_profile",
        )
        .prefetch_related("facets", "life_domain_assessment__scores", "igm_profile__factors")
        .filter(pk=pk)
        .first()
    )
    if report is None:
        raise Http404
    record_event(user, action, report, client_id=report.trajectory.client_id, reason=reason)
    return report


def report_history(trajectory: Trajectory) -> list[ProgressReport]:
    """All reports of the trajectory, newest first."""
    return list(trajectory.progress_reports.select_related("author").order_by("-written_on", "-id"))


def previous_report(trajectory: Trajectory) -> ProgressReport | None:
    """The latest report, with its facets: the starting point of the next one."""
    return trajectory.progress_reports.prefetch_related("facets").order_by("-written_on", "-id").first()


def assessment_history(trajectory: Trajectory, *, until: datetime.date | None = None) -> list[LifeDomainAssessment]:
    """The most recent life-domain assessments (up to ``until``), oldest first, with their scores."""
    assessments = trajectory.life_domain_assessments.all()
    if until is not None:
        assessments = assessments.filter(assessed_on__lte=until)
    recent = assessments.prefetch_related("scores").order_by("-assessed_on", "-id")[:MAX_ASSESSMENTS_SHOWN]
    return list(reversed(recent))


def latest_igm_profile(trajectory: Trajectory) -> IgmProfile | None:
    return trajectory.igm_profiles.prefetch_related("factors").order_by("-assessed_on", "-id").first()


def goals_and_instruments(trajectory: Trajectory) -> tuple[list[Goal], list[Instrument]]:
    """Goals, each followed by its intermediate goals, and the instruments with their type and goal."""
    goals = list(trajectory.goals.order_by("target_date", "id"))
    known = {goal.pk for goal in goals}
    children: dict[int | None, list[Goal]] = {}
    for goal in goals:
        children.setdefault(goal.parent_id if goal.parent_id in known else None, []).append(goal)
    ordered: list[Goal] = []

    def visit(parent_id: int | None) -> None:
        for goal in children.get(parent_id, []):
            ordered.append(goal)
            visit(goal.pk)

    visit(None)
    instruments = list(trajectory.instruments.select_related("instrument_type", "goal").order_by("review_on", "id"))
    return ordered, instruments


# Presentation of what the reads return ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DomainChange:
    """One life domain: the score at the previous report and now."""

    domain: str
    label: str
    previous: int | None
    current: int | None
    note: str = ""

    @property
    def change(self) -> int | None:
        if self.previous is None or self.current is None:
            return None
        return self.current - self.previous

    @property
    def is_urgent(self) -> bool:
        return self.current == URGENT_BARRIER

    @property
    def was_urgent(self) -> bool:
        return self.previous == URGENT_BARRIER


def _scores(assessment: LifeDomainAssessment | None) -> dict[str, Any]:
    return {score.domain: score for score in assessment.scores.all()} if assessment is not None else {}


def life_domain_changes(
    previous: LifeDomainAssessment | None, current: LifeDomainAssessment | None
) -> list[DomainChange]:
    """Per life domain (in the fixed order of the eight): previous and current score, with the current note."""
    before, now = _scores(previous), _scores(current)
    changes = []
    for domain in LifeDomain:
        old, new = before.get(domain.value), now.get(domain.value)
        changes.append(
            DomainChange(
                domain=domain.value,
                label=str(domain.label),
                previous=old.score if old is not None else None,
                current=new.score if new is not None else None,
                note=new.note if new is not None else "",
            )
        )
    return changes


def baseline_assessment(
    history: list[LifeDomainAssessment], current: LifeDomainAssessment | None, previous_id: int | None
) -> LifeDomainAssessment | None:
    """What the current scores are compared with: the previous report's assessment, else the first one (intake)."""
    if current is None:
        return None
    by_id = {assessment.pk: assessment for assessment in history}
    if previous_id is not None and previous_id != current.pk and previous_id in by_id:
        return by_id[previous_id]
    first = history[0] if history else None
    return first if first is not None and first.pk != current.pk else None


@dataclass(frozen=True)
class FacetRow:
    """One IGM factor in a report: the profile's score and description next to what changed and what is next."""

    factor: str
    label: str
    changed: str
    next_steps: str
    score: int | None
    description: str


def facet_rows(facets: list[ProgressReportFacet], profile: IgmProfile | None) -> list[FacetRow]:
    by_factor = {facet.factor: facet for facet in facets}
    scores: dict[str, IgmFactorScore] = (
        {score.factor: score for score in profile.factors.all()} if profile is not None else {}
    )
    rows = []
    for factor in IgmFactor:
        facet, score = by_factor.get(factor.value), scores.get(factor.value)
        rows.append(
            FacetRow(
                factor=factor.value,
                label=str(factor.label),
                changed=facet.changed if facet else "",
                next_steps=facet.next_steps if facet else "",
                score=score.score if score else None,
                description=score.description if score else "",
            )
        )
    return rows


@dataclass
class ReportContent:
    """Everything a report page and its PDF show."""

    report: ProgressReport
    facets: list[FacetRow]
    domain_changes: list[DomainChange]
    baseline: LifeDomainAssessment | None
    assessments: list[LifeDomainAssessment]
    goals: list[Goal]
    instruments: list[Instrument]
    overdue: set[int]
    today: datetime.date = field(default_factory=timezone.localdate)


def report_content(report: ProgressReport) -> ReportContent:
    """The report with the life-domain change since the report before it, and today's goals and instruments."""
    trajectory = report.trajectory
    current = report.life_domain_assessment
    earlier = (
        trajectory.progress_reports.filter(
            Q(written_on__lt=report.written_on) | Q(written_on=report.written_on, pk__lt=report.pk)
        )
        .order_by("-written_on", "-id")
        .values_list("life_domain_assessment_id", flat=True)
        .first()
    )
    history = assessment_history(trajectory, until=current.assessed_on if current else report.written_on)
    if current is not None and all(assessment.pk != current.pk for assessment in history):
        history.append(current)
    goals, instruments = goals_and_instruments(trajectory)
    baseline = baseline_assessment(history, current, earlier)
    today = timezone.localdate()
    return ReportContent(
        report=report,
        facets=facet_rows(list(report.facets.all()), report.igm_profile),
        domain_changes=life_domain_changes(baseline, current),
        baseline=baseline,
        assessments=history,
        goals=goals,
        instruments=instruments,
        overdue={instrument.pk for instrument in instruments if is_review_overdue(instrument, today)},
        today=today,
    )


@dataclass
class DraftContext:
    """What the form for a new report starts from."""

    previous: ProgressReport | None
    assessment: LifeDomainAssessment | None
    baseline: LifeDomainAssessment | None
    profile: IgmProfile | None
    domain_changes: list[DomainChange]
    facets: list[FacetRow]


def draft_context(trajectory: Trajectory) -> DraftContext:
    """The previous report, and the latest assessment and profile that a new report will link to."""
    previous = previous_report(trajectory)
    history = assessment_history(trajectory)
    current = history[-1] if history else None
    baseline = baseline_assessment(history, current, previous.life_domain_assessment_id if previous else None)
    profile = latest_igm_profile(trajectory)
    return DraftContext(
        previous=previous,
        assessment=current,
        baseline=baseline,
        profile=profile,
        domain_changes=life_domain_changes(baseline, current),
        facets=facet_rows(list(previous.facets.all()) if previous else [], profile),
    )


def default_period_start(trajectory: Trajectory, previous: ProgressReport | None) -> datetime.date:
    """A new report covers the time since the previous one, or since the start of the trajectory; never a period that
    starts after today (a second report on the day the previous one ended would otherwise be refused as pre-filled)."""
    if previous is not None:
        return min(previous.period_end + datetime.timedelta(days=1), timezone.localdate())
    return trajectory.started_on


@dataclass
class CaseDiscussion:
    """A stuck case on one page, along the IGM facets (casuïstiekbespreking)."""

    trajectory: Trajectory
    profile: IgmProfile | None
    facets: list[FacetRow]
    assessments: list[LifeDomainAssessment]
    domain_changes: list[DomainChange]
    goals: list[Goal]
    instruments: list[Instrument]
    overdue: set[int]
    last_report: ProgressReport | None
    today: datetime.date = field(default_factory=timezone.localdate)


def case_discussion(trajectory: Trajectory) -> CaseDiscussion:
    today = timezone.localdate()
    profile = latest_igm_profile(trajectory)
    history = assessment_history(trajectory)
    current = history[-1] if history else None
    goals, instruments = goals_and_instruments(trajectory)
    last_report = trajectory.progress_reports.select_related("author").order_by("-written_on", "-id").first()
    return CaseDiscussion(
        trajectory=trajectory,
        profile=profile,
        facets=facet_rows([], profile),
        assessments=history,
        domain_changes=life_domain_changes(history[0] if len(history) > 1 else None, current),
        goals=goals,
        instruments=instruments,
        overdue={instrument.pk for instrument in instruments if is_review_overdue(instrument, today)},
        last_report=last_report,
        today=today,
    )


def is_review_overdue(instrument: Instrument, today: datetime.date) -> bool:
    """A running or planned instrument past its review date: principle 10 says to decide whether it continues."""
    running = instrument.status in {InstrumentStatus.PLANNED, InstrumentStatus.ACTIVE}
    return running and instrument.review_on < today


# Writes --------------------------------------------------------------------------------------------------------


def write_progress_report(user: Any, trajectory: Trajectory, data: dict[str, Any]) -> ProgressReport:
    """Stores a report with all six IGM facets, linked to the latest assessment and IGM profile as they are now.

    ``data`` holds ``written_on``, ``period_start``, ``period_end``, ``summary`` and ``facets``: per factor a dict
    with ``changed`` and ``next_steps``.
    """
    if not user.has_role(*REPORT_ROLES) or not visible_trajectories(user).filter(pk=trajectory.pk).exists():
        raise PermissionDenied
    if data["period_end"] < data["period_start"]:
        raise ValueError("The period cannot end before it starts.")
    facets = data.get("facets", {})
    with transaction.atomic():
        report = ProgressReport.objects.create(
            trajectory=trajectory,
            author=user,
            written_on=data["written_on"],
            period_start=data["period_start"],
            period_end=data["period_end"],
            summary=data.get("summary", "").strip(),
            life_domain_assessment=trajectory.life_domain_assessments.order_by("-assessed_on", "-id").first(),
            igm_profile=trajectory.igm_profiles.order_by("-assessed_on", "-id").first(),
        )
        ProgressReportFacet.objects.bulk_create(
            ProgressReportFacet(
                report=report,
                factor=factor,
                changed=facets.get(factor, {}).get("changed", "").strip(),
                next_steps=facets.get(factor, {}).get("next_steps", "").strip(),
            )
            for factor in IgmFactor.values
        )
        record_event(user, Action.CREATE, report, client_id=trajectory.client_id, reason="progress report written")
    return report


def record_case_discussion_print(user: Any, trajectory: Trajectory) -> None:
    """The case discussion left the system on paper or as a file: on record as a print."""
    record_event(user, Action.PRINT, trajectory, client_id=trajectory.client_id, reason="case discussion printed (PDF)")
