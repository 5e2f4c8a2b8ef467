"""Seeded placement instances at four scales, with the volumes and shares of a Dutch Participatiewet caseload.

The figures and where they come from (``shared/DOMAIN.md`` §4–5, ``shared/research/domain-reference.md`` §5.3,
``shared/research/placement.md`` §5, and the demo's working figures in ``koers/demo/data.py``):

- scales: tiny (20 clients, 4 runs: checkable by hand), small (200, 20: a quarter of a 100k-inhabitant municipality),
  medium (2,000, 150: a quarter of a G4 city), large (20,000, 1,200: a year of the four G4 cities together);
- the catalogue: the mandatory workshop on rights and duties (one session, deadline four weeks after the benefit
  application, for every new applicant, so the largest stream, 45 %; a plenary session for 15 in a small
  municipality up to 40 across the big cities), Empowermenttraining (6 sessions, 8–14, a small-group
  variant), Sollicitatietraining (6 sessions, blended variant), Budgetcursus and Taal en werk (language support);
- needs, drawn independently: low language skills 27 %, psychological conditions 20 %, cognitive limitations 10 %
  (the demo's working figures; the sources name the groups without numbers); contra-indications: acute crisis 3 %,
  active addiction 5 %;
- availability: day only 55 %, day or evening 35 %, evening only 10 %; a fifth of the runs are evening runs;
- gender (v 52 %), age bands 18–26 10 %, 27–44 38 %, 45–54 24 %, 55–66 28 % (a bijstand caseload is older);
- trainer hours of a run: the seed's 12-hour training day for 8 hours of training, i.e. 1.5 × contact hours; each
  trainer teaches one or two trainings and has 0.9 × the hours of their candidate runs, so not every run can open
  (a trainer with a single candidate run gets its hours);
- referrals arrive at an even rate from 24 days (workshop) or 10 weeks (trainings) before the planning date, so the
  backlog is half the list in a quarter's plan and a sixth in a year's.

Scarcity is deliberate but not overwhelming: support variants (small group, language or extra support, some runs
with both) hold somewhat more places than there are clients with needs, so they are lost only when they go to
whoever comes first; evening places are few; trainer budgets close a tenth of the trainer hours; minimum sizes keep
thin runs from starting; clients referred late in the horizon have few runs left before their deadline. Candidate
places exceed the clients by a half (small) or a fifth (medium), and by only a tenth at the large scale (a year of
referrals in 1,200 runs).
"""

import dataclasses
import datetime
import random
from dataclasses import dataclass
from typing import TypeVar

from koers.placement.model import Client, Group, Instance, Policy, Trainer, Training, Weights

PLANNING_DATE = datetime.date(2026, 1, 5)  # a Monday
TRAINER_BUDGET_FACTOR = 0.9
HOURS_PER_CONTACT_HOUR = 1.5  # the seed's time model: 12 trainer hours for an 8-hour training day


@dataclass(frozen=True)
class Scale:
    clients: int
    runs: int
    weeks: int  # planning horizon
    locations: tuple[str, ...]
    trainings: tuple[str, ...]  # ids of the trainings in the instance
    workshop_capacity: int  # a plenary workshop is bigger in a big city


SCALES: dict[str, Scale] = {
    "tiny": Scale(20, 4, 4, ("Centrum", "Noord"), ("RP", "EMP"), 15),
    "small": Scale(200, 20, 13, ("Centrum", "Noord", "Zuid"), ("RP", "EMP", "SOL", "BUD", "TAAL"), 20),
    "medium": Scale(
        2_000,
        150,
        13,
        ("Centrum", "Noord", "Zuid", "Oost", "West", "Nieuw-West"),
        ("RP", "EMP", "SOL", "BUD", "TAAL"),
        25,
    ),
    "large": Scale(
        20_000,
        1_200,
        52,
        tuple(
            f"{city} {district}"
            for city in ("Amsterdam", "Rotterdam", "Den Haag", "Utrecht")
            for district in ("Centrum", "Noord", "Zuid")
        ),
        ("RP", "EMP", "SOL", "BUD", "TAAL"),
        40,
    ),
}


