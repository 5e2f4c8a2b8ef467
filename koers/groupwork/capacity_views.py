"""Trainer capacity planning pages: the week and month overview with its chart and warnings, and the what-if for
adding runs. Thin: parse, call the selectors, render. No client data is shown here."""

import datetime

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format, get_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from koers.accounts.decorators import role_required
from koers.accounts.roles import Role
from koers.accounts.types import AuthenticatedRequest
from koers.groupwork import capacity_charts
from koers.groupwork.capacity import NEAR_SHARE, Level
from koers.groupwork.capacity_forms import WhatIfForm
from koers.groupwork.capacity_selectors import Cell, capacity_overview, what_if

CAPACITY_ROLES = (Role.PLANNER, Role.TEAM_MANAGER)
CAPACITY_WEEKS = 13
CAPACITY_MONTHS = 3
NEAR_PERCENT = int(NEAR_SHARE * 100)
FURTHEST = datetime.timedelta(days=5 * 366)


def _start(request: HttpRequest) -> datetime.date:
    """``?vanaf=YYYY-MM-DD`` moves the overview, up to five years either way; anything else shows it from today."""
    today = timezone.localdate()
    try:
        wanted = datetime.date.fromisoformat(request.GET.get("vanaf", ""))
    except ValueError:
        return today
    return wanted if abs(wanted - today) <= FURTHEST else today


def _chosen(request: HttpRequest) -> int | None:
    try:
        return int(request.GET.get("trainer", ""))
    except ValueError:  # also "²", which isdigit() takes for a digit
        return None


def week_chart(cells: list[Cell], name: str, chart_id: str) -> SafeString:
    """Planned against available hours per week for one trainer or the pool, as inline SVG."""
    near = sum(1 for cell in cells if cell.level == Level.NEAR)
    over = sum(1 for cell in cells if cell.level == Level.OVER)
    svg = capacity_charts.capacity_chart(
        [
            capacity_charts.Bar(
                _("wk %(week)d") % {"week": cell.starts.isocalendar()[1]},
                cell.load.work,
                cell.load.switching,
                cell.available,
                cell.level,
            )
            for cell in cells
        ],
        title=_("Planned hours per week: %(name)s") % {"name": name},
        description=_(
            "One bar per week from %(first)s to %(last)s: training and preparation from the programme's time model, "
            "switching time on top; a dashed line marks the hours available for groups. Weeks near the limit "
            "(85%% or more): %(near)d; over it: %(over)d. The table below gives every value."
        )
        % {
            "first": date_format(cells[0].starts, "SHORT_DATE_FORMAT") if cells else "",
            "last": date_format(cells[-1].starts, "SHORT_DATE_FORMAT") if cells else "",
            "near": near,
            "over": over,
        },
        legend=capacity_charts.Legend(
            work=_("Training and preparation"),
            switching=_("Switching time"),
            available=_("Hours available"),
            near=_("%(share)d%% or more") % {"share": NEAR_PERCENT},
            over=_("Over the hours"),
        ),
        unit=_("hours"),
        chart_id=chart_id,
        decimal_separator=str(get_format("DECIMAL_SEPARATOR")),
    )
    return mark_safe(svg)  # noqa: S308 - capacity_charts escapes every label it writes


def render_overview(request: AuthenticatedRequest) -> HttpResponse:
    """The overview behind ``groupwork:trainer_capacity`` (routed and guarded in run_views): per trainer the hours
    per week and per month, a chart for the pool or for the trainer in ``?trainer=``, and the warnings."""
    start = _start(request)
    overview = capacity_overview(request.user, start, CAPACITY_WEEKS, CAPACITY_MONTHS)
    chosen = next((row for row in overview.trainers if row.trainer.pk == _chosen(request)), None)
    if chosen is not None:
        name = chosen.trainer.get_full_name() or chosen.trainer.username
        chart_cells = chosen.weeks
    else:
        name, chart_cells = _("the trainer pool"), overview.pool_weeks
    first = overview.mondays[0]
    step = datetime.timedelta(weeks=CAPACITY_WEEKS)
    return render(
        request,
        "groupwork/capacity/overview.html",
        {
            "overview": overview,
            "chosen": chosen,
            "chart_name": name,
            "chart_cells": chart_cells,
            "chart": week_chart(chart_cells, name, "capacity-chart"),
            "earlier": first - step,
            "later": first + step,
            "is_current": first <= timezone.localdate() < first + step,
            "is_planner": request.user.has_role(Role.PLANNER),
        },
    )


@role_required(*CAPACITY_ROLES)
def capacity_what_if(request: AuthenticatedRequest) -> HttpResponse:
    """What adding runs would cost the chosen trainers, week by week and month by month; nothing is saved."""
    form = WhatIfForm(request.GET if "programme" in request.GET else None, user=request.user)
    outcome = what_if(request.user, **form.what_if_arguments()) if form.is_valid() else None
    return render(request, "groupwork/capacity/what_if.html", {"form": form, "outcome": outcome})
