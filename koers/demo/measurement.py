"""Demo effect measurement: the starter questionnaire and repeated measurements in open trajectories.

Scores follow the dossier: a trajectory's first IGM profile and life-domain assessment set where its scales start,
its latest ones where they go, with a personal course on top (most change little, some improve clearly, a few
decline) and noise per measurement and per answer. Answers are drawn per item; the scale scores are computed from
them with the product's own rule (``koers.measurement.scoring``), so the two always agree.

Every client of the demo consultant is measured from the start of the trajectory, of the others a share per size,
plus everyone who finished a group run, measured shortly before and after it (the group effects pairing). Some
clients get a baseline phase: a few measurements weeks apart before an instrument starts, so the single-case
statistics have two phases to compare.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Q

from koers.accounts.models import Organisation, User
from koers.demo.bulk import delete_rows, insert_rows
from koers.demo.groupwork import RunPlan
from koers.demo.plans import TrajectoryPlan, aware
from koers.groupwork.models import RunStatus
from koers.measurement.models import (
    Measurement,
    MeasurementAnswer,
    MeasurementLink,
    MeasurementPolicy,
    MeasurementStatus,
    Moment,
    Phase,
    Questionnaire,
    QuestionnaireVersion,
    Respondent,
    ScaleScore,
)
from koers.measurement.scoring import ItemRule, scale_scores
from koers.measurement.starter import STARTER_ITEMS, STARTER_SCALES, install_starter_questionnaire
from koers.principles.models import PrincipleSnapshot
from koers.trajectories.models import IgmFactor, LifeDomain, Trajectory

BATCH_SIZE = 2_000
INTERVAL = timedelta(weeks=MeasurementPolicy().interval_weeks)  # the default policy; also the "measurement due" period
# Per size: the share of open trajectories measured besides the demo consultant's caseload and group participants,
# and the share of finished group runs whose participants were measured before and after (the demo trainer's always).
# The small demo measures everyone, as its policy asks (an unmeasured trajectory shows "measurement due"); the large
# one, for benchmarks, a part to keep seeding fast.
MEASURED_SHARE = {"small": 1.0, "large": 0.03}
MEASURED_RUN_SHARE = {"small": 1.0, "large": 0.06}
BASELINE_SHARE = 0.25  # measured trajectories that start with a baseline phase, when an instrument allows one
OVERDUE_SHARE = 0.12  # measured trajectories whose latest measurement is due and still open
PROFESSIONAL_SHARE = 0.2  # measurements entered by the consultant in a conversation
COURSES = (("stable", 0.55), ("improving", 0.32), ("declining", 0.13))
ITEM_NOISE = 0.45  # spread of one answer around its scale's level
GROUP_WINDOW_DAYS = MeasurementPolicy().group_window_days  # the demo keeps the default policy
DEMO_BASELINE_CLIENTS = 3

# Scale keys in STARTER_SCALES order: the dossier's IGM factors, then its life domains.
SCALE_KEYS = [scale.igm_factor or scale.life_domain for scale in STARTER_SCALES]
FACTORS = list(IgmFactor.values)
DOMAINS = list(LifeDomain.values)
ITEM_SCALES = [next(i for i, s in enumerate(STARTER_SCALES) if s.code == item.scale) for item in STARTER_ITEMS]


@dataclass
class MeasurementPlan:
    moment: str
    phase: str
    due_on: date
    taken_on: date | None  # None: open, not yet answered
    respondent: str = Respondent.CLIENT
    answers: list[int] = field(default_factory=list)  # in STARTER_ITEMS order
    link: bool = False  # an open measurement whose personal link went out


@dataclass
class SeriesPlan:
    trajectory: int  # index in the dossiers
    consultant: int  # staff index
    measurements: list[MeasurementPlan]


@dataclass
class _Course:
    """Where each scale starts and ends (1-5), and from when it moves."""

    start: list[float]
    end: list[float]
    moves_from: date
    until: date
    noise: list[float]  # per scale: spread of a measurement around the course
    bumps: list[tuple[date, list[float]]] = field(default_factory=list)  # (from, change per scale): group programmes

    def level(self, scale: int, day: date) -> float:
        span = max(1, (self.until - self.moves_from).days)
        share = min(1.0, max(0.0, (day - self.moves_from).days / span))
        bump = sum(change[scale] for since, change in self.bumps if day >= since)
        return self.start[scale] + (self.end[scale] - self.start[scale]) * share + bump


def plan_measurements(
    dossiers: list[TrajectoryPlan],
    runs: list[RunPlan],
    referral_trajectories: Sequence[int],
    demo_consultant: int,
    size: str,
    rng: random.Random,
    today: date,
) -> list[SeriesPlan]:
    """Measurement series for the open trajectories chosen, in dossier order.

    ``referral_trajectories`` gives per group referral the dossier index it came from.
    """
    share = MEASURED_SHARE.get(size, MEASURED_SHARE["large"])
    run_share = MEASURED_RUN_SHARE.get(size, MEASURED_RUN_SHARE["large"])
    measured_runs = [run for run in runs if run.for_demo_trainer or rng.random() < run_share]
    windows = _group_windows(measured_runs, referral_trajectories, today)
    demo_open = [i for i, plan in enumerate(dossiers) if plan.ended_on is None and plan.consultant == demo_consultant]
    demo_baseline = _demo_baseline_choice(dossiers, demo_open, windows, today)
    free = [i for i in demo_open if i not in demo_baseline and i not in windows]
    demo_overdue = free[:2]  # the first with a link sent, the second without one
    series = []
    for index, plan in enumerate(dossiers):
        if plan.ended_on is not None:
            continue
        measured = plan.consultant == demo_consultant or index in windows or rng.random() < share
        if not measured:
            continue
        boundary = demo_baseline.get(index)
        if boundary is None and rng.random() < BASELINE_SHARE:
            boundary = _instrument_start(plan, today)
        overdue = index in demo_overdue or (
            index not in demo_baseline and index not in windows and rng.random() < OVERDUE_SHARE
        )
        measurements = _series(
            plan,
            rng,
            today,
            boundary=boundary,
            baseline_points=4 if index in demo_baseline else rng.randint(2, 4),
            windows=windows.get(index, []),
            overdue=overdue,
            link=index == demo_overdue[0] if index in demo_overdue else rng.random() < 0.5,
            clear_improvement=index == next(iter(demo_baseline), None),
        )
        if measurements:
            series.append(SeriesPlan(index, plan.consultant, measurements))
    return series


def _group_windows(
    runs: list[RunPlan], referral_trajectories: Sequence[int], today: date
) -> dict[int, list[tuple[date, date]]]:
    """Per trajectory, the first and last session of each group run it completed."""
    windows: dict[int, list[tuple[date, date]]] = {}
    for run in runs:
        if run.status != RunStatus.COMPLETED or not run.dates or run.dates[-1] >= today:
            continue
        first, last = min(run.start_date, run.dates[0]), run.dates[-1]
        for participation in run.participations:
            if participation.left_on is None:
                windows.setdefault(referral_trajectories[participation.referral], []).append((first, last))
    return windows


def _instrument_start(plan: TrajectoryPlan, today: date) -> date | None:
    """The start of an instrument a few weeks into the trajectory (room for a baseline before it) and half a year
    ago at least (room for three measurements after it)."""
    earliest, latest = _boundary_range(plan, today)
    starts = sorted(
        item.started_on for item in plan.instruments if item.started_on and earliest <= item.started_on <= latest
    )
    return starts[0] if starts else None


def _boundary_range(plan: TrajectoryPlan, today: date) -> tuple[date, date]:
    return plan.started_on + timedelta(days=35), min(
        plan.started_on + timedelta(days=200), today - 2 * INTERVAL - timedelta(days=14)
    )


def _demo_baseline_choice(
    dossiers: list[TrajectoryPlan], demo_open: list[int], windows: dict[int, list[tuple[date, date]]], today: date
) -> dict[int, date]:
    """The demo consultant's clients that show both phases, each with the date that ends the baseline: an
    instrument's start, or without enough of those, six weeks after the plan was agreed."""
    chosen: dict[int, date] = {}
    outside_groups = [i for i in demo_open if i not in windows]
    for index in outside_groups:
        start = _instrument_start(dossiers[index], today)
        if start is not None and len(chosen) < DEMO_BASELINE_CLIENTS:
            chosen[index] = start
    for index in outside_groups:
        if len(chosen) >= DEMO_BASELINE_CLIENTS:
            break
        earliest, latest = _boundary_range(dossiers[index], today)
        start = max(earliest, (dossiers[index].plan_agreed_on or earliest) + timedelta(days=42))
        if index not in chosen and start <= latest:
            chosen[index] = start
    return chosen


