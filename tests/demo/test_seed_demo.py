"""The demo seed: realistic, fictitious, reproducible, and never duplicated."""

import hashlib
from collections import defaultdict
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F
from django.utils import timezone
from stdnum.nl import bsn as bsn_number

from koers.accounts.models import Organisation, RoleAssignment, User
from koers.accounts.roles import Role
from koers.clients.models import CONTRA_INDICATION_KINDS, Client, ClientTransfer, FlagKind, ScreeningFlag
from koers.demo import services
from koers.demo.data import DEMO_ORGANISATION_NAME
from koers.groupwork.models import (
    Attendance,
    EvaluationResponse,
    GroupRun,
    HandOff,
    Participation,
    Referral,
    RunStatus,
    Session,
    Variant,
)
from koers.trajectories.models import (
    Goal,
    IgmFactorScore,
    Instrument,
    InstrumentType,
    LifeDomainScore,
    ProgressReport,
    ProgressReportFacet,
    Trajectory,
)

PASSWORD = "demo-wachtwoord-voor-tests"
TEST_CLIENTS = 400  # the smallest organisation the caseload rules allow; seeds in well under a second

DEMO_ROLES = {
    "demo-consulent": Role.CONSULTANT,
    "demo-trainer": Role.TRAINER,
    "demo-planner": Role.PLANNER,
    "demo-teammanager": Role.TEAM_MANAGER,
    "demo-beleid": Role.POLICY,
    "demo-beheer": Role.ADMINISTRATOR,
    "demo-privacy": Role.PRIVACY_OFFICER,
}


def seed(seed: int = 1, *, clients: int | None = TEST_CLIENTS, reset: bool = False) -> Organisation:
    return services.seed_demo(password=PASSWORD, seed=seed, clients=clients, reset=reset).organisation


def digest() -> str:
    """A fingerprint of who the demo clients are, which flags they carry and what their dossiers hold."""
    kinds: dict[int, list[str]] = defaultdict(list)
    for client_id, kind in ScreeningFlag.objects.values_list("client_id", "kind"):
        kinds[client_id].append(kind)
    dossier: dict[int, list[str]] = defaultdict(list)
    queries = (
        Trajectory.objects.values_list(
            "client_id", "started_on", "ended_on", "outflow_reason", "future_perspective", "strengths", "plan_agreed_on"
        ),
        LifeDomainScore.objects.values_list(
            "assessment__trajectory__client_id", "assessment__assessed_on", "domain", "score"
        ),
        IgmFactorScore.objects.values_list("profile__trajectory__client_id", "profile__assessed_on", "factor", "score"),
        Goal.objects.values_list("trajectory__client_id", "text", "status", "target_date", "parent__text"),
        Instrument.objects.values_list(
            "trajectory__client_id", "instrument_type__name", "status", "started_on", "review_on", "planned_weeks"
        ),
        ProgressReport.objects.values_list(
            "trajectory__client_id", "written_on", "summary", "life_domain_assessment__assessed_on"
        ),
    )
    for query in queries:
        for client_id, *values in query:
            dossier[client_id].append(repr(values))
    rows = sorted(
        (bsn, first, last, tuple(sorted(kinds[pk])), tuple(sorted(dossier[pk])))
        for pk, bsn, first, last in Client.objects.values_list("pk", "bsn", "first_name", "last_name")
    )
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def table_counts() -> dict[str, int]:
    return {
        "organisations": Organisation.objects.count(),
        "staff": User.objects.count(),
        "roles": RoleAssignment.objects.count(),
        "clients": Client.objects.count(),
        "flags": ScreeningFlag.objects.count(),
        "runs": GroupRun.objects.count(),
        "participations": Participation.objects.count(),
        "sessions": Session.objects.count(),
        "referrals": Referral.objects.count(),
        "attendance": Attendance.objects.count(),
        "hand_offs": HandOff.objects.count(),
        "evaluation_responses": EvaluationResponse.objects.count(),
        "instrument_types": InstrumentType.objects.count(),
        "trajectories": Trajectory.objects.count(),
        "scores": LifeDomainScore.objects.count(),
        "factors": IgmFactorScore.objects.count(),
        "goals": Goal.objects.count(),
        "instruments": Instrument.objects.count(),
        "reports": ProgressReport.objects.count(),
        "facets": ProgressReportFacet.objects.count(),
    }


@pytest.fixture
def small() -> Organisation:
    """The real small size, as a demo visitor gets it."""
    return seed(clients=None)


@pytest.fixture
def seeded() -> Organisation:
    return seed()


