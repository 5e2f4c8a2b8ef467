"""Planning group runs: a run with its sessions from the programme's format, changes to it, moving or cancelling a
session, completing or cancelling the run, and more sessions for a continuous run.

Every save checks the schedule (``scheduling.find_conflicts``) against the other sessions that count (not cancelled,
of runs that are not cancelled) and refuses a room or trainer double booking, trainer over-capacity and a room too
small for the group with ``PlanningRefusedError``, whose reasons name the date and the other run. A room that needs a
security escort, and a trainer who would reach 85% or more of their weekly hours (``capacity.near_capacity``), are
warnings only. Referral status changes go through ``referral_states.transition``.
"""

import datetime
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from koers.accounts.models import Municipality, User
from koers.accounts.roles import Role
from koers.audit.models import Action
from koers.audit.services import record_event
from koers.groupwork.capacity import Impact, near_capacity
from koers.groupwork.models import (
    GroupRun,
    Participation,
    Programme,
    ReferralStatus,
    Room,
    RunStatus,
    Session,
    TrainerProfile,
    Variant,
)
from koers.groupwork.referral_states import transition
from koers.groupwork.scheduling import (
    Availability,
    Booking,
    Conflict,
    ConflictKind,
    end_time,
    find_conflicts,
    holidays_from,
    interval_weeks,
    monday_of,
    plan_sessions,
    session_dates,
)
from koers.trajectories.services import StaleEditError

__all__ = [
    "MAX_EXTRA_SESSIONS",
    "Planned",
    "PlanningRefusedError",
    "RunClosed",
    "StaleEditError",
    "assign_room",
    "assign_trainers",
    "cancel_run",
    "cancel_session",
    "complete_run",
    "create_run",
    "extend_continuous_run",
    "group_max_size",
    "reschedule_session",
    "update_run",
]

T = TypeVar("T")
OPEN_RUN = (RunStatus.PLANNED, RunStatus.RUNNING)
MAX_EXTRA_SESSIONS = 26


class PlanningRefusedError(Exception):
    """The change is not saved; ``reasons`` say why, in words for the planner."""

    def __init__(self, *reasons: str) -> None:
        super().__init__(" ".join(reasons))
        self.reasons = list(reasons)


@dataclass(frozen=True)
class Planned(Generic[T]):
    """What was saved, with the warnings the planner should see (saved anyway)."""

    saved: T
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class RunClosed:
    """A completed or cancelled run and what happened to its referrals."""

    run: GroupRun
    completed: int = 0
    dropped_out: int = 0
    back_to_waiting: int = 0


def _day(value: datetime.date) -> str:
    return value.strftime("%d-%m-%Y")


def _clock(value: datetime.time) -> str:
    return value.strftime("%H:%M")


def _hours(value: Any) -> str:
    return formats.number_format(value, decimal_pos=1)


def group_max_size(programme: Programme, variant: str) -> int:
    """The most participants a run of this variant can have: the small-group maximum for that variant."""
    if variant == Variant.SMALL_GROUP and programme.small_group_max_size:
        return programme.small_group_max_size
    return programme.max_size


def _check_planner(by: Any, programme: Programme) -> None:
    if not by.has_role(Role.PLANNER) or by.organisation_id != programme.organisation_id:
        raise PermissionDenied


def _ensure_open(run: GroupRun) -> None:
    if run.status == RunStatus.COMPLETED:
        raise PlanningRefusedError(_("This group run has been completed; it can no longer be changed."))
    if run.status == RunStatus.CANCELLED:
        raise PlanningRefusedError(_("This group run has been cancelled; it can no longer be changed."))


# --- Checks -----------------------------------------------------------------------------------------------------


