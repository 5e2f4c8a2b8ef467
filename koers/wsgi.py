import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koers.settings")

application = get_wsgi_application()

from koers.background import start_embedded_worker  # noqa: E402  (needs the configured apps above)

start_embedded_worker()  # embedded mode only: the web process runs the queued tasks (ADR 0012)
