"""Absence from a group session is a signal for the client's consultant until acknowledged, marked when the
programme is mandatory; Koers only signals, a sanction is the municipality's decision."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from koers.accounts.roles import Role
from koers.audit.models import Action, AuditEvent
from koers.groupwork.handoff_services import acknowledge_absence, acknowledge_absences
from koers.groupwork.models import Attendance, AttendanceStatus
from tests import factories
from tests.groupwork_factories import AttendanceFactory, SessionFactory
from tests.helpers import assert_access_matrix, assert_query_budget

pytestmark = pytest.mark.django_db

URL = reverse("groupwork:absences")
TODAY = timezone.localdate()


@pytest.fixture
def make_absence(consultant, municipality):
    """An attendance of a client (by default the consultant's) at a new session of a (by default voluntary) run."""

    def make(status=AttendanceStatus.UNEXCUSED, *, client=None, mandatory=False, last_name="Aydin", **kwargs):
        client = client or factories.ClientFactory(
            organisation=municipality.organisation,
            municipality=municipality,
            consultant=consultant,
            last_name=last_name,
        )
        run = factories.GroupRunFactory(
            programme__organisation=municipality.organisation,
            programme__is_mandatory=mandatory,
            start_date=TODAY - datetime.timedelta(weeks=2),
        )
        participation = factories.ParticipationFactory(group_run=run, client=client)
        return AttendanceFactory(
            session=SessionFactory(group_run=run), participation=participation, status=status, **kwargs
        )

    return make


def listed(response) -> set[int]:
    html = response.content.decode()
    return {absence.pk for absence in Attendance.objects.all() if f'data-absence="{absence.pk}"' in html}


def test_only_consultants_open_the_absence_page(role_users, login) -> None:
    expected = {role: 403 for role in Role.values} | {Role.CONSULTANT: 200}
    assert_access_matrix(URL, expected, role_users, login)


def test_lists_unseen_absences_of_own_clients_only(consultant, make_user, make_absence, login) -> None:
    unexcused = make_absence(AttendanceStatus.UNEXCUSED)
    excused = make_absence(AttendanceStatus.EXCUSED)
    make_absence(AttendanceStatus.PRESENT)
    make_absence(AttendanceStatus.LATE)
    make_absence(acknowledged_at=timezone.now(), acknowledged_by=consultant)
    other = make_user(Role.CONSULTANT)
    make_absence(client=factories.ClientFactory(organisation=consultant.organisation, consultant=other))
    response = login(consultant).get(URL)
    assert listed(response) == {unexcused.pk, excused.pk}
    read = set(
        AuditEvent.objects.filter(actor=consultant, reason="absence signals").values_list("client_id", flat=True)
    )
    assert read == {unexcused.participation.client_id, excused.participation.client_id}


def test_absence_at_a_cancelled_session_is_no_signal(consultant, make_absence, login) -> None:
    absence = make_absence()
    absence.session.is_cancelled = True
    absence.session.save()
    assert listed(login(consultant).get(URL)) == set()


def test_replacing_colleague_sees_the_absences_of_covered_clients(consultant, make_user, make_absence, login) -> None:
    colleague = make_user(Role.CONSULTANT)
    absence = make_absence()
    assert listed(login(colleague).get(URL)) == set()
    factories.AccessGrantFactory(client=absence.participation.client, user=colleague, granted_by=consultant)
    assert listed(login(colleague).get(URL)) == {absence.pk}


def test_mandatory_programme_is_marked_and_the_page_says_koers_only_signals(consultant, make_absence, login) -> None:
    voluntary = make_absence(last_name="Aydin")
    html = login(consultant).get(URL).content.decode()
    assert 'data-testid="mandatory-note"' not in html
    assert 'data-testid="mandatory"' not in html
    mandatory = make_absence(mandatory=True, last_name="Bakker")
    html = login(consultant).get(URL).content.decode()
    assert 'data-testid="mandatory-note"' in html
    row = html[html.index(f'data-absence="{mandatory.pk}"') :]
    assert 'data-testid="mandatory"' in row[: row.index("</tr>")]
    row = html[html.index(f'data-absence="{voluntary.pk}"') :]
    assert 'data-testid="mandatory"' not in row[: row.index("</tr>")]


def test_acknowledge_one_absence(consultant, make_absence, login) -> None:
    absence = make_absence()
    keep = make_absence()
    http = login(consultant)
    url = reverse("groupwork:absence_acknowledge", args=[absence.pk])
    assert http.get(url).status_code == 405
    response = http.post(url)
    assert response.status_code == 302
    assert response["Location"] == URL
    absence.refresh_from_db()
    assert absence.acknowledged_by == consultant
    assert absence.acknowledged_at is not None
    assert listed(http.get(URL)) == {keep.pk}
    assert AuditEvent.objects.filter(
        action=Action.UPDATE,
        actor=consultant,
        object_type="groupwork.attendance",
        object_id=str(absence.pk),
        client_id=absence.participation.client_id,
        reason="absence acknowledged",
    ).exists()


def test_acknowledging_twice_keeps_the_first(consultant, make_absence) -> None:
    absence = make_absence()
    acknowledge_absence(consultant, absence)
    first = Attendance.objects.get(pk=absence.pk).acknowledged_at
    acknowledge_absence(consultant, absence)
    assert Attendance.objects.get(pk=absence.pk).acknowledged_at == first
    assert AuditEvent.objects.filter(reason="absence acknowledged").count() == 1


def test_other_consultant_cannot_acknowledge(make_user, make_absence, login) -> None:
    absence = make_absence()
    other = make_user(Role.CONSULTANT)
    assert login(other).post(reverse("groupwork:absence_acknowledge", args=[absence.pk])).status_code == 404
    with pytest.raises(PermissionDenied):
        acknowledge_absence(other, absence)
    absence.refresh_from_db()
    assert absence.acknowledged_at is None


def test_trainer_cannot_acknowledge(make_user, make_absence, login) -> None:
    absence = make_absence()
    trainer = make_user(Role.TRAINER)
    absence.session.group_run.trainers.add(trainer)
    assert login(trainer).post(reverse("groupwork:absence_acknowledge", args=[absence.pk])).status_code == 403
    with pytest.raises(PermissionDenied):
        acknowledge_absence(trainer, absence)


def test_presence_is_not_acknowledged(consultant, make_absence, login) -> None:
    present = make_absence(AttendanceStatus.PRESENT)
    assert login(consultant).post(reverse("groupwork:absence_acknowledge", args=[present.pk])).status_code == 404
    with pytest.raises(ValueError, match="absence"):
        acknowledge_absence(consultant, present)


def test_filter_by_client_and_acknowledge_all_of_that_client(consultant, municipality, make_absence, login) -> None:
    client = factories.ClientFactory(
        organisation=municipality.organisation, municipality=municipality, consultant=consultant
    )
    first, second = make_absence(client=client), make_absence(AttendanceStatus.EXCUSED, client=client)
    other = make_absence()
    http = login(consultant)
    response = http.get(URL, {"client": client.pk})
    assert listed(response) == {first.pk, second.pk}
    assert 'data-testid="acknowledge-all"' in response.content.decode()
    response = http.post(reverse("groupwork:client_absences_acknowledge", args=[client.pk]))
    assert response.status_code == 302
    assert response["Location"] == f"{URL}?client={client.pk}"
    assert listed(http.get(URL)) == {other.pk}
    assert AuditEvent.objects.filter(reason="absence acknowledged", client_id=client.pk).count() == 2


def test_acknowledge_one_returns_to_the_client_filter(consultant, make_absence, login) -> None:
    absence = make_absence()
    client_id = absence.participation.client_id
    response = login(consultant).post(
        reverse("groupwork:absence_acknowledge", args=[absence.pk]), {"client": client_id}
    )
    assert response["Location"] == f"{URL}?client={client_id}"


def test_acknowledge_absences_counts_only_own_unseen(consultant, make_user, make_absence) -> None:
    absence = make_absence()
    client = absence.participation.client
    make_absence(AttendanceStatus.PRESENT, client=client)
    assert acknowledge_absences(make_user(Role.CONSULTANT), client) == 0
    assert acknowledge_absences(consultant, client) == 1
    assert acknowledge_absences(consultant, client) == 0


def test_filter_on_another_consultants_client_is_404(make_user, consultant, municipality, login) -> None:
    other_client = factories.ClientFactory(
        organisation=municipality.organisation, consultant=make_user(Role.CONSULTANT)
    )
    http = login(consultant)
    assert http.get(URL, {"client": other_client.pk}).status_code == 404
    assert http.post(reverse("groupwork:client_absences_acknowledge", args=[other_client.pk])).status_code == 404


def test_absence_page_query_budget(consultant, make_absence, login) -> None:
    make_absence(mandatory=True)

    def more() -> None:
        for index in range(6):
            make_absence(
                AttendanceStatus.EXCUSED if index % 2 else AttendanceStatus.UNEXCUSED, mandatory=index % 3 == 0
            )

    assert_query_budget(login(consultant), URL, budget=11, grow=more)


def test_long_lists_are_paginated(consultant, make_absence, login) -> None:
    for _ in range(27):
        make_absence()
    http = login(consultant)
    assert len(listed(http.get(URL))) == 25
    assert len(listed(http.get(URL, {"pagina": 2}))) == 2