def _choice_problems(
    programme: Programme,
    variant: str,
    municipality: Municipality | None,
    room: Room | None,
    new_trainers: Sequence[Any],
) -> list[str]:
    """Choices that do not belong to this programme or organisation (the forms offer only valid ones)."""
    problems = []
    if variant not in programme.offered_variants():
        problems.append(
            _("%(programme)s is not offered in the variant “%(variant)s”.")
            % {"programme": programme.name, "variant": Variant(variant).label}
        )
    if municipality is not None and municipality.organisation_id != programme.organisation_id:
        problems.append(_("The municipality %(name)s is not served by this organisation.") % {"name": municipality})
    problems += _room_problems(room, programme)
    if new_trainers:
        trainers = User.objects.filter(
            pk__in=[trainer.pk for trainer in new_trainers],
            organisation_id=programme.organisation_id,
            is_active=True,
            role_assignments__role=Role.TRAINER,
        )
        valid = set(trainers.values_list("pk", flat=True))
        problems += [
            _("%(name)s is not a trainer of this organisation.") % {"name": trainer.get_full_name() or trainer}
            for trainer in new_trainers
            if trainer.pk not in valid
        ]
    return problems


def _room_problems(room: Room | None, programme: Programme) -> list[str]:
    if room is not None and (room.organisation_id != programme.organisation_id or not room.is_active):
        return [_("Room %(room)s is not in use by this organisation.") % {"room": room.name}]
    return []


def _room_too_small(room: Room | None, programme: Programme, variant: str) -> list[str]:
    size = group_max_size(programme, variant)
    if room is None or room.capacity >= size:
        return []
    return [
        _(
            "Room %(room)s holds %(capacity)d people, but this group can have up to %(size)d participants. "
            "Choose a larger room."
        )
        % {"room": room.name, "capacity": room.capacity, "size": size}
    ]


def _room_warnings(room: Room | None) -> list[str]:
    if room is None or room.accessible_without_escort:
        return []
    return [
        _("Room %(room)s cannot be reached without a security escort: arrange for participants to be met at reception.")
        % {"room": room.name}
    ]


def _lock(room_ids: Collection[int], trainer_ids: Collection[int]) -> None:
    """Serialises bookings of the same room or trainer (PostgreSQL row locks), so two planners cannot both book."""
    if room_ids:
        list(Room.objects.select_for_update().filter(pk__in=room_ids).order_by("pk").values_list("pk", flat=True))
    if trainer_ids:
        list(User.objects.select_for_update().filter(pk__in=trainer_ids).order_by("pk").values_list("pk", flat=True))


def _booking(
    session: Session | None,
    *,
    date: datetime.date,
    starts_at: datetime.time,
    ends_at: datetime.time,
    room_id: int | None,
    trainer_ids: Collection[int],
    run: GroupRun | None,
    programme: Programme,
    run_start: datetime.date,
) -> Booking:
    return Booking(
        date=date,
        starts_at=starts_at,
        ends_at=ends_at,
        room_id=room_id,
        trainer_ids=frozenset(trainer_ids),
        time_model=programme.time_model(),
        session_id=session.pk if session is not None else None,
        run_id=run.pk if run is not None else None,
        programme=programme.name,
        run_start=run_start,
    )


def _stored_bookings(
    proposed: Sequence[Booking], room_ids: Collection[int], trainer_ids: Collection[int]
) -> list[Booking]:
    """Sessions that count in the weeks of the proposal: in the rooms or with the trainers concerned."""
    first = monday_of(min(booking.date for booking in proposed))
    last = monday_of(max(booking.date for booking in proposed)) + datetime.timedelta(days=6)
    sessions = list(
        Session.objects.filter(date__range=(first, last), is_cancelled=False)
        .exclude(group_run__status=RunStatus.CANCELLED)
        .filter(Q(room_id__in=room_ids) | Q(group_run__trainers__in=trainer_ids))
        .select_related("group_run__programme")
        .distinct()
    )
    run_trainers: dict[int, set[int]] = {}
    links = GroupRun.trainers.through.objects.filter(grouprun_id__in={s.group_run_id for s in sessions})
    for run_id, user_id in links.values_list("grouprun_id", "user_id"):
        run_trainers.setdefault(run_id, set()).add(user_id)
    return [
        _booking(
            session,
            date=session.date,
            starts_at=session.starts_at,
            ends_at=session.ends_at,
            room_id=session.room_id,
            trainer_ids=run_trainers.get(session.group_run_id, set()),
            run=session.group_run,
            programme=session.group_run.programme,
            run_start=session.group_run.start_date,
        )
        for session in sessions
    ]


