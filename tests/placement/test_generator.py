import datetime
import json
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

import pytest

from bench.placement.generator import PLANNING_DATE, SCALES, TRAINER_BUDGET_FACTOR, generate
from koers.placement import io, rules
from koers.placement.model import Instance


@pytest.fixture(scope="module")
def medium() -> Instance:
    return generate("medium", 1)


def as_json(instance: Instance) -> str:
    return json.dumps(io.instance_to_dict(instance), sort_keys=True)


def test_the_same_seed_gives_the_same_instance() -> None:
    assert as_json(generate("small", 7)) == as_json(generate("small", 7))


def test_another_seed_gives_another_instance() -> None:
    assert as_json(generate("small", 1)) != as_json(generate("small", 2))


@pytest.mark.parametrize(("scale", "clients", "runs"), [("tiny", 20, 4), ("small", 200, 20), ("medium", 2_000, 150)])
def test_each_scale_has_its_numbers_of_clients_and_runs(scale: str, clients: int, runs: int) -> None:
    instance = generate(scale, 1)

    assert (len(instance.clients), len(instance.groups)) == (clients, runs)
    assert instance.name == f"{scale}-s1"
    assert len({client.id for client in instance.clients}) == clients


def test_an_instance_survives_the_exchange_format(medium: Instance) -> None:
    assert io.instance_from_dict(json.loads(as_json(medium))) == medium


def test_client_shares_follow_the_documented_figures(medium: Instance) -> None:
    clients = medium.clients
    general = [client for client in clients if client.training != "TAAL"]  # Taal en werk is for low language skills
    trainings = Counter(client.training for client in clients)

    def share(items: Sequence[Any], predicate: Callable[[Any], bool]) -> float:
        return sum(1 for item in items if predicate(item)) / len(items)

    assert trainings["RP"] / len(clients) == pytest.approx(0.45, abs=0.01)
    assert share(general, lambda c: "low_language" in c.needs) == pytest.approx(0.27, abs=0.04)
    assert share(general, lambda c: "psychological" in c.needs) == pytest.approx(0.20, abs=0.04)
    assert share(general, lambda c: "cognitive" in c.needs) == pytest.approx(0.10, abs=0.03)
    assert share(clients, lambda c: "acute_crisis" in c.contraindications) == pytest.approx(0.03, abs=0.015)
    assert share(clients, lambda c: "addiction" in c.contraindications) == pytest.approx(0.05, abs=0.02)
    assert share(clients, lambda c: c.availability == ("evening",)) == pytest.approx(0.10, abs=0.03)
    assert share(clients, lambda c: c.attributes["gender"] == "v") == pytest.approx(0.52, abs=0.04)
    assert share(clients, lambda c: c.attributes["age_band"] == "18-26") == pytest.approx(0.10, abs=0.03)
    assert 0.3 < share(clients, lambda c: c.referral_date < PLANNING_DATE) < 0.6  # the backlog of a quarter
    assert share(medium.groups, lambda g: g.slot == "evening") == pytest.approx(0.2, abs=0.07)


def test_every_workshop_client_has_a_deadline_four_weeks_after_referral(medium: Instance) -> None:
    workshop = [client for client in medium.clients if client.training == "RP"]

    assert all(client.deadline is not None for client in workshop)
    assert {(client.deadline - client.referral_date).days for client in workshop} == {28}  # type: ignore[operator]
    assert any(client.deadline < PLANNING_DATE + datetime.timedelta(days=7) for client in workshop)  # type: ignore[operator]


def test_trainers_teach_one_or_two_trainings_and_have_nine_tenths_of_their_runs_hours(medium: Instance) -> None:
    for trainer in medium.trainers:
        runs = [group for group in medium.groups if trainer.id in group.trainers]
        candidate_hours = sum(group.trainer_hours for group in runs)

        assert 1 <= len(trainer.trainings) <= 2
        assert {group.training for group in runs} <= set(trainer.trainings)
        expected = max(round(TRAINER_BUDGET_FACTOR * candidate_hours, 1), max(g.trainer_hours for g in runs))
        assert trainer.hours_available == expected


def test_not_every_run_can_take_place(medium: Instance) -> None:
    budget = sum(trainer.hours_available for trainer in medium.trainers)
    candidate = sum(group.trainer_hours * len(group.trainers) for group in medium.groups)

    assert budget < 0.95 * candidate


def test_support_seats_roughly_match_the_clients_who_need_them(medium: Instance) -> None:
    support = {"language_support", "small_group", "extra_support"}
    seats = sum(group.capacity for group in medium.groups if support & set(group.features))
    with_needs = sum(1 for client in medium.clients if client.needs)

    assert with_needs < seats < 2 * with_needs
    assert seats < 0.7 * sum(group.capacity for group in medium.groups)


def test_most_clients_have_a_run_they_may_join(medium: Instance) -> None:
    allowed = rules.compatible_groups(medium)

    assert sum(1 for runs in allowed.values() if runs) / len(medium.clients) > 0.9


def test_the_large_scale_is_defined_with_its_numbers() -> None:
    assert (SCALES["large"].clients, SCALES["large"].runs) == (20_000, 1_200)  # generating it takes seconds


def test_unknown_scale_is_refused() -> None:
    with pytest.raises(KeyError):
        generate("huge", 1)
