"""The defects the API fuzzing found, each pinned by one request through the same checks (tests/api/fuzzing.py)."""

from typing import Any

import pytest
from django.test import Client as HttpClient

from koers.accounts.roles import Role
from tests.api import fuzzing

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> fuzzing.World:
    return fuzzing.build_world()


@pytest.fixture
def schema(world: fuzzing.World) -> Any:
    return fuzzing.load_schema(world)


def test_every_operation_documents_the_errors_drf_gives_everywhere(world) -> None:
    document = HttpClient().get(fuzzing.SCHEMA_PATH, HTTP_AUTHORIZATION=f"Token {world.tokens[Role.CONSULTANT]}")
    for path, operations in document.json()["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert {"403", "429"} <= codes, (method, path)
            if "{" in path or operation["operationId"].endswith("_list"):
                assert "404" in codes, (method, path)
            if "requestBody" in operation:
                assert "400" in codes, (method, path)


def test_anonymous_request_is_a_documented_403(schema, world) -> None:
    assert fuzzing.one_case(schema, fuzzing.ANONYMOUS, world, "GET", "/api/v1/me/").status_code == 403


def test_role_without_the_endpoint_gets_a_documented_403(schema, world) -> None:
    assert fuzzing.one_case(schema, Role.CONSULTANT, world, "GET", "/api/v1/sessions/").status_code == 403


def test_page_past_the_last_is_a_documented_404(schema, world) -> None:
    response = fuzzing.one_case(schema, Role.CONSULTANT, world, "GET", "/api/v1/clients/", query={"page": 99})
    assert response.status_code == 404


def test_record_out_of_scope_is_a_documented_404(schema, world) -> None:
    other_goal = world.pools["goals"][1]
    response = fuzzing.one_case(
        schema, Role.CONSULTANT, world, "GET", "/api/v1/goals/{id}/", path_parameters={"id": other_goal}
    )
    assert response.status_code == 404


def test_invalid_hand_off_change_is_a_documented_400(schema, world) -> None:
    response = fuzzing.one_case(
        schema,
        Role.TRAINER,
        world,
        "PATCH",
        "/api/v1/hand-offs/{id}/",
        path_parameters={"id": world.pools["hand-offs"][0]},
        headers={"If-Match": '"1"'},
        body={"observations": {"not_a_factor": "x"}},
        media_type="application/json",
    )
    assert response.status_code == 400


def test_running_trajectory_with_blank_outflow_reason_conforms(schema, world) -> None:
    traj = world.pools["trajectories"][0]
    response = fuzzing.one_case(
        schema, Role.CONSULTANT, world, "GET", "/api/v1/trajectories/{id}/", path_parameters={"id": traj}
    )
    assert response.json()["outflow_reason"] == ""


def test_session_local_times_and_blank_group_phase_conform(schema, world) -> None:
    session = world.pools["sessions"][0]
    response = fuzzing.one_case(
        schema, Role.TRAINER, world, "GET", "/api/v1/sessions/{id}/", path_parameters={"id": session}
    )
    assert (response.json()["starts_at"], response.json()["group_phase"]) == ("09:30:00", "")


def test_group_run_local_start_time_conforms(schema, world) -> None:
    run = world.pools["group-runs"][0]
    response = fuzzing.one_case(
        schema, Role.TRAINER, world, "GET", "/api/v1/group-runs/{id}/", path_parameters={"id": run}
    )
    assert response.json()["start_time"] == "09:30:00"


def test_referral_without_dossier_fields_conforms_for_the_planner(schema, world) -> None:
    referral = world.pools["referrals"][0]
    response = fuzzing.one_case(
        schema, Role.PLANNER, world, "GET", "/api/v1/referrals/{id}/", path_parameters={"id": referral}
    )
    assert not {"added_value", "instrument", "goal", "status_reason"} & set(response.json())


def test_scope_check_refuses_an_id_outside_the_role_s_scope() -> None:
    check = fuzzing.scope_check(fuzzing.Scope(clients=frozenset({1})))
    case = _StubCase("GET", "/api/v1/attendance/")
    check(None, _StubResponse(200, {"results": [{"id": 7, "client": 1}]}), case)
    with pytest.raises(AssertionError, match="client 2"):
        check(None, _StubResponse(200, {"results": [{"id": 8, "client": 2}]}), case)


def test_scope_check_allows_only_the_created_record_s_own_id() -> None:
    check = fuzzing.scope_check(fuzzing.Scope(clients=frozenset({1})))
    case = _StubCase("POST", "/api/v1/referrals/")
    check(None, _StubResponse(201, {"id": 40, "client": 1}), case)
    with pytest.raises(AssertionError, match="referral 41"):
        check(None, _StubResponse(200, {"id": 41, "client": 1}), case)


def test_anonymous_check_refuses_anything_but_401_or_403_on_a_route() -> None:
    fuzzing.anonymous_check(None, _StubResponse(403, {}), _StubCase("GET", "/api/v1/me/"))
    fuzzing.anonymous_check(None, _StubResponse(404, {}), _StubCase("GET", "/api/v1/goals/abc/"))
    with pytest.raises(AssertionError):
        fuzzing.anonymous_check(None, _StubResponse(404, {}), _StubCase("GET", "/api/v1/goals/12/"))


class _StubCase:
    def __init__(self, method: str, path: str) -> None:
        self.method, self.path, self.formatted_path = method, path, path


class _StubResponse:
    def __init__(self, status_code: int, body: Any) -> None:
        import json

        self.status_code = status_code
        self.content = json.dumps(body).encode()
        self.headers = {"Content-Type": ["application/json"]}


@pytest.mark.parametrize(
    ("identity", "path", "query"),
    [
        (Role.TRAINER, "/api/v1/hand-offs/", {"open": "623287"}),
        (Role.PLANNER, "/api/v1/referrals/", {"status": "nonsense"}),
        (Role.CONSULTANT, "/api/v1/goals/", {"trajectory": "abc"}),
    ],
)
def test_malformed_list_filter_is_a_documented_400_not_the_unfiltered_list(
    schema, world, identity, path, query
) -> None:
    assert fuzzing.one_case(schema, identity, world, "GET", path, query=query).status_code == 400