def _describe(conflict: Conflict, rooms: dict[int, Room], names: dict[int, str]) -> str:
    other = conflict.other
    if conflict.kind == ConflictKind.CAPACITY:
        assert conflict.week is not None
        assert conflict.trainer_id is not None
        return _(
            "Trainer %(trainer)s would work %(hours)s hours in week %(week)d of %(year)d; available %(available)s."
        ) % {
            "trainer": names.get(conflict.trainer_id, ""),
            "hours": _hours(conflict.hours),
            "week": conflict.week[1],
            "year": conflict.week[0],
            "available": _hours(conflict.available),
        }
    assert other is not None
    details = {
        "date": _day(other.date),
        "start": _clock(other.starts_at),
        "end": _clock(other.ends_at),
        "programme": other.programme,
        "run_start": _day(other.run_start) if other.run_start else "",
    }
    if conflict.kind == ConflictKind.ROOM:
        room = rooms.get(conflict.room_id or 0)
        return _(
            "Room %(room)s is already booked on %(date)s %(start)s–%(end)s for %(programme)s (start %(run_start)s)."
        ) % {"room": room.name if room else "", **details}
    return _(
        "Trainer %(trainer)s already trains %(programme)s (start %(run_start)s) on %(date)s %(start)s–%(end)s."
    ) % {"trainer": names.get(conflict.trainer_id or 0, ""), **details}


def _reasons(conflicts: list[Conflict], rooms: dict[int, Room], names: dict[int, str]) -> list[str]:
    """One reason per room or trainer and other run, naming the first clash and counting the rest; one per week
    for capacity."""
    groups: dict[tuple[Any, ...], list[Conflict]] = {}
    for conflict in conflicts:
        other_run = conflict.other.run_id if conflict.other else None
        key = (conflict.kind, conflict.room_id, conflict.trainer_id, other_run, conflict.week)
        groups.setdefault(key, []).append(conflict)
    reasons = []
    for clashes in groups.values():
        reason = _describe(clashes[0], rooms, names)
        more = len(clashes) - 1
        if more:
            reason += " " + ngettext(
                "The same goes for %(count)d more session of that run.",
                "The same goes for %(count)d more sessions of that run.",
                more,
            ) % {"count": more}
        reasons.append(reason)
    return reasons


def _check_schedule(proposed: Sequence[Booking], *, room_ids: set[int], trainer_ids: set[int]) -> list[str]:
    """Refuses the proposal if it double-books one of ``room_ids`` or ``trainer_ids`` or takes one of those trainers
    over their weekly hours; returns warnings (a trainer at 85% or more of their weekly hours; trainers without
    recorded hours are not checked for capacity)."""
    if not proposed or not (room_ids or trainer_ids):
        return []
    _lock(room_ids, trainer_ids)
    existing = _stored_bookings(proposed, room_ids, trainer_ids)
    profiles = TrainerProfile.objects.filter(user_id__in=trainer_ids)
    availability = {p.user_id: Availability(p.hours_per_week, p.switching_minutes) for p in profiles}
    conflicts = [
        conflict
        for conflict in find_conflicts(proposed, existing, availability)
        if (conflict.kind == ConflictKind.ROOM and conflict.room_id in room_ids)
        or (conflict.kind != ConflictKind.ROOM and conflict.trainer_id in trainer_ids)
    ]
    unknown = trainer_ids - availability.keys()
    near = [impact for impact in near_capacity(proposed, existing, availability) if impact.trainer_id in trainer_ids]
    names = {}
    if conflicts or unknown or near:
        names = {user.pk: user.get_full_name() or user.username for user in User.objects.filter(pk__in=trainer_ids)}
    if conflicts:
        rooms = Room.objects.in_bulk(room_ids)
        raise PlanningRefusedError(*_reasons(conflicts, rooms, names))
    return _near_warnings(near, names) + [
        _("%(name)s has no hours for groups on record, so their weekly capacity was not checked.") % {"name": names[pk]}
        for pk in sorted(unknown)
        if pk in names
    ]


