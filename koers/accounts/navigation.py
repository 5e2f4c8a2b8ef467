"""The main navigation, by role: a link appears only for roles that can use the page behind it."""

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from koers.accounts.roles import Role


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    roles: frozenset[str] | None  # None: every signed-in user


NAVIGATION = [
    NavItem(_("Start"), "home:start", None),
    NavItem(_("My caseload"), "caseload:index", frozenset({Role.CONSULTANT})),
    NavItem(
        _("Clients"),
        "clients:list",
        frozenset({Role.CONSULTANT, Role.TEAM_MANAGER, Role.TRAINER, Role.PLANNER}),
    ),
    NavItem(_("My groups"), "groupwork:trainer_home", frozenset({Role.TRAINER})),
    NavItem(_("Group runs"), "groupwork:runs", frozenset({Role.TRAINER, Role.PLANNER})),
    NavItem(_("Waiting lists"), "groupwork:waiting_lists", frozenset({Role.PLANNER})),
    NavItem(_("Rooms"), "groupwork:rooms", frozenset({Role.PLANNER})),
    NavItem(_("Principles audit"), "principles:team", frozenset({Role.TEAM_MANAGER})),
    NavItem(_("Trainer capacity"), "groupwork:trainer_capacity", frozenset({Role.PLANNER, Role.TEAM_MANAGER})),
    NavItem(_("Absences"), "groupwork:absences", frozenset({Role.CONSULTANT})),
    NavItem(_("My evaluations"), "groupwork:my_evaluations", frozenset({Role.CONSULTANT, Role.TRAINER})),
    NavItem(_("Group programmes"), "groupwork:catalogue", None),
    NavItem(_("Reports"), "reporting:index", frozenset({Role.TEAM_MANAGER, Role.POLICY})),
    NavItem(_("Research export"), "measurement:research_export", frozenset({Role.POLICY})),
    NavItem(_("Access log"), "clients:access_log", frozenset({Role.PRIVACY_OFFICER})),
    NavItem(_("Retention"), "retention:index", frozenset({Role.ADMINISTRATOR, Role.TEAM_MANAGER})),
    NavItem(_("Client import"), "imports:list", frozenset({Role.ADMINISTRATOR, Role.TEAM_MANAGER})),
    NavItem(_("Administration"), "admin:index", frozenset({Role.ADMINISTRATOR})),
    NavItem(_("API"), "api-docs", None),
]


def navigation_for(request: HttpRequest) -> list[dict[str, Any]]:
    roles = request.user.roles  # type: ignore[union-attr]
    items = []
    for item in NAVIGATION:
        if item.roles is not None and not roles.intersection(item.roles):
            continue
        url = reverse(item.url_name)
        current = request.path == url or (url != "/" and request.path.startswith(url) and item.url_name != "home:start")
        items.append({"label": item.label, "url": url, "current": current})
    return items
