"""The principles audit's thresholds, set by the functional administrator for their own organisation."""

from django.contrib import admin

from koers.accounts.admin import OnePerOrganisationAdmin, register_organisation_path
from koers.principles.models import PrincipleThresholds

register_organisation_path(PrincipleThresholds, "organisation")


@admin.register(PrincipleThresholds)
class PrincipleThresholdsAdmin(OnePerOrganisationAdmin):
    list_display = ["organisation", "intake_days", "plan_days", "review_days", "urgent_action_days"]
    fields = [
        "organisation",
        "intake_days",
        "plan_days",
        "review_days",
        "urgent_action_days",
        "instrument_warning_days",
    ]
