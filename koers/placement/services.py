"""Placement proposals: request one, compute it (build the problem, solve, explain, compare), accept it line by line.

Nothing here places a client by itself: accepting a line calls ``groupwork.placement_services.place_referral``, the
one placement entry point, which locks the run, screens again, counts the places and writes the audit event. A
proposal is advice computed at one moment; a line whose referral or run has changed since is refused, with the
reason, and the other lines go on.
"""

import dataclasses
import logging
import time
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from koers.background import enqueue
from koers.groupwork.models import Programme, ReferralStatus
from koers.groupwork.placement_services import PlacementRefusedError, PlacementWarnings, place_referral
from koers.placement import adapter, baseline, check, explain, rules, solver
from koers.placement.model import Instance, Solution, UnplacedReason
from koers.placement.models import STALE_AFTER, LineStatus, PlacementProposal, ProposalLine, ProposalStatus

logger = logging.getLogger(__name__)

DEFAULT_TIME_LIMIT_S = 20
PROGRESS_EVERY_S = 0.5
# Stored in English and translated on display (``reasons.stage_text``): the worker has no reader's language.
FAILED_MESSAGE = gettext_noop("The proposal could not be computed because of an unexpected error. Try again later.")
FIGURES = (
    "placed",
    "unplaced",
    "mean_wait",
    "p95_wait",
    "deadlines_missed",
    "needs_met",
    "clients_with_needs",
    "runs_starting",
    "runs_below_min",
    "objective",
)


def request_proposal(
    programme: Programme,
    by: Any,
    *,
    pinned: dict[str, int] | None = None,
    previous: PlacementProposal | None = None,
) -> PlacementProposal:
    """Create a proposal for the programme's waiting list and start computing it (after the commit).

    The same request while one is still being computed (a double click, or a colleague at the same moment) gets that
    one: each proposal keeps the worker busy for up to its time limit."""
    from koers.placement.tasks import run_proposal_task  # here: the task module imports this one

    wanted = {str(referral): int(run) for referral, run in (pinned or {}).items()}
    being_made = PlacementProposal.objects.filter(
        programme=programme,
        previous=previous,
        status__in=[ProposalStatus.QUEUED, ProposalStatus.RUNNING],
        created_at__gte=timezone.now() - STALE_AFTER,
    )
    same = next((proposal for proposal in being_made if proposal.pinned == wanted and not proposal.is_stale), None)
    if same is not None:
        return same
    proposal = PlacementProposal.objects.create(
        organisation_id=programme.organisation_id,
        programme=programme,
        requested_by=by,
        pinned=wanted,
        previous=previous,
        time_limit_s=DEFAULT_TIME_LIMIT_S,
        stage=gettext_noop("Waiting to start"),
    )
    enqueue(run_proposal_task, proposal.pk)
    return proposal


def _figures(instance: Instance, solution: Solution) -> dict[str, float | int]:
    metrics = dataclasses.asdict(check.check(instance, solution).metrics)
    metrics["runs_starting"] = metrics.pop("runs_taking_place")
    return {key: metrics[key] for key in FIGURES}


def _current_state(instance: Instance) -> Solution:
    """Nobody new placed: the pinned clients aside, the waiting list stays as it is."""
    solution = Solution(instance.name, "current", assignments=dict(instance.pinned))
    for client in instance.clients:
        if client.id not in solution.assignments:
            training = instance.training(client.training)
            contraindicated = rules.contraindicated(client, training)
            reason = UnplacedReason.CONTRAINDICATION if contraindicated else UnplacedReason.NO_CAPACITY
            solution.unplaced[client.id] = reason
    return solution


class _Progress:
    """Writes the solver's progress to the proposal, at most every ``PROGRESS_EVERY_S`` (one UPDATE each)."""

    def __init__(self, proposal_id: int) -> None:
        self.proposal_id = proposal_id
        self.last = 0.0

    def __call__(self, fraction: float, stage: str) -> None:
        now = time.monotonic()
        if now - self.last < PROGRESS_EVERY_S:
            return
        self.last = now
        percent = max(0, min(99, round(fraction * 100)))
        PlacementProposal.objects.filter(pk=self.proposal_id).update(progress=percent, stage=stage[:200])


