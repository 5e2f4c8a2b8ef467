import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koers.settings")

application = get_wsgi_application()

from django.urls import get_resolver  # noqa: E402

# Import every view (and the solver and statistics libraries behind them) now, not in the first request: a worker
# that gunicorn starts again after a crash would otherwise spend its first request loading them (10 s and more).
_ = get_resolver().url_patterns

from koers.background import start_embedded_worker  # noqa: E402  (needs the configured apps above)

start_embedded_worker()  # embedded mode only: the web process runs the queued tasks (ADR 0012)
