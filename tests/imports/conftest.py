from collections.abc import Callable

import pytest

from koers.accounts.models import Municipality, User
from koers.accounts.roles import Role
from koers.imports.models import ClientImport
from koers.imports.services import create_import, run_import
from tests import factories


@pytest.fixture
def municipality(organisation) -> Municipality:
    return factories.MunicipalityFactory(organisation=organisation, name="Lekkerwaard", cbs_code="GM9901")


@pytest.fixture
def administrator(make_user) -> User:
    return make_user(Role.ADMINISTRATOR, username="beheerder")


@pytest.fixture
def consultant(make_user) -> User:
    return make_user(Role.CONSULTANT, username="j.jansen")


@pytest.fixture
def do_import(administrator: User) -> Callable[..., ClientImport]:
    """Upload bytes as the administrator and run the import to its end."""

    def run(content: bytes, file_format: str = "csv", user: User | None = None) -> ClientImport:
        job = create_import(
            user or administrator, file_name=f"clienten.{file_format}", content=content, file_format=file_format
        )
        run_import(job.pk)
        job.refresh_from_db()
        return job

    return run
