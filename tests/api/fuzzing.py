"""Fuzzing the API against its own OpenAPI schema, once per staff role and once without credentials.

Shared by ``tests/api/test_fuzz.py`` (bounded, in the suite) and ``bench/fuzz_api.py`` (the long form). The world is a
small organisation in which every role has records in and out of its relation, plus a second organisation nobody
here may see. What each role may see is written down from the world (DOMAIN.md §2), not asked of the code under
test, and a custom check holds every client, referral and trajectory id in an answer against it. Each generated
request runs in a savepoint that is rolled back, so every example meets the same world and writes are fuzzed too.
"""

import datetime
import io
import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import hypothesis
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from django.urls import Resolver404, resolve
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import HealthCheck, Phase
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.errors import InvalidSchema
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from koers.accounts.models import Team, User
from koers.accounts.roles import Role
from tests import factories
from tests import groupwork_factories as gw
from tests import trajectory_factories as tf

ANONYMOUS = "anonymous"
IDENTITIES = (*Role.values, ANONYMOUS)
SCHEMA_PATH = "/api/schema/?format=json"

BUILT_IN_CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
]

# Credentials are the identity's own, never generated. A stale If-Match is 412 before the body is read (RFC 9110
# §13.2.1: preconditions are evaluated prior to processing the content), so 412 also rejects invalid data.
CONFIG = {
    "generation": {"with-security-parameters": False},
    "checks": {
        "negative_data_rejection": {
            "expected-statuses": [400, 401, 403, 404, 405, 406, 409, 412, 415, 422, 428, 429, "5xx"]
        }
    },
}


def hypothesis_settings(max_examples: int) -> hypothesis.settings:
    """Reproducible and bounded: the same examples on every run, no shrinking, no example database."""
    return hypothesis.settings(
        max_examples=max_examples,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )


@dataclass(frozen=True)
class Scope:
    """Ids of the records whose ids an answer may carry."""

    clients: frozenset[int] = frozenset()
    referrals: frozenset[int] = frozenset()
    trajectories: frozenset[int] = frozenset()


@dataclass
class World:
    tokens: dict[str, str]
    visible: dict[str, Scope]
    # Per path segment (``clients``): ids in and out of every role's relation. The first is the own client's record
    # (in the trainer's run, for group work); the last, where there are three or more, is the other organisation's.
    pools: dict[str, tuple[int, ...]]
    versions: tuple[int, ...] = (1,)


