"""One row in every model linked to a client, each with a unique marker, driven by ``client_linked_models()``.

A model gets built by its factory when the test factories have one, otherwise from its fields (required values
filled in, required foreign keys built the same way). Foreign keys to models linked to the client point at the rows
seeded for this client, so every row belongs to it. A model added later is seeded without a change here.
"""

import datetime
import decimal
import itertools
import uuid
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

import factory
from django.db import models
from django.utils import timezone

from koers.clients.models import Client
from koers.clients.subject_data import client_linked_models
from tests import factories, groupwork_factories, measurement_factories, placement_factories, trajectory_factories

FACTORY_MODULES: tuple[ModuleType, ...] = (
    factories,
    groupwork_factories,
    measurement_factories,
    placement_factories,
    trajectory_factories,
)
_markers = itertools.count(1)


def _factories() -> dict[type[models.Model], Any]:
    found: dict[type[models.Model], Any] = {}
    for module in FACTORY_MODULES:
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, factory.django.DjangoModelFactory):
                model = value._meta.model
                if model is not None:
                    found.setdefault(model, value)
    return found


def marker_field(model: type[models.Model]) -> models.Field | None:
    """The roomiest free-text field of ``model``: the one most likely to take any short text."""
    texts = [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField)
        and not isinstance(f, models.EmailField)
        and not f.choices
        and not f.primary_key
        and (f.max_length is None or f.max_length >= 8)
    ]
    return max(texts, key=lambda f: f.max_length or 10**6, default=None)


def _value(field: models.Field) -> Any:
    if field.choices:
        return next(iter(field.flatchoices))[0]
    simple: dict[type[models.Field], Any] = {
        models.EmailField: "rij@example.org",
        models.GenericIPAddressField: "127.0.0.1",
        models.BooleanField: False,
        models.DecimalField: decimal.Decimal(1),
        models.FloatField: 1.0,
        models.DurationField: datetime.timedelta(hours=1),
        models.UUIDField: uuid.uuid4(),
        models.JSONField: {},
        models.BinaryField: b"",
        models.DateTimeField: timezone.now(),
        models.DateField: timezone.localdate(),
        models.TimeField: datetime.time(9, 0),
        models.IntegerField: 1,
        models.CharField: "x",
        models.TextField: "x",
    }
    for kind, value in simple.items():
        if isinstance(field, kind):
            return value
    raise NotImplementedError(f"no test value for {field!r}")


def build(model: type[models.Model], **given: Any) -> models.Model:
    """A saved row of ``model``: by its factory, or from its fields."""
    made = _factories().get(model)
    if made is not None:
        return made(**given)
    values = dict(given)
    for f in model._meta.concrete_fields:
        if f.name in values or f.primary_key or f.null or f.has_default() or getattr(f, "auto_now_add", False):
            continue
        if getattr(f, "auto_now", False):
            continue
        values[f.name] = build(f.related_model) if f.is_relation else _value(f)  # type: ignore[arg-type]
    return model._default_manager.create(**values)


@dataclass
class SeededClient:
    client: Client
    rows: dict[type[models.Model], list[models.Model]] = field(default_factory=dict)
    markers: dict[type[models.Model], list[str]] = field(default_factory=dict)

    def add(self, model: type[models.Model], **given: Any) -> models.Model:
        """One more row of ``model`` for this client, with a fresh marker in its free-text field."""
        for f in model._meta.concrete_fields:
            related = f.related_model if f.many_to_one or f.one_to_one else None
            if isinstance(related, type) and related in self.rows and f.name not in given:
                given[f.name] = self.rows[related][0]
        text = marker_field(model)
        if text is not None and text.name not in given:
            marker = f"mk{next(_markers):04d}z"
            given[text.name] = marker
            self.markers.setdefault(model, []).append(marker)
        row = build(model, **given)
        self.rows.setdefault(model, []).append(row)
        return row

    def adopt(self, row: models.Model) -> None:
        """Takes a row that a factory made for this client as the seeded one, writing a marker into it."""
        model = type(row)
        text = marker_field(model)
        if text is not None:
            marker = f"mk{next(_markers):04d}z"
            model._default_manager.filter(pk=row.pk).update(**{text.name: marker})
            self.markers.setdefault(model, []).append(marker)
        self.rows.setdefault(model, []).append(row)


def seed_client(**client_fields: Any) -> SeededClient:
    """A client with one marked row in every model linked to it."""
    text = marker_field(Client)
    assert text is not None
    marker = f"mk{next(_markers):04d}z"
    client = build(Client, **{text.name: marker, **client_fields})
    assert isinstance(client, Client)
    seeded = SeededClient(client, rows={Client: [client]}, markers={Client: [marker]})
    for link in client_linked_models():
        if link.model is Client:
            continue
        made_on_the_way = link.rows(client.pk).first()  # a factory of an earlier model may have made one
        if made_on_the_way is None:
            seeded.add(link.model)
        else:
            seeded.adopt(made_on_the_way)
    return seeded