def _near_warnings(near: Sequence[Impact], names: dict[int, str]) -> list[str]:
    """One warning per trainer who would reach 85% or more of their weekly hours: the weeks and the fullest one."""
    per_trainer: dict[int, list[Impact]] = {}
    for impact in near:
        per_trainer.setdefault(impact.trainer_id, []).append(impact)
    warnings = []
    for trainer_id, impacts in per_trainer.items():
        fullest = max(impacts, key=lambda impact: impact.after.total)
        weeks = ", ".join(str(impact.starts.isocalendar()[1]) for impact in impacts)
        warnings.append(
            ngettext(
                "Trainer %(trainer)s would be close to their hours for groups in week %(weeks)s: up to %(hours)s of "
                "%(available)s hours.",
                "Trainer %(trainer)s would be close to their hours for groups in weeks %(weeks)s: up to %(hours)s of "
                "%(available)s hours.",
                len(impacts),
            )
            % {
                "trainer": names.get(trainer_id, ""),
                "weeks": weeks,
                "hours": _hours(fullest.after.total),
                "available": _hours(fullest.available),
            }
        )
    return warnings


def _skip(start: datetime.date, skip_dates: Iterable[datetime.date], skip_public_holidays: bool) -> set[datetime.date]:
    return set(skip_dates) | (holidays_from(start) if skip_public_holidays else set())


def _plan(
    programme: Programme,
    start_date: datetime.date,
    start_time: datetime.time,
    count: int,
    weeks_between: int,
    skip: set[datetime.date],
) -> list[Any]:
    if not 1 <= weeks_between <= 8:
        raise PlanningRefusedError(_("Sessions are between 1 and 8 weeks apart."))
    try:
        return plan_sessions(
            start_date, start_time, programme.session_minutes, count, weeks_between=weeks_between, skip=skip
        )
    except ValueError as error:
        raise PlanningRefusedError(
            _("A session of %(minutes)d minutes that starts at %(time)s would run past midnight.")
            % {"minutes": programme.session_minutes, "time": _clock(start_time)}
        ) from error


def _sync_start_date(run: GroupRun) -> None:
    """The run starts on its first session that is not cancelled."""
    first = run.sessions.filter(is_cancelled=False).order_by("date").values_list("date", flat=True).first()
    if first is not None and first != run.start_date:
        run.start_date = first
        run.version += 1
        run.save(update_fields=["start_date", "version"])


# --- Runs -------------------------------------------------------------------------------------------------------