@pytest.mark.django_db
def test_small_seed_creates_one_demo_login_per_role(small: Organisation) -> None:
    demo_users = User.objects.filter(is_demo_account=True)

    assert {user.username: set(user.roles) for user in demo_users} == {
        username: {role} for username, role in DEMO_ROLES.items()
    }
    assert all(user.organisation == small and user.check_password(PASSWORD) for user in demo_users)
    assert all(user.first_name and user.last_name for user in demo_users)


@pytest.mark.django_db
def test_other_staff_cannot_log_in_with_a_password(seeded: Organisation) -> None:
    others = User.objects.filter(is_demo_account=False)

    assert others.count() > 0
    assert not any(user.has_usable_password() for user in others)


@pytest.mark.django_db
def test_demo_team_manager_manages_the_demo_consultants_team(seeded: Organisation) -> None:
    consultant = User.objects.get(username="demo-consulent")
    manager = User.objects.get(username="demo-teammanager")

    assert consultant.teams.count() == 1
    assert set(manager.teams.all()) == set(consultant.teams.all())


@pytest.mark.django_db
def test_small_seed_has_the_advertised_volume(small: Organisation) -> None:
    assert Client.objects.filter(organisation=small).count() == 1_000
    assert 25 <= GroupRun.objects.filter(programme__organisation=small).count() <= 35


@pytest.mark.django_db
def test_caseloads_stay_between_60_and_150(small: Organisation) -> None:
    caseloads = dict(
        User.objects.filter(role_assignments__role=Role.CONSULTANT)
        .annotate(clients=Count("caseload"))
        .values_list("username", "clients")
    )

    assert all(60 <= size <= 150 for size in caseloads.values())
    assert caseloads["demo-consulent"] == 80
    assert not Client.objects.filter(consultant__isnull=True).exists()


@pytest.mark.django_db
def test_every_bsn_passes_the_elfproef_and_is_marked_as_demo(seeded: Organisation) -> None:
    clients = list(Client.objects.values_list("bsn", "is_demo"))

    assert len(clients) == TEST_CLIENTS
    assert all(bsn_number.is_valid(bsn) and bsn.startswith("999") for bsn, _ in clients)
    assert all(is_demo for _, is_demo in clients)
    assert len({bsn for bsn, _ in clients}) == len(clients)


@pytest.mark.django_db
def test_flag_shares_are_realistic(small: Organisation) -> None:
    bands = {
        FlagKind.LOW_LANGUAGE: (0.20, 0.34),
        FlagKind.COGNITIVE_LIMITATION: (0.06, 0.14),
        FlagKind.PSYCHOLOGICAL_CONDITION: (0.15, 0.25),
        FlagKind.ACUTE_CRISIS: (0.01, 0.06),
        FlagKind.ACTIVE_ADDICTION: (0.02, 0.08),
        FlagKind.NO_GOAL: (0.02, 0.08),
    }
    total = Client.objects.count()
    counts = dict(ScreeningFlag.objects.values_list("kind").annotate(n=Count("id")))

    for kind, (low, high) in bands.items():
        assert low <= counts.get(kind, 0) / total <= high, kind


@pytest.mark.django_db
def test_flags_are_recorded_by_the_clients_consultant_within_two_years(seeded: Organisation) -> None:
    flags = ScreeningFlag.objects.select_related("client")
    two_years_ago = timezone.now() - timedelta(days=731)

    assert all(flag.recorded_by_id == flag.client.consultant_id for flag in flags)
    assert all(two_years_ago <= flag.recorded_at <= timezone.now() for flag in flags)


@pytest.mark.django_db
def test_no_participant_has_a_contra_indication_of_the_programme(small: Organisation) -> None:
    participations = Participation.objects.select_related("group_run__programme")
    kinds: dict[int, set[str]] = defaultdict(set)
    for client_id, kind in ScreeningFlag.objects.values_list("client_id", "kind"):
        kinds[client_id].add(kind)

    assert participations.exists()
    for participation in participations:
        blocking = set(participation.group_run.programme.contra_indications)
        assert blocking <= CONTRA_INDICATION_KINDS
        assert not kinds[participation.client_id] & blocking


@pytest.mark.django_db
def test_run_sizes_fit_the_programme_and_the_room(small: Organisation) -> None:
    runs = GroupRun.objects.select_related("programme", "room").annotate(size=Count("participations"))

    for run in runs:
        small_group = run.variant == Variant.SMALL_GROUP
        assert run.size <= (run.programme.small_group_max_size if small_group else run.programme.max_size)
        assert run.size <= run.room.capacity
        if run.status in (RunStatus.RUNNING, RunStatus.COMPLETED):  # upcoming runs are still filling
            assert run.size >= (3 if small_group else run.programme.min_size)
        assert 1 <= run.trainers.count() <= 2
    assert not runs.filter(status=RunStatus.CANCELLED, size__gt=0).exists()


