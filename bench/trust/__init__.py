"""Trust drills (issue 8): load test, fault injection, invariant checker and backup/restore drill on loopback.

Everything runs against a private PostgreSQL cluster and a gunicorn started here, never the shared server on 5432.
Entry point: ``python -m bench.trust`` (short form) or ``--long``; docs/load-and-faults.md explains the figures.
"""
