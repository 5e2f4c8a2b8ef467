"""The planner's placement proposals: ask for one from a waiting list, follow its progress, read it, accept all or
part of it, and pin placements for a new proposal.

A proposal of a large waiting list is long (2,000 lines), so its placements and its non-placements are each read and
shown a page at a time, in a fixed number of queries; only the clients on the shown pages go to the audit trail.
"""

from typing import Any

from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRefresh

from koers.accounts.decorators import role_required
from koers.accounts.roles import Role
from koers.accounts.types import AuthenticatedRequest
from koers.audit.services import record_client_reads
from koers.clients.models import DAY_PARTS
from koers.groupwork.fit import day_part
from koers.groupwork.models import GroupRun
from koers.groupwork.referral_selectors import planner_programme
from koers.placement.forms import AcceptForm, RerunForm
from koers.placement.models import LineStatus, PlacementProposal, ProposalStatus
from koers.placement.reasons import error_text, stage_text
from koers.placement.selectors import (
    READ_REASON,
    LineView,
    line_view,
    may_act,
    proposal_for,
    proposal_lines,
    proposals_for_programme,
    run_changes,
)
from koers.placement.services import accept_lines, rerun_with_pins
from koers.placement.services import request_proposal as start_new_proposal

LINES_PER_PAGE = 100
EARLIER_PROPOSALS = 5
PLACED_PAGE = "pagina"
UNPLACED_PAGE = "pagina-niet-geplaatst"
STATUS_FILTER = "status"
VIEWER_ROLES = (Role.PLANNER,)
# Rows of the comparison table: (figure, label); the figures are those that ``services`` stores for each plan.
FIGURE_ROWS = (
    ("placed", gettext_lazy("Placed")),
    ("unplaced", gettext_lazy("Not placed")),
    ("mean_wait", gettext_lazy("Mean wait until the start (days)")),
    ("p95_wait", gettext_lazy("Wait that 95 out of 100 placed clients stay within (days)")),
    ("deadlines_missed", gettext_lazy("Deadlines missed")),
    ("needs_met", gettext_lazy("Needed variant provided")),
    ("runs_starting", gettext_lazy("Runs that take place")),
    ("runs_below_min", gettext_lazy("Runs below the minimum size")),
)
DAY_PART_LABELS = dict(DAY_PARTS)


@role_required(Role.PLANNER)
def request_proposal(request: AuthenticatedRequest, programme_pk: int) -> HttpResponse:
    """GET explains what a proposal does; POST asks for one and opens its page, which shows the progress."""
    programme = planner_programme(request.user, programme_pk)
    if request.method == "POST":
        proposal = start_new_proposal(programme, request.user)
        return redirect("placement:proposal", pk=proposal.pk)
    earlier = proposals_for_programme(request.user, programme)[:EARLIER_PROPOSALS]
    return render(request, "placement/request.html", {"programme": programme, "earlier": earlier})


@role_required(*VIEWER_ROLES)
def proposal_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    proposal = proposal_for(request.user, pk)
    context: dict[str, Any] = {"proposal": proposal, "may_act": may_act(request.user, proposal)}
    if proposal.status == ProposalStatus.DONE:
        context.update(_result_context(request, proposal))
    else:
        context.update(_progress_context(request, proposal))
    return render(request, "placement/proposal.html", context)


