"""From the database to the pure placement problem: one programme's waiting list and the runs it can still join.

Each waiting referral becomes a client ``R<pk>``, each planned or running run that takes newcomers a group ``G<pk>``.
The mapping reuses the rules the planner's own placement applies (``groupwork.fit``, ``groupwork.screening`` and the
figures of ``referral_selectors``), so a proposal never asks for what ``place_referral`` would refuse:

- the group's slot, start and capacity are those of the session a newcomer joins (``fit.joining_session``), its
  ``occupied`` places are the current participants;
- a client's availability is the client's day parts; a client without recorded availability is available for every
  slot of the candidate runs (the product treats empty availability as "no restriction");
- a need is the referral's needed variant when it is not standard and no support note covers it; each variant is met
  by itself (``need_rules = {variant: (variant,)}``), matching ``FitWarning.VARIANT``;
- a contra-indication recorded since the referral (current screening) becomes the one opaque code
  ``CONTRA_INDICATION``, which the training excludes: the instance carries no health data;
- when any run is bound to a municipality, a client prefers runs of their own municipality and of no municipality
  (``OPEN_TO_ALL``), matching ``FitWarning.MUNICIPALITY``; otherwise there is no location preference;
- the wait counts from ``referred_on``, as the waiting-list page does (``referral_selectors.waiting_days``);
- a trainer's hours are ``hours_per_week`` over the horizon minus the hours of their other sessions in it (other
  programmes, runs outside the instance); a run's trainer hours are its remaining sessions under the programme's time
  model. A trainer without recorded hours is not limited. No balance attributes are used.

The number of queries does not depend on the number of referrals or runs.
"""

import datetime
import math
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count

from koers.clients.models import ScreeningFlag
from koers.groupwork.fit import STANDARD, joining_session, slot
from koers.groupwork.models import GroupRun, Programme, Referral, ReferralStatus, RunStatus, Session, TrainerProfile
from koers.groupwork.referral_selectors import placement_runs, run_facts
from koers.groupwork.scheduling import Availability, Booking, weekly_hours
from koers.groupwork.screening import screen
from koers.groupwork.timemodel import session_hours
from koers.placement.model import Client, Group, Instance, Policy, Trainer, Training

CONTRA_INDICATION = "contra_indication"
OPEN_TO_ALL = "*"  # the location of a run open to clients of every municipality
MIN_HORIZON = datetime.timedelta(weeks=4)


@dataclass(frozen=True)
class InstanceIds:
    """The database rows behind the instance's ids, to turn a solution back into referrals and runs."""

    referrals: dict[str, Referral]
    runs: dict[str, GroupRun]

    def referral_id(self, client_id: str) -> int:
        return self.referrals[client_id].pk

    def run_id(self, group_id: str) -> int:
        return self.runs[group_id].pk


def client_id(referral_pk: int) -> str:
    return f"R{referral_pk}"


def group_id(run_pk: int) -> str:
    return f"G{run_pk}"


def training_id(programme: Programme) -> str:
    return f"P{programme.pk}"


@dataclass(frozen=True)
class _Candidate:
    run: GroupRun
    joins_on: datetime.date
    slot: str
    capacity: int
    occupied: int


def _candidates(programme: Programme, today: datetime.date) -> list[_Candidate]:
    """Runs a newcomer can join, with the session they would join; runs that refuse newcomers are left out."""
    candidates = []
    for run in placement_runs(programme, today):
        facts = run_facts(run, today)
        joins_on, starts_at = joining_session(facts, today)
        if joins_on is None or (not facts.is_continuous and facts.first_session < today):
            continue
        candidates.append(_Candidate(run, joins_on, slot(joins_on, starts_at), facts.capacity, facts.participants))
    return candidates


def _waiting_referrals(programme: Programme) -> list[Referral]:
    return list(
        Referral.objects.filter(programme=programme, status=ReferralStatus.WAITING)
        .select_related("client", "client__municipality")
        .order_by("referred_on", "id")
    )


def _blocked_clients(programme: Programme, referrals: list[Referral]) -> set[int]:
    """Referrals that the client's current screening flags exclude from the programme."""
    kinds: dict[int, list[str]] = defaultdict(list)
    flags = ScreeningFlag.objects.filter(client_id__in={r.client_id for r in referrals})
    for client_pk, kind in flags.values_list("client_id", "kind"):
        kinds[client_pk].append(kind)
    offered = programme.offered_variants()
    excluded = programme.contra_indications or ()
    return {
        referral.pk
        for referral in referrals
        if screen(kinds[referral.client_id], excluded, offered, referral.needed_variant, referral.support_note).blocking
    }


def _needs(referral: Referral) -> tuple[str, ...]:
    if referral.needed_variant != STANDARD and not referral.support_note.strip():
        return (referral.needed_variant,)
    return ()


