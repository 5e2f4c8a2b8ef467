"""The retention terms, set by the functional administrator for their organisation (defaults: Selectielijst 2020)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse

from koers.accounts.admin import OrganisationScopedAdmin, register_organisation_path
from koers.retention.models import RetentionRule
from koers.retention.services import store_default_rules

register_organisation_path(RetentionRule, "organisation")


@admin.register(RetentionRule)
class RetentionRuleAdmin(OrganisationScopedAdmin):
    """One rule per record type, stored with the defaults when the list is first opened: change only, never add."""

    list_display = ["record_type", "term", "unit", "selectielijst_code", "organisation"]
    list_select_related = ["organisation"]
    fields = ["organisation", "record_type", "term", "unit", "selectielijst_code", "result"]
    readonly_fields = ["record_type"]

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        organisation_id = getattr(request.user, "organisation_id", None)
        if organisation_id is not None:
            store_default_rules(organisation_id)
        return super().changelist_view(request, extra_context)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
