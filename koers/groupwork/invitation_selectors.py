"""Reads for invitations: who is reached how, and what each invitation or reminder says.

The text of a message is built from an ``InvitationMessage`` only: it holds what a participant needs to know about
the group and nothing else from the dossier (no BSN, no needs, no diagnosis), so a template cannot show more.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from koers.groupwork.models import GroupRun, Invitation, InvitationChannel, InvitationKind, Participation, Session
from koers.groupwork.selectors import participants_of


@dataclass(frozen=True)
class Meeting:
    """One session as a participant reads it: when and where."""

    date: datetime.date
    starts_at: datetime.time
    ends_at: datetime.time
    room_name: str
    location: str


@dataclass(frozen=True)
class InvitationMessage:
    """Everything an invitation or reminder says, for one participant."""

    participation_id: int
    client_id: int
    name: str
    email: str
    street: str
    postal_code: str
    city: str
    organisation_name: str
    consultant_name: str
    consultant_email: str
    programme_name: str
    description: str
    learning_goals: str
    what_to_bring: str
    is_mandatory: bool
    mandatory_reason: str
    trainer_names: list[str]
    meetings: list[Meeting]
    written_on: datetime.date
    is_reminder: bool = False

    @property
    def first(self) -> Meeting | None:
        return self.meetings[0] if self.meetings else None

    @property
    def later(self) -> list[Meeting]:
        return self.meetings[1:]

    @property
    def has_place(self) -> bool:
        return self.first is not None and bool(self.first.room_name or self.first.location)

    @property
    def can_be_sent(self) -> bool:
        """A message without a date or a place would only confuse: it waits until the planning is done."""
        return self.has_place

    @property
    def channel(self) -> str:
        return InvitationChannel.EMAIL if self.email else InvitationChannel.LETTER


def channel_for(participation: Participation) -> str:
    """E-mail when the client has an address, otherwise a letter by post."""
    return InvitationChannel.EMAIL if participation.client.email else InvitationChannel.LETTER


def run_meetings(run: GroupRun) -> list[Session]:
    """The run's sessions that go ahead, in order, with their rooms (one query)."""
    return list(run.sessions.filter(is_cancelled=False).select_related("room").order_by("date", "starts_at", "number"))


def meetings_from(sessions: Iterable[Session], run: GroupRun, joined_on: datetime.date) -> list[Meeting]:
    """The sessions from the day the participant joins (a continuous group takes newcomers at any session)."""
    meetings = []
    for session in sessions:
        if session.date < joined_on:
            continue
        room = session.room or run.room
        meetings.append(
            Meeting(
                date=session.date,
                starts_at=session.starts_at,
                ends_at=session.ends_at,
                room_name=room.name if room else "",
                location=room.location if room else "",
            )
        )
    return meetings


def _person_name(user: Any) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""


def message_for(
    participation: Participation,
    run: GroupRun,
    sessions: list[Session],
    trainer_names: list[str],
    *,
    is_reminder: bool = False,
    today: datetime.date | None = None,
) -> InvitationMessage:
    """Needs ``participation.client`` with its consultant and organisation, and ``run.programme``."""
    client = participation.client
    programme = run.programme
    consultant = client.consultant
    return InvitationMessage(
        participation_id=participation.pk,
        client_id=client.pk,
        name=client.full_name,
        email=client.email,
        street=client.street,
        postal_code=client.postal_code,
        city=client.city,
        organisation_name=client.organisation.name,
        consultant_name=_person_name(consultant),
        consultant_email=consultant.email if consultant is not None else "",
        programme_name=programme.name,
        description=programme.description,
        learning_goals=programme.learning_goals,
        what_to_bring=programme.what_to_bring,
        is_mandatory=programme.is_mandatory,
        mandatory_reason=programme.mandatory_reason,
        trainer_names=trainer_names,
        meetings=meetings_from(sessions, run, participation.joined_on),
        written_on=today or timezone.localdate(),
        is_reminder=is_reminder,
    )


def trainer_names(run: GroupRun) -> list[str]:
    return [_person_name(trainer) for trainer in run.trainers.order_by("last_name", "first_name")]


def _with_invitations(participations: QuerySet[Participation]) -> QuerySet[Participation]:
    return participations.select_related("client__consultant", "client__organisation").prefetch_related(
        Prefetch("invitations", queryset=Invitation.objects.order_by("sent_at", "id"), to_attr="sent")
    )


def current_participants(run: GroupRun, user: Any) -> QuerySet[Participation]:
    """Participants of the run the user may see who have not left, each with the invitations sent (``sent``)."""
    return _with_invitations(participants_of(run, user).filter(left_on__isnull=True))


@dataclass(frozen=True)
class InvitationRow:
    """One line of the invitations page."""

    participation: Participation
    channel: str
    first_meeting: datetime.date | None
    invitation: Invitation | None
    reminder: Invitation | None

    @property
    def channel_label(self) -> str:
        return str(InvitationChannel(self.channel).label)

    @property
    def address_complete(self) -> bool:
        client = self.participation.client
        return bool(client.street and client.postal_code and client.city)

    @property
    def gets_letter(self) -> bool:
        return self.channel == InvitationChannel.LETTER


def _first(invitations: list[Invitation], kind: str) -> Invitation | None:
    return next((invitation for invitation in invitations if invitation.kind == kind), None)


def invitation_rows(run: GroupRun, user: Any, sessions: list[Session]) -> list[InvitationRow]:
    """Per participant the channel (as sent, or as it would be sent now), the first meeting and what went out."""
    rows = []
    for participation in current_participants(run, user):
        invitation = _first(participation.sent, InvitationKind.INVITATION)  # type: ignore[attr-defined]
        reminder = _first(participation.sent, InvitationKind.REMINDER)  # type: ignore[attr-defined]
        first = next((s.date for s in sessions if s.date >= participation.joined_on), None)
        rows.append(
            InvitationRow(
                participation=participation,
                channel=invitation.channel if invitation else channel_for(participation),
                first_meeting=first,
                invitation=invitation,
                reminder=reminder,
            )
        )
    return rows