def create_run(
    by: Any,
    programme: Programme,
    start_date: datetime.date,
    start_time: datetime.time,
    variant: str,
    municipality: Municipality | None,
    room: Room | None,
    trainers: Iterable[Any],
    weeks_between: int = 1,
    *,
    skip_dates: Iterable[datetime.date] = (),
    skip_public_holidays: bool = True,
) -> Planned[GroupRun]:
    """Plans a run with its sessions: ``programme.session_count`` sessions every ``weeks_between`` weeks on the start
    date's weekday, passing over public holidays and ``skip_dates``, each ``programme.session_minutes`` long."""
    _check_planner(by, programme)
    trainers = list(trainers)
    problems = [] if programme.is_active else [_("%(programme)s is no longer in use.") % {"programme": programme}]
    problems += _choice_problems(programme, variant, municipality, room, trainers)
    problems += _room_too_small(room, programme, variant)
    if problems:
        raise PlanningRefusedError(*problems)
    skip = _skip(start_date, skip_dates, skip_public_holidays)
    slots = _plan(programme, start_date, start_time, programme.session_count, weeks_between, skip)
    trainer_ids = {trainer.pk for trainer in trainers}
    room_id = room.pk if room is not None else None
    proposed = [
        _booking(
            None,
            date=slot.date,
            starts_at=slot.starts_at,
            ends_at=slot.ends_at,
            room_id=room_id,
            trainer_ids=trainer_ids,
            run=None,
            programme=programme,
            run_start=slots[0].date,
        )
        for slot in slots
    ]
    with transaction.atomic():
        warnings = _check_schedule(proposed, room_ids={room_id} if room_id else set(), trainer_ids=trainer_ids)
        run = GroupRun.objects.create(
            programme=programme,
            municipality=municipality,
            variant=variant,
            room=room,
            start_date=slots[0].date,
            start_time=start_time,
            created_by=by,
        )
        Session.objects.bulk_create(
            Session(
                group_run=run,
                number=number,
                date=slot.date,
                starts_at=slot.starts_at,
                ends_at=slot.ends_at,
                room=room,
            )
            for number, slot in enumerate(slots, start=1)
        )
        if trainers:
            run.trainers.set(trainers)
        record_event(by, Action.CREATE, run, reason=f"group run planned with {len(slots)} sessions")
    return Planned(run, tuple(_room_warnings(room) + warnings))


def _has_started(sessions: Sequence[Session], today: datetime.date) -> bool:
    return any(
        not session.is_cancelled and (session.date < today or session.attendance_recorded_at is not None)
        for session in sessions
    )


def update_run(
    by: Any,
    run: GroupRun,
    *,
    version: int | None,
    start_date: datetime.date,
    start_time: datetime.time,
    variant: str,
    municipality: Municipality | None,
    room: Room | None,
    trainers: Iterable[Any],
    weeks_between: int | None = None,
    skip_dates: Iterable[datetime.date] = (),
    skip_public_holidays: bool = True,
) -> Planned[GroupRun]:
    """Changes a run. ``version`` is the one the form was opened with (None: no check).

    A new start date, start time, interval or dates to skip re-plan the sessions, as long as the run has not started.
    A new room goes to the coming sessions that followed the run's room (a session moved to another room keeps it).
    Only what changes is checked: the new room, the added trainers; everything when the dates change.
    """
    programme = run.programme
    _check_planner(by, programme)
    trainers = list(trainers)
    skip_dates = set(skip_dates)
    today = timezone.localdate()
    with transaction.atomic():
        current = GroupRun.objects.select_for_update().get(pk=run.pk)
        if version is not None and current.version != version:
            raise StaleEditError
        _ensure_open(current)
        old_trainers = set(current.trainers.values_list("pk", flat=True))
        new_ids = {trainer.pk for trainer in trainers}
        room_id = room.pk if room is not None else None
        room_changed = room_id != current.room_id
        added = [trainer for trainer in trainers if trainer.pk not in old_trainers]
        problems = _choice_problems(programme, variant, municipality, room if room_changed else None, added)
        if room_changed or variant != current.variant:
            problems += _room_too_small(room, programme, variant)
        if problems:
            raise PlanningRefusedError(*problems)

        sessions = list(Session.objects.select_for_update().filter(group_run=current).order_by("number"))
        active = [session for session in sessions if not session.is_cancelled]
        old_weeks = interval_weeks(session.date for session in active)
        replan = (
            start_date != current.start_date
            or start_time != current.start_time
            or (weeks_between is not None and weeks_between != old_weeks)
            or bool(skip_dates)
        )
        if replan and _has_started(sessions, today):
            raise PlanningRefusedError(
                _("This run has started, so its dates and start time stay as they are. Move single sessions instead.")
            )
        changed: list[Session] = []
        if replan and active:
            skip = _skip(start_date, skip_dates, skip_public_holidays)
            slots = _plan(programme, start_date, start_time, len(active), weeks_between or old_weeks, skip)
            if slots[0].date < today:
                raise PlanningRefusedError(_("A run cannot be planned to start in the past."))
            for session, slot in zip(active, slots, strict=True):
                session.date, session.starts_at, session.ends_at = slot.date, slot.starts_at, slot.ends_at
            changed = list(active)
        coming = [
            session
            for session in active
            if (replan or session.date >= today) and session.attendance_recorded_at is None
        ]
        if room_changed:
            for session in coming:
                if session.room_id in {current.room_id, None}:
                    session.room_id = room_id
                    if session not in changed:
                        changed.append(session)
        room_ids = (
            {s.room_id for s in coming if s.room_id} if replan else ({room_id} if room_changed and room_id else set())
        )
        proposed = [
            _booking(
                session,
                date=session.date,
                starts_at=session.starts_at,
                ends_at=session.ends_at,
                room_id=session.room_id,
                trainer_ids=new_ids,
                run=current,
                programme=programme,
                run_start=min((session.date for session in active), default=current.start_date),
            )
            for session in coming
        ]
        warnings = _check_schedule(
            proposed, room_ids=room_ids, trainer_ids=new_ids if replan else {t.pk for t in added}
        )
        for session in changed:
            session.version += 1
        Session.objects.bulk_update(changed, ["date", "starts_at", "ends_at", "room", "version"])

        what = [
            name
            for name, differs in (
                ("dates", replan),
                ("room", room_changed),
                ("trainers", new_ids != old_trainers),
                ("variant", variant != current.variant),
                ("municipality", (municipality.pk if municipality else None) != current.municipality_id),
            )
            if differs
        ]
        if replan:
            current.start_date = min((session.date for session in active), default=start_date)
        current.start_time = start_time
        current.variant = variant
        current.municipality = municipality
        current.room = room
        current.version += 1
        current.save(update_fields=["start_date", "start_time", "variant", "municipality", "room", "version"])
        if new_ids != old_trainers:
            current.trainers.set(trainers)
        record_event(by, Action.UPDATE, current, reason="group run changed: " + (", ".join(what) or "nothing"))
    return Planned(current, tuple((_room_warnings(room) if room_changed else []) + warnings))