def _series(
    plan: TrajectoryPlan,
    rng: random.Random,
    today: date,
    *,
    boundary: date | None,
    baseline_points: int,
    windows: list[tuple[date, date]],
    overdue: bool,
    link: bool,
    clear_improvement: bool,
) -> list[MeasurementPlan]:
    """The start measurement, the interim ones on the policy's grid (every 13 weeks from the start), a baseline
    before ``boundary`` with one measurement as the instrument starts, and a measurement before and after each
    group run finished."""
    first = plan.started_on + timedelta(days=rng.randint(0, 14))
    if first > today:
        return []
    points: list[tuple[date, str]] = [(first, Moment.START)]  # (due date, moment)
    due = plan.started_on + INTERVAL
    while due <= today:
        points.append((due, Moment.INTERIM))
        due += INTERVAL
    if boundary is not None:
        before = sum(1 for day, _ in points if day < boundary)
        extra = max(0, baseline_points - before)
        gap = (boundary - first).days // (extra + 1)
        points += [(first + timedelta(days=gap * k), Moment.EXTRA) for k in range(1, extra + 1)]
        points.append((boundary + timedelta(days=rng.randint(3, 10)), Moment.EXTRA))
    open_due = None
    if overdue:
        last = max(i for i, (_, moment) in enumerate(points) if moment != Moment.EXTRA)
        open_due = points.pop(last)[0]
    regular = [day for day, moment in points if moment != Moment.EXTRA]
    for first_session, last_session in windows:
        if not any(first_session - timedelta(days=35) <= day <= first_session - timedelta(days=7) for day in regular):
            points.append((first_session - timedelta(days=rng.randint(3, 28)), Moment.EXTRA))
        post = last_session + timedelta(days=rng.randint(1, 21))
        if post <= today and not any(
            last_session + timedelta(days=3) <= day <= last_session + timedelta(days=35) for day in regular
        ):
            points.append((post, Moment.EXTRA))
    points.sort()

    course = _course(plan, rng, boundary or first, today, windows, clear_improvement)
    measurements = []
    last_regular = max((i for i, (_, moment) in enumerate(points) if moment != Moment.EXTRA), default=None)
    for position, (due_on, moment) in enumerate(points):
        if moment == Moment.EXTRA:
            taken = due_on  # a baseline point, the instrument's start or a group run's pre or post: as planned
        else:
            taken = due_on + timedelta(days=rng.randint(-2, 6))
            if open_due is not None:
                taken = min(taken, open_due - INTERVAL - timedelta(days=1))
            elif position == last_regular:
                taken = max(taken, today - timedelta(days=80))  # measured on schedule: nothing is due yet
        taken = max(plan.started_on, min(taken, today))
        phase = Phase.BASELINE if boundary is not None and taken < boundary else Phase.INTERVENTION
        respondent = Respondent.PROFESSIONAL if rng.random() < PROFESSIONAL_SHARE else Respondent.CLIENT
        measurements.append(MeasurementPlan(moment, phase, due_on, taken, respondent, _answers(course, taken, rng)))
    measurements.sort(key=lambda m: m.taken_on or today)
    if open_due is not None:
        phase = Phase.BASELINE if boundary is not None and open_due < boundary else Phase.INTERVENTION
        moment = Moment.INTERIM if measurements else Moment.START
        measurements.append(MeasurementPlan(moment, phase, open_due, None, link=link))
    return measurements


