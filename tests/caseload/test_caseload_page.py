"""The caseload page: who may open it, what it lists, filter, sort, search, audit and a fixed number of queries."""

import datetime
import re
from collections import Counter

import pytest
from django.urls import reverse
from django.utils import timezone

from koers.accounts.roles import Role
from koers.audit.models import Action, AuditEvent
from koers.trajectories.models import InstrumentStatus, LifeDomain
from tests import factories
from tests.groupwork_factories import AttendanceFactory, HandOffFactory, SessionFactory
from tests.helpers import assert_access_matrix, assert_query_budget
from tests.trajectory_factories import (
    GoalFactory,
    IgmProfileFactory,
    InstrumentFactory,
    InstrumentTypeFactory,
    LifeDomainAssessmentFactory,
    ProgressReportFactory,
    TrajectoryFactory,
)

pytestmark = pytest.mark.django_db

URL = reverse("caseload:index")
TODAY = timezone.localdate()
WEEK = datetime.timedelta(weeks=1)


@pytest.fixture
def add_client(consultant, municipality):
    def add(last_name: str = "", consultant_user=None, **kwargs):
        extra = {"last_name": last_name} if last_name else {}
        return factories.ClientFactory(
            organisation=municipality.organisation,
            municipality=kwargs.pop("municipality", municipality),
            consultant=consultant_user or consultant,
            **extra,
            **kwargs,
        )

    return add


def with_review_overdue(client):
    trajectory = TrajectoryFactory(client=client, created_by=client.consultant)
    InstrumentFactory(trajectory=trajectory, status=InstrumentStatus.ACTIVE, review_on=TODAY - WEEK)
    return client


def with_report_overdue(client):
    TrajectoryFactory(client=client, created_by=client.consultant, started_on=TODAY - 20 * WEEK)
    return client


def participation_of(client, mandatory: bool = False):
    run = factories.GroupRunFactory(
        programme__organisation=client.organisation, programme__is_mandatory=mandatory, start_date=TODAY - 6 * WEEK
    )
    return factories.ParticipationFactory(group_run=run, client=client)


def with_hand_off(client):
    return HandOffFactory(participation=participation_of(client))


def with_absence(client, mandatory: bool = False):
    participation = participation_of(client, mandatory)
    session = SessionFactory(group_run=participation.group_run)
    return AttendanceFactory(session=session, participation=participation, status="unexcused")


def row_html(response, client) -> str:
    html = response.content.decode()
    row = html[html.index(f'data-client="{client.pk}"') :]
    return row[: row.index("</tr>")]


def names(response) -> list[str]:
    """The clients listed, by last name, in the order shown."""
    html = response.content.decode()
    table = html[html.index('data-testid="caseload-table"') :]
    return re.findall(r'<a class="utrecht-link" href="/clienten/\d+/">([^<,]+),', table)


def test_only_consultants_open_the_caseload(role_users, login) -> None:
    expected = {role: 403 for role in Role.values} | {Role.CONSULTANT: 200}
    assert_access_matrix(URL, expected, role_users, login)


def test_anonymous_is_sent_to_login(client) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/account/inloggen/")


def test_lists_own_clients_only(consultant, add_client, make_user, login) -> None:
    add_client("Aydin")
    add_client("Bakker", consultant_user=make_user(Role.CONSULTANT))
    assert names(login(consultant).get(URL)) == ["Aydin"]


def test_replacement_clients_show_under_their_own_filter(consultant, add_client, make_user, login) -> None:
    colleague = make_user(Role.CONSULTANT)
    own = add_client("Aydin")
    covered = add_client("Bakker", consultant_user=colleague)
    factories.AccessGrantFactory(client=covered, user=consultant, granted_by=colleague)
    expired = add_client("Claes", consultant_user=colleague)
    factories.AccessGrantFactory(
        client=expired, user=consultant, granted_by=colleague, valid_until=timezone.now() - datetime.timedelta(days=1)
    )
    http = login(consultant)
    default = http.get(URL)
    assert names(default) == ["Aydin"]
    assert 'data-testid="replacing" data-count="1"' in default.content.decode()
    replacing = http.get(URL, {"clienten": "vervanging"})
    assert names(replacing) == ["Bakker"]
    assert 'data-testid="replacement"' in replacing.content.decode()
    both = http.get(URL, {"clienten": "alle"})
    assert names(both) == ["Aydin", "Bakker"]
    assert own.pk != covered.pk


