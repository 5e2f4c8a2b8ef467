from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeasurementConfig(AppConfig):
    name = "koers.measurement"
    verbose_name = _("Effect measurement")

    def ready(self) -> None:
        from koers.measurement import access  # noqa: F401  (registers the access rules for measurements)
        from koers.measurement.results_views import progress_report_section
        from koers.trajectories.report_sections import register

        register(progress_report_section)
