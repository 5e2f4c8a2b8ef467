"""The cost assumptions behind the financier report, set by the functional administrator for their organisation."""

from django.contrib import admin

from koers.accounts.admin import OnePerOrganisationAdmin, register_organisation_path
from koers.reporting.models import CostAssumptions

register_organisation_path(CostAssumptions, "organisation")


@admin.register(CostAssumptions)
class CostAssumptionsAdmin(OnePerOrganisationAdmin):
    list_display = [
        "organisation",
        "trainer_hourly_rate",
        "consultant_hourly_rate",
        "individual_minutes_per_session",
        "individual_overhead_minutes",
    ]
    fields = [
        "organisation",
        "trainer_hourly_rate",
        "consultant_hourly_rate",
        "individual_minutes_per_session",
        "individual_overhead_minutes",
        "room_hours_per_day",
    ]