def run_proposal(proposal_id: int) -> None:
    """Compute a queued proposal; any failure ends it as FAILED with a message that holds no personal data."""
    claimed = PlacementProposal.objects.filter(pk=proposal_id, status=ProposalStatus.QUEUED).update(
        status=ProposalStatus.RUNNING, started_at=timezone.now(), stage=gettext_noop("Reading the waiting list")
    )
    if not claimed:
        return
    proposal = PlacementProposal.objects.select_related("programme").get(pk=proposal_id)
    try:
        _compute(proposal)
    except Exception:
        logger.error("placement proposal #%s failed", proposal_id, exc_info=True)
        PlacementProposal.objects.filter(pk=proposal_id).update(
            status=ProposalStatus.FAILED,
            finished_at=timezone.now(),
            error=FAILED_MESSAGE,
        )


def _compute(proposal: PlacementProposal) -> None:
    today = timezone.localdate()
    instance, ids = adapter.build_instance(proposal.programme, today, proposal.pinned)
    PlacementProposal.objects.filter(pk=proposal.pk).update(progress=5, stage=gettext_noop("Looking for the best plan"))
    solution = solver.solve(
        instance, time_limit=float(proposal.time_limit_s), seed=proposal.seed, progress=_Progress(proposal.pk)
    )
    explanations = explain.explain(instance, solution)
    figures = {
        "proposal": _figures(instance, solution),
        "current": _figures(instance, _current_state(instance)),
        "first_come": _figures(instance, baseline.first_come_first_served(instance)),
    }
    groups = {group.id: group for group in instance.groups}
    lines = []
    for client in instance.clients:
        explanation = explanations[client.id]
        group = groups.get(explanation.group or "")
        lines.append(
            ProposalLine(
                proposal=proposal,
                referral=ids.referrals[client.id],
                group_run=ids.runs[group.id] if group is not None else None,
                pinned=instance.pinned.get(client.id) is not None,
                reason_code=str(explanation.code),
                reason_params=dict(explanation.params),
                warnings=[str(code) for code in explanation.warnings],
                wait_days=rules.wait_days(client, group) if group is not None else None,
            )
        )
    with transaction.atomic():
        ProposalLine.objects.bulk_create(lines)
        PlacementProposal.objects.filter(pk=proposal.pk).update(
            status=ProposalStatus.DONE,
            progress=100,
            stage=gettext_noop("Done"),
            figures=figures,
            finished_at=timezone.now(),
        )


def accept_lines(proposal: PlacementProposal, line_ids: list[int], by: Any) -> list[ProposalLine]:
    """Place the chosen proposed lines, each on its own: a refused line records why, and the others go on.

    Each line is placed and marked in one transaction, with the line locked and read again first: a line that a
    colleague accepted (or that was refused) meanwhile is left as it is, so it is never placed twice nor marked refused
    after its placement."""
    lines = list(
        proposal.lines.filter(pk__in=line_ids, status=LineStatus.PROPOSED, group_run__isnull=False)
        .select_related("referral", "group_run")
        .order_by("id")
    )
    done = []
    for line in lines:
        assert line.group_run is not None
        with transaction.atomic():
            if ProposalLine.objects.select_for_update().filter(pk=line.pk, status=LineStatus.PROPOSED).first() is None:
                continue
            outcome = ""
            line.referral.refresh_from_db(fields=["status"])
            if line.referral.status != ReferralStatus.WAITING:
                outcome = _(
                    "The referral is no longer waiting: it was placed, withdrawn or declined since the proposal."
                )
            else:
                try:
                    with transaction.atomic():
                        place_referral(line.referral, line.group_run, by, accept_warnings=True)
                except (PlacementRefusedError, PlacementWarnings) as refused:
                    outcome = str(refused)
            if not _record_outcome(line, outcome):
                continue
        done.append(line)
    return done


def _record_outcome(line: ProposalLine, outcome: str) -> bool:
    """Marks a still proposed line accepted (no outcome) or refused (why); False if it was decided meanwhile."""
    line.status = LineStatus.REFUSED if outcome else LineStatus.ACCEPTED
    line.outcome = outcome[:500]
    updated = ProposalLine.objects.filter(pk=line.pk, status=LineStatus.PROPOSED).update(
        status=line.status, outcome=line.outcome
    )
    return bool(updated)


def rerun_with_pins(proposal: PlacementProposal, pinned_line_ids: list[int], by: Any) -> PlacementProposal:
    """A new proposal that keeps the chosen lines' placements fixed and rethinks the rest."""
    chosen = proposal.lines.filter(pk__in=pinned_line_ids, group_run__isnull=False).values_list(
        "referral_id", "group_run_id"
    )
    pinned = {str(referral): int(run) for referral, run in chosen if run is not None}
    return request_proposal(proposal.programme, by, pinned=pinned, previous=proposal)