def _fresh(run: GroupRun) -> GroupRun:
    return GroupRun.objects.select_related("programme", "room", "municipality").get(pk=run.pk)


def assign_trainers(
    by: Any, run: GroupRun, trainers: Iterable[Any], *, version: int | None = None
) -> Planned[GroupRun]:
    """The run's trainers become ``trainers``; added trainers are checked for double bookings and capacity."""
    stored = _fresh(run)
    return update_run(
        by,
        stored,
        version=version,
        start_date=stored.start_date,
        start_time=stored.start_time,
        variant=stored.variant,
        municipality=stored.municipality,
        room=stored.room,
        trainers=trainers,
    )


def assign_room(by: Any, run: GroupRun, room: Room | None, *, version: int | None = None) -> Planned[GroupRun]:
    """The run moves to ``room`` for its coming sessions; refused when the room is booked or too small."""
    stored = _fresh(run)
    return update_run(
        by,
        stored,
        version=version,
        start_date=stored.start_date,
        start_time=stored.start_time,
        variant=stored.variant,
        municipality=stored.municipality,
        room=room,
        trainers=list(stored.trainers.all()),
    )


def complete_run(by: Any, run: GroupRun) -> RunClosed:
    """Closes the run: participants who started have completed it; those placed who never came have dropped out."""
    _check_planner(by, run.programme)
    today = timezone.localdate()
    with transaction.atomic():
        current = GroupRun.objects.select_for_update().get(pk=run.pk)
        _ensure_open(current)
        completed = dropped_out = 0
        for referral in current.referrals.filter(status__in=[ReferralStatus.STARTED, ReferralStatus.PLACED]):
            if referral.status == ReferralStatus.STARTED:
                transition(referral, ReferralStatus.COMPLETED, by, note="group run completed")
                completed += 1
            else:
                transition(referral, ReferralStatus.DROPPED_OUT, by, note="placed but never attended")
                Participation.objects.filter(referral=referral, left_on__isnull=True).update(left_on=today)
                dropped_out += 1
        current.status = RunStatus.COMPLETED
        current.version += 1
        current.save(update_fields=["status", "version"])
        record_event(
            by,
            Action.UPDATE,
            current,
            reason=f"group run completed: {completed} completed, {dropped_out} dropped out",
        )
    return RunClosed(current, completed=completed, dropped_out=dropped_out)