def _course(
    plan: TrajectoryPlan,
    rng: random.Random,
    moves_from: date,
    today: date,
    windows: list[tuple[date, date]],
    clear_improvement: bool,
) -> _Course:
    first_profile, last_profile = plan.profiles[0][2], plan.profiles[-1][2]
    first_scan, last_scan = plan.assessments[0][1], plan.assessments[-1][1]
    start, end, noise = [], [], []
    course = rng.choices([name for name, _ in COURSES], weights=[w for _, w in COURSES])[0]
    moving = set(rng.sample(range(len(SCALE_KEYS)), rng.randint(2, 5)))
    for scale, key in enumerate(SCALE_KEYS):
        if key in FACTORS:
            begin, finish = first_profile[FACTORS.index(key)], last_profile[FACTORS.index(key)]
        else:
            begin, finish = first_scan[DOMAINS.index(key)], last_scan[DOMAINS.index(key)]
        level = begin + rng.gauss(0, 0.35)
        change = (finish - begin) * 0.6
        if scale in moving:
            change += {"stable": 0.0, "improving": rng.uniform(0.6, 1.6), "declining": -rng.uniform(0.6, 1.3)}[course]
        start.append(level)
        end.append(level + change)
        noise.append(0.25)
    if clear_improvement:
        efficacy = SCALE_KEYS.index(IgmFactor.SELF_EFFICACY)
        start[efficacy], end[efficacy], noise[efficacy] = 2.0, 4.5, 0.0
    result = _Course(start, end, moves_from, today - timedelta(days=45), noise)
    for _, last_session in windows:
        # A finished group programme lifts the "willen" factors a little, more for some than for others.
        lift = rng.uniform(-0.1, 0.5)
        result.bumps.append((last_session, [lift if key in FACTORS[:4] else 0.0 for key in SCALE_KEYS]))
    return result


