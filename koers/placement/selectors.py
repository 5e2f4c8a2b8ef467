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
from koers.audit.services import record_client_reads
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
    """Whether the user may request, accept and re-run (planners of the organisation); team managers only view."""
    return user.has_role(Role.PLANNER) and proposal.organisation_id == user.organisation_id


@dataclass(frozen=True)
class LineView:
    line: ProposalLine
    client_name: str
    client_number: int
    run: GroupRun | None
    reason: str
    warnings: list[str]


def proposal_view(proposal: PlacementProposal, reader: Any = None) -> list[LineView]:
    """The proposal's lines with client name and number, run and reasons in the reader's language; placed lines
    first, by run start. With ``reader``, writes one client-read audit event per client shown."""
    lines = list(
        proposal.lines.select_related("referral__client", "group_run__room", "group_run__municipality").order_by(
            "group_run__start_date", "group_run_id", "referral__referred_on", "id"
        )
    )
    placed = [line for line in lines if line.group_run_id is not None]
    waiting = [line for line in lines if line.group_run_id is None]
    views = [
        LineView(
            line=line,
            client_name=line.referral.client.full_name,
            client_number=line.referral.client_id,
            run=line.group_run,
            reason=explain_text(line),
            warnings=warning_texts(line),
        )
        for line in placed + waiting
    ]
    if reader is not None and views:
        record_client_reads(reader, [line.referral.client for line in lines], reason=READ_REASON)
    return views


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
