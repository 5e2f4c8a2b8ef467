"""A programme with a waiting list and runs, for the placement proposal tests."""

import datetime
from typing import Any

from django.utils import timezone

from koers.accounts.models import Municipality, User
from koers.groupwork.models import GroupRun, Programme, Referral
from tests.factories import ClientFactory, GroupRunFactory, ProgrammeFactory, UserFactory
from tests.groupwork_factories import ReferralFactory


def programme_with_planner(organisation: Any, **fields: Any) -> tuple[Programme, User]:
    values = {"min_size": 1, "max_size": 3, **fields}
    programme = ProgrammeFactory(organisation=organisation, **values)
    planner = UserFactory(organisation=organisation, roles=["planner"])
    return programme, planner


def waiting(
    programme: Programme,
    municipality: Municipality,
    consultant: User,
    *,
    days_ago: int = 10,
    availability: list[str] | None = None,
    **fields: Any,
) -> Referral:
    client = ClientFactory(
        organisation=programme.organisation,
        municipality=municipality,
        consultant=consultant,
        availability=availability or [],
    )
    referred_on = timezone.localdate() - datetime.timedelta(days=days_ago)
    return ReferralFactory(client=client, programme=programme, referred_on=referred_on, **fields)


def run(programme: Programme, *, in_days: int = 14, **fields: Any) -> GroupRun:
    """A run starting on a Monday morning ``in_days`` from today (rounded up to a Monday)."""
    start = timezone.localdate() + datetime.timedelta(days=in_days)
    start += datetime.timedelta(days=(7 - start.weekday()) % 7)
    fields.setdefault("start_time", datetime.time(9, 30))
    return GroupRunFactory(programme=programme, start_date=start, **fields)