@dataclass(frozen=True)
class Variant:
    features: tuple[str, ...]
    share: float  # of the training's runs
    capacity: int | None = None  # None: the training's own
    min_size: int | None = None


@dataclass(frozen=True)
class TrainingSpec:
    training: Training
    client_share: float
    capacity: int
    min_size: int
    trainers_per_run: int
    variants: tuple[Variant, ...]
    deadline_days: int | None = None  # days after referral, for the clients who have a deadline
    deadline_share: float = 0.0
    backlog_days: int = 70  # how far back the backlog's referrals go
    low_language_share: float | None = None  # None: the caseload's share


CRISIS, ADDICTION = "acute_crisis", "addiction"
TRAINING_SPECS: dict[str, TrainingSpec] = {
    spec.training.id: spec
    for spec in (
        TrainingSpec(
            Training("RP", "Verplichte workshop rechten en plichten", 1, 2.5, (CRISIS,)),
            client_share=0.45,
            capacity=15,
            min_size=5,
            trainers_per_run=1,
            variants=(
                Variant(("standard",), 0.45),
                Variant(("language_support",), 0.25),
                Variant(("extra_support",), 0.15),
                Variant(("language_support", "extra_support"), 0.15),
            ),
            deadline_days=28,
            deadline_share=1.0,
            backlog_days=24,
        ),
        TrainingSpec(
            Training("EMP", "Empowermenttraining", 6, 2.5, (CRISIS, ADDICTION)),
            client_share=0.17,
            capacity=14,
            min_size=8,
            trainers_per_run=2,
            variants=(
                Variant(("standard",), 0.35),
                Variant(("small_group",), 0.3, capacity=8, min_size=5),
                Variant(("language_support",), 0.15),
                Variant(("language_support", "extra_support"), 0.2),
            ),
            deadline_days=70,
            deadline_share=0.1,
        ),
        TrainingSpec(
            Training("SOL", "Sollicitatietraining", 6, 3.0, (CRISIS, ADDICTION)),
            client_share=0.18,
            capacity=15,
            min_size=8,
            trainers_per_run=2,
            variants=(
                Variant(("standard",), 0.3),
                Variant(("blended",), 0.2),
                Variant(("language_support",), 0.2),
                Variant(("extra_support",), 0.15),
                Variant(("language_support", "extra_support"), 0.15),
            ),
            deadline_days=56,
            deadline_share=0.25,
        ),
        TrainingSpec(
            Training("BUD", "Budgetcursus", 4, 2.5, (CRISIS,)),
            client_share=0.09,
            capacity=12,
            min_size=6,
            trainers_per_run=1,
            variants=(
                Variant(("standard",), 0.4),
                Variant(("small_group",), 0.3, capacity=8, min_size=4),
                Variant(("extra_support",), 0.15),
                Variant(("language_support", "extra_support"), 0.15),
            ),
            deadline_days=70,
            deadline_share=0.1,
        ),
        TrainingSpec(
            Training("TAAL", "Taal en werk", 8, 2.5, (CRISIS, ADDICTION)),
            client_share=0.11,
            capacity=12,
            min_size=6,
            trainers_per_run=1,
            variants=(
                Variant(("language_support",), 0.6),
                Variant(("language_support", "extra_support"), 0.4, capacity=10),
            ),
            low_language_share=0.85,
        ),
    )
}

NEED_SHARES = {"low_language": 0.27, "psychological": 0.20, "cognitive": 0.10}
NEED_RULES = {
    "low_language": ("language_support", "small_group"),
    "cognitive": ("extra_support", "small_group"),
    "psychological": ("small_group", "extra_support"),
}
CONTRAINDICATION_SHARES = {CRISIS: 0.03, ADDICTION: 0.05}
AVAILABILITY_SHARES = ((("day",), 0.55), (("day", "evening"), 0.35), (("evening",), 0.10))
EVENING_RUN_SHARE = 0.2
GENDER_SHARES = (("v", 0.52), ("m", 0.48))
AGE_BAND_SHARES = (("18-26", 0.10), ("27-44", 0.38), ("45-54", 0.24), ("55-66", 0.28))
BALANCE = {"gender": "v", "age_band": "18-26"}
LAST_REFERRAL_BEFORE_END = 21  # days: later referrals belong to the next plan
# Preferred locations: none, the nearest, or the nearest two.
LOCATION_PREFERENCE_SHARES = ((0, 0.25), (1, 0.60), (2, 0.15))
RUNS_PER_TRAINER = 7
SECOND_TRAINING_SHARE = 0.35