def cancel_run(by: Any, run: GroupRun, reason: str) -> RunClosed:
    """Cancels a run that has not started: placed referrals go back to the waiting list, places are given up."""
    _check_planner(by, run.programme)
    if not reason.strip():
        raise PlanningRefusedError(_("Give a reason for cancelling the run."))
    with transaction.atomic():
        current = GroupRun.objects.select_for_update().get(pk=run.pk)
        _ensure_open(current)
        started = (
            current.referrals.filter(status=ReferralStatus.STARTED).exists()
            or current.sessions.filter(attendance_recorded_at__isnull=False).exists()
        )
        if started:
            raise PlanningRefusedError(
                _("This run has started: participants have attended. Complete the run instead of cancelling it.")
            )
        back = 0
        for referral in current.referrals.filter(status=ReferralStatus.PLACED):
            transition(referral, ReferralStatus.WAITING, by, note=f"group run cancelled: {reason}")
            back += 1
        current.participations.all().delete()
        current.sessions.update(is_cancelled=True)
        current.status = RunStatus.CANCELLED
        current.version += 1
        current.save(update_fields=["status", "version"])
        record_event(by, Action.UPDATE, current, reason=f"group run cancelled: {reason}"[:500])
    return RunClosed(current, back_to_waiting=back)


def extend_continuous_run(by: Any, run: GroupRun, extra_sessions: int) -> Planned[GroupRun]:
    """Adds sessions to a continuous run (doorlopende groep), so newcomers can keep joining: same weekday, time,
    interval and room as the run so far, public holidays passed over, never in the past."""
    programme = run.programme
    _check_planner(by, programme)
    if not programme.is_continuous:
        raise PlanningRefusedError(_("Only a continuous group gets extra sessions; plan a new run instead."))
    if not 1 <= extra_sessions <= MAX_EXTRA_SESSIONS:
        raise PlanningRefusedError(_("Add between 1 and %(most)d sessions at a time.") % {"most": MAX_EXTRA_SESSIONS})
    today = timezone.localdate()
    with transaction.atomic():
        current = GroupRun.objects.select_for_update().get(pk=run.pk)
        _ensure_open(current)
        sessions = list(current.sessions.order_by("number"))
        active = [session for session in sessions if not session.is_cancelled]
        weeks = interval_weeks(session.date for session in active)
        step = datetime.timedelta(weeks=weeks)
        last = max(active, key=lambda session: session.date) if active else None
        starts_at = last.starts_at if last else current.start_time
        first = last.date + step if last else current.start_date
        while first < today:
            first += step
        dates = session_dates(first, extra_sessions, weeks_between=weeks, skip=holidays_from(first))
        try:
            ends_at = end_time(starts_at, programme.session_minutes)
        except ValueError as error:
            raise PlanningRefusedError(_("A session would run past midnight.")) from error
        trainer_ids = set(current.trainers.values_list("pk", flat=True))
        room_id = current.room_id
        proposed = [
            _booking(
                None,
                date=day,
                starts_at=starts_at,
                ends_at=ends_at,
                room_id=room_id,
                trainer_ids=trainer_ids,
                run=current,
                programme=programme,
                run_start=current.start_date,
            )
            for day in dates
        ]
        warnings = _check_schedule(proposed, room_ids={room_id} if room_id else set(), trainer_ids=trainer_ids)
        number = max((session.number for session in sessions), default=0)
        Session.objects.bulk_create(
            Session(
                group_run=current,
                number=number + offset,
                date=day,
                starts_at=starts_at,
                ends_at=ends_at,
                room_id=room_id,
            )
            for offset, day in enumerate(dates, start=1)
        )
        current.version += 1
        current.save(update_fields=["version"])
        record_event(by, Action.UPDATE, current, reason=f"continuous group run extended by {extra_sessions} sessions")
    return Planned(current, tuple(warnings))