def build_world() -> World:
    """An organisation with one user per role and, per role, a client in and a client out of its relation."""
    today = timezone.localdate()
    organisation = factories.OrganisationFactory()
    municipality = factories.MunicipalityFactory(organisation=organisation)
    team = Team.objects.create(organisation=organisation, name="Team Fuzz")
    users = {role: _staff(organisation, team, role) for role in Role.values}
    consultant, trainer = users[Role.CONSULTANT], users[Role.TRAINER]
    colleague = factories.UserFactory(organisation=organisation, roles=[Role.CONSULTANT])  # outside the team

    own = factories.ClientFactory(organisation=organisation, municipality=municipality, consultant=consultant)
    other = factories.ClientFactory(organisation=organisation, municipality=municipality, consultant=colleague)
    stranger = factories.ClientFactory(organisation=organisation, municipality=municipality, consultant=colleague)
    factories.ScreeningFlagFactory(client=own)

    programme = factories.ProgrammeFactory(organisation=organisation)
    next_programme = factories.ProgrammeFactory(organisation=organisation)
    run = factories.GroupRunFactory(
        programme=programme, trainers=[trainer], start_date=today - datetime.timedelta(days=7)
    )
    other_run = factories.GroupRunFactory(programme=programme)
    next_run = factories.GroupRunFactory(programme=next_programme)

    traj = tf.TrajectoryFactory(client=own, created_by=consultant)
    instrument = tf.InstrumentFactory(trajectory=traj)
    other_traj = tf.TrajectoryFactory(client=other, created_by=colleague)
    other_instrument = tf.InstrumentFactory(trajectory=other_traj)
    stranger_traj = tf.TrajectoryFactory(client=stranger, created_by=colleague)
    records = {
        "life-domain-assessments": [tf.LifeDomainAssessmentFactory(trajectory=t) for t in (traj, other_traj)],
        "igm-profiles": [tf.IgmProfileFactory(trajectory=t) for t in (traj, other_traj)],
        "progress-reports": [tf.ProgressReportFactory(trajectory=t) for t in (traj, other_traj)],
    }

    referral = gw.ReferralFactory(
        client=own, instrument=instrument, goal=instrument.goal, programme=programme, status="placed", group_run=run
    )
    waiting = gw.ReferralFactory(
        client=own, instrument=instrument, goal=instrument.goal, programme=next_programme, status="waiting"
    )
    participation = factories.ParticipationFactory(group_run=run, client=own, referral=referral)
    other_referral = gw.ReferralFactory(
        client=stranger, programme=programme, status="placed", group_run=other_run, instrument__trajectory=stranger_traj
    )
    other_participation = factories.ParticipationFactory(group_run=other_run, client=stranger, referral=other_referral)
    session = gw.SessionFactory(group_run=run)
    gw.SessionFactory(group_run=run)
    other_session = gw.SessionFactory(group_run=other_run)
    attendance = gw.AttendanceFactory(session=session, participation=participation, status="unexcused")
    other_attendance = gw.AttendanceFactory(session=other_session, participation=other_participation)
    hand_off = gw.HandOffFactory(participation=participation, written_by=trainer)
    other_hand_off = gw.HandOffFactory(participation=other_participation)

    elsewhere = _elsewhere()

    visible: dict[str, Scope] = {
        Role.CONSULTANT: Scope(frozenset({own.pk}), frozenset({referral.pk, waiting.pk}), frozenset({traj.pk})),
        Role.TEAM_MANAGER: Scope(clients=frozenset({own.pk})),  # the team's clients, no dossier
        Role.TRAINER: Scope(clients=frozenset({own.pk}), referrals=frozenset({referral.pk})),
        Role.PLANNER: Scope(
            clients=frozenset({own.pk, stranger.pk}),
            referrals=frozenset({referral.pk, waiting.pk, other_referral.pk}),
        ),
    }
    pools = {
        "clients": (own.pk, other.pk, stranger.pk, elsewhere["client"]),
        "trajectories": (traj.pk, other_traj.pk, stranger_traj.pk, elsewhere["trajectory"]),
        "goals": (instrument.goal_id, other_instrument.goal_id, elsewhere["goal"]),
        "instruments": (instrument.pk, other_instrument.pk, elsewhere["instrument"]),
        **{segment: tuple(record.pk for record in rows) for segment, rows in records.items()},
        "programmes": (programme.pk, next_programme.pk, elsewhere["programme"]),
        "group-runs": (run.pk, other_run.pk, next_run.pk, elsewhere["run"]),
        "sessions": (session.pk, other_session.pk),
        "referrals": (referral.pk, waiting.pk, other_referral.pk, elsewhere["referral"]),
        "attendance": (attendance.pk, other_attendance.pk),
        "hand-offs": (hand_off.pk, other_hand_off.pk),
        "participations": (participation.pk, other_participation.pk),
        "instrument-types": (instrument.instrument_type_id, elsewhere["instrument_type"]),
    }
    return World(tokens={role: _token(user) for role, user in users.items()}, visible=visible, pools=pools)


def _staff(organisation: Any, team: Team, role: str) -> User:
    user = factories.UserFactory(organisation=organisation, roles=[role], username=f"fuzz-{role}")
    user.teams.add(team)
    return user


def _token(user: User) -> str:
    """A token issued the way an integration gets one: ``manage.py api_token`` after linking an authenticator."""
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    out = io.StringIO()
    call_command("api_token", user.username, stdout=out)
    return out.getvalue().strip()


def _elsewhere() -> dict[str, int]:
    """Another organisation's client with a trajectory and a placed referral: out of every role's relation here."""
    organisation = factories.OrganisationFactory(name="Werkbedrijf Elders")
    consultant = factories.UserFactory(organisation=organisation, roles=[Role.CONSULTANT])
    client = factories.ClientFactory(organisation=organisation, consultant=consultant)
    trajectory = tf.TrajectoryFactory(client=client, created_by=consultant)
    instrument = tf.InstrumentFactory(trajectory=trajectory)
    run = factories.GroupRunFactory(programme__organisation=organisation)
    referral = gw.ReferralFactory(
        client=client, instrument=instrument, goal=instrument.goal, programme=run.programme, status="waiting"
    )
    return {
        "client": client.pk,
        "trajectory": trajectory.pk,
        "goal": instrument.goal_id,
        "instrument": instrument.pk,
        "instrument_type": instrument.instrument_type_id,
        "programme": run.programme_id,
        "run": run.pk,
        "referral": referral.pk,
    }


# Generation: draw ids from the world, so requests reach real records in and out of scope.

# Query and body fields that name a record, and the pool each draws from.
ID_FIELDS = {
    "client": "clients",
    "trajectory": "trajectories",
    "goal": "goals",
    "parent": "goals",
    "instrument": "instruments",
    "instrument_type": "instrument-types",
    "programme": "programmes",
    "group_run": "group-runs",
    "session": "sessions",
    "participation": "participations",
}


