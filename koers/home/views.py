from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from koers.accounts.roles import Role
from koers.accounts.types import AuthenticatedRequest
from koers.clients.selectors import caseload_figures
from koers.home import selectors


def root(request: HttpRequest) -> HttpResponse:
    return redirect("home:start" if request.user.is_authenticated else "accounts:login")


@login_required
def start(request: AuthenticatedRequest) -> HttpResponse:
    """One start page; each role the user holds adds its own section with real figures."""
    user = request.user
    sections = [
        "caseload",
        "trainer",
        "planner",
        "team_caseloads",
        "municipalities",
        "administration",
        "privacy",
    ]
    context: dict[str, object] = dict.fromkeys(sections)
    if user.has_role(Role.CONSULTANT):
        context["caseload"] = caseload_figures(user)
    if user.has_role(Role.TRAINER):
        context["trainer"] = selectors.trainer_figures(user)
    if user.has_role(Role.PLANNER):
        context["planner"] = selectors.planner_figures(user)
    if user.has_role(Role.TEAM_MANAGER):
        context["team_caseloads"] = selectors.team_caseloads(user)
    if user.has_role(Role.POLICY):
        context["municipalities"] = selectors.municipality_figures(user)
        context["suppression_threshold"] = selectors.SUPPRESSION_THRESHOLD
    if user.has_role(Role.ADMINISTRATOR):
        context["administration"] = selectors.administrator_figures(user)
    if user.has_role(Role.PRIVACY_OFFICER):
        context["privacy"] = selectors.privacy_figures(user)
    return render(request, "home/start.html", context)
