"""Reading and writing the exchange format of FORMAT.md (``placement-instance/1``, ``placement-solution/1``).

Unknown keys are ignored on reading, so instances written by other tools load; a malformed instance raises
``FormatError`` naming the record and the field, not a bare ``KeyError``.
"""

import datetime
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from koers.placement.model import (
    INSTANCE_FORMAT,
    SOLUTION_FORMAT,
    Client,
    Group,
    Instance,
    Policy,
    Solution,
    Trainer,
    Training,
    UnplacedReason,
    Weights,
)


class FormatError(ValueError):
    """The JSON does not follow the exchange format; the message says where."""


def _date(value: Any, where: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise FormatError(f"{where}: {value!r} is not a date as YYYY-MM-DD") from None


def _optional_date(value: Any, where: str) -> datetime.date | None:
    return None if value is None else _date(value, where)


def _field(record: Mapping[str, Any], key: str, where: str) -> Any:
    try:
        return record[key]
    except (KeyError, TypeError):
        raise FormatError(f"{where}: the field {key!r} is missing") from None


def _policy(data: Mapping[str, Any]) -> Policy:
    weights = {key: int(value) for key, value in data.get("weights", {}).items() if key in Weights.__dataclass_fields__}
    balance = data.get("balance", {}).get("attributes", {})
    return Policy(
        lead_days=int(data.get("lead_days", 0)),
        need_rules={need: tuple(features) for need, features in data.get("need_rules", {}).items()},
        balance={str(attribute): str(value) for attribute, value in balance.items()},
        weights=Weights(**weights),
        trainer_budget_factor=data.get("trainer_budget_factor"),
    )


def _training(data: Mapping[str, Any]) -> Training:
    where = f"training {data.get('id', '?')}"
    return Training(
        id=str(_field(data, "id", where)),
        name=str(data.get("name", data["id"])),
        sessions=int(data.get("sessions", 0)),
        session_hours=float(data.get("session_hours", 0)),
        excluded_contraindications=tuple(data.get("excluded_contraindications", ())),
    )


def _trainer(data: Mapping[str, Any]) -> Trainer:
    where = f"trainer {data.get('id', '?')}"
    return Trainer(
        id=str(_field(data, "id", where)),
        trainings=tuple(data.get("trainings", ())),
        hours_available=float(_field(data, "hours_available", where)),
    )


def _group(data: Mapping[str, Any]) -> Group:
    where = f"group {data.get('id', '?')}"
    return Group(
        id=str(_field(data, "id", where)),
        training=str(_field(data, "training", where)),
        start_date=_date(_field(data, "start_date", where), where),
        slot=str(_field(data, "slot", where)),
        location=str(data.get("location", "")),
        capacity=int(_field(data, "capacity", where)),
        min_size=int(data.get("min_size", 0)),
        features=tuple(data.get("features", ())),
        trainers=tuple(data.get("trainers", ())),
        trainer_hours=float(data.get("trainer_hours", 0)),
        occupied=int(data.get("occupied", 0)),
    )


def _client(data: Mapping[str, Any]) -> Client:
    where = f"client {data.get('id', '?')}"
    return Client(
        id=str(_field(data, "id", where)),
        training=str(_field(data, "training", where)),
        referral_date=_date(_field(data, "referral_date", where), where),
        deadline=_optional_date(data.get("deadline"), where),
        needs=tuple(data.get("needs", ())),
        availability=tuple(_field(data, "availability", where)),
        contraindications=tuple(data.get("contraindications", ())),
        preferred_locations=tuple(data.get("preferred_locations", ())),
        attributes={str(key): str(value) for key, value in data.get("attributes", {}).items()},
    )


def instance_from_dict(data: Mapping[str, Any]) -> Instance:
    if data.get("format") != INSTANCE_FORMAT:
        raise FormatError(f"format: expected {INSTANCE_FORMAT!r}, found {data.get('format')!r}")
    instance = Instance(
        name=str(data.get("name", "")),
        scale=str(data.get("scale", "")),
        seed=data.get("seed"),
        planning_date=_date(_field(data, "planning_date", "instance"), "planning_date"),
        horizon_end=_date(_field(data, "horizon_end", "instance"), "horizon_end"),
        locations=tuple(data.get("locations", ())),
        policy=_policy(data.get("policy", {})),
        trainings=tuple(_training(item) for item in data.get("trainings", ())),
        trainers=tuple(_trainer(item) for item in data.get("trainers", ())),
        groups=tuple(_group(item) for item in data.get("groups", ())),
        clients=tuple(_client(item) for item in data.get("clients", ())),
        pinned={str(client): str(group) for client, group in data.get("pinned", {}).items()},
    )
    _check_references(instance)
    return instance


def _check_references(instance: Instance) -> None:
    trainings = {training.id for training in instance.trainings}
    trainers = {trainer.id for trainer in instance.trainers}
    groups = {group.id for group in instance.groups}
    clients = {client.id for client in instance.clients}
    for kind, ids, count in (("group", groups, len(instance.groups)), ("client", clients, len(instance.clients))):
        if len(ids) != count:
            raise FormatError(f"{kind} ids are not unique")
    for group in instance.groups:
        if group.training not in trainings:
            raise FormatError(f"group {group.id}: unknown training {group.training!r}")
        unknown = set(group.trainers) - trainers
        if unknown:
            raise FormatError(f"group {group.id}: unknown trainers {sorted(unknown)}")
    for client in instance.clients:
        if client.training not in trainings:
            raise FormatError(f"client {client.id}: unknown training {client.training!r}")
    for client_id, group_id in instance.pinned.items():
        if client_id not in clients or group_id not in groups:
            raise FormatError(f"pinned: {client_id!r} → {group_id!r} names an unknown client or group")


def instance_to_dict(instance: Instance) -> dict[str, Any]:
    policy = instance.policy
    data: dict[str, Any] = {
        "format": INSTANCE_FORMAT,
        "name": instance.name,
        "scale": instance.scale,
        "seed": instance.seed,
        "planning_date": instance.planning_date.isoformat(),
        "horizon_end": instance.horizon_end.isoformat(),
        "locations": list(instance.locations),
        "policy": {
            "lead_days": policy.lead_days,
            "need_rules": {need: list(features) for need, features in policy.need_rules.items()},
            "balance": {"attributes": dict(policy.balance)},
            "weights": dict(vars(policy.weights)),
        },
        "trainings": [
            {
                "id": training.id,
                "name": training.name,
                "sessions": training.sessions,
                "session_hours": training.session_hours,
                "excluded_contraindications": list(training.excluded_contraindications),
            }
            for training in instance.trainings
        ],
        "trainers": [
            {"id": trainer.id, "trainings": list(trainer.trainings), "hours_available": trainer.hours_available}
            for trainer in instance.trainers
        ],
        "groups": [_group_to_dict(group) for group in instance.groups],
        "clients": [_client_to_dict(client) for client in instance.clients],
    }
    if policy.trainer_budget_factor is not None:
        data["policy"]["trainer_budget_factor"] = policy.trainer_budget_factor
    if instance.pinned:
        data["pinned"] = dict(instance.pinned)
    return data


def _group_to_dict(group: Group) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": group.id,
        "training": group.training,
        "start_date": group.start_date.isoformat(),
        "slot": group.slot,
        "location": group.location,
        "capacity": group.capacity,
        "min_size": group.min_size,
        "features": list(group.features),
        "trainers": list(group.trainers),
        "trainer_hours": group.trainer_hours,
    }
    if group.occupied:
        data["occupied"] = group.occupied
    return data


