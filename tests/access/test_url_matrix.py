"""Every URL × every role: the answer each role gets. A new URL without a row here fails the coverage test."""

import time

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from koers.accounts.middleware import AUTH_TIME_KEY
from koers.accounts.roles import Role
from tests import factories
from tests.helpers import assert_access_matrix

pytestmark = pytest.mark.django_db

ALL = list(Role.values)
C, TM, TR, PL, PO, AD, PR = (
    Role.CONSULTANT,
    Role.TEAM_MANAGER,
    Role.TRAINER,
    Role.PLANNER,
    Role.POLICY,
    Role.ADMINISTRATOR,
    Role.PRIVACY_OFFICER,
)


def only(allowed: dict[str, int], otherwise: int = 403) -> dict[str, int]:
    return {role: allowed.get(role, otherwise) for role in ALL}


# URL name → (kwargs builder name or None, expected status per role). "own"/"other" name a client in or out of
# every role's relation; "run" is the trainer's own group run.
MATRIX: dict[str, tuple[str | None, dict[str, int]]] = {
    "home:root": (None, only({}, otherwise=302)),
    "home:start": (None, only({}, otherwise=200)),
    "clients:list": (None, only({C: 200, TM: 200, TR: 200, PL: 200})),
    "clients:detail#own": ("own", only({C: 200, TM: 200, TR: 200, PL: 200})),
    "clients:detail#other": ("other", only({C: 404, TM: 404, TR: 404, PL: 404})),
    "clients:open_dossier#own": ("own", only({}, otherwise=405)),
    "clients:create": (None, only({C: 200})),
    "clients:edit#own": ("own", only({C: 200})),
    "clients:edit#other": ("other", only({C: 404, TM: 404, TR: 404, PL: 404})),
    "clients:transfer#own": ("own", only({}, otherwise=405)),
    "clients:grant_access#own": ("own", only({}, otherwise=405)),
    "clients:access_log": (None, only({PR: 200})),
    "trajectories:start#own": ("own_client", only({C: 200})),
    "trajectories:start#other": ("other_client", only({C: 404, TM: 404})),
    "trajectories:detail#own": ("traj", only({C: 200, TM: 404})),
    "trajectories:detail#other": ("other_traj", only({C: 404, TM: 404})),
    "trajectories:perspective#own": ("traj", only({C: 200, TM: 404})),
    "trajectories:life_domains#own": ("traj", only({C: 200, TM: 404})),
    "trajectories:igm_profile#own": ("traj", only({C: 200, TM: 404})),
    "trajectories:goal_create#own": ("traj", only({C: 200, TM: 404})),
    "trajectories:goal_edit#own": ("goal", only({C: 200, TM: 404})),
    "trajectories:goal_edit#other": ("other_goal", only({C: 404, TM: 404})),
    "trajectories:instrument_create#own": ("traj", only({C: 200, TM: 404})),
    "trajectories:instrument_edit#own": ("instrument", only({C: 200, TM: 404})),
    "trajectories:instrument_edit#other": ("other_instrument", only({C: 404, TM: 404})),
    "trajectories:plan_agreement#own": ("traj", only({C: 200, TM: 404})),
    "trajectories:end#own": ("traj", only({C: 200, TM: 404})),
    "groupwork:runs": (None, only({TR: 200, PL: 200})),
    "groupwork:run_detail#own": ("run", only({TR: 200, PL: 200})),
    "groupwork:run_detail#other": ("other_run", only({TR: 404, PL: 200})),
    "v1:me": (None, only({}, otherwise=200)),
    "v1:client-list": (None, only({C: 200, TM: 200, TR: 200, PL: 200})),
    "v1:client-detail#own": ("own", only({C: 200, TM: 200, TR: 200, PL: 200})),
    "v1:client-detail#other": ("other", only({C: 404, TM: 404, TR: 404, PL: 404})),
    "progress:history#own": ("traj", only({C: 200, TM: 404})),
    "progress:history#other": ("other_traj", only({C: 404, TM: 404})),
    "progress:report_create#own": ("traj", only({C: 200, TM: 404})),
    "progress:report_create#other": ("other_traj", only({C: 404, TM: 404})),
    "progress:report_detail#own": ("report", only({C: 200, TM: 404})),
    "progress:report_detail#other": ("other_report", only({C: 404, TM: 404})),
    "progress:report_pdf#own": ("report", only({C: 200, TM: 404})),
    "progress:report_pdf#other": ("other_report", only({C: 404, TM: 404})),
    "progress:case_discussion#own": ("traj", only({C: 200, TM: 404})),
    "progress:case_discussion#other": ("other_traj", only({C: 404, TM: 404})),
    "progress:case_discussion_pdf#own": ("traj", only({C: 200, TM: 404})),
    "progress:case_discussion_pdf#other": ("other_traj", only({C: 404, TM: 404})),
    "imports:list": (None, only({AD: 200, TM: 200})),
    "imports:new": (None, only({AD: 200, TM: 200})),
    "imports:detail": ("import", only({AD: 200, TM: 200})),
    "imports:progress": ("import", only({AD: 200, TM: 200})),
    "imports:report": ("import", only({AD: 200, TM: 200})),
    "caseload:index": (None, only({C: 200})),
    "v1:trajectory-list": (None, only({C: 200, TM: 200})),
    "v1:trajectory-detail#own": ("traj", only({C: 200, TM: 404})),
    "v1:trajectory-detail#other": ("other_traj", only({C: 404, TM: 404})),
    "v1:goal-list": (None, only({C: 200, TM: 200})),
    "v1:goal-detail#own": ("goal", only({C: 200, TM: 404})),
    "v1:goal-detail#other": ("other_goal", only({C: 404, TM: 404})),
    "v1:instrument-list": (None, only({C: 200, TM: 200})),
    "v1:instrument-detail#own": ("instrument", only({C: 200, TM: 404})),
    "v1:instrument-detail#other": ("other_instrument", only({C: 404, TM: 404})),
    "v1:lifedomainassessment-list": (None, only({C: 200, TM: 200})),
    "v1:lifedomainassessment-detail#own": ("assessment", only({C: 200, TM: 404})),
    "v1:lifedomainassessment-detail#other": ("other_assessment", only({C: 404, TM: 404})),
    "v1:igmprofile-list": (None, only({C: 200, TM: 200})),
    "v1:igmprofile-detail#own": ("profile", only({C: 200, TM: 404})),
    "v1:igmprofile-detail#other": ("other_profile", only({C: 404, TM: 404})),
    "v1:progressreport-list": (None, only({C: 200, TM: 200})),
    "v1:progressreport-detail#own": ("report", only({C: 200, TM: 404})),
    "v1:progressreport-detail#other": ("other_report", only({C: 404, TM: 404})),
    "v1:grouprun-list": (None, only({TR: 200, PL: 200})),
    "v1:grouprun-detail#own": ("run", only({TR: 200, PL: 200})),
    "api-schema": (None, only({}, otherwise=200)),
    "api-docs": (None, only({}, otherwise=200)),
    "admin:index": (None, only({AD: 200}, otherwise=302)),
    "accounts:mfa_verify": (None, only({}, otherwise=302)),
    "accounts:mfa_enrol": (None, only({}, otherwise=302)),
    "accounts:login": (None, only({}, otherwise=302)),
    "accounts:logout": (None, only({}, otherwise=405)),
    "accounts:extend_session": (None, only({}, otherwise=405)),
    "set_language": (None, only({}, otherwise=302)),
    "health-live": (None, only({}, otherwise=200)),
    "health-ready": (None, only({}, otherwise=200)),
}

