from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from koers.accounts.roles import Role
from koers.clients.selectors import caseload_figures
from koers.home import selectors


def root(request: HttpRequest) -> HttpResponse:
    return redirect("home:start" if request.user.is_authenticated else "accounts:login")


@login_required
def start(request: HttpRequest) -> HttpResponse:
    """One start page; each role the user holds adds its own section with real figures."""
    user = request.user
    sections = ["caseload", "trainer", "planner", "team_caseloads", "municipalities", "administration", "privacy"]
    context: dict[str, object] = dict.fromkeys(sections)
    if user.has_role(Role.CONSULTANT):  # type: ignore[union-attr]
        context["caseload"] = caseload_figures(user)
    if user.has_role(Role.TRAINER):  # type: ignore[union-attr]
        context["trainer"] = selectors.trainer_figures(user)
    if user.has_role(Role.PLANNER):  # type: ignore[union-attr]
        context["planner"] = selectors.planner_figures(user)
    if user.has_role(Role.TEAM_MANAGER):  # type: ignore[union-attr]
        context["team_caseloads"] = selectors.team_caseloads(user)
    if user.has_role(Role.POLICY):  # type: ignore[union-attr]
        context["municipalities"] = selectors.municipality_figures(user)
        context["suppression_threshold"] = selectors.SUPPRESSION_THRESHOLD
    if user.has_role(Role.ADMINISTRATOR):  # type: ignore[union-attr]
        context["administration"] = selectors.administrator_figures(user)
    if user.has_role(Role.PRIVACY_OFFICER):  # type: ignore[union-attr]
        context["privacy"] = selectors.privacy_figures(user)
    return render(request, "home/start.html", context)
