import pytest
from django.urls import reverse

from koers.accounts.roles import Role
from koers.audit.models import Action, AuditEvent
from tests import factories
from tests.helpers import assert_query_budget

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainer_run(make_user, organisation):
    trainer = make_user(Role.TRAINER)
    run = factories.GroupRunFactory(programme__organisation=organisation, trainers=[trainer])
    return trainer, run


def test_trainer_sees_own_runs_only(trainer_run, organisation, login) -> None:
    trainer, run = trainer_run
    other = factories.GroupRunFactory(programme__organisation=organisation, programme__name="SOVA-training")
    html = login(trainer).get(reverse("groupwork:runs")).content.decode()
    assert run.programme.name in html
    assert other.programme.name not in html


def test_run_detail_lists_participants_and_audits_the_read(trainer_run, organisation, login) -> None:
    trainer, run = trainer_run
    participations = factories.ParticipationFactory.create_batch(2, group_run=run, client__organisation=organisation)
    html = login(trainer).get(reverse("groupwork:run_detail", args=[run.pk])).content.decode()
    for participation in participations:
        assert participation.client.full_name in html
    read = set(AuditEvent.objects.filter(action=Action.READ, actor=trainer).values_list("client_id", flat=True))
    assert read == {p.client_id for p in participations}


def test_run_list_query_budget(trainer_run, organisation, login) -> None:
    trainer, _run = trainer_run

    def more_runs() -> None:
        for _ in range(5):
            run = factories.GroupRunFactory(programme__organisation=organisation, trainers=[trainer])
            factories.ParticipationFactory.create_batch(2, group_run=run, client__organisation=organisation)

    assert_query_budget(login(trainer), reverse("groupwork:runs"), budget=10, grow=more_runs)


def test_run_detail_query_budget(trainer_run, organisation, login) -> None:
    trainer, run = trainer_run
    factories.ParticipationFactory(group_run=run, client__organisation=organisation)

    def more_participants() -> None:
        factories.ParticipationFactory.create_batch(6, group_run=run, client__organisation=organisation)
        run.trainers.add(factories.UserFactory(organisation=organisation, roles=[Role.TRAINER]))

    assert_query_budget(
        login(trainer), reverse("groupwork:run_detail", args=[run.pk]), budget=14, grow=more_participants
    )