def _answers(course: _Course, day: date, rng: random.Random) -> list[int]:
    """One answer per item: the scale's level that day plus noise, reverse-scored items given the other way round.
    A scale without noise (the demo's clear improvement) is answered exactly at its level."""
    levels = [
        course.level(s, day) + (rng.gauss(0, course.noise[s]) if course.noise[s] else 0.0)
        for s in range(len(SCALE_KEYS))
    ]
    answers = []
    for item, scale in zip(STARTER_ITEMS, ITEM_SCALES, strict=True):
        spread = ITEM_NOISE if course.noise[scale] else 0.0
        value = min(5, max(1, round(levels[scale] + (rng.gauss(0, spread) if spread else 0.0))))
        answers.append(6 - value if item.reverse_scored else value)
    return answers


# --- Writing ----------------------------------------------------------------------------------------------------


def write_measurements(
    organisation: Organisation,
    series: list[SeriesPlan],
    users: list[User],
    trajectory_keys: list[int],
    today: date,
) -> dict[str, int]:
    """The starter questionnaire, then the measurements with their answers, scale scores and links."""
    questionnaire = install_starter_questionnaire(organisation)
    version = QuestionnaireVersion.objects.get(questionnaire=questionnaire, number=1)
    items = list(version.items.order_by("position"))
    rules = [ItemRule(item.pk, item.scale_id, item.reverse_scored) for item in items]
    low, high = version.answer_min, version.answer_max
    counts = dict.fromkeys(("measurements", "measurement_answers", "scale_scores", "measurement_links"), 0)
    flat = [(s, m) for s in series for m in s.measurements]
    for start in range(0, len(flat), BATCH_SIZE):
        chunk = flat[start : start + BATCH_SIZE]
        created = Measurement.objects.bulk_create(
            [
                Measurement(
                    trajectory_id=trajectory_keys[s.trajectory],
                    version=version,
                    moment=m.moment,
                    phase=m.phase,
                    respondent=m.respondent,
                    status=MeasurementStatus.COMPLETED if m.taken_on else MeasurementStatus.OPEN,
                    due_on=m.due_on,
                    taken_on=m.taken_on,
                    # Stored on the day taken: group effects count only what was recorded in time.
                    completed_at=aware(m.taken_on, 12, 0) if m.taken_on else None,
                    created_by=users[s.consultant],
                    entered_by=users[s.consultant] if m.taken_on and m.respondent == Respondent.PROFESSIONAL else None,
                )
                for s, m in chunk
            ]
        )
        answered = [(row.pk, m) for row, (_, m) in zip(created, chunk, strict=True) if m.taken_on]
        counts["measurements"] += len(created)
        counts["measurement_answers"] += insert_rows(
            MeasurementAnswer,
            ("measurement", "item", "value"),
            ((pk, rule.item_id, value) for pk, m in answered for rule, value in zip(rules, m.answers, strict=True)),
        )
        counts["scale_scores"] += insert_rows(
            ScaleScore, ("measurement", "scale", "score"), _score_rows(answered, rules, low, high)
        )
        counts["measurement_links"] += insert_rows(
            MeasurementLink,
            ("measurement", "token_hash", "expires_at", "used_at", "created_by", "created_at"),
            _link_rows(created, chunk, users, today),
        )
    return counts


