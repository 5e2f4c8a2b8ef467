"""Access that follows from group work.

A trainer sees the participants of their own runs (name, contact, what the group needs), a planner the
logistics of the organisation's runs and waiting lists, a consultant the group work of their own clients.
The trainer's and planner's relation ends: a cancelled run opens nothing, and a run that started more than
``RELATION_WINDOW`` ago no longer opens its participants (long enough for sessions, the hand-off and the
evaluation; SECURITY.md item 27).
"""

import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from koers.access.categories import ALL_CATEGORIES, DataCategory
from koers.access.scoping import grants
from koers.accounts.roles import Role
from koers.clients.access import active_grants
from koers.clients.models import Client
from koers.groupwork.models import (
    Attendance,
    GroupRun,
    HandOff,
    Participation,
    Referral,
    ReferralStatus,
    RunStatus,
    Session,
)

RELATION_WINDOW = datetime.timedelta(days=120)
LOGISTICS = frozenset({DataCategory.IDENTITY, DataCategory.CONTACT})
TRAINER_VIEW = frozenset({DataCategory.IDENTITY, DataCategory.CONTACT, DataCategory.GROUP_NEEDS})
AWAITING_PLACEMENT = (ReferralStatus.SCREENING, ReferralStatus.WAITING, ReferralStatus.PLACED)


def current_runs() -> QuerySet[GroupRun]:
    since = timezone.localdate() - RELATION_WINDOW
    return GroupRun.objects.exclude(status=RunStatus.CANCELLED).filter(start_date__gte=since)


def own_current_runs(user: Any) -> QuerySet[GroupRun]:
    return current_runs().filter(trainers=user)


def _own_clients(user: Any) -> Q:
    """The consultant's own caseload and clients opened to them with a logged reason."""
    return Q(client__consultant=user) | Q(client_id__in=active_grants(user).values("client_id"))


@grants(Client, Role.TRAINER, TRAINER_VIEW, "participants of own group runs: name, contact and group needs")
def participants_of_own_runs(user: Any) -> Q:
    own = Participation.objects.filter(group_run__in=own_current_runs(user)).values("client_id")
    return Q(pk__in=own)


@grants(Client, Role.PLANNER, LOGISTICS, "participants of the organisation's group runs: logistics only")
def participants_for_logistics(user: Any) -> Q:
    runs = current_runs().filter(programme__organisation=user.organisation_id)
    enrolled = Participation.objects.filter(group_run__in=runs)
    return Q(pk__in=enrolled.values("client_id"))


@grants(Client, Role.PLANNER, LOGISTICS, "clients on the organisation's waiting lists: logistics only")
def clients_awaiting_placement(user: Any) -> Q:
    waiting = Referral.objects.filter(programme__organisation=user.organisation_id, status__in=AWAITING_PLACEMENT)
    return Q(pk__in=waiting.values("client_id"))


@grants(GroupRun, Role.TRAINER, frozenset({DataCategory.IDENTITY}), "own group runs")
def own_runs(user: Any) -> Q:
    return Q(pk__in=GroupRun.objects.filter(trainers=user).values("pk"))


@grants(GroupRun, Role.PLANNER, frozenset({DataCategory.IDENTITY}), "all runs of the organisation")
def organisation_runs(user: Any) -> Q:
    return Q(programme__organisation=user.organisation_id)


@grants(Session, Role.TRAINER, frozenset({DataCategory.IDENTITY}), "sessions of own group runs")
def own_sessions(user: Any) -> Q:
    return Q(group_run__in=GroupRun.objects.filter(trainers=user).values("pk"))


@grants(Session, Role.PLANNER, frozenset({DataCategory.IDENTITY}), "sessions of the organisation's runs")
def organisation_sessions(user: Any) -> Q:
    return Q(group_run__programme__organisation=user.organisation_id)


@grants(Referral, Role.CONSULTANT, ALL_CATEGORIES, "referrals of own clients, with the argued added value")
def referrals_of_own_clients(user: Any) -> Q:
    return _own_clients(user)


@grants(
    Referral,
    Role.PLANNER,
    frozenset({DataCategory.IDENTITY, DataCategory.CONTACT, DataCategory.GROUP_NEEDS}),
    "referrals to the organisation's programmes awaiting placement or in a current run: variant, support and "
    "deadline, not the dossier",
)
def referrals_to_organisation(user: Any) -> Q:
    in_current_run = Participation.objects.filter(
        group_run__in=current_runs().filter(programme__organisation=user.organisation_id)
    ).values("referral_id")
    return Q(programme__organisation=user.organisation_id) & (
        Q(status__in=AWAITING_PLACEMENT) | Q(pk__in=in_current_run)
    )


@grants(Referral, Role.TRAINER, TRAINER_VIEW, "referrals of participants of own runs: what the group needs")
def referrals_in_own_runs(user: Any) -> Q:
    """Through the participation, so a referral withdrawn or declined from the run closes to its trainer."""
    return Q(pk__in=Participation.objects.filter(group_run__in=own_current_runs(user)).values("referral_id"))


@grants(Attendance, Role.TRAINER, TRAINER_VIEW, "attendance in own runs")
def attendance_in_own_runs(user: Any) -> Q:
    return Q(session__group_run__in=own_current_runs(user))


@grants(Attendance, Role.PLANNER, LOGISTICS, "attendance in the organisation's runs")
def attendance_in_organisation(user: Any) -> Q:
    return Q(session__group_run__programme__organisation=user.organisation_id)


@grants(Attendance, Role.CONSULTANT, ALL_CATEGORIES, "attendance of own clients")
def attendance_of_own_clients(user: Any) -> Q:
    return Q(participation__client__consultant=user) | Q(
        participation__client_id__in=active_grants(user).values("client_id")
    )


@grants(HandOff, Role.TRAINER, TRAINER_VIEW | {DataCategory.DOSSIER}, "hand-off signals for own runs")
def hand_offs_of_own_runs(user: Any) -> Q:
    return Q(participation__group_run__in=own_current_runs(user))


@grants(HandOff, Role.CONSULTANT, ALL_CATEGORIES, "hand-off signals about own clients")
def hand_offs_about_own_clients(user: Any) -> Q:
    return Q(participation__client__consultant=user) | Q(
        participation__client_id__in=active_grants(user).values("client_id")
    )
