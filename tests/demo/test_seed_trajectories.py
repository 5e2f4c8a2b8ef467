"""The demo dossiers: trajectories with diagnosis, plan and progress that make the caseload signals show."""

from collections import Counter

import pytest
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from koers.accounts.models import Organisation, User
from koers.caseload.selectors import SIGNALS, caseload_for, caseload_summary
from koers.clients.models import Client
from koers.demo import services
from koers.demo.data import DEMO_ORGANISATION_NAME
from koers.trajectories.models import (
    Goal,
    IgmFactorScore,
    IgmProfile,
    Instrument,
    InstrumentKind,
    InstrumentStatus,
    InstrumentType,
    LifeDomainAssessment,
    LifeDomainScore,
    ProgressReport,
    ProgressReportFacet,
    Trajectory,
)

PASSWORD = "demo-wachtwoord-voor-tests"
TEST_CLIENTS = 400


def open_trajectory_clients(clients: QuerySet[Client]) -> int:
    return Trajectory.objects.filter(client__in=clients, ended_on__isnull=True).values("client").distinct().count()


@pytest.fixture
def seeded() -> Organisation:
    return services.seed_demo(password=PASSWORD, seed=3, clients=TEST_CLIENTS).organisation


@pytest.mark.django_db
def test_catalogue_has_the_usual_instruments_and_one_per_programme(seeded: Organisation) -> None:
    catalogue = dict(InstrumentType.objects.filter(organisation=seeded).values_list("name", "kind"))

    assert catalogue["Individuele coaching"] == InstrumentKind.COACHING
    assert catalogue["Empowermenttraining"] == InstrumentKind.GROUP_PROGRAMME
    assert catalogue["Werkervaringsplaats"] == InstrumentKind.WORK_EXPERIENCE
    assert catalogue["Schuldhulpverlening (verwijzing)"] == InstrumentKind.DEBT_HELP
    assert catalogue["Werkfit met taalondersteuning"] == InstrumentKind.GROUP_PROGRAMME
    assert Counter(catalogue.values())[InstrumentKind.GROUP_PROGRAMME] == 5
    assert len(catalogue) == 11


@pytest.mark.django_db
def test_demo_consultant_has_an_open_trajectory_for_every_client(seeded: Organisation) -> None:
    caseload = Client.objects.filter(consultant__username="demo-consulent")

    assert caseload.count() == 80
    assert open_trajectory_clients(caseload) == 80


@pytest.mark.django_db
def test_most_other_clients_have_an_open_trajectory(seeded: Organisation) -> None:
    others = Client.objects.exclude(consultant__username="demo-consulent")
    share = open_trajectory_clients(others) / others.count()

    assert 0.6 <= share <= 0.8


@pytest.mark.django_db
def test_every_caseload_signal_shows_for_the_demo_consultant(seeded: Organisation) -> None:
    consultant = User.objects.get(username="demo-consulent")
    today = timezone.localdate()
    summary = caseload_summary(consultant, today=today)
    rows = list(caseload_for(consultant, today=today))

    assert summary["clients"] == 80
    for signal in SIGNALS:
        assert summary[signal.name] >= 1, signal.name
        assert summary[signal.name] < 80 * 0.5, signal.name  # a minority, not the whole caseload
    assert sum(1 for row in rows if row.signal_count) == summary["with_any_signal"]


@pytest.mark.django_db
def test_ended_trajectories_have_an_outflow_reason_and_finished_instruments(seeded: Organisation) -> None:
    ended = Trajectory.objects.filter(ended_on__isnull=False)

    assert ended.exists()
    assert not ended.filter(outflow_reason="").exists()
    assert not ended.filter(ended_on__lt=F("started_on")).exists()
    assert not Instrument.objects.filter(
        trajectory__ended_on__isnull=False, status__in=(InstrumentStatus.PLANNED, InstrumentStatus.ACTIVE)
    ).exists()
    assert not Trajectory.objects.filter(ended_on__isnull=True, outflow_reason__gt="").exists()


@pytest.mark.django_db
def test_dossier_records_are_complete_and_by_the_clients_consultant(seeded: Organisation) -> None:
    consultant = F("trajectory__client__consultant")

    assert not Trajectory.objects.exclude(created_by=F("client__consultant")).exists()
    assert not LifeDomainAssessment.objects.exclude(assessed_by=consultant).exists()
    assert not IgmProfile.objects.exclude(assessed_by=consultant).exists()
    assert not ProgressReport.objects.exclude(author=consultant).exists()
    assert not LifeDomainAssessment.objects.annotate(n=Count("scores")).exclude(n=8).exists()
    assert not IgmProfile.objects.annotate(n=Count("factors")).exclude(n=6).exists()
    assert not ProgressReport.objects.annotate(n=Count("facets")).exclude(n=6).exists()
    assert not Trajectory.objects.annotate(n=Count("life_domain_assessments")).filter(Q(n=0) | Q(n__gt=3)).exists()
    assert not Trajectory.objects.annotate(n=Count("goals", filter=Q(goals__parent=None))).filter(n=0).exists()
    assert not Trajectory.objects.annotate(n=Count("progress_reports")).filter(n__gt=4).exists()
    assert not Goal.objects.exclude(parent=None).exclude(parent__trajectory=F("trajectory")).exists()
    assert not Instrument.objects.exclude(goal__trajectory=F("trajectory")).exists()
    assert not Instrument.objects.exclude(instrument_type__organisation=seeded).exists()
    assert not Instrument.objects.filter(status=InstrumentStatus.STOPPED, stop_reason="").exists()
    assert not ProgressReport.objects.filter(written_on__lt=F("trajectory__started_on")).exists()
    assert not ProgressReport.objects.filter(life_domain_assessment__assessed_on__gt=F("written_on")).exists()
    assert IgmFactorScore.objects.exclude(description="").exists()


@pytest.mark.django_db
def test_scores_stay_mostly_between_2_and_4_with_few_urgent_barriers(seeded: Organisation) -> None:
    scores = Counter(LifeDomainScore.objects.values_list("score", flat=True))
    total = sum(scores.values())

    assert (scores[2] + scores[3] + scores[4]) / total > 0.75
    assert 0 < scores[1] / total < 0.06  # about 5%, depending on the seed
    assert set(Instrument.objects.values_list("status", flat=True)) == set(InstrumentStatus.values)


@pytest.mark.django_db
def test_reset_removes_the_dossiers(seeded: Organisation) -> None:
    services.seed_demo(password=PASSWORD, seed=4, clients=TEST_CLIENTS, reset=True)
    organisation = Organisation.objects.get(name=DEMO_ORGANISATION_NAME)
    counts = (Trajectory.objects.count(), ProgressReportFacet.objects.count(), InstrumentType.objects.count())

    services.delete_demo_organisation(organisation)

    assert counts[0] > 0
    assert counts[1] > 0
    assert counts[2] == 11
    assert not Organisation.objects.filter(name=DEMO_ORGANISATION_NAME).exists()
    for model in (Trajectory, LifeDomainAssessment, IgmProfile, Goal, Instrument, InstrumentType, ProgressReport):
        assert not model.objects.exists(), model.__name__
