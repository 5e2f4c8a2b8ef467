"""The management report (issue 7): caseload balance per team, the waiting list over time, room and trainer
utilisation, and the principles audit trend, for one organisation and period.

Every figure is aggregated in the database, in a fixed number of queries whatever the data size; Python only
arranges the few rows that come back (one per team and consultant, programme, room, trainer and programme, or month).
Policy staff read this report too, so it names no consultant and no client, and counts of clients and referrals
under 5 are withheld, with the complements that protect them (``suppression.protect``). Staff figures (consultants,
trainers, rooms, sessions, hours) are not about clients and are shown as they are, but never per named trainer:
utilisation is staff performance data, shown for the trainer pool and as a count of trainers per band.
"""

import calendar
import datetime
import statistics
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, ExpressionWrapper, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce, ExtractHour, ExtractMinute
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from koers.accounts.models import Organisation, Team, User
from koers.accounts.roles import Role
from koers.groupwork.attendance_selectors import ATTENDED_STATUSES
from koers.groupwork.models import Attendance, Programme, Referral, Room, RunStatus, Session
from koers.groupwork.timemodel import session_hours
from koers.principles import charts as principle_charts
from koers.principles.models import PrincipleSnapshot
from koers.principles.rules import PRINCIPLES
from koers.reporting import charts
from koers.reporting.assumptions import cost_assumptions
from koers.reporting.formatting import format_value
from koers.reporting.models import ReportKind
from koers.reporting.report import (
    SUPPRESSED,
    SUPPRESSION_THRESHOLD,
    Chart,
    Column,
    Kind,
    Period,
    Progress,
    Report,
    Section,
    Table,
    Value,
    no_progress,
)
from koers.reporting.suppression import protect, share, withhold

MAX_MONTHS = 36  # the waiting list and the audit trend show at most this many month ends, the latest
WORKDAYS_PER_WEEK = 5
HOUR = Decimal("0.01")


# --- Calendar -----------------------------------------------------------------------------------------------------


def month_ends(period: Period) -> list[datetime.date]:
    """The last days of the months that end within ``period`` (the latest ``MAX_MONTHS``), oldest first; a period
    without a month end gives its own last day, so every report has a point to show."""
    ends = []
    year, month = period.start.year, period.start.month
    while (end := datetime.date(year, month, calendar.monthrange(year, month)[1])) <= period.end:
        ends.append(end)
        if end == datetime.date.max:
            break  # no month follows
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return ends[-MAX_MONTHS:] or [period.end]


def working_days(period: Period) -> int:
    """Monday to Friday within the period; public holidays count, as in the trainer capacity planning."""
    weeks, rest = divmod(period.days, 7)
    first = period.start.weekday()
    return weeks * WORKDAYS_PER_WEEK + sum(1 for day in range(rest) if (first + day) % 7 < WORKDAYS_PER_WEEK)


def _month_label(day: datetime.date) -> str:
    return date_format(day, "M Y")


def _day_label(day: datetime.date) -> str:
    return date_format(day, "j F Y")


def _count_label(value: float) -> str:
    return f"{value:.0f}"


def _percent_label(value: float) -> str:
    return f"{round(value * 100)}%"


def _plotted(value: Value) -> float | None:
    """A table value as a chart point: withheld and empty cells leave a gap."""
    return float(value) if isinstance(value, int | float | Decimal) else None


# --- Caseload -----------------------------------------------------------------------------------------------------


