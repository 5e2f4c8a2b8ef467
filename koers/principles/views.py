"""The principles audit pages: one trajectory's ten outcomes, and the team view for the team manager.

Thin: parse, call the selectors, render. The team page shows counts per consultant and never a client's name, and
no count over fewer than ``selectors.MIN_CELL`` trajectories (the selectors leave those cells empty).
"""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from koers.accounts.decorators import role_required
from koers.accounts.roles import Role
from koers.accounts.types import AuthenticatedRequest
from koers.principles import charts
from koers.principles.rules import PRINCIPLES, Status
from koers.principles.selectors import MIN_CELL, TrendSeries, team_audit, trajectory_audit, trend
from koers.trajectories.selectors import trajectory_for

TREND_MONTHS = 12
SORT_PARAMETER = "sorteer"


@role_required(Role.CONSULTANT, Role.TEAM_MANAGER)
def trajectory_principles(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The ten principles for one trajectory today; an ended trajectory as it stood on its last day."""
    trajectory = trajectory_for(request.user, pk, reason="principles audit")
    as_of = trajectory.ended_on or timezone.localdate()
    results = trajectory_audit(trajectory, as_of)
    counts = {status: sum(1 for result in results if result.status == status) for status in Status}
    return render(
        request,
        "principles/trajectory.html",
        {
            "trajectory": trajectory,
            "as_of": as_of,
            "results": results,
            "passed": counts[Status.PASS],
            "attention": counts[Status.ATTENTION],
            "failed": counts[Status.FAIL],
        },
    )


def trend_chart(series: list[TrendSeries]) -> SafeString:
    """The pass share per principle and month as inline SVG (the page's data table gives every value)."""
    if not series:
        return SafeString("")
    months = [point.month for point in series[0].points]
    svg = charts.pass_share_chart(
        [date_format(month, "M Y") for month in months],
        [
            charts.ShareSeries(
                f"{s.principle.number}. {s.principle.title}", [point.tally.pass_share for point in s.points]
            )
            for s in series
        ],
        title=_("Share of trajectories that pass, per principle and month"),
        description=_(
            "Ten small charts, one per principle, each from %(first)s to %(last)s on a scale from 0 to 100 percent. "
            "A gap means no figures were recorded that month, or too few trajectories to show. "
            "The table below gives every value."
        )
        % {"first": date_format(months[0], "F Y"), "last": date_format(months[-1], "F Y")},
    )
    return mark_safe(svg)  # noqa: S308 - built from escaped parts by charts.py


@role_required(Role.TEAM_MANAGER)
def team_principles(request: AuthenticatedRequest) -> HttpResponse:
    """Per principle the share of the team's open trajectories that pass, per consultant, and over time."""
    as_of = timezone.localdate()
    sort = request.GET.get(SORT_PARAMETER, "")
    audit = team_audit(request.user, as_of, sort=sort)
    series = trend(request.user, as_of, months=TREND_MONTHS)
    return render(
        request,
        "principles/team.html",
        {
            "audit": audit,
            "principles": PRINCIPLES,
            "sort": sort if sort in {p.key for p in PRINCIPLES} else "",
            "sort_parameter": SORT_PARAMETER,
            "series": series,
            "months": [point.month for point in series[0].points] if series else [],
            "chart": trend_chart(series),
            "trend_suppressed": any(point.suppressed for point in series[0].points) if series else False,
            "min_cell": MIN_CELL,
        },
    )