# --- Sessions ---------------------------------------------------------------------------------------------------


def _locked_session(session: Session, version: int | None) -> tuple[GroupRun, Session]:
    run = GroupRun.objects.select_for_update().get(pk=session.group_run_id)
    _ensure_open(run)
    current = Session.objects.select_for_update().get(pk=session.pk)
    if version is not None and current.version != version:
        raise StaleEditError
    if current.is_cancelled:
        raise PlanningRefusedError(_("This session has been cancelled."))
    if current.attendance_recorded_at is not None:
        raise PlanningRefusedError(_("Attendance has been recorded for this session; it stays as it was."))
    return run, current


def reschedule_session(
    by: Any,
    session: Session,
    date: datetime.date,
    starts_at: datetime.time,
    room: Room | None,
    reason: str,
    *,
    version: int | None = None,
) -> Planned[Session]:
    """Moves one session to another date, time or room; the reason goes into the audit trail."""
    programme = session.group_run.programme
    _check_planner(by, programme)
    if not reason.strip():
        raise PlanningRefusedError(_("Give a reason for the change."))
    with transaction.atomic():
        run, current = _locked_session(session, version)
        if date < timezone.localdate():
            raise PlanningRefusedError(_("A session cannot be moved to a date in the past."))
        room_id = room.pk if room is not None else None
        if room_id != current.room_id:
            problems = _room_problems(room, programme) + _room_too_small(room, programme, run.variant)
            if problems:
                raise PlanningRefusedError(*problems)
        try:
            ends_at = end_time(starts_at, programme.session_minutes)
        except ValueError as error:
            raise PlanningRefusedError(
                _("A session of %(minutes)d minutes that starts at %(time)s would run past midnight.")
                % {"minutes": programme.session_minutes, "time": _clock(starts_at)}
            ) from error
        trainer_ids = set(run.trainers.values_list("pk", flat=True))
        proposed = [
            _booking(
                current,
                date=date,
                starts_at=starts_at,
                ends_at=ends_at,
                room_id=room_id,
                trainer_ids=trainer_ids,
                run=run,
                programme=programme,
                run_start=run.start_date,
            )
        ]
        warnings = _check_schedule(proposed, room_ids={room_id} if room_id else set(), trainer_ids=trainer_ids)
        before = f"{_day(current.date)} {_clock(current.starts_at)}"
        current.date, current.starts_at, current.ends_at, current.room_id = date, starts_at, ends_at, room_id
        current.version += 1
        current.save(update_fields=["date", "starts_at", "ends_at", "room", "version"])
        _sync_start_date(run)
        record_event(
            by,
            Action.UPDATE,
            current,
            reason=f"session {current.number} moved from {before} to {_day(date)} {_clock(starts_at)}: {reason}"[:500],
        )
    return Planned(current, tuple(_room_warnings(room) if room_id != session.room_id else []) + tuple(warnings))


def cancel_session(by: Any, session: Session, reason: str, *, version: int | None = None) -> Session:
    """Cancels one session (it no longer books its room or trainers); the reason goes into the audit trail."""
    _check_planner(by, session.group_run.programme)
    if not reason.strip():
        raise PlanningRefusedError(_("Give a reason for cancelling the session."))
    with transaction.atomic():
        run, current = _locked_session(session, version)
        current.is_cancelled = True
        current.version += 1
        current.save(update_fields=["is_cancelled", "version"])
        _sync_start_date(run)
        record_event(by, Action.UPDATE, current, reason=f"session {current.number} cancelled: {reason}"[:500])
    return current
