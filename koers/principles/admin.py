"""The principles audit's thresholds, set by the functional administrator for their own organisation."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from koers.accounts.admin import OrganisationScopedAdmin, register_organisation_path
from koers.principles.models import PrincipleThresholds

register_organisation_path(PrincipleThresholds, "organisation")


@admin.register(PrincipleThresholds)
class PrincipleThresholdsAdmin(OrganisationScopedAdmin):
    list_display = ["organisation", "intake_days", "plan_days", "review_days", "urgent_action_days"]
    fields = [
        "organisation",
        "intake_days",
        "plan_days",
        "review_days",
        "urgent_action_days",
        "instrument_warning_days",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        """One row per organisation: an administrator adds it once, then changes it."""
        if not super().has_add_permission(request):
            return False
        if request.user.is_superuser:
            return True
        organisation_id: Any = getattr(request.user, "organisation_id", None)
        return not PrincipleThresholds.objects.filter(organisation_id=organisation_id).exists()