def caseload_section(organisation_id: int, period: Period) -> Section:
    """Consultants and clients per team, and how evenly the clients are spread over the consultants; two queries."""
    teams = list(Team.objects.filter(organisation=organisation_id).order_by("name", "pk"))
    memberships = (
        User.objects.filter(
            organisation=organisation_id,
            is_active=True,
            role_assignments__role=Role.CONSULTANT,
            teams__organisation=organisation_id,
        )
        .values("teams", "pk")
        .annotate(clients=Count("caseload", filter=Q(caseload__organisation=organisation_id), distinct=True))
        .order_by()
    )
    per_team: dict[int, list[int]] = {}
    per_consultant: dict[int, int] = {}
    for row in memberships:  # one per consultant and team
        per_team.setdefault(row["teams"], []).append(row["clients"])
        per_consultant[row["pk"]] = row["clients"]
    table = Table(
        "caseload",
        _("Caseload per team"),
        [
            Column("team", _("Team"), Kind.TEXT),
            Column("consultants", _("Consultants")),
            Column("clients", _("Clients")),
            Column("mean", _("Mean clients per consultant"), Kind.NUMBER),
            Column("min", _("Fewest clients of a consultant")),
            Column("max", _("Most clients of a consultant")),
            Column("spread", _("Spread (most minus fewest)")),
        ],
    )
    table.rows = [_caseload_row(team.name, per_team.get(team.pk, [])) for team in teams]
    table.total = _caseload_row(_("Total"), list(per_consultant.values()))
    protect(table, count_columns=["clients"])
    _withhold_caseload_spread(table)
    table.note = _(
        "A consultant in several teams counts in each of them, so the total, which counts every consultant and "
        "client once, can be less than the sum of the teams."
    )
    return Section(
        "caseload",
        _("Caseload balance per team"),
        intro=_(
            "Per team: the active staff members with the consultant role in the team, and the clients assigned to "
            "them today (an assignment has no history, so this is the caseload on the day the report is made, "
            "whatever the period). A client counts once in each team of their consultant. Mean, fewest and most "
            "are clients per consultant, consultants without clients included; no consultant is named."
        ),
        tables=[table],
    )


def _caseload_row(label: str, caseloads: list[int]) -> list[Value]:
    if not caseloads:
        return [label, 0, 0, None, None, None, None]
    fewest, most = min(caseloads), max(caseloads)
    return [label, len(caseloads), sum(caseloads), statistics.fmean(caseloads), fewest, most, most - fewest]


def _withhold_caseload_spread(table: Table) -> None:
    """The per-consultant figures follow the team's client count: a mean times the consultants gives it back. A
    caseload of 1–4 clients is a small count itself, and the other extreme, with the spread or the clients (two
    consultants: clients minus the most is the fewest), would give it away: then all three are withheld."""
    for row in [*table.rows, *([table.total] if table.total else [])]:
        if row[2] is SUPPRESSED:
            row[3:7] = [SUPPRESSED] * 4
        elif _is_small(row[4]) or _is_small(row[5]):
            row[4:7] = [SUPPRESSED] * 3


def _is_small(count: Value) -> bool:
    return isinstance(count, int) and 0 < count < SUPPRESSION_THRESHOLD


# --- Waiting list -------------------------------------------------------------------------------------------------


def _waiting_on(day: datetime.date) -> Q:
    """Referred on or before ``day``, and neither placed nor ended by then."""
    return (
        Q(referred_on__lte=day)
        & (Q(placed_on__isnull=True) | Q(placed_on__gt=day))
        & (Q(ended_on__isnull=True) | Q(ended_on__gt=day))
    )


def waiting_section(organisation_id: int, period: Period) -> Section:
    """Referrals waiting at each month end per programme, and the median wait at the last one; two queries."""
    ends = month_ends(period)
    candidates = Referral.objects.filter(
        Q(programme__organisation=organisation_id, referred_on__lte=ends[-1])
        & (Q(placed_on__isnull=True) | Q(placed_on__gt=ends[0]))
        & (Q(ended_on__isnull=True) | Q(ended_on__gt=ends[0]))
    )
    counts = (
        candidates.values("programme", "programme__name")
        .annotate(**{f"end_{index}": Count("pk", filter=_waiting_on(end)) for index, end in enumerate(ends)})
        .order_by("programme__name", "programme")
    )
    programmes = list(counts)  # one per programme with a referral waiting at some month end
    keys = [f"programme_{row['programme']}" for row in programmes]
    table = Table(
        "waiting",
        _("Referrals waiting at the end of each month"),
        [
            Column("month_end", _("Month end"), Kind.TEXT),
            *(Column(key, row["programme__name"]) for key, row in zip(keys, programmes, strict=True)),
            Column("total", _("All programmes")),
        ],
    )
    for index, end in enumerate(ends):
        waiting = [row[f"end_{index}"] for row in programmes]
        table.rows.append([_day_label(end), *waiting, sum(waiting)])
    waiting_at_last = sum(row[f"end_{len(ends) - 1}"] for row in programmes)
    protect(table, count_columns=[*keys, "total"], row_sums={"total": keys})
    median = _median_waiting_days(candidates, ends[-1], waiting_at_last)
    now = Table(
        "waiting_median",
        _("Waiting at the last month end"),
        [
            Column("month_end", _("Month end"), Kind.TEXT),
            Column("waiting", _("Referrals waiting")),
            Column("median_days", _("Median days waiting so far"), Kind.DAYS),
        ],
        rows=[[_day_label(ends[-1]), table.rows[-1][-1], withhold(median, waiting_at_last)]],
    )
    # Lines beyond what the chart can tell apart would be guessed at: then it shows all programmes together only.
    lines = table.columns[1:] if len(table.columns) - 1 <= len(charts.SERIES_STYLES) else table.columns[-1:]
    chart_title = _("Referrals waiting at the end of each month")
    svg = charts.line_chart(
        title=chart_title,
        description=_(
            "One line per programme and one for all programmes together, or only the latter when there are too "
            "many programmes to tell apart, from %(first)s to %(last)s. A gap is a withheld figure, "
            "marked x in the table, which gives every value."
        )
        % {"first": _month_label(ends[0]), "last": _month_label(ends[-1])},
        x_labels=[_month_label(end) for end in ends],
        series=[(column.label, [_plotted(value) for value in table.column(column.key)]) for column in lines],
        y_format=_count_label,
        chart_id="management-waiting",
    )
    return Section(
        "waiting",
        _("Waiting list over time"),
        intro=_(
            "At the end of each month in the period (the last %(months)d at most): the referrals made on or before "
            "that day that had not been placed in a group run, nor ended (declined, withdrawn), by then; referrals "
            "still in screening count as waiting. A referral that went back to the waiting list after a placement "
            "counts as waiting from its referral date. A client referred to two programmes counts in each. The "
            "median is the days from referral to the last month end, over the referrals waiting then."
        )
        % {"months": MAX_MONTHS},
        tables=[table, now],
        charts=[Chart(chart_title, svg)] if svg else [],
    )


