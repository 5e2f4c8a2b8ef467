"""Fixtures shared by the group-work planning tests: one programme with 2.5-hour sessions and one room for 16."""

import pytest

from tests import factories


@pytest.fixture
def programme(organisation):
    return factories.ProgrammeFactory(organisation=organisation, name="Empowermenttraining", session_minutes=150)


@pytest.fixture
def room(organisation):
    return factories.RoomFactory(organisation=organisation, name="Zaal Noord", capacity=16)
