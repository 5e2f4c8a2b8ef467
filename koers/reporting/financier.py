"""The financier report (issue 7, DOMAIN.md §4 accountability): what the group work did for one municipality's
clients in one period, and what it cost against the individual alternative.

Scope: referrals, participations and trajectories of clients of the organisation who live in the municipality,
in programmes of the organisation. Every section is a fixed number of aggregate queries whatever the data size;
Python arranges the few rows that come back (one per programme, per waiting day, per outflow reason). The one
exception is the effect section: the statistics (``measurement.stats.pre_post``) need each measured participant's
before and after score, so the pairs come back as rows.

Privacy: the funnel is the one table of participant counts per programme. Other sections that speak of the same
participants copy its protected cells (so a complement withheld there stays withheld everywhere), and withhold
their own figures for a programme whose participant count is withheld: runs, attendance records and attributed
hours would otherwise point back to the number.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.db.models import (
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
)
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from koers.accounts.models import Municipality
from koers.groupwork.models import (
    Attendance,
    AttendanceStatus,
    GoalType,
    GroupRun,
    Participation,
    Programme,
    Referral,
    ReferralStatus,
    Session,
)
from koers.groupwork.timemodel import session_hours
from koers.measurement import group_effects, stats
from koers.measurement.models import Measurement, MeasurementStatus, Scale, ScaleScore
from koers.reporting.assumptions import cost_assumptions
from koers.reporting.charts import bar_chart
from koers.reporting.formatting import format_value
from koers.reporting.models import CostAssumptions, ReportKind
from koers.reporting.report import (
    SUPPRESSED,
    SUPPRESSED_LABEL,
    Chart,
    Column,
    Kind,
    Period,
    Progress,
    Report,
    Section,
    Suppressed,
    Table,
    Value,
    no_progress,
)
from koers.reporting.suppression import protect, share, withhold
from koers.trajectories.models import Trajectory

ATTENDED = (AttendanceStatus.PRESENT, AttendanceStatus.LATE)
MIN_MEASURED = stats.MIN_GROUP_SIZE
TARGET_GROUP_CHARS = 120
CENT = Decimal("0.01")
HOUR = Decimal("0.01")
FUNNEL_STEPS = ("referred", "screened", "placed", "started", "completed", "dropped_out", "withdrawn", "declined")
ENDINGS = {
    "completed": ReferralStatus.COMPLETED,
    "dropped_out": ReferralStatus.DROPPED_OUT,
    "withdrawn": ReferralStatus.WITHDRAWN,
    "declined": ReferralStatus.DECLINED,
}
# Outflow reasons grouped for the financier: both kinds of work together; moving away is no result of the work.
OUTFLOW_GROUPS = {
    "work": ("work_full_time", "work_part_time"),
    "education": ("education",),
    "other_participation": ("other_participation",),
    "other": ("other", "moved", ""),
}


def financier_report(
    organisation_id: int,
    municipality: Municipality,
    period: Period,
    *,
    progress: Progress = no_progress,
    today: datetime.date | None = None,
) -> Report:
    """The whole report; ``today`` (default: the local date) decides which sessions were held and which measurement
    windows have closed."""
    builder = FinancierReport(organisation_id, municipality, period, today or timezone.localdate())
    report = builder.empty_report()
    for done, key in enumerate(SECTION_KEYS, start=1):
        section = builder.section(key)
        report.sections.append(section)
        progress(done, len(SECTION_KEYS), section.title)
    return report


def financier_sections(
    keys: Sequence[str],
    organisation_id: int,
    municipality: Municipality,
    period: Period,
    *,
    today: datetime.date | None = None,
) -> Report:
    """A report with only these sections (and only the queries they need): for the benchmark of each section."""
    builder = FinancierReport(organisation_id, municipality, period, today or timezone.localdate())
    report = builder.empty_report()
    report.sections += [builder.section(key) for key in keys]
    return report


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT)


def _days(duration: datetime.timedelta | int) -> int:
    """A waiting time from the database: an interval (PostgreSQL, SQLite) or a number of days."""
    return duration.days if isinstance(duration, datetime.timedelta) else int(duration)


def percentile(histogram: Sequence[tuple[int, int]], numerator: int, denominator: int) -> int | None:
    """The nearest-rank percentile numerator/denominator of ``(value, count)`` pairs sorted by value: the first value
    at which the cumulative count reaches that fraction of all (PostgreSQL's ``percentile_disc``)."""
    total = sum(count for _value, count in histogram)
    cumulative = 0
    for value, count in histogram:
        cumulative += count
        if cumulative * denominator >= numerator * total:
            return value
    return None


@dataclass(frozen=True)
class HoursRow:
    programme_id: int
    runs: int
    sessions: int
    attributed: Decimal  # this municipality's share of the trainer hours of these runs


class FinancierReport:
    """Builds the sections; figures that several sections share are computed once (``cached_property``)."""

    def __init__(self, organisation_id: int, municipality: Municipality, period: Period, today: datetime.date) -> None:
        if municipality.organisation_id != organisation_id:
            raise ValueError("The municipality is not served by this organisation.")
        self.organisation_id = organisation_id
        self.municipality = municipality
        self.period = period
        self.today = today
        self.held_until = min(period.end, today)
        self._funnel_rows: dict[int, int] = {}  # programme id → its row in the funnel table

    def empty_report(self) -> Report:
        start = date_format(self.period.start, "SHORT_DATE_FORMAT")
        end = date_format(self.period.end, "SHORT_DATE_FORMAT")
        return Report(
            kind=ReportKind.FINANCIER,
            title=_("Financier report"),
            subtitle=_("%(municipality)s, %(start)s to %(end)s")
            % {"municipality": self.municipality.name, "start": start, "end": end},
            organisation=self.municipality.organisation.name,
            period=self.period,
            generated_at=timezone.now(),
            assumptions=self.assumption_labels(),
        )

    def section(self, key: str) -> Section:
        builders: dict[str, Callable[[], Section]] = {
            "offering": self.offering,
            "funnel": self.funnel,
            "attendance": self.attendance,
            "waiting": self.waiting,
            "outflow": self.outflow,
            "effects": self.effects,
            "hours": self.hours,
            "costs": self.costs,
        }
        return builders[key]()

    # --- Scope ----------------------------------------------------------------------------------------------------

    def _clients(self, prefix: str) -> Q:
        """The organisation's clients in the municipality, reached through ``prefix`` (e.g. "client__")."""
        return Q(**{f"{prefix}organisation_id": self.organisation_id, f"{prefix}municipality_id": self.municipality.pk})

    def referrals(self) -> QuerySet[Referral]:
        return Referral.objects.filter(self._clients("client__"), programme__organisation_id=self.organisation_id)

    def _in_period(self, field: str) -> Q:
        return Q(**{f"{field}__range": (self.period.start, self.period.end)})

    @cached_property
    def programmes(self) -> dict[int, Programme]:
        """The organisation's catalogue (bounded by its size, not by the data)."""
        return Programme.objects.filter(organisation_id=self.organisation_id).in_bulk()

    @cached_property
    def assumptions(self) -> CostAssumptions:
        return cost_assumptions(self.organisation_id)

    def assumption_labels(self) -> list[tuple[str, str]]:
        costs = self.assumptions
        return [
            (_("Trainer hourly rate"), format_value(costs.trainer_hourly_rate, Kind.MONEY)),
            (_("Consultant hourly rate"), format_value(costs.consultant_hourly_rate, Kind.MONEY)),
            (
                _("Minutes of individual conversation that replace one group session"),
                str(costs.individual_minutes_per_session),
            ),
            (
                _("Minutes of preparation and reporting per individual conversation"),
                str(costs.individual_overhead_minutes),
            ),
        ]

    def _programme_label(self, programme_id: int) -> str:
        return self.programmes[programme_id].name

    def _ordered(self, programme_ids: Iterable[int]) -> list[int]:
        return sorted(set(programme_ids), key=lambda pk: (self.programmes[pk].name, pk))

    # --- Funnel: the one table of participant counts --------------------------------------------------------------

    @cached_property
    def funnel_counts(self) -> dict[int, dict[str, int]]:
        """Per programme, the referrals whose step fell in the period (one query)."""
        steps = {
            "referred": self._in_period("referred_on"),
            "screened": self._in_period("screened_on"),
            "placed": self._in_period("placed_on"),
            "started": self._in_period("started_on"),
            **{key: self._in_period("ended_on") & Q(status=status) for key, status in ENDINGS.items()},
        }
        any_step = Q()
        for condition in steps.values():
            any_step |= condition
        rows = (
            self.referrals()
            .filter(any_step)
            .values("programme_id")
            .annotate(**{key: Count("pk", filter=condition) for key, condition in steps.items()})
            .order_by()
        )
        return {row["programme_id"]: {key: row[key] for key in FUNNEL_STEPS} for row in rows}

    @cached_property
    def funnel_table(self) -> Table:
        labels = {
            "referred": _("Referred"),
            "screened": _("Screened"),
            "placed": _("Placed"),
            "started": _("Started"),
            "completed": _("Completed"),
            "dropped_out": _("Dropped out"),
            "withdrawn": _("Withdrawn"),
            "declined": _("Declined"),
        }
        table = Table(
            "funnel",
            _("From referral to completion"),
            [Column("programme", _("Programme"), Kind.TEXT), *(Column(key, labels[key]) for key in FUNNEL_STEPS)],
        )
        counts = self.funnel_counts
        for programme_id in self._ordered(counts):
            self._funnel_rows[programme_id] = len(table.rows)
            table.rows.append([self._programme_label(programme_id), *(counts[programme_id][k] for k in FUNNEL_STEPS)])
        table.total = [_("Total"), *(sum(c[key] for c in counts.values()) for key in FUNNEL_STEPS)]
        protect(table, count_columns=FUNNEL_STEPS)
        return table

    def started_cell(self, programme_id: int) -> Value:
        """The protected number of the municipality's clients who started in the programme in the period."""
        table = self.funnel_table
        if programme_id not in self._funnel_rows:
            return 0
        return table.rows[self._funnel_rows[programme_id]][1 + FUNNEL_STEPS.index("started")]

    def funnel(self) -> Section:
        """Referrals per step taken in the period (a date of the step within it); endings by end status only."""
        return Section(
            "funnel",
            _("Reach and drop-out"),
            intro=_(
                "Referrals of the municipality's clients, per step that happened in the period: referred on a day in "
                "the period, screened (admitted to the waiting list), placed in a group, started, or ended in the "
                "period as completed, dropped out (after placement or start), withdrawn or declined. A referral "
                "counts in each step it took in the period. The reasons given for an ending are not shown: they may "
                "hold personal details."
            ),
            tables=[self.funnel_table],
            charts=[self.funnel_chart()],
        )

    def funnel_chart(self) -> Chart:
        """The total row as bars, from referred to completed: where the municipality's clients drop off."""
        table = self.funnel_table
        steps = FUNNEL_STEPS[: FUNNEL_STEPS.index("completed") + 1]
        total = table.total or []
        values = [total[1 + FUNNEL_STEPS.index(step)] for step in steps]
        title = _("Reach in the period, all programmes")
        return Chart(
            title,
            bar_chart(
                title=title,
                description=_("Bars per step, from referred to completed; the figures are in the table above."),
                labels=[column.label for column in table.columns[1 : 1 + len(steps)]],
                values=[float(v) if isinstance(v, int) else None for v in values],
                value_format=lambda v: format_value(int(v), Kind.COUNT),
                missing_label=SUPPRESSED_LABEL,
                chart_id="financier-funnel",
            ),
        )

    # --- Offering --------------------------------------------------------------------------------------------------

    @cached_property
    def started_runs(self) -> dict[int, int]:
        """Per programme, the runs in which the municipality's clients started in the period (one query)."""
        rows = (
            self.referrals()
            .filter(self._in_period("started_on"), group_run__isnull=False)
            .values("programme_id")
            .annotate(runs=Count("group_run", distinct=True))
            .order_by()
        )
        return {row["programme_id"]: row["runs"] for row in rows}

    def offering(self) -> Section:
        """The programmes with a funnel step in the period; participants: started in the period (the funnel's cell)."""
        goal_types = dict(GoalType.choices)
        table = Table(
            "offering",
            _("Programmes"),
            [
                Column("programme", _("Programme"), Kind.TEXT),
                Column("goal_type", _("Goal type"), Kind.TEXT),
                Column("target_group", _("Target group"), Kind.TEXT),
                Column("runs", _("Groups")),
                Column("participants", _("Participants")),
            ],
        )
        for programme_id in self._ordered(self.funnel_counts):
            programme = self.programmes[programme_id]
            started = self.started_cell(programme_id)
            runs = SUPPRESSED if isinstance(started, Suppressed) else self.started_runs.get(programme_id, 0)
            target = programme.target_group.strip() or programme.learning_goals.strip()
            if len(target) > TARGET_GROUP_CHARS:
                target = target[: TARGET_GROUP_CHARS - 1].rstrip() + "…"
            table.rows.append([programme.name, str(goal_types.get(programme.goal_type, "")), target, runs, started])
        return Section(
            "offering",
            _("Group offering"),
            intro=_(
                "The programmes in which the municipality's clients took a step in the period (see reach). "
                "Participants: the clients who started in the period; groups: the runs they started in."
            ),
            tables=[table],
        )

    # --- Attendance ------------------------------------------------------------------------------------------------

    def attendance(self) -> Section:
        """Attendance records of the municipality's participants at sessions held in the period: not cancelled,
        dated from the period's start up to its end or today, whichever comes first."""
        rows = (
            Attendance.objects.filter(
                self._clients("participation__client__"),
                session__group_run__programme__organisation_id=self.organisation_id,
                session__is_cancelled=False,
                session__date__range=(self.period.start, self.held_until),
            )
            .values(programme_id=F("session__group_run__programme_id"))
            .annotate(
                sessions=Count("session", distinct=True),
                participants=Count("participation", distinct=True),
                records=Count("pk"),
                present=Count("pk", filter=Q(status__in=ATTENDED)),
            )
            .order_by()
        )
        by_programme = {row["programme_id"]: row for row in rows}
        table = Table(
            "attendance",
            _("Attendance"),
            [
                Column("programme", _("Programme"), Kind.TEXT),
                Column("sessions", _("Sessions held")),
                Column("records", _("Attendance records")),
                Column("present", _("Present (incl. late)")),
                Column("rate", _("Attendance rate"), Kind.PERCENT),
            ],
        )
        shown_records = shown_present = 0
        withheld = False
        for programme_id in self._ordered(by_programme):
            row = by_programme[programme_id]
            small = row["participants"] < MIN_MEASURED or isinstance(self.started_cell(programme_id), Suppressed)
            records = SUPPRESSED if small else row["records"]
            present = SUPPRESSED if small else row["present"]
            rate = withhold(row["present"] / row["records"], row["participants"])
            if small:
                withheld = True
            else:
                shown_records += row["records"]
                shown_present += row["present"]
            table.rows.append([self._programme_label(programme_id), row["sessions"], records, present, rate])
        table.total = [
            _("Total"),
            sum(row["sessions"] for row in by_programme.values()),
            shown_records,
            shown_present,
            shown_present / shown_records if shown_records else None,
        ]
        if withheld:
            table.note = _("Records, present and rate in the total cover only the programmes whose figures are shown.")
        return Section(
            "attendance",
            _("Attendance"),
            intro=_(
                "Sessions held in the period (not cancelled, up to today) at which attendance of the municipality's "
                "participants was recorded, and those records: present or late counts as present. Records are "
                "withheld for a programme with fewer than 5 participants in these sessions, or whose number of "
                "participants is withheld in the reach table."
            ),
            tables=[table],
        )

    # --- Waiting time and deadlines --------------------------------------------------------------------------------

    def waiting(self) -> Section:
        """Days from referral to start of the referrals started in the period (percentiles from a histogram of
        days, bounded by the range of waiting times), and the deadlines that fell in the period."""
        waiting_days = ExpressionWrapper(F("started_on") - F("referred_on"), output_field=DurationField())
        histogram_rows = (
            self.referrals()
            .filter(self._in_period("started_on"))
            .annotate(days=waiting_days)
            .values("programme_id", "days")
            .annotate(n=Count("pk"))
            .order_by("programme_id", "days")
        )
        histograms: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for row in histogram_rows:
            histograms[row["programme_id"]].append((_days(row["days"]), row["n"]))
        overall: dict[int, int] = defaultdict(int)
        for histogram in histograms.values():
            for days, count in histogram:
                overall[days] += count

        waiting = Table(
            "waiting",
            _("Waiting time from referral to start (days)"),
            [
                Column("programme", _("Programme"), Kind.TEXT),
                Column("started", _("Started")),
                Column("median", _("Median"), Kind.DAYS),
                Column("p90", _("90th percentile"), Kind.DAYS),
            ],
        )

        def figures(label: str, started: Value, histogram: Sequence[tuple[int, int]]) -> list[Value]:
            n = sum(count for _days_, count in histogram)
            return [
                label,
                started,
                withhold(percentile(histogram, 1, 2), n),
                withhold(percentile(histogram, 9, 10), n),
            ]

        for programme_id in self._ordered(histograms):
            waiting.rows.append(
                figures(self._programme_label(programme_id), self.started_cell(programme_id), histograms[programme_id])
            )
        total_started = self.funnel_table.cell("total", "started") if self.funnel_counts else 0
        waiting.total = figures(_("Total"), total_started, sorted(overall.items()))
        return Section(
            "waiting",
            _("Waiting time and deadlines"),
            intro=_(
                "Waiting time: days from referral to start, for the referrals that started in the period (the "
                "started column of the reach table); the median and the 90th percentile are days that occurred "
                "(nearest rank), withheld below 5 starts. Deadlines: referrals of mandatory programmes whose "
                "deadline fell in the period and before today, except those that ended without a start before it "
                "(the deadline no longer applied); met means started on or before the deadline."
            ),
            tables=[waiting, self.deadlines_table()],
        )

    def deadlines_table(self) -> Table:
        """Referrals whose deadline fell in the period and before today and still applied (not ended unstarted by
        then); met: started on or before it."""
        last_deadline = min(self.period.end, self.today - datetime.timedelta(days=1))
        rows = (
            self.referrals()
            .filter(deadline__range=(self.period.start, last_deadline))
            .exclude(started_on__isnull=True, ended_on__isnull=False, ended_on__lte=F("deadline"))
            .values("programme_id")
            .annotate(with_deadline=Count("pk"), met=Count("pk", filter=Q(started_on__lte=F("deadline"))))
            .order_by()
        )
        counts = {row["programme_id"]: (row["with_deadline"], row["met"]) for row in rows}
        table = Table(
            "deadlines",
            _("Deadlines"),
            [
                Column("programme", _("Programme"), Kind.TEXT),
                Column("with_deadline", _("With a deadline")),
                Column("met", _("Met")),
                Column("missed", _("Missed")),
                Column("met_share", _("Share met"), Kind.PERCENT),
            ],
        )
        for programme_id in self._ordered(counts):
            with_deadline, met = counts[programme_id]
            table.rows.append([self._programme_label(programme_id), with_deadline, met, with_deadline - met, None])
        total_with = sum(w for w, _met in counts.values())
        total_met = sum(m for _w, m in counts.values())
        table.total = [_("Total"), total_with, total_met, total_with - total_met, None]
        protect(table, count_columns=("with_deadline", "met", "missed"), row_sums={"with_deadline": ("met", "missed")})
        for row in [*table.rows, table.total]:
            row[4] = share(row[2], row[1])
        return table

    # --- Outflow ---------------------------------------------------------------------------------------------------

    def outflow(self) -> Section:
        """Trajectories ended in the period whose client started a group programme within the trajectory."""
        started_group = Referral.objects.filter(instrument__trajectory=OuterRef("pk"), started_on__isnull=False)
        rows = (
            Trajectory.objects.filter(self._clients("client__"), self._in_period("ended_on"))
            .filter(Exists(started_group))
            .values("outflow_reason")
            .annotate(n=Count("pk"))
            .order_by()
        )
        by_reason = {row["outflow_reason"]: row["n"] for row in rows}
        labels = {
            "work": _("Work (full-time or part-time)"),
            "education": _("Education"),
            "other_participation": _("Other participation"),
            "other": _("Other, moved or not recorded"),
        }
        table = Table(
            "outflow",
            _("Outflow after the trajectory"),
            [
                Column("category", _("Outflow"), Kind.TEXT),
                Column("trajectories", _("Trajectories")),
                Column("share", _("Share"), Kind.PERCENT),
            ],
        )
        for key, reasons in OUTFLOW_GROUPS.items():
            table.rows.append([labels[key], sum(by_reason.get(reason, 0) for reason in reasons), None])
        table.total = [_("Total"), sum(by_reason.values()), None]
        protect(table, count_columns=("trajectories",))
        for row in table.rows:
            row[2] = share(row[1], table.total[1])
        table.total[2] = share(table.total[1], table.total[1])
        return Section(
            "outflow",
            _("Outflow"),
            intro=_(
                "Trajectories of the municipality's clients that ended in the period and in which the client started "
                "a group programme (at any time), by the outflow recorded at the end."
            ),
            tables=[table],
        )

    # --- Effects ---------------------------------------------------------------------------------------------------

    def effects(self) -> Section:
        """Pre/post per programme and scale over runs that started in the period and whose measurement window has
        closed by today; pooled only over runs with at least 5 measured participants of the municipality."""
        window = group_effects.window_days(self.organisation_id)
        pairs = self._measured_pairs(window)
        table = Table(
            "effects",
            _("Effects on the measurement questionnaires"),
            [
                Column("programme", _("Programme"), Kind.TEXT),
                Column("questionnaire", _("Questionnaire"), Kind.TEXT),
                Column("scale", _("Scale"), Kind.TEXT),
                Column("runs", _("Groups counted")),
                Column("n", _("Measured participants")),
                Column("mean_pre", _("Mean before"), Kind.NUMBER),
                Column("mean_post", _("Mean after"), Kind.NUMBER),
                Column("hedges_g", _("Effect size (Hedges' g)"), Kind.NUMBER),
                Column("ci_low", _("95% CI low"), Kind.NUMBER),
                Column("ci_high", _("95% CI high"), Kind.NUMBER),
                Column("reading", _("Reading"), Kind.TEXT),
            ],
        )
        scales = self._scales({questionnaire_id for _programme, questionnaire_id, _code in pairs})
        for key in sorted(pairs, key=lambda k: (self.programmes[k[0]].name, scales[k[1:]][0], scales[k[1:]][2])):
            programme_id, questionnaire_id, code = key
            counted = [run_pairs for run_pairs in pairs[key].values() if len(run_pairs) >= MIN_MEASURED]
            pooled = [pair for run_pairs in counted for pair in run_pairs]
            questionnaire_name, scale_name, _position, higher_is_better = scales[(questionnaire_id, code)]
            result = stats.pre_post(
                [pre for pre, _post in pooled],
                [post for _pre, post in pooled],
                higher_is_better=higher_is_better,
                min_n=MIN_MEASURED,
                significance=False,  # the report shows g and its interval, no p-values
            )
            if not isinstance(result, stats.PrePost):
                continue
            table.rows.append(
                [
                    self._programme_label(programme_id),
                    questionnaire_name,
                    scale_name,
                    len(counted),
                    SUPPRESSED if isinstance(self.started_cell(programme_id), Suppressed) else result.n,
                    result.mean_pre,
                    result.mean_post,
                    result.hedges_g if result.standardised else None,
                    result.ci_low if result.standardised else None,
                    result.ci_high if result.standardised else None,
                    group_effects.interpretation(result),
                ]
            )
        return Section(
            "effects",
            _("Effects"),
            intro=_(
                "Before and after scores on the measurement questionnaires of the municipality's participants in "
                "runs that started in the period and whose measurement window (%(days)s days) has closed: the last "
                "measurement in the window before the first session, the first in the window after the last one. "
                "A programme pools only the runs in which at least 5 of the municipality's participants were measured "
                "on the scale; smaller runs are left out entirely, so that no comparison of two reports can give "
                "their figures away. Scales with fewer than 5 measured participants in all are not shown, and the "
                "number measured is withheld where the programme's number of participants is. The effect "
                "size is Hedges' g for paired scores with its 95%% confidence interval; a change is called an "
                "improvement only when the interval lies above 0, and the measurement does not show that the group "
                "caused it."
            )
            % {"days": window},
            tables=[table],
        )

    def _measured_pairs(self, window: int) -> dict[tuple[int, int, str], dict[int, list[tuple[float, float]]]]:
        """(programme, questionnaire, scale code) → run → the (before, after) scores of each measured participant of
        the municipality, by the pairing rule of ``measurement.group_effects`` (three queries)."""
        runs = GroupRun.objects.filter(
            programme__organisation_id=self.organisation_id,
            status__in=group_effects.FROZEN_RUN,
            pk__in=Participation.objects.filter(self._clients("client__")).values("group_run_id"),
        )
        spans = {
            run_id: span
            for run_id, span in group_effects.run_spans(runs).items()
            if self.period.start <= span.start <= self.period.end and span.is_closed(window, self.today)
        }
        if not spans:
            return {}
        participations = group_effects.started_participations(spans).filter(self._clients("client__"))
        members = [
            (run_id, programme_id, client_id)
            for run_id, programme_id, client_id, left_on in participations.values_list(
                "group_run_id", "group_run__programme_id", "client_id", "left_on"
            )
            if left_on is None or left_on >= spans[run_id].start
        ]
        delta = datetime.timedelta(days=window)
        headers = (
            Measurement.objects.filter(
                trajectory__client_id__in=participations.values("client_id"),
                status=MeasurementStatus.COMPLETED,
                taken_on__range=(
                    min(span.start for span in spans.values()) - delta,
                    max(span.end for span in spans.values()) + delta,
                ),
            )
            .values_list(
                "trajectory__client_id",
                "version__questionnaire_id",
                "taken_on",
                Coalesce("completed_at", "created_at"),
                "pk",
            )
            .order_by("taken_on", "pk")
        )
        series: dict[int, dict[int, list[Any]]] = defaultdict(lambda: defaultdict(list))
        for client_id, questionnaire_id, taken_on, recorded_at, pk in headers:
            series[client_id][questionnaire_id].append(group_effects._Measurement(taken_on, recorded_at, pk))
        found: list[tuple[int, int, int, int, int]] = []  # run, programme, questionnaire, pre, post
        for run_id, programme_id, client_id in members:
            for questionnaire_id, measurements in series.get(client_id, {}).items():
                pair = group_effects._pre_and_post(measurements, spans[run_id], window)
                if pair is not None:
                    found.append((run_id, programme_id, questionnaire_id, pair[0].pk, pair[1].pk))
        scores: dict[int, dict[str, float]] = defaultdict(dict)
        chosen = {pk for row in found for pk in row[3:]}
        for measurement_id, code, score in ScaleScore.objects.filter(measurement_id__in=chosen).values_list(
            "measurement_id", "scale__code", Cast("score", FloatField())
        ):
            scores[measurement_id][code] = score
        pairs: dict[tuple[int, int, str], dict[int, list[tuple[float, float]]]] = defaultdict(lambda: defaultdict(list))
        for run_id, programme_id, questionnaire_id, pre_id, post_id in found:
            before, after = scores[pre_id], scores[post_id]
            for code in before.keys() & after.keys():
                pairs[(programme_id, questionnaire_id, code)][run_id].append((before[code], after[code]))
        return pairs

    def _scales(self, questionnaire_ids: set[int]) -> dict[tuple[int, str], tuple[str, str, int, bool]]:
        """(questionnaire, scale code) → questionnaire name, scale name, position, higher is better: from the newest
        version that has the scale (one query, bounded by the questionnaires)."""
        found: dict[tuple[int, str], tuple[str, str, int, bool]] = {}
        for questionnaire_id, questionnaire, code, name, position, higher in (
            Scale.objects.filter(version__questionnaire_id__in=questionnaire_ids)
            .order_by("version__questionnaire_id", "-version__number", "position", "pk")
            .values_list(
                "version__questionnaire_id",
                "version__questionnaire__name",
                "code",
                "name",
                "position",
                "higher_is_better",
            )
        ):
            found.setdefault((questionnaire_id, code), (questionnaire, name, position, higher))
        return found

    # --- Trainer hours and costs -----------------------------------------------------------------------------------

    @cached_property
    def hours_rows(self) -> dict[int, HoursRow]:
        """Per programme: the runs in which the municipality's clients started in the period, with all their sessions
        that were not cancelled (also those after the period), the trainer hours of those sessions from the time
        model (switching included), and the municipality's share of those hours: per session and trainer, the
        municipality's participations in the run over all participations (three queries; the last two grouped by
        run, so their rows grow with the runs of the period, not with sessions or participants)."""
        runs = self.referrals().filter(self._in_period("started_on")).values("group_run_id")
        sessions = Session.objects.filter(group_run__in=runs, is_cancelled=False)
        run_counts = {
            row["programme_id"]: (row["runs"], row["sessions"])
            for row in sessions.values(programme_id=F("group_run__programme_id"))
            .annotate(runs=Count("group_run", distinct=True), sessions=Count("pk"))
            .order_by()
        }
        shares = {
            row["group_run_id"]: row["ours"] / row["everyone"]
            for row in Participation.objects.filter(group_run__in=runs)
            .values("group_run_id")
            .annotate(ours=Count("pk", filter=self._clients("client__")), everyone=Count("pk"))
            .order_by()
            if row["everyone"]
        }
        slots = (
            sessions.filter(group_run__trainers__isnull=False)
            .values(
                "group_run_id",
                "starts_at",
                "ends_at",
                programme_id=F("group_run__programme_id"),
                switching=Coalesce("group_run__trainers__trainer_profile__switching_minutes", 0),
            )
            .annotate(trainer_sessions=Count("pk"))
            .order_by()
        )
        attributed: dict[int, Decimal] = defaultdict(Decimal)
        for slot in slots:  # one per run, session time and trainer's switching time: bounded by the runs
            programme = self.programmes[slot["programme_id"]]
            minutes = (slot["ends_at"].hour * 60 + slot["ends_at"].minute) - (
                slot["starts_at"].hour * 60 + slot["starts_at"].minute
            )
            per_session = session_hours(programme.time_model(), minutes, slot["switching"])
            weight = shares.get(slot["group_run_id"], 0.0) * slot["trainer_sessions"]
            attributed[programme.pk] += per_session * Decimal(str(round(weight, 9)))
        return {
            programme_id: HoursRow(programme_id, runs, count, attributed[programme_id].quantize(HOUR))
            for programme_id, (runs, count) in run_counts.items()
        }

    def _attributed(self, programme_id: int) -> Decimal | Suppressed:
        """The municipality's hours, withheld when its number of participants is (the share would point to it)."""
        if isinstance(self.started_cell(programme_id), Suppressed):
            return SUPPRESSED
        return self.hours_rows[programme_id].attributed

    def hours(self) -> Section:
        """Trainer hours of the runs in which the municipality's clients started in the period (all their sessions)."""
        table = Table(
            "hours",
            _("Trainer hours"),
            [
                Column("programme", _("Programme"), Kind.TEXT),
                Column("runs", _("Groups")),
                Column("sessions", _("Sessions")),
                Column("hours", _("Trainer hours for the municipality"), Kind.HOURS),
            ],
        )
        shown = Decimal(0)
        withheld = False
        for programme_id in self._ordered(self.hours_rows):
            row = self.hours_rows[programme_id]
            attributed = self._attributed(programme_id)
            runs: Value
            sessions: Value
            if isinstance(attributed, Suppressed):
                # Sessions too: divided by the protocol's number of sessions they give the runs back.
                withheld = True
                runs = sessions = SUPPRESSED
            else:
                shown += attributed
                runs, sessions = row.runs, row.sessions
            table.rows.append([self._programme_label(programme_id), runs, sessions, attributed])
        table.total = [_("Total"), None, None, shown]
        if withheld:
            table.note = _("The total covers only the programmes whose hours are shown.")
        return Section(
            "hours",
            _("Trainer hours"),
            intro=_(
                "The runs in which the municipality's clients started in the period, with all their sessions that "
                "were not cancelled (also those after the period). Per session and trainer the time model counts the "
                "training, the preparation and reporting scaled to the session's length, arriving early, setting up "
                "and clearing up, and the trainer's switching time beside a caseload. A run shared with other "
                "municipalities counts for this municipality in proportion to its participants in the run. Hours are "
                "withheld where the number of participants is."
            ),
            tables=[table],
        )

    def costs(self) -> Section:
        """Group cost per participant (started in the period) against individual conversations for as many sessions."""
        costs = self.assumptions
        individual_hours_per_session = Decimal(
            costs.individual_minutes_per_session + costs.individual_overhead_minutes
        ) / Decimal(60)
        table = Table(
            "costs",
            _("Cost per participant: group against individual"),
            [
                Column("programme", _("Programme"), Kind.TEXT),
                Column("participants", _("Participants")),
                Column("group", _("Group, per participant"), Kind.MONEY),
                Column("individual", _("Individual, per participant"), Kind.MONEY),
                Column("difference", _("Difference"), Kind.MONEY),
                Column("ratio", _("Individual ÷ group"), Kind.NUMBER),
            ],
        )
        for programme_id in self._ordered(self.hours_rows):
            programme = self.programmes[programme_id]
            participants = self.started_cell(programme_id)
            individual = _money(programme.session_count * individual_hours_per_session * costs.consultant_hourly_rate)
            attributed = self._attributed(programme_id)
            group: Value = None
            difference: Value = None
            ratio: Value = None
            if isinstance(participants, Suppressed) or isinstance(attributed, Suppressed):
                group = difference = ratio = SUPPRESSED
            elif isinstance(participants, int) and participants > 0:
                group_cost = _money(attributed * costs.trainer_hourly_rate / participants)
                group, difference = group_cost, individual - group_cost
                ratio = float(individual / group_cost) if group_cost else None
            table.rows.append([programme.name, participants, group, individual, difference, ratio])
        return Section(
            "costs",
            _("Costs"),
            intro=_(
                "Group: the municipality's trainer hours of a programme (see trainer hours) times the trainer hourly "
                "rate, divided by the municipality's clients who started in the period (as in the reach table). "
                "Individual: what the same number of sessions would take as individual conversations, with "
                "preparation and reporting, at the consultant hourly rate. The rates and minutes are the "
                "organisation's assumptions shown with the report."
            ),
            tables=[table],
            charts=[self.costs_chart(table)],
        )

    def costs_chart(self, table: Table) -> Chart:
        """Per programme two bars, group and individual, so the difference is seen at a glance."""
        labels: list[str] = []
        values: list[float | None] = []
        for row in table.rows:
            for key, label in (("group", _("group")), ("individual", _("individual"))):
                value = row[[c.key for c in table.columns].index(key)]
                labels.append(f"{row[0]}: {label}")
                values.append(float(value) if isinstance(value, Decimal) else None)
        title = _("Cost per participant: group against individual")
        return Chart(
            title,
            bar_chart(
                title=title,
                description=_("Two bars per programme, in euros; the figures are in the table above."),
                labels=labels,
                values=values,
                value_format=lambda v: format_value(Decimal(str(v)), Kind.MONEY),
                missing_label=SUPPRESSED_LABEL,
                chart_id="financier-costs",
            ),
        )


SECTION_KEYS = ("offering", "funnel", "attendance", "waiting", "outflow", "effects", "hours", "costs")