def _score_rows(
    answered: list[tuple[int, MeasurementPlan]], rules: list[ItemRule], low: int, high: int
) -> Iterator[tuple[int, int, str]]:
    """Scale scores by the product's rule; as text, the way Django hands a decimal to SQLite."""
    for pk, m in answered:
        given = {rule.item_id: value for rule, value in zip(rules, m.answers, strict=True)}
        for scale_id, score in scale_scores(rules, given, low=low, high=high).items():
            yield pk, scale_id, str(score)


def _link_rows(
    created: list[Measurement], chunk: list[tuple[SeriesPlan, MeasurementPlan]], users: list[User], today: date
) -> Iterator[tuple[int, str, datetime, None, int, datetime]]:
    """Links to open measurements, sent when due (at most twelve days ago, so still valid); the hash is of nothing
    anyone holds, so no link can be used."""
    for row, (s, m) in zip(created, chunk, strict=True):
        if m.link and m.taken_on is None:
            sent = aware(max(m.due_on, today - timedelta(days=12)), 10, 0)
            token_hash = hashlib.sha256(f"koers-demo-measurement-{row.pk}".encode()).hexdigest()
            yield row.pk, token_hash, sent + timedelta(days=14), None, users[s.consultant].pk, sent


def delete_measurements(organisation: Organisation) -> None:
    """Measurements and questionnaires of the organisation, leaves first (a questionnaire protects its versions)."""
    in_org = Q(measurement__trajectory__client__organisation=organisation)
    delete_rows(MeasurementLink.objects.filter(in_org))
    delete_rows(MeasurementAnswer.objects.filter(in_org))
    delete_rows(ScaleScore.objects.filter(in_org))
    delete_rows(Measurement.objects.filter(trajectory__client__organisation=organisation))
    MeasurementPolicy.objects.filter(organisation=organisation).delete()
    for version in QuestionnaireVersion.objects.filter(questionnaire__organisation=organisation):
        version.delete()
    Questionnaire.objects.filter(organisation=organisation).delete()
    PrincipleSnapshot.objects.filter(organisation=organisation).delete()


def trajectory_keys(organisation: Organisation, expected: int) -> list[int]:
    """The keys of the organisation's trajectories in the order they were written (the dossiers' order)."""
    keys = list(
        Trajectory.objects.filter(client__organisation=organisation).order_by("pk").values_list("pk", flat=True)
    )
    if len(keys) != expected:
        raise ValueError(f"{len(keys)} trajectories written, {expected} planned.")
    return keys
