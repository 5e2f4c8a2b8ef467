"""Proposing, deciding on and executing destruction lists, and the permanent destruction record."""

import datetime

import pytest
import time_machine
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.urls import reverse

from koers.audit.models import Action, AuditEvent
from koers.clients.models import Client
from koers.clients.subject_data import client_linked_models
from koers.groupwork.models import Referral, ReferralEvent
from koers.imports.models import ClientImport, ImportRejection
from koers.placement.models import PlacementProposal, ProposalLine
from koers.retention import services
from koers.retention.models import DestructionRecord, ItemOutcome, ListStatus, RecordType
from koers.trajectories.models import Trajectory
from tests.retention.conftest import closed_client, full_dossier, withdrawn_referral

pytestmark = pytest.mark.django_db

TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField, models.EmailField)

END = datetime.date(2026, 3, 16)
AFTER_TERM = datetime.datetime(2036, 3, 17, 12)


def _remaining(client_id: int) -> dict[str, int]:
    counts = {link.label: link.rows(client_id).count() for link in client_linked_models()}
    return {label: count for label, count in counts.items() if count}


def _approved(administrator, process_owner):
    destruction_list = services.propose_list(administrator)
    return services.decide(destruction_list, process_owner, approve=True, reason="Termijn verstreken")


def _execute(destruction_list, administrator) -> None:
    services.start_execution(destruction_list, administrator)
    services.execute_list(destruction_list.pk)
    destruction_list.refresh_from_db()


def test_the_seeded_dossier_fills_every_client_linked_table(municipality, consultant) -> None:
    client = full_dossier(municipality, consultant, END)
    assert set(_remaining(client.pk)) == {link.label for link in client_linked_models()}


@time_machine.travel(AFTER_TERM, tick=False)
def test_approved_and_executed_list_leaves_no_row_of_the_client(
    municipality, consultant, administrator, process_owner
) -> None:
    client = full_dossier(municipality, consultant, END)
    job = ClientImport.objects.create(
        organisation=municipality.organisation, uploaded_by=administrator, file_name="a.csv", file_format="csv"
    )
    ImportRejection.objects.create(client_import=job, row_number=2, masked_bsn=client.masked_bsn, code="email")
    destruction_list = _approved(administrator, process_owner)

    _execute(destruction_list, administrator)

    assert _remaining(client.pk) == {}
    assert not ImportRejection.objects.exists()
    record = DestructionRecord.objects.get()
    assert (record.record_type, record.object_id, record.client_number) == (
        RecordType.CLIENT_DOSSIER,
        client.pk,
        client.pk,
    )
    assert (record.executed_by, record.approved_by) == (administrator, process_owner)
    assert "8.1 / 8.3" in record.legal_basis
    assert destruction_list.status == ListStatus.EXECUTED
    deleted = AuditEvent.objects.get(action=Action.DELETE, client_id=client.pk)
    assert client.last_name not in deleted.reason


@time_machine.travel(AFTER_TERM, tick=False)
def test_no_copy_of_the_bsn_name_or_e_mail_remains_in_any_table(
    municipality, consultant, administrator, process_owner, login
) -> None:
    client = full_dossier(municipality, consultant, END)
    assert login(consultant).get(reverse("clients:detail", args=[client.pk])).status_code == 200
    markers = (client.bsn, client.last_name, client.email)
    _execute(_approved(administrator, process_owner), administrator)

    found = []
    for model in apps.get_models():
        names = [f.attname for f in model._meta.concrete_fields if isinstance(f, TEXT_FIELDS)]
        for row in model._default_manager.values_list(*names) if names else []:
            text = " ".join(str(value) for value in row)
            found += [(model._meta.label, marker) for marker in markers if marker in text]
    assert found == []


@time_machine.travel(AFTER_TERM, tick=False)
def test_nothing_is_destroyed_before_approval(municipality, consultant, administrator) -> None:
    client = closed_client(municipality, consultant, END)
    destruction_list = services.propose_list(administrator)

    with pytest.raises(ValidationError):
        services.start_execution(destruction_list, administrator)
    services.execute_list(destruction_list.pk)

    assert Client.objects.filter(pk=client.pk).exists()
    assert not DestructionRecord.objects.exists()
    destruction_list.refresh_from_db()
    assert destruction_list.status == ListStatus.PROPOSED


@time_machine.travel(AFTER_TERM, tick=False)
def test_a_rejected_list_is_never_executed(municipality, consultant, administrator, process_owner) -> None:
    client = closed_client(municipality, consultant, END)
    destruction_list = services.propose_list(administrator)
    services.decide(destruction_list, process_owner, approve=False, reason="Eerst navragen bij de gemeente")

    with pytest.raises(ValidationError):
        services.start_execution(destruction_list, administrator)
    assert Client.objects.filter(pk=client.pk).exists()


