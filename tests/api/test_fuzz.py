"""Schemathesis against the API's own schema, once per staff role and once without credentials (SECURITY.md 104).

Bounded for the suite (about 500 examples per identity, the same ones on every run); ``python -m bench.fuzz_api``
runs the same with more examples. The world, the checks and the runner are in ``tests/api/fuzzing.py``.
"""

import pytest

from tests.api import fuzzing

pytestmark = pytest.mark.django_db

EXAMPLES_PER_OPERATION = 12


@pytest.mark.parametrize("identity", fuzzing.IDENTITIES)
def test_every_operation_conforms_to_the_schema_and_stays_in_scope(identity: str) -> None:
    world = fuzzing.build_world()
    tally = fuzzing.fuzz(fuzzing.load_schema(world), identity, world, EXAMPLES_PER_OPERATION)
    assert not tally.failures, f"{len(tally.failures)} of {tally.operations} operations failed:\n\n{tally.report()}"
