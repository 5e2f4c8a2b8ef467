"""Which stored records belong to a client, found from the models themselves.

The access export (AVG art. 15), the restriction of processing (art. 18) and destruction after the retention period
all need "every row of this client, in every table". A hand-kept list would miss the next model someone adds, so the
list is derived from the foreign keys: a model belongs to a client when a chain of foreign keys leads to ``Client``.
Audit and processing-log rows hold the client only as a number and are therefore not part of it.
"""

from dataclasses import dataclass
from functools import cache

from django.apps import apps
from django.db import models

from koers.clients.models import Client


@dataclass(frozen=True)
class ClientLink:
    """A model whose rows belong to one client, with the ORM lookup from the model to the client's id."""

    model: type[models.Model]
    path: str
    depth: int

    @property
    def label(self) -> str:
        return self.model._meta.label_lower

    def rows(self, client_id: int) -> models.QuerySet:
        return self.model._default_manager.filter(**{self.path: client_id}).order_by("pk")


@cache
def client_linked_models() -> tuple[ClientLink, ...]:
    """Client first, then every model that reaches it by foreign keys, in order of distance (shortest path wins).

    Deleting in reverse order removes children before their parents.
    """
    found: dict[type[models.Model], ClientLink] = {Client: ClientLink(Client, "pk", 0)}
    depth = 0
    while True:
        depth += 1
        level: dict[type[models.Model], ClientLink] = {}
        for model in apps.get_models():
            if model in found or model in level:
                continue
            for field in model._meta.concrete_fields:
                parent = field.related_model if field.many_to_one or field.one_to_one else None
                parent_link = found.get(parent) if isinstance(parent, type) else None
                if parent_link is None or parent_link.depth != depth - 1:
                    continue
                path = field.name if parent is Client else f"{field.name}__{parent_link.path}"
                level[model] = ClientLink(model, path, depth)
                break
        if not level:
            return tuple(sorted(found.values(), key=lambda link: (link.depth, link.label)))
        found.update(level)