@time_machine.travel(AFTER_TERM, tick=False)
def test_the_proposer_cannot_approve(municipality, consultant, make_user) -> None:
    closed_client(municipality, consultant, END)
    both = make_user("administrator", "team_manager")
    destruction_list = services.propose_list(both)

    with pytest.raises(PermissionDenied):
        services.decide(destruction_list, both, approve=True, reason="Zelf goedgekeurd")
    destruction_list.refresh_from_db()
    assert destruction_list.status == ListStatus.PROPOSED


@time_machine.travel(AFTER_TERM, tick=False)
def test_a_list_is_decided_once(municipality, consultant, administrator, process_owner, make_user) -> None:
    closed_client(municipality, consultant, END)
    destruction_list = _approved(administrator, process_owner)

    with pytest.raises(ValidationError):
        services.decide(destruction_list, make_user("team_manager"), approve=False, reason="Toch niet")


@time_machine.travel(AFTER_TERM, tick=False)
def test_a_dossier_reopened_after_the_proposal_is_skipped(
    municipality, consultant, administrator, process_owner
) -> None:
    reopened = closed_client(municipality, consultant, END)
    expired = closed_client(municipality, consultant, END)
    destruction_list = _approved(administrator, process_owner)
    Trajectory.objects.create(client=reopened, started_on=datetime.date(2036, 3, 17), created_by=consultant)

    _execute(destruction_list, administrator)

    assert Client.objects.filter(pk=reopened.pk).exists()
    assert not Client.objects.filter(pk=expired.pk).exists()
    outcomes = dict(destruction_list.items.values_list("object_id", "outcome"))
    assert outcomes == {reopened.pk: ItemOutcome.SKIPPED, expired.pk: ItemOutcome.DESTROYED}
    assert list(DestructionRecord.objects.values_list("object_id", flat=True)) == [expired.pk]


def test_withdrawn_referral_is_destroyed_with_its_history_and_proposal_lines(
    municipality, consultant, administrator, process_owner
) -> None:
    referral = withdrawn_referral(municipality, consultant, END)
    proposal = PlacementProposal.objects.create(
        organisation=municipality.organisation, programme=referral.programme, requested_by=consultant
    )
    ProposalLine.objects.create(proposal=proposal, referral=referral, reason_code="no_run")
    with time_machine.travel(datetime.datetime(2026, 4, 28, 12), tick=False):
        destruction_list = _approved(administrator, process_owner)
        _execute(destruction_list, administrator)

    assert not Referral.objects.filter(pk=referral.pk).exists()
    assert not ReferralEvent.objects.filter(referral_id=referral.pk).exists()
    assert not ProposalLine.objects.exists()
    assert Client.objects.filter(pk=referral.client_id).exists()
    record = DestructionRecord.objects.get()
    assert (record.record_type, record.object_id, record.client_number) == (
        RecordType.WITHDRAWN_REFERRAL,
        referral.pk,
        referral.client_id,
    )


def test_withdrawn_referral_is_kept_41_days_after_the_withdrawal(municipality, consultant, administrator) -> None:
    withdrawn_referral(municipality, consultant, END)
    with (
        time_machine.travel(datetime.datetime(2026, 4, 26, 12), tick=False),
        pytest.raises(services.NothingToProposeError),
    ):
        services.propose_list(administrator)


@time_machine.travel(AFTER_TERM, tick=False)
def test_destruction_records_cannot_be_changed_or_deleted(
    municipality, consultant, administrator, process_owner
) -> None:
    closed_client(municipality, consultant, END)
    _execute(_approved(administrator, process_owner), administrator)
    record = DestructionRecord.objects.get()

    with pytest.raises(PermissionError):
        record.delete()
    with pytest.raises(PermissionError):
        DestructionRecord.objects.all().delete()
    with pytest.raises(PermissionError):
        DestructionRecord.objects.update(rule="")
    record.rule = "changed"
    with pytest.raises(PermissionError):
        record.save()
    assert DestructionRecord.objects.get().rule != "changed"


@time_machine.travel(AFTER_TERM, tick=False)
def test_only_the_organisations_administrator_proposes(municipality, consultant, process_owner) -> None:
    closed_client(municipality, consultant, END)
    with pytest.raises(PermissionDenied):
        services.propose_list(process_owner)


@time_machine.travel(AFTER_TERM, tick=False)
def test_propose_command_writes_a_list(municipality, consultant, administrator) -> None:
    from django.core.management import call_command

    client = closed_client(municipality, consultant, END)
    call_command("propose_destruction_list", username=administrator.username)

    item = administrator.organisation.destruction_lists.get().items.get()
    assert (item.object_id, item.client_number, item.municipality, item.end_date) == (
        client.pk,
        client.pk,
        municipality,
        END,
    )