# Patterns that are not pages of their own: the admin's model pages (checked in tests/accounts/test_admin.py).
EXCLUDED_PREFIXES = ("admin:",)


def _all_url_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns: list, namespace: str = "") -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(
                    pattern.url_patterns,
                    f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace,
                )
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(f"{namespace}{pattern.name}")

    walk(get_resolver().url_patterns)
    return names


def test_every_url_is_in_the_matrix() -> None:
    covered = {key.split("#")[0] for key in MATRIX}
    missing = {name for name in _all_url_names() if not name.startswith(EXCLUDED_PREFIXES)} - covered
    assert not missing, f"URLs without access expectations: {sorted(missing)}"


@pytest.fixture
def world(role_users, municipality):
    """A client related to every role's user, one related to nobody, and runs in and out of the trainer's."""
    own = factories.ClientFactory(
        organisation=municipality.organisation, municipality=municipality, consultant=role_users[C]
    )
    outsider = factories.UserFactory(organisation=municipality.organisation, roles=[C])
    other = factories.ClientFactory(
        organisation=municipality.organisation, municipality=municipality, consultant=outsider
    )
    programme = factories.ProgrammeFactory(organisation=municipality.organisation)
    run = factories.GroupRunFactory(programme=programme, trainers=[role_users[TR]])
    factories.ParticipationFactory(group_run=run, client=own)
    other_run = factories.GroupRunFactory(programme=programme)
    factories.ParticipationFactory(
        group_run=other_run,
        client__organisation=municipality.organisation,
        client__municipality=municipality,
        client__consultant=outsider,
    )
    from tests.trajectory_factories import (
        IgmProfileFactory,
        InstrumentFactory,
        LifeDomainAssessmentFactory,
        ProgressReportFactory,
        TrajectoryFactory,
    )

    traj = TrajectoryFactory(client=own, created_by=role_users[C])
    instrument = InstrumentFactory(trajectory=traj)
    other_traj = TrajectoryFactory(client=other, created_by=outsider)
    other_instrument = InstrumentFactory(trajectory=other_traj)
    assessment, other_assessment = (LifeDomainAssessmentFactory(trajectory=t) for t in (traj, other_traj))
    profile, other_profile = (IgmProfileFactory(trajectory=t) for t in (traj, other_traj))
    report, other_report = (ProgressReportFactory(trajectory=t) for t in (traj, other_traj))
    from koers.imports.models import ClientImport

    job = ClientImport.objects.create(
        organisation=municipality.organisation, uploaded_by=role_users[AD], file_name="export.csv", file_format="csv"
    )
    return {
        "import": {"pk": job.pk},
        "assessment": {"pk": assessment.pk},
        "other_assessment": {"pk": other_assessment.pk},
        "profile": {"pk": profile.pk},
        "other_profile": {"pk": other_profile.pk},
        "report": {"pk": report.pk},
        "other_report": {"pk": other_report.pk},
        "own_client": {"client_pk": own.pk},
        "other_client": {"client_pk": other.pk},
        "traj": {"pk": traj.pk},
        "other_traj": {"pk": other_traj.pk},
        "goal": {"pk": instrument.goal_id},
        "other_goal": {"pk": other_instrument.goal_id},
        "instrument": {"pk": instrument.pk},
        "other_instrument": {"pk": other_instrument.pk},
        "own": {"pk": own.pk},
        "other": {"pk": other.pk},
        "run": {"pk": run.pk},
        "other_run": {"pk": other_run.pk},
    }


