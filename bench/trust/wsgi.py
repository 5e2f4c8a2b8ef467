"""Koers's WSGI application with the URLconf imported up front, for gunicorn ``--preload``.

Koers imports its URLconf (and with it ortools, pandas and scipy) on a worker's first request: 10–12 s on an idle
2-core machine, beyond gunicorn's 30 s timeout on a busy one, so a worker respawned after ``kill -9`` was killed
again before it served anything. Loaded once in the master, every forked worker starts warm.
"""

from django.urls import get_resolver

from koers.wsgi import application

get_resolver().url_patterns  # noqa: B018  (the import is the point)

__all__ = ["application"]
