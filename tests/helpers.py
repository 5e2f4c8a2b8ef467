"""Assertions that every page test uses: the role × URL access matrix and the query budget."""

from collections.abc import Callable, Mapping

from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext

from koers.accounts.models import User


def assert_access_matrix(
    url: str,
    expected: Mapping[str, int],
    users: Mapping[str, User],
    login: Callable[[User], HttpClient],
    *,
    method: str = "get",
) -> None:
    """Every role gets exactly the expected status for ``url``; a mismatch lists all roles that differ."""
    wrong = {}
    for role, status in expected.items():
        response = getattr(login(users[role]), method)(url)
        if response.status_code != status:
            wrong[role] = (status, response.status_code)
    assert not wrong, f"{url}: role → (expected, got): {wrong}"


def count_queries(http: HttpClient, url: str) -> tuple[int, int]:
    """Status and number of database queries of one GET."""
    with CaptureQueriesContext(connection) as queries:
        response = http.get(url)
    return response.status_code, len(queries)


def assert_query_budget(http: HttpClient, url: str, budget: int, grow: Callable[[], object]) -> None:
    """The page stays within ``budget`` queries, and adding data (``grow``) does not add queries."""
    status, before = count_queries(http, url)
    assert status == 200, f"{url} answered {status}"
    grow()
    status, after = count_queries(http, url)
    assert status == 200, f"{url} answered {status} after growing the data"
    assert before <= budget, f"{url}: {before} queries, budget {budget}"
    assert after == before, f"{url}: {before} queries, then {after} after adding data: the count grows with data"


def require_tool(path: str | None, package: str) -> str:
    """A command-line tool a test needs: skip on a laptop without it, fail in CI (KOERS_REQUIRE_BROWSER=1)."""
    import os

    import pytest

    if path is None:
        message = f"{package} is not installed (apt-get install -y {package})"
        if os.environ.get("KOERS_REQUIRE_BROWSER") == "1":
            pytest.fail(message + ", and CI requires every real component")
        pytest.skip(message)
    return path