def _client_to_dict(client: Client) -> dict[str, Any]:
    return {
        "id": client.id,
        "training": client.training,
        "referral_date": client.referral_date.isoformat(),
        "deadline": client.deadline.isoformat() if client.deadline else None,
        "needs": list(client.needs),
        "availability": list(client.availability),
        "contraindications": list(client.contraindications),
        "preferred_locations": list(client.preferred_locations),
        "attributes": dict(client.attributes),
    }


def solution_from_dict(data: Mapping[str, Any]) -> Solution:
    if data.get("format") != SOLUTION_FORMAT:
        raise FormatError(f"format: expected {SOLUTION_FORMAT!r}, found {data.get('format')!r}")
    unplaced: dict[str, UnplacedReason] = {}
    for client_id, reason in data.get("unplaced", {}).items():
        try:
            unplaced[str(client_id)] = UnplacedReason(reason)
        except ValueError:
            raise FormatError(f"unplaced {client_id}: unknown reason {reason!r}") from None
    known = {"format", "instance", "solver", "runtime_s", "status", "objective", "bound", "assignments", "unplaced"}
    return Solution(
        instance=str(data.get("instance", "")),
        solver=str(data.get("solver", "")),
        assignments={str(client): str(group) for client, group in data.get("assignments", {}).items()},
        unplaced=unplaced,
        runtime_s=float(data.get("runtime_s", 0.0)),
        status=str(data.get("status", "FEASIBLE")),
        objective=data.get("objective"),
        bound=data.get("bound"),
        extras={key: value for key, value in data.items() if key not in known},
    )


def solution_to_dict(solution: Solution) -> dict[str, Any]:
    data: dict[str, Any] = {
        "format": SOLUTION_FORMAT,
        "instance": solution.instance,
        "solver": solution.solver,
        "runtime_s": round(solution.runtime_s, 3),
        "status": solution.status,
        "objective": solution.objective,
        "bound": solution.bound,
    }
    data.update(solution.extras)
    data["assignments"] = dict(sorted(solution.assignments.items()))
    data["unplaced"] = {client: str(reason) for client, reason in sorted(solution.unplaced.items())}
    return data


def _load(path: str | Path) -> Any:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise FormatError(f"{path}: not valid JSON ({error})") from None


def read_instance(path: str | Path) -> Instance:
    return instance_from_dict(_load(path))


def read_solution(path: str | Path) -> Solution:
    return solution_from_dict(_load(path))


def write_json(data: Mapping[str, Any], path: str | Path) -> None:
    Path(path).write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def write_solution(solution: Solution, path: str | Path) -> None:
    write_json(solution_to_dict(solution), path)
