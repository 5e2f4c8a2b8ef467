"""Reads of effect measurement for the entry pages and the caseload signal; scoped like the dossier."""

import datetime
from typing import Any

from django.db.models import (
    DateField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.http import Http404

from koers.access.scoping import scope
from koers.audit.models import Action
from koers.audit.services import record_event
from koers.measurement.models import Item, Measurement, MeasurementLink, MeasurementPolicy, MeasurementStatus, Moment
from koers.trajectories.models import Trajectory


def policy_of(organisation_id: int) -> MeasurementPolicy:
    """The organisation's measurement policy; the defaults (unsaved) when it has none."""
    policy = MeasurementPolicy.objects.filter(organisation_id=organisation_id).first()
    return policy or MeasurementPolicy(organisation_id=organisation_id)


def measurement_for(user: Any, pk: int, *, reason: str) -> Measurement:
    """The one way to open a measurement: scoped (404 alike for missing and forbidden) and audited."""
    measurement = (
        scope(Measurement.objects.all(), user)
        .select_related("trajectory__client", "version__questionnaire")
        .filter(pk=pk)
        .first()
    )
    if measurement is None:
        raise Http404
    record_event(user, Action.READ, measurement, client_id=measurement.trajectory.client_id, reason=reason)
    return measurement


def items_of(measurement: Measurement) -> list[Item]:
    return list(measurement.version.items.order_by("position", "pk"))


def latest_link(measurement: Measurement) -> MeasurementLink | None:
    return measurement.links.order_by("-created_at", "-pk").first()


def _duration(field: str, unit: datetime.timedelta) -> ExpressionWrapper:
    """A number of days or weeks stored in ``field`` as a duration the database adds to a date."""
    count = ExpressionWrapper(F(field), output_field=IntegerField())
    return ExpressionWrapper(count * Value(unit), output_field=DurationField())


def measurement_due(today: datetime.date) -> Exists:
    """An open trajectory of the client (the outer row) whose start measurement is missing past its due date, or
    whose latest completed measurement is more than the interval old; computed in the database.

    Only where the client's organisation measures (its policy names a questionnaire): the signal asks for an action
    that is otherwise impossible. The policy's values are joined in, so each organisation's rhythm holds.
    """
    policy = "client__organisation__measurement_policy__"
    day, week = datetime.timedelta(days=1), datetime.timedelta(weeks=1)
    start_due = ExpressionWrapper(
        F("started_on") + _duration(f"{policy}start_within_days", day), output_field=DateField()
    )
    completed = Measurement.objects.filter(trajectory=OuterRef("pk"), status=MeasurementStatus.COMPLETED)
    latest = Subquery(completed.order_by("-taken_on").values("taken_on")[:1], output_field=DateField())
    next_due = ExpressionWrapper(
        F("latest_taken_on") + _duration(f"{policy}interval_weeks", week), output_field=DateField()
    )
    trajectories = (
        Trajectory.objects.filter(client=OuterRef("pk"), ended_on__isnull=True)
        .filter(**{f"{policy}questionnaire__isnull": False})
        .annotate(
            start_due=start_due,
            start_done=Exists(completed.filter(moment=Moment.START)),
            latest_taken_on=latest,
        )
        .annotate(next_due=next_due)
        .filter(Q(start_done=False, start_due__lt=today) | Q(next_due__lt=today))
    )
    return Exists(trajectories)
