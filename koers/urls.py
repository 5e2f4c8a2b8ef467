from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from koers import health, well_known

urlpatterns = [
    path("", include("koers.home.urls")),
    path("account/", include("koers.accounts.urls")),
    path("", include("koers.clients.urls")),
    path("", include("koers.trajectories.urls")),
    path("", include("koers.trajectories.progress_urls")),
    path("", include("koers.groupwork.urls")),
    path("", include("koers.placement.urls")),
    path("", include("koers.measurement.urls")),
    path("", include("koers.principles.urls")),
    path("", include("koers.caseload.urls")),
    path("", include("koers.imports.urls")),
    path("", include("koers.reporting.urls")),
    path("", include("koers.retention.urls")),
    path("api/", include("koers.api.urls")),
    path("beheer/", admin.site.urls),
    path("i18n/setlang/", set_language, name="set_language"),
    path("health/live", health.live, name="health-live"),
    path("health/ready", health.ready, name="health-ready"),
    path(".well-known/security.txt", well_known.security_txt, name="security-txt"),
]

# Error pages without detail, with the request id as reference (koers/errors.py).
handler400 = "koers.errors.bad_request"
handler403 = "koers.errors.permission_denied"
handler404 = "koers.errors.page_not_found"
handler500 = "koers.errors.server_error"