T = TypeVar("T")


def _pick(rng: random.Random, options: tuple[tuple[T, float], ...]) -> T:
    values, weights = zip(*options, strict=True)
    return rng.choices(values, weights)[0]


def _apportion(total: int, weights: dict[str, float]) -> dict[str, int]:
    """Split ``total`` in proportion to ``weights`` (largest remainder), at least one each when total allows."""
    scale = sum(weights.values())
    exact = {key: total * weight / scale for key, weight in weights.items()}
    counts = {key: max(1, int(value)) for key, value in exact.items()}
    for key in sorted(exact, key=lambda k: (int(exact[k]) - exact[k], k)):
        if sum(counts.values()) >= total:
            break
        counts[key] += 1
    return counts


def _weekday(date: datetime.date) -> datetime.date:
    """The date itself on a weekday, else the next Monday."""
    return date + datetime.timedelta(days=max(0, 7 - date.weekday()) if date.weekday() >= 5 else 0)


def _trainer_hours(training: Training) -> float:
    return round(training.sessions * training.session_hours * HOURS_PER_CONTACT_HOUR * 2) / 2


def _groups(rng: random.Random, scale: Scale, horizon_days: int) -> list[Group]:
    specs = [TRAINING_SPECS[training_id] for training_id in scale.trainings]
    # Runs in proportion to the places each training's clients need.
    run_counts = _apportion(
        scale.runs,
        {spec.training.id: spec.client_share / _capacity(spec, scale) for spec in specs},
    )
    groups = []
    for spec in specs:
        training = spec.training
        variants = tuple((variant, variant.share) for variant in spec.variants)
        for _ in range(run_counts[training.id]):
            variant = _pick(rng, variants)
            capacity = variant.capacity or _capacity(spec, scale)
            start = _weekday(PLANNING_DATE + datetime.timedelta(days=rng.randint(2, horizon_days - 5)))
            groups.append(
                Group(
                    id="",
                    training=training.id,
                    start_date=start,
                    slot="evening" if rng.random() < EVENING_RUN_SHARE else "day",
                    location=rng.choice(scale.locations),
                    capacity=capacity,
                    min_size=variant.min_size or spec.min_size,
                    features=tuple(feature for feature in variant.features if feature != "standard"),
                    trainer_hours=_trainer_hours(training),
                )
            )
    groups.sort(key=lambda group: (group.start_date, group.training, group.location, group.slot))
    return [dataclasses.replace(group, id=f"G{number:04d}") for number, group in enumerate(groups, start=1)]


def _capacity(spec: TrainingSpec, scale: Scale) -> int:
    return scale.workshop_capacity if spec.training.id == "RP" else spec.capacity