def test_a_team_managers_own_dossier_opening_is_not_a_replacement(make_user, add_client, login) -> None:
    """Someone who is both team manager and consultant: a dossier opened with a reason is not in the caseload."""
    boss = make_user(Role.CONSULTANT, Role.TEAM_MANAGER)
    opened = add_client("Bakker", consultant_user=make_user(Role.CONSULTANT))
    factories.AccessGrantFactory(client=opened, user=boss, granted_by=boss)
    assert names(login(boss).get(URL, {"clienten": "alle"})) == []


def test_rows_show_signal_badges_as_text_and_their_count(consultant, add_client, login) -> None:
    client = with_review_overdue(add_client("Aydin"))
    html = login(consultant).get(URL).content.decode()
    row = html[html.index(f'data-client="{client.pk}"') :]
    row = row[: row.index("</tr>")]
    assert re.search(r'data-signal="evaluatie">\w[^<]+</span>', row), "the badge carries its text, not colour alone"
    assert re.search(r'data-testid="signal-count">1<', row)
    assert f'href="/clienten/{client.pk}/"' in row


def test_filter_by_signal(consultant, add_client, login) -> None:
    with_review_overdue(add_client("Aydin"))
    with_report_overdue(add_client("Bakker"))
    add_client("Claes")
    http = login(consultant)
    assert names(http.get(URL, {"signaal": "evaluatie"})) == ["Aydin"]
    assert names(http.get(URL, {"signaal": "rapportage"})) == ["Bakker"]
    assert len(names(http.get(URL, {"signaal": "onbekend"}))) == 3, "an unknown signal filters nothing"


def test_hand_off_badge_links_to_the_signal_and_leaves_once_acknowledged(consultant, add_client, login) -> None:
    client = add_client("Aydin")
    hand_off = with_hand_off(client)
    http = login(consultant)
    row = row_html(http.get(URL), client)
    detail = reverse("groupwork:handoff_detail", args=[hand_off.pk])
    assert re.search(
        rf'<a class="utrecht-link" href="{detail}"><span [^>]*data-signal="overdracht">\w[^<]+</span></a>', row
    )
    assert names(http.get(URL, {"signaal": "overdracht"})) == ["Aydin"]
    assert http.post(reverse("groupwork:handoff_acknowledge", args=[hand_off.pk])).status_code == 302
    assert 'data-signal="overdracht"' not in row_html(http.get(URL), client)
    assert names(http.get(URL, {"signaal": "overdracht"})) == []


def test_absence_badge_links_to_the_absences_and_is_marked_when_mandatory(consultant, add_client, login) -> None:
    voluntary = add_client("Aydin")
    with_absence(voluntary)
    mandatory = add_client("Bakker")
    absence = with_absence(mandatory, mandatory=True)
    http = login(consultant)
    response = http.get(URL)
    absences = reverse("groupwork:absences")
    row = row_html(response, mandatory)
    assert f'href="{absences}?client={mandatory.pk}"><span' in row
    assert 'data-testid="signal-marker"' in row
    assert 'data-testid="signal-marker"' not in row_html(response, voluntary)
    summary = response.content.decode()
    summary = summary[summary.index('data-testid="caseload-summary"') : summary.index("</section>")]
    assert re.search(r'data-signal="afwezig">.*?koers-stat__value">2<', summary, re.S)
    http.post(reverse("groupwork:absence_acknowledge", args=[absence.pk]))
    assert names(http.get(URL, {"signaal": "afwezig"})) == ["Aydin"]


def test_filter_by_municipality(consultant, add_client, municipality, login) -> None:
    elsewhere = factories.MunicipalityFactory(organisation=municipality.organisation, name="Veenhoven")
    add_client("Aydin")
    add_client("Bakker", municipality=elsewhere)
    response = login(consultant).get(URL, {"gemeente": elsewhere.pk})
    assert names(response) == ["Bakker"]


def test_search_by_name_and_by_client_number(consultant, add_client, login) -> None:
    add_client("Aydin")
    bakker = add_client("Bakker")
    http = login(consultant)
    assert names(http.get(URL, {"q": "ayd"})) == ["Aydin"]
    assert names(http.get(URL, {"q": str(bakker.pk)})) == ["Bakker"]


def test_sort_by_number_of_signals(consultant, add_client, login) -> None:
    add_client("Aydin")
    with_review_overdue(add_client("Bakker"))
    many = add_client("Claes")
    trajectory = TrajectoryFactory(client=many, created_by=consultant, started_on=TODAY - 30 * WEEK)
    InstrumentFactory(trajectory=trajectory, status=InstrumentStatus.ACTIVE, review_on=TODAY - WEEK)
    response = login(consultant).get(URL, {"sorteer": "signalen"})
    assert names(response) == ["Claes", "Bakker", "Aydin"]


