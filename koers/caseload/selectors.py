"""The consultant's caseload and its signals: what needs attention, computed by the database.

A signal is a boolean expression on a client row (an ``Exists`` over the client's records), built for a given day.
The list, the filter, the badges, the summary and the sort by number of signals all derive from ``SIGNALS``, so a
new signal is one entry there, with its builder in the app that owns the data (this app sits above them all).
Group work adds two: a trainer's hand-off signal not yet acknowledged, and an absence from a group session not yet
seen (marked when the programme is mandatory). Measurement adds one: a start measurement past its due date, or a
latest measurement older than the organisation's interval (only where the organisation measures).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from functools import reduce
from operator import or_
from typing import Any

from django.conf import settings
from django.db.models import (
    BooleanField,
    Case,
    Count,
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
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from koers.clients.access import active_grants
from koers.clients.models import Client
from koers.clients.selectors import search_clients
from koers.groupwork.models import ABSENT_STATUSES, Attendance, HandOff
from koers.measurement.selectors import measurement_due
from koers.trajectories.models import (
    URGENT_BARRIER,
    Instrument,
    InstrumentStatus,
    LifeDomainAssessment,
    LifeDomainScore,
    ProgressReport,
    Trajectory,
)

RUNNING = (InstrumentStatus.PLANNED, InstrumentStatus.ACTIVE)


def progress_report_weeks() -> int:
    """After this many weeks without a progress report an open trajectory is signalled."""
    return int(getattr(settings, "KOERS_PROGRESS_REPORT_WEEKS", 13))


def _open_trajectories() -> QuerySet[Trajectory]:
    return Trajectory.objects.filter(client=OuterRef("pk"), ended_on__isnull=True)


def _instruments_in_open_trajectory() -> QuerySet[Instrument]:
    return Instrument.objects.filter(trajectory__client=OuterRef("pk"), trajectory__ended_on__isnull=True)


def review_overdue(today: datetime.date) -> Exists:
    """A planned or active instrument whose review date has passed (principle 10)."""
    return Exists(_instruments_in_open_trajectory().filter(status__in=RUNNING, review_on__lt=today))


def over_planned_duration(today: datetime.date) -> Exists:
    """An active instrument running past its planned duration: start + weeks × 7 days lies before today.

    The end date is computed in the database; Django turns the date + duration arithmetic into SQL that SQLite
    and PostgreSQL both evaluate correctly (tests run on both).
    """
    weeks = ExpressionWrapper(F("planned_weeks"), output_field=IntegerField())
    duration = ExpressionWrapper(weeks * Value(datetime.timedelta(weeks=1)), output_field=DurationField())
    planned_end = ExpressionWrapper(F("started_on") + duration, output_field=DateField())
    running_late = (
        _instruments_in_open_trajectory()
        .filter(status=InstrumentStatus.ACTIVE, started_on__isnull=False)
        .annotate(planned_end=planned_end)
        .filter(planned_end__lt=today)
    )
    return Exists(running_late)


def urgent_barrier_without_action(today: datetime.date) -> Exists:
    """The latest life-domain assessment of the open trajectory scores a domain 1 and no instrument is planned or
    active in that trajectory (principle 8).

    A simplification: any running instrument counts as action, whether or not it addresses that domain, because
    instruments are not linked to life domains.
    """
    latest_assessment = (
        LifeDomainAssessment.objects.filter(trajectory=OuterRef("pk")).order_by("-assessed_on", "-id").values("pk")[:1]
    )
    acute = LifeDomainScore.objects.filter(assessment=OuterRef("latest_assessment"), score=URGENT_BARRIER)
    running = Instrument.objects.filter(trajectory=OuterRef("pk"), status__in=RUNNING)
    return Exists(
        _open_trajectories()
        .annotate(latest_assessment=Subquery(latest_assessment))
        .filter(Exists(acute))
        .filter(~Exists(running))
    )


def progress_report_overdue(today: datetime.date) -> Exists:
    """An open trajectory without a progress report in the last N weeks (counted from its start if it has none)."""
    cutoff = today - datetime.timedelta(weeks=progress_report_weeks())
    recent = ProgressReport.objects.filter(trajectory=OuterRef("pk"), written_on__gte=cutoff)
    return Exists(_open_trajectories().filter(started_on__lt=cutoff).filter(~Exists(recent)))


def _open_hand_offs() -> QuerySet[HandOff]:
    return HandOff.objects.filter(participation__client=OuterRef("pk"), acknowledged_at__isnull=True)


def hand_off_to_acknowledge(today: datetime.date) -> Exists:
    """A trainer's hand-off signal about the client that no consultant has acknowledged yet."""
    return Exists(_open_hand_offs())


