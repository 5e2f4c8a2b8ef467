"""Which records are candidates for destruction, and from which day (the archive action date)."""

import datetime

import pytest
import time_machine

from koers.clients.models import Client
from koers.groupwork.models import ReferralEvent, ReferralStatus
from koers.retention.models import LegalHold, RecordType, RetentionRule
from koers.retention.selectors import candidates, rules_for
from koers.retention.services import store_default_rules
from koers.trajectories.models import Trajectory
from tests import factories
from tests.groupwork_factories import ReferralFactory
from tests.retention.conftest import closed_client, withdrawn_referral

pytestmark = pytest.mark.django_db

END = datetime.date(2026, 3, 16)


def _on(day: datetime.date) -> time_machine.travel:
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(12)), tick=False)


def _dossiers(organisation_id: int) -> list[int]:
    return [c.object_id for c in candidates(organisation_id) if c.record_type == RecordType.CLIENT_DOSSIER]


def _referrals(organisation_id: int) -> list[int]:
    return [c.object_id for c in candidates(organisation_id) if c.record_type == RecordType.WITHDRAWN_REFERRAL]


def test_defaults_follow_the_selectielijst(organisation) -> None:
    rules = rules_for(organisation)
    assert {(t, r.term, r.unit, r.selectielijst_code) for t, r in rules.items()} == {
        (RecordType.CLIENT_DOSSIER, 10, "years", "8.1 / 8.3"),
        (RecordType.WITHDRAWN_REFERRAL, 42, "days", "8.4.1"),
        (RecordType.AUTHENTICATION_LOG, 6, "months", "19.1.24"),
    }


def test_defaults_are_stored_once_and_a_configured_term_wins(organisation) -> None:
    store_default_rules(organisation.pk)
    store_default_rules(organisation.pk)
    assert RetentionRule.objects.filter(organisation=organisation).count() == 3
    RetentionRule.objects.filter(record_type=RecordType.CLIENT_DOSSIER).update(term=12)
    assert rules_for(organisation)[RecordType.CLIENT_DOSSIER].term == 12


def test_closing_a_trajectory_sets_the_action_date_ten_years_later(organisation, municipality, consultant) -> None:
    client = closed_client(municipality, consultant, END)
    with _on(datetime.date(2036, 3, 17)):
        [candidate] = candidates(organisation.pk)
    assert (candidate.object_id, candidate.end_date, candidate.action_date) == (
        client.pk,
        END,
        datetime.date(2036, 3, 16),
    )


def test_dossier_is_no_candidate_the_day_before_its_action_date(organisation, municipality, consultant) -> None:
    closed_client(municipality, consultant, END)
    with _on(datetime.date(2036, 3, 15)):
        assert _dossiers(organisation.pk) == []


def test_dossier_is_a_candidate_the_day_after_its_action_date(organisation, municipality, consultant) -> None:
    client = closed_client(municipality, consultant, END)
    with _on(datetime.date(2036, 3, 17)):
        assert _dossiers(organisation.pk) == [client.pk]


def test_the_last_trajectory_counts(organisation, municipality, consultant) -> None:
    client = closed_client(municipality, consultant, END)
    Trajectory.objects.create(
        client=client, started_on=END, ended_on=END + datetime.timedelta(days=30), created_by=consultant
    )
    with _on(datetime.date(2036, 3, 17)):
        assert _dossiers(organisation.pk) == []


def test_an_open_trajectory_or_referral_keeps_the_dossier(organisation, municipality, consultant) -> None:
    reopened = closed_client(municipality, consultant, END)
    Trajectory.objects.create(client=reopened, started_on=END, created_by=consultant)
    referred = closed_client(municipality, consultant, END)
    ReferralFactory(client=referred, instrument__trajectory=referred.trajectories.get(), status=ReferralStatus.WAITING)
    with _on(datetime.date(2040, 1, 1)):
        assert _dossiers(organisation.pk) == []


def test_a_held_client_never_appears(organisation, municipality, consultant) -> None:
    client = closed_client(municipality, consultant, END)
    withdrawn = withdrawn_referral(municipality, consultant, END)
    LegalHold.objects.create(client=client, reason="Rechtszaak", set_by=consultant)
    LegalHold.objects.create(
        client=withdrawn.client, reason="Klacht", until=datetime.date(2050, 1, 1), set_by=consultant
    )
    with _on(datetime.date(2040, 1, 1)):
        assert candidates(organisation.pk) == []


def test_an_expired_hold_no_longer_keeps_the_dossier(organisation, municipality, consultant) -> None:
    client = closed_client(municipality, consultant, END)
    LegalHold.objects.create(client=client, reason="Klacht", until=datetime.date(2039, 12, 31), set_by=consultant)
    with _on(datetime.date(2040, 1, 1)):
        assert _dossiers(organisation.pk) == [client.pk]


def test_withdrawn_referral_is_a_candidate_42_days_after_the_withdrawal(organisation, municipality, consultant) -> None:
    referral = withdrawn_referral(municipality, consultant, END)
    with _on(END + datetime.timedelta(days=41)):
        assert _referrals(organisation.pk) == []
    with _on(END + datetime.timedelta(days=42)):
        [candidate] = candidates(organisation.pk)
    assert (candidate.object_id, candidate.client_number, candidate.end_date) == (referral.pk, referral.client_id, END)


def test_a_referral_withdrawn_after_a_placement_is_kept_with_the_dossier(
    organisation, municipality, consultant
) -> None:
    referral = withdrawn_referral(municipality, consultant, END)
    ReferralEvent.objects.create(referral=referral, status=ReferralStatus.PLACED, by=consultant)
    with _on(END + datetime.timedelta(days=60)):
        assert _referrals(organisation.pk) == []


def test_other_organisations_records_are_not_candidates(municipality, consultant) -> None:
    closed_client(municipality, consultant, END)
    other = factories.OrganisationFactory(name="Ander Werkbedrijf")
    with _on(datetime.date(2040, 1, 1)):
        assert candidates(other.pk) == []


def test_a_restricted_client_is_never_a_candidate(organisation, municipality, consultant) -> None:
    """AVG art. 18: while the client disputes the data it is only stored, so it is not destroyed either."""
    client = closed_client(municipality, consultant, END)
    withdrawn = withdrawn_referral(municipality, consultant, END)
    with _on(datetime.date(2040, 1, 1)):
        assert _dossiers(organisation.pk) == [client.pk]
        assert _referrals(organisation.pk) == [withdrawn.pk]
    Client.objects.filter(pk__in=[client.pk, withdrawn.client_id]).update(
        processing_restricted_since=datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC)
    )
    with _on(datetime.date(2040, 1, 1)):
        assert candidates(organisation.pk) == []