@pytest.mark.parametrize("key", sorted(MATRIX))
def test_role_matrix(key, world, role_users, login) -> None:
    kwargs_name, expected = MATRIX[key]
    url = reverse(key.split("#")[0], kwargs=world[kwargs_name] if kwargs_name else None)
    assert_access_matrix(url, expected, role_users, login)


OPEN_WITHOUT_LOGIN = {"accounts:login", "health-live", "health-ready", "set_language"}


@pytest.mark.parametrize("key", sorted(MATRIX))
def test_anonymous_gets_nothing(key, world, client) -> None:
    name = key.split("#")[0]
    kwargs_name, _expected = MATRIX[key]
    url = reverse(name, kwargs=world[kwargs_name] if kwargs_name else None)
    response = client.get(url)
    if name in OPEN_WITHOUT_LOGIN:
        assert response.status_code in {200, 302}
    else:
        assert response.status_code in {302, 401, 403, 405}, f"{url} answered {response.status_code}"
        if response.status_code == 302:
            # The admin first sends to its own login path, which forwards to Koers's login.
            assert response["Location"].startswith(("/account/inloggen/", "/beheer/login/"))


@pytest.mark.parametrize("key", sorted(MATRIX))
def test_password_alone_reaches_no_data(key, world, role_users, client) -> None:
    """Logged in with a password but without the second factor, as a role that could open the page otherwise."""
    name = key.split("#")[0]
    kwargs_name, expected = MATRIX[key]
    if name in OPEN_WITHOUT_LOGIN or name.startswith("accounts:"):
        return
    url = reverse(name, kwargs=world[kwargs_name] if kwargs_name else None)
    role = next((role for role, status in expected.items() if status == 200), C)
    client.force_login(role_users[role])
    session = client.session
    session[AUTH_TIME_KEY] = time.time()
    session.save()
    response = client.get(url)
    assert response.status_code in {302, 403, 405}, f"{url} answered {response.status_code} to {role}"
    if response.status_code == 302:
        assert response["Location"].startswith(("/account/tweede-factor/", "/beheer/login/"))
    if response.status_code == 403 and not name.startswith(("v1:", "api")):
        pytest.fail(f"{url}: a password-only {role} must be sent to the second factor, not refused")


def _grow(world_ids: dict, role_users: dict) -> None:
    """More of everything a page could list: clients, flags, runs, participants, audit events."""
    from koers.clients.models import Client
    from koers.groupwork.models import GroupRun

    own = Client.objects.get(pk=world_ids["own"]["pk"])
    run = GroupRun.objects.get(pk=world_ids["run"]["pk"])
    for _ in range(4):
        client = factories.ClientFactory(
            organisation=own.organisation, municipality=own.municipality, consultant=role_users[C]
        )
        factories.ScreeningFlagFactory(client=client, kind="low_language")
        factories.ParticipationFactory(group_run=run, client=client)
        factories.GroupRunFactory(programme=run.programme, trainers=[role_users[TR]])


@pytest.mark.parametrize("key", sorted(MATRIX))
def test_every_page_has_a_query_budget_that_does_not_grow(key, world, role_users, login) -> None:
    """For each URL and each role that may open it: at most 20 queries, and the same count after adding data."""
    from tests.helpers import count_queries

    kwargs_name, expected = MATRIX[key]
    url = reverse(key.split("#")[0], kwargs=world[kwargs_name] if kwargs_name else None)
    roles = [role for role, status in expected.items() if status == 200]
    sessions = {role: login(role_users[role]) for role in roles}
    before = {role: count_queries(sessions[role], url)[1] for role in roles}
    _grow(world, role_users)
    after = {role: count_queries(sessions[role], url)[1] for role in roles}
    assert all(n <= 20 for n in before.values()), f"{url}: {before}"
    assert before == after, f"{url}: queries per role before {before}, after adding data {after}"