def _unseen_absences() -> QuerySet[Attendance]:
    return Attendance.objects.filter(
        participation__client=OuterRef("pk"), status__in=ABSENT_STATUSES, acknowledged_at__isnull=True
    ).exclude(session__is_cancelled=True)


def absent_from_group(today: datetime.date) -> Exists:
    """An absence from a group session (with or without notice) that no consultant has marked as seen."""
    return Exists(_unseen_absences())


def _first_open_hand_off(today: datetime.date) -> dict[str, Any]:
    oldest = _open_hand_offs().order_by("written_at", "pk").values("pk")[:1]
    return {"open_hand_off_pk": Subquery(oldest)}


def _mandatory_absence(today: datetime.date) -> dict[str, Any]:
    return {
        "absent_from_mandatory": Exists(_unseen_absences().filter(session__group_run__programme__is_mandatory=True))
    }


def _open_trajectory(today: datetime.date) -> dict[str, Any]:
    # The longest-running open trajectory: the one whose measurements are due first.
    return {"open_trajectory_pk": Subquery(_open_trajectories().order_by("started_on", "pk").values("pk")[:1])}


def _measurement_link(client: Client) -> str:
    return reverse("measurement:create", args=[client.open_trajectory_pk])  # type: ignore[attr-defined]


def _no_extras(today: datetime.date) -> dict[str, Any]:
    return {}


def _hand_off_link(client: Client) -> str:
    return reverse("groupwork:handoff_detail", args=[client.open_hand_off_pk])  # type: ignore[attr-defined]


def _absences_link(client: Client) -> str:
    return reverse("groupwork:absences") + f"?client={client.pk}"


def _mandatory_marker(client: Client) -> str | Promise:
    return _("mandatory") if client.absent_from_mandatory else ""  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Signal:
    name: str  # the annotation on each client row
    param: str  # the value of ?signaal= in the address (Dutch, like the other parameters)
    label: str | Promise  # the badge text
    description: str | Promise  # when the signal shows, in one sentence; may use %(weeks)s (report period)
    expression: Callable[[datetime.date], Exists]  # a boolean per client row
    # Further values on each row that the badge uses (in the same query), where it links to, and a short marker.
    extras: Callable[[datetime.date], dict[str, Any]] = _no_extras
    link: Callable[[Client], str] | None = None
    marker: Callable[[Client], str | Promise] | None = None


SIGNALS: tuple[Signal, ...] = (
    Signal(
        "signal_review_overdue",
        "evaluatie",
        _("Review date passed"),
        _("An instrument's review date has passed."),
        review_overdue,
    ),
    Signal(
        "signal_over_duration",
        "duur",
        _("Instrument over time"),
        _("An active instrument runs longer than planned."),
        over_planned_duration,
    ),
    Signal(
        "signal_urgent_barrier",
        "belemmering",
        _("Urgent barrier without action"),
        _("A life domain scores 1 in the latest assessment and no instrument is planned or active."),
        urgent_barrier_without_action,
    ),
    Signal(
        "signal_report_overdue",
        "rapportage",
        _("Progress report due"),
        _("The open trajectory has had no progress report for %(weeks)s weeks."),
        progress_report_overdue,
    ),
    Signal(
        "signal_hand_off",
        "overdracht",
        _("Hand-off to acknowledge"),
        _("A trainer wrote a hand-off signal at the end of a group and it has not been acknowledged yet."),
        hand_off_to_acknowledge,
        extras=_first_open_hand_off,
        link=_hand_off_link,
    ),
    Signal(
        "signal_absent",
        "afwezig",
        _("Absent from group"),
        _("The client missed a group session and nobody has marked it as seen; marked when the group is mandatory."),
        absent_from_group,
        extras=_mandatory_absence,
        link=_absences_link,
        marker=_mandatory_marker,
    ),
    Signal(
        "signal_measurement_due",
        "meting",
        _("Measurement due"),
        _(
            "The start measurement of the open trajectory is past its due date, or its latest measurement is older "
            "than the organisation's measurement interval."
        ),
        measurement_due,
        extras=_open_trajectory,
        link=_measurement_link,
    ),
)
SIGNALS_BY_PARAM = {signal.param: signal for signal in SIGNALS}


