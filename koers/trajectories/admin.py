"""The instrument catalogue, configured by the functional administrator; trajectories themselves stay out."""

from django.contrib import admin

from koers.accounts.admin import OrganisationScopedAdmin, register_organisation_path
from koers.trajectories.models import InstrumentType

register_organisation_path(InstrumentType, "organisation")


@admin.register(InstrumentType)
class InstrumentTypeAdmin(OrganisationScopedAdmin):
    list_display = ["name", "kind", "default_weeks", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]
