"""Reads for the public programme pages (network partners, no login): programme information and upcoming group
starts with the places left, as plain values. Nothing about any person is read, so nothing is audited.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Min, Q, QuerySet
from django.utils import timezone

from koers.clients.models import FlagKind
from koers.groupwork.models import GroupRun, Programme, RunStatus, Variant


@dataclass(frozen=True)
class GroupStart:
    """What a network partner may know of one run: when, where, for which municipality, and how many places."""

    start_date: datetime.date
    starts_at: datetime.time
    ends_at: datetime.time
    is_running: bool
    variant: str
    variant_label: str
    room_name: str
    room_location: str
    municipality: str
    places_left: int

    @property
    def is_full(self) -> bool:
        return self.places_left <= 0


def _upcoming(today: datetime.date) -> Q:
    """Runs one can still join: planned or running from today, or a continuous group that is running."""
    starting = Q(status__in=[RunStatus.PLANNED, RunStatus.RUNNING], start_date__gte=today)
    return starting | Q(status=RunStatus.RUNNING, programme__is_continuous=True)


def published_programmes() -> QuerySet[Programme]:
    return Programme.objects.filter(is_published=True, is_active=True)


def catalogue() -> QuerySet[Programme]:
    """Published programmes of every organisation, by organisation, with the next start: one query."""
    today = timezone.localdate()
    starting = Q(runs__status__in=[RunStatus.PLANNED, RunStatus.RUNNING], runs__start_date__gte=today)
    running_continuous = Q(runs__status=RunStatus.RUNNING, is_continuous=True)
    return (
        published_programmes()
        .select_related("organisation")
        .annotate(
            next_start=Min("runs__start_date", filter=starting),
            running_groups=Count("runs", filter=running_continuous & Q(runs__start_date__lt=today)),
        )
        .order_by("organisation__name", "name", "pk")
    )


def public_programme(pk: int) -> Programme | None:
    return published_programmes().select_related("organisation").filter(pk=pk).first()


def _capacity(programme: Programme, variant: str) -> int:
    if variant == Variant.SMALL_GROUP and programme.small_group_max_size:
        return programme.small_group_max_size
    return programme.max_size


def group_starts(programme: Programme) -> list[GroupStart]:
    """The programme's upcoming starts, in date order: one query, whatever the number of runs or participants."""
    today = timezone.localdate()
    staying = Q(participations__left_on__isnull=True) | Q(participations__left_on__gte=today)
    runs = (
        GroupRun.objects.filter(_upcoming(today), programme=programme)
        .select_related("room", "municipality")
        .annotate(participant_count=Count("participations", filter=staying))
        .order_by("start_date", "start_time", "pk")
    )
    session = datetime.timedelta(minutes=programme.session_minutes)
    starts = []
    for run in runs:
        ends_at = (datetime.datetime.combine(run.start_date, run.start_time) + session).time()
        starts.append(
            GroupStart(
                start_date=run.start_date,
                starts_at=run.start_time,
                ends_at=ends_at,
                is_running=run.start_date < today,
                variant=run.variant,
                variant_label=run.get_variant_display(),
                room_name=run.room.name if run.room else "",
                room_location=run.room.location if run.room else "",
                municipality=run.municipality.name if run.municipality else "",
                places_left=max(_capacity(programme, run.variant) - run.participant_count, 0),
            )
        )
    return starts


def contra_indication_labels(programme: Programme) -> list[str]:
    known = set(FlagKind.values)
    return [str(FlagKind(kind).label) for kind in programme.contra_indications if kind in known]


def variant_labels(programme: Programme) -> list[str]:
    return [str(Variant(variant).label) for variant in programme.offered_variants()]
