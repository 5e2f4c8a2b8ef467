"""Where a proposal is computed. Embedded mode: a background thread in the web process; KOERS_PLACEMENT_SYNC: inline.

Like ``imports.runner``: keep the one entry point, ``start_proposal(proposal_id)``, so a task queue can replace the
thread later. A thread dies with its process; the proposal then stays "running" and, after ``models.STALE_AFTER``,
the pages show it as failed (``PlacementProposal.is_stale``). Requesting a new proposal is always safe: a proposal
changes nothing until a planner accepts its lines.
"""

import logging
import threading

from django.conf import settings
from django.db import connections

from koers.placement.services import run_proposal

logger = logging.getLogger(__name__)


def start_proposal(proposal_id: int) -> None:
    if getattr(settings, "KOERS_PLACEMENT_SYNC", False):
        run_proposal(proposal_id)
        return
    thread = threading.Thread(
        target=_run_in_thread, args=(proposal_id,), name=f"placement-proposal-{proposal_id}", daemon=True
    )
    thread.start()


def _run_in_thread(proposal_id: int) -> None:
    try:
        run_proposal(proposal_id)
    except Exception:
        logger.error("placement proposal #%s: the background thread ended with an error", proposal_id, exc_info=True)
    finally:
        connections.close_all()  # this thread's own connections; the web process's stay untouched
