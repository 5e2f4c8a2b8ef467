"""The versioned REST API: /api/v1/…, with the OpenAPI schema and self-hosted documentation beside it."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from koers.accounts.api import me
from koers.api import schema  # noqa: F401  (registers the authentication schemes)
from koers.clients.api import ClientViewSet
from koers.groupwork.api import register as register_groupwork
from koers.trajectories.api import register as register_trajectories

router = DefaultRouter()
router.include_root_view = False
router.register("clients", ClientViewSet, basename="client")
register_trajectories(router)
register_groupwork(router)

v1 = [path("me/", me, name="me"), *router.urls]

urlpatterns = [
    path("v1/", include((v1, "v1"), namespace="v1")),
    path("schema/", SpectacularAPIView.as_view(api_version="v1"), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]
