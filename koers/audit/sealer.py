"""Sealing new log rows into their hash chains, away from the requests that wrote them.

A request only inserts its audit and processing-log rows; taking the chain's lock and updating the rows there would
cost every page five queries and make concurrent requests queue on one lock. A sealer does it every few seconds
instead: in embedded mode a thread of the web process, in production `manage.py seal_logs --every 30` as a service
(or a timer). Until a row is sealed, the append-only triggers already refuse any change to it.
"""

import logging
import threading

from django.db import DatabaseError, connections

from koers.audit.chain import seal_all

logger = logging.getLogger(__name__)


def seal_now() -> None:
    """Seal what is waiting; a failure (the database away) is logged and left for the next round."""
    try:
        seal_all()
    except DatabaseError:
        logger.exception("sealing the log chains failed; the next round tries again")


def seal_every(seconds: float, stop: threading.Event) -> None:
    """Seal, then wait; until ``stop`` is set. Closes this thread's connections when it ends."""
    try:
        while not stop.is_set():
            seal_now()
            stop.wait(seconds)
    finally:
        connections.close_all()