@pytest.mark.django_db
def test_participants_live_in_the_runs_municipality(seeded: Organisation) -> None:
    assert not Participation.objects.exclude(client__municipality=F("group_run__municipality")).exists()


@pytest.mark.django_db
def test_demo_trainer_has_upcoming_runs_with_participants(seeded: Organisation) -> None:
    trainer = User.objects.get(username="demo-trainer")
    upcoming = (
        GroupRun.objects.filter(trainers=trainer, start_date__gt=timezone.localdate())
        .annotate(size=Count("participations"))
        .filter(size__gt=0)
    )

    assert upcoming.count() >= 2
    assert hasattr(trainer, "trainer_profile")


@pytest.mark.django_db
def test_demo_trainer_meets_clients_of_the_demo_consultant(seeded: Organisation) -> None:
    shared = Participation.objects.filter(
        group_run__trainers__username="demo-trainer", client__consultant__username="demo-consulent"
    )

    assert shared.exists()


@pytest.mark.django_db
def test_every_programme_has_past_current_and_upcoming_runs(small: Organisation) -> None:
    statuses: dict[str, set[str]] = defaultdict(set)
    for slug, sessions, status in GroupRun.objects.values_list("programme__slug", "programme__session_count", "status"):
        statuses[slug].add(RunStatus.COMPLETED if status == RunStatus.CANCELLED else status)
        if sessions == 1:
            statuses[slug].add(RunStatus.RUNNING)  # a one-session workshop is never "running" for long

    assert len(statuses) == 5
    assert all(found >= {RunStatus.COMPLETED, RunStatus.RUNNING, RunStatus.PLANNED} for found in statuses.values())


@pytest.mark.django_db
def test_same_seed_gives_the_same_data() -> None:
    seed(7)
    first = digest()
    seed(7, reset=True)

    assert digest() == first


@pytest.mark.django_db
def test_different_seed_gives_different_data() -> None:
    seed(7)
    first = digest()
    seed(8, reset=True)

    assert digest() != first


@pytest.mark.django_db
def test_reset_replaces_the_demo_organisation_without_duplicates(seeded: Organisation) -> None:
    before = table_counts()
    seed(reset=True)

    assert table_counts() == before
    assert Organisation.objects.filter(name=DEMO_ORGANISATION_NAME).count() == 1


@pytest.mark.django_db
def test_reset_also_removes_what_was_added_while_using_the_demo(seeded: Organisation) -> None:
    client = Client.objects.filter(organisation=seeded).order_by("pk").first()
    assert client is not None
    assert client.consultant is not None
    colleague = User.objects.filter(organisation=seeded, role_assignments__role=Role.CONSULTANT).exclude(
        pk=client.consultant.pk
    )[0]
    ClientTransfer.objects.create(
        client=client,
        from_consultant=client.consultant,
        to_consultant=colleague,
        reason="Vervanging tijdens verlof",
        transferred_by=colleague,
    )

    seed(reset=True)

    assert not ClientTransfer.objects.exists()
    assert Organisation.objects.filter(name=DEMO_ORGANISATION_NAME).count() == 1


@pytest.mark.django_db
def test_rerun_without_reset_refuses_and_changes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KOERS_DEMO_PASSWORD", PASSWORD)
    out = StringIO()
    call_command("seed_demo", "--clients", str(TEST_CLIENTS), stdout=out)
    before = table_counts()

    with pytest.raises(CommandError, match="--reset"):
        call_command("seed_demo", "--clients", str(TEST_CLIENTS), stdout=StringIO())

    assert table_counts() == before
    assert all(username in out.getvalue() for username in DEMO_ROLES)
    assert PASSWORD in out.getvalue()


@pytest.mark.django_db
def test_if_empty_keeps_the_data_and_sets_the_demo_password(seeded: Organisation, monkeypatch) -> None:
    monkeypatch.setenv("KOERS_DEMO_PASSWORD", "nieuw-demo-wachtwoord-2026")
    before = table_counts()
    call_command("seed_demo", "--if-empty", stdout=StringIO())
    assert table_counts() == before
    consultant = User.objects.get(username="demo-consulent")
    assert consultant.check_password("nieuw-demo-wachtwoord-2026")