def resource(path: str) -> str:
    """``/api/v1/goals/{id}/`` → ``goals``."""
    return path.removeprefix("/api/v1/").split("/")[0]


def _is_id(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _id_like(value: Any) -> bool:
    return _is_id(value) or (isinstance(value, str) and value.isdigit())


def pin_ids_to_world(world: World) -> Callable[[Any, Any], st.SearchStrategy[Any]]:
    """A ``flatmap_case`` hook: each generated id is kept or swapped for a record of the world; If-Match likewise
    gets a real ETag now and then. Only ids are swapped (integers, or digits in the path), so a negative example
    stays negative."""

    def choose(original: Any, pool: Iterable[int]) -> st.SearchStrategy[Any]:
        """The generated id or one of the world's, as the same type (path values arrive as strings)."""
        same_type = [str(pk) if isinstance(original, str) else pk for pk in pool]
        return st.sampled_from([original, *same_type])

    def hook(context: Any, case: Any) -> st.SearchStrategy[Any]:
        slots: dict[tuple[str, str], st.SearchStrategy[Any]] = {}
        path_id = (case.path_parameters or {}).get("id")
        if _id_like(path_id) and resource(case.path) in world.pools:
            slots[("path", "id")] = choose(path_id, world.pools[resource(case.path)])
        for name, value in (case.query or {}).items():
            if name in ID_FIELDS and _id_like(value):
                slots[("query", name)] = choose(value, world.pools[ID_FIELDS[name]])
        if isinstance(case.body, dict):
            for name, value in case.body.items():
                if name in ID_FIELDS and _id_like(value):
                    slots[("body", name)] = choose(value, world.pools[ID_FIELDS[name]])
            statuses = case.body.get("statuses")
            if isinstance(statuses, dict) and statuses:
                first = next(iter(statuses.values()))
                participants = [{str(pk): first} for pk in world.pools["participations"]]
                slots[("body", "statuses")] = st.sampled_from([statuses, *participants])
        if case.headers and "If-Match" in case.headers:
            slots[("headers", "If-Match")] = st.sampled_from(
                [case.headers["If-Match"], *(f'"{version}"' for version in world.versions), "*"]
            )
        if not slots:
            return st.just(case)
        keys = list(slots)
        return st.tuples(*slots.values()).map(lambda values: _assign(case, dict(zip(keys, values, strict=True))))

    return hook


def _assign(case: Any, values: dict[tuple[str, str], Any]) -> Any:
    for (location, name), value in values.items():
        if location == "path":
            case.path_parameters = {**case.path_parameters, name: value}
        elif location == "query":
            case.query = {**case.query, name: value}
        elif location == "body":
            case.body = {**case.body, name: value}
        else:
            case.headers = {**case.headers, name: value}
    return case


# Checks beyond schemathesis's own.


def ids_in_answer(path: str, body: Any) -> Iterator[tuple[str, int]]:
    """(kind, id) for every client, referral and trajectory id in an answer: ``client``/``trajectory``/``referral``
    fields at any depth, and ``id`` of the rows of the clients, referrals and trajectories endpoints."""
    own_kind = {"clients": "client", "referrals": "referral", "trajectories": "trajectory"}.get(resource(path))
    rows = body.get("results", [body]) if isinstance(body, dict) else body if isinstance(body, list) else []
    if own_kind:
        for row in rows:
            if isinstance(row, dict) and _is_id(row.get("id")):
                yield own_kind, row["id"]
    yield from _named_ids(body)


def _named_ids(value: Any) -> Iterator[tuple[str, int]]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key in ("client", "referral", "trajectory") and _is_id(item):
                yield key, item
            else:
                yield from _named_ids(item)
    elif isinstance(value, list):
        for item in value:
            yield from _named_ids(item)


def scope_check(scope: Scope) -> Callable[[Any, Any, Any], None]:
    """No data outside the role's scope: every id in the answer is one the role may see. The one exception is the
    ``id`` of a record the request itself created (201)."""
    allowed = {"client": scope.clients, "referral": scope.referrals, "trajectory": scope.trajectories}

    def no_data_outside_scope(ctx: Any, response: Any, case: Any) -> None:
        if "json" not in response.headers.get("Content-Type", [""])[0]:
            return
        body = json.loads(response.content or b"null")
        created = response.status_code == 201 and isinstance(body, dict) and body.get("id")
        for kind, pk in ids_in_answer(case.path, body):
            if pk not in allowed[kind] and not (pk == created and kind == _own_kind(case.path)):
                raise AssertionError(f"{kind} {pk} is outside this role's scope ({case.method} {case.path})")

    return no_data_outside_scope


def _own_kind(path: str) -> str | None:
    return {"clients": "client", "referrals": "referral", "trajectories": "trajectory"}.get(resource(path))


def anonymous_check(ctx: Any, response: Any, case: Any) -> None:
    """Without credentials every endpoint answers 401 or 403; only a URL that matches no route may be 404."""
    if response.status_code in (401, 403):
        return
    if response.status_code == 404 and not _resolves(case.formatted_path):
        return
    raise AssertionError(f"Without credentials {case.method} {case.formatted_path} answered {response.status_code}")


def _resolves(path: str) -> bool:
    try:
        resolve(path)
    except Resolver404:
        return False
    return True


# Running.


@contextmanager
def connection_kept_open() -> Iterator[None]:
    """As Django's test client does: the WSGI handler closes the connection around each request, and with it the
    transaction the world lives in."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def load_schema(world: World) -> Any:
    """The schema the running app serves at /api/schema/, loaded in-process (WSGI), with the id-pinning hook."""
    with connection_kept_open():
        schema = schemathesis.openapi.from_wsgi(
            SCHEMA_PATH,
            get_wsgi_application(),
            config=schemathesis.Config.from_dict(CONFIG),
            headers={"Authorization": f"Token {world.tokens[Role.CONSULTANT]}"},
        )
    schema.hook("flatmap_case")(pin_ids_to_world(world))
    return schema


def one_case(schema: Any, identity: str, world: World, method: str, path: str, **parts: Any) -> Any:
    """A single hand-written request through the same call and checks as the fuzzed ones."""
    return call_and_validate(schema[path][method].Case(**parts), identity, world)


def checks_for(identity: str, world: World) -> list[Callable[..., Any]]:
    if identity == ANONYMOUS:
        return [anonymous_check]
    return [scope_check(world.visible.get(identity, Scope()))]


def headers_for(identity: str, world: World) -> dict[str, str]:
    return {} if identity == ANONYMOUS else {"Authorization": f"Token {world.tokens[identity]}"}


def call_and_validate(case: Any, identity: str, world: World) -> Any:
    """One example: the request as ``identity`` in a savepoint that is rolled back, then every check."""
    with connection_kept_open(), transaction.atomic():
        response = case.call(headers=headers_for(identity, world))
        transaction.set_rollback(True)
    case.validate_response(
        response,
        checks=BUILT_IN_CHECKS,
        additional_checks=checks_for(identity, world),
        headers=headers_for(identity, world),
    )
    return response


@dataclass
class Tally:
    """Per identity: operations fuzzed, examples run, the failures (operation label → what failed) and the
    status codes of the examples that passed, per operation."""

    operations: int = 0
    cases: int = 0
    failures: dict[str, str] = field(default_factory=dict)
    statuses: Counter[tuple[str, int]] = field(default_factory=Counter)

    def report(self) -> str:
        return "\n\n".join(f"{label}:\n{text}" for label, text in sorted(self.failures.items()))


def strategy_for(operation: Any) -> st.SearchStrategy[Any]:
    """Valid and invalid requests alike; an operation with nothing to make invalid gets valid ones only."""
    strategies = []
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
        try:
            strategies.append(operation.as_strategy(generation_mode=mode))
        except InvalidSchema:
            continue
    return st.one_of(strategies)


def fuzz(schema: Any, identity: str, world: World, max_examples: int) -> Tally:
    """Every operation as ``identity``, ``max_examples`` generated examples each; all failures are collected."""
    tally = Tally()
    for result in schema.get_all_operations():
        tally.operations += 1
        _fuzz_operation(result.ok(), identity, world, max_examples, tally)
    return tally


def _fuzz_operation(operation: Any, identity: str, world: World, max_examples: int, tally: Tally) -> None:
    @hypothesis.given(case=strategy_for(operation))
    @hypothesis_settings(max_examples)
    def run(case: Any) -> None:
        tally.cases += 1
        tally.statuses[operation.label, call_and_validate(case, identity, world).status_code] += 1

    try:
        run()
    except (Exception, FailureGroup) as error:  # a failure of one operation must not hide the others
        tally.failures[operation.label] = _describe(error)


def _describe(error: BaseException) -> str:
    if isinstance(error, FailureGroup):
        return error.message.strip()
    if isinstance(error, BaseExceptionGroup):
        return "\n".join(_describe(inner) for inner in error.exceptions)
    return (str(error).strip() or repr(error))[:3000]