def test_sort_by_oldest_progress_report(consultant, add_client, login) -> None:
    recent = add_client("Aydin")
    ProgressReportFactory(trajectory=TrajectoryFactory(client=recent, created_by=consultant), written_on=TODAY - WEEK)
    old = add_client("Bakker")
    ProgressReportFactory(
        trajectory=TrajectoryFactory(client=old, created_by=consultant, started_on=TODAY - 40 * WEEK),
        written_on=TODAY - 20 * WEEK,
    )
    never = add_client("Claes")
    TrajectoryFactory(client=never, created_by=consultant, started_on=TODAY - 10 * WEEK)
    add_client("Dekker")  # no trajectory: last
    response = login(consultant).get(URL, {"sorteer": "rapportage"})
    assert names(response) == ["Bakker", "Claes", "Aydin", "Dekker"]


def test_default_sort_is_by_name(consultant, add_client, login) -> None:
    for name in ["Zwart", "Aydin", "Mulder"]:
        add_client(name)
    assert names(login(consultant).get(URL)) == ["Aydin", "Mulder", "Zwart"]


def test_summary_counts_each_signal_over_the_whole_caseload(consultant, add_client, login) -> None:
    for index in range(27):
        client = add_client(f"Client{index:02d}")
        if index % 3 == 0:
            with_review_overdue(client)
    html = login(consultant).get(URL, {"q": "Client01"}).content.decode()
    summary = html[html.index('data-testid="caseload-summary"') : html.index("</section>")]
    assert re.search(r'data-signal="evaluatie">.*?koers-stat__value">9<', summary, re.S)
    assert re.search(r'data-signal="rapportage">.*?koers-stat__value">0<', summary, re.S)
    assert 'data-testid="caseload-clients">27<' in summary


def test_every_client_shown_is_audited_once(consultant, add_client, login) -> None:
    clients = [add_client(f"Client{index:02d}") for index in range(30)]
    login(consultant).get(URL)
    events = AuditEvent.objects.filter(action=Action.READ, reason="caseload")
    shown = {client.pk for client in clients[:25]}
    assert Counter(events.values_list("client_id", flat=True)) == Counter(shown), "the first page: 25 clients, once"
    assert events.filter(actor=consultant).count() == 25


def test_second_page(consultant, add_client, login) -> None:
    for index in range(30):
        add_client(f"Client{index:02d}")
    response = login(consultant).get(URL, {"pagina": 2})
    assert len(names(response)) == 5
    assert 'data-testid="result-count" data-count="30"' in response.content.decode()


def test_invalid_parameters_fall_back_to_defaults(consultant, add_client, login) -> None:
    add_client("Aydin")
    response = login(consultant).get(URL, {"sorteer": "x", "clienten": "x", "gemeente": "x", "pagina": "x"})
    assert response.status_code == 200
    assert len(names(response)) == 1


def test_htmx_request_answers_the_same_page(consultant, add_client, login) -> None:
    add_client("Aydin")
    response = login(consultant).get(URL, {"q": "ayd"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'id="caseload-results"' in response.content.decode()
    assert 'id="caseload-count"' in response.content.decode()


def test_query_count_does_not_grow_with_the_caseload(consultant, add_client, municipality, login) -> None:
    """From 3 to 60 clients, each with a trajectory, goals, instruments, assessments, profiles and reports."""
    instrument_type = InstrumentTypeFactory(organisation=municipality.organisation)

    def add(count: int) -> None:
        for index in range(count):
            client = add_client(f"Groei{index}")
            trajectory = TrajectoryFactory(client=client, created_by=consultant, started_on=TODAY - 30 * WEEK)
            goal = GoalFactory(trajectory=trajectory)
            InstrumentFactory(
                trajectory=trajectory,
                goal=goal,
                instrument_type=instrument_type,
                status=InstrumentStatus.ACTIVE,
                started_on=TODAY - 20 * WEEK,
                review_on=TODAY - WEEK if index % 2 else TODAY + WEEK,
            )
            LifeDomainAssessmentFactory(trajectory=trajectory, scores={LifeDomain.HOUSING: 1 + index % 3})
            IgmProfileFactory(trajectory=trajectory)
            ProgressReportFactory(trajectory=trajectory, written_on=TODAY - (index % 20) * WEEK)
            if index % 3 == 0:
                with_hand_off(client)
            if index % 4 == 0:
                with_absence(client, mandatory=index % 8 == 0)

    add(3)
    http = login(consultant)
    for params in ["", "?sorteer=signalen", "?sorteer=rapportage&signaal=evaluatie", "?clienten=alle&q=groei"]:
        assert_query_budget(http, URL + params, budget=13, grow=lambda: None)
    assert_query_budget(http, URL + "?sorteer=signalen", budget=13, grow=lambda: add(57))