@role_required(*VIEWER_ROLES)
def proposal_progress(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The progress block alone, polled every second; once the proposal is finished the page reloads to show it."""
    proposal = proposal_for(request.user, pk)
    if request.htmx and (proposal.is_finished or proposal.is_stale):  # type: ignore[attr-defined]
        return HttpResponseClientRefresh()
    return render(request, "placement/_progress.html", _progress_context(request, proposal))


@require_POST
@role_required(Role.PLANNER)
def accept(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Place the selected lines (or all proposed ones); each refused line keeps its reason on the page."""
    proposal = proposal_for(request.user, pk)
    if proposal.status != ProposalStatus.DONE:
        messages.error(request, _("This proposal is not ready; there is nothing to accept yet."))
        return redirect("placement:proposal", pk=proposal.pk)
    form = AcceptForm(request.POST)
    if not form.is_valid():
        for error in form.non_field_errors() + form.errors.get("line", []):
            messages.error(request, str(error))
        return redirect("placement:proposal", pk=proposal.pk)
    if form.cleaned_data["everything"]:
        chosen = list(proposal.lines.values_list("pk", flat=True))  # accept_lines takes the proposed ones with a run
    else:
        chosen = sorted(form.cleaned_data["line"])
    lines = accept_lines(proposal, chosen, request.user)
    accepted = sum(1 for line in lines if line.status == LineStatus.ACCEPTED)
    refused = len(lines) - accepted
    if accepted:
        messages.success(
            request,
            ngettext("%(count)s client has been placed.", "%(count)s clients have been placed.", accepted)
            % {"count": accepted},
        )
    if refused:
        messages.warning(
            request,
            ngettext(
                "%(count)s placement could not be made; the reason is shown with the line.",
                "%(count)s placements could not be made; the reasons are shown with the lines.",
                refused,
            )
            % {"count": refused},
        )
    if not lines:
        messages.info(request, _("Nothing was accepted: the chosen lines were already accepted or refused."))
    url = reverse("placement:proposal", kwargs={"pk": proposal.pk})
    if not lines:
        return redirect(url)
    return redirect(f"{url}?{STATUS_FILTER}={LineStatus.REFUSED if refused else LineStatus.ACCEPTED}")


@require_POST
@role_required(Role.PLANNER)
def rerun(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A new proposal around the pinned placements: the pins ticked on this page, plus those on other pages."""
    proposal = proposal_for(request.user, pk)
    if proposal.status != ProposalStatus.DONE:
        messages.error(request, _("This proposal is not ready; wait until it is, then pin placements."))
        return redirect("placement:proposal", pk=proposal.pk)
    form = RerunForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The page sent lines that do not exist. Reload the page and try again."))
        return redirect("placement:proposal", pk=proposal.pk)
    shown = form.cleaned_data["shown"]
    kept = set(proposal.lines.filter(pinned=True).exclude(pk__in=shown).values_list("pk", flat=True))
    new = rerun_with_pins(proposal, sorted(kept | form.cleaned_data["pin"]), request.user)
    messages.success(request, _("A new proposal is being made around the placements you fixed."))
    return redirect("placement:proposal", pk=new.pk)


def _acceptable(view: LineView) -> bool:
    return view.run is not None and view.line.status == LineStatus.PROPOSED


def _progress_context(request: AuthenticatedRequest, proposal: PlacementProposal) -> dict[str, Any]:
    """The progress block; ``gezien`` is the step the browser announced last, so screen readers hear each step once."""
    key = f"{proposal.status}-{proposal.progress // 25}"
    return {
        "proposal": proposal,
        "stage": stage_text(proposal),
        "error": error_text(proposal),
        "polling": proposal.is_active and not proposal.is_stale,
        "progress_key": key,
        "announce": request.GET.get("gezien", key) != key,
    }


def _result_context(request: AuthenticatedRequest, proposal: PlacementProposal) -> dict[str, Any]:
    status = request.GET.get(STATUS_FILTER, "")
    placed = proposal_lines(proposal).exclude(group_run=None)
    if status in LineStatus.values:
        placed = placed.filter(status=status)
    placed_page = Paginator(
        placed.order_by("group_run__start_date", "group_run_id", "referral__referred_on", "id"), LINES_PER_PAGE
    ).get_page(request.GET.get(PLACED_PAGE))
    unplaced_page = Paginator(
        proposal_lines(proposal).filter(group_run=None).order_by("referral__referred_on", "id"), LINES_PER_PAGE
    ).get_page(request.GET.get(UNPLACED_PAGE))
    placed_views = [line_view(line) for line in placed_page]
    unplaced_views = [line_view(line) for line in unplaced_page]
    shown = placed_views + unplaced_views
    if shown:
        record_client_reads(request.user, [view.line.referral.client for view in shown], reason=READ_REASON)
    counts = proposal.lines.exclude(group_run=None).aggregate(
        pinned=Count("pk", filter=Q(pinned=True)),
        **{code: Count("pk", filter=Q(status=code)) for code in LineStatus.values},
    )
    return {
        "figures": _figure_rows(proposal.figures or {}),
        "run_changes": run_changes(proposal),
        "placed_page": placed_page,
        "placed_rows": [_row(view) for view in placed_views],
        "unplaced_page": unplaced_page,
        "unplaced_rows": unplaced_views,
        "status_filter": status,
        "status_filters": [{"code": code, "label": label, "count": counts[code]} for code, label in LineStatus.choices],
        "placed_links": _page_links(request, placed_page, PLACED_PAGE),
        "unplaced_links": _page_links(request, unplaced_page, UNPLACED_PAGE),
        "acceptable_count": counts[LineStatus.PROPOSED],
    }


def _figure_rows(figures: dict[str, dict[str, float | int]]) -> list[dict[str, Any]]:
    plans = ("current", "first_come", "proposal")
    rows = []
    for key, label in FIGURE_ROWS:
        values: list[float | int | str | None] = [figures.get(plan, {}).get(key) for plan in plans]
        if key == "needs_met":
            values = [_of_needs(figures.get(plan, {})) for plan in plans]
        rows.append({"key": key, "label": label, "values": values})
    return rows


def _of_needs(figures: dict[str, float | int]) -> str | None:
    if "needs_met" not in figures:
        return None
    return _("%(met)s of %(total)s") % {"met": figures["needs_met"], "total": figures.get("clients_with_needs", 0)}


def _row(view: LineView) -> dict[str, Any]:
    run: GroupRun | None = view.run
    assert run is not None
    return {
        "view": view,
        "line": view.line,
        "run": run,
        "day_part": DAY_PART_LABELS.get(day_part(run.start_time), ""),
        "acceptable": _acceptable(view),
    }


def _page_links(request: AuthenticatedRequest, page: Page[Any], name: str) -> dict[str, str]:
    """Links to the previous and next page of one table, keeping the other table's page and the status filter."""
    links = {}
    for label, number in (
        ("previous", page.previous_page_number() if page.has_previous() else None),
        ("next", page.next_page_number() if page.has_next() else None),
    ):
        if number is not None:
            params = request.GET.copy()
            params[name] = str(number)
            links[label] = "?" + params.urlencode()
    return links
