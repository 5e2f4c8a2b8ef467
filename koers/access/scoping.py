"""The one place that decides which records a user may see.

Each app registers, per model and role, a rule: a function from the user to a ``Q`` on that model, plus the data
categories the relation opens. Views, the API and exports all call :func:`scope` (lists) or
:func:`categories_for` (one record), so an access rule is written once. A user sees the union of what their roles
grant; a user without a matching rule sees nothing.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import models
from django.db.models import Q

from koers.access.categories import DataCategory

M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class Rule:
    role: str
    condition: Callable[[Any], Q]
    categories: frozenset[DataCategory]
    description: str


_rules: dict[str, list[Rule]] = defaultdict(list)


def grants(
    model: type[models.Model], role: str, categories: frozenset[DataCategory], description: str
) -> Callable[[Callable[[Any], Q]], Callable[[Any], Q]]:
    """Register ``condition`` as the records of ``model`` that ``role`` may see, and what it may see of them."""

    def register(condition: Callable[[Any], Q]) -> Callable[[Any], Q]:
        _rules[model._meta.label_lower].append(Rule(role, condition, frozenset(categories), description))
        return condition

    return register


def rules_for(model: type[models.Model]) -> list[Rule]:
    return list(_rules[model._meta.label_lower])


def _applicable(user: Any, model: type[models.Model]) -> list[Rule]:
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    roles = user.roles
    return [rule for rule in _rules[model._meta.label_lower] if rule.role in roles]


def scope(queryset: models.QuerySet[M], user: Any) -> models.QuerySet[M]:
    """The part of ``queryset`` that ``user`` may see through any of their roles."""
    condition: Q | None = None
    for rule in _applicable(user, queryset.model):
        condition = rule.condition(user) if condition is None else condition | rule.condition(user)
    if condition is None:
        return queryset.none()
    return queryset.filter(condition)


def categories_for(user: Any, obj: models.Model) -> frozenset[DataCategory]:
    """The data categories of ``obj`` that ``user`` may see: empty when the user may not see it at all."""
    model = type(obj)
    granted: set[DataCategory] = set()
    for rule in _applicable(user, model):
        if rule.categories <= granted:
            continue
        if model._default_manager.filter(rule.condition(user), pk=obj.pk).exists():
            granted |= rule.categories
    return frozenset(granted)