class Selection(StrEnum):
    """Which part of the caseload to show: own clients, clients of a colleague one replaces, or both."""

    OWN = "eigen"
    REPLACING = "vervanging"
    ALL = "alle"


class Sort(StrEnum):
    NAME = "naam"
    SIGNALS = "signalen"
    OLDEST_REPORT = "rapportage"


def _replacing(user: Any) -> Q:
    """Clients of a colleague that the user covers with temporary access; a team manager's own reasoned opening of
    a dossier (granted by themselves) is not a replacement."""
    grants = active_grants(user).exclude(granted_by=user)
    return Q(pk__in=grants.values("client_id")) & ~Q(consultant=user)


def _selection_condition(user: Any, selection: Selection) -> Q:
    own = Q(consultant=user)
    if selection == Selection.OWN:
        return own
    if selection == Selection.REPLACING:
        return _replacing(user)
    return own | _replacing(user)


def caseload_for(
    user: Any,
    *,
    today: datetime.date,
    selection: Selection = Selection.OWN,
    query: str = "",
    municipality_id: int | None = None,
    signal: Signal | None = None,
    sort: Sort = Sort.NAME,
) -> QuerySet[Client]:
    """The caseload rows, each annotated with its signals, their number and the date of the last progress report.

    Scoped through the client access rules first, so the caseload never shows more than the user may see.
    """
    clients = search_clients(user, query, municipality_id).filter(_selection_condition(user, selection))
    clients = clients.annotate(**{s.name: s.expression(today) for s in SIGNALS})
    clients = clients.annotate(**{name: value for s in SIGNALS for name, value in s.extras(today).items()})
    clients = clients.annotate(
        signal_count=sum(
            (Case(When(**{s.name: True}, then=Value(1)), default=Value(0)) for s in SIGNALS),
            start=Value(0),
        ),
        last_report_on=Subquery(
            ProgressReport.objects.filter(trajectory__client=OuterRef("pk"), trajectory__ended_on__isnull=True)
            .order_by("-written_on")
            .values("written_on")[:1]
        ),
        open_since=Subquery(_open_trajectories().values("started_on")[:1]),
    )
    if signal is not None:
        clients = clients.filter(**{signal.name: True})
    by_name = ("last_name", "first_name", "pk")
    if sort == Sort.SIGNALS:
        return clients.order_by(F("signal_count").desc(), *by_name)
    if sort == Sort.OLDEST_REPORT:
        report_due_since = Coalesce("last_report_on", "open_since", output_field=DateField())
        return clients.order_by(report_due_since.asc(nulls_last=True), *by_name)
    return clients.order_by(*by_name)


def active_signals(client: Client) -> list[Signal]:
    """The signals of one row of :func:`caseload_for`, read from its annotations (no query)."""
    return [signal for signal in SIGNALS if getattr(client, signal.name, False)]


@dataclass(frozen=True)
class Badge:
    """A signal as shown on a caseload row: where it leads and its marker (such as "mandatory"), if any."""

    signal: Signal
    url: str = ""
    marker: str | Promise = ""


def badges(client: Client) -> list[Badge]:
    """The badges of one row of :func:`caseload_for`, from its annotations (no query)."""
    return [
        Badge(
            signal,
            url=signal.link(client) if signal.link else "",
            marker=signal.marker(client) if signal.marker else "",
        )
        for signal in active_signals(client)
    ]


def caseload_summary(user: Any, *, today: datetime.date, selection: Selection = Selection.OWN) -> dict[str, int]:
    """Per signal the number of clients in the selected part of the caseload, the totals, and how many clients the
    user replaces a colleague for: one query, which computes each signal once per client."""
    rows = (
        search_clients(user)
        .filter(_selection_condition(user, Selection.ALL))
        .annotate(
            chosen=ExpressionWrapper(_selection_condition(user, selection), output_field=BooleanField()),
            replacing_colleague=ExpressionWrapper(_replacing(user), output_field=BooleanField()),
            **{f"has_{signal.name}": signal.expression(today) for signal in SIGNALS},
        )
    )
    chosen = Q(chosen=True)
    return rows.aggregate(
        clients=Count("pk", filter=chosen),
        replacing=Count("pk", filter=Q(replacing_colleague=True)),
        with_any_signal=Count("pk", filter=chosen & reduce(or_, (Q(**{f"has_{s.name}": True}) for s in SIGNALS))),
        **{s.name: Count("pk", filter=chosen & Q(**{f"has_{s.name}": True})) for s in SIGNALS},
    )
