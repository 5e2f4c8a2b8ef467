"""A running group with sessions and placed participants, for the attendance, session log and trainer tests."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from koers.accounts.models import Organisation, User
from koers.groupwork.models import GroupRun, Participation, Session
from tests import factories
from tests import groupwork_factories as gw


@dataclass
class RunningGroup:
    run: GroupRun
    sessions: list[Session]
    participations: list[Participation]

    def add_participants(self, count: int, **kwargs: Any) -> list[Participation]:
        added = [add_participant(self.run, **kwargs) for _ in range(count)]
        self.participations += added
        return added


def add_participant(
    run: GroupRun, *, joined_on: datetime.date | None = None, status: str = "placed", **referral: object
) -> Participation:
    organisation = run.programme.organisation
    consultant = factories.UserFactory(organisation=organisation, roles=["consultant"])
    client = factories.ClientFactory(
        organisation=organisation, municipality__organisation=organisation, consultant=consultant
    )
    placed = gw.ReferralFactory(client=client, programme=run.programme, status=status, group_run=run, **referral)
    return factories.ParticipationFactory(
        group_run=run, client=client, referral=placed, joined_on=joined_on or run.start_date
    )


def running_group(
    organisation: Organisation,
    trainer: User | None,
    *,
    participants: int = 3,
    sessions: int = 3,
    **programme: object,
) -> RunningGroup:
    """A run that started ``7 * (sessions - 1)`` days ago with a weekly session, the last one today."""
    start = timezone.localdate() - datetime.timedelta(weeks=sessions - 1)
    run: GroupRun = factories.GroupRunFactory(
        programme__organisation=organisation,
        start_date=start,
        status="running",
        trainers=[trainer] if trainer else [],
        **{f"programme__{key}": value for key, value in programme.items()},
    )
    made: list[Session] = [gw.SessionFactory(group_run=run) for _ in range(sessions)]
    group = RunningGroup(run, made, [])
    group.add_participants(participants)
    return group
