"""Reads of placement proposals: scoped to the organisation (404 alike for missing and forbidden), in a constant
number of queries, showing a planner what they may see of a client: the name and the client number, no dossier.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from koers.access.scoping import scope
from koers.accounts.roles import Role
from koers.groupwork.models import GroupRun, Programme, RunStatus
from koers.groupwork.referral_selectors import run_facts, with_placement_figures
from koers.placement.models import LineStatus, PlacementProposal, ProposalLine
from koers.placement.reasons import explain_text, warning_texts

READ_REASON = "placement proposal"


def visible_proposals(user: Any) -> QuerySet[PlacementProposal]:
    return scope(PlacementProposal.objects.all(), user).select_related("programme", "requested_by", "previous")


def proposals_for_programme(user: Any, programme: Programme) -> QuerySet[PlacementProposal]:
    """The programme's proposals the user may see, newest first."""
    return visible_proposals(user).filter(programme=programme).order_by("-created_at", "-id")


def proposal_for(user: Any, pk: int) -> PlacementProposal:
    proposal = visible_proposals(user).filter(pk=pk).first()
    if proposal is None:
        raise Http404
    return proposal


def may_act(user: Any, proposal: PlacementProposal) -> bool:
    """Whether the user may request, accept and re-run: a planner of the proposal's organisation."""
    return user.has_role(Role.PLANNER) and proposal.organisation_id == user.organisation_id


@dataclass(frozen=True)
class LineView:
    line: ProposalLine
    client_name: str
    client_number: int
    run: GroupRun | None
    reason: str
    warnings: list[str]


def proposal_lines(proposal: PlacementProposal) -> QuerySet[ProposalLine]:
    """The proposal's lines with what a row shows (client, run, room, municipality); pages read a slice of them."""
    return proposal.lines.select_related("referral__client", "group_run__room", "group_run__municipality")


def line_view(line: ProposalLine) -> LineView:
    """A line as a planner sees it: client name and number, the run, and the reasons in the reader's language."""
    return LineView(
        line=line,
        client_name=line.referral.client.full_name,
        client_number=line.referral.client_id,
        run=line.group_run,
        reason=explain_text(line),
        warnings=warning_texts(line),
    )


@dataclass(frozen=True)
class RunChange:
    """What the proposal means for one run."""

    run: GroupRun
    capacity: int
    participants: int  # now
    proposed: int  # lines still proposed for this run
    min_size: int

    @property
    def starts(self) -> bool:
        return self.participants + self.proposed > 0

    @property
    def below_minimum(self) -> bool:
        return 0 < self.participants + self.proposed < self.min_size


def run_changes(proposal: PlacementProposal, today: datetime.date | None = None) -> list[RunChange]:
    """Per run of the programme that takes newcomers (or that a line names): participants now, proposed additions,
    and whether it starts; two queries."""
    today = today or timezone.localdate()
    proposed: dict[int, int] = {}
    named = set()
    for run_id, status in proposal.lines.filter(group_run__isnull=False).values_list("group_run_id", "status"):
        named.add(run_id)
        if status == LineStatus.PROPOSED:
            proposed[run_id] = proposed.get(run_id, 0) + 1
    runs = GroupRun.objects.filter(programme=proposal.programme_id).select_related("programme", "room", "municipality")
    takes_newcomers = Q(status__in=[RunStatus.PLANNED, RunStatus.RUNNING]) & (
        Q(start_date__gte=today) | Q(next_session__isnull=False)
    )
    annotated = (
        with_placement_figures(runs, today).filter(takes_newcomers | Q(pk__in=named)).order_by("start_date", "id")
    )
    changes = []
    for run in annotated:
        facts = run_facts(run, today)
        changes.append(
            RunChange(
                run=run,
                capacity=facts.capacity,
                participants=facts.participants,
                proposed=proposed.get(run.pk, 0),
                min_size=run.programme.min_size,
            )
        )
    return changes
