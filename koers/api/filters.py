"""Query-string filters of the list endpoints: a malformed value is a 400 naming the parameter, never silently the
unfiltered list (which a client would take for the filtered one)."""

from collections.abc import Collection

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.viewsets import GenericViewSet


def _listed(view: GenericViewSet, name: str) -> str | None:
    """The parameter's value on a list request; other actions (detail, writes) take no filters."""
    if view.action != "list":
        return None
    return view.request.query_params.get(name)


def id_filter(view: GenericViewSet, name: str) -> int | None:
    value = _listed(view, name)
    if value is None:
        return None
    if not (value.isascii() and value.isdigit()):
        raise ValidationError({name: [_("A valid integer is required.")]})
    return int(value)


def choice_filter(view: GenericViewSet, name: str, choices: Collection[str]) -> str | None:
    value = _listed(view, name)
    if value is None:
        return None
    if value not in choices:
        raise ValidationError(
            {name: [_("Select a valid choice. %(value)s is not one of the available choices.") % {"value": value}]}
        )
    return value