def _trainers(
    candidates: list[_Candidate], training: str, today: datetime.date, horizon_end: datetime.date
) -> tuple[tuple[Trainer, ...], dict[int, tuple[str, ...]], dict[int, float]]:
    """The trainers of the candidate runs with the hours they have left, each run's trainers and trainer hours."""
    run_pks = [c.run.pk for c in candidates]
    links = GroupRun.trainers.through.objects.filter(grouprun_id__in=run_pks).values_list("grouprun_id", "user_id")
    run_trainers: dict[int, set[int]] = defaultdict(set)
    for run_pk, user_pk in links:
        run_trainers[run_pk].add(user_pk)
    trainer_pks = set().union(*run_trainers.values()) if run_trainers else set()
    remaining = dict(
        Session.objects.filter(group_run_id__in=run_pks, is_cancelled=False, date__gte=today)
        .order_by()
        .values("group_run")
        .annotate(n=Count("pk"))
        .values_list("group_run", "n")
    )
    run_hours = {}
    for candidate in candidates:
        programme = candidate.run.programme
        hours = session_hours(programme.time_model(), programme.session_minutes)
        sessions = remaining.get(candidate.run.pk, programme.session_count)
        run_hours[candidate.run.pk] = float(hours * sessions)
    profiles = {
        p.user_id: Availability(p.hours_per_week, p.switching_minutes)
        for p in TrainerProfile.objects.filter(user_id__in=trainer_pks)
    }
    elsewhere = (
        Session.objects.filter(
            date__range=(today, horizon_end), is_cancelled=False, group_run__trainers__in=trainer_pks
        )
        .exclude(group_run__status=RunStatus.CANCELLED)
        .exclude(group_run_id__in=run_pks)
        .select_related("group_run__programme")
        .prefetch_related("group_run__trainers")
        .distinct()
    )
    bookings = [
        Booking(
            date=s.date,
            starts_at=s.starts_at,
            ends_at=s.ends_at,
            room_id=s.room_id,
            trainer_ids=frozenset(t.pk for t in s.group_run.trainers.all()) & trainer_pks,
            time_model=s.group_run.programme.time_model(),
        )
        for s in elsewhere
    ]
    planned = weekly_hours(bookings, profiles)
    weeks = Decimal(math.ceil(((horizon_end - today).days + 1) / 7))
    trainers = []
    for user_pk in sorted(trainer_pks):
        known = profiles.get(user_pk)
        own_runs = [pk for pk, users in run_trainers.items() if user_pk in users]
        if known is None:  # no hours recorded: never the limit
            available = sum(run_hours[pk] for pk in own_runs)
        else:
            booked = sum(planned.get(user_pk, {}).values(), Decimal(0))
            available = float(max(known.hours_per_week * weeks - booked, Decimal(0)))
        trainers.append(Trainer(id=f"T{user_pk}", trainings=(training,), hours_available=round(available, 2)))
    by_run = {pk: tuple(f"T{u}" for u in sorted(users)) for pk, users in run_trainers.items()}
    return tuple(trainers), by_run, run_hours


def build_instance(
    programme: Programme, today: datetime.date, pinned: dict[str, int] | None = None
) -> tuple[Instance, InstanceIds]:
    """The placement problem of ``programme``'s waiting list on ``today``; ``pinned`` maps referral pk (as a string,
    as stored on a proposal) to run pk. A pin whose referral no longer waits or whose run is no candidate is dropped."""
    candidates = _candidates(programme, today)
    referrals = _waiting_referrals(programme)
    blocked = _blocked_clients(programme, referrals)
    last_session = max((c.joins_on for c in candidates), default=today)
    horizon_end = max(last_session + datetime.timedelta(weeks=programme.session_count), today + MIN_HORIZON)
    training = Training(
        id=training_id(programme),
        name=programme.name,
        sessions=programme.session_count,
        session_hours=programme.session_minutes / 60,
        excluded_contraindications=(CONTRA_INDICATION,),
    )
    trainers, run_trainers, run_hours = _trainers(candidates, training.id, today, horizon_end)
    municipality_bound = any(c.run.municipality_id is not None for c in candidates)
    groups = tuple(
        Group(
            id=group_id(c.run.pk),
            training=training.id,
            start_date=c.joins_on,
            slot=c.slot,
            location=c.run.municipality.name if c.run.municipality is not None else OPEN_TO_ALL,
            capacity=c.capacity,
            min_size=programme.min_size,
            features=(c.run.variant,),
            trainers=run_trainers.get(c.run.pk, ()),
            trainer_hours=run_hours[c.run.pk],
            occupied=c.occupied,
        )
        for c in candidates
    )
    all_slots = tuple(sorted({g.slot for g in groups}))
    clients = tuple(
        Client(
            id=client_id(r.pk),
            training=training.id,
            referral_date=r.referred_on,
            deadline=r.deadline,
            needs=_needs(r),
            availability=tuple(r.client.availability or ()) or all_slots,
            contraindications=(CONTRA_INDICATION,) if r.pk in blocked else (),
            preferred_locations=(r.client.municipality.name, OPEN_TO_ALL) if municipality_bound else (),
        )
        for r in referrals
    )
    variants = [v for v in programme.offered_variants() if v != STANDARD]
    ids = InstanceIds(
        referrals={client_id(r.pk): r for r in referrals}, runs={group_id(c.run.pk): c.run for c in candidates}
    )
    pins = {
        client_id(int(referral_pk)): group_id(run_pk)
        for referral_pk, run_pk in (pinned or {}).items()
        if client_id(int(referral_pk)) in ids.referrals and group_id(run_pk) in ids.runs
    }
    instance = Instance(
        name=f"programme-{programme.pk}-{today.isoformat()}",
        planning_date=today,
        horizon_end=horizon_end,
        policy=Policy(lead_days=0, need_rules={v: (v,) for v in variants}),
        trainings=(training,),
        trainers=trainers,
        groups=groups,
        clients=clients,
        locations=tuple(sorted({g.location for g in groups})),
        pinned=pins,
    )
    return instance, ids
