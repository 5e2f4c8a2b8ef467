"""Reads for referrals, waiting lists and placement: scoped, 404 alike for missing and forbidden.

A consultant reaches the referrals of own clients (and clients opened with temporary access); a planner those to the
organisation's programmes, without dossier content. The run figures that placement needs (participants, first and
next session) are computed in the database, so a page costs the same number of queries however many runs it lists.
"""

import datetime
from typing import Any

from django.db.models import Count, F, IntegerField, Min, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from koers.access.scoping import scope
from koers.audit.models import Action
from koers.audit.services import record_event
from koers.clients.models import Client
from koers.groupwork.fit import ReferralFacts, RunFacts, capacity
from koers.groupwork.models import (
    GroupRun,
    Participation,
    Programme,
    Referral,
    ReferralEvent,
    ReferralStatus,
    RunStatus,
    Session,
    Variant,
)

DEADLINE_SOON = datetime.timedelta(days=7)
# The placement page lists at most this many upcoming runs of a programme.
MAX_PLACEMENT_RUNS = 40


def visible_referrals(user: Any) -> QuerySet[Referral]:
    return scope(Referral.objects.all(), user).select_related(
        "client", "client__municipality", "programme", "group_run", "group_run__room"
    )


def referral_for(user: Any, pk: int, *, reason: str) -> Referral:
    """The one way to open a referral: scoped (404 alike for missing and forbidden) and written to the audit trail."""
    referral = (
        visible_referrals(user)
        .select_related("instrument__instrument_type", "goal", "referred_by", "group_run__municipality")
        .filter(pk=pk)
        .first()
    )
    if referral is None:
        raise Http404
    record_event(user, Action.READ, referral, client_id=referral.client_id, reason=reason)
    return referral


def referral_history(referral: Referral) -> list[ReferralEvent]:
    return list(referral.events.select_related("by").order_by("at", "id"))


def referrals_for_client(user: Any, client: Client) -> QuerySet[Referral]:
    """The client's referrals that the user may see, newest first (for the client's dossier page)."""
    return (
        scope(Referral.objects.filter(client=client), user)
        .select_related("programme", "group_run")
        .order_by("-referred_on", "-id")
    )


def waiting_days(referral: Referral, today: datetime.date) -> int:
    """Days from the referral to the start, or to today while the client has not started (or to the end)."""
    until = referral.started_on or referral.ended_on or today
    return max((until - referral.referred_on).days, 0)


def planner_programme(user: Any, pk: int) -> Programme:
    programme = Programme.objects.filter(pk=pk, organisation=user.organisation_id).first()
    if programme is None:
        raise Http404
    return programme


def waiting_list_overview(user: Any, today: datetime.date) -> QuerySet[Programme]:
    """Per programme of the organisation: how many wait, since when, and how many deadlines are near or passed."""
    waiting = Q(referrals__status=ReferralStatus.WAITING)
    return (
        Programme.objects.filter(organisation=user.organisation_id)
        .annotate(
            waiting=Count("referrals", filter=waiting),
            waiting_since=Min("referrals__referred_on", filter=waiting),
            deadlines_due=Count("referrals", filter=waiting & Q(referrals__deadline__lte=today + DEADLINE_SOON)),
            deadlines_passed=Count("referrals", filter=waiting & Q(referrals__deadline__lt=today)),
        )
        .filter(Q(is_active=True) | Q(waiting__gt=0))
        .order_by("name")
    )


def waiting_referrals(user: Any, programme: Programme) -> QuerySet[Referral]:
    """The programme's waiting list: nearest deadline first, then the longest wait."""
    return (
        scope(Referral.objects.filter(programme=programme, status=ReferralStatus.WAITING), user)
        .select_related("client", "client__municipality")
        .order_by(F("deadline").asc(nulls_last=True), "referred_on", "id")
    )


def with_placement_figures(runs: QuerySet[GroupRun], today: datetime.date) -> QuerySet[GroupRun]:
    """Annotates current participants, the first session and the next session on or after ``today``."""
    held = Session.objects.filter(group_run=OuterRef("pk"), is_cancelled=False).order_by("date", "starts_at", "id")
    upcoming = held.filter(date__gte=today)
    participants = (
        Participation.objects.filter(group_run=OuterRef("pk"), left_on__isnull=True)
        .order_by()
        .values("group_run")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return runs.annotate(
        participant_count=Coalesce(Subquery(participants, output_field=IntegerField()), Value(0)),
        first_session=Subquery(held.values("date")[:1]),
        first_starts_at=Subquery(held.values("starts_at")[:1]),
        next_session=Subquery(upcoming.values("date")[:1]),
        next_starts_at=Subquery(upcoming.values("starts_at")[:1]),
    )


def run_facts(run: GroupRun, today: datetime.date) -> RunFacts:
    """A run annotated by :func:`with_placement_figures` as plain facts; a run without sessions yet counts its
    start date and time as its first session."""
    programme = run.programme
    if getattr(run, "first_session", None) is not None:
        first_session, starts_at = run.first_session, run.first_starts_at  # type: ignore[attr-defined]
        next_session, next_starts_at = run.next_session, run.next_starts_at  # type: ignore[attr-defined]
    else:
        first_session, starts_at = run.start_date, run.start_time
        next_session = run.start_date if run.start_date >= today else None
        next_starts_at = run.start_time
    return RunFacts(
        status=run.status,
        variant=run.variant,
        is_continuous=programme.is_continuous,
        first_session=first_session,
        starts_at=starts_at,
        capacity=capacity(
            programme.max_size,
            run.room.capacity if run.room is not None else None,
            small_group=run.variant == Variant.SMALL_GROUP,
            small_group_max_size=programme.small_group_max_size,
        ),
        participants=getattr(run, "participant_count", 0),
        municipality_id=run.municipality_id,
        next_session=next_session,
        next_starts_at=next_starts_at,
    )


def referral_facts(referral: Referral) -> ReferralFacts:
    client = referral.client
    return ReferralFacts(
        needed_variant=referral.needed_variant,
        municipality_id=client.municipality_id,
        availability=tuple(client.availability or ()),
        support_note=referral.support_note,
        deadline=referral.deadline,
    )


def placement_runs(programme: Programme, today: datetime.date) -> list[GroupRun]:
    """Runs of the programme a client could still join: planned or running, starting today or later, or continuous
    with a session left; each annotated for placement."""
    runs = GroupRun.objects.filter(programme=programme, status__in=[RunStatus.PLANNED, RunStatus.RUNNING])
    runs = with_placement_figures(runs.select_related("programme", "room", "municipality"), today)
    runs = runs.filter(Q(start_date__gte=today) | Q(next_session__isnull=False))
    return list(runs.order_by("start_date", "start_time", "id")[:MAX_PLACEMENT_RUNS])
