"""Small hand-made placement instances whose right answers can be worked out on paper."""

import dataclasses
import datetime

from koers.placement.model import Client, Group, Instance, Policy, Trainer, Training

PLANNING = datetime.date(2026, 1, 5)
POLICY = Policy(
    lead_days=2,
    need_rules={"low_language": ("language_support", "small_group")},
    balance={"gender": "v"},
)


def day(offset: int) -> datetime.date:
    return PLANNING + datetime.timedelta(days=offset)


def client(client_id: str, **fields: object) -> Client:
    values: dict[str, object] = {
        "id": client_id,
        "training": "EMP",
        "referral_date": day(-10),
        "availability": ("day", "evening"),
        "attributes": {"gender": "m"},
    }
    values.update(fields)
    return Client(**values)  # type: ignore[arg-type]


def group(group_id: str, **fields: object) -> Group:
    values: dict[str, object] = {
        "id": group_id,
        "training": "EMP",
        "start_date": day(7),
        "slot": "day",
        "location": "Centrum",
        "capacity": 3,
        "min_size": 1,
        "trainers": ("T1",),
        "trainer_hours": 36.0,
    }
    values.update(fields)
    return Group(**values)  # type: ignore[arg-type]


def instance(clients: list[Client], groups: list[Group], **fields: object) -> Instance:
    values: dict[str, object] = {
        "name": "hand-made",
        "planning_date": PLANNING,
        "horizon_end": day(90),
        "policy": POLICY,
        "trainings": (
            Training("EMP", "Empowerment", 6, 6.0, ("acute_crisis",)),
            Training("BUD", "Budgetcursus", 4, 3.0),
        ),
        "trainers": (Trainer("T1", ("EMP", "BUD"), 1000.0),),
        "groups": tuple(groups),
        "clients": tuple(clients),
        "locations": ("Centrum", "Noord"),
    }
    values.update(fields)
    return Instance(**values)  # type: ignore[arg-type]


def replace(item: object, **changes: object) -> object:
    return dataclasses.replace(item, **changes)  # type: ignore[type-var]