def _staff(rng: random.Random, scale: Scale, groups: list[Group]) -> tuple[list[Trainer], list[Group]]:
    """Trainers teaching one or two trainings, each run staffed by the least-loaded of them; budgets at 0.9×."""
    run_counts: dict[str, int] = {}
    for group in groups:
        run_counts[group.training] = run_counts.get(group.training, 0) + 1
    teaches: list[list[str]] = []
    for training_id in scale.trainings:
        needed = run_counts.get(training_id, 0) * TRAINING_SPECS[training_id].trainers_per_run
        pool = max(TRAINING_SPECS[training_id].trainers_per_run, round(needed / RUNS_PER_TRAINER))
        teaches.extend([training_id] for _ in range(pool))
    for trainings in teaches:
        others = [training_id for training_id in scale.trainings if training_id not in trainings]
        if others and rng.random() < SECOND_TRAINING_SHARE:
            trainings.append(rng.choice(others))
    trainer_ids = [f"T{number:03d}" for number in range(1, len(teaches) + 1)]
    load = dict.fromkeys(trainer_ids, 0.0)
    staffed = []
    for group in groups:
        candidates = [tid for tid, trainings in zip(trainer_ids, teaches, strict=True) if group.training in trainings]
        rng.shuffle(candidates)
        candidates.sort(key=lambda tid: load[tid])
        chosen = tuple(sorted(candidates[: TRAINING_SPECS[group.training].trainers_per_run]))
        for tid in chosen:
            load[tid] += group.trainer_hours
        staffed.append(dataclasses.replace(group, trainers=chosen))
    # A trainer with a single candidate run could not teach at all at 0.9×; they get that run's hours instead.
    largest = dict.fromkeys(trainer_ids, 0.0)
    for group in staffed:
        for tid in group.trainers:
            largest[tid] = max(largest[tid], group.trainer_hours)
    trainers = [
        Trainer(tid, tuple(trainings), max(round(TRAINER_BUDGET_FACTOR * load[tid], 1), largest[tid]))
        for tid, trainings in zip(trainer_ids, teaches, strict=True)
        if load[tid] > 0
    ]
    return trainers, staffed


def _client(rng: random.Random, number: int, spec: TrainingSpec, scale: Scale, horizon_days: int) -> Client:
    # Referrals arrive at an even rate; those before the planning date are the backlog still waiting.
    last_referral = max(0, horizon_days - LAST_REFERRAL_BEFORE_END)
    referral = PLANNING_DATE + datetime.timedelta(days=rng.randint(-spec.backlog_days, last_referral))
    deadline = None
    if spec.deadline_days is not None and rng.random() < spec.deadline_share:
        deadline = referral + datetime.timedelta(days=spec.deadline_days)
    shares = dict(NEED_SHARES)
    if spec.low_language_share is not None:
        shares["low_language"] = spec.low_language_share
    needs = tuple(need for need, share in shares.items() if rng.random() < share)
    contraindications = tuple(kind for kind, share in CONTRAINDICATION_SHARES.items() if rng.random() < share)
    preferred = rng.sample(scale.locations, min(len(scale.locations), _pick(rng, LOCATION_PREFERENCE_SHARES)))
    return Client(
        id=f"C{number:05d}",
        training=spec.training.id,
        referral_date=referral,
        deadline=deadline,
        needs=needs,
        availability=_pick(rng, AVAILABILITY_SHARES),
        contraindications=contraindications,
        preferred_locations=tuple(preferred),
        attributes={"gender": _pick(rng, GENDER_SHARES), "age_band": _pick(rng, AGE_BAND_SHARES)},
    )


def generate(scale: str, seed: int) -> Instance:
    """The instance ``<scale>-s<seed>``: the same scale and seed give the same instance on every machine."""
    spec = SCALES[scale]
    rng = random.Random(f"{scale}-{seed}")
    horizon_days = 7 * spec.weeks
    groups = _groups(rng, spec, horizon_days)
    trainers, groups = _staff(rng, spec, groups)
    client_counts = _apportion(
        spec.clients, {training_id: TRAINING_SPECS[training_id].client_share for training_id in spec.trainings}
    )
    training_of_client = [training_id for training_id in spec.trainings for _ in range(client_counts[training_id])]
    rng.shuffle(training_of_client)
    clients = [
        _client(rng, number, TRAINING_SPECS[training_id], spec, horizon_days)
        for number, training_id in enumerate(training_of_client, start=1)
    ]
    return Instance(
        name=f"{scale}-s{seed}",
        planning_date=PLANNING_DATE,
        horizon_end=PLANNING_DATE + datetime.timedelta(days=horizon_days),
        policy=Policy(
            lead_days=2,
            need_rules=NEED_RULES,
            balance=BALANCE,
            weights=Weights(),
            trainer_budget_factor=TRAINER_BUDGET_FACTOR,
        ),
        trainings=tuple(TRAINING_SPECS[training_id].training for training_id in spec.trainings),
        trainers=tuple(trainers),
        groups=tuple(groups),
        clients=tuple(clients),
        locations=spec.locations,
        scale=scale,
        seed=seed,
    )
