"""The background task that computes a placement proposal; ``services.request_proposal`` queues it.

A killed worker leaves the proposal "running"; after ``models.STALE_AFTER`` the pages show it as failed
(``PlacementProposal.is_stale``). Requesting a new proposal is always safe: a proposal changes nothing until a planner
accepts its lines.
"""

import logging

from django_tasks import task

from koers.placement.models import PlacementProposal, ProposalStatus
from koers.placement.services import run_proposal

logger = logging.getLogger(__name__)


class ProposalFailedError(Exception):
    """Marks the task failed; it names the proposal only, the cause is in the log."""


@task()
def run_proposal_task(proposal_id: int) -> None:
    """Compute the proposal; if it failed (``run_proposal`` marks it and logs the cause), fail the task as well, so
    the task list shows it. An error that escapes ``run_proposal`` (the database gone while it recorded the failure)
    is replaced, without its chain: the stored traceback would quote the first error."""
    try:
        run_proposal(proposal_id)
        failed = PlacementProposal.objects.filter(pk=proposal_id, status=ProposalStatus.FAILED).exists()
    except Exception:
        logger.error("placement proposal #%s: its failure was not recorded", proposal_id, exc_info=True)
        failed = True
    if failed:  # raised outside the handler, so the stored traceback has no chain to the first error
        raise ProposalFailedError(f"placement proposal #{proposal_id} failed; the log holds the cause")
