from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrajectoriesConfig(AppConfig):
    name = "koers.trajectories"
    verbose_name = _("Trajectories")

    def ready(self) -> None:
        from koers.trajectories import access  # noqa: F401  (registers the access rules for trajectories)