def _median_waiting_days(candidates: QuerySet[Referral], day: datetime.date, waiting: int) -> float | None:
    """The median days waited by the referrals waiting on ``day``: the one or two middle referral dates, read in one
    query by position (a portable median: SQLite has no percentile function)."""
    if not waiting:
        return None
    middle = (
        candidates.filter(_waiting_on(day))
        .order_by("-referred_on")
        .values_list("referred_on", flat=True)[(waiting - 1) // 2 : waiting // 2 + 1]
    )
    return statistics.fmean((day - referred_on).days for referred_on in middle)


# --- Rooms --------------------------------------------------------------------------------------------------------


def _minutes(prefix: str = "") -> ExpressionWrapper:
    """A session's length in minutes, from its start and end time (portable: no time arithmetic in SQL)."""
    return ExpressionWrapper(
        ExtractHour(f"{prefix}ends_at") * 60
        + ExtractMinute(f"{prefix}ends_at")
        - ExtractHour(f"{prefix}starts_at") * 60
        - ExtractMinute(f"{prefix}starts_at"),
        output_field=IntegerField(),
    )


def _held_sessions(organisation_id: int, period: Period, prefix: str = "") -> Q:
    """Sessions of the organisation's programmes in the period, not cancelled, of runs not cancelled; ``prefix``
    leads from another model to the sessions."""
    return Q(
        **{
            f"{prefix}group_run__programme__organisation": organisation_id,
            f"{prefix}date__range": (period.start, period.end),
            f"{prefix}is_cancelled": False,
        }
    ) & ~Q(**{f"{prefix}group_run__status": RunStatus.CANCELLED})


def _hours(minutes: int) -> Decimal:
    return (Decimal(minutes) / 60).quantize(HOUR)


def _fraction(part: Decimal | int, whole: Decimal | int) -> float | None:
    return float(part) / float(whole) if whole else None


def rooms_section(organisation_id: int, period: Period) -> Section:
    """Per room: sessions, hours booked against hours available, and seat fill; three queries."""
    room_hours_per_day = cost_assumptions(organisation_id).room_hours_per_day
    days = working_days(period)
    available_per_room = (room_hours_per_day * days).quantize(HOUR)
    attended = (
        Attendance.objects.filter(session=OuterRef("pk"), status__in=ATTENDED_STATUSES)
        .values("session")
        .annotate(count=Count("pk"))
        .values("count")
    )
    recorded = Q(attendance_recorded_at__isnull=False)
    booked = {
        row["room"]: row
        for row in Session.objects.filter(_held_sessions(organisation_id, period), room__organisation=organisation_id)
        .values("room")
        .annotate(
            held=Count("pk"),
            minutes=Sum(_minutes()),
            recorded=Count("pk", filter=recorded),
            present=Coalesce(Sum(Subquery(attended), filter=recorded), 0),
        )
        .order_by()
    }
    nothing = {"held": 0, "minutes": 0, "recorded": 0, "present": 0}
    rooms = [
        (room, booked.get(room.pk, nothing))
        for room in Room.objects.filter(organisation=organisation_id).order_by("location", "name", "pk")
        if room.is_active or room.pk in booked
    ]
    table = Table(
        "rooms",
        _("Room use"),
        [
            Column("room", _("Room"), Kind.TEXT),
            Column("capacity", _("Seats")),
            Column("sessions", _("Sessions")),
            Column("hours_booked", _("Hours booked"), Kind.HOURS),
            Column("hours_available", _("Hours available"), Kind.HOURS),
            Column("occupancy", _("Occupancy"), Kind.PERCENT),
            Column("seat_fill", _("Mean seat fill"), Kind.PERCENT),
        ],
    )
    totals = {"sessions": 0, "minutes": 0, "seats": 0, "present": 0}
    for room, use in rooms:
        seats = use["recorded"] * room.capacity
        hours = _hours(use["minutes"])
        table.rows.append(
            [
                str(room),
                room.capacity,
                use["held"],
                hours,
                available_per_room,
                _fraction(hours, available_per_room),
                withhold(_fraction(use["present"], seats), use["present"]),
            ]
        )
        totals["sessions"] += use["held"]
        totals["minutes"] += use["minutes"]
        totals["seats"] += seats
        totals["present"] += use["present"]
    all_available = available_per_room * len(rooms)
    all_hours = _hours(totals["minutes"])
    table.total = [
        _("Total"),
        None,
        totals["sessions"],
        all_hours,
        all_available,
        _fraction(all_hours, all_available),
        withhold(_fraction(totals["present"], totals["seats"]), totals["present"]),
    ]
    return Section(
        "rooms",
        _("Room utilisation"),
        intro=_(
            "Per room of the organisation (in use, or booked in the period): the sessions in the period that were "
            "not cancelled, of group runs that were not cancelled; the hours they book, from start to end time; and "
            "the hours the room is available: %(days)d working days (Monday to Friday) × %(hours)s hours a day, "
            "from the organisation's cost assumptions. Occupancy is hours booked over hours available. Mean seat "
            "fill is, over the sessions whose attendance was recorded, the participants present or late over the "
            "room's seats; it is withheld below 5 attendances."
        )
        % {"days": days, "hours": number_format(room_hours_per_day, decimal_pos=2, use_l10n=True)},
        tables=[table],
    )


# --- Trainers -----------------------------------------------------------------------------------------------------

# The rows of the utilisation distribution, in this order; a trainer without hours for groups has no utilisation.
UTILISATION_BANDS = ("under_50", "50_to_80", "80_to_100", "over_100", "no_hours")
NO_HOURS = "no_hours"
# Utilisation over fewer trainers would be one person's: staff performance data that policy staff, who read this
# report, do not need. Planners and team managers see it per trainer on the trainer capacity page.
FEWEST_TRAINERS_FOR_UTILISATION = 2


def utilisation_band(planned: Decimal, available: Decimal) -> str:
    """The band of ``planned`` over ``available`` hours. A bound belongs to the band above it, except 100 %: fully
    planned is not over-planned."""
    if not available:
        return NO_HOURS
    if planned < available * Decimal("0.5"):
        return "under_50"
    if planned < available * Decimal("0.8"):
        return "50_to_80"
    return "80_to_100" if planned <= available else "over_100"


@dataclass
class _TrainerTally:
    trainers: int = 0
    sessions: int = 0
    planned: Decimal = Decimal(0)
    available: Decimal = Decimal(0)


def trainers_section(organisation_id: int, period: Period) -> Section:
    """The trainer pool as a whole: hours planned by the time model against hours available, and the number of
    trainers per utilisation band; no names, since per-person utilisation is not for policy staff. Three queries."""
    days = working_days(period)
    weeks = Decimal(days) / WORKDAYS_PER_WEEK
    trained = (
        Session.objects.filter(_held_sessions(organisation_id, period))
        .annotate(minutes=_minutes())
        .values("group_run__trainers", "group_run__programme", "minutes")
        .annotate(sessions=Count("pk"))
        .order_by()
    )
    groups = [row for row in trained if row["group_run__trainers"] is not None]  # per trainer, programme, length
    trainers = list(
        User.objects.filter(organisation=organisation_id)
        .filter(
            Q(is_active=True, role_assignments__role=Role.TRAINER)
            | Q(pk__in={row["group_run__trainers"] for row in groups})
        )
        .values_list("pk", "trainer_profile__hours_per_week", "trainer_profile__switching_minutes")
        .distinct()
        .order_by()
    )
    hours_per_week = {pk: hours for pk, hours, _switching in trainers}
    switching = {pk: minutes or 0 for pk, _hours, minutes in trainers}
    time_models = {
        programme.pk: programme.time_model() for programme in Programme.objects.filter(organisation=organisation_id)
    }
    sessions: dict[int, int] = {}
    planned: dict[int, Decimal] = {}
    for row in groups:
        trainer_id = row["group_run__trainers"]
        hours = session_hours(time_models[row["group_run__programme"]], row["minutes"], switching.get(trainer_id, 0))
        sessions[trainer_id] = sessions.get(trainer_id, 0) + row["sessions"]
        planned[trainer_id] = planned.get(trainer_id, Decimal(0)) + hours * row["sessions"]
    with_hours, without_hours = _TrainerTally(), _TrainerTally()
    bands = dict.fromkeys(UTILISATION_BANDS, 0)
    for trainer_id, weekly in hours_per_week.items():  # one per trainer of the organisation
        hours = planned.get(trainer_id, Decimal(0))
        available = (weekly * weeks).quantize(Decimal("0.1")) if weekly is not None else Decimal(0)
        band = utilisation_band(hours, available)
        bands[band] += 1
        tally = without_hours if band == NO_HOURS else with_hours
        tally.trainers += 1
        tally.sessions += sessions.get(trainer_id, 0)
        tally.planned += hours
        tally.available += available
    one_person = 0 < with_hours.trainers < FEWEST_TRAINERS_FOR_UTILISATION
    available_hours: Value = SUPPRESSED if one_person else with_hours.available
    no_hours_label = _("No hours for groups on record")
    summary = Table(
        "trainers",
        _("Trainer hours"),
        [
            Column("trainers", _("Trainers"), Kind.TEXT),
            Column("count", _("Number of trainers")),
            Column("sessions", _("Sessions trained")),
            Column("hours_planned", _("Hours planned"), Kind.HOURS),
            Column("hours_available", _("Hours available"), Kind.HOURS),
            Column("utilisation", _("Utilisation"), Kind.PERCENT),
        ],
        rows=[
            [
                _("With hours for groups on record"),
                with_hours.trainers,
                with_hours.sessions,
                with_hours.planned,
                available_hours,
                SUPPRESSED if one_person else _fraction(with_hours.planned, with_hours.available),
            ],
            [no_hours_label, without_hours.trainers, without_hours.sessions, without_hours.planned, None, None],
        ],
        total=[
            _("All trainers"),
            with_hours.trainers + without_hours.trainers,
            with_hours.sessions + without_hours.sessions,
            with_hours.planned + without_hours.planned,
            available_hours,
            None,
        ],
        note=_("A session with two trainers counts for each."),
    )
    tables = [summary]
    notes = []
    if with_hours.trainers >= FEWEST_TRAINERS_FOR_UTILISATION:
        labels = {
            "under_50": _("Under 50%"),
            "50_to_80": _("50% to under 80%"),
            "80_to_100": _("80% to 100%"),
            "over_100": _("Over 100%"),
            NO_HOURS: no_hours_label,
        }
        distribution = Table(
            "trainer_bands",
            _("Trainers by utilisation"),
            [Column("band", _("Utilisation"), Kind.TEXT), Column("trainers", _("Number of trainers"))],
            rows=[[labels[band], bands[band]] for band in UTILISATION_BANDS],
            total=[_("Total"), sum(bands.values())],
        )
        tables.append(distribution)
    else:
        notes.append(
            _(
                "The number of trainers per utilisation band is shown once at least two trainers have hours for "
                "groups on record: with one, it would give that person's utilisation."
            )
        )
    return Section(
        "trainers",
        _("Trainer utilisation"),
        intro=_(
            "The trainer pool as a whole; per-trainer figures are on the trainer capacity page, for planners and "
            "team managers. Counted are the staff with the trainer role and anyone who trained in the period. Hours "
            "planned are what the sessions in the period that were not cancelled, of group runs that were not "
            "cancelled, cost the trainers by the programme's time model (the training, preparation, materials, "
            "arrangements, set-up, clearing up and reporting, plus each trainer's switching time). Hours available "
            "are each trainer's hours per week for groups × %(weeks)s weeks (%(days)d working days, Monday to "
            "Friday, divided by 5). Utilisation is hours planned over hours available, over the trainers with "
            "hours for groups on record; over a single trainer it would be that person's and is withheld. The "
            "second table counts the trainers per band of their own utilisation: exactly 50 or 80 percent counts "
            "in the higher band, exactly 100 percent in the lower."
        )
        % {"weeks": number_format(weeks, decimal_pos=1, use_l10n=True), "days": days},
        tables=tables,
        notes=notes,
    )


# --- Principles audit ---------------------------------------------------------------------------------------------


def principles_section(organisation_id: int, period: Period) -> Section:
    """Organisation-wide pass share per principle and month, from the monthly snapshots; one query."""
    months = [end.replace(day=1) for end in month_ends(period)]
    tallies = {
        (row["month"], row["principle"]): row
        for row in PrincipleSnapshot.objects.filter(organisation=organisation_id, month__in=months)
        .values("month", "principle")
        .annotate(passes=Sum("passed"), audited=Sum(F("passed") + F("attention") + F("failed")))
        .order_by()
    }
    table = Table(
        "principles",
        _("Share of trajectories that pass, per principle and month"),
        [
            Column("month", _("Month"), Kind.TEXT),
            Column("trajectories", _("Trajectories audited")),
            *(
                Column(principle.key, f"{principle.number}. {principle.title}", Kind.PERCENT)
                for principle in PRINCIPLES
            ),
        ],
    )
    first = PRINCIPLES[0].number
    for month in months:
        audited = tallies.get((month, first), {}).get("audited")
        shares = []
        for principle in PRINCIPLES:
            tally = tallies.get((month, principle.number))
            shares.append(share(tally["passes"], tally["audited"]) if tally else None)
        table.rows.append([_month_label(month), audited, *shares])
    protect(table, count_columns=["trajectories"])
    chart_title = _("Share of trajectories that pass, per principle and month")
    svg = principle_charts.pass_share_chart(
        [_month_label(month) for month in months],
        [
            principle_charts.ShareSeries(column.label, [_plotted(value) for value in table.column(column.key)])
            for column in table.columns[2:]
        ],
        title=chart_title,
        description=_(
            "Ten small charts, one per principle, each from %(first)s to %(last)s on a scale from 0 to 100 percent. "
            "A gap means no figures were recorded that month, or too few trajectories to show. "
            "The table below gives every value."
        )
        % {"first": date_format(months[0], "F Y"), "last": date_format(months[-1], "F Y")},
        chart_id="management-principles-trend",
    )
    return Section(
        "principles",
        _("Principles audit trend"),
        intro=_(
            "For each month of the period (the last %(months)d at most), over the whole organisation: of the "
            "trajectories open at the end of the month, as the monthly audit recorded them, the share that passes "
            "each of the ten principles. A month without a recorded audit is empty; a share over fewer than 5 "
            "trajectories is withheld."
        )
        % {"months": MAX_MONTHS},
        tables=[table],
        charts=[Chart(chart_title, svg)] if svg else [],
    )


# --- The report ---------------------------------------------------------------------------------------------------

SectionBuilder = Callable[[int, Period], Section]

SECTIONS: dict[str, SectionBuilder] = {
    "caseload": caseload_section,
    "waiting": waiting_section,
    "rooms": rooms_section,
    "trainers": trainers_section,
    "principles": principles_section,
}


def management_report(
    organisation_id: int,
    period: Period,
    *,
    progress: Progress = no_progress,
    sections: Collection[str] | None = None,
) -> Report:
    """The management report for ``period``; ``sections`` (keys of ``SECTIONS``, all by default) lets the benchmark
    time one section at a time."""
    organisation = Organisation.objects.get(pk=organisation_id)
    chosen: Sequence[str] = [key for key in SECTIONS if sections is None or key in sections]
    report = Report(
        kind=ReportKind.MANAGEMENT,
        title=_("Management report"),
        subtitle=_("%(organisation)s, %(start)s to %(end)s")
        % {"organisation": organisation.name, "start": _day_label(period.start), "end": _day_label(period.end)},
        organisation=organisation.name,
        period=period,
        generated_at=timezone.now(),
    )
    for done, key in enumerate(chosen, start=1):
        section = SECTIONS[key](organisation_id, period)
        report.sections.append(section)
        progress(done, len(chosen), section.title)
    if "rooms" in chosen:
        hours = cost_assumptions(organisation_id).room_hours_per_day
        report.assumptions.append((_("Hours a room is available per working day"), format_value(hours, Kind.HOURS)))
    return report
